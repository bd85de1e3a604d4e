/* test_ingest.c -- the cost extract reader: every parser path, the money in
 * twelfths, the reconciliation, the rejects file and a corpus of broken
 * files (tests/data/ingest) with the exact message each must give. */
#include <dirent.h>
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

#include "notatgen/dk.h"
#include "notatgen/ingest.h"
#include "notatgen/manifest.h"
#include "notatgen/status.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct {
    ng_input_file file;
    ng_ingest_options opt;
    char rejects[600]; /* the rejects file's path, when run_init_rejects set it */
    ng_cases *cases;
    ng_reconciliation rec;
    ng_diags diags;
    ng_status st;
} run;

static void run_init(run *r, char delim, ng_encoding enc)
{
    memset(r, 0, sizeof *r);
    r->file.path = "sager.csv";
    r->file.delimiter = delim;
    r->file.encoding = enc;
    r->file.decimal = NG_DECIMAL_AUTO;
    r->file.scale = NG_SCALE_KR;
    r->opt.file = &r->file;
    r->opt.afvis = NG_REJECT_ROW;
    ng_diags_init(&r->diags);
}

/* The invariant every reading must keep, to the row and to the øre. */
static void assert_reconciles(const ng_reconciliation *rec)
{
    assert_int_equal(rec->rows_read, rec->rows_used + rec->rows_rejected);
    assert_int_equal(rec->oere_read, rec->oere_used + rec->oere_rejected);
}

/* The rows a reading read, used and rejected. */
#define assert_rows(r, read, used, rejected)                                                       \
    do {                                                                                           \
        assert_int_equal((r)->rec.rows_read, (read));                                              \
        assert_int_equal((r)->rec.rows_used, (used));                                              \
        assert_int_equal((r)->rec.rows_rejected, (rejected));                                      \
    } while (0)

/* A whole file into memory (NULL when it does not exist). */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Two case stores hold the same cases: keys, attributes, first lines, years
 * and months. */
static void assert_cases_same(const ng_cases *want, const ng_cases *got)
{
    assert_int_equal(ng_cases_count(got), ng_cases_count(want));
    for (size_t i = 0; i < ng_cases_count(want); i++) {
        const ng_sag *a = ng_cases_at(want, i), *b = ng_cases_at(got, i);
        assert_string_equal(b->sag_id, a->sag_id);
        assert_int_equal(b->omraade, a->omraade);
        assert_int_equal(b->foedselsaar, a->foedselsaar);
        assert_int_equal(b->foedselsmaaned, a->foedselsmaaned);
        assert_int_equal(b->foer67, a->foer67);
        assert_int_equal(b->first_line, a->first_line);
        const char *sa[4] = {a->husstand, a->maalgruppe, a->leverandoertype, a->kommune};
        const char *sb[4] = {b->husstand, b->maalgruppe, b->leverandoertype, b->kommune};
        for (int k = 0; k < 4; k++) {
            assert_int_equal(sb[k] != NULL, sa[k] != NULL);
            if (sa[k])
                assert_string_equal(sb[k], sa[k]);
        }
        assert_int_equal(b->nyears, a->nyears);
        for (uint32_t y = 0; y < a->nyears; y++) {
            assert_int_equal(b->years[y].aar, a->years[y].aar);
            assert_memory_equal(b->years[y].m12, a->years[y].m12, sizeof a->years[y].m12);
        }
    }
}

/* Over all readings so far: the parts of split readings, those numbered
 * again and those parsed again (test_split_exercised checks that all three
 * happened). */
static long split_parts_seen, split_renumbered_seen, split_reparsed_seen;

/* Another reading of r's source (data/len, or r->file.path when data is
 * NULL) with the options opt must report exactly what r did: status,
 * diagnostics, reconciliation (the case count included), the rejects file
 * byte for byte and, for a full reading, the cases. */
static void assert_reading_same(const run *r, const char *data, size_t len,
                                const ng_ingest_options *variant)
{
    ng_ingest_options opt = *variant;
    bool full = !opt.validate_only;
    char vrej[600];
    if (r->opt.rejects_path) {
        snprintf(vrej, sizeof vrej, "%s.variant", r->opt.rejects_path);
        opt.rejects_path = vrej;
    }
    ng_cases *cases = full ? ng_cases_new() : NULL;
    ng_reconciliation rec;
    ng_diags d;
    ng_diags_init(&d);
    ng_status st = data ? ng_ingest_extract_mem(&opt, data, len, cases, &rec, &d)
                        : ng_ingest_extract(&opt, cases, &rec, &d);
    assert_int_equal(st, r->st);
    assert_int_equal(r->rec.cases, ng_cases_count(r->cases));
    assert_int_equal(rec.cases, r->rec.cases);
    assert_int_equal(rec.rows_read, r->rec.rows_read);
    assert_int_equal(rec.rows_used, r->rec.rows_used);
    assert_int_equal(rec.rows_rejected, r->rec.rows_rejected);
    assert_int_equal(rec.oere_read, r->rec.oere_read);
    assert_int_equal(rec.oere_used, r->rec.oere_used);
    assert_int_equal(rec.oere_rejected, r->rec.oere_rejected);
    assert_int_equal(rec.attribute_conflicts, r->rec.attribute_conflicts);
    assert_string_equal(rec.encoding_used, r->rec.encoding_used);
    assert_int_equal(rec.had_bom, r->rec.had_bom);
    assert_int_equal(rec.has_sha256, r->rec.has_sha256);
    if (rec.has_sha256) {
        assert_string_equal(rec.sha256, r->rec.sha256);
        assert_int_equal(rec.bytes, r->rec.bytes);
    }
    split_parts_seen += rec.split_parts;
    split_renumbered_seen += rec.split_renumbered;
    split_reparsed_seen += rec.split_reparsed;
    assert_int_equal(d.count, r->diags.count);
    assert_int_equal(d.errors, r->diags.errors);
    assert_int_equal(d.warnings, r->diags.warnings);
    assert_int_equal(d.dropped, r->diags.dropped);
    for (size_t i = 0; i < d.count; i++) {
        char want[2048], got[2048];
        ng_diag_format(&r->diags.items[i], want, sizeof want);
        ng_diag_format(&d.items[i], got, sizeof got);
        assert_string_equal(got, want);
        assert_int_equal(d.items[i].severity, r->diags.items[i].severity);
    }
    ng_diags_free(&d);
    if (full)
        assert_cases_same(r->cases, cases);
    ng_cases_free(cases);
    if (r->opt.rejects_path) {
        size_t want_len = 0, got_len = 0;
        char *want = read_all(r->opt.rejects_path, &want_len);
        char *got = read_all(vrej, &got_len);
        assert_int_equal(got != NULL, want != NULL);
        assert_int_equal(got_len, want_len);
        if (want)
            assert_memory_equal(got, want, want_len);
        free(want);
        free(got);
        unlink(vrej);
    }
}

static void assert_split_same(const run *r, const char *data, size_t len);

/* Every way of reading r's source must report exactly what the full reading
 * r did: the validation mode (`check`), two threads with small blocks (so
 * records cross blocks), and every line through libcsv (no plain-line
 * split); validation mode on two threads as well. */
static void assert_validation_same(const run *r, const char *data, size_t len)
{
    ng_ingest_options v = r->opt;
    v.validate_only = true;
    assert_reading_same(r, data, len, &v);
    v.threads = 2;
    v.read_chunk = 64;
    assert_reading_same(r, data, len, &v);
    v = r->opt;
    v.threads = 2;
    v.read_chunk = 64;
    assert_reading_same(r, data, len, &v);
    v.read_chunk = 0;
    assert_reading_same(r, data, len, &v);
    v = r->opt;
    v.threads = 1;
    v.libcsv_only = true;
    assert_reading_same(r, data, len, &v);
    assert_split_same(r, data, len);
}

/* The split reading (two threads, the file in parts) must report exactly
 * what one thread does. It needs a fixed decimal mark and encoding (under
 * auto the notation and the encoding are learnt in file order and the file
 * is not split), so r's source is read once more on one thread with
 * decimaltegn = komma and the encoding r's reading took when r's are auto,
 * and the split readings, with parts of 64 and 1000 bytes and of the default
 * size, are compared with that. */
static void assert_split_same(const run *r, const char *data, size_t len)
{
    run ref = *r;
    ref.opt.file = &ref.file;
    ref.opt.threads = 1;
    ref.opt.validate_only = false;
    if (ref.file.decimal == NG_DECIMAL_AUTO)
        ref.file.decimal = NG_DECIMAL_COMMA;
    if (ref.file.encoding == NG_ENC_AUTO) /* the one the auto reading took */
        ref.file.encoding =
            strcmp(r->rec.encoding_used, "windows-1252") ? NG_ENC_UTF8 : NG_ENC_CP1252;
    char rej[600];
    if (r->opt.rejects_path) {
        snprintf(rej, sizeof rej, "%s.ref", r->opt.rejects_path);
        ref.opt.rejects_path = rej;
    }
    ref.cases = ng_cases_new();
    assert_non_null(ref.cases);
    ng_diags_init(&ref.diags);
    ref.st = data ? ng_ingest_extract_mem(&ref.opt, data, len, ref.cases, &ref.rec, &ref.diags)
                  : ng_ingest_extract(&ref.opt, ref.cases, &ref.rec, &ref.diags);
    assert_int_equal(ref.rec.split_parts, 0);
    static const size_t part[] = {64, 1000, 0};
    for (size_t i = 0; i < sizeof part / sizeof *part; i++) {
        ng_ingest_options v = ref.opt;
        v.threads = 2;
        v.read_chunk = part[i];
        assert_reading_same(&ref, data, len, &v);
        v.validate_only = true;
        assert_reading_same(&ref, data, len, &v);
    }
    /* with the decimal mark fixed, plain rows are read quickly (quick_row);
     * libcsv_only reads every row in full */
    ng_ingest_options v = ref.opt;
    v.libcsv_only = true;
    assert_reading_same(&ref, data, len, &v);
    ng_cases_free(ref.cases);
    ng_diags_free(&ref.diags);
    if (r->opt.rejects_path)
        unlink(rej);
}

static void run_mem(run *r, const char *data, size_t len)
{
    r->cases = ng_cases_new();
    assert_non_null(r->cases);
    r->st = ng_ingest_extract_mem(&r->opt, data, len, r->cases, &r->rec, &r->diags);
    assert_reconciles(&r->rec);
    assert_validation_same(r, data, len);
}

static void run_str(run *r, const char *data)
{
    run_mem(r, data, strlen(data));
}

static void run_free(run *r)
{
    ng_cases_free(r->cases);
    ng_diags_free(&r->diags);
}

