/*
 * held_at_exit: threads that end while still holding a lock.
 *
 * Pattern: the leaky worker thread locks leaked_lock (a mutex) and returns
 * from its start routine without unlocking it; after it is joined, the
 * quitter thread locks leaked_spin (a spinlock) and calls pthread_exit from
 * a nested function without unlocking it. Both locks stay locked for ever:
 * any later taker would hang. Main joins both and returns, holding nothing;
 * it never touches the leaked locks again.
 *
 * MUST REPORT: two held-at-exit findings, one naming leaked_lock and one
 * naming leaked_spin. held-at-exit is a warning: the exit status stays the
 * program's own, 0.
 */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t leaked_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_spinlock_t leaked_spin;
static int jobs;

__attribute__((noinline)) void start_job(void)
{
	pthread_mutex_lock(&leaked_lock);
	jobs++;
	/* the matching unlock is missing */
}

static void *leaky_worker(void *arg)
{
	start_job();
	return NULL;
}

__attribute__((noinline)) void quit_holding_spin(void)
{
	pthread_spin_lock(&leaked_spin);
	jobs++;
	pthread_exit(NULL);
}

static void *quitter(void *arg)
{
	quit_holding_spin();
	return NULL;
}

int main(void)
{
	pthread_t t;

	pthread_spin_init(&leaked_spin, PTHREAD_PROCESS_PRIVATE);
	pthread_create(&t, NULL, leaky_worker, NULL);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, quitter, NULL);
	pthread_join(t, NULL);
	printf("held_at_exit: jobs=%d\n", jobs);
	return 0;
}
