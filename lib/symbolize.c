/*
 * symbolize.c: address -> (module, offset, symbol), read from the ELF files.
 *
 * What it does. dl_iterate_phdr() finds the loaded object whose PT_LOAD
 * segments contain the address (p_memsz, so .bss counts); the offset is taken
 * from its load bias (dlpi_addr), which makes it a link-time address: the space
 * st_value and sh_addr live in, for ET_DYN and ET_EXEC (bias 0) alike. The
 * object's file is then mapped read-only and its symbol tables searched,
 * .symtab first (it names static functions and variables in programs built
 * without -rdynamic, which dladdr() cannot), then .dynsym.
 *
 * Why it looks like this.
 * - No malloc, stdio or dlopen: the caller may hold the shim's locks inside a
 *   program whose allocator is locked (or is the thing being debugged). Memory
 *   is static arrays, the file image (open/fstat/mmap/close) and an anonymous
 *   mapping for each sorted symbol index.
 * - Strings live for the life of the process: symbol names point into the
 *   mapped image (string tables end in NUL, checked once), module paths into a
 *   static pool. So nothing is ever unmapped once returned, and the module
 *   table never evicts.
 * - The file on disk may no longer be the object in memory (upgraded package,
 *   rebuilt library, deleted file). Before trusting a file, its PT_LOAD list
 *   and GNU build-id must equal those of the loaded object; otherwise the
 *   module is reported without names rather than with wrong ones. The main
 *   program (dlpi_name "") is opened through /proc/thread-self/exe, the
 *   running inode even when the path was replaced, unless that proves to
 *   be ld.so (started as "ld.so ./prog"): then its path comes from
 *   /proc/thread-self/maps. (thread-self, not self: once the main thread
 *   has ended with pthread_exit, /proc/self names a zombie whose exe and
 *   maps cannot be read, and the other threads still report.)
 *   Every offset and size read from a file is checked against the file size
 *   before use: a bad file yields name NULL, never a crash.
 * - Lookups are a binary search in a per-table index sorted by address, with a
 *   running maximum of symbol ends so the backward scan for containing symbols
 *   stops as soon as no earlier symbol can reach the address.
 *
 * Which symbol. FUNC, OBJECT and GNU_IFUNC symbols that are defined (not UNDEF,
 * ABS or COMMON) and named; TLS is excluded (its value is a TLS-block offset,
 * not an address). A symbol contains off when st_value <= off < st_value +
 * st_size; a size-0 symbol only matches exactly. Among containing symbols the
 * smallest wins, then the one with fewer leading underscores (getpid over
 * __getpid), then global over weak over local. When none contains the address
 * there is no "nearest preceding" guess, with one exception for code: a
 * size-0 FUNC (hand-written assembly) that is the nearest preceding symbol in
 * the same executable section. Names are raw: mangled C++ and, in .symtab,
 * copy-relocated data keep their "@VERSION" suffix. Beside the raw name,
 * display is its readable form, demangled by demangle.c (which caches by the
 * raw pointer: names never move, see below) under this file's lock.
 *
 * Capacities and policies (no silent caps: each has a visible result).
 * - SYM_MAX_MODULES mapped objects (keyed by path, load bias, PT_LOAD list and
 *   build-id). When full, further objects are still found and reported with
 *   their path and offset, but with name NULL: their image is not mapped,
 *   because a name pointing into a mapping that is unmapped after the call
 *   would not stay valid.
 * - SYM_PATH_POOL bytes of module paths. When full, a new module is reported
 *   as "[lockcheck: symbolizer path pool full]" with its offset. A path
 *   longer than SYM_PATH_MAX is reported as "[lockcheck: module path too
 *   long]".
 * - The vdso has no file: it is reported as "[vdso]" without a name.
 *
 * Locking. Callers serialise through the shim's report lock; an internal
 * spinlock (C11 atomics, not pthread_mutex_*, which the shim interposes) makes
 * concurrent calls safe anyway. Order: this spinlock, then the loader's lock
 * inside dl_iterate_phdr; nothing here calls back into the program.
 *
 * Not done: separate debug files (.gnu_debuglink / build-id directories),
 * DWARF line info, the vdso's in-memory symbols.
 */
