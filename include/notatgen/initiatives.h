/*
 * initiatives.h -- investment initiatives (the initiatives memo) and the
 * fingerplan (the economy memo): line items per initiative and year, their investment, effect
 * and net ("provenu"), and the yearly net that can feed the budget outlook.
 *
 * Sign convention everywhere: positive = added expense, negative = saving.
 *
 * Initiative file (cfg->initiativer), amounts in the file's `enhed`:
 *   wide  initiativ;linje;type;2022;2023;...      (initiativer_2022_2025.csv)
 *   long  initiativ;linje;type;aar;beloeb         (one row per line and year)
 * type is `investering` or `effekt`; anything else is an error naming
 * file:line:column and the value. A line of the long layout is identified by
 * (initiativ, linje, type) in order of first appearance.
 *
 * Published (ng_initiatives_publish):
 *   initiativ_1, initiativ_2, ...  one table per initiative (title = its
 *       name): its lines in file order (key linje_<n>, hidden column `type`)
 *       and the bold row `netto` "Provenu (+=merudgift)", a SUM rule.
 *   initiativer_investering, initiativer_effekt, initiativer_netto: one row
 *       per initiative (key initiativ_<n>) and the row `i_alt` "I alt" (SUM
 *       rule). The three overview tables are kept apart as in the seed (and
 *       docs/datasaet.md). Every initiative's cell is live, a LINEAR rule reading
 *       its table initiativ_<n> (a cross-table term, see table.h):
 *       investering/effekt the lines of that type, netto its `netto` row
 *       (Provenu); a year in which no such line has an amount stays empty.
 *   initiativer_linjer: every initiative in one table (for templates that
 *       must not know how many there are): a bold heading row initiativ_<n>,
 *       the lines initiativ_<n>_linje_<m>, the bold row initiativ_<n>_netto
 *       (SUM over the lines) and `i_alt`, a live LINEAR rule over the netto
 *       rows.
 *   initiativer_figur: columns of netto per initiative per year.
 *   values initiativer_{investering,effekt,netto}_i_alt_<aar> and _sidste (kr),
 *       initiativer_antal, initiativer_foerste_aar, initiativer_sidste_aar,
 *       initiativ_<n>_navn.
 *
 * Fingerplan file (fingerplan_2024_2027.csv): nr;titel;2024;... with an
 * optional total row (blank nr); the total row is checked against the sum of
 * the items (warning when it disagrees) and never used as input. Two text
 * columns are optional: the solution (`loesningsforslag`, also headed
 * "Løsningsforslag") and the economic effect in words (`noegletal`, also
 * "Økonomisk effekt/nøgletal"). Published as `fingerplan` (rows nr_<nr>,
 * columns nr, titel, the text columns the file has, a column per year,
 * total row `i_alt`).
 *
 * Ownership: ng_initiatives / ng_fingerplan own their strings; free with
 * ng_initiatives_free / ng_fingerplan_free (also after a failed read).
 */
#ifndef NOTATGEN_INITIATIVES_H
#define NOTATGEN_INITIATIVES_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/config.h"
#include "notatgen/diag.h"
#include "notatgen/table.h"

/* Years per file; initiatives (each one a table, a sheet in the bilag) and
 * fingerplan items per file. */
enum { NG_INIT_MAX_YEARS = 32, NG_INIT_MAX_INITIATIVES = 100, NG_INIT_MAX_ITEMS = 200 };

typedef enum { NG_INIT_INVESTERING, NG_INIT_EFFEKT } ng_initiative_type;

typedef struct {
    char *initiativ; /* name of the initiative the line belongs to */
    char *linje;     /* the line's text */
    ng_initiative_type type;
    int initiative; /* index into ng_initiatives.names */
    double kr[NG_INIT_MAX_YEARS];
    bool has[NG_INIT_MAX_YEARS];
    long line; /* first line in the file */
} ng_initiative_line;

typedef struct {
    char *path;                   /* for messages */
    int years[NG_INIT_MAX_YEARS]; /* sorted */
    int nyears;
    ng_initiative_line *lines; /* in file order */
    size_t nlines;
    char **names; /* initiatives in order of first appearance */
    size_t nnames;
} ng_initiatives;

/* Reads the initiative file (wide or long layout, recognised by its header). */
ng_status ng_initiatives_read(const ng_input_file *file, ng_initiatives *out, ng_diags *diags);
void ng_initiatives_free(ng_initiatives *in);

/* Publishes the tables, figure and values described above into ds. */
ng_status ng_initiatives_publish(const ng_initiatives *in, ng_dataset *ds, ng_diags *diags);

/* ---- the fingerplan ------------------------------------------------------ */

typedef struct {
    char *nr;
    char *titel;
    char *loesningsforslag; /* NULL when the file has no such column */
    char *noegletal;        /* NULL when the file has no such column */
    double kr[NG_INIT_MAX_YEARS];
    bool has[NG_INIT_MAX_YEARS];
    long line;
} ng_fingerplan_item;

typedef struct {
    char *path;
    int years[NG_INIT_MAX_YEARS];
    int nyears;
    ng_fingerplan_item *items;
    size_t nitems;
    char *total_label;                        /* label of the file's total row, or NULL */
    bool has_loesningsforslag, has_noegletal; /* the file's optional text columns */
} ng_fingerplan;

ng_status ng_fingerplan_read(const ng_input_file *file, ng_fingerplan *out, ng_diags *diags);
void ng_fingerplan_free(ng_fingerplan *fp);
/* Publishes `fingerplan` and the values fingerplan_i_alt_<aar> (kr),
 * fingerplan_foerste_aar, fingerplan_sidste_aar and
 * fingerplan_afboedning_sidste (minus the last year's total: positive =
 * saving). */
ng_status ng_fingerplan_publish(const ng_fingerplan *fp, ng_dataset *ds, ng_diags *diags);

#endif
