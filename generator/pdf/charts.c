/* charts.c -- line, column and stacked column charts drawn from the table
 * model (an ng_figure over a table), readable in black-and-white print:
 * every series has a colour and also a dash pattern and marker (lines) or a
 * grey level and hatching (columns). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "notatgen/alttext.h"
#include "notatgen/palette.h"

#define CHART_TITLE_SIZE 10.0
#define AXIS_SIZE 8.0
#define LEGEND_SIZE 8.5
#define PLOT_HEIGHT 190.0
#define SAMPLE_W 28.0

typedef struct {
    double r, g, b;
} rgb;

typedef struct {
    int nser, ncat;
    double *v;        /* nser x ncat display values, NAN when missing */
    char **ser_label; /* owned */
    char **cat_label; /* owned */
    ng_unit unit;
    double div;    /* stored value / div = display value */
    int highlight; /* the category drawn apart (ng_figure.highlight), -1 = none */
} chart_data;

typedef ng_pdf_axis axis;

static double value_at(const chart_data *d, int s, int k)
{
    return d->v[(size_t)s * (size_t)d->ncat + (size_t)k];
}

static double unit_divisor(ng_unit u)
{
    switch (u) {
    case NG_UNIT_MIO:
        return 1e6;
    case NG_UNIT_TKR:
        return 1e3;
    case NG_UNIT_PCT:
        return 0.01;
    default:
        return 1;
    }
}

static bool index_ok(const ng_figure *fig, const ng_table *t)
{
    for (int s = 0; s < fig->nseries; s++) {
        int lim = fig->series_from_rows ? t->nrows : t->ncols;
        if (fig->series[s] < 0 || fig->series[s] >= lim)
            return false;
    }
    for (int k = 0; k < fig->ncats; k++) {
        int lim = fig->series_from_rows ? t->ncols : t->nrows;
        if (fig->cats[k] < 0 || fig->cats[k] >= lim)
            return false;
    }
    return fig->nseries > 0 && fig->ncats > 0;
}

static ng_status extract(const ng_figure *fig, const ng_table *t, chart_data *d)
{
    d->nser = fig->nseries;
    d->ncat = fig->ncats;
    d->v = calloc((size_t)d->nser * (size_t)d->ncat, sizeof *d->v);
    d->ser_label = calloc((size_t)d->nser, sizeof *d->ser_label);
    d->cat_label = calloc((size_t)d->ncat, sizeof *d->cat_label);
    if (!d->v || !d->ser_label || !d->cat_label)
        return NG_ERR_NOMEM;
    int unit_col = fig->series_from_rows ? fig->cats[0] : fig->series[0];
    d->unit = t->cols[unit_col].unit;
    d->div = unit_divisor(d->unit);
    d->highlight = fig->highlight > 0 && fig->highlight <= fig->ncats ? fig->highlight - 1 : -1;
    for (int s = 0; s < d->nser; s++) {
        int sv = fig->series[s];
        d->ser_label[s] = ng_figure_series_label(fig, t, s);
        if (!d->ser_label[s])
            return NG_ERR_NOMEM;
        for (int k = 0; k < d->ncat; k++) {
            int cv = fig->cats[k];
            const ng_cell *cell =
                fig->series_from_rows ? ng_table_cell(t, sv, cv) : ng_table_cell(t, cv, sv);
            bool ok = cell && cell->type == NG_CELL_NUM && !cell->suppressed;
            d->v[(size_t)s * (size_t)d->ncat + (size_t)k] = ok ? cell->num / d->div : NAN;
        }
    }
    for (int k = 0; k < d->ncat; k++) {
        d->cat_label[k] = ng_figure_category_label(fig, t, k);
        if (!d->cat_label[k])
            return NG_ERR_NOMEM;
    }
    return NG_OK;
}

static void free_data(chart_data *d)
{
    for (int s = 0; s < d->nser && d->ser_label; s++)
        free(d->ser_label[s]);
    for (int k = 0; k < d->ncat && d->cat_label; k++)
        free(d->cat_label[k]);
    free(d->ser_label);
    free(d->cat_label);
    free(d->v);
}

/* ---- the value axis ----------------------------------------------------- */