#define _GNU_SOURCE
#include "symbolize.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "demangle.h"
#include "sys.h"

#define SYM_MAX_MODULES 256
#define SYM_PATH_POOL (64 * 1024)
#define SYM_PATH_MAX 4096
#define SYM_BUILD_ID_MAX 64

#define SYM_POOL_FULL "[lockcheck: symbolizer path pool full]"
#define SYM_PATH_LONG "[lockcheck: module path too long]"

/* One indexable symbol. end is st_value + st_size, or st_value + 1 for a size-0
 * symbol (exact match only); maxend is the largest end among this entry and
 * all before it in address order. */
struct sym_ix {
	uint64_t value;
	uint64_t end;
	uint64_t maxend;
	uint32_t sym;
};

struct sym_table {
	const ElfW(Sym) *syms;
	size_t nsyms;
	const char *str;
	size_t strsize;
	struct sym_ix *ix; /* anonymous mapping, sorted by value */
	size_t nix;
};

enum { MOD_NOSYMS, MOD_MAPPED };

struct module {
	/* Key. path is interned, so pointer equality is string equality. */
	const char *path;
	uintptr_t bias;
	uint64_t loads_hash;
	unsigned build_id_len;
	unsigned char build_id[SYM_BUILD_ID_MAX];
	/* Value. state MOD_NOSYMS caches a failure, so it is not retried. */
	int state;
	const unsigned char *image;
	size_t image_size;
	const ElfW(Shdr) *sh;
	size_t shnum;
	struct sym_table tab[2]; /* [0] .symtab, [1] .dynsym */
};

/* What the dl_iterate_phdr callback copies out of the loader's list: the
 * object may be unloaded once the callback returns. */
struct probe {
	uintptr_t addr;
	int is_main;
	int is_vdso;
	int path_ok;
	uintptr_t bias;
	uintptr_t ehdr; /* where the ELF header is mapped (PT_LOAD at offset 0) */
	uint64_t loads_hash;
	unsigned build_id_len;
	unsigned char build_id[SYM_BUILD_ID_MAX];
	char path[SYM_PATH_MAX];
};

/* All state below is guarded by sym_lock. */
static atomic_flag sym_lock = ATOMIC_FLAG_INIT;
static struct module modules[SYM_MAX_MODULES];
static size_t nmodules;
static char path_pool[SYM_PATH_POOL];
static size_t path_used;
static char exe_path[SYM_PATH_MAX];
static const char *exe_name; /* reported path of the main program */
static const char *exe_file; /* what to open for it */
static char maps_buf[2 * SYM_PATH_MAX + 256];
/* Static rather than on the caller's stack: the shim may run on small thread
 * stacks, and the lock is held anyway. */
static struct probe probe;

static void sym_lock_acquire(void)
{
	unsigned spins = 0;

	while (atomic_flag_test_and_set_explicit(&sym_lock,
						 memory_order_acquire)) {
		/* A holder may be mapping a file and building an index:
		 * spin briefly, then let it run. */
		if (++spins < 64) {
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#endif
		} else {
			sched_yield();
		}
	}
}

static void sym_lock_release(void)
{
	atomic_flag_clear_explicit(&sym_lock, memory_order_release);
}

/* True when [off, off + len) lies inside a file of size bytes, without
 * overflow. */
