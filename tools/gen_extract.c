/*
 * gen_extract.c -- deterministic generator of synthetic cost extracts
 * ("udtræk") shaped like a Danish case system's export: Windows-1252 (or
 * UTF-8 with BOM), ';' between fields, decimal comma with thousands dots,
 * dd-mm-yyyy dates, CRLF line ends, a CPR column the program must ignore.
 *
 *   gen_extract --example OUTDIR     sager_2025-09-30.csv and sager_2025-10-31.csv
 *   gen_extract --snapshots OUTDIR   eight compact monthly snapshots 2025-02 .. 2025-10
 *   gen_extract --rows N [--utf8] [--bad K] [--shuffle] OUT   a large extract for benchmarks
 *   gen_extract --kommune KODE [--sager N] OUT    one municipality's extract for the
 *                                                 comparison across municipalities
 *
 * The example and the snapshots come from one model of persons whose expected
 * 2025 spend per snapshot reproduces seed 003's follow-up table
 * (../shared/reference/refusion_monthly_2025.csv) exactly, tier by tier, and
 * whose September -> October change is the seed's: 2 new cases (2,0 mio. kr.),
 * 1 ended case (1,3 mio. kr.), +0,3 mio. kr. in the remaining cases.
 *
 * Everything is synthetic and reproducible: one splitmix64 stream with a fixed
 * seed, never rand() or the clock. The CPR-like values are made up (valid
 * dates, random serials) and exist only to prove that the program ignores
 * them. Self-contained on purpose: the tool must not change when the
 * program's formatting code changes, or the committed example would drift.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- deterministic random numbers (splitmix64) ------------------------- */

typedef struct {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [lo, hi], both inclusive. */
static int64_t rng_range(rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* ---- buffered output in the file's encoding ---------------------------- */

#define SINK_CAP (1u << 20)

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
    bool utf8;   /* else Windows-1252 */
    bool failed; /* a write failed or a character has no cp1252 byte */
} sink;

static void sink_flush(sink *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
        o->failed = true;
    o->len = 0;
}

static void sink_put(sink *o, const char *s, size_t n)
{
    if (o->len + n > SINK_CAP)
        sink_flush(o);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* One Unicode code point -> its Windows-1252 byte, or -1. Only the
 * characters this tool writes need to be here. */
static int cp1252_byte(uint32_t cp)
{
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
        return (int)cp;
    switch (cp) {
    case 0x20AC:
        return 0x80; /* € */
    case 0x2013:
        return 0x96; /* – */
    case 0x2014:
        return 0x97; /* — */
    case 0x201C:
        return 0x93; /* “ */
    case 0x201D:
        return 0x94; /* ” */
    default:
        return -1;
    }
}

/* Copies UTF-8 text into out in the sink's encoding; returns the length, or
 * (size_t)-1 when a character cannot be encoded. out holds >= strlen(s). */
static size_t encode_text(const char *s, bool utf8, char *out)
{
    size_t n = 0;
    if (utf8) {
        n = strlen(s);
        memcpy(out, s, n);
        return n;
    }
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int extra;
        if (*p < 0x80) {
            cp = *p;
            extra = 0;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1F;
            extra = 1;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0F;
            extra = 2;
        } else {
            return (size_t)-1;
        }
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return (size_t)-1;
            cp = (cp << 6) | (*p & 0x3F);
        }
        int b = cp1252_byte(cp);
        if (b < 0)
            return (size_t)-1;
        out[n++] = (char)b;
    }
    return n;
}

/* Appends one field (UTF-8 text) to a line buffer in the sink's encoding,
 * quoted as a CSV export quotes it when it holds ';' or '"'. */
static size_t put_field(char *dst, const char *value, bool utf8, bool *bad)
{
    bool quote = strpbrk(value, ";\"\r\n") != NULL;
    size_t n = 0;
    char enc[512];
    size_t len = strlen(value) < sizeof enc ? encode_text(value, utf8, enc) : (size_t)-1;
    if (len == (size_t)-1) {
        *bad = true;
        return 0;
    }
    if (quote)
        dst[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (enc[i] == '"')
            dst[n++] = '"';
        dst[n++] = enc[i];
    }
    if (quote)
        dst[n++] = '"';
    return n;
}

/* ---- Danish number and date formatting, by hand (no locale) ------------ */

/* øre -> "1.234.567,89" / "-12.345,00" */
static size_t fmt_amount(char *dst, int64_t oere)
{
    char tmp[40];
    size_t n = 0;
    bool neg = oere < 0;
    uint64_t v = neg ? (uint64_t)0 - (uint64_t)oere : (uint64_t)oere;
    uint64_t kr = v / 100;
    unsigned ore = (unsigned)(v % 100);
    tmp[n++] = (char)('0' + ore % 10);
    tmp[n++] = (char)('0' + ore / 10);
    tmp[n++] = ',';
    int group = 0;
    do {
        if (group == 3) {
            tmp[n++] = '.';
            group = 0;
        }
        tmp[n++] = (char)('0' + kr % 10);
        kr /= 10;
        group++;
    } while (kr);
    if (neg)
        tmp[n++] = '-';
    for (size_t i = 0; i < n; i++)
        dst[i] = tmp[n - 1 - i];
    return n;
}

static size_t fmt_uint(char *dst, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        dst[i] = tmp[n - 1 - i];
    return n;
}

