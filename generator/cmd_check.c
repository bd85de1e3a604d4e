/*
 * cmd_check.c -- `notatgen check`: validate the configuration and every
 * configured input, each module's own check (module.h), without rendering
 * or publishing anything.
 *
 *   notatgen check -c FILE [--dato YYYY-MM-DD] [--udtraek FILE]
 *
 * Writes nothing but the rejects file of the extract (afviste_<name> in the
 * output directory, created 0700 when missing); prints the diagnostics to
 * stderr and the extract's reconciliation to stdout. Exit status 0 when every
 * input is usable, 1 when an input is rejected, 2 for usage or configuration
 * errors, 3 for I/O errors (status.h).
 */
#include <stdio.h>
#include <string.h>

#include "notatgen/cli.h"
#include "notatgen/config.h"
#include "notatgen/pipeline.h"
#include "notatgen/timing.h"

typedef struct {
    const char *config_path;
    const char *udtraek; /* --udtraek: read this file instead of [udtraek] fil */
    bool has_dato;
    ng_date dato;
    bool tider; /* --tider: per-stage times on stderr (timing.h) */
} check_args;

static const char check_usage[] =
    "Brug: notatgen check -c FIL [--dato ÅÅÅÅ-MM-DD] [--udtraek FIL] [--tider]\n"
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
        } else if (!strcmp(arg, "--tider")) {
            a->tider = true;
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

static void print_reconciliation(const ng_pipeline *p, const ng_config *cfg, ng_status st)
{
    if (!p->has_rec || (st != NG_OK && p->rec.rows_read == 0))
        return;
    (void)cfg;
    const char *path = p->extract_path;
    ng_reconciliation_print(&p->rec, path ? path : "udtræk", stdout);
    if (st == NG_OK)
        printf("%s: %zu sager\n", path ? path : "udtræk", p->rec.cases);
}

int ng_cmd_check(int argc, char **argv)
{
    ng_diags diags;
    ng_diags_init(&diags);
    ng_config cfg;
    memset(&cfg, 0, sizeof cfg);
    ng_pipeline p;
    memset(&p, 0, sizeof p);
    check_args a;
    ng_status st = parse_args(argc, argv, &a, &diags);
    ng_timing timing;
    ng_timing_init(&timing, st == NG_OK && ng_timing_wanted(a.tider));
    if (st == NG_OK)
        st = ng_config_load(a.config_path, &cfg, &diags);
    ng_timing_mark(&timing, "konfiguration");
    if (st == NG_OK) {
        ng_pipeline_init(&p, &cfg, &diags);
        p.timing = &timing;
        p.extract_override = a.udtraek;
        p.has_cli_dato = a.has_dato;
        p.cli_dato = a.dato;
        /* every module checks, also when the extract date is unknown: the
         * officer sees every problem at once */
        st = ng_pipeline_prepare(&p);
        ng_timing_mark(&timing, "forberedelse");
        st = ng_worse_status(st, ng_pipeline_check(&p));
        ng_timing_mark(&timing, "kontrol");
        print_reconciliation(&p, &cfg, st);
    }
    fflush(stdout);
    ng_diags_print(&diags, stderr);
    if (st == NG_ERR_USAGE)
        fputs(check_usage, stderr);
    ng_pipeline_free(&p);
    ng_config_free(&cfg);
    ng_diags_free(&diags);
    ng_timing_print(&timing, stderr);
    return ng_exit_code(st);
}
