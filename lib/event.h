/*
 * event.h: the narrow API between the interposition layer and the core.
 *
 * preload/ calls these around each lock function it intercepts and knows
 * nothing else of the core; the core never knows which libc symbol was called.
 * Each event, and the chain of functions it leads to:
 *
 *   lc_init              options, arena, registry, graph, depot, thread key,
 *                        report_open (start event), atfork and exit hooks
 *   lc_on_create         misuse_abandoned if the thread holds the old lock
 *                        there; registry_create: a new identity for the
 *                        address
 *   lc_on_destroy        misuse_destroy_locked if held; registry_destroy:
 *                        the next use starts a new identity; graph_fold
 *                        (bypass routes, class summaries, records freed)
 *   lc_on_before_lock    (blocking acquisitions, before the real call, so a
 *                        report is written before a real deadlock hangs)
 *                        registry_get (new generation if the lock object
 *                        was re-initialised) -> held lock of the old
 *                        generation? misuse_abandoned -> chain cache ->
 *                        relock? misuse_double_lock : order_check
 *                        -> graph_add_edge -> graph_find_path
 *                        -> report_finding (JSON line + stderr text);
 *                        steering mode (steer.h): steer_match, then,
 *                        out of the guard, steer_pause
 *   lc_on_after_lock     (success only) held_push, or a re-entry
 *   lc_on_unlock         held_remove (any position), or misuse_bad_unlock
 *   lc_on_cond_wait_*    begin: objtable_enter (waiter count; a destroyed
 *                        variable: misuse_invalid_use; a second mutex:
 *                        misuse_cond_two_mutexes), held_remove (kept
 *                        for end) or misuse_cond_wait_unheld; end:
 *                        objtable_leave, then before + after lock of the
 *                        mutex, or the held entry put back (a wait that
 *                        failed before releasing it)
 *   lc_on_cond_init/destroy  objtable: reinit under waiters, a destroy
 *                        with waiters (misuse_cond_destroy_waited)
 *   lc_on_invalid_use    a lock its memory says is destroyed or never
 *                        initialised (the interposer reads it on a failure
 *                        or slow path): misuse_invalid_use
 *   lc_on_try_failed     a failed try of a lock held for writing:
 *                        misuse_double_lock
 *   lc_on_thread_*       create/start/join: clocks (clock.h) that order the
 *                        acquisitions of different threads; exit:
 *                        misuse_held_at_exit, the final clock for the joiner
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

#include "options.h"
#include "registry.h"
#include "syncobj.h"
#include "thread.h"

enum lc_acquire_flags {
	LC_ACQ_TRY = 1,       /* a try-lock: cannot block, adds no edge into it */
	LC_ACQ_RECURSIVE = 2, /* the lock may be re-entered by its holder */
	LC_ACQ_SHARED = 4,    /* a read (shared) acquisition of a rwlock */
	/* Read by lc_on_wait_begin only: the wait may end without another
	 * thread of this process (the all-asleep detector ignores it). */
	LC_ACQ_TIMED = 8,     /* a timed lock call */
	LC_ACQ_PSHARED = 16,  /* a process-shared lock */
	/* Read by lc_on_wait_begin only: the waiter will not call
	 * lc_on_wait_check (an annotated lock's own slow path sleeps): the
	 * watch thread checks the wait for it (detect_wait.h). */
	LC_ACQ_PASSIVE = 32,
};

/* `tag`, where given, is a word of the lock object that the lock's
 * implementation never uses, lent to the core to tell a lock from a new lock
 * at the same address (registry.h). NULL when there is none. */

/* Starts the core (once; later calls do nothing). Called from the shim's
 * constructor, single-threaded. Returns the body of a thread the caller must
 * start for the core (the dump thread), or NULL when none is needed. */
void *(*lc_init(void))(void *);
/* A lock was initialised (the real init succeeded). */
void lc_on_create(void *lock, lc_lock_type type, unsigned flags, uintptr_t pc,
		  uintptr_t *tag);
