/*
 * spin_abba: the AB-BA inversion over two spinlocks.
 *
 * Pattern: thread 1 takes spin_a then spin_b; thread 2 takes spin_b then
 * spin_a (pthread_spin_lock). A spinlock waiter spins instead of sleeping,
 * but it waits all the same: with an unlucky interleaving both threads spin
 * forever.
 *
 * MUST REPORT: one lock-order-inversion over {spin_a, spin_b}, verdict
 * deadlock-possible (an error, so the process exits 66 under the shim).
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) that
 * thread 1 posts after its section is over.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_spinlock_t spin_a;
pthread_spinlock_t spin_b;
static sem_t first_done;
static int counter;

__attribute__((noinline)) void spin_a_then_b(void)
{
	pthread_spin_lock(&spin_a);
	pthread_spin_lock(&spin_b);
	counter++;
	pthread_spin_unlock(&spin_b);
	pthread_spin_unlock(&spin_a);
}

__attribute__((noinline)) void spin_b_then_a(void)
{
	pthread_spin_lock(&spin_b);
	pthread_spin_lock(&spin_a);
	counter++;
	pthread_spin_unlock(&spin_a);
	pthread_spin_unlock(&spin_b);
}

static void *thread1(void *arg)
{
	spin_a_then_b();
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	spin_b_then_a();
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;

	pthread_spin_init(&spin_a, PTHREAD_PROCESS_PRIVATE);
	pthread_spin_init(&spin_b, PTHREAD_PROCESS_PRIVATE);
	sem_init(&first_done, 0, 0);
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("spin_abba: counter=%d\n", counter);
	pthread_spin_destroy(&spin_b);
	pthread_spin_destroy(&spin_a);
	return 0;
}
