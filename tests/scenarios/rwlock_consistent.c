/*
 * rwlock_consistent: readers and writers that all agree on one lock order.
 *
 * Pattern: two rwlocks and a mutex, always taken as
 *     rw_outer -> rw_inner -> stats_lock
 * by four reader threads and two writer threads running concurrently. The
 * readers take rw_outer for read TWICE (a read re-entry: legal, since glibc's
 * default rwlock prefers readers, so a second rdlock never waits), then
 * rw_inner for read with pthread_rwlock_timedrdlock, pthread_rwlock_clockrdlock
 * or pthread_rwlock_tryrdlock. The writers take rw_outer for write with
 * pthread_rwlock_clockwrlock, pthread_rwlock_timedwrlock or
 * pthread_rwlock_wrlock, then rw_inner for write with
 * pthread_rwlock_trywrlock (falling back to a blocking wrlock when busy) and
 * finally stats_lock. The timeouts are long (30 s): they never expire, so the
 * output does not depend on timing.
 *
 * MUST STAY SILENT: findings 0. Guards against reporting a read re-entry as a
 * double-lock, against unbalancing the held set when a twice-read-held lock
 * is released twice (bad-unlock, or an edge from a lock no longer held),
 * against mistaking read and write holds of one rwlock for two locks, and
 * against losing the held state across the timed, clock and try variants.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define READERS 4
#define WRITERS 2
#define READER_ITERS 2000
#define WRITER_ITERS 500
#define TIMEOUT_S 30

static pthread_rwlock_t rw_outer = PTHREAD_RWLOCK_INITIALIZER;
static pthread_rwlock_t rw_inner = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static long table[2];
static long reads, writes;

static struct timespec deadline(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	ts.tv_sec += TIMEOUT_S;
	return ts;
}

static void check(int rc, const char *what)
{
	if (rc != 0) {
		fprintf(stderr, "rwlock_consistent: %s failed: %d\n", what, rc);
		exit(1);
	}
}

__attribute__((noinline)) void read_both(int i)
{
	struct timespec ts;

	check(pthread_rwlock_rdlock(&rw_outer), "rdlock outer");
	check(pthread_rwlock_rdlock(&rw_outer), "rdlock outer again");
	switch (i % 3) {
	case 0:
		ts = deadline(CLOCK_REALTIME);
		check(pthread_rwlock_timedrdlock(&rw_inner, &ts), "timedrdlock");
		break;
	case 1:
		ts = deadline(CLOCK_MONOTONIC);
		check(pthread_rwlock_clockrdlock(&rw_inner, CLOCK_MONOTONIC, &ts),
		      "clockrdlock");
		break;
	default:
		if (pthread_rwlock_tryrdlock(&rw_inner) != 0)
			check(pthread_rwlock_rdlock(&rw_inner), "rdlock inner");
		break;
	}
	if (table[0] != table[1])
		abort(); /* a writer was inside with us */
	check(pthread_mutex_lock(&stats_lock), "lock stats");
	reads++;
	pthread_mutex_unlock(&stats_lock);
	pthread_rwlock_unlock(&rw_inner);
	pthread_rwlock_unlock(&rw_outer);
	pthread_rwlock_unlock(&rw_outer);
}

__attribute__((noinline)) void write_both(int i)
{
	struct timespec ts;

	switch (i % 3) {
	case 0:
		ts = deadline(CLOCK_MONOTONIC);
		check(pthread_rwlock_clockwrlock(&rw_outer, CLOCK_MONOTONIC, &ts),
		      "clockwrlock");
		break;
	case 1:
		ts = deadline(CLOCK_REALTIME);
		check(pthread_rwlock_timedwrlock(&rw_outer, &ts), "timedwrlock");
		break;
	default:
		check(pthread_rwlock_wrlock(&rw_outer), "wrlock outer");
		break;
	}
	if (pthread_rwlock_trywrlock(&rw_inner) != 0)
		check(pthread_rwlock_wrlock(&rw_inner), "wrlock inner");
	table[0]++;
	table[1]++;
	check(pthread_mutex_lock(&stats_lock), "lock stats");
	writes++;
	pthread_mutex_unlock(&stats_lock);
	pthread_rwlock_unlock(&rw_inner);
	pthread_rwlock_unlock(&rw_outer);
}

static void *reader(void *arg)
{
	int i;

	for (i = 0; i < READER_ITERS; i++)
		read_both(i);
	return NULL;
}

static void *writer(void *arg)
{
	int i;

	for (i = 0; i < WRITER_ITERS; i++)
		write_both(i);
	return NULL;
}

int main(void)
{
	pthread_t r[READERS], w[WRITERS];
	int i;

	for (i = 0; i < READERS; i++)
		pthread_create(&r[i], NULL, reader, NULL);
	for (i = 0; i < WRITERS; i++)
		pthread_create(&w[i], NULL, writer, NULL);
	for (i = 0; i < READERS; i++)
		pthread_join(r[i], NULL);
	for (i = 0; i < WRITERS; i++)
		pthread_join(w[i], NULL);
	printf("rwlock_consistent: reads=%ld writes=%ld table=%ld/%ld\n", reads,
	       writes, table[0], table[1]);
	return 0;
}
