/* table.c -- the table model and the dataset (see table.h). */
#include "notatgen/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- units -------------------------------------------------------------- */

static const ng_unit_info unit_facts[] = {
    {NG_UNIT_TEXT, "tekst", "", "tekst", 1.0, 0, false, false, ""},
    {NG_UNIT_KR, "kr", "kr.", "kr.", 1.0, 0, true, true, "#,##0%s;-#,##0%s"},
    {NG_UNIT_TKR, "tkr", "1.000 kr.", "1.000 kr.", 1e3, 0, true, true, "#,##0%s;-#,##0%s"},
    {NG_UNIT_MIO, "mio", "mio. kr.", "mio. kr.", 1e6, 1, true, true, "#,##0%s;-#,##0%s"},
    {NG_UNIT_ANTAL, "antal", "antal", "antal", 1.0, 0, false, true, "#,##0%s;-#,##0%s"},
    {NG_UNIT_PCT, "pct", "pct.", "pct.", 0.01, 0, false, false, "0%s%%"},
    {NG_UNIT_AAR, "aar", "år", "år", 1.0, 0, false, false, "0"},
    {NG_UNIT_DATO, "dato", "dato", "dato", 1.0, 0, false, false, "dd-mm-yyyy"},
};

const ng_unit_info *ng_unit_facts(ng_unit unit)
{
    for (size_t i = 0; i < sizeof unit_facts / sizeof *unit_facts; i++)
        if (unit_facts[i].unit == unit)
            return &unit_facts[i];
    return &unit_facts[0];
}

const char *ng_unit_label(ng_unit unit)
{
    return ng_unit_facts(unit)->label;
}

const char *ng_unit_key(ng_unit unit)
{
    return ng_unit_facts(unit)->key;
}

bool ng_unit_compatible(ng_unit a, ng_unit b)
{
    return a == b || (ng_unit_facts(a)->money && ng_unit_facts(b)->money);
}

static int default_decimals(ng_unit unit)
{
    return ng_unit_facts(unit)->decimals;
}

char *ng_format_value(ng_unit unit, int decimals, double v, char *buf, size_t size)
{
    switch (unit) {
    case NG_UNIT_KR:
        return ng_fmt_dec(buf, size, v, decimals);
    case NG_UNIT_TKR:
        return ng_fmt_dec(buf, size, v / 1e3, decimals);
    case NG_UNIT_MIO:
        return ng_fmt_dec(buf, size, v / 1e6, decimals);
    case NG_UNIT_PCT:
        return ng_fmt_pct(buf, size, v, decimals);
    case NG_UNIT_AAR:
        snprintf(buf, size, "%.0f", v);
        return buf;
    case NG_UNIT_DATO:
        return ng_fmt_date_short(buf, size, ng_date_from_days((long)floor(v + 0.5)));
    case NG_UNIT_ANTAL:
    case NG_UNIT_TEXT:
    default:
        return ng_fmt_dec(buf, size, v, decimals);
    }
}

/* ---- tables ------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The first error of a table sticks (table.h). */
static void fail_table(ng_table *t, ng_status st)
{
    if (t->status == NG_OK)
        t->status = st;
}

static void replace_string(ng_table *t, char **field, const char *value)
{
    char *copy = dup_or_null(value);
    if (value && !copy) {
        fail_table(t, NG_ERR_NOMEM);
        return;
    }
    free(*field);
    *field = copy;
}

ng_status ng_table_status(const ng_table *t)
{
    return t ? t->status : NG_ERR_NOMEM;
}

ng_table *ng_table_new(const char *name, const char *title)
{
    ng_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->name = strdup(name);
    t->title = dup_or_null(title);
    if (!t->name || (title && !t->title)) {
        ng_table_free(t);
        return NULL;
    }
    return t;
}

static void free_cell(ng_cell *c)
{
    free(c->text);
    for (int i = 0; c->rule.terms && i < c->rule.nterms; i++)
        free((char *)c->rule.terms[i].table);
    free(c->rule.terms);
    memset(c, 0, sizeof *c);
}

void ng_table_free(ng_table *t)
{
    if (!t)
        return;
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++)
            free_cell(&t->rows[r].cells[c]);
        free(t->rows[r].cells);
        free(t->rows[r].key);
    }
    free(t->rows);
    for (int c = 0; c < t->ncols; c++) {
        free(t->cols[c].key);
        free(t->cols[c].label);
        free(t->cols[c].group);
    }
    free(t->cols);
    free(t->name);
    free(t->title);
    free(t->source);
    free(t->note);
    free(t);
}

void ng_table_set_source(ng_table *t, const char *source)
{
    replace_string(t, &t->source, source);
}

void ng_table_set_note(ng_table *t, const char *note)
{
    replace_string(t, &t->note, note);
}

static int add_column(ng_table *t, const char *key, const char *label, ng_unit unit)
{
    if (t->status != NG_OK)
        return -1;
    if (t->ncols == t->caps_cols) {
        int caps = t->caps_cols ? t->caps_cols * 2 : 8;
        ng_column *cols = realloc(t->cols, (size_t)caps * sizeof *cols);
        if (!cols)
            return -1;
        t->cols = cols;
        t->caps_cols = caps;
    }
    /* existing rows grow by one empty cell */
    for (int r = 0; r < t->nrows; r++) {
        ng_cell *cells = realloc(t->rows[r].cells, (size_t)(t->ncols + 1) * sizeof *cells);
        if (!cells)
            return -1;
        memset(&cells[t->ncols], 0, sizeof *cells);
        t->rows[r].cells = cells;
    }
    ng_column *col = &t->cols[t->ncols];
    memset(col, 0, sizeof *col);
    col->key = strdup(key);
    col->label = strdup(label ? label : key);
    col->unit = unit;
    col->decimals = default_decimals(unit);
    if (!col->key || !col->label) {
        free(col->key);
        free(col->label);
        return -1;
    }
    return t->ncols++;
}

