/* test_oekonomi_example.c -- examples/oekonomi.ini through the economy
 * modules (refusionsbudget, initiativer, fingerplan, prognose, scenarier, budget;
 * module.h) and the
 * prognose module's record step: the budget outlook reproduces budgetmodel_2023.csv
 * with the fingerplan feeding effekt_fingerplan, the 2021 forecast is set
 * against the actuals, and every placeholder, table and figure of
 * templates/oekonomi_status.md and templates/initiativer.md exists in the
 * dataset with a fitting filter, and their text holds no number of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <ctype.h>
#include <math.h>

#include <unistd.h>

#include "notatgen/modules.h"
#include "notatgen/output.h"
#include "notatgen/pipeline.h"
#include "notatgen/registry.h"
#include "notatgen/template.h"

static ng_config cfg;
static ng_pipeline pipe_;
#define ds (pipe_.ds)
static ng_diags diags;
static char store[64];

static ng_status step(const ng_module *m, ng_status (*fn)(const void *, ng_pipeline *))
{
    return fn(ng_module_options(&cfg, m), &pipe_);
}

static int setup(void **state)
{
    (void)state;
    ng_diags_init(&diags);
    if (ng_config_load(NG_SOURCE_DIR "/examples/oekonomi.ini", &cfg, &diags) != NG_OK) {
        ng_diags_print(&diags, stdout);
        return -1;
    }
    ng_pipeline_init(&pipe_, &cfg, &diags);
    pipe_.dato = (ng_date){2023, 8, 22};
    pipe_.has_dato = true;
    pipe_.aar = 2023;
    /* what the output module's prepare step gives the others */
    const ng_output_options *out = ng_module_options(&cfg, &ng_module_output);
    pipe_.output_dir = out->mappe;
    pipe_.template_dir = out->skabeloner;
    /* set by the extract module from the extract date */
    ng_dataset_set_num(&ds, "udtraek_dato", NG_UNIT_DATO,
                       (double)ng_date_to_days((ng_date){2023, 8, 22}));
    ng_dataset_set_num(&ds, "aar", NG_UNIT_AAR, 2023);
    pipe_.refusion.aar = 2023; /* no cases: the refusion module's result is empty */
    snprintf(store, sizeof store, "/tmp/ng_test_oekonomi_XXXXXX");
    int fd = mkstemp(store);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(store); /* a unique name: the store is created there, never in an empty file */
    ng_status st = ng_history_open(store, &pipe_.history, &diags);
    /* the refusion budget against no cases: the extract is not read here */
    const ng_module *economy[] = {&ng_module_refusionsbudget, &ng_module_initiativer,
                                  &ng_module_fingerplan,      &ng_module_prognose,
                                  &ng_module_scenarier,       &ng_module_budget};
    for (size_t i = 0; i < sizeof economy / sizeof *economy && st == NG_OK; i++)
        st = step(economy[i], economy[i]->compute);
    /* after publishing: the forecasts the run published go to the store */
    if (st == NG_OK && !(pipe_.entry = ng_history_entry_new(pipe_.dato, NULL, NULL, NULL)))
        st = NG_ERR_NOMEM;
    if (st == NG_OK)
        st = step(&ng_module_prognose, ng_module_prognose.record);
    if (st == NG_OK)
        st = ng_history_commit_entry(pipe_.history, pipe_.entry, &diags);
    ng_diags_print(&diags, stdout);
    return st == NG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ng_pipeline_free(&pipe_);
    unlink(store);
    char lock[80];
    snprintf(lock, sizeof lock, "%s.lock", store);
    unlink(lock);
    ng_config_free(&cfg);
    ng_diags_free(&diags);
    return 0;
}

static double cell(const char *table, const char *row, const char *col)
{
    const ng_table *t = ng_dataset_table(&ds, table);
    assert_non_null(t);
    const ng_cell *c = ng_table_cell(t, ng_table_row(t, row), ng_table_col(t, col));
    assert_non_null(c);
    return c->num;
}

static void test_numbers(void **state)
{
    (void)state;
    assert_int_equal(diags.errors + diags.warnings, 0);
    /* the fingerplan (1.000 kr.) replaced effekt_fingerplan: same outlook */
    assert_true(cell("budgetoverslag", "effekt_fingerplan", "2025") == -3950000.0);
    assert_true(cell("budgetoverslag", "udgift_inkl_alt", "2025") == 708150000.0);
    assert_true(cell("budgetoverslag", "gaeld", "2027") == 232500000.0);
    assert_true(ng_dataset_value(&ds, "budget_merforbrug_foer_sdes_foerste")->num == 71.1e6);
    /* the seed's 2021 forecast against the history */
    assert_string_equal(ng_dataset_value(&ds, "prognose_lavet")->text, "2021");
    assert_true(cell("prognose_mod_faktisk", "2023", "afvigelse_udgift") == 30600000.0);
    assert_true(ng_dataset_value(&ds, "sammenligning_faktisk_antal")->num == 179);
    /* initiatives */
    assert_true(cell("initiativer_investering", "i_alt", "2025") == 14100000.0);
    /* the forecast the run published was stored, as published */
    ng_stored_forecast fc;
    bool found = false;
    assert_int_equal(ng_history_pick_forecast(pipe_.history, 2100, &fc, &found, &diags), NG_OK);
    assert_true(found);
    assert_string_equal(fc.made_on, "2023-08-22");
    assert_string_equal(fc.method, "vaekst");
    assert_int_equal(fc.npoints, 5);
    assert_true(fabs(fc.points[4].antal - cell("prognose", "2028", "antal_vaekst")) < 1e-9);
}