/* A lock is destroyed; busy: the real destroy refused because it is held.
 * tag as for the other events (cleared: the memory no longer names the
 * lock). */
void lc_on_destroy(void *lock, lc_lock_type type, int busy, uintptr_t pc,
		   uintptr_t *tag);
/* The out-of-line rest of the three events below (event.c). */
void lc_before_lock_slow(void *lock, lc_lock_type type, unsigned flags,
			 uintptr_t pc, uintptr_t *tag);
void lc_after_lock_slow(void *lock, lc_lock_type type, unsigned flags,
			uintptr_t pc, uintptr_t *tag);
void lc_unlock_slow(void *lock, lc_lock_type type, uintptr_t pc);

/*
 * The three events of every lock operation are inline: their fast paths are
 * a few loads and stores of the calling thread's own record, compiled into
 * each interposer, and the rest is a call out of line. A fast path runs only
 * for a thread with a record that is not inside the core (the guard).
 */
static inline lc_thread *lc_event_thread(void)
{
	lc_thread *t = lc_tls_thread;
	return __builtin_expect(t != NULL && !lc_tls_guard, 1) ? t : NULL;
}

/* The chain key of t's held sequence (t holds something) followed by the
 * lock with this tag in this mode, when t has checked that sequence before
 * (its chain cache has the key: nothing new to learn), else 0. Known from
 * the lock's tag and the top entry's chain key; a lock taken while holding
 * nothing gets its key from its tag here, once. */
static inline __attribute__((always_inline)) uint64_t
lc_chain_known(lc_thread *t, const volatile void *lock, uintptr_t *tag,
	       unsigned flags)
{
	/* (A lock without a tag: its address's live record, a probe.) */
	uint32_t id = tag ? lc_registry_tag_id(tag)
			  : lc_registry_live_id((uintptr_t)lock);
	lc_held *top = &t->held[t->n_held - 1];
	uint64_t below = top->chain;
	if (!below && t->n_held == 1)
		below = top->chain = lc_held_chain_at(t, 0);
	if (!id || !below)
		return 0;
	uint64_t key =
		lc_chain_mix(below, id << 1 | ((flags & LC_ACQ_SHARED) != 0));
	return lc_chain_seen(t, key) ? key : 0;
}

/* Before a lock call (blocking or not): order and relock checks. Always
 * inline: its first rung (nothing held) is most calls, and a call to an
 * out-of-line copy would cost as much as the rung. */
static inline __attribute__((always_inline)) void
lc_on_before_lock(void *lock, lc_lock_type type, unsigned flags, uintptr_t pc,
		  uintptr_t *tag)
{
	lc_thread *t = lc_event_thread();
	/* These rungs only read the thread's own record and write its pending
	 * fields (and a held entry's chain key, idempotently), so they need
	 * no guard: a signal handler's balanced lock calls between two of
	 * their instructions at worst clear the pending fields, which only
	 * sends the acquisition to its slow path. */
	if (__builtin_expect(t != NULL, 1)) {
		t->pending = NULL;
		t->pending_addr = 0;
		/* Holds nothing, or a try-lock: nothing to check. */
		if (t->n_held == 0 || (flags & LC_ACQ_TRY))
			return;
		/* This held sequence followed by this lock was checked
		 * before. */
		uint64_t key = lc_chain_known(t, lock, tag, flags);
		if (key) {
			t->pending_addr = (uintptr_t)lock;
			t->pending_chain = key;
			return;
		}
		/* Where the caller's frame is: a new edge's stack capture
		 * may then share an earlier one from this call (stack.h). */
		t->call_cfa = (uintptr_t)__builtin_dwarf_cfa();
	}
	lc_before_lock_slow(lock, type, flags, pc, tag);
}

/* Pushes an acquisition onto t's held stack the cheap way: unresolved
 * (thread.h), with chain key `chain` (0: computed when needed), under the
 * guard: a signal handler's lock calls between the stores that fill the
 * entry would otherwise write the same entry. The caller has checked that
 * t has room, holds no pending record and full stacks are off. */
