/*
 * clock.c: immutable sparse vector clocks and the final-clock table (see
 * clock.h). Clocks change only at thread create and join, so the sizes and the
 * counts stay small next to lock operations; nothing here is on the hot path.
 */
#include "clock.h"

#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "limit.h"
#include "sync.h"

/* Final clocks of ended threads not joined yet, by pthread_t: a chained
 * hash under finals_lock that doubles at one entry per bucket, entries
 * recycled through a free list. A handle is reused only once its thread was
 * joined or detached, so publishing under a handle that is still present
 * replaces a clock no joiner will ask for. */
typedef struct final_entry {
	struct final_entry *next;
	uintptr_t handle;
	const lc_clock *clock;
} final_entry;

static final_entry **finals;
static uint32_t finals_mask, n_finals;
static final_entry *finals_free;
static lc_mutex finals_lock = LC_MUTEX_INIT;

/* A clock with room for n entries (n set by the caller). */
static lc_clock *alloc_clock(uint32_t n)
{
	return lc_arena_alloc(sizeof(lc_clock) + n * sizeof(lc_clock_entry));
}

/* Sets c's size to n, keeping the newest LC_CLOCK_MAX entries. Clocks are
 * built in place in the arena: this runs on the program's thread stacks. */
static const lc_clock *finish(lc_clock *c, uint32_t n)
{
	if (n > LC_CLOCK_MAX) {
		lc_limit_reached(LC_LIMIT_CLOCK_THREADS, LC_CLOCK_MAX);
		memmove(c->e, c->e + (n - LC_CLOCK_MAX),
			LC_CLOCK_MAX * sizeof c->e[0]);
		n = LC_CLOCK_MAX;
	}
	c->n = n;
	return c;
}

const lc_clock *lc_clock_root(uint32_t thread)
{
	lc_clock *c = alloc_clock(1);
	if (!c)
		return NULL;
	c->e[0] = (lc_clock_entry){ thread, 1 };
	return finish(c, 1);
}

uint32_t lc_clock_get(const lc_clock *c, uint32_t thread)
{
	if (!c)
		return 0;
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (c->e[mid].thread < thread)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && c->e[lo].thread == thread ? c->e[lo].epoch : 0;
}

const lc_clock *lc_clock_with(const lc_clock *c, uint32_t thread, uint32_t epoch)
{
	uint32_t n = c ? c->n : 0;
	lc_clock *out = alloc_clock(n + 1);
	if (!out)
		return NULL;
	uint32_t k = 0, i = 0;
	while (i < n && c->e[i].thread < thread)
		out->e[k++] = c->e[i++];
	out->e[k++] = (lc_clock_entry){ thread, epoch };
	if (i < n && c->e[i].thread == thread)
		i++;
	while (i < n)
		out->e[k++] = c->e[i++];
	return finish(out, k);
}

const lc_clock *lc_clock_join(const lc_clock *a, const lc_clock *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	lc_clock *out = alloc_clock(a->n + b->n);
	if (!out)
		return NULL;
	uint32_t i = 0, j = 0, k = 0;
	while (i < a->n || j < b->n) {
		if (j >= b->n || (i < a->n && a->e[i].thread < b->e[j].thread)) {
			out->e[k++] = a->e[i++];
		} else if (i >= a->n || b->e[j].thread < a->e[i].thread) {
			out->e[k++] = b->e[j++];
		} else {
			uint32_t ea = a->e[i].epoch, eb = b->e[j].epoch;
			out->e[k++] = (lc_clock_entry){ a->e[i].thread,
							ea > eb ? ea : eb };
			i++;
			j++;
		}
	}
	return finish(out, k);
}

int lc_clock_before(uint32_t ta, const lc_clock *a, const lc_clock *b)
{
	if (!a || !b)
		return 0;
	uint32_t ea = lc_clock_get(a, ta);
	return ea != 0 && ea <= lc_clock_get(b, ta);
}

static uint32_t final_slot(uintptr_t handle, uint32_t mask)
{
	return (uint32_t)((handle * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* finals_lock held. 0, or -1 when out of memory (the old table stays). */
static int finals_grow(void)
{
	uint32_t n = finals ? (finals_mask + 1) * 2 : 1024;
	final_entry **fresh = mmap(NULL, n * sizeof *fresh,
				   PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fresh == MAP_FAILED)
		return -1;
	for (uint32_t i = 0; finals && i <= finals_mask; i++) {
		for (final_entry *e = finals[i], *next; e; e = next) {
			next = e->next;
			uint32_t k = final_slot(e->handle, n - 1);
			e->next = fresh[k];
			fresh[k] = e;
		}
	}
	if (finals)
		munmap(finals, (finals_mask + 1) * sizeof *finals);
	finals = fresh;
	finals_mask = n - 1;
	return 0;
}

void lc_clock_publish_final(uintptr_t handle, const lc_clock *c)
{
	lc_mutex_lock(&finals_lock);
	if ((!finals || n_finals > finals_mask) && finals_grow() != 0 &&
	    !finals) {
		lc_mutex_unlock(&finals_lock);
		return;
	}
	final_entry **b = &finals[final_slot(handle, finals_mask)];
	final_entry *e = *b;
	while (e && e->handle != handle)
		e = e->next;
	if (!e) {
		e = finals_free;
		if (e)
			finals_free = e->next;
		else
			e = lc_arena_alloc(sizeof *e);
		if (e) {
			e->handle = handle;
			e->next = *b;
			*b = e;
			n_finals++;
		}
	}
	if (e)
		e->clock = c;
	lc_mutex_unlock(&finals_lock);
}

const lc_clock *lc_clock_take_final(uintptr_t handle)
{
	const lc_clock *c = NULL;
	lc_mutex_lock(&finals_lock);
	for (final_entry **p = finals ? &finals[final_slot(handle, finals_mask)]
				      : NULL;
	     p && *p; p = &(*p)->next) {
		if ((*p)->handle != handle)
			continue;
		final_entry *e = *p;
		c = e->clock;
		*p = e->next;
		e->next = finals_free;
		finals_free = e;
		n_finals--;
		break;
	}
	lc_mutex_unlock(&finals_lock);
	return c;
}

void lc_clock_fork_prepare(void)
{
	lc_mutex_lock(&finals_lock);
}

void lc_clock_fork_release(void)
{
	lc_mutex_unlock(&finals_lock);
}
