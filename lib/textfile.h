/*
 * textfile.h: reading a small line-oriented configuration file (suppressions,
 * order files) without stdio or malloc.
 *
 * The file is read once with open/read into arena memory (it stays there:
 * callers keep pointers into it). Each line is handed over with its '#'
 * comment cut and surrounding blanks trimmed; empty lines are skipped. A
 * file larger than max_bytes is read up to the last whole line within that
 * size, which is said once. A line holding a NUL byte is said and skipped.
 */
#ifndef LC_TEXTFILE_H
#define LC_TEXTFILE_H

#include <stddef.h>

/* Called for each non-empty line (modifiable, NUL-terminated, stays valid
 * for the process's life) with its 1-based number; returns 0, or -1 for a bad
 * line (which it has said). */
typedef int (*lc_line_fn)(char *line, unsigned number, void *arg);

/* Reads path and calls fn for each line. `what` names the option in
 * messages. Returns the number of bad lines, or -1 if the file could not be
 * read (said on stderr). */
int lc_textfile_lines(const char *path, const char *what, size_t max_bytes,
		      lc_line_fn fn, void *arg);

/* Splits text[0, len) into lines and calls fn for each, as above; path names
 * the text in messages. text[len] must be writable (it is set to '\0'); the
 * text is modified in place and the lines point into it. Returns the number
 * of bad lines. For buffers that are not files (unit tests, fuzzers). */
int lc_textfile_parse(char *text, size_t len, const char *what,
		      const char *path, lc_line_fn fn, void *arg);

#endif
