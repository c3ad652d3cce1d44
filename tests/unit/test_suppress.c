/*
 * test_suppress.c: suppression files and matching: globs, kinds, lock names,
 * functions and modules in stacks, bad lines skipped.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"
#include "check.h"
#include "suppress.h"

int main(void)
{
	CHECK(lc_glob_match("legacy_*", "legacy_transfer"), "glob: prefix *");
	CHECK(lc_glob_match("*_lock", "queue_lock"), "glob: suffix *");
	CHECK(lc_glob_match("a?c", "abc") && !lc_glob_match("a?c", "ac"),
	      "glob: ?");
	CHECK(lc_glob_match("*a*b*", "xxaxxbxx") && !lc_glob_match("*a*b", "ba"),
	      "glob: several *");
	CHECK(!lc_glob_match("legacy", "legacy_transfer"), "glob: whole text");

	if (lc_arena_init() != 0)
		return 1;
	char path[] = "/tmp/lc_test_suppXXXXXX";
	int fd = mkstemp(path);
	const char *text = "# comment\n"
			   "lock-order-inversion:legacy_*\n"
			   "\n"
			   "no colon here\n"
			   "double-lock:*_cache_lock  # trailing comment\n"
			   "bogus-kind:x\n"
			   "*:libfoo.so*\n";
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		return 1;
	close(fd);
	CHECK(lc_suppress_load(path) == 2, "two bad lines reported and skipped");
	unlink(path);

	lc_frame legacy = { .function = "legacy_transfer", .module = "/bin/app" };
	lc_frame modern = { .function = "transfer", .module = "/bin/app" };
	lc_frame foo = { .function = "f", .module = "/usr/lib/libfoo.so.1" };
	lc_finding_edge edge = { .stack = { &legacy, 1 } };
	lc_finding f = { .kind = LC_KIND_LOCK_ORDER_INVERSION, .edges = &edge,
			 .n_edges = 1 };
	CHECK(lc_suppress_match(&f), "function in an edge stack matches");
	edge.stack.frames = &modern;
	CHECK(!lc_suppress_match(&f), "other function does not");
	edge.held_stack = (lc_stack){ &foo, 1 };
	CHECK(lc_suppress_match(&f), "module basename matches, any kind");

	lc_finding_lock lock = { .id = 1, .name = "user_cache_lock" };
	lc_finding g = { .kind = LC_KIND_DOUBLE_LOCK, .locks = &lock, .n_locks = 1 };
	CHECK(lc_suppress_match(&g), "lock name matches for its kind");
	g.kind = LC_KIND_BAD_UNLOCK;
	CHECK(!lc_suppress_match(&g), "the same lock under another kind does not");

	/* From a buffer; a NUL byte costs its own line only (it used to end
	 * the file there, silently). */
	lc_suppress_clear();
	CHECK(!lc_suppress_match(&g), "clear forgets every rule");
	char buf[] = "bad-unlock:nothing\nheld\0-at-exit:x\n*:user_*\n";
	CHECK(lc_suppress_parse(buf, sizeof buf - 1, "buf") == 1 &&
		      lc_suppress_match(&g),
	      "a line with a NUL byte is one bad line; the lines after it count");

	/* A lock's class: an anonymous lock is matched by its creation call
	 * site ("@function+0xOFF"), or by a glob over every class made in a
	 * function. */
	lc_suppress_clear();
	char by_class[] = "double-lock:@make_account*\n";
	lc_finding_lock anon = { .id = 2, .identity = "@make_account+0x1b" };
	lc_finding h = { .kind = LC_KIND_DOUBLE_LOCK, .locks = &anon,
			 .n_locks = 1 };
	CHECK(lc_suppress_parse(by_class, sizeof by_class - 1, "class") == 0 &&
		      lc_suppress_match(&h),
	      "a rule matches an anonymous lock by its class");
	anon.identity = "@make_ledger+0x1b";
	CHECK(!lc_suppress_match(&h), "and not a class made elsewhere");

	/* C++: a function or a lock matches demangled or raw. */
	lc_suppress_clear();
	char cxx[] = "*:net::Server::flush\n*:_ZN3net10table_lockE\n";
	lc_frame flush = { .function = "net::Server::flush",
			   .symbol = "_ZN3net6Server5flushEv" };
	lc_finding_edge cxx_edge = { .stack = { &flush, 1 } };
	lc_finding_lock table = { .id = 1, .name = "net::table_lock",
				  .symbol = "_ZN3net10table_lockE" };
	lc_finding k = { .kind = LC_KIND_LOCK_ORDER_INVERSION,
			 .edges = &cxx_edge, .n_edges = 1 };
	CHECK(lc_suppress_parse(cxx, sizeof cxx - 1, "cxx") == 0 &&
		      lc_suppress_match(&k),
	      "a C++ function by its demangled name");
	k = (lc_finding){ .kind = LC_KIND_DOUBLE_LOCK, .locks = &table,
			  .n_locks = 1 };
	CHECK(lc_suppress_match(&k), "a C++ lock by its mangled name");
	lc_suppress_clear();
	char cxx2[] = "*:_ZN3net6Server5flush*\n*:net::table_lock\n";
	CHECK(lc_suppress_parse(cxx2, sizeof cxx2 - 1, "cxx2") == 0 &&
		      lc_suppress_match(&k),
	      "a C++ lock by its demangled name");
	k = (lc_finding){ .kind = LC_KIND_LOCK_ORDER_INVERSION,
			  .edges = &cxx_edge, .n_edges = 1 };
	CHECK(lc_suppress_match(&k), "a C++ function by its mangled name");
	flush.symbol = NULL;
	CHECK(!lc_suppress_match(&k), "(the mangled name matched the symbol)");

	/* A file longer than the limit: the line cut there is not read as a
	 * rule ("*:user_cache_lock" of "*:user_cache_lock_is_not_this"). */
	lc_suppress_clear();
	char big[] = "/tmp/lc_test_supp_bigXXXXXX";
	fd = mkstemp(big);
	size_t first = LC_SUPPRESS_BYTES - strlen("*:user_cache_lock");
	char *comment = malloc(first);
	memset(comment, '#', first - 1);
	comment[first - 1] = '\n';
	const char *cut = "*:user_cache_lock_is_not_this\n";
	if (fd < 0 || write(fd, comment, first) != (ssize_t)first ||
	    write(fd, cut, strlen(cut)) < 0)
		return 1;
	close(fd);
	free(comment);
	CHECK(lc_suppress_load(big) == 0 && !lc_suppress_match(&g),
	      "a file over the size limit: its cut-off last line is dropped");
	unlink(big);
	CHECK_DONE();
}
