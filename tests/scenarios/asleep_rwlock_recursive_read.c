/*
 * asleep_rwlock_recursive_read: a hang made of condition waits only.
 *
 * Pattern (a real browser runtime's bug): a writer-preferring read-write
 * lock built from one mutex and two condition variables. A reader takes it,
 * a writer queues (and so blocks new readers), and the reader takes it
 * again for reading, recursively: it waits for the writer, which waits for
 * the reader. Both sleep in pthread_cond_wait holding no mutex: no lock
 * cycle, no wait-for edge, natively a silent hang.
 *
 * MUST REPORT: one `deadlock` with detail all-asleep naming both condition
 * variables and the mutex, within a second of the hang (halt_on_error
 * ends the run), the reader's stack through read_twice.
 *
 * Not run natively by tests/run (the `hangs` directive).
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t rw_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t readers_ok = PTHREAD_COND_INITIALIZER;
static pthread_cond_t writer_ok = PTHREAD_COND_INITIALIZER;
static int readers, writer, writers_waiting;

__attribute__((noinline)) static void rd_lock(void)
{
	pthread_mutex_lock(&rw_mutex);
	while (writer || writers_waiting)
		pthread_cond_wait(&readers_ok, &rw_mutex);
	readers++;
	pthread_mutex_unlock(&rw_mutex);
}

__attribute__((noinline)) static void rd_unlock(void)
{
	pthread_mutex_lock(&rw_mutex);
	if (--readers == 0)
		pthread_cond_signal(&writer_ok);
	pthread_mutex_unlock(&rw_mutex);
}

__attribute__((noinline)) static void wr_lock(void)
{
	pthread_mutex_lock(&rw_mutex);
	writers_waiting++;
	while (writer || readers)
		pthread_cond_wait(&writer_ok, &rw_mutex);
	writers_waiting--;
	writer = 1;
	pthread_mutex_unlock(&rw_mutex);
}

static void *writer_thread(void *arg)
{
	wr_lock();
	return arg;
}

__attribute__((noinline)) void read_twice(void)
{
	pthread_t t;
	rd_lock();
	pthread_create(&t, NULL, writer_thread, NULL);
	usleep(100000); /* the writer queues */
	rd_lock();      /* waits for the writer, which waits for us */
	rd_unlock();
	rd_unlock();
	pthread_join(t, NULL);
}

int main(void)
{
	read_twice();
	printf("asleep_rwlock_recursive_read: not reached natively\n");
	return 0;
}
