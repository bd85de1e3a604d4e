/* cmd_samlet.c -- `notatgen samlet`: the reduce step of a benchmark across
 * municipalities. The data.json of many municipalities' own runs (the map
 * step: each run on its own machine, or one task of a batch scheduler;
 * docs/nationalt.md) become one comparison, rendered as the benchmark memo,
 * a bilag and data.json in OUT/samlet/ÅÅÅÅ-MM-DD/.
 *
 *   config (kommune, output, privatliv) -> read every data.json (benchmark.h)
 *   -> guard (declared names, small cells, CPR) -> render into a staging
 *   directory -> manifest -> publish
 *
 * Like `run`, a failure before publishing leaves the last outputs as they
 * were, and one lock (OUT/.notatgen.lock) keeps it from running beside the
 * nightly run of the same output folder.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "notatgen/benchmark.h"
#include "notatgen/cli.h"
#include "notatgen/config.h"
#include "notatgen/manifest.h"
#include "notatgen/modules.h"
#include "notatgen/output.h"
#include "notatgen/pipeline.h"
#include "notatgen/publish.h"

static const char samlet_usage[] =
    "Brug: notatgen samlet -c FIL [--dato ÅÅÅÅ-MM-DD] DATA.json|MAPPE...\n";

/* The memo the reduce renders. */
static char benchmark_memo[] = "benchmark";

typedef struct {
    const char *config_path;
    bool has_dato;
    ng_date dato;
    char **inputs; /* the data.json files, directories expanded */
    size_t ninputs, capinputs;
} samlet_options;

typedef struct {
    samlet_options opt;
    ng_config cfg;
    ng_diags diags;
    ng_pipeline p;
    ng_transaction txn;
    ng_manifest manifest;
} samlet_ctx;

/* The modules a reduce runs (their prepare, and their required keys): the
 * municipality the memo is for, the output folder and the small cells. */
static const ng_module *const used_modules[] = {&ng_module_kommune, &ng_module_output,
                                                &ng_module_privatliv};

static bool required_of(const ng_module *m)
{
    for (size_t i = 0; i < sizeof used_modules / sizeof *used_modules; i++)
        if (used_modules[i] == m)
            return true;
    return false;
}

static bool add_input(samlet_options *o, const char *path)
{
    if (o->ninputs == o->capinputs) {
        size_t cap = o->capinputs ? 2 * o->capinputs : 16;
        char **more = realloc(o->inputs, cap * sizeof *more);
        if (!more)
            return false;
        o->inputs = more;
        o->capinputs = cap;
    }
    return (o->inputs[o->ninputs] = strdup(path)) != NULL && ++o->ninputs;
}

static int json_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 5 && !strcmp(e->d_name + n - 5, ".json");
}

/* A directory gives every *.json in it, by name (the map step's copies:
 * KODE.json); a file itself. */
static ng_status expand_input(samlet_options *o, const char *arg, ng_diags *diags)
{
    struct stat st;
    if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode))
        return add_input(o, arg) ? NG_OK : NG_ERR_NOMEM;
    struct dirent **list = NULL;
    int n = scandir(arg, &list, json_file, alphasort);
    if (n < 0) {
        ng_error(diags, arg, 0, 0, "kan ikke læse mappen");
        return NG_ERR_IO;
    }
    ng_status result = n ? NG_OK : NG_ERR_INPUT;
    if (!n)
        ng_error(diags, arg, 0, 0, "mappen har ingen .json-filer");
    for (int i = 0; i < n; i++) {
        char *path = ng_path_join(arg, list[i]->d_name);
        if (!path || !add_input(o, path))
            result = NG_ERR_NOMEM;
        free(path);
        free(list[i]);
    }
    free(list);
    return result;
}

static ng_status parse_options(int argc, char **argv, samlet_options *opt, ng_diags *diags)
{
    static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
                                             {"dato", required_argument, NULL, 'd'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "c:d:h", longopts, NULL)) != -1) {
        const char *why = NULL;
        if (ch == 'c') {
            opt->config_path = optarg;
        } else if (ch == 'd' && ng_parse_date(optarg, &opt->dato, &why) == NG_OK) {
            opt->has_dato = true;
        } else {
            ng_error(diags, NULL, 0, 0, ch == 'd' ? "--dato %s: '%s'" : "%s",
                     ch == 'd' ? why : samlet_usage, optarg);
            return NG_ERR_USAGE;
        }
    }
    if (!opt->config_path || optind == argc) {
        ng_error(diags, NULL, 0, 0, "%s", samlet_usage);
        return NG_ERR_USAGE;
    }
    ng_status st = NG_OK;
    for (int i = optind; i < argc && st == NG_OK; i++)
        st = expand_input(opt, argv[i], diags);
    return st;
}

static ng_status prepare(samlet_ctx *ctx)
{
    ng_pipeline *p = &ctx->p;
    ng_status st = NG_OK;
    for (size_t i = 0; i < sizeof used_modules / sizeof *used_modules && st == NG_OK; i++) {
        const ng_module *m = used_modules[i];
        const void *o = ng_module_options(&ctx->cfg, m);
        if (m->prepare && o)
            st = m->prepare(o, p);
    }
    return st;
}

/* The manifest: the configuration, the template, the municipalities and
 * every data.json read, and every output with its SHA-256. */
