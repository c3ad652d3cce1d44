/*
 * graph_event.c: the lock-order graph as the exit-time "graph" event.
 *
 * What a process proved about lock order outlives it in this one line, and
 * the CLI merges the lines of every process of a test suite (tools/suite.c),
 * so the event says everything a judge across processes needs, and nothing
 * that depends on this process's addresses or numbering alone:
 *   locks    the live locks that took part in an edge a thread made, and
 *            the classes of the dead locks' summarised edges (lockclass.h),
 *            numbered after every lock id; each names its class;
 *   edges    the live made edges and the dead edges' summaries, each with
 *            its first context's thread and stacks, and its distinct
 *            contexts as (thread role, modes, held classes): per-process
 *            thread ids and lock instances mean nothing in another process;
 *            a context is the array [role, held set, flags] (put_role_context);
 *   held_sets  the held class sets those contexts name by index, each
 *            written once (one per depth for a thread holding many locks,
 *            shared by thousands of edges: inline, the event would grow
 *            with the cube of the depth);
 *   classes  every class named above, with its identity (as order files name
 *            it, C++ demangled), its fingerprint (what finding ids hash:
 *            raw symbols, never demangled), the module that
 *            owns it, and whether several instances took part (per-object
 *            locks);
 *   roles    the thread roles the contexts name (role.h): start routine,
 *            creating call site, most threads alive at once;
 *   modules  the modules classes and roles name, with their GNU build-ids,
 *            so that only processes of one program, or of programs sharing
 *            the library that owns the locks, are merged.
 *   frames, stacks  the edges' stacks, each written once: "frames" lists
 *            every distinct frame (one object per pc), "stacks" every
 *            distinct stack as a list of frame indexes, and an edge names
 *            its two stacks by index ("stack_ref", "held_stack_ref"), a
 *            lock its creation site ("created_frame"). A
 *            clean long test makes thousands of edges from a handful of
 *            call paths: written inline, the same frames filled megabytes.
 * The "locks" and "edges" fields are unchanged for older readers, except
 * that an edge's stacks are referenced, not inline (an older reader sees an
 * edge without stacks).
 *
 * Memory: bitmaps of the classes and roles listed, from mmap (the program's
 * malloc is off limits); runs once, at exit, under the graph lock.
 */
#define _GNU_SOURCE
#include "graph_event.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "context.h"
#include "describe.h"
#include "graph.h"
#include "json_write.h"
#include "lockclass.h"
#include "registry.h"
#include "report.h"
#include "role.h"
#include "stack.h"
#include "symbolize.h"
#include "thread.h"

/* Graphs with more edges than this are written without edge stacks. */
#define GRAPH_STACKS_MAX 10000
/* Distinct role contexts written per edge; more are counted. */
#define EDGE_ROLE_CONTEXTS 16
/* Modules named in one event; later ones are left unnamed (their classes
 * then count as the executable's: they only merge less). */
#define EVENT_MODULES 256

typedef struct module_ref {
	const char *path;
	const unsigned char *build_id;
	unsigned build_id_len;
	int is_main;
} module_ref;

/* A set of 64-bit keys numbered in insertion order (open addressing, mmap:
 * no malloc here). */
struct table {
	uint64_t *keys;  /* by index */
	uint32_t *slots; /* index + 1 by hash; 0 empty */
	uint32_t n, cap;
	int failed;      /* out of memory: later keys are not numbered */
};

/* The writer's state: one event at a time, under the graph lock. */
static struct {
	lc_buf *b;
	uint32_t class_base;  /* classes are numbered after every lock id */
	uint8_t *class_listed; /* by class id - 1 */
	uint32_t n_classes;
	uint8_t *role_listed; /* by role id */
	uint32_t n_roles;
	int stacks;
	int first;
	module_ref modules[EVENT_MODULES];
	unsigned n_modules;
	/* Held class sets, each written once in "held_sets" and named by
	 * index: a thread holding many locks makes one set per depth,
	 * which thousands of edges share. */
	const lc_heldset **sets;   /* by index */
	uint32_t n_sets, sets_cap;
	uint32_t *set_slots;       /* index + 1 by pointer hash; 0 empty */
	uint32_t set_mask;
	int sets_failed;           /* out of memory: contexts left out */
	/* The stack tables: distinct (stack id, pc) pairs and distinct pcs,
	 * each numbered in first-use order. */
	struct table stack_table, frame_table;
} w;

