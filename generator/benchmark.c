/*
 * benchmark.c -- the benchmark module (see benchmark.h): [befolkning], the
 * municipalities, the FOLK1A reader, the per-municipality records from a
 * run's refusion units or from many runs' data.json, and the tables,
 * figures and values of the comparison.
 */
#include "notatgen/benchmark.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notatgen/module.h"
#include "notatgen/modules.h"
#include "notatgen/pipeline.h"
#include "notatgen/strbuf.h"

/* At most this many messages about one file's rows; then one that says how
 * many more there were (a wrong file of 10^5 rows is one screen, not 10^5). */
enum { MAX_ROW_ERRORS = 50 };

/* ---- small helpers ------------------------------------------------------ */

static char *dup_str(const char *s)
{
    return s ? strdup(s) : NULL;
}

static char *folded_copy(const char *s)
{
    char *c = strdup(s ? s : "");
    if (c)
        ng_fold_case(c);
    return c;
}

static bool blank(const char *s)
{
    return !s || s[strspn(s, " \t")] == '\0';
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

enum { MAX_COUNT = 100000000 }; /* persons in one row: more than Denmark has */

typedef enum { COUNT_OK, COUNT_BAD, COUNT_TOO_BIG } count_parse;

/* A whole number of persons, "1234" or "1.234", at most MAX_COUNT;
 * COUNT_BAD for anything else (StatBank's ".." for a missing number
 * included). */
static count_parse parse_count(const char *s, long *out)
{
    long v = 0;
    int digits = 0, group = -1;
    bool big = false;
    if (!*s)
        return COUNT_BAD;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (digits == 0 || (group >= 0 && group != 3) || (group < 0 && digits > 3))
                return COUNT_BAD;
            group = 0;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            return COUNT_BAD;
        big |= v > MAX_COUNT / 10;
        v = big ? v : v * 10 + (*p - '0');
        digits++;
        if (group >= 0)
            group++;
    }
    if (group >= 0 && group != 3)
        return COUNT_BAD;
    if (big || v > MAX_COUNT)
        return COUNT_TOO_BIG;
    *out = v;
    return COUNT_OK;
}

/* The key of a category: folded, æ ø å as ae oe aa, every other run of
 * non-letters as one '_' ("Udviklingshæmning" -> "udviklingshaemning",
 * "fysisk handicap" -> "fysisk_handicap"). At most 40 characters. */
static void category_key(const char *value, char *key, size_t size)
{
    char *f = folded_copy(value);
    size_t n = 0;
    bool gap = false;
    for (const unsigned char *p = (const unsigned char *)(f ? f : ""); *p && n + 3 < size; p++) {
        const char *ascii = NULL;
        char one[2] = {0, 0};
        if (p[0] == 0xC3 && p[1]) {
            ascii = p[1] == 0xA6 ? "ae" : p[1] == 0xB8 ? "oe" : p[1] == 0xA5 ? "aa" : NULL;
            if (!ascii && (p[1] == 0xA9 || p[1] == 0xA8))
                ascii = "e";
            if (!ascii && (p[1] == 0xBC || p[1] == 0xB6))
                ascii = p[1] == 0xBC ? "u" : "o";
            p++;
        } else if (isalnum(*p) && *p < 0x80) {
            one[0] = (char)*p;
            ascii = one;
        }
        if (!ascii) {
            gap = n > 0;
            continue;
        }
        if (gap && n + 1 < size)
            key[n++] = '_';
        gap = false;
        for (; *ascii && n + 1 < size && n < 40; ascii++)
            key[n++] = *ascii;
    }
    if (n == 0)
        key[n++] = 'x';
    key[n] = '\0';
    free(f);
}

/* ---- the municipalities ------------------------------------------------- */

const char *ng_kommuneliste_default_path(void)
{
    /* as the thresholds file: the tree's own when run from the build tree */
    static const char source_path[] = NG_SOURCE_DIR "/data/kommuner.csv";
    static const char installed_path[] = NG_DATA_DIR "/data/kommuner.csv";
    if (access(source_path, R_OK) == 0)
        return source_path;
    return installed_path;
}

void ng_kommuneliste_free(ng_kommuneliste *l)
{
    for (size_t i = 0; l && i < l->n; i++) {
        free(l->items[i].navn);
        for (size_t k = 0; k < l->items[i].nnavne; k++)
            free(l->items[i].navne[k]);
        free(l->items[i].navne);
    }
    if (l) {
        free(l->items);
        memset(l, 0, sizeof *l);
    }
}

/* The name and the comma-separated other names, folded. */
static bool add_names(ng_kommune_def *k, const char *list)
{
    if (!(k->navne = calloc(1, sizeof *k->navne)) || !(k->navne[0] = folded_copy(k->navn)))
        return false;
    k->nnavne = 1;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        /* the name between the commas, without its spaces, at any length */
        size_t a = 0, b = len;
        while (a < b && p[a] == ' ')
            a++;
        while (b > a && p[b - 1] == ' ')
            b--;
        if (a < b) {
            char **more = realloc(k->navne, (k->nnavne + 1) * sizeof *more);
            if (!more)
                return false;
            k->navne = more;
            char *part = strndup(p + a, b - a);
            k->navne[k->nnavne] = part ? folded_copy(part) : NULL;
            free(part);
            if (!k->navne[k->nnavne])
                return false;
            k->nnavne++;
        }
        p += len;
        p += *p == ',';
    }
    return true;
}

static ng_status list_row(ng_kommuneliste *l, const ng_csvdoc *doc, const ng_csvrow *row,
                          ng_diags *diags)
{
    if (row->nfields < 2 || row->nfields > 3) {
        ng_error(diags, doc->path, row->line, 0, "forventet kode;navn;andre_navne");
        return NG_ERR_INPUT;
    }
    const char *kode = row->fields[0], *navn = row->fields[1];
    if (strlen(kode) != 3 || !all_digits(kode)) {
        ng_error(diags, doc->path, row->line, 1, "kommunekoden skal være tre cifre: '%s'", kode);
        return NG_ERR_INPUT;
    }
    if (blank(navn)) {
        ng_error(diags, doc->path, row->line, 2, "kommunen har intet navn");
        return NG_ERR_INPUT;
    }
    ng_kommune_def *k = &l->items[l->n];
    memset(k, 0, sizeof *k);
    memcpy(k->kode, kode, 4);
    l->n++;
    if (!(k->navn = strdup(navn)) || !add_names(k, row->nfields > 2 ? row->fields[2] : ""))
        return NG_ERR_NOMEM;
    return NG_OK;
}

ng_status ng_kommuneliste_load(const char *path, ng_kommuneliste *l, ng_diags *diags)
{
    memset(l, 0, sizeof *l);
    ng_csvdoc doc;
    ng_status st = ng_csvdoc_read_path(path, &doc, diags);
    if (st == NG_OK && (doc.nrows < 2 || ng_csvdoc_column(&doc, "kode") != 0)) {
        ng_error(diags, path, doc.nrows ? doc.rows[0].line : 0, 0,
                 "forventet overskriften kode;navn;andre_navne");
        st = NG_ERR_INPUT;
    }
    if (st == NG_OK && !(l->items = calloc(doc.nrows, sizeof *l->items)))
        st = NG_ERR_NOMEM;
    for (size_t i = 1; st == NG_OK && i < doc.nrows; i++)
        st = list_row(l, &doc, &doc.rows[i], diags);
    for (size_t i = 0; st == NG_OK && i < l->n; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(l->items[i].kode, l->items[j].kode)) {
                ng_error(diags, path, 0, 0, "kommunekoden %s står to gange", l->items[i].kode);
                st = NG_ERR_INPUT;
            }
    ng_csvdoc_free(&doc);
    if (st != NG_OK)
        ng_kommuneliste_free(l);
    return st;
}

static const ng_kommune_def *by_code(const ng_kommuneliste *l, long code)
{
    char kode[8];
    snprintf(kode, sizeof kode, "%03ld", code);
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].kode, kode))
            return &l->items[i];
    return NULL;
}

static bool name_matches(const ng_kommune_def *k, const char *folded)
{
    for (size_t i = 0; i < k->nnavne; i++)
        if (!strcmp(k->navne[i], folded))
            return true;
    return false;
}

/* FOLK1A's areas that are not municipalities: the country, the regions,
 * the landsdele and Christiansø, written as a name. */
