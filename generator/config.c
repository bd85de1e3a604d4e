/*
 * config.c -- the INI configuration file (see config.h).
 *
 * One static table lists every known section and key with its parser and
 * where the value goes in ng_config. inih does the tokenising; our own line
 * reader counts lines (inih does not tell the handler where it is), checks
 * each raw line first (length, UTF-8, '[...]', 'key = value') and hands inih
 * a blank line in place of a bad one, so that every problem of the file is
 * reported with its line, not only inih's first one.
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
#include <sys/stat.h>

#include "notatgen/publish.h"

/* ---- logical fields of the extract ---------------------------------------- */

static const char *const field_names[NG_F_COUNT] = {
    [NG_F_SAG_ID] = "sag_id",
    [NG_F_AAR] = "aar",
    [NG_F_MAANED] = "maaned",
    [NG_F_DATO] = "dato",
    [NG_F_BELOEB] = "beloeb",
    [NG_F_OMRAADE] = "omraade",
    [NG_F_FOEDSELSAAR] = "foedselsaar",
    [NG_F_FOEDSELSDATO] = "foedselsdato",
    [NG_F_FOER67] = "foer67",
    [NG_F_HUSSTAND] = "husstand",
    [NG_F_ENGANGSUDGIFT] = "engangsudgift",
    [NG_F_MAALGRUPPE] = "maalgruppe",
    [NG_F_LEVERANDOERTYPE] = "leverandoertype",
    [NG_F_TILBUD] = "tilbud",
    [NG_F_PARAGRAF] = "paragraf",
    [NG_F_KOMMUNE] = "kommune",
};

const char *ng_field_name(ng_field f)
{
    return (unsigned)f < NG_F_COUNT ? field_names[f] : NULL;
}

bool ng_field_required(ng_field f)
{
    /* aar is required unless dato is mapped: the ingest decides that. */
    return f == NG_F_SAG_ID || f == NG_F_BELOEB || f == NG_F_OMRAADE || f == NG_F_FOEDSELSAAR;
}

static const char *const omraade_names[3] = {"voksen", "boern", "aeldre"};

/* ---- the table of sections and keys --------------------------------------- */

typedef enum {
    K_STRING,      /* char *, any non-empty text */
    K_PATH,        /* char *, resolved against the config file's directory */
    K_DELIMITER,   /* char: semikolon | komma | tab */
    K_ENCODING,    /* ng_encoding */
    K_SCALE,       /* ng_scale */
    K_DECIMAL,     /* ng_decimal_mark */
    K_DATE,        /* ng_date, aux = offset of its has_ flag */
    K_REJECT,      /* ng_reject_policy */
    K_BOOL,        /* bool */
    K_INT,         /* int in [min, max] */
    K_LONG,        /* long in [min, max] */
    K_YEAR,        /* int, four digits */
    K_KOMMUNEKODE, /* char *, three digits */
    K_FILENAME,    /* char *, a file name without a directory */
    K_EMAIL,       /* char *, an address with '@' */
    K_EMAIL_LIST,  /* char **, aux = offset of the size_t count */
    K_NAME_LIST,   /* char **, aux = offset of the size_t count */
    K_COLUMN,      /* kolonner[min] */
    K_OMRAADE,     /* omraade_map[min] */
    K_BANDS,       /* baand[], nbaand */
    K_LATER,       /* kept as text and parsed after the whole file (gaeld_primo) */
    K_KR,          /* double, an amount in whole kr. */
    K_PCT,         /* double, a per cent 0..100 stored as a fraction */
} value_kind;

typedef enum { OPTIONAL, REQUIRED, REQUIRED_IN_SECTION } requirement;

typedef struct {
    const char *section;
    const char *key;
    value_kind kind;
    size_t offset; /* of the value in ng_config */
    requirement req;
    long min, max; /* range of integers; the index for K_COLUMN and K_OMRAADE */
    size_t aux;    /* see value_kind */
} key_spec;

#define OFF(member) offsetof(ng_config, member)
#define KEY(sec, name, kind, member)                                                               \
    {                                                                                              \
        sec, name, kind, OFF(member), OPTIONAL, 0, 0, 0                                            \
    }
#define KEY_REQ(sec, name, kind, member, req)                                                      \
    {                                                                                              \
        sec, name, kind, OFF(member), req, 0, 0, 0                                                 \
    }
#define KEY_RANGE(sec, name, kind, member, lo, hi)                                                 \
    {                                                                                              \
        sec, name, kind, OFF(member), OPTIONAL, lo, hi, 0                                          \
    }
#define KEY_AUX(sec, name, kind, member, aux)                                                      \
    {                                                                                              \
        sec, name, kind, OFF(member), OPTIONAL, 0, 0, OFF(aux)                                     \
    }
#define COLUMN(f)                                                                                  \
    {                                                                                              \
        "kolonner", NULL, K_COLUMN, OFF(kolonner), OPTIONAL, f, f, 0                               \
    }
#define OMRAADE(i)                                                                                 \
    {                                                                                              \
        "omraader", NULL, K_OMRAADE, OFF(omraade_map), OPTIONAL, i, i, 0                           \
    }
