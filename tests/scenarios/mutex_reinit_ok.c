/*
 * mutex_reinit_ok: the correct lives of mutexes, rwlocks and condition
 * variables at one address.
 *
 * Pattern: a mutex, a rwlock and a condition variable each initialised,
 * used, destroyed and initialised again, then used again; a static
 * PTHREAD_MUTEX_INITIALIZER mutex used directly; a heap object holding a
 * mutex freed without destroy and a new one allocated (often at the same
 * address) and initialised; a heap mutex destroyed, its memory reused for a
 * new statically initialised mutex.
 *
 * MUST NOT REPORT: none of these is a reinit or a use of a destroyed or
 * uninitialised object.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pthread_mutex_t life_lock;
pthread_rwlock_t life_rwlock;
pthread_cond_t life_cond;
pthread_mutex_t static_lock = PTHREAD_MUTEX_INITIALIZER;

struct obj {
	pthread_mutex_t m;
	int v;
};

int main(void)
{
	for (int i = 0; i < 2; i++) {
		pthread_mutex_init(&life_lock, NULL);
		pthread_rwlock_init(&life_rwlock, NULL);
		pthread_cond_init(&life_cond, NULL);
		pthread_mutex_lock(&life_lock);
		pthread_cond_signal(&life_cond);
		pthread_mutex_unlock(&life_lock);
		pthread_rwlock_wrlock(&life_rwlock);
		pthread_rwlock_unlock(&life_rwlock);
		pthread_cond_destroy(&life_cond);
		pthread_rwlock_destroy(&life_rwlock);
		pthread_mutex_destroy(&life_lock);
	}
	pthread_mutex_lock(&static_lock);
	pthread_mutex_unlock(&static_lock);

	for (int i = 0; i < 4; i++) {
		struct obj *o = malloc(sizeof *o);
		pthread_mutex_init(&o->m, NULL);
		pthread_mutex_lock(&o->m);
		o->v = i;
		pthread_mutex_unlock(&o->m);
		free(o); /* no destroy: common, and not a reinit next time */
	}
	for (int i = 0; i < 4; i++) {
		struct obj *o = malloc(sizeof *o);
		pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
		memcpy(&o->m, &fresh, sizeof fresh);
		pthread_mutex_lock(&o->m);
		pthread_mutex_unlock(&o->m);
		pthread_mutex_destroy(&o->m);
		free(o);
	}
	printf("mutex_reinit_ok: done\n");
	return 0;
}
