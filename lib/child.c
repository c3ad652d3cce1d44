/*
 * child.c: programs started without the shim, said in the log (child.h).
 *
 * The event:
 *   {"event":"unchecked-child","pid":P,"call":"execve","why":"...",
 *    "path":"...","argv":[...]}           (+ "child":C for a spawn)
 * pid is the caller (for an exec, the process the new program replaces:
 * its log then ends without an end event, and this line says why); why is
 * one of
 *   "LD_PRELOAD removed"                  the variable is gone
 *   "lockcheck removed from LD_PRELOAD"   it is there without this library
 *   "LOCKCHECK_OPTIONS removed"           checked, but with no log
 *   "static executable"                   no dynamic loader, no preload
 *   "set-user-ID or set-group-ID program" the loader ignores LD_PRELOAD
 * A child is only judged to lose what this process had: a process that got
 * the shim some other way (/etc/ld.so.preload) or ran without options
 * cannot lose them.
 *
 * Async-signal-safe (see child.h): state is written once by lc_child_init
 * before any thread; the rest reads it, builds the line in a stack array
 * (argv is cut, never the line's syntax, when it does not fit) and reads
 * an executable's ELF header with raw system calls.
 */
#define _GNU_SOURCE
#include "child.h"

#include <dlfcn.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "report.h"
#include "sys.h"
#include "warn.h"

/* This library's file name (no directory), as LD_PRELOAD names it. */
static char self_name[256];
static int had_preload, had_options;

/* The value of variable name in env, or NULL. */
static const char *env_get(char *const env[], const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			return env[i] + n + 1;
	return NULL;
}

/* Does an LD_PRELOAD value (entries separated by ':' or ' ') name this
 * library, by any path? */
static int names_self(const char *value)
{
	size_t self = strlen(self_name);
	while (value && *value) {
		size_t len = strcspn(value, ": ");
		const char *base = value;
		for (size_t i = 0; i < len; i++)
			if (value[i] == '/')
				base = value + i + 1;
		if ((size_t)(value + len - base) == self &&
		    memcmp(base, self_name, self) == 0)
			return 1;
		value += len;
		value += *value != '\0';
	}
	return 0;
}

void lc_child_init(void)
{
	Dl_info info;
	if (dladdr((void *)lc_child_init, &info) && info.dli_fname) {
		const char *slash = strrchr(info.dli_fname, '/');
		snprintf(self_name, sizeof self_name, "%s",
			 slash ? slash + 1 : info.dli_fname);
	}
	had_preload = self_name[0] && names_self(getenv("LD_PRELOAD"));
	had_options = getenv("LOCKCHECK_OPTIONS") != NULL;
}

/* The file an exec of path runs: path itself, or its first match in the
 * caller's PATH (search, no '/'), into out. 0, or -1 when not found. */
static int resolve(const char *path, int search, char *out, size_t cap)
{
	if (!search || strchr(path, '/')) {
		if (strlen(path) >= cap)
			return -1;
		strcpy(out, path);
		return 0;
	}
	const char *dirs = env_get(environ, "PATH");
	if (!dirs)
		dirs = "/bin:/usr/bin";
	while (*dirs) {
		size_t len = strcspn(dirs, ":");
		size_t plen = strlen(path);
		if (len + plen + 2 <= cap) {
			memcpy(out, len ? dirs : ".", len ? len : 1);
			size_t at = len ? len : 1;
			out[at] = '/';
			memcpy(out + at + 1, path, plen + 1);
			if (access(out, X_OK) == 0)
				return 0;
		}
		dirs += len;
		dirs += *dirs != '\0';
	}
	return -1;
}

/* Why the file an exec runs cannot get the shim whatever its environment
 * says, or NULL: an ELF executable without a program interpreter (static:
 * no loader, no preload), or a set-user-ID or set-group-ID program (the
 * loader ignores LD_PRELOAD for it, and the shim would ignore its
 * options). A script, another format or an unreadable file is neither. */
