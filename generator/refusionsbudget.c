/* refusionsbudget.c -- the refusion income against its budget (seed 004).
 *
 * The year's budgeted refusion income is split over the fagområder by a base
 * year's shares; the computed refusion against each area's share gives its
 * merindtægt (+) or mindreindtægt (-). Under model 2 the area keeps the
 * difference; under model 1 it goes to (or is covered by) the kasse. The
 * municipality claims a'conto each quarter on the expected refusion and
 * settles by 15 May of the following year with the auditor's endorsement.
 */
#include "notatgen/refusionsbudget.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const area_labels[NG_OMR_COUNT] = {
    "Socialområdet (voksne)", "Familieområdet (børn og unge)", "Omsorgsområdet (ældre)"};

enum { C_AREA, C_ANDEL, C_BUDGET, C_BEREGNET, C_DIFF, C_MODEL, C_AREA_KEEPS, C_KASSE, C_COUNT };

/* The computed refusion per område, in kr. */
static void refusion_per_area(const ng_refusion_result *r, double kr[NG_OMR_COUNT])
{
    int64_t oere[NG_OMR_COUNT] = {0};
    for (size_t i = 0; i < r->n; i++)
        if (r->units[i].covered && r->units[i].omraade < NG_OMR_COUNT)
            oere[r->units[i].omraade] += r->units[i].refusion;
    for (int a = 0; a < NG_OMR_COUNT; a++)
        kr[a] = (double)oere[a] / 100.0;
}

static ng_status check_shares(const ng_config *cfg, ng_diags *diags)
{
    double sum = 0;
    for (int a = 0; a < NG_OMR_COUNT; a++)
        sum += cfg->refusionsbudget_andel[a];
    if (fabs(sum - 1.0) > 0.0005) {
        char pct[32];
        ng_fmt_dec(pct, sizeof pct, sum * 100, 1);
        ng_error(
            diags, cfg->config_path, 0, 0,
            "[refusionsbudget] andel_voksen + andel_boern + andel_aeldre er %s %%, ikke 100 %%",
            pct);
        return NG_ERR_CONFIG;
    }
    return NG_OK;
}

static ng_table *budget_table(const ng_config *cfg, const double beregnet[NG_OMR_COUNT], int aar)
{
    char title[128];
    snprintf(title, sizeof title,
             "Refusionsindtægter %d: budget og forventet indtægt pr. fagområde", aar);
    ng_table *t = ng_table_new("refusionsbudget", title);
    if (!t)
        return NULL;
    ng_table_add_column(t, "fagomraade", "Fagområde", NG_UNIT_TEXT);
    ng_table_add_column(t, "andel", "Andel af budgettet", NG_UNIT_PCT);
    ng_table_add_column(t, "budget", "Budget", NG_UNIT_MIO);
    ng_table_add_column(t, "beregnet", "Forventet refusion", NG_UNIT_MIO);
    ng_table_add_column(t, "difference", "Mer-/mindreindtægt", NG_UNIT_MIO);
    ng_table_add_column(t, "model", "Model", NG_UNIT_TEXT);
    ng_table_add_column(t, "til_fagomraadet", "Tilfalder fagområdet", NG_UNIT_MIO);
    if (ng_table_add_column(t, "til_kassen", "Tilfalder kassen", NG_UNIT_MIO) != C_KASSE) {
        ng_table_free(t);
        return NULL;
    }
    ng_table_set_source(t, "Kilde: konfigurationens [refusionsbudget] og udtrækkets beregnede "
                           "refusion. Model 2: fagområdet beholder forskellen; model 1: den "
                           "tilfalder kassen.");
    for (int a = 0; a < NG_OMR_COUNT; a++) {
        int row = ng_table_add_row(t, ng_omraade_key((ng_omraade)a), 0);
        int model = cfg->refusionsbudget_model[a];
        ng_table_set_text(t, row, C_AREA, area_labels[a]);
        ng_table_set_num(t, row, C_ANDEL, cfg->refusionsbudget_andel[a]);
        /* the split of the budget is a decision (an input), rounded to the kr. */
        ng_table_set_num(t, row, C_BUDGET,
                         round(cfg->refusionsbudget * cfg->refusionsbudget_andel[a]));
        ng_table_set_num(t, row, C_BEREGNET, beregnet[a]);
        ng_term diff[] = {{row, C_BEREGNET, 1}, {row, C_BUDGET, -1}};
        ng_table_rule_linear(t, row, C_DIFF, diff, 2);
        ng_table_set_text(t, row, C_MODEL, model == 1 ? "Model 1" : "Model 2");
        ng_term to_area[] = {{row, C_DIFF, model == 2 ? 1 : 0}};
        ng_term to_kasse[] = {{row, C_DIFF, model == 1 ? 1 : 0}};
        ng_table_rule_linear(t, row, C_AREA_KEEPS, to_area, 1);
        ng_table_rule_linear(t, row, C_KASSE, to_kasse, 1);
    }
    int total = ng_table_add_total_row(t, "i_alt", "I alt", C_AREA, 0, NG_OMR_COUNT - 1);
    ng_table_rule_sum(t, total, C_ANDEL, 0, NG_OMR_COUNT - 1);
    return t;
}

