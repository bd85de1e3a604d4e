/* cases.c -- the case store: ng_sag by sag_id (see ingest.h).
 *
 * Records live in one growing array; each holds the public ng_sag and the
 * case's first year (its twelve month sums), so finding a row's case and
 * adding its money touches the slot and the record and nothing else. A
 * second year of a case (rare) is one small allocation.
 *
 * The index is an open-addressing table of {64-bit hash, record index, where
 * the key is}: a probe compares the full hash and runs strcmp only on a real
 * match, and a prefetch finds the record and the key from the slot alone. It
 * exists while cases are added; ng_cases_finish sorts the records by sag_id
 * and drops it (a lookup is then a binary search), so it costs no memory
 * when the refusion units are made.
 *
 * Keys and interned attribute strings are packed in arenas (blocks that never
 * move), so a case costs no allocation of its own. The array grows by
 * realloc, which on Linux moves large blocks with mremap without copying;
 * only the pointer from a record to its inline year is fixed up afterwards.
 */
#include "notatgen/ingest.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define KEY_AT_UNKNOWN UINT32_MAX

enum {
    ARENA_BLOCK = 64 << 10,
    HUGE_FROM = 4 << 20, /* advise huge pages for tables from this size on */
    YEARS_INLINE = 1,    /* store_flags: years points at the record's own year */
};

typedef struct {
    ng_sag sag; /* first: a case_rec * is an ng_sag * */
    ng_sag_year year0;
} case_rec;

typedef struct {
    uint64_t hash;   /* the key's full 64-bit hash */
    uint32_t index1; /* index + 1 into items; 0 = free */
    uint32_t key_at; /* where the key is (arena_put), for prefetching; KEY_AT_UNKNOWN */
} case_slot;

/* A bump allocator of NUL-terminated strings in blocks that never move. */
typedef struct {
    char **blocks;
    size_t nblocks, cap;
    size_t used, size; /* of the last block */
} arena;

/* The interned strings: a set of pointers into an arena. */
typedef struct {
    const char **slots;
    uint64_t *hashes;
    size_t nslots, count;
} intern_set;

struct ng_cases {
    case_rec *items;
    size_t count, caps;
    case_slot *slots; /* NULL after ng_cases_finish */
    size_t nslots;    /* power of two */
    bool sorted;      /* items are in sag_id order (ng_cases_finish) */
    arena keys;
    arena strings;
    intern_set interned;
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

/* ---- hashing and arenas -------------------------------------------------- */

/* FNV-1a over the string, then a final mix so that the low bits (the slot)
 * depend on every byte. */
static uint64_t hash_key(const char *s, size_t *len)
{
    uint64_t h = 1469598103934665603ULL;
    const char *p = s;
    for (; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ULL;
    }
    *len = (size_t)(p - s);
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ULL;
    h ^= h >> 32;
    return h;
}

static void arena_free(arena *a)
{
    for (size_t i = 0; i < a->nblocks; i++)
        free(a->blocks[i]);
    free(a->blocks);
    memset(a, 0, sizeof *a);
}

/* A copy of s[0, len) with a NUL, in a block that never moves (NULL on OOM).
 * *at: its block << 16 | its offset (a block holds 64 KiB, or one longer
 * string at offset 0), so that a probe can find the key without the record. */
static char *arena_put(arena *a, const char *s, size_t len, uint32_t *at)
{
    if (!a->nblocks || a->used + len + 1 > a->size) {
        if (a->nblocks == a->cap) {
            size_t cap = a->cap ? a->cap * 2 : 16;
            char **b = realloc(a->blocks, cap * sizeof *b);
            if (!b)
                return NULL;
            a->blocks = b;
            a->cap = cap;
        }
        size_t size = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
        char *block = malloc(size);
        if (!block)
            return NULL;
        a->blocks[a->nblocks++] = block;
        a->used = 0;
        a->size = size;
    }
    char *out = a->blocks[a->nblocks - 1] + a->used;
    *at = (uint32_t)((a->nblocks - 1) << 16 | a->used);
    memcpy(out, s, len);
    out[len] = '\0';
    a->used += len + 1;
    return out;
}

/* ---- the store ------------------------------------------------------------ */

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

void ng_cases_free(ng_cases *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        if (!(c->items[i].sag.store_flags & YEARS_INLINE))
            free(c->items[i].sag.years);
    free(c->items);
    free(c->slots);
    arena_free(&c->keys);
    arena_free(&c->strings);
    free(c->interned.slots);
    free(c->interned.hashes);
    free(c);
}

size_t ng_cases_count(const ng_cases *c)
{
    return c->count;
}

const ng_sag *ng_cases_at(const ng_cases *c, size_t i)
{
    return i < c->count ? &c->items[i].sag : NULL;
}

static uint64_t slot_hash(const case_slot *s)
{
    return s->hash;
}

static case_slot *find_slot(const ng_cases *c, const char *sag_id, uint64_t hash)
{
    size_t mask = c->nslots - 1;
    size_t i = (size_t)hash & mask;
    for (;;) {
        case_slot *slot = &c->slots[i];
        if (slot->index1 == 0 ||
            (slot_hash(slot) == hash && !strcmp(c->items[slot->index1 - 1].sag.sag_id, sag_id)))
            return slot;
        i = (i + 1) & mask;
    }
}

static void fill_slot(case_slot *slot, size_t index, uint64_t hash, uint32_t key_at)
{
    slot->index1 = (uint32_t)(index + 1);
    slot->hash = hash;
    slot->key_at = key_at;
}

/* The free slot for hash in slots[0, nslots) (keys are distinct). */
static case_slot *free_slot(case_slot *slots, size_t nslots, uint64_t hash)
{
    size_t mask = nslots - 1, i = (size_t)hash & mask;
    while (slots[i].index1)
        i = (i + 1) & mask;
    return &slots[i];
}

/* The index is walked at random, a row at a time, and every page of it is
 * touched: huge pages spare the TLB a miss on nearly every row (only advice;
 * nothing depends on it). Not for the records: their array has room to
 * grow, and khugepaged would make that room resident. */
static void advise_huge(void *p, size_t size)
{
#if defined(MADV_HUGEPAGE)
    if (size < HUGE_FROM)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)p + size) & ~(page - 1);
    if (to > from)
        (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
    (void)p;
    (void)size;
#endif
}

