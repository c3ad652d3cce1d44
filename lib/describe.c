/*
 * describe.c: lock views, symbolised stacks, ids and the reported set
 * (see describe.h).
 *
 * A lock's identity must not depend on ASLR or on the order locks were
 * created: a lock named with lockcheck_name is "named:<name>", a global or
 * static lock "static:<module>:<symbol>", an anonymous one
 * "created:<module>:<offset of its creation site>". Anonymous
 * locks created at one site therefore share an identity, like a lockdep class:
 * the finding id says "this problem", not "this object".
 *
 * C++: names are shown demangled (demangle.h): a lock's name and its class
 * key ("net::table_lock", "@net::make_account+0x1b"), which order files,
 * suppressions and graph events use, beside the raw form they also accept.
 * The identity (the fingerprint finding ids hash) keeps the raw symbol, so
 * ids of C findings are what they were, and C++ ids neither changed with
 * demangling nor will with the demangler's version.
 */
#include "describe.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "report.h"
#include "stack.h"
#include "symbolize.h"

#define REPORTED_SLOTS 4096

static uint64_t *reported; /* open addressing set of ids, graph lock */

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : (path ? path : "");
}

uint64_t lc_describe_hash_site(uint64_t id, const char *what,
			       const lc_stack *s)
{
	if (!s->depth)
		return id;
	char where[192];
	const lc_frame *top = &s->frames[0];
	const char *mod = top->module ? strrchr(top->module, '/') : NULL;
	const char *name = mod ? mod + 1 : (top->module ? top->module : "?");
	if (what)
		snprintf(where, sizeof where, "\n%s:%s:%" PRIx64, what, name,
			 top->offset);
	else
		snprintf(where, sizeof where, "\n%s:%" PRIx64, name,
			 top->offset);
	return lc_hash_str(id, where);
}

int lc_first_report(uint64_t id)
{
	if (!reported)
		reported = lc_arena_alloc(sizeof(uint64_t) * REPORTED_SLOTS);
	if (!reported)
		return 1;
	if (id == 0)
		id = 1; /* 0 marks an empty slot */
	for (uint32_t n = 0, i = (uint32_t)id & (REPORTED_SLOTS - 1);
	     n < REPORTED_SLOTS; n++, i = (i + 1) & (REPORTED_SLOTS - 1)) {
		if (reported[i] == id)
			return 0;
		if (reported[i] == 0) {
			reported[i] = id;
			return 1;
		}
	}
	return 1;
}

/* A static lock's name from its symbol: "sym", "sym+0x10", or with no
 * symbol "module+0x1234". */
static void static_name(char *buf, size_t size, const lc_symbol *sym,
			const char *name)
{
	if (name && sym->name_offset == 0)
		snprintf(buf, size, "%s", name);
	else if (name)
		snprintf(buf, size, "%s+0x%" PRIx64, name, sym->name_offset);
	else
		snprintf(buf, size, "%s+0x%" PRIx64, base_name(sym->module),
			 sym->module_offset);
}

/* A static bit lock is a bit of its word: "flags+0x0:bit2", so that
 * two bits of one word are two names (and two classes). */
static void bit_suffix(const lc_lock *l, char *buf, size_t size)
{
	int bit = lc_lock_bit(l->addr);
	size_t len = strlen(buf);
	if (bit >= 0 && len < size)
		snprintf(buf + len, size - len, ":bit%d", bit);
}

