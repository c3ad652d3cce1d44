/*
 * sem_use_destroyed: a semaphore is posted and waited on after its destroy.
 *
 * Pattern: sem_init(ready), sem_destroy(ready), then sem_post(ready) and
 * sem_wait(ready). glibc's destroy does nothing, so natively both calls
 * "work" (the post makes the wait return at once): the bug is silent.
 *
 * MUST REPORT: two invalid-use findings (detail destroyed) of ready, one
 * for the post and one for the wait, each with the destroy's stack.
 */
#include <semaphore.h>
#include <stdio.h>

sem_t ready;

__attribute__((noinline)) static void teardown(void)
{
	sem_destroy(&ready);
}

int main(void)
{
	sem_init(&ready, 0, 0);
	teardown();
	sem_post(&ready); /* after destroy */
	sem_wait(&ready); /* after destroy */
	printf("sem_use_destroyed: done\n");
	return 0;
}
