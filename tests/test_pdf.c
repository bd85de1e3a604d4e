/* test_pdf.c -- the PDF layout engine: line breaking, table pagination,
 * the missing-glyph check, and a sample memo with every block kind checked
 * through poppler (pdftotext, pdffonts, pdfinfo) and qpdf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../generator/pdf/charts.h"
#include "../generator/pdf/tables.h"
#include "../generator/pdf/text.h"
#include "notatgen/memo.h"
#include "notatgen/pdf.h"
#include "notatgen/table.h"
#include "pdftest.h"

#define OUT_DIR "test_pdf_out"

/* ---- line breaking with a fake font -------------------------------------
 * Every character (code point) is 10 wide, 12 in bold, 6 as a footnote
 * reference; a space is as wide as a character of its run's style. */
static double fake_measure(void *ctx, unsigned style, const char *text, size_t len)
{
    (void)ctx;
    double per = (style & NG_STYLE_FOOTREF) ? 6 : (style & NG_STYLE_BOLD) ? 12 : 10;
    double w = 0;
    for (size_t i = 0; i < len;) {
        i += ng_pdf_utf8_len(text + i);
        w += per;
    }
    return w;
}

static void break_runs(const ng_run *runs, size_t n, double width, ng_pdf_lines *out)
{
    /* out starts zeroed; its arrays are reused from call to call */
    assert_int_equal(ng_pdf_break_lines(runs, n, width, fake_measure, NULL, out), NG_OK);
}

/* The text of line i, fragments joined with "|". */
static const char *line_text(const ng_run *runs, const ng_pdf_lines *l, size_t i)
{
    static char buf[256];
    buf[0] = '\0';
    const ng_pdf_line *ln = &l->lines[i];
    for (size_t k = ln->first; k < ln->first + ln->count; k++) {
        const ng_pdf_frag *f = &l->frags[k];
        if (k > ln->first)
            strcat(buf, "|");
        strncat(buf, runs[f->run].text + f->start, f->end - f->start);
    }
    return buf;
}

static void test_break_simple_and_exact_margin(void **state)
{
    (void)state;
    ng_run runs[] = {{"aaa bbb ccc", 0}};
    ng_pdf_lines l = {0};
    /* "aaa bbb" is 30 + 10 + 30 = 70: ends exactly at the margin and fits */
    break_runs(runs, 1, 70, &l);
    assert_int_equal(l.nlines, 2);
    assert_string_equal(line_text(runs, &l, 0), "aaa bbb");
    assert_true(l.lines[0].width == 70);
    assert_string_equal(line_text(runs, &l, 1), "ccc");
    assert_true(l.lines[1].width == 30);
    /* one point less and "bbb" moves down */
    break_runs(runs, 1, 69.9, &l);
    assert_int_equal(l.nlines, 3);
    ng_pdf_lines_free(&l);
}

static void test_break_long_word_by_characters(void **state)
{
    (void)state;
    ng_run runs[] = {{"ab abcdefghij c", 0}};
    ng_pdf_lines l = {0};
    break_runs(runs, 1, 35, &l);
    /* the long word starts a line of its own and is cut every 3 characters;
     * the following word continues after its last piece */
    assert_int_equal(l.nlines, 5);
    assert_string_equal(line_text(runs, &l, 0), "ab");
    assert_string_equal(line_text(runs, &l, 1), "abc");
    assert_string_equal(line_text(runs, &l, 2), "def");
    assert_string_equal(line_text(runs, &l, 3), "ghi");
    assert_string_equal(line_text(runs, &l, 4), "j c");
    assert_true(l.lines[4].width == 30);
    /* multi-byte characters are never cut inside: æ is 2 bytes */
    ng_run dk[] = {{"æøåæøå", 0}};
    break_runs(dk, 1, 25, &l);
    assert_int_equal(l.nlines, 3);
    assert_string_equal(line_text(dk, &l, 0), "æø");
    assert_string_equal(line_text(dk, &l, 1), "åæ");
    assert_string_equal(line_text(dk, &l, 2), "øå");
    /* a line narrower than one character still takes one character */
    break_runs(dk, 1, 5, &l);
    assert_int_equal(l.nlines, 6);
    ng_pdf_lines_free(&l);
}

static void test_break_only_spaces(void **state)
{
    (void)state;
    ng_run runs[] = {{"     ", 0}, {"  ", NG_STYLE_BOLD}};
    ng_pdf_lines l = {0};
    break_runs(runs, 2, 100, &l);
    assert_int_equal(l.nlines, 0);
    /* spaces at a line's start and end are not drawn and not counted */
    ng_run padded[] = {{"   aa   bb   ", 0}};
    break_runs(padded, 1, 40, &l);
    assert_int_equal(l.nlines, 2);
    assert_string_equal(line_text(padded, &l, 0), "aa");
    assert_true(l.lines[0].width == 20);
    assert_true(l.frags[l.lines[1].first].x == 0);
    ng_pdf_lines_free(&l);
}

static void test_break_mixed_runs(void **state)
{
    (void)state;
    /* "Hej **fed**, og": the comma belongs to the bold word before it */
    ng_run runs[] = {{"Hej ", 0}, {"fed", NG_STYLE_BOLD}, {", og", 0}};
    ng_pdf_lines l = {0};
    break_runs(runs, 3, 100, &l);
    assert_int_equal(l.nlines, 2);
    assert_int_equal(l.lines[0].count, 3);
    const ng_pdf_frag *f = &l.frags[l.lines[0].first];
    assert_int_equal(f[0].run, 0);
    assert_true(f[0].x == 0 && f[0].width == 30);
    assert_int_equal(f[1].run, 1);
    assert_true(f[1].x == 40 && f[1].width == 36);
    assert_int_equal(f[2].run, 2);
    assert_int_equal(f[2].start, 0);
    assert_int_equal(f[2].end, 1);
    assert_true(f[2].x == 76);
    assert_true(l.lines[0].width == 86);
    assert_string_equal(line_text(runs, &l, 1), "og");

    /* a word across two runs moves as a whole */
    ng_run word[] = {{"x ab", 0}, {"cd", NG_STYLE_BOLD}};
    break_runs(word, 2, 45, &l);
    assert_int_equal(l.nlines, 2);
    assert_string_equal(line_text(word, &l, 0), "x");
    assert_string_equal(line_text(word, &l, 1), "ab|cd");
    assert_true(l.lines[1].width == 44);

    /* a footnote reference sticks to its word */
    ng_run note[] = {{"kr.", 0}, {"1", NG_STYLE_FOOTREF}, {" i alt", 0}};
    break_runs(note, 3, 40, &l);
    assert_string_equal(line_text(note, &l, 0), "kr.|1");
    assert_true(l.lines[0].width == 36);
    ng_pdf_lines_free(&l);
}

