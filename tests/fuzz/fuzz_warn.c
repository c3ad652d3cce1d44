/*
 * fuzz_warn.c: lc_warn for the fuzz targets, and their checks (see
 * fuzz_warn.h). Linked in place of lib/warn.c.
 */
#include "fuzz_warn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "warn.h"

unsigned long lc_fuzz_warnings;

void lc_fuzz_check(int cond, const char *what)
{
	if (cond)
		return;
	/* Also through the sanitizer's report stream: libFuzzer's
	 * -close_fd_mask=2 (tests/fuzz/run) silences stderr, not that. */
	char line[256];
	snprintf(line, sizeof line, "fuzz check failed: %s", what);
	fprintf(stderr, "%s\n", line);
	__sanitizer_report_error_summary(line);
	abort();
}

void lc_fuzz_check_lines(const char *text, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (end - i < plen || memcmp(text + i, prefix, plen) != 0) {
			fprintf(stderr, "the line: '%.*s'\n",
				(int)(end - i > 200 ? 200 : end - i), text + i);
			lc_fuzz_check(0, "a diagnostic line does not start "
					 "with the program's name");
		}
		lc_fuzz_check(nl != NULL, "a diagnostic ends with its newline");
		i = end + 1;
	}
}

void lc_warn(const char *fmt, ...)
{
	/* The same buffer and steps as lib/warn.c. */
	char line[512];
	int n = snprintf(line, sizeof line, "lockcheck: ");
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	lc_fuzz_check(m >= 0, "lc_warn: the message formats");
	lc_fuzz_warnings++;
	lc_fuzz_check(strchr(line, '\n') == NULL,
		      "lc_warn: the message is one line (no newline in it)");
	lc_fuzz_check((size_t)m < sizeof line - (size_t)n - 1,
		      "lc_warn: the message fits warn.c's line, not cut short");
	if (getenv("LOCKCHECK_FUZZ_VERBOSE")) {
		n += m;
		line[n++] = '\n';
		ssize_t ignored = write(STDERR_FILENO, line, (size_t)n);
		(void)ignored;
	}
}
