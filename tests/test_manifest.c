/*
 * test_manifest.c -- SHA-256, manifest.json, "outputs changed", the log line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notatgen/manifest.h"

static char tmpdir[256];

static void write_file(const char *name, const char *content)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static char *path_of(const char *name)
{
    static char path[4][512];
    static int i;
    i = (i + 1) % 4;
    snprintf(path[i], sizeof path[i], "%s/%s", tmpdir, name);
    return path[i];
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ng_test_manifest_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* FIPS 180-2 test vectors */
static void test_sha256_known(void **state)
{
    (void)state;
    char hex[NG_SHA256_HEX];
    ng_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ng_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ng_sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256_file(void **state)
{
    (void)state;
    char hex[NG_SHA256_HEX];
    long long size = -1;
    ng_diags d;
    ng_diags_init(&d);
    write_file("abc.txt", "abc");
    assert_int_equal(ng_sha256_file(path_of("abc.txt"), hex, &size, &d), NG_OK);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(size, 3);
    /* a file larger than the 64 KiB read block: 200000 x 'a' */
    FILE *f = fopen(path_of("big.bin"), "wb");
    for (int i = 0; i < 200000; i++)
        fputc('a', f);
    fclose(f);
    assert_int_equal(ng_sha256_file(path_of("big.bin"), hex, &size, &d), NG_OK);
    assert_int_equal(size, 200000);
    /* `head -c 200000 /dev/zero | tr '\\0' a | sha256sum` */
    assert_string_equal(hex, "2287d207f24a941ff3b56c04c8a25ad56b63e3023207b3bb5b4ac0c9869d74be");
    assert_int_equal(ng_sha256_file(path_of("missing"), hex, &size, &d), NG_ERR_IO);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.items[0].message, "kan ikke læse"));
    ng_diags_free(&d);
}

static void build(ng_manifest *m, ng_diags *d)
{
    ng_manifest_init(m);
    ng_date dato = {2025, 10, 31};
    assert_int_equal(ng_manifest_set_run(m, "Randers Kommune", dato), NG_OK);
    assert_int_equal(ng_manifest_add_input(m, path_of("udtraek.csv"), "udtraek.csv", d), NG_OK);
    assert_int_equal(ng_manifest_add_output_dir(m, path_of("out"), d), NG_OK);
    ng_threshold_year t = {2025, 930000, 1830000, 2320000, NULL};
    ng_manifest_set_thresholds(m, &t);
    ng_reconciliation rec = {0};
    rec.rows_read = 12345;
    rec.rows_used = 12344;
    rec.rows_rejected = 1;
    rec.oere_read = 100050;
    rec.oere_used = 100000;
    rec.oere_rejected = 50;
    strcpy(rec.encoding_used, "utf-8");
    ng_manifest_set_reconciliation(m, &rec);
    ng_manifest_set_duration(m, 1.5);
}

static void make_outputs(void)
{
    mkdir(path_of("out"), 0700);
    write_file("udtraek.csv", "sag_id;beloeb\n1;100\n");
    write_file("out/data.json", "{}\n");
    write_file("out/bilag.xlsx", "abc");
    write_file("out/manifest.json", "ignored");
    write_file("out/.hidden", "ignored");
}

/* The extract's hash from its reading is taken while the file is the one
 * that was read, and the file is hashed again once it changed. */
