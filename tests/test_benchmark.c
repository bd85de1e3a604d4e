/* test_benchmark.c -- the benchmark across municipalities (benchmark.c):
 * the municipalities, the FOLK1A reader (a table of files and what each
 * must give: the 18-66-year-olds per municipality, or the first message),
 * the ranking with its mean, median and totals, the distributions, and the
 * reduce over data.json giving the same tables as the records themselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>

#include "notatgen/benchmark.h"
#include "notatgen/json.h"
#include "notatgen/strbuf.h"
#include "notatgen/xlsx.h"

static ng_kommuneliste kommuner;

static int setup(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    ng_status st = ng_kommuneliste_load(ng_kommuneliste_default_path(), &kommuner, &d);
    ng_diags_free(&d);
    return st == NG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ng_kommuneliste_free(&kommuner);
    return 0;
}

/* ---- the municipalities --------------------------------------------------- */

static void test_kommuneliste(void **state)
{
    (void)state;
    assert_int_equal(kommuner.n, 98);
    static const struct {
        const char *text;
        ng_area_kind kind;
        const char *kode;
    } cases[] = {
        {"730", NG_AREA_KOMMUNE, "730"},
        {"0730", NG_AREA_KOMMUNE, "730"},
        {"730 Randers", NG_AREA_KOMMUNE, "730"},
        {"Randers", NG_AREA_KOMMUNE, "730"},
        {"RANDERS KOMMUNE", NG_AREA_KOMMUNE, "730"},
        {"Københavns Kommune", NG_AREA_KOMMUNE, "101"},
        {"Århus", NG_AREA_KOMMUNE, "751"},
        {"Læsø", NG_AREA_KOMMUNE, "825"},
        {"ÆRØ", NG_AREA_KOMMUNE, "492"},
        {"Høje Taastrup", NG_AREA_KOMMUNE, "169"},
        {"Bornholms Regionskommune", NG_AREA_KOMMUNE, "400"},
        {"Hele landet", NG_AREA_ANDET, NULL},
        {"000", NG_AREA_ANDET, NULL},
        {"Region Midtjylland", NG_AREA_ANDET, NULL},
        {"082", NG_AREA_ANDET, NULL},
        {"Landsdel Østjylland", NG_AREA_ANDET, NULL},
        {"04", NG_AREA_ANDET, NULL},
        {"411 Christiansø", NG_AREA_ANDET, NULL},
        {"Randrs", NG_AREA_UKENDT, NULL},
        {"999", NG_AREA_UKENDT, NULL},
        {"", NG_AREA_UKENDT, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const ng_kommune_def *k = NULL;
        assert_int_equal(ng_kommune_lookup(&kommuner, cases[i].text, &k), cases[i].kind);
        if (cases[i].kode)
            assert_string_equal(k->kode, cases[i].kode);
        else
            assert_null(k);
    }
}

/* Other names are trimmed and kept whole at any length: a name of 150 bytes
 * with Danish letters is found as written, and its first 127 bytes are not. */
static void test_kommuneliste_long_other_name(void **state)
{
    (void)state;
    char lang[160] = "";
    for (int i = 0; i < 50; i++)
        strcat(lang, "æa"); /* 150 bytes */
    char text[512];
    snprintf(text, sizeof text, "kode;navn;andre_navne\n730;Randers;  Randers By , %s ,\n", lang);
    char path[] = "/tmp/test_kommuneliste_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    ng_kommuneliste l = {0};
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_kommuneliste_load(path, &l, &d), NG_OK);
    unlink(path);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].nnavne, 3);
    const ng_kommune_def *k = NULL;
    assert_int_equal(ng_kommune_lookup(&l, "randers by", &k), NG_AREA_KOMMUNE);
    assert_int_equal(ng_kommune_lookup(&l, lang, &k), NG_AREA_KOMMUNE);
    assert_string_equal(k->kode, "730");
    lang[127] = '\0';
    assert_int_equal(ng_kommune_lookup(&l, lang, &k), NG_AREA_UKENDT);
    ng_kommuneliste_free(&l);
    ng_diags_free(&d);
}

/* ---- FOLK1A ------------------------------------------------------------------ */

/* A municipality's ages 18-66 (and 17 and 67 around them), each age a
 * persons: 49 * a counted. */
