/* test_history.c -- the history store: recording and replacing snapshots,
 * a failed transaction, importing the reference tables, reproducing the
 * monthly follow-up table from snapshots, and the bridge values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../generator/bridge.h"
#include "notatgen/history.h"

/* ---- fixtures ------------------------------------------------------------ */

typedef struct {
    char dir[64];
    char path[96];
    ng_history *h;
    ng_diags diags;
} store;

static int store_setup(void **state)
{
    store *s = calloc(1, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "/tmp/ng_history_XXXXXX");
    if (!mkdtemp(s->dir))
        return -1;
    snprintf(s->path, sizeof s->path, "%s/historik.db", s->dir);
    ng_diags_init(&s->diags);
    if (ng_history_open(s->path, &s->h, &s->diags) != NG_OK)
        return -1;
    *state = s;
    return 0;
}

static int store_teardown(void **state)
{
    store *s = *state;
    char buf[160];
    ng_history_close(s->h);
    ng_diags_free(&s->diags);
    const char *suffixes[] = {"", "-journal", "-wal", "-shm", ".lock"};
    for (size_t i = 0; i < 5; i++) {
        snprintf(buf, sizeof buf, "%s%s", s->path, suffixes[i]);
        unlink(buf);
    }
    snprintf(buf, sizeof buf, "%s/bad.csv", s->dir);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s/bad.csv.lock", s->dir);
    unlink(buf);
    rmdir(s->dir);
    free(s);
    return 0;
}

typedef struct {
    const char *key;
    ng_omraade omraade;
    int64_t kr;
    int trin;
    bool covered;
} unit_spec;

/* A hand-built refusion result: units in the given order, keys copied. */
static ng_refusion_result make_result(int aar, const unit_spec *specs, size_t n)
{
    ng_refusion_result r = {.aar = aar, .n = n};
    r.units = calloc(n ? n : 1, sizeof *r.units);
    for (size_t i = 0; i < n; i++) {
        r.units[i].key = strdup(specs[i].key);
        r.units[i].omraade = specs[i].omraade;
        r.units[i].udgift = specs[i].kr * 100;
        r.units[i].trin = specs[i].trin;
        r.units[i].covered = specs[i].covered;
        r.units[i].nsager = 1;
    }
    return r;
}

static void free_result(ng_refusion_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->units[i].key);
    free(r->units);
    memset(r, 0, sizeof *r);
}

static ng_date D(int y, int m, int d)
{
    return (ng_date){y, m, d};
}

/* ---- the reference CSVs, read independently of the importer ------------------ */

typedef struct {
    char periode[8];
    long antal[4];   /* 25, 50, 75, total */
    int64_t oere[4]; /* 25, 50, 75, total */
} ref_row;

/* "221,7" (mio. kr., one decimal) -> øre */
static int64_t ref_mio(const char *s)
{
    char digits[32];
    size_t n = 0;
    const char *comma = strchr(s, ',');
    assert_non_null(comma);
    assert_int_equal(strlen(comma + 1), 1);
    for (const char *p = s; *p && n + 1 < sizeof digits; p++)
        if (*p != ',')
            digits[n++] = *p;
    digits[n] = '\0';
    return strtoll(digits, NULL, 10) * 10000000LL; /* 0,1 mio. kr. = 10.000.000 øre */
}

static size_t read_reference(const char *name, ref_row *rows, size_t max)
{
    char path[512], line[512];
    snprintf(path, sizeof path, "%s/%s", NG_REFERENCE_DIR, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = 0;
    bool header = true;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (header) {
            header = false;
            continue;
        }
        assert_true(n < max);
        char *save = NULL, *field = strtok_r(line, ";", &save);
        snprintf(rows[n].periode, sizeof rows[n].periode, "%s", field);
        for (int i = 0; i < 4; i++) {
            rows[n].antal[i] = strtol(strtok_r(NULL, ";", &save), NULL, 10);
            rows[n].oere[i] = ref_mio(strtok_r(NULL, ";", &save));
        }
        n++;
    }
    fclose(f);
    return n;
}

static const char *const months_cap[13] = {"",        "Januar",   "Februar", "Marts",  "April",
                                           "Maj",     "Juni",     "Juli",    "August", "September",
                                           "Oktober", "November", "December"};

static void assert_num(const ng_table *t, int row, const char *col, double want)
{
    int c = ng_table_col(t, col);
    assert_true(c >= 0);
    const ng_cell *cell = ng_table_cell(t, row, c);
    assert_int_equal(cell->type, NG_CELL_NUM);
    if (cell->num != want)
        fail_msg("%s row %d column %s: got %.2f, want %.2f", t->name, row, col, cell->num, want);
}

/* Every cell of a tier table against the reference rows, to the kr. */
static void assert_tier_table(const ng_table *t, const ref_row *ref, size_t n, bool monthly)
{
    static const char *const antal_cols[4] = {"antal_25", "antal_50", "antal_75", "antal_total"};
    static const char *const udgift_cols[4] = {"udgift_25", "udgift_50", "udgift_75",
                                               "udgift_total"};
    assert_int_equal(t->nrows, (int)n);
    for (size_t i = 0; i < n; i++) {
        int row = (int)i;
        assert_string_equal(t->rows[row].key, ref[i].periode);
        if (monthly) {
            int y = atoi(ref[i].periode), m = atoi(ref[i].periode + 5);
            char label[32];
            snprintf(label, sizeof label, "%s %d", months_cap[m], y);
            const ng_cell *c = ng_table_cell(t, row, ng_table_col(t, "maaned"));
            assert_int_equal(c->type, NG_CELL_TEXT);
            assert_string_equal(c->text, label);
        } else {
            assert_num(t, row, "aar", atoi(ref[i].periode));
        }
        for (int k = 0; k < 4; k++) {
            assert_num(t, row, antal_cols[k], (double)ref[i].antal[k]);
            assert_num(t, row, udgift_cols[k], (double)(ref[i].oere[k] / 100));
        }
        /* totals are rules across the row, not numbers */
        int ut = ng_table_col(t, "udgift_total"), at = ng_table_col(t, "antal_total");
        assert_int_equal(ng_table_cell(t, row, ut)->rule.kind, NG_RULE_LINEAR);
        assert_int_equal(ng_table_cell(t, row, ut)->rule.nterms, 3);
        assert_int_equal(ng_table_cell(t, row, at)->rule.kind, NG_RULE_LINEAR);
    }
    assert_string_equal(t->cols[ng_table_col(t, "udgift_50")].group, "50 pct. refusion");
    assert_int_equal(t->cols[ng_table_col(t, "udgift_50")].unit, NG_UNIT_MIO);
    assert_string_equal(t->cols[ng_table_col(t, "antal_total")].group, "Total");
}

static void import_reference(store *s, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", NG_REFERENCE_DIR, name);
    assert_int_equal(ng_history_import(s->h, path, &s->diags), NG_OK);
}

static ng_history_listing listing(store *s)
{
    ng_history_listing l;
    assert_int_equal(ng_history_list(s->h, &l, &s->diags), NG_OK);
    return l;
}

/* ---- store basics ----------------------------------------------------------- */

