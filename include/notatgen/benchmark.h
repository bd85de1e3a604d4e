/*
 * benchmark.h -- the benchmark across municipalities: where a municipality
 * stands among others in particularly expensive cases per 1.000
 * 18-66-year-olds. The rules are in docs/regler.md ("Sammenligning på
 * tværs af kommuner"), the population file's layouts in docs/konfiguration.md
 * ([befolkning]), the national run (map and reduce) in docs/nationalt.md.
 *
 *   [befolkning] fil: Danmarks Statistik's FOLK1A export --ng_befolkning_read-->
 *       the 18-66-year-olds per municipality in one quarter
 *   refusion units (refusion.h), grouped by the cases' kommune
 *       --ng_bench_add_units--> one ng_bench_kommune per municipality
 *   or the data.json of many municipalities' own runs --ng_bench_read_json-->
 *       the same records (`notatgen samlet`, the reduce step)
 *   records --ng_bench_publish--> the tables benchmark, benchmark_maalgrupper,
 *       benchmark_leverandoertyper, benchmark_aldersgrupper, their figures and
 *       values (docs/datasaet.md, module benchmark)
 *
 * A run and a reduce build the tables from the same records with the same
 * function, so one run over three municipalities and three runs reduced give
 * the same tables.
 *
 * Ownership: every struct here owns its strings and arrays; the _free
 * functions release them (also after a failed call).
 */
#ifndef NOTATGEN_BENCHMARK_H
#define NOTATGEN_BENCHMARK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/config.h"
#include "notatgen/csvdoc.h"
#include "notatgen/diag.h"
#include "notatgen/refusion.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* The benchmark module's options: [befolkning]. */
typedef struct {
    ng_input_file fil; /* fil, skilletegn, tegnsaet */
    char *kvartal;     /* "2022K4"; NULL = the latest quarter in the file */
} ng_benchmark_options;

/* ---- the municipalities (data/kommuner.csv) ------------------------------ */

typedef struct {
    char kode[4]; /* "730" */
    char *navn;   /* "Randers", as Danmarks Statistik writes it */
    char **navne; /* the name and its other spellings, folded (ng_fold_case) */
    size_t nnavne;
} ng_kommune_def;

typedef struct {
    ng_kommune_def *items; /* in the file's order */
    size_t n;
} ng_kommuneliste;

/* The shipped list (installed or in the source tree). */
const char *ng_kommuneliste_default_path(void);
/* Reads the list (kode;navn;andre_navne, '#' comments); every bad row is an
 * error at its line and field. */
ng_status ng_kommuneliste_load(const char *path, ng_kommuneliste *l, ng_diags *diags);
void ng_kommuneliste_free(ng_kommuneliste *l);

typedef enum {
    NG_AREA_KOMMUNE, /* a municipality */
    NG_AREA_ANDET,   /* an area of FOLK1A that is not one: Hele landet, a region,
                      * a landsdel, Christiansø */
    NG_AREA_UKENDT   /* neither */
} ng_area_kind;

/* What an area written as a code ("730", "0730"), a code and a name ("730
 * Randers", the StatBank's "kode og tekst"), or a name ("Randers", "Randers
 * Kommune", "Københavns Kommune", case-insensitive) names. *out is the
 * municipality for NG_AREA_KOMMUNE, else NULL. */
ng_area_kind ng_kommune_lookup(const ng_kommuneliste *l, const char *text,
                               const ng_kommune_def **out);

/* ---- the population: FOLK1A ----------------------------------------------- */

/* Ages counted (inclusive). */
enum { NG_BEFOLKNING_FRA = 18, NG_BEFOLKNING_TIL = 66 };

typedef struct {
    char kode[4];
    long antal; /* persons aged 18-66 */
} ng_befolkning_kommune;

typedef struct {
    char kvartal[8];                 /* the quarter counted: "2022K4" */
    ng_befolkning_kommune *kommuner; /* sorted by kode */
    size_t n;
    long rows;      /* data rows read */
    long rows_used; /* rows counted (the quarter, ages 18-66, municipalities) */
} ng_befolkning;

/* Reads a StatBank export of FOLK1A (the layouts in docs/konfiguration.md):
 * a header naming the variables (OMRÅDE, ALDER, TID, INDHOLD; KØN and
 * CIVILSTAND only as "I alt"), or the table layout with one column per
 * quarter ("2022K4") and title lines before it; the area as a name or a
 * code; one row per municipality and age ("18 år" or "18", an age group
 * "18-66") or, without an age column, already summed. Sums the ages 18-66
 * per municipality for `kvartal` (NULL: the latest quarter in the file).
 * Every bad row is an error at FILE:LINE:FIELD with the value; a
 * municipality that lacks an age from 18 to 66, or has one twice, in that
 * quarter is an error too. NG_ERR_INPUT after errors, NG_ERR_IO when the
 * file cannot be read. */
