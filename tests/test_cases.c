/* test_cases.c -- the case store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "notatgen/ingest.h"

static void test_store(void **state)
{
    (void)state;
    ng_cases *c = ng_cases_new();
    char key[32];
    /* enough cases to force the index to grow several times */
    for (int i = 5000; i > 0; i--) {
        snprintf(key, sizeof key, "S%05d", i);
        ng_sag *s = ng_cases_get_or_add(c, key);
        assert_non_null(s);
        ng_sag_year *y = ng_sag_year_get_or_add(s, 2025);
        y->m12[0] += 12 * 100; /* a dated line of 1 kr. in January */
        for (int m = 0; m < 12; m++)
            y->m12[m] += 1200; /* a yearly line of 12 kr. */
        ng_sag_year_get_or_add(s, 2024)->m12[3] = 12 * i;
    }
    assert_int_equal(ng_cases_count(c), 5000);
    assert_ptr_equal(ng_cases_get_or_add(c, "S00042"), ng_cases_find(c, "S00042"));
    assert_int_equal(ng_cases_count(c), 5000);
    ng_cases_finish(c);
    assert_string_equal(ng_cases_at(c, 0)->sag_id, "S00001");
    assert_string_equal(ng_cases_at(c, 4999)->sag_id, "S05000");
    const ng_sag *s = ng_cases_find(c, "S01234");
    assert_non_null(s);
    assert_int_equal(s->nyears, 2);
    assert_int_equal(s->years[0].aar, 2024);
    assert_int_equal(ng_sag_year_spend(s, 2025), 1300);
    assert_int_equal(ng_sag_year_spend(s, 2024), 1234);
    assert_int_equal(ng_sag_year_spend(s, 2023), 0);
    assert_null(ng_cases_find(c, "S99999"));
    assert_string_equal(ng_omraade_key(NG_OMR_BOERN), "boern");
    ng_cases_free(c);
}

/* Keys added in a scrambled order come out sorted, each with its months. */
static void test_sort_scrambled(void **state)
{
    (void)state;
    ng_cases *c = ng_cases_new();
    char key[32];
    enum { N = 20011 }; /* prime: i * 7919 % N visits every i once */
    for (int i = 0; i < N; i++) {
        int k = (int)((long)i * 7919 % N);
        snprintf(key, sizeof key, "K%d", k);
        ng_sag *s = ng_cases_get_or_add(c, key);
        assert_non_null(s);
        ng_sag_year_get_or_add(s, 2025)->m12[0] = k;
        if (k % 97 == 0)
            ng_sag_year_get_or_add(s, 2024)->m12[1] = -k; /* a second year moves the first */
    }
    ng_cases_finish(c);
    assert_int_equal(ng_cases_count(c), N);
    for (size_t i = 1; i < ng_cases_count(c); i++)
        assert_true(strcmp(ng_cases_at(c, i - 1)->sag_id, ng_cases_at(c, i)->sag_id) < 0);
    for (int k = 0; k < N; k += 101) {
        snprintf(key, sizeof key, "K%d", k);
        const ng_sag *s = ng_cases_find(c, key);
        assert_non_null(s);
        assert_string_equal(s->sag_id, key);
        assert_int_equal(ng_sag_year_get(s, 2025)->m12[0], k);
        assert_int_equal(s->nyears, k % 97 == 0 ? 2 : 1);
    }
    assert_null(ng_cases_find(c, "K-1"));
    ng_cases_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_store),
                                       cmocka_unit_test(test_sort_scrambled)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
