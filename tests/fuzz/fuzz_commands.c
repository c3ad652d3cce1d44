/*
 * fuzz_commands.c: libFuzzer target for the CLI's commands over one report
 * file: `lockcheck report` in every format, `lockcheck order` and
 * `lockcheck graph`, each run as the user runs it (cmd_report, cmd_order,
 * cmd_graph with an argv), so that option handling, merging, filtering,
 * the feedback-arc-set search and every writer see what the reader
 * accepted from odd input.
 *
 * fuzz_report covers the reader itself, fast; this target is the slower,
 * broader one. The input is written to a memfd once per run and named by
 * its /proc/self/fd path (the commands take paths); output goes to
 * /dev/null (-o), the commands' messages to stderr (silenced by
 * tests/fuzz/run's -close_fd_mask=2). Frames are not symbolised
 * (--no-symbolize: the modules named by fuzzed input are not files to
 * open), and `graph` draws DOT only (svg would run Graphviz). Checked: each
 * command returns one of its documented exit statuses (0, 1; never the
 * usage error 2, since the argv is always valid).
 * Corpus: tests/fuzz/corpus/fuzz_commands/ (seeded from tests/golden/),
 * dictionary fuzz_commands.dict (the same as fuzz_report's).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz_warn.h"

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fd = memfd_create("fuzz.jsonl", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	/* Colour off whatever the terminal: the same output every run. */
	setenv("NO_COLOR", "1", 1);
	return 0;
}

static void run(int (*cmd)(int, char **), const char *what, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	int st = cmd(argc, argv);
	if (st != 0 && st != 1) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s returned %d, not 0 or 1", what, st);
		lc_fuzz_check(0, msg);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) != 0 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	static const char *formats[] = { "text", "json", "sarif", "junit",
					 "html" };
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
		char *argv[] = { "report", "--no-symbolize", "--format",
				 (char *)formats[i], "-o", "/dev/null", path,
				 NULL };
		run(cmd_report, formats[i], argv);
	}
	char *filtered[] = { "report", "--no-symbolize", "--kind",
			     "lock-order-inversion", "--min-severity", "error",
			     "-o", "/dev/null", path, NULL };
	run(cmd_report, "report --kind", filtered);
	char *order[] = { "order", "-o", "/dev/null", path, NULL };
	run(cmd_order, "order", order);
	char *graph[] = { "graph", "--format", "dot", "-o", "/dev/null", path,
			  NULL };
	run(cmd_graph, "graph", graph);
	return 0;
}
