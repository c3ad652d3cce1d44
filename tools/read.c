/*
 * read.c: report files (JSON Lines) back into lc_finding structures.
 *
 * Each line is parsed on its own with jansson and converted at once; nothing
 * of the JSON tree outlives its line. Converted data goes into an arena of
 * malloc'd chunks owned by the set, so a finding's many small strings and
 * arrays need no individual bookkeeping and are freed together. A line is
 * converted completely before it is added: a line that fails half-way leaves
 * nothing behind but some arena bytes, so the set never holds half a finding.
 *
 * Strictness is by field, not by line: a field this reader knows must have
 * the documented type (a hex string for addresses, an integer for ids, ...)
 * or the whole line is rejected with a message naming the field; a field it
 * does not know is ignored. The per-file state is only "the current process"
 * (the last start event), which findings and the end event belong to.
 *
 * Not done here: symbolisation (module + offset to file:line), merging and
 * de-duplication (the commands do that), any check of a finding's internal
 * consistency (tests/expect_check.c does that).
 */
#define _GNU_SOURCE
#include "read.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Arena chunks: at least this many bytes each. */
#define ARENA_CHUNK (64 * 1024)

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct lc_read_internal {
	struct chunk *chunks;
	/* The chunks of the graph event being read when a graph sink takes
	 * it (read.h: streaming): freed once the sink returns. */
	struct chunk *scratch;
	int use_scratch;
	char **warned_kinds;     /* unknown kind names already warned about */
	size_t n_warned, cap_warned;
	int warned_more;         /* said that further kinds go unnamed */
};

/* The state of reading one line. err holds the complaint when a parse
 * function returns -1. */
struct ctx {
	lc_report_set *set;
	const char *file;        /* arena copy */
	unsigned line;
	int not_json;            /* the complaint is that the line is not JSON */
	unsigned soft_errors;    /* reported and counted, the line still read */
	char err[512];
};

static FILE *diag(const lc_report_set *set)
{
	return set->diag ? set->diag : stderr;
}

static int ensure_internal(lc_report_set *set)
{
	if (set->in)
		return 0;
	set->in = calloc(1, sizeof(*set->in));
	return set->in ? 0 : -1;
}

/* Returns n bytes of zeroed, maximally aligned memory owned by the set, or
 * NULL when out of memory. */
