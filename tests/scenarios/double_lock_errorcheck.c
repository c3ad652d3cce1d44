/*
 * double_lock_errorcheck: a thread locks an error-checking mutex it already
 * holds.
 *
 * Pattern: the main thread makes ec_lock PTHREAD_MUTEX_ERRORCHECK, locks it,
 * and locks it again from a second function. glibc does not block: the
 * second pthread_mutex_lock returns EDEADLK (the program checks and prints
 * it), then the mutex is unlocked once and destroyed. The program is well
 * defined, but the code that relocked is wrong: with a default mutex it
 * would have hung for ever.
 *
 * MUST REPORT: one double-lock of ec_lock (an error, so the process exits 66
 * under the shim), and nothing else: the failed relock must not count as a
 * second hold (the single unlock then leaves ec_lock free, no held-at-exit,
 * no bad-unlock, no destroy-locked). The program still gets EDEADLK from the
 * real call.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t ec_lock;
static int balance = 100;

__attribute__((noinline)) int withdraw_locked(int amount)
{
	int rc = pthread_mutex_lock(&ec_lock); /* already held: EDEADLK */

	if (rc == 0) {
		balance -= amount;
		pthread_mutex_unlock(&ec_lock);
	}
	return rc;
}

__attribute__((noinline)) int withdraw_twice(int amount)
{
	int rc;

	pthread_mutex_lock(&ec_lock);
	balance -= amount;
	rc = withdraw_locked(amount);
	pthread_mutex_unlock(&ec_lock);
	return rc;
}

int main(void)
{
	pthread_mutexattr_t attr;
	int rc;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&ec_lock, &attr);
	pthread_mutexattr_destroy(&attr);

	rc = withdraw_twice(10);
	printf("double_lock_errorcheck: relock returned %s, balance=%d\n",
	       rc == EDEADLK ? "EDEADLK" : rc == 0 ? "0" : "another error",
	       balance);
	rc = pthread_mutex_destroy(&ec_lock);
	printf("double_lock_errorcheck: destroy returned %d\n", rc);
	return 0;
}
