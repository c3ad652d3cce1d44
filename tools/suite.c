/*
 * suite.c: the suite merge and the verdicts of cycles across processes.
 *
 * Folding (one graph event at a time, suite.h): every string kept is
 * interned once; stacks and held-class sets are interned by content; nodes,
 * roles, executables, edges and signatures are found through hash tables.
 * A graph event's own numbers (lock ids, class and role positions) are
 * mapped to suite indices on the way in and forgotten with the event.
 *
 * Two roles can run at the same time in one process iff some executable
 * (scope of its main module) has processes that, together, ran both roles,
 * and the roles differ or the role is a pool (max_live > 1 somewhere). A
 * "main" or "other" role is keyed by its executable: one per process.
 *
 * Cycles: Tarjan's components of the merged graph; for each edge u -> v
 * inside one, the shortest path v -> ... -> u closes one cycle (at most one
 * per edge), de-duplicated by finding id. Caps: SUITE_CYCLES_MAX cycles,
 * SUITE_CYCLE_LEN nodes each; reaching either is said once.
 *
 * Prove that a cycle can deadlock across processes: choose one signature
 * per edge such that, in this order,
 *   1. the roles can run at the same time pairwise        else single-thread
 *   2. every lock of the cycle is wanted in a mode that conflicts with the
 *      mode its holder holds it in                          else read-shared
 *   3. (ordered: create/join order does not carry across processes)
 *   4. no node is held at two of the acquisitions in modes that exclude
 *      each other (any class is a gate here, even a per-object one; a held
 *      class's mode is known only for the edge's `from`, any other is taken
 *      as exclusive, so an unknown mode never makes an error)  else guarded
 *   5. then class-cycle when a node is "many" (per-object locks: different
 *      locks in different processes), else deadlock-possible.
 * The verdict is the best over the choices that no single process made
 * (the intersection of the signatures' process lists is empty): a choice
 * one process made whole was judged there, with clocks and instances this
 * merge lacks. No such choice: no suite finding. The search enumerates the
 * choices within SUITE_BUDGET steps; out of budget it keeps the best found
 * and says so in the message.
 *
 * A finding is added only when its verdict is closer to a deadlock than
 * every process's finding of the same id (and not of lower severity): the
 * report then shows it in their place (cmd_report.c).
 */
#define _GNU_SOURCE
#include "suite.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "scc.h"

#define SUITE_CYCLES_MAX 10000
#define SUITE_CYCLE_LEN 64
#define SUITE_BUDGET 2000000UL

/* Verdicts, a larger value closer to a deadlock (as lib/verdict.h, with
 * class-cycle between guarded and deadlock-possible). */
enum sv {
	SV_SINGLE_THREAD,
	SV_READ_SHARED,
	SV_ORDERED,
	SV_GUARDED,
	SV_CLASS_CYCLE,
	SV_DEADLOCK_POSSIBLE,
	SV_NONE = -1
};

static const char *const sv_names[] = {
	"single-thread", "read-shared", "ordered", "guarded", "class-cycle",
	"deadlock-possible",
};

/* A finding's verdict name as an enum sv (an unknown name: SV_NONE). */
static int sv_parse(const char *name)
{
	for (int i = 0; name && i <= SV_DEADLOCK_POSSIBLE; i++)
		if (!strcmp(name, sv_names[i]))
			return i;
	return SV_NONE;
}

/* --- memory ------------------------------------------------------------ */

static const char *suite_prog = "lockcheck";

static void oom_exit(void)
{
	fprintf(stderr, "%s: out of memory\n", suite_prog);
	exit(1);
}

static void *xrealloc(void *p, size_t n, size_t sz)
{
	if (n && sz > SIZE_MAX / n)
		oom_exit();
	p = realloc(p, (n ? n : 1) * sz);
	if (!p)
		oom_exit();
	return p;
}

/* Grows *p (of *cap elements of sz) to hold at least need. */
static void grow(void *pp, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap * 2 : 16;
	while (c < need)
		c *= 2;
	*(void **)pp = xrealloc(*(void **)pp, c, sz);
	*cap = c;
}

static uint64_t mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* An open-addressing table of indices (into some vector), by 64-bit hash;
 * equality is the caller's (find returns candidates one by one). */
struct slot {
	uint64_t h;
	uint32_t idx; /* UINT32_MAX: empty */
};

struct htab {
	struct slot *s;
	size_t cap, n;
};

static void htab_put(struct htab *t, uint64_t h, uint32_t idx);

static void htab_grow(struct htab *t)
{
	struct htab old = *t;
	t->cap = old.cap ? old.cap * 2 : 64;
	t->s = xrealloc(NULL, t->cap, sizeof(*t->s));
	t->n = 0;
	for (size_t i = 0; i < t->cap; i++)
		t->s[i].idx = UINT32_MAX;
	for (size_t i = 0; i < old.cap; i++)
		if (old.s[i].idx != UINT32_MAX)
			htab_put(t, old.s[i].h, old.s[i].idx);
	free(old.s);
}

static void htab_put(struct htab *t, uint64_t h, uint32_t idx)
{
	if ((t->n + 1) * 4 > t->cap * 3)
		htab_grow(t);
	size_t i = h & (t->cap - 1);
	while (t->s[i].idx != UINT32_MAX)
		i = (i + 1) & (t->cap - 1);
	t->s[i].h = h;
	t->s[i].idx = idx;
	t->n++;
}

/* Iterates the indices stored under hash h: *pos starts at SIZE_MAX. */
static uint32_t htab_next(const struct htab *t, uint64_t h, size_t *pos)
{
	if (!t->cap)
		return UINT32_MAX;
	size_t i = *pos == SIZE_MAX ? h & (t->cap - 1)
				    : (*pos + 1) & (t->cap - 1);
	for (; t->s[i].idx != UINT32_MAX; i = (i + 1) & (t->cap - 1))
		if (t->s[i].h == h) {
			*pos = i;
			return t->s[i].idx;
		}
	return UINT32_MAX;
}

/* --- the merged state -------------------------------------------------- */

struct sframe {
	const char *module, *function; /* interned */
	uint64_t offset, pc;
};

struct sstack {
	uint32_t first, depth; /* in frames[] */
};

struct uset {
	uint32_t first, n;     /* in set_items[]: sorted unique node indices */
};

