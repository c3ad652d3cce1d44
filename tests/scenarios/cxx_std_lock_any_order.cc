/*
 * cxx_std_lock_any_order: std::lock and a three-mutex std::scoped_lock, with
 * the arguments in opposite orders in concurrent threads.
 *
 * Pattern: two std::threads run concurrently, many times:
 *     thread 1: std::lock(mutex_a, mutex_b)         (then adopt and release)
 *               std::scoped_lock(mutex_a, mutex_b, mutex_c)
 *     thread 2: std::lock(mutex_b, mutex_a)
 *               std::scoped_lock(mutex_c, mutex_b, mutex_a)
 * libstdc++'s std::lock blocks on one mutex with nothing held and only
 * try-locks the others; when a try fails it releases everything and starts
 * over from another mutex. It never waits while holding a lock, so no order
 * of arguments can deadlock.
 *
 * MUST STAY SILENT: findings 0. Guards against try-lock edges counted as
 * blocking ones, for two and for three locks (cxx_scoped_lock covers two
 * locks through scoped_lock only), and against a held set left unbalanced by
 * the back-off (a try-locked mutex released before the blocking lock).
 */
#include <cstdio>
#include <mutex>
#include <thread>

#define ITERS 20000

std::mutex mutex_a;
std::mutex mutex_b;
std::mutex mutex_c;
static long pairs, triples;

extern "C" __attribute__((noinline)) void lock_pair(std::mutex &first,
						    std::mutex &second)
{
	std::lock(first, second);
	std::lock_guard<std::mutex> g1(first, std::adopt_lock);
	std::lock_guard<std::mutex> g2(second, std::adopt_lock);
	pairs++;
}

extern "C" __attribute__((noinline)) void lock_abc()
{
	std::scoped_lock guard(mutex_a, mutex_b, mutex_c);
	triples++;
}

extern "C" __attribute__((noinline)) void lock_cba()
{
	std::scoped_lock guard(mutex_c, mutex_b, mutex_a);
	triples++;
}

int main()
{
	std::thread t1([] {
		for (int i = 0; i < ITERS; i++) {
			lock_pair(mutex_a, mutex_b);
			lock_abc();
		}
	});
	std::thread t2([] {
		for (int i = 0; i < ITERS; i++) {
			lock_pair(mutex_b, mutex_a);
			lock_cba();
		}
	});
	t1.join();
	t2.join();
	std::printf("cxx_std_lock_any_order: pairs=%ld triples=%ld\n", pairs,
		    triples);
	return 0;
}
