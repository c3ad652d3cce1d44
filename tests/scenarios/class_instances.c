/*
 * class_instances: the same AB-BA over twenty pairs of heap account locks,
 * all of one lock class.
 *
 * Pattern: forty accounts in malloc'ed memory, each lock set up by
 * pthread_mutex_init in one helper (account_new), so all forty are anonymous
 * locks created at one site: one class, in lockdep's words. Accounts 2i and
 * 2i+1 form pair i; the payer thread transfers from 2i to 2i+1 (locking the
 * source account, then the destination), the refunder thread from 2i+1 back
 * to 2i. Each pair is an AB-BA between two concurrent threads; no lock is
 * shared between pairs, so there are twenty cycles of two locks and no
 * other cycle.
 *
 * MUST REPORT: ONE lock-order-inversion with two (anonymous) locks, verdict
 * deadlock-possible (an error: exit status 66), written for the first pair
 * only, and the end event's "repeats" counting its id 20 times (instances=20):
 * the same bug in twenty objects is one problem, not twenty reports.
 *
 * The run never hangs: the refunder waits on a semaphore (not a lock) that
 * the payer posts after all its transfers; both threads are alive
 * throughout.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#define PAIRS 20

struct account {
	pthread_mutex_t lock;
	long balance;
};

static struct account *acct[2 * PAIRS];
static sem_t payer_done;

__attribute__((noinline)) struct account *account_new(long balance)
{
	struct account *a = malloc(sizeof(*a));

	if (!a)
		abort();
	pthread_mutex_init(&a->lock, NULL);
	a->balance = balance;
	return a;
}

__attribute__((noinline)) void account_transfer(struct account *from,
						struct account *to, long amount)
{
	pthread_mutex_lock(&from->lock);
	pthread_mutex_lock(&to->lock);
	from->balance -= amount;
	to->balance += amount;
	pthread_mutex_unlock(&to->lock);
	pthread_mutex_unlock(&from->lock);
}

static void *payer(void *arg)
{
	int i;

	for (i = 0; i < PAIRS; i++)
		account_transfer(acct[2 * i], acct[2 * i + 1], 10);
	sem_post(&payer_done);
	return NULL;
}

static void *refunder(void *arg)
{
	int i;

	sem_wait(&payer_done);
	for (i = 0; i < PAIRS; i++)
		account_transfer(acct[2 * i + 1], acct[2 * i], 3);
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;
	long total = 0, first;
	int i;

	sem_init(&payer_done, 0, 0);
	for (i = 0; i < 2 * PAIRS; i++)
		acct[i] = account_new(100);
	pthread_create(&t1, NULL, payer, NULL);
	pthread_create(&t2, NULL, refunder, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	first = acct[0]->balance;
	for (i = 0; i < 2 * PAIRS; i++) {
		total += acct[i]->balance;
		pthread_mutex_destroy(&acct[i]->lock);
		free(acct[i]);
	}
	printf("class_instances: %d accounts, total %ld, first %ld\n",
	       2 * PAIRS, total, first);
	return 0;
}
