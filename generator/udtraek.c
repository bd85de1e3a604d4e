/*
 * udtraek.c -- the extract module: [udtraek], [kolonner], [omraader] and
 * [leverandoertyper],
 * the extract date the run is about, and reading the extract into cases
 * (the engine is ingest.c and cases.c; see ingest.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notatgen/ingest.h"
#include "notatgen/module.h"
#include "notatgen/modules.h"

/* ---- logical fields of the extract ---------------------------------------- */

static const char *const field_names[NG_F_COUNT] = {
    [NG_F_SAG_ID] = "sag_id",
    [NG_F_AAR] = "aar",
    [NG_F_MAANED] = "maaned",
    [NG_F_DATO] = "dato",
    [NG_F_BELOEB] = "beloeb",
    [NG_F_OMRAADE] = "omraade",
    [NG_F_FOEDSELSAAR] = "foedselsaar",
    [NG_F_FOEDSELSDATO] = "foedselsdato",
    [NG_F_FOER67] = "foer67",
    [NG_F_HUSSTAND] = "husstand",
    [NG_F_ENGANGSUDGIFT] = "engangsudgift",
    [NG_F_MAALGRUPPE] = "maalgruppe",
    [NG_F_LEVERANDOERTYPE] = "leverandoertype",
    [NG_F_TILBUD] = "tilbud",
    [NG_F_PARAGRAF] = "paragraf",
    [NG_F_KOMMUNE] = "kommune",
};

const char *ng_field_name(ng_field f)
{
    return (unsigned)f < NG_F_COUNT ? field_names[f] : NULL;
}

bool ng_field_required(ng_field f)
{
    /* aar is required unless dato is mapped: the ingest decides that. */
    return f == NG_F_SAG_ID || f == NG_F_BELOEB || f == NG_F_OMRAADE || f == NG_F_FOEDSELSAAR;
}

/* ---- configuration ------------------------------------------------------------ */

typedef ng_udtraek_options opts;

#define COLUMN(f, name) NG_KEY(opts, "kolonner", name, NG_KEY_STRING, kolonner[f])
#define OMRAADE(o, name) NG_KEY(opts, "omraader", name, NG_KEY_VALUE_SET, omraader[o])
#define LEVERANDOER(t, name)                                                                       \
    NG_KEY(opts, "leverandoertyper", name, NG_KEY_VALUE_SET, leverandoertyper[t])

/* The leverandørtyper a case can have (ingest.c keeps the same list). */
static const char *const leverandoer_types[3] = {"kommunal", "regional", "privat"};

static const ng_config_key keys[] = {
    NG_KEY_REQ(opts, "udtraek", "fil", NG_KEY_PATH, file.path, NG_REQUIRED),
    NG_INPUT_FORMAT_KEYS(opts, "udtraek", file),
    NG_INPUT_AMOUNT_KEYS(opts, "udtraek", file),
    NG_KEY_AUX(opts, "udtraek", "dato", NG_KEY_DATE, dato, has_dato),
    NG_KEY(opts, "udtraek", "afvis", NG_KEY_REJECT, afvis),
    NG_KEY(opts, "udtraek", "aar", NG_KEY_YEAR, aar),
    COLUMN(NG_F_SAG_ID, "sag_id"),
    COLUMN(NG_F_AAR, "aar"),
    COLUMN(NG_F_MAANED, "maaned"),
    COLUMN(NG_F_DATO, "dato"),
    COLUMN(NG_F_BELOEB, "beloeb"),
    COLUMN(NG_F_OMRAADE, "omraade"),
    COLUMN(NG_F_FOEDSELSAAR, "foedselsaar"),
    COLUMN(NG_F_FOEDSELSDATO, "foedselsdato"),
    COLUMN(NG_F_FOER67, "foer67"),
    COLUMN(NG_F_HUSSTAND, "husstand"),
    COLUMN(NG_F_ENGANGSUDGIFT, "engangsudgift"),
    COLUMN(NG_F_MAALGRUPPE, "maalgruppe"),
    COLUMN(NG_F_LEVERANDOERTYPE, "leverandoertype"),
    COLUMN(NG_F_TILBUD, "tilbud"),
    COLUMN(NG_F_PARAGRAF, "paragraf"),
    COLUMN(NG_F_KOMMUNE, "kommune"),
    OMRAADE(NG_OMR_VOKSEN, "voksen"),
    OMRAADE(NG_OMR_BOERN, "boern"),
    OMRAADE(NG_OMR_AELDRE, "aeldre"),
    LEVERANDOER(0, "kommunal"),
    LEVERANDOER(1, "regional"),
    LEVERANDOER(2, "privat"),
};

