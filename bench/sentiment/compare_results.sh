#!/usr/bin/env bash
# Shows that two builds of the engine give exactly the same result on every text: runs
# `sentiment_bench dump` of both on the files and diffs the output (bit-exact doubles).
#   bench/sentiment/compare_results.sh REFERENCE_BENCH CANDIDATE_BENCH FILE...
set -euo pipefail
ref=$1 cand=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ref" dump "$@" > "$tmp/ref.txt"
"$cand" dump "$@" > "$tmp/cand.txt"
if cmp -s "$tmp/ref.txt" "$tmp/cand.txt"; then
  echo "identical: $(wc -l < "$tmp/ref.txt") results"
else
  echo "DIFFERENT: $(diff "$tmp/ref.txt" "$tmp/cand.txt" | grep -c '^<') of $(wc -l < "$tmp/ref.txt") results" >&2
  diff "$tmp/ref.txt" "$tmp/cand.txt" | head -20 >&2
  exit 1
fi
