/* fault_inject.c -- the test side of fault.h, linked only into the test
 * program notatgen_faults: NOTATGEN_FAULT names the points where the
 * process kills itself, NOTATGEN_FAULT_FLAGS the behaviours switched on.
 * A process keeps one count per point; the counts are the only state, and
 * they exist only in this test program. */
#include "notatgen/fault.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_POINTS = 32 };

static struct {
    char name[32];
    int reached;
} counts[MAX_POINTS];

/* How many times point has been reached now (this one included). */
static int reach(const char *point)
{
    for (int i = 0; i < MAX_POINTS; i++) {
        if (!counts[i].name[0])
            snprintf(counts[i].name, sizeof counts[i].name, "%s", point);
        if (!strcmp(counts[i].name, point))
            return ++counts[i].reached;
    }
    return 0;
}

/* true when the comma-separated list names item (with "@N" when n > 0
 * must match: "point@2"; without "@", the first time). */
static bool listed(const char *list, const char *item, int n)
{
    size_t len = strlen(item);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t k = end ? (size_t)(end - p) : strlen(p);
        if (k >= len && !strncmp(p, item, len)) {
            if (k == len && n <= 1)
                return true;
            if (n > 0 && p[len] == '@' && atoi(p + len + 1) == n)
                return true;
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

void ng_fault_point(const char *point)
{
    const char *list = getenv("NOTATGEN_FAULT");
    if (!list || !*list)
        return;
    int n = reach(point);
    if (!listed(list, point, n))
        return;
    fprintf(stderr, "notatgen_faults: dræbes ved %s (%d. gang)\n", point, n);
    fflush(stderr);
    kill(getpid(), SIGKILL);
}

bool ng_fault_flag(const char *flag)
{
    return listed(getenv("NOTATGEN_FAULT_FLAGS"), flag, 0);
}
