/* xlsx.c -- the Excel bilag from an ng_dataset (see xlsx.h). */
#include "notatgen/xlsx.h"
#include "notatgen/alttext.h"
#include "notatgen/palette.h"
#include "notatgen/registry.h"
#include "notatgen/strbuf.h"
#include "notatgen/publish.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

enum {
    SHEET_NAME_MAX = 31, /* Excel's limit, in characters */
    NAME_BUF = 128,      /* 31 characters of up to 4 bytes, plus NUL */
    MIN_WIDTH = 8,
    MAX_WIDTH = 50,
    MAX_HEADER_WIDTH = 24, /* longer header labels wrap */
    FORMAT_CACHE = 64,
    CHART_ROWS = 20,        /* rows one chart occupies, with a gap */
    CHART_WIDTH_PX = 720,   /* libxlsxwriter's 480 pixels, x_scale 1.5 */
    CHART_HEIGHT_ROWS = 15, /* its 288 pixels (y_scale 1.2) in rows of 20 pixels */
    PORTRAIT_CHARS = 95,    /* a table wider than this (in characters) prints landscape */
    PAPER_A4 = 9,
    DEFAULT_CONSTANT_MEMORY_ROWS = 10000,
};

/* Excel's serial day number of 1970-01-01. */
#define EXCEL_EPOCH_DAYS 25569.0

static const char SUPPRESSED_MARK[] = "\xe2\x80\x93"; /* "–" */
static const char INDHOLD[] = "Indhold";

/* ---- the writer's state ------------------------------------------------ */

typedef struct {
    char code[32];
    bool bold, wrap;
    lxw_format *format;
} cached_format;

/* Where a table landed: its sheet and the sheet row of its header and data. */
typedef struct {
    const ng_table *t;
    char name[NAME_BUF];
    lxw_row_t group_row; /* valid when has_groups */
    bool has_groups;
    lxw_row_t header_row;
    lxw_row_t first_data_row;
} sheet_plan;

typedef struct {
    const ng_dataset *ds;
    const ng_xlsx_options *opts;
    const char *path;
    ng_diags *diags;
    ng_status status;
    lxw_workbook *wb;
    bool constant_memory;
    sheet_plan *plans;
    size_t nplans;
    cached_format formats[FORMAT_CACHE];
    size_t nformats;
    lxw_format *title, *header, *header_num, *group, *plain_right, *date, *small;
    lxw_format *title_wrap, *small_wrap; /* the same, wrapped in a merged range */
} xlsx_writer;

/* Records the first failure; later ones add diagnostics only. */
static void fail(xlsx_writer *w, ng_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(xlsx_writer *w, ng_status st, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ng_error(w->diags, w->path, 0, 0, "%s", msg);
    if (w->status == NG_OK)
        w->status = st;
}

static void check(xlsx_writer *w, lxw_error err, const char *what)
{
    if (err != LXW_NO_ERROR)
        fail(w, err == LXW_ERROR_MEMORY_MALLOC_FAILED ? NG_ERR_NOMEM : NG_ERR_IO,
             "regnearket kan ikke skrives (%s): %s", what, lxw_strerror(err));
}

/* ---- units -------------------------------------------------------------- */

/* How many kr. (or model units) one displayed unit is; a share stays a
 * fraction (Excel's % format shows it as per cent). */
static double display_scale(ng_unit unit)
{
    const ng_unit_info *u = ng_unit_facts(unit);
    return u->money ? u->scale : 1.0;
}

static bool is_money(ng_unit unit)
{
    return ng_unit_facts(unit)->money;
}

/* The model's number as the sheet holds it. */
static double display_value(ng_unit unit, double v)
{
    if (unit == NG_UNIT_DATO)
        return v + EXCEL_EPOCH_DAYS;
    return v / display_scale(unit);
}

/* The US-notation format code of a unit with decimals ("" for text). */
static void number_format(ng_unit unit, int decimals, char *code, size_t size)
{
    int d = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
    char dec[8] = "";
    if (d > 0) {
        dec[0] = '.';
        memset(dec + 1, '0', (size_t)d);
        dec[d + 1] = '\0';
    }
    const char *fmt = ng_unit_facts(unit)->xlsx_format;
    /* the table's formats take the decimals once or twice (positive;negative) */
    snprintf(code, size, fmt, dec, dec);
}

/* A cell format: number format code (may be "") and bold/top border for totals. */
static lxw_format *cell_format(xlsx_writer *w, const char *code, bool bold, bool wrap)
{
    for (size_t i = 0; i < w->nformats; i++)
        if (w->formats[i].bold == bold && w->formats[i].wrap == wrap &&
            strcmp(w->formats[i].code, code) == 0)
            return w->formats[i].format;
    lxw_format *f = workbook_add_format(w->wb);
    if (!f || w->nformats == FORMAT_CACHE) {
        fail(w, NG_ERR_NOMEM, "for mange talformater");
        return f;
    }
    if (code[0])
        format_set_num_format(f, code);
    if (bold) {
        format_set_bold(f);
        format_set_top(f, LXW_BORDER_THIN);
    }
    if (wrap)
        format_set_text_wrap(f);
    cached_format *c = &w->formats[w->nformats++];
    snprintf(c->code, sizeof c->code, "%s", code);
    c->bold = bold;
    c->wrap = wrap;
    c->format = f;
    return f;
}

static void make_fixed_formats(xlsx_writer *w)
{
    w->title = workbook_add_format(w->wb);
    format_set_bold(w->title);
    format_set_font_size(w->title, 14);
    w->header = workbook_add_format(w->wb);
    format_set_bold(w->header);
    format_set_bottom(w->header, LXW_BORDER_THIN);
    format_set_text_wrap(w->header);
    format_set_align(w->header, LXW_ALIGN_VERTICAL_BOTTOM);
    w->header_num = workbook_add_format(w->wb);
    format_set_bold(w->header_num);
    format_set_bottom(w->header_num, LXW_BORDER_THIN);
    format_set_text_wrap(w->header_num);
    format_set_align(w->header_num, LXW_ALIGN_RIGHT);
    format_set_align(w->header_num, LXW_ALIGN_VERTICAL_BOTTOM);
    w->group = workbook_add_format(w->wb);
    format_set_bold(w->group);
    format_set_bottom(w->group, LXW_BORDER_THIN);
    format_set_align(w->group, w->constant_memory ? LXW_ALIGN_CENTER_ACROSS : LXW_ALIGN_CENTER);
    w->plain_right = workbook_add_format(w->wb);
    format_set_align(w->plain_right, LXW_ALIGN_RIGHT);
    w->date = workbook_add_format(w->wb);
    format_set_num_format(w->date, "dd-mm-yyyy");
    format_set_align(w->date, LXW_ALIGN_LEFT);
    w->small = workbook_add_format(w->wb);
    format_set_italic(w->small);
    w->title_wrap = workbook_add_format(w->wb);
    format_set_bold(w->title_wrap);
    format_set_font_size(w->title_wrap, 14);
    format_set_text_wrap(w->title_wrap);
    format_set_align(w->title_wrap, LXW_ALIGN_VERTICAL_TOP);
    w->small_wrap = workbook_add_format(w->wb);
    format_set_italic(w->small_wrap);
    format_set_text_wrap(w->small_wrap);
    format_set_align(w->small_wrap, LXW_ALIGN_VERTICAL_TOP);
}

/* ---- sheet names -------------------------------------------------------- */

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Cuts s to at most max characters, on a character boundary. */
static void utf8_cut(char *s, size_t max)
{
    size_t n = 0;
    for (char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && n++ == max) {
            *p = '\0';
            return;
        }
    }
}