void lc_describe_lock(const lc_lock *l, lc_lock_view *v)
{
	lc_symbol sym;
	v->named = 0;
	v->symbol[0] = '\0';
	const char *given = atomic_load_explicit(&l->name, memory_order_acquire);
	if (given) {
		snprintf(v->name, sizeof v->name, "%s", given);
		v->named = 1;
		snprintf(v->identity, sizeof v->identity, "named:%s", given);
	} else if (lc_symbolize(lc_lock_memory(l->addr), &sym) == 0) {
		static_name(v->name, sizeof v->name, &sym, sym.display);
		v->named = 1;
		/* The fingerprint keeps the raw symbol: finding ids must not
		 * move with the demangler's wording (or its version). */
		char raw[sizeof v->name];
		static_name(raw, sizeof raw, &sym, sym.name);
		if (sym.display != sym.name)
			snprintf(v->symbol, sizeof v->symbol, "%s", raw);
		snprintf(v->identity, sizeof v->identity, "static:%s:%s",
			 base_name(sym.module), raw);
		bit_suffix(l, v->name, sizeof v->name);
		if (v->symbol[0])
			bit_suffix(l, v->symbol, sizeof v->symbol);
		bit_suffix(l, v->identity, sizeof v->identity);
	}
	lc_report_frame(l->create_pc, &v->created);
	v->created_in_function = 0;
	if (l->create_pc && lc_symbolize(l->create_pc - 1, &sym) == 0 && sym.name)
		v->created_in_function = sym.name_offset + 1;
	if (!v->named)
		snprintf(v->identity, sizeof v->identity,
			 "created:%s:%" PRIx64, base_name(v->created.module),
			 v->created.offset);
	lc_describe_order_key(v, v->class_key, sizeof v->class_key);
	lc_describe_order_key_symbol(v, v->class_key_symbol,
				     sizeof v->class_key_symbol);
}

/* The class key from the readable names, or (raw) from the raw symbols. */
static void order_key(const lc_lock_view *v, int raw, char *buf, size_t size)
{
	const char *function = raw && v->created.symbol ? v->created.symbol
							: v->created.function;
	if (v->named)
		snprintf(buf, size, "%s",
			 raw && v->symbol[0] ? v->symbol : v->name);
	else if (function)
		snprintf(buf, size, "@%s+0x%" PRIx64, function,
			 v->created_in_function);
	else
		snprintf(buf, size, "@%s+0x%" PRIx64, base_name(v->created.module),
			 v->created.offset);
}

void lc_describe_order_key(const lc_lock_view *v, char *buf, size_t size)
{
	order_key(v, 0, buf, size);
}

void lc_describe_order_key_symbol(const lc_lock_view *v, char *buf,
				  size_t size)
{
	if (!size)
		return;
	buf[0] = '\0';
	if (v->named ? v->symbol[0] != '\0' : v->created.symbol != NULL)
		order_key(v, 1, buf, size);
}

void lc_describe_order_key_function(const lc_lock_view *v, int raw,
				    char *buf, size_t size)
{
	const char *function = raw ? v->created.symbol : v->created.function;
	if (!v->named && function)
		snprintf(buf, size, "@%s", function);
	else if (size)
		buf[0] = '\0';
}

void lc_describe_finding_lock(const lc_lock *l, const lc_lock_view *v,
			      lc_finding_lock *out)
{
	out->id = l->id;
	out->address = lc_lock_memory(l->addr);
	out->bit = lc_lock_bit(l->addr);
	out->type = lc_lock_type_name(l);
	out->name = v->named ? v->name : NULL;
	out->symbol = v->named && v->symbol[0] ? v->symbol : NULL;
	out->identity = v->class_key[0] ? v->class_key : NULL;
	out->created.frames = &v->created;
	out->created.depth = v->created.module ? 1 : 0;
	out->destroyed = lc_lock_destroyed(l) != 0;
}

unsigned lc_describe_stack(lc_frame *out, uint32_t stack_id, uintptr_t pc)
{
	unsigned depth;
	const uintptr_t *pcs = lc_stack_get(stack_id, &depth);
	if (!pcs) {
		if (!pc)
			return 0;
		lc_report_frame(pc, &out[0]);
		return 1;
	}
	for (unsigned i = 0; i < depth; i++)
		lc_report_frame(pcs[i], &out[i]);
	return depth;
}
