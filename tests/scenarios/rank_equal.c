/*
 * rank_equal: two locks of the same rank, taken in address order.
 *
 * Pattern: eq_x and eq_y both have rank 5. Locks of equal rank may be held
 * together only when taken in address order, lower address first; two
 * threads take the pair that way (the lower-addressed one first, whichever
 * variable that is), and a third lock of a higher rank after them.
 *
 * MUST STAY SILENT: no finding (the rule allows equal ranks in address
 * order, and every acquisition follows it).
 */
#include <pthread.h>
#include <stdio.h>

#include "lockcheck.h"

pthread_mutex_t eq_x = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t eq_y = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t top_lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;

__attribute__((noinline)) void take_pair_in_address_order(void)
{
	pthread_mutex_t *lo = &eq_x < &eq_y ? &eq_x : &eq_y;
	pthread_mutex_t *hi = &eq_x < &eq_y ? &eq_y : &eq_x;

	pthread_mutex_lock(lo);
	pthread_mutex_lock(hi);
	pthread_mutex_lock(&top_lock); /* rank 6 after rank 5: allowed */
	counter++;
	pthread_mutex_unlock(&top_lock);
	pthread_mutex_unlock(hi);
	pthread_mutex_unlock(lo);
}

static void *worker(void *arg)
{
	for (int i = 0; i < 100; i++)
		take_pair_in_address_order();
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;

	lockcheck_rank(&eq_x, 5);
	lockcheck_rank(&eq_y, 5);
	lockcheck_rank(&top_lock, 6);
	pthread_create(&t1, NULL, worker, NULL);
	pthread_create(&t2, NULL, worker, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("rank_equal: counter=%d\n", counter);
	return 0;
}
