/* suppress.c -- the audit of small-cell suppression across every published
 * number, and its repair (see suppress.h). */
#include "notatgen/suppress.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/privacy.h"

typedef __int128 i128;

/* ---- exact arithmetic ---------------------------------------------------- */

static bool mul_ok(i128 a, i128 b, i128 *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

static bool sub_ok(i128 a, i128 b, i128 *out)
{
    return !__builtin_sub_overflow(a, b, out);
}

static i128 abs128(i128 a)
{
    return a < 0 ? -a : a;
}

static i128 gcd128(i128 a, i128 b)
{
    a = abs128(a);
    b = abs128(b);
    while (b) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The simplest fraction p/q (q <= 10^9) equal to x to 1e-12 (relative):
 * 1 -> 1/1, -1 -> -1/1, 1000 -> 1000/1, 0.001 -> 1/1000. false when there
 * is none (the caller then scales by 10^9). */
static bool rational_of(double x, int64_t *p, int64_t *q)
{
    if (!isfinite(x) || fabs(x) > 1e15)
        return false;
    double v = fabs(x);
    int64_t h0 = 0, h1 = 1, k0 = 1, k1 = 0;
    double rest = v;
    for (int i = 0; i < 40; i++) {
        double a = floor(rest);
        if (a > 1e15)
            break;
        int64_t ai = (int64_t)a;
        int64_t h2 = ai * h1 + h0, k2 = ai * k1 + k0;
        if (k2 > 1000000000)
            break;
        h0 = h1, h1 = h2, k0 = k1, k1 = k2;
        if (fabs((double)h1 / (double)k1 - v) <= 1e-12 * (v > 1 ? v : 1)) {
            *p = x < 0 ? -h1 : h1;
            *q = k1;
            return true;
        }
        double frac = rest - a;
        if (frac < 1e-15)
            break;
        rest = 1.0 / frac;
    }
    return false;
}

/* ---- what is known ------------------------------------------------------- */

/* A cell (ti >= 0) or a named value (vi >= 0). */
typedef struct {
    int ti, row, col, vi;
} ref;

typedef struct {
    ref r;
    int64_t num, den; /* coefficient num/den, den > 0 */
} rterm;

typedef struct {
    rterm *terms;
    int n;
} relation;

typedef struct {
    const ng_dataset *ds;
    relation *rels;
    size_t nrels, caprels;
    /* unknowns: var[ti][row * ncols + col], vvar[vi]; -1 = known */
    int **var;
    int *vvar;
    ref *unknown; /* the ref of each unknown */
    size_t nunknown;
    bool nomem;
    bool overflow;
} linsys;

static const ng_cell *ref_cell(const ng_dataset *ds, ref r)
{
    if (r.ti < 0)
        return NULL;
    const ng_table *t = ds->tables[r.ti];
    return &t->rows[r.row].cells[r.col];
}

static bool ref_unknown(const ng_dataset *ds, ref r)
{
    if (r.ti >= 0) {
        const ng_cell *c = ref_cell(ds, r);
        return c->suppressed && c->type == NG_CELL_NUM;
    }
    const ng_value *v = &ds->values[r.vi];
    return v->suppressed && !v->is_text;
}

static double ref_value(const ng_dataset *ds, ref r)
{
    if (r.ti >= 0) {
        const ng_cell *c = ref_cell(ds, r);
        return c->type == NG_CELL_NUM ? c->num : 0;
    }
    return ds->values[r.vi].num;
}

static int table_index(const ng_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->ntables; i++)
        if (!strcmp(ds->tables[i]->name, name))
            return (int)i;
    return -1;
}

static int value_index(const ng_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->nvalues; i++)
        if (!strcmp(ds->values[i].name, name))
            return (int)i;
    return -1;
}

/* The cell a term names: in table ti, or in the table the term names; a
 * term naming the key-figures table reads a value (row = its index). */
static bool term_ref(const ng_dataset *ds, int ti, const ng_term *term, ref *out)
{
    if (term->table && !strcmp(term->table, NG_VALUES_TABLE)) {
        if (term->row < 0 || (size_t)term->row >= ds->nvalues)
            return false;
        *out = (ref){-1, 0, 0, term->row};
        return true;
    }
    int t = term->table ? table_index(ds, term->table) : ti;
    if (t < 0)
        return false;
    const ng_table *tab = ds->tables[t];
    if (term->row < 0 || term->row >= tab->nrows || term->col < 0 || term->col >= tab->ncols)
        return false;
    *out = (ref){t, term->row, term->col, -1};
    return true;
}

/* ---- the relations ------------------------------------------------------- */

typedef struct {
    rterm *items;
    int n, cap;
    bool nomem;
} term_buf;

static void tb_add(term_buf *b, ref r, int64_t num, int64_t den)
{
    if (b->nomem || num == 0)
        return;
    if (b->n == b->cap) {
        int cap = b->cap ? b->cap * 2 : 8;
        rterm *items = realloc(b->items, (size_t)cap * sizeof *items);
        if (!items) {
            b->nomem = true;
            return;
        }
        b->items = items;
        b->cap = cap;
    }
    b->items[b->n++] = (rterm){r, num, den};
}

