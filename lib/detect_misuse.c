/*
 * detect_misuse.c: describes and writes misuse findings (see detect_misuse.h).
 *
 * Every misuse finding has the same shape: the thread, the lock or locks
 * involved, and a few sites ("relocks", "acquired": verb phrases whose
 * subject is the thread), the current one first. One builder serves all five kinds; each public function
 * only says which locks and sites. The id hashes the kind, the locks' stable
 * identities and the sites' code locations (module + offset), so the same
 * mistake at the same place is reported once, and the same mistake elsewhere
 * is a new finding.
 */
#define _GNU_SOURCE
#include "detect_misuse.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "describe.h"
#include "graph.h"
#include "report.h"
#include "stack.h"

#define MISUSE_LOCKS 64 /* locks listed in one finding (held-at-exit) */
#define MISUSE_SITES (MISUSE_LOCKS + 1)

/* One site to describe: a depot stack, or a single pc when stack is 0. */
typedef struct site_spec {
	const char *what;
	lc_lock *lock;
	uint32_t stack;
	uintptr_t pc;
	uint32_t thread; /* whose site: 0 for the reporting thread */
} site_spec;

typedef struct misuse_mem {
	lc_lock_view views[MISUSE_LOCKS];
	lc_finding_lock locks[MISUSE_LOCKS];
	lc_finding_site sites[MISUSE_SITES];
	lc_frame frames[MISUSE_SITES][LC_STACK_MAX];
	const char *labels[MISUSE_LOCKS];
	char anon[MISUSE_LOCKS][16];
	char message[1024];
	char id[32];
} misuse_mem;

static const char *lock_label(const lc_finding_lock *l, char *buf, size_t n)
{
	if (l->name)
		return l->name;
	snprintf(buf, n, "M%u", l->id);
	return buf;
}

/* Formats a finding's one-line message from its locks' labels. */
typedef void (*message_fn)(char *buf, size_t size, const char *const *labels,
			   unsigned n_labels, const lc_thread *t,
			   const void *arg);

/* Writes a finding about `locks` at `sites`, its message made by `message`. */
static void report_misuse(lc_finding_kind kind, lc_severity severity,
			  lc_thread *t, lc_lock *const *locks, unsigned n_locks,
			  const site_spec *sites, unsigned n_sites,
			  message_fn message, const void *arg, const char *detail)
{
	misuse_mem *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return;
	if (n_locks > MISUSE_LOCKS)
		n_locks = MISUSE_LOCKS;
	if (n_sites > MISUSE_SITES)
		n_sites = MISUSE_SITES;
	uint64_t id = lc_hash_str(LC_HASH_START, lc_finding_kind_name(kind));
	if (detail && strcmp(detail, "destroyed") != 0)
		id = lc_hash_str(lc_hash_str(id, "/"), detail);
	for (unsigned i = 0; i < n_locks; i++) {
		lc_describe_lock(locks[i], &m->views[i]);
		lc_describe_finding_lock(locks[i], &m->views[i], &m->locks[i]);
		id = lc_hash_str(lc_hash_str(id, "\n"), m->views[i].identity);
		m->labels[i] = lock_label(&m->locks[i], m->anon[i],
					  sizeof m->anon[i]);
	}
	for (unsigned i = 0; i < n_sites; i++) {
		lc_finding_site *s = &m->sites[i];
		s->what = sites[i].what;
		s->thread = sites[i].thread ? sites[i].thread : t->id;
		s->lock = sites[i].lock ? sites[i].lock->id : 0;
		s->stack.frames = m->frames[i];
		s->stack.depth =
			lc_describe_stack(m->frames[i], sites[i].stack, sites[i].pc);
		id = lc_describe_hash_site(id, NULL, &s->stack);
	}
	if (!lc_first_report(id))
		goto out;
	lc_format_id(m->id, id);
	message(m->message, sizeof m->message, m->labels, n_locks, t, arg);
	/* The reporting thread, and another whose site is listed (a
	 * finding names every thread it speaks of). */
	lc_finding_thread threads[2] = {
		{ .id = t->id, .name = lc_thread_name(t->id) },
	};
	unsigned n_threads = 1;
	for (unsigned i = 0; i < n_sites && n_threads < 2; i++)
		if (m->sites[i].thread != t->id)
			threads[n_threads++] = (lc_finding_thread){
				.id = m->sites[i].thread,
				.name = lc_thread_name(m->sites[i].thread)
			};
	lc_finding f = {
		.kind = kind,
		.severity = severity,
		.id = m->id,
		.message = m->message,
		.pid = (int)getpid(),
		.locks = m->locks,
		.n_locks = n_locks,
		.threads = threads,
		.n_threads = n_threads,
		.sites = m->sites,
		.n_sites = n_sites,
		.detail = detail,
	};
	lc_report_finding(&f);
out:
	munmap(m, sizeof *m);
}

