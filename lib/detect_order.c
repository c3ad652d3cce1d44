/*
 * detect_order.c: finds lock-order cycles as edges appear, judges each, and
 * reports each distinct cycle once per verdict.
 *
 * Path of an acquisition that the thread's chain cache did not know:
 *   1. lock-free: for each held lock, is the edge held -> new known, and
 *      known in this context (thread, held set, clock, modes)? All known:
 *      done (the thread, or another in the same context, taught it already).
 *   2. capture the stack of this acquisition, outside any lock;
 *   3. under the graph lock: add each missing edge (graph.c places it in the
 *      topological order) or missing context; a new edge that may close a
 *      cycle gets a shortest-path search new -> ... -> held: with the new edge,
 *      that path is the cycle;
 *   4. the cycle is judged (verdict.c) and reported unless this (cycle,
 *      verdict) was reported before. A cycle that is not yet
 *      deadlock-possible is remembered on its edges: a later context on one
 *      of them judges it again, and a better-founded verdict is reported
 *      again under the same id (an upgrade).
 *
 * Cycle id: a hash of the locks' stable identities (describe.c), rotated to
 * start at the smallest (by text), so the id does not depend on ASLR, on lock
 * ids, or on which edge closed the cycle. Anonymous locks made at one site
 * share an identity (a class, as in lockdep): the same pattern over many lock
 * instances is one id, reported once and counted (the end event's
 * "repeats"). Only the shortest cycle through a new edge is found; other
 * cycles through it surface when their own edges are new.
 *
 * A path through a bypass edge (graph.h: a route through a dead lock) is
 * expanded into the route's two edges before it is judged and reported, so
 * the cycle shows the dead lock, and is judged on the contexts that made
 * its edges, as if the lock still lived. The first route of each bypass is
 * used (graph.c keeps the first ones).
 */
#define _GNU_SOURCE
#include "detect_order.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arena.h"
#include "context.h"
#include "cycle_fold.h"
#include "describe.h"
#include "graph.h"
#include "keyindex.h"
#include "limit.h"
#include "lockclass.h"
#include "options.h"
#include "report.h"
#include "stack.h"
#include "verdict.h"

#define CYCLE_MAX LC_VERDICT_CYCLE_MAX /* longest cycle reported */
#define INSTANCE_SLOTS 4096            /* distinct cycle ids counted */

/* A reported cycle whose verdict may still improve; n is 0 once one of its
 * edges was freed (lc_order_forget_edge). */
typedef struct known_cycle {
	uint64_t id;
	lc_verdict verdict;
	unsigned n;
	lc_edge *edges[];
} known_cycle;

typedef struct lc_cycle_ref {
	struct lc_cycle_ref *next;
	known_cycle *cycle;
} lc_cycle_ref;

/* Cycle id -> instances found, graph lock. */
static struct {
	uint64_t id;
	uint32_t count;
} *instances;

/* Counts an instance of cycle id; returns the count so far. When the table is
 * full the count stays 1 (the finding is still reported once). */
static uint32_t count_instance(uint64_t id)
{
	if (!instances)
		instances = lc_arena_alloc(sizeof(*instances) * INSTANCE_SLOTS);
	if (!instances)
		return 1;
	for (uint32_t n = 0, i = (uint32_t)id & (INSTANCE_SLOTS - 1);
	     n < INSTANCE_SLOTS; n++, i = (i + 1) & (INSTANCE_SLOTS - 1)) {
		if (instances[i].id == id)
			return ++instances[i].count;
		if (instances[i].count == 0) {
			instances[i].id = id;
			return instances[i].count = 1;
		}
	}
	return 1;
}

void lc_order_for_each_repeat(void (*fn)(const char *id, uint32_t count,
					 void *arg),
			      void *arg)
{
	for (uint32_t i = 0; instances && i < INSTANCE_SLOTS; i++) {
		if (instances[i].count < 2)
			continue;
		char id[24];
		lc_format_id(id, instances[i].id);
		fn(id, instances[i].count, arg);
	}
}

/* "read"/"write" for read-write locks; NULL for exclusive-only locks. */
static const char *mode_name(const lc_lock *l, int shared)
{
	if (!lc_type_has_modes(l->type))
		return NULL;
	return shared ? "read" : "write";
}

/* Appends text to a message buffer; returns the new length (clamped). */
static size_t put_text(char *msg, size_t cap, size_t len, const char *text)
{
	if (len < cap)
		len += (size_t)snprintf(msg + len, cap - len, "%s", text);
	return len < cap ? len : cap;
}

