/* bridge.c -- what changed since the last follow-up (see bridge.h). */
#include "bridge.h"

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

static int64_t units_total(const ng_bridge_unit *u, size_t n)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += u[i].udgift;
    return sum;
}

/* Keys strictly increasing: sorted and unique, as the merge needs. */
static bool strictly_sorted(const ng_bridge_unit *u, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (strcmp(u[i - 1].key, u[i].key) >= 0)
            return false;
    return true;
}

ng_status ng_bridge_between_snapshots(const ng_bridge_unit *now, size_t nnow,
                                      const ng_bridge_unit *then, size_t nthen, ng_bridge *out)
{
    memset(out, 0, sizeof *out);
    if (!strictly_sorted(now, nnow) || !strictly_sorted(then, nthen))
        return NG_ERR_INTERNAL;
    size_t i = 0, j = 0;
    while (i < nnow || j < nthen) {
        int c = i == nnow ? 1 : j == nthen ? -1 : strcmp(now[i].key, then[j].key);
        if (c < 0) {
            out->tilgang_antal++;
            out->tilgang_udgift += now[i++].udgift;
        } else if (c > 0) {
            out->afgang_antal++;
            out->afgang_udgift += then[j++].udgift;
        } else {
            out->eksisterende_antal++;
            out->aendring_eksisterende_udgift += now[i++].udgift - then[j++].udgift;
        }
    }
    out->aendring_udgift = units_total(now, nnow) - units_total(then, nthen);
    /* The split must account for the whole change, to the øre. */
    if (out->aendring_udgift !=
        out->tilgang_udgift - out->afgang_udgift + out->aendring_eksisterende_udgift)
        return NG_ERR_INTERNAL;
    return NG_OK;
}

/* ---- publishing ----------------------------------------------------------- */

ng_status ng_bridge_publish(const ng_bridge *b, const ng_date *previous, ng_dataset *ds)
{
    ng_status st = NG_OK;
    if (previous)
        st = ng_dataset_set_num(ds, "forrige_opfoelgning_dato", NG_UNIT_DATO,
                                (double)ng_date_to_days(*previous),
                                "Datoen for den forrige opfølgning (udtræk)");
    else
        st = ng_dataset_set_text(ds, "forrige_opfoelgning_dato", "",
                                 "Datoen for den forrige opfølgning (tom: ingen)");
    if (st != NG_OK)
        return st;
    struct {
        const char *name;
        ng_unit unit;
        double v;
        const char *description;
    } values[] = {
        {"tilgang_antal", NG_UNIT_ANTAL, (double)b->tilgang_antal,
         "Nye voksensager inden for refusionsgrænsen siden forrige opfølgning"},
        {"afgang_antal", NG_UNIT_ANTAL, (double)b->afgang_antal,
         "Voksensager inden for refusionsgrænsen ved forrige opfølgning, som ikke er med nu"},
        {"tilgang_udgift", NG_UNIT_KR, (double)b->tilgang_udgift / 100.0,
         "De nye sagers forventede årsudgift nu"},
        {"afgang_udgift", NG_UNIT_KR, (double)b->afgang_udgift / 100.0,
         "De afgåede sagers forventede årsudgift ved forrige opfølgning"},
        {"aendring_tilgang_afgang_udgift", NG_UNIT_KR,
         (double)(b->tilgang_udgift - b->afgang_udgift) / 100.0,
         "Ændring i udgiften fra tilgang og afgang (de nye sagers udgift minus de afgåedes)"},
        {"aendring_eksisterende_udgift", NG_UNIT_KR,
         (double)b->aendring_eksisterende_udgift / 100.0,
         "Ændring i udgiften til sager, der er med i begge opfølgninger"},
        {"aendring_udgift", NG_UNIT_KR, (double)b->aendring_udgift / 100.0,
         "Samlet ændring i udgiften siden forrige opfølgning"},
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        st = ng_dataset_set_num(ds, values[i].name, values[i].unit, values[i].v,
                                values[i].description);
        if (st != NG_OK)
            return st;
    }
    return NG_OK;
}
