#!/usr/bin/env bash
# Builds Lede and every test with AddressSanitizer and UndefinedBehavior-
# Sanitizer (LEDE_SANITIZE) in build-asan/ and runs the whole suite (core,
# cli and ui) under them. Any memory error, leak or undefined behaviour
# fails the run. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
build=${LEDE_SANITIZE_BUILD_DIR:-build-asan}

# Set before the build too: building runs each test program once to list
# its test cases, and that run is checked like the others.
#  - UBSan stops at the first finding (the code is also built with
#    -fno-sanitize-recover) and says where it happened.
#  - LeakSanitizer is on, with no suppressions: the suite, the ui tests on
#    Qt's offscreen platform included, leaks nothing, in Lede or in the
#    system libraries. Should a system library ever need one, name only
#    that library in a suppressions file (LSAN_OPTIONS=suppressions=...);
#    a leak through Lede's code is a bug to fix.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1"

# No benchmarks: they measure speed, which the sanitizers distort.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDE_WERROR=ON -DLEDE_BUILD_TESTS=ON \
  -DLEDE_BUILD_BENCH=OFF -DLEDE_SANITIZE=ON
cmake --build "$build" --parallel "$(nproc)"
QT_QPA_PLATFORM=offscreen ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" "$@"
