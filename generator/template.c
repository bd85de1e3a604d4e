/*
 * template.c -- Markdown templates (cmark-gfm with tables and footnotes) ->
 * ng_memo (see template.h).
 *
 * The steps: split off the header block (its lines are blanked, not removed,
 * so cmark's line numbers are the file's), parse the body with cmark-gfm,
 * walk the node tree into memo blocks, and fill in the {{ placeholders }}
 * in the text of each node. Placeholders are filled in after parsing so that
 * a value cannot inject Markdown structure into the memo.
 *
 * Every problem is reported (file:line: message) and rendering goes on, so a
 * template author sees all mistakes at once; the result is then
 * NG_ERR_TEMPLATE.
 */
#include "notatgen/template.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/dk.h"
#include "notatgen/registry.h"
#include "notatgen/strbuf.h"
#include "notatgen/textcheck.h"

/* A soft line break inside a run while placeholders are being filled in:
 * counts as a source line, becomes a space in the memo. */
#define SOFTBREAK_MARK '\x1f'

/* ---- the render context --------------------------------------------------- */

typedef struct {
    const char *file; /* name in messages */
    const ng_dataset *ds;
    ng_memo *memo;
    ng_diags *diags;
    size_t errors;
    bool nomem;
    /* body line i + 1 -> template line, once {{#hvis}} sections are
     * applied (NULL before: the lines are the template's) */
    const long *line_of;
    size_t nlines;
    /* checking the lines of a {{#hvis}} section left out: names against
     * the registry, not the dataset */
    bool check_only;
    /* the configuration's memo header ([notat.NAVN], then [notat]): wins
     * over the template's header block; may be NULL */
    const ng_memo_meta *meta;
} render_ctx;

/* The template's own line of a line of the body that cmark reads. */
static long template_line(const render_ctx *c, long line)
{
    if (!c->line_of || c->nlines == 0 || line <= 0)
        return line;
    if ((size_t)line <= c->nlines)
        return c->line_of[line - 1];
    return c->line_of[c->nlines - 1] + (line - (long)c->nlines);
}

#define TPL_ERROR(c, line, ...)                                                                    \
    do {                                                                                           \
        ng_error((c)->diags, (c)->file, template_line((c), (line)), 0, __VA_ARGS__);               \
        (c)->errors++;                                                                             \
    } while (0)

static char *dup_or_nomem(render_ctx *c, const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        c->nomem = true;
    return d;
}

/* Trims ASCII spaces and tabs in place; returns the start. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* ---- filters ---------------------------------------------------------------- */

/* A placeholder is a name and a chain of filters: {{ name | abs | mio }}.
 * Steps (abs, modsat) change the number and may come first; the last filter
 * either formats the number (mio, pct, ...) or chooses a word from its sign
 * or size (flertal, fortegn). Nothing else is computed. */
typedef enum {
    FILTER_MIO,
    FILTER_TKR,
    FILTER_KR,
    FILTER_PCT,
    FILTER_ANTAL,
    FILTER_AAR,
    FILTER_DATO,
    FILTER_DATO_KORT,
    FILTER_MAANED,
    FILTER_ABS,
    FILTER_MODSAT,
    FILTER_FLERTAL,
    FILTER_FORTEGN
} filter_id;

typedef enum { KIND_FORMAT, KIND_STEP, KIND_WORD } filter_kind;

typedef struct {
    const char *name;
    filter_id id;
    filter_kind kind;
    int nwords;          /* words a word filter takes */
    const char *example; /* shown when the words are wrong */
} filter_def;

static const filter_def filters[] = {
    {"mio", FILTER_MIO, KIND_FORMAT, 0, NULL},
    {"tkr", FILTER_TKR, KIND_FORMAT, 0, NULL},
    {"kr", FILTER_KR, KIND_FORMAT, 0, NULL},
    {"pct", FILTER_PCT, KIND_FORMAT, 0, NULL},
    {"antal", FILTER_ANTAL, KIND_FORMAT, 0, NULL},
    {"aar", FILTER_AAR, KIND_FORMAT, 0, NULL},
    {"dato", FILTER_DATO, KIND_FORMAT, 0, NULL},
    {"dato_kort", FILTER_DATO_KORT, KIND_FORMAT, 0, NULL},
    {"maaned", FILTER_MAANED, KIND_FORMAT, 0, NULL},
    {"abs", FILTER_ABS, KIND_STEP, 0, NULL},
    {"modsat", FILTER_MODSAT, KIND_STEP, 0, NULL},
    {"flertal", FILTER_FLERTAL, KIND_WORD, 2, "flertal:\"sag\":\"sager\""},
    {"fortegn", FILTER_FORTEGN, KIND_WORD, 3,
     "fortegn:\"en stigning\":\"et fald\":\"ingen ændring\""},
};

static const filter_def *find_filter(const char *name)
{
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++)
        if (!strcmp(filters[i].name, name))
            return &filters[i];
    return NULL;
}

static bool is_money(ng_unit u)
{
    return ng_unit_facts(u)->money;
}

/* A number with a sign that means something: money, a share, a count. */
static bool is_signed(ng_unit u)
{
    return is_money(u) || u == NG_UNIT_PCT || u == NG_UNIT_ANTAL;
}

/* Whether a filter makes sense for a number held in unit u. */
static bool filter_fits(filter_id f, ng_unit u)
{
    switch (f) {
    case FILTER_MIO:
    case FILTER_TKR:
    case FILTER_KR:
        return is_money(u);
    case FILTER_PCT:
        return u == NG_UNIT_PCT;
    case FILTER_ANTAL:
    case FILTER_FLERTAL:
        return u == NG_UNIT_ANTAL;
    case FILTER_AAR:
        return u == NG_UNIT_AAR || u == NG_UNIT_DATO;
    case FILTER_DATO:
    case FILTER_DATO_KORT:
    case FILTER_MAANED:
        return u == NG_UNIT_DATO;
    case FILTER_ABS:
    case FILTER_MODSAT:
    case FILTER_FORTEGN:
        return is_signed(u);
    }
    return false;
}

static int default_decimals(ng_unit u)
{
    return ng_unit_facts(u)->decimals;
}

/* Formats v (held in unit u, which filter_fits) through format filter f. */
static const char *format_filtered(filter_id f, ng_unit u, double v, char *buf, size_t size)
{
    switch (f) {
    case FILTER_MIO:
        return ng_format_value(NG_UNIT_MIO, 1, v, buf, size);
    case FILTER_TKR:
        return ng_format_value(NG_UNIT_TKR, 0, v, buf, size);
    case FILTER_KR:
        return ng_format_value(NG_UNIT_KR, 0, v, buf, size);
    case FILTER_PCT:
        return ng_format_value(NG_UNIT_PCT, 0, v, buf, size);
    case FILTER_ANTAL:
        return ng_format_value(NG_UNIT_ANTAL, 0, v, buf, size);
    case FILTER_AAR:
        return ng_format_value(NG_UNIT_AAR, 0,
                               u == NG_UNIT_DATO ? ng_date_from_days(lround(v)).y : v, buf, size);
    case FILTER_DATO:
        return ng_fmt_date_long(buf, size, ng_date_from_days(lround(v)));
    case FILTER_DATO_KORT:
        return ng_fmt_date_short(buf, size, ng_date_from_days(lround(v)));
    case FILTER_MAANED: {
        ng_date d = ng_date_from_days(lround(v));
        const char *month = ng_month_name(d.m);
        snprintf(buf, size, "%s %d", month ? month : "", d.y);
        return buf;
    }
    default:
        break;
    }
    snprintf(buf, size, "%s", "");
    return buf;
}

/* ---- expressions: a name and its filters ------------------------------------ */

enum { MAX_STEPS = 4, MAX_WORDS = 3 };

typedef struct {
    char *name; /* a value, or table.row.col (points into the parsed text) */
    const filter_def *steps[MAX_STEPS];
    int nsteps;
    const filter_def *last; /* the format or word filter; NULL: none */
    const char *first;      /* the first filter's name, for messages; NULL: none */
    char *words[MAX_WORDS]; /* the last filter's words (into the parsed text) */
    int nwords;
} expr;

/* The end of the piece of s that starts at s: the next '|' outside double
 * quotes, or the end. */
static char *piece_end(char *s)
{
    bool quoted = false;
    for (; *s; s++) {
        if (*s == '"')
            quoted = !quoted;
        else if (*s == '|' && !quoted)
            return s;
    }
    return s;
}

static size_t quotes(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '"';
    return n;
}

