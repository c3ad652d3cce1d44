/*
 * gate_one_side: AB-BA where only one side holds the gate (G->A->B against
 * B->A).
 *
 * Pattern: thread 1 locks gate_lock, then lock_a, then lock_b; thread 2 locks
 * lock_b, then lock_a, without gate_lock. A gate serialises only the threads
 * that take it: thread 2 can hold lock_b while thread 1, inside the gate,
 * holds lock_a, and each waits for the other.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, verdict
 * deadlock-possible (an error: exit status 66 under the shim), and no gate
 * (gate_lock is not one of its locks). Guards against taking "some thread
 * held another lock" for a gate: the gate must be held at both acquisitions.
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) that
 * thread 1 posts after its section; both threads are alive throughout.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t first_done;
static int counter;

__attribute__((noinline)) void gated_a_then_b(void)
{
	pthread_mutex_lock(&gate_lock);
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	counter++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&gate_lock);
}

__attribute__((noinline)) void ungated_b_then_a(void)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
}

static void *thread1(void *arg)
{
	gated_a_then_b();
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	ungated_b_then_a();
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
	printf("gate_one_side: counter=%d\n", counter);
	return 0;
}
