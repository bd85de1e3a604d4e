/* blocks.c -- the blocks of a memo on the page (see blocks.h). */
#include "blocks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "tables.h"

#define FOOTER_SIZE 8.5
#define FOOTER_BASELINE 36.0
#define TITLE_SIZE 16.0
#define HEADER_SIZE 10.0
#define LIST_INDENT 18.0
#define QUOTE_INDENT 20.0
#define BLOCK_GAP 4.0 /* before a table or figure */
enum { MAX_LIST_DEPTH = 6 };

/* The state carried from block to block. */
typedef struct {
    ng_pdf_ctx *c;
    const ng_memo *memo;
    int last_heading;                   /* level of the last heading, 0 before any */
    int list_depth;                     /* lists open around the current item */
    bool item_open[MAX_LIST_DEPTH + 1]; /* an LI open at each depth */
    bool ordered[MAX_LIST_DEPTH + 1];   /* the list at each depth is numbered */
} flow;

static double text_width(const ng_pdf_ctx *c)
{
    return c->right - c->left;
}

/* Space before a block, dropped at the top of a page. */
static void gap(ng_pdf_ctx *c, double h)
{
    if (c->page && !c->page_is_new)
        c->y -= h;
}

static const ng_table *block_table(const ng_block *b)
{
    return b->table ? b->table : b->owned_table;
}

/* ---- text blocks -------------------------------------------------------- */

static ng_status styled_paragraph(ng_pdf_ctx *c, const ng_run *runs, size_t nruns,
                                  unsigned add_style, double x, double width, double size,
                                  double leading, bool hyphenate)
{
    ng_run *copy = malloc((nruns ? nruns : 1) * sizeof *copy);
    if (!copy)
        return NG_ERR_NOMEM;
    for (size_t i = 0; i < nruns; i++)
        copy[i] = (ng_run){runs[i].text, runs[i].style | add_style};
    ng_status st = ng_pdf_paragraph(c, copy, nruns, x, width, size, leading, hyphenate);
    free(copy);
    return st;
}

/* A heading's text for its bookmark: its runs without footnote numbers. */
static char *runs_text(const ng_run *runs, size_t nruns)
{
    ng_strbuf b = {0};
    for (size_t i = 0; i < nruns; i++)
        if (!(runs[i].style & NG_STYLE_FOOTREF) && runs[i].text)
            ng_strbuf_add(&b, runs[i].text);
    return ng_strbuf_take(&b);
}

static ng_tag_type heading_tag(int level)
{
    static const ng_tag_type tags[] = {NG_TAG_H1, NG_TAG_H2, NG_TAG_H3,
                                       NG_TAG_H4, NG_TAG_H5, NG_TAG_H6};
    return tags[(level < 1 ? 1 : level > 6 ? 6 : level) - 1];
}

/* A heading element (H1..H6) with its bookmark at the current position. */
static void open_heading(flow *f, int level, const char *title)
{
    ng_pdf_ctx *c = f->c;
    /* levels never skip one: "###" right after "#" is an H2 */
    if (level > f->last_heading + 1)
        level = f->last_heading + 1;
    f->last_heading = level;
    ng_pdf_tags_open(c->tags, heading_tag(level), NULL);
    ng_pdf_tags_bookmark(c->tags, level, title, c->page, c->y);
}

static ng_status draw_title(flow *f, const char *title)
{
    ng_pdf_ctx *c = f->c;
    ng_run run = {(char *)title, NG_STYLE_BOLD};
    ng_status st = ng_pdf_ensure(c, 60);
    if (st != NG_OK)
        return st;
    open_heading(f, 1, title);
    st = ng_pdf_paragraph(c, &run, 1, c->left, text_width(c), TITLE_SIZE, TITLE_SIZE * 1.3, false);
    ng_pdf_tags_close(c->tags);
    c->y -= 10;
    return st;
}

static bool is_blank(const char *s)
{
    while (s && (*s == ' ' || *s == '\t'))
        s++;
    return !s || !*s;
}

