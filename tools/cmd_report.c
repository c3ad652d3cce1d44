/*
 * cmd_report.c: `lockcheck report`: merge report files and print them.
 *
 * Every finding of every process of every file given is read (tools/read.c),
 * then merged: findings with the same id are one problem (the id is stable
 * across processes and runs), shown once, at the place of its first
 * occurrence in reading order, with how often and in which processes it was
 * seen. Files are read in the order given, a directory's files in name order,
 * so the output is a function of the input alone (golden tests rely on it).
 *
 * Which of the duplicates is shown: the one of the highest severity; among
 * equals, a later one of the same process replaces an earlier one (a process
 * writes an inversion again with the same id when a later context changes its
 * verdict: the last is what the run ended with), while another process's
 * equal finding does not (the first stays, so the choice is stable). A
 * process's rewrites of one id count as one sighting in "(seen N times ...)".
 * The "repeats" of end events (the same cycle over other lock instances of
 * the same classes, written once) are added up into "(N instances)", and the
 * end events' "suppressed" counts into the summary line.
 *
 * Output formats are a table (formats[]): each takes the set and the merged
 * list and writes one document (render.h: text here, json, sarif, junit and
 * html in tools/render_*.c). --kind and --min-severity filter the merged
 * list before any format sees it, so every format (and its summary counts)
 * speaks of the same findings. `lockcheck run` prints the same text report
 * through report_print_text().
 *
 * Suite-wide cycles (tools/suite.c): the graph events of every process
 * read are merged as they are read, and the cycles no single process closed
 * are added as findings before merging by id. Such a finding is shown in
 * place of the processes' findings of its id (it is added only when its
 * verdict is closer to a deadlock than all of theirs); it is no sighting of
 * its own ("seen N times" counts the processes' findings), its edges name
 * the processes they were seen in.
 *
 * A baseline (--baseline PATH, tools/baseline.c) marks each merged finding
 * new or unchanged by id after the filters, and lists the baseline's
 * findings not seen now (absent, "fixed"), filtered alike; every format
 * says so (text: a line per block and the summary's "N new, M unchanged, K
 * fixed"; json: "baseline"; sarif: baselineState and absent results).
 *
 * Exit status: 0; 1 when some input could not be read (everything readable
 * is printed first); 2 for usage errors. With --baseline, 66 when a new
 * error finding is reported (before 1: CI gates on it), so sharded CI logs
 * can be gated by `report` as `run` gates a single run.
 */
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "baseline.h"
#include "cli.h"
#include "fold.h"
#include "health.h"
#include "render.h"
#include "render_text.h"
#include "symbolize.h"

const char cmd_report_usage[] =
	"usage: lockcheck report [--format text|json|sarif|junit|html] "
	"[--kind KIND]...\n"
	"                        [--min-severity warning|error] [-o FILE]\n"
	"                        [--color auto|always|never] [--no-symbolize]\n"
	"                        [--baseline PATH] [--source-root DIR] "
	"FILE|DIR...\n"
	"\n"
	"Reads report files (the PREFIX.<pid>.jsonl files the shim writes "
	"with\n"
	"log_path=PREFIX; for a directory, all its *.jsonl files) and prints "
	"every\n"
	"finding once, however many processes found it, then one summary "
	"line.\n"
	"\n"
	"  --format FMT   text (default): the readable report;\n"
	"                 json: the merged findings as one JSON array;\n"
	"                 sarif: SARIF 2.1.0 (GitHub code scanning);\n"
	"                 junit: JUnit XML, a failing testcase per error;\n"
	"                 html: one self-contained page with the lock graph\n"
	"  --kind KIND    only findings of this kind (repeatable), e.g.\n"
	"                 lock-order-inversion, double-lock, deadlock\n"
	"  --min-severity SEV  only findings of at least this severity:\n"
	"                 warning (default) or error\n"
	"  -o, --output FILE  write to FILE instead of stdout\n"
	"  --color MODE   colour the text: auto (when the output is a "
	"terminal),\n"
	"                 always, never (default: auto; NO_COLOR also turns "
	"it off)\n"
	"  --no-symbolize frames as the shim wrote them (module+offset, "
	"symbol);\n"
	"                 by default each is shown with its function, "
	"file:line,\n"
	"                 source line and inlined calls, from the debug info\n"
	"  --baseline PATH  compare with an earlier run: its log directory, a "
	"log\n"
	"                 file, or the JSON report (--format json) it gave; "
	"each\n"
	"                 finding is new or unchanged (same id), the "
	"baseline's\n"
	"                 findings not seen now are counted as fixed\n"
	"  --source-root DIR  the project's directory for SARIF locations "
	"(default:\n"
	"                 the current directory): a result is located at a "
	"file\n"
	"                 that exists under it\n"
	"\n"
	"Exit status: 0; 1 if some input could not be read (the rest is "
	"still\n"
	"printed) or FILE could not be written; 2 for a usage error; with\n"
	"--baseline, 66 when an error finding is new (not in the "
	"baseline).\n";

