/*
 * template.h -- Markdown templates (cmark-gfm with tables) -> ng_memo.
 *
 * A template starts with a header block of memo fields:
 *
 *   ---
 *   titel: Notat - Status vedr. særligt dyre enkeltsager
 *   sagsnavn: ...          (the default: [notat.NAVN], then [notat], win)
 *   dato: {{ udtraek_dato | dato_kort }}
 *   ---
 *
 * In the text, {{ name }} or {{ name | filter }} places a value from the
 * dataset (ng_dataset_value) or a table cell ({{ table.rowkey.colkey }}),
 * formatted in Danish by dk.h: | mio -> 278,6  | tkr -> -1.150  | kr ->
 * 1.234.567  | pct -> 47 %  | dato -> 22. november 2026  | dato_kort ->
 * 22-11-2026  | antal -> 1.234. Before the last filter, | abs and | modsat
 * drop or turn the sign; the last filter may instead choose a word:
 * | flertal:"sag":"sager" by whether the count shows as 1,
 * | fortegn:"en stigning":"et fald":"ingen ændring" by the sign. A fenced
 * block with the info string `tabel NAME` places a table, `figur NAME
 * [type=linje|soejle|stablet] [titel="..."]` places a figure. Lines that are
 * only {{#hvis CONDITION}} and {{/hvis}} keep the lines between them only
 * when the condition holds (NAME; NAME [| filters] = < > <= >= NUMBER or
 * NAME2; ikke, og, eller): the numbers are compared as the reader sees them.
 * The template never computes. templates/README.md is the reference.
 *
 * An unknown name, an unknown filter or a malformed block is an error naming
 * the template's file, line and the name (NG_ERR_TEMPLATE).
 */
#ifndef NOTATGEN_TEMPLATE_H
#define NOTATGEN_TEMPLATE_H

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/memo.h"
#include "notatgen/table.h"

/* Renders the template file at path against ds into memo (initialised by the
 * caller with ng_memo_init). meta is the configuration's header
 * (ng_output_memo_meta: [notat.NAVN], then [notat]): a field it gives wins
 * over the template's header block, which is the default for the rest. */
ng_status ng_template_render(const char *path, const ng_dataset *ds, const ng_memo_meta *meta,
                             ng_memo *memo, ng_diags *diags);

/* Same, from a string (name is used in messages). */
ng_status ng_template_render_string(const char *name, const char *text, const ng_dataset *ds,
                                    const ng_memo_meta *meta, ng_memo *memo, ng_diags *diags);

/* Fills the {{ placeholders }} of plain text (no Markdown), e.g. a mail
 * body, with the same names and filters as a memo. *out gets a malloc'd
 * string the caller frees. An unknown name or filter is an error naming
 * `name` and the line (first_line + the line within text). */
ng_status ng_template_fill_text(const char *name, long first_line, const char *text,
                                const ng_dataset *ds, char **out, ng_diags *diags);

#endif
