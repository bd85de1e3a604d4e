/* alttext.c -- the alternative text of a chart, from its table (see
 * alttext.h). */
#include "notatgen/alttext.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/strbuf.h"

/* ---- labels ------------------------------------------------------------- */

static char *format_cell_dup(const ng_table *t, int r, int col)
{
    char buf[512];
    if (r < 0 || r >= t->nrows || col < 0 || col >= t->ncols)
        return strdup("");
    return strdup(ng_table_format_cell(t, r, col, buf, sizeof buf));
}

static char *column_series_label(const ng_figure *fig, const ng_table *t, int col)
{
    const ng_column *c = &t->cols[col];
    if (!c->group)
        return strdup(c->label ? c->label : "");
    bool same_label = true;
    for (int s = 0; s < fig->nseries; s++) {
        const ng_column *o = &t->cols[fig->series[s]];
        if (!o->label || !c->label || strcmp(o->label, c->label) != 0)
            same_label = false;
    }
    if (same_label || !c->label)
        return strdup(c->group);
    size_t n = strlen(c->group) + strlen(c->label) + 4;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s, %s", c->group, c->label);
    return s;
}

char *ng_figure_series_label(const ng_figure *fig, const ng_table *t, int s)
{
    int sv = fig->series[s];
    return fig->series_from_rows ? format_cell_dup(t, sv, fig->label_col)
                                 : column_series_label(fig, t, sv);
}

char *ng_figure_category_label(const ng_figure *fig, const ng_table *t, int k)
{
    int cv = fig->cats[k];
    if (fig->series_from_rows)
        return strdup(cv >= 0 && cv < t->ncols && t->cols[cv].label ? t->cols[cv].label : "");
    return format_cell_dup(t, cv, fig->label_col);
}

/* ---- the parts of the text ---------------------------------------------- */

static const char *type_name(ng_figure_type type)
{
    switch (type) {
    case NG_FIG_LINE:
        return "Kurvediagram";
    case NG_FIG_STACKED:
        return "Stablet søjlediagram";
    default:
        return "Søjlediagram";
    }
}

