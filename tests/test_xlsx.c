/*
 * test_xlsx.c -- data.json and the Excel bilag from a hand-built dataset.
 *
 * The dataset has what the renderers must handle: a tier table with a SUM
 * total row and a ratio share, a budget table with a linear "merforbrug" row
 * and a running debt row (budgetmodel_2023.csv's gaeld), an initiatives
 * table in 1.000 kr. with a linear netto row, a monthly follow-up table with
 * column groups, dates and row-wise totals, a table with a suppressed cell,
 * two over-long titles that cut to the same 31 characters, and figures.
 *
 * Expected values are computed by hand from the inputs (comments say how).
 *
 * With NG_XLSX_OUT=DIR the test also leaves its files in DIR for
 * tests/e2e_xlsx.sh: bilag.xlsx + data.json (the dataset), bilag_sager.xlsx
 * (with a case list in constant_memory mode) and bilag_forkert.xlsx +
 * data_forkert.json (one cached value deliberately wrong, so that
 * LibreOffice's recalculation must disagree with it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>

#include "notatgen/json.h"
#include "notatgen/palette.h"
#include "notatgen/strbuf.h"
#include "notatgen/table.h"
#include "notatgen/privacy.h"
#include "notatgen/xlsx.h"

/* Both long titles cut to "Økonomi på socialområdet (servi" (31 characters). */
#define LONG_TITLE_1 "Økonomi på socialområdet (service) 2023-2027 (mio. kr.)"
#define LONG_TITLE_2 "Økonomi på socialområdet (service) – gæld"

/* ---- the fixture -------------------------------------------------------- */

/* refusion_per_trin: 25/50/75 + "I alt"; andel = udgift / total udgift. */
static ng_table *tier_table(void)
{
    ng_table *t = ng_table_new("refusion_per_trin", "Refusion fordelt på trin");
    ng_table_set_source(t, "Kilde: Randers Kommune, udtræk 31-10-2025");
    int trin = ng_table_add_column(t, "trin", "Refusionstrin (pct.)", NG_UNIT_ANTAL);
    int antal = ng_table_add_column(t, "antal", "Antal sager", NG_UNIT_ANTAL);
    int udgift = ng_table_add_column(t, "udgift", "Udgift", NG_UNIT_MIO);
    int ref = ng_table_add_column(t, "refusion", "Refusion", NG_UNIT_MIO);
    int andel = ng_table_add_column(t, "andel", "Andel af udgiften", NG_UNIT_PCT);
    static const double rows[3][4] = {
        {25, 169, 214100000, 12345678.5},
        {50, 40, 120500000, 30000000},
        {75, 12, 70400000.25, 25000000},
    };
    for (int r = 0; r < 3; r++) {
        ng_table_add_row(t, r == 0 ? "25" : r == 1 ? "50" : "75", 0);
        ng_table_set_num(t, r, trin, rows[r][0]);
        ng_table_set_num(t, r, antal, rows[r][1]);
        ng_table_set_num(t, r, udgift, rows[r][2]);
        ng_table_set_num(t, r, ref, rows[r][3]);
    }
    int total = ng_table_add_total_row(t, "i_alt", "I alt", trin, 0, 2);
    for (int r = 0; r < 3; r++) {
        ng_term num[] = {{r, udgift, 1}}, den[] = {{total, udgift, 1}};
        ng_table_rule_ratio(t, r, andel, num, 1, den, 1);
    }
    /* total rows leave pct columns alone; this one sums to 100 % */
    ng_table_rule_sum(t, total, andel, 0, 2);
    return t;
}

/* budgetoverslag: 2022 column holds the debt carried (69,1); merforbrug =
 * udgift - budget; gaeld[y] = gaeld[y-1] + merforbrug[y]. */
static ng_table *budget_table(void)
{
    ng_table *t = ng_table_new("budget_fixture", LONG_TITLE_1);
    int post = ng_table_add_column(t, "tekst", "Post", NG_UNIT_TEXT);
    int y22 = ng_table_add_column(t, "2022", "2022", NG_UNIT_MIO);
    int y23 = ng_table_add_column(t, "2023", "2023", NG_UNIT_MIO);
    int y24 = ng_table_add_column(t, "2024", "2024", NG_UNIT_MIO);
    int budget = ng_table_add_row(t, "budget_inkl", 0);
    int udgift = ng_table_add_row(t, "udgift_inkl_alt", 0);
    int merf = ng_table_add_row(t, "merforbrug_efter", 0);
    int gaeld = ng_table_add_row(t, "gaeld", NG_ROW_TOTAL);
    ng_table_set_text(t, budget, post, "Budget inkl. demografi og merindtægt SDES");
    ng_table_set_text(t, udgift, post,
                      "Forventet udgift inkl. SØP + boligplan + 2024 "
                      "fingerplansinitiativer (grøn kurve)");
    ng_table_set_text(t, merf, post, "Forventet årligt merforbrug");
    ng_table_set_text(t, gaeld, post, "Forventet gældsudvikling");
    ng_table_set_num(t, budget, y23, 658.5e6);
    ng_table_set_num(t, budget, y24, 669.3e6);
    ng_table_set_num(t, udgift, y23, 696.4e6);
    ng_table_set_num(t, udgift, y24, 705.3e6);
    ng_table_set_num(t, gaeld, y22, 69.1e6);
    for (int c = y23; c <= y24; c++) {
        ng_term diff[] = {{udgift, c, 1}, {budget, c, -1}};
        ng_table_rule_linear(t, merf, c, diff, 2);
        ng_term running[] = {{gaeld, c - 1, 1}, {merf, c, 1}};
        ng_table_rule_linear(t, gaeld, c, running, 2);
    }
    return t;
}

