/* output.c -- the output module (see output.h). */
#include "notatgen/output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "notatgen/json.h"
#include "notatgen/module.h"
#include "notatgen/modules.h"
#include "notatgen/pdf.h"
#include "notatgen/privacy.h"
#include "notatgen/publish.h"
#include "notatgen/template.h"
#include "notatgen/xlsx.h"

typedef ng_output_options opts;

/* ---- configuration ------------------------------------------------------------ */

#define MEMO_KEY(name, kind, member) NG_KEY(opts, "notat", name, kind, memo.member)

static const ng_config_key keys[] = {
    NG_KEY_REQ(opts, "output", "mappe", NG_KEY_PATH, mappe, NG_REQUIRED),
    NG_KEY(opts, "output", "bilag", NG_KEY_FILENAME, bilag),
    NG_KEY_AUX(opts, "output", "notater", NG_KEY_NAME_LIST, notater, nnotater),
    NG_KEY(opts, "output", "skabeloner", NG_KEY_PATH, skabeloner),
    NG_KEY(opts, "output", "skrifttyper", NG_KEY_PATH, skrifttyper),
    MEMO_KEY("sagsnavn", NG_KEY_STRING, sagsnavn),
    MEMO_KEY("sagsnummer", NG_KEY_STRING, sagsnummer),
    MEMO_KEY("skrevet_af", NG_KEY_STRING, skrevet_af),
    MEMO_KEY("email", NG_KEY_EMAIL, email),
    MEMO_KEY("forvaltning", NG_KEY_STRING, forvaltning),
    MEMO_KEY("sendes_til", NG_KEY_STRING, sendes_til),
    NG_KEY(opts, "notat", "logo", NG_KEY_PATH, logo),
    NG_KEY(opts, "notat", "logo_tekst", NG_KEY_STRING, logo_tekst),
    NG_KEY(opts, "notat", "logo_sider", NG_KEY_STRING, logo_sider),
};

static void free_meta(ng_memo_meta *m)
{
    free(m->sagsnavn);
    free(m->sagsnummer);
    free(m->skrevet_af);
    free(m->email);
    free(m->forvaltning);
    free(m->sendes_til);
}

static void options_free(void *p)
{
    opts *o = p;
    free(o->mappe);
    free(o->bilag);
    for (size_t i = 0; i < o->nnotater; i++)
        free(o->notater[i]);
    free(o->notater);
    free(o->skabeloner);
    free(o->skrifttyper);
    free_meta(&o->memo);
    free(o->logo);
    free(o->logo_tekst);
    free(o->logo_sider);
    for (size_t i = 0; i < o->nsaer; i++) {
        free(o->saer[i].notat);
        free_meta(&o->saer[i].meta);
    }
    free(o->saer);
}

static ng_memo_override *override_for(opts *o, const char *notat, ng_config_ctx *c)
{
    for (size_t i = 0; i < o->nsaer; i++)
        if (!strcmp(o->saer[i].notat, notat))
            return &o->saer[i];
    ng_memo_override *list = realloc(o->saer, (o->nsaer + 1) * sizeof *list);
    if (!list) {
        ng_config_nomem(c);
        return NULL;
    }
    o->saer = list;
    ng_memo_override *ov = &list[o->nsaer];
    memset(ov, 0, sizeof *ov);
    if (!(ov->notat = strdup(notat))) {
        ng_config_nomem(c);
        return NULL;
    }
    o->nsaer++;
    return ov;
}

/* A key of [notat.NAVN]: the same keys and checks as [notat], into the
 * memo's own fields (at the same place in its ng_memo_meta). */
static void subsection_key(void *p, const char *sub, const ng_config_key *k, const char *value,
                           ng_config_ctx *c)
{
    opts *o = p;
    ng_memo_override *ov = override_for(o, sub, c);
    if (!ov)
        return;
    size_t at = k->offset - offsetof(opts, memo);
    if (at >= sizeof(ng_memo_meta)) { /* [notat.NAVN] has only the header fields */
        ng_config_error(c, ng_config_ctx_line(c),
                        "nøglen '%s' gælder alle notater og hører til i [notat]", k->key);
        return;
    }
    ng_config_parse_string(c, k, value, (char **)((char *)&ov->meta + at));
}

