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

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "child.h"
#include "clock.h"
#include "detect_misuse.h"
#include "detect_order.h"
#include "detect_rank.h"
#include "detect_asleep.h"
#include "detect_wait.h"
#include "dump.h"
#include "graph.h"
#include "keyindex.h"
#include "known_ids.h"
#include "objtable.h"
#include "options.h"
#include "order_file.h"
#include "report.h"
#include "role.h"
#include "stack.h"
#include "steer.h"
#include "suppress.h"
#include "thread.h"
#include "warn.h"

static _Atomic int core_ready;

/* enter() for a thread without a record yet (or inside the core). */
static lc_thread *enter_slow(void)
{
	if (!atomic_load_explicit(&core_ready, memory_order_acquire) ||
	    lc_tls_guard)
		return NULL;
	lc_tls_guard = 1;
	/* Out of memory for a record: the guard stays set, and the thread
	 * runs unchecked for the rest of its life. Tracking it from a later
	 * call (a record freed by an exiting thread) would start from a held
	 * stack that misses the locks it took meanwhile, and its unlocks of
	 * them would be false bad-unlocks. */
	return lc_thread_self();
}

static inline lc_thread *enter(void)
{
	/* The common case: a thread with a record, not inside the core. A
	 * record implies the core is ready (lc_init makes the main thread's
	 * with the guard set, and marks the core ready before clearing it). */
	lc_thread *t = lc_tls_thread;
	if (__builtin_expect(t != NULL && !lc_tls_guard, 1)) {
		lc_tls_guard = 1;
		return t;
	}
	return enter_slow();
}

static inline void leave(void)
{
	lc_tls_guard = 0;
}

/* The thread holds t->held[i], whose memory is now a new lock: reported
 * once (destroy-locked: reinitialised, or reused), and the entry stays,
 * so the thread may still release it, but no longer answers to the
 * address (an odd address, which no lock has): the new lock is never taken
 * for the old one, and the old one's release is never a bad unlock of the
 * new one. */
static void abandon(lc_thread *t, int i, int reused, uintptr_t pc)
{
	lc_held *h = &t->held[i];
	if (h->lock)
		lc_misuse_abandoned(t, i, h->lock, reused, pc);
	h->addr |= 1;
}

/* An abandoned entry of addr (abandon above), or -1. */
static int abandoned_find(const lc_thread *t, uintptr_t addr)
{
	return lc_held_find(t, addr | 1);
}

static void before_lock(lc_thread *t, uintptr_t addr, lc_lock_type type,
			unsigned flags, uintptr_t pc, uintptr_t *tag)
{
	t->pending = NULL;
	t->pending_addr = 0;
	/* Holds nothing: no order to check, nothing to relock. */
	if (t->n_held == 0)
		return;
	/* A try-lock cannot block: no edge into the tried lock, no relock. */
	if (flags & LC_ACQ_TRY)
		return;
	int shared = (flags & LC_ACQ_SHARED) != 0;
	/* This exact held sequence followed by this acquisition was checked
	 * before (its order and whether it relocks): known from the locks'
	 * tags alone, without a registry lookup. */
	uint32_t id = lc_registry_tag_id(tag);
	uint64_t top = id ? lc_held_top_chain(t) : 0;
	if (top) {
		uint64_t key = lc_chain_mix(top, id << 1 | (uint32_t)shared);
		if (lc_chain_seen(t, key)) {
			t->pending_addr = addr;
			t->pending_chain = key;
			return;
		}
	}
	/* Something new, or not known by tag: now the records are needed. */
	if (t->unresolved) {
		lc_held_resolve(t);
		if (t->n_held == 0)
			return;
	}
	lc_lock *lock = lc_registry_get(addr, type, flags & LC_ACQ_RECURSIVE,
					pc, tag);
	if (!lock)
		return;
	lc_registry_tag(lock, tag);
	int i = lc_held_find(t, addr);
	if (i >= 0 && t->held[i].lock != lock) {
		/* The thread holds the lock this memory was before it was
		 * reused as a new lock (no destroy, no init: a static
		 * initialiser, a new object): not a relock of the new one. */
		abandon(t, i, 1, pc);
		i = -1;
	}
	t->pending = lock;
	uint64_t key = lc_chain_mix(t->held[t->n_held - 1].chain,
				    lc_chain_step(lock, shared));
	t->pending_addr = addr;
	t->pending_chain = key;
	if (lc_chain_seen(t, key))
		return;
	if (i < 0) {
		lc_rank_check(t, lock, pc);
		lc_order_check(t, lock, shared, pc);
	}
	else if (!(flags & LC_ACQ_RECURSIVE) && !(shared && t->held[i].shared))
		lc_misuse_double_lock(t, i, lock, pc);
	/* else a re-entry (recursive lock, or a read lock held for reading):
	 * it cannot block and the order is already set. */
	if (__builtin_expect(lc_steer_on, 0)) {
		/* Steering: every nested acquisition must come here (the
		 * chain cache learns nothing), to be matched and paused. */
		if (i < 0)
			lc_steer_match(t, lock, pc);
		return;
	}
	lc_chain_remember(t, key);
}

