#!/usr/bin/env bash
# The Spark job (contrib/spark/newsgraph_spark.py) in local mode on 1, 2 and 4 partitions, and
# `newsgraph build` of the same input, for the "Spark local mode" table of BENCHMARKS.md: wall
# time, peak RSS of the whole process tree (sampled every 0.1 s: the Python driver, the JVM,
# the Python workers and the newsgraph processes together) and of its largest process, and the
# job's own split into session start, listing, extract + merge tree, and final merge.
#
#   scripts/bench-spark.sh [INPUT] [RUNS] [MASTER]
#
# INPUT defaults to ../shared/bench-corpus/bbc, RUNS (per setting) to 3, MASTER to local[2].
# Needs .venv/ with pyspark (bash .ci/setup) and java. Set NEWSGRAPH=/path/to/newsgraph to
# measure a given binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
input=${1:-../shared/bench-corpus/bbc}
runs=${2:-3}
master=${3:-local[2]}
python=${NEWSGRAPH_PYTHON:-.venv/bin/python}
if [[ -z ${NEWSGRAPH:-} ]]; then
    cargo build --release --quiet
    NEWSGRAPH=${CARGO_TARGET_DIR:-target}/release/newsgraph
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}

# Runs ARGS (stderr to $out/log); prints "wall-seconds peak-tree-MB largest-process-MB".
cat >"$out/measure.py" <<'PY'
import os, subprocess, sys, time

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except OSError:
        return 0


def tree(root):
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(d))
    todo, found = [root], []
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


start = time.monotonic()
with open(sys.argv[1], "wb") as log:
    proc = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=log)
    peak_tree = peak_one = 0
    while proc.poll() is None:
        sizes = [rss(p) for p in tree(proc.pid)]
        peak_tree, peak_one = max(peak_tree, sum(sizes)), max(peak_one, max(sizes))
        time.sleep(0.1)
print(f"{time.monotonic() - start:.1f} {peak_tree >> 20} {peak_one >> 20}")
PY
measure() { python3 "$out/measure.py" "$out/log" "$@"; }

echo "input: $input ($(du -sh "$input" | cut -f1)), master $master, $runs runs each"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %7s %12s %11s   %s\n' "run" "wall s" "tree RSS MB" "largest MB" \
    "job log: session / list / extract+tree / final merge (s)"
"$NEWSGRAPH" build "$input" --out "$out/warm" -q || true
for i in $(seq "$runs"); do
    read -r wall tree one < <(measure "$NEWSGRAPH" build "$input" --out "$out/b$i" -q)
    printf '%-22s %7s %12s %11s\n' "build" "$wall" "$tree" "$one"
done
for parts in 1 2 4; do
    for i in $(seq "$runs"); do
        read -r wall tree one < <(measure "$python" contrib/spark/newsgraph_spark.py \
            --master "$master" --binary "$NEWSGRAPH" --partitions "$parts" \
            --out "$out/s$parts-$i" "$input")
        stages=$(grep -o ') in [0-9.]* s\|partitions ([0-9.]* s\|tree: [0-9.]* s\|export: [0-9.]* s' "$out/log" |
            grep -o '[0-9.]* s$' | tr -d 's' | tr '\n' ' ')
        printf '%-22s %7s %12s %11s   %s\n' "spark $parts partition(s)" "$wall" "$tree" "$one" "$stages"
        cmp -s "$out/b1/graph.json" "$out/s$parts-$i/graph.json" || echo "  (graph.json differs from build!)"
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
