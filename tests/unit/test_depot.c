/*
 * test_depot.c: the stack depot, the core's one fixed-size table, at and
 * past its capacity.
 *
 * It is filled with LC_DEPOT_STACKS distinct (synthetic) stacks and one
 * more: every stack kept gets its id in order and is found again by its
 * frames and by its id; the one past capacity gets no id, and the limit is
 * said once (the stack-depot limit), never before the depot is full. The
 * synthetic return addresses step by 16 and 8 bytes, as call sites in
 * aligned code do, which once left the depot's buckets mostly empty and its
 * chains 16 times too long (bucket_of in stack.c).
 */
#include <stdint.h>

#include "arena.h"
#include "check.h"
#include "limit.h"
#include "stack.h"

/* A distinct synthetic stack per i: two frames, as if code addresses. */
static void stack_of(uint32_t i, uintptr_t pcs[2])
{
	pcs[0] = (uintptr_t)0x400000 + (uintptr_t)i * 16;
	pcs[1] = (uintptr_t)0x7f1000000000ull - (uintptr_t)i * 8;
}

static void check_depot(void)
{
	uintptr_t pcs[2];
	int kept = 1, found = 1;
	for (uint32_t i = 0; i < LC_DEPOT_STACKS; i++) {
		stack_of(i, pcs);
		kept &= lc_stack_intern(pcs, 2) == i + 1;
	}
	CHECK(kept, "the depot keeps 1,048,576 distinct stacks, ids in order");
	CHECK(!lc_limit_was_reached(LC_LIMIT_STACK_DEPOT),
	      "no limit said while the depot has room");
	stack_of(LC_DEPOT_STACKS, pcs);
	CHECK(lc_stack_intern(pcs, 2) == 0 && lc_stack_intern(pcs, 2) == 0,
	      "a stack past the depot's capacity gets no id");
	CHECK(lc_limit_was_reached(LC_LIMIT_STACK_DEPOT),
	      "the full depot is said as the stack-depot limit");
	for (uint32_t i = 0; i < LC_DEPOT_STACKS; i += 7) {
		stack_of(i, pcs);
		unsigned depth;
		const uintptr_t *got = lc_stack_get(i + 1, &depth);
		found &= lc_stack_intern(pcs, 2) == i + 1 && got && depth == 2 &&
			 got[0] == pcs[0] && got[1] == pcs[1];
	}
	CHECK(found, "every stack kept is found again, by frames and by id");
	CHECK(lc_stack_count() == LC_DEPOT_STACKS, "the count stops at capacity");
}

int main(void)
{
	if (lc_arena_init() || lc_stack_init()) {
		printf("FAIL - core init\n");
		return 1;
	}
	check_depot();
	CHECK_DONE();
}
