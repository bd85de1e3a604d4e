/*
 * config.c -- the INI configuration file (see config.h).
 *
 * Every module declares its sections and keys (module.h); the loader
 * gathers them from ng_modules() and fills one options struct per module.
 * inih does the tokenising; our own line reader counts lines (inih does not
 * tell the handler where it is), checks each raw line first (length, UTF-8,
 * NUL bytes, '[...]', 'key = value') and hands inih a blank line in place
 * of a bad one, so that every problem of the file is reported with its
 * line, not only inih's first one.
 */
#include "notatgen/config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notatgen/module.h"
#include "notatgen/publish.h"
#include "notatgen/textcheck.h"

enum { MAX_SET_VALUES = 8, MAX_AMOUNTS = 8, MAX_CONFIG_LINES = 10000 };

void ng_input_file_init(ng_input_file *in)
{
    memset(in, 0, sizeof *in);
    in->delimiter = ';';
    in->encoding = NG_ENC_AUTO;
    in->decimal = NG_DECIMAL_AUTO;
    in->scale = NG_SCALE_KR;
}

/* ---- the loader's state ---------------------------------------------------- */

typedef struct {
    const ng_config_key *spec;
    size_t module; /* index in ng_modules() */
    long seen;     /* line where the key was set; 0 = not set */
} loaded_key;

typedef struct {
    const char *name;
    size_t module;
    bool free_keys;         /* the module parses its keys itself */
    bool takes_subsections; /* [name.X] sections go to the module */
    long line;              /* of the first header */
} known_section;

struct ng_config_ctx {
    ng_config *cfg;
    ng_diags *diags;
    const ng_module *const *modules;
    size_t nmodules;
    loaded_key *keys;
    size_t nkeys;
    known_section *sections;
    size_t nsections;
    FILE *fp;
    char *raw; /* the current physical line */
    size_t rawcap;
    long lineno;
    int section;           /* index in sections, -1 before the first or when unknown */
    bool skip_section;     /* an unknown or broken section header: its keys are not reported */
    char *subsection;      /* inside [name.X]: X */
    void *current_options; /* the options the current key goes into */
    bool nomem;
    /* Whose required keys must be there (ng_config_load_for); NULL: every module's. */
    bool (*required_of)(const ng_module *m);
};

typedef struct ng_config_ctx loader;

static void config_error(loader *ld, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void config_error(loader *ld, long line, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ng_error(ld->diags, ld->cfg->config_path, line, 0, "%s", buf);
}

static char *dup_or_flag(loader *ld, const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        ld->nomem = true;
    return copy;
}

/* ---- small text helpers ---------------------------------------------------- */

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A copy of s[0..len) without surrounding blanks. */
static char *trimmed_copy(const char *s, size_t len)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return strndup(s, len);
}

/* Like inih: the first of chars, or an inline comment (';' after a blank). */
static const char *find_chars_or_comment(const char *s, const char *chars)
{
    bool was_space = false;
    while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
        was_space = *s == ' ' || *s == '\t';
        s++;
    }
    return s;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 60 || lb > 60)
        return SIZE_MAX;
    size_t row[61];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* A close known section name to suggest, or NULL. */
static const char *closest_section(const loader *ld, const char *word)
{
    const char *best = NULL;
    size_t best_d = 3; /* more than two edits is a different word */
    for (size_t i = 0; i < ld->nsections; i++) {
        size_t d = edit_distance(word, ld->sections[i].name);
        if (d < best_d) {
            best_d = d;
            best = ld->sections[i].name;
        }
    }
    return best;
}

static int find_section(const loader *ld, const char *name)
{
    for (size_t i = 0; i < ld->nsections; i++)
        if (!strcasecmp(ld->sections[i].name, name))
            return (int)i;
    return -1;
}

/* The declared key `name` of section (index into ld->keys), or -1. */
static long find_key(const loader *ld, const char *section, const char *name)
{
    for (size_t i = 0; i < ld->nkeys; i++)
        if (!strcmp(ld->keys[i].spec->section, section) && !strcasecmp(ld->keys[i].spec->key, name))
            return (long)i;
    return -1;
}

