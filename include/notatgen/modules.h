/*
 * modules.h -- every module of notatgen (module.h), for the list in
 * modules.c and for the few places that read another module's options
 * (ng_module_options).
 */
#ifndef NOTATGEN_MODULES_H
#define NOTATGEN_MODULES_H

#include "notatgen/module.h"

extern const ng_module ng_module_kommune;
extern const ng_module ng_module_udtraek;
extern const ng_module ng_module_refusion;
extern const ng_module ng_module_historik;
extern const ng_module ng_module_refusionsbudget;
extern const ng_module ng_module_initiativer;
extern const ng_module ng_module_fingerplan;
extern const ng_module ng_module_prognose;
extern const ng_module ng_module_scenarier;
extern const ng_module ng_module_budget;
extern const ng_module ng_module_benchmark;
extern const ng_module ng_module_plausibilitet;
extern const ng_module ng_module_privatliv;
extern const ng_module ng_module_output;
extern const ng_module ng_module_mail;

#endif
