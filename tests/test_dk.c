/* test_dk.c -- Danish number and date parsing/formatting, CPR guard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "notatgen/dk.h"

typedef struct {
    const char *text;
    ng_decimal_mark mark;
    ng_scale scale;
    int64_t oere; /* expected; INT64_MIN = must fail */
} amount_case;

static const amount_case amount_cases[] = {
    {"1.234.567,89", NG_DECIMAL_AUTO, NG_SCALE_KR, 123456789},
    {"1234567.89", NG_DECIMAL_AUTO, NG_SCALE_KR, 123456789},
    {"1234567,89", NG_DECIMAL_AUTO, NG_SCALE_KR, 123456789},
    {"-1.150", NG_DECIMAL_AUTO, NG_SCALE_KR, -115000},
    {"1.150", NG_DECIMAL_POINT, NG_SCALE_KR, 115},
    {"  42 ", NG_DECIMAL_AUTO, NG_SCALE_KR, 4200},
    {"0,5", NG_DECIMAL_AUTO, NG_SCALE_KR, 50},
    {",5", NG_DECIMAL_AUTO, NG_SCALE_KR, 50},
    {"0,005", NG_DECIMAL_AUTO, NG_SCALE_KR, 1},   /* rounds half away */
    {"-0,005", NG_DECIMAL_AUTO, NG_SCALE_KR, -1}, /* rounds half away */
    {"0,004", NG_DECIMAL_AUTO, NG_SCALE_KR, 0},
    {"708,15", NG_DECIMAL_AUTO, NG_SCALE_MIO, 70815000000},
    {"-3,95", NG_DECIMAL_AUTO, NG_SCALE_MIO, -395000000},
    {"-1.150", NG_DECIMAL_AUTO, NG_SCALE_TKR, -115000000},
    {"2.400.000", NG_DECIMAL_AUTO, NG_SCALE_KR, 240000000},
    {"+12", NG_DECIMAL_AUTO, NG_SCALE_KR, 1200},
    {"1,234.5", NG_DECIMAL_POINT, NG_SCALE_KR, 123450},
    {"12.3x4", NG_DECIMAL_AUTO, NG_SCALE_KR, INT64_MIN},
    {"", NG_DECIMAL_AUTO, NG_SCALE_KR, INT64_MIN},
    {"-", NG_DECIMAL_AUTO, NG_SCALE_KR, INT64_MIN},
    {"1.23.456", NG_DECIMAL_AUTO, NG_SCALE_KR, INT64_MIN},
    {"1,2,3", NG_DECIMAL_AUTO, NG_SCALE_KR, INT64_MIN},
    {"1.2345,6", NG_DECIMAL_AUTO, NG_SCALE_KR, INT64_MIN},
    {"abc", NG_DECIMAL_AUTO, NG_SCALE_KR, INT64_MIN},
    {"99999999999999999999", NG_DECIMAL_AUTO, NG_SCALE_KR, INT64_MIN},
};

/* A column of amounts under decimaltegn = auto: the values in file order,
 * the verdict, the notation a re-read would use, and what the last value
 * was read as (øre, kr. scale). */
typedef struct {
    const char *values[6];
    ng_notation_verdict verdict;
    ng_decimal_mark reread_as; /* for NG_NOTATION_REREAD */
    int64_t last_oere;
} column_case;