static void *arena_alloc(lc_report_set *set, size_t n)
{
	if (ensure_internal(set) < 0)
		return NULL;
	size_t align = _Alignof(max_align_t);
	if (n > SIZE_MAX - align)
		return NULL;
	n = (n + align - 1) / align * align;
	struct chunk **head = set->in->use_scratch ? &set->in->scratch
						   : &set->in->chunks;
	struct chunk *c = *head;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = *head;
		c->used = 0;
		c->cap = cap;
		*head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

static void free_chunks(struct chunk *ch)
{
	while (ch) {
		struct chunk *next = ch->next;
		free(ch);
		ch = next;
	}
}

/* Ends a graph event read into the scratch chunks: everything of it goes. */
static void scratch_release(lc_report_set *set)
{
	if (!set->in)
		return;
	set->in->use_scratch = 0;
	free_chunks(set->in->scratch);
	set->in->scratch = NULL;
}

static char *arena_strdup(lc_report_set *set, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = arena_alloc(set, n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* Bytes of a report's value quoted in a diagnostic, at most. */
#define SHOWN_MAX 40

/* s made fit to quote in a one-line diagnostic: at most max bytes ("..."
 * marks a cut), control characters as '?'. A decoded JSON string may hold
 * anything, "\n" included, and each diagnostic must stay one line. out has
 * room for max + 4 bytes. Returns out. */
static const char *shown(const char *s, char *out, size_t max)
{
	size_t n = 0;
	for (; s[n] && n < max; n++) {
		unsigned char ch = (unsigned char)s[n];
		out[n] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	if (s[n]) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}

static int fail(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(struct ctx *c)
{
	return fail(c, "out of memory");
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "an unknown JSON value";
}

int lc_read_hex(const char *s, uint64_t *out)
{
	if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	s += 2;
	if (!*s || strlen(s) > 16)
		return -1;
	uint64_t v = 0;
	for (; *s; s++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

/* Field flags. */
#define REQ 1      /* must be present */
#define NULLOK 2   /* null is allowed (and reads as absent) */

/* Reads an integer field into *out, within [min, max]. Returns 1 if read,
 * 0 if absent (or null with NULLOK), -1 on error. */
static int get_int(struct ctx *c, json_t *o, const char *where,
		   const char *key, int flags, long long min, long long max,
		   long long *out)
{
	json_t *v = json_object_get(o, key);
	if (!v || (json_is_null(v) && (flags & NULLOK))) {
		if (flags & REQ)
			return fail(c, "%s: no \"%s\" field", where, key);
		return 0;
	}
	if (!json_is_integer(v))
		return fail(c, "%s: \"%s\" should be an integer, not %s",
			    where, key, type_name(v));
	long long x = json_integer_value(v);
	if (x < min || x > max)
		return fail(c, "%s: \"%s\" is %lld, out of range [%lld, %lld]",
			    where, key, x, min, max);
	*out = x;
	return 1;
}

static int get_uint(struct ctx *c, json_t *o, const char *where,
		    const char *key, int flags, unsigned *out)
{
	long long x;
	int r = get_int(c, o, where, key, flags, 0, UINT_MAX, &x);
	if (r == 1)
		*out = (unsigned)x;
	return r;
}

/* Reads a string field, copied into the arena. Returns 1, 0 (absent or
 * null with NULLOK: *out = NULL) or -1. */
static int get_str(struct ctx *c, json_t *o, const char *where,
		   const char *key, int flags, const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || (json_is_null(v) && (flags & NULLOK))) {
		if (flags & REQ)
			return fail(c, "%s: no \"%s\" field", where, key);
		return 0;
	}
	if (!json_is_string(v))
		return fail(c, "%s: \"%s\" should be a string, not %s", where,
			    key, type_name(v));
	*out = arena_strdup(c->set, json_string_value(v));
	if (!*out)
		return oom(c);
	return 1;
}

static int get_hex(struct ctx *c, json_t *o, const char *where,
		   const char *key, int flags, uint64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!v || (json_is_null(v) && (flags & NULLOK))) {
		if (flags & REQ)
			return fail(c, "%s: no \"%s\" field", where, key);
		return 0;
	}
	if (!json_is_string(v))
		return fail(c,
			    "%s: \"%s\" should be a hex string like \"0x7f12\", "
			    "not %s", where, key, type_name(v));
	char q[SHOWN_MAX + 4];
	if (lc_read_hex(json_string_value(v), out) < 0)
		return fail(c,
			    "%s: \"%s\" is \"%s\", not a hex string like "
			    "\"0x7f12\"", where, key,
			    shown(json_string_value(v), q, SHOWN_MAX));
	return 1;
}

/* Returns the array at key (NULL if absent or null), or sets an error. */
static int get_array(struct ctx *c, json_t *o, const char *where,
		     const char *key, json_t **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return fail(c, "%s: \"%s\" should be an array, not %s", where,
			    key, type_name(v));
	*out = v;
	return 1;
}

/* The fields of one FRAME object fr (named w in diagnostics) into *f;
 * pc_flags: REQ in a stack, NULLOK for a lone frame. */
static int parse_frame_fields(struct ctx *c, json_t *fr, const char *w,
			      int pc_flags, lc_frame *f)
{
	long long line = 0;
	if (get_hex(c, fr, w, "pc", pc_flags, &f->pc) < 0 ||
	    get_str(c, fr, w, "module", NULLOK, &f->module) < 0 ||
	    get_hex(c, fr, w, "offset", NULLOK, &f->offset) < 0 ||
	    get_str(c, fr, w, "function", NULLOK, &f->function) < 0 ||
	    get_str(c, fr, w, "symbol", NULLOK, &f->symbol) < 0 ||
	    get_str(c, fr, w, "file", NULLOK, &f->file) < 0 ||
	    get_int(c, fr, w, "line", NULLOK, 0, INT_MAX, &line) < 0)
		return -1;
	f->line = (int)line;
	return 0;
}

/* Allocates n elements of size sz (n may be 0: returns a non-NULL pointer
 * anyway so callers need not special-case it). */
static void *alloc_array(lc_report_set *set, size_t n, size_t sz)
{
	if (n && sz > SIZE_MAX / n)
		return NULL;
	return arena_alloc(set, n ? n * sz : 1);
}

static int parse_stack(struct ctx *c, json_t *o, const char *where,
		       const char *key, lc_stack *out)
{
	json_t *arr;
	out->frames = NULL;
	out->depth = 0;
	if (get_array(c, o, where, key, &arr) < 0)
		return -1;
	if (!arr)
		return 0;
	size_t n = json_array_size(arr);
	if (n > UINT_MAX)
		return fail(c, "%s: \"%s\" is too long", where, key);
	lc_frame *frames = alloc_array(c->set, n, sizeof(*frames));
	if (!frames)
		return oom(c);
	for (size_t i = 0; i < n; i++) {
		char w[256];
		json_t *fr = json_array_get(arr, i);
		snprintf(w, sizeof(w), "%s.%s[%zu]", where, key, i);
		if (!json_is_object(fr))
			return fail(c, "%s should be an object, not %s", w,
				    type_name(fr));
		if (parse_frame_fields(c, fr, w, REQ, &frames[i]) < 0)
			return -1;
	}
	out->frames = frames;
	out->depth = (unsigned)n;
	return 0;
}

/* Parses one object of an array into the element at out. */
typedef int (*item_parser)(struct ctx *c, json_t *item, const char *where,
			   void *out);

/* Parses the array of objects at key: allocates n elements of size sz,
 * fills each with parse. An absent or null array is empty. */
static int parse_objects_of(struct ctx *c, json_t *o, const char *event,
			    const char *key, size_t sz, item_parser parse,
			    void **out, unsigned *n_out)
{
	json_t *arr;
	if (get_array(c, o, event, key, &arr) < 0)
		return -1;
	size_t n = arr ? json_array_size(arr) : 0;
	if (n > UINT_MAX)
		return fail(c, "%s: \"%s\" is too long", event, key);
	char *items = alloc_array(c->set, n, sz);
	if (!items)
		return oom(c);
	for (size_t i = 0; i < n; i++) {
		char w[64];
		json_t *item = json_array_get(arr, i);
		snprintf(w, sizeof(w), "%s: %s[%zu]", event, key, i);
		if (!json_is_object(item))
			return fail(c, "%s should be an object, not %s", w,
				    type_name(item));
		if (parse(c, item, w, items + i * sz) < 0)
			return -1;
	}
	*out = items;
	*n_out = (unsigned)n;
	return 0;
}

/* parse_objects_of for a finding's arrays. */
static int parse_objects(struct ctx *c, json_t *o, const char *key, size_t sz,
			 item_parser parse, void **out, unsigned *n_out)
{
	return parse_objects_of(c, o, "finding", key, sz, parse, out, n_out);
}

static int parse_lock(struct ctx *c, json_t *l, const char *w, void *out)
{
	lc_finding_lock *k = out;
	if (get_uint(c, l, w, "id", REQ, &k->id) < 0 ||
	    get_hex(c, l, w, "address", NULLOK, &k->address) < 0 ||
	    get_str(c, l, w, "type", NULLOK, &k->type) < 0 ||
	    get_str(c, l, w, "name", NULLOK, &k->name) < 0 ||
	    get_str(c, l, w, "symbol", NULLOK, &k->symbol) < 0 ||
	    get_str(c, l, w, "identity", NULLOK, &k->identity) < 0 ||
	    parse_stack(c, l, w, "created", &k->created) < 0)
		return -1;
	json_t *dead = json_object_get(l, "destroyed");
	if (dead && !json_is_boolean(dead))
		return fail(c, "%s: \"destroyed\" should be true or false, "
			    "not %s", w, type_name(dead));
	k->destroyed = dead && json_is_true(dead);
	long long bit = 0;
	if (get_int(c, l, w, "bit", NULLOK, 0, 63, &bit) < 0)
		return -1;
	k->bit = (int)bit;
	return 0;
}

static int parse_thread(struct ctx *c, json_t *t, const char *w, void *out)
{
	lc_finding_thread *th = out;
	if (get_uint(c, t, w, "id", REQ, &th->id) < 0 ||
	    get_str(c, t, w, "name", NULLOK, &th->name) < 0)
		return -1;
	return 0;
}

/* An array of strings at key (absent or null: empty), copied. */
static int get_strings(struct ctx *c, json_t *o, const char *where,
		       const char *key, const char *const **out,
		       unsigned *n_out)
{
	json_t *arr;
	*out = NULL;
	*n_out = 0;
	if (get_array(c, o, where, key, &arr) < 0)
		return -1;
	size_t n = arr ? json_array_size(arr) : 0;
	if (n > UINT_MAX)
		return fail(c, "%s: \"%s\" is too long", where, key);
	const char **items = alloc_array(c->set, n, sizeof(*items));
	if (!items)
		return oom(c);
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_array_get(arr, i);
		if (!json_is_string(a))
			return fail(c, "%s: %s[%zu] should be a string, not %s",
				    where, key, i, type_name(a));
		items[i] = arena_strdup(c->set, json_string_value(a));
		if (!items[i])
			return oom(c);
	}
	*out = items;
	*n_out = (unsigned)n;
	return 0;
}

/* A suite finding's edge names the process it was seen in:
 * "process":{"pid":N,"exe":"..","argv":[..]} (absent or null: none). */
static int parse_edge_process(struct ctx *c, json_t *e, const char *w,
			      lc_finding_edge *d)
{
	json_t *pr = json_object_get(e, "process");
	if (!pr || json_is_null(pr))
		return 0;
	if (!json_is_object(pr))
		return fail(c, "%s: \"process\" should be an object, not %s",
			    w, type_name(pr));
	lc_finding_process *p = arena_alloc(c->set, sizeof(*p));
	if (!p)
		return oom(c);
	char pw[96];
	long long pid;
	snprintf(pw, sizeof(pw), "%s.process", w);
	if (get_int(c, pr, pw, "pid", REQ, 0, INT_MAX, &pid) < 0 ||
	    get_str(c, pr, pw, "exe", NULLOK, &p->exe) < 0 ||
	    get_strings(c, pr, pw, "argv", &p->argv, &p->argc) < 0)
		return -1;
	p->pid = (int)pid;
	d->process = p;
	return 0;
}

static int parse_edge(struct ctx *c, json_t *e, const char *w, void *out)
{
	lc_finding_edge *d = out;
	if (get_uint(c, e, w, "from", REQ, &d->from) < 0 ||
	    get_uint(c, e, w, "to", REQ, &d->to) < 0 ||
	    get_uint(c, e, w, "thread", 0, &d->thread) < 0 ||
	    get_str(c, e, w, "held_mode", NULLOK, &d->held_mode) < 0 ||
	    get_str(c, e, w, "mode", NULLOK, &d->mode) < 0 ||
	    parse_stack(c, e, w, "held_stack", &d->held_stack) < 0 ||
	    parse_stack(c, e, w, "stack", &d->stack) < 0 ||
	    parse_edge_process(c, e, w, d) < 0)
		return -1;
	return 0;
}

static int parse_site(struct ctx *c, json_t *e, const char *w, void *out)
{
	lc_finding_site *s = out;
	if (get_str(c, e, w, "what", NULLOK, &s->what) < 0 ||
	    get_uint(c, e, w, "thread", 0, &s->thread) < 0 ||
	    get_uint(c, e, w, "lock", 0, &s->lock) < 0 ||
	    parse_stack(c, e, w, "frames", &s->stack) < 0)
		return -1;
	return 0;
}

/* Parses arr (NULL: empty), an array of unsigned integers named key in
 * diagnostics. */
static int parse_uint_array(struct ctx *c, json_t *arr, const char *where,
			    const char *key, const unsigned **out,
			    unsigned *n_out)
{
	size_t n = arr ? json_array_size(arr) : 0;
	unsigned *items = alloc_array(c->set, n, sizeof(*items));
	if (!items)
		return oom(c);
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_integer(v))
			return fail(c, "%s: %s[%zu] should be an integer, not %s",
				    where, key, i, type_name(v));
		long long x = json_integer_value(v);
		if (x < 0 || x > UINT_MAX)
			return fail(c, "%s: %s[%zu] is %lld, out of range",
				    where, key, i, x);
		items[i] = (unsigned)x;
	}
	*out = items;
	*n_out = (unsigned)n;
	return 0;
}

/* Parses the array of unsigned integers at key in o (absent: empty). */
static int parse_uints(struct ctx *c, json_t *o, const char *where,
		       const char *key, const unsigned **out, unsigned *n_out)
{
	json_t *arr;
	if (get_array(c, o, where, key, &arr) < 0)
		return -1;
	return parse_uint_array(c, arr, where, key, out, n_out);
}

static int parse_cycle(struct ctx *c, json_t *o, lc_finding *f)
{
	return parse_uints(c, o, "finding", "cycle", &f->cycle, &f->n_cycle);
}

/* The optional "fix": {"order":[lock ids], "break":[edge indices]}. */
static int parse_fix(struct ctx *c, json_t *o, lc_finding *f)
{
	json_t *fix = json_object_get(o, "fix");
	if (!fix || json_is_null(fix))
		return 0;
	if (!json_is_object(fix))
		return fail(c, "finding: \"fix\" should be an object, not %s",
			    type_name(fix));
	return parse_uints(c, fix, "finding: fix", "order", &f->fix_order,
			   &f->n_fix_order) < 0 ||
			       parse_uints(c, fix, "finding: fix", "break",
					   &f->fix_break, &f->n_fix_break) < 0
		       ? -1
		       : 0;
}

static int parse_graph_lock(struct ctx *c, json_t *l, const char *w,
			    void *out)
{
	lc_rgraph_lock *k = out;
	if (get_uint(c, l, w, "id", REQ, &k->id) < 0 ||
	    get_hex(c, l, w, "address", NULLOK, &k->address) < 0 ||
	    get_str(c, l, w, "type", NULLOK, &k->type) < 0 ||
	    get_str(c, l, w, "name", NULLOK, &k->name) < 0 ||
	    get_str(c, l, w, "symbol", NULLOK, &k->symbol) < 0 ||
	    get_str(c, l, w, "identity", NULLOK, &k->identity) < 0 ||
	    parse_stack(c, l, w, "created", &k->created) < 0)
		return -1;
	k->cls = LC_RGRAPH_NONE;
	return 0;
}

static int parse_graph_edge(struct ctx *c, json_t *e, const char *w,
			    void *out)
{
	lc_rgraph_edge *d = out;
	long long count = 1;
	if (get_uint(c, e, w, "from", REQ, &d->from) < 0 ||
	    get_uint(c, e, w, "to", REQ, &d->to) < 0 ||
	    get_int(c, e, w, "count", NULLOK, 0, LONG_MAX, &count) < 0 ||
	    get_uint(c, e, w, "thread", NULLOK, &d->thread) < 0 ||
	    parse_stack(c, e, w, "stack", &d->stack) < 0 ||
	    parse_stack(c, e, w, "held_stack", &d->held_stack) < 0)
		return -1;
	json_t *dead = json_object_get(e, "destroyed");
	if (dead && !json_is_null(dead) && !json_is_boolean(dead))
		return fail(c, "%s: \"destroyed\" should be true or false, "
			    "not %s", w, type_name(dead));
	d->destroyed = dead && json_is_true(dead);
	d->count = (unsigned long)count;
	return 0;
}

/* --- The suite-wide fields of a graph event (issue 16) ------------------
 * classes, roles, modules, each lock's "class" and each edge's "contexts".
 * They are checked as a whole: numbers that name a class, role or module
 * must name a listed one. Any fault leaves them all out (one diagnostic
 * line; the rest of the graph, which the older commands use, is kept). */

/* Event numbers -> positions in an array: sorted (id, position) pairs. */
struct idpos {
	unsigned id, pos;
};

static int by_idpos(const void *a, const void *b)
{
	const struct idpos *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Builds the map of n ids (the id of element i at ids + i * stride).
 * Returns it (arena memory), or NULL with c->err set (a duplicate id, or
 * out of memory). */
static struct idpos *idpos_build(struct ctx *c, const void *ids, size_t stride,
				 unsigned n, const char *what)
{
	struct idpos *m = alloc_array(c->set, n, sizeof(*m));
	if (!m) {
		oom(c);
		return NULL;
	}
	for (unsigned i = 0; i < n; i++) {
		m[i].id = *(const unsigned *)((const char *)ids + i * stride);
		m[i].pos = i;
	}
	qsort(m, n, sizeof(*m), by_idpos);
	for (unsigned i = 1; i < n; i++)
		if (m[i].id == m[i - 1].id) {
			fail(c, "graph: %s %u is listed twice", what, m[i].id);
			return NULL;
		}
	return m;
}

/* The position of id in map (n entries), or LC_RGRAPH_NONE. */
static unsigned idpos_find(const struct idpos *m, unsigned n, unsigned id)
{
	struct idpos key = {id, 0};
	const struct idpos *hit = bsearch(&key, m, n, sizeof(*m), by_idpos);
	return hit ? hit->pos : LC_RGRAPH_NONE;
}

/* Reads an optional boolean field; absent or null: 0. */
static int get_bool(struct ctx *c, json_t *o, const char *where,
		    const char *key, int *out)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return fail(c, "%s: \"%s\" should be true or false, not %s",
			    where, key, type_name(v));
	*out = json_is_true(v);
	return 1;
}

/* One entry of a graph's "held_sets": classes as positions. */
struct held_set {
	const unsigned *items;
	unsigned n;
};

struct graph_maps {
	const struct idpos *classes, *roles, *modules;
	unsigned n_classes, n_roles, n_modules;
	const struct held_set *held_sets; /* shared by contexts' "held_set" */
	unsigned n_held_sets;
};

/* Class ids (held[0..n)) to positions in place; -1 (c->err set) when one
 * is not listed. */
static int held_to_positions(struct ctx *c, const char *w,
			     const struct graph_maps *gm, unsigned *held,
			     unsigned n)
{
	for (unsigned h = 0; h < n; h++) {
		unsigned pos = idpos_find(gm->classes, gm->n_classes, held[h]);
		if (pos == LC_RGRAPH_NONE)
			return fail(c, "%s: held[%u] is class %u, not in "
				    "\"classes\"", w, h, held[h]);
		held[h] = pos;
	}
	return 0;
}

/* The graph's "held_sets" (absent: none): the held class sets its
 * contexts name by index, written once each (a thread holding many locks
 * makes one set per depth, which thousands of edges share). */
static int parse_held_sets(struct ctx *c, json_t *o, struct graph_maps *gm)
{
	json_t *arr;
	if (get_array(c, o, "graph", "held_sets", &arr) < 0)
		return -1;
	size_t n = arr ? json_array_size(arr) : 0;
	if (n > UINT_MAX)
		return fail(c, "graph: \"held_sets\" is too long");
	struct held_set *sets = alloc_array(c->set, n, sizeof(*sets));
	if (!sets)
		return oom(c);
	for (size_t i = 0; i < n; i++) {
		char w[64];
		json_t *one = json_array_get(arr, i);
		snprintf(w, sizeof(w), "graph: held_sets[%zu]", i);
		if (!json_is_array(one))
			return fail(c, "%s should be an array, not %s", w,
				    type_name(one));
		if (parse_uint_array(c, one, w, "held", &sets[i].items,
				     &sets[i].n) < 0 ||
		    held_to_positions(c, w, gm, (unsigned *)sets[i].items,
				      sets[i].n) < 0)
			return -1;
	}
	gm->held_sets = sets;
	gm->n_held_sets = (unsigned)n;
	return 0;
}

static int parse_graph_class(struct ctx *c, json_t *o, const char *w,
			     void *out)
{
	lc_rgraph_class *k = out;
	long long module = -1;
	if (get_uint(c, o, w, "class", REQ, &k->id) < 0 ||
	    get_str(c, o, w, "identity", NULLOK, &k->identity) < 0 ||
	    get_str(c, o, w, "fingerprint", REQ, &k->fingerprint) < 0 ||
	    get_int(c, o, w, "module", NULLOK, 0, UINT_MAX - 1, &module) < 0 ||
	    get_bool(c, o, w, "many", &k->many) < 0)
		return -1;
	if (!k->fingerprint[0])
		return fail(c, "%s: \"fingerprint\" is empty", w);
	/* An event number until the modules are mapped. */
	k->module = module < 0 ? LC_RGRAPH_NONE : (unsigned)module;
	return 0;
}

/* One frame object (a role's "routine" or "site"), absent or null: none. */
static int parse_frame(struct ctx *c, json_t *o, const char *where,
		       const char *key, lc_frame *f, int *has)
{
	json_t *fr = json_object_get(o, key);
	*has = 0;
	if (!fr || json_is_null(fr))
		return 0;
	char w[128];
	snprintf(w, sizeof(w), "%s.%s", where, key);
	if (!json_is_object(fr))
		return fail(c, "%s should be an object, not %s", w,
			    type_name(fr));
	if (parse_frame_fields(c, fr, w, NULLOK, f) < 0)
		return -1;
	*has = 1;
	return 0;
}

static int parse_graph_role(struct ctx *c, json_t *o, const char *w,
			    void *out)
{
	lc_rgraph_role *r = out;
	char q[SHOWN_MAX + 4];
	r->max_live = 1;
	if (get_uint(c, o, w, "role", REQ, &r->id) < 0 ||
	    get_str(c, o, w, "kind", REQ, &r->kind) < 0 ||
	    parse_frame(c, o, w, "routine", &r->routine, &r->has_routine) < 0 ||
	    parse_frame(c, o, w, "site", &r->site, &r->has_site) < 0 ||
	    get_uint(c, o, w, "max_live", NULLOK, &r->max_live) < 0 ||
	    get_uint(c, o, w, "threads", NULLOK, &r->threads) < 0 ||
	    get_str(c, o, w, "name", NULLOK, &r->name) < 0)
		return -1;
	if (strcmp(r->kind, "main") && strcmp(r->kind, "thread") &&
	    strcmp(r->kind, "other"))
		return fail(c, "%s: \"kind\" is \"%s\", not \"main\", "
			    "\"thread\" or \"other\"", w,
			    shown(r->kind, q, SHOWN_MAX));
	if (!strcmp(r->kind, "thread") && !r->has_routine)
		return fail(c, "%s: a \"thread\" role has no \"routine\"", w);
	return 0;
}

static int parse_graph_module(struct ctx *c, json_t *o, const char *w,
			      void *out)
{
	lc_rgraph_module *m = out;
	if (get_uint(c, o, w, "module", REQ, &m->id) < 0 ||
	    get_str(c, o, w, "path", NULLOK, &m->path) < 0 ||
	    get_str(c, o, w, "build_id", NULLOK, &m->build_id) < 0 ||
	    get_bool(c, o, w, "main", &m->main) < 0)
		return -1;
	if (m->build_id && !m->build_id[0])
		m->build_id = NULL;
	if (!m->path && !m->build_id)
		return fail(c, "%s: neither \"path\" nor \"build_id\"", w);
	return 0;
}

/* A lock's "class", as a position. */
static int parse_lock_class(struct ctx *c, json_t *l, const char *w,
			    const struct graph_maps *gm, lc_rgraph_lock *k)
{
	unsigned id = 0;
	int r = get_uint(c, l, w, "class", NULLOK, &id);
	if (r <= 0)
		return r;
	k->cls = idpos_find(gm->classes, gm->n_classes, id);
	if (k->cls == LC_RGRAPH_NONE)
		return fail(c, "%s: \"class\" %u is not in \"classes\"", w,
			    id);
	return 0;
}

/* An edge's "contexts" and "contexts_dropped". */
/* A context in the shim's compact form [role, held_set, flags] (flags: 1
 * held_shared, 2 shared; lib/graph_event.c), role and held_set checked
 * against the graph's lists. */
static int parse_compact_context(struct ctx *c, json_t *x, const char *cw,
				 const struct graph_maps *gm,
				 lc_rgraph_context *k)
{
	const unsigned *v;
	unsigned n;
	if (parse_uint_array(c, x, cw, "context", &v, &n) < 0)
		return -1;
	if (n != 3 || v[2] > 3)
		return fail(c, "%s should be [role, held_set, flags (0 to 3)]",
			    cw);
	k->role = idpos_find(gm->roles, gm->n_roles, v[0]);
	if (k->role == LC_RGRAPH_NONE)
		return fail(c, "%s: role %u is not in \"roles\"", cw, v[0]);
	if (v[1] >= gm->n_held_sets)
		return fail(c, "%s: held set %u is not in \"held_sets\"", cw,
			    v[1]);
	k->held = gm->held_sets[v[1]].items;
	k->n_held = gm->held_sets[v[1]].n;
	k->held_shared = (v[2] & 1) != 0;
	k->shared = (v[2] & 2) != 0;
	return 0;
}

static int parse_edge_contexts(struct ctx *c, json_t *e, const char *w,
			       const struct graph_maps *gm, lc_rgraph_edge *d)
{
	json_t *arr;
	long long dropped = 0;
	if (get_int(c, e, w, "contexts_dropped", NULLOK, 0, LONG_MAX,
		    &dropped) < 0 ||
	    get_array(c, e, w, "contexts", &arr) < 0)
		return -1;
	d->contexts_dropped = (unsigned long)dropped;
	size_t n = arr ? json_array_size(arr) : 0;
	if (n > UINT_MAX)
		return fail(c, "%s: \"contexts\" is too long", w);
	lc_rgraph_context *ctxs = alloc_array(c->set, n, sizeof(*ctxs));
	if (!ctxs)
		return oom(c);
	for (size_t i = 0; i < n; i++) {
		char cw[128];
		json_t *x = json_array_get(arr, i);
		lc_rgraph_context *k = &ctxs[i];
		unsigned role = 0, set = UINT_MAX;
		snprintf(cw, sizeof(cw), "%s.contexts[%zu]", w, i);
		if (json_is_array(x)) {
			if (parse_compact_context(c, x, cw, gm, k) < 0)
				return -1;
			continue;
		}
		if (!json_is_object(x))
			return fail(c, "%s should be an array or an object, "
				    "not %s", cw, type_name(x));
		if (get_uint(c, x, cw, "role", REQ, &role) < 0 ||
		    get_bool(c, x, cw, "held_shared", &k->held_shared) < 0 ||
		    get_bool(c, x, cw, "shared", &k->shared) < 0 ||
		    get_uint(c, x, cw, "held_set", NULLOK, &set) < 0)
			return -1;
		k->role = idpos_find(gm->roles, gm->n_roles, role);
		if (k->role == LC_RGRAPH_NONE)
			return fail(c, "%s: \"role\" %u is not in \"roles\"",
				    cw, role);
		if (set != UINT_MAX) {
			/* The shim's form: an index into "held_sets". */
			if (set >= gm->n_held_sets)
				return fail(c, "%s: \"held_set\" %u is not in "
					    "\"held_sets\"", cw, set);
			k->held = gm->held_sets[set].items;
			k->n_held = gm->held_sets[set].n;
			continue;
		}
		if (parse_uints(c, x, cw, "held", &k->held, &k->n_held) < 0 ||
		    held_to_positions(c, cw, gm, (unsigned *)k->held,
				      k->n_held) < 0)
			return -1;
	}
	d->contexts = ctxs;
	d->n_contexts = (unsigned)n;
	return 0;
}

/* Reads the suite-wide fields into g (whose locks and edges are read
 * already, from the same arrays of o). Returns 0 (g->scoped set when the
 * event has them), or -1 with c->err set: the caller drops them all. */
static int parse_graph_suite(struct ctx *c, json_t *o, lc_rgraph *g)
{
	json_t *classes = json_object_get(o, "classes");
	if (!classes || json_is_null(classes))
		return 0; /* an older shim: no part in the suite merge */
	lc_rgraph_class *cls;
	lc_rgraph_role *roles;
	lc_rgraph_module *mods;
	unsigned n_cls, n_roles, n_mods;
	struct graph_maps gm;
	if (parse_objects_of(c, o, "graph", "classes", sizeof(*cls),
			     parse_graph_class, (void **)&cls, &n_cls) < 0 ||
	    parse_objects_of(c, o, "graph", "roles", sizeof(*roles),
			     parse_graph_role, (void **)&roles, &n_roles) < 0 ||
	    parse_objects_of(c, o, "graph", "modules", sizeof(*mods),
			     parse_graph_module, (void **)&mods, &n_mods) < 0)
		return -1;
	gm.n_classes = n_cls;
	gm.n_roles = n_roles;
	gm.n_modules = n_mods;
	if (!(gm.classes = idpos_build(c, &cls->id, sizeof(*cls), n_cls,
				       "class")) ||
	    !(gm.roles = idpos_build(c, &roles->id, sizeof(*roles), n_roles,
				     "role")) ||
	    !(gm.modules = idpos_build(c, &mods->id, sizeof(*mods), n_mods,
				       "module")))
		return -1;
	gm.held_sets = NULL;
	gm.n_held_sets = 0;
	if (parse_held_sets(c, o, &gm) < 0)
		return -1;
	unsigned main_module = LC_RGRAPH_NONE;
	for (unsigned i = 0; i < n_mods; i++)
		if (mods[i].main && main_module == LC_RGRAPH_NONE)
			main_module = i;
	for (unsigned i = 0; i < n_cls; i++) {
		if (cls[i].module == LC_RGRAPH_NONE)
			continue;
		unsigned pos = idpos_find(gm.modules, n_mods, cls[i].module);
		if (pos == LC_RGRAPH_NONE)
			return fail(c, "graph: classes[%u]: \"module\" %u is "
				    "not in \"modules\"", i, cls[i].module);
		cls[i].module = pos;
	}
	/* The locks' and edges' new fields, by the same indices as the
	 * records parse_graph made of them. */
	json_t *locks = json_object_get(o, "locks");
	json_t *edges = json_object_get(o, "edges");
	lc_rgraph_lock *lk = (lc_rgraph_lock *)g->locks;
	lc_rgraph_edge *ed = (lc_rgraph_edge *)g->edges;
	for (unsigned i = 0; i < g->n_locks; i++) {
		char w[64];
		snprintf(w, sizeof(w), "graph: locks[%u]", i);
		if (parse_lock_class(c, json_array_get(locks, i), w, &gm,
				     &lk[i]) < 0)
			return -1;
	}
	for (unsigned i = 0; i < g->n_edges; i++) {
		char w[64];
		snprintf(w, sizeof(w), "graph: edges[%u]", i);
		if (parse_edge_contexts(c, json_array_get(edges, i), w, &gm,
					&ed[i]) < 0)
			return -1;
	}
	g->classes = cls;
	g->n_classes = n_cls;
	g->roles = roles;
	g->n_roles = n_roles;
	g->modules = mods;
	g->n_modules = n_mods;
	g->main_module = main_module;
	g->scoped = 1;
	return 0;
}

/* Undoes what parse_graph_suite filled before it failed. */
static void unscope_graph(lc_rgraph *g)
{
	lc_rgraph_lock *lk = (lc_rgraph_lock *)g->locks;
	lc_rgraph_edge *ed = (lc_rgraph_edge *)g->edges;
	for (unsigned i = 0; i < g->n_locks; i++)
		lk[i].cls = LC_RGRAPH_NONE;
	for (unsigned i = 0; i < g->n_edges; i++) {
		ed[i].contexts = NULL;
		ed[i].n_contexts = 0;
		ed[i].contexts_dropped = 0;
	}
	g->scoped = 0;
	g->classes = NULL;
	g->roles = NULL;
	g->modules = NULL;
	g->n_classes = g->n_roles = g->n_modules = 0;
	g->main_module = LC_RGRAPH_NONE;
}

/* The compact form of edge stacks (lib/graph_event.c): "frames" lists each
 * distinct frame once, "stacks" each distinct stack as frame indexes, and
 * an edge names its stacks by index ("stack_ref", "held_stack_ref"), a
 * lock its creation site by frame index ("created_frame"). They
 * are resolved here into the edges' stack and held_stack, so that readers
 * of lc_rgraph_edge see the same stacks as from the inline form (still
 * read: older logs). Edges sharing a stack share its frames array. */
static int resolve_stack_refs(struct ctx *c, json_t *o, lc_rgraph *g)
{
	json_t *arr, *edges = json_object_get(o, "edges");
	if (get_array(c, o, "graph", "stacks", &arr) < 0)
		return -1;
	if (!arr)
		return 0;
	lc_stack frames;
	if (parse_stack(c, o, "graph", "frames", &frames) < 0)
		return -1;
	size_t n = json_array_size(arr);
	lc_stack *stacks = alloc_array(c->set, n, sizeof(*stacks));
	if (!stacks)
		return oom(c);
	for (size_t i = 0; i < n; i++) {
		char w[64];
		const unsigned *idx;
		unsigned depth;
		json_t *s = json_array_get(arr, i);
		snprintf(w, sizeof(w), "graph: stacks[%zu]", i);
		if (!json_is_array(s))
			return fail(c, "%s should be an array, not %s", w,
				    type_name(s));
		if (parse_uint_array(c, s, w, "frame", &idx, &depth) < 0)
			return -1;
		lc_frame *f = alloc_array(c->set, depth, sizeof(*f));
		if (!f)
			return oom(c);
		for (unsigned k = 0; k < depth; k++) {
			if (idx[k] >= frames.depth)
				return fail(c, "%s: frame %u is not listed in "
					    "\"frames\"", w, idx[k]);
			f[k] = frames.frames[idx[k]];
		}
		stacks[i] = (lc_stack){ f, depth };
	}
	json_t *locks = json_object_get(o, "locks");
	lc_rgraph_lock *lk = (lc_rgraph_lock *)g->locks;
	for (unsigned i = 0; i < g->n_locks; i++) {
		char w[64];
		unsigned ref = 0;
		snprintf(w, sizeof(w), "graph: locks[%u]", i);
		int r = get_uint(c, json_array_get(locks, i), w,
				 "created_frame", NULLOK, &ref);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		if (ref >= frames.depth)
			return fail(c, "%s: \"created_frame\" %u is not listed "
				    "in \"frames\"", w, ref);
		lk[i].created = (lc_stack){ &frames.frames[ref], 1 };
	}
	lc_rgraph_edge *ed = (lc_rgraph_edge *)g->edges;
	for (unsigned i = 0; i < g->n_edges; i++) {
		static const char *const keys[2] = { "stack_ref",
						     "held_stack_ref" };
		lc_stack *dst[2] = { &ed[i].stack, &ed[i].held_stack };
		json_t *e = json_array_get(edges, i);
		char w[64];
		snprintf(w, sizeof(w), "graph: edges[%u]", i);
		for (int k = 0; k < 2; k++) {
			unsigned ref = 0;
			int r = get_uint(c, e, w, keys[k], NULLOK, &ref);
			if (r < 0)
				return -1;
			if (r == 0)
				continue;
			if (ref >= n)
				return fail(c, "%s: \"%s\" is %u, not a listed "
					    "stack", w, keys[k], ref);
			*dst[k] = stacks[ref];
		}
	}
	return 0;
}

/* Converts a graph line into *g (process and pid are the caller's). */
static int parse_graph(struct ctx *c, json_t *o, lc_rgraph *g)
{
	memset(g, 0, sizeof(*g));
	json_t *so = json_object_get(o, "stacks_omitted");
	if (so && !json_is_null(so)) {
		if (!json_is_boolean(so))
			return fail(c, "graph: \"stacks_omitted\" should be a "
				    "boolean, not %s", type_name(so));
		g->stacks_omitted = json_is_true(so);
	}
	if (parse_objects_of(c, o, "graph", "locks", sizeof(lc_rgraph_lock),
			     parse_graph_lock, (void **)&g->locks,
			     &g->n_locks) < 0 ||
	    parse_objects_of(c, o, "graph", "edges", sizeof(lc_rgraph_edge),
			     parse_graph_edge, (void **)&g->edges,
			     &g->n_edges) < 0 ||
	    resolve_stack_refs(c, o, g) < 0)
		return -1;
	g->file = c->file;
	g->line = c->line;
	g->main_module = LC_RGRAPH_NONE;
	if (parse_graph_suite(c, o, g) < 0) {
		/* One line, and the graph without them: the older commands
		 * lose nothing, the suite merge leaves this process out. */
		fprintf(diag(c->set), "%s: %s:%u: %s; the graph's suite-wide "
			"fields are ignored\n", c->set->prog, c->file, c->line,
			c->err);
		c->set->n_errors++;
		c->soft_errors++;
		unscope_graph(g);
	}
	return 0;
}

static int add_graph(struct ctx *c, const lc_rgraph *g)
{
	lc_report_set *set = c->set;
	if (set->n_graphs == set->cap_graphs) {
		size_t cap = set->cap_graphs ? set->cap_graphs * 2 : 16;
		lc_rgraph *ng = realloc(set->graphs, cap * sizeof(*ng));
		if (!ng)
			return oom(c);
		set->graphs = ng;
		set->cap_graphs = cap;
	}
	set->graphs[set->n_graphs++] = *g;
	return 0;
}

/* Unknown kinds named in warnings, at most: a corrupt file of a million
 * distinct kinds must not cost a million lines and a quadratic search. */
#define WARNED_KINDS_MAX 32

/* Warns about an unknown finding kind, once per kind name per set (once in
 * all beyond WARNED_KINDS_MAX names). */
static void warn_unknown_kind(struct ctx *c, const char *kind)
{
	lc_report_set *set = c->set;
	set->n_unknown++;
	if (ensure_internal(set) < 0)
		return;
	struct lc_read_internal *in = set->in;
	for (size_t i = 0; i < in->n_warned; i++)
		if (!strcmp(in->warned_kinds[i], kind))
			return;
	if (in->n_warned >= WARNED_KINDS_MAX) {
		if (!in->warned_more++)
			fprintf(diag(set),
				"%s: %s:%u: more than %d unknown finding kinds; "
				"the others are skipped without a word\n",
				set->prog, c->file, c->line, WARNED_KINDS_MAX);
		return;
	}
	char q[SHOWN_MAX + 4];
	fprintf(diag(set),
		"%s: %s:%u: unknown finding kind \"%s\" skipped (a newer "
		"shim wrote this report?)\n", set->prog, c->file, c->line,
		shown(kind, q, SHOWN_MAX));
	if (in->n_warned == in->cap_warned) {
		size_t cap = in->cap_warned ? in->cap_warned * 2 : 8;
		char **p = realloc(in->warned_kinds, cap * sizeof(*p));
		if (!p)
			return;
		in->warned_kinds = p;
		in->cap_warned = cap;
	}
	char *dup = strdup(kind);
	if (dup)
		in->warned_kinds[in->n_warned++] = dup;
}

/* Converts a finding line into *out. Returns 0, 1 for "unknown kind,
 * skipped", -1 on error. */
static int parse_finding(struct ctx *c, json_t *o, lc_finding *out)
{
	const char *kind, *sev;
	long long pid = 0;
	memset(out, 0, sizeof(*out));
	if (get_str(c, o, "finding", "kind", REQ, &kind) < 0)
		return -1;
	if (lc_finding_kind_parse(kind, &out->kind) < 0) {
		warn_unknown_kind(c, kind);
		return 1;
	}
	if (get_str(c, o, "finding", "severity", REQ, &sev) < 0)
		return -1;
	if (!strcmp(sev, "error"))
		out->severity = LC_SEV_ERROR;
	else if (!strcmp(sev, "warning"))
		out->severity = LC_SEV_WARNING;
	else {
		char q[SHOWN_MAX + 4];
		return fail(c, "finding: \"severity\" is \"%s\", not "
			    "\"error\" or \"warning\"",
			    shown(sev, q, SHOWN_MAX));
	}
	if (get_str(c, o, "finding", "id", REQ, &out->id) < 0)
		return -1;
	if (!out->id[0])
		return fail(c, "finding: \"id\" is empty");
	if (get_str(c, o, "finding", "message", NULLOK, &out->message) < 0)
		return -1;
	if (!out->message)
		out->message = "";
	int r = get_int(c, o, "finding", "pid", NULLOK, 0, INT_MAX, &pid);
	if (r < 0)
		return -1;
	out->pid = r ? (int)pid : -1;
	if (parse_objects(c, o, "locks", sizeof(lc_finding_lock), parse_lock,
			  (void **)&out->locks, &out->n_locks) < 0 ||
	    parse_objects(c, o, "threads", sizeof(lc_finding_thread),
			  parse_thread, (void **)&out->threads,
			  &out->n_threads) < 0 ||
	    get_str(c, o, "finding", "verdict", NULLOK, &out->verdict) < 0 ||
	    get_str(c, o, "finding", "detail", NULLOK, &out->detail) < 0 ||
	    get_uint(c, o, "finding", "gate", 0, &out->gate) < 0 ||
	    parse_cycle(c, o, out) < 0 || parse_fix(c, o, out) < 0 ||
	    parse_objects(c, o, "edges", sizeof(lc_finding_edge), parse_edge,
			  (void **)&out->edges, &out->n_edges) < 0 ||
	    parse_objects(c, o, "stacks", sizeof(lc_finding_site), parse_site,
			  (void **)&out->sites, &out->n_sites) < 0)
		return -1;
	return 0;
}

/* The pid in a file name "PREFIX.<pid>.jsonl", or 0. */
static int pid_from_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n < 7 || strcmp(base + n - 6, ".jsonl"))
		return 0;
	const char *end = base + n - 6, *p = end;
	while (p > base && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == end || p == base || p[-1] != '.' || end - p > 9)
		return 0;
	return atoi(p);
}

