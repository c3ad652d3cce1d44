/*
 * test_verdict.c: the verdict search on synthetic cycles.
 *
 * Builds two- and three-lock cycles whose edges carry hand-made contexts
 * (thread, held set, clock, modes) and checks each verdict, the gate named,
 * that the deadlocking choice is the one returned, and that adding a context
 * can only move a verdict toward deadlock-possible.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "check.h"
#include "clock.h"
#include "context.h"
#include "graph.h"
#include "registry.h"
#include "verdict.h"

static char memory[4096 * 16];
static unsigned next_slot;
static lc_verdict_result *result;

static lc_lock *new_lock(void)
{
	return lc_registry_get((uintptr_t)&memory[64 * next_slot++],
			       LC_TYPE_RWLOCK, 0, 1, NULL);
}

/* Adds a context to e: thread, held locks (ids, with read flags), clock. */
static void ctx(lc_edge *e, uint32_t thread, const lc_lock *const *held,
		const int *held_read, unsigned n_held, int shared,
		const lc_clock *clock)
{
	uint32_t items[8] = { 0 };
	for (unsigned i = 0; i < n_held; i++)
		items[i] = held[i]->id << 1 | (uint32_t)held_read[i];
	/* sorted insertion */
	for (unsigned i = 1; i < n_held; i++)
		for (unsigned j = i; j > 0 && items[j - 1] > items[j]; j--) {
			uint32_t t = items[j];
			items[j] = items[j - 1];
			items[j - 1] = t;
		}
	uint64_t h = lc_heldset_hash(items, n_held);
	int held_shared = 0;
	for (unsigned i = 0; i < n_held; i++)
		if (held[i] == e->from)
			held_shared = held_read[i];
	lc_context c = {
		.key = lc_context_key(thread, h, clock, held_shared, shared),
		.thread = thread,
		.held_shared = (uint8_t)held_shared,
		.shared = (uint8_t)shared,
		.held = lc_heldset_intern(items, n_held, h),
		.clock = clock,
	};
	lc_edge_add_context(e, &c);
}

static lc_verdict judge2(lc_edge *ab, lc_edge *ba)
{
	lc_edge *cycle[2] = { ab, ba };
	lc_verdict_judge(cycle, 2, result, NULL, 0);
	return result->verdict;
}

static const int W[4] = { 0, 0, 0, 0 }; /* all held for writing */

