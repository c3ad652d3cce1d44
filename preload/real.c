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
 * The cond-var functions (a later addition) must be pinned to GLIBC_2.3.2 with
 * dlvsym: RTLD_NEXT would give the old 2.2.5 ABI.
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
	resolving = 0;
	return missing ? -1 : 0;
}

/* glibc's internal names for the mutex functions, with the version they are
 * exported under on x86-64. */
#if defined(__GLIBC__) && defined(__x86_64__)
#define GLIBC_BASE_VERSION "GLIBC_2.2.5"
extern int glibc_mutex_lock(pthread_mutex_t *);
extern int glibc_mutex_trylock(pthread_mutex_t *);
extern int glibc_mutex_unlock(pthread_mutex_t *);
extern int glibc_mutex_init(pthread_mutex_t *, const pthread_mutexattr_t *);
extern int glibc_mutex_destroy(pthread_mutex_t *);
__asm__(".symver glibc_mutex_lock,__pthread_mutex_lock@" GLIBC_BASE_VERSION);
__asm__(".symver glibc_mutex_trylock,__pthread_mutex_trylock@" GLIBC_BASE_VERSION);
__asm__(".symver glibc_mutex_unlock,__pthread_mutex_unlock@" GLIBC_BASE_VERSION);
__asm__(".symver glibc_mutex_init,__pthread_mutex_init@" GLIBC_BASE_VERSION);
__asm__(".symver glibc_mutex_destroy,__pthread_mutex_destroy@" GLIBC_BASE_VERSION);

int lc_bootstrap_mutex_lock(pthread_mutex_t *m) { return glibc_mutex_lock(m); }
int lc_bootstrap_mutex_trylock(pthread_mutex_t *m) { return glibc_mutex_trylock(m); }
int lc_bootstrap_mutex_unlock(pthread_mutex_t *m) { return glibc_mutex_unlock(m); }
int lc_bootstrap_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	return glibc_mutex_init(m, a);
}
int lc_bootstrap_mutex_destroy(pthread_mutex_t *m) { return glibc_mutex_destroy(m); }
#else
/* Elsewhere: while resolving, the process has one thread (the constructor
 * runs before main), so pretending success keeps the allocator consistent. */
int lc_bootstrap_mutex_lock(pthread_mutex_t *m) { return 0; }
int lc_bootstrap_mutex_trylock(pthread_mutex_t *m) { return 0; }
int lc_bootstrap_mutex_unlock(pthread_mutex_t *m) { return 0; }
int lc_bootstrap_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a) { return 0; }
int lc_bootstrap_mutex_destroy(pthread_mutex_t *m) { return 0; }
#endif
