/*
 * cmd_order.c: `lockcheck order`: learn a global lock order from the graphs
 * of earlier runs and write it as an order file (the shim's order_file=).
 *
 * Input: the "graph" events of every process of every report given (each
 * process writes its lock-order graph at exit). The graphs are merged by lock
 * IDENTITY, the string an order file names a lock by: its class (its name,
 * or "@function+0xOFF", the call site that created or first used an
 * anonymous lock; "@function" in reports of older shims), so
 * that the same lock in several processes and runs is one node (the merge is
 * tools/graph_merge.c, shared with the graph views):
 *   nodes  identity strings;
 *   edges  identity pairs, their counts summed, with the first context in
 *          reading order (thread, stacks) kept to name the edge;
 *   left out: edges between two locks of the same identity (per-object locks
 *          of one class taken nested): an order by identity cannot express
 *          them, and the file says so in a comment.
 *
 * The order: the strongly connected components (Tarjan, iterative) are the
 * places where the program contradicts itself. Inside each, a minimum set of
 * edges is chosen to leave out (a minimum feedback arc set), weighing first
 * the number of edges, then their counts (the rarer edge is the one to fix):
 *   - exact for components of up to EXACT_MAX locks, by dynamic programming
 *     over subsets: f(S) = the cheapest order of the locks in S, choosing
 *     which of S comes first; O(2^k k^2);
 *   - above that, the Eades-Lin-Smyth greedy heuristic (sinks to the back,
 *     sources to the front, else the lock with the largest out-minus-in
 *     weight to the front), which is linear-time per step and usually within
 *     a few edges of the optimum, but not always optimal; then improved by
 *     sifting (each lock moved to its best place while that helps).
 * Then a topological order of all kept edges (Kahn), ties broken by identity
 * string, so the output is a function of the input alone. The edges "against
 * this order" are those that go backwards in the final order: never more than
 * the left-out set (every kept edge goes forwards by construction), and for
 * an exact component exactly that set.
 *
 * Locks that were never taken nested with another (no edge) are not listed:
 * a listed lock constrains every future acquisition against the others, and
 * the runs gave no evidence for where such a lock belongs.
 *
 * Output: the order file (to -o FILE, else stdout): a header comment, one
 * identity per line, and one comment block per edge against the order. On
 * stderr the same list of edges to fix, or that there is none.
 *
 * Exit status: 0; 1 when some input could not be read (what could be read is
 * still used and written), when a graph names a lock it does not list, when
 * there is no graph event at all, or when FILE cannot be written; 2 for a
 * usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "graph_merge.h"
#include "scc.h"
#include "symbolize.h"

const char cmd_order_usage[] =
	"usage: lockcheck order [-o FILE] [--no-symbolize] REPORT|DIR...\n"
	"\n"
	"Merges the lock-order graphs of the processes in the report files "
	"(or every\n"
	"*.jsonl of a directory) by lock identity, and writes one global lock "
	"order\n"
	"that agrees with as much of them as possible: an order file for the "
	"shim's\n"
	"order_file= option. The edges that go against it (the fewest "
	"possible; the\n"
	"rarer ones when there is a choice) are listed in the file as "
	"comments and\n"
	"on stderr: they are the places to fix.\n"
	"\n"
	"  -o, --output FILE   write the order file to FILE (default: "
	"stdout)\n"
	"  --no-symbolize      no file:line beside a lock made at a call "
	"site\n"
	"\n"
	"Exit status: 0; 1 if some input could not be read (what could be "
	"read is\n"
	"still used), or there is no graph event in it; 2 for a usage "
	"error.\n";

/* Components up to this many locks get the exact (exponential) search. */
#define EXACT_MAX 16
/* Identities named in a comment before "and N more". */
#define LIST_MAX 10

/* Whether s can be a line of an order file: not empty, no line break, not
 * containing "#" (a comment in the file), no space at either end (the
 * reader trims). */
static int identity_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || strpbrk(s, "#\n\r"))
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return 0;
	return 1;
}

static void oom_exit(void)
{
	fputs("lockcheck order: out of memory\n", stderr);
	exit(1);
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);
	if (!p)
		oom_exit();
	return p;
}

/* The order file's words for an identity identity_ok() rejects. */
static const char reject_why[] = "cannot be a line of an order file";

/* The strongly connected components of the merged graph (scc.h): comp[v]
 * receives the component number; returns the number of components. */