static bool other_area_name(const char *folded)
{
    static const char *const prefixes[] = {"hele landet", "region ", "landsdel ", "christiansø"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (!strncmp(folded, prefixes[i], strlen(prefixes[i])))
            return true;
    return false;
}

/* ... and as a code: 000 the country, 081-085 the regions, 411 Christiansø;
 * one or two digits a landsdel. */
static bool other_area_code(long code, size_t digits)
{
    return digits <= 2 || code == 0 || (code >= 81 && code <= 85) || code == 411;
}

static ng_area_kind lookup_name(const ng_kommuneliste *l, const char *name,
                                const ng_kommune_def **out)
{
    char *f = folded_copy(name);
    if (!f)
        return NG_AREA_UKENDT;
    size_t len = strlen(f);
    static const char suffix[] = " kommune";
    if (len > strlen(suffix) && !strcmp(f + len - strlen(suffix), suffix))
        f[len - strlen(suffix)] = '\0';
    ng_area_kind kind = other_area_name(f) ? NG_AREA_ANDET : NG_AREA_UKENDT;
    for (size_t i = 0; kind == NG_AREA_UKENDT && i < l->n; i++)
        if (name_matches(&l->items[i], f)) {
            *out = &l->items[i];
            kind = NG_AREA_KOMMUNE;
        }
    free(f);
    return kind;
}

ng_area_kind ng_kommune_lookup(const ng_kommuneliste *l, const char *text,
                               const ng_kommune_def **out)
{
    *out = NULL;
    const char *s = text ? text + strspn(text, " ") : "";
    size_t digits = strspn(s, "0123456789");
    if (digits > 0 && digits <= 4 && (s[digits] == '\0' || s[digits] == ' ')) {
        /* a code, alone or before the name ("730 Randers") */
        long code = strtol(s, NULL, 10);
        if ((*out = by_code(l, code)) != NULL)
            return NG_AREA_KOMMUNE;
        return other_area_code(code, digits) ? NG_AREA_ANDET : NG_AREA_UKENDT;
    }
    return blank(s) ? NG_AREA_UKENDT : lookup_name(l, s, out);
}

/* ---- the population: FOLK1A --------------------------------------------- */

bool ng_kvartal_valid(const char *s)
{
    char year[5] = "";
    if (s && strlen(s) == 6)
        memcpy(year, s, 4);
    /* a year as every small file has it (1900-2199): not 0000, not 9999 */
    return year[0] && ng_csvdoc_year(year) && (s[4] == 'K' || s[4] == 'k') && s[5] >= '1' &&
           s[5] <= '4';
}

/* "2022k4" -> "2022K4" */
static void kvartal_norm(const char *s, char out[8])
{
    snprintf(out, 8, "%.4sK%c", s, s[5]);
}

typedef enum {
    COL_AREA,
    COL_AGE,
    COL_QUARTER,
    COL_VALUE,
    COL_TOTAL_ONLY, /* KØN, CIVILSTAND: only "I alt" */
    COL_PERIOD,     /* a quarter's numbers (the table layout) */
    COL_UNNAMED     /* no name: the area or the age */
} col_role;

enum { AGE_NONE = -1, AGE_TOTAL = -2 };
#define NAGES (NG_BEFOLKNING_TIL - NG_BEFOLKNING_FRA + 1)

/* One number of the file: an area, an age (or group, or none), a quarter. */
typedef struct {
    const ng_kommune_def *k; /* NULL: not a municipality */
    int age_lo, age_hi;      /* AGE_NONE: the file has no ages; AGE_TOTAL: "I alt" */
    char kvartal[8];
    long antal;
    long line;
    long field; /* 1-based, of the number */
} folk_obs;

/* What has been counted of one municipality in the chosen quarter. */
typedef struct {
    const ng_kommune_def *k;
    long sum;
    long age_line[NAGES]; /* the line that gave each age; 0 = none yet */
    long summed_line;     /* a file without ages: the line of its number */
    long total_line;      /* a row "I alt" (all ages) */
    bool counted;         /* some number of ages 18-66 (or the sum) was counted */
} folk_acc;

typedef struct {
    const ng_csvdoc *doc;
    const ng_kommuneliste *l;
    ng_diags *diags;
    size_t header, last; /* rows: the header, the last data row */
    size_t ncols;
    col_role *role;
    char (*period)[8]; /* the quarter of each COL_PERIOD column */
    int area, age, quarter, value;
    bool wide;
    long errors;
    /* the last area looked up (a field of doc) and what it named */
    const char *cached_area;
    const ng_kommune_def *cached_k;
    ng_area_kind cached_kind;
    /* the quarters seen (pass 1) */
    char (*quarters)[8];
    size_t nquarters;
    /* the counting (pass 2) */
    const char *chosen;
    folk_acc *acc;
    size_t nacc;
    long used;
} folk_reader;

static void folk_error(folk_reader *r, long line, long field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void folk_error(folk_reader *r, long line, long field, const char *fmt, ...)
{
    r->errors++;
    if (r->errors > MAX_ROW_ERRORS)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ng_error(r->diags, r->doc->path, line, field, "%s", msg);
}

static bool word_in(const char *folded, const char *const *words)
{
    for (; *words; words++)
        if (!strcmp(folded, *words))
            return true;
    return false;
}

static const char *const area_words[] = {"område",      "omraade",     "kommune",
                                         "kommunekode", "kommunenavn", NULL};
static const char *const age_words[] = {"alder", NULL};
static const char *const quarter_words[] = {"tid", "kvartal", NULL};
static const char *const value_words[] = {"indhold", "antal", "personer", "befolkning", NULL};
static const char *const total_only_words[] = {"køn", "koen", "civilstand", "herkomst", NULL};
static const char *const total_values[] = {"i alt",     "ialt",        "tot",
                                           "total",     "alder i alt", "køn i alt",
                                           "begge køn", "alle",        "civilstand i alt",
                                           NULL};

/* The variable names a header may hold, and the column each is. */
static const struct {
    const char *const *words;
    col_role role;
} named_columns[] = {{area_words, COL_AREA},
                     {age_words, COL_AGE},
                     {quarter_words, COL_QUARTER},
                     {value_words, COL_VALUE},
                     {total_only_words, COL_TOTAL_ONLY}};

/* The reader's column of a role a header has at most once; NULL for the
 * others. */
static int *role_slot(folk_reader *r, col_role role)
{
    switch (role) {
    case COL_AREA:
        return &r->area;
    case COL_AGE:
        return &r->age;
    case COL_QUARTER:
        return &r->quarter;
    case COL_VALUE:
        return &r->value;
    default:
        return NULL;
    }
}

/* The role of header field f: a variable name, a quarter, or no name;
 * false after an error. */
static bool header_role(folk_reader *r, size_t f, const char *text)
{
    char *h = folded_copy(text);
    if (!h)
        return false;
    long line = r->doc->rows[r->header].line;
    bool known = false;
    for (size_t i = 0; !known && i < sizeof named_columns / sizeof *named_columns; i++)
        if (word_in(h, named_columns[i].words)) {
            r->role[f] = named_columns[i].role;
            known = true;
        }
    if (!known && ng_kvartal_valid(h)) {
        r->role[f] = COL_PERIOD;
        kvartal_norm(h, r->period[f]);
        r->wide = true;
        known = true;
    } else if (!known && blank(h)) {
        r->role[f] = COL_UNNAMED; /* the area or the age: decided after the header */
        known = true;
    }
    free(h);
    if (!known) {
        folk_error(r, line, (long)f + 1,
                   "ukendt kolonne '%s' i befolkningsfilen (forventet OMRÅDE, ALDER, TID og "
                   "INDHOLD, eller et kvartal som 2022K4)",
                   text);
        return false;
    }
    int *slot = role_slot(r, r->role[f]);
    if (slot && *slot >= 0) {
        folk_error(r, line, (long)f + 1, "kolonnen '%s' står to gange i befolkningsfilen", text);
        return false;
    }
    if (slot)
        *slot = (int)f;
    return true;
}

/* Columns without a name (the StatBank's table layout) are the area and then
 * the age, in that order. */
static bool assign_unnamed(folk_reader *r)
{
    long line = r->doc->rows[r->header].line;
    for (size_t f = 0; f < r->ncols; f++) {
        if (r->role[f] != COL_UNNAMED)
            continue;
        if (!r->wide) {
            folk_error(r, line, (long)f + 1, "kolonne %zu har ingen overskrift", f + 1);
            return false;
        }
        int *slot = r->area < 0 ? &r->area : r->age < 0 ? &r->age : NULL;
        if (!slot) {
            folk_error(r, line, (long)f + 1,
                       "kolonne %zu har ingen overskrift (kun område og alder kan stå uden)",
                       f + 1);
            return false;
        }
        *slot = (int)f;
        r->role[f] = slot == &r->area ? COL_AREA : COL_AGE;
    }
    return true;
}

static bool check_layout(folk_reader *r)
{
    long line = r->doc->rows[r->header].line;
    if (r->wide && (r->quarter >= 0 || r->value >= 0)) {
        folk_error(r, line, 0,
                   "befolkningsfilen har både kolonner for kvartaler (2022K4) og kolonnerne TID "
                   "eller INDHOLD");
        return false;
    }
    if (!r->wide && (r->quarter < 0 || r->value < 0)) {
        folk_error(r, line, 0,
                   "befolkningsfilen har hverken kolonnerne TID og INDHOLD eller en kolonne pr. "
                   "kvartal (2022K4)");
        return false;
    }
    if (r->area < 0) {
        folk_error(r, line, 0, "befolkningsfilen har ingen kolonne OMRÅDE med kommunerne");
        return false;
    }
    return true;
}

/* The header: the first row with more than one field; the single-field rows
 * before it are the export's title lines, those after the last data row its
 * notes (both told, neither read). */
static bool find_layout(folk_reader *r)
{
    const ng_csvdoc *doc = r->doc;
    size_t h = 0;
    while (h < doc->nrows && doc->rows[h].nfields < 2)
        h++;
    if (h == doc->nrows) {
        folk_error(r, doc->nrows ? doc->rows[0].line : 0, 0,
                   doc->nrows ? "befolkningsfilen har ingen overskrift med kolonner"
                              : "befolkningsfilen er tom");
        return false;
    }
    for (size_t i = 0; i < h; i++)
        ng_note(r->diags, doc->path, doc->rows[i].line, 0, "titellinjen læses ikke: '%s'",
                doc->rows[i].fields[0]);
    r->header = h;
    r->last = doc->nrows - 1;
    while (r->last > h && doc->rows[r->last].nfields == 1) {
        ng_note(r->diags, doc->path, doc->rows[r->last].line, 0, "noten læses ikke: '%s'",
                doc->rows[r->last].fields[0]);
        r->last--;
    }
    r->ncols = doc->rows[h].nfields;
    r->role = calloc(r->ncols, sizeof *r->role);
    r->period = calloc(r->ncols, sizeof *r->period);
    if (!r->role || !r->period)
        return false;
    bool ok = true;
    for (size_t f = 0; f < r->ncols; f++)
        ok &= header_role(r, f, doc->rows[h].fields[f]);
    return ok && assign_unnamed(r) && check_layout(r);
}

/* "18", "18 år", "100 år og derover", "18-66", "18-66 år", "I alt". */
static bool parse_age(const char *text, int *lo, int *hi)
{
    char *f = folded_copy(text);
    if (!f)
        return false;
    bool ok = false;
    if (word_in(f, total_values)) {
        *lo = *hi = AGE_TOTAL;
        ok = true;
    } else {
        char *end;
        long a = strtol(f, &end, 10), b = a;
        bool digits = end != f && isdigit((unsigned char)f[0]);
        if (digits && (*end == '-' || !strncmp(end, "\xE2\x80\x93", 3))) {
            char *start = end + (*end == '-' ? 1 : 3);
            b = strtol(start, &end, 10);
            digits = end != start && isdigit((unsigned char)*start);
        }
        const char *rest = end + strspn(end, " ");
        bool open_ended = !strcmp(rest, "år og derover") || !strcmp(rest, "år og over");
        if (digits && (!*rest || !strcmp(rest, "år") || open_ended) && a >= 0 && a <= b &&
            b <= 130) {
            *lo = (int)a;
            *hi = open_ended ? 130 : (int)b;
            ok = true;
        }
    }
    free(f);
    return ok;
}

static bool is_total(const char *text)
{
    char *f = folded_copy(text);
    bool yes = f && word_in(f, total_values);
    free(f);
    return yes;
}

/* The area of row i (the table layout repeats an area only on its first
 * row: an empty area is the one above). */
static bool row_area(folk_reader *r, const ng_csvrow *row, const ng_kommune_def **k,
                     const char **last_area)
{
    const char *text = row->fields[r->area];
    if (blank(text) && r->wide && *last_area)
        text = *last_area;
    if (blank(text)) {
        folk_error(r, row->line, r->area + 1, "rækken har intet område");
        return false;
    }
    *last_area = text;
    /* rows come grouped by area: the last lookup is usually this one's */
    if (!r->cached_area || strcmp(r->cached_area, text) != 0) {
        r->cached_kind = ng_kommune_lookup(r->l, text, &r->cached_k);
        r->cached_area = text;
    }
    ng_area_kind kind = r->cached_kind;
    *k = r->cached_k;
    if (kind == NG_AREA_UKENDT) {
        folk_error(r, row->line, r->area + 1,
                   "ukendt kommune: '%s' (hverken et kommunenavn eller en kommunekode fra "
                   "data/kommuner.csv)",
                   text);
        return false;
    }
    return true;
}

static bool row_dimensions(folk_reader *r, const ng_csvrow *row, folk_obs *o)
{
    o->age_lo = o->age_hi = AGE_NONE;
    if (r->age >= 0 && !parse_age(row->fields[r->age], &o->age_lo, &o->age_hi)) {
        folk_error(r, row->line, r->age + 1,
                   "alderen er ugyldig (forventet fx '18 år' eller '18'): '%s'",
                   row->fields[r->age]);
        return false;
    }
    for (size_t f = 0; f < r->ncols; f++)
        if (r->role[f] == COL_TOTAL_ONLY && !is_total(row->fields[f])) {
            folk_error(r, row->line, (long)f + 1,
                       "kolonnen '%s' må kun have 'I alt' (ellers tælles personerne flere gange; "
                       "vælg 'I alt' i Statistikbanken): '%s'",
                       r->doc->rows[r->header].fields[f], row->fields[f]);
            return false;
        }
    return true;
}

static bool row_number(folk_reader *r, const ng_csvrow *row, size_t f, folk_obs *o)
{
    o->field = (long)f + 1;
    count_parse c = parse_count(row->fields[f], &o->antal);
    if (c == COUNT_TOO_BIG)
        folk_error(r, row->line, o->field, "antallet er for stort (højst 100.000.000): '%s'",
                   row->fields[f]);
    else if (c == COUNT_BAD)
        folk_error(r, row->line, o->field, "antallet er ikke et helt tal: '%s'", row->fields[f]);
    return c == COUNT_OK;
}

static bool remember_quarter(folk_reader *r, const char *q)
{
    for (size_t i = 0; i < r->nquarters; i++)
        if (!strcmp(r->quarters[i], q))
            return true;
    char(*more)[8] = realloc(r->quarters, (r->nquarters + 1) * sizeof *more);
    if (!more)
        return false;
    r->quarters = more;
    memcpy(r->quarters[r->nquarters++], q, 8);
    return true;
}

static folk_acc *acc_for(folk_reader *r, const ng_kommune_def *k)
{
    for (size_t i = 0; i < r->nacc; i++)
        if (r->acc[i].k == k)
            return &r->acc[i];
    folk_acc *more = realloc(r->acc, (r->nacc + 1) * sizeof *more);
    if (!more)
        return NULL;
    r->acc = more;
    folk_acc *a = &r->acc[r->nacc++];
    memset(a, 0, sizeof *a);
    a->k = k;
    return a;
}

/* Counts one number of the chosen quarter. */
static bool count_obs(folk_reader *r, const folk_obs *o)
{
    if (!o->k || o->age_hi == AGE_TOTAL ||
        (o->age_lo != AGE_NONE &&
         (o->age_hi < NG_BEFOLKNING_FRA || o->age_lo > NG_BEFOLKNING_TIL))) {
        if (o->k && o->age_hi == AGE_TOTAL) {
            folk_acc *a = acc_for(r, o->k);
            if (!a)
                return false;
            a->total_line = a->total_line ? a->total_line : o->line;
        }
        return true;
    }
    folk_acc *a = acc_for(r, o->k);
    if (!a)
        return false;
    if (o->age_lo == AGE_NONE) {
        if (a->summed_line)
            folk_error(r, o->line, o->field, "kommune %s (%s) står to gange i %s (også linje %ld)",
                       o->k->kode, o->k->navn, o->kvartal, a->summed_line);
        a->summed_line = o->line;
        a->sum += o->antal;
        a->counted = true;
        r->used++;
        return true;
    }
    if (o->age_lo < NG_BEFOLKNING_FRA || o->age_hi > NG_BEFOLKNING_TIL) {
        folk_error(r, o->line, r->age + 1,
                   "aldersgruppen %d-%d år går på tværs af 18-66 år: vælg enkelte aldre", o->age_lo,
                   o->age_hi);
        return true;
    }
    for (int age = o->age_lo; age <= o->age_hi; age++) {
        long *seen = &a->age_line[age - NG_BEFOLKNING_FRA];
        if (*seen) {
            folk_error(r, o->line, r->age + 1,
                       "kommune %s (%s), alder %d står to gange i %s (også linje %ld)", o->k->kode,
                       o->k->navn, age, o->kvartal, *seen);
            return true;
        }
        *seen = o->line;
    }
    a->sum += o->antal;
    a->counted = true;
    r->used++;
    return true;
}

/* Pass 1 checks every number and collects the quarters; pass 2 counts those
 * of the chosen quarter. */
static bool take_obs(folk_reader *r, const folk_obs *o, int pass)
{
    if (pass == 1)
        return remember_quarter(r, o->kvartal);
    return strcmp(o->kvartal, r->chosen) != 0 || count_obs(r, o);
}

static bool read_row(folk_reader *r, const ng_csvrow *row, const char **last_area, int pass)
{
    if (row->nfields != r->ncols) {
        folk_error(r, row->line, 0, "rækken har %zu felter, overskriften %zu", row->nfields,
                   r->ncols);
        return true;
    }
    folk_obs o;
    memset(&o, 0, sizeof o);
    o.line = row->line;
    if (!row_area(r, row, &o.k, last_area) || !row_dimensions(r, row, &o))
        return true;
    if (!r->wide) {
        const char *q = row->fields[r->quarter];
        if (!ng_kvartal_valid(q)) {
            folk_error(r, row->line, r->quarter + 1,
                       "kvartalet er ugyldigt (forventet fx 2022K4): '%s'", q);
            return true;
        }
        kvartal_norm(q, o.kvartal);
        return !row_number(r, row, (size_t)r->value, &o) || take_obs(r, &o, pass);
    }
    for (size_t f = 0; f < r->ncols; f++) {
        if (r->role[f] != COL_PERIOD)
            continue;
        memcpy(o.kvartal, r->period[f], 8);
        if (row_number(r, row, f, &o) && !take_obs(r, &o, pass))
            return false;
    }
    return true;
}

/* One pass over the data rows; false on out of memory. */
static bool read_rows(folk_reader *r, int pass)
{
    const char *last_area = NULL;
    for (size_t i = r->header + 1; i <= r->last && i < r->doc->nrows; i++)
        if (!read_row(r, &r->doc->rows[i], &last_area, pass))
            return false;
    return true;
}

static int compare_quarters(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* The configured quarter, or the latest; an error when the file lacks it. */
static bool choose_quarter(folk_reader *r, const char *kvartal, char out[8])
{
    if (r->nquarters == 0) {
        folk_error(r, 0, 0, "befolkningsfilen har ingen tal");
        return false;
    }
    qsort(r->quarters, r->nquarters, sizeof *r->quarters, compare_quarters);
    if (!kvartal) {
        memcpy(out, r->quarters[r->nquarters - 1], 8);
        return true;
    }
    kvartal_norm(kvartal, out);
    for (size_t i = 0; i < r->nquarters; i++)
        if (!strcmp(r->quarters[i], out))
            return true;
    folk_error(r, 0, 0,
               "kvartalet %s ([befolkning] kvartal) findes ikke i befolkningsfilen (den har %s-%s)",
               out, r->quarters[0], r->quarters[r->nquarters - 1]);
    return false;
}

/* Each municipality counted by age has every age 18-66 once. */
static void check_complete(folk_reader *r)
{
    for (size_t i = 0; i < r->nacc; i++) {
        const folk_acc *a = &r->acc[i];
        int missing = -1;
        for (int k = 0; k < NAGES && missing < 0; k++)
            if (!a->age_line[k])
                missing = NG_BEFOLKNING_FRA + k;
        if (!a->counted)
            folk_error(r, a->total_line, r->age + 1,
                       "kommune %s (%s) har kun alder 'I alt' i %s (hele befolkningen): vælg "
                       "aldrene 18-66 år",
                       a->k->kode, a->k->navn, r->chosen);
        else if (!a->summed_line && missing >= 0)
            folk_error(r, 0, 0,
                       "kommune %s (%s) mangler alder %d i %s (aldrene 18-66 år skal alle "
                       "være med)",
                       a->k->kode, a->k->navn, missing, r->chosen);
    }
}

static int compare_kommuner(const void *a, const void *b)
{
    return strcmp(((const ng_befolkning_kommune *)a)->kode,
                  ((const ng_befolkning_kommune *)b)->kode);
}

static ng_status folk_result(folk_reader *r, ng_befolkning *out)
{
    out->kommuner = calloc(r->nacc ? r->nacc : 1, sizeof *out->kommuner);
    if (!out->kommuner)
        return NG_ERR_NOMEM;
    for (size_t i = 0; i < r->nacc; i++)
        if (r->acc[i].counted) {
            memcpy(out->kommuner[out->n].kode, r->acc[i].k->kode, 4);
            out->kommuner[out->n++].antal = r->acc[i].sum;
        }
    qsort(out->kommuner, out->n, sizeof *out->kommuner, compare_kommuner);
    out->rows_used = r->used;
    return NG_OK;
}

static void folk_free(folk_reader *r)
{
    free(r->role);
    free(r->period);
    free(r->quarters);
    free(r->acc);
}

ng_status ng_befolkning_from_doc(const ng_csvdoc *doc, const char *kvartal,
                                 const ng_kommuneliste *l, ng_befolkning *out, ng_diags *diags)
{
    memset(out, 0, sizeof *out);
    folk_reader r = {
        .doc = doc, .l = l, .diags = diags, .area = -1, .age = -1, .quarter = -1, .value = -1};
    ng_status st = NG_OK;
    char chosen[8] = "";
    bool ok = find_layout(&r);
    if (ok && (!r.role || !r.period || !read_rows(&r, 1)))
        st = NG_ERR_NOMEM;
    else if (!ok && r.errors == 0)
        st = NG_ERR_NOMEM; /* the layout's arrays could not be allocated */
    if (st == NG_OK && r.errors == 0 && choose_quarter(&r, kvartal, chosen)) {
        r.chosen = chosen;
        if (!read_rows(&r, 2))
            st = NG_ERR_NOMEM;
        check_complete(&r);
    }
    out->rows = r.last > r.header ? (long)(r.last - r.header) : 0;
    if (r.errors > MAX_ROW_ERRORS)
        ng_error(diags, doc->path, 0, 0, "%ld fejl i alt i befolkningsfilen", r.errors);
    if (st == NG_OK && r.errors)
        st = NG_ERR_INPUT;
    if (st == NG_OK) {
        memcpy(out->kvartal, chosen, 8);
        st = folk_result(&r, out);
    }
    folk_free(&r);
    if (st != NG_OK)
        ng_befolkning_free(out);
    return st;
}

/* A StatBank export of FOLK1A for all 98 municipalities with the ages one
 * by one and eight quarters is about 10^5 rows (4 MB); the population file
 * may hold five times that (500.000 rows stay within 200 MB when read).
 * Its title lines come before the header (the table layout), which
 * ng_befolkning_from_doc finds and checks. */
static const ng_csvdoc_limits folk1a_limits = {
    .max_bytes = 64 * 1024 * 1024, .max_rows = 500000, .titled = true};

ng_status ng_befolkning_read(const ng_input_file *file, const char *kvartal,
                             const ng_kommuneliste *l, ng_befolkning *out, ng_diags *diags)
{
    memset(out, 0, sizeof *out);
    ng_csvdoc doc;
    ng_status st = ng_csvdoc_read_limited(file, &folk1a_limits, &doc, diags);
    if (st == NG_OK)
        st = ng_befolkning_from_doc(&doc, kvartal, l, out, diags);
    ng_csvdoc_free(&doc);
    return st;
}

void ng_befolkning_free(ng_befolkning *b)
{
    if (!b)
        return;
    free(b->kommuner);
    b->kommuner = NULL;
    b->n = 0;
}

long ng_befolkning_antal(const ng_befolkning *b, const char *kode)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->kommuner[i].kode, kode))
            return b->kommuner[i].antal;
    return -1;
}

