#!/bin/bash
# scale_threads_early: a long-lived thread's edge against a late reversal.
#
# scale_threads.sh in mode `early`: 1,000 workers in 20 waves of 50 take
# shared_2 -> shared_5 (among others) in one consistent order. "plant-ab" is
# created at the start of wave 6 (after some 20 workers made shared_2 ->
# shared_5), takes shared_2 -> shared_5 and ends, but is joined only at the
# end of the run; "plant-ba" runs alone between waves 16 and 17 and takes
# shared_5 -> shared_2. Every worker's acquisition is ordered before or
# after plant-ba's by create/join, but plant-ab's is not: the two could run
# at the same time, so the cycle shared_2 <=> shared_5 can deadlock,
# however many contexts of shared_2 -> shared_5 the 500 workers in between
# made. Expected: exit 66, the native stdout, exactly one finding: error,
# deadlock-possible, over shared_2 and shared_5, its edges plant-ab's and
# plant-ba's; the graph's count for shared_2 -> shared_5 is every worker
# that took it, plus plant-ab.
# Run from anywhere after `make`; exit 0 means pass.
SCALE_THREADS_MODES=early SCALE_THREADS_NAME=scale_threads_early \
	exec "$(dirname "$0")/scale_threads.sh"
