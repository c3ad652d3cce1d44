#!/bin/bash
# scale_threads_shared: an inversion against an edge made by hundreds of
# threads before.
#
# scale_threads.sh in mode `shared`: 1,000 workers in 20 waves of 50 take
# shared_2 -> shared_5 (among others) in one consistent order; in wave 17
# two more threads, alive at once, take shared_2 -> shared_5 ("plant-ab")
# and shared_5 -> shared_2 ("plant-ba"). plant-ba is concurrent (by
# create/join order) with plant-ab and with the 50 workers of its wave, so
# the cycle shared_2 <=> shared_5 can deadlock, whatever the shim learned of
# shared_2 -> shared_5 from the 850 threads that ended before: expected, as
# for the private pair, exit 66, the native stdout, and exactly one finding:
# error, deadlock-possible, over shared_2 and shared_5, one edge plant-ba's
# and the other that of a thread alive beside it. The graph's count for
# shared_2 -> shared_5 must be every worker that took it, plus plant-ab.
# Run from anywhere after `make`; exit 0 means pass.
SCALE_THREADS_MODES=shared SCALE_THREADS_NAME=scale_threads_shared \
	exec "$(dirname "$0")/scale_threads.sh"