/* 1, 2, 2.5 or 5 times a power of ten, at least raw. */
static double nice_step(double raw)
{
    if (!(raw > 0))
        return 1;
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return n * p;
}

static void data_range(const chart_data *d, ng_figure_type type, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int k = 0; k < d->ncat; k++) {
        double pos = 0, neg = 0;
        for (int s = 0; s < d->nser; s++) {
            double v = value_at(d, s, k);
            if (isnan(v))
                continue;
            if (type == NG_FIG_STACKED) {
                *(v >= 0 ? &pos : &neg) += v;
                continue;
            }
            if (v < *lo)
                *lo = v;
            if (v > *hi)
                *hi = v;
        }
        if (type == NG_FIG_STACKED) {
            if (neg < *lo)
                *lo = neg;
            if (pos > *hi)
                *hi = pos;
        }
    }
    if (*lo > *hi) { /* no values at all */
        *lo = 0;
        *hi = 1;
    }
}

ng_pdf_axis ng_pdf_nice_axis(double lo, double hi, ng_figure_type type)
{
    /* columns stand on zero; a line chart keeps zero when the data come near it */
    if (type != NG_FIG_LINE || (lo >= 0 && lo <= 0.5 * hi))
        lo = lo > 0 ? 0 : lo;
    if (type != NG_FIG_LINE && hi < 0)
        hi = 0;
    axis a;
    a.step = nice_step((hi - lo) / 5);
    a.lo = floor(lo / a.step + 1e-9) * a.step;
    a.hi = ceil(hi / a.step - 1e-9) * a.step;
    if (a.hi <= a.lo)
        a.hi = a.lo + a.step;
    /* a line chart's lowest point is not drawn on the axis itself */
    if (type == NG_FIG_LINE && a.lo != 0 && fabs(lo - a.lo) < a.step * 1e-6)
        a.lo -= a.step;
    a.decimals = 0;
    while (a.decimals < 4) {
        double m = a.step * pow(10, a.decimals);
        if (fabs(m - round(m)) < 1e-6)
            break;
        a.decimals++;
    }
    return a;
}

static axis make_axis(const chart_data *d, ng_figure_type type)
{
    double lo, hi;
    data_range(d, type, &lo, &hi);
    return ng_pdf_nice_axis(lo, hi, type);
}

static char *tick_label(const chart_data *d, const axis *a, double v, char *buf, size_t size)
{
    if (fabs(v) < a->step * 1e-6)
        v = 0;
    ng_unit u = d->unit == NG_UNIT_TEXT ? NG_UNIT_ANTAL : d->unit;
    if (u == NG_UNIT_AAR || u == NG_UNIT_DATO)
        u = NG_UNIT_ANTAL;
    return ng_format_value(u, a->decimals, v * d->div, buf, size);
}

/* ---- drawing helpers ---------------------------------------------------- */

static void set_rgb(ng_pdf_ctx *c, rgb col, bool stroke)
{
    if (stroke)
        HPDF_Page_SetRGBStroke(c->page, (HPDF_REAL)col.r, (HPDF_REAL)col.g, (HPDF_REAL)col.b);
    else
        HPDF_Page_SetRGBFill(c->page, (HPDF_REAL)col.r, (HPDF_REAL)col.g, (HPDF_REAL)col.b);
}

/* A series' colour (palette.h: the colour its name calls it, else its
 * index's), the same as the bilag's chart gives it. */
static rgb series_rgb(const chart_data *d, int series, bool line)
{
    uint32_t hex = ng_series_colour(d->ser_label[series], series, line);
    return (rgb){((hex >> 16) & 0xFF) / 255.0, ((hex >> 8) & 0xFF) / 255.0, (hex & 0xFF) / 255.0};
}

static void set_dash(ng_pdf_ctx *c, int series)
{
    static const HPDF_UINT16 dashed[] = {6, 3}, dotted[] = {2, 2}, dashdot[] = {7, 2, 2, 2},
                             longdash[] = {10, 3};
    switch (series % 5) {
    case 1:
        HPDF_Page_SetDash(c->page, dashed, 2, 0);
        break;
    case 2:
        HPDF_Page_SetDash(c->page, dotted, 2, 0);
        break;
    case 3:
        HPDF_Page_SetDash(c->page, dashdot, 4, 0);
        break;
    case 4:
        HPDF_Page_SetDash(c->page, longdash, 2, 0);
        break;
    default:
        HPDF_Page_SetDash(c->page, NULL, 0, 0);
    }
}

