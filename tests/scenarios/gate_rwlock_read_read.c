/*
 * gate_rwlock_read_read: AB-BA under a rwlock "gate" that both sides hold
 * for reading (Gr->A->B against Gr->B->A).
 *
 * Pattern: thread 1 read-locks gate_rw, then locks lock_a, then lock_b;
 * thread 2 read-locks gate_rw, then locks lock_b, then lock_a. Readers share
 * a rwlock: both threads can be inside gate_rw at once, thread 1 holding
 * lock_a and thread 2 lock_b, each waiting for the other. A shared hold
 * serialises nothing.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, verdict
 * deadlock-possible (an error: exit status 66 under the shim), no gate.
 * Guards against treating any common held lock as a gate (the trap beside
 * gate_rwlock_write_read).
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) that
 * thread 1 posts after its section; both threads are alive throughout.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_rwlock_t gate_rw = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t first_done;
static int counter;

__attribute__((noinline)) void reader_a_then_b(void)
{
	pthread_rwlock_rdlock(&gate_rw);
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	counter++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
	pthread_rwlock_unlock(&gate_rw);
}

__attribute__((noinline)) void reader_b_then_a(void)
{
	pthread_rwlock_rdlock(&gate_rw);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
	pthread_rwlock_unlock(&gate_rw);
}

static void *thread1(void *arg)
{
	reader_a_then_b();
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	reader_b_then_a();
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
	printf("gate_rwlock_read_read: counter=%d\n", counter);
	return 0;
}
