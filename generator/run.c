/* run.c -- `notatgen run`: the nightly pipeline as one transaction.
 *
 *   config -> lock -> ingest -> refusion -> SDE tables -> history tables
 *   -> refusion budget, budget outlook -> registry check -> small-cell
 *   suppression and CPR guard -> render into a staging directory (data.json,
 *   bilag.xlsx, PDF memos, manifest.json; mail.eml with --dry-run), each
 *   output guarded -> publish (rename into place) -> record the snapshot
 *   -> mail (only when the outputs changed) -> one log line.
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

#include "notatgen/cli.h"
#include "notatgen/config.h"
#include "notatgen/forecast.h"
#include "notatgen/history.h"
#include "notatgen/ingest.h"
#include "notatgen/json.h"
#include "notatgen/mail.h"
#include "notatgen/manifest.h"
#include "notatgen/memo.h"
#include "notatgen/oekonomi.h"
#include "notatgen/pdf.h"
#include "notatgen/privacy.h"
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
    sqlite3 *forecast_db; /* the history store's file, for the forecasts */
    ng_stage stage;
    bool staged;
    const char *written[16]; /* names of the files written, for the log line */
    size_t nwritten;
    char *memo_names[16]; /* owned "NAME.pdf" strings behind written[] */
    size_t nmemo_names;
    ng_manifest manifest;
    bool outputs_changed;
    const char *mail_note; /* what happened to the mail, for the log line */
    bool has_epoch;
    long long epoch;
    struct timespec started;
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

/* The extract date: --dato, else the config's (unless --udtraek names another
 * file), else a date in the file name. */
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
/* Initiatives, fingerplan, forecasts and the budget outlook (oekonomi.h);
 * merindtægt SDES can come from the refusion budget. */
static ng_status economy(run_ctx *ctx)
{
    ng_budget_override ov[1];
    size_t n = 0;
    if (ctx->cfg.budget.path && ctx->cfg.merindtaegt_fra_refusion) {
        if (!ng_dataset_table(&ctx->ds, "refusionsbudget")) {
            ng_error(&ctx->diags, ctx->cfg.config_path, 0, 0,
                     "[budget] merindtaegt_fra_refusion = ja kræver afsnittet [refusionsbudget]");
            return NG_ERR_CONFIG;
        }
        ov[n++] = (ng_budget_override){"merindtaegt_sdes", ctx->aar,
                                       ng_refusionsbudget_merindtaegt_social(&ctx->ds)};
    }
    return ng_oekonomi_publish(&ctx->cfg, ctx->forecast_db, NULL, ov, n, &ctx->ds, &ctx->diags);
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
    /* forecasts live in the history store (opened, with its schema, above) */
    if (st == NG_OK && ctx->cfg.prognose_historik &&
        sqlite3_open_v2(ctx->cfg.historik_db, &ctx->forecast_db, SQLITE_OPEN_READWRITE, NULL) !=
            SQLITE_OK) {
        ng_error(&ctx->diags, ctx->cfg.historik_db, 0, 0, "kan ikke åbne historikken: %s",
                 sqlite3_errmsg(ctx->forecast_db));
        st = NG_ERR_IO;
    }
    /* initiatives, fingerplan, forecasts and the budget outlook; the new
     * forecasts are stored after publishing, with the history */
    if (st == NG_OK)
        st = economy(ctx);
    return st;
}

static void note_written(run_ctx *ctx, const char *name)
{
    if (ctx->nwritten < sizeof ctx->written / sizeof *ctx->written)
        ctx->written[ctx->nwritten++] = name;
}

