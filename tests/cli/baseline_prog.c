/*
 * baseline_prog: AB-BA always; with the argument "new", a second AB-BA
 * (lock_c/lock_d) too. tests/cli/baseline.sh runs it under `lockcheck run
 * --baseline`: the first cycle is in the baseline (old), the second is new.
 *
 * Each cycle's two halves run in two threads alive at once, ordered by a
 * semaphore (not a lock, so the checker sees no order between the threads
 * and judges deadlock-possible, an error), so the run never hangs. Exits
 * 3 so that a test can tell the program's own status from lockcheck's.
 */
#include <pthread.h>
#include <stdio.h>
#include <semaphore.h>
#include <string.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_c = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_d = PTHREAD_MUTEX_INITIALIZER;

struct pair {
	pthread_mutex_t *first, *second;
	sem_t *wait, *post;
};

__attribute__((noinline)) static void take_in_order(pthread_mutex_t *x,
						    pthread_mutex_t *y)
{
	pthread_mutex_lock(x);
	pthread_mutex_lock(y);
	pthread_mutex_unlock(y);
	pthread_mutex_unlock(x);
}

static void *half(void *arg)
{
	struct pair *p = arg;
	if (p->wait)
		sem_wait(p->wait);
	take_in_order(p->first, p->second);
	if (p->post)
		sem_post(p->post);
	return NULL;
}

static void cycle(pthread_mutex_t *x, pthread_mutex_t *y)
{
	sem_t done;
	sem_init(&done, 0, 0);
	struct pair one = {x, y, NULL, &done}, two = {y, x, &done, NULL};
	pthread_t t1, t2;
	pthread_create(&t1, NULL, half, &one);
	pthread_create(&t2, NULL, half, &two);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	sem_destroy(&done);
}

int main(int argc, char **argv)
{
	cycle(&lock_a, &lock_b);
	if (argc > 1 && !strcmp(argv[1], "new"))
		cycle(&lock_c, &lock_d);
	/* The end, reached unless the shim halted the program. */
	printf("baseline_prog: done\n");
	return 3;
}
