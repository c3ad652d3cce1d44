/*
 * mutex_uninitialised: a mutex whose memory was never initialised.
 *
 * Pattern: stale_lock lives in memory the program filled with a pattern
 * (as malloc'd memory may hold anything) and locks it without
 * pthread_mutex_init. glibc refuses it (EINVAL: its kind word is no kind
 * an init makes), so the lock protects nothing.
 *
 * MUST REPORT: one invalid-use (detail uninitialised) of stale_lock, and
 * nothing else. (An all-zero mutex is PTHREAD_MUTEX_INITIALIZER and valid:
 * see mutex_reinit_ok.)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

pthread_mutex_t stale_lock;

int main(void)
{
	memset(&stale_lock, 0x5c, sizeof stale_lock);
	int rc = pthread_mutex_lock(&stale_lock);
	printf("mutex_uninitialised: lock returned %s\n",
	       rc == EINVAL ? "EINVAL" : "something else");
	return 0;
}
