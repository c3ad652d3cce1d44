/*
 * walltime.c OUTFILE PROG ARGS...: runs PROG (execvp, same stdio) and, when
 * it has exited, writes one line to OUTFILE:
 *   "<wall seconds> <peak RSS KB> <status>"
 * wall from fork to reaping, the RSS from wait4's rusage (ru_maxrss of the
 * program, not of this wrapper), status the exit code or 128+signal; then
 * exits with that status. tests/bench/run uses it for the real programs
 * (make bench) because GNU time is not everywhere and a shell cannot get a
 * child's peak RSS; it is never itself under the shim: the run script puts
 * `env LD_PRELOAD=...` after it, so env execs the program in the same pid.
 *
 * SIGTERM or SIGINT to the wrapper is forwarded to the program (how the run
 * script stops a server, and how `timeout` bounds a run) and, should the
 * program still be alive KILL_AFTER seconds later, it is SIGKILLed: a stop
 * always ends in bounded time, and the line is written either way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KILL_AFTER 15

static volatile pid_t child;

static void on_stop(int sig)
{
	if (child > 0) {
		kill(child, sig);
		alarm(KILL_AFTER);
	}
}

static void on_alarm(int sig)
{
	(void)sig;
	if (child > 0)
		kill(child, SIGKILL);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: walltime OUTFILE PROG [ARGS...]\n");
		return 2;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);

	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("walltime: fork");
		return 2;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "walltime: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	child = pid;
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("walltime: wait4");
			return 2;
		}
	double wall = now() - t0;
	int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	FILE *f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fprintf(f, "%.4f %ld %d\n", wall, ru.ru_maxrss, status);
	fclose(f);
	return status;
}