/* full_stacks=1: the acquisition's whole stack (out of line: its frame is
 * large, and the common path should not pay for it). */
static __attribute__((noinline)) void capture_held_stack(lc_held *h)
{
	int saved_errno = errno;
	uintptr_t pcs[LC_STACK_MAX];
	h->stack = lc_stack_intern(pcs, lc_stack_capture(pcs, LC_STACK_MAX));
	errno = saved_errno;
}

/* The acquisition is pushed with what before_lock found: the record if it
 * looked it up, and the chain key; else unresolved (thread.h). */
static inline __attribute__((always_inline)) void
after_lock(lc_thread *t, uintptr_t addr, lc_lock_type type, unsigned flags,
	   uintptr_t pc, uintptr_t *tag)
{
	/* A try-lock had no before_lock of its own: what is pending is not
	 * its. */
	int mine = t->pending_addr == addr && !(flags & LC_ACQ_TRY);
	lc_lock *lock = mine ? t->pending : NULL;
	uint64_t chain = mine ? t->pending_chain : 0;
	t->pending = NULL;
	t->pending_addr = 0;
	t->lock_calls[type]++;
	if (__builtin_expect(lock != NULL, 0)) {
		if (lock->addr != addr || lc_lock_destroyed(lock)) {
			lock = NULL;
			chain = 0;
		} else {
			lc_registry_tag(lock, tag);
		}
	}
	int shared = (flags & LC_ACQ_SHARED) != 0;
	if (flags & (LC_ACQ_RECURSIVE | LC_ACQ_SHARED)) {
		int i = lc_held_find(t, addr);
		if (i >= 0 && (!shared || t->held[i].shared)) {
			t->held[i].depth++;
			return;
		}
	}
	lc_held *h = lc_held_push(t, lock, addr, pc, shared, tag, type,
				  flags & LC_ACQ_RECURSIVE, chain);
	if (h && lc_opt.full_stacks)
		capture_held_stack(h);
}

static void unlock(lc_thread *t, uintptr_t addr, lc_lock_type type,
		   uintptr_t pc)
{
	/* The common case: releasing the most recent, non-re-entered lock. */
	if (t->n_held && t->held[t->n_held - 1].addr == addr &&
	    t->held[t->n_held - 1].depth == 0) {
		t->unresolved -= !t->held[t->n_held - 1].lock;
		t->n_held--;
		return;
	}
	int i = lc_held_find(t, addr);
	if (i >= 0) {
		if (t->held[i].depth)
			t->held[i].depth--;
		else
			lc_held_remove(t, i);
		return;
	}
	/* Not held: the release of a lock abandoned while held (its memory is
	 * a new lock now), taken beyond LC_MAX_HELD (never pushed), or a
	 * misuse. */
	if ((i = abandoned_find(t, addr)) >= 0) {
		lc_held_remove(t, i);
		return;
	}
	if (t->overflow) {
		t->overflow--;
		return;
	}
	lc_lock *lock = lc_registry_get(addr, type, 0, pc, NULL);
	if (lock)
		lc_misuse_bad_unlock(t, lock, pc);
}

