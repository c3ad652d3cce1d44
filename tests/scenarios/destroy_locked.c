/*
 * destroy_locked: pthread_mutex_destroy of a mutex that is still locked.
 *
 * Pattern: the main thread initialises table_lock, locks it, and a teardown
 * function destroys it while it is still held. glibc refuses with EBUSY (the
 * program checks and prints it); then the program unlocks the mutex and
 * destroys it properly (0). Other libcs free or reuse the mutex: the bug is
 * real even where glibc saves the day.
 *
 * MUST REPORT: one destroy-locked of table_lock (an error, so the process
 * exits 66 under the shim), and nothing else: the refused destroy leaves the
 * lock alive and held, so the following unlock is correct (no bad-unlock)
 * and the second destroy is correct.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t table_lock;
static int rows;

__attribute__((noinline)) int teardown(void)
{
	return pthread_mutex_destroy(&table_lock); /* still held: EBUSY */
}

int main(void)
{
	int rc;

	pthread_mutex_init(&table_lock, NULL);
	pthread_mutex_lock(&table_lock);
	rows++;
	rc = teardown();
	printf("destroy_locked: destroy while held returned %s\n",
	       rc == EBUSY ? "EBUSY" : rc == 0 ? "0" : "another error");
	pthread_mutex_unlock(&table_lock);
	printf("destroy_locked: destroy after unlock returned %d, rows=%d\n",
	       pthread_mutex_destroy(&table_lock), rows);
	return 0;
}
