/*
 * test_graph.c: the lock-order graph against brute force.
 *
 * Checks that an edge closes a cycle exactly when the target already reaches
 * the source (computed independently by a plain DFS over an adjacency
 * matrix), that the topological order invariant holds after every insert, and
 * that the shortest-path search finds cycles of every length from 2 to 200.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "graph.h"
#include "registry.h"

#define N_RANDOM 60

/* Stand-in lock objects, 64 bytes apart (UBSan found the test running past
 * an earlier, smaller array). */
#define LOCK_SLOTS 32768
static char lock_memory[LOCK_SLOTS * 64];
static unsigned next_slot;

static lc_lock *new_lock(void)
{
	if (next_slot >= LOCK_SLOTS)
		abort();
	return lc_registry_get((uintptr_t)&lock_memory[64 * next_slot++],
			       LC_TYPE_MUTEX, 0, 0, NULL);
}

static lc_edge *add(lc_lock *from, lc_lock *to)
{
	return lc_graph_add_edge(from, to);
}

/* Every edge outside the order is inverted; all others go up in ord. */
static int order_holds(lc_lock **locks, int n)
{
	for (int i = 0; i < n; i++)
		for (lc_edge *e = locks[i]->out; e; e = e->next_out)
			if (!e->inverted && e->from->ord >= e->to->ord)
				return 0;
	return 1;
}

static int reaches(unsigned char adj[N_RANDOM][N_RANDOM], int from, int to)
{
	int stack[N_RANDOM * N_RANDOM], top = 0;
	unsigned char seen[N_RANDOM] = { 0 };
	stack[top++] = from;
	seen[from] = 1;
	while (top) {
		int n = stack[--top];
		if (n == to)
			return 1;
		for (int w = 0; w < N_RANDOM; w++)
			if (adj[n][w] && !seen[w]) {
				seen[w] = 1;
				stack[top++] = w;
			}
	}
	return 0;
}

static void test_consistent_dag(void)
{
	/* Edges that agree with a hidden order, inserted in an order that
	 * forces many reorderings: never an inversion. */
	lc_lock *locks[40];
	int hidden[40];
	for (int i = 0; i < 40; i++) {
		locks[i] = new_lock();
		hidden[i] = (i * 17) % 40; /* a permutation */
	}
	int inverted = 0, edges = 0;
	srand(7);
	for (int k = 0; k < 400; k++) {
		int a = rand() % 40, b = rand() % 40;
		if (hidden[a] == hidden[b])
			continue;
		if (hidden[a] > hidden[b]) {
			int t = a;
			a = b;
			b = t;
		}
		if (lc_graph_find_edge(locks[a], locks[b]))
			continue;
		lc_edge *e = add(locks[a], locks[b]);
		edges++;
		inverted += e->inverted;
	}
	CHECK(edges > 100, "consistent DAG: many edges inserted");
	CHECK(inverted == 0, "consistent DAG: no edge closes a cycle");
	CHECK(order_holds(locks, 40), "consistent DAG: order invariant holds");
}

static void test_random_against_brute_force(void)
{
	lc_lock *locks[N_RANDOM];
	static unsigned char adj[N_RANDOM][N_RANDOM]; /* non-inverted edges */
	for (int i = 0; i < N_RANDOM; i++)
		locks[i] = new_lock();
	int agree = 1, cycles = 0, order_ok = 1;
	srand(11);
	for (int k = 0; k < 600; k++) {
		int a = rand() % N_RANDOM, b = rand() % N_RANDOM;
		if (a == b || lc_graph_find_edge(locks[a], locks[b]))
			continue;
		int expect_cycle = reaches(adj, b, a);
		lc_edge *e = add(locks[a], locks[b]);
		if (e->inverted != expect_cycle)
			agree = 0;
		if (!e->inverted)
			adj[a][b] = 1;
		cycles += e->inverted;
		if (!order_holds(locks, N_RANDOM))
			order_ok = 0;
	}
	CHECK(cycles > 0, "random graph: some edges close cycles");
	CHECK(agree, "random graph: cycle verdict equals brute-force reachability");
	CHECK(order_ok, "random graph: order invariant holds after every insert");
	CHECK(lc_graph_cycle_possible(add(new_lock(), new_lock())),
	      "with inverted edges present, any new edge is searched");
}

