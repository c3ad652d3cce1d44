/*
 * context.c: held-set interning and the per-edge context lists (see
 * context.h).
 */
#include "context.h"

#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "limit.h"
#include "keyindex.h"
#include "graph.h"

/* The intern table of held sets, graph lock. It doubles when it holds as
 * many sets as buckets, so a chain stays short however many distinct held
 * sets a program makes (a thread holding one of a million locks makes a
 * million). Bucket arrays come from mmap and the old one is unmapped: only
 * the graph lock's holder ever reads it. */
static lc_heldset **heldset_buckets;
static uint32_t heldset_mask, n_heldsets;

static int heldset_grow(void)
{
	uint32_t n = heldset_buckets ? (heldset_mask + 1) * 2 : 4096;
	lc_heldset **fresh = mmap(NULL, n * sizeof *fresh,
				  PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fresh == MAP_FAILED)
		return -1;
	if (heldset_buckets) {
		for (uint32_t b = 0; b <= heldset_mask; b++) {
			for (lc_heldset *s = heldset_buckets[b], *next; s; s = next) {
				next = s->next;
				s->next = fresh[s->hash & (n - 1)];
				fresh[s->hash & (n - 1)] = s;
			}
		}
		munmap(heldset_buckets, (heldset_mask + 1) * sizeof *fresh);
	}
	heldset_buckets = fresh;
	heldset_mask = n - 1;
	return 0;
}

size_t lc_heldset_table_bytes(void)
{
	return heldset_buckets ? (heldset_mask + 1) * sizeof *heldset_buckets : 0;
}

uint64_t lc_heldset_hash(const uint32_t *items, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ items[i]) * 0x100000001b3ull;
	return h ^ (h >> 32); /* the low bits pick the bucket */
}

/* Freed sets by size class (capacity 4 << class items), reused first. */
#define SET_CLASSES 10
static lc_heldset *free_sets[SET_CLASSES];

static unsigned set_class(uint32_t n)
{
	unsigned c = 0;
	while ((4u << c) < n && c + 1 < SET_CLASSES)
		c++;
	return c;
}

static lc_heldset *set_alloc(uint32_t n)
{
	unsigned c = set_class(n);
	if ((4u << c) < n) /* beyond the classes: exact size, never freed */
		return lc_arena_alloc(sizeof(lc_heldset) + n * sizeof(uint32_t));
	lc_heldset *s = free_sets[c];
	if (s) {
		free_sets[c] = s->next;
		return s;
	}
	return lc_arena_alloc(sizeof(lc_heldset) + (4u << c) * sizeof(uint32_t));
}

/* Unlinks s from the intern table and frees it. */
static void set_free(lc_heldset *s)
{
	lc_heldset **p = &heldset_buckets[s->hash & heldset_mask];
	while (*p && *p != s)
		p = &(*p)->next;
	if (*p)
		*p = s->next;
	n_heldsets--;
	unsigned c = set_class(s->n);
	if ((4u << c) < s->n)
		return;
	s->next = free_sets[c];
	free_sets[c] = s;
}

/* The set made by the last intern, until a context names it. */
static lc_heldset *unnamed;

const lc_heldset *lc_heldset_intern(const uint32_t *items, uint32_t n,
				    uint64_t hash)
{
	if (unnamed && unnamed->refs == 0)
		set_free(unnamed);
	unnamed = NULL;
	if ((!heldset_buckets || n_heldsets > heldset_mask) &&
	    heldset_grow() != 0 && !heldset_buckets)
		return NULL;
	lc_heldset **bucket = &heldset_buckets[hash & heldset_mask];
	for (lc_heldset *s = *bucket; s; s = s->next)
		if (s->hash == hash && s->n == n &&
		    memcmp(s->items, items, n * sizeof items[0]) == 0)
			return s;
	lc_heldset *s = set_alloc(n);
	if (!s)
		return NULL;
	s->hash = hash;
	s->n = n;
	s->refs = 0;
	memcpy(s->items, items, n * sizeof items[0]);
	s->next = *bucket;
	*bucket = s;
	n_heldsets++;
	unnamed = s;
	return s;
}

