/* text.c -- greedy line breaking on measured widths (see text.h). */
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* Widths are sums of glyph advances; allow for rounding in the sums. */
#define WIDTH_EPSILON 1e-6

typedef struct {
    size_t run, start, end;
    double width;
} piece;

typedef struct {
    const ng_run *runs;
    ng_pdf_measure_fn measure;
    void *ctx;
    const ng_pdf_hyphenation *hy; /* NULL: no hyphenation */
    double width;
    ng_pdf_lines *out;
    size_t line_first; /* first fragment of the line being filled */
    double x;          /* end of the last fragment on the line */
    bool line_empty;
    double space; /* width of the spaces waiting before the next word */
    piece *word;  /* the pieces of the word being collected */
    size_t nword, cap_word;
    bool line_hyphenated; /* the line being filled ends in a hyphenated word */
    int hyphen_run;       /* lines in a row that ended hyphenated */
    ng_status status;
} breaker;

/* Words longer than this are not hyphenated (nor are words without room). */
#define HYPHEN_MAX_WORD 256
#define HYPHEN_MAX_POINTS 64

void ng_pdf_lines_init(ng_pdf_lines *l)
{
    memset(l, 0, sizeof *l);
}

void ng_pdf_lines_free(ng_pdf_lines *l)
{
    free(l->frags);
    free(l->lines);
    memset(l, 0, sizeof *l);
}

size_t ng_pdf_utf8_len(const char *s)
{
    size_t len;
    ng_pdf_utf8_decode(s, &len);
    return len;
}

unsigned long ng_pdf_utf8_decode(const char *s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long cp;
    size_t n;
    if (u[0] < 0x80) {
        *len = 1;
        return u[0];
    }
    if ((u[0] & 0xE0) == 0xC0) {
        cp = u[0] & 0x1F;
        n = 2;
    } else if ((u[0] & 0xF0) == 0xE0) {
        cp = u[0] & 0x0F;
        n = 3;
    } else if ((u[0] & 0xF8) == 0xF0) {
        cp = u[0] & 0x07;
        n = 4;
    } else {
        *len = 1;
        return 0xFFFD;
    }
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *len = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (u[i] & 0x3F);
    }
    *len = n;
    return cp;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static void end_line(breaker *b)
{
    ng_pdf_lines *o = b->out;
    if (o->nlines == o->cap_lines) {
        size_t cap = o->cap_lines ? o->cap_lines * 2 : 16;
        ng_pdf_line *lines = realloc(o->lines, cap * sizeof *lines);
        if (!lines) {
            b->status = NG_ERR_NOMEM;
            return;
        }
        o->lines = lines;
        o->cap_lines = cap;
    }
    o->lines[o->nlines++] = (ng_pdf_line){b->line_first, o->nfrags - b->line_first, b->x};
    b->hyphen_run = b->line_hyphenated ? b->hyphen_run + 1 : 0;
    b->line_hyphenated = false;
    b->line_first = o->nfrags;
    b->x = 0;
    b->line_empty = true;
    b->space = 0;
}

/* True when the bytes between the line's last fragment and start are
 * spaces of the same run, so the fragment can simply be extended. */
static bool can_merge(const breaker *b, size_t run, size_t start)
{
    const ng_pdf_lines *o = b->out;
    if (b->line_empty || o->nfrags == b->line_first)
        return false;
    const ng_pdf_frag *last = &o->frags[o->nfrags - 1];
    if (last->run != run || last->end > start)
        return false;
    for (size_t i = last->end; i < start; i++)
        if (b->runs[run].text[i] != ' ')
            return false;
    return true;
}

static void place(breaker *b, size_t run, size_t start, size_t end, double width, double at)
{
    ng_pdf_lines *o = b->out;
    if (can_merge(b, run, start)) {
        ng_pdf_frag *last = &o->frags[o->nfrags - 1];
        last->end = end;
        last->width = at + width - last->x;
    } else {
        if (o->nfrags == o->cap_frags) {
            size_t cap = o->cap_frags ? o->cap_frags * 2 : 32;
            ng_pdf_frag *frags = realloc(o->frags, cap * sizeof *frags);
            if (!frags) {
                b->status = NG_ERR_NOMEM;
                return;
            }
            o->frags = frags;
            o->cap_frags = cap;
        }
        o->frags[o->nfrags++] = (ng_pdf_frag){run, start, end, at, width, false};
    }
    b->x = at + width;
    b->line_empty = false;
}

