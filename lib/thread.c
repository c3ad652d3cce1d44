/*
 * thread.c: per-thread state records and the held-lock stack (see thread.h).
 *
 * A record is created lazily at a thread's first lock event, registered with a
 * pthread key whose destructor returns it to a free list when the thread ends
 * (thread ids are never reused; records are). The free list has its own lc_mutex:
 * thread start and end are rare next to lock operations.
 */
#define _GNU_SOURCE
#include "thread.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "arena.h"
#include "limit.h"
#include "role.h"
#include "clock.h"
#include "sync.h"
#include "sys.h"

__thread lc_tls_block lc_tls __attribute__((tls_model("initial-exec")));

static pthread_key_t thread_key;
static lc_mutex free_lock = LC_MUTEX_INIT;
static lc_thread *free_list;
static lc_thread *_Atomic all_records;
static _Atomic uint32_t next_thread_id;

/* Thread names by id; a thread that never named itself carries the process's
 * name (inherited), which is not a name worth showing. */
#define MAX_NAMED_THREADS ((uint32_t)1 << 20)
static char (*thread_names)[16];
static char process_comm[16];

static void thread_key_destructor(void *arg)
{
	lc_thread *t = arg;
	/* Lock calls from later destructors of this thread pass through
	 * rather than create a new record for a dying thread. */
	lc_tls_guard = 1;
	lc_tls_thread = NULL;
	lc_thread_release(t);
}

int lc_thread_init(void)
{
	prctl(PR_GET_NAME, process_comm, 0, 0, 0);
	thread_names = lc_arena_alloc(sizeof(*thread_names) * MAX_NAMED_THREADS);
	if (!thread_names)
		return -1;
	return pthread_key_create(&thread_key, thread_key_destructor) == 0 ? 0
									  : -1;
}

/* Stores name (NUL-terminated, < 16) for id unless it is the process's. */
static void store_name(uint32_t id, const char *name)
{
	if (id < MAX_NAMED_THREADS && strcmp(name, process_comm) != 0)
		snprintf(thread_names[id], sizeof thread_names[id], "%.15s", name);
}

void lc_thread_note_name(lc_thread *t)
{
	char name[17] = { 0 };
	if (prctl(PR_GET_NAME, name, 0, 0, 0) == 0)
		store_name(t->id, name);
	if (lc_thread_name(t->id))
		lc_role_note_name(t->role, t->id);
}

void lc_thread_refresh_name(lc_thread *t)
{
	char path[64], name[17] = { 0 };
	snprintf(path, sizeof path, "/proc/self/task/%d/comm", t->tid);
	int fd = lc_sys_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return;
	ssize_t n = lc_sys_read(fd, name, sizeof name - 1);
	lc_sys_close(fd);
	if (n <= 0)
		return;
	name[n] = '\0';
	char *nl = strchr(name, '\n');
	if (nl)
		*nl = '\0';
	store_name(t->id, name);
	if (lc_thread_name(t->id))
		lc_role_note_name(t->role, t->id);
}

const char *lc_thread_name(uint32_t id)
{
	if (id >= MAX_NAMED_THREADS || !thread_names || !thread_names[id][0])
		return NULL;
	return thread_names[id];
}

lc_thread *lc_thread_self(void)
{
	lc_thread *t = lc_tls_thread;
	if (t)
		return t;
	lc_mutex_lock(&free_lock);
	t = free_list;
	if (t)
		free_list = t->next_free;
	lc_mutex_unlock(&free_lock);
	if (t) {
		/* Only the fields a new thread reads: the chain cache is
		 * cleared because it holds another thread's history, which
		 * does not cover this thread's edges. */
		memset(t->chain_cache, 0, sizeof t->chain_cache);
		t->n_held = 0;
		t->unresolved = 0;
		t->overflow = 0;
		t->name_noted = 0;
		t->next_free = NULL;
		t->pending = NULL;
		t->pending_addr = 0;
	} else {
		t = lc_arena_alloc_lines(sizeof *t);
		if (!t)
			return NULL;
		t->next_all = atomic_load(&all_records);
		while (!atomic_compare_exchange_weak(&all_records, &t->next_all, t))
			;
	}
	memset(&t->wait, 0, sizeof t->wait);
	atomic_store(&t->sleep.obj, 0); /* a cancelled sleeper's record */
	t->handle = (uintptr_t)pthread_self();
	t->tid = gettid();
	atomic_store(&t->alive, 1);
	t->id = atomic_fetch_add(&next_thread_id, 1) + 1;
	/* A thread whose creation the shim did not see knows no history, and
	 * no one knows it: concurrent with everything. */
	t->clock = lc_clock_root(t->id);
	/* A thread the trampoline started takes its role in
	 * lc_on_thread_start; until then, and for every other thread, it
	 * is the main thread or one the shim did not see start. */
	t->role = t->tid == getpid() ? LC_ROLE_MAIN : LC_ROLE_OTHER;
	lc_role_enter_id(t->role);
	lc_tls_thread = t;
	pthread_setspecific(thread_key, t);
	return t;
}