static void *map_zeroed(size_t n)
{
	if (n == 0)
		return NULL;
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static uint32_t table_slot(uint64_t key, uint32_t mask)
{
	return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

static void table_free(struct table *t)
{
	if (t->keys) {
		munmap(t->keys, t->cap * sizeof *t->keys);
		munmap(t->slots, 2 * t->cap * sizeof *t->slots);
	}
	memset(t, 0, sizeof *t);
}

/* The index of key in t (added on first use), or -1 out of memory. */
static long table_index(struct table *t, uint64_t key)
{
	if (t->slots)
		for (uint32_t j = table_slot(key, 2 * t->cap - 1); t->slots[j];
		     j = (j + 1) & (2 * t->cap - 1))
			if (t->keys[t->slots[j] - 1] == key)
				return t->slots[j] - 1;
	if (t->failed)
		return -1;
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 1024;
		uint64_t *keys = map_zeroed(cap * sizeof *keys);
		uint32_t *slots = map_zeroed(2 * cap * sizeof *slots);
		if (!keys || !slots) {
			if (keys)
				munmap(keys, cap * sizeof *keys);
			if (slots)
				munmap(slots, 2 * cap * sizeof *slots);
			t->failed = 1;
			return -1;
		}
		uint32_t n = t->n;
		if (n)
			memcpy(keys, t->keys, n * sizeof *keys);
		table_free(t);
		t->keys = keys;
		t->slots = slots;
		t->cap = cap;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t j = table_slot(keys[i], 2 * cap - 1);
			while (slots[j])
				j = (j + 1) & (2 * cap - 1);
			slots[j] = i + 1;
		}
		t->n = n;
	}
	uint32_t j = table_slot(key, 2 * t->cap - 1);
	while (t->slots[j])
		j = (j + 1) & (2 * t->cap - 1);
	t->keys[t->n] = key;
	t->slots[j] = ++t->n;
	return t->n - 1;
}

static void note_class(uint32_t id)
{
	if (w.class_listed && id >= 1 && id <= w.n_classes)
		w.class_listed[id - 1] = 1;
}

static void note_role(uint32_t id)
{
	if (w.role_listed && id < w.n_roles)
		w.role_listed[id] = 1;
}

/* The module index of the object holding addr, or -1. */
static int module_of(uintptr_t addr)
{
	lc_symbol sym;
	if (!addr || lc_symbolize(addr, &sym) != 0 || !sym.module ||
	    sym.module[0] != '/')
		return -1;
	for (unsigned i = 0; i < w.n_modules; i++)
		if (w.modules[i].path == sym.module ||
		    strcmp(w.modules[i].path, sym.module) == 0)
			return (int)i;
	if (w.n_modules == EVENT_MODULES)
		return -1;
	w.modules[w.n_modules] = (module_ref){ sym.module, sym.build_id,
					       sym.build_id_len, sym.is_main };
	return (int)w.n_modules++;
}

/* Appends ,"FIELD":N: the index in "stacks" of a context's stack (or of
 * the single frame pc); nothing when the tables are out of memory. A
 * stack id is a depot index below 2^32, so (id, pc) keys it uniquely:
 * pc only matters without a depot stack (id 0 names none). */
static void put_stack_ref(const char *field, uint32_t stack_id, uintptr_t pc)
{
	unsigned depth;
	const uintptr_t *pcs = lc_stack_get(stack_id, &depth);
	uint64_t key = pcs ? stack_id : ((uint64_t)1 << 63) | pc;
	long i = table_index(&w.stack_table, key);
	if (i >= 0)
		lc_buf_printf(w.b, ",\"%s\":%ld", field, i);
}