/* "31-10-2025" or "31.10.2025" */
static size_t fmt_date(char *dst, int y, int m, int d, char sep)
{
    dst[0] = (char)('0' + d / 10);
    dst[1] = (char)('0' + d % 10);
    dst[2] = sep;
    dst[3] = (char)('0' + m / 10);
    dst[4] = (char)('0' + m % 10);
    dst[5] = sep;
    fmt_uint(dst + 6, (uint64_t)y);
    return 10;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* ---- vocabulary of the synthetic case system --------------------------- */

static const char header_line[] =
    "Sags-ID;CPR-nr;År;Bogføringsdato;Beløb;Område;Fødselsår;Før 67;Husstand;"
    "Engangsudgift;Målgruppe;Leverandørtype;Tilbud;Paragraf;Kommunekode";

enum { OMR_VOKSEN, OMR_BOERN, OMR_AELDRE };
static const char *const omraade_name[] = {"Voksen", "Børn", "Ældre"};
static const char *const foer67_name[] = {"", "ja", "nej"};

static const char *const maalgruppe_voksen[] = {
    "udviklingshæmning",
    "udviklingshæmning",
    "udviklingshæmning",
    "autisme",
    "autisme",
    "sindslidelse",
    "sindslidelse",
    "hjerneskade",
    "fysisk handicap",
    "misbrug",
    "",
};
static const char *const maalgruppe_boern[] = {"autisme", "udviklingshæmning",
                                               "adfærdsvanskeligheder", "sindslidelse"};
static const char *const maalgruppe_aeldre[] = {"udviklingshæmning", "hjerneskade", "sindslidelse",
                                                "fysisk handicap"};

typedef struct {
    const char *name;
    const char *leverandoer;
} tilbud_def;

static const tilbud_def tilbud_voksen[] = {
    {"Bofællesskabet Søndergården", "kommunal"},
    {"Botilbuddet Ålykke", "kommunal"},
    {"Randers Bosted Æblehaven", "kommunal"},
    {"Høskoven Bo- og Dagtilbud", "kommunal"},
    {"Skovbrynet Socialpsykiatri", "kommunal"},
    {"Specialcenter Østjylland; afd. Ålum", "regional"},
    {"Region Midtjylland – Bostedet Hedegården", "regional"},
    {"Center for Hjerneskade Øst", "regional"},
    {"Opholdsstedet \"Solstrålen\" ApS", "privat"},
    {"Privat botilbud \"Kærhuset\"; Hadsten", "privat"},
    {"Autismecenter Gudenå", "privat"},
    {"Opholdsstedet Bækgården I/S", "privat"},
};
static const tilbud_def tilbud_boern[] = {
    {"Døgninstitutionen Lærkereden", "kommunal"},
    {"Familiehuset Åbo", "kommunal"},
    {"Specialbørnehjemmet \"Mågen\"", "regional"},
    {"Opholdsstedet Fjordglimt; Mariager", "privat"},
};
static const tilbud_def tilbud_aeldre[] = {
    {"Plejecenter Søhøjlandet", "kommunal"},
    {"Demensbo Kildegården", "kommunal"},
    {"Bostedet Åstrup – ældreafsnit", "regional"},
};
/* Short provider names for the benchmark rows, so that a row is ~90-100
 * bytes as in a real export; some quoted, as the long list's. */
static const tilbud_def tilbud_bench[] = {
    {"Ågården", "kommunal"},      {"Bækhuset", "kommunal"},     {"Søhøj", "kommunal"},
    {"Æblehaven", "kommunal"},    {"Ålum; afd. 2", "regional"}, {"Hedegården", "regional"},
    {"\"Solstrålen\"", "privat"}, {"Kærhuset", "privat"},       {"Gudenå", "privat"},
};
static const char *const paragraf_voksen[] = {"§ 108", "§ 108", "§ 107", "§ 107",
                                              "§ 85",  "§ 103", "§ 104"};
static const char *const paragraf_boern[] = {"§ 52", "§ 52", "§ 76"};
static const char *const paragraf_aeldre[] = {"§ 108", "§ 83"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define KOMMUNEKODE 730
#define AAR 2025

/* ---- the model: persons and their expected 2025 spend per snapshot ------ */

enum { NSNAP = 8, SNAP_SEP = 6, SNAP_OKT = 7, NTIER = 3 };

/* Seed 003's follow-ups (refusion_monthly_2025.csv), in kr. The e2e test
 * checks the generated files against the CSV itself, not against this copy. */
static const struct {
    int month, day;
    int count[NTIER];
    int64_t sum[NTIER];
} snapshot_def[NSNAP] = {
    {2, 28, {179, 35, 26}, {221700000, 70900000, 89500000}},
    {3, 31, {183, 35, 28}, {227700000, 70400000, 96400000}},
    {4, 30, {180, 40, 29}, {227800000, 80600000, 99000000}},
    {5, 31, {180, 35, 34}, {229400000, 70700000, 112800000}},
    {6, 30, {176, 35, 36}, {223400000, 71000000, 118200000}},
    {7, 31, {171, 35, 37}, {217300000, 70700000, 122400000}},
    {9, 30, {168, 39, 32}, {213100000, 78800000, 109300000}},
    {10, 31, {169, 39, 32}, {214100000, 79200000, 108900000}},
};

/* Values a tier's case may take (kr.), kept well inside the 2025 thresholds
 * T1 940.000, T2 1.840.000, T3 2.330.000 so that no rounding decides a tier. */
static const int64_t tier_lo[NTIER] = {960000, 1860000, 2360000};
static const int64_t tier_hi[NTIER] = {1820000, 2310000, 6500000};

/* The seed's September -> October story. */
#define ENDED_SLOT 57                               /* tier-25 case that ends after September */
#define ENDED_KR 1300000                            /* its spend in September */
static const int64_t new_kr[2] = {980400, 1019600}; /* 2 new tier-25 cases, 2,0 mio. */
static const int64_t change_t25[] = {120000, 85000, -40000, 95000, 60000, -20000}; /* +0,3 */
static const int64_t change_t50[] = {150000, 130000, 80000, 40000};                /* +0,4 */
static const int64_t change_t75[] = {-250000, -180000, 30000};                     /* -0,4 */

enum { PAT_MONTHLY, PAT_UNEVEN, PAT_START, PAT_YEARLY };

typedef struct {
    uint32_t sag_id;
    char cpr[12];
    int omraade, foedselsaar, foer67;
    char husstand[12];
    const char *maalgruppe, *paragraf;
    const tilbud_def *tilbud;
    int pattern;     /* shape of the 2025 lines */
    int start_month; /* PAT_START: first month; PAT_UNEVEN: month of the tariff change */
    int factor10;    /* PAT_UNEVEN: new tariff in tenths of the old */
    int day;         /* booking day of the monthly lines */
    bool oneoff, correction, addon;
    uint64_t seed;     /* of the person's line amounts */
    int64_t kr[NSNAP]; /* expected 2025 spend (kr.) per snapshot; 0 = not in it */
    int64_t kr2024;    /* 2024 spend (kr.); 0 = no 2024 lines */
} person;

typedef struct {
    person *v;
    size_t n, cap;
    rng r;
} model;

/* Pseudonymous 6-digit case numbers: a bijection of the index (a 4-round
 * Feistel permutation of 20 bits, walked until it lands below 900.000), so
 * that neither the order nor the spacing of the numbers says anything about
 * the order of creation. */
static uint32_t sag_id_of(size_t index)
{
    uint32_t x = (uint32_t)index;
    do {
        uint32_t left = x >> 10, right = x & 0x3FF;
        for (uint32_t round = 0; round < 4; round++) {
            rng f = {((uint64_t)round << 32) | right};
            uint32_t next = left ^ (uint32_t)(rng_next(&f) & 0x3FF);
            left = right;
            right = next;
        }
        x = (left << 10) | right;
    } while (x >= 900000);
    return 100000 + x;
}

/* DDMMYY-NNNN with a valid birth date in the given year; the serial's first
 * digit follows the CPR century rule (0-3 for 1900-1999, 4 for 2000-2036). */
static void make_cpr(rng *r, int year, char out[12])
{
    int m = (int)rng_range(r, 1, 12);
    int d = (int)rng_range(r, 1, days_in_month(year, m));
    int first = year >= 2000 ? 4 : (int)rng_range(r, 0, 3);
    int rest = (int)rng_range(r, 0, 999);
    int y2 = year % 100;
    const int digits[10] = {d / 10,  d % 10, m / 10,     m % 10,         y2 / 10,
                            y2 % 10, first,  rest / 100, rest / 10 % 10, rest % 10};
    for (int i = 0, k = 0; i < 11; i++)
        out[i] = i == 6 ? '-' : (char)('0' + digits[k++]);
    out[11] = '\0';
}

static person *new_person(model *md, int omraade)
{
    if (md->n == md->cap) {
        size_t cap = md->cap ? md->cap * 2 : 512;
        person *v = realloc(md->v, cap * sizeof *v);
        if (!v)
            return NULL;
        md->v = v;
        md->cap = cap;
    }
    rng *r = &md->r;
    person *p = &md->v[md->n];
    memset(p, 0, sizeof *p);
    p->sag_id = sag_id_of(md->n);
    md->n++;
    p->omraade = omraade;
    if (omraade == OMR_VOKSEN) {
        p->foedselsaar = (int)rng_range(r, 1959, 2007); /* 18-66 in 2025 */
        p->maalgruppe = maalgruppe_voksen[rng_range(r, 0, COUNT(maalgruppe_voksen) - 1)];
        p->tilbud = &tilbud_voksen[rng_range(r, 0, COUNT(tilbud_voksen) - 1)];
        p->paragraf = paragraf_voksen[rng_range(r, 0, COUNT(paragraf_voksen) - 1)];
    } else if (omraade == OMR_BOERN) {
        p->foedselsaar = (int)rng_range(r, 2005, 2020);
        p->maalgruppe = maalgruppe_boern[rng_range(r, 0, COUNT(maalgruppe_boern) - 1)];
        p->tilbud = &tilbud_boern[rng_range(r, 0, COUNT(tilbud_boern) - 1)];
        p->paragraf = p->foedselsaar <= 2007 ? "§ 76" : paragraf_boern[rng_range(r, 0, 1)];
    } else {
        p->foedselsaar = (int)rng_range(r, 1935, 1958); /* 67 or more in 2025 */
        p->maalgruppe = maalgruppe_aeldre[rng_range(r, 0, COUNT(maalgruppe_aeldre) - 1)];
        p->tilbud = &tilbud_aeldre[rng_range(r, 0, COUNT(tilbud_aeldre) - 1)];
        p->paragraf = paragraf_aeldre[rng_range(r, 0, COUNT(paragraf_aeldre) - 1)];
    }
    make_cpr(r, p->foedselsaar, p->cpr);
    int u = (int)rng_range(r, 0, 99);
    p->pattern = u < 40 ? PAT_MONTHLY : u < 55 ? PAT_UNEVEN : u < 63 ? PAT_START : PAT_YEARLY;
    p->start_month = (int)rng_range(r, 2, 7);
    p->factor10 = (int)rng_range(r, 13, 18);
    p->day = (int)rng_range(r, 1, 28);
    p->oneoff = rng_range(r, 0, 99) < 12;
    p->correction = rng_range(r, 0, 99) < 10;
    p->addon = p->pattern == PAT_YEARLY && rng_range(r, 0, 99) < 35;
    p->seed = rng_next(r);
    return p;
}

/* Moves values (in [lo, hi], fixed ones untouched) until they sum to target:
 * the difference is spread evenly over the values that can still move. */
static bool rebalance(int64_t *v, const bool *fixed, int n, int64_t lo, int64_t hi, int64_t target)
{
    for (int round = 0; round < 100000; round++) {
        int64_t diff = target;
        for (int i = 0; i < n; i++)
            diff -= v[i];
        if (diff == 0)
            return true;
        int movable = 0;
        for (int i = 0; i < n; i++)
            if (!fixed[i] && (diff > 0 ? v[i] < hi : v[i] > lo))
                movable++;
        if (movable == 0)
            return false;
        int64_t step = diff / movable;
        if (step == 0)
            step = diff > 0 ? 1 : -1;
        for (int i = 0; i < n && diff != 0; i++) {
            if (fixed[i])
                continue;
            int64_t want = (diff > 0) == (step > 0) ? step : diff;
            if ((want > 0 && want > diff) || (want < 0 && want < diff))
                want = diff;
            int64_t nv = v[i] + want;
            nv = nv < lo ? lo : nv > hi ? hi : nv;
            diff -= nv - v[i];
            v[i] = nv;
        }
    }
    return false;
}

/* A tier's base value, skewed toward the low end as real cost lists are:
 * lo + (hi - lo) * u^s, with u^s computed by multiplication only (no libm,
 * so that the committed example does not depend on a math library). */
static int64_t draw_tier_value(rng *r, int tier)
{
    static const int skew_whole[NTIER] = {1, 1, 2};
    static const double skew_frac[NTIER] = {0.8, 0.3, 0.3};
    double u = rng_unit(r);
    double x = 1.0;
    for (int i = 0; i < skew_whole[tier]; i++)
        x *= u;
    x *= (1.0 - skew_frac[tier]) + skew_frac[tier] * u; /* monotone stand-in for u^frac */
    return tier_lo[tier] + (int64_t)((double)(tier_hi[tier] - tier_lo[tier]) * x);
}

/* Picks a staying adult of the tier whose October spend can move by delta
 * without leaving the tier, and moves it. */
static bool apply_change(model *md, const int *slot_person, int nslot, int tier, int64_t delta,
                         bool *changed)
{
    int start = (int)rng_range(&md->r, 0, nslot - 1);
    for (int k = 0; k < nslot; k++) {
        int i = (start + k) % nslot;
        person *p = &md->v[slot_person[i]];
        int64_t v = p->kr[SNAP_OKT];
        if (changed[i] || v == 0 || v + delta < tier_lo[tier] || v + delta > tier_hi[tier])
            continue;
        if (v < 1500000 && delta < 0) /* keep every remaining monthly line positive */
            continue;
        p->kr[SNAP_OKT] = v + delta;
        changed[i] = true;
        return true;
    }
    return false;
}

static bool build_adult_tiers(model *md)
{
    enum { MAXSLOT = 256 };
    for (int t = 0; t < NTIER; t++) {
        int nslot = 0;
        for (int s = 0; s <= SNAP_SEP; s++)
            if (snapshot_def[s].count[t] > nslot)
                nslot = snapshot_def[s].count[t];
        int slot_person[MAXSLOT];
        int64_t base[MAXSLOT];
        for (int i = 0; i < nslot; i++) {
            slot_person[i] = (int)md->n;
            if (!new_person(md, OMR_VOKSEN))
                return false;
            base[i] = draw_tier_value(&md->r, t);
        }
        /* Feb .. Sep: the first count slots are the tier's cases that month. */
        for (int s = 0; s <= SNAP_SEP; s++) {
            int n = snapshot_def[s].count[t];
            int64_t v[MAXSLOT];
            bool fixed[MAXSLOT] = {false};
            for (int i = 0; i < n; i++) {
                double noise = 1.0 + 0.04 * (rng_unit(&md->r) - 0.5);
                v[i] = (int64_t)((double)base[i] * noise);
                v[i] = v[i] < tier_lo[t] ? tier_lo[t] : v[i] > tier_hi[t] ? tier_hi[t] : v[i];
            }
            if (t == 0 && s == SNAP_SEP) {
                v[ENDED_SLOT] = ENDED_KR;
                fixed[ENDED_SLOT] = true;
            }
            if (!rebalance(v, fixed, n, tier_lo[t], tier_hi[t], snapshot_def[s].sum[t]))
                return false;
            for (int i = 0; i < n; i++)
                md->v[slot_person[i]].kr[s] = v[i];
        }
        /* October: September's cases, less the ended one, with a few changes. */
        int nsep = snapshot_def[SNAP_SEP].count[t];
        bool changed[MAXSLOT] = {false};
        for (int i = 0; i < nsep; i++)
            if (!(t == 0 && i == ENDED_SLOT))
                md->v[slot_person[i]].kr[SNAP_OKT] = md->v[slot_person[i]].kr[SNAP_SEP];
        const int64_t *ch = t == 0 ? change_t25 : t == 1 ? change_t50 : change_t75;
        size_t nch = t == 0 ? COUNT(change_t25) : t == 1 ? COUNT(change_t50) : COUNT(change_t75);
        for (size_t k = 0; k < nch; k++)
            if (!apply_change(md, slot_person, nsep, t, ch[k], changed))
                return false;
        for (int i = 0; i < nslot; i++) {
            person *p = &md->v[slot_person[i]];
            int64_t first = 0;
            for (int s = 0; s < NSNAP && !first; s++)
                first = p->kr[s];
            if (p->pattern != PAT_START)
                p->kr2024 = first * rng_range(&md->r, 80, 102) / 100;
        }
    }
    for (int k = 0; k < 2; k++) {
        person *p = new_person(md, OMR_VOKSEN);
        if (!p)
            return false;
        p->pattern = PAT_START; /* registered late, lines from its start month */
        p->oneoff = p->correction = p->addon = false;
        p->start_month = k == 0 ? 6 : 8;
        p->kr[SNAP_OKT] = new_kr[k];
    }
    return true;
}

/* Cases outside the adult tier totals: adults below T1, children summed by
 * household, and 67+ cases with and without the før-67 flag. */
static bool build_other_cases(model *md)
{
    rng *r = &md->r;
    for (int i = 0; i < 31; i++) {
        person *p = new_person(md, OMR_VOKSEN);
        if (!p)
            return false;
        /* one case exactly at T1: it does not exceed it, so it has no tier */
        int64_t kr = i == 30 ? 940000 : rng_range(r, 300000, 930000);
        for (int s = 0; s < NSNAP; s++)
            p->kr[s] = kr;
        p->kr2024 = kr * rng_range(r, 85, 105) / 100;
    }
    static const int household_size[] = {2, 3, 2, 1, 3, 2, 1, 1};
    for (size_t h = 0; h < COUNT(household_size); h++) {
        char key[12];
        snprintf(key, sizeof key, "H-%04d", (int)(rng_range(r, 100, 9999)));
        for (int c = 0; c < household_size[h]; c++) {
            person *p = new_person(md, OMR_BOERN);
            if (!p)
                return false;
            memcpy(p->husstand, key, sizeof key);
            int64_t kr = rng_range(r, 350000, 1600000);
            for (int s = 0; s < NSNAP; s++)
                p->kr[s] = kr;
            p->kr2024 = kr * rng_range(r, 85, 105) / 100;
        }
    }
    for (int i = 0; i < 12; i++) {
        person *p = new_person(md, OMR_AELDRE);
        if (!p)
            return false;
        p->foer67 = i % 3 == 0 ? 1 : i % 3 == 1 ? 2 : 0; /* ja, nej, blank */
        int64_t kr = rng_range(r, 500000, 2600000);
        for (int s = 0; s < NSNAP; s++)
            p->kr[s] = kr;
        p->kr2024 = kr * rng_range(r, 85, 105) / 100;
    }
    return true;
}

/* ---- cost lines --------------------------------------------------------- */

typedef struct {
    int aar, month, day; /* month 0: a yearly line without a date */
    int64_t oere;
    bool engangs;
} cost_line;

enum { MAXLINES = 32 };

static void sort_lines(cost_line *l, int n)
{
    for (int i = 1; i < n; i++) {
        cost_line x = l[i];
        int j = i - 1;
        while (j >= 0 && (l[j].aar > x.aar ||
                          (l[j].aar == x.aar && (l[j].month > x.month ||
                                                 (l[j].month == x.month && l[j].day > x.day))))) {
            l[j + 1] = l[j];
            j--;
        }
        l[j + 1] = x;
    }
}

/* The lines of one person in a detailed extract: kr is the 2025 spend in
 * this extract and base_kr the spend the person's lines were planned with
 * (September's); a difference lands in October - December, as a changed
 * enrolment changes the expected rest of the year. Returns the line count,
 * or -1 if an invariant broke. */
static int detailed_lines(const person *p, int64_t base_kr, int64_t kr, cost_line *out)
{
    rng r = {p->seed};
    int n = 0;
    if (p->kr2024)
        out[n++] = (cost_line){2024, 0, 0, p->kr2024 * 100, false};
    int64_t total = base_kr * 100;
    int64_t rest = total;
    /* extra lines fall in months the case has lines in, before September */
    int lo = p->pattern == PAT_START ? p->start_month : 1;
    int hi = lo > 8 ? lo : 8;
    if (p->oneoff) {
        int64_t cap = base_kr / 8 < 150000 ? base_kr / 8 : 150000;
        int64_t a = rng_range(&r, 2000000, cap * 100 > 2000000 ? cap * 100 : 2000001);
        out[n++] = (cost_line){AAR, (int)rng_range(&r, lo, hi), (int)rng_range(&r, 1, 28), a, true};
        rest -= a;
    }
    if (p->correction) {
        int64_t a = -rng_range(&r, 500000, 4000000);
        out[n++] =
            (cost_line){AAR, (int)rng_range(&r, lo, hi), (int)rng_range(&r, 1, 28), a, false};
        rest -= a;
    }
    if (p->addon) {
        int64_t a = rng_range(&r, 1000000, 6000000);
        out[n++] =
            (cost_line){AAR, (int)rng_range(&r, lo, hi), (int)rng_range(&r, 1, 28), a, false};
        rest -= a;
    }
    int64_t delta = (kr - base_kr) * 100;
    if (p->pattern == PAT_YEARLY) {
        out[n++] = (cost_line){AAR, 0, 0, rest + delta, false};
    } else {
        int first = p->pattern == PAT_START ? p->start_month : 1;
        int64_t w[13] = {0}, wsum = 0;
        for (int m = first; m <= 12; m++) {
            w[m] = days_in_month(AAR, m) * 10;
            if (p->pattern == PAT_UNEVEN && m >= p->start_month + 3)
                w[m] = w[m] * p->factor10 / 10;
            wsum += w[m];
        }
        int64_t given = 0;
        int main_first = n;
        for (int m = first; m <= 12; m++) {
            int64_t a = m == 12 ? rest - given : rest * w[m] / wsum;
            given += a;
            out[n++] = (cost_line){AAR, m, p->day, a, false};
        }
        /* the change in enrolment: October, November, December */
        int64_t third = delta / 3;
        out[n - 3].oere += third;
        out[n - 2].oere += third;
        out[n - 1].oere += delta - 2 * third;
        for (int i = main_first; i < n; i++)
            if (out[i].oere <= 0)
                return -1;
    }
    int64_t check = 0;
    for (int i = 0; i < n; i++)
        if (out[i].aar == AAR)
            check += out[i].oere;
    if (check != kr * 100)
        return -1;
    sort_lines(out, n);
    return n;
}

/* The lines of one person in a compact snapshot: one yearly line, or for
 * every fifth case a yearly line and a dated one (dd.mm.yyyy in these files),
 * so that summing per case and the other date style are still exercised. */
static int compact_lines(const person *p, int64_t kr, int month, cost_line *out)
{
    if (p->sag_id % 5 == 0) {
        int64_t a = kr * 100 * 3 / 5 + 37;
        out[0] = (cost_line){AAR, 0, 0, a, false};
        out[1] = (cost_line){AAR, month, 15, kr * 100 - a, false};
        return 2;
    }
    out[0] = (cost_line){AAR, 0, 0, kr * 100, false};
    return 1;
}

/* ---- writing files ------------------------------------------------------ */

typedef struct {
    sink out;
    char date_sep;
    int kommunekode; /* the column Kommunekode */
} extract_file;

static bool open_extract(extract_file *xf, const char *path, bool utf8, char date_sep, char *buf)
{
    memset(xf, 0, sizeof *xf);
    xf->out.f = fopen(path, "wb");
    if (!xf->out.f) {
        fprintf(stderr, "gen_extract: %s: %s\n", path, strerror(errno));
        return false;
    }
    xf->out.buf = buf;
    xf->out.utf8 = utf8;
    xf->date_sep = date_sep;
    xf->kommunekode = KOMMUNEKODE;
    if (utf8)
        sink_put(&xf->out, "\xEF\xBB\xBF", 3);
    char enc[sizeof header_line];
    size_t n = encode_text(header_line, utf8, enc);
    sink_put(&xf->out, enc, n);
    sink_put(&xf->out, "\r\n", 2);
    return true;
}

static bool close_extract(extract_file *xf, const char *path)
{
    sink_flush(&xf->out);
    if (fclose(xf->out.f) != 0)
        xf->out.failed = true;
    if (xf->out.failed)
        fprintf(stderr, "gen_extract: %s: could not write the file\n", path);
    return !xf->out.failed;
}

static void write_line(extract_file *xf, const person *p, const cost_line *l)
{
    char buf[1024];
    size_t n = 0;
    bool bad = false;
    bool u = xf->out.utf8;
    n += fmt_uint(buf + n, p->sag_id);
    buf[n++] = ';';
    memcpy(buf + n, p->cpr, 11);
    n += 11;
    buf[n++] = ';';
    n += fmt_uint(buf + n, (uint64_t)l->aar);
    buf[n++] = ';';
    if (l->month)
        n += fmt_date(buf + n, l->aar, l->month, l->day, xf->date_sep);
    buf[n++] = ';';
    n += fmt_amount(buf + n, l->oere);
    buf[n++] = ';';
    n += put_field(buf + n, omraade_name[p->omraade], u, &bad);
    buf[n++] = ';';
    n += fmt_uint(buf + n, (uint64_t)p->foedselsaar);
    buf[n++] = ';';
    n += put_field(buf + n, foer67_name[p->foer67], u, &bad);
    buf[n++] = ';';
    n += put_field(buf + n, p->husstand, u, &bad);
    buf[n++] = ';';
    n += put_field(buf + n, l->engangs ? "ja" : "nej", u, &bad);
    buf[n++] = ';';
    n += put_field(buf + n, p->maalgruppe, u, &bad);
    buf[n++] = ';';
    n += put_field(buf + n, p->tilbud->leverandoer, u, &bad);
    buf[n++] = ';';
    n += put_field(buf + n, p->tilbud->name, u, &bad);
    buf[n++] = ';';
    n += put_field(buf + n, p->paragraf, u, &bad);
    buf[n++] = ';';
    n += fmt_uint(buf + n, (uint64_t)xf->kommunekode);
    buf[n++] = '\r';
    buf[n++] = '\n';
    if (bad)
        xf->out.failed = true;
    sink_put(&xf->out, buf, n);
}

static int cmp_sag_id(const void *a, const void *b)
{
    const person *const *x = a, *const *y = b;
    return ((*x)->sag_id > (*y)->sag_id) - ((*x)->sag_id < (*y)->sag_id);
}

/* Writes one snapshot of the model, persons in case-number order. */
static bool write_snapshot(const model *md, int snap, bool detailed, const char *dir, bool utf8,
                           char *buf)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/sager_%d-%02d-%02d.csv", dir, AAR, snapshot_def[snap].month,
             snapshot_def[snap].day);
    const person **order = malloc(md->n * sizeof *order);
    if (!order)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < md->n; i++)
        if (md->v[i].kr[snap])
            order[n++] = &md->v[i];
    qsort(order, n, sizeof *order, cmp_sag_id);
    extract_file xf;
    bool ok = open_extract(&xf, path, utf8, detailed ? '-' : '.', buf);
    for (size_t i = 0; ok && i < n; i++) {
        const person *p = order[i];
        cost_line lines[MAXLINES];
        int64_t base = p->kr[SNAP_SEP] ? p->kr[SNAP_SEP] : p->kr[snap];
        int k = detailed ? detailed_lines(p, base, p->kr[snap], lines)
                         : compact_lines(p, p->kr[snap], snapshot_def[snap].month, lines);
        if (k < 0) {
            fprintf(stderr, "gen_extract: internal error: lines of case %" PRIu32 "\n", p->sag_id);
            ok = false;
            break;
        }
        for (int j = 0; j < k; j++)
            write_line(&xf, p, &lines[j]);
    }
    if (ok)
        ok = close_extract(&xf, path);
    else if (xf.out.f)
        fclose(xf.out.f);
    free(order);
    return ok;
}