static void test_input_hashed_while_read(void **state)
{
    (void)state;
    write_file("sager.csv", "a;b\n1;2\n");
    char *path = path_of("sager.csv");
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    ng_reconciliation rec;
    memset(&rec, 0, sizeof rec);
    rec.has_sha256 = true;
    snprintf(rec.sha256, sizeof rec.sha256, "%064d", 7); /* not the real hash: shows reuse */
    rec.bytes = sb.st_size;
    rec.file_dev = (unsigned long long)sb.st_dev;
    rec.file_ino = (unsigned long long)sb.st_ino;
    rec.file_mtime_sec = (long long)sb.st_mtim.tv_sec;
    rec.file_mtime_nsec = (long long)sb.st_mtim.tv_nsec;
    ng_diags d;
    ng_diags_init(&d);
    ng_manifest m;
    ng_manifest_init(&m);
    assert_int_equal(ng_manifest_add_input_read(&m, path, &rec, &d), NG_OK);
    assert_string_equal(m.inputs[0].sha256, rec.sha256);
    assert_string_equal(m.inputs[0].name, path);
    /* another modification time: another file as far as the manifest knows */
    rec.file_mtime_nsec++;
    assert_int_equal(ng_manifest_add_input_read(&m, path, &rec, &d), NG_OK);
    char want[NG_SHA256_HEX];
    assert_int_equal(ng_sha256_file(path, want, NULL, &d), NG_OK);
    assert_string_equal(m.inputs[1].sha256, want);
    assert_int_equal(ng_manifest_add_input_read(&m, path, NULL, &d), NG_OK);
    assert_string_equal(m.inputs[2].sha256, want);
    ng_manifest_free(&m);
    ng_diags_free(&d);
}

static void test_manifest_write_read(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    make_outputs();
    ng_manifest m;
    unsetenv("SOURCE_DATE_EPOCH");
    build(&m, &d);
    /* sorted by name; manifest.json and dot files left out */
    assert_int_equal(m.noutputs, 2);
    assert_string_equal(m.outputs[0].name, "bilag.xlsx");
    assert_string_equal(m.outputs[1].name, "data.json");
    assert_string_equal(m.outputs[0].sha256,
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(ng_manifest_write(&m, path_of("m1.json"), &d), NG_OK);

    struct stat sb;
    assert_int_equal(stat(path_of("m1.json"), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    json_error_t err;
    json_t *root = json_load_file(path_of("m1.json"), 0, &err);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "version")), NG_VERSION);
    assert_string_equal(json_string_value(json_object_get(root, "dato")), "2025-10-31");
    json_t *in = json_array_get(json_object_get(root, "inputs"), 0);
    assert_string_equal(json_string_value(json_object_get(in, "name")), "udtraek.csv");
    assert_int_equal(json_integer_value(json_object_get(in, "size")), 20);
    json_t *t = json_object_get(root, "taerskler");
    assert_int_equal(json_integer_value(json_object_get(t, "aar")), 2025);
    assert_int_equal(json_integer_value(json_object_get(t, "t3")), 2320000);
    json_t *a = json_object_get(root, "afstemning");
    assert_int_equal(json_integer_value(json_object_get(a, "raekker_laest")), 12345);
    assert_int_equal(json_integer_value(json_object_get(a, "oere_afvist")), 50);
    assert_true(json_real_value(json_object_get(root, "varighed_sekunder")) == 1.5);
    json_decref(root);

    /* SOURCE_DATE_EPOCH keeps the run time out */
    setenv("SOURCE_DATE_EPOCH", "1761868800", 1);
    assert_int_equal(ng_manifest_write(&m, path_of("m2.json"), &d), NG_OK);
    unsetenv("SOURCE_DATE_EPOCH");
    root = json_load_file(path_of("m2.json"), 0, &err);
    assert_non_null(root);
    assert_null(json_object_get(root, "varighed_sekunder"));
    json_decref(root);

    ng_manifest back;
    assert_int_equal(ng_manifest_read(path_of("m1.json"), &back, &d), NG_OK);
    assert_int_equal(back.noutputs, 2);
    assert_string_equal(back.outputs[1].name, "data.json");
    assert_int_equal(back.outputs[1].size, 3);
    assert_string_equal(back.outputs[1].sha256, m.outputs[1].sha256);
    ng_manifest_free(&back);
    ng_manifest_free(&m);
    assert_int_equal(d.errors, 0);
    ng_diags_free(&d);
}

/* The set's identity (saet): the outputs' names and hashes, the dated
 * message left out; written into manifest.json and read back. */
