/*
 * cmd_confirm.c: `lockcheck confirm`: turn a predicted deadlock into a
 * reproduced one (active testing, as DeadlockFuzzer does for Java).
 *
 * For each lock-order-inversion of the given reports whose verdict is
 * deadlock-possible (or each named with --id), the command is run again,
 * up to --runs times, under the shim in steering mode (lib/steer.h): the
 * cycle's edges are written to a steering file as classes (each lock's
 * "identity") and call sites (the edge's first frame, module and offset),
 * which match across runs where addresses do not. The shim pauses a thread
 * about to make one of the edges' acquisitions while it holds the edge's
 * held lock, for a random time (50 ms to 1 s), and releases the paused
 * threads together when they close the cycle over the same lock instances:
 * the deadlock then happens for real, the wait-for graph reports it as a
 * `deadlock`, and halt_on_error ends the run with 66. The order finding
 * itself is suppressed in these runs (it would halt first).
 *
 * A run confirms the finding when it made a `deadlock` finding over every
 * class of the cycle; the report says which run, the deadlock, and the
 * schedule (the pauses, from the log's "steer" events). Otherwise: "not
 * confirmed in N runs", with how far it got (the edges reached, the pauses
 * that timed out). A run that does not end within --timeout seconds is
 * killed with its process group and said so. A finding with another
 * verdict is refused with the reason its verdict gives: it cannot
 * deadlock as the run saw it. The program's own output goes to files in
 * the run's log directory (kept with --log-dir).
 *
 * Exit status: 66 when some finding was confirmed, 0 when none, 2 for a
 * usage error or unreadable reports, 1 when a run could not be started.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "render_text.h"
#include "symbolize.h"

const char cmd_confirm_usage[] =
	"usage: lockcheck confirm [--runs N] [--timeout S] [--id ID]... "
	"[--json]\n"
	"                         [--log-dir DIR] LOG|DIR... -- PROGRAM "
	"[ARGS...]\n"
	"\n"
	"Reruns PROGRAM under the shim, steering its threads into each "
	"predicted\n"
	"deadlock (a lock-order-inversion with verdict deadlock-possible in "
	"the\n"
	"reports given), to make it happen for real.\n"
	"\n"
	"  --runs N      runs per finding, 1 to 100 (default 5)\n"
	"  --timeout S   seconds a run may take, 1 to 3600 (default 60); then "
	"it is\n"
	"                killed\n"
	"  --id ID       only this finding (repeatable); one with another "
	"verdict is\n"
	"                refused with its reason\n"
	"  --json        one JSON object per finding on stdout instead of "
	"text\n"
	"  --log-dir DIR keep each run's reports and output in "
	"DIR/<id>/run-N\n"
	"\n"
	"Exit status: 66 when a deadlock was confirmed, 0 when none was, 2 "
	"for a\n"
	"usage error or unreadable reports, 1 when a run could not be "
	"started.\n";

#define CONFIRMED_EXIT 66
#define MAX_IDS 64
#define STEER_EDGES 16 /* the shim's limit (lib/thread.h, LC_STEER_EDGES) */
/* Paths under the base directory (at most PATH_MAX): the finding's
 * directory, a run's, the files in it, each a little longer. */
#define DIR_MAX (PATH_MAX + 64)
#define RUN_MAX (DIR_MAX + 32)
#define FILE_MAX (RUN_MAX + 320)

struct confirm {
	unsigned runs;
	unsigned timeout_s;
	const char *ids[MAX_IDS];
	unsigned n_ids;
	int json;
	const char *log_dir;
	char **program;       /* argv of the command, NULL-terminated */
	char *shim;
};

/* What one run showed. */
struct run_result {
	int status;            /* exit status in shell terms; -1 killed */
	unsigned paused[STEER_EDGES];  /* pauses begun at each edge */
	unsigned timeouts[STEER_EDGES];
	int released;
	lc_buf schedule;       /* the steer events, as text */
	lc_buf deadlock_text;  /* the confirming deadlock, rendered */
	int confirmed;
	int other_deadlock;    /* a deadlock over other locks */
};

