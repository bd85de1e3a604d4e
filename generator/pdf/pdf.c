/* pdf.c -- ng_pdf_write: the document of a memo (see pdf.h): the character
 * check, the letterhead's logo, hyphenation, the metadata, the ToUnicode
 * maps and saving; the blocks are laid out in blocks.c. */
#include "notatgen/pdf.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "hyphenation.h"
#include "layout.h"
#include "tags.h"
#include "notatgen/dk.h"

#define ICC_PROFILE "/usr/share/color/icc/sRGB.icc"
/* The logo's size in the letterhead, in points. */
#define LOGO_HEIGHT 36.0
#define LOGO_MAX_WIDTH 160.0

/* ---- libharu errors ----------------------------------------------------- */

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    ng_pdf_ctx *c = user_data;
    if (!c->hpdf_failed) {
        c->hpdf_failed = true;
        c->hpdf_error = error_no;
        c->hpdf_detail = detail_no;
    }
}

/* ---- character check ---------------------------------------------------- */

typedef struct {
    const ng_pdf_fonts *fonts;
    ng_diags *diags;
    ng_status status;
} char_check;

static void check_text(char_check *k, const char *s, long line)
{
    if (!s || k->status != NG_OK)
        return;
    char where[96];
    if (line > 0)
        snprintf(where, sizeof where, "i blok fra skabelonlinje %ld", line);
    else
        snprintf(where, sizeof where, "i notatets hoved eller noter");
    size_t pos, match;
    if (ng_find_cpr(s, strlen(s), true, &pos, &match)) {
        /* the last guard before the file: never print the value itself */
        ng_error(k->diags, NULL, 0, 0,
                 "teksten indeholder et CPR-lignende tal, som ikke må stå i et notat (%s)", where);
        k->status = NG_ERR_PRIVACY;
        return;
    }
    for (size_t i = 0; s[i];) {
        size_t n;
        unsigned long cp = ng_pdf_utf8_decode(s + i, &n);
        if (cp == 0xFFFD && (unsigned char)s[i] >= 0x80 && n == 1) {
            ng_error(k->diags, NULL, 0, 0, "teksten er ikke gyldig UTF-8 (%s)", where);
            k->status = NG_ERR_INPUT;
            return;
        }
        if (cp != '\n' && cp != '\t' && !ng_pdf_fonts_have(k->fonts, cp)) {
            char glyph[8] = {0};
            memcpy(glyph, s + i, n < sizeof glyph ? n : sizeof glyph - 1);
            if (cp < 0x20)
                snprintf(glyph, sizeof glyph, "?");
            ng_error(k->diags, NULL, 0, 0,
                     "tegnet U+%04lX ('%s') findes ikke i skrifttypen Liberation Sans (%s)", cp,
                     glyph, where);
            k->status = NG_ERR_INPUT;
            return;
        }
        i += n;
    }
}

static void check_table(char_check *k, const ng_table *t, long line)
{
    char buf[512];
    if (!t)
        return;
    check_text(k, t->title, line);
    check_text(k, t->source, line);
    check_text(k, t->note, line);
    for (int col = 0; col < t->ncols; col++) {
        check_text(k, t->cols[col].label, line);
        check_text(k, t->cols[col].group, line);
    }
    for (int r = 0; r < t->nrows; r++)
        for (int col = 0; col < t->ncols; col++)
            check_text(k, ng_table_format_cell(t, r, col, buf, sizeof buf), line);
}

static ng_status check_characters(const ng_memo *memo, const char *logo_text,
                                  const ng_pdf_fonts *fonts, ng_diags *diags)
{
    char_check k = {fonts, diags, NG_OK};
    check_text(&k, logo_text, 0);
    const ng_memo_meta *mm = &memo->meta;
    const char *head[] = {memo->title, mm->sagsnavn,    mm->sagsnummer, mm->skrevet_af,
                          mm->email,   mm->forvaltning, memo->dato,     mm->sendes_til};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        check_text(&k, head[i], 0);
    for (size_t i = 0; i < memo->nfootnotes; i++)
        check_text(&k, memo->footnotes[i], 0);
    for (size_t i = 0; i < memo->nblocks; i++) {
        const ng_block *b = &memo->blocks[i];
        for (size_t r = 0; r < b->nruns; r++)
            check_text(&k, b->runs[r].text, b->source_line);
        check_text(&k, b->caption, b->source_line);
        check_table(&k, b->table ? b->table : b->owned_table, b->source_line);
        if (b->figure) {
            check_text(&k, b->figure->title, b->source_line);
            check_text(&k, b->figure->y_title, b->source_line);
        }
    }
    return k.status;
}

