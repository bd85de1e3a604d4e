/*
 * refusionsbudget.h -- the refusion income against its budget (docs/regler.md).
 *
 *   ng_refusion_result + config [refusionsbudget]
 *     --ng_refusionsbudget_tables--> refusionsbudget, refusion_aconto
 *
 * refusionsbudget: per fagområde its share of the year's budgeted refusion
 * income, the computed refusion, the difference (merindtægt +, mindreindtægt
 * -) as a rule, and where the difference goes: the area under model 2, the
 * kasse under model 1. refusion_aconto: the quarterly a'conto claims.
 */
#ifndef NOTATGEN_REFUSIONSBUDGET_H
#define NOTATGEN_REFUSIONSBUDGET_H

#include "notatgen/diag.h"
#include "notatgen/refusion.h"
#include "notatgen/table.h"

/* The refusion budget module's options: [refusionsbudget]. The fagområder
 * are indexed as ng_omraade: 0 voksen (socialområdet), 1 boern
 * (familieområdet), 2 aeldre (omsorgsområdet). */
typedef struct {
    double beloeb;   /* the year's budgeted refusion income, kr.; 0: none */
    double andel[3]; /* fractions of the budget, summing to 1 */
    int model[3];    /* 1: the difference goes to the kasse; 2 (default): the area keeps it */
} ng_refusionsbudget_options;

/* Publishes the two tables and the values refusionsbudget,
 * refusion_merindtaegt (references to the table) and
 * refusion_opgoerelse_dato. The budget is split over the areas by largest
 * remainder, so the parts add up to the budget to the krone. The shares
 * must add up to 100 % (NG_ERR_CONFIG otherwise). */
ng_status ng_refusionsbudget_tables(const ng_refusion_result *r,
                                    const ng_refusionsbudget_options *opt, ng_dataset *ds,
                                    ng_diags *diags);

#endif
