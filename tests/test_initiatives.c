/* test_initiatives.c -- initiative line items and the fingerplan against initiativer_2022_2025.csv
 * and fingerplan_2024_2027.csv. Expected sums are hand-computed from the printed line items (see
 * the reference file's notes: 14,1 is the 2025 investment, not the seed's 10,7). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "notatgen/initiatives.h"

static ng_input_file input(const char *path, ng_scale scale)
{
    ng_input_file f = {(char *)path, ';', NG_ENC_AUTO, NG_DECIMAL_AUTO, scale};
    return f;
}

static double cell(const ng_dataset *ds, const char *table, const char *row, const char *col)
{
    const ng_table *t = ng_dataset_table(ds, table);
    assert_non_null(t);
    int r = ng_table_row(t, row), c = ng_table_col(t, col);
    assert_true(r >= 0 && c >= 0);
    const ng_cell *x = ng_table_cell(t, r, c);
    assert_int_equal(x->type, NG_CELL_NUM);
    return x->num;
}

static void expect_row(const ng_dataset *ds, const char *table, const char *row,
                       const double mio[4])
{
    static const char *const years[] = {"2022", "2023", "2024", "2025"};
    for (int y = 0; y < 4; y++) {
        double got = cell(ds, table, row, years[y]);
        /* whole kr.: sums of øre-exact inputs are exact in double; the
         * expectation is given in tenths of mio. kr. */
        double want = (double)llround(mio[y] * 10) * 100000.0;
        if (got != want)
            fail_msg("%s.%s.%s: %.2f kr., expected %.2f kr.", table, row, years[y], got, want);
    }
}

static void load(const char *path, ng_initiatives *in, ng_dataset *ds)
{
    ng_diags d;
    ng_diags_init(&d);
    ng_input_file f = input(path, NG_SCALE_MIO);
    ng_status st = ng_initiatives_read(&f, in, &d);
    if (st != NG_OK)
        ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    assert_int_equal(d.errors, 0);
    assert_int_equal(ng_initiatives_publish(in, ds, &d), NG_OK);
    ng_diags_free(&d);
}

static void check_reference_sums(const ng_dataset *ds)
{
    expect_row(ds, "initiativer_investering", "initiativ_1", (double[]){3.8, 3.8, 3.8, 3.8});
    expect_row(ds, "initiativer_investering", "initiativ_2", (double[]){2.1, 4.2, 4.9, 9.0});
    expect_row(ds, "initiativer_investering", "initiativ_3", (double[]){3.7, 4.8, 1.3, 1.3});
    expect_row(ds, "initiativer_investering", "i_alt", (double[]){9.6, 12.8, 10.0, 14.1});
    expect_row(ds, "initiativer_effekt", "initiativ_1", (double[]){-3.1, -6.7, -7.9, -9.2});
    expect_row(ds, "initiativer_effekt", "initiativ_2", (double[]){-1.9, -4.3, -6.8, -15.2});
    expect_row(ds, "initiativer_effekt", "initiativ_3", (double[]){0, -7.7, -7.7, -7.7});
    expect_row(ds, "initiativer_effekt", "i_alt", (double[]){-5.0, -18.7, -22.4, -32.1});
    expect_row(ds, "initiativer_netto", "initiativ_1", (double[]){0.7, -2.9, -4.1, -5.4});
    expect_row(ds, "initiativer_netto", "initiativ_2", (double[]){0.2, -0.1, -1.9, -6.2});
    expect_row(ds, "initiativer_netto", "initiativ_3", (double[]){3.7, -2.9, -6.4, -6.4});
    expect_row(ds, "initiativer_netto", "i_alt", (double[]){4.6, -5.9, -12.4, -18.0});
    /* the per-initiative tables: netto is the live SUM over the lines */
    expect_row(ds, "initiativ_1", "netto", (double[]){0.7, -2.9, -4.1, -5.4});
    expect_row(ds, "initiativ_2", "netto", (double[]){0.2, -0.1, -1.9, -6.2});
    expect_row(ds, "initiativ_3", "netto", (double[]){3.7, -2.9, -6.4, -6.4});
}

