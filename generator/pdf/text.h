/*
 * text.h -- line breaking for the PDF layout engine (internal to pdf/).
 *
 * A paragraph is a list of styled runs (ng_run); ng_pdf_break_lines() cuts it
 * into lines no wider than a given width, measuring text through a callback
 * so that the algorithm can be tested without a PDF. Rules:
 *
 *   - lines break at spaces only; spaces at the start and end of a line are
 *     dropped (they are not part of any fragment);
 *   - a word may span several runs ("**fed**,"): it stays together;
 *   - a word wider than the whole line starts on a line of its own and is
 *     broken between characters (at least one character per line);
 *   - "\n" in a run is a hard line break; an empty line between two hard
 *     breaks is kept, a trailing hard break adds no empty line;
 *   - a paragraph of nothing but spaces gives no lines;
 *   - with hyphenation (ng_pdf_break_lines_hyphenated), a word that does not
 *     fit on a line that still has room (at least NG_PDF_HYPHEN_MIN_ROOM of
 *     the width) is split at the last of its break points whose first part
 *     fits; the line then ends with a hyphen (frag.hyphen) unless the break
 *     is after a hyphen written in the text. At most NG_PDF_HYPHEN_MAX_RUN
 *     lines in a row end hyphenated. A word wider than the whole line is
 *     split at its break points as often as it takes (no limit in a row),
 *     and only what is still too wide is broken between characters.
 *
 * The result is fragments (a byte range of one run at an x offset) grouped in
 * lines. Consecutive words of the same run on one line share one fragment
 * (with their spaces), so a renderer draws them in one text operation.
 *
 * Ownership: ng_pdf_lines owns its arrays; free with ng_pdf_lines_free().
 */
#ifndef NOTATGEN_PDF_TEXT_H
#define NOTATGEN_PDF_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/memo.h"
#include "notatgen/status.h"

/* Width of text[0..len) in the given style (NG_STYLE_* bits), in points. */
typedef double (*ng_pdf_measure_fn)(void *ctx, unsigned style, const char *text, size_t len);

typedef struct {
    size_t run;        /* index into the runs */
    size_t start, end; /* byte range in runs[run].text */
    double x;          /* offset from the start of the line */
    double width;      /* with the hyphen, when there is one */
    bool hyphen;       /* draw NG_PDF_SOFT_HYPHEN after the text (a hyphenated word) */
} ng_pdf_frag;

typedef struct {
    size_t first, count; /* fragments frags[first .. first+count) */
    double width;        /* x + width of the last fragment (0 for an empty line) */
} ng_pdf_line;

typedef struct {
    ng_pdf_frag *frags;
    size_t nfrags, cap_frags;
    ng_pdf_line *lines;
    size_t nlines, cap_lines;
} ng_pdf_lines;

/* The hyphen at the end of a hyphenated line is a soft hyphen, U+00AD: it
 * looks like "-" and tells a reader of the text that the word goes on
 * (ISO 32000-1, 14.8.2.2.3). */
#define NG_PDF_SOFT_HYPHEN "\xC2\xAD"
#define NG_PDF_HYPHEN_MIN_ROOM 0.08
#define NG_PDF_HYPHEN_MAX_RUN 2

/* A place where a word may be broken: after byte at of the word; hyphen
 * false when the word has a hyphen of its own there ("SDE-|sager"). */
typedef struct {
    size_t at;
    bool hyphen;
} ng_pdf_break_point;

/* Finds the break points of word[0..len) (a run of text between spaces,
 * punctuation included), ascending; returns how many (at most max). */
typedef size_t (*ng_pdf_hyphen_fn)(void *ctx, const char *word, size_t len,
                                   ng_pdf_break_point *points, size_t max);

typedef struct {
    ng_pdf_hyphen_fn find;
    void *ctx;
    /* only a word wider than the whole line is hyphenated (a table cell:
     * its column is narrower than a word only when nothing else fits) */
    bool too_wide_only;
} ng_pdf_hyphenation;

void ng_pdf_lines_init(ng_pdf_lines *l);
void ng_pdf_lines_free(ng_pdf_lines *l);

/* Breaks runs into lines of at most width points (a single character wider
 * than width still gets a line). Replaces the contents of out. */
ng_status ng_pdf_break_lines(const ng_run *runs, size_t nruns, double width,
                             ng_pdf_measure_fn measure, void *ctx, ng_pdf_lines *out);
/* As ng_pdf_break_lines, hyphenating words with hy (NULL: none). */
ng_status ng_pdf_break_lines_hyphenated(const ng_run *runs, size_t nruns, double width,
                                        ng_pdf_measure_fn measure, void *ctx,
                                        const ng_pdf_hyphenation *hy, ng_pdf_lines *out);

/* Length in bytes of the UTF-8 sequence starting at s (1 for invalid bytes). */
size_t ng_pdf_utf8_len(const char *s);
/* Decodes the code point at s (0xFFFD for an invalid sequence); sets *len. */
unsigned long ng_pdf_utf8_decode(const char *s, size_t *len);

#endif
