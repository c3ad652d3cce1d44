/*
 * cond_timedwait_einval: timed condition waits that fail before releasing
 * their mutex (an invalid time, an unknown clock: glibc returns EINVAL with
 * the mutex still locked).
 *
 * Pattern: the thread holds outer_lock, then cv_lock, and waits with a
 * tv_nsec of two seconds (EINVAL), then with pthread_cond_clockwait on a
 * clock glibc does not accept (EINVAL); then it unlocks cv_lock and
 * outer_lock, correctly: it still held both.
 *
 * MUST NOT REPORT: the failed waits did not release cv_lock, so the unlocks
 * are of locks the thread holds (no bad-unlock), and the order of the held
 * locks is as before (no inversion when cv_lock then outer_lock... are
 * released, no held-at-exit). A shim that took cv_lock off the held stack
 * for good reports a bad-unlock at the first unlock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

int main(void)
{
	struct timespec bad = { .tv_sec = 0, .tv_nsec = 2000000000L };
	struct timespec ok;
	clock_gettime(CLOCK_MONOTONIC, &ok);

	pthread_mutex_lock(&outer_lock);
	pthread_mutex_lock(&cv_lock);
	int rc1 = pthread_cond_timedwait(&cv, &cv_lock, &bad);
	int rc2 = pthread_cond_clockwait(&cv, &cv_lock, CLOCK_PROCESS_CPUTIME_ID,
					 &ok);
	printf("cond_timedwait_einval: %s %s\n",
	       rc1 == EINVAL ? "EINVAL" : "other", rc2 == EINVAL ? "EINVAL" : "other");
	pthread_mutex_unlock(&cv_lock);
	/* cv_lock is taken again after outer_lock: same order as before. */
	pthread_mutex_lock(&cv_lock);
	pthread_mutex_unlock(&cv_lock);
	pthread_mutex_unlock(&outer_lock);
	return 0;
}
