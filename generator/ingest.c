/*
 * ingest.c -- the cost extract: CSV in, cases out (see ingest.h).
 *
 * How a file is read (the reader), and what becomes of its rows (the
 * applier):
 *
 *   read() blocks of 256 KiB (the first: 1 MiB)
 *     ─▶ split at '\n' (memchr; at '\r' in a file of CR-only line ends)
 *     ─▶ a line without '"' or a stray '\r': fields split at the delimiter
 *        (plain_delims, one SSE2 pass, which also finds the bytes that are
 *        not printable ASCII); any other line: csv_parse()
 *     ─▶ a line that is not printable ASCII: its bytes judged once
 *        (take_line_bytes: a NUL, the file's encoding)
 *     ─▶ a plain row whose values have their usual shape: its strings
 *        stored, its numbers, dates and yes/no values parsed from the
 *        line's bytes (quick_row); any other row: field callback (trim,
 *        UTF-8, no unseen characters), the mapped fields' values checked
 *        (check_*)
 *     ─▶ a parsed_row in the block
 *     ─▶ the applier: reconciliation, cases, conflicts, rejects, diagnostics,
 *        SHA-256 of the bytes
 *
 * libcsv is the parser of record: every line that holds a quote (or a '\r'
 * that is not its line end) goes through it, one line at a time, so that a
 * record always ends at a line end we know, its first line is the line where
 * it began, and its raw bytes are buf[rec_start, line end) -- copied
 * unchanged to the rejects file when the row is bad. A plain line is split
 * by plain_delims exactly as libcsv splits it (fields at the delimiter,
 * spaces and tabs trimmed at both ends); tests/fuzz/fuzz_fields.c feeds the
 * same bytes to both and compares every field.
 *
 * Two threads (ng_ingest_options.threads): the file after the header is
 * split into parts that both threads parse, each part applied in file order
 * (see "the split" below). When it cannot be split (decimaltegn = auto, a
 * pipe), the pipeline: the reader runs on its own thread and hands full
 * blocks to the applier (the caller's thread) through a ring of NBLOCKS
 * blocks. Everything that depends on earlier rows -- the
 * cases, conflicts, overflow of sums, diagnostics, rejects -- is the
 * applier's, which sees the rows in file order, so the outcome is that of
 * one thread by construction; the reader only checks each row on its own and
 * leaves its messages in the block. The header is read before the second
 * thread starts, so only that part of the reader writes diagnostics.
 *
 * Fields are converted to UTF-8 in the field callback (Windows-1252 bytes
 * never produce the ASCII delimiter, quote or newline, so parsing the raw
 * bytes is safe). The encoding is the reader's to decide, line by line in
 * file order (judge_encoding; ingest.h says how), so one thread or two and
 * any block size decide alike; its one error travels in the block with the
 * row where it was found (parsed_row.pre). Only the columns mapped to a
 * logical field are stored; an unmapped column (say a CPR number) is
 * counted and then forgotten -- but its bytes count for the encoding and for
 * a NUL. Each field's value is checked in one place: store_text for what
 * every field must be, the check_* functions for each field's meaning.
 *
 * Memory: NBLOCKS blocks (raw bytes, field text and rows of about 256 KiB of
 * the file each), the cases, and a small map used only when attributes
 * conflict. No allocation per row or field in the common path. In
 * validation mode (`check`) the cases are replaced by their keys and
 * attributes only (vcase), about 70 bytes a case.
 */
#include "notatgen/ingest.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "notatgen/dk.h"
#include "notatgen/manifest.h"
#include "notatgen/publish.h"
#include "notatgen/textcheck.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum {
    READ_CHUNK = 1 << 20,     /* the first block (a UTF-16 file is told from its start) */
    BLOCK_BYTES = 256 << 10,  /* bytes read for each later block */
    PROGRESS_STEP = 16 << 20, /* bytes between two progress calls */
    MAX_RECORD = 1 << 20,     /* a longer record is a runaway quote: stop reading */
    NBLOCKS = 3,              /* the ring between the reader and the applier */
    MAX_PLAIN_FIELDS = 512,   /* a plain line with more fields goes through libcsv */
    THREADS_FROM = 8 << 20,   /* threads = 0: two threads from this file size on */
    MAX_DIRT = 32,            /* plain_delims: bytes of a line that are not printable ASCII */
    CPR_MEMO = 4,             /* check_not_cpr: values remembered as clean, per key */
    CPR_MEMO_LEN = 64,        /* check_not_cpr: a value remembered as clean */
    BYTES_PAD = 16,           /* grow_bytes: bytes after a buffer's capacity (store_text) */
    SPLIT_BYTES = 128 << 10,  /* a part of a split file: its block stays in L2 until applied */
    PREFETCH_AHEAD = 4,       /* rows between prefetch stages (apply_block): bench/results.md */
    SHOWN_VALUE = 60,         /* bytes of a bad value shown in a message */
    MAX_FIELD = 1000,         /* bytes of a field that is kept */
    ERR_MSG_SIZE = 512,
    MAX_OMR_NAMES = 8,
    N_ATTR = 7,
};

/* No single cost line is larger than 100 mia. kr.; the cap keeps every sum
 * far from int64 overflow. */
#define MAX_AMOUNT_OERE INT64_C(10000000000000)

/* The encoding the fields are read in. ENC_ASCII: tegnsaet = auto, and no
 * byte >= 0x80 so far (nothing to decide yet). */
typedef enum { ENC_ASCII, ENC_UTF8, ENC_CP1252 } enc_state;

/* Attributes of a case that all its rows must agree on. */
typedef enum {
    ATTR_OMRAADE,
    ATTR_FOEDSELSAAR,
    ATTR_FOER67,
    ATTR_HUSSTAND,
    ATTR_MAALGRUPPE,
    ATTR_LEVERANDOERTYPE,
    ATTR_KOMMUNE
} attr_id;

static const char *const attr_plural[N_ATTR] = {
    "to områder",    "to fødselsår",       "to værdier for foer67", "to husstande",
    "to målgrupper", "to leverandørtyper", "to kommuner",
};

/* The values of leverandoertype; a case keeps a pointer to one of them. */
static const char *const leverandoer_types[3] = {"kommunal", "regional", "privat"};

static const char *const default_omraade[NG_OMR_COUNT][3] = {
    {"voksen", NULL, NULL},
    {"boern", "børn", NULL},
    {"aeldre", "ældre", NULL},
};

/* ---- a small string-keyed map, used only on attribute conflicts --------- */

typedef struct {
    char *key;
    long value;
} side_slot;