/* ---- the records ---------------------------------------------------------- */

void ng_bench_init(ng_bench *b)
{
    memset(b, 0, sizeof *b);
}

static void free_kommune(ng_bench_kommune *k)
{
    free(k->navn);
    free(k->kilde);
    for (int d = 0; d < NG_BENCH_NDIM; d++) {
        for (size_t i = 0; i < k->nfordeling[d]; i++) {
            free(k->fordeling[d][i].key);
            free(k->fordeling[d][i].label);
        }
        free(k->fordeling[d]);
    }
}

void ng_bench_free(ng_bench *b)
{
    for (size_t i = 0; b && i < b->n; i++)
        free_kommune(&b->kommuner[i]);
    if (b) {
        free(b->kommuner);
        ng_bench_init(b);
    }
}

static ng_bench_kommune *find_kommune(const ng_bench *b, const char *kode)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->kommuner[i].kode, kode))
            return &b->kommuner[i];
    return NULL;
}

/* A new record (NULL on out of memory); kilde may be NULL. */
static ng_bench_kommune *add_kommune(ng_bench *b, const char *kode, const char *navn,
                                     const char *kilde)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 8;
        ng_bench_kommune *more = realloc(b->kommuner, cap * sizeof *more);
        if (!more)
            return NULL;
        b->kommuner = more;
        b->cap = cap;
    }
    ng_bench_kommune *k = &b->kommuner[b->n++];
    memset(k, 0, sizeof *k);
    snprintf(k->kode, sizeof k->kode, "%s", kode);
    k->indbyggere = -1;
    k->navn = dup_str(navn);
    k->kilde = dup_str(kilde);
    if (!k->navn || (kilde && !k->kilde))
        return NULL;
    return k;
}

