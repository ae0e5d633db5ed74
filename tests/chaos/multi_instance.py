#!/usr/bin/env python3
"""Chaos test: three Otklik instances on one PostgreSQL database, one of them SIGKILLed and
restarted every ~10 s, while negative reviews keep arriving.

    tests/chaos/multi_instance.py --otklik build/otklik [--seed N] [--keep]

Run it inside a throwaway PostgreSQL cluster (scripts/test.sh runs CTest in
`pg_virtualenv -v 15`, whose PG* variables reach the server); without a server it prints
SKIPPED and exits 77. Everything else runs on 127.0.0.1 in this process:

- a fake review site: 300 RSS 2.0 feeds /feed/N.xml, each with a few old positive items and
  one old complaint; every request is recorded with its time, feed and User-Agent (each
  instance has its own, `otklik-chaos/<instance>`, so the site knows who polled);
- a fake Telegram Bot API (sendMessage, getUpdates long polling with Telegram's 409 Conflict for
  the older of two open getUpdates, editMessageText, editMessageReplyMarkup,
  answerCallbackQuery) that records every message;
- three instances a, b, c with one config each (same [store], own health port and user agent),
  interval 10 s for every source, lease_ttl 6 s.

Phases: start the three; wait for every source's silent baseline poll (sources_state in the
database) and one more interval for the instances to share the sources; then for ~100 s SIGKILL a
random instance every ~10 s and restart it at once (10 kills) while 100 negative reviews, each
with its own guid, author and order number, are added to random feeds; then wait until every
review has been alerted and the outbox holds no pending row (bounded); SIGTERM all. A restarted
instance has the same id, so it claims its own sources back at once; to exercise the takeover by
the others when leases expire, the last killed instance stays down for interval + lease_ttl
(--last-down) before its restart, with no kill after it.

Asserted (the report prints every check with its numbers, pass or fail):
1. every review alerted at least once (0 lost), and none of the feeds' old complaints (each feed
   starts with one, published 10 days ago): the first poll of each source is a silent baseline,
   once across the instances;
2. duplicate alerts (messages for a review beyond its first) no more than kills;
3. in every interval-long window of the kill phase and after, no instance polled more than half
   of the sources (distinct feeds requested with its User-Agent);
4. after each kill, every source the killed instance polled in the interval before the kill is
   polled again, by anyone, within interval + lease_ttl + 4 s of the kill (of its next kill when
   the restarted instance, which claims its sources back, is killed again before that poll);
5. no instance exited by itself, each stopped on the final SIGTERM with exit code 0, and no log
   line of any instance is at the critical level.
Reported, not asserted: getUpdates 409 conflicts (live ones: the older request's client was
still connected), leaders seen at once in /metrics, lease counters, alert latency, other
messages (spike notices).
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chaos_fakes import Site, Telegram, now  # noqa: E402

SKIP = 77
TOKEN = "7000000001:AAChaosTestTokenForTheFakeBotApi_0000"
CHAT_ID = -1001002003004
INSTANCES = ("a", "b", "c")
KILL_SLACK = 4.0           # seconds beyond interval + lease_ttl for a killed instance's sources
DRAIN_BOUND = 75.0         # seconds after the last review or kill for every alert to arrive
TERM_BOUND = 15.0          # seconds for an instance to stop after SIGTERM
MARK_RE = re.compile(r"\border (7\d{4})\b", re.IGNORECASE)
OLD_MARK_RE = re.compile(r"\bticket (8\d{4})\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Texts

POSITIVE = [
    "Quick delivery, the parcel was packed well and the courier was polite. Thank you!",
    "Everything arrived on time and in perfect condition. Great service, I will order again.",
    "Friendly support, they answered in five minutes and solved my question. Recommended.",
    "The pickup point is close to home and the staff are helpful. Very convenient.",
    "Ordered on Monday, got it on Tuesday. Good prices and a nice tracking page.",
    "The app shows where the courier is, which is handy. Delivery was smooth.",
]

# Each review: one of these, with its own order number; all clearly negative in English.
NEGATIVE = [
    "Order {n}: the courier was three hours late, the parcel arrived broken and support never "
    "answered. Terrible, I want a refund.",
    "Order {n}: they charged me twice and refused to refund the money. Awful service, a total scam.",
    "Order {n}: the package was lost, nobody called back and the manager was rude to me. Never again.",
    "Order {n}: I waited an hour at the pickup point, the staff were rude and the box was damaged. "
    "Horrible experience.",
    "Order {n}: wrong item delivered, the return was refused and support ignored my complaints. "
    "Disgusting, I am furious.",
]


def order_number(i):
    return 70000 + i


def old_ticket(feed):
    return 80000 + feed


def baseline_items(feed, base_time):
    """A feed's items before the run: three old positive reviews and one old complaint, which the
    source's first poll stores silently and never alerts."""
    old = base_time - 10 * 86400
    items = [{"guid": f"f{feed}-base-{k}", "title": "Customer review", "author": f"Reader {feed}-{k}",
              "text": POSITIVE[(feed + k) % len(POSITIVE)], "published": old - 3600 * (feed % 24) - 60 * k}
             for k in range(3)]
    items.append({"guid": f"f{feed}-old-negative", "title": "Customer review", "author": f"Old customer {feed}",
                  "text": NEGATIVE[feed % len(NEGATIVE)].replace("Order {n}", "Ticket {n}").format(n=old_ticket(feed)),
                  "published": old - 3600 * (feed % 24) - 600})
    return items


