/*
 * rwlock_trylock_self: try-locks of a rwlock the caller holds for writing.
 *
 * Pattern: update() write-locks map_rwlock and calls a helper that
 * "opportunistically" try-write-locks it: glibc says EBUSY (the caller
 * itself holds it), and the helper takes its "someone else is updating"
 * branch, wrongly; a retry loop there would spin for ever.
 * Traps: a try-read-lock while holding it for reading succeeds; a
 * try-write-lock that fails because ANOTHER thread holds it is contention.
 *
 * MUST REPORT: one double-lock of map_rwlock (the try-write-lock while
 * holding it for writing), and nothing else.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_rwlock_t map_rwlock = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int phase;

__attribute__((noinline)) static int helper_try(void)
{
	int rc = pthread_rwlock_trywrlock(&map_rwlock);
	if (rc == 0)
		pthread_rwlock_unlock(&map_rwlock);
	return rc;
}

static void set_phase(int p)
{
	pthread_mutex_lock(&gate_lock);
	phase = p;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

static void wait_phase(int p)
{
	pthread_mutex_lock(&gate_lock);
	while (phase < p)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
}

static void *holder(void *arg)
{
	pthread_rwlock_wrlock(&map_rwlock);
	set_phase(1);
	wait_phase(2);
	pthread_rwlock_unlock(&map_rwlock);
	return NULL;
}

int main(void)
{
	pthread_rwlock_wrlock(&map_rwlock);
	int rc = helper_try(); /* the bug: EBUSY from itself */
	pthread_rwlock_unlock(&map_rwlock);

	pthread_rwlock_rdlock(&map_rwlock);
	int rc2 = pthread_rwlock_tryrdlock(&map_rwlock); /* fine */
	if (rc2 == 0)
		pthread_rwlock_unlock(&map_rwlock);
	pthread_rwlock_unlock(&map_rwlock);

	pthread_t t;
	pthread_create(&t, NULL, holder, NULL);
	wait_phase(1);
	int rc3 = pthread_rwlock_trywrlock(&map_rwlock); /* contention */
	set_phase(2);
	pthread_join(t, NULL);
	printf("rwlock_trylock_self: %s %d %s\n", rc == EBUSY ? "EBUSY" : "other",
	       rc2, rc3 == EBUSY ? "EBUSY" : "other");
	return 0;
}
