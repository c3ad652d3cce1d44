/*
 * registry.c: the lock-free address -> record table (see registry.h).
 *
 * Probing is linear from a multiplicative hash of the address. A slot holds the
 * address's current record; re-creation (init after destroy, or init of a live
 * address) swaps in a new record with compare-and-swap, so concurrent readers
 * see either the old or the new record, never a torn one. Records are also
 * kept in an array by id, for the exit-time graph dump.
 */
#include "registry.h"

#include <string.h>

#include "arena.h"
#include "warn.h"

_Atomic(lc_lock *) *lc_registry_slots;
static _Atomic(lc_lock *) *by_id;
static _Atomic uint32_t n_records;
static _Atomic uint32_t n_slots_used;
static atomic_flag full_said = ATOMIC_FLAG_INIT;

int lc_registry_init(void)
{
	lc_registry_slots = lc_arena_alloc(sizeof(*lc_registry_slots) * LC_REGISTRY_SLOTS);
	by_id = lc_arena_alloc(sizeof(*by_id) * (LC_MAX_LOCKS + 1));
	return lc_registry_slots && by_id ? 0 : -1;
}

static lc_lock *new_record(uintptr_t addr, lc_lock_type type, int recursive,
			   uintptr_t create_pc)
{
	uint32_t id = atomic_fetch_add(&n_records, 1) + 1;
	if (id > LC_MAX_LOCKS)
		return NULL;
	lc_lock *r = lc_arena_alloc(sizeof *r);
	if (!r)
		return NULL;
	r->addr = addr;
	r->id = id;
	r->type = (uint8_t)type;
	r->recursive = (uint8_t)(recursive != 0);
	r->create_pc = create_pc;
	atomic_store_explicit(&r->state, create_pc != 0 ? LC_LOCK_TYPED : 0,
			      memory_order_relaxed);
	r->ord = id;
	atomic_store_explicit(&by_id[id], r, memory_order_release);
	return r;
}

static void say_full(void)
{
	if (!atomic_flag_test_and_set(&full_said))
		lc_warn("lock table full (%u locks): locks at new addresses "
			"are not tracked from now on", (unsigned)LC_MAX_LOCKS);
}

/* Puts a record for addr into the table. When `replace` is set, a live record
 * for addr is swapped for a new one; otherwise an existing live record wins. */
static lc_lock *install(uintptr_t addr, lc_lock_type type, int recursive,
			uintptr_t create_pc, int replace)
{
	lc_lock *fresh = NULL;
	for (uint32_t i = lc_registry_slot(addr);; i = (i + 1) & (LC_REGISTRY_SLOTS - 1)) {
		lc_lock *r = atomic_load_explicit(&lc_registry_slots[i], memory_order_acquire);
		if (r && r->addr != addr)
			continue;
		if (r && !replace && !lc_lock_destroyed(r))
			return r;
		if (!r && atomic_load(&n_slots_used) >= LC_MAX_LOCKS) {
			say_full();
			return NULL;
		}
		if (!fresh) {
			fresh = new_record(addr, type, recursive, create_pc);
			if (!fresh) {
				say_full();
				return NULL;
			}
		}
		if (atomic_compare_exchange_strong(&lc_registry_slots[i], &r, fresh)) {
			if (!r)
				atomic_fetch_add(&n_slots_used, 1);
			return fresh;
		}
		/* Lost a race for this slot: look at it again. */
		if (r && r->addr == addr && !replace && !lc_lock_destroyed(r))
			return r; /* the fresh record stays unused */
		i = (i - 1) & (LC_REGISTRY_SLOTS - 1);
	}
}

/* Replaces `old` (still in its slot) by a new record; when another thread
 * replaced it first, returns that thread's record. */
static lc_lock *renew(lc_lock *old, lc_lock_type type, int recursive,
		      uintptr_t create_pc)
{
	for (uint32_t i = lc_registry_slot(old->addr);;
	     i = (i + 1) & (LC_REGISTRY_SLOTS - 1)) {
		lc_lock *r = atomic_load_explicit(&lc_registry_slots[i], memory_order_acquire);
		if (!r)
			return NULL; /* cannot happen: old is in the table */
		if (r->addr != old->addr)
			continue;
		if (r != old)
			return r;
		lc_lock *fresh = new_record(old->addr, type, recursive, create_pc);
		if (!fresh) {
			say_full();
			return NULL;
		}
		if (atomic_compare_exchange_strong(&lc_registry_slots[i], &r, fresh))
			return fresh;
		return r; /* the fresh record stays unused */
	}
}

/* Was the lock object at r->addr re-initialised since r tagged it? */
static inline int reinitialised(const lc_lock *r, const uintptr_t *tag)
{
	return tag &&
	       (atomic_load_explicit(&r->state, memory_order_acquire) &
		LC_LOCK_TAGGED) &&
	       *(const volatile uintptr_t *)tag != lc_registry_tag_value(r);
}

lc_lock *lc_registry_get_slow(lc_lock *r, uintptr_t addr, lc_lock_type type,
			      int recursive, uintptr_t create_pc, uintptr_t *tag)
{
	if (r && !lc_lock_destroyed(r)) {
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
		return renew(r, type, recursive, create_pc);
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

void lc_registry_name(lc_lock *r, const char *name)
{
	char *copy = lc_arena_alloc(LC_LOCK_NAME_MAX);
	if (!copy)
		return;
	strncpy(copy, name, LC_LOCK_NAME_MAX - 1);
	atomic_store_explicit(&r->name, copy, memory_order_release);
}

void lc_registry_destroy(uintptr_t addr)
{
	lc_lock *r = lc_registry_find(addr);
	if (r)
		atomic_fetch_or(&r->state, LC_LOCK_DESTROYED);
}

uint32_t lc_registry_count(void)
{
	uint32_t n = atomic_load(&n_records);
	return n < LC_MAX_LOCKS ? n : LC_MAX_LOCKS;
}

lc_lock *lc_registry_by_id(uint32_t id)
{
	if (id == 0 || id > LC_MAX_LOCKS)
		return NULL;
	return atomic_load_explicit(&by_id[id], memory_order_acquire);
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
	}
	return "lock";
}
