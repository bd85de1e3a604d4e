/* run.c -- `notatgen run`: the nightly pipeline as one transaction.
 *
 *   config -> prepare (date, year, municipality) -> lock -> compute every
 *   module -> guard (declared names, small cells, CPR) -> render into a
 *   staging directory -> manifest -> publish (rename into place) -> record
 *   in the history store (one transaction) -> deliver (mail) -> one log line.
 *
 * run.c knows no module: it sequences the steps of pipeline.h, which
 * iterate the declared modules (module.h). A failure before "publish"
 * leaves the last good outputs and the history store as they were: nothing
 * is written outside the staging directory, and the history is recorded
 * only after the outputs are in place.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "notatgen/cli.h"
#include "notatgen/config.h"
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
    bool tider; /* --tider: per-stage times on stderr (timing.h) */
} run_options;

typedef struct {
    run_options opt;
    ng_config cfg;
    ng_diags diags;
    ng_pipeline p;
    ng_transaction txn;
    ng_manifest manifest;
    struct timespec started;
    ng_timing timing;
} run_ctx;

static const char run_usage[] =
    "Brug: notatgen run -c FIL [--dato ÅÅÅÅ-MM-DD] [--udtraek FIL] [--dry-run] [--tider]\n";

static ng_status parse_options(int argc, char **argv, run_options *opt, ng_diags *diags)
{
    static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
                                             {"dato", required_argument, NULL, 'd'},
                                             {"udtraek", required_argument, NULL, 'u'},
                                             {"dry-run", no_argument, NULL, 'n'},
                                             {"tider", no_argument, NULL, 't'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    memset(opt, 0, sizeof *opt);
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "c:d:u:nh", longopts, NULL)) != -1) {
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

/* The manifest: every input the modules read and every output with their
 * SHA-256, the thresholds, the reconciliation. Written last into the
 * staging directory. */
static ng_status write_manifest(run_ctx *ctx)
{
    ng_pipeline *p = &ctx->p;
    ng_manifest *m = &ctx->manifest;
    ng_status st = ng_manifest_set_run(m, p->kommune, p->dato);
    ng_pipeline_collect_inputs(p);
    if (p->inputs.nomem)
        st = NG_ERR_NOMEM;
    for (size_t i = 0; i < p->inputs.n && st == NG_OK; i++)
        st = ng_manifest_add_input_read(m, p->inputs.paths[i], p->has_rec ? &p->rec : NULL,
                                        &ctx->diags);
    if (st == NG_OK)
        st = ng_manifest_add_output_dir(m, ctx->txn.stage.dir, &ctx->diags);
    if (st != NG_OK)
        return st;
    ng_manifest_set_thresholds(m, p->thr);
    if (p->has_rec)
        ng_manifest_set_reconciliation(m, &p->rec);
    if (!p->has_epoch) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        ng_manifest_set_duration(m, (double)(now.tv_sec - ctx->started.tv_sec) +
                                        (double)(now.tv_nsec - ctx->started.tv_nsec) / 1e9);
    }
    char *path = ng_stage_path(&ctx->txn.stage, "manifest.json");
    st = path ? ng_manifest_write(m, path, &ctx->diags) : NG_ERR_NOMEM;
    free(path);
    /* new outputs? compared with this date's last published run */
    if (st == NG_OK) {
        char *previous = ng_path_join(ctx->txn.stage.final_dir, "manifest.json");
        p->outputs_changed = !previous || ng_outputs_changed(previous, m);
        free(previous);
    }
    return st;
}

static ng_status render_outputs(run_ctx *ctx)
{
    ng_pipeline *p = &ctx->p;
    ng_status st = ng_transaction_stage(&ctx->txn, p->output_dir, p->dato, &ctx->diags);
    if (st != NG_OK)
        return st;
    p->stage_dir = ctx->txn.stage.dir;
    p->final_dir = ctx->txn.stage.final_dir;
    st = ng_pipeline_render(p);
    if (st == NG_OK)
        st = write_manifest(ctx);
    return st;
}

static ng_status run_pipeline(run_ctx *ctx)
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
    ng_pipeline_source_date_epoch(p);
    st = ng_pipeline_prepare(p);
    if (st == NG_OK)
        st = ng_transaction_lock(&ctx->txn, p->output_dir, &ctx->diags);
    ng_timing_mark(&ctx->timing, "forberedelse");
    if (st == NG_OK)
        st = ng_pipeline_compute(p);
    ng_timing_mark(&ctx->timing, "beregning");
    if (st == NG_OK)
        st = ng_pipeline_guard(p);
    ng_timing_mark(&ctx->timing, "kontrol");
    if (st == NG_OK)
        st = render_outputs(ctx);
    ng_timing_mark(&ctx->timing, "manifest");
    if (st == NG_OK)
        st = ng_transaction_publish(&ctx->txn, &ctx->diags);
    ng_timing_mark(&ctx->timing, "udgivelse");
    /* the history learns of the run only once its outputs are in place */
    if (st == NG_OK)
        st = ng_pipeline_record(p);
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
        .nwritten = st == NG_OK ? p->nwritten : 0,
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
    ng_transaction_end(&ctx->txn);
    ng_manifest_free(&ctx->manifest);
    ng_pipeline_free(&ctx->p);
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
