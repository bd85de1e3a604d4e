/* history.c -- the history store (SQLite) and the follow-up series built
 * from it (see history.h; the bridge between two follow-ups is bridge.c). */
#include "notatgen/history.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bridge.h"
#include "notatgen/csvdoc.h"
#include "notatgen/module.h"
#include "notatgen/modules.h"
#include "notatgen/output.h"
#include "notatgen/publish.h"
#include "notatgen/fault.h"
#include "notatgen/manifest.h"

#ifndef NG_VERSION
#define NG_VERSION "unknown"
#endif

enum { SCHEMA_VERSION = 3, NTIERS = 3 };

/* A run's snapshot written ahead of its commit (ng_history_write_ahead):
 * inside the open transaction, by a thread of its own until it is joined. */
typedef struct {
    bool open;    /* the transaction holds it (or its writer still runs) */
    bool running; /* tid is to be joined */
    pthread_t tid;
    ng_date dato;
    const ng_refusion_result *r; /* borrowed */
    char *kommune;
    sqlite3_int64 id; /* the snapshot's row */
    ng_status st;     /* what the writer made of it */
    ng_diags diags;   /* the writer's own: not shown (see ng_history_write_ahead) */
} snapshot_ahead;

struct ng_history {
    sqlite3 *db;
    char *path;
    bool in_txn;  /* inside ng_history_begin .. commit */
    ng_lock lock; /* PATH.lock, held while the store is open */
    snapshot_ahead ahead;
};

/* Waits for the writer of the snapshot ahead, if one runs: after this, the
 * connection is the caller's again (the transaction stays open). */
static void settle_ahead(ng_history *h)
{
    if (h->ahead.running) {
        pthread_join(h->ahead.tid, NULL);
        h->ahead.running = false;
    }
}

/* The snapshot ahead forgotten (its transaction, if open, is the caller's). */
static void drop_ahead(ng_history *h)
{
    settle_ahead(h);
    free(h->ahead.kommune);
    ng_diags_free(&h->ahead.diags);
    h->ahead = (snapshot_ahead){0};
}

static const int tier_rates[NTIERS] = {25, 50, 75};

/* ---- SQLite plumbing -------------------------------------------------------- */

static ng_status db_status(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return NG_ERR_NOMEM;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return NG_ERR_LOCKED;
    case SQLITE_CONSTRAINT:
        return NG_ERR_INTERNAL; /* the caller gave duplicate keys: a bug upstream */
    default:
        return NG_ERR_IO;
    }
}

static ng_status db_fail(ng_history *h, ng_diags *diags, const char *what)
{
    int rc = sqlite3_errcode(h->db);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        /* every notatgen holds PATH.lock first, so this is another program
         * (the sqlite3 shell, a backup) holding the file */
        ng_error(diags, h->path, 0, 0,
                 "historiklager: %s: lageret er optaget af et andet program end notatgen (fx "
                 "sqlite3 eller en sikkerhedskopi); kør igen, når det er færdigt",
                 what);
    else
        ng_error(diags, h->path, 0, 0, "historiklager: %s: %s", what, sqlite3_errmsg(h->db));
    return db_status(rc);
}

static ng_status db_exec(ng_history *h, const char *sql, ng_diags *diags, const char *what)
{
    if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(h, diags, what);
    return NG_OK;
}

static ng_status db_prepare(ng_history *h, const char *sql, sqlite3_stmt **st, ng_diags *diags)
{
    if (sqlite3_prepare_v2(h->db, sql, -1, st, NULL) != SQLITE_OK)
        return db_fail(h, diags, "forespørgsel kunne ikke forberedes");
    return NG_OK;
}

/* Runs a statement with one text parameter that returns no rows. */
static ng_status db_exec_text(ng_history *h, const char *sql, const char *text, ng_diags *diags)
{
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h, sql, &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
        s = db_fail(h, diags, "skrivning mislykkedes");
    sqlite3_finalize(st);
    return s;
}

static void db_rollback(ng_history *h)
{
    /* Undoes everything since BEGIN; a failing rollback leaves SQLite's own
     * journal to undo it on the next open. */
    sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
}

static void iso_date(ng_date d, char out[16])
{
    snprintf(out, 16, "%04d-%02d-%02d", d.y % 10000, d.m % 100, d.d % 100);
}

static bool parse_iso_date(const char *s, ng_date *out)
{
    int y, m, d;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || !ng_date_valid(y, m, d))
        return false;
    *out = (ng_date){y, m, d};
    return true;
}

/* ---- opening and the schema ---------------------------------------------- */

/* The CHECKs are comparisons, not IN lists (see migrate_v2_sql). */
#define SNAPSHOT_UNIT_COLUMNS                                                                      \
    " snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,"                     \
    " key TEXT NOT NULL,"                                                                          \
    " omraade TEXT NOT NULL,"                                                                      \
    " udgift_oere INTEGER NOT NULL,"                                                               \
    " trin INTEGER NOT NULL CHECK (trin = 0 OR trin = 25 OR trin = 50 OR trin = 75),"              \
    " covered INTEGER NOT NULL CHECK (covered = 0 OR covered = 1),"                                \
    " PRIMARY KEY (snapshot_id, key)"
#define AGGREGATE_COLUMNS                                                                          \
    " kind TEXT NOT NULL CHECK (kind = 'maaned' OR kind = 'aar'),"                                 \
    " periode TEXT NOT NULL,"                                                                      \
    " trin INTEGER NOT NULL CHECK (trin = 25 OR trin = 50 OR trin = 75),"                          \
    " antal INTEGER NOT NULL,"                                                                     \
    " udgift_oere INTEGER NOT NULL,"                                                               \
    " source TEXT,"                                                                                \
    " PRIMARY KEY (kind, periode, trin)"

static const char schema_sql[] =
    "CREATE TABLE snapshot("
    " id INTEGER PRIMARY KEY,"
    " dato TEXT NOT NULL UNIQUE,"
    " kommune TEXT,"
    " aar INTEGER NOT NULL,"
    " created_by_version TEXT NOT NULL);"
    "CREATE TABLE snapshot_unit(" SNAPSHOT_UNIT_COLUMNS ") WITHOUT ROWID;"
    "CREATE TABLE aggregate(" AGGREGATE_COLUMNS ");"
    "CREATE TABLE forecast("
    " made_on TEXT NOT NULL,"
    " method TEXT NOT NULL,"
    " aar INTEGER NOT NULL,"
    " antal REAL,"
    " udgift_oere INTEGER,"
    " assumptions TEXT,"
    " PRIMARY KEY (made_on, method, aar));"
    "INSERT INTO schema_version(version) VALUES (2);";

/* Version 1 wrote these CHECKs as IN lists, for which SQLite builds and drops
 * a temporary b-tree on every INSERT (half the snapshot's time on 10^5
 * units). Version 2 has the same rules as comparisons, and snapshot_unit is
 * a WITHOUT ROWID table: its rows live in the primary key's b-tree, not in a
 * table plus an index. SQLite cannot alter a constraint, so the two tables
 * are rebuilt with their rows. */
static const char migrate_v2_sql[] =
    "CREATE TABLE snapshot_unit_v2(" SNAPSHOT_UNIT_COLUMNS ") WITHOUT ROWID;"
    "INSERT INTO snapshot_unit_v2 SELECT snapshot_id, key, omraade, udgift_oere, trin, covered"
    " FROM snapshot_unit;"
    "DROP TABLE snapshot_unit;"
    "ALTER TABLE snapshot_unit_v2 RENAME TO snapshot_unit;"
    "CREATE TABLE aggregate_v2(" AGGREGATE_COLUMNS ");"
    "INSERT INTO aggregate_v2 SELECT kind, periode, trin, antal, udgift_oere, source"
    " FROM aggregate;"
    "DROP TABLE aggregate;"
    "ALTER TABLE aggregate_v2 RENAME TO aggregate;"
    "INSERT INTO schema_version(version) VALUES (2);";

/* Later versions are steps applied to a store that lacks them. Each step
 * inserts its own number into schema_version, and a step runs when its row
 * is missing (not when the highest number is lower), so steps made on
 * different branches apply in either order. Version 2 is the CHECK
 * constraints' rewrite (comparisons instead of IN lists); 3 is below. */
static const char migrate_v3_sql[] =
    /* the set of outputs each snapshot belongs to (manifest.json's saet) */
    "ALTER TABLE snapshot ADD COLUMN saet TEXT;"
    /* one store, one municipality */
    "CREATE TABLE store_owner("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " kommune TEXT NOT NULL,"
    " kode TEXT);"
    /* the delivery of each published set to its recipients */
    "CREATE TABLE delivery("
    " dato TEXT NOT NULL,"
    " saet TEXT NOT NULL,"
    " modtagere TEXT NOT NULL,"
    " state TEXT NOT NULL CHECK (state = 'pending' OR state = 'sent' OR state = 'failed'"
    "  OR state = 'superseded'),"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " svar TEXT,"
    " updated INTEGER,"
    " PRIMARY KEY (dato, saet, modtagere));"
    "INSERT INTO schema_version(version) VALUES (3);";

typedef struct {
    int version;
    const char *sql;
} schema_step;

static const schema_step schema_steps[] = {
    {2, migrate_v2_sql},
    {3, migrate_v3_sql},
};

static ng_status read_schema_version(ng_history *h, int *version, ng_diags *diags)
{
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h, "SELECT MAX(version) FROM schema_version", &st, diags);
    if (s != NG_OK)
        return s;
    *version = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        *version = sqlite3_column_type(st, 0) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 0);
    else
        s = db_fail(h, diags, "skemaversionen kunne ikke læses");
    sqlite3_finalize(st);
    return s;
}

static ng_status has_schema_step(ng_history *h, int version, bool *has, ng_diags *diags)
{
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h, "SELECT 1 FROM schema_version WHERE version = ?", &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_int(st, 1, version);
    int rc = sqlite3_step(st);
    *has = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        s = db_fail(h, diags, "skemaversionen kunne ikke læses");
    sqlite3_finalize(st);
    return s;
}

static ng_status apply_schema_steps(ng_history *h, ng_diags *diags)
{
    ng_status s = NG_OK;
    for (size_t i = 0; s == NG_OK && i < sizeof schema_steps / sizeof *schema_steps; i++) {
        bool has = false;
        s = has_schema_step(h, schema_steps[i].version, &has, diags);
        if (s == NG_OK && !has)
            s = db_exec(h, schema_steps[i].sql, diags, "skemaet kunne ikke opdateres");
    }
    return s;
}

/* The schema, created or brought up to date in one transaction. */
static ng_status ensure_schema(ng_history *h, ng_diags *diags)
{
    ng_status s = db_exec(h, "BEGIN IMMEDIATE", diags, "kan ikke låse lageret");
    if (s != NG_OK)
        return s;
    int version = 0;
    s = db_exec(h, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)", diags,
                "skemaet kunne ikke oprettes");
    if (s == NG_OK)
        s = read_schema_version(h, &version, diags);
    if (s == NG_OK && version == 0)
        s = db_exec(h, schema_sql, diags, "skemaet kunne ikke oprettes");
    if (s == NG_OK && version > SCHEMA_VERSION) {
        ng_error(diags, h->path, 0, 0,
                 "historiklageret har skemaversion %d; denne notatgen kender kun op til %d",
                 version, SCHEMA_VERSION);
        s = NG_ERR_IO;
    }
    if (s == NG_OK)
        s = apply_schema_steps(h, diags);
    if (s == NG_OK)
        s = db_exec(h, "COMMIT", diags, "skemaet kunne ikke gemmes");
    if (s != NG_OK)
        db_rollback(h);
    return s;
}

/* Opens the store at path. scratch: a new store's file before it is renamed
 * into place (create_store), which needs no rollback journal and no sync of
 * its own: it is thrown away when its schema cannot be made, and synced once
 * before the rename. */
static ng_status open_db(ng_history *h, const char *path, bool scratch, ng_diags *diags)
{
    if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) !=
        SQLITE_OK)
        return h->db ? db_fail(h, diags, "kan ikke åbnes") : NG_ERR_NOMEM;
    sqlite3_busy_timeout(h->db, 5000);
    /* a 2 MiB page cache (the peak memory of 10^7 rows has no room for
     * more): a larger snapshot spills pages into the file before its commit,
     * after the journal is synced, so a death before the commit still rolls
     * it back */
    ng_status s = db_exec(h,
                          scratch ? "PRAGMA foreign_keys = ON; PRAGMA journal_mode = OFF;"
                                    " PRAGMA synchronous = OFF; PRAGMA cache_size = -2048"
                                  : "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
                                    " PRAGMA cache_size = -2048",
                          diags, "kan ikke åbnes");
    if (s == NG_OK)
        s = ensure_schema(h, diags);
    return s;
}

/* "PATH.ny", "PATH.lock": a name beside the store (the caller frees). */
static char *beside(const char *path, const char *suffix)
{
    size_t n = strlen(path) + strlen(suffix) + 1;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s", path, suffix);
    return out;
}

/* The store and the files SQLite keeps beside it: a link planted at any of
 * them would make SQLite write the snapshot (pseudonymous keys, spend)
 * through it. */
static bool refuse_store_links(const char *path, ng_diags *diags)
{
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    bool ok = true;
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        char *p = beside(path, suffixes[i]);
        if (!p)
            return false;
        ok &= ng_refuse_link(p, "historiklageret", diags);
        free(p);
    }
    return ok;
}

/* An existing store (sb from lstat) is a regular file of this user, not a
 * link, and not empty: an empty file is not ours to fill (it may be a store
 * cut to 0 bytes by a full disk). */
static ng_status check_store_file(const char *path, const struct stat *sb, ng_diags *diags)
{
    if (!S_ISREG(sb->st_mode) || sb->st_uid != geteuid()) {
        ng_error(diags, path, 0, 0,
                 "historiklageret er ikke en almindelig fil, der tilhører denne bruger");
        return NG_ERR_IO;
    }
    if (sb->st_size == 0) {
        ng_error(diags, path, 0, 0,
                 "historiklageret er en tom fil (0 byte), måske afkortet af en fuld disk; "
                 "notatgen begynder ikke et nyt lager oven i det. Læg en sikkerhedskopi tilbage, "
                 "eller slet filen, hvis historikken skal begynde forfra");
        return NG_ERR_IO;
    }
    return NG_OK;
}