static void test_open_mode_and_reopen(void **state)
{
    store *s = *state;
    struct stat st;
    assert_int_equal(stat(s->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* a second open while the store is open: the lock says who has it */
    ng_history *again = NULL;
    ng_diags locked;
    ng_diags_init(&locked);
    assert_int_equal(ng_history_open(s->path, &again, &locked), NG_ERR_LOCKED);
    assert_null(again);
    assert_non_null(strstr(locked.items[0].message, "en anden kørsel holder låsen (pid "));
    ng_diags_free(&locked);
    /* a second open of an existing store keeps its schema and content */
    ng_history_close(s->h);
    assert_int_equal(ng_history_open(s->path, &again, &s->diags), NG_OK);
    s->h = again;

    /* not a database: an error naming the file, no crash */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/bad.csv", s->dir);
    FILE *f = fopen(bad, "w");
    fputs("this is not an SQLite file, just text long enough to have a header......\n", f);
    fclose(f);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_history_open(bad, &again, &d), NG_ERR_IO);
    assert_null(again);
    assert_true(d.errors > 0);
    assert_string_equal(d.items[0].file, bad);
    ng_diags_free(&d);
}

/* A store written by schema version 1 (CHECKs as IN lists) is migrated on
 * open: its rows stay, the rules stay, and no CHECK is an IN list any more. */
static const char v1_schema[] =
    "CREATE TABLE schema_version(version INTEGER NOT NULL);"
    "CREATE TABLE snapshot(id INTEGER PRIMARY KEY, dato TEXT NOT NULL UNIQUE, kommune TEXT,"
    " aar INTEGER NOT NULL, created_by_version TEXT NOT NULL);"
    "CREATE TABLE snapshot_unit(snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE"
    " CASCADE, key TEXT NOT NULL, omraade TEXT NOT NULL, udgift_oere INTEGER NOT NULL,"
    " trin INTEGER NOT NULL CHECK (trin IN (0, 25, 50, 75)),"
    " covered INTEGER NOT NULL CHECK (covered IN (0, 1)), PRIMARY KEY (snapshot_id, key));"
    "CREATE TABLE aggregate(kind TEXT NOT NULL CHECK (kind IN ('maaned', 'aar')),"
    " periode TEXT NOT NULL, trin INTEGER NOT NULL CHECK (trin IN (25, 50, 75)),"
    " antal INTEGER NOT NULL, udgift_oere INTEGER NOT NULL, source TEXT,"
    " PRIMARY KEY (kind, periode, trin));"
    "CREATE TABLE forecast(made_on TEXT NOT NULL, method TEXT NOT NULL, aar INTEGER NOT NULL,"
    " antal REAL, udgift_oere INTEGER, assumptions TEXT, PRIMARY KEY (made_on, method, aar));"
    "INSERT INTO schema_version(version) VALUES (1);"
    "INSERT INTO snapshot VALUES (1, '2025-09-30', 'Randers Kommune', 2025, '0.1.0');"
    "INSERT INTO snapshot_unit VALUES (1, 'a', 'voksen', 1000000, 25, 1);"
    "INSERT INTO snapshot_unit VALUES (1, 'b', 'boern', 2000000, 0, 0);"
    "INSERT INTO aggregate VALUES ('aar', '2024', 50, 3, 4500000, 'import');";

static long long sql_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_migrate_v1_store(void **state)
{
    store *s = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/v1.db", s->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, v1_schema, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    ng_history *h = NULL;
    assert_int_equal(ng_history_open(path, &h, &s->diags), NG_OK);
    ng_history_close(h);
    assert_int_equal(s->diags.errors, 0);

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sql_int(db, "SELECT MAX(version) FROM schema_version"), 3);
    assert_int_equal(sql_int(db, "SELECT COUNT(*) FROM snapshot_unit"), 2);
    assert_int_equal(sql_int(db, "SELECT SUM(udgift_oere) FROM snapshot_unit"), 3000000);
    assert_int_equal(sql_int(db, "SELECT antal FROM aggregate WHERE periode = '2024'"), 3);
    assert_int_equal(sql_int(db, "SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE '% IN (%'"), 0);
    /* the rules themselves hold as before */
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO snapshot_unit VALUES (1,'c','voksen',1,30,1)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO snapshot_unit VALUES (1,'c','voksen',1,25,2)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "INSERT INTO aggregate VALUES ('uge','2024',50,1,1,NULL)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO snapshot_unit VALUES (1,'c','voksen',1,75,1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    /* the cascade from snapshot survives the rebuild */
    assert_int_equal(
        sqlite3_exec(db, "PRAGMA foreign_keys = ON; DELETE FROM snapshot", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sql_int(db, "SELECT COUNT(*) FROM snapshot_unit"), 0);
    sqlite3_close(db);
    unlink(path);
    char lock[176];
    snprintf(lock, sizeof lock, "%s.lock", path);
    unlink(lock);
}

static const unit_spec three_units[] = {
    {"a", NG_OMR_VOKSEN, 1000000, 25, true},
    {"b", NG_OMR_VOKSEN, 2000000, 50, true},
    {"c", NG_OMR_BOERN, 3000000, 75, true},
};

static void test_record_replaces_same_date(void **state)
{
    store *s = *state;
    ng_refusion_result r3 = make_result(2025, three_units, 3);
    ng_refusion_result r2 = make_result(2025, three_units, 2);
    assert_int_equal(ng_history_record(s->h, D(2025, 9, 30), "Testby", &r3, &s->diags), NG_OK);
    assert_int_equal(ng_history_record(s->h, D(2025, 9, 30), "Testby", &r2, &s->diags), NG_OK);
    assert_int_equal(ng_history_record(s->h, D(2025, 10, 31), NULL, &r3, &s->diags), NG_OK);
    ng_history_listing l = listing(s);
    assert_int_equal(l.nsnapshots, 2);
    assert_string_equal(l.snapshots[0].dato, "2025-09-30");
    assert_int_equal(l.snapshots[0].units, 2); /* the second recording replaced the first */
    assert_int_equal(l.snapshots[0].antal, 2);
    assert_int_equal(l.snapshots[0].udgift, 300000000);
    assert_string_equal(l.snapshots[0].kommune, "Testby");
    assert_int_equal(l.snapshots[0].aar, 2025);
    assert_string_equal(l.snapshots[1].dato, "2025-10-31");
    assert_int_equal(l.snapshots[1].units, 3);
    assert_int_equal(l.snapshots[1].antal, 2); /* the child is not an adult unit */
    assert_null(l.snapshots[1].kommune);
    ng_history_listing_free(&l);
    free_result(&r3);
    free_result(&r2);
}

static void test_failed_record_changes_nothing(void **state)
{
    store *s = *state;
    ng_refusion_result good = make_result(2025, three_units, 3);
    assert_int_equal(ng_history_record(s->h, D(2025, 9, 30), "Testby", &good, &s->diags), NG_OK);
    /* a duplicate key violates the primary key after the old snapshot of the
     * same date has been deleted and the new one half inserted */
    const unit_spec dup[] = {
        {"x", NG_OMR_VOKSEN, 5000000, 75, true},
        {"y", NG_OMR_VOKSEN, 5000000, 75, true},
        {"x", NG_OMR_VOKSEN, 1000000, 25, true},
    };
    ng_refusion_result bad = make_result(2025, dup, 3);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_history_record(s->h, D(2025, 9, 30), "Andetby", &bad, &d), NG_ERR_INTERNAL);
    assert_true(d.errors > 0);
    assert_int_equal(ng_history_record(s->h, D(2025, 10, 31), "Andetby", &bad, &d),
                     NG_ERR_INTERNAL);
    ng_diags_free(&d);

    ng_history_listing l = listing(s);
    assert_int_equal(l.nsnapshots, 1);
    assert_string_equal(l.snapshots[0].dato, "2025-09-30");
    assert_string_equal(l.snapshots[0].kommune, "Testby");
    assert_int_equal(l.snapshots[0].units, 3);
    assert_int_equal(l.snapshots[0].udgift, 300000000);
    ng_history_listing_free(&l);

    /* the store is still usable after the rollback */
    assert_int_equal(ng_history_record(s->h, D(2025, 10, 31), NULL, &good, &s->diags), NG_OK);
    l = listing(s);
    assert_int_equal(l.nsnapshots, 2);
    ng_history_listing_free(&l);
    free_result(&good);
    free_result(&bad);
}

/* A process that dies in the middle of recording (old snapshot deleted, new
 * one half written, no COMMIT) leaves the store as it was before. */
