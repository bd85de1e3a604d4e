/* test_template.c -- templates (Markdown + placeholders) -> ng_memo, the
 * registry, and a corpus of bad templates with their exact messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <unistd.h>

#include "notatgen/ingest.h"
#include "notatgen/refusion.h"
#include "notatgen/registry.h"
#include "notatgen/strbuf.h"
#include "notatgen/template.h"

/* ---- a small dataset built by hand --------------------------------------- */

static long days(int y, int m, int d)
{
    return ng_date_to_days((ng_date){y, m, d});
}

static ng_table *per_trin_table(void)
{
    ng_table *t = ng_table_new("refusion_per_trin", "Sager fordelt på refusionstrin");
    int trin = ng_table_add_column(t, "trin", "Refusionstrin", NG_UNIT_ANTAL);
    int antal = ng_table_add_column(t, "antal", "Antal sager", NG_UNIT_ANTAL);
    int udgift = ng_table_add_column(t, "udgift", "Udgift (mio. kr.)", NG_UNIT_MIO);
    int r25 = ng_table_add_row(t, "25", 0);
    int r50 = ng_table_add_row(t, "50", 0);
    ng_table_set_num(t, r25, trin, 25);
    ng_table_set_num(t, r25, antal, 169);
    ng_table_set_num(t, r25, udgift, 214.1e6);
    ng_table_set_num(t, r50, trin, 50);
    ng_table_set_num(t, r50, antal, 39);
    ng_table_set_num(t, r50, udgift, 79.2e6);
    ng_table_add_total_row(t, "i_alt", "I alt", trin, r25, r50);
    ng_table_evaluate(t);
    return t;
}

static ng_table *aar_table(void)
{
    ng_table *t = ng_table_new("refusion_aar", "Social voksen pr. år");
    int aar = ng_table_add_column(t, "aar", "År", NG_UNIT_AAR);
    int u25 = ng_table_add_column(t, "udgift_25", "Udgift 25 pct.", NG_UNIT_MIO);
    int u50 = ng_table_add_column(t, "udgift_50", "Udgift 50 pct.", NG_UNIT_MIO);
    static const double rows[][3] = {{2022, 183.5e6, 38.0e6}, {2025, 214.1e6, 79.2e6}};
    for (int i = 0; i < 2; i++) {
        char key[8];
        snprintf(key, sizeof key, "%.0f", rows[i][0]);
        int r = ng_table_add_row(t, key, 0);
        ng_table_set_num(t, r, aar, rows[i][0]);
        ng_table_set_num(t, r, u25, rows[i][1]);
        ng_table_set_num(t, r, u50, rows[i][2]);
    }
    return t;
}

static void add_figure(ng_dataset *ds)
{
    int series[] = {1, 2};
    int cats[] = {0, 1};
    ng_figure f = {.name = "refusion_aar_figur",
                   .table = "refusion_aar",
                   .title = "Udgift pr. refusionstrin",
                   .y_title = "mio. kr.",
                   .type = NG_FIG_STACKED,
                   .series_from_rows = false,
                   .series = series,
                   .nseries = 2,
                   .cats = cats,
                   .ncats = 2,
                   .label_col = 0};
    assert_int_equal(ng_dataset_add_figure(ds, &f), NG_OK);
}

static int setup(void **state)
{
    ng_dataset *ds = calloc(1, sizeof *ds);
    ng_dataset_init(ds);
    ds->udtraek_dato = (ng_date){2026, 11, 22};
    ng_dataset_set_num(ds, "aar", NG_UNIT_AAR, 2025);
    ng_dataset_set_num(ds, "udtraek_dato", NG_UNIT_DATO, (double)days(2026, 11, 22));
    ng_dataset_set_num(ds, "tilgang_antal", NG_UNIT_ANTAL, 2);
    ng_dataset_set_num(ds, "antal_i_alt", NG_UNIT_ANTAL, 1234);
    ng_dataset_set_num(ds, "udgift_i_alt", NG_UNIT_KR, 278.6e6);
    ng_dataset_set_num(ds, "aendring_udgift", NG_UNIT_KR, -1150000);
    ng_dataset_set_num(ds, "t1", NG_UNIT_KR, 1234567);
    ng_dataset_set_num(ds, "andel_udgift_50_75", NG_UNIT_PCT, 0.468);
    ng_dataset_set_num(ds, "forrige_opfoelgning_dato", NG_UNIT_DATO, (double)days(2025, 10, 2));
    ng_dataset_set_text(ds, "prognose_metode", "Andelen er **47 %** [link](x) {{ aar }}.");
    ng_dataset_set_text(ds, "prognose_lavet", "");
    ng_dataset_set_num(ds, "afgang_antal", NG_UNIT_ANTAL, 0);
    ng_dataset_set_num(ds, "uafklarede_67", NG_UNIT_ANTAL, 1);
    ng_dataset_set_num(ds, "stigning_antal_50_75", NG_UNIT_ANTAL, -1);
    ng_dataset_set_num(ds, "aendring_eksisterende_udgift", NG_UNIT_KR, 0.4);
    ng_dataset_add_table(ds, per_trin_table());
    ng_dataset_add_table(ds, aar_table());
    add_figure(ds);
    *state = ds;
    return 0;
}

static int teardown(void **state)
{
    ng_dataset_free(*state);
    free(*state);
    return 0;
}

/* Renders text; asserts the status; returns the memo (caller frees). */
static ng_memo render(void **state, const char *text, ng_status expect)
{
    ng_memo m;
    ng_memo_init(&m);
    ng_diags d;
    ng_diags_init(&d);
    ng_status st = ng_template_render_string("t.md", text, *state, NULL, &m, &d);
    if (st != expect)
        ng_diags_print(&d, stdout);
    assert_int_equal(st, expect);
    ng_diags_free(&d);
    return m;
}