# ---------------------------------------------------------------------------------------------
# PostgreSQL (through psql and the PG* environment)


def psql(sql, db=None, timeout=30):
    cmd = ["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]
    if db:
        cmd[1:1] = ["-d", db]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"psql failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout.strip()


def pg_available():
    if not any(os.environ.get(k) for k in ("PGHOST", "PGPORT", "PGDATABASE", "PGSERVICE")):
        return "PGHOST, PGPORT, PGDATABASE and PGSERVICE are unset"
    if not shutil.which("psql"):
        return "psql is not installed"
    try:
        psql("SELECT 1", timeout=15)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        return f"the server does not answer: {e}"
    return None


# ---------------------------------------------------------------------------------------------
# Instances


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config_text(inst, port, db, site, tg, sources, interval, lease_ttl, leases):
    lines = [
        "[daemon]",
        'state = "unused.db"',
        f'listen = "127.0.0.1:{port}"',
        'locale = "en"',
        f'user_agent = "otklik-chaos/{inst}"',
        'shutdown_timeout = "5s"',
        "workers = 1",
        "",
        "[store]",
        'backend = "postgresql"',
        f'url = "dbname={db}"',
    ]
    if leases:
        lines += [f'instance = "{inst}"', f'lease_ttl = "{lease_ttl}s"']
    lines += [
        "",
        "[http]",
        'per_host_delay = "0s"',
        'read_timeout = "10s"',
        "",
        "[[brand]]",
        'name = "Parcel Express"',
        "",
    ]
    for n in range(sources):
        lines += [
            "[[source]]",
            f'name = "feed-{n:03d}"',
            'type = "rss"',
            f'url = "http://127.0.0.1:{site.port}/feed/{n}.xml"',
            f'interval = "{interval}s"',
            'brand = "Parcel Express"',
            "",
        ]
    lines += [
        "[[channel]]",
        'name = "support"',
        'type = "telegram"',
        'token = "env:OTKLIK_CHAOS_TELEGRAM_TOKEN"',
        f'chat_id = "{CHAT_ID}"',
        f'api_url = "{tg.api_url()}"',
        "",
        "[[route]]",
        'channel = "support"',
        'min_severity = "low"',
        "",
    ]
    return "\n".join(lines)


class Instance:
    def __init__(self, name, otklik, workdir, env):
        self.name = name
        self.otklik = otklik
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.config = os.path.join(self.dir, "otklik.toml")
        self.log_path = os.path.join(self.dir, "stderr.log")
        self.env = env
        self.port = free_port()
        self.proc = None
        self.term_sent = 0.0
        self.starts = 0
        self.unexpected_exits = []  # (t, returncode)

    def start(self, t0):
        self.starts += 1
        with open(self.log_path, "ab") as log:
            log.write(f"=== chaos: start #{self.starts} at +{now() - t0:.1f}s ===\n".encode())
            log.flush()
            self.proc = subprocess.Popen([self.otklik, "run", "-c", self.config], stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=log, env=self.env, start_new_session=True)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def check_exit(self, t0):
        """Records an exit nobody asked for."""
        if self.proc is not None and self.proc.poll() is not None:
            self.unexpected_exits.append((now() - t0, self.proc.returncode))
            self.proc = None
            return True
        return False

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def send_term(self):
        self.term_sent = now()
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)

    def wait_term(self):
        """After send_term(): (exit code, or None when it had to be killed; seconds taken)."""
        if self.proc is None:
            return None, 0.0
        started = self.term_sent
        try:
            rc = self.proc.wait(timeout=max(0.1, started + TERM_BOUND - now()))
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            rc = None
        self.proc = None
        return rc, now() - started

    def metrics(self):
        if not self.alive():
            return None
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=2) as r:
                text = r.read().decode("utf-8", "replace")
        except (OSError, urllib.error.URLError):
            return None
        out = {}
        for line in text.splitlines():
            if line.startswith("#"):
                continue
            for name in ("otklik_leader", "otklik_leases_held", "otklik_leases_taken_total",
                         "otklik_leases_lost_total", "otklik_instance_info"):
                if line.startswith(name + " ") or line.startswith(name + "{"):
                    try:
                        out[name] = out.get(name, 0.0) + float(line.rsplit(" ", 1)[1])
                    except ValueError:
                        pass
        return out

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return []
        return data[-lines:]

    def critical_lines(self):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return []
        return [line for line in data if "critical" in line.lower() and not line.startswith("=== chaos")]