/* coef as num/den; a coefficient with no small fraction is scaled by 10^9. */
static void tb_add_coef(term_buf *b, ref r, double coef, int64_t scale)
{
    int64_t p, q;
    if (!rational_of(coef, &p, &q)) {
        p = llround(coef * 1e9);
        q = 1000000000;
    }
    int64_t prod;
    if (__builtin_mul_overflow(p, scale, &prod)) {
        b->nomem = true; /* reported as an overflow by the caller */
        return;
    }
    tb_add(b, r, prod, q);
}

static void add_relation(linsys *s, term_buf *b)
{
    if (b->nomem) {
        s->overflow = true;
        free(b->items);
        return;
    }
    if (b->n == 0) {
        free(b->items);
        return;
    }
    if (s->nrels == s->caprels) {
        size_t cap = s->caprels ? s->caprels * 2 : 64;
        relation *rels = realloc(s->rels, cap * sizeof *rels);
        if (!rels) {
            s->nomem = true;
            free(b->items);
            return;
        }
        s->rels = rels;
        s->caprels = cap;
    }
    s->rels[s->nrels++] = (relation){b->items, b->n};
}

static void sum_relation(linsys *s, int ti, int row, int col, const ng_rule *rule)
{
    const ng_table *t = s->ds->tables[ti];
    term_buf b = {0};
    tb_add(&b, (ref){ti, row, col, -1}, 1, 1);
    for (int r = rule->first_row; r <= rule->last_row; r++)
        if (r >= 0 && r < t->nrows && r != row)
            tb_add(&b, (ref){ti, r, col, -1}, -1, 1);
    add_relation(s, &b);
}

static void linear_relation(linsys *s, int ti, ref self, const ng_rule *rule)
{
    term_buf b = {0};
    tb_add(&b, self, 1, 1); /* a constant moves the sum, not the relation */
    for (int i = 0; i < rule->nterms; i++) {
        ref r;
        if (!term_ref(s->ds, ti, &rule->terms[i], &r)) {
            free(b.items);
            return; /* a table left out of the dataset: nothing to relate */
        }
        tb_add_coef(&b, r, -rule->terms[i].coef, 1);
    }
    add_relation(s, &b);
}

/* sum of coef * value over terms, and whether every term resolves */
static bool terms_value(const linsys *s, int ti, const ng_term *terms, int n, double *out)
{
    *out = 0;
    for (int i = 0; i < n; i++) {
        ref r;
        if (!term_ref(s->ds, ti, &terms[i], &r))
            return false;
        *out += terms[i].coef * ref_value(s->ds, r);
    }
    return true;
}

static bool ref_is_num(const ng_dataset *ds, ref r)
{
    if (r.ti < 0)
        return !ds->values[r.vi].is_text;
    return ref_cell(ds, r)->type == NG_CELL_NUM;
}

/* The ratio's terms into b: the numerator's coefficients times num_scale,
 * the denominator's times den_scale, or, with den_scale 0, left out (and
 * then each must be known). false when a term does not resolve or such a
 * denominator term is unknown. */
static bool ratio_terms(linsys *s, int ti, const ng_rule *rule, int64_t num_scale,
                        int64_t den_scale, term_buf *b)
{
    for (int i = 0; i < rule->nterms; i++) {
        ref r;
        bool num = i < rule->nnum;
        if (!term_ref(s->ds, ti, &rule->terms[i], &r) ||
            (!num && !den_scale && ref_unknown(s->ds, r)))
            return false;
        if (num || den_scale)
            tb_add_coef(b, r, rule->terms[i].coef, num ? num_scale : den_scale);
    }
    return true;
}

/* A suppressed ratio self = N/D (+ constant) whose denominator's terms are
 * all known (their sum d): N - d self = 0 (see ratio_relation). */
static void hidden_ratio_relation(linsys *s, int ti, ref self, const ng_rule *rule, double d)
{
    term_buf b = {0};
    if (rule->root > 1 || !ratio_terms(s, ti, rule, 1, 0, &b)) {
        free(b.items); /* N/D with D unknown, or under a root: not linear */
        return;
    }
    tb_add_coef(&b, self, -d, 1);
    add_relation(s, &b);
}

/* A ratio r = N/D (a constant added to it moves the sum, not the relation).
 * Published: D N - N D = 0 with the true N and D (in øre or counts,
 * integers), so that N - r D = 0 holds exactly; with D known it gives N (a
 * root taken of N/D changes nothing here: r is still a function of N/D).
 * Suppressed, with every term of D known and no root: N - D r = 0 is linear
 * in the unknowns, so whatever gives r away (a mean over a column of rates)
 * gives N. Suppressed otherwise: not linear, nothing. */