static void trim_spaces(char *s)
{
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\''))
        s[--len] = '\0';
    size_t skip = strspn(s, " '");
    memmove(s, s + skip, len - skip + 1);
}

char *ng_xlsx_sheet_name(const char *title, char *buf, size_t size)
{
    size_t o = 0;
    for (const char *p = title ? title : ""; *p && o + 1 < size; p++) {
        if (strchr("[]:*?/\\", *p))
            continue;
        buf[o++] = (*p == '\n' || *p == '\t' || *p == '\r') ? ' ' : *p;
    }
    buf[o] = '\0';
    /* A byte cut may have split a character: drop a trailing partial one. */
    while (o > 0 && ((unsigned char)buf[o - 1] & 0x80)) {
        size_t start = o - 1;
        while (start > 0 && ((unsigned char)buf[start] & 0xC0) == 0x80)
            start--;
        unsigned char lead = (unsigned char)buf[start];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (o - start >= need)
            break;
        buf[start] = '\0';
        o = start;
    }
    trim_spaces(buf);
    utf8_cut(buf, SHEET_NAME_MAX);
    trim_spaces(buf);
    return buf;
}

static bool name_taken(const xlsx_writer *w, size_t upto, const char *name)
{
    char a[NAME_BUF], b[NAME_BUF];
    snprintf(a, sizeof a, "%s", name);
    ng_fold_case(a);
    const char *reserved[] = {INDHOLD, "History"};
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++) {
        snprintf(b, sizeof b, "%s", reserved[i]);
        ng_fold_case(b);
        if (strcmp(a, b) == 0)
            return true;
    }
    for (size_t i = 0; i < upto; i++) {
        snprintf(b, sizeof b, "%s", w->plans[i].name);
        ng_fold_case(b);
        if (strcmp(a, b) == 0)
            return true;
    }
    return false;
}

/* Names plan i uniquely: the cut title, else "Title (2)", "Title (3)" ... */
static void name_sheet(xlsx_writer *w, size_t i)
{
    sheet_plan *p = &w->plans[i];
    char base[NAME_BUF];
    const char *short_name = ng_registry_sheet_name(p->t->name);
    ng_xlsx_sheet_name(short_name                      ? short_name
                       : p->t->title && p->t->title[0] ? p->t->title
                                                       : p->t->name,
                       base, sizeof base);
    if (!base[0])
        snprintf(base, sizeof base, "Tabel");
    snprintf(p->name, sizeof p->name, "%s", base);
    for (int n = 2; name_taken(w, i, p->name); n++) {
        char suffix[16], cut[NAME_BUF];
        snprintf(suffix, sizeof suffix, " (%d)", n);
        snprintf(cut, sizeof cut, "%s", base);
        utf8_cut(cut, SHEET_NAME_MAX - strlen(suffix));
        trim_spaces(cut);
        size_t cl = strlen(cut), sl = strlen(suffix);
        if (cl + sl >= sizeof p->name)
            cl = sizeof p->name - sl - 1; /* unreachable: cut holds <= 31 chars */
        memcpy(p->name, cut, cl);
        memcpy(p->name + cl, suffix, sl + 1);
    }
}

/* The name quoted for a formula or link: 'It''s'. */
static void quoted_name(const char *name, char *out, size_t size)
{
    size_t o = 0;
    if (size < 3)
        return;
    out[o++] = '\'';
    for (const char *p = name; *p && o + 3 < size; p++) {
        if (*p == '\'')
            out[o++] = '\'';
        out[o++] = *p;
    }
    out[o++] = '\'';
    out[o] = '\0';
}

/* ---- planning ----------------------------------------------------------- */

static bool table_selected(const ng_xlsx_options *opts, const ng_table *t)
{
    if (!opts || !opts->only_tables)
        return true;
    for (const char *const *n = opts->only_tables; *n; n++)
        if (strcmp(*n, t->name) == 0)
            return true;
    return false;
}

static bool table_has_groups(const ng_table *t)
{
    for (int c = 0; c < t->ncols; c++)
        if (t->cols[c].group && t->cols[c].group[0])
            return true;
    return false;
}

/* Layout rows (0-based): title 0, unit 1, source 2, blank 3, groups 4. */
enum { ROW_TITLE = 0, ROW_UNIT = 1, ROW_SOURCE = 2, ROW_FIRST_HEADER = 4 };

static ng_status plan_sheets(xlsx_writer *w)
{
    const ng_dataset *ds = w->ds;
    w->plans = calloc(ds->ntables ? ds->ntables : 1, sizeof *w->plans);
    if (!w->plans)
        return NG_ERR_NOMEM;
    for (size_t i = 0; i < ds->ntables; i++) {
        const ng_table *t = ds->tables[i];
        if (!table_selected(w->opts, t))
            continue;
        sheet_plan *p = &w->plans[w->nplans];
        p->t = t;
        p->has_groups = table_has_groups(t);
        p->group_row = ROW_FIRST_HEADER;
        p->header_row = ROW_FIRST_HEADER + (p->has_groups ? 1 : 0);
        p->first_data_row = p->header_row + 1;
        name_sheet(w, w->nplans);
        w->nplans++;
    }
    return NG_OK;
}

/* ---- formulas from rules ------------------------------------------------ */

static bool cell_in_table(const ng_table *t, int row, int col)
{
    return row >= 0 && row < t->nrows && col >= 0 && col < t->ncols;
}

static void cell_ref(const sheet_plan *p, int row, int col, char *out)
{
    lxw_rowcol_to_cell(out, (lxw_row_t)(p->first_data_row + (lxw_row_t)row), (lxw_col_t)col);
}

/* The sheet a term reads: p's own, or the sheet of the table the term names;
 * NULL when that table is not in the workbook (only_tables). */
static const sheet_plan *term_plan(const xlsx_writer *w, const sheet_plan *p, const ng_term *term)
{
    if (!term->table)
        return p;
    for (size_t i = 0; i < w->nplans; i++)
        if (strcmp(w->plans[i].t->name, term->table) == 0)
            return &w->plans[i];
    return NULL;
}

/* Is the term's cell in its table (and that table in the workbook)? */
static bool term_in_table(const xlsx_writer *w, const sheet_plan *p, const ng_term *term)
{
    const sheet_plan *tp = term_plan(w, p, term);
    return tp && cell_in_table(tp->t, term->row, term->col);
}

static ng_unit term_unit(const xlsx_writer *w, const sheet_plan *p, const ng_term *term)
{
    return ng_table_cell_unit(term_plan(w, p, term)->t, term->row, term->col);
}

/* "C7", or "'Other sheet'!C7" for a term naming another table. */
static void term_ref(const xlsx_writer *w, const sheet_plan *p, const ng_term *term, char *out,
                     size_t size)
{
    const sheet_plan *tp = term_plan(w, p, term);
    char ref[32];
    cell_ref(tp, term->row, term->col, ref);
    if (tp == p) {
        snprintf(out, size, "%s", ref);
        return;
    }
    char q[NAME_BUF * 2 + 4];
    quoted_name(tp->name, q, sizeof q);
    snprintf(out, size, "%s!%s", q, ref);
}