/* A table of nslots slots for the cases: the old table's slots moved over
 * (hashes and key places kept), or, when there is none (after
 * ng_cases_finish), made from the records. */
static bool rebuild_index(ng_cases *c, size_t nslots)
{
    case_slot *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    advise_huge(slots, nslots * sizeof *slots);
    if (c->slots) {
        for (size_t i = 0; i < c->nslots; i++)
            if (c->slots[i].index1)
                *free_slot(slots, nslots, c->slots[i].hash) = c->slots[i];
    } else {
        for (size_t i = 0; i < c->count; i++) {
            size_t len;
            uint64_t h = hash_key(c->items[i].sag.sag_id, &len);
            fill_slot(free_slot(slots, nslots, h), i, h, KEY_AT_UNKNOWN);
        }
    }
    free(c->slots);
    c->slots = slots;
    c->nslots = nslots;
    return true;
}

/* After the records moved (realloc, sort): inline years point at their own
 * record again. */
static void fix_inline_years(ng_cases *c)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->items[i].sag.store_flags & YEARS_INLINE)
            c->items[i].sag.years = &c->items[i].year0;
}

static int compare_id(const void *key, const void *item)
{
    return strcmp(key, ((const case_rec *)item)->sag.sag_id);
}

const ng_sag *ng_cases_find(const ng_cases *c, const char *sag_id)
{
    if (!c->slots && c->sorted) {
        const case_rec *r = bsearch(sag_id, c->items, c->count, sizeof *c->items, compare_id);
        return r ? &r->sag : NULL;
    }
    if (!c->slots) { /* out of memory while finishing: neither index nor order */
        for (size_t i = 0; i < c->count; i++)
            if (!strcmp(c->items[i].sag.sag_id, sag_id))
                return &c->items[i].sag;
        return NULL;
    }
    size_t len;
    case_slot *slot = find_slot(c, sag_id, hash_key(sag_id, &len));
    return slot->index1 ? &c->items[slot->index1 - 1].sag : NULL;
}

static bool grow_items(ng_cases *c)
{
    size_t caps = c->caps ? c->caps * 2 : 256;
    if (caps > UINT32_MAX - 1)
        return false;
    case_rec *items = realloc(c->items, caps * sizeof *items);
    if (!items)
        return false;
    c->items = items;
    c->caps = caps;
    fix_inline_years(c);
    return true;
}

uint64_t ng_cases_hash(const char *sag_id)
{
    size_t len;
    return hash_key(sag_id, &len);
}

/* The slot the probe for hash stops at, without comparing keys: the first
 * with the same hash or a free one (only for prefetching). */
static const case_slot *probe_hash(const ng_cases *c, uint64_t hash)
{
    size_t mask = c->nslots - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask)
        if (c->slots[i].index1 == 0 || slot_hash(&c->slots[i]) == hash)
            return &c->slots[i];
}

