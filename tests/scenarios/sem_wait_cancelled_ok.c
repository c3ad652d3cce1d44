/*
 * sem_wait_cancelled_ok: a thread cancelled inside sem_wait is no waiter.
 *
 * Pattern: a worker blocks in sem_wait(idle); the main thread cancels it
 * (sem_wait is a cancellation point), joins it, then destroys idle. The
 * cancelled wait never returns to its caller, so the shim must end its
 * bookkeeping during the unwind.
 *
 * MUST STAY SILENT: no thread waits on idle at its destroy.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static sem_t idle;

static void *worker(void *arg)
{
	(void)arg;
	sem_wait(&idle);
	return NULL;
}

int main(void)
{
	pthread_t th;
	void *ret;
	sem_init(&idle, 0, 0);
	pthread_create(&th, NULL, worker, NULL);
	usleep(20000);
	pthread_cancel(th);
	pthread_join(th, &ret);
	sem_destroy(&idle);
	printf("sem_wait_cancelled_ok: cancelled=%d\n", ret == PTHREAD_CANCELED);
	return 0;
}
