/*
 * output.h -- the output module: where a run writes ([output]), the memo
 * headers ([notat], [notat.NAVN]), and the rendering of the dataset into
 * data.json, the bilag and the memos in the staging directory.
 *
 *   dataset --ng_json_write--> data.json        (json.h)
 *           --ng_xlsx_write--> bilag.xlsx       (xlsx.h), with the key figures
 *                                               as the sheet Nøgletal
 *           --ng_template_render + ng_pdf_write--> NAME.pdf per [output] notater
 *
 * Every output passes the CPR guard before it stays in the staging
 * directory (privacy.h).
 */
#ifndef NOTATGEN_OUTPUT_H
#define NOTATGEN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/memo.h"
#include "notatgen/status.h"

/* [notat.NAVN]: header fields for one memo, over the [notat] defaults. */
typedef struct {
    char *notat; /* the template name, e.g. "oekonomi_status" */
    ng_memo_meta meta;
} ng_memo_override;

typedef struct {
    char *mappe;    /* [output] mappe: OUT, where OUT/ÅÅÅÅ-MM-DD/ is published */
    char *bilag;    /* the workbook's file name; default "bilag.xlsx" */
    char **notater; /* the templates to render; default "sde_status" */
    size_t nnotater;
    char *skabeloner;       /* the templates' folder; default the shipped one */
    char *skrifttyper;      /* the fonts' folder; NULL = fontconfig */
    ng_memo_meta memo;      /* [notat]: header defaults for every memo */
    char *logo;             /* [notat] logo: PNG or JPEG for the letterhead; NULL = none */
    char *logo_tekst;       /* its alternative text; NULL = the municipality's name */
    char *logo_sider;       /* "alle" (NULL) or "foerste": the logo on the first page only */
    ng_memo_override *saer; /* [notat.NAVN] */
    size_t nsaer;
} ng_output_options;

/* The header fields of memo `notat`: its [notat.NAVN] fields where given,
 * else the [notat] defaults. out's strings are borrowed from o. */
void ng_output_memo_meta(const ng_output_options *o, const char *notat, ng_memo_meta *out);

struct ng_pipeline;

/* Writes data.json, the bilag and the memos named in notater (templates
 * NAME.md in o->skabeloner) of p's dataset into p->stage_dir: the module's
 * render step, which renders [output] notater; `notatgen samlet` renders
 * its own memo. */
ng_status ng_output_render(const ng_output_options *o, struct ng_pipeline *p, char *const *notater,
                           size_t nnotater);
/* The template file of memo notat (o->skabeloner/NOTAT.md); the caller frees. */
char *ng_output_template_path(const ng_output_options *o, const char *notat);

#endif
