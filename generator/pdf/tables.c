/* tables.c -- tables from the table model: widths fitted to the content,
 * numbers right-aligned, group headers, bold total rows, the header repeated
 * on every page, smaller type and then a landscape page when too wide. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"

#define CAPTION_SIZE 10.0
#define SOURCE_SIZE 8.0
#define CONT_SIZE 9.0
#define HEADER_GRAY 0.90
#define RULE_GRAY 0.15
#define THIN_GRAY 0.72
#define KEEP_ROWS 3

static const double table_sizes[] = {9.5, 8.5, 7.5, 6.5};
enum { NSIZES = sizeof table_sizes / sizeof table_sizes[0] };

typedef struct {
    ng_pdf_ctx *c;
    const ng_table *t;
    char **cell; /* formatted cells, row-major, owned */
    double size, leading, pad_x, pad_y;
    double *w, *minw, *natw; /* per column */
    double *bodyw;           /* natural width of the cells, the header wrapped */
    double *row_h;
    double group_h, label_h;
    bool has_groups;
} table_layout;

/* Amounts and counts are right-aligned; a year or a date labels its row
 * (the status memo's "2022, 2023, ...") and reads best left-aligned like text. */
static bool is_number_column(const ng_table *t, int col)
{
    ng_unit u = t->cols[col].unit;
    return u != NG_UNIT_TEXT && u != NG_UNIT_AAR && u != NG_UNIT_DATO;
}

static unsigned row_style(const ng_table *t, int r)
{
    return (t->rows[r].flags & (NG_ROW_TOTAL | NG_ROW_SUBTOTAL)) ? NG_STYLE_BOLD : 0;
}

static const char *cell_text(const table_layout *L, int r, int col)
{
    return L->cell[(size_t)r * (size_t)L->t->ncols + (size_t)col];
}

/* Widest space-separated word of s: a wrapped cell is never narrower. */
static double widest_word(ng_pdf_ctx *c, unsigned style, double size, const char *s)
{
    double best = 0;
    while (s && *s) {
        while (*s == ' ')
            s++;
        size_t n = strcspn(s, " ");
        ng_pdf_measure_ctx m = {c, size};
        double w = ng_pdf_measure(&m, style, s, n);
        if (w > best)
            best = w;
        s += n;
    }
    return best;
}

static double full_width(ng_pdf_ctx *c, unsigned style, double size, const char *s)
{
    return s ? ng_pdf_text_width(c, style, size, s) : 0;
}

/* A cell's text in lines of width: a word wider than its column (only when
 * nothing else fits the page) is hyphenated before it is broken between
 * characters; other words are never hyphenated in a cell. */
static ng_status cell_lines(table_layout *L, const ng_run *run, double width)
{
    ng_pdf_measure_ctx m = {L->c, L->size};
    ng_pdf_hyphenation hy = {0};
    if (L->c->hyphenation) {
        hy = *L->c->hyphenation;
        hy.too_wide_only = true;
    }
    return ng_pdf_break_lines_hyphenated(run, 1, width, ng_pdf_measure, &m,
                                         L->c->hyphenation ? &hy : NULL, &L->c->lines);
}

static int lines_in(table_layout *L, const char *text, unsigned style, double width)
{
    if (!text || !*text)
        return 1;
    ng_run run = {(char *)text, style};
    if (cell_lines(L, &run, width) != NG_OK)
        return 1;
    return L->c->lines.nlines ? (int)L->c->lines.nlines : 1;
}

/* The end (exclusive) of the run of columns sharing col's group. */
static int group_end(const ng_table *t, int col)
{
    int e = col + 1;
    while (t->cols[col].group && e < t->ncols && t->cols[e].group &&
           strcmp(t->cols[e].group, t->cols[col].group) == 0)
        e++;
    return e;
}

/* A group label needs its span at least as wide as its widest word (min)
 * and its full text (natural): widen the span's columns evenly if not. */
