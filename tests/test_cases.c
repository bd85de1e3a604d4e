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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_store)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
