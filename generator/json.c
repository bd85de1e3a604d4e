/* json.c -- data.json from an ng_dataset (see json.h for the layout). */
#include "notatgen/json.h"
#include "notatgen/publish.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest double that is still an exact integer (2^53). */
#define EXACT_INT_LIMIT 9007199254740992.0

/* jansson returns -1 from json_object_set_new on out of memory (and frees
 * the value); every builder below reports that as NULL. */
static int put(json_t *obj, const char *key, json_t *value)
{
    if (!value)
        return -1;
    return json_object_set_new(obj, key, value);
}

static int append(json_t *arr, json_t *value)
{
    if (!value)
        return -1;
    return json_array_append_new(arr, value);
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* A number as an integer when whole, else a real; NaN/inf as null. */
static json_t *plain_number(double v)
{
    if (!isfinite(v))
        return json_null();
    if (v == trunc(v) && fabs(v) < EXACT_INT_LIMIT)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static bool unit_is_money(ng_unit unit)
{
    return ng_unit_facts(unit)->money;
}

static json_t *date_json(double days)
{
    char buf[32];
    ng_fmt_date_iso(buf, sizeof buf, ng_date_from_days(lround(days)));
    return json_string(buf);
}

/* A number in the model's unit: money to the øre, dates as ISO strings. */
static json_t *number_json(ng_unit unit, double v)
{
    if (!isfinite(v))
        return json_null();
    if (unit == NG_UNIT_DATO)
        return date_json(v);
    if (unit_is_money(unit))
        return plain_number(round(v * 100.0) / 100.0);
    return plain_number(v);
}

static json_t *cell_json(const ng_table *t, int row, int col)
{
    const ng_cell *c = ng_table_cell(t, row, col);
    if (!c || c->suppressed)
        return json_null();
    switch (c->type) {
    case NG_CELL_NUM:
        return number_json(ng_table_cell_unit(t, row, col), c->num);
    case NG_CELL_TEXT:
        return string_or_null(c->text);
    default:
        return json_null();
    }
}

static json_t *columns_json(const ng_table *t)
{
    json_t *arr = json_array();
    for (int c = 0; arr && c < t->ncols; c++) {
        const ng_column *col = &t->cols[c];
        json_t *o = json_object();
        if (append(arr, o) != 0 || put(o, "key", json_string(col->key)) != 0 ||
            put(o, "label", string_or_null(col->label)) != 0 ||
            put(o, "unit", json_string(ng_unit_key(col->unit))) != 0 ||
            put(o, "decimals", json_integer(col->decimals)) != 0 ||
            (col->group && put(o, "group", json_string(col->group)) != 0) ||
            (col->hidden && put(o, "hidden", json_true()) != 0)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *row_json(const ng_table *t, int r)
{
    const ng_row *row = &t->rows[r];
    json_t *o = json_object();
    if (!o || put(o, "_key", string_or_null(row->key)) != 0)
        goto fail;
    if ((row->flags & NG_ROW_TOTAL) && put(o, "_total", json_true()) != 0)
        goto fail;
    if ((row->flags & NG_ROW_SUBTOTAL) && put(o, "_subtotal", json_true()) != 0)
        goto fail;
    /* a row whose numbers have a unit of their own (amounts still in kr.) */
    if (row->unit != NG_UNIT_TEXT && (put(o, "_unit", json_string(ng_unit_key(row->unit))) != 0 ||
                                      put(o, "_decimals", json_integer(row->decimals)) != 0))
        goto fail;
    for (int c = 0; c < t->ncols; c++)
        if (put(o, t->cols[c].key, cell_json(t, r, c)) != 0)
            goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

static json_t *rows_json(const ng_table *t)
{
    json_t *arr = json_array();
    for (int r = 0; arr && r < t->nrows; r++)
        if (append(arr, row_json(t, r)) != 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* A term names its column by key; a term reading another table also names
 * that table ("table") and the key is that table's column. */
static json_t *term_json(const ng_dataset *ds, const ng_table *t, const ng_term *term)
{
    const ng_table *src = term->table ? ng_dataset_table(ds, term->table) : t;
    const char *key =
        (src && term->col >= 0 && term->col < src->ncols) ? src->cols[term->col].key : NULL;
    const char *row_key =
        (src && term->row >= 0 && term->row < src->nrows) ? src->rows[term->row].key : NULL;
    json_t *o = json_object();
    if (!o || (term->table && put(o, "table", json_string(term->table)) != 0) ||
        put(o, "row", json_integer(term->row)) != 0 ||
        (row_key && put(o, "row_key", json_string(row_key)) != 0) ||
        put(o, "column", string_or_null(key)) != 0 ||
        put(o, "coef", plain_number(term->coef)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *terms_json(const ng_dataset *ds, const ng_table *t, const ng_term *terms, int n)
{
    json_t *arr = json_array();
    for (int i = 0; arr && i < n; i++)
        if (append(arr, term_json(ds, t, &terms[i])) != 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

static const char *range_rule_key(ng_rule_kind kind)
{
    return kind == NG_RULE_AVERAGE ? "average" : kind == NG_RULE_MEDIAN ? "median" : "sum";
}

static int rule_body(json_t *o, const ng_dataset *ds, const ng_table *t, const ng_rule *rule)
{
    switch (rule->kind) {
    case NG_RULE_SUM:
    case NG_RULE_AVERAGE:
    case NG_RULE_MEDIAN:
        return put(o, "rule", json_string(range_rule_key(rule->kind))) != 0 ||
               put(o, "rows", json_pack("[ii]", rule->first_row, rule->last_row)) != 0;
    case NG_RULE_LINEAR:
        return put(o, "rule", json_string("linear")) != 0 ||
               put(o, "terms", terms_json(ds, t, rule->terms, rule->nterms)) != 0 ||
               (rule->constant != 0 && put(o, "constant", plain_number(rule->constant)) != 0);
    case NG_RULE_RATIO:
        return put(o, "rule", json_string("ratio")) != 0 ||
               put(o, "num", terms_json(ds, t, rule->terms, rule->nnum)) != 0 ||
               put(o, "den",
                   terms_json(ds, t, rule->terms + rule->nnum, rule->nterms - rule->nnum)) != 0 ||
               (rule->root > 1 && put(o, "root", json_integer(rule->root)) != 0) ||
               (rule->constant != 0 && put(o, "constant", plain_number(rule->constant)) != 0);
    case NG_RULE_PRODUCT:
        return put(o, "rule", json_string("product")) != 0 ||
               put(o, "terms", terms_json(ds, t, rule->terms, rule->nterms)) != 0;
    default:
        return -1;
    }
}

static json_t *formulas_json(const ng_dataset *ds, const ng_table *t)
{
    json_t *arr = json_array();
    for (int r = 0; arr && r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const ng_rule *rule = &t->rows[r].cells[c].rule;
            if (rule->kind == NG_RULE_NONE)
                continue;
            json_t *o = json_object();
            if (append(arr, o) != 0 || put(o, "row", json_integer(r)) != 0 ||
                put(o, "column", json_string(t->cols[c].key)) != 0 ||
                rule_body(o, ds, t, rule) != 0) {
                json_decref(arr);
                return NULL;
            }
        }
    return arr;
}

static json_t *suppressed_json(const ng_table *t)
{
    json_t *arr = json_array();
    for (int r = 0; arr && r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            if (!t->rows[r].cells[c].suppressed)
                continue;
            if (append(arr, json_pack("{siss}", "row", r, "column", t->cols[c].key)) != 0) {
                json_decref(arr);
                return NULL;
            }
        }
    return arr;
}

static json_t *table_json(const ng_dataset *ds, const ng_table *t)
{
    json_t *o = json_object();
    if (!o || put(o, "title", string_or_null(t->title)) != 0 ||
        put(o, "source", string_or_null(t->source)) != 0 ||
        (t->note && put(o, "note", json_string(t->note)) != 0) ||
        put(o, "columns", columns_json(t)) != 0 || put(o, "rows", rows_json(t)) != 0 ||
        put(o, "formulas", formulas_json(ds, t)) != 0 ||
        put(o, "suppressed", suppressed_json(t)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *value_json(const ng_dataset *ds, const ng_value *v)
{
    json_t *o = json_object();
    int bad;
    if (o && v->suppressed) {
        /* a value reading a suppressed cell: named, never shown */
        if (put(o, "unit", json_string(ng_unit_key(v->unit))) != 0 ||
            put(o, "value", json_null()) != 0 || put(o, "suppressed", json_true()) != 0) {
            json_decref(o);
            return NULL;
        }
        return o;
    }
    if (v->is_text)
        bad = !o || put(o, "unit", json_string(ng_unit_key(NG_UNIT_TEXT))) != 0 ||
              put(o, "value", string_or_null(v->text)) != 0;
    else
        bad = !o || put(o, "unit", json_string(ng_unit_key(v->unit))) != 0 ||
              put(o, "value", number_json(v->unit, v->num)) != 0;
    if (!bad && v->description)
        bad = put(o, "description", json_string(v->description)) != 0;
    /* its rule over the tables' cells: a reference is a linear rule of one term */
    if (!bad && v->rule.kind != NG_RULE_NONE)
        bad = rule_body(o, ds, NULL, &v->rule) != 0;
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A category or series label: the cell as a Danish reader sees it. */
static json_t *label_json(const ng_table *t, int row, int col)
{
    char buf[128];
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return json_null();
    return json_string(ng_table_format_cell(t, row, col, buf, sizeof buf));
}

static json_t *column_label_json(const ng_table *t, int col)
{
    if (col < 0 || col >= t->ncols)
        return json_null();
    return string_or_null(t->cols[col].label);
}

static const char *figure_type_key(ng_figure_type type)
{
    switch (type) {
    case NG_FIG_LINE:
        return "line";
    case NG_FIG_COLUMN:
        return "column";
    default:
        return "stacked";
    }
}

static json_t *figure_categories(const ng_figure *f, const ng_table *t)
{
    json_t *arr = json_array();
    int label_col = f->label_col >= 0 ? f->label_col : 0;
    for (int i = 0; arr && i < f->ncats; i++) {
        json_t *v = f->series_from_rows ? column_label_json(t, f->cats[i])
                                        : label_json(t, f->cats[i], label_col);
        if (append(arr, v) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* Columns as series are named by their group when their labels alone would
 * not tell them apart (as xlsx.c names the chart's series). */
static json_t *series_name_json(const ng_figure *f, const ng_table *t, int s)
{
    int idx = f->series[s], label_col = f->label_col >= 0 ? f->label_col : 0;
    if (f->series_from_rows)
        return label_json(t, idx, label_col);
    if (idx < 0 || idx >= t->ncols)
        return json_null();
    const ng_column *col = &t->cols[idx];
    for (int o = 0; col->group && col->group[0] && o < f->nseries; o++) {
        int oi = f->series[o];
        if (o != s && oi >= 0 && oi < t->ncols && col->label && t->cols[oi].label &&
            strcmp(col->label, t->cols[oi].label) == 0)
            return json_string(col->group);
    }
    return column_label_json(t, idx);
}

static json_t *figure_series_one(const ng_figure *f, const ng_table *t, int s)
{
    int idx = f->series[s];
    json_t *o = json_object(), *values = json_array();
    const char *key = NULL;
    if (f->series_from_rows && idx >= 0 && idx < t->nrows)
        key = t->rows[idx].key;
    else if (!f->series_from_rows && idx >= 0 && idx < t->ncols)
        key = t->cols[idx].key;
    json_t *name = series_name_json(f, t, s);
    if (!o || !values || put(o, "key", string_or_null(key)) != 0 || put(o, "name", name) != 0)
        goto fail;
    for (int i = 0; i < f->ncats; i++) {
        int row = f->series_from_rows ? idx : f->cats[i];
        int col = f->series_from_rows ? f->cats[i] : idx;
        if (append(values, cell_json(t, row, col)) != 0)
            goto fail;
    }
    if (put(o, "values", values) != 0) {
        values = NULL;
        goto fail;
    }
    return o;
fail:
    json_decref(values);
    json_decref(o);
    return NULL;
}

static json_t *figure_json(const ng_dataset *ds, const ng_figure *f)
{
    const ng_table *t = ng_dataset_table(ds, f->table);
    json_t *o = json_object();
    if (!o || put(o, "title", string_or_null(f->title)) != 0 ||
        put(o, "table", string_or_null(f->table)) != 0 ||
        put(o, "type", json_string(figure_type_key(f->type))) != 0 ||
        put(o, "y_title", string_or_null(f->y_title)) != 0 ||
        put(o, "series_from", json_string(f->series_from_rows ? "rows" : "columns")) != 0 ||
        (f->highlight > 0 && put(o, "highlight", json_integer(f->highlight - 1)) != 0))
        goto fail;
    if (!t)
        return o; /* a dangling figure: described, without data */
    if (put(o, "categories", figure_categories(f, t)) != 0)
        goto fail;
    json_t *series = json_array();
    if (put(o, "series", series) != 0)
        goto fail;
    for (int s = 0; s < f->nseries; s++)
        if (append(series, figure_series_one(f, t, s)) != 0)
            goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

/* The relations across tables (ng_identity): each term names its table. */
static json_t *identities_json(const ng_dataset *ds)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < ds->nidentities; i++) {
        const ng_identity *id = &ds->identities[i];
        json_t *o = json_object();
        if (append(arr, o) != 0 || (id->value && put(o, "value", json_string(id->value)) != 0) ||
            put(o, "terms", terms_json(ds, NULL, id->terms, id->nterms)) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* What was suppressed and why (ng_dataset.suppressions). */
static json_t *suppression_json(const ng_dataset *ds)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < ds->nsuppressions; i++) {
        const ng_suppression *sp = &ds->suppressions[i];
        const ng_table *t = sp->table ? ng_dataset_table(ds, sp->table) : NULL;
        json_t *o = json_object();
        int bad = append(arr, o) != 0;
        if (!bad && t)
            bad = put(o, "table", json_string(sp->table)) != 0 ||
                  put(o, "row", json_integer(sp->row)) != 0 ||
                  put(o, "column",
                      string_or_null(sp->col >= 0 && sp->col < t->ncols ? t->cols[sp->col].key
                                                                        : NULL)) != 0;
        else if (!bad)
            bad = put(o, "value", string_or_null(sp->value)) != 0;
        if (bad || put(o, "reason", string_or_null(sp->reason)) != 0 ||
            put(o, "why", string_or_null(sp->why)) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *dataset_json(const ng_dataset *ds)
{
    char date[32];
    ng_fmt_date_iso(date, sizeof date, ds->udtraek_dato);
    json_t *root = json_object(), *values = json_object(), *tables = json_object(),
           *figures = json_object();
    if (!root || put(root, "kommune", string_or_null(ds->kommune)) != 0 ||
        put(root, "kommunekode", string_or_null(ds->kommunekode)) != 0 ||
        put(root, "udtraek_dato", json_string(date)) != 0)
        goto fail;
    /* put() consumes each container, so hand them over one at a time. */
    if (put(root, "values", values) != 0) {
        values = NULL;
        goto fail;
    }
    json_t *v = values;
    values = NULL;
    for (size_t i = 0; i < ds->nvalues; i++)
        if (put(v, ds->values[i].name, value_json(ds, &ds->values[i])) != 0)
            goto fail;
    if (put(root, "tables", tables) != 0) {
        tables = NULL;
        goto fail;
    }
    json_t *tb = tables;
    tables = NULL;
    for (size_t i = 0; i < ds->ntables; i++)
        if (!ds->tables[i]->internal &&
            put(tb, ds->tables[i]->name, table_json(ds, ds->tables[i])) != 0)
            goto fail;
    if (put(root, "figures", figures) != 0) {
        figures = NULL;
        goto fail;
    }
    json_t *fg = figures;
    figures = NULL;
    for (size_t i = 0; i < ds->nfigures; i++)
        if (put(fg, ds->figures[i].name, figure_json(ds, &ds->figures[i])) != 0)
            goto fail;
    if (put(root, "identities", identities_json(ds)) != 0 ||
        put(root, "suppression", suppression_json(ds)) != 0) {
        json_decref(root);
        return NULL;
    }
    return root;
fail:
    json_decref(values);
    json_decref(tables);
    json_decref(figures);
    json_decref(root);
    return NULL;
}

/* 15 significant digits: enough for kr. to the øre below 10^13, and it
 * prints 0.47 as 0.47 rather than 0.46999999999999997. */
#define DUMP_FLAGS (JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(15))

static ng_status write_file(json_t *root, const char *path, ng_diags *diags)
{
    FILE *f = ng_fopen_private(path, diags); /* 0600, never through a link */
    if (!f)
        return NG_ERR_IO;
    int bad = json_dumpf(root, f, DUMP_FLAGS) != 0;
    bad |= fputc('\n', f) == EOF;
    bad |= fclose(f) != 0;
    if (bad) {
        ng_error(diags, path, 0, 0, "kan ikke skrive filen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    return NG_OK;
}

ng_status ng_json_write(const ng_dataset *ds, const char *path, ng_diags *diags)
{
    json_t *root = dataset_json(ds);
    if (!root) {
        ng_error(diags, path, 0, 0, "ikke nok hukommelse til data.json");
        return NG_ERR_NOMEM;
    }
    ng_status st = write_file(root, path, diags);
    json_decref(root);
    return st;
}
