/*
 * annot_spin_deadlock: an annotated spinlock of the program's own in an
 * AB-BA that really deadlocks: each thread holds one and spins for the
 * other for ever (natively: two threads spinning, never ending).
 *
 * The spinlock says when its slow path starts to wait
 * (lockcheck_mutex_wait_begin), so the wait-for graph sees both spinners.
 *
 * MUST REPORT, before the hang: the lock-order-inversion (the second
 * thread's pre_lock closes the cycle); with halt_on_error=1 the run ends
 * with status 66. annot_spin_waitfor is this file with the inversion
 * suppressed: the wait-for graph's `deadlock` is then what halts it.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "lockcheck.h"

typedef struct spin {
	atomic_int held;
} spin;

static inline __attribute__((always_inline)) void spin_lock(spin *s)
{
	lockcheck_mutex_pre_lock(s, 0);
	if (atomic_exchange_explicit(&s->held, 1, memory_order_acquire)) {
		lockcheck_mutex_wait_begin(s);
		while (atomic_exchange_explicit(&s->held, 1, memory_order_acquire))
			sched_yield();
		lockcheck_mutex_wait_end(s);
	}
	lockcheck_mutex_post_lock(s, 0, 1);
}

static inline __attribute__((always_inline)) void spin_unlock(spin *s)
{
	lockcheck_mutex_pre_unlock(s);
	atomic_store_explicit(&s->held, 0, memory_order_release);
}

spin lock_a, lock_b; /* zero: unlocked, known from their first use */
static pthread_barrier_t both_hold_one;

__attribute__((noinline)) void hold_then_want(spin *held, spin *wanted)
{
	spin_lock(held);
	pthread_barrier_wait(&both_hold_one);
	spin_lock(wanted); /* spins for ever natively */
	spin_unlock(wanted);
	spin_unlock(held);
}

static void *thread1(void *arg)
{
	hold_then_want(&lock_a, &lock_b);
	return NULL;
}

static void *thread2(void *arg)
{
	hold_then_want(&lock_b, &lock_a);
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;
	pthread_barrier_init(&both_hold_one, NULL, 2);
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	puts("annot_spin_deadlock: not reached natively");
	return 0;
}