/* A second table whose title cuts to the same 31 characters. */
static ng_table *debt_table(void)
{
    ng_table *t = ng_table_new("gaeld", LONG_TITLE_2);
    int aar = ng_table_add_column(t, "aar", "År", NG_UNIT_AAR);
    int g = ng_table_add_column(t, "gaeld", "Gæld", NG_UNIT_MIO);
    ng_table_add_row(t, "2023", 0);
    ng_table_set_num(t, 0, aar, 2023);
    ng_table_set_num(t, 0, g, 107e6);
    return t;
}

/* initiativer_netto in 1.000 kr.: netto = investering + effekt (effekt < 0),
 * and a "dobbelt" row with coefficient 2 to test other coefficients. */
static ng_table *initiative_table(void)
{
    ng_table *t = ng_table_new("netto_fixture", "Initiativer & netto [1.000 kr.] ø");
    int tekst = ng_table_add_column(t, "tekst", "Initiativ", NG_UNIT_TEXT);
    int y25 = ng_table_add_column(t, "2025", "2025", NG_UNIT_TKR);
    int y26 = ng_table_add_column(t, "2026", "2026", NG_UNIT_TKR);
    int inv = ng_table_add_row(t, "investering", 0);
    int eff = ng_table_add_row(t, "effekt", 0);
    int net = ng_table_add_row(t, "netto", NG_ROW_TOTAL);
    int dbl = ng_table_add_row(t, "dobbelt_effekt", 0);
    ng_table_set_text(t, inv, tekst, "Investering");
    ng_table_set_text(t, eff, tekst, "Effekt");
    ng_table_set_text(t, net, tekst, "Netto");
    ng_table_set_text(t, dbl, tekst, "Dobbelt effekt");
    ng_table_set_num(t, inv, y25, 1500000);
    ng_table_set_num(t, inv, y26, 500000);
    ng_table_set_num(t, eff, y25, -2650000);
    ng_table_set_num(t, eff, y26, -3000000);
    for (int c = y25; c <= y26; c++) {
        ng_term sum[] = {{inv, c, 1}, {eff, c, 1}};
        ng_table_rule_linear(t, net, c, sum, 2);
        ng_term twice[] = {{eff, c, 2}};
        ng_table_rule_linear(t, dbl, c, twice, 1);
    }
    return t;
}

/* opfoelgning_maaned: groups, a date column, row-wise totals (linear), and a
 * total in mio. kr. built from kr. columns (scale factor in the formula). */
static ng_table *followup_table(void)
{
    ng_table *t = ng_table_new("opfoelgning_maaned", "Opfølgning pr. måned");
    int maaned = ng_table_add_column(t, "maaned", "Måned", NG_UNIT_TEXT);
    int dato = ng_table_add_column(t, "dato", "Dato", NG_UNIT_DATO);
    int a25 = ng_table_add_column(t, "antal_25", "Antal", NG_UNIT_ANTAL);
    int u25 = ng_table_add_column(t, "udgift_25", "Udgift (kr.)", NG_UNIT_KR);
    int a50 = ng_table_add_column(t, "antal_50", "Antal", NG_UNIT_ANTAL);
    int u50 = ng_table_add_column(t, "udgift_50", "Udgift (kr.)", NG_UNIT_KR);
    int at = ng_table_add_column(t, "antal_total", "Antal", NG_UNIT_ANTAL);
    int ut = ng_table_add_column(t, "udgift_total", "Udgift", NG_UNIT_MIO);
    ng_table_set_column_group(t, a25, "25 pct. refusion");
    ng_table_set_column_group(t, u25, "25 pct. refusion");
    ng_table_set_column_group(t, a50, "50 pct. refusion");
    ng_table_set_column_group(t, u50, "50 pct. refusion");
    ng_table_set_column_group(t, at, "I alt");
    ng_table_set_column_group(t, ut, "I alt");
    static const char *const months[] = {"Februar 2025", "Maj 2025"};
    static const ng_date dates[] = {{2025, 2, 28}, {2025, 5, 31}};
    static const double v[2][4] = {{150, 190000000.5, 38, 110000000},
                                   {155, 195500000, 39, 112250000}};
    for (int r = 0; r < 2; r++) {
        ng_table_add_row(t, r == 0 ? "2025-02" : "2025-05", 0);
        ng_table_set_text(t, r, maaned, months[r]);
        ng_table_set_num(t, r, dato, (double)ng_date_to_days(dates[r]));
        ng_table_set_num(t, r, a25, v[r][0]);
        ng_table_set_num(t, r, u25, v[r][1]);
        ng_table_set_num(t, r, a50, v[r][2]);
        ng_table_set_num(t, r, u50, v[r][3]);
        ng_term antal[] = {{r, a25, 1}, {r, a50, 1}};
        ng_table_rule_linear(t, r, at, antal, 2);
        ng_term udgift[] = {{r, u25, 1}, {r, u50, 1}};
        ng_table_rule_linear(t, r, ut, udgift, 2);
    }
    return t;
}

