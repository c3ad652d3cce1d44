/*
 * fork_child_inversion: the parent takes lock_a -> lock_b, then forks; the
 * child takes lock_b -> lock_a.
 *
 * Pattern: the parent's main thread takes lock_a then lock_b, releases both
 * and forks. The child inherits the lock-order knowledge of its parent
 * together with its memory (the same locks at the same addresses), and takes
 * lock_b then lock_a: that closes the cycle in the child. In a program where
 * the child shares its locks with the parent's later work (shared memory) or
 * where the same code runs in both, the two orders are a latent deadlock.
 *
 * MUST REPORT: one lock-order-inversion over {lock_a, lock_b}, in the
 * CHILD's log, verdict single-thread: a warning. Both edges were made by
 * thread T1: the forking thread keeps its id in the child, and A -> B is
 * that thread's own history, made before the fork. That is the defensible
 * verdict: in this run the two orders can never overlap (the child's locks
 * are its own copies, and even with process-shared locks the parent's A -> B
 * was over before the child existed, which "ordered" would say as well); an
 * error here would fail every program that forks after locking. The parent
 * exits 0 whatever the child's status (so `status 0`). The parent itself
 * has no finding (it never saw B -> A), and the child must not report
 * anything the parent already saw, so exactly one finding in all.
 *
 * stdout is flushed before fork; the child prints nothing, the parent prints
 * after waitpid, and never the child's status (it differs under the shim).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static int counter;

__attribute__((noinline)) void parent_a_then_b(void)
{
	pthread_mutex_lock(&lock_a);
	pthread_mutex_lock(&lock_b);
	counter++;
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
}

__attribute__((noinline)) void child_b_then_a(void)
{
	pthread_mutex_lock(&lock_b);
	pthread_mutex_lock(&lock_a);
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
}

int main(void)
{
	pid_t pid;
	int status;

	parent_a_then_b();
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		child_b_then_a();
		exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	printf("fork_child_inversion: parent counter=%d, child done\n",
	       counter);
	return 0;
}
