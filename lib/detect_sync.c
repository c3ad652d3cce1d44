/*
 * detect_sync.c: the semaphore and barrier events and their findings (the
 * rules are in detect_sync.h). The sleep state they set is
 * detect_asleep.c's.
 *
 * Every event is guarded like event.c's: a call made while the core already
 * works in this thread (a signal handler's sem_post, libunwind) passes
 * through untracked. The table (syncobj.h) is updated even for a thread
 * without a record and before the core is ready (another library's
 * constructor may make a semaphore), so that "never initialised" stays
 * sound; findings, which need a thread and the depot, are made only by a
 * thread with a record. An update that cannot be made (the table is full,
 * an init raced) marks the table as having missed one.
 *
 * A finding speaks of one object, described with describe.c's lock view (a
 * global object is named by its symbol, an anonymous one by its creation
 * site) with the type "semaphore" or "barrier"; its sites are the current
 * call, then the init and the destroy that explain it.
 */
#define _GNU_SOURCE
#include "detect_sync.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "describe.h"
#include "detect_wait.h"
#include "graph.h"
#include "report.h"
#include "stack.h"

/* The record fields a finding needs, copied once (the record may change
 * while the finding is written). */
typedef struct sync_view {
	uintptr_t addr;
	uint32_t serial;
	uint8_t kind;
	uint8_t destroyed;
	uintptr_t init_pc, destroy_pc;
	uint32_t init_stack, destroy_stack;
	uint32_t init_thread, destroy_thread;
} sync_view;

typedef struct sync_site {
	const char *what;
	uint32_t thread;
	uint32_t stack;
	uintptr_t pc;
} sync_site;

#define SYNC_SITES 3

typedef struct sync_mem {
	lc_lock_view view;
	lc_finding_lock lock;
	lc_frame created[LC_STACK_MAX];
	lc_finding_site sites[SYNC_SITES];
	lc_frame frames[SYNC_SITES][LC_STACK_MAX];
	lc_finding_thread threads[SYNC_SITES];
	char label[200];
	char message[512];
	char id[32];
} sync_mem;

/* Enters the core for this event: 0 when it already works in this thread
 * (pass through). *t: the thread's record, NULL when it has none (the
 * table is still kept). */
static int sync_enter(lc_thread **t)
{
	if (lc_tls_guard)
		return 0;
	lc_tls_guard = 1;
	*t = lc_tls_thread;
	return 1;
}

static void sync_leave(void)
{
	lc_tls_guard = 0;
}

/* No record, no stack: a thread the shim did not see start reports
 * nothing (the caller checks), and costs no walk. */
static uint32_t current_stack(lc_thread *t, uintptr_t pc)
{
	return t ? lc_stack_here(pc) : 0;
}

static void view_of(const lc_syncobj *o, uintptr_t addr, sync_view *v)
{
	v->addr = addr;
	v->serial = o->serial;
	v->kind = o->kind;
	v->destroyed = atomic_load(&o->state) == LC_SYNCOBJ_DESTROYED;
	v->init_pc = o->init_pc;
	v->destroy_pc = o->destroy_pc;
	v->init_stack = o->init_stack;
	v->destroy_stack = o->destroy_stack;
	v->init_thread = o->init_thread;
	v->destroy_thread = o->destroy_thread;
}

static const char *kind_word(uint8_t kind)
{
	return kind == LC_SYNC_BARRIER ? "barrier" : "semaphore";
}

static void add_thread(sync_mem *m, unsigned *n, uint32_t id)
{
	if (!id)
		return;
	for (unsigned i = 0; i < *n; i++)
		if (m->threads[i].id == id)
			return;
	m->threads[*n].id = id;
	m->threads[*n].name = lc_thread_name(id);
	(*n)++;
}

/* Writes a finding about v at sites[0..n) (the current call first); the
 * message is `fmt` with the thread id, the current site's verb, the
 * object's kind word and label, then `extra` (a format that does not show
 * it ends with "%.0u"). Under the graph lock. */