/* Appends "*k" or "/n" for a scale factor k (nothing for 1), never in
 * exponent notation: 1e-06 becomes "/1000000". */
static void add_factor(ng_strbuf *b, double k)
{
    if (k == 1.0)
        return;
    double inv = 1.0 / k;
    if (k < 1.0 && inv == round(inv) && inv < 1e15)
        ng_strbuf_addf(b, "/%.0f", inv);
    else if (k == round(k) && k < 1e15)
        ng_strbuf_addf(b, "*%.0f", k);
    else {
        char num[64];
        snprintf(num, sizeof num, "%.17f", k);
        size_t n = strlen(num);
        while (n > 1 && num[n - 1] == '0' && num[n - 2] != '.')
            num[--n] = '\0';
        ng_strbuf_addf(b, "*%s", num);
    }
}

/* Appends "+C7", "-C7", "+2*C7" (the first term without a leading "+").
 * A coefficient that is not whole is written as "C7*0.25". */
static void add_term(ng_strbuf *b, const xlsx_writer *w, const sheet_plan *p, const ng_term *term,
                     double factor, bool first)
{
    char ref[NAME_BUF * 2 + 40];
    term_ref(w, p, term, ref, sizeof ref);
    double mag = fabs(factor);
    if (factor < 0)
        ng_strbuf_addf(b, "-");
    else if (!first)
        ng_strbuf_addf(b, "+");
    if (mag == round(mag) && mag != 1.0 && mag < 1e15)
        ng_strbuf_addf(b, "%.0f*%s", mag, ref);
    else {
        ng_strbuf_addf(b, "%s", ref);
        add_factor(b, mag);
    }
}

/* Terms of a linear rule or one side of a ratio, shown in the display scale
 * `target`: value_kr = sum coef_i * scale_i * shown_i, so the shown result
 * is sum (coef_i * scale_i / target) * shown_i. When every term has the
 * same scale the factor is written once: (D7+F7)/1000000. */
static bool add_terms(ng_strbuf *b, const xlsx_writer *w, const sheet_plan *p, const ng_term *terms,
                      int n, double target)
{
    bool same = true;
    for (int i = 0; i < n; i++) {
        if (!term_in_table(w, p, &terms[i]))
            return false;
        same &= term_unit(w, p, &terms[i]) == term_unit(w, p, &terms[0]);
    }
    if (n < 1)
        return false;
    double common = same ? display_scale(term_unit(w, p, &terms[0])) / target : 1.0;
    if (common != 1.0)
        ng_strbuf_addf(b, "(");
    for (int i = 0; i < n; i++) {
        double scale = same ? 1.0 : display_scale(term_unit(w, p, &terms[i])) / target;
        add_term(b, w, p, &terms[i], terms[i].coef * scale, i == 0);
    }
    if (common != 1.0) {
        ng_strbuf_addf(b, ")");
        add_factor(b, common);
    }
    return true;
}

/* Appends "+3" or "-0.5" for a constant (nothing for 0), in plain notation. */
static void add_constant(ng_strbuf *b, double c)
{
    if (c == 0)
        return;
    char num[64];
    if (c == round(c) && fabs(c) < 1e15)
        snprintf(num, sizeof num, "%.0f", fabs(c));
    else {
        snprintf(num, sizeof num, "%.15f", fabs(c));
        size_t n = strlen(num);
        while (n > 1 && num[n - 1] == '0' && num[n - 2] != '.')
            num[--n] = '\0';
    }
    ng_strbuf_addf(b, "%c%s", c < 0 ? '-' : '+', num);
}

/* coef_1*x_1 * coef_2*x_2 * ...: the product of the shown cells, then one
 * factor for the coefficients and the scales (shown = value / target). */
static bool product_formula(ng_strbuf *b, const xlsx_writer *w, const sheet_plan *p,
                            const ng_rule *r, int row, int col)
{
    double k = 1.0 / display_scale(ng_table_cell_unit(p->t, row, col));
    for (int i = 0; i < r->nterms; i++) {
        if (!term_in_table(w, p, &r->terms[i]))
            return false;
        k *= r->terms[i].coef * display_scale(term_unit(w, p, &r->terms[i]));
    }
    if (k < 0) {
        ng_strbuf_addf(b, "-");
        k = -k;
    }
    for (int i = 0; i < r->nterms; i++) {
        char ref[NAME_BUF * 2 + 40];
        term_ref(w, p, &r->terms[i], ref, sizeof ref);
        ng_strbuf_addf(b, "%s%s", i ? "*" : "", ref);
    }
    add_factor(b, k);
    return r->nterms > 0;
}

/* SUM(B2:B4), AVERAGE(B2:B4) or MEDIAN(B2:B4) over the rule's rows. */
static bool range_formula_of(ng_strbuf *b, const sheet_plan *p, const ng_rule *r, int col)
{
    char first[32], last[32];
    if (!cell_in_table(p->t, r->first_row, col) || !cell_in_table(p->t, r->last_row, col) ||
        r->first_row > r->last_row)
        return false;
    cell_ref(p, r->first_row, col, first);
    cell_ref(p, r->last_row, col, last);
    const char *fn = r->kind == NG_RULE_AVERAGE  ? "AVERAGE"
                     : r->kind == NG_RULE_MEDIAN ? "MEDIAN"
                                                 : "SUM";
    ng_strbuf_addf(b, "%s(%s:%s)", fn, first, last);
    return true;
}

static bool ratio_formula(ng_strbuf *b, const xlsx_writer *w, const sheet_plan *p, const ng_rule *r,
                          int row, int col)
{
    int nden = r->nterms - r->nnum;
    if (r->nnum < 1 || nden < 1 || !term_in_table(w, p, &r->terms[0]) ||
        !term_in_table(w, p, &r->terms[r->nnum]))
        return false;
    double sn = display_scale(term_unit(w, p, &r->terms[0]));
    double sd = display_scale(term_unit(w, p, &r->terms[r->nnum]));
    double factor = sn / (sd * display_scale(ng_table_cell_unit(p->t, row, col)));
    ng_strbuf num = {0}, den = {0};
    bool ok = add_terms(&num, w, p, r->terms, r->nnum, sn) &&
              add_terms(&den, w, p, r->terms + r->nnum, nden, sd);
    /* a root of a quotient in two scales would need the scales inside it */
    ok &= r->root <= 1 || factor == 1.0;
    if (ok && !num.oom && !den.oom && r->root > 1) {
        ng_strbuf_addf(b, "IF((%s)=0,\"\",((%s)/(%s))^(1/%d)", den.s, num.s, den.s, r->root);
        add_constant(b, r->constant / display_scale(ng_table_cell_unit(p->t, row, col)));
        ng_strbuf_addf(b, ")");
    } else if (ok && !num.oom && !den.oom) {
        ng_strbuf_addf(b, "IF((%s)=0,\"\",(%s)/(%s)", den.s, num.s, den.s);
        add_factor(b, factor);
        add_constant(b, r->constant / display_scale(ng_table_cell_unit(p->t, row, col)));
        ng_strbuf_addf(b, ")");
    }
    b->oom |= num.oom || den.oom;
    ng_strbuf_free(&num);
    ng_strbuf_free(&den);
    return ok;
}