int ng_table_add_column(ng_table *t, const char *key, const char *label, ng_unit unit)
{
    int c = add_column(t, key, label, unit);
    if (c < 0)
        fail_table(t, NG_ERR_NOMEM);
    return c;
}

int ng_table_add_year_columns(ng_table *t, const int *years, int nyears, ng_unit unit)
{
    int first = -1;
    for (int y = 0; y < nyears; y++) {
        char key[16];
        snprintf(key, sizeof key, "%d", years[y]);
        int c = ng_table_add_column(t, key, key, unit);
        if (c < 0)
            return -1;
        if (first < 0)
            first = c;
    }
    return first;
}

void ng_table_set_column_group(ng_table *t, int col, const char *group)
{
    if (col >= 0 && col < t->ncols)
        replace_string(t, &t->cols[col].group, group);
    else
        fail_table(t, NG_ERR_INTERNAL);
}

static int add_row(ng_table *t, const char *key, unsigned flags)
{
    if (t->status != NG_OK)
        return -1;
    if (t->nrows == t->caps_rows) {
        int caps = t->caps_rows ? t->caps_rows * 2 : 16;
        ng_row *rows = realloc(t->rows, (size_t)caps * sizeof *rows);
        if (!rows)
            return -1;
        t->rows = rows;
        t->caps_rows = caps;
    }
    ng_row *row = &t->rows[t->nrows];
    row->key = dup_or_null(key);
    row->flags = flags;
    row->unit = NG_UNIT_TEXT;
    row->decimals = 0;
    row->cells = calloc((size_t)(t->ncols ? t->ncols : 1), sizeof *row->cells);
    if (!row->cells || (key && !row->key)) {
        free(row->cells);
        free(row->key);
        return -1;
    }
    return t->nrows++;
}

int ng_table_add_row(ng_table *t, const char *key, unsigned flags)
{
    int r = add_row(t, key, flags);
    if (r < 0)
        fail_table(t, NG_ERR_NOMEM);
    return r;
}

/* The cell a write goes to; NULL (and the table's status set) when the
 * table has failed already or the cell is outside it. */
static ng_cell *cell_at(ng_table *t, int row, int col)
{
    if (t->status != NG_OK)
        return NULL;
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols) {
        fail_table(t, NG_ERR_INTERNAL);
        return NULL;
    }
    return &t->rows[row].cells[col];
}

void ng_table_set_num(ng_table *t, int row, int col, double v)
{
    ng_cell *c = cell_at(t, row, col);
    if (!c)
        return;
    free_cell(c);
    c->type = NG_CELL_NUM;
    c->num = v;
}

void ng_table_set_text(ng_table *t, int row, int col, const char *s)
{
    ng_cell *c = cell_at(t, row, col);
    if (!c)
        return;
    free_cell(c);
    c->text = dup_or_null(s);
    c->type = c->text ? NG_CELL_TEXT : NG_CELL_EMPTY;
    if (s && !c->text)
        fail_table(t, NG_ERR_NOMEM);
}

void ng_table_set_empty(ng_table *t, int row, int col)
{
    ng_cell *c = cell_at(t, row, col);
    if (c)
        free_cell(c);
}

/* Copies rule into c (its terms and their table names). false on out of
 * memory, leaving c empty. */
static bool copy_rule(ng_cell *c, const ng_rule *rule)
{
    free_cell(c);
    c->type = NG_CELL_NUM;
    c->rule = *rule;
    c->rule.terms = NULL;
    c->rule.nterms = 0;
    if (ng_rule_is_range(rule->kind))
        return true;
    int n = rule->nterms;
    c->rule.terms = calloc((size_t)(n > 0 ? n : 1), sizeof(ng_term));
    if (!c->rule.terms) {
        free_cell(c);
        return false;
    }
    /* The rule owns its table names: each copied as it is taken over, so a
     * failed copy leaves a rule free_cell can free. */
    for (int i = 0; i < n; i++) {
        c->rule.terms[i] = rule->terms[i];
        c->rule.terms[i].table = NULL;
        c->rule.nterms = i + 1;
        if (rule->terms[i].table && !(c->rule.terms[i].table = strdup(rule->terms[i].table))) {
            free_cell(c);
            return false;
        }
    }
    return true;
}

bool ng_rule_is_range(ng_rule_kind kind)
{
    return kind == NG_RULE_SUM || kind == NG_RULE_AVERAGE || kind == NG_RULE_MEDIAN;
}

static bool rule_well_formed(const ng_rule *r)
{
    switch (r->kind) {
    case NG_RULE_SUM:
        return true; /* first > last is an empty range: 0 */
    case NG_RULE_AVERAGE:
    case NG_RULE_MEDIAN:
        return r->first_row <= r->last_row;
    case NG_RULE_LINEAR:
        return r->nterms >= 0 && (r->nterms == 0 || r->terms);
    case NG_RULE_RATIO:
        return r->terms && r->nnum >= 0 && r->nnum < r->nterms && r->root >= 0;
    case NG_RULE_PRODUCT:
        return r->terms && r->nterms > 0;
    case NG_RULE_NONE:
    default:
        return false;
    }
}

