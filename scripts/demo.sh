#!/usr/bin/env bash
# Command 1 of the README: install what the daemon's build needs, build the daemon alone (not the
# test suite or the benchmarks: command 2 builds those), and run it on the offline demo config.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh --demo
scripts/build.sh --demo
mkdir -p var
# The web inbox's demo user (docs/web.md), once: the password comes on standard input.
if ! ./build/otklik user list -c config/demo.toml 2>/dev/null | grep -q '^demo\b'; then
  printf 'otklik-demo\n' | ./build/otklik user add demo --role admin -c config/demo.toml
fi
exec ./build/otklik run -c config/demo.toml