/* Checks the model against the follow-up table before anything is written. */
static bool model_matches_table(const model *md)
{
    static const int64_t t1 = 940000, t2 = 1840000, t3 = 2330000;
    for (int s = 0; s < NSNAP; s++) {
        int count[NTIER] = {0};
        int64_t sum[NTIER] = {0};
        for (size_t i = 0; i < md->n; i++) {
            const person *p = &md->v[i];
            int64_t v = p->kr[s];
            if (p->omraade != OMR_VOKSEN || v <= t1)
                continue;
            int t = v > t3 ? 2 : v > t2 ? 1 : 0;
            count[t]++;
            sum[t] += v;
        }
        for (int t = 0; t < NTIER; t++)
            if (count[t] != snapshot_def[s].count[t] || sum[t] != snapshot_def[s].sum[t]) {
                fprintf(stderr, "gen_extract: internal error: snapshot %d tier %d\n", s, t);
                return false;
            }
    }
    return true;
}

static bool build_model(model *md)
{
    md->r.s = 0x5DE2025u; /* fixed: the committed example depends on it */
    return build_adult_tiers(md) && build_other_cases(md) && model_matches_table(md);
}

/* ---- the benchmark extract ---------------------------------------------- */

/* The parts of a benchmark case's rows that stay the same for the case, drawn
 * from r in a fixed order (the grouped file's order since the tool began). */
