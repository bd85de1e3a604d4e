/* sde.c -- the SDE tables and values that templates place (listed in
 * templates/README.md), built from the refusion units (refusion.h); the
 * rules behind the numbers are in docs/regler.md.
 *
 * Every table is published with its totals as rules (ng_table_add_total_row)
 * and evaluated here, so the numbers the memo shows and the formulas the
 * bilag carries come from one definition. Money cells hold kr.
 *
 * Which units a table counts:
 *   refusion_per_trin   område voksen, covered, trin 25/50/75
 *   udgiftsintervaller  every unit with yearly spend >= the first band
 *   omraader, maalgrupper, leverandoertyper, kommuner (voksen)
 *                       units in the scheme: covered and with a tier or a
 *                       refusion (uneven months can give refusion below t1)
 *   aldersgrupper       the same, område voksen and aeldre
 */
#include "notatgen/refusion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void group_count(sde_group *grp, const ng_refusion_unit *u)
{
    grp->antal++;
    grp->udgift += u->udgift;
    grp->refusion += u->refusion;
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

static char *source_line(const ng_config *cfg, const ng_dataset *ds, char *buf, size_t size)
{
    ng_date d = {0, 0, 0};
    if (cfg && cfg->has_udtraek_dato)
        d = cfg->udtraek_dato;
    else if (ds->udtraek_dato.y > 0)
        d = ds->udtraek_dato;
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

/* A table "label | antal | udgift [| refusion]" with one row per group and
 * a total row "I alt" (key i_alt). */
static ng_status publish_groups(ng_dataset *ds, const char *name, const char *title,
                                const char *source, const char *label_key, const char *label_header,
                                const sde_groups *g, bool with_refusion)
{
    ng_table *t = new_table(name, title, source);
    if (!t)
        return NG_ERR_NOMEM;
    t->count_table = true;
    int c_label = add_col(t, label_key, label_header, NG_UNIT_TEXT, -1);
    int c_antal = add_col(t, "antal", "Antal sager", NG_UNIT_ANTAL, 0);
    int c_udgift = add_col(t, "udgift", "Udgift", NG_UNIT_MIO, 1);
    int c_ref = with_refusion ? add_col(t, "refusion", "Refusion", NG_UNIT_MIO, 1) : NO_COL;
    if (c_label < 0 || c_antal < 0 || c_udgift < 0 || (with_refusion && c_ref < 0))
        goto nomem;
    for (size_t i = 0; i < g->n; i++) {
        int row = ng_table_add_row(t, g->items[i].key, 0);
        if (row < 0)
            goto nomem;
        ng_table_set_text(t, row, c_label, g->items[i].label);
        ng_table_set_num(t, row, c_antal, (double)g->items[i].antal);
        ng_table_set_num(t, row, c_udgift, kr(g->items[i].udgift));
        if (with_refusion)
            ng_table_set_num(t, row, c_ref, kr(g->items[i].refusion));
    }
    if (ng_table_add_total_row(t, "i_alt", "I alt", c_label, 0, (int)g->n - 1) < 0)
        goto nomem;
    return ng_dataset_add_evaluated(ds, t);
nomem:
    ng_table_free(t);
    return NG_ERR_NOMEM;
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

/* The share of the 50 % and 75 % tiers in cases and spend (the memo's
 * "udgør nu 47 % af udgifterne og 30 % af antallet"), as ratio rules over
 * the tier sums so that the bilag carries the formula. Row key "voksen". */
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

static void band_bounds(const ng_config *cfg, const int64_t **bands, size_t *n)
{
    if (cfg && cfg->nbaand > 0) {
        *bands = cfg->baand;
        *n = cfg->nbaand;
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

static ng_status table_intervaller(ng_dataset *ds, const ng_refusion_result *r,
                                   const ng_config *cfg, const char *src)
{
    const int64_t *bands;
    size_t nb;
    band_bounds(cfg, &bands, &nb);
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
    for (size_t i = 0; i < r->n; i++) {
        const ng_refusion_unit *u = &r->units[i];
        for (size_t b = nb; b-- > 0;) {
            if (u->udgift >= bands[b] * 100) {
                group_count(&g.items[b], u);
                break;
            }
        }
    }
    char title[128];
    snprintf(title, sizeof title, "Sager fordelt på udgiftsinterval, %d", r->aar);
    st = publish_groups(ds, "udgiftsintervaller", title, src, "interval", "Udgiftsinterval", &g,
                        false);
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
    st = publish_groups(ds, "omraader", title, src, "omraade", "Område", &g, true);
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
    st = publish_groups(ds, "aldersgrupper", title, src, "aldersgruppe", "Aldersgruppe", &g, true);
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
        st = publish_groups(ds, "maalgrupper", title, src, "maalgruppe", "Målgruppe", &g, true);
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
        st = publish_groups(ds, "leverandoertyper", title, src, "leverandoertype", "Leverandørtype",
                            &g, true);
    }
    groups_free(&g);
    return st;
}

/* ---- kommuner ---------------------------------------------------------- */

static long adults_in_kommune(const ng_refusion_result *r, const char *kommune)
{
    long n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const ng_refusion_unit *u = &r->units[i];
        if (in_scheme(u) && u->omraade == NG_OMR_VOKSEN && u->sag->kommune &&
            !strcmp(u->sag->kommune, kommune))
            n++;
    }
    return n;
}

static void rule_per_1000(ng_table *t, int row, int c_pr, int c_antal, int c_indb)
{
    ng_term num = {row, c_antal, 1000.0}, den = {row, c_indb, 1.0};
    ng_table_rule_ratio(t, row, c_pr, &num, 1, &den, 1);
}

static ng_status table_kommuner(ng_dataset *ds, const ng_refusion_result *r,
                                const ng_population_row *pop, size_t npop, const char *src)
{
    char title[160];
    snprintf(title, sizeof title,
             "Voksne inden for refusionsgrænsen pr. 1.000 18-66-årige fordelt på kommune, %d",
             r->aar);
    ng_table *t = new_table("kommuner", title, src);
    if (!t)
        return NG_ERR_NOMEM;
    t->count_table = true;
    int c_k = add_col(t, "kommune", "Kommune", NG_UNIT_TEXT, -1);
    int c_antal = add_col(t, "antal", "Antal sager", NG_UNIT_ANTAL, 0);
    int c_indb = add_col(t, "indbyggere", "Indbyggere 18-66 år", NG_UNIT_ANTAL, 0);
    int c_pr = add_col(t, "pr_1000", "Sager pr. 1.000 indbyggere", NG_UNIT_ANTAL, 2);
    if (c_k < 0 || c_antal < 0 || c_indb < 0 || c_pr < 0)
        goto nomem;
    for (size_t i = 0; i < npop; i++) {
        int row = ng_table_add_row(t, pop[i].kommune, 0);
        if (row < 0)
            goto nomem;
        ng_table_set_text(t, row, c_k, pop[i].kommune);
        ng_table_set_num(t, row, c_antal, (double)adults_in_kommune(r, pop[i].kommune));
        ng_table_set_num(t, row, c_indb, (double)pop[i].antal_18_66);
        rule_per_1000(t, row, c_pr, c_antal, c_indb);
    }
    int total = ng_table_add_total_row(t, "i_alt", "I alt", c_k, 0, (int)npop - 1);
    if (total < 0)
        goto nomem;
    /* A rate's total is the rate of the totals, not a sum of rates. */
    rule_per_1000(t, total, c_pr, c_antal, c_indb);
    return ng_dataset_add_evaluated(ds, t);
nomem:
    ng_table_free(t);
    return NG_ERR_NOMEM;
}

/* ---- values ------------------------------------------------------------ */

static double cell_num(const ng_table *t, const char *row, const char *col)
{
    const ng_cell *c = ng_table_cell(t, ng_table_row(t, row), ng_table_col(t, col));
    return (c && c->type == NG_CELL_NUM) ? c->num : 0.0;
}

static ng_status set_values(ng_dataset *ds, const ng_refusion_result *r,
                            const ng_threshold_year *thr, const ng_config *cfg)
{
    ng_status st;
#define SET_NUM(name, unit, v, desc)                                                               \
    do {                                                                                           \
        st = ng_dataset_set_num(ds, name, unit, v, desc);                                          \
        if (st != NG_OK)                                                                           \
            return st;                                                                             \
    } while (0)
    SET_NUM("aar", NG_UNIT_AAR, r->aar, "Året notatet handler om");
    ng_date d = (cfg && cfg->has_udtraek_dato) ? cfg->udtraek_dato : ds->udtraek_dato;
    if (d.y > 0)
        SET_NUM("udtraek_dato", NG_UNIT_DATO, (double)ng_date_to_days(d), "Udtrækkets dato");
    SET_NUM("t1", NG_UNIT_KR, (double)thr->t1, "Beløbsgrænse for 25 pct. refusion (kr. pr. år)");
    SET_NUM("t2", NG_UNIT_KR, (double)thr->t2, "Beløbsgrænse for 50 pct. refusion (kr. pr. år)");
    SET_NUM("t3", NG_UNIT_KR, (double)thr->t3, "Beløbsgrænse for 75 pct. refusion (kr. pr. år)");
    int64_t refusion = 0;
    for (size_t i = 0; i < r->n; i++)
        refusion += r->units[i].refusion;
    SET_NUM("refusion_i_alt", NG_UNIT_KR, kr(refusion), "Beregnet refusion i alt (alle områder)");
    const ng_table *omr = ng_dataset_table(ds, "omraader");
    const ng_table *andel = ng_dataset_table(ds, "andel_50_75");
    if (!omr || !andel)
        return NG_ERR_INTERNAL;
    SET_NUM("antal_i_alt", NG_UNIT_ANTAL, cell_num(omr, "i_alt", "antal"),
            "Antal sager inden for refusionsgrænsen (alle områder)");
    SET_NUM("udgift_i_alt", NG_UNIT_KR, cell_num(omr, "i_alt", "udgift"),
            "Udgift til sager inden for refusionsgrænsen (alle områder)");
    SET_NUM("andel_udgift_50_75", NG_UNIT_PCT, cell_num(andel, "voksen", "andel_udgift"),
            "Andel af udgifterne i sager med 50 og 75 pct. refusion (voksenområdet)");
    SET_NUM("andel_antal_50_75", NG_UNIT_PCT, cell_num(andel, "voksen", "andel_antal"),
            "Andel af sagerne med 50 og 75 pct. refusion (voksenområdet)");
    SET_NUM("uafklarede_67", NG_UNIT_ANTAL, (double)r->undecided67,
            "Sager med borgere på 67 år og derover, hvor det ikke kan afgøres, om de er omfattet");
#undef SET_NUM
    return NG_OK;
}

ng_status ng_sde_tables(const ng_refusion_result *r, const ng_threshold_year *thr,
                        const ng_config *cfg, const ng_population_row *population,
                        size_t npopulation, ng_dataset *ds, ng_diags *diags)
{
    char src[128];
    source_line(cfg, ds, src, sizeof src);
    ng_status st = table_taerskler(ds, thr, src);
    if (st == NG_OK)
        st = table_per_trin(ds, r, src);
    if (st == NG_OK)
        st = table_andel(ds, r, src);
    if (st == NG_OK)
        st = table_intervaller(ds, r, cfg, src);
    if (st == NG_OK)
        st = table_omraader(ds, r, src);
    if (st == NG_OK)
        st = table_aldersgrupper(ds, r, src);
    if (st == NG_OK)
        st = table_maalgrupper(ds, r, src);
    if (st == NG_OK)
        st = table_leverandoertyper(ds, r, src);
    if (st == NG_OK && population && npopulation > 0)
        st = table_kommuner(ds, r, population, npopulation, src);
    if (st == NG_OK)
        st = set_values(ds, r, thr, cfg);
    if (st != NG_OK)
        ng_error(diags, NULL, 0, 0, "SDE-tabellerne kunne ikke dannes: %s", ng_strerror(st));
    return st;
}
