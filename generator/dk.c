/* dk.c -- Danish numbers, dates and the CPR guard (see dk.h). */
#include "notatgen/dk.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/textcheck.h"

/* ---- numbers ------------------------------------------------------------ */

/* A parsed decimal: sign * digits / 10^frac_digits, digits as an integer. */
typedef struct {
    bool negative;
    uint64_t digits;
    int frac_digits;
} decimal;

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return s;
}

/* Checks that the integer part s[0..len) is digits with thousands separators
 * sep in groups of three (or plain digits when sep == 0). */
static bool valid_grouping(const char *s, size_t len, char sep)
{
    if (len == 0)
        return false;
    if (!sep || !memchr(s, sep, len)) {
        for (size_t i = 0; i < len; i++)
            if (!isdigit((unsigned char)s[i]))
                return false;
        return true;
    }
    size_t group = 0;
    bool first = true;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == sep) {
            if (group == 0 || (first && group > 3) || (!first && group != 3))
                return false;
            first = false;
            group = 0;
        } else if (isdigit((unsigned char)s[i])) {
            group++;
        } else {
            return false;
        }
    }
    return !first ? group == 3 : group > 0;
}

/* Decides which character is the decimal mark of s (0 = none). */
static char decimal_mark_of(const char *s, size_t len, ng_decimal_mark mark)
{
    if (mark == NG_DECIMAL_COMMA)
        return ',';
    if (mark == NG_DECIMAL_POINT)
        return '.';
    const char *comma = memchr(s, ',', len);
    if (comma)
        return ',';
    const char *dot = memchr(s, '.', len);
    if (!dot)
        return 0;
    if (memchr(dot + 1, '.', len - (size_t)(dot + 1 - s)))
        return 0; /* several dots: thousands separators */
    size_t after = len - (size_t)(dot + 1 - s);
    size_t before = (size_t)(dot - s);
    /* "1.150" and "12.345" are Danish thousands; "1234.5" is a decimal point */
    if (after == 3 && before >= 1 && before <= 3)
        return 0;
    return '.';
}

/* The usual shape of an amount read in one pass: an optional '-', digits
 * (thousands separated in groups of three, or not at all), an optional
 * decimal mark followed by digits, nothing else, at most 18 digits. True
 * with *out as parse_decimal gives it; false for anything else, which
 * parse_decimal then reads (test_dk compares the two). */
static bool quick_decimal(const char *s, size_t len, char dec, char thousands, decimal *out)
{
    const char *p = s, *end = s + len;
    bool negative = p < end && *p == '-';
    p += negative;
    uint64_t digits = 0;
    int ndigits = 0, group = 0;
    bool grouped = false;
    for (; p < end; p++) {
        if (*p >= '0' && *p <= '9') {
            digits = digits * 10 + (uint64_t)(*p - '0');
            ndigits++;
            group++;
        } else if (*p == thousands) {
            if (group == 0 || (grouped ? group != 3 : group > 3))
                return false;
            grouped = true;
            group = 0;
        } else {
            break;
        }
    }
    if (ndigits == 0 || (grouped && group != 3))
        return false;
    int frac = 0;
    if (p < end && *p == dec) {
        for (p++; p < end && *p >= '0' && *p <= '9'; p++, frac++)
            digits = digits * 10 + (uint64_t)(*p - '0');
        if (frac == 0)
            return false;
    }
    if (p != end || ndigits + frac > 18)
        return false;
    *out = (decimal){.negative = negative, .digits = digits, .frac_digits = frac};
    return true;
}

