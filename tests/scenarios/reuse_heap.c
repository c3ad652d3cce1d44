/*
 * reuse_heap: a heap mutex freed without destroy, and a new one malloc'ed at
 * the same address, used in the opposite order.
 *
 * Pattern: one thread, several rounds. Each round mallocs a struct session
 * holding a pthread_mutex_t, initialises it by assigning
 * PTHREAD_MUTEX_INITIALIZER (no pthread_mutex_init), uses it, and frees it
 * without pthread_mutex_destroy (legal for an unlocked, statically
 * initialised mutex). free followed at once by a malloc of the same size
 * hands back the same block (the program checks it and stops with a message
 * if not), so every round's mutex lives at the same address P. Even rounds
 * take registry_lock, then the session's mutex (registry_lock -> P); odd
 * rounds take the session's mutex, then registry_lock (P -> registry_lock).
 * Those are different mutexes that merely share an address: no two of them
 * ever exist at the same time, so there is no cycle.
 *
 * MUST STAY SILENT: findings 0. A checker that identifies a lock by its
 * address alone sees registry_lock <-> P and reports an inversion; the lock
 * at P must be a new lock once its memory was freed and re-initialised.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define ROUNDS 6

struct session {
	pthread_mutex_t lock;
	long requests;
	char pad[184]; /* an uncommon size, so that nothing else takes the block */
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static long registered;

__attribute__((noinline)) void register_then_session(struct session *s)
{
	pthread_mutex_lock(&registry_lock);
	pthread_mutex_lock(&s->lock);
	s->requests++;
	registered++;
	pthread_mutex_unlock(&s->lock);
	pthread_mutex_unlock(&registry_lock);
}

__attribute__((noinline)) void session_then_register(struct session *s)
{
	pthread_mutex_lock(&s->lock);
	pthread_mutex_lock(&registry_lock);
	s->requests++;
	registered++;
	pthread_mutex_unlock(&registry_lock);
	pthread_mutex_unlock(&s->lock);
}

int main(void)
{
	static const pthread_mutex_t initializer = PTHREAD_MUTEX_INITIALIZER;
	struct session *first = NULL, *s;
	int round;

	for (round = 0; round < ROUNDS; round++) {
		s = malloc(sizeof(*s));
		if (!s)
			return 1;
		if (!first)
			first = s;
		else if (s != first) {
			printf("reuse_heap: malloc did not reuse the block\n");
			return 1;
		}
		s->lock = initializer;
		s->requests = 0;
		if (round % 2 == 0)
			register_then_session(s);
		else
			session_then_register(s);
		free(s);
	}
	printf("reuse_heap: %d rounds at one address, registered=%ld\n", ROUNDS,
	       registered);
	return 0;
}