static inline __attribute__((always_inline)) void
lc_held_push_quick(lc_thread *t, void *lock, lc_lock_type type, unsigned flags,
		   uintptr_t pc, uintptr_t *tag, uint64_t chain)
{
	lc_tls_guard = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	lc_held *h = &t->held[t->n_held];
	h->lock = NULL;
	h->addr = (uintptr_t)lock;
	h->pc = pc;
	h->tag = tag;
	h->type = (uint8_t)type;
	h->recursive = (flags & LC_ACQ_RECURSIVE) != 0;
	h->shared = (flags & LC_ACQ_SHARED) != 0;
	h->depth = 0;
	h->stack = 0;
	h->chain = chain;
	t->unresolved++;
	t->n_held++;
	t->lock_calls[type]++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	lc_tls_guard = 0;
}

/* After a lock call that acquired the lock. Always inline, as
 * lc_on_before_lock. */
static inline __attribute__((always_inline)) void lc_on_after_lock(void *lock, lc_lock_type type,
				    unsigned flags, uintptr_t pc,
				    uintptr_t *tag)
{
	lc_thread *t = lc_event_thread();
	/* The common acquisition: not a re-entry (a lock that may be
	 * re-entered, a read lock, is one only if something is held), no
	 * record looked up before it, no stack to capture. It is pushed
	 * with the chain key before_lock found, if any (a try-lock had no
	 * before_lock of its own: whatever is pending is not its). */
	if (__builtin_expect(t && !t->pending && t->n_held < LC_MAX_HELD &&
				     (t->n_held == 0 ||
				      !(flags & (LC_ACQ_RECURSIVE | LC_ACQ_SHARED))) &&
				     !lc_opt.full_stacks,
			     1)) {
		uint64_t chain = t->pending_addr == (uintptr_t)lock &&
					 !(flags & LC_ACQ_TRY)
				 ? t->pending_chain
				 : 0;
		t->pending_addr = 0;
		lc_held_push_quick(t, lock, type, flags, pc, tag, chain);
		return;
	}
	lc_after_lock_slow(lock, type, flags, pc, tag);
}

/*
 * The quick acquisition, the interposers' common path: an acquisition that
 * needs no check before its lock call, because the thread holds nothing (no
 * edge can start from an empty held stack, and it cannot hold the lock it
 * asks for) or because its held sequence followed by this lock was checked
 * before (the chain cache has it, as lc_on_before_lock would find). Then
 * lc_on_before_lock would only set the pending fields for lc_on_after_lock.
 * The interposer asks lc_quick_thread and LC_QUICK_OK first; if both say
 * so, it tries the lock and, when it got it, records it with
 * lc_held_push_quick and the chain key LC_QUICK_OK gave:
 * one thread-record read and one set of tests for the pair of events
 * instead of two each. NULL: the full path (before, call, after). A try
 * that did not acquire leaves nothing to undo. Not for a lock that may be
 * re-entered or read-shared while something is held (the after event's
 * slow path counts re-entries).
 */
static inline __attribute__((always_inline)) lc_thread *lc_quick_thread(void)
{
	lc_thread *t = lc_event_thread();
	return __builtin_expect(t && !t->pending && !lc_opt.full_stacks, 1)
		       ? t
		       : NULL;
}

/* Whether t's acquisition of the lock with this tag, in this mode, is
 * quick (above), and its chain key to push with (chain, an lvalue). A
 * macro, so that the tag and flags expressions are evaluated only when t
 * holds something (the common case reads neither). */
#define LC_QUICK_OK(t, lock, tag, flags, chain)                                \
	(__builtin_expect((t)->n_held == 0, 1)                                 \
		 ? ((chain) = 0, 1)                                            \
		 : lc_quick_nested((t), (lock), (tag), (flags), &(chain)))
