/*
 * order_classes.c: two classes of heap locks made in two functions, taken
 * under a static lock and then destroyed (tests/cli/order_classes.sh).
 * Each of the 3 rounds: outer, then an object of make_account's class, then
 * one of make_ledger's class, nested; then both objects are destroyed. The
 * order outer -> account -> ledger is learned only from dead locks' class
 * summaries (none is alive at exit but outer).
 */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;

struct obj {
	pthread_mutex_t lock;
	long value;
};

__attribute__((noinline)) static struct obj *make_account(void)
{
	struct obj *o = malloc(sizeof *o);
	if (!o)
		abort();
	pthread_mutex_init(&o->lock, NULL); /* ORDER_CLASSES_ACCOUNT */
	return o;
}

__attribute__((noinline)) static struct obj *make_ledger(void)
{
	struct obj *o = malloc(sizeof *o);
	if (!o)
		abort();
	pthread_mutex_init(&o->lock, NULL); /* ORDER_CLASSES_LEDGER */
	return o;
}

int main(void)
{
	for (int i = 0; i < 3; i++) {
		struct obj *a = make_account(), *b = make_ledger();
		pthread_mutex_lock(&outer);
		pthread_mutex_lock(&a->lock);
		pthread_mutex_lock(&b->lock);
		a->value = b->value = i;
		pthread_mutex_unlock(&b->lock);
		pthread_mutex_unlock(&a->lock);
		pthread_mutex_unlock(&outer);
		pthread_mutex_destroy(&a->lock);
		pthread_mutex_destroy(&b->lock);
		free(a);
		free(b);
	}
	return 0;
}
