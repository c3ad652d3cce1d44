/*
 * report.c: findings and process events to the log file and stderr.
 *
 * Every line is built in a malloc-free buffer (buf.h) and leaves with one
 * write(2): O_APPEND makes each line land whole even if a child shares the
 * file, and a line written is never lost to a later crash. Text for stderr
 * comes from the same lc_finding through render_text.c, so the two never
 * disagree. Exit policy (contract, "Options"): an error finding with
 * halt_on_error ends the process at once with `exitcode` (after the end
 * event), with abort_on_error by abort(); otherwise lc_on_exit applies
 * `exitcode` at normal exit.
 *
 * The log has a bound per process (log_limit_mb): a line that would take the
 * file past the bound less a reserve is not written, which is said once (the
 * `log-size` limit), and the limit events and the end event are written in
 * the reserve, so the file still says how the process ended and what it
 * lost. The count starts at the file's size when it is opened: an exec'd
 * image of the same pid appends to the same file.
 */
#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "context.h"
#include "describe.h"
#include "detect_order.h"
#include "graph.h"
#include "graph_event.h"
#include "json_write.h"
#include "known_ids.h"
#include "limit.h"
#include "lockclass.h"
#include "options.h"
#include "registry.h"
#include "render_text.h"
#include "stack.h"
#include "suppress.h"
#include "symbolize.h"
#include "sys.h"
#include "thread.h"
#include "warn.h"

static _Atomic int log_fd = -1;
/* log_path made absolute at start-up: the program may chdir (daemons go
 * to /), and the log is opened by name later too (a fork child's own; the
 * log again, in log_descriptor). */
static char log_prefix[2 * LC_PATH_MAX];
/* Which file the log is (see log_descriptor). */
static char log_name[2 * LC_PATH_MAX + 32];
static dev_t log_dev;
static ino_t log_ino;
/* The log's descriptor is moved up to this number or above, out of the
 * low numbers a program's own opens get (and may count on). */
#define LOG_FD_FLOOR 256
/* A fork child opens its own file at its first line, not at fork: most
 * children exec at once, and the new image (same pid) starts the file. */
static int open_pending;
/* The process whose log this is: another pid writing here is a vfork child
 * (sharing our memory), which must change nothing of ours. */
static _Atomic int log_pid;
static void open_log(void);
static int log_descriptor(void);
static lc_buf line_buf, text_buf, start_buf;
/* Bytes in the log file (what was there at open, plus what we wrote). */
static _Atomic unsigned long long log_bytes;
/* Room kept above the bound for the limit events and the end event. */
#define LOG_RESERVE ((unsigned long long)64 << 10)
static unsigned n_findings, n_errors, n_suppressed;

/* Writes all of data to fd, retrying on EINTR and short writes; -1 with
 * errno when the file will not take it. */
static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = lc_sys_write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* May a line of len bytes be written under the bound? Lines that may use the
 * reserve (limit and end events) always may. A refused line is said once. */
static int within_bound(size_t len, int reserved)
{
	unsigned long long bound = (unsigned long long)lc_opt.log_limit_mb << 20;
	if (!bound || reserved)
		return 1;
	if (atomic_load(&log_bytes) + len + LOG_RESERVE <= bound)
		return 1;
	lc_limit_reached(LC_LIMIT_LOG_SIZE, (unsigned long)lc_opt.log_limit_mb);
	return 0;
}

/* Writes one whole line to the log and counts it. */
static int log_write(int fd, const char *data, size_t len)
{
	atomic_fetch_add(&log_bytes, len);
	return write_all(fd, data, len);
}

/* Is there, or will there be at the first line, a log file? */
static int logging(void)
{
	return log_fd >= 0 || open_pending;
}

/* Writes b as one log line; reserved: it may use the reserve above the
 * bound (the end event). */
