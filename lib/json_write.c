/*
 * json_write.c: serialises an lc_finding as the contract's JSON object.
 *
 * Addresses and offsets are written as hex strings because JSON numbers lose
 * precision above 2^53. Field order is fixed so that golden tests can compare
 * text. Readers must ignore fields they do not know; writers only add fields.
 * A frame's "function" and a lock's "name" are what people read (C++
 * demangled); "symbol" beside them, only when it differs, is the raw symbol.
 */
#include "json_write.h"

#include <inttypes.h>
#include <string.h>

void lc_json_write_string(lc_buf *b, const char *s)
{
	if (!s) {
		lc_buf_puts(b, "null");
		return;
	}
	lc_buf_put(b, "\"", 1);
	lc_buf_json_escape(b, s);
	lc_buf_put(b, "\"", 1);
}

void lc_json_write_stack(lc_buf *b, const lc_stack *s)
{
	lc_buf_put(b, "[", 1);
	for (unsigned i = 0; i < s->depth; i++) {
		const lc_frame *fr = &s->frames[i];
		lc_buf_printf(b, "%s{\"pc\":\"0x%" PRIx64 "\",\"module\":",
			      i ? "," : "", fr->pc);
		lc_json_write_string(b, fr->module);
		lc_buf_printf(b, ",\"offset\":\"0x%" PRIx64 "\",\"function\":",
			      fr->offset);
		lc_json_write_string(b, fr->function);
		if (fr->symbol) {
			lc_buf_puts(b, ",\"symbol\":");
			lc_json_write_string(b, fr->symbol);
		}
		if (fr->file) {
			lc_buf_puts(b, ",\"file\":");
			lc_json_write_string(b, fr->file);
			lc_buf_printf(b, ",\"line\":%d", fr->line);
		}
		lc_buf_put(b, "}", 1);
	}
	lc_buf_put(b, "]", 1);
}

static int is_bit_lock(const lc_finding_lock *l)
{
	return l->type && strcmp(l->type, "bit-lock") == 0;
}

static void write_locks(lc_buf *b, const lc_finding *f)
{
	lc_buf_puts(b, ",\"locks\":[");
	for (unsigned i = 0; i < f->n_locks; i++) {
		const lc_finding_lock *l = &f->locks[i];
		lc_buf_printf(b, "%s{\"id\":%u,\"address\":\"0x%" PRIx64
			      "\",\"type\":", i ? "," : "", l->id, l->address);
		lc_json_write_string(b, l->type);
		if (is_bit_lock(l))
			lc_buf_printf(b, ",\"bit\":%d", l->bit);
		lc_buf_puts(b, ",\"name\":");
		lc_json_write_string(b, l->name);
		if (l->symbol) {
			lc_buf_puts(b, ",\"symbol\":");
			lc_json_write_string(b, l->symbol);
		}
		if (l->identity) {
			lc_buf_puts(b, ",\"identity\":");
			lc_json_write_string(b, l->identity);
		}
		lc_buf_puts(b, ",\"created\":");
		lc_json_write_stack(b, &l->created);
		if (l->destroyed)
			lc_buf_puts(b, ",\"destroyed\":true");
		lc_buf_put(b, "}", 1);
	}
	lc_buf_put(b, "]", 1);
}

static void write_threads(lc_buf *b, const lc_finding *f)
{
	lc_buf_puts(b, ",\"threads\":[");
	for (unsigned i = 0; i < f->n_threads; i++) {
		lc_buf_printf(b, "%s{\"id\":%u,\"name\":", i ? "," : "",
			      f->threads[i].id);
		lc_json_write_string(b, f->threads[i].name);
		lc_buf_put(b, "}", 1);
	}
	lc_buf_put(b, "]", 1);
}

/* The process a suite-wide cycle's edge was seen in (tools/suite.c):
 * ,"process":{"pid":N,"exe":"..","argv":[..]}. Absent in a process's own
 * findings (the shim never sets it), so its lines do not change. */
static void write_process(lc_buf *b, const lc_finding_process *p)
{
	if (!p)
		return;
	lc_buf_printf(b, ",\"process\":{\"pid\":%d,\"exe\":", p->pid);
	lc_json_write_string(b, p->exe);
	lc_buf_puts(b, ",\"argv\":[");
	for (unsigned i = 0; i < p->argc; i++) {
		if (i)
			lc_buf_put(b, ",", 1);
		lc_json_write_string(b, p->argv[i]);
	}
	lc_buf_puts(b, "]}");
}

