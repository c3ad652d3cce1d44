/*
 * abba_cancel_pending: a thread with a cancel request pending makes a
 * finding inside pthread_mutex_lock.
 *
 * Pattern: thread Y takes lock_b then lock_a. Then thread X takes lock_a,
 * and while it holds it main calls pthread_cancel(X): X runs with deferred
 * cancellation and is at no cancellation point, so the request stays
 * pending. X then takes lock_b: A -> B is a new edge that closes the AB-BA
 * cycle, so inside X's pthread_mutex_lock the checker captures a stack
 * (libunwind passes doubtful addresses through a pipe: write and read) and
 * writes the finding (write), all cancellation points in glibc. But
 * pthread_mutex_lock is not a cancellation point:
 * it must return with lock_b held, and X is cancelled only at its own
 * pthread_testcancel, where both cleanup handlers run. Then main makes a
 * new edge of its own (lock_c -> lock_d), which needs the checker's graph
 * lock: a checker unwound by the cancel while holding it would hang here.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b},
 * deadlock-possible (X and Y are alive together). stdout as natively: X
 * cancelled, two cleanups, every lock free.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_c = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_d = PTHREAD_MUTEX_INITIALIZER;
static atomic_int y_done, x_holds_a, go, cleanups;

static void unlock_cleanup(void *m)
{
	if (pthread_mutex_unlock(m) == 0)
		atomic_fetch_add(&cleanups, 1);
}

static void *take_b_then_a(void *arg)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
	atomic_store(&y_done, 1);
	while (!atomic_load(&go))
		sched_yield();
	return arg;
}

static void *take_a_then_b_cancelled(void *arg)
{
	while (!atomic_load(&y_done))
		sched_yield();
	pthread_mutex_lock(&lock_a);
	pthread_cleanup_push(unlock_cleanup, &lock_a);
	atomic_store(&x_holds_a, 1);
	while (!atomic_load(&go))
		; /* no cancellation point here: the cancel stays pending */
	pthread_mutex_lock(&lock_b);
	pthread_cleanup_push(unlock_cleanup, &lock_b);
	pthread_testcancel();
	pthread_cleanup_pop(1);
	pthread_cleanup_pop(1);
	return arg;
}

int main(void)
{
	pthread_t x, y;
	void *result;
	pthread_create(&y, NULL, take_b_then_a, NULL);
	pthread_create(&x, NULL, take_a_then_b_cancelled, NULL);
	while (!atomic_load(&x_holds_a))
		sched_yield();
	pthread_cancel(x);
	atomic_store(&go, 1);
	pthread_join(x, &result);
	pthread_join(y, NULL);
	printf("x cancelled: %s, cleanups: %d\n",
	       result == PTHREAD_CANCELED ? "yes" : "no", atomic_load(&cleanups));

	pthread_mutex_lock(&lock_c);
	pthread_mutex_lock(&lock_d);
	pthread_mutex_unlock(&lock_d);
	pthread_mutex_unlock(&lock_c);
	int free_after = pthread_mutex_trylock(&lock_a) == 0 &&
			 pthread_mutex_trylock(&lock_b) == 0;
	printf("locks free after: %s\n", free_after ? "yes" : "no");
	return 0;
}