/* Appends a lock's label: its name, or M<id> for an anonymous lock, and
 * " (destroyed)" for a dead one. */
static size_t put_label(char *msg, size_t cap, size_t len,
			const lc_finding_lock *l)
{
	char anon[16];
	if (l->name)
		len = put_text(msg, cap, len, l->name);
	else {
		snprintf(anon, sizeof anon, "M%u", l->id);
		len = put_text(msg, cap, len, anon);
	}
	return l->destroyed ? put_text(msg, cap, len, " (destroyed)") : len;
}

/* Memory for judging and reporting one cycle, from mmap (the program's
 * malloc is off limits, and this is too big for a thread's stack). */
typedef struct cycle_mem {
	lc_verdict_result judged;
	lc_lock_view views[CYCLE_MAX + 1];
	lc_lock_view rotated[CYCLE_MAX];
	lc_finding_lock locks[CYCLE_MAX + 1];
	lc_finding_thread threads[CYCLE_MAX];
	lc_finding_edge edges[CYCLE_MAX];
	uint64_t keys[CYCLE_MAX];    /* identity hashes, for cycle_fold.h */
	unsigned cycle[CYCLE_MAX];
	unsigned fix_order[CYCLE_MAX];
	unsigned fix_break[1];
	lc_frame frames[CYCLE_MAX][2][LC_STACK_MAX];
	char message[4096];
	char id[32];
	char folded_into[32];
} cycle_mem;

/* The cycle's id and the edge it is shown from (smallest identity). */
static uint64_t cycle_id(cycle_mem *m, lc_edge *const *cycle, unsigned n,
			 unsigned *start)
{
	*start = 0;
	for (unsigned i = 0; i < n; i++) {
		lc_describe_lock(cycle[i]->from, &m->views[i]);
		if (strcmp(m->views[i].identity, m->views[*start].identity) < 0)
			*start = i;
	}
	uint64_t id = lc_hash_str(LC_HASH_START, "lock-order-inversion");
	for (unsigned k = 0; k < n; k++)
		id = lc_hash_str(lc_hash_str(id, "\n"),
				 m->views[(*start + k) % n].identity);
	return id;
}

