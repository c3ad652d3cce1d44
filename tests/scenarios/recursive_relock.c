/*
 * recursive_relock: recursive mutexes locked three deep, with B nested.
 *
 * Pattern: two recursive mutexes, rec_attr_lock (made recursive with
 * pthread_mutexattr_settype) and rec_static_lock (statically initialised with
 * PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, so no init call is ever seen: the
 * kind must be read from the mutex itself). Each thread, for each recursive
 * lock R:
 *     lock R, lock R, lock inner_lock, lock R (third level), unlock in reverse;
 * and also takes inner_lock on its own, with nothing held. The order is
 * always R before inner_lock. The third lock of R happens while inner_lock is
 * held, but R is already held by the same thread, so that re-lock only bumps
 * a count and can never block: it is not an edge inner_lock -> R.
 *
 * MUST STAY SILENT: findings 0. Guards against reporting a recursive re-lock
 * as a double-lock, recording a re-lock of an already-held recursive mutex as
 * an order edge (a false inner_lock <-> R cycle), or unbalancing the held set
 * when a recursive lock is released level by level (held-at-exit,
 * bad-unlock).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

#define THREADS 2
#define ITERS 5000

static pthread_mutex_t rec_attr_lock;
static pthread_mutex_t rec_static_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_mutex_t inner_lock = PTHREAD_MUTEX_INITIALIZER;
static long inside, outside;

__attribute__((noinline)) void nest(pthread_mutex_t *rec)
{
	pthread_mutex_lock(rec);
	pthread_mutex_lock(rec);
	pthread_mutex_lock(&inner_lock);
	pthread_mutex_lock(rec); /* already held: a recursion, not an edge */
	inside++;
	pthread_mutex_unlock(rec);
	pthread_mutex_unlock(&inner_lock);
	pthread_mutex_unlock(rec);
	pthread_mutex_unlock(rec);
}

__attribute__((noinline)) void inner_alone(void)
{
	pthread_mutex_lock(&inner_lock);
	outside++;
	pthread_mutex_unlock(&inner_lock);
}

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++) {
		nest(&rec_attr_lock);
		inner_alone();
		nest(&rec_static_lock);
	}
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_t t[THREADS];
	int i;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&rec_attr_lock, &attr);
	pthread_mutexattr_destroy(&attr);

	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("recursive_relock: inside=%ld outside=%ld\n", inside, outside);
	pthread_mutex_destroy(&rec_attr_lock);
	return 0;
}