static void test_crash_mid_record(void **state)
{
    store *s = *state;
    ng_refusion_result good = make_result(2025, three_units, 3);
    assert_int_equal(ng_history_record(s->h, D(2025, 9, 30), "Testby", &good, &s->diags), NG_OK);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *db = NULL;
        if (sqlite3_open(s->path, &db) != SQLITE_OK)
            _exit(2);
        sqlite3_exec(db,
                     "BEGIN IMMEDIATE;"
                     "DELETE FROM snapshot_unit;"
                     "DELETE FROM snapshot WHERE dato = '2025-09-30';"
                     "INSERT INTO snapshot(dato, aar, created_by_version)"
                     " VALUES ('2025-09-30', 2025, 'crash');",
                     NULL, NULL, NULL);
        _exit(0); /* no COMMIT, no close: like a kill -9 */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* the half-written transaction is on disk: a hot journal to roll back */
    char journal[160];
    struct stat st;
    snprintf(journal, sizeof journal, "%s-journal", s->path);
    assert_int_equal(stat(journal, &st), 0);
    assert_true(st.st_size > 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* the journal is as private as the store */

    ng_history_close(s->h);
    s->h = NULL;
    ng_history *h2 = NULL;
    assert_int_equal(ng_history_open(s->path, &h2, &s->diags), NG_OK);
    ng_history_listing l;
    assert_int_equal(ng_history_list(h2, &l, &s->diags), NG_OK);
    assert_int_equal(l.nsnapshots, 1);
    assert_string_equal(l.snapshots[0].kommune, "Testby");
    assert_string_equal(l.snapshots[0].version, NG_VERSION);
    assert_int_equal(l.snapshots[0].units, 3);
    ng_history_listing_free(&l);
    ng_history_close(h2);
    free_result(&good);
}

/* ---- schema steps, owner, the run's entry, deliveries ------------------------ */

static char *sql_text(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static void make_store(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* A version-1 store gets the steps it lacks, its rows kept; each step is
 * applied when its own row is missing, so a store that has step 3 but not
 * step 2 (made by a program that had only the one) gets step 2, and one that
 * has step 2 does not get it again. */
static void test_schema_steps(void **state)
{
    store *s = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/v1.db", s->dir);
    const char *variants[] = {
        "",
        "INSERT INTO schema_version VALUES (2);",
        "ALTER TABLE snapshot ADD COLUMN saet TEXT;"
        "CREATE TABLE store_owner(id INTEGER PRIMARY KEY CHECK (id = 1), kommune TEXT NOT NULL,"
        " kode TEXT);"
        "CREATE TABLE delivery(dato TEXT NOT NULL, saet TEXT NOT NULL, modtagere TEXT NOT NULL,"
        " state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, svar TEXT, updated INTEGER,"
        " PRIMARY KEY (dato, saet, modtagere));"
        "INSERT INTO schema_version VALUES (3);",
    };
    for (size_t v = 0; v < 3; v++) {
        char sql[4096];
        snprintf(sql, sizeof sql, "%s%s", v1_schema, variants[v]);
        make_store(path, sql);
        ng_history *h = NULL;
        assert_int_equal(ng_history_open(path, &h, &s->diags), NG_OK);
        ng_history_close(h);
        char *versions = sql_text(path, "SELECT group_concat(version) FROM (SELECT version FROM"
                                        " schema_version ORDER BY version)");
        assert_string_equal(versions, "1,2,3");
        free(versions);
        /* step 2 ran unless its row was there */
        char *in_lists =
            sql_text(path, "SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE '% IN (%'");
        assert_string_equal(in_lists, v == 1 ? "2" : "0");
        free(in_lists);
        /* reopened: nothing applied twice, the rows kept */
        assert_int_equal(ng_history_open(path, &h, &s->diags), NG_OK);
        ng_history_listing l;
        assert_int_equal(ng_history_list(h, &l, &s->diags), NG_OK);
        assert_int_equal(l.nsnapshots, 1);
        assert_string_equal(l.snapshots[0].dato, "2025-09-30");
        assert_string_equal(l.snapshots[0].saet, "");
        assert_int_equal(l.snapshots[0].units, 2);
        ng_history_listing_free(&l);
        /* the old store's municipality is its owner */
        assert_int_equal(ng_history_claim(h, "Randers Kommune", NULL, &s->diags), NG_OK);
        assert_int_equal(ng_history_claim(h, "Andeby", NULL, &s->diags), NG_ERR_CONFIG);
        ng_history_close(h);
        versions = sql_text(path, "SELECT count(*) FROM schema_version");
        assert_string_equal(versions, "3");
        free(versions);
    }
    char lock[176];
    snprintf(lock, sizeof lock, "%s.lock", path);
    unlink(path);
    /* newer than this program: refused */
    make_store(path, "CREATE TABLE schema_version(version INTEGER NOT NULL);"
                     "INSERT INTO schema_version VALUES (9);");
    ng_history *h = NULL;
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_history_open(path, &h, &d), NG_ERR_IO);
    assert_non_null(strstr(d.items[0].message, "skemaversion 9"));
    ng_diags_free(&d);
    unlink(path);
    unlink(lock);
}

/* An empty file is not filled with a new schema; a missing store is made
 * complete under PATH.ny and renamed into place. */
static void test_empty_store_refused(void **state)
{
    store *s = *state;
    char path[160], lock[176], ny[176];
    snprintf(path, sizeof path, "%s/empty.db", s->dir);
    snprintf(lock, sizeof lock, "%s.lock", path);
    snprintf(ny, sizeof ny, "%s.ny", path);
    FILE *f = fopen(path, "w");
    fclose(f);
    ng_history *h = NULL;
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_history_open(path, &h, &d), NG_ERR_IO);
    assert_non_null(strstr(d.items[0].message, "tom fil (0 byte)"));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, 0);
    unlink(path);
    assert_int_equal(ng_history_open(path, &h, &d), NG_OK);
    assert_int_not_equal(access(ny, F_OK), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size > 0);
    ng_history_close(h);
    /* check's trial of a store that does not exist creates nothing */
    unlink(path);
    assert_int_equal(ng_history_open_trial(path, &h, &d), NG_OK);
    assert_int_equal(ng_history_claim(h, "Testby", NULL, &d), NG_OK);
    ng_history_close(h);
    assert_int_not_equal(access(path, F_OK), 0);
    unlink(lock);
    ng_diags_free(&d);
}

static void test_owner(void **state)
{
    store *s = *state;
    assert_int_equal(ng_history_claim(s->h, "Randers Kommune", "730", &s->diags), NG_OK);
    assert_int_equal(ng_history_set_owner(s->h, "Randers Kommune", "730", &s->diags), NG_OK);
    assert_int_equal(ng_history_claim(s->h, "Randers Kommune", "730", &s->diags), NG_OK);
    /* renamed, same code: the same municipality */
    assert_int_equal(ng_history_claim(s->h, "Randers", "730", &s->diags), NG_OK);
    /* no code in the config: by name */
    assert_int_equal(ng_history_claim(s->h, "Randers Kommune", NULL, &s->diags), NG_OK);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_history_claim(s->h, "Aarhus Kommune", "751", &d), NG_ERR_CONFIG);
    assert_string_equal(d.items[0].message,
                        "historiklageret tilhører Randers Kommune (kode 730), men "
                        "konfigurationen er for Aarhus Kommune (kode 751); et historiklager "
                        "hører til én kommune (angiv et andet i [historik] database)");
    /* set_owner keeps the first owner */
    assert_int_equal(ng_history_set_owner(s->h, "Aarhus Kommune", "751", &d), NG_OK);
    assert_int_equal(ng_history_claim(s->h, "Aarhus Kommune", "751", &d), NG_ERR_CONFIG);
    ng_diags_free(&d);
}

static ng_history_entry *sample_entry(ng_date dato, const char *saet, const ng_refusion_result *r)
{
    ng_history_entry *e = ng_history_entry_new(dato, saet, "Testby", "999");
    assert_non_null(e);
    ng_history_entry_snapshot(e, r);
    ng_forecast_point pts[2] = {{2026, 101.5, 1.25e8}, {2027, 110.25, 1.5e8}};
    assert_int_equal(ng_history_entry_forecast(e, "2025-10-31", "vaekst", pts, 2, "tab\tog\nlinje"),
                     NG_OK);
    assert_int_equal(ng_history_entry_delivery(e, "a@x.dk, b@y.dk"), NG_OK);
    return e;
}

/* The record file says exactly what the entry holds, and its commit is the
 * same as committing the entry itself. */
static void test_entry_round_trip(void **state)
{
    store *s = *state;
    const unit_spec units[] = {{"k\\ey\t1", NG_OMR_VOKSEN, 1000000, 25, true},
                               {"b", NG_OMR_BOERN, 2500000, 75, false}};
    ng_refusion_result r = make_result(2025, units, 2);
    ng_history_entry *e = sample_entry(D(2025, 10, 31), "abc123", &r);
    char path[160];
    snprintf(path, sizeof path, "%s/post", s->dir);
    assert_int_equal(ng_history_entry_write(e, path, true, &s->diags), NG_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    ng_history_entry *back = NULL;
    assert_int_equal(ng_history_entry_read(path, &back, &s->diags), NG_OK);
    assert_int_equal(ng_date_cmp(ng_history_entry_dato(back), D(2025, 10, 31)), 0);
    assert_string_equal(ng_history_entry_saet(back), "abc123");
    assert_int_equal(ng_history_commit_entry(s->h, back, &s->diags), NG_OK);
    ng_history_listing l = listing(s);
    assert_int_equal(l.nsnapshots, 1);
    assert_string_equal(l.snapshots[0].saet, "abc123");
    assert_string_equal(l.snapshots[0].kommune, "Testby");
    assert_int_equal(l.snapshots[0].units, 2);
    assert_int_equal(l.snapshots[0].antal, 1);
    assert_int_equal(l.snapshots[0].udgift, 100000000);
    ng_history_listing_free(&l);
    ng_stored_forecast fc;
    bool found = false;
    assert_int_equal(ng_history_pick_forecast(s->h, 2026, &fc, &found, &s->diags), NG_OK);
    assert_true(found);
    assert_int_equal(fc.npoints, 2);
    assert_true(fc.points[1].antal == 110.25);
    assert_string_equal(fc.assumptions, "tab\tog\nlinje");
    ng_delivery_list dl;
    assert_int_equal(ng_history_deliveries(s->h, NULL, true, &dl, &s->diags), NG_OK);
    assert_int_equal(dl.n, 1);
    assert_string_equal(dl.items[0].modtagere, "a@x.dk, b@y.dk");
    assert_int_equal(dl.items[0].state, NG_DELIVERY_PENDING);
    ng_delivery_list_free(&dl);
    assert_int_equal(ng_history_claim(s->h, "Andeby", "998", &s->diags), NG_ERR_CONFIG);
    /* a record file cut short is refused */
    FILE *f = fopen(path, "r+");
    assert_int_equal(ftruncate(fileno(f), sb.st_size - 8), 0);
    fclose(f);
    ng_history_entry *cut = NULL;
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_history_entry_read(path, &cut, &d), NG_ERR_IO);
    assert_null(cut);
    assert_non_null(strstr(d.items[0].message, "ufuldstændig"));
    ng_diags_free(&d);
    unlink(path);
    ng_history_entry_free(e);
    ng_history_entry_free(back);
    free_result(&r);
}

