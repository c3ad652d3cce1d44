// confirm_prog_cxx.cc: a C++ AB-BA over std::mutex in std::threads, with
// nothing ordering the halves (the second 2 ms later): a normal run ends;
// `lockcheck confirm` must make its deadlock happen (tests/cli/confirm.sh).
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

static std::mutex cache_lock, index_lock;
static int entries;

__attribute__((noinline)) static void update_cache_then_index()
{
	std::lock_guard<std::mutex> c(cache_lock);
	std::lock_guard<std::mutex> i(index_lock);
	entries++;
}

__attribute__((noinline)) static void rebuild_index_then_cache()
{
	std::this_thread::sleep_for(std::chrono::milliseconds(2));
	std::lock_guard<std::mutex> i(index_lock);
	std::lock_guard<std::mutex> c(cache_lock);
	entries++;
}

int main()
{
	std::thread t1(update_cache_then_index), t2(rebuild_index_then_cache);
	t1.join();
	t2.join();
	std::printf("confirm_prog_cxx: done (%d)\n", entries);
	return 0;
}
