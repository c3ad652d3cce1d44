/*
 * baseline.c: reading a baseline and comparing a report with it
 * (baseline.h says what a baseline is for).
 *
 * Three forms are read, told apart by what PATH is:
 *   a directory   a log directory: its *.jsonl files, as `lockcheck report
 *                 DIR` reads them, suite-wide cycles judged (tools/suite.c)
 *                 so that their ids are in the baseline too;
 *   a file whose first non-blank byte is '['
 *                 the JSON report (`lockcheck report --format json`): an
 *                 array of finding events. Each element is the shim's own
 *                 finding event with the merge's fields added, so it is
 *                 handed to the one reader (tools/read.c) as a report line
 *                 of its own: no second parser of findings;
 *   any other file  one log file.
 * The reader's diagnostics go to a memory stream: when any is an error, the
 * first error line is the one line printed and the baseline is refused (a
 * baseline read in part would call old findings new and fail the run).
 *
 * Items are kept sorted by id for lookup; each current finding is one
 * binary search.
 */
#define _GNU_SOURCE
#include "baseline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli.h"
#include "suite.h"

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fputs("lockcheck: out of memory reading the baseline\n", stderr);
		exit(1);
	}
	return p;
}

/* Reads the JSON report at path into set: each array element becomes one
 * report line. Returns 0, or -1 with what is wrong in err. */
static int read_json_report(lc_report_set *set, const char *path, char *err,
			    size_t size)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	if (!root) {
		snprintf(err, size, "%s:%d: not a JSON report: %s", path,
			 je.line, je.text);
		return -1;
	}
	if (!json_is_array(root)) {
		snprintf(err, size, "%s: not a JSON report (not an array)",
			 path);
		json_decref(root);
		return -1;
	}
	lc_buf b = {0};
	int oom = 0;
	size_t i;
	json_t *el;
	json_array_foreach(root, i, el) {
		if (!json_is_object(el)) {
			snprintf(err, size, "%s: element %zu of the JSON "
				 "report is not a finding object", path, i + 1);
			lc_buf_free(&b);
			json_decref(root);
			return -1;
		}
		char *line = json_dumps(el, JSON_COMPACT);
		if (!line) {
			oom = 1;
			break;
		}
		lc_buf_puts(&b, line);
		lc_buf_puts(&b, "\n");
		free(line);
	}
	json_decref(root);
	if (oom || b.truncated) {
		lc_buf_free(&b);
		fputs("lockcheck: out of memory reading the baseline\n", stderr);
		exit(1);
	}
	if (b.len) {
		FILE *fp = fmemopen(b.data, b.len, "r");
		if (!fp) {
			snprintf(err, size, "%s: %s", path, strerror(errno));
			lc_buf_free(&b);
			return -1;
		}
		lc_read_stream(set, fp, path, 0);
		fclose(fp);
	}
	set->n_files++;
	lc_buf_free(&b);
	return 0;
}

/* The first byte of the file at path that is not white space: '[' for a
 * JSON report; 0 for an empty file, -1 (errno set) when unreadable. */
static int first_byte(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	int c;
	while ((c = getc(fp)) != EOF && strchr(" \t\r\n", c))
		;
	int unreadable = ferror(fp);
	fclose(fp);
	if (unreadable) {
		errno = EIO;
		return -1;
	}
	return c == EOF ? 0 : c;
}

/* Reads a log directory or file, judging the suite as `report` does. */
static void read_logs(lc_report_set *set, const char *path)
{
	lc_suite *suite = lc_suite_new(set->prog);
	lc_suite_attach(suite, set, 0);
	lc_read_path(set, path);
	lc_suite_judge(suite, set);
	lc_suite_free(suite);
	set->graph_sink = NULL;
	set->graph_arg = NULL;
}

/* The first diagnostic of text that is not a warning, without its
 * newline (text is changed), or NULL. */
static const char *first_error(char *text)
{
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!strstr(line, ": warning: "))
			return line;
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static const lc_report_set *sort_set; /* bsearch has no context argument */

/* Groups the baseline's findings by id into b->items. */
static void group(lc_baseline *b)
{
	const lc_report_set *set = &b->set;
	size_t n = set->n_findings;
	size_t *idx = xcalloc(n, sizeof(*idx));
	b->items = xcalloc(n, sizeof(*b->items));
	b->absent = xcalloc(n, sizeof(*b->absent));
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	report_sort_by_id(set, idx, n);
	for (size_t i = 0; i < n;) {
		struct merged *g = &b->items[b->n++];
		g->first = g->shown = idx[i];
		size_t j = i;
		for (; j < n && !strcmp(set->findings[idx[j]].f.id,
					set->findings[idx[i]].f.id); j++) {
			const lc_rfinding *r = &set->findings[idx[j]];
			const lc_rfinding *sh = &set->findings[g->shown];
			if (r->suite) {
				g->shown = idx[j];
				continue;
			}
			g->count++;
			if (!sh->suite && r->f.severity > sh->f.severity)
				g->shown = idx[j];
		}
		g->instances = g->count;
		i = j;
	}
	free(idx);
}

