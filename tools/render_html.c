/*
 * render_html.c: `lockcheck report --format html`: one self-contained page.
 *
 * Everything is inline: the CSS in a <style>, the lock graph as an <svg>
 * drawn by render_svg.c; no script, no external resource (fonts, images,
 * links to other sites), so the file can be attached to a CI run and opened
 * anywhere, offline. Sections:
 *   - the summary line (as the text report ends) and the processes read;
 *   - the lock graph: every lock of the graph events and of the reported
 *     cycles, cycle edges red (deadlock-possible) or orange (cannot
 *     deadlock), with a legend;
 *   - an index of the findings (severity, kind, message), each linking to
 *   - the findings, one <section id="ID"> each: headline, message, and the
 *     text report of the finding in a <pre> (escaped), as `lockcheck report`
 *     prints it.
 * The graph shows the findings of this report: --kind/--min-severity
 * filters apply to it as to the list.
 */
#include "render.h"

#include <stdlib.h>

static const char css[] =
	"body{font-family:system-ui,-apple-system,\"Segoe UI\",Helvetica,"
	"Arial,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;"
	"color:#212121;background:#fafafa}\n"
	"h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.25em;margin:28px 0 "
	"8px;border-bottom:1px solid #ddd;padding-bottom:4px}\n"
	".summary{font-size:1.1em;font-weight:600}.ok{color:#2e7d32}"
	".bad{color:#d32f2f}.warn{color:#ef6c00}\n"
	"table{border-collapse:collapse;font-size:.92em}td,th{border:1px "
	"solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}"
	"th{background:#f0f0f0}\n"
	".graph{background:#fff;border:1px solid #ddd;border-radius:6px;"
	"padding:8px;overflow:auto}\n"
	".lc-graph{display:block;margin:0 auto}.lc-graph text{font-family:\"DejaVu Sans Mono\",Menlo,Consolas,"
	"monospace;font-size:13px}.lc-graph .lc-count{font-size:12px;"
	"font-weight:700;paint-order:stroke;stroke:#fff;stroke-width:3px;"
	"text-anchor:middle}.lc-graph .lc-note{fill:#757575;font-size:12px}\n"
	".legend{font-size:.9em;margin:6px 0 0}.legend span{display:inline-"
	"block;margin-right:18px}.sw{display:inline-block;width:26px;height:"
	"0;border-top:3px solid;vertical-align:middle;margin-right:6px}\n"
	".finding{background:#fff;border:1px solid #ddd;border-left:6px solid "
	"#ef6c00;border-radius:4px;margin:14px 0;padding:8px 14px}\n"
	".finding.error{border-left-color:#d32f2f}.finding h3{margin:4px 0;"
	"font-size:1.05em}\n"
	".badge{display:inline-block;border-radius:3px;padding:1px 6px;"
	"color:#fff;font-size:.8em;font-weight:700;margin-right:6px;"
	"background:#ef6c00}.badge.error{background:#d32f2f}\n"
	"pre{background:#263238;color:#eceff1;padding:10px;border-radius:4px;"
	"overflow:auto;font-size:12.5px;line-height:1.35}\n"
	"ul.index{padding-left:20px}ul.index li{margin:2px 0}"
	"a{color:#1565c0}\n";

static void esc(lc_buf *b, const char *s)
{
	render_xml_escape(b, s ? s : "");
}

static void put_processes(lc_buf *b, const lc_report_set *set)
{
	if (!set->n_procs)
		return;
	lc_buf_puts(b, "<h2>Processes</h2>\n<table>\n<tr><th>pid</th>"
		       "<th>command</th><th>exit status</th>"
		       "<th>findings</th></tr>\n");
	for (size_t i = 0; i < set->n_procs; i++) {
		const lc_rprocess *p = &set->procs[i];
		lc_buf_printf(b, "<tr><td>%d</td><td>", p->pid);
		if (p->argc) {
			for (unsigned k = 0; k < p->argc; k++) {
				if (k)
					lc_buf_puts(b, " ");
				esc(b, p->argv[k]);
			}
		} else {
			esc(b, p->exe ? p->exe : "?");
		}
		lc_buf_puts(b, "</td><td>");
		if (p->ended)
			lc_buf_printf(b, "%d", p->status);
		else
			lc_buf_puts(b, "no end event (killed, or still "
				       "running?)");
		lc_buf_puts(b, "</td><td>");
		if (p->end_findings >= 0)
			lc_buf_printf(b, "%ld", p->end_findings);
		lc_buf_puts(b, "</td></tr>\n");
	}
	lc_buf_puts(b, "</table>\n");
}

