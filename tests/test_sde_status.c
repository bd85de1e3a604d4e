/* test_sde_status.c -- the wording of templates/sde_status.md: every branch
 * of its generated sentences (tilgang and afgang 0, 1 or more; a rise, a
 * fall, no change; no earlier follow-up; one year or several; no cases in
 * the 50 % and 75 % tiers) rendered against a hand-built dataset. The
 * template chooses the words from the data; the C code publishes numbers
 * only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "notatgen/strbuf.h"
#include "notatgen/template.h"

/* ---- a dataset for the template ---------------------------------------- */

typedef struct {
    bool previous;                    /* an earlier follow-up on 30 September 2025 */
    double tilgang, afgang;           /* cases since then */
    double netto, eksisterende;       /* kr.: tilgang - afgang, and the stayers' change */
    int foerste_aar, sidste_aar;      /* of refusion_aar */
    double stigning_antal;            /* 50 % and 75 % tiers, first to last year */
    double stigning_udgift;           /* kr. */
    double i_alt;                     /* refusion_per_trin.i_alt.antal */
    double antal_50_75;               /* andel_50_75.voksen.antal_50_75 */
    bool suppressed_50_75;            /* that cell hidden by small-cell suppression */
    double andel_udgift, andel_antal; /* fractions */
    unsigned hidden;                  /* HIDE_*: values hidden by small-cell suppression */
} scenario;

/* What the small-cell suppression can hide of the development (bridge.c):
 * a count with its money, the two parts of the change, the change. */
enum {
    HIDE_TILGANG = 1u << 0, /* tilgang_antal, tilgang_udgift */
    HIDE_AFGANG = 1u << 1,  /* afgang_antal, afgang_udgift */
    HIDE_NETTO = 1u << 2,   /* aendring_tilgang_afgang_udgift */
    HIDE_EKS = 1u << 3,     /* aendring_eksisterende_udgift */
    HIDE_ALT = 1u << 4,     /* aendring_udgift */
};

static void hide_value(ng_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->nvalues; i++)
        if (!strcmp(ds->values[i].name, name))
            ds->values[i].suppressed = true;
}

/* The example's numbers: 2 new cases, 1 ended, +0,7 and +0,3 mio. kr.;
 * 2022-2025 with 37 more cases in the 50 % and 75 % tiers. */
static scenario example(void)
{
    return (scenario){.previous = true,
                      .tilgang = 2,
                      .afgang = 1,
                      .netto = 700000,
                      .eksisterende = 300000,
                      .foerste_aar = 2022,
                      .sidste_aar = 2025,
                      .stigning_antal = 37,
                      .stigning_udgift = 104.0e6,
                      .i_alt = 240,
                      .antal_50_75 = 71,
                      .andel_udgift = 188.1 / 402.2,
                      .andel_antal = 71.0 / 240.0};
}

static ng_table *table(const char *name, const char *const *cols, const char *const *rows)
{
    ng_table *t = ng_table_new(name, name);
    for (int c = 0; cols[c]; c++)
        ng_table_add_column(t, cols[c], cols[c], c == 0 ? NG_UNIT_TEXT : NG_UNIT_ANTAL);
    for (int r = 0; rows && rows[r]; r++)
        ng_table_add_row(t, rows[r], 0);
    return t;
}

static void set_cell(ng_table *t, const char *row, const char *col, double v)
{
    ng_table_set_num(t, ng_table_row(t, row), ng_table_col(t, col), v);
}

static void add_tables(ng_dataset *ds, const scenario *s)
{
    static const char *const label[] = {"beskrivelse", NULL};
    ng_dataset_add_table(ds, table("taerskler", label, NULL));
    ng_dataset_add_table(ds, table("opfoelgning_maaned", label, NULL));
    ng_dataset_add_table(ds, table("refusion_aar", (const char *const[]){"aar", "antal_25", NULL},
                                   (const char *const[]){"2025", NULL}));
    ng_table *trin = table("refusion_per_trin", (const char *const[]){"trin", "antal", NULL},
                           (const char *const[]){"25", "50", "75", "i_alt", NULL});
    set_cell(trin, "i_alt", "antal", s->i_alt);
    ng_dataset_add_table(ds, trin);
    ng_table *andel =
        table("andel_50_75", (const char *const[]){"beskrivelse", "antal_50_75", NULL},
              (const char *const[]){"voksen", NULL});
    set_cell(andel, "voksen", "antal_50_75", s->antal_50_75);
    andel->rows[0].cells[1].suppressed = s->suppressed_50_75;
    ng_dataset_add_table(ds, andel);
    int series[] = {1}, cats[] = {0};
    ng_figure f = {.name = "refusion_aar_figur",
                   .table = "refusion_aar",
                   .series = series,
                   .nseries = 1,
                   .cats = cats,
                   .ncats = 1};
    ng_dataset_add_figure(ds, &f);
}