/* Builds the formula (without "=") of the derived cell at row, col. */
static bool rule_formula(ng_strbuf *b, const xlsx_writer *w, const sheet_plan *p, const ng_rule *r,
                         int row, int col)
{
    switch (r->kind) {
    case NG_RULE_SUM:
    case NG_RULE_AVERAGE:
    case NG_RULE_MEDIAN:
        return range_formula_of(b, p, r, col);
    case NG_RULE_LINEAR: {
        double target = display_scale(ng_table_cell_unit(p->t, row, col));
        if (r->nterms < 1 || !add_terms(b, w, p, r->terms, r->nterms, target))
            return false;
        add_constant(b, r->constant / target);
        return true;
    }
    case NG_RULE_PRODUCT:
        return product_formula(b, w, p, r, row, col);
    case NG_RULE_RATIO:
        return ratio_formula(b, w, p, r, row, col);
    default:
        return false;
    }
}

static bool is_suppressed(const ng_table *t, int row, int col)
{
    return cell_in_table(t, row, col) && t->rows[row].cells[col].suppressed;
}

/* Would the formula recompute a value hidden for privacy? */
static bool rule_reads_suppressed(const xlsx_writer *w, const sheet_plan *p, const ng_rule *r,
                                  int col)
{
    if (ng_rule_is_range(r->kind)) {
        for (int row = r->first_row; row <= r->last_row; row++)
            if (is_suppressed(p->t, row, col))
                return true;
        return false;
    }
    for (int i = 0; i < r->nterms; i++) {
        const sheet_plan *tp = term_plan(w, p, &r->terms[i]);
        if (tp && is_suppressed(tp->t, r->terms[i].row, r->terms[i].col))
            return true;
    }
    return false;
}

/* Does the rule read a table the workbook leaves out (only_tables)? Then
 * the cell holds its value: a formula could point nowhere. */
static bool rule_reads_absent(const xlsx_writer *w, const sheet_plan *p, const ng_rule *r)
{
    if (ng_rule_is_range(r->kind) || r->kind == NG_RULE_NONE)
        return false;
    for (int i = 0; i < r->nterms; i++)
        if (!term_plan(w, p, &r->terms[i]))
            return true;
    return false;
}

/* ---- writing a table sheet --------------------------------------------- */

/* The display unit shared by every money column, or NG_UNIT_TEXT if none or
 * several. */
static ng_unit common_money_unit(const ng_table *t, bool *mixed)
{
    ng_unit unit = NG_UNIT_TEXT;
    *mixed = false;
    for (int c = 0; c < t->ncols; c++) {
        if (!is_money(t->cols[c].unit))
            continue;
        if (unit == NG_UNIT_TEXT)
            unit = t->cols[c].unit;
        else if (unit != t->cols[c].unit)
            *mixed = true;
    }
    return *mixed ? NG_UNIT_TEXT : unit;
}

static int wrapped_lines(const char *text, size_t width);

/* The table's width in characters: its visible columns. */
static size_t table_width(const ng_table *t, const size_t *widths)
{
    size_t sum = 0;
    for (int c = 0; c < t->ncols; c++)
        sum += t->cols[c].hidden ? 0 : widths[c];
    return sum;
}

/* A line of text above or below the table (title, source, note) that would
 * run past the table's last column wraps inside a range merged over the
 * table's width instead, with the row as high as its lines, so that it
 * neither hides behind the next column nor widens the printed page. (A
 * constant_memory sheet keeps the plain cell.) */
static void write_wide_text(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p,
                            const size_t *widths, lxw_row_t row, const char *text, bool title)
{
    size_t width = table_width(p->t, widths);
    /* the title's 14 points are about 1,3 characters of the sheet's font */
    size_t chars = utf8_chars(text) * (title ? 13 : 10) / 10;
    if (w->constant_memory || p->t->ncols < 2 || chars + 2 <= width) {
        check(w, worksheet_write_string(ws, row, 0, text, title ? w->title : w->small), "tekst");
        return;
    }
    int lines = wrapped_lines(text, width * 10 / (title ? 13 : 10));
    check(w, worksheet_set_row(ws, row, (title ? 19.0 : 15.0) * lines, NULL), "rækkehøjde");
    check(w,
          worksheet_merge_range(ws, row, 0, row, (lxw_col_t)(p->t->ncols - 1), text,
                                title ? w->title_wrap : w->small_wrap),
          "tekst");
}

static void write_heading(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p,
                          const size_t *widths)
{
    const ng_table *t = p->t;
    bool mixed;
    ng_unit unit = common_money_unit(t, &mixed);
    write_wide_text(w, ws, p, widths, ROW_TITLE, t->title ? t->title : t->name, true);
    if (unit != NG_UNIT_TEXT) {
        char line[64];
        snprintf(line, sizeof line,
                 "Belø"
                 "b i %s",
                 ng_unit_label(unit));
        check(w, worksheet_write_string(ws, ROW_UNIT, 0, line, NULL), "enhed");
    }
    if (t->source)
        write_wide_text(w, ws, p, widths, ROW_SOURCE, t->source, false);
}

/* Group headers: one merged range per run of equal group names. */
static void write_groups(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p)
{
    const ng_table *t = p->t;
    for (int c = 0; c < t->ncols;) {
        const char *g = t->cols[c].group;
        int end = c;
        while (end + 1 < t->ncols && g && t->cols[end + 1].group &&
               strcmp(t->cols[end + 1].group, g) == 0)
            end++;
        if (g && g[0]) {
            if (end > c && !w->constant_memory) {
                check(w,
                      worksheet_merge_range(ws, p->group_row, (lxw_col_t)c, p->group_row,
                                            (lxw_col_t)end, g, w->group),
                      "gruppe");
            } else {
                check(w, worksheet_write_string(ws, p->group_row, (lxw_col_t)c, g, w->group),
                      "gruppe");
                for (int k = c + 1; k <= end; k++)
                    check(w, worksheet_write_blank(ws, p->group_row, (lxw_col_t)k, w->group),
                          "gruppe");
            }
        }
        c = end + 1;
    }
}

static void write_headers(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p)
{
    const ng_table *t = p->t;
    bool mixed;
    common_money_unit(t, &mixed);
    for (int c = 0; c < t->ncols; c++) {
        const ng_column *col = &t->cols[c];
        char label[512];
        const char *ul = ng_unit_label(col->unit);
        if (mixed && is_money(col->unit) && !(col->label && strstr(col->label, ul)))
            snprintf(label, sizeof label, "%s (%s)", col->label ? col->label : col->key, ul);
        else
            snprintf(label, sizeof label, "%s", col->label ? col->label : col->key);
        lxw_format *f = col->unit == NG_UNIT_TEXT ? w->header : w->header_num;
        check(w, worksheet_write_string(ws, p->header_row, (lxw_col_t)c, label, f), "overskrift");
    }
}

