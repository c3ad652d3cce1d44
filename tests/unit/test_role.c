/*
 * test_role.c: thread roles (role.h), what a thread is across processes.
 *
 * One (routine, site) is one role however many threads run it; a role
 * counts the most of its threads alive at once (a pool); two sites of one
 * routine are two roles; std::thread's libstdc++ routine is seen through to
 * the callable's _M_run only when the site is std::thread's own; a fork
 * child's live counts restart from the forking thread; and past
 * LC_MAX_ROLES, threads share LC_ROLE_OTHER (said as a limit).
 */
#include <stdint.h>

#include "check.h"
#include "limit.h"
#include "role.h"

static void *routine_x(void *arg) { return arg; }
static void *routine_y(void *arg) { return arg; }

int main(void)
{
	uintptr_t x = (uintptr_t)routine_x, y = (uintptr_t)routine_y;
	uint32_t a = lc_role_enter(x, 0x1000);
	uint32_t b = lc_role_enter(x, 0x1000);
	CHECK(a == b && a >= LC_ROLE_FIRST, "one routine and site: one role");
	CHECK(lc_role_get(a)->live == 2 && lc_role_get(a)->max_live == 2,
	      "two threads of it alive at once: a pool");
	lc_role_leave(a);
	lc_role_leave(b);
	uint32_t c = lc_role_enter(x, 0x1000);
	CHECK(lc_role_get(c)->max_live == 2 && lc_role_get(c)->threads == 3,
	      "max_live remembers the most at once; threads counts all");
	lc_role_leave(c);

	uint32_t d = lc_role_enter(x, 0x2000), e = lc_role_enter(y, 0x1000);
	CHECK(d != a && e != a && d != e,
	      "another site, or another routine: another role");
	lc_role_leave(d);

	lc_role_fork_prepare();
	lc_role_fork_child(e);
	CHECK(lc_role_get(e)->live == 1 && lc_role_get(a)->live == 0,
	      "a fork child's only running thread is the forker");
	lc_role_leave(e);

	/* A pointer that is no std::thread state: the routine stays. */
	int not_a_state = 0;
	CHECK(lc_role_routine(x, &not_a_state, 0x1000) == x,
	      "a site outside std::thread keeps the start routine");

	lc_role_enter_id(LC_ROLE_MAIN);
	CHECK(lc_role_get(LC_ROLE_MAIN)->live == 1, "the main thread counts in");

	uint32_t last = 0;
	for (uintptr_t site = 0x10000; lc_role_count() < LC_MAX_ROLES; site++)
		last = lc_role_enter(x, site);
	CHECK(last == LC_MAX_ROLES - 1 && !lc_limit_was_reached(LC_LIMIT_THREAD_ROLES),
	      "roles up to LC_MAX_ROLES are distinct");
	CHECK(lc_role_enter(y, 0x99) == LC_ROLE_OTHER &&
		      lc_limit_was_reached(LC_LIMIT_THREAD_ROLES),
	      "past the table, threads share the role other, said once");
	CHECK_DONE();
}
