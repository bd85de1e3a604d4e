/* cmd_refusion.c -- notatgen refusion --year YYYY [--json] [-c FILE] AMOUNT...
 *
 * The refusion of yearly amounts spread evenly over the year's months, for a
 * finance officer checking a case by hand. Thresholds come from the shipped
 * data file and, with -c, the configuration's [taerskler]. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notatgen/cli.h"
#include "notatgen/config.h"
#include "notatgen/modules.h"
#include "notatgen/dk.h"
#include "notatgen/refusion.h"

static const char refusion_usage[] =
    "Brug: notatgen refusion --year ÅÅÅÅ [--json] [-c FIL] BELØB...\n"
    "  Beregner refusionen af årlige beløb i kr. (fordelt jævnt over årets måneder).\n"
    "  Beløb skrives som 2.400.000, 2.400.000,50 eller 2400000.\n";

typedef struct {
    int aar;
    bool json;
    const char *config_path;
    char **amounts;
    int namounts;
} refusion_args;

static bool looks_like_amount(const char *a)
{
    return a[0] == '-' && ((a[1] >= '0' && a[1] <= '9') || a[1] == ',' || a[1] == '.');
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("notatgen refusion: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    fputs(refusion_usage, stderr);
    return 2;
}

static int parse_year(const char *s, int *aar)
{
    long v;
    if (ng_parse_int(s, &v, NULL) != NG_OK || v < 1900 || v > 9999)
        return usage_error("ugyldigt år '%s' (skriv fx --year 2025)", s);
    *aar = (int)v;
    return 0;
}

/* Returns 0, or the exit status of a usage error (printed). -1 for --help. */
static int parse_args(int argc, char **argv, refusion_args *a)
{
    memset(a, 0, sizeof *a);
    a->amounts = calloc((size_t)argc, sizeof *a->amounts);
    if (!a->amounts)
        return 3;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || looks_like_amount(arg)) {
            a->amounts[a->namounts++] = argv[i];
        } else if (!strcmp(arg, "--")) {
            options_done = true;
        } else if (!strcmp(arg, "--json")) {
            a->json = true;
        } else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            return -1;
        } else if (!strcmp(arg, "--year") || !strcmp(arg, "--aar") || !strcmp(arg, "-c")) {
            if (i + 1 >= argc)
                return usage_error("%s mangler en værdi", arg);
            const char *val = argv[++i];
            if (!strcmp(arg, "-c")) {
                a->config_path = val;
            } else {
                int rc = parse_year(val, &a->aar);
                if (rc)
                    return rc;
            }
        } else if (!strncmp(arg, "--year=", 7)) {
            int rc = parse_year(arg + 7, &a->aar);
            if (rc)
                return rc;
        } else {
            return usage_error("ukendt tilvalg '%s'", arg);
        }
    }
    if (a->aar == 0)
        return usage_error("%s", "--year ÅÅÅÅ mangler");
    if (a->namounts == 0)
        return usage_error("%s", "mindst ét beløb mangler");
    return 0;
}

/* "2.400.000" for whole kr., "2.400.000,50" otherwise. */
static char *fmt_kr_oere(char *buf, size_t size, int64_t oere)
{
    if (oere % 100 == 0)
        return ng_fmt_kr(buf, size, (double)(oere / 100));
    return ng_fmt_dec(buf, size, (double)oere / 100.0, 2);
}

static json_t *json_kr(int64_t oere)
{
    if (oere % 100 == 0)
        return json_integer((json_int_t)(oere / 100));
    return json_real((double)oere / 100.0);
}

static int print_text(const int64_t *oere, int n, const ng_threshold_year *thr)
{
    for (int i = 0; i < n; i++) {
        char a[48], r[48];
        printf("%s kr.  trin %d %%  refusion %s kr.\n", fmt_kr_oere(a, sizeof a, oere[i]),
               ng_refusion_trin(oere[i], thr),
               fmt_kr_oere(r, sizeof r, ng_refusion_yearly_amount(oere[i], thr)));
    }
    return 0;
}

/* [{"beloeb": 2400000, "trin": 50, "refusion": 635000}] -- jansson's default
 * separators give exactly this shape. */
static int print_json(const int64_t *oere, int n, const ng_threshold_year *thr)
{
    json_t *list = json_array();
    if (!list)
        return 3;
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        if (!o || json_array_append_new(list, o)) {
            json_decref(list);
            return 3;
        }
        json_object_set_new(o, "beloeb", json_kr(oere[i]));
        json_object_set_new(o, "trin", json_integer(ng_refusion_trin(oere[i], thr)));
        json_object_set_new(o, "refusion", json_kr(ng_refusion_yearly_amount(oere[i], thr)));
    }
    char *s = json_dumps(list, JSON_REAL_PRECISION(15));
    json_decref(list);
    if (!s)
        return 3;
    puts(s);
    free(s);
    return 0;
}

static int parse_amounts(const refusion_args *a, int64_t *oere)
{
    for (int i = 0; i < a->namounts; i++) {
        const char *why = NULL;
        if (ng_parse_amount(a->amounts[i], NG_DECIMAL_AUTO, NG_SCALE_KR, &oere[i], &why) != NG_OK) {
            fprintf(stderr, "notatgen refusion: ugyldigt beløb '%s'%s%s\n", a->amounts[i],
                    why ? ": " : "", why ? why : "");
            return 2;
        }
    }
    return 0;
}

static ng_status load_thresholds(const refusion_args *a, ng_thresholds *thr, ng_diags *diags)
{
    ng_config cfg;
    memset(&cfg, 0, sizeof cfg);
    ng_status st = NG_OK;
    if (a->config_path)
        st = ng_config_load(a->config_path, &cfg, diags);
    /* the config's [taerskler] add to the shipped years */
    const ng_refusion_options *o =
        a->config_path ? ng_module_options(&cfg, &ng_module_refusion) : NULL;
    if (st == NG_OK)
        st = ng_thresholds_load(ng_thresholds_default_path(), o, thr, diags);
    if (st == NG_OK)
        st = ng_thresholds_require(thr, a->aar, diags);
    ng_config_free(&cfg);
    return st;
}

static void print_diags(const ng_diags *d)
{
    char buf[2048];
    for (size_t i = 0; i < d->count; i++) {
        ng_diag_format(&d->items[i], buf, sizeof buf);
        fprintf(stderr, "notatgen refusion: %s\n", buf);
    }
}

int ng_cmd_refusion(int argc, char **argv)
{
    refusion_args a;
    ng_thresholds thr = {0};
    ng_diags diags;
    ng_diags_init(&diags);
    int64_t *oere = NULL;
    int rc = parse_args(argc, argv, &a);
    if (rc == -1) {
        fputs(refusion_usage, stdout);
        rc = 0;
        goto cleanup;
    }
    if (rc)
        goto cleanup;
    oere = calloc((size_t)a.namounts, sizeof *oere);
    if (!oere) {
        rc = 3;
        goto cleanup;
    }
    rc = parse_amounts(&a, oere);
    if (rc)
        goto cleanup;
    ng_status st = load_thresholds(&a, &thr, &diags);
    print_diags(&diags);
    if (st != NG_OK) {
        rc = ng_exit_code(st);
        goto cleanup;
    }
    const ng_threshold_year *year = ng_thresholds_for(&thr, a.aar);
    rc = a.json ? print_json(oere, a.namounts, year) : print_text(oere, a.namounts, year);
cleanup:
    free(oere);
    free(a.amounts);
    ng_thresholds_free(&thr);
    ng_diags_free(&diags);
    return rc;
}