/* The record file's bytes, against the format written out independently
 * with printf: enough units to fill the writer's buffer several times, and
 * amounts at both ends of int64. */
static void test_entry_file_bytes(void **state)
{
    store *s = *state;
    enum { N = 6000 };
    unit_spec *specs = calloc(N, sizeof *specs);
    char(*keys)[16] = calloc(N, sizeof *keys);
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], i == 7 ? "k\\%d\t\r\n" : "%06d", i);
        specs[i] = (unit_spec){keys[i], (ng_omraade)(i % 3), (i % 2 ? -1 : 1) * (int64_t)i * 977,
                               (i % 4) * 25, i % 5 != 0};
    }
    ng_refusion_result r = make_result(2025, specs, N);
    r.units[1].udgift = INT64_MIN;
    r.units[2].udgift = INT64_MAX;
    r.units[3].udgift = 0;
    ng_history_entry *e = sample_entry(D(2025, 10, 31), "abc123", &r);
    char path[160];
    snprintf(path, sizeof path, "%s/post", s->dir);
    for (int durable = 0; durable < 2; durable++) {
        assert_int_equal(ng_history_entry_write(e, path, durable, &s->diags), NG_OK);
        char *want = NULL;
        size_t want_len = 0;
        FILE *m = open_memstream(&want, &want_len);
        fprintf(m, "notatgen-historik 1\ndato\t2025-10-31\nsaet\tabc123\nkommune\tTestby\t999\n");
        fprintf(m, "aar\t2025\n");
        for (int i = 0; i < N; i++) {
            const ng_refusion_unit *u = &r.units[i];
            fprintf(m, "enhed\t%s\t%s\t%lld\t%d\t%d\n", i == 7 ? "k\\\\7\\t\\r\\n" : u->key,
                    ng_omraade_key(u->omraade), (long long)u->udgift, u->trin, u->covered ? 1 : 0);
        }
        fprintf(m, "prognose\t2025-10-31\tvaekst\ttab\\tog\\nlinje\n");
        fprintf(m, "punkt\t2026\t%.17g\t%.17g\n", 101.5, 1.25e8);
        fprintf(m, "punkt\t2027\t%.17g\t%.17g\n", 110.25, 1.5e8);
        fprintf(m, "levering\ta@x.dk, b@y.dk\nslut\t%d\n", N + 9);
        fclose(m);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char *got = malloc(want_len + 2);
        size_t got_len = fread(got, 1, want_len + 1, f);
        fclose(f);
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, want_len);
        free(got);
        free(want);
    }
    ng_history_entry *back = NULL;
    assert_int_equal(ng_history_entry_read(path, &back, &s->diags), NG_OK);
    ng_history_entry_free(back);
    unlink(path);
    ng_history_entry_free(e);
    free_result(&r);
    free(specs);
    free(keys);
}

/* A published folder with its record file and a store without it: rolled
 * forward once; inside an open transaction (check's trial) it is undone. */
static void test_roll_forward(void **state)
{
    store *s = *state;
    char out[160], folder[200], path[260];
    snprintf(out, sizeof out, "%s/out", s->dir);
    snprintf(folder, sizeof folder, "%s/2025-10-31", out);
    assert_int_equal(mkdir(out, 0700), 0);
    assert_int_equal(mkdir(folder, 0700), 0);
    /* a manifest whose outputs give the set's hash */
    snprintf(path, sizeof path, "%s/manifest.json", folder);
    FILE *f = fopen(path, "w");
    fputs("{\"inputs\": [], \"outputs\": [], \"saet\": \"" //
          "1111111111111111111111111111111111111111111111111111111111111111\"}\n",
          f);
    fclose(f);
    const unit_spec units[] = {{"a", NG_OMR_VOKSEN, 1000000, 25, true}};
    ng_refusion_result r = make_result(2025, units, 1);
    ng_history_entry *e = sample_entry(
        D(2025, 10, 31), "1111111111111111111111111111111111111111111111111111111111111111", &r);
    snprintf(path, sizeof path, "%s/" NG_HISTORY_RECORD_FILE, folder);
    assert_int_equal(ng_history_entry_write(e, path, true, &s->diags), NG_OK);
    int rolled = 0;
    /* the trial */
    assert_int_equal(ng_history_begin(s->h, &s->diags), NG_OK);
    assert_int_equal(ng_history_roll_forward(s->h, out, true, &rolled, &s->diags), NG_OK);
    assert_int_equal(rolled, 1);
    ng_history_rollback(s->h);
    assert_int_equal(access(path, F_OK), 0);
    ng_history_listing l = listing(s);
    assert_int_equal(l.nsnapshots, 0);
    ng_history_listing_free(&l);
    /* the run */
    assert_int_equal(ng_history_roll_forward(s->h, out, true, &rolled, &s->diags), NG_OK);
    assert_int_equal(rolled, 1);
    assert_int_not_equal(access(path, F_OK), 0);
    l = listing(s);
    assert_int_equal(l.nsnapshots, 1);
    ng_history_listing_free(&l);
    /* a record file left after its commit: removed, nothing recorded twice */
    assert_int_equal(ng_history_entry_write(e, path, true, &s->diags), NG_OK);
    assert_int_equal(ng_history_roll_forward(s->h, out, true, &rolled, &s->diags), NG_OK);
    assert_int_equal(rolled, 0);
    assert_int_not_equal(access(path, F_OK), 0);
    /* a record file of another set than the folder's: refused */
    ng_history_entry *other = sample_entry(D(2025, 10, 31), "22", &r);
    assert_int_equal(ng_history_entry_write(other, path, true, &s->diags), NG_OK);
    snprintf(path, sizeof path, "%s/manifest.json", folder);
    f = fopen(path, "w");
    fputs("{\"inputs\": [], \"outputs\": [], \"saet\": \"" //
          "3333333333333333333333333333333333333333333333333333333333333333\"}\n",
          f);
    fclose(f);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_history_roll_forward(s->h, out, true, &rolled, &d), NG_ERR_IO);
    ng_diags_free(&d);
    snprintf(path, sizeof path, "%s/" NG_HISTORY_RECORD_FILE, folder);
    unlink(path);
    snprintf(path, sizeof path, "%s/manifest.json", folder);
    unlink(path);
    rmdir(folder);
    rmdir(out);
    ng_history_entry_free(e);
    ng_history_entry_free(other);
    free_result(&r);
}

static ng_delivery_state state_of(store *s, const char *dato, const char *saet)
{
    ng_delivery_list dl;
    assert_int_equal(ng_history_deliveries(s->h, NULL, false, &dl, &s->diags), NG_OK);
    ng_delivery_state st = NG_DELIVERY_SUPERSEDED + 1;
    for (size_t i = 0; i < dl.n; i++)
        if (!strcmp(dl.items[i].dato, dato) && !strcmp(dl.items[i].saet, saet))
            st = dl.items[i].state;
    ng_delivery_list_free(&dl);
    return st;
}

/* pending -> failed -> sent; a sent set recorded again stays sent; a new set
 * of a date supersedes what of the date was still due. */