void ng_table_set_rule(ng_table *t, int row, int col, const ng_rule *rule)
{
    ng_cell *c = cell_at(t, row, col);
    if (!c)
        return;
    if (!rule_well_formed(rule))
        fail_table(t, NG_ERR_INTERNAL);
    else if (!copy_rule(c, rule))
        fail_table(t, NG_ERR_NOMEM);
}

void ng_table_rule_sum(ng_table *t, int row, int col, int first_row, int last_row)
{
    ng_rule r = {.kind = NG_RULE_SUM, .first_row = first_row, .last_row = last_row};
    ng_table_set_rule(t, row, col, &r);
}

void ng_table_rule_average(ng_table *t, int row, int col, int first_row, int last_row)
{
    ng_rule r = {.kind = NG_RULE_AVERAGE, .first_row = first_row, .last_row = last_row};
    ng_table_set_rule(t, row, col, &r);
}

void ng_table_rule_median(ng_table *t, int row, int col, int first_row, int last_row)
{
    ng_rule r = {.kind = NG_RULE_MEDIAN, .first_row = first_row, .last_row = last_row};
    ng_table_set_rule(t, row, col, &r);
}

void ng_table_rule_linear(ng_table *t, int row, int col, const ng_term *terms, int nterms)
{
    ng_rule r = {.kind = NG_RULE_LINEAR, .terms = (ng_term *)terms, .nterms = nterms};
    ng_table_set_rule(t, row, col, &r);
}

void ng_table_rule_ratio(ng_table *t, int row, int col, const ng_term *num, int nnum,
                         const ng_term *den, int nden)
{
    ng_term terms[64];
    if (nnum < 0 || nden < 1 || nnum + nden > 64) {
        fail_table(t, NG_ERR_INTERNAL);
        return;
    }
    memcpy(terms, num, (size_t)nnum * sizeof *terms);
    memcpy(terms + nnum, den, (size_t)nden * sizeof *terms);
    ng_rule r = {.kind = NG_RULE_RATIO, .terms = terms, .nterms = nnum + nden, .nnum = nnum};
    ng_table_set_rule(t, row, col, &r);
}

int ng_table_add_total_row(ng_table *t, const char *key, const char *label, int label_col,
                           int first_row, int last_row)
{
    int row = ng_table_add_row(t, key, NG_ROW_TOTAL);
    if (row < 0)
        return -1;
    for (int c = 0; c < t->ncols; c++) {
        if (c == label_col)
            ng_table_set_text(t, row, c, label);
        else if (ng_unit_facts(t->cols[c].unit)->summable)
            ng_table_rule_sum(t, row, c, first_row, last_row);
    }
    return row;
}

/* ---- evaluation --------------------------------------------------------- */

enum { UNVISITED = 0, VISITING, DONE };

typedef struct {
    ng_table *t;
    const ng_dataset *ds; /* for terms naming another table; may be NULL */
    unsigned char *state; /* per cell */
} evaluator;

static ng_status eval_cell(evaluator *ev, int row, int col, double *out, bool *empty);

static ng_status eval_ref(evaluator *ev, int row, int col, double *out, bool *empty)
{
    if (row < 0 || row >= ev->t->nrows || col < 0 || col >= ev->t->ncols)
        return NG_ERR_INTERNAL;
    return eval_cell(ev, row, col, out, empty);
}

/* A cell of another table: evaluated before this one was (the dataset holds
 * only evaluated tables), so its value is read, not computed. */
static ng_status other_ref(const evaluator *ev, const ng_term *term, double *out, bool *empty)
{
    const ng_table *o = ev->ds ? ng_dataset_table(ev->ds, term->table) : NULL;
    if (!o || o == ev->t || term->row < 0 || term->row >= o->nrows || term->col < 0 ||
        term->col >= o->ncols)
        return NG_ERR_INTERNAL;
    const ng_cell *c = &o->rows[term->row].cells[term->col];
    *empty = c->type != NG_CELL_NUM;
    *out = c->type == NG_CELL_NUM ? c->num : 0;
    return NG_OK;
}