static void set_release(const lc_heldset *held)
{
	lc_heldset *s = (lc_heldset *)held;
	if (s && --s->refs == 0 && s != unnamed)
		set_free(s);
}

const lc_heldset *lc_heldset_intern_ref(const uint32_t *items, uint32_t n,
					uint64_t hash)
{
	lc_heldset *s = (lc_heldset *)lc_heldset_intern(items, n, hash);
	if (s) {
		s->refs++;
		if (unnamed == s)
			unnamed = NULL;
	}
	return s;
}

void lc_heldset_release(const lc_heldset *set)
{
	set_release(set);
}

void lc_heldset_hold(const lc_heldset *set)
{
	if (set)
		((lc_heldset *)set)->refs++;
}

uint32_t lc_heldset_common(const lc_heldset *a, const lc_heldset *b)
{
	if (!a || !b)
		return 0;
	uint32_t i = 0, j = 0;
	while (i < a->n && j < b->n) {
		uint32_t la = a->items[i] >> 1, lb = b->items[j] >> 1;
		if (la < lb) {
			i++;
		} else if (lb < la) {
			j++;
		} else {
			/* Held by both: a gate unless both hold it to read. */
			if (!((a->items[i] & 1) && (b->items[j] & 1)))
				return la;
			i++;
			j++;
		}
	}
	return 0;
}

uint64_t lc_context_key(uint32_t thread, uint64_t held_hash,
			const lc_clock *clock, int held_shared, int shared)
{
	/* Thread and clock are mixed in apart, with a multiply between: a
	 * plain XOR of both let two workers collide whenever their ids'
	 * difference matched their clocks' distance in memory (one context
	 * in 500 lost: tests/real/scale_threads_ordered). */
	uint64_t h = held_hash ^ ((uint64_t)thread << 2 | (uint64_t)(held_shared != 0) << 1 |
				  (uint64_t)(shared != 0));
	h *= 0x9E3779B97F4A7C15ull;
	h ^= h >> 32;
	h = (h ^ (uintptr_t)clock) * 0xBF58476D1CE4E5B9ull;
	return h ^ (h >> 31);
}

/* The context index (keyindex.h): every (edge, context key) pair ever
 * added, as a 64-bit hash, so that "does this edge know this context?" is
 * one probe however many contexts the edge has (a lock taken under many
 * different held sets has many). Written under the graph lock, read without
 * it; a miss only sends the reader to the graph lock. An edge's first
 * context is not in it: its key is kept in the edge, so an edge made in one
 * context (most edges, and every new one) is answered from the edge alone. A
 * context that left its edge's list (the edge was full) stays known here, so
 * it is not offered again and again. Two pairs with one hash (about 2^-64)
 * would hide a context, as a chain-key collision would. */
static lc_keyindex ctx_index;
static uint32_t n_contexts_added;
/* Contexts of freed edges, linked through next; graph lock. */
static lc_context *free_contexts;

uint32_t lc_context_count(void)
{
	return n_contexts_added;
}

static uint64_t ctx_hash(const lc_edge *e, uint64_t key)
{
	uint64_t h = ((uint64_t)e->from->id << 32 | e->to->id) *
			     0x9E3779B97F4A7C15ull ^
		     key;
	h = (h ^ (h >> 31)) * 0xBF58476D1CE4E5B9ull;
	h ^= h >> 29;
	/* Neither an empty slot's key nor a tombstone's. */
	return h && h != LC_KEYINDEX_TOMBSTONE ? h : 1;
}

