/*
 * keyindex.c: inserts, removals and growth of the key index (keyindex.h).
 * Everything here runs under the caller's writer lock.
 */
#include "keyindex.h"

#include <string.h>

#include "arena.h"

#define FIRST_SLOTS ((uint32_t)1 << 12)

_Atomic uint64_t lc_keyindex_epoch = 1;
static int (*readers_before)(uint64_t epoch);
static lc_keyindex_table *new_table(uint32_t slots);

void lc_keyindex_quiescence(int (*fn)(uint64_t epoch))
{
	readers_before = fn;
}

static size_t table_bytes(uint32_t slots)
{
	return sizeof(lc_keyindex_table) +
	       (size_t)slots * sizeof(lc_keyindex_slot);
}

/* A zeroed table of n slots: the spare if it has that size and no reader
 * can be in it, else new memory. */
static lc_keyindex_table *take_table(lc_keyindex *x, uint32_t n)
{
	lc_keyindex_table *s = x->spare;
	if (s && s->mask + 1 == n && readers_before &&
	    !readers_before(x->spare_epoch)) {
		x->spare = NULL;
		memset(s, 0, table_bytes(n));
		s->mask = n - 1;
		s->shift = 64 - (uint32_t)__builtin_ctz(n);
		return s;
	}
	return new_table(n);
}

/* Retires table t, just replaced: it becomes the spare (the older spare's
 * pages go back), or, with no way to know its readers, its pages go back. */
static void retire(lc_keyindex *x, lc_keyindex_table *t)
{
	if (!readers_before) {
		lc_arena_release_pages(t, table_bytes(t->mask + 1));
		return;
	}
	if (x->spare)
		lc_arena_release_pages(x->spare, table_bytes(x->spare->mask + 1));
	x->spare = t;
	/* After the new table's publication (seq_cst): a reader that
	 * announces this epoch or a later one loads the new table. */
	x->spare_epoch = atomic_fetch_add(&lc_keyindex_epoch, 1) + 1;
}
static lc_keyindex_table *new_table(uint32_t slots)
{
	lc_keyindex_table *t =
		lc_arena_alloc_pages(sizeof *t + (size_t)slots * sizeof t->slots[0]);
	if (t) {
		t->mask = slots - 1;
		t->shift = 64 - (uint32_t)__builtin_ctz(slots);
	}
	return t;
}

/* Into the first empty or tombstone slot on key's probe path. */
static void place(lc_keyindex_table *t, uint64_t key, void *value)
{
	uint32_t i = lc_keyindex_home(t, key);
	uint64_t k;
	while ((k = atomic_load_explicit(&t->slots[i].key,
					 memory_order_relaxed)) &&
	       k != LC_KEYINDEX_TOMBSTONE)
		i = (i + 1) & t->mask;
	atomic_store_explicit(&t->slots[i].value, value, memory_order_relaxed);
	atomic_store_explicit(&t->slots[i].key, key, memory_order_release);
	t->used += !k;
	t->live++;
}

/* A table with room for one more key: the current one, or a new one with
 * the live keys of the old (twice the size unless most of it is
 * tombstones), published. NULL when out of memory and full. */
static lc_keyindex_table *room(lc_keyindex *x)
{
	lc_keyindex_table *t =
		atomic_load_explicit(&x->current, memory_order_relaxed);
	if (t && t->used < (t->mask + 1) / 4 * 3)
		return t;
	uint32_t n = !t			       ? FIRST_SLOTS
		     : t->live < (t->mask + 1) / 4 ? t->mask + 1
						   : (t->mask + 1) * 2;
	lc_keyindex_table *fresh = n ? take_table(x, n) : NULL;
	if (!fresh)
		return t && t->used < t->mask ? t : NULL;
	for (uint32_t i = 0; t && i <= t->mask; i++) {
		uint64_t k = atomic_load_explicit(&t->slots[i].key,
						  memory_order_relaxed);
		if (k && k != LC_KEYINDEX_TOMBSTONE)
			place(fresh, k,
			      atomic_load_explicit(&t->slots[i].value,
						   memory_order_relaxed));
	}
	atomic_store_explicit(&x->current, fresh, memory_order_seq_cst);
	if (t)
		retire(x, t);
	return fresh;
}

int lc_keyindex_put(lc_keyindex *x, uint64_t key, void *value)
{
	lc_keyindex_table *t = room(x);
	if (!t)
		return -1;
	place(t, key, value);
	return 0;
}

void lc_keyindex_remove(lc_keyindex *x, uint64_t key)
{
	lc_keyindex_table *t =
		atomic_load_explicit(&x->current, memory_order_relaxed);
	if (!t)
		return;
	for (uint32_t i = lc_keyindex_home(t, key);; i = (i + 1) & t->mask) {
		uint64_t k = atomic_load_explicit(&t->slots[i].key,
						  memory_order_relaxed);
		if (!k)
			return;
		if (k == key) {
			atomic_store_explicit(&t->slots[i].key,
					      LC_KEYINDEX_TOMBSTONE,
					      memory_order_release);
			t->live--;
			return;
		}
	}
}
