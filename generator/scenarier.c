/* scenarier.c -- the forecast with and without the expected demografi
 * regulation and the initiatives' effects (see scenarier.h; the rule is
 * docs/regler.md, "Scenarier"). */
#include "notatgen/scenarier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/module.h"
#include "notatgen/modules.h"

enum { MAX_YEARS = 32 };
enum { R_S1, R_DEMOGRAFI, R_INITIATIVER, R_S2, R_FORBEDRING };

/* The years of the scenarios: the forecast's base year, then every
 * forecast year (prognose's rows). */
typedef struct {
    int aar[MAX_YEARS];
    int n;
    /* the initiative file's years in initiativer_netto (0, 0: none) */
    int init_first, init_last;
} years;

static const ng_cell *cell_of(const ng_table *t, const char *row, const char *col)
{
    return t ? ng_table_cell(t, ng_table_row(t, row), ng_table_col(t, col)) : NULL;
}

static bool forecast_years(const ng_dataset *ds, years *y)
{
    const ng_table *basis = ng_dataset_table(ds, "prognose_grundlag");
    const ng_table *fc = ng_dataset_table(ds, "prognose");
    const ng_cell *base = cell_of(basis, "slutaar", "vaerdi");
    int c_aar = fc ? ng_table_col(fc, "aar") : -1;
    if (!base || base->type != NG_CELL_NUM || c_aar < 0)
        return false;
    y->aar[y->n++] = (int)base->num;
    for (int r = 0; r < fc->nrows && y->n < MAX_YEARS; r++)
        if (fc->rows[r].cells[c_aar].type == NG_CELL_NUM)
            y->aar[y->n++] = (int)fc->rows[r].cells[c_aar].num;
    return y->n > 1;
}

/* The first and last year columns of initiativer_netto. */
static void initiative_years(const ng_table *t, years *y)
{
    for (int c = 0; t && c < t->ncols; c++) {
        int aar = atoi(t->cols[c].key);
        if (aar < 1900)
            continue;
        if (!y->init_first || aar < y->init_first)
            y->init_first = aar;
        if (aar > y->init_last)
            y->init_last = aar;
    }
}

static void year_key(int aar, char *buf, size_t size)
{
    snprintf(buf, size, "%d", aar);
}

/* The forecast's spend: in the base year the base year's cases x the spend
 * per case (where the growth method starts), then prognose's spend. */
static void scenario_1(ng_table *t, ng_dataset *ds, int col, int aar, bool base)
{
    if (base) {
        ng_term terms[] = {ng_dataset_term(ds, "prognose_grundlag", "antal_slut", "vaerdi", 1),
                           ng_dataset_term(ds, "prognose_grundlag", "udgift_pr_sag", "vaerdi", 1)};
        ng_rule r = {.kind = NG_RULE_PRODUCT, .terms = terms, .nterms = 2};
        ng_table_set_rule(t, R_S1, col, &r);
        return;
    }
    char key[16];
    year_key(aar, key, sizeof key);
    ng_term term = ng_dataset_term(ds, "prognose", key, "udgift_vaekst", 1);
    ng_table_rule_linear(t, R_S1, col, &term, 1);
}

/* The regulation in the k-th year after the base year: the previous year's
 * plus the yearly amount, or the k-th configured amount (the last one
 * after the list). */
static void demografi(ng_table *t, const ng_scenarier_options *o, int col, int k)
{
    if (k == 0) {
        ng_table_set_num(t, R_DEMOGRAFI, col, 0);
    } else if (o->demografi_aarlig > 0) {
        ng_term prev = {R_DEMOGRAFI, col - 1, 1, NULL};
        ng_rule r = {
            .kind = NG_RULE_LINEAR, .terms = &prev, .nterms = 1, .constant = o->demografi_aarlig};
        ng_table_set_rule(t, R_DEMOGRAFI, col, &r);
    } else {
        size_t i = (size_t)k - 1 < o->ndemografi ? (size_t)k - 1 : o->ndemografi - 1;
        ng_table_set_num(t, R_DEMOGRAFI, col, (double)o->demografi[i]);
    }
}

/* The initiatives' net effect in aar: initiativer_netto's total that year,
 * after the file's last year that year's (when it holds), else 0; none in
 * the base year, whose spend is actual. */
static void initiativer(ng_table *t, ng_dataset *ds, const ng_scenarier_options *o, const years *y,
                        int col, int aar, bool base)
{
    int from = aar;
    if (aar > y->init_last && o->fasthold_initiativer)
        from = y->init_last;
    if (base || from < y->init_first || from > y->init_last) {
        ng_table_set_num(t, R_INITIATIVER, col, 0);
        return;
    }
    char key[16];
    year_key(from, key, sizeof key);
    ng_term term = ng_dataset_term(ds, "initiativer_netto", "i_alt", key, 1);
    ng_table_rule_linear(t, R_INITIATIVER, col, &term, 1);
}

