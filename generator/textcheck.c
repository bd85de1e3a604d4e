/* textcheck.c -- control, invisible and odd space characters (see textcheck.h). */
#include "notatgen/textcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t ng_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    size_t n;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        n = 2;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        v = c & 0x07;
    } else {
        return 0;
    }
    if (n > len)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3F);
    }
    if ((n == 2 && v < 0x80) || (n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF ||
        (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

size_t ng_utf8_invalid_at(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = ng_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

size_t ng_utf8_prefix(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

bool ng_utf8_has_multibyte(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint32_t cp;
        if ((unsigned char)s[i] >= 0xC2 && ng_utf8_decode(s + i, len - i, &cp) > 1)
            return true;
    }
    return false;
}

ng_char_class ng_char_classify(uint32_t cp)
{
    if ((cp < 0x20 && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
        return NG_CHAR_CONTROL;
    if (cp == 0xAD || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2028 ||
        cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
        cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xFFFE || cp == 0xFFFF)
        return NG_CHAR_INVISIBLE;
    if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
        cp == 0x205F || cp == 0x3000)
        return NG_CHAR_SPACE;
    return NG_CHAR_OK;
}

const char *ng_char_name(uint32_t cp)
{
    switch (cp) {
    case 0x00:
        return "NUL-tegn";
    case 0x0D:
        return "vognretur (CR)";
    case 0x0A:
        return "linjeskift (LF)";
    case 0xA0:
    case 0x202F:
        return "hårdt mellemrum";
    case 0xAD:
        return "blød bindestreg";
    case 0x200B:
        return "nulbredde-mellemrum";
    case 0x200C:
    case 0x200D:
        return "nulbredde-samler";
    case 0x200E:
    case 0x200F:
    case 0x202A:
    case 0x202B:
    case 0x202C:
    case 0x202D:
    case 0x202E:
    case 0x2066:
    case 0x2067:
    case 0x2068:
    case 0x2069:
        return "skriveretningstegn";
    case 0x2028:
    case 0x2029:
        return "linjeskifttegn";
    case 0x2060:
        return "ordsamler";
    case 0xFEFF:
        return "byte-rækkefølgemærke (BOM)";
    default:
        break;
    }
    switch (ng_char_classify(cp)) {
    case NG_CHAR_CONTROL:
        return "styretegn";
    case NG_CHAR_INVISIBLE:
        return "usynligt formattegn";
    case NG_CHAR_SPACE:
        return "særligt mellemrum";
    default:
        return "tegn";
    }
}

char *ng_char_describe(uint32_t cp, char *buf, size_t size)
{
    if (ng_char_classify(cp) == NG_CHAR_CONTROL) {
        if (cp == 0 || cp == '\r' || cp == '\n')
            snprintf(buf, size, "et styretegn (U+%04X, %s)", (unsigned)cp, ng_char_name(cp));
        else
            snprintf(buf, size, "et styretegn (U+%04X)", (unsigned)cp);
    } else {
        snprintf(buf, size, "et usynligt tegn (U+%04X, %s)", (unsigned)cp, ng_char_name(cp));
    }
    return buf;
}

bool ng_text_find_unprintable(const char *s, size_t len, bool newline_ok, size_t *at, uint32_t *cp)
{
    size_t i = 0;
    while (i < len) {
        uint32_t c;
        size_t n = ng_utf8_decode(s + i, len - i, &c);
        if (n == 0) {
            i++;
            continue;
        }
        ng_char_class k = ng_char_classify(c);
        bool newline = c == '\r' || c == '\n';
        if ((k == NG_CHAR_CONTROL && !(newline && newline_ok)) || k == NG_CHAR_INVISIBLE) {
            *at = i;
            *cp = c;
            return true;
        }
        i += n;
    }
    return false;
}

size_t ng_text_plain_spaces(char *s)
{
    size_t len = strlen(s), o = 0, count = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = ng_utf8_decode(s + i, len - i, &c);
        if (n > 1 && ng_char_classify(c) == NG_CHAR_SPACE) {
            s[o++] = ' ';
            count++;
        } else {
            if (n == 0)
                n = 1;
            memmove(s + o, s + i, n);
            o += n;
        }
        i += n;
    }
    s[o] = '\0';
    return count;
}

char *ng_text_printable_copy(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = ng_utf8_decode(s + i, len - i, &c);
        ng_char_class k = n ? ng_char_classify(c) : NG_CHAR_CONTROL;
        if (n == 0 || k == NG_CHAR_CONTROL || k == NG_CHAR_INVISIBLE) {
            out[o++] = '?';
            i += n ? n : 1;
            continue;
        }
        memcpy(out + o, s + i, n);
        o += n;
        i += n;
    }
    out[o] = '\0';
    return out;
}

const char *ng_text_line_problem(const char *line, size_t len, bool first_line, long *column,
                                 char *buf, size_t size)
{
    const unsigned char *u = (const unsigned char *)line;
    *column = 1;
    if (first_line && len >= 2 &&
        ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        snprintf(buf, size, "filen er gemt som UTF-16; gem den som UTF-8");
        return buf;
    }
    const char *nul = memchr(line, '\0', len);
    if (nul) {
        *column = (long)(nul - line) + 1;
        snprintf(buf, size, "linjen indeholder et NUL-tegn (byte 0)");
        return buf;
    }
    const char *cr = memchr(line, '\r', len);
    if (cr) {
        *column = (long)(cr - line) + 1;
        snprintf(buf, size,
                 "vognretur (CR) midt i linjen: filen har vist kun CR som linjeskift (gem den "
                 "med LF eller CRLF)");
        return buf;
    }
    size_t bad = ng_utf8_invalid_at(line, len);
    if (bad < len) {
        *column = (long)bad + 1;
        snprintf(buf, size, "linjen er ikke gyldig UTF-8 (gem filen som UTF-8)");
        return buf;
    }
    size_t at;
    uint32_t cp;
    if (ng_text_find_unprintable(line, len, false, &at, &cp)) {
        char what[96];
        *column = (long)at + 1;
        snprintf(buf, size, "linjen indeholder %s", ng_char_describe(cp, what, sizeof what));
        return buf;
    }
    return NULL;
}

char *ng_text_line_take(char *raw, size_t n, bool first_line, size_t *len, const char **problem,
                        long *column, char *buf, size_t size)
{
    if (n > 0 && raw[n - 1] == '\n')
        n--;
    if (n > 0 && raw[n - 1] == '\r')
        n--;
    raw[n] = '\0';
    char *text = raw;
    if (first_line && n >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        n -= 3;
    }
    *len = n;
    *column = 0;
    *problem = ng_text_line_problem(text, n, first_line, column, buf, size);
    return text;
}
