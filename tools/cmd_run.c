/*
 * cmd_run.c: `lockcheck run`: run a program under the shim, then report.
 *
 * The program (and every process it starts: LD_PRELOAD and
 * LOCKCHECK_OPTIONS are inherited) writes its events to DIR/lockcheck.<pid>.jsonl;
 * the shim's own live text is switched off (print_findings=0) so that the
 * user sees one merged, de-duplicated report, printed on stderr after the
 * program ended, by the same code as `lockcheck report`.
 *
 * The exit status is the program's (128+N if signal N killed it), or the
 * findings exit code (66, or --exitcode N; 0 means never) when an error
 * finding was made: the shim gets the same exitcode option, so a process
 * that found errors already exits with it, and run decides again from the
 * reports for the case where the program's first process found nothing but
 * a child did. If the program cannot be executed: 127 (126 when it exists
 * but cannot be run), like a shell.
 *
 * Signals: SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 sent to
 * lockcheck are forwarded to the program, so that `kill` on the wrapper acts
 * on the program and the report is still printed. Signals the kernel
 * generated for the terminal (Ctrl-C) are not forwarded: the program, in the
 * same process group, has received them already. A signal lockcheck was
 * started with ignored stays ignored, for the program too. The child is
 * waited for without being reaped (WNOWAIT) until forwarding is switched
 * off, so a forwarded signal can never hit a recycled pid.
 *
 * Without --log-dir the reports go to a fresh directory under $TMPDIR (or
 * /tmp), removed afterwards. With --log-dir DIR they stay there; files that
 * existed before are read only from where they ended, so an earlier run's
 * findings are not reported again.
 *
 * With --baseline PATH (tools/baseline.h) only error findings that are new
 * (not in the baseline, by id) make the findings exit code: the shim is
 * then given exitcode=0, so that a process with old findings keeps its own
 * status, and run alone decides from the merged report. With --halt the
 * shim is given the baseline's ids too (known_ids=FILE, lib/known_ids.h, a
 * file run writes into the log directory and removes), so that it halts at
 * the first NEW error finding only. The baseline is
 * read before the program is started: bad baseline input ends run with one
 * line (2, or 1 for an unreadable one) and nothing run for nothing.
 * --sarif FILE writes the report as SARIF too (--source-root DIR: where
 * its locations are looked up; baselineState with a baseline).
 *
 * The report's frames are symbolised (tools/symbolize.c: function, file:line,
 * source line, inlined calls) before printing, unless --no-symbolize.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "baseline.h"
#include "cli.h"
#include "suite.h"
#include "symbolize.h"

const char cmd_run_usage[] =
	"usage: lockcheck run [--log-dir DIR] [--halt] [--exitcode N]\n"
	"                     [--baseline PATH] [--sarif FILE] "
	"[--source-root DIR]\n"
	"                     [--no-symbolize] [-o KEY=VALUE]... [--] PROGRAM "
	"[ARGS...]\n"
	"\n"
	"Runs PROGRAM under the lockcheck shim (it and every process it "
	"starts),\n"
	"then prints the merged report on stderr.\n"
	"\n"
	"  --log-dir DIR  keep the reports in DIR/lockcheck.<pid>.jsonl "
	"(default: a\n"
	"                 temporary directory, removed afterwards)\n"
	"  --halt         stop the program at the first error finding (old "
	"ones\n"
	"                 of a --baseline too: its exit code is then the "
	"findings')\n"
	"  --exitcode N   exit status when an error finding was made "
	"(default 66;\n"
	"                 0: findings never change the status)\n"
	"  --baseline PATH  only error findings not in this earlier run "
	"count: its\n"
	"                 log directory, a log file, or its JSON report "
	"(lockcheck\n"
	"                 report --format json); old ones leave the status "
	"alone\n"
	"  --sarif FILE   write the report as SARIF 2.1.0 to FILE too\n"
	"  --source-root DIR  the project's directory for SARIF locations "
	"(default:\n"
	"                 the current directory)\n"
	"  --no-symbolize print frames as the shim wrote them (module+offset "
	"and\n"
	"                 symbol), without reading debug info for file:line\n"
	"  -o, --option KEY=VALUE\n"
	"                 a LOCKCHECK_OPTIONS setting for the shim (repeatable; "
	"later\n"
	"                 settings win), e.g. -o strict_order=1\n"
	"\n"
	"Exit status: the program's own (128+N when signal N killed it), or "
	"the\n"
	"findings exit code when an error finding was made (with --baseline: "
	"a new\n"
	"one); 127 when PROGRAM cannot be found, 126 when it cannot be "
	"executed;\n"
	"2 for a usage error (1 for a baseline that cannot be read).\n";

/* The findings exit code the shim uses by default (CONTRACT.md). */
#define DEFAULT_EXITCODE 66
/* The log_path prefix inside the log directory. */
#define LOG_PREFIX "lockcheck"

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP,
				SIGQUIT, SIGUSR1, SIGUSR2};
