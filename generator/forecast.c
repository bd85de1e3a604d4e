/* forecast.c -- SDE history, forecasts, and forecasts against actuals (see forecast.h). */
#include "notatgen/forecast.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notatgen/csvdoc.h"
#include "notatgen/module.h"
#include "notatgen/modules.h"
#include "notatgen/publish.h"

/* ---- small helpers ------------------------------------------------------ */

static bool starts_with_ci(const char *s, const char *prefix)
{
    return !strncasecmp(s, prefix, strlen(prefix));
}

/* The unit of the spend row from its label ("Udgifter mio. kr. (...)"). */
static ng_scale scale_from_label(const char *label)
{
    if (strstr(label, "mio"))
        return NG_SCALE_MIO;
    if (strstr(label, "1.000 kr") || strstr(label, "t. kr") || strstr(label, "tkr"))
        return NG_SCALE_TKR;
    return NG_SCALE_KR;
}

static const char *en_dash = "\xE2\x80\x93";

/* ---- the history file --------------------------------------------------- */

void ng_sde_history_free(ng_sde_history *h)
{
    for (size_t b = 0; b < h->nbands; b++)
        free(h->band_label[b]);
    free(h->total_label);
    free(h->udgift_label);
    free(h->path);
    memset(h, 0, sizeof *h);
}

enum { MAX_COUNT = 1000000 }; /* cases in a year: far above any municipality */

/* Reads one row's year cells; scale NG_SCALE_KR with counts. */
static bool read_cells(const ng_csvdoc *doc, const ng_csvrow *row, const int *year_field,
                       int nyears, bool money, ng_scale scale, double *v, bool *has,
                       ng_diags *diags)
{
    bool ok = true;
    for (int y = 0; y < nyears; y++) {
        int f = year_field[y];
        has[y] = false;
        if (!row->fields[f][0])
            continue;
        if (money) {
            int64_t oere;
            if (!ng_csvdoc_field_amount(doc, row, f, NG_DECIMAL_AUTO, scale, &oere, &has[y], diags))
                ok = false;
            v[y] = (double)oere / 100.0;
        } else {
            long n;
            has[y] = ng_csvdoc_field_count(doc, row, f, MAX_COUNT, &n, diags);
            ok &= has[y];
            v[y] = (double)n;
        }
    }
    return ok;
}

static void check_total(const ng_sde_history *h, const ng_csvdoc *doc, long line,
                        const int *year_field, ng_diags *diags)
{
    for (int y = 0; y < h->nyears; y++) {
        if (!h->total_has[y] || h->nbands == 0)
            continue;
        double sum = 0;
        for (size_t b = 0; b < h->nbands; b++)
            if (h->band_has[b][y])
                sum += h->band[b][y];
        if (sum != h->total_given[y])
            ng_warning(diags, doc->path, line, year_field[y] + 1,
                       "i alt for %d er %.0f, summen af intervallerne er %.0f (summen bruges)",
                       h->years[y], h->total_given[y], sum);
    }
}

/* The header: a label column, then the years in ascending order. */
static bool history_years(const ng_csvdoc *doc, ng_sde_history *h, int *year_field, ng_diags *diags)
{
    const ng_csvrow *header = &doc->rows[0];
    const char *const known[] = {header->fields[0], NULL};
    if (!ng_csvdoc_year_columns(doc, known, h->years, year_field, NG_FC_MAX_YEARS, &h->nyears,
                                diags))
        return false;
    for (int y = 0; y < h->nyears; y++) {
        if (year_field[y] == 0 || (y > 0 && h->years[y] <= h->years[y - 1])) {
            ng_error(diags, doc->path, header->line, year_field[y] + 1,
                     "årene skal stå i stigende orden efter rækkernes navn: '%s'",
                     header->fields[year_field[y]]);
            return false;
        }
    }
    if (h->nyears == 0) {
        ng_error(diags, doc->path, header->line, 0,
                 "historikfilen skal have kolonnerne post;2017;2018;… (ingen årskolonner)");
        return false;
    }
    return true;
}

/* A label row given twice would silently replace the first. */
static bool history_row_once(const ng_csvdoc *doc, const ng_csvrow *row, long *seen,
                             ng_diags *diags)
{
    if (*seen) {
        ng_error(diags, doc->path, row->line, 1, "rækken '%s' står der allerede (linje %ld)",
                 row->fields[0], *seen);
        return false;
    }
    *seen = row->line;
    return true;
}

static bool history_row(const ng_csvdoc *doc, const ng_csvrow *row, const int *year_field,
                        ng_sde_history *h, long *udgift_line, long *total_line, long *band_lines,
                        ng_diags *diags)
{
    const char *label = row->fields[0];
    if (starts_with_ci(label, "udgift")) {
        if (!history_row_once(doc, row, udgift_line, diags))
            return false;
        h->udgift_label = strdup(label);
        return read_cells(doc, row, year_field, h->nyears, true, scale_from_label(label),
                          h->udgift_kr, h->udgift_has, diags);
    }
    if (starts_with_ci(label, "i alt")) {
        if (!history_row_once(doc, row, total_line, diags))
            return false;
        h->total_label = strdup(label);
        return read_cells(doc, row, year_field, h->nyears, false, NG_SCALE_KR, h->total_given,
                          h->total_has, diags);
    }
    for (size_t b = 0; b < h->nbands; b++)
        if (!strcmp(h->band_label[b], label))
            return history_row_once(doc, row, &band_lines[b], diags);
    if (h->nbands == NG_FC_MAX_BANDS) {
        ng_error(diags, doc->path, row->line, 1, "for mange udgiftsintervaller (højst %d)",
                 NG_FC_MAX_BANDS);
        return false;
    }
    if (!label[0]) {
        ng_error(diags, doc->path, row->line, 1, "rækken har intet navn");
        return false;
    }
    size_t b = h->nbands++;
    band_lines[b] = row->line;
    h->band_label[b] = strdup(label);
    return read_cells(doc, row, year_field, h->nyears, false, NG_SCALE_KR, h->band[b],
                      h->band_has[b], diags);
}

ng_status ng_sde_history_read(const char *path, ng_sde_history *h, ng_diags *diags)
{
    memset(h, 0, sizeof *h);
    ng_csvdoc doc;
    ng_status st = ng_csvdoc_read_path(path, &doc, diags);
    if (st != NG_OK)
        return st == NG_ERR_IO ? NG_ERR_INPUT : st;
    h->path = strdup(path);
    if (!h->path) {
        ng_csvdoc_free(&doc);
        return NG_ERR_NOMEM;
    }
    bool ok = doc.nrows > 0;
    int year_field[NG_FC_MAX_YEARS];
    long total_line = 0, udgift_line = 0, band_lines[NG_FC_MAX_BANDS] = {0};
    if (!ok)
        ng_error(diags, doc.path, 0, 0, "historikfilen er tom");
    ok = ok && history_years(&doc, h, year_field, diags) && ng_csvdoc_check_widths(&doc, diags);
    bool rows_ok = true;
    for (size_t r = 1; ok && r < doc.nrows; r++)
        rows_ok &= history_row(&doc, &doc.rows[r], year_field, h, &udgift_line, &total_line,
                               band_lines, diags);
    ok = ok && rows_ok;
    if (ok && h->nbands == 0 && !h->total_label) {
        ng_error(diags, doc.path, doc.rows[0].line, 0,
                 "historikfilen har hverken udgiftsintervaller eller en række 'I alt (antal)'");
        ok = false;
    }
    if (ok)
        check_total(h, &doc, total_line, year_field, diags);
    ng_csvdoc_free(&doc);
    return ok ? NG_OK : NG_ERR_INPUT;
}

