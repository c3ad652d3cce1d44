/*
 * exec.c: program starts (the exec family, posix_spawn, posix_spawnp).
 *
 * A new program started with an environment that leaves it unchecked (see
 * lib/child.h) is said in the log before the exec (an exec that succeeds
 * does not return) or after a spawn that succeeded (then the child's pid is
 * known, and nothing runs in posix_spawn's vfork-like child). Each call is
 * then the real one with the caller's arguments: what the program does never
 * changes. glibc's exec functions call execve internally, not through the
 * PLT, so each is interposed and each start is said once. The execl forms
 * gather their arguments into an array on the stack, as glibc does, and call
 * the real execv form. An exec may run in a vfork child or a signal handler:
 * nothing here allocates or locks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include "child.h"
#include "real.h"

/* Resolves the real functions if the constructor has not yet run (an exec
 * from another library's constructor). */
static void resolve_once(const void *fn)
{
	if (!fn)
		lc_real_resolve();
}

/* The real function's result; a libc without it (never glibc) fails as the
 * exec family fails, with ENOSYS. */
#define CALL_REAL(fn, ...)                                                     \
	(resolve_once((const void *)lc_real.fn), lc_real.fn                  \
		 ? lc_real.fn(__VA_ARGS__)                                    \
		 : (errno = ENOSYS, -1))

LC_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	lc_child_check("execve", path, 0, argv, envp, 0);
	return CALL_REAL(execve, path, argv, envp);
}

LC_EXPORT int execv(const char *path, char *const argv[])
{
	lc_child_check("execv", path, 0, argv, NULL, 0);
	return CALL_REAL(execv, path, argv);
}

LC_EXPORT int execvp(const char *file, char *const argv[])
{
	lc_child_check("execvp", file, 1, argv, NULL, 0);
	return CALL_REAL(execvp, file, argv);
}

LC_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	lc_child_check("execvpe", file, 1, argv, envp, 0);
	return CALL_REAL(execvpe, file, argv, envp);
}

LC_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	lc_child_check("fexecve", path, 0, argv, envp, 0);
	return CALL_REAL(fexecve, fd, argv, envp);
}

/* The execl forms: count the arguments, then gather them on the stack. */
#define GATHER(first, ap, argv)                                                \
	size_t n_ = 1;                                                         \
	va_start(ap, first);                                                   \
	while (va_arg(ap, const char *))                                       \
		n_++;                                                          \
	va_end(ap);                                                            \
	char *argv[n_ + 1];                                                    \
	argv[0] = (char *)(first);                                             \
	va_start(ap, first);                                                   \
	for (size_t i_ = 1; i_ <= n_; i_++)                                    \
		argv[i_] = va_arg(ap, char *);

LC_EXPORT int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	GATHER(arg, ap, argv)
	va_end(ap);
	lc_child_check("execl", path, 0, argv, NULL, 0);
	return CALL_REAL(execv, path, argv);
}

LC_EXPORT int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	GATHER(arg, ap, argv)
	va_end(ap);
	lc_child_check("execlp", file, 1, argv, NULL, 0);
	return CALL_REAL(execvp, file, argv);
}

LC_EXPORT int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	GATHER(arg, ap, argv)
	/* After the terminating NULL comes the environment. */
	char *const *envp = va_arg(ap, char *const *);
	va_end(ap);
	lc_child_check("execle", path, 0, argv, envp, 0);
	return CALL_REAL(execve, path, argv, envp);
}

LC_EXPORT int posix_spawn(pid_t *pid, const char *path, const void *actions,
			  const void *attr, char *const argv[],
			  char *const envp[])
{
	pid_t child;
	int err = CALL_REAL(posix_spawn, &child, path, actions, attr, argv,
			    envp);
	if (err == 0) {
		if (pid)
			*pid = child;
		lc_child_check("posix_spawn", path, 0, argv, envp, child);
	}
	return err;
}

LC_EXPORT int posix_spawnp(pid_t *pid, const char *file, const void *actions,
			   const void *attr, char *const argv[],
			   char *const envp[])
{
	pid_t child;
	int err = CALL_REAL(posix_spawnp, &child, file, actions, attr, argv,
			    envp);
	if (err == 0) {
		if (pid)
			*pid = child;
		lc_child_check("posix_spawnp", file, 1, argv, envp, child);
	}
	return err;
}
