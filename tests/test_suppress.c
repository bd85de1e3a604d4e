/*
 * test_suppress.c -- suppression that holds across tables (suppress.h).
 *
 * Hand-built linked tables where a complement chosen inside one table is
 * given back by another (the ældre example), a published ratio with its
 * published denominator, a named value that is a suppressed cell, a tier
 * label that is not a person count, a mean and a median over a column of
 * rates; and a property test: random populations
 * counted in several linked tables, suppressed, and then checked by means
 * that share no code with the audit -- a rank test modulo two primes and,
 * for small instances, an enumeration of every integer solution consistent
 * with the published numbers -- that no suppressed value is determined.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/privacy.h"
#include "notatgen/suppress.h"
#include "notatgen/template.h"

/* ---- building tables -------------------------------------------------------- */

/* label | antal (persons) [| udgift (mio)]: rows, then an "I alt" total. */
static ng_table *group_table(const char *name, const char *const *keys, const double *antal,
                             const double *udgift, int n)
{
    ng_table *t = ng_table_new(name, name);
    assert_non_null(t);
    t->count_table = true;
    ng_table_add_column(t, "label", "Label", NG_UNIT_TEXT);
    int a = ng_table_add_column(t, "antal", "Antal", NG_UNIT_ANTAL);
    ng_table_set_column_persons(t, a, true);
    if (udgift)
        ng_table_add_column(t, "udgift", "Udgift", NG_UNIT_MIO);
    for (int i = 0; i < n; i++) {
        int r = ng_table_add_row(t, keys[i], 0);
        ng_table_set_text(t, r, 0, keys[i]);
        ng_table_set_num(t, r, a, antal[i]);
        if (udgift)
            ng_table_set_num(t, r, a + 1, udgift[i]);
    }
    ng_table_add_total_row(t, "i_alt", "I alt", 0, 0, n - 1);
    assert_int_equal(ng_table_evaluate(t), NG_OK);
    return t;
}

static ng_term cell(const ng_dataset *ds, const char *table, const char *row, const char *col,
                    double coef)
{
    const ng_table *t = ng_dataset_table(ds, table);
    assert_non_null(t);
    int r = ng_table_row(t, row), c = ng_table_col(t, col);
    assert_true(r >= 0 && c >= 0);
    return (ng_term){r, c, coef, table};
}

static bool hidden(const ng_dataset *ds, const char *table, const char *row, const char *col)
{
    ng_term t = cell(ds, table, row, col, 1);
    return ng_table_cell(ng_dataset_table(ds, table), t.row, t.col)->suppressed;
}

static size_t leaks_of(const ng_dataset *ds)
{
    ng_leaks l;
    assert_int_equal(ng_suppress_audit(ds, &l), NG_OK);
    size_t n = l.n;
    ng_leaks_free(&l);
    return n;
}

/* omraader: voksen 314, boern 10, aeldre 2; aldersgrupper counts voksen
 * and aeldre by age, 316 in all. Inside omraader the classic complement of
 * aeldre (2) is boern (the smallest other row); but aldersgrupper's total
 * less omraader's voksen row is aeldre again: 316 - 314 = 2, and its spend
 * to the øre. The audit across tables sees it and hides more. */
static void build_aeldre(ng_dataset *ds)
{
    ng_dataset_init(ds);
    static const char *const omr[] = {"voksen", "boern", "aeldre"};
    static const double omr_n[] = {314, 10, 2}, omr_u[] = {700e6, 31e6, 3.2e6};
    static const char *const age[] = {"18_35", "36_66", "67_plus"};
    static const double age_n[] = {150, 160, 6}, age_u[] = {320e6, 370e6, 13.2e6};
    assert_int_equal(ng_dataset_add_table(ds, group_table("omraader", omr, omr_n, omr_u, 3)),
                     NG_OK);
    assert_int_equal(ng_dataset_add_table(ds, group_table("aldersgrupper", age, age_n, age_u, 3)),
                     NG_OK);
    const char *cols[] = {"antal", "udgift"};
    for (int k = 0; k < 2; k++) {
        ng_term id[] = {cell(ds, "aldersgrupper", "i_alt", cols[k], 1),
                        cell(ds, "omraader", "voksen", cols[k], -1),
                        cell(ds, "omraader", "aeldre", cols[k], -1)};
        assert_int_equal(ng_dataset_add_identity(ds, NULL, id, 3), NG_OK);
    }
}

