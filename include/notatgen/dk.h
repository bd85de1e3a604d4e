/*
 * dk.h -- Danish numbers, dates and the CPR guard: the one module that
 * parses what a Danish export writes and formats what a Danish reader reads.
 *
 * Never call setlocale() for numbers (DESIGN.md): these functions do all
 * Danish formatting by hand, and everything else (libxlsxwriter, jansson)
 * keeps the C locale.
 *
 * Money inside the program is an int64_t count of øre (1 kr. = 100 øre) or,
 * in the table model, a double in kr.
 */
#ifndef NOTATGEN_DK_H
#define NOTATGEN_DK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/status.h"

/* ---- parsing ---------------------------------------------------------- */

/* How a file writes its decimal mark. AUTO reads "1.234.567,89", "1234,5",
 * "1234567.89" and "-1.150" (a single dot followed by exactly three digits is
 * a thousands separator, as Danish exports write it). */
typedef enum { NG_DECIMAL_AUTO, NG_DECIMAL_COMMA, NG_DECIMAL_POINT } ng_decimal_mark;

/* Scale of a monetary input: kr., 1.000 kr. or mio. kr. */
typedef enum { NG_SCALE_KR, NG_SCALE_TKR, NG_SCALE_MIO } ng_scale;

/* Parses a monetary amount in the given scale into øre, rounding half away
 * from zero to the øre. Leading/trailing spaces are allowed, an empty string
 * is not. Returns NG_OK or NG_ERR_INPUT (and sets *why to a short Danish
 * reason when why is not NULL). */
ng_status ng_parse_amount(const char *s, ng_decimal_mark mark, ng_scale scale, int64_t *oere,
                          const char **why);

/* ---- the notation of a column of amounts --------------------------------
 *
 * Under decimaltegn = auto one value cannot always tell its notation: a
 * single dot followed by exactly three digits ("1.150", "1936.600") is a
 * thousands separator in Danish notation and a decimal point in another,
 * and the two readings differ by a factor 1.000. The other values of the
 * same column decide it: "1.234,56", "1234,5" and "1.234.567" are decimal
 * comma, "1234.5" and "0.25" decimal point; plain integers say nothing.
 *
 *   ng_notation n = {0};
 *   for each value of the column (in file order):
 *       ng_amount_in_column(&n, value, mark, scale, line, &oere, &why);
 *   switch (ng_notation_decide(&n, &reread_as)) ...
 *
 * ng_amount_in_column reads an ambiguous value by the column's notation
 * once its other values have decided it, and by the value alone (as
 * ng_parse_amount) before that. ng_notation_decide then says whether those
 * early readings stand, whether the column must be read again with the
 * notation its values decided, or whether nothing decides it. */
typedef struct {
    long line;      /* 0: none seen */
    char value[24]; /* the value as written, cut to fit */
} ng_notation_example;

typedef struct {
    ng_notation_example comma;     /* first value that is unambiguously decimal comma */
    ng_notation_example point;     /* ... decimal point */
    ng_notation_example ambiguous; /* first ambiguous value */
    long nambiguous;
    /* ambiguous values read before the column was decided, by the reading
     * the value alone gave: thousands ("1.150": 1-3 digits before the dot)
     * or decimal point ("1936.600") */
    ng_notation_example early_thousands, early_point;
} ng_notation;

typedef enum {
    NG_NOTATION_CLEAR,     /* every value was read by one notation */
    NG_NOTATION_REREAD,    /* decided, but earlier values were read the other way:
                            * read the column again with *mark */
    NG_NOTATION_AMBIGUOUS, /* ambiguous values, and no value decides the notation */
    NG_NOTATION_MIXED      /* ambiguous values in a column that has both notations */
} ng_notation_verdict;

/* ng_parse_amount of one value s of a column, learning the column's
 * notation into n when mark is NG_DECIMAL_AUTO (line: where s stands, for
 * the messages). With COMMA or POINT it is ng_parse_amount. */
ng_status ng_amount_in_column(ng_notation *n, const char *s, ng_decimal_mark mark, ng_scale scale,
                              long line, int64_t *oere, const char **why);

/* What the values seen say (above); *mark is set for NG_NOTATION_REREAD. */
ng_notation_verdict ng_notation_decide(const ng_notation *n, ng_decimal_mark *mark);

/* A Danish sentence naming the column and the value that cannot be decided
 * (AMBIGUOUS, MIXED) or that decided it (REREAD), into buf. */
void ng_notation_explain(const ng_notation *n, ng_notation_verdict v, const char *column, char *buf,
                         size_t size);

