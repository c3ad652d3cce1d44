/*
 * asleep_sem_handler_ok: a semaphore posted by a signal handler.
 *
 * Pattern: the only thread sleeps in sem_wait; a SIGALRM handler (alarm, a
 * second later) posts the semaphore, the one waking call POSIX allows in a
 * handler. For a second, every thread of the process is asleep on a
 * semaphore, but the process catches an asynchronous signal.
 *
 * MUST STAY SILENT.
 */
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static sem_t wake;

static void on_alarm(int sig)
{
	(void)sig;
	sem_post(&wake);
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sem_init(&wake, 0, 0);
	alarm(1);
	while (sem_wait(&wake) != 0 && errno == EINTR)
		;
	sem_destroy(&wake);
	printf("asleep_sem_handler_ok: woken\n");
	return 0;
}
