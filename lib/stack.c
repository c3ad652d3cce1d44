/*
 * stack.c: libunwind capture and the interned stack depot (see stack.h).
 */
#define _GNU_SOURCE
#include "stack.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "arena.h"
#include "limit.h"
#include "options.h"
#include "sync.h"

#define DEPOT_BUCKET_BITS 16
#define DEPOT_BUCKETS ((uint32_t)1 << DEPOT_BUCKET_BITS)

typedef struct depot_entry {
	struct depot_entry *next;
	uint64_t hash;
	uint32_t id;
	uint32_t depth;
	uintptr_t pcs[];
} depot_entry;

static uintptr_t shim_start, shim_end;
static _Atomic(depot_entry *) *buckets;
static _Atomic(depot_entry *) *by_id;
static uint32_t n_stacks;
static lc_mutex depot_lock = LC_MUTEX_INIT;

static int find_shim_range(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t base = (uintptr_t)arg;
	if (info->dlpi_addr != base)
		return 0;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		uintptr_t s = info->dlpi_addr + ph->p_vaddr;
		if (s < lo)
			lo = s;
		if (s + ph->p_memsz > hi)
			hi = s + ph->p_memsz;
	}
	shim_start = lo;
	shim_end = hi;
	return 1;
}

/*
 * libunwind's memory reads, without its descriptors.
 *
 * When libunwind is unsure an address is readable (following frame chains,
 * checking for a signal trampoline) it proves it by writing a byte from
 * that address into a pipe of its own, after reading a byte back out. The
 * pipe's descriptors are ordinary small numbers: a program that closes
 * every descriptor it did not open (daemons do) and opens sockets or files
 * of its own at those numbers had libunwind read a byte out of them and
 * write one into them, corrupting its data (seen: a socket lost its first
 * byte and received a NUL). So the local address space's access_mem is
 * replaced (libunwind calls it through the accessor table that
 * unw_get_accessors returns) by one that proves an address with
 * process_vm_readv on this process, which reads the word or fails with
 * EFAULT, and touches no descriptor. Pages proven during one capture are
 * remembered for the rest of it (most reads are of the few stack pages the
 * walk crosses); nothing is remembered across captures, since memory may
 * be unmapped in between. Reads between the reader's own stack pointer and
 * the top of the thread's stack need no proof (that span is the thread's
 * live stack, mapped for as long as the thread runs): the top is the
 * thread's descriptor (glibc puts it at the top of the stack block of every
 * thread it creates) or, for the main thread, whose descriptor lies
 * elsewhere, __libc_stack_end. So a capture usually makes no system call.
 * If the kernel refuses process_vm_readv (a seccomp filter), libunwind's
 * own reader stays in place.
 */
#define PROVEN_PAGES 4
static __thread uintptr_t proven[PROVEN_PAGES]
	__attribute__((tls_model("initial-exec")));
static __thread unsigned n_proven __attribute__((tls_model("initial-exec")));
static __thread unsigned proven_next __attribute__((tls_model("initial-exec")));
/* Stacks are 8 MiB by default. A span longer than this between the reader
 * and the supposed top means the top is not this stack's (the main
 * thread's descriptor, or a handler on an alternate signal stack far
 * away), and reads are proven instead: correct, only slower. (A handler on
 * an alternate stack mapped just below its thread's stack would take the
 * gap between them for live stack; only a garbage pointer followed into
 * that gap would then fault.) */
#define STACK_SPAN_MAX ((uintptr_t)64 << 20)
extern void *__libc_stack_end;

/* Is [addr, addr + len) within the live part of the calling thread's own
 * stack, between the caller's frame and the top of the stack? */
static int on_live_stack(uintptr_t addr, size_t len)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t top = (uintptr_t)pthread_self();
	if (top <= sp || top - sp >= STACK_SPAN_MAX)
		top = (uintptr_t)__libc_stack_end;
	return top > sp && top - sp < STACK_SPAN_MAX && addr >= sp &&
	       addr + len <= top;
}

static int access_mem_proven(unw_addr_space_t as, unw_word_t addr,
			     unw_word_t *val, int write, void *arg)
{
	if (write) {
		*(unw_word_t *)addr = *val;
		return 0;
	}
	if (on_live_stack((uintptr_t)addr, sizeof *val)) {
		*val = *(const unw_word_t *)addr;
		return 0;
	}
	uintptr_t page = (uintptr_t)addr & ~(uintptr_t)4095;
	if (page == (((uintptr_t)addr + sizeof *val - 1) & ~(uintptr_t)4095))
		for (unsigned i = 0; i < n_proven; i++)
			if (proven[i] == page) {
				*val = *(const unw_word_t *)addr;
				return 0;
			}
	struct iovec here = { val, sizeof *val };
	struct iovec there = { (void *)addr, sizeof *val };
	/* The reading thread's own id, not the process's: once the main
	 * thread has ended (pthread_exit), the process id names a zombie
	 * without memory, and every read would fail. */
	if (process_vm_readv(gettid(), &here, 1, &there, 1, 0) !=
	    (ssize_t)sizeof *val)
		return -UNW_EINVAL;
	/* The oldest page makes room once all are taken. */
	proven[proven_next++ % PROVEN_PAGES] = page;
	if (n_proven < PROVEN_PAGES)
		n_proven++;
	return 0;
}

