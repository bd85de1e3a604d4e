/*
 * fault.h -- fault injection for the tests that kill a run at a chosen
 * point (tests/e2e_faults.sh), and how it is kept out of production.
 *
 *   ng_fault_point("staged");      the run's code at every point a test may
 *                                  want to kill it
 *   ng_fault_flag("no-exchange");  a behaviour a test may switch on
 *
 * Two implementations, chosen by the linker:
 *   generator/fault.c     in the library notatgen_core: both functions do
 *                         nothing and read no environment. The program
 *                         `notatgen` that is built, installed and run by
 *                         cron links only this one, so no environment
 *                         variable can make it kill itself.
 *   tests/fault_inject.c  linked into the test program `notatgen_faults`
 *                         (tests/CMakeLists.txt: generator/main.c, this file
 *                         and the library). An object given to the linker
 *                         comes before the archive, so generator/fault.o is
 *                         never pulled in for that program; were it pulled
 *                         in, the link would fail on the duplicate symbols.
 *
 * In notatgen_faults:
 *   NOTATGEN_FAULT=POINT[@N][,POINT[@N]...]   SIGKILL at the N-th time (default
 *                                             the first) the run reaches POINT
 *   NOTATGEN_FAULT_FLAGS=FLAG[,FLAG...]       ng_fault_flag(FLAG) is true
 *
 * The points, in the order a run reaches them (docs/drift.md says what each
 * leaves behind):
 *   rolled-forward  after a published set's record was committed at the
 *                   start of a run (roll forward)
 *   staged          every output, the record and the manifest written and
 *                   synced into the staging folder; nothing renamed yet
 *   fallback-moved  (fallback) the staging folder renamed to its hidden
 *                   name .DATO.N
 *   fallback-aside  (fallback, a real folder under the date's name) the old
 *                   folder renamed to .replaced-DATO
 *   exchanged       the new folder under the date's name (RENAME_EXCHANGE,
 *                   the first rename, or the fallback's link renamed)
 *   latest          OUT/latest renamed to point at the newest date
 *   published       the old folder removed: publishing is done
 *   committed       the history's transaction committed (snapshot,
 *                   forecasts, delivery record), the record file not yet
 *                   removed
 *   smtp-before     a delivery attempt counted in the store, nothing sent
 *   smtp-after      the server answered 250 to the message; the delivery
 *                   not yet recorded as sent
 *   delivered       the delivery recorded as sent
 * The flags:
 *   no-exchange     publish as if the file system had no RENAME_EXCHANGE
 */
#ifndef NOTATGEN_FAULT_H
#define NOTATGEN_FAULT_H

#include <stdbool.h>

/* Kills the process (SIGKILL) when a test asked for this point (see above);
 * does nothing in the program `notatgen`. */
void ng_fault_point(const char *point);

/* true when a test switched flag on; always false in `notatgen`. */
bool ng_fault_flag(const char *flag);

#endif
