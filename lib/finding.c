/*
 * finding.c: names of finding kinds and severities, lookups in a finding,
 * and the hash that finding ids are made of.
 *
 * The kind names are the contract's (CONTRACT.md, "Finding kinds"): they are
 * an API and never change once released.
 */
#include "finding.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

uint64_t lc_hash_str(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

void lc_format_id(char *buf, uint64_t id)
{
	snprintf(buf, 24, "lc1-%016" PRIx64, id);
}

const char *lc_finding_kind_name(lc_finding_kind kind)
{
	switch (kind) {
	case LC_KIND_LOCK_ORDER_INVERSION: return "lock-order-inversion";
	case LC_KIND_DEADLOCK: return "deadlock";
	case LC_KIND_DOUBLE_LOCK: return "double-lock";
	case LC_KIND_BAD_UNLOCK: return "bad-unlock";
	case LC_KIND_DESTROY_LOCKED: return "destroy-locked";
	case LC_KIND_COND_WAIT_UNHELD: return "cond-wait-unheld";
	case LC_KIND_HELD_AT_EXIT: return "held-at-exit";
	case LC_KIND_ORDER_VIOLATION: return "order-violation";
	case LC_KIND_LONG_WAIT: return "long-wait";
	case LC_KIND_INVALID_USE: return "invalid-use";
	case LC_KIND_REINIT: return "reinit";
	case LC_KIND_COND_MISUSE: return "cond-misuse";
	case LC_KIND_SEM_MISUSE: return "sem-misuse";
	case LC_KIND_BARRIER_MISUSE: return "barrier-misuse";
	case LC_KIND_COUNT: break;
	}
	return "unknown";
}

int lc_finding_kind_parse(const char *name, lc_finding_kind *out)
{
	for (int k = 0; k < LC_KIND_COUNT; k++) {
		if (strcmp(name, lc_finding_kind_name((lc_finding_kind)k)) == 0) {
			*out = (lc_finding_kind)k;
			return 0;
		}
	}
	return -1;
}

const char *lc_severity_name(lc_severity s)
{
	return s == LC_SEV_ERROR ? "error" : "warning";
}

const lc_finding_lock *lc_finding_lock_by_id(const lc_finding *f, unsigned id)
{
	for (unsigned i = 0; i < f->n_locks; i++)
		if (f->locks[i].id == id)
			return &f->locks[i];
	return NULL;
}

const lc_finding_thread *lc_finding_thread_by_id(const lc_finding *f,
						 unsigned id)
{
	for (unsigned i = 0; i < f->n_threads; i++)
		if (f->threads[i].id == id)
			return &f->threads[i];
	return NULL;
}
