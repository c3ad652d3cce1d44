/*
 * signals.c: signals delivered during lock operations, to handlers that
 * take locks (stress scenario d).
 *
 * Eight workers lock shared mutexes and rwlocks in ascending order (lock,
 * timedlock, rdlock, wrlock), wait on conditions (untimed, woken by a
 * signaller thread, and timed) and are interrupted all the while: an
 * interval timer raises SIGALRM every 100 us (to whichever thread the kernel
 * picks) and a killer thread sends SIGUSR1 to the workers in turn with
 * pthread_kill. So handlers run inside every call of the shim's, including
 * blocked lock waits, condition waits and timed locks.
 *
 * The program stays correct by POSIX practice: the SIGUSR1 handler takes
 * `handler_lock`, a mutex that only handlers take, and both handlers block
 * both signals while they run (sa_mask), so a handler never interrupts a
 * handler holding it; the SIGALRM handler only try-locks a shared mutex the
 * interrupted thread may itself hold (a try returns EBUSY then, it never
 * blocks) and releases it at once. Every interrupted call must still return
 * what it would have: 0, or ETIMEDOUT from a timed call, never EINTR, and
 * every untimed condition wait must end. Finding-free: handler_lock is
 * always taken last, and a try makes no edge into what it tries.
 *
 * stdout: the fixed figures; how many signals the handlers saw goes to
 * stderr (each kind must have been seen, or the run failed to stress).
 * Size from LOCKCHECK_STRESS (stress.h).
 */
#include "stress.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/time.h>
#include <unistd.h>

#define NWORKERS 8
#define NLOCKS 8

static pthread_mutex_t locks[NLOCKS];
static pthread_rwlock_t rw[NLOCKS];
static unsigned long counter[NLOCKS];
static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static unsigned cv_gen;
static pthread_mutex_t handler_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long handler_count; /* under handler_lock */
static atomic_ulong alrm_seen, alrm_got_lock;
static atomic_int stop, workers_left = NWORKERS, release;

static void on_usr1(int sig)
{
	int saved = errno;
	pthread_mutex_lock(&handler_lock);
	handler_count++;
	pthread_mutex_unlock(&handler_lock);
	errno = saved;
}

static void on_alrm(int sig)
{
	int saved = errno;
	atomic_fetch_add(&alrm_seen, 1);
	if (pthread_mutex_trylock(&locks[0]) == 0) {
		atomic_fetch_add(&alrm_got_lock, 1);
		pthread_mutex_unlock(&locks[0]);
	}
	errno = saved;
}

static void *worker(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;
	uint64_t s = stress_seed(id);
	int rounds = stress_long() ? 400000 : 50000;
	for (int r = 0; r < rounds; r++) {
		uint64_t d = stress_rand(&s);
		int a = (int)(d % (NLOCKS - 1));
		int b = a + 1 + (int)((d >> 8) % (unsigned)(NLOCKS - 1 - a));
		int rc;
		switch ((d >> 16) % 6) {
		case 0: /* two mutexes */
			pthread_mutex_lock(&locks[a]);
			pthread_mutex_lock(&locks[b]);
			counter[a]++;
			counter[b]++;
			pthread_mutex_unlock(&locks[b]);
			pthread_mutex_unlock(&locks[a]);
			break;
		case 1: { /* a timed lock inside a mutex */
			pthread_mutex_lock(&locks[a]);
			struct timespec ts = stress_after(CLOCK_REALTIME, 500000);
			rc = pthread_mutex_timedlock(&locks[b], &ts);
			STRESS_CHECK(rc == 0 || rc == ETIMEDOUT, "timedlock: %d", rc);
			if (rc == 0)
				pthread_mutex_unlock(&locks[b]);
			pthread_mutex_unlock(&locks[a]);
			break;
		}
		case 2: /* rwlocks */
			pthread_rwlock_rdlock(&rw[a]);
			pthread_rwlock_wrlock(&rw[b]);
			pthread_rwlock_unlock(&rw[b]);
			pthread_rwlock_unlock(&rw[a]);
			break;
		case 3: { /* a timed rwlock */
			struct timespec ts = stress_after(CLOCK_REALTIME, 500000);
			rc = pthread_rwlock_timedwrlock(&rw[a], &ts);
			STRESS_CHECK(rc == 0 || rc == ETIMEDOUT, "timedwrlock: %d", rc);
			if (rc == 0)
				pthread_rwlock_unlock(&rw[a]);
			break;
		}
		case 4: { /* an untimed condition wait, inside a mutex */
			if (r % 16)
				break;
			pthread_mutex_lock(&locks[a]);
			pthread_mutex_lock(&cv_lock);
			unsigned g = cv_gen;
			while (cv_gen == g) {
				rc = pthread_cond_wait(&cv, &cv_lock);
				STRESS_CHECK(rc == 0, "cond_wait: %d", rc);
			}
			pthread_mutex_unlock(&cv_lock);
			pthread_mutex_unlock(&locks[a]);
			break;
		}
		default: { /* a timed condition wait */
			pthread_mutex_lock(&cv_lock);
			struct timespec ts = stress_after(CLOCK_REALTIME, 200000);
			rc = pthread_cond_timedwait(&cv, &cv_lock, &ts);
			STRESS_CHECK(rc == 0 || rc == ETIMEDOUT, "cond_timedwait: %d", rc);
			pthread_mutex_unlock(&cv_lock);
			break;
		}
		}
	}
	/* Alive until the killer is done: pthread_kill of a thread that
	 * has ended and been joined is undefined. */
	atomic_fetch_sub(&workers_left, 1);
	while (!atomic_load(&release))
		usleep(1000);
	return NULL;
}