static ng_status write_manifest(samlet_ctx *ctx)
{
    ng_pipeline *p = &ctx->p;
    ng_manifest *m = &ctx->manifest;
    const ng_output_options *out = ng_module_options(&ctx->cfg, &ng_module_output);
    char *tpl = ng_output_template_path(out, benchmark_memo);
    ng_status st = tpl ? ng_manifest_set_run(m, p->kommune, p->dato) : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = ng_manifest_add_input(m, ctx->opt.config_path, NULL, &ctx->diags);
    if (st == NG_OK)
        st = ng_manifest_add_input(m, tpl, NULL, &ctx->diags);
    for (size_t i = 0; i < p->inputs.n && st == NG_OK; i++)
        st = ng_manifest_add_input(m, p->inputs.paths[i], NULL, &ctx->diags);
    if (st == NG_OK)
        st = ng_manifest_add_output_dir(m, ctx->txn.stage.dir, &ctx->diags);
    char *path = st == NG_OK ? ng_stage_path(&ctx->txn.stage, "manifest.json") : NULL;
    if (st == NG_OK)
        st = path ? ng_manifest_write(m, path, &ctx->diags) : NG_ERR_NOMEM;
    free(path);
    free(tpl);
    return st;
}

static ng_status render(samlet_ctx *ctx)
{
    ng_pipeline *p = &ctx->p;
    char *dir = ng_path_join(p->output_dir, "samlet");
    ng_status st = dir ? ng_transaction_stage(&ctx->txn, dir, p->dato, &ctx->diags) : NG_ERR_NOMEM;
    free(dir);
    if (st != NG_OK)
        return st;
    p->stage_dir = ctx->txn.stage.dir;
    p->final_dir = ctx->txn.stage.final_dir;
    char *memos[] = {benchmark_memo};
    st = ng_output_render(ng_module_options(&ctx->cfg, &ng_module_output), p, memos, 1);
    if (st == NG_OK)
        st = write_manifest(ctx);
    return st;
}

static ng_status run_samlet(samlet_ctx *ctx)
{
    ng_pipeline *p = &ctx->p;
    ng_status st = ng_config_load_for(ctx->opt.config_path, &ctx->cfg, &ctx->diags, required_of);
    if (st != NG_OK)
        return st;
    ng_pipeline_init(p, &ctx->cfg, &ctx->diags);
    p->has_cli_dato = ctx->opt.has_dato;
    p->cli_dato = ctx->opt.dato;
    st = ng_pipeline_source_date_epoch(p);
    if (st == NG_OK)
        st = prepare(ctx);
    if (st == NG_OK)
        st = ng_transaction_lock(&ctx->txn, p->output_dir, &ctx->diags);
    if (st == NG_OK)
        st = ng_bench_reduce(p, ctx->opt.inputs, ctx->opt.ninputs);
    if (st == NG_OK)
        st = ng_pipeline_guard(p);
    if (st == NG_OK)
        st = render(ctx);
    if (st == NG_OK)
        st = ng_transaction_publish(&ctx->txn, &ctx->diags);
    return st;
}

/* One line for the log: what was combined and written. */
static void print_log_line(const samlet_ctx *ctx, ng_status st)
{
    const ng_pipeline *p = &ctx->p;
    const ng_value *n = ng_dataset_value(&p->ds, "benchmark_antal_kommuner");
    const ng_value *kv = ng_dataset_value(&p->ds, "befolkning_kvartal");
    char date[32] = "";
    if (p->has_dato)
        ng_fmt_date_iso(date, sizeof date, p->dato);
    fprintf(stderr, "notatgen samlet %s %s: %zu filer læst", date, p->kommune ? p->kommune : "",
            ctx->opt.ninputs);
    if (n && kv && kv->text)
        fprintf(stderr, "; %.0f kommuner sammenlignet (befolkningen %s)", n->num, kv->text);
    if (st == NG_OK) {
        fprintf(stderr, "; skrevet");
        for (size_t i = 0; i < p->nwritten; i++)
            fprintf(stderr, "%s %s", i ? "," : "", p->written[i]);
        fprintf(stderr, " i %s", ctx->txn.stage.final_dir);
    }
    fprintf(stderr, "; status %d\n", ng_exit_code(st));
}

static void samlet_cleanup(samlet_ctx *ctx)
{
    ng_transaction_end(&ctx->txn);
    ng_manifest_free(&ctx->manifest);
    ng_pipeline_free(&ctx->p);
    ng_config_free(&ctx->cfg);
    for (size_t i = 0; i < ctx->opt.ninputs; i++)
        free(ctx->opt.inputs[i]);
    free(ctx->opt.inputs);
    ng_diags_free(&ctx->diags);
}

int ng_cmd_samlet(int argc, char **argv)
{
    /* outputs and the lock are for the finance staff only */
    umask(077);
    samlet_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ng_diags_init(&ctx.diags);
    ng_manifest_init(&ctx.manifest);
    ng_status st = parse_options(argc, argv, &ctx.opt, &ctx.diags);
    if (st == NG_OK)
        st = run_samlet(&ctx);
    ng_diags_print(&ctx.diags, stderr);
    if (st != NG_ERR_USAGE)
        print_log_line(&ctx, st);
    samlet_cleanup(&ctx);
    return ng_exit_code(st);
}