static const char *program_why(const char *file)
{
	int fd = lc_sys_open(file, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	struct stat st;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[64];
	const char *why = NULL;
	/* The loader runs it in secure mode (AT_SECURE) only when it changes
	 * the caller's ids: root running a set-user-ID root program is not. */
	if (fstat(fd, &st) == 0 &&
	    (((st.st_mode & S_ISUID) && st.st_uid != getuid()) ||
	     ((st.st_mode & S_ISGID) && st.st_gid != getgid())))
		why = "set-user-ID or set-group-ID program";
	else if (pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh &&
		 memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
		 eh.e_ident[EI_CLASS] == ELFCLASS64 &&
		 eh.e_phentsize == sizeof(Elf64_Phdr) && eh.e_phnum > 0 &&
		 eh.e_phnum <= 64) {
		size_t size = eh.e_phnum * sizeof(Elf64_Phdr);
		if (pread(fd, ph, size, (off_t)eh.e_phoff) == (ssize_t)size) {
			why = "static executable";
			for (unsigned i = 0; i < eh.e_phnum; i++)
				if (ph[i].p_type == PT_INTERP)
					why = NULL;
		}
	}
	lc_sys_close(fd);
	return why;
}

/* Why a program started with env, from file, is unchecked, or NULL. */
static const char *unchecked_why(char *const env[], const char *file)
{
	if (had_preload) {
		const char *preload = env_get(env, "LD_PRELOAD");
		if (!preload)
			return "LD_PRELOAD removed";
		if (!names_self(preload))
			return "lockcheck removed from LD_PRELOAD";
	}
	if (had_options && !env_get(env, "LOCKCHECK_OPTIONS"))
		return "LOCKCHECK_OPTIONS removed";
	return had_preload && file ? program_why(file) : NULL;
}

/* A line built in a fixed array: appends that do not fit set `full` and
 * leave the text as it was. */
typedef struct line {
	char *p;
	size_t len, cap;
	int full;
} line;

static void put(line *l, const char *s, size_t n)
{
	if (l->full || l->len + n > l->cap) {
		l->full = 1;
		return;
	}
	memcpy(l->p + l->len, s, n);
	l->len += n;
}

static void puts_(line *l, const char *s)
{
	put(l, s, strlen(s));
}

/* A JSON string, all or nothing. */
static void put_string(line *l, const char *s)
{
	size_t start = l->len;
	put(l, "\"", 1);
	for (; s && *s && !l->full; s++) {
		unsigned char ch = (unsigned char)*s;
		char esc[8];
		if (ch == '"' || ch == '\\') {
			esc[0] = '\\';
			esc[1] = (char)ch;
			put(l, esc, 2);
		} else if (ch < 0x20 || ch == 0x7f) {
			snprintf(esc, sizeof esc, "\\u%04x", ch);
			put(l, esc, 6);
		} else {
			put(l, (const char *)s, 1);
		}
	}
	put(l, "\"", 1);
	if (l->full)
		l->len = start;
}

void lc_child_check(const char *call, const char *path, int search,
		    char *const argv[], char *const envp[], int child)
{
	char file[1024];
	if (!path)
		return;
	const char *why = unchecked_why(
		envp ? envp : environ,
		resolve(path, search, file, sizeof file) == 0 ? file : NULL);
	if (!why)
		return;
	char text[8192], num[64];
	/* Room kept for the closing "]}\n" whatever argv does. */
	line l = { text, 0, sizeof text - 4, 0 };
	snprintf(num, sizeof num, "{\"event\":\"unchecked-child\",\"pid\":%d",
		 (int)getpid());
	puts_(&l, num);
	if (child > 0) {
		snprintf(num, sizeof num, ",\"child\":%d", child);
		puts_(&l, num);
	}
	puts_(&l, ",\"call\":");
	put_string(&l, call);
	puts_(&l, ",\"why\":");
	put_string(&l, why);
	puts_(&l, ",\"path\":");
	put_string(&l, path);
	if (l.full)
		return; /* a path too long to say is not said cut */
	puts_(&l, ",\"argv\":[");
	for (size_t i = 0; argv && argv[i] && !l.full; i++) {
		size_t before = l.len;
		if (i)
			put(&l, ",", 1);
		put_string(&l, argv[i]);
		if (l.full)
			l.len = before;
	}
	l.full = 0;
	l.cap = sizeof text;
	puts_(&l, "]}\n");
	if (lc_report_line_unlocked(text, l.len) != 0)
		lc_warn("%s %s: started without lockcheck (%s): it is not "
			"checked", call, path, why);
}
