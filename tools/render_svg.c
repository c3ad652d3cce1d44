/*
 * render_svg.c: the lock graph (lock_graph.h) as an inline <svg>, drawn
 * without any outside tool, for the HTML report.
 *
 * Layout: the locks on a circle, starting at the top, clockwise, in
 * depth-first order over the edges (circle_order: the locks of one cycle
 * side by side); the radius grows with the total width of the labels so
 * boxes do not overlap. An edge A -> B is a
 * quadratic curve bending to its left, so A -> B and B -> A (the shape of
 * every two-lock inversion) are two distinct arcs; a self-loop (locks of one
 * class taken nested) is a loop above the box. Each edge is labelled with
 * its count of contexts. Colours as in `lockcheck graph`: red for an edge on
 * a deadlock-possible cycle, orange for one on a cycle that cannot
 * deadlock, grey otherwise; dashed when known only from a finding. Drawn in
 * that order (grey first) so highlighted edges are on top, then the boxes,
 * then the labels. The legend is the page's (render_html.c).
 *
 * Capacity: beyond SVG_MAX_NODES locks a circle is unreadable; only the
 * locks on reported cycles are drawn then, and a line under the graph says
 * how many were left out (`lockcheck graph` draws them all).
 *
 * Text is measured as monospace (CHAR_W per character at FONT px), which
 * the style sets, so no font metrics are needed.
 */
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SVG_MAX_NODES 60
#define LABEL_MAX 40      /* characters of a lock name drawn */
#define FONT 13
#define CHAR_W 7.9
#define BOX_H 26.0
#define PAD_X 10.0
#define MARGIN 60.0

#define COLOR_ERROR "#d32f2f"
#define COLOR_WARNING "#ef6c00"
#define COLOR_PLAIN "#757575"

struct pos {
	double x, y, hw, hh;
	int drawn;
};

static const char *color_of(int sev)
{
	return sev == LC_SEV_ERROR ? COLOR_ERROR
	       : sev == LC_SEV_WARNING ? COLOR_WARNING
				       : COLOR_PLAIN;
}

static const char *marker_of(int sev)
{
	return sev == LC_SEV_ERROR ? "lc-arrow-error"
	       : sev == LC_SEV_WARNING ? "lc-arrow-warning"
				       : "lc-arrow-plain";
}

static size_t label_len(const char *s)
{
	size_t n = strlen(s);
	return n > LABEL_MAX ? LABEL_MAX : n;
}

/* The point where the ray from the centre of box p in direction (dx, dy)
 * leaves the box, pushed out by gap. */
static void clip(const struct pos *p, double dx, double dy, double gap,
		 double *x, double *y)
{
	double len = sqrt(dx * dx + dy * dy);
	if (len < 1e-9) {
		*x = p->x;
		*y = p->y;
		return;
	}
	dx /= len;
	dy /= len;
	double tx = fabs(dx) > 1e-9 ? (p->hw + gap) / fabs(dx) : 1e9;
	double ty = fabs(dy) > 1e-9 ? (p->hh + gap) / fabs(dy) : 1e9;
	double t = tx < ty ? tx : ty;
	*x = p->x + dx * t;
	*y = p->y + dy * t;
}

static void put_label(lc_buf *b, const char *name)
{
	size_t n = strlen(name);
	if (n <= LABEL_MAX) {
		render_xml_escape(b, name);
		return;
	}
	char cut[LABEL_MAX];
	memcpy(cut, name, LABEL_MAX - 1);
	cut[LABEL_MAX - 1] = '\0';
	render_xml_escape(b, cut);
	lc_buf_puts(b, "\xe2\x80\xa6"); /* an ellipsis */
}

