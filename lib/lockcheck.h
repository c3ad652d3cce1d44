/*
 * lockcheck.h: annotations for programs checked by lockcheck (installed).
 *
 * A program that includes this header builds with only -I and -pthread, links
 * no extra library, and runs with or without the shim: each annotation is an
 * inline function that calls the shim's entry point when the shim is loaded
 * (a weak reference, NULL without it) and does nothing otherwise.
 *
 *   lockcheck_name(&queue->lock, "queue_lock");
 *     names a lock: reports call it by that name (instead of M<n> for a lock on
 *     the heap or stack), and finding ids, suppressions and order files use
 *     it. The name is copied (at most 63 bytes are kept).
 *
 *   lockcheck_rank(&db->lock, 10);
 *     gives a lock a rank (the sorted-acquire rule): a thread holding a lock
 *     of rank r may then only take locks of rank > r, or of rank r at a
 *     higher address. Anything else is an order-violation, reported before
 *     the thread blocks. Rank 0 means unranked (the default).
 *
 *   lockcheck_lock_all(locks, n) / lockcheck_unlock_all(locks, n)
 *     lock (unlock) n mutexes in the one global order, rank then address,
 *     each once even if listed twice: such a call cannot take part in a
 *     lock-order cycle. Without the shim, the order is by address.
 *
 * A lock of the program's own (a spinlock on atomics, a futex lock, a
 * latch) is invisible to the shim until its code says what it does, in
 * the spirit of ThreadSanitizer's __tsan_mutex_* annotations. `lock` is
 * the lock's address, its identity; flags are LOCKCHECK_TRY (a try that
 * cannot block), LOCKCHECK_SHARED (a shared, reader acquisition; at create:
 * a reader-writer lock) and LOCKCHECK_RECURSIVE (its holder may take it
 * again):
 *
 *   lockcheck_mutex_create(lock, flags)    it was initialised (optional:
 *                                          an unknown lock starts at its
 *                                          first use; after a destroy, a
 *                                          new lock at the same address)
 *   lockcheck_mutex_destroy(lock)          it is destroyed
 *   lockcheck_mutex_pre_lock(lock, flags)  before any acquisition, blocking
 *                                          or try: the order and relock
 *                                          checks run here, before the
 *                                          thread can block
 *   lockcheck_mutex_post_lock(lock, flags, acquired)
 *                                          after it: acquired nonzero if
 *                                          the thread now holds the lock
 *   lockcheck_mutex_pre_unlock(lock)       before the release
 *   lockcheck_mutex_wait_begin(lock)       the slow path is about to sleep
 *   lockcheck_mutex_wait_end(lock)         waiting for the lock: real
 *                                          deadlocks on the lock reach the
 *                                          wait-for graph (checked when a
 *                                          wait begins)
 */
#ifndef LOCKCHECK_H
#define LOCKCHECK_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The shim's entry points: weak, so that they are NULL without the shim. */
extern void lockcheck_shim_name(void *lock, const char *name)
	__attribute__((weak));
extern void lockcheck_shim_rank(void *lock, unsigned rank)
	__attribute__((weak));
extern unsigned lockcheck_shim_rank_of(void *lock) __attribute__((weak));
extern void lockcheck_shim_mutex_create(void *lock, unsigned flags)
	__attribute__((weak));
extern void lockcheck_shim_mutex_destroy(void *lock) __attribute__((weak));
extern void lockcheck_shim_mutex_pre_lock(void *lock, unsigned flags)
	__attribute__((weak));
extern void lockcheck_shim_mutex_post_lock(void *lock, unsigned flags,
					   int acquired) __attribute__((weak));
extern void lockcheck_shim_mutex_pre_unlock(void *lock) __attribute__((weak));
extern void lockcheck_shim_mutex_wait_begin(void *lock) __attribute__((weak));
extern void lockcheck_shim_mutex_wait_end(void *lock) __attribute__((weak));

/* Flags of the custom-lock annotations. */
#define LOCKCHECK_TRY 1u       /* a try: cannot block, adds no order */
#define LOCKCHECK_SHARED 2u    /* a shared (reader) acquisition; at create,
				* a reader-writer lock */
#define LOCKCHECK_RECURSIVE 4u /* its holder may take it again */

