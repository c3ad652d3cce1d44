/*
 * test_tables.c: the core's growing tables keep every entry across growth.
 *
 * The registry (address -> lock record), its id directory, the edge index
 * and the held-set intern table all start small and double as they fill; no
 * capacity of theirs drops data. These checks fill each far past several
 * doublings and look every entry up again: the registry with 300,000 locks
 * (then destroys and re-creates part of them, which must give new
 * identities), the edge index with 200,000 edges (then retires the edges
 * of destroyed locks over many rounds, as a program that makes and destroys
 * locks under a long-lived one does), the held-set table with 100,000
 * distinct sets.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "context.h"
#include "graph.h"
#include "registry.h"

#define N_LOCKS 300000u
#define N_EDGES 200000u
#define N_SETS 100000u

/* Fake lock addresses: 48 apart, as malloc hands out small blocks. */
static uintptr_t addr_of(uint32_t i)
{
	return (uintptr_t)0x7f0000000000ull + (uintptr_t)i * 48;
}

static void check_registry(lc_lock **locks)
{
	int created = 1, found = 1, by_id = 1;
	for (uint32_t i = 0; i < N_LOCKS; i++) {
		locks[i] = lc_registry_create(addr_of(i), LC_TYPE_MUTEX, 0,
					      0x1000 + i, NULL);
		created &= locks[i] != NULL && locks[i]->addr == addr_of(i);
	}
	CHECK(created, "300,000 locks get records");
	for (uint32_t i = 0; i < N_LOCKS; i++) {
		found &= lc_registry_find(addr_of(i)) == locks[i];
		found &= lc_registry_get(addr_of(i), LC_TYPE_MUTEX, 0, 0, NULL) ==
			 locks[i];
		by_id &= lc_registry_by_id(locks[i]->id) == locks[i];
	}
	CHECK(found, "every record is found by address after the table grew");
	CHECK(by_id, "every record is found by id");
	CHECK(lc_registry_count() >= N_LOCKS, "the count covers them");

	/* Destroy every third lock; its next use is a new identity. */
	int gone = 1, renewed = 1, kept = 1;
	for (uint32_t i = 0; i < N_LOCKS; i += 3) {
		lc_registry_destroy(addr_of(i));
		gone &= lc_lock_destroyed(locks[i]) &&
			lc_registry_find(addr_of(i)) == NULL;
	}
	CHECK(gone, "a destroyed lock is no longer found");
	for (uint32_t i = 0; i < N_LOCKS; i++) {
		lc_lock *r = lc_registry_get(addr_of(i), LC_TYPE_MUTEX, 0, 0, NULL);
		if (i % 3 == 0)
			renewed &= r && r != locks[i] && r->id > locks[i]->id &&
				   !lc_lock_destroyed(r);
		else
			kept &= r == locks[i];
	}
	CHECK(renewed, "a destroyed lock's address starts a new record");
	CHECK(kept, "the other records are untouched");
}

static void check_edges(lc_lock **locks)
{
	int added = 1, found = 1, absent = 1;
	/* Pairs (i, i + 1 + j) in id order: no cycle, distinct edges. */
	for (uint32_t n = 0; n < N_EDGES; n++) {
		uint32_t i = 1 + (n / 8) * 3, j = n % 8;
		lc_edge *e = lc_graph_add_edge(locks[i], locks[i + 1 + 3 * j]);
		added &= e != NULL && !e->inverted;
	}
	CHECK(added, "200,000 edges are added, none against the order");
	for (uint32_t n = 0; n < N_EDGES; n++) {
		uint32_t i = 1 + (n / 8) * 3, j = n % 8;
		lc_edge *e = lc_graph_find_edge(locks[i], locks[i + 1 + 3 * j]);
		found &= e && e->from == locks[i] && e->to == locks[i + 1 + 3 * j];
		absent &= lc_graph_find_edge(locks[i + 1 + 3 * j], locks[i]) == NULL;
	}
	CHECK(found, "every edge is found after the index grew");
	CHECK(absent, "no reversed edge is found");
	CHECK(lc_graph_edge_count() == N_EDGES, "the edge count is exact");
}

/* Churn: an outer lock gets an edge to each of many short-lived locks,
 * each destroyed and folded right after. Every live edge stays findable,
 * no folded one is found, the index reuses its room, and the folded edges
 * and records are freed (a lock only ever taken last needs no bypass). */
