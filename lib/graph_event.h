/*
 * graph_event.h: the exit-time "graph" event (graph_event.c says what it
 * holds and why).
 */
#ifndef LC_GRAPH_EVENT_H
#define LC_GRAPH_EVENT_H

#include "buf.h"

/* Appends the graph event's JSON object (no newline) to b. Graph lock. */
void lc_graph_event_write(lc_buf *b);

#endif
