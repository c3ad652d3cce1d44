/*
 * robust_owner_dead: a robust mutex whose owner thread dies holding it.
 *
 * Pattern: a worker locks a robust mutex and returns without unlocking. The
 * main thread then locks it: glibc returns EOWNERDEAD, which means the lock
 * WAS acquired (the caller must make it consistent); main marks it
 * consistent, unlocks it, and locks it again normally.
 *
 * MUST NOT REPORT: the worker ending with robust_lock held is the protocol
 * robust mutexes exist for (the next owner is told), not a held-at-exit;
 * main's unlock is no bad-unlock: the EOWNERDEAD acquisition counts as an
 * acquisition.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t robust_lock;

static void *die_holding(void *arg)
{
	pthread_mutex_lock(&robust_lock);
	return NULL; /* ends holding robust_lock */
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust_lock, &attr);
	pthread_t t;
	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	int rc = pthread_mutex_lock(&robust_lock);
	printf("robust_owner_dead: lock after owner died: %s\n",
	       rc == EOWNERDEAD ? "EOWNERDEAD" : "other");
	pthread_mutex_consistent(&robust_lock);
	pthread_mutex_unlock(&robust_lock);
	rc = pthread_mutex_lock(&robust_lock);
	printf("robust_owner_dead: relock: %d\n", rc);
	pthread_mutex_unlock(&robust_lock);
	pthread_mutex_destroy(&robust_lock);
	return 0;
}
