/*
 * stack.h: stack capture (libunwind) and the stack depot.
 *
 * A stack is captured only when something new is learned (a new edge, a
 * finding), never per lock operation, unless the user asks for full stacks of
 * every acquisition (full_stacks=1). Frames inside the shim are dropped, so a
 * stack starts at the program's call to the lock function. Stacks are interned
 * once in the depot and named by a small id; identical stacks share an id.
 * Depot lookups are lock-free (entries are published with release stores and
 * never removed); inserts take the depot's own lock.
 *
 * Capacity policy: LC_DEPOT_STACKS stacks; beyond that, new stacks are not
 * kept (id 0, shown as "<no stack>"), said once on stderr.
 */
#ifndef LC_STACK_H
#define LC_STACK_H

#include <stdint.h>

#include "regs.h"

#define LC_STACK_MAX 64
#define LC_DEPOT_STACKS ((uint32_t)1 << 20)
/* Number of distinct stacks kept so far. */
uint32_t lc_stack_count(void);

/* Finds the shim's own code range and allocates the depot. 0 or -1. */
int lc_stack_init(void);
/* Captures the calling thread's stack into pcs (at most max frames, and at
 * most the stack_depth option), shim frames dropped. Returns the depth.
 * Thread safe, no locks, no malloc (libunwind's local unwinder). */
unsigned lc_stack_capture(uintptr_t *pcs, unsigned max);
/* Walks the stack of a thread asleep below the frame whose registers were
 * saved in regs (regs.h), from another thread: the same frames the sleeper
 * would capture, shim frames dropped. Reads of the sleeper's stack are
 * checked (a thread that woke meanwhile gives a wrong stack, never a
 * fault). 0 when regs were not saved. */
unsigned lc_stack_capture_regs(const lc_regs *regs, uintptr_t *pcs,
			       unsigned max);
/* Interns a stack; returns its id (>= 1), or 0 when the depot is full. */
uint32_t lc_stack_intern(const uintptr_t *pcs, unsigned depth);
/* The calling thread's stack, captured and interned; when no frame could
 * be walked, the single frame pc (the call site), if nonzero. Returns its
 * id, or 0. Capture outside the core's locks (the depot has its own). */
uint32_t lc_stack_here(uintptr_t pc);
/*
 * Sharing a stack between captures from one call. A program that makes
 * many new lock-order edges (new lock instances, many locks) makes most of
 * them from a few calls, each time walking the same stack. A thread keeps,
 * per call (the call site pc, and cfa: the caller's stack pointer at the
 * call, so the return address to pc lies at cfa - 8), the stack it walked
 * and where each of its return addresses lay. A later capture from the
 * same call is the same stack, and takes its id without a walk, when every
 * one of those return addresses is still in its place: the walk
 * finds each frame's return address through the frame below it (its
 * position follows from the frame's stack pointer and the unwind tables of
 * the code at the return address below), so the same return addresses at
 * the same places from the same start are the same walk. The places are
 * learnt by a stepped walk, made the second time a call is seen (a call
 * seen once may never come back); a walk through a signal frame is never
 * shared. x86-64 only (elsewhere: a plain capture every time).
 */
typedef struct lc_stack_share lc_stack_share;
/* lc_stack_here for a lock call whose caller's frame is at cfa (0: not
 * known), sharing the stack as above; *share is the calling thread's table
 * (made on first use, NULL when out of memory: then a plain capture). */
uint32_t lc_stack_here_at(lc_stack_share **share, uintptr_t pc,
			  uintptr_t cfa);
/* The frames of stack id; NULL (depth 0) for id 0 or an unknown id. */
const uintptr_t *lc_stack_get(uint32_t id, unsigned *depth);
/* Is pc inside the shim's own code? */
int lc_stack_pc_in_shim(uintptr_t pc);
/* Fork: take the depot lock before fork, release it in parent and child. */
void lc_stack_fork_prepare(void);
void lc_stack_fork_release(void);

#endif
