/*
 * manifest.h -- what a run read and wrote, and the one-line run log.
 *
 * Every published output directory carries a manifest.json:
 *
 *   {
 *     "program": "notatgen", "version": "0.1.0",
 *     "kommune": "Randers Kommune", "dato": "2025-10-31",
 *     "inputs":  [ {"name": "udtraek.csv", "size": 1234, "sha256": "ab.."} ],
 *     "outputs": [ {"name": "bilag.xlsx",  "size": 5678, "sha256": "cd.."} ],
 *     "taerskler": {"aar": 2025, "t1": 930000, "t2": 1830000, "t3": 2320000},
 *     "afstemning": {"raekker_laest": 12345, "raekker_brugt": 12344,
 *                    "raekker_afvist": 1, "oere_laest": ..., ...},
 *     "saet": "9f..",
 *     "varighed_sekunder": 1.25
 *   }
 *
 * "saet" is the identity of the published set of outputs: the SHA-256 of
 * the outputs' names and hashes (ng_manifest_set_hash). The history store
 * records each date's set under it, and the delivery of a set by mail is
 * recorded under its date and this hash, so the same outputs are never
 * mailed twice and a set published without its record is recognised.
 *
 * The manifest is not one of the deterministic outputs, but it is written
 * deterministically all the same: keys in a fixed order, files in the order
 * they were added, and no run time when SOURCE_DATE_EPOCH is set.
 *
 * "The same outputs are never mailed twice": the set hash (saet) names a
 * set by its outputs, and the history store keeps each set's delivery.
 *
 * SHA-256 comes from OpenSSL's libcrypto (EVP_Digest).
 *
 * Ownership: an ng_manifest owns every string in it (copied on add);
 * ng_manifest_free frees them. ng_log_line returns a string the caller frees.
 */
#ifndef NOTATGEN_MANIFEST_H
#define NOTATGEN_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/refusion.h"
#include "notatgen/diag.h"
#include "notatgen/dk.h"
#include "notatgen/ingest.h"
#include "notatgen/status.h"

/* ---- SHA-256 ------------------------------------------------------------ */

enum { NG_SHA256_HEX = 65 }; /* 64 hex digits and a NUL */

/* Lower-case hex SHA-256 of data[0..len) into hex. */
void ng_sha256_hex(const void *data, size_t len, char hex[NG_SHA256_HEX]);

/* SHA-256 and size of a file (read in blocks). NG_ERR_IO (with a Danish
 * diagnostic naming the file) when it cannot be read. size may be NULL. */
ng_status ng_sha256_file(const char *path, char hex[NG_SHA256_HEX], long long *size,
                         ng_diags *diags);

/* SHA-256 of a stream, fed as it is read (the ingest hashes the extract
 * while it parses it, so the manifest need not read it again). */
typedef struct ng_sha256 ng_sha256;
ng_sha256 *ng_sha256_new(void); /* NULL on out of memory */
void ng_sha256_update(ng_sha256 *h, const void *data, size_t len);
/* The hex digest of everything fed so far; h may be fed no more. */
void ng_sha256_final(ng_sha256 *h, char hex[NG_SHA256_HEX]);
void ng_sha256_free(ng_sha256 *h);

/* ---- the manifest ----------------------------------------------------- */

typedef struct {
    char *name; /* file name as recorded (the base name for outputs) */
    long long size;
    char sha256[NG_SHA256_HEX];
} ng_manifest_file;

typedef struct ng_manifest {
    char *version; /* NG_VERSION */
    char *kommune; /* may be NULL */
    bool has_dato;
    ng_date dato; /* the extract date the run is about */

    ng_manifest_file *inputs;
    size_t ninputs, caps_inputs;
    ng_manifest_file *outputs;
    size_t noutputs, caps_outputs;

    bool has_thresholds;
    int aar;
    int64_t t1, t2, t3; /* kr. */

    bool has_reconciliation;
    ng_reconciliation rec;

    bool has_duration;
    double duration_seconds; /* left out of the file when SOURCE_DATE_EPOCH is set */

    char saet[NG_SHA256_HEX]; /* the set's identity; "" until ng_manifest_seal */
} ng_manifest;

