/*
 * table.h -- the table model: the centre of notatgen.
 *
 * Every computation publishes named tables and named values into one
 * ng_dataset; every renderer (PDF, XLSX, JSON) consumes the same dataset.
 * A table has typed columns with a unit, rows (some of them totals), and
 * cells that are either plain values (inputs) or derived by a rule:
 *
 *   sum of rows      ng_table_rule_sum()      -> SUM(B2:B4) in Excel
 *   linear combo     ng_table_rule_linear()   -> B2+B3-B5 ("row A - row B",
 *                                                "previous + this")
 *   ratio            ng_table_rule_ratio()    -> B9/B12 (shares)
 *   mean, median     ng_table_rule_average(), -> AVERAGE(B2:B48), MEDIAN(B2:B48)
 *                    ng_table_rule_median()      (the mean and median of rows)
 *
 * ng_table_evaluate() computes every derived cell from its rule, so the value
 * a renderer shows and the formula the workbook carries cannot disagree: no
 * renderer does arithmetic of its own.
 *
 * Units: money columns hold kr. whatever unit they display in (NG_UNIT_MIO
 * shows kr./1e6 with one decimal, NG_UNIT_TKR kr./1000); NG_UNIT_PCT holds a
 * fraction (0.47 shows "47 %"); NG_UNIT_ANTAL a count.
 *
 * Ownership: a table owns everything in it and copies every string it is
 * given; a dataset owns the tables added to it. ng_dataset_free frees all.
 */
#ifndef NOTATGEN_TABLE_H
#define NOTATGEN_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/dk.h"
#include "notatgen/status.h"

typedef enum {
    NG_UNIT_TEXT,  /* a label */
    NG_UNIT_KR,    /* kr., shown "1.234.567" */
    NG_UNIT_TKR,   /* kr., shown in 1.000 kr. "-1.150" */
    NG_UNIT_MIO,   /* kr., shown in mio. kr. "278,6" */
    NG_UNIT_ANTAL, /* a count, shown "1.234" (decimals from the column) */
    NG_UNIT_PCT,   /* a fraction, shown "47 %" */
    NG_UNIT_AAR,   /* a year, shown "2025" without a thousands dot */
    NG_UNIT_DATO   /* a date as days since 1970-01-01, shown "31-10-2025" */
} ng_unit;

/* Everything notatgen knows about a unit, in one table (table.c): every
 * renderer asks here instead of keeping its own switch. */
typedef struct {
    ng_unit unit;
    const char *key;         /* in data.json and templates/README.md: "mio" */
    const char *label;       /* Danish name for a header or an axis: "mio. kr." ("" for text) */
    const char *doc;         /* the name templates/README.md documents: "mio. kr.", "tekst" */
    double scale;            /* a held number / scale = the number shown (1e6 for mio) */
    int decimals;            /* default display decimals */
    bool money;              /* holds kr. (whatever it shows in) */
    bool summable;           /* a total row sums it (not text, years, dates, shares) */
    const char *xlsx_format; /* US-notation format with "%s" for the decimals: "#,##0%s" */
} ng_unit_info;

/* The facts of unit (an unknown value gives the text unit's facts). */
const ng_unit_info *ng_unit_facts(ng_unit unit);
/* Shorthands: ng_unit_facts(unit)->label and ->key. */
const char *ng_unit_label(ng_unit unit);
const char *ng_unit_key(ng_unit unit);
/* Whether a and b hold the same quantity (money units all hold kr.). */
bool ng_unit_compatible(ng_unit a, ng_unit b);

typedef enum {
    NG_RULE_NONE = 0, /* a plain value */
    NG_RULE_SUM,      /* sum of rows first..last of this cell's column */
    NG_RULE_LINEAR,   /* constant + sum of coef * cell over terms */
    NG_RULE_RATIO,    /* (sum of num terms / sum of den terms)^(1/root) + constant */
    NG_RULE_PRODUCT,  /* the product of coef * cell over terms */
    NG_RULE_AVERAGE,  /* the mean of rows first..last of this cell's column */
    NG_RULE_MEDIAN    /* their median (the mean of the two middle ones for an even count) */
} ng_rule_kind;