typedef struct {
    side_slot *slots;
    size_t cap, count;
} side_map;

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void side_map_free(side_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static side_slot *side_find(side_map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = hash_bytes(key, strlen(key)) & (m->cap - 1);
    while (m->slots[i].key) {
        if (!strcmp(m->slots[i].key, key))
            return &m->slots[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

static ng_status side_put(side_map *m, const char *key, long value)
{
    side_slot *hit = side_find(m, key);
    if (hit) {
        hit->value = value;
        return NG_OK;
    }
    if ((m->count + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        side_slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return NG_ERR_NOMEM;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key)
                continue;
            size_t j = hash_bytes(m->slots[i].key, strlen(m->slots[i].key)) & (cap - 1);
            while (slots[j].key)
                j = (j + 1) & (cap - 1);
            slots[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    char *copy = strdup(key);
    if (!copy)
        return NG_ERR_NOMEM;
    size_t i = hash_bytes(key, strlen(key)) & (m->cap - 1);
    while (m->slots[i].key)
        i = (i + 1) & (m->cap - 1);
    m->slots[i].key = copy;
    m->slots[i].value = value;
    m->count++;
    return NG_OK;
}

/* ---- validation only: a compact set of strings and the cases -------------
 *
 * `check` needs no money, only what a full reading reports. Per case it keeps
 * the sag_id (packed, NUL-terminated, in one arena: no hashing risk, the
 * exact key is compared), its attributes (strings interned, so a conflict
 * message can still name both values) and its first line. */

typedef struct {
    uint32_t index1; /* index + 1 into off; 0 = free */
    uint32_t tag;    /* high bits of the hash: skip a non-match without a strcmp */
} set_slot;

typedef struct {
    char *bytes; /* the strings, each NUL-terminated */
    size_t len, cap;
    size_t *off; /* per string: its offset in bytes */
    size_t count, offcap;
    set_slot *slots;
    size_t nslots; /* power of two, or 0 */
} str_set;

static void str_set_free(str_set *t)
{
    free(t->bytes);
    free(t->off);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static const char *str_set_at(const str_set *t, size_t i)
{
    return t->bytes + t->off[i];
}

static bool str_set_grow_slots(str_set *t)
{
    size_t nslots = t->nslots ? t->nslots * 2 : 1024;
    set_slot *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < t->count; i++) {
        uint64_t h = ng_cases_hash(str_set_at(t, i));
        size_t j = h & (nslots - 1);
        while (slots[j].index1)
            j = (j + 1) & (nslots - 1);
        slots[j].index1 = (uint32_t)(i + 1);
        slots[j].tag = (uint32_t)(h >> 32);
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return true;
}

/* The index of key, whose hash (ng_cases_hash) is h, adding it when new
 * (*added). false on out of memory or beyond 2^32 - 1 strings. */
static bool str_set_add_hashed(str_set *t, const char *key, uint64_t h, size_t *index, bool *added)
{
    size_t len = strlen(key);
    uint32_t tag = (uint32_t)(h >> 32);
    *added = false;
    if ((t->count + 1) * 2 > t->nslots && !str_set_grow_slots(t))
        return false;
    size_t mask = t->nslots - 1, j = h & mask;
    for (; t->slots[j].index1; j = (j + 1) & mask) {
        size_t i = t->slots[j].index1 - 1;
        if (t->slots[j].tag == tag && !strcmp(str_set_at(t, i), key)) {
            *index = i;
            return true;
        }
    }
    if (t->count >= UINT32_MAX - 1)
        return false;
    if (t->len + len + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + len + 1)
            cap *= 2;
        char *b = realloc(t->bytes, cap);
        if (!b)
            return false;
        t->bytes = b;
        t->cap = cap;
    }
    if (t->count == t->offcap) {
        size_t cap = t->offcap ? t->offcap * 2 : 1024;
        size_t *o = realloc(t->off, cap * sizeof *o);
        if (!o)
            return false;
        t->off = o;
        t->offcap = cap;
    }
    memcpy(t->bytes + t->len, key, len + 1);
    t->off[t->count] = t->len;
    t->len += len + 1;
    t->slots[j].index1 = (uint32_t)(t->count + 1);
    t->slots[j].tag = tag;
    *index = t->count++;
    *added = true;
    return true;
}

static bool str_set_add(str_set *t, const char *key, size_t *index, bool *added)
{
    return str_set_add_hashed(t, key, ng_cases_hash(key), index, added);
}

/* The index of key, whose hash is h, or -1. */
static long str_set_find_hashed(const str_set *t, const char *key, uint64_t h)
{
    if (!t->nslots)
        return -1;
    uint32_t tag = (uint32_t)(h >> 32);
    size_t mask = t->nslots - 1;
    for (size_t j = h & mask; t->slots[j].index1; j = (j + 1) & mask) {
        size_t i = t->slots[j].index1 - 1;
        if (t->slots[j].tag == tag && !strcmp(str_set_at(t, i), key))
            return (long)i;
    }
    return -1;
}

/* The index of the string with hash h as far as the slots tell (no key
 * compared; only for prefetching), or -1. */
static long str_set_probe(const str_set *t, uint64_t h)
{
    uint32_t tag = (uint32_t)(h >> 32);
    size_t mask = t->nslots - 1;
    for (size_t j = h & mask; t->slots[j].index1; j = (j + 1) & mask)
        if (t->slots[j].tag == tag)
            return (long)t->slots[j].index1 - 1;
    return -1;
}

/* A case as `check` keeps it (its sag_id is entry i of the ids set). */
typedef struct {
    long first_line;
    /* Sum over its used rows of what each added to a month (|12 x amount|
     * for a dated line, |amount| for a yearly one): no month of the case can
     * be further from 0, so while it stays <= INT64_MAX no month overflowed
     * (a full reading rejects a row that makes one overflow). */
    uint64_t bound;
    uint32_t husstand, maalgruppe, kommune; /* 1 + index in the interned values; 0 = none */
    int16_t foedselsaar;
    uint8_t omraade, foer67, leverandoertype; /* leverandoertype: 1 + index; 0 = none */
} vcase;

/* ---- the reader's state -------------------------------------------------- */

/* The last NAME_MEMO raw values a name table ([omraader], [leverandoertyper])
 * was searched for and what each means: the columns repeat a few values, in
 * any order. Only values found are kept. */
enum { NAME_MEMO = 8, NAME_MEMO_LEN = 48 };

typedef struct {
    char raw[NAME_MEMO][NAME_MEMO_LEN];
    uint8_t len[NAME_MEMO];
    int value[NAME_MEMO];
    unsigned n; /* values put so far (the oldest is replaced) */
} name_memo;

static bool memo_find(const name_memo *m, const char *v, size_t len, int *value)
{
    unsigned have = m->n < NAME_MEMO ? m->n : NAME_MEMO;
    for (unsigned i = 0; len < NAME_MEMO_LEN && i < have; i++)
        if (m->len[i] == len && !memcmp(m->raw[i], v, len)) {
            *value = m->value[i];
            return true;
        }
    return false;
}

static void memo_put(name_memo *m, const char *v, size_t len, int value)
{
    if (len >= NAME_MEMO_LEN)
        return;
    unsigned i = m->n++ % NAME_MEMO;
    memcpy(m->raw[i], v, len + 1);
    m->len[i] = (uint8_t)len;
    m->value[i] = value;
}

/* One cost line after its values were checked. */
typedef struct {
    const char *sag_id;
    uint64_t hash; /* ng_cases_hash(sag_id) */
    int aar;
    int maaned; /* 0: the whole year */
    int64_t oere;
    bool amount_ok;
    bool engang;
    ng_omraade omraade;
    int foedselsaar, foedselsmaaned;
    ng_tristate foer67;
    const char *husstand, *maalgruppe, *leverandoertype, *kommune; /* NULL when blank */
    bool cpr; /* a kept value looks like a CPR number: the run stops */
} cost_line;

/* A cost line with nothing read yet, set field by field: `= {...}` would
 * clear it with `rep stos` first, which costs more than the stores (once
 * per line). */
static void cost_line_clear(cost_line *l)
{
    l->sag_id = NULL;
    l->hash = 0;
    l->aar = l->maaned = 0;
    l->oere = 0;
    l->amount_ok = l->engang = false;
    l->omraade = NG_OMR_VOKSEN;
    l->foedselsaar = l->foedselsmaaned = 0;
    l->foer67 = NG_UNKNOWN;
    l->husstand = l->maalgruppe = l->leverandoertype = l->kommune = NULL;
    l->cpr = false;
}
/* (the size is the struct's on a 64-bit target) */
_Static_assert(sizeof(void *) != 8 || sizeof(cost_line) == 96,
               "a field of cost_line is new: clear it in cost_line_clear");

/* A row's problem: the one in the lowest column wins (row_error). */
typedef struct {
    bool has;
    int col;
    char msg[ERR_MSG_SIZE];
} row_err;

/* A data row as the reader hands it on: its values checked, its strings in
 * its block's text (offset + 1; 0 = none), its problem if any, and where its
 * raw bytes are in the block. */
typedef struct {
    long line;
    uint64_t hash; /* of sag_id (ng_cases_hash), for the applier's lookups */
    uint32_t raw_off, raw_len;
    uint32_t sag_id, husstand, maalgruppe, kommune;
    uint32_t err; /* the message of the row's problem; 0 = none */
    uint32_t pre; /* an error of the file to give before the row (its encoding); 0 = none */
    long pre_line;
    int err_col, pre_col;
    int aar, maaned, foedselsaar, foedselsmaaned;
    int64_t oere;
    uint8_t omraade, foer67, leverandoer; /* leverandoer: 1 + index; 0 = none */
    bool amount_ok, engang;
    bool cpr; /* cost_line.cpr */
} parsed_row;
/* push_line sets every field one by one: a new field must be set there too
 * (the size is the struct's on a 64-bit target) */
_Static_assert(sizeof(void *) != 8 || sizeof(parsed_row) == 96,
               "a field of parsed_row is new: set it in push_line");

/* A block of the file: its raw bytes (an unfinished record carried over from
 * the block before, then what was read for this block), the text of its
 * rows' fields and its rows. The reader fills a block, the applier uses it
 * and gives it back. */
typedef struct {
    char *buf;
    size_t cap, len;
    size_t fresh; /* buf[fresh, len) was read for this block (hashed once) */
    char *text;   /* field values, messages: NUL-terminated, by offset */
    size_t tlen, tcap;
    parsed_row *rows;
    size_t nrows, rows_cap;
    bool last;          /* the input ends with this block */
    ng_status status;   /* NG_OK, or why the reading stopped after these rows */
    uint32_t fatal_msg; /* its diagnostic (text offset + 1); 0 = none */
    long fatal_line;
    int fatal_col;
    bool full; /* handed to the applier and not given back yet */
} block;

typedef struct {
    const ng_ingest_options *opt;
    const char *fname; /* the file's name in messages: CPR-like values masked */
    char *fname_masked;
    char delim;
    ng_reconciliation *rec; /* the applier sets the counts; the encoding is set at the end */
    ng_diags *diags;        /* the reader writes to it only while the header is read */

    /* ---- the reader: bytes -> rows ---- */
    ng_status fatal; /* NOMEM found in a callback */

    /* [omraader]: folded names per område */
    char *omr_name[NG_OMR_COUNT][MAX_OMR_NAMES];
    /* [leverandoertyper]: folded values per leverandoer_types entry */
    char *lev_name[3][MAX_OMR_NAMES];
    name_memo lev_memo, omr_memo; /* raw values already looked up: a type, an område */

    /* source: a file descriptor or memory */
    int fd;
    const char *mem;
    size_t mem_len, mem_pos;
    bool eof;
    size_t read_chunk;
    uint64_t bytes_read, bytes_total, next_progress;
    long rows_seen; /* data rows handed on, for the progress line */

    block blocks[NBLOCKS];
    block *blk;       /* the block being filled */
    size_t blk_index; /* its index in blocks[] */
    size_t pos;       /* the next line to feed, in blk->buf */
    bool done;        /* the last block (or the one that stopped the reading) is handed on */

    /* the encoding (see ingest.h): the state, and under tegnsaet = auto what
     * the lines so far hold */
    enc_state enc;
    bool enc_auto;          /* tegnsaet = auto: every line is judged (judge_encoding) */
    bool enc_failed;        /* the file's one encoding error was given */
    long first_utf8_line;   /* the first line with a multi-byte UTF-8 character; 0 = none */
    long bad_line, bad_col; /* the first byte that is not UTF-8 (while Windows-1252) */
    unsigned char bad_byte;

    struct csv_parser csv;
    bool csv_ready;
    long line;           /* number of the last line fed */
    bool lines_in_text;  /* a message of the reader names a line in its text (the split) */
    size_t line_end;     /* offset just past the line being fed */
    char eol, other_eol; /* the line-end byte ('\n', or '\r' for a file of CR-only line ends) */
    bool eol_known;      /* eol is decided (at the file's first line end) */
    bool rec_open;       /* a record has begun and not yet ended */
    bool row_done;       /* the row callback fired for the open record */
    size_t rec_start;
    size_t rec_first_end; /* the end of the record's first line */
    long rec_line;
    size_t rec_text; /* where the open record's fields begin in blk->text */

    /* the current record */
    int nfields;
    size_t foff[NG_F_COUNT];
    uint32_t flen[NG_F_COUNT]; /* its stored length (keep_field) */
    bool fhas[NG_F_COUNT];
    row_err perr;
    /* what the record's lines hold (line_scan): a byte >= 0x80 or a control
     * character (dirty), a byte that is not UTF-8, a NUL */
    bool rec_dirty, rec_bad, rec_nul;
    uint32_t pre; /* an error of the file for the current record (text offset + 1) */
    long pre_line;
    int pre_col;

    /* the header */
    bool have_header;
    int ncols;
    int *colmap; /* per 0-based column: ng_field or -1 */
    int colmap_cap;
    int fieldcol[NG_F_COUNT]; /* 1-based column of each field, 0 when absent */
    size_t *hoff;             /* header record: offsets of all names in blk->text */
    int hcap;
    char *header_raw;
    size_t header_raw_len;
    char **header_names; /* kept for messages about columns */

    /* ---- the applier: rows -> cases, diagnostics, rejects ---- */
    ng_cases *cases;
    long cur_line; /* line of the row being applied */
    row_err cerr;

    /* rejects */
    const char *rejects_path;
    FILE *rej;
    bool rej_failed;

    /* case cache: rows of one case usually follow each other */
    ng_sag *last_sag;
    uint64_t last_hash; /* of last_id */
    char *last_id;
    size_t last_id_cap;
    bool same_case_as_before; /* this row's case is the previous row's */

    side_map side;

    /* validation only (opt->validate_only): the cases without money */
    bool validate;
    str_set ids;   /* sag_id of each case */
    vcase *vcases; /* parallel to ids */
    size_t vcases_cap;
    str_set values;         /* interned husstand, målgruppe and kommune values */
    uint32_t last_value[3]; /* per attribute: the previous row's id, to skip a hash */
    size_t last_v;          /* index of the previous row's case */
    bool have_last_v;
    bool too_heavy;                /* a case's money bound passed INT64_MAX: read again in full */
    size_t max_cases;              /* ng_ingest_options.max_cases, or NG_MAX_CASES */
    bool too_many;                 /* a row's case was one too many: the reading stops */
    long cpr_rows, cpr_first_line; /* rows with a CPR-like kept value (cost_line.cpr) */
    /* check_no_cpr: per key, the last values found clean (zeroed: none) */
    char cpr_clean[4][CPR_MEMO][CPR_MEMO_LEN];
    uint8_t cpr_clean_len[4][CPR_MEMO]; /* 0: none yet (a value checked is 10 bytes or more) */
    unsigned cpr_next[4];

    ng_sha256 *sha; /* of every byte read (opt->sha256) */
    uint64_t hashed;
    bool read_whole;    /* the last block was applied: the hash is the file's */
    size_t apply_index; /* the next block to apply */

    /* ---- between the two (two threads) ---- */
    bool threaded;
    bool stop; /* the applier stopped: the reader ends */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} ingest_ctx;
/* ---- small helpers ------------------------------------------------------- */

static int is_space_or_cr(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int is_lf(unsigned char c)
{
    return c == '\n';
}

static int is_space_or_lf(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static int is_cr(unsigned char c)
{
    return c == '\r';
}

/* The length of the run of printable ASCII (0x20-0x7E) that s[0, len)
 * begins with: most bytes of an extract are, so the scans below skip them
 * 16 at a time where SSE2 is there. */
static size_t printable_run(const char *s, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i below = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* signed, a byte >= 0x80 is below 0x20 too */
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmplt_epi8(v, below), _mm_cmpeq_epi8(v, del)));
        if (m)
            return i + (unsigned)__builtin_ctz(m);
    }
#endif
    while (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F)
        i++;
    return i;
}

/* s[0, len) is printable ASCII or TAB (what line_scan calls not dirty). */
static bool printable_or_tab(const char *s, size_t len)
{
    for (size_t i = printable_run(s, len); i < len; i += 1 + printable_run(s + i + 1, len - i - 1))
        if (s[i] != '\t')
            return false;
    return true;
}

static bool ascii_only(const char *s, size_t len)
{
    for (size_t i = printable_run(s, len); i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* memcpy of a field (at most MAX_FIELD bytes): one pair of overlapping 8-byte
 * moves for the usual 8 to 16 bytes. Told the length is bounded, the
 * compiler would inline `rep movs`, whose start-up costs more than such a
 * copy (2 % of check's CPU on a shuffled extract). */
static void copy_field(char *out, const char *s, size_t len)
{
    if (len >= 8 && len <= 16) {
        uint64_t head, tail;
        memcpy(&head, s, 8);
        memcpy(&tail, s + len - 8, 8);
        memcpy(out, &head, 8);
        memcpy(out + len - 8, &tail, 8);
    } else {
        memcpy(out, s, len);
    }
}

static bool ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* Copies s into a malloc'd, trimmed, case-folded string (NULL on OOM). */
static char *folded_copy(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    ng_fold_case(out);
    return out;
}

/* A value as shown in a message: at most SHOWN_VALUE bytes (cut at a UTF-8
 * boundary), control characters as spaces. diag.c masks CPR-like values. */
static void shown_value(const char *v, char *out, size_t size)
{
    size_t n = strlen(v);
    size_t max = size - 4 < SHOWN_VALUE ? size - 4 : SHOWN_VALUE;
    bool cut = n > max;
    if (cut) {
        n = max;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--; /* do not split a character */
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)v[i] < 0x20 ? ' ' : v[i];
    if (cut) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

/* Records a problem of a row; the one in the lowest column wins, so that
 * each bad row gives exactly one diagnostic, the leftmost. */
static void row_error(row_err *e, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void row_error(row_err *e, int col, const char *fmt, ...)
{
    if (e->has && e->col <= col)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->has = true;
    e->col = col;
}
/* row_error with a value: "reason: 'value'" */
static void value_error(ingest_ctx *x, ng_field f, const char *reason, const char *value)
{
    char shown[SHOWN_VALUE + 8];
    shown_value(value, shown, sizeof shown);
    row_error(&x->perr, x->fieldcol[f], "%s: '%s'", reason, shown);
}

static const char *column_name(const ingest_ctx *x, ng_field f)
{
    const char *c = x->opt->columns ? x->opt->columns[f] : NULL;
    /* the default header names are the config keys (CONFIG-KEYS.md) */
    return c && *c ? c : ng_field_name(f);
}

/* ---- encoding ------------------------------------------------------------ */

#define NO_OFFSET SIZE_MAX

static const char *enc_name(enc_state e)
{
    return e == ENC_CP1252 ? "windows-1252" : "utf-8";
}

/* Decodes the UTF-8 character at s[0, len): its bytes (and *cp), or 0 when
 * the bytes there are not valid UTF-8 (overlong forms, surrogates and values
 * above U+10FFFF are not). */
static size_t utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c = s[0];
    size_t n = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (n == 0 || n > len)
        return 0;
    uint32_t v = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3F);
    }
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < least[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* The five bytes Windows-1252 leaves undefined. */
static bool cp1252_undefined(unsigned char c)
{
    return c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D;
}

/* What a line's bytes hold beyond printable ASCII (offsets in the line, or
 * NO_OFFSET): the first NUL, the first valid multi-byte UTF-8 character, the
 * first byte that is not part of valid UTF-8 and the first of those that
 * Windows-1252 does not define either; dirty: a byte >= 0x80 or a control
 * character other than TAB. */
typedef struct {
    size_t nul, multi, bad, undefined;
    bool dirty;
} line_bytes;

static void line_scan(const char *str, size_t len, line_bytes *b)
{
    const unsigned char *s = (const unsigned char *)str;
    *b = (line_bytes){NO_OFFSET, NO_OFFSET, NO_OFFSET, NO_OFFSET, false};
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            i += printable_run(str + i, len - i);
            continue;
        }
        if (c < 0x80) {
            if (c == 0 && b->nul == NO_OFFSET)
                b->nul = i;
            b->dirty |= c != '\t';
            i++;
            continue;
        }
        b->dirty = true;
        uint32_t cp;
        size_t n = utf8_decode(str + i, len - i, &cp);
        if (n) {
            if (b->multi == NO_OFFSET)
                b->multi = i;
            i += n;
            continue;
        }
        if (b->bad == NO_OFFSET)
            b->bad = i;
        if (b->undefined == NO_OFFSET && cp1252_undefined(c))
            b->undefined = i;
        i++;
    }
}

/* The 1-based column of byte off of the line s being fed; a continuation
 * line of a record begins inside the record's open (quoted) field. */
static int column_at(const ingest_ctx *x, const char *s, size_t off, bool continuation)
{
    int col = continuation ? x->nfields + 1 : 1;
    bool quoted = continuation;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (s[i] == x->delim && !quoted)
            col++;
    }
    return col;
}

/* "kolonnen 'beloeb'" (a data row's column; with field: "feltet i kolonnen
 * 'beloeb'"), or "felt 3". */
static const char *column_ref(const ingest_ctx *x, int col, bool field, char *buf, size_t size)
{
    if (x->have_header && col >= 1 && col <= x->ncols)
        snprintf(buf, size, "%skolonnen '%s'", field ? "feltet i " : "", x->header_names[col - 1]);
    else
        snprintf(buf, size, "felt %d", col);
    return buf;
}

static const char *field_ref(const ingest_ctx *x, int col, char *buf, size_t size)
{
    return column_ref(x, col, true, buf, size);
}

/* Room for extra more bytes of text in the current block (false on OOM). */
static bool block_text_reserve(block *b, size_t need);

static bool text_reserve(ingest_ctx *x, size_t extra)
{
    if (x->blk->tlen + extra <= x->blk->tcap)
        return true;
    if (block_text_reserve(x->blk, x->blk->tlen + extra))
        return true;
    x->fatal = NG_ERR_NOMEM;
    return false;
}

/* A copy of a message in the block's text: its offset + 1 (0 on OOM). */
static uint32_t text_put(ingest_ctx *x, const char *msg)
{
    size_t n = strlen(msg);
    if (!text_reserve(x, n + 1))
        return 0;
    uint32_t at = (uint32_t)x->blk->tlen;
    memcpy(x->blk->text + at, msg, n + 1);
    x->blk->tlen += n + 1;
    return at + 1;
}

/* The file's encoding error at line:col: given at once while the header is
 * read, else (by the applier) just before the current record's own
 * diagnostics. Once per file. */
static void encoding_error(ingest_ctx *x, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void encoding_error(ingest_ctx *x, long line, long col, const char *fmt, ...)
{
    char msg[ERR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->enc_failed = true;
    if (!x->have_header) {
        ng_error(x->diags, x->fname, line, col, "%s", msg);
        return;
    }
    x->pre = text_put(x, msg);
    x->pre_line = line;
    x->pre_col = (int)col;
}

/* "blandet tegnsæt" at the first byte that is not UTF-8, in a file that has
 * UTF-8 characters too. */
static void mixed_encoding(ingest_ctx *x, long line, long col, unsigned char byte)
{
    char where[64];
    if (x->rec->had_bom)
        snprintf(where, sizeof where, "filen begynder med et UTF-8-BOM");
    else
        snprintf(where, sizeof where, "fx linje %ld", x->first_utf8_line);
    x->lines_in_text = true;
    encoding_error(x, line, col,
                   "blandet tegnsæt: byte 0x%02X er ikke UTF-8, men andre steder er filen UTF-8 "
                   "(%s); gem hele filen i ét tegnsæt",
                   byte, where);
}

/* tegnsaet = auto: the line s (its bytes b) against what the lines before
 * it decided (ingest.h). The first line with a byte >= 0x80 decides: a
 * UTF-8 character -> UTF-8, else Windows-1252; every later line must agree. */
static void judge_encoding(ingest_ctx *x, const char *s, const line_bytes *b, bool continuation)
{
    if (b->multi != NO_OFFSET && !x->first_utf8_line)
        x->first_utf8_line = x->line;
    if (x->enc == ENC_ASCII && b->multi == NO_OFFSET) {
        x->enc = ENC_CP1252;
        x->bad_line = x->line;
        x->bad_col = column_at(x, s, b->bad, continuation);
        x->bad_byte = (unsigned char)s[b->bad];
    } else if (x->enc == ENC_ASCII) {
        x->enc = ENC_UTF8;
    }
    if (x->enc == ENC_CP1252 && b->undefined != NO_OFFSET)
        encoding_error(x, x->line, column_at(x, s, b->undefined, continuation),
                       "byte 0x%02X er hverken UTF-8 eller Windows-1252; gem filen som UTF-8",
                       (unsigned char)s[b->undefined]);
    else if (x->enc == ENC_CP1252 && b->multi != NO_OFFSET)
        mixed_encoding(x, x->bad_line, x->bad_col, x->bad_byte);
    else if (x->enc == ENC_UTF8 && b->bad != NO_OFFSET)
        mixed_encoding(x, x->line, column_at(x, s, b->bad, continuation), (unsigned char)s[b->bad]);
}

/* A line of the current record, without its line end: what its bytes mean
 * for the record's fields (a NUL anywhere makes the row bad) and, under
 * tegnsaet = auto, for the file's encoding. */
/* The record's line s holds a NUL at off. */
static void take_nul(ingest_ctx *x, const char *s, size_t off, bool continuation)
{
    char ref[320];
    int col = column_at(x, s, off, continuation);
    x->rec_nul = true;
    row_error(&x->perr, col, "%s indeholder et NUL-tegn", field_ref(x, col, ref, sizeof ref));
}

static void take_line_bytes(ingest_ctx *x, const char *s, size_t len, bool continuation)
{
    line_bytes b;
    if (x->enc == ENC_CP1252 && !x->enc_auto) {
        /* tegnsaet = windows-1252: every byte is a character of it, so
         * only a NUL and whether the line is printable ASCII matter */
        const char *nul = memchr(s, '\0', len);
        b = (line_bytes){nul ? (size_t)(nul - s) : NO_OFFSET, NO_OFFSET, NO_OFFSET, NO_OFFSET,
                         !printable_or_tab(s, len)};
    } else {
        line_scan(s, len, &b);
    }
    x->rec_dirty |= b.dirty;
    x->rec_bad |= b.bad != NO_OFFSET;
    if (b.nul != NO_OFFSET)
        take_nul(x, s, b.nul, continuation);
    if (x->enc_auto && !x->enc_failed && (b.multi != NO_OFFSET || b.bad != NO_OFFSET))
        judge_encoding(x, s, &b, continuation);
}

/* UTF-8 as it is, each byte that is not UTF-8 read as Windows-1252 (a mixed
 * file, whose error was given: the text must still be valid UTF-8). */
static size_t utf8_or_cp1252(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            o += ng_cp1252_to_utf8(s + i, 1, out + o);
            i++;
        }
    }
    return o;
}

/* The name of a character no one sees: a format character (zero-width
 * space, joiner, BOM, direction marks, soft hyphen) or a space other than
 * U+0020 (textcheck.h, as every small file reads them); NULL for any other. */
static const char *unseen_char_name(uint32_t cp)
{
    ng_char_class c = ng_char_classify(cp);
    return c == NG_CHAR_INVISIBLE || c == NG_CHAR_SPACE ? ng_char_name(cp) : NULL;
}

/* A stored field (UTF-8) of a row with a byte >= 0x80 or a control
 * character: false, with the row problem recorded, when it holds a
 * character no one sees -- two keys that look alike would be two cases
 * (ingest.h). */
static bool field_visible(ingest_ctx *x, const char *s, size_t len, int col)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp = (unsigned char)s[i];
        if (cp >= 0x20 && cp < 0x7F) {
            i += printable_run(s + i, len - i);
            continue;
        }
        size_t n = cp < 0x80 ? 1 : utf8_decode(s + i, len - i, &cp);
        if (n == 0) /* not reached: the text is UTF-8 by now */
            n = 1;
        bool control = (cp < 0x20 && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
        const char *name = control ? NULL : unseen_char_name(cp);
        char ref[320];
        if (control) {
            row_error(&x->perr, col, "%s indeholder et styretegn (U+%04X%s)",
                      field_ref(x, col, ref, sizeof ref), (unsigned)cp,
                      cp == '\r'   ? ", vognretur"
                      : cp == '\n' ? ", linjeskift"
                                   : "");
            return false;
        }
        if (name) {
            row_error(&x->perr, col, "%s indeholder et usynligt tegn (U+%04X, %s)",
                      field_ref(x, col, ref, sizeof ref), (unsigned)cp, name);
            return false;
        }
        i += n;
    }
    return true;
}

/* Stores field text (raw bytes of the file's encoding) of column col as
 * trimmed UTF-8. Returns false when it cannot (out of memory; a field that
 * is too long, holds a NUL, is not UTF-8 under tegnsaet = utf-8 or holds a
 * character no one sees: the row problem is recorded). */
/* Where a field's bytes come from: libcsv's buffer, or a block's bytes
 * (which have BYTES_PAD bytes after them), with what the line's dirt says
 * of them when it knows. */
typedef enum { FROM_PARSER, FROM_BLOCK, FROM_BLOCK_PRINTABLE, FROM_BLOCK_DIRTY } field_source;

static bool store_text_from(ingest_ctx *x, const char *s, size_t len, int col, size_t *off,
                            field_source from)
{
    bool in_block = from != FROM_PARSER;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    char ref[320];
    if (len > MAX_FIELD) {
        row_error(&x->perr, col, "%s er over %d byte langt", field_ref(x, col, ref, sizeof ref),
                  MAX_FIELD);
        return false;
    }
    /* a field of printable ASCII (or TAB) -- any field of a line known to
     * be -- holds no NUL, nothing to convert and nothing no one sees */
    bool printable = !x->rec_dirty || from == FROM_BLOCK_PRINTABLE ||
                     (from != FROM_BLOCK_DIRTY && printable_or_tab(s, len));
    if (!printable && x->rec_nul && memchr(s, '\0', len)) {
        row_error(&x->perr, col, "%s indeholder et NUL-tegn", field_ref(x, col, ref, sizeof ref));
        return false;
    }
    if (!text_reserve(x, 3 * len + 1))
        return false;
    *off = x->blk->tlen;
    char *out = x->blk->text + x->blk->tlen;
    size_t n = len;
    bool ascii = printable || ascii_only(s, len);
    if (ascii || (x->enc != ENC_CP1252 && !x->rec_bad)) {
        /* from a block's bytes, which have BYTES_PAD bytes after them as its
         * text has: one 16-byte copy for a short field (the bytes after it
         * are overwritten or never read) */
        if (in_block && len <= BYTES_PAD)
            memcpy(out, s, BYTES_PAD);
        else
            copy_field(out, s, len);
    } else if (x->enc == ENC_CP1252) {
        n = ng_cp1252_to_utf8(s, len, out);
    } else if (x->enc_auto) {
        n = utf8_or_cp1252(s, len, out);
    } else if (!ng_utf8_valid(s, len)) {
        n = ng_cp1252_to_utf8(s, len, out);
        char shown[SHOWN_VALUE + 8];
        shown_value(ng_utf8_valid(out, n) ? out : "?", shown, sizeof shown);
        row_error(&x->perr, col,
                  "ugyldig UTF-8 (er filen Windows-1252? sæt tegnsaet = windows-1252): '%s'",
                  shown);
        return false;
    } else {
        memcpy(out, s, len);
    }
    out[n] = '\0';
    if (!printable && x->have_header && !field_visible(x, out, n, col))
        return false;
    x->blk->tlen += n + 1;
    return true;
}

static bool store_text(ingest_ctx *x, const char *s, size_t len, int col, size_t *off)
{
    return store_text_from(x, s, len, col, off, FROM_PARSER);
}

/* Field f of the current record is the text just stored at off: its
 * length is known from the block's text (store_text_from ends it with a
 * NUL), so that no check reads the fresh bytes again only to measure them
 * (a load that spans the stores that wrote them waits for them). */
static void keep_field(ingest_ctx *x, int f, size_t off)
{
    x->foff[f] = off;
    x->flen[f] = (uint32_t)(x->blk->tlen - 1 - off);
    x->fhas[f] = true;
}

static const char *field(const ingest_ctx *x, ng_field f)
{
    return x->fhas[f] ? x->blk->text + x->foff[f] : NULL;
}

/* ---- libcsv callbacks ------------------------------------------------------ */

static void on_header_field(ingest_ctx *x, const char *s, size_t len)
{
    int col = x->nfields; /* 1-based */
    if (col > x->hcap) {
        int cap = x->hcap ? x->hcap * 2 : 64;
        size_t *h = realloc(x->hoff, (size_t)cap * sizeof *h);
        if (!h) {
            x->fatal = NG_ERR_NOMEM;
            return;
        }
        x->hoff = h;
        x->hcap = cap;
    }
    if (col == 1 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
        s += 3; /* a BOM that libcsv kept (not at the file's start) */
        len -= 3;
    }
    size_t off;
    if (!store_text(x, s, len, col, &off)) {
        if (x->fatal)
            return;
        /* Keep an empty name so the column still exists. */
        if (!text_reserve(x, 1))
            return;
        off = x->blk->tlen;
        x->blk->text[x->blk->tlen++] = '\0';
    }
    x->hoff[col - 1] = off;
}

static void on_field(void *s, size_t len, void *data)
{
    ingest_ctx *x = data;
    if (x->fatal)
        return;
    x->nfields++;
    if (!x->have_header) {
        on_header_field(x, s, len);
        return;
    }
    int col = x->nfields;
    if (col > x->ncols)
        return; /* reported as "too many fields" when the row ends */
    int f = x->colmap[col - 1];
    if (f < 0 || f == NG_F_TILBUD || f == NG_F_PARAGRAF)
        return; /* an unmapped column is never stored; tilbud and paragraf are not kept */
    size_t off;
    if (store_text(x, s, len, col, &off)) {
        keep_field(x, f, off);
    }
}

static void on_row(int c, void *data)
{
    ingest_ctx *x = data;
    x->row_done = true;
}

/* ---- parser setup -------------------------------------------------------- */

static ng_status csv_setup(ingest_ctx *x)
{
    if (csv_init(&x->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return NG_ERR_NOMEM;
    csv_set_delim(&x->csv, (unsigned char)x->delim);
    csv_set_blk_size(&x->csv, 4096); /* libcsv grows its field buffer by this much */
    x->csv_ready = true;
    return NG_OK;
}

static ng_status csv_reset(ingest_ctx *x)
{
    csv_free(&x->csv);
    x->csv_ready = false;
    return csv_setup(x);
}

/* ---- the header ------------------------------------------------------------ */

static void list_header(const ingest_ctx *x, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < x->ncols && n + 8 < size; i++) {
        int w = snprintf(out + n, size - n, "%s'%s'", i ? ", " : "", x->header_names[i]);
        if (w < 0 || (size_t)w >= size - n) {
            snprintf(out + (size > 8 ? size - 8 : 0), 8, ", ...");
            return;
        }
        n += (size_t)w;
    }
}

/* Keeps the header's names (for messages) and its raw bytes (for the
 * rejects file). */
static ng_status keep_header(ingest_ctx *x)
{
    int ncols = x->nfields;
    x->ncols = ncols;
    x->colmap = malloc((size_t)ncols * sizeof *x->colmap);
    x->header_names = calloc((size_t)ncols, sizeof *x->header_names);
    if (!x->colmap || !x->header_names)
        return NG_ERR_NOMEM;
    for (int i = 0; i < ncols; i++) {
        x->header_names[i] = strdup(x->blk->text + x->hoff[i]);
        if (!x->header_names[i])
            return NG_ERR_NOMEM;
        x->colmap[i] = -1;
    }
    size_t raw_len = x->line_end - x->rec_start;
    x->header_raw = malloc(raw_len + 1);
    if (!x->header_raw)
        return NG_ERR_NOMEM;
    memcpy(x->header_raw, x->blk->buf + x->rec_start, raw_len);
    x->header_raw_len = raw_len;
    return NG_OK;
}

/* The column of header name i (1-based) for field f, unless it is taken. */
static ng_status map_column(ingest_ctx *x, int f, int i)
{
    if (x->fieldcol[f]) {
        ng_error(x->diags, x->fname, x->rec_line, i + 1,
                 "kolonnen '%s' findes to gange i overskriften (felt %d og %d)", x->header_names[i],
                 x->fieldcol[f], i + 1);
        return NG_ERR_INPUT;
    }
    if (x->colmap[i] >= 0) {
        ng_error(x->diags, x->fname, x->rec_line, i + 1,
                 "kolonnen '%s' er sat op som både %s og %s i [kolonner]", x->header_names[i],
                 ng_field_name((ng_field)x->colmap[i]), ng_field_name(f));
        return NG_ERR_INPUT;
    }
    x->fieldcol[f] = i + 1;
    x->colmap[i] = f;
    return NG_OK;
}

/* Maps the header names to logical fields (compared trimmed and folded). */
static ng_status map_columns(ingest_ctx *x)
{
    ng_status st = NG_OK;
    for (int f = 0; f < NG_F_COUNT; f++) {
        char *want = folded_copy(column_name(x, (ng_field)f));
        if (!want)
            return NG_ERR_NOMEM;
        for (int i = 0; i < x->ncols; i++) {
            char *have = folded_copy(x->header_names[i]);
            if (!have) {
                free(want);
                return NG_ERR_NOMEM;
            }
            bool same = !strcmp(want, have);
            free(have);
            if (same && map_column(x, f, i) != NG_OK)
                st = NG_ERR_INPUT;
        }
        free(want);
    }
    return st;
}

static const char *delimiter_word(char c)
{
    return c == ';' ? "semikolon" : c == ',' ? "komma" : c == '\t' ? "tab" : NULL;
}

/* A header of one field that holds another delimiter: the file is not
 * written with the configured one. */
static bool wrong_delimiter(ingest_ctx *x)
{
    static const char others[] = {';', ',', '\t'};
    if (x->ncols != 1)
        return false;
    for (size_t k = 0; k < sizeof others; k++) {
        if (others[k] == x->delim || !strchr(x->header_names[0], others[k]))
            continue;
        const char *word = delimiter_word(others[k]);
        const char *mine = delimiter_word(x->delim);
        ng_error(x->diags, x->fname, x->rec_line, 1,
                 "overskriften er ét felt med '%s' i; filen bruger vist et andet skilletegn end "
                 "%s (skilletegn = %s)",
                 word, mine ? mine : "det valgte", word);
        return true;
    }
    return false;
}

/* " (kolonne 3's navn indeholder et usynligt tegn (U+200B, ...))" for the
 * first header name with a character no one sees, else "". */
static void header_unseen_hint(const ingest_ctx *x, char *out, size_t size)
{
    out[0] = '\0';
    for (int i = 0; i < x->ncols; i++) {
        const char *s = x->header_names[i];
        for (size_t k = 0, len = strlen(s); k < len;) {
            uint32_t cp = (unsigned char)s[k];
            size_t n = cp < 0x80 ? 1 : utf8_decode(s + k, len - k, &cp);
            const char *name = n ? unseen_char_name(cp) : NULL;
            if (name) {
                snprintf(out, size,
                         "; navnet i kolonne %d indeholder et usynligt tegn (U+%04X, %s)", i + 1,
                         (unsigned)cp, name);
                return;
            }
            k += n ? n : 1;
        }
    }
}

/* A missing required column is an error of the whole file. */
static ng_status check_required(ingest_ctx *x)
{
    char missing[512] = "";
    size_t n = 0;
    static const ng_field required[] = {NG_F_SAG_ID, NG_F_BELOEB, NG_F_OMRAADE, NG_F_FOEDSELSAAR};
    for (size_t k = 0; k < sizeof required / sizeof *required; k++) {
        ng_field f = required[k];
        if (!x->fieldcol[f])
            n += (size_t)snprintf(missing + n, sizeof missing - n, "%s'%s'", n ? ", " : "",
                                  column_name(x, f));
        if (n >= sizeof missing)
            n = sizeof missing - 1;
    }
    if (!x->fieldcol[NG_F_AAR] && !x->fieldcol[NG_F_DATO] && n < sizeof missing)
        snprintf(missing + n, sizeof missing - n, "%s'%s' eller '%s'", n ? ", " : "",
                 column_name(x, NG_F_AAR), column_name(x, NG_F_DATO));
    if (!missing[0])
        return NG_OK;
    if (wrong_delimiter(x))
        return NG_ERR_INPUT;
    char found[1024], hint[160];
    list_header(x, found, sizeof found);
    header_unseen_hint(x, hint, sizeof hint);
    ng_error(x->diags, x->fname, x->rec_line, 0,
             "mangler kolonne %s (se [kolonner] i konfigurationen); overskriften har: %s%s",
             missing, found, hint);
    return NG_ERR_INPUT;
}

/* The header: its names mapped to logical fields, the required ones there. */
static ng_status take_header(ingest_ctx *x)
{
    ng_status st = keep_header(x);
    if (st != NG_OK)
        return st;
    st = map_columns(x);
    if (st == NG_ERR_NOMEM)
        return st;
    ng_status req = check_required(x);
    x->have_header = true;
    return st != NG_OK ? st : req;
}

/* ---- values ---------------------------------------------------------------- */

static bool blank(const char *v)
{
    return !v || !*v;
}

/* Whole number of 1..maxdigits digits, nothing else. */
static bool parse_digits(const char *v, int maxdigits, int *out)
{
    int n = 0, d = 0;
    for (; *v; v++, d++) {
        if (*v < '0' || *v > '9' || d >= maxdigits)
            return false;
        n = n * 10 + (*v - '0');
    }
    if (d == 0)
        return false;
    *out = n;
    return true;
}

static bool parse_year(const char *v, int *out)
{
    int y;
    if (!parse_digits(v, 4, &y) || y < 1900 || y > 2100)
        return false;
    *out = y;
    return true;
}

/* ja/nej and their usual spellings; blank is NG_UNKNOWN. */
static bool parse_yes_no(const char *v, ng_tristate *out)
{
    static const char *const yes[] = {"ja", "j", "1", "true", "sand", "x"};
    static const char *const no[] = {"nej", "n", "0", "false", "falsk"};
    if (blank(v)) {
        *out = NG_UNKNOWN;
        return true;
    }
    if (!strcmp(v, "nej") || !strcmp(v, "ja")) { /* the usual spelling, fast */
        *out = v[0] == 'j' ? NG_YES : NG_NO;
        return true;
    }
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (ascii_ieq(v, yes[i])) {
            *out = NG_YES;
            return true;
        }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (ascii_ieq(v, no[i])) {
            *out = NG_NO;
            return true;
        }
    return false;
}

/* The area the value v (len bytes) names, in *out; false when none. */
static bool lookup_omraade(ingest_ctx *x, const char *v, size_t len, ng_omraade *out)
{
    int memo;
    if (memo_find(&x->omr_memo, v, len, &memo)) {
        *out = (ng_omraade)memo;
        return true;
    }
    char *folded = folded_copy(v);
    if (!folded) {
        x->fatal = NG_ERR_NOMEM;
        return false;
    }
    bool found = false;
    for (int o = 0; o < NG_OMR_COUNT && !found; o++)
        for (int k = 0; k < MAX_OMR_NAMES && x->omr_name[o][k] && !found; k++)
            if (!strcmp(folded, x->omr_name[o][k])) {
                *out = (ng_omraade)o;
                found = true;
            }
    free(folded);
    if (found)
        memo_put(&x->omr_memo, v, len, (int)*out);
    return found;
}

/* The type a leverandørtype value means ([leverandoertyper], compared
 * trimmed and case-folded), or NULL (also on out of memory, x->fatal set). */
static const char *lookup_leverandoertype(ingest_ctx *x, const char *v, size_t len)
{
    int memo;
    if (memo_find(&x->lev_memo, v, len, &memo))
        return leverandoer_types[memo];
    char *folded = folded_copy(v);
    if (!folded) {
        x->fatal = NG_ERR_NOMEM;
        return NULL;
    }
    int type = -1;
    for (int t = 0; t < 3 && type < 0; t++)
        for (int k = 0; k < MAX_OMR_NAMES && x->lev_name[t][k] && type < 0; k++)
            if (!strcmp(folded, x->lev_name[t][k]))
                type = t;
    free(folded);
    if (type < 0)
        return NULL;
    memo_put(&x->lev_memo, v, len, type);
    return leverandoer_types[type];
}

/* "a, b, c": the folded names of a name table, for a message. */
static void known_names(char *const (*names)[MAX_OMR_NAMES], int n, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int o = 0; o < n; o++)
        for (int k = 0; k < MAX_OMR_NAMES && names[o][k]; k++) {
            int w = snprintf(out + used, size - used, "%s%s", used ? ", " : "", names[o][k]);
            if (w < 0 || (size_t)w >= size - used)
                return;
            used += (size_t)w;
        }
}

/* A number too long to parse: a sign, digits and separators only, with
 * more digits than an amount of 100 mia. kr. in øre has. */
static bool too_many_digits(const char *v)
{
    int digits = 0;
    for (const char *p = v; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr("+-.,", *p))
            return false;
    }
    return digits > 14;
}

static void check_amount(ingest_ctx *x, cost_line *l)
{
    const char *v = field(x, NG_F_BELOEB);
    if (!v)
        return; /* the field is missing from this row (too few fields) */
    if (!*v) {
        value_error(x, NG_F_BELOEB, "beløbet mangler", v);
        return;
    }
    int64_t oere;
    /* the column's notation is learnt from its values (dk.h, ng_notation) */
    if (ng_amount_in_column(&x->rec->beloeb_notation, v, x->opt->file->decimal, x->opt->file->scale,
                            x->rec_line, &oere, NULL) != NG_OK) {
        value_error(x, NG_F_BELOEB,
                    too_many_digits(v) ? "beløbet er over 100 mia. kr." : "beløbet er ikke et tal",
                    v);
        return;
    }
    if (oere > MAX_AMOUNT_OERE || oere < -MAX_AMOUNT_OERE) {
        value_error(x, NG_F_BELOEB, "beløbet er over 100 mia. kr.", v);
        return;
    }
    l->oere = oere;
    l->amount_ok = true;
}

/* "året er ikke et år mellem 1900 og 2100", with a hint when a letter
 * stands where a digit would (2O25: O for 0). */
static void year_error(ingest_ctx *x, ng_field f, const char *what, const char *v)
{
    bool letter = false, other = false;
    for (const char *p = v; *p; p++) {
        if (strchr("OoIl", *p))
            letter = true;
        else if (*p < '0' || *p > '9')
            other = true;
    }
    char reason[128];
    snprintf(reason, sizeof reason, "%s er ikke et år mellem 1900 og 2100%s", what,
             letter && !other && strlen(v) == 4 ? " (står der et bogstav, fx O for 0?)" : "");
    value_error(x, f, reason, v);
}

/* aar, maaned, dato: the year and month the amount belongs to. */
static void check_period(ingest_ctx *x, cost_line *l)
{
    const char *aar = field(x, NG_F_AAR);
    const char *maaned = field(x, NG_F_MAANED);
    const char *dato = field(x, NG_F_DATO);
    bool aar_ok = false, maaned_ok = false;
    if (!blank(aar)) {
        if (parse_year(aar, &l->aar))
            aar_ok = true;
        else
            year_error(x, NG_F_AAR, "året", aar);
    }
    if (!blank(maaned)) {
        if (parse_digits(maaned, 2, &l->maaned) && l->maaned >= 1 && l->maaned <= 12)
            maaned_ok = true;
        else
            value_error(x, NG_F_MAANED, "måneden er ikke et tal fra 1 til 12", maaned);
    }
    if (!blank(dato)) {
        ng_date d;
        if (ng_parse_date(dato, &d, NULL) != NG_OK || d.y < 1900 || d.y > 2100) {
            value_error(x, NG_F_DATO, "datoen er ikke en dato", dato);
            return;
        }
        char reason[64];
        if (aar_ok && d.y != l->aar) {
            snprintf(reason, sizeof reason, "datoen ligger ikke i året %d", l->aar);
            value_error(x, NG_F_DATO, reason, dato);
            return;
        }
        if (maaned_ok && d.m != l->maaned) {
            snprintf(reason, sizeof reason, "datoen ligger ikke i måned %d", l->maaned);
            value_error(x, NG_F_DATO, reason, dato);
            return;
        }
        l->aar = d.y;
        l->maaned = d.m;
        return;
    }
    if (aar_ok)
        return;
    if (!blank(aar))
        return; /* already reported */
    if (x->fieldcol[NG_F_AAR] && aar)
        row_error(&x->perr, x->fieldcol[NG_F_AAR], "året mangler: ''");
    else if (x->fieldcol[NG_F_DATO] && dato)
        row_error(&x->perr, x->fieldcol[NG_F_DATO],
                  "datoen mangler, og der er ingen kolonne med året: ''");
}

/* A kept value that is no code from a list -- sag_id, husstand, målgruppe,
 * kommune -- must not look like a CPR number (privacy.h's strict test): the
 * row is bad and the run stops (ingest.h). The message never shows it. */
static void check_not_cpr(ingest_ctx *x, cost_line *l, ng_field f, int k)
{
    /* a CPR number has 10 digits at least */
    if (!x->fhas[f] || x->flen[f] < 10)
        return;
    const char *v = field(x, f);
    size_t pos, n, len = x->flen[f];
    /* a column repeats a few long values (målgrupper): the last CPR_MEMO
     * found clean are known */
    for (int i = 0; len < CPR_MEMO_LEN && i < CPR_MEMO; i++)
        if (x->cpr_clean_len[k][i] == len && !memcmp(x->cpr_clean[k][i], v, len))
            return;
    if (!ng_find_cpr(v, len, true, &pos, &n)) {
        if (len < CPR_MEMO_LEN) {
            unsigned i = x->cpr_next[k]++ % CPR_MEMO;
            memcpy(x->cpr_clean[k][i], v, len + 1);
            x->cpr_clean_len[k][i] = (uint8_t)len;
        }
        return;
    }
    char ref[320];
    l->cpr = true;
    row_error(&x->perr, x->fieldcol[f],
              "%s ligner et CPR-nummer (værdien vises ikke); et CPR-nummer må ikke stå i en "
              "kolonne, som notatgen bruger, så kørslen stopper",
              field_ref(x, x->fieldcol[f], ref, sizeof ref));
}

/* No cost before its person was born: a birth year after the amount's year
 * is a mistake in one of them. */
static void check_born(ingest_ctx *x, const cost_line *l)
{
    if (!l->aar || !l->foedselsaar || l->foedselsaar <= l->aar)
        return;
    char reason[96];
    snprintf(reason, sizeof reason, "fødselsåret ligger efter året %d, som beløbet hører til",
             l->aar);
    value_error(x, NG_F_FOEDSELSAAR, reason, field(x, NG_F_FOEDSELSAAR));
}

/* The kept values that are no code from a list (check_not_cpr). */
static void check_no_cpr(ingest_ctx *x, cost_line *l)
{
    static const ng_field keys[] = {NG_F_SAG_ID, NG_F_HUSSTAND, NG_F_MAALGRUPPE, NG_F_KOMMUNE};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        check_not_cpr(x, l, keys[i], (int)i);
}

static void check_person(ingest_ctx *x, cost_line *l)
{
    const char *v = field(x, NG_F_SAG_ID);
    if (v) {
        if (*v)
            l->sag_id = v;
        else
            value_error(x, NG_F_SAG_ID, "sagens nøgle (sag_id) mangler", v);
    }
    v = field(x, NG_F_OMRAADE);
    if (v && !lookup_omraade(x, v, x->flen[NG_F_OMRAADE], &l->omraade) && !x->fatal) {
        char known[256], reason[320];
        known_names(x->omr_name, NG_OMR_COUNT, known, sizeof known);
        snprintf(reason, sizeof reason, "ukendt område (kendte: %s)", known);
        value_error(x, NG_F_OMRAADE, reason, v);
    }
    v = field(x, NG_F_FOEDSELSAAR);
    bool aar_ok = false;
    if (v) {
        if (!*v)
            value_error(x, NG_F_FOEDSELSAAR, "fødselsåret mangler", v);
        else if (!parse_year(v, &l->foedselsaar))
            year_error(x, NG_F_FOEDSELSAAR, "fødselsåret", v);
        else
            aar_ok = true;
    }
    v = field(x, NG_F_FOEDSELSDATO);
    if (!blank(v)) {
        ng_date d;
        if (ng_parse_date(v, &d, NULL) != NG_OK) {
            value_error(x, NG_F_FOEDSELSDATO, "fødselsdatoen er ikke en dato", v);
        } else if (aar_ok && d.y != l->foedselsaar) {
            char reason[64];
            snprintf(reason, sizeof reason, "fødselsdatoen ligger ikke i fødselsåret %d",
                     l->foedselsaar);
            value_error(x, NG_F_FOEDSELSDATO, reason, v);
        } else {
            l->foedselsmaaned = d.m;
        }
    }
    v = field(x, NG_F_FOER67);
    if (v && !parse_yes_no(v, &l->foer67))
        value_error(x, NG_F_FOER67, "foer67 er hverken ja eller nej", v);
}

/* The row's kept strings (NULL when blank). */
static void take_strings(const ingest_ctx *x, cost_line *l)
{
    const char *v = field(x, NG_F_HUSSTAND);
    l->husstand = blank(v) ? NULL : v;
    v = field(x, NG_F_MAALGRUPPE);
    l->maalgruppe = blank(v) ? NULL : v;
    v = field(x, NG_F_KOMMUNE);
    l->kommune = blank(v) ? NULL : v;
}

static void check_details(ingest_ctx *x, cost_line *l)
{
    const char *v = field(x, NG_F_ENGANGSUDGIFT);
    ng_tristate engang = NG_UNKNOWN;
    if (v && !parse_yes_no(v, &engang))
        value_error(x, NG_F_ENGANGSUDGIFT, "engangsudgift er hverken ja eller nej", v);
    l->engang = engang == NG_YES;

    v = field(x, NG_F_LEVERANDOERTYPE);
    if (!blank(v)) {
        l->leverandoertype = lookup_leverandoertype(x, v, x->flen[NG_F_LEVERANDOERTYPE]);
        if (!l->leverandoertype && !x->fatal) {
            char known[256], reason[320];
            known_names(x->lev_name, 3, known, sizeof known);
            snprintf(reason, sizeof reason,
                     "ukendt leverandørtype (kendte: %s; se [leverandoertyper])", known);
            value_error(x, NG_F_LEVERANDOERTYPE, reason, v);
        }
    }
    take_strings(x, l);
}

/* ---- cases ----------------------------------------------------------------- */

static ng_status side_key(char *buf, size_t size, char kind, int attr, const char *sag_id)
{
    int n = snprintf(buf, size, "%c%d\x1f%s", kind, attr, sag_id);
    return n < 0 || (size_t)n >= size ? NG_ERR_INPUT : NG_OK;
}

/* Remembers the line where a case's attribute got its value, when that was
 * not the case's first line (then first_line says it). Rare. */
static ng_status note_attr_line(ingest_ctx *x, const char *sag_id, long first_line, attr_id a)
{
    if (x->cur_line == first_line)
        return NG_OK;
    char key[512];
    if (side_key(key, sizeof key, 'L', a, sag_id) != NG_OK)
        return NG_OK; /* an absurdly long id: the message falls back to first_line */
    return side_put(&x->side, key, x->cur_line);
}

static ng_status report_conflict(ingest_ctx *x, const char *sag_id, long first_line, attr_id a,
                                 const char *had, const char *got)
{
    char key[512];
    if (side_key(key, sizeof key, 'R', a, sag_id) != NG_OK)
        return NG_OK;
    if (side_find(&x->side, key))
        return NG_OK; /* reported once per case and attribute */
    ng_status st = side_put(&x->side, key, 1);
    if (st != NG_OK)
        return st;
    long first = first_line;
    char lkey[512];
    if (side_key(lkey, sizeof lkey, 'L', a, sag_id) == NG_OK) {
        side_slot *hit = side_find(&x->side, lkey);
        if (hit)
            first = hit->value;
    }
    char shown_had[SHOWN_VALUE + 8], shown_got[SHOWN_VALUE + 8], shown_id[SHOWN_VALUE + 8];
    shown_value(had, shown_had, sizeof shown_had);
    shown_value(got, shown_got, sizeof shown_got);
    shown_value(sag_id, shown_id, sizeof shown_id);
    ng_warning(x->diags, x->fname, x->cur_line, 0,
               "sag '%s' har %s: %s (linje %ld) og %s; den første værdi bruges", shown_id,
               attr_plural[a], shown_had, first, shown_got);
    if (side_key(key, sizeof key, 'C', 0, sag_id) == NG_OK && !side_find(&x->side, key)) {
        st = side_put(&x->side, key, 1);
        x->rec->attribute_conflicts++;
    }
    return st;
}

static ng_status merge_string(ingest_ctx *x, ng_sag *s, attr_id a, const char **have,
                              const char *got)
{
    if (!got)
        return NG_OK;
    if (!*have) {
        ng_status st = ng_cases_set_string(x->cases, have, got);
        if (st == NG_OK)
            st = note_attr_line(x, s->sag_id, s->first_line, a);
        return st;
    }
    if (!strcmp(*have, got))
        return NG_OK;
    return report_conflict(x, s->sag_id, s->first_line, a, *have, got);
}

static const char *tristate_text(ng_tristate t)
{
    return t == NG_YES ? "ja" : t == NG_NO ? "nej" : "";
}

/* Inline: the strings compared are a few bytes, and mostly equal. */
static bool same_string(const char *a, const char *b)
{
    if (a == b)
        return true;
    if (!a || !b)
        return false;
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static bool strings_agree(const ng_sag *s, const cost_line *l)
{
    return same_string(s->husstand, l->husstand) && same_string(s->maalgruppe, l->maalgruppe) &&
           same_string(s->leverandoertype, l->leverandoertype) &&
           same_string(s->kommune, l->kommune);
}

static ng_status merge_attributes(ingest_ctx *x, ng_sag *s, const cost_line *l)
{
    ng_status st = NG_OK;
    char a[16], b[16];
    if (s->omraade != l->omraade)
        st = report_conflict(x, s->sag_id, s->first_line, ATTR_OMRAADE,
                             ng_omraade_key((ng_omraade)s->omraade), ng_omraade_key(l->omraade));
    if (st == NG_OK && s->foedselsaar != l->foedselsaar) {
        snprintf(a, sizeof a, "%d", s->foedselsaar);
        snprintf(b, sizeof b, "%d", l->foedselsaar);
        st = report_conflict(x, s->sag_id, s->first_line, ATTR_FOEDSELSAAR, a, b);
    }
    if (st == NG_OK && !s->foedselsmaaned && l->foedselsmaaned)
        s->foedselsmaaned = (uint8_t)l->foedselsmaaned;
    if (st == NG_OK && l->foer67 != NG_UNKNOWN) {
        if (s->foer67 == NG_UNKNOWN) {
            s->foer67 = (uint8_t)l->foer67;
            st = note_attr_line(x, s->sag_id, s->first_line, ATTR_FOER67);
        } else if (s->foer67 != l->foer67) {
            st = report_conflict(x, s->sag_id, s->first_line, ATTR_FOER67,
                                 tristate_text((ng_tristate)s->foer67), tristate_text(l->foer67));
        }
    }
    if (st != NG_OK)
        return st;
    /* the case's strings are interned: a row that repeats them (the usual
     * case) costs four comparisons on data in the cache */
    if (strings_agree(s, l))
        return NG_OK;
    st = merge_string(x, s, ATTR_HUSSTAND, &s->husstand, l->husstand);
    if (st == NG_OK)
        st = merge_string(x, s, ATTR_MAALGRUPPE, &s->maalgruppe, l->maalgruppe);
    if (st == NG_OK)
        st = merge_string(x, s, ATTR_LEVERANDOERTYPE, &s->leverandoertype, l->leverandoertype);
    if (st == NG_OK)
        st = merge_string(x, s, ATTR_KOMMUNE, &s->kommune, l->kommune);
    return st;
}

static ng_sag *case_for(ingest_ctx *x, const char *sag_id, uint64_t hash, bool *is_new)
{
    *is_new = false;
    x->same_case_as_before = x->last_sag && x->last_hash == hash && !strcmp(x->last_id, sag_id);
    if (x->same_case_as_before)
        return x->last_sag;
    ng_sag *s = ng_cases_get_or_add_hashed(x->cases, sag_id, hash);
    if (!s)
        return NULL;
    size_t len = strlen(sag_id) + 1;
    if (len > x->last_id_cap) {
        char *id = realloc(x->last_id, len * 2);
        if (!id)
            return NULL;
        x->last_id = id;
        x->last_id_cap = len * 2;
    }
    memcpy(x->last_id, sag_id, len);
    x->last_sag = s;
    x->last_hash = hash;
    if (s->first_line == 0) {
        s->first_line = x->cur_line;
        *is_new = true;
    }
    return s;
}

/* Adds the line's money to its case's months (m12: twelfths, see ingest.h).
 * Returns NG_ERR_INPUT, after recording the row problem, on overflow. */
static ng_status add_money(ingest_ctx *x, ng_sag *s, const cost_line *l)
{
    ng_sag_year *y = ng_sag_year_get_or_add(s, l->aar);
    if (!y)
        return NG_ERR_NOMEM;
    bool spread = l->maaned == 0 || l->engang;
    int first = spread ? 0 : l->maaned - 1, last = spread ? 11 : l->maaned - 1;
    int64_t add = spread ? l->oere : 12 * l->oere; /* |oere| <= 1e13: no overflow */
    int64_t next[12];
    for (int m = first; m <= last; m++) {
        if (__builtin_add_overflow(y->m12[m], add, &next[m])) {
            row_error(&x->cerr, x->fieldcol[NG_F_BELOEB], "sagens sum for året bliver for stor");
            return NG_ERR_INPUT;
        }
    }
    for (int m = first; m <= last; m++)
        y->m12[m] = next[m];
    return NG_OK;
}

static ng_status use_line_validate(ingest_ctx *x, const cost_line *l);

/* Whether the row's case would be one too many (the store holds max_cases
 * and not this one): the row problem is recorded and the reading stops. Only
 * looked up at the limit. */
static bool too_many_cases(ingest_ctx *x, size_t count, bool known)
{
    if (count < x->max_cases || known)
        return false;
    char n[32];
    ng_fmt_int(n, sizeof n, (double)x->max_cases);
    row_error(&x->cerr, x->fieldcol[NG_F_SAG_ID],
              "udtrækket har flere end %s sager (grænsen for ét udtræk); resten af filen er ikke "
              "læst",
              n);
    x->too_many = true;
    return true;
}

static ng_status use_line(ingest_ctx *x, const cost_line *l)
{
    if (x->validate)
        return use_line_validate(x, l);
    size_t count = ng_cases_count(x->cases);
    if (count >= x->max_cases &&
        too_many_cases(x, count, ng_cases_find(x->cases, l->sag_id) != NULL))
        return NG_ERR_INPUT;
    bool is_new;
    ng_sag *s = case_for(x, l->sag_id, l->hash, &is_new);
    if (!s)
        return NG_ERR_NOMEM;
    ng_status st = add_money(x, s, l);
    if (st != NG_OK)
        return st;
    if (is_new) {
        s->omraade = (uint8_t)l->omraade;
        s->foedselsaar = (int16_t)l->foedselsaar;
        s->foedselsmaaned = (uint8_t)l->foedselsmaaned;
        s->foer67 = (uint8_t)l->foer67;
        if (l->husstand)
            st = ng_cases_set_string(x->cases, &s->husstand, l->husstand);
        if (st == NG_OK && l->maalgruppe)
            st = ng_cases_set_string(x->cases, &s->maalgruppe, l->maalgruppe);
        if (st == NG_OK && l->leverandoertype)
            st = ng_cases_set_string(x->cases, &s->leverandoertype, l->leverandoertype);
        if (st == NG_OK && l->kommune)
            st = ng_cases_set_string(x->cases, &s->kommune, l->kommune);
        return st;
    }
    return merge_attributes(x, s, l);
}

/* ---- cases, validation only ------------------------------------------------ */

/* The interned id of string attribute k's value (1 + index; 0 for none).
 * Most rows repeat the previous row's value: compare that first. */
static bool intern_value(ingest_ctx *x, int k, const char *v, uint32_t *id)
{
    if (!v) {
        *id = 0;
        return true;
    }
    uint32_t last = x->last_value[k];
    if (last && !strcmp(str_set_at(&x->values, last - 1), v)) {
        *id = last;
        return true;
    }
    size_t i;
    bool added;
    if (!str_set_add(&x->values, v, &i, &added))
        return false;
    *id = x->last_value[k] = (uint32_t)(i + 1);
    return true;
}

static const char *interned(const ingest_ctx *x, uint32_t id)
{
    return str_set_at(&x->values, id - 1);
}

static uint8_t leverandoer_index(const char *v)
{
    for (uint8_t i = 0; i < 3; i++)
        if (v == leverandoer_types[i])
            return (uint8_t)(i + 1);
    return 0;
}

/* The index of the row's case in x->vcases, adding it (zeroed) when new. */
static bool vcase_for(ingest_ctx *x, const char *sag_id, uint64_t hash, size_t *index, bool *is_new)
{
    *is_new = false;
    if (x->have_last_v && !strcmp(str_set_at(&x->ids, x->last_v), sag_id)) {
        *index = x->last_v;
        return true;
    }
    if (!str_set_add_hashed(&x->ids, sag_id, hash, index, is_new))
        return false;
    if (*is_new) {
        if (*index >= x->vcases_cap) {
            size_t cap = x->vcases_cap ? x->vcases_cap * 2 : 1024;
            vcase *v = realloc(x->vcases, cap * sizeof *v);
            if (!v)
                return false;
            x->vcases = v;
            x->vcases_cap = cap;
        }
        memset(&x->vcases[*index], 0, sizeof *x->vcases);
    }
    x->last_v = *index;
    x->have_last_v = true;
    return true;
}

/* merge_string on interned values: the same rules and messages. */
static ng_status merge_value(ingest_ctx *x, size_t index, attr_id a, uint32_t *have, uint32_t got,
                             const char *had_text, const char *got_text)
{
    const vcase *c = &x->vcases[index];
    const char *sag_id = str_set_at(&x->ids, index);
    if (!got)
        return NG_OK;
    if (!*have) {
        *have = got;
        return note_attr_line(x, sag_id, c->first_line, a);
    }
    if (*have == got)
        return NG_OK;
    return report_conflict(x, sag_id, c->first_line, a, had_text, got_text);
}

/* merge_attributes without the money's case: the same checks in the same
 * order, so the same warnings. */
static ng_status merge_validate(ingest_ctx *x, size_t index, const cost_line *l, uint32_t hus,
                                uint32_t maal, uint8_t lev, uint32_t kom)
{
    vcase *c = &x->vcases[index];
    const char *sag_id = str_set_at(&x->ids, index);
    ng_status st = NG_OK;
    char a[16], b[16];
    if (c->omraade != l->omraade)
        st = report_conflict(x, sag_id, c->first_line, ATTR_OMRAADE,
                             ng_omraade_key((ng_omraade)c->omraade), ng_omraade_key(l->omraade));
    if (st == NG_OK && c->foedselsaar != l->foedselsaar) {
        snprintf(a, sizeof a, "%d", c->foedselsaar);
        snprintf(b, sizeof b, "%d", l->foedselsaar);
        st = report_conflict(x, sag_id, c->first_line, ATTR_FOEDSELSAAR, a, b);
    }
    if (st == NG_OK && l->foer67 != NG_UNKNOWN) {
        if (c->foer67 == NG_UNKNOWN) {
            c->foer67 = (uint8_t)l->foer67;
            st = note_attr_line(x, sag_id, c->first_line, ATTR_FOER67);
        } else if (c->foer67 != l->foer67) {
            st = report_conflict(x, sag_id, c->first_line, ATTR_FOER67,
                                 tristate_text((ng_tristate)c->foer67), tristate_text(l->foer67));
        }
    }
    if (st == NG_OK)
        st = merge_value(x, index, ATTR_HUSSTAND, &c->husstand, hus,
                         c->husstand ? interned(x, c->husstand) : NULL, l->husstand);
    if (st == NG_OK)
        st = merge_value(x, index, ATTR_MAALGRUPPE, &c->maalgruppe, maal,
                         c->maalgruppe ? interned(x, c->maalgruppe) : NULL, l->maalgruppe);
    if (st == NG_OK) {
        uint32_t have = c->leverandoertype;
        st = merge_value(x, index, ATTR_LEVERANDOERTYPE, &have, lev,
                         have ? leverandoer_types[have - 1] : NULL, l->leverandoertype);
        c->leverandoertype = (uint8_t)have;
    }
    if (st == NG_OK)
        st = merge_value(x, index, ATTR_KOMMUNE, &c->kommune, kom,
                         c->kommune ? interned(x, c->kommune) : NULL, l->kommune);
    return st;
}

/* use_line for `check`. A row a full reading would reject because a month
 * of its case overflows cannot be told from the bound alone; then the
 * reading stops (too_heavy) and the file is read again in full. No real
 * extract comes near: it takes some 77.000 lines of 100 mia. kr. in one
 * case. */
static ng_status use_line_validate(ingest_ctx *x, const cost_line *l)
{
    size_t index;
    bool is_new;
    if (x->ids.count >= x->max_cases &&
        too_many_cases(x, x->ids.count, str_set_find_hashed(&x->ids, l->sag_id, l->hash) >= 0))
        return NG_ERR_INPUT;
    if (!vcase_for(x, l->sag_id, l->hash, &index, &is_new))
        return NG_ERR_NOMEM;
    vcase *c = &x->vcases[index];
    uint64_t abs = l->oere < 0 ? (uint64_t)0 - (uint64_t)l->oere : (uint64_t)l->oere;
    uint64_t add = l->maaned == 0 || l->engang ? abs : 12 * abs; /* <= 1.2e14 */
    if (c->bound > (uint64_t)INT64_MAX - add) {
        x->too_heavy = true;
        return NG_ERR_INTERNAL;
    }
    c->bound += add;
    uint32_t hus, maal, kom;
    if (!intern_value(x, 0, l->husstand, &hus) || !intern_value(x, 1, l->maalgruppe, &maal) ||
        !intern_value(x, 2, l->kommune, &kom))
        return NG_ERR_NOMEM;
    c = &x->vcases[index]; /* interning never moves vcases, but be plain about it */
    uint8_t lev = leverandoer_index(l->leverandoertype);
    if (is_new) {
        c->first_line = x->cur_line;
        c->omraade = (uint8_t)l->omraade;
        c->foedselsaar = (int16_t)l->foedselsaar;
        c->foer67 = (uint8_t)l->foer67;
        c->husstand = hus;
        c->maalgruppe = maal;
        c->leverandoertype = lev;
        c->kommune = kom;
        return NG_OK;
    }
    return merge_validate(x, index, l, hus, maal, lev, kom);
}

/* ---- rejects --------------------------------------------------------------- */

/* raw[0, len) into the rejects file with every CPR-like value (the strict
 * test of privacy.h) masked as XXXXXX-XXXX. */
static void write_masked(FILE *f, const char *raw, size_t len)
{
    size_t pos, n;
    while (ng_find_cpr(raw, len, true, &pos, &n)) {
        fwrite(raw, 1, pos, f);
        fputs("XXXXXX-XXXX", f);
        raw += pos + n;
        len -= pos + n;
    }
    fwrite(raw, 1, len, f);
}

/* A line of the rejects file: raw (masked), ended as the file's lines end. */
static void reject_line(ingest_ctx *x, const char *raw, size_t len)
{
    write_masked(x->rej, raw, len);
    if (len && raw[len - 1] == x->eol)
        return;
    bool crlf = x->header_raw_len >= 2 && x->header_raw[x->header_raw_len - 2] == '\r' &&
                x->header_raw[x->header_raw_len - 1] == '\n';
    fputs(x->eol == '\r' ? "\r" : crlf ? "\r\n" : "\n", x->rej);
}

/* Opens the rejects file for writing (ng_open_private_as): created 0600,
 * or an existing one truncated and set to 0600 -- never through a symbolic
 * link, and never a file that is not a regular file of this user with one
 * name (whoever can write to the output folder could plant one there to
 * have the rows copied where they can read them). -1 with a message. */
static int open_rejects(ingest_ctx *x)
{
    return ng_open_private_as(x->rejects_path, "afvisningsfilen", x->diags);
}

static void reject_write(ingest_ctx *x, const char *raw, size_t len)
{
    if (!x->rejects_path || x->rej_failed)
        return;
    if (!x->rej) {
        int fd = open_rejects(x);
        x->rej = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!x->rej) {
            if (fd >= 0) {
                ng_error(x->diags, x->rejects_path, 0, 0, "kan ikke skrive afvisningsfilen: %s",
                         strerror(errno));
                close(fd);
            }
            x->rej_failed = true;
            return;
        }
        if (x->rec->had_bom)
            fputs("\xEF\xBB\xBF", x->rej);
        fprintf(x->rej, "linje%c", x->delim);
        reject_line(x, x->header_raw, x->header_raw_len);
    }
    fprintf(x->rej, "%ld%c", x->cur_line, x->delim);
    reject_line(x, raw, len);
}

static ng_status rejects_close(ingest_ctx *x)
{
    ng_status st = NG_OK;
    if (x->rej) {
        if (ferror(x->rej) | (fclose(x->rej) != 0)) {
            ng_error(x->diags, x->rejects_path, 0, 0, "kan ikke skrive afvisningsfilen: %s",
                     strerror(errno));
            st = NG_ERR_IO;
        }
        x->rej = NULL;
    } else if (x->rejects_path && !x->rej_failed && x->rec->rows_rejected == 0) {
        if (unlink(x->rejects_path) != 0 && errno != ENOENT) {
            ng_error(x->diags, x->rejects_path, 0, 0, "kan ikke fjerne en gammel afvisningsfil: %s",
                     strerror(errno));
            st = NG_ERR_IO;
        }
    }
    if (x->rej_failed)
        st = NG_ERR_IO;
    return st;
}

/* ---- one record (the reader) ------------------------------------------------ */

/* A record begins at buf[start] with the line that ends at first_end. */
static void begin_record(ingest_ctx *x, size_t start, size_t first_end)
{
    x->rec_open = true;
    x->row_done = false;
    x->rec_start = start;
    x->rec_first_end = first_end;
    x->rec_line = x->line;
    x->rec_text = x->blk->tlen;
    x->nfields = 0;
    x->perr.has = false;
    x->rec_dirty = x->rec_bad = x->rec_nul = false;
    x->pre = 0;
    memset(x->fhas, 0, sizeof x->fhas);
}

/* The offset + 1 of a value of the current record in the block's text. */
static uint32_t text_ref(const ingest_ctx *x, const char *v)
{
    return v ? (uint32_t)(v - x->blk->text) + 1 : 0;
}

static bool push_row(ingest_ctx *x, parsed_row **out)
{
    block *b = x->blk;
    if (b->nrows == b->rows_cap) {
        size_t cap = b->rows_cap ? b->rows_cap * 2 : 4096;
        parsed_row *rows = realloc(b->rows, cap * sizeof *rows);
        if (!rows) {
            x->fatal = NG_ERR_NOMEM;
            return false;
        }
        b->rows = rows;
        b->rows_cap = cap;
    }
    *out = &b->rows[b->nrows++];
    return true;
}

/* Hands on the row of line `line` whose raw bytes are buf[raw_start,
 * raw_end) and whose values are l, with its problem (x->perr) if any. */
static ng_status push_line(ingest_ctx *x, const cost_line *l, long line, size_t raw_start,
                           size_t raw_end)
{
    parsed_row *r;
    if (x->fatal || !push_row(x, &r))
        return x->fatal;
    /* field by field: a compound literal would first clear the row with
     * `rep stos`, which costs more than the stores (a row per line) */
    r->line = line;
    r->hash = l->sag_id ? ng_cases_hash(l->sag_id) : 0;
    r->raw_off = (uint32_t)raw_start;
    r->raw_len = (uint32_t)(raw_end - raw_start);
    r->sag_id = text_ref(x, l->sag_id);
    r->husstand = text_ref(x, l->husstand);
    r->maalgruppe = text_ref(x, l->maalgruppe);
    r->kommune = text_ref(x, l->kommune);
    r->err = 0;
    r->pre = x->pre;
    r->pre_line = x->pre_line;
    r->err_col = 0;
    r->pre_col = x->pre_col;
    r->aar = l->aar;
    r->maaned = l->maaned;
    r->foedselsaar = l->foedselsaar;
    r->foedselsmaaned = l->foedselsmaaned;
    r->oere = l->oere;
    r->omraade = (uint8_t)l->omraade;
    r->foer67 = (uint8_t)l->foer67;
    r->leverandoer = leverandoer_index(l->leverandoertype);
    r->amount_ok = l->amount_ok;
    r->engang = l->engang;
    r->cpr = l->cpr;
    if (x->perr.has) {
        uint32_t msg = text_put(x, x->perr.msg);
        if (!msg)
            return x->fatal;
        r = &x->blk->rows[x->blk->nrows - 1];
        r->err = msg;
        r->err_col = x->perr.col;
    }
    x->pre = 0;
    x->rows_seen++;
    return NG_OK;
}

static bool quick_values(ingest_ctx *x, const char *const *v, const size_t *n, const bool *has,
                         cost_line *l);

/* A field a quick reading stores as text (the strings a case keeps and
 * compares); the others are numbers, dates and yes/no, read in place. */
static bool stored_string(int f)
{
    return f == NG_F_SAG_ID || f == NG_F_OMRAADE || f == NG_F_HUSSTAND || f == NG_F_MAALGRUPPE ||
           f == NG_F_LEVERANDOERTYPE || f == NG_F_KOMMUNE;
}

/* A row that libcsv read (its line holds a quote) whose stored values have
 * their usual shape: read from them as quick_row reads a plain row's bytes
 * (the same readers, the same conditions); false when the row must be
 * checked as every other (check_*, with the messages). Never under
 * libcsv_only, whose rows are the full reading that the tests compare
 * with. */
static bool quick_stored(ingest_ctx *x, cost_line *l)
{
    if (x->nfields != x->ncols || x->opt->libcsv_only || x->opt->file->decimal == NG_DECIMAL_AUTO ||
        x->perr.has || x->rec_nul)
        return false;
    const char *v[NG_F_COUNT];
    size_t n[NG_F_COUNT];
    bool has[NG_F_COUNT] = {false};
    for (int f = 0; f < NG_F_COUNT; f++) {
        /* the strings: read by quick_values from the stored text */
        if (stored_string(f) || f == NG_F_TILBUD || f == NG_F_PARAGRAF || !x->fhas[f])
            continue;
        v[f] = field(x, (ng_field)f);
        n[f] = strlen(v[f]);
        has[f] = true;
    }
    if (has[NG_F_BELOEB]) {
        if (!ng_parse_amount_usual(v[NG_F_BELOEB], n[NG_F_BELOEB], x->opt->file->decimal,
                                   x->opt->file->scale, &l->oere) ||
            l->oere > MAX_AMOUNT_OERE || l->oere < -MAX_AMOUNT_OERE)
            return false;
        l->amount_ok = true;
    }
    if (quick_values(x, v, n, has, l))
        return true;
    *l = (cost_line){.omraade = NG_OMR_VOKSEN};
    return false;
}

/* A data row has ended (its raw bytes are buf[rec_start, raw_end)): its
 * fields are checked, each on its own, and it is handed on in the block. */
static ng_status emit_row(ingest_ctx *x, size_t raw_end)
{
    cost_line l;
    cost_line_clear(&l);
    if (quick_stored(x, &l)) {
        check_no_cpr(x, &l);
        return push_line(x, &l, x->rec_line, x->rec_start, raw_end);
    }
    if (x->nfields < x->ncols)
        row_error(&x->perr, x->nfields + 1, "for få felter: %d i stedet for %d", x->nfields,
                  x->ncols);
    else if (x->nfields > x->ncols)
        row_error(&x->perr, x->ncols + 1, "for mange felter: %d i stedet for %d", x->nfields,
                  x->ncols);
    check_amount(x, &l);
    check_period(x, &l);
    check_person(x, &l);
    check_born(x, &l);
    check_details(x, &l);
    check_no_cpr(x, &l);
    return push_line(x, &l, x->rec_line, x->rec_start, raw_end);
}

/* The open record has ended at raw_end (after a row callback, a parse error
 * or the end of the file). */
static ng_status end_record(ingest_ctx *x, size_t raw_end)
{
    x->rec_open = false;
    if (x->have_header)
        return emit_row(x, raw_end);
    if (x->perr.has) {
        ng_error(x->diags, x->fname, x->rec_line, x->perr.col, "overskriften kan ikke læses: %s",
                 x->perr.msg);
        return NG_ERR_INPUT;
    }
    x->line_end = raw_end;
    return take_header(x);
}

static bool blank_line(const char *s, size_t len, char delim)
{
    for (size_t i = 0; i < len; i++)
        if (!(is_space_or_cr((unsigned char)s[i]) && s[i] != delim) && s[i] != '\n')
            return false;
    return true;
}

/* ---- plain lines: the fields without libcsv ------------------------------- */

/* Where a plain line is not printable ASCII (TAB allowed, DEL not): the
 * offsets of its first MAX_DIRT such bytes, in order; overflow: there are
 * more. */
typedef struct {
    uint32_t at[MAX_DIRT];
    int n;
    bool overflow;
} line_dirt;

static void note_dirt(line_dirt *d, uint32_t at)
{
    if (d->n < MAX_DIRT)
        d->at[d->n++] = at;
    else
        d->overflow = true;
}

/* The offsets of the delimiters in s[0, len) (a line without its line end),
 * at most max of them; -1 when s holds a quote or the other line-end byte
 * (other: '\r' when lines end in '\n', '\n' when they end in '\r'), or more
 * than max delimiters (libcsv reads such a line). *dirt: where s is not
 * printable ASCII. One pass, 16 bytes at a time where SSE2 is there. */
static int plain_delims(const char *s, size_t len, char delim, char other, uint32_t *at, int max,
                        line_dirt *dirt)
{
    int n = 0;
    size_t i = 0;
    dirt->n = 0;
    dirt->overflow = false;
#if defined(__SSE2__)
    const __m128i vd = _mm_set1_epi8(delim), vq = _mm_set1_epi8('"'), vo = _mm_set1_epi8(other);
    const __m128i vsp = _mm_set1_epi8(0x20), vtab = _mm_set1_epi8('\t'), vdel = _mm_set1_epi8(0x7F);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vo))))
            return -1;
        /* signed, a byte >= 0x80 is below 0x20 too: one compare finds both */
        __m128i control = _mm_andnot_si128(_mm_cmpeq_epi8(v, vtab), _mm_cmplt_epi8(v, vsp));
        for (unsigned m =
                 (unsigned)_mm_movemask_epi8(_mm_or_si128(control, _mm_cmpeq_epi8(v, vdel)));
             m; m &= m - 1)
            note_dirt(dirt, (uint32_t)(i + (unsigned)__builtin_ctz(m)));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd));
        for (; m; m &= m - 1) {
            if (n == max)
                return -1;
            at[n++] = (uint32_t)(i + (unsigned)__builtin_ctz(m));
        }
    }