static const char *const refusal[][2] = {
	{"guarded", "a gate lock is held across every edge of the cycle: its "
		    "threads can never be inside it at once"},
	{"ordered", "thread creation and joins order its edges: their threads "
		    "never run at the same time"},
	{"single-thread", "one thread made every edge: a thread cannot wait "
			  "for itself along this cycle"},
	{"read-shared", "the cycle closes only through shared (read) "
			"acquisitions, which do not block each other"},
};

static const char *why_refused(const char *verdict)
{
	for (size_t i = 0; i < sizeof refusal / sizeof refusal[0]; i++)
		if (verdict && !strcmp(verdict, refusal[i][0]))
			return refusal[i][1];
	return "its verdict is not deadlock-possible";
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : path;
}

static const lc_finding_lock *lock_of(const lc_finding *f, unsigned id)
{
	for (unsigned i = 0; i < f->n_locks; i++)
		if (f->locks[i].id == id)
			return &f->locks[i];
	return NULL;
}

/* A field of the steering file: no tab, no newline, no '#' (the file's
 * comment character), not empty. */
static int plain_field(const char *s)
{
	return s && *s && !strpbrk(s, "\t\n#");
}

/* Writes f's steering file; NULL, or why the cycle cannot be steered. */
static const char *write_steer(const lc_finding *f, const char *path,
			       unsigned long seed)
{
	if (f->n_edges == 0 || f->n_edges > STEER_EDGES)
		return "its cycle has no edges, or more than 16";
	for (unsigned i = 0; i < f->n_edges; i++)
		if (f->edges[i].process)
			return "its edges were seen in different processes "
			       "(a suite-wide cycle): its halves never ran in "
			       "one process";
	FILE *fp = fopen(path, "w");
	if (!fp)
		return "the steering file cannot be written";
	fprintf(fp, "# lockcheck confirm: %s\nseed\t%lu\npause_min_ms\t50\n"
		    "pause_max_ms\t1000\n", f->id, seed);
	const char *why = NULL;
	for (unsigned i = 0; i < f->n_edges && !why; i++) {
		const lc_finding_edge *e = &f->edges[i];
		const lc_finding_lock *from = lock_of(f, e->from);
		const lc_finding_lock *to = lock_of(f, e->to);
		if (!from || !to || !plain_field(from->identity) ||
		    !plain_field(to->identity)) {
			why = "its locks have no class in the report (a shim "
			      "older than lock classes)";
			break;
		}
		const lc_frame *site = e->stack.depth ? &e->stack.frames[0]
						      : NULL;
		if (site && plain_field(base_name(site->module)))
			fprintf(fp, "edge\t%s\t%s\t%s\t%llx\t%s\n", from->identity,
				to->identity, base_name(site->module),
				(unsigned long long)site->offset,
				plain_field(site->function) ? site->function
							    : "-");
		else
			fprintf(fp, "edge\t%s\t%s\t-\t0\n", from->identity,
				to->identity);
	}
	if (fclose(fp) != 0 && !why)
		why = "the steering file cannot be written";
	return why;
}

static int write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return -1;
	fputs(text, fp);
	return fclose(fp);
}

