/*
 * test_config.c -- the INI configuration: every key of a full file, the
 * defaults of a minimal one, and each kind of mistake with its exact Danish
 * diagnostic and line (tests/data/config/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "notatgen/benchmark.h"
#include "notatgen/budget.h"
#include "notatgen/config.h"
#include "notatgen/forecast.h"
#include "notatgen/history.h"
#include "notatgen/ingest.h"
#include "notatgen/kommune.h"
#include "notatgen/mail.h"
#include "notatgen/modules.h"
#include "notatgen/output.h"
#include "notatgen/plausibility.h"
#include "notatgen/privacy.h"
#include "notatgen/refusion.h"

/* The options each module read from the file. */
#define OPTS(type, mod, c) ((const type *)ng_module_options(&(c), &(mod)))
#define UDT(c) OPTS(ng_udtraek_options, ng_module_udtraek, c)
#define REF(c) OPTS(ng_refusion_options, ng_module_refusion, c)
#define OUT(c) OPTS(ng_output_options, ng_module_output, c)
#define KOM(c) OPTS(ng_kommune_options, ng_module_kommune, c)
#define BUD(c) OPTS(ng_budget_options, ng_module_budget, c)
#define HIS(c) OPTS(ng_historik_options, ng_module_historik, c)
#define PRO(c) OPTS(ng_prognose_options, ng_module_prognose, c)
#define PRIV(c) OPTS(ng_privatliv_options, ng_module_privatliv, c)
#define MAIL(c) OPTS(ng_mail_config, ng_module_mail, c)
#define BEF(c) OPTS(ng_benchmark_options, ng_module_benchmark, c)
#define PLAUS(c) OPTS(ng_plausibilitet_options, ng_module_plausibilitet, c)
/* initiativer and fingerplan keep just their file's format */
typedef struct {
    ng_input_file file;
} file_options;
#define INI(c) OPTS(file_options, ng_module_initiativer, c)

#define DATA NG_TEST_DATA "/config/"

/* One expected diagnostic: severity, line (0 = none) and message. */
typedef struct {
    ng_severity sev;
    long line;
    const char *message;
} expected_diag;

#define ERR(line, msg)                                                                             \
    {                                                                                              \
        NG_DIAG_ERROR, line, msg                                                                   \
    }
#define NOTE(line, msg)                                                                            \
    {                                                                                              \
        NG_DIAG_NOTE, line, msg                                                                    \
    }

static void print_diags(const ng_diags *d)
{
    ng_diags_print(d, stdout);
}

/* Asserts that diags holds exactly the expected list, in order, each about
 * file. */
static void assert_diags(const ng_diags *d, const char *file, const expected_diag *want, size_t n)
{
    if (d->count != n)
        print_diags(d);
    assert_int_equal(d->count, n);
    for (size_t i = 0; i < n; i++) {
        const ng_diag *got = &d->items[i];
        if (got->line != want[i].line || strcmp(got->message, want[i].message))
            print_diags(d);
        assert_int_equal(got->severity, want[i].sev);
        assert_string_equal(got->file, file);
        assert_int_equal(got->line, want[i].line);
        assert_string_equal(got->message, want[i].message);
    }
}

static ng_status load(const char *path, ng_config *cfg, ng_diags *d)
{
    ng_diags_init(d);
    return ng_config_load(path, cfg, d);
}

static char *data_dir_abs(const char *sub)
{
    char *dir = realpath(NG_TEST_DATA "/config", NULL);
    assert_non_null(dir);
    size_t n = strlen(dir) + strlen(sub) + 2;
    char *out = malloc(n);
    snprintf(out, n, "%s%s%s", dir, *sub ? "/" : "", sub);
    free(dir);
    return out;
}

/* ---- valid files ----------------------------------------------------------- */

