/*
 * ordered_nested_create: A->B in a thread that then creates the thread
 * doing B->A.
 *
 * Pattern: main creates thread 1; thread 1 locks lock_a then lock_b,
 * releases both, then creates thread 2 (from thread 1, not from main) and
 * joins it; thread 2 locks lock_b then lock_a. Two distinct threads, both
 * alive at once, no common lock, yet thread 1's A->B is over before thread 2
 * exists (what a thread did before creating another happens before all the
 * new thread does), and thread 1 takes no lock after the create. The
 * acquisitions cannot overlap.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, verdict
 * ordered: a warning, the program's own exit status (0). Guards the
 * create side of the vector clock, for a creator that is not the main
 * thread.
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

static void *child_worker(void *arg)
{
	take_b_then_a();
	return NULL;
}

static void *parent_worker(void *arg)
{
	pthread_t child;

	take_a_then_b();
	pthread_create(&child, NULL, child_worker, NULL);
	pthread_join(child, NULL);
	return NULL;
}

int main(void)
{
	pthread_t t;

	pthread_create(&t, NULL, parent_worker, NULL);
	pthread_join(t, NULL);
	printf("ordered_nested_create: counter=%d\n", counter);
	return 0;
}
