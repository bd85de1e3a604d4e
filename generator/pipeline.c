/* pipeline.c -- the core that runs the declared modules (see pipeline.h). */
#include "notatgen/pipeline.h"
#include "notatgen/timing.h"

#include <stdlib.h>
#include <string.h>

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

void ng_pipeline_source_date_epoch(ng_pipeline *p)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        p->has_epoch = true;
        p->epoch = strtoll(epoch, NULL, 10);
    }
}

void ng_pipeline_free(ng_pipeline *p)
{
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    for (size_t i = 0; i < n && i < sizeof p->state / sizeof *p->state; i++)
        if (p->state[i] && modules[i]->release)
            modules[i]->release(p, p->state[i]);
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
static step_fn check_of(const ng_module *m)
{
    return m->check;
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

ng_status ng_pipeline_check(ng_pipeline *p)
{
    p->check_only = true;
    return run_every(p, check_of, "kontrol");
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
    if (!p->history)
        return run_step(p, record_of, "historik");
    ng_status st = ng_history_begin(p->history, p->diags);
    if (st == NG_OK)
        st = run_step(p, record_of, "historik");
    if (st == NG_OK)
        return ng_history_commit(p->history, p->diags);
    ng_history_rollback(p->history);
    return st;
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
