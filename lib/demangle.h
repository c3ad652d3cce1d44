/*
 * demangle.h: readable C++ names for the shim, without malloc.
 *
 * A C++ user must read "net::Server::flush" and "net::table_lock" where the
 * ELF symbol tables say "_ZN3net6Server5flushEv" and "_ZN3net10table_lockE".
 * The shim runs inside someone else's program, under its own locks, so the
 * demangler is libiberty's cplus_demangle_v3_callback (linked statically into
 * the shim): it allocates nothing and writes through a callback. Its results
 * are kept in a pool of memory the shim maps itself, cached by the raw name's
 * pointer: the symbolizer's raw names point into mapped string tables that
 * stay for the life of the process, so one pointer is one name forever.
 *
 * The form: without parameters and without return types (DMGL_PARAMS off),
 * "ns::Class::method", not "ns::Class::method(int) const". A lock is a
 * variable, which has none; a frame is always shown with its module+offset
 * (and the JSON keeps the raw symbol), which tells overloads apart, while the
 * short form keeps stacks and lock keys readable and the same across
 * overloads' call sites. A function-local static keeps its function's
 * parameters, as the demangler writes them: "net::flush()::m".
 */
#ifndef LC_DEMANGLE_H
#define LC_DEMANGLE_H

#include <stddef.h>

/* Mangled names longer than this are shown as they are: the demangler's
 * stack use grows with the name (about 72 bytes a character), and the shim
 * runs on the program's threads' stacks. */
#define LC_DEMANGLE_RAW_MAX 256
/* Bytes of demangled names kept, and names cached (a power of two). */
#define LC_DEMANGLE_POOL_BYTES (256 * 1024)
#define LC_DEMANGLE_SLOTS 8192

/* The readable form of symbol name raw: raw demangled when it is a mangled
 * C++ name ("_Z...", an "@VERSION" suffix ignored) that libiberty demangles,
 * else raw itself (C names, failures). When the pool or the cache is full, or
 * raw is longer than LC_DEMANGLE_RAW_MAX, raw itself too, and the limit is
 * said once (limit.h). NULL gives NULL. The result lives as long as raw does
 * (the pool is never freed). Not thread safe: callers serialise (the
 * symbolizer's lock). No malloc, no stdio. */
const char *lc_demangle(const char *raw);

#endif
