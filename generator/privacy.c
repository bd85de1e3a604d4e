/*
 * privacy.c -- small-cell suppression and the CPR guard on every output.
 */
#include "notatgen/privacy.h"

#include "notatgen/module.h"
#include "notatgen/modules.h"
#include "notatgen/registry.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "notatgen/dk.h"
#include "notatgen/strbuf.h"
#include "notatgen/suppress.h"

enum { MAX_HITS_PER_TEXT = 10 };

/* ---- small-cell suppression ------------------------------------------- */

/* Where a table's suppressions are recorded (ds may be NULL: ng_suppress_table). */
typedef struct {
    ng_dataset *ds;
    ng_table *t;
    int min_persons;
    bool nomem;
} suppressor;

static bool is_total_row(const ng_table *t, int r)
{
    return (t->rows[r].flags & (NG_ROW_TOTAL | NG_ROW_SUBTOTAL)) != 0;
}

static ng_cell *cell_at(ng_table *t, int r, int c)
{
    return &t->rows[r].cells[c];
}

static bool is_money_or_share(ng_unit u)
{
    return ng_unit_facts(u)->money || u == NG_UNIT_PCT;
}

static bool same_group(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A money or share column belongs to a person count when both carry the
 * same column group ("25 pct. refusion"), or when the count has no group
 * (then the count is the row's only one, and every money cell is its). */
static bool linked_to_count(const ng_table *t, int count_col, int col)
{
    if (!is_money_or_share(t->cols[col].unit))
        return false;
    const char *g = t->cols[count_col].group;
    return !g || same_group(g, t->cols[col].group);
}

static int hide(ng_dataset *ds, ng_table *t, int r, int c, const char *reason, const char *why,
                bool *nomem)
{
    ng_cell *cell = cell_at(t, r, c);
    if (cell->suppressed || cell->type != NG_CELL_NUM)
        return 0;
    cell->suppressed = true;
    if (ds && ng_dataset_add_suppression(ds, t->name, r, c, NULL, reason, why) != NG_OK)
        *nomem = true;
    return 1;
}

int ng_suppress_cells_with(const ng_table *t, int row, int col, int *cols, int max)
{
    (void)row;
    int n = 0;
    if (max > 0)
        cols[n++] = col;
    for (int c = 0; t->cols[col].persons && c < t->ncols && n < max; c++)
        if (c != col && linked_to_count(t, col, c))
            cols[n++] = c;
    return n;
}

int ng_suppress_cell(ng_dataset *ds, ng_table *t, int row, int col, const char *reason,
                     const char *why, bool *nomem)
{
    int n = hide(ds, t, row, col, reason, why, nomem);
    if (!t->cols[col].persons)
        return n;
    char money_why[160];
    snprintf(money_why, sizeof money_why,
             "beløbet hører til det diskretionerede antal i kolonne %s (samme række)",
             t->cols[col].key);
    for (int c = 0; c < t->ncols; c++)
        if (c != col && linked_to_count(t, col, c))
            n += hide(ds, t, row, c, "penge", money_why, nomem);
    return n;
}

static int primary_suppression(suppressor *s)
{
    ng_table *t = s->t;
    int n = 0;
    char why[96];
    snprintf(why, sizeof why, "færre end %d personer", s->min_persons);
    for (int r = 0; r < t->nrows; r++) {
        if (is_total_row(t, r))
            continue;
        for (int c = 0; c < t->ncols; c++) {
            const ng_cell *cell = cell_at(t, r, c);
            /* only person counts; a ratio (per 1.000 inhabitants) is a rate */
            if (!t->cols[c].persons || cell->type != NG_CELL_NUM ||
                cell->rule.kind == NG_RULE_RATIO)
                continue;
            double v = fabs(cell->num);
            if (v > 0 && v < s->min_persons)
                n += ng_suppress_cell(s->ds, t, r, c, "primaer", why, &s->nomem);
        }
    }
    return n;
}

/* Among the cells (rows[i], cols[i]) under the total at (tr, tc): when
 * exactly one is hidden, hides the smallest visible positive one (else the
 * smallest visible one; ties: the first). Returns cells hidden, or -1 when a
 * complement was needed and none exists. */
static int complement_among(suppressor *s, int tr, int tc, const int *rows, const int *cols, int n)
{
    ng_table *t = s->t;
    int hidden = 0, best = -1;
    for (int i = 0; i < n; i++) {
        const ng_cell *cell = cell_at(t, rows[i], cols[i]);
        if (cell->suppressed) {
            hidden++;
            continue;
        }
        if (cell->type != NG_CELL_NUM || is_total_row(t, rows[i]))
            continue;
        if (best < 0) {
            best = i;
            continue;
        }
        double v = fabs(cell->num), bv = fabs(cell_at(t, rows[best], cols[best])->num);
        bool pos = v > 0, bpos = bv > 0;
        if ((pos && !bpos) || (pos == bpos && v < bv))
            best = i;
    }
    if (hidden != 1)
        return 0;
    if (best < 0)
        return -1;
    char why[200];
    snprintf(why, sizeof why,
             "totalen i række %d, kolonne %s gav ellers den diskretionerede celle tilbage", tr + 1,
             t->cols[tc].key);
    return ng_suppress_cell(s->ds, t, rows[best], cols[best], "komplement", why, &s->nomem);
}

/* The cells a total covers: a SUM's or an AVERAGE's rows in its column
 * (detail rows only: a mean times the count of its rows is their sum), or a
 * LINEAR rule's terms in this table. */
static int covered_cells(const ng_table *t, const ng_cell *total, int col, int *rows, int *cols,
                         int cap)
{
    int n = 0;
    if (total->rule.kind == NG_RULE_SUM || total->rule.kind == NG_RULE_AVERAGE) {
        for (int r = total->rule.first_row; r <= total->rule.last_row && n < cap; r++) {
            if (r < 0 || r >= t->nrows || is_total_row(t, r))
                continue;
            rows[n] = r;
            cols[n++] = col;
        }
    } else if (total->rule.kind == NG_RULE_LINEAR) {
        for (int i = 0; i < total->rule.nterms && n < cap; i++) {
            const ng_term *term = &total->rule.terms[i];
            if (term->table) /* another table's cell: the audit across tables sees it */
                continue;
            if (term->row < 0 || term->row >= t->nrows || term->col < 0 || term->col >= t->ncols)
                continue;
            rows[n] = term->row;
            cols[n++] = term->col;
        }
    }
    return n;
}

/* A ratio (a share, per 1.000 inhabitants) of a hidden cell gives it away. */
static bool ratio_reveals(const ng_table *t, const ng_cell *cell)
{
    for (int i = 0; i < cell->rule.nterms; i++) {
        const ng_term *term = &cell->rule.terms[i];
        if (!term->table && term->row >= 0 && term->row < t->nrows && term->col >= 0 &&
            term->col < t->ncols && t->rows[term->row].cells[term->col].suppressed)
            return true;
    }
    return false;
}

/* A median may be the hidden cell itself (or half of it), whatever else is
 * hidden: a median over a suppressed cell is suppressed too. */
static bool median_reads_suppressed(const ng_table *t, const ng_cell *cell, int col)
{
    for (int r = cell->rule.first_row; r <= cell->rule.last_row; r++)
        if (r >= 0 && r < t->nrows && t->rows[r].cells[col].suppressed)
            return true;
    return false;
}

static int secondary_columns(suppressor *s, bool counts, int *rows, int *cols, int cap,
                             ng_diags *diags)
{
    ng_table *t = s->t;
    int n = 0;
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            if (t->cols[c].persons != counts)
                continue;
            ng_cell *cell = cell_at(t, r, c);
            if (cell->suppressed || cell->rule.kind == NG_RULE_NONE)
                continue;
            if (cell->rule.kind == NG_RULE_RATIO) {
                if (!is_total_row(t, r) && ratio_reveals(t, cell))
                    n += hide(s->ds, t, r, c, "forhold",
                              "forholdstallet regnes af en diskretioneret celle", &s->nomem);
                continue;
            }
            if (cell->rule.kind == NG_RULE_MEDIAN) {
                if (median_reads_suppressed(t, cell, c))
                    n += hide(s->ds, t, r, c, "median",
                              "medianen kan være den diskretionerede celle selv", &s->nomem);
                continue;
            }
            int m = covered_cells(t, cell, c, rows, cols, cap);
            int h = complement_among(s, r, c, rows, cols, m);
            if (h < 0) {
                /* a total over a single hidden cell and nothing else */
                ng_note(diags, t->name, 0, 0,
                        "total i række %d, kolonne %s dækker kun én lille celle og "
                        "diskretioneres også",
                        r + 1, t->cols[c].key);
                h = hide(s->ds, t, r, c, "komplement",
                         "totalen dækker kun den diskretionerede celle", &s->nomem);
            }
            n += h;
        }
    }
    return n;
}

