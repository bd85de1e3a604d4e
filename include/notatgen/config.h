/*
 * config.h -- one INI file per run (inih), read into the options of every
 * module.
 *
 * The engine here knows the kinds of values (a path, a delimiter word, a
 * year, a list of e-mail addresses, ...) and nothing about what they mean:
 * each module declares its own sections and keys (ng_config_key, with the
 * offset of the value in the module's own options struct; module.h), and
 * ng_config_load fills one options struct per module of ng_modules(). So an
 * unknown key, a missing required key or a bad value is an error naming
 * file, line and key (exit 2), and a key no module declares cannot exist.
 * Relative paths are resolved against the directory of the configuration
 * file. Delimiters are words (semikolon, komma, tab) because inih treats
 * ';' as a comment. The full reference is docs/konfiguration.md.
 *
 * Ownership: ng_config owns every module's options and their strings;
 * ng_config_free releases them.
 */
#ifndef NOTATGEN_CONFIG_H
#define NOTATGEN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/diag.h"
#include "notatgen/dk.h"
#include "notatgen/status.h"

/* ---- value types several modules share ---------------------------------- */

typedef enum { NG_ENC_AUTO, NG_ENC_UTF8, NG_ENC_CP1252 } ng_encoding;
typedef enum { NG_REJECT_FILE, NG_REJECT_ROW } ng_reject_policy;

/* The format of one CSV input file. */
typedef struct {
    char *path;           /* resolved path; NULL when the input is not configured */
    char delimiter;       /* ';' ',' '\t' */
    ng_encoding encoding; /* auto = UTF-8 if valid, else Windows-1252 */
    ng_decimal_mark decimal;
    ng_scale scale; /* enhed = kr | tkr | mio */
} ng_input_file;

/* The defaults: ';', auto, auto, kr, no path. */
void ng_input_file_init(ng_input_file *in);

/* ---- keys a module declares ----------------------------------------------- */

typedef enum {
    NG_KEY_STRING,      /* char *, any non-empty text */
    NG_KEY_PATH,        /* char *, resolved against the config file's directory */
    NG_KEY_DELIMITER,   /* char: semikolon | komma | tab */
    NG_KEY_ENCODING,    /* ng_encoding */
    NG_KEY_SCALE,       /* ng_scale */
    NG_KEY_DECIMAL,     /* ng_decimal_mark */
    NG_KEY_DATE,        /* ng_date, aux = offset of its bool has_ flag */
    NG_KEY_REJECT,      /* ng_reject_policy */
    NG_KEY_BOOL,        /* bool */
    NG_KEY_INT,         /* int in [min, max] */
    NG_KEY_LONG,        /* long in [min, max] */
    NG_KEY_YEAR,        /* int, four digits */
    NG_KEY_KOMMUNEKODE, /* char *, three digits */
    NG_KEY_FILENAME,    /* char *, a file name without a directory, ending .xlsx */
    NG_KEY_EMAIL,       /* char *, an address with '@' */
    NG_KEY_EMAIL_LIST,  /* char **, aux = offset of the size_t count */
    NG_KEY_NAME_LIST,   /* char **, aux = offset of the size_t count */
    NG_KEY_VALUE_SET,   /* char *[8]: up to 8 comma-separated values, case-folded */
    NG_KEY_AMOUNTS,     /* int64_t[8] kr. ascending, aux = offset of the size_t count */
    NG_KEY_KR,          /* double, an amount in whole kr. */
    NG_KEY_PCT,         /* double, a per cent 0..100 stored as a fraction */
} ng_key_kind;

typedef enum { NG_OPTIONAL, NG_REQUIRED, NG_REQUIRED_IN_SECTION } ng_key_requirement;

typedef struct {
    const char *section;
    const char *key;
    ng_key_kind kind;
    size_t offset; /* of the value in the module's options struct */
    ng_key_requirement req;
    long min, max; /* range of integers */
    size_t aux;    /* see ng_key_kind */
} ng_config_key;

/* Declaring keys of an options struct TYPE (designated by offsetof). */
#define NG_KEY(type, sec, name, kind, member)                                                      \
    {                                                                                              \
        sec, name, kind, offsetof(type, member), NG_OPTIONAL, 0, 0, 0                              \
    }
