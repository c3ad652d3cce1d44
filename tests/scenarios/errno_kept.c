/*
 * errno_kept: the intercepted calls leave errno as they found it, on the
 * paths where the checker does the most work inside them.
 *
 * A program may keep errno across a lock call: a failed system call, then a
 * logging function that takes a mutex, then strerror(errno). glibc's lock
 * calls never touch errno; under the shim they run its bookkeeping, stack
 * captures (libunwind probes memory with system calls that can fail),
 * registry growth, report writes and name lookups in /proc. Each call here
 * runs with errno set to a sentinel, which must still be there after: the
 * first lock of a new mutex, a nested lock making a new edge (a stack
 * captured), an AB-BA closed by a second thread (a finding written), a
 * failing trylock, rwlock and spinlock calls, a condition wait that times
 * out, a recursive re-entry, thread create and join, and a thread that ends
 * holding a lock (a held-at-exit warning written as it ends).
 *
 * MUST REPORT: the AB-BA (deadlock-possible) and the held-at-exit; stdout
 * as natively: no call changed errno.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

#define SENTINEL 4242

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t leaked = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t spin;
static pthread_mutex_t recursive;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static sem_t first_done;
static int changed;

/* Runs call with errno set to the sentinel; names it if errno moved. */
#define KEEPS_ERRNO(call)                                                      \
	do {                                                                   \
		errno = SENTINEL;                                              \
		call;                                                          \
		if (errno != SENTINEL) {                                       \
			printf("errno changed by %s: %d\n", #call, errno);     \
			changed++;                                             \
		}                                                              \
	} while (0)

static void *take_a_then_b(void *arg)
{
	KEEPS_ERRNO(pthread_mutex_lock(&lock_a));
	KEEPS_ERRNO(pthread_mutex_lock(&lock_b));
	KEEPS_ERRNO(pthread_mutex_unlock(&lock_b));
	KEEPS_ERRNO(pthread_mutex_unlock(&lock_a));
	sem_post(&first_done);
	return arg;
}

static void *take_b_then_a(void *arg)
{
	sem_wait(&first_done);
	KEEPS_ERRNO(pthread_mutex_lock(&lock_b));
	KEEPS_ERRNO(pthread_mutex_lock(&lock_a)); /* closes the cycle */
	KEEPS_ERRNO(pthread_mutex_unlock(&lock_a));
	KEEPS_ERRNO(pthread_mutex_unlock(&lock_b));
	return arg;
}

static void *end_holding(void *arg)
{
	KEEPS_ERRNO(pthread_mutex_lock(&leaked));
	return arg; /* held-at-exit, written as the thread ends */
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&recursive, &attr);
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	sem_init(&first_done, 0, 0);

	pthread_t x, y, z;
	KEEPS_ERRNO(pthread_create(&x, NULL, take_a_then_b, NULL));
	KEEPS_ERRNO(pthread_create(&y, NULL, take_b_then_a, NULL));
	KEEPS_ERRNO(pthread_join(x, NULL));
	KEEPS_ERRNO(pthread_join(y, NULL));

	KEEPS_ERRNO(pthread_mutex_lock(&recursive));
	KEEPS_ERRNO(pthread_mutex_lock(&recursive));
	KEEPS_ERRNO(pthread_rwlock_rdlock(&rw)); /* new edges, under two holds */
	KEEPS_ERRNO(pthread_spin_lock(&spin));
	KEEPS_ERRNO(pthread_spin_unlock(&spin));
	KEEPS_ERRNO(pthread_rwlock_unlock(&rw));
	KEEPS_ERRNO(pthread_mutex_unlock(&recursive));
	KEEPS_ERRNO(pthread_mutex_unlock(&recursive));

	KEEPS_ERRNO(pthread_mutex_lock(&lock_a));
	int busy = 0;
	KEEPS_ERRNO(busy = pthread_mutex_trylock(&lock_a) == EBUSY);
	struct timespec soon;
	clock_gettime(CLOCK_REALTIME, &soon);
	soon.tv_nsec += 1000000;
	if (soon.tv_nsec >= 1000000000) {
		soon.tv_sec++;
		soon.tv_nsec -= 1000000000;
	}
	KEEPS_ERRNO(pthread_cond_timedwait(&cv, &lock_a, &soon));
	KEEPS_ERRNO(pthread_mutex_unlock(&lock_a));

	KEEPS_ERRNO(pthread_create(&z, NULL, end_holding, NULL));
	KEEPS_ERRNO(pthread_join(z, NULL));

	printf("trylock of a held mutex: %s\n", busy ? "EBUSY" : "?");
	printf("calls that changed errno: %d\n", changed);
	return 0;
}