#define N_FORWARDED (sizeof(forwarded) / sizeof(forwarded[0]))

/* The child to forward signals to, 0 when none. The one global: a signal
 * handler has no other way to learn it. */
static volatile sig_atomic_t forward_pid;

static void forward(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int saved = errno;
	pid_t pid = forward_pid;
	/* si_code > 0: sent by the kernel (SI_KERNEL for terminal keys),
	 * which signalled the whole foreground process group already. */
	if (pid > 0 && si->si_code <= 0)
		kill(pid, sig);
	errno = saved;
}

/* A file that existed in the log directory before the run. */
struct old_file {
	char *name;
	off_t size;
};

struct run {
	const char *log_dir_opt;  /* --log-dir, or NULL */
	int halt;
	int no_symbolize;         /* --no-symbolize */
	int exitcode_opt;         /* --exitcode, or -1 */
	const char *baseline;     /* --baseline, or NULL */
	const char *sarif;        /* --sarif, or NULL */
	const char *source_root;  /* --source-root, or NULL */
	const char **settings;    /* -o values */
	size_t n_settings;
	char *dir;                /* absolute log directory */
	char *known_ids;          /* the baseline's ids for the shim, or NULL */
	int temp_dir;             /* dir was made here and is to be removed */
	struct old_file *old;
	size_t n_old;
};

static int is_report_name(const char *name)
{
	size_t n = strlen(name), p = strlen(LOG_PREFIX);
	return n > p + 7 && !strncmp(name, LOG_PREFIX ".", p + 1) &&
	       !strcmp(name + n - 6, ".jsonl");
}

static int report_filter(const struct dirent *d)
{
	return is_report_name(d->d_name);
}


/* Makes r->dir: --log-dir (created if missing) or a fresh temporary
 * directory. Returns 0, or an exit status (message printed). */
static int make_dir(struct run *r)
{
	if (r->log_dir_opt) {
		if (mkdir(r->log_dir_opt, 0777) < 0 && errno != EEXIST) {
			fprintf(stderr, "lockcheck run: cannot create %s: %s\n",
				r->log_dir_opt, strerror(errno));
			return CLI_USAGE;
		}
		r->dir = realpath(r->log_dir_opt, NULL);
		struct stat st;
		if (!r->dir || stat(r->dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "lockcheck run: --log-dir %s is not a "
				"directory\n", r->log_dir_opt);
			return CLI_USAGE;
		}
	} else {
		const char *tmp = getenv("TMPDIR");
		if (!tmp || !*tmp)
			tmp = "/tmp";
		char *templ;
		if (asprintf(&templ, "%s/lockcheck.XXXXXX", tmp) < 0) {
			fputs("lockcheck run: out of memory\n", stderr);
			return 1;
		}
		if (!mkdtemp(templ)) {
			fprintf(stderr, "lockcheck run: cannot create a "
				"temporary directory in %s: %s\n", tmp,
				strerror(errno));
			free(templ);
			return 1;
		}
		r->temp_dir = 1;
		r->dir = realpath(templ, NULL);
		if (!r->dir) {
			r->dir = templ;
			templ = NULL;
		}
		free(templ);
	}
	if (cli_has_separator(r->dir)) {
		fprintf(stderr, "lockcheck run: the log directory %s contains "
			"':' or ',', which LOCKCHECK_OPTIONS cannot carry\n",
			r->dir);
		return CLI_USAGE;
	}
	return 0;
}

