/*
 * dlopen_lib.c: the library that tests/stress/dlopen.c loads and unloads
 * again and again (stress scenario f).
 *
 * Its locks are static (in its own .data and .bss, so a reload at the same
 * address finds them freshly initialised at the old addresses) or made on
 * the heap; its constructor and destructor lock too, inside the dynamic
 * loader. dl_run(app) makes the edges app -> lib_a -> lib_b -> lib_rw, and
 * a heap mutex made, locked under lib_b and destroyed each call.
 * dl_trap(first) takes lib_b and lib_a the other way round when first is 0.
 * Built by tests/real/stress_dlopen.sh: cc -shared -fPIC.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

static pthread_mutex_t lib_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lib_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t lib_rw = PTHREAD_RWLOCK_INITIALIZER;
static unsigned long calls;

__attribute__((constructor)) static void dl_loaded(void)
{
	pthread_mutex_lock(&lib_a);
	calls = 0;
	pthread_mutex_unlock(&lib_a);
}

__attribute__((destructor)) static void dl_unloading(void)
{
	pthread_mutex_lock(&lib_a);
	pthread_mutex_lock(&lib_b);
	pthread_mutex_unlock(&lib_b);
	pthread_mutex_unlock(&lib_a);
}

/* Where the static lock lives in this load. */
uintptr_t dl_lock_addr(void)
{
	return (uintptr_t)&lib_a;
}

unsigned long dl_run(pthread_mutex_t *app)
{
	pthread_mutex_t *heap = malloc(sizeof *heap);
	pthread_mutex_init(heap, NULL);
	pthread_mutex_lock(app);
	pthread_mutex_lock(&lib_a);
	pthread_mutex_lock(&lib_b);
	pthread_mutex_lock(heap);
	pthread_rwlock_wrlock(&lib_rw);
	unsigned long n = ++calls;
	pthread_rwlock_unlock(&lib_rw);
	pthread_mutex_unlock(heap);
	pthread_mutex_unlock(&lib_b);
	pthread_mutex_unlock(&lib_a);
	pthread_mutex_unlock(app);
	pthread_rwlock_rdlock(&lib_rw);
	pthread_rwlock_unlock(&lib_rw);
	pthread_mutex_destroy(heap);
	free(heap);
	return n;
}

void dl_trap(int first)
{
	pthread_mutex_t *x = first ? &lib_a : &lib_b;
	pthread_mutex_t *y = first ? &lib_b : &lib_a;
	pthread_mutex_lock(x);
	pthread_mutex_lock(y);
	pthread_mutex_unlock(y);
	pthread_mutex_unlock(x);
}
