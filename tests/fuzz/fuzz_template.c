/* fuzz_template.c -- libFuzzer target for the template language.
 *
 * Renders arbitrary bytes as a Markdown template (placeholders, filter
 * chains, {{#hvis}} conditions, blocks) against a small dataset with
 * numbers, texts, an empty text, a table with a suppressed and an empty cell
 * and a figure, and fills them as a mail body. What must hold for every
 * input: the calls return; a template either renders (no error reported) or
 * fails with NG_ERR_TEMPLATE and at least one error, never reports an
 * error on a line the template does not have, and never quotes a piece of
 * the template cut inside a UTF-8 character. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/template.h"
#include "notatgen/textcheck.h"

/* refusion_per_trin with rows 25 and 50 and a total; the 50 row's count is
 * suppressed and its spend empty. */
static void add_table(ng_dataset *ds)
{
    static const struct {
        const char *key, *label;
        ng_unit unit;
    } cols[] = {{"trin", "Trin", NG_UNIT_ANTAL},
                {"antal", "Antal", NG_UNIT_ANTAL},
                {"udgift", "Udgift", NG_UNIT_MIO}};
    static const double rows[2][3] = {{25, 169, 214.1e6}, {50, 2, -1}};
    ng_table *t = ng_table_new("refusion_per_trin", "Refusion pr. trin");
    for (int c = 0; c < 3; c++)
        ng_table_add_column(t, cols[c].key, cols[c].label, cols[c].unit);
    for (int r = 0; r < 2; r++) {
        ng_table_add_row(t, r ? "50" : "25", 0);
        for (int c = 0; c < 3; c++)
            if (rows[r][c] >= 0)
                ng_table_set_num(t, r, c, rows[r][c]);
    }
    ng_table_add_total_row(t, "i_alt", "I alt", 0, 0, 1);
    ng_table_evaluate(t);
    t->rows[1].cells[1].suppressed = true;
    ng_dataset_add_table(ds, t);
}

static void add_figure(ng_dataset *ds)
{
    int series[] = {2}, cats[] = {0};
    ng_figure f = {.name = "refusion_aar_figur",
                   .table = "refusion_per_trin",
                   .series = series,
                   .nseries = 1,
                   .cats = cats,
                   .ncats = 1};
    ng_dataset_add_figure(ds, &f);
}

static void add_values(ng_dataset *ds)
{
    ds->udtraek_dato = (ng_date){2025, 10, 31};
    ng_dataset_set_num(ds, "aar", NG_UNIT_AAR, 2025);
    ng_dataset_set_num(ds, "tilgang_antal", NG_UNIT_ANTAL, 1);
    ng_dataset_set_num(ds, "afgang_antal", NG_UNIT_ANTAL, 0);
    ng_dataset_set_num(ds, "aendring_udgift", NG_UNIT_KR, -349999.5);
    ng_dataset_set_num(ds, "andel_udgift_50_75", NG_UNIT_PCT, 0.4675);
    ng_dataset_set_num(ds, "forrige_opfoelgning_dato", NG_UNIT_DATO,
                       (double)ng_date_to_days((ng_date){2025, 9, 30}));
    ng_dataset_set_text(ds, "prognose_metode", "Metode {{ aar }} | \"x\"");
    ng_dataset_set_text(ds, "prognose_lavet", "");
}

/* The number of lines of text: "\n", "\r\n" and a lone "\r" end a line (as
 * Markdown reads them); a last line without an end counts. */
static long lines_of(const char *text)
{
    long n = 1;
    for (const char *p = text; *p; p++)
        n += *p == '\n' || (*p == '\r' && p[1] != '\n');
    return n;
}

static void check(ng_status st, const ng_diags *d, long nlines)
{
    if (st == NG_ERR_NOMEM)
        return;
    if (st != NG_OK && st != NG_ERR_TEMPLATE)
        abort();
    if ((st == NG_OK) != (d->errors == 0))
        abort();
    for (size_t i = 0; i < d->count; i++) {
        const char *m = d->items[i].message;
        if (d->items[i].line < 0 || d->items[i].line > nlines ||
            ng_utf8_invalid_at(m, strlen(m)) != strlen(m))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    ng_dataset ds;
    ng_dataset_init(&ds);
    add_table(&ds);
    add_figure(&ds);
    add_values(&ds);
    long nlines = lines_of(text);

    ng_memo memo;
    ng_memo_init(&memo);
    ng_diags d;
    ng_diags_init(&d);
    check(ng_template_render_string("fuzz.md", text, &ds, NULL, &memo, &d), &d, nlines);
    ng_memo_free(&memo);
    ng_diags_free(&d);

    ng_diags_init(&d);
    char *filled = NULL;
    check(ng_template_fill_text("mailtekst", 1, text, &ds, &filled, &d), &d, nlines);
    free(filled);
    ng_diags_free(&d);

    ng_dataset_free(&ds);
    free(text);
    return 0;
}
