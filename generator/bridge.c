/* bridge.c -- what changed since the last follow-up (see bridge.h). */
#include "bridge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/strbuf.h"

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

/* ---- the sentence --------------------------------------------------------- */

/* "1 sag", "2 sager" */
static const char *sager(char *buf, size_t size, long n)
{
    snprintf(buf, size, "%ld %s", n, n == 1 ? "sag" : "sager");
    return buf;
}

static const char *mio(char *buf, size_t size, int64_t oere)
{
    return ng_fmt_mio(buf, size, (double)oere / 100.0);
}

/* Half a tenth of a million kr. in øre: below it a change shows as 0,0. */
enum { ROUNDS_TO_ZERO_OERE = 5000000 };

static int64_t abs64(int64_t v)
{
    return v < 0 ? -v : v;
}

static void sentence_cases(ng_strbuf *t, const ng_bridge *b, const char *date)
{
    char n1[32], n2[32];
    ng_strbuf_addf(t, "På voksenområdet har der siden sidste opfølgning den %s ", date);
    if (b->tilgang_antal > 0 && b->afgang_antal > 0)
        ng_strbuf_addf(t,
                       "været en tilgang på %s inden for refusionsgrænsen. "
                       "Samtidig har der været en afgang på %s.",
                       sager(n1, sizeof n1, b->tilgang_antal),
                       sager(n2, sizeof n2, b->afgang_antal));
    else if (b->tilgang_antal > 0)
        ng_strbuf_addf(t,
                       "været en tilgang på %s inden for refusionsgrænsen. "
                       "Der har ikke været nogen afgang.",
                       sager(n1, sizeof n1, b->tilgang_antal));
    else if (b->afgang_antal > 0)
        ng_strbuf_addf(t,
                       "ikke været nogen tilgang af sager inden for refusionsgrænsen. "
                       "Der har været en afgang på %s.",
                       sager(n1, sizeof n1, b->afgang_antal));
    else
        ng_strbuf_addf(t,
                       "hverken været tilgang eller afgang af sager inden for refusionsgrænsen.");
}

/* What the net of new and ended cases is called in the sentence. */
static const char *net_phrase(const ng_bridge *b)
{
    if (b->tilgang_antal > 0 && b->afgang_antal > 0)
        return "tilgang af nye sager (netto efter afgang)";
    if (b->tilgang_antal > 0)
        return "tilgang af nye sager";
    if (b->afgang_antal > 0)
        return "afgang af sager";
    return NULL;
}

static void sentence_spend(ng_strbuf *t, const ng_bridge *b)
{
    char total[32], net[32], stay[32];
    const char *phrase = net_phrase(b);
    int64_t net_oere = b->tilgang_udgift - b->afgang_udgift;
    int64_t stay_oere = b->aendring_eksisterende_udgift;
    if (abs64(b->aendring_udgift) < ROUNDS_TO_ZERO_OERE) {
        ng_strbuf_addf(t, " Udgifterne er samlet set stort set uændrede siden sidste opfølgning.");
        if (phrase &&
            (abs64(net_oere) >= ROUNDS_TO_ZERO_OERE || abs64(stay_oere) >= ROUNDS_TO_ZERO_OERE))
            ng_strbuf_addf(t,
                           " Heraf vedrører %s mio. kr. %s og %s mio. kr. ændringer i borgernes "
                           "indskrivning.",
                           mio(net, sizeof net, net_oere), phrase,
                           mio(stay, sizeof stay, stay_oere));
        return;
    }
    /* Amounts are told in the direction of the total change. */
    int sign = b->aendring_udgift > 0 ? 1 : -1;
    ng_strbuf_addf(t, " Der har været %s i udgifterne på ca. %s mio. kr. siden sidste opfølgning",
                   sign > 0 ? "en stigning" : "et fald",
                   mio(total, sizeof total, abs64(b->aendring_udgift)));
    mio(net, sizeof net, sign * net_oere);
    mio(stay, sizeof stay, sign * stay_oere);
    if (phrase && stay_oere != 0)
        ng_strbuf_addf(
            t,
            ", hvoraf %s mio. kr. vedrører %s og %s mio. kr. vedrører ændringer i borgernes "
            "indskrivning.",
            net, phrase, stay);
    else if (phrase)
        ng_strbuf_addf(t, ", som vedrører %s.", phrase);
    else
        ng_strbuf_addf(t, ", som vedrører ændringer i borgernes indskrivning.");
}

char *ng_bridge_sentence(const ng_bridge *b, const ng_date *previous)
{
    if (!previous)
        return strdup("Der er ingen tidligere opfølgning at sammenligne med.");
    ng_strbuf t = {0};
    char date[64];
    ng_fmt_date_long(date, sizeof date, *previous);
    sentence_cases(&t, b, date);
    sentence_spend(&t, b);
    return ng_strbuf_take(&t);
}

/* ---- publishing ----------------------------------------------------------- */

ng_status ng_bridge_publish(const ng_bridge *b, const ng_date *previous, ng_dataset *ds)
{
    ng_status st = NG_OK;
    char *sentence = NULL;
    if (previous)
        st = ng_dataset_set_num(ds, "forrige_opfoelgning_dato", NG_UNIT_DATO,
                                (double)ng_date_to_days(*previous),
                                "Datoen for den forrige opfølgning (udtræk)");
    else
        st = ng_dataset_set_text(ds, "forrige_opfoelgning_dato", "",
                                 "Datoen for den forrige opfølgning (tom: ingen)");
    if (st != NG_OK)
        goto cleanup;
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
            goto cleanup;
    }
    sentence = ng_bridge_sentence(b, previous);
    if (!sentence) {
        st = NG_ERR_NOMEM;
        goto cleanup;
    }
    st = ng_dataset_set_text(ds, "udvikling_saetning", sentence,
                             "Udviklingen siden sidste opfølgning i en sætning");
cleanup:
    free(sentence);
    return st;
}