/* One pass over every derived cell; returns the cells hidden in the pass.
 * Person counts go first: a complement count hides its row's money cells,
 * which then need no complement of their own. */
static int secondary_pass(suppressor *s, int *rows, int *cols, int cap, ng_diags *diags)
{
    int n = 0;
    for (int counts = 1; counts >= 0; counts--) {
        n += secondary_columns(s, counts, rows, cols, cap, diags);
        if (n > 0)
            return n;
    }
    return n;
}

ng_status ng_suppression_note(ng_table *t, int min_persons)
{
    char note[128];
    snprintf(note, sizeof note, "– : Diskretioneret (færre end %d personer)", min_persons);
    if (t->note && strstr(t->note, note))
        return NG_OK;
    if (!t->note || !*t->note) {
        ng_table_set_note(t, note);
        return t->note ? NG_OK : NG_ERR_NOMEM;
    }
    size_t len = strlen(t->note) + strlen(note) + 2;
    char *both = malloc(len);
    if (!both)
        return NG_ERR_NOMEM;
    snprintf(both, len, "%s %s", t->note, note);
    ng_table_set_note(t, both);
    free(both);
    return t->note ? NG_OK : NG_ERR_NOMEM;
}

/* Primary suppression, and with complements the complements within the
 * table. */
static ng_status suppress_one_table(ng_dataset *ds, ng_table *t, int min_persons, bool complements,
                                    int *count, ng_diags *diags)
{
    suppressor s = {.ds = ds, .t = t, .min_persons = min_persons};
    *count = 0;
    if (min_persons <= 1 || t->nrows == 0)
        return NG_OK;
    int cap = t->nrows > t->ncols ? t->nrows : t->ncols;
    cap = cap * 2 + 8; /* a LINEAR rule's terms may exceed both */
    int *rows = malloc((size_t)cap * sizeof *rows);
    int *cols = malloc((size_t)cap * sizeof *cols);
    if (!rows || !cols) {
        free(rows);
        free(cols);
        return NG_ERR_NOMEM;
    }
    int total = primary_suppression(&s);
    if (total > 0 && complements) {
        int n;
        /* every pass hides at least one more cell, so this ends */
        while ((n = secondary_pass(&s, rows, cols, cap, diags)) > 0)
            total += n;
    }
    free(rows);
    free(cols);
    *count = total;
    return s.nomem ? NG_ERR_NOMEM : NG_OK;
}

