/*
 * objtable.h: what the core knows of condition variables and of destroyed
 * locks, by address.
 *
 * For a condition variable: who waits on it, with which mutex, and whether
 * it was initialised or destroyed. For a destroyed lock (whose registry
 * record is gone: registry.h): where it was created and destroyed, so that
 * a later use of it (invalid-use) can say so. A use after destroy is told
 * by the lock's memory (glibc's or the shim's destroyed mark, glibc_layout.h),
 * never by this table alone: the memory may be a new object since.
 *
 * A condition variable is no lock: it has no record in the registry and no
 * place in the graph, and glibc's pthread_cond_t has no spare word for a
 * tag. So it is kept by address in a table of its own, touched only by
 * init, destroy and the waits (each of which is a futex call anyway),
 * never by a lock operation. What it answers: a destroy while threads wait
 * (glibc >= 2.25 then blocks in destroy for ever), a wait with a second
 * mutex while others wait with a first, a wait on a destroyed variable, an
 * init of a live one.
 *
 * Capacity policy: a fixed table (LC_OBJ_BUCKETS buckets of
 * LC_OBJ_WAYS entries, mapped once, pages touched as used). A full
 * bucket forgets a destroyed entry first, then one nobody waits on; an
 * entry forgotten only loses checks (never makes a finding). Entries with
 * waiters are never forgotten: a bucket whose every entry has waiters
 * tracks no further variable until one empties.
 */
#ifndef LC_OBJTABLE_H
#define LC_OBJTABLE_H

#include <stdint.h>

#define LC_OBJ_BUCKETS 1024
#define LC_OBJ_WAYS 8

/* A condition variable as the table knows it (a copy). */
typedef struct lc_obj_info {
	int known;            /* the table has an entry for it */
	int initialised;      /* by pthread_cond_init (not a static
			       * initialiser first used) */
	int destroyed;        /* destroyed, not initialised since */
	uint32_t waiters;     /* threads in a wait on it now */
	uintptr_t mutex;      /* the mutex its waiters use (waiters > 0) */
	uint32_t mutex_thread; /* a thread waiting with that mutex */
	uintptr_t mutex_pc;   /* ...and where it waits */
	uintptr_t init_pc;    /* call site of its init, or 0 */
	uintptr_t destroy_pc; /* call site of its destroy, or 0 */
} lc_obj_info;

/* Maps the table. 0 or -1. Called once from lc_init. */
int lc_objtable_init(void);
/* An init of cond: *before is what was known of it (a live, initialised
 * entry is a reinit). It is live and initialised from now on. */
void lc_objtable_init_at(uintptr_t cond, uintptr_t pc, lc_obj_info *before);
/* A destroy of cond: *before as it was. It is destroyed from now on
 * (when it had waiters, those still count until they leave). */
void lc_objtable_destroy(uintptr_t cond, uintptr_t pc, lc_obj_info *before);
/* Thread `thread` starts waiting on cond with mutex at pc: *before as it
 * was. marked: the memory carries glibc's destroyed mark; when it does not,
 * an entry that says destroyed is stale (the memory is a new, statically
 * initialised variable) and is live from now on. Returns 1 when counted as a waiter (then call lc_objtable_leave
 * when the wait returns), 0 when the table is full. */
int lc_objtable_enter(uintptr_t cond, uintptr_t mutex, uint32_t thread,
		      uintptr_t pc, int marked, lc_obj_info *before);
/* A counted wait on cond returned. */
void lc_objtable_leave(uintptr_t cond);
/* A lock at addr was destroyed: where it was created and destroyed. */
void lc_objtable_lock_destroyed(uintptr_t addr, uintptr_t init_pc,
				uintptr_t destroy_pc);
/* What the table knows of addr (info->known 0 when nothing). */
void lc_objtable_get(uintptr_t addr, lc_obj_info *info);
/* Fork: the table's bucket locks are free in the child (only the forking
 * thread exists, and it holds none outside the core). */
void lc_objtable_fork_child(void);

#endif