static void suggest_key(loader *ld, const char *section, const char *name)
{
    const char *best = NULL;
    size_t best_d = 3; /* more than two edits is a different word */
    for (size_t i = 0; i < ld->nkeys; i++) {
        if (strcmp(ld->keys[i].spec->section, section))
            continue;
        size_t d = edit_distance(name, ld->keys[i].spec->key);
        if (d < best_d) {
            best_d = d;
            best = ld->keys[i].spec->key;
        }
    }
    if (best)
        ng_note(ld->diags, ld->cfg->config_path, ld->lineno, 0, "mente du '%s'?", best);
}

/* ---- paths ------------------------------------------------------------------ */

static char *directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    if (!slash)
        dir = strdup(".");
    else if (slash == path)
        dir = strdup("/");
    else
        dir = strndup(path, (size_t)(slash - path));
    if (!dir)
        return NULL;
    /* Absolute, so that the paths stay right if the program changes directory. */
    char *abs = realpath(dir, NULL);
    if (abs) {
        free(dir);
        return abs;
    }
    return dir;
}

static char *resolve_path(loader *ld, const char *value)
{
    if (value[0] == '/')
        return dup_or_flag(ld, value);
    if (value[0] == '.' && value[1] == '/')
        value += 2;
    char *out = ng_path_join(ld->cfg->config_dir, value);
    if (!out)
        ld->nomem = true;
    return out;
}

/* ---- value parsers ---------------------------------------------------------- */

static void bad_value(loader *ld, const ng_config_key *k, const char *value, const char *expected)
{
    config_error(ld, ld->lineno, "ugyldig værdi for '%s': '%s' (forventet %s)", k->key, value,
                 expected);
}

static bool word_is(const char *value, const char *word)
{
    return !strcasecmp(value, word);
}

/* Where the current key's value goes: the options of its module. */
static void *slot(loader *ld, const ng_config_key *k)
{
    return (char *)ld->current_options + k->offset;
}

static void *aux_slot(loader *ld, const ng_config_key *k)
{
    return (char *)ld->current_options + k->aux;
}

static void set_string(loader *ld, const ng_config_key *k, char *owned)
{
    char **dst = slot(ld, k);
    free(*dst);
    *dst = owned;
}

static bool parse_bool(const char *value, bool *out)
{
    if (word_is(value, "ja") || word_is(value, "true") || !strcmp(value, "1")) {
        *out = true;
        return true;
    }
    if (word_is(value, "nej") || word_is(value, "false") || !strcmp(value, "0")) {
        *out = false;
        return true;
    }
    return false;
}

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* A whole amount in kr. (Danish or plain notation). */
static bool parse_kr(const char *text, int64_t *kr)
{
    int64_t oere;
    if (ng_parse_amount(text, NG_DECIMAL_AUTO, NG_SCALE_KR, &oere, NULL) != NG_OK)
        return false;
    if (oere % 100 != 0)
        return false;
    *kr = oere / 100;
    return true;
}

/* Splits value at commas into trimmed, non-empty items; NULL when one is
 * empty. The caller frees the items and the array. */
static char **split_commas(const char *value, size_t *count)
{
    size_t n = 1;
    for (const char *p = value; *p; p++)
        n += *p == ',';
    char **items = calloc(n, sizeof *items);
    if (!items)
        return NULL;
    const char *start = value;
    for (size_t i = 0; i < n; i++) {
        const char *end = strchr(start, ',');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        items[i] = trimmed_copy(start, len);
        if (!items[i] || !items[i][0]) {
            for (size_t j = 0; j <= i; j++)
                free(items[j]);
            free(items);
            return NULL;
        }
        start = end ? end + 1 : start + len;
    }
    *count = n;
    return items;
}

static void free_list(char **items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        free(items[i]);
    free(items);
}

static bool looks_like_email(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at > s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t,<>");
}