/* Adds n to the category key (label as first seen) of distribution d. */
static bool count_category(ng_bench_kommune *k, int d, const char *key, const char *label, long n)
{
    for (size_t i = 0; i < k->nfordeling[d]; i++)
        if (!strcmp(k->fordeling[d][i].key, key)) {
            k->fordeling[d][i].antal += n;
            return true;
        }
    ng_bench_count *more = realloc(k->fordeling[d], (k->nfordeling[d] + 1) * sizeof *more);
    if (!more)
        return false;
    k->fordeling[d] = more;
    ng_bench_count *c = &more[k->nfordeling[d]++];
    c->antal = n;
    c->key = strdup(key);
    c->label = strdup(label);
    return c->key && c->label;
}

/* The category of a free-text attribute: its key, or uoplyst when blank. */
static bool count_attribute(ng_bench_kommune *k, int d, const char *value)
{
    char key[64];
    if (blank(value))
        return count_category(k, d, "uoplyst", "Uoplyst", 1);
    category_key(value, key, sizeof key);
    return count_category(k, d, key, !strcmp(key, "uoplyst") ? "Uoplyst" : value, 1);
}

static const char *const age_keys[3] = {"18_35", "36_66", "67_plus"};
static const char *const age_labels[3] = {"18-35 år", "36-66 år", "67 år og derover"};

static int age_group_of(int alder)
{
    return alder >= 67 ? 2 : alder >= 36 ? 1 : 0;
}

/* The cases the benchmark counts: område voksen, covered by the scheme with
 * a tier (the units of refusion_per_trin). */
static bool counted_unit(const ng_refusion_unit *u)
{
    return u->omraade == NG_OMR_VOKSEN && u->covered && u->trin > 0;
}

static bool count_unit(ng_bench_kommune *k, const ng_refusion_unit *u)
{
    int g = age_group_of(u->alder);
    k->antal++;
    k->udgift += u->udgift;
    k->refusion += u->refusion;
    return count_attribute(k, NG_BENCH_MAALGRUPPE, u->sag->maalgruppe) &&
           count_attribute(k, NG_BENCH_LEVERANDOERTYPE, u->sag->leverandoertype) &&
           count_category(k, NG_BENCH_ALDERSGRUPPE, age_keys[g], age_labels[g], 1);
}

/* The record of the municipality written text (a code or a name; added
 * when new); an unknown one is an error at the case's first line. */
static ng_status record_for(ng_bench *b, const ng_kommuneliste *l, const char *text,
                            const char *path, long line, ng_diags *diags, ng_bench_kommune **out)
{
    const ng_kommune_def *def;
    *out = NULL;
    if (ng_kommune_lookup(l, text, &def) != NG_AREA_KOMMUNE) {
        ng_error(diags, path, line, 0,
                 "ukendt kommune i udtrækkets felt kommune: '%s' (forventet en kommunekode eller "
                 "et kommunenavn fra data/kommuner.csv)",
                 text ? text : "");
        return NG_ERR_INPUT;
    }
    *out = find_kommune(b, def->kode);
    if (!*out)
        *out = add_kommune(b, def->kode, def->navn, NULL);
    return *out ? NG_OK : NG_ERR_NOMEM;
}

ng_status ng_bench_add_units(ng_bench *b, const ng_refusion_result *r, const char *default_kode,
                             const ng_kommuneliste *l, const char *extract_path, ng_diags *diags)
{
    ng_bench_kommune *k;
    ng_status st = NG_OK;
    if (default_kode)
        st = record_for(b, l, default_kode, NULL, 0, diags, &k);
    for (size_t i = 0; st == NG_OK && i < r->n; i++) {
        const ng_refusion_unit *u = &r->units[i];
        if (!counted_unit(u))
            continue;
        const char *kommune = u->sag->kommune;
        if (blank(kommune) && !default_kode) {
            ng_error(diags, extract_path, u->sag->first_line, 0,
                     "sagen har ingen kommune, og [kommune] kode er ikke angivet: angiv koden for "
                     "sammenligningen på tværs af kommuner");
            return NG_ERR_CONFIG;
        }
        st = record_for(b, l, blank(kommune) ? default_kode : kommune, extract_path,
                        u->sag->first_line, diags, &k);
        if (st == NG_OK && !count_unit(k, u))
            st = NG_ERR_NOMEM;
    }
    return st;
}

ng_status ng_bench_set_population(ng_bench *b, const ng_befolkning *pop, const char *pop_path,
                                  ng_diags *diags)
{
    ng_status st = NG_OK;
    memcpy(b->kvartal, pop->kvartal, sizeof b->kvartal);
    for (size_t i = 0; i < b->n; i++) {
        ng_bench_kommune *k = &b->kommuner[i];
        k->indbyggere = ng_befolkning_antal(pop, k->kode);
        if (k->indbyggere < 0) {
            ng_error(diags, pop_path, 0, 0,
                     "befolkningsfilen har ingen 18-66-årige for kommune %s (%s) i %s", k->kode,
                     k->navn, pop->kvartal);
            st = NG_ERR_INPUT;
        }
    }
    return st;
}

/* ---- the records of other runs: their data.json ---------------------------- */

static const char *const dim_tables[NG_BENCH_NDIM] = {
    "benchmark_maalgrupper", "benchmark_leverandoertyper", "benchmark_aldersgrupper"};

/* One data.json being read: its path for messages. */
typedef struct {
    const char *path;
    ng_diags *diags;
    json_t *root;
} contribution;

static ng_status not_ours(const contribution *c, const char *what)
{
    ng_error(c->diags, c->path, 0, 0,
             "ikke data.json fra en kørsel med [befolkning]: %s (se docs/nationalt.md)", what);
    return NG_ERR_INPUT;
}

static const json_t *value_of(const contribution *c, const char *name)
{
    return json_object_get(json_object_get(json_object_get(c->root, "values"), name), "value");
}

/* The table's object, refusing one with suppressed cells: the reduce
 * needs every number of every municipality. */
static ng_status table_of(const contribution *c, const char *name, const json_t **out)
{
    const json_t *t = json_object_get(json_object_get(c->root, "tables"), name);
    const json_t *rows = json_object_get(t, "rows"), *sup = json_object_get(t, "suppressed");
    char what[128];
    snprintf(what, sizeof what, "tabellen %s mangler", name);
    if (!json_is_object(t) || !json_is_array(rows) || !json_is_array(json_object_get(t, "columns")))
        return not_ours(c, what);
    if (json_array_size(sup) > 0) {
        const json_t *first = json_array_get(sup, 0);
        ng_error(c->diags, c->path, 0, 0,
                 "tabellen %s har diskretionerede celler (række %lld, kolonne %s): kør kommunens "
                 "kørsel til den samlede opgørelse med [privatliv] mindste_celle = 1 (se "
                 "docs/nationalt.md)",
                 name, (long long)json_integer_value(json_object_get(first, "row")),
                 json_string_value(json_object_get(first, "column")));
        return NG_ERR_INPUT;
    }
    *out = t;
    return NG_OK;
}

static ng_status bad_cell(const contribution *c, const char *table, size_t row, const char *key,
                          const char *expected)
{
    ng_error(c->diags, c->path, 0, 0, "tabellen %s, række %zu, kolonnen %s: forventet %s", table,
             row, key, expected);
    return NG_ERR_INPUT;
}

