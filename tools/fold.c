/*
 * fold.c: longer cycles folded into the shorter cycle they contain (fold.h).
 *
 * Each merged inversion becomes its cycle of class names; cycles are tried
 * shortest first, so a longer one meets every possible keeper before it is
 * itself a keeper. "S inside L in order": S's first lock is found in L, and
 * each next lock of S lies further round L from it than the one before
 * (distances strictly increasing, all below L's length). Quadratic in the
 * number of distinct inversions, which a report counts in tens.
 */
#include "fold.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cyc {
	size_t item;          /* index into m->items */
	unsigned n;
	const char **ids;     /* class of each lock, in cycle order */
	int rank;             /* verdict: larger is closer to a deadlock */
	int severity;
	int folded;
	const char *fix_from, *fix_to; /* the edge its fix breaks, or NULL */
	const lc_finding *f;
};

static void oom_exit(void)
{
	fputs("lockcheck: out of memory while folding cycles\n", stderr);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom_exit();
	return p;
}

/* The contract's verdicts in the order of lib/verdict.h (class-cycle
 * between guarded and deadlock-possible); none or unknown: a deadlock. */
static int verdict_rank(const char *v)
{
	static const char *const order[] = {
		"single-thread", "read-shared", "ordered", "guarded",
		"class-cycle", "deadlock-possible",
	};
	for (int i = 0; v && i < 6; i++)
		if (!strcmp(v, order[i]))
			return i;
	return 5;
}

static const char *lock_class(const lc_finding *f, unsigned id)
{
	const lc_finding_lock *l = lc_finding_lock_by_id(f, id);
	if (!l)
		return NULL;
	return l->identity ? l->identity : l->name;
}

/* Fills c from finding f; 0, or -1 when the cycle cannot be compared. */
static int cycle_of(const lc_finding *f, struct cyc *c)
{
	if (f->kind != LC_KIND_LOCK_ORDER_INVERSION || f->n_cycle < 2)
		return -1;
	c->n = f->n_cycle;
	c->ids = xmalloc(c->n * sizeof(*c->ids));
	for (unsigned i = 0; i < c->n; i++) {
		c->ids[i] = lock_class(f, f->cycle[i]);
		for (unsigned k = 0; c->ids[i] && k < i; k++)
			if (!strcmp(c->ids[k], c->ids[i]))
				c->ids[i] = NULL; /* two locks of one class */
		if (!c->ids[i]) {
			free(c->ids);
			c->ids = NULL;
			return -1;
		}
	}
	c->rank = verdict_rank(f->verdict);
	c->severity = f->severity;
	c->folded = 0;
	c->f = f;
	c->fix_from = c->fix_to = NULL;
	if (f->n_fix_break && f->fix_break[0] < f->n_edges) {
		const lc_finding_edge *e = &f->edges[f->fix_break[0]];
		c->fix_from = lock_class(f, e->from);
		c->fix_to = lock_class(f, e->to);
	}
	return 0;
}

/* Does l have the edge s's fix breaks? Then that fix breaks l too. */
static int has_fix_edge(const struct cyc *s, const struct cyc *l)
{
	if (!s->fix_from || !s->fix_to)
		return 0;
	for (unsigned i = 0; i < l->f->n_edges; i++) {
		const char *from = lock_class(l->f, l->f->edges[i].from);
		const char *to = lock_class(l->f, l->f->edges[i].to);
		if (from && to && !strcmp(from, s->fix_from) &&
		    !strcmp(to, s->fix_to))
			return 1;
	}
	return 0;
}

static int index_in(const struct cyc *l, const char *id)
{
	for (unsigned i = 0; i < l->n; i++)
		if (!strcmp(l->ids[i], id))
			return (int)i;
	return -1;
}

/* Are s's locks inside l, in s's cyclic order? */
static int inside_in_order(const struct cyc *s, const struct cyc *l)
{
	int p0 = index_in(l, s->ids[0]);
	if (p0 < 0)
		return 0;
	unsigned last = 0;
	for (unsigned k = 1; k < s->n; k++) {
		int p = index_in(l, s->ids[k]);
		if (p < 0)
			return 0;
		unsigned d = (unsigned)(p - p0 + (int)l->n) % l->n;
		if (d <= last)
			return 0;
		last = d;
	}
	return 1;
}

