/*
 * deadlock_abba: two threads really deadlock, AB-BA; the wait-for graph
 * finds it.
 *
 * Pattern: thread 1 locks lock_a, thread 2 locks lock_b, both meet at a
 * barrier (not a lock), then thread 1 asks for lock_b and thread 2 for
 * lock_a. Both block for ever; natively this hangs.
 *
 * MUST REPORT: one `deadlock` (error) over exactly {lock_a, lock_b}: each
 * thread waits for the lock the other holds. The lock-order-inversion that
 * the second acquisition also closes (written before blocking, so with
 * halt_on_error it would end the run first: abba_real_deadlock shows that)
 * is suppressed by deadlock_abba.supp, and a suppressed finding does not
 * halt; so the deadlock is the first error, and halt_on_error=1 turns the
 * hang into exit 66 within 3 s (a ~10 ms grace, then checks every
 * 100-250 ms, confirmed twice).
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
	puts("deadlock_abba: not reached natively");
	return 0;
}
