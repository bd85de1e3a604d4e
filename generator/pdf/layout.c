/* layout.c -- the page cursor, the letterhead, drawing text and lines,
 * footnotes at the foot of the page, and paragraphs broken over pages (see
 * layout.h). */
#include "layout.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Superscript footnote numbers: size and rise relative to the text. */
#define SUP_SCALE 0.62
#define SUP_RISE 0.36
/* The logo stands in the top margin, its top this far below the edge. */
#define LOGO_TOP 22.0

/* ---- measuring ---------------------------------------------------------- */

static int face_index(unsigned style)
{
    return (int)(style & (NG_STYLE_BOLD | NG_STYLE_ITALIC));
}

static double width_of(const ng_pdf_ctx *c, unsigned style, double size, const char *text,
                       size_t len)
{
    if (len == 0)
        return 0;
    if (style & NG_STYLE_FOOTREF)
        size *= SUP_SCALE;
    HPDF_TextWidth tw = HPDF_Font_TextWidth(c->fonts.face[face_index(style)],
                                            (const HPDF_BYTE *)text, (HPDF_UINT)len);
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

/* The logo at the top right: the first page's is a figure with its
 * alternative text, a repeated one page furniture. */
static void draw_logo(ng_pdf_ctx *c)
{
    bool first = c->npages == 1;
    if (!c->logo || (!first && !c->logo_every_page))
        return;
    double x = c->page_w - NG_PDF_MARGIN_RIGHT - c->logo_w;
    double y = c->page_h - LOGO_TOP - c->logo_h;
    if (first) {
        ng_tag_attrs a = {
            .alt = c->logo_alt, .has_bbox = true, .bbox = {x, y, x + c->logo_w, y + c->logo_h}};
        ng_pdf_tags_open(c->tags, NG_TAG_FIGURE, &a);
    } else {
        ng_pdf_tags_artifact_begin(c->tags, NG_ARTIFACT_PAGINATION);
    }
    ng_pdf_mark(c);
    HPDF_Page_DrawImage(c->page, c->logo, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)c->logo_w,
                        (HPDF_REAL)c->logo_h);
    if (first)
        ng_pdf_tags_close(c->tags);
    else
        ng_pdf_tags_artifact_end(c->tags);
}

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
    ng_pdf_tags_add_page(c->tags, page);
    c->pages[c->npages++] = page;
    c->page = page;
    c->page_w = HPDF_Page_GetWidth(page);
    c->page_h = HPDF_Page_GetHeight(page);
    c->left = NG_PDF_MARGIN_LEFT;
    c->right = c->page_w - NG_PDF_MARGIN_RIGHT;
    c->top = c->page_h - NG_PDF_MARGIN_TOP;
    c->bottom = NG_PDF_MARGIN_BOTTOM;
    c->y = c->top;
    draw_logo(c);
    c->page_is_new = true;
    if (c->fill_gray != 0) /* a quote that goes on over the page break */
        ng_pdf_set_gray_fill(c, c->fill_gray);
    return c->hpdf_failed ? NG_ERR_IO : ng_pdf_tags_status(c->tags);
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

void ng_pdf_mark(ng_pdf_ctx *c)
{
    ng_pdf_tags_content(c->tags, c->page);
}

void ng_pdf_set_gray_fill(ng_pdf_ctx *c, double g)
{
    HPDF_Page_SetRGBFill(c->page, (HPDF_REAL)g, (HPDF_REAL)g, (HPDF_REAL)g);
    c->fill_gray = g;
}

