/*
 * reuse_cxx_mutex: a heap std::mutex deleted and a new one created at the
 * same address, used in the opposite order against a global std::mutex.
 *
 * Pattern: one thread, several rounds of `new std::mutex`, use, `delete`.
 * std::mutex has a constexpr constructor and a trivial destructor: libstdc++
 * never calls pthread_mutex_init or pthread_mutex_destroy for it, the
 * constructor just writes PTHREAD_MUTEX_INITIALIZER. delete followed at once
 * by new of the same size hands back the same block (the program checks it
 * and stops with a message if not). Even rounds take global_mutex, then the
 * heap mutex (global_mutex -> H); odd rounds take the heap mutex, then
 * global_mutex (H -> global_mutex). Each round's mutex is a new object.
 *
 * MUST STAY SILENT: findings 0. A checker that identifies a lock by its
 * address alone reports global_mutex <-> H.
 */
#include <cstdio>
#include <mutex>

#define ROUNDS 6

std::mutex global_mutex;
static long uses;

extern "C" __attribute__((noinline)) void global_then(std::mutex *m)
{
	std::lock_guard<std::mutex> g(global_mutex);
	std::lock_guard<std::mutex> h(*m);
	uses++;
}

extern "C" __attribute__((noinline)) void then_global(std::mutex *m)
{
	std::lock_guard<std::mutex> h(*m);
	std::lock_guard<std::mutex> g(global_mutex);
	uses++;
}

int main()
{
	std::mutex *first = nullptr;

	for (int round = 0; round < ROUNDS; round++) {
		std::mutex *m = new std::mutex;

		if (!first) {
			first = m;
		} else if (m != first) {
			std::printf("reuse_cxx_mutex: new did not reuse the block\n");
			return 1;
		}
		if (round % 2 == 0)
			global_then(m);
		else
			then_global(m);
		delete m;
	}
	std::printf("reuse_cxx_mutex: %d rounds at one address, uses=%ld\n",
		    ROUNDS, uses);
	return 0;
}
