/*
 * cond_destroy_waiters: a condition variable destroyed while a thread waits
 * on it.
 *
 * Pattern: the worker waits on work_cond (untimed) for a predicate nobody
 * sets; main, shutting down, destroys work_cond without waking it. glibc
 * (>= 2.25) blocks in pthread_cond_destroy until the waiters leave: for
 * ever here. Natively the program hangs.
 *
 * MUST REPORT: one cond-misuse (detail destroyed-with-waiters) of
 * work_cond, before the real destroy blocks; with halt_on_error the run
 * ends there with status 66.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t work_cond;
static int work_ready;

static void *worker(void *arg)
{
	pthread_mutex_lock(&work_lock);
	while (!work_ready)
		pthread_cond_wait(&work_cond, &work_lock);
	pthread_mutex_unlock(&work_lock);
	return NULL;
}

int main(void)
{
	pthread_cond_init(&work_cond, NULL);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	usleep(100000); /* the worker is in its wait */
	pthread_cond_destroy(&work_cond); /* blocks for ever */
	printf("cond_destroy_waiters: not reached\n");
	return 0;
}