static void draw_edge(lc_buf *b, const struct lock_graph *lg,
		      const struct pos *pos, const struct lg_edge *e)
{
	const struct pos *p = &pos[e->u], *q = &pos[e->v];
	const char *col = color_of(e->sev);
	double w = e->sev == LG_NONE ? 1.4 : 2.6;
	double lx, ly;
	if (e->u == e->v) {
		double y0 = p->y - p->hh;
		lc_buf_printf(b,
			      "<path d=\"M %.1f %.1f C %.1f %.1f %.1f %.1f "
			      "%.1f %.1f\" fill=\"none\" stroke=\"%s\" "
			      "stroke-width=\"%.1f\"%s marker-end=\"url(#%s)\"/>\n",
			      p->x - 10, y0, p->x - 34, y0 - 44, p->x + 34,
			      y0 - 44, p->x + 10, y0 - 3, col, w,
			      e->in_graph ? "" : " stroke-dasharray=\"6 4\"",
			      marker_of(e->sev));
		lx = p->x;
		ly = y0 - 38;
	} else {
		double dx = q->x - p->x, dy = q->y - p->y;
		double len = sqrt(dx * dx + dy * dy);
		/* Bend to the left of the direction of travel. */
		double off = 0.18 * len;
		double cx = (p->x + q->x) / 2 + dy / len * off;
		double cy = (p->y + q->y) / 2 - dx / len * off;
		double sx, sy, ex, ey;
		clip(p, cx - p->x, cy - p->y, 2, &sx, &sy);
		clip(q, cx - q->x, cy - q->y, 4, &ex, &ey);
		lc_buf_printf(b,
			      "<path d=\"M %.1f %.1f Q %.1f %.1f %.1f %.1f\" "
			      "fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s "
			      "marker-end=\"url(#%s)\"/>\n",
			      sx, sy, cx, cy, ex, ey, col, w,
			      e->in_graph ? "" : " stroke-dasharray=\"6 4\"",
			      marker_of(e->sev));
		lx = 0.25 * sx + 0.5 * cx + 0.25 * ex;
		ly = 0.25 * sy + 0.5 * cy + 0.25 * ey + 4;
	}
	(void)lg;
	if (e->in_graph)
		lc_buf_printf(b,
			      "<text class=\"lc-count\" x=\"%.1f\" y=\"%.1f\" "
			      "fill=\"%s\">%lu</text>\n", lx, ly, col, e->count);
}

/* Whether an edge joins u and v, either way (hot: an edge on a reported
 * cycle). */
static int adjacent(const struct lock_graph *lg, size_t u, size_t v, int hot)
{
	for (size_t i = 0; i < lg->m; i++) {
		const struct lg_edge *e = &lg->edges[i];
		if (hot && e->sev == LG_NONE)
			continue;
		if ((e->u == u && e->v == v) || (e->v == u && e->u == v))
			return 1;
	}
	return 0;
}

/* The drawn nodes in the order they go round the circle: depth-first
 * preorder over edges taken both ways, neighbours through an edge of a
 * reported cycle first, then in identity order, starting from the locks on
 * reported cycles (then the rest), so the locks
 * of one cycle sit side by side and its edges do not cross the circle.
 * O(k^2 m) for k <= SVG_MAX_NODES drawn locks. Returns a malloc'd array of
 * the drawn nodes, or NULL when out of memory. */
static size_t *circle_order(const struct lock_graph *lg,
			    const struct pos *pos)
{
	size_t n = lg->n ? lg->n : 1;
	size_t *order = malloc(n * sizeof(*order));
	size_t *stack = malloc(n * sizeof(*stack));
	char *placed = calloc(n, 1);
	if (!order || !stack || !placed) {
		free(order);
		free(stack);
		free(placed);
		return NULL;
	}
	size_t k = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t s = 0; s < lg->n; s++) {
			if (!pos[s].drawn || placed[s] ||
			    (pass == 0 && lg->nodes[s].sev == LG_NONE))
				continue;
			size_t sp = 0;
			placed[s] = 1;
			order[k++] = s;
			stack[sp++] = s;
			while (sp) {
				size_t u = stack[sp - 1], v = lg->n;
				for (int hot = 1; hot >= 0 && v == lg->n; hot--)
					for (v = 0; v < lg->n; v++)
						if (pos[v].drawn && !placed[v] &&
						    adjacent(lg, u, v, hot))
							break;
				if (v == lg->n) {
					sp--;
					continue;
				}
				placed[v] = 1;
				order[k++] = v;
				stack[sp++] = v;
			}
		}
	free(stack);
	free(placed);
	return order;
}

