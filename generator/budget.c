/* budget.c -- the budget outlook from a budget file and a model file (see budget.h). */
#include "notatgen/budget.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notatgen/csvdoc.h"
#include "notatgen/module.h"
#include "notatgen/modules.h"
#include "notatgen/publish.h"
#include "notatgen/textcheck.h"

enum { MAX_YEARS = 32 };

/* ---- the model file ----------------------------------------------------- */

typedef struct {
    char *post;
    char *tekst;
    char *regel; /* NULL for an input row */
    char *primo; /* name of the configuration value for the year before */
    bool fed, kurve;
    long line; /* line of the section header */
    long regel_line;
} model_row;

typedef struct {
    const char *path;
    model_row *rows;
    size_t nrows;
    char *titel, *kilde, *figur;
    long line; /* current line while parsing */
    ng_diags *diags;
    bool failed;
} model;

static bool parse_bool(const char *v)
{
    return !strcasecmp(v, "ja") || !strcasecmp(v, "true") || !strcmp(v, "1");
}

/* inih hands over a section name or key of at most 49 bytes, cut without
 * a word (MAX_SECTION and MAX_NAME are 50 in inih): a post key is a name the
 * rules can write, letters, digits and '_', of at most 48 characters, so a
 * cut one is never taken for another. */
enum { MAX_POST = 48 };

static bool valid_post(const char *s)
{
    if (!*s || strlen(s) > MAX_POST)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/* How much of a name inih cut may be quoted: up to a character it cut. */
static int shown(const char *s)
{
    return (int)ng_utf8_invalid_at(s, strlen(s));
}

static model_row *model_row_for(model *m, const char *section)
{
    if (m->nrows > 0 && !strcmp(m->rows[m->nrows - 1].post, section))
        return &m->rows[m->nrows - 1];
    if (!valid_post(section)) {
        ng_error(m->diags, m->path, m->line, 0,
                 "rækkenavnet [%.*s] må kun have bogstaverne a-z, cifre og _ (højst %d tegn)",
                 shown(section), section, MAX_POST);
        m->failed = true;
        return NULL;
    }
    for (size_t i = 0; i < m->nrows; i++) {
        if (!strcmp(m->rows[i].post, section)) {
            ng_error(m->diags, m->path, m->line, 0, "rækken [%s] står to gange i modellen",
                     section);
            m->failed = true;
            return NULL;
        }
    }
    model_row *rows = realloc(m->rows, (m->nrows + 1) * sizeof *rows);
    if (!rows) {
        m->failed = true;
        return NULL;
    }
    m->rows = rows;
    model_row *r = &m->rows[m->nrows++];
    memset(r, 0, sizeof *r);
    r->post = strdup(section);
    r->line = m->line;
    if (!r->post) {
        m->nrows--;
        m->failed = true;
        return NULL;
    }
    return r;
}

static int model_handler(void *user, const char *section, const char *name, const char *value)
{
    model *m = user;
    if (!strcmp(section, "tabel")) {
        char **field = !strcmp(name, "titel")   ? &m->titel
                       : !strcmp(name, "kilde") ? &m->kilde
                       : !strcmp(name, "figur") ? &m->figur
                                                : NULL;
        if (!field) {
            ng_error(m->diags, m->path, m->line, 0, "ukendt nøgle '%.*s' i [tabel]", shown(name),
                     name);
            m->failed = true;
            return 1;
        }
        free(*field);
        *field = strdup(value);
        return 1;
    }
    model_row *r = model_row_for(m, section);
    if (!r)
        return 1;
    if (!strcmp(name, "tekst")) {
        free(r->tekst);
        r->tekst = strdup(value);
    } else if (!strcmp(name, "regel")) {
        free(r->regel);
        r->regel = strdup(value);
        r->regel_line = m->line;
    } else if (!strcmp(name, "primo")) {
        free(r->primo);
        r->primo = strdup(value);
    } else if (!strcmp(name, "fed")) {
        r->fed = parse_bool(value);
    } else if (!strcmp(name, "kurve")) {
        r->kurve = parse_bool(value);
    } else {
        ng_error(m->diags, m->path, m->line, 0, "ukendt nøgle '%.*s' i [%s]", shown(name), name,
                 section);
        m->failed = true;
    }
    return 1;
}

enum { MAX_MODEL_LINES = 10000 };

typedef struct {
    FILE *f;
    model *m;
    char *raw; /* the current physical line */
    size_t cap;
} line_reader;

/* The reader inih calls: one physical line at a time, counted, and checked
 * (NUL bytes, a CR alone, invalid UTF-8, control and invisible characters,
 * length), so a bad byte is an error naming its line, never a cut value. */
static char *counting_reader(char *str, int num, void *stream)
{
    line_reader *lr = stream;
    model *m = lr->m;
    ssize_t got = getline(&lr->raw, &lr->cap, lr->f);
    if (got < 0 || num < 2)
        return NULL;
    if (++m->line > MAX_MODEL_LINES) {
        ng_error(m->diags, m->path, m->line, 0, "budgetmodellen har flere end 10.000 linjer");
        m->failed = true;
        return NULL;
    }
    size_t len;
    char msg[256];
    long col;
    const char *problem;
    const char *text = ng_text_line_take(lr->raw, (size_t)got, m->line == 1, &len, &problem, &col,
                                         msg, sizeof msg);
    if (!problem && len + 2 > (size_t)num) {
        snprintf(msg, sizeof msg, "linjen er for lang: %zu byte (højst %d)", len, num - 2);
        problem = msg;
        col = 0;
    }
    if (problem) {
        ng_error(m->diags, m->path, m->line, col, "%s", problem);
        m->failed = true;
        len = 0;
    }
    snprintf(str, (size_t)num, "%.*s\n", (int)len, text);
    return str;
}

static void model_free(model *m)
{
    for (size_t i = 0; i < m->nrows; i++) {
        free(m->rows[i].post);
        free(m->rows[i].tekst);
        free(m->rows[i].regel);
        free(m->rows[i].primo);
    }
    free(m->rows);
    free(m->titel);
    free(m->kilde);
    free(m->figur);
}

static ng_status model_load(const char *path, model *m, ng_diags *diags)
{
    memset(m, 0, sizeof *m);
    m->path = path;
    m->diags = diags;
    FILE *f = fopen(path, "r");
    if (!f) {
        ng_error(diags, path, 0, 0, "kan ikke læse budgetmodellen: %s", strerror(errno));
        return NG_ERR_CONFIG;
    }
    line_reader lr = {f, m, NULL, 0};
    int rc = ini_parse_stream(counting_reader, &lr, model_handler, m);
    fclose(f);
    free(lr.raw);
    if (rc > 0) {
        ng_error(diags, path, rc, 0,
                 "linjen kan ikke læses (forventet [post] eller nøgle = værdi)");
        m->failed = true;
    }
    if (m->nrows == 0 && !m->failed) {
        ng_error(diags, path, 0, 0, "budgetmodellen har ingen rækker");
        m->failed = true;
    }
    return m->failed ? NG_ERR_CONFIG : NG_OK;
}

/* ---- the budget file ---------------------------------------------------- */

typedef struct {
    int years[MAX_YEARS];
    int nyears;
    /* values[row][year index] in kr.; has[] marks given cells */
    double (*values)[MAX_YEARS];
    bool (*has)[MAX_YEARS];
    char **tekst;     /* per model row: text from the file, or NULL */
    bool *is_derived; /* per model row: the file gave it as a derived row */
    long (*lines)[MAX_YEARS];
    size_t nrows; /* model rows the per-row arrays hold */
} budget_input;

static int model_index(const model *m, const char *post)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (!strcmp(m->rows[i].post, post))
            return (int)i;
    return -1;
}

