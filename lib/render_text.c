/*
 * render_text.c: a finding as the text a person reads.
 *
 * Layout (the headline is an API; the rest may improve):
 *
 *   ==PID== lockcheck: lock-order-inversion (potential deadlock) [error]
 *     Cycle of 2 locks: lock_a => lock_b => lock_a
 *
 *     lock_b acquired by thread T2 here, while holding lock_a:
 *       #0 take_b_after_a  app+0x11d9
 *       ...
 *     lock_a was acquired by thread T2 here:
 *       #0 ...
 *     (one such block per edge, as ThreadSanitizer prints them)
 *
 *     Locks: ...    Threads: ...
 *     Possible unsafe locking scenario: (lockdep's table, one column per edge)
 *     *** DEADLOCK ***
 *     id: lc1-...
 *   SUMMARY: lockcheck: <kind> <message>
 *
 * Anonymous locks (heap, stack) are shown as M<id> and described by their
 * creation site. Nothing here knows where the finding came from: the shim and
 * the CLI both feed it an lc_finding.
 */
#include "render_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_BOLD "\033[1m"
#define C_CYAN "\033[36m"
#define C_DIM "\033[2m"
#define C_OFF "\033[0m"

/* The contract's kinds with the few words a headline adds. No default: a new
 * kind must be described here. */
static const char *kind_gloss(lc_finding_kind kind)
{
	switch (kind) {
	case LC_KIND_LOCK_ORDER_INVERSION: return "potential deadlock";
	case LC_KIND_DEADLOCK: return "threads are blocked on each other";
	case LC_KIND_DOUBLE_LOCK: return "thread relocks a lock it holds";
	case LC_KIND_BAD_UNLOCK: return "unlock of a lock not held";
	case LC_KIND_DESTROY_LOCKED: return "destroy of a held lock";
	case LC_KIND_COND_WAIT_UNHELD: return "condition wait without its mutex";
	case LC_KIND_HELD_AT_EXIT: return "thread ended holding locks";
	case LC_KIND_ORDER_VIOLATION: return "acquisition against the declared order";
	case LC_KIND_LONG_WAIT: return "lock wait too long";
	case LC_KIND_INVALID_USE: return "use of a destroyed or uninitialised object";
	case LC_KIND_REINIT: return "init of a live object";
	case LC_KIND_COND_MISUSE: return "condition variable misuse";
	case LC_KIND_SEM_MISUSE: return "semaphore misuse";
	case LC_KIND_BARRIER_MISUSE: return "barrier misuse";
	case LC_KIND_COUNT: break;
	}
	return "unknown";
}

/* Why a cycle with this verdict cannot deadlock, in a few words. Only for
 * verdicts whose reason does not depend on the edges shown (single-thread
 * does: put_single_thread_reason). */
static const char *verdict_reason(const char *verdict)
{
	if (strcmp(verdict, "guarded") == 0)
		return "a gate lock held at both acquisitions serialises them";
	if (strcmp(verdict, "ordered") == 0)
		return "thread create/join order keeps the acquisitions apart";
	if (strcmp(verdict, "read-shared") == 0)
		return "only read acquisitions close the cycle";
	if (strcmp(verdict, "class-cycle") == 0)
		return "a lock class of many instances closes it, and the "
		       "processes may have held different ones";
	return verdict;
}

/* The first edge index after i whose thread is edge i's, or n. */
static unsigned same_thread_after(const lc_finding *f, unsigned i)
{
	for (unsigned k = i + 1; k < f->n_edges; k++)
		if (f->edges[k].thread == f->edges[i].thread)
			return k;
	return f->n_edges;
}

/* Do the edges shown come from pairwise different threads? */
static int threads_distinct(const lc_finding *f)
{
	for (unsigned i = 0; i < f->n_edges; i++)
		if (same_thread_after(f, i) < f->n_edges)
			return 0;
	return 1;
}

