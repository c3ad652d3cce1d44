/*
 * read_shared_mixed_modes: AB-BA over two rwlocks where one lock of the
 * cycle is contended write/read and the other only read/read
 * (wr(A)->rd(B) against rd(B)->rd(A)).
 *
 * Pattern: thread 1 write-locks rw_a, then read-locks rw_b; thread 2
 * read-locks rw_b, then read-locks rw_a. For a deadlock each thread must
 * wait for the lock the other holds. Thread 2 would wait: it wants rw_a for
 * reading while thread 1 holds it for writing. Thread 1 would not: it wants
 * rw_b for reading while thread 2 holds it for reading, and readers share
 * (glibc's default rwlock prefers readers, so a waiting writer cannot block
 * it either; there is none). So thread 1 gets rw_b, finishes, releases rw_a,
 * and thread 2 goes on: no deadlock, although not every mode is "read".
 *
 * MUST REPORT: one lock-order-inversion over {rw_a, rw_b}, verdict
 * read-shared (every lock of the cycle must be wanted in a mode that
 * conflicts with its holder's; rw_b is not): a warning, the program's own
 * exit status (0). Guards against the shortcut "deadlock-possible unless
 * every acquisition is a read", which would call this an error.
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
static int value_a = 1, value_b = 2, seen;

__attribute__((noinline)) void write_a_read_b(void)
{
	pthread_rwlock_wrlock(&rw_a);
	pthread_rwlock_rdlock(&rw_b);
	value_a += value_b;
	pthread_rwlock_unlock(&rw_b);
	pthread_rwlock_unlock(&rw_a);
}

__attribute__((noinline)) void read_b_read_a(void)
{
	pthread_rwlock_rdlock(&rw_b);
	pthread_rwlock_rdlock(&rw_a);
	seen = value_a + value_b;
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
	printf("read_shared_mixed_modes: a=%d seen=%d\n", value_a, seen);
	return 0;
}
