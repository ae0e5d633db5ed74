#!/usr/bin/env bash
# Command 2 of the README (and CI): install dependencies, build, run the whole test suite —
# the unit and integration tests under CTest, a short libFuzzer run of the text pipeline, and
# the tests of the sentiment peer benchmark's metrics.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-30}"
# The peer benchmark's metric code, against hand-computed numbers (needs no npm packages).
if command -v node >/dev/null; then node --test bench/sentiment/peers_test.js; fi