static void write_cycle_and_edges(lc_buf *b, const lc_finding *f)
{
	lc_buf_puts(b, ",\"verdict\":");
	lc_json_write_string(b, f->verdict);
	if (f->gate)
		lc_buf_printf(b, ",\"gate\":%u", f->gate);
	if (f->n_fix_order) {
		lc_buf_puts(b, ",\"fix\":{\"order\":[");
		for (unsigned i = 0; i < f->n_fix_order; i++)
			lc_buf_printf(b, "%s%u", i ? "," : "", f->fix_order[i]);
		lc_buf_puts(b, "],\"break\":[");
		for (unsigned i = 0; i < f->n_fix_break; i++)
			lc_buf_printf(b, "%s%u", i ? "," : "", f->fix_break[i]);
		lc_buf_puts(b, "]}");
	}
	lc_buf_puts(b, ",\"cycle\":[");
	for (unsigned i = 0; i < f->n_cycle; i++)
		lc_buf_printf(b, "%s%u", i ? "," : "", f->cycle[i]);
	lc_buf_puts(b, "],\"edges\":[");
	for (unsigned i = 0; i < f->n_edges; i++) {
		const lc_finding_edge *e = &f->edges[i];
		lc_buf_printf(b, "%s{\"from\":%u,\"to\":%u,\"thread\":%u,",
			      i ? "," : "", e->from, e->to, e->thread);
		if (e->held_mode) {
			lc_buf_puts(b, "\"held_mode\":");
			lc_json_write_string(b, e->held_mode);
			lc_buf_puts(b, ",\"mode\":");
			lc_json_write_string(b, e->mode);
			lc_buf_puts(b, ",");
		}
		lc_buf_puts(b, "\"held_stack\":");
		lc_json_write_stack(b, &e->held_stack);
		lc_buf_puts(b, ",\"stack\":");
		lc_json_write_stack(b, &e->stack);
		write_process(b, e->process);
		lc_buf_put(b, "}", 1);
	}
	lc_buf_put(b, "]", 1);
}

static void write_sites(lc_buf *b, const lc_finding *f)
{
	lc_buf_puts(b, ",\"stacks\":[");
	for (unsigned i = 0; i < f->n_sites; i++) {
		const lc_finding_site *s = &f->sites[i];
		lc_buf_puts(b, i ? ",{\"what\":" : "{\"what\":");
		lc_json_write_string(b, s->what);
		lc_buf_printf(b, ",\"thread\":%u,\"lock\":%u,\"frames\":",
			      s->thread, s->lock);
		lc_json_write_stack(b, &s->stack);
		lc_buf_put(b, "}", 1);
	}
	lc_buf_put(b, "]", 1);
}

void lc_json_write_finding(lc_buf *b, const lc_finding *f)
{
	lc_buf_puts(b, "{\"event\":\"finding\",\"kind\":");
	lc_json_write_string(b, lc_finding_kind_name(f->kind));
	lc_buf_puts(b, ",\"severity\":");
	lc_json_write_string(b, lc_severity_name(f->severity));
	lc_buf_puts(b, ",\"id\":");
	lc_json_write_string(b, f->id);
	lc_buf_puts(b, ",\"message\":");
	lc_json_write_string(b, f->message);
	lc_buf_printf(b, ",\"pid\":%d", f->pid);
	write_locks(b, f);
	write_threads(b, f);
	if (f->kind == LC_KIND_LOCK_ORDER_INVERSION)
		write_cycle_and_edges(b, f);
	else
		write_sites(b, f);
	if (f->detail) {
		lc_buf_puts(b, ",\"detail\":");
		lc_json_write_string(b, f->detail);
	}
	if (f->folded_into) {
		lc_buf_puts(b, ",\"folded_into\":");
		lc_json_write_string(b, f->folded_into);
	}
	if (f->n_also) {
		lc_buf_puts(b, ",\"also_through\":[");
		for (unsigned i = 0; i < f->n_also; i++) {
			lc_buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
			lc_json_write_string(b, f->also[i].id);
			lc_buf_puts(b, ",\"cycle\":");
			lc_json_write_string(b, f->also[i].cycle);
			lc_buf_put(b, "}", 1);
		}
		lc_buf_put(b, "]", 1);
	}
	lc_buf_put(b, "}", 1);
}
