/*
 * status.h -- the one status enum of notatgen, its messages and exit codes.
 *
 * Every function that can fail returns an ng_status; constructors return
 * NULL instead. ng_exit_code() maps a status to the exit status cron sees:
 *
 *   0 done, 1 input rejected, 2 usage or configuration error,
 *   3 I/O or delivery failure, 4 another run holds the lock.
 */
#ifndef NOTATGEN_STATUS_H
#define NOTATGEN_STATUS_H

typedef enum {
    NG_OK = 0,
    NG_ERR_NOMEM,      /* out of memory (exit 3) */
    NG_ERR_USAGE,      /* bad command line (exit 2) */
    NG_ERR_CONFIG,     /* bad configuration file or value (exit 2) */
    NG_ERR_THRESHOLDS, /* a year with no refusion thresholds (exit 2) */
    NG_ERR_TEMPLATE,   /* a template that cannot be rendered (exit 2) */
    NG_ERR_INPUT,      /* input data rejected (exit 1) */
    NG_ERR_PRIVACY,    /* an output would carry a CPR-like value (exit 1) */
    NG_ERR_IO,         /* reading or writing a file failed (exit 3) */
    NG_ERR_DELIVERY,   /* sending mail failed (exit 3) */
    NG_ERR_LOCKED,     /* another run holds the lock (exit 4) */
    NG_ERR_INTERNAL,   /* a bug: an invariant did not hold (exit 3) */
    NG_STATUS_COUNT
} ng_status;

/* A short English description of a status; never NULL. */
const char *ng_strerror(ng_status status);

/* The process exit status for a status (see the table above). */
int ng_exit_code(ng_status status);

#endif
