/*
 * syncobj.h: the semaphores and barriers the program made, by address.
 *
 * Each unnamed semaphore (sem_init) and barrier (pthread_barrier_init) gets a
 * record: its kind, whether it is process-shared, its count, where it was
 * created and destroyed (call site and stack), the threads inside a wait on
 * it now, and for a barrier the arrivals since its init (so a destroy can
 * tell "threads wait in an unfinished round" from "the last round ended and
 * its threads are still leaving", which glibc allows).
 *
 * Lock-free throughout: sem_post is async-signal-safe, so a signal handler
 * may post while the interrupted thread is in here, and the table must also
 * survive fork at any point. A record's address is claimed with a CAS on an
 * empty slot; its fields are written by whoever moved its state to BUSY with
 * a CAS (init, destroy, a reuse), then published with a release store of the
 * new state. A reader that finds BUSY treats the object as unknown (no
 * finding), and one that loses a CAS skips the update and says the table
 * missed something (lc_syncobj_missed), which switches off the one check
 * that needs a complete table (never initialised). Nothing here spins.
 *
 * Slots are never emptied, so a probe stops at the first empty slot. The
 * table is mapped on first use (no malloc), and a fork child inherits it with
 * the rest of the memory, so objects initialised before a fork are known in
 * the child.
 *
 * Capacity policy: LC_SYNCOBJ_SLOTS slots. Up to 3/4 of them take new
 * addresses freely; from 3/4 to 7/8 a new object first reuses the slot of a
 * destroyed one on its probe path (that dead object is forgotten: a later
 * use of it is not reported), else takes an empty slot; beyond 7/8 it only
 * reuses, and when there is nothing to reuse it is not tracked: the
 * sync-objects limit, said once, and lc_syncobj_missed becomes true.
 */
#ifndef LC_SYNCOBJ_H
#define LC_SYNCOBJ_H

#include <stdatomic.h>
#include <stdint.h>

#define LC_SYNCOBJ_SLOTS ((uint32_t)1 << 16)

typedef enum lc_sync_kind { LC_SYNC_SEM = 1, LC_SYNC_BARRIER = 2 } lc_sync_kind;

/* lc_syncobj.state */
enum {
	LC_SYNCOBJ_BUSY = 0,      /* being written (or not yet published) */
	LC_SYNCOBJ_LIVE = 1,      /* initialised, not destroyed */
	LC_SYNCOBJ_DESTROYED = 2, /* destroyed, not initialised again */
	LC_SYNCOBJ_UNKNOWN = 3,   /* used without an init this process saw */
};

typedef struct lc_syncobj {
	_Atomic uintptr_t addr;     /* 0: empty slot */
	_Atomic uint32_t state;     /* LC_SYNCOBJ_* */
	uint32_t serial;            /* per-process, for reports (S1, B2) */
	uint8_t kind;               /* lc_sync_kind */
	uint8_t pshared;            /* another process may use it */
	uint32_t count;             /* barrier: its count; sem: initial value */
	_Atomic uint32_t waiters;   /* wait calls on it under way (a slot with
				     * waiters is never reused) */
	_Atomic uint64_t arrived;   /* barrier: waits begun since its init */
	uintptr_t init_pc, destroy_pc;
	uint32_t init_stack, destroy_stack; /* depot ids, 0: none */
	uint32_t init_thread, destroy_thread; /* thread ids, 0: unknown */
} lc_syncobj;

/* The record for addr, or NULL. Lock-free; the record may change state
 * under the caller (read its state once, then its fields). */
lc_syncobj *lc_syncobj_find(uintptr_t addr);
/* Claims the record for addr and leaves it BUSY for the caller to fill and
 * publish (lc_syncobj_publish): an existing record of addr whatever its state
 * (*prev says which; BUSY never: then NULL), else a new or reused slot
 * (*prev = LC_SYNCOBJ_BUSY). NULL when it cannot (table full, a concurrent
 * writer): the caller does not track this call. */
lc_syncobj *lc_syncobj_claim(uintptr_t addr, uint32_t *prev);
/* Publishes a claimed record in `state` (release). */
void lc_syncobj_publish(lc_syncobj *o, uint32_t state);
/* Moves a record from state `from` to BUSY; 0 if it was not in `from`. */
int lc_syncobj_acquire(lc_syncobj *o, uint32_t from);
/* A new serial, for an object that gets no record (a failed init). */
uint32_t lc_syncobj_serial(void);
/* Has the table missed an init (full, a race, a call it could not see)? */
int lc_syncobj_missed(void);
/* Records that an init went untracked. */
void lc_syncobj_miss(void);

#endif