/* ---- the letterhead's logo --------------------------------------------- */

typedef enum { LOGO_UNKNOWN, LOGO_PNG, LOGO_JPEG } logo_kind;

static logo_kind sniff_logo(const char *path)
{
    unsigned char m[8] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return LOGO_UNKNOWN;
    size_t n = fread(m, 1, sizeof m, f);
    fclose(f);
    if (n == 8 && memcmp(m, "\x89PNG\r\n\x1a\n", 8) == 0)
        return LOGO_PNG;
    if (n >= 3 && m[0] == 0xFF && m[1] == 0xD8 && m[2] == 0xFF)
        return LOGO_JPEG;
    return LOGO_UNKNOWN;
}

/* Loads the logo and fits it to the letterhead. A file that is not a PNG
 * or JPEG libharu can read, or a CMYK one (PDF/A with an sRGB output intent
 * allows RGB and grey only), is an error naming the file. */
static ng_status load_logo(ng_pdf_ctx *c, const ng_pdf_options *opts)
{
    const char *path = opts->logo;
    logo_kind kind = sniff_logo(path);
    HPDF_Image img = NULL;
    if (kind == LOGO_PNG)
        img = HPDF_LoadPngImageFromFile(c->doc, path);
    else if (kind == LOGO_JPEG)
        img = HPDF_LoadJpegImageFromFile(c->doc, path);
    if (!img || c->hpdf_failed) {
        /* libharu's complaint is about this file, not the document */
        c->hpdf_failed = false;
        HPDF_ResetError(c->doc);
        ng_error(c->diags, path, 0, 0, "logoet kan ikke læses (en PNG- eller JPEG-fil forventes)");
        return NG_ERR_CONFIG;
    }
    const char *cs = HPDF_Image_GetColorSpace(img);
    if (cs && strcmp(cs, "DeviceCMYK") == 0) {
        ng_error(c->diags, path, 0, 0, "logoet er i CMYK; gem det i RGB (PDF/A med sRGB)");
        return NG_ERR_CONFIG;
    }
    double w = HPDF_Image_GetWidth(img), h = HPDF_Image_GetHeight(img);
    c->logo = img;
    c->logo_h = LOGO_HEIGHT;
    c->logo_w = h > 0 ? LOGO_HEIGHT * w / h : LOGO_HEIGHT;
    if (c->logo_w > LOGO_MAX_WIDTH) {
        c->logo_h *= LOGO_MAX_WIDTH / c->logo_w;
        c->logo_w = LOGO_MAX_WIDTH;
    }
    c->logo_alt = opts->logo_text && *opts->logo_text ? opts->logo_text : "Logo";
    c->logo_every_page = !opts->logo_first_page_only;
    return NG_OK;
}

/* ---- document ----------------------------------------------------------- */

