/*
 * health.c: what a run saw, said after the findings (see health.h).
 *
 * Every line speaks of data the logs hold and nothing else: lock calls come
 * from end events (a process without one has an unknown count, not zero),
 * unchecked programs from unchecked-child events. A process without an end
 * event whose log says it exec'd an unchecked program is explained by that
 * and named once, with the unchecked programs. Lists of processes are cut
 * after NAMED_MAX names ("and N more"): a test suite of thousands must not
 * bury the findings.
 *
 * Which option raises which limit is written down in limit_advice[] (the
 * shim's limit names, lib/limit.c); a limit not listed there is a fixed
 * size.
 */
#include "health.h"

#include <string.h>

/* Processes or programs named in one list, at most. */
#define NAMED_MAX 8
/* Characters of a command line quoted, at most. */
#define ARGV_SHOWN 60

static const char *plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* "pid N (argv...)": the command line cut to ARGV_SHOWN characters. */
static void put_process(lc_buf *b, const lc_rprocess *p)
{
	lc_buf_printf(b, "pid %d", p->pid);
	char cmd[ARGV_SHOWN + 4];
	size_t n = 0;
	for (unsigned i = 0; i < p->argc && n < ARGV_SHOWN; i++) {
		const char *a = p->argv[i];
		if (i)
			cmd[n++] = ' ';
		while (*a && n < ARGV_SHOWN) {
			unsigned char ch = (unsigned char)*a++;
			cmd[n++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
		}
	}
	if (n == ARGV_SHOWN)
		memcpy(cmd + n - 3, "...", 3);
	cmd[n] = '\0';
	if (n)
		lc_buf_printf(b, " (%s)", cmd);
	else if (p->exe)
		lc_buf_printf(b, " (%s)", p->exe);
}

/* Did p exec into an unchecked program (its log ends there)? */
static int exec_unchecked(const lc_rprocess *p)
{
	for (unsigned i = 0; i < p->n_unchecked; i++)
		if (p->unchecked[i].child == 0)
			return 1;
	return 0;
}

/* Did process i exec a program that ran with the shim: is a later start
 * event of the same pid in the same file (the new image appends there)? */
static int exec_checked(const lc_report_set *set, size_t i)
{
	const lc_rprocess *p = &set->procs[i];
	for (size_t k = i + 1; k < set->n_procs; k++) {
		const lc_rprocess *q = &set->procs[k];
		if (q->started && q->pid == p->pid && q->file == p->file)
			return 1;
	}
	return 0;
}

/* Processes whose end event is missing and unexplained. */
static int lost(const lc_report_set *set, size_t i)
{
	const lc_rprocess *p = &set->procs[i];
	return !p->ended && !exec_unchecked(p) && !exec_checked(set, i);
}

/* Processes that ran threads but made no lock call the shim saw (known
 * from their end event): their threads synchronised some other way. A
 * single-threaded process without a lock call is ordinary (most tools
 * a test suite runs), and is only counted. */
static int blind(const lc_report_set *set, size_t i)
{
	const lc_rprocess *p = &set->procs[i];
	return p->ended && p->lock_calls == 0 && p->threads > 1;
}

/* Names the processes of set that pass `which`, NAMED_MAX at most. */
static void put_processes(lc_buf *b, const lc_report_set *set,
			  int (*which)(const lc_report_set *, size_t),
			  unsigned count)
{
	unsigned named = 0;
	for (size_t i = 0; i < set->n_procs && named < NAMED_MAX; i++) {
		if (!which(set, i))
			continue;
		lc_buf_puts(b, named ? ", " : ": ");
		put_process(b, &set->procs[i]);
		named++;
	}
	if (count > named)
		lc_buf_printf(b, ", and %u more", count - named);
}

static unsigned count_of(const lc_report_set *set,
			 int (*which)(const lc_report_set *, size_t))
{
	unsigned n = 0;
	for (size_t i = 0; i < set->n_procs; i++)
		n += which(set, i) != 0;
	return n;
}

static const char blind_causes[] =
	"a static binary (the shim is never loaded), or locks built on "
	"futexes\n  or atomics rather than pthread or GLib (Qt's QMutex, "
	"Rust's std::sync::Mutex, a program's own\n  spinlocks), which "
	"lockcheck sees only through its annotations (lockcheck.h)";

/* " (mutex 1200, gmutex 300)": the calls by kind of lock, summed over the
 * processes, kinds in the order first seen. Nothing from older shims. */
#define KINDS_MAX 16
static void put_calls_by_kind(lc_buf *b, const lc_report_set *set)
{
	const char *kind[KINDS_MAX];
	unsigned long long count[KINDS_MAX];
	unsigned n = 0;
	for (size_t i = 0; i < set->n_procs; i++) {
		const lc_rprocess *p = &set->procs[i];
		for (unsigned k = 0; k < p->n_call_kinds; k++) {
			unsigned j = 0;
			while (j < n && strcmp(kind[j], p->call_kinds[k]) != 0)
				j++;
			if (j == n) {
				if (n == KINDS_MAX)
					continue;
				kind[n] = p->call_kinds[k];
				count[n++] = 0;
			}
			count[j] += (unsigned long long)p->call_counts[k];
		}
	}
	for (unsigned j = 0; j < n; j++)
		lc_buf_printf(b, "%s%s %llu", j ? ", " : " (", kind[j],
			      count[j]);
	if (n)
		lc_buf_puts(b, ")");
}

static void put_lock_calls(lc_buf *b, const lc_report_set *set)
{
	unsigned long long total = 0;
	unsigned known = 0;
	for (size_t i = 0; i < set->n_procs; i++)
		if (set->procs[i].ended && set->procs[i].lock_calls >= 0) {
			total += (unsigned long long)set->procs[i].lock_calls;
			known++;
		}
	if (!known)
		return;
	if (total == 0) {
		lc_buf_printf(b,
			      "lockcheck: NO LOCK CALL was seen (in %u "
			      "process%s): nothing was checked, and \"no "
			      "findings\" means nothing.\n  Likely causes: "
			      "%s\n",
			      known, plural(known, "", "es"), blind_causes);
		return;
	}
	lc_buf_printf(b, "lockcheck: %llu lock call%s seen in %u process%s",
		      total, plural(total, "", "s"), known,
		      plural(known, "", "es"));
	put_calls_by_kind(b, set);
	lc_buf_puts(b, "\n");
	unsigned none = count_of(set, blind);
	if (none) {
		lc_buf_printf(b, "lockcheck: %u process%s ran threads but made "
			      "no lock call lockcheck sees (futex-based locks? "
			      "not checked)", none, plural(none, "", "es"));
		put_processes(b, set, blind, none);
		lc_buf_puts(b, "\n");
	}
}

static void put_lost(lc_buf *b, const lc_report_set *set)
{
	unsigned n = count_of(set, lost);
	if (!n)
		return;
	lc_buf_printf(b, "lockcheck: %u process%s ended without an end event "
		      "(killed, crashed, or left by _exit): what %s after "
		      "its last line is unknown", n, plural(n, "", "es"),
		      plural(n, "it did", "they did"));
	put_processes(b, set, lost, n);
	lc_buf_puts(b, "\n");
}

static void put_unchecked(lc_buf *b, const lc_report_set *set)
{
	unsigned long n = 0, named = 0;
	for (size_t i = 0; i < set->n_procs; i++)
		n += set->procs[i].n_unchecked;
	if (!n)
		return;
	lc_buf_printf(b, "lockcheck: %lu program%s started without lockcheck "
		      "%s not checked:\n", n, plural(n, "", "s"),
		      plural(n, "was", "were"));
	for (size_t i = 0; i < set->n_procs && named < NAMED_MAX; i++) {
		const lc_rprocess *p = &set->procs[i];
		for (unsigned k = 0; k < p->n_unchecked && named < NAMED_MAX;
		     k++, named++) {
			const lc_runchecked *u = &p->unchecked[k];
			lc_buf_puts(b, "  ");
			lc_buf_puts(b, u->path ? u->path : "?");
			if (u->child)
				lc_buf_printf(b, " (pid %d)", u->child);
			lc_buf_printf(b, ", %s by ",
				      u->child ? "started" : "exec'd");
			put_process(b, p);
			lc_buf_printf(b, ": %s\n", u->why ? u->why : "?");
		}
	}
	if (n > named)
		lc_buf_printf(b, "  and %lu more\n", n - named);
}

/* Which option raises a limit (lib/limit.c's names). */
static const struct {
	const char *limit;
	const char *advice;
} limit_advice[] = {
	{ "memory", "raise max_memory_mb" },
	{ "log-size", "raise log_limit_mb, 0 for no bound" },
};

static void put_limits(lc_buf *b, const lc_report_set *set)
{
	const char *names[LC_READ_LIMITS_MAX * 2];
	unsigned counts[LC_READ_LIMITS_MAX * 2], n = 0;
	for (size_t i = 0; i < set->n_procs; i++) {
		const lc_rprocess *p = &set->procs[i];
		for (unsigned k = 0; k < p->n_limits; k++) {
			unsigned j = 0;
			while (j < n && strcmp(names[j], p->limits[k]))
				j++;
			if (j == n) {
				if (n == sizeof names / sizeof names[0])
					continue;
				names[n] = p->limits[k];
				counts[n++] = 0;
			}
			counts[j]++;
		}
	}
	if (!n)
		return;
	lc_buf_puts(b, "lockcheck: checker limits reached, checking went on "
		    "with less: ");
	for (unsigned j = 0; j < n; j++) {
		const char *advice = "a fixed size";
		for (size_t a = 0; a < sizeof limit_advice / sizeof *limit_advice;
		     a++)
			if (!strcmp(limit_advice[a].limit, names[j]))
				advice = limit_advice[a].advice;
		lc_buf_printf(b, "%s%s (%u process%s; %s)", j ? ", " : "",
			      names[j], counts[j], plural(counts[j], "", "es"),
			      advice);
	}
	lc_buf_puts(b, "; options go in LOCKCHECK_OPTIONS, and the log's "
		    "limit events say what each lost\n");
}

/* Did p reach the limit named name? */
static int reached(const lc_rprocess *p, const char *name)
{
	for (unsigned k = 0; k < p->n_limits; k++)
		if (!strcmp(p->limits[k], name))
			return 1;
	return 0;
}

/* Findings a process counted in its end event but could not write, its
 * log being full: the report cannot show them, so it says how many. */
static void put_unwritten(lc_buf *b, const lc_report_set *set)
{
	unsigned long missing = 0;
	unsigned procs = 0;
	for (size_t i = 0; i < set->n_procs; i++) {
		const lc_rprocess *p = &set->procs[i];
		if (!reached(p, "log-size") || p->end_findings < 0)
			continue;
		unsigned long read = 0;
		for (size_t k = 0; k < set->n_findings; k++)
			read += set->findings[k].process == i;
		if ((unsigned long)p->end_findings > read) {
			missing += (unsigned long)p->end_findings - read;
			procs++;
		}
	}
	if (missing)
		lc_buf_printf(b, "lockcheck: %lu more finding%s %s found but "
			      "not written to the log (log_limit_mb reached "
			      "in %u process%s)\n", missing,
			      plural(missing, "", "s"),
			      plural(missing, "was", "were"), procs,
			      plural(procs, "", "es"));
}

void health_summary(lc_buf *b, const lc_report_set *set)
{
	if (!set->n_procs) {
		if (set->n_files)
			lc_buf_puts(b, "lockcheck: no process wrote a log: the "
				    "shim was never loaded (a static binary, a "
				    "set-user-ID program, or LD_PRELOAD "
				    "removed), so nothing was checked\n");
		return;
	}
	put_lock_calls(b, set);
	put_lost(b, set);
	put_unchecked(b, set);
	put_unwritten(b, set);
	put_limits(b, set);
}