static const column_case column_cases[] = {
    /* decided by the first value: Danish thousands */
    {{"1.250.000,00", "400.000"}, NG_NOTATION_CLEAR, NG_DECIMAL_AUTO, 40000000},
    {{"1.234.567", "1.150"}, NG_NOTATION_CLEAR, NG_DECIMAL_AUTO, 115000},
    /* decided by the first value: a decimal point */
    {{"12.5", "587.611"}, NG_NOTATION_CLEAR, NG_DECIMAL_AUTO, 58761},
    /* nothing decides: the unit slip */
    {{"1936.600", "587.611"}, NG_NOTATION_AMBIGUOUS, NG_DECIMAL_AUTO, 58761100},
    {{"1.150"}, NG_NOTATION_AMBIGUOUS, NG_DECIMAL_AUTO, 115000},
    /* decided late, read the other way before it: read again */
    {{"587.611", "1936.600", "12.5"}, NG_NOTATION_REREAD, NG_DECIMAL_POINT, 1250},
    {{"1936.600", "1.234,5"}, NG_NOTATION_REREAD, NG_DECIMAL_COMMA, 123450},
    /* decided late, and the early values were read that way: they stand */
    {{"1.150", "1.234,5"}, NG_NOTATION_CLEAR, NG_DECIMAL_COMMA, 123450},
    {{"1936.600", "12.5"}, NG_NOTATION_CLEAR, NG_DECIMAL_POINT, 1250},
    /* both notations: an ambiguous value cannot be decided */
    {{"1.234,5", "1234.5", "1.150"}, NG_NOTATION_MIXED, NG_DECIMAL_AUTO, 115000},
    /* no ambiguous value: whatever else */
    {{"1.234,5", "1234.5"}, NG_NOTATION_CLEAR, NG_DECIMAL_AUTO, 123450},
    {{"1234", "-500", "0"}, NG_NOTATION_CLEAR, NG_DECIMAL_AUTO, 0},
};

static void test_column_notation(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof column_cases / sizeof *column_cases; i++) {
        const column_case *c = &column_cases[i];
        ng_notation n;
        memset(&n, 0, sizeof n);
        int64_t oere = 0;
        for (int k = 0; k < 6 && c->values[k]; k++)
            assert_int_equal(ng_amount_in_column(&n, c->values[k], NG_DECIMAL_AUTO, NG_SCALE_KR,
                                                 k + 2, &oere, NULL),
                             NG_OK);
        ng_decimal_mark mark = NG_DECIMAL_AUTO;
        ng_notation_verdict v = ng_notation_decide(&n, &mark);
        if (v != c->verdict || oere != c->last_oere)
            print_error("case %zu: verdict %d, last %lld\n", i, (int)v, (long long)oere);
        assert_int_equal(v, c->verdict);
        assert_int_equal(oere, c->last_oere);
        if (v == NG_NOTATION_REREAD)
            assert_int_equal(mark, c->reread_as);
    }
}

static void test_column_notation_messages(void **state)
{
    (void)state;
    ng_notation n;
    memset(&n, 0, sizeof n);
    int64_t oere;
    char buf[640];
    ng_amount_in_column(&n, "1936.600", NG_DECIMAL_AUTO, NG_SCALE_TKR, 7, &oere, NULL);
    ng_notation_explain(&n, NG_NOTATION_AMBIGUOUS, "Beløb", buf, sizeof buf);
    assert_string_equal(buf, "beløbene i kolonnen 'Beløb' kan læses på to måder: '1936.600' (linje "
                             "7) kan være 1.936.600 eller 1.936,6, og ingen anden værdi i kolonnen "
                             "afgør det; angiv decimaltegn = komma eller decimaltegn = punktum");
    ng_amount_in_column(&n, "1.234,5", NG_DECIMAL_AUTO, NG_SCALE_KR, 9, &oere, NULL);
    ng_amount_in_column(&n, "0.25", NG_DECIMAL_AUTO, NG_SCALE_KR, 11, &oere, NULL);
    ng_notation_explain(&n, NG_NOTATION_MIXED, "Beløb", buf, sizeof buf);
    assert_non_null(strstr(buf, "både decimalkomma ('1.234,5', linje 9) og decimalpunktum "
                                "('0.25', linje 11), så '1936.600' (linje 7)"));
    /* an explicit notation learns nothing */
    memset(&n, 0, sizeof n);
    assert_int_equal(
        ng_amount_in_column(&n, "1.150", NG_DECIMAL_POINT, NG_SCALE_KR, 2, &oere, NULL), NG_OK);
    assert_int_equal(oere, 115);
    assert_int_equal(n.nambiguous, 0);
    /* a value decided the other way is not a number of that notation */
    memset(&n, 0, sizeof n);
    ng_amount_in_column(&n, "1.234,5", NG_DECIMAL_AUTO, NG_SCALE_KR, 2, &oere, NULL);
    assert_int_equal(
        ng_amount_in_column(&n, "1936.600", NG_DECIMAL_AUTO, NG_SCALE_KR, 3, &oere, NULL),
        NG_ERR_INPUT);
}