static ng_status eval_terms(evaluator *ev, const ng_term *terms, int n, double *sum)
{
    *sum = 0;
    for (int i = 0; i < n; i++) {
        double v;
        bool empty;
        ng_status st = terms[i].table ? other_ref(ev, &terms[i], &v, &empty)
                                      : eval_ref(ev, terms[i].row, terms[i].col, &v, &empty);
        if (st != NG_OK)
            return st;
        if (!empty)
            *sum += terms[i].coef * v;
    }
    return NG_OK;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The numbers of rows first..last of col (empty cells left out) into an
 * array the caller frees; *n their count. */
static ng_status range_values(evaluator *ev, int row, int col, const ng_rule *rule, double **vals,
                              int *n)
{
    int cap = rule->last_row - rule->first_row + 1;
    *n = 0;
    *vals = malloc((size_t)(cap > 0 ? cap : 1) * sizeof **vals);
    if (!*vals)
        return NG_ERR_NOMEM;
    for (int r = rule->first_row; r <= rule->last_row; r++) {
        double v;
        bool e;
        ng_status st = r == row ? NG_ERR_INTERNAL : eval_ref(ev, r, col, &v, &e);
        if (st != NG_OK) {
            free(*vals);
            *vals = NULL;
            return st;
        }
        if (!e)
            (*vals)[(*n)++] = v;
    }
    return NG_OK;
}

/* SUM, AVERAGE or MEDIAN over the range; the last two are empty without numbers. */
static ng_status eval_range(evaluator *ev, int row, int col, const ng_rule *rule, double *out,
                            bool *empty)
{
    double *vals;
    int n;
    ng_status st = range_values(ev, row, col, rule, &vals, &n);
    if (st != NG_OK)
        return st;
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += vals[i];
    *out = sum;
    if (rule->kind != NG_RULE_SUM && n == 0) {
        *empty = true;
        *out = 0;
    } else if (rule->kind == NG_RULE_AVERAGE) {
        *out = sum / n;
    } else if (rule->kind == NG_RULE_MEDIAN) {
        qsort(vals, (size_t)n, sizeof *vals, compare_doubles);
        *out = n % 2 ? vals[n / 2] : (vals[n / 2 - 1] + vals[n / 2]) / 2;
    }
    free(vals);
    return NG_OK;
}

static ng_status eval_rule(evaluator *ev, int row, int col, const ng_rule *rule, double *out,
                           bool *empty)
{
    *empty = false;
    switch (rule->kind) {
    case NG_RULE_SUM:
    case NG_RULE_AVERAGE:
    case NG_RULE_MEDIAN:
        return eval_range(ev, row, col, rule, out, empty);
    case NG_RULE_LINEAR: {
        ng_status st = eval_terms(ev, rule->terms, rule->nterms, out);
        *out += rule->constant;
        return st;
    }
    case NG_RULE_RATIO: {
        double num, den;
        ng_status st = eval_terms(ev, rule->terms, rule->nnum, &num);
        if (st == NG_OK)
            st = eval_terms(ev, rule->terms + rule->nnum, rule->nterms - rule->nnum, &den);
        if (st != NG_OK)
            return st;
        double q = den != 0 ? num / den : 0;
        /* a root of a negative quotient has no real value: shown blank */
        if (den == 0 || (rule->root > 1 && q < 0)) {
            *empty = true;
            *out = 0;
            return NG_OK;
        }
        *out = (rule->root > 1 ? pow(q, 1.0 / rule->root) : q) + rule->constant;
        return NG_OK;
    }
    case NG_RULE_PRODUCT: {
        double product = 1;
        for (int i = 0; i < rule->nterms; i++) {
            double v;
            ng_status st = eval_terms(ev, &rule->terms[i], 1, &v);
            if (st != NG_OK)
                return st;
            product *= v;
        }
        *out = product;
        return NG_OK;
    }
    case NG_RULE_NONE:
    default:
        return NG_ERR_INTERNAL;
    }
}

static ng_status eval_cell(evaluator *ev, int row, int col, double *out, bool *empty)
{
    ng_cell *c = &ev->t->rows[row].cells[col];
    size_t idx = (size_t)row * (size_t)ev->t->ncols + (size_t)col;
    if (c->rule.kind == NG_RULE_NONE || ev->state[idx] == DONE) {
        *empty = c->type != NG_CELL_NUM;
        *out = c->type == NG_CELL_NUM ? c->num : 0;
        return NG_OK;
    }
    if (ev->state[idx] == VISITING)
        return NG_ERR_INTERNAL; /* a cycle */
    ev->state[idx] = VISITING;
    bool is_empty;
    double v;
    ng_status st = eval_rule(ev, row, col, &c->rule, &v, &is_empty);
    if (st != NG_OK)
        return st;
    /* an empty ratio stays a rule cell; its value is shown blank */
    c->num = is_empty ? 0 : v;
    c->type = is_empty ? NG_CELL_EMPTY : NG_CELL_NUM;
    ev->state[idx] = DONE;
    *out = c->num;
    *empty = is_empty;
    return NG_OK;
}

ng_status ng_table_evaluate(ng_table *t)
{
    return ng_table_evaluate_in(t, NULL);
}

ng_status ng_table_evaluate_in(ng_table *t, const ng_dataset *ds)
{
    size_t n = (size_t)t->nrows * (size_t)(t->ncols ? t->ncols : 1);
    evaluator ev = {t, ds, calloc(n ? n : 1, 1)};
    if (!ev.state)
        return NG_ERR_NOMEM;
    ng_status st = NG_OK;
    for (int r = 0; r < t->nrows && st == NG_OK; r++)
        for (int c = 0; c < t->ncols && st == NG_OK; c++) {
            double v;
            bool empty;
            st = eval_cell(&ev, r, c, &v, &empty);
        }
    free(ev.state);
    return st;
}

ng_table *ng_table_visible_copy(const ng_table *t)
{
    ng_table *v = ng_table_new(t->name, t->title);
    if (!v)
        return NULL;
    ng_table_set_source(v, t->source);
    ng_table_set_note(v, t->note);
    v->count_table = t->count_table;
    int map[256];
    int n = 0;
    for (int c = 0; c < t->ncols && n < 256; c++) {
        if (t->cols[c].hidden)
            continue;
        int vc = ng_table_add_column(v, t->cols[c].key, t->cols[c].label, t->cols[c].unit);
        if (vc < 0)
            goto fail;
        v->cols[vc].decimals = t->cols[c].decimals;
        v->cols[vc].persons = t->cols[c].persons;
        ng_table_set_column_group(v, vc, t->cols[c].group);
        map[n++] = c;
    }
    for (int r = 0; r < t->nrows; r++) {
        int vr = ng_table_add_row(v, t->rows[r].key, t->rows[r].flags);
        if (vr < 0)
            goto fail;
        v->rows[vr].unit = t->rows[r].unit;
        v->rows[vr].decimals = t->rows[r].decimals;
        for (int vc = 0; vc < n; vc++) {
            const ng_cell *src = &t->rows[r].cells[map[vc]];
            if (src->type == NG_CELL_NUM)
                ng_table_set_num(v, vr, vc, src->num);
            else if (src->type == NG_CELL_TEXT)
                ng_table_set_text(v, vr, vc, src->text);
            v->rows[vr].cells[vc].suppressed = src->suppressed;
        }
    }
    return v;
fail:
    ng_table_free(v);
    return NULL;
}

int ng_table_col(const ng_table *t, const char *key)
{
    for (int c = 0; c < t->ncols; c++)
        if (!strcmp(t->cols[c].key, key))
            return c;
    return -1;
}

int ng_table_row(const ng_table *t, const char *key)
{
    for (int r = 0; r < t->nrows; r++)
        if (t->rows[r].key && !strcmp(t->rows[r].key, key))
            return r;
    return -1;
}

const ng_cell *ng_table_cell(const ng_table *t, int row, int col)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return NULL;
    return &t->rows[row].cells[col];
}

