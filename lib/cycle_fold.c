/*
 * cycle_fold.c: reported cycles, and whether a new one contains one
 * (cycle_fold.h). A list in the arena, searched linearly: a process reports
 * tens of distinct cycles, and this runs only when one is about to be
 * written.
 */
#include "cycle_fold.h"

#include <string.h>

#include "arena.h"

typedef struct reported {
	struct reported *next;
	uint64_t id;
	uint64_t fix_from, fix_to;
	int rank, error;
	unsigned n;
	uint64_t keys[];
} reported;

static reported *all;

static int distinct(const uint64_t *keys, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < i; k++)
			if (keys[k] == keys[i])
				return 0;
	return 1;
}

static int index_of(const uint64_t *keys, unsigned n, uint64_t key)
{
	for (unsigned i = 0; i < n; i++)
		if (keys[i] == key)
			return (int)i;
	return -1;
}

void lc_cycle_fold_note(uint64_t id, const uint64_t *keys, unsigned n,
			unsigned fix, int rank, int error)
{
	if (n < 2 || fix >= n || !distinct(keys, n))
		return;
	for (reported *r = all; r; r = r->next)
		if (r->id == id) {
			r->rank = rank;
			r->error = error;
			return;
		}
	reported *r = lc_arena_alloc(sizeof *r + n * sizeof r->keys[0]);
	if (!r)
		return;
	r->id = id;
	r->n = n;
	r->rank = rank;
	r->error = error;
	memcpy(r->keys, keys, n * sizeof keys[0]);
	r->fix_from = keys[fix];
	r->fix_to = keys[(fix + 1) % n];
	r->next = all;
	all = r;
}

/* Are r's locks inside keys[0..n), in r's cyclic order, and is r's fix
 * edge one of its edges? */
static int contains(const reported *r, const uint64_t *keys, unsigned n)
{
	int p0 = index_of(keys, n, r->keys[0]);
	if (p0 < 0)
		return 0;
	unsigned last = 0;
	for (unsigned k = 1; k < r->n; k++) {
		int p = index_of(keys, n, r->keys[k]);
		if (p < 0)
			return 0;
		unsigned d = (unsigned)(p - p0 + (int)n) % n;
		if (d <= last)
			return 0;
		last = d;
	}
	for (unsigned i = 0; i < n; i++)
		if (keys[i] == r->fix_from && keys[(i + 1) % n] == r->fix_to)
			return 1;
	return 0;
}

uint64_t lc_cycle_fold_find(const uint64_t *keys, unsigned n, int rank,
			    int error)
{
	if (!distinct(keys, n))
		return 0;
	for (const reported *r = all; r; r = r->next)
		if (r->n < n && r->rank >= rank && r->error >= error &&
		    contains(r, keys, n))
			return r->id;
	return 0;
}
