/*
 * tags.h -- tagged PDF (PDF/UA-1) and PDF/A-2 on libharu's object layer
 * (internal to pdf/). The only file of the renderer that builds PDF objects
 * itself: the layout says "begin a heading, a paragraph, a table cell, a
 * figure, an artifact" and draws; this module writes the marked-content
 * operators into the page content and, at the end, the structure tree, the
 * document's catalog entries, its XMP metadata, the output intent, correct
 * ToUnicode maps and a trailer /ID derived from the file's own bytes.
 *
 *   open(H2) ... content(page) + draw ... close()      a heading
 *   artifact_begin(LAYOUT) ... content(page) + draw ... artifact_end()
 *   finish(info)                                      tree, catalog, XMP
 *   save(path)                                        /ID, the file
 *
 * Structure elements form a tree under one Document element; open() adds a
 * child to the current element and makes it current, close() returns to its
 * parent. Drawing is marked lazily: content(page) begins a marked-content
 * sequence (BDC with the next MCID of the page, or /Artifact) for what is
 * current only when the sequence already open is not for the same page and
 * target, so consecutive draws share one sequence. An element may be
 * entered again later (enter()/close()) to add content to it, as a
 * footnote's Note is filled at the foot of its page.
 *
 * Elements without any content are left out of the tree when it is
 * written (an empty paragraph has no element). The reading order of the
 * tree is the order in which elements are opened.
 *
 * Errors: libharu reports failed object calls in their return value only;
 * the module keeps the first failure (ng_pdf_tags_status) and every later
 * call does nothing. Out of memory is NG_ERR_NOMEM, a libharu failure
 * NG_ERR_IO.
 *
 * Ownership: ng_pdf_tags owns its element tree and copies every string it
 * is given; the PDF objects it creates belong to the libharu document.
 */
#ifndef NOTATGEN_PDF_TAGS_H
#define NOTATGEN_PDF_TAGS_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/diag.h"
#include "notatgen/status.h"
#include "notatgen/strbuf.h"

/* Standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4). */
typedef enum {
    NG_TAG_DOCUMENT,
    NG_TAG_H1,
    NG_TAG_H2,
    NG_TAG_H3,
    NG_TAG_H4,
    NG_TAG_H5,
    NG_TAG_H6,
    NG_TAG_P,
    NG_TAG_L,
    NG_TAG_LI,
    NG_TAG_LBL,
    NG_TAG_LBODY,
    NG_TAG_TABLE,
    NG_TAG_THEAD,
    NG_TAG_TBODY,
    NG_TAG_TR,
    NG_TAG_TH,
    NG_TAG_TD,
    NG_TAG_CAPTION,
    NG_TAG_FIGURE,
    NG_TAG_NOTE,
    NG_TAG_REFERENCE,
    NG_TAG_BLOCKQUOTE
} ng_tag_type;

typedef enum { NG_SCOPE_NONE, NG_SCOPE_ROW, NG_SCOPE_COLUMN } ng_tag_scope;

/* What an element says beyond its type; every field may be left zero. */
typedef struct {
    const char *alt;    /* Figure: alternative text (UTF-8), copied */
    const char *id;     /* Note: its unique ID ("fodnote-1"), copied */
    ng_tag_scope scope; /* TH: the cells it heads */
    int col_span;       /* TH/TD over several columns (> 1) */
    int row_span;       /* TH/TD over several rows (> 1) */
    bool has_bbox;      /* Figure: its box on the page, in points */
    double bbox[4];     /* x0, y0, x1, y1 */
} ng_tag_attrs;

/* Kinds of page furniture that are not content (ISO 32000-1, 14.8.2.2). */
typedef enum {
    NG_ARTIFACT_LAYOUT,     /* rules, table borders and backgrounds */
    NG_ARTIFACT_PAGINATION, /* page numbers, repeated headers, the letterhead */
} ng_artifact_kind;

