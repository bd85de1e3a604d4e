/* test_table.c -- the table model: rules, evaluation, formatting, dataset. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "notatgen/table.h"

/* The budget model of budgetmodel_2023.csv for two years, in kr. */
static ng_table *budget_fixture(void)
{
    ng_table *t = ng_table_new("budget", "Budget");
    int tekst = ng_table_add_column(t, "tekst", "Post", NG_UNIT_TEXT);
    int y23 = ng_table_add_column(t, "2023", "2023", NG_UNIT_MIO);
    int y24 = ng_table_add_column(t, "2024", "2024", NG_UNIT_MIO);
    int korr = ng_table_add_row(t, "korrigeret_budget", 0);
    int sdes = ng_table_add_row(t, "merindtaegt_sdes", 0);
    int inkl = ng_table_add_row(t, "budget_inkl", NG_ROW_TOTAL);
    int udg = ng_table_add_row(t, "udgift", 0);
    int merf = ng_table_add_row(t, "merforbrug", 0);
    int gaeld = ng_table_add_row(t, "gaeld", 0);
    ng_table_set_text(t, korr, tekst, "Korrigeret budget");
    ng_table_set_num(t, korr, y23, 625.3e6);
    ng_table_set_num(t, korr, y24, 641.7e6);
    ng_table_set_num(t, sdes, y23, 33.2e6);
    ng_table_set_num(t, sdes, y24, 18.0e6);
    ng_table_set_num(t, udg, y23, 703.4e6);
    ng_table_set_num(t, udg, y24, 716.4e6);
    for (int c = y23; c <= y24; c++) {
        ng_table_rule_sum(t, inkl, c, korr, sdes);
        ng_term diff[] = {{udg, c, 1}, {inkl, c, -1}};
        ng_table_rule_linear(t, merf, c, diff, 2);
    }
    /* the debt: 69,1 carried + this year's; then previous + this */
    ng_table_set_num(t, gaeld, y23, 0); /* placeholder replaced below */
    ng_term first[] = {{merf, y23, 1}};
    ng_table_rule_linear(t, gaeld, y23, first, 1);
    ng_term running[] = {{gaeld, y23, 1}, {merf, y24, 1}};
    ng_table_rule_linear(t, gaeld, y24, running, 2);
    return t;
}

static void test_rules(void **state)
{
    (void)state;
    ng_table *t = budget_fixture();
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    int inkl = ng_table_row(t, "budget_inkl"), merf = ng_table_row(t, "merforbrug");
    int gaeld = ng_table_row(t, "gaeld");
    assert_true(ng_table_cell(t, inkl, 1)->num == 658.5e6);
    assert_true(ng_table_cell(t, merf, 1)->num == 703.4e6 - 658.5e6);
    double merf24 = 716.4e6 - (641.7e6 + 18.0e6);
    double expect = (703.4e6 - 658.5e6) + merf24;
    assert_true(ng_table_cell(t, gaeld, 2)->num == expect);
    char buf[32];
    assert_string_equal(ng_table_format_cell(t, gaeld, 2, buf, sizeof buf), "101,6");
    assert_string_equal(ng_table_format_cell(t, inkl, 0, buf, sizeof buf), "");
    assert_int_equal(ng_table_cell(t, inkl, 1)->rule.kind, NG_RULE_SUM);
    ng_table_free(t);
}

static void test_cycle_and_bad_reference(void **state)
{
    (void)state;
    ng_table *t = ng_table_new("c", NULL);
    int a = ng_table_add_column(t, "a", "A", NG_UNIT_ANTAL);
    int r0 = ng_table_add_row(t, NULL, 0);
    int r1 = ng_table_add_row(t, NULL, 0);
    ng_term t0[] = {{r1, a, 1}};
    ng_term t1[] = {{r0, a, 1}};
    ng_table_rule_linear(t, r0, a, t0, 1);
    ng_table_rule_linear(t, r1, a, t1, 1);
    assert_int_equal(ng_table_evaluate(t), NG_ERR_INTERNAL);
    ng_term bad[] = {{7, a, 1}};
    ng_table_rule_linear(t, r0, a, bad, 1);
    ng_table_set_num(t, r1, a, 1);
    assert_int_equal(ng_table_evaluate(t), NG_ERR_INTERNAL);
    ng_table_free(t);
}