/* "LINE:COL: message" of the i-th diagnostic (the file name left out). */
static const char *diag_text(const run *r, size_t i)
{
    static char buf[2048];
    assert_true(i < r->diags.count);
    const ng_diag *d = &r->diags.items[i];
    snprintf(buf, sizeof buf, "%ld:%ld: %s%s", d->line, d->column,
             d->severity == NG_DIAG_WARNING ? "advarsel: " : "", d->message);
    return buf;
}

static const ng_sag *sag(const run *r, const char *id)
{
    const ng_sag *s = ng_cases_find(r->cases, id);
    assert_non_null(s);
    return s;
}

static const int64_t *months(const run *r, const char *id, int aar)
{
    const ng_sag_year *y = ng_sag_year_get(sag(r, id), aar);
    assert_non_null(y);
    return y->m12;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static char tmpdir[256];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_ingest_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* run_init (';', auto) with the rejects file tmpdir/NAME. */
static void run_init_rejects(run *r, const char *name)
{
    run_init(r, ';', NG_ENC_AUTO);
    snprintf(r->rejects, sizeof r->rejects, "%s/%s", tmpdir, name);
    r->opt.rejects_path = r->rejects;
}

#define HDR "sag_id;aar;maaned;beloeb;omraade;foedselsaar\n"
#define HDR_LEV "sag_id;aar;maaned;beloeb;omraade;foedselsaar;leverandoertype\n"

/* ---- delimiters, encodings, line ends, quoting ----------------------------- */

static void test_semicolon_basic(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, HDR "S1;2025;3;1.000;voksen;1961\n"
                    "S2;2025;;120.000;boern;2012\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.diags.count, 0);
    assert_int_equal(r.rec.rows_read, 2);
    assert_int_equal(r.rec.rows_used, 2);
    assert_int_equal(r.rec.oere_read, 12100000);
    assert_int_equal(ng_cases_count(r.cases), 2);
    assert_int_equal(months(&r, "S1", 2025)[2], 12 * 100000);
    assert_int_equal(months(&r, "S1", 2025)[3], 0);
    assert_int_equal(months(&r, "S2", 2025)[0], 12000000);
    assert_int_equal(months(&r, "S2", 2025)[11], 12000000);
    assert_int_equal(sag(&r, "S2")->omraade, NG_OMR_BOERN);
    assert_int_equal(sag(&r, "S2")->foedselsaar, 2012);
    assert_int_equal(sag(&r, "S1")->first_line, 2);
    assert_string_equal(r.rec.encoding_used, "utf-8");
    assert_false(r.rec.had_bom);
    run_free(&r);
}

static void test_comma_and_tab(void **state)
{
    (void)state;
    run r;
    run_init(&r, ',', NG_ENC_AUTO);
    run_str(&r, "sag_id,aar,maaned,beloeb,omraade,foedselsaar\n"
                "S1,2025,1,\"1.234,50\",voksen,1961\n"
                "S1,2025,2,1234.5,voksen,1961\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(months(&r, "S1", 2025)[0], 12 * 123450);
    assert_int_equal(months(&r, "S1", 2025)[1], 12 * 123450);
    run_free(&r);

    run_init(&r, '\t', NG_ENC_AUTO);
    run_str(&r, "sag_id\taar\tmaaned\tbeloeb\tomraade\tfoedselsaar\n"
                "S1\t2025\t\t 600 \tvoksen\t1961\n"
                "S2\t2025\t4\t-5\taeldre\t1940\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_used, 2);
    assert_int_equal(months(&r, "S1", 2025)[5], 60000);
    assert_int_equal(months(&r, "S2", 2025)[3], 12 * -500);
    assert_int_equal(sag(&r, "S2")->omraade, NG_OMR_AELDRE);
    run_free(&r);
}

static void test_utf8_bom_and_plain(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "\xEF\xBB\xBF" HDR "S1;2025;1;100;Børn;2012\n");
    assert_int_equal(r.st, NG_OK);
    assert_true(r.rec.had_bom);
    assert_string_equal(r.rec.encoding_used, "utf-8");
    assert_int_equal(sag(&r, "S1")->omraade, NG_OMR_BOERN);
    run_free(&r);

    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "sag_id;aar;beloeb;omraade;foedselsaar;maalgruppe\n"
                "S1;2025;100;ældre;1950;udviklingshæmning\n");
    assert_int_equal(r.st, NG_OK);
    assert_false(r.rec.had_bom);
    assert_string_equal(r.rec.encoding_used, "utf-8");
    assert_int_equal(sag(&r, "S1")->omraade, NG_OMR_AELDRE);
    assert_string_equal(sag(&r, "S1")->maalgruppe, "udviklingshæmning");
    run_free(&r);
}

static void test_cp1252(void **state)
{
    (void)state;
    const char data[] = "sag_id;aar;beloeb;omraade;foedselsaar;maalgruppe\n"
                        "S1;2025;100;b\xF8rn;2012;udviklingsh\xE6mning\n"
                        "S2;2025;100;\xC6LDRE;1940;\xE5ndssvag \x80\n";
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, data);
    assert_int_equal(r.st, NG_OK);
    assert_string_equal(r.rec.encoding_used, "windows-1252");
    assert_int_equal(sag(&r, "S1")->omraade, NG_OMR_BOERN);
    assert_string_equal(sag(&r, "S1")->maalgruppe, "udviklingshæmning");
    assert_int_equal(sag(&r, "S2")->omraade, NG_OMR_AELDRE);
    assert_string_equal(sag(&r, "S2")->maalgruppe, "åndssvag €");
    run_free(&r);

    /* the same bytes with tegnsaet = windows-1252 */
    run_init(&r, ';', NG_ENC_CP1252);
    run_str(&r, data);
    assert_int_equal(r.st, NG_OK);
    assert_string_equal(sag(&r, "S2")->maalgruppe, "åndssvag €");
    run_free(&r);
}

/* An extract of HDR and ASCII rows up to at least min_bytes, then between
 * (inserted after the first ASCII row, when not NULL) and tail; *rows: the
 * ASCII rows. The caller frees. */
static char *ascii_extract(size_t min_bytes, const char *between, const char *tail, size_t *len,
                           int *rows)
{
    size_t cap = min_bytes + 4096, n = 0;
    char *data = malloc(cap);
    assert_non_null(data);
    n += (size_t)sprintf(data + n, HDR);
    *rows = 0;
    while (n < min_bytes || *rows < 1) {
        n += (size_t)sprintf(data + n, "S%d;2025;1;1;voksen;1961\n", *rows % 100);
        if (++*rows == 1 && between)
            n += (size_t)sprintf(data + n, "%s", between);
    }
    n += (size_t)sprintf(data + n, "%s", tail);
    *len = n;
    return data;
}

/* Under tegnsaet = auto the first byte >= 0x80 decides, however late: 2 MiB
 * of ASCII, then a Windows-1252 row (or a UTF-8 one); nothing rejected, no
 * message. */
static void test_auto_decides_late(void **state)
{
    (void)state;
    static const char *const tails[2] = {"SX;2025;1;1;b\xF8rn;2012\n",
                                         "SX;2025;1;1;b\xC3\xB8rn;2012\n"};
    static const char *const names[2] = {"windows-1252", "utf-8"};
    for (int k = 0; k < 2; k++) {
        size_t n;
        int rows;
        char *data = ascii_extract((2u << 20) + 1000, NULL, tails[k], &n, &rows);
        run r;
        run_init(&r, ';', NG_ENC_AUTO);
        run_mem(&r, data, n);
        assert_int_equal(r.st, NG_OK);
        assert_int_equal(r.rec.rows_read, rows + 1);
        assert_int_equal(r.rec.rows_rejected, 0);
        assert_string_equal(r.rec.encoding_used, names[k]);
        assert_int_equal(sag(&r, "SX")->omraade, NG_OMR_BOERN);
        assert_int_equal(r.diags.count, 0);
        assert_int_equal(months(&r, "S7", 2025)[0], 12 * 100 * (rows / 100 + (7 < rows % 100)));
        run_free(&r);
        free(data);
    }
}

/* One row of a file that is otherwise UTF-8 carries Windows-1252 bytes (the
 * mixed file the tables would read as "udviklingshÃ¦mning" if the file were
 * taken for Windows-1252): both directions -- the UTF-8 first (decided, then
 * contradicted 2 MiB later), and the bad bytes first (then the file's first
 * UTF-8 character proves the mix) -- give one located error naming the first
 * byte that is not UTF-8, and the file is rejected whatever afvis says; the
 * reconciliation holds. */