/* Reads the words of `name:"a":"b"` after the name (at p). */
static bool parse_words(render_ctx *c, long line, const filter_def *f, char *p, expr *e)
{
    e->nwords = 0;
    while (*p) {
        if (*p != ':') {
            TPL_ERROR(c, line, "ugyldigt filter '%s' (skriv fx %s)", f->name,
                      f->example ? f->example : f->name);
            return false;
        }
        p++;
        while (*p == ' ')
            p++;
        char *close = *p == '"' ? strchr(p + 1, '"') : NULL;
        if (!close) {
            TPL_ERROR(c, line, "filteret '%s': skriv ordene i anførselstegn, fx %s", f->name,
                      f->example ? f->example : f->name);
            return false;
        }
        if (e->nwords < MAX_WORDS)
            e->words[e->nwords] = p + 1;
        e->nwords++;
        *close = '\0';
        p = close + 1;
        while (*p == ' ')
            p++;
    }
    if (e->nwords == f->nwords)
        return true;
    if (f->nwords == 0)
        TPL_ERROR(c, line, "filteret '%s' tager ingen ord", f->name);
    else
        TPL_ERROR(c, line, "filteret '%s' skal have %d ord, ikke %d (skriv fx %s)", f->name,
                  f->nwords, e->nwords, f->example);
    return false;
}

/* One filter of the chain: "abs", "mio", "fortegn:\"a\":\"b\":\"c\"". */
static bool parse_filter(render_ctx *c, long line, char *text, expr *e)
{
    char *s = trim(text);
    size_t n = strcspn(s, ":");
    char *args = s + n;
    char saved = *args;
    *args = '\0';
    char *fname = trim(s);
    const filter_def *f = find_filter(fname);
    if (!f) {
        TPL_ERROR(c, line, "ukendt filter '%s'", fname);
        return false;
    }
    if (!e->first)
        e->first = f->name;
    if (e->last) {
        TPL_ERROR(c, line, "filteret '%s' skal stå sidst (efter '%s')", e->last->name, f->name);
        return false;
    }
    *args = saved;
    if (f->kind == KIND_STEP) {
        if (*args) {
            TPL_ERROR(c, line, "filteret '%s' tager ingen ord", f->name);
            return false;
        }
        if (e->nsteps == MAX_STEPS) {
            TPL_ERROR(c, line, "for mange filtre på '%s'", e->name);
            return false;
        }
        e->steps[e->nsteps++] = f;
        return true;
    }
    e->last = f;
    return parse_words(c, line, f, args, e);
}

/* Splits "name | filter | filter" (text is modified; e points into it). */
static bool parse_expr(render_ctx *c, long line, char *text, expr *e)
{
    memset(e, 0, sizeof *e);
    char *end = piece_end(text);
    bool more = *end == '|';
    *end = '\0';
    e->name = trim(text);
    if (!*e->name) {
        TPL_ERROR(c, line, "tom pladsholder '{{ }}'");
        return false;
    }
    bool ok = true;
    while (more && ok) {
        char *p = end + 1;
        end = piece_end(p);
        more = *end == '|';
        *end = '\0';
        if (quotes(p) % 2) {
            TPL_ERROR(c, line, "uafsluttet anførselstegn i '%s'", trim(p));
            return false;
        }
        ok = parse_filter(c, line, p, e);
    }
    return ok;
}

/* ---- operands: what a name stands for ------------------------------------------ */

typedef struct {
    bool found;   /* the name is in the dataset */
    bool is_text; /* a text value or text cell */
    const char *text;
    bool has_num;    /* a number to show (not an empty or suppressed cell) */
    bool suppressed; /* a cell hidden by small-cell suppression */
    double num;
    ng_unit unit;
    int decimals; /* shown without a filter */
} operand;

/* The dataset's own facts, for a dataset that has not published them as
 * values: the municipality and the extract date. */
static const ng_value *dataset_fact(const ng_dataset *ds, const char *name, ng_value *scratch)
{
    memset(scratch, 0, sizeof *scratch);
    if (!strcmp(name, "kommune") && ds->kommune) {
        scratch->is_text = true;
        scratch->text = ds->kommune;
        return scratch;
    }
    if (!strcmp(name, "udtraek_dato") && ds->udtraek_dato.y) {
        scratch->unit = NG_UNIT_DATO;
        scratch->num = (double)ng_date_to_days(ds->udtraek_dato);
        return scratch;
    }
    return NULL;
}

static void resolve_value(render_ctx *c, const char *name, operand *op)
{
    ng_value fact;
    const ng_value *v = ng_dataset_value(c->ds, name);
    if (!v)
        v = dataset_fact(c->ds, name, &fact);
    if (!v)
        return;
    op->found = true;
    op->is_text = v->is_text;
    op->text = v->is_text ? (v->text ? v->text : "") : NULL;
    /* a value reading a suppressed cell is suppressed with it */
    op->suppressed = v->suppressed;
    op->has_num = !v->is_text && !v->suppressed;
    op->num = v->num;
    op->unit = v->unit;
    op->decimals = v->has_decimals ? v->decimals : default_decimals(v->unit);
}

/* Resolves table.row.col. In a placeholder (strict) an unknown table or row
 * is an error; in a condition it is data the run does not have. */
static bool resolve_cell(render_ctx *c, long line, const char *ref, bool strict, operand *op)
{
    char buf[256];
    size_t len = strlen(ref);
    if (len >= sizeof buf) {
        /* longer than any table.row.column: quote its start, never cut a character */
        if (strict)
            TPL_ERROR(c, line, "ukendt tabelreference '%.*s…'", (int)ng_utf8_prefix(ref, len, 60),
                      ref);
        return !strict;
    }
    memcpy(buf, ref, len + 1);
    char *rkey = strchr(buf, '.');
    char *ckey = rkey ? strchr(rkey + 1, '.') : NULL;
    if (!rkey || !ckey || strchr(ckey + 1, '.')) {
        TPL_ERROR(c, line, "ugyldig tabelreference '%s' (skriv tabel.række.kolonne)", ref);
        return false;
    }
    *rkey++ = '\0';
    *ckey++ = '\0';
    const ng_table *t = ng_dataset_table(c->ds, buf);
    if (!t) {
        if (strict)
            TPL_ERROR(c, line, "ukendt tabel '%s'", buf);
        return !strict;
    }
    int row = ng_table_row(t, rkey);
    int col = ng_table_col(t, ckey);
    if (row < 0 && strict)
        TPL_ERROR(c, line, "ukendt række '%s' i tabellen '%s'", rkey, buf);
    if (col < 0)
        TPL_ERROR(c, line, "ukendt kolonne '%s' i tabellen '%s'", ckey, buf);
    if (col < 0 || row < 0)
        return col >= 0 && !strict;
    const ng_cell *cell = ng_table_cell(t, row, col);
    op->found = true;
    op->unit = ng_table_cell_unit(t, row, col);
    op->decimals = ng_table_cell_decimals(t, row, col);
    op->suppressed = cell && cell->suppressed;
    op->is_text = cell && cell->type == NG_CELL_TEXT;
    op->text = op->is_text ? (cell->text ? cell->text : "") : NULL;
    op->has_num = cell && cell->type == NG_CELL_NUM && !cell->suppressed;
    op->num = op->has_num ? cell->num : 0.0;
    return true;
}

static bool resolve(render_ctx *c, long line, const char *name, bool strict, operand *op)
{
    memset(op, 0, sizeof *op);
    if (strchr(name, '.'))
        return resolve_cell(c, line, name, strict, op);
    resolve_value(c, name, op);
    if (!op->found && strict)
        TPL_ERROR(c, line, "ukendt værdi '%s'", name);
    return op->found || !strict;
}

/* Checks e's filters against what the name holds. */
static bool filters_fit(render_ctx *c, long line, const expr *e, const operand *op)
{
    if (!e->first || !op->found)
        return true;
    if (op->is_text) {
        if (strchr(e->name, '.'))
            TPL_ERROR(c, line, "filteret '%s' kan ikke bruges på teksten i '%s'", e->first,
                      e->name);
        else
            TPL_ERROR(c, line, "filteret '%s' kan ikke bruges på tekstværdien '%s'", e->first,
                      e->name);
        return false;
    }
    for (int i = 0; i <= e->nsteps; i++) {
        const filter_def *f = i < e->nsteps ? e->steps[i] : e->last;
        if (f && !filter_fits(f->id, op->unit)) {
            TPL_ERROR(c, line, "filteret '%s' passer ikke til '%s' (%s)", f->name, e->name,
                      ng_registry_unit_name(op->unit));
            return false;
        }
    }
    return true;
}

static double apply_steps(const expr *e, double v)
{
    for (int i = 0; i < e->nsteps; i++)
        v = e->steps[i]->id == FILTER_ABS ? fabs(v) : -v;
    return v;
}

/* The number as the reader sees it: v shown through the format filter f
 * (NULL: in its own unit and decimals) and read back, so that "0,0" is 0.
 * A date is its day number (its year through `aar`). */