static int year_index(budget_input *in, int year)
{
    for (int i = 0; i < in->nyears; i++)
        if (in->years[i] == year)
            return i;
    if (in->nyears == MAX_YEARS)
        return -1;
    /* keep the years sorted; the values already stored move with their
     * year (a long file need not list its years in ascending order) */
    int i = in->nyears;
    while (i > 0 && in->years[i - 1] > year)
        i--;
    size_t tail = (size_t)(in->nyears - i);
    memmove(&in->years[i + 1], &in->years[i], tail * sizeof in->years[0]);
    for (size_t r = 0; r < in->nrows; r++) {
        memmove(&in->values[r][i + 1], &in->values[r][i], tail * sizeof in->values[r][0]);
        memmove(&in->has[r][i + 1], &in->has[r][i], tail * sizeof in->has[r][0]);
        memmove(&in->lines[r][i + 1], &in->lines[r][i], tail * sizeof in->lines[r][0]);
        in->values[r][i] = 0;
        in->has[r][i] = false;
        in->lines[r][i] = 0;
    }
    in->years[i] = year;
    in->nyears++;
    return -2; /* caller must look it up again: indexes moved */
}

static bool store_value(budget_input *in, const model *m, const ng_budget_options *cfg,
                        const ng_csvdoc *doc, const ng_csvrow *row, int field, int mrow, int year,
                        bool derived, ng_diags *diags)
{
    int64_t oere;
    bool has;
    if (!ng_csvdoc_field_amount(doc, row, field, cfg->file.decimal, cfg->file.scale, &oere, &has,
                                diags))
        return false;
    if (!has)
        return true; /* blank: no amount for that year */
    int yi = year_index(in, year);
    if (yi == -2)
        yi = year_index(in, year);
    if (yi < 0) {
        ng_error(diags, doc->path, row->line, field + 1, "for mange år i budgetfilen");
        return false;
    }
    if (in->has[mrow][yi]) {
        ng_error(diags, doc->path, row->line, field + 1,
                 "%s har allerede et beløb for %d (linje %ld)", m->rows[mrow].post, year,
                 in->lines[mrow][yi]);
        return false;
    }
    in->values[mrow][yi] = (double)oere / 100.0;
    in->has[mrow][yi] = true;
    in->lines[mrow][yi] = row->line;
    in->is_derived[mrow] = derived;
    return true;
}