/* Writes the finding for a judged cycle, shown from edge `start`. */
static void write_cycle(cycle_mem *m, lc_edge *const *cycle, unsigned n,
			unsigned start, uint64_t id)
{
	const lc_verdict_result *r = &m->judged;
	lc_format_id(m->id, id);
	for (unsigned i = 0; i < n; i++)
		m->rotated[i] = m->views[(start + i) % n];
	memcpy(m->views, m->rotated, n * sizeof m->rotated[0]);

	unsigned n_threads = 0, n_locks = n, dropped = 0;
	size_t mlen = (size_t)snprintf(m->message, sizeof m->message,
				       "cycle of %u locks: ", n);
	for (unsigned i = 0; i < n; i++) {
		const lc_edge *e = cycle[(start + i) % n];
		const lc_context *c = r->chosen[(start + i) % n];
		dropped += e->dropped_contexts;
		lc_finding_lock *fl = &m->locks[i];
		lc_describe_finding_lock(e->from, &m->views[i], fl);
		m->cycle[i] = e->from->id;

		lc_finding_edge *fe = &m->edges[i];
		fe->from = e->from->id;
		fe->to = e->to->id;
		fe->thread = c->thread;
		fe->held_mode = mode_name(e->from, c->held_shared);
		fe->mode = mode_name(e->to, c->shared);
		fe->stack.frames = m->frames[i][0];
		fe->stack.depth = lc_describe_stack(m->frames[i][0], c->stack, 0);
		fe->held_stack.frames = m->frames[i][1];
		fe->held_stack.depth = lc_describe_stack(
			m->frames[i][1], c->held_stack, c->held_pc);

		unsigned seen = 0;
		while (seen < n_threads && m->threads[seen].id != c->thread)
			seen++;
		if (seen == n_threads) {
			/* The thread may have named itself since it made the
			 * edge: read the name again while it lives. */
			lc_thread *named = lc_thread_by_id(c->thread);
			if (named)
				lc_thread_refresh_name(named);
			m->threads[n_threads++] = (lc_finding_thread){
				.id = c->thread,
				.name = lc_thread_name(c->thread),
			};
		}
		mlen = put_label(m->message, sizeof m->message, mlen, fl);
		mlen = put_text(m->message, sizeof m->message, mlen, " => ");
	}
	mlen = put_label(m->message, sizeof m->message, mlen, &m->locks[0]);
	if (r->gate) {
		/* The gate is shown with the cycle's locks. */
		int in_cycle = 0;
		for (unsigned i = 0; i < n; i++)
			in_cycle |= m->locks[i].id == r->gate;
		lc_lock *gate = lc_registry_by_id(r->gate);
		if (!in_cycle && gate) {
			lc_describe_lock(gate, &m->views[n]);
			lc_describe_finding_lock(gate, &m->views[n],
						 &m->locks[n_locks++]);
		}
	}
	if (r->gave_up)
		mlen = put_text(m->message, sizeof m->message, mlen,
				" (verdict search gave up: assumed possible)");
	else if (dropped && r->verdict != LC_VERDICT_DEADLOCK_POSSIBLE)
		mlen = put_text(m->message, sizeof m->message, mlen,
				" (some contexts were not kept: see limits)");

	/* The edge to fix: the one made in the fewest contexts (the odd one
	 * out), the latest of equals; the order the rest follows starts at
	 * its target and runs round the cycle to its source. */
	unsigned odd = 0;
	for (unsigned i = 1; i < n; i++) {
		const lc_edge *a = cycle[(start + i) % n], *b = cycle[(start + odd) % n];
		uint32_t ca = a->n_contexts + a->dropped_contexts;
		uint32_t cb = b->n_contexts + b->dropped_contexts;
		if (ca < cb || (ca == cb && a->inverted && !b->inverted))
			odd = i;
	}
	m->fix_break[0] = odd;
	for (unsigned k = 0; k < n; k++)
		m->fix_order[k] = m->cycle[(odd + 1 + k) % n];

	int error = r->verdict == LC_VERDICT_DEADLOCK_POSSIBLE ||
		    lc_opt.strict_order;
	lc_finding f = {
		.kind = LC_KIND_LOCK_ORDER_INVERSION,
		.severity = error ? LC_SEV_ERROR : LC_SEV_WARNING,
		.id = m->id,
		.message = m->message,
		.pid = (int)getpid(),
		.locks = m->locks,
		.n_locks = n_locks,
		.threads = m->threads,
		.n_threads = n_threads,
		.cycle = m->cycle,
		.n_cycle = n,
		.edges = m->edges,
		.n_edges = n,
		.verdict = lc_verdict_name(r->verdict),
		.gate = r->gate,
		.fix_order = m->fix_order,
		.n_fix_order = n,
		.fix_break = m->fix_break,
		.n_fix_break = 1,
	};
	/* One bug, one finding: a cycle that contains a reported shorter
	 * one is written for the CLI to fold, and not shown again. */
	for (unsigned i = 0; i < n; i++)
		m->keys[i] = lc_hash_str(LC_HASH_START, m->views[i].identity);
	uint64_t inside = lc_cycle_fold_find(m->keys, n, (int)r->verdict, error);
	if (inside) {
		lc_format_id(m->folded_into, inside);
		f.folded_into = m->folded_into;
	}
	lc_report_finding(&f);
	if (!inside)
		lc_cycle_fold_note(id, m->keys, n, odd, (int)r->verdict, error);
}

/* Remembers a cycle whose verdict may still improve on each of its edges. */
static void remember_cycle(lc_edge *const *cycle, unsigned n, uint64_t id,
			   lc_verdict verdict)
{
	known_cycle *k = lc_arena_alloc(sizeof *k + n * sizeof k->edges[0]);
	if (!k)
		return;
	k->id = id;
	k->verdict = verdict;
	k->n = n;
	memcpy(k->edges, cycle, n * sizeof cycle[0]);
	for (unsigned i = 0; i < n; i++) {
		lc_cycle_ref *ref = lc_arena_alloc(sizeof *ref);
		if (!ref)
			return;
		ref->cycle = k;
		ref->next = cycle[i]->cycles;
		cycle[i]->cycles = ref;
	}
}

/* Judges a cycle and reports it if this (cycle, verdict) is new. `known`:
 * the remembered cycle being judged again on its edge `only_edge`'s new
 * context `only`, or NULL (and only NULL) for a new cycle. */
