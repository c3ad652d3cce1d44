/*
 * mutex_lock_destroyed: a mutex locked after it was destroyed.
 *
 * Pattern: cache_lock is initialised, used, destroyed (the cache was torn
 * down), and a late caller locks it again. glibc refuses it (EINVAL: its
 * destroy left an invalid kind) and the program carries on unprotected.
 *
 * MUST REPORT: one invalid-use (detail destroyed) of cache_lock, naming
 * where it was initialised, destroyed and locked; nothing else (the refused
 * lock changes nothing: its unlock is not a bad-unlock).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t cache_lock;

__attribute__((noinline)) static void teardown(void)
{
	pthread_mutex_destroy(&cache_lock);
}

__attribute__((noinline)) static int late_lookup(void)
{
	int rc = pthread_mutex_lock(&cache_lock);
	if (rc == 0)
		pthread_mutex_unlock(&cache_lock);
	return rc;
}

int main(void)
{
	pthread_mutex_init(&cache_lock, NULL);
	pthread_mutex_lock(&cache_lock);
	pthread_mutex_unlock(&cache_lock);
	teardown();
	int rc = late_lookup();
	printf("mutex_lock_destroyed: lock returned %s\n",
	       rc == EINVAL ? "EINVAL" : "something else");
	return 0;
}
