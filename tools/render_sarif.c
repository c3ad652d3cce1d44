/*
 * render_sarif.c: `lockcheck report --format sarif`: SARIF 2.1.0, as GitHub
 * code scanning (github/codeql-action/upload-sarif) takes it.
 *
 * One run; tool.driver is "lockcheck" with one rule per finding kind (all of
 * them, in enum order, so ruleIndex is the kind), each with a short and a
 * full description, help (what to do about it) and its default level. One
 * result per merged finding:
 *   ruleId/ruleIndex  the kind;
 *   level             "error" or "warning", the finding's severity (an
 *                     inversion's by its verdict);
 *   message.text      the finding's one-line message;
 *   locations         where the locks were taken: for an inversion the
 *                     acquisition of each edge's new lock (in cycle order),
 *                     for other kinds each site (the current one first);
 *   partialFingerprints  {"lockcheckFindingId/v1": id}: the id is stable
 *                     across runs, so code scanning tracks the alert;
 *   codeFlows         one code flow with one threadFlow per thread of the
 *                     cycle or sites (first appearance order): for each of
 *                     its edges the held lock's acquisition, then the new
 *                     lock's; for sites each site;
 *   baselineState     with --baseline: "new" or "unchanged"; the
 *                     baseline's findings not seen now follow as results
 *                     of their own, "absent";
 *   properties        verdict, gate, count, instances, pids.
 * A location is one frame of a stack, the first of the best rank:
 *   1. a frame of the program's own modules (not a system library under
 *      /lib or /usr/lib) whose source file is inside the project;
 *   2. a frame of the program's own modules with an absolute source file;
 *   3. a frame of the program's own modules;
 *   4. a frame with an absolute source file; else the top frame.
 * "Inside the project" means a regular file that exists under the source
 * root (--source-root, else the current directory), named by a relative
 * path (taken from the root) or an absolute one under the root, of a frame
 * that is not a system library's: a relative DWARF path of a system
 * library's sources (glibc's "nptl/pthread_create.c" when libc6-dbg is
 * installed) is never taken for the project's, even when a file of that
 * name exists under the root, so code scanning is never pointed at it. artifactLocation.uri
 * is the root-relative path (uriBaseId %SRCROOT%), else a file:// URI of an
 * absolute source file, else of the module (a binary: no region, its offset
 * as address.relativeAddress; a relative file outside the project is shown
 * this way too); region is {startLine} when the line of a source file is
 * known. A stack without frames is located at
 * the process's executable, so every result has a physical location (code
 * scanning requires one). Frames get their file/line from
 * symbolisation (tools/symbolize.c); without it every location is a module.
 *
 * Built as a jansson tree and dumped indented, keys in insertion order.
 */
#define _GNU_SOURCE
#include "render.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

static const char sarif_schema[] =
	"https://json.schemastore.org/sarif-2.1.0.json";

/* A rule's texts. No default: a new kind must be described here. */
struct rule_text {
	const char *name, *short_d, *full_d, *help;
};

