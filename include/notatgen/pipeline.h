/*
 * pipeline.h -- the core that runs the declared modules (module.h) step by
 * step. It knows no module by name: every step iterates ng_modules() and
 * calls the step of each module that has it and is configured.
 *
 *   prepare   facts decided once: the extract date, the year, the
 *             municipality, the output folder
 *   compute   read the inputs, compute, publish tables and values
 *   check     what `notatgen check` adds after a compute that failed: the
 *             other modules' own checks, so the officer sees every problem
 *   guard     after every compute: registry check, plausibility, small
 *             cells, CPR
 *   render    write the outputs into the staging directory
 *   record    each module's part of the run's entry (history.h), written
 *             into the staging directory before publishing
 *   commit    after publishing: the entry in one transaction of the store
 *   deliver   after committing: mail
 *
 * `run` and `check` run the same steps up to render; check then discards
 * the staging directory (cmd_check.c). A step stops at the first module
 * that fails; ng_pipeline_free releases what every module kept.
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
 * name (has_epoch, epoch), so that a rebuild gives the same bytes. Unset or
 * empty is none; else it must be a whole number of seconds from 0 to
 * 253402300799 (the end of year 9999), or NG_ERR_CONFIG (exit 2) with a
 * message saying so. */
ng_status ng_pipeline_source_date_epoch(ng_pipeline *p);

ng_status ng_pipeline_prepare(ng_pipeline *p);
ng_status ng_pipeline_compute(ng_pipeline *p);
/* `check`: the compute step as `run` has it (the same first error and
 * status); when a module fails, the check steps of the modules after it,
 * whatever the others gave, add what else is wrong. */
ng_status ng_pipeline_check(ng_pipeline *p);
/* `check` when the facts of prepare are not known: every module's check
 * step, whatever the others gave; the worst status. */
ng_status ng_pipeline_check_inputs(ng_pipeline *p);
ng_status ng_pipeline_guard(ng_pipeline *p);
ng_status ng_pipeline_render(ng_pipeline *p);
/* A new p->entry for the set p->saet, filled by every module's record step. */
ng_status ng_pipeline_record(ng_pipeline *p);
/* p->entry in one transaction of the history store. */
ng_status ng_pipeline_commit(ng_pipeline *p);
ng_status ng_pipeline_deliver(ng_pipeline *p);

struct ng_manifest;
struct ng_transaction;
/* Everything `run` puts into the staging folder before publishing, also
 * what `check` makes and throws away: a fresh staging folder (in t), the
 * render step, the set's identity from the outputs (p->saet), the record
 * step into p->entry written as the record file, and manifest.json (m) --
 * duration_s < 0 leaves the run time out. */
ng_status ng_pipeline_write_outputs(ng_pipeline *p, struct ng_transaction *t, struct ng_manifest *m,
                                    double duration_s);

/* The more serious of two outcomes, ranked by exit status. */
ng_status ng_worse_status(ng_status a, ng_status b);

/* Every input file the configured modules read (the config file first),
 * into p->inputs. */
void ng_pipeline_collect_inputs(ng_pipeline *p);

#endif
