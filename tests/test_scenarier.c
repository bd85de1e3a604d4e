/* test_scenarier.c -- the forecast's two scenarios against the initiatives
 * memo's own figures: a forecast from 2020 (121 cases, 172,7 mio. kr.) to
 * 2025, a demografi regulation of 5 mio. kr. more every year (25 mio. kr.
 * in 2025) and the three investment models of initiativer_2022_2025.csv,
 * whose net effect is -18,0 mio. kr. in 2025 (the sum of the printed
 * lines): "kunne mindske udgiftsudviklingen ... med samlet 43 mio. kr.".
 * The initiatives' totals per year are summed here from the file's lines
 * (4,6 / -5,9 / -12,4 / -18,0), not taken from the program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "notatgen/forecast.h"
#include "notatgen/initiatives.h"
#include "notatgen/scenarier.h"

/* The initiatives' net effect per year in kr., from the file's lines. */
static const struct {
    int aar;
    double netto;
} netto_2022_2025[] = {{2022, 4.6e6}, {2023, -5.9e6}, {2024, -12.4e6}, {2025, -18.0e6}};

static double netto_in(int aar)
{
    for (size_t i = 0; i < sizeof netto_2022_2025 / sizeof *netto_2022_2025; i++)
        if (netto_2022_2025[i].aar == aar)
            return netto_2022_2025[i].netto;
    return 0;
}

/* The SDE history 2017..last (seed 001's counts and spend) with the
 * forecast from it, and the initiatives, in ds. */
static void forecast_and_initiatives(ng_dataset *ds, int last, int ahead, bool with_initiatives)
{
    static const struct {
        int aar;
        double antal, mio;
    } history[] = {{2017, 95, 133.2},  {2018, 100, 139.6}, {2019, 112, 157.2}, {2020, 121, 172.7},
                   {2021, 140, 204.9}, {2022, 162, 249.9}, {2023, 179, 278.6}};
    ng_series s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < sizeof history / sizeof *history && history[i].aar <= last; i++) {
        s.aar[s.n] = history[i].aar;
        s.antal[s.n] = history[i].antal;
        s.udgift_kr[s.n] = history[i].mio * 1e6;
        s.has_antal[s.n] = s.has_udgift[s.n] = true;
        s.n++;
    }
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_sde_series_publish(&s, ds), NG_OK);
    ng_forecast g;
    assert_int_equal(ng_forecast_growth(&s, 3, ahead, NULL, 0, &g, &d), NG_OK);
    assert_int_equal(ng_forecast_publish(&g, NULL, ds), NG_OK);
    if (with_initiatives) {
        ng_input_file f = {(char *)NG_REFERENCE_DIR "/initiativer_2022_2025.csv", ';', NG_ENC_AUTO,
                           NG_DECIMAL_AUTO, NG_SCALE_MIO};
        ng_initiatives in;
        assert_int_equal(ng_initiatives_read(&f, &in, &d), NG_OK);
        assert_int_equal(ng_initiatives_publish(&in, ds, &d), NG_OK);
        ng_initiatives_free(&in);
    }
    ng_diags_free(&d);
}

static double cell(const ng_dataset *ds, const char *table, const char *row, int aar)
{
    const ng_table *t = ng_dataset_table(ds, table);
    assert_non_null(t);
    char col[16];
    snprintf(col, sizeof col, "%d", aar);
    const ng_cell *c = ng_table_cell(t, ng_table_row(t, row), ng_table_col(t, col));
    if (!c || c->type != NG_CELL_NUM)
        fail_msg("%s.%s.%d is not a number", table, row, aar);
    return c->num;
}

static double forecast_spend(const ng_dataset *ds, int aar)
{
    const ng_table *t = ng_dataset_table(ds, "prognose");
    char key[16];
    snprintf(key, sizeof key, "%d", aar);
    return ng_table_cell(t, ng_table_row(t, key), ng_table_col(t, "udgift_vaekst"))->num;
}

static double value(const ng_dataset *ds, const char *name)
{
    const ng_value *v = ng_dataset_value(ds, name);
    if (!v)
        fail_msg("no value %s", name);
    return v->num;
}

#define assert_kr(got, want)                                                                       \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        if (fabs(g_ - w_) > 0.005)                                                                 \
            fail_msg("%s = %.2f, expected %.2f", #got, g_, w_);                                    \
    } while (0)

