/*
 * fork_lock_held: fork() while holding a mutex, in a process with a second
 * thread; parent and child then use the locks in the same order.
 *
 * Pattern: the main thread starts a helper thread, which locks inner_lock,
 * then helper_lock (the edge inner_lock -> helper_lock), unlocks inner_lock
 * and waits on a semaphore: at fork time it exists and holds helper_lock.
 * Main locks outer_lock and forks.
 *   - the child (a copy of the forking thread alone) still holds outer_lock:
 *     it takes inner_lock under it, unlocks both, repeats outer_lock ->
 *     inner_lock a few times and exits 0;
 *   - the child never touches helper_lock: it stays locked for ever there,
 *     by a thread that does not exist in the child;
 *   - the parent takes inner_lock under the outer_lock it still holds,
 *     unlocks both, waits for the child (waitpid), releases the helper,
 *     which unlocks helper_lock, takes outer_lock -> inner_lock, and is
 *     joined.
 * Every acquisition, in both processes, agrees with
 * outer_lock -> inner_lock -> helper_lock.
 *
 * MUST STAY SILENT, parent and child: findings 0 in all log files, and the
 * child's status 0 (the parent prints it). Guards against a child that
 * forgets it holds outer_lock (a bad-unlock at its first unlock), against
 * giving the child's thread the holds of a thread that did not survive the
 * fork (had the child's thread helper_lock in its held set, its lock of
 * inner_lock would be the edge helper_lock -> inner_lock, closing a cycle
 * with the inherited inner_lock -> helper_lock), and
 * against a child whose inherited state is corrupted by the fork (a finding,
 * a crash or a hang in the child).
 *
 * stdout is flushed before fork so the child's copy of the buffer is empty;
 * the parent prints the child's line only after waitpid, so the output is in
 * one fixed order.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 100

static pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t inner_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t helper_holds, helper_go;
static long work;

__attribute__((noinline)) void inner_under_held_outer(void)
{
	pthread_mutex_lock(&inner_lock);
	work++;
	pthread_mutex_unlock(&inner_lock);
	pthread_mutex_unlock(&outer_lock);
}

__attribute__((noinline)) void outer_then_inner(void)
{
	pthread_mutex_lock(&outer_lock);
	pthread_mutex_lock(&inner_lock);
	work++;
	pthread_mutex_unlock(&inner_lock);
	pthread_mutex_unlock(&outer_lock);
}

static void *helper(void *arg)
{
	int i;

	pthread_mutex_lock(&inner_lock);
	pthread_mutex_lock(&helper_lock);
	pthread_mutex_unlock(&inner_lock);
	sem_post(&helper_holds);
	sem_wait(&helper_go);
	pthread_mutex_unlock(&helper_lock);
	for (i = 0; i < ROUNDS; i++)
		outer_then_inner();
	return NULL;
}

int main(void)
{
	pthread_t h;
	pid_t pid;
	int status, i;

	sem_init(&helper_holds, 0, 0);
	sem_init(&helper_go, 0, 0);
	pthread_create(&h, NULL, helper, NULL);
	sem_wait(&helper_holds);

	fflush(stdout);
	pthread_mutex_lock(&outer_lock);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		inner_under_held_outer();
		for (i = 0; i < ROUNDS; i++)
			outer_then_inner();
		exit(work == ROUNDS + 1 ? 0 : 1);
	}
	inner_under_held_outer();
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	printf("fork_lock_held: child %s\n",
	       WIFEXITED(status) ? (WEXITSTATUS(status) == 0 ? "exited 0"
							     : "exited nonzero")
				 : "killed");
	sem_post(&helper_go);
	pthread_join(h, NULL);
	printf("fork_lock_held: parent work=%ld\n", work);
	return 0;
}