static void test_break_hard_breaks_and_merging(void **state)
{
    (void)state;
    ng_run runs[] = {{"a\n\nb c\n", 0}};
    ng_pdf_lines l = {0};
    break_runs(runs, 1, 1000, &l);
    assert_int_equal(l.nlines, 3);
    assert_string_equal(line_text(runs, &l, 0), "a");
    assert_int_equal(l.lines[1].count, 0);
    /* words of one run on one line share a fragment, spaces included */
    assert_int_equal(l.lines[2].count, 1);
    assert_string_equal(line_text(runs, &l, 2), "b c");
    assert_true(l.lines[2].width == 30);
    ng_pdf_lines_free(&l);
}

/* ---- hyphenated line breaking ----------------------------------------------
 * The fake hyphenator allows a break after every second byte of words of
 * six or more bytes. */
static size_t every_second(void *ctx, const char *word, size_t len, ng_pdf_break_point *p,
                           size_t max)
{
    (void)ctx;
    size_t n = 0;
    for (size_t at = 2; len >= 6 && at + 2 <= len && n < max; at += 2)
        p[n++] = (ng_pdf_break_point){at, true};
    return n;
}

static void break_hyphenated(const ng_run *runs, size_t n, double width, ng_pdf_lines *out)
{
    ng_pdf_hyphenation hy = {every_second, NULL};
    assert_int_equal(ng_pdf_break_lines_hyphenated(runs, n, width, fake_measure, NULL, &hy, out),
                     NG_OK);
}

static bool ends_hyphenated(const ng_pdf_lines *l, size_t i)
{
    const ng_pdf_line *ln = &l->lines[i];
    return ln->count && l->frags[ln->first + ln->count - 1].hyphen;
}

