/*
 * alttext.h -- what a figure shows, in words: the alternative text of a
 * chart for readers who cannot see it (a screen reader reads it in place of
 * the chart), generated from the chart's own table so that text and chart
 * cannot disagree. Used for the PDF's Figure (/Alt) and for the bilag's
 * native charts (their description).
 *
 *   "Stablet søjlediagram over udgifter på voksenområdet fordelt på
 *    refusionssatser, 2022–2025. Serier: 25 pct. refusion, 50 pct. refusion
 *    og 75 pct. refusion. 2025: 25 pct. refusion 214,1 mio. kr., 50 pct.
 *    refusion 79,2 mio. kr. og 75 pct. refusion 108,9 mio. kr."
 *
 * The text names the chart type, its subject (the figure's title), the
 * period (first–last category), the series, and the key numbers: for column
 * charts each series' value in the last category, for line charts each
 * series' first and last value. Numbers are formatted as the memo formats
 * them (dk.h) with their unit; a suppressed or missing value is said to be
 * missing, never shown. At most NG_ALTTEXT_MAX_SERIES series are named.
 *
 * Ownership: the functions return malloc'ed strings the caller frees; NULL
 * on out of memory.
 */
#ifndef NOTATGEN_ALTTEXT_H
#define NOTATGEN_ALTTEXT_H

#include "notatgen/table.h"

enum { NG_ALTTEXT_MAX_SERIES = 8 };

/* The alternative text of figure fig drawn from table t (fig's indexes
 * must lie inside t). */
char *ng_alttext_figure(const ng_figure *fig, const ng_table *t);

/* The name of series s as the chart's legend shows it: the label cell of
 * its row, or its column's label -- with its group when it has one ("25 pct.
 * refusion" rather than "Udgift" for every series). */
char *ng_figure_series_label(const ng_figure *fig, const ng_table *t, int s);

/* The label of category k: the column's label, or the label cell of the
 * row, as a Danish reader sees it. */
char *ng_figure_category_label(const ng_figure *fig, const ng_table *t, int k);

#endif
