#!/usr/bin/env bash
# Command 2 of the README (and CI): install dependencies, build, run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
