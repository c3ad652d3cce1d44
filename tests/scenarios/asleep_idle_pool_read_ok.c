/*
 * asleep_idle_pool_read_ok: an idle pool while main blocks in read().
 *
 * Pattern: four workers wait on `work_ready` for jobs; main blocks in
 * read() on a pipe whose other end a child process writes after a second.
 * Every worker sleeps in an untimed condition wait for the whole second,
 * but main is in a system call the shim does not see: it can (and does)
 * wake them. Then main posts one job per worker, ends the pool and joins.
 *
 * MUST STAY SILENT: a thread in read() is never "asleep".
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 4

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_ready = PTHREAD_COND_INITIALIZER;
static int jobs, done, closing;

static void *worker(void *arg)
{
	pthread_mutex_lock(&pool_lock);
	for (;;) {
		while (!jobs && !closing)
			pthread_cond_wait(&work_ready, &pool_lock);
		if (jobs) {
			jobs--;
			done++;
		} else {
			break;
		}
	}
	pthread_mutex_unlock(&pool_lock);
	return arg;
}

int main(void)
{
	int fds[2];
	if (pipe(fds) != 0)
		return 1;
	pid_t child = fork(); /* before any thread: a plain process */
	if (child == 0) {
		sleep(1);
		(void)!write(fds[1], "go", 2);
		_exit(0);
	}
	pthread_t t[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	char buf[2];
	(void)!read(fds[0], buf, sizeof buf); /* a second, unseen by the shim */
	pthread_mutex_lock(&pool_lock);
	jobs = WORKERS;
	closing = 1;
	pthread_cond_broadcast(&work_ready);
	pthread_mutex_unlock(&pool_lock);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	waitpid(child, NULL, 0);
	printf("asleep_idle_pool_read_ok: %d jobs done\n", done);
	return 0;
}
