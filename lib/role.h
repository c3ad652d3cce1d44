/*
 * role.h: thread roles, what a thread is across processes.
 *
 * Per-process thread ids say nothing across the processes of a test suite:
 * thread 3 of one test is not thread 3 of another. A role is what a thread
 * is in the program: the main thread; or a thread started by
 * pthread_create/thrd_create, by its start routine and the call site that
 * started it (a pool started in a loop at one site is one role). The CLI
 * compares roles across processes (tools/suite.c): edges made by one role
 * that exists once per process cannot deadlock with each other; edges of
 * two roles, or of a role that ran several threads at once, can.
 *
 * A std::thread's start routine is libstdc++'s, the same for every thread,
 * and its call site too: its role is the function made for the callable it
 * runs (lc_role_routine).
 *
 * The thread's name is not part of the role: it is often set after the
 * thread starts, when it has made edges already, and per-instance names
 * ("worker-3") would split a pool into roles that each run once.
 *
 * Role ids: LC_ROLE_MAIN (the process's initial thread), LC_ROLE_OTHER (a
 * thread the shim did not see start: before it loaded, or by raw clone), and
 * from LC_ROLE_FIRST the started roles, in the order met.
 *
 * Capacity policy: LC_MAX_ROLES roles; the threads of later roles count as
 * LC_ROLE_OTHER (the thread-roles limit, said once): their edges then look
 * like one thread's, which can only turn a deadlock-possible into a warning
 * across processes, never the reverse within one.
 *
 * Locking: the role lock, taken at thread start and end only (never per
 * lock operation), held across fork like the core's other locks.
 */
#ifndef LC_ROLE_H
#define LC_ROLE_H

#include <stdint.h>

#define LC_ROLE_MAIN 0
#define LC_ROLE_OTHER 1
#define LC_ROLE_FIRST 2
#define LC_MAX_ROLES 4096

typedef struct lc_role {
	uintptr_t routine;   /* start routine, 0 for main/other */
	uintptr_t site;      /* return address in the creator's call */
	uint32_t live;       /* threads of the role running now */
	uint32_t max_live;   /* most at once */
	uint32_t threads;    /* threads started */
	uint32_t named_by;   /* a thread id of the role that had a name, or 0 */
} lc_role;

/* The routine that names a thread's role: its start routine, except for a
 * std::thread, which libstdc++ starts through one routine for all: then the
 * _M_run of the thread's state object arg, a function made per callable
 * type (the lambda or function it runs). Call before the routine runs. */
uintptr_t lc_role_routine(uintptr_t routine, const void *arg, uintptr_t site);
/* A thread of role (routine, site) starts: its role id. */
uint32_t lc_role_enter(uintptr_t routine, uintptr_t site);
/* A thread of the fixed role LC_ROLE_MAIN or LC_ROLE_OTHER starts. */
void lc_role_enter_id(uint32_t id);
/* A thread of role id ends. */
void lc_role_leave(uint32_t id);
/* A thread of role id has a name (thread.h's table, by thread id): the
 * role's name, for display. */
void lc_role_note_name(uint32_t id, uint32_t thread);
/* Role id, or NULL past the roles met. Racy reads, for the exit graph. */
const lc_role *lc_role_get(uint32_t id);
/* Roles met so far (ids 0 .. count-1). */
uint32_t lc_role_count(void);
/* Fork: hold the role lock across fork. In the child only the forking
 * thread runs: the live counts restart from it. */
void lc_role_fork_prepare(void);
void lc_role_fork_parent(void);
void lc_role_fork_child(uint32_t forker_role);

#endif
