/*
 * order_file.h: a declared lock order (the `order_file` option).
 *
 * One lock identity per line, earlier lines first; '#' starts a comment. A
 * lock's identity (lc_describe_order_key) is its name (its symbol, or the
 * name given with lockcheck_name), or for an anonymous lock "@" and the
 * function that created or first used it ("@<module>+0x<offset>" when that
 * site has no symbol). `lockcheck order` writes such files from runs. C++
 * names may be written demangled ("net::table_lock", with the spaces the
 * demangler writes: "(anonymous namespace)::lock") or mangled
 * ("_ZN3net10table_lockE"): the shim looks both forms up (detect_rank.c).
 *
 * Capacity policy: LC_ORDER_FILE_MAX identities and LC_ORDER_FILE_BYTES of
 * file; the rest is not read, said once. A duplicate line is said and skipped.
 */
#ifndef LC_ORDER_FILE_H
#define LC_ORDER_FILE_H

#include <stddef.h>

#define LC_ORDER_FILE_MAX 65536
#define LC_ORDER_FILE_BYTES (4 * 1024 * 1024)

/* Reads the file, replacing any order loaded before. Returns the number of
 * bad lines (each said on stderr). Start-up only: not thread safe. */
int lc_order_file_load(const char *path);
/* The same from text[0, len) (text[len] writable), named `name` in messages;
 * the identities point into text, which must outlive them. */
int lc_order_file_parse(char *text, size_t len, const char *name);
/* Forgets the order (no file in force). Not thread safe. */
void lc_order_file_clear(void);
/* Is an order file in force? */
int lc_order_file_active(void);
/* The 1-based line position of an identity, or -1 if it is not listed.
 * Read-only after loading: any thread, no lock. */
int lc_order_file_position(const char *identity);
/* The identity at a position (for messages), or NULL. */
const char *lc_order_file_identity(int position);

#endif