/* Appends a new process record; returns its index, or -1 (out of memory). */
static long add_process(struct ctx *c, const lc_rprocess *p)
{
	lc_report_set *set = c->set;
	if (set->n_procs == set->cap_procs) {
		size_t cap = set->cap_procs ? set->cap_procs * 2 : 16;
		lc_rprocess *np = realloc(set->procs, cap * sizeof(*np));
		if (!np)
			return -1;
		set->procs = np;
		set->cap_procs = cap;
	}
	set->procs[set->n_procs] = *p;
	return (long)set->n_procs++;
}

/* The current process of the file for an event of the given pid (-1:
 * unknown), creating a record without a start event when there is none or
 * the pid differs. Returns its index or -1. */
static long current_process(struct ctx *c, long *cur, int pid)
{
	if (*cur >= 0 && (pid < 0 || c->set->procs[*cur].pid == pid))
		return *cur;
	lc_rprocess p = {0};
	p.pid = pid >= 0 ? pid : pid_from_name(c->file);
	p.ppid = -1;
	p.end_findings = -1;
	p.lock_calls = -1;
	p.threads = -1;
	p.file = c->file;
	p.line = c->line;
	*cur = add_process(c, &p);
	return *cur;
}

static int parse_start(struct ctx *c, json_t *o, lc_rprocess *p)
{
	long long pid, ppid = -1, version = 0;
	json_t *argv;
	memset(p, 0, sizeof(*p));
	if (get_int(c, o, "start", "pid", REQ, 0, INT_MAX, &pid) < 0 ||
	    get_int(c, o, "start", "ppid", NULLOK, 0, INT_MAX, &ppid) < 0 ||
	    get_int(c, o, "start", "version", NULLOK, 0, INT_MAX, &version) < 0 ||
	    get_str(c, o, "start", "exe", NULLOK, &p->exe) < 0 ||
	    get_array(c, o, "start", "argv", &argv) < 0)
		return -1;
	size_t n = argv ? json_array_size(argv) : 0;
	const char **args = alloc_array(c->set, n, sizeof(*args));
	if (!args)
		return oom(c);
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_array_get(argv, i);
		if (!json_is_string(a))
			return fail(c, "start: argv[%zu] should be a string, "
				    "not %s", i, type_name(a));
		args[i] = arena_strdup(c->set, json_string_value(a));
		if (!args[i])
			return oom(c);
	}
	p->pid = (int)pid;
	p->ppid = (int)ppid;
	p->version = (int)version;
	p->argv = args;
	p->argc = (unsigned)n;
	p->started = 1;
	p->end_findings = -1;
	p->lock_calls = -1;
	p->threads = -1;
	p->file = c->file;
	p->line = c->line;
	return 0;
}

