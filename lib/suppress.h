/*
 * suppress.h: suppressions (the `suppressions` option).
 *
 * A file of rules, one per line: `kind:pattern`, where kind is a finding kind
 * of the contract or `*`, and pattern a glob (`*` any run of characters, `?`
 * one character) matched against every function name and every module (full
 * path or file name) in the finding's stacks, and every lock name and lock
 * class of the finding (`@make_account+0x1b`, or `@make_account*` for every
 * class made in that function). C++ names match demangled
 * (`net::Server::flush`, `net::table_lock`) or raw (`_ZN3net6Server5flushEv`,
 * `_ZN3net10table_lockE`); a class key only demangled. A finding that a rule
 * matches is not written. '#' starts a
 * comment; blank lines are skipped; a bad line is reported on stderr (file
 * and line) and skipped. The file is read once, at start-up.
 *
 * Capacity policy: LC_SUPPRESS_MAX rules and LC_SUPPRESS_BYTES of file; the
 * rest is not read, said once.
 */
#ifndef LC_SUPPRESS_H
#define LC_SUPPRESS_H

#include <stddef.h>

#include "finding.h"

#define LC_SUPPRESS_MAX 1024
#define LC_SUPPRESS_BYTES (256 * 1024)

/* Reads the rules of path. Returns the number of bad lines (each said). */
int lc_suppress_load(const char *path);
/* Reads rules from text[0, len) (text[len] writable), named `name` in
 * messages. The rules point into text, which must outlive them. Returns the
 * number of bad lines. Start-up only (not thread safe), like load. */
int lc_suppress_parse(char *text, size_t len, const char *name);
/* Forgets every rule read so far (tests, fuzzers). Not thread safe. */
void lc_suppress_clear(void);
/* Does a rule match f? */
int lc_suppress_match(const lc_finding *f);
/* Glob match of text against pattern (`*`, `?`); exported for tests. */
int lc_glob_match(const char *pattern, const char *text);

#endif
