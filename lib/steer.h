/*
 * steer.h: steering mode, the shim's half of `lockcheck confirm`.
 *
 * Active testing (DeadlockFuzzer, PLDI 2009): to prove a predicted
 * lock-order cycle, run the program again and pause each thread right
 * before an acquisition of the cycle while it holds the cycle's previous
 * lock, until every edge of the cycle has a thread waiting there; then let
 * them all go, into the real deadlock, which the wait-for graph reports.
 *
 * The CLI gives the cycle in a file (option steer=FILE), one line per edge,
 * tab-separated:
 *
 *   edge <held class> <wanted class> <site module> <site offset, hex>
 *        [<site function>]
 *
 * classes as reports name them (a lock's "identity": its name or
 * "@function+0xOFF"), the site as the edge's first frame (module base name
 * and offset: where the lock call returns to; "-" for any site), and its
 * function, which matches when the offset no longer does (a program
 * rebuilt since the report). Other
 * lines: "pause_min_ms N", "pause_max_ms N" (each pause lasts a random time
 * between them), "seed N" (the random source, for a run's schedule to be
 * told and repeated). Classes and sites match across runs; addresses never.
 *
 * A thread that is about to make a blocking acquisition of a wanted class
 * while it holds a lock of the edge's held class, at the edge's site, is
 * paused there (the steering hook of the before-lock slow path: in
 * steering mode the chain cache learns nothing, so every nested
 * acquisition comes to it). Each paused thread has a slot with the
 * instances it holds and wants; when the slots hold one thread per edge
 * whose instances close a cycle (each one wants what the next holds), those
 * threads are released together. A pause that ends without that resumes the
 * thread (the program's own timing resumes); a thread whose pauses at an
 * edge ran out twice is not paused there again in this run. Each step is
 * written to the log as a "steer" event:
 *
 *   {"event":"steer","pid":P,"what":"pause"|"release"|"timeout",
 *    "edge":I,"edges":MASK,"thread":T,"ms":M}
 *
 * (edge: the first of the edges MASK says the acquisition stands for: one
 * acquisition stands for several in a cycle through one class.)
 * so the CLI can tell how far a run got. A pause changes only timing.
 * Capacity: LC_STEER_EDGES edges, LC_STEER_SLOTS threads paused at once
 * (more arrive unpaused).
 */
#ifndef LC_STEER_H
#define LC_STEER_H

#include <stdint.h>

#include "registry.h"
#include "thread.h"

/* LC_STEER_EDGES (at most 16: edge masks are 16 bits) is in thread.h. */
#define LC_STEER_SLOTS 64

/* Loads the steering file (option steer=FILE): 0, or -1 (said). */
int lc_steer_load(const char *path);
/* The same from text[0, len) (text[len] writable; the edges point into
 * it): returns the bad lines (each said). For the fuzzer. */
int lc_steer_parse(char *text, size_t len, const char *path);
/* What was loaded (for the fuzzer's checks): the edges' classes (up to
 * max), their count; the pause range. */
unsigned lc_steer_edges(const char **held, const char **wanted, unsigned max);
void lc_steer_pauses(unsigned *min_ms, unsigned *max_ms);
/* Forgets what was loaded (steering off). */
void lc_steer_clear(void);
/* Steering is on (a file with at least one edge was loaded). */
extern int lc_steer_on;
/* Called by the before-lock slow path with the records resolved, before
 * the thread may block on `wanted`: notes in t whether this acquisition
 * is one of the cycle's (lc_steer_pause then pauses it). Under the core's
 * guard; takes no lock of the graph. */
void lc_steer_match(lc_thread *t, lc_lock *wanted, uintptr_t pc);
/* Pauses the calling thread if lc_steer_match said so, outside the core's
 * guard and holding none of the core's locks. */
void lc_steer_pause(lc_thread *t);

#endif
