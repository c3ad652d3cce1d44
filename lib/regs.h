/*
 * regs.h: a sleeping thread's stack, walkable by another thread.
 *
 * A thread that goes to sleep in a condition, semaphore or barrier wait can
 * no longer capture its own stack, and the all-asleep detector
 * (detect_asleep.h) needs it only in the rare case that every thread sleeps
 * for good. Capturing it on every wait would cost an unwind per wait;
 * signalling the sleeper later would make a sem_wait return EINTR. So the
 * interposer saves, just before the real wait, the few registers an
 * unwinder starts from: the instruction pointer and stack pointer of its
 * own frame and the callee-saved registers. That frame and every frame
 * above it stay as they are for as long as the thread sleeps below them, so
 * another thread can later walk the stack from these registers as if it
 * were the sleeper (stack.h: lc_stack_capture_regs), reading the sleeper's
 * stack through the checked reads stack.c already uses.
 *
 * The save is a handful of moves, no call: it must run in the interposer's
 * own frame (LC_REGS_SAVE is a macro for that reason), after which the
 * interposer must call the real wait from that same frame. The saved
 * instruction pointer is the save's own address, so the unwind tables
 * describe the frame exactly there; a nop just before it makes the lookup
 * an unwinder does at ip - 1 (it takes a frame's ip for a return address)
 * land in the same row of the tables. Only x86-64 has the save; elsewhere
 * the regs stay invalid and a report shows the wait's call site alone.
 */
#ifndef LC_REGS_H
#define LC_REGS_H

#include <stdint.h>

typedef struct lc_regs {
	uintptr_t ip, sp, bp, bx, r12, r13, r14, r15;
} lc_regs;

#if defined(__x86_64__)
#define LC_REGS_SAVED 1
/* Saves the current frame's registers into *(r) (an lc_regs *). */
#define LC_REGS_SAVE(r)                                                        \
	__asm__ volatile("nop\n"                                               \
			 "1: leaq 1b(%%rip), %%rax\n\t"                        \
			 "movq %%rax, 0(%0)\n\t"                               \
			 "movq %%rsp, 8(%0)\n\t"                               \
			 "movq %%rbp, 16(%0)\n\t"                              \
			 "movq %%rbx, 24(%0)\n\t"                              \
			 "movq %%r12, 32(%0)\n\t"                              \
			 "movq %%r13, 40(%0)\n\t"                              \
			 "movq %%r14, 48(%0)\n\t"                              \
			 "movq %%r15, 56(%0)"                                  \
			 :                                                     \
			 : "r"(r)                                              \
			 : "rax", "memory")
#else
#define LC_REGS_SAVED 0
#define LC_REGS_SAVE(r) ((r)->ip = 0)
#endif

#endif
