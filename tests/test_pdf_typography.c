/* test_pdf_typography.c -- Danish hyphenation (libhyphen with hyphen-da;
 * the line breaking with hyphens is tested in test_pdf.c) and the
 * page-break rules: no widow or orphan,
 * a heading never last on a page, a table's caption with its table, a
 * figure that waits while the paragraph after it flows up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../generator/pdf/hyphenation.h"
#include "../generator/pdf/layout.h"
#include "notatgen/memo.h"
#include "notatgen/pdf.h"
#include "pdftest.h"

#define OUT_DIR "test_pdf_typography_out"

/* ---- hyphenation --------------------------------------------------------- */

/* The word with its break points marked: '-' adds a hyphen, '|' breaks
 * after the word's own hyphen. */
static const char *marked(ng_pdf_hyphenator *h, const char *word)
{
    static char buf[256];
    ng_pdf_break_point p[64];
    size_t n = ng_pdf_hyphenate(h, word, strlen(word), p, 64), last = 0, len = 0;
    for (size_t k = 0; k < n; k++) {
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%.*s%s", (int)(p[k].at - last),
                                word + last, p[k].hyphen ? "-" : "|");
        last = p[k].at;
    }
    snprintf(buf + len, sizeof buf - len, "%s", word + last);
    return buf;
}

static ng_pdf_hyphenator *load(const char *path)
{
    ng_diags d;
    ng_diags_init(&d);
    ng_status st;
    ng_pdf_hyphenator *h = ng_pdf_hyphenator_load(path, &d, &st);
    assert_int_equal(st, NG_OK);
    assert_non_null(h);
    ng_diags_free(&d);
    return h;
}

static void test_danish_words(void **state)
{
    (void)state;
    ng_pdf_hyphenator *h = load(NULL);
    static const char *const cases[][2] = {
        {"udgifter", "ud-gif-ter"},
        {"refusion", "re-fu-sion"},
        {"forvaltningen", "for-valt-nin-gen"},
        {"voksenområdet", "vok-sen-om-rå-det"}, /* å in ISO8859-1 for the patterns */
        {"Økonomiafdelingen", "Øko-no-mi-af-de-lingen"},
        {"Kommune", "Kom-mune"}, /* capitals are looked up in lower case */
        {"statsrefusion", "stats-re-fu-sion"},
        {"(service),", "(ser-vice),"},                   /* punctuation around the word stays */
        {"SDE-sager", "SDE-|sager"},                     /* after the word's own hyphen */
        {"udgiftsintervaller", "ud-giftsinter-val-ler"}, /* "udgift-s-" dropped */
        {"særligt", "sær-ligt"},
        /* never: short words, numbers, words with digits or other signs */
        {"sager", "sager"},
        {"e-mail", "e-mail"},
        {"2022-2026", "2022-2026"},
        {"1.234.567", "1.234.567"},
        {"B2-sagerne", "B2-sagerne"},
        {"oekonomi@randers.dk", "oekonomi@randers.dk"},
        {"refusion_aar.csv", "refusion_aar.csv"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(marked(h, cases[i][0]), cases[i][1]);
    ng_pdf_hyphenator_free(h);
}

/* A dictionary whose first line says UTF-8 gets the word in UTF-8; the
 * break points come back as byte offsets of the word as written. */
static void test_utf8_dictionary(void **state)
{
    (void)state;
    mkdir(OUT_DIR, 0755);
    FILE *f = fopen(OUT_DIR "/hyph_utf8.dic", "w");
    assert_non_null(f);
    fputs("UTF-8\næ1\n", f);
    fclose(f);
    ng_pdf_hyphenator *h = load(OUT_DIR "/hyph_utf8.dic");
    assert_string_equal(marked(h, "kæmpeæble"), "kæ-mpeæ-ble");
    assert_string_equal(marked(h, "KÆMPEÆBLE"), "KÆ-MPEÆ-BLE");
    ng_pdf_hyphenator_free(h);
}

static void test_missing_dictionary(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    ng_status st;
    assert_null(ng_pdf_hyphenator_load(OUT_DIR "/findes-ikke.dic", &d, &st));
    assert_int_equal(st, NG_ERR_CONFIG);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.items[0].message, "hyphen-da"));
    ng_diags_free(&d);

    /* the memo is not written without its hyphenation */
    ng_memo m;
    ng_memo_init(&m);
    ng_block *b = ng_memo_add_block(&m, NG_BLOCK_PARAGRAPH);
    ng_block_add_run(b, "Tekst.", 0);
    ng_diags_init(&d);
    ng_pdf_options opts = {.hyphen_dict = OUT_DIR "/findes-ikke.dic"};
    remove(OUT_DIR "/uden.pdf");
    assert_int_equal(ng_pdf_write(&m, &opts, OUT_DIR "/uden.pdf", &d), NG_ERR_CONFIG);
    struct stat sb;
    assert_int_not_equal(stat(OUT_DIR "/uden.pdf", &sb), 0);
    ng_diags_free(&d);
    ng_memo_free(&m);
}

