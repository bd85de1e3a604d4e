/* fuzz_csvdoc.c -- libFuzzer target for the small-CSV reader (csvdoc.c).
 *
 * Whatever the bytes, the reader returns, and what it returns keeps its
 * promises: every field is valid UTF-8 with no NUL, no control character but
 * CR/LF and no invisible character, at most NG_CSVDOC_MAX_FIELD bytes
 * before conversion; at most NG_CSVDOC_MAX_ROWS rows of at most
 * NG_CSVDOC_MAX_FIELDS fields; line numbers grow; a failed read leaves the
 * document empty with at least one error. The first byte, when not text,
 * picks the delimiter and the encoding. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "notatgen/csvdoc.h"
#include "notatgen/textcheck.h"

static void check_doc(const ng_csvdoc *doc)
{
    if (doc->nrows > NG_CSVDOC_MAX_ROWS)
        abort();
    long last = 0;
    for (size_t r = 0; r < doc->nrows; r++) {
        const ng_csvrow *row = &doc->rows[r];
        if (row->line <= last || row->nfields == 0 || row->nfields > NG_CSVDOC_MAX_FIELDS)
            abort();
        last = row->line;
        for (size_t f = 0; f < row->nfields; f++) {
            const char *s = row->fields[f];
            size_t n = strlen(s), at;
            uint32_t cp;
            if (n > 3 * NG_CSVDOC_MAX_FIELD || ng_utf8_invalid_at(s, n) != n ||
                ng_text_find_unprintable(s, n, true, &at, &cp))
                abort();
            if (n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' || s[n - 1] == '\t'))
                abort(); /* trimmed */
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {';', ',', '\t', ';'};
    static const ng_encoding encs[] = {NG_ENC_AUTO, NG_ENC_UTF8, NG_ENC_CP1252, NG_ENC_AUTO};
    unsigned pick = pick_byte(&data, &size);
    ng_csvdoc doc;
    ng_diags diags;
    ng_diags_init(&diags);
    ng_status st = ng_csvdoc_read_mem("fuzz.csv", (const char *)data, size, delims[pick & 3],
                                      encs[(pick >> 2) & 3], &doc, &diags);
    if (st != NG_OK && (doc.nrows != 0 || (st == NG_ERR_INPUT && diags.errors == 0)))
        abort();
    if (st == NG_OK && diags.errors != 0)
        abort();
    check_doc(&doc);
    /* the field helpers on every cell */
    for (size_t r = 0; r < doc.nrows; r++)
        for (size_t f = 0; f < doc.rows[r].nfields; f++) {
            int64_t oere;
            bool has;
            long count;
            int year;
            ng_csvdoc_field_amount(&doc, &doc.rows[r], (int)f, NG_DECIMAL_AUTO, NG_SCALE_MIO, &oere,
                                   &has, &diags);
            if (has && (oere > NG_CSVDOC_MAX_OERE || oere < -NG_CSVDOC_MAX_OERE))
                abort();
            if (ng_csvdoc_field_count(&doc, &doc.rows[r], (int)f, 1000, &count, &diags) &&
                (count < 0 || count > 1000))
                abort();
            if (ng_csvdoc_field_year(&doc, &doc.rows[r], (int)f, &year, &diags) &&
                (year < NG_CSVDOC_MIN_YEAR || year > NG_CSVDOC_MAX_YEAR))
                abort();
        }
    int years[8], fields[8], n = 0;
    static const char *const known[] = {"post", "tekst", NULL};
    ng_csvdoc_year_columns(&doc, known, years, fields, 8, &n, &diags);
    ng_csvdoc_check_widths(&doc, &diags);
    for (size_t i = 0; i < diags.count; i++)
        must_be_text(diags.items[i].message);
    ng_csvdoc_free(&doc);
    ng_diags_free(&diags);
    return 0;
}
