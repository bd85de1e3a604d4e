/* initiatives.c -- initiative line items and the fingerplan (see initiatives.h). */
#include "notatgen/initiatives.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notatgen/csvdoc.h"
#include "notatgen/module.h"
#include "notatgen/modules.h"

/* ---- years -------------------------------------------------------------- */

/* Index of year in a sorted list, inserting it (and shifting the per-year
 * arrays of the caller) is not needed: callers collect the years first. */
static int find_year(const int *years, int nyears, int year)
{
    for (int i = 0; i < nyears; i++)
        if (years[i] == year)
            return i;
    return -1;
}

static bool add_year(int *years, int *nyears, int year)
{
    if (find_year(years, *nyears, year) >= 0)
        return true;
    if (*nyears == NG_INIT_MAX_YEARS)
        return false;
    int i = (*nyears)++;
    while (i > 0 && years[i - 1] > year) {
        years[i] = years[i - 1];
        i--;
    }
    years[i] = year;
    return true;
}

/* Parses an amount cell into kr.; blank = no amount. */
static bool parse_kr(const ng_input_file *file, const ng_csvdoc *doc, const ng_csvrow *row,
                     int field, double *kr, bool *has, ng_diags *diags)
{
    int64_t oere;
    bool ok =
        ng_csvdoc_field_amount(doc, row, field, file->decimal, file->scale, &oere, has, diags);
    *kr = (double)oere / 100.0;
    return ok;
}

/* ---- reading initiatives ------------------------------------------------ */

void ng_initiatives_free(ng_initiatives *in)
{
    for (size_t i = 0; i < in->nlines; i++) {
        free(in->lines[i].initiativ);
        free(in->lines[i].linje);
    }
    free(in->lines);
    for (size_t i = 0; i < in->nnames; i++)
        free(in->names[i]);
    free(in->names);
    free(in->path);
    memset(in, 0, sizeof *in);
}

static int initiative_index(ng_initiatives *in, const char *name)
{
    for (size_t i = 0; i < in->nnames; i++)
        if (!strcmp(in->names[i], name))
            return (int)i;
    char **names = realloc(in->names, (in->nnames + 1) * sizeof *names);
    if (!names)
        return -1;
    in->names = names;
    in->names[in->nnames] = strdup(name);
    if (!in->names[in->nnames])
        return -1;
    return (int)in->nnames++;
}

static bool parse_type(const char *s, ng_initiative_type *type)
{
    if (!strcasecmp(s, "investering")) {
        *type = NG_INIT_INVESTERING;
        return true;
    }
    if (!strcasecmp(s, "effekt")) {
        *type = NG_INIT_EFFEKT;
        return true;
    }
    return false;
}

/* The line (initiativ, linje, type), appended when new; NULL on no memory. */
static ng_initiative_line *line_for(ng_initiatives *in, const char *initiativ, const char *linje,
                                    ng_initiative_type type, long lineno, bool find_existing)
{
    if (find_existing)
        for (size_t i = 0; i < in->nlines; i++) {
            ng_initiative_line *l = &in->lines[i];
            if (l->type == type && !strcmp(l->initiativ, initiativ) && !strcmp(l->linje, linje))
                return l;
        }
    int idx = initiative_index(in, initiativ);
    if (idx < 0)
        return NULL;
    ng_initiative_line *lines = realloc(in->lines, (in->nlines + 1) * sizeof *lines);
    if (!lines)
        return NULL;
    in->lines = lines;
    ng_initiative_line *l = &in->lines[in->nlines];
    memset(l, 0, sizeof *l);
    l->initiativ = strdup(initiativ);
    l->linje = strdup(linje);
    l->type = type;
    l->initiative = idx;
    l->line = lineno;
    if (!l->initiativ || !l->linje) {
        free(l->initiativ);
        free(l->linje);
        return NULL;
    }
    in->nlines++;
    return l;
}

typedef struct {
    int initiativ, linje, type, aar, beloeb;
} init_columns;

/* The year columns of the wide layout: their years and fields. */
typedef struct {
    int years[NG_INIT_MAX_YEARS];
    int fields[NG_INIT_MAX_YEARS];
    int n;
} year_columns;

static bool read_wide_row(const ng_input_file *file, const ng_csvdoc *doc, const ng_csvrow *row,
                          const year_columns *yc, ng_initiatives *in, ng_initiative_line *l,
                          ng_diags *diags)
{
    bool ok = true;
    for (int k = 0; k < yc->n; k++) {
        int yi = find_year(in->years, in->nyears, yc->years[k]);
        double kr;
        bool has;
        if (!parse_kr(file, doc, row, yc->fields[k], &kr, &has, diags)) {
            ok = false;
            continue;
        }
        if (has && l->has[yi]) {
            ng_error(diags, doc->path, row->line, yc->fields[k] + 1,
                     "linjen '%s' har allerede et beløb for %d (linje %ld)", l->linje, yc->years[k],
                     l->line);
            ok = false;
        } else if (has) {
            l->kr[yi] = kr;
            l->has[yi] = true;
        }
    }
    return ok;
}

static bool read_long_row(const ng_input_file *file, const ng_csvdoc *doc, const ng_csvrow *row,
                          const init_columns *c, ng_initiatives *in, ng_initiative_line *l,
                          ng_diags *diags)
{
    int year;
    if (!ng_csvdoc_field_year(doc, row, c->aar, &year, diags))
        return false;
    int yi = find_year(in->years, in->nyears, year);
    double kr;
    bool has;
    if (yi < 0 || !parse_kr(file, doc, row, c->beloeb, &kr, &has, diags))
        return false;
    if (!has)
        return true;
    if (l->has[yi]) {
        ng_error(diags, doc->path, row->line, c->aar + 1,
                 "linjen '%s' har allerede et beløb for %d (linje %ld)", l->linje, year, l->line);
        return false;
    }
    l->kr[yi] = kr;
    l->has[yi] = true;
    return true;
}

