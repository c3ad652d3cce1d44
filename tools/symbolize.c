/*
 * symbolize.c: frames of a report set to function, file:line and source.
 *
 * What it does. Every distinct (module, offset, reported name) of the set is
 * looked up once, in an offline libdw session (Dwfl) of its own per module
 * file: dwfl_report_offline() reads the file as it is on disk, and libdw's
 * standard find_debuginfo finds its DWARF, in the file or separate
 * (.gnu_debuglink, /usr/lib/debug/.build-id). The result, one "level" per
 * function at that address (inlined ones first), is cached and copied into
 * every frame that has the same key.
 *
 * Addresses. The shim's offset is the return address minus the module's
 * load bias (dlpi_addr): a link-time address, the space st_value and DWARF
 * live in, for ET_DYN (bias = load base) and ET_EXEC (bias 0) alike. Dwfl
 * places an offline module at some base of its own; the bias it reports
 * (dwfl_module_getelf) maps one to the other, so addr = offset + bias for
 * both types. A return address is the instruction after the call, which may
 * belong to the next line or even the next function: lookups use offset - 1
 * (the call itself), the frame keeps offset as written.
 *
 * Inlined code. dwarf_getscopes() finds the innermost scope of the address;
 * dwarf_getscopes_die() of that DIE gives its concrete nesting (as
 * eu-addr2line -i does). Each DW_TAG_inlined_subroutine on the way out is a
 * frame (inlined = 1) at the current file:line, and moves the current
 * position to its DW_AT_call_file/call_line; the enclosing DW_TAG_subprogram
 * is the last frame (inlined = 0). Names are DW_AT_linkage_name demangled
 * (C++: namespaces, classes and parameter types), else DW_AT_name (C), both
 * through abstract_origin/specification; without DWARF, the shim's name, else
 * the symbol table's (dwfl_module_addrname, which sees a separate debug
 * file's .symtab: static functions of libc with libc6-dbg).
 *
 * Is the file still the one that ran? Reports carry no build-id, so the
 * check is the one thing the report does say: the name the shim found (its
 * raw "symbol" when the shim demangled the "function", else "function"). The
 * shim names the symbol of the module's own .symtab/.dynsym that covers
 * offset - 1, or null when none does; the file on disk must say the same
 * (a symbol of that name covering the address, or none at all), else the
 * module was rebuilt and its frames keep their plain form rather than get
 * wrong lines. A module that cannot be opened, is not an ELF executable or
 * shared object, or does not contain the address is plain too. None of this
 * is an error: plain frames are the documented fallback, printed silently.
 *
 * The shim writes C++ names demangled already (lib/demangle.h, without
 * parameters) and the raw symbol beside them; a frame keeps that raw symbol
 * (only its outermost, not-inlined level: an inlined function has a symbol
 * of its own, not this one). DWARF names are demangled here in full, with
 * parameters: the CLI has the memory for it, and beside file:line the
 * parameters tell overloads apart.
 *
 * Demangling is libstdc++'s __cxa_demangle (the ABI's own, always there with
 * g++, which the project needs anyway; libdw has no demangler of its own and
 * libiberty is a static library of another package). Only names starting
 * with "_Z" are demangled (__cxa_demangle also "demangles" plain words as
 * type names: "i" would become "int"), and a "@VERSION" suffix is dropped.
 *
 * Paths. file is the debug info's path with "/./" collapsed, relative to the
 * current directory when under it. Source files are read once each, whole
 * (up to SOURCE_MAX bytes; a bigger or unreadable file gives no source
 * lines); a line's text is kept as is but for its line end.
 *
 * A frame that has a file already (a report some tool symbolised) is kept
 * as it is but for its name's clean-up: no second lookup, and no source line
 * read for it (its file may name another machine's tree).
 *
 * Memory: the caches are malloc'd and freed before returning; everything a
 * frame points to is in the set's arena (lc_read_alloc), so frames stay valid
 * until lc_read_free, like the rest of the set. Stacks are rewritten in
 * place when no frame expands, else given a new frames array.
 *
 * Not done: addresses of data, the vdso, modules with relative paths (they
 * were relative to the process's directory, not ours), and any check
 * stronger than the symbol name (a build-id in the report would be one).
 */
