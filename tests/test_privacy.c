/*
 * test_privacy.c -- small-cell suppression and the CPR guard, on hand-built
 * tables whose expected suppressions are worked out by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "notatgen/memo.h"
#include "notatgen/privacy.h"

#define NOTE3 "– : Diskretioneret (færre end 3 personer)"

/* omraade | antal | udgift (mio), rows given as (label, antal, udgift kr.),
 * plus a total row summing all of them. */
static ng_table *area_table(const char *labels[], const double antal[], const double udgift[],
                            int n)
{
    ng_table *t = ng_table_new("omraader", "Sager pr. område");
    assert_non_null(t);
    t->count_table = true;
    ng_table_add_column(t, "omraade", "Område", NG_UNIT_TEXT);
    ng_table_set_column_persons(t, ng_table_add_column(t, "antal", "Antal", NG_UNIT_ANTAL), true);
    ng_table_add_column(t, "udgift", "Udgift", NG_UNIT_MIO);
    for (int i = 0; i < n; i++) {
        int r = ng_table_add_row(t, labels[i], 0);
        ng_table_set_text(t, r, 0, labels[i]);
        ng_table_set_num(t, r, 1, antal[i]);
        ng_table_set_num(t, r, 2, udgift[i]);
    }
    ng_table_add_total_row(t, "i_alt", "I alt", 0, 0, n - 1);
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    return t;
}

static bool hidden(const ng_table *t, int r, int c)
{
    return ng_table_cell(t, r, c)->suppressed;
}

static int count_hidden(const ng_table *t)
{
    int n = 0;
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++)
            n += hidden(t, r, c);
    return n;
}

/* One small cell (boern: 2 persons): it and its spend are hidden; the total
 * would give it away (total - visible rows), so the smallest other row
 * (andet: 5) is hidden as the complement, count and spend. Totals stay. */
static void test_one_small_cell_gets_complement(void **state)
{
    (void)state;
    const char *labels[] = {"voksen", "boern", "aeldre", "andet"};
    const double antal[] = {10, 2, 7, 5};
    const double udgift[] = {20e6, 5e6, 12e6, 8e6};
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_table *t = area_table(labels, antal, udgift, 4);
    assert_int_equal(ng_dataset_add_table(&ds, t), NG_OK);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_suppress_small_cells(&ds, 3, &d), NG_OK);
    assert_true(hidden(t, 1, 1) && hidden(t, 1, 2));  /* boern */
    assert_true(hidden(t, 3, 1) && hidden(t, 3, 2));  /* andet: the complement */
    assert_false(hidden(t, 0, 1) || hidden(t, 0, 2)); /* voksen */
    assert_false(hidden(t, 2, 1) || hidden(t, 2, 2)); /* aeldre */
    assert_false(hidden(t, 4, 1) || hidden(t, 4, 2)); /* the total stays */
    assert_false(hidden(t, 1, 0));                    /* labels stay */
    assert_int_equal(count_hidden(t), 4);
    assert_string_equal(t->note, NOTE3);
    /* the total still holds the true sum, and shows it */
    char buf[64];
    assert_string_equal(ng_table_format_cell(t, 4, 1, buf, sizeof buf), "24");
    assert_string_equal(ng_table_format_cell(t, 1, 1, buf, sizeof buf), "–");
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

/* Two small cells in the column (boern 2, aeldre 1): they hide each other,
 * no complement is needed; a count of exactly 3 and a count of 0 stay. */
static void test_two_small_cells_need_no_complement(void **state)
{
    (void)state;
    const char *labels[] = {"voksen", "boern", "aeldre", "andet", "tom"};
    const double antal[] = {10, 2, 1, 3, 0};
    const double udgift[] = {20e6, 5e6, 2e6, 4e6, 0};
    ng_table *t = area_table(labels, antal, udgift, 5);
    int n = -1;
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_suppress_table(t, 3, &n, &d), NG_OK);
    assert_int_equal(n, 4);
    assert_true(hidden(t, 1, 1) && hidden(t, 1, 2));
    assert_true(hidden(t, 2, 1) && hidden(t, 2, 2));
    assert_false(hidden(t, 3, 1)); /* exactly 3: published */
    assert_false(hidden(t, 4, 1)); /* 0 persons reveals nobody */
    assert_false(hidden(t, 5, 1) || hidden(t, 5, 2));
    ng_table_free(t);
    ng_diags_free(&d);
}

