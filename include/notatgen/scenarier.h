/*
 * scenarier.h -- the forecast's scenarios (docs/regler.md, "Scenarier"):
 * scenario 1 is the forecast (the growth method's spend, prognose), scenario
 * 2 the same less the expected demografi regulation and less the
 * initiatives' net effect (initiativer_netto).
 *
 *   prognose_grundlag, prognose, initiativer_netto + [scenarier]
 *     --ng_scenarier_publish--> scenarier, scenarier_figur, scenarie_* values
 *
 * The table `scenarier` has a column per year: the forecast's base year
 * (where both scenarios start: the base year's cases x the spend per case)
 * and every forecast year, and the rows
 *   scenarie_1   the forecast's spend (a reference into prognose)
 *   demografi    the expected demografi regulation: a yearly amount that
 *                grows by itself each year (demografi_aarlig: k x the
 *                amount in the k-th year, "previous + amount" as a rule), or
 *                the configured amounts year by year (demografi; after the
 *                last one its amount holds)
 *   initiativer  the initiatives' net effect (+ = added expense), a
 *                reference into initiativer_netto's total; after the
 *                initiative file's last year its last year holds
 *                (fasthold_initiativer = ja) or the row is 0
 *   scenarie_2   scenarie_1 - demografi + initiativer
 *   forbedring   scenarie_1 - scenarie_2: how much the regulation and the
 *                initiatives improve the forecast
 * Every cell but the configured amounts is a live rule. Money cells hold
 * kr. (shown in mio. kr.).
 */
#ifndef NOTATGEN_SCENARIER_H
#define NOTATGEN_SCENARIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notatgen/diag.h"
#include "notatgen/table.h"

/* The scenario module's options: [scenarier]. */
typedef struct {
    bool present;              /* the section is in the configuration */
    double demografi_aarlig;   /* kr. added to the regulation each year; 0: none */
    int64_t demografi[8];      /* kr. per forecast year, ascending */
    size_t ndemografi;         /* 0: none */
    bool initiativer;          /* scenario 2 less the initiatives' net effect (default ja) */
    bool fasthold_initiativer; /* after the file's last year its effect holds (default ja) */
} ng_scenarier_options;

/* Publishes the table, the figure and the values (docs/datasaet.md, module
 * scenarier) into ds, which must hold prognose_grundlag and prognose (the
 * forecast module's); initiativer_netto is used when there and opt asks for
 * it. NG_ERR_CONFIG (with a message) without a forecast. */
ng_status ng_scenarier_publish(const ng_scenarier_options *opt, ng_dataset *ds, ng_diags *diags);

#endif
