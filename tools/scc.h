/*
 * scc.h: strongly connected components (Tarjan's), for the CLI's lock
 * graphs: `lockcheck order` breaks each component's cycles, the suite judge
 * (suite.c) looks for cycles only inside one.
 *
 * The graph is given in CSR form: the successors of node v are
 * succ[off[v] .. off[v+1]). Iterative, so a long chain of locks cannot
 * overflow the stack. Components are numbered in the order Tarjan's
 * algorithm completes them (a reverse topological order of the component
 * graph), so equal inputs give equal numbers. Out of memory is fatal (a
 * message, exit 1), as everywhere in the CLI.
 */
#ifndef LC_TOOLS_SCC_H
#define LC_TOOLS_SCC_H

#include <stddef.h>

/* comp[v] (n entries) receives v's component; returns the number of
 * components. prog prefixes the out-of-memory message. */
size_t scc_components(size_t n, const size_t *off, const size_t *succ,
		      size_t *comp, const char *prog);

#endif
