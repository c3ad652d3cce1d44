/*
 * unlock_out_of_order: locks released in a different order than taken.
 *
 * Pattern: thread 1 repeats
 *     lock A, lock B, unlock A, unlock B;          (FIFO release)
 *     lock A, lock B, unlock A, lock C, unlock B, unlock C;
 *     lock B, lock C, unlock C, unlock B;          (LIFO, for contrast)
 * and thread 2 repeats lock A, lock B, lock C, unlock A, unlock C, unlock B.
 * Every acquisition agrees with A < B < C. The held set must drop exactly the
 * lock that was released: if the unlock of A removed B instead (a LIFO pop),
 * or left A behind, the checker would later see a bad unlock or a lock held
 * at thread exit.
 *
 * MUST STAY SILENT: findings 0.
 */
#include <pthread.h>
#include <stdio.h>

#define ITERS 10000

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_c = PTHREAD_MUTEX_INITIALIZER;
static long steps;

__attribute__((noinline)) void fifo_release(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	steps++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);

	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_lock(&lock_c); /* holds only B here */
	steps++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_c);

	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_c);
	steps++;
	pthread_mutex_unlock(&lock_c);
	pthread_mutex_unlock(&lock_b);
}

__attribute__((noinline)) void middle_release(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_c);
	steps++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_c);
	pthread_mutex_unlock(&lock_b);
}

static void *thread1(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++)
		fifo_release();
	return NULL;
}

static void *thread2(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++)
		middle_release();
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;

	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("unlock_out_of_order: steps=%ld\n", steps);
	return 0;
}
