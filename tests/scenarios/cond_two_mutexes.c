/*
 * cond_two_mutexes: one condition variable waited on with two different
 * mutexes at the same time.
 *
 * Pattern: the worker waits on shared_cond with queue_lock; main, while the
 * worker waits, waits on shared_cond with stats_lock (a copy-paste slip),
 * with a timeout. POSIX leaves this undefined; glibc lets it pass, and the
 * predicates the two mutexes guard are not what the wakeups protect.
 *
 * MUST REPORT: one cond-misuse (detail two-mutexes) naming shared_cond,
 * stats_lock and queue_lock, and nothing else.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t shared_cond = PTHREAD_COND_INITIALIZER;
static int queue_ready;

static void *worker(void *arg)
{
	pthread_mutex_lock(&queue_lock);
	while (!queue_ready)
		pthread_cond_wait(&shared_cond, &queue_lock);
	pthread_mutex_unlock(&queue_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	usleep(100000); /* the worker is in its wait */

	struct timespec soon;
	clock_gettime(CLOCK_REALTIME, &soon);
	soon.tv_sec += 0;
	soon.tv_nsec += 20000000;
	if (soon.tv_nsec >= 1000000000) {
		soon.tv_sec++;
		soon.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&stats_lock);
	pthread_cond_timedwait(&shared_cond, &stats_lock, &soon);
	pthread_mutex_unlock(&stats_lock);

	pthread_mutex_lock(&queue_lock);
	queue_ready = 1;
	pthread_cond_broadcast(&shared_cond);
	pthread_mutex_unlock(&queue_lock);
	pthread_join(t, NULL);
	printf("cond_two_mutexes: done\n");
	return 0;
}
