/*
 * timing.h -- per-stage wall times of a command, for `--tider` or the
 * environment variable NOTATGEN_TIDER=1.
 *
 *   ng_timing t;
 *   ng_timing_init(&t, ng_timing_wanted(flag));
 *   ... ng_timing_mark(&t, "konfiguration"); ... ng_timing_mark(&t, "udgivelse");
 *   ng_timing_print(&t, stderr);   (prints nothing when not enabled)
 *
 * Each mark closes a stage: its time is what passed since the previous mark
 * (or since init), with the process's peak memory so far. Marking a name
 * that is already there adds to it, so a stage that runs more than once (one
 * memo after another) is one line. The times are measured with
 * CLOCK_MONOTONIC and never reach an output file. The pipeline marks each
 * module's step ("beregning: udtraek"), run and check the steps between.
 */
#ifndef NOTATGEN_TIMING_H
#define NOTATGEN_TIMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { NG_TIMING_MAX_STAGES = 24 };

typedef struct {
    const char *name;   /* borrowed: a string literal */
    const char *module; /* the module whose step it was (borrowed), or NULL */
    double seconds;
    long peak_kb; /* the process's peak resident memory at the stage's end (Linux), 0 = unknown */
} ng_timing_stage;

typedef struct ng_timing {
    bool enabled;
    double start, last;
    ng_timing_stage stages[NG_TIMING_MAX_STAGES];
    size_t n;
} ng_timing;

/* true when flag is set or NOTATGEN_TIDER is set to something else than ""
 * or "0". */
bool ng_timing_wanted(bool flag);
void ng_timing_init(ng_timing *t, bool enabled);
/* Closes the current stage under name (a no-op when not enabled). */
void ng_timing_mark(ng_timing *t, const char *name);
/* The same for one module's step ("beregning", "udtraek"); t may be NULL. */
void ng_timing_mark_in(ng_timing *t, const char *step, const char *module);
/* "tider: indlæsning 0,412 s  (hukommelse højst 37 MB)" lines and a total,
 * on out; nothing when not enabled. */
void ng_timing_print(const ng_timing *t, FILE *out);

#endif
