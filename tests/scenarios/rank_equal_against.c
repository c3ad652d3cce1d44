/*
 * rank_equal_against: two locks of the same rank, taken against address
 * order.
 *
 * Pattern: eq_x and eq_y both have rank 5. One thread takes the
 * higher-addressed of the two first, then the lower-addressed one (whichever
 * variable the linker put where). Only one thread and one order: no cycle.
 *
 * MUST REPORT: one order-violation over {eq_x, eq_y} (equal ranks must be
 * taken lower address first): an error, exit status 66.
 */
#include <pthread.h>
#include <stdio.h>

#include "lockcheck.h"

pthread_mutex_t eq_x = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t eq_y = PTHREAD_MUTEX_INITIALIZER;
static int counter;

__attribute__((noinline)) void take_pair_against_address_order(void)
{
	pthread_mutex_t *lo = &eq_x < &eq_y ? &eq_x : &eq_y;
	pthread_mutex_t *hi = &eq_x < &eq_y ? &eq_y : &eq_x;

	pthread_mutex_lock(hi);
	pthread_mutex_lock(lo); /* lower address second: against the rule */
	counter++;
	pthread_mutex_unlock(lo);
	pthread_mutex_unlock(hi);
}

int main(void)
{
	lockcheck_rank(&eq_x, 5);
	lockcheck_rank(&eq_y, 5);
	take_pair_against_address_order();
	printf("rank_equal_against: counter=%d\n", counter);
	return 0;
}