static char *default_template_dir(void)
{
    struct stat st;
    const char *installed = NG_DATA_DIR "/templates";
    if (stat(installed, &st) == 0 && S_ISDIR(st.st_mode))
        return strdup(installed);
    return strdup(NG_SOURCE_DIR "/templates");
}

/* logo_sider = foerste (or første) */
static bool logo_on_first_only(const opts *o)
{
    return o->logo_sider &&
           (!strcasecmp(o->logo_sider, "foerste") || !strcasecmp(o->logo_sider, "første"));
}

static void options_finish(void *p, ng_config_ctx *c)
{
    opts *o = p;
    if (!o->bilag && !(o->bilag = strdup("bilag.xlsx")))
        ng_config_nomem(c);
    if (!o->notater) {
        o->notater = calloc(1, sizeof *o->notater);
        if (!o->notater || !(o->notater[0] = strdup("sde_status")))
            ng_config_nomem(c);
        else
            o->nnotater = 1;
    }
    if (!o->skabeloner && !(o->skabeloner = default_template_dir()))
        ng_config_nomem(c);
    if (o->logo_sider && !logo_on_first_only(o) && strcasecmp(o->logo_sider, "alle"))
        ng_config_error(c, ng_config_key_line(c, "notat", "logo_sider"),
                        "ugyldig værdi for 'logo_sider': '%s' (forventet alle eller foerste)",
                        o->logo_sider);
}

void ng_output_memo_meta(const ng_output_options *o, const char *notat, ng_memo_meta *out)
{
    *out = o->memo;
    for (size_t i = 0; notat && i < o->nsaer; i++) {
        if (strcmp(o->saer[i].notat, notat))
            continue;
        const ng_memo_meta *m = &o->saer[i].meta;
        out->sagsnavn = m->sagsnavn ? m->sagsnavn : out->sagsnavn;
        out->sagsnummer = m->sagsnummer ? m->sagsnummer : out->sagsnummer;
        out->skrevet_af = m->skrevet_af ? m->skrevet_af : out->skrevet_af;
        out->email = m->email ? m->email : out->email;
        out->forvaltning = m->forvaltning ? m->forvaltning : out->forvaltning;
        out->sendes_til = m->sendes_til ? m->sendes_til : out->sendes_til;
    }
}

/* ---- the run ------------------------------------------------------------------ */

static ng_status prepare(const void *opt, ng_pipeline *p)
{
    p->output_dir = ((const opts *)opt)->mappe;
    p->template_dir = ((const opts *)opt)->skabeloner;
    return NG_OK;
}

static char *template_path(const opts *o, const char *name)
{
    char file[256];
    snprintf(file, sizeof file, "%s.md", name);
    return ng_path_join(o->skabeloner, file);
}

static void inputs(const void *opt, const ng_pipeline *p, ng_input_list *out)
{
    const opts *o = opt;
    (void)p;
    for (size_t i = 0; i < o->nnotater; i++) {
        char *path = template_path(o, o->notater[i]);
        ng_input_list_add(out, path);
        free(path);
    }
    if (o->logo)
        ng_input_list_add(out, o->logo);
}

/* What the memos need besides the data: the fonts, the hyphenation
 * patterns, the colour profile and the logo, read as the run reads them. */
static ng_status check(const void *opt, ng_pipeline *p)
{
    const opts *o = opt;
    ng_pdf_options po = {.font_dir = o->skrifttyper, .logo = o->logo};
    ng_status st = ng_pdf_check_resources(&po, p->diags);
    if (st == NG_OK && o->logo)
        printf("%s: logoet kan læses\n", o->logo);
    return st;
}

static char *stage_path(const ng_pipeline *p, const char *name)
{
    return ng_path_join(p->stage_dir, name);
}

static ng_status render_json(ng_pipeline *p)
{
    char *path = stage_path(p, "data.json");
    ng_status st = path ? ng_json_write(&p->ds, path, p->diags) : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = ng_guard_file(path, p->diags);
    if (st == NG_OK)
        ng_pipeline_wrote(p, "data.json");
    free(path);
    return st;
}