void ng_sde_history_series(const ng_sde_history *h, ng_series *out)
{
    memset(out, 0, sizeof *out);
    for (int y = 0; y < h->nyears; y++) {
        out->aar[y] = h->years[y];
        double sum = 0;
        bool any = false;
        for (size_t b = 0; b < h->nbands; b++)
            if (h->band_has[b][y]) {
                sum += h->band[b][y];
                any = true;
            }
        if (!any && h->total_has[y]) {
            sum = h->total_given[y];
            any = true;
        }
        out->antal[y] = sum;
        out->has_antal[y] = any;
        out->udgift_kr[y] = h->udgift_kr[y];
        out->has_udgift[y] = h->udgift_has[y];
    }
    out->n = (size_t)h->nyears;
}

/* sde_udvikling in the file's layout. */
static ng_status publish_udvikling(const ng_sde_history *h, ng_dataset *ds)
{
    ng_table *t = ng_table_new("sde_udvikling", "Særligt dyre enkeltsager over 1 mio. kr.");
    if (!t)
        return NG_ERR_NOMEM;
    ng_table_set_source(t, "Kilde: historikfil over særligt dyre enkeltsager; udgifter i "
                           "løbende priser");
    int c_post =
        ng_table_add_column(t, "post", "Særligt dyre enkeltsager over 1 mio. kr.", NG_UNIT_TEXT);
    int c_year = ng_table_add_year_columns(t, h->years, h->nyears, NG_UNIT_ANTAL);
    if (c_year < 0 && h->nyears > 0) {
        ng_table_free(t);
        return NG_ERR_NOMEM;
    }
    for (size_t b = 0; b < h->nbands; b++) {
        char key[32];
        snprintf(key, sizeof key, "baand_%zu", b + 1);
        int r = ng_table_add_row(t, key, 0);
        if (r < 0) {
            ng_table_free(t);
            return NG_ERR_NOMEM;
        }
        ng_table_set_text(t, r, c_post, h->band_label[b]);
        for (int y = 0; y < h->nyears; y++)
            if (h->band_has[b][y])
                ng_table_set_num(t, r, c_year + y, h->band[b][y]);
    }
    const char *total_label = h->total_label ? h->total_label : "I alt (antal)";
    if (h->nbands > 0) {
        if (ng_table_add_total_row(t, "i_alt", total_label, c_post, 0, (int)h->nbands - 1) < 0) {
            ng_table_free(t);
            return NG_ERR_NOMEM;
        }
    } else {
        int r = ng_table_add_row(t, "i_alt", NG_ROW_TOTAL);
        ng_table_set_text(t, r, c_post, total_label);
        for (int y = 0; y < h->nyears; y++)
            if (h->total_has[y])
                ng_table_set_num(t, r, c_year + y, h->total_given[y]);
    }
    if (h->udgift_label) {
        /* the spend row holds kr. shown in mio. kr. in columns of counts */
        int r = ng_table_add_row(t, "udgift", 0);
        ng_table_set_row_unit(t, r, NG_UNIT_MIO);
        ng_table_set_text(t, r, c_post, h->udgift_label);
        for (int y = 0; y < h->nyears; y++)
            if (h->udgift_has[y])
                ng_table_set_num(t, r, c_year + y, h->udgift_kr[y]);
    }
    return ng_dataset_add_evaluated(ds, t);
}

/* sde_aar: one row per year, numbers only. */
ng_status ng_sde_series_publish(const ng_series *s, ng_dataset *ds)
{
    ng_table *t = ng_table_new("sde_aar", "Særligt dyre enkeltsager pr. år");
    if (!t)
        return NG_ERR_NOMEM;
    ng_table_set_source(t, "Kilde: historikfil; udgifter i løbende priser");
    int c_aar = ng_table_add_column(t, "aar", "År", NG_UNIT_AAR);
    int c_antal = ng_table_add_column(t, "antal", "Antal sager", NG_UNIT_ANTAL);
    int c_udgift = ng_table_add_column(t, "udgift", "Udgifter (mio. kr.)", NG_UNIT_MIO);
    int c_pr = ng_table_add_column(t, "udgift_pr_sag", "Udgift pr. sag (mio. kr.)", NG_UNIT_MIO);
    if (c_pr < 0) {
        ng_table_free(t);
        return NG_ERR_NOMEM;
    }
    t->cols[c_pr].decimals = 2;
    for (size_t i = 0; i < s->n; i++) {
        char key[16];
        snprintf(key, sizeof key, "%d", s->aar[i]);
        int r = ng_table_add_row(t, key, 0);
        if (r < 0) {
            ng_table_free(t);
            return NG_ERR_NOMEM;
        }
        ng_table_set_num(t, r, c_aar, s->aar[i]);
        if (s->has_antal[i])
            ng_table_set_num(t, r, c_antal, s->antal[i]);
        if (s->has_udgift[i])
            ng_table_set_num(t, r, c_udgift, s->udgift_kr[i]);
        ng_term num[] = {{r, c_udgift, 1}}, den[] = {{r, c_antal, 1}};
        ng_table_rule_ratio(t, r, c_pr, num, 1, den, 1);
    }
    return ng_dataset_add_evaluated(ds, t);
}

ng_status ng_sde_history_publish(const ng_sde_history *h, ng_dataset *ds, ng_diags *diags)
{
    (void)diags;
    ng_series s;
    ng_sde_history_series(h, &s);
    if (s.n == 0)
        return NG_ERR_INTERNAL;
    ng_status st = publish_udvikling(h, ds);
    if (st == NG_OK)
        st = ng_sde_series_publish(&s, ds);
    if (st != NG_OK)
        return st;
    char first[16], last[16];
    snprintf(first, sizeof first, "%d", s.aar[0]);
    snprintf(last, sizeof last, "%d", s.aar[s.n - 1]);
    ng_dataset_set_ref(ds, "sde_foerste_aar", "sde_aar", first, "aar");
    ng_dataset_set_ref(ds, "sde_sidste_aar", "sde_aar", last, "aar");
    ng_dataset_set_ref(ds, "sde_antal_foerste", "sde_aar", first, "antal");
    ng_dataset_set_ref(ds, "sde_antal_sidste", "sde_aar", last, "antal");
    ng_dataset_set_ref(ds, "sde_udgift_foerste", "sde_aar", first, "udgift");
    ng_dataset_set_ref(ds, "sde_udgift_sidste", "sde_aar", last, "udgift");
    if (s.antal[0] > 0) {
        /* (last - first) / first */
        ng_term terms[3] = {ng_dataset_term(ds, "sde_aar", last, "antal", 1),
                            ng_dataset_term(ds, "sde_aar", first, "antal", -1),
                            ng_dataset_term(ds, "sde_aar", first, "antal", 1)};
        ng_rule rise = {.kind = NG_RULE_RATIO, .terms = terms, .nterms = 3, .nnum = 2};
        ng_dataset_set_rule(ds, "sde_stigning_antal_pct", NG_UNIT_PCT, &rise);
    }
    if (s.antal[s.n - 1] > 0)
        ng_dataset_set_ref(ds, "sde_udgift_pr_sag_sidste", "sde_aar", last, "udgift_pr_sag");
    return ds->status;
}

/* ---- price index -------------------------------------------------------- */

static bool index_has(const ng_price_index *idx, int aar)
{
    for (size_t i = 0; i < idx->n; i++)
        if (idx->aar[i] == aar)
            return true;
    return false;
}

