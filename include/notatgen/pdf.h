/*
 * pdf.h -- the PDF layout engine on libharu: ng_memo in, PDF file out.
 *
 * A4 portrait, embedded TrueType fonts (Liberation Sans/Serif) with UTF-8,
 * our own line breaking on measured widths, tables that break across pages
 * with their header repeated, charts drawn from the table model, footnotes,
 * "Side N af M" footers, PDF metadata. Deterministic: the same memo gives the
 * same bytes; a creation date is written only when opts->source_date_epoch
 * is set (SOURCE_DATE_EPOCH).
 *
 * Every character is checked against the font before anything is drawn: a
 * character the font lacks is an error naming the character (U+XXXX) and the
 * block it came from, never a box in the output.
 */
#ifndef NOTATGEN_PDF_H
#define NOTATGEN_PDF_H

#include <stdbool.h>

#include "notatgen/diag.h"
#include "notatgen/memo.h"
#include "notatgen/status.h"

typedef struct {
    const char *font_dir;       /* directory with Liberation*.ttf; NULL = fontconfig */
    bool has_source_date_epoch; /* write CreationDate/ModDate from it */
    long long source_date_epoch;
    const char *author; /* PDF metadata; may be NULL */
    const char *subject;
} ng_pdf_options;

/* Writes memo to path. Errors (missing font, missing glyph, I/O) go to diags. */
ng_status ng_pdf_write(const ng_memo *memo, const ng_pdf_options *opts, const char *path,
                       ng_diags *diags);

#endif
