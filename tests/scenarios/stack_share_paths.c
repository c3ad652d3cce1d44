/*
 * stack_share_paths: one lock call reached by two paths with the same
 * frame layout must keep two stacks.
 *
 * Pattern: take_pair locks two mutexes nested. via_left and via_right are
 * identical functions that call it, so its lock call has the same call
 * site and the same caller stack pointer whichever of them called it: only
 * the return address into via_left or via_right differs. via_left makes
 * eleven new edges (0 -> 1 -> ... -> 11), enough for the shim to learn
 * that call's stack and share it (stack.h); via_right then closes the
 * cycle with 11 -> 0. A shared stack taken on the call site and stack
 * pointer alone would show via_left for that edge too.
 *
 * MUST REPORT: one lock-order-inversion over the 12 locks (one thread:
 * single-thread), whose closing edge's stack goes through via_right and
 * whose other edges' stacks go through via_left.
 */
#include <pthread.h>
#include <stdio.h>

#define N 12
static pthread_mutex_t ring[N];
static volatile int calls;

__attribute__((noinline)) static void take_pair(pthread_mutex_t *a,
						pthread_mutex_t *b)
{
	pthread_mutex_lock(a);
	pthread_mutex_lock(b);
	pthread_mutex_unlock(b);
	pthread_mutex_unlock(a);
}

__attribute__((noinline)) void via_left(pthread_mutex_t *a, pthread_mutex_t *b)
{
	take_pair(a, b);
	calls++; /* not a tail call: this frame stays on the stack */
}

__attribute__((noinline)) void via_right(pthread_mutex_t *a, pthread_mutex_t *b)
{
	take_pair(a, b);
	calls++;
}

int main(void)
{
	for (int i = 0; i < N; i++)
		pthread_mutex_init(&ring[i], NULL);
	for (int i = 0; i + 1 < N; i++)
		via_left(&ring[i], &ring[i + 1]);
	via_right(&ring[N - 1], &ring[0]);
	printf("stack_share_paths: %d calls\n", calls);
	return 0;
}
