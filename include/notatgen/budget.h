/*
 * budget.h -- the budget outlook of the social area (seed 001,
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
 * Budget file layouts (values in the file's `enhed`): wide, as the reference
 * (`[kind;]post;tekst;2023;2024;…`, '#' comments; rows of kind `derived` are
 * checked against the computed values and otherwise ignored), or long
 * (`post;aar;beloeb`).
 */
#ifndef NOTATGEN_BUDGET_H
#define NOTATGEN_BUDGET_H

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/table.h"

/* Values that other computations can put into input rows instead of the
 * budget file's (config: merindtaegt_fra_refusion, effekt_fra_initiativer).
 * With table set the cell is not a value but a live reference to the cell of
 * row key `row` and the column of year aar in that table of the dataset (the
 * fingerplan's total): the bilag's formula points there, kr is its value. */
typedef struct {
    const char *post; /* input row key, e.g. "effekt_fingerplan" */
    int aar;
    double kr;
    const char *table; /* optional: the source table in the dataset (NULL: a value) */
    const char *row;   /* with table: the source row's key, e.g. "i_alt" */
} ng_budget_override;

/* Builds the `budgetoverslag` table (and `budgetoverslag_figur`) into ds from
 * the budget file cfg->budget, the model file model_path and the debt carried
 * cfg->gaeld_primo. */
ng_status ng_budget_outlook(const ng_config *cfg, const char *model_path,
                            const ng_budget_override *overrides, size_t noverrides, ng_dataset *ds,
                            ng_diags *diags);

#endif