/* A store not yet opened: its path, no lock taken. NULL on out of memory. */
static ng_history *store_new(const char *path)
{
    ng_history *h = calloc(1, sizeof *h);
    if (!h || !(h->path = strdup(path))) {
        free(h);
        return NULL;
    }
    h->lock.fd = -1;
    return h;
}

/* A new store is made complete under PATH.ny and renamed into place, so a
 * file at PATH is always a store with its schema: an empty file there is
 * not ours to fill (it may be a store cut to 0 bytes) and is refused. */
static ng_status create_store(ng_history *h, ng_diags *diags)
{
    char *tmp = beside(h->path, ".ny");
    if (!tmp)
        return NG_ERR_NOMEM;
    unlink(tmp);
    int fd = refuse_store_links(tmp, diags)
                 ? open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)
                 : -2;
    ng_status s = NG_OK;
    if (fd == -2) {
        s = NG_ERR_IO;
    } else if (fd < 0) {
        ng_error(diags, tmp, 0, 0, "historiklageret kan ikke oprettes: %s", strerror(errno));
        s = NG_ERR_IO;
    } else {
        close(fd);
        ng_history tmp_store = {.path = tmp};
        s = open_db(&tmp_store, tmp, true, diags);
        if (tmp_store.db && sqlite3_close(tmp_store.db) != SQLITE_OK && s == NG_OK)
            s = NG_ERR_IO;
        if (s == NG_OK && !ng_sync_path(tmp, false)) {
            ng_error(diags, tmp, 0, 0, "historiklageret kan ikke oprettes: %s", strerror(errno));
            s = NG_ERR_IO;
        }
        if (s == NG_OK && rename(tmp, h->path) != 0) {
            ng_error(diags, h->path, 0, 0, "historiklageret kan ikke oprettes: %s",
                     strerror(errno));
            s = NG_ERR_IO;
        }
        if (s != NG_OK)
            unlink(tmp);
    }
    free(tmp);
    return s;
}

static ng_status lock_store(ng_history *h, ng_diags *diags)
{
    char *lock_path = beside(h->path, ".lock");
    if (!lock_path)
        return NG_ERR_NOMEM;
    ng_status s = ng_lock_acquire(lock_path, &h->lock, diags);
    if (s == NG_ERR_LOCKED)
        ng_note(diags, h->path, 0, 0,
                "historiklageret bruges af en anden kørsel (også fra en anden outputmappe); "
                "prøv igen, når den er færdig");
    free(lock_path);
    return s;
}

ng_status ng_history_open(const char *path, ng_history **out, ng_diags *diags)
{
    *out = NULL;
    ng_history *h = store_new(path);
    if (!h)
        return NG_ERR_NOMEM;
    ng_status s = lock_store(h, diags);
    if (s == NG_OK && !refuse_store_links(path, diags))
        s = NG_ERR_IO;
    struct stat sb;
    if (s == NG_OK && lstat(path, &sb) != 0) {
        if (errno == ENOENT) {
            s = create_store(h, diags);
        } else {
            ng_error(diags, path, 0, 0, "historiklageret kan ikke åbnes: %s", strerror(errno));
            s = NG_ERR_IO;
        }
    } else if (s == NG_OK) {
        s = check_store_file(path, &sb, diags);
    }
    if (s == NG_OK)
        s = open_db(h, path, false, diags);
    if (s != NG_OK) {
        ng_history_close(h);
        return s;
    }
    *out = h;
    return NG_OK;
}

