/* test_refusion.c -- the refusion arithmetic (data-driven from
 * tests/data/refusion_spec.txt), thresholds, refusion units (households, the
 * 67+ rule) and the SDE tables on hand-built cases with hand-computed numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "notatgen/dk.h"
#include "notatgen/ingest.h"
#include "notatgen/refusion.h"
#include "notatgen/table.h"

#define KR(x) ((int64_t)(x)*100)

/* ---- the spec file --------------------------------------------------- */

typedef struct {
    char title[256];
    long line;
    int aar;
    bool has_yearly, has_months, has_trin, has_expected;
    int64_t yearly;  /* øre */
    int64_t m12[12]; /* 12 x month, øre */
    int trin;
    int64_t expected; /* øre */
    bool undecided;   /* forventet: uafklaret */
    /* the 67+ rule: a person with a birth year goes through the units */
    int foedselsaar, foedselsmaaned;
    ng_tristate foer67;
    bool has_december;
    int64_t december; /* øre: December of the year before */
} spec_case;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static bool parse_kr(const char *s, int64_t *oere)
{
    return ng_parse_amount(s, NG_DECIMAL_AUTO, NG_SCALE_KR, oere, NULL) == NG_OK;
}

/* "400.000, 400.000, 0 x 10": items separated by ", ", "AMOUNT x N" repeats. */
static bool parse_months(char *s, int64_t m12[12])
{
    int n = 0;
    char *item = s;
    while (item) {
        char *sep = strstr(item, ", ");
        if (sep)
            *sep = '\0';
        char *amount = trim(item);
        long times = 1;
        char *x = strstr(amount, " x ");
        if (x) {
            *x = '\0';
            if (ng_parse_int(trim(x + 3), &times, NULL) != NG_OK || times < 1)
                return false;
        }
        int64_t oere;
        if (!parse_kr(trim(amount), &oere))
            return false;
        for (long k = 0; k < times; k++) {
            if (n >= 12)
                return false;
            m12[n++] = 12 * oere;
        }
        item = sep ? sep + 2 : NULL;
    }
    return n == 12;
}

static bool parse_field(spec_case *c, char *line)
{
    char *colon = strchr(line, ':');
    if (!colon)
        return false;
    *colon = '\0';
    char *key = trim(line), *val = trim(colon + 1);
    long v;
    if (!strcmp(key, "aar")) {
        if (ng_parse_int(val, &v, NULL) != NG_OK)
            return false;
        c->aar = (int)v;
        return true;
    }
    if (!strcmp(key, "trin")) {
        if (ng_parse_int(val, &v, NULL) != NG_OK)
            return false;
        c->trin = (int)v;
        return c->has_trin = true;
    }
    if (!strcmp(key, "aarsbeloeb"))
        return c->has_yearly = parse_kr(val, &c->yearly);
    if (!strcmp(key, "maaneder"))
        return c->has_months = parse_months(val, c->m12);
    if (!strcmp(key, "forventet")) {
        if (!strcmp(val, "uafklaret"))
            return c->has_expected = c->undecided = true;
        return c->has_expected = parse_kr(val, &c->expected);
    }
    if (!strcmp(key, "foedselsaar") || !strcmp(key, "foedselsmaaned")) {
        if (ng_parse_int(val, &v, NULL) != NG_OK)
            return false;
        if (!strcmp(key, "foedselsaar"))
            c->foedselsaar = (int)v;
        else
            c->foedselsmaaned = (int)v;
        return true;
    }
    if (!strcmp(key, "foer67")) {
        c->foer67 = !strcmp(val, "ja") ? NG_YES : !strcmp(val, "nej") ? NG_NO : NG_UNKNOWN;
        return c->foer67 != NG_UNKNOWN;
    }
    if (!strcmp(key, "december_aaret_foer"))
        return c->has_december = parse_kr(val, &c->december);
    return false;
}

/* A case with a person's attributes: one adult through ng_refusion_compute,
 * so the 67+ rule decides which months count. *undecided tells whether
 * coverage could not be decided. */
static int64_t person_refusion(const spec_case *c, const ng_threshold_year *y, bool *undecided)
{
    ng_cases *cases = ng_cases_new();
    ng_sag *s = ng_cases_get_or_add(cases, "person");
    s->omraade = NG_OMR_VOKSEN;
    s->foedselsaar = c->foedselsaar;
    s->foedselsmaaned = c->foedselsmaaned;
    s->foer67 = c->foer67;
    ng_sag_year *yr = ng_sag_year_get_or_add(s, c->aar);
    for (int m = 0; m < 12; m++)
        yr->m12[m] = c->has_yearly ? c->yearly : c->m12[m];
    if (c->has_december)
        ng_sag_year_get_or_add(s, c->aar - 1)->m12[11] = 12 * c->december;
    ng_cases_finish(cases);
    ng_diags diags;
    ng_diags_init(&diags);
    ng_refusion_result r;
    int64_t got = -1;
    *undecided = false;
    if (ng_refusion_compute(cases, y, c->aar, &r, &diags) == NG_OK && r.n == 1) {
        got = r.units[0].refusion;
        *undecided = r.units[0].undecided67;
        ng_refusion_result_free(&r);
    }
    ng_diags_free(&diags);
    ng_cases_free(cases);
    return got;
}

/* Runs one case; returns a failure message in buf, or NULL. */
static const char *run_case(const spec_case *c, const ng_thresholds *thr, char *buf, size_t size)
{
    const ng_threshold_year *y = ng_thresholds_for(thr, c->aar);
    if (!y)
        return snprintf(buf, size, "no thresholds for %d", c->aar), buf;
    if (!c->has_expected || c->has_yearly == c->has_months)
        return snprintf(buf, size, "needs forventet and one of aarsbeloeb/maaneder"), buf;
    bool person = c->foedselsaar > 0 || c->foer67 != NG_UNKNOWN, undecided = false;
    if (c->undecided && !person)
        return snprintf(buf, size, "uafklaret needs a person (foedselsaar)"), buf;
    int64_t got = person          ? person_refusion(c, y, &undecided)
                  : c->has_yearly ? ng_refusion_yearly_amount(c->yearly, y)
                                  : ng_refusion_year(c->m12, y);
    char want_s[48], got_s[48];
    if (undecided != c->undecided)
        return snprintf(buf, size, "%s, expected %s", undecided ? "uafklaret" : "afgjort",
                        c->undecided ? "uafklaret" : "afgjort"),
               buf;
    if (!c->undecided && got != c->expected)
        return snprintf(buf, size, "refusion %s kr., expected %s kr.",
                        ng_fmt_dec(got_s, sizeof got_s, (double)got / 100, 2),
                        ng_fmt_dec(want_s, sizeof want_s, (double)c->expected / 100, 2)),
               buf;
    if (c->has_trin) {
        int64_t yearly = c->yearly;
        if (c->has_months) {
            yearly = 0;
            for (int m = 0; m < 12; m++)
                yearly += c->m12[m];
            yearly /= 12;
        }
        int trin = ng_refusion_trin(yearly, y);
        if (trin != c->trin)
            return snprintf(buf, size, "trin %d, expected %d", trin, c->trin), buf;
    }
    return NULL;
}