static void fit_groups(table_layout *L)
{
    const ng_table *t = L->t;
    for (int col = 0; col < t->ncols;) {
        int e = group_end(t, col);
        if (t->cols[col].group) {
            double need_min = widest_word(L->c, NG_STYLE_BOLD, L->size, t->cols[col].group);
            double need_nat = full_width(L->c, NG_STYLE_BOLD, L->size, t->cols[col].group);
            double have_min = 0, have_nat = 0;
            for (int k = col; k < e; k++) {
                have_min += L->minw[k];
                have_nat += L->natw[k];
            }
            need_min += 2 * L->pad_x;
            need_nat += 2 * L->pad_x;
            for (int k = col; k < e; k++) {
                if (need_min > have_min)
                    L->minw[k] += (need_min - have_min) / (e - col);
                if (need_nat > have_nat)
                    L->natw[k] += (need_nat - have_nat) / (e - col);
            }
        }
        col = e;
    }
}

static void measure_columns(table_layout *L, double size)
{
    const ng_table *t = L->t;
    L->size = size;
    L->leading = size * 1.25;
    L->pad_x = size * 0.45;
    L->pad_y = size * 0.3;
    for (int col = 0; col < t->ncols; col++) {
        const char *label = t->cols[col].label;
        double mn = widest_word(L->c, NG_STYLE_BOLD, size, label);
        double nat = full_width(L->c, NG_STYLE_BOLD, size, label);
        double body = 0;
        for (int r = 0; r < t->nrows; r++) {
            unsigned st = row_style(t, r);
            const char *s = cell_text(L, r, col);
            double full = full_width(L->c, st, size, s);
            double word = is_number_column(t, col) ? full : widest_word(L->c, st, size, s);
            if (word > mn)
                mn = word;
            if (full > nat)
                nat = full;
            if (full > body)
                body = full;
        }
        /* numbers columns no narrower than a typical amount, for an even look */
        if (is_number_column(t, col)) {
            double typical = full_width(L->c, 0, size, "000.000");
            if (nat < typical)
                nat = typical;
            if (body < typical)
                body = typical;
        }
        L->minw[col] = mn + 2 * L->pad_x;
        L->natw[col] = (nat > mn ? nat : mn) + 2 * L->pad_x;
        L->bodyw[col] = body + 2 * L->pad_x;
    }
    fit_groups(L);
    for (int col = 0; col < t->ncols; col++) {
        if (L->bodyw[col] < L->minw[col])
            L->bodyw[col] = L->minw[col];
        if (L->bodyw[col] > L->natw[col])
            L->bodyw[col] = L->natw[col];
    }
}

