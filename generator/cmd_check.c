/*
 * cmd_check.c -- `notatgen check`: validate the configuration and every
 * configured input without computing or rendering anything.
 *
 *   notatgen check -c FILE [--dato YYYY-MM-DD] [--udtraek FILE]
 *
 * Writes nothing but the rejects file of the extract (afviste_<name> in the
 * output directory, created 0700 when missing); prints the diagnostics to
 * stderr and each input's reconciliation to stdout. Exit status 0 when every
 * input is usable, 1 when an input is rejected, 2 for usage or configuration
 * errors, 3 for I/O errors (status.h).
 */
#include <stdio.h>
#include <string.h>

#include "notatgen/cli.h"
#include "notatgen/budget.h"
#include "notatgen/config.h"
#include "notatgen/forecast.h"
#include "notatgen/initiatives.h"
#include "notatgen/diag.h"
#include "notatgen/dk.h"
#include "notatgen/ingest.h"
#include "notatgen/status.h"

typedef struct {
    const char *config_path;
    const char *udtraek; /* --udtraek: read this file instead of [udtraek] fil */
    bool has_dato;
    ng_date dato;
} check_args;

static const char check_usage[] =
    "Brug: notatgen check -c FIL [--dato ÅÅÅÅ-MM-DD] [--udtraek FIL]\n"
    "  Kontrollér konfigurationen og alle input. Skriver kun afvisningsfilen\n"
    "  (afviste_<udtræk>) i output-mappen og udskriver afstemningen.\n";

static ng_status parse_args(int argc, char **argv, check_args *a, ng_diags *diags)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool has_value = i + 1 < argc;
        if ((!strcmp(arg, "-c") || !strcmp(arg, "--config")) && has_value) {
            a->config_path = argv[++i];
        } else if (!strcmp(arg, "--udtraek") && has_value) {
            a->udtraek = argv[++i];
        } else if (!strcmp(arg, "--dato") && has_value) {
            const char *v = argv[++i];
            if (ng_parse_date(v, &a->dato, NULL) != NG_OK) {
                ng_error(diags, NULL, 0, 0, "--dato er ikke en dato: '%s' (skriv ÅÅÅÅ-MM-DD)", v);
                return NG_ERR_USAGE;
            }
            a->has_dato = true;
        } else {
            ng_error(diags, NULL, 0, 0, "ukendt eller ufuldstændigt argument: '%s'", arg);
            return NG_ERR_USAGE;
        }
    }
    if (!a->config_path) {
        ng_error(diags, NULL, 0, 0, "mangler -c FIL (konfigurationsfilen)");
        return NG_ERR_USAGE;
    }
    return NG_OK;
}

/* The extract must have a date: from the config, --dato or its file name
 * (SPEC §2); `run` needs it for the monthly series. */
static ng_status check_extract_date(const ng_config *cfg, const check_args *a, const char *path,
                                    ng_diags *diags)
{
    ng_date d;
    if (cfg->has_udtraek_dato || a->has_dato || ng_date_from_filename(path, &d))
        return NG_OK;
    ng_error(diags, cfg->config_path, 0, 0,
             "udtrækkets dato kendes ikke: sæt [udtraek] dato, brug --dato ÅÅÅÅ-MM-DD, eller "
             "lad filnavnet indeholde datoen (fx sager_2026-10-31.csv)");
    return NG_ERR_CONFIG;
}

/* ---- one check per configured input ---------------------------------------- */

static ng_status check_udtraek(const ng_config *cfg, const check_args *a, ng_diags *diags)
{
    const char *path = a->udtraek ? a->udtraek : cfg->udtraek.path;
    if (!path) {
        ng_error(diags, cfg->config_path, 0, 0, "[udtraek] fil mangler");
        return NG_ERR_CONFIG;
    }
    ng_status date_st = check_extract_date(cfg, a, path, diags);
    ng_reconciliation rec;
    /* No cases: validation only, the same report in a fraction of the
     * memory (ingest.h). */
    ng_status st = ng_load_extract(cfg, a->udtraek, NULL, NULL, &rec, diags);
    if (st == NG_OK || rec.rows_read > 0)
        ng_reconciliation_print(&rec, path, stdout);
    if (st == NG_OK)
        printf("%s: %zu sager\n", path, rec.cases);
    return st != NG_OK ? st : date_st;
}

/*
 * Hooks for the other inputs: when a reader for budget, initiativer or
 * befolkning exists, add its check here, with the same shape as
 * check_udtraek (read the configured file, add diagnostics, print its own
 * reconciliation to stdout, return a status). An input that is not configured
 * (path NULL) is skipped.
 */
