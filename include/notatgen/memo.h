/*
 * memo.h -- a memo ("notat") as a list of blocks: what the template stage
 * produces and the PDF layout engine consumes.
 *
 *   template (Markdown, cmark-gfm) + dataset --ng_template_render--> ng_memo
 *   ng_memo + dataset --ng_pdf_write--> PDF
 *
 * Text is UTF-8 with every {{ placeholder }} already filled in and formatted;
 * the PDF stage does layout only, no arithmetic and no formatting of numbers.
 * Tables placed with a `tabel NAME` block point into the dataset (borrowed);
 * a Markdown table written in the template becomes an owned ng_table of text
 * cells. Figures are copies of the dataset's ng_figure (owned).
 *
 * Ownership: ng_memo_free frees everything the memo owns; borrowed tables
 * stay the dataset's.
 */
#ifndef NOTATGEN_MEMO_H
#define NOTATGEN_MEMO_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/table.h"

/* Memo header fields: Sagsnavn, Sagsnummer, Skrevet af, E-mail, Forvaltning,
 * Sendes til ([notat], [notat.NAVN] in the configuration). */
typedef struct {
    char *sagsnavn, *sagsnummer, *skrevet_af, *email, *forvaltning, *sendes_til;
} ng_memo_meta;

enum { NG_STYLE_BOLD = 1u << 0, NG_STYLE_ITALIC = 1u << 1, NG_STYLE_FOOTREF = 1u << 2 };

/* A run of text in one style. NG_STYLE_FOOTREF: text is the footnote number
 * ("1"), printed superscript. A "\n" in text is a hard line break. */
typedef struct {
    char *text;
    unsigned style;
} ng_run;

typedef enum {
    NG_BLOCK_HEADING,   /* level 1..3 */
    NG_BLOCK_PARAGRAPH, /* runs */
    NG_BLOCK_ITEM,      /* list item: runs; level = nesting depth (1..); number > 0 = ordered */
    NG_BLOCK_QUOTE,     /* runs, indented */
    NG_BLOCK_TABLE,     /* table */
    NG_BLOCK_FIGURE,    /* figure + its table */
    NG_BLOCK_RULE,      /* thematic break */
    NG_BLOCK_PAGEBREAK
} ng_block_kind;

typedef struct {
    ng_block_kind kind;
    int level;
    int number; /* ordered list item number, 0 for bullets */
    ng_run *runs;
    size_t nruns;
    const ng_table *table; /* TABLE / FIGURE: borrowed from the dataset or == owned_table */
    ng_table *owned_table; /* a Markdown table from the template, owned */
    ng_figure *figure;     /* FIGURE: owned copy */
    char *caption;         /* optional caption above a table or figure */
    long source_line;      /* template line, for error messages */
} ng_block;

typedef struct {
    /* header block (docs/konfiguration.md, [notat]): Sagsnavn, Sagsnummer, Skrevet af, E-mail,
     * Forvaltning, Dato, Sendes til -- from the template's header, defaults
     * from the config */
    char *title; /* "Notat - Status vedr. særligt dyre enkeltsager" */
    ng_memo_meta meta;
    char *dato; /* "22-11-2026" as shown in the header */
    bool show_header;
    ng_block *blocks;
    size_t nblocks, caps;
    char **footnotes; /* footnotes[i] is note number i+1, owned */
    size_t nfootnotes;
    char *lang; /* "da-DK" */
} ng_memo;

void ng_memo_init(ng_memo *m);
void ng_memo_free(ng_memo *m);
/* Appends a zeroed block of the kind and returns it (NULL on out of memory). */
ng_block *ng_memo_add_block(ng_memo *m, ng_block_kind kind);
/* Appends a run to a block (text copied). */
ng_status ng_block_add_run(ng_block *b, const char *text, unsigned style);

#endif