#define INPUT_FORMAT(sec, member)                                                                  \
    KEY(sec, "skilletegn", K_DELIMITER, member.delimiter),                                         \
        KEY(sec, "tegnsaet", K_ENCODING, member.encoding)
#define INPUT_AMOUNTS(sec, member)                                                                 \
    KEY(sec, "enhed", K_SCALE, member.scale), KEY(sec, "decimaltegn", K_DECIMAL, member.decimal)

static const key_spec keys[] = {
    KEY_REQ("kommune", "navn", K_STRING, kommune_navn, REQUIRED),
    KEY("kommune", "kode", K_KOMMUNEKODE, kommune_kode),

    KEY_REQ("udtraek", "fil", K_PATH, udtraek.path, REQUIRED),
    INPUT_FORMAT("udtraek", udtraek),
    INPUT_AMOUNTS("udtraek", udtraek),
    KEY_AUX("udtraek", "dato", K_DATE, udtraek_dato, has_udtraek_dato),
    KEY("udtraek", "afvis", K_REJECT, afvis),
    KEY("udtraek", "aar", K_YEAR, refusion_aar),

    COLUMN(NG_F_SAG_ID),
    COLUMN(NG_F_AAR),
    COLUMN(NG_F_MAANED),
    COLUMN(NG_F_DATO),
    COLUMN(NG_F_BELOEB),
    COLUMN(NG_F_OMRAADE),
    COLUMN(NG_F_FOEDSELSAAR),
    COLUMN(NG_F_FOEDSELSDATO),
    COLUMN(NG_F_FOER67),
    COLUMN(NG_F_HUSSTAND),
    COLUMN(NG_F_ENGANGSUDGIFT),
    COLUMN(NG_F_MAALGRUPPE),
    COLUMN(NG_F_LEVERANDOERTYPE),
    COLUMN(NG_F_TILBUD),
    COLUMN(NG_F_PARAGRAF),
    COLUMN(NG_F_KOMMUNE),

    OMRAADE(0),
    OMRAADE(1),
    OMRAADE(2),

    KEY_REQ("budget", "fil", K_PATH, budget.path, REQUIRED_IN_SECTION),
    INPUT_FORMAT("budget", budget),
    INPUT_AMOUNTS("budget", budget),
    KEY("budget", "model", K_PATH, budget_model),
    KEY("budget", "gaeld_primo", K_LATER, gaeld_primo),
    KEY("budget", "merindtaegt_fra_refusion", K_BOOL, merindtaegt_fra_refusion),
    KEY("budget", "effekt_fra_initiativer", K_BOOL, effekt_fra_initiativer),

    KEY_REQ("initiativer", "fil", K_PATH, initiativer.path, REQUIRED_IN_SECTION),
    INPUT_FORMAT("initiativer", initiativer),
    INPUT_AMOUNTS("initiativer", initiativer),

    KEY_REQ("fingerplan", "fil", K_PATH, fingerplan.path, REQUIRED_IN_SECTION),
    INPUT_FORMAT("fingerplan", fingerplan),
    INPUT_AMOUNTS("fingerplan", fingerplan),

    KEY_REQ("befolkning", "fil", K_PATH, befolkning.path, REQUIRED_IN_SECTION),
    INPUT_FORMAT("befolkning", befolkning),

    KEY("historik", "database", K_PATH, historik_db),
    KEY("historik", "import", K_PATH, historik_import.path),

    KEY("intervaller", "graenser", K_BANDS, baand),

    KEY_REQ("output", "mappe", K_PATH, output_dir, REQUIRED),
    KEY("output", "bilag", K_FILENAME, bilag_navn),
    KEY_AUX("output", "notater", K_NAME_LIST, notater, nnotater),
    KEY("output", "skabeloner", K_PATH, template_dir),
    KEY("output", "skrifttyper", K_PATH, font_dir),
    KEY("output", "sagsliste", K_BOOL, case_list),

    KEY("notat", "sagsnavn", K_STRING, memo.sagsnavn),
    KEY("notat", "sagsnummer", K_STRING, memo.sagsnummer),
    KEY("notat", "skrevet_af", K_STRING, memo.skrevet_af),
    KEY("notat", "email", K_EMAIL, memo.email),
    KEY("notat", "forvaltning", K_STRING, memo.forvaltning),
    KEY("notat", "sendes_til", K_STRING, memo.sendes_til),

    KEY_RANGE("privatliv", "mindste_celle", K_INT, mindste_celle, 1, 100),

    KEY_RANGE("prognose", "aar", K_INT, prognose_aar, 1, 30),
    KEY_RANGE("prognose", "vindue", K_INT, prognose_vindue, 1, 20),
    KEY("prognose", "prisaar", K_YEAR, prisaar),
    KEY("prognose", "prisindeks", K_PATH, prisindeks),
    KEY("prognose", "historik", K_PATH, prognose_historik),
    KEY("prognose", "tidligere", K_PATH, prognose_tidligere),

    KEY_REQ("mail", "server", K_STRING, mail.host, REQUIRED_IN_SECTION),
    KEY_RANGE("mail", "port", K_INT, mail.port, 1, 65535),
    KEY("mail", "starttls", K_BOOL, mail.starttls),
    KEY("mail", "bruger", K_STRING, mail.user),
    KEY("mail", "adgangskode_fil", K_PATH, mail.password_file),
    KEY("mail", "adgangskode_env", K_STRING, mail.password_env),
    KEY_REQ("mail", "fra", K_EMAIL, mail.from, REQUIRED_IN_SECTION),
    {"mail", "til", K_EMAIL_LIST, OFF(mail.to), REQUIRED_IN_SECTION, 0, 0, OFF(mail.nto)},
    KEY("mail", "emne", K_STRING, mail.subject),
    KEY("mail", "tekst", K_PATH, mail.body_template),
    KEY("mail", "vedhaeft_pdf", K_BOOL, mail.attach_pdf),
    KEY_RANGE("mail", "max_vedhaeftning", K_LONG, mail.max_attachment_bytes, 0, LONG_MAX),
    KEY_RANGE("mail", "forsoeg", K_INT, mail.retries, 1, 10),

    KEY("log", "syslog", K_BOOL, syslog),
    KEY_REQ("refusionsbudget", "beloeb", K_KR, refusionsbudget, REQUIRED_IN_SECTION),
    KEY("refusionsbudget", "andel_voksen", K_PCT, refusionsbudget_andel[0]),
    KEY("refusionsbudget", "andel_boern", K_PCT, refusionsbudget_andel[1]),
    KEY("refusionsbudget", "andel_aeldre", K_PCT, refusionsbudget_andel[2]),
    KEY_RANGE("refusionsbudget", "model_voksen", K_INT, refusionsbudget_model[0], 1, 2),
    KEY_RANGE("refusionsbudget", "model_boern", K_INT, refusionsbudget_model[1], 1, 2),
    KEY_RANGE("refusionsbudget", "model_aeldre", K_INT, refusionsbudget_model[2], 1, 2),
};

