/*
 * order_file_violation: an acquisition against the order file.
 *
 * Pattern: order_file_violation.order says lock_a, then lock_b. The main
 * thread takes lock_b, then lock_a, once. No thread takes them the other way
 * round, so there is no cycle and no inversion: only the declared order says
 * this is wrong.
 *
 * MUST REPORT (with order_file=order_file_violation.order): one
 * order-violation over {lock_a, lock_b}, in take_b_then_a (an error: exit
 * status 66).
 */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static int counter;

__attribute__((noinline)) void take_b_then_a(void)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a); /* the file puts lock_a first */
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
}

int main(void)
{
	take_b_then_a();
	printf("order_file_violation: counter=%d\n", counter);
	return 0;
}