int lc_edge_has_context(const lc_edge *e, uint64_t key)
{
	/* n_contexts is published after the context's key (release). */
	uint32_t n = atomic_load_explicit(&e->n_contexts, memory_order_acquire);
	if (n == 0)
		return 0;
	if (e->first.key == key)
		return 1;
	if (n == 1)
		return 0;
	return lc_keyindex_get(&ctx_index, ctx_hash(e, key)) != NULL;
}

const lc_context *lc_edge_add_context(lc_edge *e, const lc_context *ctx)
{
	int first = atomic_load_explicit(&e->n_contexts, memory_order_relaxed) == 0;
	lc_context *c;
	if (first) {
		/* In place, published by the count (release). */
		c = &e->first;
	} else {
		c = free_contexts;
		if (c)
			free_contexts = atomic_load_explicit(
				&c->next, memory_order_relaxed);
		else
			c = lc_arena_alloc(sizeof *c);
		if (!c || lc_keyindex_put(&ctx_index, ctx_hash(e, ctx->key),
					  c) != 0) {
			if (c) {
				atomic_store_explicit(&c->next, free_contexts,
						      memory_order_relaxed);
				free_contexts = c;
			}
			e->dropped_contexts++;
			return NULL;
		}
	}
	*c = *ctx;
	atomic_store_explicit(&c->next, NULL, memory_order_relaxed);
	if (c->held)
		((lc_heldset *)c->held)->refs++;
	if (c->classes)
		((lc_heldset *)c->classes)->refs++;
	n_contexts_added++;
	if (first) {
		e->last_link = NULL;
		atomic_store_explicit(&e->n_contexts, 1, memory_order_release);
		return c;
	}
	if (e->n_contexts < LC_EDGE_CONTEXTS) {
		lc_context *_Atomic *link =
			e->last_link ? &atomic_load_explicit(e->last_link,
							     memory_order_relaxed)
						->next
				     : &e->first.next;
		atomic_store_explicit(link, c, memory_order_release);
		e->last_link = link;
		atomic_store_explicit(&e->n_contexts, e->n_contexts + 1,
				      memory_order_release);
		return c;
	}
	/* Full: the newest context takes the last place. Context lists are
	 * only walked under the graph lock, so the one it replaces is freed
	 * now, and forgotten by the index (a later repeat of it is new
	 * again: it takes the last place in turn). */
	lc_context *old = atomic_load_explicit(e->last_link,
					       memory_order_relaxed);
	atomic_store_explicit(e->last_link, c, memory_order_release);
	if (old) {
		lc_keyindex_remove(&ctx_index, ctx_hash(e, old->key));
		set_release(old->held);
		set_release(old->classes);
		atomic_store_explicit(&old->next, free_contexts,
				      memory_order_relaxed);
		free_contexts = old;
	}
	e->dropped_contexts++;
	lc_limit_reached(LC_LIMIT_EDGE_CONTEXTS, LC_EDGE_CONTEXTS);
	return c;
}

const lc_context *lc_edge_first_context(const lc_edge *e)
{
	return atomic_load_explicit(&e->n_contexts, memory_order_acquire)
		       ? &e->first
		       : NULL;
}

void lc_edge_free_contexts(lc_edge *e)
{
	if (!atomic_load_explicit(&e->n_contexts, memory_order_relaxed))
		return;
	/* The first lives in the edge and is not in the index. */
	set_release(e->first.held);
	set_release(e->first.classes);
	lc_context *c = atomic_load_explicit(&e->first.next,
					     memory_order_relaxed);
	while (c) {
		lc_context *next = atomic_load_explicit(&c->next,
							memory_order_relaxed);
		lc_keyindex_remove(&ctx_index, ctx_hash(e, c->key));
		set_release(c->held);
		set_release(c->classes);
		atomic_store_explicit(&c->next, free_contexts,
				      memory_order_relaxed);
		free_contexts = c;
		c = next;
	}
	atomic_store_explicit(&e->first.next, NULL, memory_order_relaxed);
	atomic_store_explicit(&e->n_contexts, 0, memory_order_release);
	e->last_link = NULL;
}
