/*
 * fold_cycles.c: one bug, two cycles (tests/cli/fold_cycles.sh).
 * T1 takes a then c; T2 then takes c then a: the 2-cycle a => c => a, a
 * deadlock. Then T1 takes a, b, c nested: the new edge b -> c closes the
 * 3-cycle a => b => c => a, which contains the 2-cycle in order and has the
 * edge its fix breaks (c -> a): the same bug, not a second finding.
 */
#include <pthread.h>
#include <semaphore.h>
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER, c = PTHREAD_MUTEX_INITIALIZER;
static sem_t go, back;
static void *t1(void *x) {
  pthread_mutex_lock(&a); pthread_mutex_lock(&c); pthread_mutex_unlock(&c); pthread_mutex_unlock(&a);
  sem_post(&go); sem_wait(&back);
  pthread_mutex_lock(&a); pthread_mutex_lock(&b); pthread_mutex_lock(&c); pthread_mutex_unlock(&c); pthread_mutex_unlock(&b); pthread_mutex_unlock(&a);
  return x; }
static void *t2(void *x) { sem_wait(&go); pthread_mutex_lock(&c); pthread_mutex_lock(&a); pthread_mutex_unlock(&a); pthread_mutex_unlock(&c); sem_post(&back); return x; }
int main(void) { sem_init(&go, 0, 0); sem_init(&back, 0, 0); pthread_t x, y; pthread_create(&y, 0, t2, 0); pthread_create(&x, 0, t1, 0); pthread_join(x, 0); pthread_join(y, 0); return 0; }