#define _GNU_SOURCE
#include "symbolize.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* libstdc++'s demangler (the Itanium C++ ABI's), with C linkage. */
extern char *__cxa_demangle(const char *mangled, char *buf, size_t *len,
			    int *status);

/* Source files larger than this are not read (no source lines for them). */
#define SOURCE_MAX (16u * 1024 * 1024)
/* Hash buckets of the module and source-file tables (powers of two). */
#define MOD_BUCKETS 64u
#define SRC_BUCKETS 64u
/* Initial buckets of the address table, doubled as it fills. */
#define ADDR_BUCKETS_MIN 256u

/* One function at an address: what differs between the frames one return
 * address expands into. Strings are in the set's arena. */
struct level {
	const char *function;
	const char *file;
	int line;
	const char *source;
	int inlined;
};

/* A symbol of a module file's own tables, for the "same file?" check. */
struct fsym {
	uint64_t value, end; /* end = value + size, value + 1 for size 0 */
	uint64_t maxend;     /* the largest end of this and earlier entries */
	const char *name;    /* in the ELF image, valid while the Dwfl lives */
	int size0;
};

struct module {
	struct module *next;
	char *path;
	int usable;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	Elf *elf;            /* the main file (not the debug file) */
	Dwarf_Addr bias;     /* Dwfl address - link-time address */
	struct fsym *syms;   /* sorted by value; loaded on first check */
	size_t n_syms;
	int syms_loaded;
};

/* The expansion of one (module, offset, reported symbol). */
struct addr {
	struct addr *next;
	const struct module *m;
	uint64_t offset;
	const char *name;    /* the report's raw symbol ("symbol", else
			      * "function": an older shim's), NULL for none */
	const char *plain;   /* the report's name cleaned up (plain form) */
	struct level *levels;
	unsigned n;          /* 0: plain (keep the frame, name cleaned) */
};

struct source {
	struct source *next;
	char *path;
	char *text;          /* the whole file, line ends made NULs */
	char **lines;
	const char **copies; /* arena copies, made on first use */
	unsigned n_lines;
};

struct sym {
	lc_report_set *set;
	unsigned flags;
	char *cwd;
	size_t cwd_len;
	struct module *mods[MOD_BUCKETS];
	struct source *srcs[SRC_BUCKETS];
	struct addr **addrs;
	size_t n_addrs, cap_addrs;
	int n_lined;
	int oom;
};