static void ratio_relation(linsys *s, int ti, ref self, const ng_rule *rule)
{
    double n, d;
    if (!ref_is_num(s->ds, self) || !terms_value(s, ti, rule->terms, rule->nnum, &n) ||
        !terms_value(s, ti, rule->terms + rule->nnum, rule->nterms - rule->nnum, &d) || d == 0)
        return;
    if (ref_unknown(s->ds, self)) {
        hidden_ratio_relation(s, ti, self, rule, d);
        return;
    }
    if (fabs(n) > 1e15 || fabs(d) > 1e15) {
        s->overflow = true;
        return;
    }
    int64_t ni = llround(n * 100), di = llround(d * 100);
    int64_t g = (int64_t)gcd128(ni, di);
    if (g > 1)
        ni /= g, di /= g;
    term_buf b = {0};
    if (!ratio_terms(s, ti, rule, di, -ni, &b)) {
        free(b.items);
        return;
    }
    add_relation(s, &b);
}

/* A product p = c1 x1 * c2 x2 * ...: published, with every factor but one
 * known (and not zero), it gives that one; with two unknown factors it is
 * not linear and relates nothing; suppressed, nothing. */
static void product_relation(linsys *s, int ti, ref self, const ng_rule *rule)
{
    if (!ref_is_num(s->ds, self) || ref_unknown(s->ds, self))
        return;
    ref unknown = {-1, 0, 0, -1};
    int nunknown = 0;
    bool zero = false;
    for (int i = 0; i < rule->nterms; i++) {
        ref r;
        if (!term_ref(s->ds, ti, &rule->terms[i], &r))
            return;
        if (ref_unknown(s->ds, r))
            unknown = r, nunknown++;
        else
            zero |= ref_value(s->ds, r) == 0;
    }
    if (nunknown != 1 || zero)
        return;
    term_buf b = {0};
    tb_add(&b, unknown, 1, 1); /* = the product over the known factors: known */
    add_relation(s, &b);
}

/* A mean m over rows first..last of a column (its numbers: an empty cell is
 * left out, as the evaluation and AVERAGE() do): n m - (the sum of the n
 * cells) = 0, a relation like a total's. */
static void average_relation(linsys *s, ref self, const ng_rule *rule)
{
    const ng_table *t = s->ds->tables[self.ti];
    term_buf b = {0};
    int64_t n = 0;
    for (int r = rule->first_row; r <= rule->last_row; r++)
        if (r >= 0 && r < t->nrows && r != self.row &&
            t->rows[r].cells[self.col].type == NG_CELL_NUM) {
            tb_add(&b, (ref){self.ti, r, self.col, -1}, -1, 1);
            n++;
        }
    if (n == 0) {
        free(b.items);
        return; /* no numbers: the mean is empty */
    }
    tb_add(&b, self, n, 1);
    add_relation(s, &b);
}

/* The relation of a rule at self (a cell of table ti, or a value: ti -1).
 * A median is not linear in its cells: it relates nothing, and a median
 * over a suppressed cell is suppressed (derived_pass). */
static void rule_relation(linsys *s, int ti, ref self, const ng_rule *rule)
{
    if (rule->kind == NG_RULE_SUM && self.ti >= 0)
        sum_relation(s, self.ti, self.row, self.col, rule);
    else if (rule->kind == NG_RULE_AVERAGE && self.ti >= 0)
        average_relation(s, self, rule);
    else if (rule->kind == NG_RULE_LINEAR)
        linear_relation(s, ti, self, rule);
    else if (rule->kind == NG_RULE_RATIO)
        ratio_relation(s, ti, self, rule);
    else if (rule->kind == NG_RULE_PRODUCT)
        product_relation(s, ti, self, rule);
}

static void identity_relation(linsys *s, const ng_identity *id)
{
    int vi = id->value ? value_index(s->ds, id->value) : -1;
    if (id->value && (vi < 0 || s->ds->values[vi].is_text))
        return; /* a value that is not a number relates nothing */
    term_buf b = {0};
    for (int i = 0; i < id->nterms; i++) {
        ref r;
        if (!term_ref(s->ds, -1, &id->terms[i], &r)) {
            free(b.items);
            return;
        }
        tb_add_coef(&b, r, id->terms[i].coef, 1);
    }
    if (vi >= 0)
        tb_add(&b, (ref){-1, 0, 0, vi}, -1, 1);
    add_relation(s, &b);
}

static void collect_relations(linsys *s)
{
    const ng_dataset *ds = s->ds;
    for (size_t ti = 0; ti < ds->ntables; ti++) {
        const ng_table *t = ds->tables[ti];
        for (int r = 0; r < t->nrows; r++)
            for (int c = 0; c < t->ncols; c++)
                rule_relation(s, (int)ti, (ref){(int)ti, r, c, -1}, &t->rows[r].cells[c].rule);
    }
    /* a value is a reference or a rule over cells (or other values) */
    for (size_t v = 0; v < ds->nvalues; v++)
        if (!ds->values[v].is_text)
            rule_relation(s, -1, (ref){-1, 0, 0, (int)v}, &ds->values[v].rule);
    for (size_t i = 0; i < ds->nidentities; i++)
        identity_relation(s, &ds->identities[i]);
}

/* ---- the unknowns ---------------------------------------------------------- */

