/* test_alttext.c -- a chart's alternative text from its table: type,
 * subject, period, series and key numbers in Danish; suppressed values never
 * shown; many series cut short. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "notatgen/alttext.h"

/* The yearly refusion table: a year column, then spend per tier in mio. kr.
 * under a group header each. */
static ng_table *yearly(void)
{
    ng_table *t = ng_table_new("refusion_aar", "Refusion pr. år");
    static const char *grp[] = {"25 pct. refusion", "50 pct. refusion", "75 pct. refusion"};
    static const double v[4][3] = {
        {183.5, 38.0, 46.1}, {201.7, 54.7, 47.3}, {199.3, 81.8, 75.9}, {214.1, 79.2, 108.9}};
    ng_table_add_column(t, "aar", "År", NG_UNIT_AAR);
    for (int g = 0; g < 3; g++) {
        int c = ng_table_add_column(t, "udgift", "Udgift", NG_UNIT_MIO);
        ng_table_set_column_group(t, c, grp[g]);
    }
    for (int r = 0; r < 4; r++) {
        ng_table_add_row(t, NULL, 0);
        ng_table_set_num(t, r, 0, 2022 + r);
        for (int g = 0; g < 3; g++)
            ng_table_set_num(t, r, g + 1, v[r][g] * 1e6);
    }
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    return t;
}

static void test_stacked_columns(void **state)
{
    (void)state;
    ng_table *t = yearly();
    int series[] = {1, 2, 3}, cats[] = {0, 1, 2, 3};
    ng_figure fig = {.title = "Udgifter på voksenområdet fordelt på refusionssatser",
                     .type = NG_FIG_STACKED,
                     .series = series,
                     .nseries = 3,
                     .cats = cats,
                     .ncats = 4,
                     .label_col = 0};
    char *alt = ng_alttext_figure(&fig, t);
    assert_string_equal(alt, "Stablet søjlediagram over udgifter på voksenområdet fordelt på "
                             "refusionssatser, 2022–2025. Serier: 25 pct. refusion, 50 pct. "
                             "refusion og 75 pct. refusion. 2025: 25 pct. refusion 214,1 mio. "
                             "kr., 50 pct. refusion 79,2 mio. kr. og 75 pct. refusion 108,9 "
                             "mio. kr.");
    free(alt);
    /* a suppressed value is never shown, only said to be missing */
    t->rows[3].cells[2].suppressed = true;
    fig.type = NG_FIG_COLUMN;
    fig.title = "Økonomi 2022-2025";
    alt = ng_alttext_figure(&fig, t);
    assert_non_null(strstr(alt, "Søjlediagram over økonomi 2022-2025. Serier:"));
    assert_non_null(strstr(alt, "50 pct. refusion ikke oplyst og"));
    assert_null(strstr(alt, "79,2"));
    free(alt);
    ng_table_free(t);
}

static void test_line_from_rows(void **state)
{
    (void)state;
    /* series as rows; the actual series stops in 2023 */
    ng_table *t = ng_table_new("prognose", "Prognose");
    ng_table_add_column(t, "serie", "Serie", NG_UNIT_TEXT);
    for (int y = 0; y < 5; y++) {
        char yr[8];
        snprintf(yr, sizeof yr, "%d", 2021 + y);
        ng_table_add_column(t, yr, yr, NG_UNIT_ANTAL);
    }
    static const double v[2][5] = {{142, 153, 165, 178, 193}, {140, 162, 179, -1, -1}};
    static const char *names[] = {"Prognose", "Faktisk"};
    for (int r = 0; r < 2; r++) {
        ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, r, 0, names[r]);
        for (int y = 0; y < 5; y++)
            if (v[r][y] >= 0)
                ng_table_set_num(t, r, y + 1, v[r][y]);
    }
    int series[] = {0, 1}, cats[] = {1, 2, 3, 4, 5};
    ng_figure fig = {.title = "Antal sager: prognose og faktisk udvikling",
                     .type = NG_FIG_LINE,
                     .series_from_rows = true,
                     .series = series,
                     .nseries = 2,
                     .cats = cats,
                     .ncats = 5,
                     .label_col = 0};
    char *alt = ng_alttext_figure(&fig, t);
    assert_string_equal(alt, "Kurvediagram over antal sager: prognose og faktisk udvikling, "
                             "2021–2025. Serier: Prognose og Faktisk. Prognose: fra 142 i 2021 "
                             "til 193 i 2025. Faktisk: fra 140 i 2021 til 179 i 2023.");
    free(alt);
    ng_table_free(t);
}

static void test_many_series(void **state)
{
    (void)state;
    ng_table *t = ng_table_new("mange", "Mange");
    ng_table_add_column(t, "navn", "Navn", NG_UNIT_TEXT);
    ng_table_add_column(t, "v", "2025", NG_UNIT_TKR);
    int series[12], cats[] = {1};
    for (int r = 0; r < 12; r++) {
        char name[16];
        snprintf(name, sizeof name, "Initiativ %d", r + 1);
        ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, r, 0, name);
        ng_table_set_num(t, r, 1, -1150000);
        series[r] = r;
    }
    ng_figure fig = {.title = "SDE-sager pr. initiativ",
                     .type = NG_FIG_COLUMN,
                     .series_from_rows = true,
                     .series = series,
                     .nseries = 12,
                     .cats = cats,
                     .ncats = 1,
                     .label_col = 0};
    char *alt = ng_alttext_figure(&fig, t);
    /* an abbreviation keeps its capitals; one category has no period */
    assert_non_null(strstr(alt, "Søjlediagram over SDE-sager pr. initiativ. Serier: Initiativ 1,"));
    assert_non_null(strstr(alt, "og Initiativ 8 (og 4 serier mere)."));
    assert_non_null(strstr(alt, "2025: Initiativ 1 -1.150 (1.000 kr.),"));
    assert_null(strstr(alt, "Initiativ 9"));
    free(alt);
    ng_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stacked_columns),
        cmocka_unit_test(test_line_from_rows),
        cmocka_unit_test(test_many_series),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