static double shown_number(const filter_def *f, const operand *op, double v)
{
    if (op->unit == NG_UNIT_DATO)
        return f && f->id == FILTER_AAR ? ng_date_from_days(lround(v)).y : (double)lround(v);
    char buf[64];
    if (f && f->kind == KIND_FORMAT)
        format_filtered(f->id, op->unit, v, buf, sizeof buf);
    else
        ng_format_value(op->unit, op->decimals, v, buf, sizeof buf);
    char *pct = strstr(buf, " %");
    if (pct)
        *pct = '\0';
    double shown = 0.0;
    if (ng_parse_number(buf, NG_DECIMAL_COMMA, &shown, NULL) != NG_OK)
        return v;
    return shown;
}

/* The word a word filter chooses for v: flertal by whether the count shows
 * as 1 (or -1), fortegn by the sign of the number as shown. */
static const char *choose_word(const expr *e, const operand *op, double v)
{
    double shown = shown_number(NULL, op, v);
    if (e->last->id == FILTER_FLERTAL)
        return fabs(shown) == 1.0 ? e->words[0] : e->words[1];
    return shown > 0 ? e->words[0] : shown < 0 ? e->words[1] : e->words[2];
}

/* ---- placeholders ----------------------------------------------------------- */

/* true when the part of a cell reference "tabel.række.kolonne" before its
 * first dot names a registered table. A part longer than the buffer names
 * none (no table name is that long). */
static bool table_registered(const char *reference)
{
    char table[128];
    size_t n = strcspn(reference, ".");
    if (n >= sizeof table)
        return false;
    memcpy(table, reference, n);
    table[n] = '\0';
    return ng_registry_find(NG_DECL_TABLE, table, NULL) != NULL;
}

/* A placeholder in a section the data left out: its name must be
 * registered, and its filters must fit the registered unit of a value. */
static void check_registered(render_ctx *c, long line, const expr *e)
{
    if (strchr(e->name, '.')) {
        if (!table_registered(e->name)) {
            size_t n = strcspn(e->name, ".");
            int shown = (int)ng_utf8_prefix(e->name, n, 60);
            TPL_ERROR(c, line, "ukendt tabel '%.*s%s'", shown, e->name,
                      (size_t)shown < n ? "…" : "");
        }
        return;
    }
    const ng_decl *r = ng_registry_find(NG_DECL_VALUE, e->name, NULL);
    if (!r) {
        TPL_ERROR(c, line, "ukendt værdi '%s'", e->name);
        return;
    }
    operand op = {.found = true, .is_text = r->unit == NG_UNIT_TEXT, .text = "", .unit = r->unit};
    filters_fit(c, line, e, &op);
}

/* Resolves the inside of one {{ ... }} (text is modified). */
static void place(render_ctx *c, long line, char *text, ng_strbuf *out)
{
    expr e;
    operand op;
    if (!parse_expr(c, line, text, &e))
        return;
    if (c->check_only) {
        check_registered(c, line, &e);
        return;
    }
    if (!resolve(c, line, e.name, true, &op) || !filters_fit(c, line, &e, &op))
        return;
    char buf[64];
    if (op.is_text)
        ng_strbuf_add(out, op.text);
    else if (op.suppressed)
        ng_strbuf_add(out, "\xE2\x80\x93"); /* – as in the tables */
    else if (!op.has_num)
        return; /* an empty cell */
    else if (e.last && e.last->kind == KIND_WORD)
        ng_strbuf_add(out, choose_word(&e, &op, apply_steps(&e, op.num)));
    else if (e.last)
        ng_strbuf_add(
            out, format_filtered(e.last->id, op.unit, apply_steps(&e, op.num), buf, sizeof buf));
    else
        ng_strbuf_add(
            out, ng_format_value(op.unit, op.decimals, apply_steps(&e, op.num), buf, sizeof buf));
}

/* Fills in every {{ placeholder }} of text, which starts at source line
 * `line`; SOFTBREAK_MARK and '\n' advance the line. Returns a new string
 * (NULL only when out of memory, then c->nomem is set). */
static char *fill(render_ctx *c, const char *text, long line)
{
    ng_strbuf out = {0};
    const char *p = text;
    while (*p) {
        if (p[0] == '{' && p[1] == '{') {
            const char *end = strstr(p + 2, "}}");
            const char *nl = strpbrk(p + 2, "\n"
                                            "\x1f");
            if (!end) {
                char shown[48];
                size_t n = strcspn(p + 2, "\n"
                                          "\x1f");
                snprintf(shown, sizeof shown, "%.*s", (int)ng_utf8_prefix(p + 2, n, 40), p + 2);
                TPL_ERROR(c, line, "uafsluttet '{{%s' (mangler '}}')", shown);
                for (; *p; p++)
                    ng_strbuf_addc(&out, *p == SOFTBREAK_MARK ? ' ' : *p);
                break;
            }
            const char *inner = strstr(p + 2, "{{");
            if (inner && inner < end) {
                char shown[48];
                snprintf(shown, sizeof shown, "%.*s",
                         (int)ng_utf8_prefix(p + 2, (size_t)(inner - (p + 2)), 40), p + 2);
                TPL_ERROR(c, line, "uafsluttet '{{%s' (mangler '}}')", shown);
                for (; p < inner; p++) {
                    if (*p == SOFTBREAK_MARK || *p == '\n')
                        line++;
                    ng_strbuf_addc(&out, *p == SOFTBREAK_MARK ? ' ' : *p);
                }
                continue;
            }
            char *inside = strndup(p + 2, (size_t)(end - (p + 2)));
            if (!inside) {
                out.oom = true;
                break;
            }
            for (char *q = inside; *q; q++)
                if (*q == SOFTBREAK_MARK || *q == '\n')
                    *q = ' ';
            place(c, line, inside, &out);
            free(inside);
            for (; nl && nl < end; nl = strpbrk(nl + 1, "\n"
                                                        "\x1f"))
                line++;
            p = end + 2;
            continue;
        }
        if (*p == SOFTBREAK_MARK || *p == '\n')
            line++;
        ng_strbuf_addc(&out, *p == SOFTBREAK_MARK ? ' ' : *p);
        p++;
    }
    char *s = ng_strbuf_take(&out);
    if (!s)
        c->nomem = true;
    return s;
}

/* ---- inline content -> runs ------------------------------------------------ */

typedef struct {
    char *raw; /* text with SOFTBREAK_MARK */
    unsigned style;
    long line;
} raw_run;

typedef struct {
    raw_run *runs;
    size_t n, cap;
    ng_strbuf cur;
    unsigned cur_style;
    long cur_line;
    long line; /* current source line */
    bool nomem;
} run_builder;

static void rb_flush(run_builder *rb)
{
    if (rb->cur.len == 0 && !rb->cur.oom)
        return;
    char *s = ng_strbuf_take(&rb->cur);
    if (!s) {
        rb->nomem = true;
        return;
    }
    if (rb->n == rb->cap) {
        size_t cap = rb->cap ? rb->cap * 2 : 8;
        raw_run *r = realloc(rb->runs, cap * sizeof *r);
        if (!r) {
            free(s);
            rb->nomem = true;
            return;
        }
        rb->runs = r;
        rb->cap = cap;
    }
    rb->runs[rb->n++] = (raw_run){.raw = s, .style = rb->cur_style, .line = rb->cur_line};
}

static void rb_text(run_builder *rb, const char *s, unsigned style)
{
    if (rb->cur.len > 0 && rb->cur_style != style)
        rb_flush(rb);
    if (rb->cur.len == 0) {
        rb->cur_style = style;
        rb->cur_line = rb->line;
    }
    ng_strbuf_add(&rb->cur, s);
}

static void rb_free(run_builder *rb)
{
    for (size_t i = 0; i < rb->n; i++)
        free(rb->runs[i].raw);
    free(rb->runs);
    ng_strbuf_free(&rb->cur);
}

static bool is_html_comment(const char *s)
{
    while (*s == ' ' || *s == '\n' || *s == '\t')
        s++;
    return !strncmp(s, "<!--", 4);
}