static void marker(ng_pdf_ctx *c, int series, rgb col, double x, double y)
{
    HPDF_Page p = c->page;
    ng_pdf_mark(c);
    double r = 2.6;
    HPDF_Page_SetDash(p, NULL, 0, 0);
    HPDF_Page_SetLineWidth(p, 0.8);
    /* even series filled, odd ones open (white inside): a second cue;
     * libharu wants colours set before a path is begun */
    if (series % 2)
        HPDF_Page_SetRGBFill(p, 1, 1, 1);
    else
        set_rgb(c, col, false);
    set_rgb(c, col, true);
    switch (series % 4) {
    case 0:
        HPDF_Page_Circle(p, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)r);
        break;
    case 1:
        HPDF_Page_Rectangle(p, (HPDF_REAL)(x - r), (HPDF_REAL)(y - r), (HPDF_REAL)(2 * r),
                            (HPDF_REAL)(2 * r));
        break;
    case 2:
        HPDF_Page_MoveTo(p, (HPDF_REAL)x, (HPDF_REAL)(y + r * 1.2));
        HPDF_Page_LineTo(p, (HPDF_REAL)(x + r * 1.2), (HPDF_REAL)(y - r));
        HPDF_Page_LineTo(p, (HPDF_REAL)(x - r * 1.2), (HPDF_REAL)(y - r));
        HPDF_Page_ClosePath(p);
        break;
    default:
        HPDF_Page_MoveTo(p, (HPDF_REAL)x, (HPDF_REAL)(y + r * 1.3));
        HPDF_Page_LineTo(p, (HPDF_REAL)(x + r * 1.3), (HPDF_REAL)y);
        HPDF_Page_LineTo(p, (HPDF_REAL)x, (HPDF_REAL)(y - r * 1.3));
        HPDF_Page_LineTo(p, (HPDF_REAL)(x - r * 1.3), (HPDF_REAL)y);
        HPDF_Page_ClosePath(p);
    }
    HPDF_Page_FillStroke(p);
}

/* Diagonal lines every step points across the box (w, h > 0), in both
 * directions when cross. */
