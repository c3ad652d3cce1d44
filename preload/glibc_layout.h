/*
 * glibc_layout.h: what the interposers read from glibc's lock objects.
 *
 * The only place that knows glibc's lock layouts (x86-64, glibc 2.28+):
 *   - a mutex's type is in the low bits of __kind, put there by
 *     pthread_mutex_init and by every static initialiser (which never passes
 *     through init), so it is read from the mutex at each call;
 *   - a mutex's __list is used only by robust mutexes, and a rwlock's __pad2
 *     by nothing: the shim borrows that word as the lock's generation tag
 *     (registry.h), which tells a lock from a new lock at the same address.
 *   - what glibc leaves in a destroyed object: pthread_mutex_destroy sets
 *     __kind to -1, pthread_cond_destroy sets bit 2 of __wrefs (its wake
 *     request, which nothing else sets), and an init or a static
 *     initialiser clears both (a rwlock keeps nothing: the shim's own mark
 *     in its tag word, registry.h, tells a destroyed one);
 *   - which mutex kinds glibc accepts: any other value makes every lock,
 *     try and unlock return EINVAL without touching the mutex, so such a
 *     mutex is reported as invalid-use (destroyed for -1, else never
 *     initialised) with no risk of a false report: glibc itself refuses it.
 *     (An all-zero mutex, PTHREAD_MUTEX_INITIALIZER, is valid.)
 * C11's mtx_t is a pthread_mutex_t in glibc, and cnd_t a pthread_cond_t.
 */
#ifndef LC_GLIBC_LAYOUT_H
#define LC_GLIBC_LAYOUT_H

#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>

#include "event.h"

#define GLIBC_MUTEX_KIND_MASK 3     /* PTHREAD_MUTEX_KIND_MASK_NP */
#define GLIBC_MUTEX_ROBUST 16       /* PTHREAD_MUTEX_ROBUST_NORMAL_NP */

static inline unsigned lc_mutex_flags(const pthread_mutex_t *m)
{
	return (m->__data.__kind & GLIBC_MUTEX_KIND_MASK) ==
		       PTHREAD_MUTEX_RECURSIVE
		       ? LC_ACQ_RECURSIVE
		       : 0;
}

/* A robust mutex (a thread may end holding it: its protocol). */
static inline int lc_mutex_is_robust(const pthread_mutex_t *m)
{
	return (m->__data.__kind & GLIBC_MUTEX_ROBUST) != 0;
}

/* A mutex kind glibc refuses (EINVAL): bits 2-3 are never set by an init,
 * and priority protection combines with neither robustness nor
 * inheritance. -1 (destroyed) has them all. Read on failure and slow paths
 * only. */
static inline int lc_mutex_invalid(const pthread_mutex_t *m)
{
	int kind = m->__data.__kind;
	return (kind & 12) != 0 || ((kind & 64) && (kind & 48));
}

static inline int lc_mutex_destroyed_mark(const pthread_mutex_t *m)
{
	return m->__data.__kind == -1;
}

/* The condition variable was destroyed and not initialised since. */
static inline int lc_cond_destroyed_mark(const pthread_cond_t *c)
{
	return (c->__data.__wrefs & 4) != 0;
}

static inline uintptr_t *lc_mutex_tag(pthread_mutex_t *m)
{
#if defined(__GLIBC__) && defined(__x86_64__)
	if (m->__data.__kind & GLIBC_MUTEX_ROBUST)
		return NULL;
	return (uintptr_t *)(void *)&m->__data.__list.__prev;
#else
	return NULL;
#endif
}

static inline uintptr_t *lc_rwlock_tag(pthread_rwlock_t *l)
{
#if defined(__GLIBC__) && defined(__x86_64__)
	return (uintptr_t *)(void *)&l->__data.__pad2;
#else
	return NULL;
#endif
}

/*
 * Process-shared objects (their waits may be ended by another process: the
 * all-asleep check leaves them out). Read before a wait only.
 */
#define GLIBC_MUTEX_PSHARED 128     /* PTHREAD_MUTEX_PSHARED_BIT */
static inline int lc_mutex_pshared(const pthread_mutex_t *m)
{
	return (m->__data.__kind & GLIBC_MUTEX_PSHARED) != 0;
}

static inline int lc_rwlock_pshared(const pthread_rwlock_t *l)
{
	return l->__data.__shared != 0;
}

/* Bit 0 of __wrefs: a process-shared condition variable. */
static inline int lc_cond_pshared(const pthread_cond_t *c)
{
	return (c->__data.__wrefs & 1) != 0;
}

/* glibc's semaphore: a 64-bit value word, then `private`, which glibc
 * sets to LLL_SHARED (128, nonzero) for a process-shared one and to
 * LLL_PRIVATE (0) otherwise (measured on glibc 2.36). */
static inline int lc_sem_pshared(const sem_t *s)
{
	const int *private_word = (const int *)(const void *)s + 2;
	return *private_word != 0;
}

/* Is this mutex locked by anyone (for mtx_destroy, which returns nothing)? */
static inline int lc_mutex_busy(const pthread_mutex_t *m)
{
	return m->__data.__lock != 0;
}

#endif
