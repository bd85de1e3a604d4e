/*
 * publish.h -- a run is a transaction: the lock, the staging directory and
 * the all-or-nothing publication of the outputs.
 *
 *   ng_lock_acquire            one run at a time (flock; a killed run's lock
 *                              dies with its process, so it never goes stale)
 *   ng_output_tidy             what killed runs left behind, removed or put back
 *   ng_stage_open              OUT/.staging-DATE/ (mode 0700)
 *   ... render every output into the staging directory ...
 *   ng_stage_publish           the folder in place as OUT/DATE/ in one step
 *                              (replacing an earlier run of the same date) and
 *                              OUT/latest at the newest date
 *   ng_stage_discard           on failure: remove the staging directory; the
 *                              last good outputs are untouched
 *
 * Publishing a date never leaves a moment without a complete folder under
 * its name: a new date's folder is renamed into place, a re-published one
 * is exchanged with the old folder by renameat2(RENAME_EXCHANGE) and the
 * old one removed after. On a file system without RENAME_EXCHANGE (NFS,
 * some FUSE file systems) the date's name is instead a link to a hidden set
 * folder OUT/.DATE.N, and a new set replaces the link by rename(2), which
 * is atomic everywhere; only a date that is still a real folder from before
 * is moved aside for an instant, and a run that dies then has it put back
 * by the next run's ng_output_tidy. `latest` is a link renamed over the old
 * one, always to the newest date there is, never backwards.
 */
#ifndef NOTATGEN_PUBLISH_H
#define NOTATGEN_PUBLISH_H

#include <stdbool.h>
#include <stdio.h>

#include "notatgen/diag.h"
#include "notatgen/dk.h"
#include "notatgen/status.h"

/*
 * Symbolic links: nothing in the output folder is opened through a link.
 * Another user who can write to the folder could plant one (the lock, a
 * staging or date directory, `latest`'s temporary name, the history store,
 * the rejects file) to make a run write a CPR-bearing file where that user
 * can read it, or overwrite a file of the run's user. Every such path is
 * refused with a message when it is a link, and files are created with
 * ng_open_private.
 */

/* Opens path for writing as a private file of this user: created 0600, or
 * an existing one truncated and set to 0600; never through a symbolic link
 * (O_NOFOLLOW), never a file that is not a regular file (a FIFO, a device)
 * or that belongs to another user. Returns the descriptor, or -1 with a
 * message naming path ("er et symbolsk link; der skrives ikke gennem et
 * link", ...). For every output file, and for the ingest's rejects file. */
int ng_open_private(const char *path, ng_diags *diags);
/* The same with what naming the file in the messages ("afvisningsfilen er
 * et symbolsk link; ..."). */
int ng_open_private_as(const char *path, const char *what, ng_diags *diags);
/* The same as a stdio stream ("w"); NULL with a message. */
FILE *ng_fopen_private(const char *path, ng_diags *diags);
/* An error naming path when path is a symbolic link (what says what it is:
 * "låsefilen", "historiklageret"); true when it is not (or does not exist). */
bool ng_refuse_link(const char *path, const char *what, ng_diags *diags);

typedef struct {
    int fd;
    char *path;
} ng_lock;

/* Takes the lock file at path (created 0600; a symbolic link there, or a
 * file of another user, is refused: NG_ERR_IO). When another process holds
 * it: NG_ERR_LOCKED with a message naming the holder's PID and start time. */
ng_status ng_lock_acquire(const char *path, ng_lock *lock, ng_diags *diags);
/* Releases a lock taken (a no-op on one that was not). */
void ng_lock_release(ng_lock *lock);

typedef struct ng_stage {
    char *output_dir; /* OUT */
    char *dir;        /* OUT/.staging-DATE */
    char *final_dir;  /* OUT/DATE */
    char date[11];    /* YYYY-MM-DD */
    bool published;   /* the new folder is under the date's name */
} ng_stage;

/* Creates OUT (0700) if needed and a fresh staging directory in it. A
 * symbolic link at the staging directory's name, or anything at OUT/DATE
 * that is neither a folder nor notatgen's own link of the fallback layout,
 * is refused (NG_ERR_IO). */
ng_status ng_stage_open(const char *output_dir, ng_date date, ng_stage *stage, ng_diags *diags);
/* Path of a file in the staging directory: caller frees. */
char *ng_stage_path(const ng_stage *stage, const char *name);
/* Puts the staging directory in place as OUT/DATE (see above) and points
 * OUT/latest at the newest date. Before anything is renamed: every file and
 * the folder synced to disk, the new link for latest made, and a `latest`
 * that is not a link or a date name that is neither a folder nor our link
 * refused (NG_ERR_IO, nothing published). stage->published is true once the
 * new folder is under the date's name; a failure after that (latest, the
 * old folder's removal) is a warning, and ng_output_tidy finishes it.
 * Test builds can kill the run at each step (fault.h). */
ng_status ng_stage_publish(ng_stage *stage, ng_diags *diags);
/* At the start of a run, with the lock held: removes what killed runs left
 * in OUT (.staging-*, .replaced*, .latest.tmp, unused fallback set folders
 * and their temporary links), puts back a date's folder that a killed run
 * had moved aside, and points latest at the newest date. Problems are
 * warnings; NG_ERR_NOMEM only. */
ng_status ng_output_tidy(const char *output_dir, ng_diags *diags);
/* "2025-10-31": the name of a date's folder. */
bool ng_is_date_name(const char *name);
/* Removes the staging directory and everything in it. */
void ng_stage_discard(ng_stage *stage);
void ng_stage_free(ng_stage *stage);

/* A command's transaction over its output folder (run, samlet): the lock,
 * the staging directory its outputs are rendered into, and their
 * publication; whatever was staged and not published is discarded at the
 * end. A zeroed ng_transaction holds nothing. */
typedef struct ng_transaction {
    ng_lock lock;
    bool locked;
    ng_stage stage;
    bool staged;
} ng_transaction;

/* Takes OUT/.notatgen.lock (OUT created 0700 when missing): one run, one
 * `check`, one `mail` or one `samlet` at a time in one output folder. */
ng_status ng_transaction_lock(ng_transaction *t, const char *output_dir, ng_diags *diags);
/* Opens the staging directory for date in dir (OUT, or a folder in it). */
ng_status ng_transaction_stage(ng_transaction *t, const char *dir, ng_date date, ng_diags *diags);
/* Publishes the staged outputs (ng_stage_publish); once they are under the
 * date's name (stage.published) they are no longer the transaction's to
 * discard, even when what follows fails. */
ng_status ng_transaction_publish(ng_transaction *t, ng_diags *diags);
/* Discards what is staged and not published, releases the lock. */
void ng_transaction_end(ng_transaction *t);

/* Recursively removes a directory tree (no symlinks followed). */
ng_status ng_remove_tree(const char *path);
/* mkdir -p with the given mode for the directories it creates. */
ng_status ng_mkdirs(const char *path, unsigned mode);
/* fsync of the file (dir: the folder) at path, no symbolic link followed;
 * false with errno set when it cannot be opened or synced. */
bool ng_sync_path(const char *path, bool dir);
/* "dir/name" (malloc'd; "/name" when dir is "/"), NULL when out of memory. */
char *ng_path_join(const char *dir, const char *name);
/* The part of path after its last '/' (path itself without one). */
const char *ng_base_name(const char *path);

#endif
