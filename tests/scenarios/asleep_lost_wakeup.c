/*
 * asleep_lost_wakeup: a signal sent before anyone waits is lost.
 *
 * Pattern: the worker signals `ready` once, at once; main waits for it
 * later without a predicate (`if` instead of a flag checked in a loop), so
 * it sleeps for ever; the worker then waits for main's `go`. Two threads,
 * two condition variables, no lock held while asleep.
 *
 * MUST REPORT: one `deadlock` (all-asleep) naming both condition variables
 * and their mutex.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int started;

static void *worker(void *arg)
{
	pthread_mutex_lock(&state_lock);
	pthread_cond_signal(&ready); /* nobody waits yet: lost */
	while (!started)
		pthread_cond_wait(&go, &state_lock);
	pthread_mutex_unlock(&state_lock);
	return arg;
}

__attribute__((noinline)) void wait_ready(void)
{
	pthread_mutex_lock(&state_lock);
	pthread_cond_wait(&ready, &state_lock); /* the bug: no predicate */
	started = 1;
	pthread_cond_signal(&go);
	pthread_mutex_unlock(&state_lock);
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	usleep(100000);
	wait_ready();
	pthread_join(t, NULL);
	printf("asleep_lost_wakeup: not reached natively\n");
	return 0;
}
