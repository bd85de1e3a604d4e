/* bridge.c -- what changed since the last follow-up (see bridge.h). */
#include "bridge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_cmp(const void *a, const void *b)
{
    const ng_bridge_unit *x = a, *y = b;
    return strcmp(x->key, y->key);
}

void ng_bridge_sort(ng_bridge_unit *units, size_t n)
{
    if (n > 1)
        qsort(units, n, sizeof *units, unit_cmp);
}

/* The merge of two sources in key order: tilgang, afgang, the stayers and
 * the totals, each source checked to give strictly increasing keys. */
ng_status ng_bridge_merge(ng_bridge_source now, ng_bridge_source then, ng_bridge *out)
{
    memset(out, 0, sizeof *out);
    ng_bridge_unit a, b, was;
    bool ha = now.next(now.ctx, &a), hb = then.next(then.ctx, &b);
    int64_t total_now = 0, total_then = 0;
    while (ha || hb) {
        int c = !ha ? 1 : !hb ? -1 : strcmp(a.key, b.key);
        if (c < 0) {
            out->tilgang_antal++;
            out->tilgang_udgift += a.udgift;
        } else if (c > 0) {
            out->afgang_antal++;
            out->afgang_udgift += b.udgift;
        } else {
            out->eksisterende_antal++;
            out->aendring_eksisterende_udgift += a.udgift - b.udgift;
        }
        if (c <= 0) {
            total_now += a.udgift;
            was = a;
            if ((ha = now.next(now.ctx, &a)) && strcmp(was.key, a.key) >= 0)
                return NG_ERR_INTERNAL; /* not sorted, or a key twice */
        }
        if (c >= 0) {
            total_then += b.udgift;
            was = b;
            if ((hb = then.next(then.ctx, &b)) && strcmp(was.key, b.key) >= 0)
                return NG_ERR_INTERNAL;
        }
    }
    out->aendring_udgift = total_now - total_then;
    /* The split must account for the whole change, to the øre. */
    if (out->aendring_udgift !=
        out->tilgang_udgift - out->afgang_udgift + out->aendring_eksisterende_udgift)
        return NG_ERR_INTERNAL;
    return NG_OK;
}

bool ng_bridge_array_next(void *ctx, ng_bridge_unit *u)
{
    ng_bridge_array *a = ctx;
    if (a->i == a->n)
        return false;
    *u = a->units[a->i++];
    return true;
}

ng_status ng_bridge_between_snapshots(const ng_bridge_unit *now, size_t nnow,
                                      const ng_bridge_unit *then, size_t nthen, ng_bridge *out)
{
    ng_bridge_array a = {now, nnow, 0}, b = {then, nthen, 0};
    ng_status st = ng_bridge_merge((ng_bridge_source){ng_bridge_array_next, &a},
                                   (ng_bridge_source){ng_bridge_array_next, &b}, out);
    if (st != NG_OK)
        memset(out, 0, sizeof *out);
    return st;
}

/* ---- publishing ----------------------------------------------------------- */

static double kr(int64_t oere)
{
    return (double)oere / 100.0;
}

/* The table `udvikling`: tilgang, afgang, the net of the two, the change in
 * the cases in both follow-ups, and the whole change as rules over them, so
 * the bilag shows how the change splits and the memo's values refer to its
 * cells. The sentence that tells it is the template's. */
static ng_table *bridge_table(const ng_bridge *b)
{
    ng_table *t = ng_table_new("udvikling", "Udviklingen siden forrige opfølgning (voksenområdet, "
                                            "sager inden for refusionsgrænsen)");
    if (!t)
        return NULL;
    int c_post = ng_table_add_column(t, "post", "", NG_UNIT_TEXT);
    int c_antal = ng_table_add_column(t, "antal", "Antal sager", NG_UNIT_ANTAL);
    int c_udgift = ng_table_add_column(t, "udgift", "Forventet årsudgift", NG_UNIT_MIO);
    /* tilgang and afgang count persons: a small flow is suppressed with its
     * money like any other small count (docs/regler.md § 13) */
    t->count_table = true;
    ng_table_set_column_persons(t, c_antal, true);
    static const char *const keys[] = {"tilgang", "afgang", "netto", "eksisterende", "i_alt"};
    static const char *const labels[] = {
        "Tilgang: nye sager (årsudgift nu)", "Afgang: afsluttede sager (årsudgift før)",
        "Tilgang netto efter afgang", "Ændring i sager, der er med begge gange", "Ændring i alt"};
    int row[5];
    for (int i = 0; i < 5; i++) {
        /* netto is a difference of two rows; eksisterende counts the cases
         * in both follow-ups (a detail row: a small count is suppressed) */
        row[i] = ng_table_add_row(t, keys[i], i == 2 ? NG_ROW_SUBTOTAL : 0);
        ng_table_set_text(t, row[i], c_post, labels[i]);
    }
    t->rows[row[4]].flags = NG_ROW_TOTAL;
    ng_table_set_num(t, row[0], c_antal, (double)b->tilgang_antal);
    ng_table_set_num(t, row[0], c_udgift, kr(b->tilgang_udgift));
    ng_table_set_num(t, row[1], c_antal, (double)b->afgang_antal);
    ng_table_set_num(t, row[1], c_udgift, kr(b->afgang_udgift));
    ng_table_set_num(t, row[3], c_antal, (double)b->eksisterende_antal);
    ng_table_set_num(t, row[3], c_udgift, kr(b->aendring_eksisterende_udgift));
    /* netto = tilgang - afgang; i alt = netto + the change in the stayers */
    ng_term net_a[] = {{row[0], c_antal, 1}, {row[1], c_antal, -1}};
    ng_term net_u[] = {{row[0], c_udgift, 1}, {row[1], c_udgift, -1}};
    ng_term tot_u[] = {{row[2], c_udgift, 1}, {row[3], c_udgift, 1}};
    ng_table_rule_linear(t, row[2], c_antal, net_a, 2);
    ng_table_rule_linear(t, row[2], c_udgift, net_u, 2);
    ng_table_rule_linear(t, row[4], c_antal, net_a, 2);
    ng_table_rule_linear(t, row[4], c_udgift, tot_u, 2);
    return t;
}

ng_status ng_bridge_publish(const ng_bridge *b, const ng_date *previous, ng_dataset *ds)
{
    if (!previous)
        return NG_OK; /* nothing to compare with: the values are absent */
    ng_dataset_set_num(ds, "forrige_opfoelgning_dato", NG_UNIT_DATO,
                       (double)ng_date_to_days(*previous));
    ng_status st = ng_dataset_add_evaluated(ds, bridge_table(b));
    if (st != NG_OK)
        return st;
    static const struct {
        const char *name, *row, *col;
    } refs[] = {
        {"tilgang_antal", "tilgang", "antal"},
        {"afgang_antal", "afgang", "antal"},
        {"tilgang_udgift", "tilgang", "udgift"},
        {"afgang_udgift", "afgang", "udgift"},
        {"aendring_tilgang_afgang_udgift", "netto", "udgift"},
        {"aendring_eksisterende_udgift", "eksisterende", "udgift"},
        {"aendring_udgift", "i_alt", "udgift"},
    };
    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++)
        ng_dataset_set_ref(ds, refs[i].name, "udvikling", refs[i].row, refs[i].col);
    return ds->status;
}
