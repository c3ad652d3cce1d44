/*
 * dump_target: a program that stays blocked, for tests/cli/dump.sh.
 *
 * Pattern: the thread "holder" (T2) locks lock_a and sleeps for ever; the
 * thread "waiter" (T3) locks lock_b, then blocks on lock_a; main (T1) joins
 * the waiter, for ever. Nothing is a cycle and no lock order is inverted, so
 * the shim reports nothing; what `lockcheck dump PID` must show is T2
 * holding lock_a, T3 holding lock_b and waiting for lock_a (held by T2), and
 * T1 waiting to join T3.
 *
 * It prints "ready" (flushed) once the holder holds lock_a and the waiter
 * has been started; the test kills it. Before it joins, main unblocks
 * SIGUSR2 (the dump signal the test uses), as a program may: the kernel then
 * gives the process-directed signal to main, whose handler (the shim's)
 * must hand it on to the shim's dump thread, and the join goes on.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t a_held;

__attribute__((noinline)) void hold_for_ever(void)
{
	pthread_mutex_lock(&lock_a);
	sem_post(&a_held);
	for (;;)
		pause(); /* a signal handler may return here: pause again */
}

__attribute__((noinline)) void wait_behind_holder(void)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a); /* blocks for ever */
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
}

static void *holder(void *arg)
{
	pthread_setname_np(pthread_self(), "holder");
	hold_for_ever();
	return NULL;
}

static void *waiter(void *arg)
{
	pthread_setname_np(pthread_self(), "waiter");
	wait_behind_holder();
	return NULL;
}

int main(void)
{
	pthread_t h, w;
	sem_init(&a_held, 0, 0);
	pthread_create(&h, NULL, holder, NULL);
	while (sem_wait(&a_held) != 0)
		; /* EINTR: the dump signal may come early */
	pthread_create(&w, NULL, waiter, NULL);
	sigset_t dump;
	sigemptyset(&dump);
	sigaddset(&dump, SIGUSR2);
	pthread_sigmask(SIG_UNBLOCK, &dump, NULL);
	puts("ready");
	fflush(stdout);
	pthread_join(w, NULL); /* never returns */
	return 0;
}
