/*
 * blocks.h -- the blocks of a memo on the page (internal to pdf/): the
 * title and header block, headings, paragraphs, lists, quotes, rules,
 * tables and figures, footnotes and page numbers, each as its structure
 * element (tags.h).
 *
 * Keeping together: a heading is never the last thing on a page (it moves
 * on with what its next block needs on the page it starts on: two lines of
 * a paragraph, or all of a short one; a table's caption, header and first
 * rows; a whole figure). A figure that does not fit on the page waits while
 * the paragraphs, quotes and tables after it that start on this page flow
 * up; it follows them (up to the next heading, list, figure, rule or page
 * break), in the tree as on the page.
 */
#ifndef NOTATGEN_PDF_BLOCKS_H
#define NOTATGEN_PDF_BLOCKS_H

#include "layout.h"
#include "notatgen/memo.h"
#include "notatgen/status.h"

/* Lays out the whole memo: title, header, blocks, footnotes, footers. */
ng_status ng_pdf_layout_memo(ng_pdf_ctx *c, const ng_memo *memo);

#endif