static int in_file(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* FNV-1a over the fields that place a PT_LOAD segment: two objects with the
 * same list map the same bytes to the same addresses. */
static uint64_t hash_load(uint64_t h, const ElfW(Phdr) *ph)
{
	uint64_t v[5] = { ph->p_vaddr, ph->p_memsz, ph->p_offset,
			  ph->p_filesz, ph->p_flags };
	const unsigned char *b = (const unsigned char *)v;

	for (size_t i = 0; i < sizeof v; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Finds an NT_GNU_BUILD_ID note in [p, p + len). Returns its length (the
 * first SYM_BUILD_ID_MAX bytes copied to out), 0 when there is none. memcpy
 * for the headers: p need not be aligned. */
static unsigned note_build_id(const unsigned char *p, size_t len, size_t align,
			      unsigned char *out)
{
	while (len >= sizeof(ElfW(Nhdr))) {
		ElfW(Nhdr) n;
		uint64_t name, desc, step;

		memcpy(&n, p, sizeof n);
		name = ((uint64_t)n.n_namesz + align - 1) & ~(uint64_t)(align - 1);
		desc = ((uint64_t)n.n_descsz + align - 1) & ~(uint64_t)(align - 1);
		if (name + n.n_descsz > len - sizeof n)
			return 0;
		if (n.n_type == NT_GNU_BUILD_ID && n.n_namesz == 4 &&
		    memcmp(p + sizeof n, "GNU", 4) == 0 && n.n_descsz > 0) {
			unsigned k = n.n_descsz < SYM_BUILD_ID_MAX
					     ? n.n_descsz
					     : SYM_BUILD_ID_MAX;
			memcpy(out, p + sizeof n + name, k);
			return k;
		}
		step = sizeof n + name + desc;
		if (step >= len)
			return 0;
		p += step;
		len -= step;
	}
	return 0;
}

static size_t note_align(const ElfW(Phdr) *ph)
{
	return ph->p_align == 8 ? 8 : 4;
}

/* dl_iterate_phdr callback: stops (returns 1) at the object containing
 * probe->addr and copies out what identifies it. */
static int probe_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct probe *p = data;
	const ElfW(Phdr) *ph = info->dlpi_phdr;
	uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	int hit = 0;

	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		uintptr_t start = info->dlpi_addr + ph[i].p_vaddr;

		if (ph[i].p_type == PT_LOAD && p->addr >= start &&
		    p->addr - start < ph[i].p_memsz)
			hit = 1;
	}
	if (!hit)
		return 0;

	p->bias = info->dlpi_addr;
	p->loads_hash = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		p->loads_hash = hash_load(p->loads_hash, &ph[i]);
		if (ph[i].p_offset == 0 && !p->ehdr)
			p->ehdr = info->dlpi_addr + ph[i].p_vaddr;
	}
	/* The vdso is the object whose ELF header is at AT_SYSINFO_EHDR. */
	p->is_vdso = vdso && p->ehdr == vdso;

	/* Read a note from memory only when a loaded, file-backed part of a
	 * PT_LOAD covers it: a stray PT_NOTE must not make us fault. */
	for (size_t i = 0; i < info->dlpi_phnum && !p->build_id_len; i++) {
		if (ph[i].p_type != PT_NOTE)
			continue;
		for (size_t j = 0; j < info->dlpi_phnum; j++) {
			if (ph[j].p_type == PT_LOAD &&
			    ph[i].p_vaddr >= ph[j].p_vaddr &&
			    ph[i].p_vaddr - ph[j].p_vaddr <= ph[j].p_filesz &&
			    ph[i].p_filesz <= ph[j].p_filesz -
						      (ph[i].p_vaddr - ph[j].p_vaddr)) {
				p->build_id_len = note_build_id(
					(const unsigned char *)(info->dlpi_addr +
								ph[i].p_vaddr),
					ph[i].p_filesz, note_align(&ph[i]),
					p->build_id);
				break;
			}
		}
	}

	/* glibc names the main program "", also when it was started as
	 * "ld.so ./prog" (main_path() sorts out which file that is). */
	if (!info->dlpi_name || !info->dlpi_name[0]) {
		p->is_main = !p->is_vdso;
	} else {
		size_t n = strlen(info->dlpi_name);

		if (n < sizeof p->path) {
			memcpy(p->path, info->dlpi_name, n + 1);
			p->path_ok = 1;
		}
	}
	return 1;
}

