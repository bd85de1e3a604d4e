/*
 * ingest.h -- the cost extract: CSV in, cases out.
 *
 * Streaming with libcsv: the file is never held, only the cases. Encoding is
 * converted to UTF-8 at the edge. Every row is accounted for:
 *
 *   rows read = rows used + rows rejected
 *   kr. read  = kr. used + kr. rejected   (over rows whose amount parsed)
 *
 * Each bad row gives one diagnostic FILE:LINE:COLUMN: reason: 'value' and is
 * copied (raw bytes, with its line number; CPR-like values masked) to the
 * rejects file.
 *
 * Money: a case's month holds 12 x the month's net spend in øre ("twelfths"),
 * so that a yearly line spread evenly over twelve months stays exact
 * (it adds its amount to each of the twelve), and a dated line adds 12 x its
 * amount to its month. sum(m12) / 12 is the year's spend in øre exactly.
 */
#ifndef NOTATGEN_INGEST_H
#define NOTATGEN_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/status.h"

/* Logical fields of the cost extract; [kolonner] maps each to a header. */
typedef enum {
    NG_F_SAG_ID,
    NG_F_AAR,
    NG_F_MAANED,
    NG_F_DATO,
    NG_F_BELOEB,
    NG_F_OMRAADE,
    NG_F_FOEDSELSAAR,
    NG_F_FOEDSELSDATO, /* optional: birth month for the 67+ rule */
    NG_F_FOER67,
    NG_F_HUSSTAND,
    NG_F_ENGANGSUDGIFT,
    NG_F_MAALGRUPPE,
    NG_F_LEVERANDOERTYPE,
    NG_F_TILBUD,
    NG_F_PARAGRAF,
    NG_F_KOMMUNE,
    NG_F_COUNT
} ng_field;

/* The logical name of a field ("sag_id", ...), its default column header. */
const char *ng_field_name(ng_field f);
bool ng_field_required(ng_field f);

typedef enum { NG_OMR_VOKSEN = 0, NG_OMR_BOERN = 1, NG_OMR_AELDRE = 2, NG_OMR_COUNT } ng_omraade;
typedef enum { NG_UNKNOWN = 0, NG_YES = 1, NG_NO = 2 } ng_tristate;

const char *ng_omraade_key(ng_omraade o);   /* "voksen", "boern", "aeldre" */
const char *ng_omraade_label(ng_omraade o); /* "Voksen", "Børn og unge", "Ældre" */

typedef struct {
    int aar;
    int64_t m12[12]; /* 12 x net spend of each month, øre */
} ng_sag_year;

typedef struct {
    const char *sag_id; /* pseudonymous key, owned by the store */
    /* String attributes, NULL when absent: interned by the store (equal
     * strings share one copy), set with ng_cases_set_string. */
    const char *husstand;
    const char *maalgruppe;
    const char *leverandoertype;
    const char *kommune;
    ng_sag_year *years; /* sorted by aar; the first year lives inside the record */
    long first_line;    /* line of the case's first row, for messages */
    uint8_t nyears;     /* years are 1900..2100 (the ingest checks them) */
    int16_t foedselsaar;
    uint8_t omraade;        /* ng_omraade */
    uint8_t foer67;         /* ng_tristate */
    uint8_t foedselsmaaned; /* 1..12, 0 when unknown */
    uint8_t store_flags;    /* the case store's own; never touched by others */
} ng_sag;

/* The case store: an open-addressing hash of ng_sag by sag_id. A record holds
 * the case, its first year's months and (through sag_id) its key, so a row
 * that finds its case touches the slot and the record and nothing else.
 * Keys and interned strings live in arenas of the store: no allocation per
 * case. */
typedef struct ng_cases ng_cases; /* opaque */

ng_cases *ng_cases_new(void);
void ng_cases_free(ng_cases *c);
size_t ng_cases_count(const ng_cases *c);
/* The i-th case in a stable order (sorted by sag_id after ng_cases_finish). */
const ng_sag *ng_cases_at(const ng_cases *c, size_t i);
const ng_sag *ng_cases_find(const ng_cases *c, const char *sag_id);
/* Building cases (used by the ingest and by tests): returns the case with
 * sag_id, creating it with zeroed attributes when new (NULL on out of
 * memory). The pointer is valid until the next ng_cases_get_or_add. */
ng_sag *ng_cases_get_or_add(ng_cases *c, const char *sag_id);
/* The same with the key's hash known (ng_cases_hash), and a prefetch of what
 * a later lookup of that hash will touch (stage 0: its slot; 1: its record
 * and key, once the slot is in the cache; 2: nothing more, kept for callers
 * that fetch in three stages): the ingest applies a block of rows at a time
 * and fetches a few rows ahead. */
