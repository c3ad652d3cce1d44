/*
 * single_thread_abba: one thread takes A->B, later B->A.
 *
 * Pattern: the main thread (the only thread) locks lock_a then lock_b,
 * releases both, then locks lock_b then lock_a. The orders contradict each
 * other, but a deadlock needs a second thread holding the other lock: one
 * thread cannot wait for itself here (it holds neither lock when it starts
 * the second section).
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, verdict
 * single-thread: a warning (the latent ordering bug is worth knowing about;
 * the day a second thread runs either path it becomes real), so the exit
 * status stays the program's own (0). strict_single_thread.c is this file (a
 * symlink) run under strict_order=1: the same verdict, as an error.
 *
 * No other thread exists, so nothing can hang.
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

int main(void)
{
	take_a_then_b();
	take_b_then_a();
	printf("single thread abba: counter=%d\n", counter);
	return 0;
}
