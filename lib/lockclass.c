/*
 * lockclass.c: the class table and the dead-edge summaries (lockclass.h).
 *
 * Both are open-addressing tables in the arena that double when half full
 * (the old table's pages go back); classes are also listed by id in an
 * array that doubles the same way. Whether a lock is static is asked of the
 * dynamic loader (_dl_find_object: is the address inside a loaded object's
 * image?), which is lock-free and costs a few dozen nanoseconds: it runs
 * once per dead lock that had edges, never per lock operation.
 */
#define _GNU_SOURCE
#include "lockclass.h"

#include <dlfcn.h>
#include <string.h>

#include "arena.h"
#include "context.h"

static lc_class **class_slots;   /* by key */
static uint32_t class_mask;
static lc_class **by_id;         /* by id - 1 */
static uint32_t n_classes, by_id_cap;

static lc_class_edge *edge_slots; /* by (from, to); from 0: empty */
static uint32_t edge_mask, n_class_edges;

static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 31);
}

/* Addresses whose answer is known: short-lived locks die at the same
 * few addresses (a stack slot, an array, the allocator's favourite block)
 * again and again. A module unloaded and its range reused as heap could
 * leave a stale "static" here: that lock's class is then its address,
 * which only splits a class, never merges two. */
#define STATIC_CACHE 256
static struct {
	uintptr_t addr;
	int is_static;
} static_cache[STATIC_CACHE];

static int is_static(uintptr_t addr)
{
	unsigned i = (unsigned)((addr >> 4) * 0x9E3779B1u) >> 24;
	if (static_cache[i].addr == addr)
		return static_cache[i].is_static;
	struct dl_find_object found;
	int yes = _dl_find_object((void *)addr, &found) == 0;
	static_cache[i].addr = addr;
	static_cache[i].is_static = yes;
	return yes;
}

/* The class of a record, by its pointer and id (records are reused under
 * new ids): long-lived locks are summarised again and again. */
#define RECORD_CACHE 256
static struct {
	const lc_lock *lock;
	uint32_t id;
	const lc_class *class;
} record_cache[RECORD_CACHE];

static uint64_t class_key(const lc_lock *l, uintptr_t *static_addr)
{
	*static_addr = 0;
	const char *name = atomic_load_explicit(&l->name, memory_order_acquire);
	if (name) {
		uint64_t h = 0x6e616d6564ull; /* a name is a class of its own */
		for (const char *p = name; *p; p++)
			h = mix(h, (unsigned char)*p);
		return h ? h : 1;
	}
	/* (A static bit lock's key keeps its bit: one class per bit.) */
	if (is_static(lc_lock_memory(l->addr)))
		*static_addr = l->addr;
	uint64_t h = mix(mix(mix(0x73697465ull, l->create_pc),
			     (uint64_t)l->type << 8 | l->recursive),
			 *static_addr);
	return h ? h : 1;
}

static int grow_classes(void)
{
	uint32_t n = class_slots ? (class_mask + 1) * 2 : 1024;
	lc_class **fresh = lc_arena_alloc(n * sizeof *fresh);
	if (!fresh)
		return -1;
	for (uint32_t i = 0; class_slots && i <= class_mask; i++) {
		lc_class *c = class_slots[i];
		if (!c)
			continue;
		uint32_t j = (uint32_t)c->key & (n - 1);
		while (fresh[j])
			j = (j + 1) & (n - 1);
		fresh[j] = c;
	}
	if (class_slots)
		lc_arena_release(class_slots, (class_mask + 1) * sizeof *fresh);
	class_slots = fresh;
	class_mask = n - 1;
	return 0;
}

static int list_class(lc_class *c)
{
	if (n_classes == by_id_cap) {
		uint32_t cap = by_id_cap ? by_id_cap * 2 : 1024;
		lc_class **fresh = lc_arena_alloc(cap * sizeof *fresh);
		if (!fresh)
			return -1;
		if (by_id) {
			memcpy(fresh, by_id, n_classes * sizeof *fresh);
			lc_arena_release(by_id, by_id_cap * sizeof *fresh);
		}
		by_id = fresh;
		by_id_cap = cap;
	}
	by_id[n_classes++] = c;
	c->id = n_classes;
	return 0;
}

static const lc_class *class_of(const lc_lock *l);

const lc_class *lc_class_of(const lc_lock *l)
{
	unsigned i = (unsigned)(((uintptr_t)l >> 6) * 0x9E3779B1u) >> 24;
	if (record_cache[i].lock == l && record_cache[i].id == l->id &&
	    record_cache[i].class)
		return record_cache[i].class;
	const lc_class *c = class_of(l);
	record_cache[i].lock = l;
	record_cache[i].id = l->id;
	record_cache[i].class = c;
	return c;
}

static const lc_class *class_of(const lc_lock *l)
{
	uintptr_t static_addr;
	uint64_t key = class_key(l, &static_addr);
	if ((!class_slots || n_classes >= (class_mask + 1) / 2) &&
	    grow_classes() != 0 && !class_slots)
		return NULL;
	uint32_t i = (uint32_t)key & class_mask;
	for (; class_slots[i]; i = (i + 1) & class_mask)
		if (class_slots[i]->key == key)
			return class_slots[i];
	if (n_classes >= class_mask) /* could not grow, and full */
		return NULL;
	lc_class *c = lc_arena_alloc(sizeof *c);
	if (!c)
		return NULL;
	const char *name = atomic_load_explicit(&l->name, memory_order_acquire);
	*c = (lc_class){
		.key = key,
		.type = l->type,
		.recursive = l->recursive,
		.create_pc = l->create_pc,
		.addr = static_addr,
		.name = name,
	};
	if (list_class(c) != 0)
		return NULL;
	class_slots[i] = c;
	return c;
}