static void destroy(lc_thread *t, uintptr_t addr, lc_lock_type type, int busy,
		    uintptr_t pc)
{
	if (t->unresolved)
		lc_held_resolve(t);
	int i = lc_held_find(t, addr);
	if (i >= 0 || busy) {
		lc_lock *lock = i >= 0 ? t->held[i].lock
				       : lc_registry_get(addr, type, 0, pc, NULL);
		if (lock)
			lc_misuse_destroy_locked(t, i, lock, pc);
	}
	if (busy)
		return; /* the lock lives on, still held */
	if (i >= 0)
		lc_held_remove(t, i);
	lc_lock *gone = lc_registry_destroy(addr);
	/* Where it was created and destroyed, for a later use of it
	 * (invalid-use). */
	lc_objtable_lock_destroyed(addr, gone ? gone->create_pc : 0, pc);
	if (!gone)
		return;
	/* A lock without edges (most short-lived locks) needs no graph work:
	 * its record is free at once. (out and in are written under the
	 * graph lock; a lock destroyed while another thread makes an edge to
	 * it is the program's bug.) Else it is folded out of the graph. */
	if (!gone->out && !gone->in) {
		atomic_fetch_or(&gone->state, LC_LOCK_FOLDED);
		lc_registry_recycle(gone);
		return;
	}
	lc_graph_lock();
	lc_graph_fold(gone);
	lc_graph_fold_replaced();
	lc_graph_unlock();
}

/* The out-of-line halves of the inline events in event.h. */

int lc_quick_nested(lc_thread *t, const volatile void *lock, uintptr_t *tag,
		    unsigned flags, uint64_t *chain)
{
	if (t->n_held >= LC_MAX_HELD ||
	    (flags & (LC_ACQ_RECURSIVE | LC_ACQ_SHARED)))
		return 0;
	return (*chain = lc_chain_known(t, lock, tag, flags)) != 0;
}

void lc_before_lock_slow(void *lock, lc_lock_type type, unsigned flags,
			 uintptr_t pc, uintptr_t *tag)
{
	lc_thread *t = enter();
	if (!t)
		return;
	before_lock(t, (uintptr_t)lock, type, flags, pc, tag);
	leave();
	if (__builtin_expect(t->steer_edges != 0, 0))
		lc_steer_pause(t);
}

void lc_after_lock_slow(void *lock, lc_lock_type type, unsigned flags,
			uintptr_t pc, uintptr_t *tag)
{
	lc_thread *t = enter();
	if (!t)
		return;
	after_lock(t, (uintptr_t)lock, type, flags, pc, tag);
	leave();
}

void lc_unlock_slow(void *lock, lc_lock_type type, uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return;
	unlock(t, (uintptr_t)lock, type, pc);
	leave();
}

/* Another live thread whose held stack has addr (read racily, as the
 * wait-for graph does), or NULL; *pc: where it took it. */
static lc_thread *held_elsewhere(const lc_thread *self, uintptr_t addr,
				 uintptr_t *pc)
{
	for (lc_thread *o = lc_thread_all(); o; o = o->next_all) {
		if (o == self || !atomic_load(&o->alive))
			continue;
		uint32_t n = __atomic_load_n(&o->n_held, __ATOMIC_RELAXED);
		if (n > LC_MAX_HELD)
			n = LC_MAX_HELD;
		for (uint32_t i = 0; i < n; i++)
			if (o->held[i].addr == addr) {
				*pc = o->held[i].pc;
				return o;
			}
	}
	return NULL;
}

