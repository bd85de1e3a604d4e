/*
 * forecast.h -- the development of the particularly expensive cases (SDE)
 * year by year, forecasts of cases and spend, and forecasts set against what
 * actually happened (seeds 000 and 001).
 *
 *   history file (sde_bands_2017_2023.csv layout)
 *     --ng_sde_history_read--> ng_sde_history --publish--> sde_udvikling, sde_aar
 *     --ng_sde_history_series--> ng_series
 *   ng_series --ng_forecast_growth / ng_forecast_trend--> ng_forecast
 *     --ng_forecast_publish--> prognose
 *     --ng_forecast_store--> SQLite table `forecast`
 *   SQLite `forecast` + ng_series (actuals) --ng_forecast_vs_actual-->
 *     prognose_mod_faktisk, prognose_figur
 *
 * History file: `post;2017;2018;...`; the band rows (any label), a row whose
 * label starts with "I alt" (the count total: checked against the sum of the
 * bands, warning when it disagrees; the published total is a SUM rule) and a
 * row whose label starts with "Udgift" (spend). The spend row's unit is read
 * from its label: "mio. kr." -> mio, "1.000 kr." -> tkr, otherwise kr.
 *
 * Methods:
 *   vaekst  the seed's: the case count's average yearly growth over the last
 *           `vindue` years, g = (N_last / N_first)^(1/years) - 1, times the
 *           average spend per case of the last year (spend / cases) in fixed
 *           prices of the last year, or of `prisaar` through a price index.
 *           A zero first year falls back to the first non-zero year in the
 *           window, else to zero growth; the assumptions say so.
 *   trend   least-squares straight lines over the same window for cases and
 *           for spend (current prices; with an index in `prisaar` prices, or
 *           the last year's).
 * Fewer than two years of history is an error (NG_ERR_INPUT), not a crash.
 *
 * Store: table forecast(made_on TEXT, method TEXT, aar INTEGER, antal REAL,
 * udgift_oere INTEGER, assumptions TEXT, PRIMARY KEY(made_on, method, aar)),
 * created IF NOT EXISTS (the same schema history.c creates). Storing a
 * (made_on, method) again replaces it. An imported old forecast has method
 * "importeret".
 *
 * Published names: DATASET.md "Forecast / initiatives / budget" and the
 * values listed at each function.
 */
#ifndef NOTATGEN_FORECAST_H
#define NOTATGEN_FORECAST_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/table.h"

enum { NG_FC_MAX_YEARS = 64, NG_FC_MAX_BANDS = 8, NG_FC_MAX_AHEAD = 30 };

/* A yearly series of cases and spend (kr.); has_* mark known values. */
typedef struct {
    int aar[NG_FC_MAX_YEARS];
    double antal[NG_FC_MAX_YEARS];
    double udgift_kr[NG_FC_MAX_YEARS];
    bool has_antal[NG_FC_MAX_YEARS];
    bool has_udgift[NG_FC_MAX_YEARS];
    size_t n; /* sorted by aar */
} ng_series;

typedef struct {
    char *path;
    int years[NG_FC_MAX_YEARS];
    int nyears;
    char *band_label[NG_FC_MAX_BANDS];
    double band[NG_FC_MAX_BANDS][NG_FC_MAX_YEARS];
    bool band_has[NG_FC_MAX_BANDS][NG_FC_MAX_YEARS];
    size_t nbands;
    char *total_label; /* the file's "I alt (antal)" label, or NULL */
    double total_given[NG_FC_MAX_YEARS];
    bool total_has[NG_FC_MAX_YEARS];
    char *udgift_label; /* NULL when the file has no spend row */
    double udgift_kr[NG_FC_MAX_YEARS];
    bool udgift_has[NG_FC_MAX_YEARS];
} ng_sde_history;

ng_status ng_sde_history_read(const char *path, ng_sde_history *h, ng_diags *diags);
void ng_sde_history_free(ng_sde_history *h);
/* Cases per year = the sum of the bands (or the file's total without bands);
 * spend from the spend row. */
void ng_sde_history_series(const ng_sde_history *h, ng_series *out);
/* Publishes `sde_udvikling` (the file's layout: band rows, the total row
 * `i_alt` "I alt (antal)" as a SUM rule, and the spend row `udgift`) and
 * `sde_aar` (one row per year: aar, antal, udgift (mio), udgift_pr_sag as a
 * RATIO rule), values sde_foerste_aar, sde_sidste_aar, sde_antal_foerste,
 * sde_antal_sidste, sde_udgift_foerste, sde_udgift_sidste,
 * sde_stigning_antal_pct, sde_udgift_pr_sag_sidste.
 *
 * The table model has one unit per column, so the spend row of
 * `sde_udvikling` (mio. kr. among counts) holds text cells formatted in
 * Danish ("278,6"); the numbers are in `sde_aar`. */
