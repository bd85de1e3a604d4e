/* refusionsbudget.c -- the refusion income against its budget
 * (docs/regler.md, "Refusionsbudgettet").
 *
 * The year's budgeted refusion income is split over the fagområder by a base
 * year's shares; the computed refusion against each area's share gives its
 * merindtægt (+) or mindreindtægt (-). Under model 2 the area keeps the
 * difference; under model 1 it goes to (or is covered by) the kasse. The
 * municipality claims a'conto each quarter on the expected refusion and
 * settles by 15 May of the following year with the auditor's endorsement.
 */
#include "notatgen/refusionsbudget.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "notatgen/module.h"
#include "notatgen/modules.h"

static const char *const area_labels[NG_OMR_COUNT] = {
    "Socialområdet (voksne)", "Familieområdet (børn og unge)", "Omsorgsområdet (ældre)"};

enum { C_AREA, C_ANDEL, C_BUDGET, C_BEREGNET, C_DIFF, C_MODEL, C_AREA_KEEPS, C_KASSE, C_COUNT };

/* The computed refusion per område, in kr. */
static void refusion_per_area(const ng_refusion_result *r, double kr[NG_OMR_COUNT])
{
    int64_t oere[NG_OMR_COUNT] = {0};
    for (size_t i = 0; i < r->n; i++)
        if (r->units[i].covered && r->units[i].omraade < NG_OMR_COUNT)
            oere[r->units[i].omraade] += r->units[i].refusion;
    for (int a = 0; a < NG_OMR_COUNT; a++)
        kr[a] = (double)oere[a] / 100.0;
}

static ng_status check_shares(const ng_refusionsbudget_options *o, ng_diags *diags)
{
    double sum = 0;
    for (int a = 0; a < NG_OMR_COUNT; a++)
        sum += o->andel[a];
    if (fabs(sum - 1.0) > 0.0005) {
        char pct[32];
        ng_fmt_dec(pct, sizeof pct, sum * 100, 1);
        ng_error(
            diags, NULL, 0, 0,
            "[refusionsbudget] andel_voksen + andel_boern + andel_aeldre er %s %%, ikke 100 %%",
            pct);
        return NG_ERR_CONFIG;
    }
    return NG_OK;
}

/* The budget split over the areas in whole kr. by largest remainder: each
 * area its share rounded down, the kroner left over to the areas with the
 * largest remainders (the first area on a tie), so the parts add up to the
 * budget exactly. */
static void split_budget(const ng_refusionsbudget_options *o, double part[NG_OMR_COUNT])
{
    double total = round(o->beloeb), rest[NG_OMR_COUNT], given = 0;
    for (int a = 0; a < NG_OMR_COUNT; a++) {
        /* to the micro-krone, so that a share's binary noise cannot decide */
        double exact = round(total * o->andel[a] * 1e6) / 1e6;
        part[a] = floor(exact);
        rest[a] = exact - part[a];
        given += part[a];
    }
    for (long left = (long)(total - given); left > 0; left--) {
        int best = 0;
        for (int a = 1; a < NG_OMR_COUNT; a++)
            if (rest[a] > rest[best])
                best = a;
        part[best] += 1;
        rest[best] = -1;
    }
}