static void test_parse_amount(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof amount_cases / sizeof *amount_cases; i++) {
        const amount_case *c = &amount_cases[i];
        int64_t v = 0;
        const char *why = NULL;
        ng_status st = ng_parse_amount(c->text, c->mark, c->scale, &v, &why);
        if (c->oere == INT64_MIN) {
            if (st == NG_OK)
                fail_msg("'%s' parsed as %lld but must fail", c->text, (long long)v);
            assert_non_null(why);
        } else {
            if (st != NG_OK)
                fail_msg("'%s' did not parse: %s", c->text, why);
            if (v != c->oere)
                fail_msg("'%s' gave %lld, expected %lld", c->text, (long long)v,
                         (long long)c->oere);
        }
    }
}

/* An amount in the usual shape is read by a quick pass (dk.c,
 * quick_decimal); one with a leading space never is, and a leading space
 * changes nothing else: both readings of random strings of digits,
 * separators and signs must give the same status, value and reason. */
static void test_parse_amount_quick(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789012345678901234567890123456789.,.,-+ ";
    static const char *const typical[] = {"385.592,86",     "-1.234,5", "12",      "0,00",
                                          "999.999.999,99", "1.150",    "1234,56", "123,",
                                          "1.2345",         "12.34.567"};
    static const ng_decimal_mark marks[] = {NG_DECIMAL_COMMA, NG_DECIMAL_POINT};
    static const ng_scale scales[] = {NG_SCALE_KR, NG_SCALE_TKR, NG_SCALE_MIO};
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    long checked = 0, usual = 0;
    for (int i = 0; i < 200000; i++) {
        char text[32], spaced[40];
        if (i < (int)(sizeof typical / sizeof *typical)) {
            snprintf(text, sizeof text, "%s", typical[i]);
        } else {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            size_t len = seed % 24;
            for (size_t k = 0; k < len; k++) {
                seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
                text[k] = alphabet[seed % (sizeof alphabet - 1)];
            }
            text[len] = '\0';
        }
        snprintf(spaced, sizeof spaced, " %s", text);
        for (size_t m = 0; m < 2; m++)
            for (size_t sc = 0; sc < 3; sc++) {
                int64_t a = 0, b = 0;
                const char *why_a = NULL, *why_b = NULL;
                ng_status sa = ng_parse_amount(text, marks[m], scales[sc], &a, &why_a);
                ng_status sb = ng_parse_amount(spaced, marks[m], scales[sc], &b, &why_b);
                int64_t u = 0;
                if (ng_parse_amount_usual(text, strlen(text), marks[m], scales[sc], &u)) {
                    if (sa != NG_OK || u != a)
                        fail_msg("'%s' usual: %lld against %d %lld", text, (long long)u, (int)sa,
                                 (long long)a);
                    usual++;
                }
                if (sa != sb || (sa == NG_OK && a != b) ||
                    (sa != NG_OK && (!why_a || !why_b || strcmp(why_a, why_b))))
                    fail_msg("'%s' (mark %d, scale %d): %d %lld '%s' against %d %lld '%s'", text,
                             (int)marks[m], (int)scales[sc], (int)sa, (long long)a,
                             why_a ? why_a : "", (int)sb, (long long)b, why_b ? why_b : "");
                checked++;
            }
    }
    assert_int_equal(checked, 200000 * 6);
    assert_true(usual > 10000); /* the usual reading was tried and taken */
    int64_t u;
    assert_false(ng_parse_amount_usual("1,5", 3, NG_DECIMAL_AUTO, NG_SCALE_KR, &u));
    assert_true(ng_parse_amount_usual("1,5;", 3, NG_DECIMAL_COMMA, NG_SCALE_KR, &u));
    assert_int_equal(u, 150);
    int64_t v;
    assert_int_equal(ng_parse_amount("385.592,86", NG_DECIMAL_COMMA, NG_SCALE_KR, &v, NULL), NG_OK);
    assert_int_equal(v, 38559286);
}

