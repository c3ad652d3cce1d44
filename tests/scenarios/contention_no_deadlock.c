/*
 * contention_no_deadlock: four threads contend hard on three mutexes and a
 * rwlock, all in one order, with some long holds; nothing can deadlock.
 *
 * Pattern: every thread takes locks only in the order config_rw < chain_1 <
 * chain_2 < chain_3, in six shapes (chain_1-2-3, chain_1-3, chain_2-3,
 * config_rw read then chain_1, config_rw read then chain_2-3, config_rw
 * write alone), 1,000 times, without pacing. Four times per thread a holder
 * sleeps 30 ms inside: holding chain_1, holding config_rw for writing, or
 * holding it for reading (so writers queue behind a reader, and readers
 * behind a writer). So many waits outlast the shim's ~10 ms grace and enter
 * the wait-for graph, some while the waiter holds locks itself, while main
 * waits in pthread_join; but every wait points "up" the order, so the graph
 * never has a cycle.
 *
 * MUST STAY SILENT: findings 0 (no deadlock, no inversion, no long-wait:
 * wait_report_ms is off). Guards against a wait-for check that reads stale
 * holder or waiter state under load (a thread that has moved on, a read
 * hold counted as blocking a reader, a join counted after the thread ended)
 * and so reports a cycle that is not there. tests/real/contention_100.sh
 * runs it 100 times.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define THREADS 4
#define ITERS 1000
#define SLOW_EVERY 250 /* one long hold per this many iterations */
#define SLOW_MS 30

pthread_rwlock_t config_rw = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t chain_1 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t chain_2 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t chain_3 = PTHREAD_MUTEX_INITIALIZER;
/* Each counter is written under one lock only: chain_N for nN, config_rw
 * (write) for config, chain_1 for reads_1, chain_3 for reads_23. */
static long n1, n2, n3, config, reads_1, reads_23;

static void pause_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

__attribute__((noinline)) void take_1_2_3(int slow)
{
	pthread_mutex_lock(&chain_1);
	n1++;
	if (slow)
		pause_ms(SLOW_MS);
	pthread_mutex_lock(&chain_2);
	n2++;
	pthread_mutex_lock(&chain_3);
	n3++;
	pthread_mutex_unlock(&chain_3);
	pthread_mutex_unlock(&chain_2);
	pthread_mutex_unlock(&chain_1);
}

__attribute__((noinline)) void take_1_3(void)
{
	pthread_mutex_lock(&chain_1);
	n1++;
	pthread_mutex_lock(&chain_3);
	n3++;
	pthread_mutex_unlock(&chain_3);
	pthread_mutex_unlock(&chain_1);
}

__attribute__((noinline)) void take_2_3(void)
{
	pthread_mutex_lock(&chain_2);
	n2++;
	pthread_mutex_lock(&chain_3);
	n3++;
	pthread_mutex_unlock(&chain_3);
	pthread_mutex_unlock(&chain_2);
}

__attribute__((noinline)) void read_config_then_1(int slow)
{
	pthread_rwlock_rdlock(&config_rw);
	if (slow)
		pause_ms(SLOW_MS); /* writers queue behind this reader */
	pthread_mutex_lock(&chain_1);
	reads_1 += config >= 0;
	n1++;
	pthread_mutex_unlock(&chain_1);
	pthread_rwlock_unlock(&config_rw);
}

__attribute__((noinline)) void read_config_then_2_3(void)
{
	pthread_rwlock_rdlock(&config_rw);
	pthread_mutex_lock(&chain_2);
	n2++;
	pthread_mutex_lock(&chain_3);
	reads_23 += config >= 0;
	n3++;
	pthread_mutex_unlock(&chain_3);
	pthread_mutex_unlock(&chain_2);
	pthread_rwlock_unlock(&config_rw);
}

__attribute__((noinline)) void write_config(int slow)
{
	pthread_rwlock_wrlock(&config_rw);
	config++;
	if (slow)
		pause_ms(SLOW_MS); /* readers and writers queue behind it */
	pthread_rwlock_unlock(&config_rw);
}

static void *worker(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < ITERS; i++) {
		/* The long holds come at different iterations per thread,
		 * and each thread rotates through the three kinds. */
		int slow = (i + (int)id * 60) % SLOW_EVERY == 0;
		int slow_kind = (i / SLOW_EVERY + (int)id) % 3;
		switch ((i + (int)id) % 6) {
		case 0:
			take_1_2_3(slow && slow_kind == 0);
			break;
		case 1:
			take_1_3();
			break;
		case 2:
			take_2_3();
			break;
		case 3:
			read_config_then_1(slow && slow_kind == 1);
			break;
		case 4:
			read_config_then_2_3();
			break;
		case 5:
			write_config(slow && slow_kind == 2);
			break;
		}
		if (slow && slow_kind == 0 && (i + (int)id) % 6 != 0)
			take_1_2_3(1);
		if (slow && slow_kind == 1 && (i + (int)id) % 6 != 3)
			read_config_then_1(1);
		if (slow && slow_kind == 2 && (i + (int)id) % 6 != 5)
			write_config(1);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];

	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("contention_no_deadlock: chain_1=%ld chain_2=%ld chain_3=%ld "
	       "config=%ld reads=%ld+%ld\n", n1, n2, n3, config, reads_1,
	       reads_23);
	return 0;
}
