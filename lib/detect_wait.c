/*
 * detect_wait.c: the wait-for graph walk and the deadlock / long-wait
 * findings (see detect_wait.h).
 *
 * The walk is a depth-first search over threads, at most LC_WAIT_CYCLE_MAX
 * deep, reading other threads' wait states and held stacks racily (records
 * are never freed, so a stale read is wrong at worst, never unsafe; the
 * two-check confirmation filters what a stale read could invent). The path
 * is kept in the caller's small arrays; reports are built in mmap'd memory.
 */
#define _GNU_SOURCE
#include "detect_wait.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "describe.h"
#include "detect_asleep.h"
#include "graph.h"
#include "limit.h"
#include "options.h"
#include "report.h"
#include "stack.h"

uint64_t lc_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One step of a wait-for path: `thread` waits (for lock_addr, or to join),
 * and the next thread of the path holds that lock at held entry `hold`. */
typedef struct step {
	lc_thread *thread;
	uintptr_t lock_addr;   /* 0 for a join */
	int hold;              /* index in the next thread's held stack */
} step;

/* The held entry of addr in u that blocks a waiter wanting `shared`, or -1. */
static int blocking_hold(const lc_thread *u, uintptr_t addr, int shared)
{
	uint32_t n = u->n_held;
	if (n > LC_MAX_HELD)
		n = LC_MAX_HELD;
	for (uint32_t i = 0; i < n; i++)
		if (u->held[i].addr == addr && !(shared && u->held[i].shared))
			return (int)i;
	return -1;
}

/* Threads already explored by one walk: each is explored once, so the walk
 * stays linear in threads x held locks even with many read holders. */
#define WALK_VISITED_MAX 256
typedef struct walk_state {
	step path[LC_WAIT_CYCLE_MAX];
	lc_thread *visited[WALK_VISITED_MAX];
	unsigned n_visited;
} walk_state;

static int visit(walk_state *w, lc_thread *u)
{
	for (unsigned i = 0; i < w->n_visited; i++)
		if (w->visited[i] == u)
			return 0;
	if (w->n_visited == WALK_VISITED_MAX) {
		lc_limit_reached(LC_LIMIT_WAIT_CHAIN, WALK_VISITED_MAX);
		return 0;
	}
	w->visited[w->n_visited++] = u;
	return 1;
}

/* Depth-first search from path[depth-1]'s wait back to path[0]. Returns the
 * cycle's length, or 0. */
static unsigned walk(walk_state *w, unsigned depth)
{
	step *path = w->path;
	lc_thread *t = path[depth - 1].thread;
	uintptr_t addr = atomic_load(&t->wait.lock_addr);
	uint32_t join_id = atomic_load(&t->wait.join_thread);
	path[depth - 1].lock_addr = addr;
	if (!addr && !join_id)
		return 0;
	if (depth >= LC_WAIT_CYCLE_MAX) {
		lc_limit_reached(LC_LIMIT_WAIT_CHAIN, LC_WAIT_CYCLE_MAX);
		return 0;
	}
	for (lc_thread *u = lc_thread_all(); u; u = u->next_all) {
		if (!atomic_load(&u->alive) || u == t)
			continue;
		int hold = -1;
		if (addr) {
			hold = blocking_hold(u, addr, t->wait.shared);
			if (hold < 0)
				continue;
		} else if (u->id != join_id) {
			continue;
		}
		path[depth - 1].hold = hold;
		if (u == path[0].thread)
			return depth;
		if (!visit(w, u))
			continue; /* explored already, or a cycle not through
				   * path[0], which its own threads will find */
		path[depth].thread = u;
		unsigned len = walk(w, depth + 1);
		if (len)
			return len;
	}
	return 0;
}

static uint64_t cycle_hash(const step *path, unsigned n)
{
	uint64_t h = 0;
	for (unsigned i = 0; i < n; i++) /* order-free: any rotation */
		h += (path[i].thread->id * 0x9E3779B97F4A7C15ull) ^
		     (path[i].lock_addr * 0xC2B2AE3D27D4EB4Full);
	return h | 1;
}

typedef struct wait_mem {
	lc_lock *lock_of[LC_WAIT_CYCLE_MAX];
	lc_lock_view views[LC_WAIT_CYCLE_MAX];
	lc_finding_lock locks[LC_WAIT_CYCLE_MAX];
	lc_finding_thread threads[LC_WAIT_CYCLE_MAX];
	lc_finding_site sites[2 * LC_WAIT_CYCLE_MAX];
	lc_frame frames[2 * LC_WAIT_CYCLE_MAX][LC_STACK_MAX];
	char what[LC_WAIT_CYCLE_MAX][48];
	char message[2048];
	char id[32];
} wait_mem;

/* Adds lock l to m's lock list (once); returns its finding id. */
static unsigned add_lock(wait_mem *m, unsigned *n_locks, lc_lock *l)
{
	for (unsigned i = 0; i < *n_locks; i++)
		if (m->lock_of[i] == l)
			return l->id;
	m->lock_of[*n_locks] = l;
	lc_describe_lock(l, &m->views[*n_locks]);
	lc_describe_finding_lock(l, &m->views[*n_locks], &m->locks[*n_locks]);
	(*n_locks)++;
	return l->id;
}

