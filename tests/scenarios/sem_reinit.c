/*
 * sem_reinit: sem_init of a semaphore that is live.
 *
 * Pattern: a work queue's init runs twice (sem_init(items) twice, no
 * destroy between). Natively harmless here, but any waiter or count of the
 * first incarnation would be lost.
 *
 * MUST REPORT: one reinit of items, with the first init's stack.
 */
#include <semaphore.h>
#include <stdio.h>

sem_t items;

__attribute__((noinline)) static void queue_init(void)
{
	sem_init(&items, 0, 0);
}

int main(void)
{
	queue_init();
	queue_init(); /* again, while live */
	sem_post(&items);
	sem_wait(&items);
	sem_destroy(&items);
	printf("sem_reinit: done\n");
	return 0;
}
