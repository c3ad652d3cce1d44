#!/bin/bash
# scale_threads_ordered: opposite orders over 1,000 threads that create/join
# order keeps apart.
#
# scale_threads.sh in mode `ordered`: 1,000 workers in 20 waves of 50 (each
# wave created, then joined, by the main thread); besides their shared
# locks, every worker of waves 0..9 takes plant_a -> plant_b and every
# worker of waves 10..19 takes plant_b -> plant_a. Each acquisition of the
# second half is ordered after each of the first half by the joins in
# between, so the cycle cannot deadlock: expected, exit 0 as natively, the
# same stdout, exactly one finding: a lock-order-inversion over plant_a and
# plant_b, warning, verdict ordered (not deadlock-possible, which would mean
# the shim lost the create/join order of some thread), and the graph's
# counts: 500 for each direction.
# The shim forgets a thread's create/join order only now and then (when
# the final clock of a joined thread is lost), so this makes
# SCALE_ORDERED_RUNS runs (default 10); any wrong verdict fails.
# Run from anywhere after `make`; exit 0 means pass.
SCALE_THREADS_MODES=ordered SCALE_THREADS_NAME=scale_threads_ordered \
	SCALE_THREADS_RUNS=${SCALE_ORDERED_RUNS:-10} \
	exec "$(dirname "$0")/scale_threads.sh"