ng_status ng_history_open_trial(const char *path, ng_history **out, ng_diags *diags)
{
    struct stat sb;
    if (lstat(path, &sb) == 0 || errno != ENOENT)
        return ng_history_open(path, out, diags);
    /* no store yet: an empty one in memory, the same as a new store (and a
     * link planted at its journal's name refused, as run refuses it) */
    *out = NULL;
    if (!refuse_store_links(path, diags))
        return NG_ERR_IO;
    ng_history *h = store_new(path);
    if (!h)
        return NG_ERR_NOMEM;
    ng_status s = NG_OK;
    if (sqlite3_open_v2(":memory:", &h->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        s = h->db ? db_fail(h, diags, "kan ikke åbnes") : NG_ERR_NOMEM;
    if (s == NG_OK)
        s = ensure_schema(h, diags);
    if (s != NG_OK) {
        ng_history_close(h);
        return s;
    }
    *out = h;
    return NG_OK;
}

void ng_history_close(ng_history *h)
{
    if (!h)
        return;
    ng_history_rollback(h); /* what was not committed (check's trial) is undone */
    sqlite3_close(h->db);
    if (h->lock.path)
        ng_lock_release(&h->lock);
    free(h->path);
    free(h);
}

/* ---- recording a snapshot ------------------------------------------------ */

enum { UNITS_PER_INSERT = 128 }; /* rows of one INSERT of units */

/* "INSERT ... VALUES (?1, ?, ?, ?, ?, ?), (?1, ...)" for rows units: the
 * snapshot's id is ?1 in every row, each unit's five values follow. */
static ng_status prepare_units(ng_history *h, size_t rows, sqlite3_stmt **st, ng_diags *diags)
{
    static const char head[] = "INSERT INTO snapshot_unit(snapshot_id, key, omraade, udgift_oere,"
                               " trin, covered) VALUES ";
    static const char row[] = "(?1, ?, ?, ?, ?, ?)";
    char sql[sizeof head + UNITS_PER_INSERT * sizeof row + 8];
    size_t n = 0;
    memcpy(sql, head, sizeof head - 1);
    n += sizeof head - 1;
    for (size_t k = 0; k < rows; k++) {
        if (k)
            sql[n++] = ',';
        memcpy(sql + n, row, sizeof row - 1);
        n += sizeof row - 1;
    }
    sql[n] = '\0';
    return db_prepare(h, sql, st, diags);
}

/* The units, UNITS_PER_INSERT in one statement (the time of a snapshot of a
 * large extract is mostly each statement's own cost), the rest one by one. */
static ng_status insert_units(ng_history *h, sqlite3_int64 id, const ng_refusion_result *r,
                              ng_diags *diags)
{
    sqlite3_stmt *many = NULL, *one = NULL;
    ng_status s =
        r->n >= UNITS_PER_INSERT ? prepare_units(h, UNITS_PER_INSERT, &many, diags) : NG_OK;
    if (s == NG_OK)
        s = prepare_units(h, 1, &one, diags);
    for (size_t i = 0; s == NG_OK && i < r->n;) {
        size_t rows = r->n - i >= UNITS_PER_INSERT ? UNITS_PER_INSERT : 1;
        sqlite3_stmt *st = rows > 1 ? many : one;
        sqlite3_bind_int64(st, 1, id);
        for (size_t k = 0; k < rows; k++) {
            const ng_refusion_unit *u = &r->units[i + k];
            int at = 2 + 5 * (int)k;
            sqlite3_bind_text(st, at, u->key, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, at + 1, ng_omraade_key(u->omraade), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, at + 2, u->udgift);
            sqlite3_bind_int(st, at + 3, u->trin);
            sqlite3_bind_int(st, at + 4, u->covered ? 1 : 0);
        }
        if (sqlite3_step(st) != SQLITE_DONE)
            s = db_fail(h, diags, "en enhed kunne ikke gemmes (dobbelt nøgle?)");
        sqlite3_reset(st);
        i += rows;
    }
    sqlite3_finalize(many);
    sqlite3_finalize(one);
    return s;
}

static ng_status insert_snapshot(ng_history *h, const char *dato, const char *kommune, int aar,
                                 const char *saet, sqlite3_int64 *id, ng_diags *diags)
{
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h,
                             "INSERT INTO snapshot(dato, kommune, aar, created_by_version, saet)"
                             " VALUES (?, ?, ?, ?, ?)",
                             &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_text(st, 1, dato, -1, SQLITE_STATIC);
    if (kommune)
        sqlite3_bind_text(st, 2, kommune, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, aar);
    sqlite3_bind_text(st, 4, NG_VERSION, -1, SQLITE_STATIC);
    if (saet && *saet)
        sqlite3_bind_text(st, 5, saet, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        s = db_fail(h, diags, "øjebliksbilledet kunne ikke gemmes");
    *id = sqlite3_last_insert_rowid(h->db);
    sqlite3_finalize(st);
    return s;
}

ng_status ng_history_begin(ng_history *h, ng_diags *diags)
{
    if (h->in_txn)
        return NG_ERR_INTERNAL;
    ng_status s = db_exec(h, "BEGIN IMMEDIATE", diags, "kan ikke låse lageret");
    h->in_txn = s == NG_OK;
    return s;
}

ng_status ng_history_commit(ng_history *h, ng_diags *diags)
{
    drop_ahead(h); /* committed with the rest, if open */
    if (!h->in_txn)
        return NG_ERR_INTERNAL;
    ng_status s = db_exec(h, "COMMIT", diags, "kan ikke gemme i lageret");
    if (s != NG_OK)
        db_rollback(h);
    h->in_txn = false;
    return s;
}

void ng_history_rollback(ng_history *h)
{
    drop_ahead(h);
    if (h->in_txn)
        db_rollback(h);
    h->in_txn = false;
}

/* Runs fn inside the open transaction, or inside one of its own. */
static ng_status in_transaction(ng_history *h, ng_diags *diags,
                                ng_status (*fn)(ng_history *, void *, ng_diags *), void *arg)
{
    if (h->in_txn)
        return fn(h, arg, diags);
    ng_status s = ng_history_begin(h, diags);
    if (s == NG_OK)
        s = fn(h, arg, diags);
    if (s == NG_OK)
        return ng_history_commit(h, diags);
    ng_history_rollback(h);
    return s;
}

typedef struct {
    ng_date dato;
    const char *kommune;
    const ng_refusion_result *r;
    const char *saet; /* NULL: not known (tests, older callers) */
} record_args;

/* The date's snapshot replaced by r (in the open transaction): its row's id
 * in *id. */
static ng_status write_snapshot(ng_history *h, const char *iso, const char *kommune,
                                const ng_refusion_result *r, const char *saet, sqlite3_int64 *id,
                                ng_diags *diags)
{
    /* Replacing a date: the old snapshot goes in the same transaction. */
    ng_status s = db_exec_text(h,
                               "DELETE FROM snapshot_unit WHERE snapshot_id IN"
                               " (SELECT id FROM snapshot WHERE dato = ?)",
                               iso, diags);
    if (s == NG_OK)
        s = db_exec_text(h, "DELETE FROM snapshot WHERE dato = ?", iso, diags);
    if (s == NG_OK)
        s = insert_snapshot(h, iso, kommune, r->aar, saet, id, diags);
    if (s == NG_OK)
        s = insert_units(h, *id, r, diags);
    return s;
}

static ng_status record_snapshot(ng_history *h, void *arg, ng_diags *diags)
{
    const record_args *a = arg;
    char iso[16];
    iso_date(a->dato, iso);
    sqlite3_int64 id = 0;
    ng_status s = write_snapshot(h, iso, a->kommune, a->r, a->saet, &id, diags);
    if (s != NG_OK)
        ng_error(diags, h->path, 0, 0, "øjebliksbilledet pr. %s er ikke gemt; lageret er uændret",
                 iso);
    return s;
}

ng_status ng_history_record(ng_history *h, ng_date dato, const char *kommune,
                            const ng_refusion_result *r, ng_diags *diags)
{
    settle_ahead(h);
    record_args a = {dato, kommune, r, NULL};
    return in_transaction(h, diags, record_snapshot, &a);
}

/* ---- a snapshot written ahead of its commit ------------------------------- */

static void *write_ahead_thread(void *arg)
{
    ng_history *h = arg;
    snapshot_ahead *a = &h->ahead;
    char iso[16];
    iso_date(a->dato, iso);
    a->st = write_snapshot(h, iso, a->kommune, a->r, NULL, &a->id, &a->diags);
    return NULL;
}

ng_status ng_history_write_ahead(ng_history *h, ng_date dato, const char *kommune,
                                 const ng_refusion_result *r)
{
    settle_ahead(h);
    if (h->in_txn || h->ahead.open)
        return NG_ERR_INTERNAL;
    snapshot_ahead *a = &h->ahead;
    *a = (snapshot_ahead){.dato = dato, .r = r, .kommune = kommune ? strdup(kommune) : NULL};
    ng_diags_init(&a->diags);
    if (kommune && !a->kommune)
        return NG_ERR_NOMEM;
    ng_status s = ng_history_begin(h, &a->diags);
    if (s != NG_OK) {
        drop_ahead(h);
        return s;
    }
    a->open = true;
    /* the connection is the writer's alone until settle_ahead joins it */
    a->running = sqlite3_threadsafe() && pthread_create(&a->tid, NULL, write_ahead_thread, h) == 0;
    if (!a->running)
        write_ahead_thread(h);
    return NG_OK;
}

/* ---- forecasts -------------------------------------------------------------- */

typedef struct {
    const char *made_on, *method, *assumptions;
    const ng_forecast_point *pts;
    int n;
} forecast_args;

/* Replaces the stored forecast (made_on, method) by pts. */
static ng_status store_forecast(ng_history *h, void *arg, ng_diags *diags)
{
    const forecast_args *a = arg;
    sqlite3_stmt *del = NULL, *ins = NULL;
    ng_status s =
        db_prepare(h, "DELETE FROM forecast WHERE made_on = ? AND method = ?", &del, diags);
    if (s == NG_OK)
        s = db_prepare(h,
                       "INSERT INTO forecast(made_on, method, aar, antal, udgift_oere, "
                       "assumptions) VALUES (?, ?, ?, ?, ?, ?)",
                       &ins, diags);
    if (s == NG_OK) {
        sqlite3_bind_text(del, 1, a->made_on, -1, SQLITE_STATIC);
        sqlite3_bind_text(del, 2, a->method, -1, SQLITE_STATIC);
        if (sqlite3_step(del) != SQLITE_DONE)
            s = db_fail(h, diags, "prognosen kunne ikke gemmes");
    }
    for (int i = 0; s == NG_OK && i < a->n; i++) {
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, a->made_on, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, a->method, -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 3, a->pts[i].aar);
        sqlite3_bind_double(ins, 4, a->pts[i].antal);
        sqlite3_bind_int64(ins, 5, llround(a->pts[i].udgift_kr * 100.0));
        sqlite3_bind_text(ins, 6, a->assumptions, -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            s = db_fail(h, diags, "prognosen kunne ikke gemmes");
    }
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    return s;
}

ng_status ng_history_store_forecast(ng_history *h, const char *made_on, const char *method,
                                    const ng_forecast_point *pts, int n, const char *assumptions,
                                    ng_diags *diags)
{
    settle_ahead(h);
    forecast_args a = {made_on, method, assumptions, pts, n};
    return in_transaction(h, diags, store_forecast, &a);
}

ng_status ng_history_pick_forecast(ng_history *h, int last_actual, ng_stored_forecast *out,
                                   bool *found, ng_diags *diags)
{
    settle_ahead(h);
    *found = false;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *q = NULL;
    ng_status s = db_prepare(h,
                             "SELECT made_on, method FROM forecast GROUP BY made_on, method "
                             "HAVING MIN(aar) <= ? ORDER BY made_on DESC, CASE method "
                             "WHEN 'vaekst' THEN 0 WHEN 'importeret' THEN 1 ELSE 2 END, method "
                             "LIMIT 1",
                             &q, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_int(q, 1, last_actual);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        snprintf(out->made_on, sizeof out->made_on, "%s", (const char *)sqlite3_column_text(q, 0));
        snprintf(out->method, sizeof out->method, "%s", (const char *)sqlite3_column_text(q, 1));
        *found = true;
    } else if (rc != SQLITE_DONE) {
        s = db_fail(h, diags, "prognoserne kunne ikke læses");
    }
    sqlite3_finalize(q);
    if (s != NG_OK || !*found)
        return s;
    s = db_prepare(h,
                   "SELECT aar, antal, udgift_oere, assumptions FROM forecast WHERE "
                   "made_on = ? AND method = ? ORDER BY aar",
                   &q, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_text(q, 1, out->made_on, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, out->method, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && out->npoints < NG_STORED_FORECAST_MAX) {
        out->points[out->npoints++] =
            (ng_forecast_point){sqlite3_column_int(q, 0), sqlite3_column_double(q, 1),
                                (double)sqlite3_column_int64(q, 2) / 100.0};
        const unsigned char *a = sqlite3_column_text(q, 3);
        snprintf(out->assumptions, sizeof out->assumptions, "%s", a ? (const char *)a : "");
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        s = db_fail(h, diags, "prognoserne kunne ikke læses");
    sqlite3_finalize(q);
    return s;
}

/* ---- one store, one municipality -------------------------------------------- */

static bool same_kommune(const char *navn_a, const char *kode_a, const char *navn_b,
                         const char *kode_b)
{
    if (kode_a && kode_b)
        return !strcmp(kode_a, kode_b);
    return navn_a && navn_b && !strcmp(navn_a, navn_b);
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? strdup((const char *)t) : NULL;
}

/* The owner of the store: the recorded one, else the municipality of a
 * snapshot recorded before stores had owners. *found false for a new store. */
static ng_status store_owner(ng_history *h, char **navn, char **kode, bool *found, ng_diags *diags)
{
    sqlite3_stmt *st = NULL;
    *navn = *kode = NULL;
    *found = false;
    ng_status s = db_prepare(h,
                             "SELECT kommune, kode FROM store_owner WHERE id = 1 UNION ALL"
                             " SELECT kommune, NULL FROM (SELECT kommune FROM snapshot WHERE"
                             " kommune IS NOT NULL ORDER BY dato DESC LIMIT 1) LIMIT 1",
                             &st, diags);
    if (s != NG_OK)
        return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *navn = column_dup(st, 0);
        *kode = column_dup(st, 1);
        *found = true;
    } else if (rc != SQLITE_DONE) {
        s = db_fail(h, diags, "lagerets kommune kunne ikke læses");
    }
    sqlite3_finalize(st);
    return s;
}

ng_status ng_history_claim(ng_history *h, const char *kommune, const char *kode, ng_diags *diags)
{
    settle_ahead(h);
    char *navn = NULL, *owner_kode = NULL;
    bool found = false;
    ng_status s = store_owner(h, &navn, &owner_kode, &found, diags);
    if (s == NG_OK && found && !same_kommune(navn, owner_kode, kommune, kode)) {
        ng_error(diags, h->path, 0, 0,
                 "historiklageret tilhører %s%s%s%s, men konfigurationen er for %s%s%s%s; et "
                 "historiklager hører til én kommune (angiv et andet i [historik] database)",
                 navn ? navn : "en anden kommune", owner_kode ? " (kode " : "",
                 owner_kode ? owner_kode : "", owner_kode ? ")" : "", kommune ? kommune : "?",
                 kode ? " (kode " : "", kode ? kode : "", kode ? ")" : "");
        s = NG_ERR_CONFIG;
    }
    free(navn);
    free(owner_kode);
    return s;
}

static ng_status record_owner(ng_history *h, const char *kommune, const char *kode, ng_diags *diags)
{
    if (!kommune)
        return NG_OK;
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(
        h, "INSERT OR IGNORE INTO store_owner(id, kommune, kode) VALUES (1, ?, ?)", &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_text(st, 1, kommune, -1, SQLITE_STATIC);
    if (kode)
        sqlite3_bind_text(st, 2, kode, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        s = db_fail(h, diags, "lagerets kommune kunne ikke gemmes");
    sqlite3_finalize(st);
    return s;
}

typedef struct {
    const char *kommune, *kode;
} owner_args;

static ng_status set_owner(ng_history *h, void *arg, ng_diags *diags)
{
    const owner_args *a = arg;
    return record_owner(h, a->kommune, a->kode, diags);
}

ng_status ng_history_set_owner(ng_history *h, const char *kommune, const char *kode,
                               ng_diags *diags)
{
    settle_ahead(h);
    owner_args a = {kommune, kode};
    return in_transaction(h, diags, set_owner, &a);
}

/* ---- deliveries ------------------------------------------------------------------ */

static const char *const delivery_states[] = {"pending", "sent", "failed", "superseded"};

const char *ng_delivery_state_name(ng_delivery_state st)
{
    return (unsigned)st < sizeof delivery_states / sizeof *delivery_states ? delivery_states[st]
                                                                           : "?";
}

static ng_delivery_state delivery_state_of(const char *name)
{
    for (size_t i = 0; i < sizeof delivery_states / sizeof *delivery_states; i++)
        if (name && !strcmp(name, delivery_states[i]))
            return (ng_delivery_state)i;
    return NG_DELIVERY_FAILED;
}

typedef struct {
    const char *dato, *saet, *modtagere, *svar;
    ng_delivery_state state;
    bool attempt;
} delivery_args;

static ng_status set_delivery(ng_history *h, void *arg, ng_diags *diags)
{
    const delivery_args *a = arg;
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h,
                             "INSERT INTO delivery(dato, saet, modtagere, state, attempts, svar,"
                             " updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                             " ON CONFLICT(dato, saet, modtagere) DO UPDATE SET state = ?4,"
                             " attempts = attempts + ?5, svar = COALESCE(?6, svar), updated = ?7",
                             &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_text(st, 1, a->dato, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->saet, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->modtagere, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ng_delivery_state_name(a->state), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, a->attempt ? 1 : 0);
    if (a->svar)
        sqlite3_bind_text(st, 6, a->svar, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)time(NULL));
    if (sqlite3_step(st) != SQLITE_DONE)
        s = db_fail(h, diags, "leveringen kunne ikke gemmes");
    sqlite3_finalize(st);
    return s;
}

ng_status ng_history_set_delivery(ng_history *h, const char *dato, const char *saet,
                                  const char *modtagere, ng_delivery_state state, const char *svar,
                                  bool attempt, ng_diags *diags)
{
    settle_ahead(h);
    delivery_args a = {dato, saet, modtagere, svar, state, attempt};
    return in_transaction(h, diags, set_delivery, &a);
}

/* A newly recorded set: its delivery is due (again, if it had been
 * superseded; a sent or failed one keeps its state), and whatever else of
 * the date was still due is superseded by it. */
static ng_status delivery_due(ng_history *h, const char *dato, const char *saet,
                              const char *modtagere, ng_diags *diags)
{
    static const char *const sql[] = {
        "UPDATE delivery SET state = 'superseded', updated = ?4"
        " WHERE dato = ?1 AND saet != ?2 AND state IN ('pending', 'failed')",
        "INSERT INTO delivery(dato, saet, modtagere, state, updated)"
        " VALUES (?1, ?2, ?3, 'pending', ?4) ON CONFLICT(dato, saet, modtagere)"
        " DO UPDATE SET state = 'pending', updated = ?4 WHERE state = 'superseded'",
    };
    ng_status s = NG_OK;
    for (size_t i = 0; i < 2 && s == NG_OK; i++) {
        sqlite3_stmt *st = NULL;
        s = db_prepare(h, sql[i], &st, diags);
        if (s != NG_OK)
            break;
        sqlite3_bind_text(st, 1, dato, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, saet, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, modtagere, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
        if (sqlite3_step(st) != SQLITE_DONE)
            s = db_fail(h, diags, "leveringen kunne ikke gemmes");
        sqlite3_finalize(st);
    }
    return s;
}

ng_status ng_history_deliveries(ng_history *h, const char *modtagere, bool due_only,
                                ng_delivery_list *out, ng_diags *diags)
{
    settle_ahead(h);
    memset(out, 0, sizeof *out);
    char sql[320];
    snprintf(sql, sizeof sql,
             "SELECT dato, saet, modtagere, state, attempts, svar, updated FROM delivery"
             " WHERE (?1 IS NULL OR modtagere = ?1)%s ORDER BY dato, updated",
             due_only ? " AND state IN ('pending', 'failed')" : "");
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h, sql, &st, diags);
    if (s != NG_OK)
        return s;
    if (modtagere)
        sqlite3_bind_text(st, 1, modtagere, -1, SQLITE_STATIC);
    size_t cap = 0;
    int rc;
    while (s == NG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? 2 * cap : 8;
            ng_delivery *items = realloc(out->items, cap * sizeof *items);
            if (!items) {
                s = NG_ERR_NOMEM;
                break;
            }
            out->items = items;
        }
        ng_delivery *d = &out->items[out->n++];
        memset(d, 0, sizeof *d);
        snprintf(d->dato, sizeof d->dato, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(d->saet, sizeof d->saet, "%s", (const char *)sqlite3_column_text(st, 1));
        d->modtagere = column_dup(st, 2);
        d->state = delivery_state_of((const char *)sqlite3_column_text(st, 3));
        d->attempts = sqlite3_column_int(st, 4);
        d->svar = column_dup(st, 5);
        d->updated = sqlite3_column_int64(st, 6);
        if (!d->modtagere)
            s = NG_ERR_NOMEM;
    }
    if (s == NG_OK && rc != SQLITE_DONE)
        s = db_fail(h, diags, "leveringerne kunne ikke læses");
    sqlite3_finalize(st);
    if (s != NG_OK)
        ng_delivery_list_free(out);
    return s;
}

void ng_delivery_list_free(ng_delivery_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].modtagere);
        free(l->items[i].svar);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- a run's entry: recorded after publishing, in one transaction ----------- */

struct ng_history_entry {
    ng_date dato;
    char saet[65];
    char *kommune, *kode;
    const ng_refusion_result *r; /* the snapshot: a run's (borrowed) or own_r */
    ng_refusion_result own_r;    /* read back from a record file; keys in keys */
    char **keys;
    ng_stored_forecast *forecasts;
    size_t nforecasts;
    char *modtagere; /* the delivery's recipients; NULL: none */
};

ng_history_entry *ng_history_entry_new(ng_date dato, const char *saet, const char *kommune,
                                       const char *kode)
{
    ng_history_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->dato = dato;
    snprintf(e->saet, sizeof e->saet, "%s", saet ? saet : "");
    e->kommune = kommune ? strdup(kommune) : NULL;
    e->kode = kode ? strdup(kode) : NULL;
    if ((kommune && !e->kommune) || (kode && !e->kode)) {
        ng_history_entry_free(e);
        return NULL;
    }
    return e;
}

void ng_history_entry_free(ng_history_entry *e)
{
    if (!e)
        return;
    for (size_t i = 0; e->keys && i < e->own_r.n; i++)
        free(e->keys[i]);
    free(e->keys);
    free(e->own_r.units);
    free(e->forecasts);
    free(e->kommune);
    free(e->kode);
    free(e->modtagere);
    free(e);
}

ng_date ng_history_entry_dato(const ng_history_entry *e)
{
    return e->dato;
}

const char *ng_history_entry_saet(const ng_history_entry *e)
{
    return e->saet;
}

void ng_history_entry_snapshot(ng_history_entry *e, const ng_refusion_result *r)
{
    e->r = r;
}

ng_status ng_history_entry_forecast(ng_history_entry *e, const char *made_on, const char *method,
                                    const ng_forecast_point *pts, int n, const char *assumptions)
{
    ng_stored_forecast *f = realloc(e->forecasts, (e->nforecasts + 1) * sizeof *f);
    if (!f)
        return NG_ERR_NOMEM;
    e->forecasts = f;
    f = &f[e->nforecasts++];
    memset(f, 0, sizeof *f);
    snprintf(f->made_on, sizeof f->made_on, "%s", made_on);
    snprintf(f->method, sizeof f->method, "%s", method);
    snprintf(f->assumptions, sizeof f->assumptions, "%s", assumptions ? assumptions : "");
    f->npoints = n < NG_STORED_FORECAST_MAX ? n : NG_STORED_FORECAST_MAX;
    if (f->npoints > 0)
        memcpy(f->points, pts, (size_t)f->npoints * sizeof *pts);
    return NG_OK;
}

ng_status ng_history_entry_delivery(ng_history_entry *e, const char *modtagere)
{
    free(e->modtagere);
    e->modtagere = strdup(modtagere);
    return e->modtagere ? NG_OK : NG_ERR_NOMEM;
}

static ng_status apply_entry(ng_history *h, void *arg, ng_diags *diags)
{
    const ng_history_entry *e = arg;
    char iso[16];
    iso_date(e->dato, iso);
    ng_status s = record_owner(h, e->kommune, e->kode, diags);
    if (s == NG_OK && e->r) {
        record_args a = {e->dato, e->kommune, e->r, e->saet};
        s = record_snapshot(h, &a, diags);
    }
    for (size_t i = 0; s == NG_OK && i < e->nforecasts; i++) {
        const ng_stored_forecast *f = &e->forecasts[i];
        forecast_args a = {f->made_on, f->method, f->assumptions, f->points, f->npoints};
        s = store_forecast(h, &a, diags);
    }
    if (s == NG_OK && e->modtagere)
        s = delivery_due(h, iso, e->saet, e->modtagere, diags);
    return s;
}

/* Whether the snapshot ahead is e's: the same result, date and municipality. */
static bool ahead_is_entry(const snapshot_ahead *a, const ng_history_entry *e)
{
    return a->st == NG_OK && a->r == e->r && ng_date_cmp(a->dato, e->dato) == 0 &&
           (a->kommune && e->kommune ? strcmp(a->kommune, e->kommune) == 0
                                     : a->kommune == e->kommune);
}

/* The rest of e (the snapshot ahead, row id, is its snapshot) in the
 * transaction that holds it. */
static ng_status apply_entry_ahead(ng_history *h, const ng_history_entry *e, sqlite3_int64 id,
                                   ng_diags *diags)
{
    ng_status s = record_owner(h, e->kommune, e->kode, diags);
    if (s == NG_OK && *e->saet) {
        sqlite3_stmt *st = NULL;
        s = db_prepare(h, "UPDATE snapshot SET saet = ? WHERE id = ?", &st, diags);
        if (s == NG_OK) {
            sqlite3_bind_text(st, 1, e->saet, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, id);
            if (sqlite3_step(st) != SQLITE_DONE)
                s = db_fail(h, diags, "øjebliksbilledet kunne ikke gemmes");
        }
        sqlite3_finalize(st);
    }
    for (size_t i = 0; s == NG_OK && i < e->nforecasts; i++) {
        const ng_stored_forecast *f = &e->forecasts[i];
        forecast_args a = {f->made_on, f->method, f->assumptions, f->points, f->npoints};
        s = store_forecast(h, &a, diags);
    }
    if (s == NG_OK && e->modtagere) {
        char iso[16];
        iso_date(e->dato, iso);
        s = delivery_due(h, iso, e->saet, e->modtagere, diags);
    }
    return s;
}

ng_status ng_history_commit_entry(ng_history *h, const ng_history_entry *e, ng_diags *diags)
{
    if (h->ahead.open) {
        settle_ahead(h);
        if (ahead_is_entry(&h->ahead, e)) {
            sqlite3_int64 id = h->ahead.id;
            drop_ahead(h);
            ng_diags own; /* an error is given by the commit below */
            ng_diags_init(&own);
            ng_status s = apply_entry_ahead(h, e, id, &own);
            ng_diags_free(&own);
            if (s == NG_OK)
                return ng_history_commit(h, diags);
        }
        /* not e's, or it failed: undone, and e committed as if it had not
         * been written ahead (which gives any error its usual message) */
        ng_history_rollback(h);
    }
    return in_transaction(h, diags, apply_entry, (void *)e);
}

/* The record file: one line per fact, fields separated by tabs, text
 * escaped (\\ \t \n \r), ending in a line that counts the lines before it so
 * that a cut file is recognised. It is written through a buffer of its own
 * (a line per unit: 83.334 lines for 10^6 cost lines), a write() per 64 KiB. */
enum { RECORD_BUF = 64 << 10 };

typedef struct {
    int fd;
    size_t n;
    int err; /* the first errno of a failed write, or 0 */
    char buf[RECORD_BUF];
} record_out;

static void out_flush(record_out *o)
{
    for (size_t done = 0; done < o->n && !o->err;) {
        ssize_t k = write(o->fd, o->buf + done, o->n - done);
        if (k > 0)
            done += (size_t)k;
        else if (k < 0 && errno != EINTR)
            o->err = errno;
        else if (k == 0)
            o->err = EIO;
    }
    o->n = 0;
}

static void out_put(record_out *o, const char *s, size_t len)
{
    while (len) {
        if (o->n == RECORD_BUF)
            out_flush(o);
        size_t k = RECORD_BUF - o->n < len ? RECORD_BUF - o->n : len;
        memcpy(o->buf + o->n, s, k);
        o->n += k;
        s += k;
        len -= k;
    }
}

static void out_str(record_out *o, const char *s)
{
    out_put(o, s, strlen(s));
}

/* A whole number in decimal, as printf's %lld writes it. */
static void out_int(record_out *o, long long v)
{
    char digits[24];
    size_t i = sizeof digits;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        digits[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        digits[--i] = '-';
    out_put(o, digits + i, sizeof digits - i);
}

static void out_escaped(record_out *o, const char *s)
{
    while (s && *s) {
        size_t n = strcspn(s, "\\\t\n\r"); /* a run that needs no escape */
        out_put(o, s, n);
        s += n;
        if (!*s)
            break;
        out_str(o, *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : "\\r");
        s++;
    }
}

static void unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p != '\\' || !p[1]) {
            *o++ = *p;
            continue;
        }
        p++;
        *o++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p;
    }
    *o = '\0';
}

static long write_entry_lines(record_out *o, const ng_history_entry *e)
{
    char iso[16], line[256];
    long lines = 4;
    iso_date(e->dato, iso);
    snprintf(line, sizeof line, "notatgen-historik 1\ndato\t%s\nsaet\t%s\nkommune\t", iso, e->saet);
    out_str(o, line);
    out_escaped(o, e->kommune);
    out_put(o, "\t", 1);
    out_escaped(o, e->kode);
    out_put(o, "\n", 1);
    if (e->r) {
        out_str(o, "aar\t");
        out_int(o, e->r->aar);
        out_put(o, "\n", 1);
        lines++;
        for (size_t i = 0; i < e->r->n; i++, lines++) {
            const ng_refusion_unit *u = &e->r->units[i];
            out_str(o, "enhed\t");
            out_escaped(o, u->key);
            out_put(o, "\t", 1);
            out_str(o, ng_omraade_key(u->omraade));
            out_put(o, "\t", 1);
            out_int(o, (long long)u->udgift);
            out_put(o, "\t", 1);
            out_int(o, u->trin);
            out_str(o, u->covered ? "\t1\n" : "\t0\n");
        }
    }
    for (size_t i = 0; i < e->nforecasts; i++, lines++) {
        const ng_stored_forecast *fc = &e->forecasts[i];
        out_str(o, "prognose\t");
        out_escaped(o, fc->made_on);
        out_put(o, "\t", 1);
        out_escaped(o, fc->method);
        out_put(o, "\t", 1);
        out_escaped(o, fc->assumptions);
        out_put(o, "\n", 1);
        for (int k = 0; k < fc->npoints; k++, lines++) {
            snprintf(line, sizeof line, "punkt\t%d\t%.17g\t%.17g\n", fc->points[k].aar,
                     fc->points[k].antal, fc->points[k].udgift_kr);
            out_str(o, line);
        }
    }
    if (e->modtagere) {
        out_str(o, "levering\t");
        out_escaped(o, e->modtagere);
        out_put(o, "\n", 1);
        lines++;
    }
    return lines;
}

ng_status ng_history_entry_write(const ng_history_entry *e, const char *path, bool durable,
                                 ng_diags *diags)
{
    record_out *o = malloc(sizeof *o);
    int fd = o ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600) : -1;
    if (fd < 0) {
        int err = o ? errno : ENOMEM;
        free(o);
        ng_error(diags, path, 0, 0, "kørslens post til historikken kan ikke skrives: %s",
                 strerror(err));
        return o ? NG_ERR_IO : NG_ERR_NOMEM;
    }
    o->fd = fd;
    o->n = 0;
    o->err = 0;
    long lines = write_entry_lines(o, e);
    out_str(o, "slut\t");
    out_int(o, lines);
    out_put(o, "\n", 1);
    out_flush(o);
    int err = o->err;
    if (!err && durable && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    free(o);
    if (err) {
        ng_error(diags, path, 0, 0, "kørslens post til historikken kan ikke skrives: %s",
                 strerror(err));
        return NG_ERR_IO;
    }
    return NG_OK;
}

/* Splits a record line at tabs in place (at most max fields). */
static int entry_fields(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\n")] = '\0';
    for (char *p = line; n < max;) {
        f[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    for (int i = 0; i < n; i++)
        unescape(f[i]);
    return n;
}

static ng_status entry_unit(ng_history_entry *e, char **f, int n, size_t *cap)
{
    if (n != 6)
        return NG_ERR_INPUT;
    if (e->own_r.n == *cap) {
        *cap = *cap ? 2 * *cap : 256;
        ng_refusion_unit *u = realloc(e->own_r.units, *cap * sizeof *u);
        char **k = u ? realloc(e->keys, *cap * sizeof *k) : NULL;
        if (u)
            e->own_r.units = u;
        if (!k)
            return NG_ERR_NOMEM;
        e->keys = k;
    }
    ng_refusion_unit *u = &e->own_r.units[e->own_r.n];
    memset(u, 0, sizeof *u);
    if (!(e->keys[e->own_r.n] = strdup(f[1])))
        return NG_ERR_NOMEM;
    u->key = e->keys[e->own_r.n];
    e->own_r.n++;
    u->omraade = NG_OMR_COUNT;
    for (int o = 0; o < NG_OMR_COUNT; o++)
        if (!strcmp(f[2], ng_omraade_key((ng_omraade)o)))
            u->omraade = (ng_omraade)o;
    u->udgift = strtoll(f[3], NULL, 10);
    u->trin = atoi(f[4]);
    u->covered = !strcmp(f[5], "1");
    return u->omraade == NG_OMR_COUNT ? NG_ERR_INPUT : NG_OK;
}

static ng_status entry_line(ng_history_entry *e, char **f, int n, size_t *cap)
{
    if (!strcmp(f[0], "dato") && n == 2)
        return ng_parse_date(f[1], &e->dato, NULL);
    if (!strcmp(f[0], "saet") && n == 2 && strlen(f[1]) < sizeof e->saet) {
        snprintf(e->saet, sizeof e->saet, "%s", f[1]);
        return NG_OK;
    }
    if (!strcmp(f[0], "kommune") && n == 3) {
        e->kommune = *f[1] ? strdup(f[1]) : NULL;
        e->kode = *f[2] ? strdup(f[2]) : NULL;
        return NG_OK;
    }
    if (!strcmp(f[0], "aar") && n == 2) {
        e->own_r.aar = atoi(f[1]);
        e->r = &e->own_r;
        return NG_OK;
    }
    if (!strcmp(f[0], "enhed"))
        return entry_unit(e, f, n, cap);
    if (!strcmp(f[0], "prognose") && n == 4)
        return ng_history_entry_forecast(e, f[1], f[2], NULL, 0, f[3]);
    if (!strcmp(f[0], "punkt") && n == 4 && e->nforecasts > 0) {
        ng_stored_forecast *fc = &e->forecasts[e->nforecasts - 1];
        if (fc->npoints >= NG_STORED_FORECAST_MAX)
            return NG_ERR_INPUT;
        fc->points[fc->npoints++] =
            (ng_forecast_point){atoi(f[1]), strtod(f[2], NULL), strtod(f[3], NULL)};
        return NG_OK;
    }
    if (!strcmp(f[0], "levering") && n == 2)
        return ng_history_entry_delivery(e, f[1]);
    return NG_ERR_INPUT;
}

ng_status ng_history_entry_read(const char *path, ng_history_entry **out, ng_diags *diags)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        ng_error(diags, path, 0, 0, "kørslens post til historikken kan ikke læses: %s",
                 strerror(errno));
        return NG_ERR_IO;
    }
    ng_history_entry *e = ng_history_entry_new((ng_date){0, 0, 0}, NULL, NULL, NULL);
    char *line = NULL;
    size_t linecap = 0, cap = 0;
    long lineno = 0, counted = -1;
    ng_status s = e ? NG_OK : NG_ERR_NOMEM;
    while (s == NG_OK && counted < 0 && getline(&line, &linecap, f) >= 0) {
        char *fields[8];
        int n = entry_fields(line, fields, 8);
        lineno++;
        if (lineno == 1)
            s = strcmp(fields[0], "notatgen-historik 1") ? NG_ERR_INPUT : NG_OK;
        else if (!strcmp(fields[0], "slut") && n == 2)
            counted = atol(fields[1]);
        else
            s = entry_line(e, fields, n, &cap);
    }
    free(line);
    fclose(f);
    if (s == NG_OK && (counted != lineno - 1 || !e->dato.y)) /* cut short */
        s = NG_ERR_INPUT;
    if (s != NG_OK) {
        ng_error(diags, path, lineno, 0, "kørslens post til historikken er ufuldstændig");
        ng_history_entry_free(e);
        return s == NG_ERR_NOMEM ? s : NG_ERR_IO;
    }
    *out = e;
    return NG_OK;
}

/* ---- rolling forward: a published set whose record was not committed ------ */

static ng_status snapshot_has_set(ng_history *h, const char *dato, const char *saet, bool *yes,
                                  ng_diags *diags)
{
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h, "SELECT 1 FROM snapshot WHERE dato = ? AND saet = ?", &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_text(st, 1, dato, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, saet, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *yes = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        s = db_fail(h, diags, "øjebliksbilleder kunne ikke læses");
    sqlite3_finalize(st);
    return s;
}

/* The set a date's published folder holds (its manifest's saet). */
static ng_status published_set(const char *folder, char saet[65], ng_diags *diags)
{
    char *path = ng_path_join(folder, "manifest.json");
    ng_manifest m;
    ng_status s = path ? ng_manifest_read(path, &m, diags) : NG_ERR_NOMEM;
    if (s == NG_OK)
        snprintf(saet, 65, "%s", m.saet);
    if (path)
        ng_manifest_free(&m);
    free(path);
    return s;
}

/* One date's folder: its record committed unless the store has it. */
static ng_status roll_forward_folder(ng_history *h, const char *folder, const char *date,
                                     bool remove_record, int *rolled, ng_diags *diags)
{
    char *record = ng_path_join(folder, NG_HISTORY_RECORD_FILE);
    char saet[65];
    ng_history_entry *e = NULL;
    bool recorded = false;
    struct stat sb;
    ng_status s = record ? NG_OK : NG_ERR_NOMEM;
    if (s != NG_OK || lstat(record, &sb) != 0)
        goto cleanup; /* no record file: recorded when it was published */
    s = published_set(folder, saet, diags);
    if (s == NG_OK)
        s = snapshot_has_set(h, date, saet, &recorded, diags);
    if (s == NG_OK && !recorded) {
        s = ng_history_entry_read(record, &e, diags);
        char iso[16];
        if (s == NG_OK)
            iso_date(e->dato, iso);
        if (s == NG_OK && (strcmp(iso, date) || strcmp(e->saet, saet))) {
            ng_error(diags, record, 0, 0, "posten hører ikke til mappens output (manifest.json)");
            s = NG_ERR_IO;
        }
        if (s == NG_OK)
            s = ng_history_commit_entry(h, e, diags);
        if (s == NG_OK) {
            ng_note(diags, folder, 0, 0,
                    "historikken har fået øjebliksbilledet pr. %s, som en afbrudt kørsel udgav "
                    "uden at nå at gemme det",
                    date);
            (*rolled)++;
            if (!h->in_txn)
                ng_fault_point("rolled-forward");
        }
    }
    if (s == NG_OK && remove_record && !h->in_txn)
        unlink(record);
cleanup:
    ng_history_entry_free(e);
    free(record);
    return s;
}

ng_status ng_history_roll_forward(ng_history *h, const char *output_dir, bool remove_records,
                                  int *rolled, ng_diags *diags)
{
    settle_ahead(h);
    *rolled = 0;
    DIR *d = opendir(output_dir);
    if (!d)
        return errno == ENOENT ? NG_OK : NG_ERR_IO;
    ng_status s = NG_OK;
    struct dirent *ent;
    while (s == NG_OK && (ent = readdir(d)) != NULL) {
        if (!ng_is_date_name(ent->d_name))
            continue;
        char *folder = ng_path_join(output_dir, ent->d_name);
        struct stat sb;
        if (!folder)
            s = NG_ERR_NOMEM;
        else if (stat(folder, &sb) == 0 && S_ISDIR(sb.st_mode))
            s = roll_forward_folder(h, folder, ent->d_name, remove_records, rolled, diags);
        free(folder);
    }
    closedir(d);
    return s;
}

/* ---- the spend of the last snapshot ---------------------------------------- */

static ng_status find_snapshot(ng_history *h, ng_date dato, bool before, sqlite3_int64 *id,
                               ng_date *found_dato, bool *found, ng_diags *diags);

ng_status ng_history_previous_total(ng_history *h, ng_date dato, bool *found, ng_date *prev,
                                    int64_t *oere, ng_diags *diags)
{
    settle_ahead(h);
    sqlite3_int64 id = 0;
    *oere = 0;
    ng_status s = find_snapshot(h, dato, true, &id, prev, found, diags);
    if (s != NG_OK || !*found)
        return s;
    sqlite3_stmt *st = NULL;
    s = db_prepare(h,
                   "SELECT COALESCE(SUM(udgift_oere), 0) FROM snapshot_unit WHERE"
                   " snapshot_id = ?",
                   &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        *oere = sqlite3_column_int64(st, 0);
    else
        s = db_fail(h, diags, "øjebliksbilledet kunne ikke læses");
    sqlite3_finalize(st);
    return s;
}

/* ---- importing aggregates ------------------------------------------------ */

enum { COL_PERIOD, COL_A25, COL_U25, COL_A50, COL_U50, COL_A75, COL_U75, COL_AT, COL_UT, NCOLS };

static const char *const import_columns[NCOLS] = {NULL,        "antal_25",    "udgift_25",
                                                  "antal_50",  "udgift_50",   "antal_75",
                                                  "udgift_75", "antal_total", "udgift_total"};

typedef struct {
    char periode[8];
    long antal[NTIERS];
    int64_t oere[NTIERS];
} import_row;

typedef struct {
    const ng_csvdoc *doc;
    const char *kind;     /* "maaned" or "aar", from the header */
    int field_col[NCOLS]; /* file field index of each logical column, -1 absent */
    import_row *rows;
    size_t n, cap;
    ng_diags *diags;
    long errors;
} import_ctx;

#define IMPORT_ERROR(c, line, col, ...)                                                            \
    do {                                                                                           \
        ng_error((c)->diags, (c)->doc->path, (line), (col), __VA_ARGS__);                          \
        (c)->errors++;                                                                             \
    } while (0)

static int column_by_name(const char *name)
{
    for (int i = 1; i < NCOLS; i++)
        if (!strcmp(name, import_columns[i]))
            return i;
    return -1;
}

static void read_header(import_ctx *c, const ng_csvrow *h)
{
    for (int i = 0; i < NCOLS; i++)
        c->field_col[i] = -1;
    if (!strcmp(h->fields[0], "maaned") || !strcmp(h->fields[0], "aar")) {
        c->kind = !strcmp(h->fields[0], "maaned") ? "maaned" : "aar";
        c->field_col[COL_PERIOD] = 0;
    } else {
        IMPORT_ERROR(c, h->line, 1,
                     "ukendt opgørelse: første kolonne er '%s'; forventet 'maaned' "
                     "(refusion_monthly) eller 'aar' (refusion_yearly)",
                     h->fields[0]);
        return;
    }
    for (size_t i = 1; i < h->nfields; i++) {
        int col = column_by_name(h->fields[i]);
        if (col < 0)
            IMPORT_ERROR(c, h->line, (long)i + 1, "ukendt kolonne '%s'", h->fields[i]);
        else
            c->field_col[col] = (int)i; /* twice: ng_csvdoc_read said so */
    }
    for (int col = COL_A25; col <= COL_U75; col++)
        if (c->field_col[col] < 0)
            IMPORT_ERROR(c, h->line, 0, "kolonnen '%s' mangler", import_columns[col]);
}

/* ÅÅÅÅ (aar) or ÅÅÅÅ-MM (maaned), the year from 1900 to 2199. */
static bool valid_period(const char *kind, const char *s)
{
    if (!strcmp(kind, "aar"))
        return ng_csvdoc_year(s) != 0;
    char year[5];
    if (strlen(s) != 7 || s[4] != '-' || !isdigit((unsigned char)s[5]) ||
        !isdigit((unsigned char)s[6]))
        return false;
    memcpy(year, s, 4);
    year[4] = '\0';
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    return ng_csvdoc_year(year) != 0 && m >= 1 && m <= 12;
}

enum { MAX_IMPORT_COUNT = 1000000 };

static bool parse_count(import_ctx *c, const ng_csvrow *row, int field, long *out)
{
    if (ng_csvdoc_field_count(c->doc, row, field, MAX_IMPORT_COUNT, out, c->diags))
        return true;
    c->errors++;
    return false;
}

static bool parse_mio(import_ctx *c, const ng_csvrow *row, int field, int64_t *out)
{
    bool has;
    if (!ng_csvdoc_field_amount(c->doc, row, field, NG_DECIMAL_COMMA, NG_SCALE_MIO, out, &has,
                                c->diags)) {
        c->errors++;
        return false;
    }
    if (!has) {
        IMPORT_ERROR(c, row->line, field + 1, "beløbet i mio. kr. mangler");
        return false;
    }
    return true;
}

/* Checks a total column against the tiers. Counts must agree exactly; a spend
 * total may be off by the rounding of three figures to 0,1 mio. kr. */
static void check_totals(import_ctx *c, const import_row *r, const ng_csvrow *row)
{
    char want[32], got[32];
    int fa = c->field_col[COL_AT], fu = c->field_col[COL_UT];
    long total = 0;
    if (fa >= 0 && parse_count(c, row, fa, &total) &&
        total != r->antal[0] + r->antal[1] + r->antal[2])
        IMPORT_ERROR(c, row->line, fa + 1, "antal_total %s er ikke summen af trinnene (%ld)",
                     row->fields[fa], r->antal[0] + r->antal[1] + r->antal[2]);
    int64_t utotal = 0, sum = r->oere[0] + r->oere[1] + r->oere[2];
    if (fu >= 0 && parse_mio(c, row, fu, &utotal) && utotal != sum) {
        ng_fmt_mio(want, sizeof want, (double)sum / 100.0);
        ng_fmt_mio(got, sizeof got, (double)utotal / 100.0);
        ng_warning(c->diags, c->doc->path, row->line, fu + 1,
                   "udgift_total %s er ikke summen af trinnene (%s); trinnene bruges", got, want);
    }
}

static bool period_seen(const import_ctx *c, const char *periode)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->rows[i].periode, periode))
            return true;
    return false;
}

static void read_data_row(import_ctx *c, const ng_csvrow *row)
{
    const ng_csvrow *h = &c->doc->rows[0];
    if (row->nfields != h->nfields) {
        IMPORT_ERROR(c, row->line, 0, "forventede %zu felter, fandt %zu", h->nfields, row->nfields);
        return;
    }
    import_row r = {.periode = ""};
    if (!valid_period(c->kind, row->fields[0])) {
        IMPORT_ERROR(c, row->line, 1, "'%s' er ikke en periode (%s, år fra 1900 til 2199)",
                     row->fields[0], !strcmp(c->kind, "aar") ? "ÅÅÅÅ" : "ÅÅÅÅ-MM");
        return;
    }
    snprintf(r.periode, sizeof r.periode, "%s", row->fields[0]);
    if (period_seen(c, r.periode)) {
        IMPORT_ERROR(c, row->line, 1, "perioden %s står der to gange", r.periode);
        return;
    }
    bool ok = true;
    for (int t = 0; t < NTIERS; t++) {
        ok &= parse_count(c, row, c->field_col[COL_A25 + 2 * t], &r.antal[t]);
        ok &= parse_mio(c, row, c->field_col[COL_U25 + 2 * t], &r.oere[t]);
    }
    if (!ok)
        return;
    check_totals(c, &r, row);
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        import_row *rows = realloc(c->rows, cap * sizeof *rows);
        if (!rows) {
            c->errors++;
            return;
        }
        c->rows = rows;
        c->cap = cap;
    }
    c->rows[c->n++] = r;
}

