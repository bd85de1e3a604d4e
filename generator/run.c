/* run.c -- `notatgen run`: the nightly pipeline as one transaction.
 *
 *   config -> lock -> ingest -> refusion -> SDE tables -> history tables
 *   -> budget, initiatives, forecast -> privacy -> render into a staging
 *   directory (data.json, bilag.xlsx, PDF memos) -> CPR guard -> publish
 *   (rename into place) -> record the snapshot -> mail -> one log line.
 *
 * A failure before "publish" leaves the last good outputs and the history
 * store as they were: nothing is written outside the staging directory, and
 * the snapshot is recorded only after the outputs are in place.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "notatgen/budget.h"
#include "notatgen/cli.h"
#include "notatgen/config.h"
#include "notatgen/history.h"
#include "notatgen/ingest.h"
#include "notatgen/json.h"
#include "notatgen/memo.h"
#include "notatgen/pdf.h"
#include "notatgen/publish.h"
#include "notatgen/refusion.h"
#include "notatgen/refusionsbudget.h"
#include "notatgen/registry.h"
#include "notatgen/table.h"
#include "notatgen/template.h"
#include "notatgen/xlsx.h"

typedef struct {
    const char *config_path;
    bool has_dato;
    ng_date dato;
    const char *udtraek; /* --udtraek: another extract than the config's */
    bool dry_run;
} run_options;

typedef struct {
    run_options opt;
    ng_config cfg;
    ng_diags diags;
    ng_lock lock;
    bool locked;
    ng_cases *cases;
    ng_reconciliation rec;
    ng_date dato;
    int aar;
    ng_thresholds thresholds;
    ng_refusion_result refusion;
    ng_dataset ds;
    ng_history *history;
    ng_stage stage;
    bool staged;
    char written[512]; /* names of the files written, for the log line */
    bool has_epoch;
    long long epoch;
} run_ctx;

static const char run_usage[] =
    "Brug: notatgen run -c FIL [--dato ÅÅÅÅ-MM-DD] [--udtraek FIL] [--dry-run]\n";

