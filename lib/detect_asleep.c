/*
 * detect_asleep.c: the sleep state, the detector thread, and the all-asleep
 * check and report (the rule is in detect_asleep.h).
 *
 * A check has three stages, each only when the one before passed:
 *   1. a pass over the thread records: every live one asleep in a wait
 *      that only another thread can end (else: done, nothing is read but
 *      the records); the set's signature is the sum of each sleeper's
 *      (thread, sleep sequence or wait start);
 *   2. the same signature as at the previous check (else: remember it);
 *   3. the kernel's view: every task of /proc/self/task is a sleeper the
 *      kernel has asleep too, a zombie or the shim's own; no sleeper on a semaphore while a handler
 *      of an asynchronous signal is installed.
 * Then one report per signature. The snapshot of the sleepers lives in
 * static memory: only the detector thread runs checks.
 */
#define _GNU_SOURCE
#include "detect_asleep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "describe.h"
#include "detect_wait.h"
#include "event.h"
#include "graph.h"
#include "limit.h"
#include "objtable.h"
#include "options.h"
#include "report.h"
#include "stack.h"
#include "syncobj.h"
#include "thread.h"
#include "warn.h"

/* ---- the sleep state (event.h) ---- */

void lc_on_sleep_begin(const void *obj, lc_sleep_kind kind, unsigned how,
		       uintptr_t mutex, uintptr_t pc)
{
	lc_thread *t = lc_tls_thread;
	if (!t)
		return;
	t->sleep.kind = (uint8_t)kind;
	t->sleep.timed = (how & LC_SLEEP_TIMED) != 0;
	t->sleep.pshared = (how & LC_SLEEP_PSHARED) != 0;
	t->sleep.mutex = mutex;
	t->sleep.pc = pc;
	atomic_fetch_add_explicit(&t->sleep.seq, 1, memory_order_relaxed);
	atomic_store_explicit(&t->sleep.obj, (uintptr_t)obj,
			      memory_order_release);
	if (!how)
		lc_asleep_watch(0);
}

void lc_on_sleep_end(void)
{
	lc_thread *t = lc_tls_thread;
	if (!t)
		return;
	atomic_store_explicit(&t->sleep.obj, 0, memory_order_release);
	/* The next sleep's register save must not be seen before this. */
	atomic_thread_fence(memory_order_release);
}

/* ---- the detector thread ---- */

static lc_thread_starter_fn starter;
static _Atomic int watching; /* 0 no thread, 1 started (or failed) */

void lc_set_thread_starter(lc_thread_starter_fn fn)
{
	starter = fn;
}

void lc_asleep_watch(int for_passive)
{
	if (__builtin_expect(atomic_load_explicit(&watching,
						  memory_order_relaxed), 1))
		return;
	if ((!lc_opt.asleep_check && !for_passive) || !starter ||
	    atomic_exchange(&watching, 1))
		return;
	int guard = lc_tls_guard;
	lc_tls_guard = 1; /* the C library's own lock calls pass through */
	int rc = starter(lc_asleep_thread_main);
	lc_tls_guard = guard;
	if (rc != 0)
		lc_warn("cannot start the all-asleep check's thread (%s): a "
			"hang of condition, semaphore or barrier waits will not "
			"be reported",
			strerror(rc));
}

static uint64_t last_signature, reported_signature;

void lc_asleep_fork_child(void)
{
	atomic_store(&watching, 0);
	last_signature = reported_signature = 0;
}

static void check(void);

void *lc_asleep_thread_main(void *arg)
{
	(void)arg;
	lc_tls_guard = 1; /* the shim's own thread is never checked */
	lc_thread_own_enter();
	/* Its own name: it would show the name of the thread that started
	 * it (ps, top, /proc), a thread of the program's it is not. */
	prctl(PR_SET_NAME, "lockcheck-watch");
	for (;;) {
		struct timespec tick = { 0, LC_ASLEEP_TICK_MS * 1000000L };
		while (nanosleep(&tick, &tick) != 0 && errno == EINTR)
			;
		/* Annotated waits first: the all-asleep check leaves a
		 * set of lock waits already in a cycle to the walk. */
		lc_wait_check_passive();
		if (lc_opt.asleep_check)
			check();
	}
	return NULL;
}