void ng_cases_prefetch(const ng_cases *c, uint64_t hash, int stage)
{
    if (!c->slots || stage > 1)
        return; /* stage 2: the key came with the record */
    if (stage == 0) {
        __builtin_prefetch(&c->slots[(size_t)hash & (c->nslots - 1)]);
        return;
    }
    const case_slot *slot = probe_hash(c, hash);
    if (!slot->index1)
        return;
    /* the record and (found from the slot alone) its key: one wait for both */
    const case_rec *r = &c->items[slot->index1 - 1];
    __builtin_prefetch(r);
    __builtin_prefetch((const char *)r + 64);
    __builtin_prefetch((const char *)r + 128);
    uint32_t at = slot->key_at;
    if (at != KEY_AT_UNKNOWN && (at >> 16) < c->keys.nblocks)
        __builtin_prefetch(c->keys.blocks[at >> 16] + (at & 0xFFFF));
}

ng_sag *ng_cases_get_or_add(ng_cases *c, const char *sag_id)
{
    return ng_cases_get_or_add_hashed(c, sag_id, ng_cases_hash(sag_id));
}

ng_sag *ng_cases_get_or_add_hashed(ng_cases *c, const char *sag_id, uint64_t h)
{
    if (!c->slots && !rebuild_index(c, c->nslots))
        return NULL;
    c->sorted = false;
    case_slot *slot = find_slot(c, sag_id, h);
    if (slot->index1)
        return &c->items[slot->index1 - 1].sag;
    /* keep the load factor under one half */
    if ((c->count + 1) * 2 > c->nslots) {
        if (!rebuild_index(c, c->nslots * 2))
            return NULL;
        slot = find_slot(c, sag_id, h);
    }
    if (c->count == c->caps && !grow_items(c))
        return NULL;
    uint32_t key_at;
    const char *key = arena_put(&c->keys, sag_id, strlen(sag_id), &key_at);
    if (!key)
        return NULL;
    case_rec *r = &c->items[c->count];
    memset(r, 0, sizeof *r);
    r->sag.sag_id = key;
    fill_slot(slot, c->count++, h, key_at);
    return &r->sag;
}

ng_sag_year *ng_sag_year_get_or_add(ng_sag *s, int aar)
{
    if (s->nyears == 0) {
        case_rec *r = (case_rec *)s; /* every ng_sag the store hands out is a record */
        memset(&r->year0, 0, sizeof r->year0);
        r->year0.aar = aar;
        s->years = &r->year0;
        s->nyears = 1;
        s->store_flags |= YEARS_INLINE;
        return s->years;
    }
    unsigned i = 0;
    while (i < s->nyears && s->years[i].aar < aar)
        i++;
    if (i < s->nyears && s->years[i].aar == aar)
        return &s->years[i];
    /* a second year: all of them move to an array of their own */
    if (s->nyears == UINT8_MAX)
        return NULL;
    ng_sag_year *years = malloc((s->nyears + 1) * sizeof *years);
    if (!years)
        return NULL;
    memcpy(years, s->years, i * sizeof *years);
    memcpy(years + i + 1, s->years + i, (s->nyears - i) * sizeof *years);
    memset(&years[i], 0, sizeof *years);
    years[i].aar = aar;
    if (!(s->store_flags & YEARS_INLINE))
        free(s->years);
    s->store_flags &= (uint8_t)~YEARS_INLINE;
    s->years = years;
    s->nyears++;
    return &years[i];
}

/* ---- sorting ------------------------------------------------------------- */

/* A record's place in the sort: the key's first 8 bytes big-endian (so that
 * comparing them compares the strings' starts), then the key itself. */
typedef struct {
    uint64_t prefix;
    uint32_t index;
} sort_item;

static uint64_t key_prefix(const char *s)
{
    uint64_t v = 0;
    int i = 0;
    for (; i < 8 && s[i]; i++)
        v = v << 8 | (unsigned char)s[i];
    return v << (8 * (8 - i));
}

static int compare_items(const ng_cases *c, const sort_item *x, const sort_item *y)
{
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    return strcmp(c->items[x->index].sag.sag_id, c->items[y->index].sag.sag_id);
}

static void swap_items(sort_item *a, sort_item *b)
{
    sort_item t = *a;
    *a = *b;
    *b = t;
}

/* Sorts v[0, n) in place: quicksort (median of three, the smaller side
 * first, so the stack stays shallow) and insertion sort for short runs.
 * In place on purpose: glibc's qsort takes a scratch copy of the array,
 * 13 MB more at the peak of a 10^7-row extract. Keys are distinct. */
