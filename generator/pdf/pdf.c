/* pdf.c -- ng_pdf_write: the document and the blocks of a memo (see pdf.h;
 * the page cursor and paragraphs in layout.c, tables in tables.c, charts in
 * charts.c). */
#include "notatgen/pdf.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "charts.h"
#include "layout.h"
#include "tables.h"
#include "notatgen/dk.h"

#define FOOTER_SIZE 8.5
#define FOOTER_BASELINE 36.0
#define TITLE_SIZE 16.0
#define HEADER_SIZE 10.0
#define LIST_INDENT 18.0
#define QUOTE_INDENT 20.0

/* ---- libharu errors ----------------------------------------------------- */

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    ng_pdf_ctx *c = user_data;
    if (!c->hpdf_failed) {
        c->hpdf_failed = true;
        c->hpdf_error = error_no;
        c->hpdf_detail = detail_no;
    }
}

/* ---- character check ---------------------------------------------------- */

typedef struct {
    const ng_pdf_fonts *fonts;
    ng_diags *diags;
    ng_status status;
} char_check;

static void check_text(char_check *k, const char *s, long line)
{
    if (!s || k->status != NG_OK)
        return;
    char where[96];
    if (line > 0)
        snprintf(where, sizeof where, "i blok fra skabelonlinje %ld", line);
    else
        snprintf(where, sizeof where, "i notatets hoved eller noter");
    size_t pos, match;
    if (ng_find_cpr(s, strlen(s), true, &pos, &match)) {
        /* the last guard before the file: never print the value itself */
        ng_error(k->diags, NULL, 0, 0,
                 "teksten indeholder et CPR-lignende tal, som ikke må stå i et notat (%s)", where);
        k->status = NG_ERR_PRIVACY;
        return;
    }
    for (size_t i = 0; s[i];) {
        size_t n;
        unsigned long cp = ng_pdf_utf8_decode(s + i, &n);
        if (cp == 0xFFFD && (unsigned char)s[i] >= 0x80 && n == 1) {
            ng_error(k->diags, NULL, 0, 0, "teksten er ikke gyldig UTF-8 (%s)", where);
            k->status = NG_ERR_INPUT;
            return;
        }
        if (cp != '\n' && cp != '\t' && !ng_pdf_fonts_have(k->fonts, cp)) {
            char glyph[8] = {0};
            memcpy(glyph, s + i, n < sizeof glyph ? n : sizeof glyph - 1);
            if (cp < 0x20)
                snprintf(glyph, sizeof glyph, "?");
            ng_error(k->diags, NULL, 0, 0,
                     "tegnet U+%04lX ('%s') findes ikke i skrifttypen Liberation Sans (%s)", cp,
                     glyph, where);
            k->status = NG_ERR_INPUT;
            return;
        }
        i += n;
    }
}

static void check_table(char_check *k, const ng_table *t, long line)
{
    char buf[512];
    if (!t)
        return;
    check_text(k, t->title, line);
    check_text(k, t->source, line);
    check_text(k, t->note, line);
    for (int col = 0; col < t->ncols; col++) {
        check_text(k, t->cols[col].label, line);
        check_text(k, t->cols[col].group, line);
    }
    for (int r = 0; r < t->nrows; r++)
        for (int col = 0; col < t->ncols; col++)
            check_text(k, ng_table_format_cell(t, r, col, buf, sizeof buf), line);
}

