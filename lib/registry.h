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
 * The map is an open-addressing table of atomic record pointers. Lookups take
 * no lock: one hash and a short probe of the current table (this runs on
 * every lock operation that needs a record). Writes (a new record, a record
 * replaced by a re-initialised lock) take the registry's own mutex, which
 * also grows the table: at 3/4 full the live records are copied into a table
 * twice the size, which is then published. A reader still probing the old
 * table may miss a record made since, or see one replaced since (replaced
 * records are marked destroyed first); either sends it to the slow path,
 * which looks again under the mutex in the current table. Old tables stay
 * mapped (a reader may still be in one) but their memory is given back: they
 * read as empty slots, which send such a reader to the slow path too. Slots are never emptied within a table, so a probe never
 * misses a key the table holds.
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
 * Capacity policy: none of its own. The table grows with the live locks
 * (a growth that finds most slots dead rebuilds at the same size), ids are
 * 32-bit and never reused (about 4 billion lock lifetimes, then new locks
 * are not tracked: the lock-records limit), and records by id live in chunks
 * of a directory; a chunk whose records were all recycled gives its memory
 * back. So memory follows the locks alive now, not the lifetimes so far.
 *
 * Memory per live lock: a 64-byte record, one table slot (16 bytes, at most
 * half the slots are in use after a growth) and 8 bytes in the id directory.
 */
#ifndef LC_REGISTRY_H
#define LC_REGISTRY_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>


typedef enum lc_lock_type {
	LC_TYPE_MUTEX,
	LC_TYPE_RWLOCK,
	LC_TYPE_SPIN,
	LC_TYPE_MTX, /* C11 mtx_t */
	LC_TYPE_COND, /* a condition variable: a record only when a finding
		       * speaks of it (objtable.h), never in the graph */
	LC_TYPE_GMUTEX,    /* GLib's GMutex (futex-based on Linux) */
	LC_TYPE_BITLOCK,   /* one bit of an int or pointer: g_bit_lock,
			    * g_pointer_bit_lock (key: lc_bitlock_key) */
	LC_TYPE_CUSTOM,    /* a program's own lock, through the annotations */
	LC_TYPE_CUSTOM_RW, /* ... one that is also taken shared (a reader) */
	LC_TYPE_COUNT
} lc_lock_type;

/* A bit lock's key: the address of its word with the bit number plus one
 * in bits 48-54, so that each bit of a word is a lock of its own. x86-64
 * user addresses are below 2^47, so no other lock's key has those bits;
 * the low bits stay the word's (even: event.c marks abandoned held entries
 * in bit 0). Reports show the word's address (lc_lock_memory) and the bit. */
#define LC_BITLOCK_SHIFT 48
static inline uintptr_t lc_bitlock_key(const void *word, unsigned bit)
{
	return (uintptr_t)word | (uintptr_t)(bit + 1) << LC_BITLOCK_SHIFT;
}
/* The memory a lock key names: the key itself, or a bit lock's word. */
static inline uintptr_t lc_lock_memory(uintptr_t key)
{
	return key & (((uintptr_t)1 << LC_BITLOCK_SHIFT) - 1);
}
/* A bit lock key's bit number, or -1 for any other key. */
static inline int lc_lock_bit(uintptr_t key)
{
	return (int)(key >> LC_BITLOCK_SHIFT) - 1;
}

/* Locks that have read (shared) and write modes. */
static inline int lc_type_has_modes(unsigned type)
{
	return type == LC_TYPE_RWLOCK || type == LC_TYPE_CUSTOM_RW;
}

struct lc_edge;

/* lc_lock.state: set once each, never cleared. */
#define LC_LOCK_DESTROYED 1 /* destroyed: the next use starts a new record */
#define LC_LOCK_TYPED 2     /* kind known (not: created by lockcheck_name) */
#define LC_LOCK_TAGGED 4    /* its tag is in the lock object (see above) */
#define LC_LOCK_FOLDED 8    /* dead, and out of the live graph (graph.c) */
#define LC_LOCK_GHOST 16    /* dead, kept as the middle of bypass edges */
#define LC_LOCK_NOTED 32    /* counted as an instance of its class
			     * (lockclass.h); cleared when it is named */


