/*
 * config.h -- one INI file per run (inih).
 *
 * Sections and keys are listed in docs/konfiguration.md; the table of
 * known keys lives in config.c, so an unknown key, a missing required key or
 * a bad value is an error naming file, line and key (exit 2). Relative paths
 * are resolved against the directory of the configuration file. Delimiters
 * are words (semikolon, komma, tab) because inih treats ';' as a comment.
 *
 * Ownership: ng_config owns all its strings; ng_config_free releases them.
 */
#ifndef NOTATGEN_CONFIG_H
#define NOTATGEN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/diag.h"
#include "notatgen/dk.h"
#include "notatgen/status.h"

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

/* Logical fields of the cost extract (SPEC §2). */
typedef enum {
    NG_F_SAG_ID,
    NG_F_AAR,
    NG_F_MAANED,
    NG_F_DATO,
    NG_F_BELOEB,
    NG_F_OMRAADE,
    NG_F_FOEDSELSAAR,
    NG_F_FOEDSELSDATO, /* optional: birth month for the 67+ rule */
    NG_F_FOER67,
    NG_F_HUSSTAND,
    NG_F_ENGANGSUDGIFT,
    NG_F_MAALGRUPPE,
    NG_F_LEVERANDOERTYPE,
    NG_F_TILBUD,
    NG_F_PARAGRAF,
    NG_F_KOMMUNE,
    NG_F_COUNT
} ng_field;

/* The logical name of a field ("sag_id", ...), its default column header. */
const char *ng_field_name(ng_field f);
bool ng_field_required(ng_field f);

/* One year of refusion thresholds, in kr. */
typedef struct {
    int aar;
    int64_t t1, t2, t3; /* kr. per year */
    char *kilde;        /* source text, may be NULL */
} ng_threshold_year;

/* Memo header fields (SPEC §4), defaults for every template. */
typedef struct {
    char *sagsnavn, *sagsnummer, *skrevet_af, *email, *forvaltning, *sendes_til;
} ng_memo_meta;

typedef struct {
    char *host;    /* smtp server */
    int port;      /* default 587 with starttls, else 25 */
    bool starttls; /* default true */
    char *user;
    char *password_file; /* the password is read from this file ... */
    char *password_env;  /* ... or from this environment variable */
    char *from;
    char **to;
    size_t nto;
    char *subject;             /* NULL = the mail module's default */
    char *body_template;       /* path of a small Markdown/text template */
    bool attach_pdf;           /* default false */
    long max_attachment_bytes; /* above: send the path instead; default 10 MiB */
    int retries;               /* attempts, default 3 */
} ng_mail_config;

typedef struct {
    char *config_path; /* as given */
    char *config_dir;  /* directory the relative paths are resolved against */

    /* [kommune] */
    char *kommune_navn;
    char *kommune_kode;

    /* [udtraek]: the cost extract */
    ng_input_file udtraek;
    bool has_udtraek_dato;
    ng_date udtraek_dato; /* from the config, else CLI, else the file name */
    ng_reject_policy afvis;
    char *kolonner[NG_F_COUNT]; /* [kolonner]: header name per logical field */
    /* [omraader] voksen = "Voksen, VOK": per område (0 voksen, 1 boern, 2 aeldre)
     * up to 8 values, case-folded with ng_fold_case; unused entries NULL. */
    char *omraade_map[3][8];
    int refusion_aar; /* year the memo is about; 0 = the extract date's year */

    /* other inputs */
    ng_input_file budget;
    ng_input_file initiativer;
    ng_input_file befolkning;
    ng_input_file historik_import; /* aggregates before the tool (reference CSV layout) */
    char *historik_db;             /* SQLite file; default historik.sqlite in output_dir */

    /* [taerskler]: extra or overriding years "2026 = 960000 1880000 2380000" */
    ng_threshold_year *taerskler;
    size_t ntaerskler;

    /* [intervaller]: cost bands in kr. (lower bounds), default 1,0 / 1,5 / 2,0 mio. */
    int64_t baand[8];
    size_t nbaand;

    /* [output] */
    char *output_dir;
    char *bilag_navn; /* default "bilag.xlsx" */
    char **notater;   /* template names to render ("sde_status", ...) */
    size_t nnotater;
    char *template_dir; /* default: NG_DATA_DIR/templates if it exists, else the source tree's */
    char *font_dir;     /* NULL = find the fonts through fontconfig */
    bool case_list;     /* write the internal case list sheet */

    /* [notat] */
    ng_memo_meta memo;

    /* [privatliv] */
    int mindste_celle; /* default 3 */

    /* [prognose] */
    int prognose_aar;    /* how many years ahead, default 5 */
    int prognose_vindue; /* growth-rate window in years, default 3 */
    int prisaar;         /* fixed-price year; 0 = not set */
    char *prisindeks;    /* path of the price index file (aar;indeks); NULL = none */

    /* [budget] */
    double gaeld_primo; /* debt carried from the year before the outlook, kr. */
    char *budget_model; /* model file; default budgetmodel.ini in template_dir */
    bool merindtaegt_fra_refusion;
    bool effekt_fra_initiativer;

    /* [refusionsbudget]: the year's budgeted refusion income and its split
     * over the fagområder (seed 004); refusionsbudget == 0 when absent.
     * Index 0 voksen (socialområdet), 1 boern (familieområdet), 2 aeldre
     * (omsorgsområdet) as ng_omraade. */
    double refusionsbudget;          /* kr. */
    double refusionsbudget_andel[3]; /* fractions of the budget, summing to 1 */
    int refusionsbudget_model[3];    /* 1: the difference goes to the kasse; 2 (default): the area
                                        keeps it */

    /* [mail] */
    bool has_mail;
    ng_mail_config mail;

    /* [log] */
    bool syslog;
} ng_config;

/* Sets every default that needs no allocation (empty config). */
void ng_config_init(ng_config *cfg);
/* Frees everything cfg owns and leaves it as after ng_config_init. */
void ng_config_free(ng_config *cfg);

/* Reads and validates path into cfg. cfg need not be initialised (load
 * initialises it; free a previously loaded config first); call
 * ng_config_free afterwards, also on failure. Every problem of the file is
 * added to diags (file as given, line, key; a "mente du ...?" note follows a
 * misspelt key or section); returns NG_ERR_CONFIG when there was any,
 * NG_ERR_IO when the file cannot be opened or read. After a successful load
 * every default of CONFIG-KEYS.md is filled in: kolonner[] and
 * omraade_map[] hold the defaults, notater at least "sde_status", baand the
 * default bands, paths are absolute when config_dir could be resolved. */
ng_status ng_config_load(const char *path, ng_config *cfg, ng_diags *diags);

#endif
