/*
 * destroyed_middle: a cycle of three locks whose middle lock was destroyed
 * before the edge that closes the cycle was made.
 *
 * Pattern (three threads alive together, stepped by semaphores, which
 * order nothing for the checker):
 *   T2: lock(lock_a); lock(M); unlock(M); unlock(lock_a)     edge lock_a -> M
 *   T3: lock(M); lock(lock_b); unlock(lock_b); unlock(M)     edge M -> lock_b
 *   main: pthread_mutex_destroy(M); free(M)
 *   T4: lock(lock_b); lock(lock_a)                           edge lock_b -> lock_a
 * M is a heap mutex: when it is destroyed, its edges leave the live graph and
 * the path lock_a -> M -> lock_b is kept as a bypass edge. T4's edge closes
 * lock_a -> M -> lock_b -> lock_a. With a new M made the same way (the next
 * request, object, connection), the three threads deadlock: T2 holds lock_a
 * and waits for M, T3 holds M and waits for lock_b, T4 holds lock_b and waits
 * for lock_a.
 *
 * MUST REPORT: one lock-order-inversion of three locks, deadlock-possible
 * (an error: exit 66), the dead lock shown in the cycle and marked
 * destroyed, and the stacks of the edges through it (held and taken in
 * take_a_then_m / take_m_then_b).
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t *m;
static sem_t step[4];
static long counter;

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
	sem_wait(&step[0]);
	take_a_then_m();
	sem_post(&step[1]);
	sem_wait(&step[3]);
	return NULL;
}

static void *t3(void *arg)
{
	sem_wait(&step[1]);
	take_m_then_b();
	sem_post(&step[2]);
	sem_wait(&step[3]);
	return NULL;
}

static void *t4(void *arg)
{
	sem_wait(&step[3]);
	take_b_then_a();
	return NULL;
}

int main(void)
{
	pthread_t th[3];
	for (int i = 0; i < 4; i++)
		sem_init(&step[i], 0, 0);
	m = malloc(sizeof *m);
	if (!m)
		return 1;
	pthread_mutex_init(m, NULL);
	pthread_create(&th[0], NULL, t2, NULL);
	pthread_create(&th[1], NULL, t3, NULL);
	pthread_create(&th[2], NULL, t4, NULL);
	sem_post(&step[0]);
	sem_wait(&step[2]);
	pthread_mutex_destroy(m);
	free(m);
	for (int i = 0; i < 3; i++)
		sem_post(&step[3]);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	printf("destroyed_middle: counter %ld\n", counter);
	return 0;
}
