/*
 * render.h: the output formats of `lockcheck report` and `lockcheck graph`.
 *
 * `lockcheck report` reads report files, merges the findings by id
 * (cmd_report.c: struct merge) and hands the merged list to one writer per
 * format, each in its own file:
 *   text   cmd_report.c (the shim's own text blocks, lib/render_text.c)
 *   json   render_json.c   one JSON array of the merged findings
 *   sarif  render_sarif.c  SARIF 2.1.0, as GitHub code scanning takes it
 *   junit  render_junit.c  one JUnit <testsuite>, a testcase per finding
 *   html   render_html.c   one self-contained page with an SVG lock graph
 * `lockcheck graph` draws the merged lock-order graph (lock_graph.h) as DOT
 * (render_dot.c); the HTML report draws it itself as SVG (render_svg.c).
 *
 * Every writer takes the same arguments, writes one whole document to out,
 * and returns 0, or -1 after printing one line to stderr (out of memory). A
 * writer never changes the set or the merge. Output is a function of the
 * input alone (no times, no host names), so golden tests compare it.
 */
#ifndef LC_TOOLS_RENDER_H
#define LC_TOOLS_RENDER_H

#include <stdio.h>

#include "buf.h"
#include "lock_graph.h"
#include "read.h"

/* A finding's state against a baseline (`--baseline`, tools/baseline.h):
 * none when no baseline was given. */
enum baseline_state { BASELINE_NONE, BASELINE_NEW, BASELINE_UNCHANGED };

/* One distinct finding: its first occurrence, the occurrence shown, and
 * where it was seen. */
struct merged {
	size_t first;    /* index into set->findings: where it is placed */
	size_t shown;    /* index into set->findings: what is rendered */
	unsigned count;  /* sightings: processes (records) that wrote it */
	unsigned long instances; /* sum over those of their "repeats" count */
	int *pids;       /* distinct pids, ascending */
	unsigned n_pids;
	/* Longer cycles folded into this one (fold.h), owned here. */
	lc_finding_also *also;
	unsigned n_also;
	enum baseline_state baseline;
};

/* The merged findings of a report set, in order of first occurrence. */
struct merge {
	struct merged *items;
	size_t n;
	unsigned errors, warnings;  /* of the items (their shown severity) */
	unsigned long suppressed;   /* sum of the end events' counts */
	/* What the command adds for the writers (zero: nothing). */
	const char *source_root;    /* SARIF: the project's directory; NULL:
				     * the current directory */
	int has_baseline;           /* --baseline given: the fields below */
	unsigned n_new, n_unchanged, new_errors;
	/* The baseline's findings not seen now ("fixed"; SARIF "absent"
	 * results): items of absent_set, as the items above are of set. */
	const lc_report_set *absent_set;
	const struct merged *absent;
	size_t n_absent;
};

/* The signature every report format has. color: nonzero for ANSI colours
 * (only text uses it). */
typedef int report_writer(FILE *out, const lc_report_set *set,
			  const struct merge *m, int color);

report_writer render_json, render_sarif, render_junit, render_html;

/* Appends the text block of merged finding g (lib/render_text.c's block,
 * plus its "(seen N times ...)" line when it was seen more than once), as
 * `lockcheck report` prints it. Defined in cmd_report.c. */
void report_finding_text(lc_buf *b, const lc_report_set *set,
			 const struct merged *g, int color);

/* Sorts idx[0..n) (indices into set->findings) by finding id, then by
 * index: each id's findings in reading order (the merge's grouping; the
 * baseline's too). Defined in cmd_report.c. */
void report_sort_by_id(const lc_report_set *set, size_t *idx, size_t n);

/* Appends the summary line without its newline: "lockcheck: 2 findings (1
 * error, 1 warning) in 3 processes[, N suppressed]" or "lockcheck: no
 * findings in N processes". Defined in cmd_report.c. */
void report_summary(lc_buf *b, const lc_report_set *set,
		    const struct merge *m);

/* The lock graph as a Graphviz digraph (render_dot.c), with a
 * comment header saying what it holds and the legend. */
void render_dot(FILE *out, const struct lock_graph *lg);

/* The lock graph as an inline <svg> element, laid out on a circle with no
 * outside tool (render_svg.c). Appends to b. */
void render_svg(lc_buf *b, const struct lock_graph *lg);

/* Appends s with the five XML special characters escaped, and characters
 * XML 1.0 cannot hold (controls other than tab and newline, e.g. a stray
 * ANSI escape) dropped. Defined in render_junit.c; HTML uses it too. */
void render_xml_escape(lc_buf *b, const char *s);

#endif