static void test_minimal_defaults(void **state)
{
    ng_config cfg;
    ng_diags d;
    assert_int_equal(load(DATA "valid_minimal.ini", &cfg, &d), NG_OK);
    assert_int_equal(d.count, 0);

    char *dir = data_dir_abs("");
    char expect[4096];
    assert_string_equal(cfg.config_path, DATA "valid_minimal.ini");
    assert_string_equal(cfg.config_dir, dir);
    assert_string_equal(KOM(cfg)->navn, "Randers Kommune");
    assert_null(KOM(cfg)->kode);

    snprintf(expect, sizeof expect, "%s/udtraek.csv", dir);
    assert_string_equal(UDT(cfg)->file.path, expect);
    assert_int_equal(UDT(cfg)->file.delimiter, ';');
    assert_int_equal(UDT(cfg)->file.encoding, NG_ENC_AUTO);
    assert_int_equal(UDT(cfg)->file.scale, NG_SCALE_KR);
    assert_int_equal(UDT(cfg)->file.decimal, NG_DECIMAL_AUTO);
    assert_false(UDT(cfg)->has_dato);
    assert_int_equal(UDT(cfg)->afvis, NG_REJECT_FILE);
    assert_int_equal(UDT(cfg)->aar, 0);

    for (int f = 0; f < NG_F_COUNT; f++)
        assert_string_equal(UDT(cfg)->kolonner[f], ng_field_name((ng_field)f));
    assert_string_equal(UDT(cfg)->kolonner[NG_F_BELOEB], "beloeb");

    assert_string_equal(UDT(cfg)->omraader[0][0], "voksen");
    assert_null(UDT(cfg)->omraader[0][1]);
    assert_string_equal(UDT(cfg)->omraader[1][0], "boern");
    assert_string_equal(UDT(cfg)->omraader[1][1], "børn");
    assert_null(UDT(cfg)->omraader[1][2]);
    assert_string_equal(UDT(cfg)->omraader[2][0], "aeldre");
    assert_string_equal(UDT(cfg)->omraader[2][1], "ældre");
    assert_null(UDT(cfg)->omraader[2][2]);

    assert_null(BUD(cfg)->file.path);
    assert_null(INI(cfg)->file.path);
    assert_null(HIS(cfg)->import);
    assert_int_equal(BUD(cfg)->file.delimiter, ';');
    assert_string_equal(OUT(cfg)->mappe, "/var/lib/notatgen/randers");
    /* the store's default is beside the outputs, decided where it is used */
    assert_null(HIS(cfg)->database);
    char *store = ng_history_store_path(&cfg);
    assert_string_equal(store, "/var/lib/notatgen/randers/historik.sqlite");
    free(store);

    assert_int_equal(REF(cfg)->ntaerskler, 0);
    assert_int_equal(REF(cfg)->nbaand, 3);
    assert_int_equal(REF(cfg)->baand[0], 1000000);
    assert_int_equal(REF(cfg)->baand[1], 1500000);
    assert_int_equal(REF(cfg)->baand[2], 2000000);

    assert_string_equal(OUT(cfg)->bilag, "bilag.xlsx");
    assert_int_equal(OUT(cfg)->nnotater, 1);
    assert_string_equal(OUT(cfg)->notater[0], "sde_status");
    assert_non_null(OUT(cfg)->skabeloner);
    assert_null(BUD(cfg)->model); /* budgetmodel.ini among the templates, when used */
    assert_true(!strcmp(OUT(cfg)->skabeloner, NG_DATA_DIR "/templates") ||
                !strcmp(OUT(cfg)->skabeloner, NG_SOURCE_DIR "/templates"));
    assert_null(OUT(cfg)->skrifttyper);
    assert_false(REF(cfg)->sagsliste);

    assert_null(OUT(cfg)->memo.sagsnavn);
    assert_null(OUT(cfg)->memo.sendes_til);
    assert_null(OUT(cfg)->logo);
    assert_null(OUT(cfg)->logo_tekst);
    assert_null(OUT(cfg)->logo_sider); /* alle */
    assert_int_equal(PRIV(cfg)->mindste_celle, 3);
    assert_int_equal(PRO(cfg)->aar, 5);
    assert_int_equal(PRO(cfg)->vindue, 3);
    assert_int_equal(PRO(cfg)->prisaar, 0);
    assert_null(PRO(cfg)->prisindeks);
    assert_true(BUD(cfg)->gaeld_primo == 0.0);
    assert_false(BUD(cfg)->merindtaegt_fra_refusion);
    assert_false(BUD(cfg)->effekt_fra_initiativer);
    assert_false(MAIL(cfg)->configured);
    assert_false(KOM(cfg)->syslog);
    assert_null(BEF(cfg)->fil.path);
    assert_null(BEF(cfg)->kvartal);

    free(dir);
    ng_config_free(&cfg);
    ng_diags_free(&d);
}