enum { NKEYS = sizeof keys / sizeof keys[0] };

/* [taerskler] has years as keys, so it has no rows in keys[]. */
static const char *const section_names[] = {
    "kommune",    "udtraek",    "kolonner", "omraader",  "budget",      "initiativer",
    "fingerplan", "befolkning", "historik", "taerskler", "intervaller", "output",
    "notat",      "privatliv",  "prognose", "mail",      "log",         "refusionsbudget",
};

enum { NSECTIONS = sizeof section_names / sizeof section_names[0] };

enum { MAX_OMRAADE_VALUES = 8, MAX_BANDS = 8, MAIL_DEFAULT_RETRIES = 3 };
static const long MAIL_DEFAULT_MAX_ATTACHMENT = 10L * 1024 * 1024;

static const char *key_name(const key_spec *k)
{
    if (k->kind == K_COLUMN)
        return field_names[k->min];
    if (k->kind == K_OMRAADE)
        return omraade_names[k->min];
    return k->key;
}

/* ---- the loader's state ---------------------------------------------------- */

typedef struct {
    ng_config *cfg;
    ng_diags *diags;
    FILE *fp;
    char *raw; /* the current physical line */
    size_t rawcap;
    long lineno;
    int section;       /* index in section_names, -1 before the first or when unknown */
    bool skip_section; /* an unknown or broken section header: its keys are not reported */
    ng_memo_override *memo_override; /* inside [notat.NAVN]: where its keys go */
    long seen[NKEYS];                /* line where each key was set; 0 = not set */
    long section_line[NSECTIONS];    /* line of each section's first header */
    long *taerskel_lines;            /* parallel to cfg->taerskler */
    char *gaeld_primo_text;
    long gaeld_primo_line;
    bool nomem;
} loader;

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

/* A close known name to suggest, or NULL. */
static const char *closest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = 3; /* more than two edits is a different word */
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}

static int find_section(const char *name)
{
    for (int i = 0; i < NSECTIONS; i++)
        if (!strcasecmp(section_names[i], name))
            return i;
    return -1;
}

static const key_spec *find_key(const char *section, const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (!strcmp(keys[i].section, section) && !strcasecmp(key_name(&keys[i]), name))
            return &keys[i];
    return NULL;
}

