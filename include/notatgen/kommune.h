/*
 * kommune.h -- the municipality a run is for ([kommune]) and where its log
 * line goes ([log]).
 *
 * Publishes the value `kommune` (a fact) and sets the dataset's kommune and
 * kommunekode, which every renderer names.
 */
#ifndef NOTATGEN_KOMMUNE_H
#define NOTATGEN_KOMMUNE_H

#include <stdbool.h>

typedef struct {
    char *navn;  /* [kommune] navn, required */
    char *kode;  /* [kommune] kode: three digits, may be NULL */
    bool syslog; /* [log] syslog: the log line also to syslog(3) */
} ng_kommune_options;

#endif