static void test_delivery_states(void **state)
{
    store *s = *state;
    const unit_spec units[] = {{"a", NG_OMR_VOKSEN, 1000000, 25, true}};
    ng_refusion_result r = make_result(2025, units, 1);
    ng_history_entry *e1 = sample_entry(D(2025, 10, 31), "s1", &r);
    assert_int_equal(ng_history_commit_entry(s->h, e1, &s->diags), NG_OK);
    assert_int_equal(state_of(s, "2025-10-31", "s1"), NG_DELIVERY_PENDING);
    assert_int_equal(ng_history_set_delivery(s->h, "2025-10-31", "s1", "a@x.dk, b@y.dk",
                                             NG_DELIVERY_FAILED, "SMTP-svar 550", true, &s->diags),
                     NG_OK);
    ng_delivery_list dl;
    assert_int_equal(ng_history_deliveries(s->h, "a@x.dk, b@y.dk", true, &dl, &s->diags), NG_OK);
    assert_int_equal(dl.n, 1); /* a failed one is due */
    assert_int_equal(dl.items[0].attempts, 1);
    assert_string_equal(dl.items[0].svar, "SMTP-svar 550");
    ng_delivery_list_free(&dl);
    assert_int_equal(ng_history_deliveries(s->h, "c@z.dk", true, &dl, &s->diags), NG_OK);
    assert_int_equal(dl.n, 0); /* not to other recipients */
    ng_delivery_list_free(&dl);
    assert_int_equal(ng_history_set_delivery(s->h, "2025-10-31", "s1", "a@x.dk, b@y.dk",
                                             NG_DELIVERY_SENT, "250 OK", true, &s->diags),
                     NG_OK);
    /* the same set recorded again (a re-run with the same outputs) */
    assert_int_equal(ng_history_commit_entry(s->h, e1, &s->diags), NG_OK);
    assert_int_equal(state_of(s, "2025-10-31", "s1"), NG_DELIVERY_SENT);
    /* a new set of the date while an older one is still due */
    ng_history_entry *e2 = sample_entry(D(2025, 11, 30), "s2", &r);
    ng_history_entry *e3 = sample_entry(D(2025, 11, 30), "s3", &r);
    assert_int_equal(ng_history_commit_entry(s->h, e2, &s->diags), NG_OK);
    assert_int_equal(ng_history_commit_entry(s->h, e3, &s->diags), NG_OK);
    assert_int_equal(state_of(s, "2025-11-30", "s2"), NG_DELIVERY_SUPERSEDED);
    assert_int_equal(state_of(s, "2025-11-30", "s3"), NG_DELIVERY_PENDING);
    assert_int_equal(state_of(s, "2025-10-31", "s1"), NG_DELIVERY_SENT);
    /* s2 published again: due again */
    assert_int_equal(ng_history_commit_entry(s->h, e2, &s->diags), NG_OK);
    assert_int_equal(state_of(s, "2025-11-30", "s2"), NG_DELIVERY_PENDING);
    assert_int_equal(state_of(s, "2025-11-30", "s3"), NG_DELIVERY_SUPERSEDED);
    ng_history_entry_free(e1);
    ng_history_entry_free(e2);
    ng_history_entry_free(e3);
    free_result(&r);
}

/* ---- the snapshot written ahead of its commit -------------------------------- */

/* What a store holds, as text: every row of the tables a commit writes (the
 * delivery's time left out), read by a connection of its own -- so only
 * what is committed. */
static char *committed(const char *path)
{
    static const char *const queries[] = {
        "SELECT id, dato, kommune, aar, created_by_version, saet FROM snapshot ORDER BY id",
        "SELECT snapshot_id, key, omraade, udgift_oere, trin, covered FROM snapshot_unit"
        " ORDER BY snapshot_id, key",
        "SELECT made_on, method, aar, antal, udgift_oere, assumptions FROM forecast"
        " ORDER BY made_on, method, aar",
        "SELECT dato, saet, modtagere, state, attempts FROM delivery ORDER BY dato, saet",
        "SELECT * FROM store_owner",
    };
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, queries[q], -1, &st, NULL), SQLITE_OK);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *v = sqlite3_column_text(st, c);
                size_t need = n + (v ? strlen((const char *)v) : 4) + 3;
                if (need > cap)
                    out = realloc(out, cap = 2 * need);
                n += (size_t)sprintf(out + n, "%s%c", v ? (const char *)v : "NULL",
                                     c + 1 < sqlite3_column_count(st) ? '|' : '\n');
            }
        }
        assert_int_equal(rc, SQLITE_DONE);
        sqlite3_finalize(st);
        n += (size_t)sprintf(out + n, "--\n");
    }
    sqlite3_close(db);
    return out;
}

/* A second store beside s's, for the same commits without writing ahead. */
static ng_history *other_store(store *s, char *path, size_t size)
{
    snprintf(path, size, "%s/andet.db", s->dir);
    ng_history *h = NULL;
    assert_int_equal(ng_history_open(path, &h, &s->diags), NG_OK);
    return h;
}

static void remove_store(const char *path)
{
    char buf[200];
    const char *suffixes[] = {"", "-journal", ".lock"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(buf, sizeof buf, "%s%s", path, suffixes[i]);
        unlink(buf);
    }
}

/* Written ahead and committed, a run's entry leaves the store exactly as
 * its commit alone does -- replacing a date's snapshot too -- and nothing of
 * it is visible before the commit. */
static void test_write_ahead_commits_the_same(void **state)
{
    store *s = *state;
    char path[160];
    ng_history *plain = other_store(s, path, sizeof path);
    ng_refusion_result r3 = make_result(2025, three_units, 3);
    ng_refusion_result r2 = make_result(2025, three_units, 2);
    ng_history_entry *e1 = sample_entry(D(2025, 9, 30), "s1", &r3);
    ng_history_entry *e2 = sample_entry(D(2025, 10, 31), "s2", &r3);
    ng_history_entry *e3 = sample_entry(D(2025, 10, 31), "s3", &r2); /* replaces e2's */
    ng_history_entry *e4 = ng_history_entry_new(D(2025, 11, 30), "", NULL, NULL); /* no saet */
    ng_history_entry_snapshot(e4, &r2);
    ng_history_entry *entries[] = {e1, e2, e3, e4};
    for (size_t i = 0; i < 4; i++) {
        char *before = committed(s->path);
        ng_history_entry *e = entries[i];
        assert_int_equal(ng_history_write_ahead(s->h, ng_history_entry_dato(e),
                                                i < 3 ? "Testby" : NULL, i < 2 ? &r3 : &r2),
                         NG_OK);
        char *during = committed(s->path);
        assert_string_equal(during, before);
        assert_int_equal(ng_history_commit_entry(s->h, e, &s->diags), NG_OK);
        assert_int_equal(ng_history_commit_entry(plain, e, &s->diags), NG_OK);
        char *ahead = committed(s->path), *alone = committed(path);
        assert_string_equal(ahead, alone);
        assert_string_not_equal(ahead, before);
        free(before);
        free(during);
        free(ahead);
        free(alone);
    }
    assert_int_equal(s->diags.errors, 0);
    /* e3 replaced e2's snapshot of 31-10 */
    ng_history_listing l = listing(s);
    assert_int_equal(l.nsnapshots, 3);
    assert_string_equal(l.snapshots[1].saet, "s3");
    assert_int_equal(l.snapshots[1].units, 2);
    ng_history_listing_free(&l);
    for (size_t i = 0; i < 4; i++)
        ng_history_entry_free(entries[i]);
    ng_history_close(plain);
    remove_store(path);
    free_result(&r3);
    free_result(&r2);
}

/* A snapshot written ahead and not committed -- rolled back, the store
 * closed, or another entry committed -- changes nothing of what it replaced;
 * inside another transaction it is refused. */
static void test_write_ahead_undone(void **state)
{
    store *s = *state;
    ng_refusion_result r3 = make_result(2025, three_units, 3);
    ng_refusion_result r2 = make_result(2025, three_units, 2);
    ng_history_entry *e = sample_entry(D(2025, 9, 30), "s1", &r3);
    assert_int_equal(ng_history_commit_entry(s->h, e, &s->diags), NG_OK);
    char *before = committed(s->path);

    assert_int_equal(ng_history_write_ahead(s->h, D(2025, 9, 30), "Testby", &r2), NG_OK);
    ng_history_rollback(s->h);
    char *now = committed(s->path);
    assert_string_equal(now, before);
    free(now);

    /* written ahead twice: the second is refused, the first stays open */
    assert_int_equal(ng_history_write_ahead(s->h, D(2025, 9, 30), "Testby", &r2), NG_OK);
    assert_int_equal(ng_history_write_ahead(s->h, D(2025, 9, 30), "Testby", &r2), NG_ERR_INTERNAL);
    ng_history_close(s->h);
    now = committed(s->path);
    assert_string_equal(now, before);
    free(now);
    assert_int_equal(ng_history_open(s->path, &s->h, &s->diags), NG_OK);

    /* inside another transaction (check's trial) */
    assert_int_equal(ng_history_begin(s->h, &s->diags), NG_OK);
    assert_int_equal(ng_history_write_ahead(s->h, D(2025, 9, 30), "Testby", &r2), NG_ERR_INTERNAL);
    ng_history_rollback(s->h);

    /* another snapshot written ahead than the entry's: the entry's counts */
    assert_int_equal(ng_history_write_ahead(s->h, D(2025, 9, 30), "Testby", &r2), NG_OK);
    assert_int_equal(ng_history_commit_entry(s->h, e, &s->diags), NG_OK);
    now = committed(s->path);
    assert_string_equal(now, before);
    free(now);
    assert_int_equal(s->diags.errors, 0);
    free(before);
    ng_history_entry_free(e);
    free_result(&r3);
    free_result(&r2);
}

