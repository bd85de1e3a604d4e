/*
 * registry.h -- the names a template can use: every value, table (with its
 * columns) and figure the computations publish, with unit, module and a
 * Danish description.
 *
 * The registry is the one list in code behind `notatgen templates`, the
 * section of templates/README.md between its registry markers (an e2e test
 * compares the two), and ng_registry_check(), which a run calls on its
 * dataset so that a name published without being registered is an error
 * rather than an undocumented template name.
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
#include "notatgen/status.h"
#include "notatgen/table.h"

typedef enum { NG_REG_VALUE, NG_REG_TABLE, NG_REG_FIGURE } ng_reg_kind;

typedef struct {
    const char *key; /* NULL ends a column list */
    ng_unit unit;
} ng_reg_column;

typedef struct {
    ng_reg_kind kind;
    const char *name;
    ng_unit unit;              /* values */
    const char *module;        /* "refusion", "historik", ... */
    const char *description;   /* one Danish line */
    const ng_reg_column *cols; /* tables: the columns; NULL when not fixed */
    const char *table;         /* figures: the table drawn */
} ng_reg_entry;

/* All entries in documentation order; *count gets their number. */
const ng_reg_entry *ng_registry(size_t *count);

/* The entry of kind matching name (patterns included), or NULL. */
const ng_reg_entry *ng_registry_find(ng_reg_kind kind, const char *name);

/* true if name matches pattern (`*` any run of characters, `#` one digit). */
bool ng_registry_match(const char *pattern, const char *name);

/* A short Danish name for the table's sheet in the bilag ("Refusion pr. trin"),
 * or NULL when the registry has none (the renderer then cuts the title). */
const char *ng_registry_sheet_name(const char *table_name);

/* The unit's Danish name as the registry documents it: "mio. kr.", "antal",
 * "tekst", ... (never NULL). */
const char *ng_registry_unit_name(ng_unit unit);

/* Reports (as errors) every table, value or figure in ds that the registry
 * lacks, and every table column it lacks; a unit that differs from the
 * registered one is a warning (money units kr./1.000 kr./mio. kr. count as
 * the same: they all hold kr.). Returns NG_ERR_INTERNAL when anything is
 * unregistered, else NG_OK. */
ng_status ng_registry_check(const ng_dataset *ds, ng_diags *diags);

#endif
