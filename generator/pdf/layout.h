/*
 * layout.h -- the state shared by the PDF layout engine's files (internal to
 * pdf/): the libharu document, the four faces, the page cursor, and helpers
 * for drawing text and keeping content on a page.
 *
 * Coordinates are PDF points with the origin at the bottom left; ctx->y is
 * the top of the space still free on the current page and decreases as
 * blocks are laid out. A page is started lazily (ng_pdf_ensure) so that the
 * document never ends with an empty page.
 */
#ifndef NOTATGEN_PDF_LAYOUT_H
#define NOTATGEN_PDF_LAYOUT_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/memo.h"
#include "notatgen/status.h"
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

/* ---- fonts (fonts.c) --------------------------------------------------- */

/* Index of a face by NG_STYLE_BOLD | NG_STYLE_ITALIC bits. */
enum { NG_FACE_REGULAR = 0, NG_FACE_BOLD = 1, NG_FACE_ITALIC = 2, NG_FACE_BOLD_ITALIC = 3 };

typedef struct ng_pdf_fonts {
    char *path[4];
    void *charset[4]; /* FcCharSet*, owned */
    HPDF_Font face[4];
} ng_pdf_fonts;

/* Finds the four Liberation Sans faces in font_dir, or through fontconfig
 * when font_dir is NULL, and reads their character sets. */
ng_status ng_pdf_fonts_find(ng_pdf_fonts *f, const char *font_dir, ng_diags *diags);
/* Embeds the faces in doc (UTF-8). */
ng_status ng_pdf_fonts_load(ng_pdf_fonts *f, HPDF_Doc doc, ng_diags *diags);
/* True when every face has a glyph for code point cp. */
bool ng_pdf_fonts_have(const ng_pdf_fonts *f, unsigned long cp);
void ng_pdf_fonts_free(ng_pdf_fonts *f);

/* ---- the layout context (pdf.c) ---------------------------------------- */

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
    ng_pdf_lines lines; /* scratch for paragraph layout */
    /* footnotes go to the foot of the page where they are referenced:
     * c->bottom rises by the notes' height as references are placed */
    const ng_memo *memo;
    bool *note_placed;  /* per footnote */
    size_t *page_notes; /* footnotes waiting for the current page's foot */
    size_t npage_notes;
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
/* Draws the lines in c->lines (laid out from runs) with the first baseline
 * at y; align: 0 left, 1 right, 2 centre within width. */
void ng_pdf_draw_lines(ng_pdf_ctx *c, const ng_run *runs, const ng_pdf_lines *lines, size_t first,
                       size_t count, double x, double y, double width, double size, double leading,
                       int align);
/* Lays out and draws a paragraph of runs at x with the given width,
 * breaking pages between lines; advances ctx->y. */
ng_status ng_pdf_paragraph(ng_pdf_ctx *c, const ng_run *runs, size_t nruns, double x, double width,
                           double size, double leading);

void ng_pdf_set_gray_fill(ng_pdf_ctx *c, double g);
void ng_pdf_stroke_line(ng_pdf_ctx *c, double x0, double y0, double x1, double y1, double width,
                        double gray);

/* ---- tables (tables.c) and charts (charts.c) --------------------------- */

/* Where a row of a table lands: page 0 is the page the table starts on
 * (after moving to a fresh page when not even the header and the first row
 * fit), top is the distance from the top of the table area on that page. */
typedef struct {
    int page;
    double top;
} ng_pdf_slot;

/* Places rows of heights row_h under a header of head_h that is repeated on
 * every page. first_avail is the space left on the current page,
 * page_avail a fresh page's. *moved is set when the table must start on
 * the next page (then page 0 means that page). Returns the number of pages. */
int ng_pdf_paginate_rows(const double *row_h, int nrows, double head_h, double first_avail,
                         double page_avail, ng_pdf_slot *slots, bool *moved);

/* The value axis of a chart: data from lo to hi (display units) get ticks
 * every step (1, 2, 2,5 or 5 times a power of ten, about five of them) from
 * lo to hi, shown with decimals digits. Columns always include zero. */
typedef struct {
    double lo, hi, step;
    int decimals;
} ng_pdf_axis;
ng_pdf_axis ng_pdf_nice_axis(double lo, double hi, ng_figure_type type);

ng_status ng_pdf_table(ng_pdf_ctx *c, const ng_table *t, const char *caption);
ng_status ng_pdf_figure(ng_pdf_ctx *c, const ng_figure *fig, const ng_table *t, const char *caption,
                        long line);

#endif
