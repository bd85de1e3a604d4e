/*
 * suppress.h -- small-cell suppression that holds across every published
 * number: the audit and its repair.
 *
 * The tables of one population share totals: omraader, aldersgrupper,
 * maalgrupper, leverandoertyper, the tiers, andel_50_75 and the values the
 * memos quote count the same persons in different ways. A complement chosen
 * inside one table can then be given back by another: omraader hides ældre
 * (2 persons) and, as its complement, børn; aldersgrupper covers voksen and
 * ældre, so its total less the voksen row of omraader is ældre again.
 *
 * So every published number is treated as one system of linear relations:
 *   - each table's rules: a sum of rows, a mean of rows (n m minus the sum
 *     of its n numbers is 0), a linear combination (also of another table's
 *     cells; a constant moves the sum, not the relation), a published ratio
 *     r = N/D (also under a root or with a constant) gives N - r D = 0 with
 *     its numerator and denominator, and with D published N itself; a
 *     suppressed ratio without a root whose denominator is published gives
 *     N - D r = 0 (a mean of rates that gives r back gives N); a published
 *     product with one unknown factor gives it; a median is not linear and
 *     relates nothing: a median over a suppressed cell is suppressed;
 *   - every value's rule (a value is a reference or a rule over cells, and
 *     other values);
 *   - the dataset's identities (ng_identity): the same population counted
 *     in two tables.
 * The unknowns are the suppressed cells and values; a published cell or
 * value is a known. A suppressed cell u is derivable exactly when its unit
 * vector e_u lies in the row space of the relations restricted to the
 * unknowns. The audit decides this exactly: integer rows (rational
 * coefficients scaled to integers), fraction-free Gauss-Jordan elimination
 * with every row divided by the gcd of its entries, in 128-bit integers with
 * every product and sum checked for overflow (an overflow stops the run
 * rather than guess). It proves this for every suppressed cell that holds a
 * count or an amount; a suppressed ratio, product or median is hidden with what it
 * is computed from and gives nothing away that its parts do not, and a
 * suppressed value is one that reads a suppressed cell (both are unknowns
 * of the system all the same). A relation that is not linear in the
 * unknowns (a suppressed ratio, a product of two unknowns) adds nothing.
 *
 * The complements are chosen here, across tables: for a derivable cell,
 * among the published cells of count tables (and values) in the relations
 * that can derive it, the one after which it is underivable and the fewest
 * suppressed cells are derivable; among equals a detail person count, then
 * a detail amount, a zero count, a derived cell, a total, a value, the
 * smallest first. A person count takes the money of its row along. The
 * audit runs again until no suppressed cell is derivable; a ratio in a
 * detail row and a median in any row that read a suppressed cell are
 * suppressed too, and every
 * value reading one (ng_dataset_propagate_suppression). Every suppression
 * is recorded in ds->suppressions with its reason.
 */
#ifndef NOTATGEN_SUPPRESS_H
#define NOTATGEN_SUPPRESS_H

#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* The cross-table pass over ds, after the per-table suppression (privacy.h
 * ng_suppress_small_cells calls it). Adds a note on what it added. Returns
 * NG_OK; NG_ERR_PRIVACY (with an error naming the cell) when a derivable
 * cell has no further cell to protect it; NG_ERR_INTERNAL when the exact
 * arithmetic would overflow; NG_ERR_NOMEM. */
ng_status ng_suppress_across_tables(ng_dataset *ds, int min_persons, ng_diags *diags);

/* One suppressed cell that the published numbers give away. */
typedef struct {
    const char *table; /* borrowed from the dataset */
    int row, col;
    const char *value; /* (always NULL: values are not audited, see above) */
} ng_leak;

typedef struct {
    ng_leak *items;
    size_t n;
} ng_leaks;

/* The audit alone: fills leaks (the caller frees them) with every
 * suppressed cell of ds holding a count or an amount that the published
 * numbers determine. NG_OK (leaks->n may be 0), NG_ERR_INTERNAL on
 * overflow, NG_ERR_NOMEM. */
ng_status ng_suppress_audit(const ng_dataset *ds, ng_leaks *leaks);
void ng_leaks_free(ng_leaks *leaks);

#endif