/* ---- stage 1: the records ---- */

enum sleeper_how {
	ON_SEM = LC_SLEEP_SEM,
	ON_BARRIER = LC_SLEEP_BARRIER,
	ON_COND = LC_SLEEP_COND,
	ON_LOCK,
	ON_JOIN,
};

typedef struct sleeper {
	lc_thread *t;
	uint32_t id;
	int tid;
	uint8_t how;          /* sleeper_how */
	uint8_t shared;       /* a lock wait for reading */
	uint8_t in_cycle;     /* a lock or join wait the wait-for walk found
			       * in a cycle at its last check */
	uintptr_t obj;        /* the object, or 0 for a join */
	uintptr_t mutex;      /* a condition wait's mutex */
	uint32_t join_id;
	uint64_t generation;  /* sleep sequence, or wait start */
	uintptr_t pc;
	uint32_t stack;       /* a lock or join waiter's own capture */
	lc_regs regs;         /* a sleeper's saved registers */
} sleeper;

#define SLEEPERS_MAX 1024
static sleeper sleepers[SLEEPERS_MAX];
static unsigned n_sleepers;

/* Reads t's sleep or wait into s; 0 when t is not asleep for good. */
static int read_sleeper(lc_thread *t, sleeper *s)
{
	memset(s, 0, sizeof *s);
	s->t = t;
	s->id = t->id;
	s->tid = t->tid;
	uintptr_t obj = atomic_load_explicit(&t->sleep.obj,
					     memory_order_acquire);
	if (obj) {
		uint32_t seq = atomic_load_explicit(&t->sleep.seq,
						    memory_order_acquire);
		s->how = t->sleep.kind;
		s->obj = obj;
		s->mutex = t->sleep.mutex;
		s->pc = t->sleep.pc;
		s->regs = t->sleep.regs;
		s->generation = seq;
		int alone = t->sleep.timed || t->sleep.pshared;
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&t->sleep.seq, memory_order_relaxed) !=
			    seq ||
		    atomic_load_explicit(&t->sleep.obj, memory_order_relaxed) !=
			    obj)
			return 0; /* it woke while we read */
		return !alone;
	}
	uintptr_t addr = atomic_load(&t->wait.lock_addr);
	uint32_t join = atomic_load(&t->wait.join_thread);
	if (!addr && !join)
		return 0;
	s->how = addr ? ON_LOCK : ON_JOIN;
	s->obj = addr;
	s->join_id = join;
	s->shared = t->wait.shared;
	s->pc = t->wait.pc;
	s->stack = t->wait.stack;
	s->generation = t->wait.since_ns;
	s->in_cycle = t->wait.last_cycle != 0;
	int alone = t->wait.ends_alone;
	if (atomic_load(&t->wait.lock_addr) != addr ||
	    atomic_load(&t->wait.join_thread) != join)
		return 0;
	return !alone;
}

/* Every live record asleep: fills sleepers[], returns the signature (0:
 * some thread is not asleep). */
static uint64_t snapshot(void)
{
	n_sleepers = 0;
	uint64_t sig = 0;
	for (lc_thread *t = lc_thread_all(); t; t = t->next_all) {
		if (!atomic_load_explicit(&t->alive, memory_order_acquire))
			continue;
		if (n_sleepers == SLEEPERS_MAX) {
			lc_limit_reached(LC_LIMIT_ASLEEP_THREADS, SLEEPERS_MAX);
			return 0;
		}
		sleeper *s = &sleepers[n_sleepers];
		if (!read_sleeper(t, s))
			return 0;
		n_sleepers++;
		sig += (s->id * 0x9E3779B97F4A7C15ull) ^
		       ((s->generation + s->how) * 0xC2B2AE3D27D4EB4Full);
	}
	return n_sleepers ? sig | 1 : 0;
}

/* ---- stage 3: the kernel's view ---- */