static ng_status parse_decimal(const char *s, ng_decimal_mark mark, decimal *out, const char **why)
{
    if (mark == NG_DECIMAL_COMMA && quick_decimal(s, strlen(s), ',', '.', out))
        return NG_OK;
    if (mark == NG_DECIMAL_POINT && quick_decimal(s, strlen(s), '.', ',', out))
        return NG_OK;
    const char *reason = "er ikke et tal";
    s = skip_spaces(s);
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    memset(out, 0, sizeof *out);
    if (len > 0 && (s[0] == '-' || s[0] == '+' || (unsigned char)s[0] == 0xE2)) {
        if (s[0] == '-') {
            out->negative = true;
            s++;
            len--;
        } else if (s[0] == '+') {
            s++;
            len--;
        } else if (len >= 3 && (unsigned char)s[1] == 0x88 && (unsigned char)s[2] == 0x92) {
            out->negative = true; /* U+2212 MINUS SIGN */
            s += 3;
            len -= 3;
        }
    }
    if (len == 0) {
        reason = out->negative ? "er ikke et tal" : "mangler";
        goto fail;
    }
    char dec = decimal_mark_of(s, len, mark);
    char thousands = dec == ',' ? '.' : dec == '.' ? ',' : '.';
    const char *dp = dec ? memchr(s, dec, len) : NULL;
    size_t int_len = dp ? (size_t)(dp - s) : len;
    if (dp && memchr(dp + 1, dec, len - int_len - 1))
        goto fail;
    if (int_len == 0 && !dp)
        goto fail;
    if (int_len > 0 && !valid_grouping(s, int_len, thousands))
        goto fail;
    uint64_t digits = 0;
    int ndigits = 0;
    for (size_t i = 0; i < int_len; i++) {
        if (s[i] == thousands)
            continue;
        if (digits > (UINT64_MAX - 9) / 10) {
            reason = "er for stort";
            goto fail;
        }
        digits = digits * 10 + (uint64_t)(s[i] - '0');
        ndigits++;
    }
    if (dp) {
        size_t frac_len = len - int_len - 1;
        if (frac_len == 0 && int_len == 0)
            goto fail;
        for (size_t i = 0; i < frac_len; i++) {
            char c = dp[1 + i];
            if (!isdigit((unsigned char)c))
                goto fail;
            if (digits > (UINT64_MAX - 9) / 10 || out->frac_digits >= 18) {
                reason = "har for mange cifre";
                goto fail;
            }
            digits = digits * 10 + (uint64_t)(c - '0');
            out->frac_digits++;
            ndigits++;
        }
    }
    if (ndigits == 0)
        goto fail;
    out->digits = digits;
    return NG_OK;
fail:
    if (why)
        *why = reason;
    return NG_ERR_INPUT;
}