typedef struct lc_lock {
	uintptr_t addr;
	uint32_t id;          /* 1-based serial, never reused */
	uint8_t type;         /* lc_lock_type */
	uint8_t recursive;
	_Atomic uint8_t state;   /* LC_LOCK_* bits, read in one load */
	uintptr_t create_pc;  /* call site of init, or of first acquisition */
	const char *_Atomic name; /* given by lockcheck_name, or NULL */
	_Atomic uint32_t rank;   /* lockcheck_rank, 0 = none */
	_Atomic int32_t order_pos; /* line in the order file: 0 not looked
				    * up yet, -1 not listed, else 1-based */

	/* Graph fields, written only under the graph lock (graph.c). A ghost
	 * (a dead lock that bypass edges run through) has left the order, so
	 * its `ord` counts the bypass routes that still name it instead. */
	struct lc_edge *out;  /* edges this -> other */
	struct lc_edge *in;   /* edges other -> this */
	union {
		uint32_t ord;        /* live: position in the topological order */
		uint32_t ghost_refs; /* ghost: routes (graph.c) through it */
	};
	uint32_t mark;        /* search epoch that last visited this node */
} lc_lock;

/* Allocates the table. 0 or -1. Called once from lc_init. */
int lc_registry_init(void);
/* Was the lock destroyed (its address may now hold a new lock)? */
static inline int lc_lock_destroyed(const lc_lock *l)
{
	return atomic_load_explicit(&l->state, memory_order_relaxed) &
	       LC_LOCK_DESTROYED;
}

/* The table (registry.c); the lookups below are inline because they run on
 * every lock operation. */
/* A slot keeps its address beside the record, so a probe reads the table
 * alone (a record pointer would cost a cache miss per probed slot). The
 * address is written once, after the record (release): a reader that sees
 * it sees a record. The record changes when the lock is re-created, and is
 * NULL once the lock is destroyed. */
typedef struct lc_registry_slot_t {
	_Atomic uintptr_t addr;
	lc_lock *_Atomic lock;
} lc_registry_slot_t;

typedef struct lc_registry_table {
	uint32_t mask;             /* slots - 1, a power of two minus one */
	uint32_t shift;            /* 64 - log2(slots) */
	uint32_t used;             /* slots with an address (registry mutex) */
	lc_registry_slot_t slots[];
} lc_registry_table;
extern lc_registry_table *_Atomic lc_registry_current;

static inline uint32_t lc_registry_slot(const lc_registry_table *t,
					uintptr_t addr)
{
	/* Locks are at least 4-byte aligned and often a fixed stride apart:
	 * Fibonacci hashing, which spreads any arithmetic sequence of keys
	 * evenly, but only in the product's top bits. */
	return (uint32_t)(((uint64_t)addr * 0x9E3779B97F4A7C15ull) >> t->shift);
}

/* The record the table holds for addr (live, or destroyed but not yet
 * marked so in the table), or NULL if none. Lock-free. */
static inline lc_lock *lc_registry_find(uintptr_t addr)
{
	const lc_registry_table *t =
		atomic_load_explicit(&lc_registry_current, memory_order_acquire);
	for (uint32_t i = lc_registry_slot(t, addr);; i = (i + 1) & t->mask) {
		uintptr_t a = atomic_load_explicit(&t->slots[i].addr,
						   memory_order_acquire);
		if (a == addr)
			return atomic_load_explicit(&t->slots[i].lock,
						    memory_order_acquire);
		if (!a)
			return NULL;
	}
}

static inline uintptr_t lc_registry_tag_value(const lc_lock *r)
{
	return (uintptr_t)0x4c43ull << 48 | r->id; /* "LC" and the id */
}

/* The id of the record whose value the tag word holds, or 0. "LC" in the
 * top 16 bits cannot be a pointer (x86-64 addresses are canonical), nor
 * anything glibc leaves in the borrowed words. The lock must be live (held,
 * or being acquired by the caller). */
static inline uint32_t lc_registry_tag_id(const uintptr_t *tag)
{
	uintptr_t v = tag ? *(const volatile uintptr_t *)tag : 0;
	return (v >> 32) == (uintptr_t)0x4c43ull << 16 ? (uint32_t)v : 0;
}

/* The id of addr's live record, by a lock-free probe, or 0 (unknown,
 * destroyed, or its record just reused): the chain cache's id for a lock
 * without a tag word (a spinlock, a GMutex, a bit lock, an annotated
 * lock), whose identity is its address's current record anyway. A record
 * replaced since gives an id the chain cache has not seen with this
 * sequence (ids are never reused): the full path then runs. */
static inline uint32_t lc_registry_live_id(uintptr_t addr)
{
	lc_lock *r = lc_registry_find(addr);
	if (!r)
		return 0;
	uint8_t state = atomic_load_explicit(&r->state, memory_order_acquire);
	if ((state & (LC_LOCK_DESTROYED | LC_LOCK_TYPED)) != LC_LOCK_TYPED ||
	    r->addr != addr)
		return 0;
	return r->id;
}

/* What a destroy leaves in the lock's tag word ("LD"): the memory was a
 * lock that was destroyed and not initialised since (an init, a static
 * initialiser or any new object written over it clears it). */
