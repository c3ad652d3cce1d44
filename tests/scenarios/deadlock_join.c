/*
 * deadlock_join: main joins a thread while holding the lock that thread
 * needs.
 *
 * Pattern: main locks state_lock, starts a worker, and joins it without
 * unlocking; the worker's first act is to lock state_lock. The worker waits
 * for main's lock, main waits for the worker to end: natively this hangs.
 * There is one lock and no lock order at all, so no order check can see it.
 *
 * MUST REPORT: one `deadlock` (error) whose locks are exactly {state_lock}:
 * the cycle runs main -(join)-> worker -(state_lock)-> main. With
 * halt_on_error=1 the process exits 66 within 3 s instead of hanging.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static int state;

__attribute__((noinline)) void set_state(int v)
{
	pthread_mutex_lock(&state_lock); /* main holds it: never returns */
	state = v;
	pthread_mutex_unlock(&state_lock);
}

static void *worker(void *arg)
{
	set_state(1);
	return NULL;
}

__attribute__((noinline)) void stop_worker_locked(void)
{
	pthread_t t;

	pthread_mutex_lock(&state_lock);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL); /* the worker waits for state_lock: for ever */
	pthread_mutex_unlock(&state_lock);
}

int main(void)
{
	stop_worker_locked();
	printf("deadlock_join: not reached natively, state=%d\n", state);
	return 0;
}
