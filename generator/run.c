/* run.c -- `notatgen run`: the nightly pipeline as one transaction.
 *
 *   config, SOURCE_DATE_EPOCH -> prepare (date, year, municipality) -> lock
 *   -> tidy what a killed run left -> compute every module (the history
 *   module first records a set a killed run published without recording)
 *   -> guard (declared names, plausibility, small cells, CPR) -> write the
 *   outputs, the message, the run's entry (the record file) and the
 *   manifest into a staging directory -> publish (one rename or exchange)
 *   -> commit the entry to the history store (one transaction) -> deliver
 *   (mail what is due) -> one log line.
 *
 * run.c knows no module: it sequences the steps of pipeline.h, which
 * iterate the declared modules (module.h). A failure before "publish"
 * leaves the last good outputs and every table of the history store as they
 * were: nothing is written outside the staging directory, and the store
 * learns of the run only once its outputs are in place. A run that dies
 * between publishing and the commit leaves its record file in the
 * published folder, and the next run commits it first.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "notatgen/cli.h"
#include "notatgen/config.h"
#include "notatgen/fault.h"
#include "notatgen/history.h"
#include "notatgen/manifest.h"
#include "notatgen/pipeline.h"
#include "notatgen/publish.h"
#include "notatgen/timing.h"

typedef struct {
    const char *config_path;
    bool has_dato;
    ng_date dato;
    const char *udtraek; /* --udtraek: another extract than the config's */
    bool dry_run;
    bool godkend; /* --godkend */
    bool tider;   /* --tider: per-stage times on stderr (timing.h) */
} run_options;

typedef struct {
    run_options opt;
    ng_config cfg;
    ng_diags diags;
    ng_pipeline p;
    ng_transaction txn; /* the lock, the staging folder, its publication */
    ng_manifest manifest;
    struct timespec started;
    ng_timing timing;
} run_ctx;

static const char run_usage[] = "Brug: notatgen run -c FIL [--dato ÅÅÅÅ-MM-DD] [--udtraek FIL] "
                                "[--dry-run] [--godkend] [--tider]\n";

static ng_status parse_options(int argc, char **argv, run_options *opt, ng_diags *diags)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},  {"dato", required_argument, NULL, 'd'},
        {"udtraek", required_argument, NULL, 'u'}, {"dry-run", no_argument, NULL, 'n'},
        {"godkend", no_argument, NULL, 'g'},       {"tider", no_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    memset(opt, 0, sizeof *opt);
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "c:d:u:ngth", longopts, NULL)) != -1) {
        const char *why = NULL;
        switch (ch) {
        case 'c':
            opt->config_path = optarg;
            break;
        case 'd':
            if (ng_parse_date(optarg, &opt->dato, &why) != NG_OK) {
                ng_error(diags, NULL, 0, 0, "--dato %s: '%s'", why, optarg);
                return NG_ERR_USAGE;
            }
            opt->has_dato = true;
            break;
        case 'u':
            opt->udtraek = optarg;
            break;
        case 'n':
            opt->dry_run = true;
            break;
        case 'g':
            opt->godkend = true;
            break;
        case 't':
            opt->tider = true;
            break;
        default:
            ng_error(diags, NULL, 0, 0, "%s", run_usage);
            return NG_ERR_USAGE;
        }
    }
    if (!opt->config_path || optind != argc) {
        ng_error(diags, NULL, 0, 0, "%s", run_usage);
        return NG_ERR_USAGE;
    }
    return NG_OK;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* After publishing: the entry in one transaction, then its record file
 * removed. When the commit fails the set stays published with its record
 * file, and the next run commits it first. */
static ng_status commit_entry(run_ctx *ctx)
{
    ng_pipeline *p = &ctx->p;
    ng_status st = ng_pipeline_commit(p);
    if (st != NG_OK) {
        ng_error(&ctx->diags, ctx->txn.stage.final_dir, 0, 0,
                 "output er udgivet, men historikken kunne ikke gemmes; næste kørsel gemmer den "
                 "først (fra mappens %s), før den gør andet",
                 NG_HISTORY_RECORD_FILE);
        return st;
    }
    ng_fault_point("committed");
    char *record = ng_path_join(ctx->txn.stage.final_dir, NG_HISTORY_RECORD_FILE);
    if (record && unlink(record) != 0)
        ng_warning(&ctx->diags, record, 0, 0,
                   "kan ikke slettes; næste kørsel sletter den (posten er gemt)");
    free(record);
    return NG_OK;
}