static double sum(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

/* Widths for the available width: natural widths stretched to fill it
 * (the extra going to the text columns), or shrunk between minimum and
 * natural. Returns false when even the minimum widths do not fit. */
static bool assign_widths(table_layout *L, double avail, bool force)
{
    const ng_table *t = L->t;
    int n = t->ncols;
    double smin = sum(L->minw, n), snat = sum(L->natw, n);
    if (snat <= avail) {
        double text_nat = 0;
        for (int col = 0; col < n; col++)
            if (!is_number_column(t, col))
                text_nat += L->natw[col];
        for (int col = 0; col < n; col++) {
            double share =
                text_nat > 0 ? (is_number_column(t, col) ? 0 : L->natw[col] / text_nat) : 1.0 / n;
            L->w[col] = L->natw[col] + (avail - snat) * share;
        }
        return true;
    }
    /* wrap the headers before the cells, the cells' text before anything */
    double sbody = sum(L->bodyw, n);
    if (sbody <= avail) {
        double k = snat > sbody ? (avail - sbody) / (snat - sbody) : 0;
        for (int col = 0; col < n; col++)
            L->w[col] = L->bodyw[col] + (L->natw[col] - L->bodyw[col]) * k;
        return true;
    }
    if (smin <= avail) {
        double k = (avail - smin) / (sbody - smin);
        for (int col = 0; col < n; col++)
            L->w[col] = L->minw[col] + (L->bodyw[col] - L->minw[col]) * k;
        return true;
    }
    if (!force)
        return false;
    /* nothing fits: proportional widths, words broken by characters */
    for (int col = 0; col < n; col++)
        L->w[col] = avail * L->minw[col] / smin;
    return true;
}

static double text_area_width(bool landscape)
{
    return (landscape ? NG_PDF_A4_H : NG_PDF_A4_W) - NG_PDF_MARGIN_LEFT - NG_PDF_MARGIN_RIGHT;
}

/* Smaller type first, then a landscape page; returns whether landscape. */
static bool choose_size(table_layout *L)
{
    for (int land = 0; land < 2; land++)
        for (int i = 0; i < NSIZES; i++) {
            measure_columns(L, table_sizes[i]);
            if (assign_widths(L, text_area_width(land), false))
                return land;
        }
    measure_columns(L, table_sizes[NSIZES - 1]);
    assign_widths(L, text_area_width(true), true);
    return true;
}

static void measure_rows(table_layout *L)
{
    const ng_table *t = L->t;
    int glines = 0, llines = 1;
    for (int col = 0; col < t->ncols;) {
        int e = group_end(t, col);
        if (t->cols[col].group) {
            double span = 0;
            for (int k = col; k < e; k++)
                span += L->w[k];
            int n = lines_in(L, t->cols[col].group, NG_STYLE_BOLD, span - 2 * L->pad_x);
            if (n > glines)
                glines = n;
        }
        col = e;
    }
    for (int col = 0; col < t->ncols; col++) {
        int n = lines_in(L, t->cols[col].label, NG_STYLE_BOLD, L->w[col] - 2 * L->pad_x);
        if (n > llines)
            llines = n;
    }
    L->has_groups = glines > 0;
    L->group_h = glines ? glines * L->leading + 2 * L->pad_y : 0;
    L->label_h = llines * L->leading + 2 * L->pad_y;
    for (int r = 0; r < t->nrows; r++) {
        int most = 1;
        for (int col = 0; col < t->ncols; col++) {
            int n = lines_in(L, cell_text(L, r, col), row_style(t, r), L->w[col] - 2 * L->pad_x);
            if (n > most)
                most = n;
        }
        L->row_h[r] = most * L->leading + 2 * L->pad_y;
    }
}

int ng_pdf_paginate_rows(const double *row_h, int nrows, double head_h, double first_avail,
                         double page_avail, ng_pdf_slot *slots, bool *moved)
{
    /* the header with fewer than KEEP_ROWS rows under it at the foot of a
     * page looks lost: start on the next page instead */
    double first_need = head_h;
    for (int r = 0; r < nrows && r < KEEP_ROWS; r++)
        first_need += row_h[r];
    *moved = first_need > first_avail && first_avail < page_avail;
    double avail = *moved ? page_avail : first_avail;
    int page = 0;
    double top = head_h;
    for (int r = 0; r < nrows; r++) {
        if (top + row_h[r] > avail && top > head_h) {
            page++;
            avail = page_avail;
            top = head_h;
        }
        slots[r] = (ng_pdf_slot){page, top};
        top += row_h[r];
    }
    /* the last row (often the total) does not stand alone on a page: take
     * the row before it along when both fit */
    int n = nrows;
    if (n >= 3 && slots[n - 1].page != slots[n - 2].page &&
        slots[n - 2].page == slots[n - 3].page &&
        head_h + row_h[n - 2] + row_h[n - 1] <= page_avail) {
        slots[n - 2] = (ng_pdf_slot){page, head_h};
        slots[n - 1].top = head_h + row_h[n - 2];
    }
    return page + 1;
}

/* Draws one cell's text (wrapped) in the box whose top-left is (x, top). */
static void draw_cell(table_layout *L, const char *text, unsigned style, double x, double top,
                      double width, int align, double box_h, bool bottom_align)
{
    if (!text || !*text)
        return;
    ng_run run = {(char *)text, style};
    double inner = width - 2 * L->pad_x;
    if (cell_lines(L, &run, inner) != NG_OK)
        return;
    double text_h = (double)L->c->lines.nlines * L->leading;
    double y0 = bottom_align ? top - box_h + L->pad_y + text_h : top - L->pad_y;
    double base = y0 - (L->leading - L->size) / 2 - L->size * 0.8;
    ng_pdf_draw_lines(L->c, &run, &L->c->lines, 0, L->c->lines.nlines, x + L->pad_x, base, inner,
                      L->size, L->leading, align);
}

/* The header's cell of column col (or of its group): a TH for the column
 * or columns it heads. */
static void header_cell(table_layout *L, const char *text, double x, double top, double width,
                        int align, double box_h, bool bottom_align, int span, int rows)
{
    ng_tag_attrs a = {.scope = NG_SCOPE_COLUMN, .col_span = span, .row_span = rows};
    ng_pdf_tags_open(L->c->tags, NG_TAG_TH, &a);
    draw_cell(L, text, NG_STYLE_BOLD, x, top, width, align, box_h, bottom_align);
    ng_pdf_tags_close(L->c->tags);
}

static double span_width(const table_layout *L, int from, int to)
{
    double w = 0;
    for (int k = from; k < to; k++)
        w += L->w[k];
    return w;
}

/* With group headers the header has two rows: the groups (and, spanning
 * both rows, the labels of columns without a group), then the labels of
 * the grouped columns. Cells are drawn in the order of the tree. */
static void draw_header_rows(table_layout *L, double x0, double top)
{
    ng_pdf_ctx *c = L->c;
    const ng_table *t = L->t;
    bool groups = L->has_groups;
    ng_pdf_tags_open(c->tags, NG_TAG_TR, NULL);
    double x = x0;
    for (int col = 0; col < t->ncols;) {
        int e = groups ? group_end(t, col) : col + 1;
        double span = span_width(L, col, e);
        int align = is_number_column(t, col) ? 1 : 0;
        if (groups && t->cols[col].group) {
            header_cell(L, t->cols[col].group, x, top, span, 2, L->group_h, false, e - col, 1);
            ng_pdf_rule(c, x + L->pad_x, top - L->group_h, x + span - L->pad_x, top - L->group_h,
                        0.5, 0.45);
        } else {
            header_cell(L, t->cols[col].label, x, top - L->group_h, L->w[col], align, L->label_h,
                        true, 1, groups ? 2 : 1);
        }
        x += span;
        col = e;
    }
    ng_pdf_tags_close(c->tags);
    if (!groups)
        return;
    ng_pdf_tags_open(c->tags, NG_TAG_TR, NULL);
    x = x0;
    for (int col = 0; col < t->ncols; col++) {
        if (t->cols[col].group)
            header_cell(L, t->cols[col].label, x, top - L->group_h, L->w[col],
                        is_number_column(t, col) ? 1 : 0, L->label_h, true, 1, 1);
        x += L->w[col];
    }
    ng_pdf_tags_close(c->tags);
}

/* The header: THead on the table's first page; repeated on the next pages
 * it is page furniture (the table has one header). */
static void draw_header(table_layout *L, double x0, double top, bool repeated)
{
    ng_pdf_ctx *c = L->c;
    const ng_table *t = L->t;
    double total_w = sum(L->w, t->ncols);
    double head_h = L->group_h + L->label_h;
    ng_pdf_tags_artifact_begin(c->tags, NG_ARTIFACT_LAYOUT);
    ng_pdf_fill_rect(c, x0, top - head_h, total_w, head_h, HEADER_GRAY);
    ng_pdf_tags_artifact_end(c->tags);
    if (repeated)
        ng_pdf_tags_artifact_begin(c->tags, NG_ARTIFACT_PAGINATION);
    else
        ng_pdf_tags_open(c->tags, NG_TAG_THEAD, NULL);
    draw_header_rows(L, x0, top);
    if (repeated)
        ng_pdf_tags_artifact_end(c->tags);
    else
        ng_pdf_tags_close(c->tags);
    ng_pdf_rule(c, x0, top, x0 + total_w, top, 0.9, RULE_GRAY);
    ng_pdf_rule(c, x0, top - head_h, x0 + total_w, top - head_h, 0.6, RULE_GRAY);
}

/* A text first column names its rows: its cells are row headers. */
static bool has_row_headers(const ng_table *t)
{
    return t->ncols > 1 && !is_number_column(t, 0);
}

static void draw_row(table_layout *L, int r, double x0, double top, bool first_on_page)
{
    ng_pdf_ctx *c = L->c;
    const ng_table *t = L->t;
    double total_w = sum(L->w, t->ncols);
    if (t->rows[r].flags & NG_ROW_TOTAL)
        ng_pdf_rule(c, x0, top, x0 + total_w, top, 0.8, RULE_GRAY);
    else if (!first_on_page)
        ng_pdf_rule(c, x0, top, x0 + total_w, top, 0.3, THIN_GRAY);
    ng_pdf_tags_open(c->tags, NG_TAG_TR, NULL);
    double x = x0;
    for (int col = 0; col < t->ncols; col++) {
        bool head = col == 0 && has_row_headers(t);
        ng_tag_attrs a = {.scope = head ? NG_SCOPE_ROW : NG_SCOPE_NONE};
        ng_pdf_tags_open(c->tags, head ? NG_TAG_TH : NG_TAG_TD, &a);
        draw_cell(L, cell_text(L, r, col), row_style(t, r), x, top, L->w[col],
                  is_number_column(t, col) ? 1 : 0, L->row_h[r], false);
        ng_pdf_tags_close(c->tags);
        x += L->w[col];
    }
    ng_pdf_tags_close(c->tags);
}

/* Caption above, source and note below: wrapped small paragraphs. */
static ng_status draw_source(ng_pdf_ctx *c, const ng_table *t)
{
    const char *lines[2] = {t->note, t->source};
    ng_status st = NG_OK;
    for (int i = 0; i < 2 && st == NG_OK; i++) {
        if (!lines[i])
            continue;
        ng_run run = {(char *)lines[i], 0};
        ng_pdf_tags_open(c->tags, NG_TAG_P, NULL);
        ng_pdf_set_gray_fill(c, 0.3);
        st = ng_pdf_paragraph(c, &run, 1, c->left, c->right - c->left, SOURCE_SIZE,
                              SOURCE_SIZE * 1.3, false);
        ng_pdf_set_gray_fill(c, 0);
        ng_pdf_tags_close(c->tags);
    }
    return st;
}

static double caption_height(ng_pdf_ctx *c, const char *caption, double width, double size,
                             unsigned style)
{
    if (!caption)
        return 0;
    ng_run run = {(char *)caption, style};
    ng_pdf_measure_ctx m = {c, size};
    if (ng_pdf_break_lines(&run, 1, width, ng_pdf_measure, &m, &c->lines) != NG_OK)
        return 0;
    return (double)c->lines.nlines * size * 1.3;
}

static char *continued_caption(const char *caption)
{
    if (!caption)
        return NULL;
    size_t n = strlen(caption) + sizeof " (fortsat)";
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s (fortsat)", caption);
    return s;
}

/* What must fit on the page the table starts on: the caption, the header
 * and the first rows. */
static double first_height(const table_layout *L, const char *caption, double width)
{
    double cap_h =
        caption ? caption_height(L->c, caption, width, CAPTION_SIZE, NG_STYLE_BOLD) + 4 : 0;
    double need = cap_h + L->group_h + L->label_h;
    for (int r = 0; r < L->t->nrows && r < KEEP_ROWS; r++)
        need += L->row_h[r];
    return need;
}

/* A landscape table starts a landscape page, unless the page is one that
 * nothing is drawn on yet (a heading may have started it for the table). */
static ng_status start_table(table_layout *L, double need, bool landscape)
{
    ng_pdf_ctx *c = L->c;
    if (!landscape)
        return ng_pdf_ensure(c, need);
    bool on_landscape = c->page && c->page_w > c->page_h;
    c->landscape = true;
    if (on_landscape && (c->page_is_new || ng_pdf_space_left(c) >= need))
        return NG_OK;
    return ng_pdf_new_page(c);
}

static ng_status draw_caption(ng_pdf_ctx *c, const char *caption, double width)
{
    if (!caption)
        return NG_OK;
    ng_run run = {(char *)caption, NG_STYLE_BOLD};
    ng_pdf_tags_open(c->tags, NG_TAG_CAPTION, NULL);
    ng_status st =
        ng_pdf_paragraph(c, &run, 1, c->left, width, CAPTION_SIZE, CAPTION_SIZE * 1.3, false);
    ng_pdf_tags_close(c->tags);
    c->y -= 4;
    return st;
}

/* On a continuation page: the caption marked "(fortsat)", as furniture. */
static ng_status draw_continued(ng_pdf_ctx *c, const char *cont, double width)
{
    if (!cont)
        return NG_OK;
    ng_run run = {(char *)cont, NG_STYLE_ITALIC};
    ng_pdf_tags_artifact_begin(c->tags, NG_ARTIFACT_PAGINATION);
    ng_pdf_set_gray_fill(c, 0.3);
    ng_status st = ng_pdf_paragraph(c, &run, 1, c->left, width, CONT_SIZE, CONT_SIZE * 1.3, false);
    ng_pdf_set_gray_fill(c, 0);
    ng_pdf_tags_artifact_end(c->tags);
    c->y -= 3;
    return st;
}

static ng_status draw_pages(table_layout *L, const ng_pdf_slot *slots, int pages, const char *cont,
                            double width)
{
    ng_pdf_ctx *c = L->c;
    const ng_table *t = L->t;
    double head_h = L->group_h + L->label_h;
    ng_status st = NG_OK;
    int r = 0;
    for (int p = 0; p < pages && st == NG_OK; p++) {
        if (p > 0 && (st = ng_pdf_new_page(c)) == NG_OK)
            st = draw_continued(c, cont, width);
        if (st != NG_OK)
            break;
        double top = c->y;
        if (p == 0) {
            draw_header(L, c->left, top, false);
            ng_pdf_tags_open(c->tags, NG_TAG_TBODY, NULL);
        } else {
            draw_header(L, c->left, top, true);
        }
        double bottom = top - head_h;
        for (bool first = true; r < t->nrows && slots[r].page == p; r++, first = false) {
            draw_row(L, r, c->left, top - slots[r].top, first);
            bottom = top - slots[r].top - L->row_h[r];
        }
        ng_pdf_rule(c, c->left, bottom, c->left + sum(L->w, t->ncols), bottom, 0.9, RULE_GRAY);
        c->y = bottom;
    }
    if (pages > 0)
        ng_pdf_tags_close(c->tags); /* TBody */
    return st;
}

static ng_status place_table(table_layout *L, const char *caption, bool landscape)
{
    ng_pdf_ctx *c = L->c;
    const ng_table *t = L->t;
    double head_h = L->group_h + L->label_h;
    double width = text_area_width(landscape);
    ng_status st = start_table(L, first_height(L, caption, width), landscape);
    if (st != NG_OK)
        return st;
    ng_pdf_tags_open(c->tags, NG_TAG_TABLE, NULL);
    st = draw_caption(c, caption, width);
    ng_pdf_slot *slots = calloc((size_t)(t->nrows ? t->nrows : 1), sizeof *slots);
    /* continuation pages repeat the caption, marked "(fortsat)" */
    char *cont = continued_caption(caption);
    if (!slots || (caption && !cont))
        st = NG_ERR_NOMEM;
    bool moved = false;
    int pages = 0;
    if (st == NG_OK) {
        double cont_h = cont ? caption_height(c, cont, width, CONT_SIZE, 0) + 3 : 0;
        pages = ng_pdf_paginate_rows(L->row_h, t->nrows, head_h, ng_pdf_space_left(c),
                                     ng_pdf_page_space(c) - cont_h, slots, &moved);
    }
    if (st == NG_OK && moved)
        st = ng_pdf_new_page(c);
    if (st == NG_OK)
        st = draw_pages(L, slots, pages, cont, width);
    ng_pdf_tags_close(c->tags); /* Table */
    free(slots);
    free(cont);
    c->y -= 3;
    if (st == NG_OK)
        st = draw_source(c, t);
    if (landscape) {
        /* what follows goes on a portrait page again */
        c->landscape = false;
        c->y = c->bottom - 1;
    } else {
        c->y -= NG_PDF_PARA_GAP + 3;
    }
    return st;
}

static void free_layout(table_layout *L)
{
    if (L->cell)
        for (size_t i = 0; i < (size_t)L->t->nrows * (size_t)L->t->ncols; i++)
            free(L->cell[i]);
    free(L->cell);
    free(L->w);
    free(L->minw);
    free(L->natw);
    free(L->bodyw);
    free(L->row_h);
}

/* Formats the cells and fits the columns and rows; *landscape when the
 * table needs a landscape page. */
static ng_status prepare(table_layout *L, bool *landscape)
{
    const ng_table *t = L->t;
    size_t ncells = (size_t)t->nrows * (size_t)t->ncols;
    L->cell = calloc(ncells ? ncells : 1, sizeof *L->cell);
    L->w = calloc((size_t)t->ncols, sizeof *L->w);
    L->minw = calloc((size_t)t->ncols, sizeof *L->minw);
    L->natw = calloc((size_t)t->ncols, sizeof *L->natw);
    L->bodyw = calloc((size_t)t->ncols, sizeof *L->bodyw);
    L->row_h = calloc((size_t)(t->nrows ? t->nrows : 1), sizeof *L->row_h);
    if (!L->cell || !L->w || !L->minw || !L->natw || !L->bodyw || !L->row_h)
        return NG_ERR_NOMEM;
    for (int r = 0; r < t->nrows; r++)
        for (int col = 0; col < t->ncols; col++) {
            char buf[512];
            ng_table_format_cell(t, r, col, buf, sizeof buf);
            if (!(L->cell[(size_t)r * (size_t)t->ncols + (size_t)col] = strdup(buf)))
                return NG_ERR_NOMEM;
        }
    *landscape = choose_size(L);
    measure_rows(L);
    return NG_OK;
}

typedef struct {
    const char *caption;
    bool draw;
    double need; /* when not drawing: the height the table needs on its first page */
    bool landscape;
} table_job;

static ng_status layout_table(ng_pdf_ctx *c, const ng_table *t, table_job *job)
{
    if (t->ncols == 0)
        return NG_OK;
    table_layout L = {.c = c, .t = t};
    const char *caption = job->caption ? job->caption : t->title;
    ng_status st = prepare(&L, &job->landscape);
    if (st == NG_OK && job->draw)
        st = place_table(&L, caption, job->landscape);
    else if (st == NG_OK)
        job->need = first_height(&L, caption, text_area_width(job->landscape));
    free_layout(&L);
    return st;
}

/* Hidden columns (keys for data.json and the bilag) are not printed. */
static ng_status visible_table(ng_pdf_ctx *c, const ng_table *t, table_job *job)
{
    bool any_hidden = false;
    for (int col = 0; col < t->ncols; col++)
        any_hidden |= t->cols[col].hidden;
    if (!any_hidden)
        return layout_table(c, t, job);
    ng_table *visible = ng_table_visible_copy(t);
    if (!visible)
        return NG_ERR_NOMEM;
    ng_status st = layout_table(c, visible, job);
    ng_table_free(visible);
    return st;
}

ng_status ng_pdf_table(ng_pdf_ctx *c, const ng_table *t, const char *caption)
{
    table_job job = {.caption = caption, .draw = true};
    return visible_table(c, t, &job);
}

ng_status ng_pdf_table_need(ng_pdf_ctx *c, const ng_table *t, const char *caption, double *need,
                            bool *landscape)
{
    table_job job = {.caption = caption};
    ng_status st = visible_table(c, t, &job);
    *need = job.need;
    *landscape = job.landscape;
    return st;
}
