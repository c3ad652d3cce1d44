/*
 * dump.h: an on-demand dump of every thread's held locks and current wait,
 * as jstack prints for Java (the `dump_signal` option, `lockcheck dump PID`).
 *
 * The signal is blocked in every thread of the program (they inherit the
 * main thread's mask, set before main), so a dump never interrupts one of
 * the program's calls; a thread of the shim's own, started at start-up when
 * the option is set, takes it with sigwaitinfo and writes the dump: a
 * "dump" event in the log and a text block on stderr. No descriptor is
 * involved (a pipe's could be closed and its number reused by the program,
 * which daemons do). A handler is installed all the same, for a program
 * thread that unblocks the signal: it only hands the signal on to the dump
 * thread (pthread_kill, async-signal-safe). That thread runs with the
 * re-entry guard set, so it is never checked or reported. Not available in
 * a forked child (the thread is not copied by fork).
 */
#ifndef LC_DUMP_H
#define LC_DUMP_H

/* Installs the handler for dump_signal and blocks it. Returns 1 if
 * the caller must start lc_dump_thread_main on a thread of its own, 0 when
 * dumps are off (or could not be set up: said on stderr). */
int lc_dump_setup(void);
/* The dump thread's body (never returns). */
void *lc_dump_thread_main(void *arg);
/* Writes a dump now. Takes the graph lock. */
void lc_dump_write(void);

#endif
