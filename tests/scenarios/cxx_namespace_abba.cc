/*
 * cxx_namespace_abba: AB-BA over two namespaced std::mutex globals, taken in
 * member functions of a namespaced class: every name is mangled C++.
 *
 * Pattern: net::Server::accept_loop takes net::table_lock then
 * net::conn_lock; net::Server::flush takes net::conn_lock then
 * net::table_lock, on another std::thread. table_lock has external linkage
 * (_ZN3net10table_lockE), conn_lock is file-static (_ZN3netL9conn_lockE):
 * both kinds of mangled variable names.
 *
 * MUST REPORT: one lock-order-inversion over {net::table_lock,
 * net::conn_lock}, deadlock-possible, whose lock names and stack functions
 * are demangled, without parameters ("net::Server::flush"): the shim's
 * demangler (lib/demangle.h). tests/cli/cxx_names.sh checks the rest (raw
 * symbols in "symbol", the text report, suppressions and order files in
 * both forms).
 *
 * The run never hangs: flush waits on a POSIX semaphore (not a lock) posted
 * after accept_loop's section.
 */
#include <cstdio>
#include <mutex>
#include <semaphore.h>
#include <thread>

namespace net {

std::mutex table_lock;
static std::mutex conn_lock;

class Server {
public:
	void accept_loop();
	void flush();
	int served = 0;
};

__attribute__((noinline)) void Server::accept_loop()
{
	std::lock_guard<std::mutex> table(table_lock);
	std::lock_guard<std::mutex> conn(conn_lock);
	served++;
}

__attribute__((noinline)) void Server::flush()
{
	std::lock_guard<std::mutex> conn(conn_lock);
	std::lock_guard<std::mutex> table(table_lock);
	served++;
}

} // namespace net

static sem_t first_done;

int main()
{
	net::Server server;
	sem_init(&first_done, 0, 0);
	std::thread t1([&server] {
		server.accept_loop();
		sem_post(&first_done);
	});
	std::thread t2([&server] {
		sem_wait(&first_done);
		server.flush();
	});
	t1.join();
	t2.join();
	std::printf("cxx_namespace_abba: served=%d\n", server.served);
	return 0;
}