void ng_table_set_row_unit(ng_table *t, int row, ng_unit unit)
{
    if (row < 0 || row >= t->nrows)
        return;
    t->rows[row].unit = unit;
    t->rows[row].decimals = default_decimals(unit);
}

ng_unit ng_table_cell_unit(const ng_table *t, int row, int col)
{
    if (row >= 0 && row < t->nrows && t->rows[row].unit != NG_UNIT_TEXT)
        return t->rows[row].unit;
    return col >= 0 && col < t->ncols ? t->cols[col].unit : NG_UNIT_TEXT;
}

int ng_table_cell_decimals(const ng_table *t, int row, int col)
{
    if (row >= 0 && row < t->nrows && t->rows[row].unit != NG_UNIT_TEXT)
        return t->rows[row].decimals;
    return col >= 0 && col < t->ncols ? t->cols[col].decimals : 0;
}

char *ng_table_format_cell(const ng_table *t, int row, int col, char *buf, size_t size)
{
    const ng_cell *c = ng_table_cell(t, row, col);
    if (!c || size == 0) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    if (c->suppressed) {
        snprintf(buf, size, "%s", "\xE2\x80\x93"); /* – */
        return buf;
    }
    switch (c->type) {
    case NG_CELL_TEXT:
        snprintf(buf, size, "%s", c->text);
        return buf;
    case NG_CELL_NUM:
        return ng_format_value(ng_table_cell_unit(t, row, col), ng_table_cell_decimals(t, row, col),
                               c->num, buf, size);
    case NG_CELL_EMPTY:
    default:
        buf[0] = '\0';
        return buf;
    }
}

/* ---- the dataset -------------------------------------------------------- */

void ng_dataset_init(ng_dataset *ds)
{
    memset(ds, 0, sizeof *ds);
}

static void free_rule(ng_rule *r)
{
    for (int i = 0; r->terms && i < r->nterms; i++)
        free((char *)r->terms[i].table);
    free(r->terms);
    memset(r, 0, sizeof *r);
}

static void free_value(ng_value *v)
{
    free(v->name);
    free(v->text);
    free(v->description);
    free_rule(&v->rule);
}

static void free_figure(ng_figure *f)
{
    free(f->name);
    free(f->table);
    free(f->title);
    free(f->y_title);
    free(f->series);
    free(f->cats);
}

static void free_identity(ng_identity *id)
{
    for (int i = 0; i < id->nterms; i++)
        free((char *)id->terms[i].table);
    free(id->terms);
    free(id->value);
}

static void free_suppression(ng_suppression *s)
{
    free(s->table);
    free(s->value);
    free(s->reason);
    free(s->why);
}

void ng_dataset_free(ng_dataset *ds)
{
    for (size_t i = 0; i < ds->nidentities; i++)
        free_identity(&ds->identities[i]);
    free(ds->identities);
    for (size_t i = 0; i < ds->nsuppressions; i++)
        free_suppression(&ds->suppressions[i]);
    free(ds->suppressions);
    for (size_t i = 0; i < ds->ntables; i++)
        ng_table_free(ds->tables[i]);
    free(ds->tables);
    for (size_t i = 0; i < ds->nvalues; i++)
        free_value(&ds->values[i]);
    free(ds->values);
    for (size_t i = 0; i < ds->nfigures; i++)
        free_figure(&ds->figures[i]);
    free(ds->figures);
    free(ds->kommune);
    free(ds->kommunekode);
    memset(ds, 0, sizeof *ds);
}

/* Grows an array of elem_size elements to hold one more. */
static bool grow(void **items, size_t count, size_t *caps, size_t elem_size)
{
    if (count < *caps)
        return true;
    size_t caps_new = *caps ? *caps * 2 : 16;
    void *p = realloc(*items, caps_new * elem_size);
    if (!p)
        return false;
    *items = p;
    *caps = caps_new;
    return true;
}

