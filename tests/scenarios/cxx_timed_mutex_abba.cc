/*
 * cxx_timed_mutex_abba: AB-BA over two std::timed_mutex, where the second
 * acquisition of each order is a timed try_lock_for.
 *
 * Pattern: the first std::thread locks timed_a, then timed_b with
 * try_lock_for(30s); the second locks timed_b, then timed_a with
 * try_lock_for(30s). Unlike try_lock, a timed lock waits (libstdc++ calls
 * pthread_mutex_clocklock): with an unlucky interleaving both threads hold
 * one lock and wait 30 s for the other, then fail. That is a deadlock in all
 * but name, so a timed acquisition is an order edge like a blocking one.
 *
 * MUST REPORT: one lock-order-inversion over {timed_a, timed_b}, verdict
 * deadlock-possible (an error, so the process exits 66 under the shim). Guards against treating a timed
 * lock as a try-lock.
 *
 * The run never hangs: the second thread waits on a POSIX semaphore (not a
 * lock) posted by the first after its section, so each try_lock_for succeeds
 * at once.
 */
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <semaphore.h>
#include <thread>

std::timed_mutex timed_a;
std::timed_mutex timed_b;
static sem_t first_done;
static int counter;

extern "C" __attribute__((noinline)) void lock_a_then_timed_b()
{
	std::lock_guard<std::timed_mutex> ga(timed_a);
	if (!timed_b.try_lock_for(std::chrono::seconds(30)))
		std::abort();
	counter++;
	timed_b.unlock();
}

extern "C" __attribute__((noinline)) void lock_b_then_timed_a()
{
	std::lock_guard<std::timed_mutex> gb(timed_b);
	if (!timed_a.try_lock_for(std::chrono::seconds(30)))
		std::abort();
	counter++;
	timed_a.unlock();
}

int main()
{
	sem_init(&first_done, 0, 0);
	std::thread t1([] {
		lock_a_then_timed_b();
		sem_post(&first_done);
	});
	std::thread t2([] {
		sem_wait(&first_done);
		lock_b_then_timed_a();
	});
	t1.join();
	t2.join();
	std::printf("cxx_timed_mutex_abba: counter=%d\n", counter);
	return 0;
}