static ng_status read_import_file(import_ctx *c)
{
    if (c->doc->nrows == 0) {
        ng_error(c->diags, c->doc->path, 0, 0, "filen har ingen overskriftslinje");
        return NG_ERR_INPUT;
    }
    read_header(c, &c->doc->rows[0]);
    if (c->errors) /* the rows cannot be read without their columns */
        return NG_ERR_INPUT;
    for (size_t r = 1; r < c->doc->nrows; r++)
        read_data_row(c, &c->doc->rows[r]);
    return c->errors ? NG_ERR_INPUT : NG_OK;
}

static ng_status store_aggregates(ng_history *h, const import_ctx *c, ng_diags *diags)
{
    sqlite3_stmt *del = NULL, *ins = NULL;
    /* the file name is stored as the rows' source, masked like a value: a
     * CPR number in it is neither stored nor listed */
    char *source = ng_mask_cpr(ng_base_name(c->doc->path));
    if (!source)
        return NG_ERR_NOMEM;
    ng_status s = db_exec(h, "BEGIN IMMEDIATE", diags, "kan ikke låse lageret");
    if (s != NG_OK) {
        free(source);
        return s;
    }
    s = db_prepare(h, "DELETE FROM aggregate WHERE kind = ? AND periode = ?", &del, diags);
    if (s == NG_OK)
        s = db_prepare(h,
                       "INSERT INTO aggregate(kind, periode, trin, antal, udgift_oere, source)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       &ins, diags);
    for (size_t i = 0; s == NG_OK && i < c->n; i++) {
        const import_row *r = &c->rows[i];
        sqlite3_bind_text(del, 1, c->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(del, 2, r->periode, -1, SQLITE_STATIC);
        if (sqlite3_step(del) != SQLITE_DONE)
            s = db_fail(h, diags, "indlæsningen kunne ikke gemmes");
        sqlite3_reset(del);
        for (int t = 0; s == NG_OK && t < NTIERS; t++) {
            sqlite3_bind_text(ins, 1, c->kind, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 2, r->periode, -1, SQLITE_STATIC);
            sqlite3_bind_int(ins, 3, tier_rates[t]);
            sqlite3_bind_int64(ins, 4, r->antal[t]);
            sqlite3_bind_int64(ins, 5, r->oere[t]);
            sqlite3_bind_text(ins, 6, source, -1, SQLITE_STATIC);
            if (sqlite3_step(ins) != SQLITE_DONE)
                s = db_fail(h, diags, "indlæsningen kunne ikke gemmes");
            sqlite3_reset(ins);
        }
    }
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    free(source);
    if (s == NG_OK)
        s = db_exec(h, "COMMIT", diags, "indlæsningen kunne ikke gemmes");
    if (s != NG_OK)
        db_rollback(h);
    return s;
}

ng_status ng_history_import(ng_history *h, const char *csv_path, ng_diags *diags)
{
    settle_ahead(h);
    ng_csvdoc doc;
    ng_status s = ng_csvdoc_read_path(csv_path, &doc, diags);
    if (s != NG_OK)
        return s;
    import_ctx c = {.doc = &doc, .diags = diags};
    s = read_import_file(&c);
    if (s == NG_OK && c.n == 0) {
        ng_error(diags, csv_path, doc.rows[0].line, 0,
                 "filen indeholder ingen perioder (kun overskriften)");
        s = NG_ERR_INPUT;
    }
    if (s == NG_OK)
        s = store_aggregates(h, &c, diags);
    free(c.rows);
    ng_csvdoc_free(&doc);
    return s;
}

/* ---- reading the series back ----------------------------------------------- */

typedef struct {
    long antal[NTIERS];
    int64_t oere[NTIERS];
} tier_sums;

typedef struct {
    char key[16]; /* "2025-02" or "2025" */
    int y, m;     /* m = 0 for a year */
    bool from_snapshot;
    ng_date dato; /* the snapshot's date */
    char *source; /* aggregate source file name, owned */
    tier_sums s;
} period;

typedef struct {
    period *items;
    size_t n, cap;
} period_list;

static void period_list_free(period_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].source);
    free(l->items);
}