/* Processes listed in a "(seen ...)" line before "and N more". */
#define SEEN_PIDS_MAX 10

static const lc_report_set *sort_set; /* qsort has no context argument */

static int by_id_then_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(sort_set->findings[x].f.id, sort_set->findings[y].f.id);
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

void report_sort_by_id(const lc_report_set *set, size_t *idx, size_t n)
{
	sort_set = set;
	qsort(idx, n, sizeof(*idx), by_id_then_index);
	sort_set = NULL;
}

static int by_first(const void *a, const void *b)
{
	const struct merged *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int by_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

static void merge_free(struct merge *m)
{
	fold_free(m);
	for (size_t i = 0; i < m->n; i++)
		free(m->items[i].pids);
	free(m->items);
	memset(m, 0, sizeof(*m));
}

/* Groups the findings of set by id. Returns 0, or -1 when out of memory. */
static int merge(const lc_report_set *set, struct merge *m)
{
	size_t n = set->n_findings;
	memset(m, 0, sizeof(*m));
	for (size_t p = 0; p < set->n_procs; p++)
		m->suppressed += set->procs[p].suppressed;
	if (n == 0)
		return 0;
	size_t *idx = malloc(n * sizeof(*idx));
	m->items = calloc(n, sizeof(*m->items));
	if (!idx || !m->items)
		goto oom;
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	report_sort_by_id(set, idx, n);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && !strcmp(set->findings[idx[j]].f.id,
					set->findings[idx[i]].f.id))
			j++;
		struct merged *g = &m->items[m->n++];
		g->first = idx[i]; /* smallest index: sorted by index within */
		g->shown = idx[i];
		g->pids = malloc((j - i) * sizeof(*g->pids));
		if (!g->pids)
			goto oom;
		size_t np = 0;
		for (size_t k = i; k < j; k++) {
			const lc_rfinding *r = &set->findings[idx[k]];
			const lc_rfinding *sh = &set->findings[g->shown];
			if (r->suite) {
				/* Closer to a deadlock than every process's
				 * (suite.c adds it only then): shown in
				 * their place; its edges say where. */
				g->shown = idx[k];
				continue;
			}
			g->pids[np++] = r->f.pid;
			/* A process's first line of this id is a sighting;
			 * a later one of the same process is its rewrite.
			 * A process record's findings are contiguous in
			 * reading order (the reader starts a new record at
			 * every change of process), so a rewrite directly
			 * follows its process's previous line here. */
			int rewrite = k > i &&
				      !set->findings[idx[k - 1]].suite &&
				      set->findings[idx[k - 1]].process ==
					      r->process;
			if (!rewrite) {
				g->count++;
				g->instances += lc_read_instances(
					set, r->process, r->f.id);
			}
			if (!sh->suite &&
			    (r->f.severity > sh->f.severity ||
			     (r->f.severity == sh->f.severity &&
			      r->process == sh->process)))
				g->shown = idx[k];
		}
		qsort(g->pids, np, sizeof(*g->pids), by_int);
		for (size_t k = 0; k < np; k++)
			if (g->n_pids == 0 || g->pids[g->n_pids - 1] != g->pids[k])
				g->pids[g->n_pids++] = g->pids[k];
		if (set->findings[g->shown].f.severity == LC_SEV_ERROR)
			m->errors++;
		else
			m->warnings++;
		i = j;
	}
	qsort(m->items, m->n, sizeof(*m->items), by_first);
	free(idx);
	/* One bug, one finding: longer cycles that contain a shorter
	 * one go under it (fold.h). */
	fold_cycles(set, m);
	return 0;
