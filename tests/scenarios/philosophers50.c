/*
 * philosophers50: the dining philosophers, fifty seats, forks in an array.
 *
 * Pattern: philosopher i picks up forks[i] (left) then forks[(i+1)%50]
 * (right): a fifty-lock cycle forks[0]->forks[1]->...->forks[49]->forks[0],
 * each edge made by its own thread, all fifty threads alive at once. If all
 * pick up their left fork together, nobody eats again.
 *
 * MUST REPORT: ONE lock-order-inversion with exactly fifty locks (what a
 * user expects: one problem, one cycle), verdict deadlock-possible (an
 * error: exit status 66). The forks are one global array, so each is named
 * by the array's symbol plus its offset ("forks", "forks+0x28", ...): the
 * expectation counts the locks (*50) instead of naming them. Guards the
 * verdict search on a long cycle: one context per edge, fifty pairwise
 * distinct threads, none ordered before another by create/join.
 *
 * The run never hangs: meals are served in turn around the table,
 * philosopher i+1 waiting on a semaphore (not a lock) that philosopher i
 * posts after eating; two rounds, so every edge is made twice but reported
 * once.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define SEATS 50
#define ROUNDS 2

pthread_mutex_t forks[SEATS];
static sem_t turn[SEATS];
static int meals[SEATS];

__attribute__((noinline)) void eat(int seat)
{
	pthread_mutex_lock(&forks[seat]);		   /* left */
	pthread_mutex_lock(&forks[(seat + 1) % SEATS]); /* right */
	meals[seat]++;
	pthread_mutex_unlock(&forks[(seat + 1) % SEATS]);
	pthread_mutex_unlock(&forks[seat]);
}

static void *philosopher(void *arg)
{
	int seat = (int)(long)arg;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		sem_wait(&turn[seat]);
		eat(seat);
		/* The last seat of the last round has nobody to pass to. */
		if (!(seat == SEATS - 1 && r == ROUNDS - 1))
			sem_post(&turn[(seat + 1) % SEATS]);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[SEATS];
	int i, total = 0;

	for (i = 0; i < SEATS; i++) {
		pthread_mutex_init(&forks[i], NULL);
		sem_init(&turn[i], 0, 0);
	}
	for (i = 0; i < SEATS; i++)
		pthread_create(&t[i], NULL, philosopher, (void *)(long)i);
	sem_post(&turn[0]);
	for (i = 0; i < SEATS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < SEATS; i++)
		total += meals[i];
	printf("philosophers50: %d meals, %d each\n", total, meals[0]);
	return 0;
}
