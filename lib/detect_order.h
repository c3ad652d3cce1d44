/*
 * detect_order.h: lock-order cycles (the lock-order-inversion finding).
 */
#ifndef LC_DETECT_ORDER_H
#define LC_DETECT_ORDER_H

#include <stdint.h>

#include "thread.h"

/* Prove that acquiring `lock` while holding t's held locks adds no cycle:
 * records every edge held -> lock that is new, and reports each new cycle
 * once. The slow path of an acquisition, taken when the thread's chain cache
 * missed. Takes the graph lock when an edge is new; called with the guard set,
 * before the thread blocks on `lock`. */
void lc_order_check(lc_thread *t, lc_lock *lock, int shared, uintptr_t pc);

/* Calls fn for every cycle id found in two or more instances (lock
 * classes), with the count. Graph lock. */
/* Edge e is being freed (graph.c): the cycles remembered on it are
 * forgotten (their verdicts are final). Graph lock. */
struct lc_edge;
void lc_order_forget_edge(struct lc_edge *e);
void lc_order_for_each_repeat(void (*fn)(const char *id, uint32_t count,
					 void *arg),
			      void *arg);

#endif