static void put_headline(lc_buf *b, const lc_finding *f)
{
	int err = f->severity == LC_SEV_ERROR;
	lc_buf_printf(b, "<span class=\"badge%s\">%s</span>",
		      err ? " error" : "", lc_severity_name(f->severity));
	esc(b, lc_finding_kind_name(f->kind));
	if (f->verdict) {
		lc_buf_puts(b, " (");
		esc(b, f->verdict);
		lc_buf_puts(b, ")");
	}
}

int render_html(FILE *out, const lc_report_set *set, const struct merge *m,
		int color)
{
	lc_buf b = {0}, text = {0};
	lc_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			"<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, "
			"initial-scale=1\">\n<title>lockcheck report</title>\n"
			"<style>\n");
	lc_buf_puts(&b, css);
	lc_buf_puts(&b, "</style>\n</head>\n<body>\n<h1>lockcheck report</h1>\n");
	report_summary(&text, set, m);
	lc_buf_printf(&b, "<p class=\"summary %s\">",
		      m->errors ? "bad" : m->warnings ? "warn" : "ok");
	esc(&b, text.data);
	lc_buf_puts(&b, "</p>\n");
	put_processes(&b, set);

	/* The graph of the findings shown. */
	size_t *idx = malloc((m->n ? m->n : 1) * sizeof(*idx));
	if (!idx) {
		fputs("lockcheck report: out of memory writing HTML\n", stderr);
		lc_buf_free(&b);
		lc_buf_free(&text);
		return -1;
	}
	for (size_t i = 0; i < m->n; i++)
		idx[i] = m->items[i].shown;
	struct lock_graph lg;
	lock_graph_build(set, idx, m->n, "lockcheck report", &lg);
	free(idx);
	lc_buf_printf(&b, "<h2>Lock graph</h2>\n<p>%zu lock%s, %zu edge%s "
			  "(B taken while holding A is an arrow A &#8594; B, "
			  "labelled with the number of contexts it was seen "
			  "in).</p>\n<div class=\"graph\">\n",
		      lg.n, lg.n == 1 ? "" : "s", lg.m, lg.m == 1 ? "" : "s");
	render_svg(&b, &lg);
	lc_buf_puts(&b,
		    "</div>\n<p class=\"legend\">"
		    "<span><i class=\"sw\" style=\"border-color:#d32f2f\"></i>"
		    "on a deadlock-possible cycle (error)</span>"
		    "<span><i class=\"sw\" style=\"border-color:#ef6c00\"></i>"
		    "on a cycle that cannot deadlock (warning)</span>"
		    "<span><i class=\"sw\" style=\"border-color:#757575\"></i>"
		    "lock order seen</span>"
		    "<span><i class=\"sw\" style=\"border-color:#757575;"
		    "border-top-style:dashed\"></i>known only from a finding"
		    "</span></p>\n");
	lock_graph_free(&lg);

	lc_buf_puts(&b, "<h2>Findings</h2>\n");
	if (!m->n)
		lc_buf_puts(&b, "<p class=\"ok\">No findings.</p>\n");
	else
		lc_buf_puts(&b, "<ul class=\"index\">\n");
	for (size_t i = 0; i < m->n; i++) {
		const lc_finding *f = &set->findings[m->items[i].shown].f;
		lc_buf_puts(&b, "<li><a href=\"#");
		esc(&b, f->id);
		lc_buf_puts(&b, "\">");
		put_headline(&b, f);
		lc_buf_puts(&b, "</a>: ");
		esc(&b, f->message);
		lc_buf_puts(&b, "</li>\n");
	}
	if (m->n)
		lc_buf_puts(&b, "</ul>\n");
	for (size_t i = 0; i < m->n; i++) {
		const struct merged *g = &m->items[i];
		const lc_finding *f = &set->findings[g->shown].f;
		lc_buf_printf(&b, "<section class=\"finding%s\" id=\"",
			      f->severity == LC_SEV_ERROR ? " error" : "");
		esc(&b, f->id);
		lc_buf_puts(&b, "\">\n<h3>");
		put_headline(&b, f);
		lc_buf_puts(&b, "</h3>\n<p>");
		esc(&b, f->message);
		lc_buf_puts(&b, "</p>\n<pre>");
		lc_buf_reset(&text);
		report_finding_text(&text, set, g, 0);
		esc(&b, text.data);
		lc_buf_puts(&b, "</pre>\n</section>\n");
	}
	lc_buf_puts(&b, "</body>\n</html>\n");
	int rc = 0;
	if (b.truncated || text.truncated) {
		fputs("lockcheck report: out of memory writing HTML\n", stderr);
		rc = -1;
	} else {
		fwrite(b.data, 1, b.len, out);
	}
	lc_buf_free(&b);
	lc_buf_free(&text);
	return rc;
}