static void test_spec_file(void **state)
{
    (void)state;
    ng_diags diags;
    ng_diags_init(&diags);
    ng_thresholds thr;
    assert_int_equal(ng_thresholds_load(ng_thresholds_default_path(), NULL, &thr, &diags), NG_OK);
    FILE *f = fopen(NG_TEST_DATA "/refusion_spec.txt", "r");
    assert_non_null(f);
    char line[1024], msg[256];
    long lineno = 0;
    int ncases = 0, nfailed = 0;
    spec_case c;
    bool in_case = false;
    for (;;) {
        bool eof = !fgets(line, sizeof line, f);
        if (!eof)
            lineno++;
        char *l = eof ? (char *)"" : trim(line);
        if (in_case && !*l) {
            ncases++;
            const char *why = run_case(&c, &thr, msg, sizeof msg);
            if (why) {
                nfailed++;
                print_error("refusion_spec.txt:%ld: \"%s\": %s\n", c.line, c.title, why);
            }
            in_case = false;
        }
        if (eof)
            break;
        if (!strncmp(l, "### ", 4)) {
            memset(&c, 0, sizeof c);
            snprintf(c.title, sizeof c.title, "%s", l + 4);
            c.line = lineno;
            in_case = true;
        } else if (in_case && !parse_field(&c, l)) {
            nfailed++;
            print_error("refusion_spec.txt:%ld: \"%s\": cannot read '%s'\n", lineno, c.title, l);
        }
    }
    fclose(f);
    ng_thresholds_free(&thr);
    ng_diags_free(&diags);
    /* The file must hold its cases: a parser that reads nothing must fail. */
    assert_true(ncases >= 61);
    assert_int_equal(nfailed, 0);
}

/* ---- arithmetic checks independent of the file ------------------------ */

static const ng_threshold_year thr2022 = {2022, 860000, 1680000, 2120000, NULL};
static const ng_threshold_year thr2025 = {2025, 940000, 1840000, 2330000, NULL};

static void test_spec_examples(void **state)
{
    (void)state;
    assert_int_equal(ng_refusion_yearly_amount(KR(2400000), &thr2022), KR(635000));
    int64_t m12[12] = {0};
    for (int m = 0; m < 6; m++)
        m12[m] = 12 * KR(400000);
    assert_int_equal(ng_refusion_year(m12, &thr2022), KR(1217500));
}

static void test_tiers(void **state)
{
    (void)state;
    assert_int_equal(ng_refusion_trin(KR(940000), &thr2025), 0);
    assert_int_equal(ng_refusion_trin(KR(940000) + 1, &thr2025), 25);
    assert_int_equal(ng_refusion_trin(KR(1840000), &thr2025), 25);
    assert_int_equal(ng_refusion_trin(KR(1840000) + 1, &thr2025), 50);
    assert_int_equal(ng_refusion_trin(KR(2330000), &thr2025), 50);
    assert_int_equal(ng_refusion_trin(KR(2330000) + 1, &thr2025), 75);
    assert_int_equal(ng_refusion_trin(-KR(5000000), &thr2025), 0);
}

/* ---- thresholds ------------------------------------------------------ */

static void test_thresholds_file(void **state)
{
    (void)state;
    ng_diags diags;
    ng_diags_init(&diags);
    ng_thresholds thr;
    assert_int_equal(ng_thresholds_load(ng_thresholds_default_path(), NULL, &thr, &diags), NG_OK);
    assert_int_equal(thr.n, 3);
    assert_int_equal(thr.years[0].aar, 2021);
    assert_int_equal(thr.years[2].aar, 2025);
    const ng_threshold_year *y = ng_thresholds_for(&thr, 2022);
    assert_non_null(y);
    assert_int_equal(y->t1, 860000);
    assert_int_equal(y->t2, 1680000);
    assert_int_equal(y->t3, 2120000);
    /* the source text keeps its own ';' */
    assert_non_null(strstr(y->kilde, "; the same limits"));
    assert_null(ng_thresholds_for(&thr, 2023));
    assert_int_equal(ng_thresholds_require(&thr, 2025, &diags), NG_OK);
    assert_int_equal(diags.count, 0);
    ng_thresholds_free(&thr);
    ng_diags_free(&diags);
}

static void test_thresholds_config_override(void **state)
{
    (void)state;
    ng_threshold_year extra[2] = {{2026, 960000, 1880000, 2380000, NULL},
                                  {2022, 1, 2, 3, (char *)"rettet"}};
    ng_refusion_options cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.taerskler = extra;
    cfg.ntaerskler = 2;
    ng_diags diags;
    ng_diags_init(&diags);
    ng_thresholds thr;
    assert_int_equal(ng_thresholds_load(ng_thresholds_default_path(), &cfg, &thr, &diags), NG_OK);
    assert_int_equal(thr.n, 4);
    assert_int_equal(thr.years[3].aar, 2026); /* sorted */
    const ng_threshold_year *y = ng_thresholds_for(&thr, 2026);
    assert_non_null(y);
    assert_int_equal(y->t2, 1880000);
    assert_string_equal(y->kilde, "konfigurationen");
    y = ng_thresholds_for(&thr, 2022);
    assert_int_equal(y->t1, 1);
    assert_int_equal(y->t3, 3);
    assert_string_equal(y->kilde, "rettet");
    assert_int_equal(ng_thresholds_for(&thr, 2025)->t1, 940000); /* untouched */
    ng_thresholds_free(&thr);

    /* a configured year out of order is refused */
    extra[0].t2 = 900000;
    assert_int_equal(ng_thresholds_load(ng_thresholds_default_path(), &cfg, &thr, &diags),
                     NG_ERR_CONFIG);
    assert_int_equal(thr.n, 0);
    ng_diags_free(&diags);
}

