/* fonts.c -- finding, checking and embedding the Liberation Sans faces. */
#include <fontconfig/fontconfig.h>
/* after fontconfig.h, which it needs */
#include <fontconfig/fcfreetype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts.h"
#include "text.h"
#include "notatgen/publish.h"

#define FAMILY "Liberation Sans"
/* a bit for each code point of the Basic Multilingual Plane */
#define USED_BYTES (0x10000 / 8)

static const char *const face_file[NG_PDF_NFACES] = {
    "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
    "LiberationSans-BoldItalic.ttf"};

/* Asks fontconfig for one face; the match must really be Liberation Sans
 * (fontconfig always answers with some font). */
static char *match_face(FcConfig *cfg, int face)
{
    FcPattern *pat = FcPatternCreate();
    char *path = NULL;
    if (!pat)
        return NULL;
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)FAMILY);
    FcPatternAddInteger(pat, FC_WEIGHT, (face & NG_FACE_BOLD) ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT, (face & NG_FACE_ITALIC) ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(cfg, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *m = FcFontMatch(cfg, pat, &res);
    FcChar8 *family = NULL, *file = NULL;
    int weight = 0, slant = 0;
    if (m && FcPatternGetString(m, FC_FAMILY, 0, &family) == FcResultMatch &&
        strcmp((const char *)family, FAMILY) == 0 &&
        FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetInteger(m, FC_WEIGHT, 0, &weight) == FcResultMatch &&
        FcPatternGetInteger(m, FC_SLANT, 0, &slant) == FcResultMatch &&
        ((weight >= FC_WEIGHT_BOLD) == ((face & NG_FACE_BOLD) != 0)) &&
        ((slant != FC_SLANT_ROMAN) == ((face & NG_FACE_ITALIC) != 0)) &&
        strstr((const char *)file, ".ttf"))
        path = strdup((const char *)file);
    if (m)
        FcPatternDestroy(m);
    FcPatternDestroy(pat);
    return path;
}

static ng_status read_charset(ng_pdf_fonts *f, int face, ng_diags *diags)
{
    int count = 0;
    FcPattern *pat = FcFreeTypeQuery((const FcChar8 *)f->path[face], 0, NULL, &count);
    FcCharSet *cs = NULL;
    if (!pat || FcPatternGetCharSet(pat, FC_CHARSET, 0, &cs) != FcResultMatch) {
        if (pat)
            FcPatternDestroy(pat);
        ng_error(diags, f->path[face], 0, 0,
                 "skrifttypen kan ikke læses (en TrueType-fil med %s forventes)", FAMILY);
        return NG_ERR_CONFIG;
    }
    f->charset[face] = FcCharSetCopy(cs);
    FcPatternDestroy(pat);
    return f->charset[face] ? NG_OK : NG_ERR_NOMEM;
}

ng_status ng_pdf_fonts_find(ng_pdf_fonts *f, const char *font_dir, ng_diags *diags)
{
    ng_status st = NG_OK;
    FcConfig *cfg = NULL;
    memset(f, 0, sizeof *f);
    if (!font_dir) {
        cfg = FcInitLoadConfigAndFonts();
        if (!cfg) {
            ng_error(diags, NULL, 0, 0, "fontconfig kan ikke initialiseres");
            return NG_ERR_CONFIG;
        }
    }
    for (int i = 0; i < NG_PDF_NFACES && st == NG_OK; i++) {
        f->path[i] = font_dir ? ng_path_join(font_dir, face_file[i]) : match_face(cfg, i);
        FILE *probe = f->path[i] ? fopen(f->path[i], "rb") : NULL;
        if (!probe) {
            ng_error(diags, font_dir, 0, 0,
                     "skrifttypen %s (%s) findes ikke; installer pakken fonts-liberation2 "
                     "eller angiv font_dir med Liberation Sans-filerne",
                     FAMILY, face_file[i]);
            st = NG_ERR_CONFIG;
            break;
        }
        fclose(probe);
        st = read_charset(f, i, diags);
        if (st == NG_OK && !(f->used[i] = calloc(USED_BYTES, 1)))
            st = NG_ERR_NOMEM;
    }
    if (cfg)
        FcConfigDestroy(cfg);
    if (st != NG_OK)
        ng_pdf_fonts_free(f);
    return st;
}

ng_status ng_pdf_fonts_load(ng_pdf_fonts *f, HPDF_Doc doc, ng_diags *diags)
{
    for (int i = 0; i < NG_PDF_NFACES; i++) {
        const char *name = HPDF_LoadTTFontFromFile(doc, f->path[i], HPDF_TRUE);
        f->face[i] = name ? HPDF_GetFont(doc, name, "UTF-8") : NULL;
        if (!f->face[i]) {
            ng_error(diags, f->path[i], 0, 0, "skrifttypen kan ikke indlejres i PDF-filen");
            return NG_ERR_IO;
        }
    }
    return NG_OK;
}

bool ng_pdf_fonts_have(const ng_pdf_fonts *f, unsigned long cp)
{
    for (int i = 0; i < NG_PDF_NFACES; i++)
        if (!f->charset[i] || !FcCharSetHasChar((FcCharSet *)f->charset[i], (FcChar32)cp))
            return false;
    return true;
}

void ng_pdf_fonts_note_used(ng_pdf_fonts *f, int face, const char *text, size_t len)
{
    uint8_t *used = face >= 0 && face < NG_PDF_NFACES ? f->used[face] : NULL;
    for (size_t i = 0; used && i < len;) {
        size_t n;
        unsigned long cp = ng_pdf_utf8_decode(text + i, &n);
        if (cp <= 0xFFFF)
            used[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        i += n;
    }
}

size_t ng_pdf_fonts_used(const ng_pdf_fonts *f, int face, uint32_t *codes, size_t max)
{
    const uint8_t *used = face >= 0 && face < NG_PDF_NFACES ? f->used[face] : NULL;
    size_t n = 0;
    for (uint32_t cp = 0; used && cp <= 0xFFFF; cp++)
        if (used[cp >> 3] & (1u << (cp & 7))) {
            if (n < max)
                codes[n] = cp;
            n++;
        }
    return n;
}

void ng_pdf_fonts_free(ng_pdf_fonts *f)
{
    for (int i = 0; i < NG_PDF_NFACES; i++) {
        free(f->used[i]);
        free(f->path[i]);
        if (f->charset[i])
            FcCharSetDestroy((FcCharSet *)f->charset[i]);
    }
    memset(f, 0, sizeof *f);
}
