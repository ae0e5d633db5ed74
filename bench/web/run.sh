#!/usr/bin/env bash
# The web inbox benchmark (bench/web/README.md): seeds a state file with N mentions through the
# store's ingest path (build/bench/web/seed_inbox), then times the inbox's pages on the real daemon
# and opens live clients (inbox_bench.py). Prints a markdown table.
#
#   bench/web/run.sh [--mentions N] [--db PATH] [--requests N] [--pages N] [--sse N] [--keep]
#
#   --mentions N   mentions to seed (1000000)
#   --db PATH      use this state file: seeded first only when it does not exist (a seeded file is
#                  reused across runs; the run adds a user, one source's item and its alert to it)
#   --requests N   measured requests per page (200); --pages N: depth of the paging run (50)
#   --sse N        live clients on /events (50); --keep: keep the scratch folder
set -euo pipefail
cd "$(dirname "$0")/../.."
mentions=1000000 db="" requests=200 pages=50 sse=50 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mentions) mentions="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --pages) pages="$2"; shift 2 ;;
    --sse) sse="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for bin in build/otklik build/bench/web/seed_inbox; do
  [ -x "$bin" ] || { echo "run.sh: $bin is missing: scripts/build.sh builds it" >&2; exit 1; }
done
work=$(mktemp -d /tmp/otklik-web-bench.XXXXXX)
cleanup() { if [ "$keep" = 1 ]; then echo "run.sh: kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
[ -n "$db" ] || db="$work/state.db"
if [ ! -e "$db" ]; then
  echo "run.sh: seeding $mentions mentions into $db" >&2
  build/bench/web/seed_inbox --db "$db" --mentions "$mentions"
fi
python3 bench/web/inbox_bench.py --otklik build/otklik --db "$db" --work "$work" \
  --requests "$requests" --pages "$pages" --sse "$sse"
