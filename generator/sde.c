/* sde.c -- the refusion module: the thresholds, the refusion per person
 * and month (refusion.c), and the SDE tables and values built from the
 * refusion units (refusion.h; the rules are docs/regler.md).
 *
 * Every table is published with its totals as rules (ng_table_add_total_row)
 * and evaluated here, so the numbers the memo shows and the formulas the
 * bilag carries come from one definition. Money cells hold kr.
 *
 * Which units a table counts:
 *   refusion_per_trin   område voksen, covered, trin 25/50/75
 *   udgiftsintervaller  every case (person) with its own yearly spend >= the
 *                       first band: households are summed for refusion only
 *   omraader, maalgrupper, leverandoertyper, kommuner (voksen)
 *                       units in the scheme: covered and with a tier or a
 *                       refusion (uneven months can give refusion below t1)
 *   aldersgrupper       the same, område voksen and aeldre
 */
#include "notatgen/refusion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/module.h"
#include "notatgen/modules.h"

enum { NO_COL = -1 };

/* A row of a grouped table while it is being counted. */
typedef struct {
    char *key;
    char *label;
    long antal;
    int64_t udgift;   /* øre */
    int64_t refusion; /* øre */
} sde_group;

typedef struct {
    sde_group *items;
    size_t n, cap;
} sde_groups;

static void groups_free(sde_groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->items[i].key);
        free(g->items[i].label);
    }
    free(g->items);
    memset(g, 0, sizeof *g);
}

static sde_group *groups_find(sde_groups *g, const char *key)
{
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->items[i].key, key))
            return &g->items[i];
    return NULL;
}

/* Returns the group with key, adding it (with label) when new. */
static sde_group *groups_get(sde_groups *g, const char *key, const char *label)
{
    sde_group *found = groups_find(g, key);
    if (found)
        return found;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 8;
        sde_group *items = realloc(g->items, cap * sizeof *items);
        if (!items)
            return NULL;
        g->items = items;
        g->cap = cap;
    }
    sde_group *grp = &g->items[g->n];
    memset(grp, 0, sizeof *grp);
    grp->key = strdup(key);
    grp->label = strdup(label);
    if (!grp->key || !grp->label) {
        free(grp->key);
        free(grp->label);
        return NULL;
    }
    g->n++;
    return grp;
}

static void group_add(sde_group *grp, int64_t udgift, int64_t refusion)
{
    grp->antal++;
    grp->udgift += udgift;
    grp->refusion += refusion;
}

static void group_count(sde_group *grp, const ng_refusion_unit *u)
{
    group_add(grp, u->udgift, u->refusion);
}

static double kr(int64_t oere)
{
    return (double)oere / 100.0;
}

/* ---- which units count ------------------------------------------------- */

static bool in_scheme(const ng_refusion_unit *u)
{
    return u->covered && (u->trin > 0 || u->refusion > 0);
}

static bool adult_in_tier(const ng_refusion_unit *u)
{
    return u->omraade == NG_OMR_VOKSEN && u->covered && u->trin > 0;
}

/* ---- table helpers ----------------------------------------------------- */

/* The source line names the extract date the run decided (ds), never the
 * configuration's: --dato wins over [udtraek] dato. */
static char *source_line(const ng_dataset *ds, char *buf, size_t size)
{
    ng_date d = ds->udtraek_dato;
    if (d.y > 0) {
        char date[32];
        snprintf(buf, size, "Kilde: udtræk pr. %s, egne beregninger",
                 ng_fmt_date_short(date, sizeof date, d));
    } else {
        snprintf(buf, size, "Kilde: udtræk, egne beregninger");
    }
    return buf;
}

static ng_table *new_table(const char *name, const char *title, const char *source)
{
    ng_table *t = ng_table_new(name, title);
    if (t)
        ng_table_set_source(t, source);
    return t;
}

static int add_col(ng_table *t, const char *key, const char *label, ng_unit unit, int decimals)
{
    int c = ng_table_add_column(t, key, label, unit);
    if (c >= 0 && decimals >= 0)
        t->cols[c].decimals = decimals;
    return c;
}

/* How a grouped table is laid out. */
typedef struct {
    const char *name;
    const char *label_key, *label_header;
    /* the refusion column: key and header; NULL for none */
    const char *refusion_key, *refusion_header;
    /* the shares of the cases and of the spend, each row's against the
     * total row, as RATIO rules (andel_antal, andel_udgift) */
    bool shares;
    const char *note; /* the table's footnote, NULL for none */
} group_layout;

/* The share column `key` of a row: the cell of col over the total's. */
static void share_rule(ng_table *t, int row, int total, int col, int share_col)
{
    ng_term num = {row, col, 1.0, NULL}, den = {total, col, 1.0, NULL};
    ng_table_rule_ratio(t, row, share_col, &num, 1, &den, 1);
}

/* A table "label | antal [| andel] | udgift [| andel] [| refusion]" with one
 * row per group and a total row "I alt" (key i_alt). The table's status
 * catches a failed allocation (checked once, by ng_dataset_add_evaluated). */
static ng_status publish_groups(ng_dataset *ds, const group_layout *lay, const char *title,
                                const char *source, const sde_groups *g)
{
    ng_table *t = new_table(lay->name, title, source);
    if (!t)
        return NG_ERR_NOMEM;
    t->count_table = true;
    if (lay->note)
        ng_table_set_note(t, lay->note);
    int c_label = add_col(t, lay->label_key, lay->label_header, NG_UNIT_TEXT, -1);
    int c_antal = add_col(t, "antal", "Antal sager", NG_UNIT_ANTAL, 0);
    int c_andel_antal =
        lay->shares ? add_col(t, "andel_antal", "Andel af sagerne", NG_UNIT_PCT, 0) : NO_COL;
    int c_udgift = add_col(t, "udgift", "Udgift", NG_UNIT_MIO, 1);
    int c_andel_udgift =
        lay->shares ? add_col(t, "andel_udgift", "Andel af udgiften", NG_UNIT_PCT, 0) : NO_COL;
    int c_ref = lay->refusion_key
                    ? add_col(t, lay->refusion_key, lay->refusion_header, NG_UNIT_MIO, 1)
                    : NO_COL;
    ng_table_set_column_persons(t, c_antal, true);
    for (size_t i = 0; i < g->n; i++) {
        int row = ng_table_add_row(t, g->items[i].key, 0);
        ng_table_set_text(t, row, c_label, g->items[i].label);
        ng_table_set_num(t, row, c_antal, (double)g->items[i].antal);
        ng_table_set_num(t, row, c_udgift, kr(g->items[i].udgift));
        if (c_ref != NO_COL)
            ng_table_set_num(t, row, c_ref, kr(g->items[i].refusion));
    }
    int total = ng_table_add_total_row(t, "i_alt", "I alt", c_label, 0, (int)g->n - 1);
    for (int row = 0; lay->shares && row <= total; row++) {
        share_rule(t, row, total, c_antal, c_andel_antal);
        share_rule(t, row, total, c_udgift, c_andel_udgift);
    }
    return ng_dataset_add_evaluated(ds, t);
}

