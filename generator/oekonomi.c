/* oekonomi.c -- named values for the economy memo (see oekonomi.h). */
#include "notatgen/oekonomi.h"

#include <stdio.h>

#include "notatgen/budget.h"
#include "notatgen/forecast.h"
#include "notatgen/initiatives.h"
#include <stdlib.h>
#include <string.h>

/* The year columns of budgetoverslag: keys of four digits, not hidden. */
static void year_columns(const ng_table *t, int *first, int *last)
{
    *first = *last = -1;
    for (int c = 0; c < t->ncols; c++) {
        const char *k = t->cols[c].key;
        if (t->cols[c].hidden || strlen(k) != 4 || k[0] < '1' || k[0] > '2')
            continue;
        if (*first < 0)
            *first = c;
        *last = c;
    }
}

static bool cell_num(const ng_table *t, const char *post, int col, double *v)
{
    int r = ng_table_row(t, post);
    const ng_cell *c = r >= 0 ? ng_table_cell(t, r, col) : NULL;
    *v = c && c->type == NG_CELL_NUM ? c->num : 0;
    return r >= 0;
}

ng_status ng_budget_values(const ng_config *cfg, ng_dataset *ds)
{
    const ng_table *t = ng_dataset_table(ds, "budgetoverslag");
    if (!t)
        return NG_ERR_INTERNAL;
    int first, last;
    year_columns(t, &first, &last);
    if (first < 0)
        return NG_ERR_INTERNAL;
    int y0 = atoi(t->cols[first].key), y1 = atoi(t->cols[last].key);
    ng_status st = ng_dataset_set_num(ds, "budget_foerste_aar", NG_UNIT_AAR, y0,
                                      "Budgetoverslagets første år");
    if (st == NG_OK)
        st = ng_dataset_set_num(ds, "budget_sidste_aar", NG_UNIT_AAR, y1,
                                "Budgetoverslagets sidste år");
    if (st == NG_OK)
        st = ng_dataset_set_num(ds, "budget_primo_aar", NG_UNIT_AAR, y0 - 1,
                                "Året, gælden overføres fra");
    if (st == NG_OK)
        st = ng_dataset_set_num(ds, "budget_gaeld_primo", NG_UNIT_MIO, cfg->gaeld_primo,
                                "Gæld overført fra året før budgetoverslaget");
    for (int r = 0; r < t->nrows && st == NG_OK; r++) {
        if (!t->rows[r].key)
            continue;
        char name[128];
        const ng_cell *a = ng_table_cell(t, r, first), *b = ng_table_cell(t, r, last);
        snprintf(name, sizeof name, "budget_%s_foerste", t->rows[r].key);
        st = ng_dataset_set_num(ds, name, NG_UNIT_MIO, a->type == NG_CELL_NUM ? a->num : 0,
                                "Budgetoverslagets række i første år");
        snprintf(name, sizeof name, "budget_%s_sidste", t->rows[r].key);
        if (st == NG_OK)
            st = ng_dataset_set_num(ds, name, NG_UNIT_MIO, b->type == NG_CELL_NUM ? b->num : 0,
                                    "Budgetoverslagets række i sidste år");
    }
    double merf, sdes, foer, alt;
    if (st == NG_OK && cell_num(t, "merforbrug_efter", first, &merf) &&
        cell_num(t, "merindtaegt_sdes", first, &sdes)) {
        st = ng_dataset_set_num(ds, "budget_merforbrug_foer_sdes_foerste", NG_UNIT_MIO, merf + sdes,
                                "Merforbrug i første år før merindtægt vedr. særligt dyre sager");
        if (st == NG_OK)
            st = ng_dataset_set_num(ds, "budget_merforbrug_inkl_gaeld_foerste", NG_UNIT_MIO,
                                    merf + sdes + cfg->gaeld_primo,
                                    "Merforbrug i første år før merindtægt, med overført gæld");
    }
    if (st == NG_OK && cell_num(t, "udgift_foer_soep", last, &foer) &&
        cell_num(t, "udgift_inkl_alt", last, &alt))
        st = ng_dataset_set_num(ds, "budget_afboedning_sidste", NG_UNIT_MIO, foer - alt,
                                "Initiativernes samlede afbødning af udgiften i sidste år");
    return st;
}

ng_status ng_oekonomi_publish(const ng_config *cfg, sqlite3 *db, const char *made_on,
                              const ng_budget_override *extra, size_t nextra, ng_dataset *ds,
                              ng_diags *diags)
{
    ng_initiatives in;
    ng_fingerplan fp;
    bool has_in = false, has_fp = false;
    ng_budget_override ov[2 * NG_INIT_MAX_YEARS + 8];
    size_t nov = 0;
    ng_status st = NG_OK;
    memset(&in, 0, sizeof in);
    memset(&fp, 0, sizeof fp);
    if (cfg->initiativer.path) {
        st = ng_initiatives_read(&cfg->initiativer, &in, diags);
        has_in = st == NG_OK;
        if (st == NG_OK)
            st = ng_initiatives_publish(&in, ds, diags);
    }
    if (st == NG_OK && cfg->fingerplan.path) {
        st = ng_fingerplan_read(&cfg->fingerplan, &fp, diags);
        has_fp = st == NG_OK;
        if (st == NG_OK)
            st = ng_fingerplan_publish(&fp, ds, diags);
    }
    if (st == NG_OK)
        st = ng_forecast_from_config(cfg, db, made_on, ds, diags);
    if (st == NG_OK && cfg->budget.path && !cfg->budget_model) {
        ng_error(diags, cfg->config_path, 0, 0,
                 "budgetmodellen er ikke fundet (angiv [budget] model)");
        st = NG_ERR_CONFIG;
    }
    if (st == NG_OK && cfg->budget.path) {
        if (cfg->effekt_fra_initiativer && has_fp)
            nov = ng_fingerplan_overrides(&fp, "effekt_fingerplan", ov, sizeof ov / sizeof ov[0]);
        else if (cfg->effekt_fra_initiativer && has_in)
            nov = ng_initiatives_overrides(&in, "effekt_fingerplan", ov, sizeof ov / sizeof ov[0]);
        else if (cfg->effekt_fra_initiativer)
            ng_warning(diags, cfg->config_path, 0, 0,
                       "effekt_fra_initiativer = ja, men hverken [fingerplan] eller "
                       "[initiativer] er angivet; budgetfilens effekt bruges");
        for (size_t i = 0; i < nextra && nov < sizeof ov / sizeof ov[0]; i++)
            ov[nov++] = extra[i];
        st = ng_budget_outlook(cfg, cfg->budget_model, ov, nov, ds, diags);
        if (st == NG_OK)
            st = ng_budget_values(cfg, ds);
    }
    ng_initiatives_free(&in);
    ng_fingerplan_free(&fp);
    return st;
}
