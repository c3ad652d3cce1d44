/*
 * detect_rank.c: ranks and the order file against the held stack (see
 * detect_rank.h).
 *
 * A lock's place in the order file is looked up once (it needs the lock's
 * identity, which needs the symbol tables) and kept in its record: its
 * class key first ("@function+0x1f"), then, for an anonymous lock, the
 * function alone ("@function"), which stands for every class made there;
 * each readable (C++ demangled), then raw (mangled).
 */
#include "detect_rank.h"

#include <stdio.h>

#include "describe.h"
#include "detect_misuse.h"
#include "order_file.h"

/* The lock's 1-based line in the order file, or -1. Each key is tried in
 * its readable form, then in its raw one (a C++ name as the symbol table
 * writes it), so a file may name a lock either way. */
static int32_t order_position(lc_lock *l)
{
	int32_t pos = atomic_load_explicit(&l->order_pos, memory_order_relaxed);
	if (pos != 0)
		return pos;
	lc_lock_view v;
	char key[LC_ORDER_KEY_MAX];
	lc_describe_lock(l, &v);
	pos = lc_order_file_position(v.class_key);
	if (pos < 0 && v.class_key_symbol[0])
		pos = lc_order_file_position(v.class_key_symbol);
	/* "@function": every class made in that function (the form
	 * before classes were precise to the call site). */
	for (int raw = 0; raw < 2 && pos < 0; raw++) {
		lc_describe_order_key_function(&v, raw, key, sizeof key);
		if (key[0])
			pos = lc_order_file_position(key);
	}
	atomic_store_explicit(&l->order_pos, pos, memory_order_relaxed);
	return pos;
}

void lc_rank_check(lc_thread *t, lc_lock *lock, uintptr_t pc)
{
	uint32_t rank = atomic_load(&lock->rank);
	int32_t pos = lc_order_file_active() ? order_position(lock) : -1;
	if (rank == 0 && pos < 0)
		return;
	for (uint32_t i = 0; i < t->n_held; i++) {
		lc_held *h = &t->held[i];
		if (h->lock == lock || (h->addr & 1)) /* abandoned: event.c */
			continue;
		char why[256];
		uint32_t held_rank = atomic_load(&h->lock->rank);
		if (rank && held_rank &&
		    (held_rank > rank || (held_rank == rank && h->addr > lock->addr))) {
			if (held_rank > rank)
				snprintf(why, sizeof why, "rank %u after rank %u",
					 rank, held_rank);
			else
				snprintf(why, sizeof why, "equal ranks %u, taken "
					 "against address order", rank);
			lc_misuse_order_violation(t, (int)i, lock, why, pc);
			continue;
		}
		int32_t held_pos = pos > 0 ? order_position(h->lock) : -1;
		if (pos > 0 && held_pos > pos) {
			snprintf(why, sizeof why,
				 "order file: %s (line %d) before %s (line %d)",
				 lc_order_file_identity(pos), pos,
				 lc_order_file_identity(held_pos), held_pos);
			lc_misuse_order_violation(t, (int)i, lock, why, pc);
		}
	}
}