/* A word wider than the line: fill lines character by character. */
static void place_by_characters(breaker *b)
{
    for (size_t k = 0; k < b->nword && b->status == NG_OK; k++) {
        const piece *p = &b->word[k];
        const char *text = b->runs[p->run].text;
        unsigned style = b->runs[p->run].style;
        size_t seg = p->start;
        double seg_width = 0;
        for (size_t i = p->start; i < p->end;) {
            size_t n = ng_pdf_utf8_len(text + i);
            double cw = b->measure(b->ctx, style, text + i, n);
            bool line_has_text = !b->line_empty || seg_width > 0;
            if (line_has_text && b->x + seg_width + cw > b->width + WIDTH_EPSILON) {
                if (i > seg)
                    place(b, p->run, seg, i, seg_width, b->x);
                end_line(b);
                seg = i;
                seg_width = 0;
            }
            seg_width += cw;
            i += n;
        }
        if (p->end > seg)
            place(b, p->run, seg, p->end, seg_width, b->line_empty ? 0 : b->x);
    }
}

/* Copies the word's pieces into buf (at most HYPHEN_MAX_WORD bytes);
 * returns the length, or 0 when the word is too long. */
static size_t word_text(const breaker *b, char *buf)
{
    size_t len = 0;
    for (size_t k = 0; k < b->nword; k++) {
        const piece *p = &b->word[k];
        if (len + (p->end - p->start) > HYPHEN_MAX_WORD)
            return 0;
        memcpy(buf + len, b->runs[p->run].text + p->start, p->end - p->start);
        len += p->end - p->start;
    }
    buf[len] = '\0';
    return len;
}

/* Width of the word's first at bytes (with the hyphen when asked), and the
 * piece in which they end (*last; *piece_end: bytes of that piece taken). */
static double prefix_width(const breaker *b, size_t at, bool hyphen, size_t *last,
                           size_t *piece_end)
{
    double w = 0;
    size_t off = 0, k = 0;
    for (; k < b->nword; k++) {
        const piece *p = &b->word[k];
        size_t n = p->end - p->start;
        if (off + n >= at) {
            size_t take = at - off;
            const ng_run *r = &b->runs[p->run];
            w += take == n ? p->width : b->measure(b->ctx, r->style, r->text + p->start, take);
            if (hyphen)
                w += b->measure(b->ctx, r->style, NG_PDF_SOFT_HYPHEN, 2);
            *last = k;
            *piece_end = take;
            return w;
        }
        w += p->width;
        off += n;
    }
    *last = k;
    *piece_end = 0;
    return w;
}

/* Puts the first at bytes of the word (pieces 0..k, of piece k its first
 * take bytes) on the line, ends it, and keeps the rest as the word. */
static void split_word(breaker *b, size_t k, size_t take, bool hyphen)
{
    double at = b->x + b->space;
    for (size_t i = 0; i <= k && i < b->nword && b->status == NG_OK; i++) {
        const piece *p = &b->word[i];
        size_t end = i == k ? p->start + take : p->end;
        const ng_run *r = &b->runs[p->run];
        double w = end == p->end ? p->width
                                 : b->measure(b->ctx, r->style, r->text + p->start, end - p->start);
        place(b, p->run, p->start, end, w, at);
        at += w;
    }
    if (b->status != NG_OK)
        return;
    ng_pdf_frag *last = &b->out->frags[b->out->nfrags - 1];
    if (hyphen) {
        double hw = b->measure(b->ctx, b->runs[last->run].style, NG_PDF_SOFT_HYPHEN, 2);
        last->hyphen = true;
        last->width += hw;
        b->x += hw;
    }
    b->line_hyphenated = true;
    end_line(b);
    /* the rest: what is left of piece k and the pieces after it */
    piece *p = &b->word[k];
    size_t first = k;
    if (p->start + take < p->end) {
        const ng_run *r = &b->runs[p->run];
        p->start += take;
        p->width = b->measure(b->ctx, r->style, r->text + p->start, p->end - p->start);
    } else {
        first = k + 1;
    }
    memmove(b->word, b->word + first, (b->nword - first) * sizeof *b->word);
    b->nword -= first;
}

/* Breaks the word at its last break point that fits in the room left on
 * the line; false when there is none (or hyphenation is off). */
