/*
 * soak_lifetimes SECONDS: a server-shaped program that makes a mutex per
 * request, for SECONDS seconds (tests/real/soak_lifetimes.sh).
 *
 * Four worker threads serve requests until the time is up. A request is a
 * heap object with its own mutex (pthread_mutex_init, like a connection or
 * a libevent bufferevent): the worker takes the long-lived table lock, then
 * the request's lock, then (every other request) the long-lived stats lock
 * inside it, so request locks sit in the middle of the order
 * table -> request -> stats; a C++-style request (every third) is never
 * destroyed: its memory is freed and reused by the allocator, and its next
 * user finds a new lock there (no init, no destroy), as with std::mutex.
 * The order is consistent: nothing may be reported.
 *
 * Output (stdout): the number of workers and a checksum that does not
 * depend on timing. stderr: the requests served (which does).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORKERS 4

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static double deadline;
static long served[WORKERS];
static long stats;

struct request {
	pthread_mutex_t lock;
	long id;
	char payload[40];
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) static void serve(struct request *r, long n)
{
	pthread_mutex_lock(&table_lock);
	pthread_mutex_lock(&r->lock);
	r->id = n;
	if (n % 2 == 0) {
		pthread_mutex_lock(&stats_lock);
		stats++;
		pthread_mutex_unlock(&stats_lock);
	}
	pthread_mutex_unlock(&r->lock);
	pthread_mutex_unlock(&table_lock);
}

static void *worker(void *arg)
{
	long w = (long)arg, n = 0;
	while ((n & 1023) || now() < deadline) {
		struct request *r = malloc(sizeof *r);
		if (!r)
			abort();
		memset(r, 0, sizeof *r); /* a zeroed mutex: a static initialiser */
		int cxx = n % 3 == 0;
		if (!cxx)
			pthread_mutex_init(&r->lock, NULL);
		serve(r, n);
		if (!cxx)
			pthread_mutex_destroy(&r->lock);
		free(r);
		n++;
	}
	served[w] = n;
	return NULL;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 30;
	pthread_t t[WORKERS];
	deadline = now() + seconds;
	for (long i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	long total = 0;
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(t[i], NULL);
		total += served[i];
	}
	fprintf(stderr, "soak_lifetimes: %ld requests served\n", total);
	printf("soak_lifetimes: %d workers, stats %s\n", WORKERS,
	       stats * 2 >= total ? "consistent" : "LOST");
	return 0;
}