/* Notes the report files already in a kept log directory, with their sizes.
 * Returns 0, or -1 when out of memory. */
static int snapshot(struct run *r)
{
	struct dirent **names;
	int n = scandir(r->dir, &names, report_filter, versionsort);
	if (n < 0)
		return 0; /* unreadable: read_reports will say so */
	int rc = 0;
	r->old = calloc((size_t)n + 1, sizeof(*r->old));
	if (!r->old)
		rc = -1;
	for (int i = 0; i < n; i++) {
		char *path;
		struct stat st;
		if (rc == 0 && asprintf(&path, "%s/%s", r->dir,
					names[i]->d_name) < 0)
			rc = -1;
		else if (rc == 0) {
			if (stat(path, &st) == 0) {
				struct old_file *o = &r->old[r->n_old];
				o->name = strdup(names[i]->d_name);
				o->size = st.st_size;
				if (o->name)
					r->n_old++;
				else
					rc = -1;
			}
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static off_t old_size(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->n_old; i++)
		if (!strcmp(r->old[i].name, name))
			return r->old[i].size;
	return 0;
}

/* Returns the value of the last setting KEY=VALUE in options (a
 * LOCKCHECK_OPTIONS value) for which valid(VALUE) holds, reading the
 * options as the shim does; NULL if none. The value is copied into buf. */
static const char *option_value(const char *options, const char *key,
				int (*valid)(const char *), char *buf,
				size_t size)
{
	const char *found = NULL;
	size_t klen = strlen(key);
	for (const char *p = options; p && *p;) {
		size_t len = strcspn(p, ":,");
		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=' &&
		    len - klen - 1 < size) {
			char tmp[64];
			size_t n = len - klen - 1;
			if (n < sizeof(tmp)) {
				memcpy(tmp, p + klen + 1, n);
				tmp[n] = '\0';
				if (valid(tmp)) {
					memcpy(buf, tmp, n + 1);
					found = buf;
				}
			}
		}
		p += len;
		if (*p)
			p++;
	}
	return found;
}

static int valid_exitcode(const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);
	return *v && !*end && n >= 0 && n <= 255;
}

static int valid_color(const char *v)
{
	return !strcmp(v, "auto") || !strcmp(v, "always") ||
	       !strcmp(v, "never");
}

/* Sets LD_PRELOAD and LOCKCHECK_OPTIONS in our own environment, which the
 * child inherits. Returns the effective options, malloc'd, or NULL. */
static char *set_environment(const struct run *r, const char *shim)
{
	const char *pre = getenv("LD_PRELOAD");
	char *preload = NULL, *opts = NULL;
	if (pre && *pre) {
		if (asprintf(&preload, "%s:%s", shim, pre) < 0)
			return NULL;
	} else if (!(preload = strdup(shim))) {
		return NULL;
	}
	const char *old = getenv("LOCKCHECK_OPTIONS");
	if (asprintf(&opts, "%s%slog_path=%s/%s:print_findings=0%s%s%s",
		     old && *old ? old : "", old && *old ? ":" : "", r->dir,
		     LOG_PREFIX, r->halt ? ":halt_on_error=1" : "",
		     r->known_ids ? ":known_ids=" : "",
		     r->known_ids ? r->known_ids : "") < 0) {
		free(preload);
		return NULL;
	}
	if (r->exitcode_opt >= 0) {
		char *o;
		if (asprintf(&o, "%s:exitcode=%d", opts, r->exitcode_opt) < 0)
			goto oom;
		free(opts);
		opts = o;
	}
	for (size_t i = 0; i < r->n_settings; i++) {
		char *o;
		if (asprintf(&o, "%s:%s", opts, r->settings[i]) < 0)
			goto oom;
		free(opts);
		opts = o;
	}
	if (setenv("LD_PRELOAD", preload, 1) < 0 ||
	    setenv("LOCKCHECK_OPTIONS", opts, 1) < 0)
		goto oom;
	free(preload);
	return opts;
oom:
	free(preload);
	free(opts);
	return NULL;
}