ng_status ng_suppress_table(ng_table *t, int min_persons, int *nsuppressed, ng_diags *diags)
{
    int n = 0;
    ng_status st = suppress_one_table(NULL, t, min_persons, true, &n, diags);
    if (nsuppressed)
        *nsuppressed = n;
    if (st == NG_OK && n > 0)
        st = ng_suppression_note(t, min_persons);
    return st;
}

static int count_suppressed(const ng_table *t)
{
    int n = 0;
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++)
            n += t->rows[r].cells[c].suppressed;
    return n;
}

ng_status ng_suppress_small_cells(ng_dataset *ds, int min_persons, ng_diags *diags)
{
    if (min_persons <= 1)
        return NG_OK;
    for (size_t i = 0; i < ds->ntables; i++) {
        ng_table *t = ds->tables[i];
        int n = 0;
        ng_status st =
            t->count_table ? suppress_one_table(ds, t, min_persons, false, &n, diags) : NG_OK;
        if (st != NG_OK)
            return st;
    }
    /* the complements: chosen across tables, since the tables of one
     * population share totals -- a complement chosen inside one table can be
     * given back by another, or by a value quoted in the text */
    ng_status st = ng_suppress_across_tables(ds, min_persons, diags);
    if (st != NG_OK)
        return st;
    for (size_t i = 0; i < ds->ntables; i++) {
        ng_table *t = ds->tables[i];
        int n = count_suppressed(t);
        if (n == 0)
            continue;
        st = ng_suppression_note(t, min_persons);
        if (st != NG_OK)
            return st;
        ng_note(diags, t->name, 0, 0, "%d celler diskretioneret (færre end %d personer)", n,
                min_persons);
    }
    return NG_OK;
}

