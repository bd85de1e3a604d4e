/*
 * cmd_mail.c -- `notatgen mail`: send the published sets whose mail is due,
 * or one date's set again, and say what was sent.
 *
 *   notatgen mail -c FILE             every set due to the configuration's
 *                                     recipients (a failed or interrupted
 *                                     mail), as the next run would send it
 *   notatgen mail -c FILE --dato D    the set published for D, again, even
 *                                     when it was sent before
 *
 * It takes the run's lock and the store's (exit 4 while a run is going),
 * first records a set that a killed run published without recording (as a
 * run does), sends each set as the bytes of its published mail.eml and
 * records the outcome in the history store. Prints one line per set on
 * stdout. Exit status 0 when everything due was sent (or nothing was due),
 * 3 when a mail failed, 2 for a bad command line or a configuration without
 * [mail].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "notatgen/cli.h"
#include "notatgen/config.h"
#include "notatgen/history.h"
#include "notatgen/kommune.h"
#include "notatgen/mail.h"
#include "notatgen/modules.h"
#include "notatgen/output.h"
#include "notatgen/publish.h"

static const char mail_usage[] =
    "Brug: notatgen mail -c FIL [--dato ÅÅÅÅ-MM-DD]\n"
    "  Send de publicerede output, hvis mail mangler (fejlede eller blev afbrudt);\n"
    "  med --dato output for den dato igen, også hvis de er sendt før.\n";

typedef struct {
    const char *config_path;
    const char *dato; /* NULL: what is due */
} mail_args;

static ng_status parse_args(int argc, char **argv, mail_args *a, ng_diags *diags)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        bool has_value = i + 1 < argc;
        if ((!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) && has_value) {
            a->config_path = argv[++i];
        } else if (!strcmp(argv[i], "--dato") && has_value) {
            a->dato = argv[++i];
            if (!ng_is_date_name(a->dato)) {
                ng_error(diags, NULL, 0, 0, "--dato er ikke en dato: '%s' (skriv ÅÅÅÅ-MM-DD)",
                         a->dato);
                return NG_ERR_USAGE;
            }
        } else {
            ng_error(diags, NULL, 0, 0, "ukendt eller ufuldstændigt argument: '%s'", argv[i]);
            return NG_ERR_USAGE;
        }
    }
    return a->config_path ? NG_OK : NG_ERR_USAGE;
}

typedef struct {
    const ng_mail_config *mc;
    const char *output_dir;
    const ng_kommune_options *kommune;
    char *store;
} mail_setup;

static ng_status setup(const ng_config *cfg, mail_setup *s, ng_diags *diags)
{
    const ng_output_options *out = ng_module_options(cfg, &ng_module_output);
    s->mc = ng_module_options(cfg, &ng_module_mail);
    s->kommune = ng_module_options(cfg, &ng_module_kommune);
    s->output_dir = out ? out->mappe : NULL;
    if (!s->mc || !s->mc->configured) {
        ng_error(diags, cfg->config_path, 0, 0, "konfigurationen har intet [mail]-afsnit");
        return NG_ERR_CONFIG;
    }
    s->store = ng_history_store_path(cfg);
    return s->store && s->output_dir ? NG_OK : NG_ERR_NOMEM;
}

/* What was sent (or found superseded) since `since`, one line per set,
 * from the store. */
static void print_outcome(ng_history *h, const char *to, const ng_delivery_report *rep,
                          long long since)
{
    ng_delivery_list all = {0};
    ng_diags quiet;
    ng_diags_init(&quiet);
    if (ng_history_deliveries(h, to, false, &all, &quiet) == NG_OK)
        for (size_t i = 0; i < all.n; i++) {
            const ng_delivery *d = &all.items[i];
            if (d->updated >= since)
                printf("%s: %s til %s (%s)\n", d->dato,
                       d->state == NG_DELIVERY_SENT         ? "sendt"
                       : d->state == NG_DELIVERY_SUPERSEDED ? "erstattet, ikke sendt"
                                                            : "IKKE sendt",
                       d->modtagere, d->svar ? d->svar : "-");
        }
    if (!rep->text[0])
        printf("intet at sende: alle publicerede output er sendt til %s\n", to);
    ng_delivery_list_free(&all);
    ng_diags_free(&quiet);
}

static ng_status send_mail(const mail_setup *s, const mail_args *a, ng_diags *diags)
{
    ng_transaction txn = {0};
    ng_history *h = NULL;
    ng_delivery_report rep = {0};
    char *to = ng_mail_recipients(s->mc);
    int rolled = 0;
    long long since = (long long)time(NULL);
    ng_status st = to ? ng_transaction_lock(&txn, s->output_dir, diags) : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = ng_history_open(s->store, &h, diags);
    if (st == NG_OK)
        st = ng_history_claim(h, s->kommune->navn, s->kommune->kode, diags);
    if (st == NG_OK)
        st = ng_output_tidy(s->output_dir, diags);
    if (st == NG_OK)
        st = ng_history_roll_forward(h, s->output_dir, true, &rolled, diags);
    if (st == NG_OK)
        st = a->dato ? ng_mail_resend(s->mc, h, s->output_dir, a->dato, NULL, &rep, diags)
                     : ng_mail_deliver_due(s->mc, h, s->output_dir, NULL, &rep, diags);
    if (h && (st == NG_OK || st == NG_ERR_DELIVERY))
        print_outcome(h, to, &rep, since);
    ng_history_close(h);
    ng_transaction_end(&txn);
    free(to);
    return st;
}

int ng_cmd_mail(int argc, char **argv)
{
    umask(077);
    ng_diags diags;
    ng_diags_init(&diags);
    ng_config cfg;
    memset(&cfg, 0, sizeof cfg);
    mail_args a;
    mail_setup s = {0};
    ng_status st = parse_args(argc, argv, &a, &diags);
    if (st == NG_OK)
        st = ng_config_load(a.config_path, &cfg, &diags);
    if (st == NG_OK)
        st = setup(&cfg, &s, &diags);
    if (st == NG_OK)
        st = send_mail(&s, &a, &diags);
    fflush(stdout);
    ng_diags_print(&diags, stderr);
    if (st == NG_ERR_USAGE)
        fputs(mail_usage, stderr);
    free(s.store);
    ng_config_free(&cfg);
    ng_diags_free(&diags);
    return ng_exit_code(st);
}
