/*
 * registry.c: the address -> record table (see registry.h).
 *
 * Probing is linear from a multiplicative hash of the address. A slot holds
 * the address's current record; re-creation (init after destroy, or init of
 * a live address) stores a new record in the same slot after marking the old
 * one destroyed, so a concurrent reader sees either the old record, which
 * sends it to the slow path, or the new one, never a torn one.
 *
 * Every write runs under `registry_mutex` (sync.h, never the program's
 * pthread functions): making records is rare next to looking them up (a
 * lock's init, or the first acquisition of a statically initialised lock),
 * and one writer at a time is what makes growing the table simple. Records
 * are also kept by id in a two-level directory (ID_CHUNK records a chunk,
 * chunks made on demand), for the graph dump and for reports.
 */
#include "registry.h"

#include <string.h>

#include "arena.h"
#include "limit.h"
#include "sync.h"

#define FIRST_SLOTS ((uint32_t)1 << 16)
#define ID_CHUNK_BITS 16
#define ID_CHUNK ((uint32_t)1 << ID_CHUNK_BITS)
#define ID_CHUNKS ((uint32_t)1 << (32 - ID_CHUNK_BITS))

lc_registry_table *_Atomic lc_registry_current;
static _Atomic(lc_lock *) *_Atomic *by_id; /* ID_CHUNKS chunk pointers */
/* Records of each chunk not yet recycled (registry mutex): at 0, with all
 * of the chunk's ids handed out, its memory goes back. */
static uint32_t *chunk_live;
static _Atomic uint32_t n_records, n_live;
/* Records replaced without a destroy, waiting to be folded out of the graph
 * (lc_registry_take_replaced). A full queue leaves a record in the graph:
 * only memory, never a lost edge. */
#define REPLACED_MAX 256
static lc_lock *replaced[REPLACED_MAX];
static unsigned n_replaced;
static lc_mutex registry_mutex = LC_MUTEX_INIT;
/* Records of destroyed mutexes that no edge names, for reuse (registry
 * mutex); linked through their `out` field, which is NULL in such a record.
 * They keep LC_LOCK_DESTROYED until they are made again, so a reader still
 * holding one sees a destroyed lock. */
static lc_lock *free_records;

static lc_registry_table *new_table(uint32_t slots)
{
	lc_registry_table *t =
		lc_arena_alloc_pages(sizeof *t + slots * sizeof t->slots[0]);
	if (t) {
		t->mask = slots - 1;
		t->shift = 64 - (uint32_t)__builtin_ctz(slots);
	}
	return t;
}

int lc_registry_init(void)
{
	by_id = lc_arena_alloc(sizeof(*by_id) * ID_CHUNKS);
	chunk_live = lc_arena_alloc(sizeof(*chunk_live) * ID_CHUNKS);
	lc_registry_table *t = new_table(FIRST_SLOTS);
	if (!by_id || !chunk_live || !t)
		return -1;
	atomic_store(&lc_registry_current, t);
	return 0;
}

static void say_full(void)
{
	lc_limit_reached(LC_LIMIT_LOCK_RECORDS, atomic_load(&n_records));
}

