/*
 * abba_after_many_edges: the AB-BA of abba.c, where one side is learned by
 * a thread that has already learned 80 other edges.
 *
 * Pattern: thread 1 first nests each of 80 mutexes under `outer` (80 new
 * edges, a stack captured for each), then locks lock_a then lock_b; thread
 * 2 locks lock_b then lock_a. The checker walks a thread's first stacks
 * step by step and its later ones with libunwind's cached backtrace
 * (lib/stack.c): thread 1's A -> B stack comes from the second walk,
 * thread 2's B -> A from the first, and both must name the program's
 * functions as in abba.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, verdict
 * deadlock-possible, each side's stack through its function. The 80
 * nestings make no cycle.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define N_INNER 80

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t inner[N_INNER];
static sem_t first_done;
static int counter;

__attribute__((noinline)) void nest_under_outer(int i)
{
	pthread_mutex_lock(&outer);
	pthread_mutex_lock(&inner[i]);
	counter++;
	pthread_mutex_unlock(&inner[i]);
	pthread_mutex_unlock(&outer);
}

__attribute__((noinline)) void take_a_then_b(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	counter++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
}

__attribute__((noinline)) void take_b_then_a(void)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
}

static void *thread1(void *arg)
{
	for (int i = 0; i < N_INNER; i++)
		nest_under_outer(i);
	take_a_then_b();
	sem_post(&first_done);
	return arg;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	take_b_then_a();
	return arg;
}

int main(void)
{
	pthread_t t1, t2;

	for (int i = 0; i < N_INNER; i++)
		pthread_mutex_init(&inner[i], NULL);
	sem_init(&first_done, 0, 0);
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("abba_after_many_edges: counter=%d\n", counter);
	return 0;
}