static void write_formula_cell(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p, int r, int c,
                               lxw_format *f)
{
    const ng_cell *cell = &p->t->rows[r].cells[c];
    lxw_row_t row = p->first_data_row + (lxw_row_t)r;
    ng_strbuf b = {0};
    if (!rule_formula(&b, w, p, &cell->rule, r, c)) {
        fail(w, NG_ERR_INTERNAL,
             "tabel %s: regnereglen i række %d, kolonne %s peger uden for tabellen", p->t->name,
             r + 1, p->t->cols[c].key);
    } else if (b.oom) {
        fail(w, NG_ERR_NOMEM, "ikke nok hukommelse til en formel");
    } else if (cell->type == NG_CELL_NUM) {
        check(w,
              worksheet_write_formula_num(ws, row, (lxw_col_t)c, b.s, f,
                                          display_value(ng_table_cell_unit(p->t, r, c), cell->num)),
              "formel");
    } else {
        /* A ratio with a zero denominator: the formula gives "" too. */
        check(w, worksheet_write_formula_str(ws, row, (lxw_col_t)c, b.s, f, ""), "formel");
    }
    ng_strbuf_free(&b);
}

static void write_cell(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p, int r, int c)
{
    const ng_table *t = p->t;
    const ng_cell *cell = &t->rows[r].cells[c];
    ng_unit unit = ng_table_cell_unit(t, r, c);
    bool bold = (t->rows[r].flags & (NG_ROW_TOTAL | NG_ROW_SUBTOTAL)) != 0;
    lxw_row_t row = p->first_data_row + (lxw_row_t)r;
    char code[32];
    number_format(unit, ng_table_cell_decimals(t, r, c), code, sizeof code);
    if (cell->type == NG_CELL_TEXT)
        code[0] = '\0'; /* "I alt" in a number column */
    /* Text wider than the widest column wraps instead of being cut off. */
    bool wrap = cell->type == NG_CELL_TEXT && cell->text && utf8_chars(cell->text) > MAX_WIDTH - 2;
    lxw_format *f = cell_format(w, code, bold, wrap);

    if (cell->suppressed) {
        lxw_format *sf = bold ? cell_format(w, "@", true, false) : w->plain_right;
        check(w, worksheet_write_string(ws, row, (lxw_col_t)c, SUPPRESSED_MARK, sf), "celle");
    } else if (cell->rule.kind != NG_RULE_NONE && !rule_reads_suppressed(w, p, &cell->rule, c) &&
               !rule_reads_absent(w, p, &cell->rule)) {
        write_formula_cell(w, ws, p, r, c, f);
    } else if (cell->type == NG_CELL_NUM) {
        check(w, worksheet_write_number(ws, row, (lxw_col_t)c, display_value(unit, cell->num), f),
              "celle");
    } else if (cell->type == NG_CELL_TEXT && cell->text) {
        check(w, worksheet_write_string(ws, row, (lxw_col_t)c, cell->text, f), "celle");
    } else if (bold) {
        check(w, worksheet_write_blank(ws, row, (lxw_col_t)c, f), "celle");
    }
}

static bool table_has_suppressed(const ng_table *t)
{
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++)
            if (t->rows[r].cells[c].suppressed)
                return true;
    return false;
}

/* Note lines below the table; returns the next free row. */
static lxw_row_t write_notes(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p,
                             const size_t *widths)
{
    lxw_row_t row = p->first_data_row + (lxw_row_t)p->t->nrows + 1;
    if (p->t->note) {
        write_wide_text(w, ws, p, widths, row, p->t->note, false);
        row++;
    }
    if (table_has_suppressed(p->t)) {
        write_wide_text(w, ws, p, widths, row,
                        "– angiver et tal, der er udeladt af hensyn til diskretion (for få "
                        "personer).",
                        false);
        row++;
    }
    return row + 1;
}

/* A column's width in characters: its widest cell as the PDF formats it,
 * the header counted up to MAX_HEADER_WIDTH (longer headers wrap). */
static size_t column_width(const ng_table *t, int c)
{
    /* bold header text is about a tenth wider than the digits Excel counts */
    size_t width = utf8_chars(t->cols[c].label ? t->cols[c].label : t->cols[c].key);
    width += (width + 9) / 10;
    if (width > MAX_HEADER_WIDTH)
        width = MAX_HEADER_WIDTH;
    for (int r = 0; r < t->nrows; r++) {
        char buf[512];
        size_t n = utf8_chars(ng_table_format_cell(t, r, c, buf, sizeof buf));
        if (n > width)
            width = n;
    }
    width += 2;
    return width < MIN_WIDTH ? MIN_WIDTH : width > MAX_WIDTH ? MAX_WIDTH : width;
}

/* Column widths; a key column (ng_column.hidden: the value names of
 * Nøgletal, a line's type) is hidden: there for formulas and lookups, not
 * for the reader, and its text does not make a row taller. */
static void set_widths(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p, size_t *widths)
{
    for (int c = 0; c < p->t->ncols; c++) {
        bool hidden = p->t->cols[c].hidden;
        widths[c] = column_width(p->t, c);
        lxw_row_col_options opt = {.hidden = hidden};
        check(w,
              worksheet_set_column_opt(ws, (lxw_col_t)c, (lxw_col_t)c, (double)widths[c], NULL,
                                       hidden ? &opt : NULL),
              "kolonnebredde");
    }
}

/* Lines that text takes when wrapped at spaces into width characters. */
static int wrapped_lines(const char *text, size_t width)
{
    int lines = 1;
    size_t used = 0, room = width > 2 ? width - 2 : 1;
    for (const char *p = text; *p;) {
        size_t word = 0;
        const char *q = p;
        for (; *q && *q != ' '; q++)
            word += ((unsigned char)*q & 0xC0) != 0x80;
        if (used > 0 && used + 1 + word > room) {
            lines++;
            used = word;
        } else {
            used += (used > 0) + word;
        }
        while (used > room) { /* a word longer than a line breaks anywhere */
            lines++;
            used -= room;
        }
        p = *q ? q + 1 : q;
    }
    return lines;
}

/* Neither Excel nor LibreOffice grows a row for wrapped text on load, so a
 * row with wrapped text gets its height set (15 points a line). Called
 * before the row's cells are written (constant_memory needs row order). */
static void fit_row(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, int lines)
{
    if (lines > 1)
        check(w, worksheet_set_row(ws, row, 15.0 * lines, NULL), "rækkehøjde");
}

static int header_lines(const ng_table *t, const size_t *widths)
{
    int lines = 1;
    for (int c = 0; c < t->ncols; c++) {
        if (t->cols[c].hidden)
            continue;
        int n = wrapped_lines(t->cols[c].label ? t->cols[c].label : t->cols[c].key, widths[c]);
        lines = n > lines ? n : lines;
    }
    return lines;
}

static int row_lines(const ng_table *t, int r, const size_t *widths)
{
    int lines = 1;
    for (int c = 0; c < t->ncols; c++) {
        const ng_cell *cell = &t->rows[r].cells[c];
        if (cell->type != NG_CELL_TEXT || !cell->text || cell->suppressed || t->cols[c].hidden)
            continue;
        int n = wrapped_lines(cell->text, widths[c]);
        lines = n > lines ? n : lines;
    }
    return lines;
}

/* ---- print setup -------------------------------------------------------- */

/* The header's own codes: centred, bold. After a doubled '&' that a 'G' or
 * a '[' follows, the bold code again: a no-op for Excel, and it keeps
 * libxlsxwriter from reading "&&G" or "&&[Picture]" as an image placeholder
 * (it counts every "&G", and on a count that does not match the images it
 * frees the header it keeps using: a double free). */