/* ---- widows and orphans -------------------------------------------------- */

static void test_lines_on_page(void **state)
{
    (void)state;
    static const int cases[][4] = {
        /* remaining, fit, first, lines on this page */
        {5, 9, 1, 5},                              /* all fit */
        {5, 4, 1, 3},                              /* two go to the next page, not one */
        {5, 3, 1, 3}, {5, 2, 1, 2}, {5, 1, 1, 0},  /* not one line alone at the foot */
        {3, 2, 1, 0},                              /* 2+1 or 1+2 both leave one alone */
        {2, 1, 1, 0}, {1, 0, 1, 0}, {10, 6, 0, 6}, /* a continuation: as many as fit */
        {4, 3, 0, 2},                              /* ... leaving two */
        {3, 2, 0, 1},                              /* ... even if only one stays */
        {3, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(ng_pdf_lines_on_page(cases[i][0], cases[i][1], cases[i][2]), cases[i][3]);
}

/* ---- the rules on real pages --------------------------------------------- */

static void write_memo(const ng_memo *m, const char *path)
{
    ng_diags d;
    ng_diags_init(&d);
    ng_pdf_options opts = {0};
    ng_status st = ng_pdf_write(m, &opts, path, &d);
    if (st != NG_OK)
        ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    ng_diags_free(&d);
}

static int page_count(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdfinfo %s | sed -n 's/^Pages: *//p'", path);
    char *out = run_capture(cmd);
    int n = atoi(out);
    free(out);
    return n;
}

/* The non-empty lines of page p, without the page number. */
static size_t page_lines(const char *path, int p, char lines[][256], size_t max)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -layout -f %d -l %d %s -", p, p, path);
    char *text = run_capture(cmd);
    size_t n = 0;
    for (char *s = strtok(text, "\n\f"); s && n < max; s = strtok(NULL, "\n\f")) {
        s += strspn(s, " ");
        if (*s && strncmp(s, "Side ", 5) != 0)
            snprintf(lines[n++], 256, "%s", s);
    }
    free(text);
    return n;
}

static void add_text(ng_memo *m, ng_block_kind kind, const char *text)
{
    ng_block *b = ng_memo_add_block(m, kind);
    if (kind == NG_BLOCK_HEADING)
        b->level = 2;
    ng_block_add_run(b, text, 0);
}

/* A paragraph of n lines (hard line breaks), each starting with a marker
 * word ("L07"). */
static void add_marked_paragraph(ng_memo *m, const char *tag, int n)
{
    char text[4096] = "";
    for (int i = 0; i < n; i++) {
        char line[64];
        snprintf(line, sizeof line, "%s%s%02d linje i afsnittet", i ? "\n" : "", tag, i);
        strcat(text, line);
    }
    add_text(m, NG_BLOCK_PARAGRAPH, text);
}

/* Filler paragraphs of single lines, pushing what follows down the page. */
static void add_filler(ng_memo *m, int n)
{
    for (int i = 0; i < n; i++)
        add_text(m, NG_BLOCK_PARAGRAPH, "Fyld.");
}

static int count_prefix(char lines[][256], size_t n, const char *tag)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += strncmp(lines[i], tag, strlen(tag)) == 0;
    return k;
}

static void test_no_widow_or_orphan(void **state)
{
    (void)state;
    mkdir(OUT_DIR, 0755);
    static char lines[200][256];
    int splits = 0;
    for (int fill = 30; fill < 40; fill++) {
        ng_memo m;
        ng_memo_init(&m);
        add_filler(&m, fill);
        add_marked_paragraph(&m, "L", 5);
        write_memo(&m, OUT_DIR "/widow.pdf");
        ng_memo_free(&m);
        for (int p = 1; p <= page_count(OUT_DIR "/widow.pdf"); p++) {
            int k = count_prefix(lines, page_lines(OUT_DIR "/widow.pdf", p, lines, 200), "L0");
            assert_true(k == 0 || k >= 2); /* never one line of it alone on a page */
            splits += k > 0 && k < 5;
        }
    }
    assert_true(splits > 0); /* some of them broke over a page */
}

static void test_heading_never_last(void **state)
{
    (void)state;
    static char lines[200][256];
    int moved = 0;
    for (int fill = 26; fill < 34; fill++) {
        ng_memo m;
        ng_memo_init(&m);
        add_filler(&m, fill);
        add_text(&m, NG_BLOCK_HEADING, "Overskrift");
        add_marked_paragraph(&m, "H", 3);
        write_memo(&m, OUT_DIR "/heading.pdf");
        ng_memo_free(&m);
        for (int p = 1; p <= page_count(OUT_DIR "/heading.pdf"); p++) {
            size_t n = page_lines(OUT_DIR "/heading.pdf", p, lines, 200);
            assert_true(n > 0);
            assert_string_not_equal(lines[n - 1], "Overskrift");
            if (p > 1 && !strcmp(lines[0], "Overskrift"))
                moved++;
        }
    }
    assert_true(moved > 0);
}

