/*
 * options.c: the one table of LOCKCHECK_OPTIONS keys and their parser.
 *
 * Each key names its type, its place in lc_options and its bounds; parsing is
 * generic over the table.
 *
 * Every entry is bounded: one longer than LC_PATH_MAX, or a path value that
 * would not fit its field with the suffixes added to it, is one warning and
 * ignored. Messages quote the offending text through shown(): cut short and
 * with control characters replaced, so that a bad entry (the environment may
 * hold anything, newlines and escape sequences included) is always one
 * readable line.
 */
#include "options.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "warn.h"

lc_options lc_opt;

typedef enum { OPT_INT, OPT_BOOL, OPT_PATH, OPT_COLOR } opt_type;

typedef struct opt_def {
	const char *key;
	opt_type type;
	size_t offset;
	long min, max;
} opt_def;

#define AT(field) offsetof(lc_options, field)

static const opt_def opt_table[] = {
	{ "log_path", OPT_PATH, AT(log_path), 0, 0 },
	{ "exitcode", OPT_INT, AT(exitcode), 0, 255 },
	{ "halt_on_error", OPT_BOOL, AT(halt_on_error), 0, 1 },
	{ "abort_on_error", OPT_BOOL, AT(abort_on_error), 0, 1 },
	{ "stack_depth", OPT_INT, AT(stack_depth), 1, LC_STACK_DEPTH_MAX },
	{ "strict_order", OPT_BOOL, AT(strict_order), 0, 1 },
	{ "color", OPT_COLOR, AT(color), 0, 0 },
	{ "print_findings", OPT_BOOL, AT(print_findings), 0, 1 },
	{ "full_stacks", OPT_BOOL, AT(full_stacks), 0, 1 },
	/* In the contract, not yet implemented by this version. */
	{ "suppressions", OPT_PATH, AT(suppressions), 0, 0 },
	{ "order_file", OPT_PATH, AT(order_file), 0, 0 },
	{ "known_ids", OPT_PATH, AT(known_ids), 0, 0 },
	{ "steer", OPT_PATH, AT(steer), 0, 0 },
	{ "wait_report_ms", OPT_INT, AT(wait_report_ms), 0, 86400000 },
	{ "dump_signal", OPT_INT, AT(dump_signal), 0, 64 },
	{ "asleep_check", OPT_BOOL, AT(asleep_check), 0, 1 },
	{ "max_memory_mb", OPT_INT, AT(max_memory_mb), 16, LC_ARENA_BYTES >> 20 },
	{ "log_limit_mb", OPT_INT, AT(log_limit_mb), 0, 1 << 20 },
};

void lc_options_defaults(lc_options *o)
{
	memset(o, 0, sizeof *o);
	o->exitcode = 66;
	o->stack_depth = 16;
	o->color = LC_COLOR_AUTO;
	o->print_findings = 1;
	o->log_limit_mb = 64;
	o->asleep_check = 1;
}

/* Bytes of the input quoted in a message, at most. */
#define SHOWN_MAX 80

/* s made fit to quote in a one-line message: at most SHOWN_MAX bytes
 * ("..." marks a cut), control characters as '?'. Returns out. */
static const char *shown(const char *s, char out[SHOWN_MAX + 4])
{
	size_t n = 0;
	for (; s[n] && n < SHOWN_MAX; n++) {
		unsigned char ch = (unsigned char)s[n];
		out[n] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	if (s[n])
		memcpy(out + n, "...", 3), n += 3;
	out[n] = '\0';
	return out;
}

static const opt_def *find_key(const char *key, size_t len)
{
	for (size_t i = 0; i < sizeof opt_table / sizeof opt_table[0]; i++)
		if (strlen(opt_table[i].key) == len &&
		    memcmp(opt_table[i].key, key, len) == 0)
			return &opt_table[i];
	return NULL;
}

/* Stores value (NUL-terminated) for d into o; 0 or -1 with a message. */
static int set_value(lc_options *o, const opt_def *d, const char *value)
{
	char *field = (char *)o + d->offset;
	char quoted[SHOWN_MAX + 4];
	switch (d->type) {
	case OPT_INT:
	case OPT_BOOL: {
		char *end;
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end || v < d->min || v > d->max) {
			lc_warn("LOCKCHECK_OPTIONS: %s=%s: expected an integer "
				"from %ld to %ld (ignored)",
				d->key, shown(value, quoted), d->min, d->max);
			return -1;
		}
		*(int *)field = (int)v;
		return 0;
	}
	case OPT_PATH:
		if (strlen(value) >= LC_PATH_MAX - 32) {
			lc_warn("LOCKCHECK_OPTIONS: %s: path too long (ignored)",
				d->key);
			return -1;
		}
		strcpy(field, value);
		return 0;
	case OPT_COLOR:
		if (strcmp(value, "auto") == 0)
			*(lc_color *)field = LC_COLOR_AUTO;
		else if (strcmp(value, "always") == 0)
			*(lc_color *)field = LC_COLOR_ALWAYS;
		else if (strcmp(value, "never") == 0)
			*(lc_color *)field = LC_COLOR_NEVER;
		else {
			lc_warn("LOCKCHECK_OPTIONS: color=%s: expected auto, "
				"always or never (ignored)",
				shown(value, quoted));
			return -1;
		}
		return 0;
	}
	return -1;
}

int lc_options_parse(lc_options *o, const char *text)
{
	int bad = 0;
	if (!text)
		return 0;
	const char *p = text;
	char quoted[SHOWN_MAX + 4];
	while (*p) {
		size_t len = strcspn(p, ":,");
		if (len > 0) {
			char item[LC_PATH_MAX];
			if (len >= sizeof item) {
				lc_warn("LOCKCHECK_OPTIONS: entry too long "
					"(ignored)");
				bad++;
			} else {
				memcpy(item, p, len);
				item[len] = '\0';
				char *eq = strchr(item, '=');
				const opt_def *d =
					eq ? find_key(item, (size_t)(eq - item))
					   : NULL;
				if (!eq) {
					lc_warn("LOCKCHECK_OPTIONS: '%s': "
						"expected key=value (ignored)",
						shown(item, quoted));
					bad++;
				} else if (!d) {
					*eq = '\0';
					lc_warn("LOCKCHECK_OPTIONS: unknown key "
						"'%s' (ignored)",
						shown(item, quoted));
					bad++;
				} else if (set_value(o, d, eq + 1) != 0) {
					bad++;
				}
			}
		}
		p += len;
		if (*p)
			p++;
	}
	return bad;
}
