/* timing.c -- per-stage wall times (see timing.h). */
#include "notatgen/timing.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's peak resident memory so far in kB (VmHWM), 0 when unknown. */
static long peak_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    long kb = 0;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6)) {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    fclose(f);
    return kb;
}

bool ng_timing_wanted(bool flag)
{
    const char *env = getenv("NOTATGEN_TIDER");
    return flag || (env && *env && strcmp(env, "0") != 0);
}

void ng_timing_init(ng_timing *t, bool enabled)
{
    memset(t, 0, sizeof *t);
    t->enabled = enabled;
    if (enabled)
        t->start = t->last = now_seconds();
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

void ng_timing_mark_in(ng_timing *t, const char *step, const char *module)
{
    if (!t || !t->enabled)
        return;
    double now = now_seconds();
    double spent = now - t->last;
    t->last = now;
    long kb = peak_kb();
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->stages[i].name, step) && same(t->stages[i].module, module)) {
            t->stages[i].seconds += spent;
            t->stages[i].peak_kb = kb;
            return;
        }
    if (t->n < NG_TIMING_MAX_STAGES)
        t->stages[t->n++] = (ng_timing_stage){step, module, spent, kb};
}

void ng_timing_mark(ng_timing *t, const char *name)
{
    ng_timing_mark_in(t, name, NULL);
}

/* "0,412": seconds with a decimal comma, as every number the program shows */
static void print_seconds(FILE *out, double s)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.3f", s);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = ',';
    fputs(buf, out);
}

/* "tider: NAME" padded to 20 characters (not bytes: "økonomi" has an ø),
 * the seconds and the peak memory so far */
static void print_line(FILE *out, const char *name, const char *module, double s, long kb)
{
    char label[128];
    if (module)
        snprintf(label, sizeof label, "%s: %s", name, module);
    else
        snprintf(label, sizeof label, "%s", name);
    size_t chars = 0;
    for (const char *p = label; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    fprintf(out, "tider: %s", label);
    for (; chars < 28; chars++)
        fputc(' ', out);
    print_seconds(out, s);
    if (kb > 0)
        fprintf(out, " s  (hukommelse højst %ld MB)\n", (kb + 512) / 1024);
    else
        fputs(" s\n", out);
}

void ng_timing_print(const ng_timing *t, FILE *out)
{
    if (!t->enabled)
        return;
    for (size_t i = 0; i < t->n; i++)
        print_line(out, t->stages[i].name, t->stages[i].module, t->stages[i].seconds,
                   t->stages[i].peak_kb);
    print_line(out, "i alt", NULL, t->last - t->start, t->n ? t->stages[t->n - 1].peak_kb : 0);
}
