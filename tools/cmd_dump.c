/*
 * cmd_dump.c: `lockcheck dump PID`: what every thread of a running process
 * holds and waits for, right now (jstack for locks).
 *
 * How it works. The shim installs a handler for the signal named by its
 * dump_signal option (off by default); on that signal it writes one "dump"
 * event to its log file PREFIX.<pid>.jsonl (and a text block to its own
 * stderr). This command finds out how the process was started, from
 * /proc/PID/environ (the environment it was executed with, which is what the
 * shim read): LOCKCHECK_OPTIONS, split at ':' and ',' like the shim does, the
 * last dump_signal and log_path winning. It notes where the log file ends,
 * sends the signal, and polls the file (every 20 ms, up to --timeout, default
 * 5 s) for a new complete line {"event":"dump","pid":PID,...}, which it
 * prints as text. Lines of other events written meanwhile are skipped.
 *
 * Safety before sending: a signal the process does not catch would kill it
 * (SIGUSR2's default action), so the signal is sent only when
 * /proc/PID/status lists it in SigCgt, i.e. some handler is installed.
 *
 * Which file: a relative log_path is relative to the directory the process
 * opened its log in, which may not be its cwd any more; so the file is
 * looked for first among the process's open descriptors (/proc/PID/fd, a
 * link ending in "/BASE.PID.jsonl"), then as log_path itself when absolute,
 * else under /proc/PID/cwd.
 *
 * The text, per thread by ascending id (T1, the main thread, first; frame
 * lines as in `lockcheck report`):
 *
 *   lockcheck dump of process 4242 (dump_target): 3 threads
 *
 *   T2 (holder)
 *       holds lock_a (mutex at 0x55d0c0a04040, write), acquired at:
 *         #0 hold_lock  (dump_target+0x11c9)
 *       not waiting
 *
 *   T3 (waiter)
 *       holds no lock
 *       waits for lock_a (mutex at 0x55d0c0a04040) for 812 ms, held by T2, at:
 *         #0 pthread_mutex_lock  (liblockcheck.so+0x5e10)
 *         #1 take_lock  (dump_target+0x1204)
 *
 * A lock is its name, else M<id> as in reports; the mode is shown when the
 * dump gives one. "held by" lists the threads of the same dump holding the
 * lock in a mode that conflicts with the wait (read against read does not);
 * a join wait reads "waits to join T3 for N ms, at:". After the threads,
 * every cycle of that wait-for relation (threads waiting on each other, the
 * deadlock the shim reports as a finding) is named, jstack-style:
 *
 *   Found a deadlock: T2 waits for lock_b held by T3; T3 waits for lock_a held by T2
 *
 * (at most DUMP_CYCLES_MAX of them, then "... and more cycles").
 *
 * Strict reading: the dump line must have every documented field with its
 * documented type ("threads" an array of objects with "id", "held" and
 * "waiting", frames with a hex "pc", ...); unknown fields are ignored (the
 * format grows by adding them). A bad dump is one line naming the field.
 *
 * Exit status: 0, the dump was printed (or, for a process without log_path,
 * the signal was sent and the dump went to the process's own stderr: said in
 * one line); 1 when the process is not set up for a dump (no
 * LOCKCHECK_OPTIONS, no dump_signal, the signal not caught) or did not
 * answer with a readable dump in time; 2 for a usage error or a PID that is
 * not a process this user can inspect. Every error is one line on stderr.
 *
 * Not done: symbolisation to file:line (frames are module+offset as the
 * shim wrote them), dumping a process started by `lockcheck run` through the
 * wrapper's pid (give the program's pid: the wrapper forwards SIGUSR2 but
 * has no log of its own).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

const char cmd_dump_usage[] =
	"usage: lockcheck dump [--timeout SEC] PID\n"
	"\n"
	"Asks a running process under the shim what each of its threads "
	"holds and\n"
	"waits for, and prints it. The process must have been started with\n"
	"LOCKCHECK_OPTIONS holding dump_signal=N (e.g. 12, SIGUSR2) and "
	"log_path=PREFIX;\n"
	"without log_path the dump goes to the process's own stderr.\n"
	"\n"
	"  --timeout SEC  wait at most SEC seconds for the dump (default 5)\n"
	"\n"
	"Exit status: 0; 1 if the process is not set up for a dump or gave "
	"none in\n"
	"time; 2 for a usage error or a PID that cannot be inspected.\n";

#define DUMP_TIMEOUT_DEFAULT 5.0
#define DUMP_TIMEOUT_MAX 3600.0
#define POLL_NS (20 * 1000 * 1000L)
/* Wait-for cycles named after the threads, at most. */
#define DUMP_CYCLES_MAX 16

