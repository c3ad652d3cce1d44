/*
 * test_order_file.c: order files: positions, comments and blanks, a
 * duplicate and a malformed line said and skipped, unknown identities, a
 * demangled C++ name with spaces accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "check.h"
#include "order_file.h"

int main(void)
{
	if (lc_arena_init() != 0)
		return 1;
	CHECK(!lc_order_file_active() && lc_order_file_position("x") == -1,
	      "no file: nothing declared");
	char path[] = "/tmp/lc_test_orderXXXXXX";
	int fd = mkstemp(path);
	const char *text = "# learned by lockcheck order\n"
			   "lock_a\n"
			   "\n"
			   "  lock_b   # trailing comment\n"
			   "two words\n"
			   "lock_a\n"
			   "@account_new\n"
			   "(anonymous namespace)::pool<int, 4>::lock\n";
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		return 1;
	close(fd);
	CHECK(lc_order_file_load(path) == 2,
	      "a malformed and a duplicate line are said and skipped");
	unlink(path);
	CHECK(lc_order_file_active(), "file in force");
	CHECK(lc_order_file_position("lock_a") == 1 &&
		      lc_order_file_position("lock_b") == 2 &&
		      lc_order_file_position("@account_new") == 3,
	      "positions follow the lines, the first place of a duplicate counts");
	CHECK(lc_order_file_position("(anonymous namespace)::pool<int, 4>::lock") ==
		      4,
	      "a demangled C++ name keeps its spaces");
	CHECK(lc_order_file_position("lock_c") == -1, "unlisted lock is free");
	CHECK(strcmp(lc_order_file_identity(2), "lock_b") == 0 &&
		      lc_order_file_identity(9) == NULL,
	      "identity by position");
	CHECK(lc_order_file_load("/nonexistent/x.order") == 1,
	      "a missing file is said, nothing lost");

	/* A later order replaces the earlier one (it used to count on from
	 * its identities, with a fresh table). */
	char buf[] = "lock_c\nlock_\0b\nlock_a\n";
	CHECK(lc_order_file_parse(buf, sizeof buf - 1, "buf") == 1,
	      "from a buffer: a line with a NUL byte is said and skipped");
	CHECK(lc_order_file_position("lock_c") == 1 &&
		      lc_order_file_position("lock_a") == 2 &&
		      lc_order_file_position("lock_b") == -1 &&
		      lc_order_file_identity(3) == NULL,
	      "the new order replaces the old, positions from 1");
	lc_order_file_clear();
	CHECK(!lc_order_file_active() && lc_order_file_position("lock_c") == -1,
	      "clear: no order in force");
	CHECK_DONE();
}