static void add_values(ng_dataset *ds, const scenario *s)
{
    ng_dataset_set_num(ds, "aar", NG_UNIT_AAR, 2025);
    ng_dataset_set_num(ds, "udtraek_dato", NG_UNIT_DATO,
                       (double)ng_date_to_days((ng_date){2025, 10, 31}));
    if (s->previous)
        ng_dataset_set_num(ds, "forrige_opfoelgning_dato", NG_UNIT_DATO,
                           (double)ng_date_to_days((ng_date){2025, 9, 30}));
    else
        ng_dataset_set_text(ds, "forrige_opfoelgning_dato", ""); /* as bridge.c: none */
    double afgang_udgift = s->afgang * 1.0e6;
    ng_dataset_set_num(ds, "tilgang_antal", NG_UNIT_ANTAL, s->tilgang);
    ng_dataset_set_num(ds, "afgang_antal", NG_UNIT_ANTAL, s->afgang);
    ng_dataset_set_num(ds, "tilgang_udgift", NG_UNIT_KR, s->netto + afgang_udgift);
    ng_dataset_set_num(ds, "afgang_udgift", NG_UNIT_KR, afgang_udgift);
    ng_dataset_set_num(ds, "aendring_tilgang_afgang_udgift", NG_UNIT_KR, s->netto);
    ng_dataset_set_num(ds, "aendring_eksisterende_udgift", NG_UNIT_KR, s->eksisterende);
    ng_dataset_set_num(ds, "aendring_udgift", NG_UNIT_KR, s->netto + s->eksisterende);
    ng_dataset_set_num(ds, "foerste_aar", NG_UNIT_AAR, s->foerste_aar);
    ng_dataset_set_num(ds, "sidste_aar", NG_UNIT_AAR, s->sidste_aar);
    ng_dataset_set_num(ds, "stigning_antal_50_75", NG_UNIT_ANTAL, s->stigning_antal);
    ng_dataset_set_num(ds, "stigning_udgift_50_75", NG_UNIT_KR, s->stigning_udgift);
    ng_dataset_set_num(ds, "andel_udgift_50_75", NG_UNIT_PCT, s->andel_udgift);
    ng_dataset_set_num(ds, "andel_antal_50_75", NG_UNIT_PCT, s->andel_antal);
    static const struct {
        unsigned bit;
        const char *name;
    } hides[] = {{HIDE_TILGANG, "tilgang_antal"},
                 {HIDE_TILGANG, "tilgang_udgift"},
                 {HIDE_AFGANG, "afgang_antal"},
                 {HIDE_AFGANG, "afgang_udgift"},
                 {HIDE_NETTO, "aendring_tilgang_afgang_udgift"},
                 {HIDE_EKS, "aendring_eksisterende_udgift"},
                 {HIDE_ALT, "aendring_udgift"}};
    for (size_t i = 0; i < sizeof hides / sizeof hides[0]; i++)
        if (s->hidden & hides[i].bit)
            hide_value(ds, hides[i].name);
}

/* The memo's paragraphs, in order. */
enum { P_INTRO, P_UDVIKLING, P_MAANED, P_AAR, P_SLUT, NPARAGRAPHS };

typedef struct {
    char *text[NPARAGRAPHS];
} paragraphs;