/* Registry mutex held. */
static lc_lock *new_record(uintptr_t addr, lc_lock_type type, int recursive,
			   uintptr_t create_pc)
{
	uint32_t id = atomic_load_explicit(&n_records, memory_order_relaxed) + 1;
	if (id == 0 || id == UINT32_MAX)
		return NULL; /* ids would repeat, or make the edge index's
			      * tombstone key */
	_Atomic(lc_lock *) *chunk = atomic_load_explicit(
		&by_id[id >> ID_CHUNK_BITS], memory_order_relaxed);
	if (!chunk) {
		chunk = lc_arena_alloc_pages(sizeof(*chunk) * ID_CHUNK);
		if (!chunk)
			return NULL;
		atomic_store_explicit(&by_id[id >> ID_CHUNK_BITS], chunk,
				      memory_order_release);
	}
	lc_lock *r = free_records;
	if (r) {
		free_records = (lc_lock *)(void *)r->out;
		r->out = NULL;
		atomic_store_explicit(&r->name, NULL, memory_order_relaxed);
		atomic_store_explicit(&r->rank, 0, memory_order_relaxed);
		atomic_store_explicit(&r->order_pos, 0, memory_order_relaxed);
		r->mark = 0;
	} else if (!(r = lc_arena_alloc(sizeof *r))) {
		return NULL;
	}
	r->addr = addr;
	r->id = id;
	r->type = (uint8_t)type;
	r->recursive = (uint8_t)(recursive != 0);
	r->create_pc = create_pc;
	r->ord = id;
	/* Last (release): a reader that held on to a reused record sees it
	 * destroyed until it is whole, then with its new address. */
	atomic_store_explicit(&r->state, create_pc != 0 ? LC_LOCK_TYPED : 0,
			      memory_order_release);
	atomic_store_explicit(&chunk[id & (ID_CHUNK - 1)], r,
			      memory_order_release);
	chunk_live[id >> ID_CHUNK_BITS]++;
	atomic_store_explicit(&n_records, id, memory_order_release);
	atomic_fetch_add_explicit(&n_live, 1, memory_order_relaxed);
	return r;
}

/* The slot of addr in t: the one with its address, or the empty one where
 * it belongs. Registry mutex held (or t not yet published). */
static lc_registry_slot_t *slot_of(lc_registry_table *t, uintptr_t addr)
{
	for (uint32_t i = lc_registry_slot(t, addr);; i = (i + 1) & t->mask) {
		uintptr_t a = atomic_load_explicit(&t->slots[i].addr,
						   memory_order_relaxed);
		if (!a || a == addr)
			return &t->slots[i];
	}
}

/* Fills slot s (of addr) with r: the record first, then (for an empty slot)
 * the address, so a reader that finds the address finds a record. */
static void fill(lc_registry_table *t, lc_registry_slot_t *s, uintptr_t addr,
		 lc_lock *r)
{
	atomic_store_explicit(&s->lock, r, memory_order_release);
	if (!atomic_load_explicit(&s->addr, memory_order_relaxed)) {
		atomic_store_explicit(&s->addr, addr, memory_order_release);
		t->used++;
	}
}

static int live_in_slot(lc_registry_table *t, uint32_t i)
{
	uintptr_t a = atomic_load_explicit(&t->slots[i].addr,
					   memory_order_relaxed);
	lc_lock *r = atomic_load_explicit(&t->slots[i].lock,
					  memory_order_relaxed);
	return a && r && r->addr == a && !lc_lock_destroyed(r);
}

/* Copies the live records into a new table and publishes it: twice the
 * size, or the same size when most slots hold dead addresses (a program
 * that makes and destroys locks at ever new addresses would otherwise grow
 * the table with its lifetimes). Registry mutex held. Returns the current
 * table (the old one if memory ran out: it still has room, just less). */
static lc_registry_table *grow(lc_registry_table *old)
{
	/* The arena gives no memory back: once a table could not be had,
	 * none will be, and the scan below (every slot) would run again at
	 * every new lock. */
	static int out_of_memory;
	if (out_of_memory)
		return old;
	uint32_t live = 0;
	for (uint32_t i = 0; i <= old->mask; i++)
		live += (uint32_t)live_in_slot(old, i);
	uint32_t slots = old->mask + 1;
	lc_registry_table *t = new_table(live < slots / 4 ? slots : slots * 2);
	if (!t) {
		out_of_memory = 1;
		return old;
	}
	for (uint32_t i = 0; i <= old->mask; i++) {
		uintptr_t a = atomic_load_explicit(&old->slots[i].addr,
						   memory_order_relaxed);
		lc_lock *r = atomic_load_explicit(&old->slots[i].lock,
						  memory_order_relaxed);
		if (live_in_slot(old, i))
			fill(t, slot_of(t, a), a, r);
	}
	atomic_store_explicit(&lc_registry_current, t, memory_order_release);
	/* The old table's memory goes back; a reader still in it finds empty
	 * slots and looks again under the mutex. */
	lc_arena_release_pages(old, sizeof *old + (old->mask + 1) * sizeof old->slots[0]);
	return t;
}