/* One row of the budget file: its post and its amounts. */
static bool read_budget_row(const ng_budget_options *cfg, const model *m, budget_input *in,
                            const ng_csvdoc *doc, const ng_csvrow *row, const int *cols,
                            const int *year_cols, const int *years, int nyears, ng_diags *diags)
{
    enum { C_POST, C_KIND, C_TEKST, C_AAR, C_BELOEB };
    const ng_csvrow *header = &doc->rows[0];
    if (row->nfields != header->nfields) {
        ng_error(diags, doc->path, row->line, 0, "rækken har %zu felter, overskriften %zu",
                 row->nfields, header->nfields);
        return false;
    }
    const char *post = row->fields[cols[C_POST]];
    int mrow = model_index(m, post);
    if (mrow < 0) {
        ng_error(diags, doc->path, row->line, cols[C_POST] + 1,
                 "posten findes ikke i budgetmodellen %s: '%s'", m->path, post);
        return false;
    }
    bool derived = cols[C_KIND] >= 0 && !strcasecmp(row->fields[cols[C_KIND]], "derived");
    if (!derived && m->rows[mrow].regel) {
        ng_error(diags, doc->path, row->line, cols[C_POST] + 1,
                 "posten beregnes af modellen (regel: %s) og kan ikke være input: '%s'",
                 m->rows[mrow].regel, post);
        return false;
    }
    if (cols[C_TEKST] >= 0 && row->fields[cols[C_TEKST]][0] && !in->tekst[mrow])
        in->tekst[mrow] = strdup(row->fields[cols[C_TEKST]]);
    if (cols[C_AAR] >= 0) {
        int year;
        return ng_csvdoc_field_year(doc, row, cols[C_AAR], &year, diags) &&
               store_value(in, m, cfg, doc, row, cols[C_BELOEB], mrow, year, derived, diags);
    }
    bool ok = true;
    for (int y = 0; y < nyears; y++)
        ok &= store_value(in, m, cfg, doc, row, year_cols[y], mrow, years[y], derived, diags);
    return ok;
}

static ng_status read_budget(const ng_budget_options *cfg, const model *m, budget_input *in,
                             ng_diags *diags)
{
    static const char *const wide_known[] = {"post", "kind", "tekst", NULL};
    static const char *const long_known[] = {"post", "kind", "tekst", "aar", "beloeb", NULL};
    ng_csvdoc doc;
    ng_status st = ng_csvdoc_read(&cfg->file, &doc, diags);
    if (st != NG_OK)
        return st == NG_ERR_IO ? NG_ERR_INPUT : st;
    bool ok = true;
    if (doc.nrows == 0) {
        ng_error(diags, cfg->file.path, 0, 0, "budgetfilen er tom");
        ok = false;
    }
    int cols[5] = {ng_csvdoc_column(&doc, "post"), ng_csvdoc_column(&doc, "kind"),
                   ng_csvdoc_column(&doc, "tekst"), ng_csvdoc_column(&doc, "aar"),
                   ng_csvdoc_column(&doc, "beloeb")};
    bool long_layout = cols[3] >= 0 || cols[4] >= 0;
    if (ok && (cols[0] < 0 || (long_layout && (cols[3] < 0 || cols[4] < 0)))) {
        ng_error(diags, doc.path, doc.rows[0].line, 0,
                 "budgetfilen mangler kolonnen '%s' (bred form: post;tekst;2023;… eller lang "
                 "form: post;aar;beloeb)",
                 cols[0] < 0   ? "post"
                 : cols[3] < 0 ? "aar"
                               : "beloeb");
        ok = false;
    }
    int years[MAX_YEARS], year_cols[MAX_YEARS], nyears = 0;
    if (ok)
        ok = ng_csvdoc_year_columns(&doc, long_layout ? long_known : wide_known, years, year_cols,
                                    MAX_YEARS, &nyears, diags);
    if (ok && doc.nrows == 1) {
        ng_error(diags, doc.path, doc.rows[0].line, 0,
                 "budgetfilen har kun en overskrift og ingen poster");
        ok = false;
    }
    bool rows_ok = true; /* every bad row is reported */
    for (size_t r = 1; ok && r < doc.nrows; r++)
        rows_ok &=
            read_budget_row(cfg, m, in, &doc, &doc.rows[r], cols, year_cols, years, nyears, diags);
    ok = ok && rows_ok;
    if (ok && in->nyears == 0) {
        ng_error(diags, doc.path, 0, 0, "budgetfilen har ingen årskolonner (fx 2023;2024)");
        ok = false;
    }
    ng_csvdoc_free(&doc);
    return ok ? NG_OK : NG_ERR_INPUT;
}