/* ng_parse_date_usual gives ng_parse_date's reading of the same text or
 * nothing, on random strings of digits, separators and spaces. */
static void test_parse_date_usual(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789012345678901234567890123456789-./ \t";
    static const char *const typical[] = {"31-10-2025", "2025-10-31", "31.10.2025", "29-02-2024",
                                          "29-02-2025", "31/12/1999", "1-1-2025",   " 31-10-2025"};
    uint64_t seed = 0x2545F4914F6CDD1DULL;
    long usual = 0;
    for (int i = 0; i < 300000; i++) {
        char text[16];
        size_t len;
        if (i < (int)(sizeof typical / sizeof *typical)) {
            len = strlen(typical[i]);
            memcpy(text, typical[i], len + 1);
        } else {
            /* a date's shape (day first or year first, a random day and
             * month), then 0-2 bytes changed and maybe a byte more or less */
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            int d = (int)(seed % 32), m = (int)(seed / 32 % 14), y = 1890 + (int)(seed / 448 % 220);
            char sep = "-./"[seed / 98560 % 3];
            if (seed & (1ULL << 40))
                snprintf(text, sizeof text, "%02d%c%02d%c%04d", d, sep, m, sep, y);
            else
                snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
            len = strlen(text);
            for (int c = (int)(seed >> 41) % 3; c > 0; c--) {
                seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
                text[seed % len] = alphabet[seed / 16 % (sizeof alphabet - 1)];
            }
            if ((seed >> 50) % 7 == 0)
                len--;
            else if ((seed >> 50) % 7 == 1)
                text[len++] = alphabet[(seed >> 53) % (sizeof alphabet - 1)];
            text[len] = '\0';
        }
        ng_date a = {0}, b = {0};
        ng_status sa = ng_parse_date(text, &a, NULL);
        if (ng_parse_date_usual(text, len, &b)) {
            if (sa != NG_OK || a.y != b.y || a.m != b.m || a.d != b.d)
                fail_msg("'%s' usual: %d-%d-%d against %d", text, b.y, b.m, b.d, (int)sa);
            usual++;
        }
    }
    assert_true(usual > 1000);
}

static void test_parse_date(void **state)
{
    (void)state;
    ng_date d;
    assert_int_equal(ng_parse_date("2025-10-31", &d, NULL), NG_OK);
    assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20251031);
    assert_int_equal(ng_parse_date("31-10-2025", &d, NULL), NG_OK);
    assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20251031);
    assert_int_equal(ng_parse_date("31.10.2025", &d, NULL), NG_OK);
    assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20251031);
    assert_int_equal(ng_parse_date("29-02-2024", &d, NULL), NG_OK);
    assert_int_equal(ng_parse_date("29-02-2025", &d, NULL), NG_ERR_INPUT);
    assert_int_equal(ng_parse_date("31-04-2025", &d, NULL), NG_ERR_INPUT);
    assert_int_equal(ng_parse_date("2025-13-01", &d, NULL), NG_ERR_INPUT);
    assert_int_equal(ng_parse_date("2025/10/31", &d, NULL), NG_ERR_INPUT);
    assert_int_equal(ng_parse_date("", &d, NULL), NG_ERR_INPUT);
    assert_true(ng_date_from_filename("/x/sager_2025-10-31.csv", &d));
    assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20251031);
    assert_true(ng_date_from_filename("udtraek20250930.csv", &d));
    assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20250930);
    assert_false(ng_date_from_filename("sager.csv", &d));
    /* day numbers round-trip */
    ng_date a = {2026, 11, 22};
    ng_date b = ng_date_from_days(ng_date_to_days(a));
    assert_int_equal(ng_date_cmp(a, b), 0);
    assert_int_equal(ng_date_to_days((ng_date){1970, 1, 1}), 0);
    ng_date e = ng_date_from_epoch(1700000000LL); /* 2023-11-14 */
    assert_int_equal(e.y * 10000 + e.m * 100 + e.d, 20231114);
}

