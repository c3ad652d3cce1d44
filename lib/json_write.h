/*
 * json_write.h: a finding as one JSON object (the "finding" event).
 *
 * The schema is documented in README.md ("Report format"); this is the only
 * code that writes it, so the shim and the CLI's JSON output agree.
 */
#ifndef LC_JSON_WRITE_H
#define LC_JSON_WRITE_H

#include "buf.h"
#include "finding.h"

/* Appends {"event":"finding", ...} without a trailing newline. */
void lc_json_write_finding(lc_buf *b, const lc_finding *f);
/* Appends a JSON array of frames. */
void lc_json_write_stack(lc_buf *b, const lc_stack *s);
/* Appends a JSON string literal (with quotes), or null for NULL. */
void lc_json_write_string(lc_buf *b, const char *s);

#endif