static void emit(lc_buf *b, int reserved)
{
	if (open_pending) {
		open_pending = 0;
		open_log();
	}
	int fd = log_descriptor();
	if (fd < 0)
		return;
	if (b->truncated) {
		/* Out of memory for the line: a cut line would not parse, so
		 * the log says what was lost instead. */
		lc_limit_reached(LC_LIMIT_REPORT_LINE, b->len);
		return;
	}
	lc_buf_put(b, "\n", 1);
	if (!within_bound(b->len, reserved))
		return;
	if (log_write(fd, b->data, b->len) != 0) {
		/* A full disk or a revoked file: say so once and report on
		 * stderr from now on (logging() turns false), rather than
		 * losing every later finding in silence. */
		if (atomic_compare_exchange_strong(&log_fd, &fd, -1)) {
			lc_warn("cannot write log: %s (findings go to stderr "
				"from now on)", strerror(errno));
			lc_sys_close(fd);
		}
	}
}

static void emit_line(lc_buf *b)
{
	emit(b, 0);
}

/* Appends "argv":[...] from /proc/self/cmdline (no malloc, no stdio). */
static void put_argv(lc_buf *b)
{
	char args[8192];
	ssize_t n = 0;
	int fd = lc_sys_open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC, 0);
	if (fd >= 0) {
		n = lc_sys_read(fd, args, sizeof args - 1);
		lc_sys_close(fd);
	}
	lc_buf_puts(b, ",\"argv\":[");
	for (ssize_t i = 0; i < n;) {
		args[n] = '\0';
		lc_buf_puts(b, i ? "," : "");
		lc_json_write_string(b, args + i);
		i += (ssize_t)strlen(args + i) + 1;
	}
	lc_buf_put(b, "]", 1);
}

/* Opens path for appending as a file in a shared directory (/tmp) must be
 * opened: never through a symlink planted at its name (O_NOFOLLOW), never
 * blocking on a FIFO put there (O_NONBLOCK), readable by its owner only
 * (0600, as it holds stacks and argv), and only if what is there is a
 * regular file of ours with a single name: a hard link to someone else's
 * file would otherwise be appended to. create: O_CREAT. The descriptor is
 * moved to LOG_FD_FLOOR or above when the limit allows, and *st says which
 * file it is. On refusal *why says why (or errno does, with *why NULL). */
static int open_private(const char *path, int create, struct stat *st,
			const char **why)
{
	int fd = lc_sys_open(path, O_WRONLY | O_APPEND | O_CLOEXEC |
					   O_NOFOLLOW | O_NONBLOCK |
					   (create ? O_CREAT : 0),
			     0600);
	if (fd < 0) {
		if (errno == ELOOP)
			*why = "it is a symbolic link (refused)";
		else if (errno == ENXIO) /* a FIFO without a reader */
			*why = "not a regular file (refused)";
		return -1;
	}
	if (fstat(fd, st) != 0)
		*why = strerror(errno);
	else if (!S_ISREG(st->st_mode))
		*why = "not a regular file (refused)";
	else if (st->st_uid != geteuid())
		*why = "owned by another user (refused)";
	else if (st->st_nlink != 1)
		*why = "it has other hard links (refused)";
	else {
		int flags = fcntl(fd, F_GETFL);
		if (flags >= 0)
			fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
		int high = fcntl(fd, F_DUPFD_CLOEXEC, LOG_FD_FLOOR);
		if (high >= 0) {
			lc_sys_close(fd);
			fd = high;
		}
		return fd;
	}
	lc_sys_close(fd);
	return -1;
}

void lc_report_open(void)
{
	open_log();
}

/* Is fd the log file that open_log opened? Its device and inode number
 * alone do not prove it: once the log is deleted and its descriptor closed,
 * the file system may give the same number to the next file made, which
 * can be the program's. But while the log's name still leads to that
 * inode, no other file can have it. */
static int is_log_file(int fd)
{
	struct stat st, named;
	return fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == log_dev &&
	       st.st_ino == log_ino && lstat(log_name, &named) == 0 &&
	       named.st_dev == log_dev && named.st_ino == log_ino;
}