/* ---- taerskler --------------------------------------------------------- */

static ng_status table_taerskler(ng_dataset *ds, const ng_threshold_year *thr, const char *src)
{
    char title[128];
    snprintf(title, sizeof title, "Refusionssatser og beløbsgrænser %d", thr->aar);
    ng_table *t = new_table("taerskler", title, src);
    if (!t)
        return NG_ERR_NOMEM;
    int c_text = add_col(t, "beskrivelse", "Refusionssats", NG_UNIT_TEXT, -1);
    int c_amount = add_col(t, "graense", "Beløbsgrænse (kr.)", NG_UNIT_KR, 0);
    int c_note = add_col(t, "bemaerkning", "", NG_UNIT_TEXT, -1);
    if (c_text < 0 || c_amount < 0 || c_note < 0)
        goto nomem;
    static const char *const keys[4] = {"ingen", "t1", "t2", "t3"};
    static const char *const texts[4] = {
        "Ingen refusion af udgiften på", "Refusion på 25 pct. af udgiften over",
        "Refusion på 50 pct. af udgiften over", "Refusion på 75 pct. af udgiften over"};
    const int64_t limits[4] = {thr->t1, thr->t1, thr->t2, thr->t3};
    for (int i = 0; i < 4; i++) {
        int row = ng_table_add_row(t, keys[i], 0);
        if (row < 0)
            goto nomem;
        ng_table_set_text(t, row, c_text, texts[i]);
        ng_table_set_num(t, row, c_amount, (double)limits[i]);
        if (i == 0)
            ng_table_set_text(t, row, c_note, "og derunder");
    }
    return ng_dataset_add_evaluated(ds, t);
nomem:
    ng_table_free(t);
    return NG_ERR_NOMEM;
}

/* ---- refusion_per_trin ------------------------------------------------- */

typedef struct {
    long antal[3];
    int64_t udgift[3], refusion[3];
} tier_sums;

static int tier_index(int trin)
{
    return trin == 25 ? 0 : trin == 50 ? 1 : trin == 75 ? 2 : -1;
}

static tier_sums sum_adult_tiers(const ng_refusion_result *r)
{
    tier_sums s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < r->n; i++) {
        const ng_refusion_unit *u = &r->units[i];
        int k = tier_index(u->trin);
        if (!adult_in_tier(u) || k < 0)
            continue;
        s.antal[k]++;
        s.udgift[k] += u->udgift;
        s.refusion[k] += u->refusion;
    }
    return s;
}

static ng_status table_per_trin(ng_dataset *ds, const ng_refusion_result *r, const char *src)
{
    char title[160];
    snprintf(title, sizeof title, "Voksenområdet: sager og udgifter fordelt på refusionssats, %d",
             r->aar);
    ng_table *t = new_table("refusion_per_trin", title, src);
    if (!t)
        return NG_ERR_NOMEM;
    t->count_table = true;
    int c_trin = add_col(t, "trin", "Refusionssats (pct.)", NG_UNIT_ANTAL, 0);
    int c_antal = add_col(t, "antal", "Antal sager", NG_UNIT_ANTAL, 0);
    int c_udgift = add_col(t, "udgift", "Udgift", NG_UNIT_MIO, 1);
    int c_ref = add_col(t, "refusion", "Refusion", NG_UNIT_MIO, 1);
    if (c_trin < 0 || c_antal < 0 || c_udgift < 0 || c_ref < 0)
        goto nomem;
    /* the tier "25" is a label written as a number, not a count of persons */
    ng_table_set_column_persons(t, c_antal, true);
    tier_sums s = sum_adult_tiers(r);
    static const char *const keys[3] = {"25", "50", "75"};
    for (int k = 0; k < 3; k++) {
        int row = ng_table_add_row(t, keys[k], 0);
        if (row < 0)
            goto nomem;
        ng_table_set_num(t, row, c_trin, 25.0 * (k + 1));
        ng_table_set_num(t, row, c_antal, (double)s.antal[k]);
        ng_table_set_num(t, row, c_udgift, kr(s.udgift[k]));
        ng_table_set_num(t, row, c_ref, kr(s.refusion[k]));
    }
    if (ng_table_add_total_row(t, "i_alt", "I alt", c_trin, 0, 2) < 0)
        goto nomem;
    return ng_dataset_add_evaluated(ds, t);
nomem:
    ng_table_free(t);
    return NG_ERR_NOMEM;
}

/* The share of the 50 % and 75 % tiers in cases and spend (the status memo: "udgør
 * nu 47 % af udgifterne og 30 % af antallet"), as ratio rules over the tier
 * sums so that the bilag carries the formula. Row key "voksen". */
static ng_status table_andel(ng_dataset *ds, const ng_refusion_result *r, const char *src)
{
    char title[160];
    snprintf(title, sizeof title,
             "Voksenområdet: sager med 50 pct. og 75 pct. refusion i forhold til alle sager "
             "inden for refusionssatserne, %d",
             r->aar);
    ng_table *t = new_table("andel_50_75", title, src);
    if (!t)
        return NG_ERR_NOMEM;
    t->count_table = true;
    int c_text = add_col(t, "beskrivelse", "", NG_UNIT_TEXT, -1);
    int c_a = add_col(t, "antal_50_75", "Antal sager, 50 og 75 pct.", NG_UNIT_ANTAL, 0);
    int c_at = add_col(t, "antal_i_alt", "Antal sager i alt", NG_UNIT_ANTAL, 0);
    int c_ap = add_col(t, "andel_antal", "Andel af sagerne", NG_UNIT_PCT, 0);
    int c_u = add_col(t, "udgift_50_75", "Udgift, 50 og 75 pct.", NG_UNIT_MIO, 1);
    int c_ut = add_col(t, "udgift_i_alt", "Udgift i alt", NG_UNIT_MIO, 1);
    int c_up = add_col(t, "andel_udgift", "Andel af udgifterne", NG_UNIT_PCT, 0);
    if (c_text < 0 || c_a < 0 || c_at < 0 || c_ap < 0 || c_u < 0 || c_ut < 0 || c_up < 0)
        goto nomem;
    ng_table_set_column_persons(t, c_a, true);
    ng_table_set_column_persons(t, c_at, true);
    int row = ng_table_add_row(t, "voksen", 0);
    if (row < 0)
        goto nomem;
    tier_sums s = sum_adult_tiers(r);
    ng_table_set_text(t, row, c_text, "Sager med 50 pct. og 75 pct. refusion");
    ng_table_set_num(t, row, c_a, (double)(s.antal[1] + s.antal[2]));
    ng_table_set_num(t, row, c_at, (double)(s.antal[0] + s.antal[1] + s.antal[2]));
    ng_table_set_num(t, row, c_u, kr(s.udgift[1] + s.udgift[2]));
    ng_table_set_num(t, row, c_ut, kr(s.udgift[0] + s.udgift[1] + s.udgift[2]));
    ng_term num_a = {row, c_a, 1.0}, den_a = {row, c_at, 1.0};
    ng_term num_u = {row, c_u, 1.0}, den_u = {row, c_ut, 1.0};
    ng_table_rule_ratio(t, row, c_ap, &num_a, 1, &den_a, 1);
    ng_table_rule_ratio(t, row, c_up, &num_u, 1, &den_u, 1);
    return ng_dataset_add_evaluated(ds, t);
nomem:
    ng_table_free(t);
    return NG_ERR_NOMEM;
}