static const char *label(const wait_mem *m, unsigned n_locks, lc_lock *l,
			 char *buf, size_t size)
{
	for (unsigned i = 0; i < n_locks; i++)
		if (m->lock_of[i] == l && m->locks[i].name)
			return m->locks[i].name;
	snprintf(buf, size, "M%u", l->id);
	return buf;
}

/* Writes the deadlock made of path[0..n). Graph lock held. */
static void report_deadlock(const step *path, unsigned n)
{
	wait_mem *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return;
	unsigned n_locks = 0, n_sites = 0;
	size_t mlen = 0;
	for (unsigned i = 0; i < n; i++) {
		const step *s = &path[i];
		lc_thread *next = path[(i + 1) % n].thread;
		lc_lock *l = NULL;
		if (s->hold >= 0 && (uint32_t)s->hold < LC_MAX_HELD)
			l = lc_held_lock(&next->held[s->hold]);
		lc_thread_refresh_name(s->thread);
		m->threads[i] = (lc_finding_thread){
			.id = s->thread->id, .name = lc_thread_name(s->thread->id)
		};
		lc_finding_site *w = &m->sites[n_sites++];
		w->thread = s->thread->id;
		w->stack.frames = m->frames[n_sites - 1];
		w->stack.depth = lc_describe_stack(m->frames[n_sites - 1],
						   s->thread->wait.stack,
						   s->thread->wait.pc);
		char buf[24];
		if (l) {
			w->what = "waits for";
			w->lock = add_lock(m, &n_locks, l);
			lc_finding_site *h = &m->sites[n_sites++];
			h->what = "acquired";
			h->thread = next->id;
			h->lock = l->id;
			h->stack.frames = m->frames[n_sites - 1];
			h->stack.depth = lc_describe_stack(
				m->frames[n_sites - 1], next->held[s->hold].stack,
				next->held[s->hold].pc);
			if (mlen < sizeof m->message)
				mlen += (size_t)snprintf(
					m->message + mlen, sizeof m->message - mlen,
					"%sT%u waits for %s held by T%u",
					i ? ", " : "", s->thread->id,
					label(m, n_locks, l, buf, sizeof buf),
					next->id);
		} else {
			snprintf(m->what[i], sizeof m->what[i],
				 "waits to join thread T%u", next->id);
			w->what = m->what[i];
			w->lock = 0;
			if (mlen < sizeof m->message)
				mlen += (size_t)snprintf(
					m->message + mlen, sizeof m->message - mlen,
					"%sT%u waits to join T%u", i ? ", " : "",
					s->thread->id, next->id);
		}
	}
	/* Once per set of lock identities (and joins) in the cycle. */
	uint64_t id = 0;
	for (unsigned i = 0; i < n_locks; i++)
		id += lc_hash_str(LC_HASH_START, m->views[i].identity);
	id = lc_hash_str(id ^ n, "deadlock");
	lc_wait_report_deadlock(&(lc_finding){ .locks = m->locks,
					       .n_locks = n_locks,
					       .threads = m->threads,
					       .n_threads = n,
					       .sites = m->sites,
					       .n_sites = n_sites },
				id, m->id, m->message, NULL);
	munmap(m, sizeof *m);
}

void lc_wait_report_deadlock(lc_finding *f, uint64_t id, char id_buf[32],
			     const char *message, const char *detail)
{
	if (!lc_first_report(id))
		return;
	lc_format_id(id_buf, id);
	f->kind = LC_KIND_DEADLOCK;
	f->severity = LC_SEV_ERROR;
	f->id = id_buf;
	f->message = message;
	f->pid = (int)getpid();
	f->detail = detail;
	lc_report_finding(f);
}

