/*
 * detect_rank.h: the sorted-acquire rule, checked at each new acquisition
 * sequence (order-violation findings).
 *
 * Two declared orders: ranks (lockcheck_rank: a thread holding a lock of
 * rank r may take only higher ranks, or rank r at a higher address) and the
 * order file (a lock listed later may not be held while taking one listed
 * earlier). Locks without a rank, or not in the file, are free.
 */
#ifndef LC_DETECT_RANK_H
#define LC_DETECT_RANK_H

#include <stdint.h>

#include "thread.h"

/* Prove that taking `lock` while holding t's held locks follows the declared
 * order; reports each acquisition against it (once per site). Called on the
 * chain cache's miss path, with the guard set, before the thread blocks. */
void lc_rank_check(lc_thread *t, lc_lock *lock, uintptr_t pc);

#endif