static void test_aeldre_per_table_complement_leaks(void **state)
{
    (void)state;
    ng_dataset ds;
    build_aeldre(&ds);
    ng_diags d;
    ng_diags_init(&d);
    /* the naive way: each table on its own */
    for (size_t i = 0; i < ds.ntables; i++)
        assert_int_equal(ng_suppress_table(ds.tables[i], 3, NULL, &d), NG_OK);
    assert_true(hidden(&ds, "omraader", "aeldre", "antal"));
    assert_true(hidden(&ds, "omraader", "boern", "antal")); /* the complement */
    assert_false(hidden(&ds, "omraader", "voksen", "antal"));
    assert_true(leaks_of(&ds) >= 2); /* aeldre's count and spend */
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

static void test_aeldre_across_tables(void **state)
{
    (void)state;
    ng_dataset ds;
    build_aeldre(&ds);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_suppress_small_cells(&ds, 3, &d), NG_OK);
    assert_true(hidden(&ds, "omraader", "aeldre", "antal"));
    assert_true(hidden(&ds, "omraader", "aeldre", "udgift"));
    assert_int_equal(leaks_of(&ds), 0);
    /* the extra suppression is recorded with its reason */
    bool revision = false;
    for (size_t i = 0; i < ds.nsuppressions; i++)
        revision |= !strcmp(ds.suppressions[i].reason, "revision");
    assert_true(revision);
    /* the totals stay */
    assert_false(hidden(&ds, "omraader", "i_alt", "antal"));
    assert_false(hidden(&ds, "aldersgrupper", "i_alt", "antal"));
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

/* andel: antal_50_75 | antal_i_alt | andel (their ratio), one row "voksen". */
static ng_table *andel_table(ng_dataset *ds, double a50, double all, bool persons)
{
    ng_table *t = ng_table_new("andel", "Andel");
    t->count_table = true;
    int a = ng_table_add_column(t, "antal_50_75", "Antal", NG_UNIT_ANTAL);
    int at = ng_table_add_column(t, "antal_i_alt", "I alt", NG_UNIT_ANTAL);
    int p = ng_table_add_column(t, "andel", "Andel", NG_UNIT_PCT);
    ng_table_set_column_persons(t, a, persons);
    ng_table_set_column_persons(t, at, persons);
    int r = ng_table_add_row(t, "voksen", 0);
    ng_table_set_num(t, r, a, a50);
    ng_table_set_num(t, r, at, all);
    ng_term num = {r, a, 1}, den = {r, at, 1};
    ng_table_rule_ratio(t, r, p, &num, 1, &den, 1);
    assert_int_equal(ng_dataset_add_evaluated(ds, t), NG_OK);
    return t;
}

/* A ratio with its published denominator gives its numerator away. */
static void test_ratio_with_published_denominator(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_table *t = andel_table(&ds, 40, 120, false);
    int r = 0, a = 0, p = 2;
    /* hide the numerator alone: 1/3 of a published 120 is 40 */
    t->rows[r].cells[a].suppressed = true;
    assert_int_equal(leaks_of(&ds), 1);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_suppress_across_tables(&ds, 3, &d), NG_OK);
    assert_true(t->rows[r].cells[p].suppressed); /* the share goes with it */
    assert_int_equal(leaks_of(&ds), 0);
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

/* A named value that is a suppressed cell (a reference to it) is withheld:
 * data.json, the memos and the mail show neither. */
static void test_value_of_suppressed_cell(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_table *t = andel_table(&ds, 2, 120, true);
    int r = 0, a = 0, p = 2;
    assert_int_equal(ng_dataset_set_ref(&ds, "andel_antal", "andel", "voksen", "andel"), NG_OK);
    assert_int_equal(ng_dataset_set_ref(&ds, "antal_i_alt", "andel", "voksen", "antal_i_alt"),
                     NG_OK);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_suppress_small_cells(&ds, 3, &d), NG_OK);
    assert_true(t->rows[r].cells[a].suppressed);
    assert_true(t->rows[r].cells[p].suppressed);
    assert_true(ng_dataset_value(&ds, "andel_antal")->suppressed);
    assert_int_equal(leaks_of(&ds), 0);
    char *text = NULL;
    assert_int_equal(
        ng_template_fill_text("mail", 1, "{{ andel_antal | pct }} af sagerne", &ds, &text, &d),
        NG_OK);
    assert_null(strstr(text, "2 %"));
    free(text);
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

/* With mindste_celle = 30 the tier label "25" (unit antal) is not a person
 * count: it is not suppressed, and nothing is given back through the
 * shares of andel_50_75. */
static void test_tier_label_is_not_a_count(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_table *t = ng_table_new("refusion_per_trin", "Trin");
    t->count_table = true;
    int ct = ng_table_add_column(t, "trin", "Trin", NG_UNIT_ANTAL);
    int ca = ng_table_add_column(t, "antal", "Antal", NG_UNIT_ANTAL);
    ng_table_set_column_persons(t, ca, true);
    static const char *const keys[] = {"25", "50", "75"};
    static const double n[] = {169, 39, 12};
    for (int k = 0; k < 3; k++) {
        int r = ng_table_add_row(t, keys[k], 0);
        ng_table_set_num(t, r, ct, 25.0 * (k + 1));
        ng_table_set_num(t, r, ca, n[k]);
    }
    ng_table_add_total_row(t, "i_alt", "I alt", ct, 0, 2);
    assert_int_equal(ng_dataset_add_evaluated(&ds, t), NG_OK);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_suppress_small_cells(&ds, 30, &d), NG_OK);
    for (int r = 0; r < 3; r++)
        assert_false(t->rows[r].cells[ct].suppressed);
    assert_true(t->rows[2].cells[ca].suppressed); /* 12 < 30 */
    assert_int_equal(leaks_of(&ds), 0);
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

/* kommune | antal (persons) | indbyggere (public) | rate = 1.000 antal /
 * indbyggere, then a mean and a median of the rates (the benchmark's
 * layout). */
static ng_table *rate_table(ng_dataset *ds)
{
    ng_table *t = ng_table_new("rater", "Rater");
    t->count_table = true;
    int a = ng_table_add_column(t, "antal", "Antal", NG_UNIT_ANTAL);
    int in = ng_table_add_column(t, "indbyggere", "Indbyggere", NG_UNIT_ANTAL);
    int rate = ng_table_add_column(t, "rate", "Pr. 1.000", NG_UNIT_ANTAL);
    ng_table_set_column_persons(t, a, true);
    static const double antal[] = {40, 30, 25, 12}, folk[] = {20000, 15000, 10000, 6000};
    for (int r = 0; r < 4; r++) {
        ng_table_add_row(t, NULL, 0);
        ng_table_set_num(t, r, a, antal[r]);
        ng_table_set_num(t, r, in, folk[r]);
        ng_term num = {r, a, 1000}, den = {r, in, 1};
        ng_table_rule_ratio(t, r, rate, &num, 1, &den, 1);
    }
    int mean = ng_table_add_row(t, "gennemsnit", NG_ROW_SUBTOTAL);
    int median = ng_table_add_row(t, "median", NG_ROW_SUBTOTAL);
    ng_table_rule_average(t, mean, rate, 0, 3);
    ng_table_rule_median(t, median, rate, 0, 3);
    assert_int_equal(ng_dataset_add_evaluated(ds, t), NG_OK);
    return t;
}

/* A mean is a published relation: four times the mean of the rates less
 * the three published rates is the hidden one, and the hidden rate times
 * the published population is the hidden count. The audit sees it and
 * hides more; a median over a hidden rate may be that rate, so it is
 * hidden too. */
static void test_mean_of_hidden_rate(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_table *t = rate_table(&ds);
    int a = 0, rate = 2, mean = 4, median = 5;
    /* a count hidden as a complement elsewhere, and its rate with it */
    t->rows[0].cells[a].suppressed = true;
    t->rows[0].cells[rate].suppressed = true;
    assert_int_equal(leaks_of(&ds), 1);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_suppress_across_tables(&ds, 3, &d), NG_OK);
    assert_int_equal(leaks_of(&ds), 0);
    assert_true(t->rows[median].cells[rate].suppressed);
    /* the mean or a second rate (with its count) went */
    int rates = 0;
    for (int r = 0; r < 4; r++)
        rates += t->rows[r].cells[rate].suppressed;
    assert_true(t->rows[mean].cells[rate].suppressed || rates >= 2);
    /* the public population stays */
    for (int r = 0; r < 4; r++)
        assert_false(t->rows[r].cells[1].suppressed);
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

/* The same published mean with no rate hidden gives nothing away, and the
 * median of published rates stays. */
static void test_mean_of_published_rates(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_table *t = rate_table(&ds);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_suppress_small_cells(&ds, 3, &d), NG_OK);
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++)
            assert_false(t->rows[r].cells[c].suppressed);
    assert_int_equal(leaks_of(&ds), 0);
    ng_dataset_free(&ds);
    ng_diags_free(&d);
}

