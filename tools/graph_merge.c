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

/* A node's key: its identity and the scope of its class ("" for a lock of
 * an older shim's graph); `module` names the scope in a label. */
struct nkey {
	const char *id, *scope, *module;
};

static int by_nkey(const void *a, const void *b)
{
	const struct nkey *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : strcmp(x->scope, y->scope);
}

static const char *own_str(struct ograph *og, char *s)
{
	if (!s)
		oom_exit();
	if (og->n_owned == og->cap_owned) {
		og->cap_owned = og->cap_owned ? og->cap_owned * 2 : 16;
		og->owned = realloc(og->owned, og->cap_owned * sizeof(*og->owned));
		if (!og->owned)
			oom_exit();
	}
	og->owned[og->n_owned++] = s;
	return s;
}

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path ? path : "?";
}

/* The scope of each lock of graph gr (tools/suite.c's rule: the build-id,
 * else the path, of the module owning its class; "" when the graph has no
 * classes), into keys[i] with its identity id. */
static void lock_scopes(struct ograph *og, const lc_rgraph *gr,
			const char **scope, const char **module)
{
	const char **mscope = xcalloc(gr->n_modules, sizeof(*mscope));
	for (unsigned m = 0; m < gr->n_modules; m++) {
		char *k = NULL;
		const lc_rgraph_module *md = &gr->modules[m];
		if (asprintf(&k, "%s:%s", md->build_id ? "b" : "p",
			     md->build_id ? md->build_id : md->path) < 0)
			k = NULL;
		mscope[m] = own_str(og, k);
	}
	for (unsigned i = 0; i < gr->n_locks; i++) {
		const lc_rgraph_lock *l = &gr->locks[i];
		scope[i] = "";
		module[i] = NULL;
		if (!gr->scoped || l->cls == LC_RGRAPH_NONE)
			continue;
		unsigned m = gr->classes[l->cls].module;
		if (m == LC_RGRAPH_NONE)
			m = gr->main_module;
		if (m == LC_RGRAPH_NONE)
			continue;
		scope[i] = mscope[m];
		module[i] = gr->modules[m].path;
	}
	free(mscope);
}

/* Merges the graph events of set into og. */
void graph_merge_build(const lc_report_set *set, const char *prog,
		       int (*accept)(const char *identity),
		       const char *reject_why, struct ograph *og)
{
	gm_prog = prog;
	memset(og, 0, sizeof(*og));
	/* Nodes: every usable identity, per scope. */
	size_t total = 0, max_locks = 0;
	for (size_t g = 0; g < set->n_graphs; g++) {
		total += set->graphs[g].n_locks;
		if (set->graphs[g].n_locks > max_locks)
			max_locks = set->graphs[g].n_locks;
	}
	struct nkey *keys = xcalloc(total, sizeof(*keys));
	const char **scope = xcalloc(max_locks, sizeof(*scope));
	const char **module = xcalloc(max_locks, sizeof(*module));
	char **warned = xcalloc(total, sizeof(*warned));
	size_t n_warned = 0;
	for (size_t g = 0; g < set->n_graphs; g++) {
		const lc_rgraph *gr = &set->graphs[g];
		lock_scopes(og, gr, scope, module);
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
			keys[og->n++] = (struct nkey){id, scope[i], module[i]};
		}
	}
	free(warned);
	qsort(keys, og->n, sizeof(*keys), by_nkey);
	size_t u = 0;
	for (size_t i = 0; i < og->n; i++)
		if (!u || by_nkey(&keys[u - 1], &keys[i]))
			keys[u++] = keys[i];
	og->n = u;
	/* An identity in two scopes (two programs' same-named locks) is two
	 * nodes: each is labelled with its module. */
	og->ids = xcalloc(og->n, sizeof(*og->ids));
	for (size_t i = 0; i < og->n; i++) {
		int twin = (i > 0 && !strcmp(keys[i - 1].id, keys[i].id)) ||
			   (i + 1 < og->n && !strcmp(keys[i + 1].id, keys[i].id));
		char *label = NULL;
		if (!twin || !keys[i].scope[0])
			og->ids[i] = keys[i].id;
		else if (asprintf(&label, "%s [%s]", keys[i].id,
				  base_name(keys[i].module)) >= 0)
			og->ids[i] = own_str(og, label);
		else
			oom_exit();
	}

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
		lock_scopes(og, gr, scope, module);
		for (unsigned i = 0; i < gr->n_locks; i++) {
			const char *id = graph_merge_identity(&gr->locks[i]);
			const struct nkey *hit = NULL;
			struct nkey key = {id, scope[i], NULL};
			if (id && (!accept || accept(id)))
				hit = bsearch(&key, keys, og->n, sizeof(*keys),
					      by_nkey);
			map[i].id = gr->locks[i].id;
			map[i].node = hit ? (long)(hit - keys) : -1;
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
	free(keys);
	free(scope);
	free(module);
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
	for (size_t i = 0; i < og->n_owned; i++)
		free(og->owned[i]);
	free(og->owned);
	free(og->ids);
	free(og->edges);
	free(og->same);
	free(og->off);
	free(og->out);
}