static void index_unknowns(linsys *s)
{
    const ng_dataset *ds = s->ds;
    s->var = calloc(ds->ntables ? ds->ntables : 1, sizeof *s->var);
    s->vvar = malloc((ds->nvalues ? ds->nvalues : 1) * sizeof *s->vvar);
    size_t total = ds->nvalues;
    for (size_t i = 0; i < ds->ntables; i++)
        total += (size_t)ds->tables[i]->nrows * (size_t)ds->tables[i]->ncols;
    s->unknown = malloc((total ? total : 1) * sizeof *s->unknown);
    if (!s->var || !s->vvar || !s->unknown) {
        s->nomem = true;
        return;
    }
    for (size_t i = 0; i < ds->ntables; i++) {
        const ng_table *t = ds->tables[i];
        s->var[i] = malloc(((size_t)t->nrows * (size_t)t->ncols + 1) * sizeof **s->var);
        if (!s->var[i]) {
            s->nomem = true;
            return;
        }
        for (int r = 0; r < t->nrows; r++)
            for (int c = 0; c < t->ncols; c++) {
                ref x = {(int)i, r, c, -1};
                int *slot = &s->var[i][r * t->ncols + c];
                *slot = ref_unknown(ds, x) ? (int)s->nunknown : -1;
                if (*slot >= 0)
                    s->unknown[s->nunknown++] = x;
            }
    }
    for (size_t v = 0; v < ds->nvalues; v++) {
        ref x = {-1, 0, 0, (int)v};
        s->vvar[v] = ref_unknown(ds, x) ? (int)s->nunknown : -1;
        if (s->vvar[v] >= 0)
            s->unknown[s->nunknown++] = x;
    }
}

static int var_of(const linsys *s, ref r)
{
    if (r.ti >= 0)
        return s->var[r.ti][r.row * s->ds->tables[r.ti]->ncols + r.col];
    return s->vvar[r.vi];
}

static void linsys_free(linsys *s)
{
    for (size_t i = 0; i < s->nrels; i++)
        free(s->rels[i].terms);
    free(s->rels);
    if (s->var)
        for (size_t i = 0; i < s->ds->ntables; i++)
            free(s->var[i]);
    free(s->var);
    free(s->vvar);
    free(s->unknown);
    memset(s, 0, sizeof *s);
}

static void linsys_build(linsys *s, const ng_dataset *ds)
{
    memset(s, 0, sizeof *s);
    s->ds = ds;
    index_unknowns(s);
    if (!s->nomem)
        collect_relations(s);
}

/* ---- fraction-free elimination ------------------------------------------ */

typedef struct {
    size_t nvars;
    i128 *m; /* nrows x nvars */
    size_t nrows;
    int *pivot; /* the pivot column of each of the first rank rows */
    size_t rank;
    bool overflow;
} matrix;

/* Divides the row by the gcd of its entries and makes its first entry
 * positive: the entries stay as small as the relation allows. */
static void normalize(i128 *row, size_t n)
{
    i128 g = 0;
    size_t first = n;
    for (size_t j = 0; j < n; j++)
        if (row[j]) {
            g = gcd128(g, row[j]);
            if (first == n)
                first = j;
        }
    if (g == 0)
        return;
    if (row[first] < 0)
        g = -g;
    for (size_t j = 0; j < n; j++)
        row[j] /= g;
}

/* dst = a * dst - b * src, checked. */
static bool combine(i128 *dst, const i128 *src, i128 a, i128 b, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        i128 x, y;
        if (!mul_ok(a, dst[j], &x) || !mul_ok(b, src[j], &y) || !sub_ok(x, y, &dst[j]))
            return false;
    }
    return true;
}

/* Clears column col of target with the pivot row (whose entry there is p). */
static bool eliminate(i128 *target, const i128 *pivot_row, size_t col, size_t n)
{
    if (!target[col])
        return true;
    i128 a = pivot_row[col], b = target[col];
    i128 g = gcd128(a, b);
    if (!combine(target, pivot_row, a / g, b / g, n))
        return false;
    normalize(target, n);
    return true;
}

/* Reduced row echelon form, in place. */
static void rref(matrix *mx)
{
    size_t n = mx->nvars;
    mx->rank = 0;
    for (size_t col = 0; col < n && mx->rank < mx->nrows && !mx->overflow; col++) {
        size_t p = mx->rank;
        while (p < mx->nrows && !mx->m[p * n + col])
            p++;
        if (p == mx->nrows)
            continue;
        i128 *prow = &mx->m[mx->rank * n];
        if (p != mx->rank)
            for (size_t j = 0; j < n; j++) {
                i128 t = prow[j];
                prow[j] = mx->m[p * n + j];
                mx->m[p * n + j] = t;
            }
        normalize(prow, n);
        for (size_t i = 0; i < mx->nrows && !mx->overflow; i++)
            if (i != mx->rank && !eliminate(&mx->m[i * n], prow, col, n))
                mx->overflow = true;
        mx->pivot[mx->rank++] = (int)col;
    }
}