static ng_status check_characters(const ng_memo *memo, const ng_pdf_fonts *fonts, ng_diags *diags)
{
    char_check k = {fonts, diags, NG_OK};
    const ng_memo_meta *mm = &memo->meta;
    const char *head[] = {memo->title, mm->sagsnavn,    mm->sagsnummer, mm->skrevet_af,
                          mm->email,   mm->forvaltning, memo->dato,     mm->sendes_til};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        check_text(&k, head[i], 0);
    for (size_t i = 0; i < memo->nfootnotes; i++)
        check_text(&k, memo->footnotes[i], 0);
    for (size_t i = 0; i < memo->nblocks; i++) {
        const ng_block *b = &memo->blocks[i];
        for (size_t r = 0; r < b->nruns; r++)
            check_text(&k, b->runs[r].text, b->source_line);
        check_text(&k, b->caption, b->source_line);
        check_table(&k, b->table ? b->table : b->owned_table, b->source_line);
        if (b->figure) {
            check_text(&k, b->figure->title, b->source_line);
            check_text(&k, b->figure->y_title, b->source_line);
        }
    }
    return k.status;
}

/* ---- blocks ------------------------------------------------------------- */

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

static ng_status styled_paragraph(ng_pdf_ctx *c, const ng_run *runs, size_t nruns,
                                  unsigned add_style, double x, double width, double size,
                                  double leading)
{
    ng_run *copy = malloc((nruns ? nruns : 1) * sizeof *copy);
    if (!copy)
        return NG_ERR_NOMEM;
    for (size_t i = 0; i < nruns; i++)
        copy[i] = (ng_run){runs[i].text, runs[i].style | add_style};
    ng_status st = ng_pdf_paragraph(c, copy, nruns, x, width, size, leading);
    free(copy);
    return st;
}

static ng_status draw_title(ng_pdf_ctx *c, const char *title)
{
    ng_run run = {(char *)title, NG_STYLE_BOLD};
    ng_status st = ng_pdf_ensure(c, 60);
    if (st == NG_OK)
        st = ng_pdf_paragraph(c, &run, 1, c->left, text_width(c), TITLE_SIZE, TITLE_SIZE * 1.3);
    c->y -= 10;
    return st;
}

static bool is_blank(const char *s)
{
    while (s && (*s == ' ' || *s == '\t'))
        s++;
    return !s || !*s;
}

/* The label/value lines of the memo header (as in the economy memo): bold labels in a
 * column of their own, values wrapped beside them. */
static ng_status draw_header_fields(ng_pdf_ctx *c, const ng_memo *memo)
{
    const ng_memo_meta *mm = &memo->meta;
    const char *label[] = {"Sagsnavn:",    "Sagsnummer:", "Skrevet af:", "E-mail:",
                           "Forvaltning:", "Dato:",       "Sendes til:"};
    const char *value[] = {mm->sagsnavn,    mm->sagsnummer, mm->skrevet_af, mm->email,
                           mm->forvaltning, memo->dato,     mm->sendes_til};
    const size_t n = sizeof label / sizeof label[0];
    const double leading = HEADER_SIZE * 1.45;
    double label_w = 0;
    for (size_t i = 0; i < n; i++) {
        double w = ng_pdf_text_width(c, NG_STYLE_BOLD, HEADER_SIZE, label[i]);
        if (!is_blank(value[i]) && w > label_w)
            label_w = w;
    }
    label_w += 14;
    ng_status st = NG_OK;
    for (size_t i = 0; i < n && st == NG_OK; i++) {
        if (is_blank(value[i]))
            continue;
        if ((st = ng_pdf_ensure(c, leading)) != NG_OK)
            break;
        double top = c->y;
        ng_pdf_draw_text(c, c->left, ng_pdf_baseline_below(top, HEADER_SIZE, leading),
                         NG_STYLE_BOLD, HEADER_SIZE, label[i], strlen(label[i]));
        ng_run run = {(char *)value[i], 0};
        st = ng_pdf_paragraph(c, &run, 1, c->left + label_w, text_width(c) - label_w, HEADER_SIZE,
                              leading);
        if (c->y > top - leading) /* a value of only spaces: keep the line */
            c->y = top - leading;
    }
    if (st == NG_OK) {
        c->y -= 8;
        ng_pdf_stroke_line(c, c->left, c->y, c->right, c->y, 0.6, 0.55);
        c->y -= 14;
    }
    return st;
}