/* ,"stacks":[[frame indexes]...],"frames":[frame objects]: every stack
 * named by an edge, then every frame those stacks hold. */
static void put_stack_tables(void)
{
	lc_buf_puts(w.b, ",\"stacks\":[");
	for (uint32_t k = 0; k < w.stack_table.n; k++) {
		uint64_t key = w.stack_table.keys[k];
		unsigned depth = 0;
		const uintptr_t *pcs = NULL;
		uintptr_t single = 0;
		if (key >> 63) {
			single = (uintptr_t)(key & ~((uint64_t)1 << 63));
			depth = single != 0;
			pcs = &single;
		} else {
			pcs = lc_stack_get((uint32_t)key, &depth);
		}
		lc_buf_puts(w.b, k ? ",[" : "[");
		int first = 1;
		for (unsigned i = 0; pcs && i < depth; i++) {
			long f = table_index(&w.frame_table, pcs[i]);
			if (f < 0)
				break; /* out of memory: the stack is cut */
			lc_buf_printf(w.b, "%s%ld", first ? "" : ",", f);
			first = 0;
		}
		lc_buf_put(w.b, "]", 1);
	}
	lc_buf_puts(w.b, "],\"frames\":[");
	for (uint32_t k = 0; k < w.frame_table.n; k++) {
		lc_frame f;
		lc_report_frame((uintptr_t)w.frame_table.keys[k], &f);
		lc_buf_puts(w.b, k ? "," : "");
		/* One frame as a stack of one, without its brackets: the frame
		 * object is written where every frame is (json_write.c). */
		size_t at = w.b->len;
		lc_json_write_stack(w.b, &(lc_stack){ &f, 1 });
		if (w.b->len >= at + 2 && !w.b->truncated) {
			memmove(w.b->data + at, w.b->data + at + 1,
				w.b->len - at - 2);
			w.b->len -= 2;
			w.b->data[w.b->len] = '\0';
		}
	}
	lc_buf_put(w.b, "]", 1);
}

/* The event's lock entry for a lock or a class (id: its number here). */
static void put_lock(uint32_t id, const lc_lock *l, const lc_class *c)
{
	lc_lock_view v;
	char key[LC_ORDER_KEY_MAX];
	lc_describe_lock(l, &v);
	lc_describe_order_key(&v, key, sizeof key);
	lc_buf_printf(w.b,
		      "%s{\"id\":%u,\"address\":\"0x%" PRIxPTR
		      "\",\"type\":\"%s\",\"name\":",
		      w.first ? "" : ",", id, lc_lock_memory(l->addr),
		      lc_lock_type_name(l));
	lc_json_write_string(w.b, v.named ? v.name : NULL);
	if (v.named && v.symbol[0]) {
		lc_buf_puts(w.b, ",\"symbol\":");
		lc_json_write_string(w.b, v.symbol);
	}
	lc_buf_puts(w.b, ",\"identity\":");
	lc_json_write_string(w.b, key);
	if (v.created.module) {
		/* The creation site, for the CLI to name by file:line: a
		 * frame of "frames" (thousands of locks share a few sites). */
		long f = table_index(&w.frame_table, l->create_pc);
		if (f >= 0) {
			lc_buf_printf(w.b, ",\"created_frame\":%ld", f);
		} else {
			lc_buf_puts(w.b, ",\"created\":");
			lc_json_write_stack(w.b, &(lc_stack){ &v.created, 1 });
		}
	}
	if (c) {
		lc_buf_printf(w.b, ",\"class\":%u", c->id);
		note_class(c->id);
	}
	lc_buf_put(w.b, "}", 1);
	w.first = 0;
}