static void test_thresholds_missing_year(void **state)
{
    (void)state;
    ng_diags diags;
    ng_diags_init(&diags);
    ng_thresholds thr;
    assert_int_equal(ng_thresholds_load(ng_thresholds_default_path(), NULL, &thr, &diags), NG_OK);
    assert_int_equal(ng_thresholds_require(&thr, 2026, &diags), NG_ERR_THRESHOLDS);
    assert_int_equal(ng_exit_code(NG_ERR_THRESHOLDS), 2);
    assert_int_equal(diags.count, 1);
    assert_string_equal(diags.items[0].message,
                        "der mangler refusionsgrænser for 2026. Tilføj dem i konfigurationen:\n"
                        "  [taerskler]\n"
                        "  2026 = T1 T2 T3   (kr. pr. år, fx 2026 = 960.000 1.880.000 2.380.000)");
    ng_thresholds_free(&thr);
    ng_diags_free(&diags);
}

static void test_thresholds_bad_file(void **state)
{
    (void)state;
    char path[] = "/tmp/ng_thr_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("# comment\naar;t1;t2;t3;kilde\n2024;900000;1800000;2300000;x\n2025;94O000;1;2;y\n", f);
    fclose(f);
    ng_diags diags;
    ng_diags_init(&diags);
    ng_thresholds thr;
    assert_int_equal(ng_thresholds_load(path, NULL, &thr, &diags), NG_ERR_CONFIG);
    assert_int_equal(diags.count, 1);
    assert_int_equal(diags.items[0].line, 4);
    assert_non_null(strstr(diags.items[0].message, "94O000"));
    ng_diags_free(&diags);
    remove(path);

    ng_diags_init(&diags);
    assert_int_equal(ng_thresholds_load("/nonexistent/thresholds.csv", NULL, &thr, &diags),
                     NG_ERR_IO);
    ng_diags_free(&diags);
}

/* ---- units ------------------------------------------------------------- */

static ng_sag *add_case(ng_cases *c, const char *id, ng_omraade omr, int foedselsaar,
                        ng_tristate foer67, int aar, int64_t yearly_kr)
{
    ng_sag *s = ng_cases_get_or_add(c, id);
    assert_non_null(s);
    s->omraade = omr;
    s->foedselsaar = foedselsaar;
    s->foer67 = foer67;
    ng_sag_year *y = ng_sag_year_get_or_add(s, aar);
    assert_non_null(y);
    for (int m = 0; m < 12; m++)
        y->m12[m] = KR(yearly_kr); /* 12 x (yearly / 12) */
    return s;
}

static const ng_refusion_unit *unit(const ng_refusion_result *r, const char *key)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->units[i].key, key))
            return &r->units[i];
    fail_msg("no unit %s", key);
    return NULL;
}

static bool diags_mention(const ng_diags *d, const char *text)
{
    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->items[i].message, text))
            return true;
    return false;
}

static void test_67_plus(void **state)
{
    (void)state;
    ng_cases *c = ng_cases_new();
    /* 75 years old in 2025 */
    add_case(c, "A-ja", NG_OMR_AELDRE, 1950, NG_YES, 2025, 1200000);
    add_case(c, "B-nej", NG_OMR_AELDRE, 1950, NG_NO, 2025, 1200000);
    add_case(c, "C-ukendt", NG_OMR_AELDRE, 1950, NG_UNKNOWN, 2025, 1200000);
    /* 67 in 2025, born in June: May decides */
    ng_sag *s = add_case(c, "D-maj-hoej", NG_OMR_VOKSEN, 1958, NG_UNKNOWN, 2025, 1200000);
    s->foedselsmaaned = 6;
    s->years[0].m12[4] = 12 * KR(100000); /* 1.200.000 > t1 */
    s = add_case(c, "E-maj-lav", NG_OMR_VOKSEN, 1958, NG_UNKNOWN, 2025, 1200000);
    s->foedselsmaaned = 6;
    s->years[0].m12[4] = 12 * KR(50000); /* 600.000 < t1 */
    /* born in January: December of the year before decides */
    s = add_case(c, "F-jan", NG_OMR_VOKSEN, 1958, NG_UNKNOWN, 2025, 1200000);
    s->foedselsmaaned = 1;
    ng_sag_year_get_or_add(s, 2024)->m12[11] = 12 * KR(100000);
    s = add_case(c, "G-jan-uden-2024", NG_OMR_VOKSEN, 1958, NG_UNKNOWN, 2025, 1200000);
    s->foedselsmaaned = 1;
    add_case(c, "H-66", NG_OMR_VOKSEN, 1959, NG_UNKNOWN, 2025, 1200000);
    ng_cases_finish(c);

    ng_diags diags;
    ng_diags_init(&diags);
    ng_refusion_result r;
    assert_int_equal(ng_refusion_compute(c, &thr2025, 2025, &r, &diags), NG_OK);
    assert_int_equal(r.n, 8);
    /* 1.200.000 evenly at 2025: 25 % of 260.000 = 65.000 kr. */
    const ng_refusion_unit *u = unit(&r, "A-ja");
    assert_true(u->covered);
    assert_int_equal(u->alder, 75);
    assert_int_equal(u->refusion, KR(65000));
    u = unit(&r, "B-nej");
    assert_false(u->covered);
    assert_false(u->undecided67);
    assert_int_equal(u->trin, 25);
    assert_int_equal(u->refusion, 0);
    u = unit(&r, "C-ukendt");
    assert_false(u->covered);
    assert_true(u->undecided67);
    assert_int_equal(u->refusion, 0);
    assert_true(unit(&r, "D-maj-hoej")->covered);
    assert_true(unit(&r, "D-maj-hoej")->refusion > 0);
    /* May is below t1/12, so from June on he is not covered, but January to
     * April (100.000 kr. each) are, as for anyone under 67: 4 x 25 % x
     * (100.000 - 78.333,33) = 21.666,67 kr.; May (50.000) gives nothing */
    assert_true(unit(&r, "E-maj-lav")->covered);
    assert_false(unit(&r, "E-maj-lav")->undecided67);
    assert_int_equal(unit(&r, "E-maj-lav")->refusion, 2166667);
    assert_true(unit(&r, "F-jan")->covered);
    assert_true(unit(&r, "G-jan-uden-2024")->undecided67);
    assert_true(unit(&r, "H-66")->covered);
    assert_int_equal(unit(&r, "H-66")->refusion, KR(65000));
    assert_int_equal(r.undecided67, 2);
    assert_int_equal(diags.warnings, 2);
    assert_true(diags_mention(&diags, "sag C-ukendt er 75 år i 2025"));
    assert_true(diags_mention(&diags, "sag G-jan-uden-2024 er 67 år i 2025"));
    ng_refusion_result_free(&r);
    ng_diags_free(&diags);
    ng_cases_free(c);
}