static void judge_cycle(lc_edge *const *cycle, unsigned n, known_cycle *known,
			const lc_context *only, unsigned only_edge)
{
	cycle_mem *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return;
	unsigned start;
	uint64_t id = cycle_id(m, cycle, n, &start);
	lc_verdict_judge(cycle, n, &m->judged, only, only_edge);
	lc_verdict verdict = m->judged.verdict;
	if (known) {
		if (verdict <= known->verdict)
			goto out;
		known->verdict = verdict;
	} else if (count_instance(id) == 1 &&
		   verdict != LC_VERDICT_DEADLOCK_POSSIBLE) {
		remember_cycle(cycle, n, id, verdict);
	}
	char key[48];
	snprintf(key, sizeof key, "%016" PRIx64 "/%d", id, (int)verdict);
	if (lc_first_report(lc_hash_str(LC_HASH_START, key)))
		write_cycle(m, cycle, n, start, id);
out:
	munmap(m, sizeof *m);
}

void lc_order_forget_edge(lc_edge *e)
{
	for (lc_cycle_ref *ref = e->cycles; ref; ref = ref->next)
		ref->cycle->n = 0;
	e->cycles = NULL;
}

/* Scratch of the expansion, graph lock. */
static lc_edge *expanded[CYCLE_MAX];
static lc_edge *pending[2 * CYCLE_MAX];

/* Replaces each bypass edge of cycle[0..n) by its first route's two edges,
 * themselves expanded, into `expanded`. Returns the new length, or 0 when
 * it would be longer than CYCLE_MAX (the cycle-length limit). */
static unsigned expand_routes(lc_edge *const *cycle, unsigned n)
{
	unsigned len = 0, top = 0;
	for (unsigned i = n; i-- > 0;)
		pending[top++] = cycle[i];
	while (top) {
		lc_edge *e = pending[--top];
		if (!lc_edge_is_bypass(e)) {
			if (len == CYCLE_MAX) {
				lc_limit_reached(LC_LIMIT_CYCLE_LENGTH, CYCLE_MAX);
				return 0;
			}
			expanded[len++] = e;
			continue;
		}
		if (top + 2 > 2 * CYCLE_MAX) {
			lc_limit_reached(LC_LIMIT_CYCLE_LENGTH, CYCLE_MAX);
			return 0;
		}
		pending[top++] = e->routes->out_half;
		pending[top++] = e->routes->in_half;
	}
	return len;
}

/* Graph lock held: e was just added; report the cycle it closes, if any. */
static void check_new_edge(lc_edge *e)
{
	lc_edge *cycle[CYCLE_MAX];
	if (!lc_graph_cycle_possible(e))
		return;
	unsigned len = lc_graph_find_path(e->to, e->from, cycle + 1,
					  CYCLE_MAX - 1);
	if (len == 0)
		return;
	cycle[0] = e;
	len++;
	for (unsigned i = 0; i < len; i++)
		if (lc_edge_is_bypass(cycle[i])) {
			if (!(len = expand_routes(cycle, len)))
				return;
			judge_cycle(expanded, len, NULL, NULL, 0);
			return;
		}
	judge_cycle(cycle, len, NULL, NULL, 0);
}

/* Graph lock held: e got the new context c; judge again, with c, the
 * cycles through e whose verdict could still improve. */
static void check_new_context(lc_edge *e, const lc_context *c)
{
	for (lc_cycle_ref *ref = e->cycles; ref; ref = ref->next) {
		known_cycle *k = ref->cycle;
		if (k->verdict == LC_VERDICT_DEADLOCK_POSSIBLE)
			continue;
		for (unsigned i = 0; i < k->n; i++)
			if (k->edges[i] == e)
				judge_cycle(k->edges, k->n, k, c, i);
	}
}

/* In-place heapsort of n uint32 (qsort may call malloc). */
static void sort_u32(uint32_t *a, uint32_t n)
{
	for (uint32_t k = n / 2; k-- > 0;) {
		for (uint32_t root = k, end = n; 2 * root + 1 < end;) {
			uint32_t child = 2 * root + 1;
			if (child + 1 < end && a[child] < a[child + 1])
				child++;
			if (a[root] >= a[child])
				break;
			uint32_t t = a[root];
			a[root] = a[child];
			a[child] = t;
			root = child;
		}
	}
	for (uint32_t end = n; end-- > 1;) {
		uint32_t t = a[0];
		a[0] = a[end];
		a[end] = t;
		for (uint32_t root = 0; 2 * root + 1 < end;) {
			uint32_t child = 2 * root + 1;
			if (child + 1 < end && a[child] < a[child + 1])
				child++;
			if (a[root] >= a[child])
				break;
			uint32_t tmp = a[root];
			a[root] = a[child];
			a[child] = tmp;
			root = child;
		}
	}
}

