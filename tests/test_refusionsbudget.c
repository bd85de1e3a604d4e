/* test_refusionsbudget.c -- refusion income against its budget (docs/regler.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "notatgen/refusionsbudget.h"

/* Three areas with refusion 30, 12 and 1,5 mio. kr. (in øre), one uncovered
 * adult unit that must not count. */
static ng_refusion_unit units[] = {
    {.key = "a", .omraade = NG_OMR_VOKSEN, .covered = true, .refusion = 2000000000},
    {.key = "b", .omraade = NG_OMR_VOKSEN, .covered = true, .refusion = 1000000000},
    {.key = "c", .omraade = NG_OMR_VOKSEN, .covered = false, .refusion = 0, .undecided67 = true},
    {.key = "d", .omraade = NG_OMR_BOERN, .covered = true, .refusion = 1200000000},
    {.key = "e", .omraade = NG_OMR_AELDRE, .covered = true, .refusion = 150000001},
};

static void config_fixture(ng_refusionsbudget_options *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->beloeb = 41400000;
    cfg->andel[0] = 0.60;
    cfg->andel[1] = 0.35;
    cfg->andel[2] = 0.05;
    cfg->model[0] = 2;
    cfg->model[1] = 1; /* familieområdet under model 1 */
    cfg->model[2] = 2;
}

/* kr. amounts agree to the øre (they are doubles holding øre fractions) */
#define assert_kr(a, b) assert_true(fabs((a) - (b)) < 0.005)

static double cell(const ng_table *t, const char *row, const char *col)
{
    return ng_table_cell(t, ng_table_row(t, row), ng_table_col(t, col))->num;
}

static void test_budget_against_refusion(void **state)
{
    (void)state;
    ng_refusionsbudget_options cfg;
    config_fixture(&cfg);
    ng_refusion_result r = {.aar = 2025, .units = units, .n = 5};
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_refusionsbudget_tables(&r, &cfg, &ds, &d), NG_OK);
    const ng_table *t = ng_dataset_table(&ds, "refusionsbudget");
    assert_non_null(t);
    /* 41,4 mio. split 60/35/5 */
    assert_kr(cell(t, "voksen", "budget"), 24840000);
    assert_kr(cell(t, "boern", "budget"), 14490000);
    assert_kr(cell(t, "aeldre", "budget"), 2070000);
    assert_kr(cell(t, "voksen", "beregnet"), 30000000);
    assert_kr(cell(t, "aeldre", "beregnet"), 1500000.01);
    assert_kr(cell(t, "voksen", "difference"), 30000000 - 24840000);
    assert_kr(cell(t, "boern", "difference"), 12000000 - 14490000);
    /* model 2 keeps, model 1 goes to the kasse */
    assert_kr(cell(t, "voksen", "til_fagomraadet"), 5160000);
    assert_kr(cell(t, "voksen", "til_kassen"), 0);
    assert_kr(cell(t, "boern", "til_fagomraadet"), 0);
    assert_kr(cell(t, "boern", "til_kassen"), -2490000);
    assert_kr(cell(t, "i_alt", "budget"), 41400000);
    assert_kr(cell(t, "i_alt", "andel"), 1.0);
    double diff = 43500000.01 - 41400000;
    assert_kr(cell(t, "i_alt", "difference"), diff);
    assert_kr(ng_dataset_value(&ds, "refusion_merindtaegt")->num, diff);
    /* what the social area keeps under model 2: voksne and ældre */
    assert_kr(cell(t, "voksen", "til_fagomraadet") + cell(t, "aeldre", "til_fagomraadet"),
              5160000 + (1500000.01 - 2070000));
    assert_int_equal(ng_dataset_value(&ds, "refusion_merindtaegt")->rule.kind, NG_RULE_LINEAR);
    /* four a'conto quarters that add up to the øre */
    const ng_table *a = ng_dataset_table(&ds, "refusion_aconto");
    assert_kr(cell(a, "q1", "aconto"), 10875000.00);
    assert_kr(cell(a, "q4", "aconto"), 10875000.01);
    assert_kr(cell(a, "i_alt", "aconto"), 43500000.01);
    /* the memo's values: expected refusion, what the areas keep (voksne
     * +5.160.000, ældre -569.999,99) and what goes to the kasse (børn
     * -2.490.000), a quarter's a'conto */
    assert_kr(ng_dataset_value(&ds, "refusion_forventet")->num, 43500000.01);
    assert_kr(ng_dataset_value(&ds, "refusion_til_fagomraaderne")->num, 5160000 - 569999.99);
    assert_kr(ng_dataset_value(&ds, "refusion_til_kassen")->num, -2490000);
    assert_kr(ng_dataset_value(&ds, "refusion_aconto_kvartal")->num, 10875000.00);
    /* the side the difference does not go to is a plain 0, not a formula */
    const ng_cell *zero =
        ng_table_cell(t, ng_table_row(t, "voksen"), ng_table_col(t, "til_kassen"));
    assert_int_equal(zero->rule.kind, NG_RULE_NONE);
    char buf[32];
    ng_date settle =
        ng_date_from_days((long)ng_dataset_value(&ds, "refusion_opgoerelse_dato")->num);
    assert_string_equal(ng_fmt_date_long(buf, sizeof buf, settle), "15. maj 2026");
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

