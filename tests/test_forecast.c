/* test_forecast.c -- SDE history (sde_bands_2017_2023.csv), the growth and
 * trend forecasts against hand-computed series, the SQLite store and the
 * comparison with actuals (prognose_vs_faktisk.csv). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>

#include "notatgen/forecast.h"

static void assert_close(double got, double want)
{
    double tol = 1e-9 * (fabs(want) > 1 ? fabs(want) : 1);
    if (fabs(got - want) > tol)
        fail_msg("got %.12g, expected %.12g", got, want);
}

static ng_series series(int first, const double *antal, const double *udgift_mio, size_t n)
{
    ng_series s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < n; i++) {
        s.aar[i] = first + (int)i;
        s.antal[i] = antal[i];
        s.has_antal[i] = true;
        if (udgift_mio) {
            s.udgift_kr[i] = udgift_mio[i] * 1e6;
            s.has_udgift[i] = true;
        }
    }
    s.n = n;
    return s;
}

static const char *first_message(const ng_diags *d, char *buf, size_t size)
{
    assert_true(d->count > 0);
    ng_diag_format(&d->items[0], buf, size);
    return buf;
}

/* ---- history ------------------------------------------------------------ */

static void test_history_reference(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    ng_sde_history h;
    assert_int_equal(ng_sde_history_read(NG_REFERENCE_DIR "/sde_bands_2017_2023.csv", &h, &d),
                     NG_OK);
    assert_int_equal(d.errors + d.warnings, 0); /* its I alt row agrees with the bands */
    assert_int_equal(h.nyears, 7);
    assert_int_equal(h.nbands, 3);
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_sde_history_publish(&h, &ds, &d), NG_OK);
    const ng_table *t = ng_dataset_table(&ds, "sde_udvikling");
    assert_non_null(t);
    int total = ng_table_row(t, "i_alt");
    static const double totals[] = {95, 100, 112, 121, 140, 162, 179};
    for (int y = 0; y < 7; y++) {
        char key[8];
        snprintf(key, sizeof key, "%d", 2017 + y);
        const ng_cell *c = ng_table_cell(t, total, ng_table_col(t, key));
        assert_int_equal(c->rule.kind, NG_RULE_SUM);
        assert_true(c->num == totals[y]);
    }
    assert_true(t->rows[total].flags & NG_ROW_TOTAL);
    assert_string_equal(ng_table_cell(t, total, 0)->text, "I alt (antal)");
    char buf[32];
    int udg = ng_table_row(t, "udgift");
    assert_string_equal(ng_table_format_cell(t, udg, ng_table_col(t, "2023"), buf, sizeof buf),
                        "278,6");
    /* 2,0+ had no cases in 2017: a zero, not a blank */
    assert_string_equal(ng_table_format_cell(t, 2, ng_table_col(t, "2017"), buf, sizeof buf), "0");

    const ng_table *a = ng_dataset_table(&ds, "sde_aar");
    int r23 = ng_table_row(a, "2023");
    assert_true(ng_table_cell(a, r23, ng_table_col(a, "udgift"))->num == 278600000.0);
    assert_close(ng_table_cell(a, r23, ng_table_col(a, "udgift_pr_sag"))->num, 278.6e6 / 179);
    assert_string_equal(
        ng_table_format_cell(a, r23, ng_table_col(a, "udgift_pr_sag"), buf, sizeof buf), "1,56");
    assert_true(ng_dataset_value(&ds, "sde_antal_foerste")->num == 95);
    assert_close(ng_dataset_value(&ds, "sde_stigning_antal_pct")->num, 179.0 / 95 - 1);
    ng_dataset_free(&ds);

    /* the seed's method on the reference: 2020-2023, 1,56 mio. kr. per case */
    ng_series s;
    ng_sde_history_series(&h, &s);
    ng_forecast f;
    assert_int_equal(ng_forecast_growth(&s, 3, 5, NULL, 0, &f, &d), NG_OK);
    assert_close(f.growth, pow(179.0 / 121.0, 1.0 / 3) - 1);
    assert_close(f.per_case_kr, 278.6e6 / 179);
    assert_int_equal(f.npoints, 5);
    assert_int_equal(f.points[0].aar, 2024);
    assert_close(f.points[4].antal, 179 * pow(179.0 / 121.0, 5.0 / 3));
    assert_string_equal(f.assumptions,
                        "Metode: gennemsnitlig vækst i antal sager 2020–2023 (13,9 % p.a.) × "
                        "gennemsnitlig udgift pr. sag 2023 (1,56 mio. kr., 2023-priser)");
    ng_sde_history_free(&h);
    ng_diags_free(&d);
}

