/*
 * asleep_timed_loop_ok: threads that poll with timed waits.
 *
 * Pattern: three workers loop on pthread_cond_timedwait (100 ms each) and
 * sem_timedwait until a deadline 1.2 s away, checking a flag nobody sets;
 * main joins them (an untimed join). For the whole run no thread is busy,
 * but every wait ends by itself.
 *
 * MUST STAY SILENT: a timed wait is never "asleep".
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t flag_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flag_set = PTHREAD_COND_INITIALIZER;
static sem_t tokens;
static int flag;
static struct timespec end_of_run;

static int before_end(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return now.tv_sec < end_of_run.tv_sec ||
	       (now.tv_sec == end_of_run.tv_sec &&
		now.tv_nsec < end_of_run.tv_nsec);
}

static struct timespec in_100ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += 100000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

static void *cond_poller(void *arg)
{
	pthread_mutex_lock(&flag_lock);
	while (!flag && before_end()) {
		struct timespec t = in_100ms();
		pthread_cond_timedwait(&flag_set, &flag_lock, &t);
	}
	pthread_mutex_unlock(&flag_lock);
	return arg;
}

static void *sem_poller(void *arg)
{
	while (before_end()) {
		struct timespec t = in_100ms();
		if (sem_timedwait(&tokens, &t) == 0)
			break;
	}
	return arg;
}

int main(void)
{
	clock_gettime(CLOCK_REALTIME, &end_of_run);
	end_of_run.tv_nsec += 200000000L;
	end_of_run.tv_sec += 1 + end_of_run.tv_nsec / 1000000000L;
	end_of_run.tv_nsec %= 1000000000L;
	sem_init(&tokens, 0, 0);
	pthread_t t[3];
	pthread_create(&t[0], NULL, cond_poller, NULL);
	pthread_create(&t[1], NULL, cond_poller, NULL);
	pthread_create(&t[2], NULL, sem_poller, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	sem_destroy(&tokens);
	printf("asleep_timed_loop_ok: done\n");
	return 0;
}
