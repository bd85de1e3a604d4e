/* cases.c -- the case store: ng_sag by sag_id (see ingest.h).
 *
 * Cases live in one growing array; an open-addressing hash of indexes finds
 * them by sag_id. Memory grows with the number of cases, never with rows.
 */
#include "notatgen/ingest.h"

#include <stdlib.h>
#include <string.h>

/* A slot of the index. The tag (high bits of the key's hash) lets a probe
 * skip a non-matching case without touching it: on a 10^7-row extract the
 * strcmp through items[] was a third of the ingest's time. */
typedef struct {
    uint32_t index1; /* index + 1 into items; 0 = free */
    uint32_t tag;
} case_slot;

struct ng_cases {
    ng_sag *items;
    size_t count, caps;
    case_slot *slots;
    size_t nslots; /* power of two */
};

static const char *const omraade_keys[NG_OMR_COUNT] = {"voksen", "boern", "aeldre"};
static const char *const omraade_labels[NG_OMR_COUNT] = {"Voksne", "Børn og unge", "Ældre"};

const char *ng_omraade_key(ng_omraade o)
{
    return o >= 0 && o < NG_OMR_COUNT ? omraade_keys[o] : "?";
}

const char *ng_omraade_label(ng_omraade o)
{
    return o >= 0 && o < NG_OMR_COUNT ? omraade_labels[o] : "?";
}

/* FNV-1a */
static size_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

ng_cases *ng_cases_new(void)
{
    ng_cases *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->nslots = 1024;
    c->slots = calloc(c->nslots, sizeof *c->slots);
    if (!c->slots) {
        free(c);
        return NULL;
    }
    return c;
}

static void free_sag(ng_sag *s)
{
    free(s->sag_id);
    free(s->husstand);
    free(s->maalgruppe);
    free(s->leverandoertype);
    free(s->kommune);
    free(s->years);
}

void ng_cases_free(ng_cases *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        free_sag(&c->items[i]);
    free(c->items);
    free(c->slots);
    free(c);
}

size_t ng_cases_count(const ng_cases *c)
{
    return c->count;
}

const ng_sag *ng_cases_at(const ng_cases *c, size_t i)
{
    return i < c->count ? &c->items[i] : NULL;
}

static case_slot *find_slot(const ng_cases *c, const char *sag_id, size_t hash)
{
    size_t mask = c->nslots - 1;
    size_t i = hash & mask;
    uint32_t tag = (uint32_t)((uint64_t)hash >> 32);
    for (;;) {
        case_slot *slot = &c->slots[i];
        if (slot->index1 == 0 ||
            (slot->tag == tag && !strcmp(c->items[slot->index1 - 1].sag_id, sag_id)))
            return slot;
        i = (i + 1) & mask;
    }
}

static void fill_slot(case_slot *slot, size_t index, size_t hash)
{
    slot->index1 = (uint32_t)(index + 1);
    slot->tag = (uint32_t)((uint64_t)hash >> 32);
}

static bool rebuild_index(ng_cases *c, size_t nslots)
{
    case_slot *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    free(c->slots);
    c->slots = slots;
    c->nslots = nslots;
    for (size_t i = 0; i < c->count; i++) {
        size_t h = hash_key(c->items[i].sag_id);
        fill_slot(find_slot(c, c->items[i].sag_id, h), i, h);
    }
    return true;
}

const ng_sag *ng_cases_find(const ng_cases *c, const char *sag_id)
{
    case_slot *slot = find_slot(c, sag_id, hash_key(sag_id));
    return slot->index1 ? &c->items[slot->index1 - 1] : NULL;
}

ng_sag *ng_cases_get_or_add(ng_cases *c, const char *sag_id)
{
    size_t h = hash_key(sag_id);
    case_slot *slot = find_slot(c, sag_id, h);
    if (slot->index1)
        return &c->items[slot->index1 - 1];
    /* keep the load factor under one half */
    if ((c->count + 1) * 2 > c->nslots) {
        if (!rebuild_index(c, c->nslots * 2))
            return NULL;
        slot = find_slot(c, sag_id, h);
    }
    if (c->count == c->caps) {
        size_t caps = c->caps ? c->caps * 2 : 256;
        ng_sag *items = realloc(c->items, caps * sizeof *items);
        if (!items)
            return NULL;
        c->items = items;
        c->caps = caps;
    }
    ng_sag *s = &c->items[c->count];
    memset(s, 0, sizeof *s);
    s->sag_id = strdup(sag_id);
    if (!s->sag_id)
        return NULL;
    fill_slot(slot, c->count++, h);
    return s;
}

ng_sag_year *ng_sag_year_get_or_add(ng_sag *s, int aar)
{
    size_t i = 0;
    while (i < s->nyears && s->years[i].aar < aar)
        i++;
    if (i < s->nyears && s->years[i].aar == aar)
        return &s->years[i];
    ng_sag_year *years = realloc(s->years, (s->nyears + 1) * sizeof *years);
    if (!years)
        return NULL;
    s->years = years;
    memmove(&years[i + 1], &years[i], (s->nyears - i) * sizeof *years);
    memset(&years[i], 0, sizeof *years);
    years[i].aar = aar;
    s->nyears++;
    return &years[i];
}

static int compare_sag(const void *a, const void *b)
{
    return strcmp(((const ng_sag *)a)->sag_id, ((const ng_sag *)b)->sag_id);
}

void ng_cases_finish(ng_cases *c)
{
    if (c->count > 1)
        qsort(c->items, c->count, sizeof *c->items, compare_sag);
    rebuild_index(c, c->nslots); /* on failure the old index is kept: find stays wrong */
}

ng_status ng_sag_set_string(char **field, const char *value)
{
    char *copy = value ? strdup(value) : NULL;
    if (value && !copy)
        return NG_ERR_NOMEM;
    free(*field);
    *field = copy;
    return NG_OK;
}

const ng_sag_year *ng_sag_year_get(const ng_sag *s, int aar)
{
    for (size_t i = 0; i < s->nyears; i++)
        if (s->years[i].aar == aar)
            return &s->years[i];
    return NULL;
}

int64_t ng_sag_year_spend(const ng_sag *s, int aar)
{
    const ng_sag_year *y = ng_sag_year_get(s, aar);
    if (!y)
        return 0;
    int64_t sum = 0;
    for (int m = 0; m < 12; m++)
        sum += y->m12[m];
    return sum / 12;
}