static struct rule_text rule_of(lc_finding_kind k)
{
	switch (k) {
	case LC_KIND_LOCK_ORDER_INVERSION:
		return (struct rule_text){
			"LockOrderInversion",
			"Locks taken in orders that contradict each other "
			"(a potential deadlock)",
			"A cycle in the lock-order graph: each thread of the "
			"cycle acquired the next lock while holding the "
			"previous one. When the verdict is deadlock-possible "
			"the threads can run at once and deadlock; other "
			"verdicts (single-thread, guarded, ordered, "
			"read-shared) say why this run's contexts cannot.",
			"Take the locks in one global order everywhere (the "
			"finding's fix names the edge that goes against it), "
			"or take them together with lockcheck_lock_all(), or "
			"hold one gate lock around both paths."};
	case LC_KIND_DEADLOCK:
		return (struct rule_text){
			"Deadlock",
			"Threads blocked on each other",
			"Every thread of the cycle waits for a lock (or a "
			"join) that the next one holds: the process is "
			"deadlocked.",
			"Break the cycle: take the locks in one global order, "
			"or do not join a thread while holding a lock it "
			"needs."};
	case LC_KIND_DOUBLE_LOCK:
		return (struct rule_text){
			"DoubleLock",
			"A thread locks a non-recursive lock it already holds",
			"Locking a non-recursive mutex (or write-locking a "
			"rwlock) that the calling thread holds blocks it "
			"forever.",
			"Unlock before relocking, restructure so the lock is "
			"taken once, or use a recursive mutex on purpose."};
	case LC_KIND_BAD_UNLOCK:
		return (struct rule_text){
			"BadUnlock",
			"Unlock of a lock the thread does not hold",
			"The calling thread unlocks a lock that is unlocked "
			"or held by another thread: undefined behaviour.",
			"Unlock only what the same thread locked; pair each "
			"lock with one unlock on every path."};
	case LC_KIND_DESTROY_LOCKED:
		return (struct rule_text){
			"DestroyLocked",
			"Destroy of a held lock",
			"A lock is destroyed while some thread holds it: "
			"undefined behaviour, and the holder's unlock touches "
			"freed state.",
			"Make sure no thread holds (or waits for) the lock "
			"before destroying it."};
	case LC_KIND_COND_WAIT_UNHELD:
		return (struct rule_text){
			"CondWaitUnheld",
			"Condition wait without holding its mutex",
			"pthread_cond_wait and friends require the calling "
			"thread to hold the mutex they are given.",
			"Lock the mutex before waiting on the condition "
			"variable, and check the predicate in a loop."};
	case LC_KIND_HELD_AT_EXIT:
		return (struct rule_text){
			"HeldAtExit",
			"A thread ended while holding locks",
			"A thread returned or exited while still holding "
			"locks: any thread that later takes them blocks "
			"forever.",
			"Release every lock on every exit path of the thread "
			"(early returns, error paths)."};
	case LC_KIND_ORDER_VIOLATION:
		return (struct rule_text){
			"OrderViolation",
			"An acquisition against the declared lock order",
			"A lock was taken while holding one that the declared "
			"order (lockcheck_rank or the order file) puts after "
			"it: the sorted-acquire rule.",
			"Take the locks in the declared order, or take them "
			"together with lockcheck_lock_all()."};
	case LC_KIND_LONG_WAIT:
		return (struct rule_text){
			"LongWait",
			"A lock wait longer than wait_report_ms",
			"A thread waited for a lock longer than the configured "
			"limit; the report shows where the holder took it.",
			"Shorten the holder's critical section, or do not "
			"block (I/O, joins) while holding the lock."};
	case LC_KIND_INVALID_USE:
		return (struct rule_text){
			"InvalidUse",
			"Use of a destroyed or uninitialised synchronisation "
			"object",
			"A lock, unlock or wait on a lock, condition variable, "
			"semaphore or barrier that was destroyed or never "
			"initialised: undefined behaviour (glibc may return "
			"EINVAL, hang, or appear to work).",
			"Initialise the object before its first use, and "
			"destroy it only after its last."};
	case LC_KIND_REINIT:
		return (struct rule_text){
			"Reinit",
			"Init of a live synchronisation object",
			"An init of a lock, condition variable, semaphore or "
			"barrier that is initialised and not destroyed: its "
			"holders and waiters are lost.",
			"Initialise each object once; destroy it before "
			"initialising it again."};
	case LC_KIND_COND_MISUSE:
		return (struct rule_text){
			"CondMisuse",
			"Condition variable misuse",
			"A condition variable destroyed while threads wait on "
			"it (glibc then blocks in the destroy), or waited on "
			"with two different mutexes at once.",
			"Destroy a condition variable only when no thread "
			"waits on it; use one mutex with each."};
	case LC_KIND_SEM_MISUSE:
		return (struct rule_text){
			"SemMisuse",
			"Semaphore misuse",
			"A semaphore destroyed while threads wait on it, or "
			"posted past its maximum value.",
			"Destroy a semaphore only when no thread waits on it; "
			"bound its posts."};
	case LC_KIND_BARRIER_MISUSE:
		return (struct rule_text){
			"BarrierMisuse",
			"Barrier misuse",
			"A barrier destroyed while threads wait in it, or "
			"initialised with a count of 0.",
			"Destroy a barrier only after its last round; give "
			"it the number of threads that wait in it."};
	case LC_KIND_COUNT:
		break;
	}
	return (struct rule_text){"Unknown", "unknown", "unknown", "unknown"};
}