/* true when vec (destroyed) lies in the row space. */
static bool in_rowspace(matrix *mx, i128 *vec)
{
    size_t n = mx->nvars;
    for (size_t k = 0; k < mx->rank && !mx->overflow; k++)
        if (!eliminate(vec, &mx->m[k * n], (size_t)mx->pivot[k], n))
            mx->overflow = true;
    for (size_t j = 0; j < n; j++)
        if (vec[j])
            return false;
    return !mx->overflow;
}

/* The relation's row over the unknowns, in integers (all coefficients
 * brought to their common denominator). false on overflow. */
static bool project(const linsys *s, const rterm *terms, int nterms, i128 *row)
{
    size_t n = s->nunknown;
    memset(row, 0, n * sizeof *row);
    i128 l = 1;
    for (int i = 0; i < nterms; i++) {
        if (var_of(s, terms[i].r) < 0)
            continue;
        i128 g = gcd128(l, terms[i].den);
        if (!mul_ok(l / g, terms[i].den, &l))
            return false;
    }
    for (int i = 0; i < nterms; i++) {
        int v = var_of(s, terms[i].r);
        if (v < 0)
            continue;
        i128 c;
        if (!mul_ok(terms[i].num, l / terms[i].den, &c) ||
            __builtin_add_overflow(row[v], c, &row[v]))
            return false;
    }
    normalize(row, n);
    return true;
}

static bool matrix_build(const linsys *s, matrix *mx)
{
    memset(mx, 0, sizeof *mx);
    mx->nvars = s->nunknown;
    size_t n = mx->nvars ? mx->nvars : 1;
    mx->m = calloc((s->nrels ? s->nrels : 1) * n, sizeof *mx->m);
    mx->pivot = malloc((s->nrels ? s->nrels : 1) * sizeof *mx->pivot);
    if (!mx->m || !mx->pivot)
        return false;
    for (size_t i = 0; i < s->nrels; i++) {
        i128 *row = &mx->m[mx->nrows * n];
        if (!project(s, s->rels[i].terms, s->rels[i].n, row)) {
            mx->overflow = true;
            return true;
        }
        bool any = false;
        for (size_t j = 0; j < mx->nvars && !any; j++)
            any = row[j] != 0;
        if (any)
            mx->nrows++;
    }
    rref(mx);
    return true;
}

static void matrix_free(matrix *mx)
{
    free(mx->m);
    free(mx->pivot);
}

/* ---- what the published numbers give away ------------------------------ */

/* Is unknown u determined? */
static bool unknown_derivable(matrix *mx, size_t u)
{
    i128 *vec = calloc(mx->nvars, sizeof *vec);
    if (!vec) {
        mx->overflow = true; /* treated as a failure by the caller */
        return true;
    }
    vec[u] = 1;
    bool d = in_rowspace(mx, vec);
    free(vec);
    return d;
}

/* What the audit proves underivable: every suppressed cell that holds a
 * count or an amount (an input, a sum, a mean, a linear combination). A
 * suppressed ratio, product or median is hidden with what it is computed
 * from, and gives nothing away that its parts do not; a suppressed value is
 * one that reads a suppressed cell. Both are unknowns of the system all the
 * same. */
static bool is_target(const ng_dataset *ds, ref r)
{
    if (r.ti < 0)
        return false;
    ng_rule_kind k = ref_cell(ds, r)->rule.kind;
    return k != NG_RULE_RATIO && k != NG_RULE_PRODUCT && k != NG_RULE_MEDIAN;
}

/* The first derivable suppressed cell (is_target); false when none, and
 * *overflow on overflow. */
static bool first_leak(const linsys *s, ref *leak, bool *overflow)
{
    matrix mx;
    *overflow = false;
    if (!matrix_build(s, &mx)) {
        matrix_free(&mx);
        *overflow = true;
        return false;
    }
    bool found = false;
    for (size_t u = 0; u < s->nunknown && !found && !mx.overflow; u++)
        if (is_target(s->ds, s->unknown[u]) && unknown_derivable(&mx, u)) {
            *leak = s->unknown[u];
            found = true;
        }
    *overflow = mx.overflow || s->overflow;
    matrix_free(&mx);
    return found && !*overflow;
}

static bool ref_eq(ref a, ref b)
{
    return a.ti == b.ti && a.vi == b.vi && (a.ti < 0 || (a.row == b.row && a.col == b.col));
}

static bool leaks_add(ng_leaks *l, const ng_dataset *ds, ref r)
{
    ng_leak *items = realloc(l->items, (l->n + 1) * sizeof *items);
    if (!items)
        return false;
    l->items = items;
    l->items[l->n++] = (ng_leak){r.ti >= 0 ? ds->tables[r.ti]->name : NULL, r.row, r.col,
                                 r.ti < 0 ? ds->values[r.vi].name : NULL};
    return true;
}