struct node {
	const char *scope, *fingerprint, *identity;
	/* The first lock of the class seen, to name it. */
	const char *name, *type, *module_path;
	uint64_t address;
	uint32_t created;      /* stack index, UINT32_MAX: none */
	int many;
};

struct role {
	const char *key;
	const char *kind;      /* "main", "thread", "other" (static) */
	const char *exe_path;  /* main/other: the executable's path */
	struct sframe routine, site;
	const char *name;      /* a thread name of the role, or NULL */
	int pool;
	uint32_t *exes;        /* executables whose processes ran it */
	size_t n_exes, cap_exes;
};

/* One process's sighting of a signature: its edge, to show. */
struct seen {
	uint32_t proc;         /* index into the set's procs */
	uint32_t thread;
	uint32_t stack, held_stack; /* stack indices, UINT32_MAX: none */
};

struct sig {
	uint32_t edge, role;
	uint32_t held;         /* uset index */
	uint8_t held_shared, shared;
	struct seen *seen;     /* by process, ascending */
	size_t n_seen, cap_seen;
};

struct sedge {
	uint32_t u, v;
	unsigned long dropped; /* contexts the processes did not keep */
	uint32_t *sigs;
	size_t n_sigs, cap_sigs;
};

struct lc_suite {
	const char *prog;
	/* Interned strings. */
	char **strs;
	size_t n_strs, cap_strs;
	struct htab str_tab;
	/* Stacks and their frames. */
	struct sframe *frames;
	size_t n_frames, cap_frames;
	struct sstack *stacks;
	size_t n_stacks, cap_stacks;
	struct htab stack_tab;
	/* Held-class sets. */
	uint32_t *set_items;
	size_t n_set_items, cap_set_items;
	struct uset *usets;
	size_t n_usets, cap_usets;
	struct htab uset_tab;
	struct node *nodes;
	size_t n_nodes, cap_nodes;
	struct htab node_tab;
	struct role *roles;
	size_t n_roles, cap_roles;
	struct htab role_tab;
	const char **exes;     /* executable scopes */
	size_t n_exes, cap_exes;
	struct htab exe_tab;
	struct sedge *edges;
	size_t n_edges, cap_edges;
	struct htab edge_tab;
	struct sig *sigs;
	size_t n_sigs, cap_sigs;
	struct htab sig_tab;
	unsigned long graphs, scoped_graphs;
};

static uint64_t hash_str(const char *s)
{
	return lc_hash_str(LC_HASH_START, s);
}

/* The interned copy of str (NULL for NULL). */
static const char *intern(lc_suite *s, const char *str)
{
	if (!str)
		return NULL;
	uint64_t h = hash_str(str);
	size_t pos = SIZE_MAX;
	uint32_t i;
	while ((i = htab_next(&s->str_tab, h, &pos)) != UINT32_MAX)
		if (!strcmp(s->strs[i], str))
			return s->strs[i];
	char *dup = strdup(str);
	if (!dup)
		oom_exit();
	grow(&s->strs, &s->cap_strs, s->n_strs + 1, sizeof(*s->strs));
	s->strs[s->n_strs] = dup;
	htab_put(&s->str_tab, h, (uint32_t)s->n_strs++);
	return dup;
}

static struct sframe to_sframe(lc_suite *s, const lc_frame *f)
{
	return (struct sframe){intern(s, f->module), intern(s, f->function),
			       f->offset, f->pc};
}

/* Frames are the same when module, offset and function are (the pc moves
 * with address-space randomisation). */
static int sframe_eq(const struct sframe *a, const struct sframe *b)
{
	return a->module == b->module && a->function == b->function &&
	       a->offset == b->offset;
}

/* The index of stack st, interned; UINT32_MAX for an empty one. */
static uint32_t intern_stack(lc_suite *s, const lc_stack *st)
{
	if (!st->depth)
		return UINT32_MAX;
	grow(&s->frames, &s->cap_frames, s->n_frames + st->depth,
	     sizeof(*s->frames));
	/* Build the candidate at the end of frames[]; keep it if new. */
	struct sframe *cand = &s->frames[s->n_frames];
	uint64_t h = st->depth;
	for (unsigned i = 0; i < st->depth; i++) {
		cand[i] = to_sframe(s, &st->frames[i]);
		h = mix(h, (uintptr_t)cand[i].module);
		h = mix(h, (uintptr_t)cand[i].function);
		h = mix(h, cand[i].offset);
	}
	size_t pos = SIZE_MAX;
	uint32_t k;
	while ((k = htab_next(&s->stack_tab, h, &pos)) != UINT32_MAX) {
		const struct sstack *o = &s->stacks[k];
		if (o->depth != st->depth)
			continue;
		unsigned i;
		for (i = 0; i < st->depth; i++)
			if (!sframe_eq(&s->frames[o->first + i], &cand[i]))
				break;
		if (i == st->depth)
			return k;
	}
	grow(&s->stacks, &s->cap_stacks, s->n_stacks + 1, sizeof(*s->stacks));
	s->stacks[s->n_stacks] = (struct sstack){(uint32_t)s->n_frames,
						 st->depth};
	s->n_frames += st->depth;
	htab_put(&s->stack_tab, h, (uint32_t)s->n_stacks);
	return (uint32_t)s->n_stacks++;
}

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The index of the set of n node indices at items (sorted and made unique
 * here), interned. */
static uint32_t intern_uset(lc_suite *s, uint32_t *items, size_t n)
{
	qsort(items, n, sizeof(*items), by_u32);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || items[k - 1] != items[i])
			items[k++] = items[i];
	n = k;
	uint64_t h = n;
	for (size_t i = 0; i < n; i++)
		h = mix(h, items[i]);
	size_t pos = SIZE_MAX;
	uint32_t x;
	while ((x = htab_next(&s->uset_tab, h, &pos)) != UINT32_MAX) {
		const struct uset *o = &s->usets[x];
		/* (n == 0: set_items may still be NULL.) */
		if (o->n == n && (n == 0 || !memcmp(&s->set_items[o->first],
						    items, n * sizeof(*items))))
			return x;
	}
	if (n) {
		grow(&s->set_items, &s->cap_set_items, s->n_set_items + n,
		     sizeof(*s->set_items));
		memcpy(&s->set_items[s->n_set_items], items,
		       n * sizeof(*items));
	}
	grow(&s->usets, &s->cap_usets, s->n_usets + 1, sizeof(*s->usets));
	s->usets[s->n_usets] = (struct uset){(uint32_t)s->n_set_items,
					     (uint32_t)n};
	s->n_set_items += n;
	htab_put(&s->uset_tab, h, (uint32_t)s->n_usets);
	return (uint32_t)s->n_usets++;
}