/* Collects the years: the header's year columns (wide) or the aar column
 * (long). Every other header field must be a known column. */
static bool collect_years(const ng_csvdoc *doc, const init_columns *c, year_columns *yc, int *years,
                          int *nyears, ng_diags *diags)
{
    static const char *const wide_known[] = {"initiativ", "linje", "type", NULL};
    static const char *const long_known[] = {"initiativ", "linje", "type", "aar", "beloeb", NULL};
    if (!ng_csvdoc_year_columns(doc, c->aar < 0 ? wide_known : long_known, yc->years, yc->fields,
                                NG_INIT_MAX_YEARS, &yc->n, diags))
        return false;
    for (int k = 0; k < yc->n; k++)
        if (!add_year(years, nyears, yc->years[k]))
            return false; /* cannot happen: at most NG_INIT_MAX_YEARS columns */
    if (c->aar < 0)
        return true;
    bool ok = true;
    for (size_t r = 1; r < doc->nrows; r++) {
        const ng_csvrow *row = &doc->rows[r];
        int year;
        if ((int)row->nfields <= c->aar)
            continue; /* reported with the row */
        if (!ng_csvdoc_field_year(doc, row, c->aar, &year, diags)) {
            ok = false;
        } else if (!add_year(years, nyears, year)) {
            ng_error(diags, doc->path, row->line, c->aar + 1, "for mange år i filen (højst %d)",
                     NG_INIT_MAX_YEARS);
            return false;
        }
    }
    return ok;
}

/* One data row: its line (new or, in the long layout, the same line again)
 * and its amounts. */
static bool read_initiative_row(const ng_input_file *file, const ng_csvdoc *doc,
                                const ng_csvrow *row, const init_columns *c, const year_columns *yc,
                                bool long_layout, ng_initiatives *out, ng_diags *diags, bool *nomem)
{
    const ng_csvrow *header = &doc->rows[0];
    if (row->nfields != header->nfields) {
        ng_error(diags, doc->path, row->line, 0, "rækken har %zu felter, overskriften %zu",
                 row->nfields, header->nfields);
        return false;
    }
    ng_initiative_type type;
    if (!parse_type(row->fields[c->type], &type)) {
        ng_error(diags, doc->path, row->line, c->type + 1,
                 "typen skal være 'investering' eller 'effekt': '%s'", row->fields[c->type]);
        return false;
    }
    if (!row->fields[c->initiativ][0] || !row->fields[c->linje][0]) {
        int col = !row->fields[c->initiativ][0] ? c->initiativ : c->linje;
        ng_error(diags, doc->path, row->line, col + 1, "feltet '%s' er tomt", header->fields[col]);
        return false;
    }
    bool known = false;
    for (size_t i = 0; i < out->nnames && !known; i++)
        known = !strcmp(out->names[i], row->fields[c->initiativ]);
    if (!known && out->nnames == NG_INIT_MAX_INITIATIVES) {
        ng_error(diags, doc->path, row->line, c->initiativ + 1,
                 "for mange initiativer (højst %d): '%s'", NG_INIT_MAX_INITIATIVES,
                 row->fields[c->initiativ]);
        return false;
    }
    ng_initiative_line *l = line_for(out, row->fields[c->initiativ], row->fields[c->linje], type,
                                     row->line, long_layout);
    if (!l) {
        *nomem = true;
        return false;
    }
    return long_layout ? read_long_row(file, doc, row, c, out, l, diags)
                       : read_wide_row(file, doc, row, yc, out, l, diags);
}

ng_status ng_initiatives_read(const ng_input_file *file, ng_initiatives *out, ng_diags *diags)
{
    memset(out, 0, sizeof *out);
    ng_csvdoc doc;
    ng_status st = ng_csvdoc_read(file, &doc, diags);
    if (st != NG_OK)
        return st == NG_ERR_IO ? NG_ERR_INPUT : st;
    out->path = strdup(file->path);
    if (!out->path) {
        ng_csvdoc_free(&doc);
        return NG_ERR_NOMEM;
    }
    if (doc.nrows == 0) {
        ng_error(diags, doc.path, 0, 0, "initiativfilen er tom");
        ng_csvdoc_free(&doc);
        return NG_ERR_INPUT;
    }
    init_columns c = {ng_csvdoc_column(&doc, "initiativ"), ng_csvdoc_column(&doc, "linje"),
                      ng_csvdoc_column(&doc, "type"), ng_csvdoc_column(&doc, "aar"),
                      ng_csvdoc_column(&doc, "beloeb")};
    bool long_layout = c.aar >= 0 || c.beloeb >= 0;
    if (c.initiativ < 0 || c.linje < 0 || c.type < 0 ||
        (long_layout && (c.aar < 0 || c.beloeb < 0))) {
        ng_error(diags, doc.path, doc.rows[0].line, 0,
                 "initiativfilen skal have kolonnerne initiativ;linje;type og enten en kolonne pr. "
                 "år (2022;2023;…) eller aar;beloeb");
        ng_csvdoc_free(&doc);
        return NG_ERR_INPUT;
    }
    year_columns yc;
    bool ok = collect_years(&doc, &c, &yc, out->years, &out->nyears, diags);
    if (ok && out->nyears == 0 && doc.nrows > 1) {
        ng_error(diags, doc.path, doc.rows[0].line, 0,
                 "initiativfilen har ingen årskolonner (fx 2022;2023)");
        ok = false;
    }
    bool nomem = false, rows_ok = true;
    for (size_t r = 1; ok && !nomem && r < doc.nrows; r++)
        rows_ok &=
            read_initiative_row(file, &doc, &doc.rows[r], &c, &yc, long_layout, out, diags, &nomem);
    ok = ok && rows_ok;
    if (ok && !nomem && out->nlines == 0) {
        ng_error(diags, doc.path, doc.rows[0].line, 0,
                 "initiativfilen har ingen linjer (kun overskriften)");
        ok = false;
    }
    ng_csvdoc_free(&doc);
    if (nomem)
        return NG_ERR_NOMEM;
    return ok ? NG_OK : NG_ERR_INPUT;
}