/* Nothing small: nothing hidden, no note. A table that does not count
 * persons is left alone by the dataset pass. */
static void test_nothing_to_hide(void **state)
{
    (void)state;
    const char *labels[] = {"voksen", "boern"};
    const double antal[] = {10, 1};
    const double udgift[] = {20e6, 5e6};
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_table *t = area_table(labels, antal, udgift, 2);
    t->count_table = false;
    assert_int_equal(ng_dataset_add_table(&ds, t), NG_OK);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_suppress_small_cells(&ds, 3, &d), NG_OK);
    assert_int_equal(count_hidden(t), 0);
    assert_null(t->note);
    t->count_table = true;
    assert_int_equal(ng_suppress_small_cells(&ds, 1, &d), NG_OK); /* 1 = off */
    assert_int_equal(count_hidden(t), 0);
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

/* The follow-up layout: per tier a count and a spend in a column group, and
 * totals across the row (LINEAR rules). antal_25 = 1 is hidden with
 * udgift_25; the row total antal_total = antal_25 + antal_50 would give it
 * away, so antal_50 (and its spend udgift_50) is hidden too. The row totals
 * stay. An existing note is kept. */
static void test_row_totals_and_groups(void **state)
{
    (void)state;
    ng_table *t = ng_table_new("opfoelgning_maaned", "Opfølgning");
    t->count_table = true;
    ng_table_set_note(t, "Kilde: test.");
    ng_table_add_column(t, "maaned", "Måned", NG_UNIT_TEXT);
    int a25 = ng_table_add_column(t, "antal_25", "Antal", NG_UNIT_ANTAL);
    int u25 = ng_table_add_column(t, "udgift_25", "Udgift", NG_UNIT_MIO);
    int a50 = ng_table_add_column(t, "antal_50", "Antal", NG_UNIT_ANTAL);
    int u50 = ng_table_add_column(t, "udgift_50", "Udgift", NG_UNIT_MIO);
    int at = ng_table_add_column(t, "antal_total", "Antal", NG_UNIT_ANTAL);
    ng_table_set_column_persons(t, a25, true);
    ng_table_set_column_persons(t, a50, true);
    ng_table_set_column_persons(t, at, true);
    int ut = ng_table_add_column(t, "udgift_total", "Udgift", NG_UNIT_MIO);
    ng_table_set_column_group(t, a25, "25 pct. refusion");
    ng_table_set_column_group(t, u25, "25 pct. refusion");
    ng_table_set_column_group(t, a50, "50 pct. refusion");
    ng_table_set_column_group(t, u50, "50 pct. refusion");
    ng_table_set_column_group(t, at, "I alt");
    ng_table_set_column_group(t, ut, "I alt");
    for (int i = 0; i < 2; i++) {
        int r = ng_table_add_row(t, i ? "2025-03" : "2025-02", 0);
        ng_table_set_text(t, r, 0, i ? "Marts 2025" : "Februar 2025");
        ng_table_set_num(t, r, a25, i ? 6 : 1);
        ng_table_set_num(t, r, u25, i ? 7e6 : 1.2e6);
        ng_table_set_num(t, r, a50, i ? 5 : 4);
        ng_table_set_num(t, r, u50, i ? 8e6 : 6e6);
        ng_term ta[] = {{r, a25, 1}, {r, a50, 1}};
        ng_term tu[] = {{r, u25, 1}, {r, u50, 1}};
        ng_table_rule_linear(t, r, at, ta, 2);
        ng_table_rule_linear(t, r, ut, tu, 2);
    }
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    int n = 0;
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_suppress_table(t, 3, &n, &d), NG_OK);
    assert_int_equal(n, 4);
    assert_true(hidden(t, 0, a25) && hidden(t, 0, u25));
    assert_true(hidden(t, 0, a50) && hidden(t, 0, u50));
    assert_false(hidden(t, 0, at) || hidden(t, 0, ut));
    for (int c = 0; c < t->ncols; c++)
        assert_false(hidden(t, 1, c)); /* March: nothing small */
    assert_string_equal(t->note, "Kilde: test. " NOTE3);
    /* a second pass does not add the note twice */
    assert_int_equal(ng_suppress_table(t, 3, &n, &d), NG_OK);
    assert_string_equal(t->note, "Kilde: test. " NOTE3);
    ng_table_free(t);
    ng_diags_free(&d);
}

