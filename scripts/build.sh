#!/usr/bin/env bash
# Configures and builds Otklik in ./build (Ninja, ccache when present). Extra args go to cmake.
#   scripts/build.sh          everything: the daemon, the test suite and the benchmark programs
#   scripts/build.sh --demo   the daemon alone (README command 1)
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Paths relative to the checkout, so that a fresh clone elsewhere (CI) reuses the cache.
export CCACHE_BASEDIR="$PWD"
export CCACHE_NOHASHDIR=1
parts=(-DOTKLIK_BUILD_TESTS=ON -DOTKLIK_BUILD_BENCH=ON)
target=()
if [[ "${1:-}" == --demo ]]; then
  shift
  # Tests off: Catch2 need not be installed yet. The next full build turns them on again.
  parts=(-DOTKLIK_BUILD_TESTS=OFF -DOTKLIK_BUILD_BENCH=OFF)
  target=(--target otklik)
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "${parts[@]}" "$@" >/dev/null
cmake --build build -j "${JOBS:-$(nproc)}" "${target[@]}"
