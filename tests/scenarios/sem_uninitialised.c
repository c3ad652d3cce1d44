/*
 * sem_uninitialised: a semaphore in the program's own memory is used
 * without sem_init.
 *
 * Pattern: a static, zero-filled sem_t is posted, then waited on. glibc
 * takes the zero bytes for a semaphore of value 0, so natively it works;
 * the memory was never a semaphore (POSIX: undefined).
 *
 * MUST REPORT: invalid-use (detail uninitialised) of never_made, once (the
 * address is looked at once), at the post.
 */
#include <semaphore.h>
#include <stdio.h>

sem_t never_made;

int main(void)
{
	sem_post(&never_made);
	sem_wait(&never_made);
	printf("sem_uninitialised: done\n");
	return 0;
}
