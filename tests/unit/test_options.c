/*
 * test_options.c: LOCKCHECK_OPTIONS parsing: defaults, both separators, bad
 * keys and values reported and ignored without touching other options.
 */
#include <string.h>

#include "check.h"
#include "options.h"

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
	CHECK(lc_options_parse(&o, "suppressions=/x/s.supp") == 0 &&
		      strcmp(o.suppressions, "/x/s.supp") == 0,
	      "suppressions path");
	CHECK_DONE();
}
