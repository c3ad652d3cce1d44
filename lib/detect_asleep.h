/*
 * detect_asleep.h: "every thread is asleep" (the deadlock finding with
 * detail all-asleep), Go's "all goroutines are asleep" for C and C++.
 *
 * A hang need not be a lock cycle: threads that all wait on condition
 * variables, semaphores, barriers or joins, with no thread left to signal,
 * post or end, hang just as surely (a lost wake-up; a read-write lock built
 * from a mutex and two conditions, read recursively while a writer waits).
 * No wait-for edge leads from a condition variable to a thread, so the
 * wait-for walk (detect_wait.h) cannot see it. What can be seen is that no
 * thread is left that could end any of the waits.
 *
 * The rule. The process is asleep when, at two consecutive checks
 * (LC_ASLEEP_TICK_MS apart), every one of its threads, as the kernel counts
 * them (/proc/self/task), is
 *   - in one and the same untimed wait the shim intercepts: a lock wait past
 *     its grace period, a join, a condition wait, a semaphore wait or a
 *     barrier wait (the wait's sequence number or start time unchanged
 *     between the checks), or
 *   - a zombie (a main thread that called pthread_exit), or one of the
 *     shim's own threads;
 * and every sleeper is asleep for the kernel too (state S or D, read at the
 * second check): a thread woken but not yet run on a loaded machine is R,
 * and still in its wait for the records.
 * Never, therefore, when a thread runs, or sits in anything the shim does
 * not see (read, poll, sleep, sigwait, a futex of its own, a thread the
 * shim has no record of): it may still wake the others. Never when a wait
 * is timed (it ends by itself) or its object is process-shared (another
 * process may end it). Never when a thread sleeps on a semaphore and the
 * process catches an asynchronous signal: sem_post is the one waking call a
 * signal handler may make (and sem_wait returns EINTR to any handler). A
 * set made only of lock and join waits that the wait-for walk already
 * finds in a cycle is left to it (the same hang reported twice is noise).
 *
 * The checks run on a thread of the shim's own, started the first time a
 * thread of the process begins an untimed wait that only another thread
 * can end (option asleep_check=0: never). It sleeps between checks; a check
 * reads each thread record's wait and sleep state, racily (records are
 * never freed), and costs nothing to the program's threads. Only when
 * every thread record is asleep does it read /proc. The report names each
 * thread, what it waits on, what it holds (with where it took it) and its
 * stack: a lock or join waiter captured its own when its grace period
 * ended; a sleeper is walked from the registers its interposer saved
 * (regs.h).
 */
#ifndef LC_DETECT_ASLEEP_H
#define LC_DETECT_ASLEEP_H

#define LC_ASLEEP_TICK_MS 200

/* The detector thread's body (started through the thread starter). */
void *lc_asleep_thread_main(void *arg);
/* Starts the detector thread if it is wanted and not running: called when
 * a wait that only another thread can end begins. Cheap after the first.
 * for_passive: for a passive wait (detect_wait.h), which needs the thread
 * even when the all-asleep check is off. The thread also checks the
 * passive waits, at each tick. */
void lc_asleep_watch(int for_passive);
/* Fork child: the detector thread is gone; the next wait starts another. */
void lc_asleep_fork_child(void);

#endif
