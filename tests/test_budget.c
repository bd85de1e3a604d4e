/* test_budget.c -- the budget outlook (budget.c) reproduces every derived
 * row of budgetmodel_2023.csv from its input rows and the debt
 * carried from 2022 (69,1 mio. kr.), with templates/budgetmodel.ini. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "notatgen/budget.h"
#include "notatgen/initiatives.h"

#define MODEL NG_SOURCE_DIR "/templates/budgetmodel.ini"

/* The derived rows as the reference prints them (mio. kr.). */
static const struct {
    const char *post;
    double mio[5];
} derived[] = {
    {"budget_inkl", {658.5, 669.3, 672.4, 675.8, 679.6}},
    {"merforbrug_foer", {44.9, 47.1, 65.5, 83.6, 101.3}},
    {"udgift_inkl_soep_bolig", {696.4, 704.9, 712.1, 707.5, 713.2}},
    {"udgift_inkl_alt", {696.4, 705.3, 708.15, 702.45, 706.7}},
    {"merforbrug_efter", {37.9, 36.0, 35.75, 26.65, 27.1}},
    {"gaeld", {107.0, 143.0, 178.75, 205.4, 232.5}},
};

static void config_for(ng_budget_options *cfg, const char *path)
{
    memset(cfg, 0, sizeof *cfg);
    ng_input_file_init(&cfg->file);
    cfg->file.path = strdup(path);
    cfg->file.scale = NG_SCALE_MIO;
    cfg->gaeld_primo = 69.1e6;
}

static void config_free(ng_budget_options *cfg)
{
    free(cfg->file.path);
}

/* Every derived cell equals the reference to the kr. (the inputs are whole
 * kr., so the sums are exact in double). */
static void expect_reference(const ng_dataset *ds)
{
    const ng_table *t = ng_dataset_table(ds, "budgetoverslag");
    assert_non_null(t);
    for (size_t i = 0; i < sizeof derived / sizeof derived[0]; i++) {
        int r = ng_table_row(t, derived[i].post);
        assert_true(r >= 0);
        for (int y = 0; y < 5; y++) {
            char key[8];
            snprintf(key, sizeof key, "%d", 2023 + y);
            const ng_cell *c = ng_table_cell(t, r, ng_table_col(t, key));
            double want = (double)llround(derived[i].mio[y] * 100) * 1e4;
            assert_int_equal(c->rule.kind, NG_RULE_LINEAR);
            if (c->num != want)
                fail_msg("%s %s: %.2f kr., expected %.2f kr.", derived[i].post, key, c->num, want);
        }
    }
}