static void hatch(ng_pdf_ctx *c, double x, double y, double w, double h, double step, bool cross)
{
    HPDF_Page p = c->page;
    HPDF_Page_GSave(p);
    HPDF_Page_Rectangle(p, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_Clip(p);
    HPDF_Page_EndPath(p);
    HPDF_Page_SetLineWidth(p, cross ? 0.5 : 0.6);
    HPDF_Page_SetRGBStroke(p, 0.2f, 0.2f, 0.2f);
    for (double d = -h; d < w; d += step) {
        HPDF_Page_MoveTo(p, (HPDF_REAL)(x + d), (HPDF_REAL)y);
        HPDF_Page_LineTo(p, (HPDF_REAL)(x + d + h), (HPDF_REAL)(y + h));
        if (cross) {
            HPDF_Page_MoveTo(p, (HPDF_REAL)(x + d), (HPDF_REAL)(y + h));
            HPDF_Page_LineTo(p, (HPDF_REAL)(x + d + h), (HPDF_REAL)y);
        }
    }
    HPDF_Page_Stroke(p);
    HPDF_Page_GRestore(p);
}

/* A filled box with an outline, and hatching for odd series. */
static void column_box(ng_pdf_ctx *c, int series, rgb col, double x, double y, double w, double h)
{
    HPDF_Page p = c->page;
    if (h < 0) {
        y += h;
        h = -h;
    }
    if (w <= 0 || h <= 0)
        return;
    ng_pdf_mark(c);
    set_rgb(c, col, false);
    HPDF_Page_SetRGBStroke(p, 0.15f, 0.15f, 0.15f);
    HPDF_Page_SetDash(p, NULL, 0, 0);
    HPDF_Page_SetLineWidth(p, 0.5);
    HPDF_Page_Rectangle(p, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    HPDF_Page_FillStroke(p);
    if (series % 2)
        hatch(c, x, y, w, h, 4.5, false);
}

/* The highlighted category's column (the own municipality): orange (the
 * bilag's 0xED8C1A) where the series is dark blue, cross-hatched, so that
 * it stands out in grey print too. */
static void highlight_box(ng_pdf_ctx *c, double x, double y, double w, double h)
{
    static const rgb orange = {0.93, 0.55, 0.10};
    column_box(c, 0, orange, x, y, w, h); /* an even series: no hatching of its own */
    if (h < 0) {
        y += h;
        h = -h;
    }
    if (w > 0 && h > 0)
        hatch(c, x, y, w, h, 3.5, true);
}

/* ---- legend ------------------------------------------------------------- */

typedef struct {
    double x, top; /* relative to the legend's top-left */
    double width;
    int lines;
} legend_slot;

/* Flows the entries into rows; a label too long for a row is wrapped.
 * Returns the legend's height. */
static double layout_legend(ng_pdf_ctx *c, const chart_data *d, double width, legend_slot *slots)
{
    const double leading = LEGEND_SIZE * 1.3, gap = 14;
    double x = 0, top = 0, row_h = 0;
    for (int s = 0; s < d->nser; s++) {
        double lw = ng_pdf_text_width(c, 0, LEGEND_SIZE, d->ser_label[s]);
        double entry = SAMPLE_W + 5 + lw;
        int lines = 1;
        if (entry > width) {
            ng_run run = {d->ser_label[s], 0};
            ng_pdf_measure_ctx m = {c, LEGEND_SIZE};
            ng_pdf_break_lines(&run, 1, width - SAMPLE_W - 5, ng_pdf_measure, &m, &c->lines);
            lines = c->lines.nlines ? (int)c->lines.nlines : 1;
            entry = width;
        }
        if (x > 0 && x + entry > width) {
            top += row_h + 3;
            x = 0;
            row_h = 0;
        }
        slots[s] = (legend_slot){x, top, entry, lines};
        if (lines * leading > row_h)
            row_h = lines * leading;
        x += entry + gap;
    }
    return top + row_h;
}

static void draw_legend(ng_pdf_ctx *c, const chart_data *d, ng_figure_type type, double x0,
                        double top, const legend_slot *slots)
{
    const double leading = LEGEND_SIZE * 1.3;
    for (int s = 0; s < d->nser; s++) {
        double x = x0 + slots[s].x, y = top - slots[s].top - leading / 2;
        if (type == NG_FIG_LINE) {
            ng_pdf_mark(c);
            HPDF_Page_SetLineWidth(c->page, 1.6);
            set_rgb(c, series_rgb(d, s, true), true);
            set_dash(c, s);
            HPDF_Page_MoveTo(c->page, (HPDF_REAL)x, (HPDF_REAL)y);
            HPDF_Page_LineTo(c->page, (HPDF_REAL)(x + SAMPLE_W), (HPDF_REAL)y);
            HPDF_Page_Stroke(c->page);
            marker(c, s, series_rgb(d, s, true), x + SAMPLE_W / 2, y);
        } else {
            column_box(c, s, series_rgb(d, s, false), x + 6, y - 4.5, SAMPLE_W - 12, 9);
        }
        ng_pdf_set_gray_fill(c, 0);
        ng_run run = {d->ser_label[s], 0};
        ng_pdf_measure_ctx m = {c, LEGEND_SIZE};
        double tw = slots[s].width - SAMPLE_W - 5;
        if (ng_pdf_break_lines(&run, 1, tw + 0.01, ng_pdf_measure, &m, &c->lines) == NG_OK)
            ng_pdf_draw_lines(c, &run, &c->lines, 0, c->lines.nlines, x + SAMPLE_W + 5,
                              y - LEGEND_SIZE * 0.35, tw, LEGEND_SIZE, leading, 0);
    }
}

/* ---- the plot ----------------------------------------------------------- */

typedef struct {
    double x0, x1, y0, y1; /* plot area */
    axis a;
} plot;

static double ypos(const plot *p, double v)
{
    return p->y0 + (v - p->a.lo) / (p->a.hi - p->a.lo) * (p->y1 - p->y0);
}

static void draw_grid(ng_pdf_ctx *c, const chart_data *d, const plot *p)
{
    int nticks = (int)round((p->a.hi - p->a.lo) / p->a.step);
    for (int i = 0; i <= nticks; i++) {
        double v = p->a.lo + i * p->a.step;
        double y = ypos(p, v);
        bool zero = fabs(v) < p->a.step * 1e-6;
        if (i > 0)
            ng_pdf_stroke_line(c, p->x0, y, p->x1, y, zero ? 0.7 : 0.3, zero ? 0.3 : 0.82);
        char buf[64];
        tick_label(d, &p->a, v, buf, sizeof buf);
        double w = ng_pdf_text_width(c, 0, AXIS_SIZE, buf);
        ng_pdf_set_gray_fill(c, 0.2);
        ng_pdf_draw_text(c, p->x0 - 5 - w, y - AXIS_SIZE * 0.33, 0, AXIS_SIZE, buf, strlen(buf));
    }
    ng_pdf_stroke_line(c, p->x0, p->y0, p->x1, p->y0, 0.7, 0.3);
    ng_pdf_stroke_line(c, p->x0, p->y0, p->x0, p->y1, 0.7, 0.3);
}

/* Widest space-separated word among the category labels. */
static double widest_category_word(ng_pdf_ctx *c, const chart_data *d)
{
    double best = 0;
    ng_pdf_measure_ctx m = {c, AXIS_SIZE};
    for (int k = 0; k < d->ncat; k++)
        for (const char *s = d->cat_label[k]; *s;) {
            size_t n = strcspn(s, " ");
            double w = ng_pdf_measure(&m, 0, s, n);
            if (w > best)
                best = w;
            s += n;
            s += strspn(s, " ");
        }
    return best;
}

/* Category labels under the axis, wrapped to their slot; when the words do
 * not fit a slot, only every n-th category is labelled (months over several
 * years). Returns the height. */
static double category_labels(ng_pdf_ctx *c, const chart_data *d, const plot *p, bool draw)
{
    double slot = (p->x1 - p->x0) / d->ncat, leading = AXIS_SIZE * 1.2, most = 1;
    int every = 1;
    double word = widest_category_word(c, d);
    if (slot - 4 > 0 && word > slot - 4)
        every = (int)ceil(word / (slot - 4));
    double width = slot * every - 4;
    for (int k = 0; k < d->ncat; k++) {
        /* every n-th label, and always the highlighted one's (instead of
         * the labels it would overlap) */
        bool near = d->highlight >= 0 && k != d->highlight && abs(k - d->highlight) < every;
        if ((k % every != 0 || near) && k != d->highlight)
            continue;
        ng_run run = {d->cat_label[k], 0};
        ng_pdf_measure_ctx m = {c, AXIS_SIZE};
        if (ng_pdf_break_lines(&run, 1, width, ng_pdf_measure, &m, &c->lines) != NG_OK)
            continue;
        if (c->lines.nlines > most)
            most = (double)c->lines.nlines;
        if (draw) {
            double centre = p->x0 + (k + 0.5) * slot;
            ng_pdf_set_gray_fill(c, 0.1);
            ng_pdf_draw_lines(c, &run, &c->lines, 0, c->lines.nlines, centre - width / 2,
                              p->y0 - 4 - AXIS_SIZE, width, AXIS_SIZE, leading, 2);
        }
    }
    ng_pdf_set_gray_fill(c, 0);
    return most * leading + 6;
}

static void draw_lines_series(ng_pdf_ctx *c, const chart_data *d, const plot *p)
{
    double slot = (p->x1 - p->x0) / d->ncat;
    for (int s = 0; s < d->nser; s++) {
        ng_pdf_mark(c);
        HPDF_Page_SetLineWidth(c->page, 1.6);
        HPDF_Page_SetLineJoin(c->page, HPDF_ROUND_JOIN);
        set_rgb(c, series_rgb(d, s, true), true);
        set_dash(c, s);
        bool open = false;
        for (int k = 0; k < d->ncat; k++) {
            double v = value_at(d, s, k);
            if (isnan(v)) {
                if (open)
                    HPDF_Page_Stroke(c->page);
                open = false;
                continue;
            }
            double x = p->x0 + (k + 0.5) * slot, y = ypos(p, v);
            if (open)
                HPDF_Page_LineTo(c->page, (HPDF_REAL)x, (HPDF_REAL)y);
            else
                HPDF_Page_MoveTo(c->page, (HPDF_REAL)x, (HPDF_REAL)y);
            open = true;
        }
        if (open)
            HPDF_Page_Stroke(c->page);
        for (int k = 0; k < d->ncat; k++)
            if (!isnan(value_at(d, s, k)))
                marker(c, s, series_rgb(d, s, true), p->x0 + (k + 0.5) * slot,
                       ypos(p, value_at(d, s, k)));
    }
    HPDF_Page_SetDash(c->page, NULL, 0, 0);
}

static void draw_columns(ng_pdf_ctx *c, const chart_data *d, const plot *p, bool stacked)
{
    double slot = (p->x1 - p->x0) / d->ncat;
    double group = slot * (stacked ? 0.55 : 0.78);
    double bar = stacked ? group : group / d->nser;
    double zero = ypos(p, p->a.lo > 0 ? p->a.lo : p->a.hi < 0 ? p->a.hi : 0);
    for (int k = 0; k < d->ncat; k++) {
        double gx = p->x0 + k * slot + (slot - group) / 2;
        double pos = 0, neg = 0;
        for (int s = 0; s < d->nser; s++) {
            double v = value_at(d, s, k);
            if (isnan(v))
                continue;
            if (!stacked && k == d->highlight && d->nser == 1) {
                highlight_box(c, gx, zero, bar, ypos(p, v) - zero);
                continue;
            }
            if (!stacked) {
                column_box(c, s, series_rgb(d, s, false), gx + s * bar, zero, bar,
                           ypos(p, v) - zero);
                continue;
            }
            double *base = v >= 0 ? &pos : &neg;
            double y0 = ypos(p, *base), y1 = ypos(p, *base + v);
            column_box(c, s, series_rgb(d, s, false), gx, y0, bar, y1 - y0);
            *base += v;
        }
    }
}

static double title_height(ng_pdf_ctx *c, const char *title, double width)
{
    if (!title)
        return 0;
    ng_run run = {(char *)title, NG_STYLE_BOLD};
    ng_pdf_measure_ctx m = {c, CHART_TITLE_SIZE};
    if (ng_pdf_break_lines(&run, 1, width, ng_pdf_measure, &m, &c->lines) != NG_OK)
        return 0;
    return (double)c->lines.nlines * CHART_TITLE_SIZE * 1.3 + 6;
}

static double axis_label_width(ng_pdf_ctx *c, const chart_data *d, const axis *a)
{
    double w = 0;
    for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        char buf[64];
        double tw = ng_pdf_text_width(c, 0, AXIS_SIZE, tick_label(d, a, v, buf, sizeof buf));
        if (tw > w)
            w = tw;
    }
    return w + 8;
}

/* The chart's geometry before it is drawn: its parts' heights and the
 * legend's layout. */
typedef struct {
    plot p;
    legend_slot *slots; /* owned */
    double legend_h, title_h, cat_h, total;
} chart_geom;

static ng_status measure_chart(ng_pdf_ctx *c, const ng_figure *fig, const chart_data *d,
                               const char *title, chart_geom *g)
{
    double width = c->right - c->left;
    g->slots = calloc((size_t)d->nser, sizeof *g->slots);
    if (!g->slots)
        return NG_ERR_NOMEM;
    g->p.a = make_axis(d, fig->type);
    g->p.x0 = c->left + axis_label_width(c, d, &g->p.a);
    g->p.x1 = c->right - 4;
    g->legend_h = layout_legend(c, d, width, g->slots);
    g->title_h = title_height(c, title, width);
    g->p.y0 = 0;
    g->cat_h = category_labels(c, d, &g->p, false);
    g->total = g->title_h + 14 + PLOT_HEIGHT + g->cat_h + 8 + g->legend_h + 6;
    return NG_OK;
}

/* The chart's title: a paragraph before the figure. */
static ng_status draw_title(ng_pdf_ctx *c, const char *title)
{
    if (!title)
        return NG_OK;
    ng_run run = {(char *)title, NG_STYLE_BOLD};
    ng_pdf_tags_open(c->tags, NG_TAG_P, NULL);
    ng_status st = ng_pdf_paragraph(c, &run, 1, c->left, c->right - c->left, CHART_TITLE_SIZE,
                                    CHART_TITLE_SIZE * 1.3, false);
    ng_pdf_tags_close(c->tags);
    c->y -= 6;
    return st;
}

/* Everything below the title -- axes, curves or columns, labels, legend --
 * is the Figure, which its alternative text describes. */
static void draw_plot(ng_pdf_ctx *c, const ng_figure *fig, const chart_data *d, chart_geom *g,
                      const char *alt)
{
    ng_tag_attrs a = {.alt = alt};
    ng_tag_elem e = ng_pdf_tags_open(c->tags, NG_TAG_FIGURE, &a);
    double top = c->y;
    plot *p = &g->p;
    const char *ytitle = fig->y_title ? fig->y_title : ng_unit_label(d->unit);
    ng_pdf_set_gray_fill(c, 0.2);
    if (ytitle)
        ng_pdf_draw_text(c, c->left, c->y - AXIS_SIZE, 0, AXIS_SIZE, ytitle, strlen(ytitle));
    ng_pdf_set_gray_fill(c, 0);
    p->y1 = c->y - 14;
    p->y0 = p->y1 - PLOT_HEIGHT;
    draw_grid(c, d, p);
    if (fig->type == NG_FIG_LINE)
        draw_lines_series(c, d, p);
    else
        draw_columns(c, d, p, fig->type == NG_FIG_STACKED);
    category_labels(c, d, p, true);
    double legend_top = p->y0 - g->cat_h - 6;
    draw_legend(c, d, fig->type, c->left, legend_top, g->slots);
    c->y = legend_top - g->legend_h - 6;
    double box[4] = {c->left, c->y, c->right, top};
    ng_pdf_tags_set_bbox(c->tags, e, box);
    ng_pdf_tags_close(c->tags);
    c->y -= NG_PDF_PARA_GAP;
}

static ng_status draw_chart(ng_pdf_ctx *c, const ng_figure *fig, const chart_data *d,
                            const char *title, const char *alt)
{
    chart_geom g;
    memset(&g, 0, sizeof g);
    ng_status st = measure_chart(c, fig, d, title, &g);
    if (st == NG_OK)
        st = ng_pdf_ensure(c, g.total);
    if (st == NG_OK)
        st = draw_title(c, title);
    if (st == NG_OK)
        draw_plot(c, fig, d, &g, alt);
    free(g.slots);
    return st;
}

/* The figure's data, or an error naming the template line when the figure
 * points outside its table. */
static ng_status figure_data(ng_pdf_ctx *c, const ng_figure *fig, const ng_table *t, long line,
                             chart_data *d)
{
    memset(d, 0, sizeof *d);
    if (!index_ok(fig, t)) {
        ng_error(c->diags, NULL, line, 0,
                 "figuren %s peger uden for tabellen %s (skabelonlinje %ld)",
                 fig->name ? fig->name : "?", t->name ? t->name : "?", line);
        return NG_ERR_INTERNAL;
    }
    return extract(fig, t, d);
}

ng_status ng_pdf_figure(ng_pdf_ctx *c, const ng_figure *fig, const ng_table *t, const char *caption,
                        long line)
{
    chart_data d;
    ng_status st = figure_data(c, fig, t, line, &d);
    char *alt = st == NG_OK ? ng_alttext_figure(fig, t) : NULL;
    if (st == NG_OK && !alt)
        st = NG_ERR_NOMEM;
    if (st == NG_OK)
        st = draw_chart(c, fig, &d, caption ? caption : fig->title, alt);
    free(alt);
    free_data(&d);
    return st;
}

ng_status ng_pdf_figure_need(ng_pdf_ctx *c, const ng_figure *fig, const ng_table *t,
                             const char *caption, double *need)
{
    chart_data d;
    chart_geom g;
    memset(&g, 0, sizeof g);
    *need = 0;
    ng_status st = figure_data(c, fig, t, 0, &d);
    if (st == NG_OK)
        st = measure_chart(c, fig, &d, caption ? caption : fig->title, &g);
    *need = g.total;
    free(g.slots);
    free_data(&d);
    return st;
}