static void ages(ng_strbuf *b, const char *area, const char *quarter, int a, bool with_year_word)
{
    for (int age = 17; age <= 67; age++)
        ng_strbuf_addf(b, "%s;%d%s;%s;%d\n", area, age, with_year_word ? " år" : "", quarter, a);
}

/* Writes text to a scratch file and reads it as the population file. */
static ng_status read_text(const char *text, const char *kvartal, ng_befolkning *out, ng_diags *d,
                           char *path, size_t size)
{
    snprintf(path, size, "/tmp/test_benchmark_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    ng_input_file in;
    ng_input_file_init(&in);
    in.path = path;
    ng_status st = ng_befolkning_read(&in, kvartal, &kommuner, out, d);
    unlink(path);
    return st;
}

/* The first error as printed, without the file's name. */
static const char *first_error(const ng_diags *d, const char *path, char *buf, size_t size)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == NG_DIAG_ERROR) {
            ng_diag_format(&d->items[i], buf, size);
            size_t n = strlen(path);
            return !strncmp(buf, path, n) ? buf + n : buf;
        }
    return "";
}

/* "730=49000 751=1234": the 18-66-year-olds read, by code. */
static void counts_text(const ng_befolkning *b, ng_strbuf *out)
{
    for (size_t i = 0; i < b->n; i++)
        ng_strbuf_addf(out, "%s%s=%ld", i ? " " : "", b->kommuner[i].kode, b->kommuner[i].antal);
}

typedef struct {
    const char *name;
    const char *text;    /* NULL: built by the test */
    const char *kvartal; /* [befolkning] kvartal, NULL: the latest */
    const char *want_kvartal;
    const char *want; /* "730=49000 751=1234", or the first error after the file name */
} folk_case;

static void check_case(const folk_case *c, const char *text)
{
    ng_diags d;
    ng_diags_init(&d);
    ng_befolkning b;
    char path[64], buf[1024];
    ng_status st = read_text(text, c->kvartal, &b, &d, path, sizeof path);
    if (c->want_kvartal) {
        if (st != NG_OK)
            fail_msg("%s: %s", c->name, first_error(&d, path, buf, sizeof buf));
        assert_string_equal(b.kvartal, c->want_kvartal);
        ng_strbuf got = {0};
        counts_text(&b, &got);
        if (strcmp(got.s ? got.s : "", c->want))
            fail_msg("%s: got '%s', want '%s'", c->name, got.s, c->want);
        ng_strbuf_free(&got);
    } else {
        assert_int_not_equal(st, NG_OK);
        const char *e = first_error(&d, path, buf, sizeof buf);
        if (strcmp(e, c->want))
            fail_msg("%s: got '%s', want '%s'", c->name, e, c->want);
    }
    ng_befolkning_free(&b);
    ng_diags_free(&d);
}

static void test_folk1a_long(void **state)
{
    (void)state;
    /* Randers 100 a year, Aarhus 2 a year, two quarters; the country, a
     * region, and the "I alt" rows are read but not counted */
    ng_strbuf b = {0};
    ng_strbuf_addf(&b, "OMRÅDE;ALDER;TID;INDHOLD\nHele landet;I alt;2022K4;5900000\n");
    ng_strbuf_addf(&b, "Region Midtjylland;20 år;2022K4;15000\nRanders;I alt;2022K4;98000\n");
    ages(&b, "Randers", "2022K4", 100, true);
    ages(&b, "Aarhus", "2022K4", 2, true);
    ages(&b, "Randers", "2022K3", 90, true);
    ages(&b, "Aarhus", "2022K3", 1, true);
    folk_case latest = {"latest", NULL, NULL, "2022K4", "730=4900 751=98"};
    folk_case chosen = {"chosen", NULL, "2022k3", "2022K3", "730=4410 751=49"};
    check_case(&latest, b.s);
    check_case(&chosen, b.s);
    ng_strbuf_free(&b);

    /* codes, code and name, ages without "år", a KØN column of "I alt" */
    b = (ng_strbuf){0};
    ng_strbuf_addf(&b, "område;køn;alder;tid;indhold\n");
    for (int age = 0; age <= 100; age++)
        ng_strbuf_addf(&b, "730 Randers;I alt;%d;2023K1;1.000\n825;Køn i alt;%d;2023K1;%d\n", age,
                       age, age % 3);
    folk_case codes = {"codes", NULL, NULL, "2023K1", "730=49000 825=48"};
    check_case(&codes, b.s);
    ng_strbuf_free(&b);
}

