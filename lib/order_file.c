/*
 * order_file.c: loading a declared order and looking identities up in it
 * (see order_file.h). The file is read by textfile.c; identities are kept in
 * an open-addressing table of pointers into its text.
 *
 * The tables are allocated once, at the first load, and a later load (or
 * lc_order_file_clear) empties them entry by entry, newest first: with linear
 * probing, removing the newest entry never breaks the probe chain of an older
 * one. So a process that parses many texts (tests/fuzz/) does not take a
 * fresh 2.5 MB of arena each time.
 */
#include "order_file.h"

#include <string.h>

#include "arena.h"
#include "describe.h"
#include "textfile.h"
#include "warn.h"

#define TABLE_SLOTS (2 * LC_ORDER_FILE_MAX)

static const char **by_position; /* 1-based */
static struct slot {
	const char *identity;
	int position;
} *table;
static int n_identities;

int lc_order_file_active(void)
{
	return n_identities > 0;
}

static uint32_t slot_of(const char *identity)
{
	return (uint32_t)lc_hash_str(LC_HASH_START, identity) & (TABLE_SLOTS - 1);
}

int lc_order_file_position(const char *identity)
{
	if (!table)
		return -1;
	for (uint32_t i = slot_of(identity);; i = (i + 1) & (TABLE_SLOTS - 1)) {
		if (!table[i].identity)
			return -1;
		if (strcmp(table[i].identity, identity) == 0)
			return table[i].position;
	}
}

const char *lc_order_file_identity(int position)
{
	return position >= 1 && position <= n_identities ? by_position[position]
							 : NULL;
}

/* One load: the name for messages, and whether the capacity was said (said
 * once per load, not once per line beyond it). */
struct load {
	const char *path;
	int full_said;
};

/* Does line look like a demangled C++ name, whose spaces are its own
 * ("(anonymous namespace)::lock", "pool<int, 4>::lock")? Any other line with
 * a space is taken for several identities on one line, a mistake. */
static int cxx_name(const char *line)
{
	return strstr(line, "::") || strchr(line, '<') || strchr(line, '(');
}

/* Adds one line's identity; 0, or -1 for a bad line (said). The echo of the
 * line is cut so that a message stays one short line. */
static int add_line(char *line, unsigned number, void *arg)
{
	struct load *ld = arg;
	const char *path = ld->path;
	if (strchr(line, '\t') || (strchr(line, ' ') && !cxx_name(line))) {
		lc_warn("order_file %s:%u: '%.100s': one lock identity per line "
			"(skipped)", path, number, line);
		return -1;
	}
	if (lc_order_file_position(line) > 0) {
		lc_warn("order_file %s:%u: '%.100s' is listed twice (the first "
			"place counts)", path, number, line);
		return -1;
	}
	if (n_identities == LC_ORDER_FILE_MAX) {
		if (!ld->full_said)
			lc_warn("order_file %s:%u: more than %d locks; the rest "
				"are not read", path, number,
				LC_ORDER_FILE_MAX);
		ld->full_said = 1;
		return 0;
	}
	int position = ++n_identities;
	by_position[position] = line;
	uint32_t i = slot_of(line);
	while (table[i].identity)
		i = (i + 1) & (TABLE_SLOTS - 1);
	table[i] = (struct slot){ line, position };
	return 0;
}

void lc_order_file_clear(void)
{
	for (; n_identities > 0; n_identities--) {
		const char *identity = by_position[n_identities];
		uint32_t i = slot_of(identity);
		while (table[i].identity != identity)
			i = (i + 1) & (TABLE_SLOTS - 1);
		table[i] = (struct slot){ NULL, 0 };
		by_position[n_identities] = NULL;
	}
}

/* Empty tables for a new load; -1 when the arena has no room for them. */
static int prepare(void)
{
	if (!table) {
		table = lc_arena_alloc(sizeof(*table) * TABLE_SLOTS);
		by_position = lc_arena_alloc(sizeof(*by_position) *
					     (LC_ORDER_FILE_MAX + 1));
		if (!table || !by_position) {
			table = NULL;
			return -1;
		}
	}
	lc_order_file_clear();
	return 0;
}

int lc_order_file_load(const char *path)
{
	if (prepare() < 0)
		return 1;
	struct load ld = { path, 0 };
	int bad = lc_textfile_lines(path, "order_file", LC_ORDER_FILE_BYTES,
				    add_line, &ld);
	return bad < 0 ? 1 : bad;
}

int lc_order_file_parse(char *text, size_t len, const char *name)
{
	if (prepare() < 0)
		return 1;
	struct load ld = { name, 0 };
	return lc_textfile_parse(text, len, "order_file", name, add_line, &ld);
}
