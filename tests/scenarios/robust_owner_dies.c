/*
 * robust_owner_dies: a thread ends holding a robust mutex; the next owner
 * gets EOWNERDEAD and makes the state consistent.
 *
 * Pattern: the worker locks robust_lock (PTHREAD_MUTEX_ROBUST) and returns
 * without unlocking it (it "dies"); main joins it, locks robust_lock
 * (EOWNERDEAD), calls pthread_mutex_consistent, unlocks it, and destroys it.
 *
 * MUST NOT REPORT: ending while holding a robust mutex is the protocol
 * robust mutexes exist for, not a held-at-exit; main's EOWNERDEAD
 * acquisition is an acquisition, so its unlock is no bad-unlock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t robust_lock;

static void *worker(void *arg)
{
	pthread_mutex_lock(&robust_lock);
	return NULL; /* dies holding it */
}

int main(void)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust_lock, &a);
	pthread_mutexattr_destroy(&a);

	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);

	int rc = pthread_mutex_lock(&robust_lock);
	printf("robust_owner_dies: lock returned %s\n",
	       rc == EOWNERDEAD ? "EOWNERDEAD" : "something else");
	if (rc == EOWNERDEAD)
		pthread_mutex_consistent(&robust_lock);
	pthread_mutex_unlock(&robust_lock);
	printf("robust_owner_dies: destroy returned %d\n",
	       pthread_mutex_destroy(&robust_lock));
	return 0;
}
