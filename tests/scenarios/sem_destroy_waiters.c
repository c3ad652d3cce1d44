/*
 * sem_destroy_waiters: a semaphore is destroyed while a thread waits on it.
 *
 * Pattern: a worker blocks in sem_wait(job); the main thread, thinking the
 * worker gone, destroys job (and would free it). POSIX: undefined; with
 * glibc the worker then waits on freed memory for ever.
 *
 * MUST REPORT, at the destroy: sem-misuse (detail destroyed-with-waiters)
 * of job, with the init's stack. halt_on_error ends the run there (the
 * worker would never return).
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

sem_t job;

static void *worker(void *arg)
{
	(void)arg;
	sem_wait(&job);
	return NULL;
}

int main(void)
{
	pthread_t th;
	sem_init(&job, 0, 0);
	pthread_create(&th, NULL, worker, NULL);
	/* Until the worker is blocked in the semaphore (glibc's count). */
	for (int i = 0; i < 5000; i++) {
		int v;
		sem_getvalue(&job, &v);
		if (((const unsigned long long *)(const void *)&job)[0] >> 32)
			break;
		usleep(1000);
	}
	sem_destroy(&job);
	pthread_join(th, NULL);
	printf("sem_destroy_waiters: not reached\n");
	return 0;
}
