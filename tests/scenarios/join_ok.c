/*
 * join_ok: main joins workers while holding a lock they never need.
 *
 * Pattern: main locks log_lock and, still holding it, joins two workers.
 * The workers share work_lock (each holds it 30 ms at a time, so one waits
 * for the other longer than the shim's grace) and never touch log_lock.
 * Main waits for the workers, a worker may wait for the other worker, but
 * no worker waits for main: the wait-for graph has no cycle.
 *
 * MUST STAY SILENT: findings 0. Guards against a join wait treated as if
 * the joiner's held locks were wanted by the joined thread (a deadlock
 * reported from "holds a lock while joining" alone).
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define ROUNDS 5

pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static int work_done;

__attribute__((noinline)) void do_work(void)
{
	struct timespec ts = { 0, 30 * 1000000L };

	pthread_mutex_lock(&work_lock);
	while (nanosleep(&ts, &ts) != 0)
		;
	work_done++;
	pthread_mutex_unlock(&work_lock);
}

static void *worker(void *arg)
{
	for (int i = 0; i < ROUNDS; i++)
		do_work();
	return NULL;
}

__attribute__((noinline)) void join_under_log_lock(pthread_t *t, int n)
{
	pthread_mutex_lock(&log_lock);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_mutex_unlock(&log_lock);
}

int main(void)
{
	pthread_t t[2];

	pthread_create(&t[0], NULL, worker, NULL);
	pthread_create(&t[1], NULL, worker, NULL);
	join_under_log_lock(t, 2);
	printf("join_ok: work_done=%d\n", work_done);
	return 0;
}
