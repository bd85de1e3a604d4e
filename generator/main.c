/* main.c -- the notatgen command: dispatch to a subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/cli.h"

static const char usage_text[] =
    "notatgen " NG_VERSION " -- notater og bilag om særligt dyre enkeltsager\n"
    "\n"
    "Brug:\n"
    "  notatgen run -c FIL [--dato ÅÅÅÅ-MM-DD] [--udtraek FIL] [--dry-run] [--godkend]\n"
    "      Læs udtræk og øvrige input, beregn refusion, prognoser og budget, og skriv\n"
    "      notater (PDF), bilag (XLSX), data.json og manifest.json i OUT/ÅÅÅÅ-MM-DD/;\n"
    "      send bilaget med mail (--dry-run: skriv mailen som mail.eml i stedet).\n"
    "      --udtraek læser et andet udtræk end konfigurationens; --dato sætter\n"
    "      udtrækkets dato (før konfigurationens dato og datoen i filnavnet).\n"
    "      --godkend lader en nat igennem, som plausibilitetskontrollen ville standse.\n"
    "  notatgen check -c FIL [--dato ÅÅÅÅ-MM-DD] [--udtraek FIL] [--godkend]\n"
    "      Gør alt, hvad run gør, undtagen at udgive, gemme og sende: fejler run, så\n"
    "      fejler check med samme besked. Skriver kun afvisningsfilen og udskriver\n"
    "      afstemningen (rækker og kr. læst = brugt + afvist).\n"
    "  notatgen mail -c FIL [--dato ÅÅÅÅ-MM-DD]\n"
    "      Send de output, hvis mail fejlede eller blev afbrudt; med --dato den\n"
    "      dags output igen. Skriver, hvad der blev sendt.\n"
    "  notatgen refusion --year ÅÅÅÅ [--json] [-c FIL] BELØB...\n"
    "      Refusion af årlige beløb (fordelt jævnt over årets måneder).\n"
    "  notatgen history import -c FIL CSV...\n"
    "  notatgen history list -c FIL\n"
    "      Indlæs historiske opgørelser i historiklageret, eller vis dets øjebliksbilleder.\n"
    "  notatgen templates [--markdown]\n"
    "      Vis de værdier, tabeller og figurer en skabelon kan bruge.\n"
    "  notatgen samlet -c FIL [--dato ÅÅÅÅ-MM-DD] DATA.json|MAPPE...\n"
    "      Saml mange kommuners data.json til sammenligningen på tværs af kommuner:\n"
    "      notatet benchmark.pdf, bilag og data.json i OUT/samlet/ÅÅÅÅ-MM-DD/.\n"
    "  notatgen --help | --version\n"
    "\n"
    "Exit-status: 0 færdig; 1 input afvist; 2 brugs- eller konfigurationsfejl;\n"
    "3 I/O- eller leveringsfejl; 4 en anden kørsel holder låsen.\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("notatgen %s\n", NG_VERSION);
        return 0;
    }
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    if (!strcmp(cmd, "run"))
        return ng_cmd_run(sub_argc, sub_argv);
    if (!strcmp(cmd, "check"))
        return ng_cmd_check(sub_argc, sub_argv);
    if (!strcmp(cmd, "mail"))
        return ng_cmd_mail(sub_argc, sub_argv);
    if (!strcmp(cmd, "refusion"))
        return ng_cmd_refusion(sub_argc, sub_argv);
    if (!strcmp(cmd, "history"))
        return ng_cmd_history(sub_argc, sub_argv);
    if (!strcmp(cmd, "templates"))
        return ng_cmd_templates(sub_argc, sub_argv);
    if (!strcmp(cmd, "samlet"))
        return ng_cmd_samlet(sub_argc, sub_argv);
    fprintf(stderr, "notatgen: ukendt kommando '%s' (se notatgen --help)\n", cmd);
    return 2;
}
