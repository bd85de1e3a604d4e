/* test_refusionsbudget.c -- refusion income against its budget (seed 004). */
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

static void config_fixture(ng_config *cfg)
{
    ng_config_init(cfg);
    cfg->refusionsbudget = 41400000;
    cfg->refusionsbudget_andel[0] = 0.60;
    cfg->refusionsbudget_andel[1] = 0.35;
    cfg->refusionsbudget_andel[2] = 0.05;
    cfg->refusionsbudget_model[0] = 2;
    cfg->refusionsbudget_model[1] = 1; /* familieområdet keeps model 1 (seed 004) */
    cfg->refusionsbudget_model[2] = 2;
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
    ng_config cfg;
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
    assert_kr(ng_refusionsbudget_merindtaegt_social(&ds), 5160000 + (1500000.01 - 2070000));
    /* four a'conto quarters that add up to the øre */
    const ng_table *a = ng_dataset_table(&ds, "refusion_aconto");
    assert_kr(cell(a, "q1", "aconto"), 10875000.00);
    assert_kr(cell(a, "q4", "aconto"), 10875000.01);
    assert_kr(cell(a, "i_alt", "aconto"), 43500000.01);
    char buf[32];
    ng_date settle = ng_date_from_days((long)ng_dataset_value(&ds, "refusion_opgoerelse_dato")->num);
    assert_string_equal(ng_fmt_date_long(buf, sizeof buf, settle), "15. maj 2026");
    ng_dataset_free(&ds);
    ng_diags_free(&d);
    ng_config_free(&cfg);
}

static void test_shares_must_add_up(void **state)
{
    (void)state;
    ng_config cfg;
    config_fixture(&cfg);
    cfg.refusionsbudget_andel[2] = 0.10;
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
    ng_config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_against_refusion),
        cmocka_unit_test(test_shares_must_add_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
