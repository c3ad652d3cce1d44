/*
 * baseline.h: `--baseline PATH` of `lockcheck report` and `lockcheck run`:
 * which findings are new since an earlier run.
 *
 * A large codebase that turns lockcheck on has all its findings at once;
 * a baseline lets CI fail on new ones only while the old ones are fixed.
 * The baseline is what an earlier run left: its log directory, one log
 * file, or the JSON report `lockcheck report --format json` wrote. Findings
 * are matched by id (stable across runs and processes, suite-wide cycles
 * included: tools/suite.c gives them the id a process would): a current
 * finding whose id the baseline holds is "unchanged", any other is "new";
 * a baseline finding not seen now is "absent" (the text report's "fixed").
 *
 * Bad baseline input is refused before anything else is done, in one line:
 * a path that does not exist is a usage error, a file that cannot be read
 * or is not a lockcheck report (a malformed line, an empty file, a
 * directory without report files) is exit status 1.
 */
#ifndef LC_TOOLS_BASELINE_H
#define LC_TOOLS_BASELINE_H

#include "read.h"
#include "render.h"

typedef struct lc_baseline {
	lc_report_set set;       /* the baseline's findings, as read */
	/* One per distinct id, sorted by id: shown is the occurrence that
	 * stands for it (the highest severity; a suite finding over the
	 * processes' own), count how many processes wrote it. */
	struct merged *items;
	size_t n;
	struct merged *absent;   /* lc_baseline_apply's absent items */
} lc_baseline;

/* Reads the baseline at path for command cmd ("report", "run": the prefix
 * of its messages). Returns 0, or the exit status to end with (CLI_USAGE
 * for a path that does not exist, 1 for one that cannot be read or holds
 * no lockcheck report) after printing ONE line to stderr; b is then empty
 * (lc_baseline_free is still fine). */
int lc_baseline_load(lc_baseline *b, const char *cmd, const char *path);

/* Marks each item of m (findings of set) new or unchanged, counts them
 * (m->n_new, n_unchanged, new_errors) and points m->absent at the baseline
 * findings not in m that pass the same filter (kinds: mask of 1 << kind, 0
 * for all; min_sev), in the baseline's reading order. m->absent lives as
 * long as b. Out of memory is fatal (a message, exit 1), as in the reader. */
void lc_baseline_apply(lc_baseline *b, const lc_report_set *set,
		       struct merge *m, unsigned kinds, lc_severity min_sev);

/* Frees what b holds. */
void lc_baseline_free(lc_baseline *b);

#endif
