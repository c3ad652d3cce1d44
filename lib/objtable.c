/*
 * objtable.c: the table of condition variables and destroyed locks (see
 * objtable.h).
 *
 * Buckets of a few entries, each bucket under its own spin flag: a wait
 * holds it for a handful of stores, and waits on different variables
 * rarely share a bucket. The table is one anonymous mapping made at start
 * (no malloc on the program's paths); its pages are touched as variables
 * appear.
 */
#define _GNU_SOURCE
#include "objtable.h"

#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

typedef struct obj_entry {
	uintptr_t addr;       /* 0: free */
	uint32_t waiters;
	uint32_t mutex_thread;
	uint8_t initialised, destroyed;
	uintptr_t mutex, mutex_pc, init_pc, destroy_pc;
} obj_entry;

typedef struct obj_bucket {
	atomic_flag busy;
	obj_entry e[LC_OBJ_WAYS];
} obj_bucket;

static obj_bucket *table;

int lc_objtable_init(void)
{
	void *p = mmap(NULL, sizeof(obj_bucket) * LC_OBJ_BUCKETS,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	if (p == MAP_FAILED)
		return -1;
	table = p;
	return 0;
}

static obj_bucket *bucket_lock(uintptr_t addr)
{
	uint32_t i = (uint32_t)(((uint64_t)addr * 0x9E3779B97F4A7C15ull) >> 54);
	obj_bucket *b = &table[i & (LC_OBJ_BUCKETS - 1)];
	while (atomic_flag_test_and_set_explicit(&b->busy, memory_order_acquire))
		__builtin_ia32_pause();
	return b;
}

static void bucket_unlock(obj_bucket *b)
{
	atomic_flag_clear_explicit(&b->busy, memory_order_release);
}

static obj_entry *find(obj_bucket *b, uintptr_t addr)
{
	for (unsigned i = 0; i < LC_OBJ_WAYS; i++)
		if (b->e[i].addr == addr)
			return &b->e[i];
	return NULL;
}

/* The entry for addr, made if absent (evicting a destroyed entry, then
 * one without waiters); NULL when every entry has waiters. */
static obj_entry *find_or_make(obj_bucket *b, uintptr_t addr)
{
	obj_entry *e = find(b, addr), *free_e = NULL, *dead = NULL,
		   *idle = NULL;
	if (e)
		return e;
	for (unsigned i = 0; i < LC_OBJ_WAYS; i++) {
		obj_entry *c = &b->e[i];
		if (!c->addr && !free_e)
			free_e = c;
		else if (c->addr && !c->waiters && c->destroyed && !dead)
			dead = c;
		else if (c->addr && !c->waiters && !idle)
			idle = c;
	}
	e = free_e ? free_e : dead ? dead : idle;
	if (e) {
		memset(e, 0, sizeof *e);
		e->addr = addr;
	}
	return e;
}

static void copy_out(const obj_entry *e, lc_obj_info *out)
{
	memset(out, 0, sizeof *out);
	if (!e)
		return;
	out->known = 1;
	out->initialised = e->initialised;
	out->destroyed = e->destroyed;
	out->waiters = e->waiters;
	out->mutex = e->mutex;
	out->mutex_thread = e->mutex_thread;
	out->mutex_pc = e->mutex_pc;
	out->init_pc = e->init_pc;
	out->destroy_pc = e->destroy_pc;
}

void lc_objtable_init_at(uintptr_t cond, uintptr_t pc, lc_obj_info *before)
{
	obj_bucket *b = bucket_lock(cond);
	obj_entry *e = find_or_make(b, cond);
	copy_out(e, before);
	if (e) {
		/* Waiters still counted (a reinit under waiters, the
		 * program's bug) keep counting until they leave. */
		e->initialised = 1;
		e->destroyed = 0;
		e->init_pc = pc;
		e->destroy_pc = 0;
	}
	bucket_unlock(b);
}

void lc_objtable_destroy(uintptr_t cond, uintptr_t pc, lc_obj_info *before)
{
	obj_bucket *b = bucket_lock(cond);
	obj_entry *e = find_or_make(b, cond);
	copy_out(e, before);
	if (e) {
		e->destroyed = 1;
		e->destroy_pc = pc;
	}
	bucket_unlock(b);
}

int lc_objtable_enter(uintptr_t cond, uintptr_t mutex, uint32_t thread,
		      uintptr_t pc, int marked, lc_obj_info *before)
{
	obj_bucket *b = bucket_lock(cond);
	obj_entry *e = find_or_make(b, cond);
	copy_out(e, before);
	if (e) {
		if (!marked)
			e->destroyed = 0;
		if (!e->waiters) {
			e->mutex = mutex;
			e->mutex_thread = thread;
			e->mutex_pc = pc;
		}
		e->waiters++;
	}
	bucket_unlock(b);
	return e != NULL;
}

void lc_objtable_leave(uintptr_t cond)
{
	obj_bucket *b = bucket_lock(cond);
	obj_entry *e = find(b, cond);
	if (e && e->waiters)
		e->waiters--;
	bucket_unlock(b);
}

void lc_objtable_lock_destroyed(uintptr_t addr, uintptr_t init_pc,
				uintptr_t destroy_pc)
{
	obj_bucket *b = bucket_lock(addr);
	obj_entry *e = find_or_make(b, addr);
	/* A second destroy (no record left) keeps what the first knew. */
	if (e && !(e->destroyed && !init_pc)) {
		e->initialised = init_pc != 0;
		e->destroyed = 1;
		e->init_pc = init_pc;
		e->destroy_pc = destroy_pc;
	}
	bucket_unlock(b);
}

void lc_objtable_get(uintptr_t addr, lc_obj_info *info)
{
	obj_bucket *b = bucket_lock(addr);
	copy_out(find(b, addr), info);
	bucket_unlock(b);
}

void lc_objtable_fork_child(void)
{
	if (!table)
		return;
	for (unsigned i = 0; i < LC_OBJ_BUCKETS; i++) {
		obj_bucket *b = &table[i];
		atomic_flag_clear(&b->busy);
		for (unsigned j = 0; j < LC_OBJ_WAYS; j++)
			if (b->e[j].waiters)
				b->e[j].waiters = 0;
	}
}
