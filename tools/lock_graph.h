/*
 * lock_graph.h: the lock-order graph to draw: merged graph events plus the
 * cycles of the reported inversions.
 *
 * Nodes are lock identities (graph_merge.h: the lock's class, its name, or
 * "@function+0xOFF" of where an anonymous lock was created), edges identity
 * pairs A -> B ("B
 * taken while holding A") with the number of contexts summed over the
 * processes. Two sources:
 *   - the "graph" events (graph_merge_build), edges within one identity
 *     included as self-loops (per-object locks of one class taken nested);
 *   - the edges of every lock-order-inversion finding given, each lock
 *     named by the class the finding gives it ("identity"), else by the
 *     identity its process's graph event gives the same lock id, else by
 *     the rule of older shims from the finding itself (name, "@function" of
 *     its creation site, "@module+0xOFF", "M<id>"). An edge known only
 *     from a finding (a process that was halted before writing its graph)
 *     is added with count 0 and in_graph 0.
 * An edge or node on a reported cycle carries the highest severity of the
 * findings through it (error: a deadlock-possible cycle, or any inversion
 * under strict_order; warning: a cycle that cannot deadlock), else -1.
 *
 * Nodes are sorted by identity and edges by (from, to), so drawings are a
 * function of the input alone.
 */
#ifndef LC_TOOLS_LOCK_GRAPH_H
#define LC_TOOLS_LOCK_GRAPH_H

#include <stddef.h>

#include "read.h"

/* Not on any reported cycle. */
#define LG_NONE (-1)

struct lg_node {
	const char *name;    /* the identity */
	const char *type;    /* "mutex", "rwlock", ...; NULL when unknown */
	int sev;             /* LG_NONE, LC_SEV_WARNING or LC_SEV_ERROR */
};

struct lg_edge {
	unsigned u, v;       /* node indices; u == v for a self-loop */
	unsigned long count; /* contexts over all graph events; 0: none */
	int in_graph;        /* seen in a graph event */
	int sev;             /* LG_NONE, LC_SEV_WARNING or LC_SEV_ERROR */
};

struct lock_graph {
	struct lg_node *nodes;
	size_t n;
	struct lg_edge *edges;
	size_t m;
	size_t n_graphs;     /* graph events merged */
	size_t n_cycles;     /* distinct inversions (by id) drawn */
	unsigned errors;     /* graph events naming locks they do not list */
	char **owned;        /* names made here (freed with the graph) */
	size_t n_owned;
};

/* Builds the graph of set: all its graph events, and the inversions among
 * the findings set->findings[idx[i]] for i < n_idx (idx NULL: all findings).
 * Diagnostics (a graph event naming a lock it does not list) go to stderr
 * prefixed with prog. Exits the process (status 1) when out of memory. */
void lock_graph_build(const lc_report_set *set, const size_t *idx,
		      size_t n_idx, const char *prog, struct lock_graph *lg);

void lock_graph_free(struct lock_graph *lg);

#endif
