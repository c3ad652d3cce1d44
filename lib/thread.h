/*
 * thread.h: per-thread state, reached through initial-exec TLS.
 *
 * Each thread has an lc_thread record (from the arena, recycled through a free
 * list when the thread ends) holding:
 *   - its serial id (1 = the first thread the core saw, the main thread);
 *   - the held-lock stack: each entry has the lock, its address, the call site
 *     of the acquisition, a recursion depth, and the chain key of the held
 *     sequence up to and including it;
 *   - the chain cache: chain keys (held sequence + new lock) whose edges this
 *     thread has already recorded. A hit means "nothing new to learn", which is
 *     the common case and costs one probe, no lock, no allocation.
 *
 * Lazy resolution: an acquisition is pushed with its address only, and its
 * lock record is looked up (lc_held_resolve) when something needs it: a
 * chain the thread has not seen, a misuse, a report. Identity without the
 * record comes from the lock's tag word (registry.h), which holds its record
 * id once the lock was first resolved: the chain key of a held sequence is
 * computed from tags, so a nested acquisition whose chain was seen before
 * costs a tag read and a cache probe, and a lock taken and released alone
 * never touches the registry. An entry whose id is known neither way (an
 * untagged lock, a spinlock) has chain 0 until resolved. Another thread
 * reading these entries (wait-for graph, dumps) resolves a copy with
 * lc_held_lock.
 *
 * Chain key (lockdep's idea): a 64-bit rolling hash of the ids of the held
 * locks in acquisition order. Equal keys are taken as equal sequences; a
 * collision (about 2^-64 per pair) could hide one new edge.
 *
 * The re-entry guard: while the core works for a thread (or before the core is
 * ready), lock calls made by the core itself, by libunwind, or by a signal
 * handler interrupting the core pass straight through. It exists only here,
 * used by event.c.
 *
 * Capacity policy: LC_MAX_HELD locks held at once per thread; deeper
 * acquisitions are not tracked (said once per thread); they still work.
 *
 * Glossary: "held" = a lock the thread holds; "chain" = the sequence of held
 * locks; "site"/"pc" = a return address in the caller of a lock function.
 */
#ifndef LC_THREAD_H
#define LC_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include "regs.h"
#include "registry.h"

#define LC_MAX_HELD 1024
#define LC_CHAIN_CACHE 4096 /* slots, a power of two */

typedef struct lc_held {
	lc_lock *lock;      /* NULL until resolved (lc_held_resolve) */
	uintptr_t addr;
	uintptr_t pc;       /* call site of the acquisition */
	uint64_t chain;     /* chain key through this entry; 0: not known */
	uintptr_t *tag;     /* the lock object's tag word, or NULL */
	uint8_t type;       /* lc_lock_type, to resolve it */
	uint8_t recursive;  /* to resolve it */
	uint32_t stack;     /* full stack id (full_stacks=1), else 0 */
	uint32_t depth;     /* recursive re-entries beyond the first */
	uint8_t shared;     /* held for reading (rwlock) */
	uint8_t edge_missing; /* scratch of lc_order_check */
	uint64_t context_key; /* scratch of lc_order_check */
} lc_held;

/* What a thread waits for, once a wait has outlasted the grace period
 * (detect_wait.h). Written by the thread itself, read racily by others. */
typedef struct lc_wait {
	_Atomic uintptr_t lock_addr;   /* the lock it waits for, or 0 */
	_Atomic uint32_t join_thread;  /* the thread it waits to join, or 0 */
	uint8_t shared;                /* wants the lock for reading */
	uint8_t long_said;             /* long-wait reported for this wait */
	uint8_t ends_alone;            /* timed, or a process-shared lock: the
					* wait may end without another thread
					* of this process (detect_asleep.h) */
	uint32_t stack;                /* its stack as it waits */
	uintptr_t pc;                  /* the blocking call's call site */
	uint64_t since_ns;             /* CLOCK_MONOTONIC, start of the wait */
	uint64_t last_cycle;           /* cycle seen at the previous check */
	/* The waiter never comes back to check (an annotated custom lock's
	 * wait: the lock's own code sleeps): the watch thread checks it. */
	_Atomic uint8_t passive;
} lc_wait;

/* A sleep in a condition, semaphore or barrier wait (event.h's
 * lc_on_sleep_begin): for the all-threads-asleep detector. Written by the
 * thread itself, read racily by others: regs and the fields are written
 * before obj is stored (release) on begin, obj is cleared first on end, and
 * seq changes with every sleep, so a reader that sees the same seq and obj
 * before and after copying saw one sleep's fields. */
typedef struct lc_sleep {
	_Atomic uintptr_t obj;  /* the object slept on, or 0: not asleep */
	_Atomic uint32_t seq;   /* count of sleeps begun */
	uint8_t kind;           /* lc_sleep_kind (event.h) */
	uint8_t timed;          /* a timed wait: it ends by itself */
	uint8_t pshared;        /* a process-shared object: another process
				 * may end it */
	uintptr_t mutex;        /* a condition wait's mutex, else 0 */
	uintptr_t pc;           /* the wait's call site */
	lc_regs regs;           /* the interposer's frame (regs.h) */
} lc_sleep;

