/*
 * syncobj.c: the table of semaphores and barriers (see syncobj.h).
 *
 * Open addressing over LC_SYNCOBJ_SLOTS slots, Fibonacci-hashed as the
 * registry's. Every write is a CAS that either wins or makes the caller give
 * up on tracking this one call, so the table never blocks a thread, a
 * signal handler, or a fork child.
 */
#define _GNU_SOURCE
#include "syncobj.h"

#include <stddef.h>
#include <sys/mman.h>

#include "limit.h"

#define PROBE_REUSE 64 /* slots looked at for a dead record to reuse */
#define SOFT_FULL (LC_SYNCOBJ_SLOTS / 4 * 3) /* then dead records first */
#define HARD_FULL (LC_SYNCOBJ_SLOTS / 8 * 7) /* then dead records only */

static lc_syncobj *_Atomic table;
static _Atomic uint32_t used;
static _Atomic uint32_t serials;
static _Atomic int missed;

static lc_syncobj *get_table(int create)
{
	lc_syncobj *t = atomic_load_explicit(&table, memory_order_acquire);
	if (t || !create)
		return t;
	void *m = mmap(NULL, sizeof(lc_syncobj) * LC_SYNCOBJ_SLOTS,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	if (m == MAP_FAILED)
		return NULL;
	lc_syncobj *expected = NULL;
	if (!atomic_compare_exchange_strong(&table, &expected, m)) {
		munmap(m, sizeof(lc_syncobj) * LC_SYNCOBJ_SLOTS);
		return expected;
	}
	return m;
}

static uint32_t home(uintptr_t addr)
{
	return (uint32_t)(((uint64_t)addr * 0x9E3779B97F4A7C15ull) >> 48) &
	       (LC_SYNCOBJ_SLOTS - 1);
}

lc_syncobj *lc_syncobj_find(uintptr_t addr)
{
	lc_syncobj *t = get_table(0);
	if (!t || !addr)
		return NULL;
	for (uint32_t n = 0, i = home(addr); n < LC_SYNCOBJ_SLOTS;
	     n++, i = (i + 1) & (LC_SYNCOBJ_SLOTS - 1)) {
		uintptr_t a = atomic_load_explicit(&t[i].addr, memory_order_acquire);
		if (a == addr)
			return &t[i];
		if (!a)
			return NULL;
	}
	return NULL;
}

int lc_syncobj_acquire(lc_syncobj *o, uint32_t from)
{
	uint32_t expected = from;
	return atomic_compare_exchange_strong_explicit(
		&o->state, &expected, LC_SYNCOBJ_BUSY, memory_order_acquire,
		memory_order_relaxed);
}

void lc_syncobj_publish(lc_syncobj *o, uint32_t state)
{
	atomic_store_explicit(&o->state, state, memory_order_release);
}

/* Fills a fresh claim's identity (the rest is the caller's). */
static lc_syncobj *fresh(lc_syncobj *o, uint32_t *prev)
{
	o->serial = lc_syncobj_serial();
	atomic_store(&o->waiters, 0);
	atomic_store(&o->arrived, 0);
	o->init_pc = o->destroy_pc = 0;
	o->init_stack = o->destroy_stack = 0;
	o->init_thread = o->destroy_thread = 0;
	*prev = LC_SYNCOBJ_BUSY;
	return o;
}

lc_syncobj *lc_syncobj_claim(uintptr_t addr, uint32_t *prev)
{
	lc_syncobj *t = get_table(1);
	if (!t || !addr)
		return NULL;
	lc_syncobj *dead = NULL;
	for (uint32_t n = 0, i = home(addr); n < LC_SYNCOBJ_SLOTS;
	     n++, i = (i + 1) & (LC_SYNCOBJ_SLOTS - 1)) {
		uintptr_t a = atomic_load_explicit(&t[i].addr, memory_order_acquire);
		if (a == addr) {
			uint32_t s = atomic_load_explicit(&t[i].state,
							  memory_order_acquire);
			if (s == LC_SYNCOBJ_BUSY || !lc_syncobj_acquire(&t[i], s))
				return NULL;
			*prev = s;
			return &t[i];
		}
		if (!a) {
			/* A new address: below 3/4 full, an empty slot; to 7/8,
			 * a dead record's slot on the path if there is one,
			 * else an empty slot; beyond, only a dead record's. */
			uint32_t n_used = atomic_load(&used);
			if (n_used < SOFT_FULL ||
			    (n_used < HARD_FULL && !dead)) {
				uintptr_t zero = 0;
				if (!atomic_compare_exchange_strong(&t[i].addr,
								    &zero, addr))
					return NULL; /* a racing claim */
				atomic_fetch_add(&used, 1);
				return fresh(&t[i], prev);
			}
			break;
		}
		if (!dead && n < PROBE_REUSE &&
		    atomic_load_explicit(&t[i].state, memory_order_relaxed) ==
			    LC_SYNCOBJ_DESTROYED &&
		    atomic_load(&t[i].waiters) == 0)
			dead = &t[i];
	}
	if (dead && lc_syncobj_acquire(dead, LC_SYNCOBJ_DESTROYED)) {
		if (atomic_load(&dead->waiters) == 0) {
			atomic_store_explicit(&dead->addr, addr,
					      memory_order_release);
			return fresh(dead, prev);
		}
		lc_syncobj_publish(dead, LC_SYNCOBJ_DESTROYED);
	}
	lc_syncobj_miss();
	lc_limit_reached(LC_LIMIT_SYNC_OBJECTS, HARD_FULL);
	return NULL;
}

uint32_t lc_syncobj_serial(void)
{
	return atomic_fetch_add(&serials, 1) + 1;
}

int lc_syncobj_missed(void)
{
	return atomic_load_explicit(&missed, memory_order_relaxed);
}

void lc_syncobj_miss(void)
{
	atomic_store_explicit(&missed, 1, memory_order_relaxed);
}
