#!/usr/bin/env bash
# Whole-process speed of `otklik score --json` against AFINN-js (`sentiment`) on the same lines:
# the text column of the seven labelled review and tweet files of the corpus, six times over
# (80,418 lines), fed on stdin. Prints the CPU time (perf stat task-clock, which a loaded machine
# moves less than wall time) of each, alternately, fastest of N runs, and their ratio.
#
#   bench/sentiment/score_speed.sh [--corpus DIR] [--runs N] [OTKLIK_BINARY]
#
# AFINN-js is installed into $OTKLIK_PEERS_DIR (default /tmp/otklik-peers) as run-peers.sh does.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpus="$(cd "$repo/.." && pwd)/shared/corpus"
runs=3
bin="$repo/build/otklik"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) bin="$1"; shift ;;
  esac
done
peers_dir="${OTKLIK_PEERS_DIR:-/tmp/otklik-peers}"
export OTKLIK_PEERS_DIR="$peers_dir"
if [[ ! -d "$peers_dir/node_modules/sentiment" ]]; then
  mkdir -p "$peers_dir"
  [[ -f "$peers_dir/package.json" ]] || echo '{"name":"otklik-peers","private":true}' > "$peers_dir/package.json"
  (cd "$peers_dir" && npm install --no-audit --no-fund --loglevel=error sentiment@5.0.2 >&2)
fi
lines="$(mktemp)"
trap 'rm -f "$lines"' EXIT
for pass in 1 2 3 4 5 6; do
  for f in en/uci_amazon en/uci_imdb en/uci_yelp ru/reviews_cars_2015_train ru/reviews_restaurants_2015_train \
           ru/tweets_banks_2015_train ru/tweets_telecoms_2015_train; do
    cut -f2- "$corpus/$f.tsv"
  done
done > "$lines"
# CPU milliseconds of one run of "$@" < $lines.
cpu_ms() { perf stat -x, -e task-clock "$@" < "$lines" 2>&1 >/dev/null | awk -F, '/task-clock/ {printf "%.0f", $1}'; }
best_otklik=0 best_afinn=0
for ((r = 0; r < runs; ++r)); do
  o=$(cpu_ms "$bin" score --json)
  a=$(cpu_ms node "$here/afinn_lines.js")
  if ((best_otklik == 0 || o < best_otklik)); then best_otklik=$o; fi
  if ((best_afinn == 0 || a < best_afinn)); then best_afinn=$a; fi
done
echo "lines: $(wc -l < "$lines")"
echo "otklik score --json: ${best_otklik} ms CPU (fastest of $runs)"
echo "AFINN-js (sentiment): ${best_afinn} ms CPU (fastest of $runs)"
awk -v o="$best_otklik" -v a="$best_afinn" 'BEGIN { printf "otklik / AFINN-js speed: %.2fx\n", a / o }'