ng_status ng_suppress_audit(const ng_dataset *ds, ng_leaks *leaks)
{
    memset(leaks, 0, sizeof *leaks);
    linsys s;
    linsys_build(&s, ds);
    matrix mx;
    ng_status st = s.nomem ? NG_ERR_NOMEM : NG_OK;
    if (st == NG_OK && !matrix_build(&s, &mx))
        st = NG_ERR_NOMEM;
    if (st == NG_OK) {
        for (size_t u = 0; u < s.nunknown && st == NG_OK; u++)
            if (is_target(ds, s.unknown[u]) && unknown_derivable(&mx, u) && !mx.overflow &&
                !leaks_add(leaks, ds, s.unknown[u]))
                st = NG_ERR_NOMEM;
        if (mx.overflow || s.overflow)
            st = NG_ERR_INTERNAL;
        matrix_free(&mx);
    }
    linsys_free(&s);
    return st;
}

void ng_leaks_free(ng_leaks *leaks)
{
    free(leaks->items);
    memset(leaks, 0, sizeof *leaks);
}

/* ---- the repair ----------------------------------------------------------- */

/* "omraader.aeldre.antal" or "værdien antal_i_alt", for messages. */
static void describe(const ng_dataset *ds, ref r, char *buf, size_t size)
{
    if (r.ti < 0) {
        snprintf(buf, size, "værdien %s", ds->values[r.vi].name);
        return;
    }
    const ng_table *t = ds->tables[r.ti];
    if (t->rows[r.row].key)
        snprintf(buf, size, "%s.%s.%s", t->name, t->rows[r.row].key, t->cols[r.col].key);
    else
        snprintf(buf, size, "%s, række %d, kolonne %s", t->name, r.row + 1, t->cols[r.col].key);
}

/* The unknowns a leak's derivation can involve: the leak's own, and every
 * unknown of a relation that shares one with them, transitively. */
static bool *component(const linsys *s, ref leak, bool **used_rels)
{
    bool *in = calloc(s->nunknown ? s->nunknown : 1, sizeof *in);
    *used_rels = calloc(s->nrels ? s->nrels : 1, sizeof **used_rels);
    if (!in || !*used_rels) {
        free(in);
        free(*used_rels);
        *used_rels = NULL;
        return NULL;
    }
    int v = var_of(s, leak);
    if (v >= 0)
        in[v] = true;
    for (bool grew = true; grew;) {
        grew = false;
        for (size_t i = 0; i < s->nrels; i++) {
            if ((*used_rels)[i])
                continue;
            bool touches = false;
            for (int k = 0; k < s->rels[i].n && !touches; k++)
                touches = (v = var_of(s, s->rels[i].terms[k].r)) >= 0 && in[v];
            if (!touches)
                continue;
            (*used_rels)[i] = grew = true;
            for (int k = 0; k < s->rels[i].n; k++)
                if ((v = var_of(s, s->rels[i].terms[k].r)) >= 0)
                    in[v] = true;
        }
    }
    return in;
}

typedef struct {
    ref r;
    int rank; /* preference: lower first */
    double size;
} candidate;

static bool suppressible(const ng_dataset *ds, ref r)
{
    if (r.ti < 0)
        return !ds->values[r.vi].is_text && !ds->values[r.vi].suppressed;
    const ng_table *t = ds->tables[r.ti];
    const ng_cell *c = ref_cell(ds, r);
    return t->count_table && c->type == NG_CELL_NUM && !c->suppressed;
}

static int preference(const ng_dataset *ds, ref r)
{
    if (r.ti < 0)
        return 5;
    const ng_table *t = ds->tables[r.ti];
    const ng_cell *c = ref_cell(ds, r);
    bool total = (t->rows[r.row].flags & (NG_ROW_TOTAL | NG_ROW_SUBTOTAL)) != 0;
    if (total)
        return 4;
    if (c->rule.kind != NG_RULE_NONE)
        return 3;
    if (t->cols[r.col].persons)
        return c->num != 0 ? 0 : 2;
    return 1;
}

static int compare_candidates(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    if (x->r.ti != y->r.ti)
        return x->r.ti - y->r.ti;
    if (x->r.row != y->r.row)
        return x->r.row - y->r.row;
    return x->r.col != y->r.col ? x->r.col - y->r.col : x->r.vi - y->r.vi;
}

/* The published cells and values of the relations that can derive leak,
 * best first. */
static candidate *candidates_for(const linsys *s, ref leak, size_t *n)
{
    *n = 0;
    bool *used = NULL;
    bool *in = component(s, leak, &used);
    size_t cap = 0;
    candidate *out = NULL;
    for (size_t i = 0; in && i < s->nrels; i++) {
        if (!used[i])
            continue;
        for (int k = 0; k < s->rels[i].n; k++) {
            ref r = s->rels[i].terms[k].r;
            if (var_of(s, r) >= 0 || !suppressible(s->ds, r))
                continue;
            bool dup = false;
            for (size_t j = 0; j < *n && !dup; j++)
                dup = ref_eq(out[j].r, r);
            if (dup)
                continue;
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                candidate *more = realloc(out, cap * sizeof *more);
                if (!more)
                    break;
                out = more;
            }
            out[(*n)++] = (candidate){r, preference(s->ds, r), fabs(ref_value(s->ds, r))};
        }
    }
    free(in);
    free(used);
    if (*n > 1)
        qsort(out, *n, sizeof *out, compare_candidates);
    return out;
}