static void sort_items(const ng_cases *c, sort_item *v, size_t n)
{
    while (n > 16) {
        size_t mid = n / 2;
        if (compare_items(c, &v[mid], &v[0]) < 0)
            swap_items(&v[mid], &v[0]);
        if (compare_items(c, &v[n - 1], &v[0]) < 0)
            swap_items(&v[n - 1], &v[0]);
        if (compare_items(c, &v[n - 1], &v[mid]) < 0)
            swap_items(&v[n - 1], &v[mid]);
        sort_item pivot = v[mid];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (compare_items(c, &v[i], &pivot) < 0)
                i++;
            while (compare_items(c, &pivot, &v[j]) < 0)
                j--;
            if (i >= j)
                break;
            swap_items(&v[i++], &v[j--]);
        }
        size_t left = j + 1; /* v[0, left) <= pivot <= v[left, n) */
        if (left < n - left) {
            sort_items(c, v, left);
            v += left;
            n -= left;
        } else {
            sort_items(c, v + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && compare_items(c, &v[k], &v[k - 1]) < 0; k--)
            swap_items(&v[k], &v[k - 1]);
}

/* Puts the records in the order of order[] (order[k] = the index of the
 * record that goes to k), moving each record once (cycle by cycle). */
static void apply_order(ng_cases *c, sort_item *order)
{
    for (size_t k = 0; k < c->count; k++) {
        if (order[k].index == k)
            continue;
        case_rec held = c->items[k];
        size_t at = k;
        for (;;) {
            size_t from = order[at].index;
            order[at].index = (uint32_t)at;
            if (from == k) {
                c->items[at] = held;
                break;
            }
            c->items[at] = c->items[from];
            at = from;
        }
    }
}

void ng_cases_finish(ng_cases *c)
{
    /* sorted, a lookup is a binary search: the index's memory is free before
     * the sort and for what comes next (the refusion units) */
    free(c->slots);
    c->slots = NULL;
    bool sorted = true;
    for (size_t i = 1; i < c->count && sorted; i++)
        sorted = strcmp(c->items[i - 1].sag.sag_id, c->items[i].sag.sag_id) < 0;
    c->sorted = sorted;
    if (sorted)
        return;
    sort_item *order = malloc(c->count * sizeof *order);
    if (!order) {
        /* out of memory: the insertion order stays, and lookups need the
         * index again (rebuilt when possible) */
        rebuild_index(c, c->nslots);
        return;
    }
    for (size_t i = 0; i < c->count; i++)
        order[i] = (sort_item){key_prefix(c->items[i].sag.sag_id), (uint32_t)i};
    sort_items(c, order, c->count);
    apply_order(c, order);
    free(order);
    fix_inline_years(c);
    c->sorted = true;
}

/* ---- interned strings ------------------------------------------------------ */

static bool intern_grow(intern_set *t)
{
    size_t nslots = t->nslots ? t->nslots * 2 : 64;
    const char **slots = calloc(nslots, sizeof *slots);
    uint64_t *hashes = calloc(nslots, sizeof *hashes);
    if (!slots || !hashes) {
        free(slots);
        free(hashes);
        return false;
    }
    for (size_t i = 0; i < t->nslots; i++) {
        if (!t->slots[i])
            continue;
        size_t j = t->hashes[i] & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = t->slots[i];
        hashes[j] = t->hashes[i];
    }
    free(t->slots);
    free(t->hashes);
    t->slots = slots;
    t->hashes = hashes;
    t->nslots = nslots;
    return true;
}

const char *ng_cases_intern(ng_cases *c, const char *s)
{
    intern_set *t = &c->interned;
    if ((t->count + 1) * 2 > t->nslots && !intern_grow(t))
        return NULL;
    size_t len;
    uint64_t h = hash_key(s, &len);
    size_t mask = t->nslots - 1, j = h & mask;
    for (; t->slots[j]; j = (j + 1) & mask)
        if (t->hashes[j] == h && !strcmp(t->slots[j], s))
            return t->slots[j];
    uint32_t at;
    char *copy = arena_put(&c->strings, s, len, &at);
    if (!copy)
        return NULL;
    t->slots[j] = copy;
    t->hashes[j] = h;
    t->count++;
    return copy;
}

ng_status ng_cases_set_string(ng_cases *c, const char **field, const char *value)
{
    const char *v = value ? ng_cases_intern(c, value) : NULL;
    if (value && !v)
        return NG_ERR_NOMEM;
    *field = v;
    return NG_OK;
}

/* ---- reading a case -------------------------------------------------------- */

const ng_sag_year *ng_sag_year_get(const ng_sag *s, int aar)
{
    for (unsigned i = 0; i < s->nyears; i++)
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
