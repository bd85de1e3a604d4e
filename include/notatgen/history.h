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

/* The history module's options: [historik]. */
typedef struct {
    char *database; /* the SQLite file; NULL: historik.sqlite in [output] mappe */
    char *import;   /* aggregates from before the tool, for `notatgen history import` */
} ng_historik_options;

struct ng_config;
/* The store's path for cfg: [historik] database, else historik.sqlite in the
 * output folder. The caller frees; NULL on out of memory or without either. */
char *ng_history_store_path(const struct ng_config *cfg);

/* A run's writes go in one transaction: begin, then any of the record and
 * store functions below (which otherwise each run in a transaction of their
 * own), then commit -- or rollback, which leaves every table as it was. */
ng_status ng_history_begin(ng_history *h, ng_diags *diags);
ng_status ng_history_commit(ng_history *h, ng_diags *diags);
void ng_history_rollback(ng_history *h);

/* A point of a forecast: cases and spend (kr.) in a year. */
typedef struct {
    int aar;
    double antal;
    double udgift_kr;
} ng_forecast_point;

enum { NG_STORED_FORECAST_MAX = 64 };

typedef struct {
    char made_on[64]; /* "2023-08-22", "2021" */
    char method[16];  /* "vaekst", "trend", "importeret" */
    ng_forecast_point points[NG_STORED_FORECAST_MAX];
    int npoints;
    char assumptions[512];
} ng_stored_forecast;

/* Stores a forecast under (made_on, method), replacing an earlier one. */
ng_status ng_history_store_forecast(ng_history *h, const char *made_on, const char *method,
                                    const ng_forecast_point *pts, int n, const char *assumptions,
                                    ng_diags *diags);
/* The most recent stored forecast with a year <= last_actual ("vaekst"
 * before "importeret" before others of the same made_on); *found false
 * when there is none. */
ng_status ng_history_pick_forecast(ng_history *h, int last_actual, ng_stored_forecast *out,
                                   bool *found, ng_diags *diags);

/* Opens (creating with mode 0600 and the schema) the store at path. */
ng_status ng_history_open(const char *path, ng_history **out, ng_diags *diags);
void ng_history_close(ng_history *h);

/* Records the snapshot of extract date dato: per unit its key, område,
 * yearly spend and tier (r->aar). Replaces an earlier snapshot of the same
 * date. In the open transaction, or in one of its own. */
ng_status ng_history_record(ng_history *h, ng_date dato, const char *kommune,
                            const ng_refusion_result *r, ng_diags *diags);

/* Imports aggregates from before the tool (the layouts of
 * refusion_monthly_2025.csv and refusion_yearly_2022_2025.csv, recognised
 * by their header). Re-importing replaces. */
ng_status ng_history_import(ng_history *h, const char *csv_path, ng_diags *diags);

/* Publishes opfoelgning_maaned, refusion_aar, refusion_aar_figur, udvikling
 * and their values (docs/datasaet.md, module historik) for the current snapshot
 * (dato, r) against the store's previous snapshot. The current snapshot need
 * not be recorded yet. */
ng_status ng_history_tables(ng_history *h, ng_date dato, const ng_refusion_result *r,
                            ng_dataset *ds, ng_diags *diags);

#endif
