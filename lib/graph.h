/*
 * graph.h: the lock-order graph.
 *
 * Nodes are lock records (registry.h); an edge A -> B says some thread
 * acquired B while holding A. Each edge keeps the distinct contexts in which
 * it was made (context.h): thread, held set, clock, modes, and stacks.
 *
 * Lookup of an edge is lock-free (an open-addressing index that grows,
 * graph.c), so a thread can ask "is A -> B known?" without the graph lock;
 * everything else runs under the graph lock.
 *
 * Dead locks leave the graph (lc_graph_fold): the graph holds the locks alive
 * now, and what dead ones proved is kept without them. Every path
 * P -> dead -> S becomes a bypass edge P -> S whose routes name the dead lock
 * (a "ghost", kept while a route names it) and its two edges, so a cycle
 * that the graph of every lock ever made would find is still found, and is
 * reported through the dead lock (detect_order.c expands the routes). A dead
 * lock that no route needs (one that was only ever taken last, or first:
 * most short-lived locks) is freed at once with its edges and contexts, and
 * its edges live on as per-class summaries (lockclass.h) for the exit-time
 * graph event.
 *
 * Cycle detection is online and incremental (Pearce-Kelly, as in Abseil's
 * graphcycles): the nodes carry a topological order `ord`; an edge that agrees
 * with it costs O(1); an edge against it reorders only the nodes between the
 * two positions, and that search is itself the cycle test. An edge that closes
 * a cycle is kept (it is a real observed order) but marked `inverted` and left
 * out of the order. While inverted edges exist, a new edge may close a cycle
 * through one of them, so the caller then runs a path search over all edges,
 * unless the ords prove that no such path can exist.
 *
 * Locking: lc_graph_lock()/unlock() around every call except
 * lc_graph_find_edge().
 */
#ifndef LC_GRAPH_H
#define LC_GRAPH_H

#include <stdatomic.h>
#include <stdint.h>

#include "context.h"
#include "registry.h"

struct lc_context;
struct lc_cycle_ref;
struct lc_edge;

/* One way a bypass edge P -> S was proven: through the dead lock `ghost`, by
 * its edges P -> ghost and ghost -> S (each itself an edge with contexts,
 * or a bypass edge). */
typedef struct lc_route {
	struct lc_route *next;
	lc_lock *ghost;
	struct lc_edge *in_half, *out_half;
	uint64_t key; /* what tells two routes apart (graph.c) */
} lc_route;

/* Routes kept per bypass edge; more are counted as the bypass-routes
 * limit (the first ones are enough for the cycle; later ones could only
 * give a cycle through it other threads to choose from). */
#define LC_BYPASS_ROUTES 8

typedef struct lc_edge {
	lc_lock *from, *to;
	struct lc_edge *next_out;  /* in from->out */
	struct lc_edge *next_in;   /* in to->in */
	/* How it was made (context.h): the first context in place (most
	 * edges have one, and a lookup then reads the edge alone), the rest
	 * listed from first.next. */
	lc_context first;
	struct lc_context *_Atomic *last_link; /* the link to the last one */
	_Atomic uint32_t n_contexts;
	uint32_t dropped_contexts;
	struct lc_cycle_ref *cycles; /* reported cycles through it whose
				      * verdict may still change */
	lc_route *routes;          /* a bypass edge: its routes; else NULL */
	uint8_t inverted;          /* closed a cycle: outside the order */
	uint8_t retired;           /* out of the lookup index (graph.c) */
} lc_edge;

/* Was the edge made by a thread (it has contexts), or is it only a bypass
 * through dead locks? An edge can be both: then it is judged as made. */
static inline int lc_edge_is_bypass(const lc_edge *e)
{
	return atomic_load_explicit(&e->n_contexts, memory_order_relaxed) == 0 &&
	       e->routes != NULL;
}

/* Prepares the graph (its tables start empty and grow). 0 or -1. Called
 * once from lc_init. */
int lc_graph_init(void);
void lc_graph_lock(void);
void lc_graph_unlock(void);
/* Returns the edge from -> to, or NULL. Lock-free, any thread. */
lc_edge *lc_graph_find_edge(const lc_lock *from, const lc_lock *to);
/* Adds the edge from -> to, with no context yet, and places it in the
 * order. Returns the new edge, or NULL when out of memory. The edge must not
 * exist yet. Graph lock. */
lc_edge *lc_graph_add_edge(lc_lock *from, lc_lock *to);
/* The lock is dead (destroyed, or replaced by a new lock at its address):
 * its edges leave the live graph, each path through it becomes a bypass
 * edge, its edges are summarised by class (lockclass.h), and what no bypass
 * needs is freed (the record too). Once per lock; a ghost stays until no
 * route names it. Graph lock. */
void lc_graph_fold(lc_lock *dead);
/* Folds the records the registry replaced without a destroy
 * (lc_registry_take_replaced). Graph lock. */
void lc_graph_fold_replaced(void);
/* Can edge e, just added, lie on a cycle? True if it is inverted, or if an
 * inverted edge exists that a path through e could use (graph.c; when
 * unsure, true). Graph lock. */
int lc_graph_cycle_possible(const lc_edge *e);
/* Shortest path from -> ... -> to over all edges (breadth first). Stores up to
 * max edges in path, in order, and returns the path's length, or 0 if there is
 * no path or it is longer than max. Graph lock. */
unsigned lc_graph_find_path(lc_lock *from, lc_lock *to, lc_edge **path,
			    unsigned max);
/* Number of edges (in the live graph or kept by ghosts), of inverted
 * edges, and of ghosts. Graph lock. */
uint32_t lc_graph_edge_count(void);
uint32_t lc_graph_inverted_count(void);
uint32_t lc_graph_ghost_count(void);
/* Fork: take the graph lock before fork, release it in parent and child. */
void lc_graph_fork_prepare(void);
void lc_graph_fork_release(void);

#endif
