/*
 * destroy_ok: locks destroyed correctly, in every lock family.
 *
 * Pattern: in two threads in turn (serialised by a semaphore, so one
 * thread's lock is never destroyed while the other uses it), and then in
 * main:
 *   - a mutex, an rwlock and a spinlock, each initialised, locked and
 *     unlocked (the rwlock for read and for write), then destroyed;
 *   - the same mutex re-initialised and destroyed again, never locked;
 *   - a mutex locked by thread 1 and unlocked by it, then destroyed by
 *     thread 2 (the destroyer need not be the last holder, only nobody may
 *     hold it);
 *   - a condition variable used with a mutex, both destroyed after the wait.
 * glibc returns 0 for every destroy (the program checks and prints them).
 *
 * MUST STAY SILENT: findings 0. Guards against a destroy reported while the
 * lock is free (a stale hold left by an unlock or a cond wait, or a hold of
 * another thread counted as current), and against a destroyed lock that the
 * checker keeps as held.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t work_lock;
static pthread_rwlock_t map_rw;
static pthread_spinlock_t count_spin;
static pthread_mutex_t handoff_lock;
static pthread_mutex_t wait_lock;
static pthread_cond_t wait_cond;
static sem_t first_done;
static int failures, rounds;

static void expect0(int rc)
{
	if (rc != 0)
		failures++;
}

__attribute__((noinline)) void lifecycle(void)
{
	struct timespec ts;

	expect0(pthread_mutex_init(&work_lock, NULL));
	expect0(pthread_mutex_lock(&work_lock));
	expect0(pthread_mutex_unlock(&work_lock));
	expect0(pthread_mutex_destroy(&work_lock));
	expect0(pthread_mutex_init(&work_lock, NULL));
	expect0(pthread_mutex_destroy(&work_lock));

	expect0(pthread_rwlock_init(&map_rw, NULL));
	expect0(pthread_rwlock_rdlock(&map_rw));
	expect0(pthread_rwlock_unlock(&map_rw));
	expect0(pthread_rwlock_wrlock(&map_rw));
	expect0(pthread_rwlock_unlock(&map_rw));
	expect0(pthread_rwlock_destroy(&map_rw));

	expect0(pthread_spin_init(&count_spin, PTHREAD_PROCESS_PRIVATE));
	expect0(pthread_spin_lock(&count_spin));
	expect0(pthread_spin_unlock(&count_spin));
	expect0(pthread_spin_destroy(&count_spin));

	expect0(pthread_mutex_init(&wait_lock, NULL));
	expect0(pthread_cond_init(&wait_cond, NULL));
	expect0(pthread_mutex_lock(&wait_lock));
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 1000000L; /* 1 ms, nobody signals: times out */
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (pthread_cond_timedwait(&wait_cond, &wait_lock, &ts) == 0)
		;
	expect0(pthread_mutex_unlock(&wait_lock));
	expect0(pthread_cond_destroy(&wait_cond));
	expect0(pthread_mutex_destroy(&wait_lock));
	rounds++;
}

static void *thread1(void *arg)
{
	lifecycle();
	expect0(pthread_mutex_lock(&handoff_lock));
	expect0(pthread_mutex_unlock(&handoff_lock));
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	lifecycle();
	expect0(pthread_mutex_destroy(&handoff_lock));
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;

	sem_init(&first_done, 0, 0);
	expect0(pthread_mutex_init(&handoff_lock, NULL));
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	lifecycle();
	printf("destroy_ok: %d rounds, %d failed calls\n", rounds, failures);
	return 0;
}
