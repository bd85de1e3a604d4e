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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/dk.h"
#include "notatgen/registry.h"
#include "notatgen/strbuf.h"

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
} render_ctx;

#define TPL_ERROR(c, line, ...)                                                                    \
    do {                                                                                           \
        ng_error((c)->diags, (c)->file, (line), 0, __VA_ARGS__);                                   \
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

typedef enum {
    FILTER_MIO,
    FILTER_TKR,
    FILTER_KR,
    FILTER_PCT,
    FILTER_ANTAL,
    FILTER_AAR,
    FILTER_DATO,
    FILTER_DATO_KORT,
    FILTER_MAANED
} filter_id;

static const struct {
    const char *name;
    filter_id id;
} filters[] = {
    {"mio", FILTER_MIO},       {"tkr", FILTER_TKR},
    {"kr", FILTER_KR},         {"pct", FILTER_PCT},
    {"antal", FILTER_ANTAL},   {"aar", FILTER_AAR},
    {"dato", FILTER_DATO},     {"dato_kort", FILTER_DATO_KORT},
    {"maaned", FILTER_MAANED},
};

static bool find_filter(const char *name, filter_id *id)
{
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++)
        if (!strcmp(filters[i].name, name)) {
            *id = filters[i].id;
            return true;
        }
    return false;
}

static bool is_money(ng_unit u)
{
    return u == NG_UNIT_KR || u == NG_UNIT_TKR || u == NG_UNIT_MIO;
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
        return u == NG_UNIT_ANTAL;
    case FILTER_AAR:
        return u == NG_UNIT_AAR || u == NG_UNIT_DATO;
    case FILTER_DATO:
    case FILTER_DATO_KORT:
    case FILTER_MAANED:
        return u == NG_UNIT_DATO;
    }
    return false;
}

static int default_decimals(ng_unit u)
{
    return u == NG_UNIT_MIO ? 1 : 0;
}

/* Formats v (held in unit u, which filter_fits) through the filter. */
static void format_filtered(filter_id f, ng_unit u, double v, ng_strbuf *out)
{
    char buf[64];
    switch (f) {
    case FILTER_MIO:
        ng_strbuf_add(out, ng_format_value(NG_UNIT_MIO, 1, v, buf, sizeof buf));
        return;
    case FILTER_TKR:
        ng_strbuf_add(out, ng_format_value(NG_UNIT_TKR, 0, v, buf, sizeof buf));
        return;
    case FILTER_KR:
        ng_strbuf_add(out, ng_format_value(NG_UNIT_KR, 0, v, buf, sizeof buf));
        return;
    case FILTER_PCT:
        ng_strbuf_add(out, ng_format_value(NG_UNIT_PCT, 0, v, buf, sizeof buf));
        return;
    case FILTER_ANTAL:
        ng_strbuf_add(out, ng_format_value(NG_UNIT_ANTAL, 0, v, buf, sizeof buf));
        return;
    case FILTER_AAR: {
        double year = u == NG_UNIT_DATO ? ng_date_from_days(lround(v)).y : v;
        ng_strbuf_add(out, ng_format_value(NG_UNIT_AAR, 0, year, buf, sizeof buf));
        return;
    }
    case FILTER_DATO:
        ng_strbuf_add(out, ng_fmt_date_long(buf, sizeof buf, ng_date_from_days(lround(v))));
        return;
    case FILTER_DATO_KORT:
        ng_strbuf_add(out, ng_fmt_date_short(buf, sizeof buf, ng_date_from_days(lround(v))));
        return;
    case FILTER_MAANED: {
        ng_date d = ng_date_from_days(lround(v));
        const char *month = ng_month_name(d.m);
        ng_strbuf_add(out, month ? month : "");
        ng_strbuf_addc(out, ' ');
        ng_strbuf_add(out, ng_format_value(NG_UNIT_AAR, 0, d.y, buf, sizeof buf));
        return;
    }
    }
}

/* ---- placeholders ----------------------------------------------------------- */

