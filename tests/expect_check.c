/*
 * expect_check.c: does a scenario's report match its expectation file?
 *
 *   build/tests/expect_check NAME.expect FILE.jsonl|DIR...
 *
 * NAME.expect holds one directive per line ('#' starts a comment):
 *   finding KIND NAME... [ATTR=V...]
 *                          a finding of KIND whose lock names are exactly
 *                          NAME... (order free; an anonymous lock matches no
 *                          name; a guarded inversion's gate lock is one of
 *                          its locks, so it is named too)
 *   finding KIND *N [ATTR=V...]
 *                          a finding of KIND with exactly N locks
 *     with optional attribute words (they contain '='; lock names never do),
 *     each of which the finding must also have:
 *       verdict=V          lock-order-inversion only: the contract's verdict
 *                          (deadlock-possible, single-thread, guarded,
 *                          ordered, read-shared)
 *       gate=NAME          lock-order-inversion only: "gate" is the lock
 *                          named NAME
 *       severity=S         error or warning
 *       destroyed=N        exactly N of the finding's locks are marked
 *                          "destroyed" (a cycle closed through dead locks)
 *       detail=D           the finding's "detail" is D (destroy-locked:
 *                          destroyed, reinitialised, reused)
 *       instances=N        the count of the finding's id in its process's
 *                          end event "repeats" (the same cycle over other
 *                          lock instances of the same classes); 1 when the
 *                          id is not listed there
 *   findings N             exactly N findings in all (default: as many as
 *                          there are 'finding' lines). It counts finding
 *                          LINES: a cycle whose verdict was upgraded (written
 *                          again with the same id and a new verdict) counts
 *                          once per line written
 *   suppressed N           the end events' "suppressed" counts add up to N
 *                          (an absent count is 0)
 *   strict                 the run had strict_order=1: every
 *                          lock-order-inversion must be an error (see the
 *                          verdict rule below)
 *   stack-function FUNC    some lock-order-inversion edge has FUNC in "stack"
 *   site-function FUNC     some site of a finding of another kind has FUNC
 *                          in its stack (a deadlock's waiter, a misuse)
 *   held-function FUNC     ... in "held_stack"
 *   status N, options K=V, hangs, within S
 *                          for the runner (hangs: the native run never ends,
 *                          so the runner does not wait for it; within S: the
 *                          run under the shim must end within S seconds,
 *                          1 to 3600); checked for form, then ignored
 *
 * A 'finding' line is matched against the FINAL finding of each id in each
 * process: when a process wrote the same id twice (a verdict upgrade), only
 * the last line counts for 'finding' lines, so "verdict=" names the verdict
 * the run ended with. The earlier lines still count for 'findings N'.
 *
 * Strictness, because a test that cannot fail is a defect:
 *  - every 'finding' line needs its OWN finding: two identical lines need two
 *    findings (a maximum bipartite matching of lines to findings, so the
 *    order of lines never matters);
 *  - the finding count is always checked, so an unexpected extra finding
 *    fails the scenario, and a scenario without 'finding' lines must be silent;
 *  - every finding, whatever the directives, must be well formed: an id
 *    "lc1-" + 16 hex digits, unique within its process (except that a
 *    lock-order-inversion may be written again with the same id and a
 *    DIFFERENT verdict: each (cycle, verdict) once); and each
 *    lock-order-inversion a real cycle: at least two distinct locks, one edge
 *    per cycle step going from cycle[i] to cycle[(i+1)%n], both stacks of
 *    every edge non-empty with at least one named function, every lock id
 *    and edge thread present in the finding's own locks/threads (a finding is
 *    self-contained, CONTRACT.md);
 *  - every deadlock a closed wait-for cycle: each of its threads has exactly
 *    one wait site ("what" starting "waits"), with a stack naming a
 *    function; a lock wait ("waits for", lock L) is answered by a site of
 *    another of its threads about L (the holder's acquisition), a join wait
 *    ("waits to join ... N", lock 0) names another of its threads; so every
 *    thread waits for one of the others. A long-wait has exactly one wait
 *    site, a lock wait answered the same way. In both, every site's thread
 *    and (nonzero) lock are in the finding's own threads/locks;
 *  - every lock-order-inversion has a "verdict" from the contract's table,
 *    and its severity follows from it: error for deadlock-possible, warning
 *    for the others (with 'strict': error for all); "gate" is present exactly
 *    for guarded, and is the id of one of the finding's own locks;
 *  - every end event "repeats" entry counts at least 2 instances and, in a
 *    process that suppressed nothing, names an id that process reported (a
 *    suppressed finding's id may be counted there without being written);
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

enum directive_kind { D_FINDING, D_FINDINGS, D_STACK_FN, D_HELD_FN, D_SITE_FN,
		      D_STATUS, D_OPTIONS, D_HANGS, D_WITHIN, D_STRICT,
		      D_SUPPRESSED };

/* The contract's verdicts of a lock-order-inversion (CONTRACT.md). Only the
 * first is an error by default. */