static int add_finding(struct ctx *c, const lc_finding *f, size_t proc)
{
	lc_report_set *set = c->set;
	if (set->n_findings == set->cap_findings) {
		size_t cap = set->cap_findings ? set->cap_findings * 2 : 64;
		lc_rfinding *nf = realloc(set->findings, cap * sizeof(*nf));
		if (!nf)
			return oom(c);
		set->findings = nf;
		set->cap_findings = cap;
	}
	lc_rfinding *r = &set->findings[set->n_findings++];
	r->f = *f;
	r->file = c->file;
	r->line = c->line;
	r->process = proc;
	r->suite = 0;
	return 0;
}

/* The end event's "repeats": [{"id":"lc1-...","instances":N},...]. An
 * absent or null array is empty. */
static int parse_repeats(struct ctx *c, json_t *o, const lc_rrepeat **out,
			 unsigned *n_out)
{
	json_t *arr;
	*out = NULL;
	*n_out = 0;
	if (get_array(c, o, "end", "repeats", &arr) < 0)
		return -1;
	size_t n = arr ? json_array_size(arr) : 0;
	if (n > UINT_MAX)
		return fail(c, "end: \"repeats\" is too long");
	lc_rrepeat *reps = alloc_array(c->set, n, sizeof(*reps));
	if (!reps)
		return oom(c);
	for (size_t i = 0; i < n; i++) {
		char w[64];
		json_t *item = json_array_get(arr, i);
		snprintf(w, sizeof(w), "end: repeats[%zu]", i);
		if (!json_is_object(item))
			return fail(c, "%s should be an object, not %s", w,
				    type_name(item));
		if (get_str(c, item, w, "id", REQ, &reps[i].id) < 0 ||
		    get_uint(c, item, w, "instances", REQ,
			     &reps[i].instances) < 0)
			return -1;
	}
	*out = reps;
	*n_out = (unsigned)n;
	return 0;
}

