/*
 * limit.c: capacity limits said once (see limit.h).
 *
 * One atomic word per limit makes "once" hold across threads without a lock;
 * the messages say what detection loses, so that a reader of the report knows
 * how far to trust a clean result. The line goes where findings go: to the
 * log, and to stderr as well unless print_findings=0 keeps stderr for the
 * program alone.
 */
#include "limit.h"

#include <stdatomic.h>

#include "report.h"
#include "warn.h"

static const struct {
	const char *name;
	const char *message; /* %lu: the size */
} limits[LC_LIMIT_COUNT] = {
	[LC_LIMIT_MEMORY] = { "memory",
		"internal memory limit reached (%lu MiB): locks and edges "
		"seen from now on are not tracked" },
	[LC_LIMIT_LOCK_RECORDS] = { "lock-records",
		"cannot make more lock records (%lu made): locks at new "
		"addresses are not tracked" },
	[LC_LIMIT_STACK_DEPOT] = { "stack-depot",
		"stack depot full (%lu stacks): new stacks are not kept" },
	[LC_LIMIT_HELD_LOCKS] = { "held-locks",
		"a thread holds more than %lu locks: its deeper acquisitions "
		"are not checked" },
	[LC_LIMIT_CLOCK_THREADS] = { "clock-threads",
		"a thread's history names more than %lu threads: the oldest "
		"are forgotten, so a cycle whose threads cannot overlap may "
		"be judged deadlock-possible instead of ordered" },
	[LC_LIMIT_EDGE_CONTEXTS] = { "edge-contexts",
		"an edge was taken in more than %lu contexts: later ones are "
		"counted, and only the newest is kept" },
	[LC_LIMIT_CYCLE_LENGTH] = { "cycle-length",
		"a lock-order cycle of more than %lu locks was not reported" },
	[LC_LIMIT_WAIT_CHAIN] = { "wait-chain",
		"a wait-for chain of more than %lu threads was not followed" },
	[LC_LIMIT_REPORT_LINE] = { "report-line",
		"a report line outgrew memory (%lu bytes) and was not "
		"written" },
	[LC_LIMIT_BYPASS_ROUTES] = { "bypass-routes",
		"more than %lu distinct routes through destroyed locks joined "
		"one pair of live locks: later ones are not kept, so a cycle "
		"through that pair is judged on the first ones" },
	[LC_LIMIT_THREAD_ROLES] = { "thread-roles",
		"threads were started from more than %lu distinct (start "
		"routine, call site) pairs: later ones share one role, so "
		"cycles across processes through them may be judged "
		"single-thread" },
	[LC_LIMIT_DEMANGLE_POOL] = { "demangle-pool",
		"the pool of demangled C++ names is full (%lu): names seen "
		"from now on are shown mangled" },
	[LC_LIMIT_DEMANGLE_LENGTH] = { "demangle-length",
		"a mangled C++ name longer than %lu characters is shown "
		"mangled (the demangler's stack use grows with the name)" },
	[LC_LIMIT_LOG_SIZE] = { "log-size",
		"the log file reached its bound (%lu MiB, option "
		"log_limit_mb; 0: no bound): later findings and the graph "
		"are not written to it, only the end event" },
	[LC_LIMIT_SYNC_OBJECTS] = { "sync-objects",
		"more than %lu semaphores and barriers at once: new ones are not tracked, and uses of never "
		"initialised ones are no longer reported" },
	[LC_LIMIT_ASLEEP_THREADS] = { "asleep-threads",
		"more than %lu threads: the check that every thread is asleep "
		"(a hang of condition, semaphore or barrier waits) is not made" },
};

static _Atomic int said[LC_LIMIT_COUNT];

void lc_limit_reached(lc_limit which, unsigned long size)
{
	if ((unsigned)which >= LC_LIMIT_COUNT ||
	    atomic_exchange(&said[which], 1))
		return;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (lc_report_limit(limits[which].name, size, limits[which].message))
		lc_warn(limits[which].message, size);
#pragma GCC diagnostic pop
}

const char *lc_limit_name(lc_limit which)
{
	return (unsigned)which < LC_LIMIT_COUNT ? limits[which].name : "?";
}

int lc_limit_was_reached(lc_limit which)
{
	return (unsigned)which < LC_LIMIT_COUNT && atomic_load(&said[which]);
}
