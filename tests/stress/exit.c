/*
 * exit.c: the process ends while other threads hold locks and are blocked
 * on them (stress scenario g).
 *
 * Holders each take a mutex of their own (the first also a rwlock for
 * writing) and park in a condition wait that is never signalled. Blocked
 * threads wait for the holders' locks: pthread_mutex_lock, _timedlock and
 * _clocklock with deadlines an hour away, rdlock on the rwlock, and
 * pthread_join of a holder. Busy threads lock and unlock a pair of mutexes
 * (and try-lock a third) as fast as they can. Once all are in place (and
 * the blocked ones have waited long enough to be in the shim's waiting
 * slices), the process ends, in one of three ways (argv[1]):
 *   exit     main calls exit(7);
 *   return   main returns 9;
 *   thread   a busy thread calls exit(5) while main waits in pthread_join.
 * atexit handlers run first: one locks a mutex nobody else holds and
 * prints, one try-locks a holder's mutex (busy: it prints so). The process
 * must end at once (the test gives it 5 s where natively it takes
 * milliseconds) with its own status and output: the shim's exit path must
 * neither wait for the blocked threads nor be stopped by the busy ones.
 * No finding: the order is one (own -> park, busy_a -> busy_b) and the
 * blocked threads are not in a cycle. Size (threads of each kind) from
 * LOCKCHECK_STRESS (stress.h).
 */
#include "stress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#define MAXHOLD 32

static int nhold;
static pthread_mutex_t own[MAXHOLD];
static pthread_mutex_t park_m[MAXHOLD];
/* One condition variable per parked thread: waits on one condition
 * variable with different mutexes at once are undefined (POSIX), and the
 * shim reports them (cond-misuse two-mutexes). */
static pthread_cond_t park_cv[MAXHOLD];
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t busy_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t busy_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t busy_c = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t exit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t holders[MAXHOLD];
static atomic_int holding, blocking, busy_running, exit_now;
static const char *how;

static void *holder(void *arg)
{
	int i = (int)(intptr_t)arg;
	pthread_mutex_lock(&own[i]);
	if (i == 0)
		pthread_rwlock_wrlock(&rw);
	pthread_mutex_lock(&park_m[i]);
	atomic_fetch_add(&holding, 1);
	for (;;)
		pthread_cond_wait(&park_cv[i], &park_m[i]);
	return NULL;
}

static void *blocked(void *arg)
{
	int i = (int)(intptr_t)arg;
	pthread_mutex_t *m = &own[i % nhold];
	struct timespec ts;
	atomic_fetch_add(&blocking, 1);
	switch (i % 5) {
	case 0:
		pthread_mutex_lock(m);
		break;
	case 1:
		ts = stress_after(CLOCK_REALTIME, 0);
		ts.tv_sec += 3600;
		pthread_mutex_timedlock(m, &ts);
		break;
	case 2:
		ts = stress_after(CLOCK_MONOTONIC, 0);
		ts.tv_sec += 3600;
		pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &ts);
		break;
	case 3:
		pthread_rwlock_rdlock(&rw);
		break;
	default:
		pthread_join(holders[i % nhold], NULL);
		break;
	}
	STRESS_CHECK(0, "a blocked thread got through");
	return NULL;
}

static void *busy(void *arg)
{
	int i = (int)(intptr_t)arg;
	atomic_fetch_add(&busy_running, 1);
	for (unsigned long n = 0;; n++) {
		pthread_mutex_lock(&busy_a);
		pthread_mutex_lock(&busy_b);
		if (pthread_mutex_trylock(&busy_c) == 0)
			pthread_mutex_unlock(&busy_c);
		pthread_mutex_unlock(&busy_b);
		pthread_mutex_unlock(&busy_a);
		if (i == 0 && atomic_load(&exit_now)) {
			printf("exit: a busy thread calls exit(5)\n");
			exit(5);
		}
	}
	return NULL;
}

static void at_exit_lock(void)
{
	pthread_mutex_lock(&exit_lock);
	printf("atexit: exit_lock taken and released\n");
	pthread_mutex_unlock(&exit_lock);
}

static void at_exit_try(void)
{
	int rc = pthread_mutex_trylock(&own[0]);
	printf("atexit: own[0] is %s\n", rc == EBUSY ? "still held by its holder" : "free?");
	if (rc == 0)
		pthread_mutex_unlock(&own[0]);
}

int main(int argc, char **argv)
{
	how = argc > 1 ? argv[1] : "exit";
	nhold = stress_long() ? 32 : 8;
	int nblocked = 2 * nhold, nbusy = 4;
	for (int i = 0; i < nhold; i++) {
		pthread_mutex_init(&own[i], NULL);
		pthread_mutex_init(&park_m[i], NULL);
		pthread_cond_init(&park_cv[i], NULL);
	}
	atexit(at_exit_lock);
	atexit(at_exit_try);
	for (int i = 0; i < nhold; i++)
		STRESS_CHECK(pthread_create(&holders[i], NULL, holder, (void *)(intptr_t)i) == 0,
			     "create");
	while (atomic_load(&holding) < nhold)
		usleep(1000);
	pthread_t t;
	for (int i = 0; i < nblocked; i++)
		STRESS_CHECK(pthread_create(&t, NULL, blocked, (void *)(intptr_t)i) == 0, "create");
	for (int i = 0; i < nbusy; i++)
		STRESS_CHECK(pthread_create(&t, NULL, busy, (void *)(intptr_t)i) == 0, "create");
	while (atomic_load(&blocking) < nblocked || atomic_load(&busy_running) < nbusy)
		usleep(1000);
	/* Past the shim's 10 ms grace: the blocked threads are in its
	 * waiting slices, registered as waiting. */
	usleep(50000);
	printf("exit: %d holders, %d blocked threads, %d busy threads; ending by %s\n", nhold,
	       nblocked, nbusy, how);
	fflush(stdout);
	if (strcmp(how, "exit") == 0)
		exit(7);
	if (strcmp(how, "thread") == 0) {
		atomic_store(&exit_now, 1);
		pthread_join(holders[0], NULL);
		STRESS_CHECK(0, "the join of a holder returned");
	}
	return 9;
}
