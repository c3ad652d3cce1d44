/*
 * event.h: the narrow API between the interposition layer and the core.
 *
 * preload/ calls these around each lock function it intercepts and knows
 * nothing else of the core; the core never knows which libc symbol was called.
 * Each event, and the chain of functions it leads to:
 *
 *   lc_init              options, arena, registry, graph, depot, thread key,
 *                        report_open (start event), atfork and exit hooks
 *   lc_on_create         registry_create: a new identity for the address
 *   lc_on_destroy        registry_destroy: the next use starts a new identity
 *   lc_on_before_lock    (blocking acquisitions, before the real call, so a
 *                        report is written before a real deadlock hangs)
 *                        registry_get -> chain cache -> order_check
 *                        -> graph_add_edge -> graph_find_path
 *                        -> report_finding (JSON line + stderr text)
 *   lc_on_after_lock     (success only) held_push, or a recursive re-entry
 *   lc_on_unlock         held_remove (any position, not only the top)
 *   exit (on_exit hook)  report_graph, report_end, exit status policy
 *   fork (atfork hooks)  core locks held across fork; the child opens its own
 *                        log file
 *
 * Every entry point is safe to call at any time from any thread: before
 * lc_init finished, and while the core is already working in this thread
 * (re-entry through libunwind, a signal handler), it returns at once.
 */
#ifndef LC_EVENT_H
#define LC_EVENT_H

#include <stdint.h>

#include "registry.h"

enum lc_acquire_flags {
	LC_ACQ_TRY = 1,       /* a try-lock: cannot block, adds no edge into it */
	LC_ACQ_RECURSIVE = 2, /* the lock may be re-entered by its holder */
};

/* Starts the core (once; later calls do nothing). Called from the shim's
 * constructor, single-threaded. */
void lc_init(void);
void lc_on_create(void *lock, lc_lock_type type, unsigned flags, uintptr_t pc);
void lc_on_destroy(void *lock, uintptr_t pc);
void lc_on_before_lock(void *lock, lc_lock_type type, unsigned flags,
		       uintptr_t pc);
void lc_on_after_lock(void *lock, lc_lock_type type, unsigned flags,
		      uintptr_t pc);
void lc_on_unlock(void *lock, uintptr_t pc);

#endif
