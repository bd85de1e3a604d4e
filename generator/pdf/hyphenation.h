/*
 * hyphenation.h -- Danish hyphenation for the PDF layout engine (internal to
 * pdf/), with libhyphen and the hyphen-da patterns.
 *
 * ng_pdf_hyphenate() is an ng_pdf_hyphen_fn (text.h): it gets a word as the
 * line breaker sees it, between spaces with its punctuation ("(service),"),
 * and returns where it may be broken:
 *
 *   - only words of letters (any Latin-1 letter: æøå, é, ü ...), possibly
 *     joined by hyphens ("SDE-sager") and wrapped in punctuation; a word
 *     with a digit, '@', '/', '.' or any other sign inside is never broken
 *     (numbers, amounts, dates, e-mail addresses, file names);
 *   - each part between hyphens must have NG_PDF_HYPHEN_MIN_WORD letters,
 *     and a break leaves NG_PDF_HYPHEN_MIN_LEFT letters before it and
 *     NG_PDF_HYPHEN_MIN_RIGHT after it within its part;
 *   - after a hyphen of the word itself, it may break without adding one.
 *
 * The patterns are lower case; the dictionary's first line names its
 * encoding (hyph_da_DK.dic is ISO8859-1, others UTF-8) and the word is
 * handed to libhyphen in that encoding.
 *
 * A dictionary that cannot be read is an error (NG_ERR_CONFIG, naming the
 * file and the package hyphen-da): the memos never silently lose their
 * hyphenation.
 *
 * Ownership: the hyphenator owns the loaded dictionary; free with
 * ng_pdf_hyphenator_free().
 */
#ifndef NOTATGEN_PDF_HYPHEN_H
#define NOTATGEN_PDF_HYPHEN_H

#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/status.h"
#include "text.h"

#define NG_PDF_HYPHEN_DICT "/usr/share/hyphen/hyph_da_DK.dic"
enum { NG_PDF_HYPHEN_MIN_WORD = 6, NG_PDF_HYPHEN_MIN_LEFT = 2, NG_PDF_HYPHEN_MIN_RIGHT = 3 };

typedef struct ng_pdf_hyphenator ng_pdf_hyphenator;

/* Loads the patterns of path (NULL: NG_PDF_HYPHEN_DICT). Returns NULL and
 * sets *st (NG_ERR_CONFIG or NG_ERR_NOMEM) with a message in diags. */
ng_pdf_hyphenator *ng_pdf_hyphenator_load(const char *path, ng_diags *diags, ng_status *st);
void ng_pdf_hyphenator_free(ng_pdf_hyphenator *h);

/* The break points of word[0..len) (see above); ctx is the hyphenator. */
size_t ng_pdf_hyphenate(void *ctx, const char *word, size_t len, ng_pdf_break_point *points,
                        size_t max);

#endif