/* Moves the condition on, so that untimed waits end. */
static void *signaller(void *arg)
{
	while (atomic_load(&workers_left) > 0) {
		pthread_mutex_lock(&cv_lock);
		cv_gen++;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&cv_lock);
		usleep(100);
	}
	return NULL;
}

static pthread_t workers[NWORKERS];

static void *killer(void *arg)
{
	unsigned long sent = 0;
	while (!atomic_load(&stop)) {
		for (int i = 0; i < NWORKERS && !atomic_load(&stop); i++) {
			if (pthread_kill(workers[i], SIGUSR1) == 0)
				sent++;
			usleep(20);
		}
	}
	return (void *)(uintptr_t)sent;
}

int main(void)
{
	for (int i = 0; i < NLOCKS; i++) {
		pthread_mutex_init(&locks[i], NULL);
		pthread_rwlock_init(&rw[i], NULL);
	}
	struct sigaction sa = { 0 };
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR1);
	sigaddset(&sa.sa_mask, SIGALRM);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	STRESS_CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");
	sa.sa_handler = on_alrm;
	sa.sa_flags = 0; /* not restarted: the shim's waits must not mind */
	STRESS_CHECK(sigaction(SIGALRM, &sa, NULL) == 0, "sigaction");

	pthread_t sig, kil;
	STRESS_CHECK(pthread_create(&sig, NULL, signaller, NULL) == 0, "create");
	for (int i = 0; i < NWORKERS; i++)
		STRESS_CHECK(pthread_create(&workers[i], NULL, worker, (void *)(uintptr_t)i) == 0,
			     "create");
	/* The killer and the timer only once every worker exists (the killer
	 * reads workers[]). */
	STRESS_CHECK(pthread_create(&kil, NULL, killer, NULL) == 0, "create");
	struct itimerval it = { { 0, 100 }, { 0, 100 } };
	STRESS_CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer");

	while (atomic_load(&workers_left) > 0)
		usleep(1000);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	atomic_store(&stop, 1);
	void *sent;
	pthread_join(kil, &sent);
	atomic_store(&release, 1);
	for (int i = 0; i < NWORKERS; i++)
		pthread_join(workers[i], NULL);
	pthread_join(sig, NULL);

	pthread_mutex_lock(&handler_lock);
	unsigned long usr1 = handler_count;
	pthread_mutex_unlock(&handler_lock);
	fprintf(stderr, "signals: %lu SIGUSR1 sent, %lu handled; %lu SIGALRM handled, %lu took locks[0]\n",
		(unsigned long)(uintptr_t)sent, usr1, atomic_load(&alrm_seen),
		atomic_load(&alrm_got_lock));
	STRESS_CHECK(usr1 > 0 && atomic_load(&alrm_seen) > 0, "no signal was handled");
	printf("signals: %d workers x %d rounds of lock, timed, rwlock and condition calls "
	       "under SIGALRM every 100 us and SIGUSR1 by pthread_kill, handlers locking\n",
	       NWORKERS, stress_long() ? 400000 : 50000);
	return 0;
}