static void test_folk1a_layouts(void **state)
{
    (void)state;
    static const folk_case cases[] = {
        {"summed", "OMRÅDE;TID;INDHOLD\nRanders Kommune;2022K4;61.234\nLæsø;2022K4;950\n", NULL,
         "2022K4", "730=61234 825=950"},
        {"age group",
         "OMRÅDE;ALDER;TID;INDHOLD\nRanders;0-17 år;2022K4;20000\nRanders;18-66 "
         "år;2022K4;60000\nRanders;67 år og derover;2022K4;19000\n",
         NULL, "2022K4", "730=60000"},
        {"two groups",
         "OMRÅDE;ALDER;TID;INDHOLD\nRanders;18-35;2022K4;20000\nRanders;36-66;"
         "2022K4;40000\n",
         NULL, "2022K4", "730=60000"},
        /* the StatBank's table layout: titles, unnamed columns, the area
         * only on its first row, a note after the table */
        {"table",
         "Befolkningen den 1. i kvartalet\nEnhed: Antal\n;;2022K4;2023K1\nRanders;18-66 "
         "år;60000;60100\n;0-17 år;20000;20100\nAarhus;18-66 år;250000;251000\n\"Kilde: "
         "Danmarks Statistik\"\n",
         NULL, "2023K1", "730=60100 751=251000"},
        {"table summed", "OMRÅDE;2022K4\nRanders;60000\n", NULL, "2022K4", "730=60000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_case(&cases[i], cases[i].text);
}

/* Every class of bad input, each with its line, field and value. */
static void test_folk1a_errors(void **state)
{
    (void)state;
    static const char head[] = "OMRÅDE;ALDER;TID;INDHOLD\n";
    static const struct {
        const char *name, *body, *kvartal, *want;
    } cases[] = {
        {"unknown municipality", "Randrs;18-66;2022K4;1\n", NULL,
         ":2:1: ukendt kommune: 'Randrs' (hverken et kommunenavn eller en kommunekode fra "
         "data/kommuner.csv)"},
        {"bad age", "Randers;atten år;2022K4;1\n", NULL,
         ":2:2: alderen er ugyldig (forventet fx '18 år' eller '18'): 'atten år'"},
        {"bad quarter", "Randers;18-66;2022Q4;1\n", NULL,
         ":2:3: kvartalet er ugyldigt (forventet fx 2022K4): '2022Q4'"},
        {"missing number", "Randers;18-66;2022K4;..\n", NULL,
         ":2:4: antallet er ikke et helt tal: '..'"},
        {"decimal", "Randers;18-66;2022K4;1.23\n", NULL,
         ":2:4: antallet er ikke et helt tal: '1.23'"},
        {"negative", "Randers;18-66;2022K4;-5\n", NULL, ":2:4: antallet er ikke et helt tal: '-5'"},
        {"width", "Randers;18-66;2022K4\n", NULL, ":2: rækken har 3 felter, overskriften 4"},
        {"no area", ";18-66;2022K4;5\n", NULL, ":2:1: rækken har intet område"},
        {"twice", "Randers;18-66;2022K4;5\nRanders;40 år;2022K4;5\n", NULL,
         ":3:2: kommune 730 (Randers), alder 40 står to gange i 2022K4 (også linje 2)"},
        {"across 66", "Randers;60-69;2022K4;5\n", NULL,
         ":2:2: aldersgruppen 60-69 år går på tværs af 18-66 år: vælg enkelte aldre"},
        {"missing age", "Randers;18-40;2022K4;5\nRanders;42-66;2022K4;5\n", NULL,
         ": kommune 730 (Randers) mangler alder 41 i 2022K4 (aldrene 18-66 år skal alle være "
         "med)"},
        {"only total", "Randers;I alt;2022K4;98000\n", NULL,
         ":2:2: kommune 730 (Randers) har kun alder 'I alt' i 2022K4 (hele befolkningen): vælg "
         "aldrene 18-66 år"},
        {"quarter absent", "Randers;18-66;2022K4;5\n", "2021K4",
         ": kvartalet 2021K4 ([befolkning] kvartal) findes ikke i befolkningsfilen (den har "
         "2022K4-2022K4)"},
        {"no numbers", "", NULL, ": befolkningsfilen har ingen tal"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s%s", head, cases[i].body);
        folk_case c = {cases[i].name, text, cases[i].kvartal, NULL, cases[i].want};
        check_case(&c, text);
    }
    static const folk_case whole[] = {
        {"unknown column", "OMRÅDE;ALDER;TID;VÆRDI\n", NULL, NULL,
         ":1:4: ukendt kolonne 'VÆRDI' i befolkningsfilen (forventet OMRÅDE, ALDER, TID og "
         "INDHOLD, eller et kvartal som 2022K4)"},
        {"sex", "OMRÅDE;KØN;ALDER;TID;INDHOLD\nRanders;Mænd;18-66;2022K4;5\n", NULL, NULL,
         ":2:2: kolonnen 'KØN' må kun have 'I alt' (ellers tælles personerne flere gange; vælg "
         "'I alt' i Statistikbanken): 'Mænd'"},
        {"no quarter", "OMRÅDE;ALDER;INDHOLD\nRanders;18-66;5\n", NULL, NULL,
         ":1: befolkningsfilen har hverken kolonnerne TID og INDHOLD eller en kolonne pr. "
         "kvartal (2022K4)"},
        {"both layouts", "OMRÅDE;TID;2022K4\n", NULL, NULL,
         ":1: befolkningsfilen har både kolonner for kvartaler (2022K4) og kolonnerne TID eller "
         "INDHOLD"},
        {"no area column", "ALDER;TID;INDHOLD\n18;2022K4;5\n", NULL, NULL,
         ":1: befolkningsfilen har ingen kolonne OMRÅDE med kommunerne"},
        {"column twice", "OMRÅDE;ALDER;Alder;TID;INDHOLD\n", NULL, NULL,
         ":1:3: kolonnen 'Alder' står to gange i befolkningsfilen"},
        {"unnamed", ";TID;INDHOLD\n", NULL, NULL, ":1:1: kolonne 1 har ingen overskrift"},
        {"three unnamed", ";;;2022K4\n", NULL, NULL,
         ":1:3: kolonne 3 har ingen overskrift (kun område og alder kan stå uden)"},
        {"empty", "", NULL, NULL, ": befolkningsfilen er tom"},
        {"titles only", "Befolkningen\nEnhed: Antal\n", NULL, NULL,
         ":1: befolkningsfilen har ingen overskrift med kolonner"},
    };
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
        check_case(&whole[i], whole[i].text);
}

/* The shipped sample exports (tests/data/befolkning, also the fuzz
 * target's seeds): UTF-8 with variable names, Windows-1252 quoted in the
 * table layout with titles and a note, and already summed. */
static void test_folk1a_samples(void **state)
{
    (void)state;
    static const struct {
        const char *file, *kvartal, *want;
    } cases[] = {
        {"folk1a_lang.csv", "2022K4", "730=54201 825=987"},
        {"folk1a_tabel.csv", "2023K1", "730=60100 751=251000"},
        {"folk1a_summeret.csv", "2022K4", "101=455000 730=60000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[512];
        snprintf(path, sizeof path, NG_TEST_DATA "/befolkning/%s", cases[i].file);
        ng_input_file in;
        ng_input_file_init(&in);
        in.path = path;
        ng_diags d;
        ng_diags_init(&d);
        ng_befolkning b;
        assert_int_equal(ng_befolkning_read(&in, NULL, &kommuner, &b, &d), NG_OK);
        assert_string_equal(b.kvartal, cases[i].kvartal);
        ng_strbuf got = {0};
        counts_text(&b, &got);
        assert_string_equal(got.s, cases[i].want);
        ng_strbuf_free(&got);
        ng_befolkning_free(&b);
        ng_diags_free(&d);
    }
}

/* A file of 10^5 bad rows gives 50 messages and a count, not 10^5. */
static void test_folk1a_many_errors(void **state)
{
    (void)state;
    ng_strbuf b = {0};
    ng_strbuf_addf(&b, "OMRÅDE;ALDER;TID;INDHOLD\n");
    for (int i = 0; i < 100000; i++)
        ng_strbuf_addf(&b, "Nowhere;18;2022K4;1\n");
    ng_diags d;
    ng_diags_init(&d);
    ng_befolkning pop;
    char path[64], buf[256];
    assert_int_equal(read_text(b.s, NULL, &pop, &d, path, sizeof path), NG_ERR_INPUT);
    assert_int_equal(d.errors, 51);
    ng_diag_format(&d.items[d.count - 1], buf, sizeof buf);
    assert_non_null(strstr(buf, "100000 fejl i alt i befolkningsfilen"));
    ng_strbuf_free(&b);
    ng_diags_free(&d);
}

/* ---- the comparison ---------------------------------------------------------- */

typedef struct {
    const char *kode, *navn;
    long antal, indbyggere;
    double udgift_mio;
    const char *maalgruppe[4]; /* one case each for the first antal, then "autisme" */
} kommune_fixture;

/* Four municipalities: Randers 30 cases / 60.000, Aarhus 100 / 250.000,
 * Læsø 2 / 900 (fewer than 3: apart), Fanø 0 / 2.000. */
static const kommune_fixture fixtures[] = {
    {"730", "Randers", 30, 60000, 45.0, {"udviklingshæmning", "Autisme", "", NULL}},
    {"751", "Aarhus", 100, 250000, 180.0, {"autisme", "sindslidelse", NULL, NULL}},
    {"825", "Læsø", 2, 900, 3.0, {"hjerneskade", NULL, NULL, NULL}},
    {"563", "Fanø", 0, 2000, 0.0, {NULL, NULL, NULL, NULL}},
};

static void fixture_bench(ng_bench *b)
{
    ng_bench_init(b);
    b->aar = 2025;
    b->dato = (ng_date){2025, 10, 31};
    snprintf(b->kvartal, sizeof b->kvartal, "2025K1");
    b->cap = 8;
    b->kommuner = calloc(b->cap, sizeof *b->kommuner);
    for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
        const kommune_fixture *f = &fixtures[i];
        ng_bench_kommune *k = &b->kommuner[b->n++];
        snprintf(k->kode, sizeof k->kode, "%s", f->kode);
        k->navn = strdup(f->navn);
        k->antal = f->antal;
        k->indbyggere = f->indbyggere;
        k->udgift = (int64_t)llround(f->udgift_mio * 1e8);
        k->refusion = k->udgift / 4;
        /* målgruppe: one case each in the first groups, the rest autisme;
         * leverandørtype all kommunal; age all 18-35 */
        static const char *const keys[] = {"udviklingshaemning", "autisme", "uoplyst"};
        for (long c = 0; c < f->antal; c++) {
            const char *g = c < 4 && f->maalgruppe[c] ? f->maalgruppe[c] : "autisme";
            char key[64];
            snprintf(key, sizeof key, "%s", !strcmp(g, "") ? "uoplyst" : g);
            if (!strcmp(g, "udviklingshæmning"))
                snprintf(key, sizeof key, "%s", keys[0]);
            if (!strcmp(g, "Autisme"))
                snprintf(key, sizeof key, "%s", keys[1]);
            int d = NG_BENCH_MAALGRUPPE;
            size_t j;
            for (j = 0; j < k->nfordeling[d] && strcmp(k->fordeling[d][j].key, key); j++)
                ;
            if (j == k->nfordeling[d]) {
                k->fordeling[d] = realloc(k->fordeling[d], (j + 1) * sizeof **k->fordeling);
                k->fordeling[d][j] = (ng_bench_count){strdup(key), strdup(*g ? g : "Uoplyst"), 0};
                k->nfordeling[d]++;
            }
            k->fordeling[d][j].antal++;
        }
        for (int d = NG_BENCH_LEVERANDOERTYPE; d < NG_BENCH_NDIM && f->antal; d++) {
            k->fordeling[d] = calloc(1, sizeof **k->fordeling);
            k->fordeling[d][0] = (ng_bench_count){
                strdup(d == NG_BENCH_LEVERANDOERTYPE ? "kommunal" : "18_35"),
                strdup(d == NG_BENCH_LEVERANDOERTYPE ? "kommunal" : "18-35 år"), f->antal};
            k->nfordeling[d] = 1;
        }
    }
}

static double cell(const ng_dataset *ds, const char *table, const char *row, const char *col)
{
    const ng_table *t = ng_dataset_table(ds, table);
    assert_non_null(t);
    const ng_cell *c = ng_table_cell(t, ng_table_row(t, row), ng_table_col(t, col));
    assert_non_null(c);
    return c->type == NG_CELL_NUM ? c->num : NAN;
}

static void test_publish(void **state)
{
    (void)state;
    ng_bench b;
    fixture_bench(&b);
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_bench_publish(&b, "730", 3, "Kilde: test", &ds), NG_OK);
    const ng_table *t = ng_dataset_table(&ds, "benchmark");
    /* ranked: Aarhus 0,40, Randers 0,50 -> Randers first; Fanø 0; Læsø apart */
    const char *order[] = {"730", "751", "563", "825", "gennemsnit", "median", "i_alt"};
    assert_int_equal(t->nrows, 7);
    for (int r = 0; r < 7; r++)
        assert_string_equal(t->rows[r].key, order[r]);
    double randers = 1000.0 * 30 / 60000, aarhus = 1000.0 * 100 / 250000;
    assert_true(fabs(cell(&ds, "benchmark", "730", "sager_pr_1000") - randers) < 1e-12);
    assert_true(fabs(cell(&ds, "benchmark", "gennemsnit", "sager_pr_1000") -
                     (randers + aarhus + 0) / 3) < 1e-12);
    assert_true(fabs(cell(&ds, "benchmark", "median", "sager_pr_1000") - aarhus) < 1e-12);
    /* the total leaves Læsø out: 130 cases of 312.000 */
    assert_true(cell(&ds, "benchmark", "i_alt", "antal") == 130);
    assert_true(cell(&ds, "benchmark", "i_alt", "indbyggere") == 312000);
    assert_true(fabs(cell(&ds, "benchmark", "i_alt", "sager_pr_1000") - 130000.0 / 312000) < 1e-12);
    assert_true(fabs(cell(&ds, "benchmark", "751", "udgift_pr_1000") - 180e6 * 1000 / 250000) <
                1e-6);
    const ng_cell *g = ng_table_cell(t, 4, ng_table_col(t, "sager_pr_1000"));
    assert_int_equal(g->rule.kind, NG_RULE_AVERAGE);
    assert_int_equal(g->rule.first_row, 0);
    assert_int_equal(g->rule.last_row, 2);
    assert_int_equal(ng_table_cell(t, 5, ng_table_col(t, "sager_pr_1000"))->rule.kind,
                     NG_RULE_MEDIAN);
    assert_int_equal(ng_table_cell(t, 0, ng_table_col(t, "sager_pr_1000"))->rule.kind,
                     NG_RULE_RATIO);
    assert_string_equal(ng_table_cell(t, 0, ng_table_col(t, "egen"))->text, "Egen kommune");
    assert_string_equal(ng_table_cell(t, 0, ng_table_col(t, "rang"))->text, "1");
    assert_int_equal(ng_table_cell(t, 3, ng_table_col(t, "rang"))->type, NG_CELL_EMPTY);
    assert_non_null(strstr(t->note, "færre end 3 sager") && strstr(t->note, "Læsø"));
    /* values: references, the own rank and the count are facts */
    assert_true(ng_dataset_value(&ds, "benchmark_egen_rang")->num == 1);
    assert_true(ng_dataset_value(&ds, "benchmark_antal_kommuner")->num == 3);
    const ng_value *own = ng_dataset_value(&ds, "benchmark_egen_sager_pr_1000");
    assert_int_equal(own->rule.kind, NG_RULE_LINEAR);
    assert_int_equal(own->decimals, 1);
    assert_string_equal(ng_dataset_value(&ds, "befolkning_kvartal")->text, "2025K1");
    /* the ranking's figure draws Randers apart */
    const ng_figure *f = ng_dataset_figure(&ds, "benchmark_figur");
    assert_int_equal(f->ncats, 3);
    assert_int_equal(f->highlight, 1);
    /* målgrupper: autisme, udviklingshaemning (sorted), then sindslidelse, uoplyst last */
    const ng_table *m = ng_dataset_table(&ds, "benchmark_maalgrupper");
    const char *cols[] = {"antal_autisme", "antal_sindslidelse", "antal_udviklingshaemning",
                          "antal_uoplyst"};
    int prev = -1;
    for (int i = 0; i < 4; i++) {
        int c = ng_table_col(m, cols[i]);
        assert_true(c > prev);
        prev = c;
    }
    /* a label is the one of the lowest code that has the category */
    assert_string_equal(m->cols[ng_table_col(m, "andel_autisme")].group, "Autisme");
    assert_true(cell(&ds, "benchmark_maalgrupper", "730", "antal") == 30);
    assert_true(cell(&ds, "benchmark_maalgrupper", "730", "antal_autisme") == 28);
    assert_true(fabs(cell(&ds, "benchmark_maalgrupper", "730", "andel_autisme") - 28.0 / 30) <
                1e-12);
    assert_true(cell(&ds, "benchmark_maalgrupper", "i_alt", "antal_autisme") == 127);
    assert_true(isnan(cell(&ds, "benchmark_maalgrupper", "563", "andel_autisme")));
    /* leverandørtyper: the fixed three first, always */
    const ng_table *l = ng_dataset_table(&ds, "benchmark_leverandoertyper");
    assert_int_equal(ng_table_col(l, "antal_kommunal"), 3);
    assert_int_equal(ng_table_col(l, "antal_regional"), 5);
    assert_int_equal(ng_table_col(l, "antal_privat"), 7);
    assert_string_equal(l->cols[3].group, "Kommunal");
    ng_dataset_free(&ds);
    ng_bench_free(&b);
}

/* Every municipality too small to show: they are listed apart, nothing is
 * ranked, the totals are 0 as plain values (a sum of no rows has no
 * formula), there is no figure, and the bilag is written. */
static void test_all_small(void **state)
{
    (void)state;
    ng_bench b;
    fixture_bench(&b);
    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_bench_publish(&b, "730", 1000, "Kilde: test", &ds), NG_OK);
    const ng_table *t = ng_dataset_table(&ds, "benchmark");
    /* Fanø has no cases: 0 persons is no person, so it is ranked alone */
    assert_string_equal(t->rows[0].key, "563");
    assert_string_equal(t->rows[1].key, "751"); /* Aarhus, Læsø, Randers by name */
    assert_string_equal(t->rows[2].key, "825");
    assert_string_equal(t->rows[3].key, "730");
    assert_true(cell(&ds, "benchmark", "i_alt", "antal") == 0);
    assert_int_equal(
        ng_table_cell(t, ng_table_row(t, "i_alt"), ng_table_col(t, "antal"))->rule.kind,
        NG_RULE_SUM);
    assert_true(ng_dataset_value(&ds, "benchmark_antal_kommuner")->num == 1);
    assert_null(ng_dataset_value(&ds, "benchmark_egen_rang"));
    ng_dataset_free(&ds);

    /* and with no municipality at all to rank */
    b.kommuner[3].antal = 1; /* Fanø */
    ng_dataset_init(&ds);
    assert_int_equal(ng_bench_publish(&b, "730", 1000, "Kilde: test", &ds), NG_OK);
    t = ng_dataset_table(&ds, "benchmark");
    const ng_cell *total = ng_table_cell(t, ng_table_row(t, "i_alt"), ng_table_col(t, "antal"));
    assert_int_equal(total->rule.kind, NG_RULE_NONE);
    assert_true(total->num == 0);
    assert_int_equal(
        ng_table_cell(t, ng_table_row(t, "gennemsnit"), ng_table_col(t, "sager_pr_1000"))->type,
        NG_CELL_EMPTY);
    assert_null(ng_dataset_figure(&ds, "benchmark_figur"));
    assert_true(ng_dataset_value(&ds, "benchmark_antal_kommuner")->num == 0);
    char path[] = "/tmp/test_benchmark_xlsx_XXXXXX";
    close(mkstemp(path));
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_xlsx_write(&ds, NULL, path, &d), NG_OK);
    unlink(path);
    ng_diags_free(&d);
    ng_dataset_free(&ds);
    ng_bench_free(&b);
}