static int is_sleeper_tid(int tid)
{
	for (unsigned i = 0; i < n_sleepers; i++)
		if (sleepers[i].tid == tid)
			return 1;
	return 0;
}

/* The state letter of task tid (/proc/self/task/TID/stat, after the last
 * ')'), 'X' when it is gone, 0 when it cannot be read. */
static char task_state(int tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 'X' : 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : 0;
}

/* Every task the kernel counts is a sleeper that the kernel too has
 * asleep (S, or D: a sleeper woken but not yet run is R, and one being
 * debugged is t), a zombie, or the shim's own. */
static int kernel_agrees(void)
{
	int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char buf[4096];
	int ok = 1;
	long n;
	while (ok && (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; ok && off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			off += d->d_reclen;
			if (d->d_name[0] < '0' || d->d_name[0] > '9')
				continue;
			int tid = 0;
			for (const char *c = d->d_name; *c >= '0' && *c <= '9'; c++)
				tid = tid * 10 + (*c - '0');
			if (lc_thread_is_own(tid))
				continue;
			char state = task_state(tid);
			if (state == 'Z' || state == 'X')
				continue;
			if (!is_sleeper_tid(tid) || (state != 'S' && state != 'D'))
				ok = 0;
		}
	}
	if (n < 0)
		ok = 0;
	close(fd);
	return ok;
}

/* A handler of an asynchronous signal is installed (not the shim's own
 * dump signal): it may post a semaphore, and a sem_wait returns EINTR to it. */
static int async_handler_installed(void)
{
	for (int sig = 1; sig < NSIG; sig++) {
		switch (sig) {
		case SIGKILL: case SIGSTOP: case SIGSEGV: case SIGBUS:
		case SIGFPE: case SIGILL: case SIGTRAP: case SIGSYS:
			continue; /* cannot be caught, or raised by a fault */
		default:
			break;
		}
		if (sig == lc_opt.dump_signal)
			continue;
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) != 0)
			continue;
		if ((sa.sa_flags & SA_SIGINFO) ||
		    (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN))
			return 1;
	}
	return 0;
}

/* ---- the report ---- */

#define REPORT_THREADS 64
#define REPORT_LOCKS 128
#define REPORT_SITES 192

typedef struct asleep_mem {
	lc_lock fake[REPORT_THREADS];      /* records for waited objects */
	lc_lock_view views[REPORT_LOCKS];
	lc_finding_lock locks[REPORT_LOCKS];
	uintptr_t lock_addr[REPORT_LOCKS];
	lc_finding_thread threads[REPORT_THREADS];
	lc_finding_site sites[REPORT_SITES];
	lc_frame frames[REPORT_SITES][LC_STACK_MAX];
	char what[REPORT_THREADS][96];
	char label[REPORT_LOCKS][48];
	char message[4096];
	char id[32];
} asleep_mem;

static const char *kind_noun(uint8_t how)
{
	switch (how) {
	case ON_SEM: return "semaphore";
	case ON_BARRIER: return "barrier";
	case ON_COND: return "condition variable";
	case ON_JOIN: return "join";
	default: return "lock";
	}
}

/* Adds a lock (or waited object) to the report once; returns its index,
 * or -1 when full. */
static int add_lock(asleep_mem *m, unsigned *n, const lc_lock *l,
		    const char *type)
{
	for (unsigned i = 0; i < *n; i++)
		if (m->lock_addr[i] == l->addr)
			return (int)i;
	if (*n == REPORT_LOCKS)
		return -1;
	unsigned i = (*n)++;
	m->lock_addr[i] = l->addr;
	lc_describe_lock(l, &m->views[i]);
	lc_describe_finding_lock(l, &m->views[i], &m->locks[i]);
	if (type)
		m->locks[i].type = type;
	if (m->locks[i].name)
		snprintf(m->label[i], sizeof m->label[i], "%s", m->locks[i].name);
	else
		snprintf(m->label[i], sizeof m->label[i], "M%u", m->locks[i].id);
	return (int)i;
}