/* Replaces libunwind's reader if process_vm_readv works here. */
static void use_proven_reads(void)
{
	unw_word_t probe = 0x6c63, copy = 0;
	struct iovec here = { &copy, sizeof copy };
	struct iovec there = { &probe, sizeof probe };
	if (process_vm_readv(gettid(), &here, 1, &there, 1, 0) !=
		    (ssize_t)sizeof copy ||
	    copy != probe)
		return;
	unw_accessors_t *acc = unw_get_accessors(unw_local_addr_space);
	if (acc)
		acc->access_mem = access_mem_proven;
}

int lc_stack_init(void)
{
	use_proven_reads();
	Dl_info info;
	if (dladdr((void *)lc_stack_init, &info) && info.dli_fbase) {
		/* dli_fbase is the mapping start; dlpi_addr is the load bias.
		 * For a shared object linked at 0 they are equal. */
		dl_iterate_phdr(find_shim_range, info.dli_fbase);
	}
	buckets = lc_arena_alloc(sizeof(*buckets) * DEPOT_BUCKETS);
	by_id = lc_arena_alloc(sizeof(*by_id) * (LC_DEPOT_STACKS + 1));
	return buckets && by_id ? 0 : -1;
}

int lc_stack_pc_in_shim(uintptr_t pc)
{
	return pc >= shim_start && pc < shim_end;
}

/* A thread's first captures walk the stack step by step; later ones use
 * unw_backtrace. unw_backtrace is fast (about 60 ns for 14 frames here)
 * because it keeps a frame cache per thread, but that cache is 256 KiB that
 * libunwind maps and fills at the thread's first call and unmaps at its
 * exit: about 0.6 ms a thread on these machines, which made a program that
 * creates 10,000 short threads (each learning an edge or two) 9 times
 * slower. Stepping costs about 10 us a capture (libunwind makes a few
 * sigprocmask calls each time) and needs no per-thread memory. So, as in
 * renting skis until their price is spent, a thread steps until its
 * steps have cost about what the cache costs (STEP_CAPTURES: 64 x 10 us),
 * and then buys: a thread never pays more than about twice what the better
 * choice for its whole life would have cost. Threads in this tree's stress
 * tests capture 1 to 50 stacks; a long-lived thread pays the 0.6 ms once.
 * Both walks give the same frames. */
#define STEP_CAPTURES 64
static __thread unsigned captures_in_thread
	__attribute__((tls_model("initial-exec")));

static int capture_by_steps(void **raw, int max)
{
	unw_context_t context;
	unw_cursor_t cursor;
	if (unw_getcontext(&context) != 0 ||
	    unw_init_local(&cursor, &context) != 0)
		return 0;
	int n = 0;
	do {
		unw_word_t ip;
		if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0 || ip == 0)
			break;
		raw[n++] = (void *)ip;
	} while (n < max && unw_step(&cursor) > 0);
	return n;
}

unsigned lc_stack_capture(uintptr_t *pcs, unsigned max)
{
	void *raw[LC_STACK_MAX + 16];
	int room = (int)(sizeof raw / sizeof raw[0]);
	/* Where libunwind keeps its own reader (process_vm_readv refused),
	 * it checks doubtful addresses through its pipe with write and read:
	 * cancellation points, which must not act inside the interposed call
	 * (sys.h). */
	int cancel_state;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
	n_proven = 0;
	proven_next = 0;
	int n = captures_in_thread < STEP_CAPTURES
			? (captures_in_thread++, capture_by_steps(raw, room))
			: unw_backtrace(raw, room);
	pthread_setcancelstate(cancel_state, NULL);
	unsigned limit = max;
	if (limit > (unsigned)lc_opt.stack_depth)
		limit = (unsigned)lc_opt.stack_depth;
	unsigned depth = 0;
	/* The shim's frames are dropped wherever they are: the interposer and
	 * core on top, the thread-start trampoline at the bottom. */
	for (int i = 0; i < n && depth < limit; i++)
		if (!lc_stack_pc_in_shim((uintptr_t)raw[i]))
			pcs[depth++] = (uintptr_t)raw[i];
	return depth;
}