ng_status ng_dataset_add_table(ng_dataset *ds, ng_table *t)
{
    if (!t)
        return NG_ERR_NOMEM;
    if (t->status != NG_OK) {
        ng_status st = t->status;
        ng_table_free(t);
        return st;
    }
    for (size_t i = 0; i < ds->ntables; i++) {
        if (!strcmp(ds->tables[i]->name, t->name)) {
            ng_table_free(ds->tables[i]);
            ds->tables[i] = t;
            return NG_OK;
        }
    }
    if (!grow((void **)&ds->tables, ds->ntables, &ds->caps_tables, sizeof *ds->tables)) {
        ng_table_free(t);
        return NG_ERR_NOMEM;
    }
    ds->tables[ds->ntables++] = t;
    return NG_OK;
}

ng_status ng_dataset_add_evaluated(ng_dataset *ds, ng_table *t)
{
    ng_status st = ng_table_status(t);
    if (st == NG_OK)
        st = ng_table_evaluate_in(t, ds);
    if (st != NG_OK) {
        ng_table_free(t);
        return st;
    }
    return ng_dataset_add_table(ds, t);
}

ng_table *ng_dataset_table(const ng_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->ntables; i++)
        if (!strcmp(ds->tables[i]->name, name))
            return ds->tables[i];
    return NULL;
}

static ng_status fail_dataset(ng_dataset *ds, ng_status st)
{
    if (ds->status == NG_OK)
        ds->status = st;
    return st;
}

/* Returns the value slot for name, emptied, adding one when new. */
static ng_value *value_slot(ng_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->nvalues; i++) {
        ng_value *v = &ds->values[i];
        if (!strcmp(v->name, name)) {
            free(v->text);
            free(v->description);
            free_rule(&v->rule);
            v->text = v->description = NULL;
            v->suppressed = false;
            v->has_decimals = false;
            return v;
        }
    }
    if (!grow((void **)&ds->values, ds->nvalues, &ds->caps_values, sizeof *ds->values))
        return NULL;
    ng_value *v = &ds->values[ds->nvalues];
    memset(v, 0, sizeof *v);
    v->name = strdup(name);
    if (!v->name)
        return NULL;
    ds->nvalues++;
    return v;
}

ng_status ng_dataset_set_num(ng_dataset *ds, const char *name, ng_unit unit, double v)
{
    ng_value *slot = value_slot(ds, name);
    if (!slot)
        return fail_dataset(ds, NG_ERR_NOMEM);
    slot->unit = unit;
    slot->is_text = false;
    slot->num = v;
    return NG_OK;
}

ng_status ng_dataset_set_text(ng_dataset *ds, const char *name, const char *text)
{
    ng_value *slot = value_slot(ds, name);
    if (!slot)
        return fail_dataset(ds, NG_ERR_NOMEM);
    slot->unit = NG_UNIT_TEXT;
    slot->is_text = true;
    slot->num = 0;
    slot->text = strdup(text ? text : "");
    return slot->text ? NG_OK : fail_dataset(ds, NG_ERR_NOMEM);
}

ng_term ng_dataset_term(ng_dataset *ds, const char *table, const char *row_key, const char *col_key,
                        double coef)
{
    ng_term term = {-1, -1, coef, table};
    const ng_table *t = ng_dataset_table(ds, table);
    if (t) {
        term.row = ng_table_row(t, row_key);
        term.col = ng_table_col(t, col_key);
    }
    if (term.row < 0 || term.col < 0)
        fail_dataset(ds, NG_ERR_INTERNAL);
    return term;
}

static long value_index(const ng_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->nvalues; i++)
        if (!strcmp(ds->values[i].name, name))
            return (long)i;
    return -1;
}

ng_term ng_dataset_value_term(ng_dataset *ds, const char *value, double coef)
{
    long i = value_index(ds, value);
    if (i < 0)
        fail_dataset(ds, NG_ERR_INTERNAL);
    return (ng_term){(int)i, NG_VALUES_COL, coef, NG_VALUES_TABLE};
}

/* The cell a value term reads: a table's cell, or another value (as a cell
 * of the key-figures table). NULL when it does not exist. */
static const ng_table *term_table(const ng_dataset *ds, const ng_term *term)
{
    return term->table ? ng_dataset_table(ds, term->table) : NULL;
}

static bool read_term(const ng_dataset *ds, const ng_term *term, double *v, bool *empty,
                      bool *suppressed, ng_unit *unit)
{
    if (term->table && !strcmp(term->table, NG_VALUES_TABLE)) {
        if (term->row < 0 || (size_t)term->row >= ds->nvalues)
            return false;
        const ng_value *o = &ds->values[term->row];
        *v = o->num;
        *empty = o->is_text;
        *suppressed = o->suppressed;
        *unit = o->unit;
        return true;
    }
    const ng_table *t = term_table(ds, term);
    const ng_cell *c = t ? ng_table_cell(t, term->row, term->col) : NULL;
    if (!c)
        return false;
    *v = c->type == NG_CELL_NUM ? c->num : 0;
    *empty = c->type != NG_CELL_NUM;
    *suppressed = c->suppressed;
    *unit = ng_table_cell_unit(t, term->row, term->col);
    return true;
}

/* A value rule over the dataset's cells, as a one-row table rule: the
 * terms' values go into a scratch table whose cell the rule then reads. */