static ng_status parse_options(int argc, char **argv, run_options *opt, ng_diags *diags)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},  {"dato", required_argument, NULL, 'd'},
        {"udtraek", required_argument, NULL, 'u'}, {"dry-run", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
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

/* The extract date: the config, else --dato, else the file name. */
static ng_status decide_date(run_ctx *ctx)
{
    const char *path = ctx->opt.udtraek ? ctx->opt.udtraek : ctx->cfg.udtraek.path;
    if (ctx->opt.has_dato)
        ctx->dato = ctx->opt.dato;
    else if (ctx->cfg.has_udtraek_dato && !ctx->opt.udtraek)
        ctx->dato = ctx->cfg.udtraek_dato;
    else if (!ng_date_from_filename(path, &ctx->dato)) {
        ng_error(&ctx->diags, ctx->cfg.config_path, 0, 0,
                 "udtrækkets dato kendes ikke: angiv [udtraek] dato, --dato eller en dato i "
                 "filnavnet (fx sager_2025-10-31.csv)");
        return NG_ERR_CONFIG;
    }
    ctx->aar = ctx->cfg.refusion_aar ? ctx->cfg.refusion_aar : ctx->dato.y;
    return NG_OK;
}

/* The budget outlook; the year's merindtægt SDES comes from the refusion
 * income budget when the config says so. */
static ng_status budget_outlook(run_ctx *ctx)
{
    ng_budget_override ov[1];
    size_t n = 0;
    if (ctx->cfg.merindtaegt_fra_refusion) {
        if (!ng_dataset_table(&ctx->ds, "refusionsbudget")) {
            ng_error(&ctx->diags, ctx->cfg.config_path, 0, 0,
                     "[budget] merindtaegt_fra_refusion = ja kræver afsnittet [refusionsbudget]");
            return NG_ERR_CONFIG;
        }
        ov[n++] = (ng_budget_override){"merindtaegt_sdes", ctx->aar,
                                       ng_refusionsbudget_merindtaegt_social(&ctx->ds)};
    }
    return ng_budget_outlook(&ctx->cfg, ctx->cfg.budget_model, ov, n, &ctx->ds, &ctx->diags);
}

static ng_status load_and_compute(run_ctx *ctx)
{
    ng_status st =
        ng_load_extract(&ctx->cfg, ctx->opt.udtraek, NULL, ctx->cases, &ctx->rec, &ctx->diags);
    if (st != NG_OK)
        return st;
    st = ng_thresholds_load(ng_thresholds_default_path(), &ctx->cfg, &ctx->thresholds, &ctx->diags);
    if (st == NG_OK)
        st = ng_thresholds_require(&ctx->thresholds, ctx->aar, &ctx->diags);
    if (st != NG_OK)
        return st;
    const ng_threshold_year *thr = ng_thresholds_for(&ctx->thresholds, ctx->aar);
    st = ng_refusion_compute(ctx->cases, thr, ctx->aar, &ctx->refusion, &ctx->diags);
    if (st == NG_OK)
        st = ng_sde_tables(&ctx->refusion, thr, &ctx->cfg, NULL, 0, &ctx->ds, &ctx->diags);
    if (st == NG_OK)
        st = ng_history_open(ctx->cfg.historik_db, &ctx->history, &ctx->diags);
    if (st == NG_OK)
        st = ng_history_tables(ctx->history, ctx->dato, &ctx->refusion, &ctx->ds, &ctx->diags);
    if (st == NG_OK && ctx->cfg.refusionsbudget > 0)
        st = ng_refusionsbudget_tables(&ctx->refusion, &ctx->cfg, &ctx->ds, &ctx->diags);
    if (st == NG_OK && ctx->cfg.budget.path)
        st = budget_outlook(ctx);
    return st;
}

static void note_written(run_ctx *ctx, const char *name)
{
    size_t len = strlen(ctx->written);
    snprintf(ctx->written + len, sizeof ctx->written - len, "%s%s", len ? ", " : "", name);
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static ng_status render_memo(run_ctx *ctx, const char *name)
{
    char file[256];
    snprintf(file, sizeof file, "%s.md", name);
    char *template_path = join_path(ctx->cfg.template_dir, file);
    snprintf(file, sizeof file, "%s.pdf", name);
    char *pdf_path = ng_stage_path(&ctx->stage, file);
    ng_memo memo;
    ng_memo_init(&memo);
    ng_status st = template_path && pdf_path ? NG_OK : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = ng_template_render(template_path, &ctx->ds, &ctx->cfg.memo, &memo, &ctx->diags);
    if (st == NG_OK) {
        ng_pdf_options po = {.font_dir = ctx->cfg.font_dir,
                             .has_source_date_epoch = ctx->has_epoch,
                             .source_date_epoch = ctx->epoch,
                             .author = ctx->cfg.kommune_navn,
                             .subject = memo.title};
        st = ng_pdf_write(&memo, &po, pdf_path, &ctx->diags);
    }
    if (st == NG_OK)
        note_written(ctx, file);
    ng_memo_free(&memo);
    free(template_path);
    free(pdf_path);
    return st;
}

static ng_status render_outputs(run_ctx *ctx)
{
    ng_status st = ng_stage_open(ctx->cfg.output_dir, ctx->dato, &ctx->stage, &ctx->diags);
    if (st != NG_OK)
        return st;
    ctx->staged = true;
    char *json_path = ng_stage_path(&ctx->stage, "data.json");
    st = json_path ? ng_json_write(&ctx->ds, json_path, &ctx->diags) : NG_ERR_NOMEM;
    free(json_path);
    if (st != NG_OK)
        return st;
    note_written(ctx, "data.json");
    /* the bilag's `created` property: SOURCE_DATE_EPOCH, else the extract date */
    ng_xlsx_options xo = {
        .created_epoch =
            ctx->has_epoch ? ctx->epoch : (long long)ng_date_to_days(ctx->dato) * 86400,
        .title = "Bilag om særligt dyre enkeltsager",
        .author = ctx->cfg.kommune_navn,
    };
    char *xlsx_path = ng_stage_path(&ctx->stage, ctx->cfg.bilag_navn);
    st = xlsx_path ? ng_xlsx_write(&ctx->ds, &xo, xlsx_path, &ctx->diags) : NG_ERR_NOMEM;
    free(xlsx_path);
    if (st != NG_OK)
        return st;
    note_written(ctx, ctx->cfg.bilag_navn);
    for (size_t i = 0; i < ctx->cfg.nnotater && st == NG_OK; i++)
        st = render_memo(ctx, ctx->cfg.notater[i]);
    return st;
}

static ng_status run_pipeline(run_ctx *ctx)
{
    ng_status st = ng_config_load(ctx->opt.config_path, &ctx->cfg, &ctx->diags);
    if (st != NG_OK)
        return st;
    st = decide_date(ctx);
    if (st != NG_OK)
        return st;
    char *lock_path = join_path(ctx->cfg.output_dir, ".notatgen.lock");
    if (!lock_path)
        return NG_ERR_NOMEM;
    if (ng_mkdirs(ctx->cfg.output_dir, 0700) != NG_OK) {
        ng_error(&ctx->diags, ctx->cfg.output_dir, 0, 0, "kan ikke oprette output-mappen: %s",
                 strerror(errno));
        free(lock_path);
        return NG_ERR_IO;
    }
    st = ng_lock_acquire(lock_path, &ctx->lock, &ctx->diags);
    free(lock_path);
    if (st != NG_OK)
        return st;
    ctx->locked = true;
    ctx->ds.kommune = strdup(ctx->cfg.kommune_navn);
    ctx->ds.kommunekode = ctx->cfg.kommune_kode ? strdup(ctx->cfg.kommune_kode) : NULL;
    ctx->ds.udtraek_dato = ctx->dato;
    st = load_and_compute(ctx);
    /* every published name must be one a template can know (templates/README.md) */
    if (st == NG_OK)
        st = ng_registry_check(&ctx->ds, &ctx->diags);
    if (st == NG_OK)
        st = render_outputs(ctx);
    if (st == NG_OK) {
        st = ng_stage_publish(&ctx->stage, &ctx->diags);
        if (st == NG_OK)
            ctx->staged = false;
    }
    if (st == NG_OK)
        st = ng_history_record(ctx->history, ctx->dato, ctx->cfg.kommune_navn, &ctx->refusion,
                               &ctx->diags);
    return st;
}

static void run_cleanup(run_ctx *ctx)
{
    if (ctx->staged)
        ng_stage_discard(&ctx->stage);
    ng_stage_free(&ctx->stage);
    if (ctx->history)
        ng_history_close(ctx->history);
    ng_dataset_free(&ctx->ds);
    ng_refusion_result_free(&ctx->refusion);
    ng_thresholds_free(&ctx->thresholds);
    ng_cases_free(ctx->cases);
    if (ctx->locked)
        ng_lock_release(&ctx->lock);
    ng_config_free(&ctx->cfg);
    ng_diags_free(&ctx->diags);
}

/* One line a person can read the next morning. */
static void print_log_line(const run_ctx *ctx, ng_status st)
{
    char date[16], refusion[32];
    ng_fmt_date_iso(date, sizeof date, ctx->dato);
    const ng_value *total = ng_dataset_value(&ctx->ds, "refusion_i_alt");
    ng_fmt_mio(refusion, sizeof refusion, total ? total->num : 0);
    fprintf(stderr,
            "notatgen %s %s: rækker læst %ld, brugt %ld, afvist %ld; %zu sager; refusion %s mio. "
            "kr.; skrevet: %s; status %d (%s)\n",
            date, ctx->cfg.kommune_navn ? ctx->cfg.kommune_navn : "?", ctx->rec.rows_read,
            ctx->rec.rows_used, ctx->rec.rows_rejected, ctx->cases ? ng_cases_count(ctx->cases) : 0,
            refusion, ctx->written[0] ? ctx->written : "intet", ng_exit_code(st), ng_strerror(st));
}

int ng_cmd_run(int argc, char **argv)
{
    /* outputs, the history store and the lock are for the finance staff only */
    umask(077);
    run_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ng_diags_init(&ctx.diags);
    ng_config_init(&ctx.cfg);
    ng_dataset_init(&ctx.ds);
    ctx.cases = ng_cases_new();
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        ctx.has_epoch = true;
        ctx.epoch = strtoll(epoch, NULL, 10);
    }
    ng_status st = ctx.cases ? parse_options(argc, argv, &ctx.opt, &ctx.diags) : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = run_pipeline(&ctx);
    ng_diags_print(&ctx.diags, stderr);
    if (st != NG_ERR_USAGE)
        print_log_line(&ctx, st);
    run_cleanup(&ctx);
    return ng_exit_code(st);
}
