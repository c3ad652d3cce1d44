/*
 * cancel.c: pthread_cancel of threads blocked in condition waits and joins
 * (stress scenario e).
 *
 * Each wave starts six waiters, a sleeper and a joiner. A waiter takes the
 * rwlock `gate` for reading (every other waiter), then the wave's mutex `m`
 * (an errorcheck mutex in odd waves: its unlock checks the owner), each with
 * a cleanup handler (pthread_cleanup_push) that unlocks it, and waits on a condition
 * that is never signalled: untimed (pthread_cond_wait), or timed with a
 * deadline far away (pthread_cond_timedwait, pthread_cond_clockwait). The
 * sleeper does the same with a condition of its own, and the joiner waits
 * in pthread_join for the sleeper. When all are blocked, main cancels the
 * joiner first (a join cancelled leaves its target joinable), then every
 * waiter and the sleeper, and joins them all: each must have ended
 * PTHREAD_CANCELED, every cleanup unlock must have returned 0, and `m` and
 * `gate` must then be free (trylock succeeds) and usable. Last, an exiter
 * takes a mutex with a cleanup handler that unlocks it and calls
 * pthread_exit: the handler runs as the exit unwinds, so the thread ends
 * holding nothing.
 *
 * A cancelled wait re-acquires its mutex inside glibc before the cleanup
 * handlers run, so the handlers' unlocks are of locks the thread holds:
 * no bad-unlock, no held-at-exit, no finding at all in this program (and
 * none for the exiter: what a thread holds when it ends is what is left
 * after its cleanup handlers ran).
 * stdout: the fixed figures. Size from LOCKCHECK_STRESS (stress.h).
 */
#include "stress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#define NWAITERS 6

static pthread_rwlock_t gate = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t m;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t sleep_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sleep_cv = PTHREAD_COND_INITIALIZER;
static int blocked; /* waiters about to wait, under m */
static atomic_int bad_unlocks, joiner_ready, sleeper_ready;
static pthread_t sleeper_thread;

static void unlock_cleanup(void *arg)
{
	if (pthread_mutex_unlock(arg) != 0)
		atomic_fetch_add(&bad_unlocks, 1);
}

static void wait_forever(pthread_cond_t *c, pthread_mutex_t *mu, unsigned how)
{
	for (;;) {
		struct timespec ts;
		switch (how % 3) {
		case 0:
			pthread_cond_wait(c, mu);
			break;
		case 1:
			ts = stress_after(CLOCK_REALTIME, 0);
			ts.tv_sec += 3600;
			pthread_cond_timedwait(c, mu, &ts);
			break;
		default:
			ts = stress_after(CLOCK_MONOTONIC, 0);
			ts.tv_sec += 3600;
			pthread_cond_clockwait(c, mu, CLOCK_MONOTONIC, &ts);
			break;
		}
	}
}

static void unlock_gate(void *arg)
{
	if (pthread_rwlock_unlock(arg) != 0)
		atomic_fetch_add(&bad_unlocks, 1);
}

/* m with its cleanup, then the wait (never returns: cancelled in it). */
static void wait_in_m(unsigned n)
{
	pthread_mutex_lock(&m);
	pthread_cleanup_push(unlock_cleanup, &m);
	blocked++;
	wait_forever(&cv, &m, n / 2);
	pthread_cleanup_pop(1);
}

static void *waiter(void *arg)
{
	unsigned n = (unsigned)(uintptr_t)arg;
	if (n % 2) {
		pthread_rwlock_rdlock(&gate);
		pthread_cleanup_push(unlock_gate, &gate);
		wait_in_m(n);
		pthread_cleanup_pop(1);
	} else {
		wait_in_m(n);
	}
	return NULL;
}

static void *sleeper(void *arg)
{
	pthread_mutex_lock(&sleep_m);
	pthread_cleanup_push(unlock_cleanup, &sleep_m);
	atomic_store(&sleeper_ready, 1);
	wait_forever(&sleep_cv, &sleep_m, (unsigned)(uintptr_t)arg);
	pthread_cleanup_pop(1);
	return NULL;
}

/* Waits in pthread_join (a cancellation point) for the sleeper. */
static void *joiner(void *arg)
{
	atomic_store(&joiner_ready, 1);
	pthread_join(sleeper_thread, NULL);
	STRESS_CHECK(0, "the joiner's join returned");
	return NULL;
}

