/*
 * registry.c -- the names a template can use, derived from the modules'
 * declarations (see registry.h, module.h).
 */
#include "notatgen/registry.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

size_t ng_registry_count(void)
{
    size_t n, count = 0;
    const ng_module *const *modules = ng_modules(&n);
    for (size_t m = 0; m < n; m++)
        count += modules[m]->npublishes;
    return count;
}

ng_reg_entry ng_registry_at(size_t i)
{
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    for (size_t m = 0; m < n; m++) {
        if (i < modules[m]->npublishes)
            return (ng_reg_entry){&modules[m]->publishes[i], modules[m]->name};
        i -= modules[m]->npublishes;
    }
    return (ng_reg_entry){NULL, NULL};
}

bool ng_registry_match(const char *pattern, const char *name)
{
    for (; *pattern; pattern++, name++) {
        if (*pattern == '*') {
            for (const char *rest = name;; rest++) {
                if (ng_registry_match(pattern + 1, rest))
                    return true;
                if (!*rest)
                    return false;
            }
        }
        if (!*name)
            return false;
        if (*pattern == '#' ? !isdigit((unsigned char)*name) : *pattern != *name)
            return false;
    }
    return *name == '\0';
}

const ng_decl *ng_registry_find(ng_decl_kind kind, const char *name, const char **module)
{
    size_t n;
    const ng_module *const *modules = ng_modules(&n);
    for (size_t m = 0; m < n; m++)
        for (size_t i = 0; i < modules[m]->npublishes; i++) {
            const ng_decl *d = &modules[m]->publishes[i];
            if (d->kind == kind && ng_registry_match(d->name, name)) {
                if (module)
                    *module = modules[m]->name;
                return d;
            }
        }
    return NULL;
}

const char *ng_registry_sheet_name(const char *table_name)
{
    const ng_decl *d = ng_registry_find(NG_DECL_TABLE, table_name, NULL);
    return d ? d->sheet : NULL;
}

const char *ng_registry_unit_name(ng_unit unit)
{
    return ng_unit_facts(unit)->doc;
}

static const ng_decl_column *find_column(const ng_decl_column *cols, const char *key)
{
    for (; cols->key; cols++)
        if (ng_registry_match(cols->key, key))
            return cols;
    return NULL;
}

/* Checks one table; returns the number of errors reported. */
static size_t check_table(const ng_table *t, ng_diags *diags)
{
    const ng_decl *d = ng_registry_find(NG_DECL_TABLE, t->name, NULL);
    if (!d) {
        ng_error(diags, NULL, 0, 0, "tabellen '%s' er ikke erklæret af noget modul", t->name);
        return 1;
    }
    if (!d->cols)
        return 0;
    size_t errors = 0;
    for (int c = 0; c < t->ncols; c++) {
        const ng_decl_column *dc = find_column(d->cols, t->cols[c].key);
        if (!dc) {
            ng_error(diags, NULL, 0, 0, "kolonnen '%s' i tabellen '%s' er ikke erklæret",
                     t->cols[c].key, t->name);
            errors++;
        } else if (!ng_unit_compatible(dc->unit, t->cols[c].unit)) {
            ng_error(diags, NULL, 0, 0,
                     "kolonnen '%s' i tabellen '%s' har enheden %s, erklæringen siger %s",
                     t->cols[c].key, t->name, ng_registry_unit_name(t->cols[c].unit),
                     ng_registry_unit_name(dc->unit));
            errors++;
        }
    }
    return errors;
}

static size_t check_value(ng_value *v, ng_diags *diags)
{
    const ng_decl *d = ng_registry_find(NG_DECL_VALUE, v->name, NULL);
    if (!d) {
        ng_error(diags, NULL, 0, 0, "værdien '%s' er ikke erklæret af noget modul", v->name);
        return 1;
    }
    ng_unit unit = v->is_text ? NG_UNIT_TEXT : v->unit;
    if (!ng_unit_compatible(d->unit, unit)) {
        ng_error(diags, NULL, 0, 0, "værdien '%s' har enheden %s, erklæringen siger %s", v->name,
                 ng_registry_unit_name(unit), ng_registry_unit_name(d->unit));
        return 1;
    }
    char *desc = strdup(d->description);
    if (!desc)
        return 1;
    free(v->description);
    v->description = desc;
    return 0;
}

ng_status ng_registry_check_rules(const ng_dataset *ds, ng_diags *diags)
{
    size_t errors = 0;
    for (size_t i = 0; i < ds->nvalues; i++) {
        const ng_value *v = &ds->values[i];
        const ng_decl *d = ng_registry_find(NG_DECL_VALUE, v->name, NULL);
        if (d && !d->fact && v->rule.kind == NG_RULE_NONE) {
            ng_error(diags, NULL, 0, 0,
                     "værdien '%s' er ikke erklæret som et faktum og skal være en reference eller "
                     "en regel over tabellernes celler",
                     v->name);
            errors++;
        }
    }
    return errors ? NG_ERR_INTERNAL : NG_OK;
}

ng_status ng_registry_check(ng_dataset *ds, ng_diags *diags)
{
    size_t errors = 0;
    for (size_t i = 0; i < ds->ntables; i++)
        errors += check_table(ds->tables[i], diags);
    for (size_t i = 0; i < ds->nvalues; i++)
        errors += check_value(&ds->values[i], diags);
    for (size_t i = 0; i < ds->nfigures; i++) {
        if (!ng_registry_find(NG_DECL_FIGURE, ds->figures[i].name, NULL)) {
            ng_error(diags, NULL, 0, 0, "figuren '%s' er ikke erklæret af noget modul",
                     ds->figures[i].name);
            errors++;
        }
    }
    return errors ? NG_ERR_INTERNAL : NG_OK;
}

/* ---- tables from their declarations ------------------------------------------ */

static bool is_pattern(const char *key)
{
    return strpbrk(key, "*#") != NULL;
}

static int add_declared(ng_table *t, const ng_decl_column *c)
{
    int col = ng_table_add_column(t, c->key, c->label ? c->label : c->key, c->unit);
    if (col < 0)
        return -1;
    if (c->decimals >= 0)
        t->cols[col].decimals = c->decimals;
    t->cols[col].hidden = (c->flags & NG_COL_HIDDEN) != 0;
    t->cols[col].persons = (c->flags & NG_COL_PERSONS) != 0;
    return col;
}

ng_table *ng_decl_table_new(const char *name, const char *title)
{
    const ng_decl *d = ng_registry_find(NG_DECL_TABLE, name, NULL);
    if (!d)
        return NULL;
    ng_table *t = ng_table_new(name, title);
    for (const ng_decl_column *c = d->cols; t && c && c->key && !is_pattern(c->key); c++)
        add_declared(t, c);
    if (t && t->status != NG_OK) {
        ng_table_free(t);
        return NULL;
    }
    return t;
}

int ng_decl_add_column(ng_table *t, const char *key)
{
    const ng_decl *d = ng_registry_find(NG_DECL_TABLE, t->name, NULL);
    for (const ng_decl_column *c = d ? d->cols : NULL; c && c->key; c++)
        if (!strcmp(c->key, key))
            return add_declared(t, c);
    t->status = t->status == NG_OK ? NG_ERR_INTERNAL : t->status;
    return -1;
}