/* One line of the memo header: the label heads its row. */
static ng_status header_field(ng_pdf_ctx *c, const char *label, const char *value, double label_w)
{
    const double leading = HEADER_SIZE * 1.45;
    ng_status st = ng_pdf_ensure(c, leading);
    if (st != NG_OK)
        return st;
    double top = c->y;
    ng_pdf_tags_open(c->tags, NG_TAG_TR, NULL);
    ng_tag_attrs head = {.scope = NG_SCOPE_ROW};
    ng_pdf_tags_open(c->tags, NG_TAG_TH, &head);
    ng_pdf_draw_text(c, c->left, ng_pdf_baseline_below(top, HEADER_SIZE, leading), NG_STYLE_BOLD,
                     HEADER_SIZE, label, strlen(label));
    ng_pdf_tags_close(c->tags);
    ng_pdf_tags_open(c->tags, NG_TAG_TD, NULL);
    ng_run run = {(char *)value, 0};
    st = ng_pdf_paragraph(c, &run, 1, c->left + label_w, text_width(c) - label_w, HEADER_SIZE,
                          leading, false);
    ng_pdf_tags_close(c->tags);
    ng_pdf_tags_close(c->tags);
    if (c->y > top - leading) /* a value of only spaces: keep the line */
        c->y = top - leading;
    return st;
}

/* The label/value lines of the memo header: a table of two columns, bold
 * labels beside values wrapped in their own column. */
static ng_status draw_header_fields(ng_pdf_ctx *c, const ng_memo *memo)
{
    const ng_memo_meta *mm = &memo->meta;
    const char *label[] = {"Sagsnavn:",    "Sagsnummer:", "Skrevet af:", "E-mail:",
                           "Forvaltning:", "Dato:",       "Sendes til:"};
    const char *value[] = {mm->sagsnavn,    mm->sagsnummer, mm->skrevet_af, mm->email,
                           mm->forvaltning, memo->dato,     mm->sendes_til};
    const size_t n = sizeof label / sizeof label[0];
    double label_w = 0;
    for (size_t i = 0; i < n; i++) {
        double w = ng_pdf_text_width(c, NG_STYLE_BOLD, HEADER_SIZE, label[i]);
        if (!is_blank(value[i]) && w > label_w)
            label_w = w;
    }
    label_w += 14;
    ng_status st = NG_OK;
    ng_pdf_tags_open(c->tags, NG_TAG_TABLE, NULL);
    for (size_t i = 0; i < n && st == NG_OK; i++)
        if (!is_blank(value[i]))
            st = header_field(c, label[i], value[i], label_w);
    ng_pdf_tags_close(c->tags);
    if (st == NG_OK) {
        c->y -= 8;
        ng_pdf_rule(c, c->left, c->y, c->right, c->y, 0.6, 0.55);
        c->y -= 14;
    }
    return st;
}

/* Sizes of headings by the template's level (1..3). */
static const double heading_size[] = {14.0, 12.0, 10.5};
static const double heading_before[] = {16.0, 13.0, 10.0};

static int heading_look(const ng_block *b)
{
    return b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
}

static ng_status draw_heading(flow *f, const ng_block *b, double keep)
{
    ng_pdf_ctx *c = f->c;
    int lvl = heading_look(b);
    double s = heading_size[lvl - 1];
    unsigned style = lvl == 3 ? (NG_STYLE_BOLD | NG_STYLE_ITALIC) : NG_STYLE_BOLD;
    gap(c, heading_before[lvl - 1]);
    /* keep the heading with what the next block needs on its page */
    size_t n = ng_pdf_count_lines(c, b->runs, b->nruns, text_width(c), s, false);
    ng_status st = ng_pdf_ensure(c, (double)n * s * 1.3 + 4 + keep);
    char *title = st == NG_OK ? runs_text(b->runs, b->nruns) : NULL;
    if (st == NG_OK && !title)
        st = NG_ERR_NOMEM;
    /* a heading without text is no heading (and no level) */
    if (st == NG_OK && !is_blank(title)) {
        open_heading(f, b->level < 1 ? 1 : b->level, title);
        st = styled_paragraph(c, b->runs, b->nruns, style, c->left, text_width(c), s, s * 1.3,
                              false);
        ng_pdf_tags_close(c->tags);
    }
    free(title);
    c->y -= 4;
    return st;
}

