/*
 * annotate.c: the entry points behind lib/lockcheck.h's annotations.
 *
 * Programs reach these through weak references (NULL when the shim is not
 * loaded), so their names and signatures are part of the installed API.
 *
 * A custom lock's annotations are the events the interposers send for a
 * pthread lock, at the same moments: pre_lock is lc_on_before_lock (the
 * order and relock checks, before the thread can block), post_lock
 * lc_on_after_lock (or, for a failed try, lc_on_try_failed), pre_unlock
 * lc_on_unlock, wait_begin/wait_end what lc_block sends when a lock stays
 * busy past its grace period, except that the waiter does not come back to
 * check its wait (the lock's own code sleeps): the shim's watch thread
 * checks it (LC_ACQ_PASSIVE). So a custom lock gets every finding a
 * pthread mutex gets, without a layout for the shim to read: its identity
 * is its address (no generation tag: create and destroy start and end a
 * lock). Its kind: a reader-writer lock when created with LOCKCHECK_SHARED
 * or first used shared (custom-rwlock: reports name read and write
 * modes), else custom-mutex.
 */
#include "event.h"
#include "real.h"

/* lockcheck.h's flags (an installed API: fixed values). */
#define ANNOTATE_TRY 1u
#define ANNOTATE_SHARED 2u
#define ANNOTATE_RECURSIVE 4u

static lc_lock_type custom_type(unsigned flags)
{
	return (flags & ANNOTATE_SHARED) ? LC_TYPE_CUSTOM_RW : LC_TYPE_CUSTOM;
}

static unsigned acquire_flags(unsigned flags)
{
	return ((flags & ANNOTATE_TRY) ? LC_ACQ_TRY : 0) |
	       ((flags & ANNOTATE_SHARED) ? LC_ACQ_SHARED : 0) |
	       ((flags & ANNOTATE_RECURSIVE) ? LC_ACQ_RECURSIVE : 0);
}

LC_EXPORT void lockcheck_shim_name(void *lock, const char *name)
{
	if (lock && name)
		lc_on_name(lock, name);
}

LC_EXPORT void lockcheck_shim_rank(void *lock, unsigned rank)
{
	if (lock)
		lc_on_rank(lock, rank);
}

LC_EXPORT unsigned lockcheck_shim_rank_of(void *lock)
{
	return lock ? lc_rank_of(lock) : 0;
}

LC_EXPORT void lockcheck_shim_mutex_create(void *lock, unsigned flags)
{
	if (lock)
		lc_on_create(lock, custom_type(flags), acquire_flags(flags),
			     LC_CALLER, NULL);
}

LC_EXPORT void lockcheck_shim_mutex_destroy(void *lock)
{
	if (lock)
		lc_on_destroy(lock, LC_TYPE_CUSTOM, 0, LC_CALLER, NULL);
}

LC_EXPORT void lockcheck_shim_mutex_pre_lock(void *lock, unsigned flags)
{
	if (lock)
		lc_on_before_lock(lock, custom_type(flags),
				  acquire_flags(flags), LC_CALLER, NULL);
}

LC_EXPORT void lockcheck_shim_mutex_post_lock(void *lock, unsigned flags,
					      int acquired)
{
	if (!lock)
		return;
	if (acquired)
		lc_on_after_lock(lock, custom_type(flags), acquire_flags(flags),
				 LC_CALLER, NULL);
	else if (flags & ANNOTATE_TRY)
		lc_on_try_failed(lock, custom_type(flags), acquire_flags(flags),
				 LC_CALLER);
}

LC_EXPORT void lockcheck_shim_mutex_pre_unlock(void *lock)
{
	if (lock)
		lc_on_unlock(lock, LC_TYPE_CUSTOM, LC_CALLER);
}

LC_EXPORT void lockcheck_shim_mutex_wait_begin(void *lock)
{
	if (lock)
		lc_on_wait_begin(lock, LC_TYPE_CUSTOM, LC_ACQ_PASSIVE,
				 LC_CALLER);
}

LC_EXPORT void lockcheck_shim_mutex_wait_end(void *lock)
{
	if (lock)
		lc_on_wait_end();
}
