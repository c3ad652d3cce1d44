/*
 * destroyed_middle_new_instance: destroyed_middle's pattern run twice, the
 * middle lock a new object each time, made by the same code (one class).
 *
 * Round r (three threads alive throughout, stepped by semaphores):
 *   main: M = make_request_lock()                 (malloc + init)
 *   T2:   lock(lock_a); lock(M)                   edge lock_a -> M
 *   T3:   lock(M); lock(lock_b)                   edge M -> lock_b
 *   main: destroy(M); free(M)
 *   T4:   lock(lock_b); lock(lock_a)              edge lock_b -> lock_a
 * Round 1 closes the cycle through the dead first M (a bypass edge);
 * round 2 closes it again through the live second M (T3's edge closes it,
 * since lock_b -> lock_a is known by then).
 *
 * MUST REPORT: ONE lock-order-inversion of three locks, deadlock-possible,
 * whose id is counted twice in the end event (instances=2): the same bug
 * through a new instance of the class is the same finding, and the dead
 * instance and the live one are one class.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#define ROUNDS 2

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t *m;
static sem_t go2, go3, done3, go4, done4, done2;
static long counter;

__attribute__((noinline)) static pthread_mutex_t *make_request_lock(void)
{
	pthread_mutex_t *l = malloc(sizeof *l);
	if (!l)
		abort();
	pthread_mutex_init(l, NULL);
	return l;
}

__attribute__((noinline)) static void take_a_then_m(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(m);
	counter++;
	pthread_mutex_unlock(m);
	pthread_mutex_unlock(&lock_a);
}

__attribute__((noinline)) static void take_m_then_b(void)
{
	pthread_mutex_lock(m);
	pthread_mutex_lock(&lock_b);
	counter++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(m);
}

__attribute__((noinline)) static void take_b_then_a(void)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
}

static void *t2(void *arg)
{
	for (int r = 0; r < ROUNDS; r++) {
		sem_wait(&go2);
		take_a_then_m();
		sem_post(&done2);
	}
	return NULL;
}

static void *t3(void *arg)
{
	for (int r = 0; r < ROUNDS; r++) {
		sem_wait(&go3);
		take_m_then_b();
		sem_post(&done3);
	}
	return NULL;
}

static void *t4(void *arg)
{
	for (int r = 0; r < ROUNDS; r++) {
		sem_wait(&go4);
		take_b_then_a();
		sem_post(&done4);
	}
	return NULL;
}

int main(void)
{
	pthread_t th[3];
	sem_init(&go2, 0, 0);
	sem_init(&go3, 0, 0);
	sem_init(&go4, 0, 0);
	sem_init(&done2, 0, 0);
	sem_init(&done3, 0, 0);
	sem_init(&done4, 0, 0);
	pthread_create(&th[0], NULL, t2, NULL);
	pthread_create(&th[1], NULL, t3, NULL);
	pthread_create(&th[2], NULL, t4, NULL);
	for (int r = 0; r < ROUNDS; r++) {
		m = make_request_lock();
		sem_post(&go2);
		sem_wait(&done2);
		sem_post(&go3);
		sem_wait(&done3);
		pthread_mutex_destroy(m);
		free(m);
		sem_post(&go4);
		sem_wait(&done4);
	}
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	printf("destroyed_middle_new_instance: counter %ld\n", counter);
	return 0;
}