/* ---- the property test ------------------------------------------------------ */

/* A deterministic generator (the test must fail the same way every time). */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

enum { NA = 3, NB = 3, NC = 4, MAXU = 64 };

/* A population of units with attributes a, b, c, counted in four tables:
 * per a (omraader-like), per b, per c, and per b of the units with a < 2
 * (aldersgrupper-like). Identities: the totals of b and c are a's; the
 * total of the sub-table is a0 + a1. */
static void random_dataset(uint64_t *seed, ng_dataset *ds, int *npop)
{
    ng_dataset_init(ds);
    int n = 3 + (int)(rng_next(seed) % 28);
    double ca[NA] = {0}, cb[NB] = {0}, cc[NC] = {0}, cs[NB] = {0};
    for (int i = 0; i < n; i++) {
        int a = (int)(rng_next(seed) % NA), b = (int)(rng_next(seed) % NB);
        int c = (int)(rng_next(seed) % NC);
        ca[a]++, cb[b]++, cc[c]++;
        if (a < 2)
            cs[b]++;
    }
    *npop = n;
    static const char *const ka[] = {"a0", "a1", "a2"}, *const kb[] = {"b0", "b1", "b2"};
    static const char *const kc[] = {"c0", "c1", "c2", "c3"};
    assert_int_equal(ng_dataset_add_table(ds, group_table("A", ka, ca, NULL, NA)), NG_OK);
    assert_int_equal(ng_dataset_add_table(ds, group_table("B", kb, cb, NULL, NB)), NG_OK);
    assert_int_equal(ng_dataset_add_table(ds, group_table("C", kc, cc, NULL, NC)), NG_OK);
    assert_int_equal(ng_dataset_add_table(ds, group_table("S", kb, cs, NULL, NB)), NG_OK);
    ng_term tb[] = {cell(ds, "B", "i_alt", "antal", 1), cell(ds, "A", "i_alt", "antal", -1)};
    ng_term tc[] = {cell(ds, "C", "i_alt", "antal", 1), cell(ds, "A", "i_alt", "antal", -1)};
    ng_term ts[] = {cell(ds, "S", "i_alt", "antal", 1), cell(ds, "A", "a0", "antal", -1),
                    cell(ds, "A", "a1", "antal", -1)};
    assert_int_equal(ng_dataset_add_identity(ds, NULL, tb, 2), NG_OK);
    assert_int_equal(ng_dataset_add_identity(ds, NULL, tc, 2), NG_OK);
    assert_int_equal(ng_dataset_add_identity(ds, NULL, ts, 3), NG_OK);
}