ng_status ng_price_index_read(const char *path, ng_price_index *idx, ng_diags *diags)
{
    memset(idx, 0, sizeof *idx);
    ng_csvdoc doc;
    ng_status st = ng_csvdoc_read_path(path, &doc, diags);
    if (st != NG_OK)
        return st == NG_ERR_IO ? NG_ERR_INPUT : st;
    int c_aar = ng_csvdoc_column(&doc, "aar"), c_idx = ng_csvdoc_column(&doc, "indeks");
    bool ok = c_aar >= 0 && c_idx >= 0;
    if (!ok)
        ng_error(diags, path, doc.nrows ? doc.rows[0].line : 0, 0,
                 doc.nrows ? "prisindeksfilen skal have kolonnerne aar;indeks"
                           : "prisindeksfilen er tom");
    ok = ok && ng_csvdoc_check_widths(&doc, diags);
    if (ok && doc.nrows == 1) {
        ng_error(diags, path, doc.rows[0].line, 0, "prisindeksfilen har ingen år");
        ok = false;
    }
    for (size_t r = 1; ok && r < doc.nrows; r++) {
        const ng_csvrow *row = &doc.rows[r];
        int year;
        double v = 0;
        if (!ng_csvdoc_field_year(&doc, row, c_aar, &year, diags)) {
            ok = false;
        } else if (ng_parse_number(row->fields[c_idx], NG_DECIMAL_AUTO, &v, NULL) != NG_OK ||
                   !(v > 0 && v < 1e6)) {
            ng_error(diags, path, row->line, c_idx + 1,
                     "indekset skal være et tal over 0 og under 1.000.000: '%s'",
                     row->fields[c_idx]);
            ok = false;
        } else if (index_has(idx, year)) {
            ng_error(diags, path, row->line, c_aar + 1, "året %d står der allerede", year);
            ok = false;
        } else if (idx->n == NG_FC_MAX_YEARS) {
            ng_error(diags, path, row->line, 0, "prisindeksfilen har flere end %d år",
                     NG_FC_MAX_YEARS);
            ok = false;
        } else {
            idx->aar[idx->n] = year;
            idx->indeks[idx->n++] = v;
        }
    }
    ng_csvdoc_free(&doc);
    return ok ? NG_OK : NG_ERR_INPUT;
}

static bool index_of(const ng_price_index *idx, int aar, double *v)
{
    for (size_t i = 0; idx && i < idx->n; i++)
        if (idx->aar[i] == aar) {
            *v = idx->indeks[i];
            return true;
        }
    return false;
}

/* ---- forecasts ---------------------------------------------------------- */

/* The years of s with both cases and spend, as indexes. */
static size_t usable_years(const ng_series *s, size_t *ix)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->has_antal[i])
            ix[n++] = i;
    return n;
}

/* The first usable index of the window [last - window, last]. */
static size_t window_start(const ng_series *s, const size_t *ix, size_t n, int window)
{
    int last = s->aar[ix[n - 1]];
    size_t k = 0;
    while (k < n - 1 && s->aar[ix[k]] < last - window)
        k++;
    return k;
}

/* Factor that brings kr. of year `from` to prices of year `to`. */
static bool price_factor(const ng_price_index *idx, int from, int to, double *f,
                         const char *path_for_msg, ng_diags *diags)
{
    *f = 1;
    if (from == to || !idx)
        return true;
    double a, b;
    if (!index_of(idx, from, &a) || !index_of(idx, to, &b)) {
        ng_error(diags, path_for_msg, 0, 0,
                 "prisindekset mangler året %d (bruges til at omregne %d til %d-priser)",
                 !index_of(idx, from, &a) ? from : to, from, to);
        return false;
    }
    *f = b / a;
    return true;
}

static void price_text(char *buf, size_t size, int price_year)
{
    if (price_year)
        snprintf(buf, size, "%d-priser", price_year);
    else
        snprintf(buf, size, "løbende priser");
}

ng_status ng_forecast_growth(const ng_series *s, int window, int ahead, const ng_price_index *idx,
                             int prisaar, ng_forecast *out, ng_diags *diags)
{
    memset(out, 0, sizeof *out);
    snprintf(out->method, sizeof out->method, "vaekst");
    size_t ix[NG_FC_MAX_YEARS];
    size_t n = usable_years(s, ix);
    if (n < 2) {
        ng_error(diags, NULL, 0, 0,
                 "prognosen kræver antal sager for mindst 2 år i historikken (har %zu)", n);
        return NG_ERR_INPUT;
    }
    if (window < 1 || ahead < 1 || ahead > NG_FC_MAX_AHEAD)
        return NG_ERR_INTERNAL;
    size_t li = ix[n - 1];
    size_t k = window_start(s, ix, n, window);
    char note[200] = "";
    /* a zero base year cannot carry a growth rate: move to the first
     * non-zero year in the window, or take zero growth */
    if (s->antal[ix[k]] == 0) {
        size_t k0 = k;
        while (k < n - 1 && s->antal[ix[k]] == 0)
            k++;
        if (k == n - 1) {
            k = k0;
            snprintf(note, sizeof note, "; %d har 0 sager, så væksten er sat til 0",
                     s->aar[ix[k0]]);
        } else {
            snprintf(note, sizeof note, "; %d har 0 sager, så væksten regnes fra %d",
                     s->aar[ix[k0]], s->aar[ix[k]]);
        }
    }
    size_t fi = ix[k];
    int years = s->aar[li] - s->aar[fi];
    double n_first = s->antal[fi], n_last = s->antal[li];
    out->growth = n_first > 0 && years > 0 ? pow(n_last / n_first, 1.0 / years) - 1 : 0;
    out->antal_first = n_first;
    out->antal_last = n_last;
    out->first_year = s->aar[fi];
    out->last_year = s->aar[li];
    out->price_year = prisaar ? prisaar : s->aar[li];
    double factor;
    if (!price_factor(prisaar && idx ? idx : NULL, s->aar[li], out->price_year, &factor,
                      "[prognose] prisindeks", diags))
        return NG_ERR_INPUT;
    if (prisaar && prisaar != s->aar[li] && !idx) {
        ng_warning(diags, NULL, 0, 0,
                   "prisaar %d kræver et prisindeks; prognosen vises i %d-priser", prisaar,
                   s->aar[li]);
        out->price_year = s->aar[li];
    }
    out->price_factor = factor;
    if (n_last > 0 && s->has_udgift[li]) {
        out->per_case_kr = s->udgift_kr[li] / n_last * factor;
    } else {
        out->per_case_kr = 0;
        size_t len = strlen(note);
        snprintf(note + len, sizeof note - len,
                 "; %d har ingen sager med udgift, så udgiften pr. "
                 "sag er sat til 0",
                 s->aar[li]);
    }
    for (int a = 1; a <= ahead; a++) {
        ng_forecast_point *p = &out->points[out->npoints++];
        p->aar = s->aar[li] + a;
        p->antal = n_last * pow(1 + out->growth, a);
        p->udgift_kr = p->antal * out->per_case_kr;
    }
    char pct[32], mio[32], prices[32];
    ng_fmt_pct(pct, sizeof pct, out->growth, 1);
    ng_fmt_dec(mio, sizeof mio, out->per_case_kr / 1e6, 2);
    price_text(prices, sizeof prices, out->price_year);
    snprintf(out->assumptions, sizeof out->assumptions,
             "Metode: gennemsnitlig vækst i antal sager %d%s%d (%s p.a.) × gennemsnitlig udgift "
             "pr. sag %d (%s mio. kr., %s)%s",
             out->first_year, en_dash, out->last_year, pct, s->aar[li], mio, prices, note);
    return NG_OK;
}

/* Least squares y = a + b (x - xbar) over points ix[k..n). */
static void fit_line(const ng_series *s, const size_t *ix, size_t k, size_t n, bool udgift,
                     const double *factor, double *xbar, double *a, double *b)
{
    double sx = 0, sy = 0;
    size_t m = 0;
    for (size_t i = k; i < n; i++) {
        sx += s->aar[ix[i]];
        sy += udgift ? s->udgift_kr[ix[i]] * factor[i] : s->antal[ix[i]];
        m++;
    }
    *xbar = sx / (double)m;
    *a = sy / (double)m;
    double sxy = 0, sxx = 0;
    for (size_t i = k; i < n; i++) {
        double dx = s->aar[ix[i]] - *xbar;
        double y = udgift ? s->udgift_kr[ix[i]] * factor[i] : s->antal[ix[i]];
        sxy += dx * (y - *a);
        sxx += dx * dx;
    }
    *b = sxx > 0 ? sxy / sxx : 0;
}