static void put_summary_locks(const lc_class_edge *ce, void *arg)
{
	uint8_t *listed = arg;
	uint32_t ids[2] = { ce->from, ce->to };
	for (int k = 0; k < 2; k++) {
		if (listed[ids[k] - 1])
			continue;
		listed[ids[k] - 1] = 1;
		const lc_class *c = lc_class_by_id(ids[k]);
		lc_lock as_lock;
		lc_class_as_lock(c, &as_lock);
		put_lock(w.class_base + ids[k], &as_lock, c);
	}
}

static uint32_t set_slot(const lc_heldset *set, uint32_t mask)
{
	uint64_t h = (uint64_t)(uintptr_t)set * 0x9E3779B97F4A7C15ull;
	return (uint32_t)(h >> 32) & mask;
}

/* Room for one more set: the list and the index double (mmap: no malloc
 * here). 0, or -1 when out of memory. */
static int sets_grow(void)
{
	if (w.n_sets < w.sets_cap)
		return 0;
	uint32_t cap = w.sets_cap ? w.sets_cap * 2 : 1024;
	const lc_heldset **list = map_zeroed(cap * sizeof *list);
	uint32_t *slots = map_zeroed(2 * cap * sizeof *slots);
	if (!list || !slots) {
		if (list)
			munmap(list, cap * sizeof *list);
		if (slots)
			munmap(slots, 2 * cap * sizeof *slots);
		return -1;
	}
	for (uint32_t i = 0; i < w.n_sets; i++) {
		list[i] = w.sets[i];
		uint32_t j = set_slot(list[i], 2 * cap - 1);
		while (slots[j])
			j = (j + 1) & (2 * cap - 1);
		slots[j] = i + 1;
	}
	if (w.sets) {
		munmap(w.sets, w.sets_cap * sizeof *w.sets);
		munmap(w.set_slots, 2 * w.sets_cap * sizeof *w.set_slots);
	}
	w.sets = list;
	w.set_slots = slots;
	w.sets_cap = cap;
	w.set_mask = 2 * cap - 1;
	return 0;
}

/* The index of set in "held_sets" (listed on first use), or -1. */
static long set_index(const lc_heldset *set)
{
	if (w.set_slots) {
		for (uint32_t j = set_slot(set, w.set_mask); w.set_slots[j];
		     j = (j + 1) & w.set_mask)
			if (w.sets[w.set_slots[j] - 1] == set)
				return w.set_slots[j] - 1;
	}
	if (sets_grow() != 0) {
		w.sets_failed = 1;
		return -1;
	}
	uint32_t j = set_slot(set, w.set_mask);
	while (w.set_slots[j])
		j = (j + 1) & w.set_mask;
	w.sets[w.n_sets] = set;
	w.set_slots[j] = ++w.n_sets;
	for (uint32_t i = 0; i < set->n; i++)
		note_class(set->items[i] >> 1);
	return w.n_sets - 1;
}

/* One role context, compact: [R,H,F] for {"role":R,"held_set":H} with
 * flags F (1: held_shared, `from` held for reading; 2: shared, `to` wanted
 * for reading). A long clean run makes tens of thousands of edges, each
 * with a context: as an object, the field names alone were half the event.
 * Returns 0, or -1 when it could not be written (out of memory). */
static int put_role_context(int first, uint32_t role, int held_shared,
			    int shared, const lc_heldset *classes)
{
	static const lc_heldset empty = { 0 };
	long set = set_index(classes ? classes : &empty);
	if (set < 0)
		return -1;
	note_role(role);
	lc_buf_printf(w.b, "%s[%u,%ld,%d]", first ? "" : ",", role, set,
		      (held_shared ? 1 : 0) | (shared ? 2 : 0));
	return 0;
}

/* "held_sets": each listed set's classes, sorted. Items are class id << 1
 * | read: a class held in both modes (two instances) appears once. */