/* Puts a record for addr into the table. When `replace` is set, a live record
 * for addr gives way to a new one; otherwise an existing live record wins.
 * Registry mutex held. */
static lc_lock *install_locked(uintptr_t addr, lc_lock_type type,
			       int recursive, uintptr_t create_pc, int replace)
{
	lc_registry_table *t = atomic_load_explicit(&lc_registry_current,
						    memory_order_relaxed);
	if (t->used >= (t->mask + 1) / 4 * 3)
		t = grow(t);
	lc_registry_slot_t *slot = slot_of(t, addr);
	lc_lock *r = atomic_load_explicit(&slot->lock, memory_order_relaxed);
	if (r && r->addr != addr)
		r = NULL; /* a destroyed lock's record, reused since */
	if (r && !replace && !lc_lock_destroyed(r))
		return r;
	if (!atomic_load_explicit(&slot->addr, memory_order_relaxed) &&
	    t->used >= t->mask) {
		/* The table could not grow and is full: its last slot stays
		 * empty, so probes still end. */
		say_full();
		return NULL;
	}
	lc_lock *fresh = new_record(addr, type, recursive, create_pc);
	if (!fresh) {
		say_full();
		return NULL;
	}
	/* (A record already destroyed is folded by whoever destroyed it.) */
	if (r && !(atomic_fetch_or(&r->state, LC_LOCK_DESTROYED) &
		   LC_LOCK_DESTROYED) &&
	    n_replaced < REPLACED_MAX)
		replaced[n_replaced++] = r;
	fill(t, slot, addr, fresh);
	return fresh;
}

static lc_lock *install(uintptr_t addr, lc_lock_type type, int recursive,
			uintptr_t create_pc, int replace)
{
	lc_mutex_lock(&registry_mutex);
	lc_lock *r = install_locked(addr, type, recursive, create_pc, replace);
	lc_mutex_unlock(&registry_mutex);
	return r;
}

/* Was the lock object at r->addr re-initialised since r tagged it? */
static inline int reinitialised(const lc_lock *r, const uintptr_t *tag)
{
	return tag &&
	       (atomic_load_explicit(&r->state, memory_order_acquire) &
		LC_LOCK_TAGGED) &&
	       *(const volatile uintptr_t *)tag != lc_registry_tag_value(r);
}

/* Replaces `old`, whose lock object was re-initialised, by a new record,
 * unless another thread replaced it first: then that thread's record. */
static lc_lock *renew(lc_lock *old, uintptr_t addr, lc_lock_type type,
		      int recursive, uintptr_t create_pc, const uintptr_t *tag)
{
	lc_mutex_lock(&registry_mutex);
	lc_registry_table *t = atomic_load_explicit(&lc_registry_current,
						    memory_order_relaxed);
	lc_lock *r = atomic_load_explicit(&slot_of(t, addr)->lock,
					  memory_order_relaxed);
	if (!r || r == old || r->addr != addr || lc_lock_destroyed(r) ||
	    reinitialised(r, tag))
		r = install_locked(addr, type, recursive, create_pc, 1);
	lc_mutex_unlock(&registry_mutex);
	return r;
}

