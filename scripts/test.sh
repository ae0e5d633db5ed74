#!/usr/bin/env bash
# Command 2 of the README (and CI): install dependencies, build, and run the whole test suite:
# the tests of the sentiment peer benchmark's metrics, a short libFuzzer run of the text
# pipeline, then the unit and integration tests under CTest (whose summary closes the output).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh
# The peer benchmark's metric code, against hand-computed numbers (needs no npm packages).
node --test bench/sentiment/peers_test.js
scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-30}"
ctest --test-dir build --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