static void test_reference(void **state)
{
    (void)state;
    ng_budget_options cfg;
    config_for(&cfg, NG_REFERENCE_DIR "/budgetmodel_2023.csv");
    ng_diags d;
    ng_diags_init(&d);
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_status st = ng_budget_outlook(&cfg, MODEL, NULL, 0, &ds, &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    assert_int_equal(d.errors + d.warnings, 0); /* the file's derived rows agree */
    expect_reference(&ds);
    const ng_table *t = ng_dataset_table(&ds, "budgetoverslag");
    char buf[32];
    int gaeld = ng_table_row(t, "gaeld");
    assert_string_equal(ng_table_format_cell(t, gaeld, ng_table_col(t, "2025"), buf, sizeof buf),
                        "178,8"); /* 178,75 rounded half away from zero, as the seed prints */
    /* the debt of 2023 is the carried 69,1 plus the year's 37,9 */
    const ng_cell *c = ng_table_cell(t, gaeld, ng_table_col(t, "2023"));
    assert_int_equal(c->rule.nterms, 2);
    assert_int_equal(c->rule.terms[0].col, ng_table_col(t, "2022"));
    assert_true(ng_table_cell(t, gaeld, ng_table_col(t, "2022"))->num == 69.1e6);
    /* the memo's values: the seed's 71,1 / 140,2 / 37,9 / 107,0 and "godt 74" */
    assert_int_equal(ng_budget_values(&ds), NG_OK);
    assert_true(ng_dataset_value(&ds, "budget_foerste_aar")->num == 2023);
    assert_true(ng_dataset_value(&ds, "budget_primo_aar")->num == 2022);
    assert_true(ng_dataset_value(&ds, "budget_merforbrug_foer_sdes_foerste")->num == 71.1e6);
    assert_true(ng_dataset_value(&ds, "budget_merforbrug_inkl_gaeld_foerste")->num == 140.2e6);
    assert_true(ng_dataset_value(&ds, "budget_merforbrug_efter_foerste")->num == 37.9e6);
    assert_true(ng_dataset_value(&ds, "budget_gaeld_foerste")->num == 107.0e6);
    assert_true(ng_dataset_value(&ds, "budget_gaeld_sidste")->num == 232.5e6);
    assert_true(ng_dataset_value(&ds, "budget_afboedning_sidste")->num == 74.2e6);
    /* a value is a rule over the table's cells: 140,2 = (37,9 + 33,2) + 69,1, the
     * carried debt read from the outlook's hidden primo column */
    const ng_value *gp = ng_dataset_value(&ds, "budget_gaeld_primo");
    assert_int_equal(gp->rule.kind, NG_RULE_LINEAR);
    assert_string_equal(gp->rule.terms[0].table, "budgetoverslag");
    assert_int_equal(gp->rule.terms[0].col, ng_table_col(t, "2022"));
    const ng_value *mg = ng_dataset_value(&ds, "budget_merforbrug_inkl_gaeld_foerste");
    assert_int_equal(mg->rule.nterms, 2);
    assert_string_equal(mg->rule.terms[0].table, NG_VALUES_TABLE);
    const ng_figure *fig = ng_dataset_figure(&ds, "budgetoverslag_figur");
    assert_non_null(fig);
    assert_int_equal(fig->nseries, 4);
    assert_int_equal(fig->ncats, 5);
    ng_dataset_free(&ds);
    config_free(&cfg);
    ng_diags_free(&d);
}

/* The fingerplan's total (1.000 kr.) fed into effekt_fingerplan gives the
 * same outlook as the budget file's own row. */
static void test_fingerplan_override(void **state)
{
    (void)state;
    ng_budget_options cfg;
    config_for(&cfg, NG_REFERENCE_DIR "/budgetmodel_2023.csv");
    ng_diags d;
    ng_diags_init(&d);
    ng_fingerplan fp;
    ng_input_file f = {(char *)NG_REFERENCE_DIR "/fingerplan_2024_2027.csv", ';', NG_ENC_AUTO,
                       NG_DECIMAL_AUTO, NG_SCALE_TKR};
    assert_int_equal(ng_fingerplan_read(&f, &fp, &d), NG_OK);
    ng_dataset ds, without;
    ng_dataset_init(&ds);
    ng_dataset_init(&without);
    assert_int_equal(ng_fingerplan_publish(&fp, &ds, &d), NG_OK);
    /* per year a live reference to the fingerplan's I alt row */
    ng_budget_override ov[4];
    ng_term terms[4];
    char years[4][8];
    for (int y = 0; y < 4; y++) {
        snprintf(years[y], sizeof years[y], "%d", 2024 + y);
        terms[y] = ng_dataset_term(&ds, "fingerplan", "i_alt", years[y], 1);
        ov[y] = (ng_budget_override){"effekt_fingerplan", 2024 + y, 0, &terms[y], 1};
    }
    assert_int_equal(ds.status, NG_OK);
    /* the override reads the fingerplan table: not in this dataset */
    assert_int_equal(ng_budget_outlook(&cfg, MODEL, ov, 4, &without, &d), NG_ERR_INTERNAL);
    assert_null(ng_dataset_table(&without, "budgetoverslag"));
    ng_dataset_free(&without);
    ng_diags_free(&d);
    ng_diags_init(&d);
    assert_int_equal(ng_budget_outlook(&cfg, MODEL, ov, 4, &ds, &d), NG_OK);
    assert_int_equal(d.errors + d.warnings, 0);
    expect_reference(&ds);
    /* effekt_fingerplan 2024 is a live reference to the fingerplan's total */
    const ng_table *t = ng_dataset_table(&ds, "budgetoverslag");
    const ng_table *fpt = ng_dataset_table(&ds, "fingerplan");
    const ng_cell *c =
        ng_table_cell(t, ng_table_row(t, "effekt_fingerplan"), ng_table_col(t, "2024"));
    assert_int_equal(c->rule.kind, NG_RULE_LINEAR);
    assert_int_equal(c->rule.nterms, 1);
    assert_string_equal(c->rule.terms[0].table, "fingerplan");
    assert_int_equal(c->rule.terms[0].row, ng_table_row(fpt, "i_alt"));
    assert_int_equal(c->rule.terms[0].col, ng_table_col(fpt, "2024"));
    assert_true(c->num ==
                ng_table_cell(fpt, ng_table_row(fpt, "i_alt"), ng_table_col(fpt, "2024"))->num);
    ng_dataset_free(&ds);
    ng_fingerplan_free(&fp);
    config_free(&cfg);
    ng_diags_free(&d);
}

/* Long layout with the years in descending order gives the same table. */
static void test_long_descending(void **state)
{
    (void)state;
    ng_budget_options cfg;
    config_for(&cfg, NG_TEST_DATA "/budget/long_descending.csv");
    ng_diags d;
    ng_diags_init(&d);
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_status st = ng_budget_outlook(&cfg, MODEL, NULL, 0, &ds, &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    expect_reference(&ds);
    const ng_table *t = ng_dataset_table(&ds, "budgetoverslag");
    int korr = ng_table_row(t, "korrigeret_budget");
    assert_true(ng_table_cell(t, korr, ng_table_col(t, "2023"))->num == 625.3e6);
    assert_true(ng_table_cell(t, korr, ng_table_col(t, "2027"))->num == 640.5e6);
    ng_dataset_free(&ds);
    config_free(&cfg);
    ng_diags_free(&d);
}

static void test_derived_disagrees(void **state)
{
    (void)state;
    ng_budget_options cfg;
    config_for(&cfg, NG_TEST_DATA "/budget/bad_derived.csv");
    ng_diags d;
    ng_diags_init(&d);
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_budget_outlook(&cfg, MODEL, NULL, 0, &ds, &d), NG_OK);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 1);
    char buf[512];
    ng_diag_format(&d.items[0], buf, sizeof buf);
    assert_string_equal(buf,
                        NG_TEST_DATA "/budget/bad_derived.csv:24: advarsel: gaeld 2027: "
                                     "filen angiver 232,00, modellen giver 232,50 (modellens tal "
                                     "bruges)");
    expect_reference(&ds); /* the model wins */
    ng_dataset_free(&ds);
    config_free(&cfg);
    ng_diags_free(&d);
}