static uint64_t pow10u(int n)
{
    uint64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

static ng_status decimal_oere(decimal d, ng_scale scale, int64_t *oere, const char **why);

ng_status ng_parse_amount(const char *s, ng_decimal_mark mark, ng_scale scale, int64_t *oere,
                          const char **why)
{
    decimal d;
    ng_status st = parse_decimal(s, mark, &d, why);
    if (st != NG_OK)
        return st;
    return decimal_oere(d, scale, oere, why);
}

bool ng_parse_amount_usual(const char *s, size_t len, ng_decimal_mark mark, ng_scale scale,
                           int64_t *oere)
{
    decimal d;
    if (mark == NG_DECIMAL_AUTO || !quick_decimal(s, len, mark == NG_DECIMAL_COMMA ? ',' : '.',
                                                  mark == NG_DECIMAL_COMMA ? '.' : ',', &d))
        return false;
    return decimal_oere(d, scale, oere, NULL) == NG_OK;
}

/* The value of d in øre under scale. */
static ng_status decimal_oere(decimal d, ng_scale scale, int64_t *oere, const char **why)
{
    /* value in øre = digits * 10^(2 + scale_exp - frac_digits) */
    int scale_exp = scale == NG_SCALE_MIO ? 6 : scale == NG_SCALE_TKR ? 3 : 0;
    int exp = 2 + scale_exp - d.frac_digits;
    uint64_t v;
    if (exp >= 0) {
        uint64_t mul = pow10u(exp);
        if (d.digits > (uint64_t)INT64_MAX / mul) {
            if (why)
                *why = "er for stort";
            return NG_ERR_INPUT;
        }
        v = d.digits * mul;
    } else {
        uint64_t div = pow10u(-exp);
        v = d.digits / div;
        if ((d.digits % div) * 2 >= div) /* half away from zero */
            v++;
    }
    if (v > (uint64_t)INT64_MAX) {
        if (why)
            *why = "er for stort";
        return NG_ERR_INPUT;
    }
    *oere = d.negative ? -(int64_t)v : (int64_t)v;
    return NG_OK;
}

/* ---- the notation of a column ------------------------------------------ */

typedef enum {
    KIND_PLAIN,
    KIND_COMMA,
    KIND_POINT,
    KIND_AMBIGUOUS_THOUSANDS,
    KIND_AMBIGUOUS_POINT
} notation_kind;

/* What one value says about its notation (its sign and spaces aside). */
static notation_kind notation_of(const char *s)
{
    s = skip_spaces(s);
    if (*s == '-' || *s == '+')
        s++;
    else if (!strncmp(s, "\xE2\x88\x92", 3))
        s += 3;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    const char *comma = memchr(s, ',', len);
    const char *dot = memchr(s, '.', len);
    if (comma)
        return KIND_COMMA; /* 1.234,5 1234,5 ,5 (1,234.5 is no amount here) */
    if (!dot)
        return KIND_PLAIN;
    if (memchr(dot + 1, '.', len - (size_t)(dot + 1 - s)))
        return KIND_COMMA; /* 1.234.567 */
    size_t before = (size_t)(dot - s), after = len - before - 1;
    if (after != 3 || before == 0)
        return KIND_POINT;
    return before <= 3 ? KIND_AMBIGUOUS_THOUSANDS : KIND_AMBIGUOUS_POINT;
}

static void note_example(ng_notation_example *e, const char *s, long line)
{
    if (e->line)
        return;
    e->line = line > 0 ? line : 1;
    s = skip_spaces(s);
    size_t n = strlen(s);
    if (n >= sizeof e->value)
        n = sizeof e->value - 1;
    memcpy(e->value, s, n);
    e->value[n] = '\0';
}

/* The notation the column's values have decided so far (AUTO: none or both). */
static ng_decimal_mark decided_mark(const ng_notation *n)
{
    if (n->comma.line && !n->point.line)
        return NG_DECIMAL_COMMA;
    if (n->point.line && !n->comma.line)
        return NG_DECIMAL_POINT;
    return NG_DECIMAL_AUTO;
}

ng_status ng_amount_in_column(ng_notation *n, const char *s, ng_decimal_mark mark, ng_scale scale,
                              long line, int64_t *oere, const char **why)
{
    if (mark != NG_DECIMAL_AUTO)
        return ng_parse_amount(s, mark, scale, oere, why);
    notation_kind kind = notation_of(s);
    bool ambiguous = kind == KIND_AMBIGUOUS_THOUSANDS || kind == KIND_AMBIGUOUS_POINT;
    ng_decimal_mark use = ambiguous ? decided_mark(n) : NG_DECIMAL_AUTO;
    ng_status st = ng_parse_amount(s, use, scale, oere, why);
    if (st != NG_OK)
        return st;
    if (kind == KIND_COMMA)
        note_example(&n->comma, s, line);
    else if (kind == KIND_POINT)
        note_example(&n->point, s, line);
    if (!ambiguous)
        return NG_OK;
    n->nambiguous++;
    note_example(&n->ambiguous, s, line);
    if (use == NG_DECIMAL_AUTO)
        note_example(kind == KIND_AMBIGUOUS_THOUSANDS ? &n->early_thousands : &n->early_point, s,
                     line);
    return NG_OK;
}

ng_notation_verdict ng_notation_decide(const ng_notation *n, ng_decimal_mark *mark)
{
    if (n->nambiguous == 0)
        return NG_NOTATION_CLEAR;
    ng_decimal_mark decided = decided_mark(n);
    if (decided == NG_DECIMAL_COMMA) {
        *mark = decided;
        return n->early_point.line ? NG_NOTATION_REREAD : NG_NOTATION_CLEAR;
    }
    if (decided == NG_DECIMAL_POINT) {
        *mark = decided;
        return n->early_thousands.line ? NG_NOTATION_REREAD : NG_NOTATION_CLEAR;
    }
    return n->comma.line ? NG_NOTATION_MIXED : NG_NOTATION_AMBIGUOUS;
}

/* "1.936.600 eller 1.936,6": the two readings of an ambiguous value. */
static void two_readings(const char *value, char *buf, size_t size)
{
    double thousands = 0, point = 0;
    char a[48], b[48];
    if (ng_parse_number(value, NG_DECIMAL_COMMA, &thousands, NULL) != NG_OK ||
        ng_parse_number(value, NG_DECIMAL_POINT, &point, NULL) != NG_OK) {
        /* 1936.600 is no Danish grouping: its first reading drops the dot */
        char copy[32];
        snprintf(copy, sizeof copy, "%s", skip_spaces(value));
        char *dot = strchr(copy, '.');
        if (dot)
            memmove(dot, dot + 1, strlen(dot));
        if (ng_parse_number(copy, NG_DECIMAL_COMMA, &thousands, NULL) != NG_OK ||
            ng_parse_number(value, NG_DECIMAL_POINT, &point, NULL) != NG_OK) {
            snprintf(buf, size, "to forskellige tal");
            return;
        }
    }
    ng_fmt_int(a, sizeof a, thousands);
    ng_fmt_dec(b, sizeof b, point, 3);
    /* 1.936,600 -> 1.936,6: the decimals as written, without trailing zeros */
    size_t n = strlen(b);
    while (n > 0 && b[n - 1] == '0')
        b[--n] = '\0';
    if (n > 0 && b[n - 1] == ',')
        b[--n] = '\0';
    snprintf(buf, size, "%s eller %s", a, b);
}

void ng_notation_explain(const ng_notation *n, ng_notation_verdict v, const char *column, char *buf,
                         size_t size)
{
    char readings[112];
    const ng_notation_example *amb = n->ambiguous.line ? &n->ambiguous : &n->early_point;
    two_readings(amb->value, readings, sizeof readings);
    switch (v) {
    case NG_NOTATION_AMBIGUOUS:
        snprintf(buf, size,
                 "beløbene i kolonnen '%s' kan læses på to måder: '%s' (linje %ld) kan være %s, "
                 "og ingen anden værdi i kolonnen afgør det; angiv decimaltegn = komma eller "
                 "decimaltegn = punktum",
                 column, amb->value, amb->line, readings);
        break;
    case NG_NOTATION_MIXED:
        snprintf(buf, size,
                 "kolonnen '%s' bruger både decimalkomma ('%s', linje %ld) og decimalpunktum "
                 "('%s', linje %ld), så '%s' (linje %ld) kan være %s; angiv decimaltegn = komma "
                 "eller decimaltegn = punktum",
                 column, n->comma.value, n->comma.line, n->point.value, n->point.line, amb->value,
                 amb->line, readings);
        break;
    case NG_NOTATION_REREAD: {
        const ng_notation_example *by = n->point.line ? &n->point : &n->comma;
        snprintf(buf, size,
                 "kolonnen '%s' skrives med decimal%s (fx '%s', linje %ld) og læses helt "
                 "med den notation",
                 column, by == &n->point ? "punktum" : "komma", by->value, by->line);
        break;
    }
    default:
        snprintf(buf, size, "kolonnen '%s' har en entydig notation", column);
    }
}

ng_status ng_parse_number(const char *s, ng_decimal_mark mark, double *out, const char **why)
{
    decimal d;
    ng_status st = parse_decimal(s, mark, &d, why);
    if (st != NG_OK)
        return st;
    double v = (double)d.digits / (double)pow10u(d.frac_digits);
    *out = d.negative ? -v : v;
    return NG_OK;
}

ng_status ng_parse_int(const char *s, long *out, const char **why)
{
    decimal d;
    ng_status st = parse_decimal(s, NG_DECIMAL_COMMA, &d, why);
    if (st != NG_OK)
        return st;
    if (d.frac_digits > 0 || d.digits > (uint64_t)2000000000) {
        if (why)
            *why = "er ikke et heltal";
        return NG_ERR_INPUT;
    }
    *out = d.negative ? -(long)d.digits : (long)d.digits;
    return NG_OK;
}

/* ---- dates -------------------------------------------------------------- */

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ng_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool ng_date_valid(int y, int m, int d)
{
    return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= ng_days_in_month(y, m);
}

/* Reads exactly n digits. */
static bool read_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static ng_status parse_date_n(const char *s, size_t len, ng_date *out, const char **why);

ng_status ng_parse_date(const char *s, ng_date *out, const char **why)
{
    s = skip_spaces(s);
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\r'))
        len--;
    return parse_date_n(s, len, out, why);
}

bool ng_parse_date_usual(const char *s, size_t len, ng_date *out)
{
    return len && s[0] != ' ' && s[0] != '\t' && s[0] != '\r' && s[0] != '\n' &&
           s[len - 1] != ' ' && s[len - 1] != '\r' && parse_date_n(s, len, out, NULL) == NG_OK;
}

/* A date that is s[0, len) exactly. */
static ng_status parse_date_n(const char *s, size_t len, ng_date *out, const char **why)
{
    int y = 0, m = 0, d = 0;
    bool ok = false;
    if (len == 10 && s[4] == '-' && s[7] == '-') {
        ok = read_digits(s, 4, &y) && read_digits(s + 5, 2, &m) && read_digits(s + 8, 2, &d);
    } else if (len == 10 && (s[2] == '-' || s[2] == '.' || s[2] == '/') && s[5] == s[2]) {
        ok = read_digits(s, 2, &d) && read_digits(s + 3, 2, &m) && read_digits(s + 6, 4, &y);
    }
    if (!ok) {
        if (why)
            *why = "er ikke en dato (brug 2025-10-31, 31-10-2025 eller 31.10.2025)";
        return NG_ERR_INPUT;
    }
    if (!ng_date_valid(y, m, d)) {
        if (why)
            *why = "er ikke en gyldig dato";
        return NG_ERR_INPUT;
    }
    out->y = y;
    out->m = m;
    out->d = d;
    return NG_OK;
}

bool ng_date_from_filename(const char *path, ng_date *out)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    for (size_t i = 0; i + 8 <= len; i++) {
        if (i > 0 && isdigit((unsigned char)base[i - 1]))
            continue;
        int y, m, d;
        if (i + 10 <= len && base[i + 4] == '-' && base[i + 7] == '-' &&
            read_digits(base + i, 4, &y) && read_digits(base + i + 5, 2, &m) &&
            read_digits(base + i + 8, 2, &d) &&
            (i + 10 == len || !isdigit((unsigned char)base[i + 10])) && ng_date_valid(y, m, d)) {
            *out = (ng_date){y, m, d};
            return true;
        }
        if (read_digits(base + i, 4, &y) && read_digits(base + i + 4, 2, &m) &&
            read_digits(base + i + 6, 2, &d) &&
            (i + 8 == len || !isdigit((unsigned char)base[i + 8])) && ng_date_valid(y, m, d)) {
            *out = (ng_date){y, m, d};
            return true;
        }
    }
    return false;
}