#endif
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == (unsigned char)other)
            return -1;
        if (c >= 0x7F || (c < 0x20 && c != '\t'))
            note_dirt(dirt, (uint32_t)i);
        if (c == (unsigned char)delim) {
            if (n == max)
                return -1;
            at[n++] = (uint32_t)i;
        }
    }
    return n;
}

static bool space_or_tab(char c)
{
    return c == ' ' || c == '\t';
}

/* The line s[0, len) without its line end ("\n", "\r\n", or "\r"). */
static size_t without_line_end(const char *s, size_t len)
{
    if (len && s[len - 1] == '\n')
        len--;
    if (len && s[len - 1] == '\r')
        len--;
    return len;
}

/* Field k of a plain line of len bytes whose n delimiters are at[]: its
 * bytes [*a, *b), spaces and tabs trimmed. */
static void plain_field(const char *s, size_t len, const uint32_t *at, int n, int k, size_t *a,
                        size_t *b)
{
    size_t from = k > 0 ? at[k - 1] + 1 : 0, to = k < n ? at[k] : len;
    while (from < to && space_or_tab(s[from]))
        from++;
    while (to > from && space_or_tab(s[to - 1]))
        to--;
    *a = from;
    *b = to;
}

/* Splits a line (with its line end) that holds no quote and no '\r' but in
 * its line end into fields exactly as libcsv (CSV_STRICT, its default
 * spaces) does: at every delimiter, spaces and tabs trimmed at both ends of
 * each field, the row ending at the line end. Calls the field callback for
 * each; false, having called nothing, when the line is not plain. */