static int make_dirs(const char *path)
{
	char buf[RUN_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0777) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[FILE_MAX];
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			struct stat st;
			if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
				remove_tree(sub);
			else
				unlink(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

/* Runs the program once in dir with the steering file; fills r->status.
 * Returns 0, or -1 when it could not be started (said). */
static int run_once(const struct confirm *c, const char *dir,
		    const char *steer, const char *supp, struct run_result *r)
{
	char opts[3 * FILE_MAX + 256], out[FILE_MAX], err[FILE_MAX];
	const char *user = getenv("LOCKCHECK_OPTIONS");
	snprintf(opts, sizeof opts,
		 "%s%slog_path=%s/lockcheck:halt_on_error=1:print_findings=0:"
		 "exitcode=%d:suppressions=%s:steer=%s",
		 user && *user ? user : "", user && *user ? ":" : "", dir,
		 CONFIRMED_EXIT, supp, steer);
	snprintf(out, sizeof out, "%s/program.out", dir);
	snprintf(err, sizeof err, "%s/program.err", dir);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "lockcheck confirm: fork: %s\n",
			strerror(errno));
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int n = open("/dev/null", O_RDONLY);
		if (o >= 0)
			dup2(o, 1);
		if (e >= 0)
			dup2(e, 2);
		if (n >= 0)
			dup2(n, 0);
		setenv("LOCKCHECK_OPTIONS", opts, 1);
		setenv("LD_PRELOAD", c->shim, 1);
		execvp(c->program[0], c->program);
		fprintf(stderr, "lockcheck confirm: cannot run '%s': %s\n",
			c->program[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int st;
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid) {
			r->status = WIFEXITED(st)     ? WEXITSTATUS(st)
				    : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
						      : 1;
			break;
		}
		if (w < 0 && errno != EINTR) {
			r->status = 1;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= (time_t)c->timeout_s) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			r->status = -1;
			break;
		}
		struct timespec tick = { 0, 10000000 };
		nanosleep(&tick, NULL);
	}
	if (r->status == 127) {
		FILE *fp = fopen(err, "r");
		char line[512];
		if (fp && fgets(line, sizeof line, fp) &&
		    !strncmp(line, "lockcheck confirm: cannot run", 29)) {
			fputs(line, stderr);
			fclose(fp);
			return -1;
		}
		if (fp)
			fclose(fp);
	}
	return 0;
}

/* One steer event (lib/steer.h) into the run's counts and schedule. */
static void note_steer_event(struct run_result *r, json_t *o)
{
	const char *what = json_string_value(json_object_get(o, "what"));
	json_int_t edge = json_integer_value(json_object_get(o, "edge"));
	json_int_t mask = json_integer_value(json_object_get(o, "edges"));
	long long thread = json_integer_value(json_object_get(o, "thread"));
	long long ms = json_integer_value(json_object_get(o, "ms"));
	if (!what || edge < 0 || edge >= STEER_EDGES)
		return;
	if (!mask)
		mask = (json_int_t)1 << edge;
	if (!strcmp(what, "pause")) {
		for (int k = 0; k < STEER_EDGES; k++)
			r->paused[k] += (mask >> k) & 1;
		lc_buf_printf(&r->schedule, "    T%lld paused before edge %lld "
			      "(for up to %lld ms)\n", thread,
			      (long long)edge + 1, ms);
	} else if (!strcmp(what, "timeout")) {
		r->timeouts[edge]++;
		lc_buf_printf(&r->schedule, "    T%lld resumed at edge %lld after "
			      "%lld ms: the cycle did not close\n", thread,
			      (long long)edge + 1, ms);
	} else if (!strcmp(what, "release")) {
		r->released = 1;
		lc_buf_printf(&r->schedule, "    T%lld closed the cycle: all "
			      "paused threads released together\n", thread);
	}
}

/* The steer events of the run's logs: counts per edge and the schedule. */
static void read_steer_events(const char *dir, struct run_result *r)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 6, ".jsonl"))
			continue;
		char path[FILE_MAX];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *fp = fopen(path, "r");
		if (!fp)
			continue;
		char *line = NULL;
		size_t cap = 0;
		while (getline(&line, &cap, fp) > 0) {
			if (!strstr(line, "\"steer\""))
				continue;
			json_t *o = json_loads(line, 0, NULL);
			if (o)
				note_steer_event(r, o);
			json_decref(o);
		}
		free(line);
		fclose(fp);
	}
	closedir(d);
}