/* Howard Hinnant's days_from_civil. */
long ng_date_to_days(ng_date date)
{
    long y = date.y - (date.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (date.m + 9) % 12;
    long doy = (153 * mp + 2) / 5 + date.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

ng_date ng_date_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    return (ng_date){(int)(y + (m <= 2)), (int)m, (int)d};
}

ng_date ng_date_from_epoch(long long epoch)
{
    long long days = epoch / 86400;
    if (epoch % 86400 < 0)
        days--;
    return ng_date_from_days((long)days);
}

int ng_date_cmp(ng_date a, ng_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

/* ---- formatting --------------------------------------------------------- */

/* Rounds |v| * 10^decimals half away from zero to an integer. */
static unsigned long long round_scaled(double v, int decimals, bool *negative)
{
    double scaled = fabs(v) * pow(10.0, decimals);
    /* nudge values like 26,65 that are 26,6499999... in binary: a few ulps */
    double r = floor(scaled + 0.5 + 16 * DBL_EPSILON * (scaled > 1 ? scaled : 1));
    *negative = v < 0 && r > 0;
    if (r > 9e18)
        r = 9e18;
    return (unsigned long long)r;
}

static void group_thousands(char *out, size_t size, unsigned long long v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", v);
    size_t o = 0;
    for (int i = 0; i < n && o + 1 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 1 < size)
            out[o++] = '.';
        if (o + 1 < size)
            out[o++] = digits[i];
    }
    out[o] = '\0';
}

char *ng_fmt_dec(char *buf, size_t size, double v, int decimals)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    bool negative;
    unsigned long long r = round_scaled(v, decimals, &negative);
    unsigned long long p = 1;
    for (int i = 0; i < decimals; i++)
        p *= 10;
    char ints[40];
    group_thousands(ints, sizeof ints, r / p);
    if (decimals > 0)
        snprintf(buf, size, "%s%s,%0*llu", negative ? "-" : "", ints, decimals, r % p);
    else
        snprintf(buf, size, "%s%s", negative ? "-" : "", ints);
    return buf;
}