static void suggest_key(loader *ld, const char *section, const char *name)
{
    const char *names[NKEYS];
    size_t n = 0;
    for (size_t i = 0; i < NKEYS; i++)
        if (!strcmp(keys[i].section, section))
            names[n++] = key_name(&keys[i]);
    const char *best = closest(name, names, n);
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

static void bad_value(loader *ld, const key_spec *k, const char *value, const char *expected)
{
    config_error(ld, ld->lineno, "ugyldig værdi for '%s': '%s' (forventet %s)", key_name(k), value,
                 expected);
}

static bool word_is(const char *value, const char *word)
{
    return !strcasecmp(value, word);
}

static void *slot(loader *ld, const key_spec *k)
{
    return (char *)ld->cfg + k->offset;
}

static void set_string(loader *ld, const key_spec *k, char *owned)
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

static void parse_list(loader *ld, const key_spec *k, const char *value)
{
    size_t n = 0;
    char **items = split_commas(value, &n);
    const char *expected = k->kind == K_EMAIL_LIST
                               ? "e-mailadresser adskilt af komma"
                               : "skabelonnavne (a-z, 0-9, _ og -) adskilt af komma";
    if (!items) {
        bad_value(ld, k, value, expected);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        bool ok =
            k->kind == K_EMAIL_LIST ? looks_like_email(items[i]) : valid_template_name(items[i]);
        if (!ok) {
            bad_value(ld, k, value, expected);
            free_list(items, n);
            return;
        }
    }
    char ***dst = slot(ld, k);
    size_t *count = (size_t *)((char *)ld->cfg + k->aux);
    free_list(*dst, *count);
    *dst = items;
    *count = n;
}

static void parse_omraade(loader *ld, const key_spec *k, const char *value)
{
    size_t n = 0;
    char **items = split_commas(value, &n);
    if (!items || n > MAX_OMRAADE_VALUES) {
        bad_value(ld, k, value, "op til 8 værdier adskilt af komma");
        free_list(items, n);
        return;
    }
    char **map = ld->cfg->omraade_map[k->min];
    for (size_t i = 0; i < MAX_OMRAADE_VALUES; i++) {
        free(map[i]);
        map[i] = NULL;
    }
    for (size_t i = 0; i < n; i++) {
        ng_fold_case(items[i]);
        map[i] = items[i];
    }
    free(items);
}

static void parse_bands(loader *ld, const key_spec *k, const char *value)
{
    static const char expected[] =
        "op til 8 beløb i kr. adskilt af mellemrum, stigende, fx 1.000.000 1.500.000 2.000.000";
    int64_t bands[MAX_BANDS];
    size_t n = 0;
    const char *p = skip_space(value);
    while (*p) {
        size_t len = strcspn(p, " \t");
        char token[64];
        if (n == MAX_BANDS || len >= sizeof token) {
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
    memcpy(ld->cfg->baand, bands, n * sizeof bands[0]);
    ld->cfg->nbaand = n;
}

static void parse_number(loader *ld, const key_spec *k, const char *value)
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
    if (k->kind == K_INT)
        *(int *)slot(ld, k) = (int)v;
    else
        *(long *)slot(ld, k) = v;
}

static void parse_enum_word(loader *ld, const key_spec *k, const char *value)
{
    switch (k->kind) {
    case K_DELIMITER: {
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
    case K_ENCODING:
        if (word_is(value, "auto"))
            *(ng_encoding *)slot(ld, k) = NG_ENC_AUTO;
        else if (word_is(value, "utf-8") || word_is(value, "utf8"))
            *(ng_encoding *)slot(ld, k) = NG_ENC_UTF8;
        else if (word_is(value, "windows-1252") || word_is(value, "cp1252"))
            *(ng_encoding *)slot(ld, k) = NG_ENC_CP1252;
        else
            bad_value(ld, k, value, "auto, utf-8 eller windows-1252");
        break;
    case K_SCALE:
        if (word_is(value, "kr"))
            *(ng_scale *)slot(ld, k) = NG_SCALE_KR;
        else if (word_is(value, "tkr"))
            *(ng_scale *)slot(ld, k) = NG_SCALE_TKR;
        else if (word_is(value, "mio"))
            *(ng_scale *)slot(ld, k) = NG_SCALE_MIO;
        else
            bad_value(ld, k, value, "kr, tkr eller mio");
        break;
    case K_DECIMAL:
        if (word_is(value, "auto"))
            *(ng_decimal_mark *)slot(ld, k) = NG_DECIMAL_AUTO;
        else if (word_is(value, "komma"))
            *(ng_decimal_mark *)slot(ld, k) = NG_DECIMAL_COMMA;
        else if (word_is(value, "punktum"))
            *(ng_decimal_mark *)slot(ld, k) = NG_DECIMAL_POINT;
        else
            bad_value(ld, k, value, "auto, komma eller punktum");
        break;
    case K_REJECT:
        if (word_is(value, "fil"))
            *(ng_reject_policy *)slot(ld, k) = NG_REJECT_FILE;
        else if (word_is(value, "raekke") || word_is(value, "række"))
            *(ng_reject_policy *)slot(ld, k) = NG_REJECT_ROW;
        else
            bad_value(ld, k, value, "fil eller raekke");
        break;
    case K_BOOL: {
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

static void parse_text(loader *ld, const key_spec *k, const char *value)
{
    switch (k->kind) {
    case K_KOMMUNEKODE:
        if (!all_digits(value, 3)) {
            bad_value(ld, k, value, "et kommunenummer på tre cifre, fx 730");
            return;
        }
        break;
    case K_FILENAME:
        if (strchr(value, '/') || strlen(value) < 6 ||
            strcasecmp(value + strlen(value) - 5, ".xlsx")) {
            bad_value(ld, k, value, "et filnavn uden mappe, der ender på .xlsx");
            return;
        }
        break;
    case K_EMAIL:
        if (!looks_like_email(value)) {
            bad_value(ld, k, value, "en e-mailadresse, fx navn@randers.dk");
            return;
        }
        break;
    default:
        break;
    }
    set_string(ld, k, k->kind == K_PATH ? resolve_path(ld, value) : dup_or_flag(ld, value));
}

static void parse_value(loader *ld, const key_spec *k, const char *value)
{
    switch (k->kind) {
    case K_STRING:
    case K_PATH:
    case K_KOMMUNEKODE:
    case K_FILENAME:
    case K_EMAIL:
        parse_text(ld, k, value);
        break;
    case K_DELIMITER:
    case K_ENCODING:
    case K_SCALE:
    case K_DECIMAL:
    case K_REJECT:
    case K_BOOL:
        parse_enum_word(ld, k, value);
        break;
    case K_DATE: {
        ng_date d;
        if (ng_parse_date(value, &d, NULL) != NG_OK) {
            bad_value(ld, k, value, "en dato som 2025-10-31, 31-10-2025 eller 31.10.2025");
            return;
        }
        *(ng_date *)slot(ld, k) = d;
        *(bool *)((char *)ld->cfg + k->aux) = true;
        break;
    }
    case K_INT:
    case K_LONG:
        parse_number(ld, k, value);
        break;
    case K_YEAR:
        if (!all_digits(value, 4) || value[0] == '0') {
            bad_value(ld, k, value, "et årstal som 2026");
            return;
        }
        *(int *)slot(ld, k) = atoi(value);
        break;
    case K_EMAIL_LIST:
    case K_NAME_LIST:
        parse_list(ld, k, value);
        break;
    case K_COLUMN:
        free(ld->cfg->kolonner[k->min]);
        ld->cfg->kolonner[k->min] = dup_or_flag(ld, value);
        break;
    case K_OMRAADE:
        parse_omraade(ld, k, value);
        break;
    case K_BANDS:
        parse_bands(ld, k, value);
        break;
    case K_KR: {
        int64_t kr;
        if (!parse_kr(value, &kr) || kr < 0) {
            bad_value(ld, k, value, "et beløb i hele kr., fx 41.400.000");
            return;
        }
        *(double *)slot(ld, k) = (double)kr;
        break;
    }
    case K_PCT: {
        double pct;
        if (ng_parse_number(value, NG_DECIMAL_AUTO, &pct, NULL) != NG_OK || pct < 0 || pct > 100) {
            bad_value(ld, k, value, "en procentdel fra 0 til 100, fx 61,5");
            return;
        }
        *(double *)slot(ld, k) = pct / 100.0;
        break;
    }
    case K_LATER:
        free(ld->gaeld_primo_text);
        ld->gaeld_primo_text = dup_or_flag(ld, value);
        ld->gaeld_primo_line = ld->lineno;
        break;
    }
}

/* ---- [taerskler] ------------------------------------------------------------ */

static bool split_three_amounts(const char *value, int64_t t[3])
{
    const char *p = skip_space(value);
    size_t n = 0;
    while (*p) {
        size_t len = strcspn(p, " \t");
        char token[64];
        if (n == 3 || len >= sizeof token)
            return false;
        memcpy(token, p, len);
        token[len] = '\0';
        if (!parse_kr(token, &t[n]) || t[n] <= 0)
            return false;
        n++;
        p = skip_space(p + len);
    }
    return n == 3;
}

static bool add_threshold_year(loader *ld, ng_threshold_year row, long line)
{
    ng_config *cfg = ld->cfg;
    size_t n = cfg->ntaerskler + 1;
    ng_threshold_year *rows = realloc(cfg->taerskler, n * sizeof *rows);
    if (!rows)
        return false;
    cfg->taerskler = rows;
    long *lines = realloc(ld->taerskel_lines, n * sizeof *lines);
    if (!lines)
        return false;
    ld->taerskel_lines = lines;
    rows[n - 1] = row;
    lines[n - 1] = line;
    cfg->ntaerskler = n;
    return true;
}

static void parse_threshold(loader *ld, const char *name, const char *value)
{
    long line = ld->lineno;
    if (!all_digits(name, 4) || name[0] == '0') {
        config_error(ld, line, "ugyldigt år '%s' i [taerskler] (forventet ÅÅÅÅ, fx 2026)", name);
        return;
    }
    int aar = atoi(name);
    for (size_t i = 0; i < ld->cfg->ntaerskler; i++)
        if (ld->cfg->taerskler[i].aar == aar) {
            config_error(ld, line,
                         "nøglen '%d' i [taerskler] er angivet igen (første gang i linje %ld)", aar,
                         ld->taerskel_lines[i]);
            return;
        }
    int64_t t[3];
    if (!split_three_amounts(value, t)) {
        config_error(ld, line,
                     "ugyldig værdi for '%d': '%s' (forventet tre beløb i kr. adskilt af "
                     "mellemrum: t1 t2 t3)",
                     aar, value);
        return;
    }
    if (!(t[0] < t[1] && t[1] < t[2])) {
        config_error(ld, line, "tærsklerne for %d skal stige (t1 < t2 < t3): '%s'", aar, value);
        return;
    }
    char kilde[512];
    snprintf(kilde, sizeof kilde, "konfiguration %s, linje %ld", ld->cfg->config_path, line);
    ng_threshold_year row = {.aar = aar, .t1 = t[0], .t2 = t[1], .t3 = t[2]};
    row.kilde = dup_or_flag(ld, kilde);
    if (!add_threshold_year(ld, row, line)) {
        free(row.kilde);
        ld->nomem = true;
    }
}

/* ---- the inih handler -------------------------------------------------------- */

static void empty_value(loader *ld, const char *name)
{
    /* inih takes "skilletegn = ;" as an empty value and a comment. */
    bool semicolon = strchr(ld->raw, ';') != NULL;
    config_error(ld, ld->lineno, "mangler en værdi for '%s'%s", name,
                 semicolon ? " (';' indleder en kommentar; skriv semikolon som ord)" : "");
}

static void memo_override_key(loader *ld, const char *name, const char *value);

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
    const char *sec = section_names[ld->section];
    if (ld->memo_override) {
        memo_override_key(ld, name, value);
        return 1;
    }
    if (!strcmp(sec, "taerskler")) {
        if (!*value)
            empty_value(ld, name);
        else
            parse_threshold(ld, name, value);
        return 1;
    }
    const key_spec *k = find_key(sec, name);
    if (!k) {
        config_error(ld, ld->lineno, "ukendt nøgle '%s' i [%s]", name, sec);
        suggest_key(ld, sec, name);
        return 1;
    }
    size_t i = (size_t)(k - keys);
    if (ld->seen[i]) {
        config_error(ld, ld->lineno, "nøglen '%s' i [%s] er angivet igen (første gang i linje %ld)",
                     key_name(k), sec, ld->seen[i]);
        return 1;
    }
    ld->seen[i] = ld->lineno;
    if (!*value)
        empty_value(ld, key_name(k));
    else
        parse_value(ld, k, value);
    return 1;
}

/* ---- [notat.NAVN] ------------------------------------------------------------- */

static ng_memo_override *add_memo_override(loader *ld, const char *notat)
{
    ng_config *cfg = ld->cfg;
    for (size_t i = 0; i < cfg->nnotat_saer; i++)
        if (!strcmp(cfg->notat_saer[i].notat, notat))
            return &cfg->notat_saer[i];
    ng_memo_override *list = realloc(cfg->notat_saer, (cfg->nnotat_saer + 1) * sizeof *list);
    if (!list) {
        ld->nomem = true;
        return NULL;
    }
    cfg->notat_saer = list;
    ng_memo_override *o = &list[cfg->nnotat_saer];
    memset(o, 0, sizeof *o);
    o->notat = dup_or_flag(ld, notat);
    if (!o->notat)
        return NULL;
    cfg->nnotat_saer++;
    return o;
}

/* A key of [notat.NAVN]: the same keys and checks as [notat], into the
 * memo's own fields. */
static void memo_override_key(loader *ld, const char *name, const char *value)
{
    const key_spec *k = find_key("notat", name);
    if (!k) {
        config_error(ld, ld->lineno, "ukendt nøgle '%s' i [notat.%s]", name,
                     ld->memo_override->notat);
        return;
    }
    if (!*value) {
        empty_value(ld, name);
        return;
    }
    if (k->kind == K_EMAIL && !looks_like_email(value)) {
        bad_value(ld, k, value, "en e-mailadresse, fx navn@randers.dk");
        return;
    }
    char **field = (char **)((char *)&ld->memo_override->meta + (k->offset - OFF(memo)));
    free(*field);
    *field = dup_or_flag(ld, value);
}

void ng_config_memo_meta(const ng_config *cfg, const char *notat, ng_memo_meta *out)
{
    *out = cfg->memo;
    for (size_t i = 0; notat && i < cfg->nnotat_saer; i++) {
        if (strcmp(cfg->notat_saer[i].notat, notat))
            continue;
        const ng_memo_meta *m = &cfg->notat_saer[i].meta;
        out->sagsnavn = m->sagsnavn ? m->sagsnavn : out->sagsnavn;
        out->sagsnummer = m->sagsnummer ? m->sagsnummer : out->sagsnummer;
        out->skrevet_af = m->skrevet_af ? m->skrevet_af : out->skrevet_af;
        out->email = m->email ? m->email : out->email;
        out->forvaltning = m->forvaltning ? m->forvaltning : out->forvaltning;
        out->sendes_til = m->sendes_til ? m->sendes_til : out->sendes_til;
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
    ld->memo_override = NULL;
    if (!strncmp(name, "notat.", 6) && name[6]) {
        ld->memo_override = add_memo_override(ld, name + 6);
        free(name);
        ld->section = ld->memo_override ? find_section("notat") : -1;
        ld->skip_section = ld->section < 0;
        return true;
    }
    ld->section = find_section(name);
    ld->skip_section = ld->section < 0;
    if (ld->section < 0) {
        config_error(ld, ld->lineno, "ukendt afsnit [%s]", name);
        const char *best = closest(name, section_names, NSECTIONS);
        if (best)
            ng_note(ld->diags, ld->cfg->config_path, ld->lineno, 0, "mente du [%s]?", best);
    } else if (!ld->section_line[ld->section]) {
        ld->section_line[ld->section] = ld->lineno;
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
    ld->lineno++;
    size_t len = (size_t)n;
    while (len > 0 && (ld->raw[len - 1] == '\n' || ld->raw[len - 1] == '\r'))
        len--;
    ld->raw[len] = '\0';
    const char *text = ld->raw;
    if (ld->lineno == 1 && !strncmp(text, "\xEF\xBB\xBF", 3))
        text += 3;
    const char *pass = check_line(ld, text, num);
    snprintf(str, (size_t)num, "%s\n", pass ? pass : "");
    return str;
}

/* ---- after the whole file: required keys, defaults, cross-checks ------------- */

static void check_required(loader *ld)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const key_spec *k = &keys[i];
        if (ld->seen[i] || k->req == OPTIONAL)
            continue;
        long section_line = ld->section_line[find_section(k->section)];
        if (k->req == REQUIRED)
            config_error(ld, 0, "mangler nøglen '%s' i [%s]", key_name(k), k->section);
        else if (section_line)
            config_error(ld, section_line, "mangler nøglen '%s' i [%s]", key_name(k), k->section);
    }
}

static char *default_template_dir(void)
{
    struct stat st;
    const char *installed = NG_DATA_DIR "/templates";
    if (stat(installed, &st) == 0 && S_ISDIR(st.st_mode))
        return strdup(installed);
    return strdup(NG_SOURCE_DIR "/templates");
}

static void default_string(loader *ld, char **dst, const char *value)
{
    if (!*dst)
        *dst = dup_or_flag(ld, value);
}

static void apply_default_omraader(loader *ld)
{
    static const char *const defaults[3][2] = {
        {"voksen", NULL}, {"boern", "børn"}, {"aeldre", "ældre"}};
    for (int o = 0; o < 3; o++) {
        if (ld->cfg->omraade_map[o][0])
            continue;
        for (int j = 0; j < 2 && defaults[o][j]; j++)
            ld->cfg->omraade_map[o][j] = dup_or_flag(ld, defaults[o][j]);
    }
}

static void apply_defaults(loader *ld)
{
    ng_config *cfg = ld->cfg;
    for (int f = 0; f < NG_F_COUNT; f++)
        default_string(ld, &cfg->kolonner[f], field_names[f]);
    apply_default_omraader(ld);
    default_string(ld, &cfg->bilag_navn, "bilag.xlsx");
    if (!cfg->notater) {
        cfg->notater = calloc(1, sizeof *cfg->notater);
        if (!cfg->notater)
            ld->nomem = true;
        else
            cfg->notater[cfg->nnotater++] = dup_or_flag(ld, "sde_status");
    }
    if (!cfg->historik_db && cfg->output_dir) {
        cfg->historik_db = ng_path_join(cfg->output_dir, "historik.sqlite");
        if (!cfg->historik_db)
            ld->nomem = true;
    }
    if (!cfg->template_dir) {
        cfg->template_dir = default_template_dir();
        if (!cfg->template_dir)
            ld->nomem = true;
    }
    if (!cfg->budget_model && cfg->template_dir) {
        cfg->budget_model = ng_path_join(cfg->template_dir, "budgetmodel.ini");
        if (!cfg->budget_model)
            ld->nomem = true;
    }
    if (cfg->nbaand == 0) {
        static const int64_t bands[] = {1000000, 1500000, 2000000};
        memcpy(cfg->baand, bands, sizeof bands);
        cfg->nbaand = 3;
    }
}

static void parse_gaeld_primo(loader *ld)
{
    if (!ld->gaeld_primo_text)
        return;
    int64_t oere;
    if (ng_parse_amount(ld->gaeld_primo_text, ld->cfg->budget.decimal, ld->cfg->budget.scale, &oere,
                        NULL) != NG_OK) {
        config_error(ld, ld->gaeld_primo_line,
                     "ugyldig værdi for 'gaeld_primo': '%s' (forventet et beløb i budgetfilens "
                     "enhed, fx 12.345.678 eller -1.234,5)",
                     ld->gaeld_primo_text);
        return;
    }
    ld->cfg->gaeld_primo = (double)oere / 100.0;
}

static long line_of(loader *ld, value_kind kind, long index)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (keys[i].kind == kind && keys[i].min == index)
            return ld->seen[i];
    return 0;
}

/* Two fields read from one column, or one value meaning two områder, is a
 * mistake in the mapping that would silently lose data. */
static void check_mappings(loader *ld)
{
    ng_config *cfg = ld->cfg;
    for (int f = 1; f < NG_F_COUNT; f++)
        for (int g = 0; g < f; g++)
            if (cfg->kolonner[f] && cfg->kolonner[g] &&
                !strcasecmp(cfg->kolonner[f], cfg->kolonner[g])) {
                long line = line_of(ld, K_COLUMN, f);
                config_error(ld, line ? line : line_of(ld, K_COLUMN, g),
                             "kolonnen '%s' bruges til både '%s' og '%s' i [kolonner]",
                             cfg->kolonner[f], field_names[g], field_names[f]);
            }
    for (int o = 1; o < 3; o++)
        for (int p = 0; p < o; p++)
            for (int i = 0; i < MAX_OMRAADE_VALUES && cfg->omraade_map[o][i]; i++)
                for (int j = 0; j < MAX_OMRAADE_VALUES && cfg->omraade_map[p][j]; j++)
                    if (!strcmp(cfg->omraade_map[o][i], cfg->omraade_map[p][j])) {
                        long line = line_of(ld, K_OMRAADE, o);
                        config_error(ld, line ? line : line_of(ld, K_OMRAADE, p),
                                     "værdien '%s' står under både '%s' og '%s' i [omraader]",
                                     cfg->omraade_map[o][i], omraade_names[p], omraade_names[o]);
                    }
}

static void finish_mail(loader *ld)
{
    ng_config *cfg = ld->cfg;
    long section_line = ld->section_line[find_section("mail")];
    cfg->has_mail = section_line > 0;
    if (!cfg->has_mail)
        return;
    if (cfg->mail.port == 0)
        cfg->mail.port = cfg->mail.starttls ? 587 : 25;
    if (cfg->mail.password_file && cfg->mail.password_env)
        config_error(ld, section_line,
                     "angiv kun én af 'adgangskode_fil' og 'adgangskode_env' i [mail]");
    if (cfg->mail.user && !cfg->mail.password_file && !cfg->mail.password_env)
        config_error(ld, section_line,
                     "'bruger' kræver 'adgangskode_fil' eller 'adgangskode_env' i [mail]");
}

/* ---- public API --------------------------------------------------------------- */

static void init_input(ng_input_file *in)
{
    memset(in, 0, sizeof *in);
    in->delimiter = ';';
    in->encoding = NG_ENC_AUTO;
    in->decimal = NG_DECIMAL_AUTO;
    in->scale = NG_SCALE_KR;
}

void ng_config_init(ng_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    init_input(&cfg->udtraek);
    init_input(&cfg->budget);
    init_input(&cfg->initiativer);
    init_input(&cfg->fingerplan);
    init_input(&cfg->befolkning);
    init_input(&cfg->historik_import);
    cfg->afvis = NG_REJECT_FILE;
    cfg->mindste_celle = 3;
    for (int i = 0; i < 3; i++)
        cfg->refusionsbudget_model[i] = 2;
    cfg->prognose_aar = 5;
    cfg->prognose_vindue = 3;
    cfg->mail.starttls = true;
    cfg->mail.retries = MAIL_DEFAULT_RETRIES;
    cfg->mail.max_attachment_bytes = MAIL_DEFAULT_MAX_ATTACHMENT;
}

static void free_mail(ng_mail_config *m)
{
    free(m->host);
    free(m->user);
    free(m->password_file);
    free(m->password_env);
    free(m->from);
    free_list(m->to, m->nto);
    free(m->subject);
    free(m->body_template);
}

static void free_memo(ng_memo_meta *m)
{
    free(m->sagsnavn);
    free(m->sagsnummer);
    free(m->skrevet_af);
    free(m->email);
    free(m->forvaltning);
    free(m->sendes_til);
}

void ng_config_free(ng_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->config_path);
    free(cfg->config_dir);
    free(cfg->kommune_navn);
    free(cfg->kommune_kode);
    free(cfg->udtraek.path);
    free(cfg->budget.path);
    free(cfg->initiativer.path);
    free(cfg->fingerplan.path);
    free(cfg->befolkning.path);
    free(cfg->historik_import.path);
    free(cfg->historik_db);
    for (int f = 0; f < NG_F_COUNT; f++)
        free(cfg->kolonner[f]);
    for (int o = 0; o < 3; o++)
        for (int i = 0; i < MAX_OMRAADE_VALUES; i++)
            free(cfg->omraade_map[o][i]);
    for (size_t i = 0; i < cfg->nnotat_saer; i++) {
        ng_memo_meta *m = &cfg->notat_saer[i].meta;
        free(cfg->notat_saer[i].notat);
        free(m->sagsnavn);
        free(m->sagsnummer);
        free(m->skrevet_af);
        free(m->email);
        free(m->forvaltning);
        free(m->sendes_til);
    }
    free(cfg->notat_saer);
    for (size_t i = 0; i < cfg->ntaerskler; i++)
        free(cfg->taerskler[i].kilde);
    free(cfg->taerskler);
    free(cfg->output_dir);
    free(cfg->bilag_navn);
    free_list(cfg->notater, cfg->nnotater);
    free(cfg->template_dir);
    free(cfg->font_dir);
    free_memo(&cfg->memo);
    free(cfg->prisindeks);
    free(cfg->prognose_historik);
    free(cfg->prognose_tidligere);
    free(cfg->budget_model);
    free_mail(&cfg->mail);
    ng_config_init(cfg);
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

ng_status ng_config_load(const char *path, ng_config *cfg, ng_diags *diags)
{
    ng_config_init(cfg);
    loader ld = {.cfg = cfg, .diags = diags, .section = -1};
    ng_status status = NG_OK;
    size_t errors_before = diags->errors;

    cfg->config_path = strdup(path);
    cfg->config_dir = directory_of(path);
    if (!cfg->config_path || !cfg->config_dir) {
        status = NG_ERR_NOMEM;
        goto cleanup;
    }
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
    apply_defaults(&ld);
    parse_gaeld_primo(&ld);
    check_mappings(&ld);
    finish_mail(&ld);
    if (ld.nomem)
        status = NG_ERR_NOMEM;
    else if (diags->errors > errors_before)
        status = NG_ERR_CONFIG;

cleanup:
    if (ld.fp)
        fclose(ld.fp);
    free(ld.raw);
    free(ld.taerskel_lines);
    free(ld.gaeld_primo_text);
    return status;
}
