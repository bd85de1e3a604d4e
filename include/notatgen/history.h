/*
 * history.h -- the history store (SQLite): one snapshot per extract date,
 * the follow-up series built from it, what changed since the last
 * follow-up, the forecasts, and the delivery of every published set.
 *
 * A run writes the store only after its outputs are in place: its entry
 * (ng_history_entry: the snapshot, the forecasts and the delivery of the
 * set) is written into the staging folder as the record file
 * NG_HISTORY_RECORD_FILE, published with the outputs, and then committed in
 * one transaction (ng_history_commit_entry). If the run dies between the
 * two, the next run finds the published set without its record and commits
 * the record file first (ng_history_roll_forward), so the store always
 * holds the snapshots of exactly the published sets. Re-running an extract
 * date replaces its snapshot.
 *
 * One store belongs to one municipality (ng_history_claim); one process at
 * a time has it open (PATH.lock, flock: a second gets NG_ERR_LOCKED, exit
 * 4, naming the holder). A new store is created complete under PATH.ny and
 * renamed into place (mode 0600); an empty file at PATH is refused, never
 * filled with a new schema.
 *
 * The schema has a version per step in schema_version: 1 the base, 2 the
 * CHECK constraints as comparisons, 3 the set of each snapshot, the owner
 * and the deliveries. A step is applied when its row is missing.
 *
 *   ng_refusion_result --ng_history_entry_*--> record file --commit--> store
 *   store --ng_history_tables--> opfoelgning_maaned, refusion_aar, bridge values
 */
#ifndef NOTATGEN_HISTORY_H
#define NOTATGEN_HISTORY_H

#include <stdint.h>

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

/* Opens (creating with mode 0600 and the schema) the store at path, holding
 * its lock PATH.lock until ng_history_close (NG_ERR_LOCKED when another
 * process has it). An uncommitted transaction is rolled back on close. */
ng_status ng_history_open(const char *path, ng_history **out, ng_diags *diags);
void ng_history_close(ng_history *h);
/* For `check`: as ng_history_open, but a store that does not exist yet is
 * not created: an empty one in memory stands in for it. */
ng_status ng_history_open_trial(const char *path, ng_history **out, ng_diags *diags);

/* NG_OK when the store belongs to this municipality (by code when both
 * have one, else by name) or to none yet; NG_ERR_CONFIG with a message
 * naming both otherwise. Writes nothing. */
ng_status ng_history_claim(ng_history *h, const char *kommune, const char *kode, ng_diags *diags);
/* Records the store's municipality unless it has one (`history import`;
 * a run's entry records it too). */
ng_status ng_history_set_owner(ng_history *h, const char *kommune, const char *kode,
                               ng_diags *diags);

/* ---- a run's entry ---------------------------------------------------------- */

/* The record file in a published folder: the entry not yet committed. */
#define NG_HISTORY_RECORD_FILE ".historik-post"

typedef struct ng_history_entry ng_history_entry;

/* An empty entry for the set saet (manifest.json's) of extract date dato.
 * NULL on out of memory. */
ng_history_entry *ng_history_entry_new(ng_date dato, const char *saet, const char *kommune,
                                       const char *kode);
void ng_history_entry_free(ng_history_entry *e);
ng_date ng_history_entry_dato(const ng_history_entry *e);
const char *ng_history_entry_saet(const ng_history_entry *e);
/* The snapshot (borrowed: r must outlive the entry). */
void ng_history_entry_snapshot(ng_history_entry *e, const ng_refusion_result *r);
/* A forecast to store under (made_on, method) (copied). */
ng_status ng_history_entry_forecast(ng_history_entry *e, const char *made_on, const char *method,
                                    const ng_forecast_point *pts, int n, const char *assumptions);
/* The set is to be mailed to modtagere (ng_mail_recipients' form). */
ng_status ng_history_entry_delivery(ng_history_entry *e, const char *modtagere);
/* The record file (mode 0600), written into the staging folder; durable:
 * synced to disk before it returns (publishing syncs the folder's files
 * again; check, which publishes nothing, needs no sync). */
ng_status ng_history_entry_write(const ng_history_entry *e, const char *path, bool durable,
                                 ng_diags *diags);
/* Reads a record file back; NG_ERR_IO (with a message) when it is cut short
 * or not one. */
ng_status ng_history_entry_read(const char *path, ng_history_entry **out, ng_diags *diags);
/* Records everything in e in one transaction (or the open one): the owner,
 * the snapshot (replacing the date's), the forecasts, and the delivery as
 * due (superseding what else of the date was still due). */
ng_status ng_history_commit_entry(ng_history *h, const ng_history_entry *e, ng_diags *diags);
/* Writes a run's snapshot (r, borrowed until the commit) ahead of its
 * commit, on a thread of its own while the outputs are rendered: a
 * transaction is opened, the date's snapshot replaced, nothing committed.
 * ng_history_commit_entry of an entry with this snapshot (the same r, date
 * and municipality) then only adds the rest and commits; any other call
 * waits for the writer first, ng_history_rollback and ng_history_close undo
 * it. Nothing written ahead is ever visible without the commit, and a
 * writer that failed is undone and its work done again by the commit, which
 * gives the error its message (so this gives none). NG_ERR_INTERNAL inside
 * another transaction. */
ng_status ng_history_write_ahead(ng_history *h, ng_date dato, const char *kommune,
                                 const ng_refusion_result *r);
/* Every date folder of output_dir with a record file whose set the store
 * lacks: its entry committed (each in its transaction, or all in the open
 * one: check's trial). A record file whose set is recorded is removed when
 * remove_records and no transaction is open. *rolled counts the commits. */
ng_status ng_history_roll_forward(ng_history *h, const char *output_dir, bool remove_records,
                                  int *rolled, ng_diags *diags);

/* ---- deliveries -------------------------------------------------------------- */

typedef enum {
    NG_DELIVERY_PENDING,   /* to be sent (never tried, or the try was interrupted) */
    NG_DELIVERY_SENT,      /* the server accepted it (svar: its reply) */
    NG_DELIVERY_FAILED,    /* the last try failed (svar: why); tried again */
    NG_DELIVERY_SUPERSEDED /* the date was published again before it was sent */
} ng_delivery_state;

typedef struct {
    char dato[11];
    char saet[65];
    char *modtagere;
    ng_delivery_state state;
    int attempts;
    char *svar; /* may be NULL */
    long long updated;
} ng_delivery;

typedef struct {
    ng_delivery *items;
    size_t n;
} ng_delivery_list;

/* "pending", "sent", "failed", "superseded" (as stored). */
const char *ng_delivery_state_name(ng_delivery_state st);
/* The deliveries to modtagere (NULL: all), oldest date first; due_only:
 * pending and failed. */
ng_status ng_history_deliveries(ng_history *h, const char *modtagere, bool due_only,
                                ng_delivery_list *out, ng_diags *diags);
void ng_delivery_list_free(ng_delivery_list *l);
/* Sets a delivery's state (creating it), svar when not NULL, and counts an
 * attempt when attempt; in its own transaction. */
ng_status ng_history_set_delivery(ng_history *h, const char *dato, const char *saet,
                                  const char *modtagere, ng_delivery_state state, const char *svar,
                                  bool attempt, ng_diags *diags);

/* The total spend (øre) of the newest snapshot before dato; *found false
 * when there is none. */
ng_status ng_history_previous_total(ng_history *h, ng_date dato, bool *found, ng_date *prev,
                                    int64_t *oere, ng_diags *diags);

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
