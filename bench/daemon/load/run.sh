#!/usr/bin/env bash
# Load benchmark: Otklik polling many RSS feeds from nginx on 127.0.0.1 (one instance on SQLite, or
# one or more instances sharing a throwaway PostgreSQL cluster), and the Node.js peer
# (bench/daemon/peer) doing the same, one after the other; prints both side by side against the
# targets and writes the figures as JSON. What is measured and how: bench/daemon/README.md.
#
#   bench/daemon/load/run.sh [--sources 10000] [--interval 60] [--duration 300] [--seed N]
#                            [--only otklik|node] [--out DIR] [--concurrency 32] [--keep]
#                            [--backend sqlite|postgresql] [--instances 1] [--no-validators]
#
#   --sources N     feeds served (RSS 2.0, 20 items, ~31 KiB each)             default 10000
#   --interval S    poll interval of every feed, seconds                          default 60
#   --duration S    length of each poller's run, from its start, seconds          default 300
#   --seed N        pre-seed N stored mentions (Otklik: build/bench/daemon/seed_store, when built;
#                   Node: peer/seed.js) before the run                            default 0
#   --only NAME     run only otklik or only node
#   --out DIR       where the table (.txt) and figures (.json) go   default /tmp/otklik-load-results
#   --concurrency N the Node peer's bound on concurrent fetches                   default 32
#   --keep          keep the scratch folder (feeds, logs, state, run.json of each poller)
#   --backend NAME  Otklik's store: sqlite (a state file) or postgresql (a PostgreSQL 15 cluster
#                   started in the scratch folder for Otklik's run)               default sqlite
#   --instances N   Otklik instances run at once on the one PostgreSQL database, named a, b, c…
#                   (more than 1 needs --backend postgresql)                      default 1
#   --no-validators nginx sends no ETag and ignores If-Modified-Since: every poll is a 200 with
#                   the whole feed, as from a site or API without conditional GET
#
# Needs build/otklik (scripts/build.sh; OTKLIK_BIN=PATH runs another binary), nginx, python3 and node (scripts/setup-deps.sh), and npm
# once, to install the peer's packages (Debian's nodejs comes without it: apt-get install npm);
# for --backend postgresql, PostgreSQL 15's server programs (Debian's postgresql-15, in
# /usr/lib/postgresql/15/bin, or PG_BIN=DIR) and psql.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
peer="$repo/bench/daemon/peer"
sources=10000 interval=60 duration=300 seed=0 only="" out="/tmp/otklik-load-results" concurrency=32 keep=0
backend=sqlite instances=1 validators=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sources) sources="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --backend) backend="$2"; shift 2 ;;
    --instances) instances="$2"; shift 2 ;;
    --no-validators) validators=0; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
for v in sources interval duration seed concurrency instances; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "run.sh: --$v must be a whole number, got '${!v}'" >&2; exit 2; }
done
case "$only" in ""|otklik|node) ;; *) echo "run.sh: --only takes otklik or node" >&2; exit 2 ;; esac
(( sources >= 1 && interval >= 1 )) || { echo "run.sh: --sources and --interval must be at least 1" >&2; exit 2; }
case "$backend" in sqlite|postgresql) ;; *) echo "run.sh: --backend takes sqlite or postgresql" >&2; exit 2 ;; esac
(( instances >= 1 && instances <= 26 )) || { echo "run.sh: --instances takes 1 to 26" >&2; exit 2; }
if [[ $backend == sqlite ]] && (( instances > 1 )); then
  echo "run.sh: several instances share one database: --instances $instances needs --backend postgresql" >&2; exit 2
fi
if [[ $backend == postgresql ]] && (( seed > 0 )); then
  echo "run.sh: --seed fills a SQLite state file (seed_store): it is for --backend sqlite" >&2; exit 2
fi
pollers=(otklik node)
[[ -n "$only" ]] && pollers=("$only")
settle=5
if (( duration < 2 * interval + settle )); then
  echo "run.sh: warning: --duration $duration leaves no steady window after a first round of one interval" >&2
fi

