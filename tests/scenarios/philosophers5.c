/*
 * philosophers5: the dining philosophers, five seats.
 *
 * Pattern: philosopher i picks up fork<i> (left) then fork<(i+1)%5> (right).
 * That is a five-lock cycle fork0->fork1->fork2->fork3->fork4->fork0: if all
 * five pick up their left fork at once, nobody eats again.
 *
 * MUST REPORT: one lock-order-inversion over {fork0..fork4},
 * deadlock-possible. The forks are five named globals (not an array) so the
 * finding can name each one.
 *
 * The run never hangs: meals are served in turn, philosopher i+1 waits on a
 * semaphore (not a lock) that philosopher i posts after eating. Three rounds
 * around the table, so every edge is seen more than once but reported once.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define SEATS 5
#define ROUNDS 3

pthread_mutex_t fork0 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t fork1 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t fork2 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t fork3 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t fork4 = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t *const forks[SEATS] = {&fork0, &fork1, &fork2, &fork3,
					      &fork4};
static sem_t turn[SEATS];
static int meals[SEATS];

__attribute__((noinline)) void eat(int seat)
{
	pthread_mutex_lock(forks[seat]);		  /* left */
	pthread_mutex_lock(forks[(seat + 1) % SEATS]); /* right */
	meals[seat]++;
	pthread_mutex_unlock(forks[(seat + 1) % SEATS]);
	pthread_mutex_unlock(forks[seat]);
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

	for (i = 0; i < SEATS; i++)
		sem_init(&turn[i], 0, 0);
	for (i = 0; i < SEATS; i++)
		pthread_create(&t[i], NULL, philosopher, (void *)(long)i);
	sem_post(&turn[0]);
	for (i = 0; i < SEATS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < SEATS; i++)
		total += meals[i];
	printf("philosophers5: %d meals, %d each\n", total, meals[0]);
	return 0;
}