static void publish(const ng_scenarier_options *o, ng_dataset *ds)
{
    ng_diags d;
    ng_diags_init(&d);
    ng_status st = ng_scenarier_publish(o, ds, &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    ng_diags_free(&d);
}

/* The memo's case: base 2020, 2021-2025, 5 mio. kr. more each year. */
static void test_seed_scenarios(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    forecast_and_initiatives(&ds, 2020, 5, true);
    ng_scenarier_options o = {.present = true,
                              .demografi_aarlig = 5e6,
                              .initiativer = true,
                              .fasthold_initiativer = true};
    publish(&o, &ds);
    /* the base year: both scenarios start at the base year's spend
     * (121 cases x 172,7 / 121 mio. kr.), nothing deducted */
    assert_kr(cell(&ds, "scenarier", "scenarie_1", 2020), 172.7e6);
    assert_kr(cell(&ds, "scenarier", "scenarie_2", 2020), 172.7e6);
    for (int aar = 2021; aar <= 2025; aar++) {
        double s1 = forecast_spend(&ds, aar);
        double dem = 5e6 * (aar - 2020);
        double init = netto_in(aar); /* 2021: before the file's first year */
        assert_kr(cell(&ds, "scenarier", "scenarie_1", aar), s1);
        assert_kr(cell(&ds, "scenarier", "demografi", aar), dem);
        assert_kr(cell(&ds, "scenarier", "initiativer", aar), init);
        assert_kr(cell(&ds, "scenarier", "scenarie_2", aar), s1 - dem + init);
        assert_kr(cell(&ds, "scenarier", "forbedring", aar), dem - init);
    }
    /* "den løbende demografi (her anslået til 25 mio. kr. i 2025) og de tre
     * initiativer (forventet 18 mio. kr. i 2025) ... samlet 43 mio. kr." */
    assert_kr(value(&ds, "scenarie_demografi_slut"), 25e6);
    assert_kr(value(&ds, "scenarie_initiativer_slut"), -18e6);
    assert_kr(value(&ds, "scenarie_forbedring_slut"), 43e6);
    assert_kr(value(&ds, "scenarie_1_start"), 172.7e6);
    assert_kr(value(&ds, "scenarie_1_slut"), forecast_spend(&ds, 2025));
    assert_kr(value(&ds, "scenarie_demografi_aarlig"), 5e6);
    /* live rules: the forecast and the initiatives are references to their
     * tables, the regulation is "the year before + 5 mio. kr." */
    const ng_table *t = ng_dataset_table(&ds, "scenarier");
    const ng_cell *c = ng_table_cell(t, ng_table_row(t, "scenarie_1"), ng_table_col(t, "2024"));
    assert_int_equal(c->rule.kind, NG_RULE_LINEAR);
    assert_string_equal(c->rule.terms[0].table, "prognose");
    c = ng_table_cell(t, ng_table_row(t, "initiativer"), ng_table_col(t, "2024"));
    assert_string_equal(c->rule.terms[0].table, "initiativer_netto");
    c = ng_table_cell(t, ng_table_row(t, "demografi"), ng_table_col(t, "2024"));
    assert_int_equal(c->rule.kind, NG_RULE_LINEAR);
    assert_true(c->rule.constant == 5e6);
    const ng_figure *f = ng_dataset_figure(&ds, "scenarier_figur");
    assert_non_null(f);
    assert_int_equal(f->nseries, 2);
    assert_int_equal(f->ncats, 6);
    ng_dataset_free(&ds);
}

/* The example's years: base 2023, 2024-2028, past the initiative file's
 * last year (2025). Held, its effect stays -18,0 mio. kr.; not held, 0. A
 * growing list of amounts, the last one kept after the list. */
static void test_after_the_initiatives_and_a_list(void **state)
{
    (void)state;
    for (int hold = 1; hold >= 0; hold--) {
        ng_dataset ds;
        ng_dataset_init(&ds);
        forecast_and_initiatives(&ds, 2023, 5, true);
        ng_scenarier_options o = {.present = true,
                                  .demografi = {9600000, 11500000, 14300000},
                                  .ndemografi = 3,
                                  .initiativer = true,
                                  .fasthold_initiativer = hold};
        publish(&o, &ds);
        static const double dem[] = {0, 9.6e6, 11.5e6, 14.3e6, 14.3e6, 14.3e6};
        for (int aar = 2023; aar <= 2028; aar++) {
            double init = aar == 2023 ? 0 : aar <= 2025 ? netto_in(aar) : hold ? -18e6 : 0;
            assert_kr(cell(&ds, "scenarier", "demografi", aar), dem[aar - 2023]);
            assert_kr(cell(&ds, "scenarier", "initiativer", aar), init);
            assert_kr(cell(&ds, "scenarier", "forbedring", aar), dem[aar - 2023] - init);
        }
        assert_kr(value(&ds, "scenarie_forbedring_slut"), hold ? 32.3e6 : 14.3e6);
        assert_null(ng_dataset_value(&ds, "scenarie_demografi_aarlig"));
        assert_non_null(strstr(ng_dataset_table(&ds, "scenarier")->source,
                               hold ? "efter 2025 fastholdt" : "efter 2025 ingen effekt"));
        ng_dataset_free(&ds);
    }
}

/* Without an initiative file scenario 2 is the forecast less the
 * regulation; without a forecast there are no scenarios (a note). */
static void test_without_initiatives_or_forecast(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    forecast_and_initiatives(&ds, 2020, 2, false);
    ng_scenarier_options o = {.present = true,
                              .demografi_aarlig = 5e6,
                              .initiativer = true,
                              .fasthold_initiativer = true};
    publish(&o, &ds);
    assert_kr(cell(&ds, "scenarier", "initiativer", 2022), 0);
    assert_kr(value(&ds, "scenarie_forbedring_slut"), 10e6);
    ng_dataset_free(&ds);

    ng_dataset_init(&ds);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_scenarier_publish(&o, &ds, &d), NG_OK);
    assert_null(ng_dataset_table(&ds, "scenarier"));
    assert_int_equal(d.count, 1);
    assert_non_null(strstr(d.items[0].message, "ingen prognose"));
    ng_diags_free(&d);
    ng_dataset_free(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_scenarios),
        cmocka_unit_test(test_after_the_initiatives_and_a_list),
        cmocka_unit_test(test_without_initiatives_or_forecast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
