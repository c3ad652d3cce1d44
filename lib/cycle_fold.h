/*
 * cycle_fold.h: the shim's half of "one bug, one finding": a new cycle that
 * contains an already reported shorter one is written marked, not shown.
 *
 * A deadlock between two locks often also closes longer cycles through
 * other locks the same threads take in between. The CLI folds them for its
 * reports (tools/fold.h, whose rule this is); here, on the program's stderr,
 * a longer cycle that contains a reported shorter one in its cyclic order,
 * has the very edge the shorter one's fix breaks, and is not closer to a
 * deadlock, is one line naming the shorter one's id instead of a whole
 * block; its JSON line carries "folded_into". A cycle found before the
 * shorter one that contains it is shown in full (it was written already).
 *
 * Locks are compared by their stable identities (finding ids are made of
 * them), hashed; a cycle with two locks of one identity takes no part.
 * Memory: one record per distinct cycle reported (a finding), from the
 * arena. Locking: the graph lock.
 */
#ifndef LC_CYCLE_FOLD_H
#define LC_CYCLE_FOLD_H

#include <stdint.h>

/* Remembers reported cycle id: keys[i] the identity hash of its i-th lock,
 * in cycle order; fix the index of the edge its fix breaks (keys[fix] ->
 * keys[fix + 1]); rank its verdict (larger: closer to a deadlock); error
 * its severity. A cycle reported again (a better verdict) is updated. */
void lc_cycle_fold_note(uint64_t id, const uint64_t *keys, unsigned n,
			unsigned fix, int rank, int error);
/* The id of a remembered cycle, shorter than this one, that this one is
 * the same bug as; 0 when none. */
uint64_t lc_cycle_fold_find(const uint64_t *keys, unsigned n, int rank,
			    int error);

#endif