/* Collects the inline children of node into rb. */
static void collect_inlines(render_ctx *c, cmark_node *node, unsigned style, run_builder *rb)
{
    for (cmark_node *n = cmark_node_first_child(node); n; n = cmark_node_next(n)) {
        cmark_node_type type = cmark_node_get_type(n);
        const char *lit = cmark_node_get_literal(n);
        if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
            rb_text(rb, lit ? lit : "", style);
        } else if (type == CMARK_NODE_SOFTBREAK) {
            rb_text(rb, (char[]){SOFTBREAK_MARK, '\0'}, style);
            rb->line++;
        } else if (type == CMARK_NODE_LINEBREAK) {
            rb_text(rb, "\n", style);
            rb->line++;
        } else if (type == CMARK_NODE_EMPH) {
            collect_inlines(c, n, style | NG_STYLE_ITALIC, rb);
        } else if (type == CMARK_NODE_STRONG) {
            collect_inlines(c, n, style | NG_STYLE_BOLD, rb);
        } else if (type == CMARK_NODE_LINK) {
            collect_inlines(c, n, style, rb);
        } else if (type == CMARK_NODE_FOOTNOTE_REFERENCE) {
            rb_flush(rb);
            rb_text(rb, lit ? lit : "", NG_STYLE_FOOTREF);
            rb_flush(rb);
        } else if (type == CMARK_NODE_HTML_INLINE) {
            if (!is_html_comment(lit ? lit : ""))
                TPL_ERROR(c, rb->line, "HTML er ikke tilladt i en skabelon: '%s'", lit ? lit : "");
        } else if (type == CMARK_NODE_IMAGE) {
            TPL_ERROR(c, rb->line, "billeder er ikke tilladt; brug en figur-blok");
        } else {
            collect_inlines(c, n, style, rb);
        }
    }
    rb_flush(rb);
}

/* A footnote reference cmark did not resolve stays as "[^name]" text. */
static void check_footnote_refs(render_ctx *c, const raw_run *r)
{
    const char *p = r->raw;
    long line = r->line;
    for (; *p; p++) {
        if (*p == SOFTBREAK_MARK || *p == '\n')
            line++;
        if (p[0] == '[' && p[1] == '^') {
            const char *end = strchr(p, ']');
            if (end)
                TPL_ERROR(c, line, "ukendt fodnote '%.*s'", (int)(end - p - 2), p + 2);
        }
    }
}

/* Adds the inline content of node as runs of block index bi. */
static void add_runs(render_ctx *c, size_t bi, cmark_node *node)
{
    run_builder rb = {.line = cmark_node_get_start_line(node)};
    collect_inlines(c, node, 0, &rb);
    for (size_t i = 0; i < rb.n && !rb.nomem; i++) {
        if (rb.runs[i].style != NG_STYLE_FOOTREF)
            check_footnote_refs(c, &rb.runs[i]);
        char *text = rb.runs[i].style == NG_STYLE_FOOTREF
                         ? strdup(rb.runs[i].raw)
                         : fill(c, rb.runs[i].raw, rb.runs[i].line);
        if (!text || ng_block_add_run(&c->memo->blocks[bi], text, rb.runs[i].style) != NG_OK)
            c->nomem = true;
        free(text);
    }
    if (rb.nomem)
        c->nomem = true;
    rb_free(&rb);
}

/* The filled-in plain text of node's inlines (styles dropped). *all_bold
 * tells whether every non-blank run was bold. */
static char *plain_text(render_ctx *c, cmark_node *node, bool *all_bold)
{
    run_builder rb = {.line = cmark_node_get_start_line(node)};
    collect_inlines(c, node, 0, &rb);
    ng_strbuf out = {0};
    bool bold = rb.n > 0;
    for (size_t i = 0; i < rb.n; i++) {
        if (rb.runs[i].style == NG_STYLE_FOOTREF)
            continue;
        check_footnote_refs(c, &rb.runs[i]);
        char *text = fill(c, rb.runs[i].raw, rb.runs[i].line);
        if (!text)
            break;
        if (!(rb.runs[i].style & NG_STYLE_BOLD) && strspn(text, " ") != strlen(text))
            bold = false;
        ng_strbuf_add(&out, text);
        free(text);
    }
    if (rb.nomem)
        out.oom = true;
    rb_free(&rb);
    if (all_bold)
        *all_bold = bold;
    char *s = ng_strbuf_take(&out);
    if (!s)
        c->nomem = true;
    return s;
}

/* ---- blocks ------------------------------------------------------------------ */

static long node_line(cmark_node *n)
{
    return cmark_node_get_start_line(n);
}

/* Adds a block; returns its index, or (size_t)-1 when out of memory. */
static size_t add_block(render_ctx *c, ng_block_kind kind, cmark_node *n)
{
    ng_block *b = ng_memo_add_block(c->memo, kind);
    if (!b) {
        c->nomem = true;
        return (size_t)-1;
    }
    b->source_line = template_line(c, node_line(n));
    return c->memo->nblocks - 1;
}

static void render_children(render_ctx *c, cmark_node *parent, int list_level, bool in_quote);
static void render_node(render_ctx *c, cmark_node *n, int list_level, bool in_quote);

static void render_text_block(render_ctx *c, cmark_node *n, ng_block_kind kind, int level)
{
    size_t bi = add_block(c, kind, n);
    if (bi == (size_t)-1)
        return;
    c->memo->blocks[bi].level = level;
    add_runs(c, bi, n);
}

/* A list item: its first paragraph is the item's text; later paragraphs are
 * continued in the same item after a line break; nested lists follow. */
static void render_item(render_ctx *c, cmark_node *item, int level, int number)
{
    size_t bi = add_block(c, NG_BLOCK_ITEM, item);
    if (bi == (size_t)-1)
        return;
    c->memo->blocks[bi].level = level;
    c->memo->blocks[bi].number = number;
    bool first = true;
    for (cmark_node *n = cmark_node_first_child(item); n; n = cmark_node_next(n)) {
        if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH &&
            (first || bi == c->memo->nblocks - 1)) {
            if (!first && ng_block_add_run(&c->memo->blocks[bi], "\n", 0) != NG_OK)
                c->nomem = true;
            add_runs(c, bi, n);
            first = false;
        } else if (cmark_node_get_type(n) == CMARK_NODE_LIST) {
            render_node(c, n, level, false);
            first = false;
        } else {
            render_node(c, n, level, false);
        }
    }
}

static void render_list(render_ctx *c, cmark_node *list, int level)
{
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    int number = ordered ? cmark_node_get_list_start(list) : 0;
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it)) {
        render_item(c, it, level + 1, ordered ? number++ : 0);
    }
}

/* ---- fenced blocks: tabel, figur, sideskift ------------------------------------ */

typedef struct {
    char *kind;
    char *name;
    char *titel;
    char *type;
} block_info;

static void block_info_free(block_info *bi)
{
    free(bi->kind);
    free(bi->name);
    free(bi->titel);
    free(bi->type);
}

/* Reads one `key`, `key=value` or `key="quoted value"` token at *pp. */
static bool next_token(const char **pp, char **key, char **value, bool *unterminated)
{
    const char *p = *pp;
    const char *start = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '=')
        p++;
    *key = strndup(start, (size_t)(p - start));
    *value = NULL;
    if (*p == '=') {
        p++;
        bool quoted = *p == '"';
        const char *vs = quoted ? ++p : p;
        while (*p && (quoted ? *p != '"' : (*p != ' ' && *p != '\t')))
            p++;
        *unterminated = quoted && !*p;
        *value = strndup(vs, (size_t)(p - vs));
        if (quoted && *p)
            p++;
        if (!*value) {
            free(*key);
            *key = NULL;
        }
    }
    *pp = p;
    return *key != NULL;
}

/* Splits `kind NAME key=value key="quoted value"`. Returns false (after
 * reporting) when malformed. */
static bool parse_block_info(render_ctx *c, long line, const char *info, block_info *out)
{
    const char *p = info;
    for (int index = 0;; index++) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return true;
        char *key, *value;
        bool unterminated = false;
        if (!next_token(&p, &key, &value, &unterminated)) {
            c->nomem = true;
            return false;
        }
        bool ok = true;
        if (unterminated) {
            TPL_ERROR(c, line, "uafsluttet anførselstegn i blokken '%s'", info);
            ok = false;
        } else if (!value && index == 0) {
            out->kind = key, key = NULL;
        } else if (!value && index == 1) {
            out->name = key, key = NULL;
        } else if (value && !strcmp(key, "titel") && !out->titel) {
            out->titel = value, value = NULL;
        } else if (value && !strcmp(key, "type") && !out->type) {
            out->type = value, value = NULL;
        } else if (index == 0) {
            TPL_ERROR(c, line, "ukendt blok '%s'", info);
            ok = false;
        } else {
            TPL_ERROR(c, line, "ukendt indstilling '%s' i blokken '%s'", key, info);
            ok = false;
        }
        free(key);
        free(value);
        if (!ok)
            return false;
    }
}

static void free_figure(ng_figure *g)
{
    if (!g)
        return;
    free(g->name);
    free(g->table);
    free(g->title);
    free(g->y_title);
    free(g->series);
    free(g->cats);
    free(g);
}