/* The descriptor to write a line to, or -1 for none (findings then go to
 * stderr). A program may close descriptors it did not open (a daemon
 * closes them all) and get the same number from its next open: a line
 * written there would land in the program's own file. So each line first
 * checks that the descriptor is still the log file (an fstat and an lstat:
 * lines are rare), and when it is not, leaves it alone (it may be the
 * program's now) and opens the log again by name, without creating it: the
 * same file, or no log (a log deleted meanwhile is not written on). */
static int log_descriptor(void)
{
	int fd = atomic_load(&log_fd);
	if (fd < 0 || is_log_file(fd))
		return fd;
	int saved_errno = errno;
	const char *why = NULL;
	struct stat st;
	int again = open_private(log_name, 0, &st, &why);
	if (again >= 0 && (st.st_dev != log_dev || st.st_ino != log_ino)) {
		lc_sys_close(again);
		again = -1;
		why = "another file has its name now";
	}
	if (atomic_compare_exchange_strong(&log_fd, &fd, again)) {
		if (again < 0)
			lc_warn("log %s: its descriptor was closed or the "
				"file deleted, and it cannot be opened again: "
				"%s (findings go to stderr from now on)",
				log_name, why ? why : strerror(errno));
	} else if (again >= 0) {
		lc_sys_close(again); /* another thread opened it first */
		again = atomic_load(&log_fd);
	}
	errno = saved_errno;
	return again;
}

