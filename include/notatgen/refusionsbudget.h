/*
 * refusionsbudget.h -- the refusion income against its budget (seed 004).
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

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/refusion.h"
#include "notatgen/table.h"

/* Publishes the two tables and the values refusionsbudget,
 * refusion_merindtaegt and refusion_opgoerelse_dato. The shares must add up
 * to 100 % (NG_ERR_CONFIG otherwise). */
ng_status ng_refusionsbudget_tables(const ng_refusion_result *r, const ng_config *cfg,
                                    ng_dataset *ds, ng_diags *diags);

/* The merindtægt the social area (voksne and ældre) keeps under model 2, in
 * kr., from the published table (0 when absent): the budget outlook's
 * "merindtaegt_sdes" when the config takes it from the computation. */
double ng_refusionsbudget_merindtaegt_social(const ng_dataset *ds);

#endif
