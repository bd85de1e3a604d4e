/* layout.c -- the page cursor, drawing text and lines, footnotes at the
 * foot of the page, and paragraphs broken over pages (see layout.h). */
#include "layout.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Superscript footnote numbers: size and rise relative to the text. */
#define SUP_SCALE 0.62
#define SUP_RISE 0.36

/* ---- measuring ---------------------------------------------------------- */

static HPDF_Font face_for(const ng_pdf_ctx *c, unsigned style)
{
    return c->fonts.face[style & (NG_STYLE_BOLD | NG_STYLE_ITALIC)];
}

static double width_of(const ng_pdf_ctx *c, unsigned style, double size, const char *text,
                       size_t len)
{
    if (len == 0)
        return 0;
    if (style & NG_STYLE_FOOTREF)
        size *= SUP_SCALE;
    HPDF_TextWidth tw =
        HPDF_Font_TextWidth(face_for(c, style), (const HPDF_BYTE *)text, (HPDF_UINT)len);
    return (double)tw.width * size / 1000.0;
}

double ng_pdf_measure(void *mctx, unsigned style, const char *text, size_t len)
{
    ng_pdf_measure_ctx *m = mctx;
    return width_of(m->pdf, style, m->size, text, len);
}

double ng_pdf_text_width(ng_pdf_ctx *c, unsigned style, double size, const char *text)
{
    return width_of(c, style, size, text, strlen(text));
}

/* ---- pages -------------------------------------------------------------- */

ng_status ng_pdf_new_page(ng_pdf_ctx *c)
{
    ng_pdf_flush_page_notes(c);
    if (c->npages == c->cap_pages) {
        size_t cap = c->cap_pages ? c->cap_pages * 2 : 16;
        HPDF_Page *pages = realloc(c->pages, cap * sizeof *pages);
        if (!pages)
            return NG_ERR_NOMEM;
        c->pages = pages;
        c->cap_pages = cap;
    }
    HPDF_Page page = HPDF_AddPage(c->doc);
    if (!page)
        return NG_ERR_IO;
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4,
                      c->landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT);
    c->pages[c->npages++] = page;
    c->page = page;
    c->page_w = HPDF_Page_GetWidth(page);
    c->page_h = HPDF_Page_GetHeight(page);
    c->left = NG_PDF_MARGIN_LEFT;
    c->right = c->page_w - NG_PDF_MARGIN_RIGHT;
    c->top = c->page_h - NG_PDF_MARGIN_TOP;
    c->bottom = NG_PDF_MARGIN_BOTTOM;
    c->y = c->top;
    c->page_is_new = true;
    if (c->fill_gray != 0) /* a quote that goes on over the page break */
        ng_pdf_set_gray_fill(c, c->fill_gray);
    return c->hpdf_failed ? NG_ERR_IO : NG_OK;
}

ng_status ng_pdf_ensure(ng_pdf_ctx *c, double height)
{
    if (c->page && c->y - height >= c->bottom)
        return NG_OK;
    if (c->page && c->page_is_new)
        return NG_OK; /* taller than a page: a fresh page is the best we can do */
    return ng_pdf_new_page(c);
}

double ng_pdf_space_left(const ng_pdf_ctx *c)
{
    return c->page ? c->y - c->bottom : 0;
}

double ng_pdf_page_space(const ng_pdf_ctx *c)
{
    double h = c->landscape ? NG_PDF_A4_W : NG_PDF_A4_H;
    return h - NG_PDF_MARGIN_TOP - NG_PDF_MARGIN_BOTTOM;
}

/* ---- drawing ------------------------------------------------------------ */

void ng_pdf_set_gray_fill(ng_pdf_ctx *c, double g)
{
    HPDF_Page_SetRGBFill(c->page, (HPDF_REAL)g, (HPDF_REAL)g, (HPDF_REAL)g);
    c->fill_gray = g;
}

