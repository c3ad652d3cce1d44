/*
 * cond_destroy_after_wait_ok: a condition variable destroyed after its
 * waiters left, and one whose waits timed out or failed.
 *
 * Pattern: the worker waits on done_cond until main sets the predicate and
 * signals; main joins it and destroys done_cond. Then main waits on
 * idle_cond with a timeout that expires, and with an invalid time (EINVAL),
 * and destroys it.
 *
 * MUST NOT REPORT: nobody waits when the variables are destroyed (every
 * wait, ended or failed, no longer counts as a waiter).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t done_cond;
pthread_cond_t idle_cond;
static int done;

static void *worker(void *arg)
{
	pthread_mutex_lock(&done_lock);
	while (!done)
		pthread_cond_wait(&done_cond, &done_lock);
	pthread_mutex_unlock(&done_lock);
	return NULL;
}

int main(void)
{
	pthread_cond_init(&done_cond, NULL);
	pthread_cond_init(&idle_cond, NULL);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_mutex_lock(&done_lock);
	done = 1;
	pthread_cond_broadcast(&done_cond);
	pthread_mutex_unlock(&done_lock);
	pthread_join(t, NULL);
	pthread_cond_destroy(&done_cond);

	struct timespec soon, bad = { 0, -1 };
	clock_gettime(CLOCK_REALTIME, &soon);
	soon.tv_nsec += 1000000;
	if (soon.tv_nsec >= 1000000000) {
		soon.tv_sec++;
		soon.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&done_lock);
	int rc1 = pthread_cond_timedwait(&idle_cond, &done_lock, &soon);
	int rc2 = pthread_cond_timedwait(&idle_cond, &done_lock, &bad);
	pthread_mutex_unlock(&done_lock);
	pthread_cond_destroy(&idle_cond);
	printf("cond_destroy_after_wait_ok: %s %s\n",
	       rc1 == ETIMEDOUT ? "ETIMEDOUT" : "other",
	       rc2 == EINVAL ? "EINVAL" : "other");
	return 0;
}