/* The reduce: the records written as data.json and read back give the
 * same tables; a second file with the same municipality, another quarter
 * or a suppressed cell is refused. */
static void test_reduce_round_trip(void **state)
{
    (void)state;
    ng_bench b;
    fixture_bench(&b);
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_dataset_set_num(&ds, "aar", NG_UNIT_AAR, 2025);
    ds.udtraek_dato = b.dato;
    assert_int_equal(ng_bench_publish(&b, "730", 1, "Kilde: test", &ds), NG_OK);
    char path[] = "/tmp/test_benchmark_json_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_json_write(&ds, path, &d), NG_OK);

    ng_bench back;
    ng_bench_init(&back);
    assert_int_equal(ng_bench_read_json(&back, path, &d), NG_OK);
    assert_int_equal(back.n, 4);
    assert_int_equal(back.aar, 2025);
    assert_string_equal(back.kvartal, "2025K1");
    ng_dataset again;
    ng_dataset_init(&again);
    assert_int_equal(ng_bench_publish(&back, "730", 1, "Kilde: test", &again), NG_OK);
    const char *tables[] = {"benchmark", "benchmark_maalgrupper", "benchmark_leverandoertyper",
                            "benchmark_aldersgrupper"};
    for (size_t i = 0; i < 4; i++) {
        const ng_table *x = ng_dataset_table(&ds, tables[i]),
                       *y = ng_dataset_table(&again, tables[i]);
        assert_int_equal(x->nrows, y->nrows);
        assert_int_equal(x->ncols, y->ncols);
        for (int r = 0; r < x->nrows; r++)
            for (int c = 0; c < x->ncols; c++) {
                const ng_cell *a = &x->rows[r].cells[c], *e = &y->rows[r].cells[c];
                assert_int_equal(a->type, e->type);
                if (a->type == NG_CELL_NUM)
                    assert_true(fabs(a->num - e->num) <= 1e-9 * fabs(a->num) + 1e-9);
                if (a->type == NG_CELL_TEXT)
                    assert_string_equal(a->text, e->text);
            }
    }
    /* the same municipalities again */
    char buf[512];
    assert_int_equal(ng_bench_read_json(&back, path, &d), NG_ERR_INPUT);
    ng_diag_format(&d.items[d.count - 1], buf, sizeof buf);
    assert_non_null(strstr(buf, ") står også i /tmp/test_benchmark_json_"));
    ng_dataset_free(&again);

    /* another quarter */
    ng_bench other;
    ng_bench_init(&other);
    snprintf(other.kvartal, sizeof other.kvartal, "2024K4");
    other.aar = 2025;
    assert_int_equal(ng_bench_read_json(&other, path, &d), NG_ERR_INPUT);
    ng_diag_format(&d.items[d.count - 1], buf, sizeof buf);
    assert_non_null(strstr(buf, "alle kommuner skal køres for samme år og kvartal"));
    ng_bench_free(&other);

    /* suppressed cells in a contribution */
    ng_table *t = ng_dataset_table(&ds, "benchmark_maalgrupper");
    t->rows[0].cells[ng_table_col(t, "antal_uoplyst")].suppressed = true;
    assert_int_equal(ng_json_write(&ds, path, &d), NG_OK);
    ng_bench_init(&other);
    assert_int_equal(ng_bench_read_json(&other, path, &d), NG_ERR_INPUT);
    ng_diag_format(&d.items[d.count - 1], buf, sizeof buf);
    assert_non_null(strstr(buf, "tabellen benchmark_maalgrupper har diskretionerede celler"));
    assert_non_null(strstr(buf, "mindste_celle = 1"));
    ng_bench_free(&other);

    /* not JSON at all */
    FILE *f = fopen(path, "w");
    fputs("{\"tables\": [1, 2,\n", f);
    fclose(f);
    ng_bench_init(&other);
    assert_int_equal(ng_bench_read_json(&other, path, &d), NG_ERR_INPUT);
    ng_diag_format(&d.items[d.count - 1], buf, sizeof buf);
    assert_non_null(strstr(buf, "ugyldig JSON"));
    ng_bench_free(&other);

    unlink(path);
    ng_diags_free(&d);
    ng_bench_free(&back);
    ng_dataset_free(&ds);
    ng_bench_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kommuneliste),   cmocka_unit_test(test_kommuneliste_long_other_name),
        cmocka_unit_test(test_folk1a_long),    cmocka_unit_test(test_folk1a_layouts),
        cmocka_unit_test(test_folk1a_errors),  cmocka_unit_test(test_folk1a_many_errors),
        cmocka_unit_test(test_folk1a_samples), cmocka_unit_test(test_publish),
        cmocka_unit_test(test_all_small),      cmocka_unit_test(test_reduce_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
