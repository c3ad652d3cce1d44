/*
 * lockcheck.h: annotations for programs checked by lockcheck (installed).
 *
 * A program that includes this header builds with only -I and -pthread, links
 * no extra library, and runs with or without the shim: each annotation is an
 * inline function that calls the shim's entry point when the shim is loaded
 * (a weak reference, NULL without it) and does nothing otherwise.
 *
 *   lockcheck_name(&queue->lock, "queue_lock");
 *
 * names a lock: reports then call it by that name (instead of M<n> for a lock
 * on the heap or stack), and its identity in finding ids and suppressions is
 * the name. Name a lock once, before or after its first use; a later name
 * replaces an earlier one. The name is copied (at most 63 bytes are kept).
 */
#ifndef LOCKCHECK_H
#define LOCKCHECK_H

#ifdef __cplusplus
extern "C" {
#endif

/* The shim's entry points: weak, so that they are NULL without the shim. */
extern void lockcheck_shim_name(void *lock, const char *name)
	__attribute__((weak));

static inline void lockcheck_name(void *lock, const char *name)
{
	if (lockcheck_shim_name)
		lockcheck_shim_name(lock, name);
}

#ifdef __cplusplus
}
#endif

#endif
