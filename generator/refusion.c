/* refusion.c -- thresholds, the refusion arithmetic and the refusion units
 * (see refusion.h). The SDE tables built on the units are in sde.c. */
#include "notatgen/refusion.h"

#include "notatgen/csvdoc.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { AGE_67 = 67 };

/* ---- thresholds ------------------------------------------------------- */

const char *ng_thresholds_default_path(void)
{
    /* A build run from its tree uses the tree's file, so that an edit to the
     * data file is seen without installing. */
    static const char source_path[] = NG_SOURCE_DIR "/data/refusion_thresholds.csv";
    static const char installed_path[] = NG_DATA_DIR "/data/refusion_thresholds.csv";
    if (access(source_path, R_OK) == 0)
        return source_path;
    return installed_path;
}

void ng_thresholds_free(ng_thresholds *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->years[i].kilde);
    free(t->years);
    t->years = NULL;
    t->n = 0;
}

static ng_threshold_year *find_year(ng_thresholds *t, int aar)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->years[i].aar == aar)
            return &t->years[i];
    return NULL;
}

const ng_threshold_year *ng_thresholds_for(const ng_thresholds *t, int aar)
{
    if (!t)
        return NULL;
    for (size_t i = 0; i < t->n; i++)
        if (t->years[i].aar == aar)
            return &t->years[i];
    return NULL;
}

/* Adds the year, or replaces the thresholds of a year already known (the
 * configuration overrides the shipped file). kilde is copied. */
static ng_status put_year(ng_thresholds *t, int aar, int64_t t1, int64_t t2, int64_t t3,
                          const char *kilde)
{
    char *kilde_copy = NULL;
    if (kilde) {
        kilde_copy = strdup(kilde);
        if (!kilde_copy)
            return NG_ERR_NOMEM;
    }
    ng_threshold_year *y = find_year(t, aar);
    if (!y) {
        ng_threshold_year *years = realloc(t->years, (t->n + 1) * sizeof *years);
        if (!years) {
            free(kilde_copy);
            return NG_ERR_NOMEM;
        }
        t->years = years;
        y = &t->years[t->n++];
        memset(y, 0, sizeof *y);
    }
    free(y->kilde);
    y->aar = aar;
    y->t1 = t1;
    y->t2 = t2;
    y->t3 = t3;
    y->kilde = kilde_copy;
    return NG_OK;
}

static int compare_years(const void *a, const void *b)
{
    const ng_threshold_year *x = a, *y = b;
    return (x->aar > y->aar) - (x->aar < y->aar);
}

/* The largest threshold a year may have: 1 mia. kr. keeps every product in
 * the arithmetic below (12 x a month in øre times 75) far inside int64. */
#define MAX_THRESHOLD_KR ((int64_t)1000000000)

static bool thresholds_ordered(int64_t t1, int64_t t2, int64_t t3)
{
    return t1 > 0 && t1 < t2 && t2 < t3 && t3 <= MAX_THRESHOLD_KR;
}

/* A threshold: a whole number of kr. from 1 to MAX_THRESHOLD_KR. */
static bool threshold_field(const ng_csvdoc *doc, const ng_csvrow *row, int field, const char *name,
                            int64_t *kr, ng_diags *diags)
{
    int64_t oere;
    bool has;
    if (!ng_csvdoc_field_amount(doc, row, field, NG_DECIMAL_AUTO, NG_SCALE_KR, &oere, &has, diags))
        return false;
    if (!has || oere % 100 != 0 || oere <= 0 || oere > MAX_THRESHOLD_KR * 100) {
        ng_error(diags, doc->path, row->line, field + 1,
                 "%s skal være et helt antal kr. fra 1 til 1.000.000.000: '%s'", name,
                 row->fields[field]);
        return false;
    }
    *kr = oere / 100;
    return true;
}