static ng_figure *copy_figure(const ng_figure *f)
{
    ng_figure *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    *g = *f;
    g->name = f->name ? strdup(f->name) : NULL;
    g->table = f->table ? strdup(f->table) : NULL;
    g->title = f->title ? strdup(f->title) : NULL;
    g->y_title = f->y_title ? strdup(f->y_title) : NULL;
    g->series = f->nseries ? malloc((size_t)f->nseries * sizeof *g->series) : NULL;
    g->cats = f->ncats ? malloc((size_t)f->ncats * sizeof *g->cats) : NULL;
    if (g->series)
        memcpy(g->series, f->series, (size_t)f->nseries * sizeof *g->series);
    if (g->cats)
        memcpy(g->cats, f->cats, (size_t)f->ncats * sizeof *g->cats);
    if ((f->name && !g->name) || (f->table && !g->table) || (f->title && !g->title) ||
        (f->y_title && !g->y_title) || (f->nseries && !g->series) || (f->ncats && !g->cats)) {
        free_figure(g);
        return NULL;
    }
    return g;
}

static void place_table(render_ctx *c, cmark_node *n, long line, const block_info *info)
{
    const ng_table *t = ng_dataset_table(c->ds, info->name);
    if (!t) {
        TPL_ERROR(c, line, "ukendt tabel '%s'", info->name);
        return;
    }
    if (info->type)
        TPL_ERROR(c, line, "blokken 'tabel' har ingen indstilling 'type'");
    size_t bi = add_block(c, NG_BLOCK_TABLE, n);
    if (bi == (size_t)-1)
        return;
    c->memo->blocks[bi].table = t;
    c->memo->blocks[bi].caption =
        info->titel ? fill(c, info->titel, line) : dup_or_nomem(c, t->title);
}

static bool figure_type(const char *s, ng_figure_type *type)
{
    if (!strcmp(s, "linje"))
        *type = NG_FIG_LINE;
    else if (!strcmp(s, "soejle"))
        *type = NG_FIG_COLUMN;
    else if (!strcmp(s, "stablet"))
        *type = NG_FIG_STACKED;
    else
        return false;
    return true;
}

static void place_figure(render_ctx *c, cmark_node *n, long line, const block_info *info)
{
    const ng_figure *f = ng_dataset_figure(c->ds, info->name);
    if (!f) {
        TPL_ERROR(c, line, "ukendt figur '%s'", info->name);
        return;
    }
    ng_figure_type type = f->type;
    if (info->type && !figure_type(info->type, &type)) {
        TPL_ERROR(c, line, "ukendt figurtype '%s' (linje, soejle eller stablet)", info->type);
        return;
    }
    const ng_table *t = f->table ? ng_dataset_table(c->ds, f->table) : NULL;
    if (!t) {
        TPL_ERROR(c, line, "figuren '%s' tegnes fra en ukendt tabel '%s'", info->name,
                  f->table ? f->table : "");
        return;
    }
    char *title = info->titel ? fill(c, info->titel, line) : NULL;
    ng_figure *copy = copy_figure(f);
    size_t bi = copy ? add_block(c, NG_BLOCK_FIGURE, n) : (size_t)-1;
    if (bi == (size_t)-1) {
        c->nomem = true;
        free(title);
        free_figure(copy);
        return;
    }
    copy->type = type;
    if (title) {
        free(copy->title);
        copy->title = title;
    }
    c->memo->blocks[bi].figure = copy;
    c->memo->blocks[bi].table = t;
}

static void render_fenced(render_ctx *c, cmark_node *n)
{
    long line = node_line(n);
    const char *info_s = cmark_node_get_fence_info(n);
    block_info info = {0};
    if (!info_s || !*info_s) {
        TPL_ERROR(c, line, "kodeblok uden 'tabel', 'figur' eller 'sideskift'");
        return;
    }
    if (!parse_block_info(c, line, info_s, &info))
        goto cleanup;
    const char *kind = info.kind ? info.kind : "";
    if (!strcmp(kind, "sideskift") && !info.name && !info.titel && !info.type) {
        add_block(c, NG_BLOCK_PAGEBREAK, n);
    } else if ((!strcmp(kind, "tabel") || !strcmp(kind, "figur")) && !info.name) {
        TPL_ERROR(c, line, "blokken '%s' mangler et navn", kind);
    } else if (!strcmp(kind, "tabel")) {
        place_table(c, n, line, &info);
    } else if (!strcmp(kind, "figur")) {
        place_figure(c, n, line, &info);
    } else {
        TPL_ERROR(c, line, "ukendt blok '%s'", info_s);
    }
cleanup:
    block_info_free(&info);
}

/* ---- Markdown tables -> an owned ng_table of text cells ------------------------- */

static bool is_type(cmark_node *n, const char *type_string)
{
    return !strcmp(cmark_node_get_type_string(n), type_string);
}

/* A cell that a Danish reader reads as a number ("1.234", "278,6", "47 %",
 * "-", "–") or that is empty. */
static bool numeric_cell(const char *s, bool *has_number)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    char *t = trim(buf);
    size_t n = strlen(t);
    if (n == 0 || !strcmp(t, "-") || !strcmp(t, "\xe2\x80\x93"))
        return true;
    if (n > 0 && t[n - 1] == '%') {
        t[--n] = '\0';
        t = trim(t);
    }
    double v;
    if (ng_parse_number(t, NG_DECIMAL_COMMA, &v, NULL) != NG_OK)
        return false;
    *has_number = true;
    return true;
}

static void render_md_table(render_ctx *c, cmark_node *n)
{
    long line = node_line(n);
    char name[48];
    snprintf(name, sizeof name, "tabel_linje_%ld", template_line(c, line));
    ng_table *t = ng_table_new(name, NULL);
    if (!t) {
        c->nomem = true;
        return;
    }
    bool header_done = false;
    for (cmark_node *row = cmark_node_first_child(n); row; row = cmark_node_next(row)) {
        bool header = is_type(row, "table_header");
        if (!header && !header_done)
            break; /* cmark-gfm always starts a table with its header row */
        int ri = -1;
        if (!header)
            ri = ng_table_add_row(t, NULL, 0);
        bool all_bold = true, any_text = false;
        int col = 0;
        for (cmark_node *cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
            bool bold = false;
            char *text = plain_text(c, cell, &bold);
            if (!text)
                break;
            char key[16];
            snprintf(key, sizeof key, "k%d", col + 1);
            if (header && ng_table_add_column(t, key, text, NG_UNIT_TEXT) < 0)
                c->nomem = true;
            if (!header && ri >= 0 && col < t->ncols) {
                ng_table_set_text(t, ri, col, text);
                if (*text) {
                    any_text = true;
                    all_bold = all_bold && bold;
                }
            }
            free(text);
            col++;
        }
        if (header)
            header_done = true;
        if (!header && ri >= 0 && any_text && all_bold)
            t->rows[ri].flags |= NG_ROW_TOTAL;
    }
    /* A column whose body cells all read as numbers is right-aligned by the
     * PDF: give it a numeric unit; the cells stay text as written. */
    for (int col = 0; col < t->ncols; col++) {
        bool numeric = t->nrows > 0, has_number = false;
        for (int r = 0; r < t->nrows && numeric; r++) {
            const ng_cell *cell = ng_table_cell(t, r, col);
            numeric =
                numeric_cell(cell && cell->type == NG_CELL_TEXT ? cell->text : "", &has_number);
        }
        if (numeric && has_number)
            t->cols[col].unit = NG_UNIT_ANTAL;
    }
    size_t bi = add_block(c, NG_BLOCK_TABLE, n);
    if (bi == (size_t)-1) {
        ng_table_free(t);
        return;
    }
    c->memo->blocks[bi].owned_table = t;
    c->memo->blocks[bi].table = t;
}

/* ---- footnotes ------------------------------------------------------------------- */

/* cmark-gfm puts the referenced definitions last, in reference order, and
 * drops unreferenced ones; so definition i is footnote number i+1. */
static void render_footnote(render_ctx *c, cmark_node *def)
{
    ng_strbuf text = {0};
    for (cmark_node *n = cmark_node_first_child(def); n; n = cmark_node_next(n)) {
        char *part = plain_text(c, n, NULL);
        if (!part)
            break;
        if (text.len)
            ng_strbuf_addc(&text, ' ');
        ng_strbuf_add(&text, part);
        free(part);
    }
    char *s = ng_strbuf_take(&text);
    char **notes =
        s ? realloc(c->memo->footnotes, (c->memo->nfootnotes + 1) * sizeof *notes) : NULL;
    if (!notes) {
        free(s);
        c->nomem = true;
        return;
    }
    c->memo->footnotes = notes;
    notes[c->memo->nfootnotes++] = s;
}

/* ---- the block walk ------------------------------------------------------------- */