static int uset_has(const lc_suite *s, uint32_t set, uint32_t node)
{
	const struct uset *u = &s->usets[set];
	if (u->n == 0)
		return 0; /* set_items may still be NULL */
	const uint32_t *it = &s->set_items[u->first];
	return bsearch(&node, it, u->n, sizeof(*it), by_u32) != NULL;
}

/* The node of class (scope, fingerprint), made when new. */
static uint32_t node_of(lc_suite *s, const char *scope, const char *fp)
{
	uint64_t h = mix((uintptr_t)scope, (uintptr_t)fp);
	size_t pos = SIZE_MAX;
	uint32_t i;
	while ((i = htab_next(&s->node_tab, h, &pos)) != UINT32_MAX)
		if (s->nodes[i].scope == scope && s->nodes[i].fingerprint == fp)
			return i;
	grow(&s->nodes, &s->cap_nodes, s->n_nodes + 1, sizeof(*s->nodes));
	struct node *n = &s->nodes[s->n_nodes];
	memset(n, 0, sizeof(*n));
	n->scope = scope;
	n->fingerprint = fp;
	n->created = UINT32_MAX;
	htab_put(&s->node_tab, h, (uint32_t)s->n_nodes);
	return (uint32_t)s->n_nodes++;
}

/* Index of an interned key in a table of interned keys (roles, exes). */
static uint32_t find_key(const struct htab *t, const void *key,
			 const void *base, size_t stride)
{
	uint64_t h = (uintptr_t)key;
	size_t pos = SIZE_MAX;
	uint32_t i;
	while ((i = htab_next(t, h, &pos)) != UINT32_MAX)
		if (*(const void *const *)((const char *)base + i * stride) ==
		    key)
			return i;
	return UINT32_MAX;
}

static uint32_t exe_of(lc_suite *s, const char *scope)
{
	uint32_t i = find_key(&s->exe_tab, scope, s->exes, sizeof(*s->exes));
	if (i != UINT32_MAX)
		return i;
	grow(&s->exes, &s->cap_exes, s->n_exes + 1, sizeof(*s->exes));
	s->exes[s->n_exes] = scope;
	htab_put(&s->exe_tab, (uintptr_t)scope, (uint32_t)s->n_exes);
	return (uint32_t)s->n_exes++;
}

static uint32_t role_of(lc_suite *s, const char *key)
{
	uint32_t i = find_key(&s->role_tab, key, s->roles, sizeof(*s->roles));
	if (i != UINT32_MAX)
		return i;
	grow(&s->roles, &s->cap_roles, s->n_roles + 1, sizeof(*s->roles));
	struct role *r = &s->roles[s->n_roles];
	memset(r, 0, sizeof(*r));
	r->key = key;
	htab_put(&s->role_tab, (uintptr_t)key, (uint32_t)s->n_roles);
	return (uint32_t)s->n_roles++;
}

static void role_add_exe(struct role *r, uint32_t exe)
{
	for (size_t i = 0; i < r->n_exes; i++)
		if (r->exes[i] == exe)
			return;
	grow(&r->exes, &r->cap_exes, r->n_exes + 1, sizeof(*r->exes));
	r->exes[r->n_exes++] = exe;
}

static uint32_t edge_of(lc_suite *s, uint32_t u, uint32_t v)
{
	uint64_t h = mix(u, v);
	size_t pos = SIZE_MAX;
	uint32_t i;
	while ((i = htab_next(&s->edge_tab, h, &pos)) != UINT32_MAX)
		if (s->edges[i].u == u && s->edges[i].v == v)
			return i;
	grow(&s->edges, &s->cap_edges, s->n_edges + 1, sizeof(*s->edges));
	struct sedge *e = &s->edges[s->n_edges];
	memset(e, 0, sizeof(*e));
	e->u = u;
	e->v = v;
	htab_put(&s->edge_tab, h, (uint32_t)s->n_edges);
	return (uint32_t)s->n_edges++;
}

static uint32_t sig_of(lc_suite *s, uint32_t edge, uint32_t role,
		       uint32_t held, int held_shared, int shared)
{
	uint64_t h = mix(mix(mix(edge, role), held),
			 (uint64_t)(held_shared << 1 | shared));
	size_t pos = SIZE_MAX;
	uint32_t i;
	while ((i = htab_next(&s->sig_tab, h, &pos)) != UINT32_MAX) {
		const struct sig *g = &s->sigs[i];
		if (g->edge == edge && g->role == role && g->held == held &&
		    g->held_shared == held_shared && g->shared == shared)
			return i;
	}
	grow(&s->sigs, &s->cap_sigs, s->n_sigs + 1, sizeof(*s->sigs));
	struct sig *g = &s->sigs[s->n_sigs];
	memset(g, 0, sizeof(*g));
	g->edge = edge;
	g->role = role;
	g->held = held;
	g->held_shared = (uint8_t)held_shared;
	g->shared = (uint8_t)shared;
	struct sedge *e = &s->edges[edge];
	grow(&e->sigs, &e->cap_sigs, e->n_sigs + 1, sizeof(*e->sigs));
	e->sigs[e->n_sigs++] = (uint32_t)s->n_sigs;
	htab_put(&s->sig_tab, h, (uint32_t)s->n_sigs);
	return (uint32_t)s->n_sigs++;
}

/* --- folding one graph event ------------------------------------------- */

lc_suite *lc_suite_new(const char *prog)
{
	lc_suite *s = calloc(1, sizeof(*s));
	if (!s)
		oom_exit();
	s->prog = prog ? prog : "lockcheck";
	suite_prog = s->prog;
	return s;
}

void lc_suite_attach(lc_suite *s, lc_report_set *set, int keep_graphs)
{
	set->graph_sink = lc_suite_fold;
	set->graph_arg = s;
	set->keep_graphs = keep_graphs;
}

/* "b:<build-id>" or "p:<path>": what a module is known by. */
static const char *module_scope(lc_suite *s, const lc_rgraph_module *m)
{
	char *k = NULL;
	if (asprintf(&k, "%s:%s", m->build_id ? "b" : "p",
		     m->build_id ? m->build_id : m->path) < 0)
		oom_exit();
	const char *r = intern(s, k);
	free(k);
	return r;
}

