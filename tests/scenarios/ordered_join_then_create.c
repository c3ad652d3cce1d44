/*
 * ordered_join_then_create: A->B in a thread that is joined before the
 * thread doing B->A is created.
 *
 * Pattern: main creates thread 1, which locks lock_a then lock_b; main joins
 * thread 1, and only then creates thread 2, which locks lock_b then lock_a.
 * Two distinct threads, no common lock, but they never exist at the same
 * time: everything thread 1 did happens before the join, the join before
 * the create, the create before everything thread 2 does. The two
 * acquisitions cannot overlap, so this run's contexts cannot deadlock.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, verdict
 * ordered: a warning, the program's own exit status (0). Guards the
 * create/join vector clock on the join side (ordered_nested_create guards
 * the create side).
 *
 * Nothing waits on anything but pthread_join, so nothing can hang.
 */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
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

static void *first_worker(void *arg)
{
	take_a_then_b();
	return NULL;
}

static void *second_worker(void *arg)
{
	take_b_then_a();
	return NULL;
}

int main(void)
{
	pthread_t t;

	pthread_create(&t, NULL, first_worker, NULL);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, second_worker, NULL);
	pthread_join(t, NULL);
	printf("ordered_join_then_create: counter=%d\n", counter);
	return 0;
}
