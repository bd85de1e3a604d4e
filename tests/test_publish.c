/* test_publish.c -- lock, staging and atomic publication. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "notatgen/publish.h"

static char root[256];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/ng_test_publish_%ld", (long)getpid());
    ng_remove_tree(root);
    return ng_mkdirs(root, 0700) == NG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ng_remove_tree(root);
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_lock_excludes_second_holder(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/notatgen.lock", root);
    ng_diags d;
    ng_diags_init(&d);
    ng_lock a, b;
    assert_int_equal(ng_lock_acquire(path, &a, &d), NG_OK);
    assert_int_equal(ng_lock_acquire(path, &b, &d), NG_ERR_LOCKED);
    assert_int_equal(d.count, 1);
    char expect[64];
    snprintf(expect, sizeof expect, "pid %ld, startet ", (long)getpid());
    assert_non_null(strstr(d.items[0].message, expect));
    ng_lock_release(&b);
    ng_lock_release(&a);
    /* released: the next run gets it */
    assert_int_equal(ng_lock_acquire(path, &b, &d), NG_OK);
    ng_lock_release(&b);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    ng_diags_free(&d);
}

static void test_publish_replaces_and_links(void **state)
{
    (void)state;
    char out[300], p[400];
    snprintf(out, sizeof out, "%s/out", root);
    ng_diags d;
    ng_diags_init(&d);
    ng_date date = {2025, 10, 31};
    for (int run = 1; run <= 2; run++) {
        ng_stage s;
        assert_int_equal(ng_stage_open(out, date, &s, &d), NG_OK);
        char *f = ng_stage_path(&s, "data.json");
        write_file(f, run == 1 ? "first" : "second");
        free(f);
        assert_int_equal(ng_stage_publish(&s, &d), NG_OK);
        ng_stage_free(&s);
    }
    snprintf(p, sizeof p, "%s/latest/data.json", out);
    assert_string_equal(read_file(p), "second");
    snprintf(p, sizeof p, "%s/2025-10-31/data.json", out);
    assert_string_equal(read_file(p), "second");
    /* a discarded run leaves the published outputs as they were */
    ng_stage s;
    assert_int_equal(ng_stage_open(out, date, &s, &d), NG_OK);
    char *f = ng_stage_path(&s, "data.json");
    write_file(f, "broken");
    free(f);
    ng_stage_discard(&s);
    ng_stage_free(&s);
    assert_string_equal(read_file(p), "second");
    snprintf(p, sizeof p, "%s/.replaced", out);
    assert_int_not_equal(access(p, F_OK), 0);
    struct stat sb;
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(d.count, 0);
    ng_diags_free(&d);
}

static void test_path_join(void **state)
{
    (void)state;
    const char *cases[][3] = {
        {"/var/lib/notatgen", "historik.sqlite", "/var/lib/notatgen/historik.sqlite"},
        {"ud", ".staging", "ud/.staging"},
        {"/", "latest", "/latest"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = ng_path_join(cases[i][0], cases[i][1]);
        assert_non_null(p);
        assert_string_equal(p, cases[i][2]);
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lock_excludes_second_holder),
        cmocka_unit_test(test_publish_replaces_and_links),
        cmocka_unit_test(test_path_join),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
