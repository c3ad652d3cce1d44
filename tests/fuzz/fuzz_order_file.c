/*
 * fuzz_order_file.c: libFuzzer target for the order file parser
 * (lib/order_file.c over lib/textfile.c's line splitting) and its
 * identity table.
 *
 * The input is the file's text, fed through lc_order_file_parse (the
 * buffer entry point lc_order_file_load uses after reading the file). The
 * table is then checked against its contract: positions 1..N hold the
 * identities in line order, each one's lookup gives back its position, a
 * name not in the file is free (-1), no identity holds a blank (but the
 * spaces of a demangled C++ name), and the
 * number of bad lines returned was said. The order is cleared after each
 * input (the identities point into its text) with lc_order_file_clear, the
 * clearing a second load does, so that is fuzzed and checked too.
 * Corpus: tests/fuzz/corpus/fuzz_order_file/, dictionary
 * fuzz_order_file.dict.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fuzz_warn.h"
#include "order_file.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (lc_arena_init() != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	lc_fuzz_warnings = 0;
	int bad = lc_order_file_parse(text, size, "fuzz.order");
	lc_fuzz_check(bad >= 0 && (unsigned long)bad <= lc_fuzz_warnings,
		      "each bad line is said");
	int n = 0;
	for (const char *id; (id = lc_order_file_identity(n + 1)); n++) {
		/* A space only inside a demangled C++ name
		 * ("(anonymous namespace)::lock"), as order_file.c takes
		 * them. */
		int cxx = strstr(id, "::") || strchr(id, '<') || strchr(id, '(');
		lc_fuzz_check(*id && !strpbrk(id, "\t#\n") &&
				      (cxx || !strchr(id, ' ')),
			      "an identity is one word, or a demangled name");
		lc_fuzz_check(lc_order_file_position(id) == n + 1,
			      "an identity's lookup gives its line position");
	}
	lc_fuzz_check(lc_order_file_active() == (n > 0),
		      "active exactly when some identity was read");
	lc_fuzz_check(lc_order_file_position("with blank") == -1,
		      "a name that cannot be listed is free");
	/* The identities point into text: forget them before it goes. */
	lc_order_file_clear();
	lc_fuzz_check(!lc_order_file_active() &&
			      lc_order_file_identity(1) == NULL,
		      "clear forgets every identity");
	free(text);
	return 0;
}
