/*
 * test_demangle.c: the shim's demangled-name cache (lib/demangle.c).
 *
 * C names come back as the very same pointer; mangled ones demangled in the
 * short form (no parameters), the same pointer each time (cached by the raw
 * pointer), an "@VERSION" suffix ignored; names that do not demangle, and
 * names past the length bound, come back raw; and when the cache is full,
 * new names come back raw with the limit said once while the cached ones
 * keep their readable form.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "demangle.h"
#include "limit.h"

#define FILL (LC_DEMANGLE_SLOTS / 4 * 3)

static char many[FILL + 1][8];
static char long_name[LC_DEMANGLE_RAW_MAX + 64];

int main(void)
{
	const char *c_name = "pthread_mutex_lock";
	CHECK(lc_demangle(c_name) == c_name, "a C name is itself");
	CHECK(lc_demangle(NULL) == NULL, "NULL gives NULL");

	const char *fn = "_ZN3net6Server5flushEv";
	const char *r = lc_demangle(fn);
	CHECK(r && strcmp(r, "net::Server::flush") == 0,
	      "a member function, without its parameters");
	CHECK(lc_demangle(fn) == r, "the second lookup is the cached string");
	char copy[] = "_ZN3net6Server5flushEv";
	const char *r2 = lc_demangle(copy);
	CHECK(r2 != r && r2 && strcmp(r2, r) == 0,
	      "keyed by pointer: another copy of the name is its own entry");

	r = lc_demangle("_ZN3net10table_lockE");
	CHECK(r && strcmp(r, "net::table_lock") == 0, "a namespaced variable");
	r = lc_demangle("_ZN3netL9conn_lockE");
	CHECK(r && strcmp(r, "net::conn_lock") == 0, "a file-static variable");
	r = lc_demangle("_ZL1x");
	CHECK(r && strcmp(r, "x") == 0, "_ZL1x is x (issue 17's example)");
	r = lc_demangle("_ZN12_GLOBAL__N_14lockE");
	CHECK(r && strcmp(r, "(anonymous namespace)::lock") == 0,
	      "an anonymous namespace");
	r = lc_demangle("_ZN3foo3barEi@GLIBCXX_3.4");
	CHECK(r && strcmp(r, "foo::bar") == 0, "an @VERSION suffix is ignored");

	const char *junk = "_Z_not_a_name";
	CHECK(lc_demangle(junk) == junk, "a name that does not demangle is raw");
	CHECK(lc_demangle(junk) == junk, "... and stays raw (cached)");

	CHECK(!lc_limit_was_reached(LC_LIMIT_DEMANGLE_LENGTH) &&
		      !lc_limit_was_reached(LC_LIMIT_DEMANGLE_POOL),
	      "no limit reached so far");
	/* _ZN3aaa...3xxxE: one long qualified name. */
	size_t at = (size_t)snprintf(long_name, sizeof long_name, "_ZN");
	while (at + 5 < sizeof long_name - 2)
		at += (size_t)snprintf(long_name + at, sizeof long_name - at,
				       "3abc");
	snprintf(long_name + at, sizeof long_name - at, "E");
	CHECK(lc_demangle(long_name) == long_name &&
		      lc_limit_was_reached(LC_LIMIT_DEMANGLE_LENGTH),
	      "a name past LC_DEMANGLE_RAW_MAX is raw, the limit said");

	/* Fill the cache with distinct pointers to one name: the entries
	 * above took a few slots, so a few of these find it full. */
	const char *first = NULL;
	int demangled = 0, raw_after_full = 1;
	for (int i = 0; i < FILL; i++) {
		snprintf(many[i], sizeof many[i], "_Z1fv");
		const char *d = lc_demangle(many[i]);
		if (i == 0)
			first = d;
		if (d != many[i])
			demangled += raw_after_full; /* never after a raw one */
		else
			raw_after_full = 0;
	}
	CHECK(demangled >= FILL - 16 && demangled < FILL,
	      "names demangle until the table is full, then stay raw");
	CHECK(lc_limit_was_reached(LC_LIMIT_DEMANGLE_POOL),
	      "the table full: the limit said");
	snprintf(many[FILL], sizeof many[FILL], "_Z1gv");
	CHECK(lc_demangle(many[FILL]) == many[FILL],
	      "a new name past the capacity is raw");
	CHECK(lc_demangle(many[0]) == first && strcmp(first, "f") == 0,
	      "cached names keep their readable form");
	CHECK(strcmp(lc_demangle(fn), "net::Server::flush") == 0,
	      "the first names too");
	CHECK_DONE();
}