static ng_status eval_value_rule(const ng_dataset *ds, const ng_rule *rule, double *out,
                                 bool *empty, bool *suppressed)
{
    ng_table *scratch = ng_table_new("scratch", NULL);
    ng_status st = scratch ? NG_OK : NG_ERR_NOMEM;
    int r = scratch ? ng_table_add_row(scratch, NULL, 0) : -1;
    for (int i = 0; st == NG_OK && i <= rule->nterms; i++)
        if (ng_table_add_column(scratch, "c", NULL, NG_UNIT_KR) < 0)
            st = NG_ERR_NOMEM;
    ng_term local[64];
    if (st == NG_OK && rule->nterms > 64)
        st = NG_ERR_INTERNAL;
    *suppressed = false;
    for (int i = 0; st == NG_OK && i < rule->nterms; i++) {
        double v;
        bool e, s;
        ng_unit u;
        if (!read_term(ds, &rule->terms[i], &v, &e, &s, &u)) {
            st = NG_ERR_INTERNAL;
            break;
        }
        *suppressed |= s;
        if (!e)
            ng_table_set_num(scratch, r, i, v);
        local[i] = (ng_term){r, i, rule->terms[i].coef, NULL};
    }
    if (st == NG_OK) {
        ng_rule copy = *rule;
        copy.terms = local;
        ng_table_set_rule(scratch, r, rule->nterms, &copy);
        st = ng_table_evaluate(scratch);
    }
    if (st == NG_OK) {
        const ng_cell *c = ng_table_cell(scratch, r, rule->nterms);
        *empty = c->type != NG_CELL_NUM;
        *out = *empty ? 0 : c->num;
    }
    ng_table_free(scratch);
    return st;
}

static ng_status set_value_rule(ng_dataset *ds, const char *name, ng_unit unit, const ng_rule *rule)
{
    if (ds->status != NG_OK)
        return ds->status;
    if (ng_rule_is_range(rule->kind) || rule->kind == NG_RULE_NONE || !rule_well_formed(rule))
        return fail_dataset(ds, NG_ERR_INTERNAL);
    double v = 0;
    bool empty = false, suppressed = false;
    ng_status st = eval_value_rule(ds, rule, &v, &empty, &suppressed);
    if (st != NG_OK)
        return fail_dataset(ds, st);
    ng_value *slot = value_slot(ds, name);
    ng_cell holder;
    memset(&holder, 0, sizeof holder);
    if (!slot || !copy_rule(&holder, rule))
        return fail_dataset(ds, NG_ERR_NOMEM);
    slot->rule = holder.rule;
    slot->unit = unit;
    slot->is_text = false;
    slot->num = v;
    /* an empty result (a ratio over nothing) holds 0 */
    slot->suppressed = suppressed;
    (void)empty;
    return NG_OK;
}

ng_status ng_dataset_set_rule(ng_dataset *ds, const char *name, ng_unit unit, const ng_rule *rule)
{
    return set_value_rule(ds, name, unit, rule);
}

ng_status ng_dataset_set_ref(ng_dataset *ds, const char *name, const char *table,
                             const char *row_key, const char *col_key)
{
    ng_term term = ng_dataset_term(ds, table, row_key, col_key, 1.0);
    if (ds->status != NG_OK)
        return ds->status;
    double v;
    bool empty, suppressed;
    ng_unit unit;
    if (!read_term(ds, &term, &v, &empty, &suppressed, &unit))
        return fail_dataset(ds, NG_ERR_INTERNAL);
    ng_rule rule = {.kind = NG_RULE_LINEAR, .terms = &term, .nterms = 1};
    ng_status st = set_value_rule(ds, name, unit, &rule);
    long i = st == NG_OK ? value_index(ds, name) : -1;
    ng_value *set = i >= 0 ? &ds->values[i] : NULL;
    const ng_table *t = term_table(ds, &term);
    if (set && t) {
        set->has_decimals = true;
        set->decimals = ng_table_cell_decimals(t, term.row, term.col);
    }
    return st;
}

const ng_value *ng_dataset_value(const ng_dataset *ds, const char *name)
{
    long i = value_index(ds, name);
    return i < 0 ? NULL : &ds->values[i];
}

ng_status ng_dataset_propagate_suppression(ng_dataset *ds)
{
    /* values come in the order they were set, and a value term reads only
     * an earlier value, so one pass in order suffices */
    for (size_t i = 0; i < ds->nvalues; i++) {
        ng_value *v = &ds->values[i];
        for (int k = 0; k < v->rule.nterms && !v->suppressed; k++) {
            double x;
            bool empty, suppressed;
            ng_unit unit;
            if (read_term(ds, &v->rule.terms[k], &x, &empty, &suppressed, &unit) && suppressed)
                v->suppressed = true;
        }
    }
    return NG_OK;
}

