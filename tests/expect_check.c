/*
 * expect_check.c: does a scenario's report match its expectation file?
 *
 *   build/tests/expect_check NAME.expect FILE.jsonl|DIR...
 *
 * NAME.expect holds one directive per line ('#' starts a comment):
 *   finding KIND NAME...   a finding of KIND whose lock names are exactly
 *                          NAME... (order free; an anonymous lock matches no
 *                          name)
 *   finding KIND *N        a finding of KIND with exactly N locks
 *   findings N             exactly N findings in all (default: as many as
 *                          there are 'finding' lines)
 *   stack-function FUNC    some lock-order-inversion edge has FUNC in "stack"
 *   held-function FUNC     ... in "held_stack"
 *   status N, options K=V, hangs
 *                          for the runner (hangs: the native run never ends,
 *                          so the runner does not wait for it); checked for
 *                          form, then ignored
 *
 * Strictness, because a test that cannot fail is a defect:
 *  - every 'finding' line needs its OWN finding: two identical lines need two
 *    findings (a maximum bipartite matching of lines to findings, so the
 *    order of lines never matters);
 *  - the finding count is always checked, so an unexpected extra finding
 *    fails the scenario, and a scenario without 'finding' lines must be silent;
 *  - every finding, whatever the directives, must be well formed: an id
 *    "lc1-" + 16 hex digits, unique within its process; and each
 *    lock-order-inversion a real cycle: at least two distinct locks, one edge
 *    per cycle step going from cycle[i] to cycle[(i+1)%n], both stacks of
 *    every edge non-empty with at least one named function, every lock id
 *    and edge thread present in the finding's own locks/threads (a finding is
 *    self-contained, CONTRACT.md);
 *  - input that cannot be read exactly (a malformed line, an unknown finding
 *    kind, an unknown directive) is not a test result: exit 2.
 *
 * Output: nothing and exit 0 when all holds; else one line per failed
 * directive or rule on stdout ("expect_check: ...") and exit 1. Usage errors
 * and unreadable input: one line on stderr naming file:line, exit 2.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "read.h"

#define PROG "expect_check"
/* Seen-function names listed in a failure line before "...". */
#define LIST_MAX 12

enum directive_kind { D_FINDING, D_FINDINGS, D_STACK_FN, D_HELD_FN,
		      D_STATUS, D_OPTIONS, D_HANGS };

struct directive {
	enum directive_kind kind;
	unsigned line;
	char *text;             /* the line as written, trimmed */
	lc_finding_kind fkind;  /* D_FINDING */
	char **names;           /* D_FINDING by names: sorted */
	unsigned n_names;
	long n;                 /* D_FINDING with *N (else -1), D_FINDINGS */
	char *arg;              /* D_STACK_FN, D_HELD_FN */
};

struct expect {
	struct directive *d;
	size_t n, cap;
	long findings;          /* -1: not given */
	int has_status, has_options, has_hangs;
};

static int failures;