static bool valid_template_name(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

static void parse_list(loader *ld, const ng_config_key *k, const char *value)
{
    size_t n = 0;
    char **items = split_commas(value, &n);
    const char *expected = k->kind == NG_KEY_EMAIL_LIST
                               ? "e-mailadresser adskilt af komma"
                               : "skabelonnavne (a-z, 0-9, _ og -) adskilt af komma";
    if (!items) {
        bad_value(ld, k, value, expected);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        bool ok = k->kind == NG_KEY_EMAIL_LIST ? looks_like_email(items[i])
                                               : valid_template_name(items[i]);
        if (!ok) {
            bad_value(ld, k, value, expected);
            free_list(items, n);
            return;
        }
    }
    char ***dst = slot(ld, k);
    size_t *count = aux_slot(ld, k);
    free_list(*dst, *count);
    *dst = items;
    *count = n;
}

static void parse_value_set(loader *ld, const ng_config_key *k, const char *value)
{
    size_t n = 0;
    char **items = split_commas(value, &n);
    if (!items || n > MAX_SET_VALUES) {
        bad_value(ld, k, value, "op til 8 værdier adskilt af komma");
        free_list(items, n);
        return;
    }
    char **map = slot(ld, k);
    for (size_t i = 0; i < MAX_SET_VALUES; i++) {
        free(map[i]);
        map[i] = NULL;
    }
    for (size_t i = 0; i < n; i++) {
        ng_fold_case(items[i]);
        map[i] = items[i];
    }
    free(items);
}

static void parse_amounts(loader *ld, const ng_config_key *k, const char *value)
{
    static const char expected[] =
        "op til 8 beløb i kr. adskilt af mellemrum, stigende, fx 1.000.000 1.500.000 2.000.000";
    int64_t bands[MAX_AMOUNTS];
    size_t n = 0;
    const char *p = skip_space(value);
    while (*p) {
        size_t len = strcspn(p, " \t");
        char token[64];
        if (n == MAX_AMOUNTS || len >= sizeof token) {
            bad_value(ld, k, value, expected);
            return;
        }
        memcpy(token, p, len);
        token[len] = '\0';
        if (!parse_kr(token, &bands[n]) || bands[n] < 0 || (n > 0 && bands[n] <= bands[n - 1])) {
            bad_value(ld, k, value, expected);
            return;
        }
        n++;
        p = skip_space(p + len);
    }
    memcpy(slot(ld, k), bands, n * sizeof bands[0]);
    *(size_t *)aux_slot(ld, k) = n;
}

static void parse_number(loader *ld, const ng_config_key *k, const char *value)
{
    long v;
    if (ng_parse_int(value, &v, NULL) != NG_OK || v < k->min || v > k->max) {
        char expected[96];
        if (k->max == LONG_MAX)
            snprintf(expected, sizeof expected, "et helt tal fra %ld og op", k->min);
        else
            snprintf(expected, sizeof expected, "et helt tal fra %ld til %ld", k->min, k->max);
        bad_value(ld, k, value, expected);
        return;
    }
    if (k->kind == NG_KEY_INT)
        *(int *)slot(ld, k) = (int)v;
    else
        *(long *)slot(ld, k) = v;
}

static void parse_enum_word(loader *ld, const ng_config_key *k, const char *value)
{
    switch (k->kind) {
    case NG_KEY_DELIMITER: {
        char c = word_is(value, "semikolon") ? ';'
                 : word_is(value, "komma")   ? ','
                 : word_is(value, "tab")     ? '\t'
                                             : 0;
        if (!c)
            bad_value(ld, k, value, "semikolon, komma eller tab");
        else
            *(char *)slot(ld, k) = c;
        break;
    }
    case NG_KEY_ENCODING:
        if (word_is(value, "auto"))
            *(ng_encoding *)slot(ld, k) = NG_ENC_AUTO;
        else if (word_is(value, "utf-8") || word_is(value, "utf8"))
            *(ng_encoding *)slot(ld, k) = NG_ENC_UTF8;
        else if (word_is(value, "windows-1252") || word_is(value, "cp1252"))
            *(ng_encoding *)slot(ld, k) = NG_ENC_CP1252;
        else
            bad_value(ld, k, value, "auto, utf-8 eller windows-1252");
        break;
    case NG_KEY_SCALE:
        if (word_is(value, "kr"))
            *(ng_scale *)slot(ld, k) = NG_SCALE_KR;
        else if (word_is(value, "tkr"))
            *(ng_scale *)slot(ld, k) = NG_SCALE_TKR;
        else if (word_is(value, "mio"))
            *(ng_scale *)slot(ld, k) = NG_SCALE_MIO;
        else
            bad_value(ld, k, value, "kr, tkr eller mio");
        break;
    case NG_KEY_DECIMAL:
        if (word_is(value, "auto"))
            *(ng_decimal_mark *)slot(ld, k) = NG_DECIMAL_AUTO;
        else if (word_is(value, "komma"))
            *(ng_decimal_mark *)slot(ld, k) = NG_DECIMAL_COMMA;
        else if (word_is(value, "punktum"))
            *(ng_decimal_mark *)slot(ld, k) = NG_DECIMAL_POINT;
        else
            bad_value(ld, k, value, "auto, komma eller punktum");
        break;
    case NG_KEY_REJECT:
        if (word_is(value, "fil"))
            *(ng_reject_policy *)slot(ld, k) = NG_REJECT_FILE;
        else if (word_is(value, "raekke") || word_is(value, "række"))
            *(ng_reject_policy *)slot(ld, k) = NG_REJECT_ROW;
        else
            bad_value(ld, k, value, "fil eller raekke");
        break;
    case NG_KEY_BOOL: {
        bool b;
        if (parse_bool(value, &b))
            *(bool *)slot(ld, k) = b;
        else
            bad_value(ld, k, value, "ja eller nej");
        break;
    }
    default:
        break;
    }
}

static void parse_text(loader *ld, const ng_config_key *k, const char *value)
{
    switch (k->kind) {
    case NG_KEY_KOMMUNEKODE:
        if (!all_digits(value, 3)) {
            bad_value(ld, k, value, "et kommunenummer på tre cifre, fx 730");
            return;
        }
        break;
    case NG_KEY_FILENAME:
        if (strchr(value, '/') || strlen(value) < 6 ||
            strcasecmp(value + strlen(value) - 5, ".xlsx")) {
            bad_value(ld, k, value, "et filnavn uden mappe, der ender på .xlsx");
            return;
        }
        break;
    case NG_KEY_EMAIL:
        if (!looks_like_email(value)) {
            bad_value(ld, k, value, "en e-mailadresse, fx navn@randers.dk");
            return;
        }
        break;
    default:
        break;
    }
    set_string(ld, k, k->kind == NG_KEY_PATH ? resolve_path(ld, value) : dup_or_flag(ld, value));
}

static void parse_value(loader *ld, const ng_config_key *k, const char *value)
{
    switch (k->kind) {
    case NG_KEY_STRING:
    case NG_KEY_PATH:
    case NG_KEY_KOMMUNEKODE:
    case NG_KEY_FILENAME:
    case NG_KEY_EMAIL:
        parse_text(ld, k, value);
        break;
    case NG_KEY_DELIMITER:
    case NG_KEY_ENCODING:
    case NG_KEY_SCALE:
    case NG_KEY_DECIMAL:
    case NG_KEY_REJECT:
    case NG_KEY_BOOL:
        parse_enum_word(ld, k, value);
        break;
    case NG_KEY_DATE: {
        ng_date d;
        if (ng_parse_date(value, &d, NULL) != NG_OK) {
            bad_value(ld, k, value, "en dato som 2025-10-31, 31-10-2025 eller 31.10.2025");
            return;
        }
        *(ng_date *)slot(ld, k) = d;
        *(bool *)aux_slot(ld, k) = true;
        break;
    }
    case NG_KEY_INT:
    case NG_KEY_LONG:
        parse_number(ld, k, value);
        break;
    case NG_KEY_YEAR:
        if (!all_digits(value, 4) || value[0] == '0') {
            bad_value(ld, k, value, "et årstal som 2026");
            return;
        }
        *(int *)slot(ld, k) = atoi(value);
        break;
    case NG_KEY_EMAIL_LIST:
    case NG_KEY_NAME_LIST:
        parse_list(ld, k, value);
        break;
    case NG_KEY_VALUE_SET:
        parse_value_set(ld, k, value);
        break;
    case NG_KEY_AMOUNTS:
        parse_amounts(ld, k, value);
        break;
    case NG_KEY_KR: {
        int64_t kr;
        if (!parse_kr(value, &kr) || kr < 0) {
            bad_value(ld, k, value, "et beløb i hele kr., fx 41.400.000");
            return;
        }
        *(double *)slot(ld, k) = (double)kr;
        break;
    }
    case NG_KEY_PCT: {
        double pct;
        if (ng_parse_number(value, NG_DECIMAL_AUTO, &pct, NULL) != NG_OK || pct < 0 || pct > 100) {
            bad_value(ld, k, value, "en procentdel fra 0 til 100, fx 61,5");
            return;
        }
        *(double *)slot(ld, k) = pct / 100.0;
        break;
    }
    }
}

/* ---- the line reader ---------------------------------------------------------- */

/* Returns false for a broken header, which inih must not see. */
static bool enter_section(loader *ld, const char *header)
{
    const char *end = find_chars_or_comment(header + 1, "]");
    if (*end != ']') {
        config_error(ld, ld->lineno, "afsnitsoverskriften mangler ']'");
        ld->section = -1;
        ld->skip_section = true;
        return false;
    }
    char *name = trimmed_copy(header + 1, (size_t)(end - header - 1));
    if (!name) {
        ld->nomem = true;
        return true;
    }
    free(ld->subsection);
    ld->subsection = NULL;
    const char *dot = strchr(name, '.');
    if (dot && dot[1]) {
        /* [notat.NAVN]: a dotted section of a module that takes them */
        char *base = strndup(name, (size_t)(dot - name));
        ld->section = base ? find_section(ld, base) : -1;
        free(base);
        if (ld->section >= 0 && ld->sections[ld->section].takes_subsections)
            ld->subsection = dup_or_flag(ld, dot + 1);
        else
            ld->section = -1;
    } else {
        ld->section = find_section(ld, name);
    }
    ld->skip_section = ld->section < 0;
    if (ld->section < 0) {
        config_error(ld, ld->lineno, "ukendt afsnit [%s]", name);
        const char *best = closest_section(ld, name);
        if (best)
            ng_note(ld->diags, ld->cfg->config_path, ld->lineno, 0, "mente du [%s]?", best);
    } else if (!ld->sections[ld->section].line) {
        ld->sections[ld->section].line = ld->lineno;
    }
    free(name);
    return true;
}

/* Checks one raw line. Returns the text to give inih (without leading blanks,
 * so inih never sees a continuation line), or NULL after reporting it. */
static const char *check_line(loader *ld, const char *text, int capacity)
{
    size_t len = strlen(text);
    /* inih needs room for the line, its '\n' and a NUL. */
    if (len + 2 > (size_t)capacity) {
        config_error(ld, ld->lineno, "linjen er for lang: %zu byte (højst %d)", len, capacity - 2);
        return NULL;
    }
    if (!ng_utf8_valid(text, len)) {
        config_error(ld, ld->lineno, "linjen er ikke gyldig UTF-8 (gem filen som UTF-8)");
        return NULL;
    }
    const char *s = skip_space(text);
    if (!*s || *s == ';' || *s == '#')
        return s;
    if (*s == '[')
        return enter_section(ld, s) ? s : NULL;
    const char *sep = find_chars_or_comment(s, "=:");
    if (*sep != '=' && *sep != ':') {
        if (s > text)
            config_error(ld, ld->lineno,
                         "indrykket linje uden '=': fortsættelseslinjer understøttes ikke "
                         "(skriv hele værdien på én linje)");
        else
            config_error(ld, ld->lineno, "linjen mangler '=' (forventet 'nøgle = værdi')");
        return NULL;
    }
    return s;
}

static char *read_line(char *str, int num, void *stream)
{
    loader *ld = stream;
    ssize_t n = getline(&ld->raw, &ld->rawcap, ld->fp);
    if (n < 0 || num < 2)
        return NULL;
    if (++ld->lineno > MAX_CONFIG_LINES) {
        config_error(ld, ld->lineno, "konfigurationsfilen har flere end 10.000 linjer");
        return NULL;
    }
    /* a NUL byte would cut the value short, a CR alone hides a line end:
     * both are errors, never a silent truncation */
    size_t len;
    char why[256];
    long col;
    const char *problem;
    const char *text = ng_text_line_take(ld->raw, (size_t)n, ld->lineno == 1, &len, &problem, &col,
                                         why, sizeof why);
    if (problem)
        ng_error(ld->diags, ld->cfg->config_path, ld->lineno, col, "%s", problem);
    const char *pass = problem ? NULL : check_line(ld, text, num);
    snprintf(str, (size_t)num, "%s\n", pass ? pass : "");
    return str;
}

/* ---- the inih handler -------------------------------------------------------- */

static void empty_value(loader *ld, const char *name)
{
    /* inih takes "skilletegn = ;" as an empty value and a comment. */
    bool semicolon = strchr(ld->raw, ';') != NULL;
    config_error(ld, ld->lineno, "mangler en værdi for '%s'%s", name,
                 semicolon ? " (';' indleder en kommentar; skriv semikolon som ord)" : "");
}

static void subsection_key(loader *ld, const known_section *sec, const char *name,
                           const char *value)
{
    const ng_module *m = ld->modules[sec->module];
    long i = find_key(ld, sec->name, name);
    if (i < 0) {
        config_error(ld, ld->lineno, "ukendt nøgle '%s' i [%s.%s]", name, sec->name,
                     ld->subsection);
        return;
    }
    if (!*value) {
        empty_value(ld, name);
        return;
    }
    if (m->subsection_key)
        m->subsection_key(ld->cfg->options[sec->module], ld->subsection, ld->keys[i].spec, value,
                          ld);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    loader *ld = user;
    (void)section; /* inih truncates long section names: the reader tracks our own */
    if (ld->skip_section)
        return 1;
    if (ld->section < 0) {
        config_error(ld, ld->lineno, "nøglen '%s' står før det første afsnit", name);
        return 1;
    }
    const known_section *sec = &ld->sections[ld->section];
    if (ld->subsection) {
        subsection_key(ld, sec, name, value);
        return 1;
    }
    if (sec->free_keys) {
        const ng_module *m = ld->modules[sec->module];
        if (!*value)
            empty_value(ld, name);
        else
            m->free_key(ld->cfg->options[sec->module], name, value, ld);
        return 1;
    }
    long i = find_key(ld, sec->name, name);
    if (i < 0) {
        config_error(ld, ld->lineno, "ukendt nøgle '%s' i [%s]", name, sec->name);
        suggest_key(ld, sec->name, name);
        return 1;
    }
    loaded_key *k = &ld->keys[i];
    if (k->seen) {
        config_error(ld, ld->lineno, "nøglen '%s' i [%s] er angivet igen (første gang i linje %ld)",
                     k->spec->key, sec->name, k->seen);
        return 1;
    }
    k->seen = ld->lineno;
    ld->current_options = ld->cfg->options[k->module];
    if (!*value)
        empty_value(ld, k->spec->key);
    else
        parse_value(ld, k->spec, value);
    return 1;
}

/* ---- the context a module sees ----------------------------------------------- */

const char *ng_config_ctx_path(const ng_config_ctx *c)
{
    return c->cfg->config_path;
}

const char *ng_config_ctx_dir(const ng_config_ctx *c)
{
    return c->cfg->config_dir;
}

long ng_config_ctx_line(const ng_config_ctx *c)
{
    return c->lineno;
}

long ng_config_key_line(const ng_config_ctx *c, const char *section, const char *key)
{
    long i = find_key(c, section, key);
    return i < 0 ? 0 : c->keys[i].seen;
}

long ng_config_section_line(const ng_config_ctx *c, const char *section)
{
    int i = find_section(c, section);
    return i < 0 ? 0 : c->sections[i].line;
}

void ng_config_error(ng_config_ctx *c, long line, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ng_error(c->diags, c->cfg->config_path, line, 0, "%s", buf);
}

void ng_config_nomem(ng_config_ctx *c)
{
    c->nomem = true;
}

char *ng_config_resolve(ng_config_ctx *c, const char *value)
{
    return resolve_path(c, value);
}

bool ng_config_parse_string(ng_config_ctx *c, const ng_config_key *k, const char *value, char **dst)
{
    if (k->kind == NG_KEY_EMAIL && !looks_like_email(value)) {
        bad_value(c, k, value, "en e-mailadresse, fx navn@randers.dk");
        return false;
    }
    char *copy = k->kind == NG_KEY_PATH ? resolve_path(c, value) : dup_or_flag(c, value);
    if (!copy)
        return false;
    free(*dst);
    *dst = copy;
    return true;
}

/* ---- after the whole file: required keys ------------------------------------- */

static void check_required(loader *ld)
{
    for (size_t i = 0; i < ld->nkeys; i++) {
        const ng_config_key *k = ld->keys[i].spec;
        if (ld->keys[i].seen || k->req == NG_OPTIONAL)
            continue;
        if (ld->required_of && !ld->required_of(ld->modules[ld->keys[i].module]))
            continue;
        long section_line = ng_config_section_line(ld, k->section);
        if (k->req == NG_REQUIRED)
            config_error(ld, 0, "mangler nøglen '%s' i [%s]", k->key, k->section);
        else if (section_line)
            config_error(ld, section_line, "mangler nøglen '%s' i [%s]", k->key, k->section);
    }
}

/* ---- the modules' keys and sections ------------------------------------------ */

static bool add_section(loader *ld, const char *name, size_t module, bool free_keys,
                        bool subsections)
{
    int i = find_section(ld, name);
    if (i >= 0) {
        ld->sections[i].free_keys |= free_keys;
        ld->sections[i].takes_subsections |= subsections;
        return true;
    }
    known_section *s = realloc(ld->sections, (ld->nsections + 1) * sizeof *s);
    if (!s)
        return false;
    ld->sections = s;
    s[ld->nsections++] = (known_section){name, module, free_keys, subsections, 0};
    return true;
}

static ng_status gather_keys(loader *ld)
{
    size_t total = 0;
    for (size_t m = 0; m < ld->nmodules; m++)
        total += ld->modules[m]->nkeys;
    ld->keys = calloc(total ? total : 1, sizeof *ld->keys);
    if (!ld->keys)
        return NG_ERR_NOMEM;
    for (size_t m = 0; m < ld->nmodules; m++) {
        const ng_module *mod = ld->modules[m];
        for (size_t k = 0; k < mod->nkeys; k++) {
            ld->keys[ld->nkeys++] = (loaded_key){&mod->keys[k], m, 0};
            bool sub = mod->subsection && !strcmp(mod->subsection, mod->keys[k].section);
            if (!add_section(ld, mod->keys[k].section, m, false, sub))
                return NG_ERR_NOMEM;
        }
        if (mod->free_section && !add_section(ld, mod->free_section, m, true, false))
            return NG_ERR_NOMEM;
    }
    return NG_OK;
}

/* ---- public API --------------------------------------------------------------- */

void ng_config_init(ng_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    cfg->options = calloc(n ? n : 1, sizeof *cfg->options);
    if (!cfg->options)
        return;
    cfg->noptions = n;
    for (size_t m = 0; m < n; m++) {
        cfg->options[m] = calloc(1, modules[m]->options_size ? modules[m]->options_size : 1);
        if (cfg->options[m] && modules[m]->options_init)
            modules[m]->options_init(cfg->options[m]);
    }
}

void ng_config_free(ng_config *cfg)
{
    if (!cfg)
        return;
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    for (size_t m = 0; m < cfg->noptions && m < n; m++) {
        if (cfg->options[m] && modules[m]->options_free)
            modules[m]->options_free(cfg->options[m]);
        free(cfg->options[m]);
    }
    free(cfg->options);
    free(cfg->config_path);
    free(cfg->config_dir);
    memset(cfg, 0, sizeof *cfg);
}

const void *ng_module_options(const ng_config *cfg, const ng_module *m)
{
    int i = ng_module_index(m);
    return i >= 0 && (size_t)i < cfg->noptions ? cfg->options[i] : NULL;
}

void ng_config_each_key(void (*fn)(void *ctx, const char *module, const ng_config_key *k),
                        void *ctx)
{
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    for (size_t m = 0; m < n; m++)
        for (size_t k = 0; k < modules[m]->nkeys; k++)
            fn(ctx, modules[m]->name, &modules[m]->keys[k]);
}

static ng_status parse_file(loader *ld)
{
    int rc = ini_parse_stream(read_line, ld, on_key, ld);
    if (rc == -2)
        return NG_ERR_NOMEM;
    if (ferror(ld->fp)) {
        config_error(ld, 0, "kan ikke læse filen");
        return NG_ERR_IO;
    }
    /* The reader blanks every line it reports and the handler never fails,
     * so inih should find nothing; if it does, say so rather than lose it. */
    if (rc > 0)
        config_error(ld, rc, "linjen kan ikke læses som INI");
    return NG_OK;
}

static void finish_modules(loader *ld)
{
    for (size_t m = 0; m < ld->nmodules; m++)
        if (ld->modules[m]->options_finish && ld->cfg->options[m])
            ld->modules[m]->options_finish(ld->cfg->options[m], ld);
}

ng_status ng_config_load(const char *path, ng_config *cfg, ng_diags *diags)
{
    return ng_config_load_for(path, cfg, diags, NULL);
}

ng_status ng_config_load_for(const char *path, ng_config *cfg, ng_diags *diags,
                             bool (*required_of)(const struct ng_module *m))
{
    ng_config_init(cfg);
    loader ld = {.cfg = cfg, .diags = diags, .section = -1, .required_of = required_of};
    ld.modules = ng_modules(&ld.nmodules);
    ng_status status = NG_OK;
    size_t errors_before = diags->errors;

    cfg->config_path = strdup(path);
    cfg->config_dir = directory_of(path);
    if (!cfg->options || !cfg->config_path || !cfg->config_dir) {
        status = NG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t m = 0; m < cfg->noptions; m++)
        if (!cfg->options[m]) {
            status = NG_ERR_NOMEM;
            goto cleanup;
        }
    status = gather_keys(&ld);
    if (status != NG_OK)
        goto cleanup;
    ld.fp = fopen(path, "r");
    if (!ld.fp) {
        ng_error(diags, path, 0, 0, "kan ikke åbne konfigurationsfilen (%s)",
                 errno == ENOENT   ? "filen findes ikke"
                 : errno == EACCES ? "ingen adgang"
                                   : "læsefejl");
        status = NG_ERR_IO;
        goto cleanup;
    }
    status = parse_file(&ld);
    if (status != NG_OK)
        goto cleanup;
    check_required(&ld);
    finish_modules(&ld);
    if (ld.nomem)
        status = NG_ERR_NOMEM;
    else if (diags->errors > errors_before)
        status = NG_ERR_CONFIG;

cleanup:
    if (ld.fp)
        fclose(ld.fp);
    free(ld.raw);
    free(ld.keys);
    free(ld.sections);
    free(ld.subsection);
    return status;
}
