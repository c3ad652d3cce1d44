/*
 * gate_lock_guarded: AB-BA under a common gate lock (G->A->B against G->B->A).
 *
 * Pattern: thread 1 locks gate_lock, then lock_a, then lock_b; thread 2
 * locks gate_lock, then lock_b, then lock_a. The orders of lock_a and lock_b
 * contradict each other, but both threads hold gate_lock at every
 * acquisition of the cycle, so only one of them can be inside at a time: the
 * inversion cannot deadlock (the "gate lock" fix of the README, applied).
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, verdict
 * guarded, "gate" naming gate_lock (which is therefore one of the finding's
 * locks): a warning, so the exit status stays the program's own (0).
 * MUST STAY SILENT as an error: a checker that ignores held sets would call
 * this deadlock-possible and fail the run.
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock, so the
 * checker sees no ordering between the threads) that thread 1 posts after
 * its section; both threads are alive throughout, so only the gate (not
 * create/join order) keeps the sections apart.
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

__attribute__((noinline)) void gated_b_then_a(void)
{
	pthread_mutex_lock(&gate_lock);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&gate_lock);
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
	gated_b_then_a();
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
	printf("gate_lock_guarded: counter=%d\n", counter);
	return 0;
}