/* One data row "aar;t1;t2;t3[;kilde]". */
static ng_status threshold_row(const ng_csvdoc *doc, const ng_csvrow *row, ng_thresholds *t,
                               ng_diags *diags)
{
    static const char *const names[3] = {"t1", "t2", "t3"};
    int aar;
    int64_t v[3];
    if (!ng_csvdoc_field_year(doc, row, 0, &aar, diags))
        return NG_ERR_CONFIG;
    for (int i = 0; i < 3; i++)
        if (!threshold_field(doc, row, i + 1, names[i], &v[i], diags))
            return NG_ERR_CONFIG;
    if (!thresholds_ordered(v[0], v[1], v[2])) {
        ng_error(diags, doc->path, row->line, 0,
                 "ugyldige refusionsgrænser for %d: der skal gælde 0 < t1 < t2 < t3", aar);
        return NG_ERR_CONFIG;
    }
    if (find_year(t, aar)) {
        ng_error(diags, doc->path, row->line, 1, "året %d står to gange", aar);
        return NG_ERR_CONFIG;
    }
    const char *kilde = row->nfields == 5 && row->fields[4][0] ? row->fields[4] : NULL;
    return put_year(t, aar, v[0], v[1], v[2], kilde);
}

static ng_status read_thresholds_file(const char *path, ng_thresholds *t, ng_diags *diags)
{
    ng_csvdoc doc;
    ng_status st = ng_csvdoc_read_path(path, &doc, diags);
    if (st == NG_ERR_INPUT)
        return NG_ERR_CONFIG;
    if (st != NG_OK)
        return st;
    static const char *const header[] = {"aar", "t1", "t2", "t3", "kilde"};
    const ng_csvrow *h = doc.nrows ? &doc.rows[0] : NULL;
    bool ok = h && (h->nfields == 4 || h->nfields == 5);
    for (size_t i = 0; ok && i < h->nfields; i++)
        ok = !strcasecmp(h->fields[i], header[i]);
    if (!ok) {
        ng_error(diags, path, h ? h->line : 0, 0, "forventede overskriften aar;t1;t2;t3;kilde%s",
                 h ? "" : " (filen er tom)");
        st = NG_ERR_CONFIG;
    } else if (!ng_csvdoc_check_widths(&doc, diags)) {
        st = NG_ERR_CONFIG;
    }
    if (st == NG_OK && doc.nrows == 1) {
        ng_error(diags, path, h->line, 0, "filen med refusionsgrænser har ingen år");
        st = NG_ERR_CONFIG;
    }
    for (size_t r = 1; st == NG_OK && r < doc.nrows; r++)
        st = threshold_row(&doc, &doc.rows[r], t, diags);
    ng_csvdoc_free(&doc);
    return st;
}

static ng_status apply_config_thresholds(const ng_refusion_options *opt, ng_thresholds *t,
                                         ng_diags *diags)
{
    if (!opt)
        return NG_OK;
    for (size_t i = 0; i < opt->ntaerskler; i++) {
        const ng_threshold_year *y = &opt->taerskler[i];
        if (!thresholds_ordered(y->t1, y->t2, y->t3)) {
            ng_error(diags, NULL, 0, 0,
                     "[taerskler] %d: der skal gælde 0 < t1 < t2 < t3 <= 1.000.000.000 kr.",
                     y->aar);
            return NG_ERR_CONFIG;
        }
        ng_status st =
            put_year(t, y->aar, y->t1, y->t2, y->t3, y->kilde ? y->kilde : "konfigurationen");
        if (st != NG_OK)
            return st;
    }
    return NG_OK;
}

ng_status ng_thresholds_load(const char *data_file, const ng_refusion_options *opt,
                             ng_thresholds *out, ng_diags *diags)
{
    memset(out, 0, sizeof *out);
    ng_status st = read_thresholds_file(data_file, out, diags);
    if (st == NG_OK)
        st = apply_config_thresholds(opt, out, diags);
    if (st != NG_OK) {
        ng_thresholds_free(out);
        return st;
    }
    if (out->n > 1)
        qsort(out->years, out->n, sizeof *out->years, compare_years);
    return NG_OK;
}

ng_status ng_thresholds_require(const ng_thresholds *t, int aar, ng_diags *diags)
{
    if (ng_thresholds_for(t, aar))
        return NG_OK;
    ng_error(diags, NULL, 0, 0,
             "der mangler refusionsgrænser for %d. Tilføj dem i konfigurationen:\n"
             "  [taerskler]\n"
             "  %d = T1 T2 T3   (kr. pr. år, fx %d = 960.000 1.880.000 2.380.000)",
             aar, aar, aar);
    return NG_ERR_THRESHOLDS;
}

/* ---- the arithmetic ---------------------------------------------------- */