class MetricsSampler:
    """Reads /metrics of every live instance once a second."""

    def __init__(self, instances):
        self.instances = instances
        self.rounds = []  # (t, {instance: metrics})
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.last = {}    # (instance, start#) -> metrics

    def run(self):
        while not self.stop.wait(1.0):
            sample = {}
            for inst in self.instances:
                m = inst.metrics()
                if m is not None:
                    sample[inst.name] = m
                    with self.lock:
                        self.last[(inst.name, inst.starts)] = m
            with self.lock:
                self.rounds.append((now(), sample))


# ---------------------------------------------------------------------------------------------
# The checks


def max_distinct_in_window(polls, start, end, width):
    """The most distinct feeds in any window [t, t + width) with start <= t, t + width <= end,
    windows starting at each poll (the maximum is reached at one); also the window's start."""
    polls = [p for p in polls if start <= p[0] < end]
    polls.sort()
    best, best_at = 0, None
    counts = {}
    j = 0
    for i in range(len(polls)):
        t = polls[i][0]
        if t + width > end:
            break
        while j < len(polls) and polls[j][0] < t + width:
            counts[polls[j][1]] = counts.get(polls[j][1], 0) + 1
            j += 1
        if len(counts) > best:
            best, best_at = len(counts), t
        f = polls[i][1]
        counts[f] -= 1
        if counts[f] == 0:
            del counts[f]
    return best, best_at


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--otklik", required=True, help="the otklik binary")
    ap.add_argument("--sources", type=int, default=300)
    ap.add_argument("--reviews", type=int, default=100)
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--kill-every", type=float, default=10.0, help="seconds between kills")
    ap.add_argument("--interval", type=int, default=10, help="every source's interval, seconds")
    ap.add_argument("--lease-ttl", type=int, default=6, help="[store] lease_ttl, seconds")
    ap.add_argument("--last-down", type=float, default=None,
                    help="seconds the last killed instance stays down before its restart, so that the others "
                         "take its leases over when they expire (default interval + lease_ttl; 0: at once)")
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--keep", action="store_true", help="keep the work folder and the database")
    a = ap.parse_args()

    if a.last_down is None:
        a.last_down = float(a.interval + a.lease_ttl)
    otklik = os.path.abspath(a.otklik)
    if not os.access(otklik, os.X_OK):
        print(f"chaos: {otklik} is not an executable", file=sys.stderr)
        return 2
    why = pg_available()
    if why:
        print(f"SKIPPED: no PostgreSQL server in the environment ({why}); run under pg_virtualenv -v 15, "
              "as scripts/test.sh does")
        return SKIP

    rng = random.Random(a.seed)
    t_start = now()
    workdir = tempfile.mkdtemp(prefix="otklik-chaos-")
    db = f"otklik_chaos_{os.getpid()}_{rng.randrange(10**6)}"
    psql(f"CREATE DATABASE {db}")
    print(f"chaos: seed {a.seed}, database {db}, work folder {workdir}", flush=True)

    base_time = time.time()
    site = Site([baseline_items(n, base_time) for n in range(a.sources)])
    site.start()
    tg = Telegram(TOKEN, CHAT_ID)
    tg.start()
    env = dict(os.environ, OTKLIK_CHAOS_TELEGRAM_TOKEN=TOKEN)
    instances = [Instance(name, otklik, workdir, env) for name in INSTANCES]

    # Does this binary know the keys of several instances? (Before them: one instance per database.)
    leases = True
    for inst in instances:
        with open(inst.config, "w") as f:
            f.write(config_text(inst.name, inst.port, db, site, tg, a.sources, a.interval, a.lease_ttl, True))
    check = subprocess.run([otklik, "check-config", "-c", instances[0].config], capture_output=True, text=True,
                           env=env)
    if check.returncode != 0:
        problems = (check.stdout + check.stderr).strip()
        if "instance" in problems and "unknown key" in problems:
            leases = False
            print("chaos: this binary does not know [store] instance / lease_ttl: running without them "
                  "(expect the sharing checks to fail)", flush=True)
            for inst in instances:
                with open(inst.config, "w") as f:
                    f.write(config_text(inst.name, inst.port, db, site, tg, a.sources, a.interval, a.lease_ttl,
                                        False))
        else:
            print(f"chaos: check-config failed:\n{problems}", file=sys.stderr)
            return 1

    sampler = MetricsSampler(instances)
    sampler_thread = threading.Thread(target=sampler.run, name="metrics", daemon=True)
    reviews = []     # dicts: i, feed, guid, marker, added (monotonic)
    kills = []       # (t, instance name)
    failures = []
    t_phase = t_end_phase = None
    try:
        # 1. Start and wait for every source's baseline poll.
        for inst in instances:
            inst.start(t_start)
        sampler_thread.start()
        baseline_bound = 90.0
        done = 0
        while now() - t_start < baseline_bound:
            time.sleep(1.0)
            for inst in instances:
                if inst.check_exit(t_start):
                    raise RuntimeError(f"instance {inst.name} exited during start-up")
            try:
                done = int(psql("SELECT count(*) FROM sources_state WHERE last_success_at IS NOT NULL", db=db))
            except (RuntimeError, subprocess.TimeoutExpired):
                done = 0
            if done >= a.sources:
                break
        if done < a.sources:
            raise RuntimeError(f"only {done} of {a.sources} sources had their baseline poll within "
                               f"{baseline_bound:.0f}s")
        t_baseline = now()
        print(f"chaos: every source polled once (baseline) at +{t_baseline - t_start:.1f}s", flush=True)
        # One interval and a lease's life for the instances to share the sources out.
        time.sleep(a.interval + a.lease_ttl)

        # 2. The kill phase: kills every ~kill_every seconds, reviews spread over the phase.
        t_phase = now()
        phase = a.kills * a.kill_every
        kill_at = sorted(t_phase + a.kill_every * (k + 1) - a.kill_every / 2 + rng.uniform(-1.0, 1.0)
                         for k in range(a.kills))
        victims = [rng.choice(instances) for _ in range(a.kills)]
        review_at = sorted(t_phase + rng.uniform(0.5, phase - 2.0) for _ in range(a.reviews))
        feeds = [rng.randrange(a.sources) for _ in range(a.reviews)]
        templates = [rng.randrange(len(NEGATIVE)) for _ in range(a.reviews)]
        events = [(t, "kill", k) for k, t in enumerate(kill_at)] + [(t, "review", i) for i, t in enumerate(review_at)]
        if a.last_down > 0 and kill_at:
            events.append((kill_at[-1] + a.last_down, "restart", len(kill_at) - 1))
        events.sort()
        print(f"chaos: kill phase: {a.kills} kills over {phase:.0f}s, {a.reviews} reviews", flush=True)
        for t, kind, k in events:
            while now() < t:
                time.sleep(min(0.05, max(0.0, t - now())))
                for inst in instances:
                    if inst.check_exit(t_start):
                        print(f"chaos: instance {inst.name} exited by itself; restarting it", flush=True)
                        inst.start(t_start)
            if kind == "kill":
                inst = victims[k]
                inst.kill()
                kills.append((now(), inst.name))
                if a.last_down > 0 and k == len(kill_at) - 1:
                    print(f"chaos: +{now() - t_start:6.1f}s kill #{k + 1}: {inst.name} (SIGKILL, down for "
                          f"{a.last_down:.0f}s)", flush=True)
                else:
                    inst.start(t_start)
                    print(f"chaos: +{now() - t_start:6.1f}s kill #{k + 1}: {inst.name} (SIGKILL, restarted)",
                          flush=True)
            elif kind == "restart":
                victims[k].start(t_start)
                print(f"chaos: +{now() - t_start:6.1f}s {victims[k].name} restarted", flush=True)
            else:
                n = order_number(k)
                item = {"guid": f"neg-{k:03d}-{a.seed}", "title": "Customer review", "author": f"Customer {n}",
                        "text": NEGATIVE[templates[k]].format(n=n), "published": time.time() - 30}
                site.add(feeds[k], item)
                reviews.append({"i": k, "feed": feeds[k], "marker": str(n), "added": now()})
        t_end_phase = now()

        # 3. Drain: every review alerted and nothing pending (bounded), and long enough after the
        #    last kill for its re-poll check.
        last_kill = kills[-1][0] if kills else t_end_phase
        bound = max(t_end_phase, reviews[-1]["added"] if reviews else t_end_phase) + DRAIN_BOUND
        min_end = last_kill + a.interval + a.lease_ttl + KILL_SLACK + 1.0
        pending = None
        while now() < bound:
            time.sleep(1.0)
            for inst in instances:
                if inst.check_exit(t_start):
                    inst.start(t_start)
            seen = {m for msg in tg.snapshot() for m in MARK_RE.findall(msg["text"])}
            if all(r["marker"] in seen for r in reviews) and now() >= min_end:
                try:
                    pending = int(psql("SELECT count(*) FROM outbox WHERE state = 'pending'", db=db))
                except (RuntimeError, subprocess.TimeoutExpired):
                    pending = None
                if pending == 0:
                    break
        time.sleep(3.0)  # late duplicates of the last sends
        t_drained = now()
    except RuntimeError as e:
        failures.append(str(e))
        t_drained = now()
    finally:
        sampler.stop.set()
        stops = {}
        for inst in instances:
            inst.check_exit(t_start)
        for inst in instances:
            inst.send_term()
        for inst in instances:
            stops[inst.name] = inst.wait_term()

    # -----------------------------------------------------------------------------------------
    # The report
    rel = lambda t: t - t_start  # noqa: E731
    messages = tg.snapshot()
    polls = site.polls()
    by_marker = {}
    others = []
    baseline_alerts = []
    for msg in messages:
        marks = set(MARK_RE.findall(msg["text"]))
        if OLD_MARK_RE.search(msg["text"]):
            baseline_alerts.append(msg)
        elif not marks:
            others.append(msg)
        for m in marks:
            by_marker.setdefault(m, []).append(msg)
    lost = [r for r in reviews if r["marker"] not in by_marker]
    dupes = {r["marker"]: len(by_marker[r["marker"]]) - 1 for r in reviews if len(by_marker.get(r["marker"], [])) > 1}
    n_dupes = sum(dupes.values())
    latencies = sorted(by_marker[r["marker"]][0]["t"] - r["added"] for r in reviews if r["marker"] in by_marker)

    checks = []  # (name, ok, detail)

    def check(name, ok, detail):
        checks.append((name, ok, detail))

    check("run completed", not failures, "; ".join(failures) or "start, baseline, kill phase and drain done")
    def lost_detail(r):
        after = [(t, who) for t, f, who in polls if f == r["feed"] and t > r["added"]]
        where = (f"feed-{r['feed']:03d} polled {len(after)}x after it was added (first +{rel(after[0][0]):.1f}s "
                 f"by {after[0][1]})" if after else f"feed-{r['feed']:03d} never polled after it was added")
        return f"order {r['marker']} added at +{rel(r['added']):.1f}s, {where}"

    check("every review alerted (0 lost)", not lost and len(reviews) == a.reviews,
          f"{len(reviews) - len(lost)}/{a.reviews} alerted" + (
              "; lost: " + "; ".join(lost_detail(r) for r in lost[:6]) + (" …" if len(lost) > 6 else "")
              if lost else ""))
    check("first polls silent (old complaints not alerted)", not baseline_alerts,
          f"{len(baseline_alerts)} alert(s) for the {a.sources} old complaints of the feeds' first polls" + (
              ": tickets " + ", ".join(sorted({m for msg in baseline_alerts for m in OLD_MARK_RE.findall(msg["text"])})[:8])
              if baseline_alerts else ""))
    check("duplicates <= kills", n_dupes <= len(kills),
          f"{n_dupes} duplicate(s), {len(kills)} kill(s)" + (f": {dupes}" if dupes else ""))

    # 3. No instance polls more than half of the sources in any interval-long window.
    half = a.sources // 2
    if t_phase is not None:
        end = t_drained
        worst = []
        ok = True
        for inst in INSTANCES:
            mine = [(t, f) for t, f, who in polls if who == inst]
            best, at = max_distinct_in_window(mine, t_phase, end, a.interval)
            worst.append(f"{inst}: {best}" + (f" (window from +{rel(at):.1f}s)" if at is not None else ""))
            ok = ok and best <= half
        check(f"no instance polls more than {half} sources per {a.interval}s window", ok,
              "max distinct feeds per window: " + ", ".join(worst))
    else:
        check(f"no instance polls more than {half} sources per {a.interval}s window", False, "kill phase not reached")

    # 4. A killed instance's sources are polled again within interval + lease_ttl + slack.
    repoll_bound = a.interval + a.lease_ttl + KILL_SLACK
    worst_delay, late, by_self, by_others, worst_taken_over = 0.0, [], 0, 0, 0.0
    rekilled = 0
    for kt, name in kills:
        held = {f for t, f, who in polls if who == name and kt - a.interval <= t < kt}
        for f in held:
            after = [(t, who) for t, g, who in polls if g == f and t > kt]
            repoll = after[0][0] if after else None
            # The restarted instance (same id) claims its sources back and polls each when due; killed
            # again before that poll, the source waits for this next kill's lease to run out: the
            # bound counts from the last such kill.
            deadline = kt + repoll_bound
            for k2, name2 in kills:
                if name2 == name and kt < k2 < deadline and (repoll is None or k2 < repoll):
                    deadline = k2 + repoll_bound
            if deadline > kt + repoll_bound:
                rekilled += 1
            delay = (repoll - kt) if after else None
            if after and after[0][1] == name:
                by_self += 1
            elif after:
                by_others += 1
                worst_taken_over = max(worst_taken_over, delay)
            if repoll is None or repoll > deadline:
                late.append((name, rel(kt), f, delay))
            elif deadline == kt + repoll_bound and delay > worst_delay:
                worst_delay = delay
    if kills:
        detail = (f"{len(kills)} kills; slowest re-poll {worst_delay:.1f}s after its kill (bound {repoll_bound:.0f}s "
                  f"= interval {a.interval}s + lease_ttl {a.lease_ttl}s + {KILL_SLACK:.0f}s); first re-poll by the "
                  f"restarted instance: {by_self} feeds, by another: {by_others} (slowest {worst_taken_over:.1f}s); "
                  f"{rekilled} feed(s) not yet polled when their instance was killed again (bound from that kill)")
        if late:
            detail += "; late: " + ", ".join(
                f"feed-{f:03d} of {n} killed at +{k:.1f}s: " + ("never" if d is None else f"{d:.1f}s")
                for n, k, f, d in late[:8]) + (f" … ({len(late)} in all)" if len(late) > 8 else "")
        check("a killed instance's sources polled again in time", not late, detail)
    else:
        check("a killed instance's sources polled again in time", False, "no kill happened")

    # 5. Processes: no exit by itself, a clean stop, no critical line.
    exits = [f"{i.name} at +{t:.1f}s rc {rc}" for i in instances for t, rc in i.unexpected_exits]
    check("no instance exited by itself", not exits, ", ".join(exits) or "none")
    bad_stops = {n: s for n, s in stops.items() if s[0] != 0}
    check("each instance stops on SIGTERM with exit code 0", not bad_stops,
          ", ".join(f"{n}: rc {'killed' if rc is None else rc} in {dt:.1f}s" for n, (rc, dt) in stops.items()))
    critical = {i.name: i.critical_lines() for i in instances}
    check("no critical log line", not any(critical.values()),
          ", ".join(f"{n}: {len(v)}" for n, v in critical.items()))

    # Reported only.
    info = []
    live = [c for c in tg.conflicts if c["older_alive"]]
    info.append(f"getUpdates: {len(tg.polls)} requests, {len(tg.conflicts)} 409 conflict(s) "
                f"({len(live)} with the older client still connected"
                + (": " + ", ".join(f"{c['older']}<-{c['newer']} at +{rel(c['t']):.1f}s" for c in live[:6]) if live
                   else "") + f"), {tg.dropped} held request(s) abandoned by their client (killed or stopped)")
    pollers = {}
    for t, who in tg.polls:
        pollers[who] = pollers.get(who, 0) + 1
    info.append("getUpdates by instance: " + ", ".join(f"{k}: {v}" for k, v in sorted(pollers.items())))
    rounds = sampler.rounds
    if any("otklik_leader" in m for _, s in rounds for m in s.values()):
        multi = sum(1 for _, s in rounds if sum(m.get("otklik_leader", 0) for m in s.values()) > 1)
        none = sum(1 for t, s in rounds if t >= (t_phase or t_drained) and s
                   and sum(m.get("otklik_leader", 0) for m in s.values()) == 0)
        info.append(f"/metrics: {len(rounds)} rounds; rounds with more than one leader: {multi}; "
                    f"rounds without a leader (kill phase on): {none}")
        taken = sum(m.get("otklik_leases_taken_total", 0) for m in sampler.last.values())
        lost_l = sum(m.get("otklik_leases_lost_total", 0) for m in sampler.last.values())
        info.append(f"leases taken (sum over processes, last sample): {taken:.0f}; lost: {lost_l:.0f}")
        held = [f"{n}: {m.get('otklik_leases_held', 0):.0f}" for n, m in (rounds[-1][1].items() if rounds else [])]
        info.append("leases held at the last sample: " + ", ".join(held))
    else:
        info.append("/metrics: no otklik_leader gauge (a binary without leases)")
    if latencies:
        info.append(f"alert latency (review added -> first sendMessage): median {latencies[len(latencies) // 2]:.1f}s, "
                    f"max {latencies[-1]:.1f}s")
    per_sender = {}
    for msg in messages:
        per_sender[msg["instance"]] = per_sender.get(msg["instance"], 0) + 1
    info.append(f"messages: {len(messages)} ({', '.join(f'{k}: {v}' for k, v in sorted(per_sender.items()))}); "
                f"not about a review: {len(others)} ({len({o['text'] for o in others})} distinct: spike notices…)")
    per_inst = {}
    for t, f, who in polls:
        per_inst[who] = per_inst.get(who, 0) + 1
    info.append(f"feed requests: {len(polls)} ({', '.join(f'{k}: {v}' for k, v in sorted(per_inst.items()))})")
    try:
        states = psql("SELECT state || ':' || count(*) FROM outbox GROUP BY state ORDER BY state", db=db)
        info.append("outbox rows: " + (states.replace("\n", ", ") or "none") + (f" (pending at the end: {pending})"
                                                                            if pending is not None else ""))
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        info.append(f"outbox rows: cannot read ({e})")
    info.append(f"leases configured: {'yes' if leases else 'no (binary without [store] instance)'}; "
                f"run took {now() - t_start:.0f}s")

    print("\n== chaos test: 3 instances, one PostgreSQL database ==")
    width = max(len(c[0]) for c in checks)
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name.ljust(width)}  {detail}")
    print("-- reported, not asserted --")
    for line in info:
        print(f"info  {line}")
    print("kills: " + ", ".join(f"+{rel(t):.1f}s {n}" for t, n in kills))

    failed = [c for c in checks if not c[1]]
    if failed:
        for inst in instances:
            print(f"\n-- {inst.name}: last lines of {inst.log_path} --")
            for line in inst.log_tail():
                print(f"   {line}")
            for line in critical[inst.name][:10]:
                print(f"   critical: {line}")
    with open(os.path.join(workdir, "messages.json"), "w") as f:
        json.dump([dict(m, t=rel(m["t"])) for m in messages], f, ensure_ascii=False, indent=1)
    with open(os.path.join(workdir, "reviews.json"), "w") as f:
        json.dump([dict(r, added=rel(r["added"])) for r in reviews], f, indent=1)
    with open(os.path.join(workdir, "polls.tsv"), "w") as f:
        f.writelines(f"{rel(t):.3f}\tfeed-{feed:03d}\t{who}\n" for t, feed, who in polls)
    if a.keep:
        print(f"chaos: kept {workdir} and database {db}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
        try:
            psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            print(f"chaos: cannot drop {db}: {e}", file=sys.stderr)
    print("\nchaos: " + ("PASSED" if not failed else f"FAILED ({len(failed)} check(s))"))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