/* Edges of a cycle steering mode can pause threads at (steer.h). */
#define LC_STEER_EDGES 16

typedef struct lc_thread {
	uint32_t id;
	uint32_t role;           /* role.h: what it is across processes */
	_Atomic int alive;       /* in use by a running thread */
	uintptr_t handle;        /* its pthread_t, 0 if unknown */
	int tid;                 /* its kernel thread id */
	struct lc_thread *next_all; /* every record ever made */
	lc_wait wait;
	uint32_t n_held;
	uint32_t unresolved; /* held entries whose lock is not looked up yet */
	/* acquisitions seen, by lc_lock_type (the end event's stats) */
	uint64_t lock_calls[LC_TYPE_COUNT];
	int name_noted;     /* its name was read once (detect_order.c) */
	uint32_t overflow;  /* acquisitions beyond LC_MAX_HELD not tracked */
	struct lc_thread *next_free;
	lc_lock *pending;   /* looked up by before-lock, reused by after-lock */
	uintptr_t pending_addr; /* before-lock's chain key for this lock... */
	uint64_t pending_chain; /* ...reused by after-lock */
	const struct lc_clock *clock; /* create/join position (clock.h) */
	_Atomic uint64_t index_reading; /* keyindex.h: epoch of its lock-free
					 * lookups under way, or 0 */
	uint64_t chain_cache[LC_CHAIN_CACHE];
	lc_held held[LC_MAX_HELD];
	uint32_t held_set[LC_MAX_HELD]; /* scratch of lc_order_check */
	uint32_t class_set[LC_MAX_HELD]; /* scratch of lc_order_check */
	lc_sleep sleep;          /* in a semaphore or barrier wait now */
	uintptr_t call_cfa;      /* the lock call's caller frame, set on the
				  * before-lock slow path (stack.h) */
	struct lc_stack_share *stack_share; /* stack.h, made on first use */
	/* Steering mode (steer.h): the edges this acquisition matched, the
	 * instance held for each, the instance wanted. */
	uint16_t steer_edges;
	uint8_t steer_timeouts[LC_STEER_EDGES]; /* pauses that ran out */
	uintptr_t steer_wanted;
	uintptr_t steer_held[LC_STEER_EDGES];
} lc_thread;

/* The thread's record and its re-entry guard, in one initial-exec TLS
 * block: a shared library reaches TLS through one GOT load per variable, and
 * the hot path reads both. */
typedef struct lc_tls_block {
	lc_thread *thread;
	int guard;
} lc_tls_block;
extern __thread lc_tls_block lc_tls __attribute__((tls_model("initial-exec")));
#define lc_tls_thread (lc_tls.thread)
#define lc_tls_guard (lc_tls.guard)

/* Prepares thread bookkeeping (the key whose destructor recycles states).
 * 0 or -1. Called once from lc_init. */
int lc_thread_init(void);
/* The calling thread's state, created on first use; NULL if out of memory.
 * Call with the guard set. */
lc_thread *lc_thread_self(void);
/* Called when the thread ends: its state goes back to the free list. */
void lc_thread_release(lc_thread *t);
/* The first of every thread record ever made (alive or recycled); follow
 * next_all. Records are never freed, so walking them racily is safe. */
lc_thread *lc_thread_all(void);
/* The live record of the thread with this pthread_t, or NULL. */
lc_thread *lc_thread_by_handle(uintptr_t handle);
/* The live record of thread id, or NULL. */
lc_thread *lc_thread_by_id(uint32_t id);
/* Fork: take the free-list lock before fork, release it in parent and child. */
void lc_thread_fork_prepare(void);
void lc_thread_fork_release(void);

/* Chain key of `prev` extended by lock id. */
static inline uint64_t lc_chain_mix(uint64_t prev, uint32_t id)
{
	uint64_t h = (prev ^ id) * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29) ^ 1; /* never 0: 0 marks an empty cache slot */
}

/* Was this chain key seen by the thread? */
static inline int lc_chain_seen(const lc_thread *t, uint64_t key)
{
	return t->chain_cache[key & (LC_CHAIN_CACHE - 1)] == key;
}

/* Remembers a chain key (direct-mapped: a colliding key evicts the old one,
 * which then merely takes the slow path again). */
static inline void lc_chain_remember(lc_thread *t, uint64_t key)
{
	t->chain_cache[key & (LC_CHAIN_CACHE - 1)] = key;
}

/* Index of the held entry for addr (searching from the top), or -1. */
static inline int lc_held_find(const lc_thread *t, uintptr_t addr)
{
	for (int i = (int)t->n_held - 1; i >= 0; i--)
		if (t->held[i].addr == addr)
			return i;
	return -1;
}

/* The chain-key contribution of acquiring lock in a mode: a read and a write
 * acquisition of one rwlock are different steps. */
static inline uint32_t lc_chain_step(const lc_lock *lock, int shared)
{
	return lock->id << 1 | (shared != 0);
}