char *ng_fmt_int(char *buf, size_t size, double v)
{
    return ng_fmt_dec(buf, size, v, 0);
}

char *ng_fmt_kr(char *buf, size_t size, double kr)
{
    return ng_fmt_dec(buf, size, kr, 0);
}

char *ng_fmt_mio(char *buf, size_t size, double kr)
{
    return ng_fmt_dec(buf, size, kr / 1e6, 1);
}

char *ng_fmt_tkr(char *buf, size_t size, double kr)
{
    return ng_fmt_dec(buf, size, kr / 1e3, 0);
}

char *ng_fmt_pct(char *buf, size_t size, double fraction, int decimals)
{
    char num[40];
    ng_fmt_dec(num, sizeof num, fraction * 100.0, decimals);
    snprintf(buf, size, "%s %%", num);
    return buf;
}

static const char *const month_names[12] = {"januar",    "februar", "marts",    "april",
                                            "maj",       "juni",    "juli",     "august",
                                            "september", "oktober", "november", "december"};
static const char *const month_names_cap[12] = {"Januar",    "Februar", "Marts",    "April",
                                                "Maj",       "Juni",    "Juli",     "August",
                                                "September", "Oktober", "November", "December"};

const char *ng_month_name(int month)
{
    return month >= 1 && month <= 12 ? month_names[month - 1] : NULL;
}

