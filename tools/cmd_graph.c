/*
 * cmd_graph.c: `lockcheck graph`: the merged lock-order graph, drawn.
 *
 * Reads report files like `lockcheck report`, merges the graph events of all
 * their processes by lock identity (graph_merge.c, as `lockcheck order`
 * does) and adds the cycles of the reported inversions (lock_graph.c), then
 * writes it as Graphviz DOT (render_dot.c) or as SVG. SVG is Graphviz's own
 * rendering of that DOT (`dot -Tsvg`, found on PATH and fed through a pipe):
 * its layout is far better than anything worth writing here. Without `dot`
 * the command says so and exits 1, suggesting --format dot; the HTML report
 * has its own built-in SVG (render_svg.c) for places without Graphviz.
 *
 * Exit status: 0; 1 when some input could not be read (what could be read
 * is still drawn), when there is nothing to draw (no graph event and no
 * inversion in the input), when FILE cannot be written, or when `dot` is
 * missing or fails; 2 for a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "lock_graph.h"
#include "render.h"

const char cmd_graph_usage[] =
	"usage: lockcheck graph [--format dot|svg] [-o FILE] FILE|DIR...\n"
	"\n"
	"Draws the lock-order graph of the report files (or every *.jsonl of "
	"a\n"
	"directory): the graphs of all processes merged by lock identity, "
	"plus the\n"
	"cycles of the reported inversions. An arrow A -> B means B was taken "
	"while\n"
	"holding A, labelled with the number of contexts; edges on a reported "
	"cycle\n"
	"are red (deadlock-possible) or orange (a cycle that cannot "
	"deadlock).\n"
	"\n"
	"  --format FMT       dot (default): Graphviz source;\n"
	"                     svg: rendered by Graphviz's dot (must be on "
	"PATH)\n"
	"  -o, --output FILE  write to FILE instead of stdout\n"
	"\n"
	"Exit status: 0; 1 if some input could not be read (the rest is "
	"still\n"
	"drawn), there is nothing to draw, or dot is missing or failed; 2 for "
	"a\n"
	"usage error.\n";

/* Whether an executable `name` is on PATH. */
static int on_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		return 0;
	char *copy = strdup(path), *save = NULL;
	int found = 0;
	for (char *d = strtok_r(copy, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char *full = NULL;
		struct stat st;
		if (asprintf(&full, "%s/%s", *d ? d : ".", name) < 0)
			break;
		found = stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
			access(full, X_OK) == 0;
		free(full);
	}
	free(copy);
	return found;
}

/* Runs `dot -Tsvg` with the DOT text on its stdin and out as its stdout.
 * Returns 0, or -1 after a message. */
static int run_dot(const char *dot, size_t len, FILE *out)
{
	int fds[2];
	fflush(out);
	if (pipe(fds) < 0) {
		fprintf(stderr, "lockcheck graph: pipe: %s\n", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "lockcheck graph: fork: %s\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		dup2(fileno(out), 1);
		close(fds[0]);
		close(fds[1]);
		execlp("dot", "dot", "-Tsvg", (char *)NULL);
		fprintf(stderr, "lockcheck graph: cannot run dot: %s\n",
			strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	/* dot reads all its input before writing: no deadlock on the pipe. */
	size_t off = 0;
	int rc = 0;
	while (off < len) {
		ssize_t w = write(fds[1], dot + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "lockcheck graph: writing to dot: %s\n",
				strerror(errno));
			rc = -1;
			break;
		}
		off += (size_t)w;
	}
	close(fds[1]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
		fprintf(stderr, "lockcheck graph: dot -Tsvg failed (%s %d)\n",
			WIFEXITED(st) ? "status" : "signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		rc = -1;
	}
	return rc;
}

int cmd_graph(int argc, char **argv)
{
	const char *output = NULL;
	int svg = 0;
	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		int r;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || !a[1])
			break;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(cmd_graph_usage, stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--format", NULL, &v))) {
			if (r < 0)
				return cli_usage_error("graph",
						       "--format needs a value");
			if (!strcmp(v, "dot"))
				svg = 0;
			else if (!strcmp(v, "svg"))
				svg = 1;
			else
				return cli_usage_error(
					"graph", "unknown --format '%s': use "
					"dot or svg", v);
			continue;
		}
		int status;
		if ((r = cli_opt_output("graph", argc, argv, &i, &output, &status))) {
			if (r < 0)
				return status;
			continue;
		}
		return cli_usage_error("graph", "unknown option '%s'", a);
	}
	if (i >= argc)
		return cli_usage_error("graph", "no report files given");
	if (svg && !on_path("dot")) {
		fputs("lockcheck graph: --format svg needs Graphviz's dot on "
		      "PATH (Debian: apt-get install graphviz); use --format "
		      "dot and render it elsewhere, or lockcheck report "
		      "--format html for a built-in drawing\n", stderr);
		return 1;
	}

	lc_report_set set;
	/* Suite-wide cycles are drawn as the processes' own (suite.h). */
	cli_read_suite(&set, "lockcheck graph", argc, argv, i, 1);
	struct lock_graph lg;
	lock_graph_build(&set, NULL, 0, "lockcheck graph", &lg);
	int rc = set.n_errors || lg.errors ? 1 : 0;
	if (!lg.n_graphs && !lg.n_cycles) {
		fprintf(stderr, "lockcheck graph: nothing to draw: no graph "
			"event and no lock-order inversion in the input (%u "
			"file%s read)\n", set.n_files,
			set.n_files == 1 ? "" : "s");
		rc = 1;
	}

	char *dot = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&dot, &len);
	if (!mem) {
		fputs("lockcheck graph: out of memory\n", stderr);
		lock_graph_free(&lg);
		lc_read_free(&set);
		return 1;
	}
	render_dot(mem, &lg);
	fclose(mem);
	lock_graph_free(&lg);

	FILE *out = stdout;
	if (output && !(out = fopen(output, "w"))) {
		fprintf(stderr, "lockcheck graph: cannot write %s: %s\n",
			output, strerror(errno));
		rc = 1;
	}
	if (out) {
		if (svg) {
			if (run_dot(dot, len, out) < 0)
				rc = 1;
		} else {
			fwrite(dot, 1, len, out);
		}
		if (output && fclose(out) != 0) {
			fprintf(stderr, "lockcheck graph: cannot write %s: %s\n",
				output, strerror(errno));
			rc = 1;
		}
	}
	free(dot);
	lc_read_free(&set);
	return rc;
}
