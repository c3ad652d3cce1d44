/*
 * buf.h: a growable text buffer that never calls malloc.
 *
 * The shim formats reports while it may hold its own graph lock, inside a
 * program whose allocator may itself take locks (or be the thing being
 * debugged), so report text is built in memory obtained straight from mmap and
 * grown with mremap. The CLI uses the same buffer so that the one text renderer
 * (render_text.c) serves both.
 *
 * Invariants: data[len] is always '\0' when data is non-NULL; a failed growth
 * sets `truncated` and drops further appends (the text stays well formed up to
 * that point). Not thread safe: each buffer has one owner at a time.
 */
#ifndef LC_BUF_H
#define LC_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct lc_buf {
	char *data;
	size_t len;
	size_t cap;
	int truncated;
} lc_buf;

/* Appends n bytes. */
void lc_buf_put(lc_buf *b, const char *s, size_t n);
/* Appends a NUL-terminated string (NULL appends nothing). */
void lc_buf_puts(lc_buf *b, const char *s);
/* Appends printf-style text. Uses vsnprintf, which does not allocate for the
 * conversions used here (no %ls, no positional wide strings). */
void lc_buf_printf(lc_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s as the body of a JSON string (escaped, without quotes). */
void lc_buf_json_escape(lc_buf *b, const char *s);
/* Empties the buffer, keeping its memory. */
void lc_buf_reset(lc_buf *b);
/* Returns the memory to the system. */
void lc_buf_free(lc_buf *b);

#endif