/* Sets version to NG_VERSION; everything else empty. */
void ng_manifest_init(ng_manifest *m);
void ng_manifest_free(ng_manifest *m);

ng_status ng_manifest_set_run(ng_manifest *m, const char *kommune, ng_date dato);

/* Hashes the file at path and records it under name (NULL = path as given
 * for inputs, the base name for outputs), CPR-like values in the name masked
 * (ng_mask_cpr). NG_ERR_IO when unreadable. */
ng_status ng_manifest_add_input(ng_manifest *m, const char *path, const char *name,
                                ng_diags *diags);
/* ng_manifest_add_input(m, path, NULL), taking the SHA-256 from rec (the
 * extract's, hashed while it was read) when rec has one and path is still
 * the very file that was hashed (device, inode, size and modification
 * time); rec may be NULL. */
ng_status ng_manifest_add_input_read(ng_manifest *m, const char *path, const ng_reconciliation *rec,
                                     ng_diags *diags);
/* An input whose SHA-256 and size are already known (hashed while read). */
ng_status ng_manifest_add_input_hashed(ng_manifest *m, const char *name,
                                       const char hex[NG_SHA256_HEX], long long size);
ng_status ng_manifest_add_output(ng_manifest *m, const char *path, const char *name,
                                 ng_diags *diags);

/* Records every regular file directly in dir as an output, sorted by name,
 * except "manifest.json" itself and names starting with '.'. */
ng_status ng_manifest_add_output_dir(ng_manifest *m, const char *dir, ng_diags *diags);

void ng_manifest_set_thresholds(ng_manifest *m, const ng_threshold_year *t);
void ng_manifest_set_reconciliation(ng_manifest *m, const ng_reconciliation *rec);
void ng_manifest_set_duration(ng_manifest *m, double seconds);

/* The set's identity: SHA-256 over "name\0sha256\n" of every output in the
 * order recorded, leaving out *.eml (the message carries the night it was
 * written in its Date header; it is derived from the other outputs). */
void ng_manifest_set_hash(const ng_manifest *m, char hex[NG_SHA256_HEX]);
/* Sets m->saet from the outputs recorded so far (ng_manifest_set_hash). */
void ng_manifest_seal(ng_manifest *m);

/* Writes manifest.json (mode 0600) to path. */
ng_status ng_manifest_write(const ng_manifest *m, const char *path, ng_diags *diags);

/* Reads a manifest written by ng_manifest_write into m (initialised here):
 * version, kommune, dato, inputs, outputs and saet (computed from the
 * outputs when an older manifest lacks it). NG_ERR_IO when missing or
 * unreadable, NG_ERR_INPUT when not a manifest. */
ng_status ng_manifest_read(const char *path, ng_manifest *m, ng_diags *diags);

/* ---- the one-line run log --------------------------------------------- */

typedef struct {
    const char *kommune;          /* may be NULL */
    ng_date dato;                 /* the extract date; y == 0 leaves it out */
    const ng_reconciliation *rec; /* NULL leaves the row counts out */
    long sager;                   /* cases; < 0 leaves it out */
    bool has_refusion;
    double refusion_kr;   /* refusion in kr., shown in mio. kr. */
    const char **written; /* output names, may be NULL */
    size_t nwritten;
    const char *godkendt; /* what an officer let through (plausibility); NULL = left out */
    const char *mail;     /* e.g. "mail sendt 2025-10-31"; NULL = left out */
    int status;           /* the exit status */
} ng_log_facts;

/* One line, no newline, CPR-masked, e.g.
 *   notatgen 2025-10-31 Randers Kommune: rækker 12.345 læst, 12.344 brugt,
 *   1 afvist; 527 sager; refusion 123,4 mio. kr.; skrevet sde_status.pdf,
 *   bilag.xlsx, data.json, mail.eml; mail sendt 2025-10-31; status 0
 * The caller frees. NULL on out of memory. */
char *ng_log_line(const ng_log_facts *f);

/* Sends the line to syslog(3) (facility LOG_USER, ident "notatgen"), masked
 * with ng_mask_cpr first; priority LOG_ERR when failed, else LOG_INFO. */
void ng_log_syslog(const char *line, bool failed);

#endif
