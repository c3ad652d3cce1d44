/*
 * barrier_pipeline_ok: a lock-step pipeline on barriers, torn down properly.
 *
 * Pattern: 4 threads (main and 3 workers) run 200 rounds, each round two
 * barrier waits (compute, then publish). The main thread destroys the
 * barriers right after its last wait returns, while workers of that
 * finished round may still be leaving the wait (glibc's destroy waits for
 * them: allowed). A second barrier is destroyed only after the joins.
 *
 * MUST STAY SILENT: no round is unfinished at a destroy.
 */
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
#define ROUNDS 200

static pthread_barrier_t compute, publish;
static long cells[THREADS];

static void run(long self)
{
	for (int r = 0; r < ROUNDS; r++) {
		cells[self] += r;
		pthread_barrier_wait(&compute);
		pthread_barrier_wait(&publish);
	}
}

static void *worker(void *arg)
{
	run((long)arg);
	return NULL;
}

int main(void)
{
	pthread_t th[THREADS];
	pthread_barrier_init(&compute, NULL, THREADS);
	pthread_barrier_init(&publish, NULL, THREADS);
	for (long i = 1; i < THREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	run(0);
	pthread_barrier_destroy(&compute); /* round over; others leaving */
	for (long i = 1; i < THREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&publish);
	long sum = 0;
	for (int i = 0; i < THREADS; i++)
		sum += cells[i];
	printf("barrier_pipeline_ok: sum=%ld\n", sum);
	return 0;
}