static void derived(ng_table *t, int col)
{
    ng_term s2[] = {
        {R_S1, col, 1, NULL}, {R_DEMOGRAFI, col, -1, NULL}, {R_INITIATIVER, col, 1, NULL}};
    ng_table_rule_linear(t, R_S2, col, s2, 3);
    ng_term better[] = {{R_S1, col, 1, NULL}, {R_S2, col, -1, NULL}};
    ng_table_rule_linear(t, R_FORBEDRING, col, better, 2);
}

/* The source line: what the two scenarios are, in words. */
static void describe(const ng_scenarier_options *o, const years *y, bool with_init, char *buf,
                     size_t size)
{
    char dem[160], init[200] = "";
    if (o->demografi_aarlig > 0) {
        char mio[32];
        ng_fmt_dec(mio, sizeof mio, o->demografi_aarlig / 1e6, 1);
        snprintf(dem, sizeof dem, "en demografiregulering, der vokser med %s mio. kr. om året",
                 mio);
    } else {
        snprintf(dem, sizeof dem, "den forventede demografiregulering år for år (konfigurationen)");
    }
    if (with_init && y->init_last < y->aar[y->n - 1])
        snprintf(init, sizeof init, ", og initiativernes nettoeffekt (initiativfilen; efter %d %s)",
                 y->init_last,
                 o->fasthold_initiativer ? "fastholdt på effekten det år" : "ingen effekt");
    else if (with_init)
        snprintf(init, sizeof init, ", og initiativernes nettoeffekt (initiativfilen)");
    snprintf(buf, size,
             "Scenarie 1: prognosen (vækstmetoden). Scenarie 2: prognosen fratrukket %s%s. "
             "Basisåret %d er udgangspunktet for begge.",
             o->ndemografi || o->demografi_aarlig > 0 ? dem : "ingen demografiregulering", init,
             y->aar[0]);
}