/* The row key of a follow-up period in the tier tables: "2025-10" for a
 * month (opfoelgning_maaned), "2025" for a year (m = 0, refusion_aar). */
static void period_key(char key[16], int y, int m)
{
    if (m)
        snprintf(key, 16, "%04d-%02d", y % 10000, m % 100);
    else
        snprintf(key, 16, "%04d", y % 10000);
}

static period *period_get(period_list *l, int y, int m)
{
    char key[16];
    period_key(key, y, m);
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].key, key))
            return &l->items[i];
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        period *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return NULL;
        l->items = items;
        l->cap = cap;
    }
    period *p = &l->items[l->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->key, sizeof p->key, "%s", key);
    p->y = y;
    p->m = m;
    return p;
}

/* A snapshot replaces whatever the period held (aggregate or earlier
 * snapshot): callers feed snapshots in date order, so the later one wins. */
static ng_status period_set_snapshot(period_list *l, int y, int m, ng_date dato, const tier_sums *s)
{
    period *p = period_get(l, y, m);
    if (!p)
        return NG_ERR_NOMEM;
    free(p->source);
    p->source = NULL;
    p->from_snapshot = true;
    p->dato = dato;
    p->s = *s;
    return NG_OK;
}

static int period_cmp(const void *a, const void *b)
{
    return strcmp(((const period *)a)->key, ((const period *)b)->key);
}

