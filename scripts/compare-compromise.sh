#!/usr/bin/env bash
# Lede's tagger and compromise (../shared/peers) on the same articles, in
# the same run: accuracy by ../shared/eval/score.py and tagging speed.
#   scripts/compare-compromise.sh [FOLDER]     (default ../shared/corpus)
# Needs npm (compromise is installed into a temporary folder on first use)
# and a build in build/ (lede-cli, lede_bench_tagger).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== compromise"
../shared/peers/run-compromise.sh "$dir" "$out/compromise.json" 2>"$out/compromise.err"
python3 ../shared/eval/score.py "$dir" "$out/compromise.json"
grep -o '"mb_per_s":[0-9.]*' "$out/compromise.err" | sed 's/"mb_per_s":/speed, MB\/s (module load excluded): /'
echo "== Lede"
build/app/lede-cli eval "$dir"
build/tests/bench/lede_bench_tagger --files "$dir" --mb 5 | grep -E "load|tagging|peak"
