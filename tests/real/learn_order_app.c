/*
 * learn_order_app: a program for tests/real/learn_order.sh: three locks
 * taken in one order, except once.
 *
 * Four worker threads take lock_a -> lock_b, lock_b -> lock_c and
 * lock_a -> lock_b -> lock_c, many times: the program's order is lock_a,
 * lock_b, lock_c. After joining them, main calls rare_path, which takes
 * lock_c, then lock_a: the one edge against that order (a cycle with
 * lock_a -> lock_c, but after the joins, so the inversion's verdict is
 * `ordered`, a warning). With the argument --skip-rare (or the environment
 * variable LEARN_ORDER_SKIP_RARE set) rare_path is not called.
 *
 * Built by the script with gcc -O1 -g -pthread, as a user would.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_c = PTHREAD_MUTEX_INITIALIZER;
static long balance, audit, total;

__attribute__((noinline)) void path_ab(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	balance++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
}

__attribute__((noinline)) void path_bc(void)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_c);
	audit++;
	pthread_mutex_unlock(&lock_c);
	pthread_mutex_unlock(&lock_b);
}

__attribute__((noinline)) void path_abc(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_c);
	total++;
	pthread_mutex_unlock(&lock_c);
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
}

/* The bad edge: lock_a while holding lock_c. */
__attribute__((noinline)) void rare_path(void)
{
	pthread_mutex_lock(&lock_c);
	pthread_mutex_lock(&lock_a);
	total++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_c);
}

static void *worker(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		path_ab();
		path_bc();
		path_abc();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[4];
	int skip = (argc > 1 && !strcmp(argv[1], "--skip-rare")) ||
		   getenv("LEARN_ORDER_SKIP_RARE");

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	if (!skip)
		rare_path();
	printf("balance=%ld audit=%ld total=%ld\n", balance, audit, total);
	return 0;
}
