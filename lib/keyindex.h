/*
 * keyindex.h: a growing map from 64-bit keys to pointers, read without a
 * lock, written by one writer at a time (the caller's lock).
 *
 * Open addressing with the keys in the slots, so a probe touches the table
 * alone; Fibonacci hashing on the product's top bits (keys that are
 * consecutive numbers spread evenly). A slot is written value first, then
 * key (release): a reader that sees the key sees the value.
 *
 * Growth: at three quarters full (keys and tombstones) the live keys are
 * copied into a new table (twice the size, or the same size when most of it
 * is tombstones), which is then published. (Three quarters, not half: the
 * edge index is a large part of each edge's memory, and a table between 3/8
 * and 3/4 full costs two thirds of one between 1/4 and 1/2; a miss then
 * probes a few more slots of the same cache lines.) The old table stays mapped, since a reader may
 * still be probing it, but its memory is given back (lc_arena_release): it
 * reads as empty from then on. A reader in an old table can therefore miss a
 * key, never find a wrong one: callers treat a miss as "look again under the
 * lock".
 *
 * Keys 0 (an empty slot) and UINT64_MAX (a tombstone, the mark of a removed
 * key: probes go on past it, an insert may reuse it) cannot be stored.
 *
 * Reuse of old tables (a minimal RCU): a program that makes and destroys
 * locks under a long-lived one inserts and removes keys forever, so the
 * table is rebuilt (at the same size) again and again, and a new table each
 * time would grow memory with run time. So the last old table is kept as a
 * spare and reused for a rebuild of its size once no reader can still be in
 * it: readers that want that announce themselves around their lookups
 * (lc_keyindex_read_begin/end, one store and a fence), and the writer asks
 * the callback given to lc_keyindex_quiescence whether any reader began
 * before the spare was retired. Without a callback (or while a reader may
 * be in it) the old table's pages are given back as before.
 *
 * Used by the edge index (graph.c) and the context index (context.c).
 */
#ifndef LC_KEYINDEX_H
#define LC_KEYINDEX_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define LC_KEYINDEX_TOMBSTONE UINT64_MAX

typedef struct lc_keyindex_slot {
	_Atomic uint64_t key;
	void *_Atomic value;
} lc_keyindex_slot;

typedef struct lc_keyindex_table {
	uint32_t mask;  /* slots - 1 */
	uint32_t shift; /* 64 - log2(slots) */
	uint32_t used;  /* slots with a key or a tombstone (writer only) */
	uint32_t live;  /* slots with a key (writer only) */
	lc_keyindex_slot slots[];
} lc_keyindex_table;

typedef struct lc_keyindex {
	lc_keyindex_table *_Atomic current;
	lc_keyindex_table *spare;  /* the last table retired (writer only) */
	uint64_t spare_epoch;      /* the epoch it was retired in */
} lc_keyindex;

/* The epoch readers announce (see above); starts at 1, grows at each
 * retirement. */
extern _Atomic uint64_t lc_keyindex_epoch;

/* A reader about to look keys up lock-free stores the current epoch in its
 * own slot (then a fence, so that a writer that does not see the store
 * has published its new table before the reader loads it). */
static inline void lc_keyindex_read_begin(_Atomic uint64_t *slot)
{
	atomic_store_explicit(slot,
			      atomic_load_explicit(&lc_keyindex_epoch,
						   memory_order_relaxed),
			      memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
}

/* The reader holds no pointer into a table any more. */
static inline void lc_keyindex_read_end(_Atomic uint64_t *slot)
{
	atomic_store_explicit(slot, 0, memory_order_release);
}

/* Sets the callback that says whether some reader's announced epoch is
 * nonzero and below `epoch` (then a table retired in `epoch` may still be
 * read). Called once at start-up. */
void lc_keyindex_quiescence(int (*readers_before)(uint64_t epoch));

static inline uint32_t lc_keyindex_home(const lc_keyindex_table *t,
					uint64_t key)
{
	return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> t->shift);
}

/* The value stored under key, or NULL if none is (or if the reader raced
 * with a growth). Lock-free, any thread. */
static inline void *lc_keyindex_get(lc_keyindex *x, uint64_t key)
{
	const lc_keyindex_table *t =
		atomic_load_explicit(&x->current, memory_order_acquire);
	if (!t)
		return NULL;
	for (uint32_t i = lc_keyindex_home(t, key);; i = (i + 1) & t->mask) {
		uint64_t k = atomic_load_explicit(&t->slots[i].key,
						  memory_order_acquire);
		if (k == key)
			return atomic_load_explicit(&t->slots[i].value,
						    memory_order_relaxed);
		if (!k)
			return NULL;
	}
}

/* Stores value (not NULL) under key, which must not be present. Returns 0,
 * or -1 when out of memory with the table full. Writer's lock held. */
int lc_keyindex_put(lc_keyindex *x, uint64_t key, void *value);
/* Removes key (a tombstone takes its place), if present. Writer's lock
 * held. */
void lc_keyindex_remove(lc_keyindex *x, uint64_t key);

#endif
