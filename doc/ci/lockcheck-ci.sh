#!/bin/sh
# lockcheck-ci.sh: the CI sanitizer step for any CI system. Runs the test
# command under lockcheck, keeps the reports, writes SARIF and JUnit next to
# them, and exits non-zero when an error finding was made (or the tests
# failed). Usage: lockcheck-ci.sh make check
set -u
logs=${LOCKCHECK_LOGS:-lockcheck-logs}
rm -rf "$logs"
lockcheck run --halt --log-dir "$logs" -- "$@"
status=$?
lockcheck report --format sarif -o lockcheck.sarif "$logs"
lockcheck report --format junit -o lockcheck-junit.xml "$logs"
exit $status