ng_status ng_forecast_trend(const ng_series *s, int window, int ahead, const ng_price_index *idx,
                            int prisaar, ng_forecast *out, ng_diags *diags)
{
    memset(out, 0, sizeof *out);
    snprintf(out->method, sizeof out->method, "trend");
    size_t ix[NG_FC_MAX_YEARS];
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->has_antal[i] && s->has_udgift[i])
            ix[n++] = i;
    if (n < 2) {
        ng_error(diags, NULL, 0, 0,
                 "trendprognosen kræver antal sager og udgifter for mindst 2 år (har %zu)", n);
        return NG_ERR_INPUT;
    }
    if (window < 1 || ahead < 1 || ahead > NG_FC_MAX_AHEAD)
        return NG_ERR_INTERNAL;
    size_t k = window_start(s, ix, n, window);
    int last = s->aar[ix[n - 1]];
    out->first_year = s->aar[ix[k]];
    out->last_year = last;
    /* with an index the spend is brought to one price level (prisaar, else
     * the last year's); without one the trend runs in current prices */
    out->price_year = idx ? (prisaar ? prisaar : last) : 0;
    double factor[NG_FC_MAX_YEARS];
    for (size_t i = k; i < n; i++)
        if (!price_factor(out->price_year ? idx : NULL, s->aar[ix[i]], out->price_year, &factor[i],
                          "[prognose] prisindeks", diags))
            return NG_ERR_INPUT;
    double xbar_n, a_n, xbar_u, a_u;
    fit_line(s, ix, k, n, false, factor, &xbar_n, &a_n, &out->slope_antal);
    fit_line(s, ix, k, n, true, factor, &xbar_u, &a_u, &out->slope_udgift_kr);
    bool clamped = false;
    for (int y = 1; y <= ahead; y++) {
        ng_forecast_point *p = &out->points[out->npoints++];
        p->aar = last + y;
        p->antal = a_n + out->slope_antal * (p->aar - xbar_n);
        p->udgift_kr = a_u + out->slope_udgift_kr * (p->aar - xbar_u);
        if (p->antal < 0 || p->udgift_kr < 0) {
            clamped = true;
            p->antal = p->antal < 0 ? 0 : p->antal;
            p->udgift_kr = p->udgift_kr < 0 ? 0 : p->udgift_kr;
        }
    }
    char prices[32], sl_n[32], sl_u[32];
    price_text(prices, sizeof prices, out->price_year);
    ng_fmt_dec(sl_n, sizeof sl_n, out->slope_antal, 1);
    ng_fmt_dec(sl_u, sizeof sl_u, out->slope_udgift_kr / 1e6, 1);
    snprintf(out->assumptions, sizeof out->assumptions,
             "Metode: lineær trend (mindste kvadraters metode) for antal sager og udgifter "
             "%d%s%d (%s sager og %s mio. kr. pr. år, %s)%s",
             out->first_year, en_dash, last, sl_n, sl_u, prices,
             clamped ? "; negative værdier er sat til 0" : "");
    return NG_OK;
}

/* The growth method's basis as cells, so the forecast's rows are rules over
 * them (and the bilag shows the rate and the spend per case it uses, not
 * a long constant in a formula): the window's first and last year, their
 * case counts (references to sde_aar), the yearly growth rate
 * (last / first)^(1/years) - 1, the growth factor 1 + rate, and the spend
 * per case of the last year in the forecast's prices. */
static ng_status publish_basis(const ng_forecast *g, ng_dataset *ds)
{
    ng_table *t = ng_table_new("prognose_grundlag", "Prognosens grundlag (vækstmetoden)");
    if (!t)
        return NG_ERR_NOMEM;
    ng_table_set_source(t, g->assumptions);
    int c_post = ng_table_add_column(t, "post", "", NG_UNIT_TEXT);
    int c_v = ng_table_add_column(t, "vaerdi", "Værdi", NG_UNIT_ANTAL);
    static const struct {
        const char *key, *label;
        ng_unit unit;
        int decimals;
    } rows[] = {
        {"startaar", "Vindue: første år", NG_UNIT_AAR, 0},
        {"slutaar", "Vindue: sidste år (basisår)", NG_UNIT_AAR, 0},
        {"antal_start", "Antal sager det første år", NG_UNIT_ANTAL, 0},
        {"antal_slut", "Antal sager i basisåret", NG_UNIT_ANTAL, 0},
        {"vaekst", "Gennemsnitlig årlig vækst i antal sager", NG_UNIT_PCT, 1},
        {"faktor", "Vækstfaktor pr. år (1 + vækst)", NG_UNIT_ANTAL, 4},
        {"prisfaktor", "Omregning til prognosens prisniveau", NG_UNIT_ANTAL, 4},
        {"udgift_pr_sag_basis", "Udgift pr. sag i basisåret (løbende priser)", NG_UNIT_MIO, 2},
        {"udgift_pr_sag", "Udgift pr. sag i prognosens priser", NG_UNIT_MIO, 2},
    };
    enum { R_START, R_SLUT, R_NSTART, R_NSLUT, R_VAEKST, R_FAKTOR, R_PRIS, R_PR_BASIS, R_PR_SAG };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int r = ng_table_add_row(t, rows[i].key, 0);
        ng_table_set_text(t, r, c_post, rows[i].label);
        ng_table_set_row_unit(t, r, rows[i].unit);
        if (r >= 0)
            t->rows[r].decimals = rows[i].decimals;
    }
    char first[16], last[16];
    snprintf(first, sizeof first, "%d", g->first_year);
    snprintf(last, sizeof last, "%d", g->last_year);
    ng_table_set_num(t, R_START, c_v, g->first_year);
    ng_table_set_num(t, R_SLUT, c_v, g->last_year);
    ng_term n0 = ng_dataset_term(ds, "sde_aar", first, "antal", 1);
    ng_term n1 = ng_dataset_term(ds, "sde_aar", last, "antal", 1);
    ng_table_rule_linear(t, R_NSTART, c_v, &n0, 1);
    ng_table_rule_linear(t, R_NSLUT, c_v, &n1, 1);
    int years = g->last_year - g->first_year;
    if (g->antal_first > 0 && years > 0) {
        ng_term q[] = {{R_NSLUT, c_v, 1}, {R_NSTART, c_v, 1}};
        ng_rule rate = {.kind = NG_RULE_RATIO,
                        .terms = q,
                        .nterms = 2,
                        .nnum = 1,
                        .root = years,
                        .constant = -1};
        ng_table_set_rule(t, R_VAEKST, c_v, &rate);
    } else {
        ng_table_set_num(t, R_VAEKST, c_v, 0); /* no base to grow from: zero growth */
    }
    ng_term v = {R_VAEKST, c_v, 1};
    ng_rule factor = {.kind = NG_RULE_LINEAR, .terms = &v, .nterms = 1, .constant = 1};
    ng_table_set_rule(t, R_FAKTOR, c_v, &factor);
    ng_table_set_num(t, R_PRIS, c_v, g->price_factor);
    if (g->per_case_kr > 0) {
        /* spend / cases in the basis year, then in the forecast's prices */
        ng_term num = ng_dataset_term(ds, "sde_aar", last, "udgift", 1);
        ng_term den = ng_dataset_term(ds, "sde_aar", last, "antal", 1);
        ng_table_rule_ratio(t, R_PR_BASIS, c_v, &num, 1, &den, 1);
        ng_term pr[] = {{R_PR_BASIS, c_v, 1}, {R_PRIS, c_v, 1}};
        ng_rule per = {.kind = NG_RULE_PRODUCT, .terms = pr, .nterms = 2};
        ng_table_set_rule(t, R_PR_SAG, c_v, &per);
    } else {
        ng_table_set_num(t, R_PR_BASIS, c_v, 0);
        ng_table_set_num(t, R_PR_SAG, c_v, 0);
    }
    return ng_dataset_add_evaluated(ds, t);
}

