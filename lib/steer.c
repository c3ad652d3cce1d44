/*
 * steer.c: steering mode (see steer.h): the cycle's edges, the match of an
 * acquisition against them, and the pauses.
 *
 * Matching needs a lock's class as reports name it (lc_describe_lock: a
 * symbol lookup), so each record's result is kept by id in a small table:
 * bit e of `held` says the lock is of edge e's held class, bit e of
 * `wanted` of its wanted class. Everything here runs only in steering mode,
 * under one mutex of its own; a paused thread sleeps outside it, polling
 * its slot every millisecond.
 */
#define _GNU_SOURCE
#include "steer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "describe.h"
#include "report.h"
#include "sync.h"
#include "textfile.h"
#include "warn.h"

int lc_steer_on;

typedef struct steer_edge {
	const char *held;     /* class keys */
	const char *wanted;
	const char *module;   /* site: module base name, or NULL (any) */
	uint64_t offset;
	const char *function; /* the site's function, or NULL (unknown) */
} steer_edge;

/* A pause longer than a minute is no schedule: the file is wrong. */
#define PAUSE_MAX_MS 60000u

static steer_edge edges[LC_STEER_EDGES];
static unsigned n_edges;
static unsigned pause_min_ms = 50, pause_max_ms = 1000;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

/* ---- the file ---- */

static char *next_field(char **p)
{
	char *s = *p;
	if (!s)
		return NULL;
	char *tab = strchr(s, '\t');
	if (tab) {
		*tab = '\0';
		*p = tab + 1;
	} else {
		*p = NULL;
	}
	return s;
}

static int add_line(char *line, unsigned number, void *arg)
{
	const char *path = arg;
	char *p = line;
	char *key = next_field(&p);
	if (strcmp(key, "edge") == 0) {
		char *held = next_field(&p), *wanted = next_field(&p);
		char *module = next_field(&p), *offset = next_field(&p);
		if (!held || !wanted || !module || !offset || !*held ||
		    !*wanted) {
			lc_warn("steer %s:%u: an edge needs a held class, a "
				"wanted class, a module and an offset (line "
				"ignored)", path, number);
			return -1;
		}
		if (n_edges == LC_STEER_EDGES) {
			lc_warn("steer %s:%u: more than %d edges (line "
				"ignored)", path, number, LC_STEER_EDGES);
			return -1;
		}
		steer_edge *e = &edges[n_edges++];
		e->held = held;
		e->wanted = wanted;
		e->module = strcmp(module, "-") == 0 ? NULL : module;
		e->offset = strtoull(offset, NULL, 16);
		char *function = next_field(&p);
		e->function = function && *function && strcmp(function, "-")
				      ? function
				      : NULL;
		return 0;
	}
	char *value = next_field(&p);
	char *end = NULL;
	unsigned long long v = value ? strtoull(value, &end, 10) : 0;
	if (!value || end == value || *end) {
		lc_warn("steer %s:%u: '%.40s' needs a number (line ignored)",
			path, number, key);
		return -1;
	}
	int pause = strcmp(key, "pause_min_ms") == 0 ||
		    strcmp(key, "pause_max_ms") == 0;
	if (pause && v > PAUSE_MAX_MS) {
		lc_warn("steer %s:%u: %s above %u ms (line ignored)", path,
			number, key, PAUSE_MAX_MS);
		return -1;
	}
	if (strcmp(key, "pause_min_ms") == 0)
		pause_min_ms = (unsigned)v;
	else if (strcmp(key, "pause_max_ms") == 0)
		pause_max_ms = (unsigned)v;
	else if (strcmp(key, "seed") == 0)
		rng = v ? v : 1;
	else {
		lc_warn("steer %s:%u: unknown key '%.40s' (line ignored)",
			path, number, key);
		return -1;
	}
	return 0;
}

static void loaded(void)
{
	if (pause_max_ms < pause_min_ms)
		pause_max_ms = pause_min_ms;
	lc_steer_on = n_edges > 0;
}