/* The cells suppressing r would hide: r, and for a person count the money
 * cells of its row that belong to it (as ng_suppress_cell does). */
static int hide_set(const ng_dataset *ds, ref r, ref *out, int max)
{
    if (r.ti < 0) {
        out[0] = r;
        return 1;
    }
    int cols[64];
    int n = ng_suppress_cells_with(ds->tables[r.ti], r.row, r.col, cols, 64);
    int k = 0;
    for (int i = 0; i < n && k < max; i++)
        out[k++] = (ref){r.ti, r.row, cols[i], -1};
    return k;
}

static void set_suppressed(ng_dataset *ds, ref r, bool on)
{
    if (r.ti >= 0)
        ds->tables[r.ti]->rows[r.row].cells[r.col].suppressed = on;
    else
        ds->values[r.vi].suppressed = on;
}

static bool is_suppressed(const ng_dataset *ds, ref r)
{
    return r.ti >= 0 ? ref_cell(ds, r)->suppressed : ds->values[r.vi].suppressed;
}

/* How good suppressing candidate r would be for leak: whether leak stays
 * derivable, and how many suppressed numbers would then be derivable. */
typedef struct {
    bool still;
    size_t leaks;
} score;

static bool score_candidate(ng_dataset *ds, ref r, ref leak, score *out)
{
    ref set[64];
    bool was[64];
    int n = hide_set(ds, r, set, 64);
    for (int i = 0; i < n; i++) {
        was[i] = is_suppressed(ds, set[i]);
        set_suppressed(ds, set[i], true);
    }
    ng_leaks l;
    ng_status st = ng_suppress_audit(ds, &l);
    out->leaks = l.n;
    out->still = false;
    for (size_t i = 0; i < l.n; i++) {
        ref x = {l.items[i].table ? table_index(ds, l.items[i].table) : -1, l.items[i].row,
                 l.items[i].col, l.items[i].value ? value_index(ds, l.items[i].value) : -1};
        out->still |= ref_eq(x, leak);
    }
    ng_leaks_free(&l);
    for (int i = 0; i < n; i++)
        set_suppressed(ds, set[i], was[i]);
    return st == NG_OK;
}

static bool better(score a, score b)
{
    if (a.still != b.still)
        return !a.still;
    return a.leaks < b.leaks;
}

static ng_status apply(ng_dataset *ds, ref r, const char *why)
{
    bool nomem = false;
    if (r.ti >= 0) {
        ng_suppress_cell(ds, ds->tables[r.ti], r.row, r.col, "revision", why, &nomem);
        return nomem ? NG_ERR_NOMEM : NG_OK;
    }
    ds->values[r.vi].suppressed = true;
    return ng_dataset_add_suppression(ds, NULL, 0, 0, ds->values[r.vi].name, "revision", why);
}

/* Suppresses one more cell (or value) for leak: of the published numbers
 * that can derive it, the one after which leak is underivable and the
 * fewest suppressed numbers are derivable; among equals the preferred one
 * (candidates_for's order: detail counts before money, totals and values;
 * the smallest first). */
static ng_status repair(ng_dataset *ds, const linsys *s, ref leak, ng_diags *diags)
{
    size_t n = 0;
    candidate *c = candidates_for(s, leak, &n);
    char what[256], why[400];
    describe(ds, leak, what, sizeof what);
    if (n == 0) {
        free(c);
        ng_error(diags, NULL, 0, 0,
                 "diskretionering: %s kan udledes af de offentliggjorte tal, og der er intet "
                 "andet tal at skjule; intet offentliggøres",
                 what);
        return NG_ERR_PRIVACY;
    }
    size_t pick = 0;
    score best = {true, (size_t)-1};
    ng_status st = NG_OK;
    for (size_t i = 0; i < n && i < 64 && st == NG_OK; i++) {
        score sc;
        if (!score_candidate(ds, c[i].r, leak, &sc))
            st = NG_ERR_INTERNAL;
        else if (better(sc, best)) {
            best = sc;
            pick = i;
        }
        if (!best.still && best.leaks == 0)
            break; /* nothing can do better, and the list is in preference order */
    }
    if (st == NG_OK) {
        snprintf(why, sizeof why, "ellers kunne %s udledes af de offentliggjorte tal", what);
        st = apply(ds, c[pick].r, why);
    }
    free(c);
    return st;
}

/* ---- the policy passes ------------------------------------------------------ */

/* Whether the ratio at (ti, r) reads a suppressed cell. */
static bool ratio_reads_suppressed(const ng_dataset *ds, int ti, const ng_cell *cell)
{
    for (int k = 0; k < cell->rule.nterms; k++) {
        ref x;
        if (term_ref(ds, ti, &cell->rule.terms[k], &x) && is_suppressed(ds, x))
            return true;
    }
    return false;
}