const char *ng_month_name_cap(int month)
{
    return month >= 1 && month <= 12 ? month_names_cap[month - 1] : NULL;
}

char *ng_fmt_date_long(char *buf, size_t size, ng_date d)
{
    const char *name = ng_month_name(d.m);
    snprintf(buf, size, "%d. %s %d", d.d, name ? name : "?", d.y);
    return buf;
}

char *ng_fmt_date_short(char *buf, size_t size, ng_date d)
{
    snprintf(buf, size, "%02d-%02d-%04d", d.d, d.m, d.y);
    return buf;
}

char *ng_fmt_date_iso(char *buf, size_t size, ng_date d)
{
    snprintf(buf, size, "%04d-%02d-%02d", d.y, d.m, d.d);
    return buf;
}

/* ---- CPR guard ---------------------------------------------------------- */

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* Length of a CPR-like token at s (11 with dash, 10 without), or 0. */
static size_t cpr_token_len(const char *s, size_t len)
{
    if (len >= 11 && all_digits(s, 6) && s[6] == '-' && all_digits(s + 7, 4))
        return 11;
    if (len >= 10 && all_digits(s, 10))
        return 10;
    return 0;
}

static bool cpr_date_valid(const char *s)
{
    int dd = (s[0] - '0') * 10 + (s[1] - '0');
    int mm = (s[2] - '0') * 10 + (s[3] - '0');
    int yy = (s[4] - '0') * 10 + (s[5] - '0');
    /* the century is not known from the six digits: accept a date valid in
     * either 19yy or 20yy (29 February needs a leap year) */
    return ng_date_valid(1900 + yy, mm, dd) || ng_date_valid(2000 + yy, mm, dd);
}

bool ng_is_cpr_loose(const char *s, size_t len)
{
    return cpr_token_len(s, len) == len && len > 0;
}

bool ng_is_cpr_strict(const char *s, size_t len)
{
    return ng_is_cpr_loose(s, len) && cpr_date_valid(s);
}

bool ng_find_cpr(const char *text, size_t len, bool strict, size_t *pos, size_t *match_len)
{
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)text[i]) || (i > 0 && isdigit((unsigned char)text[i - 1])))
            continue;
        size_t n = cpr_token_len(text + i, len - i);
        if (n == 0 || (i + n < len && isdigit((unsigned char)text[i + n])))
            continue;
        if (strict && !cpr_date_valid(text + i))
            continue;
        *pos = i;
        *match_len = n;
        return true;
    }
    return false;
}

char *ng_mask_cpr(const char *s)
{
    size_t len = strlen(s);
    /* masking turns 10 characters into 11 at most: one extra byte per token */
    char *out = malloc(len + len / 10 + 2);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    while (i < len) {
        size_t pos, n;
        if (!ng_find_cpr(s + i, len - i, false, &pos, &n)) {
            memcpy(out + o, s + i, len - i);
            o += len - i;
            break;
        }
        memcpy(out + o, s + i, pos);
        o += pos;
        memcpy(out + o, "XXXXXX-XXXX", 11);
        o += 11;
        i += pos + n;
    }
    out[o] = '\0';
    return out;
}

/* ---- text --------------------------------------------------------------- */

bool ng_utf8_valid(const char *str, size_t len)
{
    return ng_utf8_invalid_at(str, len) == len;
}

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes (kept as U+FFFD). */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

size_t ng_cp1252_to_utf8(const char *in, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        unsigned int cp = c;
        if (c < 0x80) {
            out[o++] = (char)c;
            continue;
        }
        if (c < 0xA0)
            cp = cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xFFFD;
        if (cp < 0x800) {
            out[o++] = (char)(0xC0 | (cp >> 6));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[o++] = (char)(0xE0 | (cp >> 12));
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[o] = '\0';
    return o;
}

void ng_fold_case(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        if (*p >= 'A' && *p <= 'Z') {
            *p = (unsigned char)(*p + 32);
        } else if (*p == 0xC3 && p[1]) {
            /* Æ C3 86 -> æ C3 A6; Ø C3 98 -> ø C3 B8; Å C3 85 -> å C3 A5 */
            if (p[1] == 0x86 || p[1] == 0x98 || p[1] == 0x85)
                p[1] = (unsigned char)(p[1] + 0x20);
            p++;
        }
        p++;
    }
}
