/*
 * buf.c: the malloc-free growable text buffer (see buf.h).
 *
 * Memory comes from mmap and grows with mremap, doubling, so appending is
 * amortised O(1) and never touches the program's allocator. A buffer that
 * cannot grow (address space exhausted) marks itself truncated and ignores
 * further appends: a report that is cut short is better than none.
 */
#define _GNU_SOURCE
#include "buf.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

enum { LC_BUF_MIN_CAP = 64 * 1024 };

/* Makes room for `more` bytes plus the terminating NUL; 0 on success. */
static int buf_reserve(lc_buf *b, size_t more)
{
	if (b->truncated)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : LC_BUF_MIN_CAP;
	while (cap < b->len + more + 1)
		cap *= 2;
	void *p;
	if (b->data)
		p = mremap(b->data, b->cap, cap, MREMAP_MAYMOVE);
	else
		p = mmap(NULL, cap, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		b->truncated = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void lc_buf_put(lc_buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, n) != 0)
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void lc_buf_puts(lc_buf *b, const char *s)
{
	if (s)
		lc_buf_put(b, s, strlen(s));
}

void lc_buf_printf(lc_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		lc_buf_put(b, small, (size_t)n);
		return;
	}
	if (buf_reserve(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void lc_buf_json_escape(lc_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[7];
		switch (*p) {
		case '"': lc_buf_put(b, "\\\"", 2); continue;
		case '\\': lc_buf_put(b, "\\\\", 2); continue;
		case '\n': lc_buf_put(b, "\\n", 2); continue;
		case '\r': lc_buf_put(b, "\\r", 2); continue;
		case '\t': lc_buf_put(b, "\\t", 2); continue;
		default: break;
		}
		if (*p < 0x20 || *p == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			lc_buf_put(b, esc, 6);
		} else {
			/* Bytes >= 0x80 pass as they are: symbol and file names
			 * are UTF-8 in practice. */
			lc_buf_put(b, (const char *)p, 1);
		}
	}
}

void lc_buf_reset(lc_buf *b)
{
	b->len = 0;
	b->truncated = 0;
	if (b->data)
		b->data[0] = '\0';
}

void lc_buf_free(lc_buf *b)
{
	if (b->data)
		munmap(b->data, b->cap);
	b->data = NULL;
	b->len = b->cap = 0;
	b->truncated = 0;
}