/* A snapshot that cannot be written ahead (a duplicate key) is undone, and
 * the commit fails with the messages it gives without writing ahead. */
static void test_write_ahead_failed(void **state)
{
    store *s = *state;
    char path[160];
    ng_history *plain = other_store(s, path, sizeof path);
    const unit_spec dup[] = {
        {"x", NG_OMR_VOKSEN, 5000000, 75, true},
        {"x", NG_OMR_VOKSEN, 1000000, 25, true},
    };
    ng_refusion_result bad = make_result(2025, dup, 2);
    ng_history_entry *e = sample_entry(D(2025, 9, 30), "s1", &bad);
    char *before = committed(s->path);
    ng_diags ahead, alone;
    ng_diags_init(&ahead);
    ng_diags_init(&alone);
    assert_int_equal(ng_history_write_ahead(s->h, D(2025, 9, 30), "Testby", &bad), NG_OK);
    assert_int_equal(ng_history_commit_entry(s->h, e, &ahead), NG_ERR_INTERNAL);
    assert_int_equal(ng_history_commit_entry(plain, e, &alone), NG_ERR_INTERNAL);
    assert_true(ahead.count > 0);
    assert_int_equal(ahead.count, alone.count);
    for (size_t i = 0; i < ahead.count; i++)
        assert_string_equal(ahead.items[i].message, alone.items[i].message);
    char *now = committed(s->path);
    assert_string_equal(now, before);
    free(now);
    free(before);
    ng_diags_free(&ahead);
    ng_diags_free(&alone);
    ng_history_entry_free(e);
    ng_history_close(plain);
    remove_store(path);
    free_result(&bad);
}

static void test_previous_total(void **state)
{
    store *s = *state;
    bool found = true;
    ng_date prev;
    int64_t oere = -1;
    assert_int_equal(
        ng_history_previous_total(s->h, D(2025, 10, 31), &found, &prev, &oere, &s->diags), NG_OK);
    assert_false(found);
    ng_refusion_result r = make_result(2025, three_units, 3);
    assert_int_equal(ng_history_record(s->h, D(2025, 9, 30), "Testby", &r, &s->diags), NG_OK);
    assert_int_equal(
        ng_history_previous_total(s->h, D(2025, 10, 31), &found, &prev, &oere, &s->diags), NG_OK);
    assert_true(found);
    assert_int_equal(ng_date_cmp(prev, D(2025, 9, 30)), 0);
    assert_int_equal(oere, 600000000); /* every unit, the children's too */
    assert_int_equal(
        ng_history_previous_total(s->h, D(2025, 9, 30), &found, &prev, &oere, &s->diags), NG_OK);
    assert_false(found); /* not itself */
    free_result(&r);
}

/* ---- import ---------------------------------------------------------------- */

static void test_import_reproduces_reference(void **state)
{
    store *s = *state;
    ref_row monthly[16], yearly[8];
    size_t nm = read_reference("refusion_monthly_2025.csv", monthly, 16);
    size_t ny = read_reference("refusion_yearly_2022_2025.csv", yearly, 8);
    assert_int_equal(nm, 8);
    assert_int_equal(ny, 4);
    import_reference(s, "refusion_monthly_2025.csv");
    import_reference(s, "refusion_yearly_2022_2025.csv");
    import_reference(s, "refusion_monthly_2025.csv"); /* again: replaces, no duplicates */
    assert_int_equal(s->diags.errors, 0);
    assert_int_equal(s->diags.warnings, 0);

    ng_history_listing l = listing(s);
    assert_int_equal(l.nsnapshots, 0);
    assert_int_equal(l.naggregates, 12);
    assert_string_equal(l.aggregates[0].kind, "aar");
    assert_string_equal(l.aggregates[0].periode, "2022");
    assert_int_equal(l.aggregates[0].antal, 199);
    assert_int_equal(l.aggregates[0].udgift, 26760000000LL); /* 267,6 mio. kr. */
    assert_string_equal(l.aggregates[4].periode, "2025-02");
    assert_int_equal(l.aggregates[4].udgift, 38210000000LL);
    assert_string_equal(l.aggregates[4].source, "refusion_monthly_2025.csv");
    ng_history_listing_free(&l);

    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_history_tables(s->h, D(2025, 10, 31), NULL, &ds, &s->diags), NG_OK);
    const ng_table *m = ng_dataset_table(&ds, "opfoelgning_maaned");
    const ng_table *y = ng_dataset_table(&ds, "refusion_aar");
    assert_non_null(m);
    assert_non_null(y);
    assert_tier_table(m, monthly, nm, true);
    assert_tier_table(y, yearly, ny, false);
    assert_string_equal(y->source, "Kilde: refusion_yearly_2022_2025.csv.");
    assert_string_equal(y->note, "Udgift i mio. kr.");

    /* the example memo's numbers: 34 -> 71 cases and 84,1 -> 188,1 mio. kr. */
    assert_true(ng_dataset_value(&ds, "stigning_antal_50_75")->num == 37);
    assert_true(ng_dataset_value(&ds, "stigning_udgift_50_75")->num == 104000000.0);
    assert_true(ng_dataset_value(&ds, "foerste_aar")->num == 2022);
    assert_true(ng_dataset_value(&ds, "sidste_aar")->num == 2025);

    const ng_figure *fig = ng_dataset_figure(&ds, "refusion_aar_figur");
    assert_non_null(fig);
    assert_string_equal(fig->table, "refusion_aar");
    assert_string_equal(fig->y_title, "mio. kr.");
    assert_int_equal(fig->type, NG_FIG_STACKED);
    assert_false(fig->series_from_rows);
    assert_int_equal(fig->nseries, 3);
    assert_int_equal(fig->series[0], ng_table_col(y, "udgift_25"));
    assert_int_equal(fig->series[2], ng_table_col(y, "udgift_75"));
    assert_int_equal(fig->ncats, 4);
    assert_int_equal(fig->cats[3], 3);
    /* no snapshot at all: no bridge values */
    assert_null(ng_dataset_value(&ds, "tilgang_antal"));
    assert_null(ng_dataset_value(&ds, "forrige_opfoelgning_dato"));
    ng_dataset_free(&ds);

    /* as of September the October row is not shown yet */
    ng_dataset_init(&ds);
    assert_int_equal(ng_history_tables(s->h, D(2025, 9, 30), NULL, &ds, &s->diags), NG_OK);
    assert_tier_table(ng_dataset_table(&ds, "opfoelgning_maaned"), monthly, nm - 1, true);
    ng_dataset_free(&ds);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void expect_import_error(store *s, const char *text, long line, long column,
                                const char *fragment)
{
    char path[160];
    snprintf(path, sizeof path, "%s/bad.csv", s->dir);
    write_file(path, text);
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_history_import(s->h, path, &d), NG_ERR_INPUT);
    assert_true(d.errors > 0);
    const ng_diag *e = &d.items[0];
    assert_string_equal(e->file, path);
    assert_int_equal(e->line, line);
    assert_int_equal(e->column, column);
    if (!strstr(e->message, fragment))
        fail_msg("message '%s' lacks '%s'", e->message, fragment);
    ng_diags_free(&d);
}

static void test_import_errors(void **state)
{
    store *s = *state;
    const char *hdr = "maaned;antal_25;udgift_25;antal_50;udgift_50;antal_75;udgift_75;"
                      "antal_total;udgift_total\n";
    char text[1024];
    /* a number that is not a number: line 4, the field's column */
    snprintf(text, sizeof text,
             "# kommentar\n%s2025-02;179;221,7;35;70,9;26;89,5;240;382,1\n"
             "2025-03;183;2x7,7;35;70,4;28;96,4;246;394,5\n",
             hdr);
    expect_import_error(s, text, 4, 3, "2x7,7");
    /* an unknown layout */
    expect_import_error(s, "kvartal;antal_25\n2025-1;3\n", 1, 1, "kvartal");
    /* a bad period */
    snprintf(text, sizeof text, "%s2025-13;179;221,7;35;70,9;26;89,5;240;382,1\n", hdr);
    expect_import_error(s, text, 2, 1, "2025-13");
    /* a total that disagrees with the tiers */
    snprintf(text, sizeof text, "%s2025-02;179;221,7;35;70,9;26;89,5;241;382,1\n", hdr);
    expect_import_error(s, text, 2, 8, "antal_total");
    /* a missing field */
    snprintf(text, sizeof text, "%s2025-02;179;221,7;35;70,9;26;89,5;240\n", hdr);
    expect_import_error(s, text, 2, 0, "felter");
    /* a missing column in the header */
    expect_import_error(s, "aar;antal_25;udgift_25;antal_50;udgift_50;antal_75\n", 1, 0,
                        "udgift_75");

    /* nothing of the failed files reached the store */
    ng_history_listing l = listing(s);
    assert_int_equal(l.naggregates, 0);
    ng_history_listing_free(&l);
}