static size_t tarjan(const struct ograph *og, size_t *comp)
{
	size_t m = og->off[og->n];
	size_t *succ = xcalloc(m, sizeof(*succ));
	for (size_t k = 0; k < m; k++)
		succ[k] = og->edges[og->out[k]].v;
	size_t n_comp = scc_components(og->n, og->off, succ, comp,
				       "lockcheck order");
	free(succ);
	return n_comp;
}

/* The weight of leaving an edge out: first the number of edges, then their
 * counts (so that, among equally small sets, the rarer edges are left out).
 * At most EXACT_MAX^2 edges of at most 2^32 each: no overflow. */
static uint64_t edge_weight(unsigned long count)
{
	uint64_t c = count > 0xffffffffUL ? 0xffffffffU : count;
	return ((uint64_t)1 << 40) + c;
}

/* A component's own subgraph: k nodes (node indices, ascending), and its
 * internal edges as indices into og->edges. */
struct comp {
	size_t *nodes;
	size_t k;
	size_t *edges;
	size_t m;
};

/* Local index of node v in c (nodes are sorted). */
static size_t local_of(const struct comp *c, size_t v)
{
	size_t lo = 0, hi = c->k;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->nodes[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Exact minimum feedback arc set of a component of k <= EXACT_MAX nodes:
 * writes each local node's position into rank[]. f[S] is the least weight
 * of the edges going backwards in the best order of the locks in S; the
 * first of S is v, at a cost of the edges from the rest of S into v. Ties
 * go to the smallest local index first, i.e. identity order. */
static void fas_exact(const struct ograph *og, const struct comp *c,
		      size_t *rank)
{
	size_t k = c->k;
	uint64_t w[EXACT_MAX][EXACT_MAX];
	uint32_t inmask[EXACT_MAX];
	memset(w, 0, sizeof(w));
	memset(inmask, 0, sizeof(inmask));
	for (size_t i = 0; i < c->m; i++) {
		const struct oedge *e = &og->edges[c->edges[i]];
		size_t a = local_of(c, e->u), b = local_of(c, e->v);
		w[a][b] = edge_weight(e->count);
		inmask[b] |= (uint32_t)1 << a;
	}
	size_t full = ((size_t)1 << k) - 1;
	uint64_t *f = xcalloc(full + 1, sizeof(*f));
	for (size_t s = 1; s <= full; s++) {
		uint64_t best = UINT64_MAX;
		for (size_t v = 0; v < k; v++) {
			if (!(s >> v & 1))
				continue;
			size_t rest = s & ~((size_t)1 << v);
			uint64_t cost = f[rest];
			for (uint32_t in = inmask[v] & rest; in; in &= in - 1)
				cost += w[__builtin_ctz(in)][v];
			if (cost < best)
				best = cost;
		}
		f[s] = best;
	}
	size_t s = full;
	for (size_t pos = 0; pos < k; pos++) {
		for (size_t v = 0; v < k; v++) {
			if (!(s >> v & 1))
				continue;
			size_t rest = s & ~((size_t)1 << v);
			uint64_t cost = f[rest];
			for (uint32_t in = inmask[v] & rest; in; in &= in - 1)
				cost += w[__builtin_ctz(in)][v];
			if (cost == f[s]) {
				rank[v] = pos;
				s = rest;
				break;
			}
		}
	}
	free(f);
}

/* Improves a component's order by sifting: each node in turn is taken out
 * and put back where the fewest (lightest) of its edges go backwards, if
 * that is strictly better than where it was; passes repeat while one helps,
 * at most SIFT_PASSES, for components of at most SIFT_MAX nodes (a pass is
 * O(k^2 + m)). Moving one node changes only its own edges, so the total
 * never increases. rank[] is updated in place. */
#define SIFT_PASSES 8
#define SIFT_MAX 4096
static void sift(size_t k, const size_t *ooff, const size_t *oadj,
		 const uint64_t *ow, const size_t *ioff, const size_t *iadj,
		 const uint64_t *iw, size_t *rank)
{
	if (k > SIFT_MAX)
		return;
	size_t *ord = xcalloc(k, sizeof(*ord));
	int64_t *delta = xcalloc(k, sizeof(*delta));
	for (size_t v = 0; v < k; v++)
		ord[rank[v]] = v;
	for (int pass = 0; pass < SIFT_PASSES; pass++) {
		int improved = 0;
		for (size_t v = 0; v < k; v++) {
			/* Passing x moves v after x: its edge x->v turns
			 * forward (-), its edge v->x backward (+). */
			int64_t at_front = 0;
			for (size_t i = ooff[v]; i < ooff[v + 1]; i++)
				delta[oadj[i]] += (int64_t)ow[i];
			for (size_t i = ioff[v]; i < ioff[v + 1]; i++) {
				delta[iadj[i]] -= (int64_t)iw[i];
				at_front += (int64_t)iw[i];
			}
			int64_t cost = at_front, cur = -1, best = at_front;
			size_t best_gap = 0, gap = 0, cur_gap = 0;
			for (size_t p = 0; p < k; p++) {
				size_t x = ord[p];
				if (x == v) {
					cur_gap = gap;
					continue;
				}
				cost += delta[x];
				gap++;
				if (cost < best) {
					best = cost;
					best_gap = gap;
				}
			}
			/* The cost where v is now. */
			cost = at_front;
			gap = 0;
			for (size_t p = 0; p < k && gap < cur_gap; p++) {
				if (ord[p] == v)
					continue;
				cost += delta[ord[p]];
				gap++;
			}
			cur = cost;
			for (size_t i = ooff[v]; i < ooff[v + 1]; i++)
				delta[oadj[i]] = 0;
			for (size_t i = ioff[v]; i < ioff[v + 1]; i++)
				delta[iadj[i]] = 0;
			if (best >= cur)
				continue;
			/* Move v to after best_gap other nodes. */
			size_t w = 0;
			for (size_t p = 0; p < k; p++)
				if (ord[p] != v)
					ord[w++] = ord[p];
			memmove(ord + best_gap + 1, ord + best_gap,
				(k - 1 - best_gap) * sizeof(*ord));
			ord[best_gap] = v;
			improved = 1;
		}
		if (!improved)
			break;
	}
	for (size_t p = 0; p < k; p++)
		rank[ord[p]] = p;
	free(ord);
	free(delta);
}

/* Eades-Lin-Smyth on a component: repeatedly move sinks to the back and
 * sources to the front; when neither is left, the node whose outgoing
 * weight most exceeds its incoming weight goes to the front (its incoming
 * edges are the ones left out). Ties: the smallest local index. O(k^2 + m)
 * with plain scans. */
static void fas_greedy(const struct ograph *og, const struct comp *c,
		       size_t *rank)
{
	size_t k = c->k;
	/* Local adjacency, both directions. */
	size_t *ooff = xcalloc(k + 1, sizeof(*ooff));
	size_t *ioff = xcalloc(k + 1, sizeof(*ioff));
	size_t *oadj = xcalloc(c->m, sizeof(*oadj)); /* edge -> local v */
	size_t *iadj = xcalloc(c->m, sizeof(*iadj)); /* edge -> local u */
	uint64_t *ow = xcalloc(c->m, sizeof(*ow)), *iw = xcalloc(c->m, sizeof(*iw));
	size_t *fillo = xcalloc(k, sizeof(*fillo)), *filli = xcalloc(k, sizeof(*filli));
	size_t *lu = xcalloc(c->m, sizeof(*lu)), *lv = xcalloc(c->m, sizeof(*lv));
	for (size_t i = 0; i < c->m; i++) {
		const struct oedge *e = &og->edges[c->edges[i]];
		lu[i] = local_of(c, e->u);
		lv[i] = local_of(c, e->v);
		ooff[lu[i] + 1]++;
		ioff[lv[i] + 1]++;
	}
	for (size_t i = 0; i < k; i++) {
		ooff[i + 1] += ooff[i];
		ioff[i + 1] += ioff[i];
	}
	/* Weighted degrees among the nodes not yet placed; outw/inw > 0 iff
	 * the node has such an edge (every weight is at least 2^40). */
	uint64_t *outw = xcalloc(k, sizeof(*outw)), *inw = xcalloc(k, sizeof(*inw));
	for (size_t i = 0; i < c->m; i++) {
		uint64_t wt = edge_weight(og->edges[c->edges[i]].count);
		size_t a = lu[i], b = lv[i];
		oadj[ooff[a] + fillo[a]] = b;
		ow[ooff[a] + fillo[a]++] = wt;
		iadj[ioff[b] + filli[b]] = a;
		iw[ioff[b] + filli[b]++] = wt;
		outw[a] += wt;
		inw[b] += wt;
	}
	char *done = xcalloc(k, 1);
	size_t front = 0, back = k, left = k;
	while (left) {
		size_t pick = k;
		int to_back = 0;
		for (size_t v = 0; v < k && pick == k; v++) {
			if (done[v])
				continue;
			if (outw[v] == 0) {
				pick = v;
				to_back = 1;
			} else if (inw[v] == 0) {
				pick = v;
			}
		}
		if (pick == k) {
			int64_t best = INT64_MIN;
			for (size_t v = 0; v < k; v++) {
				if (done[v])
					continue;
				int64_t d = (int64_t)(outw[v] - inw[v]);
				if (d > best) {
					best = d;
					pick = v;
				}
			}
		}
		rank[pick] = to_back ? --back : front++;
		done[pick] = 1;
		left--;
		for (size_t i = ooff[pick]; i < ooff[pick + 1]; i++)
			if (!done[oadj[i]])
				inw[oadj[i]] -= ow[i];
		for (size_t i = ioff[pick]; i < ioff[pick + 1]; i++)
			if (!done[iadj[i]])
				outw[iadj[i]] -= iw[i];
	}
	sift(k, ooff, oadj, ow, ioff, iadj, iw, rank);
	free(ooff);
	free(ioff);
	free(oadj);
	free(iadj);
	free(ow);
	free(iw);
	free(fillo);
	free(filli);
	free(lu);
	free(lv);
	free(outw);
	free(inw);
	free(done);
}

/* A binary min-heap of node indices (Kahn's queue: the smallest identity
 * among the locks that are free to come next). */
struct heap {
	size_t *a;
	size_t n;
};

static void heap_push(struct heap *h, size_t v)
{
	size_t i = h->n++;
	h->a[i] = v;
	while (i && h->a[(i - 1) / 2] > h->a[i]) {
		size_t p = (i - 1) / 2, t = h->a[p];
		h->a[p] = h->a[i];
		h->a[i] = t;
		i = p;
	}
}

static size_t heap_pop(struct heap *h)
{
	size_t top = h->a[0], i = 0;
	h->a[0] = h->a[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && h->a[l] < h->a[m])
			m = l;
		if (r < h->n && h->a[r] < h->a[m])
			m = r;
		if (m == i)
			break;
		size_t t = h->a[m];
		h->a[m] = h->a[i];
		h->a[i] = t;
		i = m;
	}
	return top;
}

/* Computes the order: order[0 .. *n_order) are the listed nodes, first to
 * last; marks og->edges[].against. */
static size_t *compute_order(struct ograph *og, size_t *n_order)
{
	size_t n = og->n, m = og->m;
	size_t *comp = xcalloc(n, sizeof(*comp));
	size_t n_comp = tarjan(og, comp);
	char *removed = xcalloc(m, 1);

	/* Components: nodes (ascending) and internal edges. */
	size_t *csize = xcalloc(n_comp + 1, sizeof(*csize));
	size_t *cedges = xcalloc(n_comp + 1, sizeof(*cedges));
	for (size_t v = 0; v < n; v++)
		csize[comp[v] + 1]++;
	for (size_t i = 0; i < m; i++)
		if (comp[og->edges[i].u] == comp[og->edges[i].v])
			cedges[comp[og->edges[i].u] + 1]++;
	for (size_t c = 0; c < n_comp; c++) {
		csize[c + 1] += csize[c];
		cedges[c + 1] += cedges[c];
	}
	size_t *cnodes = xcalloc(n, sizeof(*cnodes));
	size_t *cedge = xcalloc(m, sizeof(*cedge));
	size_t *fn = xcalloc(n_comp, sizeof(*fn)), *fe = xcalloc(n_comp, sizeof(*fe));
	for (size_t v = 0; v < n; v++)
		cnodes[csize[comp[v]] + fn[comp[v]]++] = v;
	for (size_t i = 0; i < m; i++) {
		size_t c = comp[og->edges[i].u];
		if (c == comp[og->edges[i].v])
			cedge[cedges[c] + fe[c]++] = i;
	}
	size_t *rank = xcalloc(n, sizeof(*rank));
	for (size_t c = 0; c < n_comp; c++) {
		struct comp cc = {cnodes + csize[c], csize[c + 1] - csize[c],
				  cedge + cedges[c], cedges[c + 1] - cedges[c]};
		if (cc.k < 2)
			continue;
		if (cc.k <= EXACT_MAX)
			fas_exact(og, &cc, rank);
		else
			fas_greedy(og, &cc, rank);
		for (size_t i = 0; i < cc.m; i++) {
			const struct oedge *e = &og->edges[cc.edges[i]];
			if (rank[local_of(&cc, e->u)] > rank[local_of(&cc, e->v)])
				removed[cc.edges[i]] = 1;
		}
	}

	/* Kahn over the kept edges, smallest identity first. */
	size_t *indeg = xcalloc(n, sizeof(*indeg));
	char *listed = xcalloc(n, 1);
	for (size_t i = 0; i < m; i++) {
		listed[og->edges[i].u] = listed[og->edges[i].v] = 1;
		if (!removed[i])
			indeg[og->edges[i].v]++;
	}
	struct heap h = {xcalloc(n, sizeof(size_t)), 0};
	for (size_t v = 0; v < n; v++)
		if (listed[v] && !indeg[v])
			heap_push(&h, v);
	size_t *order = xcalloc(n, sizeof(*order)), k = 0;
	size_t *pos = xcalloc(n, sizeof(*pos));
	while (h.n) {
		size_t v = heap_pop(&h);
		pos[v] = k;
		order[k++] = v;
		for (size_t i = og->off[v]; i < og->off[v + 1]; i++) {
			size_t e = og->out[i];
			if (!removed[e] && --indeg[og->edges[e].v] == 0)
				heap_push(&h, og->edges[e].v);
		}
	}
	/* Every cycle lost an edge, so every listed node was placed. */
	for (size_t i = 0; i < m; i++)
		og->edges[i].against =
			pos[og->edges[i].u] > pos[og->edges[i].v];
	free(comp);
	free(removed);
	free(csize);
	free(cedges);
	free(cnodes);
	free(cedge);
	free(fn);
	free(fe);
	free(rank);
	free(indeg);
	free(listed);
	free(h.a);
	free(pos);
	*n_order = k;
	return order;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* "function (module+0xOFF)", "module+0xOFF" or "0xPC" for frame f. */
static void put_frame(FILE *out, const lc_frame *f)
{
	if (f->function && f->module)
		fprintf(out, "%s (%s+0x%llx)", f->function, base_name(f->module),
			(unsigned long long)f->offset);
	else if (f->function)
		fprintf(out, "%s (0x%llx)", f->function,
			(unsigned long long)f->pc);
	else if (f->module)
		fprintf(out, "%s+0x%llx", base_name(f->module),
			(unsigned long long)f->offset);
	else
		fprintf(out, "0x%llx", (unsigned long long)f->pc);
}

/* The one-line description of merged edge e:
 * "A -> B, N times, thread T3: taken in F (m+0x1) while holding A, taken in
 * G (m+0x2)". pid is named when the input held several processes. */
static void put_edge(FILE *out, const lc_report_set *set,
		     const struct ograph *og, const struct oedge *e)
{
	const lc_rgraph *g = &set->graphs[e->g];
	const lc_rgraph_edge *ed = &g->edges[e->e];
	fprintf(out, "%s -> %s, %lu time%s", og->ids[e->u], og->ids[e->v],
		e->count, e->count == 1 ? "" : "s");
	if (ed->thread) {
		fprintf(out, ", thread T%u", ed->thread);
		if (set->n_graphs > 1)
			fprintf(out, " of process %d", g->pid);
	} else if (set->n_graphs > 1) {
		fprintf(out, ", process %d", g->pid);
	}
	if (!ed->stack.depth && !ed->held_stack.depth) {
		fputs(g->stacks_omitted ? " (stacks omitted in a large graph)"
					: " (no stacks recorded)", out);
		return;
	}
	fputs(": taken in ", out);
	if (ed->stack.depth)
		put_frame(out, &ed->stack.frames[0]);
	else
		fputs("(no stack)", out);
	fprintf(out, " while holding %s, taken in ", og->ids[e->u]);
	if (ed->held_stack.depth)
		put_frame(out, &ed->held_stack.frames[0]);
	else
		fputs("(no stack)", out);
}

/* The comment block of an edge against the order: its line, then both
 * stacks in full. */
static void put_against_block(FILE *out, const lc_report_set *set,
			      const struct ograph *og, const struct oedge *e)
{
	const lc_rgraph_edge *ed = &set->graphs[e->g].edges[e->e];
	fputs("# against this order: ", out);
	put_edge(out, set, og, e);
	fputc('\n', out);
	const lc_stack *st[2] = {&ed->stack, &ed->held_stack};
	for (int k = 0; k < 2; k++) {
		if (!st[k]->depth)
			continue;
		fprintf(out, k ? "#   %s was taken at:\n"
			       : "#   %s taken at:\n",
			k ? og->ids[e->u] : og->ids[e->v]);
		for (unsigned i = 0; i < st[k]->depth; i++) {
			fprintf(out, "#     #%u ", i);
			put_frame(out, &st[k]->frames[i]);
			fputc('\n', out);
		}
	}
}

static int by_id_str(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* For each node of og: "file:line" of the creation site of a graph lock
 * with that identity, when it is a call site ("@...") and was symbolised;
 * else NULL. The array and its strings are the caller's to free. */
static const char **creation_lines(const lc_report_set *set,
				   const struct ograph *og)
{
	const char **where = xcalloc(og->n ? og->n : 1, sizeof *where);
	for (size_t g = 0; g < set->n_graphs; g++)
		for (unsigned i = 0; i < set->graphs[g].n_locks; i++) {
			const lc_rgraph_lock *l = &set->graphs[g].locks[i];
			const char *id = graph_merge_identity(l);
			if (!id || id[0] != '@' || !l->created.depth)
				continue;
			const lc_frame *f = &l->created.frames[0];
			if (!f->file || f->line <= 0)
				continue;
			const char **at = bsearch(id, og->ids, og->n,
						  sizeof *og->ids, by_id_str);
			if (!at || where[at - og->ids])
				continue;
			char *s = NULL;
			if (asprintf(&s, "%s:%d", f->file, f->line) >= 0)
				where[at - og->ids] = s;
		}
	return where;
}

static void write_order(FILE *out, const lc_report_set *set,
			const struct ograph *og, const size_t *order,
			size_t n_order, const char *path)
{
	size_t n_against = 0;
	for (size_t i = 0; i < og->m; i++)
		n_against += og->edges[i].against;
	fprintf(out,
		"# Lock order learned by lockcheck order from %zu process%s.\n"
		"# One lock identity per line: a lock listed earlier must be "
		"taken before\n"
		"# a lock listed later; locks not listed are free. Enforce it "
		"with\n"
		"#   LOCKCHECK_OPTIONS=order_file=%s ./app\n"
		"#   lockcheck run -o order_file=%s -- ./app\n",
		set->n_graphs, set->n_graphs == 1 ? "" : "es", path, path);
	fprintf(out, "# %zu lock%s, %zu edge%s; %zu edge%s against this "
		"order%s\n", n_order, n_order == 1 ? "" : "s", og->m,
		og->m == 1 ? "" : "s", n_against, n_against == 1 ? "" : "s",
		n_against ? " (listed at the end: fix them)" : "");
	if (og->n_same) {
		fprintf(out, "# left out: %zu edge%s between locks of one "
			"identity, which an order by identity\n# cannot "
			"express:", og->n_same, og->n_same == 1 ? "" : "s");
		for (size_t i = 0; i < og->n_same && i < LIST_MAX; i++)
			fprintf(out, "%s %s -> %s (%lu time%s)",
				i ? "," : "", og->ids[og->same[i].u],
				og->ids[og->same[i].u], og->same[i].count,
				og->same[i].count == 1 ? "" : "s");
		if (og->n_same > LIST_MAX)
			fprintf(out, " and %zu more", og->n_same - LIST_MAX);
		fputc('\n', out);
	}
	if (og->unnamed)
		fprintf(out, "# left out: %lu anonymous lock%s without an "
			"identity (a report of an older shim)\n", og->unnamed,
			og->unnamed == 1 ? "" : "s");
	if (n_order < og->n) {
		/* The locks with no edge: og->ids minus the listed ones. */
		char *listed = xcalloc(og->n, 1);
		for (size_t i = 0; i < n_order; i++)
			listed[order[i]] = 1;
		size_t shown = 0;
		fprintf(out, "# not listed (free), never held while taking "
			"another lock nor taken while\n# holding one:");
		for (size_t i = 0; i < og->n; i++) {
			if (listed[i])
				continue;
			if (shown < LIST_MAX)
				fprintf(out, "%s %s", shown ? "," : "",
					og->ids[i]);
			shown++;
		}
		if (shown > LIST_MAX)
			fprintf(out, " and %zu more", shown - LIST_MAX);
		fputc('\n', out);
		free(listed);
	}
	const char **where = creation_lines(set, og);
	for (size_t i = 0; i < n_order; i++) {
		/* A class named by its call site gets the source line it stands
		 * for, as a comment (the shim reads the identity alone). */
		if (where[order[i]])
			fprintf(out, "%s  # %s\n", og->ids[order[i]],
				where[order[i]]);
		else
			fprintf(out, "%s\n", og->ids[order[i]]);
	}
	for (size_t i = 0; i < og->n; i++)
		free((char *)where[i]);
	free(where);
	for (size_t i = 0; i < og->m; i++)
		if (og->edges[i].against) {
			fputc('\n', out);
			put_against_block(out, set, og, &og->edges[i]);
		}
}

int cmd_order(int argc, char **argv)
{
	const char *output = NULL;
	int symbolize = 1;
	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || !a[1])
			break;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(cmd_order_usage, stdout);
			return 0;
		}
		if (!strcmp(a, "--no-symbolize")) {
			symbolize = 0;
			continue;
		}
		int status;
		if ((r = cli_opt_output("order", argc, argv, &i, &output, &status))) {
			if (r < 0)
				return status;
			continue;
		}
		return cli_usage_error("order", "unknown option '%s'", a);
	}
	if (i >= argc)
		return cli_usage_error("order", "no report files given");

	lc_report_set set;
	cli_read_inputs(&set, "lockcheck order", argc, argv, i);
	if (!set.n_graphs) {
		fprintf(stderr, "lockcheck order: no graph events in the input "
			"(%u file%s read)\n", set.n_files,
			set.n_files == 1 ? "" : "s");
		lc_read_free(&set);
		return 1;
	}
	/* The graphs' creation sites, for a file:line beside each lock
	 * identity that is a call site (@function+0xOFF). */
	lc_symbolize_set(&set, symbolize ? LC_SYM_GRAPHS : LC_SYM_NONE);
	struct ograph og;
	graph_merge_build(&set, "lockcheck order", identity_ok, reject_why,
			  &og);
	size_t n_order;
	size_t *order = compute_order(&og, &n_order);

	int rc = set.n_errors || og.errors ? 1 : 0;
	FILE *out = stdout;
	if (output) {
		out = fopen(output, "w");
		if (!out) {
			fprintf(stderr, "lockcheck order: cannot write %s: %s\n",
				output, strerror(errno));
			rc = 1;
		}
	}
	if (out) {
		write_order(out, &set, &og, order, n_order,
			    output ? output : "FILE");
		if (output && fclose(out) != 0) {
			fprintf(stderr, "lockcheck order: cannot write %s: %s\n",
				output, strerror(errno));
			rc = 1;
		}
	}

	/* The fix list, on stderr. */
	size_t n_against = 0;
	for (size_t k = 0; k < og.m; k++)
		n_against += og.edges[k].against;
	if (!n_against) {
		fprintf(stderr, "lockcheck order: %zu lock%s, %zu edge%s from "
			"%zu process%s: one consistent order, nothing to "
			"fix\n", n_order, n_order == 1 ? "" : "s", og.m,
			og.m == 1 ? "" : "s", set.n_graphs,
			set.n_graphs == 1 ? "" : "es");
	} else {
		fprintf(stderr, "lockcheck order: %zu lock%s, %zu edge%s from "
			"%zu process%s; %zu edge%s against the order to "
			"fix:\n", n_order, n_order == 1 ? "" : "s", og.m,
			og.m == 1 ? "" : "s", set.n_graphs,
			set.n_graphs == 1 ? "" : "es", n_against,
			n_against == 1 ? "" : "s");
		for (size_t k = 0; k < og.m; k++)
			if (og.edges[k].against) {
				fputs("  ", stderr);
				put_edge(stderr, &set, &og, &og.edges[k]);
				fputc('\n', stderr);
			}
	}
	free(order);
	graph_merge_free(&og);
	lc_read_free(&set);
	return rc;
}
