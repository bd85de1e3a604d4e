/*
 * plausibility.h -- the plausibility guards ([plausibilitet]): a night whose
 * numbers cannot be right stops before anything is published.
 *
 * After every computation (the guard step) the run stops with exit 1,
 * nothing published and nothing recorded, with a message naming what is
 * implausible, when
 *   - a case's yearly spend exceeds max_sag (default 50 mio. kr.): the
 *     message names the case (its sag_id as the extract writes it; the
 *     diagnostics mask anything CPR-like) and the year;
 *   - the extract's total spend is more than `faktor` times (default 3) the
 *     last snapshot's, or less than its 1/faktor: the message names both
 *     totals and the snapshot's date;
 *   - the amounts of the extract cannot be read without guessing their
 *     notation (decimaltegn = auto and a value such as 1936.600 that no
 *     other value of the column decides: dk.h, ng_notation): the message
 *     names the column, the value, its line and both readings.
 * An officer who has looked at the night lets it through with `godkend =
 * DATO` (the extract date of that night only) or `--godkend` on the command
 * line; the stops are then warnings, and the run's log line says
 * "plausibilitet godkendt (...)" with what was let through.
 */
#ifndef NOTATGEN_PLAUSIBILITY_H
#define NOTATGEN_PLAUSIBILITY_H

#include <stdbool.h>

#include "notatgen/dk.h"

/* The module's options: [plausibilitet]. */
typedef struct {
    double max_sag; /* kr.; a case's yearly spend above it stops the run */
    int faktor;     /* the total may change by this factor either way */
    bool has_godkend;
    ng_date godkend; /* the extract date an officer let through */
} ng_plausibilitet_options;

#endif