/* The text of one placeholder rendered alone in a paragraph. */
static char *one(void **state, const char *placeholder)
{
    ng_memo m = render(state, placeholder, NG_OK);
    assert_int_equal(m.nblocks, 1);
    assert_int_equal(m.blocks[0].nruns, 1);
    char *s = strdup(m.blocks[0].runs[0].text);
    ng_memo_free(&m);
    return s;
}

static void assert_one(void **state, const char *placeholder, const char *expected)
{
    char *s = one(state, placeholder);
    assert_string_equal(s, expected);
    free(s);
}

/* ---- placeholders and filters ---------------------------------------------- */

static void test_filters(void **state)
{
    assert_one(state, "{{ udgift_i_alt | mio }}", "278,6");
    assert_one(state, "{{ aendring_udgift | tkr }}", "-1.150");
    assert_one(state, "{{ t1 | kr }}", "1.234.567");
    assert_one(state, "{{ andel_udgift_50_75 | pct }}", "47 %");
    assert_one(state, "{{ antal_i_alt | antal }}", "1.234");
    assert_one(state, "{{ udtraek_dato | dato }}", "22. november 2026");
    assert_one(state, "{{ udtraek_dato | dato_kort }}", "22-11-2026");
    assert_one(state, "{{ forrige_opfoelgning_dato | maaned }}", "oktober 2025");
    assert_one(state, "{{ forrige_opfoelgning_dato | aar }}", "2025");
    assert_one(state, "{{aar|aar}}", "2025");
}

static void test_default_units(void **state)
{
    /* no filter: the value's own unit */
    assert_one(state, "{{ udgift_i_alt }}", "278.600.000");
    assert_one(state, "{{ aar }}", "2025");
    assert_one(state, "{{ udtraek_dato }}", "22-11-2026");
    assert_one(state, "{{ andel_udgift_50_75 }}", "47 %");
    assert_one(state, "{{ antal_i_alt }}", "1.234");
}

static void test_table_cells(void **state)
{
    assert_one(state, "{{ refusion_per_trin.i_alt.udgift }}", "293,3");
    assert_one(state, "{{ refusion_per_trin.i_alt.udgift | kr }}", "293.300.000");
    assert_one(state, "{{ refusion_per_trin.50.antal }}", "39");
    assert_one(state, "{{ refusion_per_trin.i_alt.trin }}", "I alt");
    assert_one(state, "{{ refusion_per_trin.25.trin }}", "25");
    assert_one(state, "{{ refusion_aar.2022.aar }}", "2022");
}

/* A text value is inserted as written: Markdown or braces in it do not
 * become structure or placeholders. */
static void test_text_value_is_literal(void **state)
{
    assert_one(state, "{{ prognose_metode }}", "Andelen er **47 %** [link](x) {{ aar }}.");
}

static void test_runs_and_styles(void **state)
{
    ng_memo m = render(state,
                       "Tilgang: **{{ tilgang_antal }}** sager, *i alt*\n"
                       "{{ udgift_i_alt | mio }} mio. kr.  \nNy linje `kode`.",
                       NG_OK);
    assert_int_equal(m.nblocks, 1);
    ng_block *b = &m.blocks[0];
    assert_int_equal(b->kind, NG_BLOCK_PARAGRAPH);
    assert_int_equal(b->nruns, 5);
    assert_string_equal(b->runs[0].text, "Tilgang: ");
    assert_int_equal(b->runs[0].style, 0);
    assert_string_equal(b->runs[1].text, "2");
    assert_int_equal(b->runs[1].style, NG_STYLE_BOLD);
    assert_string_equal(b->runs[2].text, " sager, ");
    assert_string_equal(b->runs[3].text, "i alt");
    assert_int_equal(b->runs[3].style, NG_STYLE_ITALIC);
    /* soft break -> space, hard break -> "\n" */
    assert_string_equal(b->runs[4].text, " 278,6 mio. kr.\nNy linje kode.");
    assert_int_equal(b->runs[4].style, 0);
    ng_memo_free(&m);
}

static void test_bold_italic_nested(void **state)
{
    ng_memo m = render(state, "***begge*** og **fed *kursiv***", NG_OK);
    ng_block *b = &m.blocks[0];
    assert_int_equal(b->nruns, 4);
    assert_string_equal(b->runs[0].text, "begge");
    assert_int_equal(b->runs[0].style, NG_STYLE_BOLD | NG_STYLE_ITALIC);
    assert_string_equal(b->runs[1].text, " og ");
    assert_string_equal(b->runs[2].text, "fed ");
    assert_int_equal(b->runs[2].style, NG_STYLE_BOLD);
    assert_string_equal(b->runs[3].text, "kursiv");
    assert_int_equal(b->runs[3].style, NG_STYLE_BOLD | NG_STYLE_ITALIC);
    ng_memo_free(&m);
}

/* ---- blocks ----------------------------------------------------------------- */

static void test_blocks(void **state)
{
    ng_memo m = render(state,
                       "# Overskrift\n\n"
                       "#### Dyb\n\n"
                       "- en\n"
                       "  - to\n"
                       "- tre\n\n"
                       "3. a\n"
                       "4. b\n\n"
                       "> citat {{ aar }}\n\n"
                       "---\n\n"
                       "```sideskift\n```\n",
                       NG_OK);
    assert_int_equal(m.nblocks, 10);
    assert_int_equal(m.blocks[0].kind, NG_BLOCK_HEADING);
    assert_int_equal(m.blocks[0].level, 1);
    assert_string_equal(m.blocks[0].runs[0].text, "Overskrift");
    assert_int_equal(m.blocks[1].level, 3); /* deeper headings are level 3 */
    assert_int_equal(m.blocks[2].kind, NG_BLOCK_ITEM);
    assert_int_equal(m.blocks[2].level, 1);
    assert_int_equal(m.blocks[2].number, 0);
    assert_string_equal(m.blocks[2].runs[0].text, "en");
    assert_int_equal(m.blocks[3].level, 2);
    assert_string_equal(m.blocks[3].runs[0].text, "to");
    assert_int_equal(m.blocks[4].level, 1);
    assert_string_equal(m.blocks[4].runs[0].text, "tre");
    assert_int_equal(m.blocks[5].number, 3);
    assert_int_equal(m.blocks[6].number, 4);
    assert_string_equal(m.blocks[6].runs[0].text, "b");
    assert_int_equal(m.blocks[7].kind, NG_BLOCK_QUOTE);
    assert_string_equal(m.blocks[7].runs[0].text, "citat 2025");
    assert_int_equal(m.blocks[8].kind, NG_BLOCK_RULE);
    assert_int_equal(m.blocks[9].kind, NG_BLOCK_PAGEBREAK);
    assert_int_equal(m.blocks[9].source_line, 16);
    ng_memo_free(&m);
}