static void test_household(void **state)
{
    (void)state;
    ng_cases *c = ng_cases_new();
    static const char *const ids[3] = {"barn-3", "barn-1", "barn-2"};
    for (int i = 0; i < 3; i++) {
        ng_sag *s = add_case(c, ids[i], NG_OMR_BOERN, 2012, NG_UNKNOWN, 2025, 700000);
        assert_int_equal(ng_cases_set_string(c, &s->husstand, "H1"), NG_OK);
    }
    ng_sag *s = add_case(c, "barn-alene", NG_OMR_BOERN, 2010, NG_UNKNOWN, 2025, 700000);
    assert_int_equal(ng_cases_set_string(c, &s->husstand, "H2"), NG_OK);
    add_case(c, "barn-uden-husstand", NG_OMR_BOERN, 2010, NG_UNKNOWN, 2025, 1000000);
    /* an adult sharing the key is a person of his own */
    s = add_case(c, "voksen-H1", NG_OMR_VOKSEN, 1990, NG_UNKNOWN, 2025, 700000);
    assert_int_equal(ng_cases_set_string(c, &s->husstand, "H1"), NG_OK);
    ng_cases_finish(c);

    ng_diags diags;
    ng_diags_init(&diags);
    ng_refusion_result r;
    assert_int_equal(ng_refusion_compute(c, &thr2025, 2025, &r, &diags), NG_OK);
    assert_int_equal(r.n, 4);
    const ng_refusion_unit *u = unit(&r, "husstand:H1");
    assert_int_equal(u->nsager, 3);
    assert_int_equal(u->udgift, KR(2100000));
    assert_int_equal(u->trin, 50);
    assert_string_equal(u->sag->sag_id, "barn-1");
    /* the refusion of the sum: 25 % of 900.000 + 50 % of 260.000 = 355.000,
     * where three separate children of 700.000 would give nothing */
    assert_int_equal(u->refusion, KR(355000));
    assert_int_equal(ng_refusion_yearly_amount(KR(700000), &thr2025), 0);
    u = unit(&r, "husstand:H2");
    assert_int_equal(u->nsager, 1);
    assert_int_equal(u->refusion, 0);
    u = unit(&r, "barn-uden-husstand");
    assert_int_equal(u->refusion, KR(15000));
    assert_int_equal(unit(&r, "voksen-H1")->nsager, 1);
    assert_int_equal(diags.count, 0);
    ng_refusion_result_free(&r);
    ng_diags_free(&diags);
    ng_cases_free(c);
}

/* ---- SDE tables ------------------------------------------------------ */

static double num(const ng_dataset *ds, const char *table, const char *row, const char *col)
{
    const ng_table *t = ng_dataset_table(ds, table);
    if (!t)
        fail_msg("no table %s", table);
    const ng_cell *cell = ng_table_cell(t, ng_table_row(t, row), ng_table_col(t, col));
    if (!cell || cell->type != NG_CELL_NUM)
        fail_msg("%s[%s][%s] is not a number", table, row, col);
    return cell->num;
}

static const char *text(const ng_dataset *ds, const char *table, const char *row, const char *col)
{
    const ng_table *t = ng_dataset_table(ds, table);
    const ng_cell *cell = ng_table_cell(t, ng_table_row(t, row), ng_table_col(t, col));
    if (!cell || cell->type != NG_CELL_TEXT)
        fail_msg("%s[%s][%s] is not text", table, row, col);
    return cell->text;
}

#define assert_num(ds, t, r, c, v)                                                                 \
    do {                                                                                           \
        double got_ = num(ds, t, r, c);                                                            \
        if (fabs(got_ - (double)(v)) > 1e-6)                                                       \
            fail_msg("%s[%s][%s] = %.6f, expected %.6f", t, r, c, got_, (double)(v));              \
    } while (0)

static double value(const ng_dataset *ds, const char *name)
{
    const ng_value *v = ng_dataset_value(ds, name);
    if (!v)
        fail_msg("no value %s", name);
    return v->num;
}

/* The constructed set (2022 thresholds 860.000 / 1.680.000 / 2.120.000):
 *   voksen: 7 x 1.000.000 (25 %, refusion 35.000 each), 2 x 2.000.000 (50 %,
 *           365.000 each), 1 x 2.200.000 (75 %, 485.000), 1 x 500.000 (none)
 *   boern:  1 x 1.600.000 (25 %, 185.000)
 *   aeldre: 1 x 1.200.000 aged 70 with foer67 (25 %, 85.000),
 *           1 x 3.000.000 aged 80 without (not covered)
 * The 50/75 tiers are 3 of 10 adult cases (30 %) and 6,2 of 13,2 mio. kr.
 * (46,97 % -> "47 %"). */
