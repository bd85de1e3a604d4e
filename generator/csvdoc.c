/* csvdoc.c -- small CSV documents read whole with libcsv (see csvdoc.h). */
#include "notatgen/csvdoc.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "notatgen/dk.h"
#include "notatgen/textcheck.h"

enum { MAX_FIELD_ERRORS = 20 };

typedef enum { MODE_UTF8, MODE_CP1252, MODE_MIXED } text_mode;

typedef struct {
    ng_csvdoc *doc;
    ng_diags *diags;
    const ng_csvdoc_limits *limits;
    text_mode mode;
    ng_csvrow current;
    long line; /* line of the record being parsed */
    int field_errors;
    bool bad;  /* an error was reported: the read fails */
    bool stop; /* a limit was hit: read no further */
    bool nomem;
} reader;

#define READ_ERROR(r, col, ...)                                                                    \
    do {                                                                                           \
        ng_error((r)->diags, (r)->doc->path, (r)->line, (col), __VA_ARGS__);                       \
        (r)->bad = true;                                                                           \
    } while (0)

static void free_row(ng_csvrow *row)
{
    for (size_t i = 0; i < row->nfields; i++)
        free(row->fields[i]);
    free(row->fields);
    memset(row, 0, sizeof *row);
}

/* A count in Danish notation for a message: 16.777.216. */
static char *num(char *buf, size_t size, double v)
{
    return ng_fmt_int(buf, size, v);
}

/* ---- one field: encoding, NUL, control and invisible characters -------- */

/* The five bytes Windows-1252 leaves undefined. */
static bool cp1252_undefined(unsigned char c)
{
    return c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D;
}

/* The field as UTF-8 (malloc'd), or NULL after reporting why it cannot be. */
static char *field_utf8(reader *r, const char *data, size_t len, long col)
{
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        READ_ERROR(r, col, "feltet indeholder et NUL-tegn (byte 0) efter %zu byte",
                   (size_t)(nul - data));
        return NULL;
    }
    if (r->mode == MODE_CP1252) {
        for (size_t i = 0; i < len; i++)
            if (cp1252_undefined((unsigned char)data[i])) {
                READ_ERROR(r, col, "byte 0x%02X findes ikke i Windows-1252",
                           (unsigned char)data[i]);
                return NULL;
            }
        char *out = malloc(3 * len + 1);
        if (out)
            ng_cp1252_to_utf8(data, len, out);
        else
            r->nomem = true;
        return out;
    }
    size_t bad = ng_utf8_invalid_at(data, len);
    if (bad < len) {
        if (r->mode == MODE_MIXED)
            READ_ERROR(r, col,
                       "blandet tegnsæt: byte 0x%02X er ikke UTF-8, men andre steder er filen "
                       "UTF-8 (gem hele filen i ét tegnsæt)",
                       (unsigned char)data[bad]);
        else
            READ_ERROR(r, col,
                       "ugyldig UTF-8 (byte 0x%02X); er filen Windows-1252? (sæt tegnsaet = "
                       "windows-1252 eller auto)",
                       (unsigned char)data[bad]);
        return NULL;
    }
    char *out = strndup(data, len);
    if (!out)
        r->nomem = true;
    return out;
}