/* Returns the pooled copy of path, adding it if new; NULL when the pool is
 * full. Scanning the pool is linear, but it holds a few dozen paths and this
 * is the slow path. */
static const char *intern_path(const char *path)
{
	size_t n = strlen(path) + 1;

	for (size_t at = 0; at < path_used; at += strlen(path_pool + at) + 1)
		if (strcmp(path_pool + at, path) == 0)
			return path_pool + at;
	if (n > sizeof path_pool - path_used)
		return NULL;
	memcpy(path_pool + path_used, path, n);
	path_used += n;
	return path_pool + path_used - n;
}

static int ix_less(const struct sym_ix *a, const struct sym_ix *b)
{
	return a->value < b->value || (a->value == b->value && a->sym < b->sym);
}

static void ix_sift(struct sym_ix *v, size_t root, size_t n)
{
	for (;;) {
		size_t c = 2 * root + 1;
		struct sym_ix t;

		if (c >= n)
			return;
		if (c + 1 < n && ix_less(&v[c], &v[c + 1]))
			c++;
		if (!ix_less(&v[root], &v[c]))
			return;
		t = v[root];
		v[root] = v[c];
		v[c] = t;
		root = c;
	}
}

/* Heapsort: qsort may call malloc, and this must not. */
static void ix_sort(struct sym_ix *v, size_t n)
{
	if (n < 2)
		return;
	for (size_t i = n / 2; i-- > 0;)
		ix_sift(v, i, n);
	for (size_t i = n - 1; i > 0; i--) {
		struct sym_ix t = v[0];

		v[0] = v[i];
		v[i] = t;
		ix_sift(v, 0, i);
	}
}

static int sym_indexable(const struct sym_table *t, const ElfW(Sym) *s)
{
	int type = ELF64_ST_TYPE(s->st_info);

	if (type != STT_FUNC && type != STT_OBJECT && type != STT_GNU_IFUNC)
		return 0;
	if (s->st_shndx == SHN_UNDEF ||
	    (s->st_shndx >= SHN_LORESERVE && s->st_shndx != SHN_XINDEX))
		return 0;
	return s->st_name != 0 && s->st_name < t->strsize &&
	       t->str[s->st_name] != '\0';
}

/* Builds t->ix. On failure the table simply has no index (no names from it). */
static void table_index(struct sym_table *t)
{
	size_t n = 0, bytes, k = 0;
	uint64_t maxend = 0;
	void *mem;

	for (size_t i = 0; i < t->nsyms; i++)
		n += sym_indexable(t, &t->syms[i]);
	if (n == 0 || t->nsyms > UINT32_MAX)
		return;
	bytes = n * sizeof(struct sym_ix);
	mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return;
	t->ix = mem;
	for (size_t i = 0; i < t->nsyms; i++) {
		const ElfW(Sym) *s = &t->syms[i];
		uint64_t len = s->st_size ? s->st_size : 1;

		if (!sym_indexable(t, s))
			continue;
		t->ix[k].value = s->st_value;
		t->ix[k].end = s->st_value + len < s->st_value
				       ? UINT64_MAX
				       : s->st_value + len;
		t->ix[k].sym = (uint32_t)i;
		k++;
	}
	ix_sort(t->ix, n);
	for (size_t i = 0; i < n; i++) {
		if (t->ix[i].end > maxend)
			maxend = t->ix[i].end;
		t->ix[i].maxend = maxend;
	}
	/* Read-only from now on: a stray write elsewhere in the shim cannot
	 * corrupt it silently. */
	mprotect(mem, bytes, PROT_READ);
	t->nix = n;
}

/* Fills t from section sh[i] (SHT_SYMTAB or SHT_DYNSYM) and its linked string
 * table, after checking both lie in the file. Returns 0 if unusable. */
