#!/usr/bin/env bash
# Command 1 of the README: install what the daemon's build needs, build the daemon alone (not the
# test suite or the benchmarks: command 2 builds those), and run it on the offline demo config.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh --demo
scripts/build.sh --demo
mkdir -p var
exec ./build/otklik run -c config/demo.toml
