/*
 * sem_signal_ok: semaphores used correctly, every way that must stay quiet.
 *
 * Pattern: (1) a producer thread posts `items` 2000 times while a consumer
 * waits for each, acknowledging through `acks`; (2) sem_trywait on an empty
 * semaphore fails with EAGAIN, many times; (3) a sem_timedwait loop times
 * out three times (nobody posts); (4) a waiter blocks, is posted, returns,
 * and is joined before the destroy; (5) a destroyed semaphore's memory is
 * initialised again and used; (6) a process-shared semaphore.
 *
 * MUST STAY SILENT.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 2000

static sem_t items, acks, once;
static long consumed;

static void *consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		sem_wait(&items);
		consumed++;
		sem_post(&acks);
	}
	return NULL;
}

static void *one_waiter(void *arg)
{
	(void)arg;
	sem_wait(&once);
	return NULL;
}

int main(void)
{
	pthread_t th;
	sem_init(&items, 0, 0);
	sem_init(&acks, 0, 0);
	pthread_create(&th, NULL, consumer, NULL);
	for (int i = 0; i < ROUNDS; i++) {
		sem_post(&items);
		sem_wait(&acks);
	}
	pthread_join(th, NULL);

	int eagain = 0;
	for (int i = 0; i < 100; i++)
		eagain += sem_trywait(&items) == -1 && errno == EAGAIN;

	int timeouts = 0;
	for (int i = 0; i < 3; i++) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		timeouts += sem_timedwait(&items, &ts) == -1 && errno == ETIMEDOUT;
	}

	sem_init(&once, 0, 0);
	pthread_create(&th, NULL, one_waiter, NULL);
	usleep(20000);
	sem_post(&once);
	pthread_join(th, NULL);
	sem_destroy(&once);

	sem_init(&once, 0, 1); /* the same memory, a new semaphore */
	sem_wait(&once);
	sem_destroy(&once);

	sem_t shared;
	sem_init(&shared, 1, 1);
	sem_wait(&shared);
	sem_post(&shared);
	sem_destroy(&shared);

	sem_destroy(&items);
	sem_destroy(&acks);
	printf("sem_signal_ok: consumed=%ld eagain=%d timeouts=%d\n", consumed,
	       eagain, timeouts);
	return 0;
}