static void test_wide_reference(void **state)
{
    (void)state;
    ng_initiatives in;
    ng_dataset ds;
    ng_dataset_init(&ds);
    load(NG_REFERENCE_DIR "/initiativer_2022_2025.csv", &in, &ds);
    assert_int_equal(in.nnames, 3);
    assert_int_equal(in.nlines, 15);
    assert_int_equal(in.nyears, 4);
    check_reference_sums(&ds);

    /* structure of an initiative table */
    const ng_table *t = ng_dataset_table(&ds, "initiativ_1");
    assert_string_equal(t->title, "Styrkelse af børnehandicap");
    assert_int_equal(t->nrows, 8);
    int netto = ng_table_row(t, "netto");
    assert_int_equal(netto, 7);
    assert_true(t->rows[netto].flags & NG_ROW_TOTAL);
    assert_string_equal(ng_table_cell(t, netto, 0)->text, "Provenu (+=merudgift)");
    const ng_cell *c = ng_table_cell(t, netto, ng_table_col(t, "2025"));
    assert_int_equal(c->rule.kind, NG_RULE_SUM);
    assert_int_equal(c->rule.first_row, 0);
    assert_int_equal(c->rule.last_row, 6);
    char buf[32];
    assert_string_equal(ng_table_format_cell(t, netto, ng_table_col(t, "2025"), buf, sizeof buf),
                        "-5,4");
    /* overview "I alt" is live, and so is every per-initiative cell: the
     * investering (lines 1-3) or effekt lines (4-7) of 2025 in initiativ_1,
     * netto its Provenu row */
    const ng_table *inv = ng_dataset_table(&ds, "initiativer_investering");
    assert_int_equal(ng_table_cell(inv, ng_table_row(inv, "i_alt"), 4)->rule.kind, NG_RULE_SUM);
    const ng_rule *rule = &ng_table_cell(inv, 0, 4)->rule;
    assert_int_equal(rule->kind, NG_RULE_LINEAR);
    assert_int_equal(rule->nterms, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(rule->terms[i].table, "initiativ_1");
        assert_int_equal(rule->terms[i].row, i);
        assert_int_equal(rule->terms[i].col, ng_table_col(t, "2025"));
        assert_true(rule->terms[i].coef == 1);
    }
    const ng_table *eff = ng_dataset_table(&ds, "initiativer_effekt");
    rule = &ng_table_cell(eff, 0, 4)->rule;
    assert_int_equal(rule->nterms, 4);
    assert_int_equal(rule->terms[0].row, 3);
    assert_int_equal(rule->terms[3].row, 6);
    const ng_table *net = ng_dataset_table(&ds, "initiativer_netto");
    rule = &ng_table_cell(net, 1, 1)->rule;
    assert_int_equal(rule->kind, NG_RULE_LINEAR);
    assert_int_equal(rule->nterms, 1);
    assert_string_equal(rule->terms[0].table, "initiativ_2");
    assert_int_equal(rule->terms[0].row,
                     ng_table_row(ng_dataset_table(&ds, "initiativ_2"), "netto"));
    assert_int_equal(rule->terms[0].col, ng_table_col(t, "2022"));
    assert_string_equal(ng_table_format_cell(inv, ng_table_row(inv, "i_alt"), 4, buf, sizeof buf),
                        "14,1");

    /* all lines in one table: Provenu per initiative and a live I alt */
    const ng_table *all = ng_dataset_table(&ds, "initiativer_linjer");
    assert_non_null(all);
    assert_int_equal(all->nrows, 3 * 2 + 15 + 1);
    int sub2 = ng_table_row(all, "initiativ_2_netto");
    assert_int_equal(ng_table_cell(all, sub2, 2)->rule.kind, NG_RULE_SUM);
    assert_true(ng_table_cell(all, sub2, ng_table_col(all, "2022"))->num == 200000.0);
    int all_total = ng_table_row(all, "i_alt");
    assert_int_equal(ng_table_cell(all, all_total, 2)->rule.kind, NG_RULE_LINEAR);
    assert_true(ng_table_cell(all, all_total, ng_table_col(all, "2025"))->num == -18.0e6);

    /* values and figure */
    const ng_value *v = ng_dataset_value(&ds, "initiativer_netto_i_alt_2025");
    assert_non_null(v);
    assert_true(v->num == -18.0e6);
    v = ng_dataset_value(&ds, "initiativer_investering_i_alt_2025");
    assert_true(v->num == 14.1e6);
    v = ng_dataset_value(&ds, "initiativ_2_navn");
    assert_string_equal(v->text, "Matrikel-/murstensløse tilbud");
    const ng_figure *fig = ng_dataset_figure(&ds, "initiativer_figur");
    assert_non_null(fig);
    assert_int_equal(fig->nseries, 3);
    assert_int_equal(fig->ncats, 4);

    /* the totals are references to the overview's I alt row */
    v = ng_dataset_value(&ds, "initiativer_netto_i_alt_sidste");
    assert_true(v->num == -18.0e6);
    assert_int_equal(v->rule.kind, NG_RULE_LINEAR);
    assert_string_equal(v->rule.terms[0].table, "initiativer_netto");
    const ng_table *ov = ng_dataset_table(&ds, "initiativer_netto");
    assert_int_equal(v->rule.terms[0].row, ng_table_row(ov, "i_alt"));
    assert_int_equal(v->rule.terms[0].col, ng_table_col(ov, "2025"));

    ng_initiatives_free(&in);
    ng_dataset_free(&ds);
}