/* ---- growth ------------------------------------------------------------- */

static void test_constant_growth_forecasts_itself(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    /* +10 % a year, 2 mio. kr. per case */
    double antal[] = {100, 110, 121, 133.1};
    double udgift[] = {200, 220, 242, 266.2};
    ng_series s = series(2020, antal, udgift, 4);
    ng_forecast f;
    assert_int_equal(ng_forecast_growth(&s, 3, 3, NULL, 0, &f, &d), NG_OK);
    assert_close(f.growth, 0.10);
    assert_close(f.points[0].antal, 146.41);
    assert_close(f.points[1].antal, 161.051);
    assert_close(f.points[2].antal, 177.1561);
    assert_close(f.points[2].udgift_kr, 354.3122e6);
    assert_int_equal(d.count, 0);

    /* the published table: antal = the year before's x the growth factor,
     * udgift = antal x the spend per case, live rules over the basis table */
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_sde_series_publish(&s, &ds), NG_OK);
    assert_int_equal(ng_forecast_publish(&f, NULL, &ds), NG_OK);
    const ng_table *b = ng_dataset_table(&ds, "prognose_grundlag");
    int cv = ng_table_col(b, "vaerdi");
    const ng_cell *rate = ng_table_cell(b, ng_table_row(b, "vaekst"), cv);
    assert_int_equal(rate->rule.kind, NG_RULE_RATIO);
    assert_int_equal(rate->rule.root, 3);
    assert_close(rate->rule.constant, -1);
    assert_close(rate->num, 0.10);
    assert_close(ng_table_cell(b, ng_table_row(b, "faktor"), cv)->num, 1.10);
    assert_close(ng_table_cell(b, ng_table_row(b, "udgift_pr_sag"), cv)->num, 2e6);
    const ng_table *t = ng_dataset_table(&ds, "prognose");
    int r = ng_table_row(t, "2025");
    const ng_cell *n = ng_table_cell(t, r, ng_table_col(t, "antal_vaekst"));
    assert_int_equal(n->rule.kind, NG_RULE_PRODUCT);
    assert_close(n->num, 161.051);
    const ng_cell *c = ng_table_cell(t, r, ng_table_col(t, "udgift_vaekst"));
    assert_int_equal(c->rule.kind, NG_RULE_PRODUCT);
    assert_string_equal(c->rule.terms[1].table, "prognose_grundlag");
    assert_close(c->num, 161.051 * 2e6);
    assert_close(ng_dataset_value(&ds, "prognose_vaekst_pct")->num, 0.10);
    assert_close(ng_dataset_value(&ds, "prognose_antal_slut")->num, 177.1561);
    assert_close(ng_dataset_value(&ds, "prognose_udgift_slut")->num, 354.3122e6);
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