static void test_ratio_and_total(void **state)
{
    (void)state;
    ng_table *t = ng_table_new("trin", "Refusion");
    int trin = ng_table_add_column(t, "trin", "Trin", NG_UNIT_TEXT);
    int antal = ng_table_add_column(t, "antal", "Antal", NG_UNIT_ANTAL);
    int andel = ng_table_add_column(t, "andel", "Andel", NG_UNIT_PCT);
    int rows[3];
    const double counts[3] = {169, 39, 32};
    for (int i = 0; i < 3; i++) {
        rows[i] = ng_table_add_row(t, NULL, 0);
        ng_table_set_num(t, rows[i], antal, counts[i]);
    }
    int total = ng_table_add_total_row(t, "i_alt", "I alt", trin, rows[0], rows[2]);
    for (int i = 0; i < 3; i++) {
        ng_term num[] = {{rows[i], antal, 1}};
        ng_term den[] = {{total, antal, 1}};
        ng_table_rule_ratio(t, rows[i], andel, num, 1, den, 1);
    }
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    assert_true(ng_table_cell(t, total, antal)->num == 240);
    assert_string_equal(ng_table_cell(t, total, trin)->text, "I alt");
    assert_int_equal(ng_table_cell(t, total, andel)->type, NG_CELL_EMPTY);
    char buf[32];
    assert_string_equal(ng_table_format_cell(t, rows[1], andel, buf, sizeof buf), "16 %");
    t->rows[rows[2]].cells[antal].suppressed = true;
    assert_string_equal(ng_table_format_cell(t, rows[2], antal, buf, sizeof buf), "–");
    ng_table_free(t);
}

/* A row of spend in mio. kr. under year columns of counts (the economy memo). */
static void test_row_unit(void **state)
{
    (void)state;
    ng_table *t = ng_table_new("baand", "Sager");
    int post = ng_table_add_column(t, "post", "Post", NG_UNIT_TEXT);
    int y = ng_table_add_column(t, "2023", "2023", NG_UNIT_ANTAL);
    int antal = ng_table_add_row(t, "i_alt", 0);
    int udgift = ng_table_add_row(t, "udgift", 0);
    ng_table_set_text(t, udgift, post, "Udgifter mio. kr.");
    ng_table_set_num(t, antal, y, 1179);
    ng_table_set_num(t, udgift, y, 278600000);
    ng_table_set_row_unit(t, udgift, NG_UNIT_MIO);
    char buf[32];
    assert_string_equal(ng_table_format_cell(t, antal, y, buf, sizeof buf), "1.179");
    assert_string_equal(ng_table_format_cell(t, udgift, y, buf, sizeof buf), "278,6");
    assert_int_equal(ng_table_cell_unit(t, udgift, y), NG_UNIT_MIO);
    assert_int_equal(ng_table_cell_unit(t, antal, y), NG_UNIT_ANTAL);
    assert_int_equal(ng_table_cell_decimals(t, udgift, y), 1);
    ng_table *v = ng_table_visible_copy(t);
    assert_string_equal(ng_table_format_cell(v, udgift, y, buf, sizeof buf), "278,6");
    ng_table_free(v);
    ng_table_free(t);
}

static void test_dataset(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_dataset_add_table(&ds, budget_fixture()), NG_OK);
    assert_int_equal(ng_dataset_add_table(&ds, budget_fixture()), NG_OK); /* replaces */
    assert_int_equal(ds.ntables, 1);
    assert_non_null(ng_dataset_table(&ds, "budget"));
    assert_null(ng_dataset_table(&ds, "nope"));
    ng_dataset_set_num(&ds, "t1", NG_UNIT_KR, 940000);
    ng_dataset_set_text(&ds, "s", "Tekst");
    ng_dataset_set_num(&ds, "t1", NG_UNIT_KR, 950000);
    assert_int_equal(ds.nvalues, 2);
    assert_true(ng_dataset_value(&ds, "t1")->num == 950000);
    assert_string_equal(ng_dataset_value(&ds, "s")->text, "Tekst");
    int series[] = {1, 2};
    int cats[] = {0};
    ng_figure f = {.name = "fig",
                   .table = "budget",
                   .title = "Budget",
                   .type = NG_FIG_LINE,
                   .series_from_rows = true,
                   .series = series,
                   .nseries = 2,
                   .cats = cats,
                   .ncats = 1};
    assert_int_equal(ng_dataset_add_figure(&ds, &f), NG_OK);
    assert_int_equal(ng_dataset_figure(&ds, "fig")->series[1], 2);
    ng_dataset_free(&ds);
}

