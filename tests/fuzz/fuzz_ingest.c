/* fuzz_ingest.c -- libFuzzer target for the cost extract reader.
 *
 * Feeds arbitrary bytes to ng_ingest_extract_mem with fixed options and
 * checks what must hold for every input: the call returns, and the
 * reconciliation adds up to the row and to the øre, and every other way of
 * reading reports exactly what the full reading on one thread did -- the
 * validation mode (`check`), two threads with small blocks (records cross
 * blocks; the cases compared too), every line through libcsv (no
 * plain-line split), and the split (the file in small parts, each parsed on
 * its own) against one thread with a fixed decimal mark and encoding. The
 * first input byte picks the delimiter, encoding and decimal mark (and a
 * limit of two cases) so that all paths are reached; the seeds
 * (tests/data/ingest) hold every class of bad input: mixed encodings,
 * UTF-16, NUL bytes, CR-only line ends, unclosed quotes that swallow lines,
 * invisible characters and CPR numbers in keys. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/ingest.h"

static bool same_string(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* The same cases: keys, attributes, first lines, years and months. */
static bool same_cases(const ng_cases *a, const ng_cases *b)
{
    if (ng_cases_count(a) != ng_cases_count(b))
        return false;
    for (size_t i = 0; i < ng_cases_count(a); i++) {
        const ng_sag *x = ng_cases_at(a, i), *y = ng_cases_at(b, i);
        if (strcmp(x->sag_id, y->sag_id) || x->omraade != y->omraade ||
            x->foedselsaar != y->foedselsaar || x->foedselsmaaned != y->foedselsmaaned ||
            x->foer67 != y->foer67 || x->first_line != y->first_line ||
            !same_string(x->husstand, y->husstand) || !same_string(x->maalgruppe, y->maalgruppe) ||
            !same_string(x->leverandoertype, y->leverandoertype) ||
            !same_string(x->kommune, y->kommune) || x->nyears != y->nyears)
            return false;
        for (uint32_t k = 0; k < x->nyears; k++)
            if (x->years[k].aar != y->years[k].aar ||
                memcmp(x->years[k].m12, y->years[k].m12, sizeof x->years[k].m12))
                return false;
    }
    return true;
}

/* Reads data with opt and aborts unless it reports what (st, rec, diags,
 * cases: the reference reading) did. */
static void expect_same(const ng_ingest_options *opt, const char *data, size_t size, ng_status st,
                        const ng_reconciliation *rec, const ng_diags *diags, const ng_cases *cases)
{
    ng_cases *vcases = opt->validate_only ? NULL : ng_cases_new();
    ng_reconciliation vrec;
    ng_diags vdiags;
    ng_diags_init(&vdiags);
    ng_status vst = ng_ingest_extract_mem(opt, data, size, vcases, &vrec, &vdiags);
    if (vst != st || vrec.rows_read != rec->rows_read || vrec.rows_used != rec->rows_used ||
        vrec.rows_rejected != rec->rows_rejected || vrec.oere_read != rec->oere_read ||
        vrec.oere_used != rec->oere_used || vrec.oere_rejected != rec->oere_rejected ||
        vrec.attribute_conflicts != rec->attribute_conflicts || vrec.cases != rec->cases ||
        rec->cases != ng_cases_count(cases) || vrec.had_bom != rec->had_bom ||
        strcmp(vrec.encoding_used, rec->encoding_used) != 0 || vdiags.count != diags->count ||
        vdiags.errors != diags->errors || vdiags.warnings != diags->warnings)
        abort();
    for (size_t i = 0; i < diags->count; i++) {
        char a[2048], b[2048];
        ng_diag_format(&diags->items[i], a, sizeof a);
        ng_diag_format(&vdiags.items[i], b, sizeof b);
        if (strcmp(a, b) != 0)
            abort();
    }
    if (vcases && !same_cases(cases, vcases))
        abort();
    ng_diags_free(&vdiags);
    ng_cases_free(vcases);
}

/* The split reading (two threads, the file in parts of 16 to 271 bytes)
 * against one thread. Under decimaltegn or tegnsaet = auto a file is not
 * split, so the reference reads with a decimal comma and UTF-8 or
 * Windows-1252 then. */