/* Cases per 1.000 inhabitants of a hidden count give the count away. */
static void test_ratio_of_hidden_cell(void **state)
{
    (void)state;
    ng_table *t = ng_table_new("kommuner", "Kommuner");
    t->count_table = true;
    ng_table_add_column(t, "kommune", "Kommune", NG_UNIT_TEXT);
    int ca = ng_table_add_column(t, "antal", "Antal", NG_UNIT_ANTAL);
    int ci = ng_table_add_column(t, "indbyggere", "Indbyggere", NG_UNIT_ANTAL);
    int cp = ng_table_add_column(t, "pr_1000", "Pr. 1.000", NG_UNIT_ANTAL);
    ng_table_set_column_persons(t, ca, true); /* the inhabitants are no small group */
    const double antal[] = {2, 40, 30};
    const double indb[] = {20000, 60000, 50000};
    for (int r = 0; r < 3; r++) {
        ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, r, 0, r == 0 ? "Lille" : r == 1 ? "Mellem" : "Stor");
        ng_table_set_num(t, r, ca, antal[r]);
        ng_table_set_num(t, r, ci, indb[r]);
        ng_term num[] = {{r, ca, 1000}};
        ng_term den[] = {{r, ci, 1}};
        ng_table_rule_ratio(t, r, cp, num, 1, den, 1);
    }
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    ng_diags d;
    ng_diags_init(&d);
    int n = 0;
    assert_int_equal(ng_suppress_table(t, 3, &n, &d), NG_OK);
    assert_true(hidden(t, 0, ca));
    assert_true(hidden(t, 0, cp));  /* 2 * 1000 / 20000 = 0,1 gives 2 away */
    assert_false(hidden(t, 0, ci)); /* the population is public */
    /* 40 * 1000 / 60000 = 0,67 is a rate, not a count of fewer than 3 */
    assert_false(hidden(t, 1, cp) || hidden(t, 2, cp));
    assert_int_equal(n, 2);
    ng_table_free(t);
    ng_diags_free(&d);
}

/* A mean over a hidden count gives it away like a sum (the mean times the
 * rows is their sum): a second count is hidden. A median may be the hidden
 * count itself: it is hidden with it. */
static void test_average_and_median_of_hidden_cell(void **state)
{
    (void)state;
    ng_table *t = ng_table_new("fordeling", "Fordeling");
    t->count_table = true;
    ng_table_add_column(t, "kommune", "Kommune", NG_UNIT_TEXT);
    int ca = ng_table_add_column(t, "antal", "Antal", NG_UNIT_ANTAL);
    ng_table_set_column_persons(t, ca, true);
    const double antal[] = {2, 40, 30, 12};
    for (int r = 0; r < 4; r++) {
        ng_table_add_row(t, NULL, 0);
        ng_table_set_num(t, r, ca, antal[r]);
    }
    int mean = ng_table_add_row(t, "gennemsnit", NG_ROW_SUBTOTAL);
    int median = ng_table_add_row(t, "median", NG_ROW_SUBTOTAL);
    ng_table_rule_average(t, mean, ca, 0, 3);
    ng_table_rule_median(t, median, ca, 0, 3);
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    ng_diags d;
    ng_diags_init(&d);
    int n = 0;
    assert_int_equal(ng_suppress_table(t, 3, &n, &d), NG_OK);
    assert_true(hidden(t, 0, ca));
    assert_true(hidden(t, 3, ca)); /* the smallest other count: 12 */
    assert_false(hidden(t, 1, ca) || hidden(t, 2, ca));
    assert_false(hidden(t, mean, ca)); /* the mean of two hidden cells holds */
    assert_true(hidden(t, median, ca));
    assert_int_equal(n, 3);
    ng_table_free(t);
    ng_diags_free(&d);
}

/* ---- the CPR guard ---------------------------------------------------- */

static bool any_diag_contains(const ng_diags *d, const char *s)
{
    char buf[2048];
    for (size_t i = 0; i < d->count; i++) {
        ng_diag_format(&d->items[i], buf, sizeof buf);
        if (strstr(buf, s))
            return true;
    }
    return false;
}