ng_table *ng_dataset_values_table(const ng_dataset *ds)
{
    ng_table *t = ng_table_new(NG_VALUES_TABLE, "Nøgletal i notaterne");
    if (!t)
        return NULL;
    ng_table_set_source(t, "Kilde: tabellerne i bilaget; hvert tal er en formel, der peger på "
                           "tabellens celle");
    int c_name = ng_table_add_column(t, "navn", "Navn", NG_UNIT_TEXT);
    int c_desc = ng_table_add_column(t, "beskrivelse", "Nøgletal", NG_UNIT_TEXT);
    int c_val = ng_table_add_column(t, "vaerdi", "Værdi", NG_UNIT_ANTAL);
    if (c_name >= 0)
        t->cols[c_name].hidden = true;
    for (size_t i = 0; i < ds->nvalues && t->status == NG_OK; i++) {
        const ng_value *v = &ds->values[i];
        int r = ng_table_add_row(t, v->name, 0);
        ng_table_set_text(t, r, c_name, v->name);
        ng_table_set_text(t, r, c_desc, v->description ? v->description : v->name);
        if (r < 0)
            break;
        ng_table_set_row_unit(t, r, v->is_text ? NG_UNIT_TEXT : v->unit);
        if (v->has_decimals && !v->is_text)
            t->rows[r].decimals = v->decimals;
        if (v->is_text) {
            ng_table_set_text(t, r, c_val, v->text);
            continue;
        }
        if (v->rule.kind != NG_RULE_NONE) {
            /* value terms become terms of this table's own rows */
            ng_rule rule = v->rule;
            ng_term local[64];
            for (int k = 0; k < rule.nterms && k < 64; k++) {
                local[k] = rule.terms[k];
                if (local[k].table && !strcmp(local[k].table, NG_VALUES_TABLE))
                    local[k].table = NULL;
            }
            rule.terms = local;
            if (rule.nterms > 64)
                t->status = NG_ERR_INTERNAL;
            else
                ng_table_set_rule(t, r, c_val, &rule);
        }
        ng_cell *cell = &t->rows[r].cells[c_val];
        cell->type = NG_CELL_NUM;
        cell->num = v->num;
        cell->suppressed = v->suppressed;
    }
    if (t->status != NG_OK) {
        ng_table_free(t);
        return NULL;
    }
    return t;
}

static int *dup_ints(const int *a, int n)
{
    int *copy = malloc((size_t)(n > 0 ? n : 1) * sizeof *copy);
    if (copy && n > 0)
        memcpy(copy, a, (size_t)n * sizeof *copy);
    return copy;
}

ng_status ng_dataset_add_identity(ng_dataset *ds, const char *value, const ng_term *terms,
                                  int nterms)
{
    if (nterms <= 0)
        return NG_ERR_INTERNAL;
    for (int i = 0; i < nterms; i++)
        if (!terms[i].table)
            return NG_ERR_INTERNAL;
    if (!grow((void **)&ds->identities, ds->nidentities, &ds->caps_identities,
              sizeof *ds->identities))
        return NG_ERR_NOMEM;
    ng_identity id = {.value = value ? strdup(value) : NULL,
                      .terms = calloc((size_t)nterms, sizeof *id.terms),
                      .nterms = 0};
    bool ok = id.terms && (!value || id.value);
    for (int i = 0; ok && i < nterms; i++) {
        id.terms[i] = terms[i];
        id.terms[i].table = strdup(terms[i].table);
        ok = id.terms[i].table != NULL;
        id.nterms = i + 1;
    }
    if (!ok) {
        free_identity(&id);
        return NG_ERR_NOMEM;
    }
    ds->identities[ds->nidentities++] = id;
    return NG_OK;
}

ng_status ng_dataset_add_suppression(ng_dataset *ds, const char *table, int row, int col,
                                     const char *value, const char *reason, const char *why)
{
    if (!grow((void **)&ds->suppressions, ds->nsuppressions, &ds->caps_suppressions,
              sizeof *ds->suppressions))
        return NG_ERR_NOMEM;
    ng_suppression s = {.table = dup_or_null(table),
                        .row = row,
                        .col = col,
                        .value = dup_or_null(value),
                        .reason = dup_or_null(reason),
                        .why = dup_or_null(why)};
    if ((table && !s.table) || (value && !s.value) || (reason && !s.reason) || (why && !s.why)) {
        free_suppression(&s);
        return NG_ERR_NOMEM;
    }
    ds->suppressions[ds->nsuppressions++] = s;
    return NG_OK;
}

void ng_table_set_column_persons(ng_table *t, int col, bool persons)
{
    if (col >= 0 && col < t->ncols)
        t->cols[col].persons = persons;
}

ng_status ng_dataset_add_figure(ng_dataset *ds, const ng_figure *fig)
{
    if (!grow((void **)&ds->figures, ds->nfigures, &ds->caps_figures, sizeof *ds->figures))
        return NG_ERR_NOMEM;
    ng_figure copy = *fig;
    copy.name = dup_or_null(fig->name);
    copy.table = dup_or_null(fig->table);
    copy.title = dup_or_null(fig->title);
    copy.y_title = dup_or_null(fig->y_title);
    copy.series = dup_ints(fig->series, fig->nseries);
    copy.cats = dup_ints(fig->cats, fig->ncats);
    if (!copy.name || !copy.table || !copy.series || !copy.cats) {
        free_figure(&copy);
        return NG_ERR_NOMEM;
    }
    /* a figure of the same name replaces the earlier one */
    for (size_t i = 0; i < ds->nfigures; i++) {
        if (!strcmp(ds->figures[i].name, copy.name)) {
            free_figure(&ds->figures[i]);
            ds->figures[i] = copy;
            return NG_OK;
        }
    }
    ds->figures[ds->nfigures++] = copy;
    return NG_OK;
}

const ng_figure *ng_dataset_figure(const ng_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->nfigures; i++)
        if (!strcmp(ds->figures[i].name, name))
            return &ds->figures[i];
    return NULL;
}