/* Whether the median at (ti, row, col) has a suppressed cell in its range:
 * it may be that cell itself (or half of it). */
static bool median_reads_suppressed(const ng_dataset *ds, int ti, int col, const ng_cell *cell)
{
    const ng_table *t = ds->tables[ti];
    for (int r = cell->rule.first_row; r <= cell->rule.last_row; r++)
        if (r >= 0 && r < t->nrows && t->rows[r].cells[col].suppressed)
            return true;
    return false;
}

/* The cell at (ti, r, c) is computed from a suppressed one in a way the
 * audit does not follow: a ratio in a detail row (the tables' own rule,
 * across tables as well), a median in any row. */
static const char *derived_reason(const ng_dataset *ds, int ti, int r, int c)
{
    const ng_table *t = ds->tables[ti];
    const ng_cell *cell = &t->rows[r].cells[c];
    if (cell->suppressed || cell->type != NG_CELL_NUM)
        return NULL;
    if (cell->rule.kind == NG_RULE_MEDIAN && median_reads_suppressed(ds, ti, c, cell))
        return "medianen kan være den diskretionerede celle selv";
    if (cell->rule.kind == NG_RULE_RATIO &&
        !(t->rows[r].flags & (NG_ROW_TOTAL | NG_ROW_SUBTOTAL)) &&
        ratio_reads_suppressed(ds, ti, cell))
        return "forholdstallet regnes af en diskretioneret celle";
    return NULL;
}

/* Suppresses every cell derived_reason names. */
static ng_status derived_pass(ng_dataset *ds, bool *changed)
{
    for (size_t ti = 0; ti < ds->ntables; ti++) {
        ng_table *t = ds->tables[ti];
        for (int r = 0; r < t->nrows; r++)
            for (int c = 0; c < t->ncols; c++) {
                const char *why = derived_reason(ds, (int)ti, r, c);
                if (!why)
                    continue;
                bool nomem = false;
                bool median = t->rows[r].cells[c].rule.kind == NG_RULE_MEDIAN;
                ng_suppress_cell(ds, t, r, c, median ? "median" : "forhold", why, &nomem);
                if (nomem)
                    return NG_ERR_NOMEM;
                *changed = true;
            }
    }
    return NG_OK;
}

ng_status ng_suppress_across_tables(ng_dataset *ds, int min_persons, ng_diags *diags)
{
    (void)min_persons;
    size_t before = ds->nsuppressions, limit = ds->nvalues + 1;
    for (size_t i = 0; i < ds->ntables; i++)
        limit += (size_t)ds->tables[i]->nrows * (size_t)ds->tables[i]->ncols;
    ng_status st = NG_OK;
    /* every round suppresses at least one more cell or value: it ends */
    for (size_t round = 0; round < limit && st == NG_OK; round++) {
        bool changed = false;
        /* a value reading a suppressed cell is suppressed with it */
        st = ng_dataset_propagate_suppression(ds);
        if (st == NG_OK)
            st = derived_pass(ds, &changed);
        if (st != NG_OK || changed)
            continue;
        linsys s;
        linsys_build(&s, ds);
        ref leak = {-1, 0, 0, -1};
        bool overflow = false;
        bool found = !s.nomem && first_leak(&s, &leak, &overflow);
        if (s.nomem)
            st = NG_ERR_NOMEM;
        else if (overflow)
            st = NG_ERR_INTERNAL;
        else if (found)
            st = repair(ds, &s, leak, diags);
        linsys_free(&s);
        if (!found && st == NG_OK)
            break;
    }
    /* the proof: nothing suppressed is derivable from all published numbers */
    ng_leaks leaks = {0};
    if (st == NG_OK && (st = ng_suppress_audit(ds, &leaks)) == NG_OK && leaks.n > 0) {
        char what[256];
        ref r = {leaks.items[0].table ? table_index(ds, leaks.items[0].table) : -1,
                 leaks.items[0].row, leaks.items[0].col,
                 leaks.items[0].value ? value_index(ds, leaks.items[0].value) : -1};
        describe(ds, r, what, sizeof what);
        ng_error(diags, NULL, 0, 0,
                 "diskretionering: %s (og %zu tal mere) kan stadig udledes af de "
                 "offentliggjorte tal; intet offentliggøres",
                 what, leaks.n - 1);
        st = NG_ERR_PRIVACY;
    }
    ng_leaks_free(&leaks);
    if (st == NG_ERR_INTERNAL)
        ng_error(diags, NULL, 0, 0,
                 "diskretioneringen kan ikke efterprøves (tallene bliver for store til den "
                 "eksakte regning); intet offentliggøres");
    size_t added = 0;
    for (size_t i = before; i < ds->nsuppressions; i++)
        added += !strcmp(ds->suppressions[i].reason, "revision");
    if (st == NG_OK && added > 0)
        ng_note(diags, "diskretionering", 0, 0,
                "%zu tal mere skjult på tværs af tabellerne, så ingen diskretioneret celle kan "
                "udledes af alle offentliggjorte tal tilsammen",
                added);
    return st;
}