/* ng_dataset_add_evaluated: an evaluated table is added with its derived
 * values; a table whose rule cannot be evaluated is refused (and freed). */
static void test_dataset_add_evaluated(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_table *t = ng_table_new("sum", NULL);
    int txt = ng_table_add_column(t, "post", "Post", NG_UNIT_TEXT);
    int n = ng_table_add_column(t, "antal", "Antal", NG_UNIT_ANTAL);
    int r0 = ng_table_add_row(t, NULL, 0);
    int r1 = ng_table_add_row(t, NULL, 0);
    ng_table_set_num(t, r0, n, 12);
    ng_table_set_num(t, r1, n, 30);
    int total = ng_table_add_total_row(t, "i_alt", "I alt", txt, r0, r1);
    assert_int_equal(ng_dataset_add_evaluated(&ds, t), NG_OK);
    assert_int_equal(ds.ntables, 1);
    assert_true(ng_table_cell(ng_dataset_table(&ds, "sum"), total, n)->num == 42);

    ng_table *bad = ng_table_new("bad", NULL);
    int a = ng_table_add_column(bad, "a", "A", NG_UNIT_ANTAL);
    int b0 = ng_table_add_row(bad, NULL, 0);
    ng_term outside[] = {{7, a, 1}};
    ng_table_rule_linear(bad, b0, a, outside, 1);
    assert_int_equal(ng_dataset_add_evaluated(&ds, bad), NG_ERR_INTERNAL);
    assert_int_equal(ds.ntables, 1);
    assert_null(ng_dataset_table(&ds, "bad"));
    assert_int_equal(ng_dataset_add_evaluated(&ds, NULL), NG_ERR_NOMEM);
    ng_dataset_free(&ds);
}

/* Terms naming another table: lines of an initiative summed in an overview,
 * and a ratio across tables. Hand values: 1.200.000 + 300.000 - 250.000. */
