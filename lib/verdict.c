/*
 * verdict.c: the search for a deadlocking choice of contexts (see verdict.h).
 *
 * One backtracking search per constraint level, each a depth-first walk that
 * picks a context for edge 0, then edge 1, ..., checking the new pick against
 * the earlier ones as it goes, so a bad prefix is cut at once. Level k keeps
 * constraints 1..k. The mode constraint links neighbours only: edge i wants
 * lock L(i+1) in mode try[i]->shared, edge i+1 holds it in
 * try[i+1]->held_shared; the last edge closes the ring with edge 0.
 */
#include "verdict.h"

#include <string.h>

const char *lc_verdict_name(lc_verdict v)
{
	switch (v) {
	case LC_VERDICT_SINGLE_THREAD: return "single-thread";
	case LC_VERDICT_READ_SHARED: return "read-shared";
	case LC_VERDICT_ORDERED: return "ordered";
	case LC_VERDICT_GUARDED: return "guarded";
	case LC_VERDICT_DEADLOCK_POSSIBLE: return "deadlock-possible";
	}
	return "deadlock-possible";
}

/* Does the wait for a lock in mode `wanted_shared` block on a holder in mode
 * `held_shared`? Only read against read does not. */
static int blocks(int wanted_shared, int held_shared)
{
	return !(wanted_shared && held_shared);
}

static int concurrent(const lc_context *a, const lc_context *b)
{
	return !lc_clock_before(a->thread, a->clock, b->clock) &&
	       !lc_clock_before(b->thread, b->clock, a->clock);
}

/* Can c be picked for edge pos after try[0..pos) at this level (the number
 * of constraints in force, 1..4)? */
static int fits(const lc_verdict_result *r, unsigned pos, unsigned n,
		const lc_context *c, int level)
{
	for (unsigned k = 0; k < pos; k++) {
		const lc_context *o = r->try_[k];
		if (o->thread == c->thread)
			return 0;
		if (level >= 3 && !concurrent(o, c))
			return 0;
		if (level >= 4 && lc_heldset_common(o->held, c->held))
			return 0;
	}
	if (level >= 2) {
		if (pos > 0 && !blocks(r->try_[pos - 1]->shared, c->held_shared))
			return 0;
		if (pos == n - 1 && !blocks(c->shared, r->try_[0]->held_shared))
			return 0;
	}
	return 1;
}

/* Searches at one level; on success try_[] holds the choice. Returns 1, 0
 * (no choice), or -1 (budget exhausted). */
static int search(lc_verdict_result *r, unsigned n, int level, long *budget)
{
	int pos = 0;
	r->idx[0] = 0;
	while (pos >= 0) {
		if (--*budget < 0)
			return -1;
		if (r->idx[pos] >= r->n_ctx[pos]) {
			if (--pos >= 0)
				r->idx[pos]++;
			continue;
		}
		const lc_context *c = r->ctx[pos][r->idx[pos]];
		if (!fits(r, (unsigned)pos, n, c, level)) {
			r->idx[pos]++;
			continue;
		}
		r->try_[pos] = c;
		if ((unsigned)pos == n - 1)
			return 1;
		r->idx[++pos] = 0;
	}
	return 0;
}

void lc_verdict_judge(lc_edge *const *edges, unsigned n, lc_verdict_result *r,
		      const lc_context *only, unsigned only_edge)
{
	r->gate = 0;
	r->gave_up = 0;
	if (n > LC_VERDICT_CYCLE_MAX)
		n = LC_VERDICT_CYCLE_MAX;
	for (unsigned i = 0; i < n; i++) {
		unsigned m = 0;
		for (const lc_context *c = lc_edge_first_context(edges[i]);
		     c && m < LC_EDGE_CONTEXTS;
		     c = atomic_load_explicit(&c->next, memory_order_acquire))
			r->ctx[i][m++] = c;
		if (only && i == only_edge) {
			r->ctx[i][0] = only;
			m = 1;
		}
		r->n_ctx[i] = m;
		r->chosen[i] = m ? r->ctx[i][0] : NULL;
		if (m == 0) { /* cannot happen: an edge is made with a context */
			r->verdict = LC_VERDICT_DEADLOCK_POSSIBLE;
			return;
		}
	}
	long budget = LC_VERDICT_BUDGET;
	static const lc_verdict fails_as[] = {
		LC_VERDICT_SINGLE_THREAD, LC_VERDICT_READ_SHARED,
		LC_VERDICT_ORDERED, LC_VERDICT_GUARDED,
	};
	for (int level = 1; level <= 4; level++) {
		int found = search(r, n, level, &budget);
		if (found < 0) {
			r->gave_up = 1;
			r->verdict = LC_VERDICT_DEADLOCK_POSSIBLE;
			return;
		}
		if (!found) {
			r->verdict = fails_as[level - 1];
			return;
		}
		memcpy(r->chosen, r->try_, n * sizeof r->chosen[0]);
		if (level == 3) {
			/* Name the gate the next level will trip on, if any. */
			for (unsigned i = 0; i < n && !r->gate; i++)
				for (unsigned j = i + 1; j < n && !r->gate; j++)
					r->gate = lc_heldset_common(
						r->try_[i]->held, r->try_[j]->held);
		}
	}
	r->gate = 0;
	r->verdict = LC_VERDICT_DEADLOCK_POSSIBLE;
}
