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
#include "notatgen/config.h"
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
    ng_cases *cases = ng_cases_new();
    if (!cases)
        return NG_ERR_NOMEM;
    ng_reconciliation rec;
    ng_status st = ng_load_extract(cfg, a->udtraek, NULL, cases, &rec, diags);
    if (st == NG_OK || rec.rows_read > 0)
        ng_reconciliation_print(&rec, path, stdout);
    if (st == NG_OK)
        printf("%s: %zu sager\n", path, ng_cases_count(cases));
    ng_cases_free(cases);
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

static const struct {
    const char *section; /* [section] in the configuration */
    input_check check;
} input_checks[] = {
    {"udtraek", check_udtraek},
    /* {"budget", check_budget}, {"initiativer", check_initiativer},
     * {"befolkning", check_befolkning}: added by their modules */
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