static ng_table *small_table(void)
{
    ng_table *t = ng_table_new("lille", "Tabellens titel");
    ng_table_add_column(t, "navn", "Navn", NG_UNIT_TEXT);
    ng_table_add_column(t, "v", "Beløb", NG_UNIT_KR);
    for (int r = 0; r < 6; r++) {
        ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, r, 0, "Række");
        ng_table_set_num(t, r, 1, 1000 * r);
    }
    return t;
}

static void test_caption_with_table(void **state)
{
    (void)state;
    static char lines[200][256];
    int moved = 0;
    for (int fill = 22; fill < 34; fill++) {
        ng_memo m;
        ng_memo_init(&m);
        add_filler(&m, fill);
        ng_block *b = ng_memo_add_block(&m, NG_BLOCK_TABLE);
        b->owned_table = small_table();
        b->table = b->owned_table;
        write_memo(&m, OUT_DIR "/caption.pdf");
        ng_memo_free(&m);
        for (int p = 1; p <= page_count(OUT_DIR "/caption.pdf"); p++) {
            size_t n = page_lines(OUT_DIR "/caption.pdf", p, lines, 200);
            for (size_t i = 0; i < n; i++)
                if (!strcmp(lines[i], "Tabellens titel")) { /* the header follows on its page */
                    assert_true(i + 1 < n && strstr(lines[i + 1], "Navn"));
                    moved += p > 1 && i == 0;
                }
        }
    }
    assert_true(moved > 0);
}

static ng_table *chart_table(void)
{
    ng_table *t = ng_table_new("figur", "Udgift pr. år");
    ng_table_add_column(t, "aar", "År", NG_UNIT_AAR);
    ng_table_add_column(t, "v", "Udgift", NG_UNIT_MIO);
    for (int r = 0; r < 4; r++) {
        ng_table_add_row(t, NULL, 0);
        ng_table_set_num(t, r, 0, 2022 + r);
        ng_table_set_num(t, r, 1, 1e8 + 1e7 * r);
    }
    return t;
}

static void add_chart(ng_memo *m)
{
    ng_block *b = ng_memo_add_block(m, NG_BLOCK_FIGURE);
    b->owned_table = chart_table();
    b->table = b->owned_table;
    ng_figure *f = calloc(1, sizeof *f);
    f->title = strdup("Udgift pr. år");
    f->type = NG_FIG_COLUMN;
    f->series = malloc(sizeof *f->series);
    f->series[0] = 1;
    f->nseries = 1;
    f->cats = malloc(4 * sizeof *f->cats);
    for (int k = 0; k < 4; k++)
        f->cats[k] = k;
    f->ncats = 4;
    b->figure = f;
}

/* Half a page is left; the figure needs more: the next paragraph flows up
 * into the space and the figure follows it on the next page. */
static void test_figure_waits(void **state)
{
    (void)state;
    static char lines[200][256];
    ng_memo m;
    ng_memo_init(&m);
    add_filler(&m, 26);
    add_chart(&m);
    add_marked_paragraph(&m, "E", 3);
    add_text(&m, NG_BLOCK_HEADING, "Næste afsnit");
    write_memo(&m, OUT_DIR "/float.pdf");
    ng_memo_free(&m);
    assert_int_equal(page_count(OUT_DIR "/float.pdf"), 2);
    size_t n = page_lines(OUT_DIR "/float.pdf", 1, lines, 200);
    assert_int_equal(count_prefix(lines, n, "E0"), 3);
    assert_int_equal(count_prefix(lines, n, "Udgift pr. år"), 0);
    n = page_lines(OUT_DIR "/float.pdf", 2, lines, 200);
    assert_string_equal(lines[0], "Udgift pr. år");
    assert_string_equal(lines[n - 1], "Næste afsnit");
    /* the tree follows the pages: the figure after the paragraph */
    free(
        run_capture("/usr/bin/python3 " NG_SOURCE_DIR "/tests/pdf_check.py " OUT_DIR "/float.pdf"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_danish_words),       cmocka_unit_test(test_utf8_dictionary),
        cmocka_unit_test(test_missing_dictionary), cmocka_unit_test(test_lines_on_page),
        cmocka_unit_test(test_no_widow_or_orphan), cmocka_unit_test(test_heading_never_last),
        cmocka_unit_test(test_caption_with_table), cmocka_unit_test(test_figure_waits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