lc_lock *lc_registry_get_slow(lc_lock *r, uintptr_t addr, lc_lock_type type,
			      int recursive, uintptr_t create_pc, uintptr_t *tag)
{
	if (r && r->addr == addr && !lc_lock_destroyed(r)) {
		if (__builtin_expect(!(atomic_load_explicit(&r->state,
							    memory_order_relaxed) &
				       LC_LOCK_TYPED),
				     0)) {
			/* Named before its first use: now its kind is known. */
			r->type = (uint8_t)type;
			r->recursive = (uint8_t)(recursive != 0);
			r->create_pc = create_pc;
			atomic_fetch_or(&r->state, LC_LOCK_TYPED);
		}
		if (__builtin_expect(!reinitialised(r, tag), 1))
			return r;
		return renew(r, addr, type, recursive, create_pc, tag);
	}
	return install(addr, type, recursive, create_pc, 0);
}

lc_lock *lc_registry_create(uintptr_t addr, lc_lock_type type, int recursive,
			    uintptr_t create_pc, uintptr_t *tag)
{
	lc_lock *r = install(addr, type, recursive, create_pc, 1);
	if (r)
		lc_registry_tag(r, tag);
	return r;
}

void lc_registry_recycle(lc_lock *r)
{
	if (r->out || r->in)
		return;
	lc_mutex_lock(&registry_mutex);
	/* A record still waiting in the replaced queue is folded from there
	 * later: it must not be reused before. */
	for (unsigned i = 0; i < n_replaced; i++)
		if (replaced[i] == r) {
			lc_mutex_unlock(&registry_mutex);
			return;
		}
	uint32_t c = r->id >> ID_CHUNK_BITS;
	_Atomic(lc_lock *) *chunk =
		atomic_load_explicit(&by_id[c], memory_order_relaxed);
	if (chunk)
		atomic_store_explicit(&chunk[r->id & (ID_CHUNK - 1)], NULL,
				      memory_order_release);
	/* The chunk's ids are all handed out and all retired: its pages go
	 * back (they read as NULL records, which is what they are). */
	if (chunk && --chunk_live[c] == 0 &&
	    atomic_load_explicit(&n_records, memory_order_relaxed) >=
		    (c + 1) * ID_CHUNK - 1)
		lc_arena_release_pages(chunk, sizeof(*chunk) * ID_CHUNK);
	r->out = (struct lc_edge *)(void *)free_records;
	free_records = r;
	atomic_fetch_sub_explicit(&n_live, 1, memory_order_relaxed);
	lc_mutex_unlock(&registry_mutex);
}

unsigned lc_registry_take_replaced(lc_lock **out, unsigned max)
{
	if (!__atomic_load_n(&n_replaced, __ATOMIC_RELAXED))
		return 0;
	lc_mutex_lock(&registry_mutex);
	unsigned n = n_replaced < max ? n_replaced : max;
	for (unsigned i = 0; i < n; i++)
		out[i] = replaced[--n_replaced];
	lc_mutex_unlock(&registry_mutex);
	return n;
}

uint32_t lc_registry_live(void)
{
	return atomic_load_explicit(&n_live, memory_order_relaxed);
}

void lc_registry_name(lc_lock *r, const char *name)
{
	char *copy = lc_arena_alloc(LC_LOCK_NAME_MAX);
	if (!copy)
		return;
	strncpy(copy, name, LC_LOCK_NAME_MAX - 1);
	atomic_store_explicit(&r->name, copy, memory_order_release);
	/* A name is a class of its own: the lock counts again, there. */
	atomic_fetch_and(&r->state, (uint8_t)~LC_LOCK_NOTED);
}

/* The slot of addr in t, or NULL if t does not hold it. Lock-free. */
static lc_registry_slot_t *find_slot(lc_registry_table *t, uintptr_t addr)
{
	for (uint32_t i = lc_registry_slot(t, addr);; i = (i + 1) & t->mask) {
		uintptr_t a = atomic_load_explicit(&t->slots[i].addr,
						   memory_order_acquire);
		if (a == addr)
			return &t->slots[i];
		if (!a)
			return NULL;
	}
}

