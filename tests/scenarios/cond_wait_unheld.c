/*
 * cond_wait_unheld: pthread_cond_wait called with a mutex the thread does
 * not hold.
 *
 * Pattern: the main thread forgets to lock cv_lock before waiting for a
 * predicate: pthread_cond_wait(&ready_cond, &cv_lock) with cv_lock free. The
 * mutex is PTHREAD_MUTEX_ERRORCHECK, so glibc's wait fails at once with
 * EPERM when it tries to release the mutex it was given (the program checks
 * and prints it) instead of the undefined behaviour a default mutex gets.
 * Then the program does it right: lock, predicate already true, unlock.
 *
 * MUST REPORT: one cond-wait-unheld of cv_lock (an error, so the process
 * exits 66 under the shim), and nothing else: the wait's internal release
 * of the unheld mutex is not a second finding (bad-unlock), and the failed
 * wait does not leave cv_lock held (no bad-unlock at the correct unlock that
 * follows, no held-at-exit).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t cv_lock;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static int ready = 1;

__attribute__((noinline)) int wait_without_lock(void)
{
	/* The bug: no pthread_mutex_lock(&cv_lock) before the wait. */
	return pthread_cond_wait(&ready_cond, &cv_lock); /* EPERM */
}

int main(void)
{
	pthread_mutexattr_t attr;
	int rc;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&cv_lock, &attr);
	pthread_mutexattr_destroy(&attr);

	rc = wait_without_lock();
	printf("cond_wait_unheld: wait without the mutex returned %s\n",
	       rc == EPERM ? "EPERM" : rc == 0 ? "0" : "another error");

	pthread_mutex_lock(&cv_lock);
	while (!ready)
		pthread_cond_wait(&ready_cond, &cv_lock);
	pthread_mutex_unlock(&cv_lock);
	printf("cond_wait_unheld: destroy returned %d\n",
	       pthread_mutex_destroy(&cv_lock));
	return 0;
}
