/*
 * tables.h -- tables from the table model on the PDF page (internal to
 * pdf/): widths fitted to the content, numbers right-aligned, group
 * headers, bold total rows, the header repeated on every page, smaller type
 * and then a landscape page when too wide.
 */
#ifndef NOTATGEN_PDF_TABLES_H
#define NOTATGEN_PDF_TABLES_H

#include <stdbool.h>

#include "layout.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* Where a row of a table lands: page 0 is the page the table starts on
 * (after moving to a fresh page when not even the header and the first row
 * fit), top is the distance from the top of the table area on that page. */
typedef struct {
    int page;
    double top;
} ng_pdf_slot;

/* Places rows of heights row_h under a header of head_h that is repeated on
 * every page. first_avail is the space left on the current page,
 * page_avail a fresh page's. *moved is set when the table must start on
 * the next page (then page 0 means that page). Returns the number of pages. */
int ng_pdf_paginate_rows(const double *row_h, int nrows, double head_h, double first_avail,
                         double page_avail, ng_pdf_slot *slots, bool *moved);

/* Lays out table t under caption (t's title when NULL) from ctx->y: one
 * Table element (its caption, THead, TBody) however many pages it covers,
 * the header repeated on each as page furniture. */
ng_status ng_pdf_table(ng_pdf_ctx *c, const ng_table *t, const char *caption);
/* The height the table needs on the page it starts on (caption, header and
 * first rows), and whether it goes on a landscape page; draws nothing. */
ng_status ng_pdf_table_need(ng_pdf_ctx *c, const ng_table *t, const char *caption, double *need,
                            bool *landscape);

#endif