void ng_pdf_stroke_line(ng_pdf_ctx *c, double x0, double y0, double x1, double y1, double width,
                        double gray)
{
    ng_pdf_mark(c);
    HPDF_Page_SetLineWidth(c->page, (HPDF_REAL)width);
    HPDF_Page_SetRGBStroke(c->page, (HPDF_REAL)gray, (HPDF_REAL)gray, (HPDF_REAL)gray);
    HPDF_Page_MoveTo(c->page, (HPDF_REAL)x0, (HPDF_REAL)y0);
    HPDF_Page_LineTo(c->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_Stroke(c->page);
    c->page_is_new = false;
}

void ng_pdf_rule(ng_pdf_ctx *c, double x0, double y0, double x1, double y1, double width,
                 double gray)
{
    ng_pdf_tags_artifact_begin(c->tags, NG_ARTIFACT_LAYOUT);
    ng_pdf_stroke_line(c, x0, y0, x1, y1, width, gray);
    ng_pdf_tags_artifact_end(c->tags);
}

void ng_pdf_fill_rect(ng_pdf_ctx *c, double x, double y, double w, double h, double gray)
{
    double keep = c->fill_gray;
    ng_pdf_set_gray_fill(c, gray);
    ng_pdf_mark(c);
    HPDF_Page_Rectangle(c->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Fill(c->page);
    ng_pdf_set_gray_fill(c, keep);
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
    int face = face_index(style);
    ng_pdf_fonts_note_used(&c->fonts, face, buf, len);
    ng_pdf_mark(c);
    HPDF_Page_BeginText(c->page);
    HPDF_Page_SetFontAndSize(c->page, c->fonts.face[face], (HPDF_REAL)size);
    HPDF_Page_TextOut(c->page, (HPDF_REAL)x, (HPDF_REAL)y, buf);
    HPDF_Page_EndText(c->page);
    c->page_is_new = false;
    if (buf != small)
        free(buf);
}

/* ---- footnote references ------------------------------------------------ */

/* Footnote index of a NG_STYLE_FOOTREF run ("1" is footnotes[0]), or -1. */
static long footnote_index(const ng_pdf_ctx *c, const ng_run *run)
{
    if (!(run->style & NG_STYLE_FOOTREF) || !c->memo || !c->note_placed)
        return -1;
    long n = strtol(run->text, NULL, 10);
    return n >= 1 && (size_t)n <= c->memo->nfootnotes ? n - 1 : -1;
}

/* A footnote's Note, placed in the tree right after its first reference
 * (its text is drawn later, at the foot of the page). */
static void note_after_reference(ng_pdf_ctx *c, long i)
{
    if (i < 0 || !c->note_placed[i] || c->note_elem[i])
        return;
    char id[32];
    snprintf(id, sizeof id, "fodnote-%ld", i + 1);
    ng_tag_attrs a = {.id = id};
    c->note_elem[i] = ng_pdf_tags_open(c->tags, NG_TAG_NOTE, &a);
    ng_pdf_tags_close(c->tags);
}

/* Draws a fragment; a footnote reference is a Reference element. */
static void draw_frag(ng_pdf_ctx *c, const ng_run *r, const ng_pdf_frag *f, double x, double y,
                      double size)
{
    long note = footnote_index(c, r);
    if (note >= 0)
        ng_pdf_tags_open(c->tags, NG_TAG_REFERENCE, NULL);
    if (!f->hyphen) {
        ng_pdf_draw_text(c, x, y, r->style, size, r->text + f->start, f->end - f->start);
    } else {
        size_t n = f->end - f->start;
        char *s = malloc(n + sizeof NG_PDF_SOFT_HYPHEN);
        if (s) {
            memcpy(s, r->text + f->start, n);
            memcpy(s + n, NG_PDF_SOFT_HYPHEN, sizeof NG_PDF_SOFT_HYPHEN);
            ng_pdf_draw_text(c, x, y, r->style, size, s, strlen(s));
            free(s);
        }
    }
    if (note >= 0) {
        ng_pdf_tags_close(c->tags);
        note_after_reference(c, note);
    }
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
            draw_frag(c, &runs[f->run], f, x + off + f->x, y, size);
        }
        y -= leading;
    }
}

double ng_pdf_baseline_below(double top, double size, double leading)
{
    return top - (leading - size) / 2 - size * 0.8;
}

/* ---- footnotes at the foot of the page ---------------------------------- */

#define NOTE_LEADING (NG_PDF_NOTE_SIZE * 1.3)
#define NOTE_INDENT 12.0
#define NOTE_SEPARATOR 12.0

static double note_width(const ng_pdf_ctx *c)
{
    return c->right - c->left - NOTE_INDENT;
}

/* Lays out footnote i into scratch; returns its height. */
static double layout_note(ng_pdf_ctx *c, size_t i, ng_pdf_lines *scratch)
{
    ng_run run = {c->memo->footnotes[i], 0};
    ng_pdf_measure_ctx m = {c, NG_PDF_NOTE_SIZE};
    if (ng_pdf_break_lines_hyphenated(&run, 1, note_width(c), ng_pdf_measure, &m, c->hyphenation,
                                      scratch) != NG_OK)
        scratch->nlines = 0;
    return (double)(scratch->nlines ? scratch->nlines : 1) * NOTE_LEADING + 2;
}

/* Height the footnotes first referenced on line ln need at the page foot,
 * with the separator when they are the page's first (any_notes false). */
