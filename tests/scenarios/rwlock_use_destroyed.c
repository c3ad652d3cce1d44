/*
 * rwlock_use_destroyed: a rwlock read-locked after it was destroyed.
 *
 * Pattern: table_rwlock is initialised, used and destroyed; a late reader
 * read-locks it. glibc's destroy leaves nothing behind, so the real lock
 * "works", on an object the program said was dead.
 *
 * MUST REPORT: one invalid-use (detail destroyed) of table_rwlock, and
 * nothing else.
 */
#include <pthread.h>
#include <stdio.h>

pthread_rwlock_t table_rwlock;

__attribute__((noinline)) static void late_reader(void)
{
	pthread_rwlock_rdlock(&table_rwlock);
	pthread_rwlock_unlock(&table_rwlock);
}

int main(void)
{
	pthread_rwlock_init(&table_rwlock, NULL);
	pthread_rwlock_wrlock(&table_rwlock);
	pthread_rwlock_unlock(&table_rwlock);
	pthread_rwlock_destroy(&table_rwlock);
	late_reader();
	printf("rwlock_use_destroyed: done\n");
	return 0;
}
