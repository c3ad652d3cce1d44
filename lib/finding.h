/*
 * finding.h: a finding as plain data.
 *
 * A detector describes what it found in these structures and hands them to the
 * report writer (report.c), which writes a JSON line and a text block. The CLI
 * reads JSON lines back into the very same structures (tools/read.c), so there
 * is one renderer (render_text.c) and one description of a report: this file.
 * Nothing here owns memory: the producer keeps the strings and arrays alive
 * while the finding is rendered.
 *
 * The JSON form of every field is documented in README.md ("Report format").
 *
 * Glossary: "held" is the side of an edge that was already held, "new" the lock
 * being acquired; a lock "id" is a small per-process serial, not an address.
 */
#ifndef LC_FINDING_H
#define LC_FINDING_H

#include <stdint.h>

/* Every kind of the contract. A switch over this enum has no default, so a new
 * kind cannot be forgotten by a renderer. */
typedef enum lc_finding_kind {
	LC_KIND_LOCK_ORDER_INVERSION,
	LC_KIND_DEADLOCK,
	LC_KIND_DOUBLE_LOCK,
	LC_KIND_BAD_UNLOCK,
	LC_KIND_DESTROY_LOCKED,
	LC_KIND_COND_WAIT_UNHELD,
	LC_KIND_HELD_AT_EXIT,
	LC_KIND_ORDER_VIOLATION,
	LC_KIND_LONG_WAIT,
	LC_KIND_INVALID_USE,   /* detail: destroyed, uninitialised */
	LC_KIND_REINIT,
	LC_KIND_COND_MISUSE,   /* detail: destroyed-with-waiters, two-mutexes */
	LC_KIND_SEM_MISUSE,    /* detail: destroyed-with-waiters, overflow */
	LC_KIND_BARRIER_MISUSE, /* detail: destroyed-with-waiters, zero-count */
	LC_KIND_COUNT
} lc_finding_kind;

typedef enum lc_severity { LC_SEV_WARNING, LC_SEV_ERROR } lc_severity;

/* One stack frame. module/offset are what the process knows; function is the
 * nearest symbol if one was found (NULL otherwise), as people read it (C++
 * demangled, demangle.h), and symbol the raw symbol when it differs from
 * function (a mangled name; NULL otherwise); file/line, the source
 * line's text, and `inlined` (this frame was inlined into the next one) are
 * filled only by offline symbolisation in the CLI (NULL/0 otherwise). */
typedef struct lc_frame {
	uint64_t pc;
	const char *module;
	uint64_t offset;
	const char *function;
	const char *symbol;
	const char *file;
	int line;
	const char *source;
	int inlined;
} lc_frame;

typedef struct lc_stack {
	const lc_frame *frames;
	unsigned depth;
} lc_stack;

typedef struct lc_finding_lock {
	unsigned id;
	uint64_t address;    /* a bit lock's: its word's */
	const char *type;    /* "mutex", "recursive-mutex", "rwlock", ... */
	int bit;             /* type "bit-lock": which bit of the word */
	const char *name;    /* symbol (C++ demangled) or user-given name; NULL
			      * for anonymous */
	const char *symbol;  /* the raw symbol (and +0xOFF) when it differs
			      * from name (a mangled name), else NULL */
	const char *identity; /* its class, as order files and graph events
			       * name it (name, or "@function+0xOFF"); NULL
			       * when not known (an older shim's report) */
	lc_stack created;    /* creation site (at least the calling frame) */
	int destroyed;       /* dead when reported: a cycle closed through it
			      * after it was destroyed (graph.c's bypass) */
} lc_finding_lock;

typedef struct lc_finding_thread {
	unsigned id;         /* per-process serial, 1 = main thread */
	const char *name;    /* NULL when the thread never named itself */
} lc_finding_thread;

/* A process a finding of the whole suite speaks of (tools/suite.c): where an
 * edge was seen, so that a developer can rerun that half. */
typedef struct lc_finding_process {
	int pid;
	const char *exe;         /* NULL when unknown */
	const char *const *argv;
	unsigned argc;
} lc_finding_process;

/* A longer cycle that is the same bug as the finding it is listed under
 * (tools/fold.c): its locks include the finding's, in the same cyclic
 * order, so the same fix breaks it. */