/* kommuner: pr_1000 = 1000 * antal / indbyggere; one antal suppressed (2
 * persons), so its total is written as a value without a formula. */
static ng_table *municipality_table(void)
{
    ng_table *t = ng_table_new("kommuner", "Sager pr. 1.000 indbyggere");
    t->count_table = true;
    int k = ng_table_add_column(t, "kommune", "Kommune", NG_UNIT_TEXT);
    int antal = ng_table_add_column(t, "antal", "Antal sager", NG_UNIT_ANTAL);
    int indb = ng_table_add_column(t, "indbyggere", "Indbyggere 18-66 år", NG_UNIT_ANTAL);
    int pr = ng_table_add_column(t, "pr_1000", "Sager pr. 1.000", NG_UNIT_ANTAL);
    t->cols[pr].decimals = 2;
    static const char *const names[] = {"Randers", "Æ-by", "Nul-by"};
    static const double vals[3][2] = {{221, 60000}, {2, 1500}, {4, 0}};
    for (int r = 0; r < 3; r++) {
        ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, r, k, names[r]);
        ng_table_set_num(t, r, antal, vals[r][0]);
        ng_table_set_num(t, r, indb, vals[r][1]);
        ng_term num[] = {{r, antal, 1000}}, den[] = {{r, indb, 1}};
        ng_table_rule_ratio(t, r, pr, num, 1, den, 1);
    }
    int total = ng_table_add_total_row(t, "i_alt", "I alt", k, 0, 2);
    ng_term num[] = {{total, antal, 1000}}, den[] = {{total, indb, 1}};
    ng_table_rule_ratio(t, total, pr, num, 1, den, 1);
    /* the mean and the median of the rows: AVERAGE and MEDIAN formulas
     * (20.500 and 1.500 inhabitants); over pr_1000 they read a suppressed
     * rate, so they are written as values */
    int mean = ng_table_add_row(t, "gennemsnit", NG_ROW_SUBTOTAL);
    int median = ng_table_add_row(t, "median", NG_ROW_SUBTOTAL);
    ng_table_set_text(t, mean, k, "Gennemsnit");
    ng_table_set_text(t, median, k, "Median");
    ng_table_rule_average(t, mean, indb, 0, 2);
    ng_table_rule_median(t, median, indb, 0, 2);
    ng_table_rule_average(t, mean, pr, 0, 2);
    ng_table_rule_median(t, median, pr, 0, 2);
    /* as the suppression step would: the small cell, what reveals it (its
     * rate) and a second cell so that the total does not reveal it */
    t->rows[1].cells[antal].suppressed = true;
    t->rows[1].cells[pr].suppressed = true;
    t->rows[2].cells[antal].suppressed = true;
    return t;
}

/* Terms naming other tables (added after them): netto 2025 of netto_fixture
 * (1.000 kr.) shown in mio. kr.: -1.150.000 kr. = -1,15; plus the debt of
 * table gaeld (mio. kr.): 107 - 1,15 = 105,85; a share across two tables:
 * investering 2025 / debt = 1.500.000 / 107.000.000. */
static ng_table *cross_table(void)
{
    ng_table *t = ng_table_new("kryds_fixture", "Krydshenvisninger");
    int tekst = ng_table_add_column(t, "tekst", "Post", NG_UNIT_TEXT);
    int belob = ng_table_add_column(t, "belob", "Beløb", NG_UNIT_MIO);
    int andel = ng_table_add_column(t, "andel", "Andel", NG_UNIT_PCT);
    int netto = ng_table_add_row(t, "netto_2025", 0);
    int gaeld = ng_table_add_row(t, "gaeld_efter_netto", 0);
    ng_table_set_text(t, netto, tekst, "Netto 2025");
    ng_table_set_text(t, gaeld, tekst, "Gæld efter netto");
    ng_term n[] = {{2, 1, 1, "netto_fixture"}};
    ng_table_rule_linear(t, netto, belob, n, 1);
    ng_term g[] = {{0, 1, 1, "gaeld"}, {netto, belob, 1}};
    ng_table_rule_linear(t, gaeld, belob, g, 2);
    ng_term num[] = {{0, 1, 1, "netto_fixture"}}, den[] = {{0, 1, 1, "gaeld"}};
    ng_table_rule_ratio(t, netto, andel, num, 1, den, 1);
    return t;
}