lc_lock *lc_registry_destroy(uintptr_t addr)
{
	for (;;) {
		lc_registry_table *t = atomic_load_explicit(
			&lc_registry_current, memory_order_acquire);
		lc_registry_slot_t *s = find_slot(t, addr);
		lc_lock *r = s ? atomic_load_explicit(&s->lock,
						      memory_order_acquire)
			       : NULL;
		if (!r) {
			/* Not there, unless the table grew meanwhile (the old
			 * one reads as empty): then look in the new one. */
			if (t == atomic_load_explicit(&lc_registry_current,
						      memory_order_acquire))
				return NULL;
			continue;
		}
		atomic_fetch_or(&r->state, LC_LOCK_DESTROYED);
		/* Empty the record (not the address: probes must go on past
		 * it), unless a new record took its place meanwhile. A table
		 * grown meanwhile may still hold r, marked destroyed. */
		lc_lock *marked = r;
		atomic_compare_exchange_strong(&s->lock, &r, NULL);
		return marked;
	}
}

uint32_t lc_registry_count(void)
{
	return atomic_load_explicit(&n_records, memory_order_acquire);
}

lc_lock *lc_registry_by_id(uint32_t id)
{
	if (id == 0 || id > lc_registry_count())
		return NULL;
	_Atomic(lc_lock *) *chunk = atomic_load_explicit(
		&by_id[id >> ID_CHUNK_BITS], memory_order_acquire);
	return chunk ? atomic_load_explicit(&chunk[id & (ID_CHUNK - 1)],
					    memory_order_acquire)
		     : NULL;
}

uint32_t lc_registry_next_id(uint32_t after)
{
	uint32_t n = lc_registry_count();
	for (uint32_t id = after + 1; id <= n && id != 0;) {
		uint32_t c = id >> ID_CHUNK_BITS;
		if (chunk_live[c] == 0 && n >= (c + 1) * ID_CHUNK - 1) {
			id = (c + 1) * ID_CHUNK; /* released: nothing there */
			continue;
		}
		return id;
	}
	return 0;
}

void lc_registry_fork_prepare(void)
{
	lc_mutex_lock(&registry_mutex);
}

void lc_registry_fork_release(void)
{
	lc_mutex_unlock(&registry_mutex);
}

const char *lc_lock_kind_name(unsigned type)
{
	static const char *const names[LC_TYPE_COUNT] = {
		[LC_TYPE_MUTEX] = "mutex",	 [LC_TYPE_RWLOCK] = "rwlock",
		[LC_TYPE_SPIN] = "spinlock",	 [LC_TYPE_MTX] = "mtx",
		[LC_TYPE_COND] = "cond",	 [LC_TYPE_GMUTEX] = "gmutex",
		[LC_TYPE_BITLOCK] = "bit-lock", [LC_TYPE_CUSTOM] = "custom",
		[LC_TYPE_CUSTOM_RW] = "custom-rwlock",
	};
	return type < LC_TYPE_COUNT ? names[type] : "lock";
}

const char *lc_lock_type_name(const lc_lock *lock)
{
	switch ((lc_lock_type)lock->type) {
	case LC_TYPE_MUTEX:
		return lock->recursive ? "recursive-mutex" : "mutex";
	case LC_TYPE_RWLOCK:
		return "rwlock";
	case LC_TYPE_SPIN:
		return "spinlock";
	case LC_TYPE_MTX:
		return lock->recursive ? "recursive-mtx" : "mtx";
	case LC_TYPE_COND:
		return "cond";
	case LC_TYPE_GMUTEX:
		return "gmutex";
	case LC_TYPE_BITLOCK:
		return "bit-lock";
	case LC_TYPE_CUSTOM:
		return lock->recursive ? "custom-recursive-mutex"
				       : "custom-mutex";
	case LC_TYPE_CUSTOM_RW:
		return "custom-rwlock";
	case LC_TYPE_COUNT:
		break;
	}
	return "lock";
}