typedef struct {
    char prefix[64], suffix[512];
    size_t np, ns;
    int64_t monthly;
    bool enc_bad;
} bench_case;

static void bench_case_make(rng *r, size_t index, bool utf8, bench_case *c)
{
    size_t np = 0, ns = 0;
    char *prefix = c->prefix, *suffix = c->suffix;
    c->enc_bad = false;
    int year = (int)rng_range(r, 1959, 2007);
    char cpr[12];
    make_cpr(r, year, cpr);
    np += fmt_uint(prefix + np, sag_id_of(index));
    prefix[np++] = ';';
    memcpy(prefix + np, cpr, 11);
    np += 11;
    prefix[np++] = ';';
    np += fmt_uint(prefix + np, AAR);
    prefix[np++] = ';';
    const tilbud_def *tb = &tilbud_bench[rng_range(r, 0, COUNT(tilbud_bench) - 1)];
    suffix[ns++] = ';';
    ns += put_field(suffix + ns, "Voksen", utf8, &c->enc_bad);
    suffix[ns++] = ';';
    ns += fmt_uint(suffix + ns, (uint64_t)year);
    memcpy(suffix + ns, ";;;;", 4); /* Før 67, Husstand, Engangsudgift blank */
    ns += 4;
    ns += put_field(suffix + ns, maalgruppe_voksen[rng_range(r, 0, COUNT(maalgruppe_voksen) - 1)],
                    utf8, &c->enc_bad);
    suffix[ns++] = ';';
    ns += put_field(suffix + ns, tb->leverandoer, utf8, &c->enc_bad);
    suffix[ns++] = ';';
    ns += put_field(suffix + ns, tb->name, utf8, &c->enc_bad);
    suffix[ns++] = ';';
    ns += put_field(suffix + ns, paragraf_voksen[rng_range(r, 0, COUNT(paragraf_voksen) - 1)], utf8,
                    &c->enc_bad);
    memcpy(suffix + ns, ";730\r\n", 6);
    ns += 6;
    c->np = np;
    c->ns = ns;
    c->monthly = rng_range(r, 2500000, 40000000); /* 25.000 - 400.000 kr. */
}

