/*
 * arena.h: the core's memory, never the program's malloc.
 *
 * One region of LC_ARENA_BYTES (64 GiB of address space) is reserved at start-up with mmap(MAP_NORESERVE):
 * only pages actually touched cost memory. Allocation is a lock-free bump of
 * an atomic offset, so it is safe from any thread, with any of the core's locks
 * held, and from a signal handler. Nothing is ever freed: the core's records
 * (locks, edges, stacks, thread states) live for the whole process, and the
 * few that are recycled (thread states) have their own free lists.
 *
 * Capacity policy: when the region is exhausted, lc_arena_alloc returns NULL,
 * says so once on stderr, and the callers stop tracking what they could not
 * allocate for (the program runs on unaffected).
 */
#ifndef LC_ARENA_H
#define LC_ARENA_H

#include <stddef.h>

#define LC_ARENA_BYTES ((size_t)1 << 36)

/* Reserves the region. Returns 0, or -1 if no address space could be had.
 * Called once, single-threaded, from lc_init. */
int lc_arena_init(void);
/* Returns size bytes of zeroed memory aligned to 16, or NULL when exhausted.
 * Thread safe, lock-free, async-signal-safe. */
void *lc_arena_alloc(size_t size);
/* The same, aligned to 64 and rounded up to whole cache lines: for records
 * written by one thread and read by others (thread states), which must not
 * share a line with anything. */
void *lc_arena_alloc_lines(size_t size);
/* The same, page-aligned and rounded up to whole pages: for tables that are
 * given back whole (lc_arena_release frees whole pages only, and a table
 * that shares its first and last pages with others would leave them
 * resident at every replacement). */
void *lc_arena_alloc_pages(size_t size);
/* Gives back all of what lc_arena_alloc_pages(size) returned. */
void lc_arena_release_pages(void *p, size_t size);
/* Gives the memory of [p, p + size) back to the system, keeping it mapped:
 * it reads as zeros from then on (an old table that a lock-free reader may
 * still be probing: zeros read as empty slots, which send the reader to the
 * slow path). Whole pages only. */
void lc_arena_release(void *p, size_t size);
/* Bytes handed out so far. */
size_t lc_arena_used(void);
/* Bytes of the arena resident in memory (mincore; for the end event). */
size_t lc_arena_resident(void);

#endif