static void test_auto_mixed_encoding(void **state)
{
    (void)state;
    /* UTF-8 in line 3, the bad byte 2 MiB later */
    size_t n;
    int rows;
    char *data = ascii_extract((2u << 20) + 1000,
                               "SU;2025;1;1;voksen;1961;\n" /* too many fields: rejected */
                               "SV;2025;1;1;voksen;1961\n",
                               "SW;2025;1;5;b\xC3\xB8rn;2012\n"
                               "SX;2025;1;7;voksen;1961\n"
                               "SY;2025;1;9;b\xF8rn;2012\n",
                               &n, &rows);
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_mem(&r, data, n);
    free(data);
    assert_int_equal(r.st, NG_ERR_INPUT);
    assert_int_equal(r.rec.rows_read, rows + 5);
    assert_int_equal(r.rec.rows_rejected, 1);
    assert_int_equal(r.rec.oere_read, 100 * (rows + 1 + 1 + 5 + 7 + 9));
    assert_int_equal(r.diags.errors, 2);
    char want[256];
    snprintf(want, sizeof want,
             "%d:5: blandet tegnsæt: byte 0xF8 er ikke UTF-8, men andre steder er filen UTF-8 "
             "(fx linje %d); gem hele filen i ét tegnsæt",
             rows + 6, rows + 4);
    assert_string_equal(diag_text(&r, 0), "3:7: for mange felter: 7 i stedet for 6");
    assert_string_equal(diag_text(&r, 1), want);
    assert_string_equal(r.rec.encoding_used, "utf-8");
    run_free(&r);

    /* the other way round: three Windows-1252 bytes in line 3, UTF-8 much
     * later; the error names line 3, its column and byte */
    data = ascii_extract((2u << 20) + 1000, "S\xC6;2025;1;1;voksen;1961\n",
                         "SM;2025;1;1;voksen;1961;udviklingsh\xC3\xA6mning\n", &n, &rows);
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.afvis = NG_REJECT_ROW;
    run_mem(&r, data, n);
    free(data);
    assert_int_equal(r.st, NG_ERR_INPUT);
    assert_int_equal(r.rec.rows_read, rows + 2);
    assert_int_equal(r.rec.rows_rejected, 1); /* SM: one field too many */
    snprintf(want, sizeof want,
             "3:1: blandet tegnsæt: byte 0xC6 er ikke UTF-8, men andre steder er filen UTF-8 "
             "(fx linje %d); gem hele filen i ét tegnsæt",
             rows + 3);
    assert_int_equal(r.diags.errors, 2);
    assert_string_equal(diag_text(&r, 0), want);
    run_free(&r);

    /* both in one line; in a column notatgen does not use */
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "sag_id;aar;beloeb;omraade;foedselsaar;tilbud\n"
                "S1;2025;100;voksen;1961;\xC3\x85g\xE5rden\n"
                "S2;2025;100;voksen;1961;x\n");
    assert_int_equal(r.st, NG_ERR_INPUT);
    assert_int_equal(r.rec.rows_used, 2);
    assert_int_equal(r.diags.count, 1);
    assert_string_equal(diag_text(&r, 0),
                        "2:6: blandet tegnsæt: byte 0xE5 er ikke UTF-8, men andre steder er filen "
                        "UTF-8 (fx linje 2); gem hele filen i ét tegnsæt");
    run_free(&r);

    /* a UTF-8 BOM says UTF-8 */
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "\xEF\xBB\xBF" HDR "S1;2025;1;100;b\xF8rn;2012\n");
    assert_int_equal(r.st, NG_ERR_INPUT);
    assert_string_equal(diag_text(&r, 0),
                        "2:5: blandet tegnsæt: byte 0xF8 er ikke UTF-8, men andre steder er filen "
                        "UTF-8 (filen begynder med et UTF-8-BOM); gem hele filen i ét tegnsæt");
    run_free(&r);

    /* a byte that is neither */
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, HDR "S1;2025;1;100;voksen;1961\nS2;2025;1;100;b\xF8rn\x81;2012\n");
    assert_int_equal(r.st, NG_ERR_INPUT);
    /* one message: the row's område is wrong only because of that byte */
    assert_int_equal(r.diags.count, 1);
    assert_int_equal(r.rec.rows_rejected, 1);
    assert_string_equal(diag_text(&r, 0),
                        "3:5: byte 0x81 er hverken UTF-8 eller Windows-1252; gem filen som UTF-8");
    run_free(&r);

    /* tegnsaet = utf-8: the same bad byte is a bad row, the rest is used */
    run_init(&r, ';', NG_ENC_UTF8);
    run_str(&r, HDR "S1;2025;1;100;b\xC3\xB8rn;2012\nS2;2025;1;100;b\xF8rn;2012\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_rejected, 1);
    run_free(&r);
}

/* UTF-16 with or without its byte-order mark is refused at once. */
static void test_utf16_without_bom(void **state)
{
    (void)state;
    static const char le[] = "s\0a\0g\0_\0i\0d\0;\0a\0a\0r\0\r\0\n\0S\0001\0;\0";
    static const char be[] = "\0s\0a\0g\0_\0i\0d\0;\0a\0a\0r\0\r\0\n\0S\0001\0;";
    const char *const files[2] = {le, be};
    size_t lens[2] = {sizeof le - 1, sizeof be - 1};
    for (int k = 0; k < 2; k++) {
        run r;
        run_init(&r, ';', NG_ENC_AUTO);
        run_mem(&r, files[k], lens[k]);
        assert_int_equal(r.st, NG_ERR_INPUT);
        assert_int_equal(r.diags.count, 1);
        assert_string_equal(diag_text(&r, 0),
                            "1:0: filen er gemt som UTF-16; gem den som UTF-8 eller Windows-1252");
        run_free(&r);
    }
}

/* A NUL anywhere in a row -- in a column notatgen does not use too -- makes
 * it a bad row at its column, never a shorter value. */
static void test_nul_anywhere(void **state)
{
    (void)state;
    const char data[] = "sag_id;aar;beloeb;omraade;foedselsaar;cpr\n"
                        "S1;2025;178\0;voksen;1961;x\n"
                        "S2;2025;100;voksen;1961;01\0x\n"
                        "S3;2025;\"1\0\";voksen;1961;\n"
                        "S4;2025;100;voksen;1961;\n";
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_mem(&r, data, sizeof data - 1);
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_rejected, 3);
    assert_int_equal(r.rec.oere_read, 20000); /* no 178 -> 1: a value with a NUL is no value */
    assert_int_equal(r.diags.count, 3);
    assert_string_equal(diag_text(&r, 0), "2:3: feltet i kolonnen 'beloeb' indeholder et NUL-tegn");
    assert_string_equal(diag_text(&r, 1), "3:6: feltet i kolonnen 'cpr' indeholder et NUL-tegn");
    assert_string_equal(diag_text(&r, 2), "4:3: feltet i kolonnen 'beloeb' indeholder et NUL-tegn");
    run_free(&r);
}

static void test_crlf_and_blank_lines(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "\r\nsag_id;aar;maaned;beloeb;omraade;foedselsaar\r\n"
                "S1;2025;1;100;voksen;1961\r\n"
                "\r\n"
                "   \r\n"
                "S1;2025;2;\"200\";voksen;1961\r\n"
                "S1;2025;3;30x;voksen;1961\r\n"
                "S3;2025;5;1\r0;voksen;1961\r\n" /* a stray CR stays inside its field: bad */
                "S3;2025;6;\"2\";voksen\r;1961\n"
                "S2;2025;4;400;voksen;1961");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_read, 6);
    assert_int_equal(r.rec.rows_used, 4);
    assert_int_equal(months(&r, "S1", 2025)[1], 12 * 20000);
    assert_int_equal(months(&r, "S2", 2025)[3], 12 * 40000);
    assert_int_equal(months(&r, "S3", 2025)[5], 12 * 200);
    assert_int_equal(r.diags.count, 2);
    assert_string_equal(diag_text(&r, 0), "7:4: beløbet er ikke et tal: '30x'");
    assert_string_equal(
        diag_text(&r, 1),
        "8:4: feltet i kolonnen 'beloeb' indeholder et styretegn (U+000D, vognretur)");
    run_free(&r);
}

static void test_quoted_fields(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r,
            "sag_id;aar;beloeb;omraade;foedselsaar;tilbud;husstand\n"
            "\"S;1\";2025;\"1.000,00\";voksen;1961;\"Bo \"\"Nord\"\"; afd. 2\nanden linje\";H1\n"
            "S2;2025;100;voksen;1961;\"a\r\nb\";\" H 2 \"\n"
            "S3;2025;x;voksen;1961;;\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_read, 3);
    assert_int_equal(r.rec.rows_used, 2);
    assert_int_equal(months(&r, "S;1", 2025)[0], 100000);
    assert_string_equal(sag(&r, "S;1")->husstand, "H1");
    assert_string_equal(sag(&r, "S2")->husstand, "H 2");
    /* the record of S2 began on line 4, so S3 is on line 6 */
    assert_int_equal(sag(&r, "S2")->first_line, 4);
    assert_string_equal(diag_text(&r, 0), "6:3: beløbet er ikke et tal: 'x'");
    run_free(&r);
}

/* ---- numbers, dates, money --------------------------------------------- */

static void test_amount_forms(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, HDR "A;2025;1;1.234.567,89;voksen;1961\n"
                    "B;2025;1;1234567.89;voksen;1961\n"
                    "C;2025;1;-1.150;voksen;1961\n"
                    "D;2025;1;1234,5;voksen;1961\n"
                    "E;2025;1;\" 42 \";voksen;1961\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(months(&r, "A", 2025)[0], 12 * INT64_C(123456789));
    assert_int_equal(months(&r, "B", 2025)[0], 12 * INT64_C(123456789));
    assert_int_equal(months(&r, "C", 2025)[0], 12 * -115000);
    assert_int_equal(months(&r, "D", 2025)[0], 12 * 123450);
    assert_int_equal(months(&r, "E", 2025)[0], 12 * 4200);
    assert_int_equal(r.rec.oere_read, INT64_C(123456789) * 2 - 115000 + 123450 + 4200);
    run_free(&r);

    /* enhed = tkr and mio, decimaltegn = komma */
    run_init(&r, ';', NG_ENC_AUTO);
    r.file.scale = NG_SCALE_TKR;
    r.file.decimal = NG_DECIMAL_COMMA;
    run_str(&r, HDR "A;2025;;1.150;voksen;1961\nB;2025;;2,5;voksen;1961\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(ng_sag_year_spend(sag(&r, "A"), 2025), INT64_C(115000000));
    assert_int_equal(ng_sag_year_spend(sag(&r, "B"), 2025), INT64_C(250000));
    run_free(&r);

    run_init(&r, ';', NG_ENC_AUTO);
    r.file.scale = NG_SCALE_MIO;
    run_str(&r, HDR "A;2025;;2,4;voksen;1961\n");
    assert_int_equal(ng_sag_year_spend(sag(&r, "A"), 2025), INT64_C(240000000));
    assert_int_equal(months(&r, "A", 2025)[6], INT64_C(240000000));
    run_free(&r);
}

static void test_date_forms(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "sag_id;dato;beloeb;omraade;foedselsaar\n"
                "S1;2025-10-31;100;voksen;1961\n"
                "S1;31-10-2025;10;voksen;1961\n"
                "S1;01.02.2024;1;voksen;1961\n"
                "S1;;5;voksen;1961\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_used, 3);
    assert_int_equal(months(&r, "S1", 2025)[9], 12 * 11000);
    assert_int_equal(months(&r, "S1", 2024)[1], 12 * 100);
    assert_string_equal(diag_text(&r, 0),
                        "5:2: datoen mangler, og der er ingen kolonne med året: ''");
    run_free(&r);

    /* aar, maaned and dato together must agree */
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "sag_id;aar;maaned;dato;beloeb;omraade;foedselsaar;foedselsdato\n"
                "S1;2025;3;2025-03-15;100;voksen;1961;1961-07-04\n"
                "S1;2025;;2024-03-15;100;voksen;1961;\n"
                "S1;2025;4;2025-03-15;100;voksen;1961;\n"
                "S1;;;2025-05-01;100;voksen;1961;\n"
                "S2;2025;;;100;voksen;1960;1961-07-04\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_used, 2);
    assert_int_equal(months(&r, "S1", 2025)[2], 12 * 10000);
    assert_int_equal(months(&r, "S1", 2025)[4], 12 * 10000);
    assert_int_equal(sag(&r, "S1")->foedselsmaaned, 7);
    assert_int_equal(r.diags.count, 3);
    assert_string_equal(diag_text(&r, 0), "3:4: datoen ligger ikke i året 2025: '2024-03-15'");
    assert_string_equal(diag_text(&r, 1), "4:4: datoen ligger ikke i måned 4: '2025-03-15'");
    assert_string_equal(diag_text(&r, 2),
                        "6:8: fødselsdatoen ligger ikke i fødselsåret 1960: '1961-07-04'");
    run_free(&r);
}

/* Yearly, dated and one-off lines and corrections, checked in twelfths:
 * m12 = 12 x the month's spend in øre. */
static void test_money_in_twelfths(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "sag_id;aar;maaned;beloeb;omraade;foedselsaar;engangsudgift\n"
                "S1;2025;;1.200.000;voksen;1961;\n"     /* 100.000 kr. a month */
                "S1;2025;3;50.000,25;voksen;1961;nej\n" /* March */
                "S1;2025;3;-1.000,50;voksen;1961;\n"    /* a correction in March */
                "S1;2025;5;24.000;voksen;1961;ja\n"     /* one-off: spread */
                "S1;2025;;-0,12;voksen;1961;\n"         /* yearly negative øre */
                "S1;2026;12;7;voksen;1961;\n");
    assert_int_equal(r.st, NG_OK);
    const int64_t *m = months(&r, "S1", 2025);
    int64_t yearly = INT64_C(120000000) + 2400000 - 12;
    for (int i = 0; i < 12; i++) {
        int64_t want = yearly;
        if (i == 2)
            want += 12 * (INT64_C(5000025) - 100050);
        assert_int_equal(m[i], want);
    }
    /* the year's spend: 1.200.000 + 50.000,25 - 1.000,50 + 24.000 - 0,12 kr. */
    assert_int_equal(ng_sag_year_spend(sag(&r, "S1"), 2025), INT64_C(127299963));
    assert_int_equal(months(&r, "S1", 2026)[11], 12 * 700);
    assert_int_equal(r.rec.oere_used, INT64_C(127299963) + 700);
    run_free(&r);
}