/* Every published name is registered with its unit (what a run checks). */
static void test_registered(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    ng_status st = ng_registry_check(&ds, &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    assert_int_equal(d.errors + d.warnings, 0);
    ng_diags_free(&d);
}

static bool filter_fits(const char *f, ng_unit u)
{
    bool money = u == NG_UNIT_KR || u == NG_UNIT_TKR || u == NG_UNIT_MIO;
    if (!strcmp(f, "mio") || !strcmp(f, "tkr") || !strcmp(f, "kr"))
        return money;
    if (!strcmp(f, "antal") || !strcmp(f, "flertal"))
        return u == NG_UNIT_ANTAL;
    if (!strcmp(f, "pct"))
        return u == NG_UNIT_PCT;
    if (!strcmp(f, "dato") || !strcmp(f, "dato_kort"))
        return u == NG_UNIT_DATO;
    /* the sign filters and the sign's word */
    if (!strcmp(f, "abs") || !strcmp(f, "modsat") || !strcmp(f, "fortegn"))
        return money || u == NG_UNIT_PCT || u == NG_UNIT_ANTAL;
    return false;
}

/* Checks one {{ ... }} placeholder (inner text): NAME | filter | ... */
static void check_placeholder(const char *path, int line, char *inner)
{
    char name[128] = "";
    sscanf(inner, " %127[^| ]", name);
    if (name[0] == '#' || name[0] == '/')
        return; /* a {{#hvis}} section marker, not a placeholder */
    char *dot = strchr(name, '.');
    if (dot)
        fail_msg("%s:%d: '%s' names a table cell; use a value (no year keys in templates)", path,
                 line, name);
    const ng_value *v = ng_dataset_value(&ds, name);
    if (!v)
        fail_msg("%s:%d: unknown value '%s'", path, line, name);
    int nfilters = 0;
    for (char *bar = strchr(inner, '|'); bar; bar = strchr(bar + 1, '|')) {
        char filter[32] = "";
        sscanf(bar + 1, " %31[a-z_]", filter);
        nfilters++;
        if (v->is_text || !filter_fits(filter, v->unit))
            fail_msg("%s:%d: filter '%s' does not fit '%s'", path, line, filter, name);
    }
    if (!nfilters && !v->is_text && v->unit != NG_UNIT_AAR && v->unit != NG_UNIT_TEXT)
        fail_msg("%s:%d: '%s' needs a filter", path, line, name);
}

static void check_template(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[1024];
    int line = 0, blocks = 0;
    bool in_comment = false;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        char kind[16], name[64];
        if (sscanf(buf, "```%15s %63s", kind, name) == 2) {
            blocks++;
            if (!strcmp(kind, "tabel") && !ng_dataset_table(&ds, name))
                fail_msg("%s:%d: unknown table '%s'", path, line, name);
            if (!strcmp(kind, "figur") && !ng_dataset_figure(&ds, name))
                fail_msg("%s:%d: unknown figure '%s'", path, line, name);
            continue;
        }
        /* text outside placeholders and comments must hold no digit */
        char *p = buf;
        while (*p) {
            if (in_comment) {
                char *end = strstr(p, "-->");
                if (!end)
                    break;
                in_comment = false;
                p = end + 3;
            } else if (!strncmp(p, "<!--", 4)) {
                in_comment = true;
                p += 4;
            } else if (!strncmp(p, "{{", 2)) {
                char *end = strstr(p, "}}");
                assert_non_null(end);
                *end = '\0';
                check_placeholder(path, line, p + 2);
                p = end + 2;
            } else {
                /* a scenario's or a model's name ("Scenarie 1", "model 2") is
                 * a name, not a figure */
                bool named = (p - buf >= 9 && !strncasecmp(p - 9, "scenarie ", 9)) ||
                             (p - buf >= 6 && !strncasecmp(p - 6, "model ", 6));
                if (isdigit((unsigned char)*p) && !named)
                    fail_msg("%s:%d: a number in the text: %s", path, line, buf);
                p++;
            }
        }
    }
    fclose(f);
    assert_true(blocks > 0);
}

