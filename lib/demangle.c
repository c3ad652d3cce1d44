/*
 * demangle.c: the cache of demangled names (see demangle.h).
 *
 * Layout. One anonymous mapping, made at the first mangled name, holds an
 * open-addressing table of LC_DEMANGLE_SLOTS (raw pointer -> readable name)
 * and a bump pool of LC_DEMANGLE_POOL_BYTES for the readable names. A name
 * that does not demangle is cached as itself, so it is tried once. Nothing is
 * ever removed: the names are few (the functions of the stacks reported and
 * the global locks), and every pointer handed out must stay valid.
 *
 * Demangling writes through the callback straight into the pool's free end
 * and is committed (NUL added, bump moved) only when it succeeded and fit, so
 * a failure leaves no trace. The "@VERSION" suffix of a .symtab name is cut
 * off first, into a stack copy of at most LC_DEMANGLE_RAW_MAX bytes.
 *
 * Capacity policy: the table is full at 3/4 of its slots (probing stays
 * short); then, or when the pool has no room for a name, or for a name longer
 * than LC_DEMANGLE_RAW_MAX, the raw name is returned and the limit is said
 * once (LC_LIMIT_DEMANGLE_POOL, _LENGTH). If the mapping cannot be made, names stay raw
 * and the memory limit is said.
 */
#define _GNU_SOURCE
#include "demangle.h"

#include <libiberty/demangle.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "limit.h"

struct slot {
	const char *raw;      /* NULL: empty */
	const char *readable; /* raw itself when it does not demangle */
};

static struct slot *slots;
static char *pool;
static size_t pool_used;
static unsigned n_slots_used;
static int map_failed;

/* Where a demangling in progress writes: the pool's free end. */
struct sink {
	char *at;
	size_t len, room;
	int overflow;
};

static void put(const char *s, size_t n, void *arg)
{
	struct sink *k = arg;
	if (k->overflow || n > k->room - k->len) {
		k->overflow = 1;
		return;
	}
	memcpy(k->at + k->len, s, n);
	k->len += n;
}

static int map_once(void)
{
	if (slots)
		return 0;
	if (map_failed)
		return -1;
	size_t table = sizeof(struct slot) * LC_DEMANGLE_SLOTS;
	void *p = mmap(NULL, table + LC_DEMANGLE_POOL_BYTES,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	if (p == MAP_FAILED) {
		map_failed = 1;
		lc_limit_reached(LC_LIMIT_MEMORY, 0);
		return -1;
	}
	slots = p;
	pool = (char *)p + table;
	return 0;
}

/* Demangles raw into the pool; the pool copy, or raw when it cannot. */
static const char *demangle_new(const char *raw)
{
	char base[LC_DEMANGLE_RAW_MAX + 1];
	const char *at = strchr(raw, '@');
	size_t len = at ? (size_t)(at - raw) : strlen(raw);
	if (len > LC_DEMANGLE_RAW_MAX) {
		lc_limit_reached(LC_LIMIT_DEMANGLE_LENGTH, LC_DEMANGLE_RAW_MAX);
		return raw;
	}
	memcpy(base, raw, len);
	base[len] = '\0';
	/* Room for the name and its NUL. */
	size_t room = LC_DEMANGLE_POOL_BYTES - pool_used;
	struct sink k = { pool + pool_used, 0, room ? room - 1 : 0, 0 };
	if (!cplus_demangle_v3_callback(base, DMGL_NO_OPTS, put, &k) ||
	    k.len == 0)
		return raw;
	if (k.overflow) {
		lc_limit_reached(LC_LIMIT_DEMANGLE_POOL, LC_DEMANGLE_POOL_BYTES);
		return raw;
	}
	k.at[k.len] = '\0';
	pool_used += k.len + 1;
	return k.at;
}

const char *lc_demangle(const char *raw)
{
	/* C names, and everything else that is not an Itanium C++ name, are
	 * shown as they are: the common case costs two compares. */
	if (!raw || raw[0] != '_' || raw[1] != 'Z')
		return raw;
	if (map_once() < 0)
		return raw;
	uintptr_t h = (uintptr_t)raw;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 32) & (LC_DEMANGLE_SLOTS - 1);
	for (;; i = (i + 1) & (LC_DEMANGLE_SLOTS - 1)) {
		if (slots[i].raw == raw)
			return slots[i].readable;
		if (!slots[i].raw)
			break;
	}
	if (n_slots_used >= LC_DEMANGLE_SLOTS / 4 * 3) {
		lc_limit_reached(LC_LIMIT_DEMANGLE_POOL,
				 LC_DEMANGLE_SLOTS / 4 * 3);
		return raw;
	}
	const char *readable = demangle_new(raw);
	slots[i] = (struct slot){ raw, readable };
	n_slots_used++;
	return readable;
}
