#!/usr/bin/env bash
# Scores newsgraph on ../shared/devset: builds each set's docs/, converts graph.json with
# graph2pred.py and scores it with score.py. Usage: scripts/devset-eval.sh [SET...] [-- --json]
# Output folder: ${NEWSGRAPH_EVAL_DIR:-target/devset-eval}/<set>/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shared=../shared/devset
out=${NEWSGRAPH_EVAL_DIR:-target/devset-eval}
sets=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; extra=("$@"); break ;;
    *) sets+=("$1"); shift ;;
  esac
done
[ ${#sets[@]} -gt 0 ] || sets=(wikievents wikievents_train muc4 conll2003)
cargo build --release -q
for set in "${sets[@]}"; do
  mkdir -p "$out/$set"
  ./target/release/newsgraph build "$shared/$set/docs" --out "$out/$set/export" --force -q || [ $? -eq 1 ]
  python3 "$shared/graph2pred.py" "$out/$set/export/graph.json" --docs "$shared/$set/docs" > "$out/$set/pred.jsonl"
  echo "== $set"
  python3 "$shared/score.py" "$shared/$set/gold.jsonl" "$out/$set/pred.jsonl" ${extra[@]+"${extra[@]}"}
done
