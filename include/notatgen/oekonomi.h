/*
 * oekonomi.h -- named values for the economy memo (seed 001) taken from the
 * evaluated `budgetoverslag` table, so that a template can write "i {{
 * budget_foerste_aar }} et merforbrug på {{ budget_merforbrug_efter_foerste |
 * mio }} mio. kr." without naming a year in the text.
 *
 * Values (money in kr., unit mio):
 *   budget_foerste_aar, budget_sidste_aar, budget_primo_aar (AAR)
 *   budget_gaeld_primo                       the debt carried (cfg)
 *   budget_<post>_foerste, budget_<post>_sidste   every row of the table
 *   budget_merforbrug_foer_sdes_foerste      merforbrug_efter + merindtaegt_sdes,
 *                                            first year (the seed's 71,1)
 *   budget_merforbrug_inkl_gaeld_foerste     the same + the carried debt (140,2)
 *   budget_afboedning_sidste                 udgift_foer_soep - udgift_inkl_alt,
 *                                            last year (the seed's "godt 74")
 * A post the model lacks leaves its derived values out.
 */
#ifndef NOTATGEN_OEKONOMI_H
#define NOTATGEN_OEKONOMI_H

#include <sqlite3.h>

#include "notatgen/budget.h"
#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/table.h"

/* NG_ERR_INTERNAL when ds has no evaluated budgetoverslag table. */
ng_status ng_budget_values(const ng_config *cfg, ng_dataset *ds);

/* The economy stage of a run, each part only when its input is configured:
 * initiatives ([initiativer]), the fingerplan ([fingerplan]), the SDE
 * history and forecasts ([prognose] historik; with db: import of
 * `tidligere`, prognose_mod_faktisk, and the new forecasts stored under
 * made_on), the budget outlook ([budget], model cfg->budget_model) and its
 * values. With effekt_fra_initiativer the row effekt_fingerplan is set from
 * the fingerplan's total, or without a fingerplan from the initiatives' net;
 * extra[0..nextra) are further overrides (merindtaegt_sdes from the refusion
 * budget). */
ng_status ng_oekonomi_publish(const ng_config *cfg, sqlite3 *db, const char *made_on,
                              const ng_budget_override *extra, size_t nextra, ng_dataset *ds,
                              ng_diags *diags);

#endif