static void render_node(render_ctx *c, cmark_node *n, int list_level, bool in_quote)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        render_text_block(c, n, in_quote ? NG_BLOCK_QUOTE : NG_BLOCK_PARAGRAPH, 0);
        return;
    case CMARK_NODE_HEADING: {
        int level = cmark_node_get_heading_level(n);
        render_text_block(c, n, NG_BLOCK_HEADING, level > 3 ? 3 : level);
        return;
    }
    case CMARK_NODE_LIST:
        render_list(c, n, list_level);
        return;
    case CMARK_NODE_BLOCK_QUOTE:
        render_children(c, n, list_level, true);
        return;
    case CMARK_NODE_THEMATIC_BREAK:
        add_block(c, NG_BLOCK_RULE, n);
        return;
    case CMARK_NODE_CODE_BLOCK:
        render_fenced(c, n);
        return;
    case CMARK_NODE_HTML_BLOCK: {
        const char *lit = cmark_node_get_literal(n);
        if (!is_html_comment(lit ? lit : ""))
            TPL_ERROR(c, node_line(n), "HTML er ikke tilladt i en skabelon");
        return;
    }
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        render_footnote(c, n);
        return;
    default:
        break;
    }
    if (is_type(n, "table"))
        render_md_table(c, n);
    else
        render_children(c, n, list_level, in_quote);
}

static void render_children(render_ctx *c, cmark_node *parent, int list_level, bool in_quote)
{
    for (cmark_node *n = cmark_node_first_child(parent); n && !c->nomem; n = cmark_node_next(n))
        render_node(c, n, list_level, in_quote);
}

/* ---- the header block ------------------------------------------------------------- */

static const char *const header_keys[] = {"titel",      "sagsnavn",   "sagsnummer",
                                          "skrevet_af", "email",      "forvaltning",
                                          "dato",       "sendes_til", "vis_hoved"};
enum { NHEADER_KEYS = sizeof header_keys / sizeof header_keys[0] };

static char **header_slot(ng_memo *m, const char *key)
{
    if (!strcmp(key, "titel"))
        return &m->title;
    if (!strcmp(key, "sagsnavn"))
        return &m->meta.sagsnavn;
    if (!strcmp(key, "sagsnummer"))
        return &m->meta.sagsnummer;
    if (!strcmp(key, "skrevet_af"))
        return &m->meta.skrevet_af;
    if (!strcmp(key, "email"))
        return &m->meta.email;
    if (!strcmp(key, "forvaltning"))
        return &m->meta.forvaltning;
    if (!strcmp(key, "dato"))
        return &m->dato;
    if (!strcmp(key, "sendes_til"))
        return &m->meta.sendes_til;
    return NULL;
}

/* The configuration's value of a header field, NULL when it gives none
 * (or the field is not a configuration field: titel, dato). */
static const char *config_field(const ng_memo_meta *meta, const char *key)
{
    if (!meta)
        return NULL;
    static const struct {
        const char *key;
        size_t offset;
    } fields[] = {
        {"sagsnavn", offsetof(ng_memo_meta, sagsnavn)},
        {"sagsnummer", offsetof(ng_memo_meta, sagsnummer)},
        {"skrevet_af", offsetof(ng_memo_meta, skrevet_af)},
        {"email", offsetof(ng_memo_meta, email)},
        {"forvaltning", offsetof(ng_memo_meta, forvaltning)},
        {"sendes_til", offsetof(ng_memo_meta, sendes_til)},
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (!strcmp(fields[i].key, key))
            return *(char *const *)((const char *)meta + fields[i].offset);
    return NULL;
}

static void set_defaults(render_ctx *c, const ng_memo_meta *meta)
{
    ng_memo *m = c->memo;
    if (meta) {
        m->meta.sagsnavn = dup_or_nomem(c, meta->sagsnavn);
        m->meta.sagsnummer = dup_or_nomem(c, meta->sagsnummer);
        m->meta.skrevet_af = dup_or_nomem(c, meta->skrevet_af);
        m->meta.email = dup_or_nomem(c, meta->email);
        m->meta.forvaltning = dup_or_nomem(c, meta->forvaltning);
        m->meta.sendes_til = dup_or_nomem(c, meta->sendes_til);
    }
    ng_date d = c->ds->udtraek_dato;
    if (ng_date_valid(d.y, d.m, d.d)) {
        char buf[32];
        m->dato = dup_or_nomem(c, ng_fmt_date_short(buf, sizeof buf, d));
    }
    m->show_header = true;
    m->lang = dup_or_nomem(c, "da-DK");
}

static void header_field(render_ctx *c, long line, char *text, bool seen[NHEADER_KEYS])
{
    char *colon = strchr(text, ':');
    if (!colon) {
        TPL_ERROR(c, line, "ugyldig linje i hovedet: '%s' (skriv 'felt: værdi')", trim(text));
        return;
    }
    *colon = '\0';
    char *key = trim(text);
    char *value = trim(colon + 1);
    size_t vn = strlen(value);
    if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
        value[vn - 1] = '\0';
        value++;
    }
    size_t k = 0;
    while (k < NHEADER_KEYS && strcmp(header_keys[k], key))
        k++;
    if (k == NHEADER_KEYS) {
        TPL_ERROR(c, line, "ukendt felt '%s' i hovedet", key);
        return;
    }
    if (seen[k])
        TPL_ERROR(c, line, "feltet '%s' står to gange i hovedet", key);
    seen[k] = true;
    if (!strcmp(key, "vis_hoved")) {
        if (!strcmp(value, "ja"))
            c->memo->show_header = true;
        else if (!strcmp(value, "nej"))
            c->memo->show_header = false;
        else
            TPL_ERROR(c, line, "vis_hoved skal være 'ja' eller 'nej', ikke '%s'", value);
        return;
    }
    char **slot = header_slot(c->memo, key);
    char *filled = fill(c, value, line);
    /* the template's header is the default: a field the configuration gives
     * keeps the configuration's value (the template's is still checked) */
    if (config_field(c->meta, key)) {
        free(filled);
        return;
    }
    free(*slot);
    *slot = filled && *filled ? filled : NULL;
    if (filled && !*filled)
        free(filled);
}

static bool is_fence_line(const char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
        len--;
    return len == 3 && !memcmp(line, "---", 3);
}

/* Finds the end of the header block that starts at body: the byte after its
 * closing '---' line, or NULL when there is none. */
static char *header_end(char *body)
{
    char *p = body + strcspn(body, "\n");
    while (*p) {
        p++;
        size_t len = strcspn(p, "\n");
        if (is_fence_line(p, len))
            return p + len + (p[len] == '\n');
        p += len;
    }
    return NULL;
}

/* Parses the header block at the start of body (if any) and blanks its lines
 * in place so cmark still counts them. */
static void parse_header(render_ctx *c, char *body)
{
    if (!is_fence_line(body, strcspn(body, "\n")))
        return;
    char *end = header_end(body);
    if (!end) {
        TPL_ERROR(c, 1, "hovedet mangler en afsluttende '---'");
        return;
    }
    bool seen[NHEADER_KEYS] = {false};
    long line = 2;
    char *p = body + strcspn(body, "\n") + 1;
    for (; p < end; line++) {
        size_t len = strcspn(p, "\n");
        char *next = p + len + (p[len] == '\n');
        if (next >= end)
            break; /* the closing '---' */
        char *text = strndup(p, len);
        if (!text) {
            c->nomem = true;
            return;
        }
        char *t = trim(text);
        if (*t && *t != '#')
            header_field(c, line, t, seen);
        free(text);
        p = next;
    }
    for (char *q = body; q < end; q++)
        if (*q != '\n')
            *q = ' ';
}

/* ---- conditional sections ------------------------------------------------ */

/* A line that is only "{{#hvis CONDITION}}" or "{{/hvis}}" opens or closes a
 * section that is kept only when the condition holds for the dataset. The
 * condition is NAME (NAME is in the dataset as a value, table or figure, a
 * cell table.row.col has a number or a text), or a comparison
 * `NAME [| filters] OP NUMBER` or `... OP NAME2 [| filters]` with OP one of
 * = < > <= >=, which compares the numbers as the reader sees them; "ikke"
 * in front turns the condition round. The marker lines and the lines of a
 * section left out are removed before the Markdown is read (a section inside
 * a paragraph chooses a phrase of it), and a line map keeps every message on
 * the template's own lines. */
typedef enum { COND_NONE, COND_OPEN, COND_CLOSE } cond_kind;

