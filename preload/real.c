/*
 * real.c: resolving the real lock functions (the bootstrap), and nothing else.
 *
 * Why it is done this way:
 *   - dlsym(RTLD_NEXT, ...) finds the next definition after the shim, which
 *     is libc's (glibc >= 2.34 has libpthread inside libc) or another
 *     interposer's, which we then respect.
 *   - dlsym can allocate, and a preloaded allocator (jemalloc, tcmalloc) takes
 *     pthread mutexes: such a call reaches our interposer while its pointer is
 *     still NULL. A thread-local "resolving" flag routes it to the bootstrap
 *     forwarders below, which reach glibc's implementation through its
 *     internal aliases (__pthread_mutex_lock & co., exported by glibc with a
 *     fixed symbol version), so even those first calls really lock.
 *   - Resolution happens once, in the constructor, before the program can
 *     start threads; the lazy path covers calls that come earlier (other
 *     libraries' constructors).
 *   - pthread_cond_wait/timedwait/init/destroy are pinned to GLIBC_2.3.2 with dlvsym:
 *     RTLD_NEXT would give the old 2.2.5 ABI (google/sanitizers #465).
 *   - The semaphore and barrier functions have two versions on x86-64
 *     (GLIBC_2.2.5, and GLIBC_2.34 since libpthread moved into libc; the
 *     same code today). RTLD_NEXT may give either; they are pinned to
 *     GLIBC_2.34, the one a program built now binds to, with RTLD_NEXT as
 *     the fallback on an older glibc (then the only version there is).
 *   - A function missing from this libc (an older glibc without the clock*
 *     variants) stays NULL; its interposer is then never reached, because
 *     the program could not have linked against it either.
 */
#define _GNU_SOURCE
#include "real.h"

#include <dlfcn.h>

lc_real_fns lc_real;
static __thread int resolving __attribute__((tls_model("initial-exec")));

int lc_real_resolving(void)
{
	return resolving;
}

