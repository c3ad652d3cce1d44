/*
 * fuzz_warn.h: what the fuzz targets share: the lc_warn sink (fuzz_warn.c).
 *
 * The fuzz targets link the core's parsers without lib/warn.c: fuzz_warn.c
 * defines lc_warn in its place (an error sink that tests replace, as in
 * jemalloc's witness). It formats every message exactly as warn.c would
 * (so a bad format argument, e.g. a %s past the end of a buffer, is still
 * caught by the sanitizers), checks the promise made to users -- each bad
 * entry is ONE line -- and counts messages, but prints nothing unless
 * LOCKCHECK_FUZZ_VERBOSE is set: at thousands of runs a second, stderr is
 * for the fuzzer's own reports. The shim's warn.c is untouched.
 */
#ifndef LC_FUZZ_WARN_H
#define LC_FUZZ_WARN_H

#include <stddef.h>

/* Messages lc_warn was called with since the last reset. */
extern unsigned long lc_fuzz_warnings;

/* Aborts (a fuzzer crash) with the message when cond is false: an invariant
 * of the parser under test did not hold. */
void lc_fuzz_check(int cond, const char *what);

/* Aborts unless every line of text[0, len) starts with prefix: each
 * diagnostic of the CLI's reader is one line naming the program. */
void lc_fuzz_check_lines(const char *text, size_t len, const char *prefix);

#endif