static int table_load(struct module *m, size_t i, struct sym_table *t)
{
	const ElfW(Shdr) *s = &m->sh[i], *st;

	if (s->sh_entsize != sizeof(ElfW(Sym)) ||
	    s->sh_offset % _Alignof(ElfW(Sym)) != 0 ||
	    !in_file(m->image_size, s->sh_offset, s->sh_size))
		return 0;
	if (s->sh_link == 0 || s->sh_link >= m->shnum)
		return 0;
	st = &m->sh[s->sh_link];
	if (st->sh_type != SHT_STRTAB || st->sh_size == 0 ||
	    !in_file(m->image_size, st->sh_offset, st->sh_size))
		return 0;
	/* A terminated table makes every st_name < strsize a valid string. */
	if (m->image[st->sh_offset + st->sh_size - 1] != '\0')
		return 0;
	t->syms = (const ElfW(Sym) *)(m->image + s->sh_offset);
	t->nsyms = s->sh_size / sizeof(ElfW(Sym));
	t->str = (const char *)(m->image + st->sh_offset);
	t->strsize = st->sh_size;
	table_index(t);
	return t->nix != 0;
}

/* Prove that the file image is the object in memory: a valid ELF header and
 * the same PT_LOAD list and build-id as probe. Returns 1 if so. */
static int elf_identity(const unsigned char *image, size_t size,
			const struct probe *p)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)image;
	const ElfW(Phdr) *ph;
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned char id[SYM_BUILD_ID_MAX];
	unsigned id_len = 0;

	if (size < sizeof *eh ||
	    memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64
							   : ELFCLASS32) ||
	    eh->e_ident[EI_DATA] != (__BYTE_ORDER == __LITTLE_ENDIAN
					     ? ELFDATA2LSB
					     : ELFDATA2MSB) ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN))
		return 0;

	if (eh->e_phentsize != sizeof *ph ||
	    eh->e_phoff % _Alignof(ElfW(Phdr)) != 0 ||
	    !in_file(size, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof *ph))
		return 0;
	ph = (const ElfW(Phdr) *)(image + eh->e_phoff);
	for (size_t i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD)
			h = hash_load(h, &ph[i]);
		else if (ph[i].p_type == PT_NOTE && !id_len &&
			 in_file(size, ph[i].p_offset, ph[i].p_filesz))
			id_len = note_build_id(image + ph[i].p_offset,
					       ph[i].p_filesz,
					       note_align(&ph[i]), id);
	}
	return h == p->loads_hash && id_len == p->build_id_len &&
	       memcmp(id, p->build_id, id_len) == 0;
}

/* Checks m's image with elf_identity, then loads its symbol tables. Returns 1
 * when at least one table is usable. */
static int elf_load(struct module *m, const struct probe *p)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)m->image;
	size_t shnum;
	int found = 0;

	if (!elf_identity(m->image, m->image_size, p))
		return 0;

	/* Section headers; e_shnum 0 with a table means the count is in
	 * sh[0].sh_size (more than SHN_LORESERVE sections). */
	if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(ElfW(Shdr)) ||
	    eh->e_shoff % _Alignof(ElfW(Shdr)) != 0 ||
	    !in_file(m->image_size, eh->e_shoff, sizeof(ElfW(Shdr))))
		return 0;
	m->sh = (const ElfW(Shdr) *)(m->image + eh->e_shoff);
	shnum = eh->e_shnum ? eh->e_shnum : m->sh[0].sh_size;
	if (shnum > m->image_size / sizeof(ElfW(Shdr)) ||
	    !in_file(m->image_size, eh->e_shoff, shnum * sizeof(ElfW(Shdr))))
		return 0;
	m->shnum = shnum;

	for (size_t i = 1; i < shnum; i++) {
		if (m->sh[i].sh_type == SHT_SYMTAB && !m->tab[0].syms)
			found |= table_load(m, i, &m->tab[0]);
		else if (m->sh[i].sh_type == SHT_DYNSYM && !m->tab[1].syms)
			found |= table_load(m, i, &m->tab[1]);
	}
	return found;
}