static void test_table_and_figure_blocks(void **state)
{
    ng_dataset *ds = *state;
    ng_memo m = render(state,
                       "```tabel refusion_per_trin\n```\n\n"
                       "```tabel refusion_aar titel=\"Udgift i {{ aar }}\"\n```\n\n"
                       "```figur refusion_aar_figur type=soejle titel=\"Søjler {{ aar }}\"\n```\n",
                       NG_OK);
    assert_int_equal(m.nblocks, 3);
    assert_int_equal(m.blocks[0].kind, NG_BLOCK_TABLE);
    assert_ptr_equal(m.blocks[0].table, ng_dataset_table(ds, "refusion_per_trin"));
    assert_null(m.blocks[0].owned_table);
    assert_string_equal(m.blocks[0].caption, "Sager fordelt på refusionstrin");
    assert_string_equal(m.blocks[1].caption, "Udgift i 2025");
    ng_block *f = &m.blocks[2];
    assert_int_equal(f->kind, NG_BLOCK_FIGURE);
    assert_ptr_equal(f->table, ng_dataset_table(ds, "refusion_aar"));
    assert_non_null(f->figure);
    assert_ptr_not_equal(f->figure, ng_dataset_figure(ds, "refusion_aar_figur"));
    assert_int_equal(f->figure->type, NG_FIG_COLUMN);
    assert_string_equal(f->figure->title, "Søjler 2025");
    assert_string_equal(f->figure->y_title, "mio. kr.");
    assert_int_equal(f->figure->nseries, 2);
    assert_int_equal(f->figure->series[1], 2);
    /* the dataset's figure is untouched */
    assert_int_equal(ng_dataset_figure(ds, "refusion_aar_figur")->type, NG_FIG_STACKED);
    ng_memo_free(&m);
}

static void test_markdown_table(void **state)
{
    ng_memo m = render(state,
                       "| År | Udgift | Note |\n"
                       "|---|--:|---|\n"
                       "| 2022 | {{ udgift_i_alt \\| mio }} | x |\n"
                       "| 2023 | 1.234,5 |  |\n"
                       "| **I alt** | **1.513,1** | |\n",
                       NG_OK);
    assert_int_equal(m.nblocks, 1);
    ng_block *b = &m.blocks[0];
    assert_int_equal(b->kind, NG_BLOCK_TABLE);
    assert_non_null(b->owned_table);
    assert_ptr_equal(b->table, b->owned_table);
    const ng_table *t = b->table;
    assert_int_equal(t->ncols, 3);
    assert_int_equal(t->nrows, 3);
    assert_string_equal(t->cols[0].label, "År");
    assert_string_equal(t->cols[1].label, "Udgift");
    assert_int_equal(t->cols[0].unit, NG_UNIT_TEXT); /* "I alt" is not a number */
    assert_int_equal(t->cols[1].unit, NG_UNIT_ANTAL);
    assert_int_equal(t->cols[2].unit, NG_UNIT_TEXT);
    assert_int_equal(ng_table_cell(t, 0, 1)->type, NG_CELL_TEXT);
    assert_string_equal(ng_table_cell(t, 0, 1)->text, "278,6");
    assert_string_equal(ng_table_cell(t, 2, 0)->text, "I alt");
    assert_int_equal(t->rows[2].flags & NG_ROW_TOTAL, NG_ROW_TOTAL);
    assert_int_equal(t->rows[0].flags & NG_ROW_TOTAL, 0);
    ng_memo_free(&m);
}

static void test_footnotes(void **state)
{
    ng_memo m = render(state,
                       "Tekst[^b] og mere[^a].\n\n"
                       "[^a]: Anden note.\n\n"
                       "[^b]: Opgjort pr. {{ udtraek_dato | dato }}.\n",
                       NG_OK);
    assert_int_equal(m.nblocks, 1);
    ng_block *b = &m.blocks[0];
    assert_int_equal(b->nruns, 5);
    assert_string_equal(b->runs[1].text, "1");
    assert_int_equal(b->runs[1].style, NG_STYLE_FOOTREF);
    assert_string_equal(b->runs[3].text, "2");
    assert_int_equal(m.nfootnotes, 2);
    assert_string_equal(m.footnotes[0], "Opgjort pr. 22. november 2026.");
    assert_string_equal(m.footnotes[1], "Anden note.");
    ng_memo_free(&m);
}

/* ---- the header block -------------------------------------------------------- */

