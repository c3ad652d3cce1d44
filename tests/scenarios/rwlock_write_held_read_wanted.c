/*
 * rwlock_write_held_read_wanted: AB-BA over two rwlocks, each thread holding
 * its first lock for WRITE and asking for the second for READ.
 *
 * Pattern: thread 1 write-locks rw_a, then read-locks rw_b; thread 2
 * write-locks rw_b, then read-locks rw_a. A reader cannot get in while a
 * writer is inside, so with an unlucky interleaving each thread holds one
 * lock exclusively and waits to read the other: a deadlock.
 *
 * MUST REPORT: one lock-order-inversion over {rw_a, rw_b}, verdict
 * deadlock-possible: each lock is wanted for reading where the other thread
 * holds it for writing (an error, so the process exits 66 under the shim). Guards against ignoring the edges that
 * end at a shared (read) acquisition: only read-read cycles are harmless.
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) that
 * thread 1 posts after its section is over.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_rwlock_t rw_a = PTHREAD_RWLOCK_INITIALIZER;
pthread_rwlock_t rw_b = PTHREAD_RWLOCK_INITIALIZER;
static sem_t first_done;
static int value_a = 1, value_b = 2;
static int seen_by_1, seen_by_2;

__attribute__((noinline)) void write_a_read_b(void)
{
	pthread_rwlock_wrlock(&rw_a);
	pthread_rwlock_rdlock(&rw_b);
	value_a += value_b;
	seen_by_1 = value_a;
	pthread_rwlock_unlock(&rw_b);
	pthread_rwlock_unlock(&rw_a);
}

__attribute__((noinline)) void write_b_read_a(void)
{
	pthread_rwlock_wrlock(&rw_b);
	pthread_rwlock_rdlock(&rw_a);
	value_b += value_a;
	seen_by_2 = value_b;
	pthread_rwlock_unlock(&rw_a);
	pthread_rwlock_unlock(&rw_b);
}

static void *thread1(void *arg)
{
	write_a_read_b();
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	write_b_read_a();
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
	printf("rwlock_write_held_read_wanted: a=%d b=%d\n", seen_by_1,
	       seen_by_2);
	return 0;
}
