/*
 * locks.c: 64 threads doing every kind of lock operation over 1,000 locks,
 * always in one global order (stress scenario a).
 *
 * Lock i is a mutex (even i, with a condition variable; every fourth an
 * errorcheck mutex, every eighth recursive) or a rwlock (odd i). A round of
 * a worker takes 1 to 4 locks in ascending index order, each by a method
 * drawn at random: lock, trylock, timedlock, clocklock; rdlock, wrlock,
 * tryrdlock, trywrlock, timedrdlock, timedwrlock, clockrdlock, clockwrlock.
 * A try that fails or a timed call that times out just skips that lock (the
 * order stays ascending). Holding its locks, the worker may relock a
 * recursive mutex, signal or broadcast the innermost mutex's condition, or
 * wait on it (timed, clock, or untimed until the condition's generation
 * moves), and may try-lock a lower-indexed lock out of order and release it
 * at once: a try cannot block, so that is no inversion. A beacon thread
 * sweeps the conditions with trylock + broadcast so that untimed waits
 * always end. Every exclusive hold increments its lock's counter without an
 * atomic: the counters must add up to the exclusive acquisitions, or mutual
 * exclusion broke.
 *
 * The run is finding-free by construction. `trap` adds one planted AB-BA:
 * worker 0 takes trap_a then trap_b halfway through, then worker 1 takes
 * trap_b then trap_a (after worker 0 released both, so it never really
 * deadlocks, but nothing orders the two threads): exactly one
 * deadlock-possible inversion, however much else is going on.
 *
 * stdout: the deterministic figures only (rounds, attempted operations,
 * blocking acquisitions: every draw is made whatever the outcomes); the
 * outcome-dependent ones (tries that succeeded, timeouts, waits) go to
 * stderr. Usage: locks [trap]; size from LOCKCHECK_STRESS (stress.h).
 */
#include "stress.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

#include "lockcheck.h"

#define NTHREADS 64
#define NLOCKS 1000
#define MAXNEST 4

typedef struct obj {
	pthread_mutex_t m; /* even indices */
	pthread_cond_t cv;
	pthread_rwlock_t rw; /* odd indices */
	unsigned gen;        /* condition generation, under m */
	unsigned long counter; /* incremented under an exclusive hold */
} obj;

static obj objs[NLOCKS];
static int rounds;
static int trap;
static atomic_int workers_left = NTHREADS;
static atomic_int trap_first_done;
static pthread_mutex_t trap_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t trap_b = PTHREAD_MUTEX_INITIALIZER;

/* Totals over all workers. */
static atomic_ulong attempts, blocking, exclusive, try_ok, timeouts, waits;

static int is_mutex(int i) { return i % 2 == 0; }
static int is_recursive(int i) { return i % 8 == 6; }

typedef struct held {
	int idx;
	int excl; /* exclusive (mutex, or rwlock for writing) */
} held;

typedef struct tally {
	unsigned long attempts, blocking, exclusive, try_ok, timeouts, waits;
} tally;

/* Acquires lock i by method `how` (drawn by the caller); 1 if held. */
static int acquire(int i, unsigned how, held *h, tally *c)
{
	obj *o = &objs[i];
	struct timespec ts;
	int rc;
	c->attempts++;
	h->idx = i;
	if (is_mutex(i)) {
		h->excl = 1;
		switch (how % 4) {
		case 0:
			c->blocking++;
			rc = pthread_mutex_lock(&o->m);
			STRESS_CHECK(rc == 0, "mutex_lock %d: %d", i, rc);
			return 1;
		case 1:
			rc = pthread_mutex_trylock(&o->m);
			STRESS_CHECK(rc == 0 || rc == EBUSY, "trylock %d: %d", i, rc);
			c->try_ok += rc == 0;
			return rc == 0;
		case 2:
			ts = stress_after(CLOCK_REALTIME, 2000000);
			rc = pthread_mutex_timedlock(&o->m, &ts);
			break;
		default:
			ts = stress_after(CLOCK_MONOTONIC, 2000000);
			rc = pthread_mutex_clocklock(&o->m, CLOCK_MONOTONIC, &ts);
			break;
		}
	} else {
		h->excl = how % 2;
		switch (how % 8) {
		case 0:
			c->blocking++;
			rc = pthread_rwlock_rdlock(&o->rw);
			STRESS_CHECK(rc == 0, "rdlock %d: %d", i, rc);
			return 1;
		case 1:
			c->blocking++;
			rc = pthread_rwlock_wrlock(&o->rw);
			STRESS_CHECK(rc == 0, "wrlock %d: %d", i, rc);
			return 1;
		case 2:
			rc = pthread_rwlock_tryrdlock(&o->rw);
			STRESS_CHECK(rc == 0 || rc == EBUSY, "tryrdlock %d: %d", i, rc);
			c->try_ok += rc == 0;
			return rc == 0;
		case 3:
			rc = pthread_rwlock_trywrlock(&o->rw);
			STRESS_CHECK(rc == 0 || rc == EBUSY, "trywrlock %d: %d", i, rc);
			c->try_ok += rc == 0;
			return rc == 0;
		case 4:
			ts = stress_after(CLOCK_REALTIME, 2000000);
			rc = pthread_rwlock_timedrdlock(&o->rw, &ts);
			break;
		case 5:
			ts = stress_after(CLOCK_REALTIME, 2000000);
			rc = pthread_rwlock_timedwrlock(&o->rw, &ts);
			break;
		case 6:
			ts = stress_after(CLOCK_MONOTONIC, 2000000);
			rc = pthread_rwlock_clockrdlock(&o->rw, CLOCK_MONOTONIC, &ts);
			break;
		default:
			ts = stress_after(CLOCK_MONOTONIC, 2000000);
			rc = pthread_rwlock_clockwrlock(&o->rw, CLOCK_MONOTONIC, &ts);
			break;
		}
	}
	STRESS_CHECK(rc == 0 || rc == ETIMEDOUT, "timed lock %d: %d", i, rc);
	c->timeouts += rc == ETIMEDOUT;
	return rc == 0;
}