static void test_break_with_hyphens(void **state)
{
    (void)state;
    ng_run runs[] = {{"aa bbbbbbbb cc", 0}};
    ng_pdf_lines l = {0};
    /* "aa bbbb" and the hyphen are 80 wide: the word is split where that fits */
    break_hyphenated(runs, 1, 80, &l);
    assert_int_equal(l.nlines, 2);
    assert_string_equal(line_text(runs, &l, 0), "aa bbbb");
    assert_true(ends_hyphenated(&l, 0));
    assert_true(l.lines[0].width == 80);
    assert_string_equal(line_text(runs, &l, 1), "bbbb cc");
    assert_false(ends_hyphenated(&l, 1));
    /* without hyphenation the word moves down whole */
    break_runs(runs, 1, 80, &l);
    assert_string_equal(line_text(runs, &l, 0), "aa");
    /* no room worth a hyphen (less than NG_PDF_HYPHEN_MIN_ROOM of the width) */
    ng_run tight[] = {{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbb", 0}};
    break_hyphenated(tight, 1, 390, &l);
    assert_string_equal(line_text(tight, &l, 1), "bbbbbbbb");
    /* a word across runs ("**bbb**cccccc") is split in its second run: 20 +
     * 10 + 36 (bold) + 30 + 10 (the hyphen) */
    ng_run mixed[] = {{"aa ", 0}, {"bbb", NG_STYLE_BOLD}, {"cccccc dd", 0}};
    break_hyphenated(mixed, 3, 110, &l);
    assert_string_equal(line_text(mixed, &l, 0), "aa|bbb|ccc");
    assert_true(ends_hyphenated(&l, 0));
    assert_true(l.lines[0].width == 106);
    assert_string_equal(line_text(mixed, &l, 1), "ccc dd");
    ng_pdf_lines_free(&l);
}

/* A word wider than the whole line is split at its break points as often as
 * it takes (any number of lines in a row), and only a rest too wide for the
 * line is broken between characters; with too_wide_only (a table cell) no
 * other word is hyphenated. */
static void test_too_wide_word_hyphenated(void **state)
{
    (void)state;
    ng_run runs[] = {{"aaaaaaaaaaaaaaaa", 0}}; /* 160 wide */
    ng_pdf_lines l = {0};
    break_runs(runs, 1, 55, &l); /* no hyphenation: 5 characters a line */
    assert_int_equal(l.nlines, 4);
    assert_string_equal(line_text(runs, &l, 0), "aaaaa");
    break_hyphenated(runs, 1, 55, &l);
    assert_int_equal(l.nlines, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(line_text(runs, &l, i), "aaaa");
        assert_true(ends_hyphenated(&l, i) == (i < 3));
    }
    /* a break point whose first part is too wide helps nothing: characters */
    ng_run narrow[] = {{"bbbbbbbb", 0}};
    break_hyphenated(narrow, 1, 25, &l);
    assert_string_equal(line_text(narrow, &l, 0), "bb");
    assert_false(ends_hyphenated(&l, 0));
    ng_pdf_hyphenation cell = {every_second, NULL, .too_wide_only = true};
    ng_run words[] = {{"aa bbbbbbbb cc", 0}};
    assert_int_equal(ng_pdf_break_lines_hyphenated(words, 1, 80, fake_measure, NULL, &cell, &l),
                     NG_OK);
    assert_int_equal(l.nlines, 3);
    assert_string_equal(line_text(words, &l, 1), "bbbbbbbb");
    assert_false(ends_hyphenated(&l, 0));
    assert_int_equal(ng_pdf_break_lines_hyphenated(runs, 1, 55, fake_measure, NULL, &cell, &l),
                     NG_OK);
    assert_int_equal(l.nlines, 4);
    assert_true(ends_hyphenated(&l, 0));
    ng_pdf_lines_free(&l);
}

static void test_hyphen_runs_limited(void **state)
{
    (void)state;
    /* every line could end hyphenated; at most two in a row do */
    ng_run runs[] = {{"aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee", 0}};
    ng_pdf_lines l = {0};
    break_hyphenated(runs, 1, 150, &l);
    int in_row = 0, most = 0;
    for (size_t i = 0; i < l.nlines; i++) {
        in_row = ends_hyphenated(&l, i) ? in_row + 1 : 0;
        most = in_row > most ? in_row : most;
    }
    assert_int_equal(most, NG_PDF_HYPHEN_MAX_RUN);
    ng_pdf_lines_free(&l);
}

/* ---- table pagination ------------------------------------------------------ */

static void test_paginate_repeats_header(void **state)
{
    (void)state;
    double h[100];
    ng_pdf_slot slots[100];
    for (int i = 0; i < 100; i++)
        h[i] = 20;
    bool moved;
    /* header 30; 200 left on this page: rows 0..7 (30 + 8*20 = 190);
     * a fresh page of 700 holds 33 rows under the repeated header */
    int pages = ng_pdf_paginate_rows(h, 100, 30, 200, 700, slots, &moved);
    assert_false(moved);
    assert_int_equal(pages, 4); /* 8 + 33 + 33 + 26 */
    assert_int_equal(slots[0].page, 0);
    assert_true(slots[0].top == 30);
    assert_int_equal(slots[7].page, 0);
    assert_true(slots[7].top == 170);
    assert_int_equal(slots[8].page, 1);
    assert_true(slots[8].top == 30); /* below the repeated header */
    assert_int_equal(slots[40].page, 1);
    assert_true(slots[40].top == 670);
    assert_int_equal(slots[41].page, 2);
    assert_int_equal(slots[99].page, 3);
    assert_true(slots[99].top == 30 + 25 * 20);

    /* not even the header and one row fit: the table starts on the next page */
    pages = ng_pdf_paginate_rows(h, 3, 30, 45, 700, slots, &moved);
    assert_true(moved);
    assert_int_equal(pages, 1);
    assert_int_equal(slots[2].page, 0);

    /* the header and two rows would fit, but a header needs three rows under it */
    pages = ng_pdf_paginate_rows(h, 10, 30, 80, 700, slots, &moved);
    assert_true(moved);
    assert_int_equal(slots[9].page, 0);
    pages = ng_pdf_paginate_rows(h, 10, 30, 90, 700, slots, &moved);
    assert_false(moved);
    assert_int_equal(pages, 2);
    assert_int_equal(slots[2].page, 0);
    assert_int_equal(slots[3].page, 1);

    /* the last row is not left alone on a page: the row before goes along */
    pages = ng_pdf_paginate_rows(h, 9, 30, 200, 700, slots, &moved);
    assert_int_equal(pages, 2);
    assert_int_equal(slots[6].page, 0);
    assert_int_equal(slots[7].page, 1);
    assert_true(slots[7].top == 30);
    assert_int_equal(slots[8].page, 1);
    assert_true(slots[8].top == 50);

    /* a row taller than a page gets a page of its own, never lost */
    double tall[] = {20, 900, 20};
    pages = ng_pdf_paginate_rows(tall, 3, 30, 700, 700, slots, &moved);
    assert_int_equal(pages, 3);
    assert_int_equal(slots[1].page, 1);
    assert_int_equal(slots[2].page, 2);
}

/* ---- chart axes ------------------------------------------------------------ */

static void assert_axis(double lo, double hi, ng_figure_type type, double want_lo, double want_hi,
                        double want_step, int want_decimals)
{
    ng_pdf_axis a = ng_pdf_nice_axis(lo, hi, type);
    if (a.lo != want_lo || a.hi != want_hi || a.step != want_step || a.decimals != want_decimals)
        fail_msg("axis %g..%g: got %g..%g step %g (%d decimals), want %g..%g step %g (%d)", lo, hi,
                 a.lo, a.hi, a.step, a.decimals, want_lo, want_hi, want_step, want_decimals);
}

static void test_nice_axis(void **state)
{
    (void)state;
    /* the economy memo's four curves, mio. kr.: far from zero, so zero is left out */
    assert_axis(658.5, 780.9, NG_FIG_LINE, 650, 800, 25, 0);
    /* the economy memo's case counts 140..193: the lowest point is kept off the axis */
    assert_axis(140, 193, NG_FIG_LINE, 120, 200, 20, 0);
    /* data near zero keep zero */
    assert_axis(30, 95, NG_FIG_LINE, 0, 100, 20, 0);
    /* columns stand on zero: the status memo's yearly totals */
    assert_axis(267.6, 402.2, NG_FIG_STACKED, 0, 500, 100, 0);
    /* initiative effects, 1.000 kr. -> mio. kr.: negative columns */
    assert_axis(-6.5, 0.4, NG_FIG_COLUMN, -8, 2, 2, 0);
    /* small values need decimals */
    assert_axis(0, 1.2, NG_FIG_COLUMN, 0, 1.25, 0.25, 2);
    assert_axis(0, 0.47, NG_FIG_COLUMN, 0, 0.5, 0.1, 1);
    assert_axis(700, 700, NG_FIG_LINE, 699, 701, 1, 0); /* all equal: centred */
}

/* ---- sample memo ----------------------------------------------------------- */

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

static void add_para(ng_memo *m, long line, const char *text, unsigned style)
{
    ng_block *b = ng_memo_add_block(m, NG_BLOCK_PARAGRAPH);
    assert_non_null(b);
    b->source_line = line;
    assert_int_equal(ng_block_add_run(b, text, style), NG_OK);
}

/* The economy memo: cases over 1 mio. kr. per cost band, 2017-2023, with a total. */
static ng_table *band_table(void)
{
    ng_table *t = ng_table_new("sde_baand", "Særligt dyre enkeltsager over 1 mio. kr.");
    static const char *years[] = {
        "2017", "2018", "2019", "2020", "2021", "2022", "2023 (foreløbig)"};
    static const double n[3][7] = {
        {86, 77, 80, 83, 95, 108, 117}, {9, 14, 26, 30, 29, 29, 39}, {0, 9, 6, 8, 16, 25, 23}};
    static const char *band[] = {"1,0-1,5 mio. kr.", "1,5-2,0 mio. kr.", "2,0 mio. kr. +"};
    ng_table_add_column(t, "baand", "Udgiftsinterval", NG_UNIT_TEXT);
    for (int y = 0; y < 7; y++)
        ng_table_add_column(t, years[y], years[y], NG_UNIT_ANTAL);
    for (int r = 0; r < 3; r++) {
        ng_table_add_row(t, band[r], 0);
        ng_table_set_text(t, r, 0, band[r]);
        for (int y = 0; y < 7; y++)
            if (!(r == 2 && y == 0))
                ng_table_set_num(t, r, y + 1, n[r][y]);
    }
    ng_table_add_total_row(t, "i_alt", "I alt (antal)", 0, 0, 2);
    ng_table_set_source(t, "Kilde: Randers Kommune, økonomisystemet.");
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    return t;
}

/* The status memo: the monthly table by refusion tier, a two-level header. */
static ng_table *monthly_table(int nmonths)
{
    ng_table *t = ng_table_new("sde_maaned", "Udvikling i udgifter og antal sager pr. måned");
    static const char *grp[] = {"25 pct. refusion", "50 pct. refusion", "75 pct. refusion",
                                "Total"};
    static const double v[8][8] = {{179, 221.7, 35, 70.9, 26, 89.5, 240, 382.1},
                                   {183, 227.7, 35, 70.4, 28, 96.4, 246, 394.5},
                                   {180, 227.8, 40, 80.6, 29, 99.0, 249, 407.4},
                                   {180, 229.4, 35, 70.7, 34, 112.8, 249, 412.9},
                                   {176, 223.4, 35, 71.0, 36, 118.2, 247, 412.6},
                                   {171, 217.3, 35, 70.7, 37, 122.4, 243, 410.4},
                                   {168, 213.1, 39, 78.8, 32, 109.3, 239, 401.2},
                                   {169, 214.1, 39, 79.2, 32, 108.9, 240, 402.2}};
    static const char *month[] = {"Februar", "Marts", "April",     "Maj",
                                  "Juni",    "Juli",  "September", "Oktober"};
    ng_table_add_column(t, "maaned", "Beløb i 1.000 kr.", NG_UNIT_TEXT);
    for (int g = 0; g < 4; g++) {
        int a = ng_table_add_column(t, "antal", "Antal sager", NG_UNIT_ANTAL);
        int u = ng_table_add_column(t, "udgift", "Udgift", NG_UNIT_TKR);
        ng_table_set_column_group(t, a, grp[g]);
        ng_table_set_column_group(t, u, grp[g]);
    }
    for (int r = 0; r < nmonths; r++) {
        char label[64];
        snprintf(label, sizeof label, "%s %d", month[r % 8], 2025 + r / 8);
        ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, r, 0, label);
        for (int k = 0; k < 8; k++)
            ng_table_set_num(t, r, k + 1, k % 2 ? v[r % 8][k] * 1e6 : v[r % 8][k]);
    }
    ng_table_set_note(t, "– : færre end 3 personer (diskretioneret)");
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    return t;
}

/* The economy memo: budget and expected spend 2023-2027, the four curves. */
static ng_table *budget_table(void)
{
    ng_table *t = ng_table_new("budget", "Økonomi på socialområdet (service) 2023-2027");
    static const char *rows[] = {
        "Budget inkl. forv. demografi og merindtægt SDES (gul kurve)",
        "Forventet udgift før SØP (rød kurve)",
        "Forventet udgift inkl. SØP og boligplan (blå kurve)",
        "Forventet udgift inkl. SØP + boligplan + 2024 fingerplansinitiativer (grøn kurve)"};
    static const double v[4][5] = {{658.5, 669.3, 672.4, 675.8, 679.6},
                                   {703.4, 716.4, 737.9, 759.4, 780.9},
                                   {696.4, 704.9, 712.1, 707.5, 713.2},
                                   {696.4, 705.3, 708.15, 702.45, 706.7}};
    ng_table_add_column(t, "post", "Socialområdet service, mio. kr.", NG_UNIT_TEXT);
    for (int y = 0; y < 5; y++) {
        char yr[8];
        snprintf(yr, sizeof yr, "%d", 2023 + y);
        ng_table_add_column(t, yr, yr, NG_UNIT_MIO);
    }
    for (int r = 0; r < 4; r++) {
        ng_table_add_row(t, NULL, NG_ROW_SUBTOTAL);
        ng_table_set_text(t, r, 0, rows[r]);
        for (int y = 0; y < 5; y++)
            ng_table_set_num(t, r, y + 1, v[r][y] * 1e6);
    }
    return t;
}

/* The economy memo's fingerplan: long text columns beside numbers, a group header
 * over the years and a total row. */
static ng_table *initiatives_table(void)
{
    ng_table *t =
        ng_table_new("fingerplan", "Forslag til fingerplan med kommende års udviklingstiltag");
    static const char *title[] = {"Digital først/virtuel støtte",
                                  "Styrket fokus på tabt arbejdsfortjeneste",
                                  "Team God Arbejdsplads"};
    static const char *text[] = {
        "Velfærdsteknologi og digitalisering inddrages, når dette både kan understøtte "
        "fagligheden i de sociale indsatser og medføre en øget fleksibilitet og større "
        "autonomi for den enkelte borger.",
        "Der igangsættes en styrket indsats i myndighed med henblik på at sikre tættere "
        "koordinering med rådgivere i sager, hvor der ydes tabt arbejdsfortjeneste.",
        "Med henblik på at støtte de decentrale ledere oprettes ultimo 2023 et team på 3 "
        "årsværk inden for HR, arbejdsmiljø og administration."};
    static const double v[3][4] = {
        {50, -425, -525, -725}, {-250, -1500, -1500, -1750}, {-600, -2000, -2000, -2000}};
    ng_table_add_column(t, "nr", "Nr.", NG_UNIT_TEXT);
    ng_table_add_column(t, "titel", "Titel", NG_UNIT_TEXT);
    ng_table_add_column(t, "forslag", "Løsningsforslag", NG_UNIT_TEXT);
    for (int y = 0; y < 4; y++) {
        char yr[8];
        snprintf(yr, sizeof yr, "%d", 2024 + y);
        int col = ng_table_add_column(t, yr, yr, NG_UNIT_TKR);
        ng_table_set_column_group(t, col, "Økonomisk effekt (1.000 kr.)");
    }
    for (int r = 0; r < 3; r++) {
        char nr[8];
        snprintf(nr, sizeof nr, "%d", r + 1);
        ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, r, 0, nr);
        ng_table_set_text(t, r, 1, title[r]);
        ng_table_set_text(t, r, 2, text[r]);
        for (int y = 0; y < 4; y++)
            ng_table_set_num(t, r, y + 3, v[r][y] * 1000);
    }
    ng_table_add_total_row(t, "i_alt", "Forventet effekt", 1, 0, 2);
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    return t;
}