/* ---- the CPR guard ---------------------------------------------------- */

/* Tells whether a hit at text[at..at+n) is not a published identifier (a
 * number in a workbook's cell). NULL = every hit counts. */
typedef bool (*skip_hit_fn)(const char *text, size_t len, size_t at, size_t n);

/* Scans text; with_lines names line and column (for files). */
static ng_status guard_skip(const char *what, const char *text, size_t len, bool with_lines,
                            skip_hit_fn skip, ng_diags *diags)
{
    size_t off = 0, hits = 0, pos, n;
    long line = 1;
    size_t line_start = 0, counted = 0;
    while (off < len && ng_find_cpr(text + off, len - off, true, &pos, &n)) {
        size_t at = off + pos;
        if (skip && skip(text, len, at, n)) {
            off = at + n;
            continue;
        }
        /* a hit right after a digit is part of a longer run: ng_find_cpr
         * cannot see the digit before text + off, but off always follows a
         * match, which ends before a non-digit */
        if (hits < MAX_HITS_PER_TEXT) {
            if (with_lines) {
                for (; counted < at; counted++)
                    if (text[counted] == '\n')
                        line++, line_start = counted + 1;
                ng_error(diags, what, line, (long)(at - line_start) + 1,
                         "CPR-lignende værdi ved position %zu — offentliggøres ikke", at + 1);
            } else {
                ng_error(diags, what, 0, 0,
                         "CPR-lignende værdi ved position %zu — offentliggøres ikke", at + 1);
            }
        }
        hits++;
        off = at + n;
    }
    if (hits > MAX_HITS_PER_TEXT)
        ng_error(diags, what, 0, 0, "%zu CPR-lignende værdier i alt — offentliggøres ikke", hits);
    return hits ? NG_ERR_PRIVACY : NG_OK;
}

static ng_status guard(const char *what, const char *text, size_t len, bool with_lines,
                       ng_diags *diags)
{
    return guard_skip(what, text, len, with_lines, NULL, diags);
}

ng_status ng_guard_text(const char *what, const char *text, size_t len, ng_diags *diags)
{
    return text ? guard(what, text, len, false, diags) : NG_OK;
}

static ng_status guard_str(const char *what, const char *s, ng_diags *diags)
{
    return s ? guard(what, s, strlen(s), false, diags) : NG_OK;
}

/* Keeps the first failure but goes on scanning, so every hit is reported. */
static void worst(ng_status *acc, ng_status st)
{
    if (*acc == NG_OK)
        *acc = st;
}

static ng_status guard_table(const char *prefix, const ng_table *t, ng_diags *diags)
{
    ng_status st = NG_OK;
    char what[512];
    snprintf(what, sizeof what, "%s, tabel %s", prefix, t->name ? t->name : "?");
    worst(&st, guard_str(what, t->name, diags));
    worst(&st, guard_str(what, t->title, diags));
    worst(&st, guard_str(what, t->source, diags));
    worst(&st, guard_str(what, t->note, diags));
    for (int c = 0; c < t->ncols; c++) {
        snprintf(what, sizeof what, "%s, tabel %s, kolonne %d", prefix, t->name, c + 1);
        worst(&st, guard_str(what, t->cols[c].key, diags));
        worst(&st, guard_str(what, t->cols[c].label, diags));
        worst(&st, guard_str(what, t->cols[c].group, diags));
    }
    for (int r = 0; r < t->nrows; r++) {
        snprintf(what, sizeof what, "%s, tabel %s, række %d", prefix, t->name, r + 1);
        worst(&st, guard_str(what, t->rows[r].key, diags));
        for (int c = 0; c < t->ncols; c++) {
            const ng_cell *cell = &t->rows[r].cells[c];
            if (cell->type != NG_CELL_TEXT)
                continue;
            snprintf(what, sizeof what, "%s, tabel %s, række %d, kolonne %d", prefix, t->name,
                     r + 1, c + 1);
            worst(&st, guard_str(what, cell->text, diags));
        }
    }
    return st;
}