static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static size_t hash_str(const char *p)
{
	size_t h = 5381;
	for (; p && *p; p++)
		h = h * 33 + (unsigned char)*p;
	return h;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* s copied into the arena; on failure the flag is set and NULL returned. */
static const char *keep(struct sym *s, const char *str)
{
	if (!str)
		return NULL;
	const char *p = lc_read_strdup(s->set, str);
	if (!p)
		s->oom = 1;
	return p;
}

/* The length of a symbol name without its "@VERSION" / "@@VERSION". */
static size_t name_len(const char *name)
{
	const char *at = strchr(name, '@');
	return at && at != name ? (size_t)(at - name) : strlen(name);
}

/* A name as people read it: without "@VERSION", demangled if mangled. The
 * result is name itself when nothing changes, else an arena string. */
static const char *clean_name(struct sym *s, const char *name)
{
	if (!name)
		return NULL;
	size_t len = name_len(name);
	int mangled = !strncmp(name, "_Z", 2);
	if (len == strlen(name) && !mangled)
		return name;
	char *base = strndup(name, len);
	if (!base) {
		s->oom = 1;
		return name;
	}
	char *dem = NULL;
	int status = -1;
	if (mangled)
		dem = __cxa_demangle(base, NULL, NULL, &status);
	const char *out = keep(s, status == 0 && dem ? dem : base);
	free(dem);
	free(base);
	return out ? out : name;
}

/* --- module files ---------------------------------------------------- */

static int by_value(const void *a, const void *b)
{
	const struct fsym *x = a, *y = b;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Reads the file's own .symtab and .dynsym with the shim's filter (defined,
 * named FUNC, OBJECT or IFUNC symbols). Out of memory: no symbols, so the
 * check fails safe (frames plain). */
static void module_load_syms(struct module *m)
{
	size_t cap = 0;
	Elf_Scn *scn = NULL;
	m->syms_loaded = 1;
	while ((scn = elf_nextscn(m->elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    sh.sh_entsize == 0)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < n && i <= INT32_MAX; i++) {
			GElf_Sym sy;
			if (!gelf_getsym(d, (int)i, &sy))
				break;
			int type = GELF_ST_TYPE(sy.st_info);
			if (type != STT_FUNC && type != STT_OBJECT &&
			    type != STT_GNU_IFUNC)
				continue;
			if (sy.st_shndx == SHN_UNDEF ||
			    (sy.st_shndx >= SHN_LORESERVE &&
			     sy.st_shndx != SHN_XINDEX))
				continue;
			const char *name = elf_strptr(m->elf, sh.sh_link,
						      sy.st_name);
			if (!name || !*name)
				continue;
			if (m->n_syms == cap) {
				size_t nc = cap ? cap * 2 : 1024;
				struct fsym *ns = realloc(m->syms,
							  nc * sizeof(*ns));
				if (!ns) {
					free(m->syms);
					m->syms = NULL;
					m->n_syms = 0;
					return;
				}
				m->syms = ns;
				cap = nc;
			}
			struct fsym *f = &m->syms[m->n_syms++];
			f->value = sy.st_value;
			f->size0 = sy.st_size == 0;
			f->end = sy.st_value + (sy.st_size ? sy.st_size : 1);
			if (f->end < f->value)
				f->end = UINT64_MAX;
			f->name = name;
		}
	}
	if (!m->n_syms)
		return;
	qsort(m->syms, m->n_syms, sizeof(*m->syms), by_value);
	uint64_t maxend = 0;
	for (size_t i = 0; i < m->n_syms; i++) {
		if (m->syms[i].end > maxend)
			maxend = m->syms[i].end;
		m->syms[i].maxend = maxend;
	}
}

/* Does the file say what the report says of link-time address a: a symbol
 * named `name` covering it, or (name NULL) no symbol covering it? */
static int module_matches(struct module *m, uint64_t a, const char *name)
{
	if (!m->syms_loaded)
		module_load_syms(m);
	size_t want = name ? name_len(name) : 0;
	/* The first symbol starting after a; scan back while one can reach a. */
	size_t lo = 0, hi = m->n_syms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->syms[mid].value <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	int covered = 0;
	for (size_t i = lo; i-- > 0 && m->syms[i].maxend > a;) {
		const struct fsym *f = &m->syms[i];
		if (f->end <= a)
			continue;
		if (!name)
			return 0;
		covered = 1;
		if (name_len(f->name) == want && !strncmp(f->name, name, want))
			return 1;
	}
	if (!name)
		return 1;
	/* The shim's one guess: a size-0 FUNC preceding a (assembly). */
	for (size_t i = lo; !covered && i-- > 0;) {
		const struct fsym *f = &m->syms[i];
		if (f->size0 && name_len(f->name) == want &&
		    !strncmp(f->name, name, want))
			return 1;
		if (!f->size0)
			break;
	}
	return 0;
}

static struct module *module_get(struct sym *s, const char *path)
{
	size_t b = hash_str(path) & (MOD_BUCKETS - 1);
	for (struct module *m = s->mods[b]; m; m = m->next)
		if (!strcmp(m->path, path))
			return m;
	struct module *m = calloc(1, sizeof(*m));
	if (!m || !(m->path = strdup(path))) {
		free(m);
		s->oom = 1;
		return NULL;
	}
	m->next = s->mods[b];
	s->mods[b] = m;

	/* Absolute paths only: "[vdso]", the shim's own markers and relative
	 * names (relative to the process's directory) stay plain. */
	struct stat st;
	if (path[0] != '/' || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return m;
	m->dwfl = dwfl_begin(&offline_callbacks);
	if (!m->dwfl)
		return m;
	dwfl_report_begin(m->dwfl);
	m->mod = dwfl_report_offline(m->dwfl, path, path, -1);
	dwfl_report_end(m->dwfl, NULL, NULL);
	GElf_Addr bias = 0;
	GElf_Ehdr eh;
	if (m->mod && (m->elf = dwfl_module_getelf(m->mod, &bias)) &&
	    gelf_getehdr(m->elf, &eh) &&
	    (eh.e_type == ET_EXEC || eh.e_type == ET_DYN)) {
		m->bias = bias;
		m->usable = 1;
	}
	return m;
}

static void module_free(struct module *m)
{
	if (m->dwfl)
		dwfl_end(m->dwfl);
	free(m->syms);
	free(m->path);
	free(m);
}

/* --- source files ---------------------------------------------------- */

static struct source *source_load(const char *path)
{
	struct source *f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path))) {
		free(f);
		return NULL;
	}
	FILE *fp = fopen(path, "r");
	struct stat st;
	if (!fp)
		return f;
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (off_t)SOURCE_MAX) {
		fclose(fp);
		return f;
	}
	size_t size = (size_t)st.st_size;
	f->text = malloc(size + 1);
	if (!f->text || fread(f->text, 1, size, fp) != size) {
		free(f->text);
		f->text = NULL;
		fclose(fp);
		return f;
	}
	fclose(fp);
	f->text[size] = '\0';
	unsigned n = 0;
	for (size_t i = 0; i < size; i++)
		n += f->text[i] == '\n';
	n += size && f->text[size - 1] != '\n';
	f->lines = calloc(n ? n : 1, sizeof(*f->lines));
	f->copies = calloc(n ? n : 1, sizeof(*f->copies));
	if (!f->lines || !f->copies) {
		free(f->lines);
		free(f->copies);
		free(f->text);
		f->lines = NULL;
		f->copies = NULL;
		f->text = NULL;
		return f;
	}
	char *p = f->text, *end = f->text + size;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *stop = nl ? nl : end;
		*stop = '\0';
		if (stop > p && stop[-1] == '\r')
			stop[-1] = '\0';
		f->lines[f->n_lines++] = p;
		p = stop + 1;
	}
	return f;
}