static void add_figures(ng_dataset *ds)
{
    /* stacked columns: series = udgift_25, udgift_50; categories = rows */
    int series1[] = {3, 5}, cats1[] = {0, 1};
    ng_figure stacked = {.name = "opfoelgning_figur",
                         .table = "opfoelgning_maaned",
                         .title = "Udgift pr. refusionstrin",
                         .y_title = "kr.",
                         .type = NG_FIG_STACKED,
                         .series_from_rows = false,
                         .series = series1,
                         .nseries = 2,
                         .cats = cats1,
                         .ncats = 2,
                         .label_col = 0};
    assert_int_equal(ng_dataset_add_figure(ds, &stacked), NG_OK);
    /* lines: series = budget and udgift rows; categories = 2023, 2024 */
    int series2[] = {0, 1}, cats2[] = {2, 3};
    ng_figure lines = {.name = "budgetoverslag_figur",
                       .table = "budget_fixture",
                       .title = "Budget og forventet udgift",
                       .y_title = "mio. kr.",
                       .type = NG_FIG_LINE,
                       .series_from_rows = true,
                       .series = series2,
                       .nseries = 2,
                       .cats = cats2,
                       .ncats = 2,
                       .label_col = 0};
    assert_int_equal(ng_dataset_add_figure(ds, &lines), NG_OK);
    /* columns over non-adjacent categories (2022 and 2024): a union range */
    int series3[] = {3}, cats3[] = {1, 3};
    ng_figure gaps = {.name = "gaeld_figur",
                      .table = "budget_fixture",
                      .title = "Gæld 2022 og 2024",
                      .y_title = NULL,
                      .type = NG_FIG_COLUMN,
                      .series_from_rows = true,
                      .series = series3,
                      .nseries = 1,
                      .cats = cats3,
                      .ncats = 2,
                      .label_col = 0};
    assert_int_equal(ng_dataset_add_figure(ds, &gaps), NG_OK);

    /* a ranking with one category highlighted (the own municipality) */
    int rate[] = {1}, places[] = {0, 1, 2};
    ng_figure ranked = {.name = "kommuner_figur",
                        .table = "kommuner",
                        .title = "Antal sager pr. kommune",
                        .type = NG_FIG_COLUMN,
                        .series = rate,
                        .nseries = 1,
                        .cats = places,
                        .ncats = 3,
                        .label_col = 0,
                        .highlight = 1};
    assert_int_equal(ng_dataset_add_figure(ds, &ranked), NG_OK);
}

static void build_dataset(ng_dataset *ds)
{
    ng_dataset_init(ds);
    ds->kommune = strdup("Randers");
    ds->kommunekode = strdup("730");
    ds->udtraek_dato = (ng_date){2025, 10, 31};
    ng_table *tables[] = {tier_table(),       budget_table(),   debt_table(),
                          initiative_table(), followup_table(), municipality_table()};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        assert_non_null(tables[i]);
        assert_int_equal(ng_table_evaluate(tables[i]), NG_OK);
        assert_int_equal(ng_dataset_add_table(ds, tables[i]), NG_OK);
    }
    assert_int_equal(ng_dataset_add_evaluated(ds, cross_table()), NG_OK);
    assert_int_equal(ng_dataset_set_num(ds, "refusion_i_alt", NG_UNIT_KR, 67345678.5), NG_OK);
    assert_int_equal(ng_dataset_set_num(ds, "andel_udgift_50_75", NG_UNIT_PCT, 0.47), NG_OK);
    assert_int_equal(ng_dataset_set_num(ds, "forrige_opfoelgning_dato", NG_UNIT_DATO,
                                        (double)ng_date_to_days((ng_date){2025, 9, 30})),
                     NG_OK);
    assert_int_equal(ng_dataset_set_text(ds, "prognose_metode", "Sager \"omfattet\" – æøå"), NG_OK);
    add_figures(ds);
}

/* ---- helpers ------------------------------------------------------------ */

static char scratch[] = "/tmp/test_xlsx_XXXXXX";
static bool scratch_made;

static char *scratch_dir(void)
{
    if (!scratch_made) {
        assert_non_null(mkdtemp(scratch));
        scratch_made = true;
    }
    return scratch;
}

static void remove_scratch(void)
{
    if (!scratch_made)
        return;
    DIR *d = opendir(scratch);
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[512];
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", scratch, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(scratch);
}

