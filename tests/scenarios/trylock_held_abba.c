/*
 * trylock_held_abba: AB-BA where the first lock was taken by trylock.
 *
 * Pattern: thread 1 takes lock_a with pthread_mutex_trylock (it succeeds),
 * then lock_b with a blocking pthread_mutex_lock; thread 2 takes lock_b then
 * lock_a, both blocking. The trylock itself cannot block, but the lock it
 * obtained is held while thread 1 blocks on lock_b: the edge A->B is a
 * blocking edge like any other. Thread 1 holding A and waiting for B while
 * thread 2 holds B and waits for A is a real deadlock.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b},
 * deadlock-possible. (Only an edge *into* a trylocked lock is harmless;
 * an edge *out of* one counts.)
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) posted by
 * thread 1 after its section, so the trylock always succeeds.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t first_done;
static int counter;

__attribute__((noinline)) int trylock_a_then_b(void)
{
	if (pthread_mutex_trylock(&lock_a) != 0)
		return 0;
	pthread_mutex_lock(&lock_b);
	counter++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
	return 1;
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
	int ok = trylock_a_then_b();

	sem_post(&first_done);
	return (void *)(long)ok;
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
	void *ok;

	sem_init(&first_done, 0, 0);
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, &ok);
	pthread_join(t2, NULL);
	printf("trylock_held_abba: trylock %s, counter=%d\n",
	       ok ? "succeeded" : "failed", counter);
	return 0;
}
