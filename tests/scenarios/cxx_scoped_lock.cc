/*
 * cxx_scoped_lock: std::scoped_lock over two mutexes, in opposite orders.
 *
 * Pattern: one std::thread runs std::scoped_lock(mutex_a, mutex_b), another
 * std::scoped_lock(mutex_b, mutex_a), concurrently, many times. scoped_lock
 * uses std::lock, which locks one mutex and only *try*-locks the other,
 * releasing everything and starting over (libstdc++ rotates the order) when
 * a try fails. It never waits while holding a lock, so it cannot deadlock,
 * whatever order the arguments come in.
 *
 * MUST STAY SILENT: findings 0. Guards against treating a try-lock edge as
 * blocking (Helgrind reports this one wrongly).
 */
#include <cstdio>
#include <mutex>
#include <thread>

#define ITERS 20000

std::mutex mutex_a;
std::mutex mutex_b;
static long total;

extern "C" __attribute__((noinline)) void both_a_b()
{
	std::scoped_lock guard(mutex_a, mutex_b);
	total++;
}

extern "C" __attribute__((noinline)) void both_b_a()
{
	std::scoped_lock guard(mutex_b, mutex_a);
	total++;
}

int main()
{
	std::thread t1([] {
		for (int i = 0; i < ITERS; i++)
			both_a_b();
	});
	std::thread t2([] {
		for (int i = 0; i < ITERS; i++)
			both_b_a();
	});
	t1.join();
	t2.join();
	std::printf("cxx_scoped_lock: total=%ld\n", total);
	return 0;
}
