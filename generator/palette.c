/* palette.c -- the colours of chart series (see palette.h). */
#include "notatgen/palette.h"

#include <stdio.h>
#include <string.h>

#include "notatgen/dk.h"

enum { NCOLOURS = 6 };

static const uint32_t line_palette[NCOLOURS] = {0xE8A800, 0xD12126, 0x2154B8,
                                                0x29943D, 0x804799, 0x595959};
static const uint32_t column_palette[NCOLOURS] = {0x1F4A87, 0x99BFE6, 0xE68521,
                                                  0x666666, 0xB8D98C, 0x8C4073};

static const struct {
    const char *word; /* case-folded */
    uint32_t colour;
} named[] = {
    {"gul", 0xE8A800},    {"rød", 0xD12126},   {"blå", 0x2154B8}, {"grøn", 0x29943D},
    {"orange", 0xE68521}, {"lilla", 0x804799}, {"grå", 0x595959},
};

static bool is_word_byte(unsigned char ch)
{
    /* letters, and every byte of a multi-byte UTF-8 character (æ, ø, å) */
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

/* The colour a word of name calls it; false when none does. */
static bool colour_word(const char *name, uint32_t *colour)
{
    char folded[256];
    snprintf(folded, sizeof folded, "%s", name);
    ng_fold_case(folded);
    for (const char *p = folded; *p;) {
        while (*p && !is_word_byte((unsigned char)*p))
            p++;
        size_t len = 0;
        while (p[len] && is_word_byte((unsigned char)p[len]))
            len++;
        for (size_t i = 0; len && i < sizeof named / sizeof *named; i++)
            if (strlen(named[i].word) == len && !memcmp(p, named[i].word, len)) {
                *colour = named[i].colour;
                return true;
            }
        p += len;
    }
    return false;
}

uint32_t ng_series_colour(const char *name, int index, bool line)
{
    uint32_t colour;
    if (name && colour_word(name, &colour))
        return colour;
    int k = (index % NCOLOURS + NCOLOURS) % NCOLOURS;
    return line ? line_palette[k] : column_palette[k];
}