void ng_pdf_stroke_line(ng_pdf_ctx *c, double x0, double y0, double x1, double y1, double width,
                        double gray)
{
    HPDF_Page_SetLineWidth(c->page, (HPDF_REAL)width);
    HPDF_Page_SetRGBStroke(c->page, (HPDF_REAL)gray, (HPDF_REAL)gray, (HPDF_REAL)gray);
    HPDF_Page_MoveTo(c->page, (HPDF_REAL)x0, (HPDF_REAL)y0);
    HPDF_Page_LineTo(c->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_Stroke(c->page);
    c->page_is_new = false;
}

void ng_pdf_draw_text(ng_pdf_ctx *c, double x, double y, unsigned style, double size,
                      const char *text, size_t len)
{
    char small[256];
    char *buf = len < sizeof small ? small : malloc(len + 1);
    if (!buf || len == 0) {
        if (buf && buf != small)
            free(buf);
        return;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (style & NG_STYLE_FOOTREF) {
        y += size * SUP_RISE;
        size *= SUP_SCALE;
    }
    HPDF_Page_BeginText(c->page);
    HPDF_Page_SetFontAndSize(c->page, face_for(c, style), (HPDF_REAL)size);
    HPDF_Page_TextOut(c->page, (HPDF_REAL)x, (HPDF_REAL)y, buf);
    HPDF_Page_EndText(c->page);
    c->page_is_new = false;
    if (buf != small)
        free(buf);
}

void ng_pdf_draw_lines(ng_pdf_ctx *c, const ng_run *runs, const ng_pdf_lines *lines, size_t first,
                       size_t count, double x, double y, double width, double size, double leading,
                       int align)
{
    for (size_t i = first; i < first + count && i < lines->nlines; i++) {
        const ng_pdf_line *ln = &lines->lines[i];
        double off = align == 1 ? width - ln->width : align == 2 ? (width - ln->width) / 2 : 0;
        for (size_t k = ln->first; k < ln->first + ln->count; k++) {
            const ng_pdf_frag *f = &lines->frags[k];
            const ng_run *r = &runs[f->run];
            ng_pdf_draw_text(c, x + off + f->x, y, r->style, size, r->text + f->start,
                             f->end - f->start);
        }
        y -= leading;
    }
}

/* Baseline of a line whose box (of height leading) starts at top. */
double ng_pdf_baseline_below(double top, double size, double leading)
{
    return top - (leading - size) / 2 - size * 0.8;
}

/* ---- footnotes at the foot of the page ---------------------------------- */

#define NOTE_LEADING (NG_PDF_NOTE_SIZE * 1.3)
#define NOTE_INDENT 12.0
#define NOTE_SEPARATOR 12.0

/* Footnote index of a NG_STYLE_FOOTREF run ("1" is footnotes[0]), or -1. */
static long footnote_index(const ng_pdf_ctx *c, const ng_run *run)
{
    if (!(run->style & NG_STYLE_FOOTREF) || !c->memo || !c->note_placed)
        return -1;
    long n = strtol(run->text, NULL, 10);
    return n >= 1 && (size_t)n <= c->memo->nfootnotes ? n - 1 : -1;
}

static double note_width(const ng_pdf_ctx *c)
{
    return c->right - c->left - NOTE_INDENT;
}

/* Lays out footnote i into scratch; returns its height. */
static double layout_note(ng_pdf_ctx *c, size_t i, ng_pdf_lines *scratch)
{
    ng_run run = {c->memo->footnotes[i], 0};
    ng_pdf_measure_ctx m = {c, NG_PDF_NOTE_SIZE};
    if (ng_pdf_break_lines(&run, 1, note_width(c), ng_pdf_measure, &m, scratch) != NG_OK)
        scratch->nlines = 0;
    return (double)(scratch->nlines ? scratch->nlines : 1) * NOTE_LEADING + 2;
}

/* Height the footnotes first referenced on line ln need at the page foot. */
static double line_notes_height(ng_pdf_ctx *c, const ng_run *runs, const ng_pdf_lines *lines,
                                size_t ln, ng_pdf_lines *scratch)
{
    double h = 0;
    const ng_pdf_line *l = &lines->lines[ln];
    for (size_t k = l->first; k < l->first + l->count; k++) {
        long i = footnote_index(c, &runs[lines->frags[k].run]);
        if (i >= 0 && !c->note_placed[i])
            h += layout_note(c, (size_t)i, scratch);
    }
    return h > 0 && c->npage_notes == 0 ? h + NOTE_SEPARATOR : h;
}

static void reserve_line_notes(ng_pdf_ctx *c, const ng_run *runs, const ng_pdf_lines *lines,
                               size_t ln, double height)
{
    const ng_pdf_line *l = &lines->lines[ln];
    for (size_t k = l->first; k < l->first + l->count; k++) {
        long i = footnote_index(c, &runs[lines->frags[k].run]);
        if (i >= 0 && !c->note_placed[i]) {
            c->note_placed[i] = true;
            c->page_notes[c->npage_notes++] = (size_t)i;
        }
    }
    c->bottom += height;
}

/* Draws the current page's footnotes between the text and the bottom
 * margin (with its own scratch: a paragraph may be half laid out). */
void ng_pdf_flush_page_notes(ng_pdf_ctx *c)
{
    if (!c->page || c->npage_notes == 0)
        return;
    ng_pdf_lines scratch;
    ng_pdf_lines_init(&scratch);
    double y = c->bottom - NOTE_SEPARATOR + 5;
    ng_pdf_stroke_line(c, c->left, y, c->left + 140, y, 0.5, 0.4);
    y -= 5;
    for (size_t n = 0; n < c->npage_notes; n++) {
        size_t i = c->page_notes[n];
        char num[24];
        snprintf(num, sizeof num, "%zu", i + 1);
        double h = layout_note(c, i, &scratch);
        ng_run run = {c->memo->footnotes[i], 0};
        double base = ng_pdf_baseline_below(y, NG_PDF_NOTE_SIZE, NOTE_LEADING);
        ng_pdf_draw_text(c, c->left, base + NG_PDF_NOTE_SIZE * 0.3, 0, NG_PDF_NOTE_SIZE * 0.8, num,
                         strlen(num));
        ng_pdf_draw_lines(c, &run, &scratch, 0, scratch.nlines, c->left + NOTE_INDENT, base,
                          note_width(c), NG_PDF_NOTE_SIZE, NOTE_LEADING, 0);
        y -= h;
    }
    ng_pdf_lines_free(&scratch);
    c->npage_notes = 0;
}

ng_status ng_pdf_paragraph(ng_pdf_ctx *c, const ng_run *runs, size_t nruns, double x, double width,
                           double size, double leading)
{
    ng_pdf_measure_ctx m = {c, size};
    ng_status st = ng_pdf_break_lines(runs, nruns, width, ng_pdf_measure, &m, &c->lines);
    if (st != NG_OK)
        return st;
    /* keep at least two lines together at the foot of a page */
    if (c->lines.nlines > 1 && (st = ng_pdf_ensure(c, 2 * leading)) != NG_OK)
        return st;
    ng_pdf_lines scratch;
    ng_pdf_lines_init(&scratch);
    for (size_t i = 0; i < c->lines.nlines && st == NG_OK; i++) {
        size_t page = c->npages;
        double notes = line_notes_height(c, runs, &c->lines, i, &scratch);
        if ((st = ng_pdf_ensure(c, leading + notes)) != NG_OK)
            break;
        if (c->npages != page) /* a new page needs the separator again */
            notes = line_notes_height(c, runs, &c->lines, i, &scratch);
        reserve_line_notes(c, runs, &c->lines, i, notes);
        ng_pdf_draw_lines(c, runs, &c->lines, i, 1, x, ng_pdf_baseline_below(c->y, size, leading),
                          width, size, leading, 0);
        c->y -= leading;
    }
    ng_pdf_lines_free(&scratch);
    return st;
}