static ng_status configure(run_ctx *ctx)
{
    ng_pipeline *p = &ctx->p;
    ng_status st = ng_config_load(ctx->opt.config_path, &ctx->cfg, &ctx->diags);
    ng_timing_mark(&ctx->timing, "konfiguration");
    if (st != NG_OK)
        return st;
    ng_pipeline_init(p, &ctx->cfg, &ctx->diags);
    p->timing = &ctx->timing;
    p->extract_override = ctx->opt.udtraek;
    p->has_cli_dato = ctx->opt.has_dato;
    p->cli_dato = ctx->opt.dato;
    p->dry_run = ctx->opt.dry_run;
    p->cli_godkend = ctx->opt.godkend;
    st = ng_pipeline_source_date_epoch(p);
    if (st == NG_OK)
        st = ng_pipeline_prepare(p);
    return st;
}

static ng_status run_pipeline(run_ctx *ctx)
{
    ng_pipeline *p = &ctx->p;
    ng_status st = configure(ctx);
    if (st == NG_OK)
        st = ng_transaction_lock(&ctx->txn, p->output_dir, &ctx->diags);
    if (st == NG_OK)
        st = ng_output_tidy(p->output_dir, &ctx->diags);
    ng_timing_mark(&ctx->timing, "forberedelse");
    if (st == NG_OK)
        st = ng_pipeline_compute(p);
    ng_timing_mark(&ctx->timing, "beregning");
    if (st == NG_OK)
        st = ng_pipeline_guard(p);
    ng_timing_mark(&ctx->timing, "kontrol");
    if (st == NG_OK)
        st = ng_pipeline_write_outputs(p, &ctx->txn, &ctx->manifest, seconds_since(&ctx->started));
    ng_timing_mark(&ctx->timing, "manifest");
    if (st == NG_OK) {
        ng_fault_point("staged");
        st = ng_transaction_publish(&ctx->txn, &ctx->diags);
    }
    ng_timing_mark(&ctx->timing, "udgivelse");
    /* the history learns of the run only once its outputs are in place */
    if (st == NG_OK)
        st = commit_entry(ctx);
    ng_timing_mark(&ctx->timing, "historik: commit");
    if (st == NG_OK)
        st = ng_pipeline_deliver(p);
    ng_timing_mark(&ctx->timing, "levering");
    return st;
}

/* One line a person can read the next morning, on stderr and in syslog. */
static void print_log_line(run_ctx *ctx, ng_status st)
{
    const ng_pipeline *p = &ctx->p;
    const ng_value *total = ng_dataset_value(&p->ds, "refusion_i_alt");
    ng_log_facts facts = {
        .kommune = p->kommune,
        .dato = p->dato,
        .rec = p->has_rec && (p->rec.rows_read > 0 || st == NG_OK) ? &p->rec : NULL,
        .sager = p->cases && ng_cases_count(p->cases) ? (long)ng_cases_count(p->cases) : -1,
        .has_refusion = total != NULL,
        .refusion_kr = total ? total->num : 0,
        .written = p->written,
        .nwritten = ctx->txn.stage.published ? p->nwritten : 0,
        .godkendt = p->godkendt_note,
        .mail = p->mail_note,
        .status = ng_exit_code(st),
    };
    char *line = ng_log_line(&facts);
    if (!line)
        return;
    fprintf(stderr, "%s\n", line);
    if (p->syslog)
        ng_log_syslog(line, st != NG_OK);
    free(line);
}

static void run_cleanup(run_ctx *ctx)
{
    ng_manifest_free(&ctx->manifest);
    ng_pipeline_free(&ctx->p); /* the history store and its lock */
    ng_transaction_end(&ctx->txn);
    ng_config_free(&ctx->cfg);
    ng_diags_free(&ctx->diags);
}

int ng_cmd_run(int argc, char **argv)
{
    /* outputs, the history store and the lock are for the finance staff only */
    umask(077);
    run_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    clock_gettime(CLOCK_MONOTONIC, &ctx.started);
    ng_diags_init(&ctx.diags);
    ng_manifest_init(&ctx.manifest);
    ng_status st = parse_options(argc, argv, &ctx.opt, &ctx.diags);
    ng_timing_init(&ctx.timing, st == NG_OK && ng_timing_wanted(ctx.opt.tider));
    if (st == NG_OK)
        st = run_pipeline(&ctx);
    ng_diags_print(&ctx.diags, stderr);
    if (st != NG_ERR_USAGE)
        print_log_line(&ctx, st);
    run_cleanup(&ctx);
    ng_timing_mark(&ctx.timing, "oprydning");
    ng_timing_print(&ctx.timing, stderr);
    return ng_exit_code(st);
}