void lc_on_create(void *lock, lc_lock_type type, unsigned flags, uintptr_t pc,
		  uintptr_t *tag)
{
	lc_thread *t = enter();
	if (!t)
		return;
	uintptr_t addr = (uintptr_t)lock;
	/* Init of a lock another thread holds: provably live (a held lock
	 * cannot have been freed and its memory reused), so a reinit. An
	 * init of a known lock nobody holds is not reported: it cannot be
	 * told from memory freed without a destroy and reused (C code that
	 * frees a struct holding a mutex). The same thread holding it is a
	 * destroy-locked (reinitialised) below. */
	lc_lock *old = lc_registry_find(addr);
	uintptr_t user_pc = 0;
	lc_thread *user;
	if (old && old->addr == addr && !lc_lock_destroyed(old) &&
	    (user = held_elsewhere(t, addr, &user_pc)))
		lc_misuse_reinit(t, old, "another thread holds it",
				 "acquired", user->id,
				 user_pc, old->create_pc, pc);
	int i = t->n_held ? lc_held_find(t, addr) : -1;
	if (i >= 0) {
		/* Init of a lock the thread holds: the entry is the old lock's,
		 * which the table still maps (the init's tag change must not
		 * make it the new one). */
		lc_held *h = &t->held[i];
		if (!h->lock) {
			lc_lock *old = lc_registry_find(addr);
			if (old && old->addr == addr && !lc_lock_destroyed(old)) {
				h->lock = old;
				t->unresolved--;
			}
		}
		if (h->lock)
			abandon(t, i, 0, pc);
		else
			lc_held_remove(t, i); /* never known: nothing to say */
	}
	lc_registry_create(addr, type, flags & LC_ACQ_RECURSIVE, pc, tag);
	leave();
}

void lc_on_destroy(void *lock, lc_lock_type type, int busy, uintptr_t pc,
		   uintptr_t *tag)
{
	lc_thread *t = enter();
	if (!t)
		return;
	destroy(t, (uintptr_t)lock, type, busy, pc);
	/* A destroyed lock's memory no longer names it: a later use without
	 * init (reuse, or a use after destroy) must not take its identity
	 * from the tag (thread.h). It says "destroyed" instead, until the
	 * memory is written again (registry.h). */
	if (!busy && tag)
		*(volatile uintptr_t *)tag = LC_TAG_DESTROYED;
	leave();
}

/* The record a finding about a condition variable names (made on the
 * first finding: a condition variable has no record otherwise). */
static lc_lock *cond_record(uintptr_t addr, uintptr_t create_pc)
{
	lc_lock *r = lc_registry_find(addr);
	if (r && r->addr == addr && !lc_lock_destroyed(r) &&
	    r->type == LC_TYPE_COND)
		return r;
	return lc_registry_create(addr, LC_TYPE_COND, 0, create_pc, NULL);
}

void lc_on_cond_wait_begin(lc_cond_wait *w, void *cond, int marked,
			   void *mutex, lc_lock_type type, unsigned how,
			   uintptr_t pc)
{
	w->pos = -1;
	w->counted = 0;
	lc_thread *t = enter();
	if (!t)
		return;
	uintptr_t addr = (uintptr_t)mutex, caddr = (uintptr_t)cond;
	lc_obj_info ci;
	w->counted = lc_objtable_enter(caddr, addr, t->id, pc, marked, &ci);
	if (ci.known && ci.destroyed && marked) {
		lc_lock *c = cond_record(caddr, ci.init_pc ? ci.init_pc : pc);
		if (c)
			lc_misuse_invalid_use(t, c, "waits on", 1, ci.init_pc,
					      ci.destroy_pc, pc);
	} else if (ci.known && ci.waiters && ci.mutex != addr) {
		lc_lock *c = cond_record(caddr, ci.init_pc ? ci.init_pc : pc);
		lc_lock *m = lc_registry_get(addr, type, 0, pc, NULL);
		lc_lock *o = lc_registry_get(ci.mutex, type, 0, ci.mutex_pc,
					     NULL);
		if (c && m)
			lc_misuse_cond_two_mutexes(t, c, m, o, ci.mutex_thread,
						   ci.mutex_pc, pc);
	}
	int i = lc_held_find(t, addr);
	if (i >= 0) {
		w->held = t->held[i];
		w->pos = i;
		lc_held_remove(t, i);
	} else if (!t->overflow) {
		lc_lock *lock = lc_registry_get(addr, type, 0, pc, NULL);
		if (lock)
			lc_misuse_cond_wait_unheld(t, lock, pc);
	}
	lc_on_sleep_begin(cond, LC_SLEEP_COND, how, addr, pc);
	leave();
}

