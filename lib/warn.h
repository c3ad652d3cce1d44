/*
 * warn.h: the shim's own one-line messages on stderr ("lockcheck: ...").
 *
 * For bad options, limits reached and internal failures: never for findings
 * (those go through report.c). Formats into a stack buffer and writes with one
 * write(2): no stdio, no malloc, safe under the core's locks.
 */
#ifndef LC_WARN_H
#define LC_WARN_H

/* Writes "lockcheck: <text>\n" to stderr in one write. */
void lc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