static bool split_plain(const char *s, size_t len, char delim,
                        void (*field_cb)(void *, size_t, void *), void *data)
{
    len = without_line_end(s, len);
    uint32_t at[MAX_PLAIN_FIELDS];
    line_dirt dirt;
    int n = plain_delims(s, len, delim, '\r', at, MAX_PLAIN_FIELDS, &dirt);
    if (n < 0)
        return false;
    for (int k = 0; k <= n; k++) {
        size_t a, b;
        plain_field(s, len, at, n, k, &a, &b);
        field_cb((void *)(s + a), b - a, data);
    }
    return true;
}

bool ng_csv_split_plain(const char *line, size_t len, char delim,
                        void (*field_cb)(void *s, size_t len, void *data), void *data)
{
    return split_plain(line, len, delim, field_cb, data);
}

/* What the line's dirt says of its field [a, b) (fields taken in order;
 * *j: the first of the dirt's offsets not before the field before). */
static field_source field_dirt(const line_dirt *dirt, int *j, size_t a, size_t b)
{
    while (*j < dirt->n && dirt->at[*j] < a)
        (*j)++;
    if (*j < dirt->n)
        return dirt->at[*j] < b ? FROM_BLOCK_DIRTY : FROM_BLOCK_PRINTABLE;
    return dirt->overflow ? FROM_BLOCK : FROM_BLOCK_PRINTABLE;
}

