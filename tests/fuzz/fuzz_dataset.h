/* fuzz_dataset.h -- a small dataset for the renderer targets: a count table
 * with totals, a suppressed cell and a ratio, a money table with a live
 * formula, values of every unit and a figure. Texts come from the caller
 * (the fuzz input), so that hostile strings reach every renderer. */
#ifndef NG_FUZZ_DATASET_H
#define NG_FUZZ_DATASET_H

#include <stdlib.h>
#include <string.h>

#include "notatgen/table.h"
#include "notatgen/textcheck.h"

enum { FUZZ_TEXTS = 12 };

/* texts[i] for the i-th string of the dataset; any may be NULL. */
static inline void fuzz_dataset(ng_dataset *ds, const char *const texts[FUZZ_TEXTS])
{
#define TXT(i, dflt) (texts[i] ? texts[i] : (dflt))
    ng_dataset_init(ds);
    ds->kommune = strdup(TXT(0, "Randers Kommune"));
    ds->udtraek_dato = (ng_date){2025, 10, 31};
    ng_table *t = ng_table_new("omraader", TXT(1, "Sager fordelt på område"));
    ng_table_set_source(t, TXT(2, "Kilde: udtræk"));
    ng_table_set_note(t, TXT(3, "– : Diskretioneret"));
    t->count_table = true;
    ng_table_add_column(t, "omraade", TXT(4, "Område"), NG_UNIT_TEXT);
    int a = ng_table_add_column(t, "antal", TXT(5, "Antal"), NG_UNIT_ANTAL);
    int u = ng_table_add_column(t, "udgift", "Udgift", NG_UNIT_MIO);
    int p = ng_table_add_column(t, "andel", "Andel", NG_UNIT_PCT);
    ng_table_set_column_group(t, a, TXT(6, "Sager"));
    static const double antal[3] = {20, 2, 7};
    for (int r = 0; r < 3; r++) {
        int row = ng_table_add_row(t, r == 0 ? "voksen" : r == 1 ? "boern" : "aeldre", 0);
        ng_table_set_text(t, row, 0, r == 0 ? TXT(7, "Voksne") : r == 1 ? "Børn" : "Ældre");
        ng_table_set_num(t, row, a, antal[r]);
        ng_table_set_num(t, row, u, antal[r] * 1.5e6);
    }
    int total = ng_table_add_total_row(t, "i_alt", TXT(8, "I alt"), 0, 0, 2);
    for (int r = 0; r < 3; r++) {
        ng_term num = {r, a, 1}, den = {total, a, 1};
        ng_table_rule_ratio(t, r, p, &num, 1, &den, 1);
    }
    ng_table_evaluate(t);
    t->rows[1].cells[a].suppressed = true;
    t->rows[1].cells[u].suppressed = true;
    t->rows[2].cells[a].suppressed = true;
    t->rows[2].cells[u].suppressed = true;
    ng_dataset_add_table(ds, t);
    /* an initiative: a table whose title is a name from a file */
    ng_table *it = ng_table_new("initiativ_1", TXT(9, "Styrkelse af børnehandicap"));
    ng_table_add_column(it, "linje", TXT(10, "(mio. kr.)"), NG_UNIT_TEXT);
    int years[2] = {2024, 2025};
    int c0 = ng_table_add_year_columns(it, years, 2, NG_UNIT_MIO);
    int l = ng_table_add_row(it, "linje_1", 0);
    ng_table_set_text(it, l, 0, TXT(11, "Investering"));
    ng_table_set_num(it, l, c0, 1.2e6);
    ng_table_set_num(it, l, c0 + 1, -0.4e6);
    ng_table_add_total_row(it, "netto", "Provenu", 0, 0, 0);
    ng_dataset_add_evaluated(ds, it);
    ng_dataset_set_num(ds, "antal_i_alt", NG_UNIT_ANTAL, 29);
    ng_dataset_set_num(ds, "udgift_i_alt", NG_UNIT_KR, 43.5e6);
    ng_dataset_set_num(ds, "andel", NG_UNIT_PCT, 0.47);
    ng_dataset_set_num(ds, "aar", NG_UNIT_AAR, 2025);
    ng_dataset_set_num(ds, "udtraek_dato", NG_UNIT_DATO, 20392);
    ng_dataset_set_text(ds, "saetning", TXT(1, "En sætning."));
    int series[1] = {a}, cats[3] = {0, 1, 2};
    ng_figure fig = {.name = "omraader_figur",
                     .table = "omraader",
                     .title = (char *)TXT(3, "Sager"),
                     .y_title = "antal",
                     .type = NG_FIG_COLUMN,
                     .series = series,
                     .nseries = 1,
                     .cats = cats,
                     .ncats = 3,
                     .label_col = 0};
    ng_dataset_add_figure(ds, &fig);
#undef TXT
}

/* Splits data into up to FUZZ_TEXTS strings at '\n', each made printable
 * UTF-8 (as every reader hands on) and at most 4096 bytes (a field's limit).
 * The caller frees texts[i]. */
static inline void fuzz_texts(const unsigned char *data, size_t size, char *texts[FUZZ_TEXTS])
{
    size_t start = 0;
    for (int i = 0; i < FUZZ_TEXTS; i++) {
        texts[i] = NULL;
        if (start > size)
            continue;
        const unsigned char *nl = memchr(data + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - data) : size;
        size_t n = end - start > 4096 ? 4096 : end - start;
        texts[i] = ng_text_printable_copy((const char *)data + start, n);
        start = end + 1;
    }
}

#endif
