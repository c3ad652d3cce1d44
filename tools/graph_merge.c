/*
 * graph_merge.c: the graph events of a report set merged by lock identity.
 *
 * See graph_merge.h for what a merged graph is. Two passes: the nodes (every
 * usable identity, sorted, unique), then the edges, each process's lock ids
 * mapped to nodes through a sorted id map, the raw edges sorted by (u, v,
 * reading order) and runs of equal pairs folded into one (counts summed, the
 * first context kept). Edges are sorted by u, so the CSR adjacency is a
 * prefix sum.
 */
#define _GNU_SOURCE
#include "graph_merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A raw edge before merging. */
struct redge {
	unsigned u, v;
	unsigned long count;
	size_t g;
	unsigned e;
};

static const char *gm_prog = "lockcheck";

static unsigned long sat_add(unsigned long a, unsigned long b)
{
	return a > (unsigned long)-1 - b ? (unsigned long)-1 : a + b;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_redge(const void *a, const void *b)
{
	const struct redge *x = a, *y = b;
	if (x->u != y->u)
		return x->u < y->u ? -1 : 1;
	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	if (x->g != y->g)
		return x->g < y->g ? -1 : 1;
	return x->e < y->e ? -1 : x->e > y->e;
}

const char *graph_merge_identity(const lc_rgraph_lock *l)
{
	if (l->identity && l->identity[0])
		return l->identity;
	return l->name && l->name[0] ? l->name : NULL;
}

struct idmap {
	unsigned id;
	long node; /* -1: no usable identity */
};

static int by_idmap(const void *a, const void *b)
{
	const struct idmap *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void oom_exit(void)
{
	fprintf(stderr, "%s: out of memory\n", gm_prog);
	exit(1);
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);
	if (!p)
		oom_exit();
	return p;
}

/* Merges the graph events of set into og. */
void graph_merge_build(const lc_report_set *set, const char *prog,
		       int (*accept)(const char *identity),
		       const char *reject_why, struct ograph *og)
{
	gm_prog = prog;
	memset(og, 0, sizeof(*og));
	/* Nodes: every usable identity. */
	size_t total = 0;
	for (size_t g = 0; g < set->n_graphs; g++)
		total += set->graphs[g].n_locks;
	og->ids = xcalloc(total, sizeof(*og->ids));
	char **warned = xcalloc(total, sizeof(*warned));
	size_t n_warned = 0;
	for (size_t g = 0; g < set->n_graphs; g++) {
		const lc_rgraph *gr = &set->graphs[g];
		for (unsigned i = 0; i < gr->n_locks; i++) {
			const char *id = graph_merge_identity(&gr->locks[i]);
			if (!id) {
				og->unnamed++;
				continue;
			}
			if (accept && !accept(id)) {
				size_t k;
				for (k = 0; k < n_warned; k++)
					if (!strcmp(warned[k], id))
						break;
				if (k == n_warned) {
					warned[n_warned++] = (char *)id;
					fprintf(stderr,
						"%s: %s:%u: lock identity "
						"\"%s\" %s; its lock is "
						"left out\n", prog, gr->file,
						gr->line, id, reject_why);
				}
				continue;
			}
			og->ids[og->n++] = id;
		}
	}
	free(warned);
	qsort(og->ids, og->n, sizeof(*og->ids), by_str);
	size_t u = 0;
	for (size_t i = 0; i < og->n; i++)
		if (!u || strcmp(og->ids[u - 1], og->ids[i]))
			og->ids[u++] = og->ids[i];
	og->n = u;

	/* Edges, by identity. */
	size_t total_e = 0;
	for (size_t g = 0; g < set->n_graphs; g++)
		total_e += set->graphs[g].n_edges;
	struct redge *re = xcalloc(total_e, sizeof(*re));
	struct redge *rs = xcalloc(total_e, sizeof(*rs));
	size_t n_re = 0, n_rs = 0;
	for (size_t g = 0; g < set->n_graphs; g++) {
		const lc_rgraph *gr = &set->graphs[g];
		struct idmap *map = xcalloc(gr->n_locks, sizeof(*map));
		for (unsigned i = 0; i < gr->n_locks; i++) {
			const char *id = graph_merge_identity(&gr->locks[i]);
			const char **hit = NULL;
			if (id && (!accept || accept(id)))
				hit = bsearch(&id, og->ids, og->n,
					      sizeof(*og->ids), by_str);
			map[i].id = gr->locks[i].id;
			map[i].node = hit ? (long)(hit - og->ids) : -1;
		}
		qsort(map, gr->n_locks, sizeof(*map), by_idmap);
		for (unsigned i = 1; i < gr->n_locks; i++)
			if (map[i].id == map[i - 1].id) {
				fprintf(stderr,
					"%s: %s:%u: graph: lock "
					"id %u is listed twice\n", prog, gr->file,
					gr->line, map[i].id);
				og->errors++;
				break;
			}
		for (unsigned e = 0; e < gr->n_edges; e++) {
			const lc_rgraph_edge *ed = &gr->edges[e];
			struct idmap key = {ed->from, 0}, key2 = {ed->to, 0};
			struct idmap *a = bsearch(&key, map, gr->n_locks,
						  sizeof(*map), by_idmap);
			struct idmap *b = bsearch(&key2, map, gr->n_locks,
						  sizeof(*map), by_idmap);
			if (!a || !b) {
				fprintf(stderr,
					"%s: %s:%u: graph: "
					"edges[%u] goes from lock %u to lock "
					"%u, and lock %u is not in its "
					"\"locks\"\n", prog, gr->file, gr->line, e,
					ed->from, ed->to,
					!a ? ed->from : ed->to);
				og->errors++;
				continue;
			}
			if (a->node < 0 || b->node < 0)
				continue; /* a lock without identity */
			struct redge r = {(unsigned)a->node, (unsigned)b->node,
					  ed->count, g, e};
			if (r.u == r.v)
				rs[n_rs++] = r;
			else
				re[n_re++] = r;
		}
		free(map);
	}

	/* Merge duplicates: sum counts, keep the first context. */
	struct redge *lists[2] = {re, rs};
	size_t ns[2] = {n_re, n_rs};
	struct oedge *outs[2];
	size_t n_outs[2];
	for (int k = 0; k < 2; k++) {
		qsort(lists[k], ns[k], sizeof(struct redge), by_redge);
		outs[k] = xcalloc(ns[k], sizeof(struct oedge));
		n_outs[k] = 0;
		for (size_t i = 0; i < ns[k]; i++) {
			const struct redge *r = &lists[k][i];
			struct oedge *last = n_outs[k] ? &outs[k][n_outs[k] - 1]
						       : NULL;
			if (last && last->u == r->u && last->v == r->v) {
				last->count = sat_add(last->count, r->count);
				continue;
			}
			struct oedge *o = &outs[k][n_outs[k]++];
			o->u = r->u;
			o->v = r->v;
			o->count = r->count;
			o->g = r->g;
			o->e = r->e;
		}
	}
	free(re);
	free(rs);
	og->edges = outs[0];
	og->m = n_outs[0];
	og->same = outs[1];
	og->n_same = n_outs[1];

	/* CSR (edges are sorted by u, so out-lists are runs). */
	og->off = xcalloc(og->n + 1, sizeof(*og->off));
	og->out = xcalloc(og->m, sizeof(*og->out));
	for (size_t i = 0; i < og->m; i++)
		og->off[og->edges[i].u + 1]++;
	for (size_t i = 0; i < og->n; i++)
		og->off[i + 1] += og->off[i];
	for (size_t i = 0; i < og->m; i++)
		og->out[i] = i;
}

void graph_merge_free(struct ograph *og)
{
	free(og->ids);
	free(og->edges);
	free(og->same);
	free(og->off);
	free(og->out);
}
