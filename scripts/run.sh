#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds Lede, imports the bundled
# sample articles into a store (those it lacks) and opens it in the
# desktop application. Extra arguments go to `lede`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
build=${LEDE_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --parallel "$(nproc)" --target lede-cli lede

export LEDE_DB=${LEDE_DB:-$PWD/$build/samples.sqlite}
echo "store: $LEDE_DB"
# Articles already in the store are skipped, so this only fills an empty
# (or partial) store and leaves the analyst's work alone.
"$build/app/lede-cli" import --quiet resources/samples || true
"$build/app/lede-cli" stats

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run.sh: no display; to try Lede headless: xvfb-run -s '-screen 0 1600x1000x24' scripts/run.sh" >&2
fi
exec "$build/app/lede" --db "$LEDE_DB" "$@"
