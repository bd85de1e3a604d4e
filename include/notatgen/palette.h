/*
 * palette.h -- the colours of chart series, shared by the PDF's charts
 * (generator/pdf/charts.c) and the bilag's native charts (xlsx.c), so that
 * a curve has the same colour in both and the colour its name calls it:
 * the budget outlook's "... (gul kurve)" is yellow, "(rød kurve)" red.
 */
#ifndef NOTATGEN_PALETTE_H
#define NOTATGEN_PALETTE_H

#include <stdbool.h>
#include <stdint.h>

/* The colour (0xRRGGBB) of series `index` named `name` (may be NULL): the
 * colour a word of the name calls it (gul, rød, blå, grøn, orange, lilla,
 * grå; any case), else the palette's colour for the index -- for lines
 * yellow, red, blue, green, purple, grey (the order of the economy memo's
 * curves), for columns alternating dark and light so that grey print
 * keeps them apart. */
uint32_t ng_series_colour(const char *name, int index, bool line);

#endif
