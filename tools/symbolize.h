/*
 * symbolize.h: offline symbolisation of the frames of a report set.
 *
 * The shim writes raw frames (module path, module-relative return address,
 * the nearest ELF symbol as it found it). The CLI turns them into what a
 * person reads: the function (demangled), file:line, the source line, and
 * the functions inlined at that address, one frame each. It reads the
 * modules' files and their debug information (DWARF, in the file or separate
 * under /usr/lib/debug) with libdw, after the process has gone: nothing here
 * attaches to a live process.
 *
 * A frame whose module cannot be read, or no longer matches the report (the
 * file was rebuilt: the symbol the shim named does not cover the offset any
 * more), keeps its plain form: module+offset and the shim's name (demangled).
 * That is not an error: no message, no failure.
 */
#ifndef LC_TOOLS_SYMBOLIZE_H
#define LC_TOOLS_SYMBOLIZE_H

#include "read.h"

/* Flags of lc_symbolize_set. */
#define LC_SYM_SOURCE 0x1u   /* fill frame.source from readable source files */
#define LC_SYM_GRAPHS 0x2u   /* also the stacks of "graph" events' edges,
			      * and their locks' creation sites */
#define LC_SYM_NONE 0x100u   /* do nothing (--no-symbolize): return at once */

/* Rewrites every frame of every finding of set (edges' stack and held_stack,
 * sites' stacks, locks' creation stacks; with LC_SYM_GRAPHS also graph
 * edges): function demangled, file (relative to the current directory when
 * under it, else as the debug info has it), line, and with LC_SYM_SOURCE the
 * source line's text. A return address inside inlined code becomes several
 * frames, the innermost first, each but the last with inlined = 1, all with
 * the original pc, module and offset; such stacks get new frames arrays. All
 * new memory belongs to the set (lc_read_alloc), so it lives until
 * lc_read_free. Returns the number of frames given a file:line, or -1 when
 * out of memory (one message on stderr; the frames not yet done stay plain).
 * Not thread safe (one set has one owner); honours DEBUGINFOD_URLS as every
 * elfutils tool does. */
int lc_symbolize_set(lc_report_set *set, unsigned flags);

#endif
