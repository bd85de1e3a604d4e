/* test_publish.c -- lock, staging and atomic publication: RENAME_EXCHANGE,
 * the link layout where the file system lacks it (forced through the test
 * hook, tests/fault_inject.c), latest only forward, refusals that publish
 * nothing, and tidying what killed runs left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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

/* publish_one OUT DATE TEXT: a set whose data.json says TEXT. */
static ng_status publish_one(const char *out, ng_date date, const char *text, ng_diags *d)
{
    ng_stage s;
    ng_status st = ng_stage_open(out, date, &s, d);
    if (st == NG_OK) {
        char *f = ng_stage_path(&s, "data.json");
        write_file(f, text);
        free(f);
        st = ng_stage_publish(&s, d);
        if (st != NG_OK)
            ng_stage_discard(&s);
    }
    ng_stage_free(&s);
    return st;
}

static const char *in(const char *out, const char *name)
{
    static char p[400];
    snprintf(p, sizeof p, "%s/%s/data.json", out, name);
    return read_file(p);
}

static const char *link_of(const char *out, const char *name)
{
    static char target[64];
    char p[400];
    snprintf(p, sizeof p, "%s/%s", out, name);
    ssize_t n = readlink(p, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    return target;
}

/* Entries of out whose names start with '.', but the lock. */
static int hidden_entries(const char *out)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "ls -A %s | grep '^\\.' | grep -vc '^\\.notatgen\\.lock$'", out);
    FILE *f = popen(cmd, "r");
    int n = -1;
    if (f && fscanf(f, "%d", &n) != 1)
        n = -1;
    if (f)
        pclose(f);
    return n;
}

static void test_latest_only_forward(void **state)
{
    (void)state;
    char out[300];
    snprintf(out, sizeof out, "%s/forward", root);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(publish_one(out, (ng_date){2025, 10, 31}, "oct", &d), NG_OK);
    assert_int_equal(publish_one(out, (ng_date){2025, 9, 30}, "sep", &d), NG_OK);
    assert_string_equal(link_of(out, "latest"), "2025-10-31");
    assert_int_equal(publish_one(out, (ng_date){2025, 11, 30}, "nov", &d), NG_OK);
    assert_string_equal(link_of(out, "latest"), "2025-11-30");
    assert_int_equal(publish_one(out, (ng_date){2025, 9, 30}, "sep2", &d), NG_OK);
    assert_string_equal(link_of(out, "latest"), "2025-11-30");
    assert_string_equal(in(out, "2025-09-30"), "sep2");
    assert_int_equal(hidden_entries(out), 0);
    assert_int_equal(d.count, 0);
    ng_diags_free(&d);
}

/* Refused before anything is renamed: the staging folder is the caller's. */
static void test_refusals_publish_nothing(void **state)
{
    (void)state;
    char out[300], p[400];
    snprintf(out, sizeof out, "%s/refuse", root);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(publish_one(out, (ng_date){2025, 10, 31}, "good", &d), NG_OK);
    /* latest a real folder */
    snprintf(p, sizeof p, "%s/latest", out);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(publish_one(out, (ng_date){2025, 10, 31}, "new", &d), NG_ERR_IO);
    assert_non_null(strstr(d.items[d.count - 1].message, "er ikke et symbolsk link"));
    assert_string_equal(in(out, "2025-10-31"), "good");
    rmdir(p);
    /* a date name that is neither a folder nor our link */
    snprintf(p, sizeof p, "%s/2025-11-30", out);
    write_file(p, "a file");
    assert_int_equal(publish_one(out, (ng_date){2025, 11, 30}, "new", &d), NG_ERR_IO);
    assert_string_equal(read_file(p), "a file");
    unlink(p);
    assert_int_equal(symlink("/tmp", p), 0);
    assert_int_equal(publish_one(out, (ng_date){2025, 11, 30}, "new", &d), NG_ERR_IO);
    assert_string_equal(link_of(out, "2025-11-30"), "/tmp");
    unlink(p);
    assert_int_equal(hidden_entries(out), 0);
    ng_diags_free(&d);
}

/* Without RENAME_EXCHANGE (forced by the test hook): the date is a link to
 * a set folder, replaced by one rename; a real folder from before is
 * converted. */
