/*
 * test_symbolize.c: lc_symbolize() names what dladdr() cannot, and never lies.
 *
 * Built without -rdynamic, like the programs the shim runs in, so the static
 * function and variables below are only in .symtab: naming them proves the
 * ELF reader works. Passes as PIE (ET_DYN) and with -no-pie (ET_EXEC).
 *
 * The robustness half dlopen()s private copies of libm and then damages each
 * copy on disk (truncated, garbage section headers, bad e_shoff, replaced by
 * another ELF, deleted) before its first lookup: every one must come back as
 * the right module with name NULL, not a crash and not a wrong name.
 */
#define _GNU_SOURCE
#include "check.h"
#include "symbolize.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

int lc_test_global = 42;
int lc_test_bss;
int lc_test_array[16];
static volatile int lc_test_static_var = 7;

/* noclone: -O2 could otherwise rename it to a .constprop/.isra clone. */
static __attribute__((noinline, noclone)) int lc_test_static_fn(int x)
{
	return x * lc_test_static_var + 1;
}

static int (*volatile static_fn_ptr)(int) = lc_test_static_fn;

/* Hand-written assembly without .size: a size-0 FUNC, which code addresses
 * after it may fall back to, and a size-0 OBJECT, which data may not. */
__asm__(".text\n"
	".globl lc_test_asm_fn\n"
	".type lc_test_asm_fn, @function\n"
	"lc_test_asm_fn:\n"
	"\tnop\n\tnop\n\tret\n"
	".data\n"
	".globl lc_test_asm_data\n"
	".type lc_test_asm_data, @object\n"
	"lc_test_asm_data:\n"
	"\t.quad 0, 0\n"
	".text\n");
extern char lc_test_asm_fn[], lc_test_asm_data[];

static int sym(const void *p, lc_symbol *s)
{
	memset(s, 0, sizeof *s);
	return lc_symbolize((uintptr_t)p, s);
}

static int named(const lc_symbol *s, const char *name)
{
	return s->name && strcmp(s->name, name) == 0;
}

static int copy_file(const char *src, const char *dst, long keep)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	char buf[65536];
	size_t n;
	long done = 0;

	if (!in || !out)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
		if (keep >= 0 && done + (long)n > keep)
			n = (size_t)(keep - done);
		fwrite(buf, 1, n, out);
		done += (long)n;
		if (keep >= 0 && done >= keep)
			break;
	}
	fclose(in);
	return fclose(out);
}

static void test_main_program(void)
{
	lc_symbol s;
	uintptr_t fn = (uintptr_t)static_fn_ptr;
	Dl_info di;

	CHECK(sym((void *)fn, &s) == 0, "static function: found");
	CHECK(s.module && strstr(s.module, "test_symbolize"),
	      "static function: module is the test binary");
	CHECK(named(&s, "lc_test_static_fn") && s.name_offset == 0,
	      "static function: named from .symtab, offset 0");
	CHECK(sym((void *)(fn + 1), &s) == 0 &&
		      named(&s, "lc_test_static_fn") && s.name_offset == 1,
	      "static function + 1: name_offset 1");

	CHECK(sym(&lc_test_global, &s) == 0 && named(&s, "lc_test_global") &&
		      s.name_offset == 0,
	      "global (.data) named, offset 0");
	CHECK(sym(&lc_test_bss, &s) == 0 && named(&s, "lc_test_bss") &&
		      s.name_offset == 0,
	      "global (.bss) named, offset 0");
	CHECK(sym((const void *)&lc_test_static_var, &s) == 0 &&
		      named(&s, "lc_test_static_var") && s.name_offset == 0,
	      "file-scope static named, offset 0");
	CHECK(sym(&lc_test_array[5], &s) == 0 && named(&s, "lc_test_array") &&
		      s.name_offset == 5 * sizeof(int),
	      "inside a global array: array name, name_offset 20");

	CHECK(sym(lc_test_asm_fn + 2, &s) == 0 && named(&s, "lc_test_asm_fn") &&
		      s.name_offset == 2,
	      "size-0 asm function: code falls back to it, offset 2");
	CHECK(sym(lc_test_asm_data, &s) == 0 && named(&s, "lc_test_asm_data"),
	      "size-0 data label: exact address named");
	CHECK(sym(lc_test_asm_data + 8, &s) == 0 && !s.name,
	      "size-0 data label: no nearest-preceding guess for data");

	/* dladdr's base is the ELF header's address: the load bias for a PIE
	 * (first PT_LOAD at 0), while a non-PIE has bias 0. */
	CHECK(dladdr((void *)fn, &di) != 0, "dladdr knows the test binary");
	if (((const ElfW(Ehdr) *)di.dli_fbase)->e_type == ET_DYN)
		CHECK(sym((void *)fn, &s) == 0 &&
			      s.module_offset == fn - (uintptr_t)di.dli_fbase,
		      "PIE: module_offset = addr - load bias (dli_fbase)");
	else
		CHECK(sym((void *)fn, &s) == 0 && s.module_offset == fn,
		      "non-PIE: module_offset = addr (bias 0)");

	const char *a = NULL, *b = NULL;
	if (sym((void *)fn, &s) == 0)
		a = s.name;
	if (sym((void *)fn, &s) == 0)
		b = s.name;
	CHECK(a && a == b, "cached: the same name pointer twice");
}