/* Puts a held entry back where it was (a wait that never released its
 * mutex): the stack is as before the wait, chain keys included. */
static void held_restore(lc_thread *t, const lc_held *h, int pos)
{
	if (t->n_held >= LC_MAX_HELD) {
		lc_held_overflow(t);
		return;
	}
	if ((uint32_t)pos > t->n_held)
		pos = (int)t->n_held;
	for (uint32_t j = t->n_held; j > (uint32_t)pos; j--)
		t->held[j] = t->held[j - 1];
	t->held[pos] = *h;
	t->n_held++;
	t->unresolved += !h->lock;
	for (uint32_t j = (uint32_t)pos; j < t->n_held; j++)
		t->held[j].chain = lc_held_chain_at(t, j);
}

void lc_on_cond_wait_end(lc_cond_wait *w, void *cond, void *mutex,
			 lc_lock_type type, unsigned flags, int outcome,
			 uintptr_t pc, uintptr_t *tag)
{
	lc_on_sleep_end();
	lc_thread *t = enter();
	if (!t)
		return;
	if (w->counted) {
		lc_objtable_leave((uintptr_t)cond);
		w->counted = 0;
	}
	uintptr_t addr = (uintptr_t)mutex;
	if (outcome == LC_WAIT_UNCHANGED) {
		if (w->pos >= 0)
			held_restore(t, &w->held, w->pos);
	} else if (outcome == LC_WAIT_REACQUIRED) {
		flags &= ~(unsigned)LC_ACQ_TRY;
		before_lock(t, addr, type, flags, pc, tag);
		after_lock(t, addr, type, flags, pc, tag);
		int i = lc_held_find(t, addr);
		if (i >= 0 && w->pos >= 0 && w->held.depth)
			t->held[i].depth = w->held.depth;
	}
	w->pos = -1;
	leave();
}

void lc_on_cond_init(void *cond, uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return;
	lc_obj_info ci;
	lc_objtable_init_at((uintptr_t)cond, pc, &ci);
	/* Only an init under waiters is provably of a live variable (the
	 * waiters are in it); an init of an idle known one may be memory
	 * freed without a destroy and reused. */
	if (ci.known && ci.waiters && !ci.destroyed) {
		lc_lock *c = cond_record((uintptr_t)cond,
					 ci.init_pc ? ci.init_pc : pc);
		if (c)
			lc_misuse_reinit(t, c, "threads wait on it", "waits on",
					 ci.mutex_thread, ci.mutex_pc,
					 ci.init_pc, pc);
	}
	leave();
}

void lc_on_cond_destroy(void *cond, uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return;
	uintptr_t caddr = (uintptr_t)cond;
	lc_obj_info ci;
	lc_objtable_destroy(caddr, pc, &ci);
	if (ci.known && ci.waiters) {
		lc_lock *c = cond_record(caddr, ci.init_pc ? ci.init_pc : pc);
		if (c)
			lc_misuse_cond_destroy_waited(t, c, ci.waiters,
						      ci.mutex_thread,
						      ci.mutex_pc, ci.init_pc,
						      pc);
	}
	/* A record made for a finding goes with the variable. */
	lc_lock *r = lc_registry_find(caddr);
	if (r && r->addr == caddr && r->type == LC_TYPE_COND &&
	    !lc_lock_destroyed(r)) {
		lc_lock *gone = lc_registry_destroy(caddr);
		if (gone && !gone->out && !gone->in) {
			atomic_fetch_or(&gone->state, LC_LOCK_FOLDED);
			lc_registry_recycle(gone);
		}
	}
	leave();
}