/* ---- publishing initiatives -------------------------------------------- */

/* One table per initiative: its lines and the live netto row. */
static ng_status publish_initiative(const ng_initiatives *in, size_t k, ng_dataset *ds)
{
    char name[32];
    snprintf(name, sizeof name, "initiativ_%zu", k + 1);
    ng_table *t = ng_table_new(name, in->names[k]);
    if (!t)
        return NG_ERR_NOMEM;
    ng_table_set_source(t, "Kilde: initiativfilen; Provenu = summen af linjerne "
                           "(+ = merudgift, - = mindreudgift)");
    int c_linje = ng_table_add_column(t, "linje", "(mio. kr.)", NG_UNIT_TEXT);
    int c_type = ng_table_add_column(t, "type", "Type", NG_UNIT_TEXT);
    int c_year = ng_table_add_year_columns(t, in->years, in->nyears, NG_UNIT_MIO);
    if (c_linje < 0 || c_type < 0 || c_year < 0) {
        ng_table_free(t);
        return NG_ERR_NOMEM;
    }
    t->cols[c_type].hidden = true;
    int first = -1, last = -1, n = 0;
    for (size_t i = 0; i < in->nlines; i++) {
        const ng_initiative_line *l = &in->lines[i];
        if (l->initiative != (int)k)
            continue;
        char key[32];
        snprintf(key, sizeof key, "linje_%d", ++n);
        int r = ng_table_add_row(t, key, 0);
        if (r < 0) {
            ng_table_free(t);
            return NG_ERR_NOMEM;
        }
        if (first < 0)
            first = r;
        last = r;
        ng_table_set_text(t, r, c_linje, l->linje);
        ng_table_set_text(t, r, c_type, l->type == NG_INIT_INVESTERING ? "investering" : "effekt");
        for (int y = 0; y < in->nyears; y++)
            if (l->has[y])
                ng_table_set_num(t, r, c_year + y, l->kr[y]);
    }
    if (ng_table_add_total_row(t, "netto", "Provenu (+=merudgift)", c_linje, first, last) < 0) {
        ng_table_free(t);
        return NG_ERR_NOMEM;
    }
    return ng_dataset_add_evaluated(ds, t);
}

/* All initiatives in one table, for a template that must not know how many
 * there are: per initiative a bold heading row, its lines and a bold
 * "Provenu" row (SUM over the lines); last "I alt" = the sum of the Provenu
 * rows (a live LINEAR rule). */
static ng_status publish_all_lines(const ng_initiatives *in, ng_dataset *ds)
{
    ng_table *t = ng_table_new("initiativer_linjer", "Initiativernes økonomi (mio. kr.)");
    if (!t)
        return NG_ERR_NOMEM;
    ng_table_set_source(t, "Kilde: initiativfilen (+ = merudgift, - = mindreudgift)");
    int c_linje = ng_table_add_column(t, "linje", "(mio. kr.)", NG_UNIT_TEXT);
    int c_type = ng_table_add_column(t, "type", "Type", NG_UNIT_TEXT);
    int c_year = ng_table_add_year_columns(t, in->years, in->nyears, NG_UNIT_MIO);
    ng_term *netto = calloc(in->nnames ? in->nnames : 1, sizeof *netto);
    if (c_linje < 0 || c_type < 0 || c_year < 0 || !netto) {
        free(netto);
        ng_table_free(t);
        return NG_ERR_NOMEM;
    }
    t->cols[c_type].hidden = true;
    ng_status st = NG_OK;
    for (size_t k = 0; k < in->nnames && st == NG_OK; k++) {
        char key[64];
        snprintf(key, sizeof key, "initiativ_%zu", k + 1);
        int head = ng_table_add_row(t, key, NG_ROW_SUBTOTAL);
        if (head < 0) {
            st = NG_ERR_NOMEM;
            break;
        }
        ng_table_set_text(t, head, c_linje, in->names[k]);
        int n = 0;
        for (size_t i = 0; i < in->nlines; i++) {
            const ng_initiative_line *l = &in->lines[i];
            if (l->initiative != (int)k)
                continue;
            snprintf(key, sizeof key, "initiativ_%zu_linje_%d", k + 1, ++n);
            int r = ng_table_add_row(t, key, 0);
            if (r < 0) {
                st = NG_ERR_NOMEM;
                break;
            }
            ng_table_set_text(t, r, c_linje, l->linje);
            ng_table_set_text(t, r, c_type,
                              l->type == NG_INIT_INVESTERING ? "investering" : "effekt");
            for (int y = 0; y < in->nyears; y++)
                if (l->has[y])
                    ng_table_set_num(t, r, c_year + y, l->kr[y]);
        }
        snprintf(key, sizeof key, "initiativ_%zu_netto", k + 1);
        int sub = st == NG_OK ? ng_table_add_row(t, key, NG_ROW_SUBTOTAL) : -1;
        if (sub < 0) {
            st = NG_ERR_NOMEM;
            break;
        }
        ng_table_set_text(t, sub, c_linje, "Provenu (+=merudgift)");
        for (int y = 0; y < in->nyears; y++)
            ng_table_rule_sum(t, sub, c_year + y, head + 1, sub - 1);
        netto[k] = (ng_term){sub, 0, 1};
    }
    int total = st == NG_OK ? ng_table_add_row(t, "i_alt", NG_ROW_TOTAL) : -1;
    if (total >= 0) {
        ng_table_set_text(t, total, c_linje, "I alt");
        for (int y = 0; y < in->nyears; y++) {
            for (size_t k = 0; k < in->nnames; k++)
                netto[k].col = c_year + y;
            ng_table_rule_linear(t, total, c_year + y, netto, (int)in->nnames);
        }
    } else if (st == NG_OK) {
        st = NG_ERR_NOMEM;
    }
    free(netto);
    if (st != NG_OK) {
        ng_table_free(t);
        return st;
    }
    return ng_dataset_add_evaluated(ds, t);
}