otklik="${OTKLIK_BIN:-$repo/build/otklik}"  # OTKLIK_BIN: another build to compare
seed_store="$repo/build/bench/daemon/seed_store"
for p in "${pollers[@]}"; do
  if [[ $p == otklik && ! -x "$otklik" ]]; then
    echo "run.sh: $otklik is missing: run scripts/build.sh (or cmake --build build --target otklik)" >&2; exit 1
  fi
  if [[ $p == node ]]; then
    command -v node >/dev/null || { echo "run.sh: node is missing (scripts/setup-deps.sh)" >&2; exit 1; }
    if [[ ! -d "$peer/node_modules" ]]; then
      command -v npm >/dev/null || { echo "run.sh: npm is missing: apt-get install npm" >&2; exit 1; }
      echo "run.sh: installing the Node peer's packages (npm ci in $peer)" >&2
      (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error >&2)
    fi
  fi
done
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [[ $backend == postgresql && " ${pollers[*]} " == *" otklik "* ]]; then
  for b in initdb pg_ctl postgres; do
    [[ -x "$pg_bin/$b" ]] || { echo "run.sh: $pg_bin/$b is missing: apt-get install postgresql-15 (or PG_BIN=DIR)" >&2; exit 1; }
  done
  command -v psql >/dev/null || { echo "run.sh: psql is missing: apt-get install postgresql-client" >&2; exit 1; }