/* ---- rules -------------------------------------------------------------- */

typedef struct {
    int row;
    int lag; /* 0 or 1 (post[-1]) */
    double sign;
} rule_term;

/* Parses "a + b[-1] - c" into terms. */
static bool parse_rule(const model *m, const model_row *mr, rule_term *terms, int *nterms,
                       ng_diags *diags)
{
    const char *p = mr->regel;
    *nterms = 0;
    double sign = 1;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '+' || *p == '-') {
            sign = *p == '-' ? -1 : 1;
            p++;
            continue;
        }
        if (!*p)
            break;
        const char *start = p;
        while (*p && (isalnum((unsigned char)*p) || *p == '_'))
            p++;
        size_t len = (size_t)(p - start);
        int lag = 0;
        if (!strncmp(p, "[-1]", 4)) {
            lag = 1;
            p += 4;
        }
        char name[64];
        if (len == 0 || len >= sizeof name || *nterms == 16) {
            ng_error(diags, m->path, mr->regel_line, 0, "reglen for %s kan ikke læses: '%s'",
                     mr->post, mr->regel);
            return false;
        }
        memcpy(name, start, len);
        name[len] = '\0';
        int row = model_index(m, name);
        if (row < 0) {
            ng_error(diags, m->path, mr->regel_line, 0, "reglen for %s nævner en ukendt post: '%s'",
                     mr->post, name);
            return false;
        }
        terms[(*nterms)++] = (rule_term){row, lag, sign};
        sign = 1;
    }
    if (*nterms == 0) {
        ng_error(diags, m->path, mr->regel_line, 0, "reglen for %s er tom", mr->post);
        return false;
    }
    return true;
}

/* Value of a primo name from the configuration. */
static bool primo_value(const ng_budget_options *cfg, const char *name, double *kr)
{
    if (!strcmp(name, "gaeld_primo")) {
        *kr = cfg->gaeld_primo;
        return true;
    }
    return false;
}

/* ---- building the table ------------------------------------------------- */

static int add_columns(ng_table *t, const budget_input *in)
{
    ng_table_add_column(t, "post", "Post", NG_UNIT_TEXT);
    t->cols[0].hidden = true;
    ng_table_add_column(t, "tekst", "Socialområdet service, mio. kr.", NG_UNIT_TEXT);
    char key[16];
    /* the year before the first: carries primo values (the debt from before) */
    snprintf(key, sizeof key, "%d", in->years[0] - 1);
    int primo = ng_table_add_column(t, key, key, NG_UNIT_MIO);
    t->cols[primo].hidden = true;
    if (in->nyears > 0 && ng_table_add_year_columns(t, in->years, in->nyears, NG_UNIT_MIO) < 0)
        return -1;
    return primo;
}

static bool fill_rules(ng_table *t, const model *m, const ng_budget_options *cfg,
                       const budget_input *in, int primo_col, ng_diags *diags)
{
    bool ok = true;
    for (size_t r = 0; r < m->nrows; r++) {
        const model_row *mr = &m->rows[r];
        if (mr->primo) {
            double kr;
            if (!primo_value(cfg, mr->primo, &kr)) {
                ng_error(diags, m->path, mr->line, 0, "ukendt primo-værdi for %s: '%s'", mr->post,
                         mr->primo);
                ok = false;
                continue;
            }
            ng_table_set_num(t, (int)r, primo_col, kr);
        }
        if (!mr->regel)
            continue;
        rule_term terms[16];
        int n;
        if (!parse_rule(m, mr, terms, &n, diags)) {
            ok = false;
            continue;
        }
        for (int y = 0; y < in->nyears; y++) {
            ng_term cells[16];
            for (int i = 0; i < n; i++) {
                const model_row *ref = &m->rows[terms[i].row];
                if (y == 0 && terms[i].lag && !ref->primo) {
                    ng_error(diags, m->path, mr->regel_line, 0,
                             "reglen for %s bruger %s[-1], men posten har ingen primo-værdi for "
                             "%d",
                             mr->post, ref->post, in->years[0] - 1);
                    ok = false;
                }
                cells[i] = (ng_term){terms[i].row, primo_col + 1 + y - terms[i].lag, terms[i].sign};
            }
            ng_table_rule_linear(t, (int)r, primo_col + 1 + y, cells, n);
        }
    }
    return ok;
}

/* A derived row given in the budget file must agree with the model to the
 * precision it is written in; a difference is reported, the model wins. */