static double line_notes_height(ng_pdf_ctx *c, const ng_run *runs, const ng_pdf_lines *lines,
                                size_t ln, bool any_notes, ng_pdf_lines *scratch)
{
    double h = 0;
    const ng_pdf_line *l = &lines->lines[ln];
    for (size_t k = l->first; k < l->first + l->count; k++) {
        long i = footnote_index(c, &runs[lines->frags[k].run]);
        if (i >= 0 && !c->note_placed[i])
            h += layout_note(c, (size_t)i, scratch);
    }
    return h > 0 && !any_notes ? h + NOTE_SEPARATOR : h;
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

/* One footnote at the foot: its Note (after its reference in the tree) with
 * the number as its label. */
static void draw_page_note(ng_pdf_ctx *c, size_t i, double y, ng_pdf_lines *scratch)
{
    char num[24];
    snprintf(num, sizeof num, "%zu", i + 1);
    layout_note(c, i, scratch);
    if (!c->note_elem[i])
        note_after_reference(c, (long)i);
    ng_pdf_tags_enter(c->tags, c->note_elem[i]);
    ng_run run = {c->memo->footnotes[i], 0};
    double base = ng_pdf_baseline_below(y, NG_PDF_NOTE_SIZE, NOTE_LEADING);
    ng_pdf_tags_open(c->tags, NG_TAG_LBL, NULL);
    ng_pdf_draw_text(c, c->left, base + NG_PDF_NOTE_SIZE * 0.3, 0, NG_PDF_NOTE_SIZE * 0.8, num,
                     strlen(num));
    ng_pdf_tags_close(c->tags);
    ng_pdf_draw_lines(c, &run, scratch, 0, scratch->nlines, c->left + NOTE_INDENT, base,
                      note_width(c), NG_PDF_NOTE_SIZE, NOTE_LEADING, 0);
    ng_pdf_tags_close(c->tags);
}

void ng_pdf_flush_page_notes(ng_pdf_ctx *c)
{
    if (!c->page || c->npage_notes == 0)
        return;
    ng_pdf_lines scratch;
    ng_pdf_lines_init(&scratch);
    double y = c->bottom - NOTE_SEPARATOR + 5;
    ng_pdf_rule(c, c->left, y, c->left + 140, y, 0.5, 0.4);
    y -= 5;
    for (size_t n = 0; n < c->npage_notes; n++) {
        size_t i = c->page_notes[n];
        double h = layout_note(c, i, &scratch);
        draw_page_note(c, i, y, &scratch);
        y -= h;
    }
    ng_pdf_lines_free(&scratch);
    c->npage_notes = 0;
}

/* ---- paragraphs --------------------------------------------------------- */

int ng_pdf_lines_on_page(int remaining, int fit, bool first)
{
    if (fit >= remaining)
        return remaining;
    int k = fit < remaining - 2 ? fit : remaining - 2; /* two for the next page */
    if (k < 2 && first)
        return 0; /* not one line alone at the foot */
    return k < 1 ? 0 : k;
}

/* How many of the lines from line i fit on the page, with the footnotes
 * they reference. */
static int lines_that_fit(ng_pdf_ctx *c, const ng_run *runs, size_t i, double leading,
                          ng_pdf_lines *scratch)
{
    double y = c->y, bottom = c->bottom;
    bool any_notes = c->npage_notes > 0;
    int fit = 0;
    for (size_t k = i; k < c->lines.nlines; k++) {
        double notes = line_notes_height(c, runs, &c->lines, k, any_notes, scratch);
        if (y - leading < bottom + notes - 1e-9)
            break;
        any_notes |= notes > 0;
        y -= leading;
        bottom += notes;
        fit++;
    }
    return fit;
}

static ng_status break_paragraph(ng_pdf_ctx *c, const ng_run *runs, size_t nruns, double width,
                                 double size, bool hyphenate, ng_pdf_lines *out)
{
    ng_pdf_measure_ctx m = {c, size};
    return ng_pdf_break_lines_hyphenated(runs, nruns, width, ng_pdf_measure, &m,
                                         hyphenate ? c->hyphenation : NULL, out);
}

size_t ng_pdf_count_lines(ng_pdf_ctx *c, const ng_run *runs, size_t nruns, double width,
                          double size, bool hyphenate)
{
    ng_pdf_lines l;
    ng_pdf_lines_init(&l);
    size_t n = break_paragraph(c, runs, nruns, width, size, hyphenate, &l) == NG_OK ? l.nlines : 1;
    ng_pdf_lines_free(&l);
    return n;
}

double ng_pdf_first_lines_height(size_t nlines, double leading)
{
    return (double)(nlines <= 3 ? nlines : 2) * leading;
}

static void draw_paragraph_line(ng_pdf_ctx *c, const ng_run *runs, size_t i, double x, double width,
                                double size, double leading, ng_pdf_lines *scratch)
{
    double notes = line_notes_height(c, runs, &c->lines, i, c->npage_notes > 0, scratch);
    reserve_line_notes(c, runs, &c->lines, i, notes);
    ng_pdf_draw_lines(c, runs, &c->lines, i, 1, x, ng_pdf_baseline_below(c->y, size, leading),
                      width, size, leading, 0);
    c->y -= leading;
}

ng_status ng_pdf_paragraph(ng_pdf_ctx *c, const ng_run *runs, size_t nruns, double x, double width,
                           double size, double leading, bool hyphenate)
{
    ng_status st = break_paragraph(c, runs, nruns, width, size, hyphenate, &c->lines);
    if (st == NG_OK && !c->page)
        st = ng_pdf_new_page(c);
    ng_pdf_lines scratch;
    ng_pdf_lines_init(&scratch);
    size_t n = c->lines.nlines;
    for (size_t i = 0; i < n && st == NG_OK;) {
        int fit = lines_that_fit(c, runs, i, leading, &scratch);
        int k = ng_pdf_lines_on_page((int)(n - i), fit, i == 0);
        if (k == 0 && c->page_is_new)
            k = fit > 0 ? fit : 1; /* a fresh page: there is no better place */
        for (int j = 0; j < k; j++)
            draw_paragraph_line(c, runs, i++, x, width, size, leading, &scratch);
        if (i < n)
            st = ng_pdf_new_page(c);
    }
    ng_pdf_lines_free(&scratch);
    return st;
}
