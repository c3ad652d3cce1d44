/*
 * churn.c: thread create/exit churn (stress scenario b).
 *
 * 10,000 threads over the run (quick; 100,000 long), in waves of 100: in
 * each wave half the threads are joined and half detached, so the shim's
 * thread records are taken and given back thousands of times, with ends it
 * learns about by a join and ends nobody waits for. Each thread takes two
 * or three of 16 shared mutexes in ascending order (and a rwlock for
 * reading around them every third thread), initialises, locks and destroys
 * a mutex of its own on its stack, names itself every fifth thread, and
 * ends by returning or, every seventh, by pthread_exit. A detached thread
 * reports its end under a mutex with a condition the main thread waits on
 * before the next wave, so no more than a wave is ever alive.
 *
 * stdout: the thread count and the shared counters' total, both fixed by
 * the size. Size from LOCKCHECK_STRESS (stress.h).
 */
#include "stress.h"

#include <pthread.h>

#define WAVE 100
#define NSHARED 16

static pthread_mutex_t shared[NSHARED];
static unsigned long counter[NSHARED];
static pthread_rwlock_t outer = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static int detached_left;

static void work(unsigned n)
{
	uint64_t s = stress_seed(n);
	uint64_t d = stress_rand(&s);
	int a = (int)(d % (NSHARED - 2));
	int b = a + 1 + (int)((d >> 8) % (unsigned)(NSHARED - 1 - a));
	int third = n % 2 == 0 && b + 1 < NSHARED;
	if (n % 3 == 0)
		pthread_rwlock_rdlock(&outer);
	pthread_mutex_lock(&shared[a]);
	pthread_mutex_lock(&shared[b]);
	if (third)
		pthread_mutex_lock(&shared[b + 1]);
	counter[a]++;
	counter[b]++;
	if (third) {
		counter[b + 1]++;
		pthread_mutex_unlock(&shared[b + 1]);
	}
	pthread_mutex_unlock(&shared[b]);
	pthread_mutex_unlock(&shared[a]);
	if (n % 3 == 0)
		pthread_rwlock_unlock(&outer);

	pthread_mutex_t own;
	pthread_mutex_init(&own, NULL);
	pthread_mutex_lock(&own);
	pthread_mutex_unlock(&own);
	pthread_mutex_destroy(&own);
	if (n % 5 == 0) {
		char name[16];
		snprintf(name, sizeof name, "churn-%u", n % 100000);
		pthread_setname_np(pthread_self(), name);
	}
}

static void *joined(void *arg)
{
	unsigned n = (unsigned)(uintptr_t)arg;
	work(n);
	if (n % 7 == 0)
		pthread_exit(arg);
	return arg;
}

static void *detached(void *arg)
{
	unsigned n = (unsigned)(uintptr_t)arg;
	work(n);
	pthread_mutex_lock(&done_lock);
	if (--detached_left == 0)
		pthread_cond_signal(&done_cv);
	pthread_mutex_unlock(&done_lock);
	if (n % 7 == 0)
		pthread_exit(NULL);
	return NULL;
}

int main(void)
{
	unsigned total = stress_long() ? 100000 : 10000;
	for (int i = 0; i < NSHARED; i++)
		pthread_mutex_init(&shared[i], NULL);
	pthread_attr_t det;
	pthread_attr_init(&det);
	pthread_attr_setdetachstate(&det, PTHREAD_CREATE_DETACHED);

	unsigned n = 0, waves = 0;
	while (n < total) {
		pthread_t t[WAVE];
		unsigned first = n;
		pthread_mutex_lock(&done_lock);
		detached_left = WAVE / 2;
		pthread_mutex_unlock(&done_lock);
		for (int i = 0; i < WAVE; i++, n++) {
			int rc;
			if (i % 2)
				rc = pthread_create(&t[i], &det, detached, (void *)(uintptr_t)n);
			else
				rc = pthread_create(&t[i], NULL, joined, (void *)(uintptr_t)n);
			STRESS_CHECK(rc == 0, "pthread_create %u: %d", n, rc);
		}
		for (int i = 0; i < WAVE; i += 2) {
			void *ret;
			STRESS_CHECK(pthread_join(t[i], &ret) == 0, "join");
			STRESS_CHECK(ret == (void *)(uintptr_t)(first + (unsigned)i),
				     "thread %u returned %p", first + i, ret);
		}
		pthread_mutex_lock(&done_lock);
		while (detached_left > 0)
			pthread_cond_wait(&done_cv, &done_lock);
		pthread_mutex_unlock(&done_lock);
		waves++;
	}
	unsigned long sum = 0;
	for (int i = 0; i < NSHARED; i++) {
		pthread_mutex_lock(&shared[i]);
		sum += counter[i];
		pthread_mutex_unlock(&shared[i]);
	}
	printf("churn: %u threads in %u waves of %d (half detached), %lu shared lock holds\n",
	       n, waves, WAVE, sum);
	return 0;
}
