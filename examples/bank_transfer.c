/*
 * bank_transfer: the lockcheck demo (`make demo`).
 *
 * A tiny bank: two accounts, each with its own lock (account_alice_lock,
 * account_bob_lock). A transfer locks the source account, then the
 * destination, and moves the money. Two tellers work at the same time: one
 * moves money from Alice to Bob, the other from Bob to Alice. So one teller
 * takes alice -> bob and the other bob -> alice: the AB-BA pattern. On a bad
 * day each teller holds one account and waits for the other forever.
 *
 * This run never hangs: the second teller starts its transfer only after the
 * first one is done (they are paced by a semaphore, not a lock). The
 * deadlock did not happen, but it could have, and that is what lockcheck
 * reports: under LD_PRELOAD=preload/liblockcheck.so it prints a
 * lock-order-inversion between account_alice_lock and account_bob_lock,
 * with the stacks of both orders (transfer() called from each teller), and
 * the process exits with status 66.
 *
 * The fix is the usual one: lock accounts in one global order (for example
 * by account number) whatever the direction of the transfer.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

struct account {
	const char *owner;
	long balance;
	pthread_mutex_t *lock;
};

pthread_mutex_t account_alice_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t account_bob_lock = PTHREAD_MUTEX_INITIALIZER;

static struct account alice = {"Alice", 100, &account_alice_lock};
static struct account bob = {"Bob", 50, &account_bob_lock};
static sem_t first_teller_done;

/* Lock the source, then the destination: the order depends on direction. */
__attribute__((noinline)) void transfer(struct account *from,
					struct account *to, long amount)
{
	pthread_mutex_lock(from->lock);
	pthread_mutex_lock(to->lock);
	from->balance -= amount;
	to->balance += amount;
	pthread_mutex_unlock(to->lock);
	pthread_mutex_unlock(from->lock);
}

static void *teller_one(void *arg)
{
	transfer(&alice, &bob, 30);
	sem_post(&first_teller_done);
	return NULL;
}

static void *teller_two(void *arg)
{
	sem_wait(&first_teller_done);
	transfer(&bob, &alice, 20);
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;

	sem_init(&first_teller_done, 0, 0);
	printf("bank: Alice has %ld, Bob has %ld\n", alice.balance,
	       bob.balance);
	pthread_create(&t1, NULL, teller_one, NULL);
	pthread_create(&t2, NULL, teller_two, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("teller 1 moved 30 from Alice to Bob\n");
	printf("teller 2 moved 20 from Bob to Alice\n");
	printf("bank: Alice has %ld, Bob has %ld\n", alice.balance,
	       bob.balance);
	return 0;
}
