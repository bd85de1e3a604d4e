/*
 * bridge.h -- private to the history module (history.c, bridge.c,
 * cmd_history.c): what changed between two follow-ups, and the store's
 * listing for `notatgen history list`.
 *
 * The bridge compares the covered adult units (område voksen, trin > 0) of
 * two snapshots by key:
 *
 *   tilgang   = in the current snapshot, not in the previous one
 *   afgang    = in the previous snapshot, not in the current one
 *   stayers   = in both; their change in spend
 *
 *   aendring_udgift = tilgang_udgift - afgang_udgift + aendring_eksisterende
 *
 * holds exactly in øre (checked; a failure is NG_ERR_INTERNAL).
 */
#ifndef NOTATGEN_BRIDGE_H
#define NOTATGEN_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/dk.h"
#include "notatgen/history.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* One covered adult unit of a snapshot; key borrowed. */
typedef struct {
    const char *key;
    int64_t udgift; /* yearly spend, øre */
} ng_bridge_unit;

typedef struct {
    long tilgang_antal, afgang_antal, eksisterende_antal;
    int64_t tilgang_udgift;               /* new units' spend now, øre */
    int64_t afgang_udgift;                /* ended units' spend then, øre */
    int64_t aendring_eksisterende_udgift; /* stayers: now - then, øre */
    int64_t aendring_udgift;              /* total now - total then, øre */
} ng_bridge;

/* Sorts units by key (strcmp) in place. */
void ng_bridge_sort(ng_bridge_unit *units, size_t n);

/* Units one at a time, in strictly increasing key order: next gives the
 * next (its key valid until the call after next) or returns false at the
 * end. */
typedef struct {
    bool (*next)(void *ctx, ng_bridge_unit *u);
    void *ctx;
} ng_bridge_source;

/* An array of units as a source: ctx is an ng_bridge_array. */
typedef struct {
    const ng_bridge_unit *units;
    size_t n, i; /* i: the next to give */
} ng_bridge_array;
bool ng_bridge_array_next(void *ctx, ng_bridge_unit *u);

/* Compares two snapshots' units given by sources, holding neither:
 * NG_ERR_INTERNAL when a source is out of order or gives a key twice, or the
 * sums disagree (out is then incomplete). */
ng_status ng_bridge_merge(ng_bridge_source now, ng_bridge_source then, ng_bridge *out);

/* Compares two snapshots' units (each sorted by key, keys unique). */
ng_status ng_bridge_between_snapshots(const ng_bridge_unit *now, size_t nnow,
                                      const ng_bridge_unit *then, size_t nthen, ng_bridge *out);

/* Publishes the table `udvikling` and the bridge values referring to it
 * into ds. previous NULL: no earlier follow-up -- nothing is published, so
 * a template leaves the comparison out ({{#hvis forrige_opfoelgning_dato}}). */
ng_status ng_bridge_publish(const ng_bridge *b, const ng_date *previous, ng_dataset *ds);

/* ---- the store's contents, for `notatgen history list` ----------------- */

typedef struct {
    char dato[11]; /* YYYY-MM-DD */
    int aar;
    char *kommune;  /* owned, may be NULL */
    char *version;  /* notatgen version that recorded it, owned */
    char saet[65];  /* the published set it belongs to ("" before schema 3) */
    long units;     /* all units */
    long antal;     /* covered adult units with trin > 0 */
    int64_t udgift; /* their spend, øre */
} ng_history_snapshot_info;

typedef struct {
    char kind[8];     /* "maaned" or "aar" */
    char periode[16]; /* "2025-02" or "2025" */
    long antal;       /* summed over the tiers */
    int64_t udgift;   /* øre, summed over the tiers */
    char *source;     /* owned, may be NULL */
} ng_history_aggregate_info;

typedef struct {
    ng_history_snapshot_info *snapshots; /* sorted by dato */
    size_t nsnapshots;
    ng_history_aggregate_info *aggregates; /* sorted by kind, periode */
    size_t naggregates;
} ng_history_listing;

ng_status ng_history_list(ng_history *h, ng_history_listing *out, ng_diags *diags);
void ng_history_listing_free(ng_history_listing *l);

#endif
