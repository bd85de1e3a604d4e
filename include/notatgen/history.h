/*
 * history.h -- the history store (SQLite): one snapshot per extract date,
 * the follow-up series built from it, and what changed since the last
 * follow-up.
 *
 * The store is written only after the outputs of a run are in place, in one
 * transaction; re-running an extract date replaces its snapshot. The file is
 * created with mode 0600.
 *
 *   ng_refusion_result --ng_history_record--> store
 *   store --ng_history_tables--> opfoelgning_maaned, refusion_aar, bridge values
 */
#ifndef NOTATGEN_HISTORY_H
#define NOTATGEN_HISTORY_H

#include "notatgen/diag.h"
#include "notatgen/dk.h"
#include "notatgen/refusion.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

typedef struct ng_history ng_history; /* an open store */

/* Opens (creating with mode 0600 and the schema) the store at path. */
ng_status ng_history_open(const char *path, ng_history **out, ng_diags *diags);
void ng_history_close(ng_history *h);

/* Records the snapshot of extract date dato: per unit its key, område,
 * yearly spend and tier (r->aar). Replaces an earlier snapshot of the same
 * date. One transaction. */
ng_status ng_history_record(ng_history *h, ng_date dato, const char *kommune,
                            const ng_refusion_result *r, ng_diags *diags);

/* Imports aggregates from before the tool (the layouts of
 * refusion_monthly_2025.csv and refusion_yearly_2022_2025.csv, recognised
 * by their header). Re-importing replaces. */
ng_status ng_history_import(ng_history *h, const char *csv_path, ng_diags *diags);

/* Publishes opfoelgning_maaned, refusion_aar, refusion_aar_figur and the
 * bridge values (DATASET.md "History module") for the current snapshot
 * (dato, r) against the store's previous snapshot. The current snapshot need
 * not be recorded yet. */
ng_status ng_history_tables(ng_history *h, ng_date dato, const ng_refusion_result *r,
                            ng_dataset *ds, ng_diags *diags);

#endif