#define HEADER_START "&C&\"-,Bold\""
#define HEADER_BREAK "&\"-,Bold\""

static size_t utf8_char_len(const char *s)
{
    size_t len = 1;
    while (s[len] && ((unsigned char)s[len] & 0xC0) == 0x80)
        len++;
    return len;
}

char *ng_xlsx_header_text(const char *title, char *buf, size_t size)
{
    static const char ellipsis[] = "\xE2\x80\xA6"; /* … */
    size_t o = 0, chars = 0;
    /* at most NG_XLSX_HEADER_MAX characters and size - 1 bytes, counting
     * the codes and a final ellipsis */
    size_t max_chars = NG_XLSX_HEADER_MAX - 1, max_bytes = size - 1 - (sizeof ellipsis - 1);
    if (size < sizeof HEADER_START + sizeof ellipsis) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    memcpy(buf, HEADER_START, sizeof HEADER_START - 1);
    o = chars = sizeof HEADER_START - 1;
    for (const char *s = title ? title : ""; *s;) {
        size_t len = utf8_char_len(s);
        bool amp = *s == '&', brk = amp && (s[1] == 'G' || s[1] == '[');
        size_t need = amp ? 2 + (brk ? sizeof HEADER_BREAK - 1 : 0) : len;
        size_t need_chars = amp ? need : 1;
        if (o + need > max_bytes || chars + need_chars > max_chars) {
            memcpy(buf + o, ellipsis, sizeof ellipsis - 1);
            o += sizeof ellipsis - 1;
            break;
        }
        if (amp) {
            memcpy(buf + o, brk ? "&&" HEADER_BREAK : "&&", need);
        } else {
            memcpy(buf + o, s, len);
        }
        o += need;
        chars += need_chars;
        s += len;
    }
    buf[o] = '\0';
    return buf;
}

/* The page header: the title, bold and centred (see ng_xlsx_header_text).
 * A table wider than a portrait page's line (PORTRAIT_CHARS, about 100 % on
 * A4) prints landscape; every sheet is fitted to one page wide. */
static void set_print(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p, const size_t *widths)
{
    char header[NG_XLSX_HEADER_MAX + 1];
    ng_xlsx_header_text(p->t->title ? p->t->title : p->t->name, header, sizeof header);
    worksheet_set_paper(ws, PAPER_A4);
    if (table_width(p->t, widths) > PORTRAIT_CHARS)
        worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    check(w, worksheet_set_header(ws, header), "sidehoved");
    check(w, worksheet_set_footer(ws, "&CSide &P af &N"), "sidefod");
    check(w, worksheet_repeat_rows(ws, p->has_groups ? p->group_row : p->header_row, p->header_row),
          "gentag rækker");
    worksheet_freeze_panes(ws, p->first_data_row, 0);
}

/* ---- charts ------------------------------------------------------------- */

/* The range formula of the cells (rows[i], cols[i]): "='S'!$B$7:$D$7" when
 * they are one run along a row or a column, else "=('S'!$B$7,'S'!$D$7)".
 * The caller frees. */
static char *range_formula(const char *sheet, const lxw_row_t *rows, const lxw_col_t *cols, int n)
{
    char q[NAME_BUF * 2 + 4], a[32], z[32];
    bool along_row = true, along_col = true;
    for (int i = 1; i < n; i++) {
        along_row &= rows[i] == rows[0] && cols[i] == cols[i - 1] + 1;
        along_col &= cols[i] == cols[0] && rows[i] == rows[i - 1] + 1;
    }
    quoted_name(sheet, q, sizeof q);
    ng_strbuf b = {0};
    if (n > 0 && (along_row || along_col)) {
        lxw_rowcol_to_cell_abs(a, rows[0], cols[0], 1, 1);
        lxw_rowcol_to_cell_abs(z, rows[n - 1], cols[n - 1], 1, 1);
        ng_strbuf_addf(&b, "=%s!%s:%s", q, a, z);
    } else {
        ng_strbuf_addf(&b, "=(");
        for (int i = 0; i < n; i++) {
            lxw_rowcol_to_cell_abs(a, rows[i], cols[i], 1, 1);
            ng_strbuf_addf(&b, "%s%s!%s", i ? "," : "", q, a);
        }
        ng_strbuf_addf(&b, ")");
    }
    return ng_strbuf_take(&b);
}

static uint8_t chart_type(ng_figure_type type)
{
    switch (type) {
    case NG_FIG_LINE:
        return LXW_CHART_LINE;
    case NG_FIG_COLUMN:
        return LXW_CHART_COLUMN;
    default:
        return LXW_CHART_COLUMN_STACKED;
    }
}

/* Columns as series named by their group ("25 pct. refusion") when their
 * labels alone ("Udgift", "Udgift") would not tell them apart. data.json
 * names the series the same way (json.c). */
static bool column_series_by_group(const ng_figure *f, const ng_table *t, int s)
{
    const ng_column *col = &t->cols[f->series[s]];
    if (f->series_from_rows || !col->group || !col->group[0])
        return false;
    for (int o = 0; o < f->nseries; o++) {
        if (f->series[o] < 0 || f->series[o] >= t->ncols)
            continue;
        const ng_column *other = &t->cols[f->series[o]];
        if (o != s && col->label && other->label && strcmp(col->label, other->label) == 0)
            return true;
    }
    return false;
}

/* The series' name as the PDF's legend shows it: the row's label, or the
 * column's group or label. */
static const char *series_name(const ng_figure *f, const ng_table *t, int s)
{
    int idx = f->series[s], label_col = f->label_col >= 0 ? f->label_col : 0;
    if (f->series_from_rows) {
        const ng_cell *c = ng_table_cell(t, idx, label_col);
        return c && c->type == NG_CELL_TEXT ? c->text : NULL;
    }
    if (column_series_by_group(f, t, s))
        return t->cols[idx].group;
    return t->cols[idx].label;
}

/* The series' colour as in the PDF (palette.h: the colour its name calls
 * it, "gul kurve" yellow), and the PDF's second cue for grey print: odd
 * lines dashed with open markers, odd columns hatched. */
static void style_series(lxw_chart_series *series, const ng_figure *f, const ng_table *t, int s)
{
    bool line = f->type == NG_FIG_LINE;
    lxw_color_t colour = ng_series_colour(series_name(f, t, s), s, line);
    if (line) {
        static const uint8_t markers[4] = {LXW_CHART_MARKER_CIRCLE, LXW_CHART_MARKER_SQUARE,
                                           LXW_CHART_MARKER_TRIANGLE, LXW_CHART_MARKER_DIAMOND};
        lxw_chart_line stroke = {
            .color = colour, .width = 2.0f, .dash_type = s % 2 ? LXW_CHART_LINE_DASH_DASH : 0};
        lxw_chart_line edge = {.color = colour, .width = 1.0f};
        lxw_chart_fill inside = {.color = s % 2 ? LXW_COLOR_WHITE : colour};
        chart_series_set_line(series, &stroke);
        chart_series_set_marker_type(series, markers[s % 4]);
        chart_series_set_marker_size(series, 6);
        chart_series_set_marker_line(series, &edge);
        chart_series_set_marker_fill(series, &inside);
    } else if (s % 2) {
        lxw_chart_pattern hatch = {.fg_color = 0x262626,
                                   .bg_color = colour,
                                   .type = LXW_CHART_PATTERN_WIDE_UPWARD_DIAGONAL};
        chart_series_set_pattern(series, &hatch);
    } else {
        lxw_chart_fill fill = {.color = colour};
        chart_series_set_fill(series, &fill);
    }
}