/* Is every class of the cycle among the deadlock's locks? */
static int covers_cycle(const lc_finding *dl, const lc_finding *f)
{
	for (unsigned i = 0; i < f->n_cycle; i++) {
		const lc_finding_lock *l = lock_of(f, f->cycle[i]);
		if (!l || !l->identity)
			return 0;
		int found = 0;
		for (unsigned k = 0; k < dl->n_locks && !found; k++)
			found = dl->locks[k].identity &&
				!strcmp(dl->locks[k].identity, l->identity);
		if (!found)
			return 0;
	}
	return 1;
}

/* Reads the run's findings: a deadlock over the cycle's classes? */
static void read_deadlock(const char *dir, const lc_finding *f,
			  struct run_result *r)
{
	lc_report_set set;
	lc_read_init(&set, "lockcheck confirm");
	/* A killed run's last line may be cut: not the user's concern. */
	FILE *quiet = fopen("/dev/null", "w");
	set.diag = quiet;
	lc_read_path(&set, dir);
	/* As `lockcheck run` prints them: file:line and source lines. */
	lc_symbolize_set(&set, LC_SYM_SOURCE);
	for (size_t i = 0; i < set.n_findings; i++) {
		const lc_finding *dl = &set.findings[i].f;
		if (dl->kind != LC_KIND_DEADLOCK)
			continue;
		if (covers_cycle(dl, f) && !r->confirmed) {
			r->confirmed = 1;
			lc_render_text(&r->deadlock_text, dl, 0);
		} else if (!covers_cycle(dl, f)) {
			r->other_deadlock = 1;
		}
	}
	lc_read_free(&set);
	if (quiet)
		fclose(quiet);
}

static void put_cycle(lc_buf *b, const lc_finding *f)
{
	for (unsigned i = 0; i <= f->n_cycle; i++) {
		const lc_finding_lock *l = lock_of(f, f->cycle[i % f->n_cycle]);
		lc_buf_printf(b, "%s%s", i ? " => " : "",
			      l && l->name ? l->name
			      : l && l->identity ? l->identity : "?");
	}
}

/* What one finding came to, for the text and JSON outputs. */
struct outcome {
	const char *state;   /* "confirmed", "not-confirmed", "refused",
			      * "error" */
	const char *reason;  /* refused: why */
	unsigned run;        /* confirmed: in which run */
	unsigned runs_made;
	unsigned reached[STEER_EDGES]; /* runs in which each edge paused */
	unsigned timed_out;  /* runs that hit --timeout */
	unsigned pause_timeouts;
	unsigned other_deadlocks;
	lc_buf schedule;
	lc_buf deadlock;
};

static void print_text(const lc_finding *f, const struct outcome *o,
		       const struct confirm *c)
{
	lc_buf b = {0};
	lc_buf_printf(&b, "lockcheck confirm: %s: ", f->id);
	put_cycle(&b, f);
	lc_buf_printf(&b, " (%s)\n", f->verdict ? f->verdict : "?");
	if (!strcmp(o->state, "refused")) {
		lc_buf_printf(&b, "  refused: %s\n", o->reason);
	} else if (!strcmp(o->state, "error")) {
		lc_buf_printf(&b, "  not tried: %s\n", o->reason);
	} else if (!strcmp(o->state, "confirmed")) {
		lc_buf_printf(&b, "  CONFIRMED: the deadlock happened in run %u "
			      "of %u.\n  Schedule:\n%s\n", o->run, c->runs,
			      o->schedule.data ? o->schedule.data : "");
		lc_buf_puts(&b, o->deadlock.data);
	} else {
		lc_buf_printf(&b, "  not confirmed in %u run%s:", o->runs_made,
			      o->runs_made == 1 ? "" : "s");
		for (unsigned e = 0; e < f->n_edges; e++)
			lc_buf_printf(&b, "%s edge %u reached in %u", e ? "," : "",
				      e + 1, o->reached[e]);
		lc_buf_printf(&b, "; %u pause%s timed out", o->pause_timeouts,
			      o->pause_timeouts == 1 ? "" : "s");
		if (o->timed_out)
			lc_buf_printf(&b, "; %u run%s did not end within %u s "
				      "(--timeout) and %s killed: the program "
				      "stopped making progress for another "
				      "reason", o->timed_out,
				      o->timed_out == 1 ? "" : "s", c->timeout_s,
				      o->timed_out == 1 ? "was" : "were");
		if (o->other_deadlocks)
			lc_buf_printf(&b, "; %u run%s deadlocked over other "
				      "locks", o->other_deadlocks,
				      o->other_deadlocks == 1 ? "" : "s");
		lc_buf_puts(&b, "\n");
	}
	fputs(b.data ? b.data : "", stdout);
	lc_buf_free(&b);
}

