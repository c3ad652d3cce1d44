/*
 * real.h: the real lock functions, resolved once.
 *
 * The interposers call through these pointers. Resolution lives in real.c with
 * the reasons it is done the way it is.
 */
#ifndef LC_REAL_H
#define LC_REAL_H

#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define LC_EXPORT __attribute__((visibility("default")))
/* The return address in the caller of an interposed function. */
#define LC_CALLER ((uintptr_t)__builtin_return_address(0))

typedef struct lc_real_fns {
	int (*pthread_mutex_lock)(pthread_mutex_t *);
	int (*pthread_mutex_trylock)(pthread_mutex_t *);
	int (*pthread_mutex_timedlock)(pthread_mutex_t *, const struct timespec *);
	int (*pthread_mutex_clocklock)(pthread_mutex_t *, clockid_t,
				       const struct timespec *);
	int (*pthread_mutex_unlock)(pthread_mutex_t *);
	int (*pthread_mutex_init)(pthread_mutex_t *, const pthread_mutexattr_t *);
	int (*pthread_mutex_destroy)(pthread_mutex_t *);

	int (*pthread_rwlock_rdlock)(pthread_rwlock_t *);
	int (*pthread_rwlock_wrlock)(pthread_rwlock_t *);
	int (*pthread_rwlock_tryrdlock)(pthread_rwlock_t *);
	int (*pthread_rwlock_trywrlock)(pthread_rwlock_t *);
	int (*pthread_rwlock_timedrdlock)(pthread_rwlock_t *,
					  const struct timespec *);
	int (*pthread_rwlock_timedwrlock)(pthread_rwlock_t *,
					  const struct timespec *);
	int (*pthread_rwlock_clockrdlock)(pthread_rwlock_t *, clockid_t,
					  const struct timespec *);
	int (*pthread_rwlock_clockwrlock)(pthread_rwlock_t *, clockid_t,
					  const struct timespec *);
	int (*pthread_rwlock_unlock)(pthread_rwlock_t *);
	int (*pthread_rwlock_init)(pthread_rwlock_t *,
				   const pthread_rwlockattr_t *);
	int (*pthread_rwlock_destroy)(pthread_rwlock_t *);

	int (*pthread_spin_lock)(pthread_spinlock_t *);
	int (*pthread_spin_trylock)(pthread_spinlock_t *);
	int (*pthread_spin_unlock)(pthread_spinlock_t *);
	int (*pthread_spin_init)(pthread_spinlock_t *, int);
	int (*pthread_spin_destroy)(pthread_spinlock_t *);

	int (*pthread_cond_wait)(pthread_cond_t *, pthread_mutex_t *);
	int (*pthread_cond_timedwait)(pthread_cond_t *, pthread_mutex_t *,
				      const struct timespec *);
	int (*pthread_cond_clockwait)(pthread_cond_t *, pthread_mutex_t *,
				      clockid_t, const struct timespec *);
	int (*pthread_cond_init)(pthread_cond_t *, const pthread_condattr_t *);
	int (*pthread_cond_destroy)(pthread_cond_t *);

	int (*mtx_init)(void *, int);
	int (*mtx_lock)(void *);
	int (*mtx_timedlock)(void *, const struct timespec *);
	int (*mtx_trylock)(void *);
	int (*mtx_unlock)(void *);
	void (*mtx_destroy)(void *);
	int (*cnd_wait)(void *, void *);
	int (*cnd_timedwait)(void *, void *, const struct timespec *);

	int (*sem_init)(sem_t *, int, unsigned);
	int (*sem_destroy)(sem_t *);
	int (*sem_wait)(sem_t *);
	int (*sem_trywait)(sem_t *);
	int (*sem_timedwait)(sem_t *, const struct timespec *);
	int (*sem_clockwait)(sem_t *, clockid_t, const struct timespec *);
	int (*sem_post)(sem_t *);
	int (*pthread_barrier_init)(pthread_barrier_t *,
				    const pthread_barrierattr_t *, unsigned);
	int (*pthread_barrier_destroy)(pthread_barrier_t *);
	int (*pthread_barrier_wait)(pthread_barrier_t *);

	int (*pthread_create)(pthread_t *, const pthread_attr_t *,
			      void *(*)(void *), void *);
	void (*pthread_exit)(void *) __attribute__((noreturn));
	int (*pthread_join)(pthread_t, void **);
	int (*pthread_tryjoin_np)(pthread_t, void **);
	int (*pthread_timedjoin_np)(pthread_t, void **, const struct timespec *);
	int (*pthread_clockjoin_np)(pthread_t, void **, clockid_t,
				    const struct timespec *);
	int (*thrd_create)(void *, int (*)(void *), void *);
	int (*thrd_join)(unsigned long, int *);
	void (*thrd_exit)(int) __attribute__((noreturn));

	int (*execve)(const char *, char *const[], char *const[]);
	int (*execv)(const char *, char *const[]);
	int (*execvp)(const char *, char *const[]);
	int (*execvpe)(const char *, char *const[], char *const[]);
	int (*fexecve)(int, char *const[], char *const[]);
	int (*posix_spawn)(pid_t *, const char *, const void *, const void *,
			   char *const[], char *const[]);
	int (*posix_spawnp)(pid_t *, const char *, const void *, const void *,
			    char *const[], char *const[]);
	void (*_exit)(int) __attribute__((noreturn));
	void (*_Exit)(int) __attribute__((noreturn));

	/* GLib's (libglib-2.0), NULL in a process without it; its types are
	 * handled through void pointers (glib.c). */
	void (*g_mutex_init)(void *);
	void (*g_mutex_clear)(void *);
	void (*g_mutex_lock)(void *);
	int (*g_mutex_trylock)(void *);
	void (*g_mutex_unlock)(void *);
	void (*g_cond_init)(void *);
	void (*g_cond_clear)(void *);
	void (*g_cond_wait)(void *, void *);
	int (*g_cond_wait_until)(void *, void *, int64_t);
	void (*g_bit_lock)(volatile int *, int);
	int (*g_bit_trylock)(volatile int *, int);
	void (*g_bit_unlock)(volatile int *, int);
	void (*g_pointer_bit_lock)(volatile void *, int);
	int (*g_pointer_bit_trylock)(volatile void *, int);
	void (*g_pointer_bit_unlock)(volatile void *, int);
} lc_real_fns;

