/*
 * asleep_sem_handshake: a handshake on semaphores done in the wrong order.
 *
 * Pattern: each side waits for the other's semaphore before posting its
 * own. Both sleep in sem_wait; main sleeps in pthread_join.
 *
 * MUST REPORT: one `deadlock` (all-asleep) naming both semaphores (and no
 * lock): three threads asleep, two on semaphores, one in a join.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t ping, pong;

static void *left(void *arg)
{
	sem_wait(&pong); /* waits for right's post, which waits for ours */
	sem_post(&ping);
	return arg;
}

static void *right(void *arg)
{
	sem_wait(&ping);
	sem_post(&pong);
	return arg;
}

int main(void)
{
	pthread_t a, b;
	sem_init(&ping, 0, 0);
	sem_init(&pong, 0, 0);
	pthread_create(&a, NULL, left, NULL);
	pthread_create(&b, NULL, right, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("asleep_sem_handshake: not reached natively\n");
	return 0;
}
