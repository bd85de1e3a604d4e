/*
 * registry.h -- the names a template can use: every value, table (with its
 * columns) and figure the modules declare that they publish (module.h),
 * with unit, module and a Danish description. Nothing is listed here a
 * second time: the registry is the modules' declarations, in module order.
 *
 * It is behind `notatgen templates`, the section of templates/README.md
 * between its registry markers and docs/datasaet.md (e2e tests compare
 * them), and ng_registry_check(), which a run calls on its dataset so that
 * a name published without being declared is an error rather than an
 * undocumented template name.
 *
 * Names may contain `*` (any characters) and `#` (one digit), e.g.
 * `initiativ_*` or a column `####` for year columns.
 *
 * Ownership: everything returned points into static data.
 */
#ifndef NOTATGEN_REGISTRY_H
#define NOTATGEN_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/module.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

typedef struct {
    const ng_decl *decl;
    const char *module; /* the declaring module's name */
} ng_reg_entry;

/* How many declarations there are, and the i-th in module order. */
size_t ng_registry_count(void);
ng_reg_entry ng_registry_at(size_t i);

/* The declaration of kind matching name (patterns included), or NULL;
 * *module (may be NULL) gets the declaring module's name. */
const ng_decl *ng_registry_find(ng_decl_kind kind, const char *name, const char **module);

/* true if name matches pattern (`*` any run of characters, `#` one digit). */
bool ng_registry_match(const char *pattern, const char *name);

/* The bilag's sheet name of a table ("Refusion pr. trin"), or NULL when its
 * declaration has none (the renderer then cuts the title). */
const char *ng_registry_sheet_name(const char *table_name);

/* The unit's Danish name as the registry documents it: "mio. kr.", "antal",
 * "tekst", ... (never NULL). */
const char *ng_registry_unit_name(ng_unit unit);

/* Reports (as errors) every table, value or figure in ds that no module
 * declares, and every table column its declaration lacks; a unit that
 * differs from the declared one is an error too (money units kr./1.000
 * kr./mio. kr. count as the same: they all hold kr.). Fills in each value's
 * description from its declaration. Returns NG_ERR_INTERNAL when anything
 * is undeclared, else NG_OK. */
ng_status ng_registry_check(ng_dataset *ds, ng_diags *diags);

/* Reports every value that is neither declared a fact nor a reference or a
 * rule over the tables' cells (NG_ERR_INTERNAL): a number a memo quotes
 * must come from the table model. */
ng_status ng_registry_check_rules(const ng_dataset *ds, ng_diags *diags);

#endif