/* The status memo's yearly series per refusion tier. */
static ng_table *yearly_table(void)
{
    ng_table *t = ng_table_new("sde_aar", "Social voksen: sager og udgifter pr. år");
    static const double v[4][6] = {{165, 183.5, 20, 38.0, 14, 46.1},
                                   {175, 201.7, 28, 54.7, 14, 47.3},
                                   {166, 199.3, 42, 81.8, 22, 75.9},
                                   {169, 214.1, 39, 79.2, 32, 108.9}};
    static const char *grp[] = {"25 % refusion", "50 % refusion", "75 % refusion"};
    ng_table_add_column(t, "aar", "Social voksen", NG_UNIT_TEXT);
    for (int g = 0; g < 3; g++) {
        int a = ng_table_add_column(t, "antal", "Antal sager", NG_UNIT_ANTAL);
        int u = ng_table_add_column(t, "udgift", "Udgifter (mio.kr)", NG_UNIT_MIO);
        ng_table_set_column_group(t, a, grp[g]);
        ng_table_set_column_group(t, u, grp[g]);
    }
    for (int r = 0; r < 4; r++) {
        char yr[8];
        snprintf(yr, sizeof yr, "%d", 2022 + r);
        ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, r, 0, yr);
        for (int k = 0; k < 6; k++)
            ng_table_set_num(t, r, k + 1, k % 2 ? v[r][k] * 1e6 : v[r][k]);
    }
    /* a small cell, suppressed for privacy */
    t->rows[0].cells[5].suppressed = true;
    t->count_table = true;
    ng_table_set_note(t, "– : færre end 3 personer (diskretioneret)");
    return t;
}

