/*
 * suppress.c: reading suppression rules and matching findings (see
 * suppress.h). The file is read with open/read into arena memory (no stdio,
 * no malloc: start-up runs inside the program), and the rules point into it.
 */
#include "suppress.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "warn.h"

typedef struct rule {
	int any_kind;
	lc_finding_kind kind;
	const char *pattern;
} rule;

static rule rules[LC_SUPPRESS_MAX];
static unsigned n_rules;

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

/* Parses one line (NUL-terminated, may be modified). 0 ok or blank, -1 bad. */
static int parse_line(char *line, const char *path, unsigned number)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	size_t len = strlen(line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
		       line[len - 1] == '\r'))
		line[--len] = '\0';
	if (len == 0)
		return 0;
	char *colon = strchr(line, ':');
	if (!colon || colon == line || colon[1] == '\0') {
		lc_warn("suppressions %s:%u: expected kind:pattern, got '%s' "
			"(skipped)", path, number, line);
		return -1;
	}
	*colon = '\0';
	rule r = { .pattern = colon + 1 };
	if (strcmp(line, "*") == 0) {
		r.any_kind = 1;
	} else if (lc_finding_kind_parse(line, &r.kind) != 0) {
		lc_warn("suppressions %s:%u: unknown finding kind '%s' "
			"(skipped)", path, number, line);
		return -1;
	}
	if (n_rules == LC_SUPPRESS_MAX) {
		lc_warn("suppressions %s:%u: more than %d rules; the rest are "
			"not read", path, number, LC_SUPPRESS_MAX);
		return 0;
	}
	rules[n_rules++] = r;
	return 0;
}

int lc_suppress_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		lc_warn("suppressions %s: %s (no suppressions)", path,
			strerror(errno));
		return 1;
	}
	char *text = lc_arena_alloc(LC_SUPPRESS_BYTES + 1);
	size_t len = 0;
	ssize_t n = 0;
	while (text && len < LC_SUPPRESS_BYTES &&
	       (n = read(fd, text + len, LC_SUPPRESS_BYTES - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (!text)
		return 1;
	if (len == LC_SUPPRESS_BYTES)
		lc_warn("suppressions %s: longer than %d bytes; the rest is "
			"not read", path, LC_SUPPRESS_BYTES);
	text[len] = '\0';
	int bad = 0;
	unsigned number = 0;
	for (char *line = text; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		bad += parse_line(line, path, ++number) != 0;
		line = next;
	}
	return bad;
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
		if (fr->function && lc_glob_match(pattern, fr->function))
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
