/* strbuf.c -- a growable NUL-terminated string (see strbuf.h). */
#include "notatgen/strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for extra more bytes plus the NUL; false (and oom) if it cannot. */
static bool reserve(ng_strbuf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (extra > SIZE_MAX - b->len - 1) {
        b->oom = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->s, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->s = p;
    b->cap = cap;
    return true;
}

void ng_strbuf_add_len(ng_strbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void ng_strbuf_add(ng_strbuf *b, const char *s)
{
    ng_strbuf_add_len(b, s, strlen(s));
}

void ng_strbuf_addc(ng_strbuf *b, char c)
{
    ng_strbuf_add_len(b, &c, 1);
}

void ng_strbuf_addf(ng_strbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

bool ng_strbuf_add_stream(ng_strbuf *b, FILE *f)
{
    /* read straight into the buffer, a large block at a time */
    enum { BLOCK = 65536 };
    while (reserve(b, BLOCK)) {
        size_t got = fread(b->s + b->len, 1, b->cap - b->len - 1, f);
        b->len += got;
        b->s[b->len] = '\0';
        if (got == 0)
            break;
    }
    return !ferror(f);
}

void ng_strbuf_truncate(ng_strbuf *b, size_t len)
{
    if (len >= b->len)
        return;
    b->len = len;
    b->s[len] = '\0';
}

const char *ng_strbuf_str(const ng_strbuf *b)
{
    return b->s ? b->s : "";
}

char *ng_strbuf_take(ng_strbuf *b)
{
    if (b->oom) {
        ng_strbuf_free(b);
        return NULL;
    }
    char *s = b->s ? b->s : strdup("");
    *b = (ng_strbuf){0};
    return s;
}

void ng_strbuf_free(ng_strbuf *b)
{
    free(b->s);
    *b = (ng_strbuf){0};
}
