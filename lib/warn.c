/*
 * warn.c: one-line messages on stderr (see warn.h).
 */
#include "warn.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "sys.h"

void lc_warn(const char *fmt, ...)
{
	char line[512];
	int n = snprintf(line, sizeof line, "lockcheck: ");
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	ssize_t ignored = lc_sys_write(STDERR_FILENO, line, (size_t)n);
	(void)ignored;
}