/* The fields of a plain line s[0, len) (its n delimiters at at[]) as
 * on_field takes them: the header's all, a data row's only those that are
 * kept (an unmapped column, tilbud and paragraf are only counted). */
static void take_plain_fields(ingest_ctx *x, const char *s, size_t len, const uint32_t *at, int n,
                              const line_dirt *dirt)
{
    int j = 0; /* the first of dirt's offsets not before the field */
    for (int k = 0; k <= n && !x->fatal; k++) {
        size_t a, b, off;
        if (!x->have_header) {
            plain_field(s, len, at, n, k, &a, &b);
            on_field((void *)(s + a), b - a, x);
            continue;
        }
        if (k >= x->ncols)
            break;
        int f = x->colmap[k];
        if (f < 0 || f == NG_F_TILBUD || f == NG_F_PARAGRAF)
            continue;
        plain_field(s, len, at, n, k, &a, &b);
        field_source from = field_dirt(dirt, &j, a, b);
        if (store_text_from(x, s + a, b - a, k + 1, &off, from)) {
            keep_field(x, f, off);
        }
    }
    if (x->have_header)
        x->nfields = n + 1;
}

/* ---- quick rows -------------------------------------------------------------
 *
 * A plain data row with the header's number of fields, whose amount, year,
 * month, date, birth year and yes/no values are printable and have their
 * usual shape, is read without storing those values: each is parsed from the
 * line's bytes (its strings are stored and checked as always). Anything else
 * -- a value that does not parse, a blank where a value belongs, a date the
 * year or month disagrees with, a birth date, decimaltegn = auto -- and the
 * row is read as every other (take_plain_fields, emit_row), which gives its
 * messages. The two readings must agree on every row: test_ingest and
 * fuzz_ingest compare them (libcsv_only reads no row quickly). */

/* parse_digits of s[0, len). */
static bool span_digits(const char *s, size_t len, size_t maxdigits, int *out)
{
    if (len == 0 || len > maxdigits)
        return false;
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        n = n * 10 + (s[i] - '0');
    }
    *out = n;
    return true;
}

/* parse_year of s[0, len). */
static bool span_year(const char *s, size_t len, int *out)
{
    int y;
    if (!span_digits(s, len, 4, &y) || y < 1900 || y > 2100)
        return false;
    *out = y;
    return true;
}

/* parse_yes_no of blank, "ja" or "nej"; false for any other spelling. */
static bool span_yes_no(const char *s, size_t len, ng_tristate *out)
{
    if (len == 0)
        *out = NG_UNKNOWN;
    else if (len == 2 && s[0] == 'j' && s[1] == 'a')
        *out = NG_YES;
    else if (len == 3 && s[0] == 'n' && s[1] == 'e' && s[2] == 'j')
        *out = NG_NO;
    else
        return false;
    return true;
}

/* The period, person and details of a quick row from its values' bytes
 * (v[f], has[f]: the field's column is there) and its stored strings: what
 * check_period, check_person, check_born and check_details give when they
 * find nothing wrong; false when any of them would. */
static bool quick_values(ingest_ctx *x, const char *const *v, const size_t *n, const bool *has,
                         cost_line *l)
{
    int aar = 0, maaned = 0;
    bool aar_ok = has[NG_F_AAR] && n[NG_F_AAR] > 0;
    bool maaned_ok = has[NG_F_MAANED] && n[NG_F_MAANED] > 0;
    if (aar_ok && !span_year(v[NG_F_AAR], n[NG_F_AAR], &aar))
        return false;
    if (maaned_ok &&
        (!span_digits(v[NG_F_MAANED], n[NG_F_MAANED], 2, &maaned) || maaned < 1 || maaned > 12))
        return false;
    if (has[NG_F_DATO] && n[NG_F_DATO] > 0) {
        ng_date d;
        if (!ng_parse_date_usual(v[NG_F_DATO], n[NG_F_DATO], &d) || d.y < 1900 || d.y > 2100 ||
            (aar_ok && d.y != aar) || (maaned_ok && d.m != maaned))
            return false;
        l->aar = d.y;
        l->maaned = d.m;
    } else {
        if (!aar_ok)
            return false;
        l->aar = aar;
        l->maaned = maaned;
    }
    const char *t = field(x, NG_F_SAG_ID);
    if (t) {
        if (!*t)
            return false;
        l->sag_id = t;
    }
    t = field(x, NG_F_OMRAADE);
    if (t && !lookup_omraade(x, t, x->flen[NG_F_OMRAADE], &l->omraade))
        return false;
    if (has[NG_F_FOEDSELSAAR] &&
        !span_year(v[NG_F_FOEDSELSAAR], n[NG_F_FOEDSELSAAR], &l->foedselsaar))
        return false;
    if (has[NG_F_FOEDSELSDATO] && n[NG_F_FOEDSELSDATO] > 0)
        return false;
    if (has[NG_F_FOER67] && !span_yes_no(v[NG_F_FOER67], n[NG_F_FOER67], &l->foer67))
        return false;
    if (l->aar && l->foedselsaar && l->foedselsaar > l->aar)
        return false;
    ng_tristate engang = NG_UNKNOWN;
    if (has[NG_F_ENGANGSUDGIFT] &&
        !span_yes_no(v[NG_F_ENGANGSUDGIFT], n[NG_F_ENGANGSUDGIFT], &engang))
        return false;
    l->engang = engang == NG_YES;
    t = field(x, NG_F_LEVERANDOERTYPE);
    if (!blank(t) &&
        !(l->leverandoertype = lookup_leverandoertype(x, t, x->flen[NG_F_LEVERANDOERTYPE])))
        return false;
    take_strings(x, l);
    return true;
}

/* Reads the plain data row s[0, len) (its n delimiters at at[], its dirt,
 * its record ending at raw_end) quickly if it can: true with *st what
 * handing it on gave; false, having changed nothing that matters, when the
 * row must be read as every other. */
static bool quick_row(ingest_ctx *x, const char *s, size_t len, const uint32_t *at, int n,
                      const line_dirt *dirt, size_t raw_end, ng_status *st)
{
    if (n + 1 != x->ncols || x->opt->file->decimal == NG_DECIMAL_AUTO || x->perr.has || x->rec_nul)
        return false;
    const char *v[NG_F_COUNT];
    size_t vn[NG_F_COUNT];
    bool has[NG_F_COUNT] = {false};
    int j = 0; /* as in take_plain_fields */
    for (int k = 0; k <= n; k++) {
        int f = x->colmap[k];
        if (f < 0 || f == NG_F_TILBUD || f == NG_F_PARAGRAF)
            continue;
        size_t a, b, off;
        plain_field(s, len, at, n, k, &a, &b);
        field_source from = field_dirt(dirt, &j, a, b);
        if (stored_string(f)) {
            if (!store_text_from(x, s + a, b - a, k + 1, &off, from))
                goto slow;
            keep_field(x, f, off);
        } else {
            if (from != FROM_BLOCK_PRINTABLE)
                goto slow;
            v[f] = s + a;
            vn[f] = b - a;
            has[f] = true;
        }
    }
    cost_line l;
    cost_line_clear(&l);
    if (has[NG_F_BELOEB]) {
        if (!ng_parse_amount_usual(v[NG_F_BELOEB], vn[NG_F_BELOEB], x->opt->file->decimal,
                                   x->opt->file->scale, &l.oere) ||
            l.oere > MAX_AMOUNT_OERE || l.oere < -MAX_AMOUNT_OERE)
            goto slow;
        l.amount_ok = true;
    }
    if (!quick_values(x, v, vn, has, &l))
        goto slow;
    check_no_cpr(x, &l);
    x->nfields = n + 1;
    x->rec_open = false;
    *st = push_line(x, &l, x->rec_line, x->rec_start, raw_end);
    return true;
slow:
    x->blk->tlen = x->rec_text;
    x->perr.has = false;
    memset(x->fhas, 0, sizeof x->fhas);
    return false;
}