/* Captures the stack, then reports under the graph lock, errno kept. */
#define REPORT_MISUSE_DETAIL(kind, severity, t, locks, n_locks, sites,      \
			     n_sites, message, arg, detail)                    \
	do {                                                                   \
		int saved_errno_ = errno;                                      \
		lc_thread_note_name(t);                                        \
		lc_graph_lock();                                               \
		report_misuse(kind, severity, t, locks, n_locks, sites,        \
			      n_sites, message, arg, detail);                  \
		lc_graph_unlock();                                             \
		errno = saved_errno_;                                          \
	} while (0)
#define REPORT_MISUSE(kind, severity, t, locks, n_locks, sites, n_sites,     \
		      message, arg)                                            \
	REPORT_MISUSE_DETAIL(kind, severity, t, locks, n_locks, sites,         \
			     n_sites, message, arg, NULL)

/* The messages: each names the thread and the first lock's label. */
#define MESSAGE(name, ...)                                                     \
	static void name(char *buf, size_t size, const char *const *labels,    \
			 unsigned n_labels, const lc_thread *t, const void *arg) \
	{                                                                      \
		snprintf(buf, size, __VA_ARGS__);                              \
	}
MESSAGE(double_lock_message,
	"thread T%u locks %s, which it already holds: a non-recursive lock "
	"blocks forever (or fails)", t->id, labels[0])
MESSAGE(bad_unlock_message, "thread T%u unlocks %s, which it does not hold",
	t->id, labels[0])
MESSAGE(destroy_held_message, "thread T%u destroys %s while holding it",
	t->id, labels[0])
MESSAGE(destroy_busy_message, "thread T%u destroys %s while it is held",
	t->id, labels[0])
MESSAGE(abandoned_message,
	"thread T%u holds %s, whose memory was %s as a new lock: the old "
	"lock was abandoned while held", t->id, labels[0], (const char *)arg)
MESSAGE(cond_unheld_message,
	"thread T%u waits on a condition with %s, which it does not hold",
	t->id, labels[0])
MESSAGE(held_at_exit_message, "thread T%u ended holding %u lock(s), first %s",
	t->id, n_labels, labels[0])
MESSAGE(invalid_use_message, "thread T%u %s %s, which %s", t->id,
	((const char *const *)arg)[0], labels[0], ((const char *const *)arg)[1])
MESSAGE(reinit_message,
	"thread T%u initialises %s again while it is in use (%s)", t->id,
	labels[0], (const char *)arg)
MESSAGE(cond_waiters_message,
	"thread T%u destroys condition variable %s while %u thread(s) wait on "
	"it: the destroy blocks until they leave", t->id, labels[0],
	*(const unsigned *)arg)
MESSAGE(cond_two_mutexes_message,
	"thread T%u waits on condition variable %s with %s while another "
	"thread waits on it with %s", t->id, labels[0], labels[1],
	n_labels > 2 ? labels[2] : "another mutex")
