/*
 * confirm_prog.c: programs whose predicted deadlocks `lockcheck confirm`
 * must make happen, and programs where it must not (tests/cli/confirm.sh).
 *
 * Every mode but the last starts its threads at once with nothing ordering
 * them; the second half of each cycle comes 2 ms later, so a normal run
 * survives by timing alone (it ends, status 0), while the cycle is real:
 *   mutex     AB-BA over two pthread mutexes
 *   cycle3    A->B, B->C, C->A in three threads
 *   rwlock    a rwlock held for writing while a mutex is wanted, and the
 *             mutex held while the rwlock is wanted for reading
 *   mtx       AB-BA over two C11 mtx_t
 *   heap      two accounts made by one function (one lock class: any
 *             instance may be the one paused), transfers a->b and b->a
 *   watchdog  mutex's AB-BA, with a watchdog thread of the program's own
 *             that ends it (status 3) when the work stalls for 3 s
 *   ordered   the AB-BA's halves in two threads, the second created after
 *             the first was joined: verdict ordered (refused)
 * With CONFIRM_STALL=1 in the environment, the second thread of `mutex`
 * first reads a pipe nobody writes: the program stops making progress for
 * a reason of its own (confirm must end it at --timeout and say so).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_c = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t table = PTHREAD_RWLOCK_INITIALIZER;
static mtx_t mtx_a, mtx_b;
static atomic_int progress;
static int counter;

static void later(void)
{
	struct timespec ms2 = { 0, 2000000 };
	nanosleep(&ms2, NULL);
}

__attribute__((noinline)) static void hold_then_take(pthread_mutex_t *held,
						     pthread_mutex_t *wanted)
{
	pthread_mutex_lock(held);
	pthread_mutex_lock(wanted);
	counter++;
	pthread_mutex_unlock(wanted);
	pthread_mutex_unlock(held);
	atomic_fetch_add(&progress, 1);
}

static void *ab(void *arg) { hold_then_take(&lock_a, &lock_b); return NULL; }
static void *ba(void *arg)
{
	later();
	if (getenv("CONFIRM_STALL")) {
		int p[2];
		char c;
		if (pipe(p) == 0 && read(p[0], &c, 1) < 0)
			perror("read");
	}
	hold_then_take(&lock_b, &lock_a);
	return NULL;
}
static void *bc(void *arg) { later(); hold_then_take(&lock_b, &lock_c); return NULL; }
static void *ca(void *arg) { later(); later(); hold_then_take(&lock_c, &lock_a); return NULL; }

__attribute__((noinline)) static void *write_then_mutex(void *arg)
{
	pthread_rwlock_wrlock(&table);
	pthread_mutex_lock(&lock_a);
	counter++;
	pthread_mutex_unlock(&lock_a);
	pthread_rwlock_unlock(&table);
	return NULL;
}

__attribute__((noinline)) static void *mutex_then_read(void *arg)
{
	later();
	pthread_mutex_lock(&lock_a);
	pthread_rwlock_rdlock(&table);
	counter++;
	pthread_rwlock_unlock(&table);
	pthread_mutex_unlock(&lock_a);
	return NULL;
}

__attribute__((noinline)) static void mtx_hold_then_take(mtx_t *held, mtx_t *wanted)
{
	mtx_lock(held);
	mtx_lock(wanted);
	counter++;
	mtx_unlock(wanted);
	mtx_unlock(held);
}

static void *mtx_ab(void *arg) { mtx_hold_then_take(&mtx_a, &mtx_b); return NULL; }
static void *mtx_ba(void *arg) { later(); mtx_hold_then_take(&mtx_b, &mtx_a); return NULL; }

struct account {
	pthread_mutex_t lock;
	long balance;
};
static struct account *accounts[2];

__attribute__((noinline)) static struct account *account_new(long balance)
{
	struct account *a = malloc(sizeof *a);
	if (!a)
		abort();
	pthread_mutex_init(&a->lock, NULL);
	a->balance = balance;
	return a;
}

__attribute__((noinline)) static void transfer(struct account *from,
					       struct account *to, long amount)
{
	pthread_mutex_lock(&from->lock);
	pthread_mutex_lock(&to->lock);
	from->balance -= amount;
	to->balance += amount;
	pthread_mutex_unlock(&to->lock);
	pthread_mutex_unlock(&from->lock);
}

static void *pay_ab(void *arg) { transfer(accounts[0], accounts[1], 10); return NULL; }
static void *pay_ba(void *arg) { later(); transfer(accounts[1], accounts[0], 5); return NULL; }

/* The program's own watchdog: no progress for 3 s ends the program. */
static void *watchdog(void *arg)
{
	int last = -1;
	for (int quiet = 0; quiet < 30;) {
		struct timespec ms100 = { 0, 100000000 };
		nanosleep(&ms100, NULL);
		int now = atomic_load(&progress);
		quiet = now == last ? quiet + 1 : 0;
		last = now;
		if (now >= 2)
			return NULL;
	}
	fprintf(stderr, "watchdog: no progress for 3 s, giving up\n");
	_exit(3);
}

static void run2(void *(*f)(void *), void *(*g)(void *))
{
	pthread_t t1, t2;
	pthread_create(&t1, NULL, f, NULL);
	pthread_create(&t2, NULL, g, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "mutex")) {
		run2(ab, ba);
	} else if (!strcmp(mode, "cycle3")) {
		pthread_t t[3];
		pthread_create(&t[0], NULL, ab, NULL);
		pthread_create(&t[1], NULL, bc, NULL);
		pthread_create(&t[2], NULL, ca, NULL);
		for (int i = 0; i < 3; i++)
			pthread_join(t[i], NULL);
	} else if (!strcmp(mode, "rwlock")) {
		run2(write_then_mutex, mutex_then_read);
	} else if (!strcmp(mode, "mtx")) {
		mtx_init(&mtx_a, mtx_plain);
		mtx_init(&mtx_b, mtx_plain);
		run2(mtx_ab, mtx_ba);
	} else if (!strcmp(mode, "heap")) {
		accounts[0] = account_new(100);
		accounts[1] = account_new(100);
		run2(pay_ab, pay_ba);
	} else if (!strcmp(mode, "watchdog")) {
		pthread_t w;
		pthread_create(&w, NULL, watchdog, NULL);
		run2(ab, ba);
		pthread_join(w, NULL);
	} else if (!strcmp(mode, "ordered")) {
		pthread_t t1, t2;
		pthread_create(&t1, NULL, ab, NULL);
		pthread_join(t1, NULL);
		pthread_create(&t2, NULL, ba, NULL);
		pthread_join(t2, NULL);
	} else {
		fprintf(stderr, "usage: confirm_prog mutex|cycle3|rwlock|mtx|"
				"heap|watchdog|ordered\n");
		return 2;
	}
	printf("confirm_prog %s: done (%d)\n", mode, counter);
	return 0;
}