static inline void lockcheck_mutex_create(void *lock, unsigned flags)
{
	if (lockcheck_shim_mutex_create)
		lockcheck_shim_mutex_create(lock, flags);
}

static inline void lockcheck_mutex_destroy(void *lock)
{
	if (lockcheck_shim_mutex_destroy)
		lockcheck_shim_mutex_destroy(lock);
}

static inline void lockcheck_mutex_pre_lock(void *lock, unsigned flags)
{
	if (lockcheck_shim_mutex_pre_lock)
		lockcheck_shim_mutex_pre_lock(lock, flags);
}

static inline void lockcheck_mutex_post_lock(void *lock, unsigned flags,
					     int acquired)
{
	if (lockcheck_shim_mutex_post_lock)
		lockcheck_shim_mutex_post_lock(lock, flags, acquired);
}

static inline void lockcheck_mutex_pre_unlock(void *lock)
{
	if (lockcheck_shim_mutex_pre_unlock)
		lockcheck_shim_mutex_pre_unlock(lock);
}

static inline void lockcheck_mutex_wait_begin(void *lock)
{
	if (lockcheck_shim_mutex_wait_begin)
		lockcheck_shim_mutex_wait_begin(lock);
}

static inline void lockcheck_mutex_wait_end(void *lock)
{
	if (lockcheck_shim_mutex_wait_end)
		lockcheck_shim_mutex_wait_end(lock);
}

static inline void lockcheck_name(void *lock, const char *name)
{
	if (lockcheck_shim_name)
		lockcheck_shim_name(lock, name);
}

static inline void lockcheck_rank(void *lock, unsigned rank)
{
	if (lockcheck_shim_rank)
		lockcheck_shim_rank(lock, rank);
}

/* The place of a lock in the global order: rank, then address. */
static inline int lockcheck_order_cmp_(pthread_mutex_t *a, pthread_mutex_t *b)
{
	unsigned ra = lockcheck_shim_rank_of ? lockcheck_shim_rank_of(a) : 0;
	unsigned rb = lockcheck_shim_rank_of ? lockcheck_shim_rank_of(b) : 0;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a != b)
		return (uintptr_t)a < (uintptr_t)b ? -1 : 1;
	return 0;
}

/* The next lock after `after` (NULL: the first) in the global order, or
 * NULL. Selection over the list: n is small, and no memory is needed. */
static inline pthread_mutex_t *lockcheck_next_(pthread_mutex_t *const locks[],
					       size_t n, pthread_mutex_t *after)
{
	pthread_mutex_t *best = NULL;
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_t *m = locks[i];
		if (after && lockcheck_order_cmp_(m, after) <= 0)
			continue;
		if (!best || lockcheck_order_cmp_(m, best) < 0)
			best = m;
	}
	return best;
}

/* Locks every mutex of locks[0..n) in the global order. Returns 0, or the
 * first error of pthread_mutex_lock, after unlocking what it had locked. */
static inline int lockcheck_lock_all(pthread_mutex_t *const locks[], size_t n)
{
	pthread_mutex_t *m = NULL;
	while ((m = lockcheck_next_(locks, n, m))) {
		int rc = pthread_mutex_lock(m);
		if (rc != 0) {
			for (pthread_mutex_t *u = NULL;
			     (u = lockcheck_next_(locks, n, u)) && u != m;)
				pthread_mutex_unlock(u);
			return rc;
		}
	}
	return 0;
}

/* Unlocks what lockcheck_lock_all locked, in the reverse order. */
static inline void lockcheck_unlock_all(pthread_mutex_t *const locks[], size_t n)
{
	pthread_mutex_t *order_last = NULL, *m = NULL;
	while ((m = lockcheck_next_(locks, n, m)))
		order_last = m;
	/* Walk backwards: each step finds the greatest lock below the last. */
	for (m = order_last; m;) {
		pthread_mutex_unlock(m);
		pthread_mutex_t *prev = NULL;
		for (size_t i = 0; i < n; i++)
			if (lockcheck_order_cmp_(locks[i], m) < 0 &&
			    (!prev || lockcheck_order_cmp_(locks[i], prev) > 0))
				prev = locks[i];
		m = prev;
	}
}

#ifdef __cplusplus
}
#endif

#endif
