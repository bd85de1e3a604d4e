/* status.c -- messages and exit codes of ng_status. */
#include "notatgen/status.h"

static const char *const status_text[NG_STATUS_COUNT] = {
    [NG_OK] = "success",
    [NG_ERR_NOMEM] = "out of memory",
    [NG_ERR_USAGE] = "usage error",
    [NG_ERR_CONFIG] = "configuration error",
    [NG_ERR_THRESHOLDS] = "refusion thresholds missing",
    [NG_ERR_TEMPLATE] = "template error",
    [NG_ERR_INPUT] = "input rejected",
    [NG_ERR_PRIVACY] = "CPR-like value in an output",
    [NG_ERR_IO] = "I/O error",
    [NG_ERR_DELIVERY] = "mail delivery failed",
    [NG_ERR_LOCKED] = "another run holds the lock",
    [NG_ERR_INTERNAL] = "internal error",
};

const char *ng_strerror(ng_status status)
{
    if (status < 0 || status >= NG_STATUS_COUNT)
        return "unknown status";
    return status_text[status];
}

int ng_exit_code(ng_status status)
{
    switch (status) {
    case NG_OK:
        return 0;
    case NG_ERR_INPUT:
    case NG_ERR_PRIVACY:
        return 1;
    case NG_ERR_USAGE:
    case NG_ERR_CONFIG:
    case NG_ERR_THRESHOLDS:
    case NG_ERR_TEMPLATE:
        return 2;
    case NG_ERR_LOCKED:
        return 4;
    default:
        return 3;
    }
}