static ng_status body_paragraph(ng_pdf_ctx *c, const ng_block *b)
{
    ng_pdf_tags_open(c->tags, NG_TAG_P, NULL);
    ng_status st = ng_pdf_paragraph(c, b->runs, b->nruns, c->left, text_width(c), NG_PDF_BODY_SIZE,
                                    NG_PDF_BODY_LEADING, true);
    ng_pdf_tags_close(c->tags);
    c->y -= NG_PDF_PARA_GAP;
    return st;
}

/* ---- lists -------------------------------------------------------------- */

static int item_level(const ng_block *b)
{
    return b->level < 1 ? 1 : b->level > MAX_LIST_DEPTH ? MAX_LIST_DEPTH : b->level;
}

/* Closes lists down to depth (0: every list). */
static void close_lists(flow *f, int depth)
{
    while (f->list_depth > depth) {
        if (f->item_open[f->list_depth])
            ng_pdf_tags_close(f->c->tags); /* LI */
        f->item_open[f->list_depth] = false;
        ng_pdf_tags_close(f->c->tags); /* L */
        f->list_depth--;
    }
}

/* Opens the LI of an item at level lvl: an L per level (a deeper level
 * inside the item above it), the previous item of the level closed; a
 * numbered item after bullets (or the other way) begins a new list. */
static void open_item(flow *f, int lvl, bool ordered)
{
    if (lvl > f->list_depth + 1)
        lvl = f->list_depth + 1;
    close_lists(f, lvl);
    if (f->list_depth == lvl && f->ordered[lvl] != ordered)
        close_lists(f, lvl - 1);
    if (f->list_depth == lvl && f->item_open[lvl]) {
        ng_pdf_tags_close(f->c->tags);
        f->item_open[lvl] = false;
    }
    while (f->list_depth < lvl) {
        ng_pdf_tags_open(f->c->tags, NG_TAG_L, NULL);
        f->item_open[++f->list_depth] = false;
        f->ordered[f->list_depth] = ordered;
    }
    ng_pdf_tags_open(f->c->tags, NG_TAG_LI, NULL);
    f->item_open[lvl] = true;
}

static ng_status draw_item(flow *f, const ng_block *b, bool last_in_list)
{
    ng_pdf_ctx *c = f->c;
    int lvl = item_level(b);
    double x = c->left + LIST_INDENT * lvl;
    /* the mark goes where the text's first lines go */
    size_t n = ng_pdf_count_lines(c, b->runs, b->nruns, c->right - x, NG_PDF_BODY_SIZE, true);
    ng_status st = ng_pdf_ensure(c, ng_pdf_first_lines_height(n ? n : 1, NG_PDF_BODY_LEADING));
    if (st != NG_OK)
        return st;
    open_item(f, lvl, b->number > 0);
    double top = c->y;
    char mark[24];
    if (b->number > 0)
        snprintf(mark, sizeof mark, "%d.", b->number);
    else
        snprintf(mark, sizeof mark, "%s", lvl % 2 ? "•" : "–");
    double mw = ng_pdf_text_width(c, 0, NG_PDF_BODY_SIZE, mark);
    ng_pdf_tags_open(c->tags, NG_TAG_LBL, NULL);
    ng_pdf_draw_text(c, x - 5 - mw,
                     ng_pdf_baseline_below(c->y, NG_PDF_BODY_SIZE, NG_PDF_BODY_LEADING), 0,
                     NG_PDF_BODY_SIZE, mark, strlen(mark));
    ng_pdf_tags_close(c->tags);
    ng_pdf_tags_open(c->tags, NG_TAG_LBODY, NULL);
    st = ng_pdf_paragraph(c, b->runs, b->nruns, x, c->right - x, NG_PDF_BODY_SIZE,
                          NG_PDF_BODY_LEADING, true);
    ng_pdf_tags_close(c->tags);
    if (c->y > top - NG_PDF_BODY_LEADING) /* an empty item still takes its line */
        c->y = top - NG_PDF_BODY_LEADING;
    c->y -= last_in_list ? NG_PDF_PARA_GAP : 2.5;
    return st;
}

/* ---- quotes and rules --------------------------------------------------- */