/* Row `row` (its index in the grouped file) of case c, month m, amount a; with
 * bad > 0, every (rows/bad)-th row is broken in turn in the ways real
 * exports break (a non-number, an impossible date, a missing field, an
 * empty case number, a non-year). Returns the line's length. */
static size_t bench_row(const bench_case *c, const char dates[13][12], int m, int64_t a,
                        uint64_t row, uint64_t bad_every, uint64_t bad, char *line)
{
    size_t n = 0, np = c->np, ns = c->ns;
    bool broken = bad_every && row % bad_every == bad_every / 2 && row / bad_every < bad;
    int kind = bad_every ? (int)(row / bad_every % 5) : 0;
    if (broken && kind == 3) {
        memcpy(line + n, c->prefix + 6, np - 6); /* empty case number */
        n += np - 6;
    } else {
        memcpy(line + n, c->prefix, np);
        n += np;
    }
    if (broken && kind == 4)
        memcpy(line + n - 5, "20x5;", 5);
    if (broken && kind == 1) {
        memcpy(line + n, "31-02-2025", 10);
        n += 10;
    } else {
        memcpy(line + n, dates[m], 10);
        n += 10;
    }
    line[n++] = ';';
    if (broken && kind == 0) {
        memcpy(line + n, "12.3x4,00", 9);
        n += 9;
    } else {
        n += fmt_amount(line + n, a);
    }
    if (broken && kind == 2) {
        /* the row ends after Område: fields are missing */
        size_t cut = 1;
        while (cut < ns && c->suffix[cut] != ';')
            cut++;
        memcpy(line + n, c->suffix, cut);
        n += cut;
        memcpy(line + n, "\r\n", 2);
        n += 2;
    } else {
        memcpy(line + n, c->suffix, ns);
        n += ns;
    }
    return n;
}

