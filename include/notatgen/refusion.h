/*
 * refusion.h -- the central refusion scheme for particularly expensive cases
 * (serviceloven § 176, barnets lov § 198; BEK nr. 1485 af 6/12/2023 §§ 3, 5, 6)
 * and the SDE tables built on it.
 *
 * Per person and month: the month's net spend n against 1/12 of the year's
 * thresholds, 25 % of the part between t1 and t2, 50 % between t2 and t3,
 * 75 % above t3; the year's refusion is the sum over the months, rounded to
 * the øre once. Months are held as 12 x the month's spend (ingest.h), so
 * the comparison with the yearly thresholds is exact in integers.
 *
 *   cases (ingest) --ng_refusion_compute--> ng_refusion_result (units)
 *   units --ng_sde_tables--> dataset tables (docs/datasaet.md)
 */
#ifndef NOTATGEN_REFUSION_H
#define NOTATGEN_REFUSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/diag.h"
#include "notatgen/ingest.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* One year of refusion thresholds, in kr. */
typedef struct {
    int aar;
    int64_t t1, t2, t3; /* kr. per year */
    char *kilde;        /* source text, may be NULL */
    long line;          /* the line in the configuration ([taerskler]); 0 otherwise */
} ng_threshold_year;

/* The refusion module's options. */
typedef struct {
    ng_threshold_year *taerskler; /* [taerskler] 2026 = t1 t2 t3: extra or overriding years */
    size_t ntaerskler;
    int64_t baand[8]; /* [intervaller] graenser: the cost bands' lower bounds, kr. */
    size_t nbaand;    /* default 1,0 / 1,5 / 2,0 mio. kr. */
    bool sagsliste;   /* [output] sagsliste: the internal case list in the bilag */
} ng_refusion_options;

/* The thresholds of every known year: the shipped data file
 * (data/refusion_thresholds.csv) overridden/extended by the config. */
typedef struct {
    ng_threshold_year *years; /* sorted by aar, owned */
    size_t n;
} ng_thresholds;

/* Loads the data file (aar;t1;t2;t3;kilde, '#' comments) and applies the
 * config's [taerskler] (opt may be NULL: none). */
ng_status ng_thresholds_load(const char *data_file, const ng_refusion_options *opt,
                             ng_thresholds *out, ng_diags *diags);
void ng_thresholds_free(ng_thresholds *t);
/* NULL when the year is unknown. */
const ng_threshold_year *ng_thresholds_for(const ng_thresholds *t, int aar);
/* NG_OK, or NG_ERR_THRESHOLDS with a message naming the year and showing the
 * config lines that would add it. */
ng_status ng_thresholds_require(const ng_thresholds *t, int aar, ng_diags *diags);
/* Path of the shipped thresholds file (installed or in the source tree). */
const char *ng_thresholds_default_path(void);

/* Tier of a yearly spend: the highest threshold it exceeds: 0, 25, 50, 75. */
int ng_refusion_trin(int64_t yearly_oere, const ng_threshold_year *thr);
/* Refusion in øre of a year given as m12 (12 x each month's spend, øre). */
int64_t ng_refusion_year(const int64_t m12[12], const ng_threshold_year *thr);
/* Refusion in øre of a yearly amount spread evenly over the 12 months. */
int64_t ng_refusion_yearly_amount(int64_t yearly_oere, const ng_threshold_year *thr);

/* One refusion unit: a person, or the children of one household summed. A
 * person's unit points at its case's key and months (no copy); a
 * household's key and summed months are one allocation owned by the result
 * (ng_refusion_result_free). */
typedef struct {
    char *key;         /* sag_id, or "husstand:<key>" for a household */
    const ng_sag *sag; /* the (first) case, for attributes; borrowed */
    int64_t udgift;    /* yearly net spend, øre */
    int64_t refusion;  /* øre (0 when not covered) */
    ng_omraade omraade;
    int32_t nsager;   /* cases summed into this unit (1 for a person) */
    int16_t alder;    /* age in the year (aar - foedselsaar) */
    int16_t trin;     /* 0, 25, 50, 75 */
    bool covered;     /* the scheme covers it in at least one month (67+ rule) */
    bool undecided67; /* 67+ and coverage cannot be decided: not covered, reported */
} ng_refusion_unit;

typedef struct {
    int aar;
    ng_refusion_unit *units; /* sorted by key, owned */
    size_t n;
    long undecided67;
} ng_refusion_result;

/* A unit's 12 months of r's year (12 x each month's spend, øre): its case's
 * year, or a household's own sums (not kept in the unit: 8 bytes less a
 * unit, 6,7 MB on a 10^7-row extract). */
const int64_t *ng_refusion_unit_m12(const ng_refusion_result *r, const ng_refusion_unit *u);

/* Computes every unit of year aar. Undecidable 67+ cases are warnings in
 * diags (without any CPR-like value). */
ng_status ng_refusion_compute(const ng_cases *cases, const ng_threshold_year *thr, int aar,
                              ng_refusion_result *out, ng_diags *diags);
void ng_refusion_result_free(ng_refusion_result *r);

/* Publishes the SDE tables and values (docs/datasaet.md, module refusion)
 * into ds: taerskler, refusion_per_trin, andel_50_75, udgiftsintervaller
 * (opt's bands; every case of cases by its own yearly spend in r->aar, a
 * household's children each on their own), omraader, aldersgrupper, maalgrupper, leverandoertyper,
 * uafklarede_67, and with opt->sagsliste the internal case list; the
 * values are references into these tables. The source lines name
 * ds->udtraek_dato. */
ng_status ng_sde_tables(const ng_refusion_result *r, const ng_cases *cases,
                        const ng_threshold_year *thr, const ng_refusion_options *opt,
                        ng_dataset *ds, ng_diags *diags);

#endif
