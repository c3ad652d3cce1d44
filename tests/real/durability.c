/*
 * durability: makes one lock-order inversion and is killed by SIGKILL the
 * instant the lock call that found it returns (tests/real/durability.sh).
 *
 * A finding is written with one write(2) at the moment it is made, inside
 * the lock call, so when the call returns its line is whole in the file,
 * whatever happens next. The kill comes from the program itself, so "right
 * after" is exact: no exit handler, no end event, nothing flushed later.
 * The locks are still held when it dies.
 */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t account_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t account_b = PTHREAD_MUTEX_INITIALIZER;

static sem_t a_b_done, may_exit;

/* Alive through main's B -> A (a semaphore is no ordering to the checker),
 * so the two orders are concurrent: deadlock-possible, an error. */
static void *a_then_b(void *arg)
{
	pthread_mutex_lock(&account_a);
	pthread_mutex_lock(&account_b);
	pthread_mutex_unlock(&account_b);
	pthread_mutex_unlock(&account_a);
	sem_post(&a_b_done);
	sem_wait(&may_exit);
	return arg;
}

int main(void)
{
	pthread_t t;
	sem_init(&a_b_done, 0, 0);
	sem_init(&may_exit, 0, 0);
	pthread_create(&t, NULL, a_then_b, NULL);
	sem_wait(&a_b_done);
	pthread_mutex_lock(&account_b);
	pthread_mutex_lock(&account_a); /* the finding is written here */
	kill(getpid(), SIGKILL);
	pause();
	return 0;
}
