/*
 * read_read_cycle: AB-BA over two rwlocks, every acquisition shared
 * (rd(A)->rd(B) against rd(B)->rd(A)).
 *
 * Pattern: thread 1 read-locks rw_a, then read-locks rw_b; thread 2
 * read-locks rw_b, then read-locks rw_a. Readers never block readers: with
 * any interleaving each thread gets its second read lock at once.
 *
 * MUST REPORT: one lock-order-inversion over {rw_a, rw_b}, verdict
 * read-shared: a warning (the order is still contradictory: a writer added
 * to either path later makes it real), the program's own exit status (0).
 * The shared-mode traps beside it: rwlock_read_held_write_wanted (read held,
 * write wanted: a deadlock) and read_shared_mixed_modes (one lock read-read,
 * the other write-read: still no deadlock).
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) that
 * thread 1 posts after its section; both threads are alive throughout.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_rwlock_t rw_a = PTHREAD_RWLOCK_INITIALIZER;
pthread_rwlock_t rw_b = PTHREAD_RWLOCK_INITIALIZER;
static sem_t first_done;
static int value_a = 1, value_b = 2, sum;

__attribute__((noinline)) void read_a_read_b(void)
{
	pthread_rwlock_rdlock(&rw_a);
	pthread_rwlock_rdlock(&rw_b);
	__atomic_add_fetch(&sum, value_a + value_b, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&rw_b);
	pthread_rwlock_unlock(&rw_a);
}

__attribute__((noinline)) void read_b_read_a(void)
{
	pthread_rwlock_rdlock(&rw_b);
	pthread_rwlock_rdlock(&rw_a);
	__atomic_add_fetch(&sum, value_a + value_b, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&rw_a);
	pthread_rwlock_unlock(&rw_b);
}

static void *thread1(void *arg)
{
	read_a_read_b();
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	read_b_read_a();
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
	printf("read_read_cycle: sum=%d\n", sum);
	return 0;
}
