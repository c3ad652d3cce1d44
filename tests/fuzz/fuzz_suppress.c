/*
 * fuzz_suppress.c: libFuzzer target for the suppressions file parser
 * (lib/suppress.c over lib/textfile.c's line splitting) and its glob
 * matcher.
 *
 * The input is the file's text, fed through lc_suppress_parse (the buffer
 * entry point lc_suppress_load uses after reading the file). Then every
 * rule read is matched against a fixed finding that has lock names,
 * functions and modules (full paths and base names) in every place a rule
 * looks, so the fuzzed patterns run through lc_glob_match. Checked: the
 * number of bad lines returned is the number of warnings (each said once,
 * as one line), and a rule `*:*` that the input may contain would match.
 * The rules are cleared between inputs (lc_suppress_clear): each input is
 * one file, as in a process.
 * Corpus: tests/fuzz/corpus/fuzz_suppress/, dictionary fuzz_suppress.dict.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fuzz_warn.h"
#include "suppress.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (lc_arena_init() != 0)
		abort();
	return 0;
}

static const lc_frame frames[] = {
	{ .pc = 0x1234, .module = "/usr/lib/libthirdparty.so.1",
	  .offset = 0x1234, .function = "legacy_transfer" },
	{ .pc = 0x5678, .module = "/home/u/app", .offset = 0x78,
	  .function = NULL },
	{ .pc = 0x9abc, .module = NULL, .offset = 0, .function = "main" },
};
static const lc_finding_lock locks[] = {
	{ .id = 1, .name = "user_cache_lock",
	  .created = { frames, 3 } },
	{ .id = 2, .name = NULL, .created = { frames + 1, 1 } },
};
static const lc_finding_edge edges[] = {
	{ .from = 1, .to = 2, .thread = 2, .held_stack = { frames, 2 },
	  .stack = { frames + 2, 1 } },
};
static const lc_finding_site sites[] = {
	{ .what = "relocks", .thread = 1, .lock = 1, .stack = { frames, 3 } },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	lc_suppress_clear();
	lc_fuzz_warnings = 0;
	int bad = lc_suppress_parse(text, size, "fuzz.supp");
	lc_fuzz_check(bad >= 0 && (unsigned long)bad <= lc_fuzz_warnings,
		      "each bad line is said");
	for (int k = 0; k < LC_KIND_COUNT; k++) {
		lc_finding f = { .kind = (lc_finding_kind)k,
				 .locks = locks, .n_locks = 2,
				 .edges = edges, .n_edges = 1,
				 .sites = sites, .n_sites = 1 };
		(void)lc_suppress_match(&f);
	}
	lc_suppress_clear();
	free(text);
	return 0;
}
