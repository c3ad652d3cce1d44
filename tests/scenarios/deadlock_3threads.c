/*
 * deadlock_3threads: three threads really deadlock in a ring, A-B, B-C, C-A.
 *
 * Pattern: thread 1 locks ring_a, thread 2 ring_b, thread 3 ring_c; all
 * three meet at a barrier, then thread 1 asks for ring_b, thread 2 for
 * ring_c and thread 3 for ring_a. Each waits for the next: natively this
 * hangs.
 *
 * MUST REPORT: one `deadlock` (error) over exactly {ring_a, ring_b, ring_c}:
 * the wait-for cycle T2 -> T3 -> T4 -> T2 through the three locks. The
 * 3-lock order cycle (closed before the last thread blocks) is suppressed by
 * deadlock_3threads.supp so that it does not halt the run first;
 * halt_on_error=1 turns the hang into exit 66 within 3 s.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t ring_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring_c = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t all_hold_one;

__attribute__((noinline)) void hold_then_want(pthread_mutex_t *held,
					      pthread_mutex_t *wanted)
{
	pthread_mutex_lock(held);
	pthread_barrier_wait(&all_hold_one);
	pthread_mutex_lock(wanted); /* never returns natively */
	pthread_mutex_unlock(wanted);
	pthread_mutex_unlock(held);
}

static void *thread1(void *arg)
{
	hold_then_want(&ring_a, &ring_b);
	return NULL;
}

static void *thread2(void *arg)
{
	hold_then_want(&ring_b, &ring_c);
	return NULL;
}

static void *thread3(void *arg)
{
	hold_then_want(&ring_c, &ring_a);
	return NULL;
}

int main(void)
{
	pthread_t t1, t2, t3;
	pthread_barrier_init(&all_hold_one, NULL, 3);
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_create(&t3, NULL, thread3, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	pthread_join(t3, NULL);
	puts("deadlock_3threads: not reached natively");
	return 0;
}