static void test_header(void **state)
{
    ng_memo_meta meta = {.sagsnavn = "Fra config",
                         .sagsnummer = "00.22.00-P35-3-24",
                         .skrevet_af = "Mette",
                         .email = "m@x.dk",
                         .forvaltning = "Social",
                         .sendes_til = "Byrådet"};
    ng_memo m;
    ng_memo_init(&m);
    ng_diags d;
    ng_diags_init(&d);
    const char *text = "---\n"
                       "titel: Notat - Status {{ aar }}\n"
                       "# a comment\n"
                       "sagsnavn: \"Status vedr. særligt dyre enkeltsager\"\n"
                       "sendes_til: Socialudvalget\n"
                       "vis_hoved: nej\n"
                       "---\n"
                       "Tekst {{ aar }}.\n";
    assert_int_equal(ng_template_render_string("h.md", text, *state, &meta, &m, &d), NG_OK);
    assert_string_equal(m.title, "Notat - Status 2025");
    /* the configuration wins over the template's header block */
    assert_string_equal(m.meta.sagsnavn, "Fra config");
    assert_string_equal(m.meta.sagsnummer, "00.22.00-P35-3-24");
    assert_string_equal(m.meta.sendes_til, "Byrådet");
    assert_string_equal(m.meta.skrevet_af, "Mette");
    assert_string_equal(m.dato, "22-11-2026"); /* the extract date by default */
    assert_false(m.show_header);
    assert_string_equal(m.lang, "da-DK");
    assert_int_equal(m.nblocks, 1);
    assert_int_equal(m.blocks[0].source_line, 8);
    assert_string_equal(m.blocks[0].runs[0].text, "Tekst 2025.");
    ng_memo_free(&m);
    ng_diags_free(&d);

    /* a field the configuration leaves out: the template's is the default */
    ng_memo_meta partial = {.sagsnummer = "27.00.00-A00-43-22"};
    ng_memo_init(&m);
    ng_diags_init(&d);
    assert_int_equal(ng_template_render_string("h.md", text, *state, &partial, &m, &d), NG_OK);
    assert_string_equal(m.meta.sagsnavn, "Status vedr. særligt dyre enkeltsager");
    assert_string_equal(m.meta.sendes_til, "Socialudvalget");
    assert_string_equal(m.meta.sagsnummer, "27.00.00-A00-43-22");
    assert_null(m.meta.skrevet_af);
    ng_memo_free(&m);
    ng_diags_free(&d);

    /* a template field the configuration overrides is still checked */
    ng_memo_init(&m);
    ng_diags_init(&d);
    assert_int_equal(ng_template_render_string("h.md", "---\nsagsnavn: {{ ukendt_navn }}\n---\n",
                                               *state, &meta, &m, &d),
                     NG_ERR_TEMPLATE);
    assert_string_equal(m.meta.sagsnavn, "Fra config");
    ng_memo_free(&m);
    ng_diags_free(&d);
}

static void test_header_dato_override(void **state)
{
    ng_memo m = render(state, "---\ndato: {{ forrige_opfoelgning_dato | dato }}\n---\n", NG_OK);
    assert_string_equal(m.dato, "2. oktober 2025");
    assert_true(m.show_header);
    assert_null(m.title);
    assert_int_equal(m.nblocks, 0);
    ng_memo_free(&m);
}

/* Windows line ends and a UTF-8 byte order mark, and a placeholder broken
 * over two lines. */
static void test_crlf_bom_and_wrapped_placeholder(void **state)
{
    ng_memo m = render(state,
                       "\xef\xbb\xbf---\r\ntitel: CRLF {{ aar }}\r\n---\r\n\r\n"
                       "Udgift {{ udgift_i_alt\r\n| mio }} mio. kr.\r\n",
                       NG_OK);
    assert_string_equal(m.title, "CRLF 2025");
    assert_int_equal(m.nblocks, 1);
    assert_int_equal(m.blocks[0].source_line, 5);
    assert_string_equal(m.blocks[0].runs[0].text, "Udgift 278,6 mio. kr.");
    ng_memo_free(&m);
}