/* Maps a whole regular file read-only. Returns the image or NULL. */
static const unsigned char *map_file(const char *file, size_t *size)
{
	struct stat st;
	void *img;
	int fd;

	fd = lc_sys_open(file, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)sizeof(ElfW(Ehdr))) {
		lc_sys_close(fd);
		return NULL;
	}
	img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	lc_sys_close(fd);
	if (img == MAP_FAILED)
		return NULL;
	*size = (size_t)st.st_size;
	return img;
}

/* Maps the file and loads it into m; on any failure m stays MOD_NOSYMS and
 * nothing stays mapped (no name can point into it yet). */
static void module_map(struct module *m, const char *file,
		       const struct probe *p)
{
	m->state = MOD_NOSYMS;
	m->image = map_file(file, &m->image_size);
	if (!m->image)
		return;
	if (elf_load(m, p)) {
		m->state = MOD_MAPPED;
		return;
	}
	for (int i = 0; i < 2; i++)
		if (m->tab[i].ix)
			munmap(m->tab[i].ix, m->tab[i].nix * sizeof(struct sym_ix));
	munmap((void *)m->image, m->image_size);
	memset(&m->image, 0, sizeof *m - offsetof(struct module, image));
}

/* Whether file is the loaded object described by p. */
static int file_is(const char *file, const struct probe *p)
{
	size_t size;
	const unsigned char *img = map_file(file, &size);
	int same;

	if (!img)
		return 0;
	same = elf_identity(img, size, p);
	munmap((void *)img, size);
	return same;
}

static int parse_hex(const char **s, uint64_t *v)
{
	const char *c = *s;

	*v = 0;
	for (;; c++) {
		unsigned d;

		if (*c >= '0' && *c <= '9')
			d = (unsigned)(*c - '0');
		else if (*c >= 'a' && *c <= 'f')
			d = (unsigned)(*c - 'a' + 10);
		else
			break;
		*v = *v << 4 | d;
	}
	if (c == *s)
		return 0;
	*s = c;
	return 1;
}

/* If the /proc/self/maps line maps a file at address at, copies its path to
 * exe_path. Line: "start-end perms offset dev inode   path". */
static int maps_line(const char *line, uintptr_t at)
{
	uint64_t lo, hi;
	const char *c = line;
	size_t n;

	if (!parse_hex(&c, &lo) || *c++ != '-' || !parse_hex(&c, &hi) ||
	    at < lo || at >= hi)
		return 0;
	while (*c && *c != '/')
		c++;
	n = strlen(c);
	if (*c != '/' || n >= sizeof exe_path ||
	    (n > 10 && strcmp(c + n - 10, " (deleted)") == 0))
		return 0;
	memcpy(exe_path, c, n + 1);
	return 1;
}

/* Finds the path of the file mapped at address at in /proc/self/maps, into
 * exe_path. read(2) into a static buffer: no stdio. */
static int maps_path(uintptr_t at)
{
	size_t have = 0;
	int fd = lc_sys_open("/proc/thread-self/maps", O_RDONLY | O_CLOEXEC, 0), found = 0;

	if (fd < 0)
		return 0;
	while (!found) {
		ssize_t r = lc_sys_read(fd, maps_buf + have, sizeof maps_buf - 1 - have);
		char *line = maps_buf, *nl;

		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0)
			have += (size_t)r;
		maps_buf[have] = '\0';
		while (!found && (nl = memchr(line, '\n', have - (size_t)(line - maps_buf)))) {
			*nl = '\0';
			found = maps_line(line, at);
			line = nl + 1;
		}
		if (r <= 0) {
			if (!found && line < maps_buf + have)
				found = maps_line(line, at);
			break;
		}
		have -= (size_t)(line - maps_buf);
		/* A line longer than the buffer holds no usable path: drop it. */
		if (have == sizeof maps_buf - 1)
			have = 0;
		memmove(maps_buf, line, have);
	}
	lc_sys_close(fd);
	return found;
}

