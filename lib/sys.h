/*
 * sys.h: the core's own file I/O, straight to the kernel.
 *
 * The calls the shim intercepts (pthread_mutex_lock and the rest) are not
 * cancellation points, but the work the core does inside them writes
 * reports, reads /proc and opens ELF files, and glibc's write, read, open
 * and close are cancellation points. A thread with a cancel request pending
 * (deferred cancellation: the request waits for the thread's next
 * cancellation point) would be unwound from inside the core: out of a
 * pthread_mutex_lock that the program expects to return, skipping what the
 * program does next, and possibly with the graph lock held, which would
 * then hang every other thread. syscall(2) is not a cancellation point, so
 * these are not either: a pending request acts at the program's own next
 * cancellation point, as it does natively. (They also bypass any write or
 * open that the program or another preloaded library interposes.)
 *
 * Same contract as the libc calls: -1 and errno on failure. The one other
 * cancellation point the core reaches, libunwind's memory validation, is
 * handled where stacks are captured (stack.c).
 */
#ifndef LC_SYS_H
#define LC_SYS_H

#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static inline ssize_t lc_sys_write(int fd, const void *data, size_t len)
{
	return (ssize_t)syscall(SYS_write, fd, data, len);
}

static inline ssize_t lc_sys_read(int fd, void *data, size_t len)
{
	return (ssize_t)syscall(SYS_read, fd, data, len);
}

/* open(2) with a mode (used only with O_CREAT). */
static inline int lc_sys_open(const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

static inline int lc_sys_close(int fd)
{
	return (int)syscall(SYS_close, fd);
}

#endif