int ng_refusion_trin(int64_t yearly_oere, const ng_threshold_year *thr)
{
    if (yearly_oere > thr->t3 * 100)
        return 75;
    if (yearly_oere > thr->t2 * 100)
        return 50;
    if (yearly_oere > thr->t1 * 100)
        return 25;
    return 0;
}

static int64_t part_above(int64_t v, int64_t lo)
{
    return v > lo ? v - lo : 0;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* A month's refusion in 1/1200 øre. m12 = 12 x the month's spend in øre is
 * compared with the yearly thresholds, which is the month against 1/12 of
 * them; 25 %, 50 % and 75 % of a twelfth are 25, 50 and 75 per 1200. A month
 * with more income than spend (m12 < 0) stays below t1 and gives 0. */
static int64_t refusion_for_month(int64_t m12, const ng_threshold_year *thr)
{
    int64_t t1 = thr->t1 * 100, t2 = thr->t2 * 100, t3 = thr->t3 * 100;
    return 25 * part_above(min64(m12, t2), t1) + 50 * part_above(min64(m12, t3), t2) +
           75 * part_above(m12, t3);
}

int64_t ng_refusion_year(const int64_t m12[12], const ng_threshold_year *thr)
{
    int64_t units = 0;
    for (int m = 0; m < 12; m++)
        units += refusion_for_month(m12[m], thr);
    /* units >= 0: round half up to the øre once, for the whole year. */
    return (units + 600) / 1200;
}

int64_t ng_refusion_yearly_amount(int64_t yearly_oere, const ng_threshold_year *thr)
{
    int64_t m12[12];
    for (int m = 0; m < 12; m++)
        m12[m] = yearly_oere; /* 12 x (yearly / 12) */
    return ng_refusion_year(m12, thr);
}

/* ---- refusion units ------------------------------------------------------ */

/* A household's own key and months: one block, the months first. */
typedef struct {
    int64_t m12[12];
    char key[];
} household_block;

static bool owns_block(const ng_refusion_unit *u)
{
    return u->sag && u->key != u->sag->sag_id;
}

/* The household block a unit's key is in (owns_block). */
static household_block *block_of(const ng_refusion_unit *u)
{
    return (household_block *)(void *)(u->key - offsetof(household_block, key));
}

static const int64_t *unit_m12(const ng_refusion_unit *u, int aar)
{
    if (owns_block(u))
        return block_of(u)->m12;
    const ng_sag_year *y = ng_sag_year_get(u->sag, aar);
    return y ? y->m12 : NULL;
}

const int64_t *ng_refusion_unit_m12(const ng_refusion_result *r, const ng_refusion_unit *u)
{
    return unit_m12(u, r->aar);
}

void ng_refusion_result_free(ng_refusion_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        if (owns_block(&r->units[i]))
            free(block_of(&r->units[i]));
    free(r->units);
    memset(r, 0, sizeof *r);
}

static bool has_spend(const ng_sag_year *y)
{
    for (int m = 0; m < 12; m++)
        if (y->m12[m] != 0)
            return true;
    return false;
}

/* Children with a household key are summed into one unit per household. */
static bool is_household_child(const ng_sag *s)
{
    return s->omraade == NG_OMR_BOERN && s->husstand && s->husstand[0];
}

/* A household child's unit: its own block with the key and a copy of the
 * months, which the household's other children are added to. */
static household_block *household_for(const ng_sag *s, const ng_sag_year *y)
{
    size_t n = strlen("husstand:") + strlen(s->husstand) + 1;
    household_block *b = malloc(sizeof *b + n);
    if (!b)
        return NULL;
    memcpy(b->m12, y->m12, sizeof b->m12);
    snprintf(b->key, n, "husstand:%s", s->husstand);
    return b;
}

static ng_refusion_unit *new_unit(ng_refusion_result *r, size_t *cap, const ng_sag *s, int aar)
{
    if (r->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        ng_refusion_unit *units = realloc(r->units, ncap * sizeof *units);
        if (!units)
            return NULL;
        r->units = units;
        *cap = ncap;
    }
    ng_refusion_unit *u = &r->units[r->n++];
    memset(u, 0, sizeof *u);
    u->omraade = s->omraade;
    u->alder = (int16_t)(s->foedselsaar > 0 ? aar - s->foedselsaar : 0);
    u->sag = s;
    u->nsager = 1;
    return u;
}

/* The month before the 67th birthday, as m12 of the case, when the data hold
 * it: the birthday must fall in aar and the birth month be known; a January
 * birthday needs December of the year before. */
static bool month_before_67(const ng_sag *s, int aar, int64_t *m12)
{
    if (s->foedselsaar <= 0 || aar - s->foedselsaar != AGE_67)
        return false;
    if (s->foedselsmaaned < 1 || s->foedselsmaaned > 12)
        return false;
    int year = aar, idx = s->foedselsmaaned - 2;
    if (s->foedselsmaaned == 1) {
        year = aar - 1;
        idx = 11;
    }
    const ng_sag_year *y = ng_sag_year_get(s, year);
    if (!y)
        return false;
    *m12 = y->m12[idx];
    return true;
}

typedef enum { COVER_YES, COVER_NO, COVER_UNDECIDED } coverage;

enum { ALL_MONTHS = 0xFFFu };

/* The 67+ rule: a person aged 67 or more is covered only if the scheme
 * covered him before he turned 67, i.e. the month before the birthday
 * exceeded t1/12. The flag foer67 decides; otherwise the data may; otherwise
 * it is undecided, which is never guessed. (For a January birthday the
 * December before is held against this year's t1: the only thresholds the
 * computation has; they are the higher ones, so it never over-covers.) */
static coverage coverage_67(const ng_sag *s, int aar, const ng_threshold_year *thr)
{
    if (s->foer67 == NG_YES)
        return COVER_YES;
    if (s->foer67 == NG_NO)
        return COVER_NO;
    int64_t m12;
    if (!month_before_67(s, aar, &m12))
        return COVER_UNDECIDED;
    return m12 > thr->t1 * 100 ? COVER_YES : COVER_NO;
}

/* The months of aar the scheme covers a person in, as bits (bit m: month
 * m + 1; docs/regler.md, "Personer på 67 år og derover"): every month under
 * 67; none or all by the 67+ rule from 68 on; for one who turns 67 in aar
 * the months before the birthday month like anyone under 67, and from it
 * what the 67+ rule decides. Without a birth month those months cannot be
 * placed: foer67 = ja covers them all, anything else leaves the year
 * undecided (*undecided set, no month covered). */
static unsigned covered_months(const ng_sag *s, int aar, const ng_threshold_year *thr,
                               bool *undecided)
{
    *undecided = false;
    int age = s->foedselsaar > 0 ? aar - s->foedselsaar : 0;
    if (age < AGE_67)
        return ALL_MONTHS;
    bool turns_67 = age == AGE_67;
    bool month_known = s->foedselsmaaned >= 1 && s->foedselsmaaned <= 12;
    if (turns_67 && !month_known && s->foer67 != NG_YES) {
        *undecided = true;
        return 0;
    }
    coverage c = coverage_67(s, aar, thr);
    if (c == COVER_YES)
        return ALL_MONTHS;
    unsigned before = turns_67 ? (1u << (s->foedselsmaaned - 1)) - 1 : 0;
    if (c == COVER_UNDECIDED && before == 0) {
        *undecided = true;
        return 0;
    }
    /* COVER_NO, or (a birthday after January) a month before it that the
     * data always hold: the months before the birthday month */
    return before;
}

static int64_t yearly_from_m12(const int64_t m12[12])
{
    int64_t sum = 0;
    for (int m = 0; m < 12; m++)
        sum += m12[m];
    /* sum(m12) is 12 x the year's spend; exact for extracts (ingest.h),
     * rounded half away from zero otherwise. */
    return sum >= 0 ? (sum + 6) / 12 : -((-sum + 6) / 12);
}

/* Units sorted by key, then equal keys (a household's children) are
 * adjacent; ties keep the first case by sag_id as the unit's case. */
static int compare_units(const void *a, const void *b)
{
    const ng_refusion_unit *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->sag->sag_id, y->sag->sag_id);
}

