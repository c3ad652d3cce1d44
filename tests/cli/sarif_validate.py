#!/usr/bin/python3
# sarif_validate.py: validates SARIF files against the official SARIF 2.1.0
# JSON schema with a real validator (python3-jsonschema, Debian), not a
# hand-written subset:
#
#   tests/cli/sarif_validate.py FILE.sarif...
#
# The schema is tests/cli/sarif-schema-2.1.0.json, the OASIS text
# (github.com/oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json,
# commit e0583813964ec43cea53b6b531b402866095ed1f: the 2.1.0 errata01 schema,
# draft-04), checked in so the tests need no network. The validator class is
# the one the schema's "$schema" names, and the schema itself is checked
# first. Prints "FILE: ok, N results" or each error as "FILE: PATH: what"
# (at most 20 per file); exits 1 when a file failed, 2 when the validator or
# the schema is missing.
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("sarif_validate: python3-jsonschema is not installed "
          "(apt-get install python3-jsonschema, or make deps)")
    sys.exit(2)

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "sarif-schema-2.1.0.json")


def main(files):
    with open(SCHEMA) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    failed = 0
    for name in files:
        try:
            with open(name) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("%s: not JSON: %s" % (name, e))
            failed += 1
            continue
        errors = sorted(validator.iter_errors(doc),
                        key=lambda e: list(e.absolute_path))
        for e in errors[:20]:
            path = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print("%s: %s: %s" % (name, path, e.message[:300]))
        if errors:
            failed += 1
            continue
        n = sum(len(run.get("results") or []) for run in doc["runs"])
        print("%s: ok, %d results" % (name, n))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: sarif_validate.py FILE.sarif...")
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
