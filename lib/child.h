/*
 * child.h: programs started without the shim, said in the log.
 *
 * LD_PRELOAD is inherited, so every child of a checked process is checked,
 * unless the environment given to the new program drops it (`env -i`,
 * `env -u LD_PRELOAD`, a sanitised environment), drops this library from
 * it, drops LOCKCHECK_OPTIONS (the child then has no log), or the new
 * program is a static executable (the dynamic loader, which preloads, never
 * runs). Such a program runs unchecked, and without a word a clean report
 * would speak for it too. So the exec interposers (preload/exec.c) ask here
 * first, and each such start is one "unchecked-child" event in the caller's
 * log (on stderr when there is no log).
 *
 * Everything here is async-signal-safe: an exec may come from a vfork child
 * (sharing the parent's memory) or a signal handler. No malloc, no lock, no
 * stdio; the line is built on the stack and written with one write(2).
 */
#ifndef LC_CHILD_H
#define LC_CHILD_H

/* Notes whether this process itself got the shim through LD_PRELOAD and
 * had LOCKCHECK_OPTIONS (only then can a child lose them), and this
 * library's file name. Called once by lc_init, before any thread. */
void lc_child_init(void);

/* Before (exec: the call does not return on success) or after (spawn: child
 * is the new pid) a program is started: when envp (the new program's
 * environment; NULL: this process's own) leaves it unchecked, writes the
 * event. call names the libc function; path is the file given to it, and
 * search says that it is looked up in PATH when it has no '/'. */
void lc_child_check(const char *call, const char *path, int search,
		    char *const argv[], char *const envp[], int child);

#endif
