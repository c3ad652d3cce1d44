/*
 * rwlock_read_held_write_wanted: AB-BA over two rwlocks, each thread holding
 * its first lock for READ and asking for the second for WRITE.
 *
 * Pattern: thread 1 read-locks rw_a, then write-locks rw_b; thread 2
 * read-locks rw_b, then write-locks rw_a. A read hold is still a hold: a
 * writer cannot get in while a reader is inside, so with an unlucky
 * interleaving thread 1 holds rw_a shared and waits for rw_b exclusive while
 * thread 2 holds rw_b shared and waits for rw_a exclusive: a deadlock.
 *
 * MUST REPORT: one lock-order-inversion over {rw_a, rw_b}, verdict
 * deadlock-possible: each lock is wanted for writing where the other thread
 * holds it for reading, so every mode conflicts (an error, so the process
 * exits 66 under the shim). Guards against ignoring the edges that start at
 * a shared hold, and against calling any cycle with a read in it
 * read-shared (read_read_cycle and read_shared_mixed_modes are the
 * read-shared ones).
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock, so the
 * checker sees no ordering between the threads) that thread 1 posts after its
 * section is over.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_rwlock_t rw_a = PTHREAD_RWLOCK_INITIALIZER;
pthread_rwlock_t rw_b = PTHREAD_RWLOCK_INITIALIZER;
static sem_t first_done;
static int writes_a, writes_b;

__attribute__((noinline)) void read_a_write_b(void)
{
	pthread_rwlock_rdlock(&rw_a);
	pthread_rwlock_wrlock(&rw_b);
	writes_b++;
	pthread_rwlock_unlock(&rw_b);
	pthread_rwlock_unlock(&rw_a);
}

__attribute__((noinline)) void read_b_write_a(void)
{
	pthread_rwlock_rdlock(&rw_b);
	pthread_rwlock_wrlock(&rw_a);
	writes_a++;
	pthread_rwlock_unlock(&rw_a);
	pthread_rwlock_unlock(&rw_b);
}

static void *thread1(void *arg)
{
	read_a_write_b();
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	read_b_write_a();
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
	printf("rwlock_read_held_write_wanted: writes a=%d b=%d\n", writes_a,
	       writes_b);
	return 0;
}
