/*
 * asleep_pshared_cond_ok: a process-shared condition variable.
 *
 * Pattern: the parent makes a process-shared mutex and condition variable
 * in shared memory, forks, and waits (untimed) for a flag; the child sets
 * it and signals a second later. Meanwhile a helper thread of the parent
 * waits on a private condition variable that main signals once it is
 * woken. For that second both of the parent's threads are asleep in
 * pthread_cond_wait, and only another process can wake main, which it
 * does.
 *
 * MUST STAY SILENT: a wait on a process-shared object is never "asleep".
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int flag;
};

static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t helper_go = PTHREAD_COND_INITIALIZER;
static int go;

static void *helper(void *arg)
{
	pthread_mutex_lock(&helper_lock);
	while (!go)
		pthread_cond_wait(&helper_go, &helper_lock);
	pthread_mutex_unlock(&helper_lock);
	return arg;
}

int main(void)
{
	struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return 1;
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&s->lock, &ma);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_cond_init(&s->changed, &ca);
	pid_t child = fork();
	if (child == 0) {
		sleep(1);
		pthread_mutex_lock(&s->lock);
		s->flag = 1;
		pthread_cond_signal(&s->changed);
		pthread_mutex_unlock(&s->lock);
		_exit(0);
	}
	pthread_t t;
	pthread_create(&t, NULL, helper, NULL);
	pthread_mutex_lock(&s->lock);
	while (!s->flag)
		pthread_cond_wait(&s->changed, &s->lock);
	pthread_mutex_unlock(&s->lock);
	pthread_mutex_lock(&helper_lock);
	go = 1;
	pthread_cond_signal(&helper_go);
	pthread_mutex_unlock(&helper_lock);
	pthread_join(t, NULL);
	waitpid(child, NULL, 0);
	printf("asleep_pshared_cond_ok: flag %d\n", s->flag);
	return 0;
}
