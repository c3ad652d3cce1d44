/*
 * cond_reinit_waiters: pthread_cond_init of a condition variable a thread
 * waits on.
 *
 * Pattern: the worker waits on event_cond (with a timeout); main,
 * "resetting" the event, calls pthread_cond_init(&event_cond) while the
 * worker is in its wait, which wipes the waiter's state from under it.
 *
 * MUST REPORT: one reinit of event_cond (a thread waits on it: provably
 * live), and nothing else. An init of a known condition variable nobody
 * waits on is not reported (it cannot be told from memory freed and
 * reused: mutex_reinit_ok).
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

pthread_mutex_t event_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t event_cond = PTHREAD_COND_INITIALIZER;

static void *worker(void *arg)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 300000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&event_lock);
	pthread_cond_timedwait(&event_cond, &event_lock, &until);
	pthread_mutex_unlock(&event_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	usleep(100000); /* the worker is in its wait */
	pthread_cond_init(&event_cond, NULL);
	pthread_join(t, NULL);
	printf("cond_reinit_waiters: done\n");
	return 0;
}