extern lc_real_fns lc_real;

/* posix_spawn's file actions and attributes are passed through as void
 * pointers, as C11's types are: only exec.c needs <spawn.h>. */
/* C11's mtx_t and cnd_t are handled through void pointers: <threads.h> and
 * <pthread.h> do not mix in one translation unit everywhere. */

/* Resolves every pointer of lc_real (idempotent). Returns 0 when all were
 * found. Must be called before the first interposed call is forwarded; the
 * interposers call it lazily, and the shim's constructor calls it first. */
int lc_real_resolve(void);
/* Nonzero while this thread is inside lc_real_resolve: calls that arrive then
 * (dlsym may allocate, and a preloaded allocator may lock) must not recurse. */
int lc_real_resolving(void);

/* Resolves on first use; nonzero when the caller must use its bootstrap
 * path because this very thread is inside lc_real_resolve (fn still NULL). */
static inline int lc_need_bootstrap(const void *fn)
{
	if (__builtin_expect(fn != NULL, 1))
		return 0;
	if (lc_real_resolving())
		return 1;
	lc_real_resolve();
	return 0;
}

/* Bootstrap forwarders: the real mutex and rwlock functions reached without
 * dlsym, for calls that arrive while resolving (an allocator's locks). The
 * other primitives are not used by allocators; while resolving, their
 * interposers report success without doing anything (one thread exists). */
int lc_bootstrap_mutex_lock(pthread_mutex_t *m);
int lc_bootstrap_mutex_trylock(pthread_mutex_t *m);
int lc_bootstrap_mutex_unlock(pthread_mutex_t *m);
int lc_bootstrap_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a);
int lc_bootstrap_mutex_destroy(pthread_mutex_t *m);
int lc_bootstrap_rwlock_rdlock(pthread_rwlock_t *l);
int lc_bootstrap_rwlock_wrlock(pthread_rwlock_t *l);
int lc_bootstrap_rwlock_tryrdlock(pthread_rwlock_t *l);
int lc_bootstrap_rwlock_trywrlock(pthread_rwlock_t *l);
int lc_bootstrap_rwlock_unlock(pthread_rwlock_t *l);
int lc_bootstrap_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a);
int lc_bootstrap_rwlock_destroy(pthread_rwlock_t *l);

#endif
