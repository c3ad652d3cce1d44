/*
 * unlock_ok: correct unlocks in the shapes that a careless checker gets
 * wrong.
 *
 * Pattern: two threads, concurrently, many times:
 *   - begin_txn() locks txn_lock (PTHREAD_MUTEX_ERRORCHECK, so glibc itself
 *     would refuse a wrong unlock) and returns; commit_txn(), a different
 *     function, unlocks it;
 *   - lock log_lock, lock index_spin (a spinlock), unlock log_lock first,
 *     then index_spin (released out of order);
 *   - pthread_rwlock_rdlock(catalog_rw) ... pthread_rwlock_unlock, then
 *     pthread_rwlock_wrlock(catalog_rw) ... pthread_rwlock_unlock: one
 *     unlock function for both modes, the checker must release the right
 *     hold;
 *   - a read hold of catalog_rw with txn_lock taken under it and released
 *     first.
 * Every acquisition agrees with catalog_rw -> txn_lock and
 * log_lock -> index_spin; every unlock is by the holder; every thread ends
 * holding nothing.
 *
 * MUST STAY SILENT: findings 0 (no bad-unlock, no held-at-exit, no edge from
 * a lock already released).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 2
#define ITERS 3000

static pthread_mutex_t txn_lock;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t index_spin;
static pthread_rwlock_t catalog_rw = PTHREAD_RWLOCK_INITIALIZER;
static long txns, logged, reads, writes;

static void check(int rc, const char *what)
{
	if (rc != 0) {
		fprintf(stderr, "unlock_ok: %s returned %d\n", what, rc);
		exit(1);
	}
}

__attribute__((noinline)) void begin_txn(void)
{
	check(pthread_mutex_lock(&txn_lock), "lock txn");
}

__attribute__((noinline)) void commit_txn(void)
{
	txns++;
	check(pthread_mutex_unlock(&txn_lock), "unlock txn");
}

__attribute__((noinline)) void log_out_of_order(void)
{
	check(pthread_mutex_lock(&log_lock), "lock log");
	check(pthread_spin_lock(&index_spin), "lock index");
	logged++;
	check(pthread_mutex_unlock(&log_lock), "unlock log");
	check(pthread_spin_unlock(&index_spin), "unlock index");
}

__attribute__((noinline)) void catalog_both_modes(void)
{
	check(pthread_rwlock_rdlock(&catalog_rw), "rdlock catalog");
	__atomic_fetch_add(&reads, 1, __ATOMIC_RELAXED);
	check(pthread_rwlock_unlock(&catalog_rw), "unlock read");
	check(pthread_rwlock_wrlock(&catalog_rw), "wrlock catalog");
	writes++;
	check(pthread_rwlock_unlock(&catalog_rw), "unlock write");
}

__attribute__((noinline)) void txn_under_catalog(void)
{
	check(pthread_rwlock_rdlock(&catalog_rw), "rdlock catalog");
	begin_txn();
	commit_txn();
	check(pthread_rwlock_unlock(&catalog_rw), "unlock read");
}

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++) {
		begin_txn();
		commit_txn();
		log_out_of_order();
		catalog_both_modes();
		txn_under_catalog();
	}
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_t t[THREADS];
	int i;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&txn_lock, &attr);
	pthread_mutexattr_destroy(&attr);
	pthread_spin_init(&index_spin, PTHREAD_PROCESS_PRIVATE);

	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("unlock_ok: txns=%ld logged=%ld reads=%ld writes=%ld\n", txns,
	       logged, reads, writes);
	pthread_spin_destroy(&index_spin);
	pthread_mutex_destroy(&txn_lock);
	return 0;
}