static uint32_t edge_slot(uint32_t from, uint32_t to, uint32_t mask)
{
	return (uint32_t)(mix((uint64_t)from << 32 | to, 0) & mask);
}

static int grow_edges(void)
{
	uint32_t n = edge_slots ? (edge_mask + 1) * 2 : 1024;
	lc_class_edge *fresh = lc_arena_alloc(n * sizeof *fresh);
	if (!fresh)
		return -1;
	for (uint32_t i = 0; edge_slots && i <= edge_mask; i++) {
		const lc_class_edge *ce = &edge_slots[i];
		if (!ce->from)
			continue;
		uint32_t j = edge_slot(ce->from, ce->to, n - 1);
		while (fresh[j].from)
			j = (j + 1) & (n - 1);
		fresh[j] = *ce;
	}
	if (edge_slots)
		lc_arena_release(edge_slots, (edge_mask + 1) * sizeof *fresh);
	edge_slots = fresh;
	edge_mask = n - 1;
	return 0;
}

void lc_class_note_instance(const lc_lock *l)
{
	/* Each lock counts once: its every new edge asks (two a new edge),
	 * and a class lookup is most of that cost. */
	if (atomic_load_explicit(&l->state, memory_order_relaxed) &
	    LC_LOCK_NOTED)
		return;
	lc_class *c = (lc_class *)lc_class_of(l);
	if (!c)
		return;
	atomic_fetch_or(&((lc_lock *)l)->state, LC_LOCK_NOTED);
	if (c->addr) /* a static lock is one lock */
		return;
	if (!c->one_lock)
		c->one_lock = l->id;
	else if (c->one_lock != l->id)
		c->many = 1;
}

/* Adds e's distinct role contexts to ce's. */
static void summarise_contexts(lc_class_edge *ce, const lc_edge *e)
{
	for (const lc_context *c = lc_edge_first_context(e); c;
	     c = atomic_load_explicit(&c->next, memory_order_relaxed)) {
		unsigned i = 0;
		for (; i < ce->n_contexts; i++) {
			const lc_class_context *k = &ce->contexts[i];
			if (k->role == c->role && k->classes == c->classes &&
			    k->held_shared == c->held_shared &&
			    k->shared == c->shared)
				break;
		}
		if (i < ce->n_contexts)
			continue;
		if (!ce->contexts)
			ce->contexts = lc_arena_alloc(LC_CLASS_CONTEXTS *
						      sizeof *ce->contexts);
		if (!ce->contexts || ce->n_contexts == LC_CLASS_CONTEXTS) {
			ce->contexts_dropped++;
			continue;
		}
		lc_heldset_hold(c->classes);
		ce->contexts[ce->n_contexts++] = (lc_class_context){
			.role = c->role,
			.held_shared = c->held_shared,
			.shared = c->shared,
			.classes = c->classes,
		};
	}
}

void lc_class_summarise(const lc_edge *e)
{
	const lc_context *c = lc_edge_first_context(e);
	if (!c)
		return;
	const lc_class *from = lc_class_of(e->from), *to = lc_class_of(e->to);
	if (!from || !to)
		return;
	if ((!edge_slots || n_class_edges >= (edge_mask + 1) / 2) &&
	    grow_edges() != 0 && !edge_slots)
		return;
	uint32_t i = edge_slot(from->id, to->id, edge_mask);
	for (; edge_slots[i].from; i = (i + 1) & edge_mask) {
		lc_class_edge *ce = &edge_slots[i];
		if (ce->from == from->id && ce->to == to->id) {
			uint32_t add = e->n_contexts + e->dropped_contexts;
			ce->count = ce->count > UINT32_MAX - add ? UINT32_MAX
								  : ce->count + add;
			summarise_contexts(ce, e);
			return;
		}
	}
	if (n_class_edges >= edge_mask)
		return;
	edge_slots[i] = (lc_class_edge){
		.from = from->id,
		.to = to->id,
		.count = e->n_contexts + e->dropped_contexts,
		.thread = c->thread,
		.stack = c->stack,
		.held_stack = c->held_stack,
		.held_pc = c->held_pc,
	};
	summarise_contexts(&edge_slots[i], e);
	n_class_edges++;
}

const lc_class *lc_class_by_id(uint32_t id)
{
	return id >= 1 && id <= n_classes ? by_id[id - 1] : NULL;
}

uint32_t lc_class_count(void)
{
	return n_classes;
}

void lc_class_for_each_edge(void (*fn)(const lc_class_edge *ce, void *arg),
			    void *arg)
{
	for (uint32_t i = 0; edge_slots && i <= edge_mask; i++)
		if (edge_slots[i].from)
			fn(&edge_slots[i], arg);
}

void lc_class_as_lock(const lc_class *c, lc_lock *out)
{
	memset(out, 0, sizeof *out);
	out->addr = c->addr;
	out->id = 0;
	out->type = c->type;
	out->recursive = c->recursive;
	out->create_pc = c->create_pc;
	atomic_store_explicit(&out->name, c->name, memory_order_relaxed);
	atomic_store_explicit(&out->state, LC_LOCK_TYPED, memory_order_relaxed);
}
