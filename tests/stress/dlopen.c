/*
 * dlopen.c: a library that locks, loaded and unloaded 200 times (stress
 * scenario f; 2,000 long).
 *
 * Each cycle dlopens the library (tests/stress/dlopen_lib.c, path in
 * argv[1]), runs dl_run from two threads 20 times each (edges app_lock ->
 * lib_a -> lib_b -> heap mutex -> lib_rw, crossing from the program into the
 * library), joins them and dlcloses it. The library is unmapped by
 * dlclose, and usually mapped again at the same address: its static locks
 * come back at their old addresses, freshly initialised, and its code (the
 * call sites in the shim's stacks) too. The order is the same in every
 * cycle: no finding. `trap` (argv[2]) adds, in every cycle, an AB-BA on
 * lib_a/lib_b between the two threads (one after the other, so it never
 * hangs): the same inversion each load, which must be reported, and once.
 *
 * stdout: the fixed figures; how often the library came back at the same
 * address goes to stderr. Size from LOCKCHECK_STRESS (stress.h).
 */
#include "stress.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>

#define PER_THREAD 20

static pthread_mutex_t app_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long (*dl_run)(pthread_mutex_t *);
static void (*dl_trap)(int);
static int trap;
static atomic_int trap_turn;

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	for (int i = 0; i < PER_THREAD; i++)
		dl_run(&app_lock);
	if (trap) {
		/* Thread 0 first, then thread 1 the other way round. */
		while (atomic_load(&trap_turn) != id)
			;
		dl_trap(id == 0);
		atomic_store(&trap_turn, id + 1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	STRESS_CHECK(argc > 1, "usage: dlopen LIBRARY [trap]");
	trap = argc > 2 && strcmp(argv[2], "trap") == 0;
	int cycles = stress_long() ? 2000 : 200;
	uintptr_t first_addr = 0;
	int same = 0;
	for (int c = 0; c < cycles; c++) {
		void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
		STRESS_CHECK(h, "dlopen: %s", dlerror());
		dl_run = (unsigned long (*)(pthread_mutex_t *))dlsym(h, "dl_run");
		dl_trap = (void (*)(int))dlsym(h, "dl_trap");
		uintptr_t (*addr)(void) = (uintptr_t(*)(void))dlsym(h, "dl_lock_addr");
		STRESS_CHECK(dl_run && dl_trap && addr, "dlsym: %s", dlerror());
		if (c == 0)
			first_addr = addr();
		same += addr() == first_addr;
		atomic_store(&trap_turn, 0);
		pthread_t t[2];
		for (int i = 0; i < 2; i++)
			STRESS_CHECK(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0,
				     "create");
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		unsigned long n = dl_run(&app_lock);
		STRESS_CHECK(n == 2 * PER_THREAD + 1, "cycle %d: %lu calls in this load", c, n);
		STRESS_CHECK(dlclose(h) == 0, "dlclose: %s", dlerror());
	}
	fprintf(stderr, "dlopen: the library came back at its first address %d of %d times\n",
		same, cycles);
	printf("dlopen%s: %d dlopen/dlclose cycles, %d library calls from 2 threads each\n",
	       trap ? " (trap)" : "", cycles, 2 * PER_THREAD + 1);
	return 0;
}