static bool hyphenate_word(breaker *b, bool too_wide)
{
    double room = b->width - b->x - b->space;
    /* a word wider than the whole line is broken wherever it may be, as
     * often as it takes: anything is better than between two letters */
    if (!b->hy || (!too_wide && (b->hy->too_wide_only || b->hyphen_run >= NG_PDF_HYPHEN_MAX_RUN ||
                                 room < NG_PDF_HYPHEN_MIN_ROOM * b->width)))
        return false;
    char text[HYPHEN_MAX_WORD + 1];
    size_t len = word_text(b, text);
    ng_pdf_break_point pts[HYPHEN_MAX_POINTS];
    size_t n = len ? b->hy->find(b->hy->ctx, text, len, pts, HYPHEN_MAX_POINTS) : 0;
    for (size_t i = n < HYPHEN_MAX_POINTS ? n : HYPHEN_MAX_POINTS; i-- > 0;) {
        if (pts[i].at == 0 || pts[i].at >= len)
            continue;
        size_t k, take;
        if (prefix_width(b, pts[i].at, pts[i].hyphen, &k, &take) <= room + WIDTH_EPSILON) {
            split_word(b, k, take, pts[i].hyphen);
            return b->status == NG_OK;
        }
    }
    return false;
}

static double word_width(const breaker *b)
{
    double total = 0;
    for (size_t k = 0; k < b->nword; k++)
        total += b->word[k].width;
    return total;
}

static void flush_word(breaker *b)
{
    if (b->nword == 0)
        return;
    double total = word_width(b);
    if (!b->line_empty && b->x + b->space + total > b->width + WIDTH_EPSILON) {
        if (hyphenate_word(b, false))
            total = word_width(b);
        else
            end_line(b);
    }
    if (b->nword == 0 || b->status != NG_OK)
        return;
    if (b->line_empty && total > b->width + WIDTH_EPSILON) {
        b->space = 0;
        while (total > b->width + WIDTH_EPSILON && hyphenate_word(b, true))
            total = word_width(b);
        if (b->status != NG_OK)
            return;
    }
    if (b->line_empty && total > b->width + WIDTH_EPSILON) {
        place_by_characters(b);
    } else {
        double at = b->line_empty ? 0 : b->x + b->space;
        for (size_t k = 0; k < b->nword; k++) {
            place(b, b->word[k].run, b->word[k].start, b->word[k].end, b->word[k].width, at);
            at += b->word[k].width;
        }
    }
    b->space = 0;
    b->nword = 0;
}

static void add_piece(breaker *b, size_t run, size_t start, size_t end)
{
    if (b->nword == b->cap_word) {
        size_t cap = b->cap_word ? b->cap_word * 2 : 8;
        piece *word = realloc(b->word, cap * sizeof *word);
        if (!word) {
            b->status = NG_ERR_NOMEM;
            return;
        }
        b->word = word;
        b->cap_word = cap;
    }
    double w = b->measure(b->ctx, b->runs[run].style, b->runs[run].text + start, end - start);
    b->word[b->nword++] = (piece){run, start, end, w};
}

static void add_spaces(breaker *b, size_t run, size_t count)
{
    if (b->line_empty)
        return; /* spaces at the start of a line are dropped */
    b->space += (double)count * b->measure(b->ctx, b->runs[run].style, " ", 1);
}

static void scan_run(breaker *b, size_t r)
{
    const char *t = b->runs[r].text;
    size_t p = 0;
    while (t[p] && b->status == NG_OK) {
        size_t q = p;
        if (t[p] == '\n') {
            flush_word(b);
            end_line(b);
            p++;
        } else if (is_space(t[p])) {
            flush_word(b);
            while (is_space(t[q]))
                q++;
            add_spaces(b, r, q - p);
            p = q;
        } else {
            while (t[q] && t[q] != '\n' && !is_space(t[q]))
                q++;
            add_piece(b, r, p, q);
            p = q;
        }
    }
}

ng_status ng_pdf_break_lines(const ng_run *runs, size_t nruns, double width,
                             ng_pdf_measure_fn measure, void *ctx, ng_pdf_lines *out)
{
    return ng_pdf_break_lines_hyphenated(runs, nruns, width, measure, ctx, NULL, out);
}

ng_status ng_pdf_break_lines_hyphenated(const ng_run *runs, size_t nruns, double width,
                                        ng_pdf_measure_fn measure, void *ctx,
                                        const ng_pdf_hyphenation *hy, ng_pdf_lines *out)
{
    out->nfrags = 0;
    out->nlines = 0;
    breaker b = {.runs = runs,
                 .measure = measure,
                 .ctx = ctx,
                 .hy = hy,
                 .width = width,
                 .out = out,
                 .line_empty = true,
                 .status = NG_OK};
    for (size_t r = 0; r < nruns && b.status == NG_OK; r++)
        if (runs[r].text)
            scan_run(&b, r);
    if (b.status == NG_OK)
        flush_word(&b);
    if (b.status == NG_OK && !b.line_empty)
        end_line(&b);
    free(b.word);
    return b.status;
}