oom:
	free(idx);
	merge_free(m);
	fputs("lockcheck: out of memory while merging findings\n", stderr);
	return -1;
}

static const char *plural_s(size_t n)
{
	return n == 1 ? "" : "s";
}

static const char *plural_es(size_t n)
{
	return n == 1 ? "" : "es";
}

/* "(seen N times, in processes ...)" when seen more than once, "(N
 * instances)" when the end events counted more instances than sightings,
 * both in one line when both hold. */
static void put_seen(lc_buf *b, const struct merged *g)
{
	int many = g->instances > g->count;
	lc_buf_puts(b, "  (");
	if (g->count > 1) {
		lc_buf_printf(b, "seen %u times, in process%s ", g->count,
			      plural_es(g->n_pids));
		unsigned shown = g->n_pids > SEEN_PIDS_MAX ? SEEN_PIDS_MAX
							   : g->n_pids;
		for (unsigned i = 0; i < shown; i++)
			lc_buf_printf(b, "%s%d", i ? ", " : "", g->pids[i]);
		if (shown < g->n_pids)
			lc_buf_printf(b, " and %u more", g->n_pids - shown);
		if (many)
			lc_buf_puts(b, "; ");
	}
	if (many)
		lc_buf_printf(b, "%lu instances", g->instances);
	lc_buf_puts(b, ")\n");
}

/* Reopens the block that starts at b[start] for one more line: drops the
 * blank line that separates blocks, if any; returns whether it did, for
 * close_block. */
static int reopen_block(lc_buf *b, size_t start)
{
	int blank = b->len >= start + 2 && b->data[b->len - 1] == '\n' &&
		    b->data[b->len - 2] == '\n';
	if (blank)
		b->data[--b->len] = '\0';
	return blank;
}

static void close_block(lc_buf *b, int blank)
{
	if (blank)
		lc_buf_puts(b, "\n");
}

void report_finding_text(lc_buf *b, const lc_report_set *set,
			 const struct merged *g, int color)
{
	size_t start = b->len;
	lc_finding shown = fold_shown(set, g);
	lc_render_text(b, &shown, color);
	/* The "seen" and baseline lines belong to the block. */
	if (g->count > 1 || g->instances > g->count) {
		int blank = reopen_block(b, start);
		put_seen(b, g);
		close_block(b, blank);
	}
	if (g->baseline != BASELINE_NONE) {
		int blank = reopen_block(b, start);
		lc_buf_puts(b, g->baseline == BASELINE_NEW
				       ? "  (new: not in the baseline)\n"
				       : "  (unchanged: in the baseline)\n");
		close_block(b, blank);
	}
}

void report_summary(lc_buf *b, const lc_report_set *set,
		    const struct merge *m)
{
	if (m->n == 0)
		lc_buf_printf(b, "lockcheck: no findings in %zu process%s",
			      set->n_procs, plural_es(set->n_procs));
	else
		lc_buf_printf(b,
			      "lockcheck: %zu finding%s (%u error%s, %u "
			      "warning%s) in %zu process%s", m->n,
			      plural_s(m->n), m->errors, plural_s(m->errors),
			      m->warnings, plural_s(m->warnings), set->n_procs,
			      plural_es(set->n_procs));
	if (m->suppressed)
		lc_buf_printf(b, ", %lu suppressed", m->suppressed);
	if (m->has_baseline)
		lc_buf_printf(b, "; %u new, %u unchanged, %zu fixed", m->n_new,
			      m->n_unchanged, m->n_absent);
}