/* The scope of the module at `path` as a frame names it: its build-id when
 * the graph lists it, else the path. */
static const char *path_scope(lc_suite *s, const lc_rgraph *g,
			      const char *const *mod_scope, const char *path)
{
	for (unsigned i = 0; path && i < g->n_modules; i++)
		if (g->modules[i].path && !strcmp(g->modules[i].path, path))
			return mod_scope[i];
	char *k = NULL;
	if (asprintf(&k, "p:%s", path ? path : "?") < 0)
		oom_exit();
	const char *r = intern(s, k);
	free(k);
	return r;
}

struct lockpos {
	unsigned id, pos;
};

static int by_lockpos(const void *a, const void *b)
{
	const struct lockpos *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

void lc_suite_fold(void *arg, lc_report_set *set, const lc_rgraph *g)
{
	lc_suite *s = arg;
	s->graphs++;
	if (!g->scoped)
		return;
	const lc_rprocess *proc = g->process < set->n_procs
					  ? &set->procs[g->process]
					  : NULL;
	const char **mod_scope = xrealloc(NULL, g->n_modules,
					  sizeof(*mod_scope));
	for (unsigned i = 0; i < g->n_modules; i++)
		mod_scope[i] = module_scope(s, &g->modules[i]);
	/* The executable: the main module, else the start event's exe. */
	const char *exe_scope, *exe_path;
	if (g->main_module != LC_RGRAPH_NONE) {
		exe_scope = mod_scope[g->main_module];
		exe_path = g->modules[g->main_module].path;
	} else if (proc && proc->exe) {
		exe_scope = path_scope(s, g, mod_scope, proc->exe);
		exe_path = proc->exe;
	} else {
		free(mod_scope);
		return; /* no executable to scope the classes by */
	}
	s->scoped_graphs++;
	exe_path = intern(s, exe_path);
	uint32_t exe = exe_of(s, exe_scope);

	uint32_t *cls_node = xrealloc(NULL, g->n_classes, sizeof(*cls_node));
	for (unsigned i = 0; i < g->n_classes; i++) {
		const lc_rgraph_class *c = &g->classes[i];
		const char *scope = c->module != LC_RGRAPH_NONE
					    ? mod_scope[c->module]
					    : exe_scope;
		cls_node[i] = node_of(s, scope, intern(s, c->fingerprint));
		struct node *n = &s->nodes[cls_node[i]];
		n->many |= c->many;
		if (!n->identity)
			n->identity = intern(s, c->identity);
		if (!n->module_path)
			n->module_path = c->module != LC_RGRAPH_NONE
						 ? intern(s, g->modules[c->module].path)
						 : exe_path;
	}
	struct lockpos *lp = xrealloc(NULL, g->n_locks, sizeof(*lp));
	for (unsigned i = 0; i < g->n_locks; i++) {
		const lc_rgraph_lock *l = &g->locks[i];
		lp[i] = (struct lockpos){l->id, i};
		if (l->cls == LC_RGRAPH_NONE)
			continue;
		struct node *n = &s->nodes[cls_node[l->cls]];
		if (n->type)
			continue; /* named by an earlier lock */
		n->type = intern(s, l->type ? l->type : "lock");
		n->name = intern(s, l->name);
		n->address = l->address;
		n->created = intern_stack(s, &l->created);
		if (!n->identity)
			n->identity = intern(s, l->identity);
	}
	qsort(lp, g->n_locks, sizeof(*lp), by_lockpos);

	uint32_t *role_idx = xrealloc(NULL, g->n_roles, sizeof(*role_idx));
	for (unsigned i = 0; i < g->n_roles; i++) {
		const lc_rgraph_role *r = &g->roles[i];
		char *k = NULL;
		int rc;
		if (!strcmp(r->kind, "thread"))
			rc = asprintf(&k, "thread:%s+0x%" PRIx64 "/%s+0x%" PRIx64,
				      path_scope(s, g, mod_scope,
						 r->routine.module),
				      r->routine.offset,
				      r->has_site ? path_scope(s, g, mod_scope,
							       r->site.module)
						  : "-",
				      r->has_site ? r->site.offset : 0);
		else
			rc = asprintf(&k, "%s@%s", r->kind, exe_scope);
		if (rc < 0)
			oom_exit();
		role_idx[i] = role_of(s, intern(s, k));
		free(k);
		struct role *sr = &s->roles[role_idx[i]];
		if (!sr->kind) {
			sr->kind = !strcmp(r->kind, "main")     ? "main"
				   : !strcmp(r->kind, "thread") ? "thread"
								: "other";
			sr->exe_path = exe_path;
			if (r->has_routine)
				sr->routine = to_sframe(s, &r->routine);
			if (r->has_site)
				sr->site = to_sframe(s, &r->site);
		}
		if (!sr->name)
			sr->name = intern(s, r->name);
		sr->pool |= r->max_live > 1;
		role_add_exe(sr, exe);
	}

	uint32_t *held = NULL;
	size_t cap_held = 0;
	/* The reader hands the contexts that name one of the event's
	 * "held_sets" the same array: each is mapped to a node set once (a
	 * thread holding many locks makes thousands of edges share a few
	 * large sets). By pointer, in an open-addressing table. */
	struct held_memo {
		const unsigned *items;
		uint32_t uset;
	} *memo = NULL;
	size_t memo_cap = 0, memo_n = 0;
	for (unsigned e = 0; e < g->n_edges; e++) {
		const lc_rgraph_edge *ed = &g->edges[e];
		if (!ed->n_contexts)
			continue;
		struct lockpos kf = {ed->from, 0}, kt = {ed->to, 0};
		const struct lockpos *a = bsearch(&kf, lp, g->n_locks,
						  sizeof(*lp), by_lockpos);
		const struct lockpos *b = bsearch(&kt, lp, g->n_locks,
						  sizeof(*lp), by_lockpos);
		if (!a || !b || g->locks[a->pos].cls == LC_RGRAPH_NONE ||
		    g->locks[b->pos].cls == LC_RGRAPH_NONE)
			continue;
		uint32_t u = cls_node[g->locks[a->pos].cls];
		uint32_t v = cls_node[g->locks[b->pos].cls];
		if (u == v)
			continue; /* two instances of one class: no part */
		uint32_t ei = edge_of(s, u, v);
		unsigned long d = s->edges[ei].dropped;
		s->edges[ei].dropped = d + ed->contexts_dropped < d
					       ? (unsigned long)-1
					       : d + ed->contexts_dropped;
		uint32_t stk = UINT32_MAX, hstk = UINT32_MAX;
		int stacks_done = 0;
		for (unsigned k = 0; k < ed->n_contexts; k++) {
			const lc_rgraph_context *c = &ed->contexts[k];
			if (2 * (memo_n + 1) > memo_cap) {
				size_t cap = memo_cap ? 2 * memo_cap : 1024;
				struct held_memo *m = xrealloc(NULL, cap,
							       sizeof(*m));
				memset(m, 0, cap * sizeof(*m));
				for (size_t i = 0; i < memo_cap; i++) {
					if (!memo[i].items)
						continue;
					size_t at = ((uintptr_t)memo[i].items >> 3) &
						    (cap - 1);
					while (m[at].items)
						at = (at + 1) & (cap - 1);
					m[at] = memo[i];
				}
				free(memo);
				memo = m;
				memo_cap = cap;
			}
			size_t slot = ((uintptr_t)c->held >> 3) & (memo_cap - 1);
			while (memo[slot].items && memo[slot].items != c->held)
				slot = (slot + 1) & (memo_cap - 1);
			uint32_t hs;
			if (c->held && memo[slot].items == c->held) {
				hs = memo[slot].uset;
			} else {
				grow(&held, &cap_held, c->n_held + 1,
				     sizeof(*held));
				for (unsigned h = 0; h < c->n_held; h++)
					held[h] = cls_node[c->held[h]];
				hs = intern_uset(s, held, c->n_held);
				if (c->held) {
					memo[slot] = (struct held_memo){c->held, hs};
					memo_n++;
				}
			}
			uint32_t si = sig_of(s, ei, role_idx[c->role], hs,
					     c->held_shared, c->shared);
			struct sig *sg = &s->sigs[si];
			uint32_t pr = (uint32_t)g->process;
			/* Kept sorted by process (reading order, but a
			 * process may write two graph events). */
			size_t at = sg->n_seen;
			while (at && sg->seen[at - 1].proc > pr)
				at--;
			if (at && sg->seen[at - 1].proc == pr)
				continue;
			if (!stacks_done) {
				stk = intern_stack(s, &ed->stack);
				hstk = intern_stack(s, &ed->held_stack);
				stacks_done = 1;
			}
			grow(&sg->seen, &sg->cap_seen, sg->n_seen + 1,
			     sizeof(*sg->seen));
			memmove(&sg->seen[at + 1], &sg->seen[at],
				(sg->n_seen - at) * sizeof(*sg->seen));
			sg->seen[at] = (struct seen){pr, ed->thread, stk, hstk};
			sg->n_seen++;
		}
	}
	free(held);
	free(memo);
	free(role_idx);
	free(lp);
	free(cls_node);
	free(mod_scope);
}

/* --- cycles ------------------------------------------------------------- */

/* CSR adjacency of the merged edges. */
struct adj {
	size_t *off;
	uint32_t *out; /* edge indices */
};

static void adj_build(const lc_suite *s, struct adj *a)
{
	a->off = xrealloc(NULL, s->n_nodes + 1, sizeof(*a->off));
	a->out = xrealloc(NULL, s->n_edges, sizeof(*a->out));
	memset(a->off, 0, (s->n_nodes + 1) * sizeof(*a->off));
	for (size_t i = 0; i < s->n_edges; i++)
		a->off[s->edges[i].u + 1]++;
	for (size_t i = 0; i < s->n_nodes; i++)
		a->off[i + 1] += a->off[i];
	size_t *fill = xrealloc(NULL, s->n_nodes + 1, sizeof(*fill));
	memcpy(fill, a->off, (s->n_nodes + 1) * sizeof(*fill));
	for (size_t i = 0; i < s->n_edges; i++)
		a->out[fill[s->edges[i].u]++] = (uint32_t)i;
	free(fill);
}

/* The strongly connected components of the merged graph (scc.h): comp[v]. */
static uint32_t *scc(const lc_suite *s, const struct adj *a)
{
	size_t n = s->n_nodes, m = a->off[n];
	size_t *succ = xrealloc(NULL, m, sizeof(*succ));
	size_t *comp = xrealloc(NULL, n, sizeof(*comp));
	for (size_t k = 0; k < m; k++)
		succ[k] = s->edges[a->out[k]].v;
	scc_components(n, a->off, succ, comp, suite_prog);
	uint32_t *comp32 = xrealloc(NULL, n, sizeof(*comp32));
	for (size_t v = 0; v < n; v++)
		comp32[v] = (uint32_t)comp[v];
	free(succ);
	free(comp);
	return comp32;
}

/* The shortest path from -> ... -> to inside component c, as edge indices
 * into path (at most max); returns its length, 0 when none fits. */
static unsigned shortest_path(const lc_suite *s, const struct adj *a,
			      const uint32_t *comp, uint32_t from, uint32_t to,
			      uint32_t *prev_edge, uint32_t *queue,
			      uint32_t *path, unsigned max)
{
	uint32_t c = comp[from];
	size_t qh = 0, qt = 0;
	/* prev_edge is UINT32_MAX for unvisited nodes; reset below. */
	queue[qt++] = from;
	prev_edge[from] = UINT32_MAX - 1;
	int found = from == to;
	while (qh < qt && !found) {
		uint32_t x = queue[qh++];
		for (size_t k = a->off[x]; k < a->off[x + 1]; k++) {
			uint32_t ei = a->out[k];
			uint32_t y = s->edges[ei].v;
			if (comp[y] != c || prev_edge[y] != UINT32_MAX)
				continue;
			prev_edge[y] = ei;
			queue[qt++] = y;
			if (y == to) {
				found = 1;
				break;
			}
		}
	}
	unsigned n = 0;
	if (found) {
		for (uint32_t x = to; x != from; x = s->edges[prev_edge[x]].u)
			n++;
		if (n <= max) {
			unsigned k = n;
			for (uint32_t x = to; x != from;
			     x = s->edges[prev_edge[x]].u)
				path[--k] = prev_edge[x];
		} else {
			n = 0;
		}
	}
	for (size_t i = 0; i < qt; i++)
		prev_edge[queue[i]] = UINT32_MAX;
	return n;
}

/* --- judging a cycle ----------------------------------------------------- */

struct judge {
	const lc_suite *s;
	const uint32_t *cyc;   /* edge indices, cyc[i]: node[i] -> node[i+1] */
	unsigned n;
	int any_many;
	unsigned long steps;
	int gave_up;
	uint32_t cur[SUITE_CYCLE_LEN];  /* signature indices */
	uint32_t best[SUITE_CYCLE_LEN];
	int best_v;
	uint32_t best_gate;    /* node, UINT32_MAX: none */
};

/* Whether roles a and b can run at the same time in one process. */
static int concurrent(const lc_suite *s, uint32_t a, uint32_t b)
{
	if (a == b && !s->roles[a].pool)
		return 0;
	const struct role *x = &s->roles[a], *y = &s->roles[b];
	for (size_t i = 0; i < x->n_exes; i++)
		for (size_t k = 0; k < y->n_exes; k++)
			if (x->exes[i] == y->exes[k])
				return 1;
	return 0;
}

/* The verdict of the choice j->cur, and its gate. */
static int choice_verdict(const struct judge *j, uint32_t *gate)
{
	const lc_suite *s = j->s;
	unsigned n = j->n;
	*gate = UINT32_MAX;
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = i + 1; k < n; k++)
			if (!concurrent(s, s->sigs[j->cur[i]].role,
					s->sigs[j->cur[k]].role))
				return SV_SINGLE_THREAD;
	/* Lock i is held at edge i and wanted at edge i-1. */
	for (unsigned i = 0; i < n; i++) {
		const struct sig *hold = &s->sigs[j->cur[i]];
		const struct sig *want = &s->sigs[j->cur[(i + n - 1) % n]];
		if (hold->held_shared && want->shared)
			return SV_READ_SHARED;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct sig *a = &s->sigs[j->cur[i]];
		const struct uset *ua = &s->usets[a->held];
		for (uint32_t h = 0; h < ua->n; h++) {
			uint32_t g = s->set_items[ua->first + h];
			/* held for reading as `from` of edge i? */
			int a_shared = a->held_shared &&
				       s->edges[a->edge].u == g;
			for (unsigned k = i + 1; k < n; k++) {
				const struct sig *b = &s->sigs[j->cur[k]];
				if (!uset_has(s, b->held, g))
					continue;
				int b_shared = b->held_shared &&
					       s->edges[b->edge].u == g;
				if (a_shared && b_shared)
					continue;
				*gate = g;
				return SV_GUARDED;
			}
		}
	}
	return j->any_many ? SV_CLASS_CYCLE : SV_DEADLOCK_POSSIBLE;
}

