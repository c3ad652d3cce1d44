/*
 * c11_cnd_ok: a correct C11 producer/consumer with mtx_t and cnd_t.
 *
 * Pattern: one producer and two consumers share a bounded queue guarded by
 * queue_mtx (mtx_plain), with not_empty and not_full condition variables.
 * Consumers wait with cnd_wait, the producer with cnd_timedwait (a long
 * timeout that never expires), each in a predicate loop. After every item
 * the consumer also takes tally_mtx (mtx_timed, by mtx_timedlock) while
 * holding queue_mtx: always queue_mtx -> tally_mtx. Before the threads start,
 * main does one cnd_timedwait that really times out (nobody signals
 * idle_cnd) and checks it got thrd_timedout with queue_mtx held again.
 * The end is announced by cnd_broadcast.
 *
 * MUST STAY SILENT: findings 0. A condition wait releases the mutex and takes
 * it back; the checker must neither report the wait (cond-wait-unheld: the
 * mutex is held), nor the re-acquisition (the thread holds nothing else, so
 * it is no edge), nor lose the hold afterwards (bad-unlock at the next
 * mtx_unlock, held-at-exit). The timed-out wait also re-takes the mutex.
 */
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>
#include <time.h>

#define ITEMS 3000
#define QUEUE_CAP 8
#define CONSUMERS 2

static mtx_t queue_mtx;
static mtx_t tally_mtx;
static cnd_t not_empty, not_full, idle_cnd;
static int queue[QUEUE_CAP];
static int head, count, done;
static long consumed_sum, consumed_items;

static struct timespec in_seconds(long s, long ns)
{
	struct timespec ts;

	timespec_get(&ts, TIME_UTC);
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
	mtx_lock(&queue_mtx);
	while (count == QUEUE_CAP) {
		struct timespec ts = in_seconds(30, 0);

		if (cnd_timedwait(&not_full, &queue_mtx, &ts) == thrd_error)
			abort();
	}
	queue[(head + count) % QUEUE_CAP] = item;
	count++;
	cnd_signal(&not_empty);
	mtx_unlock(&queue_mtx);
}

__attribute__((noinline)) int consume(void)
{
	struct timespec ts;
	int item;

	mtx_lock(&queue_mtx);
	while (count == 0 && !done)
		cnd_wait(&not_empty, &queue_mtx);
	if (count == 0) {
		mtx_unlock(&queue_mtx);
		return 0;
	}
	item = queue[head];
	head = (head + 1) % QUEUE_CAP;
	count--;
	cnd_signal(&not_full);
	ts = in_seconds(30, 0);
	if (mtx_timedlock(&tally_mtx, &ts) != thrd_success)
		abort();
	consumed_sum += item;
	consumed_items++;
	mtx_unlock(&tally_mtx);
	mtx_unlock(&queue_mtx);
	return 1;
}

static int producer(void *arg)
{
	int i;

	for (i = 1; i <= ITEMS; i++)
		produce(i);
	mtx_lock(&queue_mtx);
	done = 1;
	cnd_broadcast(&not_empty);
	mtx_unlock(&queue_mtx);
	return 0;
}

static int consumer(void *arg)
{
	while (consume())
		;
	return 0;
}

int main(void)
{
	thrd_t p, c[CONSUMERS];
	struct timespec ts;
	int i, rc;

	mtx_init(&queue_mtx, mtx_plain);
	mtx_init(&tally_mtx, mtx_timed);
	cnd_init(&not_empty);
	cnd_init(&not_full);
	cnd_init(&idle_cnd);

	mtx_lock(&queue_mtx);
	ts = in_seconds(0, 20000000L);
	do
		rc = cnd_timedwait(&idle_cnd, &queue_mtx, &ts);
	while (rc == thrd_success); /* a spurious wake-up: wait on */
	mtx_unlock(&queue_mtx);
	printf("c11_cnd_ok: idle wait %s\n",
	       rc == thrd_timedout ? "timed out" : "failed");

	for (i = 0; i < CONSUMERS; i++)
		thrd_create(&c[i], consumer, NULL);
	thrd_create(&p, producer, NULL);
	thrd_join(p, NULL);
	for (i = 0; i < CONSUMERS; i++)
		thrd_join(c[i], NULL);
	printf("c11_cnd_ok: consumed %ld items, sum %ld\n", consumed_items,
	       consumed_sum);
	cnd_destroy(&idle_cnd);
	cnd_destroy(&not_full);
	cnd_destroy(&not_empty);
	mtx_destroy(&tally_mtx);
	mtx_destroy(&queue_mtx);
	return 0;
}