static void test_zero_year(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    char buf[512];
    /* window 2020-2023 starts on a zero year: growth from 2021 (10 -> 40 in 2 years) */
    double antal[] = {0, 0, 10, 20, 40};
    double udgift[] = {0, 0, 15, 30, 60};
    ng_series s = series(2019, antal, udgift, 5);
    ng_forecast f;
    assert_int_equal(ng_forecast_growth(&s, 3, 2, NULL, 0, &f, &d), NG_OK);
    assert_close(f.growth, 1.0);
    assert_int_equal(f.first_year, 2021);
    assert_close(f.points[0].antal, 80);
    assert_close(f.points[1].antal, 160);
    assert_close(f.points[1].udgift_kr, 160 * 1.5e6);
    assert_non_null(strstr(f.assumptions, "; 2020 har 0 sager, så væksten regnes fra 2021"));

    /* nothing but zeros before the last year: zero growth */
    double only_last[] = {0, 0, 0, 5};
    s = series(2020, only_last, NULL, 4);
    assert_int_equal(ng_forecast_growth(&s, 3, 2, NULL, 0, &f, &d), NG_OK);
    assert_true(f.growth == 0);
    assert_true(f.points[1].antal == 5);
    assert_non_null(strstr(f.assumptions, "2020 har 0 sager, så væksten er sat til 0"));

    /* fewer than 2 years: an error, not a crash */
    double one[] = {12};
    s = series(2023, one, NULL, 1);
    assert_int_equal(ng_forecast_growth(&s, 3, 2, NULL, 0, &f, &d), NG_ERR_INPUT);
    assert_string_equal(first_message(&d, buf, sizeof buf),
                        "prognosen kræver antal sager for mindst 2 år i historikken (har 1)");
    ng_diags_free(&d);
}

static void test_price_index(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    ng_price_index idx = {{2023, 2024, 2025}, {100, 102, 104}, 3};
    double antal[] = {100, 110, 121};
    double udgift[] = {100, 110, 121}; /* 1 mio. kr. per case */
    ng_series s = series(2021, antal, udgift, 3);
    ng_forecast f;
    assert_int_equal(ng_forecast_growth(&s, 3, 1, &idx, 2025, &f, &d), NG_OK);
    assert_close(f.per_case_kr, 1.04e6);
    assert_int_equal(f.price_year, 2025);
    assert_non_null(strstr(f.assumptions, "(1,04 mio. kr., 2025-priser)"));
    ng_diags_free(&d);
}

/* ---- trend -------------------------------------------------------------- */

static void test_trend_straight_line(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    /* cases 50 + 7 (aar - 2020), spend 10 + 3 (aar - 2020) mio. kr.; the
     * window 2020-2023 is on the line; 2018-2019 are off it and outside */
    double antal[] = {1, 1000, 50, 57, 64, 71};
    double udgift[] = {1, 1000, 10, 13, 16, 19};
    ng_series s = series(2018, antal, udgift, 6);
    ng_forecast f;
    assert_int_equal(ng_forecast_trend(&s, 3, 2, NULL, 0, &f, &d), NG_OK);
    assert_close(f.slope_antal, 7);
    assert_close(f.points[0].antal, 78);
    assert_close(f.points[1].antal, 85);
    assert_close(f.points[0].udgift_kr, 22e6);
    assert_close(f.points[1].udgift_kr, 25e6);
    assert_string_equal(f.assumptions,
                        "Metode: lineær trend (mindste kvadraters metode) for antal sager og "
                        "udgifter 2020–2023 (7,0 sager og 3,0 mio. kr. pr. år, løbende priser)");
    ng_diags_free(&d);
}

/* With an index the trend runs in fixed prices: spend that only follows
 * prices is flat. */
static void test_trend_fixed_prices(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    ng_price_index idx = {{2021, 2022, 2023}, {100, 110, 121}, 3};
    double antal[] = {10, 10, 10};
    double udgift[] = {100, 110, 121};
    ng_series s = series(2021, antal, udgift, 3);
    ng_forecast f;
    assert_int_equal(ng_forecast_trend(&s, 3, 1, &idx, 0, &f, &d), NG_OK);
    assert_int_equal(f.price_year, 2023);
    assert_close(f.slope_udgift_kr, 0);
    assert_close(f.points[0].udgift_kr, 121e6);
    assert_non_null(strstr(f.assumptions, "2023-priser"));
    /* without the index: current prices, a rising line */
    assert_int_equal(ng_forecast_trend(&s, 3, 1, NULL, 0, &f, &d), NG_OK);
    assert_int_equal(f.price_year, 0);
    assert_close(f.slope_udgift_kr, 10.5e6);
    assert_non_null(strstr(f.assumptions, "løbende priser"));
    /* an index that lacks a year of the window is an error */
    ng_price_index short_idx = {{2023}, {121}, 1};
    assert_int_equal(ng_forecast_trend(&s, 3, 1, &short_idx, 0, &f, &d), NG_ERR_INPUT);
    assert_int_equal(d.errors, 1);
    char buf[256];
    assert_string_equal(first_message(&d, buf, sizeof buf),
                        "[prognose] prisindeks: prisindekset mangler året 2021 (bruges til at "
                        "omregne 2021 til 2023-priser)");
    ng_diags_free(&d);
}

