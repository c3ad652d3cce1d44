/*
 * order_file_ok: acquisitions that follow the order file.
 *
 * Pattern: order_file_ok.order says lock_a, then lock_b. Two threads take
 * lock_a then lock_b; one holds lock_c (not listed, so free) around them.
 *
 * MUST STAY SILENT (with order_file=order_file_ok.order): no finding.
 */
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_c = PTHREAD_MUTEX_INITIALIZER;
static int counter;

__attribute__((noinline)) void take_a_then_b(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	counter++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
}

__attribute__((noinline)) void take_c_around(void)
{
	pthread_mutex_lock(&lock_c);
	take_a_then_b();
	pthread_mutex_unlock(&lock_c);
}

static void *worker(void *arg)
{
	take_a_then_b();
	return NULL;
}

int main(void)
{
	pthread_t t;

	pthread_create(&t, NULL, worker, NULL);
	take_c_around();
	pthread_join(t, NULL);
	printf("order_file_ok: counter=%d\n", counter);
	return 0;
}