static void options_init(void *p)
{
    opts *o = p;
    ng_input_file_init(&o->file);
    o->afvis = NG_REJECT_FILE;
}

static void options_free(void *p)
{
    opts *o = p;
    free(o->file.path);
    for (int f = 0; f < NG_F_COUNT; f++)
        free(o->kolonner[f]);
    for (int a = 0; a < NG_OMR_COUNT; a++)
        for (int i = 0; i < 8; i++)
            free(o->omraader[a][i]);
    for (int t = 0; t < 3; t++)
        for (int i = 0; i < 8; i++)
            free(o->leverandoertyper[t][i]);
}

static char *dup_default(ng_config_ctx *c, const char *value)
{
    char *copy = strdup(value);
    if (!copy)
        ng_config_nomem(c);
    return copy;
}

static void apply_defaults(opts *o, ng_config_ctx *c)
{
    static const char *const omraade_defaults[NG_OMR_COUNT][2] = {
        {"voksen", NULL}, {"boern", "børn"}, {"aeldre", "ældre"}};
    for (int f = 0; f < NG_F_COUNT; f++)
        if (!o->kolonner[f])
            o->kolonner[f] = dup_default(c, field_names[f]);
    for (int a = 0; a < NG_OMR_COUNT; a++) {
        if (o->omraader[a][0])
            continue; /* configured */
        for (int j = 0; j < 2 && omraade_defaults[a][j]; j++)
            o->omraader[a][j] = dup_default(c, omraade_defaults[a][j]);
    }
    for (int t = 0; t < 3; t++)
        if (!o->leverandoertyper[t][0])
            o->leverandoertyper[t][0] = dup_default(c, leverandoer_types[t]);
}

static const char *omraade_key_name(int a)
{
    return ng_omraade_key((ng_omraade)a);
}

static const char *leverandoer_type_name(int t)
{
    return leverandoer_types[t];
}

/* One value under two keys of a value-set section ([omraader],
 * [leverandoertyper]) is an error at the later key's line. */
static void check_value_sets(char *const (*sets)[8], int n, const char *section,
                             const char *(*key_name)(int), ng_config_ctx *c)
{
    for (int a = 1; a < n; a++)
        for (int b = 0; b < a; b++)
            for (int i = 0; i < 8 && sets[a][i]; i++)
                for (int j = 0; j < 8 && sets[b][j]; j++)
                    if (!strcmp(sets[a][i], sets[b][j])) {
                        long line = ng_config_key_line(c, section, key_name(a));
                        if (!line)
                            line = ng_config_key_line(c, section, key_name(b));
                        ng_config_error(c, line, "værdien '%s' står under både '%s' og '%s' i [%s]",
                                        sets[a][i], key_name(b), key_name(a), section);
                    }
}

/* Two fields read from one column, or one value meaning two områder (or
 * two leverandørtyper), is a mistake in the mapping that would silently
 * lose data. */
static void check_mappings(const opts *o, ng_config_ctx *c)
{
    for (int f = 1; f < NG_F_COUNT; f++)
        for (int g = 0; g < f; g++)
            if (o->kolonner[f] && o->kolonner[g] && !strcasecmp(o->kolonner[f], o->kolonner[g])) {
                long line = ng_config_key_line(c, "kolonner", field_names[f]);
                if (!line)
                    line = ng_config_key_line(c, "kolonner", field_names[g]);
                ng_config_error(c, line, "kolonnen '%s' bruges til både '%s' og '%s' i [kolonner]",
                                o->kolonner[f], field_names[g], field_names[f]);
            }
    check_value_sets(o->omraader, NG_OMR_COUNT, "omraader", omraade_key_name, c);
    check_value_sets(o->leverandoertyper, 3, "leverandoertyper", leverandoer_type_name, c);
}

static void options_finish(void *p, ng_config_ctx *c)
{
    apply_defaults(p, c);
    check_mappings(p, c);
}

/* ---- the run ------------------------------------------------------------------ */

static const char *extract_path(const opts *o, const ng_pipeline *p)
{
    return p->extract_override ? p->extract_override : o->file.path;
}

static void inputs(const void *opt, const ng_pipeline *p, ng_input_list *out)
{
    ng_input_list_add(out, extract_path(opt, p));
}