static int tier_index(int trin)
{
    return trin == 25 ? 0 : trin == 50 ? 1 : trin == 75 ? 2 : -1;
}

/* The units the follow-up tables count: adults the scheme covers, in a tier. */
static bool counted_unit(const ng_refusion_unit *u)
{
    return u->omraade == NG_OMR_VOKSEN && u->covered && tier_index(u->trin) >= 0;
}

static tier_sums result_sums(const ng_refusion_result *r)
{
    tier_sums s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < r->n; i++) {
        if (!counted_unit(&r->units[i]))
            continue;
        int t = tier_index(r->units[i].trin);
        s.antal[t]++;
        s.oere[t] += r->units[i].udgift;
    }
    return s;
}

static const char counted_sql[] = "omraade = 'voksen' AND covered = 1 AND trin IN (25, 50, 75)";

static ng_status snapshot_sums(ng_history *h, sqlite3_int64 id, tier_sums *out, ng_diags *diags)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT trin, COUNT(*), SUM(udgift_oere) FROM snapshot_unit"
             " WHERE snapshot_id = ? AND %s GROUP BY trin",
             counted_sql);
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h, sql, &st, diags);
    if (s != NG_OK)
        return s;
    memset(out, 0, sizeof *out);
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int t = tier_index(sqlite3_column_int(st, 0));
        out->antal[t] = (long)sqlite3_column_int64(st, 1);
        out->oere[t] = sqlite3_column_int64(st, 2);
    }
    if (rc != SQLITE_DONE)
        s = db_fail(h, diags, "øjebliksbilledet kunne ikke læses");
    sqlite3_finalize(st);
    return s;
}

/* Imported aggregates of one kind up to and including periode `last`. */
static ng_status load_aggregates(ng_history *h, const char *kind, const char *first,
                                 const char *last, period_list *l, ng_diags *diags)
{
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h,
                             "SELECT periode, trin, antal, udgift_oere, source FROM aggregate"
                             " WHERE kind = ? AND periode >= ? AND periode <= ?",
                             &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, first, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, last, -1, SQLITE_STATIC);
    int rc;
    while (s == NG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int y = 0, m = 0;
        const char *periode = (const char *)sqlite3_column_text(st, 0);
        sscanf(periode, "%4d-%2d", &y, &m);
        period *p = period_get(l, y, m);
        int t = tier_index(sqlite3_column_int(st, 1));
        if (!p) {
            s = NG_ERR_NOMEM;
            break;
        }
        p->s.antal[t] = (long)sqlite3_column_int64(st, 2);
        p->s.oere[t] = sqlite3_column_int64(st, 3);
        const char *source = (const char *)sqlite3_column_text(st, 4);
        if (source && !p->source)
            p->source = strdup(source);
    }
    if (s == NG_OK && rc != SQLITE_DONE)
        s = db_fail(h, diags, "indlæste opgørelser kunne ikke læses");
    sqlite3_finalize(st);
    return s;
}

typedef struct {
    ng_date dato;                /* the current follow-up */
    int aar;                     /* the memo year */
    const ng_refusion_result *r; /* current snapshot, or NULL: the stored one */
    period_list months, years;
} series;

/* Stored snapshots up to the current date, oldest first, into the series. */
static ng_status load_snapshots(ng_history *h, series *sr, ng_diags *diags)
{
    char iso[16];
    iso_date(sr->dato, iso);
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h,
                             "SELECT id, dato, aar FROM snapshot WHERE dato <= ? AND aar <= ?"
                             " ORDER BY dato",
                             &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_text(st, 1, iso, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, sr->aar);
    int rc;
    while (s == NG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ng_date d;
        const char *dato = (const char *)sqlite3_column_text(st, 1);
        int aar = sqlite3_column_int(st, 2);
        if (!parse_iso_date(dato, &d)) {
            ng_error(diags, h->path, 0, 0, "øjebliksbillede med ugyldig dato '%s'", dato);
            s = NG_ERR_IO;
            break;
        }
        if (sr->r && !strcmp(dato, iso))
            continue; /* the current snapshot replaces the stored one */
        tier_sums sums;
        s = snapshot_sums(h, sqlite3_column_int64(st, 0), &sums, diags);
        if (s == NG_OK && aar == sr->aar)
            s = period_set_snapshot(&sr->months, d.y, d.m, d, &sums);
        if (s == NG_OK)
            s = period_set_snapshot(&sr->years, aar, 0, d, &sums);
    }
    if (s == NG_OK && rc != SQLITE_DONE)
        s = db_fail(h, diags, "øjebliksbilleder kunne ikke læses");
    sqlite3_finalize(st);
    return s;
}

static ng_status load_series(ng_history *h, series *sr, ng_diags *diags)
{
    char first[16], last[16];
    snprintf(first, sizeof first, "%04d-01", sr->aar % 10000);
    /* A follow-up of the memo year may be dated early the next year. */
    iso_date(sr->dato, last);
    last[7] = '\0';
    ng_status s = load_aggregates(h, "maaned", first, last, &sr->months, diags);
    snprintf(first, sizeof first, "0000");
    snprintf(last, sizeof last, "%04d", sr->aar % 10000);
    if (s == NG_OK)
        s = load_aggregates(h, "aar", first, last, &sr->years, diags);
    if (s == NG_OK)
        s = load_snapshots(h, sr, diags);
    if (s == NG_OK && sr->r) {
        tier_sums now = result_sums(sr->r);
        s = period_set_snapshot(&sr->months, sr->dato.y, sr->dato.m, sr->dato, &now);
        if (s == NG_OK)
            s = period_set_snapshot(&sr->years, sr->aar, 0, sr->dato, &now);
    }
    if (sr->months.n > 1)
        qsort(sr->months.items, sr->months.n, sizeof(period), period_cmp);
    if (sr->years.n > 1)
        qsort(sr->years.items, sr->years.n, sizeof(period), period_cmp);
    return s;
}

/* ---- the tables ---------------------------------------------------------- */

enum { C_LABEL, C_A25, C_U25, C_A50, C_U50, C_A75, C_U75, C_AT, C_UT, C_COUNT };

static ng_table *tier_table(const char *name, const char *title, const char *label_key,
                            const char *label, ng_unit label_unit)
{
    ng_table *t = ng_table_new(name, title);
    if (!t)
        return NULL;
    static const char *const groups[4] = {"25 pct. refusion", "50 pct. refusion",
                                          "75 pct. refusion", "Total"};
    static const char *const keys[8] = {"antal_25", "udgift_25", "antal_50",    "udgift_50",
                                        "antal_75", "udgift_75", "antal_total", "udgift_total"};
    bool ok = ng_table_add_column(t, label_key, label, label_unit) == C_LABEL;
    for (int i = 0; ok && i < 8; i++) {
        int col = ng_table_add_column(t, keys[i], i % 2 ? "Udgift" : "Antal sager",
                                      i % 2 ? NG_UNIT_MIO : NG_UNIT_ANTAL);
        ok = col == C_A25 + i;
        if (ok)
            ng_table_set_column_group(t, col, groups[i / 2]);
        if (ok && i % 2 == 0)
            ng_table_set_column_persons(t, col, true);
    }
    if (!ok) {
        ng_table_free(t);
        return NULL;
    }
    t->count_table = true; /* counts of persons: small cells are suppressed */
    return t;
}

static ng_status tier_row(ng_table *t, const period *p, const char *label, double label_num)
{
    int row = ng_table_add_row(t, p->key, 0);
    if (row < 0)
        return NG_ERR_NOMEM;
    if (label)
        ng_table_set_text(t, row, C_LABEL, label);
    else
        ng_table_set_num(t, row, C_LABEL, label_num);
    for (int i = 0; i < NTIERS; i++) {
        ng_table_set_num(t, row, C_A25 + 2 * i, (double)p->s.antal[i]);
        ng_table_set_num(t, row, C_U25 + 2 * i, (double)p->s.oere[i] / 100.0);
    }
    ng_term antal[NTIERS] = {{row, C_A25, 1}, {row, C_A50, 1}, {row, C_A75, 1}};
    ng_term udgift[NTIERS] = {{row, C_U25, 1}, {row, C_U50, 1}, {row, C_U75, 1}};
    ng_table_rule_linear(t, row, C_AT, antal, NTIERS);
    ng_table_rule_linear(t, row, C_UT, udgift, NTIERS);
    return NG_OK;
}

/* "Kilde: ..." naming where the rows came from. */
static void source_line(const period_list *l, char *buf, size_t size)
{
    const char *parts[9];
    size_t nparts = 0;
    for (size_t i = 0; i < l->n; i++) {
        const char *f = l->items[i].from_snapshot ? "udtræk fra fagsystemet ved opfølgningerne"
                        : l->items[i].source      ? l->items[i].source
                                                  : "indlæst opgørelse";
        bool seen = false;
        for (size_t j = 0; j < nparts; j++)
            seen |= !strcmp(parts[j], f);
        if (!seen && nparts < 9)
            parts[nparts++] = f;
    }
    size_t len = (size_t)snprintf(buf, size, "Kilde: %s", nparts ? "" : "historiklageret");
    for (size_t j = 0; j < nparts && len < size; j++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                j == 0            ? ""
                                : j + 1 == nparts ? " og "
                                                  : ", ",
                                parts[j]);
    if (len < size)
        snprintf(buf + len, size - len, ".");
}

static ng_status finish_table(ng_dataset *ds, ng_table *t, const period_list *l, const char *note)
{
    char source[512];
    source_line(l, source, sizeof source);
    ng_table_set_source(t, source);
    if (note)
        ng_table_set_note(t, note);
    return ng_dataset_add_evaluated(ds, t);
}

static ng_status monthly_table(const series *sr, ng_dataset *ds)
{
    char title[160];
    snprintf(title, sizeof title,
             "Udviklingen på voksenområdet i antal sager og forventet årsudgift "
             "fordelt på refusionssatser, %d",
             sr->aar);
    ng_table *t = tier_table("opfoelgning_maaned", title, "maaned", "Måned", NG_UNIT_TEXT);
    if (!t)
        return NG_ERR_NOMEM;
    for (size_t i = 0; i < sr->months.n; i++) {
        const period *p = &sr->months.items[i];
        char label[32];
        snprintf(label, sizeof label, "%s %d", ng_month_name_cap(p->m), p->y);
        if (tier_row(t, p, label, 0) != NG_OK) {
            ng_table_free(t);
            return NG_ERR_NOMEM;
        }
    }
    return finish_table(ds, t, &sr->months, "Udgift i mio. kr. (forventet årsudgift).");
}

static ng_status yearly_table(const series *sr, ng_dataset *ds)
{
    ng_table *t = tier_table("refusion_aar",
                             "Antal sager og udgifter på voksenområdet fordelt på "
                             "refusionssatser pr. år",
                             "aar", "År", NG_UNIT_AAR);
    if (!t)
        return NG_ERR_NOMEM;
    for (size_t i = 0; i < sr->years.n; i++) {
        const period *p = &sr->years.items[i];
        if (tier_row(t, p, NULL, p->y) != NG_OK) {
            ng_table_free(t);
            return NG_ERR_NOMEM;
        }
    }
    /* The last year told from a follow-up: say as of when. */
    char note[256] = "Udgift i mio. kr.";
    const period *last = sr->years.n ? &sr->years.items[sr->years.n - 1] : NULL;
    if (last && last->from_snapshot && last->y == sr->aar) {
        char date[64];
        ng_fmt_date_long(date, sizeof date, last->dato);
        snprintf(note, sizeof note, "Udgift i mio. kr. Tallene for %d er opgjort pr. %s%s.",
                 sr->aar, date,
                 last->dato.y == sr->aar ? " med forbehold for ændringer i resten af året" : "");
    }
    return finish_table(ds, t, &sr->years, note);
}