/* Adds the limit `raw` to p's list unless it is there (or the list is
 * full: a shim has fewer than LC_READ_LIMITS_MAX kinds), cut and cleaned
 * as every quoted value is, since the report prints it. */
static int add_limit(struct ctx *c, lc_rprocess *p, const char *raw)
{
	char q[SHOWN_MAX + 4];
	const char *name = arena_strdup(c->set, shown(raw, q, SHOWN_MAX));
	if (!name)
		return oom(c);
	for (unsigned i = 0; i < p->n_limits; i++)
		if (!strcmp(p->limits[i], name))
			return 0;
	if (p->n_limits >= LC_READ_LIMITS_MAX)
		return 0;
	const char **grown = alloc_array(c->set, p->n_limits + 1, sizeof *grown);
	if (!grown)
		return oom(c);
	for (unsigned i = 0; i < p->n_limits; i++)
		grown[i] = p->limits[i];
	grown[p->n_limits] = name;
	p->limits = grown;
	p->n_limits++;
	return 0;
}

/* The end event's "limits": an array of limit names. */
static int parse_end_limits(struct ctx *c, json_t *o, lc_rprocess *p)
{
	json_t *arr;
	if (get_array(c, o, "end", "limits", &arr) < 0)
		return -1;
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_string(v))
			return fail(c, "end: limits[%zu] should be a string, "
				    "not %s", i, type_name(v));
		if (add_limit(c, p, json_string_value(v)) < 0)
			return -1;
	}
	return 0;
}

