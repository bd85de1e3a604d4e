/* plausibility.c -- the plausibility guards (see plausibility.h). */
#include "notatgen/plausibility.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/history.h"
#include "notatgen/module.h"
#include "notatgen/modules.h"

typedef ng_plausibilitet_options opts;

enum { MAX_CASES_NAMED = 5 };

static const ng_config_key keys[] = {
    NG_KEY(opts, "plausibilitet", "max_sag", NG_KEY_KR, max_sag),
    NG_KEY_RANGE(opts, "plausibilitet", "faktor", NG_KEY_INT, faktor, 2, 1000),
    NG_KEY_AUX(opts, "plausibilitet", "godkend", NG_KEY_DATE, godkend, has_godkend),
};

static void options_init(void *p)
{
    opts *o = p;
    o->max_sag = 50e6;
    o->faktor = 3;
}

/* What a night showed that cannot be right, one short phrase per guard
 * for the log line (module state between the guard and the log). */
typedef struct {
    char note[256];
} plausibility_state;

static void release(ng_pipeline *p, void *state)
{
    (void)p;
    free(state);
}

/* A stop: an error, or with the officer's word a warning. */
static void report(ng_pipeline *p, bool accepted, const char *file, long line, const char *msg)
{
    if (accepted)
        ng_warning(p->diags, file, line, 0, "%s (godkendt)", msg);
    else
        ng_error(p->diags, file, line, 0, "%s", msg);
}

static void note_add(plausibility_state *s, const char *what)
{
    size_t n = strlen(s->note);
    snprintf(s->note + n, sizeof s->note - n, "%s%s", n ? ", " : "", what);
}

/* The amounts' notation (decided by the ingest's reading of the column). */
static int check_notation(ng_pipeline *p, bool accepted, plausibility_state *s)
{
    ng_decimal_mark mark;
    ng_notation_verdict v = ng_notation_decide(&p->rec.beloeb_notation, &mark);
    if (!p->has_rec || (v != NG_NOTATION_AMBIGUOUS && v != NG_NOTATION_MIXED))
        return 0;
    char msg[640];
    ng_notation_explain(&p->rec.beloeb_notation, v, p->beloeb_kolonne ? p->beloeb_kolonne : "beløb",
                        msg, sizeof msg);
    const ng_notation_example *e = &p->rec.beloeb_notation.ambiguous;
    report(p, accepted, p->extract_path, e->line, msg);
    note_add(s, "tvetydige beløb");
    return 1;
}

/* Every case-year above max_sag (the first few named, all counted). */
static int check_cases(const opts *o, ng_pipeline *p, bool accepted, plausibility_state *s)
{
    if (!p->cases)
        return 0;
    int64_t max_oere = (int64_t)(o->max_sag * 100.0);
    long found = 0;
    char mio[32], max[32];
    ng_fmt_mio(max, sizeof max, o->max_sag);
    for (size_t i = 0; i < ng_cases_count(p->cases); i++) {
        const ng_sag *c = ng_cases_at(p->cases, i);
        for (size_t y = 0; y < c->nyears; y++) {
            int64_t spend = ng_sag_year_spend(c, c->years[y].aar);
            if (spend <= max_oere)
                continue;
            if (found++ >= MAX_CASES_NAMED)
                continue;
            char msg[320];
            ng_fmt_mio(mio, sizeof mio, (double)spend / 100.0);
            snprintf(msg, sizeof msg,
                     "sag %.64s har en årsudgift i %d på %s mio. kr.; over grænsen på %s mio. kr. "
                     "([plausibilitet] max_sag)",
                     c->sag_id, c->years[y].aar, mio, max);
            report(p, accepted, p->extract_path, c->first_line, msg);
        }
    }
    if (found > MAX_CASES_NAMED)
        ng_note(p->diags, p->extract_path, 0, 0, "i alt %ld sagsår over %s mio. kr.", found, max);
    if (found)
        note_add(s, "sag over max_sag");
    return found ? 1 : 0;
}

/* The extract's total against the last snapshot's. */
static int check_total(const opts *o, ng_pipeline *p, bool accepted, plausibility_state *s)
{
    bool found = false;
    ng_date prev;
    int64_t then = 0, now = 0;
    if (!p->history ||
        ng_history_previous_total(p->history, p->dato, &found, &prev, &then, p->diags) != NG_OK ||
        !found || then <= 0)
        return 0;
    for (size_t i = 0; i < p->refusion.n; i++)
        now += p->refusion.units[i].udgift;
    double ratio = now > 0 ? (double)now / (double)then : 0;
    if (ratio <= o->faktor && ratio * o->faktor >= 1.0)
        return 0;
    char a[32], b[32], d[32], r[32], msg[400];
    ng_fmt_mio(a, sizeof a, (double)now / 100.0);
    ng_fmt_mio(b, sizeof b, (double)then / 100.0);
    ng_fmt_date_long(d, sizeof d, prev);
    ng_fmt_dec(r, sizeof r, ratio >= 1 ? ratio : (ratio > 0 ? 1 / ratio : 0), 1);
    if (now > 0)
        snprintf(msg, sizeof msg,
                 "udtrækkets samlede udgift er %s mio. kr., %s gange %s forrige opfølgnings %s "
                 "mio. kr. (%s); mere end faktor %d ([plausibilitet] faktor)",
                 a, r, ratio >= 1 ? "så stor som" : "mindre end", b, d, o->faktor);
    else
        snprintf(msg, sizeof msg,
                 "udtrækkets samlede udgift er 0 kr. mod forrige opfølgnings %s mio. kr. (%s)", b,
                 d);
    report(p, accepted, p->extract_path, 0, msg);
    note_add(s, "samlet udgift");
    return 1;
}

static ng_status guard(const void *opt, ng_pipeline *p)
{
    const opts *o = opt;
    plausibility_state *s = calloc(1, sizeof *s);
    if (!s)
        return NG_ERR_NOMEM;
    p->state[ng_module_index(&ng_module_plausibilitet)] = s;
    bool by_date = o->has_godkend && ng_date_cmp(o->godkend, p->dato) == 0;
    bool accepted = p->cli_godkend || by_date;
    int stops = check_notation(p, accepted, s) + check_cases(o, p, accepted, s) +
                check_total(o, p, accepted, s);
    if (!stops)
        return NG_OK;
    if (!accepted) {
        char iso[16];
        ng_fmt_date_iso(iso, sizeof iso, p->dato);
        ng_note(p->diags, p->config_path, 0, 0,
                "intet er udgivet; er tallene rigtige, så godkend natten med --godkend eller "
                "godkend = %s i [plausibilitet]",
                iso);
        return NG_ERR_INPUT;
    }
    size_t n = strlen(s->note);
    char what[sizeof s->note];
    snprintf(what, sizeof what, "%s", s->note);
    snprintf(s->note, sizeof s->note, "plausibilitet godkendt (%s): %.*s",
             p->cli_godkend ? "--godkend" : "[plausibilitet] godkend", (int)n, what);
    p->godkendt_note = s->note;
    return NG_OK;
}

const ng_module ng_module_plausibilitet = {
    .name = "plausibilitet",
    .summary = "Plausibilitet: en sag over grænsen, en samlet udgift langt fra forrige "
               "opfølgnings eller tvetydige beløb standser natten",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_init = options_init,
    .guard = guard,
    .release = release,
};
