/*
 * symbolize_target.c: the C program tests/cli/symbolize.sh runs under the
 * shim, built there at -O2 -g. An AB-BA inversion whose every lock call is on
 * a line with a MARK comment, so that the test can check that the report
 * shows that very line's text; lock_b is taken in an always_inline function,
 * so one return address stands for two functions (an [inlined] frame). With
 * -DPAD a 64 KiB function comes first: the "rebuilt program" whose offsets
 * no longer match the report.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t first_done;

#ifdef PAD
__attribute__((noinline, used)) void padding(void)
{
	__asm__ volatile(".fill 65536, 1, 0x90");
}
#endif

static inline __attribute__((always_inline)) void take_b_inline(void)
{
	pthread_mutex_lock(&lock_b); /* MARK:inline-lock-b */
}

__attribute__((noinline)) void a_then_b(void)
{
	pthread_mutex_lock(&lock_a); /* MARK:a_then_b-lock-a */
	take_b_inline(); /* MARK:a_then_b-inline-call */
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
}

__attribute__((noinline)) void b_then_a(void)
{
	pthread_mutex_lock(&lock_b); /* MARK:b_then_a-lock-b */
	pthread_mutex_lock(&lock_a); /* MARK:b_then_a-lock-a */
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
}

static void *first(void *p)
{
	a_then_b(); /* MARK:first-call */
	sem_post(&first_done);
	return p;
}

static void *second(void *p)
{
	sem_wait(&first_done);
	b_then_a(); /* MARK:second-call */
	return p;
}

int main(void)
{
	pthread_t x, y;
	sem_init(&first_done, 0, 0);
	pthread_create(&x, NULL, first, NULL);
	pthread_create(&y, NULL, second, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	puts("symbolize_target: done");
	return 0;
}