/* A rule over a range of rows of the cell's own column (SUM, AVERAGE,
 * MEDIAN): first_row..last_row; no terms. */
bool ng_rule_is_range(ng_rule_kind kind);

/* A cell of this table, or -- when table names one -- a cell of another
 * table of the same dataset (a figure built from another table's lines).
 * table is the LAST field so {row, col, coef} initialisers stay valid (NULL:
 * this table); the rule owns a copy of the name. */
typedef struct {
    int row, col;
    double coef;       /* usually +1 or -1 */
    const char *table; /* NULL, or the name of another table in the dataset */
} ng_term;

typedef struct {
    ng_rule_kind kind;
    int first_row, last_row; /* range rules (SUM, AVERAGE, MEDIAN): inclusive range in the
                              * cell's column */
    ng_term *terms;          /* LINEAR / RATIO / PRODUCT: owned */
    int nterms;
    int nnum;        /* NG_RULE_RATIO: terms[0..nnum) numerator, the rest denominator */
    double constant; /* LINEAR, RATIO: added to the result (0: none) */
    int root;        /* RATIO: the root taken of the quotient (0 or 1: none; 3 gives the
                      * yearly rate of a growth over 3 years with constant -1) */
} ng_rule;

typedef enum {
    NG_CELL_EMPTY = 0, /* nothing (shown blank) */
    NG_CELL_NUM,
    NG_CELL_TEXT
} ng_cell_type;

typedef struct {
    ng_cell_type type;
    double num;      /* NG_CELL_NUM: the value (kr. for money) */
    char *text;      /* NG_CELL_TEXT: owned UTF-8 */
    ng_rule rule;    /* kind NG_RULE_NONE for an input */
    bool suppressed; /* privacy: shown as "–" with a footnote */
} ng_cell;

typedef struct {
    char *key;   /* column key in data.json and templates */
    char *label; /* Danish header text */
    ng_unit unit;
    int decimals; /* display decimals (default by unit: mio 1, others 0) */
    char *group;  /* optional spanning header above ("25 pct. refusion") */
    bool hidden;  /* a key column: in data.json and the bilag, not in the PDF */
    /* The column counts persons (cases): a small count is suppressed with
     * the money of its row (privacy.h). A count table's other antal columns
     * -- a tier's label "25", inhabitants -- are not person counts. */
    bool persons;
} ng_column;

enum { NG_ROW_TOTAL = 1u << 0, NG_ROW_SUBTOTAL = 1u << 1 };

typedef struct {
    char *key; /* optional row key (budget post, tier); NULL when none */
    unsigned flags;
    ng_cell *cells; /* ncols cells */
    /* A row whose numbers have another unit than their columns (the economy memo's
     * cost-band table: counts per year, then a row of spend in mio. kr.);
     * NG_UNIT_TEXT (0) = the columns' units. */
    ng_unit unit;
    int decimals;
} ng_row;

typedef struct ng_table {
    char *name;   /* identifier: "refusion_per_trin" */
    char *title;  /* Danish caption */
    char *source; /* "Kilde: ..." line, may be NULL */
    char *note;   /* footnote, may be NULL */
    ng_column *cols;
    int ncols;
    ng_row *rows;
    int nrows;
    int caps_cols, caps_rows;
    bool count_table; /* cells count persons: subject to small-cell suppression */
    bool internal;    /* the finance staff's own list (sagsliste): in the bilag only,
                       * never in data.json or a memo */
    /* Sticky: the first error of a write to the table (NG_ERR_NOMEM when an
     * allocation failed, NG_ERR_INTERNAL for a cell outside the table or a
     * bad rule); the write is dropped and every later write too.
     * ng_dataset_add_table / _add_evaluated refuse a table whose status is
     * not NG_OK, so a builder checks once, at the end. */
    ng_status status;
} ng_table;

/* Constructors return NULL on out of memory. */
ng_table *ng_table_new(const char *name, const char *title);
void ng_table_free(ng_table *t);

