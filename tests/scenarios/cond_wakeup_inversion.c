/*
 * cond_wakeup_inversion: a condition wait whose wake-up re-takes its mutex
 * while another lock is held, against the opposite order elsewhere.
 *
 * Pattern: the waiter thread locks cv_mutex, takes outer_lock with
 * pthread_mutex_trylock (no edge: a try-lock cannot wait), and then waits on
 * ready_cond with cv_mutex. pthread_cond_wait releases cv_mutex for the wait
 * and takes it back after the wake-up, while outer_lock is still held: that
 * re-acquisition is a blocking lock of cv_mutex under outer_lock, the edge
 * outer_lock -> cv_mutex, and the ONLY place in the program where that edge
 * arises. A signaller thread (holding nothing but cv_mutex) sets the
 * predicate and signals. Later the inverter thread locks cv_mutex, then
 * outer_lock: the edge cv_mutex -> outer_lock. Had the inverter run while
 * the waiter was asleep, the waiter would have woken up holding outer_lock
 * and waited for cv_mutex held by the inverter, which waits for outer_lock:
 * a deadlock.
 *
 * MUST REPORT: one lock-order-inversion over {outer_lock, cv_mutex}, verdict
 * deadlock-possible (cv_mutex is not held during the re-acquisition, so it
 * is no gate; an error, so the process exits 66 under the shim). Guards against forgetting
 * the mutex re-acquisition at the end of a condition wait.
 *
 * The run never hangs and the waiter really waits: it posts about_to_wait
 * while it still holds cv_mutex, so the signaller's lock of cv_mutex can only
 * succeed once the waiter is inside pthread_cond_wait; the inverter waits on
 * the semaphore waiter_done. Semaphores are not locks: the checker sees no
 * ordering between the threads.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t cv_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static sem_t about_to_wait, waiter_done;
static int ready, waits, inverted;

__attribute__((noinline)) void wait_holding_outer(void)
{
	pthread_mutex_lock(&cv_mutex);
	if (pthread_mutex_trylock(&outer_lock) != 0)
		abort(); /* nobody else has run yet */
	sem_post(&about_to_wait);
	while (!ready) {
		pthread_cond_wait(&ready_cond, &cv_mutex);
		waits++;
	}
	pthread_mutex_unlock(&outer_lock);
	pthread_mutex_unlock(&cv_mutex);
}

__attribute__((noinline)) void signal_ready(void)
{
	pthread_mutex_lock(&cv_mutex);
	ready = 1;
	pthread_cond_signal(&ready_cond);
	pthread_mutex_unlock(&cv_mutex);
}

__attribute__((noinline)) void cv_then_outer(void)
{
	pthread_mutex_lock(&cv_mutex);
	pthread_mutex_lock(&outer_lock);
	inverted++;
	pthread_mutex_unlock(&outer_lock);
	pthread_mutex_unlock(&cv_mutex);
}

static void *waiter(void *arg)
{
	wait_holding_outer();
	sem_post(&waiter_done);
	return NULL;
}

static void *signaller(void *arg)
{
	sem_wait(&about_to_wait);
	signal_ready();
	return NULL;
}

static void *inverter(void *arg)
{
	sem_wait(&waiter_done);
	cv_then_outer();
	return NULL;
}

int main(void)
{
	pthread_t w, s, i;

	sem_init(&about_to_wait, 0, 0);
	sem_init(&waiter_done, 0, 0);
	pthread_create(&w, NULL, waiter, NULL);
	pthread_create(&s, NULL, signaller, NULL);
	pthread_create(&i, NULL, inverter, NULL);
	pthread_join(w, NULL);
	pthread_join(s, NULL);
	pthread_join(i, NULL);
	printf("cond_wakeup_inversion: waited %s, inverted=%d\n",
	       waits > 0 ? "yes" : "no", inverted);
	return 0;
}