/* LC_QUICK_OK for a thread that holds something: out of line. */
int lc_quick_nested(lc_thread *t, const volatile void *lock, uintptr_t *tag,
		    unsigned flags, uint64_t *chain);

/* The fast half of lc_on_unlock: releasing the most recent, not re-entered
 * lock pops it. The two stores are made under the guard: a signal handler
 * that ran between them and took a lock would see the count of unresolved
 * entries (thread.h) already without the top one while the stack still
 * held it, skip resolving, and check an order through an entry with no
 * lock record (seen: a SIGSEGV in stress_signals, long). 0: the slow half
 * (lc_unlock_slow) must run. */
static inline __attribute__((always_inline)) int lc_unlock_fast(void *lock)
{
	lc_thread *t = lc_event_thread();
	if (__builtin_expect(t && t->n_held, 1)) {
		lc_held *top = &t->held[t->n_held - 1];
		if (__builtin_expect(top->addr == (uintptr_t)lock &&
					     top->depth == 0,
				     1)) {
			lc_tls_guard = 1;
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			t->unresolved -= !top->lock;
			t->n_held--;
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			lc_tls_guard = 0;
			return 1;
		}
	}
	return 0;
}

/* Before the real unlock. */
static inline void lc_on_unlock(void *lock, lc_lock_type type, uintptr_t pc)
{
	if (!lc_unlock_fast(lock))
		lc_unlock_slow(lock, type, pc);
}
/* A condition wait in progress: what its begin took off the thread's held
 * stack, so that its end can put it back exactly when the wait failed
 * without releasing the mutex (an invalid time: EINVAL before anything),
 * and the condition variable it counts as a waiter of. Lives in the
 * interposer's frame. */
typedef struct lc_cond_wait {
	lc_held held;   /* the mutex's entry as it was */
	int pos;        /* its position, or -1: the thread did not hold it */
	int counted;    /* counted as a waiter of the condition (cond.h) */
} lc_cond_wait;
/* How a wait ended, for lc_on_cond_wait_end. */
enum lc_wait_outcome {
	LC_WAIT_REACQUIRED, /* returned with the mutex locked again (success,
			     * timeout, a dead robust owner, cancellation) */
	LC_WAIT_RELEASED,   /* returned with the mutex released (a robust
			     * mutex made unrecoverable) */
	LC_WAIT_UNCHANGED,  /* failed before releasing the mutex: the held
			     * stack is restored as it was */
};
/* Before a condition wait on `cond` releases `mutex`: cond-misuse and
 * invalid-use checks, the mutex leaves the held stack (or a
 * cond-wait-unheld finding), the thread counts as a waiter of cond.
 * marked: cond's memory carries glibc's destroyed mark (glibc_layout.h).
 * The thread is asleep on cond (lc_on_sleep_begin, how: lc_sleep_how)
 * until lc_on_cond_wait_end; save its registers first (LC_SLEEP_REGS). */
void lc_on_cond_wait_begin(lc_cond_wait *w, void *cond, int marked,
			   void *mutex, lc_lock_type type, unsigned how,
			   uintptr_t pc);
/* After the wait. A re-acquisition is an acquisition: it makes edges from
 * every other lock the thread holds. */
void lc_on_cond_wait_end(lc_cond_wait *w, void *cond, void *mutex,
			 lc_lock_type type, unsigned flags, int outcome,
			 uintptr_t pc, uintptr_t *tag);
/* A condition variable was initialised (the real init succeeded):
 * reinit if it is live. */
void lc_on_cond_init(void *cond, uintptr_t pc);
/* Before the real destroy of a condition variable: cond-misuse
 * (destroyed-with-waiters) while threads wait on it, reported before glibc
 * blocks in it. */
void lc_on_cond_destroy(void *cond, uintptr_t pc);
/* A lock, unlock or wait (`what`: "locks", "unlocks", "waits on") on obj,
 * which its memory says is destroyed (destroyed 1) or was never
 * initialised (0): invalid-use, reported before the real call. */
