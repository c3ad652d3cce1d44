/*
 * relock_recursive_ok: the re-locks that are legal, mixed with an
 * error-checking mutex and an rwlock.
 *
 * Pattern: two threads, many times, concurrently:
 *     lock rec_lock (PTHREAD_MUTEX_RECURSIVE);
 *     lock ec_lock (PTHREAD_MUTEX_ERRORCHECK);
 *     lock rec_lock again: held by this thread, it cannot block, no edge;
 *     pthread_mutex_trylock(ec_lock): held by this thread, EBUSY at once
 *         (a try-lock of a held lock is not a double-lock);
 *     unlock rec_lock, ec_lock, rec_lock;
 *     rdlock table_rw twice (read re-entry: legal, glibc's default rwlock
 *         prefers readers, so it never waits), then lock ec_lock under it,
 *         release everything;
 *     pthread_rwlock_tryrdlock(table_rw) while holding it for read (always
 *         succeeds) and pthread_rwlock_trywrlock while holding it for read
 *         (EBUSY at once), then unlock.
 * Every acquisition agrees with rec_lock -> ec_lock and table_rw -> ec_lock.
 * The program checks each return code and prints a summary.
 *
 * MUST STAY SILENT: findings 0. Guards against reporting a recursive re-lock,
 * a read re-entry or a try-lock of a held lock as a double-lock, against
 * counting a failed try-lock as a hold (a held-at-exit or bad-unlock later),
 * and against an edge ec_lock -> rec_lock from the re-entry under ec_lock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 2
#define ITERS 3000

static pthread_mutex_t rec_lock;
static pthread_mutex_t ec_lock;
static pthread_rwlock_t table_rw = PTHREAD_RWLOCK_INITIALIZER;
static long busy_mutex, busy_rw, rounds;

static void expect(int got, int want, const char *what)
{
	if (got != want) {
		fprintf(stderr, "relock_recursive_ok: %s returned %d\n", what,
			got);
		exit(1);
	}
}

__attribute__((noinline)) void mutex_relocks(void)
{
	expect(pthread_mutex_lock(&rec_lock), 0, "lock rec");
	expect(pthread_mutex_lock(&ec_lock), 0, "lock ec");
	expect(pthread_mutex_lock(&rec_lock), 0, "relock rec");
	expect(pthread_mutex_trylock(&ec_lock), EBUSY, "trylock held ec");
	busy_mutex++;
	expect(pthread_mutex_unlock(&rec_lock), 0, "unlock rec");
	expect(pthread_mutex_unlock(&ec_lock), 0, "unlock ec");
	expect(pthread_mutex_unlock(&rec_lock), 0, "unlock rec again");
}

__attribute__((noinline)) void rwlock_rereads(void)
{
	expect(pthread_rwlock_rdlock(&table_rw), 0, "rdlock");
	expect(pthread_rwlock_rdlock(&table_rw), 0, "rdlock again");
	expect(pthread_mutex_lock(&ec_lock), 0, "lock ec under rw");
	rounds++;
	expect(pthread_mutex_unlock(&ec_lock), 0, "unlock ec");
	expect(pthread_rwlock_unlock(&table_rw), 0, "unlock rw");
	expect(pthread_rwlock_unlock(&table_rw), 0, "unlock rw again");

	expect(pthread_rwlock_rdlock(&table_rw), 0, "rdlock");
	expect(pthread_rwlock_tryrdlock(&table_rw), 0, "tryrdlock held");
	if (pthread_rwlock_trywrlock(&table_rw) == 0)
		abort(); /* read-held: cannot succeed */
	__atomic_fetch_add(&busy_rw, 1, __ATOMIC_RELAXED);
	expect(pthread_rwlock_unlock(&table_rw), 0, "unlock rw");
	expect(pthread_rwlock_unlock(&table_rw), 0, "unlock rw again");
}

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++) {
		mutex_relocks();
		rwlock_rereads();
	}
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_t t[THREADS];
	int i;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&rec_lock, &attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&ec_lock, &attr);
	pthread_mutexattr_destroy(&attr);

	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("relock_recursive_ok: busy mutex=%ld rw=%ld rounds=%ld\n",
	       busy_mutex, busy_rw, rounds);
	pthread_mutex_destroy(&ec_lock);
	pthread_mutex_destroy(&rec_lock);
	return 0;
}
