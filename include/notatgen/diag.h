/*
 * diag.h -- diagnostics as values.
 *
 * A library function never prints: it adds a diagnostic (file, line, column,
 * message) to an ng_diags list and returns a status; the caller decides where
 * the list goes. Every message and file name passes through ng_mask_cpr()
 * when it is added, so no CPR-like value can reach a log through a
 * diagnostic.
 *
 * Printed form (ng_diags_print):  FILE:LINE:COLUMN: message
 * (line and column are left out when they are 0).
 */
#ifndef NOTATGEN_DIAG_H
#define NOTATGEN_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { NG_DIAG_ERROR, NG_DIAG_WARNING, NG_DIAG_NOTE } ng_severity;

typedef struct {
    ng_severity severity;
    char *file;    /* owned, CPR-masked; may be NULL */
    long line;     /* 1-based; 0 when not about a line */
    long column;   /* 1-based; 0 when not about a column */
    char *message; /* owned, CPR-masked */
} ng_diag;

typedef struct {
    ng_diag *items;
    size_t count;
    size_t cap;
    size_t max_kept; /* keep at most this many in memory (0 = default 10000) */
    size_t dropped;  /* diagnostics counted but not kept */
    size_t errors;   /* all errors added, kept or dropped */
    size_t warnings; /* all warnings added, kept or dropped */
} ng_diags;

void ng_diags_init(ng_diags *d);
void ng_diags_free(ng_diags *d);

/* Adds a diagnostic; fmt is printf-style. file is copied. */
void ng_diag_add(ng_diags *d, ng_severity sev, const char *file, long line, long column,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Convenience wrappers for the common severities. */
#define ng_error(d, file, line, col, ...)                                                          \
    ng_diag_add((d), NG_DIAG_ERROR, (file), (line), (col), __VA_ARGS__)
#define ng_warning(d, file, line, col, ...)                                                        \
    ng_diag_add((d), NG_DIAG_WARNING, (file), (line), (col), __VA_ARGS__)
#define ng_note(d, file, line, col, ...)                                                           \
    ng_diag_add((d), NG_DIAG_NOTE, (file), (line), (col), __VA_ARGS__)

/* Adds every diagnostic of src to dst (copied), and src's counts. */
void ng_diags_append(ng_diags *dst, const ng_diags *src);

/* Prints every kept diagnostic, one per line, then a line on dropped ones. */
void ng_diags_print(const ng_diags *d, FILE *out);

/* printf to out with every CPR-like value masked (ng_mask_cpr): for the
 * lines a command prints besides its diagnostics, which name files. */
void ng_print_masked(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formats one diagnostic as "FILE:LINE:COLUMN: [warning: ]message" into buf. */
void ng_diag_format(const ng_diag *diag, char *buf, size_t size);

#endif