static ng_cases *sde_cases(void)
{
    ng_cases *c = ng_cases_new();
    char id[32];
    for (int i = 0; i < 7; i++) {
        snprintf(id, sizeof id, "V25-%d", i);
        ng_sag *s = add_case(c, id, NG_OMR_VOKSEN, i < 2 ? 1997 : 1972, NG_UNKNOWN, 2022, 1000000);
        ng_cases_set_string(c, &s->maalgruppe, i == 0 ? "Udviklingshæmning" : "udviklingshæmning");
        ng_cases_set_string(c, &s->leverandoertype, "kommunal");
        ng_cases_set_string(c, &s->kommune, i < 4 ? "730" : "751");
    }
    for (int i = 0; i < 2; i++) {
        snprintf(id, sizeof id, "V50-%d", i);
        ng_sag *s = add_case(c, id, NG_OMR_VOKSEN, 1972, NG_UNKNOWN, 2022, 2000000);
        ng_cases_set_string(c, &s->maalgruppe, "autisme");
        ng_cases_set_string(c, &s->leverandoertype, "Privat");
        ng_cases_set_string(c, &s->kommune, i == 0 ? "730" : "751");
    }
    ng_sag *s = add_case(c, "V75", NG_OMR_VOKSEN, 1997, NG_UNKNOWN, 2022, 2200000);
    ng_cases_set_string(c, &s->maalgruppe, " ");
    ng_cases_set_string(c, &s->leverandoertype, "udland");
    ng_cases_set_string(c, &s->kommune, "730");
    s = add_case(c, "V0", NG_OMR_VOKSEN, 1972, NG_UNKNOWN, 2022, 500000);
    ng_cases_set_string(c, &s->kommune, "730");
    s = add_case(c, "B25", NG_OMR_BOERN, 2010, NG_UNKNOWN, 2022, 1600000);
    ng_cases_set_string(c, &s->maalgruppe, "autisme");
    ng_cases_set_string(c, &s->leverandoertype, "regional");
    add_case(c, "AE25", NG_OMR_AELDRE, 1952, NG_YES, 2022, 1200000);
    add_case(c, "AE-ikke", NG_OMR_AELDRE, 1942, NG_NO, 2022, 3000000);
    ng_cases_finish(c);
    return c;
}

