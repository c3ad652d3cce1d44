/*
 * detect_order.c: finds lock-order cycles as edges appear, and reports each
 * distinct cycle once.
 *
 * Path of an acquisition that the thread's chain cache did not know:
 *   1. lock-free: which edges held -> new are missing from the graph? None:
 *      done (another thread taught the graph already).
 *   2. capture the stack of this acquisition, outside any lock;
 *   3. under the graph lock: add each missing edge (graph.c places it in the
 *      topological order); if it may close a cycle, search the shortest path
 *      new -> ... -> held: with the new edge, that path is the cycle;
 *   4. a cycle whose id was not reported before becomes a finding.
 *
 * Cycle id: a hash of the locks' stable identities (a global lock: module and
 * symbol; an anonymous lock: module and offset of its creation site), rotated
 * to start at the smallest (by text), so the id does not depend on ASLR, on lock ids, or
 * on which edge closed the cycle. Only the shortest cycle through a new edge is
 * reported; other cycles through it surface when their own edges are new.
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
#include "graph.h"
#include "options.h"
#include "report.h"
#include "stack.h"
#include "describe.h"

#define CYCLE_MAX 256          /* longest cycle reported */

/* Memory for one report, from mmap (the program's malloc is off limits). */
typedef struct report_mem {
	lc_finding_lock locks[CYCLE_MAX];
	lc_lock_view views[CYCLE_MAX];
	lc_lock_view rotated[CYCLE_MAX];
	lc_finding_thread threads[CYCLE_MAX];
	lc_finding_edge edges[CYCLE_MAX];
	unsigned cycle[CYCLE_MAX];
	lc_frame frames[CYCLE_MAX][2][LC_STACK_MAX];
	char message[4096];
	char id[32];
} report_mem;