/* ---- attributes ------------------------------------------------------------ */

/* A character no one sees inside or around a key (a BOM, a no-break space,
 * a zero-width space or joiner, a direction mark) never makes a phantom
 * case: the row is rejected at its column, naming the character; the case
 * count stays that of the visible keys. The same in a Windows-1252 file (its
 * no-break space is 0xA0). */
static void test_invisible_in_keys(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "sag_id;aar;beloeb;omraade;foedselsaar;husstand;maalgruppe\n"
                "S1;2025;100;voksen;1961;H1;autisme\n"
                "S2;2025;100;voksen;1961;H1;autisme\n"
                "S1\xE2\x80\x8B;2025;100;voksen;1961;H1;autisme\n"
                "\xEF\xBB\xBFS2;2025;100;voksen;1961;H1;autisme\n"
                "S1\xC2\xA0;2025;100;voksen;1961;H1;autisme\n"
                "S2;2025;100;voksen;1961;H\xE2\x80\x8D"
                "1;autisme\n"
                "S1;2025;100;voksen;1961;H1;autisme\xE2\x80\x8E\n"
                "S3;2025;100;b\xC3\xB8rn;2012;H1;autisme\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_read, 8);
    assert_int_equal(r.rec.rows_rejected, 5);
    assert_int_equal(r.rec.cases, 3);
    assert_int_equal(ng_cases_count(r.cases), 3);
    assert_int_equal(r.rec.oere_rejected, 50000);
    assert_int_equal(r.diags.count, 5);
    assert_string_equal(diag_text(&r, 0), "4:1: feltet i kolonnen 'sag_id' indeholder et usynligt "
                                          "tegn (U+200B, nulbredde-mellemrum)");
    assert_string_equal(diag_text(&r, 1), "5:1: feltet i kolonnen 'sag_id' indeholder et usynligt "
                                          "tegn (U+FEFF, byte-rækkefølgemærke (BOM))");
    assert_string_equal(diag_text(&r, 2), "6:1: feltet i kolonnen 'sag_id' indeholder et usynligt "
                                          "tegn (U+00A0, hårdt mellemrum)");
    assert_string_equal(diag_text(&r, 3),
                        "7:6: feltet i kolonnen 'husstand' indeholder et usynligt "
                        "tegn (U+200D, nulbredde-samler)");
    assert_string_equal(diag_text(&r, 4), "8:7: feltet i kolonnen 'maalgruppe' indeholder et "
                                          "usynligt tegn (U+200E, skriveretningstegn)");
    run_free(&r);

    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, HDR "S1;2025;1;100;b\xF8rn;2012\nS1\xA0;2025;1;100;b\xF8rn;2012\n");
    assert_int_equal(r.st, NG_OK);
    assert_string_equal(r.rec.encoding_used, "windows-1252");
    assert_int_equal(r.rec.cases, 1);
    assert_string_equal(diag_text(&r, 0), "3:1: feltet i kolonnen 'sag_id' indeholder et usynligt "
                                          "tegn (U+00A0, hårdt mellemrum)");
    run_free(&r);

    /* a control character on a line of ASCII: DEL and ESC */
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, HDR "S1;2025;1;100;voksen;1961\nS1\x7F;2025;1;100;voksen;1961\n"
                    "S\x1B"
                    "1;2025;1;100;voksen;1961\n");
    assert_int_equal(r.rec.cases, 1);
    assert_string_equal(diag_text(&r, 0),
                        "3:1: feltet i kolonnen 'sag_id' indeholder et styretegn (U+007F)");
    assert_string_equal(diag_text(&r, 1),
                        "4:1: feltet i kolonnen 'sag_id' indeholder et styretegn (U+001B)");
    run_free(&r);
}