static void test_templates(void **state)
{
    (void)state;
    check_template(NG_SOURCE_DIR "/templates/oekonomi_status.md");
    check_template(NG_SOURCE_DIR "/templates/initiativer.md");
}

/* The paragraph texts of a rendered memo, joined with '\n'. */
static void memo_text(const ng_memo *m, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t b = 0; b < m->nblocks; b++) {
        for (size_t r = 0; r < m->blocks[b].nruns; r++)
            n +=
                (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s", m->blocks[b].runs[r].text);
        n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "\n");
    }
    assert_true(n < size);
}

static void render(const char *path, ng_memo *m)
{
    ng_diags d;
    ng_diags_init(&d);
    ng_memo_init(m);
    const ng_output_options *out = ng_module_options(&cfg, &ng_module_output);
    ng_status st = ng_template_render(path, &ds, &out->memo, m, &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    assert_int_equal(d.errors + d.warnings, 0);
    ng_diags_free(&d);
}

/* The shipped templates render; the seed's sentences come out of the data. */
static void test_render(void **state)
{
    (void)state;
    static char text[65536];
    ng_memo m;
    render(NG_SOURCE_DIR "/templates/oekonomi_status.md", &m);
    memo_text(&m, text, sizeof text);
    assert_string_equal(m.dato, "22-08-2023");
    assert_non_null(strstr(text, "Der forventes et samlet merforbrug på 71,1 mio. kr. på "
                                 "socialområdet (service) i 2023. Med en overført gæld fra 2022 "
                                 "på 69,1 mio. kr. forventes i 2023 et merforbrug på 140,2 mio. "
                                 "kr."));
    assert_non_null(strstr(text, "Herved forventes årets resultat at udgøre et merforbrug på "
                                 "37,9 mio. kr. eller 107,0 mio. kr., når gæld fra tidligere år "
                                 "medregnes."));
    assert_non_null(strstr(text, "I 2017 var der 95 særligt dyre sager, og i 2023 er der "
                                 "foreløbigt 179 sager."));
    assert_non_null(strstr(text, "I prognosen udgjorde de forventede udgifter i 2023 248,0 mio. "
                                 "kr., og antallet af sager var skønnet til 165 sager."));
    assert_non_null(strstr(text, "afbøde udgiftsstigningen med 6,5 mio. kr. i 2027"));
    assert_non_null(strstr(text, "afbøde udgiftsudviklingen med 74,2 mio. kr. i 2027"));
    assert_non_null(strstr(text, "I 2027 forventes således et merforbrug på service på 27,1 mio. "
                                 "kr., og den akkumulerede gæld forventes at være på 232,5 mio. "
                                 "kr."));
    size_t tables = 0, figures = 0;
    for (size_t b = 0; b < m.nblocks; b++) {
        tables += m.blocks[b].kind == NG_BLOCK_TABLE;
        figures += m.blocks[b].kind == NG_BLOCK_FIGURE;
    }
    assert_int_equal(tables, 8);
    assert_int_equal(figures, 3);
    /* the refusion budget against no cases (the extract is not read here):
     * all of 72,0 mio. kr. is a mindreindtægt, a quarter 0 */
    assert_non_null(strstr(text, "Indtægtsbudgettet for refusion af særligt dyre enkeltsager er "
                                 "på 72,0 mio. kr. i 2023."));
    assert_non_null(strstr(text, "Det er en mindreindtægt på 72,0 mio. kr. i forhold til "
                                 "budgettet."));
    /* voksne and ældre (model 2) keep -69,1 mio. kr., børn (model 1) -2,9 */
    assert_non_null(strstr(text, "Af forskellen tilfalder -69,1 mio. kr. fagområderne og -2,9 mio. "
                                 "kr. kassen."));
    assert_non_null(strstr(text, "senest den 15. maj 2024"));
    ng_memo_free(&m);

    render(NG_SOURCE_DIR "/templates/initiativer.md", &m);
    memo_text(&m, text, sizeof text);
    assert_non_null(strstr(text, "I det følgende beskrives 3 forslag"));
    assert_non_null(strstr(text, "nettoeffekt på -18,0 mio. kr. i 2025"));
    assert_non_null(strstr(text, "investeringer for 14,1 mio. kr. og effekter for -32,1 mio. kr."));
    /* the scenarios: 5 mio. kr. more regulation each year from 2023 (25 in
     * 2028) and the initiatives' -18,0 mio. kr. of 2025, held */
    assert_non_null(strstr(text, "Som det fremgår af figuren, vil den løbende demografi (her "
                                 "anslået til 25,0 mio. kr. i 2028) og de 3 initiativer (forventet "
                                 "18,0 mio. kr. i 2028) kunne mindske udgiftsudviklingen/hæve "
                                 "budgettet med samlet 43,0 mio. kr., så der bliver en forbedring "
                                 "i prognosen på dette beløb."));
    ng_memo_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_registered),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_render),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