/* The system as the test sees it, built from the tables' sum rows and the
 * identities only (the property test's tables have nothing else): each
 * relation is a list of (cell, coefficient) with integer coefficients. */
typedef struct {
    const ng_table *t[8];
    int row[8], col[8];
    int coef[8];
    int n;
} test_rel;

static int build_test_relations(const ng_dataset *ds, test_rel *rels, int cap)
{
    int n = 0;
    for (size_t i = 0; i < ds->ntables; i++) {
        const ng_table *t = ds->tables[i];
        int total = ng_table_row(t, "i_alt"), c = ng_table_col(t, "antal");
        test_rel *r = &rels[n++];
        assert_true(n <= cap && total >= 1);
        r->n = 0;
        r->t[r->n] = t, r->row[r->n] = total, r->col[r->n] = c, r->coef[r->n++] = 1;
        for (int k = 0; k < total; k++)
            r->t[r->n] = t, r->row[r->n] = k, r->col[r->n] = c, r->coef[r->n++] = -1;
    }
    for (size_t i = 0; i < ds->nidentities; i++) {
        const ng_identity *id = &ds->identities[i];
        test_rel *r = &rels[n++];
        assert_true(n <= cap);
        r->n = 0;
        for (int k = 0; k < id->nterms; k++) {
            r->t[r->n] = ng_dataset_table(ds, id->terms[k].table);
            r->row[r->n] = id->terms[k].row;
            r->col[r->n] = id->terms[k].col;
            r->coef[r->n++] = (int)id->terms[k].coef;
        }
    }
    return n;
}

