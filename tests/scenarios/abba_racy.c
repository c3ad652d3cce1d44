/*
 * abba_racy: an AB-BA between two threads that run at the same time with
 * nothing ordering them, which a normal run survives by timing alone.
 *
 * Thread 1 takes lock_a then lock_b at once; thread 2 first does 2 ms of
 * other work, then takes lock_b then lock_a. Natively thread 1 is long done
 * when thread 2 starts (the program ends); had thread 2 been 2 ms faster,
 * or thread 1 preempted while holding lock_a, both would hang.
 *
 * MUST REPORT: one lock-order-inversion, deadlock-possible. `lockcheck
 * confirm` (tests/cli/confirm.sh) turns it into the real deadlock: it
 * pauses thread 1 holding lock_a until thread 2 holds lock_b.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

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

static void *thread1(void *arg)
{
	take_a_then_b();
	return NULL;
}

static void *thread2(void *arg)
{
	struct timespec work = { 0, 2000000 };
	nanosleep(&work, NULL);
	take_b_then_a();
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("abba_racy: counter=%d\n", counter);
	return 0;
}