typedef struct lc_finding_also {
	const char *id;
	const char *cycle;       /* "a => b => c => a" */
} lc_finding_also;

/* An edge held -> new of the lock-order graph: `thread` acquired lock `to`
 * while holding lock `from`. held_stack is where `from` was acquired (at least
 * its call site), stack is where `to` was acquired. held_mode/mode are "read"
 * or "write" for read-write locks, NULL for exclusive-only locks. */
typedef struct lc_finding_edge {
	unsigned from, to, thread;
	const char *held_mode;
	const char *mode;
	lc_stack held_stack;
	lc_stack stack;
	/* A cycle judged over several processes (tools/suite.c): the
	 * process this edge was seen in, and `thread` is then a thread role
	 * (an index into threads, whose name describes the role). NULL in a
	 * process's own findings. */
	const lc_finding_process *process;
} lc_finding_edge;

/* A place a finding other than a cycle speaks of: what the thread did there,
 * as a verb phrase whose subject is the thread and whose object is the lock
 * ("relocks", "acquired", "unlocks", "destroys", "waits on a condition
 * with", "ended", "waits for", "waits to join thread T3"). */
typedef struct lc_finding_site {
	const char *what;
	unsigned thread;
	unsigned lock;       /* 0 when the site is about no single lock */
	lc_stack stack;
} lc_finding_site;

typedef struct lc_finding {
	lc_finding_kind kind;
	lc_severity severity;
	const char *id;      /* stable across runs: no addresses in it */
	const char *message; /* one line */
	int pid;
	const lc_finding_lock *locks;
	unsigned n_locks;
	const lc_finding_thread *threads;
	unsigned n_threads;
	/* lock-order-inversion: the cycle as lock ids, edges[i] goes from
	 * cycle[i] to cycle[(i+1) % n_cycle]. */
	const unsigned *cycle;
	unsigned n_cycle;
	const lc_finding_edge *edges;
	unsigned n_edges;
	/* lock-order-inversion: why it can or cannot deadlock (the contract's
	 * verdict names), and for "guarded" the gate lock's id. */
	const char *verdict;
	unsigned gate;
	/* lock-order-inversion: the fix in sorted-acquire terms. fix_order is
	 * the order the rest of the program follows (lock ids); fix_break the
	 * indices into edges of the edges that go against it. */
	const unsigned *fix_order;
	unsigned n_fix_order;
	const unsigned *fix_break;
	unsigned n_fix_break;
	/* Every other kind: the sites, the most recent first. */
	const lc_finding_site *sites;
	unsigned n_sites;
	/* Which case of the kind, where it has several (destroy-locked:
	 * "destroyed", "reinitialised", "reused"); NULL otherwise. */
	const char *detail;
	/* lock-order-inversion: the longer cycles folded into this one
	 * (the CLI's merge, tools/fold.c: one bug, one finding). */
	const lc_finding_also *also;
	unsigned n_also;
	/* lock-order-inversion, from the shim: the id of an already reported
	 * shorter cycle whose locks this one's include in order: the same
	 * bug, written for the CLI to fold and not shown on stderr. */
	const char *folded_into;
} lc_finding;

/* FNV-1a over a string, continuing from h (start with LC_HASH_START): the
 * hash of finding ids, shared by the shim and the CLI so that a cycle the
 * CLI finds over several processes has the id a process would give it. */
#define LC_HASH_START 0xcbf29ce484222325ull
uint64_t lc_hash_str(uint64_t h, const char *s);
/* Formats a finding id ("lc1-" + 16 hex digits) into buf (>= 24 bytes). */
void lc_format_id(char *buf, uint64_t id);

/* The contract's name of a kind ("lock-order-inversion", ...). */
const char *lc_finding_kind_name(lc_finding_kind kind);
/* Parses a kind name; returns 0 and sets *out, or -1 if unknown. */
int lc_finding_kind_parse(const char *name, lc_finding_kind *out);
/* "error" or "warning". */
const char *lc_severity_name(lc_severity s);
/* Looks a lock up by id among f->locks; NULL if absent. */
const lc_finding_lock *lc_finding_lock_by_id(const lc_finding *f, unsigned id);
/* Looks a thread up by id among f->threads; NULL if absent. */
const lc_finding_thread *lc_finding_thread_by_id(const lc_finding *f,
						 unsigned id);

#endif
