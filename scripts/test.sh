#!/usr/bin/env bash
# Command 2 of the README (and CI): install dependencies, build, and run the whole test suite:
# the tests of the sentiment peer benchmark's metrics, a short libFuzzer run of the text
# pipeline, then the unit and integration tests under CTest (whose summary closes the output).
# CTest runs inside pg_virtualenv (postgresql-common): a throwaway PostgreSQL 15 cluster for the
# store's PostgreSQL tests, reached through the PG* variables it exports, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
if ! command -v pg_virtualenv >/dev/null 2>&1; then
  echo "test.sh: pg_virtualenv not found: install postgresql and postgresql-common (scripts/setup-deps.sh)" >&2
  exit 1
fi
scripts/build.sh
# The peer benchmark's metric code, against hand-computed numbers (needs no npm packages).
node --test bench/sentiment/peers_test.js
scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-30}"
pg_virtualenv -v 15 ctest --test-dir build --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