static void test_full_every_key(void **state)
{
    ng_config cfg;
    ng_diags d;
    assert_int_equal(load(DATA "valid_full.ini", &cfg, &d), NG_OK);
    assert_int_equal(d.count, 0);
    char *dir = data_dir_abs("");
    char expect[4096];
#define ASSERT_PATH(got, rel)                                                                      \
    do {                                                                                           \
        snprintf(expect, sizeof expect, "%s/%s", dir, rel);                                        \
        assert_string_equal(got, expect);                                                          \
    } while (0)

    assert_string_equal(KOM(cfg)->navn, "Randers Kommune");
    assert_string_equal(KOM(cfg)->kode, "730");

    ASSERT_PATH(UDT(cfg)->file.path, "ind/sde_2026-10-31.csv");
    assert_int_equal(UDT(cfg)->file.delimiter, '\t');
    assert_int_equal(UDT(cfg)->file.encoding, NG_ENC_CP1252);
    assert_int_equal(UDT(cfg)->file.scale, NG_SCALE_TKR);
    assert_int_equal(UDT(cfg)->file.decimal, NG_DECIMAL_COMMA);
    assert_true(UDT(cfg)->has_dato);
    assert_int_equal(UDT(cfg)->dato.y, 2026);
    assert_int_equal(UDT(cfg)->dato.m, 10);
    assert_int_equal(UDT(cfg)->dato.d, 31);
    assert_int_equal(UDT(cfg)->afvis, NG_REJECT_ROW);
    assert_int_equal(UDT(cfg)->aar, 2026);

    static const char *const columns[NG_F_COUNT] = {
        "SagsID",     "År",          "Måned",    "Bogføringsdato", "Beløb",  "Område",
        "Fødselsår",  "Fødselsdato", "Før67",    "Husstand",       "Engang", "Målgruppe",
        "Leverandør", "Tilbud",      "Paragraf", "Kommunenr"};
    for (int f = 0; f < NG_F_COUNT; f++)
        assert_string_equal(UDT(cfg)->kolonner[f], columns[f]);

    /* Values are case-folded, including æ/ø/å. */
    assert_string_equal(UDT(cfg)->omraader[0][0], "voksen");
    assert_string_equal(UDT(cfg)->omraader[0][1], "vok");
    assert_string_equal(UDT(cfg)->omraader[0][2], "handicap");
    assert_null(UDT(cfg)->omraader[0][3]);
    assert_string_equal(UDT(cfg)->omraader[1][0], "børn");
    assert_string_equal(UDT(cfg)->omraader[1][1], "bu");
    assert_null(UDT(cfg)->omraader[1][2]);
    assert_string_equal(UDT(cfg)->omraader[2][0], "ældre");
    assert_string_equal(UDT(cfg)->omraader[2][1], "æld");

    ASSERT_PATH(BUD(cfg)->file.path, "ind/budget.csv");
    assert_int_equal(BUD(cfg)->file.delimiter, ',');
    assert_int_equal(BUD(cfg)->file.encoding, NG_ENC_UTF8);
    assert_int_equal(BUD(cfg)->file.scale, NG_SCALE_MIO);
    assert_int_equal(BUD(cfg)->file.decimal, NG_DECIMAL_POINT);
    ASSERT_PATH(BUD(cfg)->model, "model/budget.ini");
    /* 12.5 mio. kr. with decimal point */
    assert_true(BUD(cfg)->gaeld_primo == 12500000.0);
    assert_true(BUD(cfg)->merindtaegt_fra_refusion);
    assert_true(BUD(cfg)->effekt_fra_initiativer);

    assert_string_equal(INI(cfg)->file.path, "/data/initiativer.csv");
    assert_int_equal(INI(cfg)->file.delimiter, ';');
    assert_int_equal(INI(cfg)->file.encoding, NG_ENC_AUTO);
    assert_int_equal(INI(cfg)->file.scale, NG_SCALE_TKR);
    assert_int_equal(INI(cfg)->file.decimal, NG_DECIMAL_AUTO);

    assert_string_equal(BEF(cfg)->fil.path, "/data/folk1a.csv");
    assert_int_equal(BEF(cfg)->fil.delimiter, ';');
    assert_int_equal(BEF(cfg)->fil.encoding, NG_ENC_CP1252);
    assert_string_equal(BEF(cfg)->kvartal, "2022K4");

    ASSERT_PATH(HIS(cfg)->database, "db/historik.sqlite");
    ASSERT_PATH(HIS(cfg)->import, "ind/historik.csv");

    assert_int_equal(REF(cfg)->ntaerskler, 2);
    assert_int_equal(REF(cfg)->taerskler[0].aar, 2026);
    assert_int_equal(REF(cfg)->taerskler[0].t1, 960000);
    assert_int_equal(REF(cfg)->taerskler[0].t2, 1880000);
    assert_int_equal(REF(cfg)->taerskler[0].t3, 2380000);
    assert_string_equal(REF(cfg)->taerskler[0].kilde,
                        "konfiguration " DATA "valid_full.ini, linje 67");
    assert_int_equal(REF(cfg)->taerskler[1].aar, 2027);
    assert_int_equal(REF(cfg)->taerskler[1].t1, 980000);
    assert_int_equal(REF(cfg)->taerskler[1].t2, 1920000);
    assert_int_equal(REF(cfg)->taerskler[1].t3, 2430000);

    assert_int_equal(REF(cfg)->nbaand, 4);
    assert_int_equal(REF(cfg)->baand[0], 500000);
    assert_int_equal(REF(cfg)->baand[1], 1000000);
    assert_int_equal(REF(cfg)->baand[2], 2000000);
    assert_int_equal(REF(cfg)->baand[3], 3000000);

    ASSERT_PATH(OUT(cfg)->mappe, "ud");
    assert_string_equal(OUT(cfg)->bilag, "SDE-bilag.xlsx");
    assert_int_equal(OUT(cfg)->nnotater, 3);
    assert_string_equal(OUT(cfg)->notater[0], "sde_status");
    assert_string_equal(OUT(cfg)->notater[1], "oekonomi_status");
    assert_string_equal(OUT(cfg)->notater[2], "initiativer");
    ASSERT_PATH(OUT(cfg)->skabeloner, "skabeloner");
    assert_string_equal(OUT(cfg)->skrifttyper, "/usr/share/fonts/truetype/liberation2");
    assert_true(REF(cfg)->sagsliste);

    assert_string_equal(OUT(cfg)->memo.sagsnavn, "Særligt dyre enkeltsager – status");
    assert_string_equal(OUT(cfg)->memo.sagsnummer, "27.00.00-Ø00-1-26");
    assert_string_equal(OUT(cfg)->memo.skrevet_af, "Anne Økonom");
    assert_string_equal(OUT(cfg)->memo.email, "anne.okonom@randers.dk");
    assert_string_equal(OUT(cfg)->memo.forvaltning, "Social- og Sundhedsforvaltningen");
    assert_string_equal(OUT(cfg)->memo.sendes_til, "Socialudvalget");
    ASSERT_PATH(OUT(cfg)->logo, "ind/logo.png");
    assert_string_equal(OUT(cfg)->logo_tekst, "Randers Kommunes logo");
    assert_string_equal(OUT(cfg)->logo_sider, "foerste");

    assert_int_equal(PRIV(cfg)->mindste_celle, 5);
    assert_int_equal(PRO(cfg)->aar, 8);
    assert_int_equal(PRO(cfg)->vindue, 4);
    assert_int_equal(PRO(cfg)->prisaar, 2026);
    ASSERT_PATH(PRO(cfg)->prisindeks, "ind/prisindeks.csv");

    assert_true(MAIL(cfg)->configured);
    assert_string_equal(MAIL(cfg)->host, "smtp.randers.dk");
    assert_int_equal(MAIL(cfg)->port, 2525);
    assert_false(MAIL(cfg)->starttls);
    assert_string_equal(MAIL(cfg)->user, "notatgen");
    assert_null(MAIL(cfg)->password_file);
    assert_string_equal(MAIL(cfg)->password_env, "NOTATGEN_SMTP");
    assert_string_equal(MAIL(cfg)->from, "notatgen@randers.dk");
    assert_int_equal(MAIL(cfg)->nto, 2);
    assert_string_equal(MAIL(cfg)->to[0], "udvalg@randers.dk");
    assert_string_equal(MAIL(cfg)->to[1], "okonomi@randers.dk");
    assert_string_equal(MAIL(cfg)->subject, "Bilag: særligt dyre enkeltsager");
    ASSERT_PATH(MAIL(cfg)->body_template, "mail.md");
    assert_true(MAIL(cfg)->attach_pdf);
    assert_int_equal(MAIL(cfg)->max_attachment_bytes, 5000000);
    assert_int_equal(MAIL(cfg)->retries, 5);
    assert_true(MAIL(cfg)->login_without_tls);
    assert_true(PLAUS(cfg)->max_sag == 40e6);
    assert_int_equal(PLAUS(cfg)->faktor, 4);
    assert_true(PLAUS(cfg)->has_godkend);
    assert_int_equal(ng_date_cmp(PLAUS(cfg)->godkend, (ng_date){2026, 10, 31}), 0);
    assert_true(KOM(cfg)->syslog);
#undef ASSERT_PATH
    free(dir);
    ng_config_free(&cfg);
    ng_diags_free(&d);
}

