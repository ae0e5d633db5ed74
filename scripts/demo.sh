#!/usr/bin/env bash
# Command 1 of the README: install dependencies, build, and run the daemon on the offline demo config.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh
mkdir -p var
exec ./build/otklik run -c config/demo.toml
