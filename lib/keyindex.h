/*
 * keyindex.h: a growing map from 64-bit keys to pointers, read without a
 * lock, written by one writer at a time (the caller's lock).
 *
 * Open addressing with the keys in the slots, so a probe touches the table
 * alone; Fibonacci hashing on the product's top bits (keys that are
 * consecutive numbers spread evenly). A slot is written value first, then
 * key (release): a reader that sees the key sees the value.
 *
 * Growth: at half full (keys and tombstones) the live keys are copied into a
 * new table (twice the size, or the same size when most of it is tombstones),
 * which is then published. The old table stays mapped, since a reader may
 * still be probing it, but its memory is given back (lc_arena_release): it
 * reads as empty from then on. A reader in an old table can therefore miss a
 * key, never find a wrong one: callers treat a miss as "look again under the
 * lock".
 *
 * Keys 0 (an empty slot) and UINT64_MAX (a tombstone, the mark of a removed
 * key: probes go on past it, an insert may reuse it) cannot be stored.
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
} lc_keyindex;

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