/* One unit per case with spend in aar, in an array of exactly that size (a
 * growing one would leave its spare half in memory on a 10^7-row extract). */
static ng_status collect_units(const ng_cases *cases, int aar, ng_refusion_result *r)
{
    size_t ncases = ng_cases_count(cases), cap = 0;
    for (size_t i = 0; i < ncases; i++) {
        const ng_sag_year *y = ng_sag_year_get(ng_cases_at(cases, i), aar);
        cap += y && has_spend(y);
    }
    if (cap && !(r->units = malloc(cap * sizeof *r->units)))
        return NG_ERR_NOMEM;
    for (size_t i = 0; i < ncases; i++) {
        const ng_sag *s = ng_cases_at(cases, i);
        const ng_sag_year *y = ng_sag_year_get(s, aar);
        if (!y || !has_spend(y))
            continue;
        household_block *b = NULL;
        if (is_household_child(s) && !(b = household_for(s, y)))
            return NG_ERR_NOMEM;
        ng_refusion_unit *u = new_unit(r, &cap, s, aar);
        if (!u) {
            free(b);
            return NG_ERR_NOMEM;
        }
        u->key = b ? b->key : (char *)s->sag_id; /* borrowed, never freed: see owns_block */
    }
    return NG_OK;
}

static bool units_sorted(const ng_refusion_result *r)
{
    for (size_t i = 1; i < r->n; i++)
        if (compare_units(&r->units[i - 1], &r->units[i]) > 0)
            return false;
    return true;
}