int lc_steer_load(const char *path)
{
	if (lc_textfile_lines(path, "steer", 1 << 20, add_line,
			      (void *)path) < 0)
		return -1;
	loaded();
	return 0;
}

int lc_steer_parse(char *text, size_t len, const char *path)
{
	int bad = lc_textfile_parse(text, len, "steer", path, add_line,
				    (void *)path);
	loaded();
	return bad;
}

unsigned lc_steer_edges(const char **held, const char **wanted, unsigned max)
{
	for (unsigned e = 0; e < n_edges && e < max; e++) {
		held[e] = edges[e].held;
		wanted[e] = edges[e].wanted;
	}
	return n_edges;
}

void lc_steer_pauses(unsigned *min_ms, unsigned *max_ms)
{
	*min_ms = pause_min_ms;
	*max_ms = pause_max_ms;
}

void lc_steer_clear(void)
{
	n_edges = 0;
	pause_min_ms = 50;
	pause_max_ms = 1000;
	lc_steer_on = 0;
}

/* ---- matching ---- */

static lc_mutex steer_mutex = LC_MUTEX_INIT;

/* A thread whose pauses at an edge ran out this many times is not paused
 * there again: a loop through the edge must not make the run crawl (the
 * other half of the cycle is not coming, in this run). */
#define PAUSES_PER_EDGE 2

#define CLASS_SLOTS 4096
static struct {
	uint32_t id;      /* 0: empty */
	uint16_t held;    /* edges whose held class this lock is */
	uint16_t wanted;  /* edges whose wanted class it is */
} classes[CLASS_SLOTS];
static int said_classes_full;

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : path;
}

/* The edges a lock's class plays a part in (steer mutex held). */
static void class_match(lc_lock *l, uint16_t *held, uint16_t *wanted)
{
	uint32_t i = (l->id * 0x9E3779B1u) >> 20;
	for (unsigned probe = 0; probe < CLASS_SLOTS;
	     probe++, i = (i + 1) & (CLASS_SLOTS - 1)) {
		if (classes[i].id == l->id) {
			*held = classes[i].held;
			*wanted = classes[i].wanted;
			return;
		}
		if (!classes[i].id)
			break;
	}
	static lc_lock_view v; /* large; the steer mutex is held */
	lc_describe_lock(l, &v);
	*held = *wanted = 0;
	for (unsigned e = 0; e < n_edges; e++) {
		if (strcmp(v.class_key, edges[e].held) == 0)
			*held |= (uint16_t)(1u << e);
		if (strcmp(v.class_key, edges[e].wanted) == 0)
			*wanted |= (uint16_t)(1u << e);
	}
	if (!classes[i].id) {
		classes[i].id = l->id;
		classes[i].held = *held;
		classes[i].wanted = *wanted;
	} else if (!said_classes_full) {
		said_classes_full = 1;
		lc_warn("steer: more than %d locks seen; the others' classes "
			"are looked up again at each acquisition", CLASS_SLOTS);
	}
}

/* Is the acquisition's site the edge's? The same module and offset; or,
 * for a program rebuilt since the report (its offsets moved), the same
 * module and function. */
static int site_matches(const steer_edge *e, const lc_frame *site)
{
	if (!e->module)
		return 1;
	if (!site->module || strcmp(base_name(site->module), e->module) != 0)
		return 0;
	if (site->offset == e->offset)
		return 1;
	return e->function && site->function &&
	       strcmp(site->function, e->function) == 0;
}

void lc_steer_match(lc_thread *t, lc_lock *wanted, uintptr_t pc)
{
	t->steer_edges = 0;
	lc_mutex_lock(&steer_mutex);
	uint16_t held_of, wanted_of;
	class_match(wanted, &held_of, &wanted_of);
	uint16_t mask = 0;
	if (wanted_of) {
		lc_frame site;
		lc_report_frame(pc, &site);
		for (unsigned e = 0; e < n_edges; e++) {
			if (!(wanted_of & (1u << e)) ||
			    t->steer_timeouts[e] >= PAUSES_PER_EDGE)
				continue;
			if (!site_matches(&edges[e], &site))
				continue;
			/* The held lock of the edge's class: the newest. */
			for (uint32_t h = t->n_held; h-- > 0;) {
				lc_lock *l = t->held[h].lock;
				if (!l || l == wanted)
					continue;
				uint16_t hh, hw;
				class_match(l, &hh, &hw);
				if (hh & (1u << e)) {
					mask |= (uint16_t)(1u << e);
					t->steer_held[e] = (uintptr_t)l;
					break;
				}
			}
		}
	}
	lc_mutex_unlock(&steer_mutex);
	t->steer_wanted = (uintptr_t)wanted;
	t->steer_edges = mask;
}