static void check_given_derived(const ng_table *t, const model *m, const ng_budget_options *cfg,
                                const budget_input *in, int primo_col, ng_diags *diags)
{
    for (size_t r = 0; r < m->nrows; r++) {
        if (!m->rows[r].regel || !in->is_derived[r])
            continue;
        for (int y = 0; y < in->nyears; y++) {
            if (!in->has[r][y])
                continue;
            double computed = ng_table_cell(t, (int)r, primo_col + 1 + y)->num;
            double unit = cfg->file.scale == NG_SCALE_MIO   ? 1e6
                          : cfg->file.scale == NG_SCALE_TKR ? 1e3
                                                            : 1;
            /* the file's value is rounded to at most 0,05 of its unit */
            if (fabs(computed - in->values[r][y]) > 0.05 * unit + 0.005) {
                char given[32], got[32];
                ng_fmt_dec(given, sizeof given, in->values[r][y] / unit, 2);
                ng_fmt_dec(got, sizeof got, computed / unit, 2);
                ng_warning(diags, cfg->file.path, in->lines[r][y], 0,
                           "%s %d: filen angiver %s, modellen giver %s (modellens tal bruges)",
                           m->rows[r].post, in->years[y], given, got);
            }
        }
    }
}

static ng_status add_figure(ng_dataset *ds, const ng_table *t, const model *m, int primo_col)
{
    int series[32], cats[MAX_YEARS];
    int ns = 0, nc = 0;
    for (size_t r = 0; r < m->nrows && ns < 32; r++)
        if (m->rows[r].kurve)
            series[ns++] = (int)r;
    for (int c = primo_col + 1; c < t->ncols; c++)
        cats[nc++] = c;
    if (ns == 0)
        return NG_OK;
    ng_figure fig = {.name = "budgetoverslag_figur",
                     .table = "budgetoverslag",
                     .title = m->figur ? m->figur : m->titel,
                     .y_title = "mio. kr.",
                     .type = NG_FIG_LINE,
                     .series_from_rows = true,
                     .series = series,
                     .nseries = ns,
                     .cats = cats,
                     .ncats = nc,
                     .label_col = 1};
    return ng_dataset_add_figure(ds, &fig);
}

static void input_free(budget_input *in, size_t nrows)
{
    if (in->tekst)
        for (size_t i = 0; i < nrows; i++)
            free(in->tekst[i]);
    free(in->tekst);
    free(in->values);
    free(in->has);
    free(in->lines);
    free(in->is_derived);
}

static ng_status apply_overrides(ng_table *t, const model *m, const budget_input *in, int primo_col,
                                 const ng_budget_override *ov, size_t nov, const ng_dataset *ds,
                                 ng_diags *diags)
{
    for (size_t i = 0; i < nov; i++) {
        int r = model_index(m, ov[i].post);
        int y = -1;
        for (int k = 0; k < in->nyears; k++)
            if (in->years[k] == ov[i].aar)
                y = k;
        if (r < 0 || m->rows[r].regel) {
            ng_error(diags, m->path, 0, 0, "posten %s kan ikke sættes fra en beregning",
                     ov[i].post);
            return NG_ERR_CONFIG;
        }
        if (y < 0)
            continue;
        if (ov[i].nterms == 0) {
            ng_table_set_num(t, r, primo_col + 1 + y, ov[i].kr);
            continue;
        }
        for (int k = 0; k < ov[i].nterms; k++) {
            const ng_table *src = ng_dataset_table(ds, ov[i].terms[k].table);
            if (!src || !ng_table_cell(src, ov[i].terms[k].row, ov[i].terms[k].col)) {
                /* the caller names a cell it has not published */
                ng_error(diags, m->path, 0, 0, "posten %s %d: en celle i %s findes ikke",
                         ov[i].post, ov[i].aar, ov[i].terms[k].table ? ov[i].terms[k].table : "?");
                return NG_ERR_INTERNAL;
            }
        }
        ng_table_rule_linear(t, r, primo_col + 1 + y, ov[i].terms, ov[i].nterms);
    }
    return NG_OK;
}