static void put_held_sets(void)
{
	lc_buf_puts(w.b, ",\"held_sets\":[");
	for (uint32_t k = 0; k < w.n_sets; k++) {
		const lc_heldset *set = w.sets[k];
		lc_buf_puts(w.b, k ? ",[" : "[");
		uint32_t last = 0;
		int any = 0;
		for (uint32_t i = 0; i < set->n; i++) {
			uint32_t id = set->items[i] >> 1;
			if (any && id == last)
				continue;
			lc_buf_printf(w.b, "%s%u", any ? "," : "", id);
			last = id;
			any = 1;
		}
		lc_buf_put(w.b, "]", 1);
	}
	lc_buf_put(w.b, "]", 1);
}

static void put_summary_edge(const lc_class_edge *ce, void *arg)
{
	(void)arg;
	lc_buf_printf(w.b,
		      "%s{\"from\":%u,\"to\":%u,\"count\":%u,\"thread\":%u",
		      w.first ? "" : ",", w.class_base + ce->from,
		      w.class_base + ce->to, ce->count, ce->thread);
	if (w.stacks) {
		put_stack_ref("stack_ref", ce->stack, 0);
		put_stack_ref("held_stack_ref", ce->held_stack, ce->held_pc);
	}
	lc_buf_puts(w.b, ",\"destroyed\":true,\"contexts\":[");
	unsigned written = 0, dropped = ce->contexts_dropped;
	for (unsigned i = 0; i < ce->n_contexts; i++) {
		const lc_class_context *k = &ce->contexts[i];
		if (put_role_context(written == 0, k->role, k->held_shared,
				     k->shared, k->classes) == 0)
			written++;
		else
			dropped++;
	}
	lc_buf_put(w.b, "]", 1);
	if (dropped)
		lc_buf_printf(w.b, ",\"contexts_dropped\":%u", dropped);
	lc_buf_put(w.b, "}", 1);
	w.first = 0;
}

/* A live edge's distinct role contexts. */
static void put_edge_contexts(const lc_edge *e)
{
	const lc_context *seen[EDGE_ROLE_CONTEXTS];
	unsigned n = 0, dropped = 0;
	lc_buf_puts(w.b, ",\"contexts\":[");
	for (const lc_context *c = lc_edge_first_context(e); c;
	     c = atomic_load_explicit(&c->next, memory_order_relaxed)) {
		unsigned i = 0;
		while (i < n && !(seen[i]->role == c->role &&
				  seen[i]->classes == c->classes &&
				  seen[i]->held_shared == c->held_shared &&
				  seen[i]->shared == c->shared))
			i++;
		if (i < n)
			continue;
		if (n == EDGE_ROLE_CONTEXTS) {
			dropped++;
			continue;
		}
		if (put_role_context(n == 0, c->role, c->held_shared,
				     c->shared, c->classes) != 0) {
			dropped++;
			continue;
		}
		seen[n++] = c;
	}
	lc_buf_put(w.b, "]", 1);
	if (dropped)
		lc_buf_printf(w.b, ",\"contexts_dropped\":%u", dropped);
}

/* An edge of the live graph that a thread made (not a bypass through a
 * dead lock: the dead lock's own edges are in the class summaries). */
static int made_edge(const lc_edge *e)
{
	return atomic_load_explicit(&e->n_contexts, memory_order_relaxed) > 0;
}

static int has_made_edge(const lc_lock *l)
{
	for (const lc_edge *e = l->out; e; e = e->next_out)
		if (made_edge(e))
			return 1;
	for (const lc_edge *e = l->in; e; e = e->next_in)
		if (made_edge(e))
			return 1;
	return 0;
}

/* A live lock the event lists, or NULL. */
static lc_lock *listed_lock(uint32_t id)
{
	lc_lock *l = lc_registry_by_id(id);
	if (!l || (atomic_load(&l->state) & LC_LOCK_FOLDED) || !has_made_edge(l))
		return NULL;
	return l;
}