static double quote_width(const ng_pdf_ctx *c)
{
    return text_width(c) - 2 * QUOTE_INDENT;
}

static ng_status draw_quote(ng_pdf_ctx *c, const ng_block *b)
{
    size_t n = ng_pdf_count_lines(c, b->runs, b->nruns, quote_width(c), NG_PDF_BODY_SIZE, true);
    ng_status st = ng_pdf_ensure(c, ng_pdf_first_lines_height(n, NG_PDF_BODY_LEADING));
    if (st != NG_OK)
        return st;
    double y0 = c->y;
    size_t page0 = c->npages;
    ng_pdf_tags_open(c->tags, NG_TAG_BLOCKQUOTE, NULL);
    ng_pdf_tags_open(c->tags, NG_TAG_P, NULL);
    ng_pdf_set_gray_fill(c, 0.25);
    st = styled_paragraph(c, b->runs, b->nruns, NG_STYLE_ITALIC, c->left + QUOTE_INDENT,
                          quote_width(c), NG_PDF_BODY_SIZE, NG_PDF_BODY_LEADING, true);
    ng_pdf_tags_close(c->tags);
    ng_pdf_tags_close(c->tags);
    /* the bar beside the quote, on the page where it ends */
    double bar_top = c->npages == page0 ? y0 : c->top;
    ng_pdf_rule(c, c->left + 6, bar_top - 2, c->left + 6, c->y + 2, 2.0, 0.65);
    ng_pdf_set_gray_fill(c, 0);
    c->y -= NG_PDF_PARA_GAP;
    return st;
}

static ng_status draw_rule(ng_pdf_ctx *c)
{
    ng_status st = ng_pdf_ensure(c, 16);
    if (st != NG_OK)
        return st;
    c->y -= 8;
    ng_pdf_rule(c, c->left, c->y, c->right, c->y, 0.5, 0.6);
    c->y -= 8;
    return NG_OK;
}

static void page_break(ng_pdf_ctx *c)
{
    if (c->page && !c->page_is_new)
        c->y = c->bottom - 1;
}

/* ---- what a block needs on the page it starts on ------------------------- */

static double block_need(flow *f, size_t i, int depth, bool *landscape);

static double text_need(ng_pdf_ctx *c, const ng_block *b, double width)
{
    size_t n = ng_pdf_count_lines(c, b->runs, b->nruns, width, NG_PDF_BODY_SIZE, true);
    return ng_pdf_first_lines_height(n ? n : 1, NG_PDF_BODY_LEADING);
}

static double heading_need(flow *f, size_t i, int depth, bool *landscape)
{
    ng_pdf_ctx *c = f->c;
    const ng_block *b = &f->memo->blocks[i];
    double s = heading_size[heading_look(b) - 1];
    size_t n = ng_pdf_count_lines(c, b->runs, b->nruns, text_width(c), s, false);
    return heading_before[heading_look(b) - 1] + (double)n * s * 1.3 + 4 +
           block_need(f, i + 1, depth + 1, landscape);
}

/* The height block i needs on the page it starts on (0 after the last);
 * *landscape when it is a table that goes on a landscape page. */
static double block_need(flow *f, size_t i, int depth, bool *landscape)
{
    ng_pdf_ctx *c = f->c;
    *landscape = false;
    if (i >= f->memo->nblocks || depth > 3)
        return 0;
    const ng_block *b = &f->memo->blocks[i];
    const ng_table *t = block_table(b);
    double need = 0;
    switch (b->kind) {
    case NG_BLOCK_HEADING:
        return heading_need(f, i, depth, landscape);
    case NG_BLOCK_PARAGRAPH:
        return text_need(c, b, text_width(c));
    case NG_BLOCK_ITEM:
        return text_need(c, b, c->right - c->left - LIST_INDENT * item_level(b));
    case NG_BLOCK_QUOTE:
        return text_need(c, b, quote_width(c));
    case NG_BLOCK_TABLE:
        if (t && ng_pdf_table_need(c, t, b->caption, &need, landscape) == NG_OK)
            return BLOCK_GAP + need;
        return 0;
    case NG_BLOCK_FIGURE:
        if (t && b->figure && ng_pdf_figure_need(c, b->figure, t, b->caption, &need) == NG_OK)
            return BLOCK_GAP + need;
        return 0;
    case NG_BLOCK_RULE:
        return 16;
    case NG_BLOCK_PAGEBREAK:
        return 0;
    }
    return 0;
}