/* ---- store and compare ---------------------------------------------------- */

static char store_path[64];

/* A fresh history store in a temporary file. */
static ng_history *open_store(void)
{
    snprintf(store_path, sizeof store_path, "/tmp/ng_test_forecast_XXXXXX");
    int fd = mkstemp(store_path);
    assert_true(fd >= 0);
    close(fd);
    unlink(store_path); /* a unique name: the store is created there */
    ng_diags d;
    ng_diags_init(&d);
    ng_history *h = NULL;
    assert_int_equal(ng_history_open(store_path, &h, &d), NG_OK);
    ng_diags_free(&d);
    return h;
}

static void close_store(ng_history *h)
{
    ng_history_close(h);
    unlink(store_path);
    char lock[80];
    snprintf(lock, sizeof lock, "%s.lock", store_path);
    unlink(lock);
}

static void test_store_then_compare(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    ng_history *h = open_store();
    /* made in 2022 from 2020-2022 (+10 %, 1 mio. kr. per case) */
    double antal[] = {100, 110, 121};
    double udgift[] = {100, 110, 121};
    ng_series s = series(2020, antal, udgift, 3);
    ng_forecast f;
    assert_int_equal(ng_forecast_growth(&s, 3, 2, NULL, 0, &f, &d), NG_OK);
    assert_int_equal(
        ng_history_store_forecast(h, "2022-08-22", f.method, f.points, f.npoints, "", &d), NG_OK);
    /* storing again replaces */
    assert_int_equal(
        ng_history_store_forecast(h, "2022-08-22", f.method, f.points, f.npoints, "", &d), NG_OK);

    /* a year later: 2023 was 140 cases and 150 mio. kr. */
    double antal2[] = {100, 110, 121, 140};
    double udgift2[] = {100, 110, 121, 150};
    ng_series actual = series(2020, antal2, udgift2, 4);
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_stored_forecast fc;
    bool found;
    assert_int_equal(ng_history_pick_forecast(h, 2023, &fc, &found, &d), NG_OK);
    assert_true(found);
    assert_int_equal(ng_forecast_vs_actual(&fc, &actual, &ds, &d), NG_OK);
    const ng_table *t = ng_dataset_table(&ds, "prognose_mod_faktisk");
    assert_non_null(t);
    assert_int_equal(t->nrows, 2);
    int r = ng_table_row(t, "2023");
    const ng_cell *an = ng_table_cell(t, r, ng_table_col(t, "afvigelse_antal"));
    assert_int_equal(an->rule.kind, NG_RULE_LINEAR);
    assert_close(an->num, 140 - 133.1);
    const ng_cell *ap = ng_table_cell(t, r, ng_table_col(t, "afvigelse_antal_pct"));
    assert_int_equal(ap->rule.kind, NG_RULE_RATIO);
    assert_close(ap->num, (140 - 133.1) / 133.1);
    assert_close(ng_table_cell(t, r, ng_table_col(t, "prognose_udgift"))->num, 133.1e6);
    assert_close(ng_table_cell(t, r, ng_table_col(t, "afvigelse_udgift"))->num, 16.9e6);
    assert_close(ng_table_cell(t, r, ng_table_col(t, "afvigelse_udgift_pct"))->num, 16.9 / 133.1);
    char buf[32];
    assert_string_equal(
        ng_table_format_cell(t, r, ng_table_col(t, "afvigelse_antal_pct"), buf, sizeof buf),
        "5,2 %");
    /* 2024 has no actuals yet: no deviation */
    int r24 = ng_table_row(t, "2024");
    assert_int_equal(ng_table_cell(t, r24, ng_table_col(t, "faktisk_antal"))->type, NG_CELL_EMPTY);
    assert_int_equal(ng_table_cell(t, r24, ng_table_col(t, "afvigelse_antal"))->rule.kind,
                     NG_RULE_NONE);
    assert_int_equal(ng_table_cell(t, r24, ng_table_col(t, "afvigelse_antal"))->type,
                     NG_CELL_EMPTY);
    assert_string_equal(ng_dataset_value(&ds, "prognose_lavet")->text, "2022-08-22");
    assert_true(ng_dataset_value(&ds, "sammenligning_aar")->num == 2023);
    assert_non_null(ng_dataset_figure(&ds, "prognose_figur"));
    /* the spend has its own figure: the forecast's and the actual spend */
    const ng_figure *spend = ng_dataset_figure(&ds, "prognose_udgift_figur");
    assert_non_null(spend);
    assert_int_equal(spend->nseries, 2);
    assert_string_equal(t->cols[spend->series[0]].key, "prognose_udgift");
    assert_string_equal(t->cols[spend->series[1]].key, "faktisk_udgift");
    ng_dataset_free(&ds);
    close_store(h);
    ng_diags_free(&d);
}