static const char *const verdicts[] = {
	"deadlock-possible", "single-thread", "guarded", "ordered",
	"read-shared",
};
#define N_VERDICTS (sizeof(verdicts) / sizeof(*verdicts))

static int verdict_known(const char *v)
{
	for (size_t i = 0; i < N_VERDICTS; i++)
		if (!strcmp(v, verdicts[i]))
			return 1;
	return 0;
}

struct directive {
	enum directive_kind kind;
	unsigned line;
	char *text;             /* the line as written, trimmed */
	lc_finding_kind fkind;  /* D_FINDING */
	char **names;           /* D_FINDING by names: sorted */
	unsigned n_names;
	long n;                 /* D_FINDING with *N (else -1), D_FINDINGS,
				   D_SUPPRESSED */
	char *arg;              /* D_STACK_FN, D_HELD_FN */
	/* D_FINDING attributes; NULL / -1 when not given */
	char *verdict;
	char *gate;
	int severity;           /* lc_severity */
	long instances;
	long destroyed;
	char *detail;
};

struct expect {
	struct directive *d;
	size_t n, cap;
	long findings;          /* -1: not given */
	int has_status, has_options, has_hangs, has_within, strict,
	    has_suppressed;
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
		free(e->d[i].verdict);
		free(e->d[i].gate);
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

/* Parses one attribute word KEY=VALUE of a 'finding' line into d. */
static int parse_attribute(const char *path, unsigned line, const char *word,
			   struct directive *d)
{
	const char *eq = strchr(word, '=');
	size_t klen = (size_t)(eq - word);
	const char *v = eq + 1;
	if (!*v)
		return bad(path, line, "'%s': no value after '='", word);
#define KEY(k) (klen == sizeof(k) - 1 && !strncmp(word, k, klen))
	if (KEY("verdict")) {
		if (d->verdict)
			return bad(path, line, "a second 'verdict='");
		if (!verdict_known(v))
			return bad(path, line, "unknown verdict '%s' (the "
				   "contract's: deadlock-possible, "
				   "single-thread, guarded, ordered, "
				   "read-shared)", v);
		if (!(d->verdict = strdup(v)))
			die_oom();
		return 0;
	}
	if (KEY("gate")) {
		if (d->gate)
			return bad(path, line, "a second 'gate='");
		if (!(d->gate = strdup(v)))
			die_oom();
		return 0;
	}
	if (KEY("severity")) {
		if (d->severity >= 0)
			return bad(path, line, "a second 'severity='");
		if (!strcmp(v, "error"))
			d->severity = LC_SEV_ERROR;
		else if (!strcmp(v, "warning"))
			d->severity = LC_SEV_WARNING;
		else
			return bad(path, line, "'severity=%s': error or "
				   "warning", v);
		return 0;
	}
	if (KEY("instances")) {
		if (d->instances >= 0)
			return bad(path, line, "a second 'instances='");
		if ((d->instances = parse_count(v, UINT_MAX)) < 1)
			return bad(path, line, "'instances=%s': a number >= 1",
				   v);
		return 0;
	}
	if (KEY("destroyed")) {
		if (d->destroyed >= 0)
			return bad(path, line, "a second 'destroyed='");
		if ((d->destroyed = parse_count(v, UINT_MAX)) < 0)
			return bad(path, line, "'destroyed=%s': a number", v);
		return 0;
	}
	if (KEY("detail")) {
		if (d->detail)
			return bad(path, line, "a second 'detail='");
		if (!(d->detail = strdup(v)))
			die_oom();
		return 0;
	}
#undef KEY
	return bad(path, line, "unknown attribute '%.*s=' (verdict, gate, "
		   "severity, instances, destroyed, detail)", (int)klen, word);
}

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
	d->severity = -1;
	d->instances = -1;
	d->destroyed = -1;
	if (!strcmp(cmd, "finding")) {
		d->kind = D_FINDING;
		if (n >= 2 && lc_finding_kind_parse(w[1], &d->fkind) < 0)
			return bad(path, line, "unknown finding kind '%s'",
				   w[1]);
		/* Attribute words (with '=') out, wherever they stand after
		 * the kind; what remains are lock names or *N. */
		unsigned kept = 2;
		for (unsigned i = 2; i < n; i++) {
			if (!strchr(w[i], '=')) {
				w[kept++] = w[i];
				continue;
			}
			if (parse_attribute(path, line, w[i], d) < 0)
				return -1;
		}
		n = kept;
		if (n < 3)
			return bad(path, line, "'finding' needs a kind and "
				   "lock names or *N");
		if ((d->verdict || d->gate) &&
		    d->fkind != LC_KIND_LOCK_ORDER_INVERSION)
			return bad(path, line, "'verdict=' and 'gate=' are "
				   "for lock-order-inversion only");
		if (d->gate && d->verdict && strcmp(d->verdict, "guarded"))
			return bad(path, line, "'gate=' with verdict=%s: only "
				   "a guarded inversion has a gate", d->verdict);
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
	if (!strcmp(cmd, "stack-function") || !strcmp(cmd, "held-function") ||
	    !strcmp(cmd, "site-function")) {
		d->kind = cmd[1] == 'i' ? D_SITE_FN
			  : cmd[0] == 's' ? D_STACK_FN : D_HELD_FN;
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
	if (!strcmp(cmd, "within")) {
		d->kind = D_WITHIN;
		if (n != 2 || parse_count(w[1], 3600) < 1)
			return bad(path, line, "'within' takes one number of "
				   "seconds from 1 to 3600");
		if (e->has_within++)
			return bad(path, line, "a second 'within' line");
		return 0;
	}
	if (!strcmp(cmd, "strict")) {
		d->kind = D_STRICT;
		if (n != 1)
			return bad(path, line, "'strict' takes no argument");
		if (e->strict++)
			return bad(path, line, "a second 'strict' line");
		return 0;
	}
	if (!strcmp(cmd, "suppressed")) {
		d->kind = D_SUPPRESSED;
		if (n != 2 || (d->n = parse_count(w[1], INT_MAX)) < 0)
			return bad(path, line, "'suppressed' takes one number");
		if (e->has_suppressed++)
			return bad(path, line, "a second 'suppressed' line");
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

/* The name of lock `id` of f: its name, "<anon>", or "<no such lock>". */
static const char *lock_label(const lc_finding *f, unsigned id)
{
	const lc_finding_lock *l = lc_finding_lock_by_id(f, id);
	if (!l)
		return "<no such lock>";
	return l->name ? l->name : "<anon>";
}

/* Whether set->findings[i] is the last one of its id in its process (what
 * 'finding' lines match: an upgrade supersedes the earlier verdict). */
static int is_final(const lc_report_set *set, size_t i)
{
	const lc_rfinding *r = &set->findings[i];
	for (size_t j = i + 1; j < set->n_findings; j++)
		if (set->findings[j].process == r->process &&
		    !strcmp(set->findings[j].f.id, r->f.id))
			return 0;
	return 1;
}

/* Appends "KIND {a,b} verdict=V gate=G severity=S instances=N" (names
 * sorted, <anon> for a nameless lock; verdict and gate for an inversion,
 * instances when not 1, "(superseded)" for a finding written again later) for
 * set->findings[i] to a malloc'd string *s, separated by ", " from what is
 * there. */
static void describe(char **s, const lc_report_set *set, size_t i)
{
	const lc_rfinding *r = &set->findings[i];
	const lc_finding *f = &r->f;
	const char **names = calloc(f->n_locks + 1, sizeof(*names));
	if (!names)
		die_oom();
	for (unsigned k = 0; k < f->n_locks; k++)
		names[k] = f->locks[k].name ? f->locks[k].name : "<anon>";
	qsort(names, f->n_locks, sizeof(*names), cmp_str);
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	if (!m)
		die_oom();
	if (*s && **s)
		fprintf(m, "%s, ", *s);
	fprintf(m, "%s {", lc_finding_kind_name(f->kind));
	for (unsigned k = 0; k < f->n_locks; k++)
		fprintf(m, "%s%s", k ? "," : "", names[k]);
	fputc('}', m);
	if (f->kind == LC_KIND_LOCK_ORDER_INVERSION) {
		fprintf(m, " verdict=%s", f->verdict ? f->verdict : "<none>");
		if (f->gate)
			fprintf(m, " gate=%s", lock_label(f, f->gate));
	}
	fprintf(m, " severity=%s", lc_severity_name(f->severity));
	unsigned inst = lc_read_instances(set, r->process, f->id);
	if (inst != 1)
		fprintf(m, " instances=%u", inst);
	unsigned dead = 0;
	for (unsigned k = 0; k < f->n_locks; k++)
		dead += f->locks[k].destroyed != 0;
	if (dead)
		fprintf(m, " destroyed=%u", dead);
	if (f->detail)
		fprintf(m, " detail=%s", f->detail);
	if (!is_final(set, i))
		fputs(" (superseded)", m);
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
		describe(&s, set, i);
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

static int is_wait_site(const lc_finding_site *s)
{
	return s->what && !strncmp(s->what, "waits", 5);
}

/* The thread a join wait names: the number that ends its "what" ("waits
 * to join thread T3" or "... thread 3"); 0 when there is none. */
static unsigned join_target(const char *what)
{
	size_t n = strlen(what), i = n;
	while (i > 0 && isdigit((unsigned char)what[i - 1]))
		i--;
	if (i == n || n - i > 9)
		return 0;
	return (unsigned)strtoul(what + i, NULL, 10);
}

/* Checks wait site w of f (index k) and returns the thread it waits for, 0
 * when it names none of f's threads other than its own. */
static unsigned check_wait(const lc_rfinding *r, unsigned k)
{
	const lc_finding *f = &r->f;
	const lc_finding_site *w = &f->sites[k];
	const char *kind = lc_finding_kind_name(f->kind);
	if (!has_named_frame(&w->stack))
		failure("%s:%u: %s %s: thread %u's wait (site %u) has no "
			"stack frame naming a function", r->file, r->line,
			kind, f->id, w->thread, k);
	if (w->lock == 0) {
		unsigned t = join_target(w->what);
		if (!t || t == w->thread || !lc_finding_thread_by_id(f, t)) {
			failure("%s:%u: %s %s: site %u \"%s\" waits for no "
				"lock and names no other thread of the "
				"finding", r->file, r->line, kind, f->id, k,
				w->what);
			return 0;
		}
		return t;
	}
	/* Every thread asleep (detail all-asleep): a wait on a condition
	 * variable, semaphore or barrier has no holder to name. */
	const lc_finding_lock *l = lc_finding_lock_by_id(f, w->lock);
	if (f->detail && !strcmp(f->detail, "all-asleep") && l && l->type &&
	    (!strcmp(l->type, "condition variable") ||
	     !strcmp(l->type, "semaphore") || !strcmp(l->type, "barrier")))
		return 0;
	for (unsigned j = 0; j < f->n_sites; j++) {
		const lc_finding_site *h = &f->sites[j];
		if (j != k && !is_wait_site(h) && h->lock == w->lock &&
		    h->thread != w->thread)
			return h->thread;
	}
	failure("%s:%u: %s %s: thread %u waits for lock %u (site %u), but no "
		"site of another thread says where that lock is held",
		r->file, r->line, kind, f->id, w->thread, w->lock, k);
	return 0;
}

/* Prove that a deadlock is a closed wait-for cycle carried whole inside
 * the finding, and that a long-wait names its one wait and its holder. */
static void check_waits(const lc_rfinding *r)
{
	const lc_finding *f = &r->f;
	const char *kind = lc_finding_kind_name(f->kind);
	unsigned waits = 0;
	for (unsigned k = 0; k < f->n_sites; k++) {
		const lc_finding_site *s = &f->sites[k];
		if (!lc_finding_thread_by_id(f, s->thread))
			failure("%s:%u: %s %s: site %u: thread %u is not in "
				"\"threads\"", r->file, r->line, kind, f->id,
				k, s->thread);
		if (s->lock && !lc_finding_lock_by_id(f, s->lock))
			failure("%s:%u: %s %s: site %u: lock %u is not in "
				"\"locks\"", r->file, r->line, kind, f->id, k,
				s->lock);
		if (is_wait_site(s)) {
			waits++;
			check_wait(r, k);
		}
	}
	if (f->kind == LC_KIND_LONG_WAIT) {
		if (waits != 1)
			failure("%s:%u: long-wait %s: %u wait sites, expected "
				"exactly 1", r->file, r->line, f->id, waits);
		return;
	}
	if (f->n_threads < 1)
		failure("%s:%u: deadlock %s: no threads", r->file, r->line,
			f->id);
	for (unsigned i = 0; i < f->n_threads; i++) {
		unsigned id = f->threads[i].id, mine = 0;
		for (unsigned k = 0; k < f->n_sites; k++)
			if (f->sites[k].thread == id &&
			    is_wait_site(&f->sites[k]))
				mine++;
		if (mine != 1)
			failure("%s:%u: deadlock %s: thread %u has %u wait "
				"sites, expected exactly 1 (every thread of the "
				"cycle waits)", r->file, r->line, f->id, id,
				mine);
	}
}

/* Prove that an inversion says why it can or cannot deadlock, in the
 * contract's words, with the severity that verdict implies, and that a gate
 * is named exactly when it is the reason. */
static void check_verdict(const lc_rfinding *r, int strict)
{
	const lc_finding *f = &r->f;
	if (!f->verdict) {
		failure("%s:%u: lock-order-inversion %s has no \"verdict\"",
			r->file, r->line, f->id);
		return;
	}
	if (!verdict_known(f->verdict)) {
		failure("%s:%u: lock-order-inversion %s: verdict \"%s\" is not "
			"one of the contract's", r->file, r->line, f->id,
			f->verdict);
		return;
	}
	int possible = !strcmp(f->verdict, "deadlock-possible");
	lc_severity want = strict || possible ? LC_SEV_ERROR : LC_SEV_WARNING;
	if (f->severity != want)
		failure("%s:%u: lock-order-inversion %s: verdict %s with "
			"severity %s, should be %s%s", r->file, r->line, f->id,
			f->verdict, lc_severity_name(f->severity),
			lc_severity_name(want),
			strict ? " (strict: every inversion is an error)" : "");
	int guarded = !strcmp(f->verdict, "guarded");
	if (guarded && !f->gate)
		failure("%s:%u: lock-order-inversion %s: guarded, but no "
			"\"gate\" names the lock", r->file, r->line, f->id);
	else if (!guarded && f->gate)
		failure("%s:%u: lock-order-inversion %s: verdict %s carries a "
			"\"gate\" (lock %u); only guarded has one", r->file,
			r->line, f->id, f->verdict, f->gate);
	if (f->gate && !lc_finding_lock_by_id(f, f->gate))
		failure("%s:%u: lock-order-inversion %s: gate = lock %u, which "
			"is not in \"locks\"", r->file, r->line, f->id, f->gate);
}

/* Prove that an end event's "repeats" speaks of real repeats of findings
 * the process wrote. A process that suppressed findings may count a
 * suppressed id there (it occurred; it was not written), so the id is only
 * checked when nothing was suppressed. */
static void check_repeats(const lc_report_set *set)
{
	for (size_t p = 0; p < set->n_procs; p++) {
		const lc_rprocess *pr = &set->procs[p];
		for (unsigned k = 0; k < pr->n_repeats; k++) {
			const lc_rrepeat *rp = &pr->repeats[k];
			if (rp->instances < 2)
				failure("%s: process %d: repeats entry %s "
					"counts %u instance%s, a repeat needs "
					"at least 2", pr->file, pr->pid, rp->id,
					rp->instances,
					rp->instances == 1 ? "" : "s");
			for (unsigned j = 0; j < k; j++)
				if (!strcmp(pr->repeats[j].id, rp->id))
					failure("%s: process %d: repeats lists "
						"%s twice", pr->file, pr->pid,
						rp->id);
			if (pr->suppressed)
				continue;
			int found = 0;
			for (size_t i = 0; i < set->n_findings && !found; i++)
				found = set->findings[i].process == p &&
					!strcmp(set->findings[i].f.id, rp->id);
			if (!found)
				failure("%s: process %d: repeats entry %s is "
					"not the id of any finding the process "
					"wrote", pr->file, pr->pid, rp->id);
		}
	}
}

static int same_verdict(const lc_finding *a, const lc_finding *b)
{
	if (!a->verdict || !b->verdict)
		return a->verdict == b->verdict;
	return !strcmp(a->verdict, b->verdict);
}

static void check_rules(const lc_report_set *set, int strict)
{
	for (size_t i = 0; i < set->n_findings; i++) {
		const lc_rfinding *r = &set->findings[i];
		if (!id_well_formed(r->f.id))
			failure("%s:%u: %s: id \"%s\" is not lc1- and 16 hex "
				"digits", r->file, r->line,
				lc_finding_kind_name(r->f.kind), r->f.id);
		if (r->f.kind == LC_KIND_LOCK_ORDER_INVERSION) {
			check_inversion(r);
			check_verdict(r, strict);
		}
		if (r->f.kind == LC_KIND_DEADLOCK ||
		    r->f.kind == LC_KIND_LONG_WAIT)
			check_waits(r);
		/* Prove that each problem is reported once per process, and
		 * an inversion once per (cycle, verdict): flag an id at its
		 * second occurrence with the same verdict (none for the
		 * other kinds) in the same process (of the same file), and
		 * only there. A new verdict for a known id is an upgrade. */
		unsigned before = 0, first_line = 0;
		for (size_t j = 0; j < i; j++)
			if (set->findings[j].process == r->process &&
			    !strcmp(set->findings[j].f.id, r->f.id) &&
			    same_verdict(&set->findings[j].f, &r->f) &&
			    before++ == 0)
				first_line = set->findings[j].line;
		if (before == 1) {
			if (r->f.verdict)
				failure("%s:%u: %s %s reported twice by one "
					"process with verdict %s (first at "
					"line %u)", r->file, r->line,
					lc_finding_kind_name(r->f.kind),
					r->f.id, r->f.verdict, first_line);
			else
				failure("%s:%u: %s %s reported twice by one "
					"process (first at line %u)", r->file,
					r->line, lc_finding_kind_name(r->f.kind),
					r->f.id, first_line);
		}
	}
	check_repeats(set);
}

/* ---- directives -------------------------------------------------------- */

/* Whether finding set->findings[i] satisfies 'finding' line d: kind, locks
 * and attributes. Only a final finding of its id in its process does. */
static int matches(const struct directive *d, const lc_report_set *set,
		   size_t i)
{
	const lc_rfinding *r = &set->findings[i];
	const lc_finding *f = &r->f;
	if (f->kind != d->fkind || !is_final(set, i))
		return 0;
	if (d->verdict && (!f->verdict || strcmp(d->verdict, f->verdict)))
		return 0;
	if (d->gate) {
		const lc_finding_lock *g =
			f->gate ? lc_finding_lock_by_id(f, f->gate) : NULL;
		if (!g || !g->name || strcmp(g->name, d->gate))
			return 0;
	}
	if (d->severity >= 0 && f->severity != (lc_severity)d->severity)
		return 0;
	if (d->instances >= 0 &&
	    lc_read_instances(set, r->process, f->id) !=
		    (unsigned long)d->instances)
		return 0;
	if (d->destroyed >= 0) {
		long dead = 0;
		for (unsigned k = 0; k < f->n_locks; k++)
			dead += f->locks[k].destroyed != 0;
		if (dead != d->destroyed)
			return 0;
	}
	if (d->detail && (!f->detail || strcmp(d->detail, f->detail)))
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
			if (matches(ds[di], set, fi)) {
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
		size_t len = 0;
		FILE *m = open_memstream(&want, &len);
		if (!m)
			die_oom();
		if (d->n >= 0) {
			fprintf(m, "%s with %ld locks",
				lc_finding_kind_name(d->fkind), d->n);
		} else {
			fprintf(m, "%s {", lc_finding_kind_name(d->fkind));
			for (unsigned k = 0; k < d->n_names; k++)
				fprintf(m, "%s%s", k ? "," : "", d->names[k]);
			fputc('}', m);
		}
		if (d->verdict)
			fprintf(m, " verdict=%s", d->verdict);
		if (d->gate)
			fprintf(m, " gate=%s", d->gate);
		if (d->severity >= 0)
			fprintf(m, " severity=%s",
				lc_severity_name((lc_severity)d->severity));
		if (d->instances >= 0)
			fprintf(m, " instances=%ld", d->instances);
		if (d->destroyed >= 0)
			fprintf(m, " destroyed=%ld", d->destroyed);
		if (d->detail)
			fprintf(m, " detail=%s", d->detail);
		if (fclose(m) != 0 || !want)
			die_oom();
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
/* The stack of edge or site e of f that the directive looks at (held: 0
 * an edge's stack, 1 its held_stack, 2 a site's stack), NULL when f has
 * no such thing. */
static const lc_stack *stack_of(const lc_finding *f, unsigned e, int held)
{
	if (held == 2)
		return f->kind != LC_KIND_LOCK_ORDER_INVERSION && e < f->n_sites
			       ? &f->sites[e].stack
			       : NULL;
	if (f->kind != LC_KIND_LOCK_ORDER_INVERSION || e >= f->n_edges)
		return NULL;
	return held ? &f->edges[e].held_stack : &f->edges[e].stack;
}

static void check_function(const lc_report_set *set,
			   const struct directive *d, int held)
{
	char **seen = NULL;
	unsigned n_seen = 0;
	for (size_t i = 0; i < set->n_findings; i++) {
		const lc_finding *f = &set->findings[i].f;
		unsigned n = held == 2 ? f->n_sites : f->n_edges;
		for (unsigned e = 0; e < n; e++) {
			const lc_stack *s = stack_of(f, e, held);
			if (!s)
				continue;
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
	failure("no %s has %s in its %s (line %u); functions there: %s",
		held == 2 ? "finding site" : "lock-order-inversion edge",
		d->arg, held == 1 ? "held_stack" : "stack", d->line, list);
	free(list);
	free(seen);
}

/* Prove that the processes suppressed as many findings as the line says. */
static void check_suppressed(const lc_report_set *set,
			     const struct directive *d)
{
	long total = 0;
	for (size_t p = 0; p < set->n_procs; p++)
		total += set->procs[p].suppressed;
	if (total != d->n)
		failure("expected %ld suppressed finding%s (line %u), the end "
			"events say %ld", d->n, d->n == 1 ? "" : "s", d->line,
			total);
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

	check_rules(&set, e.strict);
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
		if (e.d[i].kind == D_SUPPRESSED)
			check_suppressed(&set, &e.d[i]);
		if (e.d[i].kind == D_STACK_FN)
			check_function(&set, &e.d[i], 0);
		else if (e.d[i].kind == D_HELD_FN)
			check_function(&set, &e.d[i], 1);
		else if (e.d[i].kind == D_SITE_FN)
			check_function(&set, &e.d[i], 2);
	}
	lc_read_free(&set);
	expect_free(&e);
	fflush(stdout);
	return failures ? 1 : 0;
}
