/*
 * verdict.h: can this cycle deadlock? (the verdict of a lock-order-inversion)
 *
 * A cycle L0 -> L1 -> ... -> L0 can deadlock only if one context per edge can
 * be chosen (context.h) such that, all at once:
 *   1. the threads are pairwise distinct (one thread cannot wait for itself
 *      through a cycle of locks it takes one at a time);
 *   2. every lock of the cycle is wanted in a mode that conflicts with the
 *      mode its holder holds it in (read-read does not block);
 *   3. the acquisitions can overlap: none is ordered before another by thread
 *      create/join (clock.h);
 *   4. no lock is held at two of the acquisitions in conflicting modes (a
 *      gate: both threads would need it at once).
 * The search tries the constraints in that order; the first that no choice
 * satisfies names the verdict: single-thread, read-shared, ordered, guarded
 * (with the gate). If all can be met: deadlock-possible, with the choice.
 *
 * The search backtracks over at most LC_EDGE_CONTEXTS contexts per edge with
 * pairwise checks as it goes. Its work is bounded (LC_VERDICT_BUDGET steps);
 * a search that runs out says deadlock-possible (an unproven "cannot" is not
 * a verdict) and marks the result.
 */
#ifndef LC_VERDICT_H
#define LC_VERDICT_H

#include "context.h"
#include "graph.h"

#define LC_VERDICT_BUDGET 2000000
#define LC_VERDICT_CYCLE_MAX 256

/* In the order the search establishes them; a larger value is closer to a
 * deadlock, so verdicts only ever move up as contexts are added. */
typedef enum lc_verdict {
	LC_VERDICT_SINGLE_THREAD,
	LC_VERDICT_READ_SHARED,
	LC_VERDICT_ORDERED,
	LC_VERDICT_GUARDED,
	LC_VERDICT_DEADLOCK_POSSIBLE,
} lc_verdict;

typedef struct lc_verdict_result {
	lc_verdict verdict;
	uint32_t gate;        /* guarded: the gate lock's id */
	int gave_up;          /* budget exhausted: deadlock-possible assumed */
	/* The contexts to show: the choice that satisfied the most
	 * constraints (the deadlocking one for deadlock-possible). */
	const lc_context *chosen[LC_VERDICT_CYCLE_MAX];
	/* Scratch of the search. */
	const lc_context *ctx[LC_VERDICT_CYCLE_MAX][LC_EDGE_CONTEXTS];
	unsigned n_ctx[LC_VERDICT_CYCLE_MAX];
	unsigned idx[LC_VERDICT_CYCLE_MAX];
	const lc_context *try_[LC_VERDICT_CYCLE_MAX];
} lc_verdict_result;

/* Judges the cycle edges[0..n) (edges[i]->to == edges[(i+1)%n]->from).
 * Graph lock held (contexts are read). out is large: callers map it.
 * only: NULL, or a context of edges[only_edge] that the choice must use
 * (a cycle judged before is judged again on a new context: only choices
 * with it can do better, so the others are not searched again). */
void lc_verdict_judge(lc_edge *const *edges, unsigned n, lc_verdict_result *out,
		      const lc_context *only, unsigned only_edge);
/* The contract's name: "deadlock-possible", "guarded", ... */
const char *lc_verdict_name(lc_verdict v);

#endif