/* stats.lock_calls_by_kind: {"mutex":N,...}, absent from older shims. */
static int parse_calls_by_kind(struct ctx *c, json_t *stats, lc_rprocess *p)
{
	json_t *kinds = json_object_get(stats, "lock_calls_by_kind");
	if (!kinds || json_is_null(kinds))
		return 0;
	if (!json_is_object(kinds))
		return fail(c, "end: stats: \"lock_calls_by_kind\" should be "
			    "an object, not %s", type_name(kinds));
	size_t n = json_object_size(kinds);
	if (n > 64)
		return fail(c, "end: stats: \"lock_calls_by_kind\" has %zu "
			    "kinds (at most 64)", n);
	const char **names = alloc_array(c->set, n, sizeof(*names));
	long long *counts = alloc_array(c->set, n, sizeof(*counts));
	if (n && (!names || !counts))
		return fail(c, "out of memory");
	const char *key;
	json_t *v;
	unsigned i = 0;
	json_object_foreach(kinds, key, v) {
		if (get_int(c, kinds, "end: stats: lock_calls_by_kind", key,
			    REQ, 0, LLONG_MAX, &counts[i]) < 0)
			return -1;
		names[i] = arena_strdup(c->set, key);
		if (!names[i])
			return fail(c, "out of memory");
		i++;
	}
	p->call_kinds = names;
	p->call_counts = counts;
	p->n_call_kinds = i;
	return 0;
}

