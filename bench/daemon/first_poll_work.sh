#!/usr/bin/env bash
# The work of a first poll, counted: `otklik poll --once` over N generated feeds (the load
# benchmark's, 20 reviews each) read from files, run under callgrind, so that the figure is
# instructions, not time, and holds on a busy machine. Prints the instructions of the whole run,
# per stored review, and the inclusive share of the pipeline's stages.
#
#   bench/daemon/first_poll_work.sh [--feeds 150] [--seed 1] [--keep]
#
# Needs build/otklik (scripts/build.sh; OTKLIK_BIN=PATH runs another binary), python3, sqlite3
# and valgrind (scripts/setup-deps.sh). About a minute for 150 feeds (3,000 reviews). Two caveats of
# callgrind's counts: code that runs on instructions valgrind does not advertise (OpenSSL's SHA
# extensions) is counted on its generic path, and `rep stos` counts each repetition; compare
# builds by the stages below, not by hashing or memset.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
feeds=150 seed=1 keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --feeds) feeds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "first_poll_work.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
[[ "$feeds" =~ ^[0-9]+$ && "$feeds" -ge 1 ]] || { echo "first_poll_work.sh: --feeds must be a whole number ≥ 1" >&2; exit 2; }
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "first_poll_work.sh: --seed must be a whole number" >&2; exit 2; }
bin="${OTKLIK_BIN:-$repo/build/otklik}"
[[ -x "$bin" ]] || { echo "first_poll_work.sh: $bin not found (scripts/build.sh)" >&2; exit 2; }
for tool in valgrind callgrind_annotate sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "first_poll_work.sh: $tool not found (scripts/setup-deps.sh)" >&2; exit 2; }
done

scratch="$(mktemp -d /tmp/otklik-first-poll.XXXXXX)"
if (( keep )); then echo "first_poll_work.sh: scratch folder kept: $scratch" >&2; else trap 'rm -rf "$scratch"' EXIT; fi

python3 "$repo/bench/daemon/load/feeds.py" generate --dir "$scratch/feeds" --count "$feeds" --seed "$seed"
python3 - "$scratch" "$feeds" <<'EOF'
import sys
scratch, n = sys.argv[1], int(sys.argv[2])
out = ['[daemon]', f'state = "{scratch}/state.db"', 'log_level = "warn"',
       '[[channel]]', 'name = "sink"', 'type = "webhook"', 'url = "http://127.0.0.1:9/otklik"',
       '[[route]]', 'channel = "sink"']
for i in range(n):
    out += ['[[source]]', f'name = "feed-{i:05d}"', 'type = "rss"',
            f'url = "file://{scratch}/feeds/f{i:05d}.xml"', 'interval = "10s"']
open(f'{scratch}/otklik.toml', 'w').write("\n".join(out) + "\n")
EOF

valgrind --tool=callgrind --callgrind-out-file="$scratch/callgrind.out" \
  "$bin" poll --once -c "$scratch/otklik.toml" >"$scratch/poll.txt" 2>"$scratch/valgrind.txt" ||
  { cat "$scratch/valgrind.txt" "$scratch/poll.txt" >&2; exit 1; }
reviews="$(sqlite3 "$scratch/state.db" 'SELECT COUNT(*) FROM mentions')"
negatives="$(sqlite3 "$scratch/state.db" "SELECT COUNT(*) FROM mentions WHERE label = 'negative'")"

callgrind_annotate --inclusive=yes "$scratch/callgrind.out" 2>/dev/null | python3 -c '
import re, sys
reviews, negatives = int(sys.argv[1]), int(sys.argv[2])
total = None
stages = [
    ("parse (parse_rss)", r"otklik::parse_rss\("),
    ("score (Engine::score_tokenized)", r"otklik::sentiment::Engine::score_tokenized\("),
    ("understand (Understander::understand)", r"otklik::Understander::understand\(otklik::Mention const&, otklik::Sentiment const&, std::basic_string_view"),
    ("row: hash, deflate, detail JSON (prepare_row)", r"otklik::prepare_row\("),
    ("  deflate (store::pack)", r"otklik::store::pack\["),
    ("store (SqliteStore::ingest_batch)", r"otklik::SqliteStore::ingest_batch\("),
    ("  full-text index (index_words)", r"otklik::store::index_words\("),
]
found = {}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)", line)
    if not m: continue
    n = int(m.group(1).replace(",", "")); what = m.group(2)
    if "PROGRAM TOTALS" in what: total = n; continue
    for name, pat in stages:
        if name not in found and re.search(pat, what): found[name] = n
print(f"reviews stored: {reviews} ({negatives} negative)")
print(f"instructions, whole run: {total:,} ({total / reviews:,.0f} a review, start-up included)")
for name, _ in stages:
    n = found.get(name)
    print(f"  {name:<48} " + (f"{n / reviews:>10,.0f} a review  {100 * n / total:5.1f} %" if n else "-"))
' "$reviews" "$negatives"