void lc_on_invalid_use(void *obj, lc_lock_type type, const char *what,
		       int destroyed, uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return;
	uintptr_t addr = (uintptr_t)obj;
	lc_obj_info info;
	lc_objtable_get(addr, &info);
	/* The table's sites only for a use of what it saw destroyed. */
	if (!info.destroyed || !destroyed)
		info.init_pc = info.destroy_pc = 0;
	lc_lock *r = lc_registry_get(addr, type, 0,
				     info.init_pc ? info.init_pc : pc, NULL);
	if (r)
		lc_misuse_invalid_use(t, r, what, destroyed, info.init_pc,
				      info.destroy_pc, pc);
	leave();
}

void lc_on_try_failed(void *lock, lc_lock_type type, unsigned flags,
		      uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return;
	uintptr_t addr = (uintptr_t)lock;
	int i = t->n_held ? lc_held_find(t, addr) : -1;
	/* Held for writing (a write hold excludes every other hold, its own
	 * included). A try-write while the caller reads fails too, but may be
	 * an upgrade attempt that falls back: not reported. */
	if (i >= 0 && !t->held[i].recursive && !t->held[i].shared) {
		if (t->unresolved)
			lc_held_resolve(t);
		i = lc_held_find(t, addr);
		if (i >= 0 && t->held[i].lock)
			lc_misuse_double_lock(t, i, t->held[i].lock, pc);
	}
	leave();
}

unsigned lc_on_wait_begin(void *lock, lc_lock_type type, unsigned flags,
			  uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return LC_WAIT_TICK_MS;
	if (flags & LC_ACQ_PASSIVE)
		atomic_store(&t->wait.passive, 1);
	lc_wait_begin(t, (uintptr_t)lock, (flags & LC_ACQ_SHARED) != 0, 0,
		      (flags & (LC_ACQ_TIMED | LC_ACQ_PSHARED)) != 0, pc);
	if (flags & LC_ACQ_PASSIVE)
		lc_asleep_watch(1);
	unsigned next = lc_wait_check(t);
	leave();
	return next;
}

unsigned lc_on_join_wait_begin(uintptr_t handle, int timed, uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return LC_WAIT_TICK_MS;
	lc_thread *joined = lc_thread_by_handle(handle);
	unsigned next = LC_WAIT_TICK_MS;
	if (joined) {
		lc_wait_begin(t, 0, 0, joined->id, timed, pc);
		next = lc_wait_check(t);
	}
	leave();
	return next;
}

unsigned lc_on_wait_check(void)
{
	lc_thread *t = enter();
	if (!t)
		return LC_WAIT_TICK_MS;
	unsigned next = LC_WAIT_TICK_MS;
	if (atomic_load(&t->wait.lock_addr) || atomic_load(&t->wait.join_thread))
		next = lc_wait_check(t);
	leave();
	return next;
}

void lc_on_wait_end(void)
{
	lc_thread *t = enter();
	if (!t)
		return;
	lc_wait_end(t);
	leave();
}

void lc_on_rank(void *lock, unsigned rank)
{
	if (!enter())
		return;
	lc_lock *r = lc_registry_get((uintptr_t)lock, LC_TYPE_MUTEX, 0, 0, NULL);
	if (r)
		atomic_store(&r->rank, rank);
	leave();
}

unsigned lc_rank_of(void *lock)
{
	lc_lock *r = lc_registry_find((uintptr_t)lock);
	return r && r->addr == (uintptr_t)lock && !lc_lock_destroyed(r)
		       ? atomic_load(&r->rank)
		       : 0;
}