/* The end event's "stats" (what the shim saw): lock_calls and threads are
 * kept, and the calls by kind. */
static int parse_end_stats(struct ctx *c, json_t *o, lc_rprocess *p)
{
	json_t *stats = json_object_get(o, "stats");
	long long calls = -1, threads = -1;
	if (!stats || json_is_null(stats))
		return 0;
	if (!json_is_object(stats))
		return fail(c, "end: \"stats\" should be an object, not %s",
			    type_name(stats));
	if (get_int(c, stats, "end: stats", "lock_calls", NULLOK, 0,
		    LLONG_MAX, &calls) < 0 ||
	    get_int(c, stats, "end: stats", "threads", NULLOK, 0, LLONG_MAX,
		    &threads) < 0)
		return -1;
	p->lock_calls = calls;
	p->threads = threads;
	return parse_calls_by_kind(c, stats, p);
}

/* An "unchecked-child" event, added to the file's current process (its
 * "pid" may be a vfork child's, which writes to its parent's log). */
static int parse_unchecked(struct ctx *c, json_t *o, long *cur)
{
	lc_runchecked u = {0};
	const char *w = "unchecked-child";
	long long child = 0;
	if (get_int(c, o, w, "child", NULLOK, 0, INT_MAX, &child) < 0 ||
	    get_str(c, o, w, "call", NULLOK, &u.call) < 0 ||
	    get_str(c, o, w, "why", NULLOK, &u.why) < 0 ||
	    get_str(c, o, w, "path", NULLOK, &u.path) < 0 ||
	    get_strings(c, o, w, "argv", &u.argv, &u.argc) < 0)
		return -1;
	u.child = (int)child;
	long long pid = -1;
	if (*cur < 0 &&
	    get_int(c, o, w, "pid", NULLOK, 0, INT_MAX, &pid) < 0)
		return -1;
	long proc = current_process(c, cur, *cur >= 0 ? -1 : (int)pid);
	if (proc < 0)
		return oom(c);
	lc_rprocess *p = &c->set->procs[proc];
	unsigned n = p->n_unchecked;
	lc_runchecked *list = (lc_runchecked *)p->unchecked;
	/* The room doubles at each power of two (arena memory is not
	 * freed one by one: a shell loop may start thousands). */
	if ((n & (n - 1)) == 0) {
		list = alloc_array(c->set, n ? 2 * (size_t)n : 1, sizeof *list);
		if (!list)
			return oom(c);
		if (n)
			memcpy(list, p->unchecked, n * sizeof *list);
	}
	list[n] = u;
	p->unchecked = list;
	p->n_unchecked = n + 1;
	return 0;
}

/* Handles one line. Returns 0, or -1 with c->err set. */
static int read_line(struct ctx *c, const char *text, size_t len,
		     long *cur)
{
	json_error_t jerr;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	c->not_json = !o;
	if (!o) {
		/* jansson's text quotes the input near the error. */
		char q[sizeof jerr.text + 4];
		return fail(c, "not JSON: %s (column %d)",
			    shown(jerr.text, q, sizeof jerr.text - 1),
			    jerr.column);
	}
	int rc = -1;
	if (!json_is_object(o)) {
		fail(c, "not a JSON object but %s", type_name(o));
		goto out;
	}
	json_t *ev = json_object_get(o, "event");
	if (!ev) {
		fail(c, "no \"event\" field");
		goto out;
	}
	if (!json_is_string(ev)) {
		fail(c, "\"event\" should be a string, not %s", type_name(ev));
		goto out;
	}
	const char *event = json_string_value(ev);
	if (!strcmp(event, "start")) {
		lc_rprocess p;
		if (parse_start(c, o, &p) < 0)
			goto out;
		*cur = add_process(c, &p);
		if (*cur < 0) {
			oom(c);
			goto out;
		}
		if (p.version > 1)
			fprintf(diag(c->set),
				"%s: %s:%u: report format version %d, this "
				"lockcheck knows version 1; reading what it "
				"knows\n", c->set->prog, c->file, c->line,
				p.version);
	} else if (!strcmp(event, "finding")) {
		lc_finding f;
		int r = parse_finding(c, o, &f);
		if (r < 0)
			goto out;
		if (r == 0) {
			long proc = current_process(c, cur, f.pid);
			if (proc < 0) {
				oom(c);
				goto out;
			}
			if (f.pid < 0)
				f.pid = c->set->procs[proc].pid;
			if (add_finding(c, &f, (size_t)proc) < 0)
				goto out;
		}
	} else if (!strcmp(event, "end")) {
		long long pid = -1, status = 0, nf = -1;
		int has_status;
		unsigned suppressed = 0, n_repeats = 0;
		const lc_rrepeat *repeats = NULL;
		if (get_int(c, o, "end", "pid", NULLOK, 0, INT_MAX, &pid) < 0 ||
		    (has_status = get_int(c, o, "end", "status", NULLOK,
					  INT_MIN, INT_MAX, &status)) < 0 ||
		    get_int(c, o, "end", "findings", NULLOK, 0, LONG_MAX,
			    &nf) < 0 ||
		    get_uint(c, o, "end", "suppressed", NULLOK,
			     &suppressed) < 0 ||
		    parse_repeats(c, o, &repeats, &n_repeats) < 0)
			goto out;
		long proc = current_process(c, cur, (int)pid);
		if (proc < 0) {
			oom(c);
			goto out;
		}
		lc_rprocess *p = &c->set->procs[proc];
		p->ended = 1;
		p->status = has_status ? (int)status : 0;
		p->end_findings = (long)nf;
		p->repeats = repeats;
		p->n_repeats = n_repeats;
		p->suppressed = suppressed;
		if (parse_end_limits(c, o, p) < 0 ||
		    parse_end_stats(c, o, p) < 0)
			goto out;
	} else if (!strcmp(event, "unchecked-child")) {
		if (parse_unchecked(c, o, cur) < 0)
			goto out;
	} else if (!strcmp(event, "limit")) {
		long long pid = -1;
		const char *name;
		if (get_int(c, o, "limit", "pid", NULLOK, 0, INT_MAX, &pid) < 0 ||
		    get_str(c, o, "limit", "limit", REQ, &name) < 0)
			goto out;
		long proc = current_process(c, cur, (int)pid);
		if (proc < 0) {
			oom(c);
			goto out;
		}
		if (add_limit(c, &c->set->procs[proc], name) < 0)
			goto out;
	} else if (!strcmp(event, "graph")) {
		lc_rgraph g;
		long long pid = -1;
		lc_report_set *set = c->set;
		/* Streamed: the graph lives in scratch chunks until its
		 * sink has taken what it keeps. */
		int stream = set->graph_sink && !set->keep_graphs;
		if (get_int(c, o, "graph", "pid", NULLOK, 0, INT_MAX, &pid) < 0)
			goto out;
		if (stream) {
			if (ensure_internal(set) < 0) {
				oom(c);
				goto out;
			}
			set->in->use_scratch = 1;
		}
		int bad = parse_graph(c, o, &g) < 0;
		if (stream)
			set->in->use_scratch = 0;
		long proc = bad ? 0 : current_process(c, cur, (int)pid);
		if (!bad && proc < 0)
			bad = oom(c);
		if (!bad) {
			g.process = (size_t)proc;
			g.pid = pid >= 0 ? (int)pid : set->procs[proc].pid;
			if (set->graph_sink)
				set->graph_sink(set->graph_arg, set, &g);
			if (!stream && add_graph(c, &g) < 0)
				bad = 1;
		}
		if (stream)
			scratch_release(set);
		if (bad)
			goto out;
	}
	/* Other events ("dump", later additions) are not needed here. A
	 * limit's message is the shim's; the report names the limit. */
	rc = 0;
out:
	json_decref(o);
	return rc;
}

