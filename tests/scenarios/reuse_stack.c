/*
 * reuse_stack: a mutex on the stack of successive calls of one function, at
 * the same address each time, used in opposite orders.
 *
 * Pattern: one thread calls with_local_lock() several times from the same
 * place, so its frame, and the local pthread_mutex_t in it (initialised with
 * = PTHREAD_MUTEX_INITIALIZER, never destroyed), sits at the same address
 * every time (the program checks it and stops with a message if not). The
 * first call takes journal_lock, then the local mutex (journal_lock -> L);
 * the next takes the local mutex, then journal_lock (L -> journal_lock); and
 * so on, alternating. Each call's mutex is a new lock: it did not exist
 * before the call and is gone after it, so there is no cycle.
 *
 * MUST STAY SILENT: findings 0. A checker that identifies a lock by its
 * address alone sees journal_lock <-> L and reports an inversion.
 */
#include <pthread.h>
#include <stdio.h>

#define CALLS 6

static pthread_mutex_t journal_lock = PTHREAD_MUTEX_INITIALIZER;
static void *first_address;
static int moved;
static long entries;

__attribute__((noinline)) void with_local_lock(int journal_first)
{
	pthread_mutex_t local = PTHREAD_MUTEX_INITIALIZER;

	if (!first_address)
		first_address = &local;
	else if (first_address != (void *)&local)
		moved = 1;
	if (journal_first) {
		pthread_mutex_lock(&journal_lock);
		pthread_mutex_lock(&local);
	} else {
		pthread_mutex_lock(&local);
		pthread_mutex_lock(&journal_lock);
	}
	entries++;
	pthread_mutex_unlock(&journal_lock);
	pthread_mutex_unlock(&local);
}

int main(void)
{
	int i;

	for (i = 0; i < CALLS; i++)
		with_local_lock(i % 2 == 0);
	if (moved) {
		printf("reuse_stack: the frame moved\n");
		return 1;
	}
	printf("reuse_stack: %d calls at one address, entries=%ld\n", CALLS,
	       entries);
	return 0;
}
