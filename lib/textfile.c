/*
 * textfile.c: line-oriented configuration files (see textfile.h).
 *
 * Reading (open/read into arena memory) and splitting (lc_textfile_parse)
 * are apart so that the parsers can be given a buffer: the unit tests and
 * the fuzzers (tests/fuzz/) feed text without a file. Splitting walks the
 * buffer by length, never by strchr over the whole text, so a NUL byte in
 * a file costs only the line it is in, never the lines after it.
 */
#include "textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "sys.h"
#include "warn.h"

/* Cuts the comment and the blanks around what is left; returns the start. */
static char *trim(char *line)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	size_t len = strlen(line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
		       line[len - 1] == '\r'))
		line[--len] = '\0';
	return line;
}

int lc_textfile_parse(char *text, size_t len, const char *what,
		      const char *path, lc_line_fn fn, void *arg)
{
	int bad = 0;
	unsigned number = 0;
	char *end = text + len;
	*end = '\0';
	for (char *line = text; line < end;) {
		char *next = memchr(line, '\n', (size_t)(end - line));
		char *stop = next ? next : end;
		*stop = '\0';
		number++;
		/* A NUL byte would silently cut the line short (and the rule
		 * or identity with it): the line is refused as a whole. */
		if (memchr(line, '\0', (size_t)(stop - line))) {
			lc_warn("%s %s:%u: a NUL byte in the line (skipped)",
				what, path, number);
			bad++;
		} else {
			char *content = trim(line);
			if (*content && fn(content, number, arg) != 0)
				bad++;
		}
		line = stop + 1;
	}
	return bad;
}

int lc_textfile_lines(const char *path, const char *what, size_t max_bytes,
		      lc_line_fn fn, void *arg)
{
	int fd = lc_sys_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		lc_warn("%s %s: %s (ignored)", what, path, strerror(errno));
		return -1;
	}
	char *text = lc_arena_alloc(max_bytes + 1);
	size_t len = 0;
	ssize_t n = 0;
	while (text && len < max_bytes &&
	       (n = lc_sys_read(fd, text + len, max_bytes - len)) > 0)
		len += (size_t)n;
	/* One byte more tells a file of exactly max_bytes from a longer one. */
	char extra;
	int longer = text && n >= 0 && len == max_bytes &&
		     lc_sys_read(fd, &extra, 1) == 1;
	int err = n < 0 ? errno : 0;
	lc_sys_close(fd);
	if (!text)
		return -1;
	if (err) {
		lc_warn("%s %s: %s (ignored)", what, path, strerror(err));
		return -1;
	}
	if (longer) {
		lc_warn("%s %s: longer than %zu bytes; the rest is not read",
			what, path, max_bytes);
		/* The line cut at the limit is not a line of the file: a
		 * shortened identity or pattern would mean something else. */
		while (len && text[len - 1] != '\n')
			len--;
	}
	return lc_textfile_parse(text, len, what, path, fn, arg);
}