static void test_sde_tables(void **state)
{
    (void)state;
    ng_cases *c = sde_cases();
    ng_diags diags;
    ng_diags_init(&diags);
    ng_refusion_result r;
    assert_int_equal(ng_refusion_compute(c, &thr2022, 2022, &r, &diags), NG_OK);
    ng_dataset ds;
    ng_dataset_init(&ds);
    ds.udtraek_dato = (ng_date){2025, 10, 31};
    assert_int_equal(ng_sde_tables(&r, c, &thr2022, NULL, &ds, &diags), NG_OK);
    assert_int_equal(diags.count, 0);

    /* taerskler */
    assert_num(&ds, "taerskler", "ingen", "graense", 860000);
    assert_num(&ds, "taerskler", "t1", "graense", 860000);
    assert_num(&ds, "taerskler", "t2", "graense", 1680000);
    assert_num(&ds, "taerskler", "t3", "graense", 2120000);
    assert_string_equal(text(&ds, "taerskler", "t3", "beskrivelse"),
                        "Refusion på 75 pct. af udgiften over");
    assert_string_equal(ng_dataset_table(&ds, "taerskler")->source,
                        "Kilde: udtræk pr. 31-10-2025, egne beregninger");

    /* refusion_per_trin: adult, covered, trin > 0 */
    assert_num(&ds, "refusion_per_trin", "25", "trin", 25);
    assert_num(&ds, "refusion_per_trin", "25", "antal", 7);
    assert_num(&ds, "refusion_per_trin", "25", "udgift", 7000000);
    assert_num(&ds, "refusion_per_trin", "25", "refusion", 245000);
    assert_num(&ds, "refusion_per_trin", "50", "antal", 2);
    assert_num(&ds, "refusion_per_trin", "50", "udgift", 4000000);
    assert_num(&ds, "refusion_per_trin", "50", "refusion", 730000);
    assert_num(&ds, "refusion_per_trin", "75", "antal", 1);
    assert_num(&ds, "refusion_per_trin", "75", "udgift", 2200000);
    assert_num(&ds, "refusion_per_trin", "75", "refusion", 485000);
    assert_num(&ds, "refusion_per_trin", "i_alt", "antal", 10);
    assert_num(&ds, "refusion_per_trin", "i_alt", "udgift", 13200000);
    assert_num(&ds, "refusion_per_trin", "i_alt", "refusion", 1460000);
    assert_string_equal(text(&ds, "refusion_per_trin", "i_alt", "trin"), "I alt");
    const ng_table *t = ng_dataset_table(&ds, "refusion_per_trin");
    assert_int_equal(t->cols[ng_table_col(t, "udgift")].unit, NG_UNIT_MIO);
    assert_int_equal(t->rows[ng_table_row(t, "i_alt")].cells[ng_table_col(t, "antal")].rule.kind,
                     NG_RULE_SUM);

    /* udgiftsintervaller: every unit >= 1,0 mio.; 2.000.000 belongs to 2,0+ */
    assert_string_equal(text(&ds, "udgiftsintervaller", "1000000", "interval"), "1,0-1,5 mio. kr.");
    assert_string_equal(text(&ds, "udgiftsintervaller", "2000000", "interval"), "2,0 mio. kr. +");
    assert_num(&ds, "udgiftsintervaller", "1000000", "antal", 8);
    assert_num(&ds, "udgiftsintervaller", "1000000", "udgift", 8200000);
    assert_num(&ds, "udgiftsintervaller", "1500000", "antal", 1);
    assert_num(&ds, "udgiftsintervaller", "1500000", "udgift", 1600000);
    assert_num(&ds, "udgiftsintervaller", "2000000", "antal", 4);
    assert_num(&ds, "udgiftsintervaller", "2000000", "udgift", 9200000);
    assert_num(&ds, "udgiftsintervaller", "i_alt", "antal", 13);
    assert_num(&ds, "udgiftsintervaller", "i_alt", "udgift", 19000000);

    /* omraader: units in the scheme */
    assert_num(&ds, "omraader", "voksen", "antal", 10);
    assert_num(&ds, "omraader", "voksen", "refusion", 1460000);
    assert_num(&ds, "omraader", "boern", "antal", 1);
    assert_num(&ds, "omraader", "boern", "udgift", 1600000);
    assert_num(&ds, "omraader", "boern", "refusion", 185000);
    assert_num(&ds, "omraader", "aeldre", "antal", 1);
    assert_num(&ds, "omraader", "aeldre", "refusion", 85000);
    assert_num(&ds, "omraader", "i_alt", "antal", 12);
    assert_num(&ds, "omraader", "i_alt", "udgift", 16000000);
    assert_num(&ds, "omraader", "i_alt", "refusion", 1730000);

    /* aldersgrupper: voksen + aeldre in the scheme */
    assert_num(&ds, "aldersgrupper", "18_35", "antal", 3);
    assert_num(&ds, "aldersgrupper", "18_35", "udgift", 4200000);
    assert_num(&ds, "aldersgrupper", "18_35", "refusion", 555000);
    assert_num(&ds, "aldersgrupper", "36_66", "antal", 7);
    assert_num(&ds, "aldersgrupper", "36_66", "udgift", 9000000);
    assert_num(&ds, "aldersgrupper", "36_66", "refusion", 905000);
    assert_num(&ds, "aldersgrupper", "67_plus", "antal", 1);
    assert_num(&ds, "aldersgrupper", "i_alt", "antal", 11);
    assert_num(&ds, "aldersgrupper", "i_alt", "refusion", 1545000);
    /* shares as ratio rules over the total: 3 of 11 cases, 4,2 of 14,4 mio. kr. */
    assert_num(&ds, "aldersgrupper", "18_35", "andel_antal", 3.0 / 11.0);
    assert_num(&ds, "aldersgrupper", "18_35", "andel_udgift", 4.2 / 14.4);
    assert_num(&ds, "aldersgrupper", "67_plus", "andel_antal", 1.0 / 11.0);
    assert_num(&ds, "aldersgrupper", "i_alt", "andel_antal", 1.0);
    t = ng_dataset_table(&ds, "aldersgrupper");
    assert_int_equal(
        t->rows[ng_table_row(t, "18_35")].cells[ng_table_col(t, "andel_antal")].rule.kind,
        NG_RULE_RATIO);
    assert_true(fabs(value(&ds, "andel_antal_18_35") - 3.0 / 11.0) < 1e-9);

    /* maalgrupper: sorted values, case-folded, Uoplyst last */
    t = ng_dataset_table(&ds, "maalgrupper");
    assert_int_equal(t->nrows, 4);
    assert_string_equal(t->rows[0].key, "autisme");
    assert_string_equal(t->rows[2].key, "uoplyst");
    assert_string_equal(text(&ds, "maalgrupper", "uoplyst", "maalgruppe"), "Uoplyst");
    assert_num(&ds, "maalgrupper", "autisme", "antal", 3);
    assert_num(&ds, "maalgrupper", "autisme", "udgift", 5600000);
    assert_num(&ds, "maalgrupper", "autisme", "refusion", 915000);
    assert_string_equal(text(&ds, "maalgrupper", "udviklingshæmning", "maalgruppe"),
                        "Udviklingshæmning");
    assert_num(&ds, "maalgrupper", "udviklingshæmning", "antal", 7);
    assert_num(&ds, "maalgrupper", "uoplyst", "antal", 2);
    assert_num(&ds, "maalgrupper", "uoplyst", "udgift", 3400000);
    assert_num(&ds, "maalgrupper", "i_alt", "antal", 12);

    /* leverandoertyper */
    t = ng_dataset_table(&ds, "leverandoertyper");
    assert_string_equal(t->rows[0].key, "kommunal");
    assert_string_equal(t->rows[1].key, "regional");
    assert_string_equal(t->rows[2].key, "privat");
    assert_string_equal(t->rows[3].key, "udland");
    assert_string_equal(t->rows[4].key, "uoplyst");
    assert_num(&ds, "leverandoertyper", "kommunal", "antal", 7);
    assert_num(&ds, "leverandoertyper", "regional", "refusion", 185000);
    assert_num(&ds, "leverandoertyper", "privat", "udgift", 4000000);
    assert_num(&ds, "leverandoertyper", "udland", "antal", 1);
    assert_num(&ds, "leverandoertyper", "uoplyst", "refusion", 85000);
    assert_num(&ds, "leverandoertyper", "i_alt", "antal", 12);
    assert_num(&ds, "leverandoertyper", "kommunal", "andel_antal", 7.0 / 12.0);
    assert_num(&ds, "leverandoertyper", "privat", "andel_udgift", 4.0 / 16.0);
    assert_true(fabs(value(&ds, "andel_antal_kommunal") - 7.0 / 12.0) < 1e-9);
    assert_true(fabs(value(&ds, "andel_antal_regional") - 1.0 / 12.0) < 1e-9);
    assert_true(fabs(value(&ds, "andel_antal_privat") - 2.0 / 12.0) < 1e-9);
    /* the largest målgruppe: udviklingshæmning, 7 of 12 */
    const ng_value *largest = ng_dataset_value(&ds, "stoerste_maalgruppe");
    assert_non_null(largest);
    assert_string_equal(largest->text, "Udviklingshæmning");
    assert_true(fabs(value(&ds, "andel_antal_stoerste_maalgruppe") - 7.0 / 12.0) < 1e-9);
    const ng_figure *fig = ng_dataset_figure(&ds, "maalgrupper_figur");
    assert_non_null(fig);
    assert_int_equal(fig->nseries, 2);
    assert_int_equal(fig->ncats, 3); /* autisme, udviklingshæmning, uoplyst (2 cases) */
    assert_non_null(ng_dataset_figure(&ds, "aldersgrupper_figur"));
    assert_non_null(ng_dataset_figure(&ds, "leverandoertyper_figur"));

    /* values */
    assert_num(&ds, "andel_50_75", "voksen", "andel_antal", 0.3);
    assert_num(&ds, "andel_50_75", "voksen", "andel_udgift", 6.2 / 13.2);
    assert_true(fabs(value(&ds, "t2") - 1680000) < 1e-9);
    assert_true(fabs(value(&ds, "refusion_i_alt") - 1730000) < 1e-6);
    assert_true(fabs(value(&ds, "andel_antal_50_75") - 0.3) < 1e-9);
    assert_true(fabs(value(&ds, "andel_udgift_50_75") - 6.2 / 13.2) < 1e-9);
    assert_true(fabs(value(&ds, "uafklarede_67")) < 1e-9);
    /* the mail's figures are the memo table's: 10 adult cases in a tier */
    assert_true(fabs(value(&ds, "antal_voksen") - 10) < 1e-9);
    assert_true(fabs(value(&ds, "udgift_voksen") - 13200000) < 1e-6);
    assert_true(fabs(value(&ds, "refusion_voksen") - 1460000) < 1e-6);
    /* every value is a reference into a table: the refusion of all is the
     * område table's total */
    const ng_value *v = ng_dataset_value(&ds, "refusion_i_alt");
    assert_int_equal(v->rule.kind, NG_RULE_LINEAR);
    assert_int_equal(v->rule.nterms, 1);
    assert_string_equal(v->rule.terms[0].table, "omraader");
    t = ng_dataset_table(&ds, "omraader");
    assert_int_equal(v->rule.terms[0].row, ng_table_row(t, "i_alt"));
    assert_int_equal(v->rule.terms[0].col, ng_table_col(t, "refusion"));
    /* the sentence about the shares is the template's (test_sde_status) */
    assert_null(ng_dataset_value(&ds, "andel_saetning"));

    ng_dataset_free(&ds);
    ng_refusion_result_free(&r);
    ng_diags_free(&diags);
    ng_cases_free(c);
}

