"""Shared helpers for the consumer round-trip checks (standard library only).

Each check_*.py script takes an export directory (the one holding graph.json) and exits
  0   when the consumer loaded the export and every check passed,
  1   with one line per problem on stderr when a check failed,
  2   on bad usage or an unreadable export,
  77  when the consumer itself is not installed (tests/consumers.rs turns that into a
      skip, or into a failure when NEWSGRAPH_REQUIRE_CONSUMERS=1).
"""

import importlib
import json
import os
import sys

MISSING_EXIT = 77
MAX_REPORTED = 40


def missing(consumer, detail=""):
    """Report that a consumer is not installed and exit with MISSING_EXIT."""
    msg = f"MISSING: {consumer}"
    if detail:
        msg += f": {detail}"
    print(msg, file=sys.stderr)
    sys.exit(MISSING_EXIT)


def import_consumer(module, consumer=None):
    """Import a consumer's module, or exit with MISSING_EXIT if it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        missing(consumer or module, str(e))


def export_dir_from_argv(usage):
    if len(sys.argv) != 2:
        print(f"usage: {usage}", file=sys.stderr)
        sys.exit(2)
    out = os.path.abspath(sys.argv[1])
    if not os.path.isfile(os.path.join(out, "graph.json")):
        print(f"error: {out}/graph.json does not exist (not an export directory?)", file=sys.stderr)
        sys.exit(2)
    return out


def load_graph_json(out):
    path = os.path.join(out, "graph.json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"error: cannot read {path}: {e}", file=sys.stderr)
        sys.exit(2)
    for k in ("nodes", "edges"):
        if not isinstance(data.get(k), list):
            print(f"error: {path} has no '{k}' list (networkx node-link with edges=\"edges\")", file=sys.stderr)
            sys.exit(2)
    return data


def as_list(v):
    """A JSON list value that may be absent (None) or []: both mean 'no values'."""
    if v is None:
        return []
    return list(v)


# Attributes that are lists: arrays in graph.json, ';'-joined strings in GraphML, GEXF and
# CSV (string[] in Neo4j).
LIST_FIELDS = {"aliases", "sources", "former_ids", "claimed_via"}


def same_scalar(a, b):
    """Equal scalars, with numbers compared as floats (a typed reader may give 3 or 3.0)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


def compare_attr(c, fmt, what, name, value, json_value):
    """Compare one attribute as the format `fmt` (GraphML, GEXF) gives it with its JSON value:
    lists split, nested values parsed from their JSON text, scalars as `same_scalar`."""
    if name in LIST_FIELDS:
        c.check(split_list(value) == as_list(json_value),
                f"{what}: {name} {value!r} in {fmt} != {json_value!r} in JSON")
    elif isinstance(json_value, (dict, list)):
        parsed = parse_json_text(c, value, f"{what}: {fmt} {name}")
        if parsed is not None:
            c.check(parsed == json_value,
                    f"{what}: {fmt} {name} parses to {parsed!r:.300} != JSON {json_value!r:.300}")
    else:
        c.check(same_scalar(value, json_value),
                f"{what}: {name} {value!r} in {fmt} != {json_value!r} in JSON")


def split_list(s):
    """A ';'-joined GraphML/CSV list; an absent or empty value is the empty list."""
    if s is None or s == "":
        return []
    return s.split(";")


class Checker:
    """Collects failures so one run reports all of them, not only the first."""

    def __init__(self, name, out):
        self.name = name
        self.out = out
        self.errors = []
        self.checks = 0

    def check(self, cond, msg):
        self.checks += 1
        if not cond:
            self.errors.append(msg)
        return cond

    def fail(self, msg):
        self.errors.append(msg)

    def finish(self, summary=""):
        if self.errors:
            print(f"FAIL {self.name} on {self.out}: {len(self.errors)} problem(s)", file=sys.stderr)
            for e in self.errors[:MAX_REPORTED]:
                print(f"  - {e}", file=sys.stderr)
            if len(self.errors) > MAX_REPORTED:
                print(f"  ... and {len(self.errors) - MAX_REPORTED} more", file=sys.stderr)
            sys.exit(1)
        print(f"OK {self.name} on {self.out}: {self.checks} checks passed{'; ' + summary if summary else ''}")
        sys.exit(0)


def parse_json_text(checker, text, what):
    """Parse a JSON-text attribute; record a failure (and return None) if it does not parse."""
    try:
        return json.loads(text)
    except (TypeError, ValueError) as e:
        checker.fail(f"{what}: not valid JSON text ({e}): {text!r:.200}")
        return None