static void test_long_agrees_with_wide(void **state)
{
    (void)state;
    ng_initiatives wide, lng;
    ng_dataset dw, dl;
    ng_dataset_init(&dw);
    ng_dataset_init(&dl);
    load(NG_REFERENCE_DIR "/initiativer_2022_2025.csv", &wide, &dw);
    load(NG_TEST_DATA "/initiativer/long.csv", &lng, &dl);
    check_reference_sums(&dl);
    assert_int_equal(wide.nlines, lng.nlines);
    for (size_t i = 0; i < wide.nlines; i++) {
        assert_string_equal(wide.lines[i].linje, lng.lines[i].linje);
        assert_int_equal(wide.lines[i].type, lng.lines[i].type);
        for (int y = 0; y < 4; y++)
            assert_true(wide.lines[i].kr[y] == lng.lines[i].kr[y]);
    }
    ng_initiatives_free(&wide);
    ng_initiatives_free(&lng);
    ng_dataset_free(&dw);
    ng_dataset_free(&dl);
}

static void test_bad_type(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    ng_initiatives in;
    ng_input_file f = input(NG_TEST_DATA "/initiativer/bad_type.csv", NG_SCALE_MIO);
    assert_int_equal(ng_initiatives_read(&f, &in, &d), NG_ERR_INPUT);
    assert_int_equal(d.errors, 1);
    char buf[512];
    ng_diag_format(&d.items[0], buf, sizeof buf);
    assert_string_equal(buf, NG_TEST_DATA "/initiativer/bad_type.csv:3:3: typen skal være "
                                          "'investering' eller 'effekt': 'besparelse'");
    ng_initiatives_free(&in);
    ng_diags_free(&d);
}

