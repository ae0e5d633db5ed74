#!/usr/bin/env bash
# Command 2 of the README (and CI): install dependencies, build, run the whole test suite —
# the unit and integration tests under CTest, then a short libFuzzer run of the text pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-30}"