#define LC_TAG_DESTROYED ((uintptr_t)0x4c44ull << 48)
static inline int lc_registry_tag_destroyed(const uintptr_t *tag)
{
	return tag && *(const volatile uintptr_t *)tag == LC_TAG_DESTROYED;
}

/* The slow part of lc_registry_get: r is what the table holds for addr
 * (or NULL). */
lc_lock *lc_registry_get_slow(lc_lock *r, uintptr_t addr, lc_lock_type type,
			      int recursive, uintptr_t create_pc, uintptr_t *tag);

/* Returns the live record for addr, creating it (with type, recursive and
 * create_pc) if the address is new, its lock was destroyed, or (tag not NULL)
 * the tag word no longer holds the record's value. NULL when the arena is
 * exhausted. Thread safe; lock-free unless a record is made. The common case, a known live lock
 * whose tag is intact, is a probe and three loads. */
static inline lc_lock *lc_registry_get(uintptr_t addr, lc_lock_type type,
				       int recursive, uintptr_t create_pc,
				       uintptr_t *tag)
{
	lc_lock *r = lc_registry_find(addr);
	if (__builtin_expect(r != NULL, 1)) {
		uint8_t state = atomic_load_explicit(&r->state, memory_order_acquire);
		/* (A record reused for another lock since the probe has
		 * another address.) */
		if (__builtin_expect((state & (LC_LOCK_DESTROYED | LC_LOCK_TYPED)) ==
					     LC_LOCK_TYPED &&
				     r->addr == addr &&
				     (!tag || !(state & LC_LOCK_TAGGED) ||
				      *(const volatile uintptr_t *)tag ==
					      lc_registry_tag_value(r)),
			     1))
			return r;
	}
	return lc_registry_get_slow(r, addr, type, recursive, create_pc, tag);
}

/* Writes the record's value into the lock's tag word, once. The caller holds
 * the lock (so the lock's memory is live and not being re-initialised). */
static inline void lc_registry_tag(lc_lock *r, uintptr_t *tag)
{
	if (!tag || (atomic_load_explicit(&r->state, memory_order_relaxed) &
		     LC_LOCK_TAGGED))
		return;
	*(volatile uintptr_t *)tag = lc_registry_tag_value(r);
	atomic_fetch_or_explicit(&r->state, LC_LOCK_TAGGED, memory_order_release);
}
/* Starts a new record for addr (an init on a fresh or reused address). */
lc_lock *lc_registry_create(uintptr_t addr, lc_lock_type type, int recursive,
			    uintptr_t create_pc, uintptr_t *tag);
/* Gives the lock a name (copied; at most LC_LOCK_NAME_MAX - 1 bytes). */
#define LC_LOCK_NAME_MAX 64
void lc_registry_name(lc_lock *r, const char *name);
/* Marks addr's record destroyed: the next use of the address starts anew.
 * Returns that record, or NULL if there was none. */
lc_lock *lc_registry_destroy(uintptr_t addr);
/* The record of a dead lock (destroyed, or replaced by a new lock at its
 * address) may be reused for a new lock once nothing in the graph names it
 * (no edges left: graph.c folded it). Its id is retired: lc_registry_by_id
 * gives NULL for it, and a directory chunk whose ids are all retired gives
 * its memory back. A thread that still holds the dead lock (a misuse,
 * reported as destroy-locked) keeps a pointer to a record that may now
 * describe another lock: its entry is then judged by address, as any entry. */
void lc_registry_recycle(lc_lock *r);
/* Records replaced by a new record at their address without a destroy
 * (init of a live address, memory re-initialised or reused): up to max of
 * them into out, each once, for the caller to fold out of the graph
 * (graph.c) under the graph lock. Returns how many. */
unsigned lc_registry_take_replaced(lc_lock **out, unsigned max);
/* Number of records created so far; records are numbered 1..count. */
uint32_t lc_registry_count(void);
/* Records in use now (created and not yet recycled): what the graph's
 * searches may visit. */
uint32_t lc_registry_live(void);
/* Fork: take the registry mutex before fork, release it in parent and
 * child. */
void lc_registry_fork_prepare(void);
void lc_registry_fork_release(void);
/* Record number id (1-based), or NULL if it does not exist (yet).
 * Lock-free. */
lc_lock *lc_registry_by_id(uint32_t id);
/* The first id after `after` that may have a record (ids of a chunk whose
 * records were all recycled are skipped without reading it), or 0 past the
 * last: for walks over every record. Registry mutex or a single thread. */
uint32_t lc_registry_next_id(uint32_t after);
/* A short name of a lock type: "mutex", "recursive-mutex", ... */
const char *lc_lock_type_name(const lc_lock *lock);
/* The name of a kind of lock (lc_lock_type) in the end event's count of
 * lock calls by kind: "mutex", "gmutex", "custom", ... */
const char *lc_lock_kind_name(unsigned type);

#endif