static void test_cross_table_terms(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_table *lines = ng_table_new("linjer", NULL);
    int belob = ng_table_add_column(lines, "belob", "Beløb", NG_UNIT_TKR);
    int l0 = ng_table_add_row(lines, NULL, 0);
    int l1 = ng_table_add_row(lines, NULL, 0);
    int l2 = ng_table_add_row(lines, NULL, 0);
    ng_table_set_num(lines, l0, belob, 1200000);
    ng_table_set_num(lines, l1, belob, 300000);
    ng_table_set_num(lines, l2, belob, -250000);
    int lt = ng_table_add_total_row(lines, "i_alt", "I alt", -1, l0, l2);
    assert_int_equal(ng_dataset_add_evaluated(&ds, lines), NG_OK);

    ng_table *ov = ng_table_new("oversigt", NULL);
    int v = ng_table_add_column(ov, "v", "Værdi", NG_UNIT_MIO);
    int andel = ng_table_add_column(ov, "andel", "Andel", NG_UNIT_PCT);
    int r0 = ng_table_add_row(ov, NULL, 0);
    int r1 = ng_table_add_row(ov, NULL, 0);
    /* the name is copied: the caller's buffer may change afterwards */
    char name[16] = "linjer";
    ng_term sum[] = {{l0, belob, 1, name}, {l1, belob, 1, name}, {l2, belob, -1, name}};
    ng_table_rule_linear(ov, r0, v, sum, 3);
    ng_term num[] = {{l1, belob, 1, "linjer"}}, den[] = {{lt, belob, 1, "linjer"}};
    ng_table_rule_ratio(ov, r0, andel, num, 1, den, 1);
    ng_term twice[] = {{r0, v, 2}}; /* an own-table term after a cross one */
    ng_table_rule_linear(ov, r1, v, twice, 1);
    memcpy(name, "xxxxxx", 7);
    assert_string_equal(ng_table_cell(ov, r0, v)->rule.terms[0].table, "linjer");
    assert_null(ng_table_cell(ov, r1, v)->rule.terms[0].table);

    /* without the dataset a cross term cannot be resolved */
    assert_int_equal(ng_table_evaluate(ov), NG_ERR_INTERNAL);
    assert_int_equal(ng_dataset_add_evaluated(&ds, ov), NG_OK);
    const ng_table *got = ng_dataset_table(&ds, "oversigt");
    assert_true(ng_table_cell(got, r0, v)->num == 1200000.0 + 300000.0 + 250000.0);
    assert_true(ng_table_cell(got, r1, v)->num == 2 * 1750000.0);
    /* 300.000 / (1.200.000 + 300.000 - 250.000) */
    assert_true(ng_table_cell(got, r0, andel)->num == 300000.0 / 1250000.0);

    /* a table absent from the dataset, or a cell outside the other table */
    ng_table *bad = ng_table_new("bad", NULL);
    int a = ng_table_add_column(bad, "a", "A", NG_UNIT_KR);
    int b0 = ng_table_add_row(bad, NULL, 0);
    ng_term missing[] = {{0, 0, 1, "findes_ikke"}};
    ng_table_rule_linear(bad, b0, a, missing, 1);
    assert_int_equal(ng_dataset_add_evaluated(&ds, bad), NG_ERR_INTERNAL);
    bad = ng_table_new("bad", NULL);
    a = ng_table_add_column(bad, "a", "A", NG_UNIT_KR);
    b0 = ng_table_add_row(bad, NULL, 0);
    ng_term outside[] = {{lt + 1, belob, 1, "linjer"}};
    ng_table_rule_linear(bad, b0, a, outside, 1);
    assert_int_equal(ng_dataset_add_evaluated(&ds, bad), NG_ERR_INTERNAL);
    assert_null(ng_dataset_table(&ds, "bad"));
    assert_int_equal(ds.ntables, 2);
    ng_dataset_free(&ds);
}

/* AVERAGE and MEDIAN over a range of rows, as a data-driven table: the
 * column's numbers (NAN: an empty cell, left out as Excel leaves it out),
 * and the mean and median expected. */
static void test_average_median(void **state)
{
    (void)state;
    static const struct {
        double v[5];
        bool empty_result;
        double mean, median;
    } cases[] = {
        {{3, 1, 2, NAN, NAN}, false, 2.0, 2.0},           /* odd count: the middle one */
        {{4, 1, 3, 2, NAN}, false, 2.5, 2.5},             /* even: the mean of the two middle */
        {{2.9, NAN, 2.4, 1.0, 10.0}, false, 4.075, 2.65}, /* an empty cell is left out */
        {{-1, 5, 5, NAN, NAN}, false, 3.0, 5.0},
        {{NAN, NAN, NAN, NAN, NAN}, true, 0, 0}, /* no numbers: an empty cell */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ng_table *t = ng_table_new("r", "R");
        int c = ng_table_add_column(t, "v", "V", NG_UNIT_ANTAL);
        for (int r = 0; r < 5; r++) {
            ng_table_add_row(t, NULL, 0);
            if (!isnan(cases[i].v[r]))
                ng_table_set_num(t, r, c, cases[i].v[r]);
        }
        int mean = ng_table_add_row(t, "gennemsnit", NG_ROW_SUBTOTAL);
        int median = ng_table_add_row(t, "median", NG_ROW_SUBTOTAL);
        ng_table_rule_average(t, mean, c, 0, 4);
        ng_table_rule_median(t, median, c, 0, 4);
        assert_int_equal(ng_table_evaluate(t), NG_OK);
        const ng_cell *m = ng_table_cell(t, mean, c), *md = ng_table_cell(t, median, c);
        assert_int_equal(m->rule.kind, NG_RULE_AVERAGE);
        assert_int_equal(md->rule.kind, NG_RULE_MEDIAN);
        assert_true(ng_rule_is_range(m->rule.kind) && ng_rule_is_range(md->rule.kind));
        if (cases[i].empty_result) {
            assert_int_equal(m->type, NG_CELL_EMPTY);
            assert_int_equal(md->type, NG_CELL_EMPTY);
        } else {
            assert_true(fabs(m->num - cases[i].mean) < 1e-12);
            assert_true(fabs(md->num - cases[i].median) < 1e-12);
        }
        ng_table_free(t);
    }
    /* a range must not be empty, and a mean may not read itself */
    ng_table *t = ng_table_new("r", "R");
    ng_table_add_column(t, "v", "V", NG_UNIT_ANTAL);
    ng_table_add_row(t, NULL, 0);
    ng_table_rule_average(t, 0, 0, 1, 0);
    assert_int_equal(ng_table_status(t), NG_ERR_INTERNAL);
    ng_table_free(t);
    t = ng_table_new("r", "R");
    ng_table_add_column(t, "v", "V", NG_UNIT_ANTAL);
    ng_table_add_row(t, NULL, 0);
    ng_table_rule_median(t, 0, 0, 0, 0);
    assert_int_equal(ng_table_evaluate(t), NG_ERR_INTERNAL);
    ng_table_free(t);
}