static void test_set_hash(void **state)
{
    (void)state;
    ng_diags d;
    ng_diags_init(&d);
    make_outputs();
    ng_manifest m;
    build(&m, &d);
    ng_manifest_seal(&m);
    char first[NG_SHA256_HEX];
    memcpy(first, m.saet, sizeof first);
    assert_int_equal(strlen(first), 64);
    assert_int_equal(ng_manifest_write(&m, path_of("prev.json"), &d), NG_OK);
    ng_manifest back;
    assert_int_equal(ng_manifest_read(path_of("prev.json"), &back, &d), NG_OK);
    assert_string_equal(back.saet, first);
    assert_true(back.has_dato);
    ng_manifest_free(&back);
    ng_manifest_free(&m);

    /* one byte different in the workbook: another set */
    write_file("out/bilag.xlsx", "abd");
    build(&m, &d);
    ng_manifest_seal(&m);
    assert_string_not_equal(m.saet, first);
    ng_manifest_free(&m);

    /* the same workbook again, but a new output file: another set */
    write_file("out/bilag.xlsx", "abc");
    write_file("out/sde_status.pdf", "%PDF");
    build(&m, &d);
    ng_manifest_seal(&m);
    assert_string_not_equal(m.saet, first);
    ng_manifest_free(&m);

    /* a .eml (dated) does not count */
    unlink(path_of("out/sde_status.pdf"));
    write_file("out/mail.eml", "Date: today");
    build(&m, &d);
    assert_int_equal(m.noutputs, 3);
    ng_manifest_seal(&m);
    assert_string_equal(m.saet, first);
    ng_manifest_free(&m);

    /* a manifest written before sets had a name: its saet from its outputs */
    write_file("old.json", "{\"inputs\": [], \"outputs\": []}");
    assert_int_equal(ng_manifest_read(path_of("old.json"), &back, &d), NG_OK);
    char empty[NG_SHA256_HEX];
    ng_sha256_hex("", 0, empty);
    assert_string_equal(back.saet, empty);
    ng_manifest_free(&back);
    assert_int_equal(d.errors, 0);
    ng_diags_free(&d);
}

static void test_log_line(void **state)
{
    (void)state;
    ng_reconciliation rec = {0};
    rec.rows_read = 12345;
    rec.rows_used = 12344;
    rec.rows_rejected = 1;
    const char *written[] = {"sde_status.pdf", "bilag.xlsx", "data.json"};
    ng_log_facts f = {.kommune = "Randers Kommune",
                      .dato = {2025, 10, 31},
                      .rec = &rec,
                      .sager = 527,
                      .has_refusion = true,
                      .refusion_kr = 123449999.0,
                      .written = written,
                      .nwritten = 3,
                      .mail = "mail sendt",
                      .status = 0};
    char *line = ng_log_line(&f);
    assert_string_equal(line, "notatgen 2025-10-31 Randers Kommune: rækker 12.345 læst, 12.344 "
                              "brugt, 1 afvist; 527 sager; refusion 123,4 mio. kr.; skrevet "
                              "sde_status.pdf, bilag.xlsx, data.json; mail sendt; status 0");
    free(line);

    /* a failed run knows less; a CPR-like value never reaches the log */
    ng_log_facts g = {.kommune = "Test 010190-1234\nKommune", .sager = -1, .status = 1};
    line = ng_log_line(&g);
    assert_string_equal(line, "notatgen Test XXXXXX-XXXX Kommune: status 1");
    free(line);

    ng_log_facts h = {.sager = 1, .mail = "mail ikke sendt: uændret", .status = 0};
    line = ng_log_line(&h);
    assert_string_equal(line, "notatgen: 1 sag; mail ikke sendt: uændret; status 0");
    free(line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_known),
        cmocka_unit_test_setup_teardown(test_sha256_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input_hashed_while_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_write_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_hash, setup, teardown),
        cmocka_unit_test(test_log_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
