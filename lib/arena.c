/*
 * arena.c: lock-free bump allocation from one reserved region (see arena.h).
 */
#include "arena.h"

#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>

#include "limit.h"
#include "options.h"

static char *arena_base;
static size_t arena_size;
static _Atomic size_t arena_next;

int lc_arena_init(void)
{
	/* Fall back to smaller reservations where address space is limited
	 * (ulimit -v, strict overcommit). max_memory_mb caps the checker's
	 * memory for a program that must stay small, or for a test of what
	 * happens when it runs out. */
	size_t first = LC_ARENA_BYTES;
	if (lc_opt.max_memory_mb > 0)
		first = (size_t)lc_opt.max_memory_mb << 20;
	for (size_t size = first; size >= ((size_t)16 << 20); size /= 4) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			       0);
		if (p != MAP_FAILED) {
			arena_base = p;
			arena_size = size;
			return 0;
		}
	}
	return -1;
}

static void *alloc_aligned(size_t size, size_t align)
{
	size = (size + align - 1) & ~(align - 1);
	size_t at = atomic_load_explicit(&arena_next, memory_order_relaxed);
	size_t start;
	do {
		start = (at + align - 1) & ~(align - 1);
		if (start + size > arena_size) {
			lc_limit_reached(LC_LIMIT_MEMORY, arena_size >> 20);
			return NULL;
		}
	} while (!atomic_compare_exchange_weak_explicit(
		&arena_next, &at, start + size, memory_order_relaxed,
		memory_order_relaxed));
	return arena_base + start;
}

void *lc_arena_alloc(size_t size)
{
	return alloc_aligned(size, 16);
}

void *lc_arena_alloc_lines(size_t size)
{
	return alloc_aligned(size, 64);
}

void *lc_arena_alloc_pages(size_t size)
{
	return alloc_aligned((size + 4095) & ~(size_t)4095, 4096);
}

void lc_arena_release(void *p, size_t size)
{
	uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t hi = ((uintptr_t)p + size) & ~(uintptr_t)4095;
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

void lc_arena_release_pages(void *p, size_t size)
{
	lc_arena_release(p, (size + 4095) & ~(size_t)4095);
}

size_t lc_arena_resident(void)
{
	size_t used = lc_arena_used(), resident = 0;
	unsigned char vec[4096];
	for (size_t at = 0; at < used; at += sizeof vec * 4096) {
		size_t len = used - at < sizeof vec * 4096 ? used - at
							    : sizeof vec * 4096;
		if (mincore(arena_base + at, len, vec) != 0)
			return used; /* cannot tell: say all of it */
		for (size_t i = 0; i < (len + 4095) / 4096; i++)
			resident += (vec[i] & 1) * (size_t)4096;
	}
	return resident;
}

size_t lc_arena_used(void)
{
	size_t used = atomic_load_explicit(&arena_next, memory_order_relaxed);
	return used < arena_size ? used : arena_size;
}
