/*
 * mutex_reinit_held: pthread_mutex_init of a mutex another thread holds.
 *
 * Pattern: the worker holds conn_lock while it works; main, "resetting" the
 * connection, calls pthread_mutex_init(&conn_lock) meanwhile, which wipes
 * the lock from under the worker.
 *
 * MUST REPORT: one reinit of conn_lock (the worker holds it: provably a
 * live lock), and nothing else. An init of a known mutex that nobody holds
 * is not reported (it cannot be told from memory freed and reused:
 * mutex_reinit_ok).
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t step_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t step_cond = PTHREAD_COND_INITIALIZER;
static int step;

static void set_step(int s)
{
	pthread_mutex_lock(&step_lock);
	step = s;
	pthread_cond_broadcast(&step_cond);
	pthread_mutex_unlock(&step_lock);
}

static void wait_step(int s)
{
	pthread_mutex_lock(&step_lock);
	while (step < s)
		pthread_cond_wait(&step_cond, &step_lock);
	pthread_mutex_unlock(&step_lock);
}

static void *worker(void *arg)
{
	pthread_mutex_lock(&conn_lock);
	set_step(1);
	wait_step(2);
	pthread_mutex_unlock(&conn_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	wait_step(1);
	pthread_mutex_init(&conn_lock, NULL); /* the worker holds it */
	set_step(2);
	pthread_join(t, NULL);
	printf("mutex_reinit_held: done\n");
	return 0;
}
