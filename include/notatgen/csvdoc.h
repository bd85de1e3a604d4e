/*
 * csvdoc.h -- small CSV documents read whole: budget lines, initiatives,
 * history aggregates, population, price index.
 *
 * The cost extract is streamed by ingest.c; these inputs are a few hundred
 * rows at most, so they are read into memory as rows of UTF-8 fields with
 * their line numbers. Lines starting with '#' are comments; blank lines are
 * skipped; a UTF-8 BOM is dropped; Windows-1252 is converted to UTF-8.
 *
 * Ownership: ng_csvdoc_free releases every row and field.
 */
#ifndef NOTATGEN_CSVDOC_H
#define NOTATGEN_CSVDOC_H

#include <stddef.h>

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/status.h"

typedef struct {
    char **fields; /* UTF-8, trimmed */
    size_t nfields;
    long line; /* 1-based line of the record's start */
} ng_csvrow;

typedef struct {
    char *path; /* for messages */
    ng_csvrow *rows;
    size_t nrows, caps;
} ng_csvdoc;

/* Reads path with the format of file (delimiter, encoding). */
ng_status ng_csvdoc_read(const ng_input_file *file, ng_csvdoc *doc, ng_diags *diags);
/* Reads a file with ';' and automatic encoding. */
ng_status ng_csvdoc_read_path(const char *path, ng_csvdoc *doc, ng_diags *diags);
void ng_csvdoc_free(ng_csvdoc *doc);
/* Index of the header field named name (case-insensitive) in row 0, or -1. */
int ng_csvdoc_column(const ng_csvdoc *doc, const char *name);
/* The year in a field that is exactly four digits ("2025"), else 0: year
 * columns of a header and the aar field of a row. */
int ng_csvdoc_year(const char *field);

#endif