/* Over capacity: counts the acquisition as untracked (said once). */
void lc_held_overflow(lc_thread *t);

/* The id of a held entry's lock: its record's, or its tag's, or for a lock
 * without a tag its address's live record's; 0 if none is known. */
static inline uint32_t lc_held_id(const lc_held *h)
{
	if (h->lock)
		return h->lock->id;
	return h->tag ? lc_registry_tag_id(h->tag)
		      : lc_registry_live_id(h->addr);
}

/* The chain key through entry i, from the key below it; 0 if unknown. */
static inline uint64_t lc_held_chain_at(const lc_thread *t, uint32_t i)
{
	uint64_t prev = i ? t->held[i - 1].chain : 0;
	uint32_t id = lc_held_id(&t->held[i]);
	if (!id || (i && !prev))
		return 0;
	return lc_chain_mix(prev, id << 1 | t->held[i].shared);
}

/* Pushes an acquisition; lock may be NULL (resolved later); chain: its
 * chain key if the caller knows it, else 0. Returns the entry or NULL when
 * over capacity. */
static inline lc_held *lc_held_push(lc_thread *t, lc_lock *lock,
				    uintptr_t addr, uintptr_t pc, int shared,
				    uintptr_t *tag, lc_lock_type type,
				    int recursive, uint64_t chain)
{
	if (__builtin_expect(t->n_held >= LC_MAX_HELD, 0)) {
		lc_held_overflow(t);
		return NULL;
	}
	lc_held *h = &t->held[t->n_held];
	h->lock = lock;
	h->addr = addr;
	h->pc = pc;
	h->tag = tag;
	h->type = (uint8_t)type;
	h->recursive = (uint8_t)(recursive != 0);
	h->stack = 0;
	h->depth = 0;
	h->shared = (uint8_t)(shared != 0);
	h->chain = chain ? chain : lc_held_chain_at(t, t->n_held);
	t->unresolved += !lock;
	t->n_held++;
	return h;
}

/* The chain key of the whole held sequence (n_held > 0), filling in the
 * unknown keys from the entries' ids where it can; 0 if some id is not
 * known. */
static inline uint64_t lc_held_top_chain(lc_thread *t)
{
	uint64_t c = t->held[t->n_held - 1].chain;
	if (__builtin_expect(c != 0, 1))
		return c;
	for (uint32_t i = 0; i < t->n_held; i++)
		if (!t->held[i].chain &&
		    !(t->held[i].chain = lc_held_chain_at(t, i)))
			return 0;
	return t->held[t->n_held - 1].chain;
}

/* Looks up the lock of every unresolved held entry of the calling thread
 * (tagging it: the thread holds it, so its memory is live) and recomputes
 * the chain keys. An entry whose lock cannot be had (out of memory) is
 * dropped, as an untracked acquisition. Guard set. */
void lc_held_resolve(lc_thread *t);
/* The lock of a held entry, resolved or not (not tagging: for another
 * thread's entries, read racily). NULL if it cannot be had. */
static inline lc_lock *lc_held_lock(const lc_held *h)
{
	return h->lock ? h->lock
		       : lc_registry_get(h->addr, (lc_lock_type)h->type,
					 h->recursive, h->pc, NULL);
}
/* Is some live thread in lock-free index lookups that began before
 * `epoch` (keyindex.h's quiescence callback)? Lock-free. */
int lc_thread_index_readers_before(uint64_t epoch);
/* Threads seen so far (ids are 1..count), and the lock acquisitions all of
 * them made (racy sums of per-thread counters: for the end event). */
uint32_t lc_thread_count(void);
uint64_t lc_thread_lock_calls(void);
/* ... of one kind of lock (lc_lock_type). */
uint64_t lc_thread_lock_calls_of(unsigned type);
/* Fork child: the counters start again (the parent reports its own). */
void lc_thread_reset_counters(void);
/* Records the name the calling thread has given itself (prctl or
 * pthread_setname_np), if any. A system call: slow paths only. */
void lc_thread_note_name(lc_thread *t);
/* Records the name another live thread t has now, read from
 * /proc/self/task/<tid>/comm (for dumps and deadlock reports, which speak
 * of blocked threads). A file read: report paths only. */
void lc_thread_refresh_name(lc_thread *t);
/* The name thread id gave itself, or NULL. */
const char *lc_thread_name(uint32_t id);
/* The calling thread is one of the shim's own (the dump and detector
 * threads): not a thread of the program (detect_asleep.h counts the
 * program's). At most LC_OWN_THREADS. */
#define LC_OWN_THREADS 4
void lc_thread_own_enter(void);
/* Is kernel thread tid one of the shim's own? Lock-free. */
int lc_thread_is_own(int tid);
/* Fork child: the shim's own threads are gone; the forking thread's record
 * takes its new kernel thread id and is not asleep. */
void lc_thread_fork_child(void);
/* Removes entry i (any position) and recomputes the chain keys above it. */
void lc_held_remove(lc_thread *t, int i);

#endif
