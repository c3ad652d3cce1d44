/*
 * fork.c: fork from a multi-threaded program while other threads lock
 * (stress scenario c).
 *
 * Four threads lock and unlock shared mutexes (in ascending order, often
 * under the gate `P`) for the whole run while the main thread forks 1,000
 * children (quick; 5,000 long), every fourth while holding `held_at_fork`
 * itself. POSIX lets a child of a multi-threaded process touch only locks it
 * owns: `P`, which the program protects with its own pthread_atfork
 * (prepare locks it, parent and child unlock it); `held_at_fork`, which the
 * forking thread itself holds (the child unlocks it, as its holder); and a
 * mutex and a rwlock the child makes. Never the workers' locks, which may be
 * held by threads that do not exist in the child. The child takes P, then
 * its own locks nested in P, writes its number to a pipe, and ends: odd
 * children by exit() (atexit handlers run, and one of the program's takes
 * P; the shim writes the child's end event), even ones by _exit().
 *
 * The parent reads each child's number from the pipe and waits for it with
 * a deadline of 10 s: a child that hangs (a lock left locked across fork, in
 * the program or in the shim) is killed and the run fails with status 3, as
 * does a wrong exit status. stdout: the fixed figures. Size from
 * LOCKCHECK_STRESS (stress.h).
 */
#include "stress.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lockcheck.h"

#define NWORKERS 4
#define NLOCKS 8

static pthread_mutex_t P = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t held_at_fork = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t locks[NLOCKS];
static unsigned long counter[NLOCKS];
static atomic_int stop;
static atomic_ulong worker_rounds;
static int in_child;

static void prepare(void) { pthread_mutex_lock(&P); }
static void parent(void) { pthread_mutex_unlock(&P); }
static void child(void) { pthread_mutex_unlock(&P); }

/* Runs in every exit() (the parent's and the odd children's). */
static void at_exit_locks(void)
{
	pthread_mutex_lock(&P);
	pthread_mutex_unlock(&P);
}

static void *worker(void *arg)
{
	uint64_t s = stress_seed((unsigned)(uintptr_t)arg);
	while (!atomic_load(&stop)) {
		uint64_t d = stress_rand(&s);
		int a = (int)(d % (NLOCKS - 1));
		int b = a + 1 + (int)((d >> 8) % (unsigned)(NLOCKS - 1 - a));
		int gate = (d >> 16) & 1;
		if (gate)
			pthread_mutex_lock(&P);
		pthread_mutex_lock(&locks[a]);
		pthread_mutex_lock(&locks[b]);
		counter[a]++;
		counter[b]++;
		pthread_mutex_unlock(&locks[b]);
		pthread_mutex_unlock(&locks[a]);
		if (gate)
			pthread_mutex_unlock(&P);
		/* A breather now and then: four spinning threads on two
		 * cores would make the run about fork latency alone. */
		if (atomic_fetch_add(&worker_rounds, 1) % 64 == 0)
			usleep(100);
	}
	return NULL;
}

static void child_main(unsigned n, int fd, int holding)
{
	in_child = 1;
	if (holding)
		STRESS_CHECK(pthread_mutex_unlock(&held_at_fork) == 0, "child unlock");
	pthread_mutex_t own;
	pthread_rwlock_t own_rw;
	pthread_mutex_init(&own, NULL);
	pthread_rwlock_init(&own_rw, NULL);
	for (int i = 0; i < 3; i++) {
		pthread_mutex_lock(&P);
		pthread_mutex_lock(&own);
		pthread_rwlock_wrlock(&own_rw);
		pthread_rwlock_unlock(&own_rw);
		pthread_mutex_unlock(&own);
		pthread_mutex_unlock(&P);
	}
	pthread_mutex_destroy(&own);
	pthread_rwlock_destroy(&own_rw);
	ssize_t w = write(fd, &n, sizeof n);
	(void)w;
	int code = (int)(n % 50) + 1;
	if (n % 2)
		exit(code);
	_exit(code);
}

int main(void)
{
	unsigned forks = stress_long() ? 5000 : 1000;
	for (int i = 0; i < NLOCKS; i++)
		pthread_mutex_init(&locks[i], NULL);
	lockcheck_name(&P, "P");
	STRESS_CHECK(pthread_atfork(prepare, parent, child) == 0, "atfork");
	atexit(at_exit_locks);
	int fds[2];
	STRESS_CHECK(pipe(fds) == 0, "pipe");

	pthread_t t[NWORKERS];
	for (int i = 0; i < NWORKERS; i++)
		STRESS_CHECK(pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i) == 0,
			     "create");
	fflush(stdout);
	unsigned exited = 0, quick_exited = 0;
	for (unsigned n = 0; n < forks; n++) {
		int holding = n % 4 == 0;
		if (holding)
			pthread_mutex_lock(&held_at_fork);
		pid_t pid = fork();
		STRESS_CHECK(pid >= 0, "fork %u: %s", n, strerror(errno));
		if (pid == 0)
			child_main(n, fds[1], holding);
		if (holding)
			pthread_mutex_unlock(&held_at_fork);
		unsigned got = ~0u;
		STRESS_CHECK(read(fds[0], &got, sizeof got) == sizeof got && got == n,
			     "child %u wrote %u", n, got);
		long long deadline = stress_now_ms() + 10000;
		int status = 0;
		for (;;) {
			pid_t r = waitpid(pid, &status, WNOHANG);
			STRESS_CHECK(r >= 0, "waitpid: %s", strerror(errno));
			if (r == pid)
				break;
			if (stress_now_ms() > deadline) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				STRESS_CHECK(0, "child %u (pid %d) hung: killed after 10 s", n, (int)pid);
			}
			usleep(200);
		}
		STRESS_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == (int)(n % 50) + 1,
			     "child %u: status 0x%x", n, status);
		if (n % 2)
			exited++;
		else
			quick_exited++;
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < NWORKERS; i++)
		pthread_join(t[i], NULL);
	STRESS_CHECK(atomic_load(&worker_rounds) > 0, "the workers never ran");
	printf("fork: %u children (%u by exit, %u by _exit) of a process with %d locking threads, "
	       "every status right, none hung\n", forks, exited, quick_exited, NWORKERS);
	return 0;
}
