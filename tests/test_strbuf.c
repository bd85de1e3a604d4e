/* test_strbuf.c -- the growable string: appends, growth, take, oom. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "notatgen/strbuf.h"

static void test_add_forms(void **state)
{
    (void)state;
    ng_strbuf b = {0};
    assert_string_equal(ng_strbuf_str(&b), "");
    ng_strbuf_add(&b, "sag");
    ng_strbuf_addc(&b, ' ');
    ng_strbuf_add_len(&b, "nr. 12345", 5);
    ng_strbuf_addf(&b, ": %d sager, %.1f mio. kr.", 3, 2.5);
    assert_false(b.oom);
    assert_string_equal(b.s, "sag nr. 1: 3 sager, 2.5 mio. kr.");
    assert_int_equal(b.len, strlen("sag nr. 1: 3 sager, 2.5 mio. kr."));
    ng_strbuf_free(&b);
    assert_null(b.s);
    assert_int_equal(b.len, 0);
}

/* 1000 appends of 7 bytes cross many doublings; the text must be intact. */
static void test_growth(void **state)
{
    (void)state;
    ng_strbuf b = {0};
    for (int i = 0; i < 1000; i++)
        ng_strbuf_addf(&b, "%06d,", i);
    assert_int_equal(b.len, 7000);
    assert_true(b.cap > b.len);
    assert_memory_equal(b.s, "000000,000001,", 14);
    assert_string_equal(b.s + 6993, "000999,");
    char *s = ng_strbuf_take(&b);
    assert_non_null(s);
    assert_int_equal(strlen(s), 7000);
    assert_null(b.s);
    assert_int_equal(b.len, 0);
    free(s);
}

/* A formatted append longer than the first allocation at once. */
static void test_addf_long(void **state)
{
    (void)state;
    char big[301];
    memset(big, 'x', 300);
    big[300] = '\0';
    ng_strbuf b = {0};
    ng_strbuf_add(&b, "a");
    ng_strbuf_addf(&b, "[%s]", big);
    assert_int_equal(b.len, 303);
    assert_int_equal(b.s[1], '[');
    assert_int_equal(b.s[302], ']');
    assert_int_equal(b.s[303], '\0');
    ng_strbuf_free(&b);
}

static void test_nul_bytes_and_truncate(void **state)
{
    (void)state;
    ng_strbuf b = {0};
    ng_strbuf_add_len(&b, "ab\0cd", 5);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.s, "ab\0cd", 6);
    ng_strbuf_truncate(&b, 2);
    assert_int_equal(b.len, 2);
    assert_string_equal(b.s, "ab");
    ng_strbuf_truncate(&b, 10); /* longer than the text: nothing */
    assert_int_equal(b.len, 2);
    ng_strbuf_add(&b, "c");
    assert_string_equal(b.s, "abc");
    ng_strbuf_free(&b);
}

static void test_take_empty(void **state)
{
    (void)state;
    ng_strbuf b = {0};
    char *s = ng_strbuf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

/* After oom every add is a no-op and take gives NULL (and frees the text). */
static void test_oom_sticks(void **state)
{
    (void)state;
    ng_strbuf b = {0};
    ng_strbuf_add(&b, "før");
    b.oom = true;
    ng_strbuf_add(&b, "efter");
    ng_strbuf_addc(&b, '!');
    ng_strbuf_addf(&b, "%d", 42);
    assert_int_equal(b.len, strlen("før"));
    assert_string_equal(b.s, "før");
    assert_null(ng_strbuf_take(&b));
    assert_null(b.s);
    assert_false(b.oom);
}

/* A stream larger than one read block, with NUL bytes, appended after
 * existing text; a stream that cannot be read reports false. */
static void test_add_stream(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    const size_t n = 200000;
    for (size_t i = 0; i < n; i++)
        fputc((int)(i % 251), f);
    rewind(f);
    ng_strbuf b = {0};
    ng_strbuf_add(&b, "hdr");
    assert_true(ng_strbuf_add_stream(&b, f));
    fclose(f);
    assert_false(b.oom);
    assert_int_equal(b.len, 3 + n);
    assert_memory_equal(b.s, "hdr", 3);
    assert_int_equal((unsigned char)b.s[3 + 251], 0);
    assert_int_equal((unsigned char)b.s[3 + 250], 250);
    assert_int_equal((unsigned char)b.s[3 + n - 1], (n - 1) % 251);
    assert_int_equal(b.s[3 + n], '\0');
    ng_strbuf_free(&b);

    FILE *w = fopen("/dev/null", "w");
    assert_non_null(w);
    assert_false(ng_strbuf_add_stream(&b, w));
    fclose(w);
    assert_int_equal(b.len, 0);
    ng_strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_forms),  cmocka_unit_test(test_growth),
        cmocka_unit_test(test_addf_long),  cmocka_unit_test(test_nul_bytes_and_truncate),
        cmocka_unit_test(test_take_empty), cmocka_unit_test(test_oom_sticks),
        cmocka_unit_test(test_add_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
