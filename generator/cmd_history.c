/* cmd_history.c -- `notatgen history import|list`: fill and show the
 * history store named by the configuration ([historik] database). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "notatgen/cli.h"
#include "notatgen/config.h"
#include "notatgen/modules.h"
#include "notatgen/diag.h"
#include "notatgen/dk.h"
#include "notatgen/history.h"
#include "notatgen/kommune.h"
#include "notatgen/publish.h"
#include "notatgen/status.h"

static const char history_usage[] =
    "Brug:\n"
    "  notatgen history import -c FIL [CSV...]\n"
    "      Indlæs opgørelser fra før notatgen (formatet i refusion_monthly_*.csv og\n"
    "      refusion_yearly_*.csv) i historiklageret. Uden CSV: konfigurationens\n"
    "      historik-import. Samme periode igen erstatter den tidligere.\n"
    "  notatgen history list -c FIL\n"
    "      Vis historiklagerets øjebliksbilleder og indlæste opgørelser.\n";

typedef struct {
    const char *action;
    const char *config;
    char **files;
    int nfiles;
} history_args;

static ng_status parse_args(int argc, char **argv, history_args *a)
{
    memset(a, 0, sizeof *a);
    if (argc < 2)
        return NG_ERR_USAGE;
    a->action = argv[1];
    a->files = argv + 2;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) {
            if (i + 1 >= argc)
                return NG_ERR_USAGE;
            a->config = argv[++i];
        } else if (!strncmp(argv[i], "--config=", 9)) {
            a->config = argv[i] + 9;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "notatgen history: ukendt tilvalg '%s'\n", argv[i]);
            return NG_ERR_USAGE;
        } else {
            a->files[a->nfiles++] = argv[i]; /* compacts positionals in place */
        }
    }
    if (!a->config || (strcmp(a->action, "import") && strcmp(a->action, "list")))
        return NG_ERR_USAGE;
    if (!strcmp(a->action, "list") && a->nfiles)
        return NG_ERR_USAGE;
    return NG_OK;
}

static ng_status worse(ng_status a, ng_status b)
{
    return a != NG_OK ? a : b;
}

static ng_status run_import(ng_history *h, const ng_config *cfg, const history_args *a,
                            ng_diags *diags)
{
    ng_status result = NG_OK;
    if (a->nfiles == 0) {
        const ng_historik_options *o = ng_module_options(cfg, &ng_module_historik);
        if (!o || !o->import) {
            ng_error(diags, cfg->config_path, 0, 0,
                     "ingen CSV-filer angivet, og konfigurationen har ingen historik-import");
            return NG_ERR_USAGE;
        }
        ng_status s = ng_history_import(h, o->import, diags);
        if (s == NG_OK)
            ng_print_masked(stdout, "indlæst: %s\n", o->import);
        return s;
    }
    /* Each file is its own transaction: a bad file leaves the others in. */
    for (int i = 0; i < a->nfiles; i++) {
        ng_status s = ng_history_import(h, a->files[i], diags);
        if (s == NG_OK)
            ng_print_masked(stdout, "indlæst: %s\n", a->files[i]);
        else
            ng_print_masked(stderr, "ikke indlæst: %s (lageret er uændret for denne fil)\n",
                            a->files[i]);
        result = worse(result, s);
    }
    return result;
}

static void print_listing(const char *path, const ng_history_listing *l)
{
    char mio[32];
    ng_print_masked(stdout, "Historiklager: %s\n", path);
    ng_print_masked(stdout, "Øjebliksbilleder: %zu\n", l->nsnapshots);
    for (size_t i = 0; i < l->nsnapshots; i++) {
        const ng_history_snapshot_info *s = &l->snapshots[i];
        ng_fmt_mio(mio, sizeof mio, (double)s->udgift / 100.0);
        ng_print_masked(
            stdout,
            "  %s  år %d  %s  enheder %ld  voksensager med refusion %ld  udgift %s mio. kr."
            "  sæt %.12s  (notatgen %s)\n",
            s->dato, s->aar, s->kommune ? s->kommune : "-", s->units, s->antal, mio,
            s->saet[0] ? s->saet : "-", s->version ? s->version : "?");
    }
    ng_print_masked(stdout, "Indlæste opgørelser: %zu\n", l->naggregates);
    for (size_t i = 0; i < l->naggregates; i++) {
        const ng_history_aggregate_info *g = &l->aggregates[i];
        ng_fmt_mio(mio, sizeof mio, (double)g->udgift / 100.0);
        ng_print_masked(stdout, "  %-6s  %-7s  sager %ld  udgift %s mio. kr.  kilde %s\n", g->kind,
                        g->periode, g->antal, mio, g->source ? g->source : "-");
    }
}

