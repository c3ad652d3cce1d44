/*
 * describe.h: turning core records into the pieces of a finding.
 *
 * Every detector needs the same few things to write a finding: a lock's
 * readable name and its stable identity, a depot stack as symbolised frames,
 * a thread's name, a stable hash, and "was this problem reported already?".
 * They live here, once. All of it runs on report paths only, under the graph
 * lock (the reported set and the symbolizer are shared).
 */
#ifndef LC_DESCRIBE_H
#define LC_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "registry.h"

#define LC_ORDER_KEY_MAX 192 /* a class key (lc_describe_order_key) */

/* What a report needs of one lock, resolved once. */
typedef struct lc_lock_view {
	char name[160];     /* readable: C++ demangled */
	char symbol[160];   /* the raw form of name when it differs, else "" */
	int named;          /* name is a symbol (global or static lock) */
	char identity[200]; /* stable across runs: module + symbol, or creation site */
	lc_frame created;
	uint64_t created_in_function; /* the creation site's offset in its
				       * function (0: no symbol) */
	char class_key[LC_ORDER_KEY_MAX]; /* lc_describe_order_key's */
	char class_key_symbol[LC_ORDER_KEY_MAX]; /* ..._key_symbol's */
} lc_lock_view;

/* Resolves a lock's name, identity and creation site. */
void lc_describe_lock(const lc_lock *l, lc_lock_view *v);
/* A lock's class in order files and graph events: its name (symbol or
 * lockcheck_name), or "@" and its creation site, the call site of its init
 * or first use, as function and offset in it ("@account_new+0x1f"), or as
 * module and offset when that site has no symbol ("@libfoo.so+0x1234"). The
 * site is precise to the call, so two locks made on two lines of one
 * function are two classes. C++ names are demangled ("net::table_lock",
 * "@net::make_account+0x1b"). */
void lc_describe_order_key(const lc_lock_view *v, char *buf, size_t size);
/* The same key written with the raw (mangled) symbols, which order files
 * and suppressions may name too ("_ZN3net10table_lockE"); empty when it
 * would be the readable key itself (C, given names). */
void lc_describe_order_key_symbol(const lc_lock_view *v, char *buf,
				  size_t size);
/* The coarser key an older order file may use for an anonymous lock:
 * "@function", every class made in that function; with raw, the function's
 * raw symbol ("@_ZN3net12make_accountEv"). Empty when the lock is named or
 * its site has no symbol (raw: no raw symbol different from the readable
 * one). */
void lc_describe_order_key_function(const lc_lock_view *v, int raw,
				    char *buf, size_t size);
/* Fills an lc_finding_lock from a record and its view (v must outlive it). */
void lc_describe_finding_lock(const lc_lock *l, const lc_lock_view *v,
			      lc_finding_lock *out);
/* Symbolises stack stack_id into out (room for LC_STACK_MAX frames); when
 * the id is 0, the single frame pc (if nonzero). Returns the depth. */
unsigned lc_describe_stack(lc_frame *out, uint32_t stack_id, uintptr_t pc);
/* Extends finding id hash `id` with a site: the module and offset of the
 * top frame of stack s (nothing when s is empty), after "what" (the
 * site's verb, or NULL for none): misuse ids hash their call sites, so
 * the same mistake elsewhere is a new finding. */
uint64_t lc_describe_hash_site(uint64_t id, const char *what,
			       const lc_stack *s);
/* lc_hash_str and lc_format_id (finding ids) are in finding.h: the CLI
 * computes the ids of suite-wide cycles with them. */
/* Remembers a finding id; returns 1 the first time, 0 after. When the
 * remembered set is full, every id counts as new (a repeat beats a loss). */
int lc_first_report(uint64_t id);

#endif
