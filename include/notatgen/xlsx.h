/*
 * xlsx.h -- the Excel bilag: every table of an ng_dataset as a worksheet.
 *
 * In:  an evaluated ng_dataset (table.h) and options. Out: one .xlsx file
 * (libxlsxwriter), mode 0600, byte-identical for the same inputs and options.
 *
 * The workbook:
 *
 *   - "Indhold": the title, the municipality, the extract date and one line
 *     per table sheet with an internal hyperlink to it.
 *   - One sheet per table (in dataset order), named after the table's
 *     Danish title: characters []:*?/\ removed, cut to 31 characters, made
 *     unique case-insensitively by appending " (2)", " (3)" ... within the
 *     31 characters; æøå are kept. Layout from the top:
 *
 *         row 1  title (bold, larger)
 *         row 2  unit line ("Beløb i mio. kr.") when the money columns share
 *                one unit; otherwise every money header says its unit
 *         row 3  source line ("Kilde: ...") (blank when none); a title,
 *                source or note longer than the table is wide wraps in a
 *                range merged over the table's columns
 *         row 4  blank
 *         row 5  group headers (merged over their columns), only when some
 *                column has a group
 *         next   column headers (frozen, repeated on every printed page;
 *                column widths from the longest formatted cell)
 *         next   the rows of the table (key columns, ng_column.hidden,
 *                written but hidden); total
 *                rows bold with a rule above; text wider than 48
 *                characters wraps, and its row gets the height it needs
 *         after  the table's note and a line explaining "–" (suppressed)
 *         below  the table's figures as native charts
 *
 *   - "Sager" (only when opts->cases is given): the case list.
 *
 * Numbers are shown in the column's display unit: a cell of an NG_UNIT_MIO
 * column holds kr./1e6 with format "#,##0.0", NG_UNIT_TKR kr./1000 with
 * "#,##0", kr. and antal "#,##0" (more decimals when the column asks for
 * them), pct the fraction with "0%", aar "0", dato an Excel date
 * "dd-mm-yyyy". Format codes are US notation; Excel and LibreOffice show them
 * with Danish separators in a Danish locale.
 *
 * Formulas come only from the table model's rules (table.h); the renderer
 * invents none. A derived cell becomes a live formula on the displayed-unit
 * cells, with the evaluated value cached (worksheet_write_formula_num):
 *
 *   NG_RULE_SUM     =SUM(C7:C9)
 *   NG_RULE_LINEAR  =C7+C8-C11, "2*C7" for other coefficients; a term in a
 *                   column of another display scale gets the factor between
 *                   the scales (e.g. a mio. cell from a tkr. cell: 0.001*D7)
 *   NG_RULE_RATIO   =IF((D7)=0,"",(1000*C7)/(D7)), times the factor between
 *                   the numerator's, denominator's and cell's display scales
 *                   when they differ
 *
 * A derived cell whose rule refers to a suppressed cell is written as its
 * value without a formula (the formula would recompute to another number,
 * and the suppressed value must not be recoverable); a suppressed cell is
 * written as "–".
 *
 * Charts: every ng_figure whose table is in the workbook becomes a native
 * chart below its table (line, column or stacked column), series from its
 * rows or columns, Danish title, y axis titled by the figure's y_title (or
 * the unit label), legend at the bottom. A series has the PDF's colour
 * (palette.h: the colour its name calls it, "(gul kurve)" yellow) and the
 * PDF's cue for grey print (odd lines dashed with open markers, odd columns
 * hatched).
 *
 * Print setup: A4, landscape when the visible columns are wider than a
 * portrait line (95 characters), one page wide, a print area over the
 * table's columns (and its charts) so that overflowing text never widens
 * the page, the title as page header, "Side N af M" as footer.
 *
 * Memory: libxlsxwriter's constant_memory mode is used when a table (the
 * internal case list) is longer than opts->constant_memory_rows (default 10000). Every sheet is
 * written strictly row by row, so all sheets are valid in that mode; group
 * headers are then centred across their columns instead of merged (merges
 * do not work in constant_memory mode).
 *
 * Never calls setlocale(): libxlsxwriter writes numbers with printf.
 */
#ifndef NOTATGEN_XLSX_H
#define NOTATGEN_XLSX_H

#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

typedef struct {
    /* The workbook's `created` property, Unix time. The caller decides it
     * (SOURCE_DATE_EPOCH, or the extract date); 0 means midnight UTC of the
     * dataset's extract date. Never the clock: outputs must be reproducible. */
    long long created_epoch;
    const char *title;  /* document title and the first line of "Indhold"; may be NULL */
    const char *author; /* document author; may be NULL */
    /* NULL-terminated list of table names to include, in dataset order;
     * NULL includes every table. */
    const char *const *only_tables;
    /* A table longer than this (the internal case list) switches the
     * workbook to constant_memory (0 = 10000). */
    size_t constant_memory_rows;
    /* Directory for libxlsxwriter's temporary files (NULL = system's). */
    const char *tmpdir;
} ng_xlsx_options;

/* Writes the bilag of ds to path (created or replaced, mode 0600).
 * opts may be NULL (all tables, created from the extract date). Returns
 * NG_OK, NG_ERR_NOMEM, NG_ERR_PRIVACY (a CPR-like case key), NG_ERR_INTERNAL
 * (a rule that refers outside its table) or NG_ERR_IO, with a diagnostic. */
ng_status ng_xlsx_write(const ng_dataset *ds, const ng_xlsx_options *opts, const char *path,
                        ng_diags *diags);

/* The sheet name a table gets (before making it unique): the title without
 * []:*?/\ and leading/trailing apostrophes, cut to 31 characters (not bytes)
 * on a UTF-8 character boundary. Writes into buf (size >= 128). Exposed for
 * tests. */
char *ng_xlsx_sheet_name(const char *title, char *buf, size_t size);

/* The page header Excel prints for a table: the title centred in bold, each
 * '&' doubled (in a header '&' starts a code: &P page, &G a picture), so
 * that no title can be read as a code, and the title shortened with "…" to
 * stay within Excel's NG_XLSX_HEADER_MAX characters for a header. Writes
 * into buf (size > NG_XLSX_HEADER_MAX is always enough) and returns it.
 * Exposed for tests. */
enum { NG_XLSX_HEADER_MAX = 255 };
char *ng_xlsx_header_text(const char *title, char *buf, size_t size);

#endif