ng_status ng_forecast_publish(const ng_forecast *growth, const ng_forecast *trend, ng_dataset *ds)
{
    ng_status st = publish_basis(growth, ds);
    if (st != NG_OK)
        return st;
    ng_table *t = ng_table_new("prognose", "Prognose for særligt dyre enkeltsager");
    if (!t)
        return NG_ERR_NOMEM;
    char source[1200];
    snprintf(source, sizeof source, "%s%s%s", growth->assumptions, trend ? ". " : "",
             trend ? trend->assumptions : "");
    ng_table_set_source(t, source);
    char prices[32], label[64];
    price_text(prices, sizeof prices, growth->price_year);
    int c_aar = ng_table_add_column(t, "aar", "År", NG_UNIT_AAR);
    int c_na = ng_table_add_column(t, "antal_vaekst", "Antal sager", NG_UNIT_ANTAL);
    snprintf(label, sizeof label, "Udgifter (mio. kr., %s)", prices);
    int c_ua = ng_table_add_column(t, "udgift_vaekst", label, NG_UNIT_MIO);
    int c_nt = -1, c_ut = -1;
    if (trend) {
        price_text(prices, sizeof prices, trend->price_year);
        snprintf(label, sizeof label, "Udgifter (mio. kr., %s)", prices);
        c_nt = ng_table_add_column(t, "antal_trend", "Antal sager", NG_UNIT_ANTAL);
        c_ut = ng_table_add_column(t, "udgift_trend", label, NG_UNIT_MIO);
        ng_table_set_column_group(t, c_nt, "Lineær trend");
        ng_table_set_column_group(t, c_ut, "Lineær trend");
    }
    ng_table_set_column_group(t, c_na, "Vækst i antal × udgift pr. sag");
    ng_table_set_column_group(t, c_ua, "Vækst i antal × udgift pr. sag");
    ng_term faktor = ng_dataset_term(ds, "prognose_grundlag", "faktor", "vaerdi", 1);
    ng_term pr_sag = ng_dataset_term(ds, "prognose_grundlag", "udgift_pr_sag", "vaerdi", 1);
    ng_term base = ng_dataset_term(ds, "prognose_grundlag", "antal_slut", "vaerdi", 1);
    for (int i = 0; i < growth->npoints; i++) {
        const ng_forecast_point *p = &growth->points[i];
        char key[16];
        snprintf(key, sizeof key, "%d", p->aar);
        int r = ng_table_add_row(t, key, 0);
        ng_table_set_num(t, r, c_aar, p->aar);
        /* cases = the year before's x the growth factor; spend = cases x the
         * spend per case: live formulas over the basis */
        ng_term prev = i == 0 ? base : (ng_term){r - 1, c_na, 1, NULL};
        ng_term grow[] = {prev, faktor};
        ng_rule antal = {.kind = NG_RULE_PRODUCT, .terms = grow, .nterms = 2};
        ng_table_set_rule(t, r, c_na, &antal);
        ng_term spend[] = {{r, c_na, 1, NULL}, pr_sag};
        ng_rule udgift = {.kind = NG_RULE_PRODUCT, .terms = spend, .nterms = 2};
        ng_table_set_rule(t, r, c_ua, &udgift);
        if (trend && i < trend->npoints && trend->points[i].aar == p->aar) {
            ng_table_set_num(t, r, c_nt, trend->points[i].antal);
            ng_table_set_num(t, r, c_ut, trend->points[i].udgift_kr);
        }
    }
    if (ds->status != NG_OK) {
        ng_table_free(t);
        return ds->status;
    }
    st = ng_dataset_add_evaluated(ds, t);
    if (st != NG_OK)
        return st;
    const ng_forecast_point *end = &growth->points[growth->npoints - 1];
    char end_key[16];
    snprintf(end_key, sizeof end_key, "%d", end->aar);
    ng_dataset_set_ref(ds, "prognose_vaekst_pct", "prognose_grundlag", "vaekst", "vaerdi");
    ng_dataset_set_ref(ds, "prognose_udgift_pr_sag", "prognose_grundlag", "udgift_pr_sag",
                       "vaerdi");
    ng_dataset_set_ref(ds, "prognose_basisaar", "prognose_grundlag", "slutaar", "vaerdi");
    ng_dataset_set_ref(ds, "prognose_vindue_start", "prognose_grundlag", "startaar", "vaerdi");
    ng_dataset_set_ref(ds, "prognose_slutaar", "prognose", end_key, "aar");
    ng_dataset_set_ref(ds, "prognose_antal_slut", "prognose", end_key, "antal_vaekst");
    ng_dataset_set_ref(ds, "prognose_udgift_slut", "prognose", end_key, "udgift_vaekst");
    ng_dataset_set_num(ds, "prognose_prisaar", NG_UNIT_AAR, growth->price_year);
    ng_dataset_set_text(ds, "prognose_metode", growth->assumptions);
    return ds->status;
}

/* ---- earlier forecasts ---------------------------------------------------- */

/* One row of an old forecast into pts[*n]. */
static bool import_point(const ng_csvdoc *doc, const ng_csvrow *row, int c_aar, int c_n, int c_u,
                         ng_forecast_point *pts, int *n, ng_diags *diags)
{
    int year;
    double antal;
    int64_t oere;
    bool has;
    if (!ng_csvdoc_field_year(doc, row, c_aar, &year, diags))
        return false;
    /* a forecast may hold a fraction of a case */
    if (ng_parse_number(row->fields[c_n], NG_DECIMAL_AUTO, &antal, NULL) != NG_OK ||
        !(antal >= 0 && antal <= MAX_COUNT)) {
        ng_error(diags, doc->path, row->line, c_n + 1,
                 "antallet skal være et tal fra 0 til 1.000.000: '%s'", row->fields[c_n]);
        return false;
    }
    if (!ng_csvdoc_field_amount(doc, row, c_u, NG_DECIMAL_AUTO, NG_SCALE_MIO, &oere, &has, diags))
        return false;
    if (!has) {
        ng_error(diags, doc->path, row->line, c_u + 1, "beløbet mangler");
        return false;
    }
    for (int i = 0; i < *n; i++)
        if (pts[i].aar == year) {
            ng_error(diags, doc->path, row->line, c_aar + 1, "året %d står der allerede", year);
            return false;
        }
    if (*n == NG_STORED_FORECAST_MAX) {
        ng_error(diags, doc->path, row->line, 0, "prognosefilen har flere end %d år",
                 NG_STORED_FORECAST_MAX);
        return false;
    }
    pts[(*n)++] = (ng_forecast_point){year, antal, (double)oere / 100.0};
    return true;
}

ng_status ng_forecast_read_csv(const char *path, const char *made_on, ng_stored_forecast *out,
                               ng_diags *diags)
{
    memset(out, 0, sizeof *out);
    ng_csvdoc doc;
    ng_status st = ng_csvdoc_read_path(path, &doc, diags);
    if (st != NG_OK)
        return st == NG_ERR_IO ? NG_ERR_INPUT : st;
    int c_aar = ng_csvdoc_column(&doc, "aar"), c_n = ng_csvdoc_column(&doc, "prognose_antal");
    int c_u = ng_csvdoc_column(&doc, "prognose_udgift");
    bool ok = c_aar >= 0 && c_n >= 0 && c_u >= 0;
    if (!ok)
        ng_error(diags, path, doc.nrows ? doc.rows[0].line : 0, 0,
                 doc.nrows ? "prognosefilen skal have kolonnerne aar;prognose_antal;"
                             "prognose_udgift (udgift i mio. kr.)"
                           : "prognosefilen er tom");
    ok = ok && ng_csvdoc_check_widths(&doc, diags);
    ng_forecast_point *pts = out->points;
    int n = 0;
    for (size_t r = 1; ok && r < doc.nrows; r++)
        ok = import_point(&doc, &doc.rows[r], c_aar, c_n, c_u, pts, &n, diags);
    if (ok && n == 0) {
        ng_error(diags, path, doc.rows[0].line, 0, "prognosefilen har ingen år");
        ok = false;
    }
    ng_csvdoc_free(&doc);
    if (!ok)
        return NG_ERR_INPUT;
    char *base = ng_mask_cpr(ng_base_name(path));
    out->npoints = n;
    snprintf(out->made_on, sizeof out->made_on, "%s", made_on);
    snprintf(out->method, sizeof out->method, "importeret");
    snprintf(out->assumptions, sizeof out->assumptions, "Importeret prognose (%s)",
             base ? base : "fil");
    free(base);
    return NG_OK;
}

