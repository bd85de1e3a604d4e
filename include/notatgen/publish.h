/*
 * publish.h -- a run is a transaction: the lock, the staging directory and
 * the all-or-nothing publication of the outputs.
 *
 *   ng_lock_acquire            one run at a time (flock; a killed run's lock
 *                              dies with its process, so it never goes stale)
 *   ng_stage_open              OUT/.staging-DATE-PID/ (mode 0700)
 *   ... render every output into the staging directory ...
 *   ng_stage_publish           rename to OUT/DATE/ (replacing an earlier run of
 *                              the same date) and point OUT/latest at it
 *   ng_stage_discard           on failure: remove the staging directory; the
 *                              last good outputs are untouched
 */
#ifndef NOTATGEN_PUBLISH_H
#define NOTATGEN_PUBLISH_H

#include <stdbool.h>

#include "notatgen/diag.h"
#include "notatgen/dk.h"
#include "notatgen/status.h"

typedef struct {
    int fd;
    char *path;
} ng_lock;

/* Takes the lock file at path (created 0600). When another process holds it:
 * NG_ERR_LOCKED with a message naming the holder's PID and start time. */
ng_status ng_lock_acquire(const char *path, ng_lock *lock, ng_diags *diags);
void ng_lock_release(ng_lock *lock);

typedef struct {
    char *output_dir; /* OUT */
    char *dir;        /* OUT/.staging-DATE-PID */
    char *final_dir;  /* OUT/DATE */
    char date[11];    /* YYYY-MM-DD */
} ng_stage;

/* Creates OUT (0700) if needed and a fresh staging directory in it. */
ng_status ng_stage_open(const char *output_dir, ng_date date, ng_stage *stage, ng_diags *diags);
/* Path of a file in the staging directory: caller frees. */
char *ng_stage_path(const ng_stage *stage, const char *name);
/* Moves the staging directory into place as OUT/DATE and updates OUT/latest. */
ng_status ng_stage_publish(ng_stage *stage, ng_diags *diags);
/* Removes the staging directory and everything in it. */
void ng_stage_discard(ng_stage *stage);
void ng_stage_free(ng_stage *stage);

/* A command's transaction over its output folder (run, samlet): the lock,
 * the staging directory its outputs are rendered into, and their
 * publication; whatever was staged and not published is discarded at the
 * end. A zeroed ng_transaction holds nothing. */
typedef struct {
    ng_lock lock;
    bool locked;
    ng_stage stage;
    bool staged;
} ng_transaction;

/* Takes OUT/.notatgen.lock (OUT created 0700 when missing): one run, or
 * one `samlet`, at a time in one output folder. */
ng_status ng_transaction_lock(ng_transaction *t, const char *output_dir, ng_diags *diags);
/* Opens the staging directory for date in dir (OUT, or a folder in it). */
ng_status ng_transaction_stage(ng_transaction *t, const char *dir, ng_date date, ng_diags *diags);
/* Publishes the staged outputs (ng_stage_publish). */
ng_status ng_transaction_publish(ng_transaction *t, ng_diags *diags);
/* Discards what is staged and not published, releases the lock. */
void ng_transaction_end(ng_transaction *t);

/* Recursively removes a directory tree (no symlinks followed). */
ng_status ng_remove_tree(const char *path);
/* mkdir -p with the given mode for the directories it creates. */
ng_status ng_mkdirs(const char *path, unsigned mode);
/* "dir/name" (malloc'd; "/name" when dir is "/"), NULL when out of memory. */
char *ng_path_join(const char *dir, const char *name);

#endif