int main(void)
{
	if (lc_arena_init() || lc_registry_init() || lc_graph_init())
		return 1;
	result = mmap(NULL, sizeof *result, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	/* Two threads, nothing else held: deadlock-possible. */
	lc_lock *a = new_lock(), *b = new_lock(), *g = new_lock();
	lc_edge *ab = lc_graph_add_edge(a, b), *ba = lc_graph_add_edge(b, a);
	ctx(ab, 1, (const lc_lock *[]){ a }, W, 1, 0, NULL);
	CHECK(judge2(ab, ba) == LC_VERDICT_DEADLOCK_POSSIBLE ||
		      ba->n_contexts == 0,
	      "edge without contexts is not judged safe");
	ctx(ba, 1, (const lc_lock *[]){ b }, W, 1, 0, NULL);
	CHECK(judge2(ab, ba) == LC_VERDICT_SINGLE_THREAD,
	      "one thread made both edges: single-thread");
	ctx(ba, 2, (const lc_lock *[]){ g, b }, W, 2, 0, NULL);
	CHECK(judge2(ab, ba) == LC_VERDICT_DEADLOCK_POSSIBLE,
	      "a gate on one side only does not guard");
	CHECK(result->chosen[0]->thread == 1 && result->chosen[1]->thread == 2,
	      "the deadlocking choice is returned");

	/* Gate held on both sides. */
	lc_lock *c = new_lock(), *d = new_lock();
	lc_edge *cd = lc_graph_add_edge(c, d), *dc = lc_graph_add_edge(d, c);
	ctx(cd, 1, (const lc_lock *[]){ g, c }, W, 2, 0, NULL);
	ctx(dc, 2, (const lc_lock *[]){ g, d }, W, 2, 0, NULL);
	CHECK(judge2(cd, dc) == LC_VERDICT_GUARDED && result->gate == g->id,
	      "a gate held at both acquisitions: guarded, named");
	/* A gate held for reading on both sides does not guard. */
	lc_lock *e1 = new_lock(), *f1 = new_lock();
	lc_edge *ef = lc_graph_add_edge(e1, f1), *fe = lc_graph_add_edge(f1, e1);
	ctx(ef, 1, (const lc_lock *[]){ g, e1 }, (const int[]){ 1, 0 }, 2, 0, NULL);
	ctx(fe, 2, (const lc_lock *[]){ g, f1 }, (const int[]){ 1, 0 }, 2, 0, NULL);
	CHECK(judge2(ef, fe) == LC_VERDICT_DEADLOCK_POSSIBLE,
	      "a read-read gate does not guard");
	/* Read on one side, write on the other: guards. */
	lc_lock *h1 = new_lock(), *i1 = new_lock();
	lc_edge *hi = lc_graph_add_edge(h1, i1), *ih = lc_graph_add_edge(i1, h1);
	ctx(hi, 1, (const lc_lock *[]){ g, h1 }, (const int[]){ 1, 0 }, 2, 0, NULL);
	ctx(ih, 2, (const lc_lock *[]){ g, i1 }, (const int[]){ 0, 0 }, 2, 0, NULL);
	CHECK(judge2(hi, ih) == LC_VERDICT_GUARDED,
	      "a gate held for writing on one side guards");
	/* Upgrade: a third thread makes the edge without the gate. */
	ctx(ih, 3, (const lc_lock *[]){ i1 }, W, 1, 0, NULL);
	CHECK(judge2(hi, ih) == LC_VERDICT_DEADLOCK_POSSIBLE,
	      "a later unguarded context upgrades guarded");

	/* Read-read closes the cycle: read-shared. */
	lc_lock *r1 = new_lock(), *r2 = new_lock();
	lc_edge *r12 = lc_graph_add_edge(r1, r2), *r21 = lc_graph_add_edge(r2, r1);
	ctx(r12, 1, (const lc_lock *[]){ r1 }, (const int[]){ 1 }, 1, 1, NULL);
	ctx(r21, 2, (const lc_lock *[]){ r2 }, (const int[]){ 1 }, 1, 1, NULL);
	CHECK(judge2(r12, r21) == LC_VERDICT_READ_SHARED,
	      "read held, read wanted on both locks: read-shared");
	/* Read held, write wanted: blocks. */
	lc_lock *s1 = new_lock(), *s2 = new_lock();
	lc_edge *s12 = lc_graph_add_edge(s1, s2), *s21 = lc_graph_add_edge(s2, s1);
	ctx(s12, 1, (const lc_lock *[]){ s1 }, (const int[]){ 1 }, 1, 0, NULL);
	ctx(s21, 2, (const lc_lock *[]){ s2 }, (const int[]){ 1 }, 1, 0, NULL);
	CHECK(judge2(s12, s21) == LC_VERDICT_DEADLOCK_POSSIBLE,
	      "read held, write wanted: deadlock-possible");

	/* Create order: thread 1 at epoch 1 makes a->b, then creates thread 2
	 * (clock {1:1, 2:1}) which makes b->a: ordered. After the create,
	 * thread 1 is at epoch 2 and concurrent with thread 2. */
	const lc_clock *t1e1 = lc_clock_root(1);
	const lc_clock *t2 = lc_clock_with(t1e1, 2, 1);
	const lc_clock *t1e2 = lc_clock_with(t1e1, 1, 2);
	lc_lock *o1 = new_lock(), *o2 = new_lock();
	lc_edge *o12 = lc_graph_add_edge(o1, o2), *o21 = lc_graph_add_edge(o2, o1);
	ctx(o12, 1, (const lc_lock *[]){ o1 }, W, 1, 0, t1e1);
	ctx(o21, 2, (const lc_lock *[]){ o2 }, W, 1, 0, t2);
	CHECK(judge2(o12, o21) == LC_VERDICT_ORDERED,
	      "before create vs the created thread: ordered");
	ctx(o12, 1, (const lc_lock *[]){ o1 }, W, 1, 0, t1e2);
	CHECK(judge2(o12, o21) == LC_VERDICT_DEADLOCK_POSSIBLE,
	      "after create vs the created thread: deadlock-possible");
	/* Join order: thread 3's final clock joined into thread 1. */
	const lc_clock *t3 = lc_clock_with(t1e2, 3, 1);
	const lc_clock *t1e3 = lc_clock_join(lc_clock_with(t1e2, 1, 3), t3);
	lc_lock *j1 = new_lock(), *j2 = new_lock();
	lc_edge *j12 = lc_graph_add_edge(j1, j2), *j21 = lc_graph_add_edge(j2, j1);
	ctx(j12, 3, (const lc_lock *[]){ j1 }, W, 1, 0, t3);
	ctx(j21, 1, (const lc_lock *[]){ j2 }, W, 1, 0, t1e3);
	CHECK(judge2(j12, j21) == LC_VERDICT_ORDERED,
	      "the joined thread vs its joiner after the join: ordered");

	/* Three locks, three threads: one pair shares a gate. */
	lc_lock *x = new_lock(), *y = new_lock(), *z = new_lock();
	lc_edge *xy = lc_graph_add_edge(x, y), *yz = lc_graph_add_edge(y, z),
		*zx = lc_graph_add_edge(z, x);
	ctx(xy, 1, (const lc_lock *[]){ g, x }, W, 2, 0, NULL);
	ctx(yz, 2, (const lc_lock *[]){ y }, W, 1, 0, NULL);
	ctx(zx, 3, (const lc_lock *[]){ g, z }, W, 2, 0, NULL);
	lc_edge *cycle3[3] = { xy, yz, zx };
	lc_verdict_judge(cycle3, 3, result, NULL, 0);
	CHECK(result->verdict == LC_VERDICT_GUARDED && result->gate == g->id,
	      "3-cycle: a gate between any two acquisitions guards");
	ctx(xy, 4, (const lc_lock *[]){ x }, W, 1, 0, NULL);
	lc_verdict_judge(cycle3, 3, result, NULL, 0);
	CHECK(result->verdict == LC_VERDICT_DEADLOCK_POSSIBLE &&
		      result->chosen[0]->thread == 4,
	      "3-cycle: an ungated context makes it possible");
	CHECK_DONE();
}
