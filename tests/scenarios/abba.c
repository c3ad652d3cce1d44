/*
 * abba: the classic AB-BA lock-order inversion.
 *
 * Pattern: thread 1 locks lock_a then lock_b; thread 2 locks lock_b then
 * lock_a. Both threads are alive at the same time and no lock is common to
 * their held sets, so with an unlucky interleaving each would hold one lock
 * and wait for the other forever.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, verdict
 * deadlock-possible (an error, so the process exits 66 under the shim).
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock, so the
 * checker sees no ordering between the threads) that thread 1 posts after its
 * A->B section is over.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t first_done;
static int counter;

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
	take_a_then_b();
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	take_b_then_a();
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;

	sem_init(&first_done, 0, 0);
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("abba: counter=%d\n", counter);
	return 0;
}
