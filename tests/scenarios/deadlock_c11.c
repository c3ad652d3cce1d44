/*
 * deadlock_c11: C11 threads really deadlock, AB-BA over two mtx_t.
 *
 * Pattern: c11_a is mtx_timed, c11_b mtx_plain. Two threads made by
 * thrd_create: thread 1 mtx_locks c11_a, thread 2 mtx_locks c11_b; each
 * posts a semaphore (not a lock) and waits for the other's, then thread 1
 * asks for c11_b with mtx_lock and thread 2 for c11_a with mtx_timedlock (a
 * deadline an hour away: as good as for ever). Both block; natively this
 * hangs. Main waits in thrd_join.
 *
 * MUST REPORT: one `deadlock` (error) over exactly {c11_a, c11_b}. Guards
 * the C11 entry points of the wait machinery (glibc's mtx_* do not go
 * through the interposable pthread symbols) and a timed wait counted as a
 * wait. The order cycle, written first, is suppressed by deadlock_c11.supp;
 * halt_on_error=1 turns the hang into exit 66 within 3 s.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <semaphore.h>
#include <stdio.h>
#include <threads.h>
#include <time.h>

mtx_t c11_a;
mtx_t c11_b;
static sem_t a_held, b_held;

__attribute__((noinline)) void a_then_b(void)
{
	mtx_lock(&c11_a);
	sem_post(&a_held);
	sem_wait(&b_held);
	mtx_lock(&c11_b); /* never returns natively */
	mtx_unlock(&c11_b);
	mtx_unlock(&c11_a);
}

__attribute__((noinline)) void b_then_a(void)
{
	struct timespec ts;

	mtx_lock(&c11_b);
	sem_post(&b_held);
	sem_wait(&a_held);
	timespec_get(&ts, TIME_UTC);
	ts.tv_sec += 3600;
	if (mtx_timedlock(&c11_a, &ts) == thrd_success) /* an hour natively */
		mtx_unlock(&c11_a);
	mtx_unlock(&c11_b);
}

static int thread1(void *arg)
{
	a_then_b();
	return 0;
}

static int thread2(void *arg)
{
	b_then_a();
	return 0;
}

int main(void)
{
	thrd_t t1, t2;

	if (mtx_init(&c11_a, mtx_timed) != thrd_success ||
	    mtx_init(&c11_b, mtx_plain) != thrd_success)
		return 1;
	sem_init(&a_held, 0, 0);
	sem_init(&b_held, 0, 0);
	thrd_create(&t1, thread1, NULL);
	thrd_create(&t2, thread2, NULL);
	thrd_join(t1, NULL);
	thrd_join(t2, NULL);
	puts("deadlock_c11: not reached natively");
	return 0;
}
