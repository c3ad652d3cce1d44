/*
 * symbolize_target.cc: the C++ program tests/cli/symbolize.sh runs under the
 * shim, built there at -O2 -g: two std::mutex members taken in both orders
 * through a member function of a class in a namespace, so that the report
 * must show demangled names (ns::Account::transfer(ns::Account&, int),
 * worker(int)) and std::mutex::lock() inlined into them.
 */
#include <mutex>
#include <thread>

namespace ns {
struct Account {
	std::mutex m;
	int balance = 100;
	void transfer(Account &to, int amount);
};

__attribute__((noinline)) void Account::transfer(Account &to, int amount)
{
	std::lock_guard<std::mutex> mine(m); /* MARK:transfer-lock-mine */
	std::lock_guard<std::mutex> theirs(to.m); /* MARK:transfer-lock-theirs */
	balance -= amount;
	to.balance += amount;
}
} // namespace ns

static ns::Account x, y;
static volatile int calls; /* work after the call: no tail call, a frame */

__attribute__((noinline)) void worker(int n)
{
	if (n)
		x.transfer(y, 1); /* MARK:worker-x-to-y */
	else
		y.transfer(x, 1); /* MARK:worker-y-to-x */
	calls = calls + 1;
}

int main()
{
	std::thread t1(worker, 1);
	t1.join();
	std::thread t2(worker, 0);
	t2.join();
	return 0;
}
