/*
 * strbuf.h -- a growable NUL-terminated string.
 *
 * Adding never fails visibly: when memory runs out the buffer sets oom and
 * every later add is a no-op, so a caller builds its whole text and checks
 * once at the end (ng_strbuf_take returns NULL, or look at oom).
 *
 * Ownership: the buffer owns s until ng_strbuf_take hands it to the caller;
 * ng_strbuf_free releases it. A zero-initialised ng_strbuf is empty and valid.
 */
#ifndef NOTATGEN_STRBUF_H
#define NOTATGEN_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    char *s;    /* NULL until something is added; NUL-terminated after */
    size_t len; /* bytes in s, without the NUL */
    size_t cap; /* bytes allocated for s */
    bool oom;   /* out of memory: s is incomplete, later adds do nothing */
} ng_strbuf;

/* Appends n bytes of s (which may hold NUL bytes). */
void ng_strbuf_add_len(ng_strbuf *b, const char *s, size_t n);

/* Appends the string s. */
void ng_strbuf_add(ng_strbuf *b, const char *s);

/* Appends one character. */
void ng_strbuf_addc(ng_strbuf *b, char c);

/* Appends printf-style formatted text; an encoding error counts as oom. */
void ng_strbuf_addf(ng_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends everything left in the stream f (binary, may hold NUL bytes).
 * Returns false when reading fails (ferror); running out of memory sets oom
 * and stops reading, as for the other adds. */
bool ng_strbuf_add_stream(ng_strbuf *b, FILE *f);

/* Cuts the text back to its first len bytes (no-op when already shorter). */
void ng_strbuf_truncate(ng_strbuf *b, size_t len);

/* The text so far, "" when nothing was added; owned by the buffer. */
const char *ng_strbuf_str(const ng_strbuf *b);

/* Hands the text to the caller (free() it; "" when nothing was added) and
 * resets the buffer to empty. Returns NULL, freeing the text, after oom. */
char *ng_strbuf_take(ng_strbuf *b);

/* Releases the text and resets the buffer to empty. */
void ng_strbuf_free(ng_strbuf *b);

#endif