static cond_kind cond_line(const char *line, size_t len, char *cond, size_t size)
{
    while (len > 0 && (*line == ' ' || *line == '\t'))
        line++, len--;
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
        len--;
    if (len < 4 || memcmp(line, "{{", 2) || memcmp(line + len - 2, "}}", 2))
        return COND_NONE;
    char inner[256];
    size_t n = len - 4;
    if (n >= sizeof inner)
        return COND_NONE;
    memcpy(inner, line + 2, n);
    inner[n] = '\0';
    char *t = trim(inner);
    if (!strcmp(t, "/hvis"))
        return COND_CLOSE;
    if (strncmp(t, "#hvis ", 6))
        return COND_NONE;
    snprintf(cond, size, "%s", trim(t + 6));
    return COND_OPEN;
}

static bool registered(const char *name)
{
    if (strchr(name, '.'))
        return table_registered(name);
    return ng_registry_find(NG_DECL_VALUE, name, NULL) ||
           ng_registry_find(NG_DECL_TABLE, name, NULL) ||
           ng_registry_find(NG_DECL_FIGURE, name, NULL);
}

/* {{#hvis NAME}}: a value (an empty text counts as none; a number hidden by
 * small-cell suppression counts: it exists, the reader is told it is
 * hidden), a table, a figure, or a cell that shows a number or a text. */
static bool present(render_ctx *c, long line, const char *name)
{
    operand op = {0};
    if (strchr(name, '.')) {
        resolve(c, line, name, false, &op);
        return op.has_num || (op.is_text && *op.text);
    }
    resolve_value(c, name, &op);
    if (op.found)
        return op.has_num || op.suppressed || (op.is_text && *op.text);
    return ng_dataset_table(c->ds, name) || ng_dataset_figure(c->ds, name);
}

/* {{#hvis skjult NAME}}: a value or cell that is a number hidden by
 * small-cell suppression. */
static bool suppressed(render_ctx *c, long line, const char *name)
{
    operand op = {0};
    if (strchr(name, '.'))
        resolve(c, line, name, false, &op);
    else
        resolve_value(c, name, &op);
    return op.suppressed;
}

typedef enum { OP_EQ, OP_LT, OP_GT, OP_LE, OP_GE } cmp_op;

/* Finds the comparison operator in cond: its start, its kind and length;
 * NULL when there is none. */
static char *find_op(char *cond, cmp_op *op, size_t *len)
{
    char *p = strpbrk(cond, "=<>");
    if (!p)
        return NULL;
    *len = p[1] == '=' && p[0] != '=' ? 2 : 1;
    *op = p[0] == '='   ? OP_EQ
          : p[0] == '<' ? (*len == 2 ? OP_LE : OP_LT)
                        : (*len == 2 ? OP_GE : OP_GT);
    return p;
}

/* One side of a comparison: its number as shown, its unit as shown, and
 * whether it has one. */
typedef struct {
    bool has_num;
    double shown;
    ng_unit unit; /* the unit the number is shown in */
    bool is_date; /* shown as a date (a day number): only against another date */
} side;

static ng_unit shown_unit(const expr *e, const operand *op)
{
    if (!e->last)
        return op->unit;
    switch (e->last->id) {
    case FILTER_MIO:
        return NG_UNIT_MIO;
    case FILTER_TKR:
        return NG_UNIT_TKR;
    case FILTER_KR:
        return NG_UNIT_KR;
    case FILTER_AAR:
        return NG_UNIT_AAR;
    default:
        return op->unit;
    }
}

/* Evaluates `NAME [| filters]` for a comparison; false after an error. */
static bool eval_side(render_ctx *c, long line, char *text, side *s)
{
    memset(s, 0, sizeof *s);
    expr e;
    if (!parse_expr(c, line, text, &e))
        return false;
    if (!registered(e.name) ||
        (!strchr(e.name, '.') && !ng_registry_find(NG_DECL_VALUE, e.name, NULL))) {
        if (registered(e.name))
            TPL_ERROR(c, line, "'%s' er ikke en værdi eller en celle og kan ikke sammenlignes",
                      e.name);
        else
            TPL_ERROR(c, line, "ukendt navn '%s' i {{#hvis}}", e.name);
        return false;
    }
    if (e.last && (e.last->kind == KIND_WORD || e.last->id == FILTER_MAANED)) {
        TPL_ERROR(c, line, "filteret '%s' kan ikke bruges i {{#hvis}}", e.last->name);
        return false;
    }
    operand op;
    if (!resolve(c, line, e.name, false, &op) || !filters_fit(c, line, &e, &op))
        return false;
    if (op.is_text && *op.text) {
        TPL_ERROR(c, line, "teksten '%s' kan ikke sammenlignes med et tal", e.name);
        return false;
    }
    s->has_num = op.has_num;
    s->unit = shown_unit(&e, &op);
    s->is_date = op.unit == NG_UNIT_DATO && s->unit != NG_UNIT_AAR;
    if (op.has_num)
        s->shown = shown_number(e.last, &op, apply_steps(&e, op.num));
    return true;
}

static bool compare(double a, cmp_op op, double b)
{
    switch (op) {
    case OP_EQ:
        return a == b;
    case OP_LT:
        return a < b;
    case OP_GT:
        return a > b;
    case OP_LE:
        return a <= b;
    case OP_GE:
        return a >= b;
    }
    return false;
}

/* NAME OP NUMBER or NAME OP NAME2. A side without a number (not in the
 * run's data, an empty or suppressed cell) makes the comparison false. */
static bool comparison_holds(render_ctx *c, long line, char *cond, char *at, cmp_op op,
                             size_t oplen, const char *shown)
{
    char *right = trim(at + oplen);
    *at = '\0';
    char *left = trim(cond);
    if (!*left || !*right || strpbrk(right, "=<>")) {
        TPL_ERROR(c, line, "ugyldig betingelse '%s' i {{#hvis}} (skriv fx 'tilgang_antal > 0')",
                  shown);
        return false;
    }
    side a, b = {0};
    double literal;
    bool is_literal = ng_parse_number(right, NG_DECIMAL_COMMA, &literal, NULL) == NG_OK;
    if (!eval_side(c, line, left, &a) || (!is_literal && !eval_side(c, line, right, &b)))
        return false;
    if (is_literal && a.is_date) {
        TPL_ERROR(c, line, "datoen '%s' kan kun sammenlignes med en anden dato", left);
        return false;
    }
    if (!is_literal && a.has_num && b.has_num && a.unit != b.unit) {
        TPL_ERROR(c, line, "'%s' (%s) og '%s' (%s) kan ikke sammenlignes", left,
                  ng_registry_unit_name(a.unit), right, ng_registry_unit_name(b.unit));
        return false;
    }
    if (!a.has_num || (!is_literal && !b.has_num))
        return false;
    return compare(a.shown, op, is_literal ? literal : b.shown);
}

/* One term of a condition: [ikke] NAME, or [ikke] a comparison. */
static bool term_holds(render_ctx *c, long line, char *term)
{
    char shown[256];
    snprintf(shown, sizeof shown, "%s", term);
    char *t = trim(term);
    bool negate = !strncmp(t, "ikke ", 5) || !strcmp(t, "ikke");
    if (negate)
        t = trim(t + 4);
    bool hidden = !strncmp(t, "skjult ", 7) || !strcmp(t, "skjult");
    if (hidden)
        t = trim(t + 6);
    cmp_op op;
    size_t oplen = 0;
    char *at = find_op(t, &op, &oplen);
    bool holds;
    if (hidden && (at || strpbrk(t, "| ") || !*t)) {
        TPL_ERROR(c, line, "ugyldig betingelse '%s' i {{#hvis}} (skriv fx 'skjult tilgang_antal')",
                  trim(shown));
        holds = false;
    } else if (hidden && !registered(t)) {
        TPL_ERROR(c, line, "ukendt navn '%s' i {{#hvis}}", t);
        holds = false;
    } else if (hidden) {
        holds = suppressed(c, line, t);
    } else if (at) {
        holds = comparison_holds(c, line, t, at, op, oplen, trim(shown));
    } else if (strpbrk(t, "| ") || !*t) {
        TPL_ERROR(c, line, "ugyldig betingelse '%s' i {{#hvis}} (skriv fx 'tilgang_antal > 0')",
                  trim(shown));
        holds = false;
    } else if (!registered(t)) {
        TPL_ERROR(c, line, "ukendt navn '%s' i {{#hvis}}", t);
        holds = false;
    } else {
        holds = present(c, line, t);
    }
    return negate ? !holds : holds;
}

/* Whether the condition of a {{#hvis ...}} line holds: terms joined by
 * " og " (all hold) or " eller " (one holds), not both. Every term is
 * evaluated, so that each mistake is reported. */