/* "read"/"write" for read-write locks; NULL for exclusive-only locks. */
static const char *mode_name(const lc_lock *l, int shared)
{
	if (l->type != LC_TYPE_RWLOCK)
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

/* Appends a lock's label: its name, or M<id> for an anonymous lock. */
static size_t put_label(char *msg, size_t cap, size_t len,
			const lc_finding_lock *l)
{
	char anon[16];
	if (l->name)
		return put_text(msg, cap, len, l->name);
	snprintf(anon, sizeof anon, "M%u", l->id);
	return put_text(msg, cap, len, anon);
}

/* Reports the cycle made of edges[0..n) (edges[i].to == edges[i+1].from). */
static void report_cycle(lc_edge *const *cycle, unsigned n)
{
	report_mem *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return;
	unsigned start = 0;
	for (unsigned i = 0; i < n; i++) {
		lc_describe_lock(cycle[i]->from, &m->views[i]);
		if (strcmp(m->views[i].identity, m->views[start].identity) < 0)
			start = i;
	}
	uint64_t id = lc_hash_str(LC_HASH_START, "lock-order-inversion");
	for (unsigned k = 0; k < n; k++)
		id = lc_hash_str(lc_hash_str(id, "\n"), m->views[(start + k) % n].identity);
	if (!lc_first_report(id))
		goto out;
	lc_format_id(m->id, id);

	unsigned n_threads = 0;
	size_t mlen = (size_t)snprintf(m->message, sizeof m->message,
				       "cycle of %u locks: ", n);
	/* Shown from the lock with the smallest identity, as the id is
	 * computed: the same cycle reads the same in every run. */
	for (unsigned i = 0; i < n; i++)
		m->rotated[i] = m->views[(start + i) % n];
	memcpy(m->views, m->rotated, n * sizeof m->rotated[0]);
	for (unsigned i = 0; i < n; i++) {
		const lc_edge *e = cycle[(start + i) % n];
		lc_finding_lock *fl = &m->locks[i];
		lc_describe_finding_lock(e->from, &m->views[i], fl);
		m->cycle[i] = e->from->id;

		lc_finding_edge *fe = &m->edges[i];
		fe->from = e->from->id;
		fe->to = e->to->id;
		fe->thread = e->thread;
		fe->held_mode = mode_name(e->from, e->held_shared);
		fe->mode = mode_name(e->to, e->shared);
		fe->stack.frames = m->frames[i][0];
		fe->stack.depth = lc_describe_stack(m->frames[i][0], e->stack, 0);
		fe->held_stack.frames = m->frames[i][1];
		fe->held_stack.depth =
			lc_describe_stack(m->frames[i][1], e->held_stack, e->held_pc);

		unsigned seen = 0;
		while (seen < n_threads && m->threads[seen].id != e->thread)
			seen++;
		if (seen == n_threads)
			m->threads[n_threads++] = (lc_finding_thread){
				.id = e->thread,
				.name = lc_thread_name(e->thread),
			};
		mlen = put_label(m->message, sizeof m->message, mlen, fl);
		mlen = put_text(m->message, sizeof m->message, mlen, " => ");
	}
	put_label(m->message, sizeof m->message, mlen, &m->locks[0]);

	lc_finding f = {
		.kind = LC_KIND_LOCK_ORDER_INVERSION,
		.severity = LC_SEV_ERROR,
		.id = m->id,
		.message = m->message,
		.pid = (int)getpid(),
		.locks = m->locks,
		.n_locks = n,
		.threads = m->threads,
		.n_threads = n_threads,
		.cycle = m->cycle,
		.n_cycle = n,
		.edges = m->edges,
		.n_edges = n,
	};
	lc_report_finding(&f);
out:
	munmap(m, sizeof *m);
}

/* Graph lock held: e was just added; report the cycle it closes, if any. */
static void check_cycle(lc_edge *e)
{
	lc_edge *cycle[CYCLE_MAX];
	if (!lc_graph_cycle_possible(e))
		return;
	unsigned len = lc_graph_find_path(e->to, e->from, cycle + 1,
					  CYCLE_MAX - 1);
	if (len == 0)
		return;
	cycle[0] = e;
	report_cycle(cycle, len + 1);
}

void lc_order_check(lc_thread *t, lc_lock *lock, int shared, uintptr_t pc)
{
	/* Which edges are missing is marked on the held entries themselves:
	 * this runs on the program's thread stacks, which may be small. */
	unsigned n_missing = 0;
	for (uint32_t i = 0; i < t->n_held; i++) {
		lc_held *h = &t->held[i];
		h->edge_missing = 0;
		if (h->lock == lock)
			continue;
		lc_edge *e = lc_graph_find_edge(h->lock, lock);
		if (e)
			atomic_fetch_add_explicit(&e->count, 1,
						  memory_order_relaxed);
		else
			n_missing += h->edge_missing = 1;
	}
	if (n_missing == 0)
		return;

	int saved_errno = errno;
	lc_thread_note_name(t);
	uintptr_t pcs[LC_STACK_MAX];
	unsigned depth = lc_stack_capture(pcs, LC_STACK_MAX);
	if (depth == 0 && pc) {
		pcs[0] = pc;
		depth = 1;
	}
	uint32_t stack = lc_stack_intern(pcs, depth);

	lc_graph_lock();
	for (uint32_t i = 0; i < t->n_held; i++) {
		lc_held *h = &t->held[i];
		/* Another thread, or a repeat of the lock in this chain, may
		 * have added it since the lock-free look. */
		if (!h->edge_missing || lc_graph_find_edge(h->lock, lock))
			continue;
		lc_edge proto = {
			.from = h->lock,
			.to = lock,
			.thread = t->id,
			.stack = stack,
			.held_stack = h->stack,
			.held_pc = h->pc,
			.held_shared = h->shared,
			.shared = (uint8_t)(shared != 0),
		};
		lc_edge *e = lc_graph_add_edge(&proto);
		if (e)
			check_cycle(e);
	}
	lc_graph_unlock();
	errno = saved_errno;
}