static void test_format(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(ng_fmt_kr(buf, sizeof buf, 1234567.4), "1.234.567");
    assert_string_equal(ng_fmt_kr(buf, sizeof buf, -0.4), "0");
    assert_string_equal(ng_fmt_mio(buf, sizeof buf, 278600000), "278,6");
    assert_string_equal(ng_fmt_mio(buf, sizeof buf, 35750000), "35,8");
    assert_string_equal(ng_fmt_mio(buf, sizeof buf, 26650000), "26,7");
    assert_string_equal(ng_fmt_mio(buf, sizeof buf, -3950000), "-4,0");
    assert_string_equal(ng_fmt_tkr(buf, sizeof buf, -1150000), "-1.150");
    assert_string_equal(ng_fmt_pct(buf, sizeof buf, 0.468, 0), "47 %");
    assert_string_equal(ng_fmt_pct(buf, sizeof buf, 0.296, 0), "30 %");
    assert_string_equal(ng_fmt_dec(buf, sizeof buf, 1234.5, 2), "1.234,50");
    assert_string_equal(ng_fmt_dec(buf, sizeof buf, 999.95, 1), "1.000,0");
    assert_string_equal(ng_fmt_int(buf, sizeof buf, 1000000000), "1.000.000.000");
    assert_string_equal(ng_fmt_date_long(buf, sizeof buf, (ng_date){2026, 11, 22}),
                        "22. november 2026");
    assert_string_equal(ng_fmt_date_short(buf, sizeof buf, (ng_date){2026, 11, 2}), "02-11-2026");
    assert_string_equal(ng_month_name(5), "maj");
    assert_null(ng_month_name(13));
}

static void test_cpr(void **state)
{
    (void)state;
    assert_true(ng_is_cpr_loose("0101901234", 10));
    assert_true(ng_is_cpr_loose("010190-1234", 11));
    assert_false(ng_is_cpr_loose("01019012345", 11));
    assert_true(ng_is_cpr_strict("311299-1234", 11));
    assert_false(ng_is_cpr_strict("3213991234", 10)); /* day 32, month 13 */
    assert_true(ng_is_cpr_loose("3213991234", 10));
    size_t pos, n;
    const char *text = "sag S1 cpr 010190-1234 beløb 12345678901 og 2902001234";
    assert_true(ng_find_cpr(text, strlen(text), true, &pos, &n));
    assert_int_equal(pos, 11);
    assert_int_equal(n, 11);
    char *masked = ng_mask_cpr(text);
    assert_string_equal(masked, "sag S1 cpr XXXXXX-XXXX beløb 12345678901 og XXXXXX-XXXX");
    free(masked);
    masked = ng_mask_cpr("0101901234");
    assert_string_equal(masked, "XXXXXX-XXXX");
    free(masked);
}

static void test_text(void **state)
{
    (void)state;
    const char cp[] = "\xe6\xf8\xe5 \xc6\xd8\xc5 \x80 \x96";
    char out[64];
    size_t n = ng_cp1252_to_utf8(cp, strlen(cp), out);
    assert_string_equal(out, "æøå ÆØÅ € –");
    assert_int_equal(n, strlen("æøå ÆØÅ € –"));
    assert_true(ng_utf8_valid(out, n));
    assert_false(ng_utf8_valid(cp, strlen(cp)));
    assert_false(ng_utf8_valid("\xc3", 1));
    assert_false(ng_utf8_valid("\xc0\xaf", 2)); /* overlong */
    char folded[] = "ÆLDRE Børn";
    ng_fold_case(folded);
    assert_string_equal(folded, "ældre børn");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_amount),
        cmocka_unit_test(test_parse_amount_quick),
        cmocka_unit_test(test_parse_date_usual),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_cpr),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_column_notation),
        cmocka_unit_test(test_column_notation_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
