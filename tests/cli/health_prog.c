/*
 * health_prog.c: programs for the honest-summary and log-bound tests
 * (tests/cli/health_*.sh). The first argument picks one:
 *   futex      two threads count under a lock of their own made on the
 *              futex system call (as GLib's GMutex, Qt's QMutex and Rust's
 *              std::sync::Mutex are): not one pthread lock call
 *   pthread    the same with a pthread mutex (the control)
 *   spawn      posix_spawn of /bin/true with an empty environment, and
 *              posix_spawnp of true with LD_PRELOAD left out
 *   vfork      vfork, then execve of /bin/true with an empty environment
 *              in the child (which shares the parent's memory)
 *   sleep      waits to be killed
 *   findings N N distinct findings: N named mutexes each unlocked while
 *              not held (bad-unlock), each its own lock class
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lockcheck.h"

extern char **environ;

static _Atomic int futex_word; /* 0 free, 1 taken, 2 taken with waiters */
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static int use_futex;

static void futex_lock(void)
{
	int c = 0;
	if (atomic_compare_exchange_strong(&futex_word, &c, 1))
		return;
	if (c != 2)
		c = atomic_exchange(&futex_word, 2);
	while (c != 0) {
		syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 2, NULL,
			NULL, 0);
		c = atomic_exchange(&futex_word, 2);
	}
}

static void futex_unlock(void)
{
	if (atomic_exchange(&futex_word, 0) == 2)
		syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL,
			NULL, 0);
}

static void *count(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100000; i++) {
		if (use_futex)
			futex_lock();
		else
			pthread_mutex_lock(&mutex);
		counter++;
		if (use_futex)
			futex_unlock();
		else
			pthread_mutex_unlock(&mutex);
	}
	return NULL;
}

static int run_counters(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, count, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return counter == 200000 ? 0 : 1;
}

static int spawn(void)
{
	char *argv[] = { "true", NULL };
	char *empty[] = { NULL };
	/* This environment without LD_PRELOAD. */
	size_t n = 0;
	while (environ[n])
		n++;
	char **kept = calloc(n + 1, sizeof *kept);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11))
			kept[k++] = environ[i];
	pid_t a, b;
	if (posix_spawn(&a, "/bin/true", NULL, NULL, argv, empty) ||
	    posix_spawnp(&b, "true", NULL, NULL, argv, kept))
		return 1;
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	free(kept);
	return 0;
}

static int vfork_exec(void)
{
	char *argv[] = { "true", "from-vfork", NULL };
	char *empty[] = { NULL };
	pid_t p = vfork();
	if (p == 0) {
		execve("/bin/true", argv, empty);
		_exit(127);
	}
	int st = 1;
	if (p > 0)
		waitpid(p, &st, 0);
	return st;
}

static int findings(int n)
{
	for (int i = 0; i < n; i++) {
		pthread_mutex_t *m = malloc(sizeof *m);
		char name[32];
		pthread_mutex_init(m, NULL);
		snprintf(name, sizeof name, "health_lock_%d", i);
		lockcheck_name(m, name);
		pthread_mutex_lock(m);
		pthread_mutex_unlock(m);
		pthread_mutex_unlock(m); /* not held: bad-unlock */
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "futex")) {
		use_futex = 1;
		return run_counters();
	}
	if (!strcmp(mode, "pthread"))
		return run_counters();
	if (!strcmp(mode, "spawn"))
		return spawn();
	if (!strcmp(mode, "vfork"))
		return vfork_exec();
	if (!strcmp(mode, "sleep")) {
		pause();
		return 0;
	}
	if (!strcmp(mode, "findings") && argc > 2)
		return findings(atoi(argv[2]));
	fprintf(stderr, "usage: health_prog futex|pthread|spawn|vfork|sleep|"
		"findings N\n");
	return 2;
}