static void open_log(void)
{
	int old = atomic_exchange(&log_fd, -1);
	if (is_log_file(old))
		lc_sys_close(old);
	if (!lc_opt.log_path[0])
		return;
	if (!log_prefix[0]) {
		/* Once, at start-up: the directory, then the path after it. */
		size_t at = 0;
		if (lc_opt.log_path[0] != '/' &&
		    getcwd(log_prefix, sizeof log_prefix - LC_PATH_MAX - 1))
			at = strlen(log_prefix);
		snprintf(log_prefix + at, sizeof log_prefix - at, "%s%s",
			 at ? "/" : "", lc_opt.log_path);
	}
	snprintf(log_name, sizeof log_name, "%s.%d.jsonl", log_prefix,
		 (int)getpid());
	atomic_store(&log_pid, (int)getpid());
	const char *why = NULL;
	struct stat st;
	int fd = open_private(log_name, 1, &st, &why);
	if (fd < 0) {
		lc_warn("cannot open log %s: %s (findings go to stderr only)",
			log_name, why ? why : strerror(errno));
		return;
	}
	log_dev = st.st_dev;
	log_ino = st.st_ino;
	atomic_store(&log_bytes, (unsigned long long)st.st_size);
	atomic_store(&log_fd, fd);
	char exe[LC_PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	lc_buf_reset(&start_buf);
	lc_buf_printf(&start_buf,
		      "{\"event\":\"start\",\"version\":1,\"pid\":%d,"
		      "\"ppid\":%d,\"exe\":",
		      (int)getpid(), (int)getppid());
	lc_json_write_string(&start_buf, exe);
	put_argv(&start_buf);
	lc_buf_put(&start_buf, "}", 1);
	emit_line(&start_buf);
}

static int use_color(void)
{
	switch (lc_opt.color) {
	case LC_COLOR_ALWAYS: return 1;
	case LC_COLOR_NEVER: return 0;
	case LC_COLOR_AUTO: break;
	}
	return isatty(STDERR_FILENO);
}

void lc_report_finding(const lc_finding *f)
{
	if (lc_suppress_match(f)) {
		n_suppressed++;
		return;
	}
	n_findings++;
	if (f->severity == LC_SEV_ERROR)
		n_errors++;
	lc_buf_reset(&line_buf);
	lc_json_write_finding(&line_buf, f);
	emit_line(&line_buf);
	if (lc_opt.print_findings || !logging()) {
		lc_buf_reset(&text_buf);
		if (f->folded_into) /* the same bug as one shown: one line */
			lc_buf_printf(&text_buf,
				      "==%d== lockcheck: %s (%s): the same bug "
				      "as %s, also through a longer cycle "
				      "(id: %s)\n",
				      f->pid, f->message ? f->message : "",
				      f->verdict ? f->verdict : "",
				      f->folded_into, f->id);
		else
			lc_render_text(&text_buf, f, use_color());
		write_all(STDERR_FILENO, text_buf.data, text_buf.len);
	}
	/* A finding the run knows already (a baseline's: known_ids.h) is
	 * written, but stops nothing. */
	if (f->severity != LC_SEV_ERROR || lc_known_id(f->id))
		return;
	if (lc_opt.abort_on_error) {
		lc_report_end(134);
		abort();
	}
	if (lc_opt.halt_on_error) {
		lc_report_end(lc_opt.exitcode);
		_exit(lc_opt.exitcode);
	}
}

void lc_report_raw(lc_buf *json, const char *head, const lc_buf *text)
{
	emit_line(json);
	write_all(STDERR_FILENO, head, strlen(head));
	write_all(STDERR_FILENO, text->data ? text->data : "", text->len);
}

void lc_report_frame(uintptr_t pc, lc_frame *out)
{
	lc_symbol sym;
	memset(out, 0, sizeof *out);
	out->pc = pc;
	/* pc is a return address: look up pc - 1 so that a call that ends a
	 * function is attributed to that function, not the next one. */
	if (pc && lc_symbolize(pc - 1, &sym) == 0) {
		out->module = sym.module;
		out->offset = sym.module_offset + 1;
		out->function = sym.display;
		out->symbol = sym.display != sym.name ? sym.name : NULL;
	}
}

void lc_report_graph(void)
{
	if (!logging())
		return;
	lc_buf_reset(&line_buf);
	lc_graph_event_write(&line_buf);
	emit_line(&line_buf);
}

int lc_report_limit(const char *name, unsigned long size, const char *message)
{
	char text[256], line[512];
	int fd = log_descriptor();
	if (fd < 0)
		return 1;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(text, sizeof text, message, size);
#pragma GCC diagnostic pop
	int n = snprintf(line, sizeof line,
			 "{\"event\":\"limit\",\"pid\":%d,\"limit\":\"%s\","
			 "\"size\":%lu,\"message\":\"%s\"}\n",
			 (int)getpid(), name, size, text);
	if (n > 0 && (size_t)n < sizeof line)
		log_write(fd, line, (size_t)n);
	return lc_opt.print_findings;
}

void lc_report_steer(const char *what, unsigned edges, unsigned thread,
		     unsigned ms)
{
	unsigned edge = edges ? (unsigned)__builtin_ctz(edges) : 0;
	char line[160];
	int fd = log_descriptor();
	if (fd < 0)
		return;
	int n = snprintf(line, sizeof line,
			 "{\"event\":\"steer\",\"pid\":%d,\"what\":\"%s\","
			 "\"edge\":%u,\"edges\":%u,\"thread\":%u,"
			 "\"ms\":%u}\n",
			 (int)getpid(), what, edge, edges, thread, ms);
	if (n > 0 && (size_t)n < sizeof line)
		log_write(fd, line, (size_t)n);
}

/* Appends "limits":[names] of every limit reached. */
static void put_limits(lc_buf *b)
{
	lc_buf_puts(b, ",\"limits\":[");
	int first = 1;
	for (int i = 0; i < LC_LIMIT_COUNT; i++)
		if (lc_limit_was_reached((lc_limit)i)) {
			lc_buf_printf(b, "%s\"%s\"", first ? "" : ",",
				      lc_limit_name((lc_limit)i));
			first = 0;
		}
	lc_buf_put(b, "]", 1);
}

static unsigned repeats_written;

static void put_repeat(const char *id, uint32_t count, void *arg)
{
	lc_buf *b = arg;
	lc_buf_printf(b, "%s{\"id\":\"%s\",\"instances\":%u}",
		      repeats_written++ ? "," : "", id, count);
}

/* The lock calls seen, by kind of lock (only the kinds seen): which of a
 * program's locks the shim saw, GLib's and annotated ones beside pthread's. */
static void put_calls_by_kind(lc_buf *b)
{
	lc_buf_puts(b, ",\"lock_calls_by_kind\":{");
	int first = 1;
	for (unsigned type = 0; type < LC_TYPE_COUNT; type++) {
		/* An annotated lock's calls count by the call's flags, not
		 * by the lock's declared kind: both custom kinds are one. */
		if (type == LC_TYPE_CUSTOM_RW)
			continue;
		uint64_t n = lc_thread_lock_calls_of(type);
		if (type == LC_TYPE_CUSTOM)
			n += lc_thread_lock_calls_of(LC_TYPE_CUSTOM_RW);
		if (!n)
			continue;
		lc_buf_printf(b, "%s\"%s\":%" PRIu64, first ? "" : ",",
			      lc_lock_kind_name(type), n);
		first = 0;
	}
	lc_buf_puts(b, "}");
}

void lc_report_end(int status)
{
	if (!logging())
		return;
	lc_buf_reset(&line_buf);
	lc_buf_printf(&line_buf,
		      "{\"event\":\"end\",\"pid\":%d,\"status\":%d,"
		      "\"findings\":%u,\"errors\":%u,\"suppressed\":%u,"
		      "\"repeats\":[",
		      (int)getpid(), status, n_findings, n_errors, n_suppressed);
	repeats_written = 0;
	lc_order_for_each_repeat(put_repeat, &line_buf);
	/* What the run cost the checker: how much it saw and the memory it
	 * holds (its arena and the tables outside it). */
	lc_buf_printf(&line_buf,
		      "],\"stats\":{\"lock_calls\":%" PRIu64 ",\"threads\":%u,"
		      "\"locks\":%u,\"live_locks\":%u,\"dead_kept\":%u,"
		      "\"classes\":%u,\"edges\":%u,\"contexts\":%u,"
		      "\"stacks\":%u,\"memory_bytes\":%zu",
		      lc_thread_lock_calls(), lc_thread_count(),
		      lc_registry_count(), lc_registry_live(),
		      lc_graph_ghost_count(), lc_class_count(),
		      lc_graph_edge_count(), lc_context_count(),
		      lc_stack_count(),
		      lc_arena_resident() + lc_heldset_table_bytes());
	put_calls_by_kind(&line_buf);
	lc_buf_put(&line_buf, "}", 1);
	put_limits(&line_buf);
	lc_buf_put(&line_buf, "}", 1);
	emit(&line_buf, 1);
}

int lc_report_own_process(void)
{
	return atomic_load(&log_pid) == (int)getpid();
}

void lc_report_after_fork_child(void)
{
	n_findings = 0;
	n_errors = 0;
	int old = atomic_exchange(&log_fd, -1);
	if (is_log_file(old))
		lc_sys_close(old);
	open_pending = lc_opt.log_path[0] != '\0';
	atomic_store(&log_pid, (int)getpid());
}

int lc_report_line_unlocked(const char *line, size_t len)
{
	int own = atomic_load(&log_pid) == (int)getpid();
	if (own && open_pending) {
		/* A fork child's first line (a fork child is one thread
		 * until it makes more: no lock is needed for its buffers). */
		open_pending = 0;
		open_log();
	}
	int fd = own ? log_descriptor() : atomic_load(&log_fd);
	if (fd < 0)
		return -1;
	if (within_bound(len, 0))
		log_write(fd, line, len);
	return 0;
}

unsigned lc_report_findings(void)
{
	return n_findings;
}

unsigned lc_report_errors(void)
{
	return n_errors;
}