static void put_json_string(lc_buf *b, const char *s)
{
	if (!s) {
		lc_buf_puts(b, "null");
		return;
	}
	lc_buf_puts(b, "\"");
	lc_buf_json_escape(b, s);
	lc_buf_puts(b, "\"");
}

static void print_json(const lc_finding *f, const struct outcome *o)
{
	lc_buf b = {0};
	lc_buf_puts(&b, "{\"id\":");
	put_json_string(&b, f->id);
	lc_buf_puts(&b, ",\"verdict\":");
	put_json_string(&b, f->verdict);
	lc_buf_puts(&b, ",\"state\":");
	put_json_string(&b, o->state);
	if (o->reason) {
		lc_buf_puts(&b, ",\"reason\":");
		put_json_string(&b, o->reason);
	}
	lc_buf_printf(&b, ",\"runs\":%u", o->runs_made);
	if (o->run)
		lc_buf_printf(&b, ",\"run\":%u", o->run);
	lc_buf_puts(&b, ",\"edges_reached\":[");
	for (unsigned e = 0; e < f->n_edges && e < STEER_EDGES; e++)
		lc_buf_printf(&b, "%s%u", e ? "," : "", o->reached[e]);
	lc_buf_printf(&b, "],\"pause_timeouts\":%u,\"runs_timed_out\":%u",
		      o->pause_timeouts, o->timed_out);
	if (o->schedule.data) {
		lc_buf_puts(&b, ",\"schedule\":");
		put_json_string(&b, o->schedule.data);
	}
	if (o->deadlock.data) {
		lc_buf_puts(&b, ",\"deadlock\":");
		put_json_string(&b, o->deadlock.data);
	}
	lc_buf_puts(&b, "}\n");
	fputs(b.data, stdout);
	lc_buf_free(&b);
}

/* Runs the steering for one finding. Returns 0, or -1 when a run could
 * not be started. */
