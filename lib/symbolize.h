/*
 * symbolize.h: in-process address -> (module, offset, symbol) lookup.
 *
 * The shim must name functions in stacks and name global locks by their
 * variable, for programs built without -rdynamic, where dladdr() only knows
 * exported symbols. So it reads the ELF symbol tables (.symtab, then .dynsym)
 * of each loaded module itself, from the file, mapped with mmap. It never calls
 * malloc (it runs under the shim's locks inside someone else's program); module
 * images are mapped once and kept. Only called on the slow path (a finding or
 * the exit graph), never per lock operation.
 */
#ifndef LC_SYMBOLIZE_H
#define LC_SYMBOLIZE_H

#include <stdint.h>

typedef struct lc_symbol {
	const char *module;    /* path of the loaded object (never NULL when found) */
	uint64_t module_offset; /* addr - load bias of the module */
	const char *name;      /* nearest containing symbol, raw, or NULL */
	const char *display;   /* name as people read it: C++ demangled
				* (demangle.h), else name itself */
	uint64_t name_offset;  /* addr - symbol start */
	const unsigned char *build_id; /* the module's GNU build-id, or NULL */
	unsigned build_id_len;
	int is_main;           /* the module is the main executable */
} lc_symbol;

/* Resolves addr, a code or data address of this process.
 * Returns 0 and fills *out when addr lies in a loaded module (out->name may
 * still be NULL if no symbol covers it), -1 when it lies in no module (heap,
 * stack, anonymous memory). Thread safe: callers serialise through the shim's
 * report lock; returned strings stay valid for the life of the process. */
int lc_symbolize(uintptr_t addr, lc_symbol *out);

#endif