/* Installs the forwarding handler for each forwarded signal that is not
 * ignored, and blocks them all (the caller unblocks once forward_pid is
 * set). */
static void install_forwarding(sigset_t *set, sigset_t *old_mask)
{
	sigemptyset(set);
	for (size_t i = 0; i < N_FORWARDED; i++) {
		struct sigaction sa, old;
		if (sigaction(forwarded[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue; /* stays ignored, for the child too */
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = forward;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		sigaction(forwarded[i], &sa, NULL);
		sigaddset(set, forwarded[i]);
	}
	sigprocmask(SIG_BLOCK, set, old_mask);
}

/* Back to default dispositions for the signals in set (those we handle). */
static void restore_defaults(const sigset_t *set)
{
	for (size_t i = 0; i < N_FORWARDED; i++)
		if (sigismember(set, forwarded[i]))
			signal(forwarded[i], SIG_DFL);
}

/* Forks and execs argv. Returns the child's pid, or -1 after printing why
 * (then *status is the exit status to use). */
static pid_t spawn(char **argv, const sigset_t *handled,
		   const sigset_t *old_mask, int *status)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		fprintf(stderr, "lockcheck run: pipe: %s\n", strerror(errno));
		*status = 1;
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "lockcheck run: fork: %s\n", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		*status = 1;
		return -1;
	}
	if (pid == 0) {
		restore_defaults(handled);
		sigprocmask(SIG_SETMASK, old_mask, NULL);
		close(pfd[0]);
		execvp(argv[0], argv);
		int err = errno;
		ssize_t w = write(pfd[1], &err, sizeof(err));
		(void)w;
		_exit(127);
	}
	close(pfd[1]);
	int err;
	ssize_t n;
	do
		n = read(pfd[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(pfd[0]);
	if (n == (ssize_t)sizeof(err)) {
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		fprintf(stderr, "lockcheck run: cannot run '%s': %s\n",
			argv[0], strerror(err));
		*status = err == ENOENT ? 127 : 126;
		return -1;
	}
	return pid;
}

/* Waits for the child, forwarding signals meanwhile. Returns its exit
 * status in shell terms (128+N for signal N). */
static int wait_child(pid_t pid, const sigset_t *handled,
		      const sigset_t *old_mask)
{
	siginfo_t si;
	forward_pid = pid;
	sigprocmask(SIG_SETMASK, old_mask, NULL);
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0)
			break;
		if (errno != EINTR) {
			fprintf(stderr, "lockcheck run: waitid: %s\n",
				strerror(errno));
			break;
		}
	}
	/* Stop forwarding before the pid is released. */
	sigprocmask(SIG_BLOCK, handled, NULL);
	forward_pid = 0;
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	restore_defaults(handled);
	sigprocmask(SIG_SETMASK, old_mask, NULL);
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 1;
}

/* Reads this run's report files of r->dir into set. Returns how many files
 * there were. */
static int read_reports(const struct run *r, lc_report_set *set)
{
	struct dirent **names;
	int n = scandir(r->dir, &names, report_filter, versionsort);
	if (n < 0) {
		fprintf(stderr, "lockcheck run: cannot list %s: %s\n", r->dir,
			strerror(errno));
		return 0;
	}
	int files = 0;
	for (int i = 0; i < n; i++) {
		char *path;
		off_t from = old_size(r, names[i]->d_name);
		if (asprintf(&path, "%s/%s", r->dir, names[i]->d_name) >= 0) {
			struct stat st;
			if (stat(path, &st) == 0 && st.st_size > from) {
				lc_read_file(set, path, from);
				files++;
			}
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return files;
}

/* Removes the temporary log directory and the reports in it. */
/* Writes the baseline's finding ids, sorted and distinct (the order of
 * b->items), to DIR/known.ids for the shim's known_ids option: with --halt
 * only a new error finding stops the program. 0, or -1 after one line. */
static int write_known_ids(struct run *r, const lc_baseline *b)
{
	if (asprintf(&r->known_ids, "%s/known.ids", r->dir) < 0) {
		r->known_ids = NULL;
		fputs("lockcheck run: out of memory\n", stderr);
		return -1;
	}
	FILE *fp = fopen(r->known_ids, "w");
	if (!fp) {
		fprintf(stderr, "lockcheck run: cannot write %s: %s\n",
			r->known_ids, strerror(errno));
		free(r->known_ids);
		r->known_ids = NULL;
		return -1;
	}
	for (size_t i = 0; i < b->n; i++) {
		const char *id = b->set.findings[b->items[i].shown].f.id;
		if (i == 0 || strcmp(id, b->set.findings[b->items[i - 1].shown]
					     .f.id) != 0)
			fprintf(fp, "%s\n", id);
	}
	if (fclose(fp) != 0) {
		fprintf(stderr, "lockcheck run: cannot write %s\n",
			r->known_ids);
		return -1;
	}
	return 0;
}

static void remove_dir(const struct run *r)
{
	struct dirent **names;
	int n = scandir(r->dir, &names, report_filter, versionsort);
	for (int i = 0; i < n; i++) {
		char *path;
		if (asprintf(&path, "%s/%s", r->dir, names[i]->d_name) >= 0) {
			unlink(path);
			free(path);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	if (rmdir(r->dir) < 0)
		fprintf(stderr, "lockcheck run: kept %s: %s\n", r->dir,
			strerror(errno));
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->n_old; i++)
		free(r->old[i].name);
	free(r->old);
	free(r->settings);
	free(r->dir);
}

/* Parses the options; returns the index of the program's argv[0], or -1
 * after a usage error message (status in *rc). */
static int parse_args(int argc, char **argv, struct run *r, int *rc)
{
	int i;
	r->exitcode_opt = -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		int m;
		if (!strcmp(a, "--"))
			return i + 1;
		if (a[0] != '-' || !a[1])
			return i;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(cmd_run_usage, stdout);
			*rc = 0;
			return -1;
		}
		if (!strcmp(a, "--halt")) {
			r->halt = 1;
			continue;
		}
		if (!strcmp(a, "--no-symbolize")) {
			r->no_symbolize = 1;
			continue;
		}
		if ((m = cli_opt_value(argc, argv, &i, "--log-dir", NULL, &v))) {
			if (m < 0 || !*v)
				goto missing;
			r->log_dir_opt = v;
			continue;
		}
		if ((m = cli_opt_value(argc, argv, &i, "--baseline", NULL, &v))) {
			if (m < 0 || !*v)
				goto missing;
			r->baseline = v;
			continue;
		}
		if ((m = cli_opt_value(argc, argv, &i, "--sarif", NULL, &v))) {
			if (m < 0 || !*v)
				goto missing;
			r->sarif = v;
			continue;
		}
		if ((m = cli_opt_value(argc, argv, &i, "--source-root", NULL,
				       &v))) {
			if (m < 0 || !*v)
				goto missing;
			if (cli_check_dir("run", "--source-root", v)) {
				*rc = CLI_USAGE;
				return -1;
			}
			r->source_root = v;
			continue;
		}
		if ((m = cli_opt_value(argc, argv, &i, "--exitcode", NULL, &v))) {
			if (m < 0)
				goto missing;
			char *end;
			long n = strtol(v, &end, 10);
			if (!*v || *end || n < 0 || n > 255) {
				*rc = cli_usage_error("run", "--exitcode '%s' "
						      "is not a number from 0 "
						      "to 255", v);
				return -1;
			}
			r->exitcode_opt = (int)n;
			continue;
		}
		if ((m = cli_opt_value(argc, argv, &i, "--option", "-o", &v))) {
			if (m < 0)
				goto missing;
			const char *eq = strchr(v, '=');
			if (!eq || eq == v || cli_has_separator(v)) {
				*rc = cli_usage_error("run", "-o '%s' is not "
						      "KEY=VALUE (without ':' "
						      "or ',')", v);
				return -1;
			}
			const char **s = realloc(r->settings,
						 (r->n_settings + 1) *
						 sizeof(*s));
			if (!s) {
				fputs("lockcheck run: out of memory\n", stderr);
				*rc = 1;
				return -1;
			}
			r->settings = s;
			s[r->n_settings++] = v;
			continue;
		}
		*rc = cli_usage_error("run", "unknown option '%s'", a);
		return -1;
	}
	return i;
missing:
	*rc = cli_usage_error("run", "%s needs a value", argv[i]);
	return -1;
}

int cmd_run(int argc, char **argv)
{
	struct run r = {0};
	int rc = 0;
	int prog = parse_args(argc, argv, &r, &rc);
	if (prog < 0)
		goto out;
	if (prog >= argc) {
		rc = cli_usage_error("run", "no program to run");
		goto out;
	}
	/* Before anything runs: a bad baseline wastes no run. */
	lc_baseline baseline;
	if (r.baseline && (rc = lc_baseline_load(&baseline, "run", r.baseline)))
		goto out;
	char *shim = cli_find_shim("run");
	if (!shim) {
		rc = CLI_USAGE;
		goto out;
	}
	rc = make_dir(&r);
	if (rc) {
		free(shim);
		goto cleanup; /* a temporary directory may exist already */
	}
	if (!r.temp_dir && snapshot(&r) < 0) {
		fputs("lockcheck run: out of memory\n", stderr);
		rc = 1;
		free(shim);
		goto cleanup;
	}
	if (r.baseline && r.halt && write_known_ids(&r, &baseline) < 0) {
		rc = 1;
		free(shim);
		goto cleanup;
	}
	char *opts = set_environment(&r, shim);
	free(shim);
	if (!opts) {
		fputs("lockcheck run: out of memory\n", stderr);
		rc = 1;
		goto cleanup;
	}
	/* Read the options as the shim will: its exit code and colour are
	 * ours too. */
	char val[64];
	const char *v = option_value(opts, "exitcode", valid_exitcode, val,
				     sizeof(val));
	int exitcode = v ? atoi(v) : DEFAULT_EXITCODE;
	v = option_value(opts, "color", valid_color, val, sizeof(val));
	int color = cli_color(v ? v : "auto", stderr);
	/* With a baseline, a process's old findings must not change its
	 * status: run decides from the merged report alone. */
	if (r.baseline) {
		char *o;
		if (asprintf(&o, "%s:exitcode=0", opts) < 0 ||
		    setenv("LOCKCHECK_OPTIONS", o, 1) < 0) {
			fputs("lockcheck run: out of memory\n", stderr);
			free(opts);
			rc = 1;
			goto cleanup;
		}
		free(o);
	}
	free(opts);

	sigset_t handled, old_mask;
	install_forwarding(&handled, &old_mask);
	int status;
	pid_t pid = spawn(argv + prog, &handled, &old_mask, &status);
	if (pid < 0) {
		restore_defaults(&handled);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		rc = status;
		goto cleanup;
	}
	status = wait_child(pid, &handled, &old_mask);

	lc_report_set set;
	lc_read_init(&set, "lockcheck");
	/* The suite: every process of the run, merged as read. */
	lc_suite *suite = lc_suite_new("lockcheck");
	lc_suite_attach(suite, &set, 0);
	int files = read_reports(&r, &set);
	lc_suite_judge(suite, &set);
	lc_suite_free(suite);
	if (files == 0)
		fprintf(stderr, "lockcheck: no report was written: is %s "
			"statically linked or setuid, or did it clear "
			"LD_PRELOAD?\n", argv[prog]);
	lc_symbolize_set(&set, r.no_symbolize ? LC_SYM_NONE : LC_SYM_SOURCE);
	struct report_extra extra = {r.baseline ? &baseline : NULL, r.sarif,
				     r.source_root, 0};
	int errors = report_print_text(stderr, &set, &extra, color);
	int any_error = 0;
	if (r.baseline)
		any_error = errors > 0;
	else
		for (size_t i = 0; i < set.n_findings; i++)
			if (set.findings[i].f.severity == LC_SEV_ERROR)
				any_error = 1;
	lc_read_free(&set);
	rc = any_error && exitcode != 0 ? exitcode : status;
	if (extra.failed && rc == 0)
		rc = 1;
cleanup:
	if (r.known_ids) {
		unlink(r.known_ids);
		free(r.known_ids);
	}
	if (r.temp_dir)
		remove_dir(&r);
	if (r.baseline)
		lc_baseline_free(&baseline);
out:
	run_free(&r);
	return rc;
}