enum { VA_AAR, VA_PN, VA_FN, VA_AN, VA_APN, VA_PU, VA_FU, VA_AU, VA_APU, VA_NCOLS };

static ng_table *vs_table(void)
{
    static const struct {
        const char *key, *label;
        ng_unit unit;
    } cols[VA_NCOLS] = {
        {"aar", "År", NG_UNIT_AAR},
        {"prognose_antal", "Antal sager jf. prognose", NG_UNIT_ANTAL},
        {"faktisk_antal", "Det faktiske antal sager", NG_UNIT_ANTAL},
        {"afvigelse_antal", "Afvigelse (antal)", NG_UNIT_ANTAL},
        {"afvigelse_antal_pct", "Afvigelse (antal, pct.)", NG_UNIT_PCT},
        {"prognose_udgift", "Udgifter jf. prognose (mio. kr.)", NG_UNIT_MIO},
        {"faktisk_udgift", "Faktiske udgifter (mio. kr.)", NG_UNIT_MIO},
        {"afvigelse_udgift", "Afvigelse (mio. kr.)", NG_UNIT_MIO},
        {"afvigelse_udgift_pct", "Afvigelse (udgift, pct.)", NG_UNIT_PCT},
    };
    ng_table *t = ng_table_new("prognose_mod_faktisk", "Prognose sammenholdt med den faktiske "
                                                       "udvikling");
    for (int c = 0; t && c < VA_NCOLS; c++)
        if (ng_table_add_column(t, cols[c].key, cols[c].label, cols[c].unit) < 0) {
            ng_table_free(t);
            return NULL;
        }
    if (t) {
        t->cols[VA_APN].decimals = 1;
        t->cols[VA_APU].decimals = 1;
    }
    return t;
}

static int actual_index(const ng_series *s, int aar)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (s->aar[i] == aar)
            return (int)i;
    return -1;
}

/* Fills a row: forecast values, actuals and the deviation rules. */
static void vs_row(ng_table *t, int r, int aar, double antal, double udgift, const ng_series *a)
{
    ng_table_set_num(t, r, VA_AAR, aar);
    ng_table_set_num(t, r, VA_PN, antal);
    ng_table_set_num(t, r, VA_PU, udgift);
    int i = actual_index(a, aar);
    if (i >= 0 && a->has_antal[i]) {
        ng_table_set_num(t, r, VA_FN, a->antal[i]);
        ng_term d[] = {{r, VA_FN, 1}, {r, VA_PN, -1}};
        ng_table_rule_linear(t, r, VA_AN, d, 2);
        ng_term num[] = {{r, VA_AN, 1}}, den[] = {{r, VA_PN, 1}};
        ng_table_rule_ratio(t, r, VA_APN, num, 1, den, 1);
    }
    if (i >= 0 && a->has_udgift[i]) {
        ng_table_set_num(t, r, VA_FU, a->udgift_kr[i]);
        ng_term d[] = {{r, VA_FU, 1}, {r, VA_PU, -1}};
        ng_table_rule_linear(t, r, VA_AU, d, 2);
        ng_term num[] = {{r, VA_AU, 1}}, den[] = {{r, VA_PU, 1}};
        ng_table_rule_ratio(t, r, VA_APU, num, 1, den, 1);
    }
}

