#!/usr/bin/env bash
# Installs the npm lexicon sentiment scorers Otklik is compared with into a scratch folder and runs
# each over every labelled corpus file, printing the same metrics as `otklik eval`.
#
#   bench/sentiment/run-peers.sh [--corpus DIR] [--out DIR] [--peers-dir DIR] [--passes N]
#                                [--english-on-russian] [FILE...]
#
#   --corpus DIR   labelled files (*.tsv, LABEL<TAB>TEXT) under DIR/ru and DIR/en
#                  (default: ../shared/corpus next to the repository)
#   --out DIR      where results go (default: /tmp/otklik-bench): peers.txt (the text reports)
#                  and peers.jsonl (one JSON object per peer and file: metrics, scoring-loop
#                  texts/s, whole-process seconds)
#   --peers-dir    the scratch npm folder (default: $OTKLIK_PEERS_DIR or /tmp/otklik-peers)
#   --passes N     scoring-loop passes per file for the speed figure (default 3; fastest counts)
#   --english-on-russian  also run the English-only peers on the Russian files (they fail there)
#
# Peers and the rule mapping their score to a label (from each package's documentation):
#   nlpjs  @nlpjs/sentiment + @nlpjs/lang-ru / @nlpjs/lang-en   score sign ("vote")
#   vader  vader-sentiment                                       compound >= 0.05 / <= -0.05
#   afinn  sentiment (AFINN-165)                                 score sign
#   wink   wink-sentiment                                        normalizedScore sign
# Russian files are scored by nlpjs only (the only peer with a Russian lexicon).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpus="$(cd "$repo/.." && pwd)/shared/corpus"
out="/tmp/otklik-bench"
peers_dir="${OTKLIK_PEERS_DIR:-/tmp/otklik-peers}"
passes=3
extra=()
files=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --peers-dir) peers_dir="$2"; shift 2 ;;
    --passes) passes="$2"; shift 2 ;;
    --english-on-russian) extra+=(--english-on-russian); shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    -*) echo "run-peers: unknown option $1" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
if [[ ${#files[@]} -eq 0 ]]; then
  mapfile -t files < <(find "$corpus" -name '*.tsv' | sort)
fi
[[ ${#files[@]} -gt 0 ]] || { echo "run-peers: no .tsv files under $corpus" >&2; exit 1; }
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  # Debian's packages; only the benchmark needs them, so scripts/setup-deps.sh leaves them out.
  if [[ "$(id -u)" == 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >&2
  else
    echo "run-peers: node and npm are needed: sudo apt-get install nodejs npm" >&2
    exit 1
  fi
fi

# Pinned versions: the numbers in docs/sentiment-measurements.md were taken with these.
packages=(vader-sentiment@1.1.3 sentiment@5.0.2 wink-sentiment@5.0.2
          @nlpjs/core@4.26.1 @nlpjs/sentiment@4.26.1 @nlpjs/lang-ru@4.26.1 @nlpjs/lang-en@4.26.1)
mkdir -p "$peers_dir" "$out"
if [[ ! -f "$peers_dir/package.json" ]]; then
  echo '{"name":"otklik-peers","private":true}' > "$peers_dir/package.json"
fi
stamp="$peers_dir/.otklik-installed"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "${packages[*]}" ]]; then
  echo "run-peers: installing ${packages[*]} into $peers_dir" >&2
  (cd "$peers_dir" && npm install --no-audit --no-fund --loglevel=error "${packages[@]}" >&2)
  echo "${packages[*]}" > "$stamp"
fi
export OTKLIK_PEERS_DIR="$peers_dir"

now_ns() { date +%s%N; }

: > "$out/peers.jsonl"
: > "$out/peers.txt"
for peer in nlpjs vader afinn wink; do
  for f in "${files[@]}"; do
    # Whole process, one pass: start node, load the peer, read and score the file, print.
    t0=$(now_ns)
    json=$(node "$here/peers.js" --json --peer "$peer" "${extra[@]}" "$f")
    t1=$(now_ns)
    # Nothing printed: the peer does not support the file's language and was not asked to run.
    [[ "$(node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).results.length))' "$json")" == 0 ]] && continue
    # Scoring loop warmed up: the fastest of $passes passes inside one process.
    node "$here/peers.js" --passes "$passes" --peer "$peer" "${extra[@]}" "$f" | tee -a "$out/peers.txt"
    warm=$(node "$here/peers.js" --json --passes "$passes" --peer "$peer" "${extra[@]}" "$f")
    node -e '
      const cold = JSON.parse(process.argv[1]);
      const warm = JSON.parse(process.argv[2]);
      const r = cold.results[0];
      const w = warm.results[0];
      const processSeconds = Number(process.argv[3]) / 1e9;
      r.process_seconds = processSeconds;
      r.process_texts_per_sec = r.items / processSeconds;
      r.texts_per_sec_cold = r.texts_per_sec;
      r.texts_per_sec = w.texts_per_sec;
      r.passes = w.passes;
      r.load_seconds = Object.values(cold.load_seconds)[0];
      process.stdout.write(JSON.stringify(r) + "\n");
    ' "$json" "$warm" "$((t1 - t0))" >> "$out/peers.jsonl"
    echo "whole process: $(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop()); console.log(r.process_seconds.toFixed(3)+" s, "+Math.round(r.process_texts_per_sec)+" texts/s")' "$out/peers.jsonl")" | tee -a "$out/peers.txt"
    echo | tee -a "$out/peers.txt"
  done
done
echo "run-peers: results in $out/peers.jsonl and $out/peers.txt" >&2
