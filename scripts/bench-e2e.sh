#!/usr/bin/env bash
# End-to-end measure of `newsgraph build` on the BBC bench corpus (or any input): wall time and
# max RSS of the release binary, several runs, median. Uses /usr/bin/time (GNU time) and, when
# installed, hyperfine as well.
#
#   scripts/bench-e2e.sh [INPUT] [RUNS]
#
# INPUT defaults to ../shared/bench-corpus/bbc (beside the repository), RUNS to 7.
# Set NEWSGRAPH=/path/to/newsgraph to measure a given binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
input=${1:-../shared/bench-corpus/bbc}
runs=${2:-7}
if [[ ! -e $input ]]; then
    echo "bench-e2e: $input not found, skipping" >&2
    exit 0
fi
if [[ -z ${NEWSGRAPH:-} ]]; then
    cargo build --release --quiet
    target=${CARGO_TARGET_DIR:-target}
    NEWSGRAPH=$target/release/newsgraph
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "bench-e2e: GNU time (/usr/bin/time) is needed (apt-get install time)" >&2
    exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "binary: $NEWSGRAPH"
echo "input:  $input ($(du -sh "$input" | cut -f1))"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
# One warm-up run (page cache, lazy statics are per process anyway).
"$NEWSGRAPH" build "$input" --out "$out/g" --force -q || true
walls=()
rss=()
for i in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$out/time" "$NEWSGRAPH" build "$input" --out "$out/g" --force -q || true
    read -r w m <"$out/time"
    walls+=("$w")
    rss+=("$m")
    printf 'run %d: %6.3f s  %7d KB\n' "$i" "$w" "$m"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "median wall: $(median "${walls[@]}") s"
echo "median max RSS: $(( $(median "${rss[@]}" | cut -d. -f1) / 1024 )) MB ($(median "${rss[@]}") KB)"
if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs "$runs" "$NEWSGRAPH build $input --out $out/h --force -q"
fi
