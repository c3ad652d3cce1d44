/*
 * event.c: the event API (see event.h): the guard, the hot path, start-up,
 * exit and fork.
 *
 * Each entry point is a guarded wrapper around an unguarded worker: enter()
 * refuses when the core is not ready or already running in this thread, and
 * sets the guard; leave() clears it. Workers are written as a ladder of early
 * exits, the common cases first; only the last rung (lc_order_check) may take
 * the graph lock, capture a stack or allocate.
 */
#define _GNU_SOURCE
#include "event.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"
#include "detect_order.h"
#include "graph.h"
#include "options.h"
#include "report.h"
#include "stack.h"
#include "thread.h"
#include "warn.h"

static _Atomic int core_ready;

static inline lc_thread *enter(void)
{
	if (__builtin_expect(!atomic_load_explicit(&core_ready,
						   memory_order_acquire) ||
				     lc_tls_guard,
			     0))
		return NULL;
	lc_tls_guard = 1;
	lc_thread *t = lc_tls_thread;
	if (__builtin_expect(!t, 0))
		t = lc_thread_self();
	if (!t)
		lc_tls_guard = 0;
	return t;
}

static inline void leave(void)
{
	lc_tls_guard = 0;
}

static void before_lock(lc_thread *t, uintptr_t addr, lc_lock_type type,
			unsigned flags, uintptr_t pc)
{
	t->pending = NULL;
	/* Holds nothing: there is no order to check; after_lock records it. */
	if (t->n_held == 0)
		return;
	/* A try-lock cannot block, so it adds no edge into the tried lock. */
	if (flags & LC_ACQ_TRY)
		return;
	lc_lock *lock = lc_registry_get(addr, type, flags & LC_ACQ_RECURSIVE, pc);
	if (!lock)
		return;
	t->pending = lock;
	/* Re-entering a recursive lock it holds: the order is already set. */
	if ((flags & LC_ACQ_RECURSIVE) && lc_held_find(t, addr) >= 0)
		return;
	/* This exact held sequence followed by this lock was checked before. */
	uint64_t key = lc_chain_mix(t->held[t->n_held - 1].chain, lock->id);
	if (lc_chain_seen(t, key))
		return;
	lc_order_check(t, lock, pc);
	lc_chain_remember(t, key);
}

static void after_lock(lc_thread *t, uintptr_t addr, lc_lock_type type,
		       unsigned flags, uintptr_t pc)
{
	lc_lock *lock = t->pending;
	t->pending = NULL;
	if (!lock || lock->addr != addr || atomic_load(&lock->destroyed))
		lock = lc_registry_get(addr, type, flags & LC_ACQ_RECURSIVE, pc);
	if (!lock)
		return;
	if (flags & LC_ACQ_RECURSIVE) {
		int i = lc_held_find(t, addr);
		if (i >= 0) {
			t->held[i].depth++;
			return;
		}
	}
	lc_held *h = lc_held_push(t, lock, addr, pc);
	if (h && lc_opt.full_stacks) {
		uintptr_t pcs[LC_STACK_MAX];
		h->stack = lc_stack_intern(pcs, lc_stack_capture(pcs, LC_STACK_MAX));
	}
}

static void unlock(lc_thread *t, uintptr_t addr)
{
	/* The common case: releasing the most recent, non-re-entered lock. */
	if (t->n_held && t->held[t->n_held - 1].addr == addr &&
	    t->held[t->n_held - 1].depth == 0) {
		t->n_held--;
		return;
	}
	int i = lc_held_find(t, addr);
	if (i < 0) {
		/* Taken beyond LC_MAX_HELD, so never pushed. */
		if (t->overflow)
			t->overflow--;
		return;
	}
	if (t->held[i].depth) {
		t->held[i].depth--;
		return;
	}
	lc_held_remove(t, i);
}

void lc_on_before_lock(void *lock, lc_lock_type type, unsigned flags,
		       uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return;
	before_lock(t, (uintptr_t)lock, type, flags, pc);
	leave();
}

void lc_on_after_lock(void *lock, lc_lock_type type, unsigned flags,
		      uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return;
	after_lock(t, (uintptr_t)lock, type, flags, pc);
	leave();
}

void lc_on_unlock(void *lock, uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return;
	unlock(t, (uintptr_t)lock);
	leave();
}

void lc_on_create(void *lock, lc_lock_type type, unsigned flags, uintptr_t pc)
{
	if (!enter())
		return;
	lc_registry_create((uintptr_t)lock, type, flags & LC_ACQ_RECURSIVE, pc);
	leave();
}

void lc_on_destroy(void *lock, uintptr_t pc)
{
	if (!enter())
		return;
	lc_registry_destroy((uintptr_t)lock);
	leave();
}

/* Fork: the core's locks are held across fork() by the forking thread, so
 * the child never inherits one held by a thread that does not exist there.
 * Order: graph, then depot, then thread free list (the order used inside). */
static void fork_prepare(void)
{
	lc_tls_guard++;
	lc_graph_fork_prepare();
	lc_stack_fork_prepare();
	lc_thread_fork_prepare();
}

static void fork_parent(void)
{
	lc_thread_fork_release();
	lc_stack_fork_release();
	lc_graph_fork_release();
	lc_tls_guard--;
}

static void fork_child(void)
{
	lc_thread_fork_release();
	lc_stack_fork_release();
	lc_graph_fork_release();
	lc_report_after_fork_child();
	lc_tls_guard--;
}

/* Normal exit: the graph and end events, then the exit-status policy. */
static void on_process_exit(int status, void *arg)
{
	if (!atomic_load(&core_ready))
		return;
	lc_tls_guard = 1; /* the rest of exit runs unchecked in this thread */
	lc_graph_lock();
	int final = status;
	if (lc_report_errors() > 0 && lc_opt.exitcode != 0)
		final = lc_opt.exitcode;
	lc_report_graph();
	lc_report_end(final);
	lc_graph_unlock();
	if (final != status) {
		/* exit() would flush stdio after this handler; _exit does
		 * not, so flush first to keep the program's output. */
		fflush(NULL);
		_exit(final);
	}
}

void lc_init(void)
{
	static int started;
	if (started)
		return;
	started = 1;
	lc_tls_guard = 1;
	lc_options_defaults(&lc_opt);
	lc_options_parse(&lc_opt, getenv("LOCKCHECK_OPTIONS"));
	if (lc_arena_init() != 0 || lc_registry_init() != 0 ||
	    lc_graph_init() != 0 || lc_stack_init() != 0 ||
	    lc_thread_init() != 0) {
		lc_warn("cannot start (out of memory): checking is off, the "
			"program runs unchecked");
		lc_tls_guard = 0;
		return;
	}
	lc_report_open();
	lc_thread_self(); /* the main thread is T1 */
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	on_exit(on_process_exit, NULL);
	atomic_store(&core_ready, 1);
	lc_tls_guard = 0;
}