static void test_example_in_docs_loads(void **state)
{
    ng_config cfg;
    ng_diags d;
    ng_status st = load(NG_SOURCE_DIR "/docs/eksempel.ini", &cfg, &d);
    if (st != NG_OK)
        print_diags(&d);
    assert_int_equal(st, NG_OK);
    assert_int_equal(d.count, 0);
    assert_string_equal(KOM(cfg)->navn, "Randers Kommune");
    assert_true(MAIL(cfg)->configured);
    assert_int_equal(MAIL(cfg)->port, 587);
    assert_true(MAIL(cfg)->starttls);
    assert_int_equal(REF(cfg)->ntaerskler, 1);
    assert_int_equal(REF(cfg)->taerskler[0].aar, 2026);
    ng_config_free(&cfg);
    ng_diags_free(&d);
}

static void test_relative_paths(void **state)
{
    ng_config cfg;
    ng_diags d;
    assert_int_equal(load(DATA "sub/relative_paths.ini", &cfg, &d), NG_OK);
    char *sub = data_dir_abs("sub");
    char expect[4096];
    assert_string_equal(cfg.config_dir, sub);
    snprintf(expect, sizeof expect, "%s/data/udtraek.csv", sub);
    assert_string_equal(UDT(cfg)->file.path, expect);
    snprintf(expect, sizeof expect, "%s/../budget.csv", sub);
    assert_string_equal(BUD(cfg)->file.path, expect);
    assert_string_equal(INI(cfg)->file.path, "/srv/notatgen/initiativer.csv");
    snprintf(expect, sizeof expect, "%s/ud", sub);
    assert_string_equal(OUT(cfg)->mappe, expect);
    snprintf(expect, sizeof expect, "%s/ud/historik.sqlite", sub);
    char *store = ng_history_store_path(&cfg);
    assert_string_equal(store, expect);
    free(store);
    free(sub);
    ng_config_free(&cfg);
    ng_diags_free(&d);
}

/* A config given without a directory is resolved against the current one. */
static void test_relative_config_path(void **state)
{
    char *cwd = getcwd(NULL, 0);
    char *dir = data_dir_abs("");
    assert_int_equal(chdir(dir), 0);
    ng_config cfg;
    ng_diags d;
    assert_int_equal(load("valid_minimal.ini", &cfg, &d), NG_OK);
    assert_string_equal(cfg.config_dir, dir);
    char expect[4096];
    snprintf(expect, sizeof expect, "%s/udtraek.csv", dir);
    assert_string_equal(UDT(cfg)->file.path, expect);
    ng_config_free(&cfg);
    ng_diags_free(&d);
    assert_int_equal(chdir(cwd), 0);
    free(cwd);
    free(dir);
}

/* ---- mistakes --------------------------------------------------------------- */

static void expect_failure(const char *file, ng_status status, const expected_diag *want, size_t n)
{
    ng_config cfg;
    ng_diags d;
    assert_int_equal(load(file, &cfg, &d), status);
    assert_diags(&d, file, want, n);
    ng_config_free(&cfg);
    ng_diags_free(&d);
}

#define EXPECT(file, status, ...)                                                                  \
    do {                                                                                           \
        static const expected_diag want_[] = {__VA_ARGS__};                                        \
        expect_failure(file, status, want_, sizeof want_ / sizeof want_[0]);                       \
    } while (0)

static void test_unknown_key(void **state)
{
    EXPECT(DATA "unknown_key.ini", NG_ERR_CONFIG, ERR(6, "ukendt nøgle 'skilletgn' i [udtraek]"),
           NOTE(6, "mente du 'skilletegn'?"), ERR(7, "ukendt nøgle 'farve' i [udtraek]"));
}

static void test_unknown_section(void **state)
{
    /* The keys of an unknown section are not reported one by one. */
    EXPECT(DATA "unknown_section.ini", NG_ERR_CONFIG, ERR(4, "ukendt afsnit [udtrak]"),
           NOTE(4, "mente du [udtraek]?"), ERR(11, "ukendt afsnit [farver]"));
}

static void test_bad_words(void **state)
{
    EXPECT(DATA "bad_delimiter.ini", NG_ERR_CONFIG,
           ERR(6, "ugyldig værdi for 'tegnsaet': 'latin1' (forventet auto, utf-8 eller "
                  "windows-1252)"),
           ERR(7, "ugyldig værdi for 'skilletegn': 'pipe' (forventet semikolon, komma eller tab)"),
           ERR(8, "ugyldig værdi for 'enhed': 'kroner' (forventet kr, tkr eller mio)"),
           ERR(12, "mangler en værdi for 'skilletegn' (';' indleder en kommentar; skriv "
                   "semikolon som ord)"));
}

static void test_missing_required(void **state)
{
    /* Always-required keys have no line; a key required by a present
     * section points at the section's header. */
    EXPECT(DATA "missing_required.ini", NG_ERR_CONFIG, ERR(0, "mangler nøglen 'navn' i [kommune]"),
           ERR(0, "mangler nøglen 'fil' i [udtraek]"), ERR(0, "mangler nøglen 'mappe' i [output]"),
           ERR(7, "mangler nøglen 'til' i [mail]"));
}

static void test_bad_thresholds(void **state)
{
    const char *file = DATA "bad_threshold.ini";
    EXPECT(file, NG_ERR_CONFIG,
           ERR(12, "ugyldig værdi for '2027': '960.000 1.880.000' (forventet tre beløb i kr. "
                   "adskilt af mellemrum: t1 t2 t3)"),
           ERR(13, "tærsklerne for 2028 skal stige (t1 < t2 < t3): '2.000.000 1.000.000 "
                   "3.000.000'"),
           ERR(14, "ugyldigt år '26' i [taerskler] (forventet ÅÅÅÅ, fx 2026)"),
           ERR(15, "ugyldig værdi for '2029': '960.000 1.880.000 mange' (forventet tre beløb i "
                   "kr. adskilt af mellemrum: t1 t2 t3)"),
           ERR(16, "nøglen '2026' i [taerskler] er angivet igen (første gang i linje 11)"));
    /* The good row is kept. */
    ng_config cfg;
    ng_diags d;
    load(file, &cfg, &d);
    assert_int_equal(REF(cfg)->ntaerskler, 1);
    assert_int_equal(REF(cfg)->taerskler[0].t3, 2380000);
    ng_config_free(&cfg);
    ng_diags_free(&d);
}