static void failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void failure(const char *fmt, ...)
{
	va_list ap;
	fputs(PROG ": ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	failures++;
}

static void die_oom(void)
{
	fputs(PROG ": out of memory\n", stderr);
	exit(2);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Parses a non-negative decimal number (at most max). Returns -1 if s is
 * not one. */
static long parse_count(const char *s, long max)
{
	if (!*s)
		return -1;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	errno = 0;
	long v = strtol(s, NULL, 10);
	if (errno || v > max)
		return -1;
	return v;
}

static void expect_free(struct expect *e)
{
	for (size_t i = 0; i < e->n; i++) {
		for (unsigned k = 0; k < e->d[i].n_names; k++)
			free(e->d[i].names[k]);
		free(e->d[i].names);
		free(e->d[i].text);
		free(e->d[i].arg);
	}
	free(e->d);
}

/* Splits s in place into whitespace-separated words. Returns their count
 * (at most max). */
static unsigned split(char *s, char **w, unsigned max)
{
	unsigned n = 0;
	char *save = NULL;
	for (char *t = strtok_r(s, " \t\r\v\f", &save); t;
	     t = strtok_r(NULL, " \t\r\v\f", &save)) {
		if (n == max)
			return max + 1;
		w[n++] = t;
	}
	return n;
}

static int bad(const char *path, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(const char *path, unsigned line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, PROG ": %s:%u: ", path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

#define MAX_WORDS 256

/* Parses one directive line (comment stripped, non-blank) into d. */
static int parse_directive(const char *path, unsigned line, char *text,
			   struct expect *e, struct directive *d)
{
	char *w[MAX_WORDS];
	unsigned n = split(text, w, MAX_WORDS);
	if (n > MAX_WORDS)
		return bad(path, line, "too many words");
	if (n == 0)
		return bad(path, line, "empty directive");
	const char *cmd = w[0];
	d->n = -1;
	if (!strcmp(cmd, "finding")) {
		d->kind = D_FINDING;
		if (n < 3)
			return bad(path, line, "'finding' needs a kind and "
				   "lock names or *N");
		if (lc_finding_kind_parse(w[1], &d->fkind) < 0)
			return bad(path, line, "unknown finding kind '%s'",
				   w[1]);
		if (w[2][0] == '*') {
			if (n != 3)
				return bad(path, line, "'*N' stands alone: no "
					   "names beside it");
			d->n = parse_count(w[2] + 1, UINT_MAX);
			if (d->n < 1)
				return bad(path, line, "'%s' is not *N with N "
					   ">= 1", w[2]);
			return 0;
		}
		d->n_names = n - 2;
		d->names = calloc(d->n_names, sizeof(*d->names));
		if (!d->names)
			die_oom();
		for (unsigned i = 0; i < d->n_names; i++) {
			if (w[i + 2][0] == '*')
				return bad(path, line, "'%s': '*N' stands "
					   "alone", w[i + 2]);
			if (!(d->names[i] = strdup(w[i + 2])))
				die_oom();
		}
		qsort(d->names, d->n_names, sizeof(*d->names), cmp_str);
		return 0;
	}
	if (!strcmp(cmd, "findings")) {
		d->kind = D_FINDINGS;
		if (n != 2 || (d->n = parse_count(w[1], INT_MAX)) < 0)
			return bad(path, line, "'findings' takes one number");
		if (e->findings >= 0)
			return bad(path, line, "a second 'findings' line");
		e->findings = d->n;
		return 0;
	}
	if (!strcmp(cmd, "stack-function") || !strcmp(cmd, "held-function")) {
		d->kind = cmd[0] == 's' ? D_STACK_FN : D_HELD_FN;
		if (n != 2)
			return bad(path, line, "'%s' takes one function name",
				   cmd);
		if (!(d->arg = strdup(w[1])))
			die_oom();
		return 0;
	}
	if (!strcmp(cmd, "status")) {
		d->kind = D_STATUS;
		if (n != 2 || parse_count(w[1], 255) < 0)
			return bad(path, line, "'status' takes one number "
				   "from 0 to 255");
		if (e->has_status++)
			return bad(path, line, "a second 'status' line");
		return 0;
	}
	if (!strcmp(cmd, "options")) {
		d->kind = D_OPTIONS;
		if (n != 2 || !strchr(w[1], '=') || w[1][0] == '=')
			return bad(path, line, "'options' takes one "
				   "K=V:K=V... word");
		if (e->has_options++)
			return bad(path, line, "a second 'options' line");
		return 0;
	}
	if (!strcmp(cmd, "hangs")) {
		d->kind = D_HANGS;
		if (n != 1)
			return bad(path, line, "'hangs' takes no argument");
		if (e->has_hangs++)
			return bad(path, line, "a second 'hangs' line");
		return 0;
	}
	return bad(path, line, "unknown directive '%s'", cmd);
}

static int read_expect(const char *path, struct expect *e)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, PROG ": %s: cannot open: %s\n", path,
			strerror(errno));
		return -1;
	}
	char *buf = NULL;
	size_t cap = 0;
	unsigned line = 0;
	int rc = 0;
	e->findings = -1;
	while (getline(&buf, &cap, fp) >= 0) {
		line++;
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		char *s = buf;
		while (isspace((unsigned char)*s))
			s++;
		size_t len = strlen(s);
		while (len && isspace((unsigned char)s[len - 1]))
			s[--len] = '\0';
		if (!len)
			continue;
		if (e->n == e->cap) {
			size_t nc = e->cap ? e->cap * 2 : 16;
			struct directive *nd = realloc(e->d, nc * sizeof(*nd));
			if (!nd)
				die_oom();
			e->d = nd;
			e->cap = nc;
		}
		struct directive *d = &e->d[e->n++];
		memset(d, 0, sizeof(*d));
		d->line = line;
		if (!(d->text = strdup(s)))
			die_oom();
		if (parse_directive(path, line, s, e, d) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(fp)) {
		fprintf(stderr, PROG ": %s: read error: %s\n", path,
			strerror(errno));
		rc = -1;
	}
	free(buf);
	fclose(fp);
	return rc;
}

/* ---- describing findings ---------------------------------------------- */

/* Appends "KIND {a,b}" (names sorted, <anon> for a nameless lock) to a
 * malloc'd string *s, separated by ", " from what is there. */
static void describe(char **s, const lc_finding *f)
{
	const char **names = calloc(f->n_locks + 1, sizeof(*names));
	if (!names)
		die_oom();
	for (unsigned i = 0; i < f->n_locks; i++)
		names[i] = f->locks[i].name ? f->locks[i].name : "<anon>";
	qsort(names, f->n_locks, sizeof(*names), cmp_str);
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	if (!m)
		die_oom();
	if (*s && **s)
		fprintf(m, "%s, ", *s);
	fprintf(m, "%s {", lc_finding_kind_name(f->kind));
	for (unsigned i = 0; i < f->n_locks; i++)
		fprintf(m, "%s%s", i ? "," : "", names[i]);
	fputc('}', m);
	if (fclose(m) != 0 || !out)
		die_oom();
	free(names);
	free(*s);
	*s = out;
}

static char *describe_all(const lc_report_set *set)
{
	char *s = NULL;
	for (size_t i = 0; i < set->n_findings; i++)
		describe(&s, &set->findings[i].f);
	if (!s && !(s = strdup("no findings")))
		die_oom();
	return s;
}

/* ---- built-in rules ---------------------------------------------------- */

static int id_well_formed(const char *id)
{
	if (strncmp(id, "lc1-", 4))
		return 0;
	for (int i = 4; i < 20; i++)
		if (!isdigit((unsigned char)id[i]) &&
		    !(id[i] >= 'a' && id[i] <= 'f'))
			return 0;
	return id[20] == '\0';
}

static int has_named_frame(const lc_stack *s)
{
	for (unsigned i = 0; i < s->depth; i++)
		if (s->frames[i].function && s->frames[i].function[0])
			return 1;
	return 0;
}

static void check_stack(const lc_rfinding *r, unsigned e, const char *which,
			const lc_stack *s)
{
	const lc_finding *f = &r->f;
	if (s->depth == 0)
		failure("%s:%u: lock-order-inversion %s: edge %u has an empty "
			"%s", r->file, r->line, f->id, e, which);
	else if (!has_named_frame(s))
		failure("%s:%u: lock-order-inversion %s: edge %u: no frame of "
			"its %s names a function", r->file, r->line, f->id, e,
			which);
}

/* Prove that a lock-order-inversion describes a real cycle, every step of
 * it backed by both stacks, with everything it names carried inside it. */
static void check_inversion(const lc_rfinding *r)
{
	const lc_finding *f = &r->f;
	unsigned n = f->n_cycle;
	if (n < 2)
		failure("%s:%u: lock-order-inversion %s: cycle has %u lock%s, "
			"needs at least 2", r->file, r->line, f->id, n,
			n == 1 ? "" : "s");
	if (f->n_edges != n)
		failure("%s:%u: lock-order-inversion %s: %u edges for a cycle "
			"of %u locks", r->file, r->line, f->id, f->n_edges, n);
	for (unsigned i = 0; i < n; i++) {
		if (!lc_finding_lock_by_id(f, f->cycle[i]))
			failure("%s:%u: lock-order-inversion %s: cycle[%u] = "
				"lock %u, which is not in \"locks\"", r->file,
				r->line, f->id, i, f->cycle[i]);
		for (unsigned j = 0; j < i; j++)
			if (f->cycle[j] == f->cycle[i])
				failure("%s:%u: lock-order-inversion %s: lock "
					"%u appears twice in the cycle",
					r->file, r->line, f->id, f->cycle[i]);
	}
	for (unsigned i = 0; i < f->n_edges; i++) {
		const lc_finding_edge *e = &f->edges[i];
		if (i < n && n > 0 &&
		    (e->from != f->cycle[i] || e->to != f->cycle[(i + 1) % n]))
			failure("%s:%u: lock-order-inversion %s: edge %u goes "
				"%u -> %u, the cycle says %u -> %u", r->file,
				r->line, f->id, i, e->from, e->to, f->cycle[i],
				f->cycle[(i + 1) % n]);
		if (!lc_finding_lock_by_id(f, e->from))
			failure("%s:%u: lock-order-inversion %s: edge %u: lock "
				"%u is not in \"locks\"", r->file, r->line,
				f->id, i, e->from);
		if (!lc_finding_lock_by_id(f, e->to))
			failure("%s:%u: lock-order-inversion %s: edge %u: lock "
				"%u is not in \"locks\"", r->file, r->line,
				f->id, i, e->to);
		if (!lc_finding_thread_by_id(f, e->thread))
			failure("%s:%u: lock-order-inversion %s: edge %u: "
				"thread %u is not in \"threads\"", r->file,
				r->line, f->id, i, e->thread);
		check_stack(r, i, "stack", &e->stack);
		check_stack(r, i, "held_stack", &e->held_stack);
	}
}

static void check_rules(const lc_report_set *set)
{
	for (size_t i = 0; i < set->n_findings; i++) {
		const lc_rfinding *r = &set->findings[i];
		if (!id_well_formed(r->f.id))
			failure("%s:%u: %s: id \"%s\" is not lc1- and 16 hex "
				"digits", r->file, r->line,
				lc_finding_kind_name(r->f.kind), r->f.id);
		if (r->f.kind == LC_KIND_LOCK_ORDER_INVERSION)
			check_inversion(r);
		/* Prove that each problem is reported once per process:
		 * flag an id at its second occurrence in the same process
		 * (of the same file), and only there. */
		unsigned before = 0, first_line = 0;
		for (size_t j = 0; j < i; j++)
			if (set->findings[j].process == r->process &&
			    !strcmp(set->findings[j].f.id, r->f.id) &&
			    before++ == 0)
				first_line = set->findings[j].line;
		if (before == 1)
			failure("%s:%u: %s %s reported twice by one process "
				"(first at line %u)", r->file, r->line,
				lc_finding_kind_name(r->f.kind), r->f.id,
				first_line);
	}
}

/* ---- directives -------------------------------------------------------- */

static int matches(const struct directive *d, const lc_finding *f)
{
	if (f->kind != d->fkind)
		return 0;
	if (d->n >= 0)
		return f->n_locks == (unsigned long)d->n;
	if (f->n_locks != d->n_names)
		return 0;
	const char **names = calloc(f->n_locks + 1, sizeof(*names));
	if (!names)
		die_oom();
	int ok = 1;
	for (unsigned i = 0; i < f->n_locks && ok; i++) {
		names[i] = f->locks[i].name;
		ok = names[i] != NULL; /* an anonymous lock matches no name */
	}
	if (ok) {
		qsort(names, f->n_locks, sizeof(*names), cmp_str);
		for (unsigned i = 0; i < f->n_locks && ok; i++)
			ok = !strcmp(names[i], d->names[i]);
	}
	free(names);
	return ok;
}

/* Kuhn's augmenting path: tries to give directive di a finding of its own.
 * owner[f] is the directive holding finding f, or -1. */
static int augment(const lc_report_set *set, const char *adj, size_t nd,
		   size_t di, long *owner, char *seen)
{
	size_t nf = set->n_findings;
	for (size_t fi = 0; fi < nf; fi++) {
		if (!adj[di * nf + fi] || seen[fi])
			continue;
		seen[fi] = 1;
		if (owner[fi] < 0 ||
		    augment(set, adj, nd, (size_t)owner[fi], owner, seen)) {
			owner[fi] = (long)di;
			return 1;
		}
	}
	return 0;
}

/* Prove that every 'finding' line has a finding of its own. */
static void check_findings(const lc_report_set *set, const struct expect *e,
			   unsigned *n_finding_lines)
{
	size_t nf = set->n_findings, nd = 0;
	const struct directive **ds = calloc(e->n + 1, sizeof(*ds));
	if (!ds)
		die_oom();
	for (size_t i = 0; i < e->n; i++)
		if (e->d[i].kind == D_FINDING)
			ds[nd++] = &e->d[i];
	*n_finding_lines = (unsigned)nd;
	if (nd && nf > SIZE_MAX / nd)
		die_oom();
	char *adj = calloc(nd * nf + 1, 1);
	long *owner = malloc((nf + 1) * sizeof(*owner));
	char *seen = malloc(nf + 1);
	unsigned *cands = calloc(nd + 1, sizeof(*cands));
	if (!adj || !owner || !seen || !cands)
		die_oom();
	for (size_t di = 0; di < nd; di++)
		for (size_t fi = 0; fi < nf; fi++)
			if (matches(ds[di], &set->findings[fi].f)) {
				adj[di * nf + fi] = 1;
				cands[di]++;
			}
	for (size_t fi = 0; fi < nf; fi++)
		owner[fi] = -1;
	int *got = calloc(nd + 1, sizeof(*got));
	if (!got)
		die_oom();
	for (size_t di = 0; di < nd; di++) {
		memset(seen, 0, nf + 1);
		got[di] = augment(set, adj, nd, di, owner, seen);
	}
	char *saw = NULL;
	for (size_t di = 0; di < nd; di++) {
		if (got[di])
			continue;
		if (!saw)
			saw = describe_all(set);
		const struct directive *d = ds[di];
		/* "finding KIND a b" shown as "KIND {a,b}", *N as written */
		char *want = NULL;
		if (d->n >= 0) {
			if (asprintf(&want, "%s with %ld locks",
				     lc_finding_kind_name(d->fkind), d->n) < 0)
				die_oom();
		} else {
			size_t len = 0;
			FILE *m = open_memstream(&want, &len);
			if (!m)
				die_oom();
			fprintf(m, "%s {", lc_finding_kind_name(d->fkind));
			for (unsigned k = 0; k < d->n_names; k++)
				fprintf(m, "%s%s", k ? "," : "", d->names[k]);
			fputc('}', m);
			if (fclose(m) != 0 || !want)
				die_oom();
		}
		if (cands[di])
			failure("missing finding %s (line %u): the %u that "
				"match are taken by other 'finding' lines; "
				"saw: %s", want, d->line, cands[di], saw);
		else
			failure("missing finding %s (line %u); saw: %s", want,
				d->line, saw);
		free(want);
	}
	free(saw);
	free(got);
	free(cands);
	free(seen);
	free(owner);
	free(adj);
	free(ds);
}

/* Appends a function name to a ", "-separated list of distinct names. */
static void add_name(char ***list, unsigned *n, const char *name)
{
	for (unsigned i = 0; i < *n; i++)
		if (!strcmp((*list)[i], name))
			return;
	char **l = realloc(*list, (*n + 1) * sizeof(*l));
	if (!l)
		die_oom();
	*list = l;
	l[(*n)++] = (char *)name;
}

/* Prove that some lock-order-inversion edge has the function in its
 * stack (held == 0) or held_stack (held == 1). */
static void check_function(const lc_report_set *set,
			   const struct directive *d, int held)
{
	char **seen = NULL;
	unsigned n_seen = 0;
	for (size_t i = 0; i < set->n_findings; i++) {
		const lc_finding *f = &set->findings[i].f;
		if (f->kind != LC_KIND_LOCK_ORDER_INVERSION)
			continue;
		for (unsigned e = 0; e < f->n_edges; e++) {
			const lc_stack *s = held ? &f->edges[e].held_stack
						 : &f->edges[e].stack;
			for (unsigned k = 0; k < s->depth; k++) {
				const char *fn = s->frames[k].function;
				if (!fn)
					continue;
				if (!strcmp(fn, d->arg)) {
					free(seen);
					return;
				}
				add_name(&seen, &n_seen, fn);
			}
		}
	}
	char *list = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&list, &len);
	if (!m)
		die_oom();
	for (unsigned i = 0; i < n_seen && i < LIST_MAX; i++)
		fprintf(m, "%s%s", i ? ", " : "", seen[i]);
	if (n_seen > LIST_MAX)
		fprintf(m, ", ... (%u more)", n_seen - LIST_MAX);
	if (!n_seen)
		fputs("none", m);
	if (fclose(m) != 0 || !list)
		die_oom();
	failure("no lock-order-inversion edge has %s in its %s (line %u); "
		"functions there: %s", d->arg, held ? "held_stack" : "stack",
		d->line, list);
	free(list);
	free(seen);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: " PROG " NAME.expect FILE.jsonl|DIR...\n", stderr);
		return 2;
	}
	struct expect e = {0};
	if (read_expect(argv[1], &e) < 0) {
		expect_free(&e);
		return 2;
	}
	lc_report_set set;
	lc_read_init(&set, PROG);
	for (int i = 2; i < argc; i++)
		lc_read_path(&set, argv[i]);
	if (set.n_errors || set.n_unknown) {
		/* The reader said which file:line; a partial read is no
		 * test result. */
		lc_read_free(&set);
		expect_free(&e);
		return 2;
	}

	check_rules(&set);
	unsigned n_lines;
	check_findings(&set, &e, &n_lines);
	long want = e.findings >= 0 ? e.findings : (long)n_lines;
	if ((long)set.n_findings != want) {
		char *saw = describe_all(&set);
		failure("expected %ld finding%s (%s), saw %zu: %s", want,
			want == 1 ? "" : "s",
			e.findings >= 0 ? "'findings' line"
					: "one per 'finding' line",
			set.n_findings, saw);
		free(saw);
	}
	for (size_t i = 0; i < e.n; i++) {
		if (e.d[i].kind == D_STACK_FN)
			check_function(&set, &e.d[i], 0);
		else if (e.d[i].kind == D_HELD_FN)
			check_function(&set, &e.d[i], 1);
	}
	lc_read_free(&set);
	expect_free(&e);
	fflush(stdout);
	return failures ? 1 : 0;
}
