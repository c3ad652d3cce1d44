/*
 * hand_over_hand: lock coupling along a linked list, all in one direction.
 *
 * Pattern: a singly linked list of 64 heap nodes, each with its own mutex
 * (all created at the same site), behind a global list_head_lock. Four
 * threads walk it repeatedly with hand-over-hand locking: lock the head, lock
 * node 0, unlock the head, lock node 1, unlock node 0, ... So a thread holds
 * at most two locks, always "node i then node i+1". The edges form a chain
 * head -> n0 -> n1 -> ... -> n63, never a cycle.
 *
 * MUST STAY SILENT: findings 0. Guards against a detector that merges locks
 * by creation site (lockdep-style classes): that would see node -> node, a
 * self-cycle, and report a deadlock that cannot happen. It also exercises
 * non-LIFO release (the older lock is unlocked first).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NODES 64
#define THREADS 4
#define WALKS 200

struct node {
	pthread_mutex_t lock;
	long value;
	struct node *next;
};

static pthread_mutex_t list_head_lock = PTHREAD_MUTEX_INITIALIZER;
static struct node *list_head;

__attribute__((noinline)) struct node *node_new(void)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		abort();
	pthread_mutex_init(&n->lock, NULL);
	return n;
}

/* One walk: add one to every node's value, coupling the locks. */
__attribute__((noinline)) void walk(void)
{
	struct node *prev, *cur;

	pthread_mutex_lock(&list_head_lock);
	cur = list_head;
	pthread_mutex_lock(&cur->lock);
	pthread_mutex_unlock(&list_head_lock);
	for (;;) {
		cur->value++;
		prev = cur;
		cur = cur->next;
		if (!cur)
			break;
		pthread_mutex_lock(&cur->lock);
		pthread_mutex_unlock(&prev->lock);
	}
	pthread_mutex_unlock(&prev->lock);
}

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < WALKS; i++)
		walk();
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	struct node **tail = &list_head, *n;
	long sum = 0;
	int i;

	for (i = 0; i < NODES; i++) {
		*tail = node_new();
		tail = &(*tail)->next;
	}
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (n = list_head; n; n = n->next)
		sum += n->value;
	printf("hand_over_hand: %d nodes, sum=%ld\n", NODES, sum);
	while (list_head) {
		n = list_head;
		list_head = n->next;
		pthread_mutex_destroy(&n->lock);
		free(n);
	}
	return 0;
}
