#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds Lede, imports the bundled
# sample articles into a store and shows what is in it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
build=${LEDE_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --parallel "$(nproc)" --target lede-cli

export LEDE_DB=${LEDE_DB:-$PWD/$build/samples.sqlite}
echo "store: $LEDE_DB"
"$build/app/lede-cli" import resources/samples || true
"$build/app/lede-cli" stats
"$build/app/lede-cli" list
