/*
 * fonts.h -- the four Liberation Sans faces of the PDF layout engine
 * (internal to pdf/): finding them (font_dir or fontconfig), checking that
 * they have a glyph for every character, and embedding them in the
 * document.
 *
 * Ownership: ng_pdf_fonts owns its paths and character sets; free with
 * ng_pdf_fonts_free(). The HPDF_Font handles belong to the libharu document.
 */
#ifndef NOTATGEN_PDF_FONTS_H
#define NOTATGEN_PDF_FONTS_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/status.h"

/* Index of a face by NG_STYLE_BOLD | NG_STYLE_ITALIC bits. */
enum { NG_FACE_REGULAR = 0, NG_FACE_BOLD = 1, NG_FACE_ITALIC = 2, NG_FACE_BOLD_ITALIC = 3 };
enum { NG_PDF_NFACES = 4 };

typedef struct ng_pdf_fonts {
    char *path[NG_PDF_NFACES];
    void *charset[NG_PDF_NFACES]; /* FcCharSet*, owned */
    HPDF_Font face[NG_PDF_NFACES];
} ng_pdf_fonts;

/* Finds the four Liberation Sans faces in font_dir, or through fontconfig
 * when font_dir is NULL, and reads their character sets. */
ng_status ng_pdf_fonts_find(ng_pdf_fonts *f, const char *font_dir, ng_diags *diags);
/* Embeds the faces in doc (UTF-8). */
ng_status ng_pdf_fonts_load(ng_pdf_fonts *f, HPDF_Doc doc, ng_diags *diags);
/* True when every face has a glyph for code point cp. */
bool ng_pdf_fonts_have(const ng_pdf_fonts *f, unsigned long cp);
void ng_pdf_fonts_free(ng_pdf_fonts *f);

#endif