static void test_fingerplan(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    ng_fingerplan fp;
    ng_input_file f = input(NG_REFERENCE_DIR "/fingerplan_2024_2027.csv", NG_SCALE_TKR);
    assert_int_equal(ng_fingerplan_read(&f, &fp, &d), NG_OK);
    assert_int_equal(d.errors + d.warnings, 0); /* its total row agrees */
    assert_int_equal(fp.nitems, 7);
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_fingerplan_publish(&fp, &ds, &d), NG_OK);
    const ng_table *t = ng_dataset_table(&ds, "fingerplan");
    int total = ng_table_row(t, "i_alt");
    static const char *const years[] = {"2024", "2025", "2026", "2027"};
    static const double expect[] = {400e3, -3950e3, -5050e3, -6500e3};
    for (int y = 0; y < 4; y++) {
        const ng_cell *c = ng_table_cell(t, total, ng_table_col(t, years[y]));
        assert_int_equal(c->rule.kind, NG_RULE_SUM);
        assert_true(c->num == expect[y]);
    }
    char buf[32];
    assert_string_equal(ng_table_format_cell(t, total, ng_table_col(t, "2026"), buf, sizeof buf),
                        "-5.050");
    assert_true(ng_dataset_value(&ds, "fingerplan_i_alt_2025")->num == -3950e3);
    /* the saving is the last total with the sign turned: a rule, not a number */
    const ng_value *a = ng_dataset_value(&ds, "fingerplan_afboedning_sidste");
    assert_true(a->num == 6500e3);
    assert_int_equal(a->rule.nterms, 1);
    assert_true(a->rule.terms[0].coef == -1);
    ng_fingerplan_free(&fp);
    ng_dataset_free(&ds);

    /* the seed's text columns, when the file has them, are columns of the table */
    ng_input_file tekst = input(NG_TEST_DATA "/initiativer/fingerplan_tekst.csv", NG_SCALE_TKR);
    assert_int_equal(ng_fingerplan_read(&tekst, &fp, &d), NG_OK);
    assert_true(fp.has_loesningsforslag && fp.has_noegletal);
    ng_dataset_init(&ds);
    assert_int_equal(ng_fingerplan_publish(&fp, &ds, &d), NG_OK);
    t = ng_dataset_table(&ds, "fingerplan");
    assert_string_equal(t->cols[2].key, "loesningsforslag");
    assert_string_equal(t->cols[2].label, "Løsningsforslag");
    assert_string_equal(t->cols[3].label, "Økonomisk effekt/nøgletal");
    assert_string_equal(t->cols[4].key, "2024");
    assert_string_equal(ng_table_cell(t, ng_table_row(t, "nr_2"), 2)->text,
                        "Et team på 3 årsværk.");
    assert_string_equal(ng_table_cell(t, ng_table_row(t, "nr_1"), 3)->text,
                        "Godt 1/3 af borgerne i målgruppen.");
    assert_true(ng_table_cell(t, ng_table_row(t, "i_alt"), ng_table_col(t, "2025"))->num ==
                -2425e3);
    ng_fingerplan_free(&fp);
    ng_dataset_free(&ds);
    /* without them the table has none */
    assert_int_equal(ng_fingerplan_read(&f, &fp, &d), NG_OK);
    assert_false(fp.has_loesningsforslag || fp.has_noegletal);
    ng_fingerplan_free(&fp);

    /* a total row that disagrees with its items is a warning */
    ng_input_file bad = input(NG_TEST_DATA "/initiativer/fingerplan_bad_total.csv", NG_SCALE_TKR);
    assert_int_equal(ng_fingerplan_read(&bad, &fp, &d), NG_OK);
    assert_int_equal(d.warnings, 1);
    char msg[512];
    ng_diag_format(&d.items[0], msg, sizeof msg);
    assert_non_null(strstr(msg, "fingerplan_bad_total.csv:4:4:"));
    assert_non_null(strstr(msg, "totalen for 2025 er -1.000.000 kr., summen af initiativerne er "
                                "-1.125.000 kr."));
    ng_fingerplan_free(&fp);
    ng_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wide_reference),
        cmocka_unit_test(test_long_agrees_with_wide),
        cmocka_unit_test(test_bad_type),
        cmocka_unit_test(test_fingerplan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
