/*
 * tc04_free_lock: locks abandoned while held, their memory made into new
 * locks (the pattern of Valgrind's Helgrind test tc04_free_lock).
 *
 * Pattern, all in the main thread:
 *   1. a heap object's mutex is initialised and locked, and the object is
 *      freed while the lock is held (nothing the shim sees: no destroy);
 *   2. bar(): a stack mutex made by PTHREAD_MUTEX_INITIALIZER is locked and
 *      abandoned (the function returns holding it);
 *   3. foo(): a stack mutex at the same place in the same frame layout is
 *      made by pthread_mutex_init: memory the thread holds as a lock is
 *      initialised again; it is locked and abandoned;
 *   4. bar() again: the static initialiser rewrites that memory once more,
 *      without init or destroy, and the new lock there is locked.
 * Steps 3 and 4 are found by address; the frames are the same size, so the
 * stack mutexes share one address (the program prints whether they did;
 * the expectation holds only then).
 *
 * MUST REPORT: two destroy-locked findings, one "reinitialised" (foo's init
 * of the memory of bar's held lock) and one "reused" (bar's lock of the
 * memory of foo's held lock); NO double-lock: the new lock at an address is
 * never taken for the old one the thread still holds (Helgrind and DRD
 * report the abandoned locks; lockcheck used to report two false
 * double-locks here).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
	int stuff[2000];
	pthread_mutex_t lock;
	int morestuff[2000];
} XX;

static void *seen[3];
static int calls;

__attribute__((noinline)) static void bar(void)
{
	pthread_mutex_t mx = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&mx);
	seen[calls++] = &mx;
	/* now just abandon mx */
}

__attribute__((noinline)) static void foo(void)
{
	pthread_mutex_t mx;
	pthread_mutex_init(&mx, NULL);
	pthread_mutex_lock(&mx);
	seen[calls++] = &mx;
	/* now just abandon mx */
}

int main(void)
{
	XX *xx = malloc(sizeof(XX));
	if (!xx)
		return 1;
	pthread_mutex_init(&xx->lock, NULL);
	pthread_mutex_lock(&xx->lock);
	free(xx);
	bar();
	foo();
	bar();
	printf("tc04_free_lock: stack mutexes %s\n",
	       seen[0] == seen[1] && seen[1] == seen[2] ? "shared one address"
							: "differ");
	return 0;
}