/* ---- errors: every one reported, with file and line ------------------------------ */

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* {{#hvis NAME}} keeps a section only when the dataset has NAME; "ikke"
 * turns it round; sections nest; blocks keep their template lines. */
static void test_conditional_sections(void **state)
{
    ng_memo m = render(state,
                       "Før.\n\n"
                       "{{#hvis prognose_mod_faktisk}}\n## Prognose mod faktisk\n\nSkjult.\n"
                       "{{/hvis}}\n"
                       "{{#hvis ikke prognose_mod_faktisk}}\nIngen prognose endnu.\n{{/hvis}}\n\n"
                       "  {{#hvis aar}}  \nÅr {{ aar }}.\n\n{{#hvis refusion_aar}}\nTabel.\n"
                       "{{/hvis}}\n{{/hvis}}\n\n{{#hvis prognose_lavet}}\nTom tekst.\n{{/hvis}}\n"
                       "Efter.\n",
                       NG_OK);
    assert_int_equal(m.nblocks, 5);
    assert_string_equal(m.blocks[0].runs[0].text, "Før.");
    assert_string_equal(m.blocks[1].runs[0].text, "Ingen prognose endnu.");
    assert_int_equal(m.blocks[1].source_line, 9);
    assert_string_equal(m.blocks[2].runs[0].text, "År 2025.");
    assert_int_equal(m.blocks[2].source_line, 13);
    assert_string_equal(m.blocks[3].runs[0].text, "Tabel."); /* refusion_aar is there */
    assert_int_equal(m.blocks[3].source_line, 16);
    /* an empty text value counts as missing */
    assert_string_equal(m.blocks[4].runs[0].text, "Efter.");
    assert_int_equal(m.blocks[4].source_line, 23);
    ng_memo_free(&m);
}

/* The marker lines and the lines of a section left out are removed, so a
 * section inside a paragraph chooses a phrase of it. */
static void test_sections_inside_a_paragraph(void **state)
{
    ng_memo m = render(state,
                       "Der har været\n"
                       "{{#hvis tilgang_antal > 0}}\n"
                       "en tilgang på {{ tilgang_antal }}\n"
                       "{{ tilgang_antal | flertal:\"sag\":\"sager\" }}\n"
                       "{{/hvis}}\n"
                       "{{#hvis tilgang_antal = 0}}\n"
                       "ingen tilgang\n"
                       "{{/hvis}}\n"
                       "i {{ aar }}.\n\n"
                       "{{#hvis ikke aar}}\nSkjult.\n{{/hvis}}\n"
                       "Sidst.\n",
                       NG_OK);
    assert_int_equal(m.nblocks, 2);
    assert_string_equal(m.blocks[0].runs[0].text, "Der har været en tilgang på 2 sager i 2025.");
    assert_int_equal(m.blocks[0].source_line, 1);
    assert_string_equal(m.blocks[1].runs[0].text, "Sidst.");
    assert_int_equal(m.blocks[1].source_line, 14);
    ng_memo_free(&m);
}

/* Whether {{#hvis condition}} keeps its section. */
static void assert_condition(void **state, const char *condition, bool expected)
{
    char text[512];
    snprintf(text, sizeof text, "{{#hvis %s}}\nja\n{{/hvis}}\nslut\n", condition);
    char *got = one(state, text);
    if (strcmp(got, expected ? "ja slut" : "slut"))
        fail_msg("{{#hvis %s}}: got '%s'", condition, got);
    free(got);
}

/* Comparisons see the numbers as the reader does: in the filter's unit and
 * rounding, or the value's own. A name without a number (not in the run,
 * an empty or suppressed cell) makes a comparison false. */
static void test_condition_comparisons(void **state)
{
    assert_condition(state, "tilgang_antal > 0", true);
    assert_condition(state, "tilgang_antal = 2", true);
    assert_condition(state, "tilgang_antal >= 3", false);
    assert_condition(state, "tilgang_antal <= 2", true);
    assert_condition(state, "tilgang_antal < 2", false);
    assert_condition(state, "afgang_antal = 0", true);
    assert_condition(state, "stigning_antal_50_75 < 0", true);
    assert_condition(state, "stigning_antal_50_75 | abs = 1", true);
    assert_condition(state, "aendring_udgift < 0", true);
    assert_condition(state, "aendring_udgift | mio = -1,2", true); /* shown -1,2 */
    assert_condition(state, "aendring_udgift | modsat | tkr = 1.150", true);
    assert_condition(state, "aendring_udgift | mio = 0", false);
    assert_condition(state, "aendring_eksisterende_udgift = 0", true); /* 0,40 kr. shows 0 */
    assert_condition(state, "andel_udgift_50_75 = 47", true);          /* per cent as shown */
    assert_condition(state, "andel_udgift_50_75 > 46,9", true);
    assert_condition(state, "udgift_i_alt | mio > 278,5", true);
    assert_condition(state, "udtraek_dato > forrige_opfoelgning_dato", true);
    assert_condition(state, "forrige_opfoelgning_dato | aar = 2025", true);
    assert_condition(state, "forrige_opfoelgning_dato | aar < aar", false);
    assert_condition(state, "refusion_per_trin.50.antal = 39", true);
    /* a cell without a filter as the table shows it: 293,3 (mio. kr.) */
    assert_condition(state, "refusion_per_trin.i_alt.udgift = 293,3", true);
    assert_condition(state, "refusion_per_trin.i_alt.udgift | kr = 293.300.000", true);
    assert_condition(state, "refusion_per_trin.i_alt.udgift | mio > udgift_i_alt | mio", true);
    /* not in the run's data: false either way round */
    assert_condition(state, "tilgang_udgift > 0", false);
    assert_condition(state, "tilgang_udgift = 0", false);
    assert_condition(state, "refusion_per_trin.99.antal > 0", false);
    assert_condition(state, "initiativer_netto.i_alt.2025 = 0", false);
    /* presence: values, empty texts, cells */
    assert_condition(state, "tilgang_antal", true);
    assert_condition(state, "prognose_lavet", false);
    assert_condition(state, "refusion_per_trin.i_alt.trin", true); /* the text "I alt" */
    assert_condition(state, "refusion_per_trin.99.trin", false);
}

static void test_condition_og_eller(void **state)
{
    assert_condition(state, "tilgang_antal > 0 og afgang_antal = 0", true);
    assert_condition(state, "tilgang_antal > 0 og afgang_antal > 0", false);
    assert_condition(state, "tilgang_antal > 0 og ikke afgang_antal = 0", false);
    assert_condition(state, "ikke tilgang_antal > 0 og afgang_antal = 0", false);
    assert_condition(state, "tilgang_antal = 0 eller afgang_antal = 0", true);
    assert_condition(state, "tilgang_antal = 0 eller afgang_antal > 0", false);
    assert_condition(state, "ikke tilgang_antal = 0 eller afgang_antal > 0", true);
    assert_condition(state, "aar og tilgang_antal > 1 og refusion_aar", true);
    assert_condition(state, "prognose_lavet eller prognose_mod_faktisk", false);
}

/* abs and modsat turn the sign; flertal and fortegn choose a word from the
 * number as shown (a count of 1 or -1 is singular; the sign of 0,40 kr. as
 * shown in kr. is 0). */
static void test_sign_and_word_filters(void **state)
{
    assert_one(state, "{{ aendring_udgift | abs | mio }}", "1,2");
    assert_one(state, "{{ aendring_udgift | abs }}", "1.150.000");
    assert_one(state, "{{ aendring_udgift | modsat | tkr }}", "1.150");
    assert_one(state, "{{ udgift_i_alt | modsat | mio }}", "-278,6");
    assert_one(state, "{{ aendring_udgift | abs | modsat | kr }}", "-1.150.000");
    assert_one(state, "{{ andel_udgift_50_75 | modsat }}", "-47 %");
    assert_one(state, "{{ stigning_antal_50_75 | abs | antal }}", "1");
    assert_one(state, "{{ tilgang_antal | flertal:\"sag\":\"sager\" }}", "sager");
    assert_one(state, "{{ uafklarede_67 | flertal:\"sag\":\"sager\" }}", "sag");
    assert_one(state, "{{ stigning_antal_50_75 | flertal:\"sag\":\"sager\" }}", "sag");
    assert_one(state, "{{ afgang_antal | flertal:\"sag\":\"sager\" }}", "sager");
    assert_one(state, "{{ refusion_per_trin.50.antal | flertal:\"sag\":\"sager\" }}", "sager");
    assert_one(state, "{{ aendring_udgift | fortegn:\"en stigning\":\"et fald\":\"uændret\" }}",
               "et fald");
    assert_one(state, "{{ tilgang_antal|fortegn : \"op\" : \"ned\" : \"flad\" }}", "op");
    assert_one(state, "{{ aendring_eksisterende_udgift | fortegn:\"op\":\"ned\":\"flad\" }}",
               "flad");
    assert_one(state, "{{ aendring_udgift | modsat | fortegn:\"op\":\"ned\":\"flad\" }}", "op");
    /* the words are text as written: colons, bars and spaces */
    assert_one(state, "x{{ tilgang_antal | fortegn:\"a: b | c\":\"\":\"\" }}x", "xa: b | cx");
    assert_one(state, "x{{ afgang_antal | fortegn:\"a\":\"b\":\"\" }}x", "xx");
}

/* A suppressed cell stays hidden through every filter and condition. */
static void test_suppressed_cell(void **state)
{
    ng_dataset *ds = *state;
    ng_table *t = ng_dataset_table(ds, "refusion_per_trin");
    t->rows[ng_table_row(t, "50")].cells[ng_table_col(t, "antal")].suppressed = true;
    assert_one(state, "{{ refusion_per_trin.50.antal }}", "\xE2\x80\x93");
    assert_one(state, "{{ refusion_per_trin.50.antal | abs | antal }}", "\xE2\x80\x93");
    assert_one(state, "{{ refusion_per_trin.50.antal | flertal:\"sag\":\"sager\" }}",
               "\xE2\x80\x93");
    assert_condition(state, "refusion_per_trin.50.antal > 0", false);
    assert_condition(state, "refusion_per_trin.50.antal = 0", false);
    assert_condition(state, "refusion_per_trin.50.antal", false);
    /* skjult: a number the suppression hides, a cell or a value reading it */
    assert_condition(state, "skjult refusion_per_trin.50.antal", true);
    assert_condition(state, "ikke skjult refusion_per_trin.50.antal", false);
    assert_condition(state, "skjult refusion_per_trin.75.antal", false);
    assert_condition(state, "skjult tilgang_antal", false);
    ng_value *v = NULL;
    for (size_t i = 0; i < ds->nvalues; i++)
        if (!strcmp(ds->values[i].name, "tilgang_antal"))
            v = &ds->values[i];
    assert_non_null(v);
    v->suppressed = true;
    assert_condition(state, "skjult tilgang_antal", true);
    assert_condition(state, "skjult tilgang_antal og afgang_antal = 0", true);
    assert_condition(state, "tilgang_antal > 0 eller skjult afgang_antal", false);
}

/* Each tests/data/templates/NAME.md has NAME.expected: the exact messages,
 * one per line, as ng_diags_print prints them. */

static void test_bad_template_corpus(void **state)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/templates", NG_TEST_DATA);
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    DIR *dp = opendir(".");
    assert_non_null(dp);
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) && n < 64) {
        size_t len = strlen(e->d_name);
        if (len > 3 && !strcmp(e->d_name + len - 3, ".md"))
            names[n++] = strdup(e->d_name);
    }
    closedir(dp);
    qsort(names, n, sizeof names[0], cmp_names);
    assert_true(n >= 10);
    for (size_t i = 0; i < n; i++) {
        char expected_path[256];
        snprintf(expected_path, sizeof expected_path, "%.*s.expected", (int)(strlen(names[i]) - 3),
                 names[i]);
        char *expected = read_all(expected_path);
        ng_memo m;
        ng_memo_init(&m);
        ng_diags d;
        ng_diags_init(&d);
        ng_status st = ng_template_render(names[i], *state, NULL, &m, &d);
        char got[8192] = "";
        for (size_t k = 0; k < d.count; k++) {
            char line[1024];
            ng_diag_format(&d.items[k], line, sizeof line);
            strncat(got, line, sizeof got - strlen(got) - 2);
            strcat(got, "\n");
        }
        if (strcmp(got, expected))
            printf("%s:\n--- expected\n%s--- got\n%s", names[i], expected, got);
        assert_string_equal(got, expected);
        assert_int_equal(st, NG_ERR_TEMPLATE);
        ng_memo_free(&m);
        ng_diags_free(&d);
        free(expected);
        free(names[i]);
    }
    assert_int_equal(chdir(cwd), 0);
}

