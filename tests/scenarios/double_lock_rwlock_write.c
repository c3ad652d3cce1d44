/*
 * double_lock_rwlock_write: a thread asks again for an rwlock it holds for
 * write: once for write, once for read.
 *
 * Pattern: the main thread write-locks config_rw, then calls a helper that
 * write-locks it again; later it write-locks cache_rw, then calls a helper
 * that read-locks it. A writer excludes everyone, itself included: both
 * second requests could only wait for themselves. glibc notices (it records
 * the writer) and returns EDEADLK at once instead of hanging; the program
 * checks and prints both codes, unlocks each rwlock once and goes on.
 *
 * MUST REPORT: one double-lock of config_rw (wrlock while holding it for
 * write) and one of cache_rw (rdlock while holding it for write), errors, so
 * the process exits 66 under the shim; and nothing else: the failed requests
 * are no holds (the single unlocks leave both rwlocks free).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_rwlock_t config_rw = PTHREAD_RWLOCK_INITIALIZER;
pthread_rwlock_t cache_rw = PTHREAD_RWLOCK_INITIALIZER;
static int config_version, cache_hits;

static const char *code(int rc)
{
	return rc == EDEADLK ? "EDEADLK" : rc == 0 ? "0" : "another error";
}

__attribute__((noinline)) int set_config_locked(void)
{
	int rc = pthread_rwlock_wrlock(&config_rw); /* held for write */

	if (rc == 0) {
		config_version++;
		pthread_rwlock_unlock(&config_rw);
	}
	return rc;
}

__attribute__((noinline)) int read_cache_locked(void)
{
	int rc = pthread_rwlock_rdlock(&cache_rw); /* held for write */

	if (rc == 0) {
		cache_hits++;
		pthread_rwlock_unlock(&cache_rw);
	}
	return rc;
}

int main(void)
{
	int rc;

	pthread_rwlock_wrlock(&config_rw);
	config_version++;
	rc = set_config_locked();
	pthread_rwlock_unlock(&config_rw);
	printf("double_lock_rwlock_write: second wrlock returned %s\n",
	       code(rc));

	pthread_rwlock_wrlock(&cache_rw);
	rc = read_cache_locked();
	pthread_rwlock_unlock(&cache_rw);
	printf("double_lock_rwlock_write: rdlock under wrlock returned %s\n",
	       code(rc));

	/* Both are free again. */
	rc = pthread_rwlock_trywrlock(&config_rw) | pthread_rwlock_trywrlock(&cache_rw);
	printf("double_lock_rwlock_write: both free again: %s\n",
	       rc == 0 ? "yes" : "no");
	pthread_rwlock_unlock(&cache_rw);
	pthread_rwlock_unlock(&config_rw);
	return 0;
}