/* The text of line `line` of path, or NULL (unreadable, no such line,
 * LC_SYM_SOURCE not asked for). */
static const char *source_line(struct sym *s, const char *path, int line)
{
	if (!(s->flags & LC_SYM_SOURCE) || !path || line <= 0)
		return NULL;
	size_t b = hash_str(path) & (SRC_BUCKETS - 1);
	struct source *f;
	for (f = s->srcs[b]; f; f = f->next)
		if (!strcmp(f->path, path))
			break;
	if (!f) {
		f = source_load(path);
		if (!f) {
			s->oom = 1;
			return NULL;
		}
		f->next = s->srcs[b];
		s->srcs[b] = f;
	}
	if ((unsigned)line > f->n_lines)
		return NULL;
	if (!f->copies[line - 1])
		f->copies[line - 1] = keep(s, f->lines[line - 1]);
	return f->copies[line - 1];
}

static void source_free(struct source *f)
{
	free(f->text);
	free(f->lines);
	free(f->copies);
	free(f->path);
	free(f);
}

/* --- one address ----------------------------------------------------- */

/* The path to show for a debug-info path: "/./" collapsed, relative to the
 * current directory when under it. Returns an arena string. */
static const char *show_path(struct sym *s, const char *path)
{
	char *p = strdup(path);
	if (!p) {
		s->oom = 1;
		return NULL;
	}
	char *r = p, *w = p;
	while (*r) {
		if (r[0] == '/' && r[1] == '.' && r[2] == '/') {
			r += 2;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	const char *out = p;
	if (s->cwd && !strncmp(p, s->cwd, s->cwd_len) && p[s->cwd_len] == '/' &&
	    p[s->cwd_len + 1])
		out = p + s->cwd_len + 1;
	const char *kept = keep(s, out);
	free(p);
	return kept;
}

/* A DIE's function name: its linkage name demangled, else its name, both
 * through DW_AT_abstract_origin and DW_AT_specification. NULL if none. */
static const char *die_function(struct sym *s, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name =
		dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name,
						      &attr));
	if (!name)
		name = dwarf_formstring(
			dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
	if (!name)
		name = dwarf_formstring(
			dwarf_attr_integrate(die, DW_AT_name, &attr));
	if (!name)
		return NULL;
	const char *c = clean_name(s, name);
	/* clean_name returns the libdw string itself when nothing changed;
	 * it must outlive the Dwfl session. */
	return c == name ? keep(s, name) : c;
}

static int add_level(struct sym *s, struct addr *e, size_t *cap,
		     const char *function, const char *file, int line,
		     int inlined)
{
	if (e->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		struct level *nl = realloc(e->levels, nc * sizeof(*nl));
		if (!nl) {
			s->oom = 1;
			return -1;
		}
		e->levels = nl;
		*cap = nc;
	}
	struct level *l = &e->levels[e->n++];
	l->function = function;
	l->file = file ? show_path(s, file) : NULL;
	l->line = file ? line : 0;
	l->source = file ? source_line(s, file, line) : NULL;
	l->inlined = inlined;
	return 0;
}

/* Fills e->levels for a frame of a usable module. Leaves e->n at 0 (plain)
 * when the file does not match the report. */
static void expand(struct sym *s, struct module *m, struct addr *e)
{
	uint64_t look = e->offset ? e->offset - 1 : 0;
	if (!module_matches(m, look, e->name))
		return;
	Dwarf_Addr addr = look + m->bias;
	if (dwfl_addrmodule(m->dwfl, addr) != m->mod)
		return;
	const char *fallback = e->plain;
	if (!fallback) {
		const char *sn = dwfl_module_addrname(m->mod, addr);
		fallback = sn ? clean_name(s, sn) : NULL;
		if (fallback == sn)
			fallback = keep(s, sn);
	}

	const char *file = NULL;
	int line = 0;
	Dwfl_Line *dl = dwfl_module_getsrc(m->mod, addr);
	if (dl)
		file = dwfl_lineinfo(dl, NULL, &line, NULL, NULL, NULL);

	size_t cap = 0;
	int done = 0;
	Dwarf_Addr dbias = 0;
	Dwarf_Die *cudie = dwfl_module_addrdie(m->mod, addr, &dbias);
	Dwarf_Die *scopes = NULL;
	int n = cudie ? dwarf_getscopes(cudie, addr - dbias, &scopes) : 0;
	if (n > 0) {
		/* dwarf_getscopes continues past an inlined subroutine into
		 * its abstract origin's scopes; the concrete nesting is what
		 * tells who inlined whom. */
		Dwarf_Die inner = scopes[0];
		free(scopes);
		scopes = NULL;
		n = dwarf_getscopes_die(&inner, &scopes);
	}
	for (int i = 0; i < n && !done && !s->oom; i++) {
		Dwarf_Die *d = &scopes[i];
		int tag = dwarf_tag(d);
		if (tag == DW_TAG_subprogram || tag == DW_TAG_entry_point) {
			const char *fn = die_function(s, d);
			add_level(s, e, &cap, fn ? fn : fallback, file, line, 0);
			done = 1;
		} else if (tag == DW_TAG_inlined_subroutine) {
			const char *fn = die_function(s, d);
			if (add_level(s, e, &cap, fn ? fn : "<inlined>", file,
				      line, 1) < 0)
				break;
			/* The caller's position: where this was inlined. */
			Dwarf_Attribute attr;
			Dwarf_Word val;
			Dwarf_Die cu;
			Dwarf_Files *files = NULL;
			file = NULL;
			line = 0;
			if (dwarf_diecu(d, &cu, NULL, NULL) &&
			    dwarf_getsrcfiles(&cu, &files, NULL) == 0 &&
			    dwarf_formudata(dwarf_attr(d, DW_AT_call_file, &attr),
					    &val) == 0)
				file = dwarf_filesrc(files, val, NULL, NULL);
			if (dwarf_formudata(dwarf_attr(d, DW_AT_call_line, &attr),
					    &val) == 0)
				line = (int)val;
		}
	}
	free(scopes);
	if (!done && !s->oom)
		add_level(s, e, &cap, fallback, file, line, 0);
	if (s->oom)
		e->n = 0;
}

static size_t addr_hash(const struct module *m, uint64_t offset,
			const char *name)
{
	return (size_t)(offset * 0x9e3779b97f4a7c15ull) ^
	       (size_t)(uintptr_t)m ^ hash_str(name);
}

static int addrs_grow(struct sym *s)
{
	size_t nc = s->cap_addrs ? s->cap_addrs * 2 : ADDR_BUCKETS_MIN;
	struct addr **nb = calloc(nc, sizeof(*nb));
	if (!nb)
		return -1;
	for (size_t i = 0; i < s->cap_addrs; i++) {
		struct addr *e = s->addrs[i], *next;
		for (; e; e = next) {
			next = e->next;
			size_t b = addr_hash(e->m, e->offset, e->name) & (nc - 1);
			e->next = nb[b];
			nb[b] = e;
		}
	}
	free(s->addrs);
	s->addrs = nb;
	s->cap_addrs = nc;
	return 0;
}

/* The cached expansion of fr, computed on first sight; NULL when out of
 * memory. */
static struct addr *addr_get(struct sym *s, const lc_frame *fr)
{
	struct module *m = fr->module ? module_get(s, fr->module) : NULL;
	if (s->oom)
		return NULL;
	if (s->n_addrs >= s->cap_addrs && addrs_grow(s) < 0) {
		s->oom = 1;
		return NULL;
	}
	const char *raw = fr->symbol ? fr->symbol : fr->function;
	size_t b = addr_hash(m, fr->offset, raw) & (s->cap_addrs - 1);
	for (struct addr *e = s->addrs[b]; e; e = e->next)
		if (e->m == m && e->offset == fr->offset &&
		    same_str(e->name, raw))
			return e;
	struct addr *e = calloc(1, sizeof(*e));
	if (!e) {
		s->oom = 1;
		return NULL;
	}
	e->m = m;
	e->offset = fr->offset;
	e->name = raw;
	e->plain = clean_name(s, fr->function);
	e->next = s->addrs[b];
	s->addrs[b] = e;
	s->n_addrs++;
	if (m && m->usable)
		expand(s, m, e);
	return e;
}

/* --- stacks ---------------------------------------------------------- */

/* The raw symbol a frame keeps beside its readable name: the shim's
 * "symbol", or the name of an older shim's report that was still mangled;
 * NULL when the name was never mangled. */
static const char *raw_symbol(const lc_frame *in)
{
	if (in->symbol)
		return in->symbol;
	return in->function && !strncmp(in->function, "_Z", 2) ? in->function
							     : NULL;
}

static void put_level(struct sym *s, lc_frame *out, const lc_frame *in,
		      const struct level *l)
{
	*out = *in;
	out->function = l->function;
	/* The symbol is the outermost function's: an inlined one has none. */
	out->symbol = l->inlined ? NULL : raw_symbol(in);
	out->file = l->file;
	out->line = l->line;
	out->source = l->source;
	out->inlined = l->inlined;
	if (out->file)
		s->n_lined++;
}

static void sym_stack(struct sym *s, const lc_stack *cst)
{
	lc_stack *st = (lc_stack *)cst; /* arena memory: the set's to change */
	if (s->oom || st->depth == 0)
		return;
	struct addr already = {0};
	struct addr **e = malloc(st->depth * sizeof(*e));
	if (!e) {
		s->oom = 1;
		return;
	}
	size_t total = 0;
	for (unsigned i = 0; i < st->depth; i++) {
		if (st->frames[i].file) {
			/* Symbolised already (a report written by a tool):
			 * kept as it is. */
			e[i] = &already;
			total++;
			continue;
		}
		e[i] = addr_get(s, &st->frames[i]);
		if (!e[i]) {
			free(e);
			return;
		}
		total += e[i]->n ? e[i]->n : 1;
	}
	lc_frame *in = (lc_frame *)st->frames;
	lc_frame *out = in;
	if (total != st->depth) {
		if (total > UINT32_MAX ||
		    !(out = lc_read_alloc(s->set, total * sizeof(*out)))) {
			s->oom = 1;
			free(e);
			return;
		}
	}
	/* In place, frame i is only ever written from frame i itself. */
	size_t k = 0;
	for (unsigned i = 0; i < st->depth; i++) {
		if (e[i] == &already) {
			out[k] = in[i];
			out[k].function = clean_name(s, in[i].function);
			out[k].symbol = raw_symbol(&in[i]);
			s->n_lined++;
			k++;
			continue;
		}
		if (e[i]->n == 0) {
			out[k] = in[i];
			out[k].symbol = raw_symbol(&in[i]);
			out[k++].function = e[i]->plain;
			continue;
		}
		lc_frame orig = in[i];
		for (unsigned j = 0; j < e[i]->n; j++)
			put_level(s, &out[k++], &orig, &e[i]->levels[j]);
	}
	free(e);
	st->frames = out;
	st->depth = (unsigned)total;
}

static void sym_finding(struct sym *s, const lc_finding *f)
{
	for (unsigned i = 0; i < f->n_locks; i++)
		sym_stack(s, &f->locks[i].created);
	for (unsigned i = 0; i < f->n_edges; i++) {
		sym_stack(s, &f->edges[i].held_stack);
		sym_stack(s, &f->edges[i].stack);
	}
	for (unsigned i = 0; i < f->n_sites; i++)
		sym_stack(s, &f->sites[i].stack);
}

int lc_symbolize_set(lc_report_set *set, unsigned flags)
{
	if (flags & LC_SYM_NONE)
		return 0;
	struct sym s = {.set = set, .flags = flags};
	elf_version(EV_CURRENT);
	s.cwd = getcwd(NULL, 0);
	if (s.cwd) {
		s.cwd_len = strlen(s.cwd);
		if (s.cwd_len == 1) { /* "/": every path is under it */
			free(s.cwd);
			s.cwd = NULL;
		}
	}
	for (size_t i = 0; i < set->n_findings && !s.oom; i++)
		sym_finding(&s, &set->findings[i].f);
	for (size_t i = 0; (flags & LC_SYM_GRAPHS) && i < set->n_graphs; i++) {
		for (unsigned j = 0; j < set->graphs[i].n_edges && !s.oom; j++) {
			sym_stack(&s, &set->graphs[i].edges[j].stack);
			sym_stack(&s, &set->graphs[i].edges[j].held_stack);
		}
		for (unsigned j = 0; j < set->graphs[i].n_locks && !s.oom; j++)
			sym_stack(&s, &set->graphs[i].locks[j].created);
	}

	for (size_t i = 0; i < s.cap_addrs; i++) {
		struct addr *e = s.addrs[i], *next;
		for (; e; e = next) {
			next = e->next;
			free(e->levels);
			free(e);
		}
	}
	free(s.addrs);
	for (size_t i = 0; i < MOD_BUCKETS; i++) {
		struct module *m = s.mods[i], *next;
		for (; m; m = next) {
			next = m->next;
			module_free(m);
		}
	}
	for (size_t i = 0; i < SRC_BUCKETS; i++) {
		struct source *f = s.srcs[i], *next;
		for (; f; f = next) {
			next = f->next;
			source_free(f);
		}
	}
	free(s.cwd);
	if (s.oom) {
		fprintf(stderr, "%s: out of memory while symbolising: some "
			"frames are shown plain\n", set->prog);
		return -1;
	}
	return s.n_lined;
}