ng_status ng_guard_dataset(const ng_dataset *ds, ng_diags *diags)
{
    ng_status st = NG_OK;
    char what[512];
    worst(&st, guard_str("datasæt, kommune", ds->kommune, diags));
    worst(&st, guard_str("datasæt, kommunekode", ds->kommunekode, diags));
    for (size_t i = 0; i < ds->ntables; i++)
        worst(&st, guard_table("datasæt", ds->tables[i], diags));
    for (size_t i = 0; i < ds->nvalues; i++) {
        const ng_value *v = &ds->values[i];
        snprintf(what, sizeof what, "datasæt, værdi nr. %zu", i + 1);
        worst(&st, guard_str(what, v->name, diags));
        worst(&st, guard_str(what, v->text, diags));
        worst(&st, guard_str(what, v->description, diags));
    }
    for (size_t i = 0; i < ds->nfigures; i++) {
        const ng_figure *f = &ds->figures[i];
        snprintf(what, sizeof what, "datasæt, figur nr. %zu", i + 1);
        worst(&st, guard_str(what, f->name, diags));
        worst(&st, guard_str(what, f->table, diags));
        worst(&st, guard_str(what, f->title, diags));
        worst(&st, guard_str(what, f->y_title, diags));
    }
    return st;
}

ng_status ng_guard_memo(const ng_memo *memo, ng_diags *diags)
{
    ng_status st = NG_OK;
    char what[512];
    const ng_memo_meta *mm = &memo->meta;
    const char *header[] = {memo->title, mm->sagsnavn,    mm->sagsnummer, mm->skrevet_af,
                            mm->email,   mm->forvaltning, mm->sendes_til, memo->dato};
    for (size_t i = 0; i < sizeof header / sizeof *header; i++)
        worst(&st, guard_str("notat, hoved", header[i], diags));
    for (size_t b = 0; b < memo->nblocks; b++) {
        const ng_block *blk = &memo->blocks[b];
        snprintf(what, sizeof what, "notat, blok %zu", b + 1);
        for (size_t r = 0; r < blk->nruns; r++)
            worst(&st, guard_str(what, blk->runs[r].text, diags));
        worst(&st, guard_str(what, blk->caption, diags));
        if (blk->table)
            worst(&st, guard_table(what, blk->table, diags));
        if (blk->figure) {
            worst(&st, guard_str(what, blk->figure->title, diags));
            worst(&st, guard_str(what, blk->figure->y_title, diags));
        }
    }
    for (size_t i = 0; i < memo->nfootnotes; i++) {
        snprintf(what, sizeof what, "notat, fodnote %zu", i + 1);
        worst(&st, guard_str(what, memo->footnotes[i], diags));
    }
    return st;
}

