/*
 * asleep_main_exited: main calls pthread_exit; its worker waits for ever.
 *
 * Pattern: main starts a worker that waits for a `stop` request, then ends
 * with pthread_exit instead of asking it to stop. The process lives on
 * with one thread asleep in a condition wait; the kernel still lists main,
 * as a zombie, which cannot wake anyone.
 *
 * MUST REPORT: one `deadlock` (all-asleep) naming `stop_requested` and
 * its mutex.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t control_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_requested = PTHREAD_COND_INITIALIZER;
static int stop;

static void *service(void *arg)
{
	pthread_mutex_lock(&control_lock);
	while (!stop)
		pthread_cond_wait(&stop_requested, &control_lock);
	pthread_mutex_unlock(&control_lock);
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, service, NULL);
	pthread_exit(NULL); /* the bug: nobody sets stop */
}