/* A spreadsheet's export: BOM, CRLF, quoted fields, blank lines. */
static void test_import_spreadsheet_export(void **state)
{
    store *s = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/bad.csv", s->dir);
    write_file(path, "\xEF\xBB\xBF\"aar\";\"antal_25\";\"udgift_25\";\"antal_50\";\"udgift_50\";"
                     "\"antal_75\";\"udgift_75\"\r\n"
                     "\r\n"
                     "\"2024\";\"166\";\"199,3\";\"42\";\"81,8\";\"22\";\"75,9\"\r\n"
                     "  # a comment\r\n"
                     "2023;175; 201,7 ;28;54,7;14;47,3\r\n");
    assert_int_equal(ng_history_import(s->h, path, &s->diags), NG_OK);
    ng_history_listing l = listing(s);
    assert_int_equal(l.naggregates, 2);
    assert_string_equal(l.aggregates[0].periode, "2023");
    assert_int_equal(l.aggregates[0].antal, 217);
    assert_int_equal(l.aggregates[0].udgift, 30370000000LL);
    assert_string_equal(l.aggregates[1].periode, "2024");
    assert_int_equal(l.aggregates[1].antal, 230);
    assert_int_equal(l.aggregates[1].udgift, 35700000000LL);
    ng_history_listing_free(&l);
}

/* ---- snapshots reproduce the monthly table ---------------------------------- */

static const ng_date followups[8] = {{2025, 2, 28}, {2025, 3, 31}, {2025, 4, 30}, {2025, 5, 31},
                                     {2025, 6, 30}, {2025, 7, 31}, {2025, 9, 30}, {2025, 10, 31}};

/* Units whose per-tier counts and sums equal a reference row, plus units the
 * follow-up must not count (a child, an uncovered adult, an adult below t1). */
static ng_refusion_result result_for_row(const ref_row *row)
{
    static const int rates[3] = {25, 50, 75};
    size_t n = (size_t)(row->antal[0] + row->antal[1] + row->antal[2]) + 3, k = 0;
    ng_refusion_result r = {.aar = 2025, .n = n};
    r.units = calloc(n, sizeof *r.units);
    char key[32];
    for (int t = 0; t < 3; t++) {
        int64_t each = row->oere[t] / row->antal[t], extra = row->oere[t] % row->antal[t];
        for (long i = 0; i < row->antal[t]; i++, k++) {
            snprintf(key, sizeof key, "sag-%d-%03ld", rates[t], i);
            r.units[k] = (ng_refusion_unit){.key = strdup(key),
                                            .omraade = NG_OMR_VOKSEN,
                                            .udgift = each + (i < extra ? 1 : 0),
                                            .trin = rates[t],
                                            .covered = true,
                                            .nsager = 1};
        }
    }
    r.units[k++] = (ng_refusion_unit){.key = strdup("barn-1"),
                                      .omraade = NG_OMR_BOERN,
                                      .udgift = 300000000,
                                      .trin = 75,
                                      .covered = true};
    r.units[k++] = (ng_refusion_unit){.key = strdup("ikke-daekket"),
                                      .omraade = NG_OMR_VOKSEN,
                                      .udgift = 250000000,
                                      .trin = 75,
                                      .covered = false,
                                      .undecided67 = true};
    r.units[k++] = (ng_refusion_unit){.key = strdup("under-t1"),
                                      .omraade = NG_OMR_VOKSEN,
                                      .udgift = 50000000,
                                      .trin = 0,
                                      .covered = true};
    assert_int_equal(k, n);
    return r;
}

static void test_snapshots_reproduce_monthly(void **state)
{
    store *s = *state;
    ref_row monthly[16];
    size_t nm = read_reference("refusion_monthly_2025.csv", monthly, 16);
    assert_int_equal(nm, 8);
    ng_refusion_result results[8];
    for (size_t i = 0; i < nm; i++) {
        results[i] = result_for_row(&monthly[i]);
        assert_int_equal(followups[i].m, atoi(monthly[i].periode + 5));
    }
    /* an earlier follow-up in March that the later one must replace */
    assert_int_equal(ng_history_record(s->h, D(2025, 3, 14), "Testby", &results[7], &s->diags),
                     NG_OK);
    /* recorded out of order: the store sorts by date */
    for (size_t i = nm; i-- > 0;)
        assert_int_equal(ng_history_record(s->h, followups[i], "Testby", &results[i], &s->diags),
                         NG_OK);

    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_history_tables(s->h, D(2025, 10, 31), NULL, &ds, &s->diags), NG_OK);
    assert_tier_table(ng_dataset_table(&ds, "opfoelgning_maaned"), monthly, nm, true);
    /* the year is the newest snapshot of it */
    ref_row october = monthly[7];
    snprintf(october.periode, sizeof october.periode, "2025");
    assert_tier_table(ng_dataset_table(&ds, "refusion_aar"), &october, 1, false);
    ng_dataset_free(&ds);

    /* the current (unrecorded) snapshot is the October row */
    ng_dataset_init(&ds);
    assert_int_equal(ng_history_tables(s->h, D(2025, 11, 15), &results[7], &ds, &s->diags), NG_OK);
    ref_row with_nov[9];
    memcpy(with_nov, monthly, sizeof(ref_row) * 8);
    with_nov[8] = monthly[7];
    snprintf(with_nov[8].periode, sizeof with_nov[8].periode, "2025-11");
    assert_tier_table(ng_dataset_table(&ds, "opfoelgning_maaned"), with_nov, 9, true);
    ng_dataset_free(&ds);

    /* imported years, the current year from the newest snapshot (September) */
    import_reference(s, "refusion_yearly_2022_2025.csv");
    ref_row yearly[8];
    size_t ny = read_reference("refusion_yearly_2022_2025.csv", yearly, 8);
    yearly[ny - 1] = monthly[6];
    snprintf(yearly[ny - 1].periode, sizeof yearly[ny - 1].periode, "2025");
    ng_dataset_init(&ds);
    assert_int_equal(ng_history_tables(s->h, D(2025, 9, 30), NULL, &ds, &s->diags), NG_OK);
    const ng_table *y = ng_dataset_table(&ds, "refusion_aar");
    assert_tier_table(y, yearly, ny, false);
    assert_string_equal(y->source, "Kilde: refusion_yearly_2022_2025.csv og udtræk fra "
                                   "fagsystemet ved opfølgningerne.");
    assert_string_equal(y->note, "Udgift i mio. kr. Tallene for 2025 er opgjort pr. 30. september "
                                 "2025 med forbehold for ændringer i resten af året.");
    ng_dataset_free(&ds);

    for (size_t i = 0; i < nm; i++)
        free_result(&results[i]);
}

/* ---- the bridge ------------------------------------------------------------ */

static const unit_spec previous_units[] = {
    {"A", NG_OMR_VOKSEN, 1000000, 25, true},   {"B", NG_OMR_VOKSEN, 1500000, 25, true},
    {"C", NG_OMR_VOKSEN, 2000000, 50, true},   {"D", NG_OMR_VOKSEN, 3000000, 75, true},
    {"barn", NG_OMR_BOERN, 4000000, 75, true}, {"nej", NG_OMR_VOKSEN, 2500000, 75, false},
};

/* 2 new (E, F), 1 ended (C), stayers +0,1 mio. each; the child and the
 * uncovered adult change but do not count. */
static const unit_spec current_units[] = {
    {"F", NG_OMR_VOKSEN, 1500000, 25, true},  {"A", NG_OMR_VOKSEN, 1100000, 25, true},
    {"B", NG_OMR_VOKSEN, 1600000, 25, true},  {"D", NG_OMR_VOKSEN, 3100000, 75, true},
    {"E", NG_OMR_VOKSEN, 1200000, 25, true},  {"barn", NG_OMR_BOERN, 9000000, 75, true},
    {"nej", NG_OMR_VOKSEN, 100000, 0, false},
};

static void assert_value(const ng_dataset *ds, const char *name, double want)
{
    const ng_value *v = ng_dataset_value(ds, name);
    assert_non_null(v);
    assert_false(v->is_text);
    if (v->num != want)
        fail_msg("%s: got %.2f, want %.2f", name, v->num, want);
}

static void assert_bridge(const ng_dataset *ds, double tilgang, double afgang, double t_kr,
                          double a_kr, double stay_kr, double total_kr)
{
    assert_value(ds, "tilgang_antal", tilgang);
    assert_value(ds, "afgang_antal", afgang);
    assert_value(ds, "tilgang_udgift", t_kr);
    assert_value(ds, "afgang_udgift", a_kr);
    assert_value(ds, "aendring_tilgang_afgang_udgift", t_kr - a_kr);
    assert_value(ds, "aendring_eksisterende_udgift", stay_kr);
    assert_value(ds, "aendring_udgift", total_kr);
}