ng_status ng_befolkning_read(const ng_input_file *file, const char *kvartal,
                             const ng_kommuneliste *l, ng_befolkning *out, ng_diags *diags);
/* The same over a document already read (tests, fuzzing); doc->path names
 * it in messages. */
ng_status ng_befolkning_from_doc(const ng_csvdoc *doc, const char *kvartal,
                                 const ng_kommuneliste *l, ng_befolkning *out, ng_diags *diags);
void ng_befolkning_free(ng_befolkning *b);
/* The 18-66-year-olds of municipality kode, -1 when the file has none. */
long ng_befolkning_antal(const ng_befolkning *b, const char *kode);
/* Whether s is a quarter "ÅÅÅÅKn" (n 1-4, ÅÅÅÅ 1900-2199). */
bool ng_kvartal_valid(const char *s);

/* ---- the comparison ------------------------------------------------------- */

/* The three distributions compared. */
enum { NG_BENCH_MAALGRUPPE, NG_BENCH_LEVERANDOERTYPE, NG_BENCH_ALDERSGRUPPE, NG_BENCH_NDIM };

/* One category's count for one municipality; key is the category's column
 * key ("udviklingshaemning": folded, ASCII, '_' between words). */
typedef struct {
    char *key;
    char *label; /* as first seen: "udviklingshæmning" */
    long antal;
} ng_bench_count;

/* One municipality's particularly expensive cases: the persons of område
 * voksen whom the refusion scheme covers with a tier (as refusion_per_trin). */
typedef struct {
    char kode[4];
    char *navn;
    long antal;
    int64_t udgift, refusion; /* øre */
    long indbyggere;          /* 18-66-year-olds; -1 until known */
    ng_bench_count *fordeling[NG_BENCH_NDIM];
    size_t nfordeling[NG_BENCH_NDIM];
    char *kilde; /* the data.json it came from; NULL: this run's extract */
} ng_bench_kommune;

typedef struct {
    ng_bench_kommune *kommuner;
    size_t n, cap;
    char kvartal[8]; /* the population's quarter */
    int aar;         /* the year the cases are of */
    ng_date dato;    /* the latest extract date */
} ng_bench;

void ng_bench_init(ng_bench *b);
void ng_bench_free(ng_bench *b);

/* Counts the units of r into b by municipality: a case's kommune (a code
 * or a name, ng_kommune_lookup), or default_kode when the case has none.
 * Every municipality named must be in l; the extract's path and the case's
 * first line name an unknown one. default_kode (may be NULL) gets a record
 * even without cases. */
ng_status ng_bench_add_units(ng_bench *b, const ng_refusion_result *r, const char *default_kode,
                             const ng_kommuneliste *l, const char *extract_path, ng_diags *diags);
/* Sets every record's 18-66-year-olds from pop; a municipality pop lacks is
 * an error naming pop_path and the quarter. */
ng_status ng_bench_set_population(ng_bench *b, const ng_befolkning *pop, const char *pop_path,
                                  ng_diags *diags);
/* Adds the municipalities of one run's data.json (its tables benchmark and
 * benchmark_*; the layout of json.h): the reduce step. The quarter and the
 * year must be those of the files added before; a municipality already in
 * b, a suppressed or missing cell, or a file that is not such a data.json
 * is an error naming the file (and table, row and column). */
ng_status ng_bench_read_json(ng_bench *b, const char *path, ng_diags *diags);

/* Publishes the tables, figures and values of b into ds (docs/datasaet.md):
 * egen (may be NULL) is the own municipality's code, marked in the tables
 * and named by the values benchmark_egen_*; municipalities with fewer than
 * mindste_celle cases (but some) are listed without their numbers and left
 * out of the ranking, the mean, the median and the totals, so that no
 * published number gives them away. source is every table's source line. */
ng_status ng_bench_publish(const ng_bench *b, const char *egen, int mindste_celle,
                           const char *source, ng_dataset *ds);

struct ng_pipeline;

/* The reduce step (`notatgen samlet`): the records of every data.json in
 * paths (n of them) into p's dataset: the benchmark's tables, figures and
 * values, with p->kommune's municipality ([kommune] kode, else its name) as
 * the own one, and the facts kommune, aar and udtraek_dato (the latest
 * extract date of the files, or p->cli_dato). Adds the files it reads to
 * p->inputs. Every file is read (and its problems reported) before it fails. */
ng_status ng_bench_reduce(struct ng_pipeline *p, char *const *paths, size_t n);

#endif
