/*
 * sarif_check.c: does a file hold SARIF 2.1.0 that GitHub code scanning
 * takes? The schema itself is validated by tests/cli/sarif_validate.py
 * (python3-jsonschema and the official OASIS schema); this adds what a
 * schema cannot say (a ruleId naming one of the driver's rules, ruleIndex
 * pointing at it, unique rule ids, non-empty texts and uris) and checks
 * again, independently, the properties the upload needs:
 *
 *   build/tests/sarif_check FILE.sarif...
 *
 *   - the root is an object with "version": "2.1.0" and a "$schema" string
 *     naming sarif-2.1.0;
 *   - "runs" is a non-empty array; each run has tool.driver.name (a
 *     non-empty string) and, if present, tool.driver.rules an array of
 *     objects with a unique non-empty string "id" (and, when given,
 *     shortDescription/fullDescription/help with a "text" string);
 *   - "results" is an array; each result has message.text (a non-empty
 *     string), a "ruleId" that is the id of one of the driver's rules (and
 *     ruleIndex, when present, pointing at that rule), "level" (when
 *     present) one of none|note|warning|error, "locations" a non-empty
 *     array, and partialFingerprints (when present) an object of strings;
 *   - every location (of results, and of code flows) with a
 *     physicalLocation has physicalLocation.artifactLocation.uri, a
 *     non-empty string, and region.startLine, when present, an integer
 *     >= 1;
 *   - codeFlows, when present: an array of objects each with a non-empty
 *     "threadFlows" array, each of which has a non-empty "locations" array
 *     of objects, each with a "location" object checked as above.
 *
 * Prints "FILE: PATH: what is wrong" for every problem found, and exits 1
 * if there was one (2 for a file that is not JSON at all), else 0 with one
 * line "FILE: ok, N results".
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

/* Paths in messages are short; a cut one is still a useful message. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static const char *file;
static int problems;

static void bad(const char *path, const char *what)
{
	printf("%s: %s: %s\n", file, path, what);
	problems++;
}

static const char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void check_text(json_t *o, const char *key, const char *path,
		       int required)
{
	char p[512];
	snprintf(p, sizeof(p), "%s.%s", path, key);
	json_t *m = json_object_get(o, key);
	if (!m) {
		if (required)
			bad(p, "missing");
		return;
	}
	const char *t = get_str(m, "text");
	if (!json_is_object(m) || !t || !*t)
		bad(p, "should be an object with a non-empty \"text\" string");
}

static void check_location(json_t *loc, const char *path)
{
	char p[512];
	if (!json_is_object(loc)) {
		bad(path, "a location should be an object");
		return;
	}
	json_t *phys = json_object_get(loc, "physicalLocation");
	if (!phys)
		return;
	snprintf(p, sizeof(p), "%s.physicalLocation", path);
	if (!json_is_object(phys)) {
		bad(p, "should be an object");
		return;
	}
	json_t *art = json_object_get(phys, "artifactLocation");
	const char *uri = json_is_object(art) ? get_str(art, "uri") : NULL;
	if (!uri || !*uri) {
		snprintf(p, sizeof(p),
			 "%s.physicalLocation.artifactLocation.uri", path);
		bad(p, "missing or not a non-empty string");
	}
	json_t *region = json_object_get(phys, "region");
	if (region) {
		json_t *sl = json_object_get(region, "startLine");
		snprintf(p, sizeof(p), "%s.physicalLocation.region.startLine",
			 path);
		if (!json_is_object(region))
			bad(p, "region should be an object");
		else if (sl && (!json_is_integer(sl) ||
				json_integer_value(sl) < 1))
			bad(p, "should be an integer >= 1");
	}
}

static void check_code_flows(json_t *flows, const char *path)
{
	char p[512];
	if (!json_is_array(flows)) {
		bad(path, "should be an array");
		return;
	}
	size_t i, j, k;
	json_t *cf, *tf, *tl;
	json_array_foreach(flows, i, cf) {
		json_t *tfs = json_object_get(cf, "threadFlows");
		snprintf(p, sizeof(p), "%s[%zu].threadFlows", path, i);
		if (!json_is_array(tfs) || !json_array_size(tfs)) {
			bad(p, "should be a non-empty array");
			continue;
		}
		json_array_foreach(tfs, j, tf) {
			json_t *locs = json_object_get(tf, "locations");
			snprintf(p, sizeof(p), "%s[%zu].threadFlows[%zu].locations",
				 path, i, j);
			if (!json_is_array(locs) || !json_array_size(locs)) {
				bad(p, "should be a non-empty array");
				continue;
			}
			json_array_foreach(locs, k, tl) {
				char q[512];
				snprintf(q, sizeof(q), "%s[%zu]", p, k);
				json_t *loc = json_object_get(tl, "location");
				if (!json_is_object(loc)) {
					bad(q, "a threadFlowLocation should "
					       "have a \"location\" object");
					continue;
				}
				strcat(q, ".location");
				check_location(loc, q);
			}
		}
	}
}

static void check_run(json_t *run, size_t r)
{
	char p[512];
	snprintf(p, sizeof(p), "runs[%zu].tool.driver", r);
	json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
	if (!json_is_object(driver)) {
		bad(p, "missing");
		return;
	}
	const char *name = get_str(driver, "name");
	if (!name || !*name)
		bad(p, "no \"name\"");
	json_t *rules = json_object_get(driver, "rules");
	if (rules && !json_is_array(rules))
		bad(p, "\"rules\" should be an array");
	size_t n_rules = json_is_array(rules) ? json_array_size(rules) : 0;
	for (size_t i = 0; i < n_rules; i++) {
		json_t *rule = json_array_get(rules, i);
		char q[512];
		snprintf(q, sizeof(q), "%s.rules[%zu]", p, i);
		const char *id = get_str(rule, "id");
		if (!id || !*id) {
			bad(q, "no \"id\"");
			continue;
		}
		for (size_t k = 0; k < i; k++) {
			const char *other = get_str(json_array_get(rules, k), "id");
			if (other && !strcmp(id, other))
				bad(q, "duplicate rule id");
		}
		check_text(rule, "shortDescription", q, 0);
		check_text(rule, "fullDescription", q, 0);
		check_text(rule, "help", q, 0);
	}
	json_t *results = json_object_get(run, "results");
	snprintf(p, sizeof(p), "runs[%zu].results", r);
	if (!json_is_array(results)) {
		bad(p, "missing or not an array");
		return;
	}
	size_t i;
	json_t *res;
	json_array_foreach(results, i, res) {
		char q[512];
		snprintf(q, sizeof(q), "%s[%zu]", p, i);
		if (!json_is_object(res)) {
			bad(q, "should be an object");
			continue;
		}
		check_text(res, "message", q, 1);
		const char *rule = get_str(res, "ruleId");
		long found = -1;
		for (size_t k = 0; rule && k < n_rules; k++) {
			const char *id = get_str(json_array_get(rules, k), "id");
			if (id && !strcmp(id, rule))
				found = (long)k;
		}
		if (!rule)
			bad(q, "no \"ruleId\"");
		else if (found < 0)
			bad(q, "\"ruleId\" names no rule of tool.driver.rules");
		json_t *ri = json_object_get(res, "ruleIndex");
		if (ri && (!json_is_integer(ri) ||
			   json_integer_value(ri) != found))
			bad(q, "\"ruleIndex\" does not point at the rule of "
			       "\"ruleId\"");
		const char *level = get_str(res, "level");
		if (json_object_get(res, "level") &&
		    (!level || (strcmp(level, "none") && strcmp(level, "note") &&
				strcmp(level, "warning") &&
				strcmp(level, "error"))))
			bad(q, "\"level\" should be none, note, warning or "
			       "error");
		json_t *locs = json_object_get(res, "locations");
		if (!json_is_array(locs) || !json_array_size(locs)) {
			bad(q, "\"locations\" should be a non-empty array");
		} else {
			size_t k;
			json_t *loc;
			json_array_foreach(locs, k, loc) {
				char l[512];
				snprintf(l, sizeof(l), "%s.locations[%zu]", q, k);
				check_location(loc, l);
				if (!json_object_get(loc, "physicalLocation"))
					bad(l, "no physicalLocation");
			}
		}
		json_t *fp = json_object_get(res, "partialFingerprints");
		if (fp) {
			const char *key;
			json_t *v;
			if (!json_is_object(fp))
				bad(q, "\"partialFingerprints\" should be an "
				       "object");
			else
				json_object_foreach(fp, key, v) {
					if (!json_is_string(v))
						bad(q, "a partialFingerprints "
						       "value is not a string");
				}
		}
		json_t *flows = json_object_get(res, "codeFlows");
		if (flows) {
			char l[512];
			snprintf(l, sizeof(l), "%s.codeFlows", q);
			check_code_flows(flows, l);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: sarif_check FILE.sarif...\n", stderr);
		return 2;
	}
	int rc = 0;
	for (int a = 1; a < argc; a++) {
		json_error_t err;
		file = argv[a];
		problems = 0;
		json_t *root = json_load_file(file, JSON_REJECT_DUPLICATES, &err);
		if (!root) {
			printf("%s:%d: not JSON: %s\n", file, err.line, err.text);
			return 2;
		}
		const char *v = get_str(root, "version");
		if (!json_is_object(root))
			bad("$", "the root should be an object");
		if (!v || strcmp(v, "2.1.0"))
			bad("version", "should be \"2.1.0\"");
		const char *schema = get_str(root, "$schema");
		if (!schema || !strstr(schema, "sarif-2.1.0"))
			bad("$schema", "should name the sarif-2.1.0 schema");
		json_t *runs = json_object_get(root, "runs");
		size_t n_results = 0;
		if (!json_is_array(runs) || !json_array_size(runs)) {
			bad("runs", "should be a non-empty array");
		} else {
			size_t r;
			json_t *run;
			json_array_foreach(runs, r, run) {
				check_run(run, r);
				n_results += json_array_size(
					json_object_get(run, "results"));
			}
		}
		if (problems)
			rc = 1;
		else
			printf("%s: ok, %zu results\n", file, n_results);
		json_decref(root);
	}
	return rc;
}