/* Writes a long-wait of t on the lock at addr held by u (entry hold). */
static void report_long_wait(lc_thread *t, lc_thread *u, int hold)
{
	wait_mem *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return;
	unsigned n_locks = 0;
	lc_lock *l = lc_held_lock(&u->held[hold]);
	if (!l) {
		munmap(m, sizeof *m);
		return;
	}
	add_lock(m, &n_locks, l);
	m->threads[0] = (lc_finding_thread){ t->id, lc_thread_name(t->id) };
	m->threads[1] = (lc_finding_thread){ u->id, lc_thread_name(u->id) };
	m->sites[0] = (lc_finding_site){ .what = "waits for", .thread = t->id,
					 .lock = l->id };
	m->sites[0].stack.frames = m->frames[0];
	m->sites[0].stack.depth =
		lc_describe_stack(m->frames[0], t->wait.stack, t->wait.pc);
	m->sites[1] = (lc_finding_site){ .what = "acquired", .thread = u->id,
					 .lock = l->id };
	m->sites[1].stack.frames = m->frames[1];
	m->sites[1].stack.depth = lc_describe_stack(
		m->frames[1], u->held[hold].stack, u->held[hold].pc);
	uint64_t waited_ms = (lc_now_ns() - t->wait.since_ns) / 1000000;
	char buf[24];
	snprintf(m->message, sizeof m->message,
		 "T%u has waited %" PRIu64 " ms for %s, held by T%u", t->id,
		 waited_ms, label(m, n_locks, l, buf, sizeof buf), u->id);
	uint64_t id = lc_hash_str(LC_HASH_START, "long-wait");
	id = lc_hash_str(id, m->views[0].identity);
	if (m->frames[0][0].module) {
		char where[64];
		snprintf(where, sizeof where, "\n%" PRIx64, m->frames[0][0].offset);
		id = lc_hash_str(id, where);
	}
	if (lc_first_report(id)) {
		lc_format_id(m->id, id);
		lc_finding f = {
			.kind = LC_KIND_LONG_WAIT,
			.severity = LC_SEV_WARNING,
			.id = m->id,
			.message = m->message,
			.pid = (int)getpid(),
			.locks = m->locks,
			.n_locks = n_locks,
			.threads = m->threads,
			.n_threads = 2,
			.sites = m->sites,
			.n_sites = 2,
		};
		lc_report_finding(&f);
	}
	munmap(m, sizeof *m);
}

/* One check of t's wait, with the walk's state in w. */
static unsigned check_with(lc_thread *t, walk_state *w)
{
	int saved_errno = errno;
	unsigned next_ms = LC_WAIT_TICK_MS;
	step *path = w->path;
	w->n_visited = 0;
	path[0] = (step){ .thread = t, .hold = -1 };
	unsigned n = walk(w, 1);
	uint64_t seen = n ? cycle_hash(path, n) : 0;
	if (n && seen == t->wait.last_cycle) {
		lc_graph_lock();
		report_deadlock(path, n);
		lc_graph_unlock();
	}
	t->wait.last_cycle = seen;

	uintptr_t addr = atomic_load(&t->wait.lock_addr);
	if (lc_opt.wait_report_ms > 0 && addr && !t->wait.long_said) {
		uint64_t waited = (lc_now_ns() - t->wait.since_ns) / 1000000;
		if (waited >= (uint64_t)lc_opt.wait_report_ms) {
			for (lc_thread *u = lc_thread_all(); u; u = u->next_all) {
				int hold;
				if (u == t || !atomic_load(&u->alive) ||
				    (hold = blocking_hold(u, addr, t->wait.shared)) < 0)
					continue;
				t->wait.long_said = 1;
				lc_graph_lock();
				report_long_wait(t, u, hold);
				lc_graph_unlock();
				break;
			}
		} else if (lc_opt.wait_report_ms - waited < next_ms) {
			next_ms = (unsigned)(lc_opt.wait_report_ms - waited);
		}
	}
	errno = saved_errno;
	return next_ms ? next_ms : 1;
}

unsigned lc_wait_check(lc_thread *t)
{
	/* The walk's state is large for a thread stack: it lives in the
	 * thread record's scratch. */
	_Static_assert(sizeof(walk_state) <= sizeof t->held_set,
		       "walk state fits the scratch");
	return check_with(t, (walk_state *)(void *)t->held_set);
}

void lc_wait_check_passive(void)
{
	/* One watch thread: its walks share one scratch. (The waiters' own
	 * scratch is theirs: a waiter may wake and use it meanwhile.) */
	static walk_state scratch;
	for (lc_thread *t = lc_thread_all(); t; t = t->next_all)
		if (atomic_load(&t->alive) && atomic_load(&t->wait.passive) &&
		    atomic_load(&t->wait.lock_addr))
			check_with(t, &scratch);
}

void lc_wait_begin(lc_thread *t, uintptr_t addr, int shared, uint32_t join_id,
		   int ends_alone, uintptr_t pc)
{
	int saved_errno = errno;
	uintptr_t pcs[LC_STACK_MAX];
	t->wait.stack = lc_stack_intern(pcs, lc_stack_capture(pcs, LC_STACK_MAX));
	t->wait.pc = pc;
	t->wait.shared = (uint8_t)(shared != 0);
	t->wait.long_said = 0;
	t->wait.ends_alone = (uint8_t)(ends_alone != 0);
	t->wait.last_cycle = 0;
	t->wait.since_ns = lc_now_ns() - (uint64_t)LC_WAIT_GRACE_MS * 1000000;
	lc_thread_note_name(t);
	/* Publish the wait before looking at others': of two threads that
	 * start waiting for each other at once, at least one sees the other. */
	atomic_store(&t->wait.join_thread, join_id);
	atomic_store(&t->wait.lock_addr, addr);
	if (!ends_alone)
		lc_asleep_watch(0);
	errno = saved_errno;
}

void lc_wait_end(lc_thread *t)
{
	atomic_store(&t->wait.lock_addr, 0);
	atomic_store(&t->wait.join_thread, 0);
	atomic_store(&t->wait.passive, 0);
}