/* Parses a decimal number (Danish or plain notation) into a double. */
ng_status ng_parse_number(const char *s, ng_decimal_mark mark, double *out, const char **why);

/* Parses a whole number (optionally with Danish thousands dots). */
ng_status ng_parse_int(const char *s, long *out, const char **why);

typedef struct {
    int y, m, d;
} ng_date;

/* Parses 2025-10-31, 31-10-2025 or 31.10.2025 (also 31/10/2025) and checks
 * that the day exists. */
ng_status ng_parse_date(const char *s, ng_date *out, const char **why);

/* The readers of a value in its usual shape, from its bytes s[0, len) (no
 * NUL needed), for the ingest's quick rows: true with what ng_parse_amount
 * (under COMMA or POINT; never AUTO) or ng_parse_date gives for that
 * text; false when the text is anything else -- then the full reader must
 * read it, and gives the message. */
bool ng_parse_amount_usual(const char *s, size_t len, ng_decimal_mark mark, ng_scale scale,
                           int64_t *oere);
bool ng_parse_date_usual(const char *s, size_t len, ng_date *out);

/* Finds a date written as YYYY-MM-DD (or YYYYMMDD) inside a file name. */
bool ng_date_from_filename(const char *path, ng_date *out);

bool ng_date_valid(int y, int m, int d);
int ng_days_in_month(int y, int m);
/* Days since 1970-01-01 and back (proleptic Gregorian). */
long ng_date_to_days(ng_date d);
ng_date ng_date_from_days(long days);
/* UTC calendar date of a Unix time. */
ng_date ng_date_from_epoch(long long epoch);
int ng_date_cmp(ng_date a, ng_date b);

/* ---- formatting -------------------------------------------------------- */
/* Every formatter writes a NUL-terminated string into buf (size >= 32 is
 * always enough) and returns buf. Rounding is half away from zero; a value
 * that rounds to zero prints without a minus sign. */

/* 1234567.4 -> "1.234.567" */
char *ng_fmt_int(char *buf, size_t size, double v);
/* (278.64, 1) -> "278,6"; (1234.5, 2) -> "1.234,50" */
char *ng_fmt_dec(char *buf, size_t size, double v, int decimals);
/* kr. -> "1.234.567" */
char *ng_fmt_kr(char *buf, size_t size, double kr);
/* kr. -> mio. kr. with one decimal: 278600000 -> "278,6" */
char *ng_fmt_mio(char *buf, size_t size, double kr);
/* kr. -> 1.000 kr.: -1150000 -> "-1.150" */
char *ng_fmt_tkr(char *buf, size_t size, double kr);
/* fraction -> per cent: 0.468 -> "47 %" */
char *ng_fmt_pct(char *buf, size_t size, double fraction, int decimals);
/* "22. november 2026" */
char *ng_fmt_date_long(char *buf, size_t size, ng_date d);
/* "22-11-2026" */
char *ng_fmt_date_short(char *buf, size_t size, ng_date d);
/* "2026-11-22" */
char *ng_fmt_date_iso(char *buf, size_t size, ng_date d);
/* "januar" .. "december"; NULL outside 1..12 */
const char *ng_month_name(int month);
/* "Januar" .. "December" */
const char *ng_month_name_cap(int month);

/* ---- CPR guard --------------------------------------------------------- */

/* Loose test used for masking messages: ten digits, with or without a dash
 * after the sixth, not part of a longer run of digits. */
bool ng_is_cpr_loose(const char *s, size_t len);

/* Strict test used by the output guard: loose form AND a valid date in the
 * first six digits (DDMMYY). */
bool ng_is_cpr_strict(const char *s, size_t len);

/* Finds the first CPR-like value in text[0..len). strict selects the test.
 * Returns true and sets *pos and *match_len when found. */
bool ng_find_cpr(const char *text, size_t len, bool strict, size_t *pos, size_t *match_len);

/* Returns a malloc'd copy of s with every loose CPR-like value replaced by
 * "XXXXXX-XXXX". The caller frees. NULL on out of memory. */
char *ng_mask_cpr(const char *s);

/* ---- text -------------------------------------------------------------- */

/* true if s[0..len) is valid UTF-8. */
bool ng_utf8_valid(const char *s, size_t len);

/* Converts Windows-1252 bytes to UTF-8 into out (capacity >= 3*len+1);
 * returns the number of bytes written (without the NUL). */
size_t ng_cp1252_to_utf8(const char *in, size_t len, char *out);

/* Lower-cases ASCII letters and æøå/ÆØÅ in place for comparisons. */
void ng_fold_case(char *s);

#endif
