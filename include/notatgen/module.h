/*
 * module.h -- what a module of notatgen is: the one place where a
 * computation declares everything the core needs to know about it.
 *
 * A module (ng_module) declares
 *   - its configuration: the sections and keys it reads (ng_config_key,
 *     parsed by config.c into the module's own options struct, which only
 *     the module and its header know);
 *   - the input files it reads (inputs: they go into the manifest);
 *   - its check (what `notatgen check` runs);
 *   - what it computes and publishes into the dataset: tables with their
 *     columns, units, sheet names and descriptions, values with their unit
 *     and description, figures (ng_decl). The registry that templates are
 *     checked against, `notatgen templates`, templates/README.md and
 *     docs/datasaet.md are derived from these declarations;
 *   - what it renders into the staging directory, records in the history
 *     store (its part of the run's entry, committed after publishing), and
 *     delivers after recording.
 *
 * One list of modules (modules.c, ng_modules()) drives run, check, the
 * manifest and the registry: the core (pipeline.c) only iterates it, as
 * SQLite iterates its table of virtual-table modules. Adding a computation
 * is one module file and header, and one line in that list.
 *
 * Modules talk to each other only through the pipeline (ng_pipeline): the
 * facts decided once (extract date, year, municipality), the dataset, and
 * a few shared products of the early modules (cases, refusion units,
 * thresholds, the history store).
 */
#ifndef NOTATGEN_MODULE_H
#define NOTATGEN_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/dk.h"
#include "notatgen/history.h"
#include "notatgen/ingest.h"
#include "notatgen/refusion.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* ---- declarations of what a module publishes -------------------------------- */

typedef enum { NG_DECL_VALUE, NG_DECL_TABLE, NG_DECL_FIGURE } ng_decl_kind;

/* Column flags. */
enum {
    NG_COL_HIDDEN = 1u << 0, /* a key column: in data.json and the bilag, not in the PDF */
    NG_COL_PERSONS = 1u << 1 /* the column counts persons (small-cell suppression) */
};

/* A declared column. key may be a pattern (`*` any characters, `#` a
 * digit: `####` for year columns); a table built from its declaration
 * (ng_decl_table_new) gets the columns before the first pattern. */
typedef struct {
    const char *key; /* NULL ends a column list */
    const char *label;
    ng_unit unit;
    int decimals; /* -1: the unit's default */
    unsigned flags;
} ng_decl_column;

typedef struct {
    ng_decl_kind kind;
    const char *name; /* may be a pattern: `initiativ_#_navn` */
    ng_unit unit;     /* values */
    const char *description;
    const ng_decl_column *cols; /* tables; NULL when not fixed */
    const char *sheet;          /* tables: the bilag's sheet name (Excel: 31 characters) */
    const char *table;          /* figures: the table drawn */
    bool fact; /* values: a fact of the run (no rule: municipality, dates, years, config) */
} ng_decl;

#define NG_COLS(...) ((const ng_decl_column[]){__VA_ARGS__, {NULL, NULL, NG_UNIT_TEXT, 0, 0}})
#define NG_DECL_VALUE_(name, unit, description)                                                    \
    {                                                                                              \
        NG_DECL_VALUE, name, unit, description, NULL, NULL, NULL, false                            \
    }
#define NG_DECL_FACT_(name, unit, description)                                                     \
    {                                                                                              \
        NG_DECL_VALUE, name, unit, description, NULL, NULL, NULL, true                             \
    }
#define NG_DECL_TABLE_(name, sheet, description, cols)                                             \
    {                                                                                              \
        NG_DECL_TABLE, name, NG_UNIT_TEXT, description, cols, sheet, NULL, false                   \
    }
#define NG_DECL_FIGURE_(name, table, description)                                                  \
    {                                                                                              \
        NG_DECL_FIGURE, name, NG_UNIT_TEXT, description, NULL, NULL, table, false                  \
    }

/* A table named `name` with the declared columns before the first pattern
 * column (labels, units, decimals, flags from the declaration); title may
 * be NULL. The declaration is looked up in the registry (every module's).
 * NULL on out of memory or when name is not a declared table. */
ng_table *ng_decl_table_new(const char *name, const char *title);
/* Adds the declared column `key` (an exact key of the table's declaration)
 * to t; returns its index, -1 (and t's status set) when not declared. */
int ng_decl_add_column(ng_table *t, const char *key);

/* ---- the pipeline: what a run hands its modules ----------------------------- */

/* Files a run reads, for the manifest. */
typedef struct {
    char **paths;
    size_t n, cap;
    bool nomem;
} ng_input_list;

/* Adds path (copied) unless already there; NULL is ignored. */
void ng_input_list_add(ng_input_list *l, const char *path);
void ng_input_list_free(ng_input_list *l);