static void release(const held *h)
{
	int rc = is_mutex(h->idx) ? pthread_mutex_unlock(&objs[h->idx].m)
				  : pthread_rwlock_unlock(&objs[h->idx].rw);
	STRESS_CHECK(rc == 0, "unlock %d: %d", h->idx, rc);
}

/* The innermost lock is a held mutex: a condition operation on it. */
static void cond_op(obj *o, unsigned how, tally *c)
{
	struct timespec ts;
	unsigned g;
	int rc;
	switch (how % 8) {
	case 0:
		o->gen++;
		pthread_cond_signal(&o->cv);
		break;
	case 1:
		o->gen++;
		pthread_cond_broadcast(&o->cv);
		break;
	case 2:
		ts = stress_after(CLOCK_REALTIME, 1000000);
		rc = pthread_cond_timedwait(&o->cv, &o->m, &ts);
		STRESS_CHECK(rc == 0 || rc == ETIMEDOUT, "cond_timedwait: %d", rc);
		c->waits++;
		break;
	case 3:
		ts = stress_after(CLOCK_MONOTONIC, 1000000);
		rc = pthread_cond_clockwait(&o->cv, &o->m, CLOCK_MONOTONIC, &ts);
		STRESS_CHECK(rc == 0 || rc == ETIMEDOUT, "cond_clockwait: %d", rc);
		c->waits++;
		break;
	case 4:
		/* Untimed: the beacon (or a worker) moves gen soon. */
		g = o->gen;
		while (o->gen == g) {
			rc = pthread_cond_wait(&o->cv, &o->m);
			STRESS_CHECK(rc == 0, "cond_wait: %d", rc);
		}
		c->waits++;
		break;
	default:
		break; /* most rounds: no condition operation */
	}
}