int lc_baseline_load(lc_baseline *b, const char *cmd, const char *path)
{
	memset(b, 0, sizeof(*b));
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return cli_usage_error(cmd, "--baseline %s: %s", path,
					       strerror(errno));
		fprintf(stderr, "lockcheck %s: --baseline %s: %s\n", cmd, path,
			strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return cli_usage_error(cmd, "--baseline %s: not a log "
				       "directory, log file or JSON report",
				       path);

	char prog[64], err[512] = "";
	snprintf(prog, sizeof(prog), "lockcheck %s: --baseline", cmd);
	char *diag_text = NULL;
	size_t diag_len = 0;
	FILE *diag = open_memstream(&diag_text, &diag_len);
	lc_read_init(&b->set, "lockcheck");
	b->set.prog = prog; /* this frame's: put back before returning */
	b->set.diag = diag;
	if (S_ISDIR(st.st_mode)) {
		read_logs(&b->set, path);
		if (b->set.n_files == 0)
			snprintf(err, sizeof(err), "%s: holds no report files "
				 "(*.jsonl)", path);
	} else {
		int c = first_byte(path);
		if (c < 0)
			snprintf(err, sizeof(err), "%s: %s", path,
				 strerror(errno));
		else if (c == 0)
			snprintf(err, sizeof(err), "%s: is empty", path);
		else if (c == '[')
			read_json_report(&b->set, path, err, sizeof(err));
		else
			read_logs(&b->set, path);
	}
	if (diag)
		fclose(diag);
	const char *bad = NULL;
	if (!err[0] && b->set.n_errors)
		bad = diag_text ? first_error(diag_text) : NULL;
	if (err[0] || b->set.n_errors) {
		if (err[0])
			fprintf(stderr, "%s %s\n", prog, err);
		else if (bad)
			fprintf(stderr, "%s (baseline not used)\n", bad);
		else
			fprintf(stderr, "%s %s: not a lockcheck report\n", prog,
				path);
		free(diag_text);
		b->set.diag = NULL;
		lc_read_free(&b->set);
		memset(b, 0, sizeof(*b));
		return 1;
	}
	free(diag_text);
	b->set.diag = NULL;
	b->set.prog = "lockcheck";
	group(b);
	return 0;
}

static int by_id(const void *key, const void *item)
{
	return strcmp(key, sort_set->findings[((const struct merged *)item)
						       ->shown].f.id);
}

static int by_first(const void *a, const void *b)
{
	const struct merged *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

void lc_baseline_apply(lc_baseline *b, const lc_report_set *set,
		       struct merge *m, unsigned kinds, lc_severity min_sev)
{
	unsigned char *seen = xcalloc(b->n, 1);
	m->has_baseline = 1;
	m->n_new = m->n_unchanged = m->new_errors = 0;
	sort_set = &b->set;
	for (size_t i = 0; i < m->n; i++) {
		struct merged *g = &m->items[i];
		const lc_finding *f = &set->findings[g->shown].f;
		const struct merged *hit =
			b->n ? bsearch(f->id, b->items, b->n,
				       sizeof(*b->items), by_id)
			     : NULL;
		if (hit) {
			seen[hit - b->items] = 1;
			g->baseline = BASELINE_UNCHANGED;
			m->n_unchanged++;
		} else {
			g->baseline = BASELINE_NEW;
			m->n_new++;
			if (f->severity == LC_SEV_ERROR)
				m->new_errors++;
		}
	}
	sort_set = NULL;
	size_t n = 0;
	for (size_t k = 0; k < b->n; k++) {
		const lc_finding *f = &b->set.findings[b->items[k].shown].f;
		if (seen[k] || (kinds && !(kinds & 1u << f->kind)) ||
		    f->severity < min_sev)
			continue;
		b->absent[n++] = b->items[k];
	}
	qsort(b->absent, n, sizeof(*b->absent), by_first);
	free(seen);
	m->absent_set = &b->set;
	m->absent = b->absent;
	m->n_absent = n;
}

void lc_baseline_free(lc_baseline *b)
{
	lc_read_free(&b->set);
	free(b->items);
	free(b->absent);
	memset(b, 0, sizeof(*b));
}