static void test_fallback_by_link(void **state)
{
    (void)state;
    char out[300], p[400];
    snprintf(out, sizeof out, "%s/fallback", root);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(publish_one(out, (ng_date){2025, 10, 31}, "folder", &d), NG_OK);
    setenv("NOTATGEN_FAULT_FLAGS", "no-exchange", 1);
    assert_int_equal(publish_one(out, (ng_date){2025, 11, 30}, "one", &d), NG_OK);
    char first[64];
    snprintf(first, sizeof first, "%s", link_of(out, "2025-11-30"));
    assert_int_equal(strncmp(first, ".2025-11-30.", 12), 0);
    assert_string_equal(in(out, "2025-11-30"), "one");
    assert_string_equal(link_of(out, "latest"), "2025-11-30");
    assert_int_equal(publish_one(out, (ng_date){2025, 11, 30}, "two", &d), NG_OK);
    assert_string_equal(in(out, "2025-11-30"), "two");
    assert_string_not_equal(link_of(out, "2025-11-30"), first);
    snprintf(p, sizeof p, "%s/%s", out, first);
    assert_int_not_equal(access(p, F_OK), 0); /* the old set folder is gone */
    /* the real folder of before becomes a link too */
    assert_int_equal(publish_one(out, (ng_date){2025, 10, 31}, "converted", &d), NG_OK);
    assert_string_equal(in(out, "2025-10-31"), "converted");
    assert_int_equal(strncmp(link_of(out, "2025-10-31"), ".2025-10-31.", 12), 0);
    unsetenv("NOTATGEN_FAULT_FLAGS");
    /* and back on a file system with RENAME_EXCHANGE: the link is replaced */
    assert_int_equal(publish_one(out, (ng_date){2025, 11, 30}, "three", &d), NG_OK);
    assert_string_equal(in(out, "2025-11-30"), "three");
    assert_int_equal(hidden_entries(out), 2); /* the two links' set folders */
    assert_int_equal(ng_output_tidy(out, &d), NG_OK);
    assert_int_equal(hidden_entries(out), 2);
    assert_int_equal(d.errors + d.warnings, 0);
    ng_diags_free(&d);
}

static void test_tidy_leftovers(void **state)
{
    (void)state;
    char out[300], p[400];
    snprintf(out, sizeof out, "%s/tidy", root);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(publish_one(out, (ng_date){2025, 9, 30}, "sep", &d), NG_OK);
    assert_int_equal(publish_one(out, (ng_date){2025, 10, 31}, "oct", &d), NG_OK);
    const char *leftovers[] = {".staging-2025-10-31-4711", ".replaced", ".2025-10-31.99",
                               ".replaced-2025-09-30"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", out, leftovers[i]);
        assert_int_equal(mkdir(p, 0700), 0);
    }
    snprintf(p, sizeof p, "%s/.latest.tmp", out);
    assert_int_equal(symlink("2025-09-30", p), 0);
    /* a run died with the old folder of 2025-10-31 aside and no folder there */
    char from[400], to[400];
    snprintf(from, sizeof from, "%s/2025-10-31", out);
    snprintf(to, sizeof to, "%s/.replaced-2025-10-31", out);
    assert_int_equal(rename(from, to), 0);
    /* and latest pointing backwards */
    snprintf(p, sizeof p, "%s/latest", out);
    unlink(p);
    assert_int_equal(symlink("2025-09-30", p), 0);
    assert_int_equal(ng_output_tidy(out, &d), NG_OK);
    assert_int_equal(hidden_entries(out), 0);
    assert_string_equal(in(out, "2025-10-31"), "oct");
    assert_string_equal(in(out, "2025-09-30"), "sep");
    assert_string_equal(link_of(out, "latest"), "2025-10-31");
    ng_diags_free(&d);
}

/* The first error's message, for the assertions below. */
static const char *first_error(const ng_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == NG_DIAG_ERROR)
            return d->items[i].message;
    return "";
}

static bool exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* Nothing is written through a symbolic link planted in the output folder:
 * the lock, a private output file, the staging and date directories;
 * `latest` is replaced, never followed. */