void ng_table_set_source(ng_table *t, const char *source);
void ng_table_set_note(ng_table *t, const char *note);

/* Adds a column; returns its index, or -1 on out of memory. */
int ng_table_add_column(ng_table *t, const char *key, const char *label, ng_unit unit);
/* Adds one column per year, key and label the year ("2025"). Returns the
 * first one's index; -1 on out of memory or when nyears is 0. */
int ng_table_add_year_columns(ng_table *t, const int *years, int nyears, ng_unit unit);
/* Sets a spanning group header on a column. */
void ng_table_set_column_group(ng_table *t, int col, const char *group);
/* Adds a row of empty cells; key may be NULL. Returns its index or -1. */
int ng_table_add_row(ng_table *t, const char *key, unsigned flags);

void ng_table_set_num(ng_table *t, int row, int col, double v);
void ng_table_set_text(ng_table *t, int row, int col, const char *s);
void ng_table_set_empty(ng_table *t, int row, int col);

/* Derived cells. The value is filled in by ng_table_evaluate(). */
void ng_table_rule_sum(ng_table *t, int row, int col, int first_row, int last_row);
void ng_table_rule_linear(ng_table *t, int row, int col, const ng_term *terms, int nterms);
void ng_table_rule_ratio(ng_table *t, int row, int col, const ng_term *num, int nnum,
                         const ng_term *den, int nden);
/* The mean and the median of the numbers in rows first_row..last_row of
 * col (empty cells are left out, as Excel's AVERAGE and MEDIAN do; no
 * numbers give an empty cell). first_row <= last_row. */
void ng_table_rule_average(ng_table *t, int row, int col, int first_row, int last_row);
void ng_table_rule_median(ng_table *t, int row, int col, int first_row, int last_row);
/* Any rule, copied (its terms and their table names): LINEAR or RATIO with a
 * constant, a RATIO with a root, a PRODUCT. */
void ng_table_set_rule(ng_table *t, int row, int col, const ng_rule *rule);
/* The table's sticky status (see ng_table.status). */
ng_status ng_table_status(const ng_table *t);

/* Adds a total row labelled label in column label_col whose numeric columns
 * (all but label_col and text columns) are NG_RULE_SUM over rows
 * first..last. Returns the row index. */
int ng_table_add_total_row(ng_table *t, const char *key, const char *label, int label_col,
                           int first_row, int last_row);

/* Computes every derived cell from its rule (in dependency order). A rule
 * that refers outside the table or into a cycle is NG_ERR_INTERNAL. A ratio
 * with a zero denominator gives an empty cell. A term naming another table
 * is NG_ERR_INTERNAL here: use ng_table_evaluate_in. */
ng_status ng_table_evaluate(ng_table *t);

struct ng_dataset;
/* As ng_table_evaluate, and a term naming another table reads that table's
 * (already evaluated) cell in ds; a table absent from ds, or a cell outside
 * it, is NG_ERR_INTERNAL. */
ng_status ng_table_evaluate_in(ng_table *t, const struct ng_dataset *ds);

int ng_table_col(const ng_table *t, const char *key); /* -1 if absent */
int ng_table_row(const ng_table *t, const char *key); /* -1 if absent */
const ng_cell *ng_table_cell(const ng_table *t, int row, int col);

/* A copy of t for display without its hidden columns: evaluated values and
 * texts, flags, titles and notes; no rules (a renderer that only shows values
 * needs none). The caller frees with ng_table_free; NULL on out of memory. */
ng_table *ng_table_visible_copy(const ng_table *t);

/* Gives a row its own unit for the numbers in it (see ng_row.unit). */
void ng_table_set_row_unit(ng_table *t, int row, ng_unit unit);
/* The unit and display decimals of a cell: the row's unit when it has one,
 * else the column's. */
ng_unit ng_table_cell_unit(const ng_table *t, int row, int col);
int ng_table_cell_decimals(const ng_table *t, int row, int col);

/* Formats a cell for a Danish reader (as the PDF shows it); "" when empty,
 * "–" when suppressed. */