/* A'conto: a quarter of the year's expected refusion each quarter; the last
 * quarter takes the øre that do not divide, so the four add up exactly. */
static ng_table *aconto_table(double total_kr, int aar)
{
    char title[96];
    snprintf(title, sizeof title, "Kvartalsvis a'conto-hjemtagelse af refusion %d", aar);
    ng_table *t = ng_table_new("refusion_aconto", title);
    if (!t)
        return NULL;
    ng_table_add_column(t, "kvartal", "Kvartal", NG_UNIT_TEXT);
    ng_table_add_column(t, "aconto", "A'conto", NG_UNIT_MIO);
    ng_table_set_source(t, "A'conto på grundlag af den forventede refusion for hele året; endelig "
                           "opgørelse med revisorpåtegning senest 15. maj året efter.");
    int64_t total_oere = (int64_t)llround(total_kr * 100.0);
    int64_t quarter = total_oere / 4;
    static const char *const labels[4] = {"1. kvartal", "2. kvartal", "3. kvartal", "4. kvartal"};
    for (int q = 0; q < 4; q++) {
        char key[8];
        snprintf(key, sizeof key, "q%d", q + 1);
        int row = ng_table_add_row(t, key, 0);
        int64_t amount = q < 3 ? quarter : total_oere - 3 * quarter;
        ng_table_set_text(t, row, 0, labels[q]);
        ng_table_set_num(t, row, 1, (double)amount / 100.0);
    }
    ng_table_add_total_row(t, "i_alt", "I alt", 0, 0, 3);
    return t;
}

ng_status ng_refusionsbudget_tables(const ng_refusion_result *r, const ng_config *cfg,
                                    ng_dataset *ds, ng_diags *diags)
{
    ng_status st = check_shares(cfg, diags);
    if (st != NG_OK)
        return st;
    double beregnet[NG_OMR_COUNT];
    refusion_per_area(r, beregnet);
    ng_table *t = budget_table(cfg, beregnet, r->aar);
    if (!t || ng_table_evaluate(t) != NG_OK) {
        ng_table_free(t);
        return NG_ERR_NOMEM;
    }
    int total = ng_table_row(t, "i_alt");
    double merindtaegt = ng_table_cell(t, total, C_DIFF)->num;
    double expected = ng_table_cell(t, total, C_BEREGNET)->num;
    st = ng_dataset_add_table(ds, t);
    ng_table *a = st == NG_OK ? aconto_table(expected, r->aar) : NULL;
    if (st == NG_OK && (!a || ng_table_evaluate(a) != NG_OK)) {
        ng_table_free(a);
        return NG_ERR_NOMEM;
    }
    if (st == NG_OK)
        st = ng_dataset_add_table(ds, a);
    if (st == NG_OK)
        st = ng_dataset_set_num(ds, "refusionsbudget", NG_UNIT_KR, cfg->refusionsbudget,
                                "Årets budgetterede refusionsindtægt");
    if (st == NG_OK)
        st = ng_dataset_set_num(ds, "refusion_merindtaegt", NG_UNIT_KR, merindtaegt,
                                "Forventet refusion minus budget (merindtægt, negativ: "
                                "mindreindtægt)");
    if (st == NG_OK) {
        ng_date settle = {r->aar + 1, 5, 15};
        st = ng_dataset_set_num(ds, "refusion_opgoerelse_dato", NG_UNIT_DATO,
                                (double)ng_date_to_days(settle),
                                "Frist for den endelige opgørelse (15. maj året efter)");
    }
    return st;
}

double ng_refusionsbudget_merindtaegt_social(const ng_dataset *ds)
{
    const ng_table *t = ng_dataset_table(ds, "refusionsbudget");
    if (!t)
        return 0;
    /* the social area including the omsorgsområde (seed 004): what it keeps */
    double sum = 0;
    const char *areas[] = {"voksen", "aeldre"};
    for (int i = 0; i < 2; i++) {
        int row = ng_table_row(t, areas[i]);
        if (row >= 0)
            sum += ng_table_cell(t, row, C_AREA_KEEPS)->num;
    }
    return sum;
}
