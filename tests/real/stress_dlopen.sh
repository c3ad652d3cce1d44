#!/bin/bash
# stress_dlopen (issue #9, scenario f): 200 dlopen/dlclose cycles (long:
# 2,000) of a library that makes, locks and destroys locks, with edges from
# the program's lock into the library's static locks, which come back at
# the same addresses after each reload (tests/stress/dlopen.c,
# dlopen_lib.c).
#  1. clean: natively and under the shim: same status and stdout, no
#     finding, a well-formed log.
#  2. trap: an AB-BA on the library's lib_a/lib_b in every load: exactly one
#     deadlock-possible inversion for the whole run, status 66.
# Run from anywhere after `make`; exit 0 means pass.
set -u
NAME=stress_dlopen
SRC=dlopen
. "$(dirname "$0")/../stress/harness.sh"
build -ldl
lib=$w/libstressdl.so
$CC -shared -fPIC -O1 -g -pthread -o "$lib" "$ROOT/tests/stress/dlopen_lib.c" 2>"$w/cc.err" ||
	{ cat "$w/cc.err"; die "cannot build dlopen_lib.c"; }
stress_run clean none "$lib"
pass_line clean
stress_run trap inversion:lib_a,lib_b "$lib" trap
pass_line trap