/* Whether one process made every signature of the choice. */
static int one_process_made_all(const struct judge *j)
{
	const lc_suite *s = j->s;
	const struct sig *first = &s->sigs[j->cur[0]];
	for (size_t p = 0; p < first->n_seen; p++) {
		uint32_t proc = first->seen[p].proc;
		unsigned i;
		for (i = 1; i < j->n; i++) {
			const struct sig *g = &s->sigs[j->cur[i]];
			size_t lo = 0, hi = g->n_seen;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (g->seen[mid].proc < proc)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo == g->n_seen || g->seen[lo].proc != proc)
				break;
		}
		if (i == j->n)
			return 1;
	}
	return 0;
}

/* Enumerates the choices for edges i.. (depth-first); returns 1 to stop. */
static int search(struct judge *j, unsigned i)
{
	const lc_suite *s = j->s;
	int top = j->any_many ? SV_CLASS_CYCLE : SV_DEADLOCK_POSSIBLE;
	if (i == j->n) {
		if (++j->steps > SUITE_BUDGET) {
			j->gave_up = 1;
			return 1;
		}
		uint32_t gate;
		int v = choice_verdict(j, &gate);
		if (v <= j->best_v || one_process_made_all(j))
			return 0;
		j->best_v = v;
		j->best_gate = gate;
		memcpy(j->best, j->cur, j->n * sizeof(*j->cur));
		return v == top;
	}
	const struct sedge *e = &s->edges[j->cyc[i]];
	for (size_t k = 0; k < e->n_sigs; k++) {
		j->cur[i] = e->sigs[k];
		if (search(j, i + 1))
			return 1;
	}
	return 0;
}