static int write_text(FILE *out, const lc_report_set *set,
		      const struct merge *m, int color)
{
	lc_buf b = {0};
	for (size_t i = 0; i < m->n; i++) {
		lc_buf_reset(&b);
		report_finding_text(&b, set, &m->items[i], color);
		if (b.truncated)
			fputs("lockcheck: out of memory: a finding's text is "
			      "cut short\n", stderr);
		if (b.len)
			fwrite(b.data, 1, b.len, out);
	}
	lc_buf_reset(&b);
	report_summary(&b, set, m);
	lc_buf_puts(&b, "\n");
	health_summary(&b, set);
	fwrite(b.data, 1, b.len, out);
	lc_buf_free(&b);
	return 0;
}

/* The output formats. Each writes the whole report of the merged set. */
static const struct format {
	const char *name;
	report_writer *write;
} formats[] = {
	{"text", write_text},
	{"json", render_json},
	{"sarif", render_sarif},
	{"junit", render_junit},
	{"html", render_html},
};

/* Drops the items that --kind / --min-severity leave out (kinds: a mask of
 * 1 << kind, 0 for all) and recounts errors and warnings. */
static void filter(const lc_report_set *set, struct merge *m, unsigned kinds,
		   lc_severity min_sev)
{
	size_t k = 0;
	m->errors = m->warnings = 0;
	for (size_t i = 0; i < m->n; i++) {
		const lc_finding *f = &set->findings[m->items[i].shown].f;
		if ((kinds && !(kinds & 1u << f->kind)) ||
		    f->severity < min_sev) {
			free(m->items[i].pids);
			continue;
		}
		if (f->severity == LC_SEV_ERROR)
			m->errors++;
		else
			m->warnings++;
		m->items[k++] = m->items[i];
	}
	m->n = k;
}

/* Writes the SARIF of the merge to path (for `run --sarif`). Returns 0,
 * or -1 after a message. */
static int write_sarif_file(const char *path, const lc_report_set *set,
			    const struct merge *m)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "lockcheck: cannot write %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	int rc = render_sarif(f, set, m, 0);
	if (fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "lockcheck: cannot write %s: %s\n", path,
			strerror(errno));
		rc = -1;
	}
	return rc;
}

int report_print_text(FILE *out, const lc_report_set *set,
		      struct report_extra *x, int color)
{
	struct merge m;
	if (merge(set, &m) < 0)
		return -1;
	if (x && x->baseline)
		lc_baseline_apply(x->baseline, set, &m, 0, LC_SEV_WARNING);
	if (x)
		m.source_root = x->source_root;
	write_text(out, set, &m, color);
	if (x && x->sarif && write_sarif_file(x->sarif, set, &m) < 0)
		x->failed = 1;
	int errors = (int)(m.has_baseline ? m.new_errors : m.errors);
	merge_free(&m);
	fflush(out);
	return errors;
}

