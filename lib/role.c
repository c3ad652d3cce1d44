/*
 * role.c: the role table (role.h).
 *
 * An array in the BSS (untouched pages cost nothing) searched by an
 * open-addressing index on (routine, site). Thread start and end take the
 * role lock for a few instructions: they cost tens of microseconds anyway,
 * and a lock-free table would buy nothing here.
 */
#include "role.h"

#include <string.h>

#include "graph.h"
#include "limit.h"
#include "symbolize.h"
#include "sync.h"

#define INDEX_SLOTS (2 * LC_MAX_ROLES) /* a power of two */

static lc_role roles[LC_MAX_ROLES];
static uint32_t role_index[INDEX_SLOTS]; /* role id, 0: empty */
static _Atomic uint32_t n_roles = LC_ROLE_FIRST;
static lc_mutex role_lock = LC_MUTEX_INIT;

static uint32_t slot_of(uintptr_t routine, uintptr_t site)
{
	uint64_t h = ((uint64_t)routine * 0x9E3779B97F4A7C15ull) ^ site;
	h = (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ull;
	return (uint32_t)(h >> 32) & (INDEX_SLOTS - 1);
}

static void count_in(lc_role *r)
{
	r->threads++;
	if (++r->live > r->max_live)
		r->max_live = r->live;
}

/* Call sites of pthread_create already classified: std::thread's or not. */
#define SITE_CACHE 16
static struct {
	_Atomic uintptr_t site;
	_Atomic int is_cxx;
} site_cache[SITE_CACHE];

/* Is site (a return address) inside libstdc++'s std::thread::_M_start_thread?
 * Asked of the symbolizer once per site (its .dynsym exports the name). */
static int cxx_start_site(uintptr_t site)
{
	unsigned i = (unsigned)(site >> 4) & (SITE_CACHE - 1);
	if (atomic_load(&site_cache[i].site) == site)
		return atomic_load(&site_cache[i].is_cxx);
	/* Under the graph lock, as every other symbolisation: fork takes it
	 * first, so no thread is inside the symbolizer (holding its lock)
	 * when a child is made (real/stress_fork hung in a child's exit). */
	lc_symbol sym;
	lc_graph_lock();
	int yes = lc_symbolize(site - 1, &sym) == 0 && sym.name &&
		  strstr(sym.name, "6thread15_M_start_thread") &&
		  strstr(sym.module, "libstdc++");
	lc_graph_unlock();
	atomic_store(&site_cache[i].is_cxx, yes);
	atomic_store(&site_cache[i].site, site);
	return yes;
}

uintptr_t lc_role_routine(uintptr_t routine, const void *arg, uintptr_t site)
{
	if (!arg || !site || !cxx_start_site(site))
		return routine;
	/* arg is the std::thread::_State the new thread owns, alive until
	 * its routine returns. Its virtual table (Itanium C++ ABI): the two
	 * destructors, then _M_run. */
	const uintptr_t *vtable = *(const uintptr_t *const *)arg;
	return vtable && vtable[2] ? vtable[2] : routine;
}

uint32_t lc_role_enter(uintptr_t routine, uintptr_t site)
{
	lc_mutex_lock(&role_lock);
	uint32_t i = slot_of(routine, site), id = LC_ROLE_OTHER;
	for (;; i = (i + 1) & (INDEX_SLOTS - 1)) {
		uint32_t at = role_index[i];
		if (at == 0) {
			uint32_t n = atomic_load_explicit(&n_roles,
							  memory_order_relaxed);
			if (n == LC_MAX_ROLES) {
				lc_limit_reached(LC_LIMIT_THREAD_ROLES,
						 LC_MAX_ROLES);
				break;
			}
			roles[n].routine = routine;
			roles[n].site = site;
			role_index[i] = id = n;
			atomic_store_explicit(&n_roles, n + 1,
					      memory_order_release);
			break;
		}
		if (roles[at].routine == routine && roles[at].site == site) {
			id = at;
			break;
		}
	}
	count_in(&roles[id]);
	lc_mutex_unlock(&role_lock);
	return id;
}

void lc_role_enter_id(uint32_t id)
{
	if (id >= LC_ROLE_FIRST)
		return;
	lc_mutex_lock(&role_lock);
	count_in(&roles[id]);
	lc_mutex_unlock(&role_lock);
}

void lc_role_leave(uint32_t id)
{
	if (id >= LC_MAX_ROLES)
		return;
	lc_mutex_lock(&role_lock);
	if (roles[id].live > 0)
		roles[id].live--;
	lc_mutex_unlock(&role_lock);
}

void lc_role_note_name(uint32_t id, uint32_t thread)
{
	if (id < LC_MAX_ROLES && !roles[id].named_by)
		roles[id].named_by = thread;
}

const lc_role *lc_role_get(uint32_t id)
{
	return id < lc_role_count() ? &roles[id] : NULL;
}

uint32_t lc_role_count(void)
{
	return atomic_load_explicit(&n_roles, memory_order_acquire);
}

void lc_role_fork_prepare(void)
{
	lc_mutex_lock(&role_lock);
}

void lc_role_fork_parent(void)
{
	lc_mutex_unlock(&role_lock);
}

void lc_role_fork_child(uint32_t forker_role)
{
	for (uint32_t i = 0, n = lc_role_count(); i < n; i++)
		roles[i].live = 0;
	if (forker_role < LC_MAX_ROLES)
		roles[forker_role].live = 1;
	lc_mutex_unlock(&role_lock);
}
