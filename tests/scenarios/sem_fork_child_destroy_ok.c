/*
 * sem_fork_child_destroy_ok: a fork child destroys a semaphore that a thread
 * of its parent waits on.
 *
 * Pattern: a worker blocks in sem_wait(gate); the main thread forks; the
 * child, which has only the forking thread, destroys its copy of gate and
 * exits. The copy's memory (and the shim's table) still count the parent's
 * waiter, which does not exist in the child. The parent then posts, joins
 * and destroys.
 *
 * MUST STAY SILENT: no thread of the child waits on gate.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static sem_t gate;

static void *worker(void *arg)
{
	(void)arg;
	sem_wait(&gate);
	return NULL;
}

int main(void)
{
	pthread_t th;
	sem_init(&gate, 0, 0);
	pthread_create(&th, NULL, worker, NULL);
	/* Until the worker is blocked (glibc's waiter count). */
	for (int i = 0; i < 5000; i++) {
		if (((const unsigned long long *)(const void *)&gate)[0] >> 32)
			break;
		usleep(1000);
	}
	pid_t pid = fork();
	if (pid == 0) {
		sem_destroy(&gate);
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	sem_post(&gate);
	pthread_join(th, NULL);
	sem_destroy(&gate);
	printf("sem_fork_child_destroy_ok: child status %d\n", status);
	return 0;
}