typedef struct {
    const ng_table *t;
    int row, col;
} unknown;

static int collect_unknowns(const ng_dataset *ds, unknown *u, int cap)
{
    int n = 0;
    for (size_t i = 0; i < ds->ntables; i++) {
        const ng_table *t = ds->tables[i];
        for (int r = 0; r < t->nrows; r++)
            for (int c = 0; c < t->ncols; c++)
                if (t->rows[r].cells[c].suppressed && t->rows[r].cells[c].type == NG_CELL_NUM) {
                    assert_true(n < cap);
                    u[n++] = (unknown){t, r, c};
                }
    }
    return n;
}

static int unknown_index(const unknown *u, int n, const ng_table *t, int row, int col)
{
    for (int i = 0; i < n; i++)
        if (u[i].t == t && u[i].row == row && u[i].col == col)
            return i;
    return -1;
}

/* Rank of the rows modulo the prime p (plain Gaussian elimination). */
static int rank_mod(uint64_t *m, int rows, int cols, uint64_t p)
{
    int rank = 0;
    for (int c = 0; c < cols && rank < rows; c++) {
        int piv = -1;
        for (int r = rank; r < rows && piv < 0; r++)
            if (m[r * cols + c] % p)
                piv = r;
        if (piv < 0)
            continue;
        for (int k = 0; k < cols; k++) {
            uint64_t t = m[rank * cols + k];
            m[rank * cols + k] = m[piv * cols + k];
            m[piv * cols + k] = t;
        }
        /* inverse of the pivot by Fermat */
        unsigned __int128 inv = 1, b = m[rank * cols + c] % p;
        for (uint64_t e = p - 2; e; e >>= 1) {
            if (e & 1)
                inv = inv * b % p;
            b = b * b % p;
        }
        for (int r = 0; r < rows; r++) {
            if (r == rank || m[r * cols + c] % p == 0)
                continue;
            unsigned __int128 f = (unsigned __int128)(m[r * cols + c] % p) * inv % p;
            for (int k = 0; k < cols; k++)
                m[r * cols + k] =
                    (uint64_t)((m[r * cols + k] + (unsigned __int128)(p - f) * m[rank * cols + k]) %
                               p);
        }
        rank++;
    }
    return rank;
}

/* Is unknown u determined by the relations (modulo p: rank of A equals the
 * rank of A with e_u added)? */
static bool determined_mod(const test_rel *rels, int nrels, const unknown *un, int nu, int u,
                           uint64_t p)
{
    int rows = nrels + 1;
    uint64_t *m = calloc((size_t)rows * (size_t)nu, sizeof *m);
    uint64_t *m2 = calloc((size_t)rows * (size_t)nu, sizeof *m2);
    assert_true(m && m2);
    for (int i = 0; i < nrels; i++)
        for (int k = 0; k < rels[i].n; k++) {
            int v = unknown_index(un, nu, rels[i].t[k], rels[i].row[k], rels[i].col[k]);
            if (v >= 0)
                m[i * nu + v] = (m[i * nu + v] + (uint64_t)((int64_t)p + rels[i].coef[k])) % p;
        }
    memcpy(m2, m, (size_t)rows * (size_t)nu * sizeof *m);
    m2[nrels * nu + u] = 1;
    int r1 = rank_mod(m, nrels, nu, p), r2 = rank_mod(m2, rows, nu, p);
    free(m);
    free(m2);
    return r1 == r2;
}

/* Enumerates every assignment of the unknowns in [0, max] that satisfies
 * every relation with the published cells (a relation is checked as soon
 * as its last unknown is assigned); records, per unknown, whether some
 * solution gives it another value than the true one. */
typedef struct {
    const test_rel *rels;
    int nrels;
    const unknown *un;
    int nu, max;
    int last[32];     /* per relation: its highest unknown, -1 for none */
    double known[32]; /* per relation: the sum of its published cells */
    int x[16];
    bool other[16];
    long solutions;
} enumeration;