/* Places a table cell {{ table.row.col [| filter] }}. */
static void place_cell(render_ctx *c, long line, char *ref, const char *fname, bool has_filter,
                       filter_id f, ng_strbuf *out)
{
    char *tname = ref;
    char *rkey = strchr(tname, '.');
    char *ckey = rkey ? strchr(rkey + 1, '.') : NULL;
    if (!rkey || !ckey || strchr(ckey + 1, '.')) {
        TPL_ERROR(c, line, "ugyldig tabelreference '%s' (skriv tabel.række.kolonne)", ref);
        return;
    }
    *rkey++ = '\0';
    *ckey++ = '\0';
    const ng_table *t = ng_dataset_table(c->ds, tname);
    if (!t) {
        TPL_ERROR(c, line, "ukendt tabel '%s'", tname);
        return;
    }
    int row = ng_table_row(t, rkey);
    int col = ng_table_col(t, ckey);
    if (row < 0)
        TPL_ERROR(c, line, "ukendt række '%s' i tabellen '%s'", rkey, tname);
    if (col < 0)
        TPL_ERROR(c, line, "ukendt kolonne '%s' i tabellen '%s'", ckey, tname);
    if (row < 0 || col < 0)
        return;
    const ng_cell *cell = ng_table_cell(t, row, col);
    ng_unit unit = t->cols[col].unit;
    if (has_filter && cell && cell->type == NG_CELL_TEXT) {
        TPL_ERROR(c, line, "filteret '%s' kan ikke bruges på teksten i '%s.%s.%s'", fname, tname,
                  rkey, ckey);
        return;
    }
    if (has_filter && !filter_fits(f, unit)) {
        TPL_ERROR(c, line, "filteret '%s' passer ikke til '%s.%s.%s' (%s)", fname, tname, rkey,
                  ckey, ng_registry_unit_name(unit));
        return;
    }
    if (has_filter && cell && cell->type == NG_CELL_NUM && !cell->suppressed) {
        format_filtered(f, unit, cell->num, out);
        return;
    }
    if (cell && cell->type == NG_CELL_TEXT && !cell->suppressed) {
        ng_strbuf_add(out, cell->text ? cell->text : "");
        return;
    }
    char buf[64];
    ng_strbuf_add(out, ng_table_format_cell(t, row, col, buf, sizeof buf));
}

/* Places a named value {{ name [| filter] }}. */
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

static void place_value(render_ctx *c, long line, const char *name, const char *fname,
                        bool has_filter, filter_id f, ng_strbuf *out)
{
    ng_value fact;
    const ng_value *v = ng_dataset_value(c->ds, name);
    if (!v)
        v = dataset_fact(c->ds, name, &fact);
    if (!v) {
        TPL_ERROR(c, line, "ukendt værdi '%s'", name);
        return;
    }
    if (v->is_text) {
        if (has_filter)
            TPL_ERROR(c, line, "filteret '%s' kan ikke bruges på tekstværdien '%s'", fname, name);
        else
            ng_strbuf_add(out, v->text ? v->text : "");
        return;
    }
    if (has_filter) {
        if (!filter_fits(f, v->unit))
            TPL_ERROR(c, line, "filteret '%s' passer ikke til '%s' (%s)", fname, name,
                      ng_registry_unit_name(v->unit));
        else
            format_filtered(f, v->unit, v->num, out);
        return;
    }
    char buf[64];
    ng_strbuf_add(out,
                  ng_format_value(v->unit, default_decimals(v->unit), v->num, buf, sizeof buf));
}

/* Resolves the inside of one {{ ... }} (expr is modified). */
static void place(render_ctx *c, long line, char *expr, ng_strbuf *out)
{
    char *bar = strchr(expr, '|');
    char *fname = NULL;
    if (bar) {
        *bar = '\0';
        fname = trim(bar + 1);
    }
    char *name = trim(expr);
    filter_id f = FILTER_MIO;
    bool bad = false;
    if (!*name) {
        TPL_ERROR(c, line, "tom pladsholder '{{ }}'");
        bad = true;
    }
    if (fname && !find_filter(fname, &f)) {
        TPL_ERROR(c, line, "ukendt filter '%s'", fname);
        bad = true;
    }
    if (bad)
        return;
    if (strchr(name, '.'))
        place_cell(c, line, name, fname, fname != NULL, f, out);
    else
        place_value(c, line, name, fname, fname != NULL, f, out);
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
                snprintf(shown, sizeof shown, "%.*s", (int)(n > 40 ? 40 : n), p + 2);
                TPL_ERROR(c, line, "uafsluttet '{{%s' (mangler '}}')", shown);
                for (; *p; p++)
                    ng_strbuf_addc(&out, *p == SOFTBREAK_MARK ? ' ' : *p);
                break;
            }
            const char *inner = strstr(p + 2, "{{");
            if (inner && inner < end) {
                char shown[48];
                snprintf(shown, sizeof shown, "%.*s",
                         (int)(inner - (p + 2) > 40 ? 40 : inner - (p + 2)), p + 2);
                TPL_ERROR(c, line, "uafsluttet '{{%s' (mangler '}}')", shown);
                for (; p < inner; p++) {
                    if (*p == SOFTBREAK_MARK || *p == '\n')
                        line++;
                    ng_strbuf_addc(&out, *p == SOFTBREAK_MARK ? ' ' : *p);
                }
                continue;
            }
            char *expr = strndup(p + 2, (size_t)(end - (p + 2)));
            if (!expr) {
                out.oom = true;
                break;
            }
            for (char *q = expr; *q; q++)
                if (*q == SOFTBREAK_MARK || *q == '\n')
                    *q = ' ';
            place(c, line, expr, &out);
            free(expr);
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
    b->source_line = node_line(n);
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
    snprintf(name, sizeof name, "tabel_linje_%ld", line);
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