MESSAGE(order_violation_message,
	"thread T%u takes %s while holding %s, against the declared order (%s)",
	t->id, labels[0], labels[1], (const char *)arg)

void lc_misuse_double_lock(lc_thread *t, int held, lc_lock *lock, uintptr_t pc)
{
	const lc_held *h = &t->held[held];
	site_spec sites[2] = {
		{ "relocks", lock, lc_stack_here(pc), pc, 0 },
		{ "acquired", lock, h->stack, h->pc, 0 },
	};
	REPORT_MISUSE(LC_KIND_DOUBLE_LOCK, LC_SEV_ERROR, t, &lock, 1, sites, 2,
		      double_lock_message, NULL);
}

void lc_misuse_bad_unlock(lc_thread *t, lc_lock *lock, uintptr_t pc)
{
	site_spec site = { "unlocks", lock, lc_stack_here(pc), pc, 0 };
	REPORT_MISUSE(LC_KIND_BAD_UNLOCK, LC_SEV_ERROR, t, &lock, 1, &site, 1,
		      bad_unlock_message, NULL);
}

void lc_misuse_destroy_locked(lc_thread *t, int held, lc_lock *lock,
			      uintptr_t pc)
{
	site_spec sites[2] = { { "destroys", lock, lc_stack_here(pc), pc, 0 } };
	unsigned n = 1;
	if (held >= 0)
		sites[n++] = (site_spec){ "acquired", lock, t->held[held].stack,
					  t->held[held].pc, 0 };
	REPORT_MISUSE_DETAIL(LC_KIND_DESTROY_LOCKED, LC_SEV_ERROR, t, &lock, 1,
			     sites, n,
			     held >= 0 ? destroy_held_message
				       : destroy_busy_message,
			     NULL, "destroyed");
}

void lc_misuse_abandoned(lc_thread *t, int held, lc_lock *old, int reused,
			 uintptr_t pc)
{
	site_spec sites[2] = {
		{ reused ? "takes the new lock in" : "initialises the new lock in",
		  old, lc_stack_here(pc), pc, 0 },
		{ "acquired", old, t->held[held].stack, t->held[held].pc, 0 },
	};
	const char *how = reused ? "reused" : "reinitialised";
	REPORT_MISUSE_DETAIL(LC_KIND_DESTROY_LOCKED, LC_SEV_ERROR, t, &old, 1,
			     sites, 2, abandoned_message,
			     reused ? "reused (no init or destroy between)"
				    : "initialised again",
			     how);
}

void lc_misuse_cond_wait_unheld(lc_thread *t, lc_lock *mutex, uintptr_t pc)
{
	site_spec site = { "waits on a condition with", mutex,
			   lc_stack_here(pc), pc, 0 };
	REPORT_MISUSE(LC_KIND_COND_WAIT_UNHELD, LC_SEV_ERROR, t, &mutex, 1, &site,
		      1, cond_unheld_message, NULL);
}

void lc_misuse_held_at_exit(lc_thread *t, uintptr_t pc)
{
	lc_lock *locks[MISUSE_LOCKS];
	site_spec sites[MISUSE_SITES];
	unsigned n = 0;
	/* Where it ended: the start routine that returned, or the caller of
	 * pthread_exit; the stack below that is the thread library's. */
	sites[0] = (site_spec){ "ended", NULL, 0, pc, 0 };
	for (uint32_t i = 0; i < t->n_held && n < MISUSE_LOCKS; i++) {
		locks[n] = t->held[i].lock;
		sites[n + 1] = (site_spec){ "acquired", t->held[i].lock,
					    t->held[i].stack, t->held[i].pc, 0 };
		n++;
	}
	REPORT_MISUSE(LC_KIND_HELD_AT_EXIT, LC_SEV_WARNING, t, locks, n, sites,
		      n + 1, held_at_exit_message, NULL);
}

