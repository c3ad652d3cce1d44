/*
 * lockclass.h: lock classes, and what dead locks' edges leave behind.
 *
 * A lock instance lives from its init (or first use) to its destroy; its
 * class is what the program is made of: the lock's name (lockcheck_name),
 * else, for a static or global lock, its address (its identity is its
 * symbol), else its creation site (the call site of its init or first use)
 * with its type. Locks made on two lines of one function are two classes;
 * the per-object locks made at one line are one, as in lockdep.
 *
 * The live graph is made of instances (exact cycles, no class false alarm).
 * When an instance dies, its edges leave the graph (graph.c) and are added
 * here to a summary per pair of classes: how many contexts made it, and the
 * first one's thread and stacks. The exit-time graph event lists the live
 * edges and these summaries, so `lockcheck order` learns the order of locks
 * that were destroyed long before exit.
 *
 * Memory: one entry per class met in a dead edge and one per distinct pair
 * of such classes, with at most LC_CLASS_CONTEXTS role contexts each (the
 * distinct thread roles, modes and held classes that made it, which the CLI
 * needs to judge cycles across processes): it follows the program's code,
 * never its run time.
 * Capacity policy: the tables grow; when memory runs out, a summary is not
 * kept (the memory limit, said once by the arena).
 *
 * Locking: the graph lock, for every function here.
 */
#ifndef LC_LOCKCLASS_H
#define LC_LOCKCLASS_H

#include <stdint.h>

#include "context.h"
#include "graph.h"
#include "registry.h"

typedef struct lc_class {
	uint64_t key;
	uint32_t id;          /* 1-based, in the order classes were met */
	uint8_t type;         /* lc_lock_type */
	uint8_t recursive;
	uintptr_t create_pc;
	uintptr_t addr;       /* a static lock's address, else 0 */
	const char *name;     /* lockcheck_name, or NULL */
	uint32_t one_lock;    /* the record id of the first instance that
			       * took part in lock order */
	uint8_t many;         /* another instance did too: per-object locks,
			       * which across processes may be different
			       * locks (class-cycle, tools/suite.c) */
} lc_class;

/* How the dead edges of one class pair were made, as the CLI judges edges
 * across processes: role, modes and held classes (context.h). */
typedef struct lc_class_context {
	uint32_t role;
	uint8_t held_shared, shared;
	const lc_heldset *classes;   /* a reference is held */
} lc_class_context;

/* Distinct role contexts kept per class pair; more are counted. */
#define LC_CLASS_CONTEXTS 16

/* The summary of the dead edges from one class to another. */
typedef struct lc_class_edge {
	uint32_t from, to;    /* class ids */
	uint32_t count;       /* contexts that made them, summed */
	uint32_t thread;      /* the first context's */
	uint32_t stack, held_stack;
	uintptr_t held_pc;
	lc_class_context *contexts; /* LC_CLASS_CONTEXTS places, or NULL */
	uint8_t n_contexts;
	uint32_t contexts_dropped;
} lc_class_edge;

/* The class of a lock (interned); NULL when out of memory. */
const lc_class *lc_class_of(const lc_lock *l);
/* Lock l took part in an edge (a new one): counts it among its class's
 * instances. */
void lc_class_note_instance(const lc_lock *l);
/* Adds edge e, which leaves the graph, to its classes' summary. */
void lc_class_summarise(const lc_edge *e);
/* Class number id (1..lc_class_count()), or NULL. */
const lc_class *lc_class_by_id(uint32_t id);
uint32_t lc_class_count(void);
/* Calls fn for every summary, in no particular order. */
void lc_class_for_each_edge(void (*fn)(const lc_class_edge *ce, void *arg),
			    void *arg);
/* A record-shaped copy of a class, for describe.h (an address that names
 * its symbol, or none, and the creation site). */
void lc_class_as_lock(const lc_class *c, lc_lock *out);

#endif
