/*
 * registry.h: lock address -> lock record.
 *
 * Every lock the program uses gets one record the first time the core sees it
 * (its init, or its first acquisition for statically initialised locks). The
 * record is the lock's identity in the graph: a per-process serial `id`, its
 * type, whether it is recursive, and the call site that created it. When a
 * lock is destroyed and its memory later initialised again, the address maps
 * to a new record (a new node): the old lock's history does not leak into the
 * new one.
 *
 * The map is an open-addressing table of atomic record pointers, read and
 * written without any lock: lookups are one hash and a short probe (this runs
 * on every lock operation), inserts are a compare-and-swap into an empty slot.
 * Slots are never emptied, so a probe never misses a present key.
 *
 * Address reuse without destroy (C++ std::mutex never calls it; C code frees
 * memory holding a lock): where the interposer can lend a word of the lock
 * object that the lock implementation never uses (a "tag"), the record
 * writes its own value there while the lock is held. Memory re-initialised
 * as a new lock (by init, by a static initialiser, by memset) no longer
 * carries the value, and the next acquisition starts a new record. The tag is
 * written before `tagged` is published (release), and read after `tagged`
 * (acquire), so a thread that races with the first holder never mistakes a
 * tag not yet written for a reused lock.
 *
 * Capacity policy: LC_REGISTRY_SLOTS slots; once 3/4 are used, new lock
 * addresses are not tracked, which is said once on stderr.
 */
#ifndef LC_REGISTRY_H
#define LC_REGISTRY_H

#include <stdatomic.h>
#include <stdint.h>

#define LC_REGISTRY_SLOTS ((uint32_t)1 << 21)
#define LC_MAX_LOCKS (LC_REGISTRY_SLOTS / 4 * 3)

typedef enum lc_lock_type {
	LC_TYPE_MUTEX,
	LC_TYPE_RWLOCK,
	LC_TYPE_SPIN,
	LC_TYPE_MTX, /* C11 mtx_t */
} lc_lock_type;

struct lc_edge;

typedef struct lc_lock {
	uintptr_t addr;
	uint32_t id;          /* 1-based serial, never reused */
	uint8_t type;         /* lc_lock_type */
	uint8_t recursive;
	_Atomic uint8_t destroyed;
	_Atomic uint8_t tagged;  /* its tag is in the lock object (see above) */
	uintptr_t create_pc;  /* call site of init, or of first acquisition */
	const char *_Atomic name; /* given by lockcheck_name, or NULL */
	_Atomic uint8_t typed;   /* type known (0: created by naming) */
	_Atomic uint32_t rank;   /* lockcheck_rank, 0 = none */
	_Atomic int32_t order_pos; /* line in the order file: 0 not looked
				    * up yet, -1 not listed, else 1-based */

	/* Graph fields, written only under the graph lock (graph.c). */
	struct lc_edge *out;  /* edges this -> other */
	struct lc_edge *in;   /* edges other -> this */
	uint32_t ord;         /* position in the topological order */
	uint32_t mark;        /* search epoch that last visited this node */
	struct lc_edge *via;  /* path search: the edge that reached this node */
} lc_lock;

/* Allocates the table. 0 or -1. Called once from lc_init. */
int lc_registry_init(void);
/* Returns the live record for addr, creating it (with type, recursive and
 * create_pc) if the address is new, its lock was destroyed, or (tag not NULL)
 * the tag word no longer holds the record's value. NULL when the table or the
 * arena is full. Lock-free, thread safe. */
lc_lock *lc_registry_get(uintptr_t addr, lc_lock_type type, int recursive,
			 uintptr_t create_pc, uintptr_t *tag);
/* Writes the record's value into the lock's tag word, once. The caller holds
 * the lock (so the lock's memory is live and not being re-initialised). */
void lc_registry_tag(lc_lock *r, uintptr_t *tag);
/* Returns the live record for addr, or NULL if none. Lock-free. */
lc_lock *lc_registry_find(uintptr_t addr);
/* Starts a new record for addr (an init on a fresh or reused address). */
lc_lock *lc_registry_create(uintptr_t addr, lc_lock_type type, int recursive,
			    uintptr_t create_pc, uintptr_t *tag);
/* Gives the lock a name (copied; at most LC_LOCK_NAME_MAX - 1 bytes). */
#define LC_LOCK_NAME_MAX 64
void lc_registry_name(lc_lock *r, const char *name);
/* Marks addr's record destroyed: the next use of the address starts anew. */
void lc_registry_destroy(uintptr_t addr);
/* Number of records created so far; records are numbered 1..count. */
uint32_t lc_registry_count(void);
/* Record number id (1-based), or NULL if it does not exist (yet). */
lc_lock *lc_registry_by_id(uint32_t id);
/* A short name of a lock type: "mutex", "recursive-mutex", ... */
const char *lc_lock_type_name(const lc_lock *lock);

#endif