typedef enum { SUM_INVESTERING, SUM_EFFEKT, SUM_NETTO } sum_kind;

/* Sum of initiative k's lines of a kind in year index y; has is false when
 * no such line has an amount. */
static double initiative_sum(const ng_initiatives *in, size_t k, sum_kind kind, int y, bool *has)
{
    double sum = 0;
    *has = false;
    for (size_t i = 0; i < in->nlines; i++) {
        const ng_initiative_line *l = &in->lines[i];
        if (l->initiative != (int)k || !l->has[y])
            continue;
        if ((kind == SUM_INVESTERING && l->type != NG_INIT_INVESTERING) ||
            (kind == SUM_EFFEKT && l->type != NG_INIT_EFFEKT))
            continue;
        sum += l->kr[y];
        *has = true;
    }
    return sum;
}

static const char *const overview_names[] = {"initiativer_investering", "initiativer_effekt",
                                             "initiativer_netto"};
static const char *const overview_titles[] = {"Investering (mio. kr.)",
                                              "Forventede økonomiske effekter (mio. kr.)",
                                              "Nettoeffekt/provenu (mio. kr.)"};
static const char *const overview_keys[] = {"investering", "effekt", "netto"};

/* A live cell of an overview: initiative k's lines of one kind in year y of
 * its table initiativ_<k+1> (investering, effekt), or that table's Provenu
 * row (netto: every line, summed in the same order as initiative_sum). Left
 * a plain empty cell when no such line has an amount, as initiative_sum
 * says. */
static ng_status overview_rule(const ng_initiatives *in, size_t k, sum_kind kind, int y,
                               ng_table *t, int row, int col, const ng_dataset *ds)
{
    bool has;
    initiative_sum(in, k, kind, y, &has);
    if (!has)
        return NG_OK;
    char name[32], year[16];
    snprintf(name, sizeof name, "initiativ_%zu", k + 1);
    snprintf(year, sizeof year, "%d", in->years[y]);
    const ng_table *lines = ng_dataset_table(ds, name);
    int c = lines ? ng_table_col(lines, year) : -1;
    if (c < 0)
        return NG_ERR_INTERNAL;
    if (kind == SUM_NETTO) {
        ng_term provenu = {ng_table_row(lines, "netto"), c, 1, name};
        ng_table_rule_linear(t, row, col, &provenu, 1);
        return provenu.row < 0 ? NG_ERR_INTERNAL : NG_OK;
    }
    ng_term *terms = calloc(in->nlines ? in->nlines : 1, sizeof *terms);
    if (!terms)
        return NG_ERR_NOMEM;
    int n = 0, line = 0; /* line: the row of the initiative's line in its table */
    for (size_t i = 0; i < in->nlines; i++) {
        const ng_initiative_line *l = &in->lines[i];
        if (l->initiative != (int)k)
            continue;
        if ((kind == SUM_INVESTERING) == (l->type == NG_INIT_INVESTERING))
            terms[n++] = (ng_term){line, c, 1, name};
        line++;
    }
    ng_table_rule_linear(t, row, col, terms, n);
    free(terms);
    return NG_OK;
}

static ng_status publish_overview(const ng_initiatives *in, sum_kind kind, ng_dataset *ds)
{
    ng_table *t = ng_table_new(overview_names[kind], overview_titles[kind]);
    if (!t)
        return NG_ERR_NOMEM;
    ng_table_set_source(t, kind == SUM_NETTO
                               ? "Kilde: initiativfilen; netto = investering + effekt "
                                 "(+ = merudgift, - = mindreudgift)"
                               : "Kilde: initiativfilen");
    int c_name = ng_table_add_column(t, "initiativ", overview_titles[kind], NG_UNIT_TEXT);
    int c_year = ng_table_add_year_columns(t, in->years, in->nyears, NG_UNIT_MIO);
    if (c_name < 0 || c_year < 0) {
        ng_table_free(t);
        return NG_ERR_NOMEM;
    }
    for (size_t k = 0; k < in->nnames; k++) {
        char key[32];
        snprintf(key, sizeof key, "initiativ_%zu", k + 1);
        int r = ng_table_add_row(t, key, 0);
        if (r < 0) {
            ng_table_free(t);
            return NG_ERR_NOMEM;
        }
        ng_table_set_text(t, r, c_name, in->names[k]);
        for (int y = 0; y < in->nyears; y++) {
            ng_status st = overview_rule(in, k, kind, y, t, r, c_year + y, ds);
            if (st != NG_OK) {
                ng_table_free(t);
                return st;
            }
        }
    }
    ng_table_add_total_row(t, "i_alt", "I alt", c_name, 0, (int)in->nnames - 1);
    ng_status st = ng_dataset_add_evaluated(ds, t);
    /* the totals a template quotes: references to the I alt row */
    for (int y = 0; y <= in->nyears && st == NG_OK; y++) {
        char name[64], year[16];
        int aar = in->years[y < in->nyears ? y : in->nyears - 1];
        snprintf(year, sizeof year, "%d", aar);
        if (y < in->nyears)
            snprintf(name, sizeof name, "initiativer_%s_i_alt_%d", overview_keys[kind], aar);
        else
            snprintf(name, sizeof name, "initiativer_%s_i_alt_sidste", overview_keys[kind]);
        st = ng_dataset_set_ref(ds, name, overview_names[kind], "i_alt", year);
    }
    return st;
}