static void test_guard_text(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    const char *s = "Borger 010190-1234 har sag";
    assert_int_equal(ng_guard_text("data.json", s, strlen(s), &d), NG_ERR_PRIVACY);
    assert_int_equal(d.errors, 1);
    assert_true(any_diag_contains(
        &d, "data.json: CPR-lignende værdi ved position 8 — offentliggøres ikke"));
    assert_false(any_diag_contains(&d, "010190"));
    assert_false(any_diag_contains(&d, "1234"));
    ng_diags_free(&d);

    /* without the dash, and two of them */
    ng_diags_init(&d);
    s = "0101901234 og 3112991234";
    assert_int_equal(ng_guard_text("x", s, strlen(s), &d), NG_ERR_PRIVACY);
    assert_int_equal(d.errors, 2);
    assert_true(any_diag_contains(&d, "position 1 "));
    assert_true(any_diag_contains(&d, "position 15 "));
    ng_diags_free(&d);

    /* not CPR: 11 digits, an impossible date, nine digits, an amount */
    ng_diags_init(&d);
    const char *ok[] = {"12345678901", "320190-1234",   "011390-1234",
                        "123456789",   "1.234.567.890", "sag 2025-10-31"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        assert_int_equal(ng_guard_text("x", ok[i], strlen(ok[i]), &d), NG_OK);
    assert_int_equal(d.errors, 0);
    ng_diags_free(&d);
}

static ng_dataset *small_dataset(void)
{
    static ng_dataset ds;
    ng_dataset_init(&ds);
    const char *labels[] = {"voksen", "boern"};
    const double antal[] = {10, 4};
    const double udgift[] = {20e6, 5e6};
    ng_table *t = area_table(labels, antal, udgift, 2);
    ng_dataset_add_table(&ds, t);
    ng_dataset_set_num(&ds, "refusion_i_alt", NG_UNIT_KR, 1234567890.0);
    return &ds;
}

static void test_guard_dataset(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    ng_dataset *ds = small_dataset();
    /* a clean dataset (a ten-digit amount in a number cell is not scanned) */
    assert_int_equal(ng_guard_dataset(ds, &d), NG_OK);
    ng_table *t = ng_dataset_table(ds, "omraader");
    ng_table_set_num(t, 0, 2, 3112991234.0);
    assert_int_equal(ng_guard_dataset(ds, &d), NG_OK);

    /* in a text cell */
    ng_table_set_text(t, 1, 0, "boern 010190-1234");
    assert_int_equal(ng_guard_dataset(ds, &d), NG_ERR_PRIVACY);
    assert_true(any_diag_contains(&d, "datasæt, tabel omraader, række 2, kolonne 1: "
                                      "CPR-lignende værdi ved position 7 — offentliggøres ikke"));
    ng_table_set_text(t, 1, 0, "boern");
    ng_diags_free(&d);

    /* in a title */
    ng_diags_init(&d);
    ng_table_set_note(t, NULL);
    free(t->title);
    t->title = strdup("Sag 0101901234");
    assert_int_equal(ng_guard_dataset(ds, &d), NG_ERR_PRIVACY);
    assert_true(
        any_diag_contains(&d, "datasæt, tabel omraader: CPR-lignende værdi ved position 5"));
    free(t->title);
    t->title = strdup("Sager");
    ng_diags_free(&d);

    /* in a column label */
    ng_diags_init(&d);
    free(t->cols[1].label);
    t->cols[1].label = strdup("010190-1234");
    assert_int_equal(ng_guard_dataset(ds, &d), NG_ERR_PRIVACY);
    assert_true(any_diag_contains(&d, "tabel omraader, kolonne 2: CPR-lignende"));
    assert_false(any_diag_contains(&d, "010190"));
    free(t->cols[1].label);
    t->cols[1].label = strdup("Antal");
    ng_diags_free(&d);

    /* in a text value and in a source line */
    ng_diags_init(&d);
    ng_dataset_set_text(ds, "prognose_metode", "Se 311299-1234");
    assert_int_equal(ng_guard_dataset(ds, &d), NG_ERR_PRIVACY);
    assert_true(any_diag_contains(&d, "datasæt, værdi nr. 2: CPR-lignende værdi ved position 4"));
    ng_diags_free(&d);
    ng_dataset_free(ds);
}

static void test_guard_memo(void **state)
{
    (void)state;
    ng_memo m;
    ng_memo_init(&m);
    m.title = strdup("Notat");
    ng_block *b = ng_memo_add_block(&m, NG_BLOCK_PARAGRAPH);
    ng_block_add_run(b, "Ingen personer her.", 0);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_guard_memo(&m, &d), NG_OK);
    b = ng_memo_add_block(&m, NG_BLOCK_PARAGRAPH);
    ng_block_add_run(b, "Sagen om ", 0);
    ng_block_add_run(b, "010190-1234", NG_STYLE_BOLD);
    assert_int_equal(ng_guard_memo(&m, &d), NG_ERR_PRIVACY);
    assert_true(any_diag_contains(&d, "notat, blok 2: CPR-lignende værdi ved position 1"));
    assert_false(any_diag_contains(&d, "010190"));
    ng_memo_free(&m);
    ng_diags_free(&d);
}