static void test_duplicate_key(void **state)
{
    const char *file = DATA "duplicate_key.ini";
    EXPECT(file, NG_ERR_CONFIG,
           ERR(3, "nøglen 'navn' i [kommune] er angivet igen (første gang i linje 2)"),
           ERR(12, "nøglen 'fil' i [udtraek] er angivet igen (første gang i linje 6)"));
    ng_config cfg;
    ng_diags d;
    load(file, &cfg, &d);
    assert_string_equal(KOM(cfg)->navn, "Randers Kommune");
    ng_config_free(&cfg);
    ng_diags_free(&d);
}

static void test_long_line_and_syntax(void **state)
{
    /* inih would report only the first of these, and only its line. */
    EXPECT(DATA "long_line.ini", NG_ERR_CONFIG, ERR(5, "linjen er for lang: 235 byte (højst 198)"),
           ERR(7, "linjen mangler '=' (forventet 'nøgle = værdi')"),
           ERR(14, "ugyldig værdi for 'notater': 'sde_status,' (forventet skabelonnavne (a-z, "
                   "0-9, _ og -) adskilt af komma)"),
           ERR(15, "indrykket linje uden '=': fortsættelseslinjer understøttes ikke (skriv hele "
                   "værdien på én linje)"));
}

static void test_missing_file(void **state)
{
    EXPECT(DATA "findes_ikke.ini", NG_ERR_IO,
           ERR(0, "kan ikke åbne konfigurationsfilen (filen findes ikke)"));
}

/* ---- generated files: boundaries and cross-checks ---------------------------- */

typedef struct {
    char dir[64];
    char path[128];
} scratch;