static int by_length(const void *a, const void *b)
{
	const struct cyc *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return x->item < y->item ? -1 : x->item > y->item;
}

/* "a => b => c => a" of finding f, by the labels its text uses. */
static char *cycle_text(const lc_finding *f)
{
	size_t cap = 64, len = 0;
	char *t = xmalloc(cap);
	t[0] = '\0';
	for (unsigned i = 0; i <= f->n_cycle; i++) {
		unsigned id = f->cycle[i % f->n_cycle];
		const lc_finding_lock *l = lc_finding_lock_by_id(f, id);
		char anon[24];
		snprintf(anon, sizeof(anon), "M%u", id);
		const char *name = l && l->name ? l->name : anon;
		size_t need = len + strlen(name) + 5;
		if (need > cap) {
			while (cap < need)
				cap *= 2;
			t = realloc(t, cap);
			if (!t)
				oom_exit();
		}
		len += (size_t)sprintf(t + len, "%s%s", i ? " => " : "", name);
	}
	return t;
}

void fold_cycles(const lc_report_set *set, struct merge *m)
{
	struct cyc *cs = xmalloc((m->n ? m->n : 1) * sizeof(*cs));
	size_t n = 0;
	for (size_t i = 0; i < m->n; i++) {
		cs[n].item = i;
		if (cycle_of(&set->findings[m->items[i].shown].f, &cs[n]) == 0)
			n++;
	}
	qsort(cs, n, sizeof(*cs), by_length);
	int any = 0;
	for (size_t li = 0; li < n; li++) {
		struct cyc *l = &cs[li];
		for (size_t si = 0; si < li && !l->folded; si++) {
			struct cyc *s = &cs[si];
			if (s->folded || s->n >= l->n || s->rank < l->rank ||
			    s->severity < l->severity || !inside_in_order(s, l) ||
			    !has_fix_edge(s, l))
				continue;
			struct merged *keep = &m->items[s->item];
			const lc_finding *lf =
				&set->findings[m->items[l->item].shown].f;
			keep->also = realloc(keep->also, (keep->n_also + 1) *
							  sizeof(*keep->also));
			if (!keep->also)
				oom_exit();
			keep->also[keep->n_also++] = (lc_finding_also){
				.id = lf->id,
				.cycle = cycle_text(lf),
			};
			l->folded = 1;
			any = 1;
		}
	}
	if (any) {
		char *gone = calloc(m->n ? m->n : 1, 1);
		if (!gone)
			oom_exit();
		for (size_t i = 0; i < n; i++)
			if (cs[i].folded)
				gone[cs[i].item] = 1;
		size_t kept = 0;
		m->errors = m->warnings = 0;
		for (size_t i = 0; i < m->n; i++) {
			if (gone[i]) {
				free(m->items[i].pids);
				free(m->items[i].also);
				continue;
			}
			m->items[kept] = m->items[i];
			if (set->findings[m->items[kept].shown].f.severity ==
			    LC_SEV_ERROR)
				m->errors++;
			else
				m->warnings++;
			kept++;
		}
		m->n = kept;
		free(gone);
	}
	for (size_t i = 0; i < n; i++)
		free(cs[i].ids);
	free(cs);
}

lc_finding fold_shown(const lc_report_set *set, const struct merged *g)
{
	lc_finding f = set->findings[g->shown].f;
	f.also = g->also;
	f.n_also = g->n_also;
	return f;
}

void fold_free(struct merge *m)
{
	for (size_t i = 0; i < m->n; i++) {
		for (unsigned k = 0; k < m->items[i].n_also; k++)
			free((char *)m->items[i].also[k].cycle);
		free(m->items[i].also);
		m->items[i].also = NULL;
		m->items[i].n_also = 0;
	}
}