/* Decides, once, the main program's path and the file to read it from.
 * Normally /proc/thread-self/exe: the running inode even if the path was
 * replaced. But when the program was started as "ld.so ./prog", it is ld.so,
 * so it is used only if it proves to be the program; otherwise the path comes
 * from the file mapped at the program's ELF header in the maps file. */
static const char *main_path(const struct probe *p)
{
	ssize_t n;

	if (exe_name)
		return exe_name;
	n = readlink("/proc/thread-self/exe", exe_path, sizeof exe_path - 1);
	if (n > 0 && (size_t)n < sizeof exe_path - 1 &&
	    file_is("/proc/thread-self/exe", p)) {
		exe_path[n] = '\0';
		exe_name = exe_path;
		exe_file = "/proc/thread-self/exe";
	} else if (p->ehdr && maps_path(p->ehdr)) {
		exe_name = exe_file = exe_path;
	} else {
		exe_name = "[exe]";
		exe_file = "/proc/thread-self/exe"; /* fails the identity check */
	}
	return exe_name;
}

/* Returns the cached module for (path, probe), mapping it on first use; NULL
 * when the table is full (see the policy at the top). */
static struct module *module_get(const char *path, const struct probe *p)
{
	struct module *m;

	for (size_t i = 0; i < nmodules; i++) {
		m = &modules[i];
		if (m->path == path && m->bias == p->bias &&
		    m->loads_hash == p->loads_hash &&
		    m->build_id_len == p->build_id_len &&
		    memcmp(m->build_id, p->build_id, p->build_id_len) == 0)
			return m;
	}
	if (nmodules == SYM_MAX_MODULES)
		return NULL;
	m = &modules[nmodules++];
	m->path = path;
	m->bias = p->bias;
	m->loads_hash = p->loads_hash;
	m->build_id_len = p->build_id_len;
	memcpy(m->build_id, p->build_id, p->build_id_len);
	module_map(m, p->is_main ? exe_file : path, p);
	return m;
}

static unsigned leading_underscores(const char *s)
{
	unsigned n = 0;

	while (s[n] == '_')
		n++;
	return n;
}

static int bind_rank(const ElfW(Sym) *s)
{
	switch (ELF64_ST_BIND(s->st_info)) {
	case STB_GLOBAL:
		return 0;
	case STB_WEAK:
		return 1;
	default:
		return 2;
	}
}

/* Whether candidate a names an address better than b (see the top comment). */
static int ix_better(const struct sym_table *t, const struct sym_ix *a,
		     const struct sym_ix *b)
{
	const ElfW(Sym) *sa = &t->syms[a->sym], *sb = &t->syms[b->sym];
	unsigned ua, ub;

	if (a->end - a->value != b->end - b->value)
		return a->end - a->value < b->end - b->value;
	ua = leading_underscores(t->str + sa->st_name);
	ub = leading_underscores(t->str + sb->st_name);
	if (ua != ub)
		return ua < ub;
	if (bind_rank(sa) != bind_rank(sb))
		return bind_rank(sa) < bind_rank(sb);
	return a->sym < b->sym;
}