/* The economy memo: forecast against actual, the actual series stops in 2023. */
static ng_table *prognose_table(void)
{
    ng_table *t = ng_table_new("prognose", "Prognose og faktisk udvikling");
    static const char *rows[] = {"Antal sager jf. prognose", "Det faktiske antal sager"};
    static const double v[2][5] = {{142, 153, 165, 178, 193}, {140, 162, 179, -1, -1}};
    ng_table_add_column(t, "serie", "Særligt dyre enkeltsager o. 1 mio. kr.", NG_UNIT_TEXT);
    for (int y = 0; y < 5; y++) {
        char yr[8];
        snprintf(yr, sizeof yr, "%d", 2021 + y);
        ng_table_add_column(t, yr, yr, NG_UNIT_ANTAL);
    }
    for (int r = 0; r < 2; r++) {
        ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, r, 0, rows[r]);
        for (int y = 0; y < 5; y++)
            if (v[r][y] >= 0)
                ng_table_set_num(t, r, y + 1, v[r][y]);
    }
    return t;
}

static ng_figure *make_figure(const char *name, const char *title, ng_figure_type type,
                              bool from_rows, const int *series, int nseries, const int *cats,
                              int ncats, int label_col)
{
    ng_figure *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->name = xstrdup(name);
    f->table = xstrdup(name);
    f->title = xstrdup(title);
    f->y_title = type == NG_FIG_LINE ? xstrdup("mio. kr.") : NULL; /* NULL: the unit's label */
    f->type = type;
    f->series_from_rows = from_rows;
    f->series = malloc((size_t)nseries * sizeof *f->series);
    f->cats = malloc((size_t)ncats * sizeof *f->cats);
    memcpy(f->series, series, (size_t)nseries * sizeof *series);
    memcpy(f->cats, cats, (size_t)ncats * sizeof *cats);
    f->nseries = nseries;
    f->ncats = ncats;
    f->label_col = label_col;
    return f;
}

static void add_table(ng_memo *m, long line, ng_table *t)
{
    ng_block *b = ng_memo_add_block(m, NG_BLOCK_TABLE);
    b->source_line = line;
    b->owned_table = t;
    b->table = t;
}

/* A memo with every block kind: the header, headings, paragraphs with
 * mixed runs and a footnote, lists, a quote, a rule, tables (a group header,
 * a total row, one longer than a page, one too wide for portrait) and a
 * line and a stacked column chart. */