static paragraphs render(const scenario *s)
{
    ng_dataset ds;
    ng_dataset_init(&ds);
    add_tables(&ds, s);
    add_values(&ds, s);
    ng_memo m;
    ng_memo_init(&m);
    ng_diags d;
    ng_diags_init(&d);
    ng_status st = ng_template_render(NG_SOURCE_DIR "/templates/sde_status.md", &ds, NULL, &m, &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    paragraphs p = {{NULL}};
    int k = 0;
    for (size_t i = 0; i < m.nblocks; i++) {
        if (m.blocks[i].kind != NG_BLOCK_PARAGRAPH)
            continue;
        assert_true(k < NPARAGRAPHS);
        ng_strbuf b = {0};
        for (size_t r = 0; r < m.blocks[i].nruns; r++)
            ng_strbuf_add(&b, m.blocks[i].runs[r].text);
        p.text[k++] = ng_strbuf_take(&b);
    }
    assert_int_equal(k, NPARAGRAPHS);
    ng_memo_free(&m);
    ng_diags_free(&d);
    ng_dataset_free(&ds);
    return p;
}

static void paragraphs_free(paragraphs *p)
{
    for (int i = 0; i < NPARAGRAPHS; i++)
        free(p->text[i]);
}

static void assert_paragraph(const scenario *s, int which, const char *expected)
{
    paragraphs p = render(s);
    if (strcmp(p.text[which], expected))
        printf("--- expected\n%s\n--- got\n%s\n", expected, p.text[which]);
    assert_string_equal(p.text[which], expected);
    paragraphs_free(&p);
}

#define SINCE "På voksenområdet har der siden sidste opfølgning den 30. september 2025 "

/* The memo's header and blocks: intro, taerskler, udvikling, text,
 * opfoelgning_maaned, text, figure, refusion_aar, closing paragraph. */
static void test_structure(void **state)
{
    (void)state;
    scenario s = example();
    ng_dataset ds;
    ng_dataset_init(&ds);
    ds.udtraek_dato = (ng_date){2025, 10, 31};
    add_tables(&ds, &s);
    add_values(&ds, &s);
    ng_memo_meta meta = {.sagsnummer = "00.22.00-P35-3-24"};
    ng_memo m;
    ng_memo_init(&m);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(
        ng_template_render(NG_SOURCE_DIR "/templates/sde_status.md", &ds, &meta, &m, &d), NG_OK);
    assert_string_equal(m.title, "Notat - Status vedr. særligt dyre enkeltsager");
    assert_string_equal(m.meta.sendes_til, "Socialudvalget");
    assert_string_equal(m.meta.sagsnummer, "00.22.00-P35-3-24");
    assert_string_equal(m.dato, "31-10-2025");
    static const ng_block_kind kinds[] = {NG_BLOCK_PARAGRAPH, NG_BLOCK_TABLE, NG_BLOCK_PARAGRAPH,
                                          NG_BLOCK_PARAGRAPH, NG_BLOCK_TABLE, NG_BLOCK_PARAGRAPH,
                                          NG_BLOCK_FIGURE,    NG_BLOCK_TABLE, NG_BLOCK_PARAGRAPH};
    assert_int_equal(m.nblocks, sizeof kinds / sizeof kinds[0]);
    for (size_t i = 0; i < m.nblocks; i++)
        assert_int_equal(m.blocks[i].kind, kinds[i]);
    assert_ptr_equal(m.blocks[1].table, ng_dataset_table(&ds, "taerskler"));
    assert_ptr_equal(m.blocks[4].table, ng_dataset_table(&ds, "opfoelgning_maaned"));
    assert_string_equal(m.blocks[6].figure->name, "refusion_aar_figur");
    assert_ptr_equal(m.blocks[7].table, ng_dataset_table(&ds, "refusion_aar"));
    /* the blocks' lines are the template's, after the sections left out */
    assert_int_equal(m.blocks[1].source_line, 25);
    assert_int_equal(m.blocks[4].source_line, 157);
    assert_string_equal(m.blocks[0].runs[0].text,
                        "Der ydes statsrefusion på sager med de højeste udgifter. Den statslige "
                        "refusionsordning er inddelt i udgiftsintervaller, som afgør, hvor stor en "
                        "andel af udgiften, som kommunen kan hjemtage i refusion. "
                        "Refusionssatserne for 2025 fremgår af følgende tabel:");
    ng_memo_free(&m);
    ng_diags_free(&d);
    ng_dataset_free(&ds);
}

/* ---- since the last follow-up --------------------------------------------- */

static void test_example_wording(void **state)
{
    (void)state;
    scenario s = example();
    assert_paragraph(&s, P_UDVIKLING,
                     SINCE "været en tilgang på 2 sager inden for refusionsgrænsen. Samtidig har "
                           "der været en afgang på 1 sag. Der har været en stigning i udgifterne "
                           "på ca. 1,0 mio. kr. siden sidste opfølgning, hvoraf 0,7 mio. kr. "
                           "vedrører tilgang af nye sager (netto efter afgang) og 0,3 mio. kr. "
                           "vedrører ændringer i borgernes indskrivning.");
    assert_paragraph(&s, P_SLUT,
                     "Fra 2022 til 2025 har antallet af sager med 50 % og 75 % refusion ændret "
                     "sig med 37 sager, og udgifterne hertil har ændret sig med 104,0 mio. kr. "
                     "Sager omfattet af 50 % og 75 % refusion udgør nu 47 % af udgifterne og "
                     "30 % af antallet af sager inden for refusionssatserne.");
    assert_paragraph(&s, P_AAR,
                     "Udviklingen i de senere år på social voksne følges i forhold til antallet "
                     "af sager omfattet af statslig refusion. Refusionssatserne prisreguleres "
                     "årligt, og der tages derved højde for prisudviklingen i perioden. "
                     "Udviklingen i perioden 2022-2025 fremgår af følgende figur og tabel. "
                     "Sagstal og udgifter i 2025 er oplyst med forbehold for ændringer i sagstal "
                     "og udgifter i resten af året.");
}

/* The development since the last follow-up, branch by branch: tilgang and
 * afgang 0, 1 or more; a rise, a fall (its parts told in its direction), a
 * change that rounds to 0,0 mio. kr. */
static const struct {
    const char *what;
    double tilgang, afgang, netto, eksisterende;
    const char *expected; /* after SINCE */
} udvikling[] = {
    {"1 new, 1 ended, a fall", 1, 1, -1000000, -200000,
     "været en tilgang på 1 sag inden for refusionsgrænsen. Samtidig har der været en afgang "
     "på 1 sag. Der har været et fald i udgifterne på ca. 1,2 mio. kr. siden sidste "
     "opfølgning, hvoraf 1,0 mio. kr. vedrører tilgang af nye sager (netto efter afgang) og "
     "0,2 mio. kr. vedrører ændringer i borgernes indskrivning."},
    {"none new, 2 ended", 0, 2, -2500000, 200000,
     "ikke været nogen tilgang af sager inden for refusionsgrænsen. Der har været en afgang på "
     "2 sager. Der har været et fald i udgifterne på ca. 2,3 mio. kr. siden sidste opfølgning, "
     "hvoraf 2,5 mio. kr. vedrører afgang af sager og -0,2 mio. kr. vedrører ændringer i "
     "borgernes indskrivning."},
    {"none new, 1 ended, stayers unchanged", 0, 1, -1000000, 0,
     "ikke været nogen tilgang af sager inden for refusionsgrænsen. Der har været en afgang på "
     "1 sag. Der har været et fald i udgifterne på ca. 1,0 mio. kr. siden sidste opfølgning, "
     "som vedrører afgang af sager."},
    {"2 new, none ended", 2, 0, 2300000, 0,
     "været en tilgang på 2 sager inden for refusionsgrænsen. Der har ikke været nogen afgang. "
     "Der har været en stigning i udgifterne på ca. 2,3 mio. kr. siden sidste opfølgning, som "
     "vedrører tilgang af nye sager."},
    /* a change below 0,05 mio. kr. in the stayers is not told as "0,0" */
    {"1 new, stayers +30.000 kr.", 1, 0, 1200000, 30000,
     "været en tilgang på 1 sag inden for refusionsgrænsen. Der har ikke været nogen afgang. "
     "Der har været en stigning i udgifterne på ca. 1,2 mio. kr. siden sidste opfølgning, som "
     "vedrører tilgang af nye sager."},
    {"3 new, 12 ended", 3, 12, -14000000, 1400000,
     "været en tilgang på 3 sager inden for refusionsgrænsen. Samtidig har der været en afgang "
     "på 12 sager. Der har været et fald i udgifterne på ca. 12,6 mio. kr. siden sidste "
     "opfølgning, hvoraf 14,0 mio. kr. vedrører tilgang af nye sager (netto efter afgang) og "
     "-1,4 mio. kr. vedrører ændringer i borgernes indskrivning."},
    /* a rise although the new cases cost less than the ended ones */
    {"a rise against its parts", 1, 2, -200000, 1200000,
     "været en tilgang på 1 sag inden for refusionsgrænsen. Samtidig har der været en afgang "
     "på 2 sager. Der har været en stigning i udgifterne på ca. 1,0 mio. kr. siden sidste "
     "opfølgning, hvoraf -0,2 mio. kr. vedrører tilgang af nye sager (netto efter afgang) og "
     "1,2 mio. kr. vedrører ændringer i borgernes indskrivning."},
    {"no change", 0, 0, 0, 20000,
     "hverken været tilgang eller afgang af sager inden for refusionsgrænsen. Udgifterne er "
     "samlet set stort set uændrede siden sidste opfølgning."},
    {"no new or ended case, the stayers cost more", 0, 0, 0, 400000,
     "hverken været tilgang eller afgang af sager inden for refusionsgrænsen. Der har været en "
     "stigning i udgifterne på ca. 0,4 mio. kr. siden sidste opfølgning, som vedrører ændringer "
     "i borgernes indskrivning."},
    {"a change that rounds to 0,0 though its parts do not", 1, 1, 500000, -480000,
     "været en tilgang på 1 sag inden for refusionsgrænsen. Samtidig har der været en afgang "
     "på 1 sag. Udgifterne er samlet set stort set uændrede siden sidste opfølgning. Heraf "
     "vedrører 0,5 mio. kr. tilgang af nye sager (netto efter afgang) og -0,5 mio. kr. "
     "ændringer i borgernes indskrivning."},
};

/* The same when the small-cell suppression hides counts or money: the
 * sentence names no hidden number, says that counts are not shown, and
 * leaves the change unsplit. */
static const struct {
    const char *what;
    double tilgang, afgang, netto, eksisterende;
    unsigned hidden;
    const char *expected; /* after SINCE */
} hidden_udvikling[] = {
    {"both hidden (the example)", 2, 1, 700000, 300000,
     HIDE_TILGANG | HIDE_AFGANG | HIDE_NETTO | HIDE_EKS,
     "været både tilgang og afgang af sager inden for refusionsgrænsen. Antallet af nye og "
     "afsluttede sager vises ikke, når det kunne pege på enkelte borgere. Der har været en "
     "stigning i udgifterne på ca. 1,0 mio. kr. siden sidste opfølgning."},
    {"tilgang hidden, 4 ended", 1, 4, -3000000, -500000, HIDE_TILGANG | HIDE_NETTO | HIDE_EKS,
     "været en tilgang af nye sager inden for refusionsgrænsen. Samtidig har der været en "
     "afgang på 4 sager. Antallet af nye og afsluttede sager vises ikke, når det kunne pege på "
     "enkelte borgere. Der har været et fald i udgifterne på ca. 3,5 mio. kr. siden sidste "
     "opfølgning."},
    {"tilgang hidden, none ended", 2, 0, 2000000, 100000, HIDE_TILGANG | HIDE_NETTO,
     "været en tilgang af nye sager inden for refusionsgrænsen. Der har ikke været nogen "
     "afgang. Antallet af nye og afsluttede sager vises ikke, når det kunne pege på enkelte "
     "borgere. Der har været en stigning i udgifterne på ca. 2,1 mio. kr. siden sidste "
     "opfølgning."},
    {"5 new, afgang hidden", 5, 1, 4000000, 0, HIDE_AFGANG | HIDE_NETTO,
     "været en tilgang på 5 sager inden for refusionsgrænsen. Samtidig har der været en afgang "
     "af sager. Antallet af nye og afsluttede sager vises ikke, når det kunne pege på enkelte "
     "borgere. Der har været en stigning i udgifterne på ca. 4,0 mio. kr. siden sidste "
     "opfølgning."},
    {"none new, afgang hidden", 0, 2, -2000000, 0, HIDE_AFGANG,
     "ikke været nogen tilgang af sager inden for refusionsgrænsen. Der har været en afgang af "
     "sager. Antallet af nye og afsluttede sager vises ikke, når det kunne pege på enkelte "
     "borgere. Der har været et fald i udgifterne på ca. 2,0 mio. kr. siden sidste opfølgning."},
    {"counts shown, the stayers' change hidden", 4, 3, 1000000, 200000, HIDE_NETTO | HIDE_EKS,
     "været en tilgang på 4 sager inden for refusionsgrænsen. Samtidig har der været en afgang "
     "på 3 sager. Der har været en stigning i udgifterne på ca. 1,2 mio. kr. siden sidste "
     "opfølgning."},
    {"a change that rounds to 0,0, both hidden", 1, 1, 500000, -480000,
     HIDE_TILGANG | HIDE_AFGANG | HIDE_NETTO | HIDE_EKS,
     "været både tilgang og afgang af sager inden for refusionsgrænsen. Antallet af nye og "
     "afsluttede sager vises ikke, når det kunne pege på enkelte borgere. Udgifterne er samlet "
     "set stort set uændrede siden sidste opfølgning."},
    {"everything hidden", 1, 2, 500000, 100000,
     HIDE_TILGANG | HIDE_AFGANG | HIDE_NETTO | HIDE_EKS | HIDE_ALT,
     "været både tilgang og afgang af sager inden for refusionsgrænsen. Antallet af nye og "
     "afsluttede sager vises ikke, når det kunne pege på enkelte borgere. Udgifternes udvikling "
     "siden sidste opfølgning vises ikke, da den kunne pege på enkelte borgere."},
};

/* The example with the development's numbers (and what is hidden of them):
 * its paragraph on the development is SINCE expected. */
static void assert_udvikling(const char *what, double tilgang, double afgang, double netto,
                             double eksisterende, unsigned hidden, const char *expected)
{
    scenario s = example();
    s.tilgang = tilgang, s.afgang = afgang, s.netto = netto, s.eksisterende = eksisterende;
    s.hidden = hidden;
    char want[1024];
    snprintf(want, sizeof want, SINCE "%s", expected);
    printf("%s\n", what);
    assert_paragraph(&s, P_UDVIKLING, want);
}

static void test_udvikling_hidden(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hidden_udvikling / sizeof hidden_udvikling[0]; i++)
        assert_udvikling(hidden_udvikling[i].what, hidden_udvikling[i].tilgang,
                         hidden_udvikling[i].afgang, hidden_udvikling[i].netto,
                         hidden_udvikling[i].eksisterende, hidden_udvikling[i].hidden,
                         hidden_udvikling[i].expected);
}