void lc_misuse_order_violation(lc_thread *t, int held, lc_lock *lock,
			       const char *why, uintptr_t pc)
{
	const lc_held *h = &t->held[held];
	lc_lock *locks[2] = { lock, h->lock };
	site_spec sites[2] = {
		{ "acquires", lock, lc_stack_here(pc), pc, 0 },
		{ "acquired", h->lock, h->stack, h->pc, 0 },
	};
	REPORT_MISUSE(LC_KIND_ORDER_VIOLATION, LC_SEV_ERROR, t, locks, 2, sites,
		      2, order_violation_message, why);
}

void lc_misuse_invalid_use(lc_thread *t, lc_lock *obj, const char *what,
			   int destroyed, uintptr_t init_pc,
			   uintptr_t destroy_pc, uintptr_t pc)
{
	site_spec sites[3] = { { what, obj, lc_stack_here(pc), pc, 0 } };
	unsigned n = 1;
	if (destroy_pc)
		sites[n++] = (site_spec){ "destroyed", obj, 0, destroy_pc, 0 };
	if (init_pc)
		sites[n++] = (site_spec){ "initialised", obj, 0, init_pc, 0 };
	const char *words[2] = {
		what, destroyed ? "was destroyed"
				: "was never initialised (glibc refuses it)"
	};
	REPORT_MISUSE_DETAIL(LC_KIND_INVALID_USE, LC_SEV_ERROR, t, &obj, 1,
			     sites, n, invalid_use_message, words,
			     destroyed ? "destroyed" : "uninitialised");
}

void lc_misuse_reinit(lc_thread *t, lc_lock *obj, const char *why,
		      const char *use, uint32_t user, uintptr_t user_pc,
		      uintptr_t init_pc, uintptr_t pc)
{
	site_spec sites[3] = { { "initialises again", obj, lc_stack_here(pc),
				 pc, 0 } };
	unsigned n = 1;
	if (user_pc)
		sites[n++] = (site_spec){ use, obj, 0, user_pc, user };
	if (init_pc)
		sites[n++] = (site_spec){ "initialised", obj, 0, init_pc, 0 };
	REPORT_MISUSE(LC_KIND_REINIT, LC_SEV_ERROR, t, &obj, 1, sites, n,
		      reinit_message, why);
}

void lc_misuse_cond_destroy_waited(lc_thread *t, lc_lock *cond,
				   unsigned waiters, uint32_t waiter,
				   uintptr_t wait_pc, uintptr_t init_pc,
				   uintptr_t pc)
{
	site_spec sites[3] = { { "destroys", cond, lc_stack_here(pc), pc, 0 } };
	unsigned n = 1;
	if (wait_pc)
		sites[n++] = (site_spec){ "waits on", cond, 0, wait_pc, waiter };
	if (init_pc)
		sites[n++] = (site_spec){ "initialised", cond, 0, init_pc, 0 };
	REPORT_MISUSE_DETAIL(LC_KIND_COND_MISUSE, LC_SEV_ERROR, t, &cond, 1,
			     sites, n, cond_waiters_message, &waiters,
			     "destroyed-with-waiters");
}

void lc_misuse_cond_two_mutexes(lc_thread *t, lc_lock *cond, lc_lock *mutex,
				lc_lock *other, uint32_t other_thread,
				uintptr_t other_pc, uintptr_t pc)
{
	lc_lock *locks[3] = { cond, mutex, other };
	site_spec sites[2] = {
		{ "waits on a condition with", mutex, lc_stack_here(pc), pc, 0 },
		{ "waits on a condition with", other, 0, other_pc,
		  other_thread },
	};
	REPORT_MISUSE_DETAIL(LC_KIND_COND_MISUSE, LC_SEV_ERROR, t, locks,
			     other ? 3 : 2, sites, 2, cond_two_mutexes_message,
			     NULL, "two-mutexes");
}