static void write_scratch(scratch *s, const char *text)
{
    strcpy(s->dir, "/tmp/ng_test_config_XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    snprintf(s->path, sizeof s->path, "%s/t.ini", s->dir);
    FILE *f = fopen(s->path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_scratch(scratch *s)
{
    unlink(s->path);
    rmdir(s->dir);
}

static const char base[] = "[kommune]\nnavn = R\n[udtraek]\nfil = u.csv\n[output]\nmappe = ud\n";

/* The longest line inih accepts is 198 bytes (it needs room for '\n' and
 * NUL in its 200-byte buffer): check our limit against the real library. */
static void test_line_length_boundary(void **state)
{
    for (int len = 198; len <= 199; len++) {
        char text[1024];
        char line[256];
        memset(line, 'x', sizeof line);
        memcpy(line, "sagsnavn = ", 11);
        line[len] = '\0';
        snprintf(text, sizeof text, "%s[notat]\n%s\n", base, line);
        scratch s;
        write_scratch(&s, text);
        ng_config cfg;
        ng_diags d;
        ng_status st = load(s.path, &cfg, &d);
        if (len == 198) {
            assert_int_equal(st, NG_OK);
            assert_int_equal(strlen(OUT(cfg)->memo.sagsnavn), 198 - 11);
        } else {
            assert_int_equal(st, NG_ERR_CONFIG);
            assert_int_equal(d.count, 1);
            assert_int_equal(d.items[0].line, 8);
            assert_string_equal(d.items[0].message, "linjen er for lang: 199 byte (højst 198)");
        }
        ng_config_free(&cfg);
        ng_diags_free(&d);
        remove_scratch(&s);
    }
}

static void expect_text(const char *text, ng_status status, const expected_diag *want, size_t n)
{
    scratch s;
    write_scratch(&s, text);
    expect_failure(s.path, status, want, n);
    remove_scratch(&s);
}

#define EXPECT_TEXT(text, status, ...)                                                             \
    do {                                                                                           \
        static const expected_diag want_[] = {__VA_ARGS__};                                        \
        expect_text(text, status, want_, sizeof want_ / sizeof want_[0]);                          \
    } while (0)

static void test_values_out_of_range(void **state)
{
    char text[2048];
    snprintf(text, sizeof text,
             "%s[privatliv]\nmindste_celle = 0\n[prognose]\naar = fem\nprisaar = 26\n"
             "[udtraek]\ndato = 31-02-2026\nafvis = alle\n[log]\nsyslog = måske\n"
             "[intervaller]\ngraenser = 2.000.000 1.000.000\n[kommune]\nkode = 73\n",
             base);
    EXPECT_TEXT(text, NG_ERR_CONFIG,
                ERR(8, "ugyldig værdi for 'mindste_celle': '0' (forventet et helt tal fra 1 til "
                       "100)"),
                ERR(10, "ugyldig værdi for 'aar': 'fem' (forventet et helt tal fra 1 til 30)"),
                ERR(11, "ugyldig værdi for 'prisaar': '26' (forventet et årstal som 2026)"),
                ERR(13, "ugyldig værdi for 'dato': '31-02-2026' (forventet en dato som "
                        "2025-10-31, 31-10-2025 eller 31.10.2025)"),
                ERR(14, "ugyldig værdi for 'afvis': 'alle' (forventet fil eller raekke)"),
                ERR(16, "ugyldig værdi for 'syslog': 'måske' (forventet ja eller nej)"),
                ERR(18, "ugyldig værdi for 'graenser': '2.000.000 1.000.000' (forventet op til 8 "
                        "beløb i kr. adskilt af mellemrum, stigende, fx 1.000.000 1.500.000 "
                        "2.000.000)"),
                ERR(20, "ugyldig værdi for 'kode': '73' (forventet et kommunenummer på tre "
                        "cifre, fx 730)"));
}

/* [notat.NAVN] gives one memo its own header fields over the [notat] ones. */
static void test_memo_overrides(void **state)
{
    char text[2048];
    snprintf(text, sizeof text,
             "%s[notat]\nsagsnavn = Fælles\nsendes_til = Socialudvalget\nforvaltning = Social\n"
             "[notat.oekonomi_status]\nsendes_til = Byrådet\nemail = a@b.dk\n",
             base);
    scratch s;
    write_scratch(&s, text);
    ng_config cfg;
    ng_diags d;
    assert_int_equal(load(s.path, &cfg, &d), NG_OK);
    ng_memo_meta m;
    ng_output_memo_meta(OUT(cfg), "oekonomi_status", &m);
    assert_string_equal(m.sendes_til, "Byrådet");
    assert_string_equal(m.sagsnavn, "Fælles");
    assert_string_equal(m.email, "a@b.dk");
    ng_output_memo_meta(OUT(cfg), "sde_status", &m);
    assert_string_equal(m.sendes_til, "Socialudvalget");
    assert_null(m.email);
    ng_config_free(&cfg);
    ng_diags_free(&d);
    remove_scratch(&s);
    snprintf(text, sizeof text, "%s[notat.x]\nsendestil = Byrådet\nemail = nej\n", base);
    EXPECT_TEXT(text, NG_ERR_CONFIG, ERR(8, "ukendt nøgle 'sendestil' i [notat.x]"),
                ERR(9, "ugyldig værdi for 'email': 'nej' (forventet en e-mailadresse, fx "
                       "navn@randers.dk)"));
    /* the letterhead is the same on every memo: its keys stay in [notat] */
    snprintf(text, sizeof text, "%s[notat]\nlogo_sider = nogle\n[notat.x]\nlogo = l.png\n", base);
    EXPECT_TEXT(text, NG_ERR_CONFIG,
                ERR(10, "nøglen 'logo' gælder alle notater og hører til i [notat]"),
                ERR(8, "ugyldig værdi for 'logo_sider': 'nogle' (forventet alle eller foerste)"));
}

static void test_mail_rules(void **state)
{
    char text[2048];
    snprintf(text, sizeof text,
             "%s[mail]\nserver = smtp\nfra = ikke-en-adresse\ntil = a@x.dk, b\n"
             "bruger = u\nadgangskode_fil = pw\nadgangskode_env = PW\n",
             base);
    EXPECT_TEXT(text, NG_ERR_CONFIG,
                ERR(9, "ugyldig værdi for 'fra': 'ikke-en-adresse' (forventet en e-mailadresse, "
                       "fx navn@randers.dk)"),
                ERR(10, "ugyldig værdi for 'til': 'a@x.dk, b' (forventet e-mailadresser adskilt "
                        "af komma)"),
                ERR(7, "angiv kun én af 'adgangskode_fil' og 'adgangskode_env' i [mail]"));
    snprintf(text, sizeof text, "%s[mail]\nserver = smtp\nfra = a@x.dk\ntil = b@x.dk\nbruger = u\n",
             base);
    EXPECT_TEXT(text, NG_ERR_CONFIG,
                ERR(7, "'bruger' kræver 'adgangskode_fil' eller 'adgangskode_env' i [mail]"));
}

static void test_mapping_clashes(void **state)
{
    char text[2048];
    snprintf(text, sizeof text,
             "%s[kolonner]\nbeloeb = Beløb\naar = beløb\n[omraader]\nvoksen = Voksen, Børn\n",
             base);
    EXPECT_TEXT(text, NG_ERR_CONFIG,
                ERR(8, "kolonnen 'Beløb' bruges til både 'aar' og 'beloeb' i [kolonner]"),
                ERR(11, "værdien 'børn' står under både 'voksen' og 'boern' i [omraader]"));
    /* the default of kommunal (its own name) counts as its list */
    snprintf(text, sizeof text, "%s[leverandoertyper]\nprivat = Privat, Selvejende, Kommunal\n",
             base);
    EXPECT_TEXT(text, NG_ERR_CONFIG,
                ERR(8, "værdien 'kommunal' står under både 'kommunal' og 'privat' i "
                       "[leverandoertyper]"));
}

static void test_scenarier(void **state)
{
    char text[2048];
    snprintf(text, sizeof text,
             "%s[scenarier]\ndemografi_aarlig = 5.000.000\ndemografi = 1.000.000 2.000.000\n",
             base);
    EXPECT_TEXT(text, NG_ERR_CONFIG,
                ERR(9, "angiv kun én af 'demografi_aarlig' og 'demografi' i [scenarier]"));
    snprintf(text, sizeof text, "%s[scenarier]\ninitiativer = nej\n", base);
    EXPECT_TEXT(text, NG_ERR_CONFIG,
                ERR(7, "[scenarier] har hverken en demografiregulering ('demografi_aarlig' eller "
                       "'demografi') eller initiativer: scenarie 2 ville være lig scenarie 1"));
    snprintf(text, sizeof text, "%s[scenarier]\ndemografi = 2.000.000 1.000.000\n", base);
    EXPECT_TEXT(text, NG_ERR_CONFIG,
                ERR(8, "ugyldig værdi for 'demografi': '2.000.000 1.000.000' (forventet op til 8 "
                       "beløb i kr. adskilt af mellemrum, stigende, fx 1.000.000 1.500.000 "
                       "2.000.000)"));
}

static void test_key_outside_section_and_gaeld(void **state)
{
    char text[2048];
    snprintf(text, sizeof text, "navn = R\n%s[budget]\nfil = b.csv\nenhed = tkr\ngaeld_primo = x\n",
             base);
    EXPECT_TEXT(text, NG_ERR_CONFIG, ERR(1, "nøglen 'navn' står før det første afsnit"),
                ERR(11, "ugyldig værdi for 'gaeld_primo': 'x' (forventet et beløb i budgetfilens "
                        "enhed, fx 12.345.678 eller -1.234,5)"));
}

/* gaeld_primo is read in the budget file's enhed, even when enhed comes after it. */
static void test_gaeld_primo_scale(void **state)
{
    char text[2048];
    snprintf(text, sizeof text, "%s[budget]\nfil = b.csv\ngaeld_primo = -1.234,5\nenhed = tkr\n",
             base);
    scratch s;
    write_scratch(&s, text);
    ng_config cfg;
    ng_diags d;
    assert_int_equal(load(s.path, &cfg, &d), NG_OK);
    assert_true(BUD(cfg)->gaeld_primo == -1234500.0);
    ng_config_free(&cfg);
    ng_diags_free(&d);
    remove_scratch(&s);
}

/* A UTF-8 BOM, CRLF line ends, ':' separators and inline comments are read. */
static void test_bom_crlf_comments(void **state)
{
    scratch s;
    write_scratch(&s, "\xEF\xBB\xBF[kommune]\r\nnavn: Randers Kommune ; kommentar\r\n"
                      "# kommentar\r\n  [udtraek]\r\n  fil = u.csv\r\n[output]\r\nmappe = ud\r\n");
    ng_config cfg;
    ng_diags d;
    ng_status st = load(s.path, &cfg, &d);
    if (st != NG_OK)
        print_diags(&d);
    assert_int_equal(st, NG_OK);
    assert_string_equal(KOM(cfg)->navn, "Randers Kommune");
    ng_config_free(&cfg);
    ng_diags_free(&d);
    remove_scratch(&s);
}

static void test_invalid_utf8(void **state)
{
    char text[2048];
    snprintf(text, sizeof text, "%s[notat]\nsagsnavn = S\xe6rligt\n", base);
    EXPECT_TEXT(text, NG_ERR_CONFIG, ERR(8, "linjen er ikke gyldig UTF-8 (gem filen som UTF-8)"));
}

/* Bytes a reader cannot see are errors naming line and column, never a
 * silent cut: a NUL in a value ("Rand\0ers" must not become "Rand"), a CR
 * alone (Mac line ends hide the lines after it), an escape character, a
 * zero-width space; a UTF-16 file is named as such. */
static void expect_bytes(const char *bytes, size_t n, long line, long column, const char *msg)
{
    scratch s;
    write_scratch(&s, "");
    FILE *f = fopen(s.path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    ng_config cfg;
    ng_diags d;
    assert_int_equal(load(s.path, &cfg, &d), NG_ERR_CONFIG);
    assert_true(d.count >= 1);
    if (d.items[0].line != line || d.items[0].column != column ||
        strcmp(d.items[0].message, msg) != 0) {
        print_diags(&d);
        fail_msg("want %ld:%ld: %s", line, column, msg);
    }
    ng_config_free(&cfg);
    ng_diags_free(&d);
    remove_scratch(&s);
}

static void test_hidden_bytes(void **state)
{
    (void)state;
    static const char nul[] = "[kommune]\nnavn = Rand\0ers\n[udtraek]\nfil = u.csv\n";
    expect_bytes(nul, sizeof nul - 1, 2, 12, "linjen indeholder et NUL-tegn (byte 0)");
    static const char cr[] = "[kommune]\rnavn = R\r[udtraek]\rfil = u.csv\r";
    expect_bytes(cr, sizeof cr - 1, 1, 10,
                 "vognretur (CR) midt i linjen: filen har vist kun CR som linjeskift (gem den "
                 "med LF eller CRLF)");
    static const char esc[] = "[kommune]\nnavn = R\x1b[2J\n";
    expect_bytes(esc, sizeof esc - 1, 2, 9, "linjen indeholder et styretegn (U+001B)");
    static const char zwsp[] = "[kommune]\nnavn\xE2\x80\x8B = R\n";
    expect_bytes(zwsp, sizeof zwsp - 1, 2, 5,
                 "linjen indeholder et usynligt tegn (U+200B, nulbredde-mellemrum)");
    static const char utf16[] = "\xFF\xFE[\0k\0";
    expect_bytes(utf16, sizeof utf16 - 1, 1, 1, "filen er gemt som UTF-16; gem den som UTF-8");
}

/* ---- docs/konfiguration.md matches the code ----------------------------------- */

typedef struct {
    char section[32];
    char key[64];
    char example[256];
} doc_row;

static void trim_cell(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '`'))
        s[--n] = '\0';
    size_t k = strspn(s, " `");
    memmove(s, s + k, strlen(s + k) + 1);
}

/* The rows of the per-section key tables: "| `key` | ... | `example` |". */
static size_t read_doc_rows(doc_row *rows, size_t max)
{
    FILE *f = fopen(NG_SOURCE_DIR "/docs/konfiguration.md", "r");
    assert_non_null(f);
    char line[2048];
    char section[32] = "";
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "## [", 4)) {
            snprintf(section, sizeof section, "%.*s", (int)strcspn(line + 4, "]"), line + 4);
            continue;
        }
        if (!section[0] || strncmp(line, "| `", 3))
            continue;
        assert_true(n < max);
        char *cells[8];
        size_t ncells = 0;
        for (char *tok = strtok(line, "|"); tok && ncells < 8; tok = strtok(NULL, "|"))
            cells[ncells++] = tok;
        assert_true(ncells >= 3);
        doc_row *r = &rows[n++];
        snprintf(r->section, sizeof r->section, "%s", section);
        snprintf(r->key, sizeof r->key, "%s", cells[0]);
        snprintf(r->example, sizeof r->example, "%s", cells[ncells - 1]);
        trim_cell(r->key);
        trim_cell(r->example);
    }
    fclose(f);
    return n;
}