/* The amount of month m (1..12) of a case whose draws continue in r. */
static int64_t bench_amount(const bench_case *c, rng *r)
{
    return c->monthly + (int64_t)(rng_next(r) % 200001) - 100000;
}

/* A bijection of [0, 2^bits): xor-shifts and odd multipliers mod 2^bits. */
static uint64_t mix_bits(uint64_t x, int bits)
{
    uint64_t mask = bits >= 64 ? ~0ull : (1ull << bits) - 1;
    int half = bits / 2 > 0 ? bits / 2 : 1;
    static const uint64_t odd[3] = {0x9E3779B97F4A7C15ull, 0xBF58476D1CE4E5B9ull,
                                    0x94D049BB133111EBull};
    for (int i = 0; i < 3; i++) {
        x = (x + 0x5851F42D4C957F2Dull * (uint64_t)(i + 1)) & mask;
        x ^= x >> half;
        x = (x * odd[i]) & mask;
    }
    x ^= x >> half;
    return x & mask;
}

/* Position p's row in the shuffled file: a permutation of [0, rows) (mix_bits
 * over the next power of two, walked until it lands below rows). */
static uint64_t shuffled_row(uint64_t p, uint64_t rows, int bits)
{
    uint64_t x = p;
    do
        x = mix_bits(x, bits);
    while (x >= rows);
    return x;
}

