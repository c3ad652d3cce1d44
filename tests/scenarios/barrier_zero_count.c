/*
 * barrier_zero_count: pthread_barrier_init with a count of 0.
 *
 * Pattern: the count comes from a worker total that is 0 here; glibc
 * fails the init with EINVAL, which the program does not check.
 *
 * MUST REPORT: barrier-misuse (detail zero-count) of phase.
 */
#include <pthread.h>
#include <stdio.h>

pthread_barrier_t phase;
static unsigned workers; /* 0: nobody configured */

int main(void)
{
	int rc = pthread_barrier_init(&phase, NULL, workers);
	printf("barrier_zero_count: rc=%d\n", rc);
	return 0;
}
