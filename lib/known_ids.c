/*
 * known_ids.c: the known finding ids (known_ids.h), a sorted array of
 * 64-bit values from the arena, searched by bisection. The file comes
 * sorted (the CLI writes it so; a line out of order is said and ignored),
 * so nothing is sorted here. Loaded once at start-up, before any thread of
 * the program can make a finding, and never changed after: reads need no
 * lock.
 */
#include "known_ids.h"

#include <stdint.h>
#include <stdlib.h>

#include "arena.h"
#include "textfile.h"
#include "warn.h"

#define KNOWN_IDS_BYTES ((size_t)4 << 20)

static uint64_t *ids;
static unsigned n_ids;
static int said_full;

/* "lc1-" and exactly 16 hex digits, into *out; 0, or -1. */
static int parse_id(const char *s, uint64_t *out)
{
	if (s[0] != 'l' || s[1] != 'c' || s[2] != '1' || s[3] != '-')
		return -1;
	uint64_t v = 0;
	int digits = 0;
	for (s += 4; *s; s++, digits++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	if (digits != 16)
		return -1;
	*out = v;
	return 0;
}

static int add_line(char *line, unsigned number, void *arg)
{
	const char *path = arg;
	uint64_t v;
	if (parse_id(line, &v) != 0) {
		lc_warn("known_ids %s:%u: not a finding id: '%.60s' (line "
			"ignored)", path, number, line);
		return 1;
	}
	if (!ids)
		ids = lc_arena_alloc(LC_KNOWN_IDS * sizeof *ids);
	if (!ids || n_ids == LC_KNOWN_IDS) {
		if (!said_full)
			lc_warn("known_ids %s: more than %d ids; the rest "
				"halt as new findings would", path,
				LC_KNOWN_IDS);
		said_full = 1;
		return 0;
	}
	if (n_ids && ids[n_ids - 1] >= v) {
		lc_warn("known_ids %s:%u: ids must be sorted and distinct "
			"(line ignored)", path, number);
		return 1;
	}
	ids[n_ids++] = v;
	return 0;
}

int lc_known_ids_load(const char *path)
{
	int bad = lc_textfile_lines(path, "known_ids", KNOWN_IDS_BYTES,
				    add_line, (void *)path);
	return bad;
}

int lc_known_id(const char *id)
{
	uint64_t v;
	if (!id || !n_ids || parse_id(id, &v) != 0)
		return 0;
	unsigned lo = 0, hi = n_ids;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (ids[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n_ids && ids[lo] == v;
}