static ng_status render_bilag(const opts *o, ng_pipeline *p)
{
    /* the bilag's `created` property: SOURCE_DATE_EPOCH, else the extract date */
    ng_xlsx_options xo = {
        .created_epoch = p->has_epoch ? p->epoch : (long long)ng_date_to_days(p->dato) * 86400,
        .title = "Bilag om særligt dyre enkeltsager",
        .author = p->kommune,
        .tmpdir = p->stage_dir,
    };
    char *path = stage_path(p, o->bilag);
    ng_status st = path ? ng_xlsx_write(&p->ds, &xo, path, p->diags) : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = ng_guard_xlsx(path, p->diags);
    if (st == NG_OK)
        ng_pipeline_wrote(p, o->bilag);
    free(path);
    return st;
}

static ng_status render_memo(const opts *o, ng_pipeline *p, const char *name)
{
    char file[256];
    snprintf(file, sizeof file, "%s.pdf", name);
    char *tpl = template_path(o, name);
    char *pdf = stage_path(p, file);
    ng_memo memo;
    ng_memo_init(&memo);
    ng_memo_meta meta;
    ng_output_memo_meta(o, name, &meta);
    ng_status st = tpl && pdf ? NG_OK : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = ng_template_render(tpl, &p->ds, &meta, &memo, p->diags);
    if (st == NG_OK)
        st = ng_guard_memo(&memo, p->diags);
    if (st == NG_OK) {
        /* the memo's date: SOURCE_DATE_EPOCH, else the extract date */
        ng_pdf_options po = {
            .font_dir = o->skrifttyper,
            .has_date = true,
            .date_epoch = p->has_epoch ? p->epoch : (long long)ng_date_to_days(p->dato) * 86400,
            .author = p->kommune,
            .subject = memo.title,
            .logo = o->logo,
            .logo_text = o->logo_tekst ? o->logo_tekst : p->kommune,
            .logo_first_page_only = logo_on_first_only(o)};
        st = ng_pdf_write(&memo, &po, pdf, p->diags);
    }
    if (st == NG_OK)
        ng_pipeline_wrote(p, file);
    ng_memo_free(&memo);
    free(tpl);
    free(pdf);
    return st;
}

ng_status ng_output_render(const ng_output_options *o, ng_pipeline *p, char *const *notater,
                           size_t nnotater)
{
    /* the memos' key figures as a table of their own, so the bilag has them
     * as live formulas into the other sheets (the sheet Nøgletal) */
    ng_status st = ng_dataset_add_table(&p->ds, ng_dataset_values_table(&p->ds));
    if (st == NG_OK)
        st = render_json(p);
    if (st == NG_OK)
        st = render_bilag(o, p);
    for (size_t i = 0; i < nnotater && st == NG_OK; i++)
        st = render_memo(o, p, notater[i]);
    return st;
}

char *ng_output_template_path(const ng_output_options *o, const char *notat)
{
    return template_path(o, notat);
}

static ng_status render(const void *opt, ng_pipeline *p)
{
    const opts *o = opt;
    return ng_output_render(o, p, o->notater, o->nnotater);
}

static const ng_decl publishes[] = {
    NG_DECL_TABLE_("noegletal", "Nøgletal",
                   "Notaternes nøgletal: hver værdi en formel, der peger på sin tabels celle",
                   NG_COLS({"navn", NULL, NG_UNIT_TEXT, 0, NG_COL_HIDDEN},
                           {"beskrivelse", NULL, NG_UNIT_TEXT, 0, 0},
                           {"vaerdi", NULL, NG_UNIT_ANTAL, 0, 0})),
};

const ng_module ng_module_output = {
    .name = "output",
    .summary = "Notaterne (PDF), bilaget (Excel) og data.json i kørslens mappe",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_finish = options_finish,
    .options_free = options_free,
    .subsection = "notat",
    .subsection_key = subsection_key,
    .inputs = inputs,
    .prepare = prepare,
    .check = check,
    .render = render,
    .publishes = publishes,
    .npublishes = sizeof publishes / sizeof *publishes,
};
