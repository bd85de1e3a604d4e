/*
 * cli.h -- the subcommands of the notatgen program.
 *
 * main.c parses the subcommand name and hands the remaining arguments to one
 * of these; each returns the process exit status (see status.h) and prints
 * its own diagnostics to stderr. Only main.c calls exit().
 */
#ifndef NOTATGEN_CLI_H
#define NOTATGEN_CLI_H

/* notatgen run -c FILE [--dato YYYY-MM-DD] [--udtraek FILE] [--dry-run] [--godkend] */
int ng_cmd_run(int argc, char **argv);
/* notatgen check -c FILE [--dato YYYY-MM-DD] [--udtraek FILE] [--godkend] */
int ng_cmd_check(int argc, char **argv);
/* notatgen mail -c FILE [--dato YYYY-MM-DD]: send what is due, or a date again */
int ng_cmd_mail(int argc, char **argv);
/* notatgen refusion --year YYYY [--json] [-c FILE] AMOUNT... */
int ng_cmd_refusion(int argc, char **argv);
/* notatgen history import -c FILE FILE... | history list -c FILE */
int ng_cmd_history(int argc, char **argv);
/* notatgen templates [--markdown]: the values, tables and figures a template can use */
int ng_cmd_templates(int argc, char **argv);
/* notatgen samlet -c FILE [--dato YYYY-MM-DD] DATA.json|DIR...: the benchmark across municipalities
 */
int ng_cmd_samlet(int argc, char **argv);

#endif