/* ---- blocks ------------------------------------------------------------- */

/* A heading whose next block is a landscape table goes on that table's
 * page. */
static ng_status draw_heading_block(flow *f, size_t i)
{
    ng_pdf_ctx *c = f->c;
    bool landscape;
    double keep = block_need(f, i + 1, 0, &landscape);
    if (landscape) {
        bool on_landscape = c->page && c->page_w > c->page_h;
        c->landscape = true;
        if (!on_landscape || !c->page_is_new) {
            ng_status st = ng_pdf_new_page(c);
            if (st != NG_OK)
                return st;
        }
        keep = 3 * NG_PDF_BODY_LEADING;
    }
    return draw_heading(f, &f->memo->blocks[i], keep);
}

static ng_status draw_block(flow *f, size_t i)
{
    ng_pdf_ctx *c = f->c;
    const ng_memo *memo = f->memo;
    const ng_block *b = &memo->blocks[i];
    const ng_table *t = block_table(b);
    bool last_item = i + 1 >= memo->nblocks || memo->blocks[i + 1].kind != NG_BLOCK_ITEM;
    if (b->kind != NG_BLOCK_ITEM)
        close_lists(f, 0);
    switch (b->kind) {
    case NG_BLOCK_HEADING:
        return draw_heading_block(f, i);
    case NG_BLOCK_PARAGRAPH:
        return body_paragraph(c, b);
    case NG_BLOCK_ITEM: {
        ng_status st = draw_item(f, b, last_item);
        if (last_item)
            close_lists(f, 0);
        return st;
    }
    case NG_BLOCK_QUOTE:
        return draw_quote(c, b);
    case NG_BLOCK_TABLE:
        if (!t)
            break;
        gap(c, BLOCK_GAP);
        return ng_pdf_table(c, t, b->caption);
    case NG_BLOCK_FIGURE:
        if (!t || !b->figure)
            break;
        gap(c, BLOCK_GAP);
        return ng_pdf_figure(c, b->figure, t, b->caption, b->source_line);
    case NG_BLOCK_RULE:
        return draw_rule(c);
    case NG_BLOCK_PAGEBREAK:
        page_break(c);
        return NG_OK;
    }
    ng_error(c->diags, NULL, b->source_line, 0,
             "blokken mangler sin tabel eller figur (skabelonlinje %ld)", b->source_line);
    return NG_ERR_INTERNAL;
}

/* ---- figures that wait --------------------------------------------------- */

/* Blocks that may flow up past a figure waiting for the next page. */
static bool flows_past_figure(const ng_block *b)
{
    return b->kind == NG_BLOCK_PARAGRAPH || b->kind == NG_BLOCK_QUOTE ||
           (b->kind == NG_BLOCK_TABLE && block_table(b));
}

/* Block i starts on the current page (what it needs there fits). */
static bool starts_here(flow *f, size_t i)
{
    bool landscape;
    double need = block_need(f, i, 0, &landscape);
    return f->c->page && !landscape && need <= ng_pdf_space_left(f->c);
}

/* A figure that does not fit here waits when the block after it can flow
 * up into the space. */
static bool figure_waits(flow *f, size_t i)
{
    ng_pdf_ctx *c = f->c;
    bool landscape;
    if (!c->page || c->page_is_new || i + 1 >= f->memo->nblocks)
        return false;
    if (block_need(f, i, 0, &landscape) <= ng_pdf_space_left(c))
        return false;
    return flows_past_figure(&f->memo->blocks[i + 1]) && starts_here(f, i + 1);
}