static void test_missing_file(void **state)
{
    ng_memo m;
    ng_memo_init(&m);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_template_render("/nonexistent/x.md", *state, NULL, &m, &d), NG_ERR_IO);
    assert_int_equal(d.errors, 1);
    ng_memo_free(&m);
    ng_diags_free(&d);
}

/* ---- the shipped templates ------------------------------------------------------ */

/* The wording of sde_status.md, branch by branch, is tested in
 * test_sde_status.c. */

/* A dataset with every registered name (dummy contents): the shipped
 * templates must render against it, so they use registered names only. */
static void fill_from_registry(ng_dataset *ds)
{
    size_t n = ng_registry_count();
    for (size_t i = 0; i < n; i++) {
        const ng_decl *e = ng_registry_at(i).decl;
        if (strpbrk(e->name, "*#"))
            continue;
        if (e->kind == NG_DECL_VALUE && e->unit == NG_UNIT_TEXT)
            ng_dataset_set_text(ds, e->name, "tekst");
        else if (e->kind == NG_DECL_VALUE)
            ng_dataset_set_num(ds, e->name, e->unit, 1);
        if (e->kind != NG_DECL_TABLE)
            continue;
        ng_table *t = ng_table_new(e->name, e->description);
        for (const ng_decl_column *c = e->cols; c && c->key; c++)
            ng_table_add_column(t, strcmp(c->key, "####") ? c->key : "2027", c->key, c->unit);
        ng_dataset_add_table(ds, t);
    }
    for (size_t i = 0; i < n; i++) {
        const ng_decl *e = ng_registry_at(i).decl;
        if (e->kind != NG_DECL_FIGURE)
            continue;
        int zero[] = {0};
        ng_figure f = {.name = (char *)e->name,
                       .table = (char *)e->table,
                       .series = zero,
                       .nseries = 1,
                       .cats = zero,
                       .ncats = 1};
        ng_dataset_add_figure(ds, &f);
    }
}