/* The classes of the locks t holds, each with its mode, as an interned set
 * the caller holds a reference to (NULL when out of memory). Graph lock. */
static const lc_heldset *held_classes(lc_thread *t)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < t->n_held; i++) {
		const lc_class *c = t->held[i].lock ? lc_class_of(t->held[i].lock)
						    : NULL;
		if (c)
			t->class_set[n++] = c->id << 1 | (t->held[i].shared != 0);
	}
	sort_u32(t->class_set, n);
	uint32_t kept = 0;
	for (uint32_t i = 0; i < n; i++)
		if (kept == 0 || t->class_set[kept - 1] != t->class_set[i])
			t->class_set[kept++] = t->class_set[i];
	return lc_heldset_intern_ref(t->class_set, kept,
				     lc_heldset_hash(t->class_set, kept));
}

void lc_order_check(lc_thread *t, lc_lock *lock, int shared, uintptr_t pc)
{
	/* The held set of this acquisition, kept in the thread record (this
	 * runs on the program's thread stacks, which may be small). */
	uint32_t n_set = t->n_held;
	for (uint32_t i = 0; i < n_set; i++)
		t->held_set[i] = lc_chain_step(t->held[i].lock, t->held[i].shared);
	sort_u32(t->held_set, n_set);
	uint64_t set_hash = lc_heldset_hash(t->held_set, n_set);

	/* Which edges, or contexts of edges, are new is marked on the held
	 * entries themselves. */
	unsigned n_missing = 0;
	lc_keyindex_read_begin(&t->index_reading);
	for (uint32_t i = 0; i < t->n_held; i++) {
		lc_held *h = &t->held[i];
		h->edge_missing = 0;
		/* A lock abandoned while held (an odd address, event.c), or
		 * destroyed by another thread while this one held it: its
		 * record may describe another lock by now. */
		if (h->lock == lock || h->lock->addr != h->addr)
			continue;
		h->context_key = lc_context_key(t->id, set_hash, t->clock,
						h->shared, shared);
		lc_edge *e = lc_graph_find_edge(h->lock, lock);
		if (!e || !lc_edge_has_context(e, h->context_key))
			n_missing += h->edge_missing = 1;
	}
	lc_keyindex_read_end(&t->index_reading);
	if (n_missing == 0)
		return;

	int saved_errno = errno;
	/* A system call: once per thread here; reports refresh names. */
	if (!t->name_noted) {
		t->name_noted = 1;
		lc_thread_note_name(t);
	}
	uint32_t stack = lc_stack_here_at(&t->stack_share, pc, t->call_cfa);
	t->call_cfa = 0; /* this call's only */

	lc_graph_lock();
	/* Locks replaced at their address since (re-initialised or reused
	 * memory) leave the graph first: none of their edges may join the
	 * new lock's cycles. */
	lc_graph_fold_replaced();
	/* The classes first: the held set's intern would be undone by a
	 * second intern before a context names it (context.h). */
	const lc_heldset *classes = held_classes(t);
	const lc_heldset *held = lc_heldset_intern(t->held_set, n_set, set_hash);
	for (uint32_t i = 0; i < t->n_held; i++) {
		lc_held *h = &t->held[i];
		if (!h->edge_missing)
			continue;
		lc_edge *e = lc_graph_find_edge(h->lock, lock);
		int new_edge = !e;
		if (new_edge && !(e = lc_graph_add_edge(h->lock, lock)))
			continue;
		if (new_edge) {
			lc_class_note_instance(h->lock);
			lc_class_note_instance(lock);
		}
		/* Another thread, or a repeat of the lock in this chain, may
		 * have added the context since the lock-free look. */
		if (lc_edge_has_context(e, h->context_key))
			continue;
		lc_context ctx = {
			.key = h->context_key,
			.thread = t->id,
			.role = t->role,
			.held_shared = h->shared,
			.shared = (uint8_t)(shared != 0),
			.held = held,
			.classes = classes,
			.clock = t->clock,
			.stack = stack,
			.held_stack = h->stack,
			.held_pc = h->pc,
		};
		const lc_context *added = lc_edge_add_context(e, &ctx);
		if (new_edge)
			check_new_edge(e);
		else if (added)
			check_new_context(e, added);
	}
	lc_heldset_release(classes);
	lc_graph_unlock();
	errno = saved_errno;
}