static void path_in(char *buf, size_t size, const char *name)
{
    const char *out = getenv("NG_XLSX_OUT");
    snprintf(buf, size, "%s/%s", out && *out ? out : scratch_dir(), name);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void assert_private(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static json_t *table_json(json_t *root, const char *name)
{
    json_t *t = json_object_get(json_object_get(root, "tables"), name);
    assert_non_null(t);
    return t;
}

static json_t *row_json(json_t *root, const char *table, size_t row)
{
    json_t *r = json_array_get(json_object_get(table_json(root, table), "rows"), row);
    assert_non_null(r);
    return r;
}

static void assert_int_field(json_t *obj, const char *key, json_int_t v)
{
    json_t *x = json_object_get(obj, key);
    assert_true(json_is_integer(x));
    assert_true(json_integer_value(x) == v);
}

static void assert_real_field(json_t *obj, const char *key, double v)
{
    json_t *x = json_object_get(obj, key);
    assert_true(json_is_real(x));
    assert_float_equal(json_real_value(x), v, 1e-12);
}

/* ---- tests -------------------------------------------------------------- */

static void test_json_values(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_diags d;
    ng_diags_init(&d);
    build_dataset(&ds);
    char path[512];
    path_in(path, sizeof path, "data.json");
    assert_int_equal(ng_json_write(&ds, path, &d), NG_OK);
    assert_private(path);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "kommune")), "Randers");
    assert_string_equal(json_string_value(json_object_get(root, "udtraek_dato")), "2025-10-31");

    /* total row: 169+40+12 = 221; 214100000+120500000+70400000.25 */
    json_t *total = row_json(root, "refusion_per_trin", 3);
    assert_string_equal(json_string_value(json_object_get(total, "_key")), "i_alt");
    assert_true(json_is_true(json_object_get(total, "_total")));
    assert_string_equal(json_string_value(json_object_get(total, "trin")), "I alt");
    assert_int_field(total, "antal", 221);
    assert_real_field(total, "udgift", 405000000.25);
    assert_real_field(total, "refusion", 67345678.5);
    assert_int_field(total, "andel", 1);
    /* share 214100000 / 405000000.25 */
    assert_real_field(row_json(root, "refusion_per_trin", 0), "andel", 214100000.0 / 405000000.25);
    /* money rounds to 2 decimals; whole kr. are integers */
    assert_int_field(row_json(root, "refusion_per_trin", 0), "udgift", 214100000);

    /* debt: 69,1 + (696,4-658,5) = 107,0; + (705,3-669,3) = 143,0 */
    json_t *gaeld = row_json(root, "budget_fixture", 3);
    assert_int_field(gaeld, "2023", 107000000);
    assert_int_field(gaeld, "2024", 143000000);
    /* netto 1.500 - 2.650 = -1.150 (1.000 kr.) */
    assert_int_field(row_json(root, "netto_fixture", 2), "2025", -1150000);
    assert_int_field(row_json(root, "netto_fixture", 3), "2026", -6000000);
    /* the date column as ISO */
    assert_string_equal(
        json_string_value(json_object_get(row_json(root, "opfoelgning_maaned", 1), "dato")),
        "2025-05-31");
    assert_real_field(row_json(root, "opfoelgning_maaned", 0), "udgift_total", 300000000.5);

    /* suppressed cell: null and listed; ratio with zero denominator: null */
    json_t *k1 = row_json(root, "kommuner", 1);
    assert_true(json_is_null(json_object_get(k1, "antal")));
    json_t *sup = json_object_get(table_json(root, "kommuner"), "suppressed");
    assert_int_equal(json_array_size(sup), 3);
    assert_int_field(json_array_get(sup, 0), "row", 1);
    /* Nul-by: 0 inhabitants, so no rate (a ratio over zero is empty) */
    assert_true(json_is_null(json_object_get(row_json(root, "kommuner", 2), "pr_1000")));
    assert_int_equal(json_array_size(json_object_get(table_json(root, "kommuner"), "suppressed")),
                     3);
    assert_real_field(row_json(root, "kommuner", 0), "pr_1000", 221000.0 / 60000.0);

    /* formulas: the SUM of the tier total, the running debt, the ratio */
    json_t *formulas = json_object_get(table_json(root, "refusion_per_trin"), "formulas");
    json_t *f0 = json_array_get(formulas, 0);
    assert_string_equal(json_string_value(json_object_get(f0, "rule")), "ratio");
    json_t *sum = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(formulas, i, f)
    {
        const char *col = json_string_value(json_object_get(f, "column"));
        if (json_integer_value(json_object_get(f, "row")) == 3 && !strcmp(col, "antal"))
            sum = f;
    }
    assert_non_null(sum);
    assert_string_equal(json_string_value(json_object_get(sum, "rule")), "sum");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(sum, "rows"), 1)), 2);
    json_t *bf = json_object_get(table_json(root, "budget_fixture"), "formulas");
    json_t *last = json_array_get(bf, json_array_size(bf) - 1);
    json_t *t0 = json_array_get(json_object_get(last, "terms"), 0);
    assert_string_equal(json_string_value(json_object_get(t0, "column")), "2023");
    assert_int_field(t0, "row", 3);

    /* values */
    json_t *values = json_object_get(root, "values");
    json_t *v = json_object_get(values, "refusion_i_alt");
    assert_string_equal(json_string_value(json_object_get(v, "unit")), "kr");
    assert_real_field(v, "value", 67345678.5);
    v = json_object_get(values, "prognose_metode");
    assert_string_equal(json_string_value(json_object_get(v, "unit")), "tekst");
    assert_string_equal(json_string_value(json_object_get(v, "value")), "Sager \"omfattet\" – æøå");
    v = json_object_get(values, "forrige_opfoelgning_dato");
    assert_string_equal(json_string_value(json_object_get(v, "value")), "2025-09-30");

    /* figures */
    /* cross-table terms: values from the other tables, the term names them */
    json_t *kryds = row_json(root, "kryds_fixture", 1);
    assert_true(json_number_value(json_object_get(kryds, "belob")) == 105850000.0);
    assert_real_field(row_json(root, "kryds_fixture", 0), "andel", 1500000.0 / 107e6);
    json_t *rule =
        json_array_get(json_object_get(table_json(root, "kryds_fixture"), "formulas"), 2);
    json_t *term0 = json_array_get(json_object_get(rule, "terms"), 0);
    assert_string_equal(json_string_value(json_object_get(term0, "table")), "gaeld");
    assert_string_equal(json_string_value(json_object_get(term0, "column")), "gaeld");
    json_t *term1 = json_array_get(json_object_get(rule, "terms"), 1);
    assert_null(json_object_get(term1, "table"));
    assert_string_equal(json_string_value(json_object_get(term1, "column")), "belob");
    json_t *fig = json_object_get(json_object_get(root, "figures"), "opfoelgning_figur");
    assert_string_equal(json_string_value(json_object_get(fig, "type")), "stacked");
    json_t *cats = json_object_get(fig, "categories");
    assert_string_equal(json_string_value(json_array_get(cats, 1)), "Maj 2025");
    json_t *s0 = json_array_get(json_object_get(fig, "series"), 0);
    assert_string_equal(json_string_value(json_object_get(s0, "key")), "udgift_25");
    /* two series labelled "Udgift (kr.)": named by their column groups */
    assert_string_equal(json_string_value(json_object_get(s0, "name")), "25 pct. refusion");
    json_decref(root);

    /* 0.47 prints as 0.47; the suppressed antal (2) appears nowhere as a value */
    size_t len;
    char *text = (char *)slurp(path, &len);
    assert_non_null(strstr(text, "\"value\": 0.47\n"));
    assert_null(strstr(text, "\"antal\": 2,"));
    free(text);
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