/* Adds a dummy value for every placeholder name of the file at path that
 * matches a registered pattern ("budget_*_foerste"), which
 * fill_from_registry cannot know. */
static void add_pattern_values(ng_dataset *ds, const char *path)
{
    char *text = read_all(path);
    for (const char *p = strstr(text, "{{"); p; p = strstr(p + 2, "{{")) {
        const char *q = p + 2;
        q += strspn(q, " ");
        char name[96];
        size_t n = strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789_");
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), q);
        const ng_decl *e = ng_registry_find(NG_DECL_VALUE, name, NULL);
        if (n == 0 || !e || !strpbrk(e->name, "*#") || ng_dataset_value(ds, name))
            continue;
        if (e->unit == NG_UNIT_TEXT)
            ng_dataset_set_text(ds, name, "tekst");
        else
            ng_dataset_set_num(ds, name, e->unit, 1);
    }
    free(text);
}

static void test_shipped_templates_use_registered_names(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    fill_from_registry(&ds);
    ng_diags d;
    ng_diags_init(&d);
    ng_status checked = ng_registry_check(&ds, &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(checked, NG_OK);
    const char *templates[] = {NG_SOURCE_DIR "/templates/sde_status.md",
                               NG_SOURCE_DIR "/templates/oekonomi_status.md",
                               NG_SOURCE_DIR "/templates/initiativer.md"};
    for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++) {
        add_pattern_values(&ds, templates[i]);
        ng_memo m;
        ng_memo_init(&m);
        ng_status st = ng_template_render(templates[i], &ds, NULL, &m, &d);
        ng_diags_print(&d, stdout);
        assert_int_equal(st, NG_OK);
        ng_memo_free(&m);
    }
    ng_diags_free(&d);
    ng_dataset_free(&ds);
}

/* The whole text of a memo's paragraphs and headings, one per line. */
static char *memo_text(const ng_memo *m)
{
    ng_strbuf b = {0};
    for (size_t i = 0; i < m->nblocks; i++) {
        for (size_t r = 0; r < m->blocks[i].nruns; r++)
            ng_strbuf_add(&b, m->blocks[i].runs[r].text);
        if (m->blocks[i].nruns)
            ng_strbuf_addc(&b, '\n');
    }
    return ng_strbuf_take(&b);
}

static char *render_shipped(ng_dataset *ds, const char *path)
{
    add_pattern_values(ds, path);
    ng_memo m;
    ng_memo_init(&m);
    ng_diags d;
    ng_diags_init(&d);
    ng_status st = ng_template_render(path, ds, NULL, &m, &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    char *text = memo_text(&m);
    ng_memo_free(&m);
    ng_diags_free(&d);
    return text;
}

static void assert_contains(const char *text, const char *part, bool expected)
{
    if ((strstr(text, part) != NULL) != expected)
        fail_msg("%s '%s' in:\n%s", expected ? "missing" : "unexpected", part, text);
}

/* The economy and initiatives memos with one year, and with a fall: they
 * say neither "2025-2025" nor "en stigning på -5 %". */
static void test_shipped_templates_one_year_and_fall(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    fill_from_registry(&ds);
    const char *initiativer = NG_SOURCE_DIR "/templates/initiativer.md";
    const char *oekonomi = NG_SOURCE_DIR "/templates/oekonomi_status.md";
    ng_dataset_set_num(&ds, "initiativer_foerste_aar", NG_UNIT_AAR, 2025);
    ng_dataset_set_num(&ds, "initiativer_sidste_aar", NG_UNIT_AAR, 2025);
    ng_dataset_set_num(&ds, "budget_foerste_aar", NG_UNIT_AAR, 2023);
    ng_dataset_set_num(&ds, "budget_sidste_aar", NG_UNIT_AAR, 2023);
    ng_dataset_set_num(&ds, "sde_stigning_antal_pct", NG_UNIT_PCT, -0.05);
    ng_dataset_set_num(&ds, "sde_udgift_foerste", NG_UNIT_MIO, 140e6);
    ng_dataset_set_num(&ds, "sde_udgift_sidste", NG_UNIT_MIO, 133.2e6);
    char *text = render_shipped(&ds, initiativer);
    assert_contains(text, "dyre sager på socialområdet i 2025. Et økonomisk overblik", true);
    assert_contains(text, "perioden", false);
    free(text);
    text = render_shipped(&ds, oekonomi);
    assert_contains(text, "Forventet udvikling i budget og forbrug 2023\n", true);
    assert_contains(text, "Det svarer til et fald på 5 %.", true);
    assert_contains(text, "i løbende priser faldet fra 140,0 mio. kr.", true);
    assert_contains(text, "2023-2023", false);
    free(text);
    /* several years and a rise: the example's wording */
    ng_dataset_set_num(&ds, "initiativer_foerste_aar", NG_UNIT_AAR, 2022);
    ng_dataset_set_num(&ds, "budget_sidste_aar", NG_UNIT_AAR, 2027);
    ng_dataset_set_num(&ds, "sde_stigning_antal_pct", NG_UNIT_PCT, 0.884);
    ng_dataset_set_num(&ds, "sde_udgift_sidste", NG_UNIT_MIO, 278.6e6);
    text = render_shipped(&ds, initiativer);
    assert_contains(text, "i perioden 2022-2025. Et økonomisk overblik", true);
    free(text);
    text = render_shipped(&ds, oekonomi);
    assert_contains(text, "Forventet udvikling i budget og forbrug 2023-2027\n", true);
    assert_contains(text, "Det svarer til en stigning på 88 %.", true);
    assert_contains(text, "i løbende priser steget fra 140,0 mio. kr.", true);
    free(text);
    ng_dataset_free(&ds);
}

/* ---- the registry --------------------------------------------------------------- */

static void test_registry_match(void **state)
{
    (void)state;
    assert_true(ng_registry_match("initiativ_*", "initiativ_12"));
    assert_true(ng_registry_match("####", "2027"));
    assert_false(ng_registry_match("####", "202"));
    assert_false(ng_registry_match("####", "20x7"));
    assert_false(ng_registry_match("aar", "aar2"));
    assert_true(ng_registry_match("a*b", "ab"));
    const char *module = NULL;
    assert_non_null(ng_registry_find(NG_DECL_TABLE, "refusion_aar", &module));
    assert_string_equal(module, "historik");
    assert_null(ng_registry_find(NG_DECL_VALUE, "refusion_aar", NULL));
    assert_string_equal(ng_registry_unit_name(NG_UNIT_MIO), "mio. kr.");
}

/* Every name of the dataset contract's refusion and history modules that the
 * template test dataset uses is registered; a new one is reported. */
static void test_registry_check(void **state)
{
    ng_dataset *ds = *state;
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_registry_check(ds, &d), NG_OK);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 0);

    ng_dataset_set_num(ds, "ny_vaerdi", NG_UNIT_KR, 1);
    ng_dataset_set_num(ds, "aar", NG_UNIT_ANTAL, 2025); /* wrong unit: an error */
    ng_table *t = ng_table_new("ny_tabel", "");
    ng_dataset_add_table(ds, t);
    ng_table_add_column(ng_dataset_table(ds, "refusion_aar"), "ekstra", "", NG_UNIT_KR);
    int series[] = {1};
    ng_figure f = {.name = "ny_figur", .table = "refusion_aar", .series = series, .nseries = 1};
    ng_dataset_add_figure(ds, &f);
    assert_int_equal(ng_registry_check(ds, &d), NG_ERR_INTERNAL);
    assert_int_equal(d.errors, 5);
    assert_int_equal(d.warnings, 0);
    char buf[512];
    const char *expected[] = {
        "kolonnen 'ekstra' i tabellen 'refusion_aar' er ikke erklæret",
        "tabellen 'ny_tabel' er ikke erklæret af noget modul",
        "værdien 'aar' har enheden antal, erklæringen siger år",
        "værdien 'ny_vaerdi' er ikke erklæret af noget modul",
        "figuren 'ny_figur' er ikke erklæret af noget modul",
    };
    assert_int_equal(d.count, 5);
    for (size_t i = 0; i < d.count; i++) {
        ng_diag_format(&d.items[i], buf, sizeof buf);
        assert_string_equal(buf, expected[i]);
    }
    ng_diags_free(&d);
}