/* How much of the next block a heading must see on its page: the caption,
 * header and first rows of a table, a whole chart, or three lines of text. */
static double keep_with_next(const ng_memo *memo, size_t i)
{
    if (i + 1 >= memo->nblocks)
        return NG_PDF_BODY_LEADING;
    switch (memo->blocks[i + 1].kind) {
    case NG_BLOCK_TABLE:
        return 110;
    case NG_BLOCK_FIGURE:
        return 300;
    default:
        return 3 * NG_PDF_BODY_LEADING;
    }
}

static ng_status draw_heading(ng_pdf_ctx *c, const ng_block *b, double keep)
{
    static const double size[] = {14.0, 12.0, 10.5};
    static const double before[] = {16.0, 13.0, 10.0};
    int lvl = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
    double s = size[lvl - 1];
    unsigned style = lvl == 3 ? (NG_STYLE_BOLD | NG_STYLE_ITALIC) : NG_STYLE_BOLD;
    gap(c, before[lvl - 1]);
    /* keep the heading with the first lines of what follows */
    ng_status st = ng_pdf_ensure(c, s * 1.3 + keep);
    if (st == NG_OK)
        st = styled_paragraph(c, b->runs, b->nruns, style, c->left, text_width(c), s, s * 1.3);
    c->y -= 4;
    return st;
}

static ng_status draw_item(ng_pdf_ctx *c, const ng_block *b, bool last_in_list)
{
    int lvl = b->level < 1 ? 1 : b->level > 6 ? 6 : b->level;
    double indent = LIST_INDENT * lvl;
    double x = c->left + indent;
    /* as much as the paragraph keeps together, so the mark and its text
     * cannot end up on different pages */
    ng_status st = ng_pdf_ensure(c, 2 * NG_PDF_BODY_LEADING);
    if (st != NG_OK)
        return st;
    double top = c->y;
    char mark[24];
    if (b->number > 0)
        snprintf(mark, sizeof mark, "%d.", b->number);
    else
        snprintf(mark, sizeof mark, "%s", lvl % 2 ? "•" : "–");
    double mw = ng_pdf_text_width(c, 0, NG_PDF_BODY_SIZE, mark);
    ng_pdf_draw_text(c, x - 5 - mw,
                     ng_pdf_baseline_below(c->y, NG_PDF_BODY_SIZE, NG_PDF_BODY_LEADING), 0,
                     NG_PDF_BODY_SIZE, mark, strlen(mark));
    st = ng_pdf_paragraph(c, b->runs, b->nruns, x, c->right - x, NG_PDF_BODY_SIZE,
                          NG_PDF_BODY_LEADING);
    if (c->y > top - NG_PDF_BODY_LEADING) /* an empty item still takes its line */
        c->y = top - NG_PDF_BODY_LEADING;
    c->y -= last_in_list ? NG_PDF_PARA_GAP : 2.5;
    return st;
}

static ng_status draw_quote(ng_pdf_ctx *c, const ng_block *b)
{
    double y0 = c->y;
    size_t page0 = c->npages;
    ng_pdf_set_gray_fill(c, 0.25);
    ng_status st =
        styled_paragraph(c, b->runs, b->nruns, NG_STYLE_ITALIC, c->left + QUOTE_INDENT,
                         text_width(c) - 2 * QUOTE_INDENT, NG_PDF_BODY_SIZE, NG_PDF_BODY_LEADING);
    /* the bar beside the quote, on the page where it ends */
    double bar_top = c->npages == page0 ? y0 : c->top;
    ng_pdf_stroke_line(c, c->left + 6, bar_top - 2, c->left + 6, c->y + 2, 2.0, 0.65);
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
    ng_pdf_stroke_line(c, c->left, c->y, c->right, c->y, 0.5, 0.6);
    c->y -= 8;
    return NG_OK;
}