static ng_status draw_blocks(flow *f)
{
    const ng_memo *memo = f->memo;
    ng_status st = NG_OK;
    size_t waiting = SIZE_MAX; /* a figure that waits for the blocks after it */
    for (size_t i = 0; i < memo->nblocks && st == NG_OK; i++) {
        if (waiting != SIZE_MAX) {
            if (flows_past_figure(&memo->blocks[i]) && starts_here(f, i)) {
                st = draw_block(f, i);
                continue;
            }
            st = draw_block(f, waiting);
            waiting = SIZE_MAX;
            if (st != NG_OK)
                break;
        }
        if (memo->blocks[i].kind == NG_BLOCK_FIGURE && figure_waits(f, i))
            waiting = i;
        else
            st = draw_block(f, i);
    }
    if (st == NG_OK && waiting != SIZE_MAX)
        st = draw_block(f, waiting);
    close_lists(f, 0);
    return st;
}

/* ---- footnotes and footers ---------------------------------------------- */

/* Footnotes never referenced in the text: at the end of the memo. */
static ng_status draw_footnotes(ng_pdf_ctx *c, const ng_memo *memo)
{
    size_t left = 0;
    for (size_t i = 0; i < memo->nfootnotes; i++)
        left += !c->note_placed[i];
    if (left == 0)
        return NG_OK;
    const double leading = NG_PDF_NOTE_SIZE * 1.35;
    ng_status st = ng_pdf_ensure(c, 16 + 2 * leading);
    if (st != NG_OK)
        return st;
    gap(c, 6);
    ng_pdf_rule(c, c->left, c->y, c->left + 140, c->y, 0.5, 0.4);
    c->y -= 6;
    for (size_t i = 0; i < memo->nfootnotes && st == NG_OK; i++) {
        if (c->note_placed[i])
            continue;
        char num[24], id[32];
        snprintf(num, sizeof num, "%zu", i + 1);
        snprintf(id, sizeof id, "fodnote-%zu", i + 1);
        if ((st = ng_pdf_ensure(c, leading)) != NG_OK)
            break;
        ng_tag_attrs a = {.id = id};
        ng_pdf_tags_open(c->tags, NG_TAG_NOTE, &a);
        ng_pdf_tags_open(c->tags, NG_TAG_LBL, NULL);
        ng_pdf_draw_text(c, c->left,
                         ng_pdf_baseline_below(c->y, NG_PDF_NOTE_SIZE, leading) +
                             NG_PDF_NOTE_SIZE * 0.3,
                         0, NG_PDF_NOTE_SIZE * 0.8, num, strlen(num));
        ng_pdf_tags_close(c->tags);
        ng_run run = {memo->footnotes[i], 0};
        st = ng_pdf_paragraph(c, &run, 1, c->left + 12, text_width(c) - 12, NG_PDF_NOTE_SIZE,
                              leading, true);
        ng_pdf_tags_close(c->tags);
        c->y -= 2;
    }
    return st;
}

/* "Side N af M": page furniture. */
static void draw_footers(ng_pdf_ctx *c)
{
    ng_pdf_tags_artifact_begin(c->tags, NG_ARTIFACT_PAGINATION);
    for (size_t i = 0; i < c->npages; i++) {
        char text[64];
        snprintf(text, sizeof text, "Side %zu af %zu", i + 1, c->npages);
        c->page = c->pages[i];
        double w = ng_pdf_text_width(c, 0, FOOTER_SIZE, text);
        double right = HPDF_Page_GetWidth(c->page) - NG_PDF_MARGIN_RIGHT;
        ng_pdf_set_gray_fill(c, 0.35);
        ng_pdf_draw_text(c, right - w, FOOTER_BASELINE, 0, FOOTER_SIZE, text, strlen(text));
        ng_pdf_set_gray_fill(c, 0);
    }
    ng_pdf_tags_artifact_end(c->tags);
}

ng_status ng_pdf_layout_memo(ng_pdf_ctx *c, const ng_memo *memo)
{
    flow f = {.c = c, .memo = memo};
    ng_status st = ng_pdf_ensure(c, 0);
    if (st == NG_OK && memo->title)
        st = draw_title(&f, memo->title);
    if (st == NG_OK && memo->show_header)
        st = draw_header_fields(c, memo);
    if (st == NG_OK)
        st = draw_blocks(&f);
    if (st == NG_OK)
        st = draw_footnotes(c, memo);
    ng_pdf_flush_page_notes(c);
    if (st == NG_OK)
        draw_footers(c);
    return st == NG_OK ? ng_pdf_tags_status(c->tags) : st;
}