static void test_attributes(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "cpr;sag_id;aar;beloeb;omraade;foedselsaar;foer67;husstand;maalgruppe;"
                "leverandoertype;kommune;paragraf\n"
                "0101611234;S1;2025;100;voksen;1961;J;;autisme;Privat;730;§ 107\n"
                "0101611234;S1;2025;100;voksen;1961;;H7;;;730;§ 108\n"
                "0101611234;S1;2025;100;voksen;1962;nej;H8;autisme;REGIONAL;730;\n"
                "0101611234;S1;2025;100;voksen;1963;0;H8;autisme;privat;730;\n"
                "0202101234;S2;2025;100;boern;2010;false;;;kommunal;;\n"
                "0202101234;S2;2025;100;aeldre;2010;TRUE;;;;;\n"
                "0303031234;S3;2025;100;voksen;1958;måske;;;;;\n"
                "0303031234;S4;2025;100;voksen;1958;;;;offentlig;;\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_used, 6);
    const ng_sag *s1 = sag(&r, "S1");
    assert_int_equal(s1->foedselsaar, 1961);
    assert_int_equal(s1->foer67, NG_YES);
    assert_string_equal(s1->husstand, "H7");
    assert_string_equal(s1->maalgruppe, "autisme");
    assert_string_equal(s1->leverandoertype, "privat");
    assert_string_equal(s1->kommune, "730");
    const ng_sag *s2 = sag(&r, "S2");
    assert_int_equal(s2->omraade, NG_OMR_BOERN);
    assert_int_equal(s2->foer67, NG_NO);
    assert_null(s2->husstand);
    assert_null(s2->maalgruppe);
    assert_null(s2->kommune);
    assert_string_equal(s2->leverandoertype, "kommunal");
    assert_int_equal(r.rec.attribute_conflicts, 2);
    const char *want[] = {
        "4:0: advarsel: sag 'S1' har to fødselsår: 1961 (linje 2) og 1962; den første "
        "værdi bruges",
        "4:0: advarsel: sag 'S1' har to værdier for foer67: ja (linje 2) og nej; den første "
        "værdi bruges",
        "4:0: advarsel: sag 'S1' har to husstande: H7 (linje 3) og H8; den første værdi bruges",
        "4:0: advarsel: sag 'S1' har to leverandørtyper: privat (linje 2) og regional; den "
        "første værdi bruges",
        "7:0: advarsel: sag 'S2' har to områder: boern (linje 6) og aeldre; den første værdi "
        "bruges",
        "7:0: advarsel: sag 'S2' har to værdier for foer67: nej (linje 6) og ja; den første "
        "værdi bruges",
        "8:7: foer67 er hverken ja eller nej: 'måske'",
        "9:10: ukendt leverandørtype (kendte: kommunal, regional, privat; se "
        "[leverandoertyper]): 'offentlig'",
    };
    assert_int_equal(r.diags.count, sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_string_equal(diag_text(&r, i), want[i]);
    /* the unmapped CPR column is never stored or shown */
    for (size_t i = 0; i < r.diags.count; i++) {
        assert_null(strstr(r.diags.items[i].message, "0101611234"));
        assert_null(strstr(r.diags.items[i].message, "XXXXXX"));
    }
    run_free(&r);
}

static void test_column_and_omraade_mapping(void **state)
{
    (void)state;
    char *cols[NG_F_COUNT] = {0};
    cols[NG_F_SAG_ID] = "Sagsnr";
    cols[NG_F_BELOEB] = " Beløb (kr.) ";
    cols[NG_F_OMRAADE] = "Fagområde";
    cols[NG_F_FOEDSELSAAR] = "FØDSELSÅR";
    const char *const omr[3][8] = {{"VOK", "Voksen"}, {"BU", "Børn og unge"}, {"ÆLD"}};
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.columns = cols;
    r.opt.omraade_map = omr;
    run_str(&r, "\xEF\xBB\xBF\"sagsnr\";AAR;beløb (KR.);fagområde;Fødselsår;CPR\n"
                "S1;2025;100;vok;1961;0101611234\n"
                "S2;2025;100;børn og unge;2010;0202101234\n"
                "S3;2025;100;æld;1940;0303031234\n"
                "S4;2025;100;boern;2010;0404041234\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(sag(&r, "S1")->omraade, NG_OMR_VOKSEN);
    assert_int_equal(sag(&r, "S2")->omraade, NG_OMR_BOERN);
    assert_int_equal(sag(&r, "S3")->omraade, NG_OMR_AELDRE);
    assert_string_equal(diag_text(&r, 0),
                        "5:4: ukendt område (kendte: vok, voksen, bu, børn og unge, æld): 'boern'");
    run_free(&r);
}

/* [leverandoertyper] maps values onto the three types as [omraader] maps
 * områder; an unmapped value is a bad row at its line and column. */
static void test_leverandoertype_mapping(void **state)
{
    (void)state;
    const char *const lev[3][8] = {
        {NULL}, {"Regional", "Region"}, {"Privat", "Selvejende", "Fond"}};
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.leverandoertype_map = lev;
    r.opt.afvis = NG_REJECT_ROW;
    run_str(&r, HDR_LEV "S1;2025;1;100;voksen;1961;Selvejende\n"
                        "S2;2025;1;100;voksen;1961;FOND\n"
                        "S3;2025;1;100;voksen;1961; region \n"
                        "S4;2025;1;100;voksen;1961;Kommunal\n"
                        "S5;2025;1;100;voksen;1961;privat\n"
                        "S6;2025;1;100;voksen;1961;Udland\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_used, 5);
    assert_int_equal(r.rec.rows_rejected, 1);
    assert_string_equal(sag(&r, "S1")->leverandoertype, "privat");
    assert_string_equal(sag(&r, "S2")->leverandoertype, "privat");
    assert_string_equal(sag(&r, "S3")->leverandoertype, "regional");
    assert_string_equal(sag(&r, "S4")->leverandoertype, "kommunal");
    assert_string_equal(sag(&r, "S5")->leverandoertype, "privat");
    assert_string_equal(diag_text(&r, 0),
                        "7:7: ukendt leverandørtype (kendte: kommunal, regional, region, privat, "
                        "selvejende, fond; se [leverandoertyper]): 'Udland'");
    run_free(&r);
}

/* ---- policies, rejects file -------------------------------------------------- */

static void test_afvis_fil(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.afvis = NG_REJECT_FILE;
    run_str(&r,
            HDR "S1;2025;1;100;voksen;1961\nS2;2025;1;1x;voksen;1961\nS3;2025;1;1;voksen;1961\n");
    assert_int_equal(r.st, NG_ERR_INPUT);
    assert_rows(&r, 3, 2, 1);
    assert_int_equal(r.diags.count, 2);
    assert_string_equal(diag_text(&r, 0), "3:4: beløbet er ikke et tal: '1x'");
    assert_string_equal(diag_text(&r, 1),
                        "0:0: 1 rækker er afvist, og afvis = fil: hele filen afvises (ret "
                        "rækkerne, eller sæt afvis = raekke for at bruge resten)");
    run_free(&r);
}

static void test_rejects_file(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/afviste_sager.csv", tmpdir);
    const char data[] = "\xEF\xBB\xBFsag_id;aar;beloeb;omraade;foedselsaar;tilbud\r\n"
                        "S1;2025;100;voksen;1961;x\r\n"
                        "S2;2025;1x;voksen;1961;\"to\r\nlinjer\"\r\n"
                        "S3;2025;100;voksen;1961;x\r\n"
                        "S4;2025;100;voksen;19x1;x";
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.rejects_path = path;
    run_str(&r, data);
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_rejected, 2);
    assert_int_equal(r.rec.oere_rejected, 10000); /* S4's amount parsed, S2's did not */
    assert_int_equal(r.rec.oere_used, 20000);
    size_t len;
    char *got = slurp(path, &len);
    assert_non_null(got);
    const char want[] = "\xEF\xBB\xBFlinje;sag_id;aar;beloeb;omraade;foedselsaar;tilbud\r\n"
                        "3;S2;2025;1x;voksen;1961;\"to\r\nlinjer\"\r\n"
                        "6;S4;2025;100;voksen;19x1;x\r\n";
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(got, want, len);
    free(got);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    run_free(&r);

    /* a clean run removes the stale rejects file */
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.rejects_path = path;
    run_str(&r, HDR "S1;2025;1;100;voksen;1961\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(access(path, F_OK), -1);
    run_free(&r);
}

/* A kept value that looks like a CPR number (sag_id, husstand, målgruppe,
 * kommune) stops the run whatever afvis says: each such row is rejected with
 * a message naming its line and column and never the value, then one error
 * sums them up. The rejects file masks every CPR-like value, in a column
 * notatgen does not use too, and keeps the line numbers. */
static void test_cpr_stops_the_run(void **state)
{
    (void)state;
    run r;
    run_init_rejects(&r, "afviste_cpr.csv");
    const char *path = r.rejects;
    run_str(&r, "sag_id;aar;beloeb;omraade;foedselsaar;husstand;cpr;note\n"
                "S1;2025;100;voksen;1961;H1;0101611234;ring 010161-1234\n"
                "0101611234;2025;200;voksen;1961;H1;x;\n"
                "S3;2025;300;voksen;1961;P-311299-1234;;\n"
                "S4;2025;4x;voksen;1961;;0101611234;\n"
                "S5;2025;1234567890;voksen;1961;;1234567890;\n");
    assert_int_equal(r.st, NG_ERR_PRIVACY);
    assert_int_equal(r.rec.rows_read, 5);
    assert_int_equal(r.rec.rows_rejected, 3);
    assert_int_equal(r.rec.cases, 2); /* S1 and S5: 1234567890 is no date, no CPR */
    assert_int_equal(r.diags.count, 4);
    assert_string_equal(
        diag_text(&r, 0),
        "3:1: feltet i kolonnen 'sag_id' ligner et CPR-nummer (værdien vises ikke); "
        "et CPR-nummer må ikke stå i en kolonne, som notatgen bruger, så kørslen "
        "stopper");
    assert_string_equal(diag_text(&r, 1),
                        "4:6: feltet i kolonnen 'husstand' ligner et CPR-nummer (værdien vises "
                        "ikke); et CPR-nummer må ikke stå i en kolonne, som notatgen bruger, så "
                        "kørslen stopper");
    assert_string_equal(diag_text(&r, 2), "5:3: beløbet er ikke et tal: '4x'");
    assert_string_equal(diag_text(&r, 3),
                        "0:0: 2 rækker har et CPR-nummer i en kolonne, som notatgen bruger (den "
                        "første i linje 3): kørslen stopper, uanset afvis; giv sagerne pseudonyme "
                        "nøgler");
    size_t len;
    char *got = slurp(path, &len);
    assert_string_equal(got, "linje;sag_id;aar;beloeb;omraade;foedselsaar;husstand;cpr;note\n"
                             "3;XXXXXX-XXXX;2025;200;voksen;1961;H1;x;\n"
                             "4;S3;2025;300;voksen;1961;P-XXXXXX-XXXX;;\n"
                             "5;S4;2025;4x;voksen;1961;;XXXXXX-XXXX;\n");
    free(got);
    run_free(&r);
}

/* The rejects file is never opened through a symbolic link planted where it
 * goes (nor written into a file that is not the run's own), and it is 0600
 * even when an older one was not; its name masks a CPR number in the
 * extract's name. */
static void test_rejects_file_safe(void **state)
{
    (void)state;
    char path[600], target[600];
    snprintf(path, sizeof path, "%s/afviste_link.csv", tmpdir);
    snprintf(target, sizeof target, "%s/other_users_file", tmpdir);
    FILE *f = fopen(target, "w");
    fputs("før\n", f);
    fclose(f);
    assert_int_equal(symlink(target, path), 0);
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.rejects_path = path;
    r.cases = ng_cases_new();
    const char data[] = HDR "S1;2025;1;100;voksen;1961\nS2;2025;1;1x;voksen;1961\n";
    r.st = ng_ingest_extract_mem(&r.opt, data, sizeof data - 1, r.cases, &r.rec, &r.diags);
    assert_int_equal(r.st, NG_ERR_IO);
    assert_int_equal(r.diags.count, 2);
    assert_string_equal(diag_text(&r, 1), "0:0: afvisningsfilen er et symbolsk link; notatgen "
                                          "skriver ikke gennem et link (fjern linket)");
    assert_string_equal(r.diags.items[1].file, path);
    size_t len;
    char *got = slurp(target, &len);
    assert_string_equal(got, "før\n");
    free(got);
    run_free(&r);
    unlink(path);

    /* an older rejects file with wider rights */
    f = fopen(path, "w");
    fputs("gammel\n", f);
    fclose(f);
    chmod(path, 0644);
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.rejects_path = path;
    run_str(&r, HDR "S1;2025;1;100;voksen;1961\nS2;2025;1;1x;voksen;1961\n");
    assert_int_equal(r.st, NG_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    got = slurp(path, &len);
    assert_string_equal(got, "linje;" HDR "3;S2;2025;1;1x;voksen;1961\n");
    free(got);
    run_free(&r);

    char *name = ng_rejects_path("/ud", "/ind/sager_0101611234_2025-10-31.csv");
    assert_string_equal(name, "/ud/afviste_sager_XXXXXX-XXXX_2025-10-31.csv");
    free(name);
}

/* The rejects file keeps the input's own bytes: Windows-1252 stays 1252,
 * and the delimiter is the input's. */
static void test_rejects_keep_encoding(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/afviste_1252.csv", tmpdir);
    run r;
    run_init(&r, '\t', NG_ENC_CP1252);
    r.opt.rejects_path = path;
    run_str(&r, "sag_id\taar\tbeloeb\tomraade\tfoedselsaar\n"
                "S1\t2025\t100\tb\xF8rn\t2012\n"
                "S2\t2025\t100\t\xE6ldre?\t1940\n");
    assert_int_equal(r.st, NG_OK);
    assert_string_equal(
        diag_text(&r, 0),
        "3:4: ukendt område (kendte: voksen, boern, børn, aeldre, ældre): 'ældre?'");
    size_t len;
    char *got = slurp(path, &len);
    assert_non_null(got);
    const char want[] = "linje\tsag_id\taar\tbeloeb\tomraade\tfoedselsaar\n"
                        "3\tS2\t2025\t100\t\xE6ldre?\t1940\n";
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(got, want, len);
    free(got);
    run_free(&r);
}

/* A record whose first field is quoted and runs over lines, across the
 * border of two blocks before any of its fields is complete (found by
 * fuzz_ingest: the record's text was then sought at its old place, and the
 * reading hung or mixed up fields). */
static void test_quoted_first_field_across_blocks(void **state)
{
    (void)state;
    char data[4096];
    int n = snprintf(data, sizeof data,
                     "tilbud;sag_id;aar;maaned;beloeb;omraade;foedselsaar\n"
                     "x;S1;2025;1;100;voksen;1961\n\"Bo");
    for (int i = 0; i < 40; i++)
        n += snprintf(data + n, sizeof data - (size_t)n, "\nlinje %d af tilbuddets navn", i);
    snprintf(data + n, sizeof data - (size_t)n,
             "\";S2;2025;1;200;voksen;1961\n"
             "y;S3;2025;1;300;voksen;1961\n");
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, data); /* every way of reading, 64-byte blocks among them */
    assert_int_equal(r.st, NG_OK);
    assert_rows(&r, 3, 3, 0);
    assert_int_equal(months(&r, "S2", 2025)[0], 12 * 20000);
    run_free(&r);
}

/* Every input fuzz_ingest once found a problem with
 * (tests/fuzz/corpus/ingest/regression-*, each a plain CSV) read every way:
 * one thread and two, 64-byte blocks, `check`, libcsv only -- alike. */
static void test_fuzz_regressions(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/../fuzz/corpus/ingest", NG_TEST_DATA);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strncmp(e->d_name, "regression-", 11) != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *data = read_all(path, &len);
        assert_non_null(data);
        print_message("regression: %s\n", e->d_name);
        run r;
        run_init(&r, ';', NG_ENC_AUTO);
        run_mem(&r, data, len);
        run_free(&r);
        free(data);
        n++;
    }
    closedir(d);
    assert_true(n >= 1);
}

/* Records that straddle the read buffer: a quoted multi-line record across
 * the 1 MiB boundary keeps its raw bytes and line number. */
static void test_buffer_boundaries(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/afviste_lang.csv", tmpdir);
    size_t cap = 4u << 20, n = 0;
    char *data = malloc(cap);
    n += (size_t)sprintf(data + n, "sag_id;aar;beloeb;omraade;foedselsaar;tilbud\n");
    long line = 1, rows = 0, s_rows = 0, t_rows = 0;
    while (n < (1u << 20) - 30) {
        n += (size_t)sprintf(data + n, "S%ld;2025;1;voksen;1961;t\n", rows % 1000);
        line++;
        rows++;
        s_rows++;
    }
    const char bad[] = "SB;2025;2x;voksen;1961;\"over\ngrænsen\nmellem\nbufferne\"\n";
    long bad_line = line + 1;
    memcpy(data + n, bad, sizeof bad - 1);
    n += sizeof bad - 1;
    line += 4;
    rows++;
    while (n < (3u << 20)) {
        n += (size_t)sprintf(data + n, "T%ld;2025;2;aeldre;1940;t\n", rows % 1000);
        line++;
        rows++;
        t_rows++;
    }
    n += (size_t)sprintf(data + n, "TZ;2025;zz;aeldre;1940;t\n");
    rows++;
    line++;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.rejects_path = path;
    run_mem(&r, data, n);
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_read, rows);
    assert_int_equal(r.rec.rows_rejected, 2);
    assert_int_equal(r.rec.oere_read, s_rows * 100 + t_rows * 200);
    assert_int_equal(r.rec.oere_rejected, 0);
    assert_int_equal(r.diags.count, 2);
    char want[128];
    snprintf(want, sizeof want, "%ld:3: beløbet er ikke et tal: '2x'", bad_line);
    assert_string_equal(diag_text(&r, 0), want);
    snprintf(want, sizeof want, "%ld:3: beløbet er ikke et tal: 'zz'", line);
    assert_string_equal(diag_text(&r, 1), want);
    size_t len;
    char *got = slurp(path, &len);
    char expect[256];
    int elen = snprintf(expect, sizeof expect,
                        "linje;sag_id;aar;beloeb;omraade;foedselsaar;tilbud\n%ld;%s%ld;TZ;2025;zz;"
                        "aeldre;1940;t\n",
                        bad_line, bad, line);
    assert_int_equal(len, (size_t)elen);
    assert_memory_equal(got, expect, len);
    free(got);
    free(data);
    run_free(&r);
}

/* A quote that a later quote in the wrong place ends: the lines it took are
 * rows of their own, rejected, each with its own amount in the
 * reconciliation; the reading goes on after them. */
static void test_swallowed_lines(void **state)
{
    (void)state;
    run r;
    run_init_rejects(&r, "afviste_swallowed.csv");
    const char *path = r.rejects;
    run_str(&r, HDR "S1;2025;1;100;voksen;1961\n"
                    "S2;2025;1;\"300;voksen;1961\n"
                    "S3;2025;1;400;voksen;1961\n"
                    "\n"
                    "S4;2025;1;5\"0;voksen;1961\n"
                    "S5;2025;1;600;voksen;1961\n");
    assert_int_equal(r.st, NG_OK);
    assert_rows(&r, 5, 2, 3);
    assert_int_equal(r.rec.oere_read, 110000);
    assert_int_equal(r.rec.oere_rejected, 40000);
    assert_int_equal(r.diags.count, 3);
    assert_string_equal(diag_text(&r, 0),
                        "3:4: anførselstegnet i kolonnen 'beloeb' afsluttes ikke, før et "
                        "anførselstegn står forkert i linje 6 (linje 4-6 er slugt af det og "
                        "afvist)");
    assert_string_equal(diag_text(&r, 1), "4:0: linjen er slugt af anførselstegnet i linje 3, "
                                          "kolonnen 'beloeb', som ikke afsluttes");
    assert_string_equal(diag_text(&r, 2), "6:0: linjen er slugt af anførselstegnet i linje 3, "
                                          "kolonnen 'beloeb', som ikke afsluttes");
    size_t len;
    char *got = slurp(path, &len);
    assert_string_equal(got, "linje;" HDR "3;S2;2025;1;\"300;voksen;1961\n"
                             "4;S3;2025;1;400;voksen;1961\n"
                             "6;S4;2025;1;5\"0;voksen;1961\n");
    free(got);
    run_free(&r);
}

/* A file saved with CR-only line ends (an old Mac's "CSV") is read with CR
 * as its line end: the same rows as with LF, a quoted field across lines
 * included; a lone LF inside a field is a bad row; the rejects file keeps
 * the file's line ends. */
static void test_cr_only_line_ends(void **state)
{
    (void)state;
    run r;
    run_init_rejects(&r, "afviste_cr.csv");
    const char *path = r.rejects;
    run_str(&r, "sag_id;aar;maaned;beloeb;omraade;foedselsaar;note\r"
                "S1;2025;1;100;voksen;1961;\"en\rto\"\r"
                "\r"
                "S1;2025;2;200;voksen;1961;x\r"
                "S2;2025;1;3\n00;voksen;1961;\r"
                "S2;2025;2;400;b\xF8rn;2012;");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_read, 4);
    assert_int_equal(r.rec.rows_used, 3);
    assert_string_equal(r.rec.encoding_used, "windows-1252");
    assert_int_equal(months(&r, "S1", 2025)[0], 12 * 10000);
    assert_int_equal(months(&r, "S1", 2025)[1], 12 * 20000);
    assert_int_equal(sag(&r, "S2")->omraade, NG_OMR_BOERN);
    assert_int_equal(r.diags.count, 1);
    assert_string_equal(
        diag_text(&r, 0),
        "6:4: feltet i kolonnen 'beloeb' indeholder et styretegn (U+000A, linjeskift)");
    size_t len;
    char *got = slurp(path, &len);
    assert_string_equal(got, "linje;sag_id;aar;maaned;beloeb;omraade;foedselsaar;note\r"
                             "6;S2;2025;1;3\n00;voksen;1961;\r");
    free(got);
    run_free(&r);
}