/* Reads a whole file into *out (malloc'd, NUL-terminated) and *len. */
static ng_status read_whole_file(const char *path, char **out, size_t *len, ng_diags *diags)
{
    FILE *f = fopen(path, "rb");
    *out = NULL;
    *len = 0;
    if (!f) {
        ng_error(diags, path, 0, 0, "kan ikke læse filen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    ng_strbuf text = {0};
    bool read_ok = ng_strbuf_add_stream(&text, f);
    fclose(f);
    if (text.oom) {
        ng_strbuf_free(&text);
        return NG_ERR_NOMEM;
    }
    if (!read_ok) {
        ng_strbuf_free(&text);
        ng_error(diags, path, 0, 0, "fejl under læsning af filen");
        return NG_ERR_IO;
    }
    *len = text.len;
    *out = ng_strbuf_take(&text);
    return *out ? NG_OK : NG_ERR_NOMEM;
}

static bool numeric_char(char c);

/* A bare JSON number (an amount in data.json), not a string. */
static bool in_json_number(const char *text, size_t len, size_t at, size_t n)
{
    size_t start = at, end = at + n;
    while (start > 0 && numeric_char(text[start - 1]))
        start--;
    while (end < len && numeric_char(text[end]))
        end++;
    while (start > 0 && strchr(" \t\r\n", text[start - 1]))
        start--;
    while (end < len && strchr(" \t\r\n", text[end]))
        end++;
    return start > 0 && strchr(":,[", text[start - 1]) && (end == len || strchr(",]}", text[end]));
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

ng_status ng_guard_file(const char *path, ng_diags *diags)
{
    char *text = NULL;
    size_t len = 0;
    ng_status st = read_whole_file(path, &text, &len, diags);
    if (st == NG_OK)
        st = guard_skip(path, text, len, true, has_suffix(path, ".json") ? in_json_number : NULL,
                        diags);
    free(text);
    return st;
}

ng_status ng_secure_file(const char *path, ng_diags *diags)
{
    if (chmod(path, 0600) != 0) {
        ng_error(diags, path, 0, 0, "kan ikke sætte filens rettigheder til 0600: %s",
                 strerror(errno));
        return NG_ERR_IO;
    }
    return NG_OK;
}

/* ---- the workbook ------------------------------------------------------ */

/* An XLSX file is a ZIP of XML parts. This reads the central directory,
 * inflates each .xml/.rels part with zlib and scans its text. Numbers in
 * cells (<v>1201901234</v>, <c:v>...</c:v> in charts) are amounts, not
 * identifiers, and are skipped; text cells live in xl/sharedStrings.xml or
 * as inline strings, and are scanned. No ZIP64: a bilag is far below 4 GB. */

enum { ZIP_EOCD = 0x06054b50, ZIP_CENTRAL = 0x02014b50, ZIP_LOCAL = 0x04034b50 };
#define NG_XLSX_MAX_PART (256u * 1024u * 1024u)

static unsigned rd16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long rd32(const unsigned char *p)
{
    return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
           (unsigned long)p[3] << 24;
}

static bool numeric_char(char c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'E' || c == 'e';
}

static bool preceded_by(const char *text, size_t at, const char *tag)
{
    size_t n = strlen(tag);
    return at >= n && memcmp(text + at - n, tag, n) == 0;
}

static bool followed_by(const char *text, size_t len, size_t at, const char *tag)
{
    size_t n = strlen(tag);
    return at + n <= len && memcmp(text + at, tag, n) == 0;
}

static bool in_number_element(const char *text, size_t len, size_t at, size_t n)
{
    size_t start = at, end = at + n;
    while (start > 0 && numeric_char(text[start - 1]))
        start--;
    while (end < len && numeric_char(text[end]))
        end++;
    return (preceded_by(text, start, "<v>") && followed_by(text, len, end, "</v>")) ||
           (preceded_by(text, start, "<c:v>") && followed_by(text, len, end, "</c:v>"));
}

static ng_status inflate_part(const unsigned char *data, size_t csize, size_t usize,
                              unsigned method, char **out)
{
    *out = malloc(usize + 1);
    if (!*out)
        return NG_ERR_NOMEM;
    if (method == 0) {
        if (csize != usize)
            return NG_ERR_INPUT;
        memcpy(*out, data, usize);
        (*out)[usize] = '\0';
        return NG_OK;
    }
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (method != 8 || inflateInit2(&zs, -MAX_WBITS) != Z_OK)
        return NG_ERR_INPUT;
    zs.next_in = (unsigned char *)data;
    zs.avail_in = (uInt)csize;
    zs.next_out = (unsigned char *)*out;
    zs.avail_out = (uInt)usize;
    int rc = inflate(&zs, Z_FINISH);
    size_t got = usize - zs.avail_out;
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || got != usize)
        return NG_ERR_INPUT;
    (*out)[usize] = '\0';
    return NG_OK;
}

static bool is_xml_part(const char *name, size_t n)
{
    return (n >= 4 && memcmp(name + n - 4, ".xml", 4) == 0) ||
           (n >= 5 && memcmp(name + n - 5, ".rels", 5) == 0);
}

/* Scans one central-directory entry at cd; *next is the following one. */
static ng_status guard_zip_entry(const char *path, const unsigned char *zip, size_t size, size_t cd,
                                 size_t *next, ng_diags *diags)
{
    if (cd + 46 > size || rd32(zip + cd) != ZIP_CENTRAL)
        return NG_ERR_INPUT;
    unsigned method = rd16(zip + cd + 10);
    unsigned long csize = rd32(zip + cd + 20), usize = rd32(zip + cd + 24);
    unsigned nlen = rd16(zip + cd + 28), xlen = rd16(zip + cd + 30), clen = rd16(zip + cd + 32);
    unsigned long local = rd32(zip + cd + 42);
    *next = cd + 46 + nlen + xlen + clen;
    if (*next > size)
        return NG_ERR_INPUT;
    const char *name = (const char *)zip + cd + 46;
    if (!is_xml_part(name, nlen))
        return NG_OK;
    if (local + 30 > size || rd32(zip + local) != ZIP_LOCAL || usize > NG_XLSX_MAX_PART)
        return NG_ERR_INPUT;
    size_t data = local + 30 + rd16(zip + local + 26) + rd16(zip + local + 28);
    if (data + csize > size)
        return NG_ERR_INPUT;
    char *text = NULL;
    ng_status st = inflate_part(zip + data, csize, usize, method, &text);
    if (st == NG_OK) {
        char what[512];
        snprintf(what, sizeof what, "%s (%.*s)", path, (int)nlen, name);
        st = guard_skip(what, text, usize, false, in_number_element, diags);
    }
    free(text);
    return st;
}

static ng_status guard_zip(const char *path, const unsigned char *zip, size_t size, ng_diags *diags)
{
    if (size < 22)
        return NG_ERR_INPUT;
    size_t eocd = size - 22;
    size_t stop = size > 22 + 65535 ? size - 22 - 65535 : 0;
    while (rd32(zip + eocd) != ZIP_EOCD) {
        if (eocd == stop)
            return NG_ERR_INPUT;
        eocd--;
    }
    unsigned entries = rd16(zip + eocd + 10);
    size_t cd = rd32(zip + eocd + 16);
    ng_status result = NG_OK;
    for (unsigned i = 0; i < entries; i++) {
        size_t next = 0;
        ng_status st = guard_zip_entry(path, zip, size, cd, &next, diags);
        if (st == NG_ERR_INPUT || st == NG_ERR_NOMEM)
            return st;
        worst(&result, st);
        cd = next;
    }
    return result;
}

ng_status ng_guard_xlsx(const char *path, ng_diags *diags)
{
    unsigned char *zip = NULL;
    size_t size = 0;
    ng_status st = read_whole_file(path, (char **)&zip, &size, diags);
    if (st != NG_OK)
        return st;
    st = guard_zip(path, zip, size, diags);
    if (st == NG_ERR_INPUT) {
        ng_error(diags, path, 0, 0, "ikke en læsbar xlsx-fil (zip)");
        st = NG_ERR_IO;
    }
    free(zip);
    return st;
}

/* ---- the module ---------------------------------------------------------- */

typedef ng_privatliv_options opts;

static const ng_config_key keys[] = {
    NG_KEY_RANGE(opts, "privatliv", "mindste_celle", NG_KEY_INT, mindste_celle, 1, 100),
};

static void options_init(void *p)
{
    ((opts *)p)->mindste_celle = 3;
}

/* The smallest count published, for a module that keeps small counts out
 * of what it compares (the benchmark's ranking). */
static ng_status prepare(const void *opt, ng_pipeline *p)
{
    p->mindste_celle = ((const opts *)opt)->mindste_celle;
    return NG_OK;
}

/* After every computation, before anything is rendered: every published
 * name must be declared (and gets its declared description), small cells
 * are suppressed (and every value reading one with them), and no text of
 * the dataset may look like a CPR number. */
static ng_status guard_published(const void *opt, ng_pipeline *p)
{
    const opts *o = opt;
    ng_status st = ng_registry_check(&p->ds, p->diags);
    if (st == NG_OK)
        st = ng_registry_check_rules(&p->ds, p->diags);
    if (st == NG_OK)
        st = ng_suppress_small_cells(&p->ds, o->mindste_celle, p->diags);
    if (st == NG_OK)
        st = ng_dataset_propagate_suppression(&p->ds);
    if (st == NG_OK)
        st = ng_guard_dataset(&p->ds, p->diags);
    return st;
}

const ng_module ng_module_privatliv = {
    .name = "privatliv",
    .summary = "Diskretionering af små celler og CPR-værn for alt, der offentliggøres",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_init = options_init,
    .prepare = prepare,
    .guard = guard_published,
};