static ng_status render_memo(run_ctx *ctx, const char *name)
{
    char file[256];
    snprintf(file, sizeof file, "%s.md", name);
    char *template_path = ng_path_join(ctx->cfg.template_dir, file);
    snprintf(file, sizeof file, "%s.pdf", name);
    char *pdf_path = ng_stage_path(&ctx->stage, file);
    ng_memo memo;
    ng_memo_init(&memo);
    ng_status st = template_path && pdf_path ? NG_OK : NG_ERR_NOMEM;
    ng_memo_meta meta;
    ng_config_memo_meta(&ctx->cfg, name, &meta);
    if (st == NG_OK)
        st = ng_template_render(template_path, &ctx->ds, &meta, &memo, &ctx->diags);
    if (st == NG_OK)
        st = ng_guard_memo(&memo, &ctx->diags);
    if (st == NG_OK) {
        ng_pdf_options po = {.font_dir = ctx->cfg.font_dir,
                             .has_source_date_epoch = ctx->has_epoch,
                             .source_date_epoch = ctx->epoch,
                             .author = ctx->cfg.kommune_navn,
                             .subject = memo.title};
        st = ng_pdf_write(&memo, &po, pdf_path, &ctx->diags);
    }
    if (st == NG_OK && ctx->nmemo_names < sizeof ctx->memo_names / sizeof *ctx->memo_names) {
        char *copy = strdup(file);
        if (copy) {
            ctx->memo_names[ctx->nmemo_names++] = copy;
            note_written(ctx, copy);
        }
    }
    ng_memo_free(&memo);
    free(template_path);
    free(pdf_path);
    return st;
}

static ng_status render_json(run_ctx *ctx)
{
    char *path = ng_stage_path(&ctx->stage, "data.json");
    ng_status st = path ? ng_json_write(&ctx->ds, path, &ctx->diags) : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = ng_guard_file(path, &ctx->diags);
    if (st == NG_OK)
        note_written(ctx, "data.json");
    free(path);
    return st;
}

static ng_status render_bilag(run_ctx *ctx)
{
    /* the internal case list (pseudonymous keys only), when configured */
    ng_xlsx_case *cases = NULL;
    size_t ncases = 0;
    if (ctx->cfg.case_list && ctx->refusion.n > 0) {
        cases = calloc(ctx->refusion.n, sizeof *cases);
        if (!cases)
            return NG_ERR_NOMEM;
        for (size_t i = 0; i < ctx->refusion.n; i++) {
            const ng_refusion_unit *u = &ctx->refusion.units[i];
            cases[ncases++] = (ng_xlsx_case){u->key, ng_omraade_key(u->omraade),
                                             (double)u->udgift / 100.0, u->trin};
        }
    }
    /* the bilag's `created` property: SOURCE_DATE_EPOCH, else the extract date */
    ng_xlsx_options xo = {
        .created_epoch =
            ctx->has_epoch ? ctx->epoch : (long long)ng_date_to_days(ctx->dato) * 86400,
        .title = "Bilag om særligt dyre enkeltsager",
        .author = ctx->cfg.kommune_navn,
        .cases = cases,
        .ncases = ncases,
        .tmpdir = ctx->stage.dir,
    };
    char *path = ng_stage_path(&ctx->stage, ctx->cfg.bilag_navn);
    ng_status st = path ? ng_xlsx_write(&ctx->ds, &xo, path, &ctx->diags) : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = ng_guard_xlsx(path, &ctx->diags);
    if (st == NG_OK)
        note_written(ctx, ctx->cfg.bilag_navn);
    free(path);
    free(cases);
    return st;
}

/* The manifest: inputs and outputs with their SHA-256, the thresholds, the
 * reconciliation. Written last into the staging directory. */
static ng_status write_manifest(run_ctx *ctx)
{
    ng_manifest *m = &ctx->manifest;
    ng_status st = ng_manifest_set_run(m, ctx->cfg.kommune_navn, ctx->dato);
    const char *extract = ctx->opt.udtraek ? ctx->opt.udtraek : ctx->cfg.udtraek.path;
    const char *inputs[] = {
        ctx->cfg.config_path,      extract,
        ctx->cfg.budget.path,      ctx->cfg.budget.path ? ctx->cfg.budget_model : NULL,
        ctx->cfg.initiativer.path, ctx->cfg.befolkning.path};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs && st == NG_OK; i++)
        if (inputs[i])
            st = ng_manifest_add_input(m, inputs[i], NULL, &ctx->diags);
    if (st == NG_OK)
        st = ng_manifest_add_output_dir(m, ctx->stage.dir, &ctx->diags);
    if (st != NG_OK)
        return st;
    ng_manifest_set_thresholds(m, ng_thresholds_for(&ctx->thresholds, ctx->aar));
    ng_manifest_set_reconciliation(m, &ctx->rec);
    if (!ctx->has_epoch) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        ng_manifest_set_duration(m, (double)(now.tv_sec - ctx->started.tv_sec) +
                                        (double)(now.tv_nsec - ctx->started.tv_nsec) / 1e9);
    }
    char *path = ng_stage_path(&ctx->stage, "manifest.json");
    st = path ? ng_manifest_write(m, path, &ctx->diags) : NG_ERR_NOMEM;
    free(path);
    return st;
}

