/* pipeline.c -- the core that runs the declared modules (see pipeline.h). */
#include "notatgen/pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/history.h"
#include "notatgen/manifest.h"
#include "notatgen/publish.h"
#include "notatgen/timing.h"

/* ---- files read and written ------------------------------------------------- */

void ng_input_list_add(ng_input_list *l, const char *path)
{
    if (!path)
        return;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->paths[i], path))
            return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (!p) {
            l->nomem = true;
            return;
        }
        l->paths = p;
        l->cap = cap;
    }
    if (!(l->paths[l->n] = strdup(path)))
        l->nomem = true;
    else
        l->n++;
}

void ng_input_list_free(ng_input_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    memset(l, 0, sizeof *l);
}

void ng_pipeline_wrote(ng_pipeline *p, const char *name)
{
    if (p->nwritten == p->capwritten) {
        size_t cap = p->capwritten ? 2 * p->capwritten : 16;
        const char **w = realloc(p->written, cap * sizeof *w);
        if (!w)
            return;
        p->written = w;
        p->capwritten = cap;
    }
    char *copy = strdup(name);
    if (copy)
        p->written[p->nwritten++] = copy;
}

/* ---- the pipeline ------------------------------------------------------------- */

void ng_pipeline_init(ng_pipeline *p, const ng_config *cfg, ng_diags *diags)
{
    memset(p, 0, sizeof *p);
    p->core_config = cfg;
    p->config_path = cfg ? cfg->config_path : NULL;
    p->diags = diags;
    ng_dataset_init(&p->ds);
}

void ng_pipeline_free(ng_pipeline *p)
{
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    for (size_t i = 0; i < n && i < sizeof p->state / sizeof *p->state; i++)
        if (p->state[i] && modules[i]->release)
            modules[i]->release(p, p->state[i]);
    ng_history_entry_free(p->entry);
    if (p->history)
        ng_history_close(p->history);
    ng_refusion_result_free(&p->refusion);
    ng_thresholds_free(&p->thresholds);
    ng_cases_free(p->cases);
    ng_dataset_free(&p->ds);
    ng_input_list_free(&p->inputs);
    for (size_t i = 0; i < p->nwritten; i++)
        free((char *)p->written[i]);
    free(p->written);
    memset(p, 0, sizeof *p);
}

typedef ng_status (*step_fn)(const void *opt, ng_pipeline *p);

/* The step of module m (NULL when it has none). */
typedef step_fn (*step_of)(const ng_module *m);

static step_fn prepare_of(const ng_module *m)
{
    return m->prepare;
}
static step_fn compute_of(const ng_module *m)
{
    return m->compute;
}
static step_fn guard_of(const ng_module *m)
{
    return m->guard;
}
static step_fn render_of(const ng_module *m)
{
    return m->render;
}
static step_fn record_of(const ng_module *m)
{
    return m->record;
}
static step_fn deliver_of(const ng_module *m)
{
    return m->deliver;
}

/* Runs one step of every configured module, in list order, until one fails. */
static ng_status run_step(ng_pipeline *p, step_of which, const char *label)
{
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    for (size_t i = 0; i < n; i++) {
        const ng_module *m = modules[i];
        const void *opt = ng_module_options(p->core_config, m);
        step_fn step = which(m);
        if (!step || !opt || (m->configured && !m->configured(opt)))
            continue;
        ng_status st = step(opt, p);
        ng_timing_mark_in(p->timing, label, m->name);
        if (st != NG_OK)
            return st;
    }
    return NG_OK;
}

ng_status ng_worse_status(ng_status a, ng_status b)
{
    return ng_exit_code(b) > ng_exit_code(a) ? b : a;
}

/* Runs one step of every configured module whatever the others gave (for
 * steps whose modules do not depend on each other): the worst status. */
static ng_status run_every(ng_pipeline *p, step_of which, const char *label)
{
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    ng_status worst = NG_OK;
    for (size_t i = 0; i < n; i++) {
        const ng_module *m = modules[i];
        const void *opt = ng_module_options(p->core_config, m);
        step_fn step = which(m);
        if (step && opt && (!m->configured || m->configured(opt))) {
            worst = ng_worse_status(worst, step(opt, p));
            ng_timing_mark_in(p->timing, label, m->name);
        }
    }
    return worst;
}

/* Every module prepares: their facts do not depend on each other. */
ng_status ng_pipeline_prepare(ng_pipeline *p)
{
    return run_every(p, prepare_of, "forberedelse");
}

ng_status ng_pipeline_compute(ng_pipeline *p)
{
    return run_step(p, compute_of, "beregning");
}

/* The check steps of the modules from index first on, whatever each gives:
 * the worst status. */
static ng_status check_from(ng_pipeline *p, size_t first)
{
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    ng_status worst = NG_OK;
    for (size_t j = first; j < n; j++) {
        const ng_module *o = modules[j];
        const void *opt = ng_module_options(p->core_config, o);
        if (o->check && opt && (!o->configured || o->configured(opt))) {
            worst = ng_worse_status(worst, o->check(opt, p));
            ng_timing_mark_in(p->timing, "kontrol", o->name);
        }
    }
    return worst;
}