/* ---- pauses ---- */

typedef struct slot {
	lc_thread *thread;    /* NULL: free */
	uint16_t edges;       /* the edges it may stand for */
	_Atomic int go;       /* released with a cycle */
} slot;

static slot slots[LC_STEER_SLOTS];
static int fired; /* a release happened: no more pauses */

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Picks for edges e..n_edges-1 a slot each, the instances chained from
 * `want` (the previous edge's wanted lock); the last one's wanted lock
 * must be `first_held`. chosen[] gets the slots. Steer mutex held. */
static int close_cycle(unsigned e, uintptr_t want, uintptr_t first_held,
		       unsigned chosen[])
{
	if (e == n_edges)
		return want == first_held;
	for (unsigned s = 0; s < LC_STEER_SLOTS; s++) {
		lc_thread *u = slots[s].thread;
		if (!u || !(slots[s].edges & (1u << e)) ||
		    u->steer_held[e] != want)
			continue;
		int used = 0;
		for (unsigned k = 0; k < e; k++)
			used |= chosen[k] == s;
		if (used)
			continue;
		chosen[e] = s;
		if (close_cycle(e + 1, u->steer_wanted, first_held, chosen))
			return 1;
	}
	return 0;
}

/* A set of paused threads, one per edge, whose instances close the cycle:
 * released. Steer mutex held. */
static int try_release(void)
{
	unsigned chosen[LC_STEER_EDGES];
	for (unsigned s = 0; s < LC_STEER_SLOTS; s++) {
		lc_thread *u = slots[s].thread;
		if (!u || !(slots[s].edges & 1u))
			continue;
		chosen[0] = s;
		if (close_cycle(1, u->steer_wanted, u->steer_held[0], chosen)) {
			fired = 1;
			for (unsigned e = 0; e < n_edges; e++)
				atomic_store(&slots[chosen[e]].go, 1);
			return 1;
		}
	}
	return 0;
}

void lc_steer_pause(lc_thread *t)
{
	uint16_t mask = t->steer_edges;
	t->steer_edges = 0;
	if (!mask)
		return;
	int saved_errno = errno;
	lc_mutex_lock(&steer_mutex);
	slot *mine = NULL;
	for (unsigned s = 0; !fired && s < LC_STEER_SLOTS && !mine; s++)
		if (!slots[s].thread) {
			mine = &slots[s];
			mine->thread = t;
			mine->edges = mask;
			atomic_store(&mine->go, 0);
		}
	if (!mine) {
		lc_mutex_unlock(&steer_mutex);
		errno = saved_errno;
		return;
	}
	unsigned budget = pause_min_ms +
			  (unsigned)(next_random() %
				     (pause_max_ms - pause_min_ms + 1));
	lc_report_steer("pause", mask, t->id, budget);
	int released = try_release();
	if (released)
		lc_report_steer("release", mask, t->id, 0);
	lc_mutex_unlock(&steer_mutex);

	unsigned waited = 0;
	while (!atomic_load(&mine->go) && waited < budget) {
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);
		waited++;
	}
	lc_mutex_lock(&steer_mutex);
	int go = atomic_load(&mine->go);
	mine->thread = NULL;
	if (!go) {
		lc_report_steer("timeout", mask, t->id, waited);
		for (unsigned e = 0; e < n_edges; e++)
			if ((mask & (1u << e)) && t->steer_timeouts[e] < 255)
				t->steer_timeouts[e]++;
	}
	lc_mutex_unlock(&steer_mutex);
	errno = saved_errno;
}
