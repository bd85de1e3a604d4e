/*
 * charts.h -- line, column and stacked column charts drawn from the table
 * model on the PDF page (internal to pdf/).
 */
#ifndef NOTATGEN_PDF_CHARTS_H
#define NOTATGEN_PDF_CHARTS_H

#include "layout.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* The value axis of a chart: data from lo to hi (display units) get ticks
 * every step (1, 2, 2,5 or 5 times a power of ten, about five of them) from
 * lo to hi, shown with decimals digits. Columns always include zero. */
typedef struct {
    double lo, hi, step;
    int decimals;
} ng_pdf_axis;
ng_pdf_axis ng_pdf_nice_axis(double lo, double hi, ng_figure_type type);

/* Draws figure fig of table t under caption (the figure's title when NULL)
 * from ctx->y: the caption as a paragraph, the chart as a Figure whose
 * alternative text says what it shows (alttext.h); line is the template
 * line for error messages. */
ng_status ng_pdf_figure(ng_pdf_ctx *c, const ng_figure *fig, const ng_table *t, const char *caption,
                        long line);
/* The height the figure needs (it is never broken over pages). */
ng_status ng_pdf_figure_need(ng_pdf_ctx *c, const ng_figure *fig, const ng_table *t,
                             const char *caption, double *need);

#endif