static ng_status publish_figure(const ng_initiatives *in, ng_dataset *ds)
{
    const ng_table *t = ng_dataset_table(ds, "initiativer_netto");
    int series[64], cats[NG_INIT_MAX_YEARS];
    int ns = 0, nc = 0;
    for (size_t k = 0; k < in->nnames && ns < 64; k++)
        series[ns++] = (int)k;
    for (int y = 0; y < in->nyears; y++)
        cats[nc++] = 1 + y;
    if (!t || ns == 0)
        return NG_OK;
    ng_figure fig = {.name = "initiativer_figur",
                     .table = "initiativer_netto",
                     .title = "Nettoeffekt pr. initiativ (mio. kr.)",
                     .y_title = "mio. kr.",
                     .type = NG_FIG_COLUMN,
                     .series_from_rows = true,
                     .series = series,
                     .nseries = ns,
                     .cats = cats,
                     .ncats = nc,
                     .label_col = 0};
    return ng_dataset_add_figure(ds, &fig);
}

ng_status ng_initiatives_publish(const ng_initiatives *in, ng_dataset *ds, ng_diags *diags)
{
    (void)diags;
    if (in->nnames == 0 || in->nyears == 0)
        return NG_ERR_INTERNAL;
    ng_status st = NG_OK;
    for (size_t k = 0; k < in->nnames && st == NG_OK; k++) {
        st = publish_initiative(in, k, ds);
        char name[48];
        snprintf(name, sizeof name, "initiativ_%zu_navn", k + 1);
        if (st == NG_OK)
            st = ng_dataset_set_text(ds, name, in->names[k]);
    }
    if (st == NG_OK)
        st = publish_all_lines(in, ds);
    for (int kind = SUM_INVESTERING; kind <= SUM_NETTO && st == NG_OK; kind++)
        st = publish_overview(in, (sum_kind)kind, ds);
    if (st == NG_OK)
        st = publish_figure(in, ds);
    if (st == NG_OK) {
        ng_dataset_set_num(ds, "initiativer_antal", NG_UNIT_ANTAL, (double)in->nnames);
        ng_dataset_set_num(ds, "initiativer_foerste_aar", NG_UNIT_AAR, in->years[0]);
        ng_dataset_set_num(ds, "initiativer_sidste_aar", NG_UNIT_AAR, in->years[in->nyears - 1]);
        st = ds->status;
    }
    return st;
}

/* ---- the fingerplan ----------------------------------------------------- */

void ng_fingerplan_free(ng_fingerplan *fp)
{
    for (size_t i = 0; i < fp->nitems; i++) {
        free(fp->items[i].nr);
        free(fp->items[i].titel);
        free(fp->items[i].loesningsforslag);
        free(fp->items[i].noegletal);
    }
    free(fp->items);
    free(fp->total_label);
    free(fp->path);
    memset(fp, 0, sizeof *fp);
}

static bool read_amounts(const ng_input_file *file, const ng_csvdoc *doc, const ng_csvrow *row,
                         const int *year_field, int nyears, double *kr, bool *has, ng_diags *diags)
{
    bool ok = true;
    for (int y = 0; y < nyears; y++)
        ok &= parse_kr(file, doc, row, year_field[y], &kr[y], &has[y], diags);
    return ok;
}

/* The file's total row must agree with the sum of its items (to the kr.). */
static void check_total(const ng_fingerplan *fp, const ng_csvrow *row, const int *year_field,
                        const double *kr, const bool *has, ng_diags *diags)
{
    for (int y = 0; y < fp->nyears; y++) {
        if (!has[y])
            continue;
        double sum = 0;
        for (size_t i = 0; i < fp->nitems; i++)
            if (fp->items[i].has[y])
                sum += fp->items[i].kr[y];
        if (fabs(sum - kr[y]) > 0.5) {
            char given[32], got[32];
            ng_fmt_kr(given, sizeof given, kr[y]);
            ng_fmt_kr(got, sizeof got, sum);
            ng_warning(
                diags, fp->path, row->line, year_field[y] + 1,
                "totalen for %d er %s kr., summen af initiativerne er %s kr. (summen bruges)",
                fp->years[y], given, got);
        }
    }
}

/* The first of the names the file's header has (case-insensitive), -1 if none. */
static int column_named(const ng_csvdoc *doc, const char *const *names)
{
    for (; *names; names++) {
        int c = ng_csvdoc_column(doc, *names);
        if (c >= 0)
            return c;
    }
    return -1;
}

/* The optional text columns' names (also known to the year columns' check). */
#define LOESNING_NAMES "loesningsforslag", "Løsningsforslag"
#define NOEGLETAL_NAMES "noegletal", "Økonomisk effekt/nøgletal", "oekonomisk_effekt"
static const char *const loesning_names[] = {LOESNING_NAMES, NULL};
static const char *const noegletal_names[] = {NOEGLETAL_NAMES, NULL};

/* An item's optional text (NULL when the file has no such column). */
static char *optional_text(const ng_csvrow *row, int col)
{
    return col >= 0 ? strdup(row->fields[col]) : NULL;
}

/* A fingerplan number becomes a row key (nr_<nr>): short, plain characters. */
static bool valid_nr(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 16)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
            return false;
    return true;
}

