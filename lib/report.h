/*
 * report.h: the report writer, the one place where findings leave the core.
 *
 * A finding becomes one JSON line in the process's log file (log_path) and a
 * text block on stderr (print_findings), each with a single write(2) at the
 * moment it is found, so a crash or kill -9 afterwards loses nothing. The log
 * also gets the start event at start-up, and the graph and end events at exit.
 * Also applies the contract's exit policy (exitcode, halt_on_error,
 * abort_on_error).
 *
 * Locking: every function except lc_report_open runs under the graph lock
 * (the static buffers here are shared).
 */
#ifndef LC_REPORT_H
#define LC_REPORT_H

#include "buf.h"
#include "finding.h"

/* Opens PREFIX.<pid>.jsonl (when log_path is set) and writes the start event.
 * Called from lc_init and again in a fork child (a new pid, a new file). */
void lc_report_open(void);
/* Writes a finding; on an error finding with halt_on_error/abort_on_error,
 * ends the process after writing. */
void lc_report_finding(const lc_finding *f);
/* Writes the graph event (every lock with an edge, every edge). */
void lc_report_graph(void);
/* Writes the end event with the exit status the process is about to have. */
void lc_report_end(int status);
/* Writes a `limit` event (limit.c): message is a format with one %lu for
 * size, free of characters JSON must escape. Takes no lock and allocates
 * nothing; before the log file is open (a fork child's first line) only the
 * end event will list it. Returns whether the message should also go to
 * stderr: where findings go (print_findings, or no log). */
int lc_report_limit(const char *name, unsigned long size, const char *message);
/* In a fork child: counts start at zero (the parent's findings are in the
 * parent's file) and a new file is opened for the new pid. */
void lc_report_after_fork_child(void);
/* Is the calling process the one whose log this is? Not in a vfork child,
 * which runs in its parent's memory under a pid of its own. */
int lc_report_own_process(void);
/* Findings and error findings written so far. */
unsigned lc_report_findings(void);
unsigned lc_report_errors(void);
/* Writes an event line built elsewhere (json, without newline) to the log,
 * and head + text to stderr. */
void lc_report_raw(lc_buf *json, const char *head, const lc_buf *text);
/* Writes one complete line (with its newline) to the log, under the bound,
 * without the graph lock and without allocating: async-signal-safe, even in
 * a vfork child (which writes to its parent's log and changes no state).
 * Returns 0, or -1 when there is no log. */
int lc_report_line_unlocked(const char *line, size_t len);
/* Resolves a pc (a return address) to a frame; `out` strings stay valid. */
void lc_report_frame(uintptr_t pc, lc_frame *out);
/* A "steer" event (steer.h): what ("pause", "release", "timeout") thread
 * `thread` did at the edges of mask `edges` (one acquisition may stand for
 * several edges of a cycle through one class), ms: the pause's budget, or
 * its length. To the log only. */
void lc_report_steer(const char *what, unsigned edges, unsigned thread,
		     unsigned ms);

#endif