static int confirm_one(const struct confirm *c, const lc_finding *f,
		       const char *base, struct outcome *o)
{
	char dir[DIR_MAX], steer[FILE_MAX], supp[FILE_MAX];
	if ((size_t)snprintf(dir, sizeof dir, "%s/%.60s", base, f->id) >=
	    sizeof dir) {
		o->state = "error";
		o->reason = "its log directory's path is too long";
		return 0;
	}
	if (make_dirs(dir) < 0) {
		o->state = "error";
		o->reason = "cannot make its log directory";
		return 0;
	}
	snprintf(supp, sizeof supp, "%s/order.supp", dir);
	if (write_text(supp, "# lockcheck confirm: the order finding would "
			     "halt first\nlock-order-inversion:*\n") != 0) {
		o->state = "error";
		o->reason = "cannot write its suppressions file";
		return 0;
	}
	o->state = "not-confirmed";
	for (unsigned k = 1; k <= c->runs; k++) {
		char run_dir[RUN_MAX];
		snprintf(run_dir, sizeof run_dir, "%s/run-%u", dir, k);
		snprintf(steer, sizeof steer, "%s/steer", run_dir);
		make_dirs(run_dir);
		unsigned long seed = (unsigned long)time(NULL) * 2654435761u +
				     k * 40503u + (unsigned long)getpid();
		const char *why = write_steer(f, steer, seed);
		if (why) {
			o->state = "refused";
			o->reason = why;
			return 0;
		}
		struct run_result r = {0};
		if (run_once(c, run_dir, steer, supp, &r) < 0)
			return -1;
		o->runs_made = k;
		read_steer_events(run_dir, &r);
		read_deadlock(run_dir, f, &r);
		for (unsigned e = 0; e < f->n_edges && e < STEER_EDGES; e++) {
			o->reached[e] += r.paused[e] > 0;
			o->pause_timeouts += r.timeouts[e];
		}
		o->timed_out += r.status == -1;
		o->other_deadlocks += r.other_deadlock;
		if (r.confirmed) {
			o->state = "confirmed";
			o->run = k;
			o->schedule = r.schedule;
			o->deadlock = r.deadlock_text;
			return 0;
		}
		lc_buf_free(&r.schedule);
		lc_buf_free(&r.deadlock_text);
	}
	return 0;
}

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct confirm *c, int *first,
		      int *last)
{
	c->runs = 5;
	c->timeout_s = 60;
	int i = 1;
	for (; i < argc; i++) {
		const char *v;
		int m;
		if (!strcmp(argv[i], "--"))
			break;
		if ((m = cli_opt_value(argc, argv, &i, "--runs", NULL, &v))) {
			if (m < 0 || parse_uint(v, 1, 100, &c->runs) < 0)
				return cli_usage_error("confirm", "--runs needs "
						       "a number from 1 to 100");
		} else if ((m = cli_opt_value(argc, argv, &i, "--timeout", NULL,
					      &v))) {
			if (m < 0 || parse_uint(v, 1, 3600, &c->timeout_s) < 0)
				return cli_usage_error("confirm", "--timeout "
						       "needs seconds from 1 "
						       "to 3600");
		} else if ((m = cli_opt_value(argc, argv, &i, "--id", NULL,
					      &v))) {
			if (m < 0 || !*v)
				return cli_usage_error("confirm", "--id needs a "
						       "finding id");
			if (c->n_ids == MAX_IDS)
				return cli_usage_error("confirm", "more than %d "
						       "--id", MAX_IDS);
			c->ids[c->n_ids++] = v;
		} else if ((m = cli_opt_value(argc, argv, &i, "--log-dir", NULL,
					      &v))) {
			if (m < 0 || !*v)
				return cli_usage_error("confirm", "--log-dir "
						       "needs a directory");
			c->log_dir = v;
		} else if (!strcmp(argv[i], "--json")) {
			c->json = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("confirm", "unknown option '%s'",
					       argv[i]);
		} else {
			if (!*first)
				*first = i;
		}
	}
	if (!*first)
		return cli_usage_error("confirm", "no report (LOG or DIR) given");
	if (i >= argc || i + 1 >= argc)
		return cli_usage_error("confirm", "no program: give it after "
				       "'--'");
	*last = i;
	c->program = argv + i + 1;
	return 0;
}

/* Is f one the user asked for (every inversion with no --id)? */
static int wanted(const struct confirm *c, const lc_finding *f, int *matched)
{
	if (!c->n_ids)
		return 1;
	for (unsigned i = 0; i < c->n_ids; i++)
		if (!strcmp(c->ids[i], f->id)) {
			matched[i] = 1;
			return 1;
		}
	return 0;
}