static void trap_plant(int id)
{
	if (id == 0) {
		pthread_mutex_lock(&trap_a);
		pthread_mutex_lock(&trap_b);
		pthread_mutex_unlock(&trap_b);
		pthread_mutex_unlock(&trap_a);
		atomic_store(&trap_first_done, 1);
	} else if (id == 1) {
		while (!atomic_load(&trap_first_done))
			sched_yield();
		pthread_mutex_lock(&trap_b);
		pthread_mutex_lock(&trap_a);
		pthread_mutex_unlock(&trap_a);
		pthread_mutex_unlock(&trap_b);
	}
}

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	uint64_t s = stress_seed((unsigned)id);
	tally c = { 0 };
	held hs[MAXNEST];
	for (int r = 0; r < rounds; r++) {
		if (trap && r == rounds / 2)
			trap_plant(id);
		/* All draws first: what the round attempts never depends on
		 * what other threads did. */
		uint64_t d = stress_rand(&s);
		int k = 1 + (int)(d % MAXNEST);
		int idx[MAXNEST];
		unsigned how[MAXNEST];
		int at = (int)((d >> 8) % (NLOCKS - 40));
		for (int j = 0; j < k; j++) {
			uint64_t e = stress_rand(&s);
			idx[j] = at;
			how[j] = (unsigned)(e >> 16);
			at += 1 + (int)(e % 10);
		}
		uint64_t extra = stress_rand(&s);

		int n = 0;
		for (int j = 0; j < k; j++)
			if (acquire(idx[j], how[j], &hs[n], &c))
				n++;
		for (int j = 0; j < n; j++)
			if (hs[j].excl) {
				objs[hs[j].idx].counter++;
				c.exclusive++;
			}
		if (n > 0) {
			held *in = &hs[n - 1];
			obj *o = &objs[in->idx];
			if (is_mutex(in->idx)) {
				if (is_recursive(in->idx) && (extra & 3) == 0) {
					/* Re-enter the recursive mutex. */
					int rc = pthread_mutex_lock(&o->m);
					STRESS_CHECK(rc == 0, "relock: %d", rc);
					o->counter++;
					c.exclusive++;
					pthread_mutex_unlock(&o->m);
				}
				cond_op(o, (unsigned)(extra >> 8), &c);
			}
			if (((extra >> 20) & 7) == 0 && hs[0].idx > 0) {
				/* Out of order, but only a try, released at
				 * once: cannot deadlock, not an inversion. A
				 * lock this thread holds is never tried. */
				int lo = (int)((extra >> 24) % (unsigned)hs[0].idx);
				held t = { lo, 1 };
				int rc = is_mutex(lo) ? pthread_mutex_trylock(&objs[lo].m)
						      : pthread_rwlock_trywrlock(&objs[lo].rw);
				STRESS_CHECK(rc == 0 || rc == EBUSY, "out-of-order try %d: %d", lo, rc);
				if (rc == 0) {
					objs[lo].counter++;
					c.exclusive++;
					c.try_ok++;
					release(&t);
				}
			}
		}
		/* Released in a mixed order: unlock order need not nest. */
		for (int j = 0; j < n; j++)
			release(&hs[(extra >> 30) & 1 ? j : n - 1 - j]);
	}
	atomic_fetch_add(&attempts, c.attempts);
	atomic_fetch_add(&blocking, c.blocking);
	atomic_fetch_add(&exclusive, c.exclusive);
	atomic_fetch_add(&try_ok, c.try_ok);
	atomic_fetch_add(&timeouts, c.timeouts);
	atomic_fetch_add(&waits, c.waits);
	atomic_fetch_sub(&workers_left, 1);
	return NULL;
}

/* Wakes untimed waiters: try each condition's mutex (never blocks, holds
 * nothing else), move the generation, broadcast. */
static void *beacon(void *arg)
{
	while (atomic_load(&workers_left) > 0) {
		for (int i = 0; i < NLOCKS; i += 2) {
			obj *o = &objs[i];
			if (pthread_mutex_trylock(&o->m) == 0) {
				o->gen++;
				pthread_cond_broadcast(&o->cv);
				pthread_mutex_unlock(&o->m);
			}
		}
		usleep(200);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	rounds = stress_long() ? 40000 : 1500;
	trap = argc > 1 && strcmp(argv[1], "trap") == 0;
	lockcheck_name(&trap_a, "trap_a");
	lockcheck_name(&trap_b, "trap_b");

	pthread_mutexattr_t ec, rec;
	pthread_mutexattr_init(&ec);
	pthread_mutexattr_settype(&ec, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutexattr_init(&rec);
	pthread_mutexattr_settype(&rec, PTHREAD_MUTEX_RECURSIVE);
	for (int i = 0; i < NLOCKS; i++) {
		if (is_mutex(i)) {
			pthread_mutex_init(&objs[i].m, is_recursive(i) ? &rec
						       : i % 4 == 2 ? &ec : NULL);
			pthread_cond_init(&objs[i].cv, NULL);
		} else {
			pthread_rwlock_init(&objs[i].rw, NULL);
		}
	}

	pthread_t t[NTHREADS], b;
	STRESS_CHECK(pthread_create(&b, NULL, beacon, NULL) == 0, "beacon");
	for (int i = 0; i < NTHREADS; i++)
		STRESS_CHECK(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0,
			     "create %d", i);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	pthread_join(b, NULL);

	unsigned long sum = 0;
	for (int i = 0; i < NLOCKS; i++) {
		sum += objs[i].counter;
		if (is_mutex(i)) {
			STRESS_CHECK(pthread_mutex_destroy(&objs[i].m) == 0, "destroy %d", i);
			pthread_cond_destroy(&objs[i].cv);
		} else {
			STRESS_CHECK(pthread_rwlock_destroy(&objs[i].rw) == 0, "destroy %d", i);
		}
	}
	STRESS_CHECK(sum == atomic_load(&exclusive),
		     "the counters add up to %lu, %lu exclusive holds: exclusion broke",
		     sum, atomic_load(&exclusive));
	fprintf(stderr, "locks: %lu exclusive holds, %lu tries succeeded, %lu timeouts, %lu waits\n",
		atomic_load(&exclusive), atomic_load(&try_ok), atomic_load(&timeouts),
		atomic_load(&waits));
	printf("locks%s: %d threads x %d rounds over %d locks: %lu lock operations attempted, "
	       "%lu blocking acquisitions, counters consistent\n",
	       trap ? " (trap)" : "", NTHREADS, rounds, NLOCKS, atomic_load(&attempts),
	       atomic_load(&blocking));
	return 0;
}
