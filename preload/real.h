/*
 * real.h: the real lock functions, resolved once.
 *
 * The interposers call through these pointers. Resolution lives in real.c with
 * the reasons it is done the way it is.
 */
#ifndef LC_REAL_H
#define LC_REAL_H

#include <pthread.h>
#include <time.h>

#define LC_EXPORT __attribute__((visibility("default")))

typedef struct lc_real_fns {
	int (*pthread_mutex_lock)(pthread_mutex_t *);
	int (*pthread_mutex_trylock)(pthread_mutex_t *);
	int (*pthread_mutex_timedlock)(pthread_mutex_t *, const struct timespec *);
	int (*pthread_mutex_clocklock)(pthread_mutex_t *, clockid_t,
				       const struct timespec *);
	int (*pthread_mutex_unlock)(pthread_mutex_t *);
	int (*pthread_mutex_init)(pthread_mutex_t *, const pthread_mutexattr_t *);
	int (*pthread_mutex_destroy)(pthread_mutex_t *);
} lc_real_fns;

extern lc_real_fns lc_real;

/* Resolves every pointer of lc_real (idempotent). Returns 0 when all were
 * found. Must be called before the first interposed call is forwarded; the
 * interposers call it lazily, and the shim's constructor calls it first. */
int lc_real_resolve(void);
/* Nonzero while this thread is inside lc_real_resolve: calls that arrive then
 * (dlsym may allocate, and a preloaded allocator may lock) must not recurse. */
int lc_real_resolving(void);

/* Bootstrap forwarders: the real mutex functions reached without dlsym, for
 * calls that arrive while resolving. */
int lc_bootstrap_mutex_lock(pthread_mutex_t *m);
int lc_bootstrap_mutex_trylock(pthread_mutex_t *m);
int lc_bootstrap_mutex_unlock(pthread_mutex_t *m);
int lc_bootstrap_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a);
int lc_bootstrap_mutex_destroy(pthread_mutex_t *m);

#endif
