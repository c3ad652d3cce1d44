/*
 * read.h: reading report files (JSON Lines) back into findings.
 *
 * A report set is everything read from one or more report files: the
 * processes (one per "start" event, with what their "end" event said) and the
 * findings, converted into the plain lc_finding structures of lib/finding.h so
 * that the CLI renders them with the very renderer the shim uses. The set owns
 * every string and array it hands out; they live until lc_read_free().
 *
 * Reading never stops at bad input. A line that is not JSON, has no "event",
 * or has a known field of the wrong type is reported as ONE line on the
 * diagnostics stream ("PROG: FILE:LINE: what is wrong"), counted, and
 * skipped; the rest of the file is still read. A last line without its
 * newline that does not parse is reported as truncated (the process was
 * killed while writing it). Unknown fields and unknown event kinds are
 * ignored (the format grows by adding them). A finding of an unknown kind is
 * warned about once per kind name, counted apart (n_unknown), and skipped.
 *
 * "graph" events (the lock-order graph a process writes at exit) are read
 * into lc_rgraph records, one per event. Kept in set->graphs for the
 * commands that draw from them (`order`, `graph`, the HTML page), or
 * streamed: with a graph_sink, each is handed over as read and its memory
 * released after the call (tools/suite.c folds it into the suite merge), so
 * reading a suite's logs costs what the consumer keeps. Their internal
 * consistency (edges naming listed locks) is left to the command that uses
 * them, except for the suite-wide fields (classes, roles, modules, a lock's
 * "class", an edge's "contexts"), which are checked here as a whole: a
 * fault in them is ONE diagnostic line (counted in n_errors), and the graph
 * is kept without them (lc_rgraph.scoped == 0), so nothing else is lost.
 * A finding's edge may name the process it was seen in ("process", written
 * for suite-wide cycles), read into lc_finding_edge.process.
 *
 * Not thread safe: one set has one owner.
 */
#ifndef LC_TOOLS_READ_H
#define LC_TOOLS_READ_H

#include <stdio.h>
#include <sys/types.h>

#include "finding.h"

/* One "repeats" entry of an end event: finding `id` occurred `instances`
 * times in the process (counting the one written). */
typedef struct lc_rrepeat {
	const char *id;
	unsigned instances;
} lc_rrepeat;

/* One program a process started without the shim (an "unchecked-child"
 * event, lib/child.c): it was not checked. */
typedef struct lc_runchecked {
	int child;               /* its pid (a spawn), 0 when unknown */
	const char *call;        /* "execve", "posix_spawn", ... */
	const char *why;         /* "LD_PRELOAD removed", ... */
	const char *path;        /* the program as given */
	const char *const *argv;
	unsigned argc;
} lc_runchecked;

/* One process: a "start" event and what followed it in the same file. A
 * file whose findings come before any start event (a start line that was lost)
 * gets a record with started == 0. */
typedef struct lc_rprocess {
	int pid;
	int ppid;                /* -1 when unknown */
	int version;             /* report format version, 0 when unknown */
	const char *exe;         /* NULL when unknown */
	const char *const *argv; /* argc strings */
	unsigned argc;
	int started;             /* a start event was read */
	int ended;               /* an end event was read */
	int status;              /* the end event's status, when ended */
	long end_findings;       /* the end event's "findings", -1 if absent */
	/* The end event's "repeats": finding ids that occurred more than once
	 * (the same cycle pattern over other lock instances of the same
	 * classes, written only for the first), with their total count. */
	const struct lc_rrepeat *repeats;
	unsigned n_repeats;
	unsigned suppressed;     /* the end event's "suppressed", 0 if absent */
	/* The checker's limits this process reached (its limit events and
	 * the end event's "limits"), each once, at most LC_READ_LIMITS_MAX:
	 * its detection was degraded. */
	const char *const *limits;
	unsigned n_limits;
	const char *file;        /* the file it was read from */
	unsigned line;           /* line of its start event (first line seen) */
	/* The end event's stats.lock_calls: the lock calls the shim saw in
	 * this process; -1 when absent (no end event, or an older shim). */
	long long lock_calls;
	long long threads;       /* the end event's stats.threads; -1 absent */
	/* stats.lock_calls_by_kind: the same calls by kind of lock ("mutex",
	 * "gmutex", "custom", ...), in the file's order; none from an older
	 * shim. */
	const char *const *call_kinds;
	const long long *call_counts;
	unsigned n_call_kinds;
	/* Programs it started (or exec'd into) without the shim. */
	const lc_runchecked *unchecked;
	unsigned n_unchecked;
} lc_rprocess;