/* Exit status when the process, not the command line, is at fault. */
#define DUMP_FAILED 1

static int err_line(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int err_line(int status, const char *fmt, ...)
{
	va_list ap;
	fputs("lockcheck dump: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

/* --- reading /proc -------------------------------------------------------- */

/* Reads /proc/PID/NAME whole into a malloc'd, NUL-terminated buffer (*len
 * bytes before the NUL). Returns NULL with errno set. */
static char *read_proc(int pid, const char *name, size_t *len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (cap - n < 2) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				errno = ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			buf = NULL;
			errno = e;
			break;
		}
		if (r == 0) {
			buf[n] = '\0';
			*len = n;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	return buf;
}

/* The shim's settings that matter here, from LOCKCHECK_OPTIONS. */
struct target {
	int pid;
	char comm[64];
	char opts[4096];         /* copy of LOCKCHECK_OPTIONS */
	const char *dump_signal; /* into opts, NULL when absent */
	const char *log_path;    /* into opts, NULL when absent or empty */
	int sig;
	char log_file[PATH_MAX];
};

/* Finds LOCKCHECK_OPTIONS in the process's environment and takes the last
 * dump_signal and log_path of it (split at ':' and ',' in place). Returns 0,
 * or an exit status after printing the one error line. */
static int read_target_options(struct target *t)
{
	size_t len;
	char *env = read_proc(t->pid, "environ", &len);
	if (!env) {
		if (errno == ENOENT || errno == ESRCH)
			return err_line(CLI_USAGE, "no process with pid %d",
					t->pid);
		return err_line(CLI_USAGE, "cannot read the environment of "
				"process %d: %s", t->pid, strerror(errno));
	}
	static const char key[] = "LOCKCHECK_OPTIONS=";
	const char *found = NULL;
	for (size_t i = 0; i < len; i += strlen(env + i) + 1)
		if (!strncmp(env + i, key, sizeof key - 1))
			found = env + i + sizeof key - 1;
	if (!found) {
		free(env);
		return err_line(DUMP_FAILED, "process %d has no "
				"LOCKCHECK_OPTIONS in its environment: it was "
				"not started for lockcheck", t->pid);
	}
	if (strlen(found) >= sizeof t->opts) {
		free(env);
		return err_line(DUMP_FAILED, "process %d: its "
				"LOCKCHECK_OPTIONS is too long to read",
				t->pid);
	}
	strcpy(t->opts, found);
	free(env);

	t->dump_signal = NULL;
	t->log_path = NULL;
	for (char *p = t->opts; *p;) {
		size_t n = strcspn(p, ":,");
		char *next = p[n] ? p + n + 1 : p + n;
		p[n] = '\0';
		char *eq = strchr(p, '=');
		if (eq) {
			*eq = '\0';
			if (!strcmp(p, "dump_signal"))
				t->dump_signal = eq + 1;
			else if (!strcmp(p, "log_path"))
				t->log_path = *(eq + 1) ? eq + 1 : NULL;
		}
		p = next;
	}
	if (!t->dump_signal)
		return err_line(DUMP_FAILED, "process %d was started without "
				"dump_signal in LOCKCHECK_OPTIONS: it has no "
				"dump handler (start it with e.g. "
				"dump_signal=12)", t->pid);
	char *end;
	errno = 0;
	long s = strtol(t->dump_signal, &end, 10);
	if (errno || end == t->dump_signal || *end || s < 0 || s > 64)
		return err_line(DUMP_FAILED, "process %d has dump_signal=%s, "
				"not a signal number", t->pid, t->dump_signal);
	if (s == 0)
		return err_line(DUMP_FAILED, "process %d has dump_signal=0: "
				"its dump handler is off", t->pid);
	t->sig = (int)s;
	return 0;
}

/* Returns 1 when /proc/PID/status lists t->sig as caught (SigCgt, a hex
 * mask with bit N-1 for signal N), 0 when not, -1 when the file cannot be
 * read or has no such line (errno set). */
static int catches_signal(const struct target *t)
{
	size_t len;
	char *st = read_proc(t->pid, "status", &len);
	if (!st)
		return -1;
	int caught = -1;
	char *line = strstr(st, "\nSigCgt:");
	if (line) {
		char *end;
		errno = 0;
		unsigned long long mask = strtoull(line + 8, &end, 16);
		if (!errno && end != line + 8)
			caught = (int)(mask >> (t->sig - 1) & 1);
	}
	free(st);
	if (caught < 0)
		errno = EINVAL;
	return caught;
}

/* The process's short name (/proc/PID/comm), "?" when unreadable. */
static void read_comm(struct target *t)
{
	size_t len;
	char *c = read_proc(t->pid, "comm", &len);
	snprintf(t->comm, sizeof t->comm, "%s", c ? c : "?");
	t->comm[strcspn(t->comm, "\n")] = '\0';
	free(c);
}

/* Sets t->log_file: the process's open PREFIX.PID.jsonl if one of its
 * descriptors is it, else log_path made absolute from the process's cwd. */
static void find_log_file(struct target *t)
{
	char want[PATH_MAX];
	const char *base = strrchr(t->log_path, '/');
	base = base ? base + 1 : t->log_path;
	snprintf(want, sizeof want, "/%s.%d.jsonl", base, t->pid);
	size_t wl = strlen(want);

	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%d/fd", t->pid);
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			char link[PATH_MAX + 80], target[PATH_MAX];
			if (e->d_name[0] == '.')
				continue;
			snprintf(link, sizeof link, "%s/%s", dir, e->d_name);
			ssize_t n = readlink(link, target, sizeof target - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			size_t tl = (size_t)n;
			if (tl >= wl && !strcmp(target + tl - wl, want)) {
				snprintf(t->log_file, sizeof t->log_file, "%s",
					 target);
				closedir(d);
				return;
			}
		}
		closedir(d);
	}
	if (t->log_path[0] == '/') {
		snprintf(t->log_file, sizeof t->log_file, "%s.%d.jsonl",
			 t->log_path, t->pid);
		return;
	}
	char cwdlink[64], cwd[PATH_MAX];
	snprintf(cwdlink, sizeof cwdlink, "/proc/%d/cwd", t->pid);
	ssize_t n = readlink(cwdlink, cwd, sizeof cwd - 1);
	if (n <= 0) {
		/* Unknown cwd: ours is the best remaining guess. */
		snprintf(t->log_file, sizeof t->log_file, "%s.%d.jsonl",
			 t->log_path, t->pid);
		return;
	}
	cwd[n] = '\0';
	if (snprintf(t->log_file, sizeof t->log_file, "%s/%s.%d.jsonl", cwd,
		     t->log_path, t->pid) >= (int)sizeof t->log_file)
		/* Too long to name from here; the process's own relative
		 * name is the remaining guess. */
		snprintf(t->log_file, sizeof t->log_file, "%s.%d.jsonl",
			 t->log_path, t->pid);
}

/* --- the dump event, read strictly ------------------------------------------ */

struct dframe {
	uint64_t pc, offset;
	int has_offset;
	const char *module, *function; /* NULL when null */
};

struct dstack {
	struct dframe *f;
	size_t n;
};

struct dlock {
	unsigned id;
	uint64_t address;
	const char *type, *name;       /* NULL when null */
};

struct dheld {
	struct dlock lock;
	const char *mode;              /* "read", "write" or NULL */
	struct dstack acquired;
};

struct dwait {
	int join;                      /* for: "join" (else "lock") */
	struct dlock lock;             /* for a lock wait */
	unsigned thread;               /* for a join */
	const char *mode;
	long long since_ms;
	struct dstack stack;
};

struct dthread {
	unsigned id;
	const char *name;
	struct dheld *held;
	size_t n_held;
	int waiting;
	struct dwait w;
};

struct dump {
	struct dthread *t;
	size_t n;
};

/* Parsing state: the complaint of the first failure. */
struct pctx {
	char err[512];
};

static int pfail(struct pctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int pfail(struct pctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *jtype(const json_t *v)
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

/* Field getters: the field must be present (null allowed where nullok) and
 * of the type. Each returns 0 or -1 with the complaint in c->err. */
static int g_uint(struct pctx *c, json_t *o, const char *w, const char *k,
		  unsigned *out)
{
	json_t *v = json_object_get(o, k);
	if (!v)
		return pfail(c, "%s: no \"%s\" field", w, k);
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > UINT_MAX)
		return pfail(c, "%s: \"%s\" should be a non-negative integer, "
			     "not %s", w, k, jtype(v));
	*out = (unsigned)json_integer_value(v);
	return 0;
}

static int g_str(struct pctx *c, json_t *o, const char *w, const char *k,
		 int nullok, const char **out)
{
	json_t *v = json_object_get(o, k);
	*out = NULL;
	if (!v)
		return pfail(c, "%s: no \"%s\" field", w, k);
	if (json_is_null(v) && nullok)
		return 0;
	if (!json_is_string(v))
		return pfail(c, "%s: \"%s\" should be a string%s, not %s", w,
			     k, nullok ? " or null" : "", jtype(v));
	*out = json_string_value(v);
	return 0;
}

static int g_hex(struct pctx *c, json_t *o, const char *w, const char *k,
		 int nullok, uint64_t *out, int *present)
{
	json_t *v = json_object_get(o, k);
	if (present)
		*present = 0;
	if (!v)
		return pfail(c, "%s: no \"%s\" field", w, k);
	if (json_is_null(v) && nullok)
		return 0;
	if (!json_is_string(v) || lc_read_hex(json_string_value(v), out) < 0)
		return pfail(c, "%s: \"%s\" should be a hex string like "
			     "\"0x7f12\"", w, k);
	if (present)
		*present = 1;
	return 0;
}

static int g_mode(struct pctx *c, json_t *o, const char *w, const char **out)
{
	if (g_str(c, o, w, "mode", 1, out) < 0)
		return -1;
	if (*out && strcmp(*out, "read") && strcmp(*out, "write"))
		return pfail(c, "%s: \"mode\" is \"%.40s\", not \"read\", "
			     "\"write\" or null", w, *out);
	return 0;
}

static int p_stack(struct pctx *c, json_t *o, const char *w, const char *k,
		   struct dstack *out)
{
	json_t *a = json_object_get(o, k);
	if (!a)
		return pfail(c, "%s: no \"%s\" field", w, k);
	if (!json_is_array(a))
		return pfail(c, "%s: \"%s\" should be an array of frames, not "
			     "%s", w, k, jtype(a));
	out->n = json_array_size(a);
	out->f = calloc(out->n ? out->n : 1, sizeof *out->f);
	if (!out->f)
		return pfail(c, "out of memory");
	for (size_t i = 0; i < out->n; i++) {
		char fw[256];
		json_t *fr = json_array_get(a, i);
		struct dframe *f = &out->f[i];
		snprintf(fw, sizeof fw, "%s.%s[%zu]", w, k, i);
		if (!json_is_object(fr))
			return pfail(c, "%s should be an object, not %s", fw,
				     jtype(fr));
		if (g_hex(c, fr, fw, "pc", 0, &f->pc, NULL) < 0 ||
		    g_str(c, fr, fw, "module", 1, &f->module) < 0 ||
		    g_hex(c, fr, fw, "offset", 1, &f->offset,
			  &f->has_offset) < 0 ||
		    g_str(c, fr, fw, "function", 1, &f->function) < 0)
			return -1;
	}
	return 0;
}

static int p_lock(struct pctx *c, json_t *o, const char *w, const char *k,
		  struct dlock *out)
{
	char lw[256];
	json_t *l = json_object_get(o, k);
	snprintf(lw, sizeof lw, "%s.%s", w, k);
	if (!l)
		return pfail(c, "%s: no \"%s\" field", w, k);
	if (!json_is_object(l))
		return pfail(c, "%s should be an object, not %s", lw,
			     jtype(l));
	if (g_uint(c, l, lw, "id", &out->id) < 0 ||
	    g_hex(c, l, lw, "address", 0, &out->address, NULL) < 0 ||
	    g_str(c, l, lw, "type", 0, &out->type) < 0 ||
	    g_str(c, l, lw, "name", 1, &out->name) < 0)
		return -1;
	return 0;
}

static int p_wait(struct pctx *c, json_t *o, const char *w, struct dwait *out)
{
	const char *kind;
	char ww[256];
	json_t *v = json_object_get(o, "waiting");
	snprintf(ww, sizeof ww, "%s.waiting", w);
	if (g_str(c, v, ww, "for", 0, &kind) < 0)
		return -1;
	if (!strcmp(kind, "join")) {
		out->join = 1;
		if (g_uint(c, v, ww, "thread", &out->thread) < 0)
			return -1;
	} else if (!strcmp(kind, "lock")) {
		if (p_lock(c, v, ww, "lock", &out->lock) < 0)
			return -1;
	} else {
		return pfail(c, "%s: \"for\" is \"%.40s\", not \"lock\" or "
			     "\"join\"", ww, kind);
	}
	json_t *ms = json_object_get(v, "since_ms");
	if (!ms || !json_is_integer(ms) || json_integer_value(ms) < 0)
		return pfail(c, "%s: \"since_ms\" should be a non-negative "
			     "integer", ww);
	out->since_ms = json_integer_value(ms);
	if (g_mode(c, v, ww, &out->mode) < 0 ||
	    p_stack(c, v, ww, "stack", &out->stack) < 0)
		return -1;
	return 0;
}

static int p_thread(struct pctx *c, json_t *o, const char *w,
		    struct dthread *t)
{
	if (g_uint(c, o, w, "id", &t->id) < 0 ||
	    g_str(c, o, w, "name", 1, &t->name) < 0)
		return -1;
	json_t *h = json_object_get(o, "held");
	if (!h || !json_is_array(h))
		return pfail(c, "%s: \"held\" should be an array, not %s", w,
			     h ? jtype(h) : "absent");
	t->n_held = json_array_size(h);
	t->held = calloc(t->n_held ? t->n_held : 1, sizeof *t->held);
	if (!t->held)
		return pfail(c, "out of memory");
	for (size_t i = 0; i < t->n_held; i++) {
		char hw[256];
		json_t *e = json_array_get(h, i);
		snprintf(hw, sizeof hw, "%s.held[%zu]", w, i);
		if (!json_is_object(e))
			return pfail(c, "%s should be an object, not %s", hw,
				     jtype(e));
		if (p_lock(c, e, hw, "lock", &t->held[i].lock) < 0 ||
		    g_mode(c, e, hw, &t->held[i].mode) < 0 ||
		    p_stack(c, e, hw, "acquired", &t->held[i].acquired) < 0)
			return -1;
	}
	json_t *wv = json_object_get(o, "waiting");
	if (!wv)
		return pfail(c, "%s: no \"waiting\" field", w);
	if (json_is_null(wv))
		return 0;
	if (!json_is_object(wv))
		return pfail(c, "%s: \"waiting\" should be an object or null, "
			     "not %s", w, jtype(wv));
	t->waiting = 1;
	return p_wait(c, o, w, &t->w);
}

static void dump_free(struct dump *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t k = 0; k < d->t[i].n_held; k++)
			free(d->t[i].held[k].acquired.f);
		free(d->t[i].held);
		free(d->t[i].w.stack.f);
	}
	free(d->t);
	memset(d, 0, sizeof *d);
}

/* Converts a dump event; the strings stay in ev. */
static int parse_dump(struct pctx *c, json_t *ev, struct dump *d)
{
	json_t *ts = json_object_get(ev, "threads");
	memset(d, 0, sizeof *d);
	if (!ts || !json_is_array(ts))
		return pfail(c, "dump: \"threads\" should be an array, not %s",
			     ts ? jtype(ts) : "absent");
	size_t n = json_array_size(ts);
	d->t = calloc(n ? n : 1, sizeof *d->t);
	if (!d->t)
		return pfail(c, "out of memory");
	d->n = n;
	for (size_t i = 0; i < n; i++) {
		char w[64];
		json_t *o = json_array_get(ts, i);
		snprintf(w, sizeof w, "dump: threads[%zu]", i);
		if (!json_is_object(o))
			return pfail(c, "%s should be an object, not %s", w,
				     jtype(o));
		if (p_thread(c, o, w, &d->t[i]) < 0)
			return -1;
	}
	return 0;
}

/* --- the text ----------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path;
}

static void put_lock(FILE *out, const struct dlock *l, const char *mode)
{
	if (l->name)
		fputs(l->name, out);
	else
		fprintf(out, "M%u", l->id);
	fprintf(out, " (%s at 0x%" PRIx64 "%s%s)", l->type, l->address,
		mode ? ", " : "", mode ? mode : "");
}

static void put_stack(FILE *out, const struct dstack *s)
{
	if (s->n == 0) {
		fputs("        <no stack>\n", out);
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct dframe *f = &s->f[i];
		fprintf(out, "        #%zu %s", i,
			f->function ? f->function : "<unknown>");
		if (f->module && f->has_offset)
			fprintf(out, "  (%s+0x%" PRIx64 ")\n",
				base_name(f->module), f->offset);
		else
			fprintf(out, "  (0x%" PRIx64 ")\n", f->pc);
	}
}

static void put_thread_label(FILE *out, const struct dump *d, unsigned id)
{
	fprintf(out, "T%u", id);
	for (size_t i = 0; i < d->n; i++)
		if (d->t[i].id == id && d->t[i].name)
			fprintf(out, " (%s)", d->t[i].name);
}

/* Does thread h's hold of lock `lock` block waiter w? Holding it at all,
 * unless both sides are readers. Returns the hold or NULL. */
static const struct dheld *blocking_hold(const struct dthread *h,
					 const struct dthread *w)
{
	if (h == w || !w->waiting || w->w.join)
		return NULL;
	for (size_t k = 0; k < h->n_held; k++) {
		const struct dheld *x = &h->held[k];
		if (x->lock.id != w->w.lock.id)
			continue;
		if (x->mode && w->w.mode && !strcmp(x->mode, "read") &&
		    !strcmp(w->w.mode, "read"))
			continue;
		return x;
	}
	return NULL;
}

/* Does thread index a wait for thread index b? */
static int waits_for(const struct dump *d, size_t a, size_t b)
{
	const struct dthread *w = &d->t[a];
	if (!w->waiting)
		return 0;
	if (w->w.join)
		return w->w.thread == d->t[b].id && a != b;
	return blocking_hold(&d->t[b], w) != NULL;
}

static void put_thread(FILE *out, const struct dump *d,
		       const struct dthread *t)
{
	fputc('\n', out);
	put_thread_label(out, d, t->id);
	fputc('\n', out);
	if (t->n_held == 0)
		fputs("    holds no lock\n", out);
	for (size_t k = 0; k < t->n_held; k++) {
		fputs("    holds ", out);
		put_lock(out, &t->held[k].lock, t->held[k].mode);
		fputs(", acquired at:\n", out);
		put_stack(out, &t->held[k].acquired);
	}
	if (!t->waiting) {
		fputs("    not waiting\n", out);
		return;
	}
	if (t->w.join) {
		fputs("    waits to join ", out);
		put_thread_label(out, d, t->w.thread);
		fprintf(out, " for %lld ms, at:\n", t->w.since_ms);
	} else {
		fputs("    waits for ", out);
		put_lock(out, &t->w.lock, t->w.mode);
		fprintf(out, " for %lld ms", t->w.since_ms);
		int n = 0;
		for (size_t i = 0; i < d->n; i++) {
			if (!blocking_hold(&d->t[i], t))
				continue;
			fputs(n++ ? ", " : ", held by ", out);
			put_thread_label(out, d, d->t[i].id);
		}
		fputs(", at:\n", out);
	}
	put_stack(out, &t->w.stack);
}

/* Prints each elementary cycle of the wait-for relation once (from its
 * thread of lowest index; depth-first, the dumps are small). */
static void find_cycles(FILE *out, const struct dump *d, size_t start,
			size_t *path, size_t depth, char *on_path, int *found)
{
	size_t cur = path[depth - 1];
	for (size_t nx = start; nx < d->n; nx++) {
		if (!waits_for(d, cur, nx))
			continue;
		if (nx == start) {
			if (*found >= DUMP_CYCLES_MAX) {
				if (*found == DUMP_CYCLES_MAX)
					fputs("... and more cycles\n", out);
				*found = DUMP_CYCLES_MAX + 1;
				continue;
			}
			fputs(*found ? "Found a deadlock: " : "\nFound a deadlock: ",
			      out);
			++*found;
			for (size_t i = 0; i < depth; i++) {
				const struct dthread *w = &d->t[path[i]];
				const struct dthread *h =
					&d->t[path[(i + 1) % depth]];
				if (i)
					fputs("; ", out);
				put_thread_label(out, d, w->id);
				if (w->w.join) {
					fputs(" waits to join ", out);
				} else {
					fputs(" waits for ", out);
					if (w->w.lock.name)
						fputs(w->w.lock.name, out);
					else
						fprintf(out, "M%u", w->w.lock.id);
					fputs(" held by ", out);
				}
				put_thread_label(out, d, h->id);
			}
			fputc('\n', out);
			continue;
		}
		if (on_path[nx] || depth >= d->n || *found > DUMP_CYCLES_MAX)
			continue;
		on_path[nx] = 1;
		path[depth] = nx;
		find_cycles(out, d, start, path, depth + 1, on_path, found);
		on_path[nx] = 0;
	}
}

static int by_thread_id(const void *a, const void *b)
{
	const struct dthread *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void print_dump(FILE *out, const struct target *t, struct dump *d)
{
	qsort(d->t, d->n, sizeof *d->t, by_thread_id);
	fprintf(out, "lockcheck dump of process %d (%s): %zu thread%s\n",
		t->pid, t->comm, d->n, d->n == 1 ? "" : "s");
	for (size_t i = 0; i < d->n; i++)
		put_thread(out, d, &d->t[i]);
	size_t *path = calloc(d->n + 1, sizeof *path);
	char *on_path = calloc(d->n + 1, 1);
	int found = 0;
	if (path && on_path)
		for (size_t s = 0; s < d->n; s++) {
			path[0] = s;
			on_path[s] = 1;
			find_cycles(out, d, s, path, 1, on_path, &found);
			on_path[s] = 0;
		}
	free(path);
	free(on_path);
}

/* --- waiting for the answer ---------------------------------------------------- */

/* Looks at the complete lines of buf[0..len) (the file from byte `base`)
 * for the process's dump event. Returns 1 with *ev set (the caller
 * json_decref's it), 0 when none yet; *used is how many bytes were complete
 * lines. */
static int scan_lines(const struct target *t, const char *buf, size_t len,
		      size_t *used, json_t **ev)
{
	size_t pos = 0;
	*used = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl)
			break;
		size_t n = (size_t)(nl - (buf + pos));
		json_t *o = json_loadb(buf + pos, n, 0, NULL);
		pos += n + 1;
		*used = pos;
		if (!o)
			continue; /* not ours to judge: `report` does */
		json_t *e = json_object_get(o, "event");
		json_t *p = json_object_get(o, "pid");
		if (json_is_string(e) && !strcmp(json_string_value(e), "dump") &&
		    json_is_integer(p) && json_integer_value(p) == t->pid) {
			*ev = o;
			return 1;
		}
		json_decref(o);
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Polls t->log_file from byte `from` until the dump event, the deadline or
 * the process's end. Returns the event, or NULL after the error line (and
 * *status set). */
static json_t *wait_for_dump(const struct target *t, off_t from,
			     double timeout, int *status)
{
	double deadline = now_s() + timeout;
	off_t pos = from;
	char *buf = NULL;
	size_t cap = 0;
	int gone = 0;
	*status = DUMP_FAILED;
	for (;;) {
		int fd = open(t->log_file, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0) {
			if (st.st_size < pos)
				pos = 0; /* truncated and rewritten */
			while (st.st_size > pos) {
				size_t want = (size_t)(st.st_size - pos);
				if (want > cap) {
					char *nb = realloc(buf, want);
					if (!nb) {
						close(fd);
						free(buf);
						err_line(DUMP_FAILED,
							 "out of memory");
						return NULL;
					}
					buf = nb;
					cap = want;
				}
				ssize_t r = pread(fd, buf, want, pos);
				if (r <= 0)
					break;
				size_t used;
				json_t *ev;
				if (scan_lines(t, buf, (size_t)r, &used, &ev)) {
					close(fd);
					free(buf);
					return ev;
				}
				if (used == 0)
					break; /* half a line: wait for it */
				pos += (off_t)used;
			}
		}
		if (fd >= 0)
			close(fd);
		if (gone) {
			err_line(DUMP_FAILED, "process %d ended without "
				 "writing its dump to %s", t->pid,
				 t->log_file);
			break;
		}
		if (now_s() >= deadline) {
			err_line(DUMP_FAILED, "no dump from process %d in %g s "
				 "(looked in %s)", t->pid, timeout,
				 t->log_file);
			break;
		}
		/* One more look at the file after the process is gone. */
		if (kill(t->pid, 0) < 0 && errno == ESRCH)
			gone = 1;
		else
			nanosleep(&(struct timespec){0, POLL_NS}, NULL);
	}
	free(buf);
	return NULL;
}

/* --- the command --------------------------------------------------------------- */

int cmd_dump(int argc, char **argv)
{
	double timeout = DUMP_TIMEOUT_DEFAULT;
	const char *pid_arg = NULL;
	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		int r;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || !a[1])
			break;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(cmd_dump_usage, stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--timeout", NULL, &v))) {
			char *end;
			if (r < 0)
				return cli_usage_error("dump",
						       "--timeout needs a value");
			errno = 0;
			timeout = strtod(v, &end);
			if (errno || end == v || *end || !(timeout > 0) ||
			    timeout > DUMP_TIMEOUT_MAX)
				return cli_usage_error(
					"dump", "bad --timeout '%s': a number "
					"of seconds above 0, at most %g", v,
					DUMP_TIMEOUT_MAX);
			continue;
		}
		return cli_usage_error("dump", "unknown option '%s'", a);
	}
	if (i >= argc)
		return cli_usage_error("dump", "no PID given");
	if (argc - i > 1)
		return cli_usage_error("dump", "one PID only, not '%s' too",
				       argv[i + 1]);
	pid_arg = argv[i];
	char *end;
	errno = 0;
	long pid = strtol(pid_arg, &end, 10);
	if (errno || end == pid_arg || *end || pid < 1 || pid > INT_MAX)
		return cli_usage_error("dump", "'%s' is not a process id",
				       pid_arg);

	static struct target t;
	memset(&t, 0, sizeof t);
	t.pid = (int)pid;
	int rc = read_target_options(&t);
	if (rc)
		return rc;
	int caught = catches_signal(&t);
	if (caught < 0)
		return err_line(CLI_USAGE, "cannot read the status of process "
				"%d: %s", t.pid, strerror(errno));
	if (!caught)
		return err_line(DUMP_FAILED, "process %d does not catch signal "
				"%d (%s), its dump_signal: the shim is not "
				"loaded or has no dump handler; not sending it",
				t.pid, t.sig, strsignal(t.sig));
	read_comm(&t);

	off_t from = 0;
	if (t.log_path) {
		struct stat st;
		find_log_file(&t);
		if (stat(t.log_file, &st) == 0)
			from = st.st_size;
	}
	if (kill(t.pid, t.sig) < 0) {
		if (errno == ESRCH)
			return err_line(CLI_USAGE, "no process with pid %d",
					t.pid);
		return err_line(CLI_USAGE, "cannot signal process %d: %s",
				t.pid, strerror(errno));
	}
	if (!t.log_path) {
		printf("lockcheck dump: sent signal %d to process %d; it writes "
		       "no log file (no log_path), so its dump goes to its "
		       "own stderr\n", t.sig, t.pid);
		return 0;
	}

	json_t *ev = wait_for_dump(&t, from, timeout, &rc);
	if (!ev)
		return rc;
	struct pctx c = {{0}};
	struct dump d;
	if (parse_dump(&c, ev, &d) < 0) {
		dump_free(&d);
		json_decref(ev);
		return err_line(DUMP_FAILED, "%s: %s", t.log_file, c.err);
	}
	print_dump(stdout, &t, &d);
	dump_free(&d);
	json_decref(ev);
	return 0;
}
