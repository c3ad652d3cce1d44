#!/bin/sh
# lockcheck-ci.sh: the CI sanitizer step for any CI system. Runs the test
# command under lockcheck, keeps the reports, writes SARIF and JUnit next to
# them, and exits non-zero when an error finding was made (or the tests
# failed). Usage: lockcheck-ci.sh make check
# With LOCKCHECK_BASELINE=PATH (an earlier run's log directory or its
# `lockcheck report --format json` output) only error findings new since
# then fail the step, and the SARIF results carry baselineState; --halt
# then stops the tests at the first new error finding only.
set -u
logs=${LOCKCHECK_LOGS:-lockcheck-logs}
rm -rf "$logs"
set -- --halt -- "$@"
if [ -n "${LOCKCHECK_BASELINE:-}" ]; then
	set -- --baseline "$LOCKCHECK_BASELINE" "$@"
fi
lockcheck run --log-dir "$logs" "$@"
status=$?
if [ -n "${LOCKCHECK_BASELINE:-}" ]; then
	lockcheck report --format sarif --baseline "$LOCKCHECK_BASELINE" -o lockcheck.sarif "$logs"
else
	lockcheck report --format sarif -o lockcheck.sarif "$logs"
fi
lockcheck report --format junit -o lockcheck-junit.xml "$logs"
exit $status