/* ---- udgiftsintervaller ------------------------------------------------ */

static const int64_t default_bands[3] = {1000000, 1500000, 2000000};

static void band_bounds(const ng_refusion_options *opt, const int64_t **bands, size_t *n)
{
    if (opt && opt->nbaand > 0) {
        *bands = opt->baand;
        *n = opt->nbaand;
    } else {
        *bands = default_bands;
        *n = 3;
    }
}

/* mio. kr. with one decimal, or two when one does not show the bound. */
static char *fmt_band(char *buf, size_t size, int64_t kr_bound)
{
    int decimals = (kr_bound % 100000 == 0) ? 1 : 2;
    return ng_fmt_dec(buf, size, (double)kr_bound / 1e6, decimals);
}

/* The cost bands count persons (docs/regler.md, "Husstande"): each case
 * with its own yearly spend, never a household's sum, which is a refusion
 * rule only. */
static ng_status table_intervaller(ng_dataset *ds, const ng_cases *cases, int aar,
                                   const ng_refusion_options *opt, const char *src)
{
    const int64_t *bands;
    size_t nb;
    band_bounds(opt, &bands, &nb);
    sde_groups g = {0};
    ng_status st = NG_OK;
    for (size_t b = 0; b < nb; b++) {
        char key[32], lo[32], hi[32], label[96];
        snprintf(key, sizeof key, "%lld", (long long)bands[b]);
        fmt_band(lo, sizeof lo, bands[b]);
        if (b + 1 < nb)
            snprintf(label, sizeof label, "%s-%s mio. kr.", lo,
                     fmt_band(hi, sizeof hi, bands[b + 1]));
        else
            snprintf(label, sizeof label, "%s mio. kr. +", lo);
        if (!groups_get(&g, key, label)) {
            st = NG_ERR_NOMEM;
            goto cleanup;
        }
    }
    size_t ncases = cases ? ng_cases_count(cases) : 0;
    for (size_t i = 0; i < ncases; i++) {
        int64_t spend = ng_sag_year_spend(ng_cases_at(cases, i), aar);
        for (size_t b = nb; b-- > 0;) {
            if (spend >= bands[b] * 100) {
                group_add(&g.items[b], spend, 0);
                break;
            }
        }
    }
    char title[128];
    snprintf(title, sizeof title, "Sager fordelt på udgiftsinterval, %d", aar);
    static const group_layout lay = {"udgiftsintervaller", "interval", "Udgiftsinterval"};
    st = publish_groups(ds, &lay, title, src, &g);
cleanup:
    groups_free(&g);
    return st;
}

/* ---- omraader, aldersgrupper ------------------------------------------- */