static ng_status yearly_figure(const series *sr, ng_dataset *ds)
{
    int series_cols[NTIERS] = {C_U25, C_U50, C_U75};
    int *cats = NULL;
    if (sr->years.n) {
        cats = malloc(sr->years.n * sizeof *cats);
        if (!cats)
            return NG_ERR_NOMEM;
        for (size_t i = 0; i < sr->years.n; i++)
            cats[i] = (int)i;
    }
    ng_figure fig = {
        .name = "refusion_aar_figur",
        .table = "refusion_aar",
        .title = "Udgifter på voksenområdet fordelt på refusionssatser",
        .y_title = "mio. kr.",
        .type = NG_FIG_STACKED,
        .series_from_rows = false,
        .series = series_cols,
        .nseries = NTIERS,
        .cats = cats,
        .ncats = (int)sr->years.n,
        .label_col = C_LABEL,
    };
    ng_status s = ng_dataset_add_figure(ds, &fig);
    free(cats);
    return s;
}

/* First to last year of refusion_aar: the growth of the 50 % and 75 % tiers,
 * as rules over the table's first and last rows. */
static ng_status yearly_values(const series *sr, ng_dataset *ds)
{
    if (sr->years.n == 0)
        return NG_OK;
    const char *a = sr->years.items[0].key, *b = sr->years.items[sr->years.n - 1].key;
    ng_term antal[4] = {ng_dataset_term(ds, "refusion_aar", b, "antal_50", 1),
                        ng_dataset_term(ds, "refusion_aar", b, "antal_75", 1),
                        ng_dataset_term(ds, "refusion_aar", a, "antal_50", -1),
                        ng_dataset_term(ds, "refusion_aar", a, "antal_75", -1)};
    ng_term udgift[4] = {ng_dataset_term(ds, "refusion_aar", b, "udgift_50", 1),
                         ng_dataset_term(ds, "refusion_aar", b, "udgift_75", 1),
                         ng_dataset_term(ds, "refusion_aar", a, "udgift_50", -1),
                         ng_dataset_term(ds, "refusion_aar", a, "udgift_75", -1)};
    ng_rule ra = {.kind = NG_RULE_LINEAR, .terms = antal, .nterms = 4};
    ng_rule ru = {.kind = NG_RULE_LINEAR, .terms = udgift, .nterms = 4};
    ng_dataset_set_rule(ds, "stigning_antal_50_75", NG_UNIT_ANTAL, &ra);
    ng_dataset_set_rule(ds, "stigning_udgift_50_75", NG_UNIT_KR, &ru);
    ng_dataset_set_ref(ds, "foerste_aar", "refusion_aar", a, "aar");
    ng_dataset_set_ref(ds, "sidste_aar", "refusion_aar", b, "aar");
    return ds->status;
}

/* ---- the bridge to the previous follow-up ---------------------------------- */

typedef struct {
    ng_bridge_unit *units;
    size_t n;
} unit_set;

static void unit_set_free(unit_set *u)
{
    free(u->units);
    memset(u, 0, sizeof *u);
}

static ng_status units_from_result(const ng_refusion_result *r, unit_set *out)
{
    memset(out, 0, sizeof *out);
    out->units = calloc(r->n ? r->n : 1, sizeof *out->units);
    if (!out->units)
        return NG_ERR_NOMEM;
    bool sorted = true;
    for (size_t i = 0; i < r->n; i++)
        if (counted_unit(&r->units[i])) {
            out->units[out->n] = (ng_bridge_unit){r->units[i].key, r->units[i].udgift};
            sorted = sorted && (out->n == 0 ||
                                strcmp(out->units[out->n - 1].key, out->units[out->n].key) < 0);
            out->n++;
        }
    /* the units come sorted by key: no sort, whose scratch copy would be
     * another 13 MB on a 10^7-row extract */
    if (!sorted)
        ng_bridge_sort(out->units, out->n);
    return NG_OK;
}

/* The stored snapshot at exactly `dato` (cmp 0) or the newest before it
 * (cmp < 0). *found false when there is none. */
static ng_status find_snapshot(ng_history *h, ng_date dato, bool before, sqlite3_int64 *id,
                               ng_date *found_dato, bool *found, ng_diags *diags)
{
    char iso[16];
    iso_date(dato, iso);
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h,
                             before ? "SELECT id, dato FROM snapshot WHERE dato < ?"
                                      " ORDER BY dato DESC LIMIT 1"
                                    : "SELECT id, dato FROM snapshot WHERE dato = ?",
                             &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_text(st, 1, iso, -1, SQLITE_STATIC);
    *found = false;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *found = parse_iso_date((const char *)sqlite3_column_text(st, 1), found_dato);
        if (!*found) {
            ng_error(diags, h->path, 0, 0, "øjebliksbillede med ugyldig dato");
            s = NG_ERR_IO;
        }
    } else if (rc != SQLITE_DONE) {
        s = db_fail(h, diags, "øjebliksbilleder kunne ikke læses");
    }
    sqlite3_finalize(st);
    return s;
}

/* ---- the bridge's sources: units one at a time, none held ----------------- */

typedef struct {
    const ng_refusion_result *r;
    size_t i;
} result_source;

/* The result's counted units in its order (by key). */
static bool result_next(void *ctx, ng_bridge_unit *u)
{
    result_source *src = ctx;
    for (; src->i < src->r->n; src->i++)
        if (counted_unit(&src->r->units[src->i])) {
            const ng_refusion_unit *ru = &src->r->units[src->i++];
            *u = (ng_bridge_unit){ru->key, ru->udgift};
            return true;
        }
    return false;
}

typedef struct {
    sqlite3_stmt *st;
    char *key[2]; /* the last two keys: a key stays valid until the call after next */
    size_t cap[2];
    unsigned k;
    bool failed;
} store_source;

/* A stored snapshot's counted units in key order (the table's key). */
static bool store_next(void *ctx, ng_bridge_unit *u)
{
    store_source *src = ctx;
    if (!src->st)
        return false;
    int rc = sqlite3_step(src->st);
    if (rc != SQLITE_ROW) {
        src->failed = rc != SQLITE_DONE;
        return false;
    }
    const char *key = (const char *)sqlite3_column_text(src->st, 0);
    size_t len = key ? strlen(key) + 1 : 1, b = src->k++ & 1;
    if (len > src->cap[b]) {
        char *p = realloc(src->key[b], len * 2);
        if (!p) {
            src->failed = true;
            return false;
        }
        src->key[b] = p;
        src->cap[b] = len * 2;
    }
    memcpy(src->key[b], key ? key : "", len);
    *u = (ng_bridge_unit){src->key[b], sqlite3_column_int64(src->st, 1)};
    return true;
}

static ng_status store_source_open(ng_history *h, sqlite3_int64 id, store_source *src,
                                   ng_diags *diags)
{
    memset(src, 0, sizeof *src);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT key, udgift_oere FROM snapshot_unit WHERE snapshot_id = ? AND %s"
             " ORDER BY key",
             counted_sql);
    ng_status s = db_prepare(h, sql, &src->st, diags);
    if (s == NG_OK)
        sqlite3_bind_int64(src->st, 1, id);
    return s;
}

static void store_source_close(store_source *src)
{
    sqlite3_finalize(src->st);
    free(src->key[0]);
    free(src->key[1]);
    memset(src, 0, sizeof *src);
}

/* Whether the counted units' keys strictly increase (the units come sorted
 * by key): then they are merged as they are, else copied and sorted as
 * before. */
static bool counted_keys_increasing(const ng_refusion_result *r)
{
    const char *last = NULL;
    for (size_t i = 0; i < r->n; i++) {
        if (!counted_unit(&r->units[i]))
            continue;
        if (last && strcmp(last, r->units[i].key) >= 0)
            return false;
        last = r->units[i].key;
    }
    return true;
}

/* The row of a published tier table that holds the totals (C_AT, C_UT) of
 * the follow-up at d: its month's row in opfoelgning_maaned when no other
 * follow-up of that month can be the row's (month_ok), else its year's row
 * in refusion_aar (year_ok). false when neither is published. */
static bool followup_row(const ng_dataset *ds, ng_date d, bool month_ok, bool year_ok,
                         const char **table, int *row)
{
    char key[16];
    const ng_table *t = ng_dataset_table(ds, "opfoelgning_maaned");
    period_key(key, d.y, d.m);
    if (month_ok && t && (*row = ng_table_row(t, key)) >= 0) {
        *table = "opfoelgning_maaned";
        return true;
    }
    t = ng_dataset_table(ds, "refusion_aar");
    period_key(key, d.y, 0);
    if (year_ok && t && (*row = ng_table_row(t, key)) >= 0) {
        *table = "refusion_aar";
        return true;
    }
    return false;
}

/* What a reader can set beside the table udvikling (the same units the
 * bridge counts: adults covered with a tier): tilgang and the cases in both
 * follow-ups are the cases now (refusion_per_trin's total, or the current
 * follow-up's row); afgang and the cases in both are the cases then (the
 * previous follow-up's row, when it is published); the change in alt is
 * the spend now less the spend then. The small-cell suppression must know
 * them, or a hidden tilgang would be the total less eksisterende. A relation
 * that does not hold (a row read from an imported summary) only ever hides
 * more. */
static ng_status bridge_identities(ng_dataset *ds, ng_date dato, ng_date prev)
{
    const ng_table *u = ng_dataset_table(ds, "udvikling");
    if (!u)
        return NG_OK;
    int tilgang = ng_table_row(u, "tilgang"), afgang = ng_table_row(u, "afgang");
    int both = ng_table_row(u, "eksisterende"), total = ng_table_row(u, "i_alt");
    int ua = ng_table_col(u, "antal"), uu = ng_table_col(u, "udgift");
    if (tilgang < 0 || afgang < 0 || both < 0 || total < 0 || ua < 0 || uu < 0)
        return NG_ERR_INTERNAL;
    const char *now_t = "refusion_per_trin";
    const ng_table *trin = ng_dataset_table(ds, now_t);
    int now_r = trin ? ng_table_row(trin, "i_alt") : -1;
    int now_a = trin ? ng_table_col(trin, "antal") : -1,
        now_u = trin ? ng_table_col(trin, "udgift") : -1;
    bool now = now_r >= 0 && now_a >= 0 && now_u >= 0;
    if (!now && followup_row(ds, dato, true, true, &now_t, &now_r)) {
        now = true;
        now_a = C_AT;
        now_u = C_UT;
    }
    const char *then_t = NULL;
    int then_r = -1;
    bool then = followup_row(ds, prev, prev.y != dato.y || prev.m != dato.m, prev.y != dato.y,
                             &then_t, &then_r);
    ng_status s = NG_OK;
    if (now) {
        ng_term a[] = {
            {tilgang, ua, 1, "udvikling"}, {both, ua, 1, "udvikling"}, {now_r, now_a, -1, now_t}};
        s = ng_dataset_add_identity(ds, NULL, a, 3);
    }
    if (s == NG_OK && then) {
        ng_term a[] = {
            {afgang, ua, 1, "udvikling"}, {both, ua, 1, "udvikling"}, {then_r, C_AT, -1, then_t}};
        s = ng_dataset_add_identity(ds, NULL, a, 3);
    }
    if (s == NG_OK && now && then) {
        ng_term m[] = {
            {total, uu, 1, "udvikling"}, {now_r, now_u, -1, now_t}, {then_r, C_UT, 1, then_t}};
        s = ng_dataset_add_identity(ds, NULL, m, 3);
    }
    return s;
}

/* The bridge from the current follow-up (r, or the stored snapshot at
 * dato) to the one before it, both streamed in key order: a 10^7-row
 * extract's 833.334 units are not copied, nor the previous snapshot's read
 * into memory. */
static ng_status bridge_values(ng_history *h, ng_date dato, const ng_refusion_result *r,
                               ng_dataset *ds, ng_diags *diags)
{
    unit_set copy = {0};
    store_source now_store = {0}, then_store = {0};
    result_source now_result = {r, 0};
    ng_bridge_array now_copy = {0};
    ng_bridge_source now = {result_next, &now_result}, then = {store_next, &then_store};
    sqlite3_int64 id = 0;
    ng_date prev_dato;
    bool found = false;
    ng_status s = NG_OK;
    if (r && !counted_keys_increasing(r)) {
        s = units_from_result(r, &copy);
        now_copy = (ng_bridge_array){copy.units, copy.n, 0};
        now = (ng_bridge_source){ng_bridge_array_next, &now_copy};
    } else if (!r) {
        s = find_snapshot(h, dato, false, &id, &prev_dato, &found, diags);
        if (s != NG_OK || !found)
            goto cleanup; /* no current follow-up: nothing to compare */
        s = store_source_open(h, id, &now_store, diags);
        now = (ng_bridge_source){store_next, &now_store};
    }
    if (s == NG_OK)
        s = find_snapshot(h, dato, true, &id, &prev_dato, &found, diags);
    if (s == NG_OK && found)
        s = store_source_open(h, id, &then_store, diags);
    ng_bridge b;
    if (s == NG_OK)
        s = ng_bridge_merge(now, then, &b);
    if (now_store.failed || then_store.failed) {
        s = db_fail(h, diags, "øjebliksbilledet kunne ikke læses");
    } else if (s == NG_ERR_INTERNAL) {
        ng_error(diags, h->path, 0, 0,
                 "udviklingen siden sidste opfølgning går ikke op (dobbelte nøgler?)");
    }
    if (s == NG_OK && !found)
        memset(&b, 0, sizeof b);
    if (s == NG_OK)
        s = ng_bridge_publish(&b, found ? &prev_dato : NULL, ds);
    if (s == NG_OK && found)
        s = bridge_identities(ds, dato, prev_dato);
cleanup:
    store_source_close(&now_store);
    store_source_close(&then_store);
    unit_set_free(&copy);
    return s;
}

/* The memo year: the current result's, else the stored snapshot's at dato,
 * else the date's own year. */
static ng_status memo_year(ng_history *h, ng_date dato, const ng_refusion_result *r, int *aar,
                           ng_diags *diags)
{
    *aar = r ? r->aar : dato.y;
    if (r)
        return NG_OK;
    char iso[16];
    iso_date(dato, iso);
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h, "SELECT aar FROM snapshot WHERE dato = ?", &st, diags);
    if (s != NG_OK)
        return s;
    sqlite3_bind_text(st, 1, iso, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        *aar = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return NG_OK;
}

