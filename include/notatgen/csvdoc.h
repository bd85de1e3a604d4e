/*
 * csvdoc.h -- small CSV documents read whole: budget lines, initiatives,
 * the fingerplan, the SDE history, the price index, an earlier forecast, the
 * history import and the refusion thresholds.
 *
 * The cost extract is streamed by ingest.c; these inputs are a few hundred
 * rows at most, so they are read into memory as rows of UTF-8 fields with
 * their line numbers. Lines starting with '#' are comments; blank lines are
 * skipped; a UTF-8 BOM is dropped; line ends are LF, CRLF or CR alone.
 *
 * What is refused, each with a message FILE:LINE[:COLUMN] (COLUMN = the
 * field's number) -- never a silent cut or skip:
 *   - a file larger than its limit (NG_CSVDOC_MAX_BYTES), a line longer than
 *     NG_CSVDOC_MAX_LINE, a field longer than NG_CSVDOC_MAX_FIELD, more than
 *     NG_CSVDOC_MAX_FIELDS fields in a row or more rows than its limit
 *     (NG_CSVDOC_MAX_ROWS; the reading stops there: a file of a million
 *     lines fails at once). A caller with a larger kind of file (the
 *     population file) gives its own limits (ng_csvdoc_read_limited);
 *   - UTF-16 or UTF-32 (a byte-order mark or NUL bytes between letters);
 *   - a NUL byte, a control character or an invisible character (zero-width
 *     space, a BOM in the middle, soft hyphen, direction marks) in a field;
 *   - bytes that are not the file's encoding: under utf-8 invalid UTF-8;
 *     under windows-1252 the five bytes that code has no character for;
 *     under auto the file is UTF-8 when all of it is, Windows-1252 when none
 *     of it is UTF-8, and a mix of both is an error at the first byte that
 *     is not UTF-8;
 *   - a header naming a column twice, or a header of one field that holds
 *     another delimiter (unless the file may have title lines before its
 *     header: ng_csvdoc_limits.titled, and then the caller checks it);
 *   - invalid CSV (an unterminated quote, a stray quote).
 * A no-break space (or another Unicode space) is read as a plain space, with
 * a warning. Fields are trimmed of spaces and tabs.
 *
 * Ownership: ng_csvdoc_free releases every row and field (also after a
 * failed read, which leaves the document empty).
 */
#ifndef NOTATGEN_CSVDOC_H
#define NOTATGEN_CSVDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/status.h"

enum {
    NG_CSVDOC_MAX_BYTES = 16 * 1024 * 1024,
    NG_CSVDOC_MAX_LINE = 65536,
    NG_CSVDOC_MAX_FIELD = 4096,
    NG_CSVDOC_MAX_FIELDS = 256,
    NG_CSVDOC_MAX_ROWS = 10000,
    NG_CSVDOC_MIN_YEAR = 1900, /* the years a year field or column may hold */
    NG_CSVDOC_MAX_YEAR = 2199
};

/* The largest amount a small file may hold: 100 mia. kr. either way. */
#define NG_CSVDOC_MAX_OERE ((int64_t)100000000000LL * 100)

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

/* How much of a kind of file is read. */
typedef struct {
    size_t max_bytes; /* the file's size */
    size_t max_rows;  /* records, the header included */
    bool titled;      /* row 0 need not be the header (title lines before it): the
                       * caller finds and checks its header */
} ng_csvdoc_limits;

/* The small files': NG_CSVDOC_MAX_BYTES, NG_CSVDOC_MAX_ROWS, row 0 the header. */
extern const ng_csvdoc_limits ng_csvdoc_small;

/* Reads path with the format of file (delimiter, encoding) within the small
 * files' limits. NG_ERR_IO when the file cannot be read, NG_ERR_INPUT (with
 * messages) when it breaks a rule above, NG_ERR_NOMEM. */
ng_status ng_csvdoc_read(const ng_input_file *file, ng_csvdoc *doc, ng_diags *diags);
/* The same within the given limits. */
ng_status ng_csvdoc_read_limited(const ng_input_file *file, const ng_csvdoc_limits *limits,
                                 ng_csvdoc *doc, ng_diags *diags);
/* Reads a file with ';' and automatic encoding. */
ng_status ng_csvdoc_read_path(const char *path, ng_csvdoc *doc, ng_diags *diags);
/* The same from memory (name is used in messages): for the fuzz targets. */
ng_status ng_csvdoc_read_mem(const char *name, const char *data, size_t len, char delimiter,
                             ng_encoding encoding, ng_csvdoc *doc, ng_diags *diags);
void ng_csvdoc_free(ng_csvdoc *doc);
/* Index of the header field named name (case-insensitive) in row 0, or -1. */
int ng_csvdoc_column(const ng_csvdoc *doc, const char *name);
/* The year in a field that is exactly four digits from NG_CSVDOC_MIN_YEAR
 * to NG_CSVDOC_MAX_YEAR ("2025"), else 0. */
int ng_csvdoc_year(const char *field);

/* The header's year columns: every field of row 0 that is not one of the
 * names in known (NULL-terminated, case-insensitive) must be a year
 * (ng_csvdoc_year); anything else -- "2O24" with a letter O, "0000", "9999",
 * an unknown name -- is an error naming the header line and column. Fills
 * years[] and fields[] (the field index of each) in header order, at most
 * max; more year columns than max is an error. Sets *n. Returns false after
 * an error. */
bool ng_csvdoc_year_columns(const ng_csvdoc *doc, const char *const *known, int *years, int *fields,
                            int max, int *n, ng_diags *diags);

/* The year in field `field` of row, or an error "året er ugyldigt ..." at
 * the field (false). */
bool ng_csvdoc_field_year(const ng_csvdoc *doc, const ng_csvrow *row, int field, int *year,
                          ng_diags *diags);

/* An amount in field `field` of row (ng_parse_amount in the given notation
 * and scale) within +-NG_CSVDOC_MAX_OERE, or an error "beløbet ..." at the
 * field (false). A blank field is no amount: *has = false, true. */
bool ng_csvdoc_field_amount(const ng_csvdoc *doc, const ng_csvrow *row, int field,
                            ng_decimal_mark mark, ng_scale scale, int64_t *oere, bool *has,
                            ng_diags *diags);

/* A count of persons or cases in field `field` of row: a whole number from
 * 0 to max, or an error "antallet ..." at the field (false). A blank field
 * is an error. */
bool ng_csvdoc_field_count(const ng_csvdoc *doc, const ng_csvrow *row, int field, long max,
                           long *count, ng_diags *diags);

/* Every row after the header must have as many fields as the header; the
 * first one that does not is an error at its line (false). */
bool ng_csvdoc_check_widths(const ng_csvdoc *doc, ng_diags *diags);

#endif