/* Keys a row's example needs beside it to make a valid file. */
static const char *companions(const doc_row *r)
{
    if (!strcmp(r->section, "budget") || !strcmp(r->section, "initiativer") ||
        !strcmp(r->section, "fingerplan") || !strcmp(r->section, "befolkning"))
        return strcmp(r->key, "fil") ? "fil = x.csv\n" : "";
    if (!strcmp(r->section, "refusionsbudget"))
        return strcmp(r->key, "beloeb") ? "beloeb = 1.000\n" : "";
    if (!strcmp(r->section, "scenarier") && !strcmp(r->key, "initiativer"))
        return "demografi_aarlig = 1.000\n"; /* with initiativer = nej a regulation is needed */
    if (!strcmp(r->section, "mail")) {
        if (!strcmp(r->key, "server"))
            return "fra = a@b.dk\ntil = c@d.dk\n";
        if (!strcmp(r->key, "fra"))
            return "server = s\ntil = c@d.dk\n";
        if (!strcmp(r->key, "til"))
            return "server = s\nfra = a@b.dk\n";
        if (!strcmp(r->key, "bruger"))
            return "server = s\nfra = a@b.dk\ntil = c@d.dk\nadgangskode_env = PW\n";
        return "server = s\nfra = a@b.dk\ntil = c@d.dk\n";
    }
    return "";
}