/* The highlighted category of a one-series chart (the own municipality) in
 * another colour, trellis-hatched for print, as the memo's chart draws it. */
static bool highlight_point(lxw_chart_series *series, const ng_figure *f)
{
    if (f->highlight <= 0 || f->highlight > f->ncats || f->nseries != 1)
        return true;
    lxw_chart_point plain = {0};
    lxw_chart_line line = {.color = 0x262626};
    lxw_chart_pattern hatch = {
        .fg_color = 0x262626, .bg_color = 0xED8C1A, .type = LXW_CHART_PATTERN_TRELLIS};
    lxw_chart_point marked = {.line = &line, .pattern = &hatch};
    lxw_chart_point **points = calloc((size_t)f->ncats + 1, sizeof *points);
    if (!points)
        return false;
    for (int i = 0; i < f->ncats; i++)
        points[i] = i == f->highlight - 1 ? &marked : &plain;
    lxw_error err = chart_series_set_points(series, points);
    free(points);
    return err == LXW_NO_ERROR;
}

/* Adds one series (figure series index s) to the chart. */
static bool add_series(lxw_chart *chart, const sheet_plan *p, const ng_figure *f, int s,
                       lxw_row_t *rows, lxw_col_t *cols)
{
    const ng_table *t = p->t;
    int idx = f->series[s], label_col = f->label_col >= 0 ? f->label_col : 0;
    if (f->ncats < 1 ||
        !cell_in_table(t, f->series_from_rows ? idx : 0, f->series_from_rows ? label_col : idx))
        return false;
    for (int i = 0; i < f->ncats; i++) {
        int r = f->series_from_rows ? idx : f->cats[i];
        int c = f->series_from_rows ? f->cats[i] : idx;
        if (!cell_in_table(t, r, c))
            return false;
        rows[i] = p->first_data_row + (lxw_row_t)r;
        cols[i] = (lxw_col_t)c;
    }
    char *vals = range_formula(p->name, rows, cols, f->ncats);
    /* Categories: the header row (series from rows) or the label column. */
    for (int i = 0; i < f->ncats; i++) {
        if (f->series_from_rows)
            rows[i] = p->header_row;
        else
            cols[i] = (lxw_col_t)label_col;
    }
    char *cats = range_formula(p->name, rows, cols, f->ncats);
    lxw_chart_series *series = vals && cats ? chart_add_series(chart, cats, vals) : NULL;
    free(vals);
    free(cats);
    if (!series)
        return false;
    if (f->series_from_rows)
        chart_series_set_name_range(series, p->name, p->first_data_row + (lxw_row_t)idx,
                                    (lxw_col_t)label_col);
    else if (column_series_by_group(f, t, s))
        chart_series_set_name(series, t->cols[idx].group);
    else
        chart_series_set_name_range(series, p->name, p->header_row, (lxw_col_t)idx);
    style_series(series, f, t, s);
    return highlight_point(series, f);
}

/* The column whose unit the values have: the first category column (rows
 * as series) or the first series column. -1 if none. */
static int figure_value_col(const ng_figure *f, const ng_table *t)
{
    int col = f->series_from_rows ? (f->ncats ? f->cats[0] : -1) : (f->nseries ? f->series[0] : -1);
    return col >= 0 && col < t->ncols ? col : -1;
}

static const char *figure_y_title(const ng_figure *f, const ng_table *t)
{
    if (f->y_title && f->y_title[0])
        return f->y_title;
    int col = figure_value_col(f, t);
    return col < 0 ? NULL : ng_unit_label(t->cols[col].unit);
}

static lxw_row_t insert_figure(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p,
                               const ng_figure *f, lxw_row_t at)
{
    lxw_chart *chart = workbook_add_chart(w->wb, chart_type(f->type));
    lxw_row_t *rows = calloc((size_t)f->ncats + 1, sizeof *rows);
    lxw_col_t *cols = calloc((size_t)f->ncats + 1, sizeof *cols);
    if (!chart || !rows || !cols) {
        fail(w, NG_ERR_NOMEM, "ikke nok hukommelse til figuren %s", f->name);
        goto cleanup;
    }
    for (int s = 0; s < f->nseries; s++)
        if (!add_series(chart, p, f, s, rows, cols)) {
            fail(w, NG_ERR_INTERNAL, "figuren %s peger uden for tabellen %s", f->name, p->t->name);
            goto cleanup;
        }
    if (f->title)
        chart_title_set_name(chart, f->title);
    const char *y = figure_y_title(f, p->t);
    if (y)
        chart_axis_set_name(chart->y_axis, y);
    int vcol = figure_value_col(f, p->t);
    char code[32] = "";
    if (vcol >= 0)
        number_format(p->t->cols[vcol].unit, p->t->cols[vcol].decimals, code, sizeof code);
    if (code[0])
        chart_axis_set_num_format(chart->y_axis, code);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    /* the same alternative text as the memo's figure, for screen readers */
    char *alt = ng_alttext_figure(f, p->t);
    if (!alt) {
        fail(w, NG_ERR_NOMEM, "ikke nok hukommelse til figuren %s", f->name);
        goto cleanup;
    }
    lxw_chart_options place = {
        .x_scale = CHART_WIDTH_PX / 480.0, .y_scale = 1.2, .description = alt};
    check(w, worksheet_insert_chart_opt(ws, at, 0, chart, &place), "figur");
    free(alt);
    at += CHART_ROWS;
cleanup:
    free(rows);
    free(cols);
    return at;
}

/* Excel's pixels of a column width in characters (7 a character and 5 of
 * padding in the default font). */
static unsigned column_px(double chars)
{
    return chars > 0 ? (unsigned)(chars * 7 + 5) : 0;
}

/* The last column a chart at column 0 reaches: the table's widths, then
 * Excel's default width. */
static lxw_col_t chart_last_col(const ng_table *t, const size_t *widths)
{
    unsigned px = 0;
    lxw_col_t c = 0;
    for (;; c++) {
        double chars = (int)c < t->ncols ? (t->cols[c].hidden ? 0 : (double)widths[c]) : 8.43;
        px += column_px(chars);
        if (px >= CHART_WIDTH_PX)
            return c;
    }
}

/* The printed area: the table's columns (or as far as its charts reach)
 * and its rows down to the last row used (end), so that a long text cell's
 * overflow never widens the page that fit-to-width shrinks. */
static void set_print_area(xlsx_writer *w, lxw_worksheet *ws, const sheet_plan *p,
                           const size_t *widths, lxw_row_t end, bool charts)
{
    lxw_col_t last_col = (lxw_col_t)(p->t->ncols > 0 ? p->t->ncols - 1 : 0);
    if (charts) {
        lxw_col_t reach = chart_last_col(p->t, widths);
        last_col = reach > last_col ? reach : last_col;
    }
    check(w, worksheet_print_area(ws, 0, 0, end, last_col), "udskriftsområde");
}

/* ---- sheets ------------------------------------------------------------- */

