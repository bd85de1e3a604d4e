/*
 * forecast.h -- the development of the particularly expensive cases (SDE)
 * year by year, forecasts of cases and spend, and forecasts set against what
 * actually happened (seeds 000 and 001).
 *
 *   history file (sde_bands_2017_2023.csv layout)
 *     --ng_sde_history_read--> ng_sde_history --publish--> sde_udvikling, sde_aar
 *     --ng_sde_history_series--> ng_series
 *   ng_series --ng_forecast_growth / ng_forecast_trend--> ng_forecast
 *     --ng_forecast_publish--> prognose_grundlag, prognose
 *     (after publishing, the module records them in the history store)
 *   a stored or an earlier forecast (ng_stored_forecast) + ng_series
 *     --ng_forecast_vs_actual--> prognose_mod_faktisk, prognose_figur (cases),
 *        prognose_udgift_figur (spend)
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
 * The history store (history.h) keeps every forecast a run published, and
 * an earlier forecast read from a file (method "importeret"), recorded
 * after the outputs are published.
 *
 * Published names: docs/datasaet.md, module prognose.
 */
#ifndef NOTATGEN_FORECAST_H
#define NOTATGEN_FORECAST_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/history.h"
#include "notatgen/table.h"

/* The forecast module's options: [prognose]. */
typedef struct {
    int aar;          /* years ahead, default 5 */
    int vindue;       /* growth-rate window in years, default 3 */
    int prisaar;      /* fixed-price year; 0 = the last history year */
    char *prisindeks; /* price index file (aar;indeks), or NULL */
    char *historik;   /* yearly SDE cases per band and spend; the module runs only with it */
    char *tidligere;  /* an earlier forecast (aar;prognose_antal;...;prognose_udgift) */
} ng_prognose_options;

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

/* Publishes `sde_aar` alone from a series (the table the forecast's basis
 * refers to; ng_sde_history_publish does it from the history file). */
ng_status ng_sde_series_publish(const ng_series *s, ng_dataset *ds);

/* A price index: aar;indeks. */
typedef struct {
    int aar[NG_FC_MAX_YEARS];
    double indeks[NG_FC_MAX_YEARS];
    size_t n;
} ng_price_index;

ng_status ng_price_index_read(const char *path, ng_price_index *idx, ng_diags *diags);

typedef struct {
    char method[16];                     /* "vaekst", "trend" or "importeret" */
    int first_year, last_year;           /* the years the method used */
    double growth;                       /* vaekst: yearly growth rate (0.098) */
    double antal_first, antal_last;      /* vaekst: the window's first and last counts */
    double price_factor;                 /* vaekst: last year's prices to price_year's */
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

/* Publishes `prognose_grundlag` (the growth method's basis as cells: the
 * window, the counts, the rate as a rule, the growth factor, the spend per
 * case) and `prognose` (rows per forecast year: aar, antal_vaekst = the
 * year before's x the factor, udgift_vaekst = antal x spend per case, both
 * live rules over the basis; antal_trend, udgift_trend; the assumptions as
 * the source line; trend may be NULL) and the prognose_* values. ds must
 * hold sde_aar (ng_sde_history_publish). */
ng_status ng_forecast_publish(const ng_forecast *growth, const ng_forecast *trend, ng_dataset *ds);

/* Reads an earlier forecast in the prognose_vs_faktisk.csv layout
 * (aar;prognose_antal;faktisk_antal;prognose_udgift;faktisk_udgift, spend in
 * mio. kr.) as method "importeret" made on made_on. */
ng_status ng_forecast_read_csv(const char *path, const char *made_on, ng_stored_forecast *out,
                               ng_diags *diags);

/* Sets a forecast against the actual series: publishes
 * `prognose_mod_faktisk`, `prognose_figur` (cases) and
 * `prognose_udgift_figur` (spend) and the values prognose_lavet,
 * prognose_metode_lavet (texts) and sammenligning_* (references to the
 * table's last row with actuals). */
ng_status ng_forecast_vs_actual(const ng_stored_forecast *forecast, const ng_series *actual,
                                ng_dataset *ds, ng_diags *diags);

/* A made_on text from a file name: its date (ISO) or its first four-digit
 * year, else "importeret". */
void ng_forecast_made_on_from_path(const char *path, char *buf, size_t size);

#endif
