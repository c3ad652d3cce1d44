/*
 * detect_sync.h: misuse of semaphores and barriers, and the sleep state.
 *
 * The entry points are the lc_on_sync_* and lc_on_sleep_* events declared in
 * event.h (preload/ sees only event.h); this header holds the rules they
 * prove, in one place:
 *
 *   invalid-use/destroyed        a wait, try-wait, post or destroy of a
 *                                semaphore, or a wait or destroy of a
 *                                barrier, that this process destroyed and
 *                                did not initialise again
 *   invalid-use/uninitialised    a wait, try-wait or post of a semaphore
 *                                never initialised: no sem_init of its
 *                                address was seen in this process (or in
 *                                the parent before a fork: the table is
 *                                inherited), the table never missed an
 *                                init (full, a race, an init inside the
 *                                checker), and the address lies in a
 *                                private mapping (/proc/self/maps), so no
 *                                other process can have initialised it.
 *                                Checked once per address.
 *   reinit                       sem_init/pthread_barrier_init of an object
 *                                that is live (initialised, not destroyed)
 *   sem-misuse/destroyed-with-waiters
 *                                sem_destroy while threads are in sem_wait
 *                                on it: both the live threads the shim sees
 *                                inside a wait on it (their sleep state, so
 *                                a fork child does not count its parent's
 *                                threads) and glibc's count of blocked
 *                                waiters (which a woken thread has left)
 *                                must be nonzero
 *   sem-misuse/overflow          sem_post failed with EOVERFLOW (the only
 *                                check made after the real call: it is
 *                                exact then, and the post cannot hang)
 *   barrier-misuse/destroyed-with-waiters
 *                                pthread_barrier_destroy while threads wait
 *                                in an unfinished round (arrivals since the
 *                                init are not a multiple of the count, and
 *                                a live thread sleeps in it);
 *                                threads of a finished round that are still
 *                                leaving are not waiters (glibc's destroy
 *                                waits for them, by design)
 *   barrier-misuse/zero-count    pthread_barrier_init with a count of 0
 *
 * All are errors. Process-shared objects: another process may wait on,
 * destroy or initialise them, so only overflow and zero-count (facts about
 * the call itself) are reported for them. Each finding carries the object
 * (its name when it is a global, its creation stack), the current stack,
 * and the init and destroy stacks that explain it; it is reported once per
 * object class and sites.
 */
#ifndef LC_DETECT_SYNC_H
#define LC_DETECT_SYNC_H

#include "event.h"

#endif