uint64_t ng_cases_hash(const char *sag_id);
ng_sag *ng_cases_get_or_add_hashed(ng_cases *c, const char *sag_id, uint64_t hash);
void ng_cases_prefetch(const ng_cases *c, uint64_t hash, int stage);
/* Returns the case's record for aar, creating it zeroed (NULL on OOM). The
 * pointer is valid until the next ng_cases_get_or_add or
 * ng_sag_year_get_or_add. */
ng_sag_year *ng_sag_year_get_or_add(ng_sag *s, int aar);
/* Sorts the cases by sag_id so that ng_cases_at gives a stable order. After
 * it, ng_cases_find is a binary search and ng_cases_get_or_add must not be
 * called. */
void ng_cases_finish(ng_cases *c);
/* The store's copy of s: equal strings give the same pointer, valid until
 * ng_cases_free. NULL on out of memory. */
const char *ng_cases_intern(ng_cases *c, const char *s);
/* Sets a string attribute of a case of c to the interned value (NULL: none). */
ng_status ng_cases_set_string(ng_cases *c, const char **field, const char *value);

/* The year's spend of a case in øre (sum(m12)/12), 0 when it has no such year. */
int64_t ng_sag_year_spend(const ng_sag *s, int aar);
const ng_sag_year *ng_sag_year_get(const ng_sag *s, int aar);

typedef struct {
    long rows_read, rows_used, rows_rejected;
    int64_t oere_read, oere_used, oere_rejected; /* over rows whose amount parsed */
    long attribute_conflicts;                    /* cases whose attributes disagree */
    size_t cases;                                /* distinct cases among the used rows */
    char encoding_used[16];                      /* "utf-8", "windows-1252" */
    bool had_bom;
    /* With ng_ingest_options.sha256: the SHA-256 (hex) and size of the bytes
     * read, when the whole file was read (has_sha256), for the manifest. */
    bool has_sha256;
    char sha256[65];
    long long bytes;
    /* the file hashed (st_dev, st_ino, st_mtim), so that the manifest can
     * tell it is still the same file */
    unsigned long long file_dev, file_ino;
    long long file_mtime_sec, file_mtime_nsec;
    ng_notation beloeb_notation; /* what the amounts said of their notation (dk.h) */
    /* Two threads: the parts the file was read in (0: not split), how many
     * of them had their lines numbered again when applied (a part's line
     * numbers are known only then) and how many were parsed again (a cut
     * inside a quoted line break, an encoding switch, a message that names a
     * line); for tests and the benchmark. */
    long split_parts, split_renumbered, split_reparsed;
} ng_reconciliation;

typedef struct {
    const ng_input_file *file; /* the extract and its format */
    char *const *columns;      /* NG_F_COUNT header names (config kolonner); a NULL
                                * entry or NULL array means the field's key name */
    ng_reject_policy afvis;
    const char *rejects_path; /* where rejected rows go; NULL = nowhere */
    /* [omraader]: per ng_omraade up to 8 values (NULL-terminated) that mean
     * it, compared trimmed and case-insensitively. NULL, or a row whose
     * first entry is NULL, means the defaults: voksen / boern, børn /
     * aeldre, ældre. Pass (const char *const (*)[8])opt->omraader. */
    const char *const (*omraade_map)[8];
    /* [leverandoertyper]: per type (kommunal, regional, privat) up to 8
     * values (NULL-terminated) that mean it, compared trimmed and
     * case-insensitively; a case keeps the type. NULL, or a row whose first
     * entry is NULL, means the type's own name. Any other value is a bad
     * row. Pass (const char *const (*)[8])opt->leverandoertyper. */
    const char *const (*leverandoertype_map)[8];
    /* Validation only (`check`): every row is parsed and checked exactly as
     * in a full reading -- the same diagnostics, rejects file and
     * reconciliation, rec->cases included -- but no money is kept, and per
     * case only its key and attributes (some 70 bytes), so memory stays
     * small on a 10^7-row extract. The cases argument is then left empty and
     * may be NULL (a NULL cases always means this mode). */
    bool validate_only;
    /* Progress, for a caller that shows it (a line on a terminal, never under
     * cron): called about every 16 MiB read with the bytes read so far, the
     * file's size (0 when unknown) and the rows read. NULL = none. */
    void (*progress)(void *ctx, uint64_t bytes_done, uint64_t bytes_total, long rows);
    void *progress_ctx;
    /* Threads: 1 = one; 2 = two: the file after the header read in parts of
     * about 128 KiB (read_chunk bytes when set), parsed on both threads, each
     * part applied in file order (the outcome is the same to the byte); when
     * it cannot be split (decimaltegn or tegnsaet = auto, not a regular
     * file) the
     * reading and parsing on a second thread, the rest on the caller's. 0 =
     * two for a file of 8 MiB or more when the machine has two cores. */
    int threads;
    /* Hash the bytes while they are read: rec->sha256 (the manifest's). */
    bool sha256;
    /* For tests: every line through libcsv (no plain-line split), and the
     * bytes read for each block (0 = 256 KiB; a file's first block is still
     * 1 MiB). */
    bool libcsv_only;
    size_t read_chunk;
    /* The most cases an extract may have (0: NG_MAX_CASES). A row with one
     * case more is a bad row and the reading stops (NG_ERR_INPUT). */
    size_t max_cases;
} ng_ingest_options;

