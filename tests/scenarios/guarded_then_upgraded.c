/*
 * guarded_then_upgraded: a guarded AB-BA (G->A->B against G->B->A) that a
 * later ungated B->A turns into a possible deadlock.
 *
 * Pattern: thread 1 locks gate_lock, lock_a, lock_b; then thread 2 locks
 * gate_lock, lock_b, lock_a: the cycle closes, guarded by gate_lock (as in
 * gate_lock_guarded). Then thread 3 locks lock_b, lock_a WITHOUT gate_lock:
 * no new edge, but a new context for the edge lock_b -> lock_a, and with it
 * thread 3 and thread 1 can deadlock (thread 1 inside the gate holding
 * lock_a, thread 3 holding lock_b).
 *
 * MUST REPORT: the cycle {lock_a, lock_b} twice, with the same id: first
 * verdict guarded (a warning, gate_lock among its locks), then, when thread
 * 3's context arrives, deadlock-possible (an error: exit status 66). So two
 * finding lines ('findings 2': expect_check counts lines), the last of the
 * id deadlock-possible; the checker allows the same id twice in one process
 * only with different verdicts. Guards against verdicts frozen at the first
 * report, and against new contexts of known edges being dropped.
 *
 * The run never hangs: the three threads are alive throughout and run their
 * sections in turn, each waiting on a semaphore (not a lock) that the one
 * before posts.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t turn2, turn3;
static int counter;

__attribute__((noinline)) void gated_a_then_b(void)
{
	pthread_mutex_lock(&gate_lock);
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	counter++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&gate_lock);
}

__attribute__((noinline)) void gated_b_then_a(void)
{
	pthread_mutex_lock(&gate_lock);
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&gate_lock);
}

__attribute__((noinline)) void ungated_b_then_a(void)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
}

static void *thread1(void *arg)
{
	gated_a_then_b();
	sem_post(&turn2);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&turn2);
	gated_b_then_a();
	sem_post(&turn3);
	return NULL;
}

static void *thread3(void *arg)
{
	sem_wait(&turn3);
	ungated_b_then_a();
	return NULL;
}

int main(void)
{
	pthread_t t1, t2, t3;

	sem_init(&turn2, 0, 0);
	sem_init(&turn3, 0, 0);
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_create(&t3, NULL, thread3, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	pthread_join(t3, NULL);
	printf("guarded_then_upgraded: counter=%d\n", counter);
	return 0;
}