static void sample_memo(ng_memo *m)
{
    ng_memo_init(m);
    m->title = xstrdup("Notat - Status vedr. særligt dyre enkeltsager");
    m->meta.sagsnavn = xstrdup("Proces for økonomiske handleplaner Socialområdet 2022-2026");
    m->meta.sagsnummer = xstrdup("27.00.00-A00-43-22");
    m->meta.skrevet_af = xstrdup("Mette Holst-Langberg");
    m->meta.email = xstrdup("Mette.Holst-Langberg@randers.dk");
    m->meta.forvaltning = xstrdup("Social- og arbejdsmarkeds Sekretariat");
    m->meta.sendes_til = xstrdup("Byrådet (som en del af budgetmaterialet 2024-2027)");
    m->dato = xstrdup("22-11-2026");
    m->show_header = true;
    m->lang = xstrdup("da-DK");

    ng_block *b = ng_memo_add_block(m, NG_BLOCK_HEADING);
    b->level = 2;
    ng_block_add_run(b, "Baggrund", 0);
    b = ng_memo_add_block(m, NG_BLOCK_PARAGRAPH);
    b->source_line = 10;
    ng_block_add_run(b, "Der forventes et samlet merforbrug på ", 0);
    ng_block_add_run(b, "71,1 mio. kr.", NG_STYLE_BOLD);
    ng_block_add_run(b, " på socialområdet (service) i 2023 med ", 0);
    ng_block_add_run(b, "kursiv tekst", NG_STYLE_ITALIC);
    ng_block_add_run(b, " og ", 0);
    ng_block_add_run(b, "fed kursiv", NG_STYLE_BOLD | NG_STYLE_ITALIC);
    ng_block_add_run(b, ". Udviklingen i Særligt dyre enkeltsager fremgår af tabellen", 0);
    ng_block_add_run(b, "1", NG_STYLE_FOOTREF);
    ng_block_add_run(b, ".\nEn ny linje efter et hårdt linjeskift.", 0);
    add_para(m, 11, "Tegn: æøå ÆØÅ – «» ½ € ×", 0);
    add_table(m, 12, band_table());
    add_para(m, 14,
             "Analyser af særligt dyre enkeltsager på det specialiserede socialområde "
             "viser, at der visiteres til meget dyre forløb i situationer, hvor borgernes "
             "støttebehov nødvendiggør højt specialiserede indsatser.",
             0);
    static const char *items[] = {"At flere opgaver skal løses i Randers Kommune.",
                                  "At understøtte borgernes mestring af eget liv og dermed "
                                  "mindske behovet for kommunal hjælp og støtte.",
                                  "Et underpunkt."};
    for (int i = 0; i < 3; i++) {
        b = ng_memo_add_block(m, NG_BLOCK_ITEM);
        b->level = i == 2 ? 2 : 1;
        ng_block_add_run(b, items[i], 0);
    }
    for (int i = 0; i < 2; i++) {
        b = ng_memo_add_block(m, NG_BLOCK_ITEM);
        b->level = 1;
        b->number = i + 1;
        ng_block_add_run(
            b, i ? "Konsekvensberegning af udgiftsbehov." : "Udarbejdelse af døgnskemaer.", 0);
    }
    b = ng_memo_add_block(m, NG_BLOCK_QUOTE);
    ng_block_add_run(b, "Refusion på 25 pct. af udgiften over 940.000 kr.", 0);
    ng_memo_add_block(m, NG_BLOCK_RULE);
    b = ng_memo_add_block(m, NG_BLOCK_HEADING);
    b->level = 2;
    ng_block_add_run(b, "Udvikling pr. måned", 0);
    add_table(m, 20, monthly_table(8));

    ng_table *bt = budget_table();
    b = ng_memo_add_block(m, NG_BLOCK_FIGURE);
    b->source_line = 30;
    b->owned_table = bt;
    b->table = bt;
    static const int ser4[] = {0, 1, 2, 3}, years5[] = {1, 2, 3, 4, 5};
    b->figure = make_figure("budget", "Økonomi på socialområdet (service) 2023-2027 (mio. kr.)",
                            NG_FIG_LINE, true, ser4, 4, years5, 5, 0);
    ng_memo_add_block(m, NG_BLOCK_PAGEBREAK);
    b = ng_memo_add_block(m, NG_BLOCK_HEADING);
    b->level = 3;
    ng_block_add_run(b, "Udgifter pr. refusionstrin", 0);
    ng_table *mt = monthly_table(8);
    b = ng_memo_add_block(m, NG_BLOCK_FIGURE);
    b->source_line = 40;
    b->owned_table = mt;
    b->table = mt;
    static const int udg3[] = {2, 4, 6}, rows8[] = {0, 1, 2, 3, 4, 5, 6, 7};
    b->figure = make_figure("maaned", "Udgifter pr. refusionstrin (1.000 kr.)", NG_FIG_STACKED,
                            false, udg3, 3, rows8, 8, 0);
    add_table(m, 50, monthly_table(80)); /* longer than a page */
    add_table(m, 52, initiatives_table());
    ng_table *yt = yearly_table();
    b = ng_memo_add_block(m, NG_BLOCK_FIGURE);
    b->source_line = 54;
    b->owned_table = yt;
    b->table = yt;
    static const int udg_y[] = {2, 4, 6}, rows4[] = {0, 1, 2, 3};
    b->figure = make_figure("aar", "Udgifter pr. refusionstrin 2022-2025 (mio. kr.)", NG_FIG_COLUMN,
                            false, udg_y, 3, rows4, 4, 0);
    ng_table *pt = prognose_table();
    b = ng_memo_add_block(m, NG_BLOCK_FIGURE);
    b->source_line = 55;
    b->owned_table = pt;
    b->table = pt;
    static const int ser2[] = {0, 1};
    b->figure = make_figure("prognose", "Antal sager: prognose og faktisk", NG_FIG_LINE, true, ser2,
                            2, years5, 5, 0);
    free(b->figure->y_title);
    b->figure->y_title = NULL;
    /* 40 months in one line chart: only every n-th month is labelled */
    ng_table *lt = monthly_table(40);
    b = ng_memo_add_block(m, NG_BLOCK_FIGURE);
    b->owned_table = lt;
    b->table = lt;
    static const int tot[] = {8};
    int rows40[40];
    for (int i = 0; i < 40; i++)
        rows40[i] = i;
    b->figure = make_figure("lang", "Udgift i alt pr. måned (1.000 kr.)", NG_FIG_LINE, false, tot,
                            1, rows40, 40, 0);
    free(b->figure->y_title); /* the unit's label: 1.000 kr. */
    b->figure->y_title = NULL;
    add_table(m, 56, ng_table_new("tom", "En tabel uden kolonner"));
    add_table(m, 57, yearly_table());

    ng_table *wide = ng_table_new("bred", "En meget bred tabel");
    ng_table_add_column(wide, "navn", "Kommune", NG_UNIT_TEXT);
    for (int k = 0; k < 16; k++)
        ng_table_add_column(wide, "v", "Udgift i alt", NG_UNIT_KR);
    ng_table_add_row(wide, NULL, 0);
    ng_table_set_text(wide, 0, 0, "Randers");
    for (int k = 0; k < 16; k++)
        ng_table_set_num(wide, 0, k + 1, 123456789.0 + k);
    add_table(m, 60, wide);

    /* 13 amount columns: too wide at 9,5 pt, fits portrait in smaller type */
    ng_table *narrow = ng_table_new("mindre", "Tabel med mindre skrift");
    ng_table_add_column(narrow, "navn", "Kommune", NG_UNIT_TEXT);
    for (int k = 0; k < 12; k++)
        ng_table_add_column(narrow, "v", ng_month_name_cap(k + 1), NG_UNIT_TKR);
    ng_table_add_row(narrow, NULL, 0);
    ng_table_set_text(narrow, 0, 0, "Randers");
    for (int k = 0; k < 12; k++)
        ng_table_set_num(narrow, 0, k + 1, 123456789.0);
    add_table(m, 62, narrow);
    add_para(m, 70, "Sidste afsnit på en stående side.", 0);

    m->footnotes = calloc(2, sizeof *m->footnotes);
    m->footnotes[0] = xstrdup("Foreløbig opgørelse med forbehold for yderligere til- og afgang.");
    m->footnotes[1] = xstrdup("En note uden henvisning i teksten.");
    m->nfootnotes = 2;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(*len + 1);
    assert_int_equal(fread(buf, 1, *len, f), *len);
    fclose(f);
    return buf;
}

static void write_sample(const char *path, const ng_pdf_options *opts)
{
    ng_memo m;
    ng_diags d;
    sample_memo(&m);
    ng_diags_init(&d);
    ng_status st = ng_pdf_write(&m, opts, path, &d);
    if (st != NG_OK)
        ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    assert_int_equal(d.errors, 0);
    ng_diags_free(&d);
    ng_memo_free(&m);
}

