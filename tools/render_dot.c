/*
 * render_dot.c: the lock graph (lock_graph.h) as a Graphviz digraph, for
 * `lockcheck graph` (and, through `dot -Tsvg`, its SVG).
 *
 * One node per lock identity (a box labelled with it, and its type when not
 * a plain mutex), one edge A -> B per "B taken while holding A", labelled
 * with the number of contexts (summed over processes). An edge or lock on a
 * reported inversion is drawn bold: red when a finding through it is an
 * error (deadlock-possible), orange when only warnings go through it (the
 * cycle cannot deadlock). An edge known only from a finding (its process
 * wrote no graph event, e.g. it was halted) is dashed and unlabelled. The
 * comment lines at the top say where the graph came from and the legend.
 */
#include "render.h"

#include <string.h>

#define COLOR_ERROR "#d32f2f"
#define COLOR_WARNING "#ef6c00"

/* A DOT double-quoted string. */
static void put_id(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static const char *sev_color(int sev)
{
	return sev == LC_SEV_ERROR ? COLOR_ERROR : COLOR_WARNING;
}

void render_dot(FILE *out, const struct lock_graph *lg)
{
	fprintf(out,
		"// lockcheck graph: %zu lock%s, %zu edge%s from %zu graph "
		"event%s and %zu inversion%s\n"
		"// A -> B: B was taken while holding A; label: the number of "
		"contexts.\n"
		"// red: on a deadlock-possible cycle; orange: on a cycle that "
		"cannot deadlock;\n"
		"// dashed: known only from a finding (no graph event).\n",
		lg->n, lg->n == 1 ? "" : "s", lg->m, lg->m == 1 ? "" : "s",
		lg->n_graphs, lg->n_graphs == 1 ? "" : "s", lg->n_cycles,
		lg->n_cycles == 1 ? "" : "s");
	fputs("digraph lockcheck {\n"
	      "\tgraph [rankdir=LR, fontname=\"Helvetica\"];\n"
	      "\tnode [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
	      "\tedge [fontname=\"Helvetica\", fontsize=10];\n", out);
	for (size_t i = 0; i < lg->n; i++) {
		const struct lg_node *n = &lg->nodes[i];
		fputc('\t', out);
		put_id(out, n->name);
		int plain = !n->type || !strcmp(n->type, "mutex");
		if (plain && n->sev == LG_NONE) {
			fputs(";\n", out);
			continue;
		}
		fputs(" [", out);
		if (!plain) {
			fputs("label=", out);
			fputc('"', out);
			for (const char *s = n->name; *s; s++) {
				if (*s == '"' || *s == '\\')
					fputc('\\', out);
				fputc(*s, out);
			}
			fprintf(out, "\\n(%s)\"", n->type);
			if (n->sev != LG_NONE)
				fputs(", ", out);
		}
		if (n->sev != LG_NONE)
			fprintf(out, "color=\"%s\", fontcolor=\"%s\", penwidth=2",
				sev_color(n->sev), sev_color(n->sev));
		fputs("];\n", out);
	}
	for (size_t i = 0; i < lg->m; i++) {
		const struct lg_edge *e = &lg->edges[i];
		fputc('\t', out);
		put_id(out, lg->nodes[e->u].name);
		fputs(" -> ", out);
		put_id(out, lg->nodes[e->v].name);
		fputs(" [", out);
		if (e->in_graph)
			fprintf(out, "label=\"%lu\"", e->count);
		else
			fputs("style=dashed", out);
		if (e->sev != LG_NONE)
			fprintf(out, ", color=\"%s\", fontcolor=\"%s\", "
				"penwidth=2.5", sev_color(e->sev),
				sev_color(e->sev));
		fputs("];\n", out);
	}
	fputs("}\n", out);
}