ng_status ng_budget_outlook(const ng_budget_options *cfg, const char *model_path,
                            const ng_budget_override *overrides, size_t noverrides, ng_dataset *ds,
                            ng_diags *diags)
{
    model m;
    budget_input in;
    memset(&in, 0, sizeof in);
    ng_table *t = NULL;
    ng_status st = model_load(model_path, &m, diags);
    if (st != NG_OK)
        goto cleanup;
    in.values = calloc(m.nrows, sizeof *in.values);
    in.has = calloc(m.nrows, sizeof *in.has);
    in.lines = calloc(m.nrows, sizeof *in.lines);
    in.tekst = calloc(m.nrows, sizeof *in.tekst);
    in.is_derived = calloc(m.nrows, sizeof *in.is_derived);
    in.nrows = m.nrows;
    if (!in.values || !in.has || !in.lines || !in.tekst || !in.is_derived) {
        st = NG_ERR_NOMEM;
        goto cleanup;
    }
    st = read_budget(cfg, &m, &in, diags);
    if (st != NG_OK)
        goto cleanup;
    t = ng_table_new("budgetoverslag", m.titel ? m.titel : "Budgetoverslag");
    if (!t) {
        st = NG_ERR_NOMEM;
        goto cleanup;
    }
    ng_table_set_source(t, m.kilde);
    int primo_col = add_columns(t, &in);
    for (size_t r = 0; r < m.nrows; r++) {
        const model_row *mr = &m.rows[r];
        int row = ng_table_add_row(t, mr->post, mr->fed ? NG_ROW_SUBTOTAL : 0);
        ng_table_set_text(t, row, 0, mr->post);
        ng_table_set_text(t, row, 1, in.tekst[r] ? in.tekst[r] : mr->tekst ? mr->tekst : mr->post);
        if (mr->regel)
            continue;
        for (int y = 0; y < in.nyears; y++)
            if (in.has[r][y])
                ng_table_set_num(t, row, primo_col + 1 + y, in.values[r][y]);
    }
    st = apply_overrides(t, &m, &in, primo_col, overrides, noverrides, ds, diags);
    if (st != NG_OK)
        goto cleanup;
    if (!fill_rules(t, &m, cfg, &in, primo_col, diags)) {
        st = NG_ERR_CONFIG;
        goto cleanup;
    }
    st = ng_table_evaluate_in(t, ds); /* overrides may read the fingerplan's total */
    if (st != NG_OK) {
        ng_error(diags, model_path, 0, 0, "budgetmodellens regler refererer i ring");
        st = NG_ERR_CONFIG;
        goto cleanup;
    }
    check_given_derived(t, &m, cfg, &in, primo_col, diags);
    st = add_figure(ds, t, &m, primo_col);
    if (st == NG_OK) {
        st = ng_dataset_add_table(ds, t);
        t = NULL;
    }
cleanup:
    ng_table_free(t);
    input_free(&in, m.nrows);
    model_free(&m);
    return st;
}

/* ---- the values a template quotes ---------------------------------------- */

/* The year columns of budgetoverslag: keys of four digits, not hidden. */
static void year_columns(const ng_table *t, int *first, int *last)
{
    *first = *last = -1;
    for (int c = 0; c < t->ncols; c++) {
        const char *k = t->cols[c].key;
        if (t->cols[c].hidden || strlen(k) != 4 || !isdigit((unsigned char)k[0]))
            continue;
        if (*first < 0)
            *first = c;
        *last = c;
    }
}

ng_status ng_budget_values(ng_dataset *ds)
{
    const ng_table *t = ng_dataset_table(ds, "budgetoverslag");
    int first, last;
    if (!t)
        return NG_ERR_INTERNAL;
    year_columns(t, &first, &last);
    if (first < 1)
        return NG_ERR_INTERNAL;
    const char *y0 = t->cols[first].key, *y1 = t->cols[last].key;
    const char *primo = t->cols[first - 1].key; /* the hidden year before: the debt carried */
    ng_dataset_set_num(ds, "budget_foerste_aar", NG_UNIT_AAR, atoi(y0));
    ng_dataset_set_num(ds, "budget_sidste_aar", NG_UNIT_AAR, atoi(y1));
    ng_dataset_set_num(ds, "budget_primo_aar", NG_UNIT_AAR, atoi(primo));
    if (ng_table_row(t, "gaeld") >= 0)
        ng_dataset_set_ref(ds, "budget_gaeld_primo", "budgetoverslag", "gaeld", primo);
    for (int r = 0; r < t->nrows; r++) {
        if (!t->rows[r].key)
            continue;
        char name[128];
        snprintf(name, sizeof name, "budget_%s_foerste", t->rows[r].key);
        ng_dataset_set_ref(ds, name, "budgetoverslag", t->rows[r].key, y0);
        snprintf(name, sizeof name, "budget_%s_sidste", t->rows[r].key);
        ng_dataset_set_ref(ds, name, "budgetoverslag", t->rows[r].key, y1);
    }
    if (ng_table_row(t, "merforbrug_efter") >= 0 && ng_table_row(t, "merindtaegt_sdes") >= 0) {
        ng_term before[] = {ng_dataset_term(ds, "budgetoverslag", "merforbrug_efter", y0, 1),
                            ng_dataset_term(ds, "budgetoverslag", "merindtaegt_sdes", y0, 1)};
        ng_rule r = {.kind = NG_RULE_LINEAR, .terms = before, .nterms = 2};
        ng_dataset_set_rule(ds, "budget_merforbrug_foer_sdes_foerste", NG_UNIT_MIO, &r);
        if (ng_table_row(t, "gaeld") >= 0) {
            ng_term with_debt[] = {
                ng_dataset_value_term(ds, "budget_merforbrug_foer_sdes_foerste", 1),
                ng_dataset_value_term(ds, "budget_gaeld_primo", 1)};
            ng_rule d = {.kind = NG_RULE_LINEAR, .terms = with_debt, .nterms = 2};
            ng_dataset_set_rule(ds, "budget_merforbrug_inkl_gaeld_foerste", NG_UNIT_MIO, &d);
        }
    }
    if (ng_table_row(t, "udgift_foer_soep") >= 0 && ng_table_row(t, "udgift_inkl_alt") >= 0) {
        ng_term saved[] = {ng_dataset_term(ds, "budgetoverslag", "udgift_foer_soep", y1, 1),
                           ng_dataset_term(ds, "budgetoverslag", "udgift_inkl_alt", y1, -1)};
        ng_rule r = {.kind = NG_RULE_LINEAR, .terms = saved, .nterms = 2};
        ng_dataset_set_rule(ds, "budget_afboedning_sidste", NG_UNIT_MIO, &r);
    }
    return ds->status;
}

