/* diag.c -- diagnostics as values (see diag.h). */
#include "notatgen/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/dk.h"

enum { DEFAULT_MAX_KEPT = 10000 };

void ng_diags_init(ng_diags *d)
{
    memset(d, 0, sizeof *d);
}

void ng_diags_free(ng_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].message);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}

static char *format_message(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *raw = malloc((size_t)n + 1);
    if (!raw)
        return NULL;
    vsnprintf(raw, (size_t)n + 1, fmt, ap);
    char *masked = ng_mask_cpr(raw);
    free(raw);
    return masked;
}

void ng_diag_add(ng_diags *d, ng_severity sev, const char *file, long line, long column,
                 const char *fmt, ...)
{
    if (sev == NG_DIAG_ERROR)
        d->errors++;
    else if (sev == NG_DIAG_WARNING)
        d->warnings++;
    size_t max = d->max_kept ? d->max_kept : DEFAULT_MAX_KEPT;
    if (d->count >= max) {
        d->dropped++;
        return;
    }
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        ng_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items) {
            d->dropped++;
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *message = format_message(fmt, ap);
    va_end(ap);
    if (!message) {
        d->dropped++;
        return;
    }
    ng_diag *item = &d->items[d->count++];
    item->severity = sev;
    /* a file name is masked like the message: a CPR number in an extract's
     * name is never printed */
    item->file = file ? ng_mask_cpr(file) : NULL;
    item->line = line;
    item->column = column;
    item->message = message;
}

void ng_diag_format(const ng_diag *diag, char *buf, size_t size)
{
    const char *prefix = diag->severity == NG_DIAG_WARNING ? "advarsel: "
                         : diag->severity == NG_DIAG_NOTE  ? "note: "
                                                           : "";
    if (diag->file && diag->line > 0 && diag->column > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s%s", diag->file, diag->line, diag->column, prefix,
                 diag->message);
    else if (diag->file && diag->line > 0)
        snprintf(buf, size, "%s:%ld: %s%s", diag->file, diag->line, prefix, diag->message);
    else if (diag->file)
        snprintf(buf, size, "%s: %s%s", diag->file, prefix, diag->message);
    else
        snprintf(buf, size, "%s%s", prefix, diag->message);
}

void ng_diags_print(const ng_diags *d, FILE *out)
{
    /* printed whole: a fixed buffer would cut a long message inside a
     * UTF-8 character */
    for (size_t i = 0; i < d->count; i++) {
        const ng_diag *diag = &d->items[i];
        size_t n = (diag->file ? strlen(diag->file) : 0) + strlen(diag->message) + 64;
        char *buf = malloc(n);
        if (!buf)
            continue;
        ng_diag_format(diag, buf, n);
        fprintf(out, "%s\n", buf);
        free(buf);
    }
    if (d->dropped)
        fprintf(out, "... og %zu meddelelser mere (se afvisningsfilen)\n", d->dropped);
}

void ng_diags_append(ng_diags *dst, const ng_diags *src)
{
    size_t errors = 0, warnings = 0;
    for (size_t i = 0; i < src->count; i++) {
        const ng_diag *it = &src->items[i];
        errors += it->severity == NG_DIAG_ERROR;
        warnings += it->severity == NG_DIAG_WARNING;
        ng_diag_add(dst, it->severity, it->file, it->line, it->column, "%s", it->message);
    }
    /* those src counted but did not keep */
    dst->errors += src->errors - errors;
    dst->warnings += src->warnings - warnings;
    dst->dropped += src->dropped;
}

void ng_print_masked(FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *masked = format_message(fmt, ap);
    va_end(ap);
    if (masked)
        fputs(masked, out);
    free(masked);
}