static void test_udvikling_branches(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof udvikling / sizeof udvikling[0]; i++)
        assert_udvikling(udvikling[i].what, udvikling[i].tilgang, udvikling[i].afgang,
                         udvikling[i].netto, udvikling[i].eksisterende, 0, udvikling[i].expected);
}

/* ---- a first run: no earlier follow-up, one year --------------------------- */

static void assert_absent(const paragraphs *p, const char *phrase)
{
    for (int i = 0; i < NPARAGRAPHS; i++)
        if (strstr(p->text[i], phrase))
            fail_msg("paragraph %d says '%s': %s", i, phrase, p->text[i]);
}

static void test_first_run(void **state)
{
    (void)state;
    scenario s = example();
    s.previous = false, s.tilgang = s.afgang = s.netto = s.eksisterende = 0;
    s.foerste_aar = s.sidste_aar = 2025, s.stigning_antal = 0, s.stigning_udgift = 0;
    paragraphs p = render(&s);
    assert_string_equal(p.text[P_UDVIKLING],
                        "Der er ingen tidligere opfølgning at sammenligne med.");
    assert_string_equal(p.text[P_AAR],
                        "Udviklingen i de senere år på social voksne følges i forhold til "
                        "antallet af sager omfattet af statslig refusion. Der er endnu kun tal "
                        "for 2025, som fremgår af følgende figur og tabel; udviklingen over "
                        "flere år kan vises, når der er tal for de tidligere år. Sagstal og "
                        "udgifter i 2025 er oplyst med forbehold for ændringer i sagstal og "
                        "udgifter i resten af året.");
    assert_string_equal(p.text[P_SLUT],
                        "Sager omfattet af 50 % og 75 % refusion udgør nu 47 % af udgifterne og "
                        "30 % af antallet af sager inden for refusionssatserne.");
    assert_absent(&p, "2025-2025");
    assert_absent(&p, "ændret sig med 0");
    assert_absent(&p, "siden sidste opfølgning den");
    assert_absent(&p, "{{");
    paragraphs_free(&p);
}

