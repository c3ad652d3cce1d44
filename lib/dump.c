/*
 * dump.c: the dump of all threads (see dump.h). Other threads' held stacks
 * and wait states are read without stopping them: a dump is a snapshot that
 * may be a moment out of date for a thread that is running, and exact for
 * threads that are blocked, which is what a dump is for.
 */
#define _GNU_SOURCE
#include "dump.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "buf.h"
#include "describe.h"
#include "detect_wait.h"
#include "graph.h"
#include "json_write.h"
#include "options.h"
#include "report.h"
#include "stack.h"
#include "thread.h"
#include "warn.h"

static lc_buf dump_json, dump_text;
static pthread_t dumper;
static _Atomic int dumper_started;

/* Runs only in a program thread that unblocked the signal: the dump thread
 * keeps it blocked and takes it with sigwaitinfo. */
static void on_dump_signal(int sig)
{
	int saved_errno = errno;
	if (atomic_load(&dumper_started))
		pthread_kill(dumper, sig);
	errno = saved_errno;
}

int lc_dump_setup(void)
{
	if (lc_opt.dump_signal <= 0)
		return 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_dump_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(lc_opt.dump_signal, &sa, NULL) != 0) {
		lc_warn("dump_signal=%d: %s: dumps are off", lc_opt.dump_signal,
			strerror(errno));
		return 0;
	}
	/* Blocked here, in the main thread before main(), and so in every
	 * thread the program creates: only the dump thread takes the signal,
	 * and no call of the program is ever interrupted (EINTR) by a dump. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, lc_opt.dump_signal);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	return 1;
}

void *lc_dump_thread_main(void *arg)
{
	lc_tls_guard = 1; /* the shim's own thread is never checked */
	lc_thread_own_enter();
	prctl(PR_SET_NAME, "lockcheck-dump"); /* not the program's name */
	dumper = pthread_self();
	atomic_store(&dumper_started, 1);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, lc_opt.dump_signal);
	for (;;) {
		int sig = sigwaitinfo(&set, NULL);
		if (sig == lc_opt.dump_signal)
			lc_dump_write();
		else if (sig < 0 && errno != EINTR)
			return NULL;
	}
}

/* A lock as the dump shows it: {"id","address","type","name"}. */
static void put_lock(lc_buf *j, const lc_lock *l, const lc_lock_view *v)
{
	lc_buf_printf(j, "{\"id\":%u,\"address\":\"0x%" PRIxPTR "\",\"type\":\"%s\","
			 "\"name\":", l->id, lc_lock_memory(l->addr),
		      lc_lock_type_name(l));
	lc_json_write_string(j, v->named ? v->name : NULL);
	lc_buf_put(j, "}", 1);
}

static void put_label(lc_buf *t, const lc_lock *l, const lc_lock_view *v)
{
	if (v->named)
		lc_buf_puts(t, v->name);
	else
		lc_buf_printf(t, "M%u", l->id);
}

static const char *mode_of(const lc_lock *l, int shared)
{
	if (!lc_type_has_modes(l->type))
		return NULL;
	return shared ? "read" : "write";
}

static void put_frames_text(lc_buf *t, const lc_frame *frames, unsigned n,
			    const char *indent)
{
	for (unsigned i = 0; i < n; i++)
		lc_buf_printf(t, "%s#%u %s  (%s+0x%" PRIx64 ")\n", indent, i,
			      frames[i].function ? frames[i].function : "<unknown>",
			      frames[i].module ? frames[i].module : "?",
			      frames[i].offset);
}

