#!/usr/bin/env bash
# Builds the libFuzzer target for the sentiment text pipeline with clang (ASan + UBSan) and runs
# it for a bounded time over the hand-written seeds in tests/fuzz/corpus. Exits 0 when no crash,
# leak, sanitizer report or broken contract was found; non-zero otherwise (the crashing input is
# left in BUILD/artifacts/).
#
#   scripts/fuzz.sh [--seconds N] [--build DIR] [--jobs N] [--build-only]
#     --seconds N   fuzzing time (default 30)
#     --build DIR   build folder (default build-fuzz in the repository)
#     --jobs N      parallel compile jobs (default 2)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=30
build="$root/build-fuzz"
jobs=2
build_only=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

cxx="${CXX_FUZZ:-$(command -v clang++ || true)}"
[[ -n "$cxx" ]] || { echo "fuzz.sh: clang++ not found (apt-get install clang)" >&2; exit 1; }

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$root/tests/fuzz" -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target sentiment_fuzz -j "$jobs"
[[ $build_only == 1 ]] && exit 0

# New inputs found go to a scratch corpus; the seeds in the repository are only read.
work="$build/corpus"
mkdir -p "$work" "$build/artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
"$build/sentiment_fuzz" "$work" "$root/tests/fuzz/corpus" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1