void lc_on_invalid_use(void *obj, lc_lock_type type, const char *what,
		       int destroyed, uintptr_t pc);
/* A try-lock failed (busy): a double-lock when the caller itself holds the
 * lock for writing (the try can never succeed until the caller releases
 * it). Off the common path: only failed tries call it. */
void lc_on_try_failed(void *lock, lc_lock_type type, unsigned flags,
		      uintptr_t pc);
/* Which held locks a thread may end holding: a robust mutex (its
 * protocol: the next owner is told, EOWNERDEAD), not a held-at-exit. The
 * interposers know the lock layouts, so they answer; asked at thread exit
 * only, for each lock the thread still holds (so its memory is live), never
 * on a lock operation. Set once at start; NULL: none. */
typedef int (*lc_exit_exempt_fn)(void *lock, lc_lock_type type);
void lc_set_exit_exempt(lc_exit_exempt_fn fn);
/* The calling thread is about to create a thread. Returns a token for the
 * new thread's lc_on_thread_start (its place in create/join order). */
const void *lc_on_thread_create(void);
/* A blocking call has found its lock busy for the grace period
 * (LC_EVENT_GRACE_MS): the thread now waits (real-deadlock detection). Then,
 * while it still waits, lc_on_wait_check at the interval each returns (ms);
 * lc_on_wait_end when the call returns, whatever its result. */
#define LC_EVENT_GRACE_MS 10
unsigned lc_on_wait_begin(void *lock, lc_lock_type type, unsigned flags,
			  uintptr_t pc);
/* The same for a join of the thread `handle` that has not ended (timed:
 * pthread_timedjoin_np and the like). */
unsigned lc_on_join_wait_begin(uintptr_t handle, int timed, uintptr_t pc);
unsigned lc_on_wait_check(void);
void lc_on_wait_end(void);
/* The program named a lock (lockcheck_name). */
void lc_on_name(void *lock, const char *name);
/* The program ranked a lock (lockcheck_rank); 0 unranks it. */
void lc_on_rank(void *lock, unsigned rank);
/* A lock's rank (0: none). Lock-free; callable at any time. */
unsigned lc_rank_of(void *lock);
/* A thread created through pthread_create/thrd_create starts running:
 * token from lc_on_thread_create, its start routine and argument, and the
 * return address of the creator's pthread_create/thrd_create call (its
 * role, role.h). */
void lc_on_thread_start(const void *token, uintptr_t routine, const void *arg,
			uintptr_t site);
/* The calling thread ends (returns from its start routine or calls
 * pthread_exit); handle: its pthread_t, for its joiner; pc: where. */
void lc_on_thread_exit(uintptr_t handle, uintptr_t pc);
/* The process ends by _exit or _Exit (preload/exit.c): writes the graph
 * and end events as exit's handler would, unless in a vfork child or
 * inside the core. Returns the status to end with (the exit policy's). */
int lc_on_exit_now(int status);
/* The calling thread joined the thread `handle` (the join succeeded). */
void lc_on_thread_join(uintptr_t handle);

/*
 * Semaphores and barriers (detect_sync.c; the objects' table is syncobj.h).
 * Each check runs before the real call, so a report is written before the
 * call can hang; the real call and its result are never changed. Findings:
 * invalid-use (destroyed, uninitialised), reinit, sem-misuse
 * (destroyed-with-waiters, overflow), barrier-misuse
 * (destroyed-with-waiters, zero-count). An object created process-shared
 * (pshared != 0) may be used, destroyed or initialised by another process:
 * only the findings about the call itself (overflow, zero-count) are made
 * for it.
 */
/* Flags of lc_on_sync_use. */
enum lc_sync_use {
	LC_SYNC_WAIT = 1,  /* a blocking wait: counted as a waiter */
	LC_SYNC_TIMED = 2, /* ... with a timeout */
	LC_SYNC_TRY = 4,   /* a try-wait: checked, never a waiter */
	LC_SYNC_POST = 8,  /* a post: checked */
	LC_SYNC_PSHARED = 16, /* the object is process-shared (its memory
			       * says so): another process may end a wait */
};
/* Before sem_init/pthread_barrier_init (count: the initial value or the
 * barrier's count): reinit of a live object, a barrier count of 0. */