static ng_status open_document(ng_pdf_ctx *c)
{
    c->doc = HPDF_New(on_hpdf_error, c);
    if (!c->doc)
        return NG_ERR_NOMEM;
    HPDF_SetCompressionMode(c->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(c->doc);
    HPDF_SetCurrentEncoder(c->doc, "UTF-8");
    if (c->hpdf_failed)
        return NG_ERR_IO;
    c->tags = ng_pdf_tags_new(c->doc);
    return c->tags ? NG_OK : NG_ERR_NOMEM;
}

/* Each face's ToUnicode map: the characters it drew. */
static ng_status write_to_unicode(ng_pdf_ctx *c)
{
    uint32_t *codes = malloc(0x10000 * sizeof *codes);
    if (!codes)
        return NG_ERR_NOMEM;
    for (int f = 0; f < NG_PDF_NFACES; f++) {
        size_t n = ng_pdf_fonts_used(&c->fonts, f, codes, 0x10000);
        ng_pdf_tags_to_unicode(c->tags, c->fonts.face[f], codes, n);
    }
    free(codes);
    return ng_pdf_tags_status(c->tags);
}

static ng_status finish_document(ng_pdf_ctx *c, const ng_memo *memo, const ng_pdf_options *opts)
{
    ng_pdf_doc_info info = {
        .title = memo->title && *memo->title ? memo->title : "Notat",
        .author = opts->author ? opts->author : memo->meta.skrevet_af,
        .subject = opts->subject ? opts->subject : memo->meta.sagsnavn,
        .creator = "notatgen",
        .lang = memo->lang ? memo->lang : "da-DK",
        .has_date = opts->has_date,
        .date_epoch = opts->date_epoch,
        .icc_path = opts->icc_profile ? opts->icc_profile : ICC_PROFILE,
    };
    ng_status st = write_to_unicode(c);
    if (st == NG_OK)
        st = ng_pdf_tags_finish(c->tags, &info, c->diags);
    return st;
}

/* Everything before the layout: fonts, the character check, the document,
 * hyphenation and the logo. */
static ng_status prepare(ng_pdf_ctx *c, const ng_memo *memo, const ng_pdf_options *opts,
                         ng_pdf_hyphenator **hyph)
{
    ng_status st = ng_pdf_fonts_find(&c->fonts, opts->font_dir, c->diags);
    if (st == NG_OK)
        st = check_characters(memo, opts->logo_text, &c->fonts, c->diags);
    if (st != NG_OK)
        return st;
    c->memo = memo;
    c->note_placed = calloc(memo->nfootnotes + 1, sizeof *c->note_placed);
    c->note_elem = calloc(memo->nfootnotes + 1, sizeof *c->note_elem);
    c->page_notes = calloc(memo->nfootnotes + 1, sizeof *c->page_notes);
    if (!c->note_placed || !c->note_elem || !c->page_notes)
        return NG_ERR_NOMEM;
    if ((*hyph = ng_pdf_hyphenator_load(opts->hyphen_dict, c->diags, &st)) == NULL)
        return st;
    if ((st = open_document(c)) == NG_OK)
        st = ng_pdf_fonts_load(&c->fonts, c->doc, c->diags);
    if (st == NG_OK && opts->logo)
        st = load_logo(c, opts);
    return st;
}

static void free_context(ng_pdf_ctx *c)
{
    ng_pdf_tags_free(c->tags);
    if (c->doc)
        HPDF_Free(c->doc);
    free(c->pages);
    free(c->note_placed);
    free(c->note_elem);
    free(c->page_notes);
    ng_pdf_lines_free(&c->lines);
    ng_pdf_fonts_free(&c->fonts);
}

ng_status ng_pdf_check_resources(const ng_pdf_options *opts, ng_diags *diags)
{
    ng_pdf_ctx c;
    memset(&c, 0, sizeof c);
    c.diags = diags;
    ng_pdf_hyphenator *hyph = NULL;
    ng_status st = ng_pdf_fonts_find(&c.fonts, opts->font_dir, diags);
    if (st == NG_OK)
        hyph = ng_pdf_hyphenator_load(opts->hyphen_dict, diags, &st);
    if (st == NG_OK)
        st = ng_pdf_check_profile(opts->icc_profile ? opts->icc_profile : ICC_PROFILE, diags);
    if (st == NG_OK && opts->logo && (st = open_document(&c)) == NG_OK)
        st = load_logo(&c, opts);
    ng_pdf_hyphenator_free(hyph);
    free_context(&c);
    return st;
}

ng_status ng_pdf_write(const ng_memo *memo, const ng_pdf_options *opts, const char *path,
                       ng_diags *diags)
{
    static const ng_pdf_options no_options;
    if (!opts)
        opts = &no_options;
    ng_pdf_ctx c;
    memset(&c, 0, sizeof c);
    c.diags = diags;
    ng_pdf_lines_init(&c.lines);
    ng_pdf_hyphenator *hyph = NULL;
    ng_status st = prepare(&c, memo, opts, &hyph);
    ng_pdf_hyphenation hy = {ng_pdf_hyphenate, hyph};
    c.hyphenation = &hy;
    if (st == NG_OK)
        st = ng_pdf_layout_memo(&c, memo);
    if (st == NG_OK && !c.hpdf_failed)
        st = finish_document(&c, memo, opts);
    if (st == NG_OK && !c.hpdf_failed)
        st = ng_pdf_tags_save(c.tags, path, diags);
    if (c.hpdf_failed) {
        ng_error(diags, path, 0, 0, "PDF-filen kan ikke skrives (libharu-fejl 0x%04lX, %lu)",
                 c.hpdf_error, c.hpdf_detail);
        if (st == NG_OK)
            st = NG_ERR_IO;
    }
    ng_pdf_hyphenator_free(hyph);
    free_context(&c);
    return st;
}
