/* fault.c -- the production side of fault.h: no fault can be injected.
 * Only these two functions may live in this file (fault.h says why). */
#include "notatgen/fault.h"

void ng_fault_point(const char *point)
{
    (void)point;
}

bool ng_fault_flag(const char *flag)
{
    (void)flag;
    return false;
}