/* The refusion of cases and the SDE tables over them (2025 thresholds). */
typedef struct {
    ng_diags diags;
    ng_refusion_result r;
    ng_dataset ds;
} sde_run;

static void sde_run_compute(sde_run *run, const ng_cases *c)
{
    ng_diags_init(&run->diags);
    assert_int_equal(ng_refusion_compute(c, &thr2025, 2025, &run->r, &run->diags), NG_OK);
    ng_dataset_init(&run->ds);
    assert_int_equal(ng_sde_tables(&run->r, c, &thr2025, NULL, &run->ds, &run->diags), NG_OK);
}

static void sde_run_free(sde_run *run, ng_cases *c)
{
    ng_dataset_free(&run->ds);
    ng_refusion_result_free(&run->r);
    ng_diags_free(&run->diags);
    ng_cases_free(c);
}

/* Households are summed for refusion only: the cost bands count every
 * person by his own yearly spend (docs/regler.md, "Husstande"). At the 2025
 * thresholds (940.000 / 1.840.000 / 2.330.000), evenly spread:
 *   H1: two siblings of 600.000 -> one refusion unit of 1.200.000:
 *       25 % x 260.000 = 65.000; in the bands: two cases under 1 mio.
 *   H3: three siblings of 700.000 -> 2.100.000: 25 % x 900.000 + 50 % x
 *       260.000 = 355.000; in the bands: three cases under 1 mio.
 *   alene: one child of 1.100.000: 25 % x 160.000 = 40.000; one case in
 *       the band 1,0-1,5 mio. kr.
 * So the bands hold 1 case of 1,1 mio. kr., where counting households
 * would have given 3 cases (1,2 + 1,1 in 1,0-1,5; 2,1 in 2,0+). */
static void test_cost_bands_count_persons(void **state)
{
    (void)state;
    ng_cases *c = ng_cases_new();
    static const struct {
        const char *id, *husstand;
        int64_t kr;
    } kids[] = {{"h1-a", "H1", 600000}, {"h1-b", "H1", 600000}, {"h3-a", "H3", 700000},
                {"h3-b", "H3", 700000}, {"h3-c", "H3", 700000}, {"alene", NULL, 1100000}};
    for (size_t i = 0; i < sizeof kids / sizeof *kids; i++) {
        ng_sag *s = add_case(c, kids[i].id, NG_OMR_BOERN, 2012, NG_UNKNOWN, 2025, kids[i].kr);
        if (kids[i].husstand)
            assert_int_equal(ng_cases_set_string(c, &s->husstand, kids[i].husstand), NG_OK);
    }
    ng_cases_finish(c);
    sde_run run;
    sde_run_compute(&run, c);
    assert_int_equal(run.r.n, 3);
    assert_int_equal(unit(&run.r, "husstand:H1")->refusion, KR(65000));
    assert_int_equal(unit(&run.r, "husstand:H3")->refusion, KR(355000));
    assert_int_equal(unit(&run.r, "alene")->refusion, KR(40000));
    assert_num(&run.ds, "udgiftsintervaller", "1000000", "antal", 1);
    assert_num(&run.ds, "udgiftsintervaller", "1000000", "udgift", 1100000);
    assert_num(&run.ds, "udgiftsintervaller", "1500000", "antal", 0);
    assert_num(&run.ds, "udgiftsintervaller", "2000000", "antal", 0);
    assert_num(&run.ds, "udgiftsintervaller", "i_alt", "antal", 1);
    /* the refusion tables count the households as the scheme does */
    assert_num(&run.ds, "omraader", "boern", "antal", 3);
    assert_num(&run.ds, "omraader", "boern", "refusion", 460000);
    sde_run_free(&run, c);
}

/* The undecided 67+ cases reach the reader: the table counts them per
 * område with their spend and the refusion they would give if covered the
 * whole year (2025 thresholds, evenly spread): 1.200.000 -> 25 % x 260.000
 * = 65.000; 2.400.000 -> 225.000 + 245.000 + 52.500 = 522.500; 1.000.000 ->
 * 25 % x 60.000 = 15.000. */
static void test_uafklarede_table(void **state)
{
    (void)state;
    ng_cases *c = ng_cases_new();
    add_case(c, "AE-1", NG_OMR_AELDRE, 1950, NG_UNKNOWN, 2025, 1200000);
    add_case(c, "AE-2", NG_OMR_AELDRE, 1948, NG_UNKNOWN, 2025, 2400000);
    add_case(c, "V-67", NG_OMR_VOKSEN, 1958, NG_UNKNOWN, 2025, 1000000);
    add_case(c, "V-40", NG_OMR_VOKSEN, 1985, NG_UNKNOWN, 2025, 1000000);
    ng_cases_finish(c);
    sde_run run;
    sde_run_compute(&run, c);
    ng_dataset *ds = &run.ds;
    assert_int_equal(run.r.undecided67, 3);
    assert_num(ds, "uafklarede_67", "aeldre", "antal", 2);
    assert_num(ds, "uafklarede_67", "aeldre", "udgift", 3600000);
    assert_num(ds, "uafklarede_67", "aeldre", "mulig_refusion", 587500);
    assert_num(ds, "uafklarede_67", "voksen", "antal", 1);
    assert_num(ds, "uafklarede_67", "voksen", "mulig_refusion", 15000);
    assert_num(ds, "uafklarede_67", "i_alt", "antal", 3);
    assert_true(fabs(value(ds, "uafklarede_67") - 3) < 1e-9);
    assert_true(fabs(value(ds, "uafklarede_67_udgift") - 4600000) < 1e-6);
    assert_true(fabs(value(ds, "uafklarede_67_mulig_refusion") - 602500) < 1e-6);
    /* what it means is said in the table itself (the bilag's sheet) */
    assert_non_null(
        strstr(ng_dataset_table(ds, "uafklarede_67")->note, "ikke regnet med i refusionen"));
    /* only the decided case gets refusion */
    assert_true(fabs(value(ds, "refusion_i_alt") - 15000) < 1e-6);
    sde_run_free(&run, c);
}