/* ---- entry points ------------------------------------------------------------------ */

/* ---- conditional sections ------------------------------------------------ */

/* A line that is only "{{#hvis NAME}}", "{{#hvis ikke NAME}}" or "{{/hvis}}"
 * opens or closes a section kept only when NAME is (or, with "ikke", is not)
 * in the dataset as a value, table or figure -- for parts of a memo that need
 * data a run may not have (an earlier forecast, a population file). */
typedef enum { COND_NONE, COND_OPEN, COND_CLOSE } cond_kind;

static cond_kind cond_line(const char *line, size_t len, char *name, size_t size, bool *negate)
{
    while (len > 0 && (*line == ' ' || *line == '\t'))
        line++, len--;
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
        len--;
    if (len < 4 || memcmp(line, "{{", 2) || memcmp(line + len - 2, "}}", 2))
        return COND_NONE;
    char inner[128];
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
    t = trim(t + 6);
    *negate = !strncmp(t, "ikke ", 5);
    if (*negate)
        t = trim(t + 5);
    snprintf(name, size, "%s", t);
    return COND_OPEN;
}

static bool in_dataset(const ng_dataset *ds, const char *name)
{
    return ng_dataset_value(ds, name) || ng_dataset_table(ds, name) || ng_dataset_figure(ds, name);
}

static bool registered(const char *name)
{
    return ng_registry_find(NG_DECL_VALUE, name, NULL) ||
           ng_registry_find(NG_DECL_TABLE, name, NULL) ||
           ng_registry_find(NG_DECL_FIGURE, name, NULL);
}

/* Blanks the lines of the sections the dataset does not call for, and the
 * marker lines themselves, keeping every line where it was so messages still
 * name the template's own lines. */
static void apply_conditionals(render_ctx *c, char *body)
{
    enum { MAX_DEPTH = 8 };
    bool keep[MAX_DEPTH + 1] = {true};
    long opened_at[MAX_DEPTH + 1] = {0};
    int depth = 0;
    long line = 1;
    for (char *p = body; *p; line++) {
        size_t len = strcspn(p, "\n");
        char name[128];
        bool negate = false;
        cond_kind kind = cond_line(p, len, name, sizeof name, &negate);
        bool blank = !keep[depth] || kind != COND_NONE;
        if (kind == COND_OPEN) {
            if (!registered(name))
                TPL_ERROR(c, line, "ukendt navn '%s' i {{#hvis}}", name);
            if (depth == MAX_DEPTH) {
                TPL_ERROR(c, line, "{{#hvis}} indlejret mere end %d gange", MAX_DEPTH);
            } else {
                bool present = in_dataset(c->ds, name);
                depth++;
                keep[depth] = keep[depth - 1] && (negate ? !present : present);
                opened_at[depth] = line;
            }
        } else if (kind == COND_CLOSE) {
            if (depth == 0)
                TPL_ERROR(c, line, "{{/hvis}} uden {{#hvis}}");
            else
                depth--;
        }
        if (blank)
            for (size_t i = 0; i < len; i++)
                p[i] = ' ';
        p += len + (p[len] == '\n');
    }
    for (; depth > 0; depth--)
        TPL_ERROR(c, opened_at[depth], "{{#hvis}} uden {{/hvis}}");
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
    render_ctx c = {.file = name, .ds = ds, .memo = memo, .diags = diags};
    cmark_node *doc = NULL;
    char *body = NULL;
    size_t n = strlen(text);
    if (n >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        text += 3, n -= 3;
    if (!ng_utf8_valid(text, n)) {
        TPL_ERROR(&c, 0, "skabelonen er ikke gyldig UTF-8");
        goto cleanup;
    }
    body = strdup(text);
    if (!body) {
        c.nomem = true;
        goto cleanup;
    }
    set_defaults(&c, meta);
    parse_header(&c, body);
    apply_conditionals(&c, body);
    if (c.nomem)
        goto cleanup;
    doc = parse_markdown(body);
    if (!doc) {
        c.nomem = true;
        goto cleanup;
    }
    render_children(&c, doc, 0, false);
cleanup:
    if (doc)
        cmark_node_free(doc);
    free(body);
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