static bool add_fingerplan_item(ng_fingerplan *out, const ng_csvdoc *doc, const ng_csvrow *row,
                                int c_nr, int c_titel, int c_loesning, int c_noegletal,
                                const double *kr, const bool *has, ng_diags *diags, bool *nomem)
{
    const char *nr = row->fields[c_nr];
    if (!valid_nr(nr)) {
        ng_error(diags, doc->path, row->line, c_nr + 1,
                 "nummeret skal være højst 16 tegn af a-z, 0-9, '.', '_' og '-': '%s'", nr);
        return false;
    }
    for (size_t i = 0; i < out->nitems; i++)
        if (!strcmp(out->items[i].nr, nr)) {
            ng_error(diags, doc->path, row->line, c_nr + 1,
                     "nummeret %s står der allerede (linje %ld)", nr, out->items[i].line);
            return false;
        }
    if (out->nitems == NG_INIT_MAX_ITEMS) {
        ng_error(diags, doc->path, row->line, 0, "fingerplanen har flere end %d initiativer",
                 NG_INIT_MAX_ITEMS);
        return false;
    }
    ng_fingerplan_item *items = realloc(out->items, (out->nitems + 1) * sizeof *items);
    if (!items) {
        *nomem = true;
        return false;
    }
    out->items = items;
    ng_fingerplan_item *it = &out->items[out->nitems];
    memset(it, 0, sizeof *it);
    it->nr = strdup(nr);
    it->titel = strdup(row->fields[c_titel]);
    it->line = row->line;
    memcpy(it->kr, kr, sizeof it->kr);
    memcpy(it->has, has, sizeof it->has);
    it->loesningsforslag = optional_text(row, c_loesning);
    it->noegletal = optional_text(row, c_noegletal);
    if (!it->nr || !it->titel || (c_loesning >= 0 && !it->loesningsforslag) ||
        (c_noegletal >= 0 && !it->noegletal)) {
        free(it->nr);
        free(it->titel);
        free(it->loesningsforslag);
        free(it->noegletal);
        *nomem = true;
        return false;
    }
    out->nitems++;
    return true;
}

ng_status ng_fingerplan_read(const ng_input_file *file, ng_fingerplan *out, ng_diags *diags)
{
    static const char *const known[] = {"nr", "titel", LOESNING_NAMES, NOEGLETAL_NAMES, NULL};
    memset(out, 0, sizeof *out);
    ng_csvdoc doc;
    ng_status st = ng_csvdoc_read(file, &doc, diags);
    if (st != NG_OK)
        return st == NG_ERR_IO ? NG_ERR_INPUT : st;
    out->path = strdup(file->path);
    if (!out->path) {
        ng_csvdoc_free(&doc);
        return NG_ERR_NOMEM;
    }
    int c_nr = doc.nrows ? ng_csvdoc_column(&doc, "nr") : -1;
    int c_titel = doc.nrows ? ng_csvdoc_column(&doc, "titel") : -1;
    if (c_nr < 0 || c_titel < 0) {
        ng_error(diags, doc.path, doc.nrows ? doc.rows[0].line : 0, 0,
                 doc.nrows ? "fingerplanen skal have kolonnerne nr;titel og en kolonne pr. år"
                           : "fingerplanen er tom");
        ng_csvdoc_free(&doc);
        return NG_ERR_INPUT;
    }
    const ng_csvrow *header = &doc.rows[0];
    int c_loesning = column_named(&doc, loesning_names);
    int c_noegletal = column_named(&doc, noegletal_names);
    out->has_loesningsforslag = c_loesning >= 0;
    out->has_noegletal = c_noegletal >= 0;
    int year_field[NG_INIT_MAX_YEARS];
    bool ok = ng_csvdoc_year_columns(&doc, known, out->years, year_field, NG_INIT_MAX_YEARS,
                                     &out->nyears, diags);
    if (ok && out->nyears == 0) {
        ng_error(diags, doc.path, header->line, 0, "fingerplanen har ingen årskolonner");
        ok = false;
    }
    for (int y = 1; ok && y < out->nyears; y++)
        if (out->years[y] <= out->years[y - 1]) {
            ng_error(diags, doc.path, header->line, year_field[y] + 1,
                     "årene skal stå i stigende orden: %d efter %d", out->years[y],
                     out->years[y - 1]);
            ok = false;
        }
    ok = ok && ng_csvdoc_check_widths(&doc, diags);
    bool nomem = false, rows_ok = true;
    for (size_t r = 1; ok && !nomem && r < doc.nrows; r++) {
        const ng_csvrow *row = &doc.rows[r];
        double kr[NG_INIT_MAX_YEARS] = {0};
        bool has[NG_INIT_MAX_YEARS] = {false};
        if (!read_amounts(file, &doc, row, year_field, out->nyears, kr, has, diags)) {
            rows_ok = false;
            continue;
        }
        if (!row->fields[c_nr][0]) { /* the total row */
            check_total(out, row, year_field, kr, has, diags);
            free(out->total_label);
            out->total_label = strdup(row->fields[c_titel]);
            continue;
        }
        rows_ok &= add_fingerplan_item(out, &doc, row, c_nr, c_titel, c_loesning, c_noegletal, kr,
                                       has, diags, &nomem);
    }
    ok = ok && rows_ok;
    if (ok && !nomem && out->nitems == 0) {
        ng_error(diags, doc.path, header->line, 0, "fingerplanen har ingen initiativer");
        ok = false;
    }
    ng_csvdoc_free(&doc);
    if (nomem)
        return NG_ERR_NOMEM;
    return ok ? NG_OK : NG_ERR_INPUT;
}

