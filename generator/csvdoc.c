/* csvdoc.c -- small CSV documents read whole with libcsv (see csvdoc.h). */
#include "notatgen/csvdoc.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notatgen/dk.h"
#include "notatgen/strbuf.h"

typedef struct {
    ng_csvdoc *doc;
    ng_csvrow current;
    long line; /* line of the record being parsed */
    ng_status status;
} reader;

static void on_field(void *data, size_t len, void *ctx)
{
    reader *r = ctx;
    char **fields = realloc(r->current.fields, (r->current.nfields + 1) * sizeof *fields);
    char *copy = malloc(len + 1);
    if (!fields || !copy) {
        free(copy);
        if (fields)
            r->current.fields = fields;
        r->status = NG_ERR_NOMEM;
        return;
    }
    memcpy(copy, data, len);
    copy[len] = '\0';
    r->current.fields = fields;
    r->current.fields[r->current.nfields++] = copy;
}

static void free_row(ng_csvrow *row)
{
    for (size_t i = 0; i < row->nfields; i++)
        free(row->fields[i]);
    free(row->fields);
    memset(row, 0, sizeof *row);
}

static void on_record(int term, void *ctx)
{
    reader *r = ctx;
    (void)term;
    ng_csvdoc *doc = r->doc;
    bool comment = r->current.nfields > 0 && r->current.fields[0][0] == '#';
    if (comment || r->status != NG_OK) {
        free_row(&r->current);
        return;
    }
    if (doc->nrows == doc->caps) {
        size_t caps = doc->caps ? doc->caps * 2 : 32;
        ng_csvrow *rows = realloc(doc->rows, caps * sizeof *rows);
        if (!rows) {
            r->status = NG_ERR_NOMEM;
            free_row(&r->current);
            return;
        }
        doc->rows = rows;
        doc->caps = caps;
    }
    r->current.line = r->line;
    doc->rows[doc->nrows++] = r->current;
    memset(&r->current, 0, sizeof r->current);
}

/* Reads the whole file and converts it to UTF-8 per the encoding. */
static char *slurp_utf8(const char *path, ng_encoding enc, size_t *len, ng_diags *diags)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ng_error(diags, path, 0, 0, "kan ikke læse filen: %s", strerror(errno));
        return NULL;
    }
    ng_strbuf text = {0};
    bool read_ok = ng_strbuf_add_stream(&text, f);
    fclose(f);
    if (!read_ok && !text.oom) {
        ng_strbuf_free(&text);
        ng_error(diags, path, 0, 0, "fejl under læsning af filen");
        return NULL;
    }
    size_t n = text.len;
    char *buf = ng_strbuf_take(&text);
    if (!buf)
        return NULL;
    size_t start = n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
    bool utf8 = enc == NG_ENC_UTF8 || (enc == NG_ENC_AUTO && ng_utf8_valid(buf + start, n - start));
    if (utf8) {
        memmove(buf, buf + start, n - start);
        *len = n - start;
        return buf;
    }
    char *out = malloc(3 * n + 1);
    if (out)
        *len = ng_cp1252_to_utf8(buf, n, out);
    free(buf);
    return out;
}

ng_status ng_csvdoc_read(const ng_input_file *file, ng_csvdoc *doc, ng_diags *diags)
{
    memset(doc, 0, sizeof *doc);
    doc->path = strdup(file->path);
    size_t len = 0;
    char *text = slurp_utf8(file->path, file->encoding, &len, diags);
    if (!text || !doc->path) {
        free(text);
        return text ? NG_ERR_NOMEM : NG_ERR_IO;
    }
    struct csv_parser parser;
    reader r = {.doc = doc, .line = 1, .status = NG_OK};
    csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_delim(&parser, file->delimiter ? (unsigned char)file->delimiter : ';');
    ng_status st = NG_OK;
    /* feed line by line so each record knows the line it starts on */
    size_t pos = 0;
    long line = 1;
    size_t before = 0;
    bool in_quotes = false; /* inside a quoted field that spans lines */
    while (pos < len && st == NG_OK) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
        /* a comment line never reaches libcsv: its text may hold a quote
         * (# the seed's "Provenu") that strict parsing would reject */
        if (!in_quotes && r.current.nfields == 0 && text[pos] == '#') {
            pos += n;
            line++;
            r.line = line;
            continue;
        }
        for (size_t i = 0; i < n; i++)
            if (text[pos + i] == '"')
                in_quotes = !in_quotes;
        before = doc->nrows;
        if (csv_parse(&parser, text + pos, n, on_field, on_record, &r) != n) {
            ng_error(diags, file->path, r.line, 0, "ugyldig CSV: %s",
                     csv_strerror(csv_error(&parser)));
            st = NG_ERR_INPUT;
        }
        pos += n;
        line++;
        /* a record that ended on this line: the next one starts on the next */
        if (doc->nrows != before || r.current.nfields == 0)
            r.line = line;
    }
    if (st == NG_OK && csv_fini(&parser, on_field, on_record, &r) != 0) {
        ng_error(diags, file->path, r.line, 0, "ugyldig CSV: %s", csv_strerror(csv_error(&parser)));
        st = NG_ERR_INPUT;
    }
    if (st == NG_OK)
        st = r.status;
    free_row(&r.current);
    csv_free(&parser);
    free(text);
    return st;
}

ng_status ng_csvdoc_read_path(const char *path, ng_csvdoc *doc, ng_diags *diags)
{
    ng_input_file file = {.path = (char *)path, .delimiter = ';', .encoding = NG_ENC_AUTO};
    return ng_csvdoc_read(&file, doc, diags);
}

void ng_csvdoc_free(ng_csvdoc *doc)
{
    for (size_t i = 0; i < doc->nrows; i++)
        free_row(&doc->rows[i]);
    free(doc->rows);
    free(doc->path);
    memset(doc, 0, sizeof *doc);
}

int ng_csvdoc_column(const ng_csvdoc *doc, const char *name)
{
    if (doc->nrows == 0)
        return -1;
    for (size_t i = 0; i < doc->rows[0].nfields; i++)
        if (!strcasecmp(doc->rows[0].fields[i], name))
            return (int)i;
    return -1;
}

int ng_csvdoc_year(const char *field)
{
    if (strlen(field) != 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)field[i]))
            return 0;
    return atoi(field);
}