static void test_unknown_post(void **state)
{
    (void)state;
    ng_budget_options cfg;
    config_for(&cfg, NG_TEST_DATA "/budget/unknown_post.csv");
    ng_diags d;
    ng_diags_init(&d);
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_budget_outlook(&cfg, MODEL, NULL, 0, &ds, &d), NG_ERR_INPUT);
    assert_int_equal(d.errors, 1);
    char buf[512];
    ng_diag_format(&d.items[0], buf, sizeof buf);
    assert_string_equal(buf, NG_TEST_DATA "/budget/unknown_post.csv:4:2: posten findes ikke i "
                                          "budgetmodellen " MODEL ": 'effekt_soeb'");
    assert_null(ng_dataset_table(&ds, "budgetoverslag"));
    ng_dataset_free(&ds);
    config_free(&cfg);
    ng_diags_free(&d);
}

static void test_rule_unknown_post(void **state)
{
    (void)state;
    ng_budget_options cfg;
    config_for(&cfg, NG_REFERENCE_DIR "/budgetmodel_2023.csv");
    ng_diags d;
    ng_diags_init(&d);
    ng_dataset ds;
    ng_dataset_init(&ds);
    const char *model = NG_TEST_DATA "/budget/model_unknown_post.ini";
    assert_int_equal(ng_budget_outlook(&cfg, model, NULL, 0, &ds, &d), NG_ERR_CONFIG);
    assert_true(d.errors >= 1);
    char buf[512];
    ng_diag_format(&d.items[0], buf, sizeof buf);
    assert_string_equal(buf, NG_TEST_DATA "/budget/model_unknown_post.ini:25: reglen for "
                                          "budget_inkl nævner en ukendt post: 'demografii'");
    ng_dataset_free(&ds);
    config_free(&cfg);
    ng_diags_free(&d);
}

/* A post given twice for one year is an error, not a silent overwrite. */
static void test_duplicate(void **state)
{
    (void)state;
    ng_budget_options cfg;
    config_for(&cfg, NG_TEST_DATA "/budget/duplicate.csv");
    ng_diags d;
    ng_diags_init(&d);
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_budget_outlook(&cfg, MODEL, NULL, 0, &ds, &d), NG_ERR_INPUT);
    char buf[512];
    ng_diag_format(&d.items[0], buf, sizeof buf);
    assert_string_equal(buf, NG_TEST_DATA "/budget/duplicate.csv:3:3: korrigeret_budget har "
                                          "allerede et beløb for 2023 (linje 2)");
    ng_dataset_free(&ds);
    config_free(&cfg);
    ng_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference),       cmocka_unit_test(test_fingerplan_override),
        cmocka_unit_test(test_long_descending), cmocka_unit_test(test_derived_disagrees),
        cmocka_unit_test(test_unknown_post),    cmocka_unit_test(test_rule_unknown_post),
        cmocka_unit_test(test_duplicate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