/* An earlier follow-up but one year only, and several years without one. */
static void test_history_half_there(void **state)
{
    (void)state;
    scenario s = example();
    s.foerste_aar = s.sidste_aar = 2025;
    paragraphs p = render(&s);
    assert_non_null(strstr(p.text[P_UDVIKLING], SINCE));
    assert_absent(&p, "Fra 2025 til 2025");
    assert_non_null(strstr(p.text[P_AAR], "Der er endnu kun tal for 2025"));
    paragraphs_free(&p);
    s = example();
    s.previous = false, s.tilgang = s.afgang = s.netto = s.eksisterende = 0;
    p = render(&s);
    assert_string_equal(p.text[P_UDVIKLING],
                        "Der er ingen tidligere opfølgning at sammenligne med.");
    assert_non_null(strstr(p.text[P_SLUT], "Fra 2022 til 2025 har antallet"));
    paragraphs_free(&p);
}

/* ---- the years and the 50 % and 75 % tiers ----------------------------------- */

/* From the first to the last year: a fall, no change, one more case, one
 * fewer; the sentence about the shares follows. */
static void test_years_fall_and_flat(void **state)
{
    (void)state;
    static const struct {
        double antal, udgift;
        const char *expected;
    } cases[] = {
        {-5, -3240000,
         "er antallet af sager med 50 % og 75 % refusion faldet med 5 sager, og udgifterne "
         "hertil er faldet med 3,2 mio. kr."},
        {0, 40000,
         "er antallet af sager med 50 % og 75 % refusion uændret, og udgifterne hertil er stort "
         "set uændrede."},
        {1, 2100000,
         "har antallet af sager med 50 % og 75 % refusion ændret sig med 1 sag, og udgifterne "
         "hertil har ændret sig med 2,1 mio. kr."},
        {-1, -1500000,
         "er antallet af sager med 50 % og 75 % refusion faldet med 1 sag, og udgifterne hertil "
         "er faldet med 1,5 mio. kr."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scenario s = example();
        s.stigning_antal = cases[i].antal, s.stigning_udgift = cases[i].udgift;
        char want[512];
        snprintf(want, sizeof want,
                 "Fra 2022 til 2025 %s Sager omfattet af 50 %% og 75 %% refusion udgør nu 47 %% "
                 "af udgifterne og 30 %% af antallet af sager inden for refusionssatserne.",
                 cases[i].expected);
        assert_paragraph(&s, P_SLUT, want);
    }
}

static void test_no_cases_in_50_75(void **state)
{
    (void)state;
    scenario s = example();
    s.foerste_aar = s.sidste_aar = 2025;
    s.antal_50_75 = 0, s.andel_udgift = 0, s.andel_antal = 0;
    assert_paragraph(&s, P_SLUT,
                     "Ingen af sagerne inden for refusionssatserne har 50 % eller 75 % "
                     "refusion.");
    /* no case within the scheme at all */
    s.i_alt = 0;
    assert_paragraph(&s, P_SLUT, "Der er ingen sager inden for refusionssatserne.");
    /* a hidden count (1 or 2 persons) is not read as zero */
    s.i_alt = 240, s.antal_50_75 = 2, s.suppressed_50_75 = true;
    s.andel_udgift = 0.011, s.andel_antal = 2.0 / 240.0;
    assert_paragraph(&s, P_SLUT,
                     "Sager omfattet af 50 % og 75 % refusion udgør nu 1 % af udgifterne og "
                     "1 % af antallet af sager inden for refusionssatserne.");
}

/* ---- the undecided 67+ cases and the shares ------------------------------- */

/* Every paragraph of the memo rendered against ds, joined by newlines. */
static char *render_all(ng_dataset *ds)
{
    ng_memo m;
    ng_memo_init(&m);
    ng_diags d;
    ng_diags_init(&d);
    ng_status st = ng_template_render(NG_SOURCE_DIR "/templates/sde_status.md", ds, NULL, &m, &d);
    ng_diags_print(&d, stdout);
    assert_int_equal(st, NG_OK);
    ng_strbuf b = {0};
    for (size_t i = 0; i < m.nblocks; i++) {
        if (m.blocks[i].kind != NG_BLOCK_PARAGRAPH)
            continue;
        for (size_t r = 0; r < m.blocks[i].nruns; r++)
            ng_strbuf_add(&b, m.blocks[i].runs[r].text);
        ng_strbuf_add(&b, "\n");
    }
    ng_memo_free(&m);
    ng_diags_free(&d);
    return ng_strbuf_take(&b);
}

/* The example's dataset with uafklarede_67 (n cases, or hidden). */
static char *render_uafklarede(double n, bool suppressed)
{
    scenario s = example();
    ng_dataset ds;
    ng_dataset_init(&ds);
    add_tables(&ds, &s);
    add_values(&ds, &s);
    ng_table *t = table("uafklarede_67", (const char *const[]){"omraade", "antal", NULL},
                        (const char *const[]){"aeldre", "i_alt", NULL});
    ng_dataset_add_table(&ds, t);
    ng_dataset_set_num(&ds, "uafklarede_67", NG_UNIT_ANTAL, n);
    ng_dataset_set_num(&ds, "uafklarede_67_udgift", NG_UNIT_KR, n * 1244657);
    ng_dataset_set_num(&ds, "uafklarede_67_mulig_refusion", NG_UNIT_KR, n * 75000);
    if (suppressed)
        for (size_t i = 0; i < ds.nvalues; i++)
            if (!strncmp(ds.values[i].name, "uafklarede_67", 13))
                ds.values[i].suppressed = true;
    char *text = render_all(&ds);
    ng_dataset_free(&ds);
    return text;
}

static void test_uafklarede_67(void **state)
{
    (void)state;
    char *text = render_uafklarede(4, false);
    assert_non_null(strstr(
        text, "For 4 borgere på 67 år og derover kan det ikke afgøres ud fra udtrækket, om "
              "borgerne var omfattet af refusionsordningen, inden de fyldte 67 år. Sagerne har en "
              "forventet årsudgift på 5,0 mio. kr. og er ikke regnet med i refusionen. Var "
              "borgerne omfattet hele året, ville refusionen være 0,3 mio. kr. højere."));
    free(text);
    text = render_uafklarede(1, false);
    assert_non_null(strstr(text, "For 1 borger på 67 år og derover kan det ikke afgøres ud fra "
                                 "udtrækket, om borgeren var omfattet af refusionsordningen, "
                                 "inden vedkommende fyldte 67 år. Sagen har en forventet "
                                 "årsudgift på 1,2 mio. kr."));
    free(text);
    /* too few to show: the memo still says that some could not be decided */
    text = render_uafklarede(2, true);
    assert_null(strstr(text, "For 2"));
    assert_non_null(strstr(text, "For nogle få borgere på 67 år og derover (antallet er udeladt "
                                 "af hensyn til diskretion) kan det ikke afgøres"));
    free(text);
    text = render_uafklarede(0, false);
    assert_null(strstr(text, "67 år og derover"));
    free(text);
}

static void test_shares(void **state)
{
    (void)state;
    scenario s = example();
    ng_dataset ds;
    ng_dataset_init(&ds);
    add_tables(&ds, &s);
    add_values(&ds, &s);
    ng_table *t = table("aldersgrupper", (const char *const[]){"aldersgruppe", "antal", NULL},
                        (const char *const[]){"i_alt", NULL});
    set_cell(t, "i_alt", "antal", 248);
    ng_dataset_add_table(&ds, t);
    ng_dataset_add_table(&ds,
                         table("maalgrupper", (const char *const[]){"maalgruppe", NULL}, NULL));
    static const char *const names[] = {"aldersgrupper_figur", "leverandoertyper_figur"};
    for (int i = 0; i < 2; i++) {
        int series[] = {1}, cats[] = {0};
        ng_figure f = {.name = (char *)names[i],
                       .table = "aldersgrupper",
                       .series = series,
                       .nseries = 1,
                       .cats = cats,
                       .ncats = 1};
        ng_dataset_add_figure(&ds, &f);
    }
    static const struct {
        const char *name;
        double v;
    } shares[] = {{"andel_antal_18_35", 0.35},
                  {"andel_antal_36_66", 0.64},
                  {"andel_antal_67_plus", 0.016},
                  {"andel_antal_kommunal", 0.41},
                  {"andel_antal_regional", 0.29},
                  {"andel_antal_privat", 0.305},
                  {"andel_antal_stoerste_maalgruppe", 0.246}};
    for (size_t i = 0; i < sizeof shares / sizeof *shares; i++)
        ng_dataset_set_num(&ds, shares[i].name, NG_UNIT_PCT, shares[i].v);
    ng_dataset_set_text(&ds, "stoerste_maalgruppe", "udviklingshæmning");
    char *text = render_all(&ds);
    assert_non_null(strstr(text, "Af de 248 voksne og ældre inden for refusionsgrænsen er 35 % "
                                 "mellem 18 og 35 år, 64 % mellem 36 og 66 år og 2 % 67 år og "
                                 "derover. Den største målgruppe er udviklingshæmning med 25 % "
                                 "af sagerne. 41 % af sagerne har en kommunal leverandør, 29 % en "
                                 "regional og 31 % en privat."));
    free(text);
    /* a share hidden for privacy leaves its sentence out */
    for (size_t i = 0; i < ds.nvalues; i++)
        if (!strcmp(ds.values[i].name, "andel_antal_regional"))
            ds.values[i].suppressed = true;
    text = render_all(&ds);
    assert_null(strstr(text, "kommunal leverandør"));
    assert_non_null(strstr(text, "Den største målgruppe er udviklingshæmning"));
    free(text);
    ng_dataset_free(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),           cmocka_unit_test(test_example_wording),
        cmocka_unit_test(test_udvikling_branches),  cmocka_unit_test(test_udvikling_hidden),
        cmocka_unit_test(test_first_run),           cmocka_unit_test(test_history_half_there),
        cmocka_unit_test(test_years_fall_and_flat), cmocka_unit_test(test_no_cases_in_50_75),
        cmocka_unit_test(test_uafklarede_67),       cmocka_unit_test(test_shares),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