static void test_cycle_lengths(void)
{
	int all_found = 1, all_exact = 1;
	for (unsigned len = 2; len <= 200; len++) {
		lc_lock *locks[200];
		for (unsigned i = 0; i < len; i++)
			locks[i] = new_lock();
		/* Insert the chain backwards so the order must be repaired
		 * at every step, then close the cycle. */
		for (unsigned i = len - 1; i >= 1; i--)
			add(locks[i - 1], locks[i]);
		lc_edge *closing = add(locks[len - 1], locks[0]);
		lc_edge *path[256];
		unsigned n = lc_graph_find_path(closing->to, closing->from,
						path, 256);
		if (!closing->inverted || n != len - 1)
			all_found = 0;
		for (unsigned i = 0; i < n; i++)
			if (path[i]->from != locks[i] || path[i]->to != locks[i + 1])
				all_exact = 0;
	}
	CHECK(all_found, "cycles of length 2..200 are detected");
	CHECK(all_exact, "the path search returns the cycle's edges in order");
}

static void test_shortest_path(void)
{
	/* A -> B -> C -> D and A -> D: the shortest path A..D is one edge. */
	lc_lock *a = new_lock(), *b = new_lock(), *c = new_lock(),
		*d = new_lock();
	add(a, b);
	add(b, c);
	add(c, d);
	add(a, d);
	lc_edge *path[8];
	CHECK(lc_graph_find_path(a, d, path, 8) == 1, "shortest path preferred");
	CHECK(lc_graph_find_path(d, a, path, 8) == 0, "no path against edges");
	CHECK(lc_graph_find_path(a, d, path, 0) == 0,
	      "a path longer than the limit is not returned");
}

static void test_registry(void)
{
	uintptr_t addr = (uintptr_t)&lock_memory[4096 * 63];
	lc_lock *first = lc_registry_get(addr, LC_TYPE_MUTEX, 0, 0, NULL);
	CHECK(lc_registry_get(addr, LC_TYPE_MUTEX, 0, 0, NULL) == first,
	      "registry: same address, same record");
	CHECK(lc_registry_find(addr + 64) == NULL, "registry: unknown address");
	lc_registry_destroy(addr);
	lc_lock *second = lc_registry_get(addr, LC_TYPE_MUTEX, 0, 0, NULL);
	CHECK(second != first && second->id > first->id,
	      "registry: reuse after destroy is a new lock");
	CHECK(lc_registry_by_id(second->id) == second, "registry: by id");
	lc_lock *third = lc_registry_create(addr, LC_TYPE_MUTEX, 1, 0, NULL);
	CHECK(third != second && lc_registry_find(addr) == third &&
		      third->recursive,
	      "registry: init on a live address starts a new lock");

	/* Generation tags: a lock object re-initialised without destroy (its
	 * tag word zeroed, as by a static initialiser) is a new lock. */
	uintptr_t tag_addr = (uintptr_t)&lock_memory[4096 * 62];
	uintptr_t tag_word = 0;
	lc_lock *gen1 = lc_registry_get(tag_addr, LC_TYPE_MUTEX, 0, 0, &tag_word);
	CHECK(lc_registry_get(tag_addr, LC_TYPE_MUTEX, 0, 0, &tag_word) == gen1,
	      "tag: an untagged lock is not renewed");
	lc_registry_tag(gen1, &tag_word);
	CHECK(tag_word != 0 &&
		      lc_registry_get(tag_addr, LC_TYPE_MUTEX, 0, 0, &tag_word) ==
			      gen1,
	      "tag: a tagged lock with its tag intact is the same lock");
	tag_word = 0;
	lc_lock *gen2 = lc_registry_get(tag_addr, LC_TYPE_MUTEX, 0, 0, &tag_word);
	CHECK(gen2 && gen2 != gen1 && lc_registry_find(tag_addr) == gen2,
	      "tag: re-initialised memory is a new lock");
	CHECK(lc_registry_get(tag_addr, LC_TYPE_MUTEX, 0, 0, &tag_word) == gen2,
	      "tag: the new lock stays until it is tagged and reset again");
}

int main(void)
{
	if (lc_arena_init() || lc_registry_init() || lc_graph_init()) {
		printf("FAIL - init\n");
		return 1;
	}
	test_registry();
	test_consistent_dag();
	test_random_against_brute_force();
	test_cycle_lengths();
	test_shortest_path();
	CHECK_DONE();
}
