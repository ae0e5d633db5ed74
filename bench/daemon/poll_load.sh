#!/usr/bin/env bash
# Peak RSS and CPU of the daemon polling N sources every 10 s for a while.
#   bench/daemon/poll_load.sh [SOURCES=1000] [SECONDS=60] [MODE=file|http]
# file: each source is a file:// RSS feed of 20 items; http: the same feeds served by a local
# python3 http.server on 127.0.0.1 (per_host_delay 0 so that one host can serve them all).
# Prints the numbers docs/performance.md records. Needs ./build/otklik (scripts/build.sh).
# The load benchmark against nginx, side by side with a Node.js poller, with alerts, latency,
# event-loop stalls and targets: bench/daemon/load/run.sh (bench/daemon/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000}
seconds=${2:-60}
mode=${3:-file}
bin=./build/otklik
work=$(mktemp -d /tmp/otklik-poll-load.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$work" "$n" <<'PY'
import sys, os, datetime
work, n = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{work}/feeds", exist_ok=True)
texts = ["Ждал в очереди час, менеджер нахамил.", "Great service, thank you!",
         "Деньги списали дважды и не вернули.", "The app crashes every time I log in.",
         "Всё хорошо, спасибо за помощь.", "Nobody answers the phone, terrible support."]
now = datetime.datetime.utcnow()
for s in range(n):
    items = []
    for i in range(20):
        d = (now - datetime.timedelta(days=10, minutes=i)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        items.append(f"<item><guid>s{s}-i{i}</guid><title>Review {i}</title><link>https://example.org/{s}/{i}</link>"
                     f"<pubDate>{d}</pubDate><description>{texts[(s + i) % len(texts)]}</description></item>")
    with open(f"{work}/feeds/{s}.xml", "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
                + "".join(items) + "</channel></rss>")
PY

if [ "$mode" = http ]; then
  port=18765
  (cd "$work/feeds" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
  sleep 1
  base="http://127.0.0.1:$port"
else
  base="file://$work/feeds"
fi

{
  echo '[daemon]'
  echo "state = \"$work/state.db\""
  echo 'listen = ""'
  echo 'log_level = "warn"'
  echo '[http]'
  echo 'per_host_delay = "0s"'
  echo '[[channel]]'
  echo 'name = "console"'
  echo 'type = "console"'
  echo '[[route]]'
  echo 'channel = "console"'
  for ((s = 0; s < n; s++)); do
    echo '[[source]]'
    echo "name = \"s$s\""
    echo 'type = "rss"'
    echo "url = \"$base/$s.xml\""
    echo 'interval = "10s"'
  done
} >"$work/otklik.toml"

/usr/bin/time -v -o "$work/time.txt" timeout -s TERM "$seconds" "$bin" run -c "$work/otklik.toml" >/dev/null 2>"$work/log.txt" || true
polls=$(sqlite3 "$work/state.db" "select sum(polls) from sources_state;" 2>/dev/null || echo "?")
mentions=$(sqlite3 "$work/state.db" "select count(*) from mentions;" 2>/dev/null || echo "?")
rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$work/time.txt")
user=$(awk -F: '/User time/ {gsub(/ /,"",$2); print $2}' "$work/time.txt")
sys=$(awk -F: '/System time/ {gsub(/ /,"",$2); print $2}' "$work/time.txt")
echo "mode=$mode sources=$n seconds=$seconds polls=$polls mentions=$mentions peak_rss_kib=$rss user_s=$user sys_s=$sys"
echo "cpu_share_of_one_core=$(python3 -c "print(round(($user+$sys)/$seconds*100,1))")%"
grep -ciE "error|critical" "$work/log.txt" | sed 's/^/log_errors=/'
