/*
 * glib.c: GLib's own locks, interposed where libglib-2.0 exports them.
 *
 * On Linux GLib builds GMutex, GCond and its bit locks (g_bit_lock,
 * g_pointer_bit_lock) on futexes, not on pthread, so none of their calls
 * reaches the pthread interposers. GRecMutex and GRWLock are pthread
 * mutexes and rwlocks inside GLib, reached through its PLT: they are seen
 * there already, and are not interposed here.
 *
 * What is seen: every call that goes through a PLT to libglib, from the
 * program and from the libraries built on GLib (GObject, GIO, GStreamer,
 * GTK). GLib's calls to its own functions are bound inside libglib
 * (-Bsymbolic-functions: `objdump -R` on Debian's libglib lists no
 * relocation for them) and are not: GLib's internal locks (a GMainContext's,
 * a GAsyncQueue's, GSlice's) stay invisible, and so do the g_mutex_unlock
 * and g_mutex_lock inside a g_cond_wait, which is modelled instead (as
 * cond.c does for pthread).
 *
 * The one place that knows GLib's lock layouts (GLib >= 2.54 on Linux,
 * checked on 2.74):
 *   - a GMutex is an int: 0 free, 1 held, 2 held with sleepers, who sleep
 *     on its futex while it is 2 and are woken by the unlock that finds 2.
 *     A g_mutex_lock that finds it busy waits here in timed slices with the
 *     same protocol (block.h), so a thread blocked on a GMutex takes part
 *     in deadlock detection;
 *   - g_mutex_clear of a held GMutex aborts the program: the destroy is
 *     told to the core before it, so the finding is written first;
 *   - a bit lock's sleepers count themselves in a table private to GLib,
 *     which g_bit_unlock reads to decide whether to wake anyone. The shim
 *     cannot count itself there, so a busy g_bit_lock polls here: a try,
 *     then a futex sleep of at most 1 ms (a wake for a GLib sleeper on the
 *     same word ends it sooner).
 * Identities: a GMutex by its address (it has no spare word for a
 * generation tag: g_mutex_init and g_mutex_clear start and end a lock, and
 * a zero-filled static GMutex starts at its first use); a bit lock by its
 * word's address and its bit (registry.h's lc_bitlock_key), each bit a lock
 * of its own. Neither kind is recursive; bit locks are exclusive.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "block.h"
#include "event.h"
#include "real.h"

/* The real function, resolved at first use when GLib came after the
 * shim's constructor (dlopen). The program called the function, so a
 * definition exists after the shim; if none is found, forwarding is
 * impossible and the program cannot go on. */
