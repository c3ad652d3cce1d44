/*
 * suppress.c: reading suppression rules and matching findings (see
 * suppress.h). The file is read by textfile.c (no stdio, no malloc: start-up
 * runs inside the program), and the rules point into its text.
 * lc_suppress_parse takes the text itself (tests, tests/fuzz/), and
 * lc_suppress_clear forgets the rules so that one process can load many.
 * A C++ function or lock matches in either form: readable (demangled,
 * "net::Server::flush") or raw ("_ZN3net6Server5flushEv"), so rules written
 * before names were demangled still hold.
 */
#include "suppress.h"

#include <string.h>

#include "textfile.h"
#include "warn.h"

typedef struct rule {
	int any_kind;
	lc_finding_kind kind;
	const char *pattern;
} rule;

static rule rules[LC_SUPPRESS_MAX];
static unsigned n_rules;

/* One load: the name for messages, and whether the capacity was said (said
 * once per load, not once per line beyond it). */
struct load {
	const char *path;
	int full_said;
};

int lc_glob_match(const char *p, const char *t)
{
	/* Iterative matching with one backtrack point for the last '*'. */
	const char *star = NULL, *resume = NULL;
	while (*t) {
		if (*p == '*') {
			star = p++;
			resume = t;
		} else if (*p == '?' || *p == *t) {
			p++;
			t++;
		} else if (star) {
			p = star + 1;
			t = ++resume;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* Parses one rule line; 0, or -1 for a bad line (said). */
static int parse_line(char *line, unsigned number, void *arg)
{
	struct load *ld = arg;
	const char *path = ld->path;
	char *colon = strchr(line, ':');
	/* The echo of the line is cut so that the message stays one short
	 * line whatever the file holds. */
	if (!colon || colon == line || colon[1] == '\0') {
		lc_warn("suppressions %s:%u: expected kind:pattern, got '%.100s' "
			"(skipped)", path, number, line);
		return -1;
	}
	*colon = '\0';
	rule r = { .pattern = colon + 1 };
	if (strcmp(line, "*") == 0) {
		r.any_kind = 1;
	} else if (lc_finding_kind_parse(line, &r.kind) != 0) {
		lc_warn("suppressions %s:%u: unknown finding kind '%.100s' "
			"(skipped)", path, number, line);
		return -1;
	}
	if (n_rules == LC_SUPPRESS_MAX) {
		if (!ld->full_said)
			lc_warn("suppressions %s:%u: more than %d rules; the "
				"rest are not read", path, number,
				LC_SUPPRESS_MAX);
		ld->full_said = 1;
		return 0;
	}
	rules[n_rules++] = r;
	return 0;
}

int lc_suppress_load(const char *path)
{
	struct load ld = { path, 0 };
	int bad = lc_textfile_lines(path, "suppressions", LC_SUPPRESS_BYTES,
				    parse_line, &ld);
	return bad < 0 ? 1 : bad;
}

int lc_suppress_parse(char *text, size_t len, const char *name)
{
	struct load ld = { name, 0 };
	return lc_textfile_parse(text, len, "suppressions", name, parse_line,
				 &ld);
}

void lc_suppress_clear(void)
{
	n_rules = 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int stack_matches(const char *pattern, const lc_stack *s)
{
	for (unsigned i = 0; i < s->depth; i++) {
		const lc_frame *fr = &s->frames[i];
		if ((fr->function && lc_glob_match(pattern, fr->function)) ||
		    (fr->symbol && lc_glob_match(pattern, fr->symbol)))
			return 1;
		if (fr->module && (lc_glob_match(pattern, fr->module) ||
				   lc_glob_match(pattern, base_name(fr->module))))
			return 1;
	}
	return 0;
}

static int rule_matches(const rule *r, const lc_finding *f)
{
	if (!r->any_kind && r->kind != f->kind)
		return 0;
	for (unsigned i = 0; i < f->n_locks; i++) {
		const lc_finding_lock *l = &f->locks[i];
		if ((l->name && lc_glob_match(r->pattern, l->name)) ||
		    (l->symbol && lc_glob_match(r->pattern, l->symbol)) ||
		    (l->identity && lc_glob_match(r->pattern, l->identity)) ||
		    stack_matches(r->pattern, &l->created))
			return 1;
	}
	for (unsigned i = 0; i < f->n_edges; i++)
		if (stack_matches(r->pattern, &f->edges[i].stack) ||
		    stack_matches(r->pattern, &f->edges[i].held_stack))
			return 1;
	for (unsigned i = 0; i < f->n_sites; i++)
		if (stack_matches(r->pattern, &f->sites[i].stack))
			return 1;
	return 0;
}

int lc_suppress_match(const lc_finding *f)
{
	for (unsigned i = 0; i < n_rules; i++)
		if (rule_matches(&rules[i], f))
			return 1;
	return 0;
}
