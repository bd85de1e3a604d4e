/* table.c -- the table model and the dataset (see table.h). */
#include "notatgen/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- units -------------------------------------------------------------- */

const char *ng_unit_label(ng_unit unit)
{
    switch (unit) {
    case NG_UNIT_KR:
        return "kr.";
    case NG_UNIT_TKR:
        return "1.000 kr.";
    case NG_UNIT_MIO:
        return "mio. kr.";
    case NG_UNIT_ANTAL:
        return "antal";
    case NG_UNIT_PCT:
        return "pct.";
    case NG_UNIT_AAR:
        return "år";
    case NG_UNIT_DATO:
        return "dato";
    case NG_UNIT_TEXT:
    default:
        return "";
    }
}

const char *ng_unit_key(ng_unit unit)
{
    switch (unit) {
    case NG_UNIT_KR:
        return "kr";
    case NG_UNIT_TKR:
        return "tkr";
    case NG_UNIT_MIO:
        return "mio";
    case NG_UNIT_ANTAL:
        return "antal";
    case NG_UNIT_PCT:
        return "pct";
    case NG_UNIT_AAR:
        return "aar";
    case NG_UNIT_DATO:
        return "dato";
    case NG_UNIT_TEXT:
    default:
        return "tekst";
    }
}

static int default_decimals(ng_unit unit)
{
    return unit == NG_UNIT_MIO ? 1 : 0;
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

static void replace_string(char **field, const char *value)
{
    char *copy = dup_or_null(value);
    free(*field);
    *field = copy;
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
    replace_string(&t->source, source);
}

void ng_table_set_note(ng_table *t, const char *note)
{
    replace_string(&t->note, note);
}

int ng_table_add_column(ng_table *t, const char *key, const char *label, ng_unit unit)
{
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
        replace_string(&t->cols[col].group, group);
}

int ng_table_add_row(ng_table *t, const char *key, unsigned flags)
{
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

static ng_cell *cell_at(ng_table *t, int row, int col)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return NULL;
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
}

void ng_table_set_empty(ng_table *t, int row, int col)
{
    ng_cell *c = cell_at(t, row, col);
    if (c)
        free_cell(c);
}

void ng_table_rule_sum(ng_table *t, int row, int col, int first_row, int last_row)
{
    ng_cell *c = cell_at(t, row, col);
    if (!c)
        return;
    free_cell(c);
    c->type = NG_CELL_NUM;
    c->rule.kind = NG_RULE_SUM;
    c->rule.first_row = first_row;
    c->rule.last_row = last_row;
}

static void set_terms(ng_cell *c, ng_rule_kind kind, const ng_term *a, int na, const ng_term *b,
                      int nb)
{
    free_cell(c);
    c->type = NG_CELL_NUM;
    c->rule.kind = kind;
    c->rule.terms = malloc((size_t)(na + nb > 0 ? na + nb : 1) * sizeof(ng_term));
    if (!c->rule.terms) {
        c->rule.kind = NG_RULE_NONE;
        c->type = NG_CELL_EMPTY;
        return;
    }
    if (na)
        memcpy(c->rule.terms, a, (size_t)na * sizeof(ng_term));
    if (nb)
        memcpy(c->rule.terms + na, b, (size_t)nb * sizeof(ng_term));
    c->rule.nterms = na + nb;
    c->rule.nnum = na;
    /* The rule owns its table names: copy them (all NULL first, so a failed
     * copy leaves a rule free_cell can free). */
    bool ok = true;
    for (int i = 0; i < na + nb; i++) {
        const char *name = c->rule.terms[i].table;
        c->rule.terms[i].table = NULL;
        if (name && ok) {
            c->rule.terms[i].table = strdup(name);
            ok = c->rule.terms[i].table != NULL;
        }
    }
    if (!ok)
        free_cell(c);
}

void ng_table_rule_linear(ng_table *t, int row, int col, const ng_term *terms, int nterms)
{
    ng_cell *c = cell_at(t, row, col);
    if (c)
        set_terms(c, NG_RULE_LINEAR, terms, nterms, NULL, 0);
}

void ng_table_rule_ratio(ng_table *t, int row, int col, const ng_term *num, int nnum,
                         const ng_term *den, int nden)
{
    ng_cell *c = cell_at(t, row, col);
    if (c)
        set_terms(c, NG_RULE_RATIO, num, nnum, den, nden);
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
        else if (t->cols[c].unit != NG_UNIT_TEXT && t->cols[c].unit != NG_UNIT_AAR &&
                 t->cols[c].unit != NG_UNIT_DATO && t->cols[c].unit != NG_UNIT_PCT)
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

static ng_status eval_rule(evaluator *ev, int row, int col, const ng_rule *rule, double *out,
                           bool *empty)
{
    *empty = false;
    switch (rule->kind) {
    case NG_RULE_SUM: {
        double sum = 0;
        for (int r = rule->first_row; r <= rule->last_row; r++) {
            double v;
            bool e;
            if (r == row)
                return NG_ERR_INTERNAL;
            ng_status st = eval_ref(ev, r, col, &v, &e);
            if (st != NG_OK)
                return st;
            if (!e)
                sum += v;
        }
        *out = sum;
        return NG_OK;
    }
    case NG_RULE_LINEAR:
        return eval_terms(ev, rule->terms, rule->nterms, out);
    case NG_RULE_RATIO: {
        double num, den;
        ng_status st = eval_terms(ev, rule->terms, rule->nnum, &num);
        if (st == NG_OK)
            st = eval_terms(ev, rule->terms + rule->nnum, rule->nterms - rule->nnum, &den);
        if (st != NG_OK)
            return st;
        if (den == 0) {
            *empty = true;
            *out = 0;
        } else {
            *out = num / den;
        }
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

static void free_value(ng_value *v)
{
    free(v->name);
    free(v->text);
    free(v->description);
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

void ng_dataset_free(ng_dataset *ds)
{
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
    ng_status st = t ? ng_table_evaluate_in(t, ds) : NG_ERR_NOMEM;
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

/* Returns the value slot for name, adding an empty one when new. */
static ng_value *value_slot(ng_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->nvalues; i++) {
        if (!strcmp(ds->values[i].name, name)) {
            free(ds->values[i].text);
            free(ds->values[i].description);
            ds->values[i].text = NULL;
            ds->values[i].description = NULL;
            return &ds->values[i];
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

ng_status ng_dataset_set_num(ng_dataset *ds, const char *name, ng_unit unit, double v,
                             const char *description)
{
    ng_value *slot = value_slot(ds, name);
    if (!slot)
        return NG_ERR_NOMEM;
    slot->unit = unit;
    slot->is_text = false;
    slot->num = v;
    slot->description = dup_or_null(description);
    return NG_OK;
}

ng_status ng_dataset_set_text(ng_dataset *ds, const char *name, const char *text,
                              const char *description)
{
    ng_value *slot = value_slot(ds, name);
    if (!slot)
        return NG_ERR_NOMEM;
    slot->unit = NG_UNIT_TEXT;
    slot->is_text = true;
    slot->text = dup_or_null(text ? text : "");
    slot->description = dup_or_null(description);
    return slot->text ? NG_OK : NG_ERR_NOMEM;
}

const ng_value *ng_dataset_value(const ng_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->nvalues; i++)
        if (!strcmp(ds->values[i].name, name))
            return &ds->values[i];
    return NULL;
}

static int *dup_ints(const int *a, int n)
{
    int *copy = malloc((size_t)(n > 0 ? n : 1) * sizeof *copy);
    if (copy && n > 0)
        memcpy(copy, a, (size_t)n * sizeof *copy);
    return copy;
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
