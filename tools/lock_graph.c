/*
 * lock_graph.c: merged graph events plus the reported cycles (lock_graph.h).
 *
 * graph_merge_build() gives the nodes and edges of the graph events; the
 * findings' edges are then looked up by identity (linear searches: graphs
 * worth drawing are small, and the cost is one pass per finding edge) and
 * marked, or appended when absent. A last pass sorts nodes by identity and
 * edges by (from, to), renumbering as it goes.
 */
#define _GNU_SOURCE
#include "lock_graph.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_merge.h"

static const char *lg_prog = "lockcheck";

static void *xrealloc(void *p, size_t n, size_t sz)
{
	p = realloc(p, (n ? n : 1) * sz);
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", lg_prog);
		exit(1);
	}
	return p;
}

struct builder {
	struct lock_graph *lg;
	size_t cap_n, cap_m, cap_owned;
	const char **ids;    /* inversion ids counted in n_cycles */
};

static size_t node_of(struct builder *b, const char *name, const char *type)
{
	struct lock_graph *lg = b->lg;
	for (size_t i = 0; i < lg->n; i++)
		if (!strcmp(lg->nodes[i].name, name)) {
			if (!lg->nodes[i].type)
				lg->nodes[i].type = type;
			return i;
		}
	if (lg->n == b->cap_n) {
		b->cap_n = b->cap_n ? b->cap_n * 2 : 16;
		lg->nodes = xrealloc(lg->nodes, b->cap_n, sizeof(*lg->nodes));
	}
	lg->nodes[lg->n] = (struct lg_node){name, type, LG_NONE};
	return lg->n++;
}

static struct lg_edge *edge_of(struct builder *b, unsigned u, unsigned v)
{
	struct lock_graph *lg = b->lg;
	for (size_t i = 0; i < lg->m; i++)
		if (lg->edges[i].u == u && lg->edges[i].v == v)
			return &lg->edges[i];
	if (lg->m == b->cap_m) {
		b->cap_m = b->cap_m ? b->cap_m * 2 : 16;
		lg->edges = xrealloc(lg->edges, b->cap_m, sizeof(*lg->edges));
	}
	lg->edges[lg->m] = (struct lg_edge){u, v, 0, 0, LG_NONE};
	return &lg->edges[lg->m++];
}

static const char *own(struct builder *b, char *s)
{
	struct lock_graph *lg = b->lg;
	if (!s) {
		fprintf(stderr, "%s: out of memory\n", lg_prog);
		exit(1);
	}
	if (lg->n_owned == b->cap_owned) {
		b->cap_owned = b->cap_owned ? b->cap_owned * 2 : 16;
		lg->owned = xrealloc(lg->owned, b->cap_owned,
				     sizeof(*lg->owned));
	}
	lg->owned[lg->n_owned++] = s;
	return s;
}

