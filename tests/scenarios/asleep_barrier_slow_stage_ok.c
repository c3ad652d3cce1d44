/*
 * asleep_barrier_slow_stage_ok: a lock-step pipeline with one slow stage.
 *
 * Pattern: three threads meet at a barrier five times; in each round one
 * of them works for 250 ms (nanosleep) before it arrives, while the other
 * two sleep in pthread_barrier_wait and main sleeps in a join. Most of the
 * time every thread but one is asleep, and that one is busy.
 *
 * MUST STAY SILENT.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define THREADS 3
#define ROUNDS 5

static pthread_barrier_t round_end;

static void *stage(void *arg)
{
	long self = (long)arg;
	for (long r = 0; r < ROUNDS; r++) {
		if (r % THREADS == self) {
			struct timespec work = { 0, 250000000L };
			nanosleep(&work, NULL);
		}
		pthread_barrier_wait(&round_end);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	pthread_barrier_init(&round_end, NULL, THREADS);
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, stage, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&round_end);
	printf("asleep_barrier_slow_stage_ok: done\n");
	return 0;
}