/* ---- the module ---------------------------------------------------------- */

typedef ng_budget_options opts;

static const ng_config_key keys[] = {
    NG_KEY_REQ(opts, "budget", "fil", NG_KEY_PATH, file.path, NG_REQUIRED_IN_SECTION),
    NG_INPUT_FORMAT_KEYS(opts, "budget", file),
    NG_INPUT_AMOUNT_KEYS(opts, "budget", file),
    NG_KEY(opts, "budget", "model", NG_KEY_PATH, model),
    NG_KEY(opts, "budget", "gaeld_primo", NG_KEY_STRING, gaeld_primo_text),
    NG_KEY(opts, "budget", "merindtaegt_fra_refusion", NG_KEY_BOOL, merindtaegt_fra_refusion),
    NG_KEY(opts, "budget", "effekt_fra_initiativer", NG_KEY_BOOL, effekt_fra_initiativer),
};

static void options_init(void *p)
{
    ng_input_file_init(&((opts *)p)->file);
}

static void options_free(void *p)
{
    opts *o = p;
    free(o->file.path);
    free(o->model);
    free(o->gaeld_primo_text);
}

/* gaeld_primo is written in the budget file's enhed, known only once the
 * whole section is read. */
static void options_finish(void *p, ng_config_ctx *c)
{
    opts *o = p;
    if (!o->gaeld_primo_text)
        return;
    int64_t oere;
    if (ng_parse_amount(o->gaeld_primo_text, o->file.decimal, o->file.scale, &oere, NULL) !=
        NG_OK) {
        ng_config_error(c, ng_config_key_line(c, "budget", "gaeld_primo"),
                        "ugyldig værdi for 'gaeld_primo': '%s' (forventet et beløb i budgetfilens "
                        "enhed, fx 12.345.678 eller -1.234,5)",
                        o->gaeld_primo_text);
        return;
    }
    o->gaeld_primo = (double)oere / 100.0;
}

static bool configured(const void *opt)
{
    return ((const opts *)opt)->file.path != NULL;
}

/* The model file: [budget] model, else budgetmodel.ini among the templates. */
static char *model_path(const opts *o, const ng_pipeline *p)
{
    if (o->model)
        return strdup(o->model);
    return p->template_dir ? ng_path_join(p->template_dir, "budgetmodel.ini") : NULL;
}

static void inputs(const void *opt, const ng_pipeline *p, ng_input_list *out)
{
    const opts *o = opt;
    char *model_file = model_path(o, p);
    ng_input_list_add(out, o->file.path);
    ng_input_list_add(out, model_file);
    free(model_file);
}

/* The rows other computations can set, each a live reference into the
 * table it comes from: effekt_fingerplan from the fingerplan's total (or
 * without one the initiatives' net total), merindtaegt_sdes from the
 * refusion budget (what the social area keeps: voksne and ældre). */
typedef struct {
    ng_budget_override ov[64];
    ng_term terms[64][2];
    char years[64][16];
    size_t n;
} overrides;

static void override_from(overrides *o, ng_dataset *ds, const char *post, const char *table,
                          const char *row)
{
    const ng_table *t = ng_dataset_table(ds, table);
    for (int c = 0; t && c < t->ncols && o->n < 64; c++) {
        const char *k = t->cols[c].key;
        const ng_cell *cell = ng_table_cell(t, ng_table_row(t, row), c);
        if (strlen(k) != 4 || !isdigit((unsigned char)k[0]) || !cell || cell->type != NG_CELL_NUM)
            continue;
        snprintf(o->years[o->n], sizeof o->years[o->n], "%s", k);
        o->terms[o->n][0] = ng_dataset_term(ds, table, row, o->years[o->n], 1);
        o->ov[o->n] = (ng_budget_override){post, atoi(k), 0, o->terms[o->n], 1};
        o->n++;
    }
}

