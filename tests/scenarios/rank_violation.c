/*
 * rank_violation: a ranked lock taken while holding a lock of higher rank.
 *
 * Pattern: low_lock has rank 1, high_lock rank 2 (lockcheck_rank), so the
 * declared order is low_lock before high_lock. A worker thread takes
 * high_lock, then low_lock: against the ranks. There is no second path, so no
 * cycle and no inversion: only the declared order says this is wrong.
 *
 * MUST REPORT: one order-violation over {high_lock, low_lock} (an error: exit
 * status 66). Natively lockcheck_rank() does nothing.
 */
#include <pthread.h>
#include <stdio.h>

#include "lockcheck.h"

pthread_mutex_t low_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t high_lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;

__attribute__((noinline)) void take_high_then_low(void)
{
	pthread_mutex_lock(&high_lock);
	pthread_mutex_lock(&low_lock); /* rank 1 while holding rank 2 */
	counter++;
	pthread_mutex_unlock(&low_lock);
	pthread_mutex_unlock(&high_lock);
}

static void *worker(void *arg)
{
	take_high_then_low();
	return NULL;
}

int main(void)
{
	pthread_t t;

	lockcheck_rank(&low_lock, 1);
	lockcheck_rank(&high_lock, 2);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	printf("rank_violation: counter=%d\n", counter);
	return 0;
}
