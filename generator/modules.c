/*
 * modules.c -- the list of modules, in pipeline order. A module's steps
 * run in this order (module.h): the extract before the refusion that reads
 * its cases, the refusion before the history, the refusion budget and the
 * fingerplan before the budget outlook that refers to their tables, the
 * forecast and the initiatives before the scenarios built on them, the
 * benchmark after the refusion whose units it counts, the plausibility
 * and privacy guards after every computation, the outputs before the mail.
 */
#include "notatgen/modules.h"

static const ng_module *const modules[] = {
    &ng_module_kommune,    &ng_module_udtraek,         &ng_module_refusion,
    &ng_module_historik,   &ng_module_refusionsbudget, &ng_module_initiativer,
    &ng_module_fingerplan, &ng_module_prognose,        &ng_module_scenarier,
    &ng_module_budget,     &ng_module_benchmark,       &ng_module_plausibilitet,
    &ng_module_privatliv,  &ng_module_output,          &ng_module_mail,
};

const ng_module *const *ng_modules(size_t *count)
{
    *count = sizeof modules / sizeof *modules;
    return modules;
}

int ng_module_index(const ng_module *m)
{
    for (size_t i = 0; i < sizeof modules / sizeof *modules; i++)
        if (modules[i] == m)
            return (int)i;
    return -1;
}
