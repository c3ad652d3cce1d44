/*
 * deadlock_self: a thread locks a normal mutex it already holds, while main
 * waits to join it.
 *
 * Pattern: a worker thread locks self_lock (PTHREAD_MUTEX_DEFAULT: no owner
 * check), then calls a helper that locks self_lock again; main joins the
 * worker. The worker waits for itself and main for the worker: natively
 * this hangs.
 *
 * MUST REPORT: one double-lock of self_lock, and nothing else: the
 * double-lock is written before the worker blocks, and halt_on_error=1 ends
 * the process at once (exit 66, well within 3 s), before any wait-for check
 * could see the worker waiting for itself.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t self_lock = PTHREAD_MUTEX_INITIALIZER;
static int entries;

__attribute__((noinline)) void enter_again(void)
{
	pthread_mutex_lock(&self_lock); /* already held: never returns */
	entries++;
	pthread_mutex_unlock(&self_lock);
}

static void *worker(void *arg)
{
	pthread_mutex_lock(&self_lock);
	entries++;
	enter_again();
	pthread_mutex_unlock(&self_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	printf("deadlock_self: not reached natively, entries=%d\n", entries);
	return 0;
}