static bool condition_holds(render_ctx *c, long line, const char *text)
{
    char cond[256];
    snprintf(cond, sizeof cond, "%s", text);
    bool all = strstr(cond, " og ") != NULL, any = strstr(cond, " eller ") != NULL;
    if (all && any) {
        TPL_ERROR(c, line,
                  "betingelsen '%s' blander 'og' og 'eller' (sæt et {{#hvis}} inden i et andet)",
                  text);
        return false;
    }
    const char *sep = all ? " og " : " eller ";
    bool holds = all;
    for (char *t = cond;;) {
        char *next = strstr(t, sep);
        if (next)
            *next = '\0';
        bool h = term_holds(c, line, t);
        holds = all ? holds && h : holds || h;
        if (!next)
            return holds;
        t = next + strlen(sep);
    }
}

/* The template body with the marker lines and the lines of sections left
 * out removed; line_of[i] is the template line of body line i + 1. */
typedef struct {
    ng_strbuf text;
    long *line_of;
    size_t nlines;
} kept_lines;

static void keep_line(render_ctx *c, kept_lines *k, const char *p, size_t len, bool newline,
                      long line)
{
    long *map = realloc(k->line_of, (k->nlines + 1) * sizeof *map);
    if (!map) {
        c->nomem = true;
        return;
    }
    k->line_of = map;
    map[k->nlines++] = line;
    ng_strbuf_add_len(&k->text, p, len);
    if (newline)
        ng_strbuf_addc(&k->text, '\n');
}

/* Checks the placeholders of the lines hidden[...] (from template line
 * first), which a {{#hvis}} left out, so that a mistake in a section is
 * found on the day its condition does not hold too. */
static void check_hidden(render_ctx *c, ng_strbuf *hidden, long first)
{
    if (hidden->len == 0)
        return;
    c->check_only = true;
    free(fill(c, ng_strbuf_str(hidden), first));
    c->check_only = false;
    ng_strbuf_truncate(hidden, 0);
}

static void apply_conditionals(render_ctx *c, const char *body, kept_lines *k)
{
    enum { MAX_DEPTH = 8 };
    ng_strbuf hidden = {0};
    long hidden_from = 0;
    bool keep[MAX_DEPTH + 1] = {true};
    long opened_at[MAX_DEPTH + 1] = {0};
    int depth = 0;
    long line = 1;
    for (const char *p = body; *p && !c->nomem; line++) {
        size_t len = strcspn(p, "\n");
        char cond[256];
        cond_kind kind = cond_line(p, len, cond, sizeof cond);
        if (kind != COND_NONE || keep[depth])
            check_hidden(c, &hidden, hidden_from);
        if (kind == COND_OPEN) {
            bool holds = condition_holds(c, line, cond);
            if (depth == MAX_DEPTH) {
                TPL_ERROR(c, line, "{{#hvis}} indlejret mere end %d gange", MAX_DEPTH);
            } else {
                depth++;
                keep[depth] = keep[depth - 1] && holds;
                opened_at[depth] = line;
            }
        } else if (kind == COND_CLOSE) {
            if (depth == 0)
                TPL_ERROR(c, line, "{{/hvis}} uden {{#hvis}}");
            else
                depth--;
        } else if (keep[depth]) {
            keep_line(c, k, p, len, p[len] == '\n', line);
        } else {
            if (hidden.len == 0)
                hidden_from = line;
            ng_strbuf_add_len(&hidden, p, len);
            ng_strbuf_addc(&hidden, '\n');
        }
        p += len + (p[len] == '\n');
    }
    check_hidden(c, &hidden, hidden_from);
    if (hidden.oom)
        c->nomem = true;
    ng_strbuf_free(&hidden);
    for (; depth > 0; depth--)
        TPL_ERROR(c, opened_at[depth], "{{#hvis}} uden {{/hvis}}");
    if (k->text.oom)
        c->nomem = true;
}

/* ---- entry points ------------------------------------------------------------------ */

/* A copy of text with "\r\n" and a lone "\r" (which Markdown also reads as
 * a line end) as "\n", so that every step counts the same lines. */
static char *unix_lines(const char *text)
{
    char *out = malloc(strlen(text) + 1);
    if (!out)
        return NULL;
    char *w = out;
    for (const char *p = text; *p; p++) {
        if (*p == '\r') {
            *w++ = '\n';
            if (p[1] == '\n')
                p++;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return out;
}

/* The byte that marks a soft line break while placeholders are filled in
 * cannot be in the text itself (it would count as a line): an error on its
 * line. */
static bool has_mark(render_ctx *c, const char *text, long first_line)
{
    const char *mark = strchr(text, SOFTBREAK_MARK);
    if (!mark)
        return false;
    long line = first_line;
    for (const char *p = text; p < mark; p++)
        line += *p == '\n';
    TPL_ERROR(c, line, "skabelonen indeholder styretegnet U+001F");
    return true;
}

static cmark_node *parse_markdown(const char *text)
{
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_FOOTNOTES);
    if (!parser)
        return NULL;
    cmark_syntax_extension *table = cmark_find_syntax_extension("table");
    if (table)
        cmark_parser_attach_syntax_extension(parser, table);
    cmark_parser_feed(parser, text, strlen(text));
    cmark_node *doc = cmark_parser_finish(parser);
    cmark_parser_free(parser);
    if (doc)
        cmark_consolidate_text_nodes(doc);
    return doc;
}

ng_status ng_template_render_string(const char *name, const char *text, const ng_dataset *ds,
                                    const ng_memo_meta *meta, ng_memo *memo, ng_diags *diags)
{
    render_ctx c = {.file = name, .ds = ds, .memo = memo, .diags = diags, .meta = meta};
    cmark_node *doc = NULL;
    char *body = NULL, *kept_text = NULL;
    kept_lines kept = {0};
    size_t n = strlen(text);
    if (n >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        text += 3, n -= 3;
    if (!ng_utf8_valid(text, n)) {
        TPL_ERROR(&c, 0, "skabelonen er ikke gyldig UTF-8");
        goto cleanup;
    }
    if (has_mark(&c, text, 1))
        goto cleanup;
    body = unix_lines(text);
    if (!body) {
        c.nomem = true;
        goto cleanup;
    }
    set_defaults(&c, meta);
    parse_header(&c, body);
    apply_conditionals(&c, body, &kept);
    kept_text = ng_strbuf_take(&kept.text);
    if (c.nomem || !kept_text) {
        c.nomem = true;
        goto cleanup;
    }
    c.line_of = kept.line_of;
    c.nlines = kept.nlines;
    doc = parse_markdown(kept_text);
    if (!doc) {
        c.nomem = true;
        goto cleanup;
    }
    render_children(&c, doc, 0, false);
cleanup:
    if (doc)
        cmark_node_free(doc);
    free(body);
    free(kept_text);
    ng_strbuf_free(&kept.text);
    free(kept.line_of);
    if (c.nomem)
        return NG_ERR_NOMEM;
    return c.errors ? NG_ERR_TEMPLATE : NG_OK;
}

ng_status ng_template_render(const char *path, const ng_dataset *ds, const ng_memo_meta *meta,
                             ng_memo *memo, ng_diags *diags)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ng_error(diags, path, 0, 0, "kan ikke åbne skabelonen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    ng_strbuf text = {0};
    bool read_error = !ng_strbuf_add_stream(&text, f);
    fclose(f);
    if (read_error) {
        ng_strbuf_free(&text);
        ng_error(diags, path, 0, 0, "kan ikke læse skabelonen");
        return NG_ERR_IO;
    }
    size_t len = text.len;
    char *s = ng_strbuf_take(&text);
    if (!s)
        return NG_ERR_NOMEM;
    if (strlen(s) != len) {
        free(s);
        ng_error(diags, path, 0, 0, "skabelonen indeholder et NUL-tegn");
        return NG_ERR_TEMPLATE;
    }
    ng_status st = ng_template_render_string(path, s, ds, meta, memo, diags);
    free(s);
    return st;
}

ng_status ng_template_fill_text(const char *name, long first_line, const char *text,
                                const ng_dataset *ds, char **out, ng_diags *diags)
{
    render_ctx c = {.file = name, .ds = ds, .diags = diags};
    *out = NULL;
    /* as a memo's template: a byte that is not UTF-8 would reach the mail
     * and the messages raw */
    size_t bad = ng_utf8_invalid_at(text, strlen(text));
    if (bad < strlen(text)) {
        TPL_ERROR(&c, first_line, "teksten er ikke gyldig UTF-8 (byte 0x%02X efter %zu byte)",
                  (unsigned char)text[bad], bad);
        return NG_ERR_TEMPLATE;
    }
    if (has_mark(&c, text, first_line))
        return NG_ERR_TEMPLATE;
    *out = fill(&c, text, first_line);
    if (!*out || c.nomem) {
        free(*out);
        *out = NULL;
        return NG_ERR_NOMEM;
    }
    if (c.errors) {
        free(*out);
        *out = NULL;
        return NG_ERR_TEMPLATE;
    }
    return NG_OK;
}
