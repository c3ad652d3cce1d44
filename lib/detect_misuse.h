/*
 * detect_misuse.h: lock API misuse findings (double-lock, bad-unlock,
 * destroy-locked, cond-wait-unheld, held-at-exit, invalid-use, reinit,
 * cond-misuse), and acquisitions against
 * a declared order (order-violation), which have the same shape.
 *
 * event.c decides that a misuse happened (it owns the thread's held stack);
 * these functions describe it, each problem once per site (the lock's
 * identity and the call sites involved), and write it. Each captures the
 * current stack, takes the graph lock to write, and keeps errno. Called with
 * the guard set. The program's own behaviour is never changed here: the real
 * call still happens and returns what it returns.
 */
#ifndef LC_DETECT_MISUSE_H
#define LC_DETECT_MISUSE_H

#include <stdint.h>

#include "thread.h"

/* Prove that a blocking acquisition of `lock` does not relock a lock the
 * thread holds: t->held[held] is the hold it would wait for. Error. */
void lc_misuse_double_lock(lc_thread *t, int held, lc_lock *lock, uintptr_t pc);
/* Unlock of `lock`, which t does not hold. Error. */
void lc_misuse_bad_unlock(lc_thread *t, lc_lock *lock, uintptr_t pc);
/* Destroy of a held lock: t->held[held] when t holds it, else held < 0 (the
 * real destroy said it is busy). Error. */
void lc_misuse_destroy_locked(lc_thread *t, int held, lc_lock *lock,
			      uintptr_t pc);
/* The memory of `old`, which t holds as t->held[held], became a new lock
 * while it was held: initialised again (reused 0), or reused without init
 * or destroy and now taken again (reused 1). The old lock was abandoned
 * while held: a destroy-locked finding with detail "reinitialised" or
 * "reused". Error. */
void lc_misuse_abandoned(lc_thread *t, int held, lc_lock *old, int reused,
			 uintptr_t pc);
/* A condition wait with `mutex`, which t does not hold. Error. */
void lc_misuse_cond_wait_unheld(lc_thread *t, lc_lock *mutex, uintptr_t pc);
/* t takes `lock` while holding t->held[held], against the declared order
 * (ranks or the order file); why: the rule it breaks, in a few words.
 * Error. */
void lc_misuse_order_violation(lc_thread *t, int held, lc_lock *lock,
			       const char *why, uintptr_t pc);
/* A lock, unlock or wait (`what`: "locks", "unlocks", "waits on") on obj,
 * a lock or condition variable that was destroyed (destroyed 1) or never
 * initialised (0); init_pc/destroy_pc: where, when known (else 0).
 * invalid-use, detail "destroyed" or "uninitialised". Error. */
void lc_misuse_invalid_use(lc_thread *t, lc_lock *obj, const char *what,
			   int destroyed, uintptr_t init_pc,
			   uintptr_t destroy_pc, uintptr_t pc);
/* An init of obj while it is provably in use (why: how, in a few words):
 * thread `user` did `use` ("acquired", "waits on") at user_pc (0 when
 * unknown); init_pc: its previous init, if known. reinit. Error. */
void lc_misuse_reinit(lc_thread *t, lc_lock *obj, const char *why,
		      const char *use, uint32_t user, uintptr_t user_pc,
		      uintptr_t init_pc, uintptr_t pc);
/* A destroy of condition variable cond while `waiters` threads wait on it
 * (one of them, `waiter`, at wait_pc). cond-misuse, detail
 * "destroyed-with-waiters". Error. */
void lc_misuse_cond_destroy_waited(lc_thread *t, lc_lock *cond,
				   unsigned waiters, uint32_t waiter,
				   uintptr_t wait_pc, uintptr_t init_pc,
				   uintptr_t pc);
/* A wait on cond with mutex while thread other_thread waits on it with
 * other (NULL when its record cannot be had) at other_pc. cond-misuse,
 * detail "two-mutexes". Error. */
void lc_misuse_cond_two_mutexes(lc_thread *t, lc_lock *cond, lc_lock *mutex,
				lc_lock *other, uint32_t other_thread,
				uintptr_t other_pc, uintptr_t pc);
/* Thread t ends while holding t->held[0..n_held). Warning. */
void lc_misuse_held_at_exit(lc_thread *t, uintptr_t pc);

#endif