void lc_thread_release(lc_thread *t)
{
	if (!t)
		return;
	lc_role_leave(t->role);
	atomic_store(&t->alive, 0);
	lc_mutex_lock(&free_lock);
	t->next_free = free_list;
	free_list = t;
	lc_mutex_unlock(&free_lock);
}

lc_thread *lc_thread_all(void)
{
	return atomic_load_explicit(&all_records, memory_order_acquire);
}

lc_thread *lc_thread_by_handle(uintptr_t handle)
{
	for (lc_thread *t = lc_thread_all(); t; t = t->next_all)
		if (atomic_load(&t->alive) && t->handle == handle)
			return t;
	return NULL;
}

lc_thread *lc_thread_by_id(uint32_t id)
{
	for (lc_thread *t = lc_thread_all(); t; t = t->next_all)
		if (atomic_load(&t->alive) && t->id == id)
			return t;
	return NULL;
}

uint32_t lc_thread_count(void)
{
	return atomic_load(&next_thread_id);
}

uint64_t lc_thread_lock_calls_of(unsigned type)
{
	uint64_t n = 0;
	for (lc_thread *t = lc_thread_all(); t; t = t->next_all)
		n += __atomic_load_n(&t->lock_calls[type], __ATOMIC_RELAXED);
	return n;
}

uint64_t lc_thread_lock_calls(void)
{
	uint64_t n = 0;
	for (unsigned type = 0; type < LC_TYPE_COUNT; type++)
		n += lc_thread_lock_calls_of(type);
	return n;
}

void lc_thread_reset_counters(void)
{
	for (lc_thread *t = lc_thread_all(); t; t = t->next_all)
		memset(t->lock_calls, 0, sizeof t->lock_calls);
}

void lc_thread_fork_prepare(void)
{
	lc_mutex_lock(&free_lock);
}

void lc_thread_fork_release(void)
{
	lc_mutex_unlock(&free_lock);
}

void lc_held_overflow(lc_thread *t)
{
	t->overflow++;
	lc_limit_reached(LC_LIMIT_HELD_LOCKS, LC_MAX_HELD);
}

void lc_held_remove(lc_thread *t, int i)
{
	t->unresolved -= !t->held[i].lock;
	t->n_held--;
	for (uint32_t j = (uint32_t)i; j < t->n_held; j++) {
		t->held[j] = t->held[j + 1];
		t->held[j].chain = lc_held_chain_at(t, j);
	}
}

void lc_held_resolve(lc_thread *t)
{
	uint64_t prev = 0, below = 0;
	uint32_t kept = 0;
	for (uint32_t i = 0; i < t->n_held; i++) {
		lc_held *h = &t->held[i];
		uint64_t own = h->chain;
		lc_lock *r;
		if (!h->lock && own && (r = lc_registry_find(h->addr)) &&
		    r->addr == h->addr && !lc_lock_destroyed(r) &&
		    own == lc_chain_mix(below, lc_chain_step(r, h->shared))) {
			/* The chain key was made from the lock's tag when it
			 * was taken: this record is the lock taken, even if its
			 * memory is a new lock by now (before_lock then finds
			 * the lock abandoned while held). */
			h->lock = r;
		} else if (!h->lock) {
			h->lock = lc_registry_get(h->addr, (lc_lock_type)h->type,
						  h->recursive, h->pc, h->tag);
			if (!h->lock) {
				below = own;
				continue;
			}
			lc_registry_tag(h->lock, h->tag);
		}
		below = own;
		h->chain = prev = lc_chain_mix(prev,
					       lc_chain_step(h->lock, h->shared));
		t->held[kept++] = *h;
	}
	t->n_held = kept;
	t->unresolved = 0;
}

int lc_thread_index_readers_before(uint64_t epoch)
{
	for (lc_thread *t = lc_thread_all(); t; t = t->next_all) {
		uint64_t since = atomic_load(&t->index_reading);
		if (since && since < epoch && atomic_load(&t->alive))
			return 1;
	}
	return 0;
}

static _Atomic int own_tids[LC_OWN_THREADS];

void lc_thread_own_enter(void)
{
	int tid = gettid();
	for (unsigned i = 0; i < LC_OWN_THREADS; i++) {
		int empty = 0;
		if (atomic_compare_exchange_strong(&own_tids[i], &empty, tid))
			return;
	}
}

int lc_thread_is_own(int tid)
{
	for (unsigned i = 0; i < LC_OWN_THREADS; i++)
		if (atomic_load_explicit(&own_tids[i], memory_order_relaxed) == tid)
			return 1;
	return 0;
}

void lc_thread_fork_child(void)
{
	for (unsigned i = 0; i < LC_OWN_THREADS; i++)
		atomic_store(&own_tids[i], 0);
	lc_thread *t = lc_tls_thread;
	if (t) {
		t->tid = gettid();
		atomic_store(&t->sleep.obj, 0);
		atomic_store(&t->wait.lock_addr, 0);
		atomic_store(&t->wait.join_thread, 0);
	}
}
