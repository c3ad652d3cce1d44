/*
 * cond_wait_destroyed: a wait on a condition variable that was destroyed.
 *
 * Pattern: reply_cond is initialised and destroyed (the request finished);
 * a late waiter waits on it with a timeout.
 *
 * MUST REPORT: one invalid-use (detail destroyed) of reply_cond, with where
 * it was initialised and destroyed, and nothing else. (A variable destroyed
 * and initialised again is fine: mutex_reinit_ok.)
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

pthread_mutex_t reply_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t reply_cond;

int main(void)
{
	pthread_cond_init(&reply_cond, NULL);
	pthread_cond_destroy(&reply_cond);

	struct timespec soon;
	clock_gettime(CLOCK_REALTIME, &soon);
	soon.tv_nsec += 1000000;
	if (soon.tv_nsec >= 1000000000) {
		soon.tv_sec++;
		soon.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&reply_lock);
	pthread_cond_timedwait(&reply_cond, &reply_lock, &soon);
	pthread_mutex_unlock(&reply_lock);
	printf("cond_wait_destroyed: done\n");
	return 0;
}