fi
nginx_bin="$(command -v nginx || true)"
[[ -z "$nginx_bin" && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
[[ -n "$nginx_bin" ]] || { echo "run.sh: nginx is missing (scripts/setup-deps.sh)" >&2; exit 1; }

work="$(mktemp -d /tmp/otklik-load.XXXXXX)"
nginx_pid="" conductor_pid="" pg_data=""
# PostgreSQL: a throwaway cluster in $work/pg (trust authentication, superuser otklik, TCP on
# 127.0.0.1 and a unix socket in the same folder), started for Otklik's run and stopped after it.
# The server refuses to run as root: then it runs as the postgres user (Debian's packages make it).
as_pg=()
pg_start() {  # PORT
  local port="$1" pg="$work/pg"
  mkdir -p "$pg"
  if [[ "$(id -u)" == 0 ]]; then
    as_pg=(runuser -u postgres --)
    chmod 755 "$work"
    chown postgres: "$pg"
  fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg/data" -U otklik --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg/initdb.log" 2>&1 ||
    { echo "run.sh: initdb failed:" >&2; cat "$pg/initdb.log" >&2; exit 1; }
  cat >>"$pg/data/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pg'
max_connections = 200
log_min_messages = warning
EOF
  pg_data="$pg/data"
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -l "$pg/postgres.log" -w -t 60 start >/dev/null ||
    { echo "run.sh: PostgreSQL did not start:" >&2; cat "$pg/postgres.log" >&2; exit 1; }
  psql -X -q -h "$pg" -p "$port" -U otklik -d postgres -c "CREATE DATABASE otklik" >/dev/null
}
pg_stop() {
  [[ -n "$pg_data" && -f "$pg_data/postmaster.pid" ]] || return 0
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

stop_pid() {  # PID GRACE_SECONDS: SIGTERM, then SIGKILL after the grace
  local pid="$1" grace="$2" i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$conductor_pid" 25
  for f in "$work"/runs/*/poller.pid; do
    [[ -f "$f" ]] || continue
    while read -r pid; do stop_pid "$pid" 15; done <"$f"
  done
  pg_stop
  stop_pid "$nginx_pid" 5
  if (( keep )); then echo "run.sh: scratch folder kept: $work" >&2; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {  # PORT SECONDS
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

started=$(date +%s)
echo "run.sh: $sources feeds, interval ${interval}s, ${duration}s per poller, seed $seed," \
  "Otklik: $instances instance(s) on $backend; scratch $work" >&2
python3 "$here/feeds.py" generate --dir "$work/pristine" --count "$sources"

# nginx: static files (ETag, Last-Modified, 304; none of them with --no-validators), one worker,
# 127.0.0.1 only, everything in $work.
ngx="$work/nginx"
mkdir -p "$ngx/tmp" "$work/www"
nginx_port=$(free_port)
nofile=$(ulimit -Hn); [[ "$nofile" == unlimited ]] && nofile=65536
(( nofile > 65536 )) && nofile=65536
ulimit -n "$nofile" 2>/dev/null || true
user_line=""
[[ "$(id -u)" == 0 ]] && user_line="user root root;"  # the workers read the scratch folder as its owner
cat >"$ngx/nginx.conf" <<EOF
$user_line
worker_processes 1;
worker_rlimit_nofile $nofile;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
daemon off;
events { worker_connections $((nofile - 64)); }
http {
  types { application/rss+xml xml; }
  default_type application/octet-stream;
  log_format bench '\$msec "\$request_uri" \$status \$bytes_sent "\$http_user_agent" \$connection \$connection_requests \$request_time "\$sent_http_etag"';
  access_log $ngx/access.log bench buffer=64k flush=500ms;
  client_body_temp_path $ngx/tmp/body;
  proxy_temp_path $ngx/tmp/proxy;
  fastcgi_temp_path $ngx/tmp/fastcgi;
  uwsgi_temp_path $ngx/tmp/uwsgi;
  scgi_temp_path $ngx/tmp/scgi;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  server_tokens off;
  server {
    listen 127.0.0.1:$nginx_port backlog=4096;
    root $work/www;
    location / { $( ((validators)) || echo 'etag off; if_modified_since off;' ) }
  }
}
EOF
: >"$ngx/access.log"
"$nginx_bin" -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" &
nginx_pid=$!
wait_port "$nginx_port" 10 || { echo "run.sh: nginx did not start:" >&2; cat "$ngx/error.log" >&2; exit 1; }
base="http://127.0.0.1:$nginx_port"

otklik_config() {  # the config of instance $inst (globals: dir, backend, port, pg_port, sink_port…)
  echo '[daemon]'
  if [[ $backend == sqlite ]]; then echo "state = \"$dir/state.db\""; else echo "state = \"$dir/state-$inst.db\""; fi
  echo "listen = \"127.0.0.1:$port\""
  echo 'log_level = "warn"'
  echo "user_agent = \"Otklik/0.1 (load bench; instance $inst)\""
  if [[ $backend == postgresql ]]; then
    echo '[store]'
    echo 'backend = "postgresql"'
    echo "url = \"postgresql://otklik@127.0.0.1:$pg_port/otklik?application_name=otklik-$inst\""
    (( instance_key )) && echo "instance = \"$inst\""
  fi
  echo '[http]'
  echo 'per_host_delay = "0s"'
  echo '[[channel]]'
  echo 'name = "sink"'
  echo 'type = "webhook"'
  echo "url = \"http://127.0.0.1:$sink_port/otklik\""
  echo '[[route]]'
  echo 'channel = "sink"'
  cat "$dir/sources.toml"
}

seed_notes=()
run_dirs=()
for p in "${pollers[@]}"; do
  # A fresh copy of the same feeds (hard links: the mutator replaces files, never edits them).
  rm -rf "$work/www/feeds"
  cp -al "$work/pristine" "$work/www/feeds"
  dir="$work/runs/$p"
  mkdir -p "$dir"
  sink_port=$(free_port)
  health_port=$(free_port)
  conductor_args=()
  if [[ $p == otklik ]]; then
    for ((i = 0; i < sources; i++)); do
      printf '[[source]]\nname = "feed-%05d"\ntype = "rss"\nurl = "%s/feeds/f%05d.xml"\ninterval = "%ss"\n' \
        "$i" "$base" "$i" "$interval"
    done >"$dir/sources.toml"
    if [[ $backend == postgresql ]]; then
      pg_port=$(free_port)
      pg_start "$pg_port"
      conductor_args+=(--pg-data "$pg_data" --psql psql
                       --pg-conninfo "host=$work/pg port=$pg_port user=otklik dbname=otklik application_name=bench-sampler")
    fi
    instance_key=1
    letters=abcdefghijklmnopqrstuvwxyz
    procs=()
    for ((k = 0; k < instances; k++)); do
      inst=${letters:k:1}
      port=$health_port
      (( k > 0 )) && port=$(free_port)
      conf="$dir/otklik-$inst.toml"
      otklik_config >"$conf"
      if ! problems="$("$otklik" check-config -c "$conf" 2>&1 >/dev/null)"; then
        if [[ $problems == *"store.instance: unknown key"* ]] && (( instance_key )); then
          echo "run.sh: warning: this build has no [store] instance (one instance per database): every" \
            "instance polls every source" >&2
          instance_key=0
          otklik_config >"$conf"
          "$otklik" check-config -c "$conf" >/dev/null
        else
          echo "$problems" >&2; exit 1
        fi
      fi
      procs+=("$inst" "Otklik/0.1 (load bench; instance $inst)" "http://127.0.0.1:$port/healthz"
              "http://127.0.0.1:$port/metrics" "$otklik" run -c "$conf")
    done
    python3 -c '
import json, sys
a = sys.argv[2:]
json.dump([{"name": a[i], "ua": a[i + 1], "health_url": a[i + 2], "metrics_url": a[i + 3], "command": a[i + 4:i + 8]}
           for i in range(0, len(a), 8)], open(sys.argv[1], "w"), indent=1)' "$dir/processes.json" "${procs[@]}"
    conductor_args+=(--processes "$dir/processes.json")
    if (( seed > 0 )); then
      if [[ -x "$seed_store" ]]; then
        echo "run.sh: seeding Otklik's state with $seed mentions" >&2
        t=$(date +%s)
        timeout 3600 "$seed_store" --db "$dir/state.db" --mentions "$seed" --sources feed- >&2
        seed_notes+=("otklik: $seed mentions seeded by seed_store in $(( $(date +%s) - t )) s")
      else
        echo "run.sh: $seed_store does not exist: Otklik's state is NOT seeded" >&2
        seed_notes+=("otklik: NOT seeded ($seed_store is not built); its figures are without history")
      fi
    fi
    ua_prefix="Otklik/"
  else
    for ((i = 0; i < sources; i++)); do printf 'feed-%05d\t%s/feeds/f%05d.xml\n' "$i" "$base" "$i"; done >"$dir/feeds.tsv"
    if (( seed > 0 )); then
      t=$(date +%s)
      timeout 3600 node "$peer/seed.js" --db "$dir/peer.db" --rows "$seed" --feeds "$dir/feeds.tsv"
      seed_notes+=("node: $seed rows seeded by peer/seed.js in $(( $(date +%s) - t )) s")
    fi
    ua_prefix="node-peer/"
    conductor_args+=(--health-url "http://127.0.0.1:$health_port/healthz" --
                     node "$peer/poller.js" --feeds "$dir/feeds.tsv" --db "$dir/peer.db"
                     --sink "http://127.0.0.1:$sink_port/node" --interval "$interval" --concurrency "$concurrency"
                     --health-port "$health_port" --user-agent "node-peer/1.0 (otklik load bench)")
  fi
  echo "run.sh: $p: running for ${duration}s" >&2
  python3 "$here/conductor.py" --name "$p" --out "$dir" --feeds-dir "$work/www/feeds" --count "$sources" \
    --interval "$interval" --duration "$duration" --settle "$settle" --sink-port "$sink_port" \
    --access-log "$ngx/access.log" --ua-prefix "$ua_prefix" "${conductor_args[@]}" &
  conductor_pid=$!
  wait "$conductor_pid"
  conductor_pid=""
  [[ $p == otklik ]] && pg_stop
  run_dirs+=("$dir")
done

sleep 1  # nginx flushes its access log every 500 ms
mkdir -p "$out"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
store_part=""
[[ $backend != sqlite || $instances != 1 ]] && store_part="-${backend}x${instances}"
name="load-${sources}x${interval}s-${duration}s-seed${seed}${store_part}$( ((validators)) || echo -novalidators)-$stamp"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]] && commit="$commit+changes"
store_text="Otklik on SQLite"
if [[ $backend == postgresql && -n "$pg_data" ]]; then
  store_text="Otklik: $instances instance(s) on PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') (127.0.0.1)"
fi
header="Otklik load benchmark: $sources RSS feeds on nginx (127.0.0.1)$( ((validators)) || echo ' without ETag or If-Modified-Since'), interval ${interval}s, ${duration}s per poller, $seed mentions pre-seeded; $store_text; $(nproc) cores; commit $commit; $(date -u '+%Y-%m-%d %H:%M UTC')"
notes=()
for n in "${seed_notes[@]}"; do notes+=(--seed-note "$n"); done
python3 "$here/analyze.py" --json "$out/$name.json" --seed "$seed" --nginx-error-log "$ngx/error.log" \
  --header "$header" --commit "$commit" "${notes[@]}" "${run_dirs[@]}" | tee "$out/$name.txt"
echo "run.sh: figures in $out/$name.json and $out/$name.txt; the whole run took $(( $(date +%s) - started )) s" >&2