/* The document's metadata, the same in the Info dictionary and the XMP. */
typedef struct {
    const char *title; /* shown as the window title (DisplayDocTitle) */
    const char *author;
    const char *subject;
    const char *creator;      /* the program that made the content */
    const char *lang;         /* "da-DK" */
    bool has_date;            /* CreationDate/ModDate and xmp dates */
    long long date_epoch;     /* seconds since 1970, UTC */
    const char *icc_path;     /* sRGB profile for the output intent */
    const char *xmp_producer; /* NULL = the Info dictionary's Producer */
} ng_pdf_doc_info;

typedef struct ng_pdf_tags ng_pdf_tags;
typedef size_t ng_tag_elem; /* an element of the tree */

/* A tree with its Document element current; NULL on out of memory. */
ng_pdf_tags *ng_pdf_tags_new(HPDF_Doc doc);
void ng_pdf_tags_free(ng_pdf_tags *t);
/* NG_OK, or the first failure. */
ng_status ng_pdf_tags_status(const ng_pdf_tags *t);

/* Registers a new page: its /StructParents and /Tabs /S. */
void ng_pdf_tags_add_page(ng_pdf_tags *t, HPDF_Page page);

/* Adds an element under the current one and makes it current. */
ng_tag_elem ng_pdf_tags_open(ng_pdf_tags *t, ng_tag_type type, const ng_tag_attrs *attrs);
/* Makes an element opened earlier current again (close() leaves it). */
void ng_pdf_tags_enter(ng_pdf_tags *t, ng_tag_elem e);
/* Returns to the element that was current before the last open/enter. */
void ng_pdf_tags_close(ng_pdf_tags *t);
/* The current element. */
ng_tag_elem ng_pdf_tags_current(const ng_pdf_tags *t);
/* Sets a Figure's box once it is known. */
void ng_pdf_tags_set_bbox(ng_pdf_tags *t, ng_tag_elem e, const double bbox[4]);

/* Everything drawn between begin and end is an artifact of that kind;
 * artifacts nest (the innermost kind counts). */
void ng_pdf_tags_artifact_begin(ng_pdf_tags *t, ng_artifact_kind kind);
void ng_pdf_tags_artifact_end(ng_pdf_tags *t);

/* Call before painting anything on page: makes sure a marked-content
 * sequence for the current element (or artifact) is open on it. */
void ng_pdf_tags_content(ng_pdf_tags *t, HPDF_Page page);

/* A bookmark (outline entry) for a heading of level 1..6 at y on page. */
void ng_pdf_tags_bookmark(ng_pdf_tags *t, int level, const char *title, HPDF_Page page, double y);

/* Replaces libharu's ToUnicode stream of font (a UTF-8 TrueType font: the
 * codes are the characters' code points) with a CMap for codes[0..n). */
void ng_pdf_tags_to_unicode(ng_pdf_tags *t, HPDF_Font font, const uint32_t *codes, size_t n);

/* The text of a ToUnicode CMap that maps each 2-byte code in codes[0..n)
 * (ascending, at most 0xFFFF) to the same code point, in bfrange blocks for
 * consecutive codes and bfchar blocks for the rest. */
void ng_pdf_cmap_text(const uint32_t *codes, size_t n, ng_strbuf *out);

/* The XMP packet for info (PDF/A-2 part 2 conformance A, PDF/UA-1), its
 * Producer as given. */
void ng_pdf_xmp_text(const ng_pdf_doc_info *info, const char *producer, ng_strbuf *out);

/* Reads the ICC profile at path as finish() does: NG_ERR_CONFIG with a
 * message when it is missing or not an RGB profile. */
ng_status ng_pdf_check_profile(const char *path, ng_diags *diags);

/* Writes the structure tree, the parent tree, the catalog's MarkInfo, Lang,
 * ViewerPreferences, outline, XMP metadata and output intent, the Info
 * dictionary, and sets the PDF version to 1.7. Closes every open
 * marked-content sequence; nothing may be drawn afterwards. */
ng_status ng_pdf_tags_finish(ng_pdf_tags *t, const ng_pdf_doc_info *info, ng_diags *diags);

/* Saves the document to path (mode 0600) with a trailer /ID that is a
 * digest of the file's bytes, so the same document gives the same file. */
ng_status ng_pdf_tags_save(ng_pdf_tags *t, const char *path, ng_diags *diags);

#endif