static void test_guard_file_and_secure(void **state)
{
    (void)state;
    char dir[] = "/tmp/ng_test_privacy_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/data.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\n  \"sag\": \"010190-1234\"\n}\n", f);
    fclose(f);
    chmod(path, 0644);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_guard_file(path, &d), NG_ERR_PRIVACY);
    /* the first digit: byte 13 of the file ("{" and a newline), column 11 of line 2 */
    char expect[256];
    snprintf(expect, sizeof expect,
             "%s:2:11: CPR-lignende værdi ved position 13 — offentliggøres ikke", path);
    assert_true(any_diag_contains(&d, expect));
    /* in data.json an amount is a bare number and passes; the same digits as
     * a string do not */
    char json[128];
    snprintf(json, sizeof json, "%s/belob.json", dir);
    f = fopen(json, "w");
    fputs("{\"udgift\": 1201901234, \"liste\": [3112991234.5,\n 0101901234 ]}", f);
    fclose(f);
    size_t before = d.errors;
    assert_int_equal(ng_guard_file(json, &d), NG_OK);
    f = fopen(json, "w");
    fputs("{\"udgift\": \"1201901234\"}", f);
    fclose(f);
    assert_int_equal(ng_guard_file(json, &d), NG_ERR_PRIVACY);
    assert_int_equal(d.errors, before + 1);
    unlink(json);
    assert_int_equal(ng_secure_file(path, &d), NG_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    unlink(path);
    assert_int_equal(ng_guard_file(path, &d), NG_ERR_IO);
    rmdir(dir);
    ng_diags_free(&d);
}

static void write_workbook(const char *path, const char *text, double number)
{
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Omraader");
    worksheet_write_string(ws, 0, 0, "Område", NULL);
    worksheet_write_string(ws, 1, 0, text, NULL);
    worksheet_write_number(ws, 1, 1, number, NULL);
    worksheet_write_formula_num(ws, 2, 1, "=SUM(B2:B2)", NULL, number);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

/* The written workbook itself: the text cell is found in the shared
 * strings, while ten-digit amounts in number cells are not identifiers. */
static void test_guard_xlsx(void **state)
{
    (void)state;
    char dir[] = "/tmp/ng_test_xlsx_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/bilag.xlsx", dir);
    ng_diags d;
    ng_diags_init(&d);

    write_workbook(path, "Voksne", 3112991234.0);
    assert_int_equal(ng_guard_xlsx(path, &d), NG_OK);
    assert_int_equal(d.errors, 0);

    write_workbook(path, "Sag 010190-1234", 1201901234.0);
    assert_int_equal(ng_guard_xlsx(path, &d), NG_ERR_PRIVACY);
    assert_int_equal(d.errors, 1);
    char expect[256];
    snprintf(expect, sizeof expect, "%s (xl/sharedStrings.xml): CPR-lignende værdi ved position",
             path);
    assert_true(any_diag_contains(&d, expect));
    assert_false(any_diag_contains(&d, "010190"));

    /* not a ZIP */
    FILE *f = fopen(path, "w");
    fputs("not a zip file at all, just text", f);
    fclose(f);
    assert_int_equal(ng_guard_xlsx(path, &d), NG_ERR_IO);
    assert_true(any_diag_contains(&d, "ikke en læsbar xlsx-fil"));
    unlink(path);
    rmdir(dir);
    ng_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_small_cell_gets_complement),
        cmocka_unit_test(test_two_small_cells_need_no_complement),
        cmocka_unit_test(test_nothing_to_hide),
        cmocka_unit_test(test_row_totals_and_groups),
        cmocka_unit_test(test_ratio_of_hidden_cell),
        cmocka_unit_test(test_average_and_median_of_hidden_cell),
        cmocka_unit_test(test_guard_text),
        cmocka_unit_test(test_guard_dataset),
        cmocka_unit_test(test_guard_memo),
        cmocka_unit_test(test_guard_file_and_secure),
        cmocka_unit_test(test_guard_xlsx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
