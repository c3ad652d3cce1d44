/*
 * fuzz_steer.c: libFuzzer target for the steering file parser
 * (lib/steer.c over lib/textfile.c's line splitting), the file
 * `lockcheck confirm` writes and the shim's option steer=FILE reads.
 *
 * The input is the file's text, fed through lc_steer_parse. Checked after
 * each: the bad lines returned were said, at most LC_STEER_EDGES edges
 * were kept, each edge's classes are non-empty and hold no tab, newline
 * or '#', the pause range is ordered and at most a minute (its width + 1
 * is a divisor), and steering is on exactly when an
 * edge was read. The edges point into the text: lc_steer_clear forgets
 * them before it is freed.
 * Corpus: tests/fuzz/corpus/fuzz_steer/, dictionary fuzz_steer.dict.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fuzz_warn.h"
#include "steer.h"

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
	int bad = lc_steer_parse(text, size, "fuzz.steer");
	lc_fuzz_check(bad >= 0 && (unsigned long)bad <= lc_fuzz_warnings,
		      "each bad line is said");
	const char *held[LC_STEER_EDGES], *wanted[LC_STEER_EDGES];
	unsigned n = lc_steer_edges(held, wanted, LC_STEER_EDGES);
	lc_fuzz_check(n <= LC_STEER_EDGES, "at most LC_STEER_EDGES edges");
	for (unsigned e = 0; e < n; e++)
		lc_fuzz_check(*held[e] && *wanted[e] &&
				      !strpbrk(held[e], "\t\n#") &&
				      !strpbrk(wanted[e], "\t\n#"),
			      "an edge's classes are one field each");
	unsigned lo, hi;
	lc_steer_pauses(&lo, &hi);
	lc_fuzz_check(lo <= hi && hi <= 60000,
		      "the pause range is ordered, at most a minute");
	lc_fuzz_check(lc_steer_on == (n > 0), "on exactly when an edge was read");
	lc_steer_clear();
	free(text);
	return 0;
}
