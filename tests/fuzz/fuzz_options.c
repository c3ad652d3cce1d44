/*
 * fuzz_options.c: libFuzzer target for the LOCKCHECK_OPTIONS parser
 * (lib/options.c, lc_options_parse).
 *
 * The input is the variable's value: its bytes up to the first NUL (the
 * environment cannot hold more). Parsed on top of the defaults, then the
 * parser's promises are checked, so that a wrong result is a crash just as
 * a memory error is:
 *   - every option is within its documented bounds (a bad value never gets
 *     in), and every path is a terminated string that fits with the
 *     suffixes the shim appends (".<pid>.jsonl");
 *   - the count of bad entries it returns is the number of warnings it
 *     wrote: each bad entry is said once, as one line (fuzz_warn.c).
 * Corpus: tests/fuzz/corpus/fuzz_options/, dictionary fuzz_options.dict.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_warn.h"
#include "options.h"

static void check_path(const char *p)
{
	lc_fuzz_check(memchr(p, '\0', LC_PATH_MAX) != NULL &&
			      strlen(p) < LC_PATH_MAX - 32,
		      "a path option is terminated and bounded");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	lc_options o;
	lc_options_defaults(&o);
	lc_fuzz_warnings = 0;
	int bad = lc_options_parse(&o, text);
	lc_fuzz_check(bad >= 0 && (unsigned long)bad == lc_fuzz_warnings,
		      "each bad entry is one warning");
	lc_fuzz_check(o.exitcode >= 0 && o.exitcode <= 255, "exitcode bounded");
	lc_fuzz_check(o.stack_depth >= 1 && o.stack_depth <= LC_STACK_DEPTH_MAX,
		      "stack_depth bounded");
	lc_fuzz_check((o.halt_on_error | o.abort_on_error | o.strict_order |
		       o.print_findings | o.full_stacks) <= 1 &&
			      (o.halt_on_error | o.abort_on_error |
			       o.strict_order | o.print_findings |
			       o.full_stacks) >= 0,
		      "booleans are 0 or 1");
	lc_fuzz_check(o.color == LC_COLOR_AUTO || o.color == LC_COLOR_ALWAYS ||
			      o.color == LC_COLOR_NEVER,
		      "color is one of its three modes");
	lc_fuzz_check(o.wait_report_ms >= 0 && o.wait_report_ms <= 86400000,
		      "wait_report_ms bounded");
	lc_fuzz_check(o.dump_signal >= 0 && o.dump_signal <= 64,
		      "dump_signal bounded");
	check_path(o.log_path);
	check_path(o.suppressions);
	check_path(o.order_file);
	free(text);
	return 0;
}
