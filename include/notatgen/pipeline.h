/*
 * pipeline.h -- the core that runs the declared modules (module.h) step by
 * step. It knows no module by name: every step iterates ng_modules() and
 * calls the step of each module that has it and is configured.
 *
 *   prepare   facts decided once: the extract date, the year, the
 *             municipality, the output folder
 *   compute   read the inputs, compute, publish tables and values
 *   check     what `notatgen check` runs instead of compute
 *   guard     after every compute: registry check, small cells, CPR
 *   render    write the outputs into the staging directory
 *   record    after publishing: the history store, in one transaction
 *   deliver   after recording: mail
 *
 * A step stops at the first module that fails; ng_pipeline_free releases
 * what every module kept.
 */
#ifndef NOTATGEN_PIPELINE_H
#define NOTATGEN_PIPELINE_H

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/module.h"
#include "notatgen/status.h"

/* A pipeline over the configuration cfg (borrowed, must outlive it; the
 * core hands each module its own options from it); diags borrowed. */
void ng_pipeline_init(ng_pipeline *p, const struct ng_config *cfg, ng_diags *diags);
void ng_pipeline_free(ng_pipeline *p);
/* SOURCE_DATE_EPOCH, when the environment sets it: the time the outputs
 * name (has_epoch, epoch), so that a rebuild gives the same bytes. */
void ng_pipeline_source_date_epoch(ng_pipeline *p);

ng_status ng_pipeline_prepare(ng_pipeline *p);
ng_status ng_pipeline_compute(ng_pipeline *p);
/* `check`: every module's check step, each whatever the others gave; the
 * worst status. */
ng_status ng_pipeline_check(ng_pipeline *p);
ng_status ng_pipeline_guard(ng_pipeline *p);
ng_status ng_pipeline_render(ng_pipeline *p);
/* The record steps in one transaction of the history store. */
ng_status ng_pipeline_record(ng_pipeline *p);
ng_status ng_pipeline_deliver(ng_pipeline *p);

/* The more serious of two outcomes, ranked by exit status. */
ng_status ng_worse_status(ng_status a, ng_status b);

/* Every input file the configured modules read (the config file first),
 * into p->inputs. */
void ng_pipeline_collect_inputs(ng_pipeline *p);

#endif
