/* fuzz_fields.c -- libFuzzer target: the ingest's plain-line split against
 * libcsv.
 *
 * The ingest splits a line without quotes by itself (ng_csv_split_plain)
 * and gives every other line to libcsv, the parser of record. This target
 * feeds each line of the input to both -- libcsv with the options the ingest
 * uses, on a fresh parser, finished with csv_fini -- and whenever the split
 * takes a line, libcsv must give exactly one row with the same fields, byte
 * for byte, and no error. The first input byte picks the delimiter. */
#include <csv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/ingest.h"

enum { MAX_FIELDS = 1024, MAX_BYTES = 1 << 16 };

typedef struct {
    size_t n, used;
    int rows;
    bool overflow;
    size_t off[MAX_FIELDS], len[MAX_FIELDS];
    char bytes[MAX_BYTES]; /* last: a reset clears what comes before */
} fields;

static void add_field(void *s, size_t len, void *data)
{
    fields *f = data;
    if (f->n == MAX_FIELDS || f->used + len > MAX_BYTES) {
        f->overflow = true;
        return;
    }
    memcpy(f->bytes + f->used, s, len);
    f->off[f->n] = f->used;
    f->len[f->n++] = len;
    f->used += len;
}

static void add_row(int c, void *data)
{
    (void)c;
    ((fields *)data)->rows++;
}

/* What the ingest treats as a blank line (no row): only spaces, tabs and
 * line-end characters that are not the delimiter. */
static bool blank(const char *s, size_t len, char delim)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c == ' ' || c == '\t' || c == '\r') && c != delim) && c != '\n')
            return false;
    }
    return true;
}

static void check_line(const char *s, size_t len, char delim)
{
    static fields plain, ref;
    memset(&plain, 0, offsetof(fields, off));
    if (blank(s, len, delim) || !ng_csv_split_plain(s, len, delim, add_field, &plain))
        return;
    memset(&ref, 0, offsetof(fields, off));
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        abort();
    csv_set_delim(&p, (unsigned char)delim);
    size_t done = csv_parse(&p, s, len, add_field, add_row, &ref);
    int fini = csv_fini(&p, add_field, add_row, &ref);
    csv_free(&p);
    if (done != len || fini != 0 || ref.rows != 1)
        abort(); /* the split took a line that libcsv reads otherwise */
    if (plain.overflow || ref.overflow)
        return;
    if (plain.n != ref.n)
        abort();
    for (size_t i = 0; i < plain.n; i++)
        if (plain.len[i] != ref.len[i] ||
            memcmp(plain.bytes + plain.off[i], ref.bytes + ref.off[i], plain.len[i]) != 0)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {';', ',', '\t', ' ', '|', ';', ';', ';'};
    if (size == 0)
        return 0;
    char delim = delims[data[0] & 7];
    const char *s = (const char *)data + 1, *end = (const char *)data + size;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
        check_line(s, len, delim);
        s += len;
    }
    return 0;
}
