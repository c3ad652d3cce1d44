/*
 * textfile.c: line-oriented configuration files (see textfile.h).
 */
#include "textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
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

int lc_textfile_lines(const char *path, const char *what, size_t max_bytes,
		      lc_line_fn fn, void *arg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		lc_warn("%s %s: %s (ignored)", what, path, strerror(errno));
		return -1;
	}
	char *text = lc_arena_alloc(max_bytes + 1);
	size_t len = 0;
	ssize_t n;
	while (text && len < max_bytes &&
	       (n = read(fd, text + len, max_bytes - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (!text)
		return -1;
	if (len == max_bytes)
		lc_warn("%s %s: longer than %zu bytes; the rest is not read",
			what, path, max_bytes);
	text[len] = '\0';
	int bad = 0;
	unsigned number = 0;
	for (char *line = text; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		number++;
		char *content = trim(line);
		if (*content && fn(content, number, arg) != 0)
			bad++;
		line = next;
	}
	return bad;
}