#define NG_KEY_REQ(type, sec, name, kind, member, req)                                             \
    {                                                                                              \
        sec, name, kind, offsetof(type, member), req, 0, 0, 0                                      \
    }
#define NG_KEY_RANGE(type, sec, name, kind, member, lo, hi)                                        \
    {                                                                                              \
        sec, name, kind, offsetof(type, member), NG_OPTIONAL, lo, hi, 0                            \
    }
#define NG_KEY_AUX(type, sec, name, kind, member, auxmember)                                       \
    {                                                                                              \
        sec, name, kind, offsetof(type, member), NG_OPTIONAL, 0, 0, offsetof(type, auxmember)      \
    }
/* The format keys of an ng_input_file member: skilletegn, tegnsaet, and
 * (NG_INPUT_AMOUNT_KEYS) enhed, decimaltegn. */
#define NG_INPUT_FORMAT_KEYS(type, sec, member)                                                    \
    NG_KEY(type, sec, "skilletegn", NG_KEY_DELIMITER, member.delimiter),                           \
        NG_KEY(type, sec, "tegnsaet", NG_KEY_ENCODING, member.encoding)
#define NG_INPUT_AMOUNT_KEYS(type, sec, member)                                                    \
    NG_KEY(type, sec, "enhed", NG_KEY_SCALE, member.scale),                                        \
        NG_KEY(type, sec, "decimaltegn", NG_KEY_DECIMAL, member.decimal)

/* ---- the loaded configuration --------------------------------------------- */

typedef struct ng_config {
    char *config_path; /* as given */
    char *config_dir;  /* directory the relative paths are resolved against */
    void **options;    /* one options struct per module of ng_modules(), in its order */
    size_t noptions;
} ng_config;

/* What a module's options_finish / free_key / subsection_key gets: where
 * the configuration came from, and how to report and resolve. */
typedef struct ng_config_ctx ng_config_ctx;

const char *ng_config_ctx_path(const ng_config_ctx *c);
const char *ng_config_ctx_dir(const ng_config_ctx *c);
/* The line of the current key (free_key, subsection_key). */
long ng_config_ctx_line(const ng_config_ctx *c);
/* The line where [section] key was set; 0 when it was not. */
long ng_config_key_line(const ng_config_ctx *c, const char *section, const char *key);
/* The line of [section]'s first header; 0 when the file has none. */
long ng_config_section_line(const ng_config_ctx *c, const char *section);
/* Reports an error at line (0: the file) of the configuration. */
void ng_config_error(ng_config_ctx *c, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Notes that an allocation failed (the load then fails with NG_ERR_NOMEM). */
void ng_config_nomem(ng_config_ctx *c);
/* A copy of value, resolved against the config's directory when relative
 * (NULL and ng_config_nomem on out of memory). */
char *ng_config_resolve(ng_config_ctx *c, const char *value);
/* Parses value as the key kind k would into dst (the helpers of the engine
 * for subsection_key: NG_KEY_STRING / EMAIL / PATH); false after reporting. */
bool ng_config_parse_string(ng_config_ctx *c, const ng_config_key *k, const char *value,
                            char **dst);

/* Sets every module's options to their defaults (an empty config). */
void ng_config_init(ng_config *cfg);
/* Frees everything cfg owns and leaves it as after ng_config_init. */
void ng_config_free(ng_config *cfg);

/* Reads and validates path into cfg (initialised here; call ng_config_free
 * afterwards, also on failure). Every problem of the file is added to diags
 * (file as given, line, key; a "mente du ...?" note follows a misspelt key
 * or section); returns NG_ERR_CONFIG when there was any, NG_ERR_IO when the
 * file cannot be opened or read. */
ng_status ng_config_load(const char *path, ng_config *cfg, ng_diags *diags);

struct ng_module;
/* The same for a command that runs only some of the modules (`notatgen
 * samlet`): a required key is required only of the modules for which
 * required_of is true (NULL: every module, as ng_config_load). */
ng_status ng_config_load_for(const char *path, ng_config *cfg, ng_diags *diags,
                             bool (*required_of)(const struct ng_module *m));

/* Every key of every module, for the test that each is read (see
 * tests/config_keys.py): calls fn for each. */
void ng_config_each_key(void (*fn)(void *ctx, const char *module, const ng_config_key *k),
                        void *ctx);

#endif
