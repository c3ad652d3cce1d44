/*
 * graph.c: lock-order graph storage and the incremental topological order.
 *
 * Invariant (the "order"): for every edge u -> v that is not inverted,
 * u->ord < v->ord. Node ords are distinct (they start as the lock ids and are
 * only permuted among themselves by reordering).
 *
 * Inserting x -> y with x->ord > y->ord (Pearce-Kelly):
 *   1. forward search from y over ordered edges, through nodes with
 *      ord < x->ord; reaching x proves a cycle, and the edge is marked
 *      inverted instead of reordering;
 *   2. otherwise backward search from x over ordered edges, through nodes
 *      with ord > y->ord;
 *   3. the nodes found backward, then those found forward, take the sorted
 *      union of their old ords, which restores the invariant.
 * Work is proportional to the nodes between the two positions, not the graph.
 * Searches use an epoch stamp per node instead of clearing visited flags, and
 * scratch arrays from the arena, so nothing here allocates per call.
 */
#include "graph.h"

#include "arena.h"
#include "sync.h"

#define EDGE_BUCKETS ((uint32_t)1 << 20)

static lc_mutex graph_mutex = LC_MUTEX_INIT;
static _Atomic(lc_edge *) *edge_buckets;
static uint32_t n_edges, n_inverted;
static uint32_t epoch;
/* Scratch for searches, LC_MAX_LOCKS entries each, allocated on first use. */
static lc_lock **scratch_stack, **scratch_fwd, **scratch_back;
static uint32_t *scratch_ords;

int lc_graph_init(void)
{
	edge_buckets = lc_arena_alloc(sizeof(*edge_buckets) * EDGE_BUCKETS);
	return edge_buckets ? 0 : -1;
}

void lc_graph_lock(void)
{
	lc_mutex_lock(&graph_mutex);
}

void lc_graph_unlock(void)
{
	lc_mutex_unlock(&graph_mutex);
}

void lc_graph_fork_prepare(void)
{
	lc_mutex_lock(&graph_mutex);
}

void lc_graph_fork_release(void)
{
	lc_mutex_unlock(&graph_mutex);
}

static inline uint32_t edge_bucket(const lc_lock *from, const lc_lock *to)
{
	uint64_t k = ((uint64_t)from->id << 32) | to->id;
	return (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> 44) &
	       (EDGE_BUCKETS - 1);
}

lc_edge *lc_graph_find_edge(const lc_lock *from, const lc_lock *to)
{
	lc_edge *e = atomic_load_explicit(&edge_buckets[edge_bucket(from, to)],
					  memory_order_acquire);
	for (; e; e = e->hash_next)
		if (e->from == from && e->to == to)
			return e;
	return NULL;
}

static int scratch_ready(void)
{
	if (scratch_ords)
		return 1;
	scratch_stack = lc_arena_alloc(sizeof(lc_lock *) * LC_MAX_LOCKS);
	scratch_fwd = lc_arena_alloc(sizeof(lc_lock *) * LC_MAX_LOCKS);
	scratch_back = lc_arena_alloc(sizeof(lc_lock *) * LC_MAX_LOCKS);
	uint32_t *ords = lc_arena_alloc(sizeof(uint32_t) * LC_MAX_LOCKS * 2);
	if (!scratch_stack || !scratch_fwd || !scratch_back || !ords)
		return 0;
	scratch_ords = ords;
	return 1;
}

/* Forward search from y; collects visited nodes in scratch_fwd. Returns -1 if
 * x (ord == bound) is reachable, else the number of nodes found. */
static int search_forward(lc_lock *y, uint32_t bound)
{
	uint32_t mark = ++epoch, top = 0, found = 0;
	y->mark = mark;
	scratch_stack[top++] = y;
	while (top) {
		lc_lock *n = scratch_stack[--top];
		scratch_fwd[found++] = n;
		for (lc_edge *e = n->out; e; e = e->next_out) {
			lc_lock *w = e->to;
			if (e->inverted || w->mark == mark)
				continue;
			if (w->ord == bound)
				return -1;
			if (w->ord < bound) {
				w->mark = mark;
				scratch_stack[top++] = w;
			}
		}
	}
	return (int)found;
}

