/*
 * mutex_kinds_ok: every mutex kind, through init and through its static
 * initialiser (which never passes through pthread_mutex_init), used in one
 * consistent order by two threads, with the recursive ones re-entered.
 *
 * MUST STAY SILENT: no inversion (one order), no double-lock (only the
 * recursive kinds are re-entered), no bad-unlock.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t static_normal = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t static_recursive = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
pthread_mutex_t static_errorcheck = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
pthread_mutex_t static_adaptive = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
pthread_mutex_t init_normal, init_recursive, init_errorcheck, init_adaptive;

static pthread_mutex_t *const order[] = {
	&static_normal, &static_recursive, &static_errorcheck, &static_adaptive,
	&init_normal,   &init_recursive,   &init_errorcheck,   &init_adaptive,
};
#define N_LOCKS (sizeof order / sizeof order[0])

static void *worker(void *arg)
{
	long ok = 0;
	for (int round = 0; round < 2000; round++) {
		for (unsigned i = 0; i < N_LOCKS; i++)
			ok += pthread_mutex_lock(order[i]) == 0;
		/* The recursive kinds are re-entered while everything is held. */
		ok += pthread_mutex_lock(&static_recursive) == 0;
		ok += pthread_mutex_lock(&init_recursive) == 0;
		pthread_mutex_unlock(&init_recursive);
		pthread_mutex_unlock(&static_recursive);
		for (unsigned i = N_LOCKS; i-- > 0;)
			pthread_mutex_unlock(order[i]);
	}
	return (void *)ok;
}

static void init_kind(pthread_mutex_t *m, int kind)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, kind);
	pthread_mutex_init(m, &attr);
	pthread_mutexattr_destroy(&attr);
}

int main(void)
{
	init_kind(&init_normal, PTHREAD_MUTEX_NORMAL);
	init_kind(&init_recursive, PTHREAD_MUTEX_RECURSIVE);
	init_kind(&init_errorcheck, PTHREAD_MUTEX_ERRORCHECK);
	init_kind(&init_adaptive, PTHREAD_MUTEX_ADAPTIVE_NP);
	pthread_t a, b;
	void *ra, *rb;
	pthread_create(&a, NULL, worker, NULL);
	pthread_create(&b, NULL, worker, NULL);
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	printf("mutex_kinds_ok: %ld successful locks\n", (long)ra + (long)rb);
	return 0;
}