/* A line longer than 1 MiB (a 10 MB field) stops the reading with a message
 * that names its line; the rows before it are counted. */
static void test_line_too_long(void **state)
{
    (void)state;
    size_t cap = 11u << 20, n = 0;
    char *data = malloc(cap);
    n += (size_t)sprintf(data + n, HDR "S1;2025;1;1;voksen;1961\nS2;2025;1;1;voksen;");
    memset(data + n, '9', 10u << 20);
    n += 10u << 20;
    n += (size_t)sprintf(data + n, "\nS3;2025;1;1;voksen;1961\n");
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_mem(&r, data, n);
    assert_int_equal(r.st, NG_ERR_INPUT);
    assert_int_equal(r.rec.rows_read, 1);
    assert_int_equal(r.diags.count, 1);
    assert_string_equal(diag_text(&r, 0),
                        "3:0: linjen er over 1.048.576 byte lang (højst 1.048.576 "
                        "byte pr. linje); resten af filen er ikke læst");
    run_free(&r);
    free(data);
}

/* The most cases an extract may have: the row with one case more is
 * rejected with a message at its line, and the reading stops there (a full
 * reading and `check` alike); a row of a case already known is still read. */
static void test_too_many_cases(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.max_cases = 2;
    run_str(&r, HDR "S1;2025;1;100;voksen;1961\n"
                    "S2;2025;1;100;voksen;1961\n"
                    "S1;2025;2;100;voksen;1961\n"
                    "S3;2025;1;300;voksen;1961\n"
                    "S4;2025;1;400;voksen;1961\n");
    assert_int_equal(r.st, NG_ERR_INPUT);
    assert_rows(&r, 4, 3, 1);
    assert_int_equal(r.rec.oere_rejected, 30000);
    assert_int_equal(r.rec.cases, 2);
    assert_int_equal(r.diags.count, 1);
    assert_string_equal(diag_text(&r, 0), "5:1: udtrækket har flere end 2 sager (grænsen for ét "
                                          "udtræk); resten af filen er ikke læst");
    run_free(&r);
}

/* Numbers out of range and dates that do not exist are located errors. */
static void test_out_of_range_values(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_str(&r, "sag_id;aar;maaned;dato;beloeb;omraade;foedselsaar;foedselsdato\n"
                "S1;2025;1;;99999999999999999999;voksen;1961;\n"
                "S1;2025;1;;100.000.000.000,01;voksen;1961;\n"
                "S1;2O25;1;;1;voksen;1961;\n"
                "S1;9999;1;;1;voksen;1961;\n"
                "S1;2025;13;;1;voksen;1961;\n"
                "S1;2025;;2025-02-29;1;voksen;1961;\n"
                "S1;2025;;31.04.2025;1;voksen;1961;\n"
                "S2;2025;1;;1;voksen;2090;\n"
                "S3;2025;1;;1;voksen;1961;1961-02-30\n"
                "S4;2025;1;;1;voksen;1961;\n");
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_used, 1);
    assert_int_equal(r.diags.count, 9);
    static const char *const want[9] = {
        "2:5: beløbet er over 100 mia. kr.: '99999999999999999999'",
        "3:5: beløbet er over 100 mia. kr.: '100.000.000.000,01'",
        "4:2: året er ikke et år mellem 1900 og 2100 (står der et bogstav, fx O for 0?): '2O25'",
        "5:2: året er ikke et år mellem 1900 og 2100: '9999'",
        "6:3: måneden er ikke et tal fra 1 til 12: '13'",
        "7:4: datoen er ikke en dato: '2025-02-29'",
        "8:4: datoen er ikke en dato: '31.04.2025'",
        "9:7: fødselsåret ligger efter året 2025, som beløbet hører til: '2090'",
        "10:8: fødselsdatoen er ikke en dato: '1961-02-30'",
    };
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(diag_text(&r, i), want[i]);
    run_free(&r);
}

static void test_runaway_quote(void **state)
{
    (void)state;
    size_t cap = 3u << 20, n = 0;
    char *data = malloc(cap);
    n += (size_t)sprintf(data + n, HDR "S1;2025;1;1;voksen;1961\nS2;2025;1;\"1;voksen;1961\n");
    while (n < (5u << 19))
        n += (size_t)sprintf(data + n, "S3;2025;1;1;voksen;1961\n");
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_mem(&r, data, n);
    assert_int_equal(r.st, NG_ERR_INPUT);
    assert_int_equal(r.rec.rows_read, 1);
    assert_string_equal(diag_text(&r, 0), "3:4: anførselstegnet i kolonnen 'beloeb' afsluttes ikke "
                                          "inden for 1.048.576 byte; resten af filen er ikke læst");
    run_free(&r);
    free(data);
}

