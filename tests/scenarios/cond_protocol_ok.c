/*
 * cond_protocol_ok: condition variables used correctly, by three threads.
 *
 * Pattern: a bounded queue guarded by queue_lock, with not_empty and
 * not_full condition variables; every wait is in a predicate loop.
 *   - the producer waits for room with pthread_cond_clockwait
 *     (CLOCK_MONOTONIC) and signals not_empty; at the end it sets done and
 *     broadcasts;
 *   - two consumers first take consumer_gate, so one consumer at a time
 *     drains the queue, then queue_lock, and wait with pthread_cond_wait or
 *     pthread_cond_timedwait (long timeouts, never expiring) while still
 *     holding consumer_gate. The wake-up re-takes queue_lock under
 *     consumer_gate: the edge consumer_gate -> queue_lock, the same order as
 *     the ordinary lock. Each item is counted under tally_lock, taken while
 *     holding queue_lock (queue_lock -> tally_lock; the wake-up re-takes
 *     queue_lock while holding nothing else but the gate).
 *   - before the threads start, main waits on idle_cond with
 *     pthread_cond_timedwait and a 20 ms timeout that really expires (nobody
 *     signals idle_cond), then unlocks queue_lock: ETIMEDOUT still re-takes
 *     the mutex.
 * All orders agree with consumer_gate -> queue_lock -> tally_lock.
 *
 * MUST STAY SILENT: findings 0. Guards against a condition wait reported as
 * cond-wait-unheld while the mutex is held, a re-acquisition edge in the
 * consistent order taken for an inversion, a hold lost or doubled by the wait
 * (a bad-unlock or double-lock afterwards), and a timed-out wait that forgets
 * the mutex was taken back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITEMS 3000
#define QUEUE_CAP 4
#define CONSUMERS 2

static pthread_mutex_t consumer_gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t tally_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full;
static pthread_cond_t idle_cond = PTHREAD_COND_INITIALIZER;
static int queue[QUEUE_CAP];
static int head, count, done;
static long total, items;

static struct timespec after(clockid_t clock, long s, long ns)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	ts.tv_sec += s;
	ts.tv_nsec += ns;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

__attribute__((noinline)) void produce(int item)
{
	pthread_mutex_lock(&queue_lock);
	while (count == QUEUE_CAP) {
		struct timespec ts = after(CLOCK_MONOTONIC, 30, 0);

		if (pthread_cond_clockwait(&not_full, &queue_lock,
					   CLOCK_MONOTONIC, &ts) == EINVAL)
			abort();
	}
	queue[(head + count) % QUEUE_CAP] = item;
	count++;
	pthread_cond_signal(&not_empty);
	pthread_mutex_unlock(&queue_lock);
}

__attribute__((noinline)) int consume(int timed)
{
	int item;

	pthread_mutex_lock(&consumer_gate);
	pthread_mutex_lock(&queue_lock);
	while (count == 0 && !done) {
		if (timed) {
			struct timespec ts = after(CLOCK_REALTIME, 30, 0);

			pthread_cond_timedwait(&not_empty, &queue_lock, &ts);
		} else {
			pthread_cond_wait(&not_empty, &queue_lock);
		}
	}
	if (count == 0) {
		pthread_mutex_unlock(&queue_lock);
		pthread_mutex_unlock(&consumer_gate);
		return 0;
	}
	item = queue[head];
	head = (head + 1) % QUEUE_CAP;
	count--;
	pthread_cond_signal(&not_full);
	pthread_mutex_lock(&tally_lock);
	total += item;
	items++;
	pthread_mutex_unlock(&tally_lock);
	pthread_mutex_unlock(&queue_lock);
	pthread_mutex_unlock(&consumer_gate);
	return 1;
}

static void *producer(void *arg)
{
	int i;

	for (i = 1; i <= ITEMS; i++)
		produce(i);
	pthread_mutex_lock(&queue_lock);
	done = 1;
	pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&queue_lock);
	return NULL;
}

static void *consumer(void *arg)
{
	int timed = arg != NULL;

	while (consume(timed))
		;
	return NULL;
}

int main(void)
{
	pthread_t p, c[CONSUMERS];
	pthread_condattr_t attr;
	struct timespec ts;
	int i, rc;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&not_full, &attr);
	pthread_condattr_destroy(&attr);

	pthread_mutex_lock(&queue_lock);
	ts = after(CLOCK_REALTIME, 0, 20000000L);
	do
		rc = pthread_cond_timedwait(&idle_cond, &queue_lock, &ts);
	while (rc == 0); /* a spurious wake-up: wait on */
	pthread_mutex_unlock(&queue_lock);
	printf("cond_protocol_ok: idle wait %s\n",
	       rc == ETIMEDOUT ? "timed out" : "failed");

	for (i = 0; i < CONSUMERS; i++)
		pthread_create(&c[i], NULL, consumer, i ? &c[i] : NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	for (i = 0; i < CONSUMERS; i++)
		pthread_join(c[i], NULL);
	printf("cond_protocol_ok: %ld items, total %ld\n", items, total);
	pthread_cond_destroy(&not_full);
	return 0;
}