static void put_classes(void)
{
	lc_buf_puts(w.b, ",\"classes\":[");
	int first = 1;
	for (uint32_t id = 1; w.class_listed && id <= w.n_classes; id++) {
		if (!w.class_listed[id - 1])
			continue;
		const lc_class *c = lc_class_by_id(id);
		lc_lock as_lock;
		lc_lock_view v;
		char key[LC_ORDER_KEY_MAX];
		lc_class_as_lock(c, &as_lock);
		lc_describe_lock(&as_lock, &v);
		lc_describe_order_key(&v, key, sizeof key);
		/* The owner: a static lock's image, else its creation site's
		 * module (a return address: look up the call). */
		int module = c->addr ? module_of(lc_lock_memory(c->addr))
				     : module_of(c->create_pc ? c->create_pc - 1
							      : 0);
		lc_buf_printf(w.b, "%s{\"class\":%u,\"identity\":",
			      first ? "" : ",", id);
		lc_json_write_string(w.b, key);
		lc_buf_puts(w.b, ",\"fingerprint\":");
		lc_json_write_string(w.b, v.identity);
		if (module >= 0)
			lc_buf_printf(w.b, ",\"module\":%d", module);
		lc_buf_printf(w.b, ",\"many\":%s}", c->many ? "true" : "false");
		first = 0;
	}
	lc_buf_put(w.b, "]", 1);
}

/* A frame of a routine or call site, as one frame object (a stack's
 * element), and its module noted. */
static void put_role_frame(const char *field, uintptr_t pc)
{
	lc_frame f;
	lc_report_frame(pc, &f);
	module_of(pc - 1);
	lc_buf_printf(w.b, ",\"%s\":{\"pc\":\"0x%" PRIx64 "\",\"module\":",
		      field, f.pc);
	lc_json_write_string(w.b, f.module);
	lc_buf_printf(w.b, ",\"offset\":\"0x%" PRIx64 "\",\"function\":",
		      f.offset);
	lc_json_write_string(w.b, f.function);
	if (f.symbol) {
		lc_buf_puts(w.b, ",\"symbol\":");
		lc_json_write_string(w.b, f.symbol);
	}
	lc_buf_put(w.b, "}", 1);
}

static void put_roles(void)
{
	lc_buf_puts(w.b, ",\"roles\":[");
	int first = 1;
	for (uint32_t id = 0; w.role_listed && id < w.n_roles; id++) {
		const lc_role *r = lc_role_get(id);
		if (!w.role_listed[id] || !r)
			continue;
		const char *kind = id == LC_ROLE_MAIN	 ? "main"
				   : id == LC_ROLE_OTHER ? "other"
							 : "thread";
		lc_buf_printf(w.b, "%s{\"role\":%u,\"kind\":\"%s\"",
			      first ? "" : ",", id, kind);
		if (r->routine) {
			/* The routine's own address, +1 as if it were a
			 * return address into it (thread.c's convention). */
			put_role_frame("routine", r->routine + 1);
			put_role_frame("site", r->site);
		}
		lc_buf_printf(w.b, ",\"max_live\":%u,\"threads\":%u",
			      r->max_live, r->threads);
		const char *name = r->named_by ? lc_thread_name(r->named_by)
					       : NULL;
		if (name) {
			lc_buf_puts(w.b, ",\"name\":");
			lc_json_write_string(w.b, name);
		}
		lc_buf_put(w.b, "}", 1);
		first = 0;
	}
	lc_buf_put(w.b, "]", 1);
}

static void put_modules(void)
{
	lc_buf_puts(w.b, ",\"modules\":[");
	for (unsigned i = 0; i < w.n_modules; i++) {
		const module_ref *m = &w.modules[i];
		lc_buf_printf(w.b, "%s{\"module\":%u,\"path\":", i ? "," : "",
			      i);
		lc_json_write_string(w.b, m->path);
		lc_buf_puts(w.b, ",\"build_id\":");
		if (m->build_id_len) {
			lc_buf_put(w.b, "\"", 1);
			for (unsigned k = 0; k < m->build_id_len; k++)
				lc_buf_printf(w.b, "%02x", m->build_id[k]);
			lc_buf_put(w.b, "\"", 1);
		} else {
			lc_buf_puts(w.b, "null");
		}
		if (m->is_main)
			lc_buf_puts(w.b, ",\"main\":true");
		lc_buf_put(w.b, "}", 1);
	}
	lc_buf_put(w.b, "]", 1);
}