static ng_status table_omraader(ng_dataset *ds, const ng_refusion_result *r, const char *src)
{
    sde_groups g = {0};
    ng_status st = NG_OK;
    for (int o = 0; o < NG_OMR_COUNT; o++) {
        if (!groups_get(&g, ng_omraade_key((ng_omraade)o), ng_omraade_label((ng_omraade)o))) {
            st = NG_ERR_NOMEM;
            goto cleanup;
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        const ng_refusion_unit *u = &r->units[i];
        if (in_scheme(u) && (int)u->omraade >= 0 && (int)u->omraade < NG_OMR_COUNT)
            group_count(&g.items[u->omraade], u);
    }
    char title[160];
    snprintf(title, sizeof title, "Sager inden for refusionsgrænsen fordelt på område, %d", r->aar);
    static const group_layout lay = {"omraader", "omraade", "Område", "refusion", "Refusion"};
    st = publish_groups(ds, &lay, title, src, &g);
cleanup:
    groups_free(&g);
    return st;
}

static int age_group(int alder)
{
    if (alder >= 67)
        return 2;
    if (alder >= 36)
        return 1;
    return 0;
}

static ng_status table_aldersgrupper(ng_dataset *ds, const ng_refusion_result *r, const char *src)
{
    static const char *const keys[3] = {"18_35", "36_66", "67_plus"};
    static const char *const labels[3] = {"18-35 år", "36-66 år", "67 år og derover"};
    sde_groups g = {0};
    ng_status st = NG_OK;
    for (int k = 0; k < 3; k++) {
        if (!groups_get(&g, keys[k], labels[k])) {
            st = NG_ERR_NOMEM;
            goto cleanup;
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        const ng_refusion_unit *u = &r->units[i];
        if (in_scheme(u) && (u->omraade == NG_OMR_VOKSEN || u->omraade == NG_OMR_AELDRE))
            group_count(&g.items[age_group(u->alder)], u);
    }
    char title[160];
    snprintf(title, sizeof title,
             "Voksne og ældre inden for refusionsgrænsen fordelt på aldersgruppe, %d", r->aar);
    static const group_layout lay = {"aldersgrupper", "aldersgruppe", "Aldersgruppe",
                                     "refusion",      "Refusion",     true};
    st = publish_groups(ds, &lay, title, src, &g);
cleanup:
    groups_free(&g);
    return st;
}

/* ---- maalgrupper, leverandoertyper ------------------------------------- */

static int compare_group_keys(const void *a, const void *b)
{
    const sde_group *x = a, *y = b;
    return strcmp(x->key, y->key);
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

/* Groups the units in the scheme by a free-text attribute: one row per value
 * (sorted), "Uoplyst" (key uoplyst) last for units without one. Values are
 * compared case-insensitively (folded) and shown as first seen. */
static ng_status group_by_attribute(const ng_refusion_result *r,
                                    const char *(*attr)(const ng_sag *), sde_groups *g,
                                    const char *const *fixed, const char *const *fixed_labels,
                                    size_t nfixed)
{
    for (size_t k = 0; k < nfixed; k++)
        if (!groups_get(g, fixed[k], fixed_labels[k]))
            return NG_ERR_NOMEM;
    sde_groups uoplyst = {0};
    ng_status st = NG_OK;
    if (!groups_get(&uoplyst, "uoplyst", "Uoplyst"))
        return NG_ERR_NOMEM;
    for (size_t i = 0; i < r->n; i++) {
        const ng_refusion_unit *u = &r->units[i];
        if (!in_scheme(u))
            continue;
        const char *v = attr(u->sag);
        if (blank(v)) {
            group_count(&uoplyst.items[0], u);
            continue;
        }
        char *key = strdup(v);
        if (!key) {
            st = NG_ERR_NOMEM;
            goto cleanup;
        }
        ng_fold_case(key);
        if (!strcmp(key, "uoplyst")) {
            free(key);
            group_count(&uoplyst.items[0], u);
            continue;
        }
        sde_group *grp = groups_get(g, key, v);
        free(key);
        if (!grp) {
            st = NG_ERR_NOMEM;
            goto cleanup;
        }
        group_count(grp, u);
    }
    /* The fixed rows keep their order; the values found are sorted after
     * them; Uoplyst comes last. */
    if (g->n > nfixed)
        qsort(g->items + nfixed, g->n - nfixed, sizeof *g->items, compare_group_keys);
    sde_group *last = groups_get(g, "uoplyst", "Uoplyst");
    if (!last) {
        st = NG_ERR_NOMEM;
        goto cleanup;
    }
    last->antal += uoplyst.items[0].antal;
    last->udgift += uoplyst.items[0].udgift;
    last->refusion += uoplyst.items[0].refusion;
cleanup:
    groups_free(&uoplyst);
    return st;
}

static const char *attr_maalgruppe(const ng_sag *s)
{
    return s->maalgruppe;
}

static const char *attr_leverandoertype(const ng_sag *s)
{
    return s->leverandoertype;
}

static ng_status table_maalgrupper(ng_dataset *ds, const ng_refusion_result *r, const char *src)
{
    sde_groups g = {0};
    ng_status st = group_by_attribute(r, attr_maalgruppe, &g, NULL, NULL, 0);
    if (st == NG_OK) {
        char title[160];
        snprintf(title, sizeof title, "Sager inden for refusionsgrænsen fordelt på målgruppe, %d",
                 r->aar);
        static const group_layout lay = {"maalgrupper", "maalgruppe", "Målgruppe",
                                         "refusion",    "Refusion",   true};
        st = publish_groups(ds, &lay, title, src, &g);
    }
    groups_free(&g);
    return st;
}

static ng_status table_leverandoertyper(ng_dataset *ds, const ng_refusion_result *r,
                                        const char *src)
{
    static const char *const keys[3] = {"kommunal", "regional", "privat"};
    static const char *const labels[3] = {"Kommunal", "Regional", "Privat"};
    sde_groups g = {0};
    ng_status st = group_by_attribute(r, attr_leverandoertype, &g, keys, labels, 3);
    if (st == NG_OK) {
        char title[160];
        snprintf(title, sizeof title,
                 "Sager inden for refusionsgrænsen fordelt på leverandørtype, %d", r->aar);
        static const group_layout lay = {"leverandoertyper", "leverandoertype", "Leverandørtype",
                                         "refusion",         "Refusion",        true};
        st = publish_groups(ds, &lay, title, src, &g);
    }
    groups_free(&g);
    return st;
}

/* ---- uafklarede_67 ---------------------------------------------------- */

/* The persons of 67 or more whose coverage cannot be decided (no birth
 * month and no foer67 = ja): counted and reported, never guessed. Their
 * refusion is 0; the column mulig_refusion is what they would give if the
 * scheme covered them the whole year, so the reader sees how much higher
 * the refusion can be. */
static ng_status table_uafklarede(ng_dataset *ds, const ng_refusion_result *r,
                                  const ng_threshold_year *thr, const char *src)
{
    sde_groups g = {0};
    ng_status st = NG_OK;
    for (int o = 0; o < NG_OMR_COUNT; o++)
        if (!groups_get(&g, ng_omraade_key((ng_omraade)o), ng_omraade_label((ng_omraade)o))) {
            st = NG_ERR_NOMEM;
            goto cleanup;
        }
    for (size_t i = 0; i < r->n; i++) {
        const ng_refusion_unit *u = &r->units[i];
        if (u->undecided67 && (int)u->omraade >= 0 && (int)u->omraade < NG_OMR_COUNT)
            group_add(&g.items[u->omraade], u->udgift,
                      ng_refusion_year(ng_refusion_unit_m12(r, u), thr));
    }
    char title[200];
    snprintf(title, sizeof title,
             "Borgere på 67 år og derover, hvor det ikke kan afgøres, om de er omfattet af "
             "ordningen, %d",
             r->aar);
    static const group_layout lay = {
        "uafklarede_67",
        "omraade",
        "Område",
        "mulig_refusion",
        "Refusion, hvis omfattet",
        false,
        "Sagerne er ikke regnet med i refusionen: det kan ikke afgøres, om borgerne var omfattet "
        "af ordningen, inden de fyldte 67 år (udtrækket mangler foer67 eller fødselsmåneden). "
        "Var de omfattet hele året, ville refusionen være beløbet i kolonnen Refusion, hvis "
        "omfattet, højere."};
    st = publish_groups(ds, &lay, title, src, &g);
cleanup:
    groups_free(&g);
    return st;
}

/* ---- the internal case list -------------------------------------------- */

/* Every refusion unit with its pseudonymous key: for the finance staff's
 * own bilag only ([output] sagsliste), never in data.json or a memo, and
 * through the CPR guard like every other table (ng_table.internal). */
static ng_status table_sagsliste(ng_dataset *ds, const ng_refusion_result *r)
{
    ng_table *t = ng_table_new("sagsliste", "Sager (intern liste, pseudonymiserede nøgler)");
    if (!t)
        return NG_ERR_NOMEM;
    t->internal = true;
    int c_key = ng_table_add_column(t, "sag", "Sag (pseudonym)", NG_UNIT_TEXT);
    int c_omr = ng_table_add_column(t, "omraade", "Område", NG_UNIT_TEXT);
    int c_udg = ng_table_add_column(t, "udgift", "Udgift (kr.)", NG_UNIT_KR);
    int c_trin = ng_table_add_column(t, "trin", "Refusionstrin", NG_UNIT_ANTAL);
    for (size_t i = 0; i < r->n && t->status == NG_OK; i++) {
        const ng_refusion_unit *u = &r->units[i];
        int row = ng_table_add_row(t, NULL, 0);
        ng_table_set_text(t, row, c_key, u->key);
        ng_table_set_text(t, row, c_omr, ng_omraade_key(u->omraade));
        ng_table_set_num(t, row, c_udg, kr(u->udgift));
        ng_table_set_num(t, row, c_trin, u->trin);
    }
    return ng_dataset_add_table(ds, t);
}

/* ---- shares by aldersgruppe, leverandørtype, målgruppe -------------------- */

/* A column chart of the shares of cases and spend per group: every row but
 * the total and those without cases (an empty Uoplyst). */
static ng_status share_figure(ng_dataset *ds, const char *table, const char *name,
                              const char *title)
{
    const ng_table *t = ng_dataset_table(ds, table);
    if (!t)
        return NG_ERR_INTERNAL;
    int series[2] = {ng_table_col(t, "andel_antal"), ng_table_col(t, "andel_udgift")};
    int *cats = calloc((size_t)t->nrows + 1, sizeof *cats);
    if (!cats)
        return NG_ERR_NOMEM;
    int ncats = 0, c_antal = ng_table_col(t, "antal");
    for (int r = 0; r < t->nrows; r++)
        if (!(t->rows[r].flags & NG_ROW_TOTAL) && t->rows[r].cells[c_antal].num > 0)
            cats[ncats++] = r;
    ng_figure fig = {.name = (char *)name,
                     .table = (char *)table,
                     .title = (char *)title,
                     .y_title = "pct.",
                     .type = NG_FIG_COLUMN,
                     .series = series,
                     .nseries = 2,
                     .cats = cats,
                     .ncats = ncats,
                     .label_col = 0};
    ng_status st = ncats > 0 ? ng_dataset_add_figure(ds, &fig) : NG_OK;
    free(cats);
    return st;
}

/* The largest målgruppe (most cases; on a tie the first by key), Uoplyst
 * not counted: its label as a text and its share as a reference. None when
 * no case has a målgruppe. */
static ng_status largest_maalgruppe(ng_dataset *ds)
{
    const ng_table *t = ng_dataset_table(ds, "maalgrupper");
    int c_antal = t ? ng_table_col(t, "antal") : -1;
    if (c_antal < 0)
        return NG_ERR_INTERNAL;
    int best = -1;
    for (int r = 0; r < t->nrows; r++) {
        const ng_row *row = &t->rows[r];
        if ((row->flags & NG_ROW_TOTAL) || !strcmp(row->key, "uoplyst") ||
            row->cells[c_antal].num <= 0)
            continue;
        if (best < 0 || row->cells[c_antal].num > t->rows[best].cells[c_antal].num)
            best = r;
    }
    if (best < 0)
        return NG_OK;
    const ng_cell *label = ng_table_cell(t, best, ng_table_col(t, "maalgruppe"));
    ng_dataset_set_text(ds, "stoerste_maalgruppe", label->text);
    return ng_dataset_set_ref(ds, "andel_antal_stoerste_maalgruppe", "maalgrupper",
                              t->rows[best].key, "andel_antal");
}

/* The share values a template quotes ("2/3 er 18-35 år", "39 % kommunalt",
 * "1/3 autisme") and the figures of the three share tables. */
static ng_status publish_shares(ng_dataset *ds)
{
    static const struct {
        const char *name, *table, *row;
    } refs[] = {
        {"andel_antal_18_35", "aldersgrupper", "18_35"},
        {"andel_antal_36_66", "aldersgrupper", "36_66"},
        {"andel_antal_67_plus", "aldersgrupper", "67_plus"},
        {"andel_antal_kommunal", "leverandoertyper", "kommunal"},
        {"andel_antal_regional", "leverandoertyper", "regional"},
        {"andel_antal_privat", "leverandoertyper", "privat"},
    };
    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++)
        ng_dataset_set_ref(ds, refs[i].name, refs[i].table, refs[i].row, "andel_antal");
    ng_status st = largest_maalgruppe(ds);
    if (st == NG_OK)
        st = share_figure(ds, "aldersgrupper", "aldersgrupper_figur",
                          "Voksne og ældre inden for refusionsgrænsen: andel pr. aldersgruppe");
    if (st == NG_OK)
        st = share_figure(ds, "leverandoertyper", "leverandoertyper_figur",
                          "Sager inden for refusionsgrænsen: andel pr. leverandørtype");
    if (st == NG_OK)
        st = share_figure(ds, "maalgrupper", "maalgrupper_figur",
                          "Sager inden for refusionsgrænsen: andel pr. målgruppe");
    return st == NG_OK ? ds->status : st;
}

/* ---- values ------------------------------------------------------------ */

/* Every value is a reference to a cell of the tables above, so data.json
 * carries the reference and the bilag's Nøgletal sheet the formula. */
static ng_status set_values(ng_dataset *ds)
{
    static const struct {
        const char *name, *table, *row, *col;
    } refs[] = {
        {"t1", "taerskler", "t1", "graense"},
        {"t2", "taerskler", "t2", "graense"},
        {"t3", "taerskler", "t3", "graense"},
        /* every unit with refusion is in the scheme, so the område total is
         * the refusion of all */
        {"refusion_i_alt", "omraader", "i_alt", "refusion"},
        {"antal_i_alt", "omraader", "i_alt", "antal"},
        {"udgift_i_alt", "omraader", "i_alt", "udgift"},
        /* the status memo's table: adults in a refusion tier */
        {"antal_voksen", "refusion_per_trin", "i_alt", "antal"},
        {"udgift_voksen", "refusion_per_trin", "i_alt", "udgift"},
        {"refusion_voksen", "refusion_per_trin", "i_alt", "refusion"},
        {"andel_udgift_50_75", "andel_50_75", "voksen", "andel_udgift"},
        {"andel_antal_50_75", "andel_50_75", "voksen", "andel_antal"},
        {"uafklarede_67", "uafklarede_67", "i_alt", "antal"},
        {"uafklarede_67_udgift", "uafklarede_67", "i_alt", "udgift"},
        {"uafklarede_67_mulig_refusion", "uafklarede_67", "i_alt", "mulig_refusion"},
    };
    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++)
        ng_dataset_set_ref(ds, refs[i].name, refs[i].table, refs[i].row, refs[i].col);
    return ds->status;
}

/* ---- what the tables share ------------------------------------------- */

static double cell_number(const ng_table *t, const char *row, const char *col)
{
    const ng_cell *c = ng_table_cell(t, ng_table_row(t, row), ng_table_col(t, col));
    return c && c->type == NG_CELL_NUM ? c->num : -1;
}

/* The cell (table, row key, column key) as a cross-table term; row -1 when
 * the dataset has no such cell. */
static ng_term cell_term(const ng_dataset *ds, const char *table, const char *row, const char *col,
                         double coef)
{
    const ng_table *t = ng_dataset_table(ds, table);
    int r = t ? ng_table_row(t, row) : -1, c = t ? ng_table_col(t, col) : -1;
    return (ng_term){c < 0 ? -1 : r, c, coef, table};
}

/* Declares that the cells sum to zero (or to the value); nothing when one
 * of them is not in the dataset. */
static ng_status identity(ng_dataset *ds, const char *value, const ng_term *terms, int n)
{
    for (int i = 0; i < n; i++)
        if (terms[i].row < 0)
            return NG_OK;
    return ng_dataset_add_identity(ds, value, terms, n);
}

/* The SDE tables count one population in different ways, and a reader can
 * add them up across tables; the small-cell suppression must see that
 * (suppress.h):
 *   aldersgrupper counts omraader's voksen and aeldre (the same units in
 *   the scheme): its total is their sum; maalgrupper and leverandoertyper
 *   count all of omraader's units: their totals are its total;
 *   andel_50_75 is the tiers of refusion_per_trin: its 50+75 cells are the
 *   50 % and 75 % rows, its totals the tiers' total;
 *   refusion_per_trin counts the adults with a tier, omraader's voksen the
 *   adults in the scheme (with a tier, or with refusion from uneven months):
 *   when the counts are equal the sets are, and so are their sums.
 * (The values that quote these tables are references to their cells: a
 * value's rule is a relation of its own.) */
static ng_status sde_identities(ng_dataset *ds)
{
    static const char *const sums[3] = {"antal", "udgift", "refusion"};
    ng_status st = NG_OK;
    for (int k = 0; k < 3 && st == NG_OK; k++) {
        const char *c = sums[k];
        ng_term age[] = {cell_term(ds, "aldersgrupper", "i_alt", c, 1),
                         cell_term(ds, "omraader", "voksen", c, -1),
                         cell_term(ds, "omraader", "aeldre", c, -1)};
        st = identity(ds, NULL, age, 3);
        const char *also[2] = {"maalgrupper", "leverandoertyper"};
        for (int i = 0; i < 2 && st == NG_OK; i++) {
            ng_term same[] = {cell_term(ds, also[i], "i_alt", c, 1),
                              cell_term(ds, "omraader", "i_alt", c, -1)};
            st = identity(ds, NULL, same, 2);
        }
    }
    static const char *const andel[2][3] = {{"antal_50_75", "antal_i_alt", "antal"},
                                            {"udgift_50_75", "udgift_i_alt", "udgift"}};
    for (int k = 0; k < 2 && st == NG_OK; k++) {
        ng_term upper[] = {cell_term(ds, "andel_50_75", "voksen", andel[k][0], 1),
                           cell_term(ds, "refusion_per_trin", "50", andel[k][2], -1),
                           cell_term(ds, "refusion_per_trin", "75", andel[k][2], -1)};
        ng_term all[] = {cell_term(ds, "andel_50_75", "voksen", andel[k][1], 1),
                         cell_term(ds, "refusion_per_trin", "i_alt", andel[k][2], -1)};
        st = identity(ds, NULL, upper, 3);
        if (st == NG_OK)
            st = identity(ds, NULL, all, 2);
    }
    const ng_table *trin = ng_dataset_table(ds, "refusion_per_trin");
    const ng_table *omr = ng_dataset_table(ds, "omraader");
    if (trin && omr && cell_number(trin, "i_alt", "antal") == cell_number(omr, "voksen", "antal"))
        for (int k = 0; k < 3 && st == NG_OK; k++) {
            ng_term same[] = {cell_term(ds, "refusion_per_trin", "i_alt", sums[k], 1),
                              cell_term(ds, "omraader", "voksen", sums[k], -1)};
            st = identity(ds, NULL, same, 2);
        }
    return st;
}

ng_status ng_sde_tables(const ng_refusion_result *r, const ng_cases *cases,
                        const ng_threshold_year *thr, const ng_refusion_options *opt,
                        ng_dataset *ds, ng_diags *diags)
{
    char src[128];
    source_line(ds, src, sizeof src);
    ng_status st = table_taerskler(ds, thr, src);
    if (st == NG_OK)
        st = table_per_trin(ds, r, src);
    if (st == NG_OK)
        st = table_andel(ds, r, src);
    if (st == NG_OK)
        st = table_intervaller(ds, cases, r->aar, opt, src);
    if (st == NG_OK)
        st = table_omraader(ds, r, src);
    if (st == NG_OK)
        st = table_aldersgrupper(ds, r, src);
    if (st == NG_OK)
        st = table_maalgrupper(ds, r, src);
    if (st == NG_OK)
        st = table_leverandoertyper(ds, r, src);
    if (st == NG_OK)
        st = table_uafklarede(ds, r, thr, src);
    if (st == NG_OK)
        st = publish_shares(ds);
    if (st == NG_OK && opt && opt->sagsliste)
        st = table_sagsliste(ds, r);
    if (st == NG_OK)
        st = set_values(ds);
    if (st == NG_OK)
        st = sde_identities(ds);
    if (st != NG_OK)
        ng_error(diags, NULL, 0, 0, "SDE-tabellerne kunne ikke dannes: %s", ng_strerror(st));
    return st;
}

/* ---- the module ---------------------------------------------------------- */

typedef ng_refusion_options opts;

static const ng_config_key keys[] = {
    NG_KEY_AUX(opts, "intervaller", "graenser", NG_KEY_AMOUNTS, baand, nbaand),
    NG_KEY(opts, "output", "sagsliste", NG_KEY_BOOL, sagsliste),
};

static void options_free(void *p)
{
    opts *o = p;
    for (size_t i = 0; i < o->ntaerskler; i++)
        free(o->taerskler[i].kilde);
    free(o->taerskler);
}

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Three whole amounts in kr. separated by blanks. */
static bool three_amounts(const char *value, int64_t t[3])
{
    size_t n = 0;
    const char *p = value;
    while (*p) {
        p += strspn(p, " \t");
        size_t len = strcspn(p, " \t");
        if (!len)
            break;
        char token[64];
        int64_t oere;
        if (n == 3 || len >= sizeof token)
            return false;
        memcpy(token, p, len);
        token[len] = '\0';
        if (ng_parse_amount(token, NG_DECIMAL_AUTO, NG_SCALE_KR, &oere, NULL) != NG_OK ||
            oere % 100 != 0 || oere <= 0)
            return false;
        t[n++] = oere / 100;
        p += len;
    }
    return n == 3;
}

/* [taerskler] has years as keys: "2026 = 960.000 1.880.000 2.380.000". */
static void threshold_key(void *p, const char *key, const char *value, ng_config_ctx *c)
{
    opts *o = p;
    long line = ng_config_ctx_line(c);
    if (!all_digits(key, 4) || key[0] == '0') {
        ng_config_error(c, line, "ugyldigt år '%s' i [taerskler] (forventet ÅÅÅÅ, fx 2026)", key);
        return;
    }
    int aar = atoi(key);
    for (size_t i = 0; i < o->ntaerskler; i++)
        if (o->taerskler[i].aar == aar) {
            ng_config_error(c, line,
                            "nøglen '%d' i [taerskler] er angivet igen (første gang i linje %ld)",
                            aar, o->taerskler[i].line);
            return;
        }
    int64_t t[3];
    if (!three_amounts(value, t)) {
        ng_config_error(c, line,
                        "ugyldig værdi for '%d': '%s' (forventet tre beløb i kr. adskilt af "
                        "mellemrum: t1 t2 t3)",
                        aar, value);
        return;
    }
    if (!(t[0] < t[1] && t[1] < t[2])) {
        ng_config_error(c, line, "tærsklerne for %d skal stige (t1 < t2 < t3): '%s'", aar, value);
        return;
    }
    if (t[2] > 1000000000) { /* the refusion arithmetic stays inside 64 bits */
        ng_config_error(c, line, "tærsklerne for %d må højst være 1.000.000.000 kr.: '%s'", aar,
                        value);
        return;
    }
    ng_threshold_year *rows = realloc(o->taerskler, (o->ntaerskler + 1) * sizeof *rows);
    char kilde[512];
    snprintf(kilde, sizeof kilde, "konfiguration %s, linje %ld", ng_config_ctx_path(c), line);
    if (!rows) {
        ng_config_nomem(c);
        return;
    }
    o->taerskler = rows;
    rows[o->ntaerskler] = (ng_threshold_year){aar, t[0], t[1], t[2], strdup(kilde), line};
    if (!rows[o->ntaerskler].kilde)
        ng_config_nomem(c);
    o->ntaerskler++;
}

static void options_finish(void *p, ng_config_ctx *c)
{
    opts *o = p;
    (void)c;
    if (o->nbaand == 0) {
        static const int64_t bands[] = {1000000, 1500000, 2000000};
        memcpy(o->baand, bands, sizeof bands);
        o->nbaand = 3;
    }
}

static void inputs(const void *opt, const ng_pipeline *p, ng_input_list *out)
{
    ng_input_list_add(out, ng_thresholds_default_path());
}

static ng_status load_thresholds(const opts *o, ng_pipeline *p)
{
    ng_status st = ng_thresholds_load(ng_thresholds_default_path(), o, &p->thresholds, p->diags);
    if (st == NG_OK)
        st = ng_thresholds_require(&p->thresholds, p->aar, p->diags);
    if (st == NG_OK)
        p->thr = ng_thresholds_for(&p->thresholds, p->aar);
    return st;
}

static ng_status compute(const void *opt, ng_pipeline *p)
{
    ng_status st = load_thresholds(opt, p);
    if (st == NG_OK)
        st = ng_refusion_compute(p->cases, p->thr, p->aar, &p->refusion, p->diags);
    if (st == NG_OK)
        st = ng_sde_tables(&p->refusion, p->cases, p->thr, opt, &p->ds, p->diags);
    return st;
}

/* `check`: a year without thresholds fails here as it would in `run`. */
static ng_status check(const void *opt, ng_pipeline *p)
{
    return p->has_dato ? load_thresholds(opt, p) : NG_OK;
}

#define GROUP_COLUMNS(label_key)                                                                   \
    NG_COLS({label_key, NULL, NG_UNIT_TEXT, 0, 0},                                                 \
            {"antal", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS},                                     \
            {"udgift", NULL, NG_UNIT_MIO, 1, 0}, {"refusion", NULL, NG_UNIT_MIO, 1, 0})

#define SHARE_COLUMNS(label_key)                                                                   \
    NG_COLS({label_key, NULL, NG_UNIT_TEXT, 0, 0},                                                 \
            {"antal", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS},                                     \
            {"andel_antal", NULL, NG_UNIT_PCT, 0, 0}, {"udgift", NULL, NG_UNIT_MIO, 1, 0},         \
            {"andel_udgift", NULL, NG_UNIT_PCT, 0, 0}, {"refusion", NULL, NG_UNIT_MIO, 1, 0})

static const ng_decl publishes[] = {
    NG_DECL_VALUE_("t1", NG_UNIT_KR, "Beløbsgrænse for 25 pct. refusion (kr. pr. år)"),
    NG_DECL_VALUE_("t2", NG_UNIT_KR, "Beløbsgrænse for 50 pct. refusion (kr. pr. år)"),
    NG_DECL_VALUE_("t3", NG_UNIT_KR, "Beløbsgrænse for 75 pct. refusion (kr. pr. år)"),
    NG_DECL_VALUE_("refusion_i_alt", NG_UNIT_KR, "Beregnet refusion i alt (alle områder)"),
    NG_DECL_VALUE_("antal_i_alt", NG_UNIT_ANTAL,
                   "Antal sager inden for refusionsgrænsen (alle områder)"),
    NG_DECL_VALUE_("udgift_i_alt", NG_UNIT_KR,
                   "Udgift til sager inden for refusionsgrænsen (alle områder)"),
    NG_DECL_VALUE_("antal_voksen", NG_UNIT_ANTAL,
                   "Antal sager på voksenområdet med et refusionstrin (statusnotatets tabel)"),
    NG_DECL_VALUE_("udgift_voksen", NG_UNIT_KR,
                   "Udgift til sagerne på voksenområdet med et refusionstrin"),
    NG_DECL_VALUE_("refusion_voksen", NG_UNIT_KR,
                   "Refusion af sagerne på voksenområdet med et refusionstrin"),
    NG_DECL_VALUE_("andel_udgift_50_75", NG_UNIT_PCT,
                   "Andel af udgifterne i sager med 50 og 75 pct. refusion (voksenområdet)"),
    NG_DECL_VALUE_("andel_antal_50_75", NG_UNIT_PCT,
                   "Andel af sagerne med 50 og 75 pct. refusion (voksenområdet)"),
    NG_DECL_VALUE_("uafklarede_67", NG_UNIT_ANTAL,
                   "Sager med borgere på 67 år og derover, hvor det ikke kan afgøres, om de er "
                   "omfattet"),
    NG_DECL_TABLE_("taerskler", "Refusionsgrænser", "Refusionsgrænser for året",
                   NG_COLS({"beskrivelse", NULL, NG_UNIT_TEXT, 0, 0},
                           {"graense", NULL, NG_UNIT_KR, 0, 0},
                           {"bemaerkning", NULL, NG_UNIT_TEXT, 0, 0})),
    NG_DECL_TABLE_("refusion_per_trin", "Refusion pr. trin",
                   "Sager på voksenområdet omfattet af ordningen, fordelt på refusionstrin",
                   NG_COLS({"trin", NULL, NG_UNIT_ANTAL, 0, 0},
                           {"antal", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS},
                           {"udgift", NULL, NG_UNIT_MIO, 1, 0},
                           {"refusion", NULL, NG_UNIT_MIO, 1, 0})),
    NG_DECL_TABLE_("andel_50_75", "Andel 50 og 75 pct.",
                   "Sager med 50 og 75 pct. refusion: antal, udgift og andele (række voksen)",
                   NG_COLS({"beskrivelse", NULL, NG_UNIT_TEXT, 0, 0},
                           {"antal_50_75", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS},
                           {"antal_i_alt", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS},
                           {"andel_antal", NULL, NG_UNIT_PCT, 0, 0},
                           {"udgift_50_75", NULL, NG_UNIT_MIO, 1, 0},
                           {"udgift_i_alt", NULL, NG_UNIT_MIO, 1, 0},
                           {"andel_udgift", NULL, NG_UNIT_PCT, 0, 0})),
    NG_DECL_TABLE_("udgiftsintervaller", "Udgiftsintervaller",
                   "Alle sager over første udgiftsinterval, fordelt på interval",
                   NG_COLS({"interval", NULL, NG_UNIT_TEXT, 0, 0},
                           {"antal", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS},
                           {"udgift", NULL, NG_UNIT_MIO, 1, 0})),
    NG_DECL_TABLE_("omraader", "Områder", "Sager omfattet af ordningen, fordelt på område",
                   GROUP_COLUMNS("omraade")),
    NG_DECL_TABLE_("aldersgrupper", "Aldersgrupper",
                   "Sager omfattet af ordningen, fordelt på aldersgruppe",
                   SHARE_COLUMNS("aldersgruppe")),
    NG_DECL_TABLE_("maalgrupper", "Målgrupper", "Sager omfattet af ordningen, fordelt på målgruppe",
                   SHARE_COLUMNS("maalgruppe")),
    NG_DECL_TABLE_("leverandoertyper", "Leverandørtyper",
                   "Sager omfattet af ordningen, fordelt på leverandørtype",
                   SHARE_COLUMNS("leverandoertype")),
    NG_DECL_VALUE_("uafklarede_67_udgift", NG_UNIT_KR,
                   "Udgift til de uafklarede sager med borgere på 67 år og derover"),
    NG_DECL_VALUE_("uafklarede_67_mulig_refusion", NG_UNIT_KR,
                   "Den refusion, de uafklarede sager ville give, hvis de var omfattet hele året"),
    NG_DECL_TABLE_("uafklarede_67", "Uafklarede 67+",
                   "Borgere på 67 år og derover, hvor det ikke kan afgøres, om de er omfattet, "
                   "og den refusion, de ville give, hvis de var",
                   NG_COLS({"omraade", NULL, NG_UNIT_TEXT, 0, 0},
                           {"antal", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS},
                           {"udgift", NULL, NG_UNIT_MIO, 1, 0},
                           {"mulig_refusion", NULL, NG_UNIT_MIO, 1, 0})),
    NG_DECL_TABLE_("sagsliste", "Sager (intern)",
                   "Den interne sagsliste med pseudonymiserede nøgler ([output] sagsliste; kun "
                   "i bilaget)",
                   NG_COLS({"sag", NULL, NG_UNIT_TEXT, 0, 0}, {"omraade", NULL, NG_UNIT_TEXT, 0, 0},
                           {"udgift", NULL, NG_UNIT_KR, 0, 0},
                           {"trin", NULL, NG_UNIT_ANTAL, 0, 0})),
    NG_DECL_VALUE_("andel_antal_18_35", NG_UNIT_PCT,
                   "Andel af voksne og ældre inden for refusionsgrænsen, der er 18-35 år"),
    NG_DECL_VALUE_("andel_antal_36_66", NG_UNIT_PCT,
                   "Andel af voksne og ældre inden for refusionsgrænsen, der er 36-66 år"),
    NG_DECL_VALUE_("andel_antal_67_plus", NG_UNIT_PCT,
                   "Andel af voksne og ældre inden for refusionsgrænsen, der er 67 år og derover"),
    NG_DECL_VALUE_("andel_antal_kommunal", NG_UNIT_PCT,
                   "Andel af sagerne inden for refusionsgrænsen med en kommunal leverandør"),
    NG_DECL_VALUE_("andel_antal_regional", NG_UNIT_PCT,
                   "Andel af sagerne inden for refusionsgrænsen med en regional leverandør"),
    NG_DECL_VALUE_("andel_antal_privat", NG_UNIT_PCT,
                   "Andel af sagerne inden for refusionsgrænsen med en privat leverandør (også "
                   "selvejende og fonde, jf. [leverandoertyper])"),
    NG_DECL_FACT_("stoerste_maalgruppe", NG_UNIT_TEXT,
                  "Navnet på målgruppen med flest sager (Uoplyst tæller ikke; findes ikke uden "
                  "målgrupper)"),
    NG_DECL_VALUE_("andel_antal_stoerste_maalgruppe", NG_UNIT_PCT,
                   "Den største målgruppes andel af sagerne inden for refusionsgrænsen"),
    NG_DECL_FIGURE_("aldersgrupper_figur", "aldersgrupper",
                    "Søjler: andel af sager og udgift pr. aldersgruppe"),
    NG_DECL_FIGURE_("leverandoertyper_figur", "leverandoertyper",
                    "Søjler: andel af sager og udgift pr. leverandørtype"),
    NG_DECL_FIGURE_("maalgrupper_figur", "maalgrupper",
                    "Søjler: andel af sager og udgift pr. målgruppe"),
};

const ng_module ng_module_refusion = {
    .name = "refusion",
    .summary = "Refusion pr. person og måned og tabellerne over de særligt dyre enkeltsager",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_finish = options_finish,
    .options_free = options_free,
    .free_section = "taerskler",
    .free_key = threshold_key,
    .inputs = inputs,
    .compute = compute,
    .check = check,
    .publishes = publishes,
    .npublishes = sizeof publishes / sizeof *publishes,
};
