/*
 * bad_unlock_other_thread: a thread unlocks a mutex that another thread
 * holds.
 *
 * Pattern: the owner thread locks owner_lock (PTHREAD_MUTEX_ERRORCHECK) and
 * posts a semaphore; the intruder thread then calls pthread_mutex_unlock on
 * it. glibc refuses with EPERM (the owner is someone else); the intruder
 * reports the code through a semaphore, and the owner unlocks its mutex
 * normally. With a default mutex the intruder's unlock would have released
 * the owner's lock behind its back.
 *
 * MUST REPORT: one bad-unlock of owner_lock (an error, so the process exits
 * 66 under the shim), and nothing else: the refused unlock must not take the
 * lock away from the owner, whose own unlock is correct (no second
 * bad-unlock) and who ends holding nothing (no held-at-exit).
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t owner_lock;
static sem_t owner_holds, intruder_done;
static int intruder_rc = -1;

__attribute__((noinline)) void *owner(void *arg)
{
	pthread_mutex_lock(&owner_lock);
	sem_post(&owner_holds);
	sem_wait(&intruder_done);
	pthread_mutex_unlock(&owner_lock);
	return NULL;
}

__attribute__((noinline)) void *intruder(void *arg)
{
	sem_wait(&owner_holds);
	intruder_rc = pthread_mutex_unlock(&owner_lock); /* EPERM */
	sem_post(&intruder_done);
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_t o, i;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&owner_lock, &attr);
	pthread_mutexattr_destroy(&attr);
	sem_init(&owner_holds, 0, 0);
	sem_init(&intruder_done, 0, 0);

	pthread_create(&o, NULL, owner, NULL);
	pthread_create(&i, NULL, intruder, NULL);
	pthread_join(o, NULL);
	pthread_join(i, NULL);
	printf("bad_unlock_other_thread: intruder's unlock returned %s\n",
	       intruder_rc == EPERM ? "EPERM"
	       : intruder_rc == 0   ? "0"
				    : "another error");
	printf("bad_unlock_other_thread: destroy returned %d\n",
	       pthread_mutex_destroy(&owner_lock));
	return 0;
}