char *ng_table_format_cell(const ng_table *t, int row, int col, char *buf, size_t size);

/* Formats a number for a Danish reader in the given unit. */
char *ng_format_value(ng_unit unit, int decimals, double v, char *buf, size_t size);

/* ---- figures ----------------------------------------------------------- */

typedef enum { NG_FIG_LINE, NG_FIG_COLUMN, NG_FIG_STACKED } ng_figure_type;

/* A chart drawn from a table: each series is a row (series_from_rows) or a
 * column; the categories (x axis) are then the columns in cat_cols, or the
 * rows in cat_rows. */
typedef struct {
    char *name;  /* figure name used by templates: "refusion_aar_figur" */
    char *table; /* table name */
    char *title;
    char *y_title; /* "mio. kr." */
    ng_figure_type type;
    bool series_from_rows;
    int *series; /* row or column indexes */
    int nseries;
    int *cats; /* the other axis: column or row indexes */
    int ncats;
    int label_col; /* rows as series: column with the series name; cols: row 0 header */
    /* A category drawn apart from the others (the own municipality in a
     * ranking): 1 + its index in cats; 0 = none. The PDF draws its column
     * in another colour with cross-hatching (for print), the bilag's chart
     * in another colour. */
    int highlight;
} ng_figure;

/* ---- values and the dataset ------------------------------------------- */

/* A named value a template quotes ({{ refusion_i_alt | mio }}). A value is
 * either
 *   - a reference or a rule over table cells (rule.kind != NG_RULE_NONE):
 *     every term names a table of the dataset (NG_VALUES_TABLE: another
 *     value, row = its index), so data.json dumps the rule and the bilag's
 *     key-figures sheet (Nøgletal) carries it as a live formula; or
 *   - a fact (NG_RULE_NONE): what the run is about (municipality, extract
 *     date, years) or a number given in the configuration.
 * Description and unit are declared by the module that publishes the name
 * (module.h); ng_registry_check() fills in the description and checks the
 * unit. */
typedef struct {
    char *name; /* "tilgang_antal" */
    ng_unit unit;
    bool is_text;
    double num;
    char *text;
    char *description; /* one Danish line, from the declaration */
    ng_rule rule;      /* NG_RULE_NONE for a fact */
    bool suppressed;   /* reads a cell hidden for privacy: not shown */
    /* A reference shows as its cell does (ng_dataset_set_ref): the cell's
     * display decimals (a rate of 2,9 cases per 1.000 is not "3"); other
     * values show with their unit's default decimals. */
    bool has_decimals;
    int decimals;
} ng_value;

/* The name of the key-figures table built from the values
 * (ng_dataset_values_table), and of value terms in rules. */
#define NG_VALUES_TABLE "noegletal"
/* The column of NG_VALUES_TABLE that holds the values. */
enum { NG_VALUES_COL = 2 };

/* A relation between published numbers that a reader can use across
 * tables: the terms (cells, each naming its table) sum to zero, or -- with
 * value set -- to that named value. The module publishing the tables
 * declares them (one population counted two ways: the total of omraader is
 * the total of maalgrupper), and the small-cell suppression treats every
 * table, rule, value and identity as one system (suppress.h). A value's own
 * rule is a relation already; with value set the terms sum to that value. */
typedef struct {
    char *value;    /* NULL, or the name of a value of the dataset (owned) */
    ng_term *terms; /* owned; every term names its table (owned copies) */
    int nterms;
} ng_identity;

/* One suppressed cell (or value) and why, for data.json and the log. */
typedef struct {
    char *table;  /* NULL for a value */
    int row, col; /* the cell in table */
    char *value;  /* the value's name when table is NULL */
    char *reason; /* "primaer", "penge", "komplement", "forhold", "revision", "vaerdi" */
    char *why;    /* one Danish sentence */
} ng_suppression;

