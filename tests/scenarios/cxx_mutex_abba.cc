/*
 * cxx_mutex_abba: AB-BA with C++ std::mutex and std::lock_guard.
 *
 * Pattern: two std::threads; the first takes mutex_a then mutex_b through
 * nested lock_guards, the second mutex_b then mutex_a. std::mutex wraps a
 * pthread_mutex_t (at offset 0, statically initialised, never destroyed), and
 * libstdc++ locks it through pthread_mutex_lock, so the shim sees it.
 *
 * MUST REPORT: one lock-order-inversion over {mutex_a, mutex_b},
 * deadlock-possible. The mutexes are globals with external linkage, so
 * their symbols are the plain names (a file-static would be mangled _ZL...);
 * the section functions are extern "C" so their frames carry plain names too.
 *
 * The run never hangs: the second thread waits on a POSIX semaphore (not a
 * lock) posted by the first after its section.
 */
#include <cstdio>
#include <mutex>
#include <semaphore.h>
#include <thread>

std::mutex mutex_a;
std::mutex mutex_b;
static sem_t first_done;
static int counter;

extern "C" __attribute__((noinline)) void take_a_then_b()
{
	std::lock_guard<std::mutex> ga(mutex_a);
	std::lock_guard<std::mutex> gb(mutex_b);
	counter++;
}

extern "C" __attribute__((noinline)) void take_b_then_a()
{
	std::lock_guard<std::mutex> gb(mutex_b);
	std::lock_guard<std::mutex> ga(mutex_a);
	counter++;
}

int main()
{
	sem_init(&first_done, 0, 0);
	std::thread t1([] {
		take_a_then_b();
		sem_post(&first_done);
	});
	std::thread t2([] {
		sem_wait(&first_done);
		take_b_then_a();
	});
	t1.join();
	t2.join();
	std::printf("cxx_mutex_abba: counter=%d\n", counter);
	return 0;
}