typedef struct ng_pipeline {
    /* The whole configuration, for the core (pipeline.c) only: it hands each
     * module its own options; a module never reads another's. */
    const struct ng_config *core_config;
    const char *config_path; /* for messages and the manifest */
    ng_diags *diags;

    /* the command line */
    bool check_only;              /* `notatgen check`: everything but publishing */
    const char *extract_override; /* --udtraek */
    bool has_cli_dato;
    ng_date cli_dato; /* --dato */
    bool cli_godkend; /* --godkend: the officer lets an implausible night through */

    /* decided once, before computing (the modules' prepare step) */
    bool has_dato;
    ng_date dato;             /* the extract date the run is about */
    int aar;                  /* the year the memos are about */
    const char *kommune;      /* [kommune] navn (borrowed from the config) */
    const char *kommunekode;  /* may be NULL */
    const char *output_dir;   /* [output] mappe */
    const char *template_dir; /* [output] skabeloner: the memos' and the budget model's */
    bool syslog;              /* [log] syslog */
    int mindste_celle;        /* [privatliv] mindste_celle: counts of fewer persons are
                               * suppressed (the privacy module's prepare) */

    const char *extract_path;   /* the extract read: --udtraek or [udtraek] fil */
    const char *beloeb_kolonne; /* the extract's amount column, for messages */

    /* shared products of the early modules */
    ng_cases *cases; /* NULL under check_only */
    ng_reconciliation rec;
    bool has_rec;
    ng_thresholds thresholds;
    const ng_threshold_year *thr; /* of aar */
    ng_refusion_result refusion;
    ng_history *history; /* the open history store (history module) */

    ng_dataset ds;
    ng_input_list inputs;

    /* rendering */
    const char *stage_dir; /* where outputs are written, NULL until then */
    const char *final_dir; /* where they will be published */
    const char **written;  /* names of the files written, for the log line */
    size_t nwritten, capwritten;
    bool has_epoch; /* SOURCE_DATE_EPOCH (ng_pipeline_source_date_epoch) */
    long long epoch;
    bool dry_run;
    char saet[65]; /* the set's identity (manifest.h), once the outputs are written */

    /* recording: each module's record step adds to the entry, which is
     * written into the staging folder and committed after publishing */
    struct ng_history_entry *entry;

    /* for the log line (borrowed from a module's state) */
    const char *mail_note;     /* what was delivered */
    const char *godkendt_note; /* what an officer let through (plausibility) */

    void *state[32];          /* a module's own products between its steps, by module index */
    struct ng_timing *timing; /* each module's step timed (timing.h) when not NULL */
} ng_pipeline;

/* Records a file the run wrote into the staging directory (name copied). */
void ng_pipeline_wrote(ng_pipeline *p, const char *name);

/* ---- the module ------------------------------------------------------------- */

typedef struct ng_module ng_module;

struct ng_module {
    const char *name;    /* "refusion" */
    const char *summary; /* one Danish line for docs/datasaet.md */

    /* configuration (config.h) */
    const ng_config_key *keys;
    size_t nkeys;
    size_t options_size;
    void (*options_init)(void *opt);
    /* After the whole file: defaults, cross-key checks (errors through ctx). */
    void (*options_finish)(void *opt, ng_config_ctx *ctx);
    void (*options_free)(void *opt);
    /* A section whose keys the module parses itself ([taerskler]). */
    const char *free_section;
    void (*free_key)(void *opt, const char *key, const char *value, ng_config_ctx *ctx);
    /* Dotted sections [NAME.X] of one of the module's sections, keyed like it. */
    const char *subsection;
    void (*subsection_key)(void *opt, const char *sub, const ng_config_key *key, const char *value,
                           ng_config_ctx *ctx);

    /* the run; each step may be NULL */
    bool (*configured)(const void *opt); /* NULL: always; else only when true */
    void (*inputs)(const void *opt, const ng_pipeline *p, ng_input_list *out);
    ng_status (*prepare)(const void *opt, ng_pipeline *p);
    ng_status (*compute)(const void *opt, ng_pipeline *p);
    ng_status (*check)(const void *opt, ng_pipeline *p); /* NULL: none */
    ng_status (*guard)(const void *opt, ng_pipeline *p); /* after every compute */
    ng_status (*render)(const void *opt, ng_pipeline *p);
    /* Adds what the module records to p->entry (history.h); the core
     * writes it into the staging folder and commits it after publishing. */
    ng_status (*record)(const void *opt, ng_pipeline *p);
    ng_status (*deliver)(const void *opt, ng_pipeline *p);
    void (*release)(ng_pipeline *p, void *state);

    /* what it publishes */
    const ng_decl *publishes;
    size_t npublishes;
};

/* The list of modules in pipeline order (modules.c). */
const ng_module *const *ng_modules(size_t *count);

/* The options of module m in cfg (NULL when m is not in the list). */
const void *ng_module_options(const struct ng_config *cfg, const ng_module *m);
/* The index of m in the list (its state slot), -1 when absent. */
int ng_module_index(const ng_module *m);

#endif