static ng_table *budget_table(const ng_refusionsbudget_options *o,
                              const double beregnet[NG_OMR_COUNT], int aar)
{
    char title[128];
    snprintf(title, sizeof title,
             "Refusionsindtægter %d: budget og forventet indtægt pr. fagområde", aar);
    ng_table *t = ng_table_new("refusionsbudget", title);
    if (!t)
        return NULL;
    ng_table_add_column(t, "fagomraade", "Fagområde", NG_UNIT_TEXT);
    ng_table_add_column(t, "andel", "Andel af budgettet", NG_UNIT_PCT);
    ng_table_add_column(t, "budget", "Budget", NG_UNIT_MIO);
    ng_table_add_column(t, "beregnet", "Forventet refusion", NG_UNIT_MIO);
    ng_table_add_column(t, "difference", "Mer-/mindreindtægt", NG_UNIT_MIO);
    ng_table_add_column(t, "model", "Model", NG_UNIT_TEXT);
    ng_table_add_column(t, "til_fagomraadet", "Tilfalder fagområdet", NG_UNIT_MIO);
    if (ng_table_add_column(t, "til_kassen", "Tilfalder kassen", NG_UNIT_MIO) != C_KASSE) {
        ng_table_free(t);
        return NULL;
    }
    ng_table_set_source(t, "Kilde: konfigurationens [refusionsbudget] og udtrækkets beregnede "
                           "refusion. Model 2: fagområdet beholder forskellen; model 1: den "
                           "tilfalder kassen.");
    double part[NG_OMR_COUNT];
    split_budget(o, part);
    for (int a = 0; a < NG_OMR_COUNT; a++) {
        int row = ng_table_add_row(t, ng_omraade_key((ng_omraade)a), 0);
        int model = o->model[a];
        ng_table_set_text(t, row, C_AREA, area_labels[a]);
        ng_table_set_num(t, row, C_ANDEL, o->andel[a]);
        /* the split of the budget is a decision (an input) */
        ng_table_set_num(t, row, C_BUDGET, part[a]);
        ng_table_set_num(t, row, C_BEREGNET, beregnet[a]);
        ng_term diff[] = {{row, C_BEREGNET, 1}, {row, C_BUDGET, -1}};
        ng_table_rule_linear(t, row, C_DIFF, diff, 2);
        ng_table_set_text(t, row, C_MODEL, model == 1 ? "Model 1" : "Model 2");
        /* the difference goes one way: a reference there, a plain 0 on the
         * other side (a readable formula, not "0*E6") */
        ng_term diff_term = {row, C_DIFF, 1, NULL};
        ng_table_rule_linear(t, row, model == 2 ? C_AREA_KEEPS : C_KASSE, &diff_term, 1);
        ng_table_set_num(t, row, model == 2 ? C_KASSE : C_AREA_KEEPS, 0);
    }
    int total = ng_table_add_total_row(t, "i_alt", "I alt", C_AREA, 0, NG_OMR_COUNT - 1);
    ng_table_rule_sum(t, total, C_ANDEL, 0, NG_OMR_COUNT - 1);
    return t;
}

/* A'conto: a quarter of the year's expected refusion each quarter; the last
 * quarter takes the øre that do not divide, so the four add up exactly. */
static ng_table *aconto_table(double total_kr, int aar)
{
    char title[96];
    snprintf(title, sizeof title, "Kvartalsvis a'conto-hjemtagelse af refusion %d", aar);
    ng_table *t = ng_table_new("refusion_aconto", title);
    if (!t)
        return NULL;
    ng_table_add_column(t, "kvartal", "Kvartal", NG_UNIT_TEXT);
    ng_table_add_column(t, "aconto", "A'conto", NG_UNIT_MIO);
    ng_table_set_source(t, "A'conto på grundlag af den forventede refusion for hele året; endelig "
                           "opgørelse med revisorpåtegning senest 15. maj året efter.");
    int64_t total_oere = (int64_t)llround(total_kr * 100.0);
    int64_t quarter = total_oere / 4;
    static const char *const labels[4] = {"1. kvartal", "2. kvartal", "3. kvartal", "4. kvartal"};
    for (int q = 0; q < 4; q++) {
        char key[8];
        snprintf(key, sizeof key, "q%d", q + 1);
        int row = ng_table_add_row(t, key, 0);
        int64_t amount = q < 3 ? quarter : total_oere - 3 * quarter;
        ng_table_set_text(t, row, 0, labels[q]);
        ng_table_set_num(t, row, 1, (double)amount / 100.0);
    }
    ng_table_add_total_row(t, "i_alt", "I alt", 0, 0, 3);
    return t;
}

ng_status ng_refusionsbudget_tables(const ng_refusion_result *r,
                                    const ng_refusionsbudget_options *opt, ng_dataset *ds,
                                    ng_diags *diags)
{
    ng_status st = check_shares(opt, diags);
    if (st != NG_OK)
        return st;
    double beregnet[NG_OMR_COUNT];
    refusion_per_area(r, beregnet);
    st = ng_dataset_add_evaluated(ds, budget_table(opt, beregnet, r->aar));
    const ng_table *t = st == NG_OK ? ng_dataset_table(ds, "refusionsbudget") : NULL;
    double expected = t ? ng_table_cell(t, ng_table_row(t, "i_alt"), C_BEREGNET)->num : 0;
    if (st == NG_OK)
        st = ng_dataset_add_evaluated(ds, aconto_table(expected, r->aar));
    if (st != NG_OK)
        return st;
    static const struct {
        const char *name, *table, *row, *col;
    } refs[] = {
        {"refusionsbudget", "refusionsbudget", "i_alt", "budget"},
        {"refusion_forventet", "refusionsbudget", "i_alt", "beregnet"},
        {"refusion_merindtaegt", "refusionsbudget", "i_alt", "difference"},
        {"refusion_til_fagomraaderne", "refusionsbudget", "i_alt", "til_fagomraadet"},
        {"refusion_til_kassen", "refusionsbudget", "i_alt", "til_kassen"},
        {"refusion_aconto_kvartal", "refusion_aconto", "q1", "aconto"},
    };
    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++)
        ng_dataset_set_ref(ds, refs[i].name, refs[i].table, refs[i].row, refs[i].col);
    ng_date settle = {r->aar + 1, 5, 15};
    ng_dataset_set_num(ds, "refusion_opgoerelse_dato", NG_UNIT_DATO,
                       (double)ng_date_to_days(settle));
    return ds->status;
}

