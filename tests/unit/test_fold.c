/*
 * test_fold.c: dead locks leave the graph without losing what they proved.
 *
 * Builds small graphs of made edges (each with one context, as a thread
 * would make them) and folds locks out of them (graph.h: lc_graph_fold):
 * a path through a dead lock becomes a bypass edge whose route names it,
 * a cycle closed later is found through the bypass, a dead lock that no
 * route needs is freed at once, a route already known through another
 * instance of the same class is not kept twice, a direct edge makes a
 * route unnecessary, and folding everything frees everything: ghosts,
 * edges, contexts and records (memory follows the live locks).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "context.h"
#include "graph.h"
#include "registry.h"

static uintptr_t next_addr = 0x7a0000000000ull;

static lc_lock *new_lock(uintptr_t create_pc)
{
	next_addr += 64;
	return lc_registry_create(next_addr, LC_TYPE_MUTEX, 0, create_pc, NULL);
}

/* from -> to made by `thread` (one context, its held set {from}). */
static lc_edge *made(lc_lock *from, lc_lock *to, uint32_t thread)
{
	lc_edge *e = lc_graph_find_edge(from, to);
	if (!e)
		e = lc_graph_add_edge(from, to);
	if (!e)
		return NULL;
	uint32_t items[1] = { from->id << 1 };
	uint64_t h = lc_heldset_hash(items, 1);
	lc_context ctx = {
		.key = lc_context_key(thread, h, NULL, 0, 0),
		.thread = thread,
		.held = lc_heldset_intern(items, 1, h),
		.held_pc = 0x4000 + thread,
	};
	return lc_edge_add_context(e, &ctx) ? e : NULL;
}

static lc_lock *dead(lc_lock *l)
{
	lc_lock *gone = lc_registry_destroy(l->addr);
	if (gone)
		lc_graph_fold(gone);
	return gone;
}

int main(void)
{
	if (lc_arena_init() || lc_registry_init() || lc_graph_init()) {
		printf("FAIL - core init\n");
		return 1;
	}
	lc_graph_lock();
	uint32_t live0 = lc_registry_live();

	/* 1. P -> X -> S, X dies: the bypass P -> S runs through X. */
	lc_lock *p = new_lock(0x100), *s = new_lock(0x200), *x = new_lock(0x300);
	lc_edge *px = made(p, x, 2), *xs = made(x, s, 3);
	CHECK(px && xs, "P -> X and X -> S are made");
	dead(x);
	lc_edge *ps = lc_graph_find_edge(p, s);
	CHECK(ps && lc_edge_is_bypass(ps) && ps->routes &&
		      ps->routes->ghost == x && ps->routes->in_half == px &&
		      ps->routes->out_half == xs && !ps->routes->next,
	      "a dead middle lock leaves a bypass P -> S with one route through it");
	CHECK((atomic_load(&x->state) & LC_LOCK_GHOST) && x->ghost_refs == 1 &&
		      lc_graph_ghost_count() == 1,
	      "the dead lock is kept as a ghost, named by one route");
	CHECK(!lc_graph_find_edge(p, x) && !lc_graph_find_edge(x, s) &&
		      p->out == ps && s->in == ps,
	      "its own edges left the live graph and the index");

	/* 2. S -> P made later closes P -> X -> S -> P through the bypass. */
	lc_edge *path[8];
	CHECK(made(s, p, 4) && lc_graph_find_path(p, s, path, 8) == 1 &&
		      path[0] == ps,
	      "the cycle closed after X died is found through the bypass");

	/* 3. The same path through a new instance of X's class, with the same
	 * evidence (thread, stacks): no second route; the new dead lock is
	 * freed at once. */
	lc_lock *x2 = new_lock(0x300);
	made(p, x2, 2);
	made(x2, s, 3);
	uint32_t edges = lc_graph_edge_count();
	dead(x2);
	CHECK(!ps->routes->next && lc_graph_ghost_count() == 1 &&
		      lc_graph_edge_count() == edges - 2,
	      "a route known through another instance of the class is kept once");

	/* 4. A lock only ever taken last is freed with its edge. */
	lc_lock *leaf = new_lock(0x400);
	made(p, leaf, 2);
	edges = lc_graph_edge_count();
	uint32_t live = lc_registry_live();
	dead(leaf);
	CHECK(lc_graph_edge_count() == edges - 1 && lc_registry_live() == live - 1 &&
		      !(atomic_load(&leaf->state) & LC_LOCK_GHOST),
	      "a dead leaf is freed with its edge, no ghost");

	/* 5. A path through a dead lock between locks already ordered by a
	 * made edge needs no route. */
	lc_lock *a = new_lock(0x500), *b = new_lock(0x600), *m = new_lock(0x700);
	made(a, b, 5);
	made(a, m, 5);
	made(m, b, 6);
	dead(m);
	lc_edge *ab = lc_graph_find_edge(a, b);
	CHECK(ab && !lc_edge_is_bypass(ab) && !ab->routes &&
		      lc_graph_ghost_count() == 1,
	      "a made edge already orders them: no route, the dead lock freed");

	/* 6. Chains: Q -> P, P dies (its bypass P -> S becomes a route's half
	 * of Q -> S), then everything dies: every ghost, edge and record is
	 * freed in the end. */
	lc_lock *q = new_lock(0x800);
	made(q, p, 7);
	dead(p);
	lc_edge *qs = lc_graph_find_edge(q, s);
	CHECK(qs && lc_edge_is_bypass(qs) && qs->routes->ghost == p &&
		      qs->routes->out_half == ps && lc_graph_ghost_count() == 2,
	      "a ghost's bypass edge is the half of a route through the next dead lock");
	dead(q);
	dead(s);
	dead(a);
	dead(b);
	CHECK(lc_graph_ghost_count() == 0 && lc_graph_edge_count() == 0,
	      "once every lock is dead, no ghost and no edge is left");
	CHECK(lc_registry_live() == live0,
	      "and every record was given back");
	lc_graph_unlock();
	CHECK_DONE();
}