/* A record for the object s sleeps on: the registry's for a lock, else one
 * made up from what the tables know (its creation site the init's), with
 * an id after every lock record's (fake_base: the registry's count once
 * the report's locks are resolved; no thread can make one meanwhile, all
 * sleep). */
static const lc_lock *waited_object(asleep_mem *m, unsigned i,
				    const sleeper *s, uint32_t fake_base)
{
	if (s->how == ON_LOCK) {
		lc_lock *r = lc_registry_find(s->obj);
		if (r && r->addr == s->obj)
			return r;
	}
	lc_lock *f = &m->fake[i];
	memset(f, 0, sizeof *f);
	f->addr = s->obj;
	f->id = fake_base + 1 + i;
	f->create_pc = s->pc;
	if (s->how == ON_COND) {
		lc_obj_info ci;
		lc_objtable_get(s->obj, &ci);
		if (ci.known && ci.init_pc)
			f->create_pc = ci.init_pc;
		f->type = LC_TYPE_COND;
	} else if (s->how == ON_SEM || s->how == ON_BARRIER) {
		lc_syncobj *o = lc_syncobj_find(s->obj);
		if (o && o->addr == s->obj && o->init_pc)
			f->create_pc = o->init_pc;
	}
	return f;
}

static void report(void)
{
	asleep_mem *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return;
	unsigned n_threads = n_sleepers < REPORT_THREADS ? n_sleepers
							 : REPORT_THREADS;
	unsigned n_locks = 0, n_sites = 0;
	/* Resolve the records the report names first (a condition wait's
	 * mutex, the held locks), so that the made-up ones come after. */
	for (unsigned i = 0; i < n_threads; i++) {
		sleeper *s = &sleepers[i];
		if (s->how == ON_COND && s->mutex)
			lc_registry_get(s->mutex, LC_TYPE_MUTEX, 0, s->pc, NULL);
		uint32_t n_held = s->t->n_held < LC_MAX_HELD ? s->t->n_held
							      : LC_MAX_HELD;
		for (uint32_t h = 0; h < n_held; h++)
			lc_held_lock(&s->t->held[h]);
	}
	uint32_t fake_base = lc_registry_count();
	size_t mlen = (size_t)snprintf(
		m->message, sizeof m->message,
		"every thread is asleep, and none is left to wake the others: ");
	uint64_t id = 0;
	for (unsigned i = 0; i < n_threads; i++) {
		sleeper *s = &sleepers[i];
		lc_thread *t = s->t;
		lc_thread_refresh_name(t);
		m->threads[i] = (lc_finding_thread){ s->id, lc_thread_name(s->id) };
		uintptr_t pcs[LC_STACK_MAX];
		uint32_t stack = s->stack;
		if (!stack && s->how != ON_LOCK && s->how != ON_JOIN) {
			unsigned depth = lc_stack_capture_regs(&s->regs, pcs,
							       LC_STACK_MAX);
			if (depth)
				stack = lc_stack_intern(pcs, depth);
		}
		/* What it waits on. */
		int li = -1;
		if (s->how != ON_JOIN) {
			const char *type = s->how == ON_LOCK ? NULL
					   : kind_noun(s->how);
			li = add_lock(m, &n_locks,
				      waited_object(m, i, s, fake_base), type);
		}
		/* The site says "thread T1 <verb> <object>"; the message
		 * says it all in one line, the mutex of a condition wait too. */
		const char *verb = s->how == ON_COND  ? "waits on condition variable"
				   : s->how == ON_SEM     ? "waits on semaphore"
				   : s->how == ON_BARRIER ? "waits in barrier"
				   : s->how == ON_LOCK    ? (s->shared ? "waits to read"
								   : "waits for")
							  : m->what[i];
		const char *label = li >= 0 ? m->label[li] : "?";
		char *what = m->what[i];
		if (s->how == ON_JOIN) {
			snprintf(what, sizeof m->what[i], "waits to join thread T%u",
				 s->join_id);
		} else if (s->how == ON_COND && s->mutex) {
			lc_lock *mx = lc_registry_get(s->mutex, LC_TYPE_MUTEX, 0,
						      s->pc, NULL);
			int mi = mx ? add_lock(m, &n_locks, mx, NULL)
				    : -1;
			snprintf(what, sizeof m->what[i], "%s %s with %s", verb,
				 label, mi >= 0 ? m->label[mi] : "its mutex");
		} else {
			snprintf(what, sizeof m->what[i], "%s %s", verb, label);
		}
		if (n_sites < REPORT_SITES) {
			lc_finding_site *w = &m->sites[n_sites];
			w->what = verb;
			w->thread = s->id;
			w->lock = li >= 0 ? m->locks[li].id : 0;
			w->stack.frames = m->frames[n_sites];
			w->stack.depth = lc_describe_stack(m->frames[n_sites],
							   stack, s->pc);
			n_sites++;
			/* The id: what each thread waits on, and where. */
			uint64_t h = lc_hash_str(LC_HASH_START, kind_noun(s->how));
			if (li >= 0)
				h = lc_hash_str(h, m->views[li].identity);
			id += lc_describe_hash_site(h, NULL, &w->stack);
		}
		if (mlen < sizeof m->message)
			mlen += (size_t)snprintf(m->message + mlen,
						 sizeof m->message - mlen,
						 "%sT%u %s", i ? "; " : "",
						 s->id, what);
		/* What it holds, each with where it took it. */
		uint32_t n_held = t->n_held < LC_MAX_HELD ? t->n_held : LC_MAX_HELD;
		unsigned said = 0;
		for (uint32_t h = 0; h < n_held; h++) {
			lc_lock *l = lc_held_lock(&t->held[h]);
			if (!l)
				continue;
			int hi = add_lock(m, &n_locks, l, NULL);
			if (hi < 0)
				continue;
			if (mlen < sizeof m->message)
				mlen += (size_t)snprintf(
					m->message + mlen, sizeof m->message - mlen,
					"%s%s", said++ ? ", " : ", holding ",
					m->label[hi]);
			if (n_sites == REPORT_SITES)
				continue;
			lc_finding_site *a = &m->sites[n_sites];
			a->what = "acquired";
			a->thread = s->id;
			a->lock = l->id;
			a->stack.frames = m->frames[n_sites];
			a->stack.depth = lc_describe_stack(
				m->frames[n_sites], t->held[h].stack, t->held[h].pc);
			n_sites++;
		}
		if (!said && mlen < sizeof m->message)
			mlen += (size_t)snprintf(m->message + mlen,
						 sizeof m->message - mlen,
						 ", holding nothing");
	}
	if (n_sleepers > n_threads && mlen < sizeof m->message)
		snprintf(m->message + mlen, sizeof m->message - mlen,
			 "; and %u more threads", n_sleepers - n_threads);
	id = lc_hash_str(lc_hash_str(id ^ n_sleepers, "deadlock"), "all-asleep");
	lc_wait_report_deadlock(&(lc_finding){ .locks = m->locks,
					       .n_locks = n_locks,
					       .threads = m->threads,
					       .n_threads = n_threads,
					       .sites = m->sites,
					       .n_sites = n_sites },
				id, m->id, m->message, "all-asleep");
	munmap(m, sizeof *m);
}

/* ---- the check ---- */

static void check(void)
{
	uint64_t sig = snapshot();
	if (!sig || sig == reported_signature) {
		last_signature = sig;
		return;
	}
	if (sig != last_signature) {
		last_signature = sig;
		return;
	}
	/* Lock and join waits only, each already found in a cycle: the
	 * wait-for walk reports that hang. */
	int any_sleep = 0, any_sem = 0, all_in_cycles = 1;
	for (unsigned i = 0; i < n_sleepers; i++) {
		uint8_t how = sleepers[i].how;
		any_sleep |= how != ON_LOCK && how != ON_JOIN;
		any_sem |= how == ON_SEM;
		all_in_cycles &= sleepers[i].in_cycle;
	}
	if (!any_sleep && all_in_cycles)
		return;
	if (!kernel_agrees())
		return;
	if (any_sem && async_handler_installed())
		return;
	reported_signature = sig;
	lc_graph_lock();
	report();
	lc_graph_unlock();
}