static pthread_mutex_t exit_m = PTHREAD_MUTEX_INITIALIZER;

/* Ends by pthread_exit while holding exit_m, which its cleanup handler
 * releases as pthread_exit unwinds: the thread ends holding nothing. */
static void *exiter(void *arg)
{
	pthread_mutex_lock(&exit_m);
	pthread_cleanup_push(unlock_cleanup, &exit_m);
	pthread_exit(arg);
	pthread_cleanup_pop(1);
	return NULL;
}

static void cancel_join(pthread_t t, const char *what)
{
	void *ret = NULL;
	STRESS_CHECK(pthread_cancel(t) == 0, "cancel %s", what);
	STRESS_CHECK(pthread_join(t, &ret) == 0, "join %s", what);
	STRESS_CHECK(ret == PTHREAD_CANCELED, "%s ended with %p, not cancelled", what, ret);
}

int main(void)
{
	int waves = stress_long() ? 4000 : 400;
	pthread_mutexattr_t ec;
	pthread_mutexattr_init(&ec);
	pthread_mutexattr_settype(&ec, PTHREAD_MUTEX_ERRORCHECK);
	unsigned long cancelled = 0;
	for (int wave = 0; wave < waves; wave++) {
		pthread_mutex_init(&m, wave % 2 ? &ec : NULL);
		blocked = 0;
		atomic_store(&sleeper_ready, 0);
		atomic_store(&joiner_ready, 0);
		pthread_t w[NWAITERS], j;
		for (int i = 0; i < NWAITERS; i++)
			STRESS_CHECK(pthread_create(&w[i], NULL, waiter,
						    (void *)(uintptr_t)(wave * NWAITERS + i)) == 0,
				     "create");
		STRESS_CHECK(pthread_create(&sleeper_thread, NULL, sleeper,
					    (void *)(uintptr_t)wave) == 0, "create");
		STRESS_CHECK(pthread_create(&j, NULL, joiner, NULL) == 0, "create");
		/* All waiters counted themselves under m, so each is in its
		 * wait (or about to enter it, m still held) once m is free
		 * and the count is full. */
		for (;;) {
			pthread_mutex_lock(&m);
			int n = blocked;
			pthread_mutex_unlock(&m);
			if (n == NWAITERS)
				break;
			usleep(100);
		}
		while (!atomic_load(&sleeper_ready) || !atomic_load(&joiner_ready))
			usleep(100);
		/* A moment for the joiner to block in its join (a cancel
		 * before it gets there is acted on at the join all the same). */
		usleep(200);
		cancel_join(j, "the joiner");
		for (int i = 0; i < NWAITERS; i++)
			cancel_join(w[i], "a waiter");
		cancel_join(sleeper_thread, "the sleeper");
		cancelled += NWAITERS + 2;
		pthread_t x;
		void *xret = NULL;
		STRESS_CHECK(pthread_create(&x, NULL, exiter, &x) == 0, "create");
		STRESS_CHECK(pthread_join(x, &xret) == 0 && xret == &x, "the exiter's join");
		STRESS_CHECK(pthread_mutex_trylock(&exit_m) == 0, "exit_m left locked");
		pthread_mutex_unlock(&exit_m);

		STRESS_CHECK(pthread_mutex_trylock(&m) == 0, "m left locked after the cancels");
		STRESS_CHECK(pthread_mutex_unlock(&m) == 0, "m unlock");
		STRESS_CHECK(pthread_rwlock_trywrlock(&gate) == 0, "gate left locked");
		STRESS_CHECK(pthread_rwlock_unlock(&gate) == 0, "gate unlock");
		STRESS_CHECK(pthread_mutex_trylock(&sleep_m) == 0, "sleep_m left locked");
		pthread_mutex_unlock(&sleep_m);
		STRESS_CHECK(pthread_mutex_destroy(&m) == 0, "destroy m");
	}
	STRESS_CHECK(atomic_load(&bad_unlocks) == 0, "%d cleanup unlocks failed",
		     atomic_load(&bad_unlocks));
	printf("cancel: %d waves, %lu threads cancelled in condition waits and joins, "
	       "%d ended by pthread_exit holding a lock their cleanup released, "
	       "every cleanup unlock good, every lock free after\n", waves, cancelled, waves);
	return 0;
}
