/*
 * detect_wait.h: real deadlocks and long waits (the deadlock and long-wait
 * findings), found from the threads' wait states.
 *
 * A blocking call that finds its lock busy waits first for a short grace
 * period (LC_WAIT_GRACE_MS) unobserved: almost all contention ends there, at
 * no cost. A wait that lasts longer becomes a recorded wait: the thread
 * notes what it waits for and captures its own stack (so no other thread or
 * ptrace needs to unwind it), then re-checks every LC_WAIT_TICK_MS while it
 * keeps waiting, in timed slices that keep the call's own semantics.
 *
 * Each check walks the wait-for graph from the thread: thread -> the lock it
 * waits for -> every live thread holding that lock in a conflicting mode (or,
 * for a join, the joined thread) -> what that thread waits for ... A walk
 * that comes back to the thread is a deadlock. It is reported when two
 * consecutive checks of one thread see the same cycle: the other threads'
 * states are read without locks, and a real deadlock, unlike a torn read,
 * does not go away. Because every waiting thread re-checks, a cycle that
 * closes while a thread is between its check and its block is still found.
 *
 * Not seen: the re-acquisition of the mutex inside pthread_cond_wait (glibc
 * does it internally), and waits on things other than locks and joins.
 */
#ifndef LC_DETECT_WAIT_H
#define LC_DETECT_WAIT_H

#include <stdint.h>

#include "event.h"
#include "finding.h"
#include "thread.h"

#define LC_WAIT_GRACE_MS LC_EVENT_GRACE_MS
#define LC_WAIT_TICK_MS 100
#define LC_WAIT_CYCLE_MAX 64 /* threads in one cycle */

/* t starts a recorded wait for the lock at addr (shared: for reading) or for
 * the thread join_id (addr 0). ends_alone: the wait may end without another
 * thread of this process (timed, or a process-shared lock). Captures t's
 * stack; checks once. */
void lc_wait_begin(lc_thread *t, uintptr_t addr, int shared, uint32_t join_id,
		   int ends_alone, uintptr_t pc);
/* Checks again (deadlock, long wait). Returns the ms until the next check. */
unsigned lc_wait_check(lc_thread *t);
/* The same check for every passive wait (a waiter that does not come back
 * to check: an annotated lock's, event.h's LC_ACQ_PASSIVE), from the watch
 * thread (detect_asleep.h), at each of its ticks. */
void lc_wait_check_passive(void);
/* t's wait is over. */
void lc_wait_end(lc_thread *t);
/* Writes a deadlock finding once per id (lc_first_report): f holds its
 * locks, threads and sites; the rest is filled here (detail: NULL for a
 * wait-for cycle, "all-asleep"). Graph lock held. */
void lc_wait_report_deadlock(lc_finding *f, uint64_t id, char id_buf[32],
			     const char *message, const char *detail);
/* CLOCK_MONOTONIC in ns. */
uint64_t lc_now_ns(void);

#endif
