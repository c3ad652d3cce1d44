/*
 * main.c: the lockcheck command: a table of subcommands and nothing else.
 *
 * `lockcheck CMD ARGS...` calls cmd_CMD(argc, argv) with argv[0] == "CMD"
 * and exits with what it returns. A new subcommand is one line in the table
 * plus its file tools/cmd_NAME.c. `help`, `--help` and `--version` are
 * handled here; everything else a subcommand parses itself.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *summary;
} commands[] = {
	{"run", cmd_run, cmd_run_usage,
	 "run a program under the shim and report what it found"},
	{"report", cmd_report, cmd_report_usage,
	 "merge and print report files (.jsonl) of earlier runs"},
	{"dump", cmd_dump, cmd_dump_usage,
	 "show what each thread of a running process holds and waits for"},
	{"order", cmd_order, cmd_order_usage,
	 "learn a global lock order from reports and write an order file"},
	{"graph", cmd_graph, cmd_graph_usage,
	 "draw the merged lock-order graph of reports (DOT or SVG)"},
	{"confirm", cmd_confirm, cmd_confirm_usage,
	 "rerun a program, steering it into a predicted deadlock to prove it"},
	{"help", cmd_help, NULL, "show help for a command"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void overview(FILE *out)
{
	fputs("usage: lockcheck COMMAND [ARGS...]\n"
	      "       lockcheck --help | --version\n"
	      "\n"
	      "lockcheck finds deadlocks and lock-order problems in C/C++ "
	      "programs.\n"
	      "\n"
	      "commands:\n", out);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\n'lockcheck help COMMAND' shows a command's options.\n", out);
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		overview(stdout);
		return 0;
	}
	if (argc > 2)
		return cli_usage_error("help", "too many arguments");
	const struct command *c = find(argv[1]);
	if (!c)
		return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
	if (!c->usage) {
		overview(stdout);
		return 0;
	}
	fputs(c->usage, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(NULL, "no command given");
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		overview(stdout);
		return 0;
	}
	if (!strcmp(name, "--version")) {
		printf("lockcheck %s\n", LOCKCHECK_VERSION);
		return 0;
	}
	const struct command *c = find(name);
	if (!c) {
		if (name[0] == '-')
			return cli_usage_error(NULL, "unknown option '%s'",
					       name);
		return cli_usage_error(NULL, "unknown command '%s'", name);
	}
	int rc = c->fn(argc - 1, argv + 1);
	if (fflush(stdout) != 0 && rc == 0)
		rc = 1; /* e.g. stdout was a full disk: not a success */
	return rc;
}