static __attribute__((noinline, cold)) void resolve_glib(const char *name,
							 void *const *fn)
{
	lc_real_resolve();
	if (!*fn) {
		fprintf(stderr, "lockcheck: %s: GLib's function was not found "
				"after the shim (dlsym RTLD_NEXT); cannot "
				"forward the call\n", name);
		abort();
	}
}
#define GLIB_REAL(fn)                                                          \
	(__builtin_expect(lc_real.fn != NULL, 1)                               \
		 ? lc_real.fn                                                  \
		 : (resolve_glib(#fn, (void *const *)&lc_real.fn), lc_real.fn))

static inline int past(const struct timespec *now, const struct timespec *until)
{
	return now->tv_sec > until->tv_sec ||
	       (now->tv_sec == until->tv_sec && now->tv_nsec >= until->tv_nsec);
}

/* ---- GMutex ---- */

/* One slice of a blocked g_mutex_lock, GLib's own slow path with a
 * deadline: mark the mutex contended (2); if it was free, it is ours;
 * else sleep while it stays 2, until the absolute CLOCK_MONOTONIC `until`
 * (FUTEX_WAIT_BITSET takes an absolute time on that clock). errno is the
 * program's: kept. */
static int gmutex_slice(void *m, const struct timespec *until, void *arg)
{
	_Atomic int *state = m;
	int saved = errno, rc = 0;
	while (atomic_exchange_explicit(state, 2, memory_order_acquire) != 0) {
		if (syscall(SYS_futex, state, FUTEX_WAIT_BITSET_PRIVATE, 2,
			    until, NULL, FUTEX_BITSET_MATCH_ANY) < 0 &&
		    errno == ETIMEDOUT) {
			rc = ETIMEDOUT;
			break;
		}
	}
	errno = saved;
	return rc;
}

static __attribute__((noinline)) void gmutex_wait(void *m, uintptr_t pc)
{
	lc_block_call call = { .obj = m, .type = LC_TYPE_GMUTEX, .pc = pc,
			       .attempt = gmutex_slice };
	lc_block(&call);
}

LC_EXPORT void g_mutex_lock(void *m)
{
	int (*try_lock)(void *) = GLIB_REAL(g_mutex_trylock);
	/* The quick acquisition (event.h), as for a pthread mutex (a GMutex
	 * has no tag: its id for the chain cache comes from a registry
	 * probe); a busy mutex after a quick try goes to the wait without a
	 * second try. */
	uint64_t chain;
	lc_thread *t = lc_quick_thread();
	int quick = t != NULL && LC_QUICK_OK(t, m, NULL, 0, chain);
	if (__builtin_expect(quick && try_lock(m), 1)) {
		lc_held_push_quick(t, m, LC_TYPE_GMUTEX, 0, LC_CALLER, NULL,
				   chain);
		return;
	}
	lc_on_before_lock(m, LC_TYPE_GMUTEX, 0, LC_CALLER, NULL);
	if (quick || !try_lock(m))
		gmutex_wait(m, LC_CALLER);
	lc_on_after_lock(m, LC_TYPE_GMUTEX, 0, LC_CALLER, NULL);
}

LC_EXPORT int g_mutex_trylock(void *m)
{
	int got = GLIB_REAL(g_mutex_trylock)(m);
	if (got)
		lc_on_after_lock(m, LC_TYPE_GMUTEX, LC_ACQ_TRY, LC_CALLER, NULL);
	else
		lc_on_try_failed(m, LC_TYPE_GMUTEX, LC_ACQ_TRY, LC_CALLER);
	return got;
}

LC_EXPORT void g_mutex_unlock(void *m)
{
	void (*unlock)(void *) = GLIB_REAL(g_mutex_unlock);
	/* Before the real unlock: once released, another thread may take it. */
	if (__builtin_expect(!lc_unlock_fast(m), 0))
		lc_unlock_slow(m, LC_TYPE_GMUTEX, LC_CALLER);
	unlock(m);
}

LC_EXPORT void g_mutex_init(void *m)
{
	GLIB_REAL(g_mutex_init)(m);
	lc_on_create(m, LC_TYPE_GMUTEX, 0, LC_CALLER, NULL);
}

LC_EXPORT void g_mutex_clear(void *m)
{
	void (*clear)(void *) = GLIB_REAL(g_mutex_clear);
	/* Told first: GLib aborts on a held one. */
	int held = atomic_load_explicit((_Atomic int *)m,
					memory_order_relaxed) != 0;
	lc_on_destroy(m, LC_TYPE_GMUTEX, held, LC_CALLER, NULL);
	clear(m);
}

/* ---- GCond ---- */

LC_EXPORT void g_cond_wait(void *c, void *m)
{
	void (*wait)(void *, void *) = GLIB_REAL(g_cond_wait);
	lc_cond_wait w;
	LC_SLEEP_REGS();
	lc_on_cond_wait_begin(&w, c, 0, m, LC_TYPE_GMUTEX, 0, LC_CALLER);
	wait(c, m);
	lc_on_cond_wait_end(&w, c, m, LC_TYPE_GMUTEX, 0, LC_WAIT_REACQUIRED,
			    LC_CALLER, NULL);
}

LC_EXPORT int g_cond_wait_until(void *c, void *m, int64_t end_time)
{
	int (*wait)(void *, void *, int64_t) = GLIB_REAL(g_cond_wait_until);
	lc_cond_wait w;
	LC_SLEEP_REGS();
	lc_on_cond_wait_begin(&w, c, 0, m, LC_TYPE_GMUTEX, LC_SLEEP_TIMED,
			      LC_CALLER);
	int signalled = wait(c, m, end_time);
	/* Signalled or timed out, GLib returns with the mutex held. */
	lc_on_cond_wait_end(&w, c, m, LC_TYPE_GMUTEX, 0, LC_WAIT_REACQUIRED,
			    LC_CALLER, NULL);
	return signalled;
}

LC_EXPORT void g_cond_init(void *c)
{
	GLIB_REAL(g_cond_init)(c);
	lc_on_cond_init(c, LC_CALLER);
}

LC_EXPORT void g_cond_clear(void *c)
{
	void (*clear)(void *) = GLIB_REAL(g_cond_clear);
	lc_on_cond_destroy(c, LC_CALLER);
	clear(c);
}

/* ---- bit locks ---- */

typedef int (*bit_try_fn)(void *word, int bit);

static int try_int_bit(void *word, int bit)
{
	return lc_real.g_bit_trylock(word, bit);
}

static int try_pointer_bit(void *word, int bit)
{
	return lc_real.g_pointer_bit_trylock(word, bit);
}

/* One slice of a blocked bit lock: try, then sleep on the word's low int
 * (where GLib's sleepers sleep) while it keeps the value seen, at most
 * 1 ms at a time, until `until`. key: the bit lock's (lc_bitlock_key). */
static int bit_slice(void *key, const struct timespec *until, void *arg)
{
	bit_try_fn try_bit = (bit_try_fn)arg;
	void *word = (void *)lc_lock_memory((uintptr_t)key);
	int bit = lc_lock_bit((uintptr_t)key), saved = errno, rc = 0;
	for (;;) {
		if (try_bit(word, bit))
			break;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (past(&now, until)) {
			rc = ETIMEDOUT;
			break;
		}
		const struct timespec nap = { 0, 1000000 };
		int seen = atomic_load_explicit((_Atomic int *)word,
						memory_order_relaxed);
		syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, seen, &nap, NULL, 0);
	}
	errno = saved;
	return rc;
}

/* g_bit_lock and g_pointer_bit_lock: the same path as g_mutex_lock, on
 * the bit's key. */
static inline __attribute__((always_inline)) void
bit_lock(void *word, int bit, bit_try_fn try_bit, uintptr_t pc)
{
	void *key = (void *)lc_bitlock_key(word, (unsigned)bit);
	uint64_t chain;
	lc_thread *t = lc_quick_thread();
	int quick = t != NULL && LC_QUICK_OK(t, key, NULL, 0, chain);
	if (quick && try_bit(word, bit)) {
		lc_held_push_quick(t, key, LC_TYPE_BITLOCK, 0, pc, NULL, chain);
		return;
	}
	lc_on_before_lock(key, LC_TYPE_BITLOCK, 0, pc, NULL);
	if (quick || !try_bit(word, bit)) {
		lc_block_call call = { .obj = key, .type = LC_TYPE_BITLOCK,
				       .pc = pc, .attempt = bit_slice,
				       .arg = (void *)try_bit };
		lc_block(&call);
	}
	lc_on_after_lock(key, LC_TYPE_BITLOCK, 0, pc, NULL);
}

static inline __attribute__((always_inline)) int
bit_trylock(void *word, int bit, bit_try_fn try_bit, uintptr_t pc)
{
	void *key = (void *)lc_bitlock_key(word, (unsigned)bit);
	int got = try_bit(word, bit);
	if (got)
		lc_on_after_lock(key, LC_TYPE_BITLOCK, LC_ACQ_TRY, pc, NULL);
	else
		lc_on_try_failed(key, LC_TYPE_BITLOCK, LC_ACQ_TRY, pc);
	return got;
}

static inline __attribute__((always_inline)) void
bit_unlocking(void *word, int bit, uintptr_t pc)
{
	void *key = (void *)lc_bitlock_key(word, (unsigned)bit);
	if (__builtin_expect(!lc_unlock_fast(key), 0))
		lc_unlock_slow(key, LC_TYPE_BITLOCK, pc);
}

/* A bit GLib accepts (an int's 32, a pointer's 64): any other is
 * undefined in GLib, and is forwarded unchecked. */
#define INT_BIT_OK(bit) ((unsigned)(bit) < 32)
#define POINTER_BIT_OK(bit) ((unsigned)(bit) < 64)

LC_EXPORT void g_bit_lock(volatile int *word, int bit)
{
	GLIB_REAL(g_bit_trylock);
	if (INT_BIT_OK(bit))
		bit_lock((void *)word, bit, try_int_bit, LC_CALLER);
	else
		GLIB_REAL(g_bit_lock)(word, bit);
}

LC_EXPORT int g_bit_trylock(volatile int *word, int bit)
{
	GLIB_REAL(g_bit_trylock);
	if (!INT_BIT_OK(bit))
		return lc_real.g_bit_trylock(word, bit);
	return bit_trylock((void *)word, bit, try_int_bit, LC_CALLER);
}

LC_EXPORT void g_bit_unlock(volatile int *word, int bit)
{
	void (*unlock)(volatile int *, int) = GLIB_REAL(g_bit_unlock);
	if (INT_BIT_OK(bit))
		bit_unlocking((void *)word, bit, LC_CALLER);
	unlock(word, bit);
}

LC_EXPORT void g_pointer_bit_lock(volatile void *word, int bit)
{
	GLIB_REAL(g_pointer_bit_trylock);
	if (POINTER_BIT_OK(bit))
		bit_lock((void *)word, bit, try_pointer_bit, LC_CALLER);
	else
		GLIB_REAL(g_pointer_bit_lock)(word, bit);
}

LC_EXPORT int g_pointer_bit_trylock(volatile void *word, int bit)
{
	GLIB_REAL(g_pointer_bit_trylock);
	if (!POINTER_BIT_OK(bit))
		return lc_real.g_pointer_bit_trylock(word, bit);
	return bit_trylock((void *)word, bit, try_pointer_bit, LC_CALLER);
}

LC_EXPORT void g_pointer_bit_unlock(volatile void *word, int bit)
{
	void (*unlock)(volatile void *, int) = GLIB_REAL(g_pointer_bit_unlock);
	if (POINTER_BIT_OK(bit))
		bit_unlocking((void *)word, bit, LC_CALLER);
	unlock(word, bit);
}