void lc_on_name(void *lock, const char *name)
{
	if (!enter())
		return;
	lc_lock *r = lc_registry_get((uintptr_t)lock, LC_TYPE_MUTEX, 0, 0, NULL);
	if (r)
		lc_registry_name(r, name);
	leave();
}

/* A new clock for t: acquisitions it makes from now on are judged with it,
 * so the chain cache (which says "nothing new to record") starts over. */
static void set_clock(lc_thread *t, const lc_clock *clock)
{
	t->clock = clock;
	memset(t->chain_cache, 0, sizeof t->chain_cache);
}

const void *lc_on_thread_create(void)
{
	lc_thread *t = enter();
	if (!t)
		return NULL;
	/* The child starts from the parent's clock as it is now; the parent
	 * moves on to a new epoch, so what it does next is not ordered before
	 * the child. */
	const lc_clock *handed = t->clock;
	set_clock(t, lc_clock_with(t->clock, t->id,
				   lc_clock_get(t->clock, t->id) + 1));
	leave();
	return handed;
}

void lc_on_thread_start(const void *token, uintptr_t routine, const void *arg,
			uintptr_t site)
{
	lc_thread *t = enter();
	if (!t)
		return;
	lc_role_leave(t->role);
	t->role = lc_role_enter(lc_role_routine(routine, arg, site), site);
	if (token)
		set_clock(t, lc_clock_with(token, t->id, 1));
	leave();
}

static _Atomic lc_exit_exempt_fn exit_exempt;

void lc_set_exit_exempt(lc_exit_exempt_fn fn)
{
	atomic_store(&exit_exempt, fn);
}

void lc_on_thread_exit(uintptr_t handle, uintptr_t pc)
{
	lc_thread *t = enter();
	if (!t)
		return;
	if (t->unresolved)
		lc_held_resolve(t);
	/* A robust mutex held at exit is its protocol, not a mistake: the
	 * next owner is told (EOWNERDEAD) and makes it consistent. */
	lc_exit_exempt_fn exempt = atomic_load(&exit_exempt);
	if (exempt) {
		uint32_t kept = 0;
		for (uint32_t i = 0; i < t->n_held; i++)
			/* (An abandoned entry's odd address is no lock.) */
			if ((t->held[i].addr & 1) ||
			    !exempt((void *)t->held[i].addr,
				    (lc_lock_type)t->held[i].type))
				t->held[kept++] = t->held[i];
		t->n_held = kept;
	}
	if (t->n_held > 0) {
		lc_misuse_held_at_exit(t, pc);
		t->n_held = 0;
		t->unresolved = 0;
	}
	/* A join cancelled in its wait never ended it (block.h): a thread
	 * that ends waits for nothing. */
	lc_wait_end(t);
	lc_clock_publish_final(handle, t->clock);
	leave();
}

void lc_on_thread_join(uintptr_t handle)
{
	lc_thread *t = enter();
	if (!t)
		return;
	const lc_clock *final = lc_clock_take_final(handle);
	if (final)
		set_clock(t, lc_clock_join(t->clock, final));
	leave();
}

/* Fork: the core's locks are held across fork() by the forking thread, so
 * the child never inherits one held by a thread that does not exist there.
 * Order: graph, registry, then depot, thread free list, final clocks (the
 * order used inside). */
static void fork_prepare(void)
{
	lc_tls_guard++;
	lc_graph_fork_prepare();
	lc_registry_fork_prepare();
	lc_stack_fork_prepare();
	lc_thread_fork_prepare();
	lc_clock_fork_prepare();
	lc_role_fork_prepare();
}

static void fork_parent(void)
{
	lc_role_fork_parent();
	lc_clock_fork_release();
	lc_thread_fork_release();
	lc_stack_fork_release();
	lc_registry_fork_release();
	lc_graph_fork_release();
	lc_tls_guard--;
}