/* Configured bands. */
static void test_sde_bands_config(void **state)
{
    (void)state;
    ng_cases *c = sde_cases();
    ng_diags diags;
    ng_diags_init(&diags);
    ng_refusion_result r;
    assert_int_equal(ng_refusion_compute(c, &thr2022, 2022, &r, &diags), NG_OK);
    ng_refusion_options cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.baand[0] = 1500000;
    cfg.baand[1] = 2250000;
    cfg.nbaand = 2;
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_sde_tables(&r, c, &thr2022, &cfg, &ds, &diags), NG_OK);
    assert_null(ng_dataset_table(&ds, "sagsliste")); /* only when configured */
    assert_string_equal(text(&ds, "udgiftsintervaller", "1500000", "interval"),
                        "1,5-2,25 mio. kr.");
    assert_num(&ds, "udgiftsintervaller", "1500000", "antal", 4); /* 1,6 2,0 2,0 2,2 */
    assert_num(&ds, "udgiftsintervaller", "2250000", "antal", 1); /* 3,0 */
    assert_num(&ds, "udgiftsintervaller", "i_alt", "udgift", 10800000);
    assert_string_equal(ng_dataset_table(&ds, "omraader")->source,
                        "Kilde: udtræk, egne beregninger");
    ng_dataset_free(&ds);
    ng_refusion_result_free(&r);
    ng_diags_free(&diags);
    ng_cases_free(c);
}

/* The example memo's 2025 shares: 71 of 240 cases, 188,1 of 402,2 mio. kr. */
static void test_sde_example_shares(void **state)
{
    (void)state;
    ng_cases *c = ng_cases_new();
    char id[32];
    /* 169 cases in 25 %, 39 in 50 %, 32 in 75 % with the example's spend */
    static const struct {
        int n;
        int64_t total_kr;
    } tiers[3] = {{169, 214100000}, {39, 79200000}, {32, 108900000}};
    for (int k = 0; k < 3; k++) {
        int64_t each = tiers[k].total_kr / tiers[k].n, rest = tiers[k].total_kr % tiers[k].n;
        for (int i = 0; i < tiers[k].n; i++) {
            snprintf(id, sizeof id, "T%d-%03d", k, i);
            add_case(c, id, NG_OMR_VOKSEN, 1980, NG_UNKNOWN, 2025, each + (i == 0 ? rest : 0));
        }
    }
    ng_cases_finish(c);
    ng_diags diags;
    ng_diags_init(&diags);
    ng_refusion_result r;
    assert_int_equal(ng_refusion_compute(c, &thr2025, 2025, &r, &diags), NG_OK);
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_sde_tables(&r, c, &thr2025, NULL, &ds, &diags), NG_OK);
    assert_num(&ds, "refusion_per_trin", "25", "antal", 169);
    assert_num(&ds, "refusion_per_trin", "75", "udgift", 108900000);
    assert_num(&ds, "refusion_per_trin", "i_alt", "antal", 240);
    assert_num(&ds, "refusion_per_trin", "i_alt", "udgift", 402200000);
    /* the memo's "udgør nu 47 % af udgifterne og 30 % af antallet" */
    assert_true(fabs(value(&ds, "andel_antal_50_75") - 71.0 / 240.0) < 1e-9);
    assert_true(fabs(value(&ds, "andel_udgift_50_75") - 188.1 / 402.2) < 1e-9);
    assert_num(&ds, "andel_50_75", "voksen", "antal_50_75", 71);
    ng_dataset_free(&ds);
    ng_refusion_result_free(&r);
    ng_diags_free(&diags);
    ng_cases_free(c);
}

/* Every bad-input case of the thresholds file (tests/data/badinput/taerskler,
 * made by make_corpus.py) gives exactly the message and exit status that
 * tests/data/badinput/expected.tsv holds for it; a case without a row there
 * fails the test. The shipped file is not configurable, so this is the
 * check that tests/e2e_badinput.sh makes for the other inputs. */
static void test_thresholds_bad_input_corpus(void **state)
{
    (void)state;
    const char *dir = NG_TEST_DATA "/badinput/taerskler";
    FILE *f = fopen(NG_TEST_DATA "/badinput/expected.tsv", "r");
    assert_non_null(f);
    char line[2048];
    int cases = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "taerskler\t", 10) != 0)
            continue;
        char *name = line + 10, *rc = strchr(name, '\t');
        assert_non_null(rc);
        *rc++ = '\0';
        char *want = strchr(rc, '\t');
        assert_non_null(want);
        *want++ = '\0';
        char path[4096], expected[4096], got[4096] = "";
        snprintf(path, sizeof path, "%s/%s", dir, name);
        const char *brace = strstr(want, "{dir}");
        if (brace)
            snprintf(expected, sizeof expected, "%.*s%s%s", (int)(brace - want), want, dir,
                     brace + 5);
        else
            snprintf(expected, sizeof expected, "%s", want);
        ng_thresholds t;
        ng_diags d;
        ng_diags_init(&d);
        ng_status st = ng_thresholds_load(path, NULL, &t, &d);
        for (size_t i = 0; i < d.count && !got[0]; i++)
            if (d.items[i].severity == NG_DIAG_ERROR)
                ng_diag_format(&d.items[i], got, sizeof got);
        if (ng_exit_code(st) != atoi(rc) || strcmp(got, expected) != 0)
            fail_msg("%s: exit %d, '%s'; want exit %s, '%s'", name, ng_exit_code(st), got, rc,
                     expected);
        ng_thresholds_free(&t);
        ng_diags_free(&d);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 17);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_file),
        cmocka_unit_test(test_spec_examples),
        cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_thresholds_file),
        cmocka_unit_test(test_thresholds_config_override),
        cmocka_unit_test(test_thresholds_missing_year),
        cmocka_unit_test(test_thresholds_bad_file),
        cmocka_unit_test(test_thresholds_bad_input_corpus),
        cmocka_unit_test(test_67_plus),
        cmocka_unit_test(test_household),
        cmocka_unit_test(test_cost_bands_count_persons),
        cmocka_unit_test(test_uafklarede_table),
        cmocka_unit_test(test_sde_tables),
        cmocka_unit_test(test_sde_bands_config),
        cmocka_unit_test(test_sde_example_shares),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
