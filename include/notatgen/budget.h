/*
 * budget.h -- the budget outlook of the social area (the economy memo,
 * budgetmodel_2023.csv): input rows from a budget file, derived rows from the
 * rules of a model file shipped in templates/ (budgetmodel.ini), the debt
 * carried year by year.
 *
 * The model file is an INI file whose sections are the table's rows in
 * order. A section without `regel` is an input row (its numbers come from the
 * budget file, matched by post key); `regel` is a sum of posts with + and -,
 * where `post[-1]` is the post's value the year before; for the first year,
 * `primo = gaeld_primo` gives that value from the configuration:
 *
 *   [budget_inkl]
 *   tekst = Budget inkl. forv. demografi og merindtægt SDES (gul kurve)
 *   regel = korrigeret_budget + merindtaegt_sdes + demografi
 *   fed = ja
 *
 *   [gaeld]
 *   regel = gaeld[-1] + merforbrug_efter
 *   primo = gaeld_primo
 *
 * The derived cells become table rules (ng_table_rule_linear), so the PDF
 * shows and the bilag computes the same numbers.
 *
 * Budget file layouts (values in the file's `enhed`): wide
 * (`[kind;]post;tekst;2023;2024;…`, '#' comments; rows of kind `derived` are
 * checked against the computed values and otherwise ignored), or long
 * (`post;aar;beloeb`).
 */
#ifndef NOTATGEN_BUDGET_H
#define NOTATGEN_BUDGET_H

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/table.h"

/* The budget module's options: [budget]. */
typedef struct {
    ng_input_file file;            /* fil and its format (enhed for the amounts) */
    char *model;                   /* the model file; NULL: budgetmodel.ini among the templates */
    char *gaeld_primo_text;        /* as written: parsed in the file's enhed */
    double gaeld_primo;            /* debt carried from the year before the outlook, kr. */
    bool merindtaegt_fra_refusion; /* merindtægt SDES from the refusion budget */
    bool effekt_fra_initiativer;   /* effekt_fingerplan from the fingerplan or initiatives */
} ng_budget_options;

/* An input row set from another computation instead of the budget file
 * (merindtaegt_fra_refusion, effekt_fra_initiativer): in year aar the cell
 * is a live rule over cells of other tables of the dataset (terms name
 * their table, ng_dataset_term), so the bilag's formula points there; with
 * nterms 0 it is the plain value kr. */
typedef struct {
    const char *post; /* input row key, e.g. "effekt_fingerplan" */
    int aar;
    double kr;
    const ng_term *terms;
    int nterms;
} ng_budget_override;

/* Builds the `budgetoverslag` table (and `budgetoverslag_figur`) into ds from
 * the budget file opt->file, the model file model_path and the debt carried
 * opt->gaeld_primo. */
ng_status ng_budget_outlook(const ng_budget_options *opt, const char *model_path,
                            const ng_budget_override *overrides, size_t noverrides, ng_dataset *ds,
                            ng_diags *diags);

/* The values of the outlook a template quotes without naming a year
 * (budget_foerste_aar, budget_<post>_foerste, _sidste, ...): references and
 * rules over the evaluated `budgetoverslag` of ds (NG_ERR_INTERNAL without
 * it). */
ng_status ng_budget_values(ng_dataset *ds);

#endif