/* A whole, non-negative number in row's column key. */
static ng_status cell_count(const contribution *c, const char *table, size_t i, const json_t *row,
                            const char *key, long *out)
{
    const json_t *v = json_object_get(row, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000000)
        return bad_cell(c, table, i, key, "et helt, ikke-negativt tal");
    *out = (long)json_integer_value(v);
    return NG_OK;
}

/* An amount in kr. (to the øre) in row's column key. */
static ng_status cell_oere(const contribution *c, const char *table, size_t i, const json_t *row,
                           const char *key, int64_t *out)
{
    const json_t *v = json_object_get(row, key);
    double kr = json_number_value(v);
    if (!json_is_number(v) || kr > 1e13 || kr < -1e13)
        return bad_cell(c, table, i, key, "et beløb i kr.");
    *out = (int64_t)llround(kr * 100.0);
    return NG_OK;
}

static bool summary_row(const char *key)
{
    return key && (!strcmp(key, "gennemsnit") || !strcmp(key, "median") || !strcmp(key, "i_alt"));
}

/* The run's year, quarter and extract date: the same year and quarter as
 * the files before. */
static ng_status read_facts(ng_bench *b, const contribution *c)
{
    const json_t *aar = value_of(c, "aar"), *kv = value_of(c, "befolkning_kvartal");
    const char *dato = json_string_value(json_object_get(c->root, "udtraek_dato"));
    ng_date d;
    const char *why;
    if (!json_is_integer(aar) || !ng_kvartal_valid(json_string_value(kv)) || !dato ||
        ng_parse_date(dato, &d, &why) != NG_OK)
        return not_ours(c, "værdierne aar, befolkning_kvartal eller udtraek_dato mangler");
    if (b->aar && (b->aar != (int)json_integer_value(aar) ||
                   strcmp(b->kvartal, json_string_value(kv)) != 0)) {
        ng_error(c->diags, c->path, 0, 0,
                 "filen gælder %lld med befolkningen i %s, de andre %d med befolkningen i %s: "
                 "alle kommuner skal køres for samme år og kvartal",
                 (long long)json_integer_value(aar), json_string_value(kv), b->aar, b->kvartal);
        return NG_ERR_INPUT;
    }
    b->aar = (int)json_integer_value(aar);
    snprintf(b->kvartal, sizeof b->kvartal, "%s", json_string_value(kv));
    if (!b->dato.y || ng_date_cmp(d, b->dato) > 0)
        b->dato = d;
    return NG_OK;
}

static ng_status read_main_row(ng_bench *b, const contribution *c, size_t i, const json_t *row)
{
    static const char table[] = "benchmark";
    const char *kode = json_string_value(json_object_get(row, "kode"));
    const char *navn = json_string_value(json_object_get(row, "kommune"));
    if (!kode || strlen(kode) != 3 || !all_digits(kode))
        return bad_cell(c, table, i, "kode", "en kommunekode med tre cifre");
    if (blank(navn))
        return bad_cell(c, table, i, "kommune", "kommunens navn");
    const ng_bench_kommune *seen = find_kommune(b, kode);
    if (seen) {
        ng_error(c->diags, c->path, 0, 0, "kommune %s (%s) står også i %s", kode, navn,
                 seen->kilde ? seen->kilde : "?");
        return NG_ERR_INPUT;
    }
    ng_bench_kommune *k = add_kommune(b, kode, navn, c->path);
    if (!k)
        return NG_ERR_NOMEM;
    ng_status st = cell_count(c, table, i, row, "antal", &k->antal);
    if (st == NG_OK)
        st = cell_count(c, table, i, row, "indbyggere", &k->indbyggere);
    if (st == NG_OK)
        st = cell_oere(c, table, i, row, "udgift", &k->udgift);
    if (st == NG_OK)
        st = cell_oere(c, table, i, row, "refusion", &k->refusion);
    return st;
}

/* The municipality's row of a distribution table: a count per antal_*
 * column (the category's name is the column's group), adding up to its
 * cases. */
static ng_status read_distribution(ng_bench_kommune *k, int d, const contribution *c,
                                   const json_t *t)
{
    const json_t *rows = json_object_get(t, "rows"), *cols = json_object_get(t, "columns");
    const json_t *row = NULL;
    size_t i, j;
    for (i = 0; i < json_array_size(rows) && !row; i++) {
        const char *key = json_string_value(json_object_get(json_array_get(rows, i), "_key"));
        if (key && !strcmp(key, k->kode))
            row = json_array_get(rows, i);
    }
    if (!row) {
        ng_error(c->diags, c->path, 0, 0, "tabellen %s har ingen række for kommune %s",
                 dim_tables[d], k->kode);
        return NG_ERR_INPUT;
    }
    long sum = 0;
    for (j = 0; j < json_array_size(cols); j++) {
        const json_t *col = json_array_get(cols, j);
        const char *key = json_string_value(json_object_get(col, "key"));
        const char *label = json_string_value(json_object_get(col, "group"));
        long n;
        if (!key || strncmp(key, "antal_", 6) != 0)
            continue;
        if (!label)
            return bad_cell(c, dim_tables[d], i - 1, key, "en kolonne med kategoriens navn");
        ng_status st = cell_count(c, dim_tables[d], i - 1, row, key, &n);
        if (st != NG_OK)
            return st;
        if (!count_category(k, d, key + 6, label, n))
            return NG_ERR_NOMEM;
        sum += n;
    }
    if (sum != k->antal) {
        ng_error(c->diags, c->path, 0, 0,
                 "tabellen %s: kommune %s har %ld sager fordelt, tabellen benchmark %ld",
                 dim_tables[d], k->kode, sum, k->antal);
        return NG_ERR_INPUT;
    }
    return NG_OK;
}

static ng_status read_contribution(ng_bench *b, const contribution *c)
{
    const json_t *main, *dims[NG_BENCH_NDIM];
    ng_status st = read_facts(b, c);
    if (st == NG_OK)
        st = table_of(c, "benchmark", &main);
    for (int d = 0; st == NG_OK && d < NG_BENCH_NDIM; d++)
        st = table_of(c, dim_tables[d], &dims[d]);
    size_t first = b->n;
    const json_t *rows = st == NG_OK ? json_object_get(main, "rows") : NULL;
    for (size_t i = 0; st == NG_OK && i < json_array_size(rows); i++) {
        const json_t *row = json_array_get(rows, i);
        if (!summary_row(json_string_value(json_object_get(row, "_key"))))
            st = read_main_row(b, c, i, row);
    }
    for (size_t k = first; st == NG_OK && k < b->n; k++)
        for (int d = 0; st == NG_OK && d < NG_BENCH_NDIM; d++)
            st = read_distribution(&b->kommuner[k], d, c, dims[d]);
    return st;
}