/* Backward search from x through nodes with ord > bound, into scratch_back. */
static int search_backward(lc_lock *x, uint32_t bound)
{
	uint32_t mark = ++epoch, top = 0, found = 0;
	x->mark = mark;
	scratch_stack[top++] = x;
	while (top) {
		lc_lock *n = scratch_stack[--top];
		scratch_back[found++] = n;
		for (lc_edge *e = n->in; e; e = e->next_in) {
			lc_lock *w = e->from;
			if (e->inverted || w->mark == mark)
				continue;
			if (w->ord > bound) {
				w->mark = mark;
				scratch_stack[top++] = w;
			}
		}
	}
	return (int)found;
}

/* In-place heapsort of nodes by ord (qsort may call malloc). */
static void sift_down(lc_lock **a, int start, int end)
{
	int root = start;
	while (2 * root + 1 <= end) {
		int child = 2 * root + 1;
		if (child + 1 <= end && a[child]->ord < a[child + 1]->ord)
			child++;
		if (a[root]->ord >= a[child]->ord)
			return;
		lc_lock *t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

static void sort_by_ord(lc_lock **a, int n)
{
	for (int start = n / 2 - 1; start >= 0; start--)
		sift_down(a, start, n - 1);
	for (int end = n - 1; end > 0; end--) {
		lc_lock *t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end - 1);
	}
}

static void reorder(int n_back, int n_fwd)
{
	sort_by_ord(scratch_back, n_back);
	sort_by_ord(scratch_fwd, n_fwd);
	/* Merge the two sorted ord lists into the pool of positions. */
	int i = 0, j = 0, k = 0;
	while (i < n_back || j < n_fwd) {
		if (j >= n_fwd ||
		    (i < n_back && scratch_back[i]->ord < scratch_fwd[j]->ord))
			scratch_ords[k++] = scratch_back[i++]->ord;
		else
			scratch_ords[k++] = scratch_fwd[j++]->ord;
	}
	k = 0;
	for (i = 0; i < n_back; i++)
		scratch_back[i]->ord = scratch_ords[k++];
	for (j = 0; j < n_fwd; j++)
		scratch_fwd[j]->ord = scratch_ords[k++];
}

/* Places x -> y in the order; returns 0, or -1 if it closes a cycle of
 * ordered edges (or the scratch memory could not be had). */
static int place_in_order(lc_lock *x, lc_lock *y)
{
	if (x->ord < y->ord)
		return 0;
	if (!scratch_ready())
		return -1;
	int n_fwd = search_forward(y, x->ord);
	if (n_fwd < 0)
		return -1;
	int n_back = search_backward(x, y->ord);
	reorder(n_back, n_fwd);
	return 0;
}

lc_edge *lc_graph_add_edge(lc_lock *x, lc_lock *y)
{
	lc_edge *e = lc_arena_alloc(sizeof *e);
	if (!e)
		return NULL;
	e->from = x;
	e->to = y;
	if (x == y || place_in_order(x, y) != 0) {
		e->inverted = 1;
		n_inverted++;
	}
	e->next_out = x->out;
	x->out = e;
	e->next_in = y->in;
	y->in = e;
	n_edges++;
	_Atomic(lc_edge *) *b = &edge_buckets[edge_bucket(x, y)];
	e->hash_next = atomic_load_explicit(b, memory_order_relaxed);
	atomic_store_explicit(b, e, memory_order_release);
	return e;
}

int lc_graph_cycle_possible(const lc_edge *e)
{
	return e->inverted || n_inverted > 0;
}

unsigned lc_graph_find_path(lc_lock *from, lc_lock *to, lc_edge **path,
			    unsigned max)
{
	if (!scratch_ready())
		return 0;
	uint32_t mark = ++epoch, head = 0, tail = 0;
	lc_lock **queue = scratch_stack;
	from->mark = mark;
	from->via = NULL;
	queue[tail++] = from;
	while (head < tail) {
		lc_lock *n = queue[head++];
		if (n == to)
			break;
		for (lc_edge *e = n->out; e; e = e->next_out) {
			if (e->to->mark == mark)
				continue;
			e->to->mark = mark;
			e->to->via = e;
			queue[tail++] = e->to;
		}
	}
	if (to->mark != mark || from == to)
		return 0;
	unsigned len = 0;
	for (lc_lock *n = to; n != from; n = n->via->from)
		len++;
	if (len > max)
		return 0;
	unsigned i = len;
	for (lc_lock *n = to; n != from; n = n->via->from)
		path[--i] = n->via;
	return len;
}

uint32_t lc_graph_edge_count(void)
{
	return n_edges;
}

uint32_t lc_graph_inverted_count(void)
{
	return n_inverted;
}
