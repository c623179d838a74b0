#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang in build-fuzz/ and
# runs each for a bounded time (LEDE_FUZZ_SECONDS, default 60) on a copy of
# its seed corpus, as many at once as there are cores. A crash, a leak, a
# sanitizer finding or a timeout fails the run; the input that caused it
# is kept in build-fuzz/findings/ to be added to tests/fuzz/corpus/ as a
# regression seed once the bug is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh fuzz
build=${LEDE_FUZZ_BUILD_DIR:-build-fuzz}
seconds=${LEDE_FUZZ_SECONDS:-60}
targets=(decoder html json model query tagger)

CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDE_WERROR=ON \
  -DLEDE_FUZZ=ON -DLEDE_BUILD_TESTS=OFF
# The fuzzers link lede_core only; the desktop application is not needed.
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]/#/fuzz_}"

work="$build/fuzz-run"
findings="$build/findings"
rm -rf "$work"
mkdir -p "$work" "$findings"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

# One fuzzer: its own copy of the seeds (libFuzzer adds the inputs it finds
# to it), its log, and its exit status in a file for the summary below.
fuzz() {
  local target=$1
  mkdir -p "$work/$target/corpus"
  cp tests/fuzz/corpus/"$target"/* "$work/$target/corpus/"
  local status=0
  "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/$target-" "$work/$target/corpus" \
    >"$work/$target/log" 2>&1 || status=$?
  echo "$status" >"$work/$target/status"
}

for target in "${targets[@]}"; do
  # Keep one fuzzer per core.
  while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
  echo "fuzz: $target for ${seconds}s"
  fuzz "$target" &
done
wait

failed=0
for target in "${targets[@]}"; do
  status=$(cat "$work/$target/status")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target/log")
  echo "fuzz: $target: ${runs:-?} inputs, exit status $status"
  if [ "$status" -ne 0 ]; then
    failed=1
    tail -n 60 "$work/$target/log"
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: findings kept in $findings:" >&2
  ls -l "$findings" >&2
  exit 1
fi
