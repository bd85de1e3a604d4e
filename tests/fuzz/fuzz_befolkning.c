/* fuzz_befolkning.c -- libFuzzer target for the FOLK1A reader (benchmark.c).
 *
 * The input is a population file: lines split at '\n' (a '\r' before it
 * dropped), fields at ';', as the CSV reader hands them over (the CSV layer
 * itself has its own target), read for the latest quarter and for 2022K4.
 * What must hold for every input: the call returns; NG_OK comes with no
 * error, a valid quarter and municipalities in code order with no negative
 * count and no more numbers used than the file has fields; NG_ERR_INPUT with at least one
 * error, and never an error on a line the file does not have. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/benchmark.h"

/* The municipalities, read once (the data file does not change). */
static ng_kommuneliste kommuner;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ng_diags d;
    ng_diags_init(&d);
    if (ng_kommuneliste_load(ng_kommuneliste_default_path(), &kommuner, &d) != NG_OK)
        abort();
    ng_diags_free(&d);
    return 0;
}

static char *field_copy(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *f = malloc(n + 1);
    if (!f)
        abort();
    memcpy(f, s, n);
    f[n] = '\0';
    return f;
}

static void add_row(ng_csvdoc *doc, const char *line, size_t len, long lineno)
{
    if (len == 0 || line[0] == '#')
        return;
    doc->rows = realloc(doc->rows, (doc->nrows + 1) * sizeof *doc->rows);
    ng_csvrow *row = &doc->rows[doc->nrows++];
    memset(row, 0, sizeof *row);
    row->line = lineno;
    for (size_t start = 0;;) {
        size_t end = start;
        while (end < len && line[end] != ';')
            end++;
        row->fields = realloc(row->fields, (row->nfields + 1) * sizeof *row->fields);
        row->fields[row->nfields++] = field_copy(line + start, end - start);
        if (end >= len)
            break;
        start = end + 1;
    }
}

static long split(const uint8_t *data, size_t size, ng_csvdoc *doc)
{
    memset(doc, 0, sizeof *doc);
    doc->path = strdup("befolkning.csv");
    const char *text = (const char *)data;
    long lineno = 0;
    for (size_t start = 0; start < size;) {
        size_t end = start;
        while (end < size && text[end] != '\n')
            end++;
        size_t len = end - start;
        if (len && text[start + len - 1] == '\r')
            len--;
        add_row(doc, text + start, len, ++lineno);
        start = end + 1;
    }
    return lineno;
}

static void check(const ng_csvdoc *doc, long lines, const char *kvartal)
{
    ng_diags d;
    ng_diags_init(&d);
    ng_befolkning b;
    ng_status st = ng_befolkning_from_doc(doc, kvartal, &kommuner, &b, &d);
    if (st == NG_OK) {
        size_t fields = 0;
        for (size_t i = 0; i < doc->nrows; i++)
            fields += doc->rows[i].nfields;
        if (d.errors || !ng_kvartal_valid(b.kvartal) || (size_t)b.rows_used > fields)
            abort();
        for (size_t i = 0; i < b.n; i++)
            if (b.kommuner[i].antal < 0 ||
                (i && strcmp(b.kommuner[i - 1].kode, b.kommuner[i].kode) >= 0))
                abort();
    } else if (st != NG_ERR_INPUT || d.errors == 0) {
        abort();
    }
    for (size_t i = 0; i < d.count; i++)
        if (d.items[i].line > lines || d.items[i].line < 0)
            abort();
    ng_befolkning_free(&b);
    ng_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ng_csvdoc doc;
    long lines = split(data, size, &doc);
    check(&doc, lines, NULL);
    check(&doc, lines, "2022K4");
    ng_csvdoc_free(&doc);
    return 0;
}
