/*
 * heap_abba: AB-BA over two heap-allocated mutexes.
 *
 * Pattern: two mutexes in malloc'ed memory, set up with pthread_mutex_init;
 * thread 1 locks first then second, thread 2 second then first. The locks
 * have no symbol, so the finding cannot name them: they are anonymous and
 * told apart by their creation site.
 *
 * MUST REPORT: one lock-order-inversion over two (anonymous) locks,
 * deadlock-possible.
 *
 * The run never hangs: thread 2 waits on a semaphore (not a lock) posted by
 * thread 1 after its section.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

struct account {
	pthread_mutex_t lock;
	long balance;
};

static struct account *acct[2];
static sem_t first_done;

__attribute__((noinline)) struct account *account_new(long balance)
{
	struct account *a = malloc(sizeof(*a));

	if (!a)
		abort();
	pthread_mutex_init(&a->lock, NULL);
	a->balance = balance;
	return a;
}

__attribute__((noinline)) void move(struct account *from, struct account *to,
				    long amount)
{
	pthread_mutex_lock(&from->lock);
	pthread_mutex_lock(&to->lock);
	from->balance -= amount;
	to->balance += amount;
	pthread_mutex_unlock(&to->lock);
	pthread_mutex_unlock(&from->lock);
}

static void *thread1(void *arg)
{
	move(acct[0], acct[1], 10);
	sem_post(&first_done);
	return NULL;
}

static void *thread2(void *arg)
{
	sem_wait(&first_done);
	move(acct[1], acct[0], 3);
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;
	int i;

	sem_init(&first_done, 0, 0);
	acct[0] = account_new(100);
	acct[1] = account_new(100);
	pthread_create(&t1, NULL, thread1, NULL);
	pthread_create(&t2, NULL, thread2, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("heap_abba: balances %ld %ld\n", acct[0]->balance,
	       acct[1]->balance);
	for (i = 0; i < 2; i++) {
		pthread_mutex_destroy(&acct[i]->lock);
		free(acct[i]);
	}
	return 0;
}