static void enumeration_init(enumeration *e, const test_rel *rels, int nrels, const unknown *un,
                             int nu, int max)
{
    memset(e, 0, sizeof *e);
    e->rels = rels, e->nrels = nrels, e->un = un, e->nu = nu, e->max = max;
    for (int i = 0; i < nrels; i++) {
        e->last[i] = -1;
        for (int k = 0; k < rels[i].n; k++) {
            int v = unknown_index(un, nu, rels[i].t[k], rels[i].row[k], rels[i].col[k]);
            if (v > e->last[i])
                e->last[i] = v;
            if (v < 0)
                e->known[i] +=
                    rels[i].coef[k] * rels[i].t[k]->rows[rels[i].row[k]].cells[rels[i].col[k]].num;
        }
    }
}

static bool holds(const enumeration *e, int i)
{
    double sum = e->known[i];
    const test_rel *r = &e->rels[i];
    for (int k = 0; k < r->n; k++) {
        int v = unknown_index(e->un, e->nu, r->t[k], r->row[k], r->col[k]);
        if (v >= 0)
            sum += r->coef[k] * e->x[v];
    }
    return sum == 0;
}

static void enumerate(enumeration *e, int depth)
{
    if (depth == e->nu) {
        e->solutions++;
        for (int v = 0; v < e->nu; v++)
            e->other[v] |= e->x[v] != (int)e->un[v].t->rows[e->un[v].row].cells[e->un[v].col].num;
        return;
    }
    for (e->x[depth] = 0; e->x[depth] <= e->max; e->x[depth]++) {
        bool ok = true;
        for (int i = 0; i < e->nrels && ok; i++)
            ok = e->last[i] != depth || holds(e, i);
        if (ok)
            enumerate(e, depth + 1);
    }
}

static void test_property_random_linked_tables(void **state)
{
    (void)state;
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    int checked = 0, enumerated = 0, with_cross = 0;
    for (int instance = 0; instance < 300; instance++) {
        ng_dataset ds;
        int npop;
        random_dataset(&seed, &ds, &npop);
        int m = 3 + (int)(rng_next(&seed) % 3);
        ng_diags d;
        ng_diags_init(&d);
        ng_status st = ng_suppress_small_cells(&ds, m, &d);
        if (st == NG_ERR_PRIVACY) { /* nothing publishable: allowed, never a leak */
            ng_dataset_free(&ds);
            ng_diags_free(&d);
            continue;
        }
        assert_int_equal(st, NG_OK);
        for (size_t i = 0; i < ds.nsuppressions; i++)
            with_cross += !strcmp(ds.suppressions[i].reason, "revision");
        test_rel rels[32];
        int nrels = build_test_relations(&ds, rels, 32);
        unknown un[MAXU];
        int nu = collect_unknowns(&ds, un, MAXU);
        for (int u = 0; u < nu; u++)
            if (determined_mod(rels, nrels, un, nu, u, 2305843009213693951ULL) &&
                determined_mod(rels, nrels, un, nu, u, 1000000007ULL))
                fail_msg("instance %d: %s row %d is determined by the published numbers", instance,
                         un[u].t->name, un[u].row + 1);
        if (nu > 0 && nu <= 8) {
            enumeration e;
            enumeration_init(&e, rels, nrels, un, nu, npop);
            enumerate(&e, 0);
            assert_true(e.solutions >= 2);
            for (int v = 0; v < nu; v++)
                if (!e.other[v])
                    fail_msg("instance %d: %s row %d has one integer value only", instance,
                             un[v].t->name, un[v].row + 1);
            enumerated++;
        }
        checked += nu > 0;
        ng_dataset_free(&ds);
        ng_diags_free(&d);
    }
    print_message("property test: %d instances with suppressions, %d enumerated, %d cross-table "
                  "suppressions\n",
                  checked, enumerated, with_cross);
    /* the test must have had something to check */
    assert_true(checked > 100);
    assert_true(enumerated > 100);
    assert_true(with_cross > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aeldre_per_table_complement_leaks),
        cmocka_unit_test(test_aeldre_across_tables),
        cmocka_unit_test(test_ratio_with_published_denominator),
        cmocka_unit_test(test_value_of_suppressed_cell),
        cmocka_unit_test(test_tier_label_is_not_a_count),
        cmocka_unit_test(test_mean_of_hidden_rate),
        cmocka_unit_test(test_mean_of_published_rates),
        cmocka_unit_test(test_property_random_linked_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