/* A reference shows as its cell: a rate of 2,94 per 1.000 with one decimal
 * is 2,9, not 3 (its decimals travel with it); other values show with their
 * unit's default. */
static void test_reference_decimals(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_table *t = ng_table_new("rater", "Rater");
    int c = ng_table_add_column(t, "pr_1000", "Pr. 1.000", NG_UNIT_ANTAL);
    t->cols[c].decimals = 1;
    ng_table_add_row(t, "egen", 0);
    ng_table_set_num(t, 0, c, 2.94);
    assert_int_equal(ng_dataset_add_evaluated(&ds, t), NG_OK);
    assert_int_equal(ng_dataset_set_ref(&ds, "egen_rate", "rater", "egen", "pr_1000"), NG_OK);
    ng_dataset_set_num(&ds, "fakta", NG_UNIT_ANTAL, 2.94);
    const ng_value *v = ng_dataset_value(&ds, "egen_rate");
    assert_true(v->has_decimals);
    assert_int_equal(v->decimals, 1);
    assert_false(ng_dataset_value(&ds, "fakta")->has_decimals);
    ng_table *kt = ng_dataset_values_table(&ds);
    char buf[32];
    assert_string_equal(ng_table_format_cell(kt, 0, NG_VALUES_COL, buf, sizeof buf), "2,9");
    assert_string_equal(ng_table_format_cell(kt, 1, NG_VALUES_COL, buf, sizeof buf), "3");
    ng_table_free(kt);
    ng_dataset_free(&ds);
}

static void test_year_columns(void **state)
{
    (void)state;
    ng_table *t = ng_table_new("aar", NULL);
    ng_table_add_column(t, "post", "Post", NG_UNIT_TEXT);
    const int years[] = {2025, 2026, 2027};
    assert_int_equal(ng_table_add_year_columns(t, years, 3, NG_UNIT_MIO), 1);
    assert_int_equal(t->ncols, 4);
    assert_string_equal(t->cols[1].key, "2025");
    assert_string_equal(t->cols[3].key, "2027");
    assert_string_equal(t->cols[3].label, "2027");
    assert_int_equal(t->cols[2].unit, NG_UNIT_MIO);
    assert_int_equal(ng_table_add_year_columns(t, years, 0, NG_UNIT_MIO), -1);
    assert_int_equal(t->ncols, 4);
    ng_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),           cmocka_unit_test(test_cycle_and_bad_reference),
        cmocka_unit_test(test_ratio_and_total), cmocka_unit_test(test_row_unit),
        cmocka_unit_test(test_dataset),         cmocka_unit_test(test_dataset_add_evaluated),
        cmocka_unit_test(test_year_columns),    cmocka_unit_test(test_cross_table_terms),
        cmocka_unit_test(test_average_median),  cmocka_unit_test(test_reference_decimals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