ng_status ng_bench_read_json(ng_bench *b, const char *path, ng_diags *diags)
{
    json_error_t err;
    contribution c = {path, diags, NULL};
    if (access(path, R_OK) != 0) {
        ng_error(diags, path, 0, 0, "kan ikke læse filen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    c.root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!c.root) {
        ng_error(diags, path, err.line, err.column, "ugyldig JSON: %s", err.text);
        return NG_ERR_INPUT;
    }
    ng_status st =
        json_is_object(c.root) ? read_contribution(b, &c) : not_ours(&c, "ikke et objekt");
    json_decref(c.root);
    return st;
}

/* ---- the tables ----------------------------------------------------------- */

typedef struct {
    const ng_bench *b;
    const char *egen;
    const char *source;
    ng_dataset *ds;
    int mindste_celle;
    const ng_bench_kommune **ranked; /* most cases per 1.000 first */
    size_t nranked;
    const ng_bench_kommune **small; /* too few cases to show: by name */
    size_t nsmall;
    int egen_rank; /* 1-based; 0 = the own municipality is not ranked */
} bench_pub;

static double rate_of(const ng_bench_kommune *k)
{
    return k->indbyggere > 0 ? 1000.0 * (double)k->antal / (double)k->indbyggere : 0;
}

static int compare_rank(const void *a, const void *b)
{
    const ng_bench_kommune *x = *(const ng_bench_kommune *const *)a;
    const ng_bench_kommune *y = *(const ng_bench_kommune *const *)b;
    double rx = rate_of(x), ry = rate_of(y);
    if (rx != ry)
        return rx < ry ? 1 : -1;
    return strcmp(x->kode, y->kode);
}

static int compare_name(const void *a, const void *b)
{
    const ng_bench_kommune *x = *(const ng_bench_kommune *const *)a;
    const ng_bench_kommune *y = *(const ng_bench_kommune *const *)b;
    int c = strcmp(x->navn, y->navn);
    return c ? c : strcmp(x->kode, y->kode);
}

/* Ranks the municipalities with enough cases (or none: 0 is no person) and
 * sets the small ones apart. */
static bool rank_kommuner(bench_pub *p)
{
    const ng_bench *b = p->b;
    p->ranked = calloc(b->n ? b->n : 1, sizeof *p->ranked);
    p->small = calloc(b->n ? b->n : 1, sizeof *p->small);
    if (!p->ranked || !p->small)
        return false;
    for (size_t i = 0; i < b->n; i++) {
        const ng_bench_kommune *k = &b->kommuner[i];
        if (k->antal > 0 && k->antal < p->mindste_celle)
            p->small[p->nsmall++] = k;
        else
            p->ranked[p->nranked++] = k;
    }
    qsort(p->ranked, p->nranked, sizeof *p->ranked, compare_rank);
    qsort(p->small, p->nsmall, sizeof *p->small, compare_name);
    for (size_t i = 0; p->egen && i < p->nranked; i++)
        if (!strcmp(p->ranked[i]->kode, p->egen))
            p->egen_rank = (int)i + 1;
    return true;
}

static double kr(int64_t oere)
{
    return (double)oere / 100.0;
}

/* The columns of the table benchmark. */
typedef struct {
    int kode, rang, kommune, antal, indbyggere, pr_1000, udgift, udgift_pr_1000, refusion, egen;
} main_cols;

static main_cols main_columns(const ng_table *t)
{
    return (main_cols){ng_table_col(t, "kode"),       ng_table_col(t, "rang"),
                       ng_table_col(t, "kommune"),    ng_table_col(t, "antal"),
                       ng_table_col(t, "indbyggere"), ng_table_col(t, "sager_pr_1000"),
                       ng_table_col(t, "udgift"),     ng_table_col(t, "udgift_pr_1000"),
                       ng_table_col(t, "refusion"),   ng_table_col(t, "egen")};
}

/* per 1.000 18-66-year-olds: 1000 * the cell / the inhabitants */
static void rule_per_1000(ng_table *t, int row, int col, int of, int indbyggere)
{
    ng_term num = {row, of, 1000.0}, den = {row, indbyggere, 1.0};
    ng_table_rule_ratio(t, row, col, &num, 1, &den, 1);
}

static void main_row(ng_table *t, const main_cols *c, const ng_bench_kommune *k, int rank,
                     bool egen)
{
    int r = ng_table_add_row(t, k->kode, 0);
    char nr[16];
    snprintf(nr, sizeof nr, "%d", rank);
    ng_table_set_text(t, r, c->kode, k->kode);
    if (rank > 0)
        ng_table_set_text(t, r, c->rang, nr);
    ng_table_set_text(t, r, c->kommune, k->navn);
    ng_table_set_num(t, r, c->antal, (double)k->antal);
    ng_table_set_num(t, r, c->indbyggere, (double)k->indbyggere);
    ng_table_set_num(t, r, c->udgift, kr(k->udgift));
    ng_table_set_num(t, r, c->refusion, kr(k->refusion));
    rule_per_1000(t, r, c->pr_1000, c->antal, c->indbyggere);
    rule_per_1000(t, r, c->udgift_pr_1000, c->udgift, c->indbyggere);
    if (egen)
        ng_table_set_text(t, r, c->egen, "Egen kommune");
}

/* The total row over the first n rows; with none (every municipality too
 * small to show) its numbers are 0, as plain values: a sum of no cells
 * has no formula. */
static int total_row(ng_table *t, int label_col, int n)
{
    if (n > 0)
        return ng_table_add_total_row(t, "i_alt", "I alt", label_col, 0, n - 1);
    int r = ng_table_add_row(t, "i_alt", NG_ROW_TOTAL);
    ng_table_set_text(t, r, label_col, "I alt");
    for (int c = 0; r >= 0 && c < t->ncols; c++)
        if (c != label_col && ng_unit_facts(t->cols[c].unit)->summable)
            ng_table_set_num(t, r, c, 0);
    return r;
}

/* Gennemsnit and Median of the ranked rows' rates (live AVERAGE and MEDIAN
 * formulas in the bilag), then the total: sums, and the rates of the sums. */
static void summary_rows(ng_table *t, const main_cols *c, int nranked)
{
    static const char *const keys[2] = {"gennemsnit", "median"};
    static const char *const labels[2] = {"Gennemsnit", "Median"};
    for (int i = 0; i < 2; i++) {
        int r = ng_table_add_row(t, keys[i], NG_ROW_SUBTOTAL);
        ng_table_set_text(t, r, c->kommune, labels[i]);
        if (nranked == 0)
            continue;
        void (*rule)(ng_table *, int, int, int, int) =
            i == 0 ? ng_table_rule_average : ng_table_rule_median;
        rule(t, r, c->pr_1000, 0, nranked - 1);
        rule(t, r, c->udgift_pr_1000, 0, nranked - 1);
    }
    int total = total_row(t, c->kommune, nranked);
    rule_per_1000(t, total, c->pr_1000, c->antal, c->indbyggere);
    rule_per_1000(t, total, c->udgift_pr_1000, c->udgift, c->indbyggere);
}

/* Names the municipalities left out of the comparison. */
static void small_note(ng_table *t, const bench_pub *p)
{
    if (!p->nsmall)
        return;
    ng_strbuf note = {0};
    ng_strbuf_addf(&note,
                   "Kommuner med færre end %d sager indgår ikke i rækkefølgen, "
                   "gennemsnittet, medianen og i alt: ",
                   p->mindste_celle);
    for (size_t i = 0; i < p->nsmall; i++)
        ng_strbuf_addf(&note, "%s%s", i ? ", " : "", p->small[i]->navn);
    ng_strbuf_addf(&note, ".");
    if (!note.oom)
        ng_table_set_note(t, note.s);
    ng_strbuf_free(&note);
}

static ng_status publish_main(bench_pub *p)
{
    char title[200];
    snprintf(title, sizeof title,
             "Særligt dyre enkeltsager på voksenområdet pr. 1.000 18-66-årige, %d", p->b->aar);
    ng_table *t = ng_decl_table_new("benchmark", title);
    if (!t)
        return NG_ERR_NOMEM;
    t->count_table = true;
    ng_table_set_source(t, p->source);
    main_cols c = main_columns(t);
    for (size_t i = 0; i < p->nranked; i++)
        main_row(t, &c, p->ranked[i], (int)i + 1, p->egen_rank == (int)i + 1);
    for (size_t i = 0; i < p->nsmall; i++)
        main_row(t, &c, p->small[i], 0, p->egen && !strcmp(p->small[i]->kode, p->egen));
    summary_rows(t, &c, (int)p->nranked);
    small_note(t, p);
    return ng_dataset_add_evaluated(p->ds, t);
}

/* ---- the distributions ------------------------------------------------------ */

typedef struct {
    const char *key, *label;
} category;

typedef struct {
    category *items;
    size_t n;
} categories;

/* The categories always shown, in their order (as the SDE tables'). */
static const category fixed_leverandoer[] = {
    {"kommunal", "Kommunal"}, {"regional", "Regional"}, {"privat", "Privat"}};
static const category fixed_alder[] = {
    {"18_35", "18-35 år"}, {"36_66", "36-66 år"}, {"67_plus", "67 år og derover"}};

static bool has_category(const categories *cs, const char *key)
{
    for (size_t i = 0; i < cs->n; i++)
        if (!strcmp(cs->items[i].key, key))
            return true;
    return false;
}

static int compare_categories(const void *a, const void *b)
{
    return strcmp(((const category *)a)->key, ((const category *)b)->key);
}

/* Every category of distribution d among the ranked municipalities: the
 * fixed ones first, then the others by key, Uoplyst last. A label is the
 * one of the municipality with the lowest code that has the category (one
 * run and a reduce see the same). The strings are borrowed. */
static bool collect_categories(const bench_pub *p, int d, categories *cs)
{
    const category *fixed = d == NG_BENCH_LEVERANDOERTYPE ? fixed_leverandoer
                            : d == NG_BENCH_ALDERSGRUPPE  ? fixed_alder
                                                          : NULL;
    size_t nfixed = fixed ? 3 : 0, cap = nfixed + 1;
    for (size_t i = 0; i < p->nranked; i++)
        cap += p->ranked[i]->nfordeling[d];
    cs->items = calloc(cap, sizeof *cs->items);
    if (!cs->items)
        return false;
    for (size_t i = 0; i < nfixed; i++)
        cs->items[cs->n++] = fixed[i];
    const ng_bench_kommune **by_code = malloc((p->nranked ? p->nranked : 1) * sizeof *by_code);
    if (!by_code)
        return false;
    memcpy(by_code, p->ranked, p->nranked * sizeof *by_code);
    for (size_t i = 1; i < p->nranked; i++)
        for (size_t j = i; j > 0 && strcmp(by_code[j - 1]->kode, by_code[j]->kode) > 0; j--) {
            const ng_bench_kommune *x = by_code[j];
            by_code[j] = by_code[j - 1];
            by_code[j - 1] = x;
        }
    bool uoplyst = false;
    for (size_t i = 0; i < p->nranked; i++)
        for (size_t c = 0; c < by_code[i]->nfordeling[d]; c++) {
            const ng_bench_count *n = &by_code[i]->fordeling[d][c];
            if (!strcmp(n->key, "uoplyst"))
                uoplyst = true;
            else if (!has_category(cs, n->key))
                cs->items[cs->n++] = (category){n->key, n->label};
        }
    free(by_code);
    qsort(cs->items + nfixed, cs->n - nfixed, sizeof *cs->items, compare_categories);
    if (uoplyst)
        cs->items[cs->n++] = (category){"uoplyst", "Uoplyst"};
    return true;
}

static long count_of(const ng_bench_kommune *k, int d, const char *key)
{
    for (size_t i = 0; i < k->nfordeling[d]; i++)
        if (!strcmp(k->fordeling[d][i].key, key))
            return k->fordeling[d][i].antal;
    return 0;
}

/* antal_KEY (persons; in the bilag and data.json) and andel_KEY (the share
 * of the row's cases), both under the category's name. Returns the antal
 * column. */
static int category_columns(ng_table *t, const category *c)
{
    char key[80];
    snprintf(key, sizeof key, "antal_%s", c->key);
    int a = ng_table_add_column(t, key, "Antal", NG_UNIT_ANTAL);
    snprintf(key, sizeof key, "andel_%s", c->key);
    int s = ng_table_add_column(t, key, "Andel", NG_UNIT_PCT);
    if (a < 0 || s < 0)
        return -1;
    t->cols[a].hidden = true;
    ng_table_set_column_persons(t, a, true); /* antal_* is declared NG_COL_PERSONS */
    ng_table_set_column_group(t, a, c->label);
    ng_table_set_column_group(t, s, c->label);
    return a;
}

/* Row r: its cases are the sum of its categories; each share is the
 * category's part of them. */
static bool distribution_rules(ng_table *t, int r, int c_antal, int first, size_t n)
{
    ng_term *terms = calloc(n ? n : 1, sizeof *terms);
    if (!terms)
        return false;
    for (size_t i = 0; i < n; i++) {
        terms[i] = (ng_term){r, first + 2 * (int)i, 1.0};
        ng_term num = {r, first + 2 * (int)i, 1.0}, den = {r, c_antal, 1.0};
        ng_table_rule_ratio(t, r, first + 2 * (int)i + 1, &num, 1, &den, 1);
    }
    /* the total row sums its column, as every other (ng_table_add_total_row) */
    if (!(t->rows[r].flags & NG_ROW_TOTAL))
        ng_table_rule_linear(t, r, c_antal, terms, (int)n);
    free(terms);
    return true;
}

static const char *const dim_titles[NG_BENCH_NDIM] = {"målgruppe", "leverandørtype",
                                                      "aldersgruppe"};

static ng_status publish_distribution(bench_pub *p, int d)
{
    char title[200];
    snprintf(title, sizeof title, "Særligt dyre enkeltsager på voksenområdet fordelt på %s, %d",
             dim_titles[d], p->b->aar);
    ng_table *t = ng_decl_table_new(dim_tables[d], title);
    categories cs = {0};
    if (!t || !collect_categories(p, d, &cs)) {
        ng_table_free(t);
        free(cs.items);
        return NG_ERR_NOMEM;
    }
    t->count_table = true;
    ng_table_set_source(t, p->source);
    int c_kode = ng_table_col(t, "kode"), c_kommune = ng_table_col(t, "kommune"),
        c_antal = ng_table_col(t, "antal"), first = t->ncols;
    for (size_t i = 0; i < cs.n; i++)
        category_columns(t, &cs.items[i]);
    bool ok = true;
    for (size_t i = 0; i < p->nranked && ok; i++) {
        const ng_bench_kommune *k = p->ranked[i];
        int r = ng_table_add_row(t, k->kode, 0);
        ng_table_set_text(t, r, c_kode, k->kode);
        ng_table_set_text(t, r, c_kommune, k->navn);
        for (size_t c = 0; c < cs.n; c++)
            ng_table_set_num(t, r, first + 2 * (int)c, (double)count_of(k, d, cs.items[c].key));
        ok = r >= 0 && distribution_rules(t, r, c_antal, first, cs.n);
    }
    int total = total_row(t, c_kommune, (int)p->nranked);
    ok = ok && total >= 0 && distribution_rules(t, total, c_antal, first, cs.n);
    free(cs.items);
    if (!ok) {
        ng_table_free(t);
        return NG_ERR_NOMEM;
    }
    return ng_dataset_add_evaluated(p->ds, t);
}

/* ---- figures and values ------------------------------------------------------ */

static ng_status add_figure(bench_pub *p, const char *name, const char *table, ng_figure_type type,
                            const int *series, int nseries, int ncats, const char *title,
                            const char *y_title)
{
    const ng_table *t = ng_dataset_table(p->ds, table);
    int *cats = malloc((size_t)(ncats > 0 ? ncats : 1) * sizeof *cats);
    if (!t || !cats) {
        free(cats);
        return t ? NG_ERR_NOMEM : NG_ERR_INTERNAL;
    }
    for (int i = 0; i < ncats; i++)
        cats[i] = i;
    ng_figure f = {.name = (char *)name,
                   .table = (char *)table,
                   .title = (char *)title,
                   .y_title = (char *)y_title,
                   .type = type,
                   .series = (int *)series,
                   .nseries = nseries,
                   .cats = cats,
                   .ncats = ncats,
                   .label_col = ng_table_col(t, "kommune"),
                   .highlight = type == NG_FIG_COLUMN ? p->egen_rank : 0};
    ng_status st = ng_dataset_add_figure(p->ds, &f);
    free(cats);
    return st;
}

static ng_status rate_figures(bench_pub *p)
{
    const ng_table *t = ng_dataset_table(p->ds, "benchmark");
    int pr = ng_table_col(t, "sager_pr_1000"), udg = ng_table_col(t, "udgift_pr_1000");
    char title[160];
    snprintf(title, sizeof title, "Særligt dyre enkeltsager pr. 1.000 18-66-årige, %d", p->b->aar);
    ng_status st = add_figure(p, "benchmark_figur", "benchmark", NG_FIG_COLUMN, &pr, 1,
                              (int)p->nranked, title, "sager pr. 1.000 18-66-årige");
    snprintf(title, sizeof title, "Udgift til særligt dyre enkeltsager pr. 1.000 18-66-årige, %d",
             p->b->aar);
    if (st == NG_OK)
        st = add_figure(p, "benchmark_udgift_figur", "benchmark", NG_FIG_COLUMN, &udg, 1,
                        (int)p->nranked, title, "mio. kr. pr. 1.000 18-66-årige");
    return st;
}

static ng_status share_figure(bench_pub *p, int d)
{
    const ng_table *t = ng_dataset_table(p->ds, dim_tables[d]);
    int *series = malloc((size_t)(t->ncols > 0 ? t->ncols : 1) * sizeof *series), n = 0;
    if (!series)
        return NG_ERR_NOMEM;
    for (int c = 0; c < t->ncols; c++)
        if (!strncmp(t->cols[c].key, "andel_", 6))
            series[n++] = c;
    char name[64], title[160];
    snprintf(name, sizeof name, "%s_figur", dim_tables[d]);
    snprintf(title, sizeof title, "Særligt dyre enkeltsager fordelt på %s, %d", dim_titles[d],
             p->b->aar);
    /* the ranked municipalities and I alt */
    ng_status st = add_figure(p, name, dim_tables[d], NG_FIG_STACKED, series, n,
                              (int)p->nranked + 1, title, "pct.");
    free(series);
    return st;
}

/* The values the memo's sentences quote: references to the tables' cells,
 * and the facts of the comparison. */
static ng_status publish_values(bench_pub *p)
{
    ng_dataset *ds = p->ds;
    static const struct {
        const char *name, *row, *col;
    } refs[] = {
        {"benchmark_gennemsnit_sager_pr_1000", "gennemsnit", "sager_pr_1000"},
        {"benchmark_median_sager_pr_1000", "median", "sager_pr_1000"},
        {"benchmark_alle_sager_pr_1000", "i_alt", "sager_pr_1000"},
        {"benchmark_gennemsnit_udgift_pr_1000", "gennemsnit", "udgift_pr_1000"},
        {"benchmark_median_udgift_pr_1000", "median", "udgift_pr_1000"},
        {"benchmark_alle_udgift_pr_1000", "i_alt", "udgift_pr_1000"},
        {"benchmark_alle_antal", "i_alt", "antal"},
        {"benchmark_alle_indbyggere", "i_alt", "indbyggere"},
    };
    static const struct {
        const char *name, *col;
    } own[] = {
        {"benchmark_egen_antal", "antal"},
        {"benchmark_egen_sager_pr_1000", "sager_pr_1000"},
        {"benchmark_egen_udgift_pr_1000", "udgift_pr_1000"},
    };
    ng_dataset_set_text(ds, "befolkning_kvartal", p->b->kvartal);
    ng_dataset_set_num(ds, "benchmark_antal_kommuner", NG_UNIT_ANTAL, (double)p->nranked);
    for (size_t i = 0; p->nranked && i < sizeof refs / sizeof *refs; i++)
        ng_dataset_set_ref(ds, refs[i].name, "benchmark", refs[i].row, refs[i].col);
    const ng_bench_kommune *egen = p->egen ? find_kommune(p->b, p->egen) : NULL;
    if (egen) {
        ng_dataset_set_text(ds, "benchmark_egen_kommune", egen->navn);
        for (size_t i = 0; i < sizeof own / sizeof *own; i++)
            ng_dataset_set_ref(ds, own[i].name, "benchmark", egen->kode, own[i].col);
    }
    if (p->egen_rank)
        ng_dataset_set_num(ds, "benchmark_egen_rang", NG_UNIT_ANTAL, p->egen_rank);
    return ds->status;
}

ng_status ng_bench_publish(const ng_bench *b, const char *egen, int mindste_celle,
                           const char *source, ng_dataset *ds)
{
    bench_pub p = {
        .b = b, .egen = egen, .source = source, .ds = ds, .mindste_celle = mindste_celle};
    ng_status st = rank_kommuner(&p) ? NG_OK : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = publish_main(&p);
    for (int d = 0; st == NG_OK && d < NG_BENCH_NDIM; d++)
        st = publish_distribution(&p, d);
    if (st == NG_OK && p.nranked > 0)
        st = rate_figures(&p);
    for (int d = 0; st == NG_OK && p.nranked > 0 && d < NG_BENCH_NDIM; d++)
        st = share_figure(&p, d);
    if (st == NG_OK)
        st = publish_values(&p);
    free(p.ranked);
    free(p.small);
    return st;
}

/* ---- the module ----------------------------------------------------------- */

typedef ng_benchmark_options opts;

static const ng_config_key keys[] = {
    NG_KEY_REQ(opts, "befolkning", "fil", NG_KEY_PATH, fil.path, NG_REQUIRED_IN_SECTION),
    NG_INPUT_FORMAT_KEYS(opts, "befolkning", fil),
    NG_KEY(opts, "befolkning", "kvartal", NG_KEY_STRING, kvartal),
};

static void options_init(void *p)
{
    ng_input_file_init(&((opts *)p)->fil);
}

static void options_free(void *p)
{
    opts *o = p;
    free(o->fil.path);
    free(o->kvartal);
}

static void options_finish(void *p, ng_config_ctx *c)
{
    const opts *o = p;
    if (o->kvartal && !ng_kvartal_valid(o->kvartal))
        ng_config_error(c, ng_config_key_line(c, "befolkning", "kvartal"),
                        "ugyldigt kvartal '%s' i [befolkning] (forventet fx 2022K4)", o->kvartal);
}

static bool configured(const void *opt)
{
    return ((const opts *)opt)->fil.path != NULL;
}

static void inputs(const void *opt, const ng_pipeline *p, ng_input_list *out)
{
    (void)p;
    ng_input_list_add(out, ((const opts *)opt)->fil.path);
    ng_input_list_add(out, ng_kommuneliste_default_path());
}

/* The own municipality's code: [kommune] kode, else its name in the list;
 * NULL when neither is known (then every case must name its municipality). */
static ng_status own_code(const ng_pipeline *p, const ng_kommuneliste *l, const char **kode)
{
    const ng_kommune_def *def = NULL;
    *kode = NULL;
    if (p->kommunekode && ng_kommune_lookup(l, p->kommunekode, &def) != NG_AREA_KOMMUNE) {
        ng_error(p->diags, p->config_path, 0, 0,
                 "[kommune] kode %s er ikke en kommunekode i data/kommuner.csv", p->kommunekode);
        return NG_ERR_CONFIG;
    }
    if (!def && p->kommune)
        ng_kommune_lookup(l, p->kommune, &def);
    *kode = def ? def->kode : NULL;
    return NG_OK;
}

static ng_status read_inputs(const opts *o, ng_pipeline *p, ng_kommuneliste *l, ng_befolkning *pop)
{
    ng_status st = ng_kommuneliste_load(ng_kommuneliste_default_path(), l, p->diags);
    if (st == NG_OK)
        st = ng_befolkning_read(&o->fil, o->kvartal, l, pop, p->diags);
    if (st == NG_OK)
        ng_note(p->diags, o->fil.path, 0, 0,
                "%ld rækker læst, %ld brugt (18-66-årige i %s); de øvrige er andre aldre, "
                "kvartaler eller områder",
                pop->rows, pop->rows_used, pop->kvartal);
    return st;
}

static ng_status compute(const void *opt, ng_pipeline *p)
{
    const opts *o = opt;
    ng_kommuneliste l;
    ng_befolkning pop;
    ng_bench b;
    ng_bench_init(&b);
    memset(&pop, 0, sizeof pop);
    const char *egen = NULL;
    ng_status st = read_inputs(o, p, &l, &pop);
    if (st == NG_OK)
        st = own_code(p, &l, &egen);
    if (st == NG_OK)
        st = ng_bench_add_units(&b, &p->refusion, egen, &l, p->extract_path, p->diags);
    if (st == NG_OK)
        st = ng_bench_set_population(&b, &pop, o->fil.path, p->diags);
    if (st == NG_OK) {
        char date[32], source[256];
        b.aar = p->aar;
        b.dato = p->dato;
        snprintf(source, sizeof source,
                 "Kilde: Danmarks Statistik, FOLK1A (18-66-årige, %s), og udtræk pr. %s, egne "
                 "beregninger",
                 pop.kvartal, ng_fmt_date_short(date, sizeof date, p->dato));
        st = ng_bench_publish(&b, egen, p->mindste_celle, source, &p->ds);
    }
    ng_bench_free(&b);
    ng_befolkning_free(&pop);
    ng_kommuneliste_free(&l);
    return st;
}

/* `check`: the population file is read and checked as in a run. */
static ng_status check(const void *opt, ng_pipeline *p)
{
    ng_kommuneliste l;
    ng_befolkning pop;
    memset(&pop, 0, sizeof pop);
    ng_status st = read_inputs(opt, p, &l, &pop);
    ng_befolkning_free(&pop);
    ng_kommuneliste_free(&l);
    return st;
}

/* ---- the reduce step -------------------------------------------------------- */

/* The facts of a reduce: the municipality the memo is for, the year and the
 * latest extract date of the runs combined. */
static ng_status reduce_facts(ng_pipeline *p, const ng_bench *b)
{
    ng_dataset *ds = &p->ds;
    p->dato = p->has_cli_dato ? p->cli_dato : b->dato;
    p->has_dato = true;
    p->aar = b->aar;
    ds->udtraek_dato = p->dato;
    free(ds->kommune);
    free(ds->kommunekode);
    ds->kommune = dup_str(p->kommune ? p->kommune : "");
    ds->kommunekode = dup_str(p->kommunekode);
    if (!ds->kommune || (p->kommunekode && !ds->kommunekode))
        return NG_ERR_NOMEM;
    ng_dataset_set_text(ds, "kommune", ds->kommune);
    ng_dataset_set_num(ds, "udtraek_dato", NG_UNIT_DATO, (double)ng_date_to_days(p->dato));
    return ng_dataset_set_num(ds, "aar", NG_UNIT_AAR, p->aar);
}

ng_status ng_bench_reduce(ng_pipeline *p, char *const *paths, size_t n)
{
    ng_bench b;
    ng_kommuneliste l;
    ng_bench_init(&b);
    ng_status st = ng_kommuneliste_load(ng_kommuneliste_default_path(), &l, p->diags);
    ng_input_list_add(&p->inputs, ng_kommuneliste_default_path());
    for (size_t i = 0; st == NG_OK && i < n; i++)
        ng_input_list_add(&p->inputs, paths[i]);
    /* every file, so that one night's mistakes are told together */
    ng_status worst = st;
    for (size_t i = 0; st == NG_OK && i < n; i++)
        worst = ng_worse_status(worst, ng_bench_read_json(&b, paths[i], p->diags));
    st = worst;
    if (st == NG_OK && b.n == 0) {
        ng_error(p->diags, NULL, 0, 0, "ingen kommuner at sammenligne");
        st = NG_ERR_INPUT;
    }
    const char *egen = NULL;
    if (st == NG_OK)
        st = own_code(p, &l, &egen);
    if (st == NG_OK)
        st = reduce_facts(p, &b);
    if (st == NG_OK) {
        char source[256];
        snprintf(source, sizeof source,
                 "Kilde: Danmarks Statistik, FOLK1A (18-66-årige, %s), og %zu kommuners egne "
                 "opgørelser (data.json), egne beregninger",
                 b.kvartal, b.n);
        st = ng_bench_publish(&b, egen, p->mindste_celle, source, &p->ds);
    }
    ng_bench_free(&b);
    ng_kommuneliste_free(&l);
    return st;
}

#define DISTRIBUTION_COLUMNS                                                                       \
    NG_COLS({"kode", "Kode", NG_UNIT_TEXT, 0, NG_COL_HIDDEN},                                      \
            {"kommune", "Kommune", NG_UNIT_TEXT, 0, 0},                                            \
            {"antal", "Sager", NG_UNIT_ANTAL, 0, NG_COL_PERSONS},                                  \
            {"antal_*", "Antal", NG_UNIT_ANTAL, 0, NG_COL_PERSONS | NG_COL_HIDDEN},                \
            {"andel_*", "Andel", NG_UNIT_PCT, 0, 0})

static const ng_decl publishes[] = {
    NG_DECL_FACT_("befolkning_kvartal", NG_UNIT_TEXT,
                  "Kvartalet, befolkningstallene (18-66-årige, FOLK1A) gælder"),
    NG_DECL_FACT_("benchmark_antal_kommuner", NG_UNIT_ANTAL,
                  "Antal kommuner i sammenligningen (med mindst mindste_celle sager, eller ingen)"),
    NG_DECL_FACT_("benchmark_egen_kommune", NG_UNIT_TEXT,
                  "Egen kommunes navn i sammenligningen ([kommune] kode)"),
    NG_DECL_FACT_("benchmark_egen_rang", NG_UNIT_ANTAL,
                  "Egen kommunes nummer i rækkefølgen (1 = flest sager pr. 1.000 18-66-årige)"),
    NG_DECL_VALUE_("benchmark_egen_antal", NG_UNIT_ANTAL,
                   "Egen kommunes særligt dyre enkeltsager på voksenområdet"),
    NG_DECL_VALUE_("benchmark_egen_sager_pr_1000", NG_UNIT_ANTAL,
                   "Egen kommunes særligt dyre enkeltsager pr. 1.000 18-66-årige"),
    NG_DECL_VALUE_("benchmark_egen_udgift_pr_1000", NG_UNIT_MIO,
                   "Egen kommunes udgift til særligt dyre enkeltsager pr. 1.000 18-66-årige"),
    NG_DECL_VALUE_("benchmark_gennemsnit_sager_pr_1000", NG_UNIT_ANTAL,
                   "Gennemsnittet af kommunernes sager pr. 1.000 18-66-årige"),
    NG_DECL_VALUE_("benchmark_median_sager_pr_1000", NG_UNIT_ANTAL,
                   "Medianen af kommunernes sager pr. 1.000 18-66-årige"),
    NG_DECL_VALUE_("benchmark_alle_sager_pr_1000", NG_UNIT_ANTAL,
                   "Alle kommunernes sager pr. 1.000 af alle deres 18-66-årige"),
    NG_DECL_VALUE_("benchmark_gennemsnit_udgift_pr_1000", NG_UNIT_MIO,
                   "Gennemsnittet af kommunernes udgift pr. 1.000 18-66-årige"),
    NG_DECL_VALUE_("benchmark_median_udgift_pr_1000", NG_UNIT_MIO,
                   "Medianen af kommunernes udgift pr. 1.000 18-66-årige"),
    NG_DECL_VALUE_("benchmark_alle_udgift_pr_1000", NG_UNIT_MIO,
                   "Alle kommunernes udgift pr. 1.000 af alle deres 18-66-årige"),
    NG_DECL_VALUE_("benchmark_alle_antal", NG_UNIT_ANTAL,
                   "Særligt dyre enkeltsager på voksenområdet i alle kommunerne i rækkefølgen"),
    NG_DECL_VALUE_("benchmark_alle_indbyggere", NG_UNIT_ANTAL,
                   "18-66-årige i alle kommunerne i rækkefølgen"),
    NG_DECL_TABLE_("benchmark", "Sammenligning af kommuner",
                   "Særligt dyre enkeltsager på voksenområdet pr. 1.000 18-66-årige pr. kommune, "
                   "flest først, med gennemsnit, median og i alt",
                   NG_COLS({"kode", "Kode", NG_UNIT_TEXT, 0, NG_COL_HIDDEN},
                           {"rang", "Nr.", NG_UNIT_TEXT, 0, 0},
                           {"kommune", "Kommune", NG_UNIT_TEXT, 0, 0},
                           {"antal", "Sager", NG_UNIT_ANTAL, 0, NG_COL_PERSONS},
                           {"indbyggere", "18-66-årige", NG_UNIT_ANTAL, 0, 0},
                           {"sager_pr_1000", "Sager pr. 1.000", NG_UNIT_ANTAL, 1, 0},
                           {"udgift", "Udgift, mio. kr.", NG_UNIT_MIO, 1, 0},
                           {"udgift_pr_1000", "Udgift pr. 1.000, mio. kr.", NG_UNIT_MIO, 2, 0},
                           {"refusion", "Refusion, mio. kr.", NG_UNIT_MIO, 1, 0},
                           {"egen", "", NG_UNIT_TEXT, 0, 0})),
    NG_DECL_TABLE_("benchmark_maalgrupper", "Sammenligning målgrupper",
                   "Sagerne i sammenligningen fordelt på målgruppe pr. kommune (antal og andel)",
                   DISTRIBUTION_COLUMNS),
    NG_DECL_TABLE_("benchmark_leverandoertyper", "Sammenligning leverandørtyper",
                   "Sagerne i sammenligningen fordelt på leverandørtype pr. kommune (antal og "
                   "andel)",
                   DISTRIBUTION_COLUMNS),
    NG_DECL_TABLE_("benchmark_aldersgrupper", "Sammenligning aldersgrupper",
                   "Sagerne i sammenligningen fordelt på aldersgruppe (18-35, 36-66, 67+) pr. "
                   "kommune (antal og andel)",
                   DISTRIBUTION_COLUMNS),
    NG_DECL_FIGURE_("benchmark_figur", "benchmark",
                    "Søjler: sager pr. 1.000 18-66-årige pr. kommune, flest først; egen kommune "
                    "fremhævet"),
    NG_DECL_FIGURE_("benchmark_udgift_figur", "benchmark",
                    "Søjler: udgift pr. 1.000 18-66-årige pr. kommune, i samme rækkefølge; egen "
                    "kommune fremhævet"),
    NG_DECL_FIGURE_("benchmark_maalgrupper_figur", "benchmark_maalgrupper",
                    "Stablede søjler: andelen af sagerne i hver målgruppe pr. kommune og i alt"),
    NG_DECL_FIGURE_("benchmark_leverandoertyper_figur", "benchmark_leverandoertyper",
                    "Stablede søjler: andelen af sagerne hos hver leverandørtype pr. kommune og i "
                    "alt"),
    NG_DECL_FIGURE_("benchmark_aldersgrupper_figur", "benchmark_aldersgrupper",
                    "Stablede søjler: andelen af sagerne i hver aldersgruppe pr. kommune og i alt"),
};

const ng_module ng_module_benchmark = {
    .name = "benchmark",
    .summary = "Sammenligningen på tværs af kommuner: særligt dyre enkeltsager pr. 1.000 "
               "18-66-årige og deres fordeling",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_init = options_init,
    .options_finish = options_finish,
    .options_free = options_free,
    .configured = configured,
    .inputs = inputs,
    .compute = compute,
    .check = check,
    .publishes = publishes,
    .npublishes = sizeof publishes / sizeof *publishes,
};