/* The mail with the bilag (and the memos when configured) from dir. */
static ng_status send_or_write_mail(run_ctx *ctx, const char *dir, const char *eml_path)
{
    ng_mail_attachment att[17];
    size_t n = 0;
    char *paths[17] = {0};
    paths[n] = ng_path_join(dir, ctx->cfg.bilag_navn);
    att[n] = (ng_mail_attachment){.path = paths[n]};
    n++;
    for (size_t i = 0; ctx->cfg.mail.attach_pdf && i < ctx->nmemo_names && n < 17; i++) {
        paths[n] = ng_path_join(dir, ctx->memo_names[i]);
        att[n] = (ng_mail_attachment){.path = paths[n]};
        n++;
    }
    char *body = ng_mail_body(&ctx->ds, NULL, &ctx->diags);
    ng_status st = body ? NG_OK : NG_ERR_TEMPLATE;
    for (size_t i = 0; i < n && st == NG_OK; i++)
        if (!paths[i])
            st = NG_ERR_NOMEM;
    ng_mail_message msg = {.body = body,
                           .attachments = att,
                           .nattachments = n,
                           .date = ctx->has_epoch ? ctx->epoch : (long long)time(NULL)};
    if (st == NG_OK && eml_path)
        st = ng_mail_write_eml(&ctx->cfg.mail, &msg, eml_path, &ctx->diags);
    else if (st == NG_OK)
        st = ng_mail_send(&ctx->cfg.mail, &msg, NULL, &ctx->diags);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(body);
    return st;
}

static ng_status render_outputs(run_ctx *ctx)
{
    ng_status st = ng_stage_open(ctx->cfg.output_dir, ctx->dato, &ctx->stage, &ctx->diags);
    if (st != NG_OK)
        return st;
    ctx->staged = true;
    st = render_json(ctx);
    if (st == NG_OK)
        st = render_bilag(ctx);
    for (size_t i = 0; i < ctx->cfg.nnotater && st == NG_OK; i++)
        st = render_memo(ctx, ctx->cfg.notater[i]);
    if (st == NG_OK)
        st = write_manifest(ctx);
    /* new outputs? compared with this date's last published run */
    if (st == NG_OK) {
        char *previous = ng_path_join(ctx->stage.final_dir, "manifest.json");
        ctx->outputs_changed = !previous || ng_outputs_changed(previous, &ctx->manifest);
        free(previous);
    }
    if (st == NG_OK && ctx->opt.dry_run && ctx->cfg.has_mail) {
        char *eml = ng_stage_path(&ctx->stage, "mail.eml");
        st = eml ? send_or_write_mail(ctx, ctx->stage.dir, eml) : NG_ERR_NOMEM;
        free(eml);
        if (st == NG_OK) {
            note_written(ctx, "mail.eml");
            ctx->mail_note = "mail skrevet som mail.eml (--dry-run)";
        }
    }
    return st;
}

static ng_status take_lock(run_ctx *ctx)
{
    if (ng_mkdirs(ctx->cfg.output_dir, 0700) != NG_OK) {
        ng_error(&ctx->diags, ctx->cfg.output_dir, 0, 0, "kan ikke oprette output-mappen: %s",
                 strerror(errno));
        return NG_ERR_IO;
    }
    char *lock_path = ng_path_join(ctx->cfg.output_dir, ".notatgen.lock");
    if (!lock_path)
        return NG_ERR_NOMEM;
    ng_status st = ng_lock_acquire(lock_path, &ctx->lock, &ctx->diags);
    free(lock_path);
    ctx->locked = st == NG_OK;
    return st;
}

/* Mail after publication: a failure is exit 3 and the outputs stay. */
static ng_status deliver(run_ctx *ctx)
{
    if (!ctx->cfg.has_mail || ctx->opt.dry_run)
        return NG_OK;
    if (!ctx->outputs_changed) {
        ctx->mail_note = "mail ikke sendt: uændrede output";
        return NG_OK;
    }
    ng_status st = send_or_write_mail(ctx, ctx->stage.final_dir, NULL);
    ctx->mail_note = st == NG_OK ? "mail sendt" : "mail IKKE sendt";
    return st;
}

