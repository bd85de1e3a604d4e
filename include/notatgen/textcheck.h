/*
 * textcheck.h -- what a text read from a file may contain: valid UTF-8, no
 * control characters, no invisible characters.
 *
 * A hand-edited CSV or INI file can carry bytes a reader cannot see: a NUL
 * that would end a C string early, a zero-width space or a byte-order mark
 * in the middle of a key that makes "Tiltag A" and "Tiltag A\u200B" two
 * different keys, a no-break space copied from a word processor. The
 * readers use these functions to refuse such a character with a message
 * naming it (U+200B and a Danish name), or to read a no-break space as a
 * plain space.
 *
 * Character classes (ng_char_class):
 *   CONTROL    C0 controls except TAB (and, where allowed, CR and LF), DEL,
 *              C1 controls U+0080..U+009F
 *   INVISIBLE  format characters that print as nothing: U+00AD soft hyphen,
 *              U+180E, U+200B..U+200F, U+202A..U+202E, U+2060..U+2064,
 *              U+2066..U+206F, U+FEFF, U+FFF9..U+FFFB, and the
 *              non-characters U+FFFE/U+FFFF
 *   SPACE      spaces other than U+0020: U+00A0, U+1680, U+2000..U+200A,
 *              U+202F, U+205F, U+3000 (read as a plain space)
 *   OK         everything else
 */
#ifndef NOTATGEN_TEXTCHECK_H
#define NOTATGEN_TEXTCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { NG_CHAR_OK, NG_CHAR_CONTROL, NG_CHAR_INVISIBLE, NG_CHAR_SPACE } ng_char_class;

/* Decodes one UTF-8 character at s[0..len): returns the bytes it takes and
 * sets *cp, or 0 when the bytes there are not valid UTF-8 (overlong forms,
 * surrogates and values above U+10FFFF are invalid). */
size_t ng_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* The offset of the first byte of s[0..len) that is not valid UTF-8; len
 * when all of it is. */
size_t ng_utf8_invalid_at(const char *s, size_t len);

/* The length of the longest prefix of s[0..len) of at most max bytes that
 * does not cut a UTF-8 character (for messages that quote a piece of text). */
size_t ng_utf8_prefix(const char *s, size_t len, size_t max);

/* true when s[0..len) holds at least one valid multi-byte UTF-8 sequence
 * (text written as UTF-8, not plain ASCII). */
bool ng_utf8_has_multibyte(const char *s, size_t len);

ng_char_class ng_char_classify(uint32_t cp);

/* A short Danish name of a character the readers refuse or replace, for
 * messages: "nulbredde-mellemrum", "hårdt mellemrum", "styretegn"... */
const char *ng_char_name(uint32_t cp);

/* "et styretegn (U+001B)" or "et usynligt tegn (U+200B, nulbredde-mellemrum)"
 * into buf, for messages; returns buf. */
char *ng_char_describe(uint32_t cp, char *buf, size_t size);

/* Finds the first character of the UTF-8 text s[0..len) that is CONTROL or
 * INVISIBLE (newline_ok: CR and LF are allowed). Sets *at (byte offset) and
 * *cp and returns true; false when there is none. Invalid UTF-8 is skipped a
 * byte at a time (the caller checks validity first). */
bool ng_text_find_unprintable(const char *s, size_t len, bool newline_ok, size_t *at, uint32_t *cp);

/* Replaces every SPACE character of the NUL-terminated UTF-8 string s by a
 * plain space, in place (the text gets shorter). Returns how many. */
size_t ng_text_plain_spaces(char *s);

/* A copy of s[0..len) safe for one header or log line: control and
 * invisible characters (and invalid bytes) become '?'. The caller frees;
 * NULL on out of memory. */
char *ng_text_printable_copy(const char *s, size_t len);

/* Checks one physical line of a text file (an INI file: the configuration,
 * the budget model), given without its line end. Returns NULL when the line
 * is fine, else writes a Danish message into buf and returns it, with the
 * 1-based byte column of the problem in *column:
 *   "linjen indeholder et NUL-tegn (byte 0)"
 *   "vognretur (CR) midt i linjen: filen har vist kun CR som linjeskift ..."
 *   "filen er gemt som UTF-16; gem den som UTF-8"        (first_line only)
 *   "linjen er ikke gyldig UTF-8 (gem filen som UTF-8)"
 *   "linjen indeholder et styretegn (U+001B)"
 *   "linjen indeholder et usynligt tegn (U+200B, nulbredde-mellemrum)" */
const char *ng_text_line_problem(const char *line, size_t len, bool first_line, long *column,
                                 char *buf, size_t size);

/* One physical line as getline(3) read it (raw[0..n)): strips its end (LF
 * or CRLF) and, on the first line, a UTF-8 BOM, NUL-terminates it, and
 * checks it (ng_text_line_problem). Returns the text (inside raw) and its
 * length in *len; *problem is NULL, or the message (in buf) with *column. */
char *ng_text_line_take(char *raw, size_t n, bool first_line, size_t *len, const char **problem,
                        long *column, char *buf, size_t size);

#endif