static void test_shares_must_add_up(void **state)
{
    (void)state;
    ng_refusionsbudget_options cfg;
    config_fixture(&cfg);
    cfg.andel[2] = 0.10;
    ng_refusion_result r = {.aar = 2025, .units = units, .n = 5};
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_refusionsbudget_tables(&r, &cfg, &ds, &d), NG_ERR_CONFIG);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].message,
                        "[refusionsbudget] andel_voksen + andel_boern + andel_aeldre er 105,0 %, "
                        "ikke 100 %");
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

/* The budget is split by largest remainder: the parts are whole kroner
 * that add up to the budget exactly, each within a krone of its exact
 * share (independent check over many budgets and shares). */
static void test_split_by_largest_remainder(void **state)
{
    (void)state;
    ng_refusion_result r = {.aar = 2025, .units = units, .n = 5};
    /* 101 kr. in halves: rounding each half would give 51 + 51 = 102 */
    static const struct {
        double beloeb, a0, a1, a2, want0, want1, want2;
    } cases[] = {
        {101, 0.5, 0.5, 0.0, 51, 50, 0},
        /* rounding each would give 100.801.145 + 58.186.027 + 4.917.129 = 163.904.301 */
        {163904300, 0.615, 0.355, 0.03, 100801145, 58186026, 4917129},
        {100, 0.3335, 0.3335, 0.333, 34, 33, 33},
        /* docs/regler.md's example; a tie goes to the area that comes first */
        {41400001, 0.5, 0.5, 0.0, 20700001, 20700000, 0},
        {100, 0.333, 0.3335, 0.3335, 33, 34, 33},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ng_refusionsbudget_options o = {.beloeb = cases[i].beloeb,
                                        .andel = {cases[i].a0, cases[i].a1, cases[i].a2},
                                        .model = {2, 2, 2}};
        ng_dataset ds;
        ng_dataset_init(&ds);
        ng_diags d;
        ng_diags_init(&d);
        assert_int_equal(ng_refusionsbudget_tables(&r, &o, &ds, &d), NG_OK);
        const ng_table *t = ng_dataset_table(&ds, "refusionsbudget");
        assert_kr(cell(t, "voksen", "budget"), cases[i].want0);
        assert_kr(cell(t, "boern", "budget"), cases[i].want1);
        assert_kr(cell(t, "aeldre", "budget"), cases[i].want2);
        assert_kr(cell(t, "i_alt", "budget"), cases[i].beloeb);
        ng_dataset_free(&ds);
        ng_diags_free(&d);
    }
    /* a sweep: whole kroner, exact total, each part within 1 kr. of its share */
    for (long b = 1; b < 2000; b += 7) {
        for (int k = 1; k < 99; k += 13) {
            double a0 = k / 100.0, a1 = (100 - k) / 300.0, a2 = 1 - a0 - a1;
            ng_refusionsbudget_options o = {
                .beloeb = (double)b, .andel = {a0, a1, a2}, .model = {2, 2, 2}};
            ng_dataset ds;
            ng_dataset_init(&ds);
            ng_diags d;
            ng_diags_init(&d);
            assert_int_equal(ng_refusionsbudget_tables(&r, &o, &ds, &d), NG_OK);
            const ng_table *t = ng_dataset_table(&ds, "refusionsbudget");
            double sum = 0;
            const char *areas[] = {"voksen", "boern", "aeldre"};
            const double shares[] = {a0, a1, a2};
            for (int a = 0; a < 3; a++) {
                double part = cell(t, areas[a], "budget");
                assert_true(part == floor(part));
                assert_true(fabs(part - b * shares[a]) < 1.0 + 1e-9);
                sum += part;
            }
            assert_true(sum == (double)b);
            ng_dataset_free(&ds);
            ng_diags_free(&d);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_against_refusion),
        cmocka_unit_test(test_shares_must_add_up),
        cmocka_unit_test(test_split_by_largest_remainder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