static void count_key(void *ctx, const char *module, const ng_config_key *k)
{
    (void)module;
    (void)k;
    ++*(size_t *)ctx;
}

/* Every documented example is accepted by the loader, as documented. */
static void test_docs_examples_load(void **state)
{
    static doc_row rows[200];
    size_t n = read_doc_rows(rows, 200);
    /* a row per key every module declares, and one for [taerskler] ÅÅÅÅ */
    size_t declared = 0;
    ng_config_each_key(count_key, &declared);
    assert_int_equal(n, declared + 1);
    for (size_t i = 0; i < n; i++) {
        char text[2048];
        bool base_section = !strcmp(rows[i].section, "kommune") ||
                            !strcmp(rows[i].section, "udtraek") ||
                            !strcmp(rows[i].section, "output");
        /* Keys of the base sections replace the base's own line. */
        if (base_section)
            snprintf(text, sizeof text, "[%s]\n%s\n%s%s%s", rows[i].section, rows[i].example,
                     strcmp(rows[i].section, "kommune") ? "[kommune]\nnavn = R\n" : "",
                     strcmp(rows[i].section, "udtraek") ? "[udtraek]\nfil = u.csv\n" : "",
                     strcmp(rows[i].section, "output") ? "[output]\nmappe = ud\n" : "");
        else
            snprintf(text, sizeof text, "%s[%s]\n%s\n%s", base, rows[i].section, rows[i].example,
                     companions(&rows[i]));
        if (base_section && strcmp(rows[i].key, "navn") && strcmp(rows[i].key, "fil") &&
            strcmp(rows[i].key, "mappe")) {
            const char *req = !strcmp(rows[i].section, "kommune")   ? "navn = R\n"
                              : !strcmp(rows[i].section, "udtraek") ? "fil = u.csv\n"
                                                                    : "mappe = ud\n";
            strncat(text, "\n", sizeof text - strlen(text) - 1);
            /* a repeated section header is allowed */
            char more[128];
            snprintf(more, sizeof more, "[%s]\n%s", rows[i].section, req);
            strncat(text, more, sizeof text - strlen(text) - 1);
        }
        scratch s;
        write_scratch(&s, text);
        ng_config cfg;
        ng_diags d;
        ng_status st = load(s.path, &cfg, &d);
        if (st != NG_OK) {
            printf("docs row [%s] %s: %s\n", rows[i].section, rows[i].key, rows[i].example);
            print_diags(&d);
        }
        assert_int_equal(st, NG_OK);
        ng_config_free(&cfg);
        ng_diags_free(&d);
        remove_scratch(&s);
    }
}

static bool documented(const doc_row *rows, size_t n, const char *section, const char *key)
{
    bool year = strlen(key) == 4 && strspn(key, "0123456789") == 4;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].section, section) &&
            (!strcmp(rows[i].key, key) || (year && !strcmp(rows[i].key, "ÅÅÅÅ"))))
            return true;
    return false;
}

/* Every key of the full test file and of the example is documented. */
static void test_every_key_documented(void **state)
{
    static doc_row rows[200];
    size_t n = read_doc_rows(rows, 200);
    const char *files[] = {DATA "valid_full.ini", NG_SOURCE_DIR "/docs/eksempel.ini"};
    size_t checked = 0;
    for (size_t f = 0; f < 2; f++) {
        FILE *fp = fopen(files[f], "r");
        assert_non_null(fp);
        char line[512];
        char section[32] = "";
        while (fgets(line, sizeof line, fp)) {
            /* "; key = value" lines in the example are documented keys too */
            char *s = line + strspn(line, "; \t");
            if (line[0] == '[') {
                snprintf(section, sizeof section, "%.*s", (int)strcspn(line + 1, "]"), line + 1);
                continue;
            }
            size_t klen = strspn(s, "abcdefghijklmnopqrstuvwxyz_0123456789");
            if (!klen || strncmp(s + klen, " = ", 3))
                continue;
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)klen, s);
            if (!documented(rows, n, section, key))
                printf("not documented: [%s] %s\n", section, key);
            assert_true(documented(rows, n, section, key));
            checked++;
        }
        fclose(fp);
    }
    assert_true(checked > 150);
}

static void test_fields(void **state)
{
    assert_string_equal(ng_field_name(NG_F_SAG_ID), "sag_id");
    assert_string_equal(ng_field_name(NG_F_LEVERANDOERTYPE), "leverandoertype");
    assert_string_equal(ng_field_name(NG_F_KOMMUNE), "kommune");
    assert_null(ng_field_name(NG_F_COUNT));
    int required = 0;
    for (int f = 0; f < NG_F_COUNT; f++)
        required += ng_field_required((ng_field)f);
    assert_int_equal(required, 4);
    assert_true(ng_field_required(NG_F_SAG_ID));
    assert_true(ng_field_required(NG_F_BELOEB));
    assert_true(ng_field_required(NG_F_OMRAADE));
    assert_true(ng_field_required(NG_F_FOEDSELSAAR));
    assert_false(ng_field_required(NG_F_AAR));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_defaults),
        cmocka_unit_test(test_full_every_key),
        cmocka_unit_test(test_example_in_docs_loads),
        cmocka_unit_test(test_relative_paths),
        cmocka_unit_test(test_relative_config_path),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_unknown_section),
        cmocka_unit_test(test_bad_words),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_bad_thresholds),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_long_line_and_syntax),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_line_length_boundary),
        cmocka_unit_test(test_values_out_of_range),
        cmocka_unit_test(test_mail_rules),
        cmocka_unit_test(test_memo_overrides),
        cmocka_unit_test(test_mapping_clashes),
        cmocka_unit_test(test_scenarier),
        cmocka_unit_test(test_key_outside_section_and_gaeld),
        cmocka_unit_test(test_gaeld_primo_scale),
        cmocka_unit_test(test_bom_crlf_comments),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_hidden_bytes),
        cmocka_unit_test(test_docs_examples_load),
        cmocka_unit_test(test_every_key_documented),
        cmocka_unit_test(test_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