static void report_sync(lc_finding_kind kind, const char *detail,
			lc_thread *t, const sync_view *v,
			const sync_site *sites, unsigned n, const char *fmt,
			unsigned extra)
{
	sync_mem *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return;
	/* The object as a lock view: its symbol, or its creation site. */
	lc_lock fake;
	memset(&fake, 0, sizeof fake);
	fake.addr = v->addr;
	fake.id = v->serial;
	fake.create_pc = v->init_pc;
	lc_describe_lock(&fake, &m->view);
	lc_describe_finding_lock(&fake, &m->view, &m->lock);
	m->lock.type = kind_word(v->kind);
	m->lock.destroyed = v->destroyed;
	unsigned depth = lc_describe_stack(m->created, v->init_stack, v->init_pc);
	if (depth) {
		m->lock.created.frames = m->created;
		m->lock.created.depth = depth;
	}
	if (m->lock.name)
		snprintf(m->label, sizeof m->label, "%s", m->lock.name);
	else
		snprintf(m->label, sizeof m->label, "%c%u",
			 v->kind == LC_SYNC_BARRIER ? 'B' : 'S', v->serial);

	uint64_t id = lc_hash_str(LC_HASH_START, lc_finding_kind_name(kind));
	if (detail)
		id = lc_hash_str(lc_hash_str(id, "/"), detail);
	id = lc_hash_str(lc_hash_str(id, "\n"), m->view.identity);
	unsigned n_threads = 0;
	for (unsigned i = 0; i < n && i < SYNC_SITES; i++) {
		lc_finding_site *s = &m->sites[i];
		s->what = sites[i].what;
		s->thread = sites[i].thread;
		s->lock = v->serial;
		s->stack.frames = m->frames[i];
		s->stack.depth = lc_describe_stack(m->frames[i], sites[i].stack,
						   sites[i].pc);
		add_thread(m, &n_threads, sites[i].thread);
		id = lc_describe_hash_site(id, sites[i].what, &s->stack);
	}
	if (!lc_first_report(id))
		goto out;
	lc_format_id(m->id, id);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(m->message, sizeof m->message, fmt, t->id, sites[0].what,
		 kind_word(v->kind), m->label, extra);
#pragma GCC diagnostic pop
	lc_finding f = {
		.kind = kind,
		.severity = LC_SEV_ERROR,
		.id = m->id,
		.message = m->message,
		.pid = (int)getpid(),
		.locks = &m->lock,
		.n_locks = 1,
		.threads = m->threads,
		.n_threads = n_threads,
		.sites = m->sites,
		.n_sites = n < SYNC_SITES ? n : SYNC_SITES,
		.detail = detail,
	};
	lc_report_finding(&f);
out:
	munmap(m, sizeof *m);
}

/* Captures the current stack, then reports with the init and destroy sites
 * the view has (as `with` asks: 1 init, 2 destroy), errno kept. */
static void report(lc_finding_kind kind, const char *detail, lc_thread *t,
		   const sync_view *v, const char *what, uintptr_t pc,
		   unsigned with, const char *fmt, unsigned extra)
{
	int saved_errno = errno;
	sync_site sites[SYNC_SITES];
	unsigned n = 0;
	sites[n++] = (sync_site){ what, t->id, current_stack(t, pc), pc };
	if ((with & 1) && (v->init_pc || v->init_stack))
		sites[n++] = (sync_site){ "initialised", v->init_thread,
					  v->init_stack, v->init_pc };
	if ((with & 2) && (v->destroy_pc || v->destroy_stack))
		sites[n++] = (sync_site){ "destroyed", v->destroy_thread,
					  v->destroy_stack, v->destroy_pc };
	lc_thread_note_name(t);
	lc_graph_lock();
	report_sync(kind, detail, t, v, sites, n, fmt, extra);
	lc_graph_unlock();
	errno = saved_errno;
}