static ng_table *scenario_table(const ng_scenarier_options *o, ng_dataset *ds, const years *y,
                                bool with_init)
{
    ng_table *t = ng_table_new("scenarier", "Prognose og scenarier (mio. kr.)");
    if (!t)
        return NULL;
    char source[512];
    describe(o, y, with_init, source, sizeof source);
    ng_table_set_source(t, source);
    int c_post = ng_table_add_column(t, "post", "Scenarier (mio. kr.)", NG_UNIT_TEXT);
    int c_year = ng_table_add_year_columns(t, y->aar, y->n, NG_UNIT_MIO);
    static const struct {
        const char *key, *label;
        unsigned flags;
    } rows[] = {
        {"scenarie_1", "Scenarie 1: prognose", NG_ROW_SUBTOTAL},
        {"demografi", "Forventet demografiregulering", 0},
        {"initiativer", "Initiativernes nettoeffekt (+ = merudgift)", 0},
        {"scenarie_2", "Scenarie 2: prognose fratrukket demografi og initiativer", NG_ROW_SUBTOTAL},
        {"forbedring", "Forbedring i prognosen (scenarie 1 - scenarie 2)", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int r = ng_table_add_row(t, rows[i].key, rows[i].flags);
        ng_table_set_text(t, r, c_post, rows[i].label);
    }
    for (int k = 0; k < y->n && t->status == NG_OK; k++) {
        int col = c_year + k;
        scenario_1(t, ds, col, y->aar[k], k == 0);
        demografi(t, o, col, k);
        if (with_init)
            initiativer(t, ds, o, y, col, y->aar[k], k == 0);
        else
            ng_table_set_num(t, R_INITIATIVER, col, 0);
        derived(t, col);
    }
    return t;
}

static ng_status scenario_figure(ng_dataset *ds, const years *y)
{
    int series[] = {R_S1, R_S2}, cats[MAX_YEARS];
    for (int k = 0; k < y->n; k++)
        cats[k] = 1 + k;
    ng_figure fig = {.name = "scenarier_figur",
                     .table = "scenarier",
                     .title = "Prognose for udgifterne: scenarie 1 og scenarie 2 (mio. kr.)",
                     .y_title = "mio. kr.",
                     .type = NG_FIG_LINE,
                     .series_from_rows = true,
                     .series = series,
                     .nseries = 2,
                     .cats = cats,
                     .ncats = y->n,
                     .label_col = 0};
    return ng_dataset_add_figure(ds, &fig);
}

static ng_status scenario_values(const ng_scenarier_options *o, ng_dataset *ds, const years *y)
{
    char first[16], last[16];
    year_key(y->aar[0], first, sizeof first);
    year_key(y->aar[y->n - 1], last, sizeof last);
    static const struct {
        const char *name, *row;
    } ends[] = {
        {"scenarie_1_slut", "scenarie_1"},          {"scenarie_2_slut", "scenarie_2"},
        {"scenarie_demografi_slut", "demografi"},   {"scenarie_initiativer_slut", "initiativer"},
        {"scenarie_forbedring_slut", "forbedring"},
    };
    ng_dataset_set_ref(ds, "scenarie_1_start", "scenarier", "scenarie_1", first);
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        ng_dataset_set_ref(ds, ends[i].name, "scenarier", ends[i].row, last);
    if (o->demografi_aarlig > 0)
        ng_dataset_set_num(ds, "scenarie_demografi_aarlig", NG_UNIT_KR, o->demografi_aarlig);
    return ds->status;
}

ng_status ng_scenarier_publish(const ng_scenarier_options *opt, ng_dataset *ds, ng_diags *diags)
{
    years y = {0};
    if (!forecast_years(ds, &y)) {
        ng_note(diags, NULL, 0, 0,
                "[scenarier] udelades: der er ingen prognose ([prognose] historik)");
        return NG_OK;
    }
    const ng_table *netto = opt->initiativer ? ng_dataset_table(ds, "initiativer_netto") : NULL;
    initiative_years(netto, &y);
    bool with_init = netto && y.init_last > 0;
    if (opt->initiativer && !with_init)
        ng_note(diags, NULL, 0, 0,
                "[scenarier]: der er ingen initiativfil ([initiativer]), så scenarie 2 er "
                "prognosen fratrukket demografireguleringen alene");
    ng_status st = ng_dataset_add_evaluated(ds, scenario_table(opt, ds, &y, with_init));
    if (st == NG_OK)
        st = scenario_figure(ds, &y);
    if (st == NG_OK)
        st = scenario_values(opt, ds, &y);
    return st;
}

/* ---- the module ---------------------------------------------------------- */

typedef ng_scenarier_options opts;

static const ng_config_key keys[] = {
    NG_KEY(opts, "scenarier", "demografi_aarlig", NG_KEY_KR, demografi_aarlig),
    NG_KEY_AUX(opts, "scenarier", "demografi", NG_KEY_AMOUNTS, demografi, ndemografi),
    NG_KEY(opts, "scenarier", "initiativer", NG_KEY_BOOL, initiativer),
    NG_KEY(opts, "scenarier", "fasthold_initiativer", NG_KEY_BOOL, fasthold_initiativer),
};

static void options_init(void *p)
{
    opts *o = p;
    o->initiativer = true;
    o->fasthold_initiativer = true;
}

static void options_finish(void *p, ng_config_ctx *c)
{
    opts *o = p;
    o->present = ng_config_section_line(c, "scenarier") > 0;
    if (!o->present)
        return;
    if (o->demografi_aarlig > 0 && o->ndemografi > 0)
        ng_config_error(c, ng_config_key_line(c, "scenarier", "demografi"),
                        "angiv kun én af 'demografi_aarlig' og 'demografi' i [scenarier]");
    if (!o->initiativer && o->demografi_aarlig <= 0 && o->ndemografi == 0)
        ng_config_error(c, ng_config_section_line(c, "scenarier"),
                        "[scenarier] har hverken en demografiregulering ('demografi_aarlig' eller "
                        "'demografi') eller initiativer: scenarie 2 ville være lig scenarie 1");
}

static bool configured(const void *opt)
{
    return ((const opts *)opt)->present;
}

static ng_status compute(const void *opt, ng_pipeline *p)
{
    return ng_scenarier_publish(opt, &p->ds, p->diags);
}

static const ng_decl publishes[] = {
    NG_DECL_TABLE_("scenarier", "Scenarier",
                   "Prognosen (scenarie 1) og prognosen fratrukket demografiregulering og "
                   "initiativernes nettoeffekt (scenarie 2) pr. år",
                   NG_COLS({"post", NULL, NG_UNIT_TEXT, 0, 0}, {"####", NULL, NG_UNIT_MIO, -1, 0})),
    NG_DECL_FIGURE_("scenarier_figur", "scenarier",
                    "Linjer: udgifterne i scenarie 1 og scenarie 2 pr. år"),
    NG_DECL_VALUE_("scenarie_1_start", NG_UNIT_MIO,
                   "Udgiften i prognosens basisår, hvor begge scenarier starter"),
    NG_DECL_VALUE_("scenarie_1_slut", NG_UNIT_MIO, "Scenarie 1 (prognosen) i prognosens sidste år"),
    NG_DECL_VALUE_("scenarie_2_slut", NG_UNIT_MIO, "Scenarie 2 i prognosens sidste år"),
    NG_DECL_VALUE_("scenarie_demografi_slut", NG_UNIT_MIO,
                   "Den forventede demografiregulering i prognosens sidste år"),
    NG_DECL_VALUE_("scenarie_initiativer_slut", NG_UNIT_MIO,
                   "Initiativernes nettoeffekt i prognosens sidste år (negativ = mindreudgift)"),
    NG_DECL_VALUE_("scenarie_forbedring_slut", NG_UNIT_MIO,
                   "Forbedringen i prognosen i dens sidste år (scenarie 1 minus scenarie 2)"),
    NG_DECL_FACT_("scenarie_demografi_aarlig", NG_UNIT_KR,
                  "Demografireguleringens årlige vækst ([scenarier] demografi_aarlig)"),
};

const ng_module ng_module_scenarier = {
    .name = "scenarier",
    .summary = "Prognosen med og uden den forventede demografiregulering og initiativernes effekt",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_init = options_init,
    .options_finish = options_finish,
    .configured = configured,
    .compute = compute,
    .publishes = publishes,
    .npublishes = sizeof publishes / sizeof *publishes,
};