ng_status ng_fingerplan_publish(const ng_fingerplan *fp, ng_dataset *ds, ng_diags *diags)
{
    (void)diags;
    ng_table *t =
        ng_table_new("fingerplan", "Forslag til fingerplan: økonomisk effekt (1.000 kr.)");
    if (!t)
        return NG_ERR_NOMEM;
    ng_table_set_source(t, "Kilde: fingerplanfilen (+ = merudgift, - = mindreudgift)");
    int c_nr = ng_table_add_column(t, "nr", "Nr.", NG_UNIT_TEXT);
    int c_titel = ng_table_add_column(t, "titel", "Titel", NG_UNIT_TEXT);
    int c_loesning = fp->has_loesningsforslag ? ng_table_add_column(t, "loesningsforslag",
                                                                    "Løsningsforslag", NG_UNIT_TEXT)
                                              : -1;
    int c_noegletal =
        fp->has_noegletal
            ? ng_table_add_column(t, "noegletal", "Økonomisk effekt/nøgletal", NG_UNIT_TEXT)
            : -1;
    int c_year = ng_table_add_year_columns(t, fp->years, fp->nyears, NG_UNIT_TKR);
    if (c_nr < 0 || c_titel < 0 || c_year < 0) {
        ng_table_free(t);
        return NG_ERR_NOMEM;
    }
    for (size_t i = 0; i < fp->nitems; i++) {
        char key[64];
        snprintf(key, sizeof key, "nr_%s", fp->items[i].nr);
        int r = ng_table_add_row(t, key, 0);
        if (r < 0) {
            ng_table_free(t);
            return NG_ERR_NOMEM;
        }
        ng_table_set_text(t, r, c_nr, fp->items[i].nr);
        ng_table_set_text(t, r, c_titel, fp->items[i].titel);
        if (c_loesning >= 0)
            ng_table_set_text(t, r, c_loesning, fp->items[i].loesningsforslag);
        if (c_noegletal >= 0)
            ng_table_set_text(t, r, c_noegletal, fp->items[i].noegletal);
        for (int y = 0; y < fp->nyears; y++)
            if (fp->items[i].has[y])
                ng_table_set_num(t, r, c_year + y, fp->items[i].kr[y]);
    }
    const char *label = fp->total_label ? fp->total_label : "I alt";
    ng_table_add_total_row(t, "i_alt", label, c_titel, 0, (int)fp->nitems - 1);
    ng_status st = ng_dataset_add_evaluated(ds, t);
    if (st != NG_OK)
        return st;
    ng_dataset_set_num(ds, "fingerplan_foerste_aar", NG_UNIT_AAR, fp->years[0]);
    ng_dataset_set_num(ds, "fingerplan_sidste_aar", NG_UNIT_AAR, fp->years[fp->nyears - 1]);
    char year[16];
    snprintf(year, sizeof year, "%d", fp->years[fp->nyears - 1]);
    /* the saving is the total with the sign turned: positive = less spend */
    ng_term last = ng_dataset_term(ds, "fingerplan", "i_alt", year, -1);
    ng_rule saving = {.kind = NG_RULE_LINEAR, .terms = &last, .nterms = 1};
    ng_dataset_set_rule(ds, "fingerplan_afboedning_sidste", NG_UNIT_TKR, &saving);
    for (int y = 0; y < fp->nyears; y++) {
        char name[48];
        snprintf(name, sizeof name, "fingerplan_i_alt_%d", fp->years[y]);
        snprintf(year, sizeof year, "%d", fp->years[y]);
        ng_dataset_set_ref(ds, name, "fingerplan", "i_alt", year);
    }
    return ds->status;
}

/* ---- the modules ---------------------------------------------------------- */

typedef struct {
    ng_input_file file; /* [initiativer] or [fingerplan]: fil and its format */
} file_opts;

static const ng_config_key initiativer_keys[] = {
    NG_KEY_REQ(file_opts, "initiativer", "fil", NG_KEY_PATH, file.path, NG_REQUIRED_IN_SECTION),
    NG_INPUT_FORMAT_KEYS(file_opts, "initiativer", file),
    NG_INPUT_AMOUNT_KEYS(file_opts, "initiativer", file),
};

static const ng_config_key fingerplan_keys[] = {
    NG_KEY_REQ(file_opts, "fingerplan", "fil", NG_KEY_PATH, file.path, NG_REQUIRED_IN_SECTION),
    NG_INPUT_FORMAT_KEYS(file_opts, "fingerplan", file),
    NG_INPUT_AMOUNT_KEYS(file_opts, "fingerplan", file),
};

static void file_init(void *p)
{
    ng_input_file_init(&((file_opts *)p)->file);
}

static void file_free(void *p)
{
    free(((file_opts *)p)->file.path);
}

static bool file_configured(const void *p)
{
    return ((const file_opts *)p)->file.path != NULL;
}

static void file_inputs(const void *opt, const ng_pipeline *p, ng_input_list *out)
{
    (void)p;
    ng_input_list_add(out, ((const file_opts *)opt)->file.path);
}

static ng_status initiativer_compute(const void *opt, ng_pipeline *p)
{
    ng_initiatives in;
    ng_status st = ng_initiatives_read(&((const file_opts *)opt)->file, &in, p->diags);
    if (st == NG_OK)
        st = ng_initiatives_publish(&in, &p->ds, p->diags);
    ng_initiatives_free(&in);
    return st;
}

static ng_status initiativer_check(const void *opt, ng_pipeline *p)
{
    ng_initiatives in;
    ng_status st = ng_initiatives_read(&((const file_opts *)opt)->file, &in, p->diags);
    ng_initiatives_free(&in);
    return st;
}

static ng_status fingerplan_compute(const void *opt, ng_pipeline *p)
{
    ng_fingerplan fp;
    ng_status st = ng_fingerplan_read(&((const file_opts *)opt)->file, &fp, p->diags);
    if (st == NG_OK)
        st = ng_fingerplan_publish(&fp, &p->ds, p->diags);
    ng_fingerplan_free(&fp);
    return st;
}

static ng_status fingerplan_check(const void *opt, ng_pipeline *p)
{
    ng_fingerplan fp;
    ng_status st = ng_fingerplan_read(&((const file_opts *)opt)->file, &fp, p->diags);
    ng_fingerplan_free(&fp);
    return st;
}

