/*
 * cycle8: a lock-order cycle of length eight.
 *
 * Pattern: eight locks ring0..ring7 and eight threads; thread i locks ring<i>
 * then ring<(i+1)%8>. Each thread contributes exactly one edge, so the only
 * cycle is ring0->ring1->...->ring7->ring0, and all eight threads holding
 * their first lock at once would deadlock. This checks that the cycle search
 * is not limited to short cycles.
 *
 * MUST REPORT: one lock-order-inversion over exactly the eight ring locks,
 * deadlock-possible.
 *
 * The run never hangs: the threads are chained by semaphores (not locks), so
 * thread i+1 starts its section only after thread i finished.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define N 8

pthread_mutex_t ring0 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring1 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring2 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring3 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring4 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring5 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring6 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring7 = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t *const ring[N] = {&ring0, &ring1, &ring2, &ring3,
					 &ring4, &ring5, &ring6, &ring7};
static sem_t turn[N];
static int counter;

__attribute__((noinline)) void take_pair(pthread_mutex_t *first,
					 pthread_mutex_t *second)
{
	pthread_mutex_lock(first);
	pthread_mutex_lock(second);
	counter++;
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
}

static void *worker(void *arg)
{
	int i = (int)(long)arg;

	sem_wait(&turn[i]);
	take_pair(ring[i], ring[(i + 1) % N]);
	if (i + 1 < N)
		sem_post(&turn[i + 1]);
	return NULL;
}

int main(void)
{
	pthread_t t[N];
	int i;

	for (i = 0; i < N; i++)
		sem_init(&turn[i], 0, 0);
	for (i = 0; i < N; i++)
		pthread_create(&t[i], NULL, worker, (void *)(long)i);
	sem_post(&turn[0]);
	for (i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	printf("cycle8: counter=%d\n", counter);
	return 0;
}