/* The refusion module's published names (ng_sde_tables, with the case list
 * so that every table appears) are all declared, with their units. */
static void test_refusion_names_registered(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        ng_omraade omr;
        int64_t kr;
    } sager[] = {{"V1", NG_OMR_VOKSEN, 1000000},
                 {"V2", NG_OMR_VOKSEN, 2000000},
                 {"V3", NG_OMR_VOKSEN, 2200000},
                 {"B1", NG_OMR_BOERN, 1600000},
                 {"A1", NG_OMR_AELDRE, 1200000}};
    ng_cases *c = ng_cases_new();
    for (size_t i = 0; i < sizeof sager / sizeof sager[0]; i++) {
        ng_sag *s = ng_cases_get_or_add(c, sager[i].id);
        s->omraade = sager[i].omr;
        s->foedselsaar = sager[i].omr == NG_OMR_AELDRE ? 1950 : 1980;
        s->foer67 = NG_YES;
        ng_cases_set_string(c, &s->kommune, "730");
        ng_cases_set_string(c, &s->maalgruppe, "autisme");
        ng_cases_set_string(c, &s->leverandoertype, "kommunal");
        ng_sag_year *y = ng_sag_year_get_or_add(s, 2022);
        for (int m = 0; m < 12; m++)
            y->m12[m] = sager[i].kr * 100;
    }
    ng_cases_finish(c);
    ng_threshold_year thr = {2022, 860000, 1680000, 2120000, NULL};
    ng_diags d;
    ng_diags_init(&d);
    ng_refusion_result r;
    assert_int_equal(ng_refusion_compute(c, &thr, 2022, &r, &d), NG_OK);
    ng_dataset ds;
    ng_dataset_init(&ds);
    ds.udtraek_dato = (ng_date){2022, 12, 31};
    ng_refusion_options opt = {.sagsliste = true};
    assert_int_equal(ng_sde_tables(&r, c, &thr, &opt, &ds, &d), NG_OK);
    assert_non_null(ng_dataset_table(&ds, "sagsliste"));
    assert_true(ds.ntables >= 8);
    ng_diags_free(&d);
    ng_diags_init(&d);
    ng_status st = ng_registry_check(&ds, &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    assert_int_equal(d.warnings, 0);
    ng_diags_free(&d);
    ng_dataset_free(&ds);
    ng_refusion_result_free(&r);
    ng_cases_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_units, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_value_is_literal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runs_and_styles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bold_italic_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_and_figure_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_markdown_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_footnotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_dato_override, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_bom_and_wrapped_placeholder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conditional_sections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sections_inside_a_paragraph, setup, teardown),
        cmocka_unit_test_setup_teardown(test_condition_comparisons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_condition_og_eller, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_and_word_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suppressed_cell, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_template_corpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
        cmocka_unit_test(test_shipped_templates_use_registered_names),
        cmocka_unit_test(test_shipped_templates_one_year_and_fall),
        cmocka_unit_test(test_registry_match),
        cmocka_unit_test(test_refusion_names_registered),
        cmocka_unit_test_setup_teardown(test_registry_check, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