typedef struct ng_dataset {
    char *kommune;     /* municipality name */
    char *kommunekode; /* may be NULL */
    ng_date udtraek_dato;
    ng_table **tables;
    size_t ntables, caps_tables;
    ng_value *values;
    size_t nvalues, caps_values;
    ng_figure *figures;
    size_t nfigures, caps_figures;
    /* Sticky: the first error of a value or figure operation (a reference
     * to a table, row or column that does not exist is NG_ERR_INTERNAL). */
    ng_status status;
    ng_identity *identities;
    size_t nidentities, caps_identities;
    ng_suppression *suppressions; /* filled by the small-cell suppression */
    size_t nsuppressions, caps_suppressions;
} ng_dataset;

void ng_dataset_init(ng_dataset *ds);
void ng_dataset_free(ng_dataset *ds);

/* Adds a table; the dataset takes ownership (also on failure, when it frees
 * the table). A name already present replaces the earlier table. */
ng_status ng_dataset_add_table(ng_dataset *ds, ng_table *t);

/* Evaluates t (ng_table_evaluate_in ds, so its cross-table terms read the
 * tables added before it) and adds it as ng_dataset_add_table does:
 * the last step of publishing a table. The dataset owns t afterwards; a
 * table that fails to evaluate is freed. */
ng_status ng_dataset_add_evaluated(ng_dataset *ds, ng_table *t);
ng_table *ng_dataset_table(const ng_dataset *ds, const char *name);

/* Facts: a number in unit, a text. Replaces a value of the same name. */
ng_status ng_dataset_set_num(ng_dataset *ds, const char *name, ng_unit unit, double v);
ng_status ng_dataset_set_text(ng_dataset *ds, const char *name, const char *text);

/* A term for a value's rule: the cell (row key, column key) of a table in
 * ds, times coef; an absent table, row or column sets ds->status to
 * NG_ERR_INTERNAL (row -1 in the term). */
ng_term ng_dataset_term(ng_dataset *ds, const char *table, const char *row_key, const char *col_key,
                        double coef);
/* A term reading the named value (coef times it). */
ng_term ng_dataset_value_term(ng_dataset *ds, const char *value, double coef);

/* A reference: the value is the cell; its unit and display decimals the
 * cell's (ng_table_cell_unit, ng_table_cell_decimals). */
ng_status ng_dataset_set_ref(ng_dataset *ds, const char *name, const char *table,
                             const char *row_key, const char *col_key);
/* A rule over cells (every term names a table, see ng_dataset_term),
 * evaluated now: the tables it reads must be in ds already. unit is the
 * value's unit. A rule reading a suppressed cell gives a suppressed value. */
ng_status ng_dataset_set_rule(ng_dataset *ds, const char *name, ng_unit unit, const ng_rule *rule);

const ng_value *ng_dataset_value(const ng_dataset *ds, const char *name);

/* After small-cell suppression: a value whose rule reads a suppressed cell
 * (or a suppressed value) is suppressed too, so no template quotes it. */
ng_status ng_dataset_propagate_suppression(ng_dataset *ds);

/* The key-figures table NG_VALUES_TABLE: a row per value (key its name;
 * columns navn (hidden), beskrivelse, vaerdi with the value's unit as the
 * row's) whose cells carry the values' rules, so the bilag writes them as
 * formulas into the table sheets. The caller owns it (add it to ds to
 * render it). NULL on out of memory. */
ng_table *ng_dataset_values_table(const ng_dataset *ds);

/* Declares an identity (copied; see ng_identity): the terms sum to 0, or to
 * the value named value. Every term must name its table. */
ng_status ng_dataset_add_identity(ng_dataset *ds, const char *value, const ng_term *terms,
                                  int nterms);
/* Records a suppression (copied; table or value NULL). */
ng_status ng_dataset_add_suppression(ng_dataset *ds, const char *table, int row, int col,
                                     const char *value, const char *reason, const char *why);
/* Marks a column as counting persons (ng_column.persons). */
void ng_table_set_column_persons(ng_table *t, int col, bool persons);

/* Adds a figure (copied). */
ng_status ng_dataset_add_figure(ng_dataset *ds, const ng_figure *fig);
const ng_figure *ng_dataset_figure(const ng_dataset *ds, const char *name);

#endif