static void test_utf16_refused(void **state)
{
    (void)state;
    const char data[] = "\xFF\xFEs\0a\0g\0\n\0";
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_mem(&r, data, sizeof data - 1);
    assert_int_equal(r.st, NG_ERR_INPUT);
    assert_int_equal(r.diags.count, 1);
    assert_string_equal(diag_text(&r, 0),
                        "1:0: filen er gemt som UTF-16; gem den som UTF-8 eller Windows-1252");
    run_free(&r);
}

static void test_nul_byte(void **state)
{
    (void)state;
    const char data[] = HDR "S1;2025;1;1\0x;voksen;1961\nS2;2025;1;1;voksen;1961\n";
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    run_mem(&r, data, sizeof data - 1);
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_rejected, 1);
    assert_string_equal(diag_text(&r, 0), "2:4: feltet i kolonnen 'beloeb' indeholder et NUL-tegn");
    run_free(&r);
}

static void test_reconciliation_print(void **state)
{
    (void)state;
    ng_reconciliation rec = {.rows_read = 12345,
                             .rows_used = 12344,
                             .rows_rejected = 1,
                             .oere_read = INT64_C(123456789),
                             .oere_used = INT64_C(123456800),
                             .oere_rejected = -11,
                             .attribute_conflicts = 2,
                             .encoding_used = "utf-8",
                             .had_bom = true};
    char buf[1024] = "";
    FILE *f = fmemopen(buf, sizeof buf, "w");
    ng_reconciliation_print(&rec, "sager.csv", f);
    fclose(f);
    assert_string_equal(buf, "sager.csv: rækker læst 12.345 = brugt 12.344 + afvist 1; beløb læst "
                             "1.234.567,89 kr. = brugt 1.234.568,00 kr. + afvist -0,11 kr.\n"
                             "sager.csv: tegnsæt utf-8 med BOM; sager med modstridende "
                             "oplysninger: 2\n");
}

/* ---- the corpus of broken files --------------------------------------------- */

/* One case of tests/data/ingest/expected.tsv: its file, encoding, exit
 * status, reconciliation (has_rec: not "-") and messages. */
typedef struct {
    char file[128];
    ng_encoding enc;
    int exit;
    bool has_rec;
    long read, used, rejected;
    long long oere_read, oere_used, oere_rejected;
    char *msgs[16];
    size_t nmsgs;
} corpus_case;

static void corpus_case_free(corpus_case *c)
{
    for (size_t i = 0; i < c->nmsgs; i++)
        free(c->msgs[i]);
    memset(c, 0, sizeof *c);
}

/* Reads the next case of expected.tsv (false at its end). */
static bool corpus_next(FILE *f, corpus_case *c, char *pending, size_t size)
{
    memset(c, 0, sizeof *c);
    for (;;) {
        if (!pending[0] && !fgets(pending, (int)size, f))
            return c->file[0] != '\0';
        pending[strcspn(pending, "\n")] = '\0';
        if (pending[0] == '#' || !pending[0]) {
            pending[0] = '\0';
            continue;
        }
        if (!strncmp(pending, "fil\t", 4)) {
            if (c->file[0])
                return true; /* the next case's line stays pending */
            char enc[32], read[32];
            int n = sscanf(pending,
                           "fil\t%127[^\t]\t%31[^\t]\t%d\t%31[^\t]\t%ld\t%ld\t%lld\t%lld\t%lld",
                           c->file, enc, &c->exit, read, &c->used, &c->rejected, &c->oere_read,
                           &c->oere_used, &c->oere_rejected);
            assert_true(n >= 4);
            c->enc = !strcmp(enc, "utf-8")          ? NG_ENC_UTF8
                     : !strcmp(enc, "windows-1252") ? NG_ENC_CP1252
                                                    : NG_ENC_AUTO;
            c->has_rec = strcmp(read, "-") != 0;
            c->read = c->has_rec ? atol(read) : 0;
            if (c->has_rec)
                assert_int_equal(n, 9);
        } else {
            assert_true(!strncmp(pending, "besked\t", 7));
            char *msg = strchr(pending + 7, '\t');
            assert_non_null(msg);
            assert_true(c->nmsgs < 16);
            c->msgs[c->nmsgs++] = strdup(msg + 1);
        }
        pending[0] = '\0';
    }
}

/* The i-th diagnostic as printed, the file's path written {file}. */
static void diag_printed(const run *r, size_t i, const char *path, char *out, size_t size)
{
    char buf[2048];
    ng_diag_format(&r->diags.items[i], buf, sizeof buf);
    size_t plen = strlen(path);
    assert_memory_equal(buf, path, plen);
    snprintf(out, size, "{file}%s", buf + plen);
}

/* Every case of the corpus gives exactly its exit status, reconciliation
 * and messages, every way of reading alike; no message and no rejects file
 * holds a CPR number. */
static void test_corpus(void **state)
{
    (void)state;
    char tsv[512], pending[4096] = "";
    snprintf(tsv, sizeof tsv, "%s/ingest/expected.tsv", NG_TEST_DATA);
    FILE *f = fopen(tsv, "r");
    assert_non_null(f);
    corpus_case c;
    int ncases = 0;
    while (corpus_next(f, &c, pending, sizeof pending)) {
        char path[512], rejects[512];
        snprintf(path, sizeof path, "%s/ingest/%s", NG_TEST_DATA, c.file);
        snprintf(rejects, sizeof rejects, "%s/afviste_%s", tmpdir, c.file);
        print_message("corpus: %s\n", c.file);
        run r;
        run_init(&r, ';', c.enc);
        r.file.path = path;
        r.opt.rejects_path = rejects;
        r.opt.sha256 = true;
        r.cases = ng_cases_new();
        r.st = ng_ingest_extract(&r.opt, r.cases, &r.rec, &r.diags);
        assert_reconciles(&r.rec);
        /* the bytes were hashed as they were read: the manifest's hash */
        char hex[NG_SHA256_HEX];
        long long size = 0;
        assert_int_equal(ng_sha256_file(path, hex, &size, &r.diags), NG_OK);
        if (r.rec.has_sha256) {
            assert_string_equal(r.rec.sha256, hex);
            assert_int_equal(r.rec.bytes, size);
        }
        assert_validation_same(&r, NULL, 0);
        assert_int_equal(ng_exit_code(r.st), c.exit);
        if (c.has_rec) {
            assert_true(r.rec.has_sha256); /* read to its end */
            assert_rows(&r, c.read, c.used, c.rejected);
            assert_int_equal(r.rec.oere_read, c.oere_read);
            assert_int_equal(r.rec.oere_used, c.oere_used);
            assert_int_equal(r.rec.oere_rejected, c.oere_rejected);
        } else {
            assert_int_equal(r.rec.rows_read, 0);
        }
        assert_int_equal(r.diags.count, c.nmsgs);
        for (size_t i = 0; i < c.nmsgs; i++) {
            char got[2048];
            diag_printed(&r, i, path, got, sizeof got);
            assert_string_equal(got, c.msgs[i]);
            size_t pos, n;
            assert_false(ng_find_cpr(got, strlen(got), false, &pos, &n));
        }
        /* the rejects file exists exactly when rows were rejected, and
         * holds no CPR number */
        assert_int_equal(access(rejects, F_OK) == 0, r.rec.rows_rejected > 0);
        size_t len = 0;
        char *rej = read_all(rejects, &len);
        size_t pos, n;
        if (rej)
            assert_false(ng_find_cpr(rej, len, true, &pos, &n));
        free(rej);
        run_free(&r);
        corpus_case_free(&c);
        ncases++;
    }
    fclose(f);
    assert_true(ncases >= 29);
}

/* The same invalid byte under tegnsaet = auto is Windows-1252, not an error. */
static void test_invalid_utf8_under_auto(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/ingest/invalid_utf8.csv", NG_TEST_DATA);
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    r.file.path = path;
    r.cases = ng_cases_new();
    r.st = ng_ingest_extract(&r.opt, r.cases, &r.rec, &r.diags);
    assert_validation_same(&r, NULL, 0);
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_used, 2);
    assert_string_equal(r.rec.encoding_used, "windows-1252");
    assert_int_equal(sag(&r, "S002")->omraade, NG_OMR_BOERN);
    run_free(&r);
}

/* `check`'s extract (tests/data/check), clean and with one bad amount, under
 * both afvis policies: validation mode and full reading agree. */
static void test_validation_check_extract(void **state)
{
    (void)state;
    char path[512], bad[512], rejects[512];
    snprintf(path, sizeof path, "%s/check/sager_2026-10-31.csv", NG_TEST_DATA);
    snprintf(bad, sizeof bad, "%s/sager_bad.csv", tmpdir);
    snprintf(rejects, sizeof rejects, "%s/afviste_check.csv", tmpdir);
    size_t len;
    char *data = read_all(path, &len);
    assert_non_null(data);
    char *amount = strstr(data, ";400.000;");
    assert_non_null(amount);
    memcpy(amount, ";12.3x4;", 8); /* the e2e test's bad row; one byte shorter */
    memmove(amount + 8, amount + 9, len - (size_t)(amount + 9 - data));
    FILE *f = fopen(bad, "wb");
    assert_non_null(f);
    fwrite(data, 1, len - 1, f);
    fclose(f);
    free(data);
    char *files[] = {path, bad};
    const ng_reject_policy policies[] = {NG_REJECT_ROW, NG_REJECT_FILE};
    for (size_t k = 0; k < 2; k++)
        for (size_t p = 0; p < 2; p++) {
            run r;
            run_init(&r, ';', NG_ENC_AUTO);
            r.file.path = files[k];
            r.opt.afvis = policies[p];
            r.opt.rejects_path = rejects;
            r.cases = ng_cases_new();
            r.st = ng_ingest_extract(&r.opt, r.cases, &r.rec, &r.diags);
            assert_validation_same(&r, NULL, 0);
            /* by hand: 8 rows of 5 cases (e2e_check.sh) */
            assert_int_equal(r.rec.rows_read, 8);
            assert_int_equal(r.rec.cases, 5);
            assert_int_equal(r.rec.rows_rejected, k == 1 ? 1 : 0);
            assert_int_equal(r.rec.oere_used, k == 1 ? 614249975 : 654249975);
            run_free(&r);
        }
}

/* Conflicting attributes in validation mode alone: the count, the case
 * count and the warnings a full reading gives (test_attributes, by hand). */
