/*
 * health.h: what a run saw, said after the findings ("honest summaries").
 *
 * "no findings" is only worth something when the checker saw the program's
 * locks. A report set also tells how much it saw: each process's lock calls
 * (its end event's stats), processes that never wrote an end event
 * (killed, crashed, left by _exit, or exec'd into an unchecked program),
 * programs started without the shim (unchecked-child events) and the
 * checker's limits reached. health_summary() writes that as a few lines
 * below the summary line, so that a blind run does not read like a clean
 * one.
 */
#ifndef LC_TOOLS_HEALTH_H
#define LC_TOOLS_HEALTH_H

#include "buf.h"
#include "read.h"

/* Appends the health lines for set to b (each "lockcheck: ...\n", with
 * indented detail lines); nothing for a set with no process. Lines:
 *   - lock calls seen in total (when any end event gave them), and
 *     plainly when none was seen, with the likely causes;
 *   - processes that ran threads but saw no lock call while others
 *     did, named;
 *   - processes without an end event, counted and named;
 *   - programs started without the shim, named, with why;
 *   - the checker limits reached, in one line saying which option raises
 *     which (replaces one line per process and limit). */
void health_summary(lc_buf *b, const lc_report_set *set);

#endif
