/*
 * asleep_sem_signal_ok: a semaphore used as a signal between threads.
 *
 * Pattern: a consumer sleeps in sem_wait; the producer works (sleeps in
 * nanosleep, which the shim does not see) for 300 ms per item, three
 * times, posting after each; main joins both. The consumer and main are
 * asleep for most of the run, the producer never.
 *
 * MUST STAY SILENT.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static sem_t items;
static int consumed;

static void *producer(void *arg)
{
	for (int i = 0; i < 3; i++) {
		struct timespec work = { 0, 300000000L };
		nanosleep(&work, NULL);
		sem_post(&items);
	}
	return arg;
}

static void *consumer(void *arg)
{
	for (int i = 0; i < 3; i++) {
		sem_wait(&items);
		consumed++;
	}
	return arg;
}

int main(void)
{
	pthread_t p, c;
	sem_init(&items, 0, 0);
	pthread_create(&c, NULL, consumer, NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	sem_destroy(&items);
	printf("asleep_sem_signal_ok: %d consumed\n", consumed);
	return 0;
}