/* Number of index entries with value <= off. */
static size_t ix_upper(const struct sym_table *t, uint64_t off)
{
	size_t lo = 0, hi = t->nix;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->ix[mid].value <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The best symbol of t containing off, or NULL. */
static const ElfW(Sym) *table_containing(const struct sym_table *t,
					 uint64_t off)
{
	const struct sym_ix *best = NULL;

	/* maxend is a prefix maximum: once it is <= off, no entry at or
	 * before i reaches off. */
	for (size_t i = ix_upper(t, off); i-- > 0 && t->ix[i].maxend > off;) {
		if (t->ix[i].end > off && (!best || ix_better(t, &t->ix[i], best)))
			best = &t->ix[i];
	}
	return best ? &t->syms[best->sym] : NULL;
}

/* Index of the allocated executable section holding off, 0 if none. */
static size_t exec_section(const struct module *m, uint64_t off)
{
	for (size_t i = 1; i < m->shnum; i++) {
		const ElfW(Shdr) *s = &m->sh[i];

		if ((s->sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) ==
			    (SHF_ALLOC | SHF_EXECINSTR) &&
		    s->sh_type != SHT_NOBITS && off >= s->sh_addr &&
		    off - s->sh_addr < s->sh_size)
			return i;
	}
	return 0;
}

/* The code-only fallback: a size-0 FUNC that is the nearest preceding symbol
 * of t, in off's executable section. A sized symbol at that same address means
 * off is past known code, so no guess then. */
static const ElfW(Sym) *table_preceding(const struct module *m,
					const struct sym_table *t, uint64_t off,
					size_t sec)
{
	size_t i = ix_upper(t, off);
	const ElfW(Sym) *pick = NULL;
	uint64_t v;

	if (i == 0)
		return NULL;
	v = t->ix[i - 1].value;
	while (i-- > 0 && t->ix[i].value == v) {
		const ElfW(Sym) *s = &t->syms[t->ix[i].sym];

		if (s->st_size != 0)
			return NULL;
		if (ELF64_ST_TYPE(s->st_info) == STT_FUNC && s->st_shndx == sec)
			pick = s;
	}
	return pick;
}

static void module_lookup(const struct module *m, uint64_t off, lc_symbol *out)
{
	const struct sym_table *t = NULL;
	const ElfW(Sym) *s = NULL;
	size_t sec;

	for (int i = 0; i < 2 && !s; i++) {
		t = &m->tab[i];
		if (t->nix)
			s = table_containing(t, off);
	}
	if (!s && (sec = exec_section(m, off)) != 0) {
		for (int i = 0; i < 2 && !s; i++) {
			t = &m->tab[i];
			if (t->nix)
				s = table_preceding(m, t, off, sec);
		}
	}
	if (!s)
		return;
	out->name = t->str + s->st_name;
	out->name_offset = off - s->st_value;
}

static int symbolize_locked(uintptr_t addr, lc_symbol *out)
{
	const char *path;
	struct module *m;

	memset(&probe, 0, offsetof(struct probe, path));
	probe.addr = addr;
	/* Heap, stack and anonymous mappings belong to no object. */
	if (!dl_iterate_phdr(probe_cb, &probe))
		return -1;

	out->module_offset = addr - probe.bias;
	out->name = NULL;
	out->display = NULL;
	out->name_offset = 0;
	out->build_id = NULL;
	out->build_id_len = 0;
	out->is_main = probe.is_main;
	if (probe.is_vdso) {
		out->module = "[vdso]";
		return 0;
	}
	if (!probe.is_main && !probe.path_ok) {
		out->module = SYM_PATH_LONG;
		return 0;
	}
	path = probe.is_main ? main_path(&probe) : intern_path(probe.path);
	if (!path) {
		out->module = SYM_POOL_FULL;
		return 0;
	}
	out->module = path;
	m = module_get(path, &probe);
	if (m && m->build_id_len) {
		out->build_id = m->build_id;
		out->build_id_len = m->build_id_len;
	}
	if (m && m->state == MOD_MAPPED)
		module_lookup(m, addr - probe.bias, out);
	out->display = lc_demangle(out->name);
	return 0;
}

int lc_symbolize(uintptr_t addr, lc_symbol *out)
{
	int saved_errno = errno; /* a guest in the program: leave errno alone */
	int rc;

	sym_lock_acquire();
	rc = symbolize_locked(addr, out);
	sym_lock_release();
	errno = saved_errno;
	return rc;
}