/* ---- lines whose quote is not closed -------------------------------------
 *
 * A quote that is not closed before the end of the file (or that a later
 * quote in the wrong place ends) makes libcsv read every line after it as
 * part of one field. Such a record is not one row: its first line is the bad
 * row, and each later line it swallowed is a row of its own, rejected too,
 * so that every line is counted and its amount (read from the line alone)
 * is in the reconciliation. */

/* The column (1-based) in which the quote that is still open at the end of
 * the line s[0, len) began, or 0. */
static int open_quote_column(const ingest_ctx *x, const char *s, size_t len)
{
    int col = 1, open_col = 0;
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') {
            quoted = !quoted;
            if (quoted)
                open_col = col;
        } else if (s[i] == x->delim && !quoted) {
            col++;
        }
    }
    return quoted ? open_col : 0;
}

/* A line read alone for the reconciliation: split at every delimiter (a
 * quote is a character like the others, a field in quotes loses them), its
 * kept fields stored and its amount checked. */
static void read_line_alone(ingest_ctx *x, const char *s, size_t len, cost_line *l)
{
    x->nfields = 0;
    memset(x->fhas, 0, sizeof x->fhas);
    line_bytes b;
    line_scan(s, len, &b);
    x->rec_dirty = b.dirty;
    x->rec_bad = b.bad != NO_OFFSET;
    x->rec_nul = b.nul != NO_OFFSET;
    size_t from = 0;
    for (int col = 1; from <= len && !x->fatal; col++) {
        const char *d = memchr(s + from, x->delim, len - from);
        size_t to = d ? (size_t)(d - s) : len;
        int f = col <= x->ncols ? x->colmap[col - 1] : -1;
        size_t a = from, e = to, off;
        while (a < e && space_or_tab(s[a]))
            a++;
        while (e > a && space_or_tab(s[e - 1]))
            e--;
        if (e - a >= 2 && s[a] == '"' && s[e - 1] == '"')
            a++, e--;
        if (f >= 0 && f != NG_F_TILBUD && f != NG_F_PARAGRAF &&
            store_text(x, s + a, e - a, col, &off)) {
            keep_field(x, f, off);
        }
        from = to + 1;
    }
    check_amount(x, l);
    check_no_cpr(x, l);
}

/* The record that began at rec_line has ended at raw_end with a quote that
 * does not close (eof: at the end of the file; else a quote in the wrong
 * place in the last line fed). When it took more than one line, its lines
 * are rows of their own. Returns false when it did not. */
static bool split_swallowed(ingest_ctx *x, size_t raw_end, bool eof, ng_status *st)
{
    if (x->rec_line == x->line || !x->have_header)
        return false;
    const char *buf = x->blk->buf;
    size_t first_len = without_line_end(buf + x->rec_start, x->rec_first_end - x->rec_start);
    int col = open_quote_column(x, buf + x->rec_start, first_len);
    if (col == 0)
        col = 1;
    char ref[320], span[64], reason[ERR_MSG_SIZE];
    long last = x->line;
    if (last == x->rec_line + 1)
        snprintf(span, sizeof span, "linje %ld", last);
    else
        snprintf(span, sizeof span, "linje %ld-%ld", x->rec_line + 1, last);
    column_ref(x, col, false, ref, sizeof ref);
    if (eof)
        snprintf(reason, sizeof reason,
                 "anførselstegnet i %s afsluttes ikke før filens slutning (%s er slugt af det og "
                 "afvist)",
                 ref, span);
    else
        snprintf(reason, sizeof reason,
                 "anførselstegnet i %s afsluttes ikke, før et anførselstegn står forkert i linje "
                 "%ld (%s er slugt af det og afvist)",
                 ref, last, span);
    x->lines_in_text = true; /* reason and span name lines */
    long line = x->rec_line;
    uint32_t pre = x->pre;
    long pre_line = x->pre_line;
    int pre_col = x->pre_col;
    for (size_t at = x->rec_start; at < raw_end && *st == NG_OK; line++) {
        const char *nl = memchr(buf + at, x->eol, raw_end - at);
        size_t end = nl ? (size_t)(nl - buf) + 1 : raw_end;
        size_t len = without_line_end(buf + at, end - at);
        if (line == x->rec_line || !blank_line(buf + at, end - at, x->delim)) {
            cost_line l;
            cost_line_clear(&l);
            read_line_alone(x, buf + at, len, &l);
            x->perr.has = false; /* the quote is the row's problem, not what it did */
            row_error(&x->perr, line == x->rec_line ? col : 0, "%s", reason);
            x->pre = line == x->rec_line ? pre : 0;
            x->pre_line = pre_line;
            x->pre_col = pre_col;
            *st = push_line(x, &l, line, at, end);
            if (line == x->rec_line)
                snprintf(reason, sizeof reason,
                         "linjen er slugt af anførselstegnet i linje %ld, %s, som ikke afsluttes",
                         x->rec_line, ref);
        }
        at = end;
    }
    if (*st == NG_OK && x->fatal)
        *st = x->fatal;
    return true;
}

/* ---- lines -------------------------------------------------------------------- */

/* Feeds one line (with its line end, except maybe the last) to libcsv, or
 * splits it without libcsv when it is plain. */
static ng_status feed_line(ingest_ctx *x, size_t start, size_t len)
{
    x->line++;
    const char *s = x->blk->buf + start;
    size_t content = without_line_end(s, len);
    bool continuation = x->rec_open;
    if (!continuation) {
        if (blank_line(s, len, x->delim))
            return NG_OK; /* libcsv skips blank lines; so do we (they are no rows) */
        begin_record(x, start, start + len);
        uint32_t at[MAX_PLAIN_FIELDS];
        line_dirt dirt;
        int n = x->opt->libcsv_only
                    ? -1
                    : plain_delims(s, content, x->delim, x->other_eol, at, MAX_PLAIN_FIELDS, &dirt);
        if (n >= 0) {
            if (dirt.n && x->enc == ENC_CP1252 && !x->enc_auto && !dirt.overflow) {
                /* take_line_bytes from the dirt: the line is not printable
                 * ASCII, and a NUL is among its dirt */
                x->rec_dirty = true;
                for (int i = 0; i < dirt.n; i++)
                    if (s[dirt.at[i]] == '\0') {
                        take_nul(x, s, dirt.at[i], false);
                        break;
                    }
            } else if (dirt.n) {
                take_line_bytes(x, s, content, false);
            }
            ng_status st;
            if (x->have_header && quick_row(x, s, content, at, n, &dirt, start + len, &st))
                return x->fatal ? x->fatal : st;
            if (x->fatal)
                return x->fatal;
            take_plain_fields(x, s, content, at, n, &dirt);
            if (x->fatal)
                return x->fatal;
            return end_record(x, start + len);
        }
    } else {
        x->rec_dirty = true; /* a field across lines holds a line end */
    }
    take_line_bytes(x, s, content, continuation);
    x->line_end = start + len;
    /* libcsv's own character classes are much faster than callbacks, and
     * they end a record at '\r' as well as '\n'. That is right for a CRLF
     * line end (or a file whose lines end in '\r'); the other byte anywhere
     * else would split the line into two records, so such a (rare) line is
     * fed with the file's line-end byte as the only terminator and the other
     * as a space. */
    bool stray = memchr(s, x->other_eol, content) != NULL;
    if (stray) {
        csv_set_space_func(&x->csv, x->eol == '\n' ? is_space_or_cr : is_space_or_lf);
        csv_set_term_func(&x->csv, x->eol == '\n' ? is_lf : is_cr);
    }
    size_t done = csv_parse(&x->csv, s, len, on_field, on_row, x);
    if (stray) {
        csv_set_space_func(&x->csv, NULL);
        csv_set_term_func(&x->csv, NULL);
    }
    if (x->fatal)
        return x->fatal;
    if (done < len) {
        if (csv_error(&x->csv) != CSV_EPARSE)
            return NG_ERR_NOMEM;
        ng_status st = csv_reset(x);
        if (st != NG_OK)
            return st;
        if (split_swallowed(x, start + len, false, &st)) {
            x->rec_open = false;
            return st;
        }
        char ref[320];
        int col = x->nfields + 1;
        row_error(&x->perr, col, "anførselstegn på forkert sted i %s",
                  column_ref(x, col, false, ref, sizeof ref));
        return end_record(x, start + len);
    }
    if (x->row_done)
        return end_record(x, start + len);
    return NG_OK;
}

/* End of file: flush a last line without its line end and an open record. */
static ng_status finish_file(ingest_ctx *x)
{
    if (!x->rec_open)
        return NG_OK;
    if (csv_fini(&x->csv, on_field, on_row, x) != 0) {
        ng_status st = NG_OK;
        if (split_swallowed(x, x->blk->len, true, &st)) {
            x->rec_open = false;
            return st;
        }
        char ref[320];
        int col = x->nfields + 1;
        row_error(&x->perr, col, "anførselstegnet i %s afsluttes ikke før filens slutning",
                  column_ref(x, col, false, ref, sizeof ref));
    }
    if (x->fatal)
        return x->fatal;
    return end_record(x, x->blk->len);
}
/* ---- the applier: a row's effect on everything that came before ------------ */

static const char *row_text(const block *b, uint32_t ref)
{
    return ref ? b->text + ref - 1 : NULL;
}

/* What a data row does, in file order: the reconciliation, its case, or the
 * diagnostic and the rejects file. */
static ng_status apply_row(ingest_ctx *x, const block *b, const parsed_row *r)
{
    ng_reconciliation *rec = x->rec;
    x->cur_line = r->line;
    if (r->pre)
        ng_error(x->diags, x->fname, r->pre_line, r->pre_col, "%s", row_text(b, r->pre));
    cost_line l = {
        .sag_id = row_text(b, r->sag_id),
        .hash = r->hash,
        .aar = r->aar,
        .maaned = r->maaned,
        .oere = r->oere,
        .amount_ok = r->amount_ok,
        .engang = r->engang,
        .omraade = (ng_omraade)r->omraade,
        .foedselsaar = r->foedselsaar,
        .foedselsmaaned = r->foedselsmaaned,
        .foer67 = (ng_tristate)r->foer67,
        .husstand = row_text(b, r->husstand),
        .maalgruppe = row_text(b, r->maalgruppe),
        .leverandoertype = r->leverandoer ? leverandoer_types[r->leverandoer - 1] : NULL,
        .kommune = row_text(b, r->kommune),
    };
    if (r->cpr && x->cpr_rows++ == 0)
        x->cpr_first_line = x->cur_line;
    x->cerr.has = r->err != 0;
    if (r->err) {
        x->cerr.col = r->err_col;
        snprintf(x->cerr.msg, sizeof x->cerr.msg, "%s", row_text(b, r->err));
    }

    rec->rows_read++;
    int64_t read_sum = rec->oere_read, used_sum = rec->oere_used, rej_sum = rec->oere_rejected;
    if (l.amount_ok && (__builtin_add_overflow(read_sum, l.oere, &read_sum) ||
                        __builtin_add_overflow(used_sum, l.oere, &used_sum) ||
                        __builtin_add_overflow(rej_sum, l.oere, &rej_sum))) {
        l.amount_ok = false; /* beyond any real file, but never undefined */
        row_error(&x->cerr, x->fieldcol[NG_F_BELOEB], "summen af filens beløb bliver for stor");
    }
    if (l.amount_ok)
        rec->oere_read = read_sum;
    if (!x->cerr.has) {
        ng_status st = use_line(x, &l);
        if (st == NG_ERR_NOMEM || x->too_heavy)
            return st;
        if (st == NG_OK) {
            rec->rows_used++;
            rec->oere_used = used_sum;
            return NG_OK;
        }
    }
    /* a value that is wrong only because of the byte the encoding error at
     * its own field names (børn + 0x81): the row is rejected with that one
     * message */
    if (!(r->err && r->pre && r->pre_line == r->line && r->pre_col == r->err_col))
        ng_error(x->diags, x->fname, x->cur_line, x->cerr.col, "%s", x->cerr.msg);
    rec->rows_rejected++;
    if (l.amount_ok)
        rec->oere_rejected = rej_sum;
    reject_write(x, b->buf + r->raw_off, r->raw_len);
    return x->too_many ? NG_ERR_INPUT : NG_OK;
}

/* Stage 0: the slot of the case with hash h; 1: its record (the slot is in
 * the cache by now); 2: its key. */
static void prefetch_case(const ingest_ctx *x, uint64_t h, int stage)
{
    if (!x->validate) {
        ng_cases_prefetch(x->cases, h, stage);
        return;
    }
    const str_set *t = &x->ids;
    if (!t->nslots)
        return;
    if (stage == 0) {
        __builtin_prefetch(&t->slots[h & (t->nslots - 1)]);
        return;
    }
    long i = str_set_probe(t, h);
    if (i < 0)
        return;
    if (stage == 1) {
        __builtin_prefetch(&t->off[i]);
        __builtin_prefetch(&x->vcases[i]);
    } else {
        __builtin_prefetch(t->bytes + t->off[i]);
    }
}

/* A full block: its bytes into the hash, its rows, then why the reading
 * stopped after it, if it did. */
static ng_status apply_block(ingest_ctx *x, const block *b)
{
    if (x->sha) {
        ng_sha256_update(x->sha, b->buf + b->fresh, b->len - b->fresh);
        x->hashed += b->len - b->fresh;
    }
    for (size_t i = 0; i < b->nrows; i++) {
        /* a shuffled extract finds each row's case far from the last one's:
         * fetch the next rows' slots, records and keys while this one is
         * applied */
        for (int stage = 0; stage < 3; stage++)
            if (i + (size_t)(3 - stage) * PREFETCH_AHEAD < b->nrows)
                prefetch_case(x, b->rows[i + (size_t)(3 - stage) * PREFETCH_AHEAD].hash, stage);
        ng_status st = apply_row(x, b, &b->rows[i]);
        if (st != NG_OK)
            return st;
    }
    if (b->last && b->status == NG_OK)
        x->read_whole = true;
    if (b->status != NG_OK && b->fatal_msg)
        ng_error(x->diags, x->fname, b->fatal_line, b->fatal_col, "%s", row_text(b, b->fatal_msg));
    return b->status;
}

/* ---- blocks between the reader and the applier --------------------------- */

/* Hands the reader's current block on: applied at once with one thread,
 * queued with two. Returns what the applier made of it (one thread), or
 * NG_OK, or NG_ERR_INTERNAL when the applier has stopped (two). */
static ng_status publish(ingest_ctx *x)
{
    block *b = x->blk;
    if (!x->threaded) {
        x->apply_index = (x->apply_index + 1) % NBLOCKS;
        return apply_block(x, b);
    }
    pthread_mutex_lock(&x->mu);
    b->full = true;
    bool stop = x->stop;
    pthread_cond_broadcast(&x->cv);
    pthread_mutex_unlock(&x->mu);
    return stop ? NG_ERR_INTERNAL : NG_OK;
}

/* The next block of the ring for the reader, once the applier has given it
 * back (false when the applier stopped). */
static bool next_free_block(ingest_ctx *x, size_t *index)
{
    size_t i = (x->blk_index + 1) % NBLOCKS;
    if (x->threaded) {
        pthread_mutex_lock(&x->mu);
        while (x->blocks[i].full && !x->stop)
            pthread_cond_wait(&x->cv, &x->mu);
        bool stop = x->stop;
        pthread_mutex_unlock(&x->mu);
        if (stop)
            return false;
    }
    *index = i;
    return true;
}

/* Room for need bytes in *buf (capacity *cap, doubled from 64 KiB). */
static bool grow_bytes(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64 << 10;
    while (n < need)
        n *= 2;
    /* BYTES_PAD more than the capacity: a short field is copied 16 bytes at
     * a time from a block's bytes into its text (store_text) */
    char *p = realloc(*buf, n + BYTES_PAD);
    if (!p)
        return false;
    *buf = p;
    *cap = n;
    return true;
}

static bool block_reserve(block *b, size_t need)
{
    return grow_bytes(&b->buf, &b->cap, need);
}

static bool block_text_reserve(block *b, size_t need)
{
    return grow_bytes(&b->text, &b->tcap, need);
}

static void block_free(block *b)
{
    free(b->buf);
    free(b->text);
    free(b->rows);
    memset(b, 0, sizeof *b);
}

/* Reading stops after the current block's rows with st and (when msg is not
 * NULL) that diagnostic, which the applier gives in its turn. */
static ng_status stop_reading(ingest_ctx *x, ng_status st, long line, int col, const char *msg)
{
    block *b = x->blk;
    b->status = st;
    b->fatal_line = line;
    b->fatal_col = col;
    b->fatal_msg = msg ? text_put(x, msg) : 0;
    x->done = true;
    ng_status ap = publish(x);
    return ap != NG_OK ? ap : st;
}

/* ---- the reader: bytes -> blocks of rows ------------------------------- */

static ng_status source_read(ingest_ctx *x, char *into, size_t want, size_t *got)
{
    *got = 0;
    if (x->mem) {
        size_t n = x->mem_len - x->mem_pos;
        if (n > want)
            n = want;
        memcpy(into, x->mem + x->mem_pos, n);
        x->mem_pos += n;
        *got = n;
        return NG_OK;
    }
    for (;;) {
        ssize_t n = read(x->fd, into, want);
        if (n >= 0) {
            *got = (size_t)n;
            x->bytes_read += (uint64_t)n;
            /* every step, and once more at the end of the file */
            bool at_end = n == 0 && x->next_progress != UINT64_MAX;
            if (x->opt->progress && (x->bytes_read >= x->next_progress || at_end)) {
                x->opt->progress(x->opt->progress_ctx, x->bytes_read, x->bytes_total, x->rows_seen);
                x->next_progress = at_end ? UINT64_MAX : x->bytes_read + PROGRESS_STEP;
            }
            return NG_OK;
        }
        if (errno != EINTR)
            return NG_ERR_IO;
    }
}

/* Reads chunk fresh bytes (or to the end of the file) after what the block
 * holds. */
static ng_status fill_block(ingest_ctx *x, size_t chunk)
{
    block *b = x->blk;
    size_t want_end = b->len + chunk;
    if (!block_reserve(b, want_end)) {
        x->fatal = NG_ERR_NOMEM;
        return NG_ERR_NOMEM;
    }
    b->fresh = b->len;
    while (!x->eof && b->len < want_end) {
        size_t got;
        if (source_read(x, b->buf + b->len, want_end - b->len, &got) != NG_OK) {
            char msg[ERR_MSG_SIZE];
            snprintf(msg, sizeof msg, "kan ikke læse filen: %s", strerror(errno));
            return stop_reading(x, NG_ERR_IO, 0, 0, msg);
        }
        if (got == 0)
            x->eof = true;
        b->len += got;
    }
    return NG_OK;
}

/* Starts the next block with the unfinished part of the current one
 * (from keep_from: the open record, or a line not yet complete), its fields
 * so far included, then hands the current one on and reads. */
static ng_status next_block(ingest_ctx *x, size_t keep_from)
{
    size_t index;
    if (!next_free_block(x, &index))
        return NG_ERR_INTERNAL; /* the applier stopped */
    block *from = x->blk, *to = &x->blocks[index];
    size_t keep = from->len - keep_from;
    size_t tkeep = x->rec_open ? from->tlen - x->rec_text : 0;
    if (!block_reserve(to, keep + x->read_chunk) || !block_text_reserve(to, tkeep)) {
        x->fatal = NG_ERR_NOMEM;
        return stop_reading(x, NG_ERR_NOMEM, 0, 0, NULL);
    }
    memcpy(to->buf, from->buf + keep_from, keep);
    to->len = keep;
    to->nrows = 0;
    to->tlen = tkeep;
    to->status = NG_OK;
    to->fatal_msg = 0;
    to->last = false;
    if (tkeep) {
        memcpy(to->text, from->text + x->rec_text, tkeep);
        size_t delta = x->rec_text;
        for (int f = 0; f < NG_F_COUNT; f++)
            if (x->fhas[f])
                x->foff[f] -= delta;
        for (int i = 0; !x->have_header && i < x->nfields && i < x->hcap; i++)
            x->hoff[i] -= delta;
        if (x->pre)
            x->pre -= (uint32_t)delta;
    }
    if (x->rec_open)
        x->rec_text = 0; /* also when none of its fields is stored yet */
    x->pos -= keep_from;
    if (x->rec_open) {
        x->rec_start -= keep_from;
        x->rec_first_end -= keep_from;
    }
    ng_status st = publish(x);
    x->blk = to;
    x->blk_index = index;
    if (st != NG_OK)
        return st;
    return fill_block(x, x->read_chunk);
}