ng_status ng_pipeline_check(ng_pipeline *p)
{
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    p->check_only = true;
    for (size_t i = 0; i < n; i++) {
        const ng_module *m = modules[i];
        const void *opt = ng_module_options(p->core_config, m);
        if (!m->compute || !opt || (m->configured && !m->configured(opt)))
            continue;
        ng_status st = m->compute(opt, p);
        ng_timing_mark_in(p->timing, "beregning", m->name);
        if (st == NG_OK)
            continue;
        /* what run stops at; the other modules' own checks add the rest */
        check_from(p, i + 1);
        return st;
    }
    return NG_OK;
}

ng_status ng_pipeline_check_inputs(ng_pipeline *p)
{
    p->check_only = true;
    return check_from(p, 0);
}

ng_status ng_pipeline_guard(ng_pipeline *p)
{
    return run_step(p, guard_of, "værn");
}

ng_status ng_pipeline_render(ng_pipeline *p)
{
    return run_step(p, render_of, "output");
}

ng_status ng_pipeline_record(ng_pipeline *p)
{
    ng_history_entry_free(p->entry);
    p->entry = ng_history_entry_new(p->dato, p->saet, p->kommune, p->kommunekode);
    return p->entry ? run_step(p, record_of, "historik") : NG_ERR_NOMEM;
}

ng_status ng_pipeline_commit(ng_pipeline *p)
{
    if (!p->history || !p->entry)
        return NG_OK;
    return ng_history_commit_entry(p->history, p->entry, p->diags);
}

/* The end of year 9999, the last second every date format here can show. */
#define MAX_EPOCH 253402300799LL

ng_status ng_pipeline_source_date_epoch(ng_pipeline *p)
{
    const char *v = getenv("SOURCE_DATE_EPOCH");
    p->has_epoch = false;
    if (!v || !*v)
        return NG_OK;
    char *end = NULL;
    errno = 0;
    long long e = strtoll(v, &end, 10);
    bool digits = v[strspn(v, "0123456789")] == '\0';
    if (!digits || errno == ERANGE || *end || e < 0 || e > MAX_EPOCH) {
        char shown[48];
        snprintf(shown, sizeof shown, "%.40s%s", v, strlen(v) > 40 ? "..." : "");
        ng_error(p->diags, NULL, 0, 0,
                 "SOURCE_DATE_EPOCH skal være et helt antal sekunder siden 1. januar 1970 fra 0 "
                 "til %lld (år 9999), ikke '%s'",
                 MAX_EPOCH, shown);
        return NG_ERR_CONFIG;
    }
    p->has_epoch = true;
    p->epoch = e;
    return NG_OK;
}

ng_status ng_pipeline_deliver(ng_pipeline *p)
{
    return run_step(p, deliver_of, "levering");
}

void ng_pipeline_collect_inputs(ng_pipeline *p)
{
    ng_input_list_add(&p->inputs, p->config_path);
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    for (size_t i = 0; i < n; i++) {
        const ng_module *m = modules[i];
        const void *opt = ng_module_options(p->core_config, m);
        if (m->inputs && opt && (!m->configured || m->configured(opt)))
            m->inputs(opt, p, &p->inputs);
    }
}

/* ---- the staging folder ----------------------------------------------------- */

/* The manifest's inputs, outputs and facts (before the record file and the
 * manifest itself are written). */
static ng_status describe_outputs(ng_pipeline *p, const ng_stage *stage, ng_manifest *m,
                                  double duration_s)
{
    ng_status st = ng_manifest_set_run(m, p->kommune, p->dato);
    ng_pipeline_collect_inputs(p);
    if (p->inputs.nomem)
        st = NG_ERR_NOMEM;
    for (size_t i = 0; i < p->inputs.n && st == NG_OK; i++)
        st = ng_manifest_add_input_read(m, p->inputs.paths[i], p->has_rec ? &p->rec : NULL,
                                        p->diags);
    if (st == NG_OK)
        st = ng_manifest_add_output_dir(m, stage->dir, p->diags);
    if (st != NG_OK)
        return st;
    ng_manifest_set_thresholds(m, p->thr);
    if (p->has_rec)
        ng_manifest_set_reconciliation(m, &p->rec);
    if (duration_s >= 0 && !p->has_epoch)
        ng_manifest_set_duration(m, duration_s);
    ng_manifest_seal(m);
    snprintf(p->saet, sizeof p->saet, "%s", m->saet);
    return NG_OK;
}

ng_status ng_pipeline_write_outputs(ng_pipeline *p, ng_transaction *t, ng_manifest *m,
                                    double duration_s)
{
    ng_stage *stage = &t->stage;
    ng_status st = ng_transaction_stage(t, p->output_dir, p->dato, p->diags);
    if (st != NG_OK)
        return st;
    p->stage_dir = stage->dir;
    p->final_dir = stage->final_dir;
    st = ng_pipeline_render(p);
    if (st == NG_OK)
        st = describe_outputs(p, stage, m, duration_s);
    if (st == NG_OK)
        st = ng_pipeline_record(p);
    char *record = st == NG_OK ? ng_stage_path(stage, NG_HISTORY_RECORD_FILE) : NULL;
    char *manifest = st == NG_OK ? ng_stage_path(stage, "manifest.json") : NULL;
    if (st == NG_OK && (!record || !manifest))
        st = NG_ERR_NOMEM;
    if (st == NG_OK && p->history)
        st = ng_history_entry_write(p->entry, record, !p->check_only, p->diags);
    if (st == NG_OK)
        st = ng_manifest_write(m, manifest, p->diags);
    free(record);
    free(manifest);
    return st;
}
