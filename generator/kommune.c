/* kommune.c -- the municipality module (see kommune.h). */
#include "notatgen/kommune.h"

#include <stdlib.h>
#include <string.h>

#include "notatgen/module.h"
#include "notatgen/modules.h"

typedef ng_kommune_options opts;

static const ng_config_key keys[] = {
    NG_KEY_REQ(opts, "kommune", "navn", NG_KEY_STRING, navn, NG_REQUIRED),
    NG_KEY(opts, "kommune", "kode", NG_KEY_KOMMUNEKODE, kode),
    NG_KEY(opts, "log", "syslog", NG_KEY_BOOL, syslog),
};

static void options_free(void *p)
{
    opts *o = p;
    free(o->navn);
    free(o->kode);
}

static ng_status prepare(const void *opt, ng_pipeline *p)
{
    const opts *o = opt;
    p->kommune = o->navn;
    p->kommunekode = o->kode;
    p->syslog = o->syslog;
    return NG_OK;
}

static ng_status compute(const void *opt, ng_pipeline *p)
{
    const opts *o = opt;
    ng_dataset *ds = &p->ds;
    free(ds->kommune);
    free(ds->kommunekode);
    ds->kommune = o->navn ? strdup(o->navn) : NULL;
    ds->kommunekode = o->kode ? strdup(o->kode) : NULL;
    if ((o->navn && !ds->kommune) || (o->kode && !ds->kommunekode))
        return NG_ERR_NOMEM;
    return ng_dataset_set_text(ds, "kommune", o->navn ? o->navn : "");
}

static const ng_decl publishes[] = {
    NG_DECL_FACT_("kommune", NG_UNIT_TEXT, "Kommunens navn ([kommune] navn)"),
};

const ng_module ng_module_kommune = {
    .name = "kommune",
    .summary = "Kommunen, kørslen gælder, og hvor loglinien skrives",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_free = options_free,
    .prepare = prepare,
    .compute = compute,
    .publishes = publishes,
    .npublishes = sizeof publishes / sizeof *publishes,
};
