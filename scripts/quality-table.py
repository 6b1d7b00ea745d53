#!/usr/bin/env python3
"""Prints the markdown tables of docs/quality.md from the predictions that
scripts/devset-eval.sh left in target/devset-eval/<set>/pred.jsonl.

Usage: scripts/devset-eval.sh && python3 scripts/quality-table.py
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEVSET = os.path.join(ROOT, "..", "shared", "devset")
EVAL = os.environ.get("NEWSGRAPH_EVAL_DIR", os.path.join(ROOT, "target", "devset-eval"))


def score(s):
    out = subprocess.run(
        [sys.executable, os.path.join(DEVSET, "score.py"), os.path.join(DEVSET, s, "gold.jsonl"),
         os.path.join(EVAL, s, "pred.jsonl"), "--json"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def cell(d):
    return f"{d['p']:.3f} / {d['r']:.3f} / **{d['f1']:.3f}**"


def main():
    sets = [s for s in ["wikievents", "wikievents_train", "muc4", "conll2003"]
            if os.path.exists(os.path.join(EVAL, s, "pred.jsonl"))]
    scores = {s: score(s) for s in sets}
    print("### Entities (P / R / **F1**)\n")
    print("| set | mode | ALL | Person | Group | Place | untyped |")
    print("|---|---|---|---|---|---|---|")
    for s in sets:
        if not scores[s]["entity_docs"]:
            continue
        for mode in ["strict", "lenient"]:
            e = scores[s]["entities"][mode]
            print(f"| {s} | {mode} | " + " | ".join(cell(e[t]) for t in ["ALL", "Person", "Group", "Place", "untyped"]) + " |")
    print("\n### Attack roles (P / R / **F1**)\n")
    print("| set | mode | roles ALL | attacker | target | victim | place | instrument |")
    print("|---|---|---|---|---|---|---|---|")
    for s in sets:
        if not scores[s]["attack_docs"]:
            continue
        for mode in ["strict", "lenient"]:
            r = scores[s]["roles"][mode]
            print(f"| {s} | {mode} | " + " | ".join(cell(r[t]) for t in ["ALL", "attacker", "target", "victim", "place", "instrument"]) + " |")


if __name__ == "__main__":
    main()
