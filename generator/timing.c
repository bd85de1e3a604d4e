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

void ng_timing_mark(ng_timing *t, const char *name)
{
    if (!t->enabled)
        return;
    double now = now_seconds();
    double spent = now - t->last;
    t->last = now;
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->stages[i].name, name)) {
            t->stages[i].seconds += spent;
            return;
        }
    if (t->n < NG_TIMING_MAX_STAGES)
        t->stages[t->n++] = (ng_timing_stage){name, spent};
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

/* "tider: NAME" padded to 20 characters (not bytes: "økonomi" has an ø) */
static void print_line(FILE *out, const char *name, double s)
{
    size_t chars = 0;
    for (const char *p = name; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    fprintf(out, "tider: %s", name);
    for (; chars < 20; chars++)
        fputc(' ', out);
    print_seconds(out, s);
    fputs(" s\n", out);
}

void ng_timing_print(const ng_timing *t, FILE *out)
{
    if (!t->enabled)
        return;
    for (size_t i = 0; i < t->n; i++)
        print_line(out, t->stages[i].name, t->stages[i].seconds);
    print_line(out, "i alt", t->last - t->start);
}