static void test_validation_conflicts(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.validate_only = true;
    const char data[] = "sag_id;aar;beloeb;omraade;foedselsaar;foer67;husstand;kommune\n"
                        "A;2025;1;voksen;1960;;;\n"
                        "B;2025;1;boern;2010;ja;H1;730\n"
                        "A;2025;1;voksen;1960;nej;H2;\n"
                        "B;2025;1;aeldre;2011;nej;H1;101\n"
                        "A;2025;1;voksen;1960;ja;H3;\n"
                        "C;2025;1;voksen;1950;;;\n"
                        "B;2025;1;aeldre;2011;nej;H1;101\n";
    r.st = ng_ingest_extract_mem(&r.opt, data, sizeof data - 1, NULL, &r.rec, &r.diags);
    assert_int_equal(r.st, NG_OK);
    assert_int_equal(r.rec.rows_used, 7);
    assert_int_equal(r.rec.cases, 3);
    assert_int_equal(r.rec.attribute_conflicts, 2);
    const char *want[] = {
        "5:0: advarsel: sag 'B' har to områder: boern (linje 3) og aeldre; den første værdi "
        "bruges",
        "5:0: advarsel: sag 'B' har to fødselsår: 2010 (linje 3) og 2011; den første værdi "
        "bruges",
        "5:0: advarsel: sag 'B' har to værdier for foer67: ja (linje 3) og nej; den første "
        "værdi bruges",
        "5:0: advarsel: sag 'B' har to kommuner: 730 (linje 3) og 101; den første værdi bruges",
        "6:0: advarsel: sag 'A' har to værdier for foer67: nej (linje 4) og ja; den første "
        "værdi bruges",
        "6:0: advarsel: sag 'A' har to husstande: H2 (linje 4) og H3; den første værdi bruges",
    };
    assert_int_equal(r.diags.count, sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_string_equal(diag_text(&r, i), want[i]);
    ng_diags_free(&r.diags);
}

/* A month that would overflow int64 rejects the row in a full reading;
 * validation mode cannot see months, notices the risk and reads again in
 * full, with the same outcome. 100 mia. kr. dated in January adds 12 x 10^13
 * twelfths a row: 76.861 rows fit under INT64_MAX, the 76.862nd and later
 * do not. */
static void test_validation_month_overflow(void **state)
{
    (void)state;
    const long big = 76863;
    const char hdr[] = "sag_id;aar;maaned;beloeb;omraade;foedselsaar;husstand\n";
    const char row[] = "S1;2025;1;100000000000;voksen;1960;H1\n";
    const char tail[] = "S2;2025;1;5;boern;2010;H1\nS2;2025;2;5;boern;2010;H2\n";
    size_t len = sizeof hdr - 1 + (size_t)big * (sizeof row - 1) + sizeof tail - 1;
    char *data = malloc(len + 1);
    assert_non_null(data);
    char *p = data;
    memcpy(p, hdr, sizeof hdr - 1);
    p += sizeof hdr - 1;
    for (long i = 0; i < big; i++, p += sizeof row - 1)
        memcpy(p, row, sizeof row - 1);
    memcpy(p, tail, sizeof tail - 1);
    char rejects[512];
    snprintf(rejects, sizeof rejects, "%s/afviste_overflow.csv", tmpdir);
    run r;
    run_init(&r, ';', NG_ENC_AUTO);
    r.opt.rejects_path = rejects;
    run_mem(&r, data, len); /* compares with validation mode */
    assert_int_equal(r.st, NG_OK);
    assert_rows(&r, big + 2, 76861 + 2, 2);
    assert_int_equal(r.rec.oere_rejected, INT64_C(2) * 10000000000000);
    assert_int_equal(r.rec.cases, 2);
    assert_int_equal(r.rec.attribute_conflicts, 1);
    assert_int_equal(r.diags.count, 3);
    assert_string_equal(diag_text(&r, 0), "76863:4: sagens sum for året bliver for stor");
    assert_string_equal(diag_text(&r, 1), "76864:4: sagens sum for året bliver for stor");
    assert_string_equal(diag_text(&r, 2), "76866:0: advarsel: sag 'S2' har to husstande: H1 "
                                          "(linje 76865) og H2; den første værdi bruges");
    run_free(&r);
    free(data);
}

/* A blank område is unknown wherever it stands: also before any other value
 * was looked up (the looked-up values are remembered, and an empty memory
 * once matched the empty value). Other values are looked up in any order. */
static void test_blank_omraade_first(void **state)
{
    (void)state;
    run r;
    run_init(&r, ';', NG_ENC_UTF8);
    run_str(&r, HDR_LEV "S1;2025;1;100;;1950;privat\n"
                        "S2;2025;1;100;voksen;1950;kommunal\n"
                        "S3;2025;1;100;;1950;regional\n"
                        "S4;2025;1;100;Voksen;1950;Privat\n"
                        "S5;2025;1;100;voksen;1950;privat\n");
    assert_int_equal(r.rec.rows_rejected, 2);
    assert_string_equal(diag_text(&r, 0),
                        "2:5: ukendt område (kendte: voksen, boern, børn, aeldre, ældre): ''");
    assert_string_equal(diag_text(&r, 1),
                        "4:5: ukendt område (kendte: voksen, boern, børn, aeldre, ældre): ''");
    assert_string_equal(sag(&r, "S4")->leverandoertype, "privat");
    assert_string_equal(sag(&r, "S2")->leverandoertype, "kommunal");
    run_free(&r);
}

/* A file made to be cut everywhere: quoted fields with line breaks and
 * delimiters, bad rows (rejected, and a quote in the wrong place), blank
 * lines, attribute conflicts across the whole file, CRLF lines, and a
 * Windows-1252 byte far into the file (a bad row under utf-8).
 * Every split reading must report what one thread does (run_mem compares
 * them, assert_split_same). */
static void test_split_extract(void **state)
{
    (void)state;
    size_t cap = 4 << 20, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    n += (size_t)snprintf(buf + n, cap - n, "%s", HDR_LEV);
    for (int i = 0; i < 32000; i++) {
        int id = (i * 7919) % 211;
        const char *lev = i % 97 == 5 ? "regional" : "privat";
        if (i % 13 == 0)
            n += (size_t)snprintf(buf + n, cap - n, "%d;2025;%d;\"1.%03d,50\";voksen;19%02d;%s\n",
                                  id, i % 12 + 1, i % 1000, 40 + id % 50, lev);
        else if (i % 17 == 0)
            n += (size_t)snprintf(buf + n, cap - n,
                                  "%d;2025;%d;100,00;\"vok\nsen\";1950;privat\r\n", id, i % 12 + 1);
        else if (i % 29 == 0)
            n += (size_t)snprintf(buf + n, cap - n, "%d;2025;13;1,00;voksen;1950;privat\n\n", id);
        else if (i % 31 == 0)
            n += (size_t)snprintf(buf + n, cap - n, "%d;2025;1;1\"0;voksen;1950;privat\n", id);
        else if (i == 31002)
            n += (size_t)snprintf(buf + n, cap - n, "%d;2025;1;5,00;voksen;1950;pr\xE6vat\n", id);
        else
            n += (size_t)snprintf(buf + n, cap - n, "%d;2025;%d;%d,%02d;%s;19%02d;%s\n", id,
                                  i % 12 + 1, 100 + i, i % 100, i % 41 == 0 ? "boern" : "voksen",
                                  40 + id % 50, lev);
        assert_true(n < cap - 200);
    }
    static const ng_encoding encs[] = {NG_ENC_AUTO, NG_ENC_CP1252, NG_ENC_UTF8};
    for (size_t e = 0; e < sizeof encs / sizeof *encs; e++) {
        run r;
        run_init(&r, ';', encs[e]);
        r.file.decimal = NG_DECIMAL_COMMA;
        char rejects[512];
        snprintf(rejects, sizeof rejects, "%s/afviste_split.csv", tmpdir);
        r.opt.rejects_path = rejects;
        r.opt.sha256 = true;
        long parts = split_parts_seen, reparsed = split_reparsed_seen;
        run_mem(&r, buf, n);
        assert_true(r.rec.rows_rejected > 0);
        assert_true(r.rec.attribute_conflicts > 0);
        assert_true(split_parts_seen - parts > 1000); /* 64-byte parts */
        assert_true(split_reparsed_seen > reparsed);
        run_free(&r);
    }
    free(buf);
}

/* The readings of every test above went through the split, in many parts;
 * at least a quarter of them had their lines numbered again, and some had
 * to be parsed again (a mutation that renumbers a part whose message names a
 * line fails test_fuzz_regressions). */
static void test_split_exercised(void **state)
{
    (void)state;
    assert_true(split_parts_seen > 10000);
    assert_true(split_renumbered_seen > split_parts_seen / 4);
    assert_true(split_reparsed_seen > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semicolon_basic),
        cmocka_unit_test(test_comma_and_tab),
        cmocka_unit_test(test_utf8_bom_and_plain),
        cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_auto_decides_late),
        cmocka_unit_test(test_auto_mixed_encoding),
        cmocka_unit_test(test_utf16_without_bom),
        cmocka_unit_test(test_nul_anywhere),
        cmocka_unit_test(test_crlf_and_blank_lines),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_amount_forms),
        cmocka_unit_test(test_date_forms),
        cmocka_unit_test(test_money_in_twelfths),
        cmocka_unit_test(test_attributes),
        cmocka_unit_test(test_invisible_in_keys),
        cmocka_unit_test(test_column_and_omraade_mapping),
        cmocka_unit_test(test_leverandoertype_mapping),
        cmocka_unit_test(test_afvis_fil),
        cmocka_unit_test(test_rejects_file),
        cmocka_unit_test(test_rejects_keep_encoding),
        cmocka_unit_test(test_cpr_stops_the_run),
        cmocka_unit_test(test_rejects_file_safe),
        cmocka_unit_test(test_buffer_boundaries),
        cmocka_unit_test(test_quoted_first_field_across_blocks),
        cmocka_unit_test(test_fuzz_regressions),
        cmocka_unit_test(test_runaway_quote),
        cmocka_unit_test(test_swallowed_lines),
        cmocka_unit_test(test_cr_only_line_ends),
        cmocka_unit_test(test_line_too_long),
        cmocka_unit_test(test_too_many_cases),
        cmocka_unit_test(test_out_of_range_values),
        cmocka_unit_test(test_utf16_refused),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_reconciliation_print),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_invalid_utf8_under_auto),
        cmocka_unit_test(test_validation_check_extract),
        cmocka_unit_test(test_validation_conflicts),
        cmocka_unit_test(test_validation_month_overflow),
        cmocka_unit_test(test_blank_omraade_first),
        cmocka_unit_test(test_split_extract),
        cmocka_unit_test(test_split_exercised), /* last: it counts the readings above */
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
