/*
 * barrier_reinit_destroyed: a live barrier initialised again, and a barrier
 * waited on after its destroy.
 *
 * Pattern: phase is initialised twice (reinit); then destroyed, and a
 * single-thread wait (count 1: it returns at once) runs on it afterwards.
 *
 * MUST REPORT: reinit of phase, and invalid-use (detail destroyed) of phase
 * at the wait, with the destroy's stack.
 */
#include <pthread.h>
#include <stdio.h>

pthread_barrier_t phase;

int main(void)
{
	pthread_barrier_init(&phase, NULL, 1);
	pthread_barrier_init(&phase, NULL, 1); /* live: reinit */
	pthread_barrier_wait(&phase);
	pthread_barrier_destroy(&phase);
	pthread_barrier_wait(&phase); /* destroyed */
	printf("barrier_reinit_destroyed: done\n");
	return 0;
}