static void test_libc(void)
{
	lc_symbol s;
	/* Through libc's own handle: in a non-PIE, &getpid would be the
	 * program's canonical PLT entry, not libc's code. */
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	void *volatile fn = libc ? dlsym(libc, "getpid") : NULL;
	void *data = libc ? dlsym(libc, "_IO_2_1_stdout_") : NULL;
	void *bss = libc ? dlsym(libc, "re_syntax_options") : NULL;

	CHECK(fn && sym(fn, &s) == 0 && strstr(s.module, "libc") && s.name &&
		      strstr(s.name, "getpid"),
	      "libc getpid: module libc, name getpid");
	CHECK(data && sym((char *)data + 8, &s) == 0 && s.name &&
		      strstr(s.name, "_IO_2_1_stdout_") && s.name_offset == 8,
	      "libc .data object named, name_offset 8");
	CHECK(bss && sym(bss, &s) == 0 && named(&s, "re_syntax_options"),
	      "libc .bss object named");
}

static void test_nowhere(void)
{
	lc_symbol s;
	int local = 0;
	char *heap = malloc(32);
	uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);

	CHECK(sym(heap, &s) == -1, "heap address: -1");
	CHECK(sym(&local, &s) == -1, "stack address: -1");
	free(heap);
	if (vdso)
		CHECK(sym((void *)(vdso + 16), &s) == 0 &&
			      strcmp(s.module, "[vdso]") == 0 && !s.name,
		      "vdso: module [vdso], no name");
}

/* Copies libm to dir/name, loads it, returns nextafter's address in it. */
static void *load_copy(const char *libm, const char *dir, const char *name,
		       char *path, size_t n)
{
	void *h, *fn;

	snprintf(path, n, "%s/%s", dir, name);
	if (copy_file(libm, path, -1) != 0)
		return NULL;
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	fn = h ? dlsym(h, "nextafter") : NULL;
	return fn;
}

static void expect_unnamed(void *fn, const char *path, const char *what)
{
	lc_symbol s;

	CHECK(fn && sym(fn, &s) == 0 && strcmp(s.module, path) == 0 && !s.name,
	      what);
}

