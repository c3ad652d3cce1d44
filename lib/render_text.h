/*
 * render_text.h: a finding as a human-readable text block.
 *
 * The layout follows ThreadSanitizer's per-edge blocks ("acquired here while
 * holding") and ends, for cycles, with lockdep's scenario table. The headline
 * ("lockcheck: <kind> ...") is an API: scripts grep for it. Used by the shim
 * (stderr, as findings happen) and by the CLI (`lockcheck report`).
 */
#ifndef LC_RENDER_TEXT_H
#define LC_RENDER_TEXT_H

#include "buf.h"
#include "finding.h"

/* Appends the text block of f to out. color: nonzero for ANSI colours. */
void lc_render_text(lc_buf *out, const lc_finding *f, int color);

#endif