static void write_table_sheet(xlsx_writer *w, const sheet_plan *p)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, p->name);
    if (!ws) {
        fail(w, NG_ERR_IO, "arket \"%s\" kan ikke oprettes", p->name);
        return;
    }
    size_t *widths = calloc((size_t)p->t->ncols + 1, sizeof *widths);
    if (!widths) {
        fail(w, NG_ERR_NOMEM, "ikke nok hukommelse til arket \"%s\"", p->name);
        return;
    }
    set_widths(w, ws, p, widths);
    set_print(w, ws, p, widths);
    write_heading(w, ws, p, widths);
    if (p->has_groups)
        write_groups(w, ws, p);
    fit_row(w, ws, p->header_row, header_lines(p->t, widths));
    write_headers(w, ws, p);
    for (int r = 0; r < p->t->nrows && w->status == NG_OK; r++) {
        fit_row(w, ws, p->first_data_row + (lxw_row_t)r, row_lines(p->t, r, widths));
        for (int c = 0; c < p->t->ncols; c++)
            write_cell(w, ws, p, r, c);
    }
    lxw_row_t at = write_notes(w, ws, p, widths), end = at - 1;
    bool charts = false;
    for (size_t i = 0; i < w->ds->nfigures && w->status == NG_OK; i++) {
        const ng_figure *f = &w->ds->figures[i];
        if (f->table && strcmp(f->table, p->t->name) == 0) {
            end = at + CHART_HEIGHT_ROWS;
            at = insert_figure(w, ws, p, f, at);
            charts = true;
        }
    }
    set_print_area(w, ws, p, widths, end, charts);
    free(widths);
}

static void write_link(xlsx_writer *w, lxw_worksheet *ws, lxw_row_t row, const char *sheet,
                       const char *text)
{
    char q[NAME_BUF * 2 + 4], url[NAME_BUF * 2 + 32];
    quoted_name(sheet, q, sizeof q);
    snprintf(url, sizeof url, "internal:%s!A1", q);
    check(w, worksheet_write_url_opt(ws, row, 0, url, NULL, text, NULL), "link");
}

static void write_indhold(xlsx_writer *w)
{
    const ng_dataset *ds = w->ds;
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, INDHOLD);
    if (!ws) {
        fail(w, NG_ERR_IO, "arket Indhold kan ikke oprettes");
        return;
    }
    const char *title = w->opts && w->opts->title ? w->opts->title : "Bilag";
    worksheet_set_column(ws, 0, 0, 70, NULL);
    worksheet_set_column(ws, 1, 1, 14, NULL);
    worksheet_set_paper(ws, PAPER_A4);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_footer(ws, "&CSide &P af &N");
    check(w, worksheet_write_string(ws, 0, 0, title, w->title), "titel");
    check(w, worksheet_write_string(ws, 1, 0, "Kommune", NULL), "kommune");
    char kommune[256];
    if (ds->kommunekode)
        snprintf(kommune, sizeof kommune, "%s (%s)", ds->kommune ? ds->kommune : "",
                 ds->kommunekode);
    else
        snprintf(kommune, sizeof kommune, "%s", ds->kommune ? ds->kommune : "");
    check(w, worksheet_write_string(ws, 1, 1, kommune, NULL), "kommune");
    check(w, worksheet_write_string(ws, 2, 0, "Udtræksdato", NULL), "dato");
    check(w,
          worksheet_write_number(
              ws, 2, 1, (double)ng_date_to_days(ds->udtraek_dato) + EXCEL_EPOCH_DAYS, w->date),
          "dato");
    check(w, worksheet_write_string(ws, 4, 0, "Tabeller", w->header), "overskrift");
    lxw_row_t row = 5;
    for (size_t i = 0; i < w->nplans; i++, row++) {
        const ng_table *t = w->plans[i].t;
        write_link(w, ws, row, w->plans[i].name, t->title ? t->title : t->name);
    }
}

/* ---- the workbook ------------------------------------------------------- */

static time_t created_time(const ng_dataset *ds, const ng_xlsx_options *o)
{
    long long t = o ? o->created_epoch : 0;
    if (t <= 0)
        t = (long long)ng_date_to_days(ds->udtraek_dato) * 86400;
    /* libxlsxwriter takes 0 as "now": never let that happen. */
    return t > 0 ? (time_t)t : (time_t)1;
}

/* Creates the file with mode 0600 before libxlsxwriter opens it with fopen
 * ("wb" keeps the mode of an existing file), so it is never readable by
 * others, not even while it is being written. */
static ng_status create_private(const char *path, ng_diags *diags)
{
    int fd = ng_open_private(path, diags); /* never through a link */
    if (fd < 0)
        return NG_ERR_IO;
    close(fd);
    return NG_OK;
}

static void write_workbook(xlsx_writer *w)
{
    const ng_xlsx_options *o = w->opts;
    lxw_doc_properties props = {
        .title = (char *)(o && o->title ? o->title : "Bilag"),
        .author = (char *)(o && o->author ? o->author : ""),
        .company = (char *)(w->ds->kommune ? w->ds->kommune : ""),
        .created = created_time(w->ds, o),
    };
    check(w, workbook_set_properties(w->wb, &props), "egenskaber");
    make_fixed_formats(w);
    write_indhold(w);
    for (size_t i = 0; i < w->nplans && w->status == NG_OK; i++)
        write_table_sheet(w, &w->plans[i]);
}

/* The longest table decides whether the workbook is written in
 * libxlsxwriter's constant_memory mode. */
static size_t longest_table(const ng_dataset *ds)
{
    size_t n = 0;
    for (size_t i = 0; i < ds->ntables; i++)
        if ((size_t)ds->tables[i]->nrows > n)
            n = (size_t)ds->tables[i]->nrows;
    return n;
}

ng_status ng_xlsx_write(const ng_dataset *ds, const ng_xlsx_options *opts, const char *path,
                        ng_diags *diags)
{
    xlsx_writer w = {.ds = ds, .opts = opts, .path = path, .diags = diags};
    ng_status st = NG_OK;
    size_t limit = opts && opts->constant_memory_rows ? opts->constant_memory_rows
                                                      : DEFAULT_CONSTANT_MEMORY_ROWS;
    w.constant_memory = longest_table(ds) > limit;
    if ((st = plan_sheets(&w)) != NG_OK || (st = create_private(path, diags)) != NG_OK)
        goto cleanup;
    lxw_workbook_options wo = {.constant_memory = w.constant_memory,
                               .tmpdir = (char *)(opts ? opts->tmpdir : NULL)};
    w.wb = workbook_new_opt(path, &wo);
    if (!w.wb) {
        ng_error(diags, path, 0, 0, "regnearket kan ikke oprettes");
        st = NG_ERR_IO;
        goto cleanup;
    }
    write_workbook(&w);
    lxw_error err = workbook_close(w.wb);
    if (err != LXW_NO_ERROR)
        fail(&w, NG_ERR_IO, "regnearket kan ikke gemmes: %s", lxw_strerror(err));
    st = w.status;
    if (st == NG_OK && chmod(path, 0600) != 0) {
        ng_error(diags, path, 0, 0, "kan ikke sætte filrettigheder: %s", strerror(errno));
        st = NG_ERR_IO;
    }
cleanup:
    if (st != NG_OK)
        unlink(path);
    free(w.plans);
    return st;
}