static void page_break(ng_pdf_ctx *c)
{
    if (c->page && !c->page_is_new)
        c->y = c->bottom - 1;
}

static ng_status draw_block(ng_pdf_ctx *c, const ng_memo *memo, size_t i)
{
    const ng_block *b = &memo->blocks[i];
    const ng_table *t = b->table ? b->table : b->owned_table;
    bool last_item = i + 1 >= memo->nblocks || memo->blocks[i + 1].kind != NG_BLOCK_ITEM;
    ng_status st = NG_OK;
    switch (b->kind) {
    case NG_BLOCK_HEADING:
        return draw_heading(c, b, keep_with_next(memo, i));
    case NG_BLOCK_PARAGRAPH:
        st = ng_pdf_paragraph(c, b->runs, b->nruns, c->left, text_width(c), NG_PDF_BODY_SIZE,
                              NG_PDF_BODY_LEADING);
        c->y -= NG_PDF_PARA_GAP;
        return st;
    case NG_BLOCK_ITEM:
        return draw_item(c, b, last_item);
    case NG_BLOCK_QUOTE:
        if ((st = ng_pdf_ensure(c, 2 * NG_PDF_BODY_LEADING)) != NG_OK)
            return st;
        return draw_quote(c, b);
    case NG_BLOCK_TABLE:
        if (!t)
            break;
        gap(c, 4);
        return ng_pdf_table(c, t, b->caption);
    case NG_BLOCK_FIGURE:
        if (!t || !b->figure)
            break;
        gap(c, 4);
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
    ng_pdf_stroke_line(c, c->left, c->y, c->left + 140, c->y, 0.5, 0.4);
    c->y -= 6;
    for (size_t i = 0; i < memo->nfootnotes && st == NG_OK; i++) {
        if (c->note_placed[i])
            continue;
        char num[24];
        snprintf(num, sizeof num, "%zu", i + 1);
        if ((st = ng_pdf_ensure(c, leading)) != NG_OK)
            break;
        ng_pdf_draw_text(c, c->left,
                         ng_pdf_baseline_below(c->y, NG_PDF_NOTE_SIZE, leading) +
                             NG_PDF_NOTE_SIZE * 0.3,
                         0, NG_PDF_NOTE_SIZE * 0.8, num, strlen(num));
        ng_run run = {memo->footnotes[i], 0};
        st = ng_pdf_paragraph(c, &run, 1, c->left + 12, text_width(c) - 12, NG_PDF_NOTE_SIZE,
                              leading);
        c->y -= 2;
    }
    return st;
}

static void draw_footers(ng_pdf_ctx *c)
{
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
}

/* ---- document ----------------------------------------------------------- */

static void set_metadata(ng_pdf_ctx *c, const ng_memo *memo, const ng_pdf_options *opts)
{
    if (memo->title)
        HPDF_SetInfoAttr(c->doc, HPDF_INFO_TITLE, memo->title);
    const char *author = opts && opts->author ? opts->author : memo->meta.skrevet_af;
    if (author)
        HPDF_SetInfoAttr(c->doc, HPDF_INFO_AUTHOR, author);
    const char *subject = opts && opts->subject ? opts->subject : memo->meta.sagsnavn;
    if (subject)
        HPDF_SetInfoAttr(c->doc, HPDF_INFO_SUBJECT, subject);
    HPDF_SetInfoAttr(c->doc, HPDF_INFO_CREATOR, "notatgen");
    const char *lang = memo->lang ? memo->lang : "da-DK";
    HPDF_String s = HPDF_String_New(c->doc->mmgr, lang, NULL);
    if (s)
        HPDF_Dict_Add(c->doc->catalog, "Lang", s);
    if (opts && opts->has_source_date_epoch) {
        long long e = opts->source_date_epoch;
        ng_date d = ng_date_from_epoch(e);
        long long sec = ((e % 86400) + 86400) % 86400;
        /* libharu rejects 'Z': write the UTC offset as +00'00' */
        HPDF_Date date = {d.y, d.m, d.d, (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60),
                          '+', 0,   0};
        HPDF_SetInfoDateAttr(c->doc, HPDF_INFO_CREATION_DATE, date);
        HPDF_SetInfoDateAttr(c->doc, HPDF_INFO_MOD_DATE, date);
    }
}

static ng_status layout_memo(ng_pdf_ctx *c, const ng_memo *memo)
{
    ng_status st = ng_pdf_ensure(c, 0);
    if (st == NG_OK && memo->title)
        st = draw_title(c, memo->title);
    if (st == NG_OK && memo->show_header)
        st = draw_header_fields(c, memo);
    for (size_t i = 0; i < memo->nblocks && st == NG_OK; i++)
        st = draw_block(c, memo, i);
    if (st == NG_OK)
        st = draw_footnotes(c, memo);
    ng_pdf_flush_page_notes(c);
    if (st == NG_OK)
        draw_footers(c);
    return st;
}

static ng_status open_document(ng_pdf_ctx *c)
{
    c->doc = HPDF_New(on_hpdf_error, c);
    if (!c->doc)
        return NG_ERR_NOMEM;
    HPDF_SetCompressionMode(c->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(c->doc);
    HPDF_SetCurrentEncoder(c->doc, "UTF-8");
    return c->hpdf_failed ? NG_ERR_IO : NG_OK;
}

ng_status ng_pdf_write(const ng_memo *memo, const ng_pdf_options *opts, const char *path,
                       ng_diags *diags)
{
    ng_pdf_ctx c;
    bool wrote = false;
    memset(&c, 0, sizeof c);
    c.diags = diags;
    ng_pdf_lines_init(&c.lines);
    ng_status st = ng_pdf_fonts_find(&c.fonts, opts ? opts->font_dir : NULL, diags);
    if (st != NG_OK)
        return st;
    if ((st = check_characters(memo, &c.fonts, diags)) != NG_OK)
        goto cleanup;
    c.memo = memo;
    c.note_placed = calloc(memo->nfootnotes + 1, sizeof *c.note_placed);
    c.page_notes = calloc(memo->nfootnotes + 1, sizeof *c.page_notes);
    if (!c.note_placed || !c.page_notes) {
        st = NG_ERR_NOMEM;
        goto cleanup;
    }
    if ((st = open_document(&c)) != NG_OK)
        goto cleanup;
    if ((st = ng_pdf_fonts_load(&c.fonts, c.doc, diags)) != NG_OK)
        goto cleanup;
    set_metadata(&c, memo, opts);
    if ((st = layout_memo(&c, memo)) != NG_OK)
        goto cleanup;
    if (!c.hpdf_failed) {
        wrote = true;
        if (HPDF_SaveToFile(c.doc, path) != HPDF_OK)
            c.hpdf_failed = true;
    }
    /* case data: no other user of the machine may read the memo (SPEC 6) */
    if (!c.hpdf_failed && chmod(path, 0600) != 0) {
        ng_error(diags, path, 0, 0, "PDF-filens rettigheder kan ikke sættes til 0600");
        st = NG_ERR_IO;
    }
cleanup:
    if (c.hpdf_failed) {
        ng_error(diags, path, 0, 0, "PDF-filen kan ikke skrives (libharu-fejl 0x%04lX, %lu)",
                 c.hpdf_error, c.hpdf_detail);
        if (wrote) /* never a file of an earlier run that we did not touch */
            remove(path);
        if (st == NG_OK)
            st = NG_ERR_IO;
    }
    if (c.doc)
        HPDF_Free(c.doc);
    free(c.pages);
    free(c.note_placed);
    free(c.page_notes);
    ng_pdf_lines_free(&c.lines);
    ng_pdf_fonts_free(&c.fonts);
    return st;
}
