#!/usr/bin/env python3
"""Generate a synthetic large corpus: the BBC bench corpus repeated with varied document ids.

    scripts/gen_synthetic_corpus.py OUT_DIR SIZE_MB [--source DIR]

Copies of every article are written as OUT_DIR/rNNNN/<category>_<n>.txt until the total reaches
SIZE_MB megabytes (1 MB = 10^6 bytes). Each copy is a different document id (the directory
rNNNN is part of it), so the build treats them as distinct sources; the text is unchanged, so
the graph grows in evidence and sources, not in new names, like a long-running news feed.
The output is never committed (it is generated, and large).
"""

import argparse
import os
import sys


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    default_source = os.path.normpath(os.path.join(here, "..", "..", "shared", "bench-corpus", "bbc"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("size_mb", type=float)
    ap.add_argument("--source", default=default_source)
    args = ap.parse_args()

    if not os.path.isdir(args.source):
        print(f"source corpus {args.source} not found", file=sys.stderr)
        return 1
    files = sorted(f for f in os.listdir(args.source) if f.endswith(".txt"))
    texts = []
    for f in files:
        with open(os.path.join(args.source, f), "rb") as fh:
            texts.append((f, fh.read()))
    if not texts:
        print("no .txt files in the source corpus", file=sys.stderr)
        return 1
    target = int(args.size_mb * 1_000_000)
    os.makedirs(args.out_dir, exist_ok=True)
    total = 0
    rep = 0
    count = 0
    while total < target:
        d = os.path.join(args.out_dir, f"r{rep:04d}")
        os.makedirs(d, exist_ok=True)
        for name, data in texts:
            if total >= target:
                break
            with open(os.path.join(d, name), "wb") as fh:
                fh.write(data)
            total += len(data)
            count += 1
        rep += 1
    print(f"{count} documents, {total / 1e6:.1f} MB in {rep} copies under {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