/* The file's line end, from its first: '\r' when that is a CR not followed
 * by LF (a file saved with CR-only line ends), else '\n' (LF or CRLF).
 * false while the block does not tell yet. */
static bool decide_line_end(ingest_ctx *x)
{
    const block *b = x->blk;
    const char *s = b->buf + x->pos, *end = b->buf + b->len;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *cr = memchr(s, '\r', (size_t)((nl ? nl : end) - s));
    if (!cr && !nl && !x->eof)
        return false;
    if (cr && cr + 1 == end && !x->eof)
        return false;
    bool cr_only = cr && (cr + 1 == end || cr[1] != '\n');
    x->eol = cr_only ? '\r' : '\n';
    x->other_eol = cr_only ? '\n' : '\r';
    x->eol_known = true;
    return true;
}

/* The message when a record or line is longer than MAX_RECORD (msg holds
 * ERR_MSG_SIZE), and where it is. */
static void too_long_message(ingest_ctx *x, char *msg, long *line, int *col)
{
    char size[32];
    ng_fmt_int(size, sizeof size, MAX_RECORD);
    if (x->rec_open) {
        char ref[320];
        *col = open_quote_column(x, x->blk->buf + x->rec_start, x->rec_first_end - x->rec_start);
        if (*col == 0)
            *col = x->nfields + 1;
        snprintf(msg, ERR_MSG_SIZE,
                 "anførselstegnet i %s afsluttes ikke inden for %s byte; resten af filen er ikke "
                 "læst",
                 column_ref(x, *col, false, ref, sizeof ref), size);
        *line = x->rec_line;
        return;
    }
    snprintf(msg, ERR_MSG_SIZE,
             "linjen er over %s byte lang (højst %s byte pr. linje); resten af filen er ikke læst",
             size, size);
    *line = x->line + 1;
    *col = 0;
}

/* A record or line longer than MAX_RECORD: the reading stops. */
static ng_status too_long(ingest_ctx *x)
{
    char msg[ERR_MSG_SIZE];
    long line;
    int col;
    too_long_message(x, msg, &line, &col);
    return stop_reading(x, NG_ERR_INPUT, line, col, msg);
}

/* Splits the blocks into lines and feeds them until the end of the file
 * (or, with until_header, until the header has been read). */
static ng_status read_lines(ingest_ctx *x, bool until_header)
{
    for (;;) {
        if (x->fatal)
            return stop_reading(x, x->fatal, 0, 0, NULL);
        if (until_header && x->have_header)
            return NG_OK;
        block *b = x->blk;
        if (!x->eol_known && !decide_line_end(x))
            goto more; /* the first line end is not in the block yet */
        char *nl = memchr(b->buf + x->pos, x->eol, b->len - x->pos);
        if (nl) {
            size_t start = x->pos;
            size_t len = (size_t)(nl - (b->buf + start)) + 1;
            x->pos += len;
            ng_status st = feed_line(x, start, len);
            if (st != NG_OK)
                return x->have_header || x->fatal ? stop_reading(x, st, 0, 0, NULL) : st;
            continue;
        }
        if (x->eof) {
            ng_status st = NG_OK;
            if (x->pos < b->len) {
                size_t start = x->pos;
                x->pos = b->len;
                st = feed_line(x, start, b->len - start);
            }
            if (st == NG_OK)
                st = finish_file(x);
            if (st != NG_OK)
                return x->have_header || x->fatal ? stop_reading(x, st, 0, 0, NULL) : st;
            b->last = true;
            x->done = true;
            return publish(x);
        }
    more:;
        size_t keep_from = x->rec_open ? x->rec_start : x->pos;
        if (b->len - keep_from > MAX_RECORD)
            return too_long(x);
        ng_status st = next_block(x, keep_from);
        if (st != NG_OK)
            return st;
        if (x->blk->status != NG_OK)
            return x->blk->status; /* fill_block stopped the reading */
    }
}

/* ---- two threads ------------------------------------------------------------ */

static void *reader_thread(void *arg)
{
    ingest_ctx *x = arg;
    (void)read_lines(x, false); /* its outcome reaches the applier in the blocks */
    return NULL;
}

/* The applier's side with two threads: every block in turn until the last
 * one or a stop. */
static ng_status apply_all(ingest_ctx *x)
{
    ng_status st = NG_OK;
    for (;;) {
        block *b = &x->blocks[x->apply_index];
        pthread_mutex_lock(&x->mu);
        while (!b->full)
            pthread_cond_wait(&x->cv, &x->mu);
        pthread_mutex_unlock(&x->mu);
        st = apply_block(x, b);
        bool done = st != NG_OK || b->last || b->status != NG_OK;
        pthread_mutex_lock(&x->mu);
        b->full = false;
        if (done)
            x->stop = true;
        pthread_cond_broadcast(&x->cv);
        pthread_mutex_unlock(&x->mu);
        x->apply_index = (x->apply_index + 1) % NBLOCKS;
        if (done)
            return st;
    }
}

/* The rest of the file (after the header) on a second thread, the rows
 * applied on this one. */
static ng_status read_two_threads(ingest_ctx *x)
{
    if (pthread_mutex_init(&x->mu, NULL) != 0)
        return read_lines(x, false);
    if (pthread_cond_init(&x->cv, NULL) != 0) {
        pthread_mutex_destroy(&x->mu);
        return read_lines(x, false);
    }
    x->threaded = true;
    pthread_t tid;
    ng_status st;
    if (pthread_create(&tid, NULL, reader_thread, x) != 0) {
        x->threaded = false;
        st = read_lines(x, false);
    } else {
        st = apply_all(x);
        pthread_join(tid, NULL);
        x->threaded = false;
    }
    pthread_cond_destroy(&x->cv);
    pthread_mutex_destroy(&x->mu);
    return st;
}

/* Two threads when asked, or (threads = 0) for a file of THREADS_FROM bytes
 * or more on a machine with two cores or more. */
static bool want_two_threads(const ingest_ctx *x)
{
    if (x->opt->threads == 1)
        return false;
    if (x->opt->threads >= 2)
        return true;
    uint64_t size = x->mem ? x->mem_len : x->bytes_total;
    return size >= THREADS_FROM && sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}
/* ---- the split: the file read in parts, on two threads --------------------
 *
 * After the header the rest of the file is cut into parts of about
 * SPLIT_BYTES (128 KiB). Part k nominally begins at the first line start at or after
 * first + k * size; two workers (this thread and one more) take the parts in
 * turn (k even, k odd), each parsing its part with its own parser, encoding
 * state and blocks, its lines counted from 1. A part ends at the first line
 * start at or after the next part's nominal start where no record is open
 * (a line break inside quotes is no end), so it may run past it.
 *
 * The parts are applied in file order, each by the worker that parsed it,
 * holding the turn: the applier's state (cases, diagnostics, rejects, the
 * hash) has one owner at a time and sees the rows in file order, so
 * conflicts, first lines and messages are those of one thread. A part's
 * parse is only a guess until the part before it is applied: it is used
 * when it began exactly where that one ended and in the same state;
 * otherwise (a quoted line break across the cut) the worker parses it again
 * from the true end, line and state before applying it. A worker counts its
 * part's lines from 0 (no byte of the file is read twice to know where a
 * part begins); when the part is applied, the line before it is known and
 * its rows are numbered again (renumber_part) -- unless a message of the
 * reader names a line in its text (a quote that swallowed lines), and then
 * the part is parsed again with the true numbers.
 *
 * Not split (the pipeline or one thread instead): decimaltegn = auto (the
 * column's notation is learnt in file order), tegnsaet = auto (each line is
 * judged against what the lines before it decided, and the messages name
 * their lines), a source that is not a regular file or memory, or a header
 * that filled more than the first block. With both given, a part's parse
 * depends only on its bytes and on the state where it begins: no record
 * open, the file's encoding and whether its one encoding error was given. */

typedef struct {
    enc_state enc;
    bool failed; /* the file's encoding error was given */
} read_state;

typedef struct split split;

typedef struct {
    split *sp;
    ingest_ctx w;          /* the worker's reader: a copy of the header reader's */
    ng_reconciliation rec; /* its own: the reader writes the encoding's name */
    /* the part it holds */
    size_t k;
    uint64_t origin;     /* file offset of w.blk->buf[0] */
    uint64_t start, end; /* file offsets: the part is [start, end) */
    uint64_t src;        /* the next byte to read */
    read_state entry;
    long line0;  /* the lines before the part (0 for a nominal part, until it is applied) */
    bool at_end; /* it reaches the end of the file */
} worker;

struct split {
    ingest_ctx *x;
    uint64_t first; /* file offset after the header */
    uint64_t total; /* the file's size when the reading began */
    size_t size;    /* a part's nominal size */
    int workers;    /* 1 or 2 */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t turn; /* the next part to apply */
    bool stop;
    ng_status st;
    read_state latest; /* the state after the last part applied, for a guess */
    /* the turn holder's */
    uint64_t end;
    long line; /* the lines before end */
    read_state state;
    long parts, renumbered, reparsed;
};

/* Reads more of the source after what w's block holds (false on NOMEM/IO,
 * the block's status set). */
static bool worker_read(worker *wk, size_t want)
{
    ingest_ctx *w = &wk->w;
    block *b = w->blk;
    if (!block_reserve(b, b->len + want)) {
        b->status = NG_ERR_NOMEM;
        return false;
    }
    if (w->mem) {
        size_t n = wk->src < w->mem_len ? w->mem_len - wk->src : 0;
        if (n > want)
            n = want;
        memcpy(b->buf + b->len, w->mem + wk->src, n);
        b->len += n;
        wk->src += n;
        w->eof = n == 0;
        return true;
    }
    for (;;) {
        ssize_t n = pread(w->fd, b->buf + b->len, want, (off_t)wk->src);
        if (n >= 0) {
            b->len += (size_t)n;
            wk->src += (uint64_t)n;
            w->eof = n == 0;
            return true;
        }
        if (errno != EINTR)
            break;
    }
    char msg[ERR_MSG_SIZE];
    snprintf(msg, sizeof msg, "kan ikke læse filen: %s", strerror(errno));
    b->status = NG_ERR_IO;
    b->fatal_msg = text_put(w, msg);
    return false;
}

/* The part's block stops with st (after its rows so far). */
static void worker_stop(worker *wk, ng_status st, long line, int col, const char *msg)
{
    block *b = wk->w.blk;
    b->status = st;
    b->fatal_line = line;
    b->fatal_col = col;
    b->fatal_msg = msg ? text_put(&wk->w, msg) : 0;
}

/* The next line of the part is fed; false when the part has ended (or
 * stopped). */
static bool worker_line(worker *wk, uint64_t limit)
{
    ingest_ctx *w = &wk->w;
    block *b = w->blk;
    if (w->fatal) {
        worker_stop(wk, w->fatal, 0, 0, NULL);
        return false;
    }
    if (!w->rec_open && wk->origin + w->pos >= limit)
        return false;
    char *nl = memchr(b->buf + w->pos, w->eol, b->len - w->pos);
    if (nl || w->eof) {
        size_t start = w->pos, len = nl ? (size_t)(nl - (b->buf + start)) + 1 : b->len - start;
        w->pos += len;
        ng_status st = len ? feed_line(w, start, len) : NG_OK;
        if (st == NG_OK && !nl)
            st = finish_file(w);
        if (st != NG_OK) {
            worker_stop(wk, st, 0, 0, NULL);
            return false;
        }
        if (!nl)
            wk->at_end = true;
        return nl != NULL;
    }
    size_t keep_from = w->rec_open ? w->rec_start : w->pos;
    if (b->len - keep_from > MAX_RECORD) {
        char msg[ERR_MSG_SIZE];
        long line;
        int col;
        too_long_message(w, msg, &line, &col);
        worker_stop(wk, NG_ERR_INPUT, line, col, msg);
        return false;
    }
    return worker_read(wk, wk->sp->size > BLOCK_BYTES ? BLOCK_BYTES : wk->sp->size + 64);
}

/* Parses part k from start (a line start; nominal: the part's nominal start,
 * and the part begins at the first line start from there) in state st, its
 * lines counted on from line0 (nominal: from 0, numbered again when it is
 * applied). */
static void parse_part(worker *wk, size_t k, uint64_t start, bool nominal, read_state st,
                       long line0)
{
    split *sp = wk->sp;
    ingest_ctx *w = &wk->w;
    block *b = w->blk;
    b->len = b->tlen = b->nrows = 0;
    b->status = NG_OK;
    b->fatal_msg = 0;
    b->fatal_line = 0;
    b->last = false;
    wk->k = k;
    wk->at_end = false;
    wk->entry = st;
    w->enc = st.enc;
    w->enc_failed = st.failed;
    w->rec_open = false;
    w->pre = 0;
    w->lines_in_text = false;
    w->eof = false;
    w->pos = 0;
    wk->origin = wk->src = nominal ? start - 1 : start;
    if (!w->csv_ready || csv_reset(w) != NG_OK) {
        worker_stop(wk, NG_ERR_NOMEM, 0, 0, NULL);
        return;
    }
    /* the part and a little more, so that its last line is there too */
    size_t chunk = sp->size + (sp->size >> 3) + 64;
    if (!worker_read(wk, chunk))
        return;
    /* from the byte before the nominal start: the first line start at or
     * after it */
    while (nominal) {
        char *nl = memchr(b->buf + w->pos, w->eol, b->len - w->pos);
        if (nl) {
            w->pos = (size_t)(nl - b->buf) + 1;
            break;
        }
        w->pos = b->len;
        if (w->eof || !worker_read(wk, chunk))
            break;
    }
    wk->start = wk->origin + w->pos;
    b->fresh = w->pos;
    wk->line0 = w->line = nominal ? 0 : line0;
    uint64_t limit = sp->first + (uint64_t)(k + 1) * sp->size;
    while (b->status == NG_OK && !wk->at_end && worker_line(wk, limit))
        ;
    wk->end = wk->origin + w->pos;
    b->len = w->pos; /* what was read beyond the part is not the part's */
    b->last = wk->at_end && b->status == NG_OK;
}

/* The lines of the part wk holds, counted on from line0 instead: its rows,
 * their errors of the file and why its reading stopped (0: no line). */
static void renumber_part(worker *wk, long line0)
{
    long d = line0 - wk->line0;
    block *b = wk->w.blk;
    for (size_t i = 0; i < b->nrows; i++) {
        b->rows[i].line += d;
        if (b->rows[i].pre)
            b->rows[i].pre_line += d;
    }
    if (b->fatal_line)
        b->fatal_line += d;
    wk->w.line += d;
    wk->line0 = line0;
}

/* Applies the part wk holds (the turn is wk's): numbered again when only its
 * line numbers were a guess, parsed again first when the rest was wrong (or
 * a message names a line in its text). Returns what the applier made of it;
 * *more: a part follows. */
static ng_status apply_part(worker *wk, bool *more)
{
    split *sp = wk->sp;
    ingest_ctx *x = sp->x;
    bool same_start = wk->start == sp->end && wk->entry.enc == sp->state.enc &&
                      wk->entry.failed == sp->state.failed;
    if (same_start && wk->line0 != sp->line && !wk->w.lines_in_text) {
        renumber_part(wk, sp->line);
        sp->renumbered++;
    } else if (!same_start || wk->line0 != sp->line) {
        parse_part(wk, wk->k, sp->end, false, sp->state, sp->line);
        sp->reparsed++;
    }
    const block *b = wk->w.blk;
    ng_status st = apply_block(x, b);
    x->rows_seen = x->rec->rows_read;
    sp->end = wk->end;
    sp->line = wk->w.line;
    sp->state = (read_state){wk->w.enc, wk->w.enc_failed};
    sp->parts++;
    if (x->opt->progress && (sp->end >= x->next_progress || b->last)) {
        x->opt->progress(x->opt->progress_ctx, sp->end, x->bytes_total, x->rows_seen);
        x->next_progress = sp->end + PROGRESS_STEP;
    }
    *more = st == NG_OK && !b->last && b->status == NG_OK;
    return st;
}

/* A worker's parts: k = id, id + workers, ... until the end or a stop. */
static void work_parts(worker *wk, size_t id)
{
    split *sp = wk->sp;
    for (size_t k = id;; k += (size_t)sp->workers) {
        pthread_mutex_lock(&sp->mu);
        read_state guess = sp->latest;
        bool stop = sp->stop;
        pthread_mutex_unlock(&sp->mu);
        if (stop)
            return;
        if (k == 0)
            parse_part(wk, 0, sp->first, false, guess, sp->x->line);
        else
            parse_part(wk, k, sp->first + (uint64_t)k * sp->size, true, guess, 0);
        pthread_mutex_lock(&sp->mu);
        while (sp->turn != k && !sp->stop)
            pthread_cond_wait(&sp->cv, &sp->mu);
        stop = sp->stop;
        pthread_mutex_unlock(&sp->mu);
        if (stop)
            return;
        bool more;
        ng_status st = apply_part(wk, &more);
        pthread_mutex_lock(&sp->mu);
        sp->turn++;
        sp->latest = sp->state;
        if (!more) {
            sp->stop = true;
            sp->st = st;
        }
        pthread_cond_broadcast(&sp->cv);
        pthread_mutex_unlock(&sp->mu);
        if (!more)
            return;
    }
}

static void *split_thread(void *arg)
{
    work_parts(arg, 1);
    return NULL;
}

/* A worker with a copy of the header reader's state (its tables are
 * shared, read only) and a parser and block of its own. */
static ng_status worker_init(worker *wk, split *sp)
{
    memset(wk, 0, sizeof *wk);
    wk->sp = sp;
    ingest_ctx *w = &wk->w;
    *w = *sp->x;
    wk->rec = *sp->x->rec;
    w->rec = &wk->rec;
    memset(w->blocks, 0, sizeof w->blocks);
    w->blk = &w->blocks[0];
    w->blk_index = 0;
    w->csv_ready = false;
    w->threaded = false;
    w->fatal = NG_OK;
    return csv_setup(w);
}

static void worker_free(worker *wk)
{
    if (wk->w.csv_ready)
        csv_free(&wk->w.csv);
    block_free(&wk->w.blocks[0]);
}

/* Whether the rest of the file can be read split (see above). */
static bool can_split(const ingest_ctx *x)
{
    if (x->opt->file->decimal == NG_DECIMAL_AUTO || x->enc_auto || !x->eol_known || x->done)
        return false;
    if (x->blk_index != 0 || x->blocks[1].cap != 0)
        return false; /* the header reader is past its first block */
    return x->mem || x->bytes_total > 0;
}

/* The rest of the file (after the header), split, on two threads (or one
 * when no second can be started). */
static ng_status read_split(ingest_ctx *x)
{
    split sp = {.x = x,
                .first = x->pos,
                .total = x->mem ? x->mem_len : x->bytes_total,
                .size = x->opt->read_chunk ? x->opt->read_chunk : SPLIT_BYTES,
                .workers = 2};
    sp.state = sp.latest = (read_state){x->enc, x->enc_failed};
    sp.end = sp.first;
    sp.line = x->line;
    /* the header's bytes: into the hash before the parts' */
    if (x->sha) {
        ng_sha256_update(x->sha, x->blk->buf, x->pos);
        x->hashed += x->pos;
    }
    block_free(x->blk); /* the header's block: the parts have their own */
    worker wk[2];
    ng_status st = worker_init(&wk[0], &sp);
    if (st == NG_OK)
        st = worker_init(&wk[1], &sp);
    if (st != NG_OK || pthread_mutex_init(&sp.mu, NULL) != 0) {
        worker_free(&wk[0]);
        worker_free(&wk[1]);
        return st != NG_OK ? st : NG_ERR_NOMEM;
    }
    pthread_cond_init(&sp.cv, NULL);
    pthread_t tid;
    bool two = pthread_create(&tid, NULL, split_thread, &wk[1]) == 0;
    if (!two)
        sp.workers = 1;
    work_parts(&wk[0], 0);
    if (two)
        pthread_join(tid, NULL);
    pthread_cond_destroy(&sp.cv);
    pthread_mutex_destroy(&sp.mu);
    worker_free(&wk[0]);
    worker_free(&wk[1]);
    x->enc = sp.state.enc;
    x->enc_failed = sp.state.failed;
    x->rec->split_parts = sp.parts;
    x->rec->split_renumbered = sp.renumbered;
    x->rec->split_reparsed = sp.reparsed;
    x->done = true;
    return sp.st;
}
/* ---- setup and the entry points ------------------------------------------- */

