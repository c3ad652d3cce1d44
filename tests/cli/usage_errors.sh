#!/bin/bash
# Usage errors of lockcheck exit 2 with exactly one line on stderr (what is
# wrong and where to look) and nothing on stdout; --help and --version exit 0
# and print to stdout.
# Run from the repository root; LOCKCHECK overrides the binary under test.
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/usage.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT
fails=0

usage_error() { # description, then the arguments
	local what=$1
	shift
	"$LC" "$@" >"$t/out" 2>"$t/err" </dev/null
	local st=$? lines
	lines=$(wc -l <"$t/err")
	if [ "$st" -ne 2 ]; then
		echo "FAIL: $what: exit $st, expected 2 (lockcheck $*)"
		fails=$((fails + 1))
	elif [ "$lines" -ne 1 ]; then
		echo "FAIL: $what: $lines lines on stderr, expected 1:"
		cat "$t/err"
		fails=$((fails + 1))
	elif [ -s "$t/out" ]; then
		echo "FAIL: $what: printed on stdout"
		fails=$((fails + 1))
	elif ! grep -q "^lockcheck.*: .*(try 'lockcheck" "$t/err"; then
		echo "FAIL: $what: no hint in: $(cat "$t/err")"
		fails=$((fails + 1))
	fi
}

ok_stdout() { # description, then the arguments: exit 0, text on stdout
	local what=$1
	shift
	"$LC" "$@" >"$t/out" 2>"$t/err" </dev/null
	local st=$?
	if [ "$st" -ne 0 ] || [ ! -s "$t/out" ] || [ -s "$t/err" ]; then
		echo "FAIL: $what: exit $st, stdout $(wc -c <"$t/out") bytes, stderr: $(cat "$t/err")"
		fails=$((fails + 1))
	fi
}

usage_error "no command"
usage_error "unknown command" frobnicate
usage_error "unknown global option" --frobnicate
usage_error "help for an unknown command" help frobnicate
usage_error "run without a program" run
usage_error "run with only --" run --
usage_error "run with an unknown option" run --frobnicate -- true
usage_error "run --exitcode not a number" run --exitcode x -- true
usage_error "run --exitcode out of range" run --exitcode 256 -- true
usage_error "run --exitcode without a value" run --exitcode
usage_error "run --log-dir without a value" run --log-dir
usage_error "run -o without =" run -o strict_order -- true
usage_error "run -o with a separator" run -o a=1:b=2 -- true
usage_error "report without files" report
usage_error "report with an unknown option" report --frobnicate x.jsonl
usage_error "report with a bad colour" report --color purple x.jsonl
usage_error "report --color without a value" report --color
usage_error "report with an unknown format" report --format xml x.jsonl

ok_stdout "--help" --help
ok_stdout "--version" --version
ok_stdout "help" help
ok_stdout "help run" help run
ok_stdout "run --help" run --help
ok_stdout "report --help" report --help
grep -q -- '--log-dir' <("$LC" help run) || { echo "FAIL: help run does not mention --log-dir"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] || { echo "$fails usage checks failed"; exit 1; }
echo "usage errors: ok"