/* The current follow-up's row (row key) of a tier table holds the sums of
 * refusion_per_trin (the same units: adults covered with a tier): a reader
 * can set them side by side, and the small-cell suppression must know. */
static ng_status current_row_identities(ng_dataset *ds, const char *table, const char *key)
{
    const ng_table *t = ng_dataset_table(ds, table);
    const ng_table *trin = ng_dataset_table(ds, "refusion_per_trin");
    int row = t ? ng_table_row(t, key) : -1;
    if (row < 0 || !trin)
        return NG_OK;
    static const char *const tiers[NTIERS] = {"25", "50", "75"};
    ng_status s = NG_OK;
    for (int k = 0; k < NTIERS && s == NG_OK; k++) {
        int tr = ng_table_row(trin, tiers[k]);
        int ta = ng_table_col(trin, "antal"), tu = ng_table_col(trin, "udgift");
        if (tr < 0 || ta < 0 || tu < 0)
            return NG_OK;
        ng_term antal[] = {{row, C_A25 + 2 * k, 1, table}, {tr, ta, -1, "refusion_per_trin"}};
        ng_term udgift[] = {{row, C_U25 + 2 * k, 1, table}, {tr, tu, -1, "refusion_per_trin"}};
        s = ng_dataset_add_identity(ds, NULL, antal, 2);
        if (s == NG_OK)
            s = ng_dataset_add_identity(ds, NULL, udgift, 2);
    }
    return s;
}

static ng_status history_identities(const series *sr, ng_dataset *ds)
{
    if (!sr->r)
        return NG_OK;
    char month[16], year[16];
    period_key(month, sr->dato.y, sr->dato.m);
    period_key(year, sr->aar, 0);
    ng_status s = current_row_identities(ds, "opfoelgning_maaned", month);
    return s == NG_OK ? current_row_identities(ds, "refusion_aar", year) : s;
}

ng_status ng_history_tables(ng_history *h, ng_date dato, const ng_refusion_result *r,
                            ng_dataset *ds, ng_diags *diags)
{
    settle_ahead(h);
    series sr = {.dato = dato, .r = r};
    ng_status s = memo_year(h, dato, r, &sr.aar, diags);
    if (s == NG_OK)
        s = load_series(h, &sr, diags);
    if (s == NG_OK)
        s = monthly_table(&sr, ds);
    if (s == NG_OK)
        s = yearly_table(&sr, ds);
    if (s == NG_OK)
        s = yearly_figure(&sr, ds);
    if (s == NG_OK)
        s = yearly_values(&sr, ds);
    if (s == NG_OK)
        s = history_identities(&sr, ds);
    if (s == NG_OK)
        s = bridge_values(h, dato, r, ds, diags);
    period_list_free(&sr.months);
    period_list_free(&sr.years);
    return s;
}

/* ---- listing --------------------------------------------------------------- */

static ng_status list_snapshots(ng_history *h, ng_history_listing *out, ng_diags *diags)
{
    char sql[768];
    snprintf(sql, sizeof sql,
             "SELECT s.dato, s.aar, s.kommune, s.created_by_version,"
             " (SELECT COUNT(*) FROM snapshot_unit u WHERE u.snapshot_id = s.id),"
             " (SELECT COUNT(*) FROM snapshot_unit u WHERE u.snapshot_id = s.id AND %s),"
             " (SELECT COALESCE(SUM(udgift_oere), 0) FROM snapshot_unit u"
             "  WHERE u.snapshot_id = s.id AND %s), COALESCE(s.saet, '')"
             " FROM snapshot s ORDER BY s.dato",
             counted_sql, counted_sql);
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h, sql, &st, diags);
    size_t cap = 0;
    int rc = SQLITE_DONE;
    while (s == NG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->nsnapshots == cap) {
            cap = cap ? 2 * cap : 16;
            void *p = realloc(out->snapshots, cap * sizeof *out->snapshots);
            if (!p) {
                s = NG_ERR_NOMEM;
                break;
            }
            out->snapshots = p;
        }
        ng_history_snapshot_info *i = &out->snapshots[out->nsnapshots++];
        memset(i, 0, sizeof *i);
        snprintf(i->dato, sizeof i->dato, "%s", (const char *)sqlite3_column_text(st, 0));
        i->aar = sqlite3_column_int(st, 1);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            i->kommune = strdup((const char *)sqlite3_column_text(st, 2));
        i->version = strdup((const char *)sqlite3_column_text(st, 3));
        i->units = (long)sqlite3_column_int64(st, 4);
        i->antal = (long)sqlite3_column_int64(st, 5);
        i->udgift = sqlite3_column_int64(st, 6);
        snprintf(i->saet, sizeof i->saet, "%s", (const char *)sqlite3_column_text(st, 7));
    }
    if (s == NG_OK && rc != SQLITE_DONE)
        s = db_fail(h, diags, "øjebliksbilleder kunne ikke læses");
    sqlite3_finalize(st);
    return s;
}

static ng_status list_aggregates(ng_history *h, ng_history_listing *out, ng_diags *diags)
{
    sqlite3_stmt *st = NULL;
    ng_status s = db_prepare(h,
                             "SELECT kind, periode, SUM(antal), SUM(udgift_oere), MAX(source)"
                             " FROM aggregate GROUP BY kind, periode ORDER BY kind, periode",
                             &st, diags);
    size_t cap = 0;
    int rc = SQLITE_DONE;
    while (s == NG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->naggregates == cap) {
            cap = cap ? 2 * cap : 16;
            void *p = realloc(out->aggregates, cap * sizeof *out->aggregates);
            if (!p) {
                s = NG_ERR_NOMEM;
                break;
            }
            out->aggregates = p;
        }
        ng_history_aggregate_info *i = &out->aggregates[out->naggregates++];
        memset(i, 0, sizeof *i);
        snprintf(i->kind, sizeof i->kind, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(i->periode, sizeof i->periode, "%s", (const char *)sqlite3_column_text(st, 1));
        i->antal = (long)sqlite3_column_int64(st, 2);
        i->udgift = sqlite3_column_int64(st, 3);
        if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            i->source = strdup((const char *)sqlite3_column_text(st, 4));
    }
    if (s == NG_OK && rc != SQLITE_DONE)
        s = db_fail(h, diags, "indlæste opgørelser kunne ikke læses");
    sqlite3_finalize(st);
    return s;
}

ng_status ng_history_list(ng_history *h, ng_history_listing *out, ng_diags *diags)
{
    settle_ahead(h);
    memset(out, 0, sizeof *out);
    ng_status s = list_snapshots(h, out, diags);
    if (s == NG_OK)
        s = list_aggregates(h, out, diags);
    if (s != NG_OK)
        ng_history_listing_free(out);
    return s;
}

void ng_history_listing_free(ng_history_listing *l)
{
    for (size_t i = 0; i < l->nsnapshots; i++) {
        free(l->snapshots[i].kommune);
        free(l->snapshots[i].version);
    }
    for (size_t i = 0; i < l->naggregates; i++)
        free(l->aggregates[i].source);
    free(l->snapshots);
    free(l->aggregates);
    memset(l, 0, sizeof *l);
}

/* ---- the module --------------------------------------------------------------- */

typedef ng_historik_options opts;

static const ng_config_key keys[] = {
    NG_KEY(opts, "historik", "database", NG_KEY_PATH, database),
    NG_KEY(opts, "historik", "import", NG_KEY_PATH, import),
};

static void options_free(void *p)
{
    opts *o = p;
    free(o->database);
    free(o->import);
}

static char *store_path(const opts *o, const char *output_dir);

char *ng_history_store_path(const ng_config *cfg)
{
    const opts *o = ng_module_options(cfg, &ng_module_historik);
    const ng_output_options *out = ng_module_options(cfg, &ng_module_output);
    return o ? store_path(o, out ? out->mappe : NULL) : NULL;
}

/* [historik] database, else historik.sqlite beside the outputs. */
static char *store_path(const opts *o, const char *output_dir)
{
    if (o->database)
        return strdup(o->database);
    return output_dir ? ng_path_join(output_dir, "historik.sqlite") : NULL;
}

/* Opens the store (its lock held until the run ends), refuses another
 * municipality's, and first records what a killed run published without
 * recording (roll forward) -- under check in a transaction that is rolled
 * back, so check computes what run will and changes nothing. */
static ng_status compute(const void *opt, ng_pipeline *p)
{
    char *path = store_path(opt, p->output_dir);
    ng_status st = !path           ? NG_ERR_NOMEM
                   : p->check_only ? ng_history_open_trial(path, &p->history, p->diags)
                                   : ng_history_open(path, &p->history, p->diags);
    free(path);
    int rolled = 0;
    if (st == NG_OK)
        st = ng_history_claim(p->history, p->kommune, p->kommunekode, p->diags);
    if (st == NG_OK && p->check_only)
        st = ng_history_begin(p->history, p->diags);
    if (st == NG_OK)
        st = ng_history_roll_forward(p->history, p->output_dir, !p->check_only, &rolled, p->diags);
    if (st == NG_OK)
        st = ng_history_tables(p->history, p->dato, &p->refusion, &p->ds, p->diags);
    return st;
}

/* The snapshot written ahead of the commit (ng_history_write_ahead) while
 * the modules after this one render: the commit after publishing only
 * finishes it. When it cannot be (the store would not open a transaction),
 * the commit does it all and gives the error, after publishing, as it would
 * have without this. check commits nothing (its store is a trial). */
static ng_status render(const void *opt, ng_pipeline *p)
{
    (void)opt;
    if (!p->check_only && p->history &&
        ng_history_write_ahead(p->history, p->dato, p->kommune, &p->refusion) != NG_OK) {
        /* nothing is open: the commit begins its own transaction */
    }
    return NG_OK;
}

/* The snapshot, so the next follow-up compares with it. */
static ng_status record(const void *opt, ng_pipeline *p)
{
    (void)opt;
    ng_history_entry_snapshot(p->entry, &p->refusion);
    return NG_OK;
}

#define TIER_COLUMNS                                                                               \
    {"antal_25", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS}, {"udgift_25", NULL, NG_UNIT_MIO, -1, 0}, \
        {"antal_50", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS},                                      \
        {"udgift_50", NULL, NG_UNIT_MIO, -1, 0},                                                   \
        {"antal_75", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS},                                      \
        {"udgift_75", NULL, NG_UNIT_MIO, -1, 0},                                                   \
        {"antal_total", NULL, NG_UNIT_ANTAL, 0, NG_COL_PERSONS},                                   \
    {                                                                                              \
        "udgift_total", NULL, NG_UNIT_MIO, -1, 0                                                   \
    }

static const ng_decl publishes[] = {
    NG_DECL_TABLE_("opfoelgning_maaned", "Månedlig opfølgning",
                   "Antal sager og udgift pr. refusionstrin ved hver opfølgning i året",
                   NG_COLS({"maaned", NULL, NG_UNIT_TEXT, 0, 0}, TIER_COLUMNS)),
    NG_DECL_TABLE_("refusion_aar", "Refusion pr. år",
                   "Antal sager og udgift pr. refusionstrin pr. år",
                   NG_COLS({"aar", NULL, NG_UNIT_AAR, 0, 0}, TIER_COLUMNS)),
    NG_DECL_FIGURE_("refusion_aar_figur", "refusion_aar",
                    "Stablede søjler: udgift pr. refusionstrin pr. år"),
    NG_DECL_TABLE_("udvikling", "Udvikling siden sidst",
                   "Tilgang, afgang og ændring i udgiften siden forrige opfølgning",
                   NG_COLS({"post", NULL, NG_UNIT_TEXT, 0, 0}, {"antal", NULL, NG_UNIT_ANTAL, 0, 0},
                           {"udgift", NULL, NG_UNIT_MIO, -1, 0})),
    NG_DECL_VALUE_("stigning_antal_50_75", NG_UNIT_ANTAL,
                   "Ændring i antal sager med 50 og 75 pct. refusion fra første til sidste år"),
    NG_DECL_VALUE_("stigning_udgift_50_75", NG_UNIT_KR,
                   "Ændring i udgiften til sager med 50 og 75 pct. refusion fra første til sidste "
                   "år"),
    NG_DECL_VALUE_("foerste_aar", NG_UNIT_AAR, "Første år i tabellen refusion_aar"),
    NG_DECL_VALUE_("sidste_aar", NG_UNIT_AAR, "Sidste år i tabellen refusion_aar"),
    NG_DECL_FACT_("forrige_opfoelgning_dato", NG_UNIT_DATO,
                  "Datoen for den forrige opfølgning (findes ikke ved den første)"),
    NG_DECL_VALUE_("tilgang_antal", NG_UNIT_ANTAL,
                   "Nye voksensager inden for refusionsgrænsen siden forrige opfølgning"),
    NG_DECL_VALUE_("afgang_antal", NG_UNIT_ANTAL,
                   "Voksensager inden for refusionsgrænsen ved forrige opfølgning, som ikke er "
                   "med nu"),
    NG_DECL_VALUE_("tilgang_udgift", NG_UNIT_KR, "De nye sagers forventede årsudgift nu"),
    NG_DECL_VALUE_("afgang_udgift", NG_UNIT_KR,
                   "De afgåede sagers forventede årsudgift ved forrige opfølgning"),
    NG_DECL_VALUE_("aendring_tilgang_afgang_udgift", NG_UNIT_KR,
                   "Tilgangens udgift netto efter afgang (tilgang minus afgang)"),
    NG_DECL_VALUE_("aendring_eksisterende_udgift", NG_UNIT_KR,
                   "Ændring i udgiften til sager, der er med i begge opfølgninger"),
    NG_DECL_VALUE_("aendring_udgift", NG_UNIT_KR,
                   "Samlet ændring i udgiften siden forrige opfølgning"),
};

const ng_module ng_module_historik = {
    .name = "historik",
    .summary = "Historiklageret: opfølgningerne måned for måned og år for år, og udviklingen "
               "siden forrige opfølgning",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_free = options_free,
    .compute = compute,
    .render = render,
    .record = record,
    .publishes = publishes,
    .npublishes = sizeof publishes / sizeof *publishes,
};