static ng_status setup_omraader(ingest_ctx *x)
{
    for (int o = 0; o < NG_OMR_COUNT; o++) {
        int k = 0;
        const char *const *map = x->opt->omraade_map ? x->opt->omraade_map[o] : NULL;
        bool configured = map && map[0];
        for (int i = 0; i < MAX_OMR_NAMES; i++) {
            const char *name = configured ? map[i] : (i < 3 ? default_omraade[o][i] : NULL);
            if (!name)
                break;
            x->omr_name[o][k] = folded_copy(name);
            if (!x->omr_name[o][k])
                return NG_ERR_NOMEM;
            k++;
        }
    }
    return NG_OK;
}

/* [leverandoertyper]: a type without configured values means itself. */
static ng_status setup_leverandoertyper(ingest_ctx *x)
{
    for (int t = 0; t < 3; t++) {
        const char *const *map =
            x->opt->leverandoertype_map ? x->opt->leverandoertype_map[t] : NULL;
        bool configured = map && map[0];
        for (int i = 0; i < MAX_OMR_NAMES; i++) {
            const char *name = configured ? map[i] : (i == 0 ? leverandoer_types[t] : NULL);
            if (!name)
                break;
            if (!(x->lev_name[t][i] = folded_copy(name)))
                return NG_ERR_NOMEM;
        }
    }
    return NG_OK;
}

static void ctx_free(ingest_ctx *x)
{
    if (x->csv_ready)
        csv_free(&x->csv);
    for (int o = 0; o < NG_OMR_COUNT; o++)
        for (int k = 0; k < MAX_OMR_NAMES; k++)
            free(x->omr_name[o][k]);
    for (int t = 0; t < 3; t++)
        for (int k = 0; k < MAX_OMR_NAMES; k++)
            free(x->lev_name[t][k]);
    if (x->header_names)
        for (int i = 0; i < x->ncols; i++)
            free(x->header_names[i]);
    free(x->header_names);
    free(x->header_raw);
    free(x->colmap);
    free(x->hoff);
    for (int i = 0; i < NBLOCKS; i++)
        block_free(&x->blocks[i]);
    free(x->last_id);
    ng_sha256_free(x->sha);
    side_map_free(&x->side);
    str_set_free(&x->ids);
    str_set_free(&x->values);
    free(x->vcases);
    free(x->fname_masked);
    if (x->rej)
        fclose(x->rej);
}

/* Checks rows read = used + rejected, to the row and to the øre. */
static ng_status check_reconciliation(const ingest_ctx *x)
{
    const ng_reconciliation *r = x->rec;
    if (r->rows_read == r->rows_used + r->rows_rejected &&
        r->oere_read == r->oere_used + r->oere_rejected)
        return NG_OK;
    ng_error(x->diags, x->fname, 0, 0,
             "intern fejl: afstemningen går ikke op (rækker %ld = %ld + %ld; øre %lld = %lld + "
             "%lld)",
             r->rows_read, r->rows_used, r->rows_rejected, (long long)r->oere_read,
             (long long)r->oere_used, (long long)r->oere_rejected);
    return NG_ERR_INTERNAL;
}

/* UTF-16: a byte-order mark FF FE or FE FF, or (without one) a NUL in every
 * other byte of the file's start, as UTF-16 text of Latin letters has. */
static bool looks_utf16(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return true;
    size_t n = len < 512 ? len & ~(size_t)1 : 512;
    size_t zeros[2] = {0, 0};
    for (size_t i = 0; i < n; i++)
        zeros[i & 1] += u[i] == 0;
    /* three quarters of one half of the bytes NUL, none of the other */
    return n >= 4 &&
           ((zeros[1] * 8 >= n * 3 && zeros[0] == 0) || (zeros[0] * 8 >= n * 3 && zeros[1] == 0));
}

/* The encoding the reading begins with (ingest.h): a BOM means UTF-8;
 * tegnsaet = auto decides at the first byte >= 0x80 (judge_encoding). */
static void start_encoding(ingest_ctx *x)
{
    ng_encoding want = x->opt->file->encoding;
    if (x->rec->had_bom && want == NG_ENC_CP1252)
        ng_warning(x->diags, x->fname, 0, 0,
                   "filen begynder med et UTF-8-BOM og læses derfor som UTF-8, "
                   "selv om tegnsaet = windows-1252");
    x->enc_auto = want == NG_ENC_AUTO;
    if (x->rec->had_bom || want == NG_ENC_UTF8)
        x->enc = ENC_UTF8;
    else
        x->enc = want == NG_ENC_CP1252 ? ENC_CP1252 : ENC_ASCII;
}

static ng_status ingest(ingest_ctx *x)
{
    ng_status st = setup_omraader(x);
    if (st == NG_OK)
        st = setup_leverandoertyper(x);
    if (st == NG_OK)
        st = csv_setup(x);
    if (st != NG_OK)
        return st;
    if (x->opt->sha256 && !(x->sha = ng_sha256_new()))
        return NG_ERR_NOMEM;
    x->read_chunk = x->opt->read_chunk ? x->opt->read_chunk : BLOCK_BYTES;
    if (x->read_chunk < 64)
        x->read_chunk = 64;
    x->blk = &x->blocks[0];
    /* the first block holds the file's first READ_CHUNK bytes, whatever the
     * block size: a UTF-16 file is told from them */
    st = fill_block(x, x->mem && x->opt->read_chunk ? x->read_chunk : READ_CHUNK);
    if (st != NG_OK)
        return st;
    const char *head = x->mem ? x->mem : x->blk->buf;
    size_t nhead = x->mem ? x->mem_len : x->blk->len;
    if (looks_utf16(head, nhead)) {
        ng_error(x->diags, x->fname, 1, 0,
                 "filen er gemt som UTF-16; gem den som UTF-8 eller Windows-1252");
        return NG_ERR_INPUT;
    }
    if (nhead >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3)) {
        x->rec->had_bom = true;
        x->pos = 3;
    }
    start_encoding(x);
    /* the header on this thread (it may write diagnostics), the rest on two
     * when they are wanted */
    st = read_lines(x, true);
    if (st == NG_OK && !x->done)
        st = !want_two_threads(x) ? read_lines(x, false)
             : can_split(x)       ? read_split(x)
                                  : read_two_threads(x);
    if (st != NG_OK)
        return st;
    if (x->sha && x->read_whole) {
        ng_sha256_final(x->sha, x->rec->sha256);
        x->rec->bytes = (long long)x->hashed;
        x->rec->has_sha256 = true;
    }
    if (!x->have_header) {
        ng_error(x->diags, x->fname, 0, 0,
                 "filen er tom (der er ingen overskrift og ingen rækker)");
        return NG_ERR_INPUT;
    }
    if (x->rec->rows_read == 0) {
        ng_error(x->diags, x->fname, 0, 0, "filen har en overskrift, men ingen rækker");
        return NG_ERR_INPUT;
    }
    if (x->rec->rows_used == 0) {
        ng_error(x->diags, x->fname, 0, 0, "ingen af filens %ld rækker kan bruges",
                 x->rec->rows_read);
        return NG_ERR_INPUT;
    }
    return NG_OK;
}

static ng_status ingest_run(ingest_ctx *x)
{
    ng_status st = ingest(x);
    if (x->too_heavy)
        return st; /* read again in full (ingest_source); nothing to finish */
    snprintf(x->rec->encoding_used, sizeof x->rec->encoding_used, "%s", enc_name(x->enc));
    ng_status rst = rejects_close(x);
    if (x->cases) {
        ng_cases_finish(x->cases);
        x->rec->cases = ng_cases_count(x->cases);
    } else {
        x->rec->cases = x->ids.count;
    }
    if (st == NG_ERR_NOMEM || st == NG_ERR_IO)
        return st;
    ng_status cst = check_reconciliation(x);
    if (cst != NG_OK)
        return cst;
    if (st == NG_OK && x->enc_failed)
        st = NG_ERR_INPUT; /* the file is not in one encoding: no row is read as it was meant */
    if (st == NG_OK && x->rec->rows_rejected > 0 && x->opt->afvis == NG_REJECT_FILE) {
        ng_error(x->diags, x->fname, 0, 0,
                 "%ld rækker er afvist, og afvis = fil: hele filen afvises (ret rækkerne, eller "
                 "sæt afvis = raekke for at bruge resten)",
                 x->rec->rows_rejected);
        st = NG_ERR_INPUT;
    }
    if (st == NG_OK)
        st = rst;
    if (x->cpr_rows > 0 && (st == NG_OK || st == NG_ERR_INPUT)) {
        ng_error(x->diags, x->fname, 0, 0,
                 "%ld %s et CPR-nummer i en kolonne, som notatgen bruger (den første i linje %ld): "
                 "kørslen stopper, uanset afvis; giv sagerne pseudonyme nøgler",
                 x->cpr_rows, x->cpr_rows == 1 ? "række har" : "rækker har", x->cpr_first_line);
        st = NG_ERR_PRIVACY;
    }
    return st;
}

static void ctx_init(ingest_ctx *x, const ng_ingest_options *opt, ng_cases *cases,
                     ng_reconciliation *rec, ng_diags *diags)
{
    memset(x, 0, sizeof *x);
    memset(rec, 0, sizeof *rec);
    x->opt = opt;
    /* a CPR number in the file's name is masked like a value, in every
     * message */
    x->fname_masked = opt->file->path ? ng_mask_cpr(opt->file->path) : NULL;
    x->fname = x->fname_masked ? x->fname_masked : "udtræk";
    x->delim = opt->file->delimiter ? opt->file->delimiter : ';';
    x->cases = cases;
    x->rec = rec;
    x->diags = diags;
    x->fd = -1;
    x->rejects_path = opt->rejects_path;
    x->max_cases = opt->max_cases ? opt->max_cases : NG_MAX_CASES;
    snprintf(rec->encoding_used, sizeof rec->encoding_used, "utf-8");
}

/* Where the diagnostics list stood, to undo what a reading added. */
typedef struct {
    size_t count, dropped, errors, warnings;
} diags_mark;

static diags_mark diags_mark_take(const ng_diags *d)
{
    return (diags_mark){d->count, d->dropped, d->errors, d->warnings};
}

/* Removes what was added since m (diag.h: each item owns its file and
 * message). */
static void diags_rewind(ng_diags *d, const diags_mark *m)
{
    for (size_t i = m->count; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].message);
    }
    d->count = m->count;
    d->dropped = m->dropped;
    d->errors = m->errors;
    d->warnings = m->warnings;
}

/* One reading of a file (fd >= 0) or of memory. */
static ng_status ingest_once(const ng_ingest_options *opt, int fd, const char *mem, size_t len,
                             ng_cases *cases, bool validate, ng_reconciliation *rec,
                             ng_diags *diags, bool *too_heavy)
{
    ingest_ctx x;
    ctx_init(&x, opt, cases, rec, diags);
    x.fd = fd;
    struct stat sb;
    if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
        x.bytes_total = (uint64_t)sb.st_size;
        rec->file_dev = (unsigned long long)sb.st_dev;
        rec->file_ino = (unsigned long long)sb.st_ino;
        rec->file_mtime_sec = (long long)sb.st_mtim.tv_sec;
        rec->file_mtime_nsec = (long long)sb.st_mtim.tv_nsec;
    }
    x.mem = mem;
    x.mem_len = len;
    x.validate = validate;
    ng_status st = ingest_run(&x);
    *too_heavy = x.too_heavy;
    ctx_free(&x);
#if defined(__GLIBC__)
    /* the blocks were freed, partly in the reader thread's own malloc arena:
     * give those pages back before the cases' next consumers allocate */
    malloc_trim(0);
#endif
    return st;
}

/* "what: strerror(err)" about the file at path, its name masked. */
static void file_error(ng_diags *diags, const char *path, const char *what, int err)
{
    char *name = ng_mask_cpr(path);
    ng_error(diags, name ? name : "udtræk", 0, 0, "%s: %s", what, strerror(err));
    free(name);
}

/* Reads the source; in validation mode, when a case's money might overflow
 * (see use_line_validate), undoes that reading and reads it again in full,
 * into cases of its own, so the outcome is always a full reading's. */
static ng_status ingest_source(const ng_ingest_options *opt, int fd, const char *mem, size_t len,
                               ng_cases *cases, ng_reconciliation *rec, ng_diags *diags)
{
    bool validate = opt->validate_only || !cases, too_heavy;
    diags_mark mark = diags_mark_take(diags);
    ng_status st =
        ingest_once(opt, fd, mem, len, validate ? NULL : cases, validate, rec, diags, &too_heavy);
    if (!too_heavy)
        return st;
    diags_rewind(diags, &mark);
    if (fd >= 0 && lseek(fd, 0, SEEK_SET) != 0) {
        memset(rec, 0, sizeof *rec);
        file_error(diags, opt->file->path, "kan ikke læse filen igen", errno);
        return NG_ERR_IO;
    }
    ng_cases *full = ng_cases_new();
    if (!full)
        return NG_ERR_NOMEM;
    st = ingest_once(opt, fd, mem, len, full, false, rec, diags, &too_heavy);
    ng_cases_free(full);
    return st;
}

ng_status ng_ingest_extract(const ng_ingest_options *opt, ng_cases *cases, ng_reconciliation *rec,
                            ng_diags *diags)
{
    memset(rec, 0, sizeof *rec);
    snprintf(rec->encoding_used, sizeof rec->encoding_used, "utf-8");
    if (!opt->file->path) {
        ng_error(diags, NULL, 0, 0, "udtrækket har ingen fil (sæt [udtraek] fil)");
        return NG_ERR_CONFIG;
    }
    int fd = open(opt->file->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        file_error(diags, opt->file->path, "kan ikke åbne filen", errno);
        return NG_ERR_IO;
    }
    ng_status st = ingest_source(opt, fd, NULL, 0, cases, rec, diags);
    close(fd);
    return st;
}

ng_status ng_ingest_extract_mem(const ng_ingest_options *opt, const char *data, size_t len,
                                ng_cases *cases, ng_reconciliation *rec, ng_diags *diags)
{
    return ingest_source(opt, -1, data ? data : "", data ? len : 0, cases, rec, diags);
}

/* ---- the reconciliation, in Danish ------------------------------------------ */

/* øre -> "1.234.567,89" exactly (no rounding through a double's fraction). */
static char *fmt_oere(char *buf, size_t size, int64_t oere)
{
    bool neg = oere < 0;
    uint64_t abs = neg ? (uint64_t)0 - (uint64_t)oere : (uint64_t)oere;
    char kr[40];
    ng_fmt_int(kr, sizeof kr, (double)(abs / 100));
    snprintf(buf, size, "%s%s,%02u", neg ? "-" : "", kr, (unsigned)(abs % 100));
    return buf;
}

void ng_reconciliation_print(const ng_reconciliation *rec, const char *path, FILE *out)
{
    char a[32], b[32], c[32], d[48], e[48], f[48];
    char *masked = ng_mask_cpr(path); /* a file name is masked like a value */
    const char *file = masked ? masked : "udtræk";
    fprintf(out,
            "%s: rækker læst %s = brugt %s + afvist %s; beløb læst %s kr. = brugt %s kr. + "
            "afvist %s kr.\n",
            file, ng_fmt_int(a, sizeof a, (double)rec->rows_read),
            ng_fmt_int(b, sizeof b, (double)rec->rows_used),
            ng_fmt_int(c, sizeof c, (double)rec->rows_rejected),
            fmt_oere(d, sizeof d, rec->oere_read), fmt_oere(e, sizeof e, rec->oere_used),
            fmt_oere(f, sizeof f, rec->oere_rejected));
    fprintf(out, "%s: tegnsæt %s%s; sager med modstridende oplysninger: %s\n", file,
            rec->encoding_used, rec->had_bom ? " med BOM" : "",
            ng_fmt_int(a, sizeof a, (double)rec->attribute_conflicts));
    free(masked);
}

/* ---- the configured extract (check and run) --------------------------------- */

char *ng_rejects_path(const char *dir, const char *extract_path)
{
    const char *slash = strrchr(extract_path, '/');
    /* a CPR number in the extract's name never names a file of the outputs */
    char *base = ng_mask_cpr(slash ? slash + 1 : extract_path);
    if (!base)
        return NULL;
    size_t size = strlen(dir) + strlen(base) + sizeof "/afviste_";
    char *path = malloc(size);
    if (path)
        snprintf(path, size, "%s/afviste_%s", dir, base);
    free(base);
    return path;
}

/* mkdir -p with mode 0700 for every directory it creates. */
static ng_status make_dirs(const char *dir, ng_diags *diags)
{
    if (!*dir)
        return NG_OK; /* "" is the current directory */
    char *path = strdup(dir);
    if (!path)
        return NG_ERR_NOMEM;
    ng_status st = NG_OK;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            ng_error(diags, path, 0, 0, "kan ikke oprette mappen: %s", strerror(errno));
            st = NG_ERR_IO;
            break;
        }
        *p = c;
        if (c == '\0')
            break;
    }
    free(path);
    return st;
}

ng_status ng_load_extract(const ng_udtraek_options *o, const char *override_path,
                          const char *rejects_dir, ng_cases *cases, ng_reconciliation *rec,
                          ng_diags *diags)
{
    memset(rec, 0, sizeof *rec);
    ng_input_file file = o->file;
    if (override_path)
        file.path = (char *)override_path;
    char *rejects = NULL;
    ng_status st = NG_OK;
    if (rejects_dir) {
        st = make_dirs(rejects_dir, diags);
        if (st != NG_OK)
            return st;
        if (file.path && !(rejects = ng_rejects_path(rejects_dir, file.path)))
            return NG_ERR_NOMEM;
    }
    ng_progress_state progress = {0};
    ng_ingest_options opt = {
        .file = &file,
        .columns = o->kolonner,
        .afvis = o->afvis,
        .rejects_path = rejects,
        .omraade_map = (const char *const(*)[8])o->omraader,
        .leverandoertype_map = (const char *const(*)[8])o->leverandoertyper,
        .validate_only = !cases,
        .progress = ng_progress_tty,
        .progress_ctx = &progress,
        .sha256 = cases != NULL, /* run: the manifest takes the hash from the reading */
    };
    st = ng_ingest_extract(&opt, cases, rec, diags);
    free(rejects);
    return st;
}

/* ---- progress on a terminal ---------------------------------------------- */

static double monotonic_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

void ng_progress_tty(void *ctx, uint64_t bytes_done, uint64_t bytes_total, long rows)
{
    ng_progress_state *state = ctx;
    /* only a person at a terminal sees it, and only for a large file */
    if (!state || bytes_total < (64u << 20) || !isatty(STDERR_FILENO))
        return;
    double now = monotonic_seconds();
    if (!state->started) {
        state->started = true;
        state->start_seconds = now;
        state->start_rows = rows;
        return;
    }
    double elapsed = now - state->start_seconds;
    char nrows[32], rate[32], pct[32];
    ng_fmt_int(nrows, sizeof nrows, (double)rows);
    ng_fmt_int(rate, sizeof rate, elapsed > 0 ? (double)(rows - state->start_rows) / elapsed : 0);
    ng_fmt_int(pct, sizeof pct, 100.0 * (double)bytes_done / (double)bytes_total);
    fprintf(stderr, "\rlæst %s %% \xE2\x80\x93 %s rækker, %s rækker/s   ", pct, nrows, rate);
    if (bytes_done >= bytes_total)
        fputc('\n', stderr);
    fflush(stderr);
}
