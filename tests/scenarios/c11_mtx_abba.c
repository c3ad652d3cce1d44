/*
 * c11_mtx_abba: AB-BA over two C11 <threads.h> mutexes, in C11 threads.
 *
 * Pattern: plain_mtx is mtx_plain, timed_mtx is mtx_timed. Thread 1 (made by
 * thrd_create) locks plain_mtx with mtx_lock, then timed_mtx with
 * mtx_timedlock (a long timeout: it can wait, so it is an edge like a
 * blocking lock); thread 2 locks timed_mtx with mtx_lock, then plain_mtx with
 * mtx_lock. With an unlucky interleaving both wait forever (the timed wait
 * for 30 s, which is as bad).
 *
 * MUST REPORT: one lock-order-inversion over {plain_mtx, timed_mtx}, verdict
 * deadlock-possible (an error, so the process exits 66 under the shim). Guards against missing the
 * mtx_* entry points (glibc's C11 functions call its internal pthread
 * functions directly, not the interposable ones).
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) that
 * thread 1 posts after its section is over.
 */
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>
#include <time.h>

mtx_t plain_mtx;
mtx_t timed_mtx;
static sem_t first_done;
static int counter;

__attribute__((noinline)) void plain_then_timed(void)
{
	struct timespec ts;

	mtx_lock(&plain_mtx);
	timespec_get(&ts, TIME_UTC);
	ts.tv_sec += 30;
	if (mtx_timedlock(&timed_mtx, &ts) != thrd_success)
		abort();
	counter++;
	mtx_unlock(&timed_mtx);
	mtx_unlock(&plain_mtx);
}

__attribute__((noinline)) void timed_then_plain(void)
{
	mtx_lock(&timed_mtx);
	mtx_lock(&plain_mtx);
	counter++;
	mtx_unlock(&plain_mtx);
	mtx_unlock(&timed_mtx);
}

static int thread1(void *arg)
{
	plain_then_timed();
	sem_post(&first_done);
	return 0;
}

static int thread2(void *arg)
{
	sem_wait(&first_done);
	timed_then_plain();
	return 0;
}

int main(void)
{
	thrd_t t1, t2;

	if (mtx_init(&plain_mtx, mtx_plain) != thrd_success ||
	    mtx_init(&timed_mtx, mtx_timed) != thrd_success)
		return 1;
	sem_init(&first_done, 0, 0);
	thrd_create(&t1, thread1, NULL);
	thrd_create(&t2, thread2, NULL);
	thrd_join(t1, NULL);
	thrd_join(t2, NULL);
	printf("c11_mtx_abba: counter=%d\n", counter);
	mtx_destroy(&timed_mtx);
	mtx_destroy(&plain_mtx);
	return 0;
}
