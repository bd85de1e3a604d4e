/*
 * layout.h -- the base of the PDF layout engine (internal to pdf/): the
 * libharu document, the four faces, the page cursor, the letterhead,
 * footnotes at the foot of the page, and helpers for drawing text and
 * keeping content on a page (layout.c). tables.c and charts.c build on it;
 * pdf.c on all of them.
 *
 * Coordinates are PDF points with the origin at the bottom left; ctx->y is
 * the top of the space still free on the current page and decreases as
 * blocks are laid out. A page is started lazily (ng_pdf_ensure) so that the
 * document never ends with an empty page.
 *
 * Tagging: every drawing helper here marks what it draws as content of the
 * current structure element of ctx->tags, or as an artifact between
 * ng_pdf_tags_artifact_begin/end (tags.h); code that paints with libharu
 * directly calls ng_pdf_mark() first.
 */
#ifndef NOTATGEN_PDF_LAYOUT_H
#define NOTATGEN_PDF_LAYOUT_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/memo.h"
#include "notatgen/status.h"
#include "fonts.h"
#include "tags.h"
#include "text.h"

/* Page geometry (A4) and the memo's type, in points. */
#define NG_PDF_A4_W 595.276
#define NG_PDF_A4_H 841.89
#define NG_PDF_MARGIN_LEFT 70.0
#define NG_PDF_MARGIN_RIGHT 60.0
#define NG_PDF_MARGIN_TOP 62.0
#define NG_PDF_MARGIN_BOTTOM 70.0
#define NG_PDF_BODY_SIZE 10.5
#define NG_PDF_BODY_LEADING 14.5
#define NG_PDF_PARA_GAP 7.0
#define NG_PDF_NOTE_SIZE 8.5

/* ---- the layout context ------------------------------------------------ */

typedef struct {
    HPDF_Doc doc;
    ng_pdf_fonts fonts;
    ng_diags *diags;
    HPDF_Page *pages;
    size_t npages, cap_pages;
    HPDF_Page page; /* NULL until the first ensure */
    bool landscape; /* orientation of the next page to start */
    double page_w, page_h;
    double left, right; /* x of the text area's edges on the current page */
    double top, bottom;
    double y;         /* top of the free space */
    bool page_is_new; /* nothing drawn on the page yet */
    double fill_gray; /* text colour, carried over to a new page */
    bool hpdf_failed; /* libharu's error handler was called */
    unsigned long hpdf_error, hpdf_detail;
    ng_pdf_lines lines;                    /* scratch for paragraph layout */
    ng_pdf_tags *tags;                     /* the structure tree, owned */
    const ng_pdf_hyphenation *hyphenation; /* for body text; NULL = none */
    /* footnotes go to the foot of the page where they are referenced:
     * c->bottom rises by the notes' height as references are placed */
    const ng_memo *memo;
    bool *note_placed;      /* per footnote */
    ng_tag_elem *note_elem; /* per footnote: its Note (0 = none yet) */
    size_t *page_notes;     /* footnotes waiting for the current page's foot */
    size_t npage_notes;
    /* the letterhead: a logo at the top right of the first or every page */
    HPDF_Image logo;
    double logo_w, logo_h;
    const char *logo_alt;
    bool logo_every_page;
} ng_pdf_ctx;

/* Measures text in a style and size (for ng_pdf_break_lines: ctx is a
 * ng_pdf_measure_ctx). */
typedef struct {
    ng_pdf_ctx *pdf;
    double size;
} ng_pdf_measure_ctx;
double ng_pdf_measure(void *mctx, unsigned style, const char *text, size_t len);
double ng_pdf_text_width(ng_pdf_ctx *c, unsigned style, double size, const char *text);

/* Starts a new page in ctx->landscape orientation. */
ng_status ng_pdf_new_page(ng_pdf_ctx *c);
/* Makes sure height points are free below ctx->y, starting a page if not
 * (or if no page exists yet). */
ng_status ng_pdf_ensure(ng_pdf_ctx *c, double height);
/* Space left on the current page (0 before the first page). */
double ng_pdf_space_left(const ng_pdf_ctx *c);
/* Height of the text area of a fresh page in the current orientation. */
double ng_pdf_page_space(const ng_pdf_ctx *c);

/* Draws text (NUL-free byte range) with its left edge at x, baseline y. */
void ng_pdf_draw_text(ng_pdf_ctx *c, double x, double y, unsigned style, double size,
                      const char *text, size_t len);
/* Baseline of a line whose box (of height leading) starts at top. */
double ng_pdf_baseline_below(double top, double size, double leading);

/* Draws the lines in c->lines (laid out from runs) with the first baseline
 * at y; align: 0 left, 1 right, 2 centre within width. */
void ng_pdf_draw_lines(ng_pdf_ctx *c, const ng_run *runs, const ng_pdf_lines *lines, size_t first,
                       size_t count, double x, double y, double width, double size, double leading,
                       int align);
/* Lays out and draws a paragraph of runs at x with the given width,
 * breaking pages between lines with at least two lines on either side of
 * a break (ng_pdf_lines_on_page); advances ctx->y. hyphenate: with
 * ctx->hyphenation. */
ng_status ng_pdf_paragraph(ng_pdf_ctx *c, const ng_run *runs, size_t nruns, double x, double width,
                           double size, double leading, bool hyphenate);
/* How many lines a paragraph puts on this page: remaining lines are left
 * of it, fit of them fit, first says whether none is drawn yet. At least
 * two lines end the page (no orphan) and two begin the next (no widow);
 * 0 means the paragraph goes on the next page as a whole. */
int ng_pdf_lines_on_page(int remaining, int fit, bool first);
/* The number of lines of a paragraph, as ng_pdf_paragraph breaks it. */
size_t ng_pdf_count_lines(ng_pdf_ctx *c, const ng_run *runs, size_t nruns, double width,
                          double size, bool hyphenate);
/* The height a paragraph of nlines needs on the page it starts on: all of
 * it when it cannot be broken (up to three lines), else two lines. */
double ng_pdf_first_lines_height(size_t nlines, double leading);

/* Draws the footnotes waiting for the current page at its foot. */
void ng_pdf_flush_page_notes(ng_pdf_ctx *c);

/* Marks what is painted next as the current element's or artifact's. */
void ng_pdf_mark(ng_pdf_ctx *c);

void ng_pdf_set_gray_fill(ng_pdf_ctx *c, double g);
void ng_pdf_stroke_line(ng_pdf_ctx *c, double x0, double y0, double x1, double y1, double width,
                        double gray);
void ng_pdf_fill_rect(ng_pdf_ctx *c, double x, double y, double w, double h, double gray);
/* A rule or border: a line drawn as a layout artifact. */
void ng_pdf_rule(ng_pdf_ctx *c, double x0, double y0, double x1, double y1, double width,
                 double gray);

#endif