static void test_json_deterministic(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_diags d;
    ng_diags_init(&d);
    build_dataset(&ds);
    char a[512], b[512];
    path_in(a, sizeof a, "data_a.json");
    path_in(b, sizeof b, "data_b.json");
    assert_int_equal(ng_json_write(&ds, a, &d), NG_OK);
    assert_int_equal(ng_json_write(&ds, b, &d), NG_OK);
    size_t la, lb;
    unsigned char *pa = slurp(a, &la), *pb = slurp(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(pa, pb, la);
    free(pa);
    free(pb);
    unlink(a);
    unlink(b);
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

static void test_sheet_names(void **state)
{
    (void)state;
    char buf[128];
    assert_string_equal(ng_xlsx_sheet_name(LONG_TITLE_1, buf, sizeof buf),
                        "Økonomi på socialområdet (servi");
    assert_string_equal(ng_xlsx_sheet_name("Initiativer & netto [1.000 kr.] ø", buf, sizeof buf),
                        "Initiativer & netto 1.000 kr. ø");
    assert_string_equal(ng_xlsx_sheet_name("'a/b\\c?d*e'", buf, sizeof buf), "abcde");
    assert_string_equal(ng_xlsx_sheet_name("Bilag: [A]", buf, sizeof buf), "Bilag A");
    /* 40 × "æ" (80 bytes) cuts to 31 characters (62 bytes) */
    char ae[81] = "";
    for (int i = 0; i < 40; i++)
        strcat(ae, "æ");
    ng_xlsx_sheet_name(ae, buf, sizeof buf);
    assert_int_equal(strlen(buf), 62);
    /* a cut that lands on a space drops the space */
    assert_string_equal(ng_xlsx_sheet_name("abcdefghij abcdefghij abcdefghi jkl", buf, sizeof buf),
                        "abcdefghij abcdefghij abcdefghi");
}

static ng_status write_bilag(const ng_dataset *ds, const char *name, const ng_xlsx_options *o,
                             char *path, size_t size)
{
    ng_diags d;
    ng_diags_init(&d);
    path_in(path, size, name);
    ng_status st = ng_xlsx_write(ds, o, path, &d);
    if (st != NG_OK)
        ng_diags_print(&d, stderr);
    ng_diags_free(&d);
    return st;
}

static const ng_xlsx_options base_options = {
    .created_epoch = 1761868800, /* 2025-10-31 00:00 UTC */
    .title = "Bilag: Særligt dyre enkeltsager",
    .author = "Økonomi",
};

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A page header carries a table's title; in a header '&' starts a code.
 * An initiative named "&G" or "&[Picture]" once reached libxlsxwriter
 * unescaped (or escaped as "&&G", which libxlsxwriter still counts as a
 * picture): it then freed the header twice (heap corruption, exit 134). Each
 * '&' is doubled, a bold code parts "&&" from a following G or [, and a
 * title too long for Excel's 255 characters is shortened with "…". */
static void test_page_header_codes(void **state)
{
    (void)state;
    char buf[NG_XLSX_HEADER_MAX + 1];
    assert_string_equal(ng_xlsx_header_text("Tiltag &G", buf, sizeof buf),
                        "&C&\"-,Bold\"Tiltag &&&\"-,Bold\"G");
    assert_string_equal(ng_xlsx_header_text("&[Picture]", buf, sizeof buf),
                        "&C&\"-,Bold\"&&&\"-,Bold\"[Picture]");
    assert_string_equal(ng_xlsx_header_text("Børn & unge &P", buf, sizeof buf),
                        "&C&\"-,Bold\"Børn && unge &&P");
    assert_null(strstr(ng_xlsx_header_text("&&G&G&[Picture]", buf, sizeof buf) + 3, "&G"));
    char name[1200] = "";
    for (int i = 0; i < 40; i++)
        strcat(name, "Ældre & børn ");
    ng_xlsx_header_text(name, buf, sizeof buf);
    assert_true(utf8_chars(buf) <= NG_XLSX_HEADER_MAX);
    assert_string_equal(buf + strlen(buf) - 3, "…");
    assert_null(strstr(buf, "&G"));

    /* the whole workbook with such titles: written, and the headers in the
     * XML are the escaped ones */
    ng_dataset ds;
    ng_dataset_init(&ds);
    const char *titles[] = {"Tiltag &G", "&[Picture]", name};
    for (int i = 0; i < 3; i++) {
        char key[16];
        snprintf(key, sizeof key, "initiativ_%d", i + 1);
        ng_table *t = ng_table_new(key, titles[i]);
        ng_table_add_column(t, "linje", "Linje", NG_UNIT_TEXT);
        int c = ng_table_add_column(t, "2025", "2025", NG_UNIT_MIO);
        int r = ng_table_add_row(t, "linje_1", 0);
        ng_table_set_text(t, r, 0, "Investering");
        ng_table_set_num(t, r, c, 1.5e6);
        assert_int_equal(ng_dataset_add_evaluated(&ds, t), NG_OK);
    }
    char path[512];
    assert_int_equal(write_bilag(&ds, "ampersand.xlsx", &base_options, path, sizeof path), NG_OK);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "unzip -p '%s' 'xl/worksheets/sheet*.xml'", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    ng_strbuf xml = {0};
    ng_strbuf_add_stream(&xml, p);
    assert_int_equal(pclose(p), 0);
    assert_non_null(strstr(ng_strbuf_str(&xml), "<oddHeader>&amp;C&amp;\"-,Bold\"Tiltag "
                                                "&amp;&amp;&amp;\"-,Bold\"G</oddHeader>"));
    assert_non_null(strstr(ng_strbuf_str(&xml), "&amp;&amp;&amp;\"-,Bold\"[Picture]"));
    ng_strbuf_free(&xml);
    unlink(path);
    ng_dataset_free(&ds);
}

static void test_xlsx_deterministic(void **state)
{
    (void)state;
    ng_dataset ds;
    build_dataset(&ds);
    char a[512], b[512];
    assert_int_equal(write_bilag(&ds, "bilag.xlsx", &base_options, a, sizeof a), NG_OK);
    assert_private(a);
    sleep(1); /* a clock leaking into the file would now differ */
    assert_int_equal(write_bilag(&ds, "bilag_b.xlsx", &base_options, b, sizeof b), NG_OK);
    size_t la, lb;
    unsigned char *pa = slurp(a, &la), *pb = slurp(b, &lb);
    assert_true(la > 1000);
    assert_int_equal(la, lb);
    assert_memory_equal(pa, pb, la);
    free(pa);
    free(pb);
    unlink(b);
    /* the companion data.json for the e2e check */
    ng_diags d;
    ng_diags_init(&d);
    path_in(a, sizeof a, "data.json");
    assert_int_equal(ng_json_write(&ds, a, &d), NG_OK);
    ng_diags_free(&d);
    ng_dataset_free(&ds);
}

static void test_xlsx_only_tables(void **state)
{
    (void)state;
    ng_dataset ds;
    build_dataset(&ds);
    static const char *const only[] = {"refusion_per_trin", NULL};
    ng_xlsx_options o = base_options;
    o.only_tables = only;
    char a[512], b[512];
    assert_int_equal(write_bilag(&ds, "bilag_en.xlsx", &o, a, sizeof a), NG_OK);
    assert_int_equal(write_bilag(&ds, "bilag_alle.xlsx", &base_options, b, sizeof b), NG_OK);
    size_t la, lb;
    free(slurp(a, &la));
    free(slurp(b, &lb));
    assert_true(la < lb); /* fewer sheets, fewer charts */
    unlink(a);
    unlink(b);
    /* a table whose terms read tables left out: values without formulas */
    static const char *const cross_only[] = {"kryds_fixture", NULL};
    o.only_tables = cross_only;
    assert_int_equal(write_bilag(&ds, "bilag_kryds.xlsx", &o, a, sizeof a), NG_OK);
    unlink(a);
    ng_dataset_free(&ds);
}

/* The internal case list, as the refusion module publishes it. */
static void add_case_list(ng_dataset *ds, size_t n, const char *second_key)
{
    ng_table *t = ng_table_new("sagsliste", "Sager (intern liste)");
    t->internal = true;
    ng_table_add_column(t, "sag", "Sag", NG_UNIT_TEXT);
    ng_table_add_column(t, "omraade", "Område", NG_UNIT_TEXT);
    ng_table_add_column(t, "udgift", "Udgift", NG_UNIT_KR);
    ng_table_add_column(t, "trin", "Trin", NG_UNIT_ANTAL);
    for (size_t i = 0; i < n; i++) {
        char key[16];
        snprintf(key, sizeof key, "P%05zu", i % 64);
        int r = ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, r, 0, i == 1 && second_key ? second_key : key);
        ng_table_set_text(t, r, 1, i % 3 == 0 ? "voksen" : i % 3 == 1 ? "boern" : "aeldre");
        ng_table_set_num(t, r, 2, 1000000.0 + 1000.0 * (double)i);
        ng_table_set_num(t, r, 3, (double)(i % 4) * 25);
    }
    assert_int_equal(ng_dataset_add_table(ds, t), NG_OK);
}

/* A table longer than constant_memory_rows: the constant_memory path. */
static void test_xlsx_case_list(void **state)
{
    (void)state;
    ng_dataset ds;
    build_dataset(&ds);
    add_case_list(&ds, 50, NULL);
    ng_xlsx_options o = base_options;
    o.constant_memory_rows = 10;
    char a[512];
    assert_int_equal(write_bilag(&ds, "bilag_sager.xlsx", &o, a, sizeof a), NG_OK);
    assert_private(a);
    /* the internal list never reaches data.json */
    ng_diags d;
    ng_diags_init(&d);
    path_in(a, sizeof a, "data_sager.json");
    assert_int_equal(ng_json_write(&ds, a, &d), NG_OK);
    size_t len;
    char *json = (char *)slurp(a, &len);
    assert_null(strstr(json, "sagsliste"));
    assert_null(strstr(json, "P00001"));
    free(json);
    ng_diags_free(&d);
    ng_dataset_free(&ds);
}

/* The case list is a table of the dataset: the CPR guard sees it like any
 * other, so a CPR-like key stops the run before the bilag is written. */
static void test_xlsx_refuses_cpr_key(void **state)
{
    (void)state;
    ng_dataset ds;
    build_dataset(&ds);
    add_case_list(&ds, 2, "010190-1234");
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_guard_dataset(&ds, &d), NG_ERR_PRIVACY);
    ng_diags_free(&d);
    ng_dataset_free(&ds);
}

/* A rule pointing outside its table is a bug: no file is left behind. */
static void test_xlsx_bad_rule(void **state)
{
    (void)state;
    ng_dataset ds;
    build_dataset(&ds);
    ng_table *t = ng_dataset_table(&ds, "netto_fixture");
    t->rows[2].cells[1].rule.terms[0].row = 99;
    char a[512];
    assert_int_equal(write_bilag(&ds, "bilag_fejl.xlsx", &base_options, a, sizeof a),
                     NG_ERR_INTERNAL);
    assert_int_equal(access(a, F_OK), -1);
    ng_dataset_free(&ds);
}

/* For the e2e test: the gaeld 2024 cell caches 144,0 where its formula gives
 * 143,0. Only LibreOffice's recalculation can notice. */
static void test_xlsx_wrong_fixture(void **state)
{
    (void)state;
    if (!getenv("NG_XLSX_OUT"))
        skip();
    ng_dataset ds;
    build_dataset(&ds);
    ng_table *t = ng_dataset_table(&ds, "budget_fixture");
    t->rows[3].cells[3].num += 1e6;
    char a[512];
    assert_int_equal(write_bilag(&ds, "bilag_forkert.xlsx", &base_options, a, sizeof a), NG_OK);
    ng_diags d;
    ng_diags_init(&d);
    path_in(a, sizeof a, "data_forkert.json");
    assert_int_equal(ng_json_write(&ds, a, &d), NG_OK);
    ng_diags_free(&d);
    ng_dataset_free(&ds);
}

/* A curve's colour is the one its name calls it, in any case and anywhere in
 * the name, as a whole word; otherwise the palette's by index (the PDF and
 * the bilag share it). */
static void test_series_colours(void **state)
{
    (void)state;
    assert_int_equal(
        ng_series_colour("Budget inkl. forv. demografi og merindtægt SDES (gul kurve)", 3, true),
        0xE8A800);
    assert_int_equal(ng_series_colour("Forventet udgift før SØP (RØD KURVE)", 0, true), 0xD12126);
    assert_int_equal(ng_series_colour("(blå kurve) Forventet udgift", 0, false), 0x2154B8);
    assert_int_equal(ng_series_colour("Grøn: inkl. alt", 0, true), 0x29943D);
    /* no colour word: "Gulvvarme" is not gul, "grønt" not grøn */
    assert_int_equal(ng_series_colour("Gulvvarme og grønt", 1, true), 0xD12126);
    assert_int_equal(ng_series_colour(NULL, 0, true), 0xE8A800);
    assert_int_equal(ng_series_colour(NULL, 7, false), 0x99BFE6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_values),          cmocka_unit_test(test_json_deterministic),
        cmocka_unit_test(test_sheet_names),          cmocka_unit_test(test_xlsx_deterministic),
        cmocka_unit_test(test_xlsx_only_tables),     cmocka_unit_test(test_xlsx_case_list),
        cmocka_unit_test(test_xlsx_refuses_cpr_key), cmocka_unit_test(test_xlsx_bad_rule),
        cmocka_unit_test(test_xlsx_wrong_fixture),   cmocka_unit_test(test_series_colours),
        cmocka_unit_test(test_page_header_codes),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    remove_scratch();
    return failed;
}