/* The example memo's follow-up: 2 new cases, 1 ended, +1,0 mio. kr. (the
 * memo's sentences about these values are tested in test_sde_status). */
static void test_bridge_example(void **state)
{
    store *s = *state;
    ng_refusion_result prev = make_result(2025, previous_units, 6);
    ng_refusion_result now = make_result(2025, current_units, 7);
    /* an older follow-up that is not the previous one */
    ng_refusion_result older = make_result(2025, current_units, 2);
    assert_int_equal(ng_history_record(s->h, D(2025, 8, 31), NULL, &older, &s->diags), NG_OK);
    assert_int_equal(ng_history_record(s->h, D(2025, 9, 30), NULL, &prev, &s->diags), NG_OK);

    ng_dataset ds;
    ng_dataset_init(&ds);
    assert_int_equal(ng_history_tables(s->h, D(2025, 10, 31), &now, &ds, &s->diags), NG_OK);
    assert_bridge(&ds, 2, 1, 2700000, 2000000, 300000, 1000000);
    assert_value(&ds, "forrige_opfoelgning_dato", 20361); /* 2025-09-30 */
    assert_int_equal(ng_dataset_value(&ds, "forrige_opfoelgning_dato")->unit, NG_UNIT_DATO);
    assert_null(ng_dataset_value(&ds, "udvikling_saetning"));
    ng_dataset_free(&ds);

    /* recorded, and read back from the store: the same */
    assert_int_equal(ng_history_record(s->h, D(2025, 10, 31), NULL, &now, &s->diags), NG_OK);
    ng_dataset_init(&ds);
    assert_int_equal(ng_history_tables(s->h, D(2025, 10, 31), NULL, &ds, &s->diags), NG_OK);
    assert_bridge(&ds, 2, 1, 2700000, 2000000, 300000, 1000000);
    assert_value(&ds, "forrige_opfoelgning_dato", 20361);
    ng_dataset_free(&ds);
    free_result(&prev);
    free_result(&now);
    free_result(&older);
}

/* Records prev at 2025-09-30 and publishes the bridge for now at 2025-10-31
 * into ds. */
static void bridge_for(store *s, const unit_spec *p, size_t np, const unit_spec *n, size_t nn,
                       ng_dataset *ds)
{
    ng_refusion_result prev = make_result(2025, p, np), now = make_result(2025, n, nn);
    if (np)
        assert_int_equal(ng_history_record(s->h, D(2025, 9, 30), NULL, &prev, &s->diags), NG_OK);
    ng_dataset_init(ds);
    assert_int_equal(ng_history_tables(s->h, D(2025, 10, 31), &now, ds, &s->diags), NG_OK);
    free_result(&prev);
    free_result(&now);
}

static void test_bridge_singular_and_fall(void **state)
{
    store *s = *state;
    const unit_spec p[] = {{"A", NG_OMR_VOKSEN, 1000000, 25, true},
                           {"B", NG_OMR_VOKSEN, 2000000, 50, true}};
    const unit_spec n[] = {{"A", NG_OMR_VOKSEN, 800000, 25, true},
                           {"C", NG_OMR_VOKSEN, 1000000, 25, true}};
    ng_dataset ds;
    bridge_for(s, p, 2, n, 2, &ds);
    assert_bridge(&ds, 1, 1, 1000000, 2000000, -200000, -1200000);
    ng_dataset_free(&ds);
}

static void test_bridge_no_tilgang(void **state)
{
    store *s = *state;
    const unit_spec p[] = {{"A", NG_OMR_VOKSEN, 1000000, 25, true},
                           {"B", NG_OMR_VOKSEN, 2000000, 50, true},
                           {"C", NG_OMR_VOKSEN, 1500000, 25, true},
                           {"D", NG_OMR_VOKSEN, 1000000, 25, true}};
    const unit_spec n[] = {{"A", NG_OMR_VOKSEN, 1200000, 25, true},
                           {"B", NG_OMR_VOKSEN, 2000000, 50, true}};
    ng_dataset ds;
    bridge_for(s, p, 4, n, 2, &ds);
    assert_bridge(&ds, 0, 2, 0, 2500000, 200000, -2300000);
    ng_dataset_free(&ds);
}

static void test_bridge_no_afgang(void **state)
{
    store *s = *state;
    const unit_spec p[] = {{"A", NG_OMR_VOKSEN, 1000000, 25, true}};
    const unit_spec n[] = {{"A", NG_OMR_VOKSEN, 1000000, 25, true},
                           {"B", NG_OMR_VOKSEN, 1300000, 25, true},
                           {"C", NG_OMR_VOKSEN, 1000000, 25, true}};
    ng_dataset ds;
    bridge_for(s, p, 1, n, 3, &ds);
    assert_bridge(&ds, 2, 0, 2300000, 0, 0, 2300000);
    ng_dataset_free(&ds);
}

static void test_bridge_unchanged(void **state)
{
    store *s = *state;
    const unit_spec p[] = {{"A", NG_OMR_VOKSEN, 1000000, 25, true}};
    const unit_spec n[] = {{"A", NG_OMR_VOKSEN, 1020000, 25, true}};
    ng_dataset ds;
    bridge_for(s, p, 1, n, 1, &ds);
    assert_bridge(&ds, 0, 0, 0, 0, 20000, 20000);
    ng_dataset_free(&ds);
}

static void test_bridge_no_previous(void **state)
{
    store *s = *state;
    ng_dataset ds;
    bridge_for(s, NULL, 0, current_units, 7, &ds);
    /* nothing to compare with: no bridge, no date, so a template leaves the
     * comparison out */
    assert_null(ng_dataset_value(&ds, "forrige_opfoelgning_dato"));
    assert_null(ng_dataset_value(&ds, "tilgang_antal"));
    assert_null(ng_dataset_table(&ds, "udvikling"));
    /* the one follow-up is the table's one row */
    const ng_table *m = ng_dataset_table(&ds, "opfoelgning_maaned");
    assert_int_equal(m->nrows, 1);
    assert_string_equal(m->rows[0].key, "2025-10");
    assert_num(m, 0, "antal_25", 4);
    assert_num(m, 0, "udgift_25", 1500000 + 1100000 + 1600000 + 1200000);
    assert_num(m, 0, "antal_total", 5);
    ng_dataset_free(&ds);
}

static void test_bridge_arithmetic(void **state)
{
    (void)state;
    ng_bridge_unit now[] = {{"b", 300}, {"a", 100}, {"d", 50}};
    ng_bridge_unit then[] = {{"c", 70}, {"a", 120}, {"b", 300}};
    ng_bridge_sort(now, 3);
    ng_bridge_sort(then, 3);
    ng_bridge b;
    assert_int_equal(ng_bridge_between_snapshots(now, 3, then, 3, &b), NG_OK);
    assert_int_equal(b.tilgang_antal, 1);
    assert_int_equal(b.tilgang_udgift, 50);
    assert_int_equal(b.afgang_antal, 1);
    assert_int_equal(b.afgang_udgift, 70);
    assert_int_equal(b.eksisterende_antal, 2);
    assert_int_equal(b.aendring_eksisterende_udgift, -20);
    assert_int_equal(b.aendring_udgift, -40);
    /* duplicate or unsorted keys: caught, not miscounted */
    ng_bridge_unit dup[] = {{"a", 100}, {"a", 100}};
    assert_int_equal(ng_bridge_between_snapshots(dup, 2, then, 3, &b), NG_ERR_INTERNAL);
    assert_int_equal(ng_bridge_between_snapshots(then, 3, dup, 2, &b), NG_ERR_INTERNAL);
    ng_bridge_unit unsorted[] = {{"b", 1}, {"a", 1}};
    assert_int_equal(ng_bridge_between_snapshots(unsorted, 2, then, 3, &b), NG_ERR_INTERNAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_mode_and_reopen, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v1_store, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_record_replaces_same_date, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(test_failed_record_changes_nothing, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(test_crash_mid_record, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_schema_steps, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_empty_store_refused, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_owner, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_entry_round_trip, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_entry_file_bytes, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_roll_forward, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_delivery_states, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_previous_total, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_import_reproduces_reference, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(test_import_errors, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_import_spreadsheet_export, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(test_snapshots_reproduce_monthly, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(test_bridge_example, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_bridge_singular_and_fall, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_bridge_no_tilgang, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_bridge_no_afgang, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_bridge_unchanged, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_bridge_no_previous, store_setup, store_teardown),
        cmocka_unit_test(test_bridge_arithmetic),
        cmocka_unit_test_setup_teardown(test_write_ahead_commits_the_same, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(test_write_ahead_undone, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(test_write_ahead_failed, store_setup, store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