static ng_status vs_values(const ng_table *t, const char *made_on, const char *method,
                           ng_dataset *ds)
{
    ng_dataset_set_text(ds, "prognose_lavet", made_on);
    ng_dataset_set_text(ds, "prognose_metode_lavet", method);
    int last = -1;
    for (int r = 0; r < t->nrows; r++)
        if (t->rows[r].cells[VA_FN].type == NG_CELL_NUM)
            last = r;
    if (last < 0)
        return ds->status;
    static const struct {
        const char *name, *col;
    } v[] = {
        {"sammenligning_aar", "aar"},
        {"sammenligning_prognose_antal", "prognose_antal"},
        {"sammenligning_faktisk_antal", "faktisk_antal"},
        {"sammenligning_afvigelse_antal", "afvigelse_antal"},
        {"sammenligning_prognose_udgift", "prognose_udgift"},
        {"sammenligning_faktisk_udgift", "faktisk_udgift"},
        {"sammenligning_afvigelse_udgift", "afvigelse_udgift"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        ng_dataset_set_ref(ds, v[i].name, "prognose_mod_faktisk", t->rows[last].key, v[i].col);
    return ds->status;
}

/* Two line charts of the forecast against the actuals: the cases, and the
 * spend (one axis each: a count and an amount on two axes of one chart
 * would invite reading the crossing of the curves). */
static ng_status vs_figure(const ng_table *t, ng_dataset *ds)
{
    int cats[NG_FC_MAX_YEARS];
    int nc = 0;
    for (int r = 0; r < t->nrows && nc < NG_FC_MAX_YEARS; r++)
        cats[nc++] = r;
    static const struct {
        const char *name, *title, *y_title;
        int series[2];
    } figs[] = {
        {"prognose_figur",
         "Antal særligt dyre sager: prognose og faktisk udvikling",
         "antal sager",
         {VA_PN, VA_FN}},
        {"prognose_udgift_figur",
         "Udgifter til særligt dyre sager: prognose og faktisk udvikling",
         "mio. kr.",
         {VA_PU, VA_FU}},
    };
    ng_status st = NG_OK;
    for (size_t i = 0; i < sizeof figs / sizeof *figs && st == NG_OK; i++) {
        int series[2] = {figs[i].series[0], figs[i].series[1]};
        ng_figure fig = {.name = (char *)figs[i].name,
                         .table = "prognose_mod_faktisk",
                         .title = (char *)figs[i].title,
                         .y_title = (char *)figs[i].y_title,
                         .type = NG_FIG_LINE,
                         .series_from_rows = false,
                         .series = series,
                         .nseries = 2,
                         .cats = cats,
                         .ncats = nc,
                         .label_col = VA_AAR};
        st = ng_dataset_add_figure(ds, &fig);
    }
    return st;
}

ng_status ng_forecast_vs_actual(const ng_stored_forecast *fc, const ng_series *actual,
                                ng_dataset *ds, ng_diags *diags)
{
    ng_table *t = vs_table();
    if (!t)
        return NG_ERR_NOMEM;
    char source[700];
    snprintf(source, sizeof source, "Prognose lavet %s. %s", fc->made_on, fc->assumptions);
    ng_table_set_source(t, source);
    for (int i = 0; i < fc->npoints; i++) {
        const ng_forecast_point *pt = &fc->points[i];
        char key[16];
        snprintf(key, sizeof key, "%d", pt->aar);
        int r = ng_table_add_row(t, key, 0);
        if (r >= 0)
            vs_row(t, r, pt->aar, pt->antal, pt->udgift_kr, actual);
    }
    if (t->status == NG_OK && t->nrows == 0) {
        ng_error(diags, NULL, 0, 0, "prognosen fra %s med metoden %s har ingen år", fc->made_on,
                 fc->method);
        ng_table_free(t);
        return NG_ERR_INPUT;
    }
    ng_status st = ng_dataset_add_evaluated(ds, t);
    t = st == NG_OK ? ng_dataset_table(ds, "prognose_mod_faktisk") : NULL;
    if (st == NG_OK)
        st = vs_values(t, fc->made_on, fc->method, ds);
    if (st == NG_OK)
        st = vs_figure(t, ds);
    return st;
}

void ng_forecast_made_on_from_path(const char *path, char *buf, size_t size)
{
    ng_date d;
    if (ng_date_from_filename(path, &d)) {
        ng_fmt_date_iso(buf, size, d);
        return;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* the first run of exactly four digits: "prognose_2021.csv" -> "2021" */
    for (const char *p = base; *p; p++) {
        if (p != base && isdigit((unsigned char)p[-1]))
            continue;
        size_t k = 0;
        while (isdigit((unsigned char)p[k]))
            k++;
        if (k == 4) {
            snprintf(buf, size, "%.4s", p);
            return;
        }
    }
    snprintf(buf, size, "importeret");
}

/* ---- the module ---------------------------------------------------------- */

typedef ng_prognose_options opts;

/* What the module keeps between computing and recording: the forecasts it
 * published and the earlier forecast it read, so the store gets exactly
 * those. */
typedef struct {
    ng_forecast growth, trend;
    bool has_trend;
    ng_stored_forecast earlier;
    bool has_earlier;
} prognose_state;

static const ng_config_key keys[] = {
    NG_KEY_RANGE(opts, "prognose", "aar", NG_KEY_INT, aar, 1, 30),
    NG_KEY_RANGE(opts, "prognose", "vindue", NG_KEY_INT, vindue, 1, 20),
    NG_KEY(opts, "prognose", "prisaar", NG_KEY_YEAR, prisaar),
    NG_KEY(opts, "prognose", "prisindeks", NG_KEY_PATH, prisindeks),
    NG_KEY(opts, "prognose", "historik", NG_KEY_PATH, historik),
    NG_KEY(opts, "prognose", "tidligere", NG_KEY_PATH, tidligere),
};

static void options_init(void *p)
{
    opts *o = p;
    o->aar = 5;
    o->vindue = 3;
}

static void options_free(void *p)
{
    opts *o = p;
    free(o->prisindeks);
    free(o->historik);
    free(o->tidligere);
}

static bool configured(const void *opt)
{
    return ((const opts *)opt)->historik != NULL;
}

static void inputs(const void *opt, const ng_pipeline *p, ng_input_list *out)
{
    const opts *o = opt;
    (void)p;
    ng_input_list_add(out, o->historik);
    ng_input_list_add(out, o->prisindeks);
    ng_input_list_add(out, o->tidligere);
}

/* Reads the history and computes both forecasts; the history is published
 * into ds when ds is not NULL. */
static ng_status forecasts(const opts *o, ng_dataset *ds, ng_series *s, prognose_state *state,
                           ng_diags *diags)
{
    ng_sde_history h;
    ng_price_index idx;
    bool has_idx = false;
    ng_status st = ng_sde_history_read(o->historik, &h, diags);
    if (st == NG_OK && ds)
        st = ng_sde_history_publish(&h, ds, diags);
    if (st == NG_OK && o->prisindeks) {
        st = ng_price_index_read(o->prisindeks, &idx, diags);
        has_idx = st == NG_OK;
    }
    if (st == NG_OK) {
        ng_sde_history_series(&h, s);
        st = ng_forecast_growth(s, o->vindue, o->aar, has_idx ? &idx : NULL, o->prisaar,
                                &state->growth, diags);
    }
    /* the trend needs spend in every year of the window; without it the
     * growth method alone is shown */
    if (st == NG_OK) {
        ng_diags td;
        ng_diags_init(&td);
        state->has_trend = ng_forecast_trend(s, o->vindue, o->aar, has_idx ? &idx : NULL,
                                             o->prisaar, &state->trend, &td) == NG_OK;
        if (!state->has_trend)
            ng_note(diags, o->historik, 0, 0,
                    "trendprognosen udelades: historikken har ikke udgifter for mindst 2 år");
        ng_diags_free(&td);
    }
    if (st == NG_OK && o->tidligere) {
        char made_on[32];
        ng_forecast_made_on_from_path(o->tidligere, made_on, sizeof made_on);
        st = ng_forecast_read_csv(o->tidligere, made_on, &state->earlier, diags);
        state->has_earlier = st == NG_OK;
    }
    ng_sde_history_free(&h);
    return st;
}

static int method_rank(const char *method)
{
    return !strcmp(method, "vaekst") ? 0 : !strcmp(method, "importeret") ? 1 : 2;
}

/* Is a a more recent forecast to compare with than b (the store's order)? */
static bool more_recent(const ng_stored_forecast *a, const ng_stored_forecast *b)
{
    int c = strcmp(a->made_on, b->made_on);
    return c > 0 || (c == 0 && method_rank(a->method) <= method_rank(b->method));
}

static bool covers(const ng_stored_forecast *f, int last_actual)
{
    for (int i = 0; i < f->npoints; i++)
        if (f->points[i].aar <= last_actual)
            return true;
    return false;
}

/* The forecast to set against the actuals: the most recent in the store or
 * the earlier forecast read now (which the store gets after publishing). */
static ng_status compare(const prognose_state *state, const ng_series *s, ng_pipeline *p)
{
    int last = s->n ? s->aar[s->n - 1] : 0;
    ng_stored_forecast stored;
    bool found = false;
    ng_status st = ng_history_pick_forecast(p->history, last, &stored, &found, p->diags);
    if (st != NG_OK)
        return st;
    const ng_stored_forecast *fc = found ? &stored : NULL;
    if (state->has_earlier && covers(&state->earlier, last) &&
        (!fc || more_recent(&state->earlier, fc)))
        fc = &state->earlier;
    if (!fc) {
        ng_note(p->diags, NULL, 0, 0,
                "ingen gemt prognose dækker et år med faktiske tal; prognose_mod_faktisk udelades");
        return NG_OK;
    }
    return ng_forecast_vs_actual(fc, s, &p->ds, p->diags);
}

static ng_status compute(const void *opt, ng_pipeline *p)
{
    prognose_state *state = calloc(1, sizeof *state);
    if (!state)
        return NG_ERR_NOMEM;
    p->state[ng_module_index(&ng_module_prognose)] = state;
    ng_series s;
    ng_status st = forecasts(opt, &p->ds, &s, state, p->diags);
    if (st == NG_OK)
        st = ng_forecast_publish(&state->growth, state->has_trend ? &state->trend : NULL, &p->ds);
    if (st == NG_OK && p->history)
        st = compare(state, &s, p);
    return st;
}

static ng_status check(const void *opt, ng_pipeline *p)
{
    prognose_state state;
    ng_series s;
    memset(&state, 0, sizeof state);
    return forecasts(opt, NULL, &s, &state, p->diags);
}

/* The run's entry (stored after publishing): the forecasts this run
 * published, under its extract date, and the earlier forecast it read, so
 * a later run can set them against what happened. */
static ng_status record(const void *opt, ng_pipeline *p)
{
    (void)opt;
    const prognose_state *state = p->state[ng_module_index(&ng_module_prognose)];
    if (!state || !p->history)
        return NG_OK;
    char made_on[16];
    ng_fmt_date_iso(made_on, sizeof made_on, p->dato);
    const ng_forecast *f[2] = {&state->growth, state->has_trend ? &state->trend : NULL};
    ng_status st = NG_OK;
    for (int i = 0; i < 2 && st == NG_OK; i++)
        if (f[i])
            st = ng_history_entry_forecast(p->entry, made_on, f[i]->method, f[i]->points,
                                           f[i]->npoints, f[i]->assumptions);
    const ng_stored_forecast *e = &state->earlier;
    if (st == NG_OK && state->has_earlier)
        st = ng_history_entry_forecast(p->entry, e->made_on, e->method, e->points, e->npoints,
                                       e->assumptions);
    return st;
}

static void release(ng_pipeline *p, void *state)
{
    (void)p;
    free(state);
}

#define YEARS_COLUMN                                                                               \
    {                                                                                              \
        "####", NULL, NG_UNIT_ANTAL, 0, 0                                                          \
    }

static const ng_decl publishes[] = {
    NG_DECL_TABLE_("sde_udvikling", "Særligt dyre sager",
                   "Særligt dyre enkeltsager pr. udgiftsinterval pr. år",
                   NG_COLS({"post", NULL, NG_UNIT_TEXT, 0, 0}, YEARS_COLUMN)),
    NG_DECL_TABLE_("sde_aar", "Særligt dyre sager pr. år",
                   "Særligt dyre enkeltsager pr. år: antal, udgift og udgift pr. sag",
                   NG_COLS({"aar", NULL, NG_UNIT_AAR, 0, 0}, {"antal", NULL, NG_UNIT_ANTAL, 0, 0},
                           {"udgift", NULL, NG_UNIT_MIO, -1, 0},
                           {"udgift_pr_sag", NULL, NG_UNIT_MIO, 2, 0})),
    NG_DECL_VALUE_("sde_foerste_aar", NG_UNIT_AAR,
                   "Første år i historikken over særligt dyre sager"),
    NG_DECL_VALUE_("sde_sidste_aar", NG_UNIT_AAR,
                   "Sidste år i historikken over særligt dyre sager"),
    NG_DECL_VALUE_("sde_antal_foerste", NG_UNIT_ANTAL, "Antal særligt dyre sager det første år"),
    NG_DECL_VALUE_("sde_antal_sidste", NG_UNIT_ANTAL, "Antal særligt dyre sager det sidste år"),
    NG_DECL_VALUE_("sde_udgift_foerste", NG_UNIT_MIO,
                   "Udgifter til særligt dyre sager det første år (løbende priser)"),
    NG_DECL_VALUE_("sde_udgift_sidste", NG_UNIT_MIO,
                   "Udgifter til særligt dyre sager det sidste år (løbende priser)"),
    NG_DECL_VALUE_("sde_stigning_antal_pct", NG_UNIT_PCT,
                   "Stigning i antal særligt dyre sager fra første til sidste år"),
    NG_DECL_VALUE_("sde_udgift_pr_sag_sidste", NG_UNIT_MIO,
                   "Gennemsnitlig udgift pr. sag det sidste år"),
    NG_DECL_TABLE_(
        "prognose_grundlag", "Prognosens grundlag",
        "Vækstmetodens grundlag: vindue, antal sager, vækstrate og udgift pr. sag",
        NG_COLS({"post", NULL, NG_UNIT_TEXT, 0, 0}, {"vaerdi", NULL, NG_UNIT_ANTAL, 0, 0})),
    NG_DECL_TABLE_(
        "prognose", "Prognose", "Prognose for antal sager og udgift (vækst og lineær trend)",
        NG_COLS({"aar", NULL, NG_UNIT_AAR, 0, 0}, {"antal_vaekst", NULL, NG_UNIT_ANTAL, 0, 0},
                {"udgift_vaekst", NULL, NG_UNIT_MIO, -1, 0},
                {"antal_trend", NULL, NG_UNIT_ANTAL, 0, 0},
                {"udgift_trend", NULL, NG_UNIT_MIO, -1, 0})),
    NG_DECL_VALUE_("prognose_vaekst_pct", NG_UNIT_PCT,
                   "Gennemsnitlig årlig vækst i antal sager i prognosens vindue"),
    NG_DECL_VALUE_("prognose_udgift_pr_sag", NG_UNIT_MIO,
                   "Gennemsnitlig udgift pr. sag i prognosen"),
    NG_DECL_VALUE_("prognose_basisaar", NG_UNIT_AAR, "Sidste år med faktiske tal før prognosen"),
    NG_DECL_VALUE_("prognose_vindue_start", NG_UNIT_AAR, "Første år i vækstratens vindue"),
    NG_DECL_VALUE_("prognose_slutaar", NG_UNIT_AAR, "Prognosens sidste år"),
    NG_DECL_VALUE_("prognose_antal_slut", NG_UNIT_ANTAL,
                   "Antal sager i prognosens sidste år (vækstmetoden)"),
    NG_DECL_VALUE_("prognose_udgift_slut", NG_UNIT_MIO,
                   "Udgifter i prognosens sidste år (vækstmetoden)"),
    NG_DECL_FACT_("prognose_prisaar", NG_UNIT_AAR, "Prisniveau for prognosens udgifter"),
    NG_DECL_FACT_("prognose_metode", NG_UNIT_TEXT,
                  "Prognosens metode og forudsætninger i ord (tabellens kildelinje)"),
    NG_DECL_TABLE_("prognose_mod_faktisk", "Prognose mod faktisk",
                   "Prognose sammenholdt med den faktiske udvikling",
                   NG_COLS({"aar", NULL, NG_UNIT_AAR, 0, 0},
                           {"prognose_antal", NULL, NG_UNIT_ANTAL, 0, 0},
                           {"faktisk_antal", NULL, NG_UNIT_ANTAL, 0, 0},
                           {"afvigelse_antal", NULL, NG_UNIT_ANTAL, 0, 0},
                           {"afvigelse_antal_pct", NULL, NG_UNIT_PCT, 1, 0},
                           {"prognose_udgift", NULL, NG_UNIT_MIO, -1, 0},
                           {"faktisk_udgift", NULL, NG_UNIT_MIO, -1, 0},
                           {"afvigelse_udgift", NULL, NG_UNIT_MIO, -1, 0},
                           {"afvigelse_udgift_pct", NULL, NG_UNIT_PCT, 1, 0})),
    NG_DECL_FIGURE_("prognose_figur", "prognose_mod_faktisk",
                    "Linjer: prognose og faktisk udvikling i antal sager"),
    NG_DECL_FIGURE_("prognose_udgift_figur", "prognose_mod_faktisk",
                    "Linjer: prognose og faktisk udvikling i udgifterne"),
    NG_DECL_FACT_("prognose_lavet", NG_UNIT_TEXT,
                  "Hvornår den sammenholdte prognose blev lavet (fx 2021 eller 2023-08-22)"),
    NG_DECL_FACT_("prognose_metode_lavet", NG_UNIT_TEXT,
                  "Metoden bag den sammenholdte prognose (vaekst, trend, importeret)"),
    NG_DECL_VALUE_("sammenligning_aar", NG_UNIT_AAR,
                   "Seneste år med både prognose og faktiske tal"),
    NG_DECL_VALUE_("sammenligning_prognose_antal", NG_UNIT_ANTAL,
                   "Antal sager i sammenligningsåret jf. prognosen"),
    NG_DECL_VALUE_("sammenligning_faktisk_antal", NG_UNIT_ANTAL,
                   "Det faktiske antal sager i sammenligningsåret"),
    NG_DECL_VALUE_("sammenligning_afvigelse_antal", NG_UNIT_ANTAL,
                   "Faktisk minus prognose, antal sager i sammenligningsåret"),
    NG_DECL_VALUE_("sammenligning_prognose_udgift", NG_UNIT_MIO,
                   "Udgifter i sammenligningsåret jf. prognosen"),
    NG_DECL_VALUE_("sammenligning_faktisk_udgift", NG_UNIT_MIO,
                   "De faktiske udgifter i sammenligningsåret"),
    NG_DECL_VALUE_("sammenligning_afvigelse_udgift", NG_UNIT_MIO,
                   "Faktisk minus prognose, udgifter i sammenligningsåret"),
};

const ng_module ng_module_prognose = {
    .name = "prognose",
    .summary = "Udviklingen i de særligt dyre sager år for år, prognoser og prognose mod faktisk",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_init = options_init,
    .options_free = options_free,
    .configured = configured,
    .inputs = inputs,
    .compute = compute,
    .check = check,
    .record = record,
    .release = release,
    .publishes = publishes,
    .npublishes = sizeof publishes / sizeof *publishes,
};
