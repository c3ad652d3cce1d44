/*
 * test_options.c: LOCKCHECK_OPTIONS parsing: defaults, both separators, bad
 * keys and values reported and ignored without touching other options;
 * every bad entry one line on stderr, however long or odd (an overlong entry
 * or path, a newline or an escape in it: the fuzzer's findings).
 */
#include <string.h>

#include "check.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parses text into o with stderr captured; returns the bad count and sets
 * *lines to the lines written, *prefixed to how many start "lockcheck: ". */
static int parse_captured(lc_options *o, const char *text, int *lines,
			  int *prefixed)
{
	char path[] = "/tmp/lc_test_optionsXXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	dup2(fd, 2);
	int bad = lc_options_parse(o, text);
	dup2(saved, 2);
	close(saved);
	char out[8192];
	ssize_t n = pread(fd, out, sizeof out - 1, 0);
	close(fd);
	unlink(path);
	out[n > 0 ? n : 0] = '\0';
	*lines = *prefixed = 0;
	for (char *l = out; *l;) {
		char *nl = strchr(l, '\n');
		(*lines)++;
		*prefixed += strncmp(l, "lockcheck: ", 11) == 0;
		if (!nl)
			break;
		l = nl + 1;
	}
	return bad;
}

int main(void)
{
	lc_options o;
	lc_options_defaults(&o);
	CHECK(o.exitcode == 66 && o.stack_depth == 16 && o.print_findings == 1 &&
		      o.halt_on_error == 0 && o.log_path[0] == '\0' &&
		      o.color == LC_COLOR_AUTO,
	      "defaults are the contract's");

	CHECK(lc_options_parse(&o, NULL) == 0, "no options: nothing to parse");
	CHECK(lc_options_parse(&o, "exitcode=3:halt_on_error=1,stack_depth=8") == 0,
	      "':' and ',' both separate");
	CHECK(o.exitcode == 3 && o.halt_on_error == 1 && o.stack_depth == 8,
	      "values stored");
	CHECK(lc_options_parse(&o, "log_path=/tmp/x/lc:color=never") == 0 &&
		      strcmp(o.log_path, "/tmp/x/lc") == 0 &&
		      o.color == LC_COLOR_NEVER,
	      "path and colour");

	lc_options_defaults(&o);
	CHECK(lc_options_parse(&o, "bogus=1:exitcode=7") == 1 && o.exitcode == 7,
	      "unknown key: one error, the rest still applies");
	CHECK(lc_options_parse(&o, "exitcode=abc") == 1 && o.exitcode == 7,
	      "non-number: error, value unchanged");
	CHECK(lc_options_parse(&o, "exitcode=300") == 1 && o.exitcode == 7,
	      "out of range: error, value unchanged");
	CHECK(lc_options_parse(&o, "stack_depth=0:stack_depth=65") == 2 &&
		      o.stack_depth == 16,
	      "stack_depth bounded 1..64");
	CHECK(lc_options_parse(&o, "halt_on_error") == 1,
	      "missing '=' is an error");
	CHECK(lc_options_parse(&o, "::,,") == 0, "empty entries are skipped");
	CHECK(lc_options_parse(&o, "order_file=/x/app.order") == 0 &&
		      strcmp(o.order_file, "/x/app.order") == 0,
	      "order_file path");
	lc_options_defaults(&o);
	CHECK(o.log_limit_mb == 64, "log_limit_mb: 64 MiB by default");
	CHECK(lc_options_parse(&o, "log_limit_mb=0") == 0 && o.log_limit_mb == 0,
	      "log_limit_mb=0: no bound");
	CHECK(lc_options_parse(&o, "log_limit_mb=-1") == 1 &&
		      o.log_limit_mb == 0,
	      "log_limit_mb: negative refused");
	CHECK(lc_options_parse(&o, "suppressions=/x/s.supp") == 0 &&
		      strcmp(o.suppressions, "/x/s.supp") == 0,
	      "suppressions path");

	/* Found by tests/fuzz/fuzz_options: an entry holding a newline. */
	int lines, prefixed;
	lc_options_defaults(&o);
	CHECK(parse_captured(&o, "bo\ngus=1:exitcode=9", &lines, &prefixed) == 1 &&
		      lines == 1 && prefixed == 1 && o.exitcode == 9,
	      "an unknown key with a newline: one line, the rest applies");
	CHECK(parse_captured(&o, "color=a\x1b[2Jb\n:exitcode=\n", &lines,
			     &prefixed) == 2 &&
		      lines == 2 && prefixed == 2,
	      "bad values with escapes and newlines: one line each");
	char *big = malloc(10000);
	memset(big, 'x', 9999);
	big[9999] = '\0';
	memcpy(big, "log_path=", 9);
	memcpy(big + 9980, ":exitcode=5", 12);
	CHECK(parse_captured(&o, big, &lines, &prefixed) == 1 && lines == 1 &&
		      o.exitcode == 5 && strcmp(o.log_path, "") == 0,
	      "an overlong entry: one line, ignored, the next entry applies");
	memset(big, 'y', LC_PATH_MAX - 20);
	memcpy(big, "log_path=", 9);
	big[LC_PATH_MAX - 20] = '\0';
	CHECK(parse_captured(&o, big, &lines, &prefixed) == 1 && lines == 1 &&
		      strcmp(o.log_path, "") == 0,
	      "a path too long for its suffixes: one line, ignored");
	free(big);
	CHECK_DONE();
}