static void fork_child(void)
{
	/* Only the forking thread exists in the child. */
	for (lc_thread *t = lc_thread_all(); t; t = t->next_all)
		if (t != lc_tls_thread)
			atomic_store(&t->alive, 0);
	lc_role_fork_child(lc_tls_thread ? lc_tls_thread->role : LC_ROLE_OTHER);
	lc_clock_fork_release();
	lc_thread_fork_release();
	lc_stack_fork_release();
	lc_registry_fork_release();
	lc_graph_fork_release();
	lc_thread_reset_counters();
	lc_objtable_fork_child();
	lc_report_after_fork_child();
	lc_thread_fork_child();
	lc_asleep_fork_child();
	lc_tls_guard--;
}

/* The graph and end events, once per process; returns the status the
 * exit-status policy gives. The caller has set the guard. */
static int write_exit_events(int status)
{
	lc_graph_lock();
	lc_graph_fold_replaced();
	int final = status;
	if (lc_report_errors() > 0 && lc_opt.exitcode != 0)
		final = lc_opt.exitcode;
	lc_report_graph();
	lc_report_end(final);
	lc_graph_unlock();
	return final;
}

int lc_on_exit_now(int status)
{
	/* Not before the core is ready, not inside it (a signal handler that
	 * interrupted the core and calls _exit: its locks may be held), not
	 * in a vfork child (its parent's memory and log). */
	if (!atomic_load(&core_ready) || lc_tls_guard ||
	    !lc_report_own_process())
		return status;
	lc_tls_guard = 1; /* the process ends: nothing runs checked after */
	return write_exit_events(status);
}

/* Normal exit: the graph and end events, then the exit-status policy. */
static void on_process_exit(int status, void *arg)
{
	if (!atomic_load(&core_ready))
		return;
	lc_tls_guard = 1; /* the rest of exit runs unchecked in this thread */
	int final = write_exit_events(status);
	if (final != status) {
		/* exit() would flush stdio after this handler; _exit does
		 * not, so flush first to keep the program's output. */
		fflush(NULL);
		_exit(final);
	}
}

void *(*lc_init(void))(void *)
{
	static int started;
	if (started)
		return NULL;
	started = 1;
	lc_tls_guard = 1;
	lc_options_defaults(&lc_opt);
	/* A set-user-ID or set-group-ID program (AT_SECURE) must not let
	 * whoever starts it choose files for it to write or read: it runs
	 * with the defaults, which report on stderr only. */
	if (!getauxval(AT_SECURE))
		lc_options_parse(&lc_opt, getenv("LOCKCHECK_OPTIONS"));
	else if (getenv("LOCKCHECK_OPTIONS"))
		lc_warn("set-user-ID or set-group-ID program: "
			"LOCKCHECK_OPTIONS is ignored and no files are "
			"written (findings go to stderr)");
	if (lc_arena_init() != 0 || lc_registry_init() != 0 ||
	    lc_objtable_init() != 0 ||
	    lc_graph_init() != 0 || lc_stack_init() != 0 ||
	    lc_thread_init() != 0) {
		lc_warn("cannot start (out of memory): checking is off, the "
			"program runs unchecked");
		lc_tls_guard = 0;
		return NULL;
	}
	if (lc_opt.suppressions[0])
		lc_suppress_load(lc_opt.suppressions);
	if (lc_opt.order_file[0])
		lc_order_file_load(lc_opt.order_file);
	if (lc_opt.known_ids[0])
		lc_known_ids_load(lc_opt.known_ids);
	if (lc_opt.steer[0])
		lc_steer_load(lc_opt.steer);
	lc_report_open();
	lc_child_init();
	lc_keyindex_quiescence(lc_thread_index_readers_before);
	lc_thread_self(); /* the main thread is T1 */
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	on_exit(on_process_exit, NULL);
	atomic_store(&core_ready, 1);
	lc_tls_guard = 0;
	return lc_dump_setup() ? lc_dump_thread_main : NULL;
}
