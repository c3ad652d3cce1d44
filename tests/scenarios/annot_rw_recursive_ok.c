/*
 * annot_rw_recursive_ok: annotated custom locks used correctly (a trap).
 *
 * A reader-writer lock of the program's own (a counter on atomics: readers
 * add 2, a writer sets bit 0), declared with LOCKCHECK_SHARED at create,
 * and a recursive lock of its own (owner and depth), declared
 * LOCKCHECK_RECURSIVE. Four threads: each takes the recursive lock twice
 * (re-entry), then the rwlock for reading 1,000 times, and every 100th
 * round for writing, always recursive lock first. Readers overlap for real.
 *
 * MUST NOT REPORT anything: re-entering a recursive lock is no double-lock,
 * readers holding the lock together are no conflict, and one order holds
 * everywhere.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "lockcheck.h"

typedef struct rw {
	atomic_uint word; /* bit 0: a writer; readers count in steps of 2 */
} rw;

static inline __attribute__((always_inline)) void rw_read_lock(rw *l)
{
	lockcheck_mutex_pre_lock(l, LOCKCHECK_SHARED);
	for (;;) {
		unsigned v = atomic_load(&l->word);
		if (!(v & 1) && atomic_compare_exchange_weak(&l->word, &v, v + 2))
			break;
		sched_yield();
	}
	lockcheck_mutex_post_lock(l, LOCKCHECK_SHARED, 1);
}

static inline __attribute__((always_inline)) void rw_write_lock(rw *l)
{
	lockcheck_mutex_pre_lock(l, 0);
	unsigned free_word = 0;
	while (!atomic_compare_exchange_weak(&l->word, &free_word, 1)) {
		free_word = 0;
		sched_yield();
	}
	lockcheck_mutex_post_lock(l, 0, 1);
}

static inline __attribute__((always_inline)) void rw_read_unlock(rw *l)
{
	lockcheck_mutex_pre_unlock(l);
	atomic_fetch_sub(&l->word, 2);
}

static inline __attribute__((always_inline)) void rw_write_unlock(rw *l)
{
	lockcheck_mutex_pre_unlock(l);
	atomic_store(&l->word, 0);
}

typedef struct rec {
	atomic_uintptr_t owner;
	unsigned depth;
} rec;

static inline __attribute__((always_inline)) void rec_lock(rec *l)
{
	uintptr_t me = (uintptr_t)pthread_self();
	lockcheck_mutex_pre_lock(l, LOCKCHECK_RECURSIVE);
	if (atomic_load(&l->owner) != me) {
		uintptr_t none = 0;
		while (!atomic_compare_exchange_weak(&l->owner, &none, me)) {
			none = 0;
			sched_yield();
		}
	}
	l->depth++;
	lockcheck_mutex_post_lock(l, LOCKCHECK_RECURSIVE, 1);
}

static inline __attribute__((always_inline)) void rec_unlock(rec *l)
{
	lockcheck_mutex_pre_unlock(l);
	if (--l->depth == 0)
		atomic_store(&l->owner, 0);
}

rw table;
rec registry;
static long reads, writes;
static atomic_long concurrent_reads;

static void *worker(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		rec_lock(&registry);
		rec_lock(&registry); /* re-entry */
		if (i % 100 == 0) {
			rw_write_lock(&table);
			writes++;
			rw_write_unlock(&table);
		} else {
			rw_read_lock(&table);
			if (atomic_load(&table.word) > 2)
				atomic_fetch_add(&concurrent_reads, 1);
			rw_read_unlock(&table);
		}
		rec_unlock(&registry);
		rec_unlock(&registry);
		rw_read_lock(&table); /* also alone, from several threads */
		atomic_fetch_add(&concurrent_reads, 0);
		rw_read_unlock(&table);
	}
	return NULL;
}

int main(void)
{
	lockcheck_mutex_create(&table, LOCKCHECK_SHARED);
	lockcheck_mutex_create(&registry, LOCKCHECK_RECURSIVE);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	lockcheck_mutex_destroy(&table);
	lockcheck_mutex_destroy(&registry);
	reads = 4 * 1000 - writes;
	printf("annot_rw_recursive_ok: writes=%ld reads=%ld\n", writes, reads);
	return 0;
}