/* --- the finding ---------------------------------------------------------- */

static const char *base_name(const char *path)
{
	if (!path)
		return "?";
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* "function" or "module+0xOFF" of a role's frame. */
static void put_sframe(lc_buf *b, const struct sframe *f)
{
	if (f->function)
		lc_buf_puts(b, f->function);
	else
		lc_buf_printf(b, "%s+0x%" PRIx64, base_name(f->module),
			      f->offset);
}

/* The description of a role, as the finding names its thread. */
static void role_desc(lc_buf *b, const struct role *r)
{
	if (!strcmp(r->kind, "main")) {
		lc_buf_printf(b, "main thread of %s", base_name(r->exe_path));
	} else if (!strcmp(r->kind, "other")) {
		lc_buf_printf(b, "a thread of %s not started by "
			      "pthread_create", base_name(r->exe_path));
	} else {
		lc_buf_puts(b, r->pool ? "pool thread " : "thread ");
		put_sframe(b, &r->routine);
		if (r->site.module || r->site.function) {
			lc_buf_puts(b, " started in ");
			put_sframe(b, &r->site);
		}
	}
	if (r->name)
		lc_buf_printf(b, ", named %s", r->name);
}

static void *set_alloc(lc_report_set *set, size_t n)
{
	void *p = lc_read_alloc(set, n);
	if (!p)
		oom_exit();
	return p;
}

static const char *set_str(lc_report_set *set, const char *s)
{
	if (!s)
		return NULL;
	char *p = lc_read_strdup(set, s);
	if (!p)
		oom_exit();
	return p;
}

/* A suite stack as a finding's stack, owned by the set. */
static lc_stack set_stack(const lc_suite *s, lc_report_set *set, uint32_t k)
{
	lc_stack st = {NULL, 0};
	if (k == UINT32_MAX)
		return st;
	const struct sstack *ss = &s->stacks[k];
	lc_frame *fr = set_alloc(set, ss->depth * sizeof(*fr));
	for (uint32_t i = 0; i < ss->depth; i++) {
		const struct sframe *f = &s->frames[ss->first + i];
		fr[i].pc = f->pc;
		fr[i].module = set_str(set, f->module);
		fr[i].offset = f->offset;
		fr[i].function = set_str(set, f->function);
	}
	st.frames = fr;
	st.depth = ss->depth;
	return st;
}

static void fill_lock(const lc_suite *s, lc_report_set *set, uint32_t node,
		      unsigned id, lc_finding_lock *l)
{
	const struct node *n = &s->nodes[node];
	l->id = id;
	l->address = n->address;
	l->type = set_str(set, n->type ? n->type : "lock");
	l->name = set_str(set, n->name);
	l->identity = set_str(set, n->identity);
	l->created = set_stack(s, set, n->created);
}

static const char *mode_name(const struct node *n, int shared)
{
	if (!n->type || strcmp(n->type, "rwlock"))
		return NULL;
	return shared ? "read" : "write";
}

/* The cycle's id (detect_order.c's cycle_id over fingerprints) and the
 * position of the node it starts from. */
static uint64_t cycle_id(const lc_suite *s, const uint32_t *cyc, unsigned n,
			 unsigned *start)
{
	*start = 0;
	for (unsigned i = 1; i < n; i++)
		if (strcmp(s->nodes[s->edges[cyc[i]].u].fingerprint,
			   s->nodes[s->edges[cyc[*start]].u].fingerprint) < 0)
			*start = i;
	uint64_t id = lc_hash_str(LC_HASH_START, "lock-order-inversion");
	for (unsigned k = 0; k < n; k++)
		id = lc_hash_str(lc_hash_str(id, "\n"),
				 s->nodes[s->edges[cyc[(*start + k) % n]].u]
					 .fingerprint);
	return id;
}

/* The best verdict rank (and severity) among the processes' findings of
 * id; SV_NONE when none. */
static int process_verdict(const lc_report_set *set, const char *id,
			   int *severity)
{
	int best = SV_NONE;
	*severity = -1;
	for (size_t i = 0; i < set->n_findings; i++) {
		const lc_rfinding *r = &set->findings[i];
		if (r->suite || strcmp(r->f.id, id))
			continue;
		int v = sv_parse(r->f.verdict);
		if (v == SV_NONE)
			v = SV_DEADLOCK_POSSIBLE; /* unknown: do not override */
		if (v > best)
			best = v;
		if ((int)r->f.severity > *severity)
			*severity = (int)r->f.severity;
	}
	return best;
}

static void add_set_finding(lc_report_set *set, const lc_finding *f)
{
	if (set->n_findings == set->cap_findings) {
		size_t cap = set->cap_findings ? set->cap_findings * 2 : 64;
		set->findings = xrealloc(set->findings, cap,
					 sizeof(*set->findings));
		set->cap_findings = cap;
	}
	lc_rfinding *r = &set->findings[set->n_findings++];
	memset(r, 0, sizeof(*r));
	r->f = *f;
	r->file = "(suite)";
	r->process = (size_t)-1;
	r->suite = 1;
}

/* Makes the finding of cycle cyc (rotated to start) for the choice j->best,
 * unless a process's finding of its id is as close to a deadlock. Returns
 * 1 when added. */
static int make_finding(const struct judge *j, lc_report_set *set,
			unsigned start, uint64_t idv)
{
	const lc_suite *s = j->s;
	unsigned n = j->n;
	char idbuf[32];
	lc_format_id(idbuf, idv);
	lc_severity sev = j->best_v == SV_DEADLOCK_POSSIBLE ? LC_SEV_ERROR
							    : LC_SEV_WARNING;
	int psev;
	int pv = process_verdict(set, idbuf, &psev);
	if (pv >= j->best_v || psev > (int)sev)
		return 0;

	lc_finding f;
	memset(&f, 0, sizeof(f));
	f.kind = LC_KIND_LOCK_ORDER_INVERSION;
	f.severity = sev;
	f.id = set_str(set, idbuf);
	f.verdict = sv_names[j->best_v];
	unsigned n_locks = n;
	int gate_in_cycle = 0;
	for (unsigned i = 0; i < n; i++)
		gate_in_cycle |= s->edges[j->cyc[i]].u == j->best_gate;
	if (j->best_v == SV_GUARDED && j->best_gate != UINT32_MAX &&
	    !gate_in_cycle)
		n_locks++;
	lc_finding_lock *locks = set_alloc(set, n_locks * sizeof(*locks));
	lc_finding_thread *threads = set_alloc(set, n * sizeof(*threads));
	lc_finding_edge *edges = set_alloc(set, n * sizeof(*edges));
	unsigned *cycle = set_alloc(set, n * sizeof(*cycle));
	unsigned *fix_order = set_alloc(set, n * sizeof(*fix_order));
	unsigned *fix_break = set_alloc(set, sizeof(*fix_break));
	uint32_t roles[SUITE_CYCLE_LEN], procs[SUITE_CYCLE_LEN];
	unsigned n_threads = 0, n_procs = 0;
	unsigned long dropped = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned at = (start + i) % n;
		const struct sedge *e = &s->edges[j->cyc[at]];
		const struct sig *g = &s->sigs[j->best[at]];
		dropped += e->dropped;
		fill_lock(s, set, e->u, i + 1, &locks[i]);
		cycle[i] = i + 1;
		if (e->u == j->best_gate)
			f.gate = i + 1;
		unsigned t;
		for (t = 0; t < n_threads && roles[t] != g->role; t++)
			;
		if (t == n_threads) {
			lc_buf b = {0};
			role_desc(&b, &s->roles[g->role]);
			roles[n_threads] = g->role;
			threads[n_threads] = (lc_finding_thread){
				n_threads + 1,
				set_str(set, b.data ? b.data : "")};
			lc_buf_free(&b);
			n_threads++;
		}
		/* The process shown: the first that made the signature. */
		const struct seen *sn = &g->seen[0];
		unsigned p;
		for (p = 0; p < n_procs && procs[p] != sn->proc; p++)
			;
		if (p == n_procs)
			procs[n_procs++] = sn->proc;
		lc_finding_edge *fe = &edges[i];
		fe->from = i + 1;
		fe->to = (i + 1) % n + 1;
		fe->thread = t + 1;
		fe->held_mode = mode_name(&s->nodes[e->u], g->held_shared);
		fe->mode = mode_name(&s->nodes[e->v], g->shared);
		fe->stack = set_stack(s, set, sn->stack);
		fe->held_stack = set_stack(s, set, sn->held_stack);
		if (sn->proc < set->n_procs) {
			const lc_rprocess *rp = &set->procs[sn->proc];
			lc_finding_process *fp = set_alloc(set, sizeof(*fp));
			fp->pid = rp->pid;
			fp->exe = rp->exe;
			fp->argv = rp->argv;
			fp->argc = rp->argc;
			fe->process = fp;
			if (i == 0)
				f.pid = rp->pid;
		}
	}
	if (n_locks > n)
		fill_lock(s, set, j->best_gate, n + 1, &locks[n]);
	if (n_locks > n)
		f.gate = n + 1;

	/* The edge to fix: the one made in the fewest contexts, the later
	 * of equals; the order the rest follows starts at its target. */
	unsigned odd = 0;
	for (unsigned i = 1; i < n; i++) {
		const struct sedge *a = &s->edges[j->cyc[(start + i) % n]];
		const struct sedge *b = &s->edges[j->cyc[(start + odd) % n]];
		if (a->n_sigs + a->dropped <= b->n_sigs + b->dropped)
			odd = i;
	}
	fix_break[0] = odd;
	for (unsigned k = 0; k < n; k++)
		fix_order[k] = cycle[(odd + 1 + k) % n];

	lc_buf msg = {0};
	lc_buf_printf(&msg, "cycle of %u locks: ", n);
	for (unsigned i = 0; i <= n; i++) {
		const lc_finding_lock *l = &locks[i % n];
		if (i)
			lc_buf_puts(&msg, " => ");
		if (l->name)
			lc_buf_puts(&msg, l->name);
		else
			lc_buf_printf(&msg, "M%u", l->id);
	}
	lc_buf_printf(&msg, " (across %u process%s)", n_procs,
		      n_procs == 1 ? "" : "es");
	if (j->gave_up)
		lc_buf_puts(&msg, " (verdict search ran out of budget: the "
			    "best verdict found is shown)");
	else if (dropped && j->best_v != SV_DEADLOCK_POSSIBLE)
		lc_buf_puts(&msg, " (some contexts were not kept: see limits)");
	f.message = set_str(set, msg.data ? msg.data : "");
	lc_buf_free(&msg);

	f.locks = locks;
	f.n_locks = n_locks;
	f.threads = threads;
	f.n_threads = n_threads;
	f.cycle = cycle;
	f.n_cycle = n;
	f.edges = edges;
	f.n_edges = n;
	f.fix_order = fix_order;
	f.n_fix_order = n;
	f.fix_break = fix_break;
	f.n_fix_break = 1;
	add_set_finding(set, &f);
	return 1;
}