/* One finding as read, with where it came from. */
typedef struct lc_rfinding {
	lc_finding f;
	const char *file;
	unsigned line;
	size_t process;          /* index into the set's procs; (size_t)-1
				  * for a suite finding */
	int suite;               /* made by tools/suite.c over several
				  * processes: shown in place of the
				  * processes' findings of its id */
} lc_rfinding;

/* One lock of a graph event. identity is the lock's order-file identity
 * (its name, or "@function" / "@module+0xOFF" of the site that created or
 * first used an anonymous lock); NULL when the event has none (a report of a
 * shim older than the order file). */
typedef struct lc_rgraph_lock {
	unsigned id;             /* per-process serial */
	uint64_t address;        /* 0 when absent */
	const char *type;        /* NULL when absent */
	const char *name;        /* NULL for an anonymous lock */
	const char *symbol;      /* the raw (mangled) name, NULL when the same */
	const char *identity;    /* NULL when absent */
	lc_stack created;        /* its creation site (empty when absent) */
	unsigned cls;            /* scoped graph: position of its class in
				  * classes[]; LC_RGRAPH_NONE when absent */
} lc_rgraph_lock;

/* One way an edge was made (the edge's "contexts", suite-wide cycles): the
 * thread role that made it, the modes, and the classes held at the
 * acquisition (`from`'s included), sorted and unique. role and held[] are
 * POSITIONS in the graph's roles[] and classes[] (the reader maps the
 * event's ids to positions and checks them). */
typedef struct lc_rgraph_context {
	unsigned role;
	int held_shared;         /* `from` was held for reading */
	int shared;              /* `to` was wanted for reading */
	const unsigned *held;
	unsigned n_held;
} lc_rgraph_context;

/* One edge from -> to of a graph event: `to` was acquired while `from` was
 * held, in `count` distinct contexts; thread, stack and held_stack are those
 * of the first context (stacks empty when absent or omitted). */
typedef struct lc_rgraph_edge {
	unsigned from, to;
	unsigned long count;     /* 1 when absent */
	unsigned thread;         /* 0 when absent */
	lc_stack stack;          /* where `to` was acquired */
	lc_stack held_stack;     /* where `from` had been acquired */
	int destroyed;           /* a class summary of dead locks' edges */
	/* The graph is scoped (lc_rgraph.scoped): the distinct contexts,
	 * and how many more the process did not keep. */
	const lc_rgraph_context *contexts;
	unsigned n_contexts;
	unsigned long contexts_dropped;
} lc_rgraph_edge;

/* A lock class of a scoped graph event. module is a position in the
 * graph's modules[], or LC_RGRAPH_NONE (then: the main executable). */
typedef struct lc_rgraph_class {
	unsigned id;             /* the event's "class" number */
	const char *identity;    /* as order files name it; NULL if absent */
	const char *fingerprint; /* what cycle ids hash; never NULL */
	unsigned module;
	int many;                /* several instances took part in order */
} lc_rgraph_class;

/* A thread role of a scoped graph event. */
typedef struct lc_rgraph_role {
	unsigned id;             /* the event's "role" number */
	const char *kind;        /* "main", "thread" or "other" */
	lc_frame routine;        /* kind "thread": the start routine */
	lc_frame site;           /* ... and the caller of pthread_create */
	int has_routine, has_site;
	unsigned max_live;       /* most threads of the role alive at once */
	unsigned threads;        /* how many it started */
	const char *name;        /* a thread name of the role, or NULL */
} lc_rgraph_role;

/* A module (executable or library) a scoped graph event names. */
typedef struct lc_rgraph_module {
	unsigned id;             /* the event's "module" number */
	const char *path;        /* NULL if absent */
	const char *build_id;    /* hex GNU build-id, NULL when none */
	int main;                /* the main executable */
} lc_rgraph_module;

#define LC_RGRAPH_NONE ((unsigned)-1)

/* One "graph" event. */
typedef struct lc_rgraph {
	int pid;                 /* the event's pid, else its process's */
	size_t process;          /* index into the set's procs */
	const lc_rgraph_lock *locks;
	unsigned n_locks;
	const lc_rgraph_edge *edges;
	unsigned n_edges;
	int stacks_omitted;      /* "stacks_omitted":true (a huge graph) */
	const char *file;
	unsigned line;
	/* Suite-wide cycles (issue 16). scoped: the event has "classes" and
	 * they, its "roles", "modules", the locks' "class" and the edges'
	 * "contexts" all read well and name each other consistently;
	 * otherwise (an older shim, or a malformed new field, reported in
	 * one line) none of them is filled and the process takes no part in
	 * the suite merge. */
	int scoped;
	const lc_rgraph_class *classes;
	unsigned n_classes;
	const lc_rgraph_role *roles;
	unsigned n_roles;
	const lc_rgraph_module *modules;
	unsigned n_modules;
	unsigned main_module;    /* position of the main executable, or
				  * LC_RGRAPH_NONE */
} lc_rgraph;