/* Far more cases than any municipality's (or the whole country's) extract
 * of expensive cases has; what they take stays bounded (some 250 bytes a
 * case in a full reading, 70 in `check`). */
#define NG_MAX_CASES ((size_t)5000000)

/* Reads the extract into cases. Returns NG_OK when every row was used or
 * (afvis = raekke) the bad rows were rejected; NG_ERR_INPUT when the file as
 * a whole is unusable or (afvis = fil) any row was bad; NG_ERR_IO when it
 * cannot be read. rec is filled in in every case.
 *
 * The file: a header row (blank lines are skipped; a UTF-8 BOM is removed),
 * then one row per cost line with exactly as many fields as the header.
 * Columns that no logical field maps to are ignored and never stored.
 * Lines end in LF or CRLF, or -- when the file's first line end is a CR
 * not followed by LF -- in CR alone (a file saved by an old Mac); the other
 * byte inside a field is then a control character (a bad row).
 *
 * Encoding (tegnsaet = auto): the whole file must be in one encoding. Valid
 * UTF-8 throughout (or pure ASCII) is UTF-8; no valid multi-byte UTF-8
 * character at all, and only bytes Windows-1252 defines, is Windows-1252.
 * Anything else -- UTF-8 characters and bytes that are not UTF-8 in one
 * file, or a byte neither defines (0x81, 0x8D, 0x8F, 0x90, 0x9D) -- is one
 * error, "blandet tegnsæt: byte 0xE6 er ikke UTF-8 ...", at the first byte
 * that is not UTF-8 (its line, column and value), and the file is rejected
 * as a whole, whatever afvis says. A UTF-8 BOM counts as a UTF-8 character.
 *
 * It is decided in one pass, no row held back and nothing read twice: the
 * first line with a byte >= 0x80 decides (a UTF-8 character -> UTF-8, else
 * Windows-1252; the lines before are ASCII and read the same either way),
 * and every later line is checked against the decision. A contradiction
 * makes the file mixed; its error names the first byte that is not UTF-8 --
 * the one that contradicts a UTF-8 decision, or (after a Windows-1252
 * decision) the remembered byte that made it, however many lines before the
 * UTF-8 character that proved the mix. The rows read before it were read
 * under the decision, and that is harmless: a rejected file publishes
 * nothing. Every byte of every line counts, in columns notatgen does not
 * use too. (The scan costs only lines that are not printable ASCII: the
 * reader's SSE2 pass over each line tells those.)
 *
 * tegnsaet = utf-8: a used field that is not UTF-8 is a bad row;
 * tegnsaet = windows-1252: every byte is read as Windows-1252 (its five
 * undefined bytes as U+FFFD). UTF-16 -- a byte-order mark FF FE or FE FF,
 * or a NUL in every other byte of the file's start -- is refused at line
 * 1. A NUL anywhere in a row makes it a bad row at its column (never a
 * shorter value).
 *
 * Characters no one sees: a used field (a key such as sag_id or husstand,
 * and every other) that holds a control character (TAB aside), a format
 * character (zero-width space or joiner, a BOM inside the file, direction
 * marks, a soft hyphen) or a space other than U+0020 (no-break space ...)
 * makes the row bad, at its column, naming the character ("U+200B,
 * nulbredde-mellemrum"). notatgen does not guess what such a value meant:
 * "S001" and "S001" with a zero-width space after it would be two cases.
 *
 * A quote that is not closed before the end of the file, or that a quote in
 * the wrong place in a later line ends, makes its record's first line a bad
 * row, and every later line it swallowed a bad row of its own (read alone,
 * split at every delimiter, for its amount), so every line is counted in
 * the reconciliation. A line or quoted record longer than 1 MiB (a 10 MB
 * field, a quote that never closes in a large file) stops the reading with a
 * message naming its line: the rest of the file is not read, and the file is
 * rejected. A field kept is at most 1.000 bytes long (a longer one is a bad
 * row).
 *
 * CPR numbers: a kept value that is no code from a list -- sag_id,
 * husstand, målgruppe, kommune -- and looks like a CPR number (privacy.h's
 * strict test, dk.h ng_find_cpr) makes its row bad, with a message that names
 * the line and the column and never the value, and the reading ends in
 * NG_ERR_PRIVACY (exit 1) whatever afvis says, after one error that counts
 * such rows: an extract must have pseudonymous keys. The file's name is
 * masked (ng_mask_cpr) in every message, and in the rejects file's name.
 *
 * The rejects file (opt->rejects_path) is written only when some row was
 * rejected (a stale one is removed otherwise), mode 0600, in the input's
 * own encoding, delimiter and line end: the header with a first column
 * "linje" prepended, then each rejected record as "LINE;<raw bytes>", so it
 * can be found in the original file, corrected and read again. Every
 * CPR-like value in it (the strict test), in any column, is written as
 * XXXXXX-XXXX. It is never opened through a symbolic link, nor written into
 * a file that is not a regular file of this user with one name: whoever can
 * write to the output folder could plant one (NG_ERR_IO, with a message).
 *
 * A case's attributes (område, fødselsår, foer67, husstand, målgruppe,
 * leverandørtype, kommune) come from its first row that has them; a later
 * row that disagrees gives one warning per case and attribute, counts in
 * rec->attribute_conflicts and is still used.
 *
 * cases is finished (ng_cases_finish) on return (unless validate_only). */
