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
 *
 * Folding a dead lock (Helgrind's bypass, kept with its evidence): its edges
 * leave the live nodes' lists and the index; for every in-edge P -> dead and
 * out-edge dead -> S (P != S) the edge P -> S gains a route through the dead
 * lock, unless P -> S was made by a thread (then it already orders P before
 * S, with evidence of its own). The dead lock becomes a ghost that owns its
 * edges; each route counts as one reference, and the last one freed frees
 * the ghost with its edges (whose routes may free further ghosts: a worklist,
 * never recursion, since chains of ghosts can be long). Removing edges never
 * breaks the order invariant. Freed edges, contexts and routes go to free
 * lists and are reused first, so a program that makes and destroys locks
 * under long-lived ones runs in constant memory. A reader that found an
 * edge lock-free just before it was freed may read a reused one: it only
 * asks whether a context key is known, and a wrong "no" sends it to the
 * graph lock, a wrong "yes" needs a 64-bit key match (and it only happens
 * when a lock is used while another thread destroys it, a misuse).
 */
#include "graph.h"

#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "context.h"
#include "detect_order.h"
#include "limit.h"
#include "lockclass.h"
#include "keyindex.h"
#include "sync.h"

/* The edge index (keyindex.h): (from id, to id) -> edge, written under the
 * graph lock, read without it. A reader that misses (a new edge, or a
 * growth under way) looks again under the graph lock.
 *
 * The edges of a dead lock leave the index when it is folded: no
 * acquisition can look them up again (the address's next lock is a new
 * node). Bypass edges are in it like any other, so a thread that then
 * makes P -> S itself finds the bypass and gives it contexts. */
static lc_keyindex edge_index;

static lc_mutex graph_mutex = LC_MUTEX_INIT;
static uint32_t n_edges, n_inverted, n_ghosts;
/* The inverted edges, for lc_graph_cycle_possible's test, while there are
 * at most INVERTED_TRACKED of them; once there were more, every new edge is
 * searched from (for good: the list no longer holds them all). Graph lock. */
#define INVERTED_TRACKED 64
static lc_edge *inverted_edges[INVERTED_TRACKED];
static int inverted_untracked;
/* Freed edges (linked through next_out) and routes, reused first; ghosts
 * whose last route went, waiting to be freed (linked through create_pc,
 * which a freed record no longer needs). Graph lock. */
static lc_edge *free_edges;
static lc_route *free_routes;
static lc_lock *ghosts_to_free;
static uint32_t epoch;
/* Scratch for searches, one entry per lock record each: grown (mmap, the
 * old arrays unmapped) when records outnumber them; graph lock. */
static lc_lock **scratch_stack, **scratch_fwd, **scratch_back;
static lc_edge **scratch_via;     /* path search: the edge that reached... */
static uint32_t *scratch_parent;  /* ...queue entry i, from this entry */
static uint32_t *scratch_ords;
static size_t scratch_cap;
int lc_graph_init(void)
{
	return 0;
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

static inline uint64_t edge_key(const lc_lock *from, const lc_lock *to)
{
	return (uint64_t)from->id << 32 | to->id;
}

lc_edge *lc_graph_find_edge(const lc_lock *from, const lc_lock *to)
{
	return lc_keyindex_get(&edge_index, edge_key(from, to));
}

/* A scratch array of n entries of `size` bytes replacing *p (old_n). */
static int regrow(void **p, size_t old_n, size_t n, size_t size)
{
	void *fresh = mmap(NULL, n * size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fresh == MAP_FAILED)
		return -1;
	if (*p)
		munmap(*p, old_n * size);
	*p = fresh;
	return 0;
}

/* Scratch room for every live lock record (searches visit no others). */
static int scratch_ready(void)
{
	size_t need = (size_t)lc_registry_live() + 1;
	if (need <= scratch_cap)
		return 1;
	size_t n = scratch_cap ? scratch_cap : 4096;
	while (n < need)
		n *= 2;
	if (regrow((void **)&scratch_stack, scratch_cap, n, sizeof(lc_lock *)) ||
	    regrow((void **)&scratch_fwd, scratch_cap, n, sizeof(lc_lock *)) ||
	    regrow((void **)&scratch_back, scratch_cap, n, sizeof(lc_lock *)) ||
	    regrow((void **)&scratch_via, scratch_cap, n, sizeof(lc_edge *)) ||
	    regrow((void **)&scratch_parent, scratch_cap, n, sizeof(uint32_t)) ||
	    regrow((void **)&scratch_ords, scratch_cap * 2, n * 2,
		   sizeof(uint32_t))) {
		/* Some arrays may now be the new size and some the old:
		 * start over next time. */
		scratch_cap = 0;
		scratch_stack = scratch_fwd = scratch_back = NULL;
		scratch_via = NULL;
		scratch_parent = NULL;
		scratch_ords = NULL;
		return 0;
	}
	scratch_cap = n;
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

static lc_edge *edge_alloc(void)
{
	lc_edge *e = free_edges;
	if (!e)
		return lc_arena_alloc(sizeof *e);
	free_edges = e->next_out;
	memset(e, 0, sizeof *e);
	return e;
}

lc_edge *lc_graph_add_edge(lc_lock *x, lc_lock *y)
{
	lc_edge *e = edge_alloc();
	if (!e)
		return NULL;
	e->from = x;
	e->to = y;
	/* Indexed whole (its other fields are still zero: no contexts), or
	 * not at all (an unused edge is only memory). */
	if (lc_keyindex_put(&edge_index, edge_key(x, y), e) != 0) {
		e->next_out = free_edges;
		free_edges = e;
		return NULL;
	}
	if (x == y || place_in_order(x, y) != 0) {
		e->inverted = 1;
		if (n_inverted < INVERTED_TRACKED && !inverted_untracked)
			inverted_edges[n_inverted] = e;
		else
			inverted_untracked = 1;
		n_inverted++;
	}
	e->next_out = x->out;
	x->out = e;
	e->next_in = y->in;
	y->in = e;
	n_edges++;
	return e;
}

/* Takes e out of the lookup index (once). */
static void leave_index(lc_edge *e)
{
	if (!e->retired) {
		e->retired = 1;
		lc_keyindex_remove(&edge_index, edge_key(e->from, e->to));
	}
}

static void unlink_out(lc_lock *from, lc_edge *e)
{
	for (lc_edge **p = &from->out; *p; p = &(*p)->next_out)
		if (*p == e) {
			*p = e->next_out;
			return;
		}
}

static void unlink_in(lc_lock *to, lc_edge *e)
{
	for (lc_edge **p = &to->in; *p; p = &(*p)->next_in)
		if (*p == e) {
			*p = e->next_in;
			return;
		}
}

static void forget_inverted(lc_edge *e)
{
	for (uint32_t i = 0; !inverted_untracked && i < n_inverted; i++)
		if (inverted_edges[i] == e) {
			inverted_edges[i] = inverted_edges[n_inverted - 1];
			break;
		}
	n_inverted--;
}

static void release_ghost(lc_lock *g)
{
	if (--g->ghost_refs)
		return;
	g->create_pc = (uintptr_t)ghosts_to_free;
	ghosts_to_free = g;
}

/* Frees an edge that has left the live graph: its contexts, its routes
 * (each releasing its ghost), the cycles remembered on it. */
static void free_edge(lc_edge *e)
{
	if (e->cycles)
		lc_order_forget_edge(e);
	lc_edge_free_contexts(e);
	for (lc_route *r = e->routes, *next; r; r = next) {
		next = r->next;
		release_ghost(r->ghost);
		r->next = free_routes;
		free_routes = r;
	}
	if (e->inverted)
		forget_inverted(e);
	n_edges--;
	e->next_out = free_edges;
	free_edges = e;
}

/* Frees the edges a dead lock owns (all of its lists) and then the record. */
static void free_dead(lc_lock *dead)
{
	lc_edge *out = dead->out, *in = dead->in;
	dead->out = dead->in = NULL;
	for (lc_edge *e = in, *next; e; e = next) {
		next = e->next_in;
		if (e->from != dead) /* a self-edge is freed once, as out-edge */
			free_edge(e);
	}
	for (lc_edge *e = out, *next; e; e = next) {
		next = e->next_out;
		free_edge(e);
	}
	lc_registry_recycle(dead);
}

static void free_released_ghosts(void)
{
	while (ghosts_to_free) {
		lc_lock *g = ghosts_to_free;
		ghosts_to_free = (lc_lock *)g->create_pc;
		g->create_pc = 0;
		n_ghosts--;
		free_dead(g);
	}
}

/* What tells two routes apart: the dead lock's class and each half's first
 * evidence (thread, stacks, modes), not lock ids, so the same path through
 * a new instance of the class is not kept again. */
static uint64_t evidence_key(const lc_edge *e)
{
	const lc_context *c = lc_edge_first_context(e);
	if (!c)
		return e->routes ? e->routes->key : 0;
	uint64_t h = (uint64_t)c->thread << 34 ^ (uint64_t)c->stack << 2 ^
		     (uint64_t)c->held_shared << 1 ^ c->shared;
	h = (h ^ c->held_pc ^ (uint64_t)c->held_stack << 40) *
	    0x9E3779B97F4A7C15ull;
	return h ^ (h >> 31);
}

static uint64_t route_key(const lc_lock *ghost, const lc_edge *a,
			  const lc_edge *b)
{
	uint64_t h = (ghost->create_pc ^ (uint64_t)ghost->type << 56) *
		     0xBF58476D1CE4E5B9ull;
	h = (h ^ evidence_key(a)) * 0x9E3779B97F4A7C15ull;
	h = (h ^ evidence_key(b)) * 0xBF58476D1CE4E5B9ull;
	return h ^ (h >> 29);
}

/* Adds the route p -> ghost -> s (edges a, b) to the bypass edge p -> s.
 * Returns 1 when the route was kept (it holds a reference to the ghost). */
static int add_route(lc_lock *ghost, lc_edge *a, lc_edge *b)
{
	lc_lock *p = a->from, *s = b->to;
	lc_edge *e = lc_keyindex_get(&edge_index, edge_key(p, s));
	/* Made by a thread: it orders p before s with evidence of its own. */
	if (e && atomic_load_explicit(&e->n_contexts, memory_order_relaxed))
		return 0;
	uint64_t key = route_key(ghost, a, b);
	unsigned n = 0;
	lc_route **tail = e ? &e->routes : NULL;
	for (; tail && *tail; tail = &(*tail)->next, n++)
		if ((*tail)->key == key)
			return 0;
	if (n >= LC_BYPASS_ROUTES) {
		lc_limit_reached(LC_LIMIT_BYPASS_ROUTES, LC_BYPASS_ROUTES);
		return 0;
	}
	lc_route *r = free_routes;
	if (r)
		free_routes = r->next;
	else if (!(r = lc_arena_alloc(sizeof *r)))
		return 0;
	if (!e && !(e = lc_graph_add_edge(p, s))) {
		r->next = free_routes;
		free_routes = r;
		return 0;
	}
	*r = (lc_route){ .ghost = ghost, .in_half = a, .out_half = b,
			 .key = key };
	if (!tail)
		tail = &e->routes;
	*tail = r;
	return 1;
}

void lc_graph_fold(lc_lock *dead)
{
	uint8_t state = atomic_load_explicit(&dead->state, memory_order_relaxed);
	if (state & LC_LOCK_FOLDED)
		return;
	atomic_fetch_or(&dead->state, LC_LOCK_FOLDED | LC_LOCK_DESTROYED);
	/* Out of the live graph: its live neighbours' lists and the index.
	 * What threads made is summarised by class first. */
	for (lc_edge *e = dead->out; e; e = e->next_out) {
		if (e->to != dead)
			unlink_in(e->to, e);
		leave_index(e);
		if (!lc_edge_is_bypass(e))
			lc_class_summarise(e);
	}
	for (lc_edge *e = dead->in; e; e = e->next_in) {
		if (e->from == dead)
			continue;
		unlink_out(e->from, e);
		leave_index(e);
		if (!lc_edge_is_bypass(e))
			lc_class_summarise(e);
	}
	/* Every path through it, kept as a route of a bypass edge. */
	uint32_t routes = 0;
	for (lc_edge *a = dead->in; a; a = a->next_in) {
		if (a->from == dead)
			continue;
		for (lc_edge *b = dead->out; b; b = b->next_out)
			if (b->to != dead && b->to != a->from)
				routes += (uint32_t)add_route(dead, a, b);
	}
	if (routes) {
		dead->ghost_refs = routes;
		atomic_fetch_or(&dead->state, LC_LOCK_GHOST);
		n_ghosts++;
		return;
	}
	free_dead(dead);
	free_released_ghosts();
}

void lc_graph_fold_replaced(void)
{
	lc_lock *batch[16];
	unsigned n;
	while ((n = lc_registry_take_replaced(batch, 16)) > 0)
		for (unsigned i = 0; i < n; i++)
			lc_graph_fold(batch[i]);
}

/* Prove that the new ordered edge x -> y can close no cycle, without the
 * path search over the whole graph (which, once a program has one
 * inversion, every later new edge would pay for, under the graph lock: a
 * stress run with 20,000 edges ran five times slower after its one planted
 * inversion). A cycle through x -> y is a path y ~> x. Along ordered edges
 * ords only grow, and ord(x) < ord(y), so the path takes inverted edges:
 * the first, u -> v, is reached from y over ordered edges, so ord(u) >=
 * ord(y); from the last, u' -> v', x is reached over ordered edges, so
 * ord(v') <= ord(x). If no inverted edge starts at or above ord(y), or none
 * ends at or below ord(x), there is no such path. */
int lc_graph_cycle_possible(const lc_edge *e)
{
	if (e->inverted)
		return 1;
	if (n_inverted == 0)
		return 0;
	if (n_inverted > INVERTED_TRACKED || inverted_untracked)
		return 1;
	int from_above = 0, to_below = 0;
	for (uint32_t i = 0; i < n_inverted; i++) {
		from_above |= inverted_edges[i]->from->ord >= e->to->ord;
		to_below |= inverted_edges[i]->to->ord <= e->from->ord;
	}
	return from_above && to_below;
}

unsigned lc_graph_find_path(lc_lock *from, lc_lock *to, lc_edge **path,
			    unsigned max)
{
	if (!scratch_ready() || from == to)
		return 0;
	/* Breadth first; queue entry i came from entry scratch_parent[i]
	 * over edge scratch_via[i]. */
	uint32_t mark = ++epoch, head = 0, tail = 0, found = UINT32_MAX;
	lc_lock **queue = scratch_stack;
	from->mark = mark;
	queue[tail++] = from;
	while (head < tail && found == UINT32_MAX) {
		uint32_t at = head++;
		for (lc_edge *e = queue[at]->out; e; e = e->next_out) {
			if (e->to->mark == mark)
				continue;
			e->to->mark = mark;
			scratch_via[tail] = e;
			scratch_parent[tail] = at;
			if (e->to == to) {
				found = tail;
				break;
			}
			queue[tail++] = e->to;
		}
	}
	if (found == UINT32_MAX)
		return 0;
	unsigned len = 0;
	for (uint32_t i = found; i != 0; i = scratch_parent[i])
		len++;
	if (len > max) {
		lc_limit_reached(LC_LIMIT_CYCLE_LENGTH, max + 1);
		return 0;
	}
	unsigned k = len;
	for (uint32_t i = found; i != 0; i = scratch_parent[i])
		path[--k] = scratch_via[i];
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

uint32_t lc_graph_ghost_count(void)
{
	return n_ghosts;
}
