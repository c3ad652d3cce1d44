/*
 * render_junit.c: `lockcheck report --format junit`: JUnit XML, for CI
 * systems that show test results (GitLab, Jenkins, GitHub test reporters).
 *
 * One <testsuite name="lockcheck"> (the document's root), one <testcase>
 * per merged finding:
 *   classname  the kind ("lock-order-inversion", ...);
 *   name       the finding's message, then its id in brackets: the id is
 *              stable across runs, so a CI tracks the same test over time
 *              and two findings with the same message stay two tests;
 *   errors     are a <failure message="..." type="KIND"> whose body is the
 *              text report of the finding (what `lockcheck report` prints);
 *   warnings   pass (they do not fail a run either: README "Verdicts"), and
 *              carry the same text in <system-out>, so they are visible
 *              without turning the build red.
 * With no finding, one passing testcase "no findings" keeps the suite from
 * being empty (some CI systems treat an empty suite as an error). tests,
 * failures, errors (always 0: lockcheck's own problems are not findings)
 * and skipped are counted on the testsuite. No timestamps or host names:
 * the output is a function of the input.
 */
#include "render.h"

#include <string.h>

void render_xml_escape(lc_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '&': lc_buf_puts(b, "&amp;"); break;
		case '<': lc_buf_puts(b, "&lt;"); break;
		case '>': lc_buf_puts(b, "&gt;"); break;
		case '"': lc_buf_puts(b, "&quot;"); break;
		case '\'': lc_buf_puts(b, "&#39;"); break;
		default:
			if (*p < 0x20 && *p != '\n' && *p != '\t')
				break; /* not allowed in XML 1.0 */
			lc_buf_put(b, (const char *)p, 1);
		}
	}
}

int render_junit(FILE *out, const lc_report_set *set, const struct merge *m,
		 int color)
{
	lc_buf b = {0}, text = {0};
	size_t tests = m->n ? m->n : 1;
	lc_buf_printf(&b,
		      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<testsuite name=\"lockcheck\" tests=\"%zu\" "
		      "failures=\"%u\" errors=\"0\" skipped=\"0\">\n",
		      tests, m->errors);
	lc_buf_puts(&b, "  <properties>\n    <property name=\"summary\" "
			"value=\"");
	report_summary(&text, set, m);
	render_xml_escape(&b, text.data);
	lc_buf_printf(&b, "\"/>\n    <property name=\"processes\" "
			  "value=\"%zu\"/>\n  </properties>\n", set->n_procs);
	for (size_t i = 0; i < m->n; i++) {
		const struct merged *g = &m->items[i];
		const lc_finding *f = &set->findings[g->shown].f;
		const char *kind = lc_finding_kind_name(f->kind);
		lc_buf_printf(&b, "  <testcase classname=\"%s\" name=\"", kind);
		render_xml_escape(&b, f->message);
		lc_buf_puts(&b, " [");
		render_xml_escape(&b, f->id);
		lc_buf_puts(&b, "]\">\n");
		lc_buf_reset(&text);
		report_finding_text(&text, set, g, 0);
		if (f->severity == LC_SEV_ERROR) {
			lc_buf_puts(&b, "    <failure message=\"");
			render_xml_escape(&b, f->message);
			lc_buf_printf(&b, "\" type=\"%s\">", kind);
			render_xml_escape(&b, text.data);
			lc_buf_puts(&b, "</failure>\n");
		} else {
			lc_buf_puts(&b, "    <system-out>");
			render_xml_escape(&b, text.data);
			lc_buf_puts(&b, "</system-out>\n");
		}
		lc_buf_puts(&b, "  </testcase>\n");
	}
	if (!m->n) {
		lc_buf_puts(&b, "  <testcase classname=\"lockcheck\" name=\"");
		lc_buf_reset(&text);
		report_summary(&text, set, m);
		render_xml_escape(&b, text.data);
		lc_buf_puts(&b, "\"/>\n");
	}
	lc_buf_puts(&b, "</testsuite>\n");
	int rc = 0;
	if (b.truncated || text.truncated) {
		fputs("lockcheck report: out of memory writing JUnit XML\n",
		      stderr);
		rc = -1;
	} else {
		fwrite(b.data, 1, b.len, out);
	}
	lc_buf_free(&b);
	lc_buf_free(&text);
	return rc;
}
