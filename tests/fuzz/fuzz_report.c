/*
 * fuzz_report.c: libFuzzer target for the CLI's report reader
 * (tools/read.c) and what the commands do with what it read.
 *
 * The input is a report file (JSON Lines), read from memory through
 * fmemopen and lc_read_stream, the body of lc_read_file. Whatever the
 * reader accepts is then used as the commands use it, so that an odd but
 * accepted finding or graph (an edge naming a lock it does not list, a
 * cycle longer than its edges, a fix naming edges that are not there) is
 * rendered and merged without crashing:
 *   - the text report of `lockcheck report` (report_print_text: merge by id,
 *     lib/render_text.c's blocks, the summary line), in colour for inputs
 *     of odd length;
 *   - the lock-graph merges of `lockcheck order` and `lockcheck graph`
 *     (graph_merge_build, lock_graph_build) and the DOT writer;
 *   - the suite-wide merge and judge of `lockcheck run` and `report`
 *     (tools/suite.c), fed each graph event as it is read, whose findings
 *     the text report then shows with the others.
 * Output goes to /dev/null. Checked: every diagnostic the reader wrote is
 * one line starting with "lockcheck: " (a field value holding a newline
 * must not break that), and an accepted set is consistent (each finding
 * names a process that exists; a suite finding, each of its edges).
 *
 * The line limit is lowered to 4 KiB (set->line_max) so that inputs reach
 * the "line too long" path without megabytes per run (the seeds' longest
 * line is 2.4 KB).
 * Corpus: tests/fuzz/corpus/fuzz_report/ (seeded from tests/golden/),
 * dictionary fuzz_report.dict (the contract's event and field names).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz_warn.h"
#include "graph_merge.h"
#include "lock_graph.h"
#include "read.h"
#include "render.h"
#include "suite.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

static int any_identity(const char *identity)
{
	return identity[0] != '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *diag_text = NULL;
	size_t diag_len = 0;
	FILE *diag = open_memstream(&diag_text, &diag_len);
	if (!diag)
		return 0;
	lc_report_set set;
	lc_read_init(&set, "lockcheck");
	set.diag = diag;
	set.line_max = 4096;
	lc_suite *suite = lc_suite_new("lockcheck");
	lc_suite_attach(suite, &set, 1);
	FILE *in = size ? fmemopen((void *)data, size, "r") : NULL;
	if (in) {
		lc_read_stream(&set, in, "fuzz.jsonl", 0);
		fclose(in);
	}
	lc_suite_judge(suite, &set);
	lc_suite_free(suite);
	/* A suite finding belongs to no one process: each of its edges
	 * names the process it was seen in. */
	for (size_t i = 0; i < set.n_findings; i++) {
		const lc_rfinding *r = &set.findings[i];
		lc_fuzz_check(r->suite || r->process < set.n_procs,
			      "a finding belongs to a process that was read");
		for (unsigned e = 0; r->suite && e < r->f.n_edges; e++)
			lc_fuzz_check(r->f.edges[e].process != NULL,
				      "a suite finding's edge names its process");
	}
	for (size_t i = 0; i < set.n_graphs; i++)
		lc_fuzz_check(set.graphs[i].process < set.n_procs,
			      "a graph belongs to a process that was read");

	/* The commands' own complaints (a graph naming an unlisted lock) go
	 * to stderr, not to set.diag: they are not checked here. */
	report_print_text(devnull, &set, NULL, (int)(size & 1));
	struct ograph og;
	graph_merge_build(&set, "lockcheck order", any_identity,
			  "no identity", &og);
	graph_merge_free(&og);
	size_t *idx = malloc((set.n_findings + 1) * sizeof(*idx));
	if (idx) {
		for (size_t i = 0; i < set.n_findings; i++)
			idx[i] = i;
		struct lock_graph lg;
		lock_graph_build(&set, idx, set.n_findings, "lockcheck graph",
				 &lg);
		render_dot(devnull, &lg);
		lock_graph_free(&lg);
		free(idx);
	}
	fflush(devnull);

	fclose(diag);
	lc_fuzz_check_lines(diag_text, diag_len, "lockcheck: ");
	free(diag_text);
	lc_read_free(&set);
	return 0;
}