static void test_sample_memo(void **state)
{
    (void)state;
    mkdir(OUT_DIR, 0755);
    ng_pdf_options opts = {0};
    write_sample(OUT_DIR "/sample.pdf", &opts);
    write_sample(OUT_DIR "/sample2.pdf", &opts);

    size_t n1, n2;
    char *a = read_file(OUT_DIR "/sample.pdf", &n1);
    char *b = read_file(OUT_DIR "/sample2.pdf", &n2);
    struct stat sb;
    assert_int_equal(stat(OUT_DIR "/sample.pdf", &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1); /* deterministic */
    assert_null(strstr(a, "/CreationDate"));
    assert_non_null(strstr(a, "/Lang (da-DK)"));
    free(a);
    free(b);

    char *text = run_capture("pdftotext -layout " OUT_DIR "/sample.pdf - 2>/dev/null");
    assert_non_null(strstr(text, "Særligt dyre enkeltsager"));
    assert_non_null(strstr(text, "æøå ÆØÅ – «» ½ € ×"));
    assert_non_null(strstr(text, "Notat - Status vedr. særligt dyre enkeltsager"));
    assert_non_null(strstr(text, "Sagsnummer:"));
    assert_non_null(strstr(text, "27.00.00-A00-43-22"));
    assert_non_null(strstr(text, "Side 1 af"));
    assert_non_null(strstr(text, "25 pct. refusion"));
    assert_non_null(strstr(text, "382.100")); /* 382,1 mio. kr. in 1.000 kr. */
    assert_non_null(strstr(text, "I alt (antal)"));
    assert_non_null(strstr(text, "Foreløbig opgørelse"));
    assert_non_null(strstr(text, "(gul kurve)")); /* the legend */
    assert_non_null(strstr(text, "-2.000"));      /* 1.000 kr. */
    assert_non_null(strstr(text, "Forventet effekt"));
    assert_non_null(strstr(text, "183,5")); /* mio. kr. */
    assert_null(strstr(text, "E-mail:") == NULL ? NULL : strstr(text, "Sagsnavn:  \n"));
    free(text);

    /* every page has its footer; the header row is repeated on each page
     * the 80-row table covers */
    char *info = run_capture("pdfinfo " OUT_DIR "/sample.pdf 2>/dev/null");
    int pages = 0;
    const char *pl = strstr(info, "Pages:");
    assert_non_null(pl);
    pages = atoi(pl + 6);
    assert_true(pages >= 5);
    assert_non_null(strstr(info, "Title: "));
    assert_non_null(strstr(info, "     Notat - Status vedr. særligt dyre enkeltsager\n"));
    assert_non_null(strstr(info, "Author:          Mette Holst-Langberg\n"));
    assert_non_null(strstr(info, "Creator:         notatgen\n"));
    free(info);
    char cmd[256], want[64];
    int header_pages = 0, continued_pages = 0;
    for (int p = 1; p <= pages; p++) {
        snprintf(cmd, sizeof cmd, "pdftotext -f %d -l %d " OUT_DIR "/sample.pdf - 2>/dev/null", p,
                 p);
        char *pt = run_capture(cmd);
        snprintf(want, sizeof want, "Side %d af %d", p, pages);
        assert_non_null(strstr(pt, want));
        if (strstr(pt, "Beløb i 1.000") && strstr(pt, "refusion"))
            header_pages++;
        if (strstr(pt, "Udvikling i udgifter og antal sager pr. måned (fortsat)"))
            continued_pages++;
        /* a footnote at the foot of the page that refers to it; one that
         * nothing refers to at the end */
        assert_int_equal(strstr(pt, "Foreløbig opgørelse med forbehold") != NULL, p == 1);
        assert_int_equal(strstr(pt, "En note uden henvisning") != NULL, p == pages);
        free(pt);
    }
    assert_true(header_pages >= 3); /* the 8-row table, the 80-row table on 2+ pages */
    assert_int_equal(continued_pages, header_pages - 2);

    /* the wide table went to a landscape page, the next paragraph back to
     * portrait; the table that fits in smaller type stayed portrait */
    char *land = run_capture("pdfinfo -f 1 -l 99 " OUT_DIR "/sample.pdf 2>/dev/null "
                             "| grep -c 'size:  841.89 x 595.276' || true");
    assert_int_equal(atoi(land), 1);
    free(land);
    snprintf(cmd, sizeof cmd, "pdfinfo -f 1 -l %d " OUT_DIR "/sample.pdf 2>/dev/null", pages);
    char *sizes = run_capture(cmd);
    snprintf(want, sizeof want, "Page %4d size:  841.89 x 595.276", pages - 1);
    assert_non_null(strstr(sizes, want));
    snprintf(want, sizeof want, "Page %4d size:  595.276 x 841.89", pages);
    assert_non_null(strstr(sizes, want));
    free(sizes);

    char *fonts = run_capture("pdffonts " OUT_DIR "/sample.pdf 2>/dev/null");
    int nfonts = 0;
    for (char *line = strtok(fonts, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strstr(line, "LiberationSans"))
            continue;
        nfonts++;
        assert_non_null(strstr(line, " yes ")); /* emb column */
    }
    assert_int_equal(nfonts, 4);
    free(fonts);
    free(run_capture("qpdf --check " OUT_DIR "/sample.pdf 2>&1"));
    /* tagged PDF/UA-1 and PDF/A-2 as far as tests/pdf_check.py can tell,
     * the same bytes from the second write */
    free(run_capture("/usr/bin/python3 " NG_SOURCE_DIR "/tests/pdf_check.py " OUT_DIR
                     "/sample.pdf"));
}

static void test_source_date_epoch(void **state)
{
    (void)state;
    mkdir(OUT_DIR, 0755);
    ng_pdf_options opts = {.has_date = true, .date_epoch = 1763800000};
    write_sample(OUT_DIR "/dated.pdf", &opts);
    size_t n;
    char *a = read_file(OUT_DIR "/dated.pdf", &n);
    /* 1763800000 = 2025-11-22 08:26:40 UTC */
    char want[] = "/CreationDate (D:20251122082640+00'00')";
    bool found = false;
    for (size_t i = 0; i + sizeof want - 1 <= n; i++)
        if (memcmp(a + i, want, sizeof want - 1) == 0)
            found = true;
    assert_true(found);
    free(a);
}

static void test_missing_glyph(void **state)
{
    (void)state;
    mkdir(OUT_DIR, 0755);
    ng_memo m;
    ng_diags d;
    ng_memo_init(&m);
    ng_diags_init(&d);
    add_para(&m, 3, "Alt er fint.", 0);
    add_para(&m, 12, "Glad \xF0\x9F\x98\x80 smiley", 0);
    ng_pdf_options opts = {0};
    remove(OUT_DIR "/glyph.pdf");
    assert_int_equal(ng_pdf_write(&m, &opts, OUT_DIR "/glyph.pdf", &d), NG_ERR_INPUT);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].message,
                        "tegnet U+1F600 ('\xF0\x9F\x98\x80') findes ikke i skrifttypen "
                        "Liberation Sans (i blok fra skabelonlinje 12)");
    struct stat sb;
    assert_int_not_equal(stat(OUT_DIR "/glyph.pdf", &sb), 0); /* nothing written */
    ng_diags_free(&d);
    ng_memo_free(&m);
}