int cmd_confirm(int argc, char **argv)
{
	struct confirm c = {0};
	int first = 0, last = 0;
	int rc = parse_args(argc, argv, &c, &first, &last);
	if (rc)
		return rc;
	for (int i = first; i < last; i++)
		if (argv[i][0] == '-')
			return cli_usage_error("confirm", "options go before "
					       "the reports: '%s'", argv[i]);
	lc_report_set set;
	cli_read_inputs(&set, "lockcheck confirm", last, argv, first);
	if (set.n_errors) {
		fprintf(stderr, "lockcheck confirm: the reports could not all "
			"be read (%u error%s above): nothing was run\n",
			set.n_errors, set.n_errors == 1 ? "" : "s");
		lc_read_free(&set);
		return CLI_USAGE;
	}
	int matched[MAX_IDS] = {0};
	/* Each id once, in reading order. */
	const lc_finding **todo = calloc(set.n_findings + 1, sizeof *todo);
	size_t n_todo = 0;
	for (size_t i = 0; todo && i < set.n_findings; i++) {
		const lc_finding *f = &set.findings[i].f;
		if (f->kind != LC_KIND_LOCK_ORDER_INVERSION || !f->id ||
		    !wanted(&c, f, matched))
			continue;
		size_t k = 0;
		while (k < n_todo && strcmp(todo[k]->id, f->id))
			k++;
		if (k == n_todo)
			todo[n_todo++] = f;
		else if (f->verdict && !strcmp(f->verdict, "deadlock-possible"))
			todo[k] = f; /* the same cycle seen concurrent */
	}
	for (unsigned i = 0; i < c.n_ids; i++)
		if (!matched[i]) {
			rc = cli_usage_error("confirm", "--id %s: no "
					     "lock-order-inversion with this "
					     "id in the reports", c.ids[i]);
			free(todo);
			lc_read_free(&set);
			return rc;
		}
	if (!n_todo) {
		printf("lockcheck confirm: no lock-order-inversion in the "
		       "reports: nothing to confirm\n");
		free(todo);
		lc_read_free(&set);
		return 0;
	}
	c.shim = cli_find_shim("confirm");
	if (!c.shim) {
		free(todo);
		lc_read_free(&set);
		return 1;
	}
	char base[PATH_MAX];
	int temporary = !c.log_dir;
	if (c.log_dir) {
		/* Absolute: the program may change its directory. */
		char *abs = NULL;
		if (make_dirs(c.log_dir) < 0 ||
		    !(abs = realpath(c.log_dir, NULL))) {
			fprintf(stderr, "lockcheck confirm: --log-dir %s: %s\n",
				c.log_dir, strerror(errno));
			rc = CLI_USAGE;
			goto out;
		}
		snprintf(base, sizeof base, "%s", abs);
		free(abs);
	} else {
		const char *tmp = getenv("TMPDIR");
		snprintf(base, sizeof base, "%s/lockcheck-confirm.XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(base)) {
			fprintf(stderr, "lockcheck confirm: mkdtemp %s: %s\n",
				base, strerror(errno));
			rc = 1;
			goto out;
		}
	}
	/* The runs' paths go into LOCKCHECK_OPTIONS (log_path, steer=). */
	if (cli_has_separator(base)) {
		fprintf(stderr, "lockcheck confirm: the log directory %s contains "
			"':' or ',', which LOCKCHECK_OPTIONS cannot carry\n", base);
		rc = CLI_USAGE;
		if (temporary)
			remove_tree(base);
		goto out;
	}
	int any_confirmed = 0;
	rc = 0;
	for (size_t k = 0; k < n_todo; k++) {
		const lc_finding *f = todo[k];
		struct outcome o = {0};
		if (!f->verdict || strcmp(f->verdict, "deadlock-possible")) {
			o.state = "refused";
			o.reason = why_refused(f->verdict);
		} else if (confirm_one(&c, f, base, &o) < 0) {
			rc = 1;
			break;
		}
		if (c.json)
			print_json(f, &o);
		else
			print_text(f, &o, &c);
		any_confirmed |= !strcmp(o.state, "confirmed");
		lc_buf_free(&o.schedule);
		lc_buf_free(&o.deadlock);
	}
	if (!rc && any_confirmed)
		rc = CONFIRMED_EXIT;
	if (temporary)
		remove_tree(base);
out:
	free(c.shim);
	free(todo);
	lc_read_free(&set);
	return rc;
}
