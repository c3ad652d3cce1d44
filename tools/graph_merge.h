/*
 * graph_merge.h: the lock-order graphs of many processes merged into one.
 *
 * Every process writes its lock-order graph at exit (the "graph" event),
 * with per-process lock ids. Merged, a lock is its IDENTITY (read.h: its
 * name, or "@function+0xOFF" / "@module+0xOFF" of the call site that created or first
 * used an anonymous lock), so the same lock in several processes and runs is
 * one node:
 *   nodes  identity strings, sorted (node order is identity order, so ties
 *          broken by node index are broken by identity: output is a
 *          function of the input alone);
 *   edges  identity pairs, their counts summed (saturating), with the first
 *          context in reading order (graph and edge index) kept to name it;
 *   same   edges between two locks of one identity (per-object locks of one
 *          class taken nested), merged likewise but kept apart: an order by
 *          identity cannot express them.
 * Scoped classes (suite-wide cycles, tools/suite.h): a lock of a graph event
 * that has "classes" is keyed by its identity AND the scope of its class
 * (the build-id, else path, of the module owning it), so two unrelated
 * programs' same-named locks are two nodes, each then labelled
 * "identity [module]", while one program's, or one shared library's, locks
 * are one node in every process. A graph without classes (an older shim)
 * keys by identity alone, exactly as before.
 * Used by `lockcheck order` (which then computes an order) and by the graph
 * views (`lockcheck graph`, the HTML report; lock_graph.h), so that both
 * name and count locks the same way.
 *
 * Not done here: anything about findings (lock_graph.c adds their cycles).
 * Out of memory is fatal (a message, exit 1): a CLI tool, not the shim.
 */
#ifndef LC_TOOLS_GRAPH_MERGE_H
#define LC_TOOLS_GRAPH_MERGE_H

#include <stddef.h>

#include "read.h"

/* A merged edge between two identities (node indices). */
struct oedge {
	unsigned u, v;
	unsigned long count;  /* summed over processes, saturating */
	size_t g;             /* first context: graph index ... */
	unsigned e;           /* ... and edge index in it */
	int against;          /* free for the user (order: goes backwards) */
};

/* The merged graph. Node i is ids[i]; ids are sorted and unique. The
 * strings belong to the report set. */
struct ograph {
	const char **ids;
	size_t n;
	struct oedge *edges;  /* sorted by (u, v), unique, u != v */
	size_t m;
	struct oedge *same;   /* edges within one identity (u == v) */
	size_t n_same;
	/* CSR adjacency of edges: out[off[u] .. off[u+1]) are edge indices. */
	size_t *off, *out;
	unsigned long unnamed; /* graph locks without any identity, skipped */
	unsigned errors;       /* graphs naming a lock they do not list */
	char **owned;          /* strings made here (labels, scopes) */
	size_t n_owned, cap_owned;
};

/* The identity of a graph lock (its "identity", else its name), or NULL. */
const char *graph_merge_identity(const lc_rgraph_lock *l);

/* Merges the graph events of set into og. Diagnostics go to stderr, one
 * line each, prefixed with prog ("lockcheck order"): a graph that names a
 * lock it does not list, or lists one twice (counted in og->errors). When
 * accept is non-NULL, identities it rejects are left out with one line per
 * distinct identity: "lock identity \"X\" <reject_why>; its lock is left
 * out". Exits the process (status 1) when out of memory. */
void graph_merge_build(const lc_report_set *set, const char *prog,
		       int (*accept)(const char *identity),
		       const char *reject_why, struct ograph *og);

/* Frees what graph_merge_build allocated. */
void graph_merge_free(struct ograph *og);

#endif
