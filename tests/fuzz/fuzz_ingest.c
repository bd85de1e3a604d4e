/* fuzz_ingest.c -- libFuzzer target for the cost extract reader.
 *
 * Feeds arbitrary bytes to ng_ingest_extract_mem with fixed options and
 * checks what must hold for every input: the call returns, and the
 * reconciliation adds up to the row and to the øre, and the validation mode
 * (`check`) reports exactly what the full reading did. The first input byte
 * picks the delimiter and encoding so that all paths are reached. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/ingest.h"

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
    }
    ng_cases *cases = ng_cases_new();
    ng_reconciliation rec;
    ng_diags diags;
    ng_diags_init(&diags);
    ng_ingest_extract_mem(&opt, (const char *)data, size, cases, &rec, &diags);
    if (rec.rows_read != rec.rows_used + rec.rows_rejected ||
        rec.oere_read != rec.oere_used + rec.oere_rejected)
        abort();
    /* every case's year spend can be computed */
    for (size_t i = 0; i < ng_cases_count(cases); i++) {
        const ng_sag *s = ng_cases_at(cases, i);
        for (size_t y = 0; y < s->nyears; y++)
            (void)ng_sag_year_spend(s, s->years[y].aar);
    }
    /* validation only: the same report */
    ng_ingest_options vopt = opt;
    vopt.validate_only = true;
    ng_reconciliation vrec;
    ng_diags vdiags;
    ng_diags_init(&vdiags);
    ng_ingest_extract_mem(&vopt, (const char *)data, size, NULL, &vrec, &vdiags);
    if (vrec.rows_read != rec.rows_read || vrec.rows_used != rec.rows_used ||
        vrec.rows_rejected != rec.rows_rejected || vrec.oere_read != rec.oere_read ||
        vrec.oere_used != rec.oere_used || vrec.oere_rejected != rec.oere_rejected ||
        vrec.attribute_conflicts != rec.attribute_conflicts || vrec.cases != rec.cases ||
        rec.cases != ng_cases_count(cases) || vrec.had_bom != rec.had_bom ||
        strcmp(vrec.encoding_used, rec.encoding_used) != 0 || vdiags.count != diags.count ||
        vdiags.errors != diags.errors || vdiags.warnings != diags.warnings)
        abort();
    for (size_t i = 0; i < diags.count; i++) {
        char a[2048], b[2048];
        ng_diag_format(&diags.items[i], a, sizeof a);
        ng_diag_format(&vdiags.items[i], b, sizeof b);
        if (strcmp(a, b) != 0)
            abort();
    }
    ng_diags_free(&vdiags);
    ng_diags_free(&diags);
    ng_cases_free(cases);
    return 0;
}
