/*
 * barrier_destroy_waiters: a barrier is destroyed while a thread waits in
 * an unfinished round.
 *
 * Pattern: a barrier of count 2; one worker arrives and waits for its
 * partner, which never comes: the main thread destroys the barrier instead.
 * glibc's destroy waits for the round's waiters to leave: for ever.
 *
 * MUST REPORT, before the destroy blocks: barrier-misuse (detail
 * destroyed-with-waiters) of rendezvous. halt_on_error ends the run there.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_barrier_t rendezvous;
static volatile int arrived;

static void *worker(void *arg)
{
	(void)arg;
	arrived = 1;
	pthread_barrier_wait(&rendezvous);
	return NULL;
}

int main(void)
{
	pthread_t th;
	pthread_barrier_init(&rendezvous, NULL, 2);
	pthread_create(&th, NULL, worker, NULL);
	while (!arrived)
		usleep(1000);
	usleep(50000); /* the worker is inside the wait */
	pthread_barrier_destroy(&rendezvous);
	pthread_join(th, NULL);
	printf("barrier_destroy_waiters: not reached\n");
	return 0;
}