static void print_deliveries(const ng_delivery_list *d)
{
    printf("Leveringer: %zu\n", d->n);
    for (size_t i = 0; i < d->n; i++) {
        const ng_delivery *x = &d->items[i];
        printf("  %s  sæt %.12s  %-10s  forsøg %d  til %s  (%s)\n", x->dato, x->saet,
               ng_delivery_state_name(x->state), x->attempts, x->modtagere,
               x->svar ? x->svar : "-");
    }
}

static ng_status run_list(ng_history *h, const char *path, ng_diags *diags)
{
    ng_history_listing l;
    ng_delivery_list d;
    ng_status s = ng_history_list(h, &l, diags);
    if (s != NG_OK)
        return s;
    s = ng_history_deliveries(h, NULL, false, &d, diags);
    if (s == NG_OK) {
        print_listing(path, &l);
        print_deliveries(&d);
        ng_delivery_list_free(&d);
    }
    ng_history_listing_free(&l);
    return s;
}

/* import: only into a store of this municipality, which it then belongs to */
static ng_status run_import_owned(ng_history *h, const ng_config *cfg, const history_args *a,
                                  ng_diags *diags)
{
    const ng_kommune_options *k = ng_module_options(cfg, &ng_module_kommune);
    ng_status s = ng_history_claim(h, k->navn, k->kode, diags);
    if (s == NG_OK)
        s = run_import(h, cfg, a, diags);
    if (s == NG_OK)
        s = ng_history_set_owner(h, k->navn, k->kode, diags);
    return s;
}

/* The default store lives in the output directory, which may not exist
 * before the first run: create it (0700) like the run would. */
static ng_status make_parent_dir(const char *path, ng_diags *diags)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return NG_OK;
    char *dir = strndup(path, (size_t)(slash - path));
    if (!dir)
        return NG_ERR_NOMEM;
    ng_status s = ng_mkdirs(dir, 0700);
    if (s != NG_OK)
        ng_error(diags, dir, 0, 0, "mappen til historiklageret kan ikke oprettes");
    free(dir);
    return s;
}

int ng_cmd_history(int argc, char **argv)
{
    history_args a;
    if (parse_args(argc, argv, &a) != NG_OK) {
        fputs(history_usage, stderr);
        return ng_exit_code(NG_ERR_USAGE);
    }
    ng_diags diags;
    ng_diags_init(&diags);
    ng_config cfg;
    ng_history *h = NULL;
    char *store = NULL;
    ng_status s = ng_config_load(a.config, &cfg, &diags);
    if (s == NG_OK && !(store = ng_history_store_path(&cfg))) {
        ng_error(&diags, a.config, 0, 0,
                 "konfigurationen angiver intet historiklager ([historik] database eller [output] "
                 "mappe)");
        s = NG_ERR_CONFIG;
    }
    if (s == NG_OK)
        s = make_parent_dir(store, &diags);
    if (s == NG_OK)
        s = ng_history_open(store, &h, &diags);
    if (s == NG_OK)
        s = !strcmp(a.action, "import") ? run_import_owned(h, &cfg, &a, &diags)
                                        : run_list(h, store, &diags);
    fflush(stdout);
    ng_diags_print(&diags, stderr);
    ng_history_close(h);
    free(store);
    ng_config_free(&cfg);
    ng_diags_free(&diags);
    return ng_exit_code(s);
}