typedef ng_status (*input_check)(const ng_config *cfg, const check_args *a, ng_diags *diags);

static ng_status check_budget(const ng_config *cfg, const check_args *a, ng_diags *diags)
{
    (void)a;
    if (!cfg->budget.path || !cfg->budget_model)
        return NG_OK;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_status st = ng_budget_outlook(cfg, cfg->budget_model, NULL, 0, &ds, diags);
    const ng_table *t = ng_dataset_table(&ds, "budgetoverslag");
    if (st == NG_OK && t)
        printf("%s: budgetoverslag med %d rækker\n", cfg->budget.path, t->nrows);
    ng_dataset_free(&ds);
    return st;
}

static ng_status check_initiativer(const ng_config *cfg, const check_args *a, ng_diags *diags)
{
    (void)a;
    if (!cfg->initiativer.path)
        return NG_OK;
    ng_initiatives in;
    ng_status st = ng_initiatives_read(&cfg->initiativer, &in, diags);
    if (st == NG_OK)
        printf("%s: %zu initiativer, %zu linjer, %d-%d\n", cfg->initiativer.path, in.nnames,
               in.nlines, in.years[0], in.years[in.nyears - 1]);
    ng_initiatives_free(&in);
    return st;
}

static ng_status check_fingerplan(const ng_config *cfg, const check_args *a, ng_diags *diags)
{
    (void)a;
    if (!cfg->fingerplan.path)
        return NG_OK;
    ng_fingerplan fp;
    ng_status st = ng_fingerplan_read(&cfg->fingerplan, &fp, diags);
    if (st == NG_OK)
        printf("%s: %zu initiativer, %d-%d\n", cfg->fingerplan.path, fp.nitems, fp.years[0],
               fp.years[fp.nyears - 1]);
    ng_fingerplan_free(&fp);
    return st;
}

/* The history file, the price index and an old forecast (imported into a
 * scratch database, so nothing is written). */
static ng_status check_prognose(const ng_config *cfg, const check_args *a, ng_diags *diags)
{
    (void)a;
    ng_status st = NG_OK;
    if (cfg->prognose_historik) {
        ng_sde_history h;
        st = ng_sde_history_read(cfg->prognose_historik, &h, diags);
        if (st == NG_OK)
            printf("%s: %d år (%d-%d), %zu udgiftsintervaller\n", cfg->prognose_historik, h.nyears,
                   h.years[0], h.years[h.nyears - 1], h.nbands);
        ng_sde_history_free(&h);
    }
    if (st == NG_OK && cfg->prisindeks) {
        ng_price_index idx;
        st = ng_price_index_read(cfg->prisindeks, &idx, diags);
        if (st == NG_OK)
            printf("%s: %zu år\n", cfg->prisindeks, idx.n);
    }
    if (st == NG_OK && cfg->prognose_tidligere) {
        sqlite3 *db = NULL;
        if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
            sqlite3_close(db);
            return NG_ERR_NOMEM;
        }
        st = ng_forecast_import_csv(db, cfg->prognose_tidligere, "check", diags);
        if (st == NG_OK)
            printf("%s: tidligere prognose kan læses\n", cfg->prognose_tidligere);
        sqlite3_close(db);
    }
    return st;
}

static const struct {
    const char *section; /* [section] in the configuration */
    input_check check;
} input_checks[] = {
    {"udtraek", check_udtraek},         {"budget", check_budget},
    {"initiativer", check_initiativer}, {"fingerplan", check_fingerplan},
    {"prognose", check_prognose},
    /* {"befolkning", check_befolkning}: added by its module */
};

/* The more serious of two outcomes, ranked by exit status. */
static ng_status worse(ng_status a, ng_status b)
{
    return ng_exit_code(b) > ng_exit_code(a) ? b : a;
}

int ng_cmd_check(int argc, char **argv)
{
    ng_diags diags;
    ng_diags_init(&diags);
    ng_config cfg;
    ng_config_init(&cfg);
    check_args a;
    ng_status st = parse_args(argc, argv, &a, &diags);
    if (st == NG_OK)
        st = ng_config_load(a.config_path, &cfg, &diags);
    if (st == NG_OK) {
        for (size_t i = 0; i < sizeof input_checks / sizeof *input_checks; i++)
            st = worse(st, input_checks[i].check(&cfg, &a, &diags));
    }
    fflush(stdout);
    ng_diags_print(&diags, stderr);
    if (st == NG_ERR_USAGE)
        fputs(check_usage, stderr);
    ng_config_free(&cfg);
    ng_diags_free(&diags);
    return ng_exit_code(st);
}
