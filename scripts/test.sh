#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds Lede with warnings as errors
# and runs every test. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
build=${LEDE_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDE_WERROR=ON -DLEDE_BUILD_TESTS=ON
cmake --build "$build" --parallel "$(nproc)"
QT_QPA_PLATFORM=offscreen ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" "$@"
