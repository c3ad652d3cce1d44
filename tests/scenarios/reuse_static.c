/*
 * reuse_static: one static mutex variable re-initialised, each generation
 * used in the opposite order against anchor_lock.
 *
 * Pattern: one thread, two variants.
 *   - slot_lock goes through generations of pthread_mutex_init, use,
 *     pthread_mutex_destroy. Even generations take anchor_lock, then
 *     slot_lock; odd generations take slot_lock, then anchor_lock.
 *   - reset_lock is statically initialised, used (anchor_lock -> reset_lock),
 *     then re-initialised by assigning PTHREAD_MUTEX_INITIALIZER to it (no
 *     destroy: legal, it is unlocked), and used the other way round
 *     (reset_lock -> anchor_lock), several times.
 * A destroyed or re-initialised mutex is a new lock that happens to live at
 * the old address: no two generations ever exist at the same time, so the
 * opposite orders are no cycle.
 *
 * MUST STAY SILENT: findings 0. A checker that keeps one lock per address
 * across pthread_mutex_destroy / pthread_mutex_init, or across a
 * re-initialisation by assignment, reports anchor_lock <-> slot_lock or
 * anchor_lock <-> reset_lock.
 */
#include <pthread.h>
#include <stdio.h>

#define GENERATIONS 6

static pthread_mutex_t anchor_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t slot_lock;
static pthread_mutex_t reset_lock = PTHREAD_MUTEX_INITIALIZER;
static long uses;

__attribute__((noinline)) void anchor_then(pthread_mutex_t *m)
{
	pthread_mutex_lock(&anchor_lock);
	pthread_mutex_lock(m);
	uses++;
	pthread_mutex_unlock(m);
	pthread_mutex_unlock(&anchor_lock);
}

__attribute__((noinline)) void then_anchor(pthread_mutex_t *m)
{
	pthread_mutex_lock(m);
	pthread_mutex_lock(&anchor_lock);
	uses++;
	pthread_mutex_unlock(&anchor_lock);
	pthread_mutex_unlock(m);
}

int main(void)
{
	static const pthread_mutex_t initializer = PTHREAD_MUTEX_INITIALIZER;
	int gen;

	for (gen = 0; gen < GENERATIONS; gen++) {
		pthread_mutex_init(&slot_lock, NULL);
		if (gen % 2 == 0)
			anchor_then(&slot_lock);
		else
			then_anchor(&slot_lock);
		pthread_mutex_destroy(&slot_lock);
	}
	for (gen = 0; gen < GENERATIONS; gen++) {
		if (gen > 0)
			reset_lock = initializer;
		if (gen % 2 == 0)
			anchor_then(&reset_lock);
		else
			then_anchor(&reset_lock);
	}
	printf("reuse_static: %d generations each, uses=%ld\n", GENERATIONS,
	       uses);
	return 0;
}