static void test_cpr_never_printed(void **state)
{
    (void)state;
    ng_memo m;
    ng_diags d;
    ng_memo_init(&m);
    ng_diags_init(&d);
    add_para(&m, 7, "Borgeren 010190-1234 har fået tilbud.", 0);
    ng_pdf_options opts = {0};
    mkdir(OUT_DIR, 0755);
    remove(OUT_DIR "/cpr.pdf");
    assert_int_equal(ng_pdf_write(&m, &opts, OUT_DIR "/cpr.pdf", &d), NG_ERR_PRIVACY);
    assert_int_equal(d.errors, 1);
    assert_null(strstr(d.items[0].message, "010190"));
    assert_non_null(strstr(d.items[0].message, "skabelonlinje 7"));
    struct stat sb;
    assert_int_not_equal(stat(OUT_DIR "/cpr.pdf", &sb), 0);
    ng_diags_free(&d);
    ng_memo_free(&m);
}

/* Empty and degenerate blocks lay out without overlap or failure. */
static void test_odd_inputs(void **state)
{
    (void)state;
    mkdir(OUT_DIR, 0755);
    ng_memo m;
    ng_memo_init(&m);
    m.show_header = true;
    m.meta.sagsnavn = xstrdup("");
    m.meta.sagsnummer = xstrdup("   ");
    m.dato = xstrdup("01-01-2026");
    ng_memo_add_block(&m, NG_BLOCK_HEADING); /* no runs */
    add_para(&m, 2, "", 0);
    ng_memo_add_block(&m, NG_BLOCK_ITEM);
    ng_block *b = ng_memo_add_block(&m, NG_BLOCK_HEADING);
    b->level = 9;
    ng_block_add_run(b,
                     "Enmegetlangtordudenmellemrumsomikkekanbrydesvedmellemrumogderforbrydesmellem"
                     "tegnenemenaldrigklippes",
                     0);
    ng_memo_add_block(&m, NG_BLOCK_PAGEBREAK);
    ng_memo_add_block(&m, NG_BLOCK_PAGEBREAK); /* a second break adds no empty page */
    ng_table *t = ng_table_new("tom", NULL);
    ng_table_add_column(t, "a", NULL, NG_UNIT_TEXT);
    ng_table_add_column(t, "b", "Beløb", NG_UNIT_KR);
    add_table(&m, 5, t); /* no rows, no title */
    ng_table *e = prognose_table();
    for (int c = 1; c < e->ncols; c++)
        e->rows[0].cells[c].suppressed = true;
    e->rows[1].cells[1].type = NG_CELL_EMPTY;
    e->rows[1].cells[2].type = NG_CELL_EMPTY;
    e->rows[1].cells[3].type = NG_CELL_EMPTY;
    b = ng_memo_add_block(&m, NG_BLOCK_FIGURE);
    b->owned_table = e;
    b->table = e;
    static const int ser[] = {0, 1}, cats[] = {1, 2, 3, 4, 5};
    b->figure = make_figure("tom", "Uden tal", NG_FIG_COLUMN, true, ser, 2, cats, 5, 0);
    ng_diags d;
    ng_diags_init(&d);
    ng_pdf_options opts = {0};
    ng_status st = ng_pdf_write(&m, &opts, OUT_DIR "/odd.pdf", &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    free(run_capture("qpdf --check " OUT_DIR "/odd.pdf 2>&1"));
    free(run_capture("/usr/bin/python3 " NG_SOURCE_DIR "/tests/pdf_check.py " OUT_DIR "/odd.pdf"));
    char *info = run_capture("pdfinfo " OUT_DIR "/odd.pdf 2>/dev/null");
    assert_non_null(strstr(info, "Pages:           2\n"));
    free(info);
    char *text = run_capture("pdftotext " OUT_DIR "/odd.pdf - 2>/dev/null");
    assert_null(strstr(text, "Sagsnavn:")); /* empty and blank fields are left out */
    assert_null(strstr(text, "Sagsnummer:"));
    assert_non_null(strstr(text, "Dato:"));
    /* the long word is cut between characters, nothing lost */
    char *w = text;
    for (char *r = text; *r; r++)
        if (*r != '\n')
            *w++ = *r;
    *w = '\0';
    assert_non_null(strstr(text, "Enmegetlangtordudenmellemrumsomikkekanbrydesvedmellemrumog"
                                 "derforbrydesmellemtegnenemenaldrigklippes"));
    free(text);
    ng_diags_free(&d);
    ng_memo_free(&m);
}

static void test_unwritable_path(void **state)
{
    (void)state;
    ng_memo m;
    ng_diags d;
    ng_memo_init(&m);
    ng_diags_init(&d);
    add_para(&m, 1, "Tekst.", 0);
    ng_pdf_options opts = {0};
    assert_int_equal(ng_pdf_write(&m, &opts, OUT_DIR "/findes-ikke/notat.pdf", &d), NG_ERR_IO);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.items[0].message, "PDF-filen kan ikke skrives"));
    ng_diags_free(&d);
    ng_memo_free(&m);
}

static void test_missing_font_dir(void **state)
{
    (void)state;
    ng_memo m;
    ng_diags d;
    ng_memo_init(&m);
    ng_diags_init(&d);
    add_para(&m, 1, "Tekst.", 0);
    ng_pdf_options opts = {.font_dir = NG_TEST_DATA "/pdf"};
    assert_int_equal(ng_pdf_write(&m, &opts, OUT_DIR "/nofont.pdf", &d), NG_ERR_CONFIG);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.items[0].message, "fonts-liberation2"));
    ng_diags_free(&d);
    ng_memo_free(&m);

    /* an explicit font_dir with the fonts works */
    ng_memo_init(&m);
    ng_diags_init(&d);
    add_para(&m, 1, "Tekst med æøå.", 0);
    opts.font_dir = "/usr/share/fonts/truetype/liberation2";
    mkdir(OUT_DIR, 0755);
    assert_int_equal(ng_pdf_write(&m, &opts, OUT_DIR "/fontdir.pdf", &d), NG_OK);
    ng_diags_free(&d);
    ng_memo_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_break_simple_and_exact_margin),
        cmocka_unit_test(test_break_long_word_by_characters),
        cmocka_unit_test(test_break_only_spaces),
        cmocka_unit_test(test_break_mixed_runs),
        cmocka_unit_test(test_break_hard_breaks_and_merging),
        cmocka_unit_test(test_break_with_hyphens),
        cmocka_unit_test(test_too_wide_word_hyphenated),
        cmocka_unit_test(test_hyphen_runs_limited),
        cmocka_unit_test(test_paginate_repeats_header),
        cmocka_unit_test(test_nice_axis),
        cmocka_unit_test(test_missing_glyph),
        cmocka_unit_test(test_missing_font_dir),
        cmocka_unit_test(test_unwritable_path),
        cmocka_unit_test(test_odd_inputs),
        cmocka_unit_test(test_cpr_never_printed),
        cmocka_unit_test(test_sample_memo),
        cmocka_unit_test(test_source_date_epoch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
