/*
 * long_wait_finite: a thread holds a lock 300 ms while another waits for it;
 * the wait ends.
 *
 * Pattern: the "slow" thread locks slow_lock, posts a semaphore (not a
 * lock), sleeps 300 ms holding it, and unlocks; the "patient" thread waits
 * for the semaphore, then locks slow_lock and waits about 300 ms. Main joins
 * both. A long wait, but a finite one: no thread waits for a lock held by a
 * thread that waits too, so the wait-for graph has no cycle.
 *
 * MUST REPORT, with wait_report_ms=100: one long-wait (a warning, so the
 * exit status stays 0) over exactly {slow_lock}, once (once per lock and
 * waiting site, however long the wait goes on); and no deadlock.
 * MUST STAY SILENT without the option: long_wait_silent.c is this file (a
 * symlink) with that expectation.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

pthread_mutex_t slow_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t taken;
static int value;

__attribute__((noinline)) void hold_slowly(void)
{
	struct timespec ts = { 0, 300 * 1000000L };

	pthread_mutex_lock(&slow_lock);
	sem_post(&taken);
	while (nanosleep(&ts, &ts) != 0)
		;
	value = 1;
	pthread_mutex_unlock(&slow_lock);
}

__attribute__((noinline)) void wait_patiently(void)
{
	while (sem_wait(&taken) != 0)
		;
	pthread_mutex_lock(&slow_lock); /* about 300 ms */
	value++;
	pthread_mutex_unlock(&slow_lock);
}

static void *slow(void *arg)
{
	hold_slowly();
	return NULL;
}

static void *patient(void *arg)
{
	wait_patiently();
	return NULL;
}

int main(void)
{
	pthread_t s, p;

	sem_init(&taken, 0, 0);
	pthread_create(&s, NULL, slow, NULL);
	pthread_create(&p, NULL, patient, NULL);
	pthread_join(s, NULL);
	pthread_join(p, NULL);
	printf("long wait: value=%d\n", value);
	return 0;
}