int cmd_report(int argc, char **argv)
{
	const char *color_mode = "auto", *output = NULL;
	const char *baseline_path = NULL, *source_root = NULL;
	const struct format *fmt = &formats[0];
	unsigned kinds = 0;
	lc_severity min_sev = LC_SEV_WARNING;
	int symbolize = 1;
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
			fputs(cmd_report_usage, stdout);
			return 0;
		}
		if (!strcmp(a, "--no-symbolize")) {
			symbolize = 0;
			continue;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--color", NULL, &v))) {
			if (r < 0)
				return cli_usage_error("report",
						       "--color needs a value");
			if (cli_color(v, stdout) < 0)
				return cli_usage_error(
					"report", "bad --color '%s': use auto, "
					"always or never", v);
			color_mode = v;
			continue;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--format", NULL, &v))) {
			if (r < 0)
				return cli_usage_error("report",
						       "--format needs a value");
			fmt = NULL;
			for (size_t k = 0; k < sizeof(formats) / sizeof(*formats); k++)
				if (!strcmp(formats[k].name, v))
					fmt = &formats[k];
			if (!fmt)
				return cli_usage_error(
					"report", "unknown --format '%s': use "
					"text, json, sarif, junit or html", v);
			continue;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--kind", NULL, &v))) {
			lc_finding_kind kind;
			if (r < 0)
				return cli_usage_error("report",
						       "--kind needs a value");
			if (lc_finding_kind_parse(v, &kind) < 0)
				return cli_usage_error(
					"report", "unknown --kind '%s' (kinds "
					"are listed in README.md, e.g. "
					"lock-order-inversion)", v);
			kinds |= 1u << kind;
			continue;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--min-severity", NULL,
				       &v))) {
			if (r < 0)
				return cli_usage_error(
					"report", "--min-severity needs a value");
			if (!strcmp(v, "warning"))
				min_sev = LC_SEV_WARNING;
			else if (!strcmp(v, "error"))
				min_sev = LC_SEV_ERROR;
			else
				return cli_usage_error(
					"report", "bad --min-severity '%s': "
					"use warning or error", v);
			continue;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--baseline", NULL,
				       &v))) {
			if (r < 0 || !*v)
				return cli_usage_error(
					"report", "--baseline needs a path");
			baseline_path = v;
			continue;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--source-root", NULL,
				       &v))) {
			if (r < 0 || !*v)
				return cli_usage_error(
					"report", "--source-root needs a "
					"directory");
			if (cli_check_dir("report", "--source-root", v))
				return CLI_USAGE;
			source_root = v;
			continue;
		}
		int status;
		if ((r = cli_opt_output("report", argc, argv, &i, &output, &status))) {
			if (r < 0)
				return status;
			continue;
		}
		return cli_usage_error("report", "unknown option '%s'", a);
	}
	if (i >= argc)
		return cli_usage_error("report", "no report files given");

	/* The baseline first: bad baseline input ends the command before
	 * anything is written. */
	lc_baseline baseline;
	if (baseline_path) {
		int st = lc_baseline_load(&baseline, "report", baseline_path);
		if (st)
			return st;
	}
	lc_report_set set;
	/* The HTML page draws the graph events too (lock_graph.c). */
	cli_read_suite(&set, "lockcheck", argc, argv, i,
		       fmt->write == render_html);
	lc_symbolize_set(&set, symbolize ? LC_SYM_SOURCE : LC_SYM_NONE);
	FILE *out = stdout;
	if (output && !(out = fopen(output, "w"))) {
		fprintf(stderr, "lockcheck report: cannot write %s: %s\n",
			output, strerror(errno));
		lc_read_free(&set);
		if (baseline_path)
			lc_baseline_free(&baseline);
		return 1;
	}
	int color = cli_color(color_mode, out);
	struct merge m;
	int rc = 1;
	if (merge(&set, &m) == 0) {
		filter(&set, &m, kinds, min_sev);
		m.source_root = source_root;
		if (baseline_path) {
			lc_baseline_apply(&baseline, &set, &m, kinds, min_sev);
			/* Absent results are located too. */
			if (m.n_absent && fmt->write == render_sarif)
				lc_symbolize_set(&baseline.set,
						 symbolize ? LC_SYM_SOURCE
							   : LC_SYM_NONE);
		}
		rc = fmt->write(out, &set, &m, color) < 0 || set.n_errors ? 1 : 0;
		if (m.has_baseline && m.new_errors)
			rc = CLI_FINDINGS;
		merge_free(&m);
	}
	if (output && fclose(out) != 0) {
		fprintf(stderr, "lockcheck report: cannot write %s: %s\n",
			output, strerror(errno));
		rc = 1;
	}
	lc_read_free(&set);
	if (baseline_path)
		lc_baseline_free(&baseline);
	return rc;
}