static lc_severity default_level(lc_finding_kind k)
{
	return k == LC_KIND_HELD_AT_EXIT || k == LC_KIND_LONG_WAIT
		       ? LC_SEV_WARNING
		       : LC_SEV_ERROR;
}

/* A JSON string of s, with bytes that are not valid UTF-8 replaced. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (j)
		return j;
	char *c = strdup(s);
	if (!c)
		return NULL;
	for (unsigned char *p = (unsigned char *)c; *p; p++)
		if (*p >= 0x80)
			*p = '?';
	j = json_string(c);
	free(c);
	return j;
}

static json_t *text_obj(const char *s)
{
	return json_pack("{s:o}", "text", jstr(s));
}

/* The source root while a document is written: its absolute path without
 * a trailing slash ("" for "/"), and a descriptor to look files up in it;
 * root_fd < 0 when it cannot be opened (then nothing is in the project). */
static const char *root_path;
static int root_fd = -1;

/* A path relative to the source root of an existing regular file there,
 * or NULL: a relative file is taken from the root (without "./"), an
 * absolute one must lie under the root and loses that prefix. A path that
 * climbs out ("..") is not in the project. */
static const char *project_path(const char *file)
{
	if (!file || !file[0] || root_fd < 0)
		return NULL;
	const char *rel = file;
	if (file[0] == '/') {
		size_t n = strlen(root_path);
		if (strncmp(file, root_path, n) || file[n] != '/')
			return NULL;
		rel = file + n + 1;
	}
	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	if (!rel[0] || !strncmp(rel, "../", 3) || strstr(rel, "/../"))
		return NULL;
	struct stat st;
	if (fstatat(root_fd, rel, &st, 0) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	return rel;
}

/* A system library: its frames are never the program's own code. */
static int system_module(const char *module)
{
	static const char *const dirs[] = {"/lib/",       "/lib32/",
					   "/lib64/",     "/libx32/",
					   "/usr/lib/",   "/usr/lib32/",
					   "/usr/lib64/", "/usr/libx32/"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (!strncmp(module, dirs[i], strlen(dirs[i])))
			return 1;
	return 0;
}

static int own_frame(const lc_frame *fr)
{
	return fr->module && !system_module(fr->module);
}

/* The project path of frame fr's source file (project_path), or NULL; a
 * system library's frame has none. */
static const char *frame_project_path(const lc_frame *fr)
{
	return own_frame(fr) ? project_path(fr->file) : NULL;
}

/* How good a place frame fr is to show (the top comment's list, 4 best). */
static int frame_rank(const lc_frame *fr)
{
	int abs_file = fr->file && fr->file[0] == '/';
	if (frame_project_path(fr))
		return 4;
	if (own_frame(fr))
		return abs_file ? 3 : 2;
	return abs_file ? 1 : 0;
}

/* Percent-encodes what a URI path cannot hold as is. */
static json_t *uri_of(const char *prefix, const char *path)
{
	lc_buf b = {0};
	lc_buf_puts(&b, prefix);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~+@,=:", *p))
			lc_buf_put(&b, (const char *)p, 1);
		else
			lc_buf_printf(&b, "%%%02X", *p);
	}
	json_t *j = jstr(b.data ? b.data : "");
	lc_buf_free(&b);
	return j;
}

/* The frame a location of stack s shows (see the top comment), or NULL. */
static const lc_frame *pick_frame(const lc_stack *s)
{
	const lc_frame *best = NULL;
	int best_rank = -1;
	for (unsigned i = 0; i < s->depth && best_rank < 4; i++) {
		int r = frame_rank(&s->frames[i]);
		if (r > best_rank) {
			best = &s->frames[i];
			best_rank = r;
		}
	}
	return best;
}

/* A location object for frame fr (NULL: a location with only the
 * message, or with `fallback` as its artifact), with message msg. */
static json_t *location(const lc_frame *fr, const char *msg,
			const char *fallback)
{
	json_t *loc = json_object();
	json_t *phys = NULL;
	if (fr) {
		json_t *art = json_object();
		const char *rel = frame_project_path(fr);
		int source = rel || (fr->file && fr->file[0] == '/');
		if (rel) {
			json_object_set_new(art, "uri", uri_of("", rel));
			json_object_set_new(art, "uriBaseId",
					    json_string("%SRCROOT%"));
		} else if (source) {
			json_object_set_new(art, "uri",
					    uri_of("file://", fr->file));
		} else {
			const char *mod = fr->module ? fr->module : "unknown";
			json_object_set_new(
				art, "uri",
				uri_of(mod[0] == '/' ? "file://" : "", mod));
		}
		phys = json_pack("{s:o}", "artifactLocation", art);
		if (source && fr->line >= 1)
			json_object_set_new(phys, "region",
					    json_pack("{s:i}", "startLine",
						      (json_int_t)fr->line));
		if (!source && fr->module)
			json_object_set_new(
				phys, "address",
				json_pack("{s:I}", "relativeAddress",
					  (json_int_t)fr->offset));
	} else if (fallback) {
		phys = json_pack("{s:{s:o}}", "artifactLocation", "uri",
				 uri_of(fallback[0] == '/' ? "file://" : "",
					fallback));
	}
	if (phys)
		json_object_set_new(loc, "physicalLocation", phys);
	if (fr && fr->function)
		json_object_set_new(
			loc, "logicalLocations",
			json_pack("[{s:o,s:s}]", "name", jstr(fr->function),
				  "kind", "function"));
	if (msg)
		json_object_set_new(loc, "message", text_obj(msg));
	return loc;
}

static void lock_label(lc_buf *b, const lc_finding *f, unsigned id)
{
	const lc_finding_lock *l = lc_finding_lock_by_id(f, id);
	if (l && l->name)
		lc_buf_puts(b, l->name);
	else
		lc_buf_printf(b, "M%u", id);
}

static void thread_label(lc_buf *b, const lc_finding *f, unsigned id)
{
	const lc_finding_thread *t = lc_finding_thread_by_id(f, id);
	lc_buf_printf(b, "T%u", id);
	if (t && t->name)
		lc_buf_printf(b, " (%s)", t->name);
}

/* A suite-wide cycle's edge (tools/suite.c): " (seen in pid N: ARGV)",
 * so the message says which process to run again. */
static void put_process(lc_buf *b, const lc_finding_process *p)
{
	if (!p)
		return;
	lc_buf_printf(b, " (seen in pid %d:", p->pid);
	for (unsigned i = 0; i < p->argc; i++)
		lc_buf_printf(b, " %s", p->argv[i]);
	lc_buf_puts(b, ")");
}

/* The process objects of a suite finding's edges, for its properties:
 * [{"pid":N,"exe":"..","argv":[..]}, ...], one per distinct pid; NULL
 * when no edge names one. */
static json_t *edge_processes(const lc_finding *f)
{
	json_t *arr = NULL;
	for (unsigned i = 0; i < f->n_edges; i++) {
		const lc_finding_process *p = f->edges[i].process;
		unsigned k;
		if (!p)
			continue;
		for (k = 0; k < i; k++)
			if (f->edges[k].process &&
			    f->edges[k].process->pid == p->pid)
				break;
		if (k < i)
			continue;
		json_t *argv = json_array();
		for (unsigned a = 0; a < p->argc; a++)
			json_array_append_new(argv, jstr(p->argv[a]));
		if (!arr)
			arr = json_array();
		json_array_append_new(
			arr, json_pack("{s:i,s:o,s:o}", "pid", (json_int_t)p->pid,
				       "exe", p->exe ? jstr(p->exe) : json_null(),
				       "argv", argv));
	}
	return arr;
}

/* The acquisition message of edge e: "lock_b acquired by thread T2 while
 * holding lock_a" (held: "lock_a acquired by thread T2"). */
static char *edge_msg(const lc_finding *f, const lc_finding_edge *e, int held)
{
	lc_buf b = {0};
	lock_label(&b, f, held ? e->from : e->to);
	lc_buf_puts(&b, " acquired by thread ");
	thread_label(&b, f, e->thread);
	if (!held) {
		lc_buf_puts(&b, " while holding ");
		lock_label(&b, f, e->from);
	}
	put_process(&b, e->process);
	char *s = strdup(b.data ? b.data : "");
	lc_buf_free(&b);
	return s;
}

static char *site_msg(const lc_finding *f, const lc_finding_site *s)
{
	lc_buf b = {0};
	lc_buf_puts(&b, "thread ");
	thread_label(&b, f, s->thread);
	lc_buf_printf(&b, " %s", s->what ? s->what : "was here");
	if (s->lock) {
		lc_buf_puts(&b, " ");
		lock_label(&b, f, s->lock);
	}
	char *r = strdup(b.data ? b.data : "");
	lc_buf_free(&b);
	return r;
}

static json_t *thread_flow_loc(json_t *loc)
{
	return json_pack("{s:o}", "location", loc);
}

/* The threads of f in order of first appearance (edges, else sites). */
static unsigned threads_of(const lc_finding *f, unsigned *out, unsigned cap)
{
	unsigned n = 0;
	unsigned total = f->n_edges ? f->n_edges : f->n_sites;
	for (unsigned i = 0; i < total && n < cap; i++) {
		unsigned t = f->n_edges ? f->edges[i].thread : f->sites[i].thread;
		unsigned k;
		for (k = 0; k < n && out[k] != t; k++)
			;
		if (k == n)
			out[n++] = t;
	}
	return n;
}

/* The result of merged finding g of set; baseline_state: NULL, or its
 * baselineState. */
static json_t *result_of(const lc_report_set *set, const struct merged *g,
			 const char *baseline_state)
{
	const lc_rfinding *r = &set->findings[g->shown];
	const lc_finding *f = &r->f;
	const char *exe = r->process < set->n_procs
				  ? set->procs[r->process].exe
				  : NULL;
	json_t *res = json_object();
	json_object_set_new(res, "ruleId",
			    json_string(lc_finding_kind_name(f->kind)));
	json_object_set_new(res, "ruleIndex", json_integer(f->kind));
	json_object_set_new(res, "level",
			    json_string(lc_severity_name(f->severity)));
	json_object_set_new(res, "message", text_obj(f->message));
	if (baseline_state)
		json_object_set_new(res, "baselineState",
				    json_string(baseline_state));

	json_t *locs = json_array();
	json_t *flows = json_array();
	unsigned threads[64];
	unsigned n_threads = threads_of(f, threads, 64);
	if (f->n_edges) {
		for (unsigned i = 0; i < f->n_edges; i++) {
			char *m = edge_msg(f, &f->edges[i], 0);
			const lc_finding_process *ep = f->edges[i].process;
			const char *eexe = ep && ep->exe ? ep->exe : exe;
			json_array_append_new(
				locs, location(pick_frame(&f->edges[i].stack),
					       m, eexe ? eexe : "unknown"));
			free(m);
		}
	} else {
		for (unsigned i = 0; i < f->n_sites; i++) {
			char *m = site_msg(f, &f->sites[i]);
			json_array_append_new(
				locs, location(pick_frame(&f->sites[i].stack),
					       m, exe ? exe : "unknown"));
			free(m);
		}
	}
	if (json_array_size(locs) == 0)
		json_array_append_new(locs, location(NULL, f->message,
						     exe ? exe : "unknown"));
	for (unsigned t = 0; t < n_threads; t++) {
		json_t *tl = json_array();
		if (f->n_edges) {
			for (unsigned i = 0; i < f->n_edges; i++) {
				const lc_finding_edge *e = &f->edges[i];
				if (e->thread != threads[t])
					continue;
				for (int held = 1; held >= 0; held--) {
					char *m = edge_msg(f, e, held);
					const lc_stack *s = held ? &e->held_stack
								 : &e->stack;
					json_array_append_new(
						tl, thread_flow_loc(location(
							    pick_frame(s), m,
							    exe)));
					free(m);
				}
			}
		} else {
			for (unsigned i = 0; i < f->n_sites; i++) {
				const lc_finding_site *s = &f->sites[i];
				if (s->thread != threads[t])
					continue;
				char *m = site_msg(f, s);
				json_array_append_new(
					tl, thread_flow_loc(location(
						    pick_frame(&s->stack), m,
						    exe)));
				free(m);
			}
		}
		lc_buf b = {0};
		lc_buf_puts(&b, "thread ");
		thread_label(&b, f, threads[t]);
		char id[16];
		snprintf(id, sizeof(id), "T%u", threads[t]);
		json_array_append_new(
			flows, json_pack("{s:s,s:o,s:o}", "id", id, "message",
					 text_obj(b.data), "locations", tl));
		lc_buf_free(&b);
	}
	json_object_set_new(res, "locations", locs);
	json_object_set_new(res, "partialFingerprints",
			    json_pack("{s:o}", "lockcheckFindingId/v1",
				      jstr(f->id)));
	if (json_array_size(flows))
		json_object_set_new(res, "codeFlows",
				    json_pack("[{s:o}]", "threadFlows", flows));
	else
		json_decref(flows);

	json_t *props = json_object();
	json_object_set_new(props, "id", jstr(f->id));
	if (f->verdict)
		json_object_set_new(props, "verdict", jstr(f->verdict));
	if (f->gate) {
		lc_buf b = {0};
		lock_label(&b, f, f->gate);
		json_object_set_new(props, "gate", jstr(b.data));
		lc_buf_free(&b);
	}
	json_object_set_new(props, "count", json_integer(g->count));
	json_object_set_new(props, "instances",
			    json_integer((json_int_t)g->instances));
	json_t *pids = json_array();
	for (unsigned k = 0; k < g->n_pids; k++)
		json_array_append_new(pids, json_integer(g->pids[k]));
	json_object_set_new(props, "pids", pids);
	json_t *procs = edge_processes(f);
	if (procs)
		json_object_set_new(props, "processes", procs);
	json_object_set_new(res, "properties", props);
	return res;
}

static json_t *rules(void)
{
	json_t *arr = json_array();
	for (int k = 0; k < LC_KIND_COUNT; k++) {
		struct rule_text t = rule_of((lc_finding_kind)k);
		lc_severity lvl = default_level((lc_finding_kind)k);
		json_array_append_new(
			arr,
			json_pack("{s:s,s:s,s:o,s:o,s:o,s:{s:s},s:{s:[s,s],s:s,"
				  "s:s}}",
				  "id", lc_finding_kind_name((lc_finding_kind)k),
				  "name", t.name, "shortDescription",
				  text_obj(t.short_d), "fullDescription",
				  text_obj(t.full_d), "help", text_obj(t.help),
				  "defaultConfiguration", "level",
				  lc_severity_name(lvl), "properties", "tags",
				  "concurrency", "deadlock", "precision", "high",
				  "problem.severity",
				  lc_severity_name(lvl)));
	}
	return arr;
}

int render_sarif(FILE *out, const lc_report_set *set, const struct merge *m,
		 int color)
{
	char *src = realpath(m->source_root ? m->source_root : ".", NULL);
	root_fd = src ? open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	root_path = src && strcmp(src, "/") ? src : "";
	json_t *results = json_array();
	for (size_t i = 0; i < m->n; i++) {
		const struct merged *g = &m->items[i];
		json_array_append_new(
			results,
			result_of(set, g,
				  g->baseline == BASELINE_NONE ? NULL
				  : g->baseline == BASELINE_NEW ? "new"
								: "unchanged"));
	}
	for (size_t i = 0; i < m->n_absent; i++)
		json_array_append_new(results, result_of(m->absent_set,
							 &m->absent[i],
							 "absent"));
	json_t *driver = json_pack("{s:s,s:s,s:s,s:o}", "name", "lockcheck",
				   "version", LOCKCHECK_VERSION,
				   "semanticVersion", LOCKCHECK_VERSION,
				   "rules", rules());
	json_t *root = json_pack(
		"{s:s,s:s,s:[{s:{s:o},s:o,s:s}]}", "$schema", sarif_schema,
		"version", "2.1.0", "runs", "tool", "driver", driver, "results",
		results, "columnKind", "utf16CodeUnits");
	if (root_fd >= 0)
		close(root_fd);
	root_fd = -1;
	root_path = NULL;
	free(src);
	if (!root) {
		fputs("lockcheck report: out of memory writing SARIF\n", stderr);
		return -1;
	}
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	return rc < 0 ? -1 : 0;
}