void lc_on_sync_init_before(void *obj, lc_sync_kind kind, unsigned count,
			    uintptr_t pc);
/* The real init succeeded: the object is live, created here. */
void lc_on_sync_init(void *obj, lc_sync_kind kind, unsigned count,
		     int pshared, uintptr_t pc);
/* Before the real destroy: a destroy of a destroyed object, threads waiting.
 * libc_waiters: for a semaphore, the threads the C library counts as
 * blocked in it (its own word, so a waiter already woken is not counted);
 * ignored for a barrier, whose unfinished round says it. */
void lc_on_sync_destroy_before(void *obj, lc_sync_kind kind,
			       unsigned libc_waiters, uintptr_t pc);
/* The real destroy succeeded. */
void lc_on_sync_destroy(void *obj, lc_sync_kind kind, uintptr_t pc);
/* Before a wait, try-wait or post (how: lc_sync_use flags): a use of a
 * destroyed or never initialised object. A wait is counted as a waiter and
 * the thread as asleep (lc_on_sleep_begin) until lc_on_sync_use_end with the
 * returned cookie (0: nothing to end). */
uintptr_t lc_on_sync_use(void *obj, lc_sync_kind kind, unsigned how,
			 uintptr_t pc);
void lc_on_sync_use_end(uintptr_t cookie);
/* sem_post failed with EOVERFLOW: the semaphore was at SEM_VALUE_MAX. */
void lc_on_sem_overflow(void *obj, uintptr_t pc);

/*
 * Sleep state, for the all-threads-asleep detector (detect_asleep.h): the
 * calling thread is now in a wait on obj (a condition variable, semaphore
 * or barrier) that only another thread can end, unless `how` says it may
 * end otherwise (LC_SLEEP_TIMED: it times out; LC_SLEEP_PSHARED: another
 * process may end it), since now; cleared by lc_on_sleep_end when the call
 * returns, whatever its result, or is cancelled. mutex: a condition wait's
 * mutex, else 0. The interposer saves its registers (LC_SLEEP_REGS) before
 * the begin event and calls the real wait from that same frame, so the
 * detector can walk the sleeper's stack. Kept in thread.h's lc_sleep: the
 * thread writes its own record, others read it racily. No lock, no
 * allocation; a thread without a record is not tracked. The first untimed
 * sleep of a process starts the detector's thread (lc_set_thread_starter).
 */
typedef enum lc_sleep_kind {
	LC_SLEEP_SEM = 1,
	LC_SLEEP_BARRIER = 2,
	LC_SLEEP_COND = 3,
} lc_sleep_kind;
enum lc_sleep_how {
	LC_SLEEP_TIMED = 1,
	LC_SLEEP_PSHARED = 2,
};
void lc_on_sleep_begin(const void *obj, lc_sleep_kind kind, unsigned how,
		       uintptr_t mutex, uintptr_t pc);
void lc_on_sleep_end(void);
/* Saves the calling thread's registers for its next sleep (regs.h); in
 * the interposer's own frame, before the begin event. */
#define LC_SLEEP_REGS()                                                        	do {                                                                   		lc_thread *sleeper_ = lc_tls_thread;                           		if (sleeper_)                                                  			LC_REGS_SAVE(&sleeper_->sleep.regs);                   	} while (0)

/* Starts a thread of the shim's own running body (the real
 * pthread_create, every signal blocked in it, detached): the interposers
 * give the core this at start, and the core starts its detector thread
 * through it when first needed. 0 or an error number. */
typedef int (*lc_thread_starter_fn)(void *(*body)(void *));
void lc_set_thread_starter(lc_thread_starter_fn fn);

#endif
