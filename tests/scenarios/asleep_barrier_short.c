/*
 * asleep_barrier_short: a barrier for three threads that only two reach.
 *
 * Pattern: the barrier is initialised with the count of the threads the
 * program meant to start (3), but one of them is never started. The worker
 * and main sleep in pthread_barrier_wait for a third that never comes.
 *
 * MUST REPORT: one `deadlock` (all-asleep) naming the barrier.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t start_line;

static void *runner(void *arg)
{
	pthread_barrier_wait(&start_line);
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_barrier_init(&start_line, NULL, 3);
	pthread_create(&t, NULL, runner, NULL);
	pthread_barrier_wait(&start_line);
	pthread_join(t, NULL);
	printf("asleep_barrier_short: not reached natively\n");
	return 0;
}
