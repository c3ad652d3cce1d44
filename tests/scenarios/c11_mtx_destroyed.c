/*
 * c11_mtx_destroyed: a C11 mtx_t locked after mtx_destroy.
 *
 * Pattern: log_mtx is initialised, used and destroyed; a late logger locks
 * it. glibc's mtx_destroy is pthread_mutex_destroy, which leaves an invalid
 * kind: mtx_lock fails (thrd_error).
 *
 * MUST REPORT: one invalid-use (detail destroyed) of log_mtx, and nothing
 * else.
 */
#include <stdio.h>
#include <threads.h>

mtx_t log_mtx;

int main(void)
{
	mtx_init(&log_mtx, mtx_plain);
	mtx_lock(&log_mtx);
	mtx_unlock(&log_mtx);
	mtx_destroy(&log_mtx);
	int rc = mtx_lock(&log_mtx);
	printf("c11_mtx_destroyed: lock %s\n",
	       rc == thrd_error ? "failed" : "succeeded");
	return 0;
}
