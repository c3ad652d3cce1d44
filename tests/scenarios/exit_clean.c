/*
 * exit_clean: threads that end holding nothing, and a main thread that
 * returns from main while holding locks.
 *
 * Pattern:
 *   - worker threads take a mutex, a recursive mutex (three levels deep), a
 *     spinlock and an rwlock (for read) and release all of them, recursive
 *     levels included, before returning from the start routine;
 *   - another thread releases its locks and then calls pthread_exit from a
 *     nested function;
 *   - the napper thread waits on nap_cond with pthread_cond_timedwait and a
 *     2 ms timeout that expires (nobody signals): the wait re-takes nap_lock,
 *     the thread unlocks it and returns;
 *   - main, after joining everyone, locks main_lock and config_rw (for write)
 *     and returns from main with both held: process exit is not a thread
 *     exit, and the locks die with the process.
 *
 * MUST STAY SILENT: findings 0, status 0. Guards against counting a
 * recursive lock as still held after its last level is released, against a
 * held set that keeps a lock released through pthread_cond_timedwait's
 * re-acquisition, and against reporting the main thread's holds at process
 * exit as held-at-exit.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define WORKERS 2

static pthread_mutex_t data_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t rec_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_spinlock_t stat_spin;
static pthread_rwlock_t config_rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t main_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t nap_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t nap_cond = PTHREAD_COND_INITIALIZER;
static long work;

__attribute__((noinline)) void balanced_work(void)
{
	pthread_rwlock_rdlock(&config_rw);
	pthread_mutex_lock(&rec_lock);
	pthread_mutex_lock(&rec_lock);
	pthread_mutex_lock(&data_lock);
	pthread_mutex_lock(&rec_lock);
	pthread_spin_lock(&stat_spin);
	work++;
	pthread_spin_unlock(&stat_spin);
	pthread_mutex_unlock(&rec_lock);
	pthread_mutex_unlock(&data_lock);
	pthread_mutex_unlock(&rec_lock);
	pthread_mutex_unlock(&rec_lock);
	pthread_rwlock_unlock(&config_rw);
}

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < 1000; i++)
		balanced_work();
	return NULL;
}

__attribute__((noinline)) void work_then_exit(void)
{
	balanced_work();
	pthread_exit(NULL);
}

static void *exiter(void *arg)
{
	work_then_exit();
	return NULL;
}

static void *napper(void *arg)
{
	struct timespec ts;

	pthread_mutex_lock(&nap_lock);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 2000000L; /* 2 ms; nobody signals nap_cond */
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (pthread_cond_timedwait(&nap_cond, &nap_lock, &ts) == 0)
		;
	pthread_mutex_unlock(&nap_lock);
	return NULL;
}

int main(void)
{
	pthread_t w[WORKERS], e, n;
	int i;

	pthread_spin_init(&stat_spin, PTHREAD_PROCESS_PRIVATE);
	for (i = 0; i < WORKERS; i++)
		pthread_create(&w[i], NULL, worker, NULL);
	pthread_create(&e, NULL, exiter, NULL);
	pthread_create(&n, NULL, napper, NULL);
	for (i = 0; i < WORKERS; i++)
		pthread_join(w[i], NULL);
	pthread_join(e, NULL);
	pthread_join(n, NULL);
	printf("exit_clean: work=%ld\n", work);

	pthread_mutex_lock(&main_lock);
	pthread_rwlock_wrlock(&config_rw);
	return 0; /* holding main_lock and config_rw: not a thread exit */
}
