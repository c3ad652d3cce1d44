/*
 * cli.c: helpers shared by the subcommands: usage errors, option matching,
 * colour modes, finding the shim.
 *
 * A usage error is always one line on stderr that says what is wrong and
 * where to look, so that a script's log shows the cause without the whole
 * usage text drowning it. Options are matched by hand rather than with
 * getopt_long: getopt prints its own messages in its own words (breaking the
 * one-line rule), and `run` must stop at the first word of the program.
 */
#include "cli.h"
#include "suite.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs(cmd ? "lockcheck " : "lockcheck", stderr);
	if (cmd)
		fputs(cmd, stderr);
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, " (try 'lockcheck help %s')\n", cmd);
	else
		fputs(" (try 'lockcheck --help')\n", stderr);
	return CLI_USAGE;
}

int cli_opt_value(int argc, char **argv, int *i, const char *long_name,
		  const char *short_name, const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(long_name);
	if (!strncmp(a, long_name, n) && (a[n] == '=' || a[n] == '\0')) {
		if (a[n] == '=') {
			*value = a + n + 1;
			return 1;
		}
	} else if (short_name && !strncmp(a, short_name, 2)) {
		if (a[2]) {
			*value = a + 2;
			return 1;
		}
	} else {
		return 0;
	}
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

int cli_opt_output(const char *cmd, int argc, char **argv, int *i,
		   const char **output, int *status)
{
	const char *v;
	int r = cli_opt_value(argc, argv, i, "--output", "-o", &v);
	if (r == 0)
		return 0;
	if (r < 0 || !*v) {
		*status = cli_usage_error(cmd, "-o needs a file name");
		return -1;
	}
	*output = v;
	return 1;
}

void cli_read_inputs(lc_report_set *set, const char *prog, int argc,
		     char **argv, int first)
{
	lc_read_init(set, prog);
	for (int i = first; i < argc; i++)
		lc_read_path(set, argv[i]);
}

void cli_read_suite(lc_report_set *set, const char *prog, int argc,
		    char **argv, int first, int keep_graphs)
{
	lc_suite *suite = lc_suite_new(prog);
	lc_read_init(set, prog);
	lc_suite_attach(suite, set, keep_graphs);
	for (int i = first; i < argc; i++)
		lc_read_path(set, argv[i]);
	lc_suite_judge(suite, set);
	lc_suite_free(suite);
	set->graph_sink = NULL;
	set->graph_arg = NULL;
}

int cli_check_dir(const char *cmd, const char *opt, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return cli_usage_error(cmd, "%s %s: %s", opt, path,
				       strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cli_usage_error(cmd, "%s %s: not a directory", opt,
				       path);
	return 0;
}

int cli_color(const char *mode, FILE *fp)
{
	if (!strcmp(mode, "always"))
		return 1;
	if (!strcmp(mode, "never"))
		return 0;
	if (!strcmp(mode, "auto")) {
		const char *no = getenv("NO_COLOR");
		if (no && *no)
			return 0;
		return isatty(fileno(fp)) ? 1 : 0;
	}
	return -1;
}

/* Finds the shim beside this executable: the build tree
 * (tools/../preload/) first, then the installed layout (bin/../lib/).
 * Returns a malloc'd absolute path, or NULL (message printed). */
char *cli_find_shim(const char *cmd)
{
	static const char *const rel[] = {"/../preload/liblockcheck.so",
					  "/../lib/liblockcheck.so"};
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		fprintf(stderr, "lockcheck %s: cannot find my own executable "
			"(/proc/self/exe): %s\n", cmd, strerror(errno));
		return NULL;
	}
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		char path[PATH_MAX + 64];
		snprintf(path, sizeof(path), "%s%s", self, rel[i]);
		if (access(path, R_OK) == 0) {
			char *abs = realpath(path, NULL);
			if (abs)
				return abs;
		}
	}
	fprintf(stderr, "lockcheck %s: the shim liblockcheck.so is in neither "
		"%s/../preload/ nor %s/../lib/ (build it with 'make' or "
		"install lockcheck)\n", cmd, self, self);
	return NULL;
}

int cli_has_separator(const char *s)
{
	return strpbrk(s, ":,") != NULL;
}