static void split_same(const ng_ingest_options *opt, const char *data, size_t size, unsigned pick)
{
    ng_input_file file = *opt->file;
    if (file.decimal == NG_DECIMAL_AUTO)
        file.decimal = NG_DECIMAL_COMMA;
    if (file.encoding == NG_ENC_AUTO)
        file.encoding = (pick & 1) ? NG_ENC_CP1252 : NG_ENC_UTF8;
    ng_ingest_options ref = *opt;
    ref.file = &file;
    ref.threads = 1;
    ng_cases *cases = ng_cases_new();
    ng_reconciliation rec;
    ng_diags diags;
    ng_diags_init(&diags);
    ng_status st = ng_ingest_extract_mem(&ref, data, size, cases, &rec, &diags);
    ng_ingest_options v = ref;
    v.threads = 2;
    v.read_chunk = 16 + (pick & 0xFF);
    expect_same(&v, data, size, st, &rec, &diags, cases);
    v.read_chunk = 64;
    v.validate_only = true;
    expect_same(&v, data, size, st, &rec, &diags, cases);
    v = ref; /* a fixed decimal mark: rows are read quickly; libcsv_only reads none so */
    v.libcsv_only = true;
    expect_same(&v, data, size, st, &rec, &diags, cases);
    ng_diags_free(&diags);
    ng_cases_free(cases);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {';', ',', '\t', ';'};
    static const ng_encoding encs[] = {NG_ENC_AUTO, NG_ENC_UTF8, NG_ENC_CP1252, NG_ENC_AUTO};
    unsigned pick = size ? data[0] : 0;
    /* Seeds are plain CSV files: keep them intact when their first byte
     * is printable (the common choice: ';' and auto). */
    bool plain = pick >= 0x20;
    ng_input_file file = {
        .path = "fuzz.csv",
        .delimiter = plain ? ';' : delims[pick & 3],
        .encoding = plain ? NG_ENC_AUTO : encs[(pick >> 2) & 3],
        .decimal = plain ? NG_DECIMAL_AUTO : (ng_decimal_mark)((pick >> 4) % 3),
        .scale = NG_SCALE_KR,
    };
    ng_ingest_options opt = {
        .file = &file,
        .afvis = NG_REJECT_ROW,
        .rejects_path = NULL,
    };
    if (!plain && size > 0) {
        data++;
        size--;
        /* the limit of cases too: a row with a third case stops the reading */
        if ((pick & 0x0C) == 0x0C)
            opt.max_cases = 2;
    }
    opt.threads = 1;
    ng_cases *cases = ng_cases_new();
    ng_reconciliation rec;
    ng_diags diags;
    ng_diags_init(&diags);
    ng_status st = ng_ingest_extract_mem(&opt, (const char *)data, size, cases, &rec, &diags);
    if (rec.rows_read != rec.rows_used + rec.rows_rejected ||
        rec.oere_read != rec.oere_used + rec.oere_rejected)
        abort();
    /* every case's year spend can be computed */
    for (size_t i = 0; i < ng_cases_count(cases); i++) {
        const ng_sag *s = ng_cases_at(cases, i);
        for (size_t y = 0; y < s->nyears; y++)
            (void)ng_sag_year_spend(s, s->years[y].aar);
    }
    const char *d = (const char *)data;
    ng_ingest_options v = opt;
    v.validate_only = true; /* check */
    expect_same(&v, d, size, st, &rec, &diags, cases);
    v.threads = 2;
    v.read_chunk = 64;
    expect_same(&v, d, size, st, &rec, &diags, cases);
    v = opt; /* two threads, records across blocks */
    v.threads = 2;
    v.read_chunk = 64 + (pick & 0xC0);
    expect_same(&v, d, size, st, &rec, &diags, cases);
    v = opt; /* every line through libcsv */
    v.libcsv_only = true;
    expect_same(&v, d, size, st, &rec, &diags, cases);
    split_same(&opt, d, size, pick);
    ng_diags_free(&diags);
    ng_cases_free(cases);
    return 0;
}
