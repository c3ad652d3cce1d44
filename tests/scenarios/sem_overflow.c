/*
 * sem_overflow: a semaphore is posted past SEM_VALUE_MAX.
 *
 * Pattern: a counter semaphore starts at SEM_VALUE_MAX and is posted once
 * more. glibc fails the post with EOVERFLOW, which the program ignores.
 *
 * MUST REPORT: sem-misuse (detail overflow) of tokens.
 */
#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>

sem_t tokens;

int main(void)
{
	sem_init(&tokens, 0, SEM_VALUE_MAX);
	int rc = sem_post(&tokens);
	int err = errno;
	printf("sem_overflow: rc=%d eoverflow=%d\n", rc, err == EOVERFLOW);
	sem_destroy(&tokens);
	return 0;
}
