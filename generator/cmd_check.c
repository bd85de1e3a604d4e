/*
 * cmd_check.c -- `notatgen check`: everything `run` does except publishing,
 * recording and mailing, so that every error that would make `run` fail
 * makes `check` fail with the same message and exit status.
 *
 *   notatgen check -c FILE [--dato YYYY-MM-DD] [--udtraek FILE] [--godkend] [--tider]
 *
 * The same steps as run.c: the configuration and SOURCE_DATE_EPOCH, the
 * lock, every module's compute on the whole extract (the validation-only
 * reading of the ingest cannot predict what depends on the money: a year
 * without thresholds, the plausibility guards, the outputs), the guards,
 * and the outputs, the message, the run's entry and the manifest written
 * into a staging folder of the output directory -- which check then
 * removes. When a module's compute fails, the check steps of the modules
 * after it add what else is wrong, so the officer sees every problem at
 * once; the first message and the status are run's.
 *
 * Kept afterwards: the rejects file of the extract (afviste_<name> in the
 * output directory, created 0700 when missing) and the lock file. The
 * history store is read in a transaction that is rolled back (a set a
 * killed run published without recording is recorded there, as run would,
 * and undone); a store that does not exist is not created. Prints the
 * diagnostics to stderr and the extract's reconciliation to stdout.
 * Exit status as `run` (status.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/cli.h"
#include "notatgen/config.h"
#include "notatgen/dk.h"
#include "notatgen/manifest.h"
#include "notatgen/pipeline.h"
#include "notatgen/publish.h"
#include "notatgen/timing.h"

typedef struct {
    const char *config_path;
    const char *udtraek; /* --udtraek: read this file instead of [udtraek] fil */
    bool has_dato;
    ng_date dato;
    bool godkend;
    bool tider; /* --tider: per-stage times on stderr (timing.h) */
} check_args;

static const char check_usage[] =
    "Brug: notatgen check -c FIL [--dato ÅÅÅÅ-MM-DD] [--udtraek FIL] [--godkend] [--tider]\n"
    "  Gør alt, hvad run gør, undtagen at udgive, gemme i historikken og sende\n"
    "  mail. Skriver kun afvisningsfilen (afviste_<udtræk>) i output-mappen og\n"
    "  udskriver afstemningen.\n";

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
        } else if (!strcmp(arg, "--godkend")) {
            a->godkend = true;
        } else if (!strcmp(arg, "--tider")) {
            a->tider = true;
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

static void print_reconciliation(const ng_pipeline *p, ng_status st)
{
    if (!p->has_rec || (st != NG_OK && p->rec.rows_read == 0))
        return;
    /* a file name is masked like a value */
    char *path = ng_mask_cpr(p->extract_path ? p->extract_path : "udtræk");
    if (!path)
        return;
    ng_reconciliation_print(&p->rec, path, stdout);
    if (st == NG_OK)
        printf("%s: %zu sager\n", path, p->rec.cases);
    free(path);
}

/* run's steps up to publishing; the staging folder is the caller's to
 * remove. */
static ng_status check_pipeline(ng_pipeline *p, ng_transaction *t, ng_manifest *m)
{
    ng_status st = ng_pipeline_source_date_epoch(p);
    if (st == NG_OK)
        st = ng_pipeline_prepare(p);
    if (st != NG_OK) {
        /* run stops here too; the officer sees what else is wrong */
        ng_pipeline_check_inputs(p);
        return st;
    }
    st = ng_transaction_lock(t, p->output_dir, p->diags);
    ng_timing_mark(p->timing, "forberedelse");
    if (st == NG_OK)
        st = ng_pipeline_check(p);
    ng_timing_mark(p->timing, "beregning");
    if (st == NG_OK)
        st = ng_pipeline_guard(p);
    ng_timing_mark(p->timing, "kontrol");
    if (st == NG_OK)
        st = ng_pipeline_write_outputs(p, t, m, -1);
    ng_timing_mark(p->timing, "manifest");
    return st;
}

int ng_cmd_check(int argc, char **argv)
{
    ng_diags diags;
    ng_diags_init(&diags);
    ng_config cfg;
    memset(&cfg, 0, sizeof cfg);
    ng_pipeline p;
    memset(&p, 0, sizeof p);
    ng_transaction txn;
    memset(&txn, 0, sizeof txn);
    ng_manifest m;
    ng_manifest_init(&m);
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
        p.cli_godkend = a.godkend;
        st = check_pipeline(&p, &txn, &m);
        print_reconciliation(&p, st);
    }
    fflush(stdout);
    ng_diags_print(&diags, stderr);
    if (st == NG_ERR_USAGE)
        fputs(check_usage, stderr);
    ng_manifest_free(&m);
    ng_pipeline_free(&p);     /* rolls the store's trial back */
    ng_transaction_end(&txn); /* nothing was published: the staging folder goes */
    ng_config_free(&cfg);
    ng_diags_free(&diags);
    ng_timing_print(&timing, stderr);
    return ng_exit_code(st);
}
