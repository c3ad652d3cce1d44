/*
 * block.h: blocking the way the real call would, in timed slices.
 *
 * Every blocking interposer first tries its lock (as cheap as locking it when
 * it is free). Only when the lock is busy does it come here: lc_block() waits
 * in slices with the real timed function, on CLOCK_MONOTONIC. The first
 * slice is the grace period; if it ends without the lock, the core is told
 * that the thread waits (so it can find a real deadlock, or report a long
 * wait), and every later slice ends with a re-check. The call's own semantics
 * are kept: an untimed call never returns ETIMEDOUT, a timed one returns it at
 * its own deadline, and any other result of the real function is returned as
 * it is.
 */
#ifndef LC_BLOCK_H
#define LC_BLOCK_H

#include <stdint.h>
#include <time.h>

#include "event.h"

/* One timed attempt, until the absolute CLOCK_MONOTONIC `deadline`: the real
 * function's result (ETIMEDOUT when the slice ran out). */
typedef int (*lc_attempt_fn)(void *obj, const struct timespec *deadline,
			     void *arg);

typedef struct lc_block_call {
	void *obj;                 /* the lock (or, for a join, NULL) */
	lc_lock_type type;
	unsigned flags;
	uintptr_t pc;
	uintptr_t join_handle;     /* a join: the thread joined */
	lc_attempt_fn attempt;
	void *arg;
	const struct timespec *deadline; /* the caller's own, or NULL */
	clockid_t deadline_clock;
} lc_block_call;

/* Waits as described above; returns the real function's result. */
int lc_block(const lc_block_call *call);
/* Is ts a valid absolute time (what the real timed functions check)? */
int lc_valid_timespec(const struct timespec *ts);

#endif