static void trim_blanks(char *s)
{
    size_t n = strlen(s), start = 0;
    while (start < n && (s[start] == ' ' || s[start] == '\t'))
        start++;
    while (n > start && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    memmove(s, s + start, n - start);
    s[n - start] = '\0';
}

/* Refuses control and invisible characters; reads odd spaces as spaces. */
static bool field_printable(reader *r, char *text, long col)
{
    size_t at;
    uint32_t cp;
    if (ng_text_find_unprintable(text, strlen(text), true, &at, &cp)) {
        char what[96];
        READ_ERROR(r, col, "feltet indeholder %s", ng_char_describe(cp, what, sizeof what));
        return false;
    }
    size_t spaces = ng_text_plain_spaces(text);
    if (spaces)
        ng_warning(r->diags, r->doc->path, r->line, col,
                   "%zu særlige mellemrum (fx hårdt mellemrum, U+00A0) læst som almindelige",
                   spaces);
    trim_blanks(text);
    return true;
}

static bool add_field(reader *r, char *text)
{
    char **fields = realloc(r->current.fields, (r->current.nfields + 1) * sizeof *fields);
    if (!fields) {
        free(text);
        r->nomem = true;
        return false;
    }
    r->current.fields = fields;
    fields[r->current.nfields++] = text;
    return true;
}

static void on_field(void *data, size_t len, void *ctx)
{
    reader *r = ctx;
    if (r->stop || r->nomem)
        return;
    long col = (long)r->current.nfields + 1;
    if (r->current.nfields == NG_CSVDOC_MAX_FIELDS) {
        READ_ERROR(r, col, "rækken har flere end %d felter", NG_CSVDOC_MAX_FIELDS);
        r->stop = true;
        return;
    }
    char *text = NULL, n1[32], n2[32];
    if (len > NG_CSVDOC_MAX_FIELD)
        READ_ERROR(r, col, "feltet er længere end %s byte (%s byte)",
                   num(n1, sizeof n1, NG_CSVDOC_MAX_FIELD), num(n2, sizeof n2, (double)len));
    else
        text = field_utf8(r, data, len, col);
    if (text && !field_printable(r, text, col)) {
        free(text);
        text = NULL;
    }
    if (!text) {
        if (r->nomem)
            return;
        if (++r->field_errors >= MAX_FIELD_ERRORS)
            r->stop = true;
        text = strdup("");
        if (!text) {
            r->nomem = true;
            return;
        }
    }
    add_field(r, text);
}

static void on_record(int term, void *ctx)
{
    reader *r = ctx;
    (void)term;
    ng_csvdoc *doc = r->doc;
    bool comment = r->current.nfields > 0 && r->current.fields[0][0] == '#';
    if (comment || r->stop || r->nomem) {
        free_row(&r->current);
        return;
    }
    if (doc->nrows == r->limits->max_rows) {
        char n1[32];
        READ_ERROR(r, 0, "filen har flere end %s rækker (en fil af denne slags har højst så mange)",
                   num(n1, sizeof n1, (double)r->limits->max_rows));
        r->stop = true;
        free_row(&r->current);
        return;
    }
    if (doc->nrows == doc->caps) {
        size_t caps = doc->caps ? doc->caps * 2 : 32;
        ng_csvrow *rows = realloc(doc->rows, caps * sizeof *rows);
        if (!rows) {
            r->nomem = true;
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

/* ---- the whole text ----------------------------------------------------- */

/* UTF-16 or UTF-32: a byte-order mark, or NUL bytes between ASCII letters. */
static const char *wide_encoding(const unsigned char *s, size_t len)
{
    if (len >= 4 && ((s[0] == 0xFF && s[1] == 0xFE && !s[2] && !s[3]) ||
                     (!s[0] && !s[1] && s[2] == 0xFE && s[3] == 0xFF)))
        return "UTF-32";
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return "UTF-16";
    size_t n = len < 64 ? len : 64, zeros = 0;
    for (size_t i = 0; i < n; i++)
        zeros += s[i] == 0;
    if (n >= 4 && zeros * 3 >= n && ((s[0] && !s[1]) || (!s[0] && s[1])))
        return "UTF-16";
    return NULL;
}

static text_mode decide_mode(ng_encoding enc, const char *s, size_t len)
{
    if (enc == NG_ENC_UTF8)
        return MODE_UTF8;
    if (enc == NG_ENC_CP1252)
        return MODE_CP1252;
    if (ng_utf8_invalid_at(s, len) == len)
        return MODE_UTF8;
    return ng_utf8_has_multibyte(s, len) ? MODE_MIXED : MODE_CP1252;
}

/* The length of the line at s (with its end: LF, CRLF or a CR alone). */
static size_t line_length(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            return i + 1;
        if (s[i] == '\r')
            return i + 1 < len && s[i + 1] == '\n' ? i + 2 : i + 1;
    }
    return len;
}

static const char *csv_problem(int err)
{
    switch (err) {
    case CSV_EPARSE:
        return "et anførselstegn står forkert (et felt i anførselstegn skal slutte med \" lige "
               "før skilletegnet eller linjens slutning, og \" inde i feltet skrives \"\")";
    case CSV_ETOOBIG:
        return "feltet er for stort";
    default:
        return "fejl i CSV";
    }
}

static void report_csv_error(reader *r, struct csv_parser *p, bool at_end, long quote_line)
{
    int err = csv_error(p);
    if (err == CSV_ENOMEM) {
        r->nomem = true;
        return;
    }
    if (at_end && err == CSV_EPARSE)
        READ_ERROR(r, 0, "ugyldig CSV: anførselstegnet i linje %ld afsluttes aldrig", quote_line);
    else
        READ_ERROR(r, 0, "ugyldig CSV: %s", csv_problem(err));
}

/* Feeds the text to libcsv line by line, so that each record knows the line
 * it starts on. A comment line never reaches libcsv: its text may hold a
 * quote (# the seed's "Provenu") that strict parsing would reject. */
static void parse_lines(reader *r, struct csv_parser *p, const char *text, size_t len)
{
    size_t pos = 0;
    long line = 1, quote_line = 0;
    bool in_quotes = false; /* inside a quoted field that spans lines */
    while (pos < len && !r->stop && !r->bad && !r->nomem) {
        size_t n = line_length(text + pos, len - pos);
        if (n > NG_CSVDOC_MAX_LINE) {
            r->line = line;
            char n1[32];
            READ_ERROR(r, 0, "linjen er længere end %s byte",
                       num(n1, sizeof n1, NG_CSVDOC_MAX_LINE));
            break;
        }
        if (!in_quotes && r->current.nfields == 0 && text[pos] == '#') {
            pos += n;
            r->line = ++line;
            continue;
        }
        for (size_t i = 0; i < n; i++)
            if (text[pos + i] == '"') {
                in_quotes = !in_quotes;
                if (in_quotes)
                    quote_line = line;
            }
        size_t before = r->doc->nrows;
        if (csv_parse(p, text + pos, n, on_field, on_record, r) != n) {
            report_csv_error(r, p, false, quote_line);
            break;
        }
        pos += n;
        line++;
        /* a record that ended on this line: the next one starts on the next */
        if (r->doc->nrows != before || r->current.nfields == 0)
            r->line = line;
    }
    if (!r->stop && !r->bad && !r->nomem && csv_fini(p, on_field, on_record, r) != 0)
        report_csv_error(r, p, true, quote_line);
}

static const char *delimiter_word(char c)
{
    return c == ',' ? "komma" : c == '\t' ? "tab" : "semikolon";
}

static void check_header(reader *r, char delimiter)
{
    const ng_csvdoc *doc = r->doc;
    if (doc->nrows == 0)
        return;
    const ng_csvrow *h = &doc->rows[0];
    r->line = h->line;
    /* every small file has at least two columns: one field holding another
     * delimiter means the file uses that one */
    static const char others[] = {';', ',', '\t'};
    for (size_t i = 0; h->nfields == 1 && i < sizeof others; i++)
        if (others[i] != delimiter && strchr(h->fields[0], others[i])) {
            READ_ERROR(r, 1,
                       "overskriften er ét felt med '%s' i; filen bruger vist et andet "
                       "skilletegn end %s (skilletegn = %s)",
                       others[i] == '\t'  ? "tab"
                       : others[i] == ',' ? ","
                                          : ";",
                       delimiter_word(delimiter), delimiter_word(others[i]));
            return;
        }
    for (size_t i = 0; i < h->nfields; i++)
        for (size_t j = 0; j < i && h->fields[i][0]; j++)
            if (!strcasecmp(h->fields[i], h->fields[j])) {
                READ_ERROR(r, (long)i + 1,
                           "kolonnen '%s' står to gange i overskriften (også kolonne %zu)",
                           h->fields[i], j + 1);
                break;
            }
}

static ng_status parse_text(const char *text, size_t len, char delimiter, ng_encoding enc,
                            const ng_csvdoc_limits *limits, ng_csvdoc *doc, ng_diags *diags)
{
    reader r = {.doc = doc, .diags = diags, .limits = limits, .line = 1};
    const char *wide = wide_encoding((const unsigned char *)text, len);
    if (wide) {
        ng_error(diags, doc->path, 1, 0,
                 "filen er gemt som %s; gem den som UTF-8 eller Windows-1252", wide);
        return NG_ERR_INPUT;
    }
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    r.mode = decide_mode(enc, text, len);
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return NG_ERR_NOMEM;
    csv_set_delim(&parser, delimiter ? (unsigned char)delimiter : ';');
    parse_lines(&r, &parser, text, len);
    free_row(&r.current);
    csv_free(&parser);
    if (!r.nomem && !limits->titled)
        check_header(&r, delimiter ? delimiter : ';');
    if (r.nomem)
        return NG_ERR_NOMEM;
    return r.bad ? NG_ERR_INPUT : NG_OK;
}

/* Reads at most max bytes of path; more is an error. */
static ng_status read_bounded(const char *path, size_t max, char **out, size_t *len,
                              ng_diags *diags)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ng_error(diags, path, 0, 0, "kan ikke læse filen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    struct stat sb;
    ng_status st = NG_OK;
    if (fstat(fileno(f), &sb) != 0) {
        ng_error(diags, path, 0, 0, "kan ikke læse filen: %s", strerror(errno));
        st = NG_ERR_IO;
    } else if (S_ISDIR(sb.st_mode)) {
        ng_error(diags, path, 0, 0, "er en mappe, ikke en fil");
        st = NG_ERR_IO;
    } else if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > max) {
        char n1[32], n2[32];
        ng_error(diags, path, 0, 0, "filen er for stor: %s byte (højst %s)",
                 num(n1, sizeof n1, (double)sb.st_size), num(n2, sizeof n2, (double)max));
        st = NG_ERR_INPUT;
    }
    /* a regular file is read at its size (plus one byte to see it grow);
     * anything else up to the limit */
    size_t cap = st == NG_OK && S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 1 : max + 1;
    char *buf = st == NG_OK ? malloc(cap + 1) : NULL;
    if (st == NG_OK && !buf)
        st = NG_ERR_NOMEM;
    size_t n = 0;
    if (st == NG_OK) {
        n = fread(buf, 1, cap, f);
        if (ferror(f)) {
            ng_error(diags, path, 0, 0, "fejl under læsning af filen");
            st = NG_ERR_IO;
        } else if (n > max || (S_ISREG(sb.st_mode) && n == cap)) {
            char n1[32];
            ng_error(diags, path, 0, 0, "filen er for stor (højst %s byte)",
                     num(n1, sizeof n1, (double)max));
            st = NG_ERR_INPUT;
        }
    }
    fclose(f);
    if (st != NG_OK) {
        free(buf);
        return st;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return NG_OK;
}

const ng_csvdoc_limits ng_csvdoc_small = {NG_CSVDOC_MAX_BYTES, NG_CSVDOC_MAX_ROWS, false};

static ng_status read_mem_limited(const char *name, const char *data, size_t len, char delimiter,
                                  ng_encoding encoding, const ng_csvdoc_limits *limits,
                                  ng_csvdoc *doc, ng_diags *diags)
{
    memset(doc, 0, sizeof *doc);
    doc->path = strdup(name);
    if (!doc->path)
        return NG_ERR_NOMEM;
    ng_status st = parse_text(data, len, delimiter, encoding, limits, doc, diags);
    if (st != NG_OK)
        ng_csvdoc_free(doc);
    return st;
}

ng_status ng_csvdoc_read_mem(const char *name, const char *data, size_t len, char delimiter,
                             ng_encoding encoding, ng_csvdoc *doc, ng_diags *diags)
{
    return read_mem_limited(name, data, len, delimiter, encoding, &ng_csvdoc_small, doc, diags);
}

ng_status ng_csvdoc_read_limited(const ng_input_file *file, const ng_csvdoc_limits *limits,
                                 ng_csvdoc *doc, ng_diags *diags)
{
    memset(doc, 0, sizeof *doc);
    char *text = NULL;
    size_t len = 0;
    ng_status st = read_bounded(file->path, limits->max_bytes, &text, &len, diags);
    if (st == NG_OK)
        st = read_mem_limited(file->path, text, len, file->delimiter, file->encoding, limits, doc,
                              diags);
    free(text);
    return st;
}

ng_status ng_csvdoc_read(const ng_input_file *file, ng_csvdoc *doc, ng_diags *diags)
{
    return ng_csvdoc_read_limited(file, &ng_csvdoc_small, doc, diags);
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

/* ---- fields ------------------------------------------------------------- */

int ng_csvdoc_year(const char *field)
{
    if (strlen(field) != 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)field[i]))
            return 0;
    int year = atoi(field);
    return year >= NG_CSVDOC_MIN_YEAR && year <= NG_CSVDOC_MAX_YEAR ? year : 0;
}

static bool is_known(const char *field, const char *const *known)
{
    for (size_t i = 0; known && known[i]; i++)
        if (!strcasecmp(field, known[i]))
            return true;
    return false;
}

/* Why a header field is not a year, for the message. */
static const char *not_a_year(const char *f)
{
    size_t n = strlen(f), digits = 0;
    for (size_t i = 0; i < n; i++)
        digits += isdigit((unsigned char)f[i]) != 0;
    if (n == 4 && digits == 4)
        return "årstallet skal ligge fra 1900 til 2199";
    if (n == 4 && digits > 0)
        return "et årstal skrives med fire cifre (står der et bogstav, fx O for 0?)";
    return "hverken en kendt kolonne eller et årstal (ÅÅÅÅ)";
}

bool ng_csvdoc_year_columns(const ng_csvdoc *doc, const char *const *known, int *years, int *fields,
                            int max, int *n, ng_diags *diags)
{
    *n = 0;
    if (doc->nrows == 0)
        return true;
    const ng_csvrow *h = &doc->rows[0];
    bool ok = true;
    for (size_t f = 0; f < h->nfields; f++) {
        const char *name = h->fields[f];
        if (is_known(name, known))
            continue;
        int year = ng_csvdoc_year(name);
        if (!year) {
            ng_error(diags, doc->path, h->line, (long)f + 1, "kolonnen '%s': %s", name,
                     not_a_year(name));
            ok = false;
        } else if (*n == max) {
            ng_error(diags, doc->path, h->line, (long)f + 1, "for mange årskolonner (højst %d)",
                     max);
            return false;
        } else {
            years[*n] = year;
            fields[(*n)++] = (int)f;
        }
    }
    return ok;
}

bool ng_csvdoc_field_year(const ng_csvdoc *doc, const ng_csvrow *row, int field, int *year,
                          ng_diags *diags)
{
    const char *text = field >= 0 && (size_t)field < row->nfields ? row->fields[field] : "";
    *year = ng_csvdoc_year(text);
    if (*year)
        return true;
    ng_error(diags, doc->path, row->line, field + 1,
             "året er ugyldigt (forventet ÅÅÅÅ fra %d til %d): '%s'", NG_CSVDOC_MIN_YEAR,
             NG_CSVDOC_MAX_YEAR, text);
    return false;
}

bool ng_csvdoc_field_amount(const ng_csvdoc *doc, const ng_csvrow *row, int field,
                            ng_decimal_mark mark, ng_scale scale, int64_t *oere, bool *has,
                            ng_diags *diags)
{
    const char *text = field >= 0 && (size_t)field < row->nfields ? row->fields[field] : "";
    *has = false;
    *oere = 0;
    if (!*text)
        return true;
    const char *why = NULL;
    if (ng_parse_amount(text, mark, scale, oere, &why) != NG_OK) {
        ng_error(diags, doc->path, row->line, field + 1, "beløbet %s: '%s'",
                 why ? why : "kan ikke læses", text);
        return false;
    }
    if (*oere > NG_CSVDOC_MAX_OERE || *oere < -NG_CSVDOC_MAX_OERE) {
        ng_error(diags, doc->path, row->line, field + 1,
                 "beløbet er urimeligt stort (højst 100 mia. kr. til hver side): '%s'", text);
        *oere = 0;
        return false;
    }
    *has = true;
    return true;
}

bool ng_csvdoc_field_count(const ng_csvdoc *doc, const ng_csvrow *row, int field, long max,
                           long *count, ng_diags *diags)
{
    const char *text = field >= 0 && (size_t)field < row->nfields ? row->fields[field] : "";
    const char *why = NULL;
    if (ng_parse_int(text, count, &why) != NG_OK || *count < 0 || *count > max) {
        char n1[32];
        ng_error(diags, doc->path, row->line, field + 1,
                 "antallet skal være et helt tal fra 0 til %s: '%s'",
                 num(n1, sizeof n1, (double)max), text);
        *count = 0;
        return false;
    }
    return true;
}

bool ng_csvdoc_check_widths(const ng_csvdoc *doc, ng_diags *diags)
{
    for (size_t r = 1; r < doc->nrows; r++) {
        const ng_csvrow *row = &doc->rows[r];
        if (row->nfields != doc->rows[0].nfields) {
            ng_error(diags, doc->path, row->line, 0, "rækken har %zu felter, overskriften %zu",
                     row->nfields, doc->rows[0].nfields);
            return false;
        }
    }
    return true;
}