unsigned lc_stack_capture_regs(const lc_regs *regs, uintptr_t *pcs,
			       unsigned max)
{
#if LC_REGS_SAVED
	if (!regs->ip || !regs->sp)
		return 0;
	/* libunwind's local context on x86-64 is a ucontext: the unwinder
	 * starts from these registers and reads the rest from the stack. */
	unw_context_t context;
	memset(&context, 0, sizeof context);
	greg_t *g = context.uc_mcontext.gregs;
	g[REG_RIP] = (greg_t)regs->ip;
	g[REG_RSP] = (greg_t)regs->sp;
	g[REG_RBP] = (greg_t)regs->bp;
	g[REG_RBX] = (greg_t)regs->bx;
	g[REG_R12] = (greg_t)regs->r12;
	g[REG_R13] = (greg_t)regs->r13;
	g[REG_R14] = (greg_t)regs->r14;
	g[REG_R15] = (greg_t)regs->r15;
	void *raw[LC_STACK_MAX + 16];
	int room = (int)(sizeof raw / sizeof raw[0]), n = 0;
	int cancel_state;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
	n_proven = 0;
	proven_next = 0;
	unw_cursor_t cursor;
	if (unw_init_local(&cursor, &context) == 0) {
		do {
			unw_word_t ip;
			if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0 || !ip)
				break;
			raw[n++] = (void *)ip;
		} while (n < room && unw_step(&cursor) > 0);
	}
	pthread_setcancelstate(cancel_state, NULL);
	unsigned limit = max, depth = 0;
	if (limit > (unsigned)lc_opt.stack_depth)
		limit = (unsigned)lc_opt.stack_depth;
	for (int i = 0; i < n && depth < limit; i++)
		if (!lc_stack_pc_in_shim((uintptr_t)raw[i]))
			pcs[depth++] = (uintptr_t)raw[i];
	return depth;
#else
	(void)regs;
	(void)pcs;
	(void)max;
	return 0;
#endif
}

static uint64_t hash_pcs(const uintptr_t *pcs, unsigned depth)
{
	uint64_t h = 0xcbf29ce484222325ull ^ depth;
	for (unsigned i = 0; i < depth; i++)
		h = (h ^ pcs[i]) * 0x100000001b3ull;
	return h;
}

/* The bucket of a stack hash: its top bits after a Fibonacci multiply.
 * The hash's low bits alone are poor: return addresses that differ by a
 * multiple of 16 (call sites in aligned functions) leave them alike. */
static uint32_t bucket_of(uint64_t h)
{
	return (uint32_t)((h * 0x9E3779B97F4A7C15ull) >> (64 - DEPOT_BUCKET_BITS));
}

static depot_entry *lookup(uint64_t h, const uintptr_t *pcs, unsigned depth)
{
	depot_entry *e = atomic_load_explicit(&buckets[bucket_of(h)],
					      memory_order_acquire);
	for (; e; e = e->next)
		if (e->hash == h && e->depth == depth &&
		    memcmp(e->pcs, pcs, depth * sizeof *pcs) == 0)
			return e;
	return NULL;
}

uint32_t lc_stack_intern(const uintptr_t *pcs, unsigned depth)
{
	if (depth == 0)
		return 0;
	uint64_t h = hash_pcs(pcs, depth);
	depot_entry *e = lookup(h, pcs, depth);
	if (e)
		return e->id;
	lc_mutex_lock(&depot_lock);
	e = lookup(h, pcs, depth);
	if (!e && n_stacks < LC_DEPOT_STACKS) {
		e = lc_arena_alloc(sizeof *e + depth * sizeof *pcs);
		if (e) {
			e->hash = h;
			e->depth = depth;
			e->id = ++n_stacks;
			memcpy(e->pcs, pcs, depth * sizeof *pcs);
			_Atomic(depot_entry *) *b = &buckets[bucket_of(h)];
			e->next = atomic_load_explicit(b, memory_order_relaxed);
			atomic_store_explicit(&by_id[e->id], e, memory_order_release);
			atomic_store_explicit(b, e, memory_order_release);
		}
	} else if (!e) {
		lc_limit_reached(LC_LIMIT_STACK_DEPOT, LC_DEPOT_STACKS);
	}
	lc_mutex_unlock(&depot_lock);
	return e ? e->id : 0;
}

const uintptr_t *lc_stack_get(uint32_t id, unsigned *depth)
{
	depot_entry *e = NULL;
	if (id > 0 && id <= LC_DEPOT_STACKS)
		e = atomic_load_explicit(&by_id[id], memory_order_acquire);
	*depth = e ? e->depth : 0;
	return e ? e->pcs : NULL;
}

uint32_t lc_stack_count(void)
{
	return __atomic_load_n(&n_stacks, __ATOMIC_RELAXED);
}

void lc_stack_fork_prepare(void)
{
	lc_mutex_lock(&depot_lock);
}