/* The type of a graph event's lock by identity (first one seen). */
static const char *graph_type(const lc_report_set *set, const char *id)
{
	for (size_t g = 0; g < set->n_graphs; g++)
		for (unsigned i = 0; i < set->graphs[g].n_locks; i++) {
			const lc_rgraph_lock *l = &set->graphs[g].locks[i];
			const char *li = graph_merge_identity(l);
			if (li && l->type && !strcmp(li, id))
				return l->type;
		}
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The identity of lock `id` of finding r: the class the finding names it
 * by, else from its process's graph event when that lists the lock, else
 * made from the finding's own lock record by the shim's rule (reports of a
 * shim before classes). */
static const char *finding_identity(struct builder *b,
				    const lc_report_set *set,
				    const lc_rfinding *r, unsigned id,
				    const char **type)
{
	const lc_finding_lock *fl = lc_finding_lock_by_id(&r->f, id);
	*type = fl ? fl->type : NULL;
	if (fl && fl->identity && fl->identity[0])
		return fl->identity;
	for (size_t g = 0; g < set->n_graphs; g++) {
		const lc_rgraph *gr = &set->graphs[g];
		if (gr->process != r->process)
			continue;
		for (unsigned i = 0; i < gr->n_locks; i++)
			if (gr->locks[i].id == id) {
				const char *s =
					graph_merge_identity(&gr->locks[i]);
				if (s)
					return s;
			}
	}
	if (fl && fl->name && fl->name[0])
		return fl->name;
	char *s = NULL;
	const lc_frame *fr = fl && fl->created.depth ? &fl->created.frames[0]
						     : NULL;
	int rc;
	if (fr && fr->function)
		rc = asprintf(&s, "@%s", fr->function);
	else if (fr && fr->module)
		rc = asprintf(&s, "@%s+0x%" PRIx64, base_name(fr->module),
			      fr->offset);
	else
		rc = asprintf(&s, "M%u", id);
	return own(b, rc < 0 ? NULL : s);
}

static void raise_sev(int *sev, int s)
{
	if (*sev < s)
		*sev = s;
}

static void add_finding(struct builder *b, const lc_report_set *set,
			const lc_rfinding *r)
{
	const lc_finding *f = &r->f;
	if (f->kind != LC_KIND_LOCK_ORDER_INVERSION || !f->n_edges)
		return;
	size_t k;
	for (k = 0; k < b->lg->n_cycles && strcmp(b->ids[k], f->id); k++)
		;
	if (k == b->lg->n_cycles)
		b->ids[b->lg->n_cycles++] = f->id;
	for (unsigned i = 0; i < f->n_edges; i++) {
		const char *ta, *tb;
		const char *a = finding_identity(b, set, r, f->edges[i].from,
						 &ta);
		const char *c = finding_identity(b, set, r, f->edges[i].to,
						 &tb);
		unsigned u = (unsigned)node_of(b, a, ta);
		unsigned v = (unsigned)node_of(b, c, tb);
		raise_sev(&b->lg->nodes[u].sev, (int)f->severity);
		raise_sev(&b->lg->nodes[v].sev, (int)f->severity);
		raise_sev(&edge_of(b, u, v)->sev, (int)f->severity);
	}
}

static const struct lock_graph *sort_lg; /* qsort has no context */

static int by_name(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return strcmp(sort_lg->nodes[x].name, sort_lg->nodes[y].name);
}

static int by_uv(const void *a, const void *b)
{
	const struct lg_edge *x = a, *y = b;
	if (x->u != y->u)
		return x->u < y->u ? -1 : 1;
	return x->v < y->v ? -1 : x->v > y->v;
}

void lock_graph_build(const lc_report_set *set, const size_t *idx,
		      size_t n_idx, const char *prog, struct lock_graph *lg)
{
	struct builder b = {lg, 0, 0, 0, NULL};
	struct ograph og;
	lg_prog = prog;
	memset(lg, 0, sizeof(*lg));
	graph_merge_build(set, prog, NULL, NULL, &og);
	lg->n_graphs = set->n_graphs;
	lg->errors = og.errors;
	/* og's nodes are unique: no lookup needed. */
	b.cap_n = og.n;
	lg->nodes = xrealloc(NULL, og.n, sizeof(*lg->nodes));
	for (size_t i = 0; i < og.n; i++)
		lg->nodes[lg->n++] = (struct lg_node){
			og.ids[i], graph_type(set, og.ids[i]), LG_NONE};
	b.cap_m = og.m + og.n_same;
	lg->edges = xrealloc(NULL, b.cap_m, sizeof(*lg->edges));
	for (size_t i = 0; i < og.m; i++)
		lg->edges[lg->m++] = (struct lg_edge){
			og.edges[i].u, og.edges[i].v, og.edges[i].count, 1,
			LG_NONE};
	for (size_t i = 0; i < og.n_same; i++)
		lg->edges[lg->m++] = (struct lg_edge){
			og.same[i].u, og.same[i].v, og.same[i].count, 1,
			LG_NONE};
	/* The node labels made by the merge live as long as the graph. */
	for (size_t i = 0; i < og.n_owned; i++)
		own(&b, og.owned[i]);
	og.n_owned = 0;
	graph_merge_free(&og);

	b.ids = xrealloc(NULL, idx ? n_idx : set->n_findings, sizeof(*b.ids));
	if (idx)
		for (size_t i = 0; i < n_idx; i++)
			add_finding(&b, set, &set->findings[idx[i]]);
	else
		for (size_t i = 0; i < set->n_findings; i++)
			add_finding(&b, set, &set->findings[i]);

	/* Sort nodes by identity, renumber edges, sort edges. */
	size_t *perm = xrealloc(NULL, lg->n, sizeof(*perm));
	size_t *rank = xrealloc(NULL, lg->n, sizeof(*rank));
	for (size_t i = 0; i < lg->n; i++)
		perm[i] = i;
	sort_lg = lg;
	qsort(perm, lg->n, sizeof(*perm), by_name);
	sort_lg = NULL;
	struct lg_node *nodes = xrealloc(NULL, lg->n, sizeof(*nodes));
	for (size_t i = 0; i < lg->n; i++) {
		nodes[i] = lg->nodes[perm[i]];
		rank[perm[i]] = i;
	}
	free(lg->nodes);
	lg->nodes = nodes;
	for (size_t i = 0; i < lg->m; i++) {
		lg->edges[i].u = (unsigned)rank[lg->edges[i].u];
		lg->edges[i].v = (unsigned)rank[lg->edges[i].v];
	}
	qsort(lg->edges, lg->m, sizeof(*lg->edges), by_uv);
	free(perm);
	free(rank);
	free(b.ids);
}

void lock_graph_free(struct lock_graph *lg)
{
	for (size_t i = 0; i < lg->n_owned; i++)
		free(lg->owned[i]);
	free(lg->owned);
	free(lg->nodes);
	free(lg->edges);
	memset(lg, 0, sizeof(*lg));
}
