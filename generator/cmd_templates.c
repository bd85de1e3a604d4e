/*
 * cmd_templates.c -- `notatgen templates [--markdown]`: lists every value,
 * table (with its columns) and figure a template can use, from the registry
 * (registry.h). The Markdown form is the section of templates/README.md
 * between `<!-- registry:begin -->` and `<!-- registry:end -->`.
 */
#include <stdio.h>
#include <string.h>

#include "notatgen/cli.h"
#include "notatgen/registry.h"

/* Prints s left-aligned in width characters (UTF-8 aware: "år" is two). */
static void print_padded(FILE *out, const char *s, int width)
{
    int chars = 0;
    for (const char *p = s; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            chars++;
    fputs(s, out);
    for (; chars < width; chars++)
        fputc(' ', out);
}

static void print_columns(FILE *out, const ng_reg_column *cols, bool markdown)
{
    if (!cols) {
        fputs(markdown ? "–" : "fastlægges af modulet", out);
        return;
    }
    for (const ng_reg_column *c = cols; c->key; c++)
        fprintf(out, markdown ? "%s`%s` (%s)" : "%s%s (%s)", c == cols ? "" : ", ", c->key,
                ng_registry_unit_name(c->unit));
}

static void print_markdown(FILE *out, const ng_reg_entry *e, size_t n)
{
    fputs("### Værdier\n\n| Navn | Enhed | Modul | Beskrivelse |\n|---|---|---|---|\n", out);
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == NG_REG_VALUE)
            fprintf(out, "| `%s` | %s | %s | %s |\n", e[i].name, ng_registry_unit_name(e[i].unit),
                    e[i].module, e[i].description);
    fputs("\n### Tabeller\n\n| Navn | Kolonner | Modul | Beskrivelse |\n|---|---|---|---|\n", out);
    for (size_t i = 0; i < n; i++) {
        if (e[i].kind != NG_REG_TABLE)
            continue;
        fprintf(out, "| `%s` | ", e[i].name);
        print_columns(out, e[i].cols, true);
        fprintf(out, " | %s | %s |\n", e[i].module, e[i].description);
    }
    fputs("\n### Figurer\n\n| Navn | Tabel | Modul | Beskrivelse |\n|---|---|---|---|\n", out);
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == NG_REG_FIGURE)
            fprintf(out, "| `%s` | `%s` | %s | %s |\n", e[i].name, e[i].table, e[i].module,
                    e[i].description);
}

static void print_text(FILE *out, const ng_reg_entry *e, size_t n)
{
    fputs("Værdier ({{ navn }} eller {{ navn | filter }}):\n", out);
    for (size_t i = 0; i < n; i++) {
        if (e[i].kind != NG_REG_VALUE)
            continue;
        fputs("  ", out);
        print_padded(out, e[i].name, 31);
        print_padded(out, ng_registry_unit_name(e[i].unit), 11);
        fprintf(out, "%s\n", e[i].description);
    }
    fputs("\nTabeller (```tabel NAVN``` eller {{ tabel.række.kolonne }}):\n", out);
    for (size_t i = 0; i < n; i++) {
        if (e[i].kind != NG_REG_TABLE)
            continue;
        fprintf(out, "  %-30s %s\n  %-30s kolonner: ", e[i].name, e[i].description, "");
        print_columns(out, e[i].cols, false);
        fputc('\n', out);
    }
    fputs("\nFigurer (```figur NAVN```):\n", out);
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == NG_REG_FIGURE)
            fprintf(out, "  %-30s %s (tabel %s)\n", e[i].name, e[i].description, e[i].table);
    fputs("\nFiltre: mio, tkr, kr, pct, antal, aar, dato, dato_kort, maaned\n", out);
}

int ng_cmd_templates(int argc, char **argv)
{
    bool markdown = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown")) {
            markdown = true;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            puts("Brug: notatgen templates [--markdown]\n"
                 "Viser de værdier, tabeller og figurer en skabelon kan bruge.");
            return 0;
        } else {
            fprintf(stderr, "notatgen templates: ukendt argument '%s'\n", argv[i]);
            return 2;
        }
    }
    size_t n;
    const ng_reg_entry *entries = ng_registry(&n);
    if (markdown)
        print_markdown(stdout, entries, n);
    else
        print_text(stdout, entries, n);
    return fflush(stdout) == 0 ? 0 : 3;
}
