/*
 * fonts.h -- the four Liberation Sans faces of the PDF layout engine
 * (internal to pdf/): finding them (font_dir or fontconfig), checking that
 * they have a glyph for every character, embedding them in the document,
 * and remembering which characters each face drew (for its ToUnicode map).
 *
 * Ownership: ng_pdf_fonts owns its paths, character sets and sets of used
 * characters; free with ng_pdf_fonts_free(). The HPDF_Font handles belong
 * to the libharu document.
 */
#ifndef NOTATGEN_PDF_FONTS_H
#define NOTATGEN_PDF_FONTS_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/diag.h"
#include "notatgen/status.h"

/* Index of a face by NG_STYLE_BOLD | NG_STYLE_ITALIC bits. */
enum { NG_FACE_REGULAR = 0, NG_FACE_BOLD = 1, NG_FACE_ITALIC = 2, NG_FACE_BOLD_ITALIC = 3 };
enum { NG_PDF_NFACES = 4 };

typedef struct ng_pdf_fonts {
    char *path[NG_PDF_NFACES];
    void *charset[NG_PDF_NFACES]; /* FcCharSet*, owned */
    HPDF_Font face[NG_PDF_NFACES];
    uint8_t *used[NG_PDF_NFACES]; /* a bit per BMP code point drawn with the face, owned */
} ng_pdf_fonts;

/* Finds the four Liberation Sans faces in font_dir, or through fontconfig
 * when font_dir is NULL, and reads their character sets. */
ng_status ng_pdf_fonts_find(ng_pdf_fonts *f, const char *font_dir, ng_diags *diags);
/* Embeds the faces in doc (UTF-8). */
ng_status ng_pdf_fonts_load(ng_pdf_fonts *f, HPDF_Doc doc, ng_diags *diags);
/* True when every face has a glyph for code point cp. */
bool ng_pdf_fonts_have(const ng_pdf_fonts *f, unsigned long cp);
/* Records the characters of text[0..len) (UTF-8) as drawn with face. */
void ng_pdf_fonts_note_used(ng_pdf_fonts *f, int face, const char *text, size_t len);
/* The code points drawn with face, ascending, into codes (at most max);
 * returns how many there are. */
size_t ng_pdf_fonts_used(const ng_pdf_fonts *f, int face, uint32_t *codes, size_t max);
void ng_pdf_fonts_free(ng_pdf_fonts *f);

#endif
