/*
 * limit.h: the checker's own capacity limits, each said once.
 *
 * Every table the shim keeps either grows or has a bound, and every growth
 * can fail when memory runs out. When one is reached the program must run on
 * exactly as before and only detection degrades (the checker never aborts,
 * never stops checking everything, as lockdep does after one report). The
 * user must learn it happened, or a clean report would claim too much: so the
 * first time each limit is reached it is one line on stderr and one `limit`
 * event in the log, and the end event lists every limit reached.
 */
#ifndef LC_LIMIT_H
#define LC_LIMIT_H

#include <stddef.h>

typedef enum lc_limit {
	LC_LIMIT_MEMORY,        /* the arena: nothing new is tracked */
	LC_LIMIT_LOCK_RECORDS,  /* lock ids: new locks are not tracked */
	LC_LIMIT_STACK_DEPOT,   /* new stacks are not kept */
	LC_LIMIT_HELD_LOCKS,    /* a thread's held stack: deeper ones unchecked */
	LC_LIMIT_CLOCK_THREADS, /* happens-before clocks forget old threads */
	LC_LIMIT_EDGE_CONTEXTS, /* an edge's contexts: later ones are counted */
	LC_LIMIT_CYCLE_LENGTH,  /* a longer lock-order cycle is not reported */
	LC_LIMIT_WAIT_CHAIN,    /* a longer wait-for chain is not followed */
	LC_LIMIT_REPORT_LINE,   /* a report line outgrew memory: not written */
	LC_LIMIT_BYPASS_ROUTES, /* routes through dead locks: later ones dropped */
	LC_LIMIT_THREAD_ROLES,  /* thread roles: later ones count as "other" */
	LC_LIMIT_DEMANGLE_POOL, /* demangled names: later ones stay mangled */
	LC_LIMIT_DEMANGLE_LENGTH, /* a longer mangled name stays mangled */
	LC_LIMIT_LOG_SIZE,      /* the log file's bound: later lines dropped */
	LC_LIMIT_SYNC_OBJECTS,  /* semaphores and barriers: new ones untracked */
	LC_LIMIT_ASLEEP_THREADS, /* too many threads for the all-asleep check */
	LC_LIMIT_COUNT
} lc_limit;

/* Records that `which` was reached; size is the bound (or count) to quote.
 * Safe from any thread, under any of the core's locks, in a signal handler:
 * it takes no lock and allocates nothing. */
void lc_limit_reached(lc_limit which, unsigned long size);

/* The limit's name in the log ("held-locks"), for the end event. */
const char *lc_limit_name(lc_limit which);
/* Has `which` been reached in this process? */
int lc_limit_was_reached(lc_limit which);

#endif
