/*
 * trylock_backoff: the classic back-off that makes the reverse order safe.
 *
 * Pattern: thread 1 locks lock_a then lock_b (blocking). Thread 2 locks
 * lock_b, then *tries* lock_a; when the trylock fails it releases lock_b and
 * starts over. The graph has A->B (blocking) and B->A, but B->A was taken by
 * a trylock, which returns EBUSY instead of waiting: thread 2 never waits
 * while holding B, so the cycle can never close into a deadlock.
 *
 * MUST STAY SILENT: findings 0. Guards against a detector that records an
 * edge into a trylocked lock as if it could block.
 *
 * The two threads really run concurrently, so the trylock does fail
 * sometimes; how often is not printed (it varies), only the fixed totals.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#define ITERS 20000

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static long shared_total;

__attribute__((noinline)) void take_a_then_b(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	shared_total++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
}

__attribute__((noinline)) void take_b_then_try_a(void)
{
	for (;;) {
		pthread_mutex_lock(&lock_b);
		if (pthread_mutex_trylock(&lock_a) == 0)
			break;
		pthread_mutex_unlock(&lock_b); /* back off */
		sched_yield();
	}
	shared_total++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
}

static void *forward(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++)
		take_a_then_b();
	return NULL;
}

static void *backward(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++)
		take_b_then_try_a();
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;

	pthread_create(&t1, NULL, forward, NULL);
	pthread_create(&t2, NULL, backward, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("trylock_backoff: total=%ld\n", shared_total);
	return 0;
}
