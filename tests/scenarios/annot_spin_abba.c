/*
 * annot_spin_abba: a program's own spinlock (C11 atomics, no pthread),
 * annotated with lockcheck.h, in an AB-BA.
 *
 * The spinlock is the README's worked example: create, pre_lock before the
 * first attempt, wait_begin/wait_end around the spinning, post_lock once
 * held, pre_unlock before the release; a try that fails says so. Its
 * functions are always inlined, so that the sites reports name are the
 * callers' (take_a_then_b), not the lock's own code. Thread 1
 * takes lock_a then lock_b; thread 2, after it (a semaphore), takes lock_b
 * then lock_a. Both also take lock_c and try lock_a under it (a try adds no
 * order: no cycle through lock_c).
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, verdict
 * deadlock-possible; the locks are custom-mutex, named by their symbols.
 * Without the shim the annotations cost one test of a weak reference each.
 */
#include <semaphore.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "lockcheck.h"

typedef struct spin {
	atomic_int held;
} spin;

static inline __attribute__((always_inline)) void spin_init(spin *s)
{
	atomic_init(&s->held, 0);
	lockcheck_mutex_create(s, 0);
}

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

static inline __attribute__((always_inline)) int spin_trylock(spin *s)
{
	lockcheck_mutex_pre_lock(s, LOCKCHECK_TRY);
	int got = !atomic_exchange_explicit(&s->held, 1, memory_order_acquire);
	lockcheck_mutex_post_lock(s, LOCKCHECK_TRY, got);
	return got;
}

static inline __attribute__((always_inline)) void spin_unlock(spin *s)
{
	lockcheck_mutex_pre_unlock(s);
	atomic_store_explicit(&s->held, 0, memory_order_release);
}

spin lock_a, lock_b, lock_c;
static sem_t first_done;
static int counter;

__attribute__((noinline)) void take_a_then_b(void)
{
	spin_lock(&lock_a);
	spin_lock(&lock_b);
	counter++;
	spin_unlock(&lock_b);
	spin_unlock(&lock_a);
}

__attribute__((noinline)) void take_b_then_a(void)
{
	spin_lock(&lock_b);
	spin_lock(&lock_a);
	counter++;
	spin_unlock(&lock_a);
	spin_unlock(&lock_b);
}

static void c_then_try_a(void)
{
	spin_lock(&lock_c);
	if (spin_trylock(&lock_a)) {
		counter++;
		spin_unlock(&lock_a);
	}
	spin_unlock(&lock_c);
}

static void *thread1(void *arg)
{
	take_a_then_b();
	c_then_try_a();
	spin_lock(&lock_a);
	spin_lock(&lock_c);
	spin_unlock(&lock_c);
	spin_unlock(&lock_a);
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	take_b_then_a();
	c_then_try_a();
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;
	spin_init(&lock_a);
	spin_init(&lock_b);
	spin_init(&lock_c);
	sem_init(&first_done, 0, 0);
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("annot_spin_abba: counter=%d\n", counter);
	return 0;
}