static void test_damaged_files(void)
{
	char dir[] = "/tmp/lc_symtest.XXXXXX", path[512], tmp[600], libm[512];
	void *h = dlopen("libm.so.6", RTLD_NOW), *fn;
	Dl_info di;
	lc_symbol s;
	struct stat st;
	int fd;

	if (!h || !dladdr(dlsym(h, "nextafter"), &di) || !mkdtemp(dir)) {
		CHECK(0, "setup: libm and a temporary directory");
		return;
	}
	snprintf(libm, sizeof libm, "%s", di.dli_fname);

	fn = load_copy(libm, dir, "good.so", path, sizeof path);
	CHECK(fn && sym(fn, &s) == 0 && strcmp(s.module, path) == 0 && s.name &&
		      strstr(s.name, "nextafter"),
	      "intact libm copy: named from .dynsym");

	/* Half the file: program headers intact, section headers gone. */
	fn = load_copy(libm, dir, "half.so", path, sizeof path);
	stat(libm, &st);
	snprintf(tmp, sizeof tmp, "%s.new", path);
	copy_file(libm, tmp, (long)st.st_size / 2);
	rename(tmp, path);
	expect_unnamed(fn, path, "truncated to half: module, no name");

	fn = load_copy(libm, dir, "tiny.so", path, sizeof path);
	copy_file(libm, tmp, 100);
	rename(tmp, path);
	expect_unnamed(fn, path, "truncated to 100 bytes: module, no name");

	/* In place: the section header table (not loaded) overwritten. */
	fn = load_copy(libm, dir, "garbage.so", path, sizeof path);
	fd = open(path, O_RDWR);
	if (fd >= 0) {
		ElfW(Ehdr) eh;
		char junk[4096];

		memset(junk, 0xff, sizeof junk);
		if (pread(fd, &eh, sizeof eh, 0) == sizeof eh)
			for (off_t o = eh.e_shoff; o < st.st_size; o += sizeof junk)
				pwrite(fd, junk, sizeof junk, o);
		close(fd);
	}
	expect_unnamed(fn, path, "garbage section headers: module, no name");

	/* A replacement with e_shoff pointing past the end of the file. */
	fn = load_copy(libm, dir, "shoff.so", path, sizeof path);
	copy_file(libm, tmp, -1);
	fd = open(tmp, O_RDWR);
	if (fd >= 0) {
		uint64_t far = (uint64_t)st.st_size - 8;

		pwrite(fd, &far, sizeof far, offsetof(ElfW(Ehdr), e_shoff));
		close(fd);
	}
	rename(tmp, path);
	expect_unnamed(fn, path, "e_shoff past the end: module, no name");

	/* A valid ELF, but not the loaded one: its names would be wrong. */
	fn = load_copy(libm, dir, "other.so", path, sizeof path);
	if (dladdr(dlsym(RTLD_DEFAULT, "getpid"), &di))
		copy_file(di.dli_fname, tmp, -1);
	rename(tmp, path);
	expect_unnamed(fn, path, "replaced by another library: no wrong name");

	fn = load_copy(libm, dir, "gone.so", path, sizeof path);
	unlink(path);
	expect_unnamed(fn, path, "deleted file: module, no name");

	const char *names[] = { "good.so", "half.so", "tiny.so", "garbage.so",
				"shoff.so", "other.so" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void *hammer(void *arg)
{
	lc_symbol s;
	long bad = 0;

	for (int i = 0; i < 20000; i++) {
		const void *p = (i & 1) ? (const void *)&lc_test_array[3]
					: (const void *)static_fn_ptr;
		const char *want = (i & 1) ? "lc_test_array" : "lc_test_static_fn";

		if (sym(p, &s) != 0 || !named(&s, want))
			bad++;
	}
	return (void *)bad;
}

static void test_threads(void)
{
	pthread_t t[4];
	long bad = 0;

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer, NULL);
	for (int i = 0; i < 4; i++) {
		void *r;

		pthread_join(t[i], &r);
		bad += (long)r;
	}
	CHECK(bad == 0, "4 threads x 20000 lookups: all named");
}

int main(void)
{
	if (static_fn_ptr(1) != 8)
		return 2;
	test_main_program();
	test_libc();
	test_nowhere();
	test_damaged_files();
	test_threads();
	CHECK_DONE();
}