/* N rows: about N/12 cases with 12 monthly lines each, grouped by case (a
 * case's lines follow each other) or, with shuffle, the same rows in a
 * random order, as a case system that exports by booking date writes them.
 * The grouped file is the shuffled one sorted back; only the order differs. */
static bool write_bench(const char *path, uint64_t rows, uint64_t bad, bool utf8, bool shuffle,
                        char *buf)
{
    extract_file xf;
    if (!open_extract(&xf, path, utf8, '-', buf))
        return false;
    rng r = {0xBE9C4ull};
    char dates[13][12];
    for (int m = 1; m <= 12; m++)
        fmt_date(dates[m], AAR, m, m == 2 ? 28 : 1 + m * 2, '-');
    uint64_t bad_every = bad ? rows / bad : 0;
    uint64_t ncases = (rows + 11) / 12;
    uint64_t *state = shuffle ? malloc((ncases ? ncases : 1) * sizeof *state) : NULL;
    if (shuffle && !state) {
        fputs("gen_extract: out of memory\n", stderr);
        fclose(xf.out.f);
        return false;
    }
    char line[700];
    bench_case c;
    for (uint64_t k = 0, row = 0; k < ncases; k++) {
        if (state)
            state[k] = r.s; /* where case k's draws begin */
        bench_case_make(&r, (size_t)k, utf8, &c);
        xf.out.failed |= c.enc_bad;
        for (int m = 1; m <= 12 && row < rows; m++, row++) {
            int64_t a = bench_amount(&c, &r);
            if (!shuffle)
                sink_put(&xf.out, line, bench_row(&c, dates, m, a, row, bad_every, bad, line));
        }
    }
    int bits = 1;
    while (shuffle && bits < 64 && (1ull << bits) < rows)
        bits++;
    for (uint64_t p = 0; shuffle && p < rows; p++) {
        uint64_t row = shuffled_row(p, rows, bits);
        uint64_t k = row / 12;
        int m = (int)(row % 12) + 1;
        rng cr = {state[k]};
        bench_case_make(&cr, (size_t)k, utf8, &c);
        int64_t a = 0;
        for (int i = 1; i <= m; i++)
            a = bench_amount(&c, &cr);
        sink_put(&xf.out, line, bench_row(&c, dates, m, a, row, bad_every, bad, line));
    }
    free(state);
    return close_extract(&xf, path);
}

/* ---- a municipality's extract, for the benchmark across municipalities -- */

/* One synthetic person of municipality kode: mostly adults (a few of them
 * 68 with foer67 ja or nej; nobody turns 67 in the year, so the extract does
 * not depend on how that year is split), some elderly and children; case
 * numbers KODE00001.. so that the extracts of several municipalities can be
 * joined into one. */