void lc_stack_fork_release(void)
{
	lc_mutex_unlock(&depot_lock);
}

#define SHARE_CALLS 16 /* calls remembered per thread (direct-mapped) */

typedef struct share_call {
	uintptr_t cfa, pc;
	uint32_t stack;       /* its id; 0: empty */
	uint32_t depth;       /* frames whose places are known; 0: seen once */
	uintptr_t slot[LC_STACK_MAX]; /* where frame k's return address lies */
	uintptr_t ip[LC_STACK_MAX];
} share_call;

struct lc_stack_share {
	share_call calls[SHARE_CALLS];
};

/* Walks the stack step by step (stack.c's capture_by_steps), keeping for
 * each frame outside the shim the place of its return address: the
 * stack pointer of the frame above, less 8 (x86-64: a call pushes the
 * return address just below the caller's stack pointer). The first kept
 * frame must be the call's own (pc at cfa - 8), each place must hold its
 * frame, and no frame may be a signal frame; else 0. Returns the depth. */
static unsigned capture_with_places(share_call *c)
{
#if LC_REGS_SAVED
	unw_context_t context;
	unw_cursor_t cursor;
	if (unw_getcontext(&context) != 0 ||
	    unw_init_local(&cursor, &context) != 0)
		return 0;
	unsigned limit = LC_STACK_MAX, depth = 0;
	if (limit > (unsigned)lc_opt.stack_depth)
		limit = (unsigned)lc_opt.stack_depth;
	for (int steps = 0; depth < limit && steps < LC_STACK_MAX + 16;
	     steps++) {
		unw_word_t ip, sp;
		if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0 || ip == 0 ||
		    unw_get_reg(&cursor, UNW_REG_SP, &sp) != 0)
			break;
		if (unw_is_signal_frame(&cursor) > 0)
			return 0;
		if (!lc_stack_pc_in_shim((uintptr_t)ip)) {
			uintptr_t place = (uintptr_t)sp - 8;
			if (depth == 0 && (ip != c->pc || place != c->cfa - 8))
				return 0;
			if (!on_live_stack(place, sizeof(uintptr_t)) ||
			    *(const uintptr_t *)place != (uintptr_t)ip ||
			    (depth && place <= c->slot[depth - 1]))
				return 0;
			c->slot[depth] = place;
			c->ip[depth] = (uintptr_t)ip;
			depth++;
		}
		if (unw_step(&cursor) <= 0)
			break;
	}
	return depth;
#else
	(void)c;
	return 0;
#endif
}

uint32_t lc_stack_here_at(lc_stack_share **share, uintptr_t pc,
			  uintptr_t cfa)
{
	if (!cfa || !pc || !LC_REGS_SAVED)
		return lc_stack_here(pc);
	if (!*share && !(*share = lc_arena_alloc(sizeof **share)))
		return lc_stack_here(pc);
	uint64_t h = (cfa ^ pc * 0x9E3779B97F4A7C15ull) * 0xC2B2AE3D27D4EB4Full;
	share_call *c = &(*share)->calls[h >> 60 & (SHARE_CALLS - 1)];
	if (c->stack && c->cfa == cfa && c->pc == pc) {
		if (c->depth) {
			/* Every place is on this thread's live stack (its
			 * deepest and shallowest are; the rest lie between)
			 * and still holds its frame: the same walk. */
			unsigned n = c->depth;
			if (on_live_stack(c->slot[0], sizeof(uintptr_t)) &&
			    on_live_stack(c->slot[n - 1], sizeof(uintptr_t))) {
				unsigned k = 0;
				while (k < n && *(const uintptr_t *)c->slot[k] ==
							c->ip[k])
					k++;
				if (k == n)
					return c->stack;
			}
		} else {
			/* Seen once: learn its places now. */
			int cancel_state;
			pthread_setcancelstate(PTHREAD_CANCEL_DISABLE,
					       &cancel_state);
			n_proven = 0;
			proven_next = 0;
			unsigned depth = capture_with_places(c);
			pthread_setcancelstate(cancel_state, NULL);
			if (depth) {
				uint32_t id = lc_stack_intern(c->ip, depth);
				if (id) {
					c->stack = id;
					c->depth = depth;
					return id;
				}
			}
		}
	}
	uint32_t id = lc_stack_here(pc);
	*c = (share_call){ .cfa = cfa, .pc = pc, .stack = id };
	return id;
}

uint32_t lc_stack_here(uintptr_t pc)
{
	uintptr_t pcs[LC_STACK_MAX];
	unsigned depth = lc_stack_capture(pcs, LC_STACK_MAX);
	if (depth == 0 && pc) {
		pcs[0] = pc;
		depth = 1;
	}
	return lc_stack_intern(pcs, depth);
}
