/*
 * options.h: LOCKCHECK_OPTIONS, parsed once at start-up.
 *
 * The single table of options lives in options.c; README.md documents each.
 * Syntax: key=value pairs separated by ':' or ','. A bad key or value is one
 * line on stderr and is ignored: the program still runs.
 */
#ifndef LC_OPTIONS_H
#define LC_OPTIONS_H

#define LC_PATH_MAX 4096
#define LC_STACK_DEPTH_MAX 64

typedef enum lc_color { LC_COLOR_AUTO, LC_COLOR_ALWAYS, LC_COLOR_NEVER } lc_color;

typedef struct lc_options {
	char log_path[LC_PATH_MAX]; /* "" = no log file */
	char suppressions[LC_PATH_MAX]; /* "" = none */
	char order_file[LC_PATH_MAX];   /* "" = none */
	char known_ids[LC_PATH_MAX];    /* "" = none (known_ids.h) */
	char steer[LC_PATH_MAX];        /* "" = none (steer.h) */
	int exitcode;
	int halt_on_error;
	int abort_on_error;
	int stack_depth;
	int strict_order;
	lc_color color;
	int print_findings;
	int full_stacks;
	int wait_report_ms;
	int dump_signal;
	int asleep_check;  /* the all-asleep check (detect_asleep.h) */
	int max_memory_mb; /* 0: the arena's full reservation */
	int log_limit_mb;  /* a process's log file bound; 0: none */
} lc_options;

/* The process's options; written only by lc_init before any thread exists. */
extern lc_options lc_opt;

/* Sets every option to its default. */
void lc_options_defaults(lc_options *o);
/* Parses text (may be NULL) into o, on top of what o holds. Returns the number
 * of bad entries, each reported with lc_warn and skipped. Not thread safe. */
int lc_options_parse(lc_options *o, const char *text);

#endif
