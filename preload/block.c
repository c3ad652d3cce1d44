/*
 * block.c: the timed-slice wait loop (see block.h).
 */
#define _GNU_SOURCE
#include "block.h"

#include <errno.h>

static void add_ms(struct timespec *ts, unsigned ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* ns from now until ts on clock (negative when past). */
static long long ns_until(const struct timespec *ts, clockid_t clock)
{
	struct timespec now;
	clock_gettime(clock, &now);
	return (long long)(ts->tv_sec - now.tv_sec) * 1000000000LL +
	       (ts->tv_nsec - now.tv_nsec);
}

int lc_valid_timespec(const struct timespec *ts)
{
	return ts && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L;
}

int lc_block(const lc_block_call *call)
{
	unsigned slice_ms = LC_EVENT_GRACE_MS;
	int waiting = 0, rc;
	for (;;) {
		/* The coarse clock is a few ns to read (a busy lock comes here on
		 * every contended acquisition) and lags the precise one by at
		 * most a tick: slices end a little early, never late. */
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC_COARSE, &until);
		int last = 0;
		if (call->deadline) {
			long long left = ns_until(call->deadline, call->deadline_clock);
			if (left <= 0) {
				rc = ETIMEDOUT;
				break;
			}
			if (left <= (long long)slice_ms * 1000000LL) {
				/* The caller's deadline ends this slice. */
				until.tv_nsec += (long)(left % 1000000000LL);
				until.tv_sec += (time_t)(left / 1000000000LL);
				if (until.tv_nsec >= 1000000000L) {
					until.tv_sec++;
					until.tv_nsec -= 1000000000L;
				}
				last = 1;
			}
		}
		if (!last)
			add_ms(&until, slice_ms);
		rc = call->attempt(call->obj, &until, call->arg);
		if (rc != ETIMEDOUT || last)
			break;
		if (waiting) {
			slice_ms = lc_on_wait_check();
		} else {
			waiting = 1;
			slice_ms = call->join_handle
					   ? lc_on_join_wait_begin(call->join_handle,
								   call->deadline != NULL,
								   call->pc)
					   : lc_on_wait_begin(
						     call->obj, call->type,
						     call->flags |
							     (call->deadline
								      ? LC_ACQ_TIMED
								      : 0),
						     call->pc);
		}
	}
	if (waiting)
		lc_on_wait_end();
	return rc;
}
