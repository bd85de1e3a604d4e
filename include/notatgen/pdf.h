/*
 * pdf.h -- the PDF layout engine on libharu: ng_memo in, PDF file out.
 *
 * A4 portrait, embedded TrueType fonts (Liberation Sans) with UTF-8, our
 * own line breaking on measured widths with Danish hyphenation (libhyphen,
 * hyphen-da), no widows or orphans, headings kept with what follows, tables
 * that break across pages with their header repeated, charts drawn from the
 * table model, footnotes, "Side N af M" footers, a logo in the letterhead.
 *
 * Every memo is tagged PDF/UA-1 and PDF/A-2 (level A): a structure tree
 * (headings, paragraphs, lists, tables with header cells and their scope,
 * figures with an alternative text from their table, notes; page furniture
 * as artifacts), document language da-DK, title shown, bookmarks, XMP
 * metadata, an sRGB output intent, ToUnicode maps for every glyph drawn.
 * docs/pdf.md lists which requirements of the two standards the test
 * tests/pdf_check.py checks and which it cannot.
 *
 * Deterministic: the same memo and options give the same bytes; the
 * trailer /ID is a digest of the file's own bytes. A date (CreationDate,
 * ModDate and the XMP dates) is written only when opts->has_date is set.
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
    const char *font_dir; /* directory with Liberation*.ttf; NULL = fontconfig */
    bool has_date;        /* write the document's date: */
    long long date_epoch; /*   SOURCE_DATE_EPOCH, or the extract date (the caller decides) */
    const char *author;   /* PDF metadata; may be NULL */
    const char *subject;
    const char *logo;          /* PNG or JPEG (RGB or grey) for the letterhead; NULL = none */
    const char *logo_text;     /* its alternative text; NULL = "Logo" */
    bool logo_first_page_only; /* else on every page */
    const char *hyphen_dict;   /* NULL = /usr/share/hyphen/hyph_da_DK.dic (hyphen-da) */
    const char *icc_profile;   /* NULL = /usr/share/color/icc/sRGB.icc (icc-profiles-free) */
} ng_pdf_options;

/* Writes memo to path (mode 0600). Errors (missing font, missing glyph,
 * missing hyphenation patterns or colour profile, a logo that cannot be
 * read, I/O) go to diags. */
ng_status ng_pdf_write(const ng_memo *memo, const ng_pdf_options *opts, const char *path,
                       ng_diags *diags);

/* Checks, without writing anything, what ng_pdf_write needs besides the
 * memo: the fonts, the hyphenation patterns, the colour profile and the
 * logo (read and decoded). The same errors as ng_pdf_write. */
ng_status ng_pdf_check_resources(const ng_pdf_options *opts, ng_diags *diags);

#endif