static void test_planted_links_refused(void **state)
{
    (void)state;
    char out[300], victim[300], lnk[400];
    snprintf(out, sizeof out, "%s/links", root);
    snprintf(victim, sizeof victim, "%s/victim", root);
    assert_int_equal(ng_mkdirs(out, 0700), NG_OK);
    ng_diags d;
    ng_diags_init(&d);

    /* the lock */
    snprintf(lnk, sizeof lnk, "%s/.notatgen.lock", out);
    assert_int_equal(symlink(victim, lnk), 0);
    ng_lock lock;
    assert_int_equal(ng_lock_acquire(lnk, &lock, &d), NG_ERR_IO);
    assert_non_null(strstr(first_error(&d), "låsefilen er et symbolsk link"));
    assert_false(exists(victim));
    unlink(lnk);

    /* a private file (data.json, the rejects file ...) */
    snprintf(lnk, sizeof lnk, "%s/afviste.csv", out);
    assert_int_equal(symlink(victim, lnk), 0);
    assert_int_equal(ng_open_private(lnk, &d), -1);
    assert_false(exists(victim));
    unlink(lnk);
    /* a FIFO would block a run: refused at once */
    assert_int_equal(mkfifo(lnk, 0600), 0);
    assert_int_equal(ng_open_private(lnk, &d), -1);
    assert_non_null(strstr(d.items[d.count - 1].message, "ikke en almindelig fil"));
    unlink(lnk);
    /* a hard link to another file of ours */
    write_file(victim, "uskyldig\n");
    assert_int_equal(link(victim, lnk), 0);
    assert_int_equal(ng_open_private(lnk, &d), -1);
    assert_string_equal(read_file(victim), "uskyldig\n");
    unlink(lnk);
    /* a file of another user (the test runs as root in CI; skip otherwise) */
    if (geteuid() == 0) {
        write_file(lnk, "fremmed\n");
        assert_int_equal(chown(lnk, 65534, 65534), 0);
        assert_int_equal(ng_open_private(lnk, &d), -1);
        assert_non_null(strstr(d.items[d.count - 1].message, "tilhører en anden bruger"));
        assert_string_equal(read_file(lnk), "fremmed\n");
        unlink(lnk);
    }
    /* a plain new file: created 0600 */
    int fd = ng_open_private(lnk, &d);
    assert_true(fd >= 0);
    close(fd);
    struct stat sb;
    assert_int_equal(stat(lnk, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    unlink(lnk);
    unlink(victim);

    /* the staging directory of this process and the date directory */
    ng_date date = {2025, 10, 31};
    ng_stage stage;
    char vdir[300];
    snprintf(vdir, sizeof vdir, "%s/vdir", root);
    assert_int_equal(ng_mkdirs(vdir, 0700), NG_OK);
    static const struct {
        const char *name, *message;
    } planted[] = {{".staging-2025-10-31", "arbejdsmappen er et symbolsk link"},
                   {"2025-10-31", "hverken en mappe eller notatgens eget"}};
    for (size_t i = 0; i < sizeof planted / sizeof *planted; i++) {
        snprintf(lnk, sizeof lnk, "%s/%s", out, planted[i].name);
        assert_int_equal(symlink(vdir, lnk), 0);
        assert_int_equal(ng_stage_open(out, date, &stage, &d), NG_ERR_IO);
        assert_non_null(strstr(d.items[d.count - 1].message, planted[i].message));
        ng_stage_free(&stage);
        unlink(lnk);
    }

    /* latest planted as a link elsewhere: replaced by ours, the target untouched */
    snprintf(lnk, sizeof lnk, "%s/latest", out);
    assert_int_equal(symlink(vdir, lnk), 0);
    assert_int_equal(ng_stage_open(out, date, &stage, &d), NG_OK);
    assert_int_equal(ng_stage_publish(&stage, &d), NG_OK);
    char target[64] = "";
    assert_true(readlink(lnk, target, sizeof target - 1) > 0);
    assert_string_equal(target, "2025-10-31");
    assert_true(exists(vdir));
    ng_stage_free(&stage);
    /* latest as a directory is not ours to replace */
    unlink(lnk);
    assert_int_equal(ng_mkdirs(lnk, 0700), NG_OK);
    assert_int_equal(ng_stage_open(out, date, &stage, &d), NG_OK);
    assert_int_equal(ng_stage_publish(&stage, &d), NG_ERR_IO);
    assert_non_null(strstr(d.items[d.count - 1].message, "er ikke et symbolsk link"));
    ng_stage_discard(&stage);
    ng_stage_free(&stage);
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
        cmocka_unit_test(test_latest_only_forward),
        cmocka_unit_test(test_refusals_publish_nothing),
        cmocka_unit_test(test_fallback_by_link),
        cmocka_unit_test(test_tidy_leftovers),
        cmocka_unit_test(test_path_join),
        cmocka_unit_test(test_planted_links_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
