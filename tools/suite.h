/*
 * suite.h: lock-order cycles of a whole test suite (issue 16).
 *
 * A test suite runs its program in many processes, each exercising a few
 * paths; a deadlock may need one half from one process and the other half
 * from another. The suite merge folds the "graph" event of every process
 * into one graph, as the reader meets them (read.h: graph_sink), and keeps
 * only the merged state:
 *   nodes       lock classes by (scope, fingerprint): scope is the build-id
 *               (else path) of the module owning the class, so a shared
 *               library's locks are one node in every program using it, and
 *               two programs' same-named static locks never meet;
 *   roles       threads by what they are, not by per-process number: the
 *               main (or an unknown) thread of an executable, or a start
 *               routine and its pthread_create site; a pool when more than
 *               one ran at once;
 *   edges       class pairs u -> v (u != v) with their contexts de-duplicated
 *               by signature (role, modes, held classes), each signature
 *               with the processes that made it and, per process, its
 *               stacks (interned: identical stacks of many processes are
 *               one).
 * Judging (lc_suite_judge) finds the merged graph's cycles and gives each
 * the best verdict over the choices of one signature per edge that no
 * single process made (a process judged those itself, knowing more); the
 * rules are in the design comment of suite.c and in README.md.
 *
 * Memory follows the merged graph (classes, edges, signatures, process
 * lists, distinct stacks), not the size of the input. Out of memory is
 * fatal (a message, exit 1), as everywhere in the CLI.
 *
 * Not thread safe: one suite has one owner.
 */
#ifndef LC_TOOLS_SUITE_H
#define LC_TOOLS_SUITE_H

#include "read.h"

typedef struct lc_suite lc_suite;

/* A new, empty suite; diagnostics are prefixed with prog. */
lc_suite *lc_suite_new(const char *prog);

/* Makes set hand its graph events to s as they are read (and release
 * them after), keeping them in set->graphs too when keep_graphs is set
 * (for the commands that still draw from them). Call before reading. */
void lc_suite_attach(lc_suite *s, lc_report_set *set, int keep_graphs);

/* Folds one graph event of set into s. A graph without the suite-wide
 * fields (an older shim) is ignored. The graph_sink of lc_suite_attach;
 * callable directly for graphs already read. */
void lc_suite_fold(void *s, lc_report_set *set, const lc_rgraph *g);

/* Judges the merged graph and appends a finding to set for each cycle
 * whose suite verdict is closer to a deadlock than every finding of the
 * same id the processes wrote (lc_rfinding.suite set; memory owned by the
 * set). Call once, after every input is read and before symbolising.
 * Returns the number of findings added. Caps reached (cycles, cycle
 * length, search budget) are said once on stderr. */
unsigned lc_suite_judge(lc_suite *s, lc_report_set *set);

/* Frees s (the findings it added belong to the set). NULL is fine. */
void lc_suite_free(lc_suite *s);

#endif