static void test_import_seed_forecast(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    char made_on[32];
    ng_forecast_made_on_from_path("/x/prognose_2021.csv", made_on, sizeof made_on);
    assert_string_equal(made_on, "2021");
    ng_stored_forecast fc;
    assert_int_equal(
        ng_forecast_read_csv(NG_REFERENCE_DIR "/prognose_vs_faktisk.csv", made_on, &fc, &d), NG_OK);
    assert_string_equal(fc.method, "importeret");
    ng_sde_history h;
    assert_int_equal(ng_sde_history_read(NG_REFERENCE_DIR "/sde_bands_2017_2023.csv", &h, &d),
                     NG_OK);
    ng_series actual;
    ng_sde_history_series(&h, &actual);
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_forecast_vs_actual(&fc, &actual, &ds, &d), NG_OK);
    const ng_table *t = ng_dataset_table(&ds, "prognose_mod_faktisk");
    assert_int_equal(t->nrows, 5);
    int an = ng_table_col(t, "afvigelse_antal"), au = ng_table_col(t, "afvigelse_udgift");
    int apn = ng_table_col(t, "afvigelse_antal_pct");
    int r21 = ng_table_row(t, "2021"), r23 = ng_table_row(t, "2023");
    assert_true(ng_table_cell(t, r21, an)->num == -2);
    assert_true(ng_table_cell(t, r21, au)->num == -8100000.0);
    assert_close(ng_table_cell(t, r21, apn)->num, -2.0 / 142);
    assert_true(ng_table_cell(t, r23, an)->num == 14);
    assert_true(ng_table_cell(t, r23, au)->num == 30600000.0);
    assert_close(ng_table_cell(t, r23, apn)->num, 14.0 / 165);
    char buf[32];
    assert_string_equal(ng_table_format_cell(t, r23, apn, buf, sizeof buf), "8,5 %");
    assert_string_equal(ng_table_format_cell(t, r23, au, buf, sizeof buf), "30,6");
    assert_string_equal(ng_table_format_cell(t, ng_table_row(t, "2025"),
                                             ng_table_col(t, "prognose_udgift"), buf, sizeof buf),
                        "289,0");
    assert_string_equal(ng_dataset_value(&ds, "prognose_metode_lavet")->text, "importeret");
    assert_true(ng_dataset_value(&ds, "sammenligning_prognose_udgift")->num == 248e6);
    assert_true(ng_dataset_value(&ds, "sammenligning_prognose_antal")->num == 165);
    ng_dataset_free(&ds);
    ng_sde_history_free(&h);
    ng_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_reference),
        cmocka_unit_test(test_constant_growth_forecasts_itself),
        cmocka_unit_test(test_zero_year),
        cmocka_unit_test(test_price_index),
        cmocka_unit_test(test_trend_straight_line),
        cmocka_unit_test(test_trend_fixed_prices),
        cmocka_unit_test(test_store_then_compare),
        cmocka_unit_test(test_import_seed_forecast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
