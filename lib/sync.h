/*
 * sync.h: the shim's own lock, a three-state futex mutex (Drepper's
 * "Futexes Are Tricky", mutex 2).
 *
 * The core must never lock through pthread_mutex_lock: that is the function the
 * shim interposes, and the program's own locking is what we observe. This lock
 * goes straight to the kernel. Used only on slow paths (a new edge, a finding,
 * exit), never per lock operation. Not recursive; callers run with the
 * re-entry guard set (thread.h), so a signal handler in the same thread that
 * locks something passes straight through and cannot self-deadlock on it.
 *
 * A busy lock is spun on briefly before sleeping (as glibc's adaptive
 * mutexes do): the core's critical sections are a few microseconds, less
 * than a futex sleep and wake-up cost, and on a program that makes and
 * destroys locks on several threads at once every new edge and every fold
 * queues for the graph lock (make bench, lifetimes_t2).
 */
#ifndef LC_SYNC_H
#define LC_SYNC_H

#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef struct lc_mutex {
	_Atomic int state; /* 0 free, 1 locked, 2 locked with waiters */
} lc_mutex;

#define LC_MUTEX_INIT { 0 }
#define LC_MUTEX_SPINS 200 /* pause instructions: a few microseconds */

static inline void lc_mutex_lock(lc_mutex *m)
{
	int c = 0;
	if (atomic_compare_exchange_strong(&m->state, &c, 1))
		return;
	for (int spin = 0; spin < LC_MUTEX_SPINS; spin++) {
		__builtin_ia32_pause();
		if (atomic_load_explicit(&m->state, memory_order_relaxed) == 0) {
			c = 0;
			if (atomic_compare_exchange_strong(&m->state, &c, 1))
				return;
		}
	}
	if (c != 2)
		c = atomic_exchange(&m->state, 2);
	while (c != 0) {
		syscall(SYS_futex, &m->state, FUTEX_WAIT_PRIVATE, 2, NULL, NULL,
			0);
		c = atomic_exchange(&m->state, 2);
	}
}

static inline void lc_mutex_unlock(lc_mutex *m)
{
	if (atomic_exchange(&m->state, 0) == 2)
		syscall(SYS_futex, &m->state, FUTEX_WAKE_PRIVATE, 1, NULL, NULL,
			0);
}

#endif