/* The longest line the reader takes, in bytes. Longer lines are one error
 * each and skipped without being held in memory: far more than the largest
 * event a shim writes (a graph of 10,000 edges with their stacks is some
 * tens of MB), small enough that a corrupt file of one endless line cannot
 * exhaust memory (jansson's tree takes several times the text). */
#define LC_READ_LINE_MAX ((size_t)256 << 20)
#define LC_READ_LIMITS_MAX 32

/* Opaque bookkeeping of the reader (memory arena, warned kinds). */
struct lc_read_internal;
struct lc_report_set;

/* Called for each graph event as it is read (lc_report_set.graph_sink):
 * g and everything it points to lives until the call returns, unless the
 * set keeps graphs (keep_graphs), so a consumer copies what it keeps. */
typedef void lc_graph_sink(void *arg, struct lc_report_set *set,
			   const lc_rgraph *g);

typedef struct lc_report_set {
	lc_rfinding *findings;   /* in reading order */
	size_t n_findings;
	lc_rprocess *procs;      /* in reading order */
	size_t n_procs;
	lc_rgraph *graphs;       /* graph events, in reading order */
	size_t n_graphs;
	unsigned n_files;        /* report files read (or attempted) */
	unsigned n_errors;       /* unreadable files + malformed lines */
	unsigned n_unknown;      /* findings skipped for an unknown kind */
	const char *prog;        /* prefix of diagnostics, e.g. "lockcheck" */
	FILE *diag;              /* diagnostics stream; NULL: stderr */
	size_t line_max;         /* longest line read; 0: LC_READ_LINE_MAX */
	/* Streaming (tools/suite.c): when graph_sink is set, each graph
	 * event is handed to it as read and its memory released after the
	 * call, so reading many logs costs what the consumer keeps, not the
	 * input; graphs[] stays empty unless keep_graphs is set too. */
	lc_graph_sink *graph_sink;
	void *graph_arg;
	int keep_graphs;
	struct lc_read_internal *in;
	size_t cap_findings, cap_procs, cap_graphs;
} lc_report_set;

/* Prepares an empty set. prog prefixes every diagnostic line. Cannot fail. */
void lc_read_init(lc_report_set *set, const char *prog);

/* Reads path: a report file, or a directory, whose *.jsonl files (not
 * recursing) are read in name order, numbers compared as numbers (so
 * lockcheck.99.jsonl comes before lockcheck.101.jsonl). Returns the number of
 * errors this call added to set->n_errors (0: all read). */
unsigned lc_read_path(lc_report_set *set, const char *path);

/* Reads one report file, ignoring the lines that start before byte offset
 * `from` (0: the whole file; used to read only what a run appended to a file
 * that existed before). Line numbers in diagnostics still count from the
 * start of the file. Returns the number of errors added. */
unsigned lc_read_file(lc_report_set *set, const char *path, off_t from);

/* Reads report lines from fp, which is named `name` in diagnostics, as
 * lc_read_file does (it does not count a file and does not close fp). For
 * callers that hold the text already (tests/fuzz/ reads a buffer through
 * fmemopen). Returns the number of errors added. */
unsigned lc_read_stream(lc_report_set *set, FILE *fp, const char *name,
			off_t from);

/* How many times finding `id` occurred in process `proc` (an index into
 * set->procs): its "repeats" count from the process's end event, 1 when the
 * end event does not list it (or there is none). */
unsigned lc_read_instances(const lc_report_set *set, size_t proc,
			   const char *id);

/* Frees everything the set owns; the set is empty and reusable afterwards
 * (as after lc_read_init with the same prog and diag). */
void lc_read_free(lc_report_set *set);

/* n bytes of zeroed, maximally aligned memory owned by the set (freed by
 * lc_read_free), or NULL when out of memory. For code that rewrites what was
 * read (tools/symbolize.c replaces frames arrays and adds strings) and must
 * not outlive the set. */
void *lc_read_alloc(lc_report_set *set, size_t n);

/* A copy of s owned by the set, or NULL when out of memory. */
char *lc_read_strdup(lc_report_set *set, const char *s);

/* Parses a hex string "0x..." (1 to 16 digits) into *out. Returns 0, or -1
 * if s is not one. Exposed for tools that take addresses on the command line. */
int lc_read_hex(const char *s, uint64_t *out);

#endif
