/*
 * asleep_cond_holding_lock: waiting on a condition while holding another
 * lock that the signaller needs.
 *
 * Pattern: the consumer takes table_lock, then waits on `filled` (whose
 * mutex is queue_lock) still holding table_lock; the producer must take
 * table_lock before it fills the queue and signals. The consumer sleeps in
 * a condition wait, the producer waits for table_lock: no lock cycle (the
 * consumer waits on no lock), so the wait-for walk finds nothing.
 *
 * MUST REPORT: one `deadlock` (all-asleep): the consumer waits on `filled`
 * holding table_lock, the producer waits for table_lock, main joins.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t filled = PTHREAD_COND_INITIALIZER;
static int items;

static void *consumer(void *arg)
{
	pthread_mutex_lock(&table_lock);
	pthread_mutex_lock(&queue_lock);
	while (!items)
		pthread_cond_wait(&filled, &queue_lock); /* holds table_lock */
	items--;
	pthread_mutex_unlock(&queue_lock);
	pthread_mutex_unlock(&table_lock);
	return arg;
}

static void *producer(void *arg)
{
	usleep(100000);
	pthread_mutex_lock(&table_lock); /* the consumer holds it, asleep */
	pthread_mutex_lock(&queue_lock);
	items++;
	pthread_cond_signal(&filled);
	pthread_mutex_unlock(&queue_lock);
	pthread_mutex_unlock(&table_lock);
	return arg;
}

int main(void)
{
	pthread_t c, p;
	pthread_create(&c, NULL, consumer, NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(c, NULL);
	pthread_join(p, NULL);
	printf("asleep_cond_holding_lock: not reached natively\n");
	return 0;
}