static void kommune_person(rng *r, int kode, int i, person *p)
{
    memset(p, 0, sizeof *p);
    p->sag_id = (uint32_t)kode * 100000u + (uint32_t)i + 1;
    double u = rng_unit(r);
    p->omraade = u < 0.82 ? OMR_VOKSEN : u < 0.94 ? OMR_AELDRE : OMR_BOERN;
    if (p->omraade == OMR_VOKSEN) {
        p->foedselsaar = rng_unit(r) < 0.05 ? AAR - 68 : (int)rng_range(r, AAR - 66, AAR - 18);
        p->maalgruppe = maalgruppe_voksen[rng_range(r, 0, COUNT(maalgruppe_voksen) - 1)];
        p->tilbud = &tilbud_voksen[rng_range(r, 0, COUNT(tilbud_voksen) - 1)];
        p->paragraf = paragraf_voksen[rng_range(r, 0, COUNT(paragraf_voksen) - 1)];
    } else if (p->omraade == OMR_AELDRE) {
        p->foedselsaar = (int)rng_range(r, AAR - 90, AAR - 68);
        p->maalgruppe = maalgruppe_aeldre[rng_range(r, 0, COUNT(maalgruppe_aeldre) - 1)];
        p->tilbud = &tilbud_aeldre[rng_range(r, 0, COUNT(tilbud_aeldre) - 1)];
        p->paragraf = paragraf_aeldre[rng_range(r, 0, COUNT(paragraf_aeldre) - 1)];
    } else {
        p->foedselsaar = (int)rng_range(r, 2008, 2016);
        p->maalgruppe = maalgruppe_boern[rng_range(r, 0, COUNT(maalgruppe_boern) - 1)];
        p->tilbud = &tilbud_boern[rng_range(r, 0, COUNT(tilbud_boern) - 1)];
        p->paragraf = paragraf_boern[rng_range(r, 0, COUNT(paragraf_boern) - 1)];
    }
    if (AAR - p->foedselsaar >= 67)
        p->foer67 = (int)rng_range(r, 1, 2);
    make_cpr(r, p->foedselsaar, p->cpr);
}

/* The person's 2025 lines: a yearly spend of 0,4-5,0 mio. kr. (most of it
 * near the bottom), in monthly lines from a start month with a tariff that
 * varies a little from month to month. Returns the line count. */
static int kommune_lines(rng *r, cost_line *out)
{
    double u = rng_unit(r);
    int64_t yearly = 400000 + (int64_t)(4600000.0 * u * u); /* kr. */
    int start = rng_unit(r) < 0.8 ? 1 : (int)rng_range(r, 2, 7);
    int64_t monthly = yearly * 100 / (13 - start);
    int n = 0;
    for (int m = start; m <= 12; m++) {
        int64_t vary = monthly / 20;
        out[n++] = (cost_line){AAR, m, 15, monthly + rng_range(r, -vary, vary), false};
    }
    return n;
}

static bool write_kommune(const char *path, int kode, uint64_t ncases, bool utf8, char *buf)
{
    extract_file xf;
    if (!open_extract(&xf, path, utf8, '-', buf))
        return false;
    xf.kommunekode = kode;
    rng r = {0xB3C4ull + 0x9E3779B9ull * (uint64_t)kode};
    for (uint64_t i = 0; i < ncases; i++) {
        person p;
        cost_line lines[12];
        kommune_person(&r, kode, (int)i, &p);
        int k = kommune_lines(&r, lines);
        for (int j = 0; j < k; j++)
            write_line(&xf, &p, &lines[j]);
    }
    return close_extract(&xf, path);
}

/* ---- command line ------------------------------------------------------- */

static const char usage_text[] =
    "Usage:\n"
    "  gen_extract --example [--utf8] OUTDIR\n"
    "      OUTDIR/sager_2025-09-30.csv and OUTDIR/sager_2025-10-31.csv (seed 003's example)\n"
    "  gen_extract --snapshots [--utf8] OUTDIR\n"
    "      eight compact monthly snapshots sager_2025-02-28.csv .. sager_2025-10-31.csv\n"
    "  gen_extract --rows N [--utf8] [--bad K] [--shuffle] OUT\n"
    "      a benchmark extract of N rows (K of them broken), grouped by case or\n"
    "      (--shuffle) the same rows in a random order\n"
    "  gen_extract --kommune KODE [--sager N] [--utf8] OUT\n"
    "      the 2025 extract of municipality KODE (three digits) with N cases (default 60),\n"
    "      for the comparison across municipalities\n"
    "Windows-1252 unless --utf8 (then UTF-8 with BOM).\n";

static bool parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    const char *mode = NULL, *target = NULL;
    uint64_t rows = 0, bad = 0, kode = 0, sager = 60;
    bool utf8 = false, shuffle = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--example") || !strcmp(a, "--snapshots")) {
            mode = a;
        } else if (!strcmp(a, "--rows")) {
            mode = a;
            if (!parse_count(i + 1 < argc ? argv[++i] : NULL, &rows))
                goto usage;
        } else if (!strcmp(a, "--kommune")) {
            mode = a;
            if (!parse_count(i + 1 < argc ? argv[++i] : NULL, &kode) || kode < 100 || kode > 999)
                goto usage;
        } else if (!strcmp(a, "--sager")) {
            if (!parse_count(i + 1 < argc ? argv[++i] : NULL, &sager) || sager > 100000)
                goto usage;
        } else if (!strcmp(a, "--bad")) {
            if (!parse_count(i + 1 < argc ? argv[++i] : NULL, &bad))
                goto usage;
        } else if (!strcmp(a, "--utf8")) {
            utf8 = true;
        } else if (!strcmp(a, "--shuffle")) {
            shuffle = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (a[0] == '-' || target) {
            goto usage;
        } else {
            target = a;
        }
    }
    if (!mode || !target || bad > rows)
        goto usage;

    char *buf = malloc(SINK_CAP);
    if (!buf) {
        fputs("gen_extract: out of memory\n", stderr);
        return 3;
    }
    bool ok;
    if (!strcmp(mode, "--rows")) {
        ok = write_bench(target, rows, bad, utf8, shuffle, buf);
    } else if (!strcmp(mode, "--kommune")) {
        ok = write_kommune(target, (int)kode, sager, utf8, buf);
    } else {
        model md = {0};
        ok = build_model(&md);
        if (ok && mkdir(target, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "gen_extract: %s: %s\n", target, strerror(errno));
            ok = false;
        }
        if (ok && !strcmp(mode, "--example"))
            ok = write_snapshot(&md, SNAP_SEP, true, target, utf8, buf) &&
                 write_snapshot(&md, SNAP_OKT, true, target, utf8, buf);
        else
            for (int s = 0; ok && s < NSNAP; s++)
                ok = write_snapshot(&md, s, false, target, utf8, buf);
        free(md.v);
    }
    free(buf);
    return ok ? 0 : 3;

usage:
    fputs(usage_text, stderr);
    return 2;
}