ng_status ng_sde_history_publish(const ng_sde_history *h, ng_dataset *ds, ng_diags *diags);

/* A price index: aar;indeks. */
typedef struct {
    int aar[NG_FC_MAX_YEARS];
    double indeks[NG_FC_MAX_YEARS];
    size_t n;
} ng_price_index;

ng_status ng_price_index_read(const char *path, ng_price_index *idx, ng_diags *diags);

typedef struct {
    int aar;
    double antal;
    double udgift_kr;
} ng_forecast_point;

typedef struct {
    char method[16];                     /* "vaekst", "trend" or "importeret" */
    int first_year, last_year;           /* the years the method used */
    double growth;                       /* vaekst: yearly growth rate (0.098) */
    double per_case_kr;                  /* vaekst: spend per case in price_year prices */
    double slope_antal, slope_udgift_kr; /* trend: per year */
    int price_year;                      /* 0 = current prices */
    ng_forecast_point points[NG_FC_MAX_AHEAD];
    int npoints;
    char assumptions[512]; /* Danish, for the table's source line */
} ng_forecast;

/* idx may be NULL; prisaar 0 = the last history year. */
ng_status ng_forecast_growth(const ng_series *s, int window, int ahead, const ng_price_index *idx,
                             int prisaar, ng_forecast *out, ng_diags *diags);
ng_status ng_forecast_trend(const ng_series *s, int window, int ahead, const ng_price_index *idx,
                            int prisaar, ng_forecast *out, ng_diags *diags);

/* Publishes `prognose` (rows per forecast year: aar, antal_vaekst,
 * udgift_vaekst = antal_vaekst x spend per case as a live rule, antal_trend,
 * udgift_trend; the assumptions as the source line; trend may be NULL) and
 * values prognose_vaekst_pct, prognose_udgift_pr_sag, prognose_basisaar,
 * prognose_slutaar, prognose_antal_slut, prognose_udgift_slut,
 * prognose_prisaar, prognose_metode (text). */
ng_status ng_forecast_publish(const ng_forecast *growth, const ng_forecast *trend, ng_dataset *ds);

/* Creates the forecast table if missing. */
ng_status ng_forecast_schema(sqlite3 *db, ng_diags *diags);
/* Stores f under made_on (text, e.g. "2023-08-22"), replacing an earlier one
 * of the same made_on and method. One transaction. */
ng_status ng_forecast_store(sqlite3 *db, const char *made_on, const ng_forecast *f,
                            ng_diags *diags);
/* Imports an old forecast in the prognose_vs_faktisk.csv layout
 * (aar;prognose_antal;faktisk_antal;prognose_udgift;faktisk_udgift, spend in
 * mio. kr.) as method "importeret" made on made_on. */
ng_status ng_forecast_import_csv(sqlite3 *db, const char *path, const char *made_on,
                                 ng_diags *diags);

/* Sets a stored forecast against the actual series: made_on/method NULL
 * picks the most recent forecast with a year the actuals cover ("vaekst"
 * before "importeret" before others). Publishes `prognose_mod_faktisk` and
 * `prognose_figur` and values prognose_lavet (text), prognose_metode_lavet,
 * sammenligning_aar, sammenligning_prognose_antal, sammenligning_faktisk_antal,
 * sammenligning_prognose_udgift, sammenligning_faktisk_udgift,
 * sammenligning_afvigelse_antal, sammenligning_afvigelse_udgift.
 * NG_OK without output (and a note) when the store holds no such forecast. */
ng_status ng_forecast_vs_actual(sqlite3 *db, const char *made_on, const char *method,
                                const ng_series *actual, ng_dataset *ds, ng_diags *diags);

/* A made_on text from a file name: its date (ISO) or its first four-digit
 * year, else "importeret". */
void ng_forecast_made_on_from_path(const char *path, char *buf, size_t size);

/* The whole forecast stage of a run from the configuration: reads
 * cfg->prognose_historik (nothing to do without it), publishes the history
 * and forecast tables; with db, imports cfg->prognose_tidligere, stores the
 * new forecasts under made_on and publishes prognose_mod_faktisk. */
ng_status ng_forecast_from_config(const ng_config *cfg, sqlite3 *db, const char *made_on,
                                  ng_dataset *ds, ng_diags *diags);

/* Computes the configured forecasts again and stores them under made_on (a
 * run calls this after its outputs are published, as the history store). */
ng_status ng_forecast_store_from_config(const ng_config *cfg, sqlite3 *db, const char *made_on,
                                        ng_diags *diags);

#endif