static void dump_thread(lc_thread *t)
{
	lc_frame frames[LC_STACK_MAX];
	lc_lock_view v;
	lc_thread_refresh_name(t);
	const char *name = lc_thread_name(t->id);
	lc_buf_printf(&dump_json, "{\"id\":%u,\"name\":", t->id);
	lc_json_write_string(&dump_json, name);
	lc_buf_printf(&dump_text, "  T%u%s%s%s:\n", t->id, name ? " (" : "",
		      name ? name : "", name ? ")" : "");
	lc_buf_puts(&dump_json, ",\"held\":[");
	uint32_t n_held = t->n_held < LC_MAX_HELD ? t->n_held : LC_MAX_HELD;
	for (uint32_t i = 0; i < n_held; i++) {
		lc_held h = t->held[i]; /* a copy: the owner may be running */
		h.lock = lc_held_lock(&h);
		if (!h.lock)
			continue;
		lc_describe_lock(h.lock, &v);
		const char *mode = mode_of(h.lock, h.shared);
		unsigned depth = lc_describe_stack(frames, h.stack, h.pc);
		lc_buf_puts(&dump_json, i ? ",{\"lock\":" : "{\"lock\":");
		put_lock(&dump_json, h.lock, &v);
		lc_buf_puts(&dump_json, ",\"mode\":");
		lc_json_write_string(&dump_json, mode);
		lc_buf_puts(&dump_json, ",\"acquired\":");
		lc_json_write_stack(&dump_json, &(lc_stack){ frames, depth });
		lc_buf_put(&dump_json, "}", 1);
		lc_buf_puts(&dump_text, "    holds ");
		put_label(&dump_text, h.lock, &v);
		if (mode)
			lc_buf_printf(&dump_text, " (%s)", mode);
		lc_buf_printf(&dump_text, ", acquired in %s\n",
			      depth && frames[0].function ? frames[0].function
							  : "<unknown>");
	}
	lc_buf_puts(&dump_json, "],\"waiting\":");
	uintptr_t addr = atomic_load(&t->wait.lock_addr);
	uint32_t join = atomic_load(&t->wait.join_thread);
	if (!addr && !join) {
		lc_buf_puts(&dump_json, "null}");
		return;
	}
	uint64_t since_ms = (lc_now_ns() - t->wait.since_ns) / 1000000;
	unsigned depth = lc_describe_stack(frames, t->wait.stack, t->wait.pc);
	lc_lock *l = addr ? lc_registry_find(addr) : NULL;
	lc_buf_printf(&dump_json, "{\"for\":\"%s\",\"lock\":", addr ? "lock" : "join");
	if (l) {
		lc_describe_lock(l, &v);
		put_lock(&dump_json, l, &v);
		lc_buf_puts(&dump_text, "    waits for ");
		put_label(&dump_text, l, &v);
	} else {
		lc_buf_puts(&dump_json, "null");
		lc_buf_printf(&dump_text, "    waits to join T%u", join);
	}
	const char *mode = l ? mode_of(l, t->wait.shared) : NULL;
	lc_buf_puts(&dump_json, ",\"thread\":");
	if (join)
		lc_buf_printf(&dump_json, "%u", join);
	else
		lc_buf_puts(&dump_json, "null");
	lc_buf_puts(&dump_json, ",\"mode\":");
	lc_json_write_string(&dump_json, mode);
	lc_buf_printf(&dump_json, ",\"since_ms\":%" PRIu64 ",\"stack\":", since_ms);
	lc_json_write_stack(&dump_json, &(lc_stack){ frames, depth });
	lc_buf_puts(&dump_json, "}}");
	if (mode)
		lc_buf_printf(&dump_text, " (%s)", mode);
	lc_buf_printf(&dump_text, " for %" PRIu64 " ms, at:\n", since_ms);
	put_frames_text(&dump_text, frames, depth, "      ");
}

void lc_dump_write(void)
{
	lc_graph_lock();
	lc_buf_reset(&dump_json);
	lc_buf_reset(&dump_text);
	unsigned n = 0;
	lc_buf_printf(&dump_json, "{\"event\":\"dump\",\"pid\":%d,\"threads\":[",
		      (int)getpid());
	for (lc_thread *t = lc_thread_all(); t; t = t->next_all) {
		if (!atomic_load(&t->alive))
			continue;
		if (n++)
			lc_buf_put(&dump_json, ",", 1);
		dump_thread(t);
	}
	lc_buf_puts(&dump_json, "]}");
	char head[96];
	snprintf(head, sizeof head, "==%d== lockcheck: dump of %u threads\n",
		 (int)getpid(), n);
	lc_report_raw(&dump_json, head, &dump_text);
	lc_graph_unlock();
}
