/*
 * context.h: the contexts in which an edge of the lock-order graph was made.
 *
 * An edge A -> B says "some thread took B while holding A". Whether a cycle of
 * such edges can deadlock depends on how each was made: by which thread, what
 * else that thread held (a lock held at two acquisitions is a gate that keeps
 * them apart), where the thread stood in create/join order (clock.h), and in
 * which modes A was held and B wanted. A context records exactly that, with
 * the stacks to show. Each edge keeps up to LC_EDGE_CONTEXTS distinct ones.
 *
 * Held sets (the locks held at an acquisition, each with its mode) are
 * interned: the same set is stored once and compared by pointer. A set
 * counts the contexts that name it and is freed with the last one (sets
 * that name short-lived locks would otherwise pile up with lifetimes).
 *
 * Capacity policy: an edge keeps its first LC_EDGE_CONTEXTS - 1 distinct
 * contexts and, in the last place, the newest one: each later context
 * replaces that one (and is counted as dropped; the one replaced is freed
 * and forgotten, so an edge's memory stays bounded however many contexts
 * a long run makes). The oldest show where an
 * order began; the newest is the one most likely to run at the same time as
 * a reversed acquisition made now (a program whose threads come and go in
 * waves makes a new context per thread). A verdict other than
 * deadlock-possible on a cycle through such an edge says that contexts were
 * dropped.
 *
 * Memory: an edge's first context lives in the edge itself (graph.h), so
 * an edge made in one context (most edges) is one allocation, and the
 * lookup below reads one object; later ones are allocated and listed
 * from it.
 *
 * Locking: lookups (lc_edge_has_context) are lock-free: they read the edge's
 * first key and the context index, never the lists. Contexts lists are
 * walked and changed only under the graph lock.
 */
#ifndef LC_CONTEXT_H
#define LC_CONTEXT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"

#define LC_EDGE_CONTEXTS 1024

struct lc_edge;

typedef struct lc_heldset {
	struct lc_heldset *next; /* intern table chain, or free list */
	uint64_t hash;
	uint32_t n;
	uint32_t refs;           /* contexts that name it (graph lock) */
	uint32_t items[];        /* sorted: lock id << 1 | held for reading */
} lc_heldset;

typedef struct lc_context {
	struct lc_context *_Atomic next;
	uint64_t key;              /* lc_context_key of the fields below */
	uint32_t thread;
	uint32_t role;             /* the thread's role (role.h) */
	uint8_t held_shared;       /* `from` held for reading */
	uint8_t shared;            /* `to` wanted for reading */
	const lc_heldset *held;    /* everything held, `from` included */
	const lc_heldset *classes; /* the same as lock classes (lockclass.h:
				    * class id << 1 | read), for judging
				    * across processes; NULL if unknown */
	const lc_clock *clock;
	uint32_t stack;            /* acquisition of `to` */
	uint32_t held_stack;       /* acquisition of `from` (full_stacks), or 0 */
	uintptr_t held_pc;         /* call site of the acquisition of `from` */
} lc_context;

/* Hash of a held set (items sorted). */
uint64_t lc_heldset_hash(const uint32_t *items, uint32_t n);
/* The interned set equal to items[0..n) with that hash; NULL if out of
 * memory. A set no context names yet is freed at the next intern that
 * finds it still unnamed (graph lock held throughout, so the caller's set
 * lives until it adds its contexts). Graph lock. */
const lc_heldset *lc_heldset_intern(const uint32_t *items, uint32_t n,
				    uint64_t hash);
/* lc_heldset_intern, and the caller holds a reference to the set (the next
 * intern cannot free it) until lc_heldset_release. For a second set made
 * on the same path (the held locks' classes). Graph lock. */
const lc_heldset *lc_heldset_intern_ref(const uint32_t *items, uint32_t n,
					uint64_t hash);
/* Drops a reference taken by lc_heldset_intern_ref or lc_heldset_hold. */
void lc_heldset_release(const lc_heldset *set);
/* Takes a reference to a set (a class summary keeps one). */
void lc_heldset_hold(const lc_heldset *set);
/* Contexts ever added to edges (graph lock, read racily at exit). */
uint32_t lc_context_count(void);
/* Bytes of the held-set intern table's buckets (outside the arena). */
size_t lc_heldset_table_bytes(void);
/* A lock held in both sets in modes that exclude each other (not both
 * read), as its id; 0 if none. */
uint32_t lc_heldset_common(const lc_heldset *a, const lc_heldset *b);
/* The identity of a context, for de-duplication. */
uint64_t lc_context_key(uint32_t thread, uint64_t held_hash,
			const lc_clock *clock, int held_shared, int shared);
/* Was a context with this key ever added to edge e? Lock-free, one probe
 * of the context index (context.c). */
int lc_edge_has_context(const struct lc_edge *e, uint64_t key);
/* Appends a copy of *ctx to e (when full, in place of the newest; see the
 * capacity policy). Returns the copy, or NULL when out of memory. Graph
 * lock. */
const lc_context *lc_edge_add_context(struct lc_edge *e,
				      const lc_context *ctx);
/* The first (oldest) context of e, or NULL. */
const lc_context *lc_edge_first_context(const struct lc_edge *e);
/* e leaves the graph (graph.c): its contexts leave the context index and
 * go to a free list that lc_edge_add_context takes from first. Graph
 * lock. */
void lc_edge_free_contexts(struct lc_edge *e);

#endif
