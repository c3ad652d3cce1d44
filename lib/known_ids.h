/*
 * known_ids.h: finding ids a run already knows (the option known_ids=FILE).
 *
 * `lockcheck run --baseline PATH --halt` must stop a program at its first
 * NEW error finding, not at one the baseline holds: the CLI writes the
 * baseline's ids to a file, one per line ("lc1-" and 16 hex digits,
 * sorted, distinct), and
 * the shim reads it at start-up. A finding with a known id is still
 * written and counted as always; it only does not halt or abort the
 * process. Capacity: LC_KNOWN_IDS ids; more are one warning, and the ids
 * past it halt as new ones would (the safe side for CI).
 */
#ifndef LC_KNOWN_IDS_H
#define LC_KNOWN_IDS_H

#define LC_KNOWN_IDS 65536

/* Reads the ids of path. Returns the number of bad lines (each said). */
int lc_known_ids_load(const char *path);
/* Is id ("lc1-...") one of them? Lock-free, any thread, after the load. */
int lc_known_id(const char *id);

#endif
