/*
 * bad_unlock_unlocked: an error-checking mutex unlocked twice.
 *
 * Pattern: the main thread locks released_lock, unlocks it, and then a
 * cleanup function unlocks it again. For a PTHREAD_MUTEX_ERRORCHECK mutex
 * glibc refuses the second unlock with EPERM (the program checks and prints
 * it); with a default mutex the same bug corrupts the lock.
 *
 * MUST REPORT: one bad-unlock of released_lock (an error, so the process
 * exits 66 under the shim), and nothing else: the first, correct unlock is
 * not reported, and after the refused unlock the mutex still works (locked
 * and unlocked once more, destroyed).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t released_lock;
static int jobs;

__attribute__((noinline)) void run_job(void)
{
	pthread_mutex_lock(&released_lock);
	jobs++;
	pthread_mutex_unlock(&released_lock);
}

__attribute__((noinline)) int cleanup(void)
{
	return pthread_mutex_unlock(&released_lock); /* not held: EPERM */
}

int main(void)
{
	pthread_mutexattr_t attr;
	int rc;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&released_lock, &attr);
	pthread_mutexattr_destroy(&attr);

	run_job();
	rc = cleanup();
	printf("bad_unlock_unlocked: second unlock returned %s\n",
	       rc == EPERM ? "EPERM" : rc == 0 ? "0" : "another error");
	run_job();
	printf("bad_unlock_unlocked: jobs=%d, destroy returned %d\n", jobs,
	       pthread_mutex_destroy(&released_lock));
	return 0;
}