static bool is_upper_ascii(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* The title as the object of "over ...": its first letter in lower case
 * (also Æ, Ø, Å), unless the first word is an abbreviation ("SDE-sager"). */
static void add_subject(ng_strbuf *b, const char *title)
{
    if (!title || !*title) {
        ng_strbuf_add(b, "tallene i tabellen");
        return;
    }
    const unsigned char *u = (const unsigned char *)title;
    bool latin1_upper = u[0] == 0xC3 && u[1] >= 0x80 && u[1] <= 0x9E && u[1] != 0x97;
    size_t first = latin1_upper ? 2 : 1;
    if (is_upper_ascii(title[0]) && !is_upper_ascii(title[1])) {
        ng_strbuf_addc(b, (char)(title[0] - 'A' + 'a'));
    } else if (latin1_upper && !is_upper_ascii(title[2])) {
        ng_strbuf_addc(b, (char)0xC3);
        ng_strbuf_addc(b, (char)(u[1] + 0x20));
    } else {
        first = 0;
    }
    ng_strbuf_add(b, title + first);
}

/* Ends a sentence, unless it ends with a full stop already ("mio. kr."). */
static void end_sentence(ng_strbuf *b)
{
    if (b->len == 0 || b->s[b->len - 1] != '.')
        ng_strbuf_addc(b, '.');
}

/* ", 2022–2025" unless the title already names both ends. */
static void add_period(ng_strbuf *b, const ng_figure *fig, const ng_table *t)
{
    if (fig->ncats < 2)
        return;
    char *first = ng_figure_category_label(fig, t, 0);
    char *last = ng_figure_category_label(fig, t, fig->ncats - 1);
    const char *title = fig->title ? fig->title : "";
    if (first && last && *first && *last && !(strstr(title, first) && strstr(title, last)))
        ng_strbuf_addf(b, ", %s–%s", first, last);
    if (!first || !last)
        b->oom = true;
    free(first);
    free(last);
}

/* "a", "a og b", "a, b og c" */
static void add_list_separator(ng_strbuf *b, int i, int n)
{
    if (i > 0)
        ng_strbuf_add(b, i == n - 1 ? " og " : ", ");
}

static int named_series(const ng_figure *fig)
{
    return fig->nseries < NG_ALTTEXT_MAX_SERIES ? fig->nseries : NG_ALTTEXT_MAX_SERIES;
}

static void add_more(ng_strbuf *b, const ng_figure *fig)
{
    int more = fig->nseries - named_series(fig);
    if (more > 0)
        ng_strbuf_addf(b, " (og %d serie%s mere)", more, more == 1 ? "" : "r");
}

static void add_series_names(ng_strbuf *b, const ng_figure *fig, const ng_table *t)
{
    int n = named_series(fig);
    ng_strbuf_add(b, n == 1 ? " Serie: " : " Serier: ");
    for (int s = 0; s < n; s++) {
        char *label = ng_figure_series_label(fig, t, s);
        add_list_separator(b, s, n);
        ng_strbuf_add(b, label ? label : "");
        b->oom |= !label;
        free(label);
    }
    add_more(b, fig);
    end_sentence(b);
}

/* ---- values ------------------------------------------------------------- */

static void cell_at(const ng_figure *fig, int s, int k, int *row, int *col)
{
    *row = fig->series_from_rows ? fig->series[s] : fig->cats[k];
    *col = fig->series_from_rows ? fig->cats[k] : fig->series[s];
}

static bool has_value(const ng_figure *fig, const ng_table *t, int s, int k)
{
    int r, c;
    cell_at(fig, s, k, &r, &c);
    const ng_cell *cell = ng_table_cell(t, r, c);
    return cell && cell->type == NG_CELL_NUM && !cell->suppressed;
}

/* The value as the memo shows it, with its unit: "214,1 mio. kr." */
static void add_value(ng_strbuf *b, const ng_figure *fig, const ng_table *t, int s, int k)
{
    int r, c;
    cell_at(fig, s, k, &r, &c);
    if (!has_value(fig, t, s, k)) {
        ng_strbuf_add(b, "ikke oplyst");
        return;
    }
    char buf[128];
    ng_strbuf_add(b, ng_table_format_cell(t, r, c, buf, sizeof buf));
    switch (ng_table_cell_unit(t, r, c)) {
    case NG_UNIT_MIO:
        ng_strbuf_add(b, " mio. kr.");
        break;
    case NG_UNIT_TKR:
        ng_strbuf_add(b, " (1.000 kr.)");
        break;
    case NG_UNIT_KR:
        ng_strbuf_add(b, " kr.");
        break;
    default:
        break;
    }
}

/* Column charts: "2025: a 214,1 mio. kr., b 79,2 mio. kr. og c 108,9 mio. kr." */
static void add_last_values(ng_strbuf *b, const ng_figure *fig, const ng_table *t)
{
    int k = fig->ncats - 1, n = named_series(fig);
    char *cat = ng_figure_category_label(fig, t, k);
    ng_strbuf_addf(b, " %s:", cat && *cat ? cat : "Sidste kategori");
    b->oom |= !cat;
    free(cat);
    for (int s = 0; s < n; s++) {
        char *label = ng_figure_series_label(fig, t, s);
        add_list_separator(b, s, n);
        ng_strbuf_addf(b, "%s%s ", s == 0 ? " " : "", label ? label : "");
        b->oom |= !label;
        free(label);
        add_value(b, fig, t, s, k);
    }
    end_sentence(b);
}

/* The first and last category where series s has a value; false if none. */
static bool value_span(const ng_figure *fig, const ng_table *t, int s, int *first, int *last)
{
    *first = -1;
    for (int k = 0; k < fig->ncats; k++)
        if (has_value(fig, t, s, k)) {
            if (*first < 0)
                *first = k;
            *last = k;
        }
    return *first >= 0;
}

/* Line charts: "a: fra X i 2021 til Y i 2025." for each series. */
static void add_line_values(ng_strbuf *b, const ng_figure *fig, const ng_table *t)
{
    for (int s = 0; s < named_series(fig); s++) {
        char *label = ng_figure_series_label(fig, t, s);
        ng_strbuf_addf(b, " %s: ", label ? label : "");
        b->oom |= !label;
        free(label);
        int first, last;
        if (!value_span(fig, t, s, &first, &last)) {
            ng_strbuf_add(b, "ingen tal.");
            continue;
        }
        char *a = ng_figure_category_label(fig, t, first);
        char *z = ng_figure_category_label(fig, t, last);
        b->oom |= !a || !z;
        if (first == last) {
            add_value(b, fig, t, s, first);
            ng_strbuf_addf(b, " i %s", a ? a : "");
        } else {
            ng_strbuf_add(b, "fra ");
            add_value(b, fig, t, s, first);
            ng_strbuf_addf(b, " i %s til ", a ? a : "");
            add_value(b, fig, t, s, last);
            ng_strbuf_addf(b, " i %s", z ? z : "");
        }
        end_sentence(b);
        free(a);
        free(z);
    }
}

char *ng_alttext_figure(const ng_figure *fig, const ng_table *t)
{
    ng_strbuf b = {0};
    ng_strbuf_addf(&b, "%s over ", type_name(fig->type));
    add_subject(&b, fig->title);
    add_period(&b, fig, t);
    end_sentence(&b);
    if (fig->nseries > 0 && fig->ncats > 0) {
        add_series_names(&b, fig, t);
        if (fig->type == NG_FIG_LINE)
            add_line_values(&b, fig, t);
        else
            add_last_values(&b, fig, t);
    }
    return ng_strbuf_take(&b);
}
