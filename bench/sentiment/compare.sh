#!/usr/bin/env bash
# Otklik against the npm lexicon scorers on the same labelled files: quality (F1pn, negative
# recall and precision), speed (scoring loop and whole process), lexicon load time, memory over
# 1M texts and time on hostile input. Writes OUT/comparison.md (a markdown report) and prints it.
#
#   bench/sentiment/compare.sh [--corpus DIR] [--out DIR] [--build DIR] [--bench PATH]
#                              [--texts N] [--passes N] [--skip-peers] [--english-on-russian]
#
#   --corpus DIR   labelled files under DIR/ru and DIR/en (default ../shared/corpus)
#   --out DIR      results folder (default /tmp/otklik-bench)
#   --build DIR    Release build folder for sentiment_bench (default build-bench)
#   --bench PATH   use this sentiment_bench binary instead of building one
#   --otklik PATH  time `PATH eval --json FILE` for the whole-process figures (default:
#                  `sentiment_bench eval`, the same code: run_eval with the built-in lexicons)
#   --texts N      texts for the memory run (default 1000000)
#   --passes N     scoring-loop passes per file, Otklik and peers alike; the fastest counts (default 3)
#   --skip-peers   reuse OUT/peers.jsonl from an earlier run-peers.sh
#   --english-on-russian  also run the English-only peers on the Russian files
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpus="$(cd "$repo/.." && pwd)/shared/corpus"
out="/tmp/otklik-bench"
build="$repo/build-bench"
bench=""
otklik=""
texts=1000000
passes=3
skip_peers=0
peer_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --bench) bench="$2"; shift 2 ;;
    --otklik) otklik="$2"; shift 2 ;;
    --texts) texts="$2"; shift 2 ;;
    --passes) passes="$2"; shift 2 ;;
    --skip-peers) skip_peers=1; shift ;;
    --english-on-russian) peer_args+=(--english-on-russian); shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "compare: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
mapfile -t files < <(find "$corpus" -name '*.tsv' | sort)
[[ ${#files[@]} -gt 0 ]] || { echo "compare: no .tsv files under $corpus" >&2; exit 1; }

if [[ -z "$bench" ]]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S "$repo" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DOTKLIK_BUILD_TESTS=OFF -DOTKLIK_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" --target sentiment_bench -j 2 >&2
  bench="$build/bench/sentiment_bench"
fi

if [[ $skip_peers == 0 ]]; then
  "$here/run-peers.sh" --corpus "$corpus" --out "$out" --passes "$passes" "${peer_args[@]}" "${files[@]}" >/dev/null
fi

now_ns() { date +%s%N; }
# Whole process per file: start, build the scorer (built-in lexicons), read, score, report.
: > "$out/otklik.jsonl"
eval_cmd=("$bench" eval)
[[ -n "$otklik" ]] && eval_cmd=("$otklik" eval)
for f in "${files[@]}"; do
  t0=$(now_ns)
  json=$("${eval_cmd[@]}" --json "$f")
  t1=$(now_ns)
  node -e '
    const r = JSON.parse(process.argv[1]).files[0];
    const s = Number(process.argv[2]) / 1e9;
    r.process_seconds = s;
    r.process_texts_per_sec = r.items / s;
    process.stdout.write(JSON.stringify(r) + "\n");
  ' "$json" "$((t1 - t0))" >> "$out/otklik.jsonl"
done
# Scoring loop (fastest of N passes, as for the peers) and lexicon load.
"$bench" speed --json --passes "$passes" "${files[@]}" > "$out/speed.json"
# Memory over N texts.
"$bench" rss --json --texts "$texts" "${files[@]}" > "$out/rss.json"
# Hostile input at 1 MB and 10 MB: time should grow tenfold, not a hundredfold.
"$bench" hostile --json > "$out/hostile.json"

{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(uname -m)), one core used;"
  echo "Otklik $(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown), node $(node --version);"
  echo "whole process timed with \`$(basename "${eval_cmd[0]}") eval\`."
  echo
  node "$here/compare.js" "$out"
} > "$out/comparison.md"
cat "$out/comparison.md"
