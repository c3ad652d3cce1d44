/*
 * annotate.c: the entry points behind lib/lockcheck.h's annotations.
 *
 * Programs reach these through weak references (NULL when the shim is not
 * loaded), so their names and signatures are part of the installed API.
 */
#include "event.h"
#include "real.h"

LC_EXPORT void lockcheck_shim_name(void *lock, const char *name)
{
	if (lock && name)
		lc_on_name(lock, name);
}

LC_EXPORT void lockcheck_shim_rank(void *lock, unsigned rank)
{
	if (lock)
		lc_on_rank(lock, rank);
}

LC_EXPORT unsigned lockcheck_shim_rank_of(void *lock)
{
	return lock ? lc_rank_of(lock) : 0;
}