static const char *base_name(const char *path)
{
	if (!path)
		return "?";
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void put_color(lc_buf *b, int color, const char *code)
{
	if (color)
		lc_buf_puts(b, code);
}

/* A lock's short label: its name, or M<id> when it has none. */
static void put_lock_label(lc_buf *b, const lc_finding *f, unsigned id,
			   int color)
{
	const lc_finding_lock *l = lc_finding_lock_by_id(f, id);
	put_color(b, color, C_CYAN);
	if (l && l->name)
		lc_buf_puts(b, l->name);
	else
		lc_buf_printf(b, "M%u", id);
	put_color(b, color, C_OFF);
}

/* The label, and " (destroyed)" for a lock that was dead when reported. */
static void put_lock_label_state(lc_buf *b, const lc_finding *f, unsigned id,
				 int color)
{
	const lc_finding_lock *l = lc_finding_lock_by_id(f, id);
	put_lock_label(b, f, id, color);
	if (l && l->destroyed)
		lc_buf_puts(b, " (destroyed)");
}

static void put_thread_label(lc_buf *b, const lc_finding *f, unsigned id)
{
	const lc_finding_thread *t = lc_finding_thread_by_id(f, id);
	lc_buf_printf(b, "T%u", id);
	if (t && t->name)
		lc_buf_printf(b, " (%s)", t->name);
}

/* The frame a one-line mention should name: the first that was not inlined
 * into another (after offline symbolisation, frame 0 may be a helper such as
 * __gthread_mutex_lock inlined into the caller that matters). */
static const lc_frame *main_frame(const lc_stack *s)
{
	for (unsigned i = 0; i < s->depth; i++)
		if (!s->frames[i].inlined)
			return &s->frames[i];
	return s->depth ? &s->frames[0] : NULL;
}

static void put_frame(lc_buf *b, unsigned index, const lc_frame *fr)
{
	lc_buf_printf(b, "      #%u %s", index,
		      fr->function ? fr->function : "<unknown>");
	if (fr->file)
		lc_buf_printf(b, "  %s:%d", fr->file, fr->line);
	lc_buf_printf(b, "  (%s+0x%" PRIx64 ")%s\n", base_name(fr->module),
		      fr->offset, fr->inlined ? " [inlined]" : "");
	if (fr->source) {
		/* The source line, its indentation kept, as sanitizers do. */
		lc_buf_printf(b, "         %5d | %s\n", fr->line, fr->source);
	}
}

static void put_stack(lc_buf *b, const lc_stack *s)
{
	if (s->depth == 0) {
		lc_buf_puts(b, "      <no stack>\n");
		return;
	}
	for (unsigned i = 0; i < s->depth; i++)
		put_frame(b, i, &s->frames[i]);
}

static void put_cycle_line(lc_buf *b, const lc_finding *f, int color)
{
	lc_buf_printf(b, "  Cycle of %u locks: ", f->n_cycle);
	for (unsigned i = 0; i <= f->n_cycle; i++) {
		if (i)
			lc_buf_puts(b, " => ");
		put_lock_label_state(b, f, f->cycle[i % f->n_cycle], color);
	}
	lc_buf_puts(b, "\n");
}

static void put_mode(lc_buf *b, const char *mode)
{
	if (mode)
		lc_buf_printf(b, " (%s)", mode);
}

/* A cycle of the whole suite (tools/suite.c) names the process each edge
 * was seen in, with its command line, so that each half can be run again.
 * A process's own findings have none, and print nothing here. */
static void put_process(lc_buf *b, const lc_finding_process *p)
{
	if (!p)
		return;
	lc_buf_printf(b, "  seen in pid %d:", p->pid);
	for (unsigned i = 0; i < p->argc; i++)
		lc_buf_printf(b, " %s", p->argv[i]);
	if (p->exe)
		lc_buf_printf(b, " (exe %s)", p->exe);
	lc_buf_puts(b, "\n");
}

static void put_edges(lc_buf *b, const lc_finding *f, int color)
{
	for (unsigned i = 0; i < f->n_edges; i++) {
		const lc_finding_edge *e = &f->edges[i];
		lc_buf_puts(b, "\n  ");
		put_lock_label(b, f, e->to, color);
		put_mode(b, e->mode);
		lc_buf_puts(b, " acquired by thread ");
		put_thread_label(b, f, e->thread);
		lc_buf_puts(b, " here, while holding ");
		put_lock_label(b, f, e->from, color);
		put_mode(b, e->held_mode);
		lc_buf_puts(b, ":\n");
		put_stack(b, &e->stack);
		lc_buf_puts(b, "  ");
		put_lock_label(b, f, e->from, color);
		lc_buf_puts(b, " was acquired by thread ");
		put_thread_label(b, f, e->thread);
		lc_buf_puts(b, " here:\n");
		put_stack(b, &e->held_stack);
		put_process(b, e->process);
	}
}

/* Every kind but inversions: "thread T<n> <what> <lock>:" and the stack,
 * where `what` is a verb phrase ("relocks", "waits for", "acquired"). */
static void put_sites(lc_buf *b, const lc_finding *f, int color)
{
	for (unsigned i = 0; i < f->n_sites; i++) {
		const lc_finding_site *s = &f->sites[i];
		lc_buf_puts(b, "\n  thread ");
		put_thread_label(b, f, s->thread);
		lc_buf_printf(b, " %s", s->what ? s->what : "was");
		if (s->lock) {
			lc_buf_puts(b, " ");
			put_lock_label(b, f, s->lock, color);
		}
		lc_buf_puts(b, ":\n");
		put_stack(b, &s->stack);
	}
}

/* The fix in sorted-acquire terms: the order the rest of the program
 * follows, and each edge against it. */
static void put_fix(lc_buf *b, const lc_finding *f, int color)
{
	if (f->n_fix_order < 2)
		return;
	lc_buf_puts(b, "\n  Fix (sorted acquire): elsewhere the program takes ");
	for (unsigned i = 0; i < f->n_fix_order; i++) {
		if (i)
			lc_buf_puts(b, i + 1 < f->n_fix_order ? ", then " : " and then ");
		put_lock_label(b, f, f->fix_order[i], color);
	}
	lc_buf_puts(b, ".\n");
	for (unsigned k = 0; k < f->n_fix_break; k++) {
		if (f->fix_break[k] >= f->n_edges)
			continue;
		const lc_finding_edge *e = &f->edges[f->fix_break[k]];
		const lc_frame *top = main_frame(&e->stack);
		lc_buf_puts(b, "  Thread ");
		put_thread_label(b, f, e->thread);
		lc_buf_puts(b, " goes against it: it takes ");
		put_lock_label(b, f, e->to, color);
		lc_buf_puts(b, " while holding ");
		put_lock_label(b, f, e->from, color);
		if (top && top->function)
			lc_buf_printf(b, " in %s", top->function);
		lc_buf_puts(b, ".\n  Take ");
		put_lock_label(b, f, e->to, color);
		lc_buf_puts(b, " before ");
		put_lock_label(b, f, e->from, color);
		lc_buf_puts(b, " there, or both at once with lockcheck_lock_all().\n");
	}
}

static void put_locks(lc_buf *b, const lc_finding *f, int color)
{
	if (f->n_locks == 0)
		return;
	lc_buf_puts(b, "\n  Locks:\n");
	for (unsigned i = 0; i < f->n_locks; i++) {
		const lc_finding_lock *l = &f->locks[i];
		lc_buf_puts(b, "    ");
		put_lock_label(b, f, l->id, color);
		lc_buf_printf(b, ": %s at 0x%" PRIx64, l->type ? l->type : "lock",
			      l->address);
		if (l->type && strcmp(l->type, "bit-lock") == 0)
			lc_buf_printf(b, " bit %d", l->bit);
		if (l->created.depth) {
			const lc_frame *fr = main_frame(&l->created);
			lc_buf_printf(b, ", first seen in %s (%s+0x%" PRIx64 ")",
				      fr->function ? fr->function : "<unknown>",
				      base_name(fr->module), fr->offset);
		}
		if (l->destroyed && f->kind == LC_KIND_LOCK_ORDER_INVERSION)
			lc_buf_puts(b, ", destroyed before the cycle closed "
				       "(a new lock made there takes its place)");
		else if (l->destroyed)
			lc_buf_puts(b, ", destroyed");
		lc_buf_puts(b, "\n");
	}
}

/* Why the edges shown cannot run at once when one thread made two of them:
 * it names that thread and its two edges (the words follow the data: "one
 * thread made every edge" only when that is what the edges say). */
static void put_single_thread_reason(lc_buf *b, const lc_finding *f, int color)
{
	unsigned i = 0, k = f->n_edges;
	for (; i < f->n_edges && k == f->n_edges; i++)
		k = same_thread_after(f, i);
	if (k == f->n_edges) {
		lc_buf_puts(b, "no choice of the edges' contexts has a "
			       "different thread for each edge");
		return;
	}
	i--;
	const lc_finding_edge *x = &f->edges[i], *y = &f->edges[k];
	int every = 1;
	for (unsigned j = 0; j < f->n_edges; j++)
		every &= f->edges[j].thread == x->thread;
	lc_buf_puts(b, every ? "one thread made every edge (" : "thread ");
	put_thread_label(b, f, x->thread);
	lc_buf_puts(b, every ? "), and a thread cannot wait for itself"
			     : " made both ");
	if (every)
		return;
	put_lock_label(b, f, x->from, color);
	lc_buf_puts(b, " => ");
	put_lock_label(b, f, x->to, color);
	lc_buf_puts(b, " and ");
	put_lock_label(b, f, y->from, color);
	lc_buf_puts(b, " => ");
	put_lock_label(b, f, y->to, color);
	lc_buf_puts(b, ", and every other choice of contexts also needs one "
		       "thread twice: a thread cannot wait for itself");
}

/* Why this cycle cannot deadlock, from its verdict and its edges. */
static void put_cannot_reason(lc_buf *b, const lc_finding *f, int color)
{
	if (strcmp(f->verdict, "single-thread") == 0)
		put_single_thread_reason(b, f, color);
	else
		lc_buf_puts(b, verdict_reason(f->verdict));
}

/* lockdep's "Possible unsafe locking scenario": each edge's thread takes its
 * held lock, then each tries the next lock of the cycle. Columns are edges,
 * so it is drawn only when each edge has a thread of its own (two columns
 * headed by one thread would show a thread waiting for itself); otherwise
 * the reason says which thread made two of the edges. */
static void put_scenario(lc_buf *b, const lc_finding *f, int color)
{
	enum { COL = 24 };
	unsigned n = f->n_edges;
	if (n < 2)
		return;
	int deadlock = !f->verdict || strcmp(f->verdict, "deadlock-possible") == 0;
	if (!threads_distinct(f)) {
		lc_buf_puts(b, "\n   ");
		put_color(b, color, C_BOLD);
		if (deadlock)
			lc_buf_puts(b, " *** DEADLOCK *** (as threads of these "
				       "roles run at once)");
		else {
			lc_buf_puts(b, " cannot deadlock in this run's contexts: ");
			put_cannot_reason(b, f, 0);
		}
		put_color(b, color, C_OFF);
		lc_buf_puts(b, "\n");
		return;
	}
	lc_buf_puts(b, "\n  Possible unsafe locking scenario:\n\n    ");
	for (unsigned i = 0; i < n; i++) {
		char head[32];
		snprintf(head, sizeof head, "T%u", f->edges[i].thread);
		lc_buf_printf(b, "%-*s", i + 1 < n ? COL : 0, head);
	}
	lc_buf_puts(b, "\n    ");
	for (unsigned i = 0; i < n; i++)
		lc_buf_printf(b, "%-*s", i + 1 < n ? COL : 0, "----");
	lc_buf_puts(b, "\n");
	for (int step = 0; step < 2; step++) {
		for (unsigned i = 0; i < n; i++) {
			const lc_finding_edge *e = &f->edges[i];
			unsigned id = step == 0 ? e->from : e->to;
			const lc_finding_lock *l = lc_finding_lock_by_id(f, id);
			char cell[96];
			const char *dead = l && l->destroyed ? "*" : "";
			if (l && l->name)
				snprintf(cell, sizeof cell, "lock(%s%s);", l->name,
					 dead);
			else
				snprintf(cell, sizeof cell, "lock(M%u%s);", id,
					 dead);
			lc_buf_printf(b, "    %*s%s\n", (int)(i * COL), "", cell);
		}
	}
	for (unsigned i = 0; i < f->n_locks; i++)
		if (f->locks[i].destroyed) {
			lc_buf_puts(b, "\n    *: destroyed before the cycle "
				       "closed; the scenario runs with the new "
				       "lock the same code makes");
			break;
		}
	lc_buf_puts(b, "\n   ");
	put_color(b, color, C_BOLD);
	if (deadlock) {
		lc_buf_puts(b, " *** DEADLOCK ***");
	} else {
		lc_buf_puts(b, " cannot deadlock in this run's contexts: ");
		put_cannot_reason(b, f, 0);
	}
	put_color(b, color, C_OFF);
	lc_buf_puts(b, "\n");
}

void lc_render_text(lc_buf *out, const lc_finding *f, int color)
{
	int error = f->severity == LC_SEV_ERROR;
	lc_buf_printf(out, "==%d== ", f->pid);
	put_color(out, color, error ? C_RED : C_YELLOW);
	lc_buf_printf(out, "lockcheck: %s (", lc_finding_kind_name(f->kind));
	if (f->kind == LC_KIND_LOCK_ORDER_INVERSION && f->verdict) {
		lc_buf_puts(out, f->verdict);
		if (f->gate) {
			lc_buf_puts(out, " by ");
			put_lock_label(out, f, f->gate, 0);
		}
	} else if (f->kind == LC_KIND_DESTROY_LOCKED && f->detail &&
		   strcmp(f->detail, "destroyed") != 0) {
		/* The memory of a held lock became a new lock. */
		lc_buf_printf(out, "held lock's memory %s", f->detail);
	} else if (f->kind == LC_KIND_DEADLOCK && f->detail &&
		   strcmp(f->detail, "all-asleep") == 0) {
		/* No cycle: every thread waits for another to wake it. */
		lc_buf_puts(out, "every thread is asleep");
	} else {
		lc_buf_puts(out, kind_gloss(f->kind));
	}
	lc_buf_printf(out, ") [%s]", lc_severity_name(f->severity));
	put_color(out, color, C_OFF);
	lc_buf_puts(out, "\n");
	if (f->n_cycle >= 2)
		put_cycle_line(out, f, color);
	for (unsigned i = 0; i < f->n_also; i++)
		lc_buf_printf(out, "  Also through: %s (%s), the same bug: the "
			      "same fix breaks it\n", f->also[i].cycle,
			      f->also[i].id);
	put_edges(out, f, color);
	put_sites(out, f, color);
	put_locks(out, f, color);
	if (f->kind == LC_KIND_LOCK_ORDER_INVERSION) {
		put_scenario(out, f, color);
		put_fix(out, f, color);
	}
	lc_buf_puts(out, "\n  id: ");
	lc_buf_puts(out, f->id);
	lc_buf_puts(out, "\n");
	put_color(out, color, C_DIM);
	lc_buf_printf(out, "SUMMARY: lockcheck: %s: %s",
		      lc_finding_kind_name(f->kind), f->message ? f->message : "");
	put_color(out, color, C_OFF);
	lc_buf_puts(out, "\n\n");
}