#define RESOLVE(name)                                                          \
	do {                                                                   \
		if (!lc_real.name)                                             \
			*(void **)&lc_real.name = dlsym(RTLD_NEXT, #name);     \
		missing += !lc_real.name;                                      \
	} while (0)

/* The condition-variable ABI of glibc since 2.3.2; RTLD_NEXT alone would
 * return the 2.2.5 compatibility version, whose wait hangs on a new-style
 * condition variable. */
#if defined(__GLIBC__) && defined(__x86_64__)
#define COND_VERSION "GLIBC_2.3.2"
#define RESOLVE_VERSION(name, version)                                         \
	do {                                                                   \
		if (!lc_real.name)                                             \
			*(void **)&lc_real.name =                              \
				dlvsym(RTLD_NEXT, #name, version);             \
		RESOLVE(name);                                                 \
	} while (0)
#define SYNC_VERSION "GLIBC_2.34"
#else
#define RESOLVE_VERSION(name, version) RESOLVE(name)
#endif

int lc_real_resolve(void)
{
	int missing = 0;
	resolving = 1;
	RESOLVE(pthread_mutex_lock);
	RESOLVE(pthread_mutex_trylock);
	RESOLVE(pthread_mutex_timedlock);
	RESOLVE(pthread_mutex_clocklock);
	RESOLVE(pthread_mutex_unlock);
	RESOLVE(pthread_mutex_init);
	RESOLVE(pthread_mutex_destroy);
	RESOLVE(pthread_rwlock_rdlock);
	RESOLVE(pthread_rwlock_wrlock);
	RESOLVE(pthread_rwlock_tryrdlock);
	RESOLVE(pthread_rwlock_trywrlock);
	RESOLVE(pthread_rwlock_timedrdlock);
	RESOLVE(pthread_rwlock_timedwrlock);
	RESOLVE(pthread_rwlock_clockrdlock);
	RESOLVE(pthread_rwlock_clockwrlock);
	RESOLVE(pthread_rwlock_unlock);
	RESOLVE(pthread_rwlock_init);
	RESOLVE(pthread_rwlock_destroy);
	RESOLVE(pthread_spin_lock);
	RESOLVE(pthread_spin_trylock);
	RESOLVE(pthread_spin_unlock);
	RESOLVE(pthread_spin_init);
	RESOLVE(pthread_spin_destroy);
	RESOLVE_VERSION(pthread_cond_wait, COND_VERSION);
	RESOLVE_VERSION(pthread_cond_timedwait, COND_VERSION);
	RESOLVE(pthread_cond_clockwait);
	RESOLVE_VERSION(pthread_cond_init, COND_VERSION);
	RESOLVE_VERSION(pthread_cond_destroy, COND_VERSION);
	RESOLVE(mtx_init);
	RESOLVE(mtx_lock);
	RESOLVE(mtx_timedlock);
	RESOLVE(mtx_trylock);
	RESOLVE(mtx_unlock);
	RESOLVE(mtx_destroy);
	RESOLVE(cnd_wait);
	RESOLVE(cnd_timedwait);
	RESOLVE_VERSION(sem_init, SYNC_VERSION);
	RESOLVE_VERSION(sem_destroy, SYNC_VERSION);
	RESOLVE_VERSION(sem_wait, SYNC_VERSION);
	RESOLVE_VERSION(sem_trywait, SYNC_VERSION);
	RESOLVE_VERSION(sem_timedwait, SYNC_VERSION);
	RESOLVE_VERSION(sem_clockwait, SYNC_VERSION);
	RESOLVE_VERSION(sem_post, SYNC_VERSION);
	RESOLVE_VERSION(pthread_barrier_init, SYNC_VERSION);
	RESOLVE_VERSION(pthread_barrier_destroy, SYNC_VERSION);
	RESOLVE_VERSION(pthread_barrier_wait, SYNC_VERSION);
	RESOLVE(pthread_create);
	RESOLVE(pthread_exit);
	RESOLVE(pthread_join);
	RESOLVE(pthread_tryjoin_np);
	RESOLVE(pthread_timedjoin_np);
	RESOLVE(pthread_clockjoin_np);
	RESOLVE(thrd_create);
	RESOLVE(thrd_join);
	RESOLVE(thrd_exit);
	RESOLVE(_exit);
	RESOLVE(_Exit);
	RESOLVE(execve);
	RESOLVE(execv);
	RESOLVE(execvp);
	RESOLVE(execvpe);
	RESOLVE(fexecve);
	RESOLVE(posix_spawn);
	RESOLVE(posix_spawnp);
	resolving = 0;
	/* GLib's, when the process has it: a program without GLib never
	 * reaches their interposers, so they do not count as missing, and
	 * a GLib loaded later (dlopen) is found by the interposers' lazy
	 * call of this function. */
	int missing_before_glib = missing;
	resolving = 1;
	RESOLVE(g_mutex_init);
	RESOLVE(g_mutex_clear);
	RESOLVE(g_mutex_lock);
	RESOLVE(g_mutex_trylock);
	RESOLVE(g_mutex_unlock);
	RESOLVE(g_cond_init);
	RESOLVE(g_cond_clear);
	RESOLVE(g_cond_wait);
	RESOLVE(g_cond_wait_until);
	RESOLVE(g_bit_lock);
	RESOLVE(g_bit_trylock);
	RESOLVE(g_bit_unlock);
	RESOLVE(g_pointer_bit_lock);
	RESOLVE(g_pointer_bit_trylock);
	RESOLVE(g_pointer_bit_unlock);
	resolving = 0;
	return missing_before_glib ? -1 : 0;
}

/* glibc's internal names for the mutex and rwlock functions, with the
 * version they are exported under on x86-64. */
#if defined(__GLIBC__) && defined(__x86_64__)
#define GLIBC_ALIAS(ret, ours, theirs, params, args)                           \
	extern ret glibc_##ours params;                                        \
	__asm__(".symver glibc_" #ours "," #theirs "@GLIBC_2.2.5");            \
	ret lc_bootstrap_##ours params { return glibc_##ours args; }
#else
/* Elsewhere: while resolving, the process has one thread (the constructor
 * runs before main), so reporting success keeps the allocator consistent. */
#define GLIBC_ALIAS(ret, ours, theirs, params, args)                           \
	ret lc_bootstrap_##ours params { return 0; }
#endif

GLIBC_ALIAS(int, mutex_lock, __pthread_mutex_lock, (pthread_mutex_t *m), (m))
GLIBC_ALIAS(int, mutex_trylock, __pthread_mutex_trylock, (pthread_mutex_t *m), (m))
GLIBC_ALIAS(int, mutex_unlock, __pthread_mutex_unlock, (pthread_mutex_t *m), (m))
GLIBC_ALIAS(int, mutex_init, __pthread_mutex_init,
	    (pthread_mutex_t *m, const pthread_mutexattr_t *a), (m, a))
GLIBC_ALIAS(int, mutex_destroy, __pthread_mutex_destroy, (pthread_mutex_t *m), (m))
GLIBC_ALIAS(int, rwlock_rdlock, __pthread_rwlock_rdlock, (pthread_rwlock_t *l), (l))
GLIBC_ALIAS(int, rwlock_wrlock, __pthread_rwlock_wrlock, (pthread_rwlock_t *l), (l))
GLIBC_ALIAS(int, rwlock_tryrdlock, __pthread_rwlock_tryrdlock, (pthread_rwlock_t *l), (l))
GLIBC_ALIAS(int, rwlock_trywrlock, __pthread_rwlock_trywrlock, (pthread_rwlock_t *l), (l))
GLIBC_ALIAS(int, rwlock_unlock, __pthread_rwlock_unlock, (pthread_rwlock_t *l), (l))
GLIBC_ALIAS(int, rwlock_init, __pthread_rwlock_init,
	    (pthread_rwlock_t *l, const pthread_rwlockattr_t *a), (l, a))
GLIBC_ALIAS(int, rwlock_destroy, __pthread_rwlock_destroy, (pthread_rwlock_t *l), (l))
