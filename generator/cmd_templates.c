/*
 * cmd_templates.c -- `notatgen templates [--markdown]`: lists every value,
 * table (with its columns) and figure a template can use, from the modules'
 * declarations (registry.h). The Markdown form is the section of
 * templates/README.md between `<!-- registry:begin -->` and
 * `<!-- registry:end -->`, and the body of docs/datasaet.md.
 */
#include <stdio.h>
#include <string.h>

#include "notatgen/cli.h"
#include "notatgen/modules.h"
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

static void print_columns(FILE *out, const ng_decl_column *cols, bool markdown)
{
    if (!cols) {
        fputs(markdown ? "–" : "fastlægges af modulet", out);
        return;
    }
    for (const ng_decl_column *c = cols; c->key; c++)
        fprintf(out, markdown ? "%s`%s` (%s)" : "%s%s (%s)", c == cols ? "" : ", ", c->key,
                ng_registry_unit_name(c->unit));
}

static void print_markdown(FILE *out, size_t n)
{
    fputs("### Værdier\n\n"
          "En værdi er enten en *regel* (en reference til en tabels celle eller en regel over\n"
          "celler, som bilagets ark Nøgletal viser som formel) eller et *faktum* om kørslen\n"
          "(kommunen, datoer, årstal, en tekst).\n\n"
          "| Navn | Enhed | Art | Modul | Beskrivelse |\n|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < n; i++) {
        ng_reg_entry e = ng_registry_at(i);
        if (e.decl->kind == NG_DECL_VALUE)
            fprintf(out, "| `%s` | %s | %s | %s | %s |\n", e.decl->name,
                    ng_registry_unit_name(e.decl->unit), e.decl->fact ? "faktum" : "regel",
                    e.module, e.decl->description);
    }
    fputs("\n### Tabeller\n\n| Navn | Kolonner | Modul | Beskrivelse |\n|---|---|---|---|\n", out);
    for (size_t i = 0; i < n; i++) {
        ng_reg_entry e = ng_registry_at(i);
        if (e.decl->kind != NG_DECL_TABLE)
            continue;
        fprintf(out, "| `%s` | ", e.decl->name);
        print_columns(out, e.decl->cols, true);
        fprintf(out, " | %s | %s |\n", e.module, e.decl->description);
    }
    fputs("\n### Figurer\n\n| Navn | Tabel | Modul | Beskrivelse |\n|---|---|---|---|\n", out);
    for (size_t i = 0; i < n; i++) {
        ng_reg_entry e = ng_registry_at(i);
        if (e.decl->kind == NG_DECL_FIGURE)
            fprintf(out, "| `%s` | `%s` | %s | %s |\n", e.decl->name, e.decl->table, e.module,
                    e.decl->description);
    }
}

static void print_text(FILE *out, size_t n)
{
    fputs("Værdier ({{ navn }} eller {{ navn | filter }}):\n", out);
    for (size_t i = 0; i < n; i++) {
        ng_reg_entry e = ng_registry_at(i);
        if (e.decl->kind != NG_DECL_VALUE)
            continue;
        fputs("  ", out);
        print_padded(out, e.decl->name, 31);
        print_padded(out, ng_registry_unit_name(e.decl->unit), 11);
        fprintf(out, "%s\n", e.decl->description);
    }
    fputs("\nTabeller (```tabel NAVN``` eller {{ tabel.række.kolonne }}):\n", out);
    for (size_t i = 0; i < n; i++) {
        ng_reg_entry e = ng_registry_at(i);
        if (e.decl->kind != NG_DECL_TABLE)
            continue;
        fprintf(out, "  %-30s %s\n  %-30s kolonner: ", e.decl->name, e.decl->description, "");
        print_columns(out, e.decl->cols, false);
        fputc('\n', out);
    }
    fputs("\nFigurer (```figur NAVN```):\n", out);
    for (size_t i = 0; i < n; i++) {
        ng_reg_entry e = ng_registry_at(i);
        if (e.decl->kind == NG_DECL_FIGURE)
            fprintf(out, "  %-30s %s (tabel %s)\n", e.decl->name, e.decl->description,
                    e.decl->table);
    }
    fputs("\nFiltre: mio, tkr, kr, pct, antal, aar, dato, dato_kort, maaned\n", out);
}

/* The sections a module reads, once each, comma-separated in Markdown. */
static void print_sections(FILE *out, const ng_module *m)
{
    const char *seen[64];
    size_t n = 0;
    for (size_t k = 0; k <= m->nkeys && n < 64; k++) {
        const char *sec = k < m->nkeys ? m->keys[k].section : m->free_section;
        bool dup = !sec;
        for (size_t i = 0; i < n && !dup; i++)
            dup = !strcmp(seen[i], sec);
        if (dup)
            continue;
        fprintf(out, "%s`[%s]`", n ? ", " : "", sec);
        seen[n++] = sec;
    }
    if (m->subsection)
        fprintf(out, ", `[%s.NAVN]`", m->subsection);
    if (!n)
        fputs("–", out);
}

/* docs/datasaet.md: the modules, then every name they publish. */
static void print_dataset_doc(FILE *out)
{
    fputs("# Datasættet: moduler, tabeller, værdier og figurer\n\n"
          "Denne fil dannes af `notatgen templates --datasaet` (tools/update-templates-readme.sh)\n"
          "ud fra modulernes erklæringer (generator/modules.c); ret ikke i den med hånden.\n"
          "En kørsel udfører modulerne i denne rækkefølge. Hvert modul erklærer sine afsnit i\n"
          "konfigurationen (docs/konfiguration.md), de filer det læser, og de navne det\n"
          "offentliggør; reglerne bag beregningerne står i docs/regler.md.\n\n"
          "## Moduler\n\n| Modul | Afsnit | Hvad |\n|---|---|---|\n",
          out);
    size_t nm;
    const ng_module *const *modules = ng_modules(&nm);
    for (size_t i = 0; i < nm; i++) {
        fprintf(out, "| `%s` | ", modules[i]->name);
        print_sections(out, modules[i]);
        fprintf(out, " | %s |\n", modules[i]->summary ? modules[i]->summary : "");
    }
    fputs("\n## Navne\n\n", out);
    print_markdown(out, ng_registry_count());
}

int ng_cmd_templates(int argc, char **argv)
{
    bool markdown = false, dataset_doc = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown")) {
            markdown = true;
        } else if (!strcmp(argv[i], "--datasaet")) {
            dataset_doc = true;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            puts("Brug: notatgen templates [--markdown | --datasaet]\n"
                 "Viser de værdier, tabeller og figurer en skabelon kan bruge\n"
                 "(--datasaet: docs/datasaet.md med modulerne).");
            return 0;
        } else {
            fprintf(stderr, "notatgen templates: ukendt argument '%s'\n", argv[i]);
            return 2;
        }
    }
    size_t n = ng_registry_count();
    if (dataset_doc)
        print_dataset_doc(stdout);
    else if (markdown)
        print_markdown(stdout, n);
    else
        print_text(stdout, n);
    return fflush(stdout) == 0 ? 0 : 3;
}
