/*
 * clock.h: create/join order between threads, as vector clocks.
 *
 * A lock acquisition happens at a point of its thread's create/join history;
 * two acquisitions can run at the same time only if neither is ordered before
 * the other by thread creation or join. Each thread has a clock: a sparse
 * vector (thread id -> epoch), advanced only at pthread_create (the parent
 * moves to a new epoch after handing its clock to the child) and joined at
 * pthread_join (the joiner takes the maximum with the joined thread's final
 * clock). Acquisition a of thread t happened before acquisition b iff
 * a.clock[t] <= b.clock[t].
 *
 * Clocks are immutable once made (contexts keep pointers to them) and live in
 * the arena; a thread's clock pointer changes at each create and join.
 *
 * Capacity policy: a clock keeps at most LC_CLOCK_MAX entries; beyond that it
 * forgets the oldest threads (smallest ids), so some orderings go unseen and
 * verdicts err toward deadlock-possible. The final clocks of ended threads
 * are kept for their joiners in a table that grows; a thread that is never
 * joined (detached) keeps its entry until its handle is reused.
 */
#ifndef LC_CLOCK_H
#define LC_CLOCK_H

#include <stdint.h>

#define LC_CLOCK_MAX 1024

typedef struct lc_clock_entry {
	uint32_t thread;
	uint32_t epoch;
} lc_clock_entry;

typedef struct lc_clock {
	uint32_t n;
	lc_clock_entry e[]; /* sorted by thread */
} lc_clock;

/* The clock of a thread with no known history: {thread: 1}. NULL if out of
 * memory (callers then treat the thread as concurrent with everything). */
const lc_clock *lc_clock_root(uint32_t thread);
/* c with thread's entry set to epoch (added if absent). */
const lc_clock *lc_clock_with(const lc_clock *c, uint32_t thread, uint32_t epoch);
/* The entry-wise maximum of a and b. */
const lc_clock *lc_clock_join(const lc_clock *a, const lc_clock *b);
/* c[thread], 0 when absent or c is NULL. */
uint32_t lc_clock_get(const lc_clock *c, uint32_t thread);
/* Did the acquisition of thread `ta` at clock `a` happen before the one at
 * clock `b`? False when either clock is unknown. */
int lc_clock_before(uint32_t ta, const lc_clock *a, const lc_clock *b);
/* Remembers the final clock of an ended thread under its handle
 * (pthread_t), for the thread that joins it. Thread safe. */
void lc_clock_publish_final(uintptr_t handle, const lc_clock *c);
/* Takes (and forgets) the final clock published under handle, or NULL. */
const lc_clock *lc_clock_take_final(uintptr_t handle);
/* Fork: the table's lock around fork. */
void lc_clock_fork_prepare(void);
void lc_clock_fork_release(void);

#endif