/* ---- the module ---------------------------------------------------------- */

typedef ng_refusionsbudget_options opts;

static const ng_config_key keys[] = {
    NG_KEY_REQ(opts, "refusionsbudget", "beloeb", NG_KEY_KR, beloeb, NG_REQUIRED_IN_SECTION),
    NG_KEY(opts, "refusionsbudget", "andel_voksen", NG_KEY_PCT, andel[0]),
    NG_KEY(opts, "refusionsbudget", "andel_boern", NG_KEY_PCT, andel[1]),
    NG_KEY(opts, "refusionsbudget", "andel_aeldre", NG_KEY_PCT, andel[2]),
    NG_KEY_RANGE(opts, "refusionsbudget", "model_voksen", NG_KEY_INT, model[0], 1, 2),
    NG_KEY_RANGE(opts, "refusionsbudget", "model_boern", NG_KEY_INT, model[1], 1, 2),
    NG_KEY_RANGE(opts, "refusionsbudget", "model_aeldre", NG_KEY_INT, model[2], 1, 2),
};

static void options_init(void *p)
{
    opts *o = p;
    for (int a = 0; a < NG_OMR_COUNT; a++)
        o->model[a] = 2;
}

static bool configured(const void *opt)
{
    return ((const opts *)opt)->beloeb > 0;
}

static ng_status compute(const void *opt, ng_pipeline *p)
{
    return ng_refusionsbudget_tables(&p->refusion, opt, &p->ds, p->diags);
}

static ng_status check(const void *opt, ng_pipeline *p)
{
    return check_shares(opt, p->diags);
}

static const ng_decl publishes[] = {
    NG_DECL_VALUE_("refusionsbudget", NG_UNIT_KR, "Årets budgetterede refusionsindtægt"),
    NG_DECL_VALUE_("refusion_forventet", NG_UNIT_KR,
                   "Årets forventede refusion (alle fagområder), som budgettet holdes op mod"),
    NG_DECL_VALUE_("refusion_merindtaegt", NG_UNIT_KR,
                   "Forventet refusion minus budget (negativ: mindreindtægt)"),
    NG_DECL_VALUE_("refusion_til_fagomraaderne", NG_UNIT_KR,
                   "Den del af mer-/mindreindtægten, fagområderne beholder (model 2)"),
    NG_DECL_VALUE_("refusion_til_kassen", NG_UNIT_KR,
                   "Den del af mer-/mindreindtægten, der tilfalder kassen (model 1)"),
    NG_DECL_VALUE_("refusion_aconto_kvartal", NG_UNIT_KR,
                   "A'conto-hjemtagelsen i et kvartal (en fjerdedel af den forventede refusion)"),
    NG_DECL_FACT_("refusion_opgoerelse_dato", NG_UNIT_DATO,
                  "Frist for den endelige opgørelse (15. maj året efter)"),
    NG_DECL_TABLE_(
        "refusionsbudget", "Refusionsbudget",
        "Refusionsindtægter: budget, forventet indtægt og mer-/mindreindtægt pr. "
        "fagområde",
        NG_COLS({"fagomraade", NULL, NG_UNIT_TEXT, 0, 0}, {"andel", NULL, NG_UNIT_PCT, 0, 0},
                {"budget", NULL, NG_UNIT_MIO, -1, 0}, {"beregnet", NULL, NG_UNIT_MIO, -1, 0},
                {"difference", NULL, NG_UNIT_MIO, -1, 0}, {"model", NULL, NG_UNIT_TEXT, 0, 0},
                {"til_fagomraadet", NULL, NG_UNIT_MIO, -1, 0},
                {"til_kassen", NULL, NG_UNIT_MIO, -1, 0})),
    NG_DECL_TABLE_(
        "refusion_aconto", "A'conto", "Kvartalsvis a'conto-hjemtagelse af refusion",
        NG_COLS({"kvartal", NULL, NG_UNIT_TEXT, 0, 0}, {"aconto", NULL, NG_UNIT_MIO, -1, 0})),
};

const ng_module ng_module_refusionsbudget = {
    .name = "refusionsbudget",
    .summary = "Refusionsindtægterne mod budgettet pr. fagområde og den kvartalsvise a'conto",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_init = options_init,
    .configured = configured,
    .compute = compute,
    .check = check,
    .publishes = publishes,
    .npublishes = sizeof publishes / sizeof *publishes,
};
