/*
 * scc.c: Tarjan's strongly connected components, iteratively (scc.h).
 *
 * The recursion of the textbook algorithm becomes an explicit call stack of
 * (node, next successor position); index 0 means unvisited.
 */
#include "scc.h"

#include <stdio.h>
#include <stdlib.h>

static void *xcalloc(size_t n, size_t sz, const char *prog)
{
	void *p = calloc(n ? n : 1, sz);
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	return p;
}

size_t scc_components(size_t n, const size_t *off, const size_t *succ,
		      size_t *comp, const char *prog)
{
	size_t counter = 0, n_comp = 0, sp = 0, cp = 0;
	size_t *index = xcalloc(n, sizeof(*index), prog); /* 0: unvisited */
	size_t *low = xcalloc(n, sizeof(*low), prog);
	char *on = xcalloc(n, 1, prog);
	size_t *stack = xcalloc(n, sizeof(*stack), prog);
	size_t *cs = xcalloc(n, sizeof(*cs), prog); /* call stack: node */
	size_t *ci = xcalloc(n, sizeof(*ci), prog); /* ... next successor */
	for (size_t s = 0; s < n; s++) {
		if (index[s])
			continue;
		cs[cp] = s;
		ci[cp++] = off[s];
		index[s] = low[s] = ++counter;
		stack[sp++] = s;
		on[s] = 1;
		while (cp) {
			size_t v = cs[cp - 1];
			if (ci[cp - 1] < off[v + 1]) {
				size_t w = succ[ci[cp - 1]++];
				if (!index[w]) {
					index[w] = low[w] = ++counter;
					stack[sp++] = w;
					on[w] = 1;
					cs[cp] = w;
					ci[cp++] = off[w];
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			if (low[v] == index[v]) {
				size_t w;
				do {
					w = stack[--sp];
					on[w] = 0;
					comp[w] = n_comp;
				} while (w != v);
				n_comp++;
			}
			cp--;
			if (cp && low[v] < low[cs[cp - 1]])
				low[cs[cp - 1]] = low[v];
		}
	}
	free(index);
	free(low);
	free(on);
	free(stack);
	free(cs);
	free(ci);
	return n_comp;
}
