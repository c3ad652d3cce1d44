/*
 * render_json.c: `lockcheck report --format json`: the merged findings as
 * one JSON array.
 *
 * Each element is the finding exactly as the shim writes it (the one JSON
 * writer, lib/json_write.c, so the schema is README.md's "Report format",
 * "event":"finding" included, and symbolised frames carry "file" and
 * "line"), the occurrence `lockcheck report` shows, with three fields added
 * at the end:
 *   "count"      the number of processes that wrote it (sightings),
 *   "instances"  lock instances over those processes (the end events'
 *                "repeats"; equal to count when nothing repeated),
 *   "pids"       the distinct pids, ascending,
 * and with --baseline a fourth, "baseline": "new" or "unchanged" (the
 * baseline's findings not seen now are not listed: the array stays the
 * findings of this report, fit to be the next run's baseline).
 * One finding per line, in the order of the text report: easy to diff and
 * to read with `jq '.[]'` or line by line. An empty report is "[]".
 */
#include "fold.h"
#include "render.h"

#include "json_write.h"

int render_json(FILE *out, const lc_report_set *set, const struct merge *m,
		int color)
{
	lc_buf b = {0};
	lc_buf_puts(&b, "[");
	for (size_t i = 0; i < m->n; i++) {
		const struct merged *g = &m->items[i];
		lc_buf_puts(&b, i ? ",\n" : "\n");
		size_t start = b.len;
		lc_finding shown = fold_shown(set, g);
		lc_json_write_finding(&b, &shown);
		/* Reopen the object to add the merge's fields. */
		if (b.len > start && b.data[b.len - 1] == '}')
			b.data[--b.len] = '\0';
		lc_buf_printf(&b, ",\"count\":%u,\"instances\":%lu,\"pids\":[",
			      g->count, g->instances);
		for (unsigned k = 0; k < g->n_pids; k++)
			lc_buf_printf(&b, "%s%d", k ? "," : "", g->pids[k]);
		lc_buf_puts(&b, "]");
		if (g->baseline != BASELINE_NONE)
			lc_buf_printf(&b, ",\"baseline\":\"%s\"",
				      g->baseline == BASELINE_NEW ? "new"
								  : "unchanged");
		lc_buf_puts(&b, "}");
	}
	lc_buf_puts(&b, m->n ? "\n]\n" : "]\n");
	int rc = 0;
	if (b.truncated) {
		fputs("lockcheck report: out of memory writing JSON\n", stderr);
		rc = -1;
	} else {
		fwrite(b.data, 1, b.len, out);
	}
	lc_buf_free(&b);
	return rc;
}