static void check_retire(lc_lock **locks)
{
	lc_lock *outer = locks[2];
	int live_found = 1, retired_gone = 1, added = 1;
	uint32_t edges_before = lc_graph_edge_count();
	uint32_t live_before = lc_registry_live();
	for (uint32_t round = 0; round < 200000; round++) {
		uintptr_t addr = (uintptr_t)0x7e0000000000ull + (round % 64) * 64;
		lc_lock *l = lc_registry_create(addr, LC_TYPE_MUTEX, 0, 0x2000, NULL);
		lc_edge *e = l ? lc_graph_add_edge(outer, l) : NULL;
		added &= e != NULL;
		live_found &= lc_graph_find_edge(outer, l) == e;
		lc_lock *gone = lc_registry_destroy(addr);
		retired_gone &= gone == l && gone;
		if (gone)
			lc_graph_fold(gone);
		retired_gone &= lc_graph_find_edge(outer, l) == NULL ||
				l->addr != addr;
	}
	CHECK(added, "200,000 short-lived locks get their edge");
	CHECK(live_found, "each is found while its lock lives");
	CHECK(retired_gone, "and not once the lock is destroyed");
	CHECK(lc_graph_edge_count() == edges_before,
	      "the folded edges are freed: the edge count is back where it was");
	CHECK(lc_registry_live() == live_before,
	      "and so are the folded records");
	int old_found = 1;
	for (uint32_t n = 0; n < N_EDGES; n += 997) {
		uint32_t i = 1 + (n / 8) * 3, j = n % 8;
		old_found &= lc_graph_find_edge(locks[i], locks[i + 1 + 3 * j]) != NULL;
	}
	CHECK(old_found, "the long-lived locks' edges survive the churn");
	/* The churn's 200,000 ids are retired: the walk over every record
	 * (the exit graph event's) skips the directory chunks of 65,536 ids
	 * that lie wholly among them (two here: 131,072 ids), and still
	 * visits every live lock. */
	uint32_t visited = 0, live_seen = 0;
	for (uint32_t id = lc_registry_next_id(0); id;
	     id = lc_registry_next_id(id)) {
		visited++;
		lc_lock *l = lc_registry_by_id(id);
		live_seen += l != NULL;
	}
	CHECK(visited <= lc_registry_count() - 131072 &&
		      live_seen == lc_registry_live(),
	      "a walk over the records skips the churn's retired ids");
}

/* A destroyed mutex that no edge names gives its record back: the next new
 * lock gets that memory under a new id, the old id and address name
 * nothing, and looking the old address up makes a record of its own. */
static void check_recycle(void)
{
	uintptr_t a = (uintptr_t)0x7d0000000000ull, b = a + 4096;
	lc_lock *old = lc_registry_create(a, LC_TYPE_MUTEX, 0, 0x3000, NULL);
	uint32_t old_id = old ? old->id : 0;
	lc_lock *gone = lc_registry_destroy(a);
	if (gone)
		lc_registry_recycle(gone);
	lc_lock *fresh = lc_registry_create(b, LC_TYPE_MUTEX, 0, 0x3001, NULL);
	CHECK(old && gone == old && fresh == old && fresh->id > old_id &&
		      fresh->addr == b && !lc_lock_destroyed(fresh),
	      "a destroyed mutex's record is reused, under a new id");
	CHECK(lc_registry_by_id(old_id) == NULL &&
		      lc_registry_by_id(fresh->id) == fresh,
	      "its old id names nothing");
	lc_lock *again = lc_registry_get(a, LC_TYPE_MUTEX, 0, 0x3002, NULL);
	CHECK(lc_registry_find(b) == fresh && again && again != fresh &&
		      again->addr == a,
	      "its old address starts a record of its own");
	/* A rwlock's record is reused too (glibc destroys a held one: a
	 * thread that still holds it has an entry whose address no longer
	 * matches the record, which the order check skips). */
	lc_lock *rw = lc_registry_create(a + 8192, LC_TYPE_RWLOCK, 0, 0x3003, NULL);
	uint32_t rw_id = rw ? rw->id : 0;
	gone = lc_registry_destroy(a + 8192);
	if (gone)
		lc_registry_recycle(gone);
	lc_lock *next = lc_registry_create(a + 12288, LC_TYPE_MUTEX, 0, 0x3004, NULL);
	CHECK(rw && next == rw && lc_registry_by_id(rw_id) == NULL &&
		      next->addr == a + 12288,
	      "a destroyed rwlock's record is reused, under a new id");
}

static void check_heldsets(void)
{
	static const lc_heldset *sets[N_SETS];
	int distinct = 1, same = 1;
	for (uint32_t i = 0; i < N_SETS; i++) {
		uint32_t items[2] = { 2 * i, 2 * i + 3 };
		sets[i] = lc_heldset_intern(items, 2, lc_heldset_hash(items, 2));
		distinct &= sets[i] != NULL && (i == 0 || sets[i] != sets[i - 1]);
		/* As if a context named it (an unnamed set is freed at the
		 * next intern). */
		if (sets[i])
			((lc_heldset *)sets[i])->refs++;
	}
	CHECK(distinct, "100,000 distinct held sets are interned");
	for (uint32_t i = 0; i < N_SETS; i++) {
		uint32_t items[2] = { 2 * i, 2 * i + 3 };
		same &= lc_heldset_intern(items, 2, lc_heldset_hash(items, 2)) ==
			sets[i];
	}
	CHECK(same, "each set is found again, as the same pointer");
}

int main(void)
{
	if (lc_arena_init() || lc_registry_init() || lc_graph_init()) {
		printf("FAIL - core init\n");
		return 1;
	}
	lc_lock **locks = calloc(N_LOCKS, sizeof *locks);
	if (!locks)
		return 1;
	check_registry(locks);
	/* Edges between records that are live. */
	for (uint32_t i = 0; i < N_LOCKS; i++)
		if (lc_lock_destroyed(locks[i]))
			locks[i] = lc_registry_get(addr_of(i), LC_TYPE_MUTEX, 0,
						   0, NULL);
	check_edges(locks);
	check_retire(locks);
	check_recycle();
	check_heldsets();
	free(locks);
	CHECK_DONE();
}