/* Prove that no other process can have initialised the object at addr: it
 * lies in a private mapping of this process ('p' in /proc/self/maps; a
 * fork child's copy is covered by the inherited table). 0 when it is
 * shared, or when that cannot be read. */
static int in_private_mapping(uintptr_t addr)
{
	int fd = open("/proc/thread-self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char buf[4096];
	/* Per line: start, end, perms[3]; parsed across reads. */
	uintptr_t start = 0, end = 0;
	int field = 0, col = 0, found = 0, result = 0;
	ssize_t got;
	while (!found && (got = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < got && !found; i++) {
			char c = buf[i];
			if (c == '\n') {
				start = end = 0;
				field = col = 0;
				continue;
			}
			if (field == 0 || field == 1) {
				uintptr_t *x = field ? &end : &start;
				if (c == '-' || c == ' ') {
					field++;
					continue;
				}
				int d = c >= '0' && c <= '9'   ? c - '0'
					: c >= 'a' && c <= 'f' ? c - 'a' + 10
							       : -1;
				if (d < 0) {
					field = 9; /* malformed: skip line */
					continue;
				}
				*x = *x << 4 | (uintptr_t)d;
			} else if (field == 2) {
				if (col == 3 && addr >= start && addr < end) {
					found = 1;
					result = c == 'p';
				}
				if (++col == 4)
					field = 9;
			}
		}
	}
	close(fd);
	return result;
}

/* The live threads inside a wait on addr now (their sleep state). Counted
 * from the threads rather than kept in the record: in a fork child the
 * record's count still has the parent's waiters, which do not exist there
 * (fork_child marks their records dead). */
static unsigned sleepers_on(uintptr_t addr)
{
	unsigned n = 0;
	for (lc_thread *u = lc_thread_all(); u; u = u->next_all)
		n += atomic_load_explicit(&u->alive, memory_order_relaxed) &&
		     atomic_load_explicit(&u->sleep.obj, memory_order_acquire) ==
			     addr;
	return n;
}

#define MSG_DESTROYED "thread T%u %s %s %s, which was destroyed"

void lc_on_sync_init_before(void *obj, lc_sync_kind kind, unsigned count,
			    uintptr_t pc)
{
	lc_thread *t;
	if (!sync_enter(&t))
		return;
	/* Only a thread with a record reports. */
	if (!t)
		goto out;
	if (kind == LC_SYNC_BARRIER && count == 0) {
		sync_view v = { .addr = (uintptr_t)obj,
				.serial = lc_syncobj_serial(),
				.kind = LC_SYNC_BARRIER };
		report(LC_KIND_BARRIER_MISUSE, "zero-count", t, &v,
		       "initialises", pc, 0,
		       "thread T%u %s %s %s with a count of 0: the "
		       "init fails (EINVAL)%.0u", 0);
		goto out;
	}
	lc_syncobj *o = lc_syncobj_find((uintptr_t)obj);
	/* Not live, or process-shared (another process may have destroyed
	 * it): nothing to say. */
	if (!o || atomic_load_explicit(&o->state, memory_order_acquire) !=
			  LC_SYNCOBJ_LIVE || o->pshared)
		goto out;
	sync_view v;
	view_of(o, (uintptr_t)obj, &v);
	if (o->addr != (uintptr_t)obj)
		goto out;
	report(LC_KIND_REINIT, NULL, t, &v, "initialises", pc, 1,
	       "thread T%u %s %s %s again while it is live (no destroy "
	       "since its init)%.0u", 0);
out:
	sync_leave();
}

void lc_on_sync_init(void *obj, lc_sync_kind kind, unsigned count,
		     int pshared, uintptr_t pc)
{
	lc_thread *t;
	if (!sync_enter(&t)) {
		lc_syncobj_miss();
		return;
	}
	uint32_t prev;
	lc_syncobj *o = lc_syncobj_claim((uintptr_t)obj, &prev);
	if (!o) {
		lc_syncobj_miss();
		goto out;
	}
	o->kind = (uint8_t)kind;
	o->pshared = pshared != 0;
	o->count = count;
	atomic_store(&o->arrived, 0);
	o->init_pc = pc;
	o->init_stack = current_stack(t, pc);
	o->init_thread = t ? t->id : 0;
	o->destroy_pc = 0;
	o->destroy_stack = 0;
	o->destroy_thread = 0;
	lc_syncobj_publish(o, LC_SYNCOBJ_LIVE);
out:
	sync_leave();
}

void lc_on_sync_destroy_before(void *obj, lc_sync_kind kind,
			       unsigned libc_waiters, uintptr_t pc)
{
	lc_thread *t;
	if (!sync_enter(&t))
		return;
	lc_syncobj *o = t ? lc_syncobj_find((uintptr_t)obj) : NULL;
	if (!o || o->pshared)
		goto out;
	uint32_t state = atomic_load_explicit(&o->state, memory_order_acquire);
	sync_view v;
	view_of(o, (uintptr_t)obj, &v);
	if (o->addr != (uintptr_t)obj)
		goto out;
	if (state == LC_SYNCOBJ_DESTROYED) {
		report(LC_KIND_INVALID_USE, "destroyed", t, &v, "destroys", pc,
		       3, MSG_DESTROYED "%.0u", 0);
		goto out;
	}
	if (state != LC_SYNCOBJ_LIVE)
		goto out;
	unsigned waiting = sleepers_on((uintptr_t)obj);
	if (kind == LC_SYNC_SEM) {
		/* Both counts: the shim's says who is inside sem_wait, glibc's
		 * who has not yet taken a token. */
		if (libc_waiters < waiting)
			waiting = libc_waiters;
		if (waiting)
			report(LC_KIND_SEM_MISUSE, "destroyed-with-waiters", t,
			       &v, "destroys", pc, 1,
			       "thread T%u %s %s %s while %u thread(s) "
			       "wait on it",
			       waiting);
	} else if (o->count) {
		/* Threads of an unfinished round: the arrivals since the
		 * init past the last multiple of the count. */
		unsigned pending =
			(unsigned)(atomic_load(&o->arrived) % o->count);
		if (pending && waiting)
			report(LC_KIND_BARRIER_MISUSE, "destroyed-with-waiters",
			       t, &v, "destroys", pc, 1,
			       "thread T%u %s %s %s while %u thread(s) "
			       "wait in it: the round cannot end, and the "
			       "destroy waits for them for ever",
			       pending);
	}
out:
	sync_leave();
}

void lc_on_sync_destroy(void *obj, lc_sync_kind kind, uintptr_t pc)
{
	lc_thread *t;
	if (!sync_enter(&t))
		return;
	lc_syncobj *o = lc_syncobj_find((uintptr_t)obj);
	if (o && lc_syncobj_acquire(o, LC_SYNCOBJ_LIVE)) {
		o->destroy_pc = pc;
		o->destroy_stack = current_stack(t, pc);
		o->destroy_thread = t ? t->id : 0;
		lc_syncobj_publish(o, LC_SYNCOBJ_DESTROYED);
	}
	(void)kind;
	sync_leave();
}

/* A semaphore used without any init seen: claimed as UNKNOWN (so this is
 * looked at once), and reported if it cannot be another process's. */
static void first_unknown_use(lc_thread *t, uintptr_t addr, const char *what,
			      uintptr_t pc)
{
	if (lc_syncobj_missed() || !in_private_mapping(addr))
		return;
	uint32_t prev;
	lc_syncobj *o = lc_syncobj_claim(addr, &prev);
	if (!o)
		return;
	if (prev != LC_SYNCOBJ_BUSY) {
		/* Initialised meanwhile (a race with its init). */
		lc_syncobj_publish(o, prev);
		return;
	}
	o->kind = LC_SYNC_SEM;
	o->pshared = 0;
	o->count = 0;
	lc_syncobj_publish(o, LC_SYNCOBJ_UNKNOWN);
	sync_view v;
	view_of(o, addr, &v);
	/* An object with no creation site is named by where it is used. */
	v.init_pc = pc;
	if (lc_syncobj_missed())
		return;
	report(LC_KIND_INVALID_USE, "uninitialised", t, &v, what, pc, 0,
	       "thread T%u %s %s %s, which was never initialised (no "
	       "sem_init)%.0u", 0);
}

uintptr_t lc_on_sync_use(void *obj, lc_sync_kind kind, unsigned how,
			 uintptr_t pc)
{
	lc_thread *t;
	if (!sync_enter(&t))
		return 0;
	int saved_errno = errno; /* the maps file's open and read */
	uintptr_t addr = (uintptr_t)obj;
	const char *what = how & LC_SYNC_POST ? "posts"
			   : how & LC_SYNC_TRY ? "tries to wait on"
			   : kind == LC_SYNC_BARRIER ? "waits in"
						     : "waits on";
	lc_syncobj *o = lc_syncobj_find(addr);
	uintptr_t cookie = 0;
	if (!o) {
		if (t && kind == LC_SYNC_SEM)
			first_unknown_use(t, addr, what, pc);
	} else {
		uint32_t state = atomic_load_explicit(&o->state,
						      memory_order_acquire);
		if (state == LC_SYNCOBJ_DESTROYED && t && !o->pshared) {
			sync_view v;
			view_of(o, addr, &v);
			if (o->addr == addr)
				report(LC_KIND_INVALID_USE, "destroyed", t, &v,
				       what, pc, 3, MSG_DESTROYED "%.0u", 0);
		}
		if ((how & LC_SYNC_WAIT) && state == LC_SYNCOBJ_LIVE) {
			atomic_fetch_add(&o->waiters, 1);
			if (kind == LC_SYNC_BARRIER)
				atomic_fetch_add(&o->arrived, 1);
			cookie = (uintptr_t)o;
		}
	}
	errno = saved_errno;
	sync_leave();
	if (how & LC_SYNC_WAIT) {
		unsigned sleep_how =
			(how & LC_SYNC_TIMED ? LC_SLEEP_TIMED : 0) |
			(how & LC_SYNC_PSHARED || (o && o->pshared)
				 ? LC_SLEEP_PSHARED
				 : 0);
		lc_on_sleep_begin(obj,
				  kind == LC_SYNC_BARRIER ? LC_SLEEP_BARRIER
							  : LC_SLEEP_SEM,
				  sleep_how, 0, pc);
		cookie |= 1; /* records are aligned: bit 0 says "asleep" */
	}
	return cookie;
}

void lc_on_sync_use_end(uintptr_t cookie)
{
	if (cookie & 1)
		lc_on_sleep_end();
	lc_syncobj *o = (lc_syncobj *)(cookie & ~(uintptr_t)1);
	if (o)
		atomic_fetch_sub(&o->waiters, 1);
}

void lc_on_sem_overflow(void *obj, uintptr_t pc)
{
	lc_thread *t;
	if (!sync_enter(&t))
		return;
	if (t) {
		lc_syncobj *o = lc_syncobj_find((uintptr_t)obj);
		sync_view v = { .addr = (uintptr_t)obj,
				.serial = lc_syncobj_serial(),
				.kind = LC_SYNC_SEM };
		if (o && o->addr == (uintptr_t)obj)
			view_of(o, (uintptr_t)obj, &v);
		report(LC_KIND_SEM_MISUSE, "overflow", t, &v, "posts", pc, 1,
		       "thread T%u %s %s %s past its maximum value "
		       "(SEM_VALUE_MAX): the post fails with EOVERFLOW%.0u",
		       0);
	}
	sync_leave();
}
