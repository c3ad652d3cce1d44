/*
 * abba_real_deadlock: an AB-BA that really deadlocks, every time.
 *
 * Pattern: thread 1 locks lock_a, thread 2 locks lock_b, both meet at a
 * barrier (not a mutex: glibc's barrier uses its own internal lock), then
 * thread 1 asks for lock_b and thread 2 for lock_a. Natively this hangs forever.
 *
 * MUST REPORT, before the hang: lockcheck records each edge before the thread
 * blocks, so the second of the two acquisitions closes the cycle and writes
 * the finding while both threads are still running. With halt_on_error=1 the
 * process then exits with status 66 instead of hanging: the CI job fails
 * fast with the report instead of timing out with nothing. (ThreadSanitizer
 * and Helgrind record orders after acquisition and say nothing here.)
 *
 * deadlock_abba.c is this file (a symlink) run with the inversion
 * suppressed: then the `deadlock` finding of the wait-for graph is the first
 * error, and it is what halts the run.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

__attribute__((noinline)) void hold_then_want(pthread_mutex_t *held,
					      pthread_mutex_t *wanted)
{
	pthread_mutex_lock(held);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(wanted); /* never returns natively */
	pthread_mutex_unlock(wanted);
	pthread_mutex_unlock(held);
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
	puts("abba deadlock: not reached natively");
	return 0;
}
