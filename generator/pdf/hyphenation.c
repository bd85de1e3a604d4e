/* hyphenation.c -- Danish hyphenation with libhyphen (see hyphenation.h). */
#include "hyphenation.h"

#include <hyphen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ng_pdf_hyphenator {
    HyphenDict *dict;
};

ng_pdf_hyphenator *ng_pdf_hyphenator_load(const char *path, ng_diags *diags, ng_status *st)
{
    if (!path)
        path = NG_PDF_HYPHEN_DICT;
    ng_pdf_hyphenator *h = calloc(1, sizeof *h);
    if (!h) {
        *st = NG_ERR_NOMEM;
        return NULL;
    }
    /* libhyphen reads any file; one without patterns has no states */
    h->dict = hnj_hyphen_load(path);
    if (!h->dict || h->dict->num_states <= 1) {
        ng_error(diags, path, 0, 0,
                 "orddelingsmønstrene kan ikke læses; installer pakken hyphen-da "
                 "(danske orddelingsmønstre til libhyphen)");
        ng_pdf_hyphenator_free(h);
        *st = NG_ERR_CONFIG;
        return NULL;
    }
    *st = NG_OK;
    return h;
}

void ng_pdf_hyphenator_free(ng_pdf_hyphenator *h)
{
    if (!h)
        return;
    if (h->dict)
        hnj_hyphen_free(h->dict);
    free(h);
}

/* ---- the word ----------------------------------------------------------- */

enum { MAX_LETTERS = 128 };

typedef struct {
    unsigned long cp[MAX_LETTERS + 1];
    size_t off[MAX_LETTERS + 1]; /* byte offset of each character; off[n] = the end */
    size_t n;
} chars;

static bool is_letter(unsigned long cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7);
}

static bool is_digit(unsigned long cp)
{
    return cp >= '0' && cp <= '9';
}

static unsigned long lower(unsigned long cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
        return cp + 0x20;
    return cp;
}

static bool decode(const char *word, size_t len, chars *c)
{
    c->n = 0;
    for (size_t i = 0; i < len;) {
        if (c->n == MAX_LETTERS)
            return false;
        size_t step;
        c->off[c->n] = i;
        c->cp[c->n++] = ng_pdf_utf8_decode(word + i, &step);
        i += step;
    }
    c->off[c->n] = len;
    return true;
}

/* The core of the word: from its first to its last letter. False when the
 * word has a digit anywhere, or inside the core anything but letters and
 * hyphens. */
static bool find_core(const chars *c, size_t *first, size_t *end)
{
    size_t a = 0, b = c->n;
    for (size_t i = 0; i < c->n; i++)
        if (is_digit(c->cp[i]))
            return false;
    while (a < b && !is_letter(c->cp[a]))
        a++;
    while (b > a && !is_letter(c->cp[b - 1]))
        b--;
    for (size_t i = a; i < b; i++)
        if (!is_letter(c->cp[i]) && c->cp[i] != '-')
            return false;
    *first = a;
    *end = b;
    return b > a;
}

/* ---- libhyphen ---------------------------------------------------------- */

static size_t encode(const ng_pdf_hyphenator *h, const chars *c, size_t a, size_t b, char *out)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++) {
        unsigned long cp = lower(c->cp[i]);
        if (!h->dict->utf8) {
            out[n++] = (char)cp; /* ISO8859-1 */
        } else if (cp < 0x80) {
            out[n++] = (char)cp;
        } else {
            out[n++] = (char)(0xC0 | (cp >> 6));
            out[n++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[n] = '\0';
    return n;
}

static void free_nonstandard(char **rep, int *pos, int *cut, size_t n)
{
    for (size_t i = 0; rep && i < n; i++)
        free(rep[i]);
    free(rep);
    free(pos);
    free(cut);
}

static bool odd_at(const char *hyphens, char **rep, size_t m, size_t i)
{
    return i < m && (hyphens[i] & 1) && !(rep && rep[i]);
}

/* A break after character i -- unless the patterns also break one letter
 * before or after it: they disagree there ("udgift-s-intervaller",
 * "soci-a-l-området"), and either break would be wrong. */
static bool is_break(const char *hyphens, char **rep, size_t m, size_t i)
{
    return odd_at(hyphens, rep, m, i) && !odd_at(hyphens, rep, m, i + 1) &&
           !(i > 0 && odd_at(hyphens, rep, m, i - 1));
}

/* Adds the break points of the letters c[a..b) (one part of the word). */
static size_t hyphenate_part(const ng_pdf_hyphenator *h, const chars *c, size_t a, size_t b,
                             ng_pdf_break_point *points, size_t n, size_t max)
{
    size_t m = b - a;
    if (m < NG_PDF_HYPHEN_MIN_WORD)
        return n;
    char buf[2 * MAX_LETTERS + 1], hyphens[2 * MAX_LETTERS + 5];
    size_t len = encode(h, c, a, b, buf);
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    if (hnj_hyphen_hyphenate2(h->dict, buf, (int)len, hyphens, NULL, &rep, &pos, &cut) == 0) {
        /* hyphens[i] odd: a break after character i (characters, also for
         * a UTF-8 dictionary); a non-standard break (rep) is not used */
        for (size_t i = NG_PDF_HYPHEN_MIN_LEFT - 1; i + NG_PDF_HYPHEN_MIN_RIGHT < m && n < max; i++)
            if (is_break(hyphens, rep, m, i))
                points[n++] = (ng_pdf_break_point){c->off[a + i + 1], true};
    }
    free_nonstandard(rep, pos, cut, len);
    return n;
}

size_t ng_pdf_hyphenate(void *ctx, const char *word, size_t len, ng_pdf_break_point *points,
                        size_t max)
{
    const ng_pdf_hyphenator *h = ctx;
    chars c;
    size_t first, end;
    if (!h || !decode(word, len, &c) || !find_core(&c, &first, &end))
        return 0;
    size_t n = 0, part = first;
    for (size_t i = first; i <= end && n < max; i++) {
        if (i < end && c.cp[i] != '-')
            continue;
        n = hyphenate_part(h, &c, part, i, points, n, max);
        /* after the word's own hyphen, when both sides are long enough */
        if (i < end && i - part >= NG_PDF_HYPHEN_MIN_LEFT && n < max) {
            size_t next = i + 1;
            while (next < end && c.cp[next] != '-')
                next++;
            if (next - (i + 1) >= NG_PDF_HYPHEN_MIN_RIGHT)
                points[n++] = (ng_pdf_break_point){c.off[i + 1], false};
        }
        part = i + 1;
    }
    return n;
}
