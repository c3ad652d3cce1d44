/*
 * fold.h: one bug, one finding: longer lock-order cycles folded into the
 * shorter cycle they contain.
 *
 * A real deadlock between two locks often shows as several cycles: the
 * 2-lock cycle, and longer cycles through other locks the same threads
 * take between them (a => b => c => a beside a => c => a). Each would be a
 * finding with its own "Fix" pointing somewhere else. A longer cycle L
 * whose locks include a shorter cycle S's, in S's cyclic order (so S's
 * edges are paths along L), and which has the very edge S's fix breaks (so
 * that fix breaks L too), is the same bug as S whenever S is at least as
 * close to a deadlock (verdict and severity): L is then not a finding of
 * its own but listed under S ("Also through ..."). A longer cycle with a
 * worse verdict stays a finding: folding must never hide a deadlock; one
 * that S's fix would not break stays too (another bug over the same locks).
 *
 * Locks are compared by class (the findings' lock "identity", else name);
 * a cycle with a lock of neither, or two locks of one class, is left alone.
 */
#ifndef LC_TOOLS_FOLD_H
#define LC_TOOLS_FOLD_H

#include "read.h"
#include "render.h"

/* Folds the merged inversions of m (after merging by id): removes the
 * folded ones from m->items, gives their keepers an also list, and counts
 * errors and warnings again. Out of memory is fatal (a message, exit 1). */
void fold_cycles(const lc_report_set *set, struct merge *m);

/* The finding merged item g shows, with its also list. */
lc_finding fold_shown(const lc_report_set *set, const struct merged *g);

/* Frees what fold_cycles gave the items. */
void fold_free(struct merge *m);

#endif