unsigned lc_suite_judge(lc_suite *s, lc_report_set *set)
{
	if (!s->n_edges)
		return 0;
	struct adj a;
	adj_build(s, &a);
	uint32_t *comp = scc(s, &a);
	uint32_t *prev = xrealloc(NULL, s->n_nodes, sizeof(*prev));
	uint32_t *queue = xrealloc(NULL, s->n_nodes, sizeof(*queue));
	for (size_t i = 0; i < s->n_nodes; i++)
		prev[i] = UINT32_MAX;
	struct htab seen_ids = {0};
	uint64_t *ids = NULL;
	size_t n_ids = 0, cap_ids = 0;
	unsigned added = 0;
	int said_len = 0, said_cycles = 0, said_budget = 0;
	struct judge *j = xrealloc(NULL, 1, sizeof(*j));
	for (size_t ei = 0; ei < s->n_edges; ei++) {
		const struct sedge *e = &s->edges[ei];
		if (comp[e->u] != comp[e->v])
			continue;
		uint32_t cyc[SUITE_CYCLE_LEN];
		cyc[0] = (uint32_t)ei;
		unsigned len = shortest_path(s, &a, comp, e->v, e->u, prev,
					     queue, cyc + 1,
					     SUITE_CYCLE_LEN - 1);
		if (!len) {
			if (!said_len++)
				fprintf(stderr, "%s: suite: a cycle longer than "
					"%d locks is not judged\n", s->prog,
					SUITE_CYCLE_LEN);
			continue;
		}
		unsigned n = len + 1, start;
		uint64_t id = cycle_id(s, cyc, n, &start);
		size_t pos = SIZE_MAX;
		uint32_t k;
		int dup = 0;
		while ((k = htab_next(&seen_ids, id, &pos)) != UINT32_MAX)
			dup |= ids[k] == id;
		if (dup)
			continue;
		if (n_ids >= SUITE_CYCLES_MAX) {
			if (!said_cycles++)
				fprintf(stderr, "%s: suite: more than %d "
					"cycles; the others are not judged\n",
					s->prog, SUITE_CYCLES_MAX);
			break;
		}
		grow(&ids, &cap_ids, n_ids + 1, sizeof(*ids));
		ids[n_ids] = id;
		htab_put(&seen_ids, id, (uint32_t)n_ids++);

		memset(j, 0, sizeof(*j));
		j->s = s;
		j->cyc = cyc;
		j->n = n;
		j->best_v = SV_NONE;
		j->best_gate = UINT32_MAX;
		for (unsigned i = 0; i < n; i++)
			j->any_many |= s->nodes[s->edges[cyc[i]].u].many;
		search(j, 0);
		if (j->gave_up && !said_budget++)
			fprintf(stderr, "%s: suite: the verdict search ran out "
				"of budget on a cycle; its best verdict found "
				"is reported\n", s->prog);
		if (j->best_v == SV_NONE)
			continue; /* every choice was one process's own */
		added += (unsigned)make_finding(j, set, start, id);
	}
	free(j);
	free(ids);
	free(seen_ids.s);
	free(prev);
	free(queue);
	free(comp);
	free(a.off);
	free(a.out);
	return added;
}

void lc_suite_free(lc_suite *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_strs; i++)
		free(s->strs[i]);
	free(s->strs);
	free(s->str_tab.s);
	free(s->frames);
	free(s->stacks);
	free(s->stack_tab.s);
	free(s->set_items);
	free(s->usets);
	free(s->uset_tab.s);
	free(s->nodes);
	free(s->node_tab.s);
	for (size_t i = 0; i < s->n_roles; i++)
		free(s->roles[i].exes);
	free(s->roles);
	free(s->role_tab.s);
	free(s->exes);
	free(s->exe_tab.s);
	for (size_t i = 0; i < s->n_edges; i++)
		free(s->edges[i].sigs);
	free(s->edges);
	free(s->edge_tab.s);
	for (size_t i = 0; i < s->n_sigs; i++)
		free(s->sigs[i].seen);
	free(s->sigs);
	free(s->sig_tab.s);
	free(s);
}
