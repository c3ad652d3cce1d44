/*
 * suite_prog.c: the halves of lock-order cycles, one half per process.
 *
 * tests/cli/suite_run.sh runs this program several times, each run doing
 * one half, as a test suite runs a program once per test: only the merge of
 * every process's graph (tools/suite.c) sees the cycle. The mode picks the
 * half and which thread makes it:
 *   role-a / role-b    thread routine_a takes A then B; routine_b, B then A
 *   main-a / main-b    the main thread does the same
 *   gate-a / gate-b    the threads hold G around their pair
 *   read-a / read-b    both halves take R for reading (R -> A, A -> R)
 *   obj-a / obj-b      per-object locks: an object's lock then A, or A then
 *                      an object's lock, over several objects
 *   both               routine_a and routine_b run one after the other, joined
 *                      in between, in one process: ordered there
 * Compiled twice with different VARIANT values, it also gives two unrelated
 * executables with same-named static locks.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef VARIANT
#define VARIANT 0
#endif

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_g = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t lock_r = PTHREAD_RWLOCK_INITIALIZER;
const int variant = VARIANT; /* a different build-id per variant */

struct object {
	pthread_mutex_t m;
};

static const char *mode;

static void pair(pthread_mutex_t *first, pthread_mutex_t *second)
{
	pthread_mutex_lock(first);
	pthread_mutex_lock(second);
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
}

static struct object *object_new(void)
{
	struct object *o = malloc(sizeof *o);
	pthread_mutex_init(&o->m, NULL);
	return o;
}

static void objects(int object_first)
{
	for (int i = 0; i < 3; i++) {
		struct object *o = object_new();
		if (object_first)
			pair(&o->m, &lock_a);
		else
			pair(&lock_a, &o->m);
		pthread_mutex_destroy(&o->m);
		free(o);
	}
}

static void half(int a_first)
{
	int gated = strncmp(mode, "gate", 4) == 0;
	if (strncmp(mode, "read", 4) == 0) {
		if (a_first) {
			pthread_mutex_lock(&lock_a);
			pthread_rwlock_rdlock(&lock_r);
			pthread_rwlock_unlock(&lock_r);
			pthread_mutex_unlock(&lock_a);
		} else {
			pthread_rwlock_rdlock(&lock_r);
			pthread_mutex_lock(&lock_a);
			pthread_mutex_unlock(&lock_a);
			pthread_rwlock_unlock(&lock_r);
		}
		return;
	}
	if (strncmp(mode, "obj", 3) == 0) {
		objects(a_first);
		return;
	}
	if (gated)
		pthread_mutex_lock(&lock_g);
	if (a_first)
		pair(&lock_a, &lock_b);
	else
		pair(&lock_b, &lock_a);
	if (gated)
		pthread_mutex_unlock(&lock_g);
}

static void *routine_a(void *arg)
{
	(void)arg;
	half(1);
	return NULL;
}

static void *routine_b(void *arg)
{
	(void)arg;
	half(0);
	return NULL;
}

static void run_thread(void *(*fn)(void *))
{
	pthread_t t;
	if (pthread_create(&t, NULL, fn, NULL) != 0)
		exit(1);
	pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: suite_prog MODE\n");
		return 2;
	}
	mode = argv[1];
	size_t n = strlen(mode);
	int a_side = n > 2 && strcmp(mode + n - 2, "-a") == 0;
	if (strcmp(mode, "both") == 0) {
		run_thread(routine_a);
		run_thread(routine_b);
	} else if (strncmp(mode, "main", 4) == 0) {
		half(a_side);
	} else {
		run_thread(a_side ? routine_a : routine_b);
	}
	printf("suite_prog %s (variant %d) done\n", mode, variant);
	return 0;
}