static ng_status collect_overrides(const opts *opt, ng_pipeline *p, overrides *o)
{
    ng_dataset *ds = &p->ds;
    o->n = 0;
    if (opt->effekt_fra_initiativer) {
        if (ng_dataset_table(ds, "fingerplan"))
            override_from(o, ds, "effekt_fingerplan", "fingerplan", "i_alt");
        else if (ng_dataset_table(ds, "initiativer_netto"))
            override_from(o, ds, "effekt_fingerplan", "initiativer_netto", "i_alt");
        else
            ng_warning(p->diags, p->config_path, 0, 0,
                       "effekt_fra_initiativer = ja, men hverken [fingerplan] eller "
                       "[initiativer] er angivet; budgetfilens effekt bruges");
    }
    if (opt->merindtaegt_fra_refusion) {
        if (!ng_dataset_table(ds, "refusionsbudget")) {
            ng_error(p->diags, p->config_path, 0, 0,
                     "[budget] merindtaegt_fra_refusion = ja kræver afsnittet [refusionsbudget]");
            return NG_ERR_CONFIG;
        }
        if (o->n < 64) {
            o->terms[o->n][0] =
                ng_dataset_term(ds, "refusionsbudget", "voksen", "til_fagomraadet", 1);
            o->terms[o->n][1] =
                ng_dataset_term(ds, "refusionsbudget", "aeldre", "til_fagomraadet", 1);
            o->ov[o->n] = (ng_budget_override){"merindtaegt_sdes", p->aar, 0, o->terms[o->n], 2};
            o->n++;
        }
    }
    return ds->status;
}

static ng_status compute(const void *opt, ng_pipeline *p)
{
    overrides *o = malloc(sizeof *o);
    char *model_file = model_path(opt, p);
    ng_status st = o && model_file ? collect_overrides(opt, p, o) : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = ng_budget_outlook(opt, model_file, o->ov, o->n, &p->ds, p->diags);
    if (st == NG_OK)
        st = ng_budget_values(&p->ds);
    free(model_file);
    free(o);
    return st;
}

/* `check`: the outlook from the budget file and the model, without the
 * rows other computations set. */
static ng_status check(const void *opt, ng_pipeline *p)
{
    ng_dataset ds;
    ng_dataset_init(&ds);
    char *model_file = model_path(opt, p);
    ng_status st =
        model_file ? ng_budget_outlook(opt, model_file, NULL, 0, &ds, p->diags) : NG_ERR_NOMEM;
    free(model_file);
    ng_dataset_free(&ds);
    return st;
}

static const ng_decl publishes[] = {
    NG_DECL_TABLE_("budgetoverslag", "Budgetoverslag", "Budgetoverslag med merforbrug og gæld",
                   NG_COLS({"post", NULL, NG_UNIT_TEXT, 0, NG_COL_HIDDEN},
                           {"tekst", NULL, NG_UNIT_TEXT, 0, 0},
                           {"####", NULL, NG_UNIT_MIO, -1, 0})),
    NG_DECL_FIGURE_("budgetoverslag_figur", "budgetoverslag",
                    "Linjer: budget og forventet forbrug med og uden initiativer"),
    NG_DECL_FACT_("budget_foerste_aar", NG_UNIT_AAR, "Budgetoverslagets første år"),
    NG_DECL_FACT_("budget_sidste_aar", NG_UNIT_AAR, "Budgetoverslagets sidste år"),
    NG_DECL_FACT_("budget_primo_aar", NG_UNIT_AAR, "Året, gælden overføres fra"),
    NG_DECL_VALUE_("budget_gaeld_primo", NG_UNIT_MIO,
                   "Gæld overført fra året før budgetoverslaget ([budget] gaeld_primo)"),
    NG_DECL_VALUE_("budget_merforbrug_foer_sdes_foerste", NG_UNIT_MIO,
                   "Merforbrug i første år før merindtægt vedr. særligt dyre sager"),
    NG_DECL_VALUE_("budget_merforbrug_inkl_gaeld_foerste", NG_UNIT_MIO,
                   "Merforbrug i første år før merindtægt, med overført gæld"),
    NG_DECL_VALUE_("budget_afboedning_sidste", NG_UNIT_MIO,
                   "Initiativernes samlede afbødning af udgiften i sidste år (udgift før SØP - "
                   "udgift inkl. alt)"),
    NG_DECL_VALUE_("budget_*_foerste", NG_UNIT_MIO,
                   "En række i budgetoverslaget i første år (budget_gaeld_foerste, ...)"),
    NG_DECL_VALUE_("budget_*_sidste", NG_UNIT_MIO,
                   "En række i budgetoverslaget i sidste år (budget_gaeld_sidste, ...)"),
};

const ng_module ng_module_budget = {
    .name = "budget",
    .summary = "Budgetoverslaget med merforbrug og gæld år for år (reglerne i budgetmodel.ini)",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_init = options_init,
    .options_finish = options_finish,
    .options_free = options_free,
    .configured = configured,
    .inputs = inputs,
    .compute = compute,
    .check = check,
    .publishes = publishes,
    .npublishes = sizeof publishes / sizeof *publishes,
};
