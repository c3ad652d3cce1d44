/*
 * abc_cycle_3threads: a three-lock cycle spread over three threads.
 *
 * Pattern: thread 1 locks lock_a then lock_b, thread 2 lock_b then lock_c,
 * thread 3 lock_c then lock_a. No pair of threads inverts an order by itself;
 * only the whole cycle A->B->C->A does, and with all three threads inside
 * their first lock at once none can go on.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b, lock_c},
 * deadlock-possible (three threads, all alive together, no common lock).
 *
 * The run never hangs: the threads are chained by semaphores (not locks),
 * each starts its section only after the previous one finished.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_c = PTHREAD_MUTEX_INITIALIZER;
static sem_t turn[3];
static int counter;

__attribute__((noinline)) void take_a_then_b(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	counter++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
}

__attribute__((noinline)) void take_b_then_c(void)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_c);
	counter++;
	pthread_mutex_unlock(&lock_c);
	pthread_mutex_unlock(&lock_b);
}

__attribute__((noinline)) void take_c_then_a(void)
{
	pthread_mutex_lock(&lock_c);
	pthread_mutex_lock(&lock_a);
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_c);
}

static void (*const sections[3])(void) = {take_a_then_b, take_b_then_c,
					   take_c_then_a};

static void *worker(void *arg)
{
	int i = (int)(long)arg;

	sem_wait(&turn[i]);
	sections[i]();
	if (i + 1 < 3)
		sem_post(&turn[i + 1]);
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	int i;

	for (i = 0; i < 3; i++)
		sem_init(&turn[i], 0, 0);
	for (i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, worker, (void *)(long)i);
	sem_post(&turn[0]);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("abc_cycle_3threads: counter=%d\n", counter);
	return 0;
}