static unsigned report_error(lc_report_set *set, const char *file,
			     unsigned line, const char *what)
{
	if (line)
		fprintf(diag(set), "%s: %s:%u: %s\n", set->prog, file, line,
			what);
	else
		fprintf(diag(set), "%s: %s: %s\n", set->prog, file, what);
	set->n_errors++;
	return 1;
}

/* Reads the next line of fp (its newline included) into *buf, keeping at most
 * max bytes of it. Returns the line's length in the file (0 at the end of the
 * file, -1 when out of memory); *kept says how many bytes *buf holds: fewer
 * than the length when the line is longer than max, whose rest is read past
 * and dropped. A line that ends the file without a newline has none. Not
 * getline: that would grow the buffer to any line's size, and a file of one
 * huge line would take all memory before the reader could refuse it. */
static ssize_t next_line(FILE *fp, char **buf, size_t *cap, size_t max,
			 size_t *kept)
{
	size_t n = 0, len = 0;
	int ch;
	while ((ch = getc_unlocked(fp)) != EOF) {
		len++;
		if (n < max) {
			if (n == *cap) {
				size_t ncap = *cap ? *cap * 2 : 4096;
				if (ncap > max)
					ncap = max;
				char *nb = realloc(*buf, ncap);
				if (!nb)
					return -1;
				*buf = nb;
				*cap = ncap;
			}
			(*buf)[n++] = (char)ch;
		}
		if (ch == '\n')
			break;
	}
	*kept = n;
	return (ssize_t)len;
}

unsigned lc_read_stream(lc_report_set *set, FILE *fp, const char *name,
			off_t from)
{
	unsigned errors = 0;
	struct ctx c = {.set = set};
	size_t max = set->line_max ? set->line_max : LC_READ_LINE_MAX;
	c.file = arena_strdup(set, name);
	if (!c.file)
		return report_error(set, name, 0, "out of memory");
	char *line = NULL;
	size_t cap = 0, kept;
	ssize_t n;
	off_t pos = 0;
	long cur = -1;
	while ((n = next_line(fp, &line, &cap, max, &kept)) > 0) {
		off_t start = pos;
		pos += n;
		c.line++;
		if (start < from)
			continue;
		if (kept < (size_t)n) {
			/* Refused unread: no report line is this long, and
			 * its JSON tree would take many times its size. */
			snprintf(c.err, sizeof(c.err),
				 "line of %zd bytes, longer than the %zu this "
				 "reader takes (skipped)", n, max);
			errors += report_error(set, c.file, c.line, c.err);
			continue;
		}
		int complete = line[n - 1] == '\n';
		size_t len = (size_t)n - (complete ? 1 : 0);
		if (len && line[len - 1] == '\r')
			len--;
		size_t i = 0;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			continue; /* blank line */
		int r = read_line(&c, line, len, &cur);
		errors += c.soft_errors;
		c.soft_errors = 0;
		if (r == 0)
			continue;
		if (!complete && c.not_json) {
			/* Written by a single write(2) with its newline:
			 * a last line without one was cut short, which is
			 * what a process killed mid-write leaves. Everything
			 * before it is whole, so it is a warning, not an
			 * unreadable report. */
			fprintf(diag(set),
				"%s: %s:%u: warning: truncated last line (%zu "
				"bytes, no newline; the process was killed "
				"while writing it?): read up to the line "
				"before\n",
				set->prog, c.file, c.line, len);
			continue;
		}
		errors += report_error(set, c.file, c.line, c.err);
	}
	if (n < 0)
		errors += report_error(set, c.file, c.line + 1,
				       "out of memory (the rest is not read)");
	else if (ferror(fp)) {
		char msg[256];
		snprintf(msg, sizeof(msg), "read error after line %u: %s",
			 c.line, strerror(errno));
		errors += report_error(set, c.file, 0, msg);
	}
	free(line);
	return errors;
}

unsigned lc_read_file(lc_report_set *set, const char *path, off_t from)
{
	set->n_files++;
	FILE *fp = fopen(path, "r");
	if (!fp) {
		char msg[256];
		snprintf(msg, sizeof(msg), "cannot open: %s", strerror(errno));
		return report_error(set, path, 0, msg);
	}
	unsigned errors = lc_read_stream(set, fp, path, from);
	fclose(fp);
	return errors;
}

static int is_jsonl(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 6 && d->d_name[0] != '.' &&
	       !strcmp(d->d_name + n - 6, ".jsonl");
}

unsigned lc_read_path(lc_report_set *set, const char *path)
{
	struct dirent **names;
	int n = scandir(path, &names, is_jsonl, versionsort);
	if (n < 0) {
		if (errno == ENOTDIR)
			return lc_read_file(set, path, 0);
		if (errno == ENOENT || errno == EACCES) {
			/* Let the file path report it, by its usual words. */
			return lc_read_file(set, path, 0);
		}
		char msg[256];
		snprintf(msg, sizeof(msg), "cannot list directory: %s",
			 strerror(errno));
		set->n_files++;
		return report_error(set, path, 0, msg);
	}
	unsigned errors = 0;
	size_t plen = strlen(path);
	int slash = plen && path[plen - 1] == '/';
	for (int i = 0; i < n; i++) {
		char *full = NULL;
		if (asprintf(&full, "%s%s%s", path, slash ? "" : "/",
			     names[i]->d_name) < 0) {
			errors += report_error(set, names[i]->d_name, 0,
					       "out of memory");
		} else {
			errors += lc_read_file(set, full, 0);
			free(full);
		}
		free(names[i]);
	}
	free(names);
	return errors;
}

unsigned lc_read_instances(const lc_report_set *set, size_t proc,
			   const char *id)
{
	if (proc >= set->n_procs)
		return 1;
	const lc_rprocess *p = &set->procs[proc];
	for (unsigned i = 0; i < p->n_repeats; i++)
		if (!strcmp(p->repeats[i].id, id))
			return p->repeats[i].instances;
	return 1;
}

void *lc_read_alloc(lc_report_set *set, size_t n)
{
	return arena_alloc(set, n ? n : 1);
}

char *lc_read_strdup(lc_report_set *set, const char *s)
{
	return arena_strdup(set, s);
}

void lc_read_init(lc_report_set *set, const char *prog)
{
	memset(set, 0, sizeof(*set));
	set->prog = prog ? prog : "lockcheck";
}

void lc_read_free(lc_report_set *set)
{
	const char *prog = set->prog;
	FILE *d = set->diag;
	size_t line_max = set->line_max;
	if (set->in) {
		free_chunks(set->in->chunks);
		free_chunks(set->in->scratch);
		for (size_t i = 0; i < set->in->n_warned; i++)
			free(set->in->warned_kinds[i]);
		free(set->in->warned_kinds);
		free(set->in);
	}
	free(set->findings);
	free(set->procs);
	free(set->graphs);
	lc_read_init(set, prog);
	set->diag = d;
	set->line_max = line_max;
}