#define YEAR_COLUMNS(unit)                                                                         \
    {                                                                                              \
        "####", NULL, unit, -1, 0                                                                  \
    }

static const ng_decl initiativer_publishes[] = {
    NG_DECL_TABLE_("initiativer_investering", "Investering", "Investering pr. initiativ pr. år",
                   NG_COLS({"initiativ", NULL, NG_UNIT_TEXT, 0, 0}, YEAR_COLUMNS(NG_UNIT_MIO))),
    NG_DECL_TABLE_("initiativer_effekt", "Effekt", "Effekt pr. initiativ pr. år",
                   NG_COLS({"initiativ", NULL, NG_UNIT_TEXT, 0, 0}, YEAR_COLUMNS(NG_UNIT_MIO))),
    NG_DECL_TABLE_("initiativer_netto", "Nettoeffekt",
                   "Netto pr. initiativ pr. år (positiv = merudgift, negativ = besparelse)",
                   NG_COLS({"initiativ", NULL, NG_UNIT_TEXT, 0, 0}, YEAR_COLUMNS(NG_UNIT_MIO))),
    NG_DECL_TABLE_("initiativer_linjer", "Initiativer",
                   "Alle initiativers poster med provenu pr. initiativ og i alt",
                   NG_COLS({"linje", NULL, NG_UNIT_TEXT, 0, 0},
                           {"type", NULL, NG_UNIT_TEXT, 0, NG_COL_HIDDEN},
                           YEAR_COLUMNS(NG_UNIT_MIO))),
    NG_DECL_TABLE_("initiativ_*", NULL, "Et initiativs poster (initiativ_1, initiativ_2, ...)",
                   NG_COLS({"linje", NULL, NG_UNIT_TEXT, 0, 0},
                           {"type", NULL, NG_UNIT_TEXT, 0, NG_COL_HIDDEN},
                           YEAR_COLUMNS(NG_UNIT_MIO))),
    NG_DECL_FIGURE_("initiativer_figur", "initiativer_netto",
                    "Søjler: nettoeffekt pr. initiativ pr. år"),
    NG_DECL_FACT_("initiativer_antal", NG_UNIT_ANTAL, "Antal initiativer i initiativfilen"),
    NG_DECL_FACT_("initiativer_foerste_aar", NG_UNIT_AAR, "Første år i initiativfilen"),
    NG_DECL_FACT_("initiativer_sidste_aar", NG_UNIT_AAR, "Sidste år i initiativfilen"),
    NG_DECL_FACT_("initiativ_*_navn", NG_UNIT_TEXT, "Et initiativs navn (initiativ_1_navn, ...)"),
    NG_DECL_VALUE_("initiativer_*_i_alt_sidste", NG_UNIT_MIO,
                   "Investering, effekt eller netto i alt i sidste år "
                   "(initiativer_netto_i_alt_sidste, ...)"),
    NG_DECL_VALUE_("initiativer_*_i_alt_####", NG_UNIT_MIO,
                   "Investering, effekt eller netto i alt i et år (initiativer_netto_i_alt_2025, "
                   "...)"),
};

static const ng_decl fingerplan_publishes[] = {
    NG_DECL_TABLE_("fingerplan", "Fingerplan",
                   "Fingerplanens initiativer med økonomisk effekt pr. år",
                   NG_COLS({"nr", NULL, NG_UNIT_TEXT, 0, 0}, {"titel", NULL, NG_UNIT_TEXT, 0, 0},
                           {"loesningsforslag", "Løsningsforslag", NG_UNIT_TEXT, 0, 0},
                           {"noegletal", "Økonomisk effekt/nøgletal", NG_UNIT_TEXT, 0, 0},
                           YEAR_COLUMNS(NG_UNIT_TKR))),
    NG_DECL_FACT_("fingerplan_foerste_aar", NG_UNIT_AAR, "Fingerplanens første år"),
    NG_DECL_FACT_("fingerplan_sidste_aar", NG_UNIT_AAR, "Fingerplanens sidste år"),
    NG_DECL_VALUE_("fingerplan_afboedning_sidste", NG_UNIT_TKR,
                   "Fingerplanens afbødning af udgiften i sidste år (positiv = mindreudgift)"),
    NG_DECL_VALUE_("fingerplan_i_alt_####", NG_UNIT_TKR,
                   "Fingerplanens samlede effekt i et år (fingerplan_i_alt_2027, ...)"),
};

const ng_module ng_module_initiativer = {
    .name = "initiativer",
    .summary = "Investeringsinitiativerne: investering, effekt og netto pr. initiativ og år",
    .keys = initiativer_keys,
    .nkeys = sizeof initiativer_keys / sizeof *initiativer_keys,
    .options_size = sizeof(file_opts),
    .options_init = file_init,
    .options_free = file_free,
    .configured = file_configured,
    .inputs = file_inputs,
    .compute = initiativer_compute,
    .check = initiativer_check,
    .publishes = initiativer_publishes,
    .npublishes = sizeof initiativer_publishes / sizeof *initiativer_publishes,
};

const ng_module ng_module_fingerplan = {
    .name = "fingerplan",
    .summary = "Fingerplanens initiativer med økonomisk effekt pr. år",
    .keys = fingerplan_keys,
    .nkeys = sizeof fingerplan_keys / sizeof *fingerplan_keys,
    .options_size = sizeof(file_opts),
    .options_init = file_init,
    .options_free = file_free,
    .configured = file_configured,
    .inputs = file_inputs,
    .compute = fingerplan_compute,
    .check = fingerplan_check,
    .publishes = fingerplan_publishes,
    .npublishes = sizeof fingerplan_publishes / sizeof *fingerplan_publishes,
};
