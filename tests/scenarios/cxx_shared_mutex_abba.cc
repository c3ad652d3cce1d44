/*
 * cxx_shared_mutex_abba: AB-BA over two std::shared_mutex, shared one way,
 * exclusive the other.
 *
 * Pattern: the first std::thread takes std::shared_lock on shared_a, then
 * std::shared_lock on shared_b; the second takes std::unique_lock on
 * shared_b, then std::unique_lock on shared_a. libstdc++'s shared_mutex wraps
 * a pthread_rwlock_t (shared_lock -> pthread_rwlock_rdlock, unique_lock ->
 * pthread_rwlock_wrlock). The cycle is not read-read: with an unlucky
 * interleaving the first thread reads shared_a and waits to read shared_b
 * while the second writes shared_b and waits to write shared_a: a deadlock.
 *
 * MUST REPORT: one lock-order-inversion over {shared_a, shared_b}, verdict
 * deadlock-possible (an error, so the process exits 66 under the shim). The locks and the section
 * functions have external, unmangled names (see cxx_mutex_abba).
 *
 * The run never hangs: the second thread waits on a POSIX semaphore (not a
 * lock) posted by the first after its section.
 */
#include <cstdio>
#include <mutex>
#include <semaphore.h>
#include <shared_mutex>
#include <thread>

std::shared_mutex shared_a;
std::shared_mutex shared_b;
static sem_t first_done;
static int value_a = 1, value_b = 2, seen;

extern "C" __attribute__((noinline)) void read_a_then_b()
{
	std::shared_lock<std::shared_mutex> ra(shared_a);
	std::shared_lock<std::shared_mutex> rb(shared_b);
	seen = value_a + value_b;
}

extern "C" __attribute__((noinline)) void write_b_then_a()
{
	std::unique_lock<std::shared_mutex> wb(shared_b);
	std::unique_lock<std::shared_mutex> wa(shared_a);
	value_a++;
	value_b++;
}

int main()
{
	sem_init(&first_done, 0, 0);
	std::thread t1([] {
		read_a_then_b();
		sem_post(&first_done);
	});
	std::thread t2([] {
		sem_wait(&first_done);
		write_b_then_a();
	});
	t1.join();
	t2.join();
	std::printf("cxx_shared_mutex_abba: seen=%d a=%d b=%d\n", seen, value_a,
		    value_b);
	return 0;
}