/* Sums the adjacent units of one household into the first of them. */
static void merge_households(ng_refusion_result *r)
{
    size_t w = 0;
    for (size_t i = 0; i < r->n; i++) {
        ng_refusion_unit *u = &r->units[i];
        if (w > 0 && is_household_child(u->sag) && !strcmp(r->units[w - 1].key, u->key)) {
            ng_refusion_unit *into = &r->units[w - 1];
            int64_t *sum = block_of(into)->m12; /* a household's own block */
            for (int m = 0; m < 12; m++)
                sum[m] += block_of(u)->m12[m];
            into->nsager += u->nsager;
            free(block_of(u));
            continue;
        }
        r->units[w++] = *u;
    }
    r->n = w;
}

/* The refusion of the covered months only. */
static int64_t refusion_of_months(const int64_t m12[12], unsigned months,
                                  const ng_threshold_year *thr)
{
    int64_t covered[12];
    for (int m = 0; m < 12; m++)
        covered[m] = (months >> m) & 1u ? m12[m] : 0;
    return ng_refusion_year(covered, thr);
}

static void decide_unit(ng_refusion_unit *u, int aar, const ng_threshold_year *thr,
                        ng_refusion_result *r, ng_diags *diags)
{
    const int64_t *m12 = unit_m12(u, aar);
    u->udgift = yearly_from_m12(m12);
    u->trin = (int16_t)ng_refusion_trin(u->udgift, thr);
    /* A household of children is covered as such; the 67+ rule is about a
     * person. */
    bool undecided = false;
    unsigned months = (u->nsager > 1 || is_household_child(u->sag))
                          ? ALL_MONTHS
                          : covered_months(u->sag, aar, thr, &undecided);
    u->covered = months != 0;
    u->undecided67 = undecided;
    u->refusion = u->covered ? refusion_of_months(m12, months, thr) : 0;
    if (u->undecided67) {
        r->undecided67++;
        ng_warning(diags, NULL, 0, 0,
                   "sag %s er %d år i %d, og det kan ikke afgøres, om den var omfattet af "
                   "refusionsordningen inden 67 år (angiv foer67 = ja/nej eller "
                   "fødselsdatoen); sagen regnes ikke med i refusionen",
                   u->key, u->alder, aar);
    }
}

ng_status ng_refusion_compute(const ng_cases *cases, const ng_threshold_year *thr, int aar,
                              ng_refusion_result *out, ng_diags *diags)
{
    memset(out, 0, sizeof *out);
    out->aar = aar;
    ng_status st = collect_units(cases, aar, out);
    if (st != NG_OK) {
        ng_refusion_result_free(out);
        return st;
    }
    /* cases come sorted by sag_id: only households need a sort (and qsort
     * would take a scratch copy of every unit) */
    if (out->n > 1 && !units_sorted(out))
        qsort(out->units, out->n, sizeof *out->units, compare_units);
    merge_households(out);
    for (size_t i = 0; i < out->n; i++)
        decide_unit(&out->units[i], aar, thr, out, diags);
    return NG_OK;
}
