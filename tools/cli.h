/*
 * cli.h: what the pieces of the lockcheck command share.
 *
 * main.c holds the subcommand table and nothing else; each subcommand is one
 * function cmd_NAME(argc, argv) in tools/cmd_NAME.c, with argv[0] the
 * subcommand's name, returning the process exit status. Each also exports its
 * usage text (cmd_NAME_usage), which `lockcheck help NAME` and
 * `lockcheck NAME --help` print. cli.c holds the small helpers every
 * subcommand needs: uniform usage errors and option matching.
 *
 * Exit statuses of lockcheck itself: 0 success, 1 bad input (a report line
 * that could not be read; for `dump`, a process not set up for a dump or
 * giving none), 2 usage error; `run` exits with the program's own status or
 * the findings exit code (CONTRACT.md).
 */
#ifndef LC_TOOLS_CLI_H
#define LC_TOOLS_CLI_H

#include <stdio.h>

#include "read.h"

#ifndef LOCKCHECK_VERSION
#define LOCKCHECK_VERSION "0.1.0"
#endif

/* Exit status for usage errors. */
#define CLI_USAGE 2
/* The findings exit code (CONTRACT.md): `run`'s default, and `report
 * --baseline`'s when an error finding is new. */
#define CLI_FINDINGS 66

/* `lockcheck run [options] -- PROGRAM ARGS...`: runs PROGRAM under the
 * shim, prints the merged report on stderr, returns the program's status or
 * the findings exit code. Installs signal handlers for its duration and
 * changes its own environment (LD_PRELOAD, LOCKCHECK_OPTIONS): call once per
 * process. */
int cmd_run(int argc, char **argv);
/* `lockcheck report [options] FILE|DIR...`: prints the merged report on
 * stdout (or -o FILE) as text, json, sarif, junit or html; returns 0, 1
 * (some input unreadable, FILE not writable, a baseline unreadable),
 * CLI_FINDINGS (--baseline: a new error finding) or CLI_USAGE. */
int cmd_report(int argc, char **argv);
/* `lockcheck dump [--timeout SEC] PID`: signals a running process under the
 * shim (its dump_signal) and prints the "dump" event it writes to its log:
 * what each thread holds and waits for. Returns 0, 1 (the process is not set
 * up for a dump, or gave none in time) or CLI_USAGE. */
int cmd_dump(int argc, char **argv);
/* `lockcheck order [-o FILE] REPORT|DIR...`: merges the lock-order graphs
 * of the reports by lock identity and writes an order file (the shim's
 * order_file=) that the fewest, rarest edges go against, naming those edges
 * in the file and on stderr. Returns 0, 1 (some input unreadable, no graph
 * event, FILE not writable) or CLI_USAGE. */
int cmd_order(int argc, char **argv);
/* `lockcheck graph [--format dot|svg] [-o FILE] REPORT|DIR...`: draws the
 * lock-order graphs of the reports merged by lock identity, with the
 * reported cycles highlighted, as DOT or (through Graphviz's dot) SVG.
 * Returns 0, 1 (some input unreadable, nothing to draw, dot missing or
 * failed, FILE not writable) or CLI_USAGE. */
int cmd_graph(int argc, char **argv);
/* `lockcheck confirm`: rerun a program steered into its predicted
 * deadlocks (cmd_confirm.c). */
int cmd_confirm(int argc, char **argv);

/* Each command's full usage text, for `help CMD` and `CMD --help`. */
extern const char cmd_run_usage[];
extern const char cmd_report_usage[];
extern const char cmd_dump_usage[];
extern const char cmd_order_usage[];
extern const char cmd_graph_usage[];
extern const char cmd_confirm_usage[];

/* Prints ONE line to stderr: "lockcheck CMD: MESSAGE (try 'lockcheck help
 * CMD')" (cmd NULL: "lockcheck: MESSAGE (try 'lockcheck --help')") and
 * returns CLI_USAGE, so that callers can `return cli_usage_error(...)`. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Matches argv[*i] against an option that takes a value, spelled
 * `--long VALUE`, `--long=VALUE`, or (short non-NULL, e.g. "-o") `-o VALUE`
 * and `-oVALUE`. Returns 1 and sets *value (advancing *i past a separate
 * value), 0 when argv[*i] is another option, -1 when the value is missing
 * (a usage error for the caller to report). */
int cli_opt_value(int argc, char **argv, int *i, const char *long_name,
		  const char *short_name, const char **value);

/* The -o/--output FILE option at argv[*i]: returns 1 and sets *output, 0
 * when argv[*i] is another option, or -1 with *status set to the usage
 * error's exit code (FILE missing or empty). */
int cli_opt_output(const char *cmd, int argc, char **argv, int *i,
		   const char **output, int *status);

/* Starts set (lc_read_init, messages prefixed with prog) and reads every
 * report file or directory argv[first..argc) into it. */
void cli_read_inputs(lc_report_set *set, const char *prog, int argc,
		     char **argv, int first);

/* As cli_read_inputs, and judges the cycles of the whole suite read
 * (tools/suite.c): each graph event is folded into the suite merge as it
 * is read and released (kept in set->graphs too when keep_graphs), and the
 * suite findings are added to set->findings at the end. */
void cli_read_suite(lc_report_set *set, const char *prog, int argc,
		    char **argv, int first, int keep_graphs);

/* Checks that option opt of command cmd names a directory (path): returns
 * 0, or CLI_USAGE after a one-line usage error. */
int cli_check_dir(const char *cmd, const char *opt, const char *path);

/* Finds the shim beside this executable: the build tree
 * (tools/../preload/) first, then the installed layout (bin/../lib/).
 * Returns a malloc'd absolute path, or NULL (a message naming command cmd
 * printed). */
char *cli_find_shim(const char *cmd);

/* Does s hold ':' or ',', LOCKCHECK_OPTIONS's separators (so that it
 * cannot be an option's value)? */
int cli_has_separator(const char *s);

/* Parses a colour mode "auto", "always" or "never" for output stream fp:
 * returns 1 (colour), 0 (none), or -1 for an unknown mode. auto means: fp is
 * a terminal and NO_COLOR is unset or empty. */
int cli_color(const char *mode, FILE *fp);

struct lc_baseline;

/* What `lockcheck run` asks of its report besides the text. */
struct report_extra {
	struct lc_baseline *baseline; /* --baseline (baseline.h), or NULL */
	const char *sarif;            /* --sarif FILE: the SARIF too, or NULL */
	const char *source_root;      /* SARIF locations' root; NULL: cwd */
	int failed;                   /* out: the SARIF could not be written
				       * (a message was printed) */
};

/* Prints the merged, de-duplicated report of set as text to out (one block
 * per distinct finding, showing its highest-severity occurrence, with a
 * "(seen N times ...; M instances)" line for repeats across processes and
 * lock instances, one summary line ending ", N suppressed" when the end
 * events counted suppressed findings), and with x (may be NULL) compares
 * it with a baseline and writes SARIF too. Returns the number of distinct
 * error findings (only the new ones with a baseline), or -1 when out of
 * memory (a message has been printed). Defined in cmd_report.c. */
int report_print_text(FILE *out, const lc_report_set *set,
		      struct report_extra *x, int color);

#endif