/* The extract date: --dato, else the config's (unless --udtraek names
 * another file), else a date in the file name; the year: [udtraek] aar,
 * else the date's. */
static ng_status prepare(const void *opt, ng_pipeline *p)
{
    const opts *o = opt;
    p->extract_path = extract_path(o, p);
    p->beloeb_kolonne = o->kolonner[NG_F_BELOEB];
    if (p->has_cli_dato)
        p->dato = p->cli_dato;
    else if (o->has_dato && !p->extract_override)
        p->dato = o->dato;
    else if (!ng_date_from_filename(extract_path(o, p), &p->dato)) {
        ng_error(p->diags, p->config_path, 0, 0,
                 "udtrækkets dato kendes ikke: angiv [udtraek] dato, --dato eller en dato i "
                 "filnavnet (fx sager_2025-10-31.csv)");
        return NG_ERR_CONFIG;
    }
    p->has_dato = true;
    p->aar = o->aar ? o->aar : p->dato.y;
    return NG_OK;
}

/* The facts every memo names: the extract date and the year. */
static ng_status publish_facts(ng_pipeline *p)
{
    ng_dataset *ds = &p->ds;
    ds->udtraek_dato = p->dato;
    ng_dataset_set_num(ds, "udtraek_dato", NG_UNIT_DATO, (double)ng_date_to_days(p->dato));
    return ng_dataset_set_num(ds, "aar", NG_UNIT_AAR, p->aar);
}

/* Reads the extract into p->cases. Under decimaltegn = auto, when the
 * amounts' notation was decided by a value that came after an ambiguous one
 * read the other way (dk.h, ng_notation), the extract is read once more with
 * the notation decided, and only that reading's messages are kept; an
 * undecidable notation is the plausibility guard's to stop. */
static ng_status read_cases(const opts *o, ng_pipeline *p)
{
    ng_diags first;
    ng_diags_init(&first);
    p->cases = ng_cases_new();
    ng_status st =
        p->cases ? ng_load_extract(o, p->extract_override, p->output_dir, p->cases, &p->rec, &first)
                 : NG_ERR_NOMEM;
    ng_decimal_mark mark = NG_DECIMAL_AUTO;
    if (st != NG_ERR_NOMEM &&
        ng_notation_decide(&p->rec.beloeb_notation, &mark) == NG_NOTATION_REREAD) {
        char why[512];
        ng_notation_explain(&p->rec.beloeb_notation, NG_NOTATION_REREAD, o->kolonner[NG_F_BELOEB],
                            why, sizeof why);
        ng_note(p->diags, p->extract_path, 0, 0, "%s", why);
        opts decided = *o;
        decided.file.decimal = mark;
        ng_cases_free(p->cases);
        p->cases = ng_cases_new();
        st = p->cases ? ng_load_extract(&decided, p->extract_override, p->output_dir, p->cases,
                                        &p->rec, p->diags)
                      : NG_ERR_NOMEM;
    } else {
        ng_diags_append(p->diags, &first);
    }
    ng_diags_free(&first);
    return st;
}

static ng_status compute(const void *opt, ng_pipeline *p)
{
    ng_status st = read_cases(opt, p);
    p->has_rec = true;
    if (st == NG_OK)
        st = publish_facts(p);
    return st;
}

/* `check`: every row parsed and checked as in a full reading, but no money
 * kept (ingest.h), so a large extract is checked in little memory. */
static ng_status check(const void *opt, ng_pipeline *p)
{
    ng_status st =
        ng_load_extract(opt, p->extract_override, p->output_dir, NULL, &p->rec, p->diags);
    p->has_rec = true;
    return st;
}

static const ng_decl publishes[] = {
    NG_DECL_FACT_("udtraek_dato", NG_UNIT_DATO, "Udtrækkets dato"),
    NG_DECL_FACT_("aar", NG_UNIT_AAR, "Året notatet handler om"),
};

const ng_module ng_module_udtraek = {
    .name = "udtraek",
    .summary = "Udtrækket af sagernes udgiftslinjer: læses, kontrolleres og afstemmes",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_init = options_init,
    .options_finish = options_finish,
    .options_free = options_free,
    .inputs = inputs,
    .prepare = prepare,
    .compute = compute,
    .check = check,
    .publishes = publishes,
    .npublishes = sizeof publishes / sizeof *publishes,
};