void lc_graph_event_write(lc_buf *b)
{
	memset(&w, 0, sizeof w);
	w.b = b;
	lc_buf_printf(b, "{\"event\":\"graph\",\"pid\":%d,\"locks\":[",
		      (int)getpid());
	/* Every listed lock's class exists before the bitmaps are sized. */
	for (uint32_t id = lc_registry_next_id(0); id;
	     id = lc_registry_next_id(id)) {
		lc_lock *l = listed_lock(id);
		if (l)
			lc_class_of(l);
	}
	w.n_classes = lc_class_count();
	w.class_listed = map_zeroed(w.n_classes);
	uint8_t *summary_listed = map_zeroed(w.n_classes);
	w.n_roles = lc_role_count();
	w.role_listed = map_zeroed(w.n_roles);
	w.first = 1;
	for (uint32_t id = lc_registry_next_id(0); id;
	     id = lc_registry_next_id(id)) {
		lc_lock *l = listed_lock(id);
		if (l)
			put_lock(l->id, l, lc_class_of(l));
	}
	w.class_base = lc_registry_count();
	if (summary_listed)
		lc_class_for_each_edge(put_summary_locks, summary_listed);

	w.stacks = lc_graph_edge_count() <= GRAPH_STACKS_MAX;
	lc_buf_puts(b, "],\"edges\":[");
	w.first = 1;
	if (summary_listed)
		lc_class_for_each_edge(put_summary_edge, NULL);
	for (uint32_t id = lc_registry_next_id(0); id;
	     id = lc_registry_next_id(id)) {
		lc_lock *l = lc_registry_by_id(id);
		if (!l || (atomic_load(&l->state) & LC_LOCK_FOLDED))
			continue;
		for (lc_edge *e = l->out; e; e = e->next_out) {
			if (!made_edge(e))
				continue;
			const lc_context *c = lc_edge_first_context(e);
			lc_buf_printf(b,
				      "%s{\"from\":%u,\"to\":%u,\"count\":%u,"
				      "\"thread\":%u",
				      w.first ? "" : ",", e->from->id,
				      e->to->id,
				      e->n_contexts + e->dropped_contexts,
				      c ? c->thread : 0);
			if (w.stacks && c) {
				put_stack_ref("stack_ref", c->stack, 0);
				put_stack_ref("held_stack_ref", c->held_stack,
					      c->held_pc);
			}
			put_edge_contexts(e);
			lc_buf_put(b, "}", 1);
			w.first = 0;
		}
	}
	lc_buf_put(b, "]", 1);
	if (!w.stacks)
		lc_buf_puts(b, ",\"stacks_omitted\":true");
	put_stack_tables();
	put_held_sets();
	put_classes();
	put_roles();
	/* The executable is always listed, so the CLI knows its build-id
	 * even when every class is a library's. */
	module_of((uintptr_t)getauxval(AT_ENTRY));
	put_modules();
	lc_buf_put(b, "}", 1);
	if (w.class_listed)
		munmap(w.class_listed, w.n_classes);
	if (summary_listed)
		munmap(summary_listed, w.n_classes);
	if (w.role_listed)
		munmap(w.role_listed, w.n_roles);
	if (w.sets) {
		munmap(w.sets, w.sets_cap * sizeof *w.sets);
		munmap(w.set_slots, 2 * w.sets_cap * sizeof *w.set_slots);
	}
	table_free(&w.stack_table);
	table_free(&w.frame_table);
}