void render_svg(lc_buf *b, const struct lock_graph *lg)
{
	struct pos *pos = calloc(lg->n ? lg->n : 1, sizeof(*pos));
	if (!pos) {
		b->truncated = 1;
		return;
	}
	size_t shown = 0;
	int only_cycles = lg->n > SVG_MAX_NODES;
	double total_w = 0, max_w = 0;
	for (size_t i = 0; i < lg->n; i++) {
		if (only_cycles && lg->nodes[i].sev == LG_NONE)
			continue;
		pos[i].drawn = 1;
		pos[i].hw = (label_len(lg->nodes[i].name) * CHAR_W + 2 * PAD_X) / 2;
		pos[i].hh = BOX_H / 2;
		total_w += 2 * pos[i].hw;
		if (2 * pos[i].hw > max_w)
			max_w = 2 * pos[i].hw;
		shown++;
	}
	double r = (total_w + shown * 40.0) / (2 * M_PI);
	if (r < 110)
		r = 110;
	if (shown == 1)
		r = 0;
	double width = 2 * r + max_w + 2 * MARGIN;
	if (width < 560)
		width = 560;
	double cx = width / 2, cy = MARGIN + 30 + r;
	double height = cy + r + MARGIN + (only_cycles ? 20 : 0);
	size_t *order = circle_order(lg, pos);
	if (!order) {
		b->truncated = 1; /* the caller reports out of memory */
		free(pos);
		return;
	}
	for (size_t k = 0; k < shown; k++) {
		double a = -M_PI / 2 + 2 * M_PI * (double)k / (double)shown;
		pos[order[k]].x = cx + r * cos(a);
		pos[order[k]].y = cy + r * sin(a);
	}
	free(order);

	lc_buf_printf(b,
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		      "class=\"lc-graph\" width=\"%.0f\" height=\"%.0f\" "
		      "viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
		      "aria-label=\"lock-order graph\">\n",
		      width, height, width, height);
	lc_buf_puts(b, "<defs>\n");
	const int sevs[3] = {LG_NONE, LC_SEV_WARNING, LC_SEV_ERROR};
	for (int s = 0; s < 3; s++)
		lc_buf_printf(b,
			      "<marker id=\"%s\" viewBox=\"0 0 10 10\" refX=\"9\" "
			      "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
			      "markerUnits=\"userSpaceOnUse\" orient=\"auto\">"
			      "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"%s\"/>"
			      "</marker>\n", marker_of(sevs[s]),
			      color_of(sevs[s]));
	lc_buf_puts(b, "</defs>\n");
	if (shown == 0)
		lc_buf_printf(b,
			      "<text class=\"lc-note\" x=\"%.1f\" y=\"%.1f\" "
			      "text-anchor=\"middle\">no lock-order edges in the "
			      "input</text>\n", cx, cy);
	/* Edges: grey, then warnings, then errors, so colour is on top. */
	for (int s = 0; s < 3; s++)
		for (size_t i = 0; i < lg->m; i++) {
			const struct lg_edge *e = &lg->edges[i];
			if (e->sev == sevs[s] && pos[e->u].drawn &&
			    pos[e->v].drawn)
				draw_edge(b, lg, pos, e);
		}
	for (size_t i = 0; i < lg->n; i++) {
		const struct lg_node *n = &lg->nodes[i];
		const struct pos *p = &pos[i];
		if (!p->drawn)
			continue;
		const char *fill = n->sev == LC_SEV_ERROR     ? "#ffebee"
				   : n->sev == LC_SEV_WARNING ? "#fff3e0"
							      : "#ffffff";
		lc_buf_printf(b, "<g class=\"lc-lock\"><title>");
		render_xml_escape(b, n->name);
		if (n->type)
			lc_buf_printf(b, " (%s)", n->type);
		lc_buf_printf(b,
			      "</title><rect x=\"%.1f\" y=\"%.1f\" "
			      "width=\"%.1f\" height=\"%.1f\" rx=\"6\" "
			      "fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>"
			      "<text x=\"%.1f\" y=\"%.1f\" "
			      "text-anchor=\"middle\">",
			      p->x - p->hw, p->y - p->hh, 2 * p->hw, 2 * p->hh,
			      fill, color_of(n->sev),
			      n->sev == LG_NONE ? "1.2" : "2.2", p->x,
			      p->y + FONT / 2.0 - 2);
		put_label(b, n->name);
		lc_buf_puts(b, "</text></g>\n");
	}
	if (only_cycles)
		lc_buf_printf(b,
			      "<text class=\"lc-note\" x=\"16\" y=\"%.1f\">%zu "
			      "of %zu locks drawn (those on reported cycles); "
			      "lockcheck graph draws them all</text>\n",
			      height - 10, shown, lg->n);
	lc_buf_puts(b, "</svg>\n");
	free(pos);
}