ng_status ng_ingest_extract(const ng_ingest_options *opt, ng_cases *cases, ng_reconciliation *rec,
                            ng_diags *diags);

/* The same, reading the extract from memory (tests, fuzzing); opt->file->path
 * only names the file in messages (may be NULL). */
ng_status ng_ingest_extract_mem(const ng_ingest_options *opt, const char *data, size_t len,
                                ng_cases *cases, ng_reconciliation *rec, ng_diags *diags);

/* The split the ingest uses instead of libcsv for a plain line (exposed for
 * the differential fuzz target tests/fuzz/fuzz_fields.c): a line (with its
 * line end) that holds no quote and no '\r' but in its line end is split at
 * every delim into fields with spaces and tabs trimmed at both ends, exactly
 * as libcsv (CSV_STRICT) splits it; field is called for each. Returns false,
 * having called nothing, for any other line. A blank line is no row to
 * libcsv: the ingest skips those before. */
bool ng_csv_split_plain(const char *line, size_t len, char delim,
                        void (*field)(void *s, size_t len, void *data), void *data);

/* The rejects file's path for an extract: DIR/afviste_<basename of extract>,
 * CPR-like values in the name masked (ng_mask_cpr). The caller frees; NULL
 * on out of memory. */
char *ng_rejects_path(const char *dir, const char *extract_path);

/* The extract module's options: [udtraek], [kolonner], [omraader],
 * [leverandoertyper]. */
typedef struct {
    ng_input_file file; /* fil, skilletegn, tegnsaet, enhed, decimaltegn */
    bool has_dato;
    ng_date dato; /* [udtraek] dato */
    ng_reject_policy afvis;
    int aar;                         /* the year the memos are about; 0 = the extract date's */
    char *kolonner[NG_F_COUNT];      /* header per field; defaults: the field names */
    char *omraader[NG_OMR_COUNT][8]; /* values meaning each område, folded */
    char *leverandoertyper[3][8];    /* values meaning kommunal, regional, privat, folded */
} ng_udtraek_options;

/* Loads the extract of opt (or override_path instead of opt->file.path
 * when not NULL) with its format, columns, område map and afvis, writing
 * the rejects file into rejects_dir (NULL: none), which is created with
 * mode 0700 when missing. cases NULL: validate only (see
 * ng_ingest_options.validate_only). */
ng_status ng_load_extract(const ng_udtraek_options *opt, const char *override_path,
                          const char *rejects_dir, ng_cases *cases, ng_reconciliation *rec,
                          ng_diags *diags);

/* A progress reporter for ng_ingest_options.progress that rewrites one line
 * on stderr ("læst 45 % – 1.234.567 rækker, 812.345 rækker/s") when stderr is
 * a terminal and the file is large (64 MiB or more); it prints nothing
 * otherwise, so never under cron. ctx is an ng_progress_state the caller
 * owns, zeroed before the reading. ng_load_extract uses it. */
typedef struct {
    bool started;
    double start_seconds;
    long start_rows;
} ng_progress_state;
void ng_progress_tty(void *ctx, uint64_t bytes_done, uint64_t bytes_total, long rows);

/* Prints the reconciliation in Danish, e.g.
 *   FILE: rækker læst 12.345 = brugt 12.344 + afvist 1; kr. læst 1.234,56 = ...
 * (FILE masked like a value, ng_mask_cpr). */
void ng_reconciliation_print(const ng_reconciliation *rec, const char *file, FILE *out);

#endif