static ng_status run_pipeline(run_ctx *ctx)
{
    ng_status st = ng_config_load(ctx->opt.config_path, &ctx->cfg, &ctx->diags);
    if (st == NG_OK)
        st = decide_date(ctx);
    if (st == NG_OK)
        st = take_lock(ctx);
    if (st != NG_OK)
        return st;
    ctx->ds.kommune = strdup(ctx->cfg.kommune_navn);
    ctx->ds.kommunekode = ctx->cfg.kommune_kode ? strdup(ctx->cfg.kommune_kode) : NULL;
    ctx->ds.udtraek_dato = ctx->dato;
    st = load_and_compute(ctx);
    /* every published name must be one a template can know (templates/README.md) */
    if (st == NG_OK)
        st = ng_registry_check(&ctx->ds, &ctx->diags);
    if (st == NG_OK)
        st = ng_suppress_small_cells(&ctx->ds, ctx->cfg.mindste_celle, &ctx->diags);
    if (st == NG_OK)
        st = ng_guard_dataset(&ctx->ds, &ctx->diags);
    if (st == NG_OK)
        st = render_outputs(ctx);
    if (st == NG_OK) {
        st = ng_stage_publish(&ctx->stage, &ctx->diags);
        if (st == NG_OK)
            ctx->staged = false;
    }
    /* the history learns of the run only once its outputs are in place */
    if (st == NG_OK)
        st = ng_history_record(ctx->history, ctx->dato, ctx->cfg.kommune_navn, &ctx->refusion,
                               &ctx->diags);
    if (st == NG_OK && ctx->forecast_db) {
        char made_on[16];
        ng_fmt_date_iso(made_on, sizeof made_on, ctx->dato);
        st = ng_forecast_store_from_config(&ctx->cfg, ctx->forecast_db, made_on, &ctx->diags);
    }
    if (st == NG_OK)
        st = deliver(ctx);
    return st;
}

static void run_cleanup(run_ctx *ctx)
{
    if (ctx->staged)
        ng_stage_discard(&ctx->stage);
    ng_stage_free(&ctx->stage);
    sqlite3_close(ctx->forecast_db);
    if (ctx->history)
        ng_history_close(ctx->history);
    ng_manifest_free(&ctx->manifest);
    for (size_t i = 0; i < ctx->nmemo_names; i++)
        free(ctx->memo_names[i]);
    ng_dataset_free(&ctx->ds);
    ng_refusion_result_free(&ctx->refusion);
    ng_thresholds_free(&ctx->thresholds);
    ng_cases_free(ctx->cases);
    if (ctx->locked)
        ng_lock_release(&ctx->lock);
    ng_config_free(&ctx->cfg);
    ng_diags_free(&ctx->diags);
}

/* One line a person can read the next morning, on stderr and in syslog. */
static void print_log_line(run_ctx *ctx, ng_status st)
{
    const ng_value *total = ng_dataset_value(&ctx->ds, "refusion_i_alt");
    ng_log_facts facts = {
        .kommune = ctx->cfg.kommune_navn,
        .dato = ctx->dato,
        .rec = ctx->rec.rows_read > 0 || st == NG_OK ? &ctx->rec : NULL,
        .sager = ctx->cases && ng_cases_count(ctx->cases) ? (long)ng_cases_count(ctx->cases) : -1,
        .has_refusion = total != NULL,
        .refusion_kr = total ? total->num : 0,
        .written = ctx->written,
        .nwritten = st == NG_OK ? ctx->nwritten : 0,
        .mail = ctx->mail_note,
        .status = ng_exit_code(st),
    };
    char *line = ng_log_line(&facts);
    if (!line)
        return;
    fprintf(stderr, "%s\n", line);
    if (ctx->cfg.syslog)
        ng_log_syslog(line, st != NG_OK);
    free(line);
}

int ng_cmd_run(int argc, char **argv)
{
    /* outputs, the history store and the lock are for the finance staff only */
    umask(077);
    run_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    clock_gettime(CLOCK_MONOTONIC, &ctx.started);
    ng_diags_init(&ctx.diags);
    ng_config_init(&ctx.cfg);
    ng_dataset_init(&ctx.ds);
    ng_manifest_init(&ctx.manifest);
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
