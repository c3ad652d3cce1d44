/*
 * check.h: the whole unit-test framework, a few macros.
 *
 * Each tests/unit/test_*.c is one program: it runs its checks, prints one line
 * per check ("ok - what" or "FAIL - what (file:line)") and exits nonzero if any
 * failed. tests/run counts the lines.
 */
#ifndef LC_TEST_CHECK_H
#define LC_TEST_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond, what)                                                      \
	do {                                                                   \
		if (cond) {                                                    \
			printf("ok - %s\n", what);                             \
		} else {                                                       \
			printf("FAIL - %s (%s:%d: %s)\n", what, __FILE__,      \
			       __LINE__, #cond);                               \
			check_failures++;                                      \
		}                                                              \
	} while (0)

#define CHECK_DONE() return check_failures ? 1 : 0

#endif
